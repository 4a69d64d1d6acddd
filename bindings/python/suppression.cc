// _gdprkit: small-cell suppression and its audit.
//
// One function, suppression_run, over gdprkit::CellTable::FromTables,
// Suppress and Audit for one table in long format. The data cross as NumPy
// arrays and short lists (hierarchies), never as protobuf messages; the
// Pythonic API (pandas in and out, argument checks naming rows, plots) is
// python/gdprkit/suppression.py. The GIL is released while the table is
// built, protected and audited.
#include "gdprkit/suppression.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common.h"

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

SecondaryMethod MethodFrom(const std::string& s) {
  if (s == "auto") return SecondaryMethod::kAuto;
  if (s == "heuristic") return SecondaryMethod::kHeuristic;
  if (s == "optimal") return SecondaryMethod::kOptimal;
  Invalid("unknown method \"" + s + "\"; use \"auto\", \"heuristic\" or \"optimal\"");
}

CostModel CostFrom(const std::string& s) {
  if (s == "cells") return CostModel::kCells;
  if (s == "value") return CostModel::kValue;
  if (s == "contributors") return CostModel::kContributors;
  Invalid("unknown cost \"" + s + "\"; use \"cells\", \"value\" or \"contributors\"");
}

AuditMode AuditModeFrom(const std::string& s) {
  if (s == "auto") return AuditMode::kAuto;
  if (s == "exact") return AuditMode::kExact;
  if (s == "certified") return AuditMode::kCertified;
  Invalid("unknown audit mode \"" + s + "\"; use \"auto\", \"exact\" or \"certified\"");
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
  if (auto v = Get<std::string>(d, "method")) o.method = MethodFrom(*v);
  if (auto v = Get<std::string>(d, "cost")) o.cost = CostFrom(*v);
  if (auto v = Get<int>(d, "optimal_max_cells")) o.optimal_max_cells = *v;
  if (auto v = Get<double>(d, "time_limit_seconds")) o.time_limit_seconds = *v;
  if (auto v = Get<int>(d, "effort")) o.effort = *v;
  if (auto v = Get<std::string>(d, "audit_mode")) o.audit.mode = AuditModeFrom(*v);
  if (auto v = Get<int>(d, "exact_component_limit")) o.audit.exact_component_limit = *v;
  return o;
}

// What the binding returns, filled without the GIL.
struct Output {
  CellTable table;
  std::vector<std::int64_t> row_position;
  SuppressionResult result;  // for an audit: status, protection, audit only
};

// Builds the table from the arrays, then protects it (suppressed == nullptr)
// or audits the given pattern. Runs without the GIL.
absl::StatusOr<Output> Run(TableInput input, const BuildOptions& build, const PrimaryRules& rules,
                           const SuppressOptions& options,
                           const std::vector<std::uint8_t>* suppressed_rows) {
  const size_t n = input.cells.size();
  std::vector<std::vector<std::string>> row_codes;
  row_codes.reserve(n);
  for (const TableCell& c : input.cells) row_codes.push_back(c.codes);
  const std::string name = input.name;
  absl::StatusOr<CellTable> table = CellTable::FromTables({std::move(input)}, build);
  if (!table.ok()) return table.status();
  Output out;
  out.table = *std::move(table);
  const CellTable& t = out.table;
  const std::vector<Hierarchy>& dims = t.table_dimensions(0);
  // Position of every input row: the last dimension runs fastest.
  out.row_position.resize(n);
  for (size_t i = 0; i < n; ++i) {
    std::int64_t pos = 0;
    for (size_t d = 0; d < dims.size(); ++d) {
      pos = pos * dims[d].size() + dims[d].Find(row_codes[i][d]);
    }
    out.row_position[i] = pos;
  }
  row_codes.clear();
  row_codes.shrink_to_fit();
  if (suppressed_rows == nullptr) {
    absl::StatusOr<SuppressionResult> r = Suppress(t, rules, options);
    if (!r.ok()) return r.status();
    out.result = *std::move(r);
    return out;
  }
  absl::StatusOr<std::vector<Protection>> prot = ApplyPrimaryRules(t, rules);
  if (!prot.ok()) return prot.status();
  std::vector<bool> suppressed(t.num_cells(), false);
  for (size_t i = 0; i < n; ++i) {
    if ((*suppressed_rows)[i] != 0) {
      suppressed[t.CellAt(0, static_cast<int>(out.row_position[i]))] = true;
    }
  }
  absl::StatusOr<AuditReport> audit = Audit(t, *prot, suppressed, options.audit);
  if (!audit.ok()) return audit.status();
  SuppressionResult& r = out.result;
  r.protection = *std::move(prot);
  r.status.assign(t.num_cells(), CellStatus::kPublished);
  r.cost = CellCosts(t, options.cost);
  for (int c = 0; c < t.num_cells(); ++c) {
    if (!suppressed[c]) continue;
    if (r.protection[c].primary) {
      r.status[c] = CellStatus::kPrimary;
      ++r.num_primary;
    } else {
      r.status[c] = CellStatus::kSecondary;
      ++r.num_secondary;
      r.total_cost += r.cost[c];
    }
  }
  r.audit = *std::move(audit);
  return out;
}

