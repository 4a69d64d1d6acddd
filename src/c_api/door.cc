// What every part of the C door shares (internal/door.h): the thread's last
// error, the one translation of a core status, the argument checks, and the
// entry points that belong to no area (versions, status names, the last
// error).
#include "c_api/internal/door.h"

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "common/status_names.h"
#include "gdprkit.h"
#include "gdprkit/common.h"

namespace {

// The calling thread's last error. t_message holds what t_message_ptr points
// at, unless recording it ran out of memory, when t_fallback holds a
// truncated copy.
thread_local std::string t_message;
thread_local char t_fallback[256];
thread_local const char* t_message_ptr = "";

}  // namespace

namespace gdprkit::capi {

void ClearError() noexcept { t_message_ptr = ""; }

gdprkit_status Fail(gdprkit_status code, std::string_view message) noexcept {
  try {
    t_message.assign(message.data(), message.size());
    t_message_ptr = t_message.c_str();
  } catch (...) {
    const int n = static_cast<int>(message.size() < sizeof t_fallback - 1 ? message.size()
                                                                          : sizeof t_fallback - 1);
    std::snprintf(t_fallback, sizeof t_fallback, "%.*s", n, message.data());
    t_message_ptr = t_fallback;
  }
  return code;
}

gdprkit_status FailNoAlloc(gdprkit_status code, const char* function, const char* what) noexcept {
  std::snprintf(t_fallback, sizeof t_fallback, "%s: %s", function, what);
  t_message_ptr = t_fallback;
  return code;
}

gdprkit_status FailInternal(const char* function, const char* what) noexcept {
  std::snprintf(t_fallback, sizeof t_fallback, "%s: internal error: %s", function, what);
  t_message_ptr = t_fallback;
  return GDPRKIT_INTERNAL;
}

gdprkit_status FromCore(const char* function, const absl::Status& status,
                        std::string_view context) {
  if (status.ok()) return GDPRKIT_OK;
  std::string message(function);
  message += ": ";
  if (!context.empty()) {
    message.append(context.data(), context.size());
    message += ": ";
  }
  message.append(status.message().data(), status.message().size());
  return Fail(static_cast<gdprkit_status>(status.code()), message);
}

gdprkit_status NullArgument(const char* function, const char* argument) {
  return Fail(GDPRKIT_INVALID_ARGUMENT,
              std::string(function) + ": argument " + argument + " is NULL");
}

gdprkit_status BadVersion(const char* function, const char* type, unsigned int got,
                          unsigned int want) {
  return Fail(GDPRKIT_INVALID_ARGUMENT,
              std::string(function) + ": " + type + ".version is " + std::to_string(got) +
                  "; this library supports version " + std::to_string(want) + InitHint(type));
}

std::string InitHint(std::string_view type) {
  const std::string outer(type.substr(0, type.find('.')));
  std::string macro = outer;
  for (char& c : macro) c = absl::ascii_toupper(static_cast<unsigned char>(c));
  return " (initialise the struct with " + macro + "_INIT, or " + outer + "_init(&s, " + macro +
         "_VERSION) where C macros cannot be used)";
}

gdprkit_status InitStruct(const char* function, unsigned int version, unsigned int current,
                          bool out_is_null) {
  ClearError();
  if (out_is_null) return NullArgument(function, "out");
  if (version == current) return GDPRKIT_OK;
  return Fail(GDPRKIT_INVALID_ARGUMENT,
              std::string(function) + ": version " + std::to_string(version) +
                  " is not one this library initialises; it knows " + std::to_string(current));
}

gdprkit_status OutOfRange(const char* function, std::size_t index, std::size_t count) {
  return Fail(GDPRKIT_OUT_OF_RANGE, std::string(function) + ": index " + std::to_string(index) +
                                        " is out of range; there are " + std::to_string(count));
}

gdprkit_status CheckCount(const char* function, const char* count_name, std::size_t count,
                          std::size_t max_count) {
  if (count <= max_count) return GDPRKIT_OK;
  return Fail(GDPRKIT_INVALID_ARGUMENT, std::string(function) + ": " + count_name + " is " +
                                            std::to_string(count) + ", above the limit of " +
                                            std::to_string(max_count));
}

gdprkit_status CheckNotNull(const char* function, const char* name, const void* data,
                            std::size_t count, const char* count_name) {
  if (data != nullptr || count == 0) return GDPRKIT_OK;
  const bool field = std::strchr(name, '.') != nullptr;
  return Fail(GDPRKIT_INVALID_ARGUMENT, std::string(function) + ": " + (field ? "" : "argument ") +
                                            name + " is NULL but " + count_name + " is " +
                                            std::to_string(count));
}

gdprkit::ProgressFn ProgressFromC(gdprkit_progress_fn fn, void* context) {
  if (fn == nullptr) return {};
  return [fn, context](const gdprkit::Progress& p) {
    // Stage names are static literals (gdprkit/common.h), NUL-terminated.
    return fn(context, p.stage.data(), p.done, p.total) == 0;
  };
}

std::vector<const char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<const char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings) out.push_back(s.c_str());
  out.push_back(nullptr);
  return out;
}

