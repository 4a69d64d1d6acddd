// TableFromColumns: a long-format table from columns, checked row by row so
// that every message names the row the caller knows (a CSV line, a
// DataFrame row). The CLI and the Python package both load through it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "common/text.h"
#include "gdprkit/suppression.h"

namespace gdprkit {
namespace {

using internal::AV;
using internal::Quote;
using internal::QuoteUntrusted;

// More cells than this cannot be a table (CellTable::FromTables' limit).
constexpr std::int64_t kMaxPositions = 200'000'000;

std::string Num(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return absl::StrCat(static_cast<std::int64_t>(v));
  return absl::StrCat(v);
}

// How messages name rows (TableColumns::row_where / row_name).
class Rows {
 public:
  explicit Rows(const TableColumns& c) : c_(c) {}
  std::string Where(std::int64_t i) const {
    return c_.row_where ? c_.row_where(i) : absl::StrCat("row ", i);
  }
  std::string Name(std::int64_t i) const {
    return c_.row_name ? c_.row_name(i) : absl::StrCat("row ", i);
  }
  absl::Status Error(std::int64_t row, std::string_view message) const {
    return absl::InvalidArgumentError(absl::StrCat(Where(row), ": ", AV(message)));
  }

 private:
  const TableColumns& c_;
};

// " (3 such rows)" when more than one row has the problem.
std::string More(std::int64_t count) {
  return count > 1 ? absl::StrCat(" (", count, " such rows)") : "";
}

// Every value finite and >= 0, and whole when `whole`; `what` names the
// column's role ("value", "contributors").
absl::Status CheckNumbers(const NumberColumn& column, std::string_view what, bool whole,
                          const Rows& rows) {
  const std::string col = absl::StrCat(AV(what), " column ", Quote(column.name));
  struct Problem {
    std::int64_t first = -1;
    std::int64_t count = 0;
    void Add(std::int64_t i) {
      if (first < 0) first = i;
      ++count;
    }
  } nan, inf, negative, fraction;
  const std::vector<double>& v = column.values;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto row = static_cast<std::int64_t>(i);
    if (std::isnan(v[i])) {
      nan.Add(row);
    } else if (std::isinf(v[i])) {
      inf.Add(row);
    } else if (v[i] < 0) {
      negative.Add(row);
    } else if (whole && v[i] != std::floor(v[i])) {
      fraction.Add(row);
    }
  }
  if (nan.first >= 0) {
    return rows.Error(nan.first,
                      absl::StrCat(col, " is not a number (NaN or missing)", More(nan.count)));
  }
  if (inf.first >= 0) {
    return rows.Error(inf.first, absl::StrCat(col, " is infinite", More(inf.count)));
  }
  if (negative.first >= 0) {
    return rows.Error(negative.first, absl::StrCat(col, " is negative: ", Num(v[negative.first]),
                                                   More(negative.count)));
  }
  if (fraction.first >= 0) {
    return rows.Error(fraction.first, absl::StrCat(col, " is ", Num(v[fraction.first]),
                                                   ": not a count (counts are whole counts >= 0)",
                                                   More(fraction.count)));
  }
  return absl::OkStatus();
}

absl::Status CheckLength(const NumberColumn& c, std::size_t n) {
  if (c.values.empty() || c.values.size() == n) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("column ", Quote(c.name), " has ", c.values.size(), " rows; the table has ", n));
}

absl::Status CheckLabels(const LabelColumn& c, std::size_t n) {
  if (c.rows.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("column ", Quote(c.name), " has ", c.rows.size(), " rows; the table has ", n));
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (c.rows[i] < 0 || static_cast<std::size_t>(c.rows[i]) >= c.labels.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "column ", Quote(c.name), " row ", i, ": label index ", c.rows[i], " is out of range"));
    }
  }
  return absl::OkStatus();
}

// The first row that uses each label (-1: none).
std::vector<std::int64_t> FirstUse(const LabelColumn& c) {
  std::vector<std::int64_t> first(c.labels.size(), -1);
  for (std::size_t i = 0; i < c.rows.size(); ++i) {
    std::int64_t& f = first[c.rows[i]];
    if (f < 0) f = static_cast<std::int64_t>(i);
  }
  return first;
}

