#include "cli_csv.h"

#include <sys/stat.h>

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
  // fopen opens a directory for reading; only the first read fails.
  struct stat st {};
  if (f != stdin && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    std::fclose(f);
    return absl::InvalidArgumentError(Str(Plain(path), " is a directory, not a file"));
  }
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    data.append(buf, n);
    if (data.size() > limit) {
      if (f != stdin) std::fclose(f);
      return absl::ResourceExhaustedError(
          Str(path == "-" ? "<stdin>" : Plain(path), " is larger than ", limit, " bytes"));
    }
  }
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  if (f != stdin) std::fclose(f);
  if (failed) {
    return absl::DataLossError(
        Str("cannot read ", path == "-" ? "<stdin>" : Plain(path), ": ", std::strerror(err)));
  }
  return data;
}

bool StripBom(std::string_view* text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text->substr(0, kBom.size()) != kBom) return false;
  text->remove_prefix(kBom.size());
  return true;
}

// ---------------------------------------------------------------------------
// CSV (RFC 4180) with a given or detected delimiter.
// ---------------------------------------------------------------------------

namespace {

bool IsDelimiterChoice(char c) { return c == ',' || c == ';' || c == '\t'; }

// The delimiter of the record starting at `i`: the most frequent of comma,
// semicolon and tab outside quotes up to the end of the record; comma on a
// tie or when there is none.
char DetectDelimiter(std::string_view text, std::size_t i) {
  std::size_t comma = 0, semicolon = 0, tab = 0;
  bool quoted = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;  // "" inside quotes toggles twice: no change
    } else if (quoted) {
      continue;
    } else if (c == '\n' || c == '\r') {
      break;
    } else if (c == ',') {
      ++comma;
    } else if (c == ';') {
      ++semicolon;
    } else if (c == '\t') {
      ++tab;
    }
  }
  if (semicolon > comma && semicolon >= tab) return ';';
  if (tab > comma && tab > semicolon) return '\t';
  return ',';
}

std::string Fields(std::size_t n) { return Str(n, n == 1 ? " field" : " fields"); }

}  // namespace

std::string_view DelimiterName(char delimiter) {
  switch (delimiter) {
    case ';':
      return "semicolon";
    case '\t':
      return "tab";
    default:
      return "comma";
  }
}

absl::StatusOr<CsvTable> ReadCsv(std::string_view text, const std::string& name,
                                 const CsvOptions& options) {
  CsvTable table;
  table.bom = StripBom(&text);
  std::size_t i = 0;
  int line = 1;
  // Blank lines before the header.
  while (i < text.size() && (text[i] == '\n' || text[i] == '\r')) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
    }
    ++i;
  }
  char delim = options.delimiter;
  if (delim == kDetectDelimiter) delim = DetectDelimiter(text, i);
  if (!IsDelimiterChoice(delim)) {
    return absl::InvalidArgumentError(Str("unsupported CSV delimiter for ", Plain(name)));
  }
  table.delimiter = delim;
  const auto at = [&](int l) { return Str(Plain(name), ":", l, ": "); };
  while (i < text.size()) {
    CsvRecord rec;
    rec.line = line;
    const std::size_t start = i;
    std::string field;
    bool end_of_record = false;
    while (!end_of_record) {
      field.clear();
      if (i < text.size() && text[i] == '"') {
        ++i;
        const int start_line = line;
        for (;;) {
          if (i >= text.size()) {
            return absl::InvalidArgumentError(Str(at(start_line), "a quoted field is not closed"));
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
        if (i < text.size() && text[i] != delim && text[i] != '\n' && text[i] != '\r') {
          return absl::InvalidArgumentError(Str(at(line), "unexpected text after a quoted field"));
        }
      } else {
        while (i < text.size() && text[i] != delim && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') {
            return absl::InvalidArgumentError(Str(at(line), "a quote inside an unquoted field"));
          }
          field.push_back(text[i++]);
        }
      }
      rec.fields.push_back(field);
      if (i < text.size() && text[i] == delim) {
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == '\r') ++i;
      if (i < text.size() && text[i] == '\n') ++i;
      ++line;
      end_of_record = true;
    }
    const bool blank = rec.fields.size() == 1 && rec.fields[0].empty() &&
                       (start >= text.size() || text[start] == '\n' || text[start] == '\r');
    if (table.records.empty()) {
      table.records.push_back(std::move(rec));  // the header (never blank: skipped above)
      continue;
    }
    const std::size_t width = table.records.front().fields.size();
    if (blank && width != 1) continue;  // a blank line; in a one-column file, a missing value
    if (options.rectangular && rec.fields.size() != width) {
      return absl::InvalidArgumentError(Str(at(rec.line), Fields(rec.fields.size()),
                                            "; the header has ", width, " (", DelimiterName(delim),
                                            "-separated)"));
    }
    table.records.push_back(std::move(rec));
  }
  return table;
}

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(std::string_view text, const std::string& name) {
  absl::StatusOr<CsvTable> table = ReadCsv(text, name, CsvOptions());
  if (!table.ok()) return table.status();
  return std::move(table->records);
}

OptionSpec DelimiterOption() {
  return {"--delimiter",
          "CHAR",
          {"auto", "comma", "semicolon", "tab", ",", ";"},
          "CSV field separator: auto (default: detected from the header line), comma, "
          "semicolon or tab"};
}

char DelimiterArg(const Invocation& inv) {
  const std::string d = inv.Get("--delimiter", "auto");
  if (d == "comma" || d == ",") return ',';
  if (d == "semicolon" || d == ";") return ';';
  if (d == "tab" || d == "\t") return '\t';
  return kDetectDelimiter;
}

std::string CsvFieldWith(std::string_view s, char delimiter) {
  const char special[] = {delimiter, '"', '\r', '\n', '\0'};
  if (s.find_first_of(special) == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CsvRowWith(const std::vector<std::string>& fields, char delimiter) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(delimiter);
    out += CsvFieldWith(fields[i], delimiter);
  }
  out += "\r\n";
  return out;
}

std::string CsvRow(const std::vector<std::string>& fields) { return CsvRowWith(fields, ','); }

}  // namespace gdprkit::cli
