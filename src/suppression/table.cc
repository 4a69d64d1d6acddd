// Hierarchies and cell tables: input checks, totals, linked tables, relations.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sv.h"
#include "common/text.h"
#include "gdprkit/suppression.h"
#include "suppression/internal/sdc_model.h"

namespace gdprkit {
namespace internal {

CellTable WrapCellTable(std::shared_ptr<const SdcData> data) { return CellTable(std::move(data)); }

void SdcData::BuildCellIndex() {
  const int n = num_cells();
  cr_start.assign(n + 1, 0);
  for (int c : rel_cell) ++cr_start[c + 1];
  for (int i = 0; i < n; ++i) cr_start[i + 1] += cr_start[i];
  cr_rel.assign(rel_cell.size(), 0);
  std::vector<int> fill(cr_start.begin(), cr_start.end() - 1);
  for (int r = 0; r < num_relations(); ++r) {
    for (int k = rel_start[r]; k < rel_start[r + 1]; ++k) cr_rel[fill[rel_cell[k]]++] = r;
  }
}

std::string SdcData::CellName(int c) const {
  if (c < 0 || c >= num_cells()) return absl::StrCat("#", c);
  if (static_cast<size_t>(c) < name.size()) return name[c];
  const ProductTable& t = tables[home_table[c]];
  std::string out = absl::StrCat(t.name, "(");
  for (size_t d = 0; d < t.dims.size(); ++d) {
    absl::StrAppend(&out, d > 0 ? ", " : "", t.dims[d].name(), "=",
                    t.dims[d].code(t.CodeAt(home_pos[c], static_cast<int>(d))));
  }
  absl::StrAppend(&out, ")");
  return out;
}

std::string SdcData::RelationName(int r) const {
  if (r < 0 || r >= num_relations()) return "relation ?";
  if (rel_table[r] >= 0) {
    const ProductTable& t = tables[rel_table[r]];
    const int total = t.cell_of[rel_pos[r]];
    const Hierarchy& h = t.dims[rel_dim[r]];
    return absl::StrCat("relation ", CellName(total), " = sum of its parts under ", h.name(), "=",
                        h.code(t.CodeAt(rel_pos[r], rel_dim[r])));
  }
  std::string out = absl::StrCat("relation #", r, " (");
  for (int k = rel_start[r]; k < rel_start[r + 1] && k - rel_start[r] < 6; ++k) {
    absl::StrAppend(&out, k > rel_start[r] ? ", " : "", CellName(rel_cell[k]));
  }
  if (rel_start[r + 1] - rel_start[r] > 6) absl::StrAppend(&out, ", ...");
  absl::StrAppend(&out, ")");
  return out;
}

}  // namespace internal

namespace {

using internal::AV;
using internal::HierarchyData;
using internal::kInf;
using internal::ProductTable;
using internal::SdcData;

using internal::Quote;

// "; did you mean ..." over the codes of a hierarchy.
std::string Nearest(std::string_view wanted, const std::vector<std::string>& codes) {
  return internal::DidYouMean(wanted, codes);
}

std::string Num(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return absl::StrCat(static_cast<int64_t>(v));
  return absl::StrCat(v);
}

}  // namespace

// ---------------------------------------------------------------------------
// Hierarchy
// ---------------------------------------------------------------------------

namespace {
const std::vector<int>& EmptyChildren() {
  static const std::vector<int>* empty = new std::vector<int>();
  return *empty;
}
const std::string& EmptyString() {
  static const std::string* empty = new std::string();
  return *empty;
}
}  // namespace

Hierarchy::Hierarchy() = default;
Hierarchy::Hierarchy(std::shared_ptr<const internal::HierarchyData> data)
    : data_(std::move(data)) {}

const std::string& Hierarchy::name() const { return data_ ? data_->name : EmptyString(); }
int Hierarchy::size() const { return data_ ? static_cast<int>(data_->codes.size()) : 0; }
const std::string& Hierarchy::code(int i) const {
  return (data_ && i >= 0 && i < size()) ? data_->codes[i] : EmptyString();
}
int Hierarchy::parent(int i) const {
  return (data_ && i >= 0 && i < size()) ? data_->parent[i] : -1;
}
const std::vector<int>& Hierarchy::children(int i) const {
  return (data_ && i >= 0 && i < size()) ? data_->children[i] : EmptyChildren();
}
int Hierarchy::depth(int i) const { return (data_ && i >= 0 && i < size()) ? data_->depth[i] : 0; }
int Hierarchy::Find(std::string_view code) const {
  if (!data_) return -1;
  auto it = data_->index.find(AV(code));
  return it == data_->index.end() ? -1 : it->second;
}
bool Hierarchy::SameCodes(const Hierarchy& other) const {
  if (size() != other.size()) return false;
  if (size() == 0) return true;
  return data_->codes == other.data_->codes && data_->parent == other.data_->parent;
}

absl::StatusOr<Hierarchy> Hierarchy::FromParents(
    std::string_view name, const std::vector<std::pair<std::string, std::string>>& code_parent) {
  const std::string where = absl::StrCat("hierarchy ", Quote(name));
  if (code_parent.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where, " has no codes"));
  }
  absl::flat_hash_map<std::string, int> input_index;
  std::vector<std::string> all_codes;
  for (size_t i = 0; i < code_parent.size(); ++i) {
    const std::string& code = code_parent[i].first;
    if (code.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": entry ", i + 1, " has an empty code"));
    }
    if (!input_index.emplace(code, static_cast<int>(i)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": code ", Quote(code), " appears twice"));
    }
    all_codes.push_back(code);
  }
  const int n = static_cast<int>(code_parent.size());
  std::vector<int> in_parent(n, -1);
  int root = -1;
  for (int i = 0; i < n; ++i) {
    const std::string& p = code_parent[i].second;
    if (p.empty()) {
      if (root >= 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, " has more than one total (codes without a parent): ",
                         Quote(code_parent[root].first), " and ", Quote(code_parent[i].first)));
      }
      root = i;
      continue;
    }
    auto it = input_index.find(p);
    if (it == input_index.end()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": code ", Quote(code_parent[i].first),
                                                     " has parent ", Quote(p),
                                                     ", which is not a code of the hierarchy "
                                                     "(an orphan code)",
                                                     Nearest(p, all_codes)));
    }
    if (it->second == i) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": code ", Quote(p), " is its own parent (a cycle)"));
    }
    in_parent[i] = it->second;
  }
  if (root < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, " has no total (every code has a parent, so the parents form a cycle)"));
  }
  std::vector<std::vector<int>> in_children(n);
  for (int i = 0; i < n; ++i) {
    if (in_parent[i] >= 0) in_children[in_parent[i]].push_back(i);
  }
  // Pre-order from the root; codes not reached lie on a cycle.
  auto data = std::make_shared<HierarchyData>();
  data->name = std::string(name);
  std::vector<int> new_index(n, -1);
  std::vector<int> order;
  std::vector<int> stack{root};
  while (!stack.empty()) {
    const int c = stack.back();
    stack.pop_back();
    new_index[c] = static_cast<int>(order.size());
    order.push_back(c);
    for (auto it = in_children[c].rbegin(); it != in_children[c].rend(); ++it) stack.push_back(*it);
  }
  if (static_cast<int>(order.size()) != n) {
    int start = -1;
    for (int i = 0; i < n; ++i) {
      if (new_index[i] < 0) {
        start = i;
        break;
      }
    }
    // Walk up from `start` until a code repeats: that is the cycle.
    std::vector<int> seen_at(n, -1);
    std::vector<int> path;
    int c = start;
    while (seen_at[c] < 0) {
      seen_at[c] = static_cast<int>(path.size());
      path.push_back(c);
      c = in_parent[c];
    }
    std::vector<std::string> cycle;
    for (size_t k = seen_at[c]; k < path.size(); ++k) cycle.push_back(code_parent[path[k]].first);
    cycle.push_back(code_parent[c].first);
    return absl::InvalidArgumentError(absl::StrCat(
        where, " has a cycle: ", absl::StrJoin(cycle, " -> "), " (each code's parent follows it)"));
  }
  data->codes.resize(n);
  data->parent.resize(n);
  data->children.resize(n);
  data->depth.resize(n);
  for (int k = 0; k < n; ++k) {
    const int c = order[k];
    data->codes[k] = code_parent[c].first;
    data->parent[k] = in_parent[c] < 0 ? -1 : new_index[in_parent[c]];
    for (int ch : in_children[c]) data->children[k].push_back(new_index[ch]);
    data->depth[k] = data->parent[k] < 0 ? 0 : data->depth[data->parent[k]] + 1;
    data->index.emplace(data->codes[k], k);
  }
  return Hierarchy(std::move(data));
}

