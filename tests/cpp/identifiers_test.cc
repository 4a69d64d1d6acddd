// Tests for gdprkit/identifiers.h: CPR, CVR, GLN, provider numbers, SOR codes.
#include "gdprkit/identifiers.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gdprkit/retention.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

IdProblem Cpr(std::string_view s, CprInfo* info = nullptr, IdOptions o = IdOptions()) {
  char out[10];
  return CheckCpr(s, out, info, o);
}

std::string Norm(IdKind kind, std::string_view s, IdOptions o = IdOptions()) {
  absl::StatusOr<std::string> n = NormalizeId(kind, s, o);
  return n.ok() ? *n : "ERROR: " + std::string(n.status().message());
}

IdProblem Problem(IdKind kind, std::string_view s, IdOptions o = IdOptions()) {
  IdBuffer buf;
  std::string_view out;
  return NormalizeIdInto(kind, s, &buf, &out, o);
}

TEST(CprTest, AcceptsWithAndWithoutDashAndNormalisesToTenDigits) {
  EXPECT_EQ(Norm(IdKind::kCpr, "010180-1004"), "0101801004");
  EXPECT_EQ(Norm(IdKind::kCpr, "0101801004"), "0101801004");
  EXPECT_EQ(Norm(IdKind::kCpr, "  0101801004\t\n"), "0101801004");
}

TEST(CprTest, ModulusElevenIsReportedButNotRequiredSince2007) {
  CprInfo info;
  EXPECT_EQ(Cpr("0101801004", &info), IdProblem::kNone);
  EXPECT_TRUE(info.modulus11);
  EXPECT_EQ(Cpr("0101801000", &info), IdProblem::kNone);
  EXPECT_FALSE(info.modulus11);
  IdOptions strict;
  strict.cpr_require_modulus11 = true;
  EXPECT_EQ(Cpr("0101801000", nullptr, strict), IdProblem::kBadCheckDigit);
  EXPECT_EQ(Cpr("0101801004", nullptr, strict), IdProblem::kNone);
}

TEST(CprTest, CenturyRuleOfTheSeventhDigit) {
  // 2036 and 2057 lie in the future: the century rule is read with them
  // allowed (they are refused by default, see FutureBirthDate*).
  IdOptions future_ok;
  future_ok.cpr_allow_future = true;
  struct Case {
    const char* cpr;
    int year;
  } cases[] = {
      {"0101800000", 1980}, {"0101803999", 1980}, {"0101364000", 2036}, {"0101374000", 1937},
      {"0101579000", 1957}, {"0101369000", 2036}, {"0101379000", 1937}, {"0101575000", 2057},
      {"0101588000", 1858}, {"0101995999", 1899}, {"0101005000", 2000},
  };
  for (const Case& c : cases) {
    CprInfo info;
    ASSERT_EQ(Cpr(c.cpr, &info, future_ok), IdProblem::kNone) << c.cpr;
    EXPECT_EQ(info.year, c.year) << c.cpr;
    EXPECT_EQ(info.month, 1);
    EXPECT_EQ(info.day, 1);
  }
}

TEST(CprTest, LeapDaysDependOnTheCenturyFromTheSeventhDigit) {
  EXPECT_EQ(Cpr("2902001002"), IdProblem::kBadDate);  // 1900: not a leap year
  EXPECT_EQ(Cpr("2902004002"), IdProblem::kNone);     // 2000: leap year
  EXPECT_EQ(Cpr("2902005002"), IdProblem::kNone);     // 2000
  EXPECT_EQ(Cpr("2902604002"), IdProblem::kNone);     // 1960
  EXPECT_EQ(Cpr("2902375002"), IdProblem::kBadDate);  // 5 with 37 -> 2037, not leap
  EXPECT_EQ(Cpr("2902374002"), IdProblem::kBadDate);  // 4 with 37 -> 1937, not leap
  EXPECT_EQ(Cpr("2902585002"), IdProblem::kBadDate);  // 1858, not leap
  EXPECT_EQ(Cpr("2902605002"), IdProblem::kNone);     // 5 with 60 -> 1860, leap
  EXPECT_EQ(Cpr("3004801000"), IdProblem::kNone);
  EXPECT_EQ(Cpr("3104801000"), IdProblem::kBadDate);
  EXPECT_EQ(Cpr("0013801000"), IdProblem::kBadDate);
  EXPECT_EQ(Cpr("0001801000"), IdProblem::kBadDate);
  EXPECT_EQ(Cpr("0100801000"), IdProblem::kBadDate);
  EXPECT_EQ(Cpr("3212801000"), IdProblem::kBadDate);
}

