// gdprkit/retention.h: retention rules, civil-date arithmetic and sweeps.
//
// A retention rule says how long the data of a purpose are kept: an ISO 8601
// period counted from an anchor (collection, or a named event such as
// "provider_number_ended"), an action at its end (delete, retain at least, or
// retain then delete), events that end it early (consent withdrawn) and events
// that lengthen it (consent to keep an application a year more). Holds
// (litigation, complaint, supervision) suspend deletion.
//
// Header-first: dates, periods and AddPeriod are inline and constexpr where
// they can be. A RetentionSchedule is compiled from a Policy (or from rules)
// and sweeps records given as columns: one selector per record, one date
// column per event, hold intervals. docs/retention.md describes the semantics
// with examples from the seed documents.
//
// Dates are civil dates in the proleptic Gregorian calendar, held as
// DayNumber: days since 1970-01-01, with kNoDate for "has not happened". Times
// given with a zone are read as the civil date they fall on in
// Europe/Copenhagen unless another zone is named.
//
// Everything here is pure or immutable and safe to use from several threads.
#ifndef GDPRKIT_RETENTION_H_
#define GDPRKIT_RETENTION_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gdprkit/common.h"
#include "gdprkit/policy.h"

// Hot date arithmetic is inlined into sweeps.
#if defined(__GNUC__) || defined(__clang__)
#define GDPRKIT_ALWAYS_INLINE __attribute__((always_inline))
#else
#define GDPRKIT_ALWAYS_INLINE
#endif

