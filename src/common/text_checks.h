// Input checks shared by every parser: reading bounded files, refusing
// binary input with a message that says where.
#ifndef GDPRKIT_SRC_COMMON_TEXT_CHECKS_H_
#define GDPRKIT_SRC_COMMON_TEXT_CHECKS_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gdprkit::internal {

// OK when `text` is non-empty (not only white space), valid UTF-8 and free of
// NUL bytes; otherwise InvalidArgument naming `name`, line and column.
absl::Status CheckIsText(absl::string_view text, absl::string_view name);

// Reads a whole regular file of at most `limit` bytes. `what` names the kind
// of file in messages ("policy", "records"). Errors: NotFound,
// PermissionDenied, InvalidArgument (a directory), ResourceExhausted (too big),
// Internal (read error).
absl::StatusOr<std::string> ReadSmallFile(const std::string& path, std::size_t limit,
                                          absl::string_view what);

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_COMMON_TEXT_CHECKS_H_