TEST(CprTest, ReplacementNumbersHaveSixAddedToTheFirstDigitOfTheDay) {
  CprInfo info;
  ASSERT_EQ(Cpr("671280-1008", &info), IdProblem::kNone);
  EXPECT_TRUE(info.replacement);
  EXPECT_EQ(info.day, 7);
  EXPECT_EQ(info.month, 12);
  EXPECT_EQ(info.year, 1980);
  EXPECT_EQ(Cpr("9112801000"), IdProblem::kNone);     // day 31
  EXPECT_EQ(Cpr("9211801000"), IdProblem::kBadDate);  // day 32
  EXPECT_EQ(Cpr("6012801000"), IdProblem::kBadDate);  // day 60 is neither
  EXPECT_EQ(Cpr("6102601000"), IdProblem::kNone);
  IdOptions no_replacement;
  no_replacement.cpr_allow_replacement = false;
  EXPECT_EQ(Cpr("6712801008", nullptr, no_replacement), IdProblem::kReplacementNumber);
  ASSERT_EQ(Cpr("0712801000", &info, no_replacement), IdProblem::kNone);
  EXPECT_FALSE(info.replacement);
}

// The example: 24-01-2035 (7th digit 7, YY 35 <= 57: the 2000s).
constexpr IdDate kDay{2026, 12, 2};

IdOptions AsOf(IdDate d) {
  IdOptions o;
  o.cpr_as_of = d;
  return o;
}

TEST(CprTest, FutureBirthDateIsItsOwnProblem) {
  static_assert(static_cast<int>(IdProblem::kFutureBirthDate) == 11, "stable number");
  EXPECT_EQ(Cpr("2401357665", nullptr, AsOf(kDay)), IdProblem::kFutureBirthDate);
  EXPECT_EQ(Cpr("240135-7665", nullptr, AsOf(kDay)), IdProblem::kFutureBirthDate);
  // Before 0.3 it was accepted; by default (today) it is refused now.
  EXPECT_EQ(Cpr("2401357665"), IdProblem::kFutureBirthDate);
  EXPECT_EQ(Cpr("0101575000"), IdProblem::kFutureBirthDate);  // 2057
  EXPECT_EQ(Cpr("0101364000"), IdProblem::kFutureBirthDate);  // 2036
  EXPECT_EQ(Cpr("0101374000"), IdProblem::kNone);             // 1937
  // Accepted when asked for, with what the number says.
  IdOptions allow = AsOf(kDay);
  allow.cpr_allow_future = true;
  CprInfo info;
  ASSERT_EQ(Cpr("2401357665", &info, allow), IdProblem::kNone);
  EXPECT_EQ(info.year, 2035);
  EXPECT_EQ(info.month, 1);
  EXPECT_EQ(info.day, 24);
  IdOptions allow_today;
  allow_today.cpr_allow_future = true;
  EXPECT_EQ(Cpr("2401357665", nullptr, allow_today), IdProblem::kNone);
  EXPECT_EQ(IdProblemCode(IdProblem::kFutureBirthDate), "future_birth_date");
}

TEST(CprTest, FutureMeansAfterTheDateCheckedOn) {
  // Born on the day itself: issued (a newborn's number); the day after: not.
  EXPECT_EQ(Cpr("0212264000", nullptr, AsOf(kDay)), IdProblem::kNone);
  EXPECT_EQ(Cpr("0312264000", nullptr, AsOf(kDay)), IdProblem::kFutureBirthDate);
  EXPECT_EQ(Cpr("0101274000", nullptr, AsOf(kDay)), IdProblem::kFutureBirthDate);
  EXPECT_EQ(Cpr("3112264000", nullptr, AsOf(kDay)), IdProblem::kFutureBirthDate);
  EXPECT_EQ(Cpr("3011264000", nullptr, AsOf(kDay)), IdProblem::kNone);
  // Another date: as of 24-01-2035 the number exists, not a day before.
  EXPECT_EQ(Cpr("2401357665", nullptr, AsOf({2035, 1, 24})), IdProblem::kNone);
  EXPECT_EQ(Cpr("2401357665", nullptr, AsOf({2035, 1, 23})), IdProblem::kFutureBirthDate);
  // Looking back: a register extract of 1 January 1990.
  EXPECT_EQ(Cpr("3112891000", nullptr, AsOf({1990, 1, 1})), IdProblem::kNone);
  EXPECT_EQ(Cpr("0201901000", nullptr, AsOf({1990, 1, 1})), IdProblem::kFutureBirthDate);
  // 4 and 9 with YY 37-99 are the 1900s, never the future.
  EXPECT_EQ(Cpr("0101374000", nullptr, AsOf({1999, 1, 1})), IdProblem::kNone);
  EXPECT_EQ(Cpr("0101369000", nullptr, AsOf({1999, 1, 1})), IdProblem::kFutureBirthDate);
}

