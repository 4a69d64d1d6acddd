// Retention: sweeps (which records are due, and why) and explanations.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <numeric>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/progress.h"
#include "common/redact.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "common/text.h"
#include "gdprkit/retention.h"

namespace gdprkit {

using internal::AV;
using internal::DidYouMean;
using internal::Quote;
using internal::QuoteUntrusted;

// ---------------------------------------------------------------------------
// Sweeps
// ---------------------------------------------------------------------------

namespace {

constexpr DayNumber kNever = std::numeric_limits<std::int32_t>::max();

// The end one rule puts on one record.
struct RuleEnd {
  DayNumber end = kNever;   // kNever: no end yet
  std::int32_t event = -1;  // the event that decided it, or the one waited for
  RetentionReason reason = RetentionReason::kAnchorPending;
};

struct Decision {
  RetentionStatus status = RetentionStatus::kKept;
  DayNumber date = kNoDate;
  std::int32_t rule = -1;
  std::int32_t anchor = -1;
  RetentionReason reason = RetentionReason::kNoRule;
  std::int32_t hold = -1;
};

// Reads event dates of one record.
struct Row {
  const DayNumber* const* cols;  // per event index; nullptr when no column
  std::int64_t i;
  DayNumber Day(std::int32_t e) const {
    const DayNumber* c = cols[e];
    return c == nullptr ? kNoDate : c[i];
  }
};

// Collects an explanation when asked to.
class Trace {
 public:
  explicit Trace(const RetentionSchedule* s) : s_(s) {}
  template <typename... A>
  void Line(const A&... a) {
    lines_.push_back(absl::StrCat(a...));
  }
  std::string Rule(std::int32_t r) const { return Quote(s_->rules()[r].id); }
  std::string Event(std::int32_t e) const { return std::string(s_->events()[e]); }
  std::string Join() const { return absl::StrJoin(lines_, "\n"); }