namespace gdprkit {

// ---------------------------------------------------------------------------
// Civil dates
// ---------------------------------------------------------------------------

// Days since 1970-01-01 (proleptic Gregorian). Valid dates lie in
// [kMinDate, kMaxDate] (0001-01-01 ... 9999-12-31); computed due dates may lie
// beyond kMaxDate.
using DayNumber = std::int32_t;

// "Not happened" / "no date" in event columns and in sweep output.
inline constexpr DayNumber kNoDate = std::numeric_limits<std::int32_t>::min();

// A calendar date: year, month 1-12, day 1-31.
struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;
  friend constexpr bool operator==(const CivilDate& a, const CivilDate& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
};

// True for Gregorian leap years (divisible by 4, not by 100 unless by 400).
constexpr bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// Days in `month` (1-12) of `year`; 0 for a month out of range.
constexpr int DaysInMonth(int year, int month) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// True when the date exists and its year is 1-9999 (2025-02-30 does not).
constexpr bool IsValidCivilDate(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

namespace retention_internal {
// Neri & Schneider, "Euclidean affine functions and their application to
// calendar algorithms" (2022): 32-bit arithmetic, no divisions but by
// constants. The shift s = 82 makes days >= -12699422 non-negative.
inline constexpr std::uint32_t kEraShift = 82;
inline constexpr std::uint32_t kDayShift = 719468 + 146097 * kEraShift;  // to 0000-03-01
inline constexpr std::uint32_t kYearShift = 400 * kEraShift;
}  // namespace retention_internal

// The day number of a civil date. The date must exist; years from about
// -32000 to 2.9 million are computed exactly.
GDPRKIT_ALWAYS_INLINE constexpr DayNumber DaysFromCivil(int year, int month, int day) {
  using namespace retention_internal;
  const std::uint32_t j = month <= 2 ? 1 : 0;
  const std::uint32_t y = static_cast<std::uint32_t>(year) + kYearShift - j;
  const std::uint32_t m =
      j ? static_cast<std::uint32_t>(month) + 12 : static_cast<std::uint32_t>(month);
  const std::uint32_t d = static_cast<std::uint32_t>(day) - 1;
  const std::uint32_t c = y / 100;
  const std::uint32_t y_star = 1461 * y / 4 - c + c / 4;
  const std::uint32_t m_star = (979 * m - 2919) / 32;
  return static_cast<DayNumber>(static_cast<std::int64_t>(y_star + m_star + d) - kDayShift);
}

// The civil date of a day number. `days` must be >= -12699422 (about year
// -32800) and not kNoDate.
GDPRKIT_ALWAYS_INLINE constexpr CivilDate CivilFromDays(DayNumber days) {
  using namespace retention_internal;
  const std::uint32_t n = static_cast<std::uint32_t>(days) + kDayShift;
  const std::uint32_t n1 = 4 * n + 3;
  const std::uint32_t c = n1 / 146097;
  const std::uint32_t nc = n1 % 146097 / 4;
  const std::uint32_t n2 = 4 * nc + 3;
  const std::uint64_t p2 = std::uint64_t{2939745} * n2;
  const std::uint32_t z = static_cast<std::uint32_t>(p2 >> 32);
  const std::uint32_t ny = static_cast<std::uint32_t>(p2) / 2939745 / 4;
  const std::uint32_t y = 100 * c + z;
  const std::uint32_t n3 = 2141 * ny + 197913;
  const std::uint32_t m = n3 >> 16;
  const std::uint32_t d = (n3 & 0xFFFF) / 2141;
  const std::uint32_t j = ny >= 306 ? 1 : 0;
  return CivilDate{static_cast<int>(static_cast<std::int64_t>(y + j) - kYearShift),
                   static_cast<int>(j ? m - 12 : m), static_cast<int>(d + 1)};
}

constexpr DayNumber DaysFromCivil(const CivilDate& d) {
  return DaysFromCivil(d.year, d.month, d.day);
}

// First and last valid dates: 0001-01-01 and 9999-12-31.
inline constexpr DayNumber kMinDate = DaysFromCivil(1, 1, 1);
inline constexpr DayNumber kMaxDate = DaysFromCivil(9999, 12, 31);

// True when `days` is a valid date (not kNoDate, within [kMinDate, kMaxDate]).
constexpr bool IsValidDay(DayNumber days) { return days >= kMinDate && days <= kMaxDate; }

// "YYYY-MM-DD"; an empty string for kNoDate; years beyond 9999 are written
// with as many digits as they need.
inline std::string FormatDate(DayNumber days) {
  if (days == kNoDate) return std::string();
  const CivilDate c = CivilFromDays(days);
  std::string year = std::to_string(c.year < 0 ? -c.year : c.year);
  if (year.size() < 4) year.insert(0, 4 - year.size(), '0');
  if (c.year < 0) year.insert(0, 1, '-');
  const char month[3] = {static_cast<char>('0' + c.month / 10),
                         static_cast<char>('0' + c.month % 10), 0};
  const char day[3] = {static_cast<char>('0' + c.day / 10), static_cast<char>('0' + c.day % 10), 0};
  return year + "-" + month + "-" + day;
}

namespace retention_internal {
// The InvalidArgument error of ParseDate and ParsePeriod: `what` "text":
// `why`, where the text is withheld when it looks like a CPR number (the
// core's one test, src/common/redact.h, which this installed header cannot
// include) and shortened otherwise. `why` never repeats the text. Defined in
// src/retention/dates.cc, so only the error path leaves the inline parsers.
absl::Status BadText(std::string_view what, std::string_view text, std::string_view why);
}  // namespace retention_internal

// Parses a date written "YYYY-MM-DD" (four-digit year 0001-9999). Errors:
// InvalidArgument for another shape, and for a date that does not exist
// ("2025-02-30: February 2025 has 28 days"). The message repeats the text,
// except a text that looks like a CPR number, which is withheld.
inline absl::StatusOr<DayNumber> ParseDate(std::string_view text) {
  auto digits = [&](std::size_t pos, std::size_t n, int* out) {
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4, &y) ||
      !digits(5, 2, &m) || !digits(8, 2, &d)) {
    return retention_internal::BadText("invalid date", text, "expected YYYY-MM-DD");
  }
  if (y < 1) return retention_internal::BadText("invalid date", text, "year 0000 does not exist");
  if (m < 1 || m > 12) {
    return retention_internal::BadText("invalid date", text,
                                       "month " + std::to_string(m) + " does not exist");
  }
  if (d < 1 || d > DaysInMonth(y, m)) {
    static constexpr const char* kMonths[12] = {"January",   "February", "March",    "April",
                                                "May",       "June",     "July",     "August",
                                                "September", "October",  "November", "December"};
    return retention_internal::BadText("impossible date", text,
                                       std::string(kMonths[m - 1]) + " " + std::to_string(y) +
                                           " has " + std::to_string(DaysInMonth(y, m)) + " days");
  }
  return DaysFromCivil(y, m, d);
}

// The time zone in which times given with a zone are read, unless said
// otherwise.
inline constexpr std::string_view kDefaultTimeZone = "Europe/Copenhagen";

// The civil date of a date or time, in `zone` (an IANA name):
//   "2025-03-30"                    the date itself (no zone involved);
//   "2025-03-30T01:30:00"           a civil time, taken to be in `zone`: its date;
//   "2025-03-29T23:30:00Z",
//   "2025-03-29T23:30:00+00:00"     an instant: the date it falls on in `zone`
//                                   (here 2025-03-30 in Copenhagen).
// Fractional seconds are allowed; a space may stand for 'T'. Errors:
// InvalidArgument for a malformed or impossible date or time; FailedPrecondition
// when the zone cannot be loaded (on Debian the tzdata package provides them).
absl::StatusOr<DayNumber> ParseDateTime(std::string_view text,
                                        std::string_view zone = kDefaultTimeZone);

// The civil date on which an instant (seconds since 1970-01-01T00:00:00Z)
// falls in `zone`. Errors: FailedPrecondition when the zone cannot be loaded.
absl::StatusOr<DayNumber> DateOfInstant(std::int64_t unix_seconds,
                                        std::string_view zone = kDefaultTimeZone);

// ---------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------

// An ISO 8601 period of whole years, months, weeks and days ("P1Y6M", "P2W",
// "P0D"), kept as written.
struct Period {
  std::int32_t years = 0;
  std::int32_t months = 0;
  std::int32_t weeks = 0;
  std::int32_t days = 0;

