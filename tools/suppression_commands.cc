// `gdprkit suppress`: small-cell suppression of CSV tables and its audit.
//
//   gdprkit suppress FILE.csv --dims a,b --value n [--threshold 5]
//       [--hierarchy dim=FILE[,dim=FILE]] [--total CODE] [--method M]
//       [--cost cells|value|contributors] [--missing error|zero] [--missing-zero]
//       [--time-limit S] [--audit-mode auto|exact|certified] [--audit]
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
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cli.h"
#include "cli_csv.h"
#include "common/status_macros.h"
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

// A number (its range is checked by the core's loader).
bool ParseNumber(const std::string& s, double* out) {
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

// One FILE operand: its name in messages and its rows' lines (for the
// loader's messages), its dimensions (the --dims columns its header has) and
// the --check pattern per row.
struct FileTable {
  std::string name;
  std::vector<int> lines;
  std::vector<std::string> dim_names;
  std::vector<bool> given_suppressed;
};

struct Loaded {
  LoadedTables tables;
  std::vector<FileTable> files;  // one per table, in operand order
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

// The --hierarchy files by dimension.
absl::StatusOr<std::map<std::string, std::string>> HierarchyFiles(
    const Invocation& inv, const std::vector<std::string>& dims) {
  std::map<std::string, std::string> files;
  if (!inv.Has("--hierarchy")) return files;
  for (const std::string& spec : Split(inv.Get("--hierarchy"), ',')) {
    const std::size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      return absl::InvalidArgumentError(Str("--hierarchy: '", Plain(spec), "' is not DIM=FILE"));
    }
    const std::string dim = Trim(spec.substr(0, eq));
    if (std::find(dims.begin(), dims.end(), dim) == dims.end()) {
      return absl::InvalidArgumentError(
          Str("--hierarchy: ", Plain(dim), " is not one of --dims ", Plain(inv.Get("--dims"))));
    }
    if (!files.emplace(dim, spec.substr(eq + 1)).second) {
      return absl::InvalidArgumentError(Str("--hierarchy names ", Plain(dim), " twice"));
    }
  }
  return files;
}

// The CSV columns the table is read from, by their place in the header.
struct ColumnPlaces {
  std::vector<std::size_t> dims;
  std::size_t value = 0;
  std::optional<std::size_t> check;
};

// With several files (`linked`), a file's dimensions are the --dims columns
// its header has (at least one); `dims` becomes them.
absl::StatusOr<ColumnPlaces> FindColumns(const std::string& name, const CsvRecord& header,
                                         std::vector<std::string>* dims, const std::string& value,
                                         const std::string& check, bool linked) {
  auto column = [&](const std::string& col, const char* what) -> absl::StatusOr<std::size_t> {
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
      if (Trim(header.fields[i]) == col) return i;
    }
    std::vector<std::string> cols;
    for (const std::string& f : header.fields) cols.push_back(Plain(f));
    return absl::InvalidArgumentError(Str(Plain(name), ":1: no ", what, " column ", Plain(col),
                                          " in the header (columns: ", Join(cols, ", "), ")"));
  };
  ColumnPlaces places;
  if (linked) {
    std::vector<std::string> own;
    for (const std::string& d : *dims) {
      for (const std::string& f : header.fields) {
        if (Trim(f) == d) own.push_back(d);
      }
    }
    if (own.empty()) {
      return absl::InvalidArgumentError(
          Str(Plain(name), ":1: none of the --dims columns is in the header"));
    }
    *dims = std::move(own);
  }
  for (const std::string& d : *dims) {
    absl::StatusOr<std::size_t> c = column(d, "dimension");
    if (!c.ok()) return c.status();
    places.dims.push_back(*c);
  }
  absl::StatusOr<std::size_t> v = column(value, "value");
  if (!v.ok()) return v.status();
  places.value = *v;
  if (!check.empty()) {
    absl::StatusOr<std::size_t> c = column(check, "--check");
    if (!c.ok()) return c.status();
    places.check = *c;
  }
  return places;
}

