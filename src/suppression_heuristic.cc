// Secondary suppression, the heuristic.
//
// Each primary cell needs, per direction, a witness: an attacker table that
// differs from the true one only in suppressed cells and moves the primary by
// its protection level (see sdc_engine.h). The heuristic finds, for one
// primary and one direction at a time, the cheapest witness it can, counting
// only the cells it would newly suppress, and suppresses its support:
//   - the hierarchical hypercube: the product, over the dimensions of the
//     primary's table, of one balanced vector per dimension (a path in the
//     code tree from the primary's code to a sibling, or up to an ancestor's
//     sibling, or up to the total; descending to leaves where a code has
//     children). Every relation of the table balances by construction.
//   - an LP on a window of the relation graph around the primary: minimise
//     the cost per unit of perturbation of unsuppressed cells (a linear
//     stand-in for the fixed charge of suppressing them) subject to every
//     relation touching the window, the a-priori bounds and the primary moved
//     by its level. Works for any linear system: linked tables, tables given
//     by relations, cells shared between tables.
// Witnesses stay valid when more cells are suppressed. Afterwards secondary
// cells are released, most expensive first, when no witness uses them or when
// every witness using them can be replaced by one within the remaining
// pattern. Every decision is ordered by cell index, so runs are repeatable.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gdprkit/suppression.h"
#include "internal/sdc_engine.h"
#include "internal/sdc_lp.h"
#include "internal/sdc_model.h"

namespace gdprkit::internal {
namespace {

struct Found {
  bool ok = false;
  double cost = kInf;
  Witness w;
};

class Engine {
 public:
  Engine(const SdcData& d, const std::vector<Protection>& prot, const std::vector<double>& cost,
         int effort)
      : d_(d), prot_(prot), cost_(cost), effort_(effort) {
    const int n = d.num_cells();
    supp_.assign(n, false);
    forbidden_.assign(n, 0);
    use_count_.assign(n, 0);
    for (int c = 0; c < n; ++c) {
      if (d.mark[c] == CellMark::kSafe) forbidden_[c] = 1;
    }
    double min_pos = kInf;
    for (double c : cost) {
      if (c > 0) min_pos = std::min(min_pos, c);
    }
    eps_cost_ = std::isfinite(min_pos) ? 1e-4 * min_pos : 1e-4;
    linked_ = d.tables.size() > 1;
    large_ = n > 50000;
    by_primary_.resize(n);
    users_.resize(n);
  }

  absl::Status Run(const ProgressFn& progress) {
    const int n = d_.num_cells();
    std::vector<int> order;
    for (int c = 0; c < n; ++c) {
      if (!prot_[c].primary) continue;
      if (forbidden_[c]) {
        return absl::InvalidArgumentError(
            absl::StrCat("cell ", d_.name[c], " is primary but marked safe (must be published)"));
      }
      supp_[c] = true;
      order.push_back(c);
    }
    // Largest requirement first: it is the hardest to satisfy, and later
    // primaries can reuse what it suppressed.
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      const Need na = NeedOf(prot_[a]), nb = NeedOf(prot_[b]);
      const double sa = na.up + na.down, sb = nb.up + nb.down;
      if (sa != sb) return sa > sb;
      return a < b;
    });
    int64_t done = 0;
    for (int p : order) {
      if (progress && (done & 255) == 0 &&
          !progress({"secondary", done, static_cast<int64_t>(order.size())})) {
        return absl::CancelledError("cancelled during secondary suppression");
      }
      ++done;
      const Need need = NeedOf(prot_[p]);
      for (int dir : {+1, -1}) {
        const double amount = dir > 0 ? need.up : need.down;
        if (amount <= 0) continue;
        if (absl::Status st = Protect(p, dir, amount); !st.ok()) return st;
      }
    }
    if (effort_ >= 0) {
      if (absl::Status st = Cleanup(progress); !st.ok()) return st;
    }
    return absl::OkStatus();
  }

  std::vector<bool> suppressed() const { return supp_; }
  std::vector<Witness> witnesses() const {
    std::vector<Witness> out;
    for (const Witness& w : witnesses_) {
      if (w.primary >= 0) out.push_back(w);
    }
    return out;
  }