 private:
  const RetentionSchedule* s_;
  std::vector<std::string> lines_;
};

absl::string_view ActionText(RetentionAction a) {
  switch (a) {
    case RetentionAction::kDeleteAfter:
      return "delete after";
    case RetentionAction::kRetainAtLeast:
      return "retain at least";
    case RetentionAction::kRetainThenDelete:
      return "retain, then delete after";
    case RetentionAction::kUnknown:
      break;
  }
  return "?";
}

template <bool kTrace>
inline RuleEnd EvaluateRule(const CompiledRetentionRule& r, std::int32_t index, const Row& row,
                            Trace* trace) {
  RuleEnd out;
  if (r.has_period) {
    const DayNumber a = row.Day(r.anchor);
    out.event = r.anchor;
    if (a != kNoDate) {
      out.end = AddPeriod(a, r.period);
      out.reason = RetentionReason::kPeriod;
    }
    if constexpr (kTrace) {
      trace->Line("rule ", trace->Rule(index), " (", ActionText(r.action), " ", r.period.ToString(),
                  " from ", trace->Event(r.anchor), "): ",
                  a == kNoDate ? absl::StrCat(trace->Event(r.anchor), " has not happened")
                               : absl::StrCat(trace->Event(r.anchor), " ", FormatDate(a), " + ",
                                              r.period.ToString(), " = ", FormatDate(out.end)));
    }
  } else {
    out.event = r.ends_early.empty() ? -1 : r.ends_early[0].event;
    if constexpr (kTrace) {
      trace->Line("rule ", trace->Rule(index), " (", ActionText(r.action),
                  " no period; only an early-end event ends it)");
    }
  }
  if (out.end != kNever) {
    for (const CompiledRetentionEvent& e : r.extended_by) {
      const DayNumber d = row.Day(e.event);
      if (d == kNoDate) continue;
      const DayNumber t = AddPeriod(d, e.period);
      if constexpr (kTrace) {
        trace->Line("  extended by ", trace->Event(e.event), " ", FormatDate(d), " + ",
                    e.period.ToString(), " = ", FormatDate(t),
                    t > out.end ? " (later: lengthens it)" : " (not later: no effect)");
      }
      if (t > out.end) {
        out.end = t;
        out.event = e.event;
        out.reason = RetentionReason::kExtended;
      }
    }
  }
  for (const CompiledRetentionEvent& e : r.ends_early) {
    const DayNumber d = row.Day(e.event);
    if (d == kNoDate) continue;
    const DayNumber t = AddPeriod(d, e.period);
    if constexpr (kTrace) {
      trace->Line("  ends early on ", trace->Event(e.event), " ", FormatDate(d), " + ",
                  e.period.ToString(), " = ", FormatDate(t),
                  t < out.end ? " (earlier: ends it)" : " (not earlier: no effect)");
    }
    if (t < out.end) {
      out.end = t;
      out.event = e.event;
      out.reason = RetentionReason::kEndedEarly;
    }
  }
  return out;
}

// The first day >= t that no hold covers (kNever when an open hold covers
// it); *last is the hold that pushed it last, if any.
inline DayNumber FirstFreeDay(DayNumber t, const Hold* holds, const std::int32_t* idx,
                              std::int32_t n, std::int32_t* last) {
  bool moved = true;
  while (moved && t != kNever) {
    moved = false;
    for (std::int32_t k = 0; k < n; ++k) {
      const Hold& h = holds[idx[k]];
      if (h.start <= t && (h.end == kNoDate || t < h.end)) {
        *last = idx[k];
        t = h.end == kNoDate ? kNever : h.end;
        moved = true;
        break;
      }
    }
  }
  return t;
}

// What the rules of one record's set say: the earliest end among the
// deleting rules, the latest among the retaining ones, and the first of each
// kind still waiting for its event.
struct Ends {
  bool any_delete = false, any_keep = false;
  DayNumber del = kNever, ret = kNever;
  RuleEnd del_end, ret_end;
  std::int32_t del_rule = -1, ret_rule = -1;
  std::int32_t del_pending = -1, ret_pending = -1, no_period = -1;
  RuleEnd del_pending_end, ret_pending_end;
  bool ret_known = false;
};

template <bool kTrace>
inline Ends GatherEnds(const CompiledRetentionRule* rules, const std::int32_t* set,
                       std::int32_t nset, const Row& row, Trace* trace) {
  Ends x;
  for (std::int32_t k = 0; k < nset; ++k) {
    const std::int32_t ri = set[k];
    const CompiledRetentionRule& r = rules[ri];
    if (!r.structured()) {
      if (x.no_period < 0) x.no_period = ri;
      if constexpr (kTrace) trace->Line("rule ", trace->Rule(ri), ": no period (descriptive only)");
      continue;
    }
    const RuleEnd e = EvaluateRule<kTrace>(r, ri, row, trace);
    if (r.deletes()) {
      x.any_delete = true;
      if (e.end == kNever) {
        if (x.del_pending < 0) {
          x.del_pending = ri;
          x.del_pending_end = e;
        }
      } else if (e.end < x.del) {
        x.del = e.end;
        x.del_end = e;
        x.del_rule = ri;
      }
    }
    if (r.keeps()) {
      x.any_keep = true;
      if (e.end == kNever) {
        if (x.ret_pending < 0) {
          x.ret_pending = ri;
          x.ret_pending_end = e;
        }
      } else if (!x.ret_known || e.end > x.ret) {
        x.ret = e.end;
        x.ret_end = e;
        x.ret_rule = ri;
        x.ret_known = true;
      }
    }
  }
  return x;
}

// The decision before holds: retention beats deletion. Returns true when it
// is a due date (due or pending, decided by the holds and as_of).
template <bool kTrace>
inline bool DecideBeforeHolds(const Ends& x, std::int32_t nset, DayNumber as_of, Decision* d,
                              Trace* trace) {
  bool dated = false;
  if (!x.any_delete && !x.any_keep) {
    d->status = RetentionStatus::kKept;
    d->reason = nset == 0 ? RetentionReason::kNoRule : RetentionReason::kNoPeriod;
    d->rule = x.no_period;
  } else if (x.ret_pending >= 0) {
    d->status = RetentionStatus::kKept;
    d->reason = RetentionReason::kAnchorPending;
    d->rule = x.ret_pending;
    d->anchor = x.ret_pending_end.event;
  } else if (!x.any_delete) {
    d->date = x.ret;
    d->rule = x.ret_rule;
    d->anchor = x.ret_end.event;
    d->reason = x.ret_end.reason;
    d->status = as_of >= x.ret ? RetentionStatus::kMayDelete : RetentionStatus::kKept;
  } else if (x.del == kNever) {
    d->status = RetentionStatus::kKept;
    d->reason = RetentionReason::kAnchorPending;
    d->rule = x.del_pending;
    d->anchor = x.del_pending_end.event;
  } else {
    dated = true;
    const bool retained = x.any_keep && x.ret > x.del;
    d->date = retained ? x.ret : x.del;
    d->rule = retained ? x.ret_rule : x.del_rule;
    d->anchor = retained ? x.ret_end.event : x.del_end.event;
    d->reason = retained ? x.ret_end.reason : x.del_end.reason;
  }
  if constexpr (kTrace) {
    if (x.any_delete) {
      trace->Line("deletion: ", x.del == kNever
                                    ? std::string("no date yet")
                                    : absl::StrCat(FormatDate(x.del), " (shortest, rule ",
                                                   trace->Rule(x.del_rule), ")"));
    }
    if (x.any_keep) {
      trace->Line("retention: ",
                  x.ret_pending >= 0
                      ? absl::StrCat("indefinite while rule ", trace->Rule(x.ret_pending),
                                     " waits for its event")
                      : absl::StrCat("until ", FormatDate(x.ret), " (longest, rule ",
                                     trace->Rule(x.ret_rule), ")"));
      if (dated && x.ret > x.del) {
        trace->Line("retention beats deletion: due when retention ends, ", FormatDate(x.ret));
      }
    }
  }
  return dated;
}

// Holds beat everything: a hold in force holds the record; a due date under
// a hold moves to its release.
template <bool kTrace>
inline void ApplyHolds(bool dated, DayNumber as_of, const Hold* holds, const std::int32_t* hidx,
                       std::int32_t nholds, Decision* d, Trace* trace) {
  std::int32_t active = -1;
  for (std::int32_t k = 0; k < nholds; ++k) {
    const Hold& h = holds[hidx[k]];
    if (h.start <= as_of && (h.end == kNoDate || as_of < h.end)) {
      active = hidx[k];
      break;
    }
  }
  if (dated && nholds > 0) {
    std::int32_t pusher = -1;
    const DayNumber e = FirstFreeDay(d->date, holds, hidx, nholds, &pusher);
    if (e != d->date) {
      d->reason = RetentionReason::kHoldReleased;
      d->hold = pusher;
      if constexpr (kTrace) {
        trace->Line("hold #", pusher,
                    e == kNever
                        ? " is open-ended and covers the due date"
                        : absl::StrCat(" moves the due date to its release, ", FormatDate(e)));
      }
    }
    d->date = e;
  }
  if (active >= 0) {
    d->status = RetentionStatus::kHeld;
    d->reason = RetentionReason::kHold;
    d->hold = active;
    if (dated) {
      std::int32_t pusher = -1;
      const DayNumber e = FirstFreeDay(std::max(d->date, as_of), holds, hidx, nholds, &pusher);
      d->date = e == kNever ? kNoDate : e;
    } else {
      d->date = kNoDate;
    }
    if constexpr (kTrace) trace->Line("hold #", active, " is in force: the record is held");
  } else if (dated) {
    if (d->date == kNever) {
      d->status = RetentionStatus::kKept;
      d->reason = RetentionReason::kHold;
      d->date = kNoDate;
    } else {
      d->status = as_of >= d->date ? RetentionStatus::kDue : RetentionStatus::kPending;
    }
  }
}

// One record's decision (docs/retention.md, section 3): the rules'
// ends, then deletion against retention, then the holds.
template <bool kTrace>
Decision Decide(const CompiledRetentionRule* rules, const std::int32_t* set, std::int32_t nset,
                const Row& row, DayNumber as_of, const Hold* holds, const std::int32_t* hidx,
                std::int32_t nholds, Trace* trace) {
  Decision d;
  const Ends ends = GatherEnds<kTrace>(rules, set, nset, row, trace);
  const bool dated = DecideBeforeHolds<kTrace>(ends, nset, as_of, &d, trace);
  ApplyHolds<kTrace>(dated, as_of, holds, hidx, nholds, &d, trace);
  return d;
}

// The per-sweep state shared by the workers.
struct Plan {
  const RetentionSchedule* schedule = nullptr;
  const SweepInput* input = nullptr;
  std::int64_t n = 0;
  DayNumber as_of = kNoDate;
  // Rule sets: pointers into rule lists, their lengths, whether they count from collection.
  std::vector<const std::int32_t*> set_rules;
  std::vector<std::int32_t> set_size;
  std::vector<std::uint8_t> set_needs_collection;
  std::vector<std::int32_t> identity;  // implicit one-rule sets
  // Sets of one structured rule: decided by that rule alone (rule < 0: not
  // such a set); with a period and no other events (column set), in closed form.
  struct Simple {
    std::int32_t rule = -1;
    std::int32_t anchor = -1;
    const DayNumber* column = nullptr;
    Period period;
    bool deletes = false;
  };
  std::vector<Simple> simple;
  // Event columns by event index (nullptr: none), and the given ones but collection.
  std::vector<const DayNumber*> cols;
  std::vector<std::pair<std::int32_t, const DayNumber*>> others;
  const DayNumber* collection = nullptr;
  // Hold indices sorted by record.
  std::vector<std::int32_t> hold_order;
};

struct ChunkResult {
  SweepReport report;
  std::vector<RecordError> errors;
  std::int64_t error_count = 0;
};

// A record's id for messages: withheld when it looks like a CPR number
// (common/redact.h; the whole id is tested, then shortened).
std::string RecordIdFor(const SweepInput& in, std::int64_t row) {
  if (in.record_ids.empty()) return "";
  const std::string_view id = in.record_ids[static_cast<std::size_t>(row)];
  return internal::Excerpt(internal::RedactIdentifier(AV(id)));
}

// Checks one record; on a problem returns false and fills *err.
bool CheckRecord(const Plan& plan, std::int64_t i, std::int32_t sel, const std::int32_t* hidx,
                 std::int32_t nholds, RecordError* err) {
  const SweepInput& in = *plan.input;
  const RetentionSchedule& s = *plan.schedule;
  auto fail = [&](std::string field, RecordProblem problem, std::string message) {
    err->row = i;
    err->record_id = RecordIdFor(in, i);
    err->field = std::move(field);
    err->problem = problem;
    err->message = std::move(message);
    return false;
  };
  if (sel < 0 || static_cast<std::size_t>(sel) >= plan.set_size.size()) {
    return fail("selector", RecordProblem::kSelectorOutOfRange,
                absl::StrCat("selector ", sel, " is out of range [0, ", plan.set_size.size(), ")"));
  }
  const DayNumber coll = plan.collection ? plan.collection[i] : kNoDate;
  if (coll != kNoDate && !IsValidDay(coll)) {
    return fail(std::string(kCollectionEvent), RecordProblem::kDateOutOfRange,
                absl::StrCat("day number ", coll, " is not a date in 0001-01-01 ... 9999-12-31"));
  }
  const DayNumber lo = coll == kNoDate ? kMinDate : coll;
  for (const auto& [e, col] : plan.others) {
    const DayNumber v = col[i];
    if (v == kNoDate) continue;
    if (v < lo || v > kMaxDate) {
      if (!IsValidDay(v)) {
        return fail(s.events()[e], RecordProblem::kDateOutOfRange,
                    absl::StrCat("day number ", v, " is not a date in 0001-01-01 ... 9999-12-31"));
      }
      return fail(s.events()[e], RecordProblem::kBeforeCollection,
                  absl::StrCat(AV(s.events()[e]), " ", FormatDate(v), " is before collection ",
                               FormatDate(coll)));
    }
  }
  if (coll == kNoDate && plan.set_needs_collection[sel]) {
    return fail(std::string(kCollectionEvent), RecordProblem::kNoCollection,
                "no collection date, and a rule of the record counts from collection");
  }
  for (std::int32_t k = 0; k < nholds; ++k) {
    const Hold& h = in.holds[hidx[k]];
    const std::string field = absl::StrCat("holds[", hidx[k], "]");
    if (h.start == kNoDate) {
      return fail(field, RecordProblem::kHoldWithoutStart, "hold has no start date");
    }
    if (!IsValidDay(h.start)) {
      return fail(field, RecordProblem::kDateOutOfRange,
                  absl::StrCat("hold start ", h.start, " is not a date in 0001-9999"));
    }
    if (h.end != kNoDate && !IsValidDay(h.end)) {
      return fail(field, RecordProblem::kDateOutOfRange,
                  absl::StrCat("hold end ", h.end, " is not a date in 0001-9999"));
    }
    if (h.end != kNoDate && h.end < h.start) {
      return fail(field, RecordProblem::kHoldReleasedEarly,
                  absl::StrCat("hold released ", FormatDate(h.end), " before it began ",
                               FormatDate(h.start)));
    }
  }
  return true;
}

// The date checks of records [b, b + n), column by column: bad[k] is non-zero
// when a date of record b + k is out of range or before its collection.
// Branch-free loops over int32 columns, for the vectorizer.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("tree-vectorize")
#endif
void CheckBlockDates(const DayNumber* coll,
                     const std::vector<std::pair<std::int32_t, const DayNumber*>>& others,
                     std::int64_t b, std::int64_t n, std::int32_t* __restrict bad,
                     DayNumber* __restrict floor_day) {
  if (coll != nullptr) {
    const DayNumber* __restrict c = coll + b;
    for (std::int64_t k = 0; k < n; ++k) {
      const std::int32_t none = c[k] == kNoDate;
      const std::int32_t out = (c[k] < kMinDate) | (c[k] > kMaxDate);
      bad[k] = ~none & out & 1;
      floor_day[k] = (none | out) ? kMinDate : c[k];
    }
  } else {
    for (std::int64_t k = 0; k < n; ++k) {
      bad[k] = 0;
      floor_day[k] = kMinDate;
    }
  }
  for (const auto& col : others) {
    const DayNumber* __restrict v = col.second + b;
    for (std::int64_t k = 0; k < n; ++k) {
      bad[k] |= (v[k] != kNoDate) & ((v[k] < floor_day[k]) | (v[k] > kMaxDate));
    }
  }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC pop_options
#endif

// How a range of records reports its progress after each block: on the
// calling thread through the stage itself; in a worker by counting into
// `done`, stopping when `cancel` is set.
struct BlockProgress {
  internal::ProgressStage* stage = nullptr;
  absl::Status status;  // the stage's answer that stopped the range
  std::atomic<std::int64_t>* done = nullptr;
  const std::atomic<bool>* cancel = nullptr;

  // False when the range must stop.
  bool Block(std::int64_t n) {
    if (stage != nullptr) {
      status = stage->Advance(n);
      return status.ok();
    }
    if (done == nullptr) return true;
    done->fetch_add(n, std::memory_order_relaxed);
    return !cancel->load(std::memory_order_relaxed);
  }
};

void SweepRange(const Plan& plan, std::int64_t lo, std::int64_t hi, const SweepColumns& out,
                const SweepOptions& options, BlockProgress* progress, ChunkResult* res) {
  const SweepInput& in = *plan.input;
  const CompiledRetentionRule* rules = plan.schedule->rules().data();
  const Hold* holds = in.holds.data();
  const std::int32_t* order = plan.hold_order.data();
  const std::int32_t nh = static_cast<std::int32_t>(plan.hold_order.size());
  const std::int32_t nsets = static_cast<std::int32_t>(plan.set_size.size());
  const std::int32_t* selector = in.selector.data();
  const DayNumber* coll = plan.collection;
  // First hold of this range.
  std::int32_t hp = static_cast<std::int32_t>(
      std::lower_bound(plan.hold_order.begin(), plan.hold_order.end(), lo,
                       [&](std::int32_t h, std::int64_t r) { return holds[h].record < r; }) -
      plan.hold_order.begin());
  std::int64_t next_held = hp < nh ? holds[order[hp]].record : -1;
  const bool want_hold = !out.hold.empty();
  std::int64_t counts[6] = {};
  // Everything the loop reads, in locals: stores of one-byte statuses may
  // alias any memory, and would otherwise force reloads through plan and out.
  const DayNumber as_of = plan.as_of;
  const Plan::Simple* simple = plan.simple.data();
  const std::uint8_t* needs_collection = plan.set_needs_collection.data();
  const std::int32_t* const* set_rules = plan.set_rules.data();
  const std::int32_t* set_size = plan.set_size.data();
  const DayNumber* const* cols = plan.cols.data();
  RetentionStatus* out_status = out.status.data();
  DayNumber* out_due = out.due_date.data();
  std::int32_t* out_rule = out.rule.data();
  std::int32_t* out_anchor = out.anchor.data();
  RetentionReason* out_reason = out.reason.data();
  std::int32_t* out_hold = out.hold.data();
  RecordError err;

  // Blocks: first the date checks column by column (loops the compiler
  // vectorizes), then the decisions record by record.
  constexpr std::int64_t kBlock = 2048;
  std::int32_t bad[kBlock];
  DayNumber floor_day[kBlock];
  for (std::int64_t b = lo; b < hi; b += kBlock) {
    const std::int64_t n = std::min(kBlock, hi - b);
    CheckBlockDates(coll, plan.others, b, n, bad, floor_day);
    for (std::int64_t k = 0; k < n; ++k) {
      const std::int64_t i = b + k;
      // Holds of this record: order[hp, he).
      std::int32_t he = hp;
      if (i == next_held) {
        while (he < nh && holds[order[he]].record == i) ++he;
        next_held = he < nh ? holds[order[he]].record : -1;
      }
      const std::int32_t sel = selector[i];
      const bool suspect =
          bad[k] | (static_cast<std::uint32_t>(sel) >= static_cast<std::uint32_t>(nsets)) ||
          he > hp || (needs_collection[sel] && (coll == nullptr || coll[i] == kNoDate));
      Decision d;
      if (suspect && !CheckRecord(plan, i, sel, order + hp, he - hp, &err)) {
        ++res->error_count;
        // The first one is always kept: a failing sweep names it.
        if (res->errors.empty() || res->errors.size() < options.max_errors) {
          res->errors.push_back(err);
        }
        d.status = RetentionStatus::kInvalid;
        d.reason = RetentionReason::kInvalidInput;
      } else {
        const Plan::Simple& f = simple[sel];
        if (f.rule >= 0 && he == hp && f.column == nullptr) {
          // One rule with events, no holds: that rule's end decides.
          const Row row{cols, i};
          const RuleEnd e = EvaluateRule<false>(rules[f.rule], f.rule, row, nullptr);
          d.rule = f.rule;
          d.anchor = e.event;
          if (e.end == kNever) {
            d.status = RetentionStatus::kKept;
            d.reason = RetentionReason::kAnchorPending;
          } else {
            d.date = e.end;
            d.reason = e.reason;
            const bool over = as_of >= d.date;
            d.status = f.deletes ? (over ? RetentionStatus::kDue : RetentionStatus::kPending)
                                 : (over ? RetentionStatus::kMayDelete : RetentionStatus::kKept);
          }
        } else if (f.rule >= 0 && he == hp) {
          // One rule, no events but its anchor, no holds.
          const DayNumber a = f.column[i];
          d.rule = f.rule;
          d.anchor = f.anchor;
          if (a == kNoDate) {
            d.status = RetentionStatus::kKept;
            d.reason = RetentionReason::kAnchorPending;
          } else {
            d.date = AddPeriod(a, f.period);
            d.reason = RetentionReason::kPeriod;
            const bool over = as_of >= d.date;
            d.status = f.deletes ? (over ? RetentionStatus::kDue : RetentionStatus::kPending)
                                 : (over ? RetentionStatus::kMayDelete : RetentionStatus::kKept);
          }
        } else {
          const Row row{cols, i};
          d = Decide<false>(rules, set_rules[sel], set_size[sel], row, as_of, holds, order + hp,
                            he - hp, nullptr);
        }
      }
      hp = he;
      out_due[i] = d.date;
      out_rule[i] = d.rule;
      out_anchor[i] = d.anchor;
      if (want_hold) out_hold[i] = d.hold;
      out_status[i] = d.status;
      out_reason[i] = d.reason;
      ++counts[static_cast<int>(d.status)];
    }
    if (!progress->Block(n)) break;
  }
  SweepReport& rep = res->report;
  rep.due = counts[static_cast<int>(RetentionStatus::kDue)];
  rep.pending = counts[static_cast<int>(RetentionStatus::kPending)];
  rep.kept = counts[static_cast<int>(RetentionStatus::kKept)];
  rep.held = counts[static_cast<int>(RetentionStatus::kHeld)];
  rep.may_delete = counts[static_cast<int>(RetentionStatus::kMayDelete)];
  rep.invalid = counts[static_cast<int>(RetentionStatus::kInvalid)];
  rep.records = hi - lo;
}

}  // namespace

namespace {

// The rule sets of the input: its own, or one per rule when it has none;
// which of them count from collection.
absl::Status PlanRuleSets(const SweepInput& in, absl::Span<const CompiledRetentionRule> rules,
                          Plan* plan) {
  if (in.rule_sets.empty()) {
    plan->identity.resize(rules.size());
    std::iota(plan->identity.begin(), plan->identity.end(), 0);
    for (std::size_t r = 0; r < rules.size(); ++r) {
      plan->set_rules.push_back(plan->identity.data() + r);
      plan->set_size.push_back(1);
    }
  } else {
    for (std::size_t k = 0; k < in.rule_sets.size(); ++k) {
      for (std::int32_t r : in.rule_sets[k]) {
        if (r < 0 || static_cast<std::size_t>(r) >= rules.size()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "rule_sets[", k, "] names rule ", r, "; the schedule has ", rules.size(), " rules"));
        }
      }
      plan->set_rules.push_back(in.rule_sets[k].data());
      plan->set_size.push_back(static_cast<std::int32_t>(in.rule_sets[k].size()));
    }
  }
  const std::size_t nsets = plan->set_size.size();
  plan->set_needs_collection.assign(nsets, 0);
  for (std::size_t k = 0; k < nsets; ++k) {
    for (std::int32_t j = 0; j < plan->set_size[k]; ++j) {
      const CompiledRetentionRule& r = rules[plan->set_rules[k][j]];
      if (r.has_period && r.anchor == 0) plan->set_needs_collection[k] = 1;
    }
  }
  return absl::OkStatus();
}

// The event columns by event index: each known, given once, of n rows.
absl::Status PlanEventColumns(const RetentionSchedule& s, const SweepInput& in, Plan* plan) {
  plan->cols.assign(s.events().size(), nullptr);
  for (std::size_t c = 0; c < in.events.size(); ++c) {
    const EventColumn& col = in.events[c];
    absl::StatusOr<std::int32_t> found = s.FindEvent(col.name);
    if (!found.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("events[", c, "]: ", found.status().message()));
    }
    const std::int32_t e = *found;
    if (plan->cols[e] != nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("events[", c, "]: event ", Quote(col.name), " is given twice"));
    }
    if (col.days.size() != static_cast<std::size_t>(plan->n)) {
      return absl::InvalidArgumentError(absl::StrCat("events[", c, "] (", AV(col.name), ") has ",
                                                     col.days.size(), " rows; the selector has ",
                                                     plan->n));
    }
    plan->cols[e] = col.days.data();
    if (e == 0) {
      plan->collection = col.days.data();
    } else {
      plan->others.emplace_back(e, col.days.data());
    }
  }
  return absl::OkStatus();
}

