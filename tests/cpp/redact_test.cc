// gdprkit::internal::ContainsCprLike and RedactIdentifier (src/common/redact.h):
// every spelling of a CPR number that must be caught, and look-alikes that
// must pass (dates, times, CVR and phone numbers, longer digit runs,
// impossible dates, hashes and UUIDs).
#include "common/redact.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gdprkit::internal {
namespace {

// UTF-8 of one code point.
std::string U8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
  return s;
}

// `ascii` with its digits written in the script whose zero is `zero`.
std::string InScript(const std::string& ascii, char32_t zero) {
  std::string out;
  for (char c : ascii) {
    if (c >= '0' && c <= '9') {
      out += U8(zero + static_cast<char32_t>(c - '0'));
    } else {
      out += c;
    }
  }
  return out;
}

// "010100" + separator + "1234".
std::string Split(const std::string& separator) { return "010100" + separator + "1234"; }

TEST(ContainsCprLikeTest, PlainSpellings) {
  for (const char* s : {
           "0101001234",
           "010100-1234",
           "010100 1234",
           "010100/1234",
           "010100.1234",
           "010100_1234",
           "311299-1234",
           "010203-1234",
           "290200-4000",  // 29 February 2000 (century digit 4: 2000)
           "610100-1234",  // replacement number: day + 60
           "0101001234\n",
           " 0101001234 ",
       }) {
    EXPECT_TRUE(ContainsCprLike(s)) << s;
  }
}

TEST(ContainsCprLikeTest, EveryDashSpaceAndSlash) {
  const std::vector<char32_t> separators = {
      0x00A0,  // no-break space
      0x202F,  // narrow no-break space
      0x2009,  // thin space
      0x2002,  // en space
      0x200A,  // hair space
      0x3000,  // ideographic space
      0x2010,  // hyphen
      0x2011,  // non-breaking hyphen
      0x2012,  // figure dash
      0x2013,  // en dash
      0x2014,  // em dash
      0x2015,  // horizontal bar
      0x2212,  // minus sign
      0xFE63,  // small hyphen-minus
      0xFF0D,  // full-width hyphen-minus
      0x2044,  // fraction slash
      0x2215,  // division slash
      0xFF0F,  // full-width solidus
      0xFF0E,  // full-width full stop
  };
  for (char32_t c : separators) {
    EXPECT_TRUE(ContainsCprLike(Split(U8(c)))) << std::hex << static_cast<unsigned>(c);
  }
  // Up to three separators: "010100 - 1234", "010100 – 1234".
  EXPECT_TRUE(ContainsCprLike(Split(" - ")));
  EXPECT_TRUE(ContainsCprLike(Split(" " + U8(0x2013) + " ")));
  EXPECT_TRUE(ContainsCprLike(Split(U8(0x00A0) + "-" + U8(0x00A0))));
}

TEST(ContainsCprLikeTest, TwoTwoTwoFour) {
  for (const char* s : {"01 01 00 1234", "01.01.00-1234", "01-01-00-1234", "01/01/00 1234",
                        "born 01.01.00 - 1234"}) {
    EXPECT_TRUE(ContainsCprLike(s)) << s;
  }
  EXPECT_TRUE(ContainsCprLike("01" + U8(0x00A0) + "01" + U8(0x00A0) + "00" + U8(0x2013) + "1234"));
}

TEST(ContainsCprLikeTest, DigitsOfOtherScripts) {
  const std::vector<char32_t> zeros = {
      0xFF10,   // full-width
      0x0660,   // Arabic-Indic
      0x06F0,   // extended Arabic-Indic
      0x0966,   // Devanagari
      0x09E6,   // Bengali
      0x0E50,   // Thai
      0x1040,   // Myanmar
      0x1D7CE,  // mathematical bold (four UTF-8 bytes)
      0x1D7F6,  // mathematical monospace
      0x1FBF0,  // segmented
  };
  for (char32_t zero : zeros) {
    SCOPED_TRACE(testing::Message() << "digit zero U+" << std::hex << static_cast<unsigned>(zero));
    EXPECT_TRUE(ContainsCprLike(InScript("0101001234", zero)));
    EXPECT_TRUE(ContainsCprLike(InScript("010100-1234", zero)));
    EXPECT_TRUE(ContainsCprLike("patient " + InScript("010100 1234", zero)));
    // Not a date in any script.
    EXPECT_FALSE(ContainsCprLike(InScript("320100-1234", zero)));
    // Part of a longer run in any script.
    EXPECT_FALSE(ContainsCprLike(InScript("01010012345", zero)));
  }
  // Scripts mixed, and with full-width separators.
  EXPECT_TRUE(ContainsCprLike("0101" + InScript("00", 0xFF10) + "1234"));
  EXPECT_TRUE(ContainsCprLike(InScript("010100", 0xFF10) + U8(0xFF0D) + InScript("1234", 0xFF10)));
  // A digit of another script makes a run longer too.
  EXPECT_FALSE(ContainsCprLike("0101001234" + InScript("5", 0x0660)));
}