  // Largest number accepted per component.
  static constexpr std::int32_t kMaxYears = 9999;
  static constexpr std::int32_t kMaxMonths = 99999;
  static constexpr std::int32_t kMaxWeeks = 99999;
  static constexpr std::int32_t kMaxDays = 999999;

  constexpr std::int32_t TotalMonths() const { return years * 12 + months; }
  constexpr std::int32_t TotalDays() const { return weeks * 7 + days; }
  constexpr bool IsZero() const { return TotalMonths() == 0 && TotalDays() == 0; }

  // The canonical text: components in order Y, M, W, D, zero ones left out;
  // "P0D" for the zero period.
  std::string ToString() const {
    std::string s = "P";
    if (years != 0) s += std::to_string(years) + "Y";
    if (months != 0) s += std::to_string(months) + "M";
    if (weeks != 0) s += std::to_string(weeks) + "W";
    if (days != 0) s += std::to_string(days) + "D";
    return s.size() == 1 ? "P0D" : s;
  }

  friend constexpr bool operator==(const Period& a, const Period& b) {
    return a.years == b.years && a.months == b.months && a.weeks == b.weeks && a.days == b.days;
  }
};

// Parses an ISO 8601 period: 'P' followed by one or more of nY, nM, nW, nD in
// that order, each at most once, n a non-negative whole number (at most
// Period::kMax...). Weeks may be combined with the others (ISO 8601-2). Time
// components ("PT12H"), fractions, signs, lower case and white space are
// refused. Errors: InvalidArgument naming the text (withheld when it looks
// like a CPR number) and what is wrong with it.
inline absl::StatusOr<Period> ParsePeriod(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return retention_internal::BadText("ill-formed period", text, why);
  };
  if (text.empty()) return bad("empty; write e.g. P14D, P3M, P1Y6M or P0D");
  if (text[0] == 'p') return bad("periods are upper case, e.g. P14D");
  if (text[0] != 'P') return bad("a period starts with 'P', e.g. P14D, P3M, P10Y");
  if (text.size() == 1) return bad("no components; write e.g. P14D or P0D");
  Period p;
  static constexpr char kOrder[] = "YMWD";
  int last = -1;
  std::size_t i = 1;
  while (i < text.size()) {
    const char c = text[i];
    if (c == 'T')
      return bad("time components (PT...) are not supported: retention counts whole days");
    if (c == '-' || c == '+') return bad("a period cannot be negative or signed");
    if (c < '0' || c > '9') {
      if (c >= 'a' && c <= 'z') return bad("designators are upper case (Y, M, W, D)");
      return bad(std::string("unexpected character '") + (c >= 0x20 && c < 0x7f ? c : '?') +
                 "' at position " + std::to_string(i + 1));
    }
    std::int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      n = n * 10 + (text[i] - '0');
      if (n > 99999999) return bad("number too large");
      ++i;
    }
    if (i == text.size()) {
      // Not the number itself: the message shows the text, or withholds it.
      return bad("the last number has no designator (Y, M, W or D)");
    }
    const char d = text[i];
    if (d == '.' || d == ',') return bad("fractions are not supported; use a smaller unit");
    int idx = -1;
    for (int k = 0; k < 4; ++k) {
      if (kOrder[k] == d) idx = k;
    }
    if (idx < 0) {
      if (d == 'T')
        return bad("time components (PT...) are not supported: retention counts whole days");
      if (d == 'H' || d == 'S')
        return bad("time components are not supported: retention counts whole days");
      if (d >= 'a' && d <= 'z') return bad("designators are upper case (Y, M, W, D)");
      return bad(std::string("unknown designator '") + (d >= 0x20 && d < 0x7f ? d : '?') +
                 "'; use Y, M, W or D");
    }
    if (idx <= last) {
      return bad(idx == last ? std::string("designator '") + d + "' appears twice"
                             : "components must come in the order Y, M, W, D");
    }
    last = idx;
    static constexpr std::int32_t kMax[4] = {Period::kMaxYears, Period::kMaxMonths,
                                             Period::kMaxWeeks, Period::kMaxDays};
    if (n > kMax[idx]) {
      return bad(std::string("at most ") + std::to_string(kMax[idx]) + " " +
                 (idx == 0   ? "years"
                  : idx == 1 ? "months"
                  : idx == 2 ? "weeks"
                             : "days"));
    }
    const auto v = static_cast<std::int32_t>(n);
    (idx == 0 ? p.years : idx == 1 ? p.months : idx == 2 ? p.weeks : p.days) = v;
    ++i;
  }
  return p;
}