// The hierarchy of a dimension and, per label, its code's index in it.
struct Dimension {
  Hierarchy hierarchy;
  std::vector<int> code_of_label;
};

absl::StatusOr<Dimension> ResolveDimension(const DimensionColumn& dim, const Rows& rows) {
  const LabelColumn& c = dim.codes;
  const std::vector<std::int64_t> first = FirstUse(c);
  for (std::size_t l = 0; l < c.labels.size(); ++l) {
    if (first[l] >= 0 && c.labels[l].empty()) {
      return rows.Error(first[l], absl::StrCat("dimension ", Quote(c.name), " has an empty code"));
    }
  }
  Dimension out;
  if (dim.hierarchy.size() == 0) {
    std::set<std::string> codes;
    for (std::size_t l = 0; l < c.labels.size(); ++l) {
      if (first[l] >= 0 && c.labels[l] != dim.total) codes.insert(c.labels[l]);
    }
    if (codes.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("dimension ", Quote(c.name),
                                                     " has no codes besides its total ",
                                                     QuoteUntrusted(dim.total)));
    }
    GDPRKIT_ASSIGN_OR_RETURN(
        out.hierarchy,
        Hierarchy::Flat(c.name, std::vector<std::string>(codes.begin(), codes.end()), dim.total));
  } else {
    out.hierarchy = dim.hierarchy;
  }
  out.code_of_label.assign(c.labels.size(), -1);
  for (std::size_t l = 0; l < c.labels.size(); ++l) {
    if (first[l] < 0) continue;
    out.code_of_label[l] = out.hierarchy.Find(c.labels[l]);
    if (out.code_of_label[l] >= 0) continue;
    std::vector<std::string> all;
    for (int k = 0; k < out.hierarchy.size(); ++k) all.push_back(out.hierarchy.code(k));
    return rows.Error(first[l],
                      absl::StrCat("code ", QuoteUntrusted(c.labels[l]), " of dimension ",
                                   Quote(c.name), " is not in its hierarchy (an orphan code)",
                                   internal::DidYouMean(c.labels[l], all)));
  }
  return out;
}

// The codes of a position, "practice=p1, age=0-17".
std::string PositionCodes(const std::vector<Dimension>& dims, std::int64_t pos) {
  std::vector<std::string> parts(dims.size());
  for (std::size_t d = dims.size(); d-- > 0;) {
    const Hierarchy& h = dims[d].hierarchy;
    parts[d] = absl::StrCat(h.name(), "=", h.code(static_cast<int>(pos % h.size())));
    pos /= h.size();
  }
  return absl::StrJoin(parts, ", ");
}

bool IsLeafPosition(const std::vector<Dimension>& dims, std::int64_t pos) {
  for (std::size_t d = dims.size(); d-- > 0;) {
    const Hierarchy& h = dims[d].hierarchy;
    if (!h.is_leaf(static_cast<int>(pos % h.size()))) return false;
    pos /= h.size();
  }
  return true;
}

// The cells no row gives that must have one: leaves unless they are zeros,
// totals unless they are computed.
absl::Status CheckMissing(const std::vector<Dimension>& dims,
                          const std::vector<std::int64_t>& row_at, const LoadOptions& options) {
  const bool leaves = options.missing == MissingCells::kError;
  const bool totals = !options.compute_totals;
  if (!leaves && !totals) return absl::OkStatus();
  std::int64_t first = -1, count = 0;
  for (std::int64_t pos = 0; pos < static_cast<std::int64_t>(row_at.size()); ++pos) {
    if (row_at[pos] >= 0) continue;
    if (IsLeafPosition(dims, pos) ? !leaves : !totals) continue;
    if (first < 0) first = pos;
    ++count;
  }
  if (count == 0) return absl::OkStatus();
  std::vector<std::string> advice;
  if (totals && !options.compute_totals_option.empty()) {
    advice.push_back(absl::StrCat(options.compute_totals_option, " computes missing totals"));
  }
  if (leaves && !options.missing_zero_option.empty()) {
    advice.push_back(absl::StrCat(options.missing_zero_option, " makes a missing cell zero"));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "missing cell (", PositionCodes(dims, first), "): ", count, " of the table's ", row_at.size(),
      count == 1 ? " cells has" : " cells have", " no row; give every cell",
      totals ? ", totals included" : " whose codes are all leaves",
      advice.empty() ? "" : absl::StrCat(" (", absl::StrJoin(advice, "; "), ")")));
}

