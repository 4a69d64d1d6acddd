// A small JSON scanner for policy files: checks the syntax with line and
// column in its errors and records the line of every field path, so that
// findings on JSON policies can name a line as they do for text format.
// protobuf's JSON parser does the schema work afterwards.
#ifndef GDPRKIT_SRC_POLICY_INTERNAL_JSON_LINES_H_
#define GDPRKIT_SRC_POLICY_INTERNAL_JSON_LINES_H_

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace gdprkit::internal {

using FieldLines = std::map<std::string, int, std::less<>>;

// Paths use proto field names ("dataSubjects" -> "data_subjects") and
// indexes: "purposes[2].basis[1]". Errors: InvalidArgument
// "<name>:<line>:<column>: <what>"; nesting deeper than 64 levels is refused.
absl::StatusOr<FieldLines> ScanJsonLines(std::string_view text, std::string_view name);

// A "line N: " prefix for a protobuf JSON error that names a field the scan
// saw, or "" when it names none.
std::string LocateJsonError(const std::string& message, const FieldLines& lines);

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_POLICY_INTERNAL_JSON_LINES_H_