absl::StatusOr<Hierarchy> Hierarchy::Flat(std::string_view name,
                                          const std::vector<std::string>& codes,
                                          std::string_view total) {
  if (codes.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("hierarchy ", Quote(name), " has no codes"));
  }
  std::vector<std::pair<std::string, std::string>> cp;
  cp.emplace_back(std::string(total), "");
  for (const std::string& c : codes) cp.emplace_back(c, std::string(total));
  return FromParents(name, cp);
}

absl::StatusOr<Hierarchy> Hierarchy::FromIndentedText(std::string_view name, std::string_view text,
                                                      std::string_view total) {
  // "hierarchy "region"" (or "hierarchy" for an unnamed one) and the line.
  const std::string what = name.empty() ? "hierarchy" : absl::StrCat("hierarchy ", Quote(name));
  std::vector<std::pair<std::string, std::string>> cp;
  cp.emplace_back(std::string(total), "");
  absl::flat_hash_map<std::string, int> line_of;  // code -> its line (0: the total)
  line_of.emplace(std::string(total), 0);
  std::vector<std::string> stack;  // stack[d] = last code at level d
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) {
      if (end == text.size()) break;
      continue;
    }
    int level = 0;
    while (level < static_cast<int>(line.size()) && line[level] == '@') ++level;
    std::string code(line.substr(level));
    while (!code.empty() && (code.front() == ' ' || code.front() == '\t')) code.erase(0, 1);
    const std::string where = absl::StrCat(what, " line ", line_no);
    if (code.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": empty code"));
    if (level > static_cast<int>(stack.size())) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": code ", Quote(code), " is ", level - static_cast<int>(stack.size()) + 1,
          " levels deeper than the line before it (at most one level at a time)"));
    }
    if (auto [it, added] = line_of.emplace(code, line_no); !added) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": duplicated code ", Quote(code),
                       it->second == 0 ? " (it is the total)"
                                       : absl::StrCat(" (first on line ", it->second, ")")));
    }
    stack.resize(level);
    cp.emplace_back(code, level == 0 ? std::string(total) : stack.back());
    stack.push_back(code);
    if (end == text.size()) break;
  }
  if (cp.size() == 1) return absl::InvalidArgumentError(absl::StrCat(what, " has no codes"));
  return FromParents(name, cp);
}

// ---------------------------------------------------------------------------
// CellTable accessors
// ---------------------------------------------------------------------------

namespace {
const SdcData& EmptyData() {
  static const SdcData* empty = [] {
    auto* d = new SdcData();
    d->BuildCellIndex();
    return d;
  }();
  return *empty;
}
}  // namespace

CellTable::CellTable()
    : data_(std::shared_ptr<const SdcData>(&EmptyData(), [](const SdcData*) {})) {}
