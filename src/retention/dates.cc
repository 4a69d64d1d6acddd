// Retention: dates and times (ISO 8601 dates, instants in a time zone,
// AddPeriod on text).
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
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/redact.h"
#include "common/sv.h"
#include "common/text.h"
#include "gdprkit/retention.h"

namespace gdprkit {
namespace {

using internal::AV;
using internal::Quote;
using internal::QuoteUntrusted;

absl::StatusOr<absl::TimeZone> LoadZone(std::string_view zone) {
  absl::TimeZone tz;
  if (zone.empty() || !absl::LoadTimeZone(AV(zone), &tz)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot load time zone ", Quote(internal::Excerpt(zone)),
        "; is the zone name right, and is the time-zone database installed (Debian: tzdata, "
        "/usr/share/zoneinfo)?"));
  }
  return tz;
}

bool Digits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

namespace retention_internal {

absl::Status BadText(std::string_view what, std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(AV(what), " ", QuoteUntrusted(text), ": ", AV(why)));
}

}  // namespace retention_internal

absl::StatusOr<DayNumber> DateOfInstant(std::int64_t unix_seconds, std::string_view zone) {
  absl::StatusOr<absl::TimeZone> tz = LoadZone(zone);
  if (!tz.ok()) return tz.status();
  const absl::CivilDay day = absl::ToCivilDay(absl::FromUnixSeconds(unix_seconds), *tz);
  if (day.year() < 1 || day.year() > 9999) {
    return absl::InvalidArgumentError(
        absl::StrCat("instant ", unix_seconds, " s lies outside the years 0001-9999"));
  }
  return DaysFromCivil(static_cast<int>(day.year()), day.month(), day.day());
}

absl::StatusOr<DayNumber> ParseDateTime(std::string_view text, std::string_view zone) {
  if (text.size() < 10) {
    return absl::InvalidArgumentError(absl::StrCat("invalid date or time ", QuoteUntrusted(text),
                                                   ": expected YYYY-MM-DD[THH:MM[:SS]][zone]"));
  }
  absl::StatusOr<DayNumber> date = ParseDate(text.substr(0, 10));
  if (!date.ok()) {
    // ParseDate sees the first ten bytes only, which may hold part of a CPR
    // number that the whole text shows ("010190-1234"): test the whole.
    if (internal::ContainsCprLike(AV(text))) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid date ", QuoteUntrusted(text), ": expected YYYY-MM-DD"));
    }
    return date.status();
  }
  if (text.size() == 10) return *date;
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid time ", QuoteUntrusted(text), ": ", AV(why)));
  };
  std::size_t i = 10;
  if (text[i] != 'T' && text[i] != ' ' && text[i] != 't') {
    return bad("expected 'T' after the date");
  }
  ++i;
  int hour = 0, minute = 0, second = 0;
  if (!Digits(text, i, 2, &hour) || i + 2 >= text.size() || text[i + 2] != ':' ||
      !Digits(text, i + 3, 2, &minute)) {
    return bad("expected HH:MM after 'T'");
  }
  i += 5;
  if (i < text.size() && text[i] == ':') {
    if (!Digits(text, i + 1, 2, &second)) return bad("expected two digits of seconds");
    i += 3;
    if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
      ++i;
      const std::size_t start = i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
      if (i == start) return bad("expected digits after the decimal point");
    }
  }
  if (hour > 23) return bad(absl::StrCat("hour ", hour, " does not exist"));
  if (minute > 59) return bad(absl::StrCat("minute ", minute, " does not exist"));
  if (second > 60) return bad(absl::StrCat("second ", second, " does not exist"));
  if (i == text.size()) return *date;  // a civil time: its date, whatever the zone
  int offset = 0;
  if (text[i] == 'Z' || text[i] == 'z') {
    ++i;
  } else if (text[i] == '+' || text[i] == '-') {
    const int sign = text[i] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!Digits(text, i + 1, 2, &oh)) return bad("expected a zone offset +HH:MM");
    std::size_t j = i + 3;
    if (j < text.size() && text[j] == ':') ++j;
    if (j < text.size()) {
      if (!Digits(text, j, 2, &om)) return bad("expected a zone offset +HH:MM");
      j += 2;
    }
    if (oh > 23 || om > 59) return bad("zone offset out of range");
    offset = sign * (oh * 3600 + om * 60);
    i = j;
  } else {
    return bad("expected 'Z' or a zone offset (+01:00) after the time");
  }
  if (i != text.size()) return bad("unexpected text after the zone");
  const std::int64_t seconds = static_cast<std::int64_t>(*date) * 86400 + hour * 3600 +
                               minute * 60 + std::min(second, 59) - offset;
  return DateOfInstant(seconds, zone);
}

absl::StatusOr<std::string> AddPeriod(std::string_view date, std::string_view period) {
  absl::StatusOr<DayNumber> d = ParseDate(date);
  if (!d.ok()) return d.status();
  absl::StatusOr<Period> p = ParsePeriod(period);
  if (!p.ok()) return p.status();
  return FormatDate(AddPeriod(*d, *p));
}

}  // namespace gdprkit
