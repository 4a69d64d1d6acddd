// Decide (gdprkit/requests.h): what a data subject's request means for each
// purpose, from the policy's rights matrix (Policy::Rights), the purpose's
// bases and the retention rules (one record swept by the retention area, so
// that a minimum such as a patient record's 10 years is computed exactly as
// a sweep computes it), and legal holds.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "common/text.h"
#include "gdprkit/requests.h"

namespace gdprkit {
namespace {

using internal::AV;
using internal::Quote;

// The retention area's verdict for one record of a purpose as of a day.
struct RetentionVerdict {
  bool has_rule = false;  // the purpose names a retention rule
  bool keeps = false;     // one of its rules demands a minimum
  RetentionStatus status = RetentionStatus::kKept;
  RetentionReason reason = RetentionReason::kNoRule;
  DayNumber due = kNoDate;
  std::string rule;     // the deciding rule's id
  std::string anchor;   // the deciding event's name
  std::string problem;  // the record's invalid input, when status is kInvalid
};

// "start" is the record's date, the retention area's "collection".
std::string_view EventOf(std::string_view name) {
  return name == "start" ? kCollectionEvent : name;
}

// Checks the dates of purposes[index] and returns them by event index of the
// schedule (kNoDate where not given).
absl::StatusOr<std::vector<DayNumber>> EventDays(const RetentionSchedule& schedule,
                                                 const SubjectPurpose& p, std::size_t index) {
  std::vector<DayNumber> days(schedule.events().size(), kNoDate);
  for (std::size_t j = 0; j < p.dates.size(); ++j) {
    const std::string field = absl::StrCat("purposes[", index, "].dates[", j, "]");
    const std::string_view name = EventOf(p.dates[j].first);
    if (!IsValidEventName(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          field,
          ": ill-formed date name (1-64 characters: a lower-case letter, then lower-case "
          "letters, digits and '_'; \"start\" for the record's date)"));
    }
    if (p.dates[j].second != kNoDate && !IsValidDay(p.dates[j].second)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " (", Quote(name), "): a day number that is no date in 0001-9999"));
    }
    const std::int32_t e = schedule.EventIndex(name);
    if (e < 0) {
      absl::StatusOr<std::int32_t> found =
          schedule.FindEvent(name);  // the message, with the nearest
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", found.ok() ? "unknown event" : found.status().message()));
    }
    if (days[static_cast<std::size_t>(e)] != kNoDate) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": the date ", Quote(name), " is given twice"));
    }
    days[static_cast<std::size_t>(e)] = p.dates[j].second;
  }
  return days;
}

// Sweeps one record of the purpose as of `on` (no holds: Decide handles
// them itself). The retention area decides; nothing is re-implemented here.
absl::StatusOr<RetentionVerdict> SweepOne(const RetentionSchedule& schedule,
                                          std::string_view purpose,
                                          const std::vector<DayNumber>& days, DayNumber on) {
  RetentionVerdict v;
  GDPRKIT_ASSIGN_OR_RETURN(std::vector<std::int32_t> rules, schedule.Resolve(purpose));
  if (rules.empty()) return v;
  v.has_rule = true;
  for (std::int32_t r : rules) {
    if (schedule.rules()[static_cast<std::size_t>(r)].keeps()) v.keeps = true;
  }
  SweepInput in;
  in.rule_sets.push_back(std::move(rules));
  const std::int32_t selector = 0;
  in.selector = absl::MakeConstSpan(&selector, 1);
  for (std::size_t e = 0; e < days.size(); ++e) {
    in.events.push_back(EventColumn{schedule.events()[e], absl::MakeConstSpan(&days[e], 1)});
  }
  GDPRKIT_ASSIGN_OR_RETURN(SweepResult out,
                           schedule.Sweep(in, on, SweepOptions(ErrorMode::kReport, 1, 1)));
  v.status = out.status[0];
  v.reason = out.reason[0];
  v.due = out.due_date[0];
  if (out.rule[0] >= 0) v.rule = schedule.rules()[static_cast<std::size_t>(out.rule[0])].id;
  if (out.anchor[0] >= 0) v.anchor = schedule.events()[static_cast<std::size_t>(out.anchor[0])];
  if (v.status == RetentionStatus::kInvalid && !out.report.errors.empty()) {
    v.problem = absl::StrCat("field ", Quote(out.report.errors[0].field), ": ",
                             out.report.errors[0].message);
  }
  return v;
}