CellTable::CellTable(std::shared_ptr<const SdcData> data) : data_(std::move(data)) {}

TableKind CellTable::kind() const { return data_->kind; }
int CellTable::num_cells() const { return data_->num_cells(); }
int CellTable::num_relations() const { return data_->num_relations(); }
std::string CellTable::cell_name(int i) const { return data_->CellName(i); }
double CellTable::value(int i) const { return data_->value[i]; }
std::int64_t CellTable::contributors(int i) const { return data_->contributors[i]; }
const std::vector<double>& CellTable::largest(int i) const { return data_->largest[i]; }
CellMark CellTable::mark(int i) const { return data_->mark[i]; }
double CellTable::cost_override(int i) const { return data_->cost[i]; }
double CellTable::lower_bound(int i) const { return data_->lower_bound[i]; }
double CellTable::upper_bound(int i) const { return data_->upper_bound[i]; }

LinearRelation CellTable::relation(int r) const {
  LinearRelation out;
  for (int k = data_->rel_start[r]; k < data_->rel_start[r + 1]; ++k) {
    out.cells.push_back(data_->rel_cell[k]);
    out.coefficients.push_back(data_->rel_coef[k]);
  }
  out.rhs = data_->rel_rhs[r];
  return out;
}
std::string CellTable::RelationName(int r) const { return data_->RelationName(r); }

int CellTable::num_tables() const { return static_cast<int>(data_->tables.size()); }
const std::string& CellTable::table_name(int t) const { return data_->tables[t].name; }
const std::vector<Hierarchy>& CellTable::table_dimensions(int t) const {
  return data_->tables[t].dims;
}
int CellTable::table_size(int t) const { return static_cast<int>(data_->tables[t].cell_of.size()); }
int CellTable::CellAt(int t, int position) const { return data_->tables[t].cell_of[position]; }
std::vector<int> CellTable::CodesAt(int t, int position) const {
  const ProductTable& pt = data_->tables[t];
  std::vector<int> codes(pt.dims.size());
  for (size_t d = 0; d < pt.dims.size(); ++d) codes[d] = pt.CodeAt(position, static_cast<int>(d));
  return codes;
}

std::vector<CellLocation> CellTable::Locations(int cell) const {
  std::vector<CellLocation> out;
  if (cell < 0 || cell >= num_cells() || data_->home_table.empty() || data_->home_table[cell] < 0) {
    return out;
  }
  // The home location, then any other table holding the same cell.
  for (int t = 0; t < num_tables(); ++t) {
    if (t == data_->home_table[cell]) {
      out.push_back({t, CodesAt(t, data_->home_pos[cell])});
      continue;
    }
    if (data_->table_count[cell] < 2) continue;
    // Shared cells: the non-root codes of the home location, at the root in
    // every other dimension of table t.
    const ProductTable& home = data_->tables[data_->home_table[cell]];
    const ProductTable& pt = data_->tables[t];
    std::vector<int> codes(pt.dims.size(), 0);
    bool ok = true;
    for (size_t hd = 0; hd < home.dims.size() && ok; ++hd) {
      const int code = home.CodeAt(data_->home_pos[cell], static_cast<int>(hd));
      if (code == 0) continue;
      ok = false;
      for (size_t d = 0; d < pt.dims.size(); ++d) {
        if (pt.dims[d].name() == home.dims[hd].name()) {
          codes[d] = code;
          ok = true;
        }
      }
    }
    if (ok && pt.cell_of[pt.Position(codes)] == cell) out.push_back({t, codes});
  }
  return out;
}

absl::StatusOr<int> CellTable::FindCell(std::string_view table,
                                        const std::vector<std::string>& codes) const {
  for (const ProductTable& pt : data_->tables) {
    if (pt.name != table) continue;
    if (codes.size() != pt.dims.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "table ", Quote(table), " has ", pt.dims.size(), " dimensions, not ", codes.size()));
    }
    std::vector<int> idx(codes.size());
    for (size_t d = 0; d < codes.size(); ++d) {
      idx[d] = pt.dims[d].Find(codes[d]);
      if (idx[d] < 0) {
        return absl::NotFoundError(absl::StrCat("table ", Quote(table), ": unknown code ",
                                                Quote(codes[d]), " in dimension ",
                                                Quote(pt.dims[d].name())));
      }
    }
    return pt.cell_of[pt.Position(idx)];
  }
  return absl::NotFoundError(absl::StrCat("no table named ", Quote(table)));
}

absl::StatusOr<int> CellTable::FindCellByName(std::string_view name) const {
  if (data_->tables.empty()) {
    auto it = data_->name_index.find(AV(name));
    if (it != data_->name_index.end()) return it->second;
  } else {
    for (int c = 0; c < num_cells(); ++c) {
      if (data_->CellName(c) == name) return c;
    }
  }
  return absl::NotFoundError(absl::StrCat("no cell named ", Quote(name)));
}

// ---------------------------------------------------------------------------
// Building from hierarchical tables
// ---------------------------------------------------------------------------

