// The audit: what an attacker can derive about suppressed cells.
//
// The attacker knows every published value, every relation and the a-priori
// bounds (non-negativity). Its knowledge of a suppressed cell is the interval
// [min, max] of that cell over all tables consistent with this (an LP). The
// computation is split without loss of exactness:
//   1. Relations restricted to suppressed cells; a relation left with a
//      single suppressed cell pins that cell to its true value (repeated).
//   2. The remaining suppressed cells fall into connected components of the
//      relations linking them. The feasible set is the product of the
//      components' feasible sets, so each component is an independent LP.
//   3. Components up to a size limit are solved exactly: min and max of each
//      cell, warm-started, skipping LPs a previous solution already settles.
//   4. Larger components are certified per primary cell: a witness (an
//      explicit feasible table, checked exactly) or an LP on a window of the
//      component with every other cell fixed at its true value. Fixing cells
//      shrinks the feasible set, so the window's interval lies inside the
//      attacker's: if it covers the requirement, so does the attacker's.
//      Windows grow until the requirement is covered or the window is the
//      whole component, whose LP is exact.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gdprkit/suppression.h"
#include "suppression/internal/sdc_engine.h"
#include "suppression/internal/sdc_lp.h"
#include "suppression/internal/sdc_model.h"

namespace gdprkit {
namespace internal {

Need NeedOf(const Protection& p) {
  Need n;
  n.down = p.lower;
  n.up = std::max(p.upper, p.sliding - p.lower);
  return n;
}

double CheckWitness(const SdcData& d, const std::vector<bool>& suppressed, const Witness& w) {
  if (w.cells.size() != w.delta.size() || w.cells.empty()) return -1;
  double reached = -1;
  // Support: suppressed cells within their bounds.
  for (size_t k = 0; k < w.cells.size(); ++k) {
    const int c = w.cells[k];
    if (c < 0 || c >= d.num_cells() || !suppressed[c]) return -1;
    const double y = d.value[c] + w.delta[k];
    const double tol = 1e-9 * (1 + std::fabs(d.value[c]) + std::fabs(w.delta[k]));
    if (y < d.lower_bound[c] - tol || y > d.upper_bound[c] + tol) return -1;
    if (c == w.primary) reached = w.delta[k] * w.direction;
  }
  if (reached < 0) return -1;
  // Every relation touching the support balances.
  std::vector<int> rels;
  for (int c : w.cells) {
    for (int k = d.cr_start[c]; k < d.cr_start[c + 1]; ++k) rels.push_back(d.cr_rel[k]);
  }
  std::sort(rels.begin(), rels.end());
  rels.erase(std::unique(rels.begin(), rels.end()), rels.end());
  // delta by cell: the support is small; a sorted copy serves lookups.
  std::vector<std::pair<int, double>> sorted;
  for (size_t k = 0; k < w.cells.size(); ++k) sorted.emplace_back(w.cells[k], w.delta[k]);
  std::sort(sorted.begin(), sorted.end());
  for (size_t k = 1; k < sorted.size(); ++k) {
    if (sorted[k].first == sorted[k - 1].first) return -1;
  }
  for (int r : rels) {
    double sum = 0, scale = 0;
    for (int k = d.rel_start[r]; k < d.rel_start[r + 1]; ++k) {
      auto it =
          std::lower_bound(sorted.begin(), sorted.end(), std::make_pair(d.rel_cell[k], -kInf));
      if (it == sorted.end() || it->first != d.rel_cell[k]) continue;
      sum += d.rel_coef[k] * it->second;
      scale += std::fabs(d.rel_coef[k] * it->second);
    }
    if (std::fabs(sum) > 1e-9 * (1 + scale)) return -1;
  }
  return reached;
}

namespace {

struct Reduced {
  std::vector<uint8_t> unknown;    // suppressed and not pinned
  std::vector<uint8_t> pinned;     // suppressed but determined by the relations
  std::vector<int> unknown_count;  // per relation
  std::vector<uint8_t> active;     // relation with >= 2 unknown cells
};

Reduced Reduce(const SdcData& d, const std::vector<bool>& suppressed) {
  Reduced red;
  const int n = d.num_cells();
  const int m = d.num_relations();
  red.unknown.assign(n, 0);
  red.pinned.assign(n, 0);
  for (int c = 0; c < n; ++c) red.unknown[c] = suppressed[c] ? 1 : 0;
  red.unknown_count.assign(m, 0);
  std::vector<int> queue;
  for (int r = 0; r < m; ++r) {
    for (int k = d.rel_start[r]; k < d.rel_start[r + 1]; ++k) {
      red.unknown_count[r] += red.unknown[d.rel_cell[k]];
    }
    if (red.unknown_count[r] == 1) queue.push_back(r);
  }
  // Deterministic: a FIFO over relations in index order.
  for (size_t qi = 0; qi < queue.size(); ++qi) {
    const int r = queue[qi];
    if (red.unknown_count[r] != 1) continue;
    int cell = -1;
    for (int k = d.rel_start[r]; k < d.rel_start[r + 1]; ++k) {
      if (red.unknown[d.rel_cell[k]]) {
        cell = d.rel_cell[k];
        break;
      }
    }
    red.unknown[cell] = 0;
    red.pinned[cell] = 1;
    for (int k = d.cr_start[cell]; k < d.cr_start[cell + 1]; ++k) {
      const int r2 = d.cr_rel[k];
      if (--red.unknown_count[r2] == 1) queue.push_back(r2);
    }
  }
  red.active.assign(m, 0);
  for (int r = 0; r < m; ++r) red.active[r] = red.unknown_count[r] >= 2 ? 1 : 0;
  return red;
}

int Find(std::vector<int>& parent, int x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

// An LP over a set of unknown cells (a component or a window of one); every
// other unknown cell keeps its true value.
class WindowLp {
 public:
  WindowLp(const SdcData& d, const Reduced& red, const std::vector<int>& cells,
           std::vector<int>* local_of)
      : cells_(cells) {
    for (size_t j = 0; j < cells.size(); ++j) (*local_of)[cells[j]] = static_cast<int>(j);
    std::vector<int> rels;
    for (int c : cells) {
      for (int k = d.cr_start[c]; k < d.cr_start[c + 1]; ++k) {
        if (red.active[d.cr_rel[k]]) rels.push_back(d.cr_rel[k]);
      }
    }
    std::sort(rels.begin(), rels.end());
    rels.erase(std::unique(rels.begin(), rels.end()), rels.end());
    std::vector<int> row_start{0};
    std::vector<int> row_col;
    std::vector<double> row_val, rhs;
    for (int r : rels) {
      double b = 0;
      for (int k = d.rel_start[r]; k < d.rel_start[r + 1]; ++k) {
        const int c = d.rel_cell[k];
        if (!red.unknown[c]) continue;
        const int j = (*local_of)[c];
        if (j >= 0) {
          row_col.push_back(j);
          row_val.push_back(d.rel_coef[k]);
        }
        b += d.rel_coef[k] * d.value[c];  // the window cells' true part + fixed cells
      }
      // rhs = sum over unknown cells of coef * value, minus the fixed ones:
      // the window cells must reproduce the true window sum.
      double fixed = 0;
      for (int k = d.rel_start[r]; k < d.rel_start[r + 1]; ++k) {
        const int c = d.rel_cell[k];
        if (red.unknown[c] && (*local_of)[c] < 0) fixed += d.rel_coef[k] * d.value[c];
      }
      rhs.push_back(b - fixed);
      row_start.push_back(static_cast<int>(row_col.size()));
    }
    std::vector<double> lb(cells.size()), ub(cells.size()), obj(cells.size(), 0);
    for (size_t j = 0; j < cells.size(); ++j) {
      lb[j] = d.lower_bound[cells[j]];
      ub[j] = d.upper_bound[cells[j]];
    }
    lp_.Load(static_cast<int>(cells.size()), lb, ub, obj, row_start, row_col, row_val, rhs);
    for (int c : cells) (*local_of)[c] = -1;
  }

  // Minimises (sense +1) or maximises (sense -1) cell j of the window.
  absl::StatusOr<double> Optimize(int j, int sense, int64_t* solves) {
    if (last_ >= 0) lp_.SetObjective(last_, 0);
    lp_.SetObjective(j, sense);
    last_ = j;
    ++*solves;
    const LpStatus s = lp_.Solve();
    if (s == LpStatus::kUnbounded) return sense > 0 ? -kInf : kInf;
    if (s != LpStatus::kOptimal) {
      return absl::InternalError(absl::StrCat("the audit LP failed (status ", static_cast<int>(s),
                                              ") on a sub-problem of ", cells_.size(), " cells"));
    }
    return lp_.solution()[j];
  }
  const double* solution() const { return lp_.solution(); }

 private:
  const std::vector<int>& cells_;
  Lp lp_;
  int last_ = -1;
};

double RoundDown(double x) {
  return std::isinf(x) ? x : std::floor(x + 1e-6 * (1 + std::fabs(x))) + 0.0;
}
double RoundUp(double x) {
  return std::isinf(x) ? x : std::ceil(x - 1e-6 * (1 + std::fabs(x))) + 0.0;
}

}  // namespace

absl::StatusOr<AuditReport> RunAudit(const SdcData& d, const std::vector<Protection>& protection,
                                     const std::vector<bool>& suppressed,
                                     const AuditOptions& options, const std::vector<Witness>* hints,
                                     const ProgressFn& progress) {
  const int n = d.num_cells();
  if (static_cast<int>(protection.size()) != n || static_cast<int>(suppressed.size()) != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("the audit needs one protection and one "
                     "suppression flag per cell (",
                     n, " cells; got ", protection.size(), " and ", suppressed.size(), ")"));
  }
  if (!(options.tolerance >= 0) || options.tolerance > 1e-2) {
    return absl::InvalidArgumentError("audit tolerance must be in [0, 0.01]");
  }
  for (int c = 0; c < n; ++c) {
    const Protection& p = protection[c];
    for (double level : {p.upper, p.lower, p.sliding}) {
      if (!std::isfinite(level) || level < 0 || level > 1e15) {
        return absl::InvalidArgumentError(absl::StrCat("cell ", d.CellName(c),
                                                       " has protection level ", level,
                                                       " (must be finite, >= 0 and at most 1e15)"));
      }
    }
  }
  const bool integer = d.integer();
  AuditReport report;
  const Reduced red = Reduce(d, suppressed);