// Per row, its position in the table (last dimension fastest); two rows
// with one position are an error.
absl::StatusOr<std::vector<std::int64_t>> Positions(const TableColumns& c,
                                                    const std::vector<Dimension>& dims,
                                                    std::vector<std::int64_t>* row_at,
                                                    const Rows& rows) {
  std::int64_t size = 1;
  for (const Dimension& d : dims) {
    size *= d.hierarchy.size();
    if (size > kMaxPositions) {
      return absl::InvalidArgumentError(
          absl::StrCat("table ", Quote(c.name), " would have more than ", kMaxPositions, " cells"));
    }
  }
  const std::size_t n = c.value.values.size();
  std::vector<std::int64_t> position(n, 0);
  for (std::size_t d = 0; d < dims.size(); ++d) {
    const std::int64_t stride = dims[d].hierarchy.size();
    const std::vector<std::int32_t>& labels = c.dimensions[d].codes.rows;
    for (std::size_t i = 0; i < n; ++i) {
      position[i] = position[i] * stride + dims[d].code_of_label[labels[i]];
    }
  }
  row_at->assign(static_cast<std::size_t>(size), -1);
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t& at = (*row_at)[position[i]];
    if (at >= 0) {
      return rows.Error(static_cast<std::int64_t>(i),
                        absl::StrCat("duplicated cell, first on ", rows.Name(at)));
    }
    at = static_cast<std::int64_t>(i);
  }
  return position;
}

absl::StatusOr<std::vector<CellMark>> Marks(const LabelColumn& c, const Rows& rows) {
  const std::vector<std::int64_t> first = FirstUse(c);
  std::vector<CellMark> of_label(c.labels.size(), CellMark::kNone);
  for (std::size_t l = 0; l < c.labels.size(); ++l) {
    if (first[l] < 0 || c.labels[l].empty()) continue;
    absl::StatusOr<CellMark> m = ParseCellMark(c.labels[l]);
    if (!m.ok()) {
      return rows.Error(first[l],
                        absl::StrCat("column ", Quote(c.name), ": ", m.status().message()));
    }
    of_label[l] = *m;
  }
  std::vector<CellMark> out(c.rows.size());
  for (std::size_t i = 0; i < c.rows.size(); ++i) out[i] = of_label[c.rows[i]];
  return out;
}

absl::Status CheckColumns(const TableColumns& c, const Rows& rows) {
  const std::size_t n = c.value.values.size();
  if (c.dimensions.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("table ", Quote(c.name), " has no dimensions: name at least one"));
  }
  if (n == 0)
    return absl::InvalidArgumentError(absl::StrCat("table ", Quote(c.name), " has no rows"));
  for (const DimensionColumn& d : c.dimensions) GDPRKIT_RETURN_IF_ERROR(CheckLabels(d.codes, n));
  if (!c.marks.rows.empty()) GDPRKIT_RETURN_IF_ERROR(CheckLabels(c.marks, n));
  GDPRKIT_RETURN_IF_ERROR(CheckLength(c.contributors, n));
  GDPRKIT_RETURN_IF_ERROR(CheckLength(c.cost, n));
  for (const NumberColumn& l : c.largest) {
    if (l.values.size() != n) GDPRKIT_RETURN_IF_ERROR(CheckLength(l, n));
  }
  const bool counts = c.kind == TableKind::kFrequency;
  GDPRKIT_RETURN_IF_ERROR(CheckNumbers(c.value, "value", counts, rows));
  GDPRKIT_RETURN_IF_ERROR(CheckNumbers(c.contributors, "contributors", true, rows));
  for (const NumberColumn& l : c.largest) {
    GDPRKIT_RETURN_IF_ERROR(CheckNumbers(l, "largest contribution", false, rows));
  }
  return absl::OkStatus();
}