// The --dims, checked, and the value column's name.
absl::StatusOr<std::vector<std::string>> DimNames(const Invocation& inv, const std::string& value) {
  std::vector<std::string> dims = Split(inv.Get("--dims"), ',');
  std::set<std::string> seen;
  for (std::string& d : dims) {
    d = Trim(d);
    if (d.empty()) return absl::InvalidArgumentError("--dims: an empty column name");
    if (!seen.insert(d).second) {
      return absl::InvalidArgumentError(Str("--dims names column ", Plain(d), " twice"));
    }
  }
  if (seen.count(value) != 0) {
    return absl::InvalidArgumentError(
        Str("column ", Plain(value), " is both a dimension and the value"));
  }
  return dims;
}

// The CSV rows as the core's columns: each dimension's distinct codes and,
// per row, the index of its code; the values as numbers (the core checks
// their range). The --check pattern goes to `suppressed`.
absl::StatusOr<TableColumns> Columns(const std::string& name, std::vector<CsvRecord>* rows,
                                     const std::vector<std::string>& dims, const std::string& value,
                                     const std::string& check, const ColumnPlaces& places,
                                     std::vector<bool>* suppressed) {
  TableColumns columns;
  columns.dimensions.resize(dims.size());
  std::vector<std::unordered_map<std::string, std::int32_t>> index(dims.size());
  for (std::size_t d = 0; d < dims.size(); ++d) columns.dimensions[d].codes.name = dims[d];
  columns.value.name = value;
  const std::size_t nfields = rows->front().fields.size();
  for (std::size_t r = 1; r < rows->size(); ++r) {
    CsvRecord& rec = (*rows)[r];
    if (rec.fields.size() != nfields) {
      return absl::InvalidArgumentError(Str(Plain(name), ":", rec.line, ": ", rec.fields.size(),
                                            " fields, but the header has ", nfields));
    }
    for (std::size_t d = 0; d < dims.size(); ++d) {
      LabelColumn& codes = columns.dimensions[d].codes;
      std::string code = Trim(rec.fields[places.dims[d]]);
      auto [it, added] = index[d].emplace(code, static_cast<std::int32_t>(codes.labels.size()));
      if (added) codes.labels.push_back(std::move(code));
      codes.rows.push_back(it->second);
    }
    const std::string& v = rec.fields[places.value];
    double number = 0;
    if (!ParseNumber(v, &number)) {
      return absl::InvalidArgumentError(Str(Plain(name), ":", rec.line, ": column ", Plain(value),
                                            ": '", Plain(v), "' is not a number"));
    }
    columns.value.values.push_back(number);
    if (places.check) {
      bool s = false;
      if (!ParseFlag(rec.fields[*places.check], &s)) {
        return absl::InvalidArgumentError(Str(Plain(name), ":", rec.line, ": column ", Plain(check),
                                              ": '", Plain(rec.fields[*places.check]),
                                              "' is not 1/true/yes/x or 0/false/no/empty"));
      }
      suppressed->push_back(s);
    }
    rec.fields.clear();
    rec.fields.shrink_to_fit();
  }
  if (columns.value.values.empty()) {
    return absl::InvalidArgumentError(Str(Plain(name), ": no data rows"));
  }
  return columns;
}

