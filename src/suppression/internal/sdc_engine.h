// Internal interfaces between the suppression stages: witnesses (explicit
// attacker tables that prove a primary cell's protection), the audit, the
// heuristic and the optimal method.
#ifndef GDPRKIT_SRC_SUPPRESSION_INTERNAL_SDC_ENGINE_H_
#define GDPRKIT_SRC_SUPPRESSION_INTERNAL_SDC_ENGINE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/progress.h"
#include "gdprkit/suppression.h"
#include "suppression/internal/sdc_model.h"

namespace gdprkit::internal {

// A feasible attacker table y = v + delta that differs from the true table
// only in suppressed cells, satisfies every relation and the a-priori bounds,
// and moves the primary cell by delta[primary] (> 0 for the upper level, < 0
// for the lower). It proves that the attacker's interval for the primary
// reaches v + delta[primary]: no LP optimality is needed to trust it.
struct Witness {
  int primary = -1;
  int direction = 0;  // +1 upper, -1 lower
  std::vector<int> cells;
  std::vector<double> delta;
};

// The effective requirement of a primary: distances the attacker interval
// must reach upwards and downwards (the sliding level folded in).
struct Need {
  double up = 0;
  double down = 0;
};
Need NeedOf(const Protection& p);

// Checks a witness against the table, the pattern and the bounds. Returns the
// primary's reached distance (delta[primary] * direction) or a negative
// number when the witness is not valid.
double CheckWitness(const SdcData& d, const std::vector<bool>& suppressed, const Witness& w);

// A progress stage whose work comes in `rounds` rounds whose sizes are known
// only as each begins (the heuristic's rounds at effort 2, the local search's
// passes): its total is `rounds` times the first round's size, round r fills
// the r-th share, and done never goes back. One stage per call, reported
// from 0 to its total (Finish also when fewer rounds ran).
class RoundStage {
 public:
  RoundStage(const ProgressFn& fn, std::string_view name, int rounds)
      : fn_(&fn), name_(name), rounds_(rounds < 1 ? 1 : rounds) {}
  // Starts the next round, of `size` units (the stage itself on the first).
  absl::Status Begin(std::int64_t size);
  // `done` units of the current round are done.
  absl::Status Step(std::int64_t done);
  // The current round is done; so is the stage after its last round.
  absl::Status EndRound();
  // The stage's end: done == total (also when fewer rounds ran).
  absl::Status Finish();

 private:
  absl::Status SetAtLeast(std::int64_t done);

  const ProgressFn* fn_;
  std::string_view name_;
  int rounds_;
  int round_ = -1;
  std::int64_t share_ = 0;
  std::int64_t size_ = 0;
  std::int64_t done_ = 0;
  std::optional<ProgressStage> stage_;
};

// The stages of the heuristic, owned by its caller so that each is reported
// once per call whatever the number of rounds.
struct HeuristicStages {
  HeuristicStages(const ProgressFn& fn, int rounds)
      : secondary(fn, "secondary", rounds),
        cleanup(fn, "cleanup", rounds),
        improve(fn, "improve", rounds) {}
  RoundStage secondary;
  RoundStage cleanup;
  RoundStage improve;
};

// The levels of cell c's protection are finite, >= 0 and at most 1e15;
// InvalidArgument naming the cell otherwise.
absl::Status CheckLevels(const SdcData& d, int c, const Protection& p);

absl::StatusOr<AuditReport> RunAudit(const SdcData& d, const std::vector<Protection>& protection,
                                     const std::vector<bool>& suppressed,
                                     const AuditOptions& options, const std::vector<Witness>* hints,
                                     const ProgressFn& progress);

struct HeuristicResult {
  std::vector<bool> suppressed;
  std::vector<Witness> witnesses;
};

absl::StatusOr<HeuristicResult> RunHeuristic(const SdcData& d,
                                             const std::vector<Protection>& protection,
                                             const std::vector<double>& cost, int effort,
                                             const ProgressFn& progress);

struct OptimalResult {
  std::vector<bool> suppressed;
  bool proven_optimal = false;
  double lower_bound = 0;
};

// The LP relaxation of the optimal model after at most `max_rounds`
// cutting-plane rounds: a fractional suppression per cell, used to guide the
// heuristic. A round budget, not a time budget, so that the guidance (and so
// the pattern) does not depend on the machine or its load.
absl::StatusOr<std::vector<double>> RelaxationPoint(const SdcData& d,
                                                    const std::vector<Protection>& protection,
                                                    const std::vector<double>& cost,
                                                    int max_rounds);

absl::StatusOr<OptimalResult> RunOptimal(const SdcData& d,
                                         const std::vector<Protection>& protection,
                                         const std::vector<double>& cost,
                                         const std::vector<bool>& start, double time_limit_seconds,
                                         const ProgressFn& progress);

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_SUPPRESSION_INTERNAL_SDC_ENGINE_H_
