// `gdprkit suppress`: small-cell suppression of CSV tables and its audit.
//
//   gdprkit suppress FILE.csv --dims a,b --value n [--threshold 5]
//       [--hierarchy dim=FILE[,dim=FILE]] [--total CODE] [--method M]
//       [--cost cells|value] [--missing-zero] [--time-limit S] [--audit]
//       [--check COLUMN] [--delimiter auto|comma|semicolon|tab] [--format text|json|csv]
//
// CSV input (the table, .csv hierarchies) is read by tools/cli_csv.h: a
// byte-order mark is skipped, the delimiter is detected from the first line
// (or given by --delimiter for the table), ragged rows are errors.
//
// FILE.csv is a long-format frequency table with a header: one row per cell,
// one column per dimension, a count column; other columns are ignored. Rows
// of totals may be given (they are checked) or left out (they are computed).
// A dimension without --hierarchy is flat: its total (--total, "Total") over
// the other codes of its column. A hierarchy file is either the tau-ARGUS
// .hrc form (one code per line, each leading '@' one level deeper below the
// total) or, for a name ending in .csv, rows "code,parent" (the total with
// an empty parent; a header "code,parent" is allowed).
//
// The output is the published table: every cell with its codes, its value
// (empty / "x" where suppressed) and its status (published, primary,
// secondary); with --audit also the interval an attacker can derive for each
// suppressed cell. --check COLUMN audits the pattern given in that column
// (1/true/yes/x = suppressed) instead of computing one.
//
// Exit status: 0 every primary cell is protected; 1 --check found an
// unprotected primary cell, or a primary cell cannot be protected at all;
// 2 usage or input error (the message names FILE:LINE and the column, or the
// cell); 3 internal error. Nothing is printed on standard output on errors.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cli.h"
#include "cli_csv.h"
#include "gdprkit/suppression.h"

