// _gdprkit: small-cell suppression and its audit.
//
// suppression_run over gdprkit::TableFromColumns (the core's loader, the
// CLI's too), Suppress and AuditPattern for one table in long format; the
// names of the area's enums from the core (suppression_*_names); .hrc text
// read by Hierarchy::FromIndentedText. The data cross as NumPy arrays and
// short lists (hierarchies, distinct codes), never as protobuf messages; the
// Pythonic API (pandas in and out, plots) is python/gdprkit/suppression.py.
// Names are parsed and rows checked by the core. The GIL is released while
// the table is loaded, protected and audited.
#include "gdprkit/suppression.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common.h"
#include "common/status_macros.h"

namespace gdprkit {
namespace python {
namespace {

using F64 = py::array_t<double, py::array::c_style | py::array::forcecast>;
using I64 = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using I32 = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
using U8 = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;

[[noreturn]] void Invalid(const std::string& message) {
  Raise(absl::InvalidArgumentError(message));
}

template <typename T>
std::optional<T> Get(const py::dict& d, const char* key) {
  if (!d.contains(key) || d[key].is_none()) return std::nullopt;
  return d[key].cast<T>();
}

py::list NamesList(const std::vector<std::string_view>& names) {
  py::list out;
  for (std::string_view n : names) out.append(Str(n));
  return out;
}

PrimaryRules RulesFrom(const py::dict& d) {
  PrimaryRules r;
  if (auto v = Get<int>(d, "threshold")) r.threshold = *v;
  if (auto v = Get<bool>(d, "threshold_hides_presence")) r.threshold_hides_presence = *v;
  if (auto v = Get<double>(d, "threshold_range_percent")) r.threshold_range_percent = *v;
  if (auto v = Get<std::vector<std::pair<int, double>>>(d, "dominance")) {
    for (const auto& [n, k] : *v) r.dominance.push_back({n, k});
  }
  if (auto v = Get<double>(d, "p_percent")) r.p_percent = *v;
  if (auto v = Get<double>(d, "q_percent")) r.q_percent = *v;
  if (auto v = Get<bool>(d, "protect_zeros")) r.protect_zeros = *v;
  if (auto v = Get<double>(d, "zero_upper")) r.zero_upper = *v;
  if (auto v = Get<double>(d, "manual_percent")) r.manual_percent = *v;
  return r;
}

SuppressOptions OptionsFrom(const py::dict& d) {
  SuppressOptions o;
  if (auto v = Get<std::string>(d, "method")) o.method = ValueOrRaise(ParseSecondaryMethod(*v));
  if (auto v = Get<std::string>(d, "cost")) o.cost = ValueOrRaise(ParseCostModel(*v));
  if (auto v = Get<int>(d, "optimal_max_cells")) o.optimal_max_cells = *v;
  if (auto v = Get<double>(d, "time_limit_seconds")) o.time_limit_seconds = *v;
  if (auto v = Get<int>(d, "effort")) o.effort = *v;
  if (auto v = Get<std::string>(d, "audit_mode")) o.audit.mode = ValueOrRaise(ParseAuditMode(*v));
  if (auto v = Get<int>(d, "exact_component_limit")) o.audit.exact_component_limit = *v;
  return o;
}

LoadOptions LoadOptionsFrom(const py::dict& d) {
  LoadOptions o;
  if (auto v = Get<bool>(d, "compute_totals")) o.compute_totals = *v;
  if (auto v = Get<std::string>(d, "missing")) o.missing = ValueOrRaise(ParseMissingCells(*v));
  if (auto v = Get<double>(d, "relative_tolerance")) o.relative_tolerance = *v;
  if (auto v = Get<std::string>(d, "compute_totals_option")) o.compute_totals_option = *v;
  if (auto v = Get<std::string>(d, "missing_zero_option")) o.missing_zero_option = *v;
  return o;
}

// What the binding returns, filled without the GIL.
struct Output {
  LoadedTables loaded;
  SuppressionResult result;
};

// Loads the tables, then protects them (suppressed_rows == nullptr) or
// audits the given pattern (per table, per row). Runs without the GIL.
absl::StatusOr<Output> Run(std::vector<TableColumns> tables, const LoadOptions& load,
                           const PrimaryRules& rules, const SuppressOptions& options,
                           const std::vector<std::vector<std::uint8_t>>* suppressed_rows) {
  Output out;
  GDPRKIT_ASSIGN_OR_RETURN(out.loaded, TablesFromColumns(std::move(tables), load));
  const CellTable& t = out.loaded.table;
  if (suppressed_rows == nullptr) {
    GDPRKIT_ASSIGN_OR_RETURN(out.result, Suppress(t, rules, options));
    return out;
  }
  std::vector<bool> suppressed(t.num_cells(), false);
  for (std::size_t k = 0; k < suppressed_rows->size(); ++k) {
    const std::vector<std::uint8_t>& rows = (*suppressed_rows)[k];
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i] != 0) suppressed[out.loaded.CellOfRow(k, i)] = true;
    }
  }
  GDPRKIT_ASSIGN_OR_RETURN(out.result, AuditPattern(t, rules, suppressed, options));
  return out;
}

