// Fuzzes the Arrow date reader (src/common/arrow_dates.h) with what another
// library could hand over: any date type, values, validity bitmaps, offsets,
// null counts, and the malformations the reader can see (negative lengths and
// offsets, missing buffers, nulls without a bitmap). The buffers themselves
// are as long as the array says (the C Data Interface carries no sizes, so a
// reader must trust them). Nothing may crash, and what succeeds must agree
// with the core: a naive time is its civil date, an instant is the core's
// DateOfInstant in the zone, a text is ParseDateTime's day, a null is kNoDate;
// days exported and read back are the same days.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/arrow_dates.h"
#include "gdprkit/retention.h"

namespace {

using namespace gdprkit::internal::arrow;  // NOLINT(build/namespaces)

constexpr const char* kFormats[] = {
    "tdD", "tdm", "tss:", "tsm:UTC", "tsu:", "tsn:UTC", "tsu:Europe/Copenhagen", "u"};
constexpr const char* kZones[] = {"Europe/Copenhagen", "UTC", "America/New_York"};

void NoRelease(ArrowSchema* s) { s->release = nullptr; }
void NoReleaseArray(ArrowArray* a) { a->release = nullptr; }

std::int64_t FloorDiv(std::int64_t x, std::int64_t d) {
  std::int64_t q = x / d;
  if (q * d > x) --q;
  return q;
}

void Check(bool ok) {
  if (!ok) std::abort();
}

// The day the reader must give for one valid value of a fixed-width type.
bool Expected(std::string_view format, std::int64_t v, std::string_view zone, DayNumber* out) {
  std::int64_t day = 0;
  if (format == "tdD") {
    day = v;
  } else if (format == "tdm") {
    day = FloorDiv(v, 86'400'000);
  } else {
    const std::int64_t per = format[2] == 's'   ? 1
                             : format[2] == 'm' ? 1'000
                             : format[2] == 'u' ? 1'000'000
                                                : 1'000'000'000;
    if (format.size() == 4) {
      day = FloorDiv(v, per * 86'400);
    } else {
      const std::int64_t s = FloorDiv(v, per);
      if (s < -100'000LL * 366 * 86'400 || s > 100'000LL * 366 * 86'400) return false;
      absl::StatusOr<DayNumber> d = gdprkit::DateOfInstant(s, zone);
      if (!d.ok()) return false;
      day = *d;
    }
  }
  if (day < gdprkit::kMinDate || day > gdprkit::kMaxDate) return false;
  *out = static_cast<DayNumber>(day);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::string_view format = kFormats[data[0] % (sizeof(kFormats) / sizeof(kFormats[0]))];
  const std::string_view zone = kZones[data[1] % 3];
  const std::uint8_t shape = data[2];
  const std::int64_t offset = data[3] % 9;
  data += 4;
  size -= 4;

  if (format == "u") {
    // Texts: rows separated by '\n'; a row starting with '~' is null.
    std::vector<std::int32_t> offsets{0};
    std::vector<std::uint8_t> validity;
    std::string bytes;
    std::vector<std::string> rows;
    std::string row;
    for (std::size_t i = 0; i <= size; ++i) {
      if (i == size || data[i] == '\n') {
        rows.push_back(row);
        row.clear();
      } else {
        row.push_back(static_cast<char>(data[i]));
      }
    }
    validity.assign(rows.size() / 8 + 1, 0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const bool null = !rows[i].empty() && rows[i][0] == '~';
      if (!null) {
        validity[i >> 3] |= static_cast<std::uint8_t>(1u << (i & 7));
        bytes += rows[i];
      }
      offsets.push_back(static_cast<std::int32_t>(bytes.size()));
    }
    const void* buffers[3] = {validity.data(), offsets.data(), bytes.data()};
    ArrowSchema schema{};
    schema.format = "u";
    schema.release = &NoRelease;
    ArrowArray array{};
    array.length = static_cast<std::int64_t>(rows.size());
    array.null_count = -1;
    array.n_buffers = 3;
    array.buffers = buffers;
    array.release = &NoReleaseArray;
    ImportedColumn column;
    column.chunks.emplace_back(&schema, &array);
    column.length = static_cast<std::int64_t>(rows.size());
    std::vector<DayNumber> out(rows.size());
    DateReadError bad;
    absl::Status s = ReadDays(
        column, "c", zone, [&](std::string_view t) { return gdprkit::ParseDateTime(t, zone); },
        absl::MakeSpan(out), &bad);
    if (s.ok()) {
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const bool null = !rows[i].empty() && rows[i][0] == '~';
        if (null || rows[i].empty()) {
          Check(out[i] == kNoDate);
        } else {
          absl::StatusOr<DayNumber> d = gdprkit::ParseDateTime(rows[i], zone);
          Check(d.ok() && *d == out[i]);
        }
      }
    } else {
      Check(bad.row < static_cast<std::int64_t>(rows.size()));
      if (bad.row >= 0) {  // else the column as a whole (ReadText refused it)
        Check(!gdprkit::ParseDateTime(rows[static_cast<std::size_t>(bad.row)], zone).ok());
      }
    }
    return 0;
  }

  const bool wide = format != "tdD";
  const std::size_t width = wide ? 8 : 4;
  const std::size_t n = size / (width + 1);
  const std::size_t total = n + static_cast<std::size_t>(offset);
  std::vector<std::uint8_t> values(total * width, 0);
  std::vector<std::uint8_t> validity(total / 8 + 1, 0);
  std::int64_t nulls = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(offset);
    std::memcpy(values.data() + j * width, data + i * width, width);
    if ((data[n * width + i] & 7) != 0) {
      validity[j >> 3] |= static_cast<std::uint8_t>(1u << (j & 7));
    } else {
      ++nulls;
    }
  }
  const void* buffers[2] = {validity.data(), values.data()};
  ArrowSchema schema{};
  schema.format = format.data();
  schema.release = &NoRelease;
  ArrowArray array{};
  array.length = static_cast<std::int64_t>(n);
  array.offset = offset;
  array.null_count = nulls;
  array.n_buffers = 2;
  array.buffers = buffers;
  array.release = &NoReleaseArray;
  bool malformed = false;
  switch (shape % 8) {  // the malformations the reader must see
    case 1:
      array.length = -array.length - 1;
      malformed = true;
      break;
    case 2:
      array.offset = -1;
      malformed = true;
      break;
    case 3:
      array.buffers = nullptr;
      malformed = true;
      break;
    case 4:
      array.n_buffers = 3;
      malformed = true;
      break;
    case 5:
      if (nulls > 0) {
        buffers[0] = nullptr;
        malformed = true;
      }
      break;
    default:
      break;
  }
  std::vector<DayNumber> out(n, 0);
  DateReadError bad;
  absl::Status s = ReadArrayDays(schema, array, "c", zone, 0, absl::MakeSpan(out), &bad);
  if (malformed) {
    Check(!s.ok() && bad.row == -1);
    return 0;
  }
  std::size_t first_bad = n;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(offset);
    if (((validity[j >> 3] >> (j & 7)) & 1) == 0) {
      if (s.ok()) Check(out[i] == kNoDate);
      continue;
    }
    std::int64_t v = 0;
    if (wide) {
      std::memcpy(&v, values.data() + j * 8, 8);
    } else {
      std::int32_t v32 = 0;
      std::memcpy(&v32, values.data() + j * 4, 4);
      v = v32;
    }
    DayNumber expected = 0;
    if (!Expected(format, v, zone, &expected)) {
      first_bad = std::min(first_bad, i);
      continue;
    }
    if (s.ok()) Check(out[i] == expected);
  }
  if (!s.ok()) {
    Check(static_cast<std::size_t>(bad.row) == first_bad);
    return 0;
  }
  Check(first_bad == n);
  // Days exported and read back are the same days.
  for (DateKind kind : {DateKind::kDate, DateKind::kTimestamp}) {
    absl::StatusOr<ExportedArray> e = ExportDays(out, kind);
    Check(e.ok());
    std::vector<DayNumber> back(n, 1);
    Check(ReadArrayDays(e->schema, e->array, "c", "UTC", 0, absl::MakeSpan(back)).ok());
    Check(back == out);
  }
  return 0;
}
