// Secondary suppression, the cost-minimising method: the Fischetti-Salazar
// model solved by Benders-style row generation with CBC.
//
// Master: minimise sum cost_c x_c over binary x (x_c = 1: suppressed),
// primaries fixed to 1, cells marked safe fixed to 0, subject to capacity
// cuts. Sub-problem, per primary p and direction: the attacker LP
//   max dir * d_p  s.t.  A d = 0,  -(v_c - lb_c) x_c <= d_c <= (ub_c - v_c) x_c,
// whose value must reach p's protection level. For any dual vector y of that
// LP, weak duality bounds the attacker's reach by
//   sum_c (|r_up_c^-| (ub_c - v_c) + |r_down_c^-| (v_c - lb_c)) x_c,
// with r the reduced costs under y, so requiring this bound to reach the level
// is valid for every protected pattern. Coefficients are capped at the level
// (x is binary); an infinite capacity becomes the level itself. At a binary
// point the sub-problem is solved with the true (infinite) capacities, so a
// pattern the loop accepts is protected, and the master's optimum over a
// subset of valid cuts is a lower bound: when its solution passes every
// sub-problem it is optimal. The time limit returns the best protected
// pattern found (the heuristic's at worst) with the master's lower bound.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "CbcModel.hpp"
#include "CbcSolver.hpp"
#include "ClpSimplex.hpp"
#include "CoinMessageHandler.hpp"
#include "CoinPackedMatrix.hpp"
#include "CoinPackedVector.hpp"
#include "OsiClpSolverInterface.hpp"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/status_macros.h"
#include "gdprkit/suppression.h"
#include "suppression/internal/sdc_engine.h"
#include "suppression/internal/sdc_lp.h"
#include "suppression/internal/sdc_model.h"

namespace gdprkit::internal {
namespace {

// CbcMain0/CbcMain1 (CBC's command-line driver, which sets up its cut
// generators and heuristics) read their arguments through process-wide
// statics (CbcOrClpRead_mode and friends): two solves in two threads at once
// misread each other's arguments (seen as "String of -quit is illegal for
// integer parameter logLevel" on stderr in tests/c/suppression_threads_test.c,
// and a misread -seconds would change the time limit). One driver call at a
// time; the LP work outside it (cuts, audit) still runs in parallel.
ABSL_CONST_INIT absl::Mutex g_cbc_driver_mu(absl::kConstInit);

struct Cut {
  std::vector<int> cells;
  std::vector<double> coef;
  double rhs = 0;
};

struct Requirement {
  int primary;
  int dir;
  double amount;
};

class Benders {
 public:
  Benders(const SdcData& d, const std::vector<Protection>& prot, const std::vector<double>& cost)
      : d_(d), prot_(prot), cost_(cost) {
    for (int c = 0; c < d.num_cells(); ++c) {
      if (!prot[c].primary) continue;
      const Need need = NeedOf(prot[c]);
      if (need.up > 0) reqs_.push_back({c, +1, need.up});
      if (need.down > 0) reqs_.push_back({c, -1, need.down});
    }
  }

  const std::vector<Requirement>& requirements() const { return reqs_; }