std::string RuleText(const RetentionVerdict& v) {
  return v.rule.empty() ? std::string("its retention rule")
                        : absl::StrCat("the retention rule ", Quote(v.rule));
}

// Erasure (Art. 17) for one purpose.
void DecideErasure(const RightAssessment& right, const RetentionVerdict& v, bool on_hold,
                   PurposeDecision* d) {
  d->retention_rule = v.rule;
  if (on_hold) {
    d->action = RequestAction::kKeep;
    d->reason =
        "Art. 17(3)(e): a legal hold covers these data (establishment, exercise or defence of "
        "legal claims); erase them when the hold is released";
    if (!right.applies) absl::StrAppend(&d->reason, "; besides, ", right.reason);
    return;
  }
  if (v.status == RetentionStatus::kDue) {
    d->action = RequestAction::kErase;
    d->reason =
        absl::StrCat("Art. 5(1)(e), 17(1)(a): ", RuleText(v), " made the data due for deletion on ",
                     FormatDate(v.due), right.applies ? "; Art. 17(1) applies too" : "");
    return;
  }
  if (!right.applies) {
    d->action = RequestAction::kKeep;
    d->reason = right.reason;
    if (v.status == RetentionStatus::kPending || v.status == RetentionStatus::kKept) {
      d->keep_until = v.due;
      if (v.due != kNoDate) {
        absl::StrAppend(&d->reason, "; kept until ", FormatDate(v.due), " by ", RuleText(v));
      } else if (v.reason == RetentionReason::kAnchorPending) {
        absl::StrAppend(&d->reason, "; ", RuleText(v), " counts from ", Quote(v.anchor),
                        ", which has not happened (or its date was not given)");
      }
    } else if (v.status == RetentionStatus::kMayDelete) {
      absl::StrAppend(&d->reason, "; the minimum of ", RuleText(v), " ended on ", FormatDate(v.due),
                      ": reassess whether the exception still holds");
    } else if (v.status == RetentionStatus::kInvalid) {
      absl::StrAppend(&d->reason, "; the end of retention cannot be computed (", v.problem, ")");
    }
    return;
  }
  // The right applies: a retention minimum still running keeps the data
  // (a legal obligation to keep them, Art. 17(3)(b)).
  if (v.keeps) {
    const bool minimum_running =
        (v.status == RetentionStatus::kPending || v.status == RetentionStatus::kKept) &&
        (v.reason == RetentionReason::kAnchorPending ||
         (v.due != kNoDate &&
          (v.reason == RetentionReason::kPeriod || v.reason == RetentionReason::kExtended)));
    if (minimum_running) {
      d->action = RequestAction::kKeep;
      d->keep_until = v.due;
      d->reason = v.due != kNoDate
                      ? absl::StrCat("Art. 17(3)(b): ", RuleText(v),
                                     " requires keeping the data at least until ",
                                     FormatDate(v.due), "; erase them then")
                      : absl::StrCat("Art. 17(3)(b): ", RuleText(v),
                                     " requires keeping the data for a period that counts from ",
                                     Quote(v.anchor),
                                     ", which has not happened (or its date was not given)");
      return;
    }
    if (v.status == RetentionStatus::kInvalid) {
      d->action = RequestAction::kKeep;
      d->reason = absl::StrCat("Art. 17(3)(b): ", RuleText(v),
                               " demands a minimum retention whose end cannot be computed (",
                               v.problem, "); give the record's dates and decide again");
      return;
    }
  }
  d->action = RequestAction::kErase;
  d->reason = right.reason;
  if (v.status == RetentionStatus::kMayDelete) {
    absl::StrAppend(&d->reason, "; the minimum of ", RuleText(v), " ended on ", FormatDate(v.due));
  }
}

// True when the purpose's processing must keep its history (a legal
// obligation to keep records, or a retention minimum).
bool KeepsHistory(const Policy& policy, const Purpose& p, const RetentionVerdict& v) {
  std::uint32_t e = kEffectNone;
  for (const std::string& code : p.basis) e |= policy.BasisEffects(code);
  return (e & kEffectLegalObligation) != 0 || v.keeps;
}

}  // namespace

