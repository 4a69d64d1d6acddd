// Frames: builders, ValidateFrame, the canonical content digest.
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "gdprkit/release.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

Frame Sample() {
  Frame f;
  const std::vector<std::string_view> practice = {"P01", "P02", "P01"};
  f.columns.push_back(FrameColumn::Text("practice", practice));
  f.columns.push_back(FrameColumn::Numbers("n", {5, 12.5, std::nan("")}));
  f.columns.push_back(FrameColumn::Days(
      "registered", {DaysFromCivil(2024, 1, 31), kNoDate, DaysFromCivil(1999, 12, 1)}));
  return f;
}

TEST(FrameTest, BuildersAndAccessors) {
  const Frame f = Sample();
  ASSERT_TRUE(ValidateFrame(f).ok());
  EXPECT_EQ(f.rows(), 3u);
  ASSERT_NE(f.Find("practice"), nullptr);
  EXPECT_EQ(f.Find("nope"), nullptr);
  const FrameColumn& p = *f.Find("practice");
  EXPECT_EQ(p.labels.size(), 2u);  // encoded once per distinct text
  EXPECT_EQ(p.text(2), "P01");
  EXPECT_EQ(FormatFrameValue(f.columns[1], 0), "5");
  EXPECT_EQ(FormatFrameValue(f.columns[1], 1), "12.5");
  EXPECT_EQ(FormatFrameValue(f.columns[1], 2), "");
  EXPECT_TRUE(f.columns[1].missing(2));
  EXPECT_EQ(FormatFrameValue(f.columns[2], 0), "2024-01-31");
  EXPECT_EQ(FormatFrameValue(f.columns[2], 1), "");
  EXPECT_EQ(f.names(), (std::vector<std::string>{"practice", "n", "registered"}));
}

TEST(FrameTest, TextMissingRows) {
  const std::vector<std::string_view> t = {"a", "", "b"};
  const std::vector<bool> missing = {false, false, true};
  const FrameColumn c = FrameColumn::Text("c", t, &missing);
  EXPECT_EQ(c.codes[2], -1);
  EXPECT_TRUE(c.missing(1));  // an empty text is missing
  EXPECT_TRUE(c.missing(2));
  EXPECT_FALSE(c.missing(0));
}

TEST(FrameTest, ValidateNamesTheProblem) {
  Frame f = Sample();
  f.columns.push_back(FrameColumn::Numbers("n", {1, 2, 3}));
  EXPECT_NE(ValidateFrame(f).message().find("two frame columns are named \"n\""),
            std::string::npos);

  f = Sample();
  f.columns[1].numbers.pop_back();
  EXPECT_NE(ValidateFrame(f).message().find("\"n\": has 2 rows"), std::string::npos);

  f = Sample();
  f.columns[0].codes[1] = 7;
  EXPECT_NE(ValidateFrame(f).message().find("row 1 has code 7"), std::string::npos);

  f = Sample();
  f.columns[0].labels[0] = std::string("\xff\xfe");
  EXPECT_NE(ValidateFrame(f).message().find("label 0 is not valid UTF-8"), std::string::npos);

  f = Sample();
  f.columns[1].numbers[0] = std::numeric_limits<double>::infinity();
  EXPECT_NE(ValidateFrame(f).message().find("row 0 is infinite"), std::string::npos);

  f = Sample();
  f.columns[0].numbers = {1, 2, 3};
  EXPECT_NE(ValidateFrame(f).message().find("with values of another type"), std::string::npos);

  EXPECT_FALSE(ValidateFrame(Frame{}).ok());
  EXPECT_TRUE(ValidateFrame(Frame{}, /*allow_empty=*/true).ok());

  // A caller's column name shaped like a CPR number is not repeated.
  f = Sample();
  f.columns[1].name = "0101001234";
  f.columns[1].numbers.pop_back();
  const std::string m(ValidateFrame(f).message());
  EXPECT_EQ(m.find("0101001234"), std::string::npos) << m;
}

TEST(FrameTest, DigestIsOfTheContentNotItsEncoding) {
  const Frame a = Sample();
  const absl::StatusOr<std::string> da = ContentDigest(a);
  ASSERT_TRUE(da.ok()) << da.status();
  EXPECT_EQ(da->rfind("blake2b-256:", 0), 0u);
  EXPECT_EQ(da->size(), 12u + 64u);

  // The same texts under another dictionary: the same digest.
  Frame b = Sample();
  b.columns[0] = FrameColumn::Labels("practice", {"X", "P02", "P01"}, {2, 1, 2});
  EXPECT_EQ(*ContentDigest(b), *da);

  // The same values as text columns (how a CSV reads back): the same digest.
  Frame c;
  for (const FrameColumn& col : a.columns) {
    std::vector<std::string> texts;
    std::vector<std::string_view> views;
    for (std::size_t r = 0; r < col.rows(); ++r) texts.push_back(FormatFrameValue(col, r));
    for (const std::string& t : texts) views.push_back(t);
    c.columns.push_back(FrameColumn::Text(col.name, views));
  }
  EXPECT_EQ(*ContentDigest(c), *da);

  // Any change of a value, a name or the order changes it.
  Frame d = Sample();
  d.columns[1].numbers[0] = 6;
  EXPECT_NE(*ContentDigest(d), *da);
  Frame e = Sample();
  e.columns[2].name = "date";
  EXPECT_NE(*ContentDigest(e), *da);
  Frame g = Sample();
  std::swap(g.columns[0], g.columns[1]);
  EXPECT_NE(*ContentDigest(g), *da);
  // Values do not run into each other: ("ab","c") differs from ("a","bc").
  Frame h1, h2;
  const std::vector<std::string_view> x1 = {"ab", "c"}, x2 = {"a", "bc"};
  h1.columns.push_back(FrameColumn::Text("x", x1));
  h2.columns.push_back(FrameColumn::Text("x", x2));
  EXPECT_NE(*ContentDigest(h1), *ContentDigest(h2));
  // -0 and 0 are one number.
  Frame z1, z2;
  z1.columns.push_back(FrameColumn::Numbers("z", {0.0}));
  z2.columns.push_back(FrameColumn::Numbers("z", {-0.0}));
  EXPECT_EQ(*ContentDigest(z1), *ContentDigest(z2));
}

TEST(FrameTest, Vocabulary) {
  for (std::string_view name : ReleaseProblemNames()) {
    const absl::StatusOr<ReleaseProblem> p = ParseReleaseProblem(name);
    ASSERT_TRUE(p.ok()) << name;
    EXPECT_EQ(ReleaseProblemName(*p), name);
    EXPECT_FALSE(ReleaseProblemTitle(*p, Language::kEnglish).empty());
    EXPECT_NE(ReleaseProblemTitle(*p, Language::kDanish), ReleaseProblemTitle(*p));
  }
  EXPECT_EQ(*ParseReleaseProblem("not-pseudonymized"), ReleaseProblem::kNotPseudonymised);
  EXPECT_FALSE(ParseReleaseProblem("too-young").ok());
  EXPECT_EQ(*ParseFrameColumnType("date"), FrameColumnType::kDate);
}

}  // namespace
}  // namespace gdprkit