// Adds a period to a date: first the years and months, ending on the same day
// number or, where that day does not exist, on the last day of the month
// (2025-11-30 + P15M = 2027-02-28; 2024-02-29 + P10Y = 2034-02-28); then the
// weeks and days. `date` must not be kNoDate.
GDPRKIT_ALWAYS_INLINE constexpr DayNumber AddPeriod(DayNumber date, const Period& period) {
  const std::int32_t months = period.TotalMonths();
  if (months == 0) return date + period.TotalDays();
  const CivilDate c = CivilFromDays(date);
  // Months counted from the shifted year 0, so that all is unsigned.
  const std::uint32_t m0 =
      (static_cast<std::uint32_t>(c.year) + retention_internal::kYearShift) * 12 +
      static_cast<std::uint32_t>(c.month - 1) + static_cast<std::uint32_t>(months);
  const std::uint32_t y = m0 / 12;
  const int month = static_cast<int>(m0 - y * 12) + 1;
  const int year = static_cast<int>(static_cast<std::int64_t>(y) - retention_internal::kYearShift);
  const int last = DaysInMonth(year, month);
  return DaysFromCivil(year, month, c.day < last ? c.day : last) + period.TotalDays();
}

// AddPeriod on text, for callers at the doors: a date "YYYY-MM-DD" plus an
// ISO 8601 period, as "YYYY-MM-DD". Errors: InvalidArgument naming the date or
// the period.
absl::StatusOr<std::string> AddPeriod(std::string_view date, std::string_view period);

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

// The anchor every record has: the day its data were collected.
inline constexpr std::string_view kCollectionEvent = "collection";

// True for event names as rules write them: 1-64 characters, a lower-case
// letter first, then lower-case letters, digits and '_'.
constexpr bool IsValidEventName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

struct EventInfo {
  std::string_view name;
  std::string_view title;
};

// Events the seed documents name, and their usual neighbours. A rule may use
// other well-formed names; Validate() mentions them (a typo of a well-known
// name is a warning).
inline constexpr EventInfo kWellKnownEvents[] = {
    {"collection", "the data were collected (the record was created)"},
    {"last_contact", "the last contact with the data subject"},
    {"last_entry", "the latest entry in the record (journal)"},
    {"last_processing", "the last processing of the case or claim"},
    {"purpose_fulfilled", "the purpose of the processing was achieved"},
    {"consent_withdrawn", "consent was withdrawn (Art. 7(3))"},
    {"consent_to_retain", "consent was given to keep the data longer"},
    {"objection_upheld", "an objection was upheld (Art. 21)"},
    {"provider_number_ended", "the provider number (ydernummer) ended in the region"},
    {"reporting_period_ended", "the reporting period ended"},
    {"application_rejected", "the application was rejected"},
    {"position_filled", "the position was filled"},
    {"employment_ended", "the employment ended"},
    {"contract_ended", "the contract ended"},
    {"subscription_ended", "the subscription ended or was cancelled"},
    {"sending_stopped", "the controller stopped sending (newsletters, notices)"},
    {"treatment_ended", "the course of treatment ended"},
    {"case_closed", "the case was closed"},
    {"account_closed", "the account was closed"},
    {"death", "the data subject died"},
};

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

// One problem with a retention rule as written. `field` is relative to the
// rule ("period", "ends_early[0].event").
struct RetentionRuleProblem {
  Severity severity = Severity::kError;
  std::string code;
  std::string field;
  std::string message;
};

// The problems of one rule, in field order. Codes (docs/retention.md):
// invalid-retention-period, invalid-retention-event, unknown-retention-action,
// retention-anchor-without-period, retention-extension-without-period (errors);
// unknown-retention-event (warning: probably a typo of a well-known event);
// custom-retention-event (info). A rule without period and early-end events
// is not a problem: it describes, and sweeps keep its records (reason
// kNoPeriod). Policy::Validate() reports the problems as findings at
// "retention_rules[i].<field>".
std::vector<RetentionRuleProblem> CheckRetentionRule(const RetentionRuleRef& rule);

// ---------------------------------------------------------------------------
// Sweeps
// ---------------------------------------------------------------------------