 private:
  // ---- Protection of one primary in one direction -------------------------

  absl::Status Protect(int p, int dir, double amount) {
    // The opposite witness, mirrored, often works (same support, no cost).
    for (int wi : by_primary_[p]) {
      const Witness& o = witnesses_[wi];
      if (o.direction != -dir) continue;
      Witness m = o;
      m.direction = dir;
      double scale = 0;
      for (size_t k = 0; k < m.cells.size(); ++k) {
        if (m.cells[k] == p) scale = amount / std::fabs(m.delta[k]);
      }
      for (double& x : m.delta) x = -x * scale;
      if (CheckWitness(d_, supp_, m) >= amount * (1 - 1e-9)) {
        Add(std::move(m));
        return absl::OkStatus();
      }
    }
    Found best = Hypercube(p, dir, amount, /*only_suppressed=*/false);
    if (!best.ok || best.cost > 0) {
      // The LP is slower; on large tables it is the fallback only.
      if (!best.ok || !large_) {
        Found lp = LpWitness(p, dir, amount, /*only_suppressed=*/false);
        if (lp.ok && (!best.ok || lp.cost < best.cost - 1e-9)) best = std::move(lp);
      }
    }
    if (!best.ok) {
      return absl::FailedPreconditionError(absl::StrCat(
          "primary cell ", d_.name[p], " cannot be protected ",
          dir > 0 ? "upwards" : "downwards", " by ", amount,
          ": no pattern of suppressible cells lets its value move that far (are all its "
          "partners marked safe, or its bounds too tight?)"));
    }
    for (int c : best.w.cells) supp_[c] = true;
    Add(std::move(best.w));
    return absl::OkStatus();
  }

  void Add(Witness w) {
    for (int c : w.cells) ++use_count_[c];
    const int idx = static_cast<int>(witnesses_.size());
    by_primary_[w.primary].push_back(idx);
    for (int c : w.cells) users_[c].push_back(idx);
    witnesses_.push_back(std::move(w));
  }

  void Remove(int idx) {
    Witness& w = witnesses_[idx];
    for (int c : w.cells) {
      --use_count_[c];
      auto& u = users_[c];
      u.erase(std::remove(u.begin(), u.end(), idx), u.end());
    }
    auto& b = by_primary_[w.primary];
    b.erase(std::remove(b.begin(), b.end(), idx), b.end());
    w.primary = -1;
    w.cells.clear();
    w.delta.clear();
  }

  // May cell c change by `delta` in a witness? `only_suppressed` restricts to
  // the current pattern.
  bool CellOk(int c, double delta, bool only_suppressed) const {
    if (forbidden_[c]) return false;
    if (only_suppressed && !supp_[c]) return false;
    const double y = d_.value[c] + delta;
    return y >= d_.lower_bound[c] - 1e-12 && y <= d_.upper_bound[c] + 1e-12;
  }
  double NewCost(int c) const { return supp_[c] ? 0.0 : cost_[c]; }

  // ---- The hierarchical hypercube -----------------------------------------

  struct DimCand {
    std::vector<std::pair<int, int>> codes;  // (code, sign)
    double line_cost = 0;
  };