TEST(CprTest, ReplacementNumbersAreJudgedOnTheirRealDay) {
  // Day 84 = 24 + 60: born 24-01-2035.
  EXPECT_EQ(Cpr("8401357665", nullptr, AsOf(kDay)), IdProblem::kFutureBirthDate);
  EXPECT_EQ(Cpr("8401357665", nullptr, AsOf({2035, 1, 24})), IdProblem::kNone);
  EXPECT_EQ(Cpr("8401357665", nullptr, AsOf({2035, 1, 23})), IdProblem::kFutureBirthDate);
  EXPECT_EQ(Cpr("6212264000", nullptr, AsOf(kDay)), IdProblem::kNone);  // 02-12-2026
  EXPECT_EQ(Cpr("6312264000", nullptr, AsOf(kDay)), IdProblem::kFutureBirthDate);
  // A number that cannot have been issued says so before anything else
  // about it: a date that is not a date comes first, then the future.
  IdOptions strict = AsOf(kDay);
  strict.cpr_allow_replacement = false;
  strict.cpr_require_modulus11 = true;
  EXPECT_EQ(Cpr("8401357665", nullptr, strict), IdProblem::kFutureBirthDate);
  EXPECT_EQ(Cpr("9202357665", nullptr, strict), IdProblem::kBadDate);  // 32-02
  strict.cpr_allow_future = true;
  EXPECT_EQ(Cpr("8401357665", nullptr, strict), IdProblem::kReplacementNumber);
}

TEST(CprTest, FutureBirthDateMessageNeverRepeatsTheNumber) {
  absl::Status s = CheckId(IdKind::kCpr, "240135-7665", AsOf(kDay));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "CPR number rejected: the birth date of the CPR number lies in the future (after the "
            "date it is checked on), so it cannot have been issued [future_birth_date]");
  for (std::string_view part : {"240135", "7665", "2035", "24-01", "2026"}) {
    EXPECT_EQ(std::string(s.message()).find(part), std::string::npos) << part;
  }
  EXPECT_EQ(IdProblemStatus(IdKind::kCpr, IdProblem::kFutureBirthDate, 7).message().substr(0, 7),
            "row 7: ");
}

// A CPR number born on `d` (7th digit 4: the years 2000-2036).
std::string CprBornOn(const IdDate& d) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%02d%02d%02d4000", d.day, d.month, d.year % 100);
  return buf;
}

TEST(CprTest, TodayIsTodayInDenmark) {
  const IdDate today = TodayInDenmark();
  ASSERT_TRUE(IsValidIdDate(today));
  ASSERT_GE(today.year, 2026);
  if (today.year > 2035) GTEST_SKIP() << "the 7th digit 4 no longer reaches tomorrow";
  const auto tomorrow = [](const IdDate& d) {
    return id_internal::CivilFromDays(id_internal::DaysFromCivil(d.year, d.month, d.day) + 1);
  };
  const std::string born_today = CprBornOn(today);
  const std::string born_tomorrow = CprBornOn(tomorrow(today));
  std::vector<std::string_view> column = {born_today, born_tomorrow};
  std::vector<IdProblem> problems;
  StringColumn out;
  const IdProblem single_today = Cpr(born_today);
  const IdProblem single_tomorrow = Cpr(born_tomorrow);
  CheckIds(IdKind::kCpr, column, &problems);
  std::vector<IdProblem> normalized;
  NormalizeIds(IdKind::kCpr, column, &out, &normalized);
  if (TodayInDenmark() != today) GTEST_SKIP() << "midnight passed during the test";
  EXPECT_EQ(single_today, IdProblem::kNone);
  EXPECT_EQ(single_tomorrow, IdProblem::kFutureBirthDate);
  EXPECT_EQ(problems, (std::vector<IdProblem>{IdProblem::kNone, IdProblem::kFutureBirthDate}));
  EXPECT_EQ(normalized, problems);
  EXPECT_EQ(out[0], born_today);
  EXPECT_EQ(out[1], "");
  // Single values a second time (the process knows today's date now).
  EXPECT_EQ(Cpr(born_today), IdProblem::kNone);
  EXPECT_EQ(Cpr(born_tomorrow), IdProblem::kFutureBirthDate);
}

TEST(CprTest, ResolveCprAsOfReadsTheClockOnlyWhenNeeded) {
  IdOptions o;
  const IdDate today = TodayInDenmark();
  const IdOptions resolved = ResolveCprAsOf(o);
  EXPECT_TRUE(resolved.cpr_as_of == today || resolved.cpr_as_of == TodayInDenmark());
  EXPECT_EQ(ResolveCprAsOf(AsOf(kDay)).cpr_as_of, kDay);  // a given date is kept
  o.cpr_allow_future = true;
  EXPECT_TRUE(ResolveCprAsOf(o).cpr_as_of.empty());  // not needed: not read
  EXPECT_TRUE(IdOptions().cpr_as_of.empty());
  EXPECT_FALSE(IdOptions().cpr_allow_future);
}

