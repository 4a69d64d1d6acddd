// A thin wrapper over COIN-OR CLP for the small LPs of the suppression code:
// equality rows, bounded columns, repeated re-optimisation with warm starts.
#ifndef GDPRKIT_SRC_SUPPRESSION_INTERNAL_SDC_LP_H_
#define GDPRKIT_SRC_SUPPRESSION_INTERNAL_SDC_LP_H_

#include <memory>
#include <vector>

class ClpSimplex;

namespace gdprkit::internal {

enum class LpStatus { kOptimal = 0, kInfeasible = 1, kUnbounded = 2, kFailed = 3 };

class Lp {
 public:
  Lp();
  ~Lp();
  Lp(const Lp&) = delete;
  Lp& operator=(const Lp&) = delete;

  // Loads min obj.x subject to rows (CSR: row_start has nrows + 1 entries)
  // equal to rhs, col_lb <= x <= col_ub. Infinite bounds may be +-inf.
  void Load(int ncols, const std::vector<double>& col_lb, const std::vector<double>& col_ub,
            const std::vector<double>& obj, const std::vector<int>& row_start,
            const std::vector<int>& row_col, const std::vector<double>& row_val,
            const std::vector<double>& rhs);

  void SetObjective(int col, double coef);
  void SetBounds(int col, double lb, double ub);
  // Solves from the current basis (the first call starts from scratch).
  LpStatus Solve();
  double objective() const;
  const double* solution() const;
  const double* row_duals() const;
  const double* reduced_costs() const;
  int num_cols() const;
  int num_rows() const;

 private:
  std::unique_ptr<ClpSimplex> clp_;
  bool solved_once_ = false;
};

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_SUPPRESSION_INTERNAL_SDC_LP_H_