py::dict ToPython(const Output& out, const std::vector<std::string>& dim_names) {
  const CellTable& t = out.table;
  const std::vector<Hierarchy>& dims = t.table_dimensions(0);
  const int size = t.table_size(0);
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
      const int c = t.CellAt(0, pos);
      position_of_cell[c] = pos;
      const std::vector<int> cc = t.CodesAt(0, pos);
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
  I64 row_position(std::vector<py::ssize_t>{static_cast<py::ssize_t>(out.row_position.size())});
  {
    auto rp = row_position.mutable_unchecked<1>();
    for (size_t i = 0; i < out.row_position.size(); ++i) rp(i) = out.row_position[i];
  }
  py::list verdicts;
  for (const PrimaryVerdict& v : r.audit.primaries) {
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
  d["method"] = SecondaryMethodName(r.method);
  d["proven_optimal"] = r.proven_optimal;
  d["lower_bound"] = r.lower_bound;
  d["seconds"] = r.seconds;
  d["audit"] = audit;
  return d;
}

// suppression_run(name, kind, dims, codes, values, contributors, largest,
// cost, mark, rules, options, suppressed) -> dict.
//   dims: [(dimension name, [(code, parent), ...]), ...]; parent "" = total
//   codes: int32 (rows x dims), indices into each dimension's code list
//   values: float64 (rows); contributors: int64 (rows; -1 unknown) or None;
//   largest: float64 (rows x k; NaN pads) or None; cost: float64 (NaN: none)
//   or None; mark: uint8 (0 none, 1 unsafe, 2 safe) or None;
//   suppressed: uint8 (rows) or None: audit that pattern instead of
//   protecting the table.
py::dict SuppressionRun(const std::string& name, const std::string& kind, const py::list& dims,
                        const I32& codes, const F64& values, const std::optional<I64>& contributors,
                        const std::optional<F64>& largest, const std::optional<F64>& cost,
                        const std::optional<U8>& mark, const py::dict& rules,
                        const py::dict& options, const std::optional<U8>& suppressed,
                        const py::object& progress) {
  TableInput input;
  input.name = name;
  if (kind == "frequency") {
    input.kind = TableKind::kFrequency;
  } else if (kind == "magnitude") {
    input.kind = TableKind::kMagnitude;
  } else {
    Invalid("unknown table kind \"" + kind + "\"; use \"frequency\" or \"magnitude\"");
  }
  std::vector<std::string> dim_names;
  std::vector<std::vector<std::string>> code_lists;
  for (const py::handle& h : dims) {
    auto [dim_name, code_parent] =
        h.cast<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>();
    Hierarchy hier = ValueOrRaise(Hierarchy::FromParents(dim_name, code_parent));
    input.dimensions.push_back(std::move(hier));
    dim_names.push_back(dim_name);
    std::vector<std::string> list;
    list.reserve(code_parent.size());
    for (auto& [c, p] : code_parent) list.push_back(std::move(c));
    code_lists.push_back(std::move(list));
  }
  const size_t nd = code_lists.size();
  if (nd == 0) Invalid("a table needs at least one dimension");
  if (codes.ndim() != 2 || static_cast<size_t>(codes.shape(1)) != nd) {
    Invalid("codes must be a 2-D array with one column per dimension");
  }
  const py::ssize_t n = codes.shape(0);
  auto same_rows = [n](const py::array& a, const char* what) {
    if (a.ndim() < 1 || a.shape(0) != n) {
      Invalid(std::string(what) + " must have one entry per row (" + std::to_string(n) + ")");
    }
  };
  same_rows(values, "values");
  if (contributors) same_rows(*contributors, "contributors");
  if (largest) {
    same_rows(*largest, "largest");
    if (largest->ndim() != 2) Invalid("largest must be a 2-D array (rows x contributions)");
  }
  if (cost) same_rows(*cost, "cost");
  if (mark) same_rows(*mark, "mark");
  if (suppressed) same_rows(*suppressed, "suppressed");

  PrimaryRules r = RulesFrom(rules);
  SuppressOptions o = OptionsFrom(options);
  // progress(stage, done, total) -> False cancels. Called from the solving
  // thread (this one) with the GIL taken back; an exception it raises cancels
  // the run and is raised again here.
  std::optional<py::error_already_set> progress_error;
  if (!progress.is_none()) {
    if (!PyCallable_Check(progress.ptr())) throw py::type_error("progress must be callable");
    o.progress = [&progress, &progress_error](const Progress& p) -> bool {
      py::gil_scoped_acquire gil;
      try {
        py::object r = progress(Str(std::string(p.stage.data(), p.stage.size())), p.done, p.total);
        return r.is_none() || r.cast<bool>();
      } catch (py::error_already_set& e) {
        progress_error.emplace(std::move(e));
        return false;
      } catch (const py::cast_error&) {
        return true;
      }
    };
  }
  BuildOptions build;
  if (auto v = Get<bool>(options, "missing_cells_are_zero")) build.missing_cells_are_zero = *v;
  if (auto v = Get<double>(options, "relative_tolerance")) build.relative_tolerance = *v;

  std::vector<std::uint8_t> suppressed_rows;
  absl::Status pre;
  absl::StatusOr<Output> out;
  {
    auto cd = codes.unchecked<2>();
    auto vl = values.unchecked<1>();
    py::gil_scoped_release release;
    input.cells.resize(static_cast<size_t>(n));
    for (py::ssize_t i = 0; i < n && pre.ok(); ++i) {
      TableCell& c = input.cells[i];
      c.codes.resize(nd);
      for (size_t d = 0; d < nd; ++d) {
        const std::int32_t k = cd(i, d);
        if (k < 0 || static_cast<size_t>(k) >= code_lists[d].size()) {
          pre = absl::InvalidArgumentError("row " + std::to_string(i) + ": code index " +
                                           std::to_string(k) + " of dimension " + dim_names[d] +
                                           " is out of range");
          break;
        }
        c.codes[d] = code_lists[d][k];
      }
      c.value = vl(i);
    }
    if (contributors) {
      auto a = contributors->unchecked<1>();
      for (py::ssize_t i = 0; i < n; ++i) input.cells[i].contributors = a(i);
    }
    if (largest) {
      auto a = largest->unchecked<2>();
      for (py::ssize_t i = 0; i < n; ++i) {
        for (py::ssize_t k = 0; k < a.shape(1) && !std::isnan(a(i, k)); ++k) {
          input.cells[i].largest.push_back(a(i, k));
        }
      }
    }
    if (cost) {
      auto a = cost->unchecked<1>();
      for (py::ssize_t i = 0; i < n; ++i) input.cells[i].cost = a(i);
    }
    if (mark) {
      auto a = mark->unchecked<1>();
      for (py::ssize_t i = 0; i < n; ++i) {
        if (a(i) > 2) {
          pre = absl::InvalidArgumentError("row " + std::to_string(i) + ": unknown mark " +
                                           std::to_string(a(i)));
          break;
        }
        input.cells[i].mark = static_cast<CellMark>(a(i));
      }
    }
    if (suppressed) {
      auto a = suppressed->unchecked<1>();
      suppressed_rows.resize(static_cast<size_t>(n));
      for (py::ssize_t i = 0; i < n; ++i) suppressed_rows[i] = a(i);
    }
    if (pre.ok()) {
      out = Run(std::move(input), build, r, o, suppressed ? &suppressed_rows : nullptr);
    } else {
      out = pre;
    }
  }
  if (progress_error) throw *std::move(progress_error);
  return ToPython(ValueOrRaise(std::move(out)), dim_names);
}

}  // namespace

void RegisterSuppression(py::module_& m) {
  m.def("suppression_run", &SuppressionRun, py::arg("name"), py::arg("kind"), py::arg("dims"),
        py::arg("codes"), py::arg("values"), py::arg("contributors"), py::arg("largest"),
        py::arg("cost"), py::arg("mark"), py::arg("rules"), py::arg("options"),
        py::arg("suppressed"), py::arg("progress") = py::none(),
        "Builds one table from arrays, then protects it (suppressed=None) or audits the "
        "given pattern; returns a dict of arrays by table position.");
}

}  // namespace python
}  // namespace gdprkit