  Found Hypercube(int p, int dir, double amount, bool only_suppressed) {
    Found best;
    if (d_.home_table.empty() || d_.home_table[p] < 0) return best;
    if (linked_ && d_.table_count[p] > 1) return best;
    const ProductTable& pt = d_.tables[d_.home_table[p]];
    const int pos = d_.home_pos[p];
    const int k = static_cast<int>(pt.dims.size());
    std::vector<int> a(k);
    for (int dd = 0; dd < k; ++dd) a[dd] = pt.CodeAt(pos, dd);
    const size_t max_cands = large_ ? 24 : 400;

    auto line_cell = [&](int dd, int code) { return pt.cell_of[pos + (code - a[dd]) * pt.stride[dd]]; };
    auto usable = [&](int c, int sign) {
      if (linked_ && d_.table_count[c] > 1) return false;
      return CellOk(c, dir * sign * amount, only_suppressed);
    };

    std::vector<std::vector<DimCand>> cands(k);
    for (int dd = 0; dd < k; ++dd) {
      const Hierarchy& h = pt.dims[dd];
      // Descent from x to a leaf with sign s, choosing the cheapest child.
      auto descend = [&](int x, int s, std::vector<std::pair<int, int>>* out, double* cost) {
        while (!h.is_leaf(x)) {
          int pick = -1;
          double pick_cost = kInf, pick_value = -kInf;
          for (int ch : h.children(x)) {
            const int c = line_cell(dd, ch);
            if (!usable(c, s)) continue;
            const double cc = NewCost(c);
            if (cc < pick_cost || (cc == pick_cost && d_.value[c] > pick_value)) {
              pick = ch;
              pick_cost = cc;
              pick_value = d_.value[c];
            }
          }
          if (pick < 0) return false;
          out->emplace_back(pick, s);
          *cost += pick_cost;
          x = pick;
        }
        return true;
      };
      DimCand base;
      base.codes.emplace_back(a[dd], +1);
      if (!descend(a[dd], +1, &base.codes, &base.line_cost)) return best;
      DimCand up = base;
      int A = a[dd];
      bool climbing = true;
      while (A != 0 && climbing) {
        const int P = h.parent(A);
        for (int s : h.children(P)) {
          if (s == A) continue;
          const int c = line_cell(dd, s);
          if (!usable(c, -1)) continue;
          DimCand cand = up;
          cand.codes.emplace_back(s, -1);
          cand.line_cost += NewCost(c);
          if (!descend(s, -1, &cand.codes, &cand.line_cost)) continue;
          cands[dd].push_back(std::move(cand));
        }
        const int cp = line_cell(dd, P);
        if (!usable(cp, +1)) {
          climbing = false;
          break;
        }
        up.codes.emplace_back(P, +1);
        up.line_cost += NewCost(cp);
        A = P;
      }
      if (climbing) cands[dd].push_back(up);  // up to the total
      if (cands[dd].empty()) return best;
      std::stable_sort(cands[dd].begin(), cands[dd].end(),
                       [](const DimCand& x, const DimCand& y) { return x.line_cost < y.line_cost; });
      if (cands[dd].size() > max_cands) cands[dd].resize(max_cands);
    }
    std::vector<double> min_rest(k + 1, 0);
    for (int dd = k - 1; dd >= 0; --dd) min_rest[dd] = min_rest[dd + 1] + cands[dd][0].line_cost;

    std::vector<int> choice(k, 0);
    int64_t evals = 0;
    const int64_t max_evals = large_ ? 400 : 20000;
    std::vector<int> cells;
    std::vector<double> deltas;
    // Depth-first over the dimensions with a lower bound from line costs.
    std::function<bool(int, double)> search = [&](int dd, double partial) -> bool {
      if (dd == k) {
        ++evals;
        // Evaluate the product support.
        cells.clear();
        deltas.clear();
        double total = 0;
        std::vector<size_t> idx(k, 0);
        while (true) {
          int position = pos;
          int sign = dir;
          bool is_p = true;
          for (int e = 0; e < k; ++e) {
            const auto& [code, s] = cands[e][choice[e]].codes[idx[e]];
            position += (code - a[e]) * pt.stride[e];
            sign *= s;
            if (code != a[e]) is_p = false;
          }
          const int c = pt.cell_of[position];
          if (!is_p) {
            if (!usable(c, sign * dir)) return false;
            total += NewCost(c);
            if (total >= best.cost) return false;
          }
          cells.push_back(c);
          deltas.push_back(sign * amount);
          int e = k - 1;
          while (e >= 0 && ++idx[e] == cands[e][choice[e]].codes.size()) idx[e--] = 0;
          if (e < 0) break;
        }
        best.ok = true;
        best.cost = total;
        best.w.primary = p;
        best.w.direction = dir;
        best.w.cells = cells;
        best.w.delta = deltas;
        return total == 0;  // nothing cheaper exists
      }
      for (size_t i = 0; i < cands[dd].size(); ++i) {
        const double lb = partial + cands[dd][i].line_cost + min_rest[dd + 1];
        if (lb >= best.cost) break;
        if (best.ok && evals >= max_evals) break;
        if (evals >= 8 * max_evals) break;
        choice[dd] = static_cast<int>(i);
        if (search(dd + 1, partial + cands[dd][i].line_cost)) return true;
      }
      return false;
    };
    search(0, 0);
    return best;
  }