namespace gdprkit::cli {
namespace {

constexpr std::size_t kMaxTableBytes = std::size_t{1} << 31;
constexpr std::size_t kMaxHierarchyBytes = std::size_t{64} << 20;

using Record = CsvRecord;  // tools/cli_csv.h

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = s.find(sep, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? s.npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// A count: a finite, non-negative whole number.
bool ParseCount(const std::string& s, double* out) {
  const std::string t = Trim(s);
  if (t.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || errno == ERANGE) return false;
  *out = v;
  return true;
}

std::string Number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    return Str(static_cast<std::int64_t>(v));
  }
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string JsonNumber(double v) {
  if (!std::isfinite(v)) return "null";
  return Number(v);
}

// ---------------------------------------------------------------------------
// The table from the command line.
// ---------------------------------------------------------------------------

struct Loaded {
  TableInput input;
  std::vector<int> lines;              // CSV line of each input cell
  std::vector<bool> given_suppressed;  // --check: the pattern, per input cell
  std::vector<std::string> dim_names;
};

// Reads a hierarchy file for dimension `dim`.
absl::StatusOr<Hierarchy> ReadHierarchy(const std::string& dim, const std::string& path,
                                        const std::string& total) {
  absl::StatusOr<std::string> text = ReadFileArg(path, kMaxHierarchyBytes);
  if (!text.ok()) return text.status();
  const bool is_csv = path.size() >= 4 && (path.compare(path.size() - 4, 4, ".csv") == 0 ||
                                           path.compare(path.size() - 4, 4, ".CSV") == 0);
  absl::StatusOr<Hierarchy> h;
  if (is_csv) {
    // The first line may be the total's row ("Total,"): rows are checked
    // against 2 fields below, not against the first.
    CsvOptions csv_options;
    csv_options.rectangular = false;
    absl::StatusOr<CsvTable> csv = ReadCsv(*text, path, csv_options);
    if (!csv.ok()) return csv.status();
    const std::vector<Record>* rows = &csv->records;
    std::vector<std::pair<std::string, std::string>> pairs;
    for (std::size_t i = 0; i < rows->size(); ++i) {
      const Record& r = (*rows)[i];
      if (i == 0 && r.fields.size() == 2 && Trim(r.fields[0]) == "code" &&
          Trim(r.fields[1]) == "parent") {
        continue;
      }
      if (r.fields.size() != 2) {
        return absl::InvalidArgumentError(Str(Plain(path), ":", r.line,
                                              ": expected 2 fields "
                                              "(code,parent), found ",
                                              r.fields.size()));
      }
      pairs.emplace_back(Trim(r.fields[0]), Trim(r.fields[1]));
    }
    h = Hierarchy::FromParents(dim, pairs);
  } else {
    std::string_view hrc(*text);
    StripBom(&hrc);
    h = Hierarchy::FromIndentedText(dim, hrc, total);
  }
  if (!h.ok()) {
    return absl::InvalidArgumentError(
        Str(Plain(path), ": hierarchy of ", Plain(dim), ": ", MessageOf(h.status())));
  }
  return h;
}

bool ParseFlag(std::string s, bool* out) {
  s = Trim(s);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (s == "1" || s == "true" || s == "yes" || s == "x" || s == "suppressed") {
    *out = true;
    return true;
  }
  if (s.empty() || s == "0" || s == "false" || s == "no" || s == "published") {
    *out = false;
    return true;
  }
  return false;
}

absl::StatusOr<Loaded> LoadTable(const Invocation& inv) {
  const std::string path = inv.operands.front();
  const std::string name = path == "-" ? "<stdin>" : path;
  const std::string total = inv.Get("--total", "Total");
  Loaded out;
  out.dim_names = Split(inv.Get("--dims"), ',');
  for (std::string& d : out.dim_names) d = Trim(d);
  const std::string value = inv.Get("--value", "n");
  const std::string check = inv.Get("--check");
  {
    std::set<std::string> seen;
    for (const std::string& d : out.dim_names) {
      if (d.empty()) return absl::InvalidArgumentError("--dims: an empty column name");
      if (!seen.insert(d).second) {
        return absl::InvalidArgumentError(Str("--dims names column ", Plain(d), " twice"));
      }
    }
    if (seen.count(value) != 0) {
      return absl::InvalidArgumentError(
          Str("column ", Plain(value), " is both a dimension and the value"));
    }
  }
  std::map<std::string, std::string> hier_files;
  if (inv.Has("--hierarchy")) {
    for (const std::string& spec : Split(inv.Get("--hierarchy"), ',')) {
      const std::size_t eq = spec.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
        return absl::InvalidArgumentError(Str("--hierarchy: '", Plain(spec), "' is not DIM=FILE"));
      }
      const std::string dim = Trim(spec.substr(0, eq));
      if (std::find(out.dim_names.begin(), out.dim_names.end(), dim) == out.dim_names.end()) {
        return absl::InvalidArgumentError(
            Str("--hierarchy: ", Plain(dim), " is not one of --dims ", Plain(inv.Get("--dims"))));
      }
      if (!hier_files.emplace(dim, spec.substr(eq + 1)).second) {
        return absl::InvalidArgumentError(Str("--hierarchy names ", Plain(dim), " twice"));
      }
    }
  }

  absl::StatusOr<std::string> text = ReadFileArg(path, kMaxTableBytes);
  if (!text.ok()) return text.status();
  CsvOptions csv_options;
  csv_options.delimiter = DelimiterArg(inv);
  absl::StatusOr<CsvTable> csv = ReadCsv(*text, name, csv_options);
  if (!csv.ok()) return csv.status();
  std::vector<Record>* rows = &csv->records;
  text->clear();
  text->shrink_to_fit();
  if (rows->empty()) return absl::InvalidArgumentError(Str(Plain(name), ": the file is empty"));
  const Record& header = rows->front();
  auto column = [&](const std::string& col, const char* what) -> absl::StatusOr<std::size_t> {
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
      if (Trim(header.fields[i]) == col) return i;
    }
    std::vector<std::string> cols;
    for (const std::string& f : header.fields) cols.push_back(Plain(f));
    return absl::InvalidArgumentError(Str(Plain(name), ":1: no ", what, " column ", Plain(col),
                                          " in the header (columns: ", Join(cols, ", "), ")"));
  };
  std::vector<std::size_t> dim_cols;
  for (const std::string& d : out.dim_names) {
    absl::StatusOr<std::size_t> c = column(d, "dimension");
    if (!c.ok()) return c.status();
    dim_cols.push_back(*c);
  }
  absl::StatusOr<std::size_t> value_col = column(value, "value");
  if (!value_col.ok()) return value_col.status();
  std::size_t check_col = 0;
  if (!check.empty()) {
    absl::StatusOr<std::size_t> c = column(check, "--check");
    if (!c.ok()) return c.status();
    check_col = *c;
  }

