// The free-text identifier scanner (gdprkit/scan.h): each kind, the decoys
// it must pass over, boundaries, UTF-8 around numbers, batches, redaction.
#include "gdprkit/scan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace gdprkit {

void PrintTo(const IdSpan& s, std::ostream* os) {
  *os << "{" << s.offset << ", " << s.length << ", " << IdKindName(s.kind) << "}";
}

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

ScanOptions At2026(IdKindSet kinds = IdKindSet()) {
  ScanOptions o;
  o.kinds = kinds;
  o.as_of = IdDate{2026, 12, 3};
  return o;
}

std::vector<IdSpan> Spans(std::string_view text, const ScanOptions& o = At2026()) {
  absl::StatusOr<ScanResult> r = ScanText(text, o);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->spans : std::vector<IdSpan>{};
}

std::string Redacted(std::string_view text, const ScanOptions& o = At2026()) {
  absl::StatusOr<std::string> r = RedactText(text, o);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : std::string();
}

TEST(ScanTest, CprInTheThreeForms) {
  EXPECT_THAT(Spans("pt. 010190-1234 set"), ElementsAre(IdSpan{4, 11, IdKind::kCpr}));
  EXPECT_THAT(Spans("0101901234"), ElementsAre(IdSpan{0, 10, IdKind::kCpr}));
  EXPECT_THAT(Spans("cpr 010190 1234."), ElementsAre(IdSpan{4, 11, IdKind::kCpr}));
}

TEST(ScanTest, CprThatIsNoDateIsNoFinding) {
  EXPECT_THAT(Spans("320199-1234 and 3201991234 and 011390-1234"), ElementsAre());
  // 29 February only in leap years (the century from the 7th digit).
  EXPECT_THAT(Spans("290200-4234"), ElementsAre(IdSpan{0, 11, IdKind::kCpr}));  // 2000
  EXPECT_THAT(Spans("290201-4234"), ElementsAre());
}

TEST(ScanTest, CprFutureBirthDateDependsOnAsOf) {
  EXPECT_THAT(Spans("240135-7665"), ElementsAre());  // born 2035, judged in 2026
  ScanOptions later = At2026();
  later.as_of = IdDate{2040, 1, 1};
  EXPECT_THAT(Spans("240135-7665", later), ElementsAre(IdSpan{0, 11, IdKind::kCpr}));
}

TEST(ScanTest, CprModulus11OnlyWhenRequired) {
  ScanOptions o = At2026();
  o.require_modulus11 = true;
  EXPECT_THAT(Spans("0101901234", o), ElementsAre());
  EXPECT_THAT(Spans("0101904008", o), ElementsAre(IdSpan{0, 10, IdKind::kCpr}));
  EXPECT_THAT(Spans("0101901234"), ElementsAre(IdSpan{0, 10, IdKind::kCpr}));
}

TEST(ScanTest, CprReplacementNumberCounts) {
  EXPECT_THAT(Spans("610190-1234"), ElementsAre(IdSpan{0, 11, IdKind::kCpr}));
}

TEST(ScanTest, CvrWithAndWithoutPrefix) {
  EXPECT_THAT(Spans("CVR 12345674."), ElementsAre(IdSpan{4, 8, IdKind::kCvr}));
  EXPECT_THAT(Spans("moms DK12345674"), ElementsAre(IdSpan{5, 10, IdKind::kCvr}));
  EXPECT_THAT(Spans("DK-12345674"), ElementsAre(IdSpan{0, 11, IdKind::kCvr}));
  EXPECT_THAT(Spans("dk 12345674"), ElementsAre(IdSpan{0, 11, IdKind::kCvr}));
  EXPECT_THAT(Spans("12345675 87654300"), ElementsAre());  // check digit
  EXPECT_THAT(Spans("02345674"), ElementsAre());           // leading zero
  EXPECT_THAT(Spans("XDK12345674"), ElementsAre());        // inside a word
}

TEST(ScanTest, GlnAndSor) {
  EXPECT_THAT(Spans("GLN 5790000000012"), ElementsAre(IdSpan{4, 13, IdKind::kGln}));
  EXPECT_THAT(Spans("GLN 5790000000013"), ElementsAre());
  EXPECT_THAT(Spans("SOR 12345678902"), ElementsAre());  // not a default kind
  EXPECT_THAT(Spans("SOR 12345678902", At2026({IdKind::kSor})),
              ElementsAre(IdSpan{4, 11, IdKind::kSor}));
  EXPECT_THAT(Spans("SOR 12345678903", At2026({IdKind::kSor})), ElementsAre());
}