// Where a record stands on the sweep's date.
enum class RetentionStatus : std::uint8_t {
  kDue = 0,        // must be deleted: due since due_date (<= the sweep's date)
  kPending = 1,    // will be due on due_date (> the sweep's date)
  kKept = 2,       // no due date now; reason says why (for a retain-only rule,
                   // due_date is the end of the minimum retention)
  kHeld = 3,       // under a hold; due_date: when it would be due once released
                   // (kNoDate while the hold is open-ended)
  kMayDelete = 4,  // retain-only rules whose minimum has passed: no rule
                   // demands keeping or deleting it (due_date: since when)
  kInvalid = 5,    // the record's input is invalid (ErrorMode kCoerce or kReport)
};

// Why: what decided the date, or why there is none.
enum class RetentionReason : std::uint8_t {
  kPeriod = 0,         // the deciding rule's period from its anchor
  kEndedEarly = 1,     // an early-end event of the deciding rule
  kExtended = 2,       // an extension event of the deciding rule
  kAnchorPending = 3,  // the event it waits for has not happened (anchor column)
  kNoPeriod = 4,       // its rules state no period (descriptive only)
  kNoRule = 5,         // the record has no retention rule
  kHold = 6,           // a hold keeps it (hold column)
  kHoldReleased = 7,   // due on the day a hold was (or will be) released
  kInvalidInput = 8,   // see SweepReport::errors
};

// ---------------------------------------------------------------------------
// Names (the one place each is written; every door prints and parses these)
// ---------------------------------------------------------------------------
//
// For each enum: Parse... (InvalidArgument naming the valid choices and the
// nearest: `unknown retention status "du"; valid: "due", ...; did you mean
// "due"?`), ...Name (total: a number outside the enum prints as "unknown",
// or as said) and ...Names (the valid names, in the order of the values).

// "due", "pending", "kept", "held", "may-delete", "invalid" (also for a
// number beyond the enum).
absl::StatusOr<RetentionStatus> ParseRetentionStatus(std::string_view name);
std::string_view RetentionStatusName(RetentionStatus s);
std::vector<std::string_view> RetentionStatusNames();

// "period", "ended-early", "extended", "anchor-pending", "no-period",
// "no-rule", "hold", "hold-released", "invalid-input" (also for a number
// beyond the enum).
absl::StatusOr<RetentionReason> ParseRetentionReason(std::string_view name);
std::string_view RetentionReasonName(RetentionReason r);
std::vector<std::string_view> RetentionReasonNames();

// "delete_after", "retain_at_least", "retain_then_delete" (the policy
// file's DELETE_AFTER, ... are accepted too); kUnknown prints as "unknown".
absl::StatusOr<RetentionAction> ParseRetentionAction(std::string_view name);
std::string_view RetentionActionName(RetentionAction a);
std::vector<std::string_view> RetentionActionNames();

// Titles for people, in English (default) or Danish, as a DPO in Denmark
// reads them ("Skal slettes", "Opbevar mindst i perioden"): the one table
// of each, which every door shows. Total, like the names: a number beyond
// the enum gets the title of its name ("invalid", "invalid-input",
// "unknown").
std::string_view RetentionStatusTitle(RetentionStatus s, Language language = Language::kEnglish);
std::string_view RetentionReasonTitle(RetentionReason r, Language language = Language::kEnglish);
std::string_view RetentionActionTitle(RetentionAction a, Language language = Language::kEnglish);

// A hold on one record from `start` (inclusive) to `end` (exclusive: the day
// it is released, when the record may become due), or open-ended when `end`
// is kNoDate.
struct Hold {
  std::int32_t record = 0;  // row in the sweep input
  DayNumber start = kNoDate;
  DayNumber end = kNoDate;
};

// One event date column: a day per record, kNoDate where the event has not
// happened. The column named "collection" anchors rules without an anchor.
struct EventColumn {
  std::string_view name;
  absl::Span<const DayNumber> days;
};

// The records to sweep, as columns of equal length n (the length of
// `selector`). Borrowed: the spans must outlive the call.
struct SweepInput {
  // Per record: with empty `rule_sets`, an index into RetentionSchedule::rules();
  // otherwise an index into `rule_sets`.
  absl::Span<const std::int32_t> selector;
  // Sets of rule indices for records under several rules (or none: an empty
  // set means "no rule"). RetentionSchedule::Resolve turns a rule or purpose
  // id, or "a+b", into such a set.
  std::vector<std::vector<std::int32_t>> rule_sets;
  // Optional record ids (n of them) for messages and deletion logs; without
  // them records are named by row.
  absl::Span<const std::string_view> record_ids;
  // Event date columns, each of length n, each name at most once. Every event
  // a used rule refers to needs a column (an all-kNoDate column says "never
  // happened"); a name no rule knows is an error.
  std::vector<EventColumn> events;
  std::vector<Hold> holds;
};

