// Retention: the names and titles of sweep statuses, reasons and the
// problems of invalid records, the one place each is written (the doors
// print and parse the names and show the titles). The names and titles of
// rule actions sit with the rule checks (rules.cc), which the policy area
// uses too. What a sweep does with invalid records is the common ErrorMode
// (gdprkit/common.h).
//
// Each name table is {value, name}; each title table {value, English,
// Danish}, as a DPO in Denmark reads it.
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/vocabulary.h"
#include "gdprkit/retention.h"

namespace gdprkit {
namespace {

using internal::Named;
using internal::Titled;

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

constexpr Named<RecordProblem> kProblemNames[] = {
    {RecordProblem::kDateOutOfRange, "date-out-of-range"},
    {RecordProblem::kBeforeCollection, "before-collection"},
    {RecordProblem::kNoCollection, "no-collection"},
    {RecordProblem::kHoldWithoutStart, "hold-without-start"},
    {RecordProblem::kHoldReleasedEarly, "hold-released-early"},
    {RecordProblem::kSelectorOutOfRange, "selector-out-of-range"},
};

constexpr Titled<RetentionStatus> kStatusTitles[] = {
    {RetentionStatus::kDue, "Due for deletion", "Skal slettes"},
    {RetentionStatus::kPending, "To be deleted later", "Skal slettes senere"},
    {RetentionStatus::kKept, "Kept", "Opbevares"},
    {RetentionStatus::kHeld, "Held: deletion suspended", "Tilbageholdt: sletning udsat"},
    {RetentionStatus::kMayDelete, "May be deleted", "Må slettes"},
    {RetentionStatus::kInvalid, "Invalid input", "Ugyldige oplysninger"},
};

constexpr Titled<RetentionReason> kReasonTitles[] = {
    {RetentionReason::kPeriod, "The rule's period from its anchor",
     "Reglens periode regnet fra starthændelsen"},
    {RetentionReason::kEndedEarly, "Ended early by an event", "Afsluttet før tid af en hændelse"},
    {RetentionReason::kExtended, "Extended by an event", "Forlænget af en hændelse"},
    {RetentionReason::kAnchorPending, "Waiting for the event the period counts from",
     "Afventer hændelsen, perioden regnes fra"},
    {RetentionReason::kNoPeriod, "The rule states no period", "Reglen angiver ingen periode"},
    {RetentionReason::kNoRule, "No retention rule", "Ingen opbevaringsregel"},
    {RetentionReason::kHold, "A hold is in force", "En tilbageholdelse er i kraft"},
    {RetentionReason::kHoldReleased, "Due when a hold is released",
     "Forfalder, når en tilbageholdelse ophæves"},
    {RetentionReason::kInvalidInput, "The record's input is invalid",
     "Postens oplysninger er ugyldige"},
};

constexpr Titled<RecordProblem> kProblemTitles[] = {
    {RecordProblem::kDateOutOfRange, "A date outside the years 0001-9999",
     "En dato uden for årene 0001-9999"},
    {RecordProblem::kBeforeCollection, "An event dated before collection",
     "En hændelse dateret før indsamlingen"},
    {RecordProblem::kNoCollection, "No collection date, which a rule counts from",
     "Ingen indsamlingsdato, som en regel regner fra"},
    {RecordProblem::kHoldWithoutStart, "A hold without a start date",
     "En tilbageholdelse uden startdato"},
    {RecordProblem::kHoldReleasedEarly, "A hold released before it began",
     "En tilbageholdelse ophævet, før den begyndte"},
    {RecordProblem::kSelectorOutOfRange, "A selector that names no rule",
     "En vælger, der ikke angiver nogen regel"},
};

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

GDPRKIT_DEFINE_NAMES(RecordProblem, RecordProblem, kProblemNames, "record problem")

std::string_view RetentionStatusTitle(RetentionStatus s, Language language) {
  if (s > RetentionStatus::kInvalid) s = RetentionStatus::kInvalid;  // as the name
  return internal::TitleOf<RetentionStatus>(kStatusTitles, s, language);
}
std::string_view RetentionReasonTitle(RetentionReason r, Language language) {
  if (r > RetentionReason::kInvalidInput) r = RetentionReason::kInvalidInput;  // as the name
  return internal::TitleOf<RetentionReason>(kReasonTitles, r, language);
}
std::string_view RecordProblemTitle(RecordProblem p, Language language) {
  return internal::TitleOf<RecordProblem>(kProblemTitles, p, language);
}

}  // namespace gdprkit