TEST(ScanTest, ProviderNumberOnlyAfterACue) {
  EXPECT_THAT(Spans("ydernummer 012345"), ElementsAre(IdSpan{11, 6, IdKind::kProviderNumber}));
  EXPECT_THAT(Spans("Ydernr.: 12345"), ElementsAre(IdSpan{9, 5, IdKind::kProviderNumber}));
  EXPECT_THAT(Spans("yder nr 123456"), ElementsAre(IdSpan{8, 6, IdKind::kProviderNumber}));
  EXPECT_THAT(Spans("provider number: 7"), ElementsAre(IdSpan{17, 1, IdKind::kProviderNumber}));
  EXPECT_THAT(Spans("ydernr 000000"), ElementsAre());  // all zeros
  EXPECT_THAT(Spans("ordre 012345"), ElementsAre());
  EXPECT_THAT(Spans("Ryder 012345"), ElementsAre());  // the cue inside a word
  EXPECT_THAT(Spans("ydernummer 1234567"), ElementsAre());
}

TEST(ScanTest, DecoysAreNotFound) {
  const std::string text =
      "Tlf. 12 34 56 78, mobil 20304050. Set 2026-01-05 kl. 10:30. Beløb 1.234.567,89 kr. "
      "Ordre 2026-0101901234 og 0101901234-01 og 12-010190-1234. Konto 12345678901234567890. "
      "Temp 37,5. Dato 01.01.90. Hash 0101901234abcdef. 11-digit 01019012345.";
  EXPECT_THAT(Spans(text), ElementsAre());
}

TEST(ScanTest, NotInsideAWord) {
  EXPECT_THAT(Spans("pt0101901234"), ElementsAre());
  EXPECT_THAT(Spans("0101901234a"), ElementsAre());
  EXPECT_THAT(Spans("æ0101901234"), ElementsAre());  // a Danish letter is a letter
  EXPECT_THAT(Spans("0101901234ø"), ElementsAre());
}

TEST(ScanTest, Utf8PunctuationAroundIsABoundary) {
  // « », NBSP, en dash, curly quotes, ellipsis.
  EXPECT_THAT(Spans("\xC2\xAB"
                    "0101901234"
                    "\xC2\xBB"),
              ElementsAre(IdSpan{2, 10, IdKind::kCpr}));
  EXPECT_THAT(Spans("CPR:\xC2\xA0"
                    "010190-1234"
                    "\xE2\x80\xA6"),
              ElementsAre(IdSpan{6, 11, IdKind::kCpr}));
  EXPECT_THAT(Spans("\xE2\x80\x9C"
                    "0101901234"
                    "\xE2\x80\x9D"),
              ElementsAre(IdSpan{3, 10, IdKind::kCpr}));
  EXPECT_THAT(Spans("Søren Ærø (0101901234), Åbenrå"), ElementsAre(IdSpan{14, 10, IdKind::kCpr}));
}

TEST(ScanTest, InvalidUtf8AroundCountsAsLetters) {
  EXPECT_THAT(Spans("\xFF"
                    "0101901234"),
              ElementsAre());
  EXPECT_THAT(Spans("0101901234"
                    "\xC3"),
              ElementsAre());
  // NBSP followed by a stray continuation byte: invalid, so a letter.
  EXPECT_THAT(Spans(std::string("\xC2\xA0\x80") + "0101901234"), ElementsAre());
  EXPECT_THAT(Spans(std::string("\xC2\xA0") + "0101901234"),
              ElementsAre(IdSpan{2, 10, IdKind::kCpr}));
  EXPECT_THAT(Spans(std::string_view("\0"
                                     "0101901234",
                                     11)),
              ElementsAre(IdSpan{1, 10, IdKind::kCpr}));
}

TEST(ScanTest, EmptyAndDigitFreeText) {
  EXPECT_THAT(Spans(""), ElementsAre());
  EXPECT_THAT(Spans("Patienten har det godt."), ElementsAre());
  EXPECT_EQ(Redacted(""), "");
}