// Reads FILE operand `path` into `file` and its columns.
absl::StatusOr<TableColumns> ReadTable(const Invocation& inv, const std::string& path,
                                       const std::vector<std::string>& dims,
                                       const std::map<std::string, std::string>& files, bool linked,
                                       FileTable* file) {
  const std::string total = inv.Get("--total", "Total");
  const std::string value = inv.Get("--value", "n");
  const std::string check = inv.Get("--check");
  file->name = path == "-" ? "<stdin>" : path;
  file->dim_names = dims;
  absl::StatusOr<std::string> text = ReadFileArg(path, kMaxTableBytes);
  if (!text.ok()) return text.status();
  CsvOptions csv_options;
  csv_options.delimiter = DelimiterArg(inv);
  absl::StatusOr<CsvTable> csv = ReadCsv(*text, file->name, csv_options);
  if (!csv.ok()) return csv.status();
  text->clear();
  text->shrink_to_fit();
  std::vector<CsvRecord>& rows = csv->records;
  if (rows.empty())
    return absl::InvalidArgumentError(Str(Plain(file->name), ": the file is empty"));
  GDPRKIT_ASSIGN_OR_RETURN(
      const ColumnPlaces places,
      FindColumns(file->name, rows.front(), &file->dim_names, value, check, linked));
  GDPRKIT_ASSIGN_OR_RETURN(TableColumns columns, Columns(file->name, &rows, file->dim_names, value,
                                                         check, places, &file->given_suppressed));
  columns.name = file->name;
  file->lines.reserve(rows.size() - 1);
  for (std::size_t r = 1; r < rows.size(); ++r) file->lines.push_back(rows[r].line);
  rows = {};
  for (DimensionColumn& d : columns.dimensions) {
    d.total = total;
    auto f = files.find(d.codes.name);
    if (f == files.end()) continue;
    GDPRKIT_ASSIGN_OR_RETURN(d.hierarchy, ReadHierarchy(d.codes.name, f->second, total));
  }
  columns.row_where = [file](std::int64_t i) {
    return Str(Plain(file->name), ":", file->lines[i]);
  };
  columns.row_name = [file](std::int64_t i) { return Str("line ", file->lines[i]); };
  return columns;
}

// Every FILE operand, loaded as one table or as linked tables.
absl::StatusOr<Loaded> LoadTables(const Invocation& inv) {
  const std::string value = inv.Get("--value", "n");
  GDPRKIT_ASSIGN_OR_RETURN(const std::vector<std::string> dims, DimNames(inv, value));
  GDPRKIT_ASSIGN_OR_RETURN(const auto files, HierarchyFiles(inv, dims));
  const bool linked = inv.operands.size() > 1;
  Loaded out;
  out.files.resize(inv.operands.size());  // not resized again: the loaders point into it
  std::vector<TableColumns> columns;
  for (std::size_t k = 0; k < inv.operands.size(); ++k) {
    GDPRKIT_ASSIGN_OR_RETURN(TableColumns c,
                             ReadTable(inv, inv.operands[k], dims, files, linked, &out.files[k]));
    columns.push_back(std::move(c));
  }
  LoadOptions options;
  options.compute_totals = true;  // total rows may always be left out
  options.compute_totals_option = "";
  options.missing = inv.Has("--missing-zero") ? MissingCells::kZero : MissingCells::kError;
  if (inv.Has("--missing")) {
    GDPRKIT_ASSIGN_OR_RETURN(options.missing, ParseMissingCells(inv.Get("--missing")));
  }
  options.missing_zero_option = "--missing zero";
  GDPRKIT_ASSIGN_OR_RETURN(out.tables, TablesFromColumns(std::move(columns), options));
  return out;
}

// The outcome of a run, by cell.
struct Outcome {
  CellTable table;
  bool checked = false;  // --check: an audit of a given pattern
  SuppressionResult result;
};

// How the output reads: --lang, --marker, and whether it shows the detail
// (--audit or --check: why a cell is suppressed and the attacker's
// intervals; not for publication) or only what may be published.
struct Style {
  Language language = Language::kEnglish;
  std::string marker = "x";
  bool detail = false;
};

// What the three output formats share for table `k`: the outcome by table
// position, the audit's interval and verdict of each cell.
class View {
 public:
  View(const Invocation& inv, const Loaded& loaded, const Outcome& o, const Style& style, int k)
      : dim_names(loaded.files[k].dim_names),
        file(loaded.files[k].name),
        value(inv.Get("--value", "n")),
        style(style),
        o_(o),
        t_(o.table),
        k_(k),
        dims_(o.table.table_dimensions(k)),
        interval_(t_.num_cells(), nullptr),
        verdict_(t_.num_cells(), nullptr) {
    for (const SuppressedInterval& i : o.result.audit.intervals) interval_[i.cell] = &i;
    for (const PrimaryVerdict& v : o.result.audit.primaries) verdict_[v.cell] = &v;
  }

