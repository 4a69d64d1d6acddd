// Shared by the C ABI's translation units (src/c_api/*.cc): the policy
// handle, and the error conventions every entry point follows. Not installed.
//
// Each area of the ABI (policy, retention, suppression, vault) lives in its
// own src/c_api/<area>.cc; all of them report errors into the same
// thread-local last-error slot that gdprkit_last_error reads, and wrap their
// bodies in Guard. A status from the core becomes the C status and message
// in one way only, FromCore ("<function>: <the core's message>"); the door's
// own refusals (NULL arguments, versions, counts) use the helpers below. The
// door writes no name of the core's vocabularies itself: it translates enum
// numbers and calls the core's ...Name and Parse... functions.
#ifndef GDPRKIT_SRC_C_API_INTERNAL_DOOR_H_
#define GDPRKIT_SRC_C_API_INTERNAL_DOOR_H_

#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "gdprkit.h"
#include "gdprkit/common.h"
#include "gdprkit/deletion_log.h"
#include "gdprkit/policy.h"
#include "gdprkit/vault.h"

// ---- Handles ----------------------------------------------------------------

// A policy and the C views of it: NULL-terminated arrays of pointers into the
// (immutable) core strings, built once at load time so that readers need no
// locking.
struct gdprkit_policy {
  struct PurposeArrays {
    std::vector<const char*> basis;
    std::vector<const char*> categories;
    std::vector<const char*> data_subjects;
  };

  std::shared_ptr<const gdprkit::Policy> core;
  std::vector<PurposeArrays> purposes;  // parallel to core->purposes()
  // Title of every legal-basis code the policy knows (built-in and declared),
  // as Policy::BasisTitle gives it, so the C strings outlive the call.
  std::map<std::string, std::string, std::less<>> basis_titles;
};

// A vault (src/c_api/vault.cc; release.cc's gdprkit_release_prepare reads
// it too).
struct gdprkit_vault {
  std::unique_ptr<gdprkit::Vault> core;
};

// The verification of a deletion log, or of a release log (whose
// verification is the deletion log's: retention.cc and release.cc).
struct gdprkit_deletion_log_verification {
  gdprkit::DeletionLogVerification core;
};