TEST(ScanTest, ManyKindsInOneTextInOrder) {
  absl::StatusOr<ScanResult> r =
      ScanText("CPR 010190-1234, CVR DK12345674, GLN 5790000000012, ydernr 123456, CPR 0101904008",
               At2026());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->count(IdKind::kCpr), 2u);
  EXPECT_EQ(r->count(IdKind::kCvr), 1u);
  EXPECT_EQ(r->count(IdKind::kGln), 1u);
  EXPECT_EQ(r->count(IdKind::kProviderNumber), 1u);
  EXPECT_EQ(r->total(), 5u);
  ASSERT_EQ(r->spans.size(), 5u);
  for (std::size_t i = 1; i < r->spans.size(); ++i) {
    EXPECT_LT(r->spans[i - 1].offset, r->spans[i].offset);
  }
}

TEST(ScanTest, KindsLimitWhatIsFound) {
  EXPECT_THAT(Spans("010190-1234 12345674", At2026({IdKind::kCvr})),
              ElementsAre(IdSpan{12, 8, IdKind::kCvr}));
}

TEST(ScanTest, RedactReplacesEachFindingByItsMarker) {
  EXPECT_EQ(Redacted("CPR 010190-1234, CVR DK12345674; ydernr 123456. Tlf 87654300."),
            "CPR [CPR], CVR [CVR]; ydernr [YDERNR]. Tlf 87654300.");
  EXPECT_EQ(Redacted("0101901234"), "[CPR]");
  EXPECT_EQ(Redacted("ingen numre"), "ingen numre");
}

TEST(ScanTest, HugeTextAcrossTheVectorBlocks) {
  // Identifiers at every alignment relative to the 16-byte blocks.
  std::string text;
  std::size_t expected = 0;
  for (int pad = 0; pad < 40; ++pad) {
    text.append(static_cast<std::size_t>(pad), 'x');
    text += " 010190-1234 ";
    ++expected;
  }
  std::string big;
  for (int i = 0; i < 2000; ++i) big += text;
  absl::StatusOr<ScanResult> r = ScanText(big, At2026());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->count(IdKind::kCpr), expected * 2000);
  EXPECT_EQ(r->total(), expected * 2000);
  absl::StatusOr<std::string> red = RedactText(big, At2026());
  ASSERT_TRUE(red.ok());
  EXPECT_THAT(*red, Not(HasSubstr("1234")));
}

TEST(ScanTest, BatchCountsPerRowAndKind) {
  std::vector<std::string_view> rows = {"010190-1234 og 0101904008", "", "CVR 12345674", "intet",
                                        "ydernummer 7"};
  absl::StatusOr<ScanCounts> c = ScanTexts(rows, At2026());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->rows, 5u);
  EXPECT_EQ(c->at(0, IdKind::kCpr), 2u);
  EXPECT_EQ(c->at(2, IdKind::kCvr), 1u);
  EXPECT_EQ(c->at(4, IdKind::kProviderNumber), 1u);
  EXPECT_THAT(c->column(IdKind::kCpr), ElementsAre(2u, 0u, 0u, 0u, 0u));
  EXPECT_EQ(c->totals[static_cast<std::size_t>(ScanSlot(IdKind::kCpr))], 2u);
  EXPECT_EQ(c->rows_with_findings, 3u);

  StringColumn out;
  ScanCounts found;
  ASSERT_TRUE(RedactTexts(rows, At2026(), &out, &found).ok());
  EXPECT_THAT(out.ToVector(),
              ElementsAre("[CPR] og [CPR]", "", "CVR [CVR]", "intet", "ydernummer [YDERNR]"));
  EXPECT_EQ(found.data, c->data);
}

TEST(ScanTest, BadOptionsAreErrorsThatSayWhy) {
  absl::StatusOr<ScanResult> r = ScanText("x", At2026({IdKind::kOther}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("other"));
  ScanOptions bad = At2026();
  bad.as_of = IdDate{2026, 2, 30};
  r = ScanText("x", bad);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("as_of"));
}

TEST(ScanTest, MarkersAndSlots) {
  EXPECT_EQ(ScanMarker(IdKind::kCpr), "[CPR]");
  EXPECT_EQ(ScanMarker(IdKind::kProviderNumber), "[YDERNR]");
  EXPECT_EQ(ScanSlot(IdKind::kOther), -1);
  for (std::size_t i = 0; i < kNumScanKinds; ++i) {
    EXPECT_EQ(ScanSlot(kScanKinds[i]), static_cast<int>(i));
  }
}

}  // namespace
}  // namespace gdprkit