// What a sweep does with records whose input is invalid: the common
// ErrorMode of gdprkit/common.h, with its one meaning at every door:
//   kRaise  (default) the sweep fails with InvalidArgument naming the first
//           invalid record (row, field) and counting the others;
//   kCoerce invalid records get status kInvalid (reason kInvalidInput); the
//           sweep succeeds and counts them (SweepReport::invalid), listing none;
//   kReport as kCoerce, and the report lists them (SweepReport::errors: row,
//           field, problem).
// InvalidRecords is the name of this option's type before 0.4 (its kFail is
// ErrorMode::kRaise); use ErrorMode.
using InvalidRecords = ErrorMode;

struct SweepOptions {
  SweepOptions() = default;
  // As the aggregate of 0.3 was written: SweepOptions{ErrorMode::kReport, 2}.
  SweepOptions(ErrorMode on_invalid, int threads = 1, std::size_t max_errors = 100)
      : on_invalid(on_invalid), threads(threads), max_errors(max_errors) {}

  ErrorMode on_invalid = ErrorMode::kRaise;
  // Worker threads (1: the calling thread only; 0: one per hardware thread).
  int threads = 1;
  // At most this many RecordErrors are kept (all are counted).
  std::size_t max_errors = 100;
  // Progress of the one stage "sweep" (gdprkit/common.h): total = the number
  // of records; it starts at 0 and ends at the total, also with several
  // threads (the workers count, the calling thread reports). Returning false
  // cancels: the sweep fails with CancelledError and `out` is unspecified.
  ProgressFn progress;
};

// What is wrong with an invalid record (RecordError::problem).
enum class RecordProblem : std::uint8_t {
  kDateOutOfRange = 0,      // a day number that is no date in 0001-9999
  kBeforeCollection = 1,    // an event dated before the record's collection
  kNoCollection = 2,        // no collection date where a rule counts from it
  kHoldWithoutStart = 3,    // a hold without a start date
  kHoldReleasedEarly = 4,   // a hold released before it began
  kSelectorOutOfRange = 5,  // a selector index that names no rule set
};

// "date-out-of-range", "before-collection", "no-collection",
// "hold-without-start", "hold-released-early", "selector-out-of-range".
absl::StatusOr<RecordProblem> ParseRecordProblem(std::string_view name);
std::string_view RecordProblemName(RecordProblem p);
std::vector<std::string_view> RecordProblemNames();
std::string_view RecordProblemTitle(RecordProblem p, Language language = Language::kEnglish);

// One invalid record.
struct RecordError {
  std::int64_t row = 0;   // 0-based row in the input
  std::string record_id;  // as given, or empty (withheld when it looks like a CPR number)
  std::string field;      // "collection", an event name, "selector", "holds[3]"
  RecordProblem problem = RecordProblem::kDateOutOfRange;  // what is wrong, as a name
  std::string message;  // what is wrong, without the record (may hold its dates)
  // "record \"r-7\" (row 7), field \"last_contact\": <message>"
  std::string ToString() const;
};

struct SweepReport {
  std::int64_t records = 0;
  std::int64_t due = 0;
  std::int64_t pending = 0;
  std::int64_t kept = 0;
  std::int64_t held = 0;
  std::int64_t may_delete = 0;
  std::int64_t invalid = 0;         // records with status kInvalid
  std::vector<RecordError> errors;  // with ErrorMode::kReport: the first max_errors, in row order
  // True when every record was answered (no kInvalid).
  bool complete() const { return invalid == 0; }
};

// Caller-owned output columns of length n. `hold` may be empty.
struct SweepColumns {
  absl::Span<RetentionStatus> status;
  absl::Span<DayNumber> due_date;   // see RetentionStatus; kNoDate when none
  absl::Span<std::int32_t> rule;    // deciding rule (index into rules()), -1 when none
  absl::Span<std::int32_t> anchor;  // deciding event (index into events()), -1 when none
  absl::Span<RetentionReason> reason;
  absl::Span<std::int32_t> hold;  // index into SweepInput::holds, -1 when none
};

// Output columns owned by the result, with the report.
struct SweepResult {
  std::vector<RetentionStatus> status;
  std::vector<DayNumber> due_date;
  std::vector<std::int32_t> rule;
  std::vector<std::int32_t> anchor;
  std::vector<RetentionReason> reason;
  std::vector<std::int32_t> hold;
  SweepReport report;
};

// A compiled rule.
struct CompiledRetentionEvent {
  std::int32_t event = -1;  // index into RetentionSchedule::events()
  Period period;
};

struct CompiledRetentionRule {
  std::string id;
  RetentionAction action = RetentionAction::kDeleteAfter;
  bool has_period = false;
  Period period;
  std::int32_t anchor = 0;  // index into events(); 0 is "collection"
  std::vector<CompiledRetentionEvent> ends_early;
  std::vector<CompiledRetentionEvent> extended_by;
  // True when the rule can decide a date (a period or an early-end event).
  bool structured() const { return has_period || !ends_early.empty(); }
  bool keeps() const {
    return action == RetentionAction::kRetainAtLeast ||
           action == RetentionAction::kRetainThenDelete;
  }
  bool deletes() const {
    return action == RetentionAction::kDeleteAfter || action == RetentionAction::kRetainThenDelete;
  }
};

