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
#include "common/status_macros.h"
#include "gdprkit/suppression.h"
#include "suppression/internal/sdc_engine.h"
#include "suppression/internal/sdc_lp.h"
#include "suppression/internal/sdc_model.h"

namespace gdprkit::internal {

absl::Status RoundStage::Begin(std::int64_t size) {
  size = std::max<std::int64_t>(size, 0);
  if (!stage_) {
    share_ = std::max<std::int64_t>(size, 1);
    stage_.emplace(fn_, name_, share_ * rounds_);
    GDPRKIT_RETURN_IF_ERROR(stage_->Start());
  }
  round_ = std::min(round_ + 1, rounds_ - 1);
  size_ = size;
  return SetAtLeast(share_ * round_);
}

absl::Status RoundStage::Step(std::int64_t done) {
  if (!stage_ || !stage_->active()) return absl::OkStatus();
  const std::int64_t part = size_ > 0 ? std::min(done, size_) * share_ / size_ : share_;
  return SetAtLeast(share_ * round_ + part);
}

absl::Status RoundStage::SetAtLeast(std::int64_t done) {
  if (done <= done_) return absl::OkStatus();
  done_ = done;
  return stage_->Set(done);
}

absl::Status RoundStage::EndRound() {
  if (!stage_) return absl::OkStatus();
  GDPRKIT_RETURN_IF_ERROR(SetAtLeast(share_ * (round_ + 1)));
  return round_ + 1 >= rounds_ ? Finish() : absl::OkStatus();
}

absl::Status RoundStage::Finish() {
  if (!stage_) {
    stage_.emplace(fn_, name_, 0);
    GDPRKIT_RETURN_IF_ERROR(stage_->Start());
  }
  return stage_->Finish();
}

namespace {

constexpr size_t kMaxSiblings = 2048;

struct Found {
  bool ok = false;
  double cost = kInf;
  Witness w;
};

class Engine {
 public:
  Engine(const SdcData& d, const std::vector<Protection>& prot, const std::vector<double>& cost,
         const std::vector<double>& search_cost, int effort, bool second_opinion)
      : d_(d),
        prot_(prot),
        cost_(cost),
        search_cost_(search_cost),
        effort_(effort),
        second_opinion_(second_opinion) {
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
    // Attraction of a cell: primaries sharing a relation with it. Among
    // witnesses of equal cost the one whose new cells attract the least is
    // taken (measured on random tables: a little cheaper than the opposite;
    // cells among many primaries tend to be suppressed by them anyway).
    attraction_.assign(n, 0);
    for (int r = 0; r < d.num_relations(); ++r) {
      int count = 0;
      for (int k = d.rel_start[r]; k < d.rel_start[r + 1]; ++k)
        count += prot[d.rel_cell[k]].primary;
      for (int k = d.rel_start[r]; k < d.rel_start[r + 1]; ++k) {
        attraction_[d.rel_cell[k]] += count - (prot[d.rel_cell[k]].primary ? 1 : 0);
      }
    }
  }

  // The greedy, then the release of cells and the local search; the caller
  // has begun this round of `stages.secondary`.
  absl::Status Run(HeuristicStages& stages) {
    const int n = d_.num_cells();
    std::vector<int> order;
    for (int c = 0; c < n; ++c) {
      if (!prot_[c].primary) continue;
      if (forbidden_[c]) {
        return absl::InvalidArgumentError(absl::StrCat(
            "cell ", d_.CellName(c), " is primary but marked safe (must be published)"));
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
      const Need need = NeedOf(prot_[p]);
      for (int dir : {+1, -1}) {
        const double amount = dir > 0 ? need.up : need.down;
        if (amount <= 0) continue;
        if (absl::Status st = Protect(p, dir, amount); !st.ok()) return st;
      }
      GDPRKIT_RETURN_IF_ERROR(stages.secondary.Step(++done));
    }
    GDPRKIT_RETURN_IF_ERROR(stages.secondary.EndRound());
    GDPRKIT_RETURN_IF_ERROR(Cleanup(stages.cleanup));
    if (effort_ >= 1) GDPRKIT_RETURN_IF_ERROR(Improve(stages.improve));
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
    Found best = FindBest(p, dir, amount, second_opinion_);
    if (!best.ok) return Unprotectable(p, dir, amount);
    for (int c : best.w.cells) supp_[c] = true;
    Add(std::move(best.w));
    return absl::OkStatus();
  }

  absl::Status Unprotectable(int p, int dir, double amount) const {
    return absl::FailedPreconditionError(
        absl::StrCat("primary cell ", d_.CellName(p), " cannot be protected ",
                     dir > 0 ? "upwards" : "downwards", " by ", amount,
                     ": no pattern of suppressible cells lets its value move that far (are all its "
                     "partners marked safe, or its bounds too tight?)"));
  }

  // The cheapest witness found for (p, dir): the mirror of p's witness in
  // the other direction, the hypercube, and the LP (as a fallback, or as a
  // second opinion when `use_lp`).
  Found FindBest(int p, int dir, double amount, bool use_lp) {
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
        Found f;
        f.ok = true;
        f.cost = 0;
        f.w = std::move(m);
        return f;
      }
    }
    Found best = Hypercube(p, dir, amount, /*only_suppressed=*/false);
    if (best.ok && best.cost == 0) return best;
    // Within the current pattern, where flows may split over several
    // partners (a 4 protected by two cells of 2): a small LP over suppressed
    // cells only.
    if (!large_) {
      Found free = LpWitness(p, dir, amount, /*only_suppressed=*/true);
      if (free.ok) return free;
    }
    // The LP rarely beats the hypercube in a single step (measured) and is
    // much slower: it is the fallback, and a second opinion when asked.
    if (!best.ok || use_lp) {
      Found lp = LpWitness(p, dir, amount, /*only_suppressed=*/false);
      if (lp.ok && (!best.ok || lp.cost < best.cost - 1e-9)) best = std::move(lp);
    }
    return best;
  }