TEST(CprTest, BatchesAgreeWithSingleValuesOnAGivenDate) {
  std::vector<std::string_view> in = {"2401357665", "8401357665", "0212264000",
                                      "0312264000", "3213801004", "0101801004"};
  const std::vector<IdProblem> want = {
      IdProblem::kFutureBirthDate, IdProblem::kFutureBirthDate, IdProblem::kNone,
      IdProblem::kFutureBirthDate, IdProblem::kBadDate,         IdProblem::kNone};
  std::vector<IdProblem> problems;
  EXPECT_EQ(CheckIds(IdKind::kCpr, in, &problems, AsOf(kDay)), 4u);
  EXPECT_EQ(problems, want);
  StringColumn out;
  EXPECT_EQ(NormalizeIds(IdKind::kCpr, in, &out, &problems, AsOf(kDay)), 4u);
  EXPECT_EQ(problems, want);
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(Cpr(in[i], nullptr, AsOf(kDay)), want[i]) << i;
  }
  // Other kinds never look at the date.
  std::vector<std::string_view> yder = {"2401357665"};
  EXPECT_EQ(CheckIds(IdKind::kOther, yder, &problems, AsOf(kDay)), 0u);
}

TEST(DateTest, IdDateAndIsValidIdDate) {
  EXPECT_TRUE(IdDate().empty());
  EXPECT_FALSE(kDay.empty());
  EXPECT_TRUE(IsValidIdDate({2024, 2, 29}));
  EXPECT_FALSE(IsValidIdDate({2026, 2, 29}));
  EXPECT_FALSE(IsValidIdDate({2026, 13, 1}));
  EXPECT_FALSE(IsValidIdDate({0, 1, 1}));
  EXPECT_FALSE(IsValidIdDate({10000, 1, 1}));
  EXPECT_FALSE(IsValidIdDate(IdDate()));
}

// identifiers.h has its own day arithmetic (it does not include retention.h);
// both must agree on every day of the years 1-9999.
TEST(DateTest, DayNumbersAgreeWithRetention) {
  for (DayNumber d = kMinDate; d <= kMaxDate; ++d) {
    const CivilDate r = CivilFromDays(d);
    const IdDate i = id_internal::CivilFromDays(d);
    ASSERT_TRUE(i.year == r.year && i.month == r.month && i.day == r.day) << d;
    ASSERT_EQ(id_internal::DaysFromCivil(i.year, i.month, i.day), d);
  }
}

TEST(DateTest, DateInDenmarkAtTheChangesOfTime) {
  const auto at = [](int y, int mo, int d, int h, int mi, int s) {
    return id_internal::DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  };
  // Winter: UTC+1.
  EXPECT_EQ(DateInDenmark(at(2026, 12, 2, 22, 59, 59)), (IdDate{2026, 12, 2}));
  EXPECT_EQ(DateInDenmark(at(2026, 12, 2, 23, 0, 0)), (IdDate{2026, 12, 3}));
  EXPECT_EQ(DateInDenmark(at(2026, 12, 31, 23, 0, 0)), (IdDate{2027, 1, 1}));
  // Summer time from 01:00 UTC on the last Sunday of March (29 March 2026).
  EXPECT_EQ(DateInDenmark(at(2026, 3, 28, 22, 59, 59)), (IdDate{2026, 3, 28}));
  EXPECT_EQ(DateInDenmark(at(2026, 3, 28, 23, 0, 0)), (IdDate{2026, 3, 29}));
  EXPECT_EQ(DateInDenmark(at(2026, 3, 29, 21, 59, 59)), (IdDate{2026, 3, 29}));
  EXPECT_EQ(DateInDenmark(at(2026, 3, 29, 22, 0, 0)), (IdDate{2026, 3, 30}));
  EXPECT_EQ(DateInDenmark(at(2026, 7, 1, 21, 59, 59)), (IdDate{2026, 7, 1}));
  EXPECT_EQ(DateInDenmark(at(2026, 7, 1, 22, 0, 0)), (IdDate{2026, 7, 2}));
  // ... to 01:00 UTC on the last Sunday of October (25 October 2026).
  EXPECT_EQ(DateInDenmark(at(2026, 10, 24, 21, 59, 59)), (IdDate{2026, 10, 24}));
  EXPECT_EQ(DateInDenmark(at(2026, 10, 24, 22, 0, 0)), (IdDate{2026, 10, 25}));
  EXPECT_EQ(DateInDenmark(at(2026, 10, 25, 22, 59, 59)), (IdDate{2026, 10, 25}));
  EXPECT_EQ(DateInDenmark(at(2026, 10, 25, 23, 0, 0)), (IdDate{2026, 10, 26}));
  EXPECT_EQ(DateInDenmark(0), (IdDate{1970, 1, 1}));
}