gdprkit_status WriteText(const char* function, char* out, std::size_t out_size,
                         std::string_view text) {
  if (text.size() + 1 > out_size) {
    return Fail(GDPRKIT_INVALID_ARGUMENT,
                std::string(function) + ": out_size " + std::to_string(out_size) +
                    " is too small; " + std::to_string(text.size() + 1) + " bytes are needed");
  }
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return GDPRKIT_OK;
}

gdprkit_status LogOptionsFromC(const char* function, const gdprkit_deletion_log_options* options,
                               gdprkit::DeletionLogOptions* out) {
  if (options == nullptr) return GDPRKIT_OK;
  if (options->version != GDPRKIT_DELETION_LOG_OPTIONS_VERSION) {
    return BadVersion(function, "gdprkit_deletion_log_options", options->version,
                      GDPRKIT_DELETION_LOG_OPTIONS_VERSION);
  }
  if (gdprkit_status s =
          CheckArray(function, "options.key", options->key, options->key_size, "options.key_size");
      s != GDPRKIT_OK) {
    return s;
  }
  if (options->key != nullptr) {
    out->key = std::string_view(reinterpret_cast<const char*>(options->key), options->key_size);
  }
  out->sync = options->sync != 0;
  return GDPRKIT_OK;
}

}  // namespace gdprkit::capi

// ---- Versions and errors ----------------------------------------------------

extern "C" {

const char* gdprkit_version(void) { return GDPRKIT_VERSION; }

int gdprkit_abi_version(void) { return GDPRKIT_ABI_VERSION; }

const char* gdprkit_status_name(gdprkit_status code) {
  // The core's names are static string literals, NUL-terminated.
  const std::string_view name = gdprkit::internal::StatusCodeName(code);
  return name.empty() ? "UNKNOWN_CODE" : name.data();
}

const char* gdprkit_last_error(void) { return t_message_ptr; }

// The core's names are static literals, hence NUL-terminated.
const char* gdprkit_language_name(int language) {
  if (language < 0 || language > GDPRKIT_LANGUAGE_DA) return nullptr;
  return gdprkit::LanguageName(static_cast<gdprkit::Language>(language)).data();
}

const char* gdprkit_errors_name(int errors) {
  if (errors < 0 || errors > GDPRKIT_ERRORS_COERCE) return nullptr;
  return gdprkit::ErrorModeName(static_cast<gdprkit::ErrorMode>(errors)).data();
}

gdprkit_status gdprkit_language_parse(const char* name, int* out) {
  return gdprkit::capi::Guard("gdprkit_language_parse", [&]() -> gdprkit_status {
    return gdprkit::capi::ParseName("gdprkit_language_parse", name, out, gdprkit::ParseLanguage);
  });
}

gdprkit_status gdprkit_errors_parse(const char* name, int* out) {
  return gdprkit::capi::Guard("gdprkit_errors_parse", [&]() -> gdprkit_status {
    return gdprkit::capi::ParseName("gdprkit_errors_parse", name, out, gdprkit::ParseErrorMode);
  });
}

}  // extern "C"
