// Tests for src/common/arrow_dates.h: every date type read as day numbers
// (equal to the core's own conversions), nulls, offsets, chunks, zones across
// DST, malformed arrays and out-of-range values refused naming the row, and
// day numbers exported as date32 / timestamp arrays.
#include "common/arrow_dates.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gdprkit/retention.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gdprkit::internal::arrow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// An array made by the test (what pyarrow would hand over): owns its
// buffers and format; its release frees them.
struct Owned {
  std::string format;
  std::vector<std::uint8_t> validity;
  std::vector<std::uint8_t> values;  // raw bytes of the values (or offsets)
  std::vector<char> data;            // text bytes
  std::vector<const void*> buffers;
};

void ReleaseArray(ArrowArray* a) {
  delete static_cast<Owned*>(a->private_data);
  a->release = nullptr;
}
void ReleaseSchema(ArrowSchema* s) { s->release = nullptr; }

// The array of `o`'s buffers (owned by it from now on).
ImportedArray Wrap(Owned* o, std::int64_t length, std::int64_t nulls, std::int64_t offset) {
  ArrowSchema schema{};
  schema.format = o->format.c_str();
  schema.name = "";
  schema.flags = ARROW_FLAG_NULLABLE;
  schema.release = &ReleaseSchema;
  ArrowArray array{};
  array.length = length;
  array.null_count = nulls;
  array.offset = offset;
  array.n_buffers = static_cast<std::int64_t>(o->buffers.size());
  array.buffers = o->buffers.data();
  array.release = &ReleaseArray;
  array.private_data = o;
  return ImportedArray(&schema, &array);
}

template <typename T>
ImportedArray Make(const std::string& format, const std::vector<std::optional<T>>& rows,
                   std::int64_t offset = 0) {
  auto* o = new Owned;
  o->format = format;
  const std::size_t n = rows.size() + static_cast<std::size_t>(offset);
  o->validity.assign((n + 7) / 8, 0);
  o->values.assign(n * sizeof(T), 0);
  std::int64_t nulls = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::size_t j = i + static_cast<std::size_t>(offset);
    if (rows[i].has_value()) {
      o->validity[j >> 3] |= static_cast<std::uint8_t>(1u << (j & 7));
      const T v = *rows[i];
      std::memcpy(o->values.data() + j * sizeof(T), &v, sizeof(T));
    } else {
      ++nulls;
    }
  }
  o->buffers = {o->validity.data(), o->values.data()};
  return Wrap(o, static_cast<std::int64_t>(rows.size()), nulls, offset);
}

ImportedArray Texts(const std::vector<std::optional<std::string>>& rows) {
  auto* o = new Owned;
  o->format = "u";
  const std::size_t n = rows.size();
  o->validity.assign((n + 7) / 8, 0);
  std::vector<std::int32_t> offsets(n + 1, 0);
  std::int64_t nulls = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (rows[i].has_value()) {
      o->validity[i >> 3] |= static_cast<std::uint8_t>(1u << (i & 7));
      o->data.insert(o->data.end(), rows[i]->begin(), rows[i]->end());
    } else {
      ++nulls;
    }
    offsets[i + 1] = static_cast<std::int32_t>(o->data.size());
  }
  o->data.push_back('\0');
  o->values.resize(offsets.size() * sizeof(std::int32_t));
  std::memcpy(o->values.data(), offsets.data(), o->values.size());
  o->buffers = {o->validity.data(), o->values.data(), o->data.data()};
  return Wrap(o, static_cast<std::int64_t>(n), nulls, 0);
}

ImportedColumn Column(std::vector<ImportedArray> chunks) {
  ImportedColumn c;
  for (ImportedArray& a : chunks) {
    c.length += a.length();
    c.chunks.push_back(std::move(a));
  }
  return c;
}

static_assert(kNoDate == ::gdprkit::kNoDate && kMinDate == ::gdprkit::kMinDate &&
              kMaxDate == ::gdprkit::kMaxDate);

DayNumber D(int y, int m, int d) { return DaysFromCivil(y, m, d); }

absl::StatusOr<std::vector<DayNumber>> Read(const ImportedColumn& c,
                                            std::string_view zone = kDefaultTimeZone,
                                            DateReadError* bad = nullptr) {
  std::vector<DayNumber> out(static_cast<std::size_t>(c.length), 12345);
  absl::Status s = ReadDays(
      c, "col", zone, [&](std::string_view t) { return ParseDateTime(t, zone); },
      absl::MakeSpan(out), bad);
  if (!s.ok()) return s;
  return out;
}

std::vector<DayNumber> ReadOk(const ImportedColumn& c, std::string_view zone = kDefaultTimeZone) {
  absl::StatusOr<std::vector<DayNumber>> r = Read(c, zone);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : std::vector<DayNumber>();
}

