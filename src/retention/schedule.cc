// Retention: compiling a policy's rules into a RetentionSchedule, and
// resolving rule and purpose ids.
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
#include "gdprkit/retention.h"

namespace gdprkit {

using internal::AV;
using internal::DidYouMean;
using internal::Quote;
using internal::QuoteUntrusted;

std::string RecordError::ToString() const {
  const std::string who = record_id.empty()
                              ? absl::StrCat("record at row ", row)
                              : absl::StrCat("record ", Quote(record_id), " (row ", row, ")");
  return absl::StrCat(who, ", field ", Quote(field), ": ", message);
}

// ---------------------------------------------------------------------------
// Compilation
// ---------------------------------------------------------------------------

std::int32_t RetentionSchedule::InternEvent(std::string_view name) {
  for (std::size_t i = 0; i < events_.size(); ++i) {
    if (events_[i] == name) return static_cast<std::int32_t>(i);
  }
  events_.emplace_back(name);
  return static_cast<std::int32_t>(events_.size() - 1);
}

std::int32_t RetentionSchedule::RuleIndex(std::string_view id) const {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].id == id) return static_cast<std::int32_t>(i);
  }
  return -1;
}

std::int32_t RetentionSchedule::EventIndex(std::string_view name) const {
  for (std::size_t i = 0; i < events_.size(); ++i) {
    if (events_[i] == name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

absl::StatusOr<std::int32_t> RetentionSchedule::FindEvent(std::string_view name) const {
  const std::int32_t e = EventIndex(name);
  if (e >= 0) return e;
  const std::vector<std::string_view> names(events_.begin(), events_.end());
  return absl::InvalidArgumentError(absl::StrCat("unknown event name ", QuoteUntrusted(name),
                                                 ": no rule of the schedule refers to it",
                                                 DidYouMean(name, names)));
}

absl::StatusOr<RetentionSchedule> RetentionSchedule::Compile(
    absl::Span<const RetentionRuleRef> rules, std::string_view source) {
  std::vector<std::string> errors;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const RetentionRuleRef& r = rules[i];
    const std::string at = absl::StrCat("retention_rules[", i, "]");
    if (r.id.empty()) errors.push_back(absl::StrCat(at, ": retention rule #", i + 1, " has no id"));
    for (std::size_t j = 0; j < i; ++j) {
      if (!r.id.empty() && rules[j].id == r.id) {
        errors.push_back(absl::StrCat(at, ": duplicate retention rule id ", Quote(r.id)));
        break;
      }
    }
    for (const RetentionRuleProblem& p : CheckRetentionRule(r)) {
      if (p.severity == Severity::kError) {
        errors.push_back(absl::StrCat(at, ".", p.field, ": ", p.message));
      }
    }
  }
  if (!errors.empty()) {
    const std::size_t shown = std::min<std::size_t>(errors.size(), 10);
    std::string more = errors.size() > shown
                           ? absl::StrCat(" (and ", errors.size() - shown, " more)")
                           : std::string();
    return absl::InvalidArgumentError(
        absl::StrCat("cannot compile the retention rules of ", AV(source), ": ",
                     absl::StrJoin(errors.begin(), errors.begin() + shown, "; "), more));
  }

  RetentionSchedule s;
  s.events_.emplace_back(kCollectionEvent);
  for (const RetentionRuleRef& r : rules) {
    CompiledRetentionRule c;
    c.id = r.id;
    c.action = r.action;
    c.has_period = !r.period.empty();
    if (c.has_period) c.period = *ParsePeriod(r.period);
    c.anchor = s.InternEvent(r.anchor.empty() ? kCollectionEvent : std::string_view(r.anchor));
    for (const RetentionEventRef& e : r.ends_early) {
      Period p;
      if (!e.period.empty()) p = *ParsePeriod(e.period);
      c.ends_early.push_back(CompiledRetentionEvent{s.InternEvent(e.event), p});
    }
    for (const RetentionEventRef& e : r.extended_by) {
      c.extended_by.push_back(
          CompiledRetentionEvent{s.InternEvent(e.event), *ParsePeriod(e.period)});
    }
    s.rules_.push_back(std::move(c));
  }
  return s;
}

absl::StatusOr<RetentionSchedule> RetentionSchedule::FromRules(
    absl::Span<const RetentionRuleRef> rules) {
  return Compile(rules, "<rules>");
}

absl::StatusOr<RetentionSchedule> RetentionSchedule::FromPolicy(const Policy& policy) {
  absl::StatusOr<RetentionSchedule> s = Compile(policy.retention_rules(), policy.source_name());
  if (!s.ok()) return s.status();
  for (const Purpose& p : policy.purposes()) {
    std::int32_t rule = -1;
    if (!p.retention.empty()) {
      rule = s->RuleIndex(p.retention);
      if (rule < 0) rule = -2;  // unknown: Resolve refuses it
    }
    s->purposes_.emplace_back(p.id, rule);
  }
  return s;
}

absl::StatusOr<std::vector<std::int32_t>> RetentionSchedule::Resolve(std::string_view text) const {
  std::vector<std::int32_t> out;
  if (text.empty()) return out;
  std::size_t start = 0;
  while (true) {
    const std::size_t plus = text.find('+', start);
    std::string_view name =
        text.substr(start, plus == std::string_view::npos ? std::string_view::npos : plus - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("empty rule name in ", QuoteUntrusted(text)));
    }
    std::int32_t rule = RuleIndex(name);
    bool found = rule >= 0;
    if (!found) {
      for (const auto& [id, r] : purposes_) {
        if (id != name) continue;
        if (r == -2) {
          return absl::FailedPreconditionError(absl::StrCat(
              "purpose ", Quote(name), " names a retention rule the policy does not define"));
        }
        found = true;
        rule = r;
        break;
      }
    }
    if (!found) {
      std::vector<std::string_view> names;
      for (const CompiledRetentionRule& r : rules_) names.push_back(r.id);
      for (const auto& p : purposes_) names.push_back(p.first);
      return absl::NotFoundError(absl::StrCat("no retention rule or purpose ", QuoteUntrusted(name),
                                              DidYouMean(name, names)));
    }
    if (rule >= 0 && std::find(out.begin(), out.end(), rule) == out.end()) out.push_back(rule);
    if (plus == std::string_view::npos) break;
    start = plus + 1;
  }
  return out;
}

}  // namespace gdprkit
