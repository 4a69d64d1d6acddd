// Retention: the names of sweep statuses, reasons and invalid-records modes,
// the one place each is written (the doors print and parse these). The
// names of rule actions sit with the rule checks (rules.cc), which the policy
// area uses too.
//
// Each table is {value, name}; a title or translation column can be added
// beside the name without touching the doors.
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/vocabulary.h"
#include "gdprkit/retention.h"

namespace gdprkit {
namespace {

using internal::Named;

constexpr Named<RetentionStatus> kStatusNames[] = {
    {RetentionStatus::kDue, "due"},
    {RetentionStatus::kPending, "pending"},
    {RetentionStatus::kKept, "kept"},
    {RetentionStatus::kHeld, "held"},
    {RetentionStatus::kMayDelete, "may-delete"},
    {RetentionStatus::kInvalid, "invalid"},
};

constexpr Named<RetentionReason> kReasonNames[] = {
    {RetentionReason::kPeriod, "period"},
    {RetentionReason::kEndedEarly, "ended-early"},
    {RetentionReason::kExtended, "extended"},
    {RetentionReason::kAnchorPending, "anchor-pending"},
    {RetentionReason::kNoPeriod, "no-period"},
    {RetentionReason::kNoRule, "no-rule"},
    {RetentionReason::kHold, "hold"},
    {RetentionReason::kHoldReleased, "hold-released"},
    {RetentionReason::kInvalidInput, "invalid-input"},
};

constexpr Named<InvalidRecords> kInvalidRecordsNames[] = {
    {InvalidRecords::kFail, "raise"},
    {InvalidRecords::kReport, "report"},
};
constexpr Named<InvalidRecords> kInvalidRecordsAliases[] = {{InvalidRecords::kFail, "fail"}};

}  // namespace

absl::StatusOr<RetentionStatus> ParseRetentionStatus(std::string_view name) {
  return internal::ParseNamed<RetentionStatus>(kStatusNames, name, "retention status");
}
std::string_view RetentionStatusName(RetentionStatus s) {
  // A number beyond the enum (cast at a door) is no answer: "invalid", as
  // since 0.2.
  if (s > RetentionStatus::kInvalid) s = RetentionStatus::kInvalid;
  return internal::NameOf<RetentionStatus>(kStatusNames, s);
}
std::vector<std::string_view> RetentionStatusNames() {
  return internal::NamesOf<RetentionStatus>(kStatusNames);
}

absl::StatusOr<RetentionReason> ParseRetentionReason(std::string_view name) {
  return internal::ParseNamed<RetentionReason>(kReasonNames, name, "retention reason");
}
std::string_view RetentionReasonName(RetentionReason r) {
  if (r > RetentionReason::kInvalidInput) r = RetentionReason::kInvalidInput;  // as since 0.2
  return internal::NameOf<RetentionReason>(kReasonNames, r);
}
std::vector<std::string_view> RetentionReasonNames() {
  return internal::NamesOf<RetentionReason>(kReasonNames);
}

GDPRKIT_DEFINE_NAMES_WITH_ALIASES(InvalidRecords, InvalidRecords, kInvalidRecordsNames,
                                  kInvalidRecordsAliases, "invalid-records mode")

}  // namespace gdprkit