// Every event a rule of a used set counts from, ends early on or is
// extended by has a column.
absl::Status CheckNeededColumns(const RetentionSchedule& s, const SweepInput& in,
                                const Plan& plan) {
  const std::size_t nsets = plan.set_size.size();
  std::vector<std::uint8_t> used(nsets, 0);
  for (std::int32_t sel : in.selector) {
    if (sel >= 0 && static_cast<std::size_t>(sel) < nsets) used[sel] = 1;
  }
  for (std::size_t k = 0; k < nsets; ++k) {
    if (!used[k]) continue;
    for (std::int32_t j = 0; j < plan.set_size[k]; ++j) {
      const CompiledRetentionRule& r = s.rules()[plan.set_rules[k][j]];
      auto need = [&](std::int32_t e, std::string_view how) -> absl::Status {
        if (plan.cols[e] != nullptr) return absl::OkStatus();
        return absl::InvalidArgumentError(absl::StrCat(
            "rule ", Quote(r.id), " ", AV(how), " event ", Quote(s.events()[e]),
            " but the input has no column of that name; give one (all dates missing if it never "
            "happened)"));
      };
      if (r.has_period) GDPRKIT_RETURN_IF_ERROR(need(r.anchor, "counts from"));
      for (const auto& e : r.ends_early) GDPRKIT_RETURN_IF_ERROR(need(e.event, "ends early on"));
      for (const auto& e : r.extended_by) {
        GDPRKIT_RETURN_IF_ERROR(need(e.event, "is extended by"));
      }
    }
  }
  return absl::OkStatus();
}