// The computed rule against the time-zone database (retention's
// DateOfInstant, absl and tzdata): every hour from 1996 to 2040, and every
// minute of the three hours before and after each change of time.
TEST(DateTest, DateInDenmarkAgreesWithTheTimeZoneDatabase) {
  if (!DateOfInstant(0, "Europe/Copenhagen").ok()) {
    GTEST_SKIP() << "no time-zone database (tzdata) on this machine";
  }
  const auto check = [](std::int64_t t) {
    absl::StatusOr<DayNumber> want = DateOfInstant(t, "Europe/Copenhagen");
    ASSERT_TRUE(want.ok());
    const CivilDate w = CivilFromDays(*want);
    const IdDate got = DateInDenmark(t);
    ASSERT_TRUE(got.year == w.year && got.month == w.month && got.day == w.day) << t;
  };
  const std::int64_t from = id_internal::DaysFromCivil(1996, 1, 1) * 86400;
  const std::int64_t until = id_internal::DaysFromCivil(2041, 1, 1) * 86400;
  for (std::int64_t t = from; t < until; t += 3600) check(t);
  for (int year = 1996; year <= 2040; ++year) {
    for (int month : {3, 10}) {
      const std::int64_t change = id_internal::LastSundayOf(year, month) * 86400 + 3600;
      for (std::int64_t t = change - 3 * 3600; t <= change + 3 * 3600; t += 60) check(t);
    }
  }
}

TEST(CprTest, SexFromTheLastDigit) {
  CprInfo info;
  ASSERT_EQ(Cpr("0101801004", &info), IdProblem::kNone);
  EXPECT_TRUE(info.female);
  ASSERT_EQ(Cpr("0101801001", &info), IdProblem::kNone);
  EXPECT_FALSE(info.female);
}

TEST(CprTest, EachRejectionSaysWhy) {
  EXPECT_EQ(Cpr(""), IdProblem::kEmpty);
  EXPECT_EQ(Cpr("   "), IdProblem::kEmpty);
  EXPECT_EQ(Cpr("010180100"), IdProblem::kBadLength);
  EXPECT_EQ(Cpr("01018010044"), IdProblem::kBadLength);
  EXPECT_EQ(Cpr("0101-801004"), IdProblem::kBadSeparator);
  EXPECT_EQ(Cpr("010180--1004"), IdProblem::kBadSeparator);
  EXPECT_EQ(Cpr("010180 1004"), IdProblem::kBadSeparator);
  EXPECT_EQ(Cpr("010180/1004"), IdProblem::kBadCharacter);
  EXPECT_EQ(Cpr("01018O1004"), IdProblem::kBadCharacter);
  EXPECT_EQ(Cpr(std::string("0101801004\0", 11)), IdProblem::kBadCharacter);
  EXPECT_EQ(Cpr(std::string(2000, '1')), IdProblem::kTooLong);
}

TEST(CprTest, MessagesNeverRepeatTheNumber) {
  for (const char* bad : {"3213801004", "010180100", "010180/1004", "0101801000"}) {
    IdOptions strict;
    strict.cpr_require_modulus11 = true;
    absl::Status s = CheckId(IdKind::kCpr, bad, strict);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(s.message()).find(bad), std::string::npos) << s;
    EXPECT_EQ(std::string(s.message()).find("801"), std::string::npos) << s;
    EXPECT_NE(std::string(s.message()).find("CPR number"), std::string::npos) << s;
  }
  EXPECT_EQ(CheckId(IdKind::kCpr, "3213801004").message(),
            "CPR number rejected: the first six digits of a CPR number are not a date (DDMMYY, "
            "with the century from the seventh digit) [bad_date]");
}

TEST(CvrTest, ModulusElevenWithWeights27654321) {
  EXPECT_EQ(Norm(IdKind::kCvr, "10000009"), "10000009");
  EXPECT_EQ(Norm(IdKind::kCvr, "25313704"), "25313704");
  EXPECT_EQ(Problem(IdKind::kCvr, "25313705"), IdProblem::kBadCheckDigit);
  EXPECT_EQ(Problem(IdKind::kCvr, "10000000"), IdProblem::kBadCheckDigit);
}