  // ---- The LP on a window ---------------------------------------------------

  Found LpWitness(int p, int dir, double amount, bool only_suppressed) {
    const int n = d_.num_cells();
    size_t limit = only_suppressed ? 4000 : (large_ ? 1500 : 6000);
    if (n <= 6000) limit = n;
    while (true) {
      Found f = LpOnWindow(p, dir, amount, only_suppressed, limit);
      if (f.ok || limit >= static_cast<size_t>(n)) return f;
      if (large_ && limit >= 200000) return f;
      limit = std::min<size_t>(static_cast<size_t>(n), limit * 8);
    }
  }

  Found LpOnWindow(int p, int dir, double amount, bool only_suppressed, size_t limit) {
    Found out;
    if (static_cast<int>(local_.size()) != d_.num_cells()) local_.assign(d_.num_cells(), -1);
    auto admissible = [&](int c) { return !forbidden_[c] && (!only_suppressed || supp_[c]); };
    std::vector<int> window{p};
    local_[p] = 0;
    for (size_t qi = 0; qi < window.size() && window.size() < limit; ++qi) {
      const int c = window[qi];
      for (int k = d_.cr_start[c]; k < d_.cr_start[c + 1] && window.size() < limit; ++k) {
        const int r = d_.cr_rel[k];
        for (int q = d_.rel_start[r]; q < d_.rel_start[r + 1] && window.size() < limit; ++q) {
          const int c2 = d_.rel_cell[q];
          if (local_[c2] < 0 && admissible(c2)) {
            local_[c2] = static_cast<int>(window.size());
            window.push_back(c2);
          }
        }
      }
    }
    // Columns: per window cell an up part (2j) and a down part (2j + 1).
    const int m = static_cast<int>(window.size());
    std::vector<double> lb(2 * m, 0), ub(2 * m, 0), obj(2 * m, 0);
    for (int j = 0; j < m; ++j) {
      const int c = window[j];
      ub[2 * j] = d_.upper_bound[c] - d_.value[c];
      ub[2 * j + 1] = d_.value[c] - d_.lower_bound[c];
      const double unit = (supp_[c] ? eps_cost_ : cost_[c] + eps_cost_) / amount;
      obj[2 * j] = obj[2 * j + 1] = unit;
    }
    // The primary moves by exactly `amount`.
    if (dir > 0) {
      lb[0] = ub[0] = amount;
      ub[1] = 0;
      if (d_.upper_bound[p] - d_.value[p] < amount * (1 - 1e-12)) return CleanupLocal(window, out);
    } else {
      lb[1] = ub[1] = amount;
      ub[0] = 0;
      if (d_.value[p] - d_.lower_bound[p] < amount * (1 - 1e-12)) return CleanupLocal(window, out);
    }
    obj[0] = obj[1] = 0;
    std::vector<int> rels;
    for (int c : window) {
      for (int k = d_.cr_start[c]; k < d_.cr_start[c + 1]; ++k) rels.push_back(d_.cr_rel[k]);
    }
    std::sort(rels.begin(), rels.end());
    rels.erase(std::unique(rels.begin(), rels.end()), rels.end());
    std::vector<int> row_start{0}, row_col;
    std::vector<double> row_val, rhs;
    for (int r : rels) {
      for (int k = d_.rel_start[r]; k < d_.rel_start[r + 1]; ++k) {
        const int j = local_[d_.rel_cell[k]];
        if (j < 0) continue;
        row_col.push_back(2 * j);
        row_val.push_back(d_.rel_coef[k]);
        row_col.push_back(2 * j + 1);
        row_val.push_back(-d_.rel_coef[k]);
      }
      row_start.push_back(static_cast<int>(row_col.size()));
      rhs.push_back(0);
    }
    Lp lp;
    lp.Load(2 * m, lb, ub, obj, row_start, row_col, row_val, rhs);
    const LpStatus st = lp.Solve();
    if (st != LpStatus::kOptimal) return CleanupLocal(window, out);
    const double* x = lp.solution();
    Witness w;
    w.primary = p;
    w.direction = dir;
    const bool integer = d_.integer();
    double cost = 0;
    for (int j = 0; j < m; ++j) {
      double delta = x[2 * j] - x[2 * j + 1];
      if (std::fabs(delta) <= 1e-9 * (1 + amount)) continue;
      if (integer && std::fabs(delta - std::round(delta)) <= 1e-7 * (1 + amount)) {
        delta = std::round(delta);
      }
      if (delta == 0) continue;
      w.cells.push_back(window[j]);
      w.delta.push_back(delta);
      cost += NewCost(window[j]);
    }
    // Trust nothing: the witness must check against the pattern it implies.
    std::vector<bool> implied = supp_;
    for (int c : w.cells) implied[c] = true;
    CleanupLocal(window, out);
    if (CheckWitness(d_, implied, w) < amount * (1 - 1e-7)) return out;
    out.ok = true;
    out.cost = cost;
    out.w = std::move(w);
    return out;
  }

