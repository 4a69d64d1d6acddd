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
#include <limits>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
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

// The steps of RunAudit, sharing what they compute: per cell the interval
// known so far ([lo, hi]: exact, or inner: a proven part of the attacker's)
// and the report's counters.
class Auditor {
 public:
  Auditor(const SdcData& d, const std::vector<Protection>& protection,
          const std::vector<bool>& suppressed, const AuditOptions& options)
      : d_(d),
        protection_(protection),
        suppressed_(suppressed),
        options_(options),
        n_(d.num_cells()),
        red_(Reduce(d, suppressed)),
        lo_(n_, 0),
        hi_(n_, 0),
        kind_(n_, IntervalKind::kNotComputed),
        local_of_(n_, -1) {}

  // Progress: the stage "audit", one unit per suppressed cell (the cells
  // the relations pin count at once; the others as their intervals or
  // verdicts are computed).
  absl::StatusOr<AuditReport> Run(const std::vector<Witness>* hints, const ProgressFn& progress) {
    StartIntervals();
    ProgressStage stage(progress, "audit", report_.num_suppressed);
    stage_ = &stage;
    GDPRKIT_RETURN_IF_ERROR(stage.Start());
    GDPRKIT_RETURN_IF_ERROR(stage.Advance(report_.num_determined));
    const std::vector<std::vector<int>> components = Components();
    if (hints != nullptr) ApplyWitnesses(*hints);
    for (const std::vector<int>& comp : components) {
      const bool exact = options_.mode == AuditMode::kExact ||
                         (options_.mode == AuditMode::kAuto &&
                          static_cast<int>(comp.size()) <= options_.exact_component_limit);
      GDPRKIT_RETURN_IF_ERROR(exact ? ExactIntervals(comp) : CertifiedIntervals(comp));
    }
    // Cells that are suppressed but in no active relation and not pinned are
    // components of one cell: handled above (their LP has no rows).
    ReportIntervals();
    ReportVerdicts();
    GDPRKIT_RETURN_IF_ERROR(stage.Finish());
    stage_ = nullptr;
    return std::move(report_);
  }

 private:
  bool primary(int c) const { return protection_[c].primary; }

  // Pinned cells get their value, exactly; the others their value as an
  // inner interval (the true table is feasible).
  void StartIntervals() {
    for (int c = 0; c < n_; ++c) {
      if (!suppressed_[c]) continue;
      ++report_.num_suppressed;
      lo_[c] = hi_[c] = d_.value[c];
      if (red_.pinned[c]) {
        kind_[c] = IntervalKind::kExact;
        ++report_.num_determined;
      }
    }
  }