  const std::vector<std::string>& dim_names;
  const std::string& file;
  const std::string value;
  const Style& style;

  int size() const { return t_.table_size(k_); }
  int cell(int pos) const { return t_.CellAt(k_, pos); }
  const std::string& code(int pos, std::size_t d) const {
    return dims_[d].code(t_.CodesAt(k_, pos)[d]);
  }
  bool published(int c) const { return o_.result.status[c] == CellStatus::kPublished; }
  // The status's name (CSV, JSON) or title (text): published or suppressed,
  // or with the detail published, primary or secondary.
  std::string status(int c, bool title) const {
    const CellStatus s = o_.result.status[c];
    if (style.detail) {
      return std::string(title ? CellStatusTitle(s, style.language) : CellStatusName(s));
    }
    const PublishedStatus p = PublishedStatusOf(s);
    return std::string(title ? PublishedStatusTitle(p, style.language) : PublishedStatusName(p));
  }
  double value_of(int c) const { return t_.value(c); }
  const PrimaryVerdict* verdict(int c) const { return verdict_[c]; }
  // The attacker's bound for a suppressed cell (NaN: none computed).
  double bound_value(int c, bool upper) const {
    if (verdict_[c] != nullptr) return upper ? verdict_[c]->upper : verdict_[c]->lower;
    const SuppressedInterval* i = interval_[c];
    if (i == nullptr || i->kind == IntervalKind::kNotComputed) return std::nan("");
    return upper ? i->upper : i->lower;
  }
  std::string bound(int c, bool upper) const {
    const double v = bound_value(c, upper);
    return std::isnan(v) ? "" : Number(v);
  }
  std::string protected_text(int c) const {
    if (verdict_[c] == nullptr) return "";
    return verdict_[c]->safe ? "yes" : "no";
  }
  // The header of the text and CSV forms.
  std::vector<std::string> Head(bool title) const {
    std::vector<std::string> head = dim_names;
    head.push_back(value);
    head.push_back(title ? std::string(ReportTextTitle(ReportText::kStatus, style.language))
                         : "status");
    if (style.detail) {
      head.push_back("attacker_lower");
      head.push_back("attacker_upper");
      head.push_back("protected");
    }
    return head;
  }
  // The position of a cell in this table, or -1.
  int PositionOf(int c) const {
    for (int p = 0; p < size(); ++p) {
      if (cell(p) == c) return p;
    }
    return -1;
  }
  std::string Codes(int pos, const char* sep) const {
    std::vector<std::string> parts;
    for (std::size_t d = 0; d < dims_.size(); ++d) {
      parts.push_back(Str(Plain(dim_names[d]), "=", Plain(code(pos, d))));
    }
    return Join(parts, sep);
  }

 private:
  const Outcome& o_;
  const CellTable& t_;
  int k_;
  const std::vector<Hierarchy>& dims_;
  std::vector<const SuppressedInterval*> interval_;
  std::vector<const PrimaryVerdict*> verdict_;
};

void PrintTextTable(const View& v, Output* out) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back(v.Head(true));
  for (int pos = 0; pos < v.size(); ++pos) {
    const int c = v.cell(pos);
    std::vector<std::string> row;
    for (std::size_t d = 0; d < v.dim_names.size(); ++d) row.push_back(Plain(v.code(pos, d)));
    row.push_back(v.published(c) ? Number(v.value_of(c)) : Plain(v.style.marker));
    const bool exposed = v.verdict(c) != nullptr && !v.verdict(c)->safe && v.published(c);
    row.push_back(exposed ? "published (primary!)" : v.status(c, true));
    if (v.style.detail) {
      row.push_back(v.bound(c, false));
      row.push_back(v.bound(c, true));
      row.push_back(v.protected_text(c));
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(rows.front().size(), 0);
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
    out->Cat(TrimRight(line), "\n");
  }
}

