// gdprkit/identifiers.h: Danish identifiers, checked and normalised.
//
// The vault pseudonymises and tokenises identifiers only in their normalised
// form, so that "010203-1234" and " 0102031234" give the same pseudonym. This
// header checks and normalises, one value at a time or a whole column at once:
//
//   kind             accepted input                          normal form
//   CPR number       DDMMYY-SSSS or DDMMYYSSSS               10 digits
//   CVR number       12345678, "DK12345678", "DK 12 34 56 78" 8 digits
//   GLN / location   13 digits (spaces between groups ok)    13 digits
//   provider number  1-6 digits (ydernummer)                 6 digits, zero-padded
//   SOR code         11-18 digits                            as given
//   other            any text up to 256 bytes                trimmed text
//
// The rules:
//   - CPR: the first six digits are a date (DDMMYY); the 7th digit together
//     with the year gives the century (CPR-kontoret's table): 0-3 -> 1900s;
//     4 and 9 -> 2000-2036 for YY <= 36, else 1937-1999; 5-8 -> 2000-2057 for
//     YY <= 57, else 1858-1899. Numbers issued since 1 October 2007 need not
//     pass the modulus-11 check (weights 4,3,2,7,6,5,4,3,2,1), so it is
//     reported but not required unless IdOptions::cpr_require_modulus11.
//     Replacement numbers (erstatningspersonnumre) as CPR-kontoret recommends
//     them have 6 added to the first digit of the day (day 61-91); they are
//     accepted and flagged unless IdOptions::cpr_allow_replacement is false.
//     A number whose birth date (the real day for a replacement number) lies
//     after the date it is checked on cannot have been issued: it is
//     kFutureBirthDate unless IdOptions::cpr_allow_future. That date is
//     IdOptions::cpr_as_of, by default today's date in Denmark.
//   - CVR: 8 digits, not starting with 0, weighted sum with weights
//     2,7,6,5,4,3,2,1 divisible by 11. An optional "DK" prefix (VAT number
//     form) is dropped.
//   - GLN (lokationsnummer): 13 digits whose last is the GS1 modulo-10 check
//     digit (weights 3,1,3,... from the right, check digit excluded).
//   - Provider number (ydernummer, Yderregisteret): up to 6 digits, padded with
//     leading zeros to 6 (spreadsheets drop them), not all zeros. No check digit
//     is published for provider numbers, so only the form is checked.
//   - SOR code (Sundhedsvaesenets Organisationsregister): 11 to 18 digits (the
//     HL7 DK core profile's minimum) whose last digit is a Verhoeff check digit,
//     as in SNOMED CT identifiers, from which SOR codes are built.
// Leading and trailing ASCII white space is ignored for every kind.
//
// Rejections say why (IdProblem, IdProblemText) but never repeat the value:
// messages and logs must not carry the identifiers they protect.
//
// The checks are inline, allocation-free per value, and safe to use from any
// thread; the words for people (IdKindFromName, IdProblemFromCode,
// IdProblemText, IdKindTitle) come from the library's tables. It is pure but for one thing: unless
// the caller gives the date (IdOptions::cpr_as_of), CPR checks read the system clock for today's
// date (once per column; for single values only when a birth date lies after the latest date the
// process has read).
#ifndef GDPRKIT_IDENTIFIERS_H_
#define GDPRKIT_IDENTIFIERS_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gdprkit/common.h"