  // Local search: take a secondary cell out, re-protect the primaries whose
  // witnesses used it (new cells allowed, that one forbidden), release the
  // cells no witness uses any more, and keep the change when the total cost
  // falls. Repeated while it helps.
  // Progress: one round of `stage` of 4 passes over the secondary cells
  // found at the start.
  absl::Status Improve(RoundStage& stage) {
    const int n = d_.num_cells();
    constexpr int kPasses = 4;
    int64_t first = -1;  // secondary cells at the start: a pass's units
    for (int pass = 0; pass < kPasses; ++pass) {
      std::vector<int> secondary;
      for (int c = 0; c < n; ++c) {
        if (supp_[c] && !prot_[c].primary) secondary.push_back(c);
      }
      std::stable_sort(secondary.begin(), secondary.end(), [&](int a, int b) {
        if (cost_[a] != cost_[b]) return cost_[a] > cost_[b];
        return a < b;
      });
      if (first < 0) {
        first = static_cast<int64_t>(secondary.size());
        GDPRKIT_RETURN_IF_ERROR(stage.Begin(kPasses * first));
      }
      bool improved = false;
      int64_t done = 0;
      for (int s : secondary) {
        ++done;
        if (supp_[s] && TryRemove(s)) improved = true;  // else released by an earlier move
        GDPRKIT_RETURN_IF_ERROR(stage.Step(
            pass * first + std::min(first, done * first / std::max<int64_t>(1, secondary.size()))));
      }
      if (!improved) break;
    }
    return stage.EndRound();
  }