void PrintText(const std::vector<View>& views, const Outcome& o, const Style& style, Output* out) {
  const SuppressionResult& r = o.result;
  std::int64_t cells = 0;
  for (const View& v : views) {
    if (views.size() > 1) out->Cat("# ", Plain(v.file), "\n");
    PrintTextTable(v, out);
    cells += v.size();
  }
  int unsafe = 0;
  for (const PrimaryVerdict& pv : r.audit.primaries) unsafe += pv.safe ? 0 : 1;
  if (o.checked) {
    out->Cat("checked ", cells, " cells: ", r.num_primary, " primary and ", r.num_secondary,
             " other cells suppressed; ");
  } else if (style.detail) {
    out->Cat(cells, " cells: ", r.num_primary, " primary, ", r.num_secondary,
             " secondary suppressed (method ", SecondaryMethodName(r.method),
             r.proven_optimal ? ", proven optimal" : "", ", cost ", Number(r.total_cost), "); ");
  } else {
    out->Cat(Plain(PublishedSummary(cells, r.num_primary + r.num_secondary, style.marker,
                                    style.language)),
             "; ", ReportTextTitle(ReportText::kMethod, style.language), " ",
             SecondaryMethodName(r.method), "; ");
  }
  out->Cat(ReportTextTitle(ReportText::kAuditVerdict, style.language), " ",
           AuditVerdictText(r.audit.passed, unsafe, style.language), "\n");
  for (const PrimaryVerdict& pv : r.audit.primaries) {
    if (pv.safe) continue;
    for (const View& v : views) {
      const int pos = v.PositionOf(pv.cell);
      if (pos < 0) continue;
      out->Cat("  ", v.Codes(pos, ", "), ": ", Plain(pv.reason), "\n");
      break;
    }
  }
  if (!style.detail) out->Cat(Plain(MarkerNote(style.marker, style.language)), "\n");
}

void PrintCsv(const std::vector<View>& views, Output* out) {
  // Several tables: a "table" column, then the union of their dimensions
  // (empty where a table has no such dimension).
  const bool linked = views.size() > 1;
  std::vector<std::string> dims;
  for (const View& v : views) {
    for (const std::string& d : v.dim_names) {
      if (std::find(dims.begin(), dims.end(), d) == dims.end()) dims.push_back(d);
    }
  }
  std::vector<std::string> head = views.front().Head(false);
  if (linked) {
    head.erase(head.begin(), head.begin() + views.front().dim_names.size());
    head.insert(head.begin(), dims.begin(), dims.end());
    head.insert(head.begin(), "table");
  }
  out->Put(CsvRow(head));
  for (const View& v : views) {
    for (int pos = 0; pos < v.size(); ++pos) {
      const int c = v.cell(pos);
      std::vector<std::string> row;
      if (linked) {
        row.push_back(v.file);
        for (const std::string& d : dims) {
          auto at = std::find(v.dim_names.begin(), v.dim_names.end(), d);
          row.push_back(at == v.dim_names.end()
                            ? ""
                            : v.code(pos, static_cast<std::size_t>(at - v.dim_names.begin())));
        }
      } else {
        for (std::size_t d = 0; d < v.dim_names.size(); ++d) row.push_back(v.code(pos, d));
      }
      row.push_back(v.published(c) ? Number(v.value_of(c)) : "");
      row.push_back(v.status(c, false));
      if (v.style.detail) {
        row.push_back(v.bound(c, false));
        row.push_back(v.bound(c, true));
        row.push_back(v.protected_text(c));
      }
      out->Put(CsvRow(row));
    }
  }
}

