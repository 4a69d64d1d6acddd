// Progress reporting for the core's long calls (see gdprkit/common.h for the
// contract): one ProgressStage per stage reports its total at the start,
// throttled steps in between, and done == total at the end, and turns a
// callback's "cancel" into absl::CancelledError naming the stage. Not
// installed.
//
//   internal::ProgressStage stage(options.progress, "sweep", n);
//   GDPRKIT_RETURN_IF_ERROR(stage.Start());
//   for (i...) { ...; GDPRKIT_RETURN_IF_ERROR(stage.Advance(1)); }
//   GDPRKIT_RETURN_IF_ERROR(stage.Finish());
//
// Not thread-safe: call it from the calling thread only (workers count into
// an atomic that the calling thread reports, or report when joined).
#ifndef GDPRKIT_SRC_COMMON_PROGRESS_H_
#define GDPRKIT_SRC_COMMON_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "gdprkit/common.h"

namespace gdprkit::internal {

class ProgressStage {
 public:
  // `fn` may be empty (or null): then every call is a cheap no-op. `stage`
  // must be a static string. A negative total is taken as 0.
  ProgressStage(const ProgressFn* fn, std::string_view stage, std::int64_t total);
  ProgressStage(const ProgressFn& fn, std::string_view stage, std::int64_t total)
      : ProgressStage(&fn, stage, total) {}

  // Reports done == 0 of the total.
  absl::Status Start();
  // Adds `n` to done (kept <= total) and reports when 1% of the total or
  // 100 ms have passed since the last report.
  absl::Status Advance(std::int64_t n = 1);
  // Sets done (kept <= total) and reports as Advance.
  absl::Status Set(std::int64_t done);
  // Reports done == total unless a step already did (so a stage reports its
  // total once; an empty stage reports 0 of 0 at its start and its end);
  // later calls are no-ops.
  absl::Status Finish();

  bool active() const { return fn_ != nullptr; }
  std::int64_t done() const { return done_; }
  std::int64_t total() const { return total_; }

 private:
  absl::Status Report();

  const ProgressFn* fn_;
  std::string_view stage_;
  std::int64_t total_;
  std::int64_t done_ = 0;
  std::int64_t reported_ = -1;
  std::int64_t step_;  // report at least every step_ units
  std::uint32_t calls_ = 0;
  std::chrono::steady_clock::time_point last_{};
  bool finished_ = false;
};

// The status of a call cancelled by its progress callback during `stage`.
absl::Status CancelledDuring(std::string_view stage);

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_COMMON_PROGRESS_H_