TEST(ArrowDatesTest, Date32IsTheDayNumberWithNullsAsNoDate) {
  std::vector<DayNumber> days = ReadOk(Column({}));
  EXPECT_TRUE(days.empty());
  std::vector<ImportedArray> chunks;
  chunks.push_back(Make<std::int32_t>("tdD", {D(2025, 3, 30), std::nullopt, D(1901, 1, 1)}));
  EXPECT_THAT(ReadOk(Column(std::move(chunks))),
              ElementsAre(D(2025, 3, 30), kNoDate, D(1901, 1, 1)));
}

TEST(ArrowDatesTest, OffsetsAndChunksAreHonoured) {
  std::vector<ImportedArray> chunks;
  chunks.push_back(Make<std::int32_t>("tdD", {1, 2, std::nullopt}, /*offset=*/5));
  chunks.push_back(Make<std::int32_t>("tdD", {std::nullopt, -1}, /*offset=*/3));
  EXPECT_THAT(ReadOk(Column(std::move(chunks))), ElementsAre(1, 2, kNoDate, kNoDate, -1));
}

TEST(ArrowDatesTest, Date64RoundsDownBefore1970) {
  std::vector<ImportedArray> chunks;
  chunks.push_back(Make<std::int64_t>("tdm", {86'400'000LL * 3, -1, std::nullopt}));
  EXPECT_THAT(ReadOk(Column(std::move(chunks))), ElementsAre(3, -1, kNoDate));
}

TEST(ArrowDatesTest, NaiveTimestampsInEveryUnitAreTheirCivilDate) {
  const std::int64_t t = (std::int64_t{D(1969, 12, 31)} * 86'400) + 23 * 3600 + 59 * 60;
  const std::vector<std::pair<std::string, std::int64_t>> units = {
      {"tss:", 1}, {"tsm:", 1'000}, {"tsu:", 1'000'000}, {"tsn:", 1'000'000'000}};
  for (const auto& [format, per] : units) {
    std::vector<ImportedArray> chunks;
    chunks.push_back(Make<std::int64_t>(format, {t * per, std::nullopt, t * per + per * 60}));
    EXPECT_THAT(ReadOk(Column(std::move(chunks)), "UTC"),
                ElementsAre(D(1969, 12, 31), kNoDate, D(1970, 1, 1)))
        << format;
  }
}

TEST(ArrowDatesTest, ZonedTimestampsAreTheDateInTheSweepsZoneAcrossDst) {
  // Every 20 minutes over the spring and autumn changes of 2025, and around
  // midnight in 1950 and 2090: equal to the core's DateOfInstant.
  std::vector<std::optional<std::int64_t>> rows;
  std::vector<DayNumber> expected;
  for (std::int64_t start :
       {absl::ToUnixSeconds(absl::FromCivil(absl::CivilSecond(2025, 3, 29), absl::UTCTimeZone())),
        absl::ToUnixSeconds(absl::FromCivil(absl::CivilSecond(2025, 10, 25), absl::UTCTimeZone())),
        absl::ToUnixSeconds(absl::FromCivil(absl::CivilSecond(1950, 6, 1), absl::UTCTimeZone())),
        absl::ToUnixSeconds(
            absl::FromCivil(absl::CivilSecond(2090, 10, 28), absl::UTCTimeZone()))}) {
    for (std::int64_t s = start; s < start + 3 * 86'400; s += 1'200) {
      rows.push_back(s * 1'000'000 + 999'999);
      expected.push_back(*DateOfInstant(s, "Europe/Copenhagen"));
    }
  }
  std::vector<ImportedArray> chunks;
  chunks.push_back(Make<std::int64_t>("tsu:UTC", rows));
  EXPECT_EQ(ReadOk(Column(std::move(chunks))), expected);
  // Over more years than the table of days covers (binary search only):
  // every 2,522,000 s (29 days and some hours) from the year 1 into 2400, plus
  // the instants around both DST changes above.
  std::vector<std::optional<std::int64_t>> wide;
  std::vector<DayNumber> wide_expected;
  const std::int64_t first = std::int64_t{D(1, 1, 2)} * 86'400;
  for (std::int64_t s = first; s < std::int64_t{D(2400, 1, 1)} * 86'400; s += 26'000 * 97) {
    wide.push_back(s);
    wide_expected.push_back(*DateOfInstant(s, "Europe/Copenhagen"));
  }
  for (const std::optional<std::int64_t>& r : rows) {
    wide.push_back(*r / 1'000'000);
    wide_expected.push_back(*DateOfInstant(*r / 1'000'000, "Europe/Copenhagen"));
  }
  std::vector<ImportedArray> wide_chunks;
  wide_chunks.push_back(Make<std::int64_t>("tss:UTC", wide));
  EXPECT_EQ(ReadOk(Column(std::move(wide_chunks))), wide_expected);
  // Beyond the zone's list of transitions (absl answers from the rule): a
  // summer instant of 2924 is in DST there too (the fuzzer found it read as
  // winter time), alone and in a column that reaches back to 1964.
  const std::int64_t summer_2924 = 30'117'823'311;  // 2924-05-24T22:01:51Z
  ASSERT_EQ(*DateOfInstant(summer_2924, "Europe/Copenhagen"), D(2924, 5, 25));
  for (std::vector<std::optional<std::int64_t>> far :
       {std::vector<std::optional<std::int64_t>>{summer_2924 * 1'000'000},
        std::vector<std::optional<std::int64_t>>{summer_2924 * 1'000'000, -167'125'775'241'575}}) {
    std::vector<ImportedArray> far_chunks;
    far_chunks.push_back(Make<std::int64_t>("tsu:Europe/Copenhagen", far));
    EXPECT_EQ(ReadOk(Column(std::move(far_chunks))).front(), D(2924, 5, 25));
  }
  // Another zone of the sweep.
  std::vector<ImportedArray> ny;
  const std::int64_t s = absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilSecond(2025, 3, 30, 3, 0, 0), absl::UTCTimeZone()));
  ny.push_back(Make<std::int64_t>("tss:Europe/Copenhagen", {s}));
  EXPECT_THAT(ReadOk(Column(std::move(ny)), "America/New_York"), ElementsAre(D(2025, 3, 29)));
}