// The sets of one structured rule, decided by that rule alone; those with a
// period and no other events in closed form.
void PlanSimpleSets(absl::Span<const CompiledRetentionRule> rules, Plan* plan) {
  const std::size_t nsets = plan->set_size.size();
  plan->simple.assign(nsets, Plan::Simple());
  for (std::size_t k = 0; k < nsets; ++k) {
    if (plan->set_size[k] != 1) continue;
    const std::int32_t ri = plan->set_rules[k][0];
    const CompiledRetentionRule& r = rules[ri];
    if (!r.structured()) continue;  // the general procedure says "no period"
    Plan::Simple& f = plan->simple[k];
    f.rule = ri;
    f.deletes = r.deletes();
    if (r.has_period && r.ends_early.empty() && r.extended_by.empty() &&
        plan->cols[r.anchor] != nullptr) {
      f.anchor = r.anchor;
      f.column = plan->cols[r.anchor];
      f.period = r.period;
    }
  }
}

// The holds, each on a row of the input, sorted by row.
absl::Status PlanHolds(const SweepInput& in, Plan* plan) {
  if (in.holds.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return absl::InvalidArgumentError("too many holds");
  }
  plan->hold_order.resize(in.holds.size());
  for (std::size_t h = 0; h < in.holds.size(); ++h) {
    if (in.holds[h].record < 0 || in.holds[h].record >= plan->n) {
      return absl::InvalidArgumentError(absl::StrCat("holds[", h, "] names row ",
                                                     in.holds[h].record, "; the input has ",
                                                     plan->n, " records"));
    }
    plan->hold_order[h] = static_cast<std::int32_t>(h);
  }
  std::stable_sort(
      plan->hold_order.begin(), plan->hold_order.end(),
      [&](std::int32_t a, std::int32_t b) { return in.holds[a].record < in.holds[b].record; });
  return absl::OkStatus();
}