  // Solves the attacker LP of one requirement at x (cells with x_c > 0 can
  // move; binary: capacities are the true ones, fractional: scaled by x and
  // capped at the level). Returns the reach; fills `cut` when it falls short.
  absl::StatusOr<double> Separate(const Requirement& q, const std::vector<double>& x, bool binary,
                                  Cut* cut) {
    const int n = d_.num_cells();
    std::vector<int> cols;  // cells with a column pair
    std::vector<int> local(n, -1);
    for (int c = 0; c < n; ++c) {
      if (x[c] > 1e-9) {
        local[c] = static_cast<int>(cols.size());
        cols.push_back(c);
      }
    }
    const int m = static_cast<int>(cols.size());
    std::vector<double> lb(2 * m, 0), ub(2 * m, 0), obj(2 * m, 0);
    for (int j = 0; j < m; ++j) {
      const int c = cols[j];
      const double up = d_.upper_bound[c] - d_.value[c];
      const double down = d_.value[c] - d_.lower_bound[c];
      if (binary) {
        ub[2 * j] = up;
        ub[2 * j + 1] = down;
      } else {
        ub[2 * j] = std::min(up, q.amount) * x[c];
        ub[2 * j + 1] = std::min(down, q.amount) * x[c];
      }
    }
    const int jp = local[q.primary];
    if (jp < 0) return absl::InternalError("primary without a column in the separation LP");
    // Maximise dir * d_p = minimise -dir * (up_p - down_p); cap at the level
    // so the LP stays bounded.
    obj[2 * jp] = -q.dir;
    obj[2 * jp + 1] = q.dir;
    if (q.dir > 0) {
      ub[2 * jp] = std::min(ub[2 * jp], q.amount);
      ub[2 * jp + 1] = 0;
    } else {
      ub[2 * jp + 1] = std::min(ub[2 * jp + 1], q.amount);
      ub[2 * jp] = 0;
    }
    std::vector<int> rels;
    for (int c : cols) {
      for (int k = d_.cr_start[c]; k < d_.cr_start[c + 1]; ++k) rels.push_back(d_.cr_rel[k]);
    }
    std::sort(rels.begin(), rels.end());
    rels.erase(std::unique(rels.begin(), rels.end()), rels.end());
    std::vector<int> row_start{0}, row_col;
    std::vector<double> row_val, rhs;
    for (int r : rels) {
      for (int k = d_.rel_start[r]; k < d_.rel_start[r + 1]; ++k) {
        const int j = local[d_.rel_cell[k]];
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
    if (st != LpStatus::kOptimal) {
      return absl::InternalError(
          absl::StrCat("the separation LP failed for cell ", d_.CellName(q.primary)));
    }
    const double reach = -lp.objective();
    if (reach >= q.amount * (1 - 1e-9) - 1e-9) return reach;
    // Reduced costs for every cell from the row duals: the up column of c
    // has coefficients coef(r, c), the down column their negation.
    const double* y = lp.row_duals();
    std::vector<double> g(n, 0);
    for (size_t i = 0; i < rels.size(); ++i) {
      const int r = rels[i];
      if (y[i] == 0) continue;
      for (int k = d_.rel_start[r]; k < d_.rel_start[r + 1]; ++k) {
        g[d_.rel_cell[k]] += d_.rel_coef[k] * y[i];
      }
    }
    cut->cells.clear();
    cut->coef.clear();
    // The primary's own columns are constants (x_p = 1): move them right.
    {
      const double r_up = obj[2 * jp] - g[q.primary];
      const double r_down = obj[2 * jp + 1] + g[q.primary];
      double p_term = 0;
      if (q.dir > 0 && r_up < 0) p_term += -r_up * q.amount;
      if (q.dir < 0 && r_down < 0) p_term += -r_down * q.amount;
      cut->rhs = q.amount - p_term;
    }
    if (cut->rhs <= 1e-9 * q.amount) return reach;  // no useful cut from this dual
    for (int c = 0; c < n; ++c) {
      if (c == q.primary) continue;
      const double r_up = -g[c];
      const double r_down = g[c];
      const double cap_up = d_.upper_bound[c] - d_.value[c];
      const double cap_down = d_.value[c] - d_.lower_bound[c];
      double a = 0;
      if (r_up < -1e-12 && cap_up > 0) a += std::isinf(cap_up) ? cut->rhs : -r_up * cap_up;
      if (r_down < -1e-12 && cap_down > 0) a += -r_down * cap_down;
      a = std::min(a, cut->rhs);
      if (a > 0 && d_.mark[c] != CellMark::kSafe) {
        cut->cells.push_back(c);
        cut->coef.push_back(a);
      }
    }
    return reach;
  }

 private:
  const SdcData& d_;
  [[maybe_unused]] const std::vector<Protection>& prot_;
  [[maybe_unused]] const std::vector<double>& cost_;
  std::vector<Requirement> reqs_;
};

void Quiet(OsiClpSolverInterface* solver) {
  solver->messageHandler()->setLogLevel(0);
  solver->getModelPtr()->messageHandler()->setLogLevel(0);
  solver->setHintParam(OsiDoReducePrint, true, OsiHintTry);
}

double CutLhs(const Cut& cut, const std::vector<double>& x) {
  double s = 0;
  for (size_t k = 0; k < cut.cells.size(); ++k) s += cut.coef[k] * x[cut.cells[k]];
  return s;
}

}  // namespace

namespace {

// The master's cut pool and its separation over every requirement.
class Master {
 public:
  Master(const SdcData& d, const std::vector<Protection>& protection,
         const std::vector<double>& cost)
      : d_(d), benders_(d, protection, cost) {
    const int n = d.num_cells();
    col_lb.assign(n, 0);
    col_ub.assign(n, 1);
    obj.assign(n, 0);
    for (int c = 0; c < n; ++c) {
      if (protection[c].primary) col_lb[c] = 1;
      if (d.mark[c] == CellMark::kSafe) col_ub[c] = 0;
      if (!protection[c].primary) obj[c] = cost[c];
    }
  }