namespace {

constexpr int64_t kMaxCells = 200'000'000;

// Per-position data of one table while it is being built.
struct Staging {
  std::vector<uint8_t> given;
  std::vector<int> given_row;
  std::vector<double> value;
  std::vector<int64_t> contributors;
  std::vector<std::vector<double>> largest;
  std::vector<double> cost;
  std::vector<CellMark> mark;
  std::vector<double> manual_upper, manual_lower;
};

std::string CellLabel(const TableInput& t, const std::vector<int>& codes) {
  std::vector<std::string> parts;
  for (size_t d = 0; d < codes.size(); ++d) {
    parts.push_back(absl::StrCat(t.dimensions[d].name(), "=", t.dimensions[d].code(codes[d])));
  }
  return absl::StrCat(t.name, "(", absl::StrJoin(parts, ", "), ")");
}

std::string PositionLabel(const TableInput& t, const ProductTable& pt, int pos) {
  std::vector<int> codes(pt.dims.size());
  for (size_t d = 0; d < codes.size(); ++d) codes[d] = pt.CodeAt(pos, static_cast<int>(d));
  return CellLabel(t, codes);
}

bool Close(double a, double b, bool integer, double rel_tol) {
  if (integer) return a == b;
  return std::fabs(a - b) <= rel_tol * (1.0 + std::max(std::fabs(a), std::fabs(b)));
}

// Merges `b` into the sorted-descending list `a`, keeping at most `k`.
void MergeTop(std::vector<double>* a, const std::vector<double>& b, size_t k) {
  if (b.empty()) return;
  std::vector<double> out;
  out.reserve(std::min(k, a->size() + b.size()));
  size_t i = 0, j = 0;
  while (out.size() < k && (i < a->size() || j < b.size())) {
    if (j >= b.size() || (i < a->size() && (*a)[i] >= b[j])) {
      out.push_back((*a)[i++]);
    } else {
      out.push_back(b[j++]);
    }
  }
  *a = std::move(out);
}

// Beyond this the LP solvers lose the precision the audit needs (and CLP
// refuses objective coefficients from 1e25 on, by aborting).
constexpr double kMaxNumber = 1e15;

absl::Status CheckCellNumbers(const std::string& label, TableKind kind, const TableCell& c) {
  if (!std::isfinite(c.value)) {
    return absl::InvalidArgumentError(absl::StrCat("cell ", label, " has value ", Num(c.value),
                                                   " (values must be finite numbers)"));
  }
  if (c.value < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cell ", label, " has negative value ", Num(c.value)));
  }
  if (kind == TableKind::kMagnitude && c.value > kMaxNumber) {
    return absl::InvalidArgumentError(absl::StrCat("cell ", label, " has value ", Num(c.value),
                                                   ", more than 1e15 (rescale the unit)"));
  }
  if (!std::isnan(c.cost) && c.cost > kMaxNumber) {
    return absl::InvalidArgumentError(absl::StrCat("cell ", label, " has cost ", Num(c.cost),
                                                   ", more than 1e15 (only ratios of costs "
                                                   "matter: rescale them)"));
  }
  if (kind == TableKind::kFrequency) {
    if (c.value != std::floor(c.value)) {
      return absl::InvalidArgumentError(absl::StrCat("cell ", label, " has count ", Num(c.value),
                                                     ", which is not a whole number"));
    }
    if (c.value > 9.0e15) {
      return absl::InvalidArgumentError(absl::StrCat("cell ", label, " has count ", Num(c.value),
                                                     ", too large to count exactly"));
    }
    if (c.contributors >= 0 && static_cast<double>(c.contributors) != c.value) {
      return absl::InvalidArgumentError(absl::StrCat("cell ", label, " of a frequency table has ",
                                                     c.contributors, " contributors but count ",
                                                     Num(c.value), " (they must agree)"));
    }
    if (!c.largest.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "cell ", label, " of a frequency table lists largest contributions (magnitude only)"));
    }
  } else {
    if (c.contributors < -1) {
      return absl::InvalidArgumentError(
          absl::StrCat("cell ", label, " has ", c.contributors, " contributors"));
    }
    if (c.contributors == 0 && c.value != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("cell ", label, " has no contributors but value ", Num(c.value)));
    }
    double sum = 0;
    for (size_t k = 0; k < c.largest.size(); ++k) {
      const double x = c.largest[k];
      if (!std::isfinite(x) || x < 0) {
        return absl::InvalidArgumentError(absl::StrCat("cell ", label, ": largest contribution ",
                                                       k + 1, " is ", Num(x),
                                                       " (must be finite and non-negative)"));
      }
      if (k > 0 && x > c.largest[k - 1]) {
        return absl::InvalidArgumentError(
            absl::StrCat("cell ", label, ": largest contributions must be sorted largest first (",
                         Num(x), " follows ", Num(c.largest[k - 1]), ")"));
      }
      sum += x;
    }
    if (sum > c.value * (1 + 1e-9) + 1e-9) {
      return absl::InvalidArgumentError(
          absl::StrCat("cell ", label, ": its largest contributions add up to ", Num(sum),
                       ", more than its value ", Num(c.value)));
    }
    if (c.contributors >= 0 && static_cast<int64_t>(c.largest.size()) > c.contributors) {
      return absl::InvalidArgumentError(absl::StrCat("cell ", label, " lists ", c.largest.size(),
                                                     " largest contributions but has only ",
                                                     c.contributors, " contributors"));
    }
  }
  if (!std::isnan(c.cost) && (!std::isfinite(c.cost) || c.cost < 0)) {
    return absl::InvalidArgumentError(absl::StrCat("cell ", label, " has cost ", Num(c.cost),
                                                   " (must be finite and non-negative)"));
  }
  for (double m : {c.manual_upper, c.manual_lower}) {
    if (!std::isnan(m) && (!std::isfinite(m) || m < 0)) {
      return absl::InvalidArgumentError(absl::StrCat("cell ", label, " has protection level ",
                                                     Num(m), " (must be finite, non-negative)"));
    }
    if (!std::isnan(m) && m > kMaxNumber) {
      return absl::InvalidArgumentError(
          absl::StrCat("cell ", label, " has protection level ", Num(m), ", more than 1e15"));
    }
  }
  if ((!std::isnan(c.manual_upper) || !std::isnan(c.manual_lower)) && c.mark != CellMark::kUnsafe) {
    return absl::InvalidArgumentError(
        absl::StrCat("cell ", label, " has manual protection levels but is not marked unsafe"));
  }
  return absl::OkStatus();
}