namespace gdprkit {

// The kinds of identifier the library knows. The numbers are stable: they are
// stored in vault files and cross the C ABI.
enum class IdKind : std::uint8_t {
  kCpr = 1,             // Danish personal identification number (CPR-nummer).
  kCvr = 2,             // Central Business Register number (CVR-nummer).
  kGln = 3,             // GS1 Global Location Number (lokationsnummer).
  kProviderNumber = 4,  // Ydernummer from Yderregisteret.
  kSor = 5,             // SOR code (Sundhedsvaesenets Organisationsregister).
  kOther = 6,           // Any other identifier: text, only trimmed.
};

// Why a value was rejected. Stable numbers (C ABI, batch results).
enum class IdProblem : std::uint8_t {
  kNone = 0,                // Accepted.
  kEmpty = 1,               // Nothing but white space.
  kTooLong = 2,             // Longer than the kind allows (or than kMaxIdInput).
  kBadCharacter = 3,        // A character that is not allowed for the kind.
  kBadSeparator = 4,        // A dash or space in the wrong place, or too many.
  kBadLength = 5,           // Wrong number of digits.
  kBadDate = 6,             // CPR: the first six digits are not a calendar date.
  kBadCheckDigit = 7,       // Check digit (modulus 11 / GS1 / Verhoeff) fails.
  kLeadingZero = 8,         // CVR: numbers never start with 0.
  kAllZeros = 9,            // Provider number 000000.
  kReplacementNumber = 10,  // CPR replacement number where they are not allowed.
  kFutureBirthDate = 11,    // CPR: the birth date lies after the reference date.
};

// The longest input looked at; longer values are rejected with kTooLong
// without being scanned.
inline constexpr std::size_t kMaxIdInput = 1024;
// The longest normal form (kOther); numeric kinds are at most 18 digits.
inline constexpr std::size_t kMaxNormalizedId = 256;

// A calendar date (proleptic Gregorian), for IdOptions::cpr_as_of. The
// default, {0, 0, 0}, is "no date given".
struct IdDate {
  int year = 0;
  int month = 0;  // 1-12
  int day = 0;    // 1-31

