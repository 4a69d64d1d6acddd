#include "cli_csv.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/status/status.h"
#include "cli.h"

namespace gdprkit::cli {

// Reads a whole file; "-" is standard input.
absl::StatusOr<std::string> ReadFileArg(const std::string& path, std::size_t limit) {
  std::string data;
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    const std::string msg = Str("cannot open ", Plain(path), ": ", std::strerror(err));
    return err == ENOENT ? absl::NotFoundError(msg) : absl::PermissionDeniedError(msg);
  }
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    data.append(buf, n);
    if (data.size() > limit) {
      if (f != stdin) std::fclose(f);
      return absl::ResourceExhaustedError(Str(Plain(path), " is larger than ", limit, " bytes"));
    }
  }
  const bool failed = std::ferror(f) != 0;
  if (f != stdin) std::fclose(f);
  if (failed) return absl::InternalError(Str("cannot read ", Plain(path)));
  return data;
}

// ---------------------------------------------------------------------------
// CSV (RFC 4180): fields separated by commas, optionally quoted ("" is a
// quote), records ending in LF or CRLF. A UTF-8 byte-order mark is skipped.
// ---------------------------------------------------------------------------

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(std::string_view text, const std::string& name) {
  std::vector<CsvRecord> records;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t i = 0;
  int line = 1;
  while (i < text.size()) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool end_of_record = false;
    while (!end_of_record) {
      field.clear();
      if (i < text.size() && text[i] == '"') {
        ++i;
        const int start_line = line;
        for (;;) {
          if (i >= text.size()) {
            return absl::InvalidArgumentError(
                Str(Plain(name), ":", start_line, ": a quoted field is not closed"));
          }
          const char c = text[i++];
          if (c == '"') {
            if (i < text.size() && text[i] == '"') {
              field.push_back('"');
              ++i;
              continue;
            }
            break;
          }
          if (c == '\n') ++line;
          field.push_back(c);
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          return absl::InvalidArgumentError(
              Str(Plain(name), ":", line, ": unexpected text after a quoted field"));
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') {
            return absl::InvalidArgumentError(
                Str(Plain(name), ":", line, ": a quote inside an unquoted field"));
          }
          field.push_back(text[i++]);
        }
      }
      rec.fields.push_back(field);
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == '\r') ++i;
      if (i < text.size() && text[i] == '\n') ++i;
      ++line;
      end_of_record = true;
    }
    // Blank lines are skipped.
    if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;
    records.push_back(std::move(rec));
  }
  return records;
}

}  // namespace gdprkit::cli
