// File and CSV input shared by the command families (retention sweep,
// suppress, the vault and id commands): whole files with a size limit, and
// RFC 4180 CSV with line numbers for error messages. Every CSV the tool reads
// goes through ReadCsv, so that all commands treat a byte-order mark, the
// delimiter, quoting and ragged rows alike.
#ifndef GDPRKIT_TOOLS_CLI_CSV_H_
#define GDPRKIT_TOOLS_CLI_CSV_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "cli.h"

namespace gdprkit::cli {

// Reads a whole file; "-" is standard input. NotFound / PermissionDenied when
// it cannot be opened, InvalidArgument for a directory, ResourceExhausted
// beyond `limit` bytes.
absl::StatusOr<std::string> ReadFileArg(const std::string& path, std::size_t limit);

// Removes a UTF-8 byte-order mark (EF BB BF, which Excel and Notepad put at
// the start of "UTF-8" files) from the start of `text`; true when there was
// one.
bool StripBom(std::string_view* text);

struct CsvRecord {
  int line = 0;  // line where the record starts
  std::vector<std::string> fields;
};

// Delimiter of ReadCsv: detect it from the header line.
constexpr char kDetectDelimiter = '\0';

struct CsvOptions {
  // ',', ';' or '\t'; kDetectDelimiter (the default): whichever of the three
  // occurs most often outside quotes on the first line (the header), comma on
  // a tie or when none does. Danish Excel writes ';'.
  char delimiter = kDetectDelimiter;
  // Every record must have as many fields as the first (the header): a
  // ragged row is an error naming the file, the line and both counts.
  bool rectangular = true;
};

struct CsvTable {
  std::vector<CsvRecord> records;  // records[0] is the header
  char delimiter = ',';            // the one used (given or detected)
  bool bom = false;                // the text started with a byte-order mark
};

// RFC 4180 with the delimiter of `options`: fields optionally quoted ("" is a
// quote; quoted fields may hold the delimiter and line breaks), records
// ending in LF or CRLF. A UTF-8 byte-order mark is skipped. Blank lines are
// skipped, except in a file whose header has a single field, where a blank
// line is a record with one empty field (a missing value, as in a plain list
// of values). Errors name `name` and the line, never the content of a field:
// a quote inside an unquoted field, text after a closing quote, an unclosed
// quote, a ragged row.
absl::StatusOr<CsvTable> ReadCsv(std::string_view text, const std::string& name,
                                 const CsvOptions& options);

// ReadCsv's records with the default options (detected delimiter, ragged rows
// refused).
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(std::string_view text, const std::string& name);

// --delimiter: the option of every command that reads CSV, and its value as a
// CsvOptions::delimiter ("auto" and an absent option: kDetectDelimiter).
OptionSpec DelimiterOption();
char DelimiterArg(const Invocation& inv);
// "comma", "semicolon" or "tab", for messages.
std::string_view DelimiterName(char delimiter);

// A CSV field and row (RFC 4180) with `delimiter`: a field is quoted when it
// holds the delimiter, a quote or a line break. Output in the input's
// delimiter keeps a file Danish Excel opens as it was.
std::string CsvFieldWith(std::string_view s, char delimiter);
std::string CsvRowWith(const std::vector<std::string>& fields, char delimiter);

}  // namespace gdprkit::cli

#endif  // GDPRKIT_TOOLS_CLI_CSV_H_