  constexpr bool empty() const { return year == 0 && month == 0 && day == 0; }
  friend constexpr bool operator==(const IdDate& a, const IdDate& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend constexpr bool operator!=(const IdDate& a, const IdDate& b) { return !(a == b); }
};

// Knobs for the checks; the defaults follow the rules in the file comment.
struct IdOptions {
  // Require the CPR modulus-11 check (only right for numbers known to be
  // issued before 1 October 2007).
  bool cpr_require_modulus11 = false;
  // Accept CPR replacement numbers (day + 60).
  bool cpr_allow_replacement = true;
  // Pad provider numbers of fewer than 6 digits with leading zeros; when false
  // exactly 6 digits are required.
  bool pad_provider_number = true;
  // Accept CPR numbers whose birth date lies after cpr_as_of (test numbers,
  // or data checked against a date of its own); otherwise they are
  // kFutureBirthDate.
  bool cpr_allow_future = false;
  // The date on which CPR numbers are judged: a birth date after it cannot
  // have been issued. Empty (the default): today's date in Denmark
  // (TodayInDenmark); CheckIds and NormalizeIds read the clock once per
  // column (ResolveCprAsOf). It must be a real date (IsValidIdDate).
  IdDate cpr_as_of;
};

// What a CPR number says, filled by CheckCpr for accepted numbers.
struct CprInfo {
  int year = 0;              // Full year of birth, from the century rule.
  int month = 0;             // 1-12.
  int day = 0;               // 1-31 (the real day also for replacement numbers).
  bool replacement = false;  // An erstatningspersonnummer (day + 60).
  bool modulus11 = false;    // Passes the pre-2007 modulus-11 check.
  bool female = false;       // Last digit even.
};

// The vocabulary of kinds: one row per kind, in the order every door lists
// them, with its name (what callers type: kind="cpr", --type cpr,
// gdprkit_id_kind_parse) and its label (what messages say). The only place
// these words are written; a new kind is one row here plus its check.
struct IdKindInfo {
  IdKind kind;
  std::string_view name;   // lower-case, stable: "provider_number"
  std::string_view label;  // for messages: "provider number (ydernummer)"
};
inline constexpr IdKindInfo kIdKinds[] = {
    {IdKind::kCpr, "cpr", "CPR number"},
    {IdKind::kCvr, "cvr", "CVR number"},
    {IdKind::kGln, "gln", "GLN (location number)"},
    {IdKind::kProviderNumber, "provider_number", "provider number (ydernummer)"},
    {IdKind::kSor, "sor", "SOR code"},
    {IdKind::kOther, "other", "identifier"},
};
// Further names ParseIdKind accepts (not listed as choices).
struct IdKindAlias {
  std::string_view name;
  IdKind kind;
};
inline constexpr IdKindAlias kIdKindAliases[] = {
    {"location", IdKind::kGln},
    {"lokationsnummer", IdKind::kGln},
    {"provider", IdKind::kProviderNumber},
    {"ydernummer", IdKind::kProviderNumber},
    {"yder", IdKind::kProviderNumber},
};

// The lower-case name of a kind: "cpr", "cvr", "gln", "provider_number",
// "sor", "other"; "unknown" for a number outside the enum.
inline std::string_view IdKindName(IdKind kind) {
  for (const IdKindInfo& k : kIdKinds) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

// A human label of a kind for messages: "CPR number", "provider number", ...
inline std::string_view IdKindLabel(IdKind kind) {
  for (const IdKindInfo& k : kIdKinds) {
    if (k.kind == kind) return k.label;
  }
  return "identifier";
}

// The names of the kinds, in table order.
inline std::vector<std::string_view> IdKindNames() {
  std::vector<std::string_view> out;
  for (const IdKindInfo& k : kIdKinds) out.push_back(k.name);
  return out;
}

// The kind named `name` (IdKindName's names, plus the aliases "ydernummer",
// "yder", "provider", "location", "lokationsnummer"; case-insensitive, '-'
// for '_'), or nullopt.
inline std::optional<IdKind> ParseIdKind(std::string_view name) {
  char buf[24];
  if (name.empty() || name.size() >= sizeof(buf)) return std::nullopt;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : (c == '-' ? '_' : c);
  }
  std::string_view n(buf, name.size());
  for (const IdKindInfo& k : kIdKinds) {
    if (k.name == n) return k.kind;
  }
  for (const IdKindAlias& a : kIdKindAliases) {
    if (a.name == n) return a.kind;
  }
  return std::nullopt;
}

// ParseIdKind with a status: InvalidArgument `unknown identifier kind "x";
// valid: "cpr", ... and "other"; did you mean "cvr"?` (the text withheld when
// it looks like a CPR number). Defined in the vault area
// (src/vault/vocabulary.cc), so it needs the library, unlike the rest of this
// header.
absl::StatusOr<IdKind> IdKindFromName(std::string_view name);

// The vocabulary of problems, by number: their stable snake_case codes.
struct IdProblemInfo {
  IdProblem problem;
  std::string_view code;
};
inline constexpr IdProblemInfo kIdProblems[] = {
    {IdProblem::kNone, "ok"},
    {IdProblem::kEmpty, "empty"},
    {IdProblem::kTooLong, "too_long"},
    {IdProblem::kBadCharacter, "bad_character"},
    {IdProblem::kBadSeparator, "bad_separator"},
    {IdProblem::kBadLength, "bad_length"},
    {IdProblem::kBadDate, "bad_date"},
    {IdProblem::kBadCheckDigit, "bad_check_digit"},
    {IdProblem::kLeadingZero, "leading_zero"},
    {IdProblem::kAllZeros, "all_zeros"},
    {IdProblem::kReplacementNumber, "replacement_number"},
    {IdProblem::kFutureBirthDate, "future_birth_date"},
};

// A stable snake_case code for a problem ("bad_check_digit"), for columns
// of results and for the C ABI; "unknown" for a number outside the enum.
inline std::string_view IdProblemCode(IdProblem problem) {
  for (const IdProblemInfo& p : kIdProblems) {
    if (p.problem == problem) return p.code;
  }
  return "unknown";
}

// The codes, by number ("ok" first).
inline std::vector<std::string_view> IdProblemCodes() {
  std::vector<std::string_view> out;
  for (const IdProblemInfo& p : kIdProblems) out.push_back(p.code);
  return out;
}

// The problem whose code is `code`; InvalidArgument naming the valid codes
// otherwise. Defined in src/vault/vocabulary.cc, like IdKindFromName.
absl::StatusOr<IdProblem> IdProblemFromCode(std::string_view code);

// Why a value of `kind` was rejected, in a sentence that never repeats the
// value ("a CPR number has 10 digits (DDMMYY-SSSS)"); in Danish with
// Language::kDanish ("et CPR-nummer har 10 cifre (DDMMÅÅ-SSSS)"). One table
// of both languages (src/vault/vocabulary.cc) feeds every door. Defined in
// the library, like IdKindFromName.
std::string_view IdProblemText(IdKind kind, IdProblem problem,
                               Language language = Language::kEnglish);

// The title of a kind for people, in `language`: "CPR number" / "CPR-nummer",
// "provider number (ydernummer)" / "ydernummer", ... (kEnglish: IdKindLabel).
// Defined in the library.
std::string_view IdKindTitle(IdKind kind, Language language);

namespace id_internal {

inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

inline std::string_view Trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

inline bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

inline int DaysInMonth(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Copies the digits of `s` to `out` (capacity `cap`), allowing single spaces
// between digit groups. Returns the number of digits or a problem.
inline IdProblem DigitsWithSpaces(std::string_view s, char* out, std::size_t cap, std::size_t* n) {
  *n = 0;
  bool prev_space = true;  // no space allowed first (already trimmed anyway)
  for (char c : s) {
    if (IsDigit(c)) {
      if (*n >= cap) return IdProblem::kBadLength;
      out[(*n)++] = c;
      prev_space = false;
    } else if (c == ' ') {
      if (prev_space) return IdProblem::kBadSeparator;
      prev_space = true;
    } else {
      return IdProblem::kBadCharacter;
    }
  }
  return IdProblem::kNone;
}

inline bool ValidUtf8NoControls(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return false;
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0)) {
      return false;
    }
    i += len;
  }
  return true;
}

inline int D(char c) { return c - '0'; }

// Rounds towards minus infinity (b > 0).
constexpr std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - (a % b < 0 ? 1 : 0);
}