TEST(ArrowDatesTest, TextsAreReadByTheCoresParser) {
  std::vector<ImportedArray> chunks;
  chunks.push_back(
      Texts({"2025-03-30", std::nullopt, "", "2025-03-29T23:30:00Z", "0999-01-01T10:00"}));
  EXPECT_THAT(ReadOk(Column(std::move(chunks))),
              ElementsAre(D(2025, 3, 30), kNoDate, kNoDate, D(2025, 3, 30), D(999, 1, 1)));
}

TEST(ArrowDatesTest, ABadTextNamesColumnAndRowNeverTheText) {
  std::vector<ImportedArray> chunks;
  chunks.push_back(Texts({"2025-03-30", "2025-02-30", "x"}));
  DateReadError bad;
  absl::StatusOr<std::vector<DayNumber>> r = Read(Column(std::move(chunks)), "UTC", &bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("col, row 1"));
  EXPECT_THAT(r.status().message(), HasSubstr("February 2025 has 28 days"));
  EXPECT_THAT(r.status().message(), Not(HasSubstr("2025-02-30")));
  EXPECT_EQ(bad.row, 1);
  EXPECT_THAT(bad.reason, Not(HasSubstr("2025-02-30")));

  std::vector<ImportedArray> cpr;
  cpr.push_back(Texts({"010190-1234"}));
  r = Read(Column(std::move(cpr)));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), Not(HasSubstr("010190")));
  EXPECT_THAT(r.status().message(), HasSubstr("row 0"));
}