  // The connected components of the unknown cells under the active relations.
  std::vector<std::vector<int>> Components() {
    std::vector<int> parent(n_);
    std::iota(parent.begin(), parent.end(), 0);
    for (int r = 0; r < d_.num_relations(); ++r) {
      if (!red_.active[r]) continue;
      int first = -1;
      for (int k = d_.rel_start[r]; k < d_.rel_start[r + 1]; ++k) {
        const int c = d_.rel_cell[k];
        if (!red_.unknown[c]) continue;
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
    std::vector<int> comp_of(n_, -1);
    for (int c = 0; c < n_; ++c) {
      if (!red_.unknown[c]) continue;
      const int root = Find(parent, c);
      if (comp_of[root] < 0) {
        comp_of[root] = static_cast<int>(components.size());
        components.emplace_back();
      }
      components[comp_of[root]].push_back(c);
    }
    report_.num_components = static_cast<int>(components.size());
    for (const auto& comp : components) {
      report_.largest_component =
          std::max(report_.largest_component, static_cast<int>(comp.size()));
    }
    return components;
  }

  // Witness hints, each checked: inner bounds for their primaries.
  void ApplyWitnesses(const std::vector<Witness>& hints) {
    for (const Witness& w : hints) {
      if (w.primary < 0 || w.primary >= n_ || !red_.unknown[w.primary]) continue;
      ++report_.witnesses_checked;
      const double reached = CheckWitness(d_, suppressed_, w);
      if (reached < 0) continue;
      const int p = w.primary;
      if (w.direction > 0) {
        hi_[p] = std::max(hi_[p], d_.value[p] + reached);
      } else {
        lo_[p] = std::min(lo_[p], d_.value[p] - reached);
      }
    }
  }

  // Whether the interval known so far covers the protection of primary p.
  bool Covered(int p) const {
    const Protection& pr = protection_[p];
    const double v = d_.value[p];
    const double tol = options_.tolerance * (1 + std::fabs(v) + pr.upper + pr.lower + pr.sliding);
    return hi_[p] >= v + pr.upper - tol && lo_[p] <= v - pr.lower + tol &&
           hi_[p] - lo_[p] >= pr.sliding - tol;
  }

  // The LP's [min, max] of cell j of the window, widened to the true value
  // (LP round-off) and rounded inwards for counts.
  std::pair<double, double> Settle(int c, double low, double high) const {
    low = std::min(low, d_.value[c]);
    high = std::max(high, d_.value[c]);
    if (d_.integer()) return {RoundUp(low), RoundDown(high)};
    return {low, high};
  }

  // Exact intervals for every cell of a component: min and max of each cell,
  // skipping an LP when a solution seen already reaches the cell's bound.
  absl::Status ExactIntervals(const std::vector<int>& comp) {
    WindowLp lp(d_, red_, comp, &local_of_);
    std::vector<double> seen_lo(comp.size()), seen_hi(comp.size());
    for (size_t j = 0; j < comp.size(); ++j) seen_lo[j] = seen_hi[j] = d_.value[comp[j]];
    auto observe = [&]() {
      const double* x = lp.solution();
      for (size_t j = 0; j < comp.size(); ++j) {
        seen_lo[j] = std::min(seen_lo[j], x[j]);
        seen_hi[j] = std::max(seen_hi[j], x[j]);
      }
    };
    for (size_t j = 0; j < comp.size(); ++j) {
      const int c = comp[j];
      const double tol = 1e-9 * (1 + std::fabs(d_.lower_bound[c]));
      double low = d_.lower_bound[c];
      if (!(seen_lo[j] <= d_.lower_bound[c] + tol)) {
        GDPRKIT_ASSIGN_OR_RETURN(low, lp.Optimize(static_cast<int>(j), +1, &report_.lp_solves));
        observe();
      }
      double high = d_.upper_bound[c];
      if (!(std::isfinite(d_.upper_bound[c]) && seen_hi[j] >= d_.upper_bound[c] - tol)) {
        GDPRKIT_ASSIGN_OR_RETURN(high, lp.Optimize(static_cast<int>(j), -1, &report_.lp_solves));
        if (std::isfinite(high)) observe();
      }
      std::tie(lo_[c], hi_[c]) = Settle(c, low, high);
      kind_[c] = IntervalKind::kExact;
      GDPRKIT_RETURN_IF_ERROR(stage_->Advance(1));
    }
    return absl::OkStatus();
  }

  // Breadth-first window of at most `limit` unknown cells around p.
  std::vector<int> Window(int p, size_t limit) {
    std::vector<int> window{p};
    local_of_[p] = 0;
    for (size_t qi = 0; qi < window.size() && window.size() < limit; ++qi) {
      const int c = window[qi];
      for (int k = d_.cr_start[c]; k < d_.cr_start[c + 1] && window.size() < limit; ++k) {
        const int r = d_.cr_rel[k];
        if (!red_.active[r]) continue;
        for (int q = d_.rel_start[r]; q < d_.rel_start[r + 1] && window.size() < limit; ++q) {
          const int c2 = d_.rel_cell[q];
          if (red_.unknown[c2] && local_of_[c2] < 0) {
            local_of_[c2] = static_cast<int>(window.size());
            window.push_back(c2);
          }
        }
      }
    }
    for (int c : window) local_of_[c] = -1;
    return window;
  }

  // Certified verdicts for a large component: per primary not yet covered
  // (by a witness), LPs on growing windows until covered or exact.
  absl::Status CertifiedIntervals(const std::vector<int>& comp) {
    for (int p : comp) {
      GDPRKIT_RETURN_IF_ERROR(stage_->Advance(1));
      if (!primary(p) || Covered(p)) {
        if (primary(p)) kind_[p] = IntervalKind::kInner;
        continue;
      }
      for (size_t limit = 64;; limit *= 8) {
        std::vector<int> window = Window(p, limit);
        const bool whole = window.size() >= comp.size();
        if (whole) window = comp;
        const int j =
            whole ? static_cast<int>(std::find(comp.begin(), comp.end(), p) - comp.begin()) : 0;
        WindowLp lp(d_, red_, window, &local_of_);
        GDPRKIT_ASSIGN_OR_RETURN(const double low, lp.Optimize(j, +1, &report_.lp_solves));
        GDPRKIT_ASSIGN_OR_RETURN(const double high, lp.Optimize(j, -1, &report_.lp_solves));
        const auto [l, h] = Settle(p, low, high);
        if (whole) {
          lo_[p] = l;
          hi_[p] = h;
          kind_[p] = IntervalKind::kExact;
          break;
        }
        lo_[p] = std::min(lo_[p], l);
        hi_[p] = std::max(hi_[p], h);
        kind_[p] = IntervalKind::kInner;
        if (Covered(p)) break;
      }
    }
    return absl::OkStatus();
  }

  void ReportIntervals() {
    for (int c = 0; c < n_; ++c) {
      if (!suppressed_[c]) continue;
      SuppressedInterval iv;
      iv.cell = c;
      iv.kind = kind_[c];
      if (kind_[c] == IntervalKind::kNotComputed) {
        iv.lower = iv.upper = std::numeric_limits<double>::quiet_NaN();
      } else {
        iv.lower = lo_[c];
        iv.upper = hi_[c];
      }
      report_.intervals.push_back(iv);
    }
  }

  // Why a suppressed primary cell is not safe.
  std::string Reason(int c, const PrimaryVerdict& v) const {
    std::string reason;
    if (red_.pinned[c]) {
      reason = "the published cells and the relations determine its value exactly";
    } else if (hi_[c] < v.need_upper) {
      reason = "the attacker can prove it is below the required upper bound";
    } else if (lo_[c] > v.need_lower) {
      reason = "the attacker can prove it is above the required lower bound";
    } else {
      reason = "the attacker's interval is narrower than the sliding protection";
    }
    if (!v.exact) reason += " (within the certified part; an exact LP may say more)";
    return reason;
  }

  void ReportVerdicts() {
    report_.passed = true;
    for (int c = 0; c < n_; ++c) {
      if (!primary(c)) continue;
      const Protection& pr = protection_[c];
      PrimaryVerdict v;
      v.cell = c;
      v.value = d_.value[c];
      v.need_lower = d_.value[c] - pr.lower;
      v.need_upper = d_.value[c] + pr.upper;
      v.sliding = pr.sliding;
      if (!suppressed_[c]) {
        v.lower = v.upper = d_.value[c];
        v.exact = true;
        v.safe = false;
        v.reason = "the cell is published";
      } else {
        v.lower = lo_[c];
        v.upper = hi_[c];
        v.exact = kind_[c] == IntervalKind::kExact;
        v.safe = Covered(c);
        if (!v.safe) v.reason = Reason(c, v);
      }
      if (!v.safe) report_.passed = false;
      report_.primaries.push_back(std::move(v));
    }
  }

  const SdcData& d_;
  const std::vector<Protection>& protection_;
  const std::vector<bool>& suppressed_;
  const AuditOptions& options_;
  const int n_;
  const Reduced red_;
  std::vector<double> lo_, hi_;
  std::vector<IntervalKind> kind_;
  std::vector<int> local_of_;       // scratch for WindowLp: a cell's place in the window
  ProgressStage* stage_ = nullptr;  // during Run
  AuditReport report_;
};

}  // namespace

absl::Status CheckLevels(const SdcData& d, int c, const Protection& p) {
  for (double level : {p.upper, p.lower, p.sliding}) {
    if (!std::isfinite(level) || level < 0 || level > 1e15) {
      return absl::InvalidArgumentError(absl::StrCat("cell ", d.CellName(c),
                                                     " has protection level ", level,
                                                     " (must be finite, >= 0 and at most 1e15)"));
    }
  }
  return absl::OkStatus();
}

namespace {

absl::Status CheckAuditArguments(const SdcData& d, const std::vector<Protection>& protection,
                                 const std::vector<bool>& suppressed, const AuditOptions& options) {
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
  for (int c = 0; c < n; ++c) GDPRKIT_RETURN_IF_ERROR(CheckLevels(d, c, protection[c]));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<AuditReport> RunAudit(const SdcData& d, const std::vector<Protection>& protection,
                                     const std::vector<bool>& suppressed,
                                     const AuditOptions& options, const std::vector<Witness>* hints,
                                     const ProgressFn& progress) {
  GDPRKIT_RETURN_IF_ERROR(CheckAuditArguments(d, protection, suppressed, options));
  return Auditor(d, protection, suppressed, options).Run(hints, progress);
}

}  // namespace internal

absl::StatusOr<AuditReport> Audit(const CellTable& table, const std::vector<Protection>& protection,
                                  const std::vector<bool>& suppressed,
                                  const AuditOptions& options) {
  return internal::RunAudit(table.data(), protection, suppressed, options, nullptr,
                            options.progress);
}

}  // namespace gdprkit
