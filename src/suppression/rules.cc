// Primary suppression rules and protection levels; the cost models.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gdprkit/suppression.h"
#include "internal/sdc_model.h"

namespace gdprkit {
namespace {

using internal::SdcData;

absl::Status CheckRules(const PrimaryRules& r) {
  if (r.threshold < 0) return absl::InvalidArgumentError("threshold must be >= 0");
  auto bad_pct = [](double v) { return !std::isfinite(v) || v < 0; };
  if (bad_pct(r.threshold_range_percent)) {
    return absl::InvalidArgumentError("threshold_range_percent must be a finite number >= 0");
  }
  for (const DominanceRule& d : r.dominance) {
    if (d.n < 1)
      return absl::InvalidArgumentError(absl::StrCat("dominance rule n = ", d.n, " < 1"));
    if (!(d.k > 0 && d.k <= 100)) {
      return absl::InvalidArgumentError(
          absl::StrCat("dominance rule k = ", d.k, " is outside (0, 100]"));
    }
  }
  if (!(r.p_percent >= 0 && r.p_percent < 100)) {
    return absl::InvalidArgumentError(
        absl::StrCat("p_percent = ", r.p_percent, " is outside [0, 100)"));
  }
  if (!(r.q_percent > 0 && r.q_percent <= 100)) {
    return absl::InvalidArgumentError(
        absl::StrCat("q_percent = ", r.q_percent, " is outside (0, 100]"));
  }
  if (r.p_percent > r.q_percent) {
    return absl::InvalidArgumentError("p_percent must not exceed q_percent");
  }
  if (bad_pct(r.zero_upper)) return absl::InvalidArgumentError("zero_upper must be >= 0");
  if (bad_pct(r.manual_percent)) return absl::InvalidArgumentError("manual_percent must be >= 0");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<Protection>> ApplyPrimaryRules(const CellTable& table,
                                                          const PrimaryRules& rules) {
  if (absl::Status st = CheckRules(rules); !st.ok()) return st;
  const SdcData& d = table.data();
  const int n = d.num_cells();
  const bool freq = d.kind == TableKind::kFrequency;
  size_t need_largest = 0;
  if (!freq) {
    for (const DominanceRule& r : rules.dominance)
      need_largest = std::max<size_t>(need_largest, r.n);
    if (rules.p_percent > 0) need_largest = std::max<size_t>(need_largest, 2);
  }
  std::vector<Protection> out(n);
  for (int i = 0; i < n; ++i) {
    Protection& p = out[i];
    if (d.mark[i] == CellMark::kSafe) continue;
    const double v = d.value[i];
    const int64_t contrib = d.contributors[i];
    auto raise = [&](uint32_t reason, double upper, double lower) {
      p.primary = true;
      p.reasons |= reason;
      p.upper = std::max(p.upper, upper);
      p.lower = std::max(p.lower, lower);
    };
    // Threshold rule.
    if (rules.threshold > 0 && v != 0) {
      if (contrib < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("cell ", d.CellName(i),
                         " has no number of contributors, which the threshold rule needs"));
      }
      if (contrib > 0 && contrib < rules.threshold) {
        if (freq) {
          raise(kReasonThreshold, rules.threshold - v, rules.threshold_hides_presence ? v : 0);
        } else {
          const double level = rules.threshold_range_percent / 100.0 * v;
          raise(kReasonThreshold, level, level);
        }
      }
    }
    // Magnitude rules.
    if (!freq && v > 0 && need_largest > 0) {
      const std::vector<double>& top = d.largest[i];
      const size_t known = top.size();
      auto sum_top = [&](size_t k, double* out_sum) -> bool {
        if (known >= k || (contrib >= 0 && known >= static_cast<size_t>(contrib))) {
          double s = 0;
          for (size_t j = 0; j < std::min(k, known); ++j) s += top[j];
          *out_sum = s;
          return true;
        }
        return false;
      };
      for (const DominanceRule& r : rules.dominance) {
        double s = 0;
        if (!sum_top(r.n, &s)) {
          return absl::InvalidArgumentError(absl::StrCat("cell ", d.CellName(i), " lists ", known,
                                                         " largest contributions; the (", r.n, ",",
                                                         r.k, ") dominance rule needs ", r.n));
        }
        if (s > r.k / 100.0 * v * (1 + 1e-12)) {
          const double level = 100.0 / r.k * s - v;
          raise(kReasonDominance, level, level);
        }
      }
      if (rules.p_percent > 0) {
        double s = 0;
        if (!sum_top(2, &s)) {
          return absl::InvalidArgumentError(
              absl::StrCat("cell ", d.CellName(i), " lists ", known,
                           " largest contributions; the p% rule needs the two largest"));
        }
        const double x1 = known > 0 ? top[0] : 0;
        const double rest = v - s;  // v - x1 - x2
        if (rules.q_percent / 100.0 * rest < rules.p_percent / 100.0 * x1 * (1 - 1e-12)) {
          const double level = rules.p_percent / rules.q_percent * x1 - rest;
          raise(kReasonPPercent, level, level);
        }
      }
    }
    // Zero cells.
    if (rules.protect_zeros && v == 0) raise(kReasonZero, rules.zero_upper, 0);
    // Manual marks.
    if (d.mark[i] == CellMark::kUnsafe) {
      double up = d.manual_upper[i], lo = d.manual_lower[i];
      const double dflt =
          v == 0 ? rules.zero_upper : std::max(freq ? 1.0 : 0.0, rules.manual_percent / 100.0 * v);
      if (std::isnan(up)) up = dflt;
      if (std::isnan(lo)) lo = v == 0 ? 0 : dflt;
      raise(kReasonManual, up, lo);
    }
    if (!p.primary) continue;
    // Stay within the a-priori bounds; whole counts for frequency tables.
    if (freq) {
      p.upper = std::ceil(p.upper - 1e-9);
      p.lower = std::ceil(p.lower - 1e-9);
    }
    p.lower = std::min(p.lower, v - d.lower_bound[i]);
    p.upper = std::min(p.upper, d.upper_bound[i] - v);
    p.upper = std::max(p.upper, 0.0);
    p.lower = std::max(p.lower, 0.0);
  }
  return out;
}

std::vector<double> CellCosts(const CellTable& table, CostModel model) {
  const SdcData& d = table.data();
  const int n = d.num_cells();
  std::vector<double> cost(n, 1.0);
  double max_value = 0;
  for (double v : d.value) max_value = std::max(max_value, std::fabs(v));
  const double floor_value = std::max(1e-6, 1e-6 * max_value);
  for (int i = 0; i < n; ++i) {
    if (!std::isnan(d.cost[i])) {
      cost[i] = d.cost[i];
      continue;
    }
    switch (model) {
      case CostModel::kCells:
        cost[i] = 1;
        break;
      case CostModel::kValue:
        cost[i] = std::max(std::fabs(d.value[i]), floor_value);
        break;
      case CostModel::kContributors:
        cost[i] = d.contributors[i] >= 0 ? std::max<double>(d.contributors[i], 1e-3)
                                         : std::max(std::fabs(d.value[i]), floor_value);
        break;
    }
  }
  return cost;
}

}  // namespace gdprkit