TEST(ArrowDatesTest, OutOfRangeValuesNameTheRow) {
  const std::vector<std::pair<std::string, std::int64_t>> cases = {
      {"tss:", std::int64_t{D(9999, 12, 31) + 1} * 86'400},
      {"tss:UTC", std::int64_t{D(1, 1, 1) - 1} * 86'400},
      {"tsm:UTC", std::numeric_limits<std::int64_t>::min()},
      {"tss:UTC", std::numeric_limits<std::int64_t>::max()},
      {"tdm", std::numeric_limits<std::int64_t>::min()}};
  for (const auto& [format, value] : cases) {
    std::vector<ImportedArray> chunks;
    chunks.push_back(Make<std::int64_t>("tdm", {0}));
    chunks.push_back(Make<std::int64_t>(format, {0, value}));
    // (the first chunk's type decides; mixed chunks cannot come from a
    // stream, but each chunk is read by its own schema)
    DateReadError bad;
    absl::StatusOr<std::vector<DayNumber>> r = Read(Column(std::move(chunks)), "UTC", &bad);
    ASSERT_FALSE(r.ok()) << format;
    EXPECT_THAT(r.status().message(), HasSubstr("col, row 2: the date lies outside")) << format;
    EXPECT_EQ(bad.row, 2);
  }
  std::vector<ImportedArray> chunks;
  chunks.push_back(Make<std::int32_t>("tdD", {D(1, 1, 1) - 1}));
  absl::StatusOr<std::vector<DayNumber>> r = Read(Column(std::move(chunks)));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("row 0"));
}

TEST(ArrowDatesTest, TypesWithoutDatesAndMalformedArraysAreRefused) {
  std::vector<ImportedArray> ints;
  ints.push_back(Make<std::int32_t>("i", {1}));
  absl::StatusOr<std::vector<DayNumber>> r = Read(Column(std::move(ints)));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("of type int32 holds no dates"));

  ImportedArray a = Make<std::int32_t>("tdD", {1, 2});
  std::vector<DayNumber> out(2);
  ArrowArray broken = a.array();
  broken.buffers = nullptr;
  EXPECT_THAT(ReadArrayDays(a.schema(), broken, "col", "UTC", 0, absl::MakeSpan(out)).message(),
              HasSubstr("malformed"));
  broken = a.array();
  broken.n_buffers = 1;
  EXPECT_FALSE(ReadArrayDays(a.schema(), broken, "col", "UTC", 0, absl::MakeSpan(out)).ok());
  broken = a.array();
  broken.offset = -1;
  EXPECT_FALSE(ReadArrayDays(a.schema(), broken, "col", "UTC", 0, absl::MakeSpan(out)).ok());
  broken = a.array();
  const void* no_values[2] = {nullptr, nullptr};
  broken.buffers = no_values;
  EXPECT_FALSE(ReadArrayDays(a.schema(), broken, "col", "UTC", 0, absl::MakeSpan(out)).ok());
  broken.null_count = 1;
  EXPECT_FALSE(ReadArrayDays(a.schema(), broken, "col", "UTC", 0, absl::MakeSpan(out)).ok());
  ArrowSchema no_format = a.schema();
  no_format.format = nullptr;
  EXPECT_FALSE(ReadArrayDays(no_format, a.array(), "col", "UTC", 0, absl::MakeSpan(out)).ok());
  ArrowSchema bad_unit = a.schema();
  bad_unit.format = "tsx:";
  EXPECT_FALSE(ReadArrayDays(bad_unit, a.array(), "col", "UTC", 0, absl::MakeSpan(out)).ok());

  // A column whose length disagrees with its chunks.
  std::vector<ImportedArray> chunks;
  chunks.push_back(Make<std::int32_t>("tdD", {1, 2}));
  ImportedColumn c = Column(std::move(chunks));
  c.length = 3;
  EXPECT_FALSE(Read(c, "UTC").ok());
  c.length = 1;
  EXPECT_FALSE(Read(c, "UTC").ok());
}

TEST(ArrowDatesTest, AnUnknownZoneIsTheCoresFailedPrecondition) {
  std::vector<ImportedArray> chunks;
  chunks.push_back(Make<std::int64_t>("tss:UTC", {0}));
  absl::StatusOr<std::vector<DayNumber>> r = Read(Column(std::move(chunks)), "Nowhere/Atlantis");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ArrowDatesTest, KindsOfTypes) {
  ArrowSchema s{};
  for (const char* f : {"tdD", "tdm"}) {
    s.format = f;
    EXPECT_EQ(*DateKindOf(s, "c"), DateKind::kDate);
  }
  for (const char* f : {"tss:", "tsn:UTC", "tsm:+01:00"}) {
    s.format = f;
    EXPECT_EQ(*DateKindOf(s, "c"), DateKind::kTimestamp);
  }
  for (const char* f : {"u", "U", "vu"}) {
    s.format = f;
    EXPECT_EQ(*DateKindOf(s, "c"), DateKind::kText);
  }
  s.format = "g";
  EXPECT_FALSE(DateKindOf(s, "c").ok());
  for (std::string_view name : DateKindNames()) {
    EXPECT_EQ(DateKindName(*ParseDateKind(name)), name);
  }
  EXPECT_FALSE(ParseDateKind("datetime").ok());
}

TEST(ArrowDatesTest, ExportedDaysRoundTrip) {
  const std::vector<DayNumber> days = {D(2025, 3, 30), kNoDate, D(1, 1, 1), D(9999, 12, 31), -1};
  for (DateKind kind : {DateKind::kDate, DateKind::kTimestamp}) {
    absl::StatusOr<ExportedArray> e = ExportDays(days, kind);
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_EQ(e->length(), 5);
    EXPECT_EQ(e->array.null_count, 1);
    EXPECT_STREQ(e->schema.format, kind == DateKind::kDate ? "tdD" : "tss:");
    ArrowSchema schema;
    ArrowArray array;
    e->HandOver(&schema, &array);
    ImportedColumn c;
    c.chunks.emplace_back(&schema, &array);
    c.length = 5;
    EXPECT_EQ(ReadOk(c, "UTC"), days);
  }
  absl::StatusOr<ExportedArray> none = ExportDays({}, DateKind::kDate);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->length(), 0);
  EXPECT_EQ(none->array.null_count, 0);
}

}  // namespace
}  // namespace gdprkit::internal::arrow
