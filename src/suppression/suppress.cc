// Suppress(): primary rules, secondary suppression, and the audit that every
// published result must pass.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/progress.h"
#include "common/status_macros.h"
#include "gdprkit/suppression.h"
#include "suppression/internal/sdc_engine.h"
#include "suppression/internal/sdc_model.h"

namespace gdprkit {

namespace {

// Protection levels a pattern can meet: finite, only on primary cells, never
// on a cell marked safe, within the cell's a-priori bounds.
absl::Status CheckProtection(const internal::SdcData& d,
                             const std::vector<Protection>& protection) {
  const int n = d.num_cells();
  for (int c = 0; c < n; ++c) {
    const Protection& p = protection[c];
    GDPRKIT_RETURN_IF_ERROR(internal::CheckLevels(d, c, p));
    if (!p.primary && (p.upper > 0 || p.lower > 0 || p.sliding > 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("cell ", d.CellName(c), " has protection levels but is not primary"));
    }
    if (p.primary && d.mark[c] == CellMark::kSafe) {
      return absl::InvalidArgumentError(
          absl::StrCat("cell ", d.CellName(c), " is primary but marked safe (must be published)"));
    }
    if (p.primary) {
      if (d.value[c] - p.lower < d.lower_bound[c] - 1e-9 * (1 + std::fabs(d.value[c]))) {
        return absl::InvalidArgumentError(
            absl::StrCat("cell ", d.CellName(c), ": its lower protection ", p.lower,
                         " asks for less than its a-priori lower bound ", d.lower_bound[c]));
      }
      if (d.value[c] + p.upper > d.upper_bound[c] + 1e-9 * (1 + std::fabs(d.value[c]))) {
        return absl::InvalidArgumentError(
            absl::StrCat("cell ", d.CellName(c), ": its upper protection ", p.upper,
                         " asks for more than its a-priori upper bound ", d.upper_bound[c]));
      }
    }
  }
  return absl::OkStatus();
}

// The primary rules as the stage "primary" of `progress`.
absl::StatusOr<std::vector<Protection>> PrimaryStage(const CellTable& table,
                                                     const PrimaryRules& rules,
                                                     const ProgressFn& progress) {
  internal::ProgressStage stage(progress, "primary", table.num_cells());
  GDPRKIT_RETURN_IF_ERROR(stage.Start());
  GDPRKIT_ASSIGN_OR_RETURN(std::vector<Protection> protection, ApplyPrimaryRules(table, rules));
  GDPRKIT_RETURN_IF_ERROR(stage.Finish());
  return protection;
}

}  // namespace

absl::StatusOr<SuppressionResult> Suppress(const CellTable& table, const PrimaryRules& rules,
                                           const SuppressOptions& options) {
  GDPRKIT_ASSIGN_OR_RETURN(std::vector<Protection> protection,
                           PrimaryStage(table, rules, options.progress));
  return SuppressWithProtection(table, std::move(protection), options);
}

absl::StatusOr<SuppressionResult> AuditPattern(const CellTable& table, const PrimaryRules& rules,
                                               const std::vector<bool>& suppressed,
                                               const SuppressOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  GDPRKIT_ASSIGN_OR_RETURN(std::vector<Protection> protection,
                           PrimaryStage(table, rules, options.progress));
  AuditOptions audit_options = options.audit;
  if (options.progress) audit_options.progress = options.progress;
  GDPRKIT_ASSIGN_OR_RETURN(AuditReport audit, Audit(table, protection, suppressed, audit_options));
  SuppressionResult r;
  const int n = table.num_cells();
  r.cost = CellCosts(table, options.cost);
  r.status.assign(n, CellStatus::kPublished);
  for (int c = 0; c < n; ++c) {
    if (!suppressed[c]) continue;
    if (protection[c].primary) {
      r.status[c] = CellStatus::kPrimary;
      ++r.num_primary;
    } else {
      r.status[c] = CellStatus::kSecondary;
      ++r.num_secondary;
      r.total_cost += r.cost[c];
    }
  }
  r.protection = std::move(protection);
  r.audit = std::move(audit);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

absl::StatusOr<SuppressionResult> SuppressWithProtection(const CellTable& table,
                                                         std::vector<Protection> protection,
                                                         const SuppressOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const internal::SdcData& d = table.data();
  const int n = d.num_cells();
  if (static_cast<int>(protection.size()) != n) {
    return absl::InvalidArgumentError(absl::StrCat("one protection per cell is needed (", n,
                                                   " cells, ", protection.size(), " given)"));
  }
  if (options.effort < 0 || options.effort > 2) {
    return absl::InvalidArgumentError("effort must be 0, 1 or 2");
  }
  if (!(options.time_limit_seconds > 0)) {
    return absl::InvalidArgumentError("time_limit_seconds must be positive");
  }
  GDPRKIT_RETURN_IF_ERROR(CheckProtection(d, protection));
  const std::vector<double> cost = CellCosts(table, options.cost);
  // The solvers see the costs scaled to at most 1e6 (only their ratios
  // matter): CLP aborts on objective coefficients of 1e25 and more, and large
  // coefficients hurt its tolerances long before that.
  double max_cost = 0;
  for (double x : cost) max_cost = std::max(max_cost, x);
  const double cost_scale = max_cost > 1e6 ? 1e6 / max_cost : 1.0;
  std::vector<double> solver_cost = cost;
  if (cost_scale != 1.0) {
    for (double& x : solver_cost) x *= cost_scale;
  }
  SecondaryMethod method = options.method;
  if (method == SecondaryMethod::kAuto) {
    method =
        n <= options.optimal_max_cells ? SecondaryMethod::kOptimal : SecondaryMethod::kHeuristic;
  }
  absl::StatusOr<internal::HeuristicResult> heur =
      internal::RunHeuristic(d, protection, solver_cost, options.effort, options.progress);
  if (!heur.ok()) return heur.status();

  SuppressionResult result;
  std::vector<bool> suppressed = heur->suppressed;
  const std::vector<internal::Witness>* hints = &heur->witnesses;
  if (method == SecondaryMethod::kOptimal) {
    const double spent =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    absl::StatusOr<internal::OptimalResult> opt =
        internal::RunOptimal(d, protection, solver_cost, suppressed,
                             std::max(0.1, options.time_limit_seconds - spent), options.progress);
    if (!opt.ok()) return opt.status();
    if (opt->suppressed != suppressed) hints = nullptr;  // witnesses belong to the heuristic
    suppressed = opt->suppressed;
    result.proven_optimal = opt->proven_optimal;
    result.lower_bound = opt->lower_bound / cost_scale;
  }
  absl::StatusOr<AuditReport> audit =
      internal::RunAudit(d, protection, suppressed, options.audit, hints, options.progress);
  if (!audit.ok()) return audit.status();
  if (!audit->passed) {
    for (const PrimaryVerdict& v : audit->primaries) {
      if (v.safe) continue;
      return absl::InternalError(absl::StrCat(
          "secondary suppression produced a pattern that fails its audit (a bug): cell ",
          d.CellName(v.cell), " ", v.reason, "; interval [", v.lower, ", ", v.upper, "], needed [",
          v.need_lower, ", ", v.need_upper, "]"));
    }
  }
  result.status.assign(n, CellStatus::kPublished);
  for (int c = 0; c < n; ++c) {
    if (protection[c].primary) {
      result.status[c] = CellStatus::kPrimary;
      ++result.num_primary;
    } else if (suppressed[c]) {
      result.status[c] = CellStatus::kSecondary;
      ++result.num_secondary;
      result.total_cost += cost[c];
    }
  }
  result.protection = std::move(protection);
  result.cost = cost;
  result.method = method;
  result.audit = *std::move(audit);
  if (method == SecondaryMethod::kHeuristic) result.lower_bound = 0;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace gdprkit
