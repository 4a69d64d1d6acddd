// The `id scan` command: identifiers in free text (gdprkit/scan.h).
//
//   gdprkit id scan [--kind K,...] [--column NAME] [--as-of DATE] [FILE]
//       counts per kind, and the line of each row with a finding (never a
//       value); exit 1 when anything is found
//   gdprkit id scan --redact [...] [FILE]
//       the text (or the CSV, with the column redacted) with each identifier
//       replaced by its marker ([CPR], ...), on standard output; the counts
//       go to standard error
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "cli.h"
#include "cli_csv.h"
#include "common/text.h"
#include "gdprkit/identifiers.h"
#include "gdprkit/retention.h"
#include "gdprkit/scan.h"

namespace gdprkit::cli {
namespace {

constexpr std::size_t kMaxScanInput = std::size_t{4} << 30;  // 4 GiB

// The rows of the input: each line of a text file, or one column of a CSV
// file (--column NAME or a 1-based number), with the line each starts on.
struct Rows {
  std::string name;  // the file, or <stdin>
  std::string data;
  CsvTable csv;
  std::size_t column = 0;
  bool is_csv = false;
  std::vector<std::string_view> texts;
  std::vector<int> lines;
};

absl::Status ReadRows(const Invocation& inv, Rows* r) {
  const std::string path = inv.operands.empty() ? std::string("-") : inv.operands[0];
  r->name = path == "-" ? std::string("<stdin>") : path;
  absl::StatusOr<std::string> data = ReadFileArg(path, kMaxScanInput);
  if (!data.ok()) return data.status();
  r->data = std::move(*data);
  if (!inv.Has("--column")) {
    std::string_view text(r->data);
    StripBom(&text);
    int line = 1;
    while (!text.empty()) {
      const std::size_t nl = text.find('\n');
      std::string_view row = text.substr(0, nl);
      if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
      r->texts.push_back(row);
      r->lines.push_back(line++);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
    return absl::OkStatus();
  }
  CsvOptions options;
  options.delimiter = DelimiterArg(inv);
  absl::StatusOr<CsvTable> csv = ReadCsv(r->data, r->name, options);
  if (!csv.ok()) return csv.status();
  r->csv = std::move(*csv);
  r->is_csv = true;
  if (r->csv.records.empty()) return absl::InvalidArgumentError(Str(r->name, ": no CSV header"));
  const std::string want = inv.Get("--column");
  const std::vector<std::string>& header = r->csv.records[0].fields;
  std::size_t found = header.size();
  for (std::size_t j = 0; j < header.size() && found == header.size(); ++j) {
    if (header[j] == want) found = j;
  }
  if (found == header.size()) {
    return absl::InvalidArgumentError(Str(r->name, ": no column ", internal::QuoteUntrusted(want),
                                          " in the CSV header (", header.size(), " columns)"));
  }
  r->column = found;
  for (std::size_t i = 1; i < r->csv.records.size(); ++i) {
    r->texts.push_back(r->csv.records[i].fields[found]);
    r->lines.push_back(r->csv.records[i].line);
  }
  return absl::OkStatus();
}

absl::StatusOr<ScanOptions> ScanOptionsArg(const Invocation& inv) {
  ScanOptions o;
  if (inv.Has("--kind")) {
    const std::string list = inv.Get("--kind");
    for (std::string_view rest = list; !rest.empty();) {
      const std::size_t comma = rest.find(',');
      absl::StatusOr<IdKind> kind = IdKindFromName(rest.substr(0, comma));
      if (!kind.ok()) return absl::InvalidArgumentError(Str("--kind: ", MessageOf(kind.status())));
      o.kinds.Add(*kind);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  if (inv.Has("--as-of")) {
    absl::StatusOr<DayNumber> day = ParseDateTime(inv.Get("--as-of"), kDefaultTimeZone);
    if (!day.ok()) return absl::InvalidArgumentError(Str("--as-of: ", MessageOf(day.status())));
    const CivilDate d = CivilFromDays(*day);
    o.as_of = IdDate{d.year, d.month, d.day};
  }
  o.require_modulus11 = inv.Has("--require-modulus11");
  return o;
}

int Fail(const absl::Status& s) {
  PrintError(MessageOf(s));
  return s.code() == absl::StatusCode::kInternal ? kExitInternal : kExitUsage;
}

// "cpr 2, cvr 1" for the kinds scanned for.
std::string CountsText(const IdScanner& scanner, const ScanCounts& c, std::size_t row,
                       bool totals) {
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < kNumScanKinds; ++k) {
    if (!scanner.kinds().Has(kScanKinds[k])) continue;
    const std::uint64_t n = totals ? c.totals[k] : c.data[k * c.rows + row];
    if (totals || n != 0) parts.push_back(Str(IdKindName(kScanKinds[k]), " ", n));
  }
  return Join(parts, ", ");
}

int RunIdScan(const Invocation& inv) {
  absl::StatusOr<ScanOptions> options = ScanOptionsArg(inv);
  if (!options.ok()) return Fail(options.status());
  absl::StatusOr<IdScanner> scanner = IdScanner::Create(*options);
  if (!scanner.ok()) return Fail(scanner.status());
  Rows r;
  if (absl::Status s = ReadRows(inv, &r); !s.ok()) return Fail(s);
  StringColumn redacted;
  ScanCounts counts;
  if (absl::Status s = RedactTexts(r.texts, *options, &redacted, &counts); !s.ok()) return Fail(s);
  const bool any = counts.rows_with_findings > 0;
  const std::string summary =
      Str(Plain(r.name), ": ", counts.rows, r.is_csv ? " rows" : " lines", ", ",
          counts.rows_with_findings, " with identifiers: ", CountsText(*scanner, counts, 0, true),
          "\n");
  Output o;
  if (inv.Has("--redact")) {
    if (r.is_csv) {
      for (std::size_t i = 0; i < r.csv.records.size(); ++i) {
        std::vector<std::string> fields = r.csv.records[i].fields;
        if (i > 0) fields[r.column] = std::string(redacted[i - 1]);
        o.Put(CsvRowWith(fields, r.csv.delimiter));
      }
    } else {
      for (std::size_t i = 0; i < redacted.size(); ++i) o.Cat(redacted[i], "\n");
    }
    std::fputs(Str("gdprkit: ", summary).c_str(), stderr);
  } else if (inv.OutputFormat() == Format::kJson) {
    o.Cat("{\"file\": ", JsonString(r.name), ", \"rows\": ", counts.rows,
          ", \"rows_with_findings\": ", counts.rows_with_findings, ", \"totals\": {");
    bool first = true;
    for (std::size_t k = 0; k < kNumScanKinds; ++k) {
      if (!scanner->kinds().Has(kScanKinds[k])) continue;
      o.Cat(first ? "" : ", ", JsonString(IdKindName(kScanKinds[k])), ": ", counts.totals[k]);
      first = false;
    }
    o.Put("}, \"findings\": [");
    first = true;
    for (std::size_t i = 0; i < counts.rows; ++i) {
      std::string kinds;
      for (std::size_t k = 0; k < kNumScanKinds; ++k) {
        const std::uint32_t n = counts.data[k * counts.rows + i];
        if (n != 0)
          Append(&kinds, kinds.empty() ? "" : ", ", JsonString(IdKindName(kScanKinds[k])), ": ", n);
      }
      if (kinds.empty()) continue;
      o.Cat(first ? "\n  " : ",\n  ", "{\"line\": ", r.lines[i], ", ", kinds, "}");
      first = false;
    }
    o.Put(first ? "]}\n" : "\n]}\n");
  } else {
    for (std::size_t i = 0; i < counts.rows; ++i) {
      const std::string row = CountsText(*scanner, counts, i, false);
      if (!row.empty()) o.Cat(Plain(r.name), ":", r.lines[i], ": ", row, "\n");
    }
    o.Put(summary);
  }
  redacted.SecureClear();
  if (!o.FlushTo(stdout)) {
    PrintError("cannot write to standard output");
    return kExitUsage;
  }
  return any ? kExitFindings : kExitOk;
}

}  // namespace

std::vector<Command> ScanCommands() {
  static const std::string kind_help =
      Str("kinds to look for, comma-separated: cpr, cvr, gln, provider_number, sor (default: ",
          "all but sor)");
  return {
      {"id",
       "scan",
       "[FILE]",
       0,
       1,
       "Find CPR, CVR, GLN and provider numbers in free text; print counts, never values",
       "Reads FILE or standard input: each line is a row, or with --column NAME one column of a\n"
       "CSV file. Prints file:line and the count of each kind for every row with a finding,\n"
       "then the totals; exits 1 when anything is found. A CPR-shaped number whose first six\n"
       "digits are no date is not an identifier; provider numbers count only after a cue word\n"
       "(\"ydernr.\"). With --redact, writes the text (or the CSV) with each identifier replaced\n"
       "by [CPR], [CVR], [GLN], [YDERNR] or [SOR], and the counts to standard error.",
       {{"--kind", "KINDS", {}, kind_help},
        {"--column", "NAME", {}, "scan this column of a CSV file (header name)"},
        DelimiterOption(),
        {"--as-of", "DATE", {}, "judge CPR birth dates on this date (default today in Denmark)"},
        {"--require-modulus11", "", {}, "count only CPR numbers that pass modulus 11"},
        {"--redact", "", {}, "write the redacted text instead of the counts"},
        {"--format", "FORMAT", {"text", "json"}, "output format of the counts: text or json"}},
       RunIdScan},
  };
}

}  // namespace gdprkit::cli