TEST(ContainsCprLikeTest, InvisibleCharactersAreIgnored) {
  EXPECT_TRUE(ContainsCprLike("0101" + U8(0x200B) + "001234"));   // zero-width space
  EXPECT_TRUE(ContainsCprLike("010100" + U8(0x00AD) + "1234"));   // soft hyphen
  EXPECT_TRUE(ContainsCprLike("010100" + U8(0x2060) + "-1234"));  // word joiner
  EXPECT_TRUE(ContainsCprLike(U8(0xFEFF) + "0101001234"));        // BOM
}

TEST(ContainsCprLikeTest, InsideLongerText) {
  for (const char* s : {
           "patient-0101001234", "pt-0101001234", "pt0101001234", "pt0101001234x", "abc0101001234",
           "cpr:0101001234.", "record 010100-1234 (old)",
           "reidentified for Jens, 010100 1234, on request", "pt_010100_1234", "(0101001234)",
           "\xff"
           "0101001234",  // after an invalid UTF-8 byte
       }) {
    EXPECT_TRUE(ContainsCprLike(s)) << s;
  }
}

TEST(ContainsCprLikeTest, LookAlikesPass) {
  for (const char* s : {
           "",
           "ticket 42",
           "patient-17",
           "case 2024-118, see DPIA 2021-04",
           // Impossible dates.
           "320100-1234",
           "011300-1234",
           "000000-0000",
           "3202001234",
           "290201-1234",  // 29 February 1901
           // Longer or shorter runs.
           "01010012345",
           "90101001234",
           "0101001-1234",
           "010100-12345",
           "010100-123",
           "0101001234567890",
           "123456789",
           "1 0101 001234",
           // CVR, phone numbers, postal codes.
           "12345678",
           "CVR 25313763",
           "DK25313763",
           "+45 12 34 56 78",
           "+4512345678",
           "12 34 56 78",
           "tlf. 20 30 40 50, 8000 Aarhus C",
           // Dates and times.
           "2026-01-05",
           "05-01-2026",
           "05.01.2026",
           "2026-01-05T10:20:30Z",
           "2026-01-05T10:20:30.123456+01:00",
           "20260105T102030Z",
           "2026-01-05 10:20:30",
           "1767225600",  // a Unix time (no month 67)
           "P15M",
           "2025-11-30 + P15M",
           // Separators not allowed, or too many.
           "010100:1234",
           "010100,1234",
           "010100    1234",
           "01 01 00 12 34",
           // Hashes and UUIDs that happen to hold the digits.
           "a3f5c0101001234e9b8d7c6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e",
           "sha256:0101001234abcdef0123",
           "123e4567-e89b-42d3-a456-0101001234ab",
           "ab010100-1234-4abc-8def-0123456789ab",
           // gdprkit's own pseudonyms and tokens.
           "ps1_ABCDEFGHIJKLMNOPQRSTUVWXYZ",
           "tk_ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
       }) {
    EXPECT_FALSE(ContainsCprLike(s)) << s;
  }
}

TEST(ContainsCprLikeTest, ShortHexWordsStillCount) {
  // Only long hex strings (16+) and UUIDs are exempt; letters around a
  // number are not enough.
  EXPECT_TRUE(ContainsCprLike("cafe0101001234"));
  EXPECT_TRUE(ContainsCprLike("123e4567-e89b-42d3-a456-0101001234"));  // not a UUID
}

TEST(RedactIdentifierTest, WithholdsOnlyCprLikeIds) {
  EXPECT_EQ(RedactIdentifier("patient-0101001234"), "<withheld: looks like a CPR number>");
  EXPECT_EQ(RedactIdentifier("pt-010100" + U8(0x2013) + "1234"), std::string(kWithheldIdentifier));
  EXPECT_EQ(RedactIdentifier("patient-17"), "patient-17");
  EXPECT_EQ(RedactIdentifier(""), "");
  EXPECT_EQ(RedactIdentifier("320100-1234"), "320100-1234");
}

}  // namespace
}  // namespace gdprkit::internal