  // Intervals: lo/hi per cell; kind per cell.
  std::vector<double> lo(n, 0), hi(n, 0);
  std::vector<IntervalKind> kind(n, IntervalKind::kNotComputed);
  for (int c = 0; c < n; ++c) {
    if (!suppressed[c]) continue;
    ++report.num_suppressed;
    if (red.pinned[c]) {
      lo[c] = hi[c] = d.value[c];
      kind[c] = IntervalKind::kExact;
      ++report.num_determined;
    } else {
      lo[c] = hi[c] = d.value[c];  // the true table is feasible: inner bounds so far
    }
  }

  // Components of unknown cells.
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  for (int r = 0; r < d.num_relations(); ++r) {
    if (!red.active[r]) continue;
    int first = -1;
    for (int k = d.rel_start[r]; k < d.rel_start[r + 1]; ++k) {
      const int c = d.rel_cell[k];
      if (!red.unknown[c]) continue;
      if (first < 0) {
        first = Find(parent, c);
      } else {
        const int a = Find(parent, c);
        if (a != first) parent[std::max(a, first)] = std::min(a, first);
        first = std::min(a, first);
      }
    }
  }
  std::vector<std::vector<int>> components;
  {
    std::vector<int> comp_of(n, -1);
    for (int c = 0; c < n; ++c) {
      if (!red.unknown[c]) continue;
      const int root = Find(parent, c);
      if (comp_of[root] < 0) {
        comp_of[root] = static_cast<int>(components.size());
        components.emplace_back();
      }
      components[comp_of[root]].push_back(c);
    }
  }
  report.num_components = static_cast<int>(components.size());
  for (const auto& comp : components) {
    report.largest_component = std::max(report.largest_component, static_cast<int>(comp.size()));
  }