  // Adds a cut for every requirement x does not meet. At a binary x a
  // requirement no cell can help is an error.
  absl::Status SeparateAll(const std::vector<double>& x, bool binary, int* added) {
    *added = 0;
    for (const Requirement& q : benders_.requirements()) {
      Cut cut;
      absl::StatusOr<double> reach = benders_.Separate(q, x, binary, &cut);
      if (!reach.ok()) return reach.status();
      if (*reach >= q.amount * (1 - 1e-9) - 1e-9) continue;
      if (cut.cells.empty() || CutLhs(cut, x) >= cut.rhs * (1 - 1e-6)) {
        if (binary && cut.cells.empty()) {
          return absl::FailedPreconditionError(
              absl::StrCat("primary cell ", d_.CellName(q.primary), " cannot be protected ",
                           q.dir > 0 ? "upwards" : "downwards", " by ", q.amount,
                           " whatever else is suppressed"));
        }
        continue;
      }
      cuts.push_back(std::move(cut));
      ++*added;
    }
    return absl::OkStatus();
  }

  void Load(OsiClpSolverInterface* solver) const {
    const int n = d_.num_cells();
    CoinPackedMatrix m(false, 0, 0);
    m.setDimensions(0, n);
    std::vector<double> row_lb, row_ub;
    for (const Cut& cut : cuts) {
      CoinPackedVector v(static_cast<int>(cut.cells.size()), cut.cells.data(), cut.coef.data());
      m.appendRow(v);
      row_lb.push_back(cut.rhs);
      row_ub.push_back(COIN_DBL_MAX);
    }
    solver->loadProblem(m, col_lb.data(), col_ub.data(), obj.data(), row_lb.data(), row_ub.data());
  }

  // Cutting planes on the LP relaxation (at most `max_rounds` rounds and
  // `seconds`): returns its last solution and raises *lower_bound to its
  // value.
  absl::StatusOr<std::vector<double>> Relax(double seconds, int max_rounds, double* lower_bound) {
    const auto t0 = std::chrono::steady_clock::now();
    const int n = d_.num_cells();
    std::vector<double> x(col_lb);
    for (int round = 0; round < std::min(60, max_rounds); ++round) {
      if (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > seconds) {
        break;
      }
      int added = 0;
      if (absl::Status st = SeparateAll(x, /*binary=*/round == 0, &added); !st.ok()) return st;
      if (added == 0) break;
      OsiClpSolverInterface lp;
      Quiet(&lp);
      Load(&lp);
      lp.initialSolve();
      if (!lp.isProvenOptimal()) break;
      const double* sol = lp.getColSolution();
      for (int c = 0; c < n; ++c) x[c] = sol[c];
      *lower_bound = std::max(*lower_bound, lp.getObjValue());
    }
    return x;
  }

  std::vector<Cut> cuts;
  std::vector<double> col_lb, col_ub, obj;