// Table `k` of the output as a dict of arrays by table position; the audit
// lists the verdicts of this table's cells.
py::dict ToPython(const Output& out, int k, const std::vector<std::string>& dim_names) {
  const CellTable& t = out.loaded.table;
  const std::vector<Hierarchy>& dims = t.table_dimensions(k);
  const int size = t.table_size(k);
  const size_t nd = dims.size();
  const SuppressionResult& r = out.result;
  const double nan = std::numeric_limits<double>::quiet_NaN();

  py::list codes, parents, depths;
  for (const Hierarchy& h : dims) {
    py::list c, p, dp;
    for (int i = 0; i < h.size(); ++i) {
      c.append(Str(h.code(i)));
      p.append(h.parent(i));
      dp.append(h.depth(i));
    }
    codes.append(c);
    parents.append(p);
    depths.append(dp);
  }

  I32 position_codes({static_cast<py::ssize_t>(size), static_cast<py::ssize_t>(nd)});
  const std::vector<py::ssize_t> shape{static_cast<py::ssize_t>(size)};
  F64 value(shape), upper(shape), lower(shape), sliding(shape), cost(shape), iv_lo(shape),
      iv_hi(shape);
  U8 status(shape);
  py::array_t<std::uint32_t> reasons(shape);
  py::array_t<std::int8_t> iv_kind(shape);
  std::vector<int> position_of_cell(t.num_cells(), -1);
  {
    auto pc = position_codes.mutable_unchecked<2>();
    auto v = value.mutable_unchecked<1>();
    auto up = upper.mutable_unchecked<1>();
    auto lo = lower.mutable_unchecked<1>();
    auto sl = sliding.mutable_unchecked<1>();
    auto co = cost.mutable_unchecked<1>();
    auto il = iv_lo.mutable_unchecked<1>();
    auto ih = iv_hi.mutable_unchecked<1>();
    auto st = status.mutable_unchecked<1>();
    auto re = reasons.mutable_unchecked<1>();
    auto ik = iv_kind.mutable_unchecked<1>();
    for (int pos = 0; pos < size; ++pos) {
      const int c = t.CellAt(k, pos);
      position_of_cell[c] = pos;
      const std::vector<int> cc = t.CodesAt(k, pos);
      for (size_t d = 0; d < nd; ++d) pc(pos, d) = cc[d];
      v(pos) = t.value(c);
      const Protection& p = r.protection[c];
      up(pos) = p.upper;
      lo(pos) = p.lower;
      sl(pos) = p.sliding;
      re(pos) = p.reasons;
      co(pos) = r.cost.empty() ? nan : r.cost[c];
      st(pos) = static_cast<std::uint8_t>(r.status[c]);
      il(pos) = nan;
      ih(pos) = nan;
      ik(pos) = -1;
    }
    for (const SuppressedInterval& i : r.audit.intervals) {
      const int pos = position_of_cell[i.cell];
      if (pos < 0) continue;
      ik(pos) = static_cast<std::int8_t>(i.kind);
      if (i.kind != IntervalKind::kNotComputed) {
        il(pos) = i.lower;
        ih(pos) = i.upper;
      }
    }
  }
  const std::vector<std::int64_t>& positions = out.loaded.row_position[k];
  I64 row_position(std::vector<py::ssize_t>{static_cast<py::ssize_t>(positions.size())});
  {
    auto rp = row_position.mutable_unchecked<1>();
    for (size_t i = 0; i < positions.size(); ++i) rp(i) = positions[i];
  }
  py::list verdicts;
  for (const PrimaryVerdict& v : r.audit.primaries) {
    if (position_of_cell[v.cell] < 0) continue;  // a cell of another table
    verdicts.append(py::make_tuple(position_of_cell[v.cell], v.value, v.need_lower, v.need_upper,
                                   v.sliding, v.lower, v.upper, v.exact, v.safe,
                                   Message(v.reason)));
  }
  const AuditReport& a = r.audit;
  py::dict audit;
  audit["passed"] = a.passed;
  audit["num_suppressed"] = a.num_suppressed;
  audit["num_determined"] = a.num_determined;
  audit["num_components"] = a.num_components;
  audit["largest_component"] = a.largest_component;
  audit["lp_solves"] = a.lp_solves;
  audit["witnesses_checked"] = a.witnesses_checked;
  audit["verdicts"] = verdicts;

  py::dict d;
  py::list names;
  for (const std::string& s : dim_names) names.append(Str(s));
  d["dims"] = names;
  d["codes"] = codes;
  d["parents"] = parents;
  d["depths"] = depths;
  d["position_codes"] = position_codes;
  d["row_position"] = row_position;
  d["value"] = value;
  d["status"] = status;
  d["reasons"] = reasons;
  d["upper"] = upper;
  d["lower"] = lower;
  d["sliding"] = sliding;
  d["cost"] = cost;
  d["interval_lower"] = iv_lo;
  d["interval_upper"] = iv_hi;
  d["interval_kind"] = iv_kind;
  d["num_primary"] = r.num_primary;
  d["num_secondary"] = r.num_secondary;
  d["total_cost"] = r.total_cost;
  d["method"] = Str(SecondaryMethodName(r.method));
  d["proven_optimal"] = r.proven_optimal;
  d["lower_bound"] = r.lower_bound;
  d["seconds"] = r.seconds;
  d["audit"] = audit;
  return d;
}