TEST(CvrTest, AcceptsDkPrefixAndGroupSpaces) {
  EXPECT_EQ(Norm(IdKind::kCvr, "DK25313704"), "25313704");
  EXPECT_EQ(Norm(IdKind::kCvr, "dk-25313704"), "25313704");
  EXPECT_EQ(Norm(IdKind::kCvr, "DK 25 31 37 04"), "25313704");
  EXPECT_EQ(Norm(IdKind::kCvr, " 2531 3704 "), "25313704");
}

TEST(CvrTest, Rejections) {
  EXPECT_EQ(Problem(IdKind::kCvr, ""), IdProblem::kEmpty);
  EXPECT_EQ(Problem(IdKind::kCvr, "DK"), IdProblem::kBadLength);
  EXPECT_EQ(Problem(IdKind::kCvr, "2531370"), IdProblem::kBadLength);
  EXPECT_EQ(Problem(IdKind::kCvr, "253137044"), IdProblem::kBadLength);
  EXPECT_EQ(Problem(IdKind::kCvr, "05313704"), IdProblem::kLeadingZero);
  EXPECT_EQ(Problem(IdKind::kCvr, "2531-3704"), IdProblem::kBadCharacter);
  EXPECT_EQ(Problem(IdKind::kCvr, "2531  3704"), IdProblem::kBadSeparator);
  EXPECT_EQ(Problem(IdKind::kCvr, "SE25313704"), IdProblem::kBadCharacter);
}

TEST(GlnTest, Gs1ModuloTenCheckDigit) {
  // Location numbers of Danish health-care parties (GS1 prefix 57).
  EXPECT_EQ(Norm(IdKind::kGln, "5790001348120"), "5790001348120");
  EXPECT_EQ(Norm(IdKind::kGln, "5790002288289"), "5790002288289");
  EXPECT_EQ(Norm(IdKind::kGln, "579000 228828 9"), "5790002288289");
  EXPECT_EQ(Problem(IdKind::kGln, "5790002288288"), IdProblem::kBadCheckDigit);
  EXPECT_EQ(Problem(IdKind::kGln, "5790002288298"), IdProblem::kBadCheckDigit);  // transposition
  EXPECT_EQ(Problem(IdKind::kGln, "579000228828"), IdProblem::kBadLength);
  EXPECT_EQ(Problem(IdKind::kGln, "57900022882890"), IdProblem::kBadLength);
  EXPECT_EQ(Problem(IdKind::kGln, "579000228828X"), IdProblem::kBadCharacter);
  EXPECT_EQ(Gs1CheckDigit("579000134812"), '0');
  EXPECT_EQ(Gs1CheckDigit("000000000000"), '0');
}

TEST(ProviderNumberTest, PadsToSixDigits) {
  EXPECT_EQ(Norm(IdKind::kProviderNumber, "012345"), "012345");
  EXPECT_EQ(Norm(IdKind::kProviderNumber, "12345"), "012345");
  EXPECT_EQ(Norm(IdKind::kProviderNumber, " 7 "), "000007");
  EXPECT_EQ(Norm(IdKind::kProviderNumber, "999999"), "999999");
  IdOptions exact;
  exact.pad_provider_number = false;
  EXPECT_EQ(Problem(IdKind::kProviderNumber, "12345", exact), IdProblem::kBadLength);
  EXPECT_EQ(Problem(IdKind::kProviderNumber, "012345", exact), IdProblem::kNone);
}

TEST(ProviderNumberTest, Rejections) {
  EXPECT_EQ(Problem(IdKind::kProviderNumber, "1234567"), IdProblem::kBadLength);
  EXPECT_EQ(Problem(IdKind::kProviderNumber, "000000"), IdProblem::kAllZeros);
  EXPECT_EQ(Problem(IdKind::kProviderNumber, "0"), IdProblem::kAllZeros);
  EXPECT_EQ(Problem(IdKind::kProviderNumber, "12 345"), IdProblem::kBadCharacter);
  EXPECT_EQ(Problem(IdKind::kProviderNumber, "-12345"), IdProblem::kBadCharacter);
  EXPECT_EQ(Problem(IdKind::kProviderNumber, ""), IdProblem::kEmpty);
}

TEST(SorTest, VerhoeffCheckDigitOnRealSorCodes) {
  for (const char* sor :
       {"953741000016009", "1395371000016000", "672261000016008", "672271000016003"}) {
    EXPECT_EQ(Norm(IdKind::kSor, sor), sor);
  }
  EXPECT_EQ(Problem(IdKind::kSor, "953741000016008"), IdProblem::kBadCheckDigit);
  EXPECT_EQ(Problem(IdKind::kSor, "953741000016019"), IdProblem::kBadCheckDigit);
  EXPECT_EQ(Problem(IdKind::kSor, "935741000016009"), IdProblem::kBadCheckDigit);  // swap
  EXPECT_EQ(Problem(IdKind::kSor, "123456789012345"), IdProblem::kBadCheckDigit);
  EXPECT_EQ(Problem(IdKind::kSor, "1234567890"), IdProblem::kBadLength);
  EXPECT_EQ(Problem(IdKind::kSor, "1234567890123456789"), IdProblem::kBadLength);
  EXPECT_EQ(Problem(IdKind::kSor, "95374100001600A"), IdProblem::kBadCharacter);
  EXPECT_TRUE(VerhoeffValid("2363"));  // The textbook example: 236 -> check digit 3.
  EXPECT_FALSE(VerhoeffValid("2364"));
}

