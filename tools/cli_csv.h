// File and CSV input shared by the command families (retention sweep,
// suppress): whole files with a size limit, and RFC 4180 CSV with line
// numbers for error messages.
#ifndef GDPRKIT_TOOLS_CLI_CSV_H_
#define GDPRKIT_TOOLS_CLI_CSV_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gdprkit::cli {

// Reads a whole file; "-" is standard input. NotFound / PermissionDenied when
// it cannot be opened, ResourceExhausted beyond `limit` bytes.
absl::StatusOr<std::string> ReadFileArg(const std::string& path, std::size_t limit);

struct CsvRecord {
  int line = 0;  // line where the record starts
  std::vector<std::string> fields;
};

// RFC 4180: fields separated by commas, optionally quoted ("" is a quote,
// quoted fields may hold commas and line breaks), records ending in LF or
// CRLF. A UTF-8 byte-order mark is skipped, and so are blank lines. A quote
// inside an unquoted field, text after a closing quote and an unclosed quote
// are errors naming `name` and the line.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(std::string_view text, const std::string& name);

}  // namespace gdprkit::cli

#endif  // GDPRKIT_TOOLS_CLI_CSV_H_