// Checks the input's shape and builds the plan. Errors: InvalidArgument.
absl::Status MakePlan(const RetentionSchedule& s, const SweepInput& in, DayNumber as_of,
                      Plan* plan) {
  plan->schedule = &s;
  plan->input = &in;
  plan->as_of = as_of;
  const std::size_t n = in.selector.size();
  plan->n = static_cast<std::int64_t>(n);
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return absl::InvalidArgumentError(
        absl::StrCat("sweep input has ", n, " records; at most 2^31-1 per sweep"));
  }
  if (!IsValidDay(as_of)) {
    return absl::InvalidArgumentError(
        absl::StrCat("sweep date (as_of) ",
                     as_of == kNoDate ? std::string("is missing")
                                      : absl::StrCat("day ", as_of, " is not a date"),
                     "; give a date in 0001-01-01 ... 9999-12-31"));
  }
  if (!in.record_ids.empty() && in.record_ids.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("record_ids has ", in.record_ids.size(), " entries; the selector has ", n));
  }
  GDPRKIT_RETURN_IF_ERROR(PlanRuleSets(in, s.rules(), plan));
  GDPRKIT_RETURN_IF_ERROR(PlanEventColumns(s, in, plan));
  GDPRKIT_RETURN_IF_ERROR(CheckNeededColumns(s, in, *plan));
  PlanSimpleSets(s.rules(), plan);
  return PlanHolds(in, plan);
}

}  // namespace