  // Witness hints: inner bounds for their primaries.
  std::vector<uint8_t> is_primary(n, 0);
  for (int c = 0; c < n; ++c) is_primary[c] = protection[c].primary ? 1 : 0;
  if (hints != nullptr) {
    for (const Witness& w : *hints) {
      if (w.primary < 0 || w.primary >= n || !red.unknown[w.primary]) continue;
      ++report.witnesses_checked;
      const double reached = CheckWitness(d, suppressed, w);
      if (reached < 0) continue;
      const int p = w.primary;
      if (w.direction > 0) {
        hi[p] = std::max(hi[p], d.value[p] + reached);
      } else {
        lo[p] = std::min(lo[p], d.value[p] - reached);
      }
    }
  }

  auto covered = [&](int p) {
    const Protection& pr = protection[p];
    const double v = d.value[p];
    const double tol = options.tolerance * (1 + std::fabs(v) + pr.upper + pr.lower + pr.sliding);
    return hi[p] >= v + pr.upper - tol && lo[p] <= v - pr.lower + tol &&
           hi[p] - lo[p] >= pr.sliding - tol;
  };

  std::vector<int> local_of(n, -1);
  int64_t done = 0;
  for (const std::vector<int>& comp : components) {
    if (progress && !progress({"audit", done, report.num_suppressed})) {
      return absl::CancelledError("cancelled during the audit");
    }
    done += static_cast<int64_t>(comp.size());
    const bool exact = options.mode == AuditMode::kExact ||
                       (options.mode == AuditMode::kAuto &&
                        static_cast<int>(comp.size()) <= options.exact_component_limit);
    if (exact) {
      WindowLp lp(d, red, comp, &local_of);
      std::vector<double> seen_lo(comp.size()), seen_hi(comp.size());
      for (size_t j = 0; j < comp.size(); ++j) seen_lo[j] = seen_hi[j] = d.value[comp[j]];
      auto observe = [&]() {
        const double* x = lp.solution();
        for (size_t j = 0; j < comp.size(); ++j) {
          seen_lo[j] = std::min(seen_lo[j], x[j]);
          seen_hi[j] = std::max(seen_hi[j], x[j]);
        }
      };
      for (size_t j = 0; j < comp.size(); ++j) {
        const int c = comp[j];
        const double tol = 1e-9 * (1 + std::fabs(d.lower_bound[c]));
        double low = d.lower_bound[c];
        if (!(seen_lo[j] <= d.lower_bound[c] + tol)) {
          absl::StatusOr<double> r = lp.Optimize(static_cast<int>(j), +1, &report.lp_solves);
          if (!r.ok()) return r.status();
          low = *r;
          observe();
        }
        double high = d.upper_bound[c];
        if (!(std::isfinite(d.upper_bound[c]) && seen_hi[j] >= d.upper_bound[c] - tol)) {
          absl::StatusOr<double> r = lp.Optimize(static_cast<int>(j), -1, &report.lp_solves);
          if (!r.ok()) return r.status();
          high = *r;
          if (std::isfinite(high)) observe();
        }
        // The true value is always feasible; guard against LP round-off.
        low = std::min(low, d.value[c]);
        high = std::max(high, d.value[c]);
        if (integer) {
          low = RoundUp(low);
          high = RoundDown(high);
        }
        lo[c] = low;
        hi[c] = high;
        kind[c] = IntervalKind::kExact;
      }
      continue;
    }
    // Certified: per primary, witness first, then growing windows.
    for (int p : comp) {
      if (!is_primary[p] || covered(p)) {
        if (is_primary[p]) kind[p] = IntervalKind::kInner;
        continue;
      }
      size_t limit = 64;
      while (true) {
        // Breadth-first window of unknown cells around p.
        std::vector<int> window{p};
        local_of[p] = 0;
        for (size_t qi = 0; qi < window.size() && window.size() < limit; ++qi) {
          const int c = window[qi];
          for (int k = d.cr_start[c]; k < d.cr_start[c + 1] && window.size() < limit; ++k) {
            const int r = d.cr_rel[k];
            if (!red.active[r]) continue;
            for (int q = d.rel_start[r]; q < d.rel_start[r + 1] && window.size() < limit; ++q) {
              const int c2 = d.rel_cell[q];
              if (red.unknown[c2] && local_of[c2] < 0) {
                local_of[c2] = static_cast<int>(window.size());
                window.push_back(c2);
              }
            }
          }
        }
        for (int c : window) local_of[c] = -1;
        const bool whole = window.size() >= comp.size();
        if (whole) window = comp;
        const int j =
            whole ? static_cast<int>(std::find(comp.begin(), comp.end(), p) - comp.begin()) : 0;
        WindowLp lp(d, red, window, &local_of);
        absl::StatusOr<double> low = lp.Optimize(j, +1, &report.lp_solves);
        if (!low.ok()) return low.status();
        absl::StatusOr<double> high = lp.Optimize(j, -1, &report.lp_solves);
        if (!high.ok()) return high.status();
        double l = std::min(*low, d.value[p]), h = std::max(*high, d.value[p]);
        if (integer) {
          l = RoundUp(l);
          h = RoundDown(h);
        }
        if (whole) {
          lo[p] = l;
          hi[p] = h;
          kind[p] = IntervalKind::kExact;
          break;
        }
        lo[p] = std::min(lo[p], l);
        hi[p] = std::max(hi[p], h);
        kind[p] = IntervalKind::kInner;
        if (covered(p)) break;
        limit *= 8;
      }
    }
  }