// Calls f(position) for every position whose code in dimension d is c.
template <typename F>
void ForSlice(const ProductTable& pt, int d, int c, F f) {
  const int64_t block = static_cast<int64_t>(pt.sizes[d]) * pt.stride[d];
  const int64_t n = static_cast<int64_t>(pt.cell_of.size());
  for (int64_t outer = 0; outer < n; outer += block) {
    const int64_t base = outer + static_cast<int64_t>(c) * pt.stride[d];
    for (int64_t in = 0; in < pt.stride[d]; ++in) f(static_cast<int>(base + in));
  }
}

absl::Status StageTable(const TableInput& t, const BuildOptions& options, ProductTable* pt,
                        Staging* s) {
  const std::string tname = Quote(t.name);
  if (t.dimensions.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("table ", tname, " has no dimensions"));
  }
  int64_t n = 1;
  absl::flat_hash_set<std::string> dim_names;
  for (const Hierarchy& h : t.dimensions) {
    if (h.size() == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("table ", tname, " has an empty hierarchy ", Quote(h.name())));
    }
    if (h.name().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("table ", tname, " has a dimension without a name"));
    }
    if (!dim_names.insert(h.name()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("table ", tname, " uses dimension ", Quote(h.name()), " twice"));
    }
    n *= h.size();
    if (n > kMaxCells) {
      return absl::InvalidArgumentError(
          absl::StrCat("table ", tname, " would have more than ", kMaxCells, " cells"));
    }
  }
  const int k = static_cast<int>(t.dimensions.size());
  pt->name = t.name;
  pt->dims = t.dimensions;
  pt->sizes.resize(k);
  pt->stride.resize(k);
  int stride = 1;
  for (int d = k - 1; d >= 0; --d) {
    pt->sizes[d] = t.dimensions[d].size();
    pt->stride[d] = stride;
    stride *= pt->sizes[d];
  }
  pt->cell_of.assign(n, -1);
  s->given.assign(n, 0);
  s->given_row.assign(n, -1);
  s->value.assign(n, 0);
  s->contributors.assign(n, -1);
  s->largest.assign(t.kind == TableKind::kMagnitude ? n : 0, {});
  s->cost.assign(n, kUnset);
  s->mark.assign(n, CellMark::kNone);
  s->manual_upper.assign(n, kUnset);
  s->manual_lower.assign(n, kUnset);

  std::vector<int> codes(k);
  for (size_t row = 0; row < t.cells.size(); ++row) {
    const TableCell& c = t.cells[row];
    if (static_cast<int>(c.codes.size()) != k) {
      return absl::InvalidArgumentError(absl::StrCat("table ", tname, " cell ", row + 1, " has ",
                                                     c.codes.size(), " codes; the table has ", k,
                                                     " dimensions"));
    }
    for (int d = 0; d < k; ++d) {
      codes[d] = t.dimensions[d].Find(c.codes[d]);
      if (codes[d] < 0) {
        std::vector<std::string> all;
        for (int i = 0; i < t.dimensions[d].size(); ++i) all.push_back(t.dimensions[d].code(i));
        return absl::InvalidArgumentError(absl::StrCat(
            "table ", tname, " cell ", row + 1, ": unknown code ", Quote(c.codes[d]),
            " in dimension ", Quote(t.dimensions[d].name()), Nearest(c.codes[d], all)));
      }
    }
    const int pos = pt->Position(codes);
    const std::string label = CellLabel(t, codes);
    if (s->given[pos]) {
      return absl::InvalidArgumentError(absl::StrCat("cell ", label, " appears twice (rows ",
                                                     s->given_row[pos] + 1, " and ", row + 1, ")"));
    }
    if (absl::Status st = CheckCellNumbers(label, t.kind, c); !st.ok()) return st;
    s->given[pos] = 1;
    s->given_row[pos] = static_cast<int>(row);
    s->value[pos] = c.value;
    s->contributors[pos] =
        t.kind == TableKind::kFrequency ? static_cast<int64_t>(c.value) : c.contributors;
    if (t.kind == TableKind::kMagnitude) s->largest[pos] = c.largest;
    s->cost[pos] = c.cost;
    s->mark[pos] = c.mark;
    s->manual_upper[pos] = c.manual_upper;
    s->manual_lower[pos] = c.manual_lower;
  }

  // Leaf cells must all be present.
  std::vector<uint8_t> leaf(n, 1);
  for (int d = 0; d < k; ++d) {
    for (int c = 0; c < pt->sizes[d]; ++c) {
      if (!t.dimensions[d].is_leaf(c)) ForSlice(*pt, d, c, [&](int pos) { leaf[pos] = 0; });
    }
  }
  int64_t missing = 0;
  int first_missing = -1;
  for (int64_t pos = 0; pos < n; ++pos) {
    if (leaf[pos] && !s->given[pos]) {
      if (options.missing_cells_are_zero) {
        s->contributors[pos] = 0;
        continue;
      }
      if (first_missing < 0) first_missing = static_cast<int>(pos);
      ++missing;
    }
  }
  if (missing > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cell ", PositionLabel(t, *pt, first_missing), " is missing",
        missing > 1 ? absl::StrCat(" (and ", missing - 1, " more cells)") : "",
        "; give every cell whose codes are all leaves (or set missing_cells_are_zero)"));
  }

  // Totals: sum of leaf descendants, one dimension at a time.
  std::vector<double> agg(n, 0);
  std::vector<int64_t> agg_contrib(n, 0);
  std::vector<std::vector<double>> agg_largest(t.kind == TableKind::kMagnitude ? n : 0);
  size_t top_k = 0;
  for (int64_t pos = 0; pos < n; ++pos) {
    if (!leaf[pos]) continue;
    agg[pos] = s->value[pos];
    agg_contrib[pos] = s->contributors[pos];
    if (t.kind == TableKind::kMagnitude) {
      agg_largest[pos] = s->largest[pos];
      top_k = std::max(top_k, s->largest[pos].size());
    }
  }
  for (int d = 0; d < k; ++d) {
    const Hierarchy& h = t.dimensions[d];
    for (int c = h.size() - 1; c >= 1; --c) {
      const int p = h.parent(c);
      const int delta = (p - c) * pt->stride[d];
      ForSlice(*pt, d, c, [&](int pos) {
        const int to = pos + delta;
        agg[to] += agg[pos];
        if (agg_contrib[to] >= 0) {
          agg_contrib[to] = agg_contrib[pos] < 0 ? -1 : agg_contrib[to] + agg_contrib[pos];
        }
        if (top_k > 0) MergeTop(&agg_largest[to], agg_largest[pos], top_k);
      });
    }
  }
  for (int64_t pos = 0; pos < n; ++pos) {
    if (leaf[pos]) continue;
    if (!s->given[pos]) {
      s->value[pos] = agg[pos];
      s->contributors[pos] = agg_contrib[pos];
      if (top_k > 0) s->largest[pos] = agg_largest[pos];
    } else {
      if (s->contributors[pos] < 0 && t.kind == TableKind::kMagnitude) {
        s->contributors[pos] = agg_contrib[pos];
      }
      if (t.kind == TableKind::kMagnitude && s->largest[pos].empty() && top_k > 0) {
        s->largest[pos] = agg_largest[pos];
      }
    }
  }

  // Every given total must equal the sum of its parts.
  const bool integer = t.kind == TableKind::kFrequency;
  for (int d = 0; d < k; ++d) {
    const Hierarchy& h = t.dimensions[d];
    for (int c = 0; c < h.size(); ++c) {
      if (h.is_leaf(c)) continue;
      absl::Status bad = absl::OkStatus();
      ForSlice(*pt, d, c, [&](int pos) {
        if (!bad.ok() || !s->given[pos]) return;
        double sum = 0;
        for (int ch : h.children(c)) {
          const double v = s->value[pos + (ch - c) * pt->stride[d]];
          sum += v;
        }
        if (!Close(sum, s->value[pos], integer, options.relative_tolerance)) {
          std::vector<std::string> parts;
          for (int ch : h.children(c)) {
            parts.push_back(
                absl::StrCat(h.code(ch), "=", Num(s->value[pos + (ch - c) * pt->stride[d]])));
            if (parts.size() == 8 && h.children(c).size() > 8) {
              parts.push_back("...");
              break;
            }
          }
          bad = absl::InvalidArgumentError(
              absl::StrCat("totals do not add up: cell ", PositionLabel(t, *pt, pos), " is ",
                           Num(s->value[pos]), " but its parts under ", h.name(), " (",
                           absl::StrJoin(parts, ", "), ") add up to ", Num(sum)));
        }
      });
      if (!bad.ok()) return bad;
    }
  }
  return absl::OkStatus();
}