namespace {

// Sweeps the plan's rows into `out` in `threads` chunks of consecutive rows,
// one result per chunk (in row order), reporting to `stage` (started; not
// finished). Errors: CancelledError when the progress callback cancels.
absl::StatusOr<std::vector<ChunkResult>> SweepChunks(const Plan& plan, const SweepColumns& out,
                                                     const SweepOptions& options, int threads,
                                                     internal::ProgressStage* stage) {
  std::vector<ChunkResult> results(static_cast<std::size_t>(threads));
  if (threads == 1) {
    BlockProgress progress;
    progress.stage = stage;
    SweepRange(plan, 0, plan.n, out, options, &progress, &results[0]);
    if (!progress.status.ok()) return progress.status;
    return results;
  }
  // The workers count the records they swept; the calling thread reports the
  // count (the callback runs on the calling thread only) until they are done,
  // and sets `cancel` when the callback cancels.
  std::atomic<std::int64_t> done{0};
  std::atomic<bool> cancel{false};
  std::mutex mu;
  std::condition_variable finished_cv;
  int finished = 0;
  // An exception (std::bad_alloc) must neither escape a worker nor leave a
  // started worker unjoined (both call std::terminate): each worker keeps
  // its own, and a failure to start one joins those started before it is
  // rethrown.
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(threads));
  std::vector<std::thread> workers;
  auto work = [&](int t, std::int64_t lo, std::int64_t hi) {
    try {
      BlockProgress progress;
      progress.done = &done;
      progress.cancel = &cancel;
      SweepRange(plan, lo, hi, out, options, &progress, &results[static_cast<std::size_t>(t)]);
    } catch (...) {
      failures[static_cast<std::size_t>(t)] = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mu);
    ++finished;
    finished_cv.notify_one();
  };
  try {
    workers.reserve(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back(work, t, plan.n * t / threads, plan.n * (t + 1) / threads);
    }
  } catch (...) {
    cancel.store(true);
    for (std::thread& w : workers) w.join();
    throw;
  }
  absl::Status status;
  if (stage->active()) {
    std::unique_lock<std::mutex> lock(mu);
    while (finished < threads) {
      finished_cv.wait_for(lock, std::chrono::milliseconds(20));
      lock.unlock();
      if (status.ok()) {
        status = stage->Set(done.load(std::memory_order_relaxed));
        if (!status.ok()) cancel.store(true, std::memory_order_relaxed);
      }
      lock.lock();
    }
  }
  for (std::thread& w : workers) w.join();
  for (const std::exception_ptr& e : failures) {
    if (e) std::rethrow_exception(e);
  }
  if (!status.ok()) return status;
  return results;
}

