// Arrow date columns as day numbers and back (see arrow_dates.h).
#include "common/arrow_dates.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/redact.h"
#include "common/text.h"
#include "common/vocabulary.h"

namespace gdprkit::internal::arrow {
namespace {

absl::string_view SV(std::string_view s) { return absl::string_view(s.data(), s.size()); }

constexpr std::int64_t FloorDiv(std::int64_t x, std::int64_t d) {
  std::int64_t q = x / d;
  if (q * d > x) --q;
  return q;
}

// The parts of a format string this file reads.
struct DateType {
  DateKind kind = DateKind::kDate;
  std::int64_t per_second = 1;  // timestamps: units per second
  std::int64_t per_day = 1;     // date32: 1; date64: ms per day; timestamps: units per day
  bool zoned = false;           // a timestamp with a zone: an instant
  bool wide = false;            // 8-byte values (date64, timestamps)
};

absl::StatusOr<DateType> TypeOf(const ArrowSchema& schema, std::string_view what) {
  if (schema.format == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(SV(what), ": the Arrow schema has no format"));
  }
  const std::string_view f = schema.format;
  DateType t;
  if (schema.dictionary != nullptr) {
    const ArrowSchema& d = *schema.dictionary;
    const std::string_view df = d.format == nullptr ? std::string_view() : d.format;
    if (df == "u" || df == "U" || df == "vu") {
      t.kind = DateKind::kText;
      return t;
    }
    return absl::InvalidArgumentError(
        absl::StrCat(SV(what),
                     ": a dictionary-encoded Arrow column of dates is not read; give dates, times "
                     "or ISO texts"));
  }
  if (f == "tdD") return t;
  if (f == "tdm") {
    t.per_day = 86'400'000;
    t.wide = true;
    return t;
  }
  if (f == "u" || f == "U" || f == "vu") {
    t.kind = DateKind::kText;
    return t;
  }
  if (f.size() >= 4 && f[0] == 't' && f[1] == 's' && f[3] == ':') {
    switch (f[2]) {
      case 's':
        t.per_second = 1;
        break;
      case 'm':
        t.per_second = 1'000;
        break;
      case 'u':
        t.per_second = 1'000'000;
        break;
      case 'n':
        t.per_second = 1'000'000'000;
        break;
      default:
        return absl::InvalidArgumentError(
            absl::StrCat(SV(what), ": an Arrow timestamp of an unknown unit"));
    }
    t.kind = DateKind::kTimestamp;
    t.per_day = t.per_second * 86'400;
    t.zoned = f.size() > 4;
    t.wide = true;
    return t;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(SV(what), ": an Arrow column of type ", TypeName(f),
                   " holds no dates; give dates (date32, date64), times (timestamp) or ISO texts"));
}

// The civil day of instants in one zone, between `lo` and `hi` (seconds):
// the zone's offsets and the instants they start at in that range, asked of
// the zone once (a few per year). For a range of up to kMaxTableDays days,
// a table gives the offset of each UTC day in which it does not change (one
// look-up per instant); otherwise, and on the days of a change, a binary
// search finds it.
class ZoneDays {
 public:
  static constexpr std::int64_t kMaxTableDays = 200'000;  // 550 years, 800 kB