  // Cells that are suppressed but in no active relation and not pinned are
  // components of one cell: handled above (their LP has no rows).
  for (int c = 0; c < n; ++c) {
    if (!suppressed[c]) continue;
    SuppressedInterval iv;
    iv.cell = c;
    iv.kind = kind[c];
    if (kind[c] == IntervalKind::kNotComputed) {
      iv.lower = iv.upper = std::numeric_limits<double>::quiet_NaN();
    } else {
      iv.lower = lo[c];
      iv.upper = hi[c];
    }
    report.intervals.push_back(iv);
  }
  report.passed = true;
  for (int c = 0; c < n; ++c) {
    if (!is_primary[c]) continue;
    const Protection& pr = protection[c];
    PrimaryVerdict v;
    v.cell = c;
    v.value = d.value[c];
    v.need_lower = d.value[c] - pr.lower;
    v.need_upper = d.value[c] + pr.upper;
    v.sliding = pr.sliding;
    if (!suppressed[c]) {
      v.lower = v.upper = d.value[c];
      v.exact = true;
      v.safe = false;
      v.reason = "the cell is published";
    } else {
      v.lower = lo[c];
      v.upper = hi[c];
      v.exact = kind[c] == IntervalKind::kExact;
      v.safe = covered(c);
      if (!v.safe) {
        if (red.pinned[c]) {
          v.reason = "the published cells and the relations determine its value exactly";
        } else if (hi[c] < v.need_upper) {
          v.reason = "the attacker can prove it is below the required upper bound";
        } else if (lo[c] > v.need_lower) {
          v.reason = "the attacker can prove it is above the required lower bound";
        } else {
          v.reason = "the attacker's interval is narrower than the sliding protection";
        }
        if (!v.exact) v.reason += " (within the certified part; an exact LP may say more)";
      }
    }
    if (!v.safe) report.passed = false;
    report.primaries.push_back(std::move(v));
  }
  return report;
}

}  // namespace internal

absl::StatusOr<AuditReport> Audit(const CellTable& table, const std::vector<Protection>& protection,
                                  const std::vector<bool>& suppressed,
                                  const AuditOptions& options) {
  return internal::RunAudit(table.data(), protection, suppressed, options, nullptr, nullptr);
}

}  // namespace gdprkit