// The chunks' reports as one: with ErrorMode::kRaise, the error naming the
// first invalid record (chunks are in row order); with kCoerce, the invalid
// records counted but not listed; with kReport, listed.
absl::StatusOr<SweepReport> MergeReports(const std::vector<ChunkResult>& results,
                                         const SweepOptions& options) {
  SweepReport report;
  std::int64_t error_count = 0;
  for (const ChunkResult& r : results) {
    report.records += r.report.records;
    report.due += r.report.due;
    report.pending += r.report.pending;
    report.kept += r.report.kept;
    report.held += r.report.held;
    report.may_delete += r.report.may_delete;
    report.invalid += r.report.invalid;
    error_count += r.error_count;
    if (options.on_invalid != ErrorMode::kReport) continue;
    for (const RecordError& e : r.errors) {
      if (report.errors.size() < options.max_errors) report.errors.push_back(e);
    }
  }
  if (error_count > 0 && options.on_invalid == ErrorMode::kRaise) {
    RecordError first;
    for (const ChunkResult& r : results) {
      if (!r.errors.empty()) {
        first = r.errors.front();
        break;
      }
    }
    return absl::InvalidArgumentError(absl::StrCat(
        first.ToString(),
        error_count > 1 ? absl::StrCat(" (and ", error_count - 1, " more invalid records)") : "",
        "; no result was returned"));
  }
  return report;
}

}  // namespace

