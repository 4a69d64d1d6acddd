// Retention: the checks of a policy's retention rule (periods, anchors,
// events, actions), shared by Policy::Validate and RetentionSchedule, and the
// names of rule actions.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sv.h"
#include "common/text.h"
#include "common/vocabulary.h"
#include "gdprkit/retention.h"

namespace gdprkit {

using internal::AV;
using internal::Quote;

namespace {

// The names of rule actions: the doors' spelling, then the policy file's
// (policy.proto's enum), accepted as aliases.
constexpr internal::Named<RetentionAction> kActionNames[] = {
    {RetentionAction::kDeleteAfter, "delete_after"},
    {RetentionAction::kRetainAtLeast, "retain_at_least"},
    {RetentionAction::kRetainThenDelete, "retain_then_delete"},
};
constexpr internal::Named<RetentionAction> kActionAliases[] = {
    {RetentionAction::kDeleteAfter, "DELETE_AFTER"},
    {RetentionAction::kRetainAtLeast, "RETAIN_AT_LEAST"},
    {RetentionAction::kRetainThenDelete, "RETAIN_THEN_DELETE"},
};
// Their titles, in English and as a DPO in Denmark reads them.
constexpr internal::Titled<RetentionAction> kActionTitles[] = {
    {RetentionAction::kDeleteAfter, "Delete after the period", "Slet efter perioden"},
    {RetentionAction::kRetainAtLeast, "Retain for at least the period",
     "Opbevar mindst i perioden"},
    {RetentionAction::kRetainThenDelete, "Retain for the period, then delete",
     "Opbevar i perioden, og slet derefter"},
    {RetentionAction::kUnknown, "Unknown action", "Ukendt handling"},
};

}  // namespace

absl::StatusOr<RetentionAction> ParseRetentionAction(std::string_view name) {
  return internal::ParseNamed<RetentionAction>(kActionNames, name, "retention action",
                                               kActionAliases);
}
std::string_view RetentionActionName(RetentionAction a) {
  return internal::NameOf<RetentionAction>(kActionNames, a);
}
std::vector<std::string_view> RetentionActionNames() {
  return internal::NamesOf<RetentionAction>(kActionNames);
}
std::string_view RetentionActionTitle(RetentionAction a, Language language) {
  const std::string_view title = internal::TitleOf<RetentionAction>(kActionTitles, a, language);
  return title.empty() ? RetentionActionTitle(RetentionAction::kUnknown, language) : title;
}

std::vector<RetentionRuleProblem> CheckRetentionRule(const RetentionRuleRef& rule) {
  std::vector<RetentionRuleProblem> out;
  const std::string who = rule.id.empty() ? std::string("retention rule")
                                          : absl::StrCat("retention rule ", Quote(rule.id));
  auto add = [&](Severity s, std::string_view code, std::string field, std::string message) {
    out.push_back(RetentionRuleProblem{s, std::string(code), std::move(field),
                                       absl::StrCat(who, ": ", message)});
  };
  std::vector<std::string_view> known;
  for (const EventInfo& e : kWellKnownEvents) known.push_back(e.name);

  auto check_event = [&](std::string_view name, const std::string& field) {
    if (name.empty()) {
      add(Severity::kError, "invalid-retention-event", field, "empty event name");
      return;
    }
    if (!IsValidEventName(name)) {
      add(Severity::kError, "invalid-retention-event", field,
          absl::StrCat("event name ", Quote(internal::Excerpt(name)),
                       " is not 1-64 lower-case letters, digits and '_' starting with a letter"));
      return;
    }
    std::size_t best = std::string_view::npos;
    for (std::string_view k : known) {
      if (k == name) return;
      best = std::min(best, EditDistance(name, k));
    }
    if (best <= 2) {  // probably a typo of a well-known event
      add(Severity::kWarning, "unknown-retention-event", field,
          absl::StrCat("event ", Quote(name), " is not a well-known event",
                       internal::DidYouMean(name, absl::MakeConstSpan(known), 1)));
    } else {
      add(Severity::kInfo, "custom-retention-event", field,
          absl::StrCat("event ", Quote(name),
                       " is the policy's own; sweeps need a date column of that name"));
    }
  };
  auto check_period = [&](std::string_view text, const std::string& field) {
    absl::StatusOr<Period> p = ParsePeriod(text);
    if (!p.ok())
      add(Severity::kError, "invalid-retention-period", field, std::string(p.status().message()));
  };

  if (rule.action == RetentionAction::kUnknown) {
    add(Severity::kError, "unknown-retention-action", "action",
        "unknown action; use DELETE_AFTER, RETAIN_AT_LEAST or RETAIN_THEN_DELETE");
  }
  if (!rule.period.empty()) check_period(rule.period, "period");
  if (!rule.anchor.empty()) {
    check_event(rule.anchor, "anchor");
    if (rule.period.empty()) {
      add(Severity::kError, "retention-anchor-without-period", "anchor",
          absl::StrCat("anchor ", Quote(internal::Excerpt(rule.anchor)),
                       " without a period; write period: \"P0D\" for \"on the day of the "
                       "event\""));
    }
  }
  for (std::size_t j = 0; j < rule.ends_early.size(); ++j) {
    const RetentionEventRef& e = rule.ends_early[j];
    const std::string at = absl::StrCat("ends_early[", j, "]");
    check_event(e.event, at + ".event");
    if (!e.period.empty()) check_period(e.period, at + ".period");
  }
  for (std::size_t j = 0; j < rule.extended_by.size(); ++j) {
    const RetentionEventRef& e = rule.extended_by[j];
    const std::string at = absl::StrCat("extended_by[", j, "]");
    check_event(e.event, at + ".event");
    if (e.period.empty()) {
      add(Severity::kError, "retention-extension-without-period", at + ".period",
          absl::StrCat("extension by ", Quote(internal::Excerpt(e.event)),
                       " needs a period (how long after the event the data are kept)"));
    } else {
      check_period(e.period, at + ".period");
    }
  }
  if (!rule.extended_by.empty() && rule.period.empty()) {
    add(Severity::kError, "retention-anchor-without-period", "extended_by",
        "extensions without a period of the rule itself have nothing to lengthen");
  }
  return out;
}

}  // namespace gdprkit
