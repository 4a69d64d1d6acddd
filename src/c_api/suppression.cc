// The C ABI of small-cell suppression (include/gdprkit/c/suppression.h):
// serialized gdprkit.v1 requests in, serialized responses out, over
// gdprkit::SuppressSerialized / AuditSerialized. Thin: argument checks,
// conversion of the format, the buffer and the status.
#include "gdprkit/suppression.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "c_api/internal/door.h"
#include "gdprkit.h"

namespace {

using namespace gdprkit::capi;  // NOLINT(build/namespaces): the C ABI's helpers

bool ToFormat(int format, gdprkit::MessageFormat* out) {
  switch (format) {
    case GDPRKIT_SUPPRESSION_FORMAT_BINARY:
      *out = gdprkit::MessageFormat::kBinary;
      return true;
    case GDPRKIT_SUPPRESSION_FORMAT_JSON:
      *out = gdprkit::MessageFormat::kJson;
      return true;
    case GDPRKIT_SUPPRESSION_FORMAT_TEXT:
      *out = gdprkit::MessageFormat::kText;
      return true;
    default:
      return false;
  }
}

using Door = absl::StatusOr<std::string> (*)(std::string_view, gdprkit::MessageFormat,
                                             const gdprkit::ProgressFn&);

// The shared body of gdprkit_suppression_run and gdprkit_suppression_audit
// (with or without options).
gdprkit_status Run(const char* fn, Door door, char** out, size_t* out_len, const char* request,
                   size_t request_len, int format, const gdprkit_suppression_options* options) {
  return Guard(fn, [&]() -> gdprkit_status {
    if (out != nullptr) *out = nullptr;
    if (out_len != nullptr) *out_len = 0;
    if (out == nullptr) return NullArgument(fn, "out");
    if (out_len == nullptr) return NullArgument(fn, "out_len");
    if (gdprkit_status s = CheckArray(fn, "request", request, request_len, "request_len");
        s != GDPRKIT_OK) {
      return s;
    }
    gdprkit::MessageFormat f;
    if (!ToFormat(format, &f)) {
      return Fail(GDPRKIT_INVALID_ARGUMENT,
                  std::string(fn) + ": unknown format " + std::to_string(format) +
                      "; use GDPRKIT_SUPPRESSION_FORMAT_BINARY (0), "
                      "GDPRKIT_SUPPRESSION_FORMAT_JSON (1) or GDPRKIT_SUPPRESSION_FORMAT_TEXT (2)");
    }
    gdprkit::ProgressFn progress;
    if (options != nullptr) {
      if (options->version != GDPRKIT_SUPPRESSION_OPTIONS_VERSION) {
        return BadVersion(fn, "gdprkit_suppression_options", options->version,
                          GDPRKIT_SUPPRESSION_OPTIONS_VERSION);
      }
      progress = ProgressFromC(options->progress, options->progress_context);
    }
    const std::string_view in =
        request_len == 0 ? std::string_view() : std::string_view(request, request_len);
    absl::StatusOr<std::string> response = door(in, f, progress);
    if (!response.ok()) return FromCore(fn, response.status());
    char* buffer = static_cast<char*>(std::malloc(response->size() + 1));
    if (buffer == nullptr) return FailNoAlloc(GDPRKIT_RESOURCE_EXHAUSTED, fn, "out of memory");
    if (!response->empty()) std::memcpy(buffer, response->data(), response->size());
    buffer[response->size()] = '\0';
    *out = buffer;
    *out_len = response->size();
    return GDPRKIT_OK;
  });
}

absl::StatusOr<std::string> SuppressDoor(std::string_view in, gdprkit::MessageFormat f,
                                         const gdprkit::ProgressFn& progress) {
  return gdprkit::SuppressSerialized(in, f, progress);
}

absl::StatusOr<std::string> AuditDoor(std::string_view in, gdprkit::MessageFormat f,
                                      const gdprkit::ProgressFn& progress) {
  return gdprkit::AuditSerialized(in, f, progress);
}

}  // namespace

extern "C" {

gdprkit_status gdprkit_suppression_run(char** out, size_t* out_len, const char* request,
                                       size_t request_len, int format) {
  return Run("gdprkit_suppression_run", &SuppressDoor, out, out_len, request, request_len, format,
             nullptr);
}

gdprkit_status gdprkit_suppression_run_with_options(char** out, size_t* out_len,
                                                    const char* request, size_t request_len,
                                                    int format,
                                                    const gdprkit_suppression_options* options) {
  return Run("gdprkit_suppression_run_with_options", &SuppressDoor, out, out_len, request,
             request_len, format, options);
}

gdprkit_status gdprkit_suppression_audit(char** out, size_t* out_len, const char* request,
                                         size_t request_len, int format) {
  return Run("gdprkit_suppression_audit", &AuditDoor, out, out_len, request, request_len, format,
             nullptr);
}

gdprkit_status gdprkit_suppression_audit_with_options(char** out, size_t* out_len,
                                                      const char* request, size_t request_len,
                                                      int format,
                                                      const gdprkit_suppression_options* options) {
  return Run("gdprkit_suppression_audit_with_options", &AuditDoor, out, out_len, request,
             request_len, format, options);
}

const char* gdprkit_suppression_published_title(int suppressed, int language) {
  if (suppressed < 0 || suppressed > 1 || gdprkit_language_name(language) == nullptr) return "";
  return gdprkit::PublishedStatusTitle(static_cast<gdprkit::PublishedStatus>(suppressed),
                                       static_cast<gdprkit::Language>(language))
      .data();
}

const char* gdprkit_suppression_status_title(int status, int language) {
  if (status < 0 || status > 2 || gdprkit_language_name(language) == nullptr) return "";
  return gdprkit::CellStatusTitle(static_cast<gdprkit::CellStatus>(status),
                                  static_cast<gdprkit::Language>(language))
      .data();
}

const char* gdprkit_suppression_reason_title(int reason, int language) {
  if (gdprkit_language_name(language) == nullptr) return "";
  for (std::string_view name : gdprkit::PrimaryReasonNames()) {
    const gdprkit::PrimaryReason r = *gdprkit::ParsePrimaryReason(name);
    if (static_cast<int>(r) == reason) {
      return gdprkit::PrimaryReasonTitle(r, static_cast<gdprkit::Language>(language)).data();
    }
  }
  return "";
}

void gdprkit_suppression_bytes_free(char* bytes) { std::free(bytes); }

// The function forms of the _INIT macros (for FFI).
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_suppression_options, GDPRKIT_SUPPRESSION_OPTIONS_INIT)

}  // extern "C"