std::string CanonicalKey(const ProductTable& pt, int pos) {
  std::vector<std::pair<std::string_view, std::string_view>> parts;
  for (size_t d = 0; d < pt.dims.size(); ++d) {
    const int code = pt.CodeAt(pos, static_cast<int>(d));
    if (code != 0) parts.emplace_back(pt.dims[d].name(), pt.dims[d].code(code));
  }
  std::sort(parts.begin(), parts.end());
  std::string key;
  for (const auto& [dim, code] : parts) {
    absl::StrAppend(&key, dim.size(), ":", AV(dim), code.size(), ":", AV(code));
  }
  return key;
}

}  // namespace

absl::StatusOr<CellTable> CellTable::FromTables(const std::vector<TableInput>& tables,
                                                const BuildOptions& options) {
  if (tables.empty()) return absl::InvalidArgumentError("no tables given");
  if (!(options.relative_tolerance >= 0) || options.relative_tolerance > 1e-2) {
    return absl::InvalidArgumentError("relative_tolerance must be in [0, 0.01]");
  }
  const TableKind kind = tables[0].kind;
  absl::flat_hash_map<std::string, int> table_names;
  std::map<std::string, Hierarchy> dims_by_name;
  for (size_t t = 0; t < tables.size(); ++t) {
    if (tables[t].kind != kind) {
      return absl::InvalidArgumentError(
          absl::StrCat("table ", Quote(tables[t].name), " is of a different kind than table ",
                       Quote(tables[0].name), " (linked tables share one kind)"));
    }
    if (tables.size() > 1 && tables[t].name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("table ", t + 1, " has no name (linked tables need names)"));
    }
    if (!table_names.emplace(tables[t].name, static_cast<int>(t)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("two tables are named ", Quote(tables[t].name)));
    }
    for (const Hierarchy& h : tables[t].dimensions) {
      auto [it, inserted] = dims_by_name.emplace(h.name(), h);
      if (!inserted && !it->second.SameCodes(h)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "dimension ", Quote(h.name()), " has different hierarchies in table ",
            Quote(tables[t].name), " and an earlier table (linked tables must share hierarchies)"));
      }
    }
  }

  auto data = std::make_shared<SdcData>();
  data->kind = kind;
  absl::flat_hash_map<std::string, int> shared_index;  // canonical key -> cell (lookup only)
  const bool linked = tables.size() > 1;
  const bool integer = kind == TableKind::kFrequency;

  for (size_t t = 0; t < tables.size(); ++t) {
    const TableInput& in = tables[t];
    ProductTable pt;
    Staging s;
    if (absl::Status st = StageTable(in, options, &pt, &s); !st.ok()) return st;
    const int n = static_cast<int>(pt.cell_of.size());
    for (int pos = 0; pos < n; ++pos) {
      int cell = -1;
      std::string key;
      if (linked) {
        key = CanonicalKey(pt, pos);
        auto it = shared_index.find(key);
        if (it != shared_index.end()) cell = it->second;
      }
      if (cell < 0) {
        cell = data->num_cells();
        data->value.push_back(s.value[pos]);
        data->contributors.push_back(s.contributors[pos]);
        data->largest.push_back(kind == TableKind::kMagnitude ? std::move(s.largest[pos])
                                                              : std::vector<double>());
        data->cost.push_back(s.cost[pos]);
        data->mark.push_back(s.mark[pos]);
        data->manual_upper.push_back(s.manual_upper[pos]);
        data->manual_lower.push_back(s.manual_lower[pos]);
        data->lower_bound.push_back(0);
        data->upper_bound.push_back(kInf);
        data->home_table.push_back(static_cast<int>(t));
        data->home_pos.push_back(pos);
        data->table_count.push_back(1);
        if (linked) shared_index.emplace(std::move(key), cell);
      } else {
        // The same cell seen from another table: it must agree.
        const std::string here = PositionLabel(in, pt, pos);
        if (!Close(data->value[cell], s.value[pos], integer, options.relative_tolerance)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "linked tables disagree: cell ", data->CellName(cell), " is ", Num(data->value[cell]),
              " but the same cell ", here, " is ", Num(s.value[pos])));
        }
        if (data->contributors[cell] >= 0 && s.contributors[pos] >= 0 &&
            data->contributors[cell] != s.contributors[pos]) {
          return absl::InvalidArgumentError(
              absl::StrCat("linked tables disagree: cell ", data->CellName(cell), " has ",
                           data->contributors[cell], " contributors but the same cell ", here,
                           " has ", s.contributors[pos]));
        }
        if (data->contributors[cell] < 0) data->contributors[cell] = s.contributors[pos];
        if (kind == TableKind::kMagnitude && data->largest[cell].empty()) {
          data->largest[cell] = s.largest[pos];
        }
        if (s.mark[pos] != CellMark::kNone) {
          if (data->mark[cell] != CellMark::kNone && data->mark[cell] != s.mark[pos]) {
            return absl::InvalidArgumentError(
                absl::StrCat("conflicting marks on cell ", data->CellName(cell), " and ", here));
          }
          data->mark[cell] = s.mark[pos];
        }
        if (!std::isnan(s.cost[pos])) {
          if (!std::isnan(data->cost[cell]) && data->cost[cell] != s.cost[pos]) {
            return absl::InvalidArgumentError(
                absl::StrCat("conflicting costs on cell ", data->CellName(cell), " and ", here));
          }
          data->cost[cell] = s.cost[pos];
        }
        for (auto [dst, src] : {std::pair{&data->manual_upper, &s.manual_upper},
                                std::pair{&data->manual_lower, &s.manual_lower}}) {
          if (std::isnan((*src)[pos])) continue;
          if (!std::isnan((*dst)[cell]) && (*dst)[cell] != (*src)[pos]) {
            return absl::InvalidArgumentError(absl::StrCat("conflicting protection levels on cell ",
                                                           data->CellName(cell), " and ", here));
          }
          (*dst)[cell] = (*src)[pos];
        }
        ++data->table_count[cell];
      }
      pt.cell_of[pos] = cell;
    }
    data->tables.push_back(std::move(pt));
  }

  // Relations: for every non-leaf code of every dimension, at every
  // combination of the other codes: parts (+1) - total (-1) = 0.
  absl::flat_hash_set<std::string> seen;  // linked tables: drop duplicate relations
  std::vector<std::pair<int, double>> terms;
  for (size_t t = 0; t < data->tables.size(); ++t) {
    const ProductTable& pt = data->tables[t];
    for (size_t d = 0; d < pt.dims.size(); ++d) {
      const Hierarchy& h = pt.dims[d];
      for (int c = 0; c < h.size(); ++c) {
        if (h.is_leaf(c)) continue;
        ForSlice(pt, static_cast<int>(d), c, [&](int pos) {
          terms.clear();
          terms.emplace_back(pt.cell_of[pos], -1.0);
          for (int ch : h.children(c)) {
            terms.emplace_back(pt.cell_of[pos + (ch - c) * pt.stride[d]], 1.0);
          }
          if (linked) {
            std::vector<std::pair<int, double>> sorted = terms;
            std::sort(sorted.begin(), sorted.end());
            std::string key;
            for (const auto& [cell, coef] : sorted)
              absl::StrAppend(&key, cell, coef > 0 ? "+" : "-");
            if (!seen.insert(std::move(key)).second) return;
          }
          for (const auto& [cell, coef] : terms) {
            data->rel_cell.push_back(cell);
            data->rel_coef.push_back(coef);
          }
          data->rel_start.push_back(static_cast<int>(data->rel_cell.size()));
          data->rel_rhs.push_back(0);
          data->rel_table.push_back(static_cast<int>(t));
          data->rel_dim.push_back(static_cast<int>(d));
          data->rel_pos.push_back(pos);
        });
      }
    }
  }
  data->BuildCellIndex();
  for (int i = 0; i < data->num_cells(); ++i) data->name_index.emplace(data->CellName(i), i);
  return CellTable(std::move(data));
}