// Days since 1970-01-01 of a date, counting years from 1 March so that the
// leap day comes last: 146097 days per 400 years, 1461 per 4.
constexpr std::int64_t DaysFromCivil(std::int64_t year, int month, int day) {
  const std::int64_t y = month <= 2 ? year - 1 : year;
  const std::int64_t era = FloorDiv(y, 400);
  const std::int64_t year_of_era = y - era * 400;                  // 0-399
  const int month_from_march = month > 2 ? month - 3 : month + 9;  // 0-11
  const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;  // 719468: 0000-03-01 to 1970-01-01
}

// The inverse of DaysFromCivil.
constexpr IdDate CivilFromDays(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = FloorDiv(z, 146097);
  const std::int64_t day_of_era = z - era * 146097;  // 0-146096
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const int month =
      static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return IdDate{static_cast<int>(year), month, day};
}

// The day number of the last Sunday of `month` (a month of 31 days).
constexpr std::int64_t LastSundayOf(std::int64_t year, int month) {
  const std::int64_t last = DaysFromCivil(year, month, 31);
  return last - (((last + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday (4)
}

// Year, month, day as one number that orders like the dates.
constexpr std::int32_t DateKey(int year, int month, int day) {
  return year * 10000 + month * 100 + day;
}

// True when year-month-day lies after `date`.
constexpr bool IsAfter(int year, int month, int day, const IdDate& date) {
  if (year != date.year) return year > date.year;
  if (month != date.month) return month > date.month;
  return day > date.day;
}

}  // namespace id_internal

// True when `date` exists in the years 1-9999 (2026-02-29 does not).
inline bool IsValidIdDate(const IdDate& date) {
  return date.year >= 1 && date.year <= 9999 && date.month >= 1 && date.month <= 12 &&
         date.day >= 1 && date.day <= id_internal::DaysInMonth(date.year, date.month);
}

// The date in Denmark at an instant (seconds since 1970-01-01T00:00:00Z):
// Central European Time (UTC+1), and summer time (UTC+2) from 01:00 UTC on
// the last Sunday of March to 01:00 UTC on the last Sunday of October, the
// rule in force since 1996. Computed, not looked up in the system's time-zone
// database, so that every machine (also one without tzdata, or set to another
// zone) gets the same date.
constexpr IdDate DateInDenmark(std::int64_t unix_seconds) {
  using namespace id_internal;
  const int utc_year = CivilFromDays(FloorDiv(unix_seconds, 86400)).year;
  const std::int64_t summer_from = LastSundayOf(utc_year, 3) * 86400 + 3600;
  const std::int64_t summer_until = LastSundayOf(utc_year, 10) * 86400 + 3600;
  const bool summer = unix_seconds >= summer_from && unix_seconds < summer_until;
  return CivilFromDays(FloorDiv(unix_seconds + (summer ? 7200 : 3600), 86400));
}

// Today's date in Denmark (DateInDenmark), from the system clock.
inline IdDate TodayInDenmark() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return DateInDenmark(std::chrono::floor<std::chrono::seconds>(since_epoch).count());
}

// `options` with an empty cpr_as_of set to TodayInDenmark(), unless future
// birth dates are accepted anyway (then nothing needs the date). Batches call
// it once, so that the clock is read once and every row is judged on the same
// date, also across midnight.
inline IdOptions ResolveCprAsOf(const IdOptions& options) {
  IdOptions out = options;
  if (!out.cpr_allow_future && out.cpr_as_of.empty()) out.cpr_as_of = TodayInDenmark();
  return out;
}

namespace id_internal {

// The latest date this process has read from the clock (DateKey; 0: none).
// Dates do not go back, so a birth date on or before it is not in the
// future and the clock need not be read again: single values, and batches
// whose options were not resolved, read it only for a birth date after it
// (a newborn's, or one that is in the future). A clock set back (from a
// wrong date in the future) is seen by resolved batches at once, by these
// only when the process restarts.
inline std::atomic<std::int32_t>& LatestToday() {
  static std::atomic<std::int32_t> latest{0};
  return latest;
}

// True when year-month-day lies after today's date in Denmark.
inline bool IsAfterToday(int year, int month, int day) {
  const std::int32_t key = DateKey(year, month, day);
  std::int32_t latest = LatestToday().load(std::memory_order_relaxed);
  if (key <= latest) return false;
  const IdDate today = TodayInDenmark();
  const std::int32_t today_key = DateKey(today.year, today.month, today.day);
  while (today_key > latest &&
         !LatestToday().compare_exchange_weak(latest, today_key, std::memory_order_relaxed)) {
  }
  return key > today_key;
}

}  // namespace id_internal

// Checks a CPR number and writes its 10 digits to `out` (which must hold 10
// chars; not NUL-terminated). On success fills `info` when not null. Returns
// kNone or why it was rejected.
inline IdProblem CheckCpr(std::string_view input, char out[10], CprInfo* info = nullptr,
                          const IdOptions& options = IdOptions()) {
  using namespace id_internal;
  if (input.size() > kMaxIdInput) return IdProblem::kTooLong;
  std::string_view s = Trim(input);
  if (s.empty()) return IdProblem::kEmpty;
  std::size_t n = 0;
  bool dash = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (IsDigit(c)) {
      if (n >= 10) return IdProblem::kBadLength;
      out[n++] = c;
    } else if (c == '-') {
      if (dash || n != 6) return IdProblem::kBadSeparator;
      dash = true;
    } else if (c == ' ') {
      return IdProblem::kBadSeparator;
    } else {
      return IdProblem::kBadCharacter;
    }
  }
  if (n != 10) return IdProblem::kBadLength;
  int dd = D(out[0]) * 10 + D(out[1]);
  int mm = D(out[2]) * 10 + D(out[3]);
  int yy = D(out[4]) * 10 + D(out[5]);
  int c7 = D(out[6]);
  bool replacement = false;
  if (dd > 60) {
    replacement = true;
    dd -= 60;
  }
  int year;
  if (c7 <= 3) {
    year = 1900 + yy;
  } else if (c7 == 4 || c7 == 9) {
    year = yy <= 36 ? 2000 + yy : 1900 + yy;
  } else {
    year = yy <= 57 ? 2000 + yy : 1800 + yy;
  }
  if (mm < 1 || mm > 12 || dd < 1 || dd > id_internal::DaysInMonth(year, mm))
    return IdProblem::kBadDate;
  if (!options.cpr_allow_future &&
      (options.cpr_as_of.empty() ? IsAfterToday(year, mm, dd)
                                 : IsAfter(year, mm, dd, options.cpr_as_of))) {
    return IdProblem::kFutureBirthDate;
  }
  if (replacement && !options.cpr_allow_replacement) return IdProblem::kReplacementNumber;
  static constexpr int kWeights[10] = {4, 3, 2, 7, 6, 5, 4, 3, 2, 1};
  int sum = 0;
  for (int i = 0; i < 10; ++i) sum += D(out[i]) * kWeights[i];
  bool mod11 = sum % 11 == 0;
  if (options.cpr_require_modulus11 && !mod11) return IdProblem::kBadCheckDigit;
  if (info != nullptr) {
    info->year = year;
    info->month = mm;
    info->day = dd;
    info->replacement = replacement;
    info->modulus11 = mod11;
    info->female = D(out[9]) % 2 == 0;
  }
  return IdProblem::kNone;
}