  // Cells, checked here so that messages name the line.
  std::map<std::vector<std::string>, int> seen;
  TableInput& in = out.input;
  in.name = "table";
  in.kind = TableKind::kFrequency;
  const std::size_t nfields = header.fields.size();
  for (std::size_t r = 1; r < rows->size(); ++r) {
    Record& rec = (*rows)[r];
    if (rec.fields.size() != nfields) {
      return absl::InvalidArgumentError(Str(Plain(name), ":", rec.line, ": ", rec.fields.size(),
                                            " fields, but the header has ", nfields));
    }
    TableCell cell;
    for (std::size_t d = 0; d < dim_cols.size(); ++d) {
      std::string code = Trim(rec.fields[dim_cols[d]]);
      if (code.empty()) {
        return absl::InvalidArgumentError(
            Str(Plain(name), ":", rec.line, ": column ", Plain(out.dim_names[d]), " is empty"));
      }
      cell.codes.push_back(std::move(code));
    }
    const std::string& v = rec.fields[*value_col];
    if (!ParseCount(v, &cell.value) || !std::isfinite(cell.value)) {
      return absl::InvalidArgumentError(Str(Plain(name), ":", rec.line, ": column ", Plain(value),
                                            ": '", Plain(v), "' is not a number"));
    }
    if (cell.value < 0 || cell.value != std::floor(cell.value)) {
      return absl::InvalidArgumentError(Str(Plain(name), ":", rec.line, ": column ", Plain(value),
                                            ": ", Plain(Trim(v)),
                                            " is not a count (counts are whole numbers >= 0)"));
    }
    auto [it, inserted] = seen.emplace(cell.codes, rec.line);
    if (!inserted) {
      return absl::InvalidArgumentError(Str(Plain(name), ":", rec.line, ": duplicated cell (",
                                            Plain(Join(cell.codes, ", ")), "), first on line ",
                                            it->second));
    }
    if (!check.empty()) {
      bool s = false;
      if (!ParseFlag(rec.fields[check_col], &s)) {
        return absl::InvalidArgumentError(Str(Plain(name), ":", rec.line, ": column ", Plain(check),
                                              ": '", Plain(rec.fields[check_col]),
                                              "' is not 1/true/yes/x or 0/false/no/empty"));
      }
      out.given_suppressed.push_back(s);
    }
    out.lines.push_back(rec.line);
    in.cells.push_back(std::move(cell));
    rec.fields.clear();
    rec.fields.shrink_to_fit();
  }
  if (in.cells.empty()) return absl::InvalidArgumentError(Str(Plain(name), ": no data rows"));

  // Dimensions: a hierarchy file, or flat over the codes seen.
  for (std::size_t d = 0; d < out.dim_names.size(); ++d) {
    const std::string& dim = out.dim_names[d];
    auto f = hier_files.find(dim);
    absl::StatusOr<Hierarchy> h;
    if (f != hier_files.end()) {
      h = ReadHierarchy(dim, f->second, total);
      if (!h.ok()) return h.status();
      for (std::size_t i = 0; i < in.cells.size(); ++i) {
        if (h->Find(in.cells[i].codes[d]) < 0) {
          return absl::InvalidArgumentError(Str(
              Plain(name), ":", out.lines[i], ": code ", Plain(in.cells[i].codes[d]), " of column ",
              Plain(dim), " is not in the hierarchy ", Plain(f->second), " (an orphan code)"));
        }
      }
    } else {
      std::set<std::string> codes;
      for (const TableCell& c : in.cells) {
        if (c.codes[d] != total) codes.insert(c.codes[d]);
      }
      if (codes.empty()) {
        return absl::InvalidArgumentError(
            Str("column ", Plain(dim), " has no codes besides its total ", Plain(total)));
      }
      h = Hierarchy::Flat(dim, std::vector<std::string>(codes.begin(), codes.end()), total);
      if (!h.ok()) return h.status();
    }
    in.dimensions.push_back(*std::move(h));
  }
  return out;
}