void PrintJson(const std::vector<View>& views, const Outcome& o, Output* out) {
  const View& first = views.front();
  const SuppressionResult& r = o.result;
  std::vector<std::string> files;
  std::int64_t cells = 0;
  for (const View& v : views) {
    files.push_back(v.file);
    cells += v.size();
  }
  int unsafe = 0;
  for (const PrimaryVerdict& pv : r.audit.primaries) unsafe += pv.safe ? 0 : 1;
  out->Cat("{\n  \"file\": ", JsonString(first.file));
  if (views.size() > 1) out->Cat(",\n  \"files\": ", JsonStringArray(files));
  out->Cat(",\n  \"dims\": ", JsonStringArray(first.dim_names),
           ",\n  \"value\": ", JsonString(first.value),
           ",\n  \"mode\": ", JsonString(o.checked ? "check" : "suppress"));
  if (!o.checked) {
    out->Cat(",\n  \"method\": ", JsonString(SecondaryMethodName(r.method)),
             ",\n  \"proven_optimal\": ", JsonBool(r.proven_optimal),
             ",\n  \"total_cost\": ", JsonNumber(r.total_cost));
  }
  out->Cat(",\n  \"num_cells\": ", cells);
  if (first.style.detail) {
    out->Cat(",\n  \"num_primary\": ", r.num_primary, ",\n  \"num_secondary\": ", r.num_secondary);
  }
  out->Cat(",\n  \"num_suppressed\": ", r.num_primary + r.num_secondary,
           ",\n  \"audit\": {\"passed\": ", JsonBool(r.audit.passed), ", \"unprotected\": ", unsafe,
           "},\n  \"cells\": [");
  bool any = false;
  for (const View& v : views) {
    for (int pos = 0; pos < v.size(); ++pos) {
      const int c = v.cell(pos);
      std::vector<std::string> codes;
      for (std::size_t d = 0; d < v.dim_names.size(); ++d) codes.push_back(v.code(pos, d));
      out->Cat(any ? ",\n" : "\n", "    {");
      any = true;
      if (views.size() > 1) out->Cat("\"table\": ", JsonString(v.file), ", ");
      out->Cat("\"codes\": ", JsonStringArray(codes),
               ", \"value\": ", v.published(c) ? JsonNumber(v.value_of(c)) : "null",
               ", \"status\": ", JsonString(v.status(c, false)));
      if (v.style.detail && !v.published(c)) {
        // null: unbounded (or not computed).
        out->Cat(", \"attacker_lower\": ", JsonNumber(v.bound_value(c, false)),
                 ", \"attacker_upper\": ", JsonNumber(v.bound_value(c, true)));
      }
      if (const PrimaryVerdict* pv = v.verdict(c); pv != nullptr && v.style.detail) {
        out->Cat(", \"protected\": ", JsonBool(pv->safe));
        if (!pv->safe) out->Cat(", \"reason\": ", JsonString(pv->reason));
      }
      out->Cat("}");
    }
  }
  out->Cat(any ? "\n  ]\n}\n" : "]\n}\n");
}