absl::StatusOr<SweepReport> RetentionSchedule::SweepInto(const SweepInput& input, DayNumber as_of,
                                                         const SweepColumns& out,
                                                         const SweepOptions& options) const {
  Plan plan;
  GDPRKIT_RETURN_IF_ERROR(MakePlan(*this, input, as_of, &plan));
  const std::size_t n = static_cast<std::size_t>(plan.n);
  if (out.status.size() != n || out.due_date.size() != n || out.rule.size() != n ||
      out.anchor.size() != n || out.reason.size() != n ||
      (!out.hold.empty() && out.hold.size() != n)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "output columns must each have ", n, " rows (status ", out.status.size(), ", due_date ",
        out.due_date.size(), ", rule ", out.rule.size(), ", anchor ", out.anchor.size(),
        ", reason ", out.reason.size(), ", hold ", out.hold.size(), ")"));
  }
  int threads = options.threads;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  constexpr std::int64_t kMinPerThread = 1 << 16;
  threads = static_cast<int>(
      std::min<std::int64_t>(threads, std::max<std::int64_t>(1, plan.n / kMinPerThread)));
  if (options.on_invalid != ErrorMode::kRaise && options.on_invalid != ErrorMode::kReport &&
      options.on_invalid != ErrorMode::kCoerce) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown error mode ", static_cast<int>(options.on_invalid)));
  }
  internal::ProgressStage stage(&options.progress, "sweep", plan.n);
  GDPRKIT_RETURN_IF_ERROR(stage.Start());
  absl::StatusOr<std::vector<ChunkResult>> chunks =
      SweepChunks(plan, out, options, threads, &stage);
  if (!chunks.ok()) return chunks.status();
  GDPRKIT_RETURN_IF_ERROR(stage.Finish());
  return MergeReports(*chunks, options);
}

absl::StatusOr<SweepResult> RetentionSchedule::Sweep(const SweepInput& input, DayNumber as_of,
                                                     const SweepOptions& options) const {
  SweepResult r;
  const std::size_t n = input.selector.size();
  r.status.resize(n);
  r.due_date.resize(n);
  r.rule.resize(n);
  r.anchor.resize(n);
  r.reason.resize(n);
  r.hold.resize(n);
  SweepColumns out{absl::MakeSpan(r.status), absl::MakeSpan(r.due_date), absl::MakeSpan(r.rule),
                   absl::MakeSpan(r.anchor), absl::MakeSpan(r.reason),   absl::MakeSpan(r.hold)};
  absl::StatusOr<SweepReport> report = SweepInto(input, as_of, out, options);
  if (!report.ok()) return report.status();
  r.report = *std::move(report);
  return r;
}

absl::StatusOr<std::string> RetentionSchedule::Explain(const SweepInput& input, std::int64_t row,
                                                       DayNumber as_of, Language language) const {
  Plan plan;
  GDPRKIT_RETURN_IF_ERROR(MakePlan(*this, input, as_of, &plan));
  if (row < 0 || row >= plan.n) {
    return absl::NotFoundError(absl::StrCat("row ", row, " is out of range [0, ", plan.n, ")"));
  }
  std::vector<std::int32_t> mine;
  for (std::int32_t h : plan.hold_order) {
    if (input.holds[h].record == row) mine.push_back(h);
  }
  const std::int32_t sel = input.selector[static_cast<std::size_t>(row)];
  RecordError err;
  if (!CheckRecord(plan, row, sel, mine.data(), static_cast<std::int32_t>(mine.size()), &err)) {
    return absl::InvalidArgumentError(err.ToString());
  }
  Trace trace(this);
  const std::string id = RecordIdFor(input, row);
  trace.Line(id.empty() ? absl::StrCat("row ", row) : absl::StrCat("record ", Quote(id)), " as of ",
             FormatDate(as_of), ":");
  const Row r{plan.cols.data(), row};
  const Decision d =
      Decide<true>(rules_.data(), plan.set_rules[sel], plan.set_size[sel], r, as_of,
                   input.holds.data(), mine.data(), static_cast<std::int32_t>(mine.size()), &trace);
  trace.Line("verdict: ", AV(RetentionStatusTitle(d.status, language)), " (",
             AV(RetentionReasonTitle(d.reason, language)), ")");
  std::string verdict = absl::StrCat("=> ", AV(RetentionStatusName(d.status)));
  if (d.date != kNoDate) absl::StrAppend(&verdict, " ", FormatDate(d.date));
  if (d.rule >= 0) absl::StrAppend(&verdict, ", rule ", Quote(rules_[d.rule].id));
  if (d.anchor >= 0) absl::StrAppend(&verdict, ", anchor ", AV(events_[d.anchor]));
  absl::StrAppend(&verdict, ", reason ", AV(RetentionReasonName(d.reason)));
  if (d.hold >= 0) absl::StrAppend(&verdict, ", hold #", d.hold);
  trace.Line(verdict);
  return trace.Join();
}

}  // namespace gdprkit
