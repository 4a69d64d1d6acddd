// The names of the status codes (absl::StatusCode, also the C ABI's
// gdprkit_status and the code names of Python's gdprkit.Error classes):
// "OK", "INVALID_ARGUMENT", "NOT_FOUND", ... Not installed.
#ifndef GDPRKIT_SRC_COMMON_STATUS_NAMES_H_
#define GDPRKIT_SRC_COMMON_STATUS_NAMES_H_

#include <string_view>
#include <vector>

namespace gdprkit::internal {

// The name of status code `code` (a static, NUL-terminated string), or ""
// for a number that is no status code.
std::string_view StatusCodeName(int code);

// Every status code's name, in the order of the codes (0 ... 16).
std::vector<std::string_view> StatusCodeNames();

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_COMMON_STATUS_NAMES_H_