// Retention rules compiled for sweeps. Immutable; safe to share between
// threads.
//
// Decision for one record on date T (docs/retention.md):
//  1. Each structured rule ends on anchor + period (never, while the anchor
//     event has not happened), no earlier than any extension event + its
//     period, and no later than any early-end event + its period.
//  2. Deletion date D: the earliest end among deleting rules (DELETE_AFTER,
//     RETAIN_THEN_DELETE) that have one. Retention R: the latest end among
//     retaining rules (RETAIN_AT_LEAST, RETAIN_THEN_DELETE); never if one of
//     them waits for its anchor. Retention beats deletion: due on max(D, R).
//  3. Holds beat everything: on a day under a hold the record is held; a due
//     date that falls under a hold moves to the day the hold is released.
class RetentionSchedule {
 public:
  // Compiles the policy's retention rules and maps its purposes to them.
  // Errors: InvalidArgument naming each rule and field with an error-level
  // problem (see CheckRetentionRule), so that no sweep runs on a rule that
  // cannot be read.
  static absl::StatusOr<RetentionSchedule> FromPolicy(const Policy& policy);

  // Compiles rules given directly (no purposes). Errors as FromPolicy, and
  // InvalidArgument for empty or duplicate rule ids.
  static absl::StatusOr<RetentionSchedule> FromRules(absl::Span<const RetentionRuleRef> rules);

  absl::Span<const CompiledRetentionRule> rules() const { return rules_; }
  // Event names: [0] is "collection", then the events the rules name, in
  // order of first mention.
  absl::Span<const std::string> events() const { return events_; }

  // Index of a rule or an event; -1 when unknown.
  std::int32_t RuleIndex(std::string_view id) const;
  std::int32_t EventIndex(std::string_view name) const;

  // Index of an event. Errors: InvalidArgument `unknown event name "x": no
  // rule of the schedule refers to it; did you mean "y"?`.
  absl::StatusOr<std::int32_t> FindEvent(std::string_view name) const;

  // The rule indices for a selector text: a rule id, a purpose id (its
  // rule; none when the purpose has none), or several joined by '+'
  // ("patient-record+legal-claims"). A rule id wins over a purpose id of the
  // same name. Empty text: no rule. Errors: NotFound naming the unknown id and
  // the nearest known ones.
  absl::StatusOr<std::vector<std::int32_t>> Resolve(std::string_view text) const;

  // Sweeps the records as of `as_of`, writing n rows into `out`. Errors:
  // InvalidArgument for inconsistent input (column lengths, unknown or
  // duplicate event columns, a missing column a used rule needs, a selector or
  // hold row out of range, an invalid as_of), and, with ErrorMode::kRaise,
  // for the first invalid record (naming record and field; "(and N more)").
  // Invalid records: an impossible date, an event before collection, no
  // collection date where a rule counts from it, a hold without start or
  // released before it began. Cancelled (naming the stage) when
  // options.progress returns false. On error `out` is unspecified.
  absl::StatusOr<SweepReport> SweepInto(const SweepInput& input, DayNumber as_of,
                                        const SweepColumns& out,
                                        const SweepOptions& options = {}) const;

  // SweepInto with freshly allocated columns.
  absl::StatusOr<SweepResult> Sweep(const SweepInput& input, DayNumber as_of,
                                    const SweepOptions& options = {}) const;

  // One record's decision, line by line: each rule's arithmetic, the
  // deletion and retention dates, which won, the holds, the verdict's titles
  // in `language` ("verdict: To be deleted later (The rule's period from its
  // anchor)"), and last the verdict as the sweep gives it ("=> pending
  // 2027-02-28, rule \"...\", anchor provider_number_ended, reason period").
  // Errors as SweepInto, and InvalidArgument for that record's invalid input;
  // NotFound for a row out of range.
  absl::StatusOr<std::string> Explain(const SweepInput& input, std::int64_t row, DayNumber as_of,
                                      Language language = Language::kEnglish) const;

 private:
  RetentionSchedule() = default;
  static absl::StatusOr<RetentionSchedule> Compile(absl::Span<const RetentionRuleRef> rules,
                                                   std::string_view source);
  std::int32_t InternEvent(std::string_view name);

  std::vector<CompiledRetentionRule> rules_;
  std::vector<std::string> events_;
  // Purpose id -> rule index (-1: the purpose names no rule or an unknown one).
  std::vector<std::pair<std::string, std::int32_t>> purposes_;
};

