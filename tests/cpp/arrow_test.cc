// src/common/arrow.h on hand-built arrays: every format it reads, slices,
// nulls, dictionaries, streams, release exactly once, and each malformation
// as an InvalidArgument naming the column and the problem (never a value).
#include "common/arrow.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace gdprkit::internal::arrow {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

int schema_releases = 0;
int array_releases = 0;

void CountSchema(ArrowSchema* s) {
  ++schema_releases;
  s->release = nullptr;
}
void CountArray(ArrowArray* a) {
  ++array_releases;
  a->release = nullptr;
}

ArrowSchema Schema(const char* format) {
  ArrowSchema s{};
  s.format = format;
  s.name = "";
  s.release = CountSchema;
  return s;
}

ArrowArray Array(std::int64_t length, std::vector<const void*>* buffers, std::int64_t offset = 0,
                 std::int64_t null_count = 0) {
  ArrowArray a{};
  a.length = length;
  a.offset = offset;
  a.null_count = null_count;
  a.n_buffers = static_cast<std::int64_t>(buffers->size());
  a.buffers = buffers->data();
  a.release = CountArray;
  return a;
}

// The rows read, "-" for a null row.
absl::StatusOr<std::vector<std::string>> Read(ArrowSchema schema, ArrowArray array) {
  absl::StatusOr<ImportedColumn> column = TakeArray(&schema, &array, "cpr");
  if (!column.ok()) return column.status();
  std::vector<std::string_view> views;
  std::vector<std::uint8_t> valid;
  absl::Status s = ReadText(*column, "cpr", &views, &valid);
  if (!s.ok()) return s;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < views.size(); ++i) {
    out.push_back(valid[i] != 0 ? std::string(views[i]) : "-");
  }
  return out;
}

// A malformed array's message: names the column, the problem; no value.
void ExpectRefused(const absl::StatusOr<std::vector<std::string>>& r, const std::string& problem) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("cpr"));
  EXPECT_THAT(std::string(r.status().message()), HasSubstr(problem));
  EXPECT_THAT(std::string(r.status().message()), Not(HasSubstr("0101901234")));
}

const char kData[] = "0101901234xy0202021234";
const std::int32_t kOffsets32[] = {0, 10, 12, 12, 22};
const std::int64_t kOffsets64[] = {0, 10, 12, 12, 22};
const std::uint8_t kValidity[] = {0x0b};  // rows 0, 1, 3 valid; row 2 null

TEST(ArrowRead, Utf8WithNulls) {
  std::vector<const void*> b = {kValidity, kOffsets32, kData};
  auto r = Read(Schema("u"), Array(4, &b, 0, 1));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, (std::vector<std::string>{"0101901234", "xy", "-", "0202021234"}));
}

TEST(ArrowRead, SlicedOffsetAppliesToBitmapAndOffsets) {
  std::vector<const void*> b = {kValidity, kOffsets32, kData};
  auto r = Read(Schema("u"), Array(2, &b, 1, -1));  // rows 1..2; null count unknown
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, (std::vector<std::string>{"xy", "-"}));
}

TEST(ArrowRead, NoNullsNeedsNoBitmap) {
  std::vector<const void*> b = {nullptr, kOffsets32, kData};
  auto r = Read(Schema("u"), Array(2, &b));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, (std::vector<std::string>{"0101901234", "xy"}));
}

TEST(ArrowRead, LargeUtf8AndBinaries) {
  for (const char* format : {"U", "Z"}) {
    std::vector<const void*> b = {kValidity, kOffsets64, kData};
    auto r = Read(Schema(format), Array(4, &b, 0, 1));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ((*r)[3], "0202021234") << format;
  }
  std::vector<const void*> b = {nullptr, kOffsets32, kData};
  auto r = Read(Schema("z"), Array(4, &b));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[2], "");
}

// A 16-byte view: inline up to 12 bytes, else prefix, buffer, offset.
struct View {
  std::int32_t size;
  char rest[12];
};
View Inline(const char* s) {
  View v{};
  v.size = static_cast<std::int32_t>(std::strlen(s));
  std::memcpy(v.rest, s, static_cast<std::size_t>(v.size));
  return v;
}
View OutOfLine(std::int32_t size, std::int32_t buffer, std::int32_t offset) {
  View v{};
  v.size = size;
  std::memcpy(v.rest + 4, &buffer, 4);
  std::memcpy(v.rest + 8, &offset, 4);
  return v;
}