int Print(const Invocation& inv, const Loaded& loaded, const Outcome& o, const Style& style) {
  std::vector<View> views;
  for (std::size_t k = 0; k < loaded.files.size(); ++k) {
    views.emplace_back(inv, loaded, o, style, static_cast<int>(k));
  }
  Output out;
  switch (inv.OutputFormat()) {
    case Format::kText:
      PrintText(views, o, style, &out);
      break;
    case Format::kCsv:
      PrintCsv(views, &out);
      break;
    case Format::kJson:
      PrintJson(views, o, &out);
      break;
  }
  if (!out.FlushTo(stdout)) {
    PrintError("cannot write to standard output");
    return kExitUsage;
  }
  return o.result.audit.passed ? kExitOk : kExitFindings;
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
  Style style;
  absl::StatusOr<Language> language = LanguageOf(inv);
  if (!language.ok()) return UsageError(MessageOf(language.status()), "suppress ");
  style.language = *language;
  style.marker = inv.Get("--marker", "x");
  if (style.marker.empty()) return UsageError("--marker: give a text, e.g. x or '<5'", "suppress ");
  style.detail = inv.Has("--audit") || inv.Has("--check");
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
  // The choices of --method, --cost and --audit-mode were checked when the
  // command line was parsed.
  options.method = *ParseSecondaryMethod(inv.Get("--method", "auto"));
  options.cost = *ParseCostModel(inv.Get("--cost", "cells"));
  options.audit.mode = *ParseAuditMode(inv.Get("--audit-mode", "auto"));
  if (inv.Has("--progress")) options.progress = ProgressLine;
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

  absl::StatusOr<Loaded> loaded = LoadTables(inv);
  if (!loaded.ok()) return ExitFor(loaded.status());
  Outcome o;
  o.table = loaded->tables.table;
  absl::StatusOr<SuppressionResult> r;
  if (inv.Has("--check")) {
    o.checked = true;
    std::vector<bool> suppressed(o.table.num_cells(), false);
    for (std::size_t k = 0; k < loaded->files.size(); ++k) {
      const std::vector<bool>& given = loaded->files[k].given_suppressed;
      for (std::size_t i = 0; i < given.size(); ++i) {
        if (given[i]) suppressed[loaded->tables.CellOfRow(k, i)] = true;
      }
    }
    r = AuditPattern(o.table, rules, suppressed, options);
  } else {
    r = Suppress(o.table, rules, options);
  }
  if (!r.ok()) return ExitFor(r.status());
  o.result = *std::move(r);
  return Print(inv, *loaded, o, style);
}

}  // namespace

std::vector<Command> SuppressionCommands() {
  return {
      {"",
       "suppress",
       "FILE.csv...",
       1,
       kUnlimited,
       "Protect a CSV table (or linked tables) by small-cell suppression, audited",
       "Reads a long-format frequency table (a header, one row per cell, a column per dimension\n"
       "and a count column; '-' reads standard input), marks cells with 0 < count < --threshold\n"
       "(default 5) as primary, suppresses further (secondary) cells so that no primary cell can\n"
       "be recomputed or narrowed from the published cells and the totals, audits the result by\n"
       "linear programming and prints the published table: the value, or --marker (default 'x';\n"
       "empty in CSV) where suppressed, and the status 'published' or 'suppressed'. Why a cell\n"
       "is suppressed (primary, secondary) and the attacker's intervals are the detail, not for\n"
       "publication: --audit prints them. --lang da prints the titles and the summary in Danish.\n"
       "Several FILEs are linked tables, protected together: each uses the --dims columns its\n"
       "header has, dimensions of one name share their hierarchy, and a cell whose codes are the\n"
       "total in every dimension a file lacks is one cell in both (one status; the values must\n"
       "agree). The output then lists each file's cells (text: under '# FILE'; CSV and JSON: a\n"
       "'table' column or field).\n"
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
        {"--method", "METHOD", SecondaryMethodNames(), "secondary method (default auto)"},
        {"--cost", "COST", CostModelNames(),
         "what the secondary suppression minimises: suppressed cells (default), their value or "
         "their contributors (the value, for counts)"},
        {"--audit-mode", "MODE", AuditModeNames(),
         "exact intervals, certified verdicts, or auto (default): exact up to 3000 unknown cells "
         "per component"},
        {"--time-limit", "SECONDS", {}, "time limit of the optimal method (default 60)"},
        {"--missing", "RULE", MissingCellsNames(),
         "a missing non-total cell is an error (default) or a zero cell"},
        {"--missing-zero", "", {}, "the same as --missing zero"},
        {"--audit",
         "",
         {},
         "not for publication: print why each cell is suppressed (primary, secondary) and the "
         "attacker's interval for each suppressed cell"},
        {"--marker", "TEXT", {}, "what a suppressed value shows in text output (default x)"},
        LanguageOption(),
        ProgressOption(),
        {"--check", "COLUMN", {}, "audit the suppression pattern in COLUMN instead"},
        DelimiterOption(),
        FormatOption()},
       RunSuppress},
  };
}

}  // namespace gdprkit::cli