absl::StatusOr<Decision> Decide(const Policy& policy, RequestKind kind,
                                absl::Span<const SubjectPurpose> purposes, DayNumber on) {
  if (!IsValidDay(on)) {
    return absl::InvalidArgumentError("on: a day number that is no date in 0001-9999");
  }
  if (static_cast<int>(kind) >= kRequestKindCount) {
    return absl::InvalidArgumentError("kind: not a request kind");
  }
  GDPRKIT_ASSIGN_OR_RETURN(RetentionSchedule schedule, RetentionSchedule::FromPolicy(policy));
  const Right right = RequestKindRight(kind);
  Decision out;
  out.kind = kind;
  out.on = on;
  out.purposes.reserve(purposes.size());
  for (std::size_t i = 0; i < purposes.size(); ++i) {
    const SubjectPurpose& sp = purposes[i];
    absl::StatusOr<const Purpose*> purpose = policy.GetPurpose(sp.purpose);
    if (!purpose.ok()) {
      return absl::Status(purpose.status().code(),
                          absl::StrCat("purposes[", i, "]: ", purpose.status().message()));
    }
    GDPRKIT_ASSIGN_OR_RETURN(std::vector<RightAssessment> rights, policy.Rights(sp.purpose));
    const RightAssessment* assessment = nullptr;
    for (const RightAssessment& r : rights) {
      if (r.right == right) assessment = &r;
    }
    if (assessment == nullptr) return absl::InternalError("the rights matrix lacks a right");
    GDPRKIT_ASSIGN_OR_RETURN(std::vector<DayNumber> days, EventDays(schedule, sp, i));
    GDPRKIT_ASSIGN_OR_RETURN(RetentionVerdict verdict, SweepOne(schedule, sp.purpose, days, on));

    PurposeDecision d;
    d.purpose = sp.purpose;
    d.right = right;
    d.reason = assessment->reason;
    const bool not_controller = (*purpose)->role != ControllerRole::kController;
    if (not_controller) {
      d.action = RequestAction::kNotApplicable;
      out.purposes.push_back(std::move(d));
      continue;
    }
    switch (kind) {
      case RequestKind::kErasure:
        DecideErasure(*assessment, verdict, sp.on_hold, &d);
        break;
      case RequestKind::kAccess:
        d.action = assessment->applies ? RequestAction::kProvide : RequestAction::kNotApplicable;
        break;
      case RequestKind::kPortability:
        d.action = assessment->applies ? RequestAction::kExport : RequestAction::kNotApplicable;
        if (assessment->applies) {
          absl::StrAppend(&d.reason,
                          ": the data the subject provided, in a structured, commonly used and "
                          "machine-readable format (Art. 20(1))");
        }
        break;
      case RequestKind::kRectification:
        d.action = assessment->applies ? RequestAction::kRectify : RequestAction::kNotApplicable;
        if (assessment->applies && KeepsHistory(policy, **purpose, verdict)) {
          absl::StrAppend(&d.reason, "; the purpose keeps records by law or for a minimum period (",
                          verdict.rule.empty() ? std::string("its bases") : RuleText(verdict),
                          "): correct by a dated addition that keeps the earlier text "
                          "(for a patient record, the record-keeping order), never by overwriting");
        }
        break;
      case RequestKind::kRestriction:
        d.action = assessment->applies ? RequestAction::kRestrict : RequestAction::kNotApplicable;
        if (assessment->applies) {
          absl::StrAppend(&d.reason,
                          ": mark the data; store them only, and process them otherwise only as "
                          "Art. 18(2) allows");
        }
        break;
      case RequestKind::kObjection:
        d.action = assessment->applies ? RequestAction::kStop : RequestAction::kNotApplicable;
        if (assessment->applies && !(*purpose)->direct_marketing) {
          absl::StrAppend(&d.reason,
                          "; stop unless the controller demonstrates compelling legitimate "
                          "grounds that override the data subject's interests, or the data serve "
                          "legal claims (Art. 21(1))");
        }
        break;
      case RequestKind::kWithdrawal:
        d.action = assessment->applies ? RequestAction::kStop : RequestAction::kNotApplicable;
        if (assessment->applies) {
          absl::StrAppend(&d.reason,
                          "; processing that rested on it stops, and the data become due for "
                          "erasure unless another basis remains (Art. 17(1)(b))");
        }
        break;
    }
    out.purposes.push_back(std::move(d));
  }
  return out;
}

}  // namespace gdprkit