TEST(ArrowRead, Utf8ViewInlineAndInVariadicBuffers) {
  const char long0[] = "a text of more than twelve bytes";
  const char long1[] = "0123456789abcdef";
  const View views[] = {Inline("0101901234"), OutOfLine(20, 0, 2), Inline(""), OutOfLine(13, 1, 3)};
  const std::int64_t sizes[] = {static_cast<std::int64_t>(sizeof long0) - 1,
                                static_cast<std::int64_t>(sizeof long1) - 1};
  const std::uint8_t validity[] = {0x0b};
  for (const char* format : {"vu", "vz"}) {
    std::vector<const void*> b = {validity, views, long0, long1, sizes};
    auto r = Read(Schema(format), Array(4, &b, 0, 1));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(
        *r, (std::vector<std::string>{"0101901234", "text of more than tw", "-", "3456789abcdef"}));
  }
}

TEST(ArrowRead, DictionaryWithAnyIntegerIndex) {
  std::vector<const void*> db = {nullptr, kOffsets32, kData};
  const std::int8_t i8[] = {3, 0, 0, 1};
  const std::uint32_t u32[] = {3, 0, 0, 1};
  const std::int64_t i64[] = {3, 0, 0, 1};
  const std::uint8_t validity[] = {0x0d};  // row 1 null
  const std::vector<std::pair<const char*, const void*>> kinds = {
      {"c", i8}, {"I", u32}, {"l", i64}};
  for (const auto& [format, indices] : kinds) {
    ArrowSchema values = Schema("u");
    ArrowArray dict = Array(4, &db);
    ArrowSchema s = Schema(format);
    s.dictionary = &values;
    std::vector<const void*> b = {validity, indices};
    ArrowArray a = Array(4, &b, 0, 1);
    a.dictionary = &dict;
    auto r = Read(s, a);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(*r, (std::vector<std::string>{"0202021234", "-", "0101901234", "xy"})) << format;
  }
}

TEST(ArrowRead, OneFieldStructIsItsField) {
  std::vector<const void*> cb = {nullptr, kOffsets32, kData};
  ArrowSchema field = Schema("u");
  ArrowSchema* fields[] = {&field};
  ArrowArray child = Array(4, &cb);
  ArrowArray* children[] = {&child};
  ArrowSchema s = Schema("+s");
  s.n_children = 1;
  s.children = fields;
  std::vector<const void*> b = {nullptr};
  ArrowArray a = Array(2, &b, 2);  // the struct's rows 2..3
  a.n_children = 1;
  a.children = children;
  auto r = Read(s, a);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, (std::vector<std::string>{"", "0202021234"}));

  // A field whose own offset + length overflows is refused even when the
  // struct's rows would bring it back in range (found by arrow_fuzzer).
  ArrowArray hostile = Array(108, &cb, INT64_MAX - 107);
  ArrowArray* hostile_children[] = {&hostile};
  s = Schema("+s");
  s.n_children = 1;
  s.children = fields;
  a = Array(8, &b, 11);
  a.n_children = 1;
  a.children = hostile_children;
  ExpectRefused(Read(s, a), "out of range");

  ArrowSchema* two[] = {&field, &field};
  ArrowArray* two_children[] = {&child, &child};
  s = Schema("+s");
  s.n_children = 2;
  s.children = two;
  a = Array(2, &b);
  a.n_children = 2;
  a.children = two_children;
  auto r2 = Read(s, a);
  ASSERT_FALSE(r2.ok());
  EXPECT_THAT(std::string(r2.status().message()), HasSubstr("2 columns"));
}

TEST(ArrowRead, TakingReleasesExactlyOnceAndEmptiesTheProducersStructs) {
  schema_releases = array_releases = 0;
  std::vector<const void*> b = {nullptr, kOffsets32, kData};
  ArrowSchema s = Schema("u");
  ArrowArray a = Array(4, &b);
  {
    absl::StatusOr<ImportedColumn> c = TakeArray(&s, &a, "cpr");
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(s.release, nullptr);
    EXPECT_EQ(a.release, nullptr);
    ImportedColumn moved = std::move(*c);
    EXPECT_EQ(schema_releases + array_releases, 0);
  }
  EXPECT_EQ(schema_releases, 1);
  EXPECT_EQ(array_releases, 1);
}

// A stream of two chunks of one schema.
struct TestStream {
  int next = 0;
  int fail_at = -1;
  std::vector<const void*> buffers = {nullptr, kOffsets32, kData};
  int released = 0;
};

int StreamSchema(ArrowArrayStream*, ArrowSchema* out) {
  *out = Schema("u");
  return 0;
}
int StreamNext(ArrowArrayStream* s, ArrowArray* out) {
  auto* t = static_cast<TestStream*>(s->private_data);
  if (t->next == t->fail_at) return 5;
  if (t->next == 2) {
    *out = ArrowArray{};
    return 0;
  }
  *out = Array(2, &t->buffers, 2 * t->next++);
  return 0;
}
const char* StreamError(ArrowArrayStream*) { return "the producer's reason"; }
void StreamRelease(ArrowArrayStream* s) {
  ++static_cast<TestStream*>(s->private_data)->released;
  s->release = nullptr;
}
ArrowArrayStream Stream(TestStream* t) {
  return ArrowArrayStream{StreamSchema, StreamNext, StreamError, StreamRelease, t};
}