  Found& CleanupLocal(const std::vector<int>& window, Found& f) {
    for (int c : window) local_[c] = -1;
    return f;
  }

  // ---- Releasing secondary cells -------------------------------------------

  absl::Status Cleanup(const ProgressFn& progress) {
    const int n = d_.num_cells();
    std::vector<int> secondary;
    for (int c = 0; c < n; ++c) {
      if (supp_[c] && !prot_[c].primary) secondary.push_back(c);
    }
    std::stable_sort(secondary.begin(), secondary.end(), [&](int a, int b) {
      if (cost_[a] != cost_[b]) return cost_[a] > cost_[b];
      return a > b;
    });
    int64_t done = 0;
    for (int s : secondary) {
      if (progress && (done & 255) == 0 &&
          !progress({"cleanup", done, static_cast<int64_t>(secondary.size())})) {
        return absl::CancelledError("cancelled while releasing secondary cells");
      }
      ++done;
      if (use_count_[s] == 0) {
        supp_[s] = false;
        continue;
      }
      if (effort_ < 1) continue;
      // Replace every witness that uses s by one within the pattern minus s.
      supp_[s] = false;
      forbidden_[s] = 1;
      std::vector<int> users = users_[s];
      std::vector<Witness> replacement;
      bool ok = true;
      for (int wi : users) {
        const Witness& w = witnesses_[wi];
        double amount = 0;
        for (size_t k = 0; k < w.cells.size(); ++k) {
          if (w.cells[k] == w.primary) amount = std::fabs(w.delta[k]);
        }
        Found f = Hypercube(w.primary, w.direction, amount, /*only_suppressed=*/true);
        if (!f.ok && !large_) f = LpWitness(w.primary, w.direction, amount, true);
        if (!f.ok) {
          ok = false;
          break;
        }
        replacement.push_back(std::move(f.w));
      }
      forbidden_[s] = d_.mark[s] == CellMark::kSafe ? 1 : 0;
      if (!ok) {
        supp_[s] = true;
        continue;
      }
      for (int wi : users) Remove(wi);
      for (Witness& w : replacement) Add(std::move(w));
    }
    return absl::OkStatus();
  }

  const SdcData& d_;
  const std::vector<Protection>& prot_;
  const std::vector<double>& cost_;
  int effort_;
  double eps_cost_ = 1e-4;
  bool linked_ = false;
  bool large_ = false;
  std::vector<bool> supp_;
  std::vector<uint8_t> forbidden_;
  std::vector<int> use_count_;
  std::vector<Witness> witnesses_;
  std::vector<std::vector<int>> by_primary_;
  std::vector<std::vector<int>> users_;
  std::vector<int> local_;
};

}  // namespace

absl::StatusOr<HeuristicResult> RunHeuristic(const SdcData& d,
                                              const std::vector<Protection>& protection,
                                              const std::vector<double>& cost, int effort,
                                              const ProgressFn& progress) {
  Engine engine(d, protection, cost, effort);
  if (absl::Status st = engine.Run(progress); !st.ok()) return st;
  HeuristicResult out;
  out.suppressed = engine.suppressed();
  out.witnesses = engine.witnesses();
  return out;
}

}  // namespace gdprkit::internal