// Checks a CVR number and writes its 8 digits to `out`.
inline IdProblem CheckCvr(std::string_view input, char out[8]) {
  using namespace id_internal;
  if (input.size() > kMaxIdInput) return IdProblem::kTooLong;
  std::string_view s = Trim(input);
  if (s.empty()) return IdProblem::kEmpty;
  if (s.size() >= 2 && (s[0] == 'D' || s[0] == 'd') && (s[1] == 'K' || s[1] == 'k')) {
    s.remove_prefix(2);
    if (!s.empty() && (s[0] == ' ' || s[0] == '-')) s.remove_prefix(1);
    if (s.empty()) return IdProblem::kBadLength;
  }
  std::size_t n = 0;
  IdProblem p = DigitsWithSpaces(s, out, 8, &n);
  if (p != IdProblem::kNone) return p;
  if (n != 8) return IdProblem::kBadLength;
  if (out[0] == '0') return IdProblem::kLeadingZero;
  static constexpr int kWeights[8] = {2, 7, 6, 5, 4, 3, 2, 1};
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += D(out[i]) * kWeights[i];
  return sum % 11 == 0 ? IdProblem::kNone : IdProblem::kBadCheckDigit;
}

// The GS1 modulo-10 check digit for the digits in `body` (all but the check
// digit), as a char '0'-'9'.
inline char Gs1CheckDigit(std::string_view body) {
  int sum = 0;
  int weight = 3;
  for (std::size_t i = body.size(); i-- > 0;) {
    sum += id_internal::D(body[i]) * weight;
    weight = 4 - weight;  // 3,1,3,1,...
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

// Checks a GLN and writes its 13 digits to `out`.
inline IdProblem CheckGln(std::string_view input, char out[13]) {
  using namespace id_internal;
  if (input.size() > kMaxIdInput) return IdProblem::kTooLong;
  std::string_view s = Trim(input);
  if (s.empty()) return IdProblem::kEmpty;
  std::size_t n = 0;
  IdProblem p = DigitsWithSpaces(s, out, 13, &n);
  if (p != IdProblem::kNone) return p;
  if (n != 13) return IdProblem::kBadLength;
  return Gs1CheckDigit(std::string_view(out, 12)) == out[12] ? IdProblem::kNone
                                                             : IdProblem::kBadCheckDigit;
}

// Checks a provider number (ydernummer) and writes its 6 digits to `out`.
inline IdProblem CheckProviderNumber(std::string_view input, char out[6],
                                     const IdOptions& options = IdOptions()) {
  using namespace id_internal;
  if (input.size() > kMaxIdInput) return IdProblem::kTooLong;
  std::string_view s = Trim(input);
  if (s.empty()) return IdProblem::kEmpty;
  char digits[6];
  std::size_t n = 0;
  for (char c : s) {
    if (!IsDigit(c)) return IdProblem::kBadCharacter;
    if (n >= 6) return IdProblem::kBadLength;
    digits[n++] = c;
  }
  if (n != 6 && !options.pad_provider_number) return IdProblem::kBadLength;
  std::size_t pad = 6 - n;
  for (std::size_t i = 0; i < pad; ++i) out[i] = '0';
  std::memcpy(out + pad, digits, n);
  for (int i = 0; i < 6; ++i) {
    if (out[i] != '0') return IdProblem::kNone;
  }
  return IdProblem::kAllZeros;
}

// True when the decimal digits `digits` end in a valid Verhoeff check digit.
inline bool VerhoeffValid(std::string_view digits) {
  static constexpr std::uint8_t kD[10][10] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
      {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
      {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
      {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
      {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
  static constexpr std::uint8_t kP[8][10] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
      {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
      {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
      {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
  int c = 0;
  std::size_t pos = 0;
  for (std::size_t i = digits.size(); i-- > 0; ++pos) {
    c = kD[c][kP[pos % 8][id_internal::D(digits[i])]];
  }
  return c == 0;
}

// Checks a SOR code and writes its digits (11-18) to `out`; `*len` gets the
// count.
inline IdProblem CheckSor(std::string_view input, char out[18], std::size_t* len) {
  using namespace id_internal;
  *len = 0;
  if (input.size() > kMaxIdInput) return IdProblem::kTooLong;
  std::string_view s = Trim(input);
  if (s.empty()) return IdProblem::kEmpty;
  std::size_t n = 0;
  for (char c : s) {
    if (!IsDigit(c)) return IdProblem::kBadCharacter;
    if (n >= 18) return IdProblem::kBadLength;
    out[n++] = c;
  }
  if (n < 11) return IdProblem::kBadLength;
  if (!VerhoeffValid(std::string_view(out, n))) return IdProblem::kBadCheckDigit;
  *len = n;
  return IdProblem::kNone;
}

// A buffer for one normal form; NormalizeIdInto writes into it.
struct IdBuffer {
  char data[kMaxNormalizedId];
};

// Checks `input` as an identifier of `kind` and, when accepted, sets `*out` to
// its normal form, which lives in `buf` (numeric kinds) or in `input` (kOther:
// trimmed input). No allocation. Returns kNone or why it was rejected; `*out`
// is empty on rejection.
inline IdProblem NormalizeIdInto(IdKind kind, std::string_view input, IdBuffer* buf,
                                 std::string_view* out, const IdOptions& options = IdOptions()) {
  *out = std::string_view();
  IdProblem p = IdProblem::kBadCharacter;
  std::size_t len = 0;
  switch (kind) {
    case IdKind::kCpr:
      p = CheckCpr(input, buf->data, nullptr, options);
      len = 10;
      break;
    case IdKind::kCvr:
      p = CheckCvr(input, buf->data);
      len = 8;
      break;
    case IdKind::kGln:
      p = CheckGln(input, buf->data);
      len = 13;
      break;
    case IdKind::kProviderNumber:
      p = CheckProviderNumber(input, buf->data, options);
      len = 6;
      break;
    case IdKind::kSor:
      p = CheckSor(input, buf->data, &len);
      break;
    case IdKind::kOther: {
      if (input.size() > kMaxIdInput) return IdProblem::kTooLong;
      std::string_view s = id_internal::Trim(input);
      if (s.empty()) return IdProblem::kEmpty;
      if (s.size() > kMaxNormalizedId) return IdProblem::kTooLong;
      if (!id_internal::ValidUtf8NoControls(s)) return IdProblem::kBadCharacter;
      *out = s;
      return IdProblem::kNone;
    }
    default:
      return IdProblem::kBadCharacter;
  }
  if (p == IdProblem::kNone) *out = std::string_view(buf->data, len);
  return p;
}

// True for the kinds the library knows (a value read from a file or the C ABI
// may be anything).
inline bool IsKnownIdKind(IdKind kind) {
  return static_cast<std::uint8_t>(kind) >= 1 && static_cast<std::uint8_t>(kind) <= 6;
}

// An InvalidArgument status for a rejected value: "<row N: ><label>: <why>".
// `row` < 0 leaves the row out. Never contains the value.
inline absl::Status IdProblemStatus(IdKind kind, IdProblem problem, long long row = -1) {
  std::string msg;
  if (row >= 0) msg += "row " + std::to_string(row) + ": ";
  msg += std::string(IdKindLabel(kind));
  msg += " rejected: ";
  msg += std::string(IdProblemText(kind, problem));
  msg += " [";
  msg += std::string(IdProblemCode(problem));
  msg += "]";
  return absl::InvalidArgumentError(msg);
}

// Checks one value; OK or InvalidArgument saying why (never repeating it).
inline absl::Status CheckId(IdKind kind, std::string_view input,
                            const IdOptions& options = IdOptions()) {
  if (!IsKnownIdKind(kind)) return absl::InvalidArgumentError("unknown identifier kind");
  IdBuffer buf;
  std::string_view out;
  IdProblem p = NormalizeIdInto(kind, input, &buf, &out, options);
  return p == IdProblem::kNone ? absl::OkStatus() : IdProblemStatus(kind, p);
}

// The normal form of one value, or InvalidArgument saying why not.
inline absl::StatusOr<std::string> NormalizeId(IdKind kind, std::string_view input,
                                               const IdOptions& options = IdOptions()) {
  if (!IsKnownIdKind(kind)) return absl::InvalidArgumentError("unknown identifier kind");
  IdBuffer buf;
  std::string_view out;
  IdProblem p = NormalizeIdInto(kind, input, &buf, &out, options);
  if (p != IdProblem::kNone) return IdProblemStatus(kind, p);
  return std::string(out);
}

// A column of strings in one contiguous buffer: value i is
// bytes()[offsets()[i], offsets()[i+1]). Used for batch results so that a
// million values cost two allocations, and so that the C ABI and Python can
// hand the column over without copying each value. Not thread-safe to mutate.
class StringColumn {
 public:
  StringColumn() : offsets_{0} {}

  // Number of values.
  std::size_t size() const { return offsets_.size() - 1; }
  bool empty() const { return size() == 0; }
  // Value i (a view into bytes(); invalidated by the next mutation).
  std::string_view operator[](std::size_t i) const {
    return std::string_view(bytes_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  const std::string& bytes() const { return bytes_; }
  // size() + 1 offsets into bytes(); the first is 0.
  const std::vector<std::uint64_t>& offsets() const { return offsets_; }

  void clear() {
    bytes_.clear();
    offsets_.assign(1, 0);
  }
  void reserve(std::size_t values, std::size_t bytes) {
    offsets_.reserve(values + 1);
    bytes_.reserve(bytes);
  }
  void push_back(std::string_view v) {
    bytes_.append(v.data(), v.size());
    offsets_.push_back(bytes_.size());
  }
  // Appends a value of `len` bytes and returns where to write them.
  char* Append(std::size_t len) {
    std::size_t at = bytes_.size();
    bytes_.resize(at + len);
    offsets_.push_back(bytes_.size());
    return &bytes_[at];
  }
  // Appends every value of `other`.
  void AppendColumn(const StringColumn& other) {
    const std::uint64_t base = bytes_.size();
    bytes_.append(other.bytes_);
    offsets_.reserve(offsets_.size() + other.size());
    for (std::size_t i = 1; i < other.offsets_.size(); ++i) {
      offsets_.push_back(base + other.offsets_[i]);
    }
  }
  std::vector<std::string> ToVector() const {
    std::vector<std::string> out;
    out.reserve(size());
    for (std::size_t i = 0; i < size(); ++i) out.emplace_back((*this)[i]);
    return out;
  }
  // Wipes the bytes (they may be identifiers) and empties the column.
  void SecureClear() {
    volatile char* p = bytes_.empty() ? nullptr : &bytes_[0];
    for (std::size_t i = 0; i < bytes_.size(); ++i) p[i] = 0;
    clear();
  }

 private:
  std::string bytes_;
  std::vector<std::uint64_t> offsets_;
};

// Checks and normalises a whole column. `normalized` gets one value per input
// (empty for rejected rows), `problems` one IdProblem per input. Returns the
// number of rejected rows. Never fails: rejections are data, not errors.
inline std::size_t NormalizeIds(IdKind kind, absl::Span<const std::string_view> inputs,
                                StringColumn* normalized, std::vector<IdProblem>* problems,
                                const IdOptions& options = IdOptions()) {
  normalized->clear();
  normalized->reserve(inputs.size(), inputs.size() * (kind == IdKind::kCpr ? 10 : 13));
  problems->assign(inputs.size(), IdProblem::kNone);
  std::size_t rejected = 0;
  IdBuffer buf;
  const IdOptions resolved = kind == IdKind::kCpr ? ResolveCprAsOf(options) : options;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::string_view out;
    IdProblem p = IsKnownIdKind(kind) ? NormalizeIdInto(kind, inputs[i], &buf, &out, resolved)
                                      : IdProblem::kBadCharacter;
    (*problems)[i] = p;
    if (p != IdProblem::kNone) ++rejected;
    normalized->push_back(out);
  }
  return rejected;
}

// Checks a whole column: `problems` gets one IdProblem per input. Returns the
// number of rejected rows.
inline std::size_t CheckIds(IdKind kind, absl::Span<const std::string_view> inputs,
                            std::vector<IdProblem>* problems,
                            const IdOptions& options = IdOptions()) {
  problems->assign(inputs.size(), IdProblem::kNone);
  std::size_t rejected = 0;
  IdBuffer buf;
  const IdOptions resolved = kind == IdKind::kCpr ? ResolveCprAsOf(options) : options;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::string_view out;
    IdProblem p = IsKnownIdKind(kind) ? NormalizeIdInto(kind, inputs[i], &buf, &out, resolved)
                                      : IdProblem::kBadCharacter;
    (*problems)[i] = p;
    if (p != IdProblem::kNone) ++rejected;
  }
  return rejected;
}

}  // namespace gdprkit

#endif  // GDPRKIT_IDENTIFIERS_H_