TEST(ArrowRead, StreamChunksShareOneSchema) {
  schema_releases = array_releases = 0;
  TestStream t;
  ArrowArrayStream stream = Stream(&t);
  {
    absl::StatusOr<ImportedColumn> c = TakeStream(&stream, "cpr");
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(t.released, 1);
    EXPECT_EQ(stream.release, nullptr);
    EXPECT_EQ(c->length, 4);
    ASSERT_EQ(c->chunks.size(), 2u);
    std::vector<std::string_view> views;
    ASSERT_TRUE(ReadText(*c, "cpr", &views, nullptr).ok());
    EXPECT_EQ(views, (std::vector<std::string_view>{"0101901234", "xy", "", "0202021234"}));
  }
  EXPECT_EQ(schema_releases, 1);
  EXPECT_EQ(array_releases, 2);

  TestStream failing;
  failing.fail_at = 1;
  stream = Stream(&failing);
  absl::StatusOr<ImportedColumn> c = TakeStream(&stream, "cpr");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("the producer's reason"));
  EXPECT_EQ(failing.released, 1);
}

TEST(ArrowRead, AnotherTypeIsNotText) {
  const std::int64_t numbers[] = {101901234};
  std::vector<const void*> b = {nullptr, numbers};
  auto r = Read(Schema("l"), Array(1, &b));
  ExpectRefused(r, "of type int64, not text");
}

TEST(ArrowRead, TypesAreNamedAsPeopleKnowThem) {
  EXPECT_EQ(TypeName("g"), "float64");
  EXPECT_EQ(TypeName("tdD"), "date32");
  EXPECT_EQ(TypeName("tsu:"), "timestamp[us]");
  EXPECT_EQ(TypeName("tsn:Europe/Copenhagen"), "timestamp[ns, tz=\"Europe/Copenhagen\"]");
  EXPECT_EQ(TypeName("d:12,2"), "decimal(\"12,2\")");
  EXPECT_EQ(TypeName("tsx:"), "\"tsx:\"");  // not a unit: as it is, quoted
  EXPECT_EQ(TypeName("w:16"), "\"w:16\"");
}

TEST(ArrowRead, MalformedArraysAreRefused) {
  std::vector<const void*> b = {kValidity, kOffsets32, kData};
  ExpectRefused(Read(Schema("u"), Array(-1, &b)), "negative length");
  ExpectRefused(Read(Schema("u"), Array(1, &b, -1)), "negative offset");
  ExpectRefused(Read(Schema("u"), Array(2, &b, INT64_MAX - 1)), "overflows");
  std::vector<const void*> two = {nullptr, kOffsets32};
  ExpectRefused(Read(Schema("u"), Array(1, &two)), "2 buffers");
  ArrowArray no_buffers = Array(1, &b);
  no_buffers.buffers = nullptr;
  ExpectRefused(Read(Schema("u"), no_buffers), "no buffers");
  std::vector<const void*> no_bitmap = {nullptr, kOffsets32, kData};
  ExpectRefused(Read(Schema("u"), Array(4, &no_bitmap, 0, 1)), "without a validity bitmap");
  ExpectRefused(Read(Schema("u"), Array(4, &no_bitmap, 0, 5)), "more nulls than rows");
  const std::int32_t backwards[] = {0, 10, 5, 12};
  std::vector<const void*> bb = {nullptr, backwards, kData};
  ExpectRefused(Read(Schema("u"), Array(3, &bb)), "backwards at row 1");
  const std::int32_t negative[] = {-4, 10};
  std::vector<const void*> nb = {nullptr, negative, kData};
  ExpectRefused(Read(Schema("u"), Array(1, &nb)), "negative offset into the data");
  std::vector<const void*> no_data = {nullptr, kOffsets32, nullptr};
  ExpectRefused(Read(Schema("u"), Array(1, &no_data)), "no data buffer");
  std::vector<const void*> no_offsets = {nullptr, nullptr, kData};
  ExpectRefused(Read(Schema("U"), Array(1, &no_offsets)), "no offsets buffer");
  ArrowSchema no_format = Schema("u");
  no_format.format = nullptr;
  ExpectRefused(Read(no_format, Array(1, &b)), "without a format");
}