std::vector<double> Doubles(const F64& a) {
  auto v = a.unchecked<1>();
  std::vector<double> out(static_cast<size_t>(v.shape(0)));
  for (py::ssize_t i = 0; i < v.shape(0); ++i) out[i] = v(i);
  return out;
}

// (name, float64 array) -> a NumberColumn.
NumberColumn Numbers(const py::handle& spec) {
  auto [name, values] = spec.cast<std::pair<std::string, F64>>();
  if (values.ndim() != 1) Invalid("column " + name + " must be a 1-D array");
  return NumberColumn{name, Doubles(values)};
}

// (name, distinct labels, int32 index per row) -> a LabelColumn.
LabelColumn Labels(const std::string& name, const py::handle& labels, const I32& rows) {
  if (rows.ndim() != 1) Invalid("column " + name + " must be a 1-D array of label indices");
  LabelColumn c{name, labels.cast<std::vector<std::string>>(), {}};
  auto r = rows.unchecked<1>();
  c.rows.resize(static_cast<size_t>(r.shape(0)));
  for (py::ssize_t i = 0; i < r.shape(0); ++i) c.rows[i] = r(i);
  return c;
}

// dims: [(name, labels, rows, [(code, parent), ...] or None, total), ...]
DimensionColumn DimensionFrom(const py::handle& spec) {
  auto t = spec.cast<py::tuple>();
  if (t.size() != 5) Invalid("a dimension is (name, labels, rows, hierarchy, total)");
  DimensionColumn d;
  const auto name = t[0].cast<std::string>();
  d.codes = Labels(name, t[1], t[2].cast<I32>());
  if (!t[3].is_none()) {
    d.hierarchy = ValueOrRaise(Hierarchy::FromParents(
        name, t[3].cast<std::vector<std::pair<std::string, std::string>>>()));
  }
  d.total = t[4].cast<std::string>();
  return d;
}

// describe_row(i, where) -> str, called with the GIL from the loading
// thread; a failing callback gives "row i".
std::function<std::string(std::int64_t)> RowNamer(const py::object& describe, bool where) {
  if (describe.is_none()) return nullptr;
  return [describe, where](std::int64_t i) -> std::string {
    py::gil_scoped_acquire gil;
    try {
      return describe(i, where).cast<std::string>();
    } catch (const std::exception&) {
      return "row " + std::to_string(i);
    }
  };
}