 private:
  const SdcData& d_;
  Benders benders_;
};

}  // namespace

absl::StatusOr<std::vector<double>> RelaxationPoint(const SdcData& d,
                                                    const std::vector<Protection>& protection,
                                                    const std::vector<double>& cost,
                                                    int max_rounds) {
  Master master(d, protection, cost);
  double lb = 0;
  return master.Relax(std::numeric_limits<double>::infinity(), max_rounds, &lb);
}

absl::StatusOr<OptimalResult> RunOptimal(const SdcData& d,
                                         const std::vector<Protection>& protection,
                                         const std::vector<double>& cost,
                                         const std::vector<bool>& start, double time_limit_seconds,
                                         const ProgressFn& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  const int n = d.num_cells();
  // Progress: one unit per round of branch and bound (at most kMaxRounds;
  // the stage ends early, at its total, when the pattern is proven optimal
  // or the time is up).
  constexpr int kMaxRounds = 200;
  ProgressStage stage(progress, "optimal", kMaxRounds);
  GDPRKIT_RETURN_IF_ERROR(stage.Start());
  Master master(d, protection, cost);
  OptimalResult out;
  out.suppressed = start;
  double best_cost = 0;
  for (int c = 0; c < n; ++c) {
    if (start[c] && !protection[c].primary) best_cost += cost[c];
  }
  {
    absl::StatusOr<std::vector<double>> x =
        master.Relax(time_limit_seconds * 0.3, 60, &out.lower_bound);
    if (!x.ok()) return x.status();
  }
  // Branch and bound with the cuts so far; separate its solution; repeat.
  bool optimal = false;
  for (int iter = 0; iter < kMaxRounds; ++iter) {
    const double remaining = time_limit_seconds - elapsed();
    if (remaining <= 0.05) break;
    GDPRKIT_RETURN_IF_ERROR(stage.Set(iter));
    OsiClpSolverInterface solver;
    Quiet(&solver);
    master.Load(&solver);
    for (int c = 0; c < n; ++c) solver.setInteger(c);
    CbcModel model(solver);
    model.messageHandler()->setLogLevel(0);
    absl::ReleasableMutexLock cbc_lock(&g_cbc_driver_mu);
    CbcSolverUsefulData data;
    data.noPrinting_ = true;
    CbcMain0(model, data);
    model.messageHandler()->setLogLevel(0);
    model.solver()->messageHandler()->setLogLevel(0);
    model.solver()->setHintParam(OsiDoReducePrint, true, OsiHintTry);
    // The incumbent satisfies every cut (it is protected); start from it.
    std::vector<double> inc(n);
    for (int c = 0; c < n; ++c) inc[c] = out.suppressed[c] ? 1 : 0;
    model.setBestSolution(inc.data(), n, best_cost, true);
    const std::string secs = absl::StrCat(remaining);
    const char* argv[] = {"gdprkit",  "-log",       "0",      "-slog", "0",
                          "-seconds", secs.c_str(), "-solve", "-quit"};
    CbcMain1(
        9, argv, model, [](CbcModel*, int) { return 0; }, data);
    cbc_lock.Release();
    const bool proven = model.isProvenOptimal();
    out.lower_bound = std::max(out.lower_bound, model.getBestPossibleObjValue());
    const double* sol = model.bestSolution();
    if (sol == nullptr) break;
    std::vector<double> xb(n);
    for (int c = 0; c < n; ++c) xb[c] = sol[c] > 0.5 ? 1 : 0;
    double xcost = 0;
    for (int c = 0; c < n; ++c) xcost += xb[c] * master.obj[c];
    int added = 0;
    if (absl::Status st = master.SeparateAll(xb, /*binary=*/true, &added); !st.ok()) return st;
    if (added == 0) {
      // Protected. Better than the incumbent?
      if (xcost < best_cost - 1e-9) {
        best_cost = xcost;
        for (int c = 0; c < n; ++c) out.suppressed[c] = xb[c] > 0.5;
      }
      if (proven) {
        optimal = true;
        out.lower_bound = std::max(out.lower_bound, best_cost);
      }
      break;  // optimal, or the time ran out inside CBC
    }
    if (proven) out.lower_bound = std::max(out.lower_bound, xcost);
  }
  out.proven_optimal = optimal;
  out.lower_bound = std::min(out.lower_bound, best_cost);
  GDPRKIT_RETURN_IF_ERROR(stage.Finish());
  return out;
}

}  // namespace gdprkit::internal
