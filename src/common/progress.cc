#include "common/progress.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"

namespace gdprkit::internal {

namespace {
constexpr auto kInterval = std::chrono::milliseconds(100);
}  // namespace

ProgressStage::ProgressStage(const ProgressFn* fn, std::string_view stage, std::int64_t total)
    : fn_(fn != nullptr && *fn ? fn : nullptr),
      stage_(stage),
      total_(std::max<std::int64_t>(total, 0)),
      step_(std::max<std::int64_t>(total_ / 100, 1)) {}

absl::Status CancelledDuring(std::string_view stage) {
  return absl::CancelledError(absl::StrCat("cancelled by the progress callback during the ",
                                           absl::string_view(stage.data(), stage.size()),
                                           " stage"));
}

absl::Status ProgressStage::Report() {
  reported_ = done_;
  last_ = std::chrono::steady_clock::now();
  if (!(*fn_)(Progress{stage_, done_, total_})) return CancelledDuring(stage_);
  return absl::OkStatus();
}

absl::Status ProgressStage::Start() {
  if (fn_ == nullptr) return absl::OkStatus();
  done_ = 0;
  return Report();
}

absl::Status ProgressStage::Set(std::int64_t done) {
  if (fn_ == nullptr || finished_) return absl::OkStatus();
  done_ = std::clamp<std::int64_t>(done, 0, total_);
  if (done_ - reported_ >= step_) return Report();
  // The clock is read every 64th call only: a row costs nanoseconds.
  if ((++calls_ & 63) == 0 && std::chrono::steady_clock::now() - last_ >= kInterval) {
    return Report();
  }
  return absl::OkStatus();
}

absl::Status ProgressStage::Advance(std::int64_t n) {
  if (fn_ == nullptr) return absl::OkStatus();
  return Set(done_ + n);
}

absl::Status ProgressStage::Finish() {
  if (fn_ == nullptr || finished_) return absl::OkStatus();
  finished_ = true;
  done_ = total_;
  // Not again when a step already reported the total (an empty stage still
  // reports its start and its end).
  if (total_ > 0 && reported_ == total_) return absl::OkStatus();
  return Report();
}

}  // namespace gdprkit::internal