// The outcome of a run, by cell.
struct Outcome {
  CellTable table;
  std::vector<CellStatus> status;
  std::vector<Protection> protection;
  AuditReport audit;
  bool checked = false;  // --check: an audit of a given pattern
  SuppressionResult result;
};

std::string Codes(const CellTable& t, int pos, const std::vector<std::string>& dims,
                  const char* sep) {
  const std::vector<int> codes = t.CodesAt(0, pos);
  const std::vector<Hierarchy>& h = t.table_dimensions(0);
  std::vector<std::string> parts;
  for (std::size_t d = 0; d < codes.size(); ++d) {
    parts.push_back(Str(Plain(dims[d]), "=", Plain(h[d].code(codes[d]))));
  }
  return Join(parts, sep);
}

int Print(const Invocation& inv, const Loaded& loaded, const Outcome& o) {
  const CellTable& t = o.table;
  const int size = t.table_size(0);
  const std::vector<Hierarchy>& dims = t.table_dimensions(0);
  const std::string value = inv.Get("--value", "n");
  const bool show_audit = inv.Has("--audit") || o.checked;
  std::vector<const SuppressedInterval*> interval(t.num_cells(), nullptr);
  for (const SuppressedInterval& i : o.audit.intervals) interval[i.cell] = &i;
  std::vector<const PrimaryVerdict*> verdict(t.num_cells(), nullptr);
  for (const PrimaryVerdict& v : o.audit.primaries) verdict[v.cell] = &v;
  int num_primary = 0, num_secondary = 0, unsafe = 0;
  for (int c = 0; c < t.num_cells(); ++c) {
    num_primary += o.status[c] == CellStatus::kPrimary ? 1 : 0;
    num_secondary += o.status[c] == CellStatus::kSecondary ? 1 : 0;
  }
  for (const PrimaryVerdict& v : o.audit.primaries) unsafe += v.safe ? 0 : 1;
  const bool suppressed_any = num_primary + num_secondary > 0;
  (void)suppressed_any;

  auto code_of = [&](int pos, std::size_t d) { return dims[d].code(t.CodesAt(0, pos)[d]); };
  // The attacker's bound for a suppressed cell (NaN: none computed).
  auto bound_value = [&](int c, bool upper) -> double {
    const SuppressedInterval* i = interval[c];
    if (verdict[c] != nullptr) return upper ? verdict[c]->upper : verdict[c]->lower;
    if (i == nullptr || i->kind == IntervalKind::kNotComputed) return std::nan("");
    return upper ? i->upper : i->lower;
  };
  auto bound = [&](int c, bool upper) -> std::string {
    const double v = bound_value(c, upper);
    return std::isnan(v) ? "" : Number(v);
  };
  auto protected_text = [&](int c) -> std::string {
    if (verdict[c] == nullptr) return "";
    return verdict[c]->safe ? "yes" : "no";
  };

  Output out;
  switch (inv.OutputFormat()) {
    case Format::kText: {
      std::vector<std::vector<std::string>> rows;
      std::vector<std::string> head = loaded.dim_names;
      head.push_back(value);
      head.push_back("status");
      if (show_audit) {
        head.push_back("attacker_lower");
        head.push_back("attacker_upper");
        head.push_back("protected");
      }
      rows.push_back(head);
      for (int pos = 0; pos < size; ++pos) {
        const int c = t.CellAt(0, pos);
        std::vector<std::string> row;
        for (std::size_t d = 0; d < dims.size(); ++d) row.push_back(Plain(code_of(pos, d)));
        row.push_back(o.status[c] == CellStatus::kPublished ? Number(t.value(c)) : "x");
        const bool unprotected = verdict[c] != nullptr && !verdict[c]->safe;
        const bool exposed = unprotected && o.status[c] == CellStatus::kPublished;
        row.push_back(exposed ? "published (primary!)" : CellStatusName(o.status[c]));
        if (show_audit) {
          row.push_back(bound(c, false));
          row.push_back(bound(c, true));
          row.push_back(protected_text(c));
        }
        rows.push_back(std::move(row));
      }
      std::vector<std::size_t> width(head.size(), 0);
      for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
          width[i] = std::max(width[i], DisplayWidth(row[i]));
        }
      }
      for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
          line += PadRight(row[i], width[i] + (i + 1 < row.size() ? 2 : 0));
        }
        out.Cat(TrimRight(line), "\n");
      }
      if (o.checked) {
        out.Cat("checked ", size, " cells: ", num_primary, " primary and ", num_secondary,
                " other cells suppressed; ");
      } else {
        out.Cat(size, " cells: ", num_primary, " primary, ", num_secondary,
                " secondary suppressed (method ", SecondaryMethodName(o.result.method),
                o.result.proven_optimal ? ", proven optimal" : "", ", cost ",
                Number(o.result.total_cost), "); ");
      }
      if (o.audit.passed) {
        out.Cat("audit passed: every primary cell is protected\n");
      } else {
        out.Cat("audit FAILED: ", unsafe, " primary cell(s) not protected\n");
        for (const PrimaryVerdict& v : o.audit.primaries) {
          if (v.safe) continue;
          int pos = -1;
          for (int p = 0; p < size && pos < 0; ++p) {
            if (t.CellAt(0, p) == v.cell) pos = p;
          }
          out.Cat("  ", Codes(t, pos, loaded.dim_names, ", "), ": ", Plain(v.reason), "\n");
        }
      }
      break;
    }
    case Format::kCsv: {
      std::vector<std::string> head = loaded.dim_names;
      head.push_back(value);
      head.push_back("status");
      if (show_audit) {
        head.push_back("attacker_lower");
        head.push_back("attacker_upper");
        head.push_back("protected");
      }
      out.Put(CsvRow(head));
      for (int pos = 0; pos < size; ++pos) {
        const int c = t.CellAt(0, pos);
        std::vector<std::string> row;
        for (std::size_t d = 0; d < dims.size(); ++d) row.push_back(code_of(pos, d));
        row.push_back(o.status[c] == CellStatus::kPublished ? Number(t.value(c)) : "");
        row.push_back(CellStatusName(o.status[c]));
        if (show_audit) {
          row.push_back(bound(c, false));
          row.push_back(bound(c, true));
          row.push_back(protected_text(c));
        }
        out.Put(CsvRow(row));
      }
      break;
    }
    case Format::kJson: {
      std::vector<std::string> dnames;
      for (const std::string& d : loaded.dim_names) dnames.push_back(d);
      out.Cat("{\n  \"file\": ",
              JsonString(inv.operands.front() == "-" ? "<stdin>" : inv.operands.front()),
              ",\n  \"dims\": ", JsonStringArray(dnames), ",\n  \"value\": ", JsonString(value),
              ",\n  \"mode\": ", JsonString(o.checked ? "check" : "suppress"));
      if (!o.checked) {
        out.Cat(",\n  \"method\": ", JsonString(SecondaryMethodName(o.result.method)),
                ",\n  \"proven_optimal\": ", JsonBool(o.result.proven_optimal),
                ",\n  \"total_cost\": ", JsonNumber(o.result.total_cost));
      }
      out.Cat(",\n  \"num_cells\": ", size, ",\n  \"num_primary\": ", num_primary,
              ",\n  \"num_secondary\": ", num_secondary,
              ",\n  \"audit\": {\"passed\": ", JsonBool(o.audit.passed),
              ", \"unprotected\": ", unsafe, "},\n  \"cells\": [");
      for (int pos = 0; pos < size; ++pos) {
        const int c = t.CellAt(0, pos);
        std::vector<std::string> codes;
        for (std::size_t d = 0; d < dims.size(); ++d) codes.push_back(code_of(pos, d));
        out.Cat(pos == 0 ? "\n" : ",\n", "    {\"codes\": ", JsonStringArray(codes),
                ", \"value\": ",
                o.status[c] == CellStatus::kPublished ? JsonNumber(t.value(c)) : "null",
                ", \"status\": ", JsonString(CellStatusName(o.status[c])));
        if (show_audit && o.status[c] != CellStatus::kPublished) {
          // null: unbounded (or not computed).
          out.Cat(", \"attacker_lower\": ", JsonNumber(bound_value(c, false)),
                  ", \"attacker_upper\": ", JsonNumber(bound_value(c, true)));
        }
        if (verdict[c] != nullptr) {
          out.Cat(", \"protected\": ", JsonBool(verdict[c]->safe));
          if (!verdict[c]->safe) out.Cat(", \"reason\": ", JsonString(verdict[c]->reason));
        }
        out.Cat("}");
      }
      out.Cat(size == 0 ? "]\n}\n" : "\n  ]\n}\n");
      break;
    }
  }
  if (!out.FlushTo(stdout)) {
    PrintError("cannot write to standard output");
    return kExitUsage;
  }
  return o.audit.passed ? kExitOk : kExitFindings;
}

