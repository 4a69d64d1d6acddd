// Shared by src/c_api/consent.cc and src/c_api/requests.cc: the handles of
// the consent ledger and the chain verification that both areas of
// include/gdprkit/c/consent.h read (an erasure and an access report take a
// ledger; a register verifies as a ledger does). Not installed.
#ifndef GDPRKIT_SRC_C_API_INTERNAL_CONSENT_DOOR_H_
#define GDPRKIT_SRC_C_API_INTERNAL_CONSENT_DOOR_H_

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "c_api/internal/door.h"
#include "gdprkit.h"
#include "gdprkit/consent.h"

struct gdprkit_consent_ledger {
  std::unique_ptr<gdprkit::ConsentLedger> core;
};

struct gdprkit_consent_verification {
  gdprkit::ConsentVerification core;
};

namespace gdprkit::capi {

// A copy of `text` for C, released with gdprkit_retention_string_free
// (delete[]).
inline char* NewCString(std::string_view text) {
  char* s = new char[text.size() + 1];
  if (!text.empty()) std::memcpy(s, text.data(), text.size());
  s[text.size()] = '\0';
  return s;
}

// The options of a ledger or a register (one C struct, one core struct).
inline gdprkit_status ToOptions(const char* fn, const gdprkit_consent_options* options,
                                ConsentLedgerOptions* out) {
  if (options == nullptr) return GDPRKIT_OK;
  if (options->version != GDPRKIT_CONSENT_OPTIONS_VERSION) {
    return BadVersion(fn, "gdprkit_consent_options", options->version,
                      GDPRKIT_CONSENT_OPTIONS_VERSION);
  }
  if (gdprkit_status s =
          CheckArray(fn, "options.key", options->key, options->key_size, "options.key_size");
      s != GDPRKIT_OK) {
    return s;
  }
  if (options->key != nullptr) {
    out->key = std::string_view(reinterpret_cast<const char*>(options->key), options->key_size);
  }
  out->sync = options->sync != 0;
  return GDPRKIT_OK;
}

// Creates or opens a ledger or a register (`make`: the core's Create or
// Open) into a new handle of type Handle (whose `core` holds it).
template <typename Handle, typename Make>
gdprkit_status OpenStore(const char* fn, Handle** out, const char* path,
                         const gdprkit_policy* policy, const gdprkit_consent_options* options,
                         Make make) {
  return Guard(fn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(fn, "out");
    *out = nullptr;
    if (path == nullptr) return NullArgument(fn, "path");
    if (policy == nullptr) return NullArgument(fn, "policy");
    ConsentLedgerOptions opts;
    if (gdprkit_status s = ToOptions(fn, options, &opts); s != GDPRKIT_OK) return s;
    auto made = make(std::string(path), policy->core, opts);
    if (!made.ok()) return FromCore(fn, made.status());
    auto handle = std::make_unique<Handle>();
    handle->core = *std::move(made);
    *out = handle.release();
    return GDPRKIT_OK;
  });
}

}  // namespace gdprkit::capi

#endif  // GDPRKIT_SRC_C_API_INTERNAL_CONSENT_DOOR_H_