// ---------------------------------------------------------------------------
// Building from relations
// ---------------------------------------------------------------------------

absl::StatusOr<CellTable> CellTable::FromRelations(TableKind kind,
                                                   const std::vector<LinearCell>& cells,
                                                   const std::vector<LinearRelation>& relations,
                                                   double relative_tolerance) {
  if (cells.empty()) return absl::InvalidArgumentError("no cells given");
  if (!(relative_tolerance >= 0) || relative_tolerance > 1e-2) {
    return absl::InvalidArgumentError("relative_tolerance must be in [0, 0.01]");
  }
  auto data = std::make_shared<SdcData>();
  data->kind = kind;
  const int n = static_cast<int>(cells.size());
  for (int i = 0; i < n; ++i) {
    const LinearCell& c = cells[i];
    const std::string label = c.name.empty() ? absl::StrCat("#", i) : Quote(c.name);
    if (c.name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("cell ", i, " has no name"));
    }
    if (!data->name_index.emplace(c.name, i).second) {
      return absl::InvalidArgumentError(absl::StrCat("cell name ", label, " appears twice"));
    }
    const double lb = std::isnan(c.lower_bound) ? 0.0 : c.lower_bound;
    const double ub = std::isnan(c.upper_bound) ? kInf : c.upper_bound;
    TableCell as_table;
    as_table.value = c.value;
    as_table.contributors = c.contributors;
    as_table.largest = c.largest;
    as_table.cost = c.cost;
    as_table.mark = c.mark;
    as_table.manual_upper = c.manual_upper;
    as_table.manual_lower = c.manual_lower;
    if (lb < 0 && kind == TableKind::kMagnitude) {
      // Negative values are allowed when the a-priori bounds say so.
      as_table.value = std::max(0.0, c.value);
    }
    if (absl::Status st = CheckCellNumbers(label, kind, as_table); !st.ok()) return st;
    if (!std::isfinite(c.value)) {
      return absl::InvalidArgumentError(absl::StrCat("cell ", label, " has value ", Num(c.value)));
    }
    if (std::isinf(lb) && lb > 0) {
      return absl::InvalidArgumentError(absl::StrCat("cell ", label, " has lower bound inf"));
    }
    // Finite numbers beyond 1e15 break the LP solvers' tolerances (and CLP
    // aborts on some); infinite bounds are fine.
    for (double x : {c.value, lb, ub}) {
      if (std::isfinite(x) && std::fabs(x) > 1e15) {
        return absl::InvalidArgumentError(
            absl::StrCat("cell ", label, " has value or bound ", Num(x),
                         ", beyond 1e15 in magnitude (rescale the unit)"));
      }
    }
    if (lb < 0 && kind == TableKind::kFrequency) {
      return absl::InvalidArgumentError(
          absl::StrCat("cell ", label, " of a frequency table has a negative lower bound"));
    }
    if (!(lb <= c.value) || !(c.value <= ub)) {
      return absl::InvalidArgumentError(absl::StrCat("cell ", label, " has value ", Num(c.value),
                                                     " outside its bounds [", Num(lb), ", ",
                                                     Num(ub), "]"));
    }
    data->name.push_back(c.name);
    data->value.push_back(c.value);
    data->contributors.push_back(kind == TableKind::kFrequency ? static_cast<int64_t>(c.value)
                                                               : c.contributors);
    data->largest.push_back(c.largest);
    data->cost.push_back(c.cost);
    data->mark.push_back(c.mark);
    data->manual_upper.push_back(c.manual_upper);
    data->manual_lower.push_back(c.manual_lower);
    data->lower_bound.push_back(lb);
    data->upper_bound.push_back(ub);
  }
  for (size_t r = 0; r < relations.size(); ++r) {
    const LinearRelation& rel = relations[r];
    const std::string where = absl::StrCat("relation ", r + 1);
    if (rel.cells.size() != rel.coefficients.size()) {
      return absl::InvalidArgumentError(absl::StrCat(where, " has ", rel.cells.size(),
                                                     " cells but ", rel.coefficients.size(),
                                                     " coefficients"));
    }
    if (rel.cells.size() < 2) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, " has fewer than two cells (it would publish a cell's value)"));
    }
    if (!std::isfinite(rel.rhs)) {
      return absl::InvalidArgumentError(absl::StrCat(where, " has right-hand side ", Num(rel.rhs)));
    }
    std::vector<int> sorted = rel.cells;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
      return absl::InvalidArgumentError(absl::StrCat(where, " lists a cell twice"));
    }
    double sum = 0, scale = std::fabs(rel.rhs);
    for (size_t k = 0; k < rel.cells.size(); ++k) {
      const int c = rel.cells[k];
      if (c < 0 || c >= n) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, " refers to cell ", c, ", but there are ", n, " cells"));
      }
      const double a = rel.coefficients[k];
      if (!std::isfinite(a) || a == 0) {
        return absl::InvalidArgumentError(absl::StrCat(where, " has coefficient ", Num(a),
                                                       " for cell ", Quote(data->CellName(c))));
      }
      sum += a * data->value[c];
      scale += std::fabs(a * data->value[c]);
      data->rel_cell.push_back(c);
      data->rel_coef.push_back(a);
    }
    if (std::fabs(sum - rel.rhs) > relative_tolerance * (1.0 + scale)) {
      std::vector<std::string> parts;
      for (size_t k = 0; k < rel.cells.size() && k < 8; ++k) {
        parts.push_back(absl::StrCat(Num(rel.coefficients[k]), "*",
                                     Quote(data->CellName(rel.cells[k])), "(",
                                     Num(data->value[rel.cells[k]]), ")"));
      }
      return absl::InvalidArgumentError(absl::StrCat(
          where, " does not hold: ", absl::StrJoin(parts, " + "),
          rel.cells.size() > 8 ? " + ..." : "", " = ", Num(sum), ", not ", Num(rel.rhs)));
    }
    data->rel_start.push_back(static_cast<int>(data->rel_cell.size()));
    data->rel_rhs.push_back(rel.rhs);
    data->rel_table.push_back(-1);
    data->rel_dim.push_back(-1);
    data->rel_pos.push_back(-1);
  }
  data->home_table.assign(n, -1);
  data->home_pos.assign(n, -1);
  data->table_count.assign(n, 0);
  data->BuildCellIndex();
  return CellTable(std::move(data));
}

}  // namespace gdprkit