// ---------------------------------------------------------------------------
// Records from columns
// ---------------------------------------------------------------------------
//
// What every door does before a sweep: a CSV file read by the command line,
// a DataFrame in Python, arrays in C++, all arrive as named columns, and
// LoadRecords turns them into a SweepInput (rule sets from the selector
// texts, dates from texts, holds from hold columns) with one set of checks
// and messages. The door keeps only what is its own: reading the file or the
// frame, and saying where a problem is in its own terms (a file's line, a
// frame's row label).

// A column of dates as a door holds it: `texts` (ISO dates "YYYY-MM-DD" or
// times, read in RecordColumns::zone; "" is missing), or `days` the door
// converted itself (kNoDate is missing). The one that is given has one entry
// per row. Borrowed.
struct DateColumn {
  std::string_view name;  // the column's name, for messages
  absl::Span<const std::string_view> texts;
  absl::Span<const DayNumber> days;
};

// An event and the column of its dates.
struct EventDates {
  std::string_view event;  // as the rules name it ("collection", "last_contact")
  DateColumn dates;
};

// The records to sweep as named columns of `rows` entries each. Borrowed:
// everything must outlive the LoadedRecords made from it.
struct RecordColumns {
  std::size_t rows = 0;
  // What selects each record's rules: a rule or purpose id, several joined
  // by '+', "" for none (RetentionSchedule::Resolve). The column's name, for
  // messages ...
  std::string_view selector_name = "purpose";
  // ... and either one text per row ...
  absl::Span<const std::string_view> selector;
  // ... or per row a code into `selector_values` (< 0: no rule), as
  // categorical data hold them. Only the values some row uses are resolved.
  absl::Span<const std::int32_t> selector_codes;
  absl::Span<const std::string_view> selector_values;
  // Optional record ids (one per row), for messages and Explain.
  absl::Span<const std::string_view> record_ids;
  // Event date columns, each event at most once.
  std::vector<EventDates> events;
  // At most one hold per row, from two columns (given when named): a row
  // with a start or an end has a hold; an empty end is open-ended.
  DateColumn hold_start;
  DateColumn hold_end;
  // Any number of holds: the row each holds, and columns of their starts and
  // ends (as long as hold_rows).
  absl::Span<const std::int32_t> hold_rows;
  DateColumn hold_starts;
  DateColumn hold_ends;
  // Where date texts with a zone offset are read.
  std::string_view zone = kDefaultTimeZone;
};

// The SweepInput made from RecordColumns, with what it owns (the selector,
// the dates parsed from texts). Move-only: input() points into it and into
// the columns it was made from.
class LoadedRecords {
 public:
  LoadedRecords(LoadedRecords&&) = default;
  LoadedRecords& operator=(LoadedRecords&&) = default;
  LoadedRecords(const LoadedRecords&) = delete;
  LoadedRecords& operator=(const LoadedRecords&) = delete;

  const SweepInput& input() const { return input_; }
  std::size_t rows() const { return input_.selector.size(); }

  // The column a RecordError's field of a sweep of input() is in: an event's
  // column, the selector's ("selector"), the hold columns joined by '/'
  // ("holds[3]": "hold_start/hold_end"); other fields as they are.
  std::string ColumnOf(std::string_view field) const;

 private:
  friend absl::StatusOr<LoadedRecords> LoadRecords(const RetentionSchedule&, const RecordColumns&,
                                                   RecordError*);
  LoadedRecords() = default;

  SweepInput input_;
  std::vector<std::int32_t> selector_;
  std::vector<std::vector<DayNumber>> parsed_;  // days of the text columns
  // (field, column) for ColumnOf.
  std::vector<std::pair<std::string, std::string>> columns_;
  std::string holds_column_;
};

// Turns the columns into a sweep's input for `schedule` (which must outlive
// it). Errors: InvalidArgument for columns that do not fit (lengths, an
// unknown or repeated event, neither or both kinds of selector, a hold_end
// column without hold_start); and for the first record in row order whose
// input cannot be read: a date text that does not parse (InvalidArgument),
// a selector naming no rule or purpose (NotFound, with the nearest ids) or a
// purpose whose rule the policy lacks (FailedPrecondition). The message of a
// record's problem is RecordError::ToString(); when `bad` is given, it gets
// the record's error (row, id, field: the column's name, message without the
// record) so that a door can say where in its own terms; its row is -1 when
// the problem is not a record's. What the sweep itself checks (dates before
// collection, holds, missing columns a rule needs) it still checks.
absl::StatusOr<LoadedRecords> LoadRecords(const RetentionSchedule& schedule,
                                          const RecordColumns& columns, RecordError* bad = nullptr);

}  // namespace gdprkit

#endif  // GDPRKIT_RETENTION_H_