// One table's columns from (name, kind, dims, value, contributors, largest,
// cost, mark, describe_row):
//   dims: [(name, distinct codes, int32 code index per row, [(code, parent),
//   ...] or None for a flat dimension, total), ...]; value, contributors,
//   cost: (column name, float64 array) or None; largest: [(name, float64
//   array), ...] or None; mark: (column name, distinct marks, int32 index
//   per row) or None; describe_row(i, where) names row i in messages. The
//   kind is parsed by the core.
TableColumns TableFrom(const py::handle& spec, std::vector<std::string>* dim_names) {
  auto t = spec.cast<py::tuple>();
  if (t.size() != 9) {
    Invalid(
        "a table is (name, kind, dims, value, contributors, largest, cost, mark, describe_row)");
  }
  TableColumns columns;
  columns.name = t[0].cast<std::string>();
  columns.kind = ValueOrRaise(ParseTableKind(t[1].cast<std::string>()));
  for (const py::handle& h : t[2].cast<py::list>()) {
    columns.dimensions.push_back(DimensionFrom(h));
    dim_names->push_back(columns.dimensions.back().codes.name);
  }
  columns.value = Numbers(t[3]);
  if (!t[4].is_none()) columns.contributors = Numbers(t[4]);
  if (!t[5].is_none()) {
    for (const py::handle& h : t[5].cast<py::list>()) columns.largest.push_back(Numbers(h));
  }
  if (!t[6].is_none()) columns.cost = Numbers(t[6]);
  if (!t[7].is_none()) {
    auto m = t[7].cast<py::tuple>();
    if (m.size() != 3) Invalid("mark is (name, labels, rows)");
    columns.marks = Labels(m[0].cast<std::string>(), m[1], m[2].cast<I32>());
  }
  const py::object describe = py::reinterpret_borrow<py::object>(t[8]);
  columns.row_where = RowNamer(describe, true);
  columns.row_name = RowNamer(describe, false);
  return columns;
}

// suppression_run(tables, rules, options, suppressed, progress) -> [dict].
//   tables: one or more (linked) tables as TableFrom reads them; suppressed:
//   None, or per table a uint8 per row: audit that pattern instead of
//   protecting the tables; progress(stage, done, total) as PyProgress. Names
//   (method, cost, audit_mode, missing) are parsed by the core. One dict per
//   table.
py::list SuppressionRun(const py::list& tables, const py::dict& rules, const py::dict& options,
                        const py::object& suppressed, const py::object& progress) {
  std::vector<TableColumns> columns;
  std::vector<std::vector<std::string>> dim_names(tables.size());
  for (std::size_t k = 0; k < tables.size(); ++k) {
    columns.push_back(TableFrom(tables[k], &dim_names[k]));
  }
  const LoadOptions load = LoadOptionsFrom(options);
  const PrimaryRules r = RulesFrom(rules);
  SuppressOptions o = OptionsFrom(options);
  std::vector<std::vector<std::uint8_t>> suppressed_rows;
  if (!suppressed.is_none()) {
    auto per_table = suppressed.cast<std::vector<U8>>();
    if (per_table.size() != columns.size()) Invalid("suppressed must have one array per table");
    for (std::size_t k = 0; k < per_table.size(); ++k) {
      const U8& a = per_table[k];
      if (a.ndim() != 1 || static_cast<size_t>(a.shape(0)) != columns[k].value.values.size()) {
        Invalid("suppressed must have one entry per row (" +
                std::to_string(columns[k].value.values.size()) + ")");
      }
      auto v = a.unchecked<1>();
      suppressed_rows.emplace_back(static_cast<size_t>(v.shape(0)));
      for (py::ssize_t i = 0; i < v.shape(0); ++i) suppressed_rows.back()[i] = v(i);
    }
  }
  PyProgress p(progress);
  o.progress = p.fn();
  absl::StatusOr<Output> out;
  {
    py::gil_scoped_release release;
    out = Run(std::move(columns), load, r, o, suppressed.is_none() ? nullptr : &suppressed_rows);
  }
  p.Check();
  const Output done = ValueOrRaise(std::move(out));
  py::list results;
  for (std::size_t k = 0; k < dim_names.size(); ++k) {
    results.append(ToPython(done, static_cast<int>(k), dim_names[k]));
  }
  return results;
}

Language LanguageFrom(const std::string& language) { return ValueOrRaise(ParseLanguage(language)); }