namespace gdprkit::capi {

// Clears the calling thread's last error.
void ClearError() noexcept;

// Records `message` as the thread's last error and returns `code`.
gdprkit_status Fail(gdprkit_status code, std::string_view message) noexcept;

// Formats "<function>: <what>" without allocating (for exception handlers).
gdprkit_status FailNoAlloc(gdprkit_status code, const char* function, const char* what) noexcept;

// "<function>: internal error: <what>", without allocating.
gdprkit_status FailInternal(const char* function, const char* what) noexcept;

// The one way a status from the core reaches C: OK for an ok status;
// otherwise records "<function>: <message>" (or "<function>: <context>:
// <message>" when `context` names what the core was given, such as
// "input.selectors[2]") and returns the status's code (the C codes equal
// absl::StatusCode values).
gdprkit_status FromCore(const char* function, const absl::Status& status,
                        std::string_view context = {});

// "<function>: argument <argument> is NULL" as INVALID_ARGUMENT.
gdprkit_status NullArgument(const char* function, const char* argument);

// A versioned record whose .version this library does not support.
gdprkit_status BadVersion(const char* function, const char* type, unsigned int got,
                          unsigned int want);

// How to set a versioned struct's version, for the messages that refuse one:
// " (initialise the struct with GDPRKIT_<TYPE>_INIT, or
// gdprkit_<type>_init(&s, GDPRKIT_<TYPE>_VERSION) where C macros cannot be
// used)" for `type` "gdprkit_<type>" (a field path such as
// "gdprkit_batch_options.id_options" names its outer struct's).
std::string InitHint(std::string_view type);

// gdprkit_<type>_init(out, version): sets *out to `init` (the struct's _INIT
// macro) when `version` is the one this library's header declares; NULL or
// another version is INVALID_ARGUMENT and nothing is written. A later
// library that grows the struct keeps initialising every version from 0.4's
// on, each with its own layout (never more bytes than that version has).
gdprkit_status InitStruct(const char* function, unsigned int version, unsigned int current,
                          bool out_is_null);
template <typename T>
gdprkit_status InitVersioned(const char* function, T* out, unsigned int version, const T& init) {
  const gdprkit_status s = InitStruct(function, version, init.version, out == nullptr);
  if (s == GDPRKIT_OK) *out = init;
  return s;
}

// Defines gdprkit_<type>_init, the function form of a versioned struct's
// _INIT macro for callers that cannot use C macros (FFI).
#define GDPRKIT_DEFINE_INIT_FUNCTION(type, init_macro)                                 \
  gdprkit_status type##_init(type* out, unsigned int version) {                        \
    return gdprkit::capi::InitVersioned(#type "_init", out, version, type init_macro); \
  }

// index >= count, as OUT_OF_RANGE.
gdprkit_status OutOfRange(const char* function, std::size_t index, std::size_t count);

// The core's progress callback for a C one (empty when `fn` is NULL): a
// non-zero return cancels.
gdprkit::ProgressFn ProgressFromC(gdprkit_progress_fn fn, void* context);

// Parses the NUL-terminated `name` with the core's `parse` into *out (the
// enum's number): NullArgument for a NULL name or out, the core's message
// (naming the valid names) for an unknown one.
template <typename Parse>
gdprkit_status ParseName(const char* function, const char* name, int* out, Parse parse) {
  if (name == nullptr) return NullArgument(function, "name");
  if (out == nullptr) return NullArgument(function, "out");
  auto parsed = parse(name);
  if (!parsed.ok()) return FromCore(function, parsed.status());
  *out = static_cast<int>(*parsed);
  return GDPRKIT_OK;
}

// ---- Pointer and count pairs ------------------------------------------------
//
// The rule of every entry point (docs/conventions.md, "Arrays and counts"): a
// (pointer, count) pair the caller hands over is checked before anything is
// read or written through it. A NULL pointer with a count above 0 is
// INVALID_ARGUMENT naming the argument; a count above the pair's bound is
// INVALID_ARGUMENT naming the count. The bound is never more than an array of
// the element type can hold (PTRDIFF_MAX bytes), and lower where the function
// documents a maximum (a sweep: INT32_MAX records).

// The most elements of `T` an array in memory can hold.
template <typename T>
constexpr std::size_t MaxElements() {
  return static_cast<std::size_t>(PTRDIFF_MAX) / sizeof(T);
}

// INVALID_ARGUMENT "<function>: <count_name> is <count>, above the limit of
// <max_count>" when count > max_count; OK otherwise.
gdprkit_status CheckCount(const char* function, const char* count_name, std::size_t count,
                          std::size_t max_count);

// INVALID_ARGUMENT "<function>: [argument ]<name> is NULL but <count_name> is
// <count>" when data is NULL and count > 0; OK otherwise. ("argument " unless
// `name` is a field, such as "input.selector".)
gdprkit_status CheckNotNull(const char* function, const char* name, const void* data,
                            std::size_t count, const char* count_name);

// A required array of `count` elements of T at `data` (NULL only when count
// is 0), of at most `max_count` elements.
template <typename T>
gdprkit_status CheckArray(const char* function, const char* name, const T* data, std::size_t count,
                          const char* count_name, std::size_t max_count = MaxElements<T>()) {
  if (gdprkit_status s = CheckNotNull(function, name, data, count, count_name); s != GDPRKIT_OK) {
    return s;
  }
  return CheckCount(function, count_name, count,
                    max_count < MaxElements<T>() ? max_count : MaxElements<T>());
}

// An optional array: NULL means "not given" (or "not wanted" for an output);
// when given, as CheckArray.
template <typename T>
gdprkit_status CheckOptionalArray(const char* function, const char* name, const T* data,
                                  std::size_t count, const char* count_name,
                                  std::size_t max_count = MaxElements<T>()) {
  if (data == nullptr) return GDPRKIT_OK;
  return CheckArray(function, name, data, count, count_name, max_count);
}

// Runs `body` with the thread's error cleared, turning every exception into
// a status, so that nothing unwinds into C.
template <typename Body>
gdprkit_status Guard(const char* function, Body&& body) noexcept {
  ClearError();
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return FailNoAlloc(GDPRKIT_RESOURCE_EXHAUSTED, function, "out of memory");
  } catch (const std::length_error&) {
    return FailNoAlloc(GDPRKIT_RESOURCE_EXHAUSTED, function, "input too large (length error)");
  } catch (const std::exception& e) {
    return FailInternal(function, e.what());
  } catch (...) {
    return FailNoAlloc(GDPRKIT_INTERNAL, function, "internal error: unknown exception");
  }
}

// Clears a versioned record except for its version.
template <typename Record>
void ClearRecord(Record* out) {
  const unsigned int version = out->version;
  *out = Record{};
  out->version = version;
}

// The start of every entry point that fills a versioned record: `out` must
// not be NULL (INVALID_ARGUMENT "argument out is NULL") and must carry
// version `want` (else BadVersion naming `type`); either way a non-NULL
// record is cleared except for its version before anything else happens.
template <typename Record>
gdprkit_status StartRecord(const char* function, Record* out, unsigned int want, const char* type) {
  if (out == nullptr) return NullArgument(function, "out");
  const unsigned int got = out->version;
  ClearRecord(out);
  if (got != want) return BadVersion(function, type, got, want);
  return GDPRKIT_OK;
}

// NULL-terminated array of pointers into `strings`.
std::vector<const char*> CStrings(const std::vector<std::string>& strings);

// Writes `text` and its NUL into out[0..out_size), or fails with
// INVALID_ARGUMENT naming the bytes needed (out untouched).
gdprkit_status WriteText(const char* function, char* out, std::size_t out_size,
                         std::string_view text);

// The core's options of a deletion or release log from the C options (NULL:
// the defaults): BadVersion for another version, the key checked as an
// array. The key is borrowed from `options`.
gdprkit_status LogOptionsFromC(const char* function, const gdprkit_deletion_log_options* options,
                               gdprkit::DeletionLogOptions* out);

}  // namespace gdprkit::capi

#endif  // GDPRKIT_SRC_C_API_INTERNAL_DOOR_H_