int ExitFor(const absl::Status& st) {
  PrintError(Plain(MessageOf(st)));
  switch (st.code()) {
    case absl::StatusCode::kFailedPrecondition:
      return kExitFindings;
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
      return kExitInternal;
    default:
      return kExitUsage;
  }
}

int RunSuppress(const Invocation& inv) {
  if (!inv.Has("--dims")) {
    return UsageError(
        "'gdprkit suppress' needs --dims (the dimension columns, e.g. --dims "
        "practice,age)",
        "suppress ");
  }
  if (inv.Has("--check") && (inv.Has("--method") || inv.Has("--cost") || inv.Has("--time-limit"))) {
    return UsageError(
        "--check audits a given pattern: --method, --cost and --time-limit do not "
        "apply",
        "suppress ");
  }
  PrimaryRules rules;
  if (inv.Has("--threshold")) {
    const std::string s = inv.Get("--threshold");
    char* end = nullptr;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (end != s.c_str() + s.size() || v < 0 || v > 1000000) {
      return UsageError(Str("--threshold: '", Plain(s), "' is not a whole number >= 0"),
                        "suppress ");
    }
    rules.threshold = static_cast<int>(v);
  }
  SuppressOptions options;
  const std::string method = inv.Get("--method", "auto");
  options.method = method == "optimal"     ? SecondaryMethod::kOptimal
                   : method == "heuristic" ? SecondaryMethod::kHeuristic
                                           : SecondaryMethod::kAuto;
  options.cost = inv.Get("--cost", "cells") == "value" ? CostModel::kValue : CostModel::kCells;
  if (inv.Has("--time-limit")) {
    const std::string s = inv.Get("--time-limit");
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !(v > 0) || !std::isfinite(v)) {
      return UsageError(Str("--time-limit: '", Plain(s), "' is not a positive number of seconds"),
                        "suppress ");
    }
    options.time_limit_seconds = v;
  }

  absl::StatusOr<Loaded> loaded = LoadTable(inv);
  if (!loaded.ok()) return ExitFor(loaded.status());
  BuildOptions build;
  build.missing_cells_are_zero = inv.Has("--missing-zero");
  absl::StatusOr<CellTable> table = CellTable::FromTables({loaded->input}, build);
  if (!table.ok()) return ExitFor(table.status());

  Outcome o;
  o.table = *table;
  if (inv.Has("--check")) {
    o.checked = true;
    absl::StatusOr<std::vector<Protection>> prot = ApplyPrimaryRules(o.table, rules);
    if (!prot.ok()) return ExitFor(prot.status());
    std::vector<bool> suppressed(o.table.num_cells(), false);
    const std::vector<Hierarchy>& dims = o.table.table_dimensions(0);
    for (std::size_t i = 0; i < loaded->input.cells.size(); ++i) {
      if (!loaded->given_suppressed[i]) continue;
      int pos = 0;
      for (std::size_t d = 0; d < dims.size(); ++d) {
        pos = pos * dims[d].size() + dims[d].Find(loaded->input.cells[i].codes[d]);
      }
      suppressed[o.table.CellAt(0, pos)] = true;
    }
    absl::StatusOr<AuditReport> audit = Audit(o.table, *prot, suppressed);
    if (!audit.ok()) return ExitFor(audit.status());
    o.protection = *std::move(prot);
    o.audit = *std::move(audit);
    o.status.assign(o.table.num_cells(), CellStatus::kPublished);
    for (int c = 0; c < o.table.num_cells(); ++c) {
      if (suppressed[c]) {
        o.status[c] = o.protection[c].primary ? CellStatus::kPrimary : CellStatus::kSecondary;
      }
    }
  } else {
    absl::StatusOr<SuppressionResult> r = Suppress(o.table, rules, options);
    if (!r.ok()) return ExitFor(r.status());
    o.result = *std::move(r);
    o.status = o.result.status;
    o.protection = o.result.protection;
    o.audit = o.result.audit;
  }
  return Print(inv, *loaded, o);
}

}  // namespace