  ZoneDays(const absl::TimeZone& tz, std::int64_t lo, std::int64_t hi) {
    starts_.push_back(std::numeric_limits<std::int64_t>::min());
    offsets_.push_back(tz.At(absl::FromUnixSeconds(lo)).offset);
    absl::TimeZone::CivilTransition tr;
    std::int64_t t = lo;
    // Whether the transitions up to `hi` are all known: the zone's list of
    // them ends (absl extends a zone's rule a few hundred years ahead, and
    // answers instants beyond from the rule), so past its last one an
    // instant is asked of the zone itself, as the core's DateOfInstant does; UTC has
    // none to know.
    bool complete = tz == absl::UTCTimeZone();
    while (!complete && tz.NextTransition(absl::FromUnixSeconds(t), &tr)) {
      const std::int64_t at = absl::ToUnixSeconds(tz.At(tr.to).trans);
      if (at > hi) complete = true;
      if (at > hi || at <= t) break;  // past the range (or no progress: never loop)
      starts_.push_back(at);
      offsets_.push_back(tz.At(absl::FromUnixSeconds(at)).offset);
      t = at;
    }
    if (!complete) {
      ask_from_ = t;
      tz_ = tz;
    }
    if (lo > hi) return;
    first_day_ = FloorDiv(lo, 86'400);
    const std::int64_t days = FloorDiv(hi, 86'400) - first_day_ + 1;
    if (days > kMaxTableDays) return;
    by_day_.resize(static_cast<std::size_t>(days));
    std::size_t k = 0;
    for (std::int64_t d = 0; d < days; ++d) {
      const std::int64_t start = (first_day_ + d) * 86'400;
      while (k + 1 < starts_.size() && starts_[k + 1] <= start) ++k;
      const bool changes = k + 1 < starts_.size() && starts_[k + 1] < start + 86'400;
      by_day_[static_cast<std::size_t>(d)] = changes ? kChanges : offsets_[k];
    }
  }

  // `seconds` within [lo, hi].
  std::int64_t DayOf(std::int64_t seconds) {
    if (seconds >= ask_from_) {
      return absl::ToCivilDay(absl::FromUnixSeconds(seconds), tz_) - absl::CivilDay(1970, 1, 1);
    }
    if (!by_day_.empty()) {
      const int offset = by_day_[static_cast<std::size_t>(FloorDiv(seconds, 86'400) - first_day_)];
      if (offset != kChanges) return FloorDiv(seconds + offset, 86'400);
    }
    const std::size_t k = static_cast<std::size_t>(
        std::upper_bound(starts_.begin(), starts_.end(), seconds) - starts_.begin() - 1);
    return FloorDiv(seconds + offsets_[k], 86'400);
  }

 private:
  static constexpr int kChanges = std::numeric_limits<int>::min();
  std::vector<std::int64_t> starts_;  // sorted; starts_[0] is the smallest int64
  std::vector<int> offsets_;
  std::int64_t first_day_ = 0;
  std::vector<int> by_day_;  // offset per UTC day from first_day_, kChanges on a change
  std::int64_t ask_from_ = std::numeric_limits<std::int64_t>::max();
  absl::TimeZone tz_;  // asked from ask_from_ on
};

absl::Status RowError(std::string_view what, std::int64_t row, std::string reason,
                      DateReadError* bad) {
  absl::Status s = absl::InvalidArgumentError(absl::StrCat(SV(what), ", row ", row, ": ", reason));
  if (bad != nullptr) {
    bad->row = row;
    bad->reason = std::move(reason);
  }
  return s;
}

absl::Status ColumnError(absl::Status s, DateReadError* bad) {
  if (bad != nullptr) {
    bad->row = -1;
    bad->reason = std::string(s.message());
  }
  return s;
}

constexpr const char* kOutOfRange = "the date lies outside 0001-01-01 ... 9999-12-31";

// The core's reason for a text that is not a date, without the text (the
// core quotes it as QuoteUntrusted does: that part is cut out).
std::string TextReason(const absl::Status& s, std::string_view text) {
  std::string m(s.message());
  const std::string quoted = " " + QuoteUntrusted(text);
  const std::size_t at = m.find(quoted);
  if (at != std::string::npos) m.erase(at, quoted.size());
  if (ContainsCprLike(m)) return "not an ISO date or time";
  return m;
}

bool ValidBit(const std::uint8_t* bits, std::int64_t i) {
  return bits == nullptr || ((bits[i >> 3] >> (i & 7)) & 1) != 0;
}

constexpr Named<DateKind> kDateKindNames[] = {
    {DateKind::kDate, "date"},
    {DateKind::kTimestamp, "timestamp"},
    {DateKind::kText, "text"},
};

}  // namespace

GDPRKIT_DEFINE_NAMES(DateKind, DateKind, kDateKindNames, "Arrow date kind")

absl::StatusOr<DateKind> DateKindOf(const ArrowSchema& schema, std::string_view what) {
  absl::StatusOr<DateType> t = TypeOf(schema, what);
  if (!t.ok()) return t.status();
  return t->kind;
}

absl::Status ReadArrayDays(const ArrowSchema& schema, const ArrowArray& array,
                           std::string_view what, std::string_view zone, std::int64_t first_row,
                           absl::Span<DayNumber> out, DateReadError* bad) {
  absl::StatusOr<DateType> type = TypeOf(schema, what);
  if (!type.ok()) return ColumnError(type.status(), bad);
  if (type->kind == DateKind::kText) {
    return ColumnError(absl::InvalidArgumentError(absl::StrCat(
                           SV(what), ": a text column is read through ReadDays, not per array")),
                       bad);
  }
  auto malformed = [&](std::string_view why) {
    return ColumnError(absl::InvalidArgumentError(
                           absl::StrCat(SV(what), ": a malformed Arrow array (", SV(why), ")")),
                       bad);
  };
  if (array.length < 0 || array.offset < 0) return malformed("negative length or offset");
  if (array.length > std::numeric_limits<std::int64_t>::max() - array.offset) {
    return malformed("offset and length overflow");
  }
  if (static_cast<std::uint64_t>(array.length) != out.size()) {
    return malformed("its length differs from the rows expected");
  }
  if (array.n_buffers != 2 || array.buffers == nullptr) return malformed("expected two buffers");
  if (array.length == 0) return absl::OkStatus();
  if (array.buffers[1] == nullptr) return malformed("no values buffer");
  const auto* validity = static_cast<const std::uint8_t*>(array.buffers[0]);
  if (validity == nullptr && array.null_count > 0) return malformed("nulls without a bitmap");
  if (array.null_count == 0) validity = nullptr;
  const std::int64_t n = array.length;
  const std::int64_t off = array.offset;
  DayNumber* w = out.data();

  if (!type->wide) {  // date32
    const auto* v = static_cast<const std::int32_t*>(array.buffers[1]) + off;
    for (std::int64_t i = 0; i < n; ++i) {
      if (!ValidBit(validity, off + i)) {
        w[i] = kNoDate;
        continue;
      }
      if (v[i] < kMinDate || v[i] > kMaxDate)
        return RowError(what, first_row + i, kOutOfRange, bad);
      w[i] = v[i];
    }
    return absl::OkStatus();
  }
  const auto* v = static_cast<const std::int64_t*>(array.buffers[1]) + off;
  if (!type->zoned) {
    auto convert = [&](auto per_day) -> absl::Status {
      for (std::int64_t i = 0; i < n; ++i) {
        if (!ValidBit(validity, off + i)) {
          w[i] = kNoDate;
          continue;
        }
        const std::int64_t d = FloorDiv(v[i], per_day);
        if (d < kMinDate || d > kMaxDate) return RowError(what, first_row + i, kOutOfRange, bad);
        w[i] = static_cast<DayNumber>(d);
      }
      return absl::OkStatus();
    };
    // Division by a constant is a multiplication: one loop per unit.
    switch (type->per_day) {
      case 86'400:
        return convert(std::integral_constant<std::int64_t, 86'400>());
      case 86'400'000:
        return convert(std::integral_constant<std::int64_t, 86'400'000>());
      case 86'400'000'000:
        return convert(std::integral_constant<std::int64_t, 86'400'000'000>());
      default:
        return convert(std::integral_constant<std::int64_t, 86'400'000'000'000>());
    }
  }
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(SV(zone), &tz)) {
    return ColumnError(
        absl::FailedPreconditionError(absl::StrCat(
            "cannot load time zone ", Quote(Excerpt(zone)),
            "; is the zone name right, and is the time-zone database installed (Debian: tzdata, "
            "/usr/share/zoneinfo)?")),
        bad);
  }
  // Instants a day beyond the years 0001-9999 are out of range in any zone
  // (offsets stay within a day); checked before the zone is asked.
  constexpr std::int64_t kLo = (std::int64_t{kMinDate} - 1) * 86'400;
  constexpr std::int64_t kHi = (std::int64_t{kMaxDate} + 2) * 86'400;
  const std::int64_t per_second = type->per_second;
  std::int64_t lo = kHi, hi = kLo;  // the range of the instants to read
  for (std::int64_t i = 0; i < n; ++i) {
    if (!ValidBit(validity, off + i)) continue;
    const std::int64_t seconds = FloorDiv(v[i], per_second);
    if (seconds < kLo || seconds >= kHi) continue;  // refused below, in order
    lo = std::min(lo, seconds);
    hi = std::max(hi, seconds);
  }
  ZoneDays days(tz, lo, hi);
  for (std::int64_t i = 0; i < n; ++i) {
    if (!ValidBit(validity, off + i)) {
      w[i] = kNoDate;
      continue;
    }
    const std::int64_t seconds = FloorDiv(v[i], per_second);
    if (seconds < kLo || seconds >= kHi) return RowError(what, first_row + i, kOutOfRange, bad);
    const std::int64_t d = days.DayOf(seconds);
    if (d < kMinDate || d > kMaxDate) return RowError(what, first_row + i, kOutOfRange, bad);
    w[i] = static_cast<DayNumber>(d);
  }
  return absl::OkStatus();
}

absl::Status ReadDays(const ImportedColumn& column, std::string_view what, std::string_view zone,
                      ParseDay parse, absl::Span<DayNumber> out, DateReadError* bad) {
  if (column.length < 0 || static_cast<std::uint64_t>(column.length) != out.size()) {
    return ColumnError(absl::InvalidArgumentError(absl::StrCat(
                           SV(what), ": the column's length differs from the rows expected")),
                       bad);
  }
  if (column.chunks.empty()) {
    if (column.length != 0) {
      return ColumnError(absl::InvalidArgumentError(absl::StrCat(SV(what), ": no Arrow array")),
                         bad);
    }
    return absl::OkStatus();
  }
  absl::StatusOr<DateType> type = TypeOf(column.chunks.front().schema(), what);
  if (!type.ok()) return ColumnError(type.status(), bad);
  if (type->kind == DateKind::kText) {
    std::vector<std::string_view> views;
    views.reserve(out.size());
    absl::Status s = ReadText(column, what, &views, nullptr);
    if (!s.ok()) return ColumnError(std::move(s), bad);
    if (views.size() != out.size()) {
      return ColumnError(absl::InvalidArgumentError(absl::StrCat(
                             SV(what), ": the column's length differs from the rows expected")),
                         bad);
    }
    for (std::size_t i = 0; i < views.size(); ++i) {
      if (views[i].empty()) {
        out[i] = kNoDate;
        continue;
      }
      absl::StatusOr<DayNumber> d = parse(views[i]);
      if (!d.ok()) {
        if (d.status().code() != absl::StatusCode::kInvalidArgument) {
          return ColumnError(d.status(), bad);
        }
        return RowError(what, static_cast<std::int64_t>(i), TextReason(d.status(), views[i]), bad);
      }
      out[i] = *d;
    }
    return absl::OkStatus();
  }
  std::int64_t row = 0;
  for (const ImportedArray& chunk : column.chunks) {
    const std::int64_t len = chunk.array().length;
    if (len < 0 || len > column.length - row) {
      return ColumnError(absl::InvalidArgumentError(absl::StrCat(
                             SV(what), ": a malformed Arrow column (chunks longer than it)")),
                         bad);
    }
    absl::Status s = ReadArrayDays(
        chunk.schema(), chunk.array(), what, zone, row,
        out.subspan(static_cast<std::size_t>(row), static_cast<std::size_t>(len)), bad);
    if (!s.ok()) return s;
    row += len;
  }
  if (row != column.length) {
    return ColumnError(absl::InvalidArgumentError(absl::StrCat(
                           SV(what), ": a malformed Arrow column (chunks shorter than it)")),
                       bad);
  }
  return absl::OkStatus();
}

namespace {

// What an exported array of days owns, freed by its release.
struct ExportedDays {
  std::vector<std::uint8_t> validity;
  std::vector<std::int32_t> days;
  std::vector<std::int64_t> seconds;
  const void* buffers[2] = {nullptr, nullptr};
};

void ReleaseDaysArray(ArrowArray* array) {
  if (array == nullptr || array->release == nullptr) return;
  delete static_cast<ExportedDays*>(array->private_data);
  array->private_data = nullptr;
  array->release = nullptr;
}

void ReleaseDaysSchema(ArrowSchema* schema) {
  if (schema == nullptr) return;
  schema->release = nullptr;
}

}  // namespace

absl::StatusOr<ExportedArray> ExportDays(absl::Span<const DayNumber> days, DateKind kind) {
  auto owned = std::make_unique<ExportedDays>();
  const std::size_t n = days.size();
  std::int64_t nulls = 0;
  for (DayNumber d : days) nulls += d == kNoDate ? 1 : 0;
  if (nulls > 0) {
    owned->validity.assign((n + 7) / 8, 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (days[i] != kNoDate) owned->validity[i >> 3] |= static_cast<std::uint8_t>(1u << (i & 7));
    }
    owned->buffers[0] = owned->validity.data();
  }
  const bool timestamps = kind == DateKind::kTimestamp;
  if (timestamps) {
    owned->seconds.reserve(1);  // a values buffer even for no rows
    owned->seconds.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      owned->seconds[i] = days[i] == kNoDate ? 0 : std::int64_t{days[i]} * 86'400;
    }
    owned->buffers[1] = owned->seconds.data();
  } else {
    owned->days.reserve(1);
    owned->days.resize(n);
    for (std::size_t i = 0; i < n; ++i) owned->days[i] = days[i] == kNoDate ? 0 : days[i];
    owned->buffers[1] = owned->days.data();
  }
  ExportedArray out;
  out.schema = ArrowSchema{};
  out.schema.format = timestamps ? "tss:" : "tdD";
  out.schema.name = "";
  out.schema.flags = ARROW_FLAG_NULLABLE;
  out.schema.release = &ReleaseDaysSchema;
  out.array = ArrowArray{};
  out.array.length = static_cast<std::int64_t>(n);
  out.array.null_count = nulls;
  out.array.n_buffers = 2;
  out.array.buffers = owned->buffers;
  out.array.release = &ReleaseDaysArray;
  out.array.private_data = owned.release();
  return out;
}

}  // namespace gdprkit::internal::arrow