// {"published": {name: title}, "status": ..., "reason": ..., "interval_kind":
// ..., "text": ...}: every title of the area in `language`.
py::dict SuppressionTitles(const std::string& language) {
  const Language l = LanguageFrom(language);
  auto titles = [&](const auto& names, auto parse, auto title) {
    py::dict d;
    for (std::string_view n : names) d[Str(n)] = Str(title(*parse(n), l));
    return d;
  };
  py::dict out;
  out["published"] = titles(PublishedStatusNames(), ParsePublishedStatus, PublishedStatusTitle);
  out["status"] = titles(CellStatusNames(), ParseCellStatus, CellStatusTitle);
  out["reason"] = titles(PrimaryReasonNames(), ParsePrimaryReason, PrimaryReasonTitle);
  out["interval_kind"] = titles(IntervalKindNames(), ParseIntervalKind, IntervalKindTitle);
  out["text"] = titles(ReportTextNames(), ParseReportText, ReportTextTitle);
  return out;
}

// hierarchy_from_hrc(text, total, name) -> [(code, parent), ...] in
// hierarchy order, the total first with parent "".
py::list HierarchyFromHrc(const std::string& text, const std::string& total,
                          const std::string& name) {
  const Hierarchy h = ValueOrRaise(Hierarchy::FromIndentedText(name, text, total));
  py::list out;
  for (int i = 0; i < h.size(); ++i) {
    out.append(py::make_tuple(Str(h.code(i)), Str(h.parent(i) < 0 ? "" : h.code(h.parent(i)))));
  }
  return out;
}

}  // namespace

void RegisterSuppression(py::module_& m) {
  m.def("suppression_run", &SuppressionRun, py::arg("tables"), py::arg("rules"), py::arg("options"),
        py::arg("suppressed") = py::none(), py::arg("progress") = py::none(),
        "Loads one or more linked tables from columns (the core's TablesFromColumns), then "
        "protects them (suppressed=None) or audits the given pattern; returns per table a dict "
        "of arrays by table position.");
  m.def("suppression_titles", &SuppressionTitles, py::arg("language"),
        "Every title of the suppression area in a language, by vocabulary and name.");
  m.def(
      "suppression_marker_note",
      [](const std::string& marker, const std::string& language) {
        return Str(MarkerNote(marker, LanguageFrom(language)));
      },
      py::arg("marker"), py::arg("language"));
  m.def(
      "suppression_published_summary",
      [](std::int64_t cells, std::int64_t suppressed, const std::string& marker,
         const std::string& language) {
        return Str(PublishedSummary(cells, suppressed, marker, LanguageFrom(language)));
      },
      py::arg("cells"), py::arg("suppressed"), py::arg("marker"), py::arg("language"));
  m.def(
      "suppression_audit_verdict",
      [](bool passed, std::int64_t unprotected, const std::string& language) {
        return Str(AuditVerdictText(passed, unprotected, LanguageFrom(language)));
      },
      py::arg("passed"), py::arg("unprotected"), py::arg("language"));
  m.def(
      "suppression_audit_figures",
      [](std::int64_t suppressed, std::int64_t determined, std::int64_t components,
         std::int64_t largest, std::int64_t lp_solves, const std::string& language) {
        return Str(AuditFigures(suppressed, determined, components, largest, lp_solves,
                                LanguageFrom(language)));
      },
      py::arg("suppressed"), py::arg("determined"), py::arg("components"), py::arg("largest"),
      py::arg("lp_solves"), py::arg("language"));
  m.def("hierarchy_from_hrc", &HierarchyFromHrc, py::arg("text"), py::arg("total") = "Total",
        py::arg("name") = "",
        "The (code, parent) pairs of a tau-ARGUS .hrc hierarchy, read by the core.");
  m.def("suppression_reasons_text", &PrimaryReasonsText, py::arg("reasons"),
        "The names of the primary-reason bits set, joined by '|'.");
  // The names of each enum, in the core's order (gdprkit/suppression.h).
  m.def("suppression_kind_names", [] { return NamesList(TableKindNames()); });
  m.def("suppression_mark_names", [] { return NamesList(CellMarkNames()); });
  m.def("suppression_missing_names", [] { return NamesList(MissingCellsNames()); });
  m.def("suppression_reason_names", [] { return NamesList(PrimaryReasonNames()); });
  m.def("suppression_audit_mode_names", [] { return NamesList(AuditModeNames()); });
  m.def("suppression_interval_kind_names", [] { return NamesList(IntervalKindNames()); });
  m.def("suppression_method_names", [] { return NamesList(SecondaryMethodNames()); });
  m.def("suppression_cost_names", [] { return NamesList(CostModelNames()); });
  m.def("suppression_status_names", [] { return NamesList(CellStatusNames()); });
  m.def("suppression_published_names", [] { return NamesList(PublishedStatusNames()); });
}

}  // namespace python
}  // namespace gdprkit