TEST(ArrowRead, MalformedViewsAreRefused) {
  const char data[] = "0101901234 and some more";
  const std::int64_t sizes[] = {static_cast<std::int64_t>(sizeof data) - 1};
  auto read = [&](View v) {
    const View views[] = {v};
    std::vector<const void*> b = {nullptr, views, data, sizes};
    return Read(Schema("vu"), Array(1, &b));
  };
  ExpectRefused(read(OutOfLine(13, 1, 0)), "names a buffer it does not have");
  ExpectRefused(read(OutOfLine(13, -1, 0)), "names a buffer it does not have");
  ExpectRefused(read(OutOfLine(20, 0, 10)), "runs past its buffer");
  ExpectRefused(read(OutOfLine(13, 0, -1)), "runs past its buffer");
  ExpectRefused(read(OutOfLine(-13, 0, 0)), "negative length");
  ASSERT_TRUE(read(OutOfLine(24, 0, 0)).ok());
  const View views[] = {OutOfLine(13, 0, 0)};
  std::vector<const void*> no_sizes = {nullptr, views, data, nullptr};
  ExpectRefused(Read(Schema("vu"), Array(1, &no_sizes)), "no buffer sizes");
  std::vector<const void*> two = {nullptr, views};
  ExpectRefused(Read(Schema("vu"), Array(1, &two)), "at least 3");
}

TEST(ArrowRead, MalformedDictionariesAreRefused) {
  std::vector<const void*> db = {nullptr, kOffsets32, kData};
  auto read = [&](const std::int16_t* indices, bool with_dictionary) {
    ArrowSchema values = Schema("u");
    ArrowArray dict = Array(4, &db);
    ArrowSchema s = Schema("s");
    s.dictionary = &values;
    std::vector<const void*> b = {nullptr, indices};
    ArrowArray a = Array(1, &b);
    if (with_dictionary) a.dictionary = &dict;
    return Read(s, a);
  };
  const std::int16_t too_big[] = {4};
  const std::int16_t negative[] = {-1};
  const std::int16_t fine[] = {3};
  ExpectRefused(read(too_big, true), "dictionary index out of range");
  ExpectRefused(read(negative, true), "dictionary index out of range");
  ExpectRefused(read(fine, false), "no dictionary");
  ASSERT_TRUE(read(fine, true).ok());
  ArrowSchema values = Schema("u");
  ArrowSchema s = Schema("g");  // a double is no index
  s.dictionary = &values;
  std::vector<const void*> b = {nullptr, fine};
  ExpectRefused(Read(s, Array(1, &b)), "not an integer");
}

// --- Export -----------------------------------------------------------------

absl::StatusOr<std::vector<std::string>> ReadBack(ExportedArray exported) {
  ArrowSchema s{};
  ArrowArray a{};
  exported.HandOver(&s, &a);
  EXPECT_EQ(exported.schema.release, nullptr);
  return Read(s, a);
}

TEST(ArrowWrite, ExportTextRoundTripsWithNullsAndBitmapOnlyWhenNeeded) {
  StringColumn column;
  column.push_back("0101901234");
  column.push_back("");
  column.push_back("xy");
  std::vector<std::uint8_t> valid = {1, 0, 1};
  absl::StatusOr<ExportedArray> e = ExportText(column, &valid);
  ASSERT_TRUE(e.ok());
  EXPECT_STREQ(e->schema.format, "u");
  EXPECT_EQ(e->array.n_buffers, 3);
  EXPECT_EQ(e->array.null_count, 1);
  EXPECT_NE(e->array.buffers[0], nullptr);
  EXPECT_EQ(e->array.children, nullptr);
  EXPECT_EQ(e->array.dictionary, nullptr);
  auto r = ReadBack(std::move(*e));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<std::string>{"0101901234", "-", "xy"}));

  valid = {1, 1, 1};
  e = ExportText(column, &valid);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->array.null_count, 0);
  EXPECT_EQ(e->array.buffers[0], nullptr);
  EXPECT_EQ(e->length(), 3);
  valid = {1};
  EXPECT_FALSE(ExportText(column, &valid).ok());
}

TEST(ArrowWrite, FixedWidthValuesAreWrittenInPlace) {
  FixedWidthTextBuilder builder(3, 4);
  std::memcpy(builder.data(0), "ps1a", 4);
  std::memcpy(builder.data(2), "ps1c", 4);
  builder.SetNull(1);
  absl::StatusOr<ExportedArray> e = std::move(builder).Finish();
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->array.null_count, 1);
  auto r = ReadBack(std::move(*e));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<std::string>{"ps1a", "-", "ps1c"}));

  absl::StatusOr<ExportedArray> empty = FixedWidthTextBuilder(0, 30).Finish();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->length(), 0);
  EXPECT_NE(empty->array.buffers[2], nullptr);
}

}  // namespace
}  // namespace gdprkit::internal::arrow