// The cells of the table input, one per row, in row order.
TableInput Input(const TableColumns& c, const std::vector<Dimension>& dims,
                 const std::vector<CellMark>& marks) {
  TableInput in;
  in.name = c.name;
  in.kind = c.kind;
  for (const Dimension& d : dims) in.dimensions.push_back(d.hierarchy);
  const std::size_t n = c.value.values.size();
  in.cells.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    TableCell& cell = in.cells[i];
    cell.codes.reserve(dims.size());
    for (std::size_t d = 0; d < dims.size(); ++d) {
      const int code = dims[d].code_of_label[c.dimensions[d].codes.rows[i]];
      cell.codes.push_back(dims[d].hierarchy.code(code));
    }
    cell.value = c.value.values[i];
    if (!c.contributors.values.empty()) {
      cell.contributors = static_cast<std::int64_t>(c.contributors.values[i]);
    }
    for (const NumberColumn& l : c.largest) cell.largest.push_back(l.values[i]);
    if (!c.cost.values.empty()) cell.cost = c.cost.values[i];
    if (!marks.empty()) cell.mark = marks[i];
  }
  return in;
}

}  // namespace

namespace {

// One table's columns, checked, as the table input of CellTable::FromTables
// and each row's position.
absl::StatusOr<TableInput> LoadInput(const TableColumns& columns, const LoadOptions& options,
                                     std::vector<std::int64_t>* row_position) {
  const Rows rows(columns);
  GDPRKIT_RETURN_IF_ERROR(CheckColumns(columns, rows));
  std::vector<Dimension> dims;
  for (const DimensionColumn& d : columns.dimensions) {
    GDPRKIT_ASSIGN_OR_RETURN(Dimension dim, ResolveDimension(d, rows));
    dims.push_back(std::move(dim));
  }
  std::vector<std::int64_t> row_at;
  GDPRKIT_ASSIGN_OR_RETURN(*row_position, Positions(columns, dims, &row_at, rows));
  GDPRKIT_RETURN_IF_ERROR(CheckMissing(dims, row_at, options));
  row_at = {};
  std::vector<CellMark> marks;
  if (!columns.marks.rows.empty()) {
    GDPRKIT_ASSIGN_OR_RETURN(marks, Marks(columns.marks, rows));
  }
  return Input(columns, dims, marks);
}

BuildOptions BuildOptionsOf(const LoadOptions& options) {
  BuildOptions build;
  build.missing_cells_are_zero = options.missing == MissingCells::kZero;
  build.relative_tolerance = options.relative_tolerance;
  return build;
}

}  // namespace

absl::StatusOr<LoadedTable> TableFromColumns(TableColumns columns, const LoadOptions& options) {
  LoadedTable out;
  GDPRKIT_ASSIGN_OR_RETURN(TableInput input, LoadInput(columns, options, &out.row_position));
  GDPRKIT_ASSIGN_OR_RETURN(out.table, CellTable::FromTables({input}, BuildOptionsOf(options)));
  return out;
}

absl::StatusOr<LoadedTables> TablesFromColumns(std::vector<TableColumns> tables,
                                               const LoadOptions& options) {
  if (tables.empty()) return absl::InvalidArgumentError("no tables to load");
  LoadedTables out;
  out.row_position.resize(tables.size());
  std::vector<TableInput> inputs;
  for (std::size_t t = 0; t < tables.size(); ++t) {
    GDPRKIT_ASSIGN_OR_RETURN(TableInput input, LoadInput(tables[t], options, &out.row_position[t]));
    inputs.push_back(std::move(input));
    tables[t] = TableColumns();  // the columns are no longer needed
  }
  GDPRKIT_ASSIGN_OR_RETURN(out.table, CellTable::FromTables(inputs, BuildOptionsOf(options)));
  return out;
}

}  // namespace gdprkit
