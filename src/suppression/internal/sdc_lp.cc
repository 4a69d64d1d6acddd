#include "suppression/internal/sdc_lp.h"

#include <cmath>
#include <vector>

#include "ClpSimplex.hpp"
#include "CoinFinite.hpp"
#include "CoinMessageHandler.hpp"
#include "CoinPackedMatrix.hpp"

namespace gdprkit::internal {
namespace {
double Coin(double v) {
  if (std::isinf(v)) return v > 0 ? COIN_DBL_MAX : -COIN_DBL_MAX;
  return v;
}
}  // namespace

Lp::Lp() : clp_(std::make_unique<ClpSimplex>()) {
  clp_->setLogLevel(0);
  clp_->messageHandler()->setLogLevel(0);
}
Lp::~Lp() = default;

void Lp::Load(int ncols, const std::vector<double>& col_lb, const std::vector<double>& col_ub,
              const std::vector<double>& obj, const std::vector<int>& row_start,
              const std::vector<int>& row_col, const std::vector<double>& row_val,
              const std::vector<double>& rhs) {
  const int nrows = static_cast<int>(rhs.size());
  std::vector<int> rows;
  rows.reserve(row_col.size());
  for (int r = 0; r < nrows; ++r) {
    for (int k = row_start[r]; k < row_start[r + 1]; ++k) rows.push_back(r);
  }
  CoinPackedMatrix m(true, rows.data(), row_col.data(), row_val.data(),
                     static_cast<CoinBigIndex>(row_col.size()));
  m.setDimensions(nrows, ncols);
  std::vector<double> lb(ncols), ub(ncols);
  for (int j = 0; j < ncols; ++j) {
    lb[j] = Coin(col_lb[j]);
    ub[j] = Coin(col_ub[j]);
  }
  std::vector<double> rhs_c(rhs.begin(), rhs.end());
  clp_->loadProblem(m, lb.data(), ub.data(), obj.data(), rhs_c.data(), rhs_c.data());
  clp_->setOptimizationDirection(1);
  solved_once_ = false;
}

void Lp::SetObjective(int col, double coef) { clp_->setObjectiveCoefficient(col, coef); }
void Lp::SetBounds(int col, double lb, double ub) {
  clp_->setColumnBounds(col, Coin(lb), Coin(ub));
}

LpStatus Lp::Solve() {
  auto status = [&]() {
    switch (clp_->status()) {
      case 0:
        return LpStatus::kOptimal;
      case 1:
        return LpStatus::kInfeasible;
      case 2:
        return LpStatus::kUnbounded;
      default:
        return LpStatus::kFailed;
    }
  };
  if (!solved_once_) {
    clp_->dual();
    solved_once_ = true;
  } else {
    clp_->primal();
  }
  LpStatus s = status();
  if (s == LpStatus::kFailed || s == LpStatus::kInfeasible) {
    // Retry from scratch: a warm start can stall on a degenerate basis.
    clp_->allSlackBasis(true);
    clp_->dual();
    s = status();
    if (s == LpStatus::kFailed) {
      clp_->allSlackBasis(true);
      clp_->primal();
      s = status();
    }
  }
  return s;
}

double Lp::objective() const { return clp_->objectiveValue(); }
const double* Lp::solution() const { return clp_->primalColumnSolution(); }
const double* Lp::row_duals() const { return clp_->dualRowSolution(); }
const double* Lp::reduced_costs() const { return clp_->dualColumnSolution(); }
int Lp::num_cols() const { return clp_->numberColumns(); }
int Lp::num_rows() const { return clp_->numberRows(); }

}  // namespace gdprkit::internal