// Regression: row 4 of the Verhoeff permutation table had 7,6,0,8 where
// p^4 gives 6,8,7,0, so codes with a 6-9 in every 8th position from the right
// (starting at the 5th) were judged wrongly, e.g. 12345678902 was refused.
// Checked against an independent Verhoeff that derives each row by applying
// the permutation (1 5 7 6 2 8 3 0 9 4) repeatedly instead of a table.
TEST(SorTest, VerhoeffAgreesWithPermutationPowersOnRandomCodes) {
  static constexpr int kD[10][10] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
      {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
      {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
      {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
      {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
  static constexpr int kP1[10] = {1, 5, 7, 6, 2, 8, 3, 0, 9, 4};
  auto perm = [](int power, int x) {
    for (int i = 0; i < power; ++i) x = kP1[x];
    return x;
  };
  auto valid = [&](const std::string& s) {
    int c = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      c = kD[c][perm(static_cast<int>(i % 8), s[s.size() - 1 - i] - '0')];
    }
    return c == 0;
  };
  std::mt19937 rng(5);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string body(10 + rng() % 7, '0');
    for (char& ch : body) ch = static_cast<char>('0' + rng() % 10);
    int accepted = 0;
    for (char check = '0'; check <= '9'; ++check) {
      const std::string code = body + check;
      ASSERT_EQ(VerhoeffValid(code), valid(code)) << code;
      accepted += valid(code);
    }
    ASSERT_EQ(accepted, 1) << body;  // exactly one check digit fits
  }
  EXPECT_EQ(Norm(IdKind::kSor, "12345678902"), "12345678902");
  EXPECT_EQ(Problem(IdKind::kSor, "12345678903"), IdProblem::kBadCheckDigit);
}

TEST(OtherTest, TrimmedTextUpTo256Bytes) {
  EXPECT_EQ(Norm(IdKind::kOther, "  patient-42 "), "patient-42");
  EXPECT_EQ(Norm(IdKind::kOther, "Søren Kierkegaard"), "Søren Kierkegaard");
  EXPECT_EQ(Problem(IdKind::kOther, std::string(257, 'x')), IdProblem::kTooLong);
  EXPECT_EQ(Problem(IdKind::kOther, std::string(256, 'x')), IdProblem::kNone);
  EXPECT_EQ(Problem(IdKind::kOther,
                    "a\x01"
                    "b"),
            IdProblem::kBadCharacter);
  EXPECT_EQ(Problem(IdKind::kOther, "a\xff"), IdProblem::kBadCharacter);
  EXPECT_EQ(Problem(IdKind::kOther, "\xc3"), IdProblem::kBadCharacter);          // truncated
  EXPECT_EQ(Problem(IdKind::kOther, "\xc0\xaf"), IdProblem::kBadCharacter);      // overlong
  EXPECT_EQ(Problem(IdKind::kOther, "\xed\xa0\x80"), IdProblem::kBadCharacter);  // surrogate
  EXPECT_EQ(Problem(IdKind::kOther, " \t "), IdProblem::kEmpty);
}

TEST(IdKindTest, NamesRoundTripAndAliases) {
  for (IdKind k : {IdKind::kCpr, IdKind::kCvr, IdKind::kGln, IdKind::kProviderNumber, IdKind::kSor,
                   IdKind::kOther}) {
    ASSERT_TRUE(ParseIdKind(IdKindName(k)).has_value());
    EXPECT_EQ(*ParseIdKind(IdKindName(k)), k);
  }
  EXPECT_EQ(ParseIdKind("Ydernummer"), IdKind::kProviderNumber);
  EXPECT_EQ(ParseIdKind("provider-number"), IdKind::kProviderNumber);
  EXPECT_EQ(ParseIdKind("CPR"), IdKind::kCpr);
  EXPECT_EQ(ParseIdKind("lokationsnummer"), IdKind::kGln);
  EXPECT_FALSE(ParseIdKind("").has_value());
  EXPECT_FALSE(ParseIdKind("cpr2").has_value());
  EXPECT_FALSE(ParseIdKind(std::string(100, 'c')).has_value());
}

TEST(IdKindTest, UnknownKindIsAnErrorNotACrash) {
  EXPECT_EQ(CheckId(static_cast<IdKind>(0), "x").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NormalizeId(static_cast<IdKind>(99), "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<std::string_view> in = {"1"};
  std::vector<IdProblem> problems;
  EXPECT_EQ(CheckIds(static_cast<IdKind>(7), in, &problems), 1u);
}

TEST(BatchTest, NormalizesAWholeColumnWithOneProblemPerRow) {
  std::vector<std::string_view> in = {"010180-1004", "3213801004", " 0101801000 ", "", "x"};
  StringColumn out;
  std::vector<IdProblem> problems;
  EXPECT_EQ(NormalizeIds(IdKind::kCpr, in, &out, &problems), 3u);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0], "0101801004");
  EXPECT_EQ(out[1], "");
  EXPECT_EQ(out[2], "0101801000");
  EXPECT_EQ(out[3], "");
  EXPECT_EQ(problems[0], IdProblem::kNone);
  EXPECT_EQ(problems[1], IdProblem::kBadDate);
  EXPECT_EQ(problems[2], IdProblem::kNone);
  EXPECT_EQ(problems[3], IdProblem::kEmpty);
  EXPECT_EQ(problems[4], IdProblem::kBadCharacter);
  EXPECT_EQ(out.offsets().size(), 6u);
  EXPECT_EQ(out.bytes(), "01018010040101801000");
  std::vector<IdProblem> only;
  EXPECT_EQ(CheckIds(IdKind::kCpr, in, &only), 3u);
  EXPECT_EQ(only, problems);
}

TEST(BatchTest, EmptyColumn) {
  StringColumn out;
  std::vector<IdProblem> problems = {IdProblem::kEmpty};
  EXPECT_EQ(NormalizeIds(IdKind::kGln, {}, &out, &problems), 0u);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(problems.empty());
}

TEST(BatchTest, ProblemStatusNamesTheRowButNotTheValue) {
  absl::Status s = IdProblemStatus(IdKind::kGln, IdProblem::kBadCheckDigit, 41);
  EXPECT_EQ(s.message(),
            "row 41: GLN (location number) rejected: the GLN's check digit (GS1 modulo 10) is "
            "wrong [bad_check_digit]");
}

TEST(StringColumnTest, PushAppendSecureClear) {
  StringColumn c;
  c.push_back("ab");
  std::memcpy(c.Append(3), "xyz", 3);
  c.push_back("");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[1], "xyz");
  EXPECT_EQ(c[2], "");
  EXPECT_EQ(c.ToVector(), (std::vector<std::string>{"ab", "xyz", ""}));
  c.SecureClear();
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(c.offsets().size(), 1u);
}

// Every problem code and text is defined for every kind.
TEST(ProblemTextTest, DefinedForEveryKindAndProblem) {
  for (int k = 1; k <= 6; ++k) {
    for (int p = 0; p <= 11; ++p) {
      EXPECT_FALSE(IdProblemText(static_cast<IdKind>(k), static_cast<IdProblem>(p)).empty());
      EXPECT_NE(IdProblemCode(static_cast<IdProblem>(p)), "unknown");
    }
  }
}

// Random input never crashes, and a normal form is a fixed point: normalising
// it again gives it back.
TEST(PropertyTest, RandomInputAndIdempotence) {
  std::mt19937 rng(20261123);
  const std::string alphabet = "0123456789-  DKdk\t\xc3\xb8x";
  for (int k = 1; k <= 6; ++k) {
    const IdKind kind = static_cast<IdKind>(k);
    int accepted = 0;
    for (int trial = 0; trial < 20000; ++trial) {
      std::string in;
      const int len = static_cast<int>(rng() % 24);
      for (int i = 0; i < len; ++i) {
        in += (rng() % 4 == 0) ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
      }
      IdBuffer buf;
      std::string_view out;
      IdProblem p = NormalizeIdInto(kind, in, &buf, &out);
      if (p != IdProblem::kNone) {
        EXPECT_TRUE(out.empty());
        continue;
      }
      ++accepted;
      std::string first(out);
      IdBuffer buf2;
      std::string_view again;
      ASSERT_EQ(NormalizeIdInto(kind, first, &buf2, &again), IdProblem::kNone) << first;
      EXPECT_EQ(again, first);
      if (kind != IdKind::kOther) {
        for (char c : first) ASSERT_TRUE(c >= '0' && c <= '9') << first;
      }
    }
    if (kind == IdKind::kProviderNumber || kind == IdKind::kOther) {
      EXPECT_GT(accepted, 0);
    }
  }
}

}  // namespace
}  // namespace gdprkit