std::vector<Command> SuppressionCommands() {
  return {
      {"",
       "suppress",
       "FILE.csv",
       1,
       1,
       "Protect a CSV table by small-cell suppression, audited",
       "Reads a long-format frequency table (a header, one row per cell, a column per dimension\n"
       "and a count column; '-' reads standard input), marks cells with 0 < count < --threshold\n"
       "(default 5) as primary, suppresses further (secondary) cells so that no primary cell can\n"
       "be recomputed or narrowed from the published cells and the totals, audits the result by\n"
       "linear programming and prints the published table (suppressed values empty or 'x').\n"
       "Totals may be given (they are checked) or left out (they are computed). A dimension\n"
       "without --hierarchy is flat: --total (default 'Total') over the codes of its column.\n"
       "Hierarchy files: tau-ARGUS .hrc (one code per line, '@' per level below the total) or a\n"
       ".csv of code,parent rows (the total with an empty parent).\n"
       "CSV files may be comma-, semicolon- (Danish Excel) or tab-separated: the delimiter is\n"
       "detected from the first line, or given for FILE.csv by --delimiter; a UTF-8 byte-order\n"
       "mark is skipped, and a row with more or fewer fields than the header is an error.\n"
       "--check COLUMN audits the pattern given in COLUMN (1/true/yes/x = suppressed) instead.\n"
       "Exit status: 0 every primary cell is protected; 1 --check found an unprotected primary\n"
       "cell, or a primary cell cannot be protected; 2 usage or input error (FILE:LINE named);\n"
       "3 internal error. docs/suppression.md has the method and examples/tables/ a table.",
       {{"--dims", "A,B", {}, "the dimension columns, comma-separated (required)"},
        {"--value", "COLUMN", {}, "the count column (default n)"},
        {"--threshold", "N", {}, "primary when 0 < count < N (default 5; 0: no threshold rule)"},
        {"--hierarchy", "DIM=FILE", {}, "hierarchies of dimensions (DIM=FILE[,DIM=FILE...])"},
        {"--total", "CODE", {}, "the total code of flat dimensions and .hrc files (default Total)"},
        {"--method",
         "METHOD",
         {"auto", "heuristic", "optimal"},
         "secondary method: auto (default), heuristic or optimal"},
        {"--cost", "COST", {"cells", "value"}, "minimise suppressed cells (default) or value"},
        {"--time-limit", "SECONDS", {}, "time limit of the optimal method (default 60)"},
        {"--missing-zero", "", {}, "a missing non-total cell is a zero cell (default: an error)"},
        {"--audit", "", {}, "also print the attacker's interval for each suppressed cell"},
        {"--check", "COLUMN", {}, "audit the suppression pattern in COLUMN instead"},
        DelimiterOption(),
        FormatOption()},
       RunSuppress},
  };
}

}  // namespace gdprkit::cli