  bool TryRemove(int s) {
    const std::vector<int> users = users_[s];
    std::vector<Witness> removed;
    for (int wi : users) removed.push_back(witnesses_[wi]);
    std::vector<int> touched;  // cells whose use count may drop to zero
    for (const Witness& w : removed) touched.insert(touched.end(), w.cells.begin(), w.cells.end());
    for (int wi : users) Remove(wi);
    supp_[s] = false;
    const uint8_t was_forbidden = forbidden_[s];
    forbidden_[s] = 1;
    double delta = -cost_[s];
    std::vector<int> added_cells, added_witnesses;
    bool ok = true;
    for (const Witness& w : removed) {
      double amount = 0;
      for (size_t k = 0; k < w.cells.size(); ++k) {
        if (w.cells[k] == w.primary) amount = std::fabs(w.delta[k]);
      }
      Found f = FindBest(w.primary, w.direction, amount, second_opinion_);
      if (!f.ok) {
        ok = false;
        break;
      }
      for (int c : f.w.cells) {
        if (!supp_[c]) {
          supp_[c] = true;
          added_cells.push_back(c);
          delta += cost_[c];
        }
      }
      Add(std::move(f.w));
      added_witnesses.push_back(static_cast<int>(witnesses_.size()) - 1);
    }
    forbidden_[s] = was_forbidden;
    std::vector<int> released;
    if (ok) {
      std::sort(touched.begin(), touched.end());
      touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
      for (int c : touched) {
        if (c != s && supp_[c] && !prot_[c].primary && use_count_[c] == 0) {
          released.push_back(c);
          delta -= cost_[c];
        }
      }
    }
    if (ok && delta < -1e-9) {
      for (int c : released) supp_[c] = false;
      return true;
    }
    // Undo.
    for (int wi : added_witnesses) Remove(wi);
    for (int c : added_cells) supp_[c] = false;
    supp_[s] = true;
    for (Witness& w : removed) Add(std::move(w));
    return false;
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
  double NewCost(int c) const { return supp_[c] ? 0.0 : search_cost_[c]; }

  // ---- The hierarchical hypercube -----------------------------------------

  // Candidate balanced vectors of one dimension, stored flat: candidate i
  // has the (code, sign) pairs codes[start[i], start[i + 1]).
  struct DimCands {
    std::vector<std::pair<int, int>> codes;
    std::vector<int> start;
    std::vector<double> line_cost;
    std::vector<int> order;  // candidates by line cost (stable), truncated
    void Clear() {
      codes.clear();
      start.assign(1, 0);
      line_cost.clear();
      order.clear();
    }
  };

  // State of one hypercube search.
  struct HcSearch {
    const ProductTable* pt;
    int p, pos, dir, k;
    double amount;
    bool only_suppressed;
    int64_t evals = 0, max_evals = 0;
    double best_score = -1;
    Found* best;
  };

  bool Usable(const HcSearch& s, int c, int sign) const {
    if (linked_ && d_.table_count[c] > 1) return false;
    return CellOk(c, s.dir * sign * s.amount, s.only_suppressed);
  }
  int LineCell(const HcSearch& s, int dd, int code) const {
    return s.pt->cell_of[s.pos + (code - a_[dd]) * s.pt->stride[dd]];
  }

  // Appends the descent from x to a leaf (sign `sign`), cheapest child first.
  bool Descend(const HcSearch& s, int dd, int x, int sign, std::vector<std::pair<int, int>>* out,
               double* cost) const {
    const Hierarchy& h = s.pt->dims[dd];
    while (!h.is_leaf(x)) {
      int pick = -1;
      double pick_cost = kInf, pick_value = -kInf;
      for (int ch : h.children(x)) {
        const int c = LineCell(s, dd, ch);
        if (!Usable(s, c, sign)) continue;
        const double cc = NewCost(c);
        if (cc < pick_cost || (cc == pick_cost && d_.value[c] > pick_value)) {
          pick = ch;
          pick_cost = cc;
          pick_value = d_.value[c];
        }
      }
      if (pick < 0) return false;
      out->emplace_back(pick, sign);
      *cost += pick_cost;
      x = pick;
    }
    return true;
  }

  Found Hypercube(int p, int dir, double amount, bool only_suppressed) {
    Found best;
    if (d_.home_table.empty() || d_.home_table[p] < 0) return best;
    if (linked_ && d_.table_count[p] > 1) return best;
    HcSearch s;
    s.pt = &d_.tables[d_.home_table[p]];
    s.p = p;
    s.pos = d_.home_pos[p];
    s.dir = dir;
    s.amount = amount;
    s.only_suppressed = only_suppressed;
    s.k = static_cast<int>(s.pt->dims.size());
    s.max_evals = large_ ? 400 : 20000;
    s.best = &best;
    const int k = s.k;
    a_.resize(k);
    for (int dd = 0; dd < k; ++dd) a_[dd] = s.pt->CodeAt(s.pos, dd);
    if (static_cast<int>(hc_.size()) < k) hc_.resize(k);
    const size_t max_cands = large_ ? 24 : 400;
    for (int dd = 0; dd < k; ++dd) {
      const Hierarchy& h = s.pt->dims[dd];
      DimCands& dc = hc_[dd];
      dc.Clear();
      // The part every candidate shares: the code and its descent, then the
      // ancestors climbed so far (all with sign +1).
      up_.clear();
      up_.emplace_back(a_[dd], +1);
      double up_cost = 0;
      if (!Descend(s, dd, a_[dd], +1, &up_, &up_cost)) return best;
      auto push = [&](double cost) {
        dc.line_cost.push_back(cost);
        dc.start.push_back(static_cast<int>(dc.codes.size()));
      };
      int A = a_[dd];
      bool climbing = true;
      while (A != 0) {
        const int P = h.parent(A);
        // Very wide levels: the siblings after A in code order (wrapping),
        // at most kMaxSiblings usable ones, so a 100 000-code level does not
        // cost 100 000 steps per primary.
        const std::vector<int>& sibs = h.children(P);
        const size_t width = sibs.size();
        const size_t at =
            static_cast<size_t>(std::find(sibs.begin(), sibs.end(), A) - sibs.begin());
        size_t taken = 0;
        for (size_t step = 1; step < width && taken < kMaxSiblings; ++step) {
          const int sib = sibs[(at + step) % width];
          const int c = LineCell(s, dd, sib);
          if (!Usable(s, c, -1)) continue;
          ++taken;
          const size_t mark = dc.codes.size();
          dc.codes.insert(dc.codes.end(), up_.begin(), up_.end());
          dc.codes.emplace_back(sib, -1);
          double cost = up_cost + NewCost(c);
          if (!Descend(s, dd, sib, -1, &dc.codes, &cost)) {
            dc.codes.resize(mark);
            continue;
          }
          push(cost);
        }
        const int cp = LineCell(s, dd, P);
        if (!Usable(s, cp, +1)) {
          climbing = false;
          break;
        }
        // Candidates further up cost at least this on the line; stop when
        // enough candidates are at least as cheap (they would be cut anyway).
        const double next_lb = up_cost + NewCost(cp);
        size_t cheaper = 0;
        for (double lc : dc.line_cost) cheaper += lc <= next_lb;
        if (cheaper >= max_cands) {
          climbing = false;
          break;
        }
        up_.emplace_back(P, +1);
        up_cost = next_lb;
        A = P;
      }
      if (climbing) {  // up to the total
        dc.codes.insert(dc.codes.end(), up_.begin(), up_.end());
        push(up_cost);
      }
      const int m = static_cast<int>(dc.line_cost.size());
      if (m == 0) return best;
      dc.order.resize(m);
      std::iota(dc.order.begin(), dc.order.end(), 0);
      std::stable_sort(dc.order.begin(), dc.order.end(),
                       [&](int x, int y) { return dc.line_cost[x] < dc.line_cost[y]; });
      if (dc.order.size() > max_cands) dc.order.resize(max_cands);
    }
    min_rest_.assign(k + 1, 0);
    for (int dd = k - 1; dd >= 0; --dd) {
      min_rest_[dd] = min_rest_[dd + 1] + hc_[dd].line_cost[hc_[dd].order[0]];
    }
    choice_.assign(k, 0);
    Search(s, 0, 0);
    return best;
  }

  // Depth-first over the dimensions, bounded below by the line costs.
  bool Search(HcSearch& s, int dd, double partial) {
    if (dd == s.k) return Evaluate(s);
    const DimCands& dc = hc_[dd];
    for (int i : dc.order) {
      const double lb = partial + dc.line_cost[i] + min_rest_[dd + 1];
      if (lb > s.best->cost) break;
      if (s.best->ok && s.evals >= s.max_evals) break;
      if (s.evals >= 8 * s.max_evals) break;
      choice_[dd] = i;
      if (Search(s, dd + 1, partial + dc.line_cost[i])) return true;
    }
    return false;
  }

  // The product of the chosen candidates; true when it costs nothing (no
  // better witness exists).
  bool Evaluate(HcSearch& s) {
    ++s.evals;
    const int k = s.k;
    cells_.clear();
    deltas_.clear();
    double total = 0, score = 0;
    idx_.assign(k, 0);
    while (true) {
      int position = s.pos;
      int sign = s.dir;
      bool is_p = true;
      for (int e = 0; e < k; ++e) {
        const DimCands& dc = hc_[e];
        const auto& [code, sg] = dc.codes[dc.start[choice_[e]] + idx_[e]];
        position += (code - a_[e]) * s.pt->stride[e];
        sign *= sg;
        if (code != a_[e]) is_p = false;
      }
      const int c = s.pt->cell_of[position];
      if (!is_p) {
        if (!Usable(s, c, sign * s.dir)) return false;
        total += NewCost(c);
        if (total > s.best->cost) return false;
        if (!supp_[c]) score -= attraction_[c];
      }
      cells_.push_back(c);
      deltas_.push_back(sign * s.amount);
      int e = k - 1;
      while (e >= 0) {
        const DimCands& dc = hc_[e];
        if (++idx_[e] < dc.start[choice_[e] + 1] - dc.start[choice_[e]]) break;
        idx_[e--] = 0;
      }
      if (e < 0) break;
    }
    Found& best = *s.best;
    if (best.ok && total == best.cost && score <= s.best_score) return false;
    best.ok = true;
    best.cost = total;
    s.best_score = score;
    best.w.primary = s.p;
    best.w.direction = s.dir;
    best.w.cells = cells_;
    best.w.delta = deltas_;
    return total == 0;
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
      const double unit = (supp_[c] ? eps_cost_ : search_cost_[c] + eps_cost_) / amount;
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

  // Progress: one round of `stage`, one unit per secondary cell.
  absl::Status Cleanup(RoundStage& stage) {
    const int n = d_.num_cells();
    std::vector<int> secondary;
    for (int c = 0; c < n; ++c) {
      if (supp_[c] && !prot_[c].primary) secondary.push_back(c);
    }
    std::stable_sort(secondary.begin(), secondary.end(), [&](int a, int b) {
      if (cost_[a] != cost_[b]) return cost_[a] > cost_[b];
      return a > b;
    });
    GDPRKIT_RETURN_IF_ERROR(stage.Begin(static_cast<int64_t>(secondary.size())));
    int64_t done = 0;
    for (int s : secondary) {
      GDPRKIT_RETURN_IF_ERROR(stage.Step(done++));
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
    return stage.EndRound();
  }

  const SdcData& d_;
  const std::vector<Protection>& prot_;
  const std::vector<double>& cost_;
  const std::vector<double>& search_cost_;
  int effort_;
  bool second_opinion_ = false;
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
  std::vector<double> attraction_;
  // Hypercube scratch, reused between searches.
  std::vector<DimCands> hc_;
  std::vector<std::pair<int, int>> up_;
  std::vector<int> a_, choice_, idx_, cells_;
  std::vector<double> min_rest_, deltas_;
};

}  // namespace

absl::StatusOr<HeuristicResult> RunHeuristic(const SdcData& d,
                                             const std::vector<Protection>& protection,
                                             const std::vector<double>& cost, int effort,
                                             const ProgressFn& progress) {
  const int n = d.num_cells();
  const int rounds = effort >= 2 ? 3 : 1;
  int64_t num_primary = 0;
  for (const Protection& p : protection) num_primary += p.primary ? 1 : 0;
  // The greedy's stage starts before the guidance, which takes a while.
  HeuristicStages stages(progress, rounds);
  GDPRKIT_RETURN_IF_ERROR(stages.secondary.Begin(num_primary));
  // Small tables: the greedy follows the LP relaxation of the exact model
  // (cells the relaxation suppresses look cheaper), and each witness search
  // asks the LP for a second opinion. Both cost time that grows quickly with
  // the table, hence the limits (effort 2 raises them).
  const int guided_max = effort >= 2 ? 50000 : (effort >= 1 ? 5000 : 0);
  const bool guided = n <= guided_max;
  std::vector<double> search = cost;
  if (guided) {
    // A round budget that shrinks with the table as a round's work grows
    // (about n^1.6): all 60 rounds up to ~800 cells, 5 at 3,500, 3 at 5,000
    // (effort 1; about 3 s on this project's machine). Not a time budget:
    // the same table must give the same pattern on any machine under any
    // load.
    const double scale = (effort >= 2 ? 2000.0 : 200.0) * std::pow(363.0 / std::max(n, 1), 1.6);
    const int max_rounds = static_cast<int>(std::clamp(scale, 2.0, 60.0));
    absl::StatusOr<std::vector<double>> x = RelaxationPoint(d, protection, cost, max_rounds);
    if (!x.ok()) return x.status();
    for (int c = 0; c < n; ++c) search[c] = cost[c] * (1 - 0.5 * std::min(1.0, (*x)[c]));
  }
  const bool second_opinion = guided;
  HeuristicResult best;
  double best_cost = kInf;
  for (int round = 0; round < rounds; ++round) {
    if (round > 0) GDPRKIT_RETURN_IF_ERROR(stages.secondary.Begin(num_primary));
    Engine engine(d, protection, cost, search, effort, second_opinion);
    GDPRKIT_RETURN_IF_ERROR(engine.Run(stages));
    std::vector<bool> supp = engine.suppressed();
    double total = 0;
    for (int c = 0; c < n; ++c) {
      if (supp[c] && !protection[c].primary) total += cost[c];
    }
    if (total < best_cost) {
      best_cost = total;
      best.suppressed = std::move(supp);
      best.witnesses = engine.witnesses();
    }
    // Next round: what this round suppressed looks cheaper, so that the
    // greedy consolidates on cells that served many primaries.
    for (int c = 0; c < n; ++c) {
      if (best.suppressed[c] && !protection[c].primary) search[c] *= 0.5;
    }
  }
  GDPRKIT_RETURN_IF_ERROR(stages.secondary.Finish());
  GDPRKIT_RETURN_IF_ERROR(stages.cleanup.Finish());
  if (effort >= 1) GDPRKIT_RETURN_IF_ERROR(stages.improve.Finish());
  return best;
}

}  // namespace gdprkit::internal
