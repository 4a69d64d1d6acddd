// Tests for gdprkit/retention.h: dates, periods, rule checks, schedules,
// sweeps (precedence, events, holds) and every bad-input path.
#include "gdprkit/retention.h"

#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gdprkit/policy.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

DayNumber D(const char* text) {
  absl::StatusOr<DayNumber> d = ParseDate(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status();
  return d.ok() ? *d : kNoDate;
}

std::string Add(const char* date, const char* period) {
  absl::StatusOr<std::string> r = AddPeriod(date, period);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : "";
}

// ---------------------------------------------------------------------------
// Civil dates
// ---------------------------------------------------------------------------

static_assert(DaysFromCivil(1970, 1, 1) == 0);
static_assert(DaysFromCivil(2000, 3, 1) == 11017);
static_assert(CivilFromDays(-1) == CivilDate{1969, 12, 31});
static_assert(IsLeapYear(2024) && IsLeapYear(2000) && !IsLeapYear(1900) && !IsLeapYear(2100));
static_assert(DaysInMonth(2024, 2) == 29 && DaysInMonth(2025, 2) == 28 &&
              DaysInMonth(2025, 13) == 0);
static_assert(!IsValidCivilDate(2025, 2, 30) && IsValidCivilDate(2024, 2, 29));
// Header-first: AddPeriod is usable at compile time.
static_assert(AddPeriod(DaysFromCivil(2025, 11, 30), Period{0, 15, 0, 0}) ==
              DaysFromCivil(2027, 2, 28));

TEST(CivilDateTest, RoundTripsEveryDayOfTheValidRange) {
  int year = 1, month = 1, day = 1;
  for (DayNumber d = kMinDate; d <= kMaxDate; ++d) {
    const CivilDate c = CivilFromDays(d);
    ASSERT_EQ(c, (CivilDate{year, month, day})) << d;
    ASSERT_EQ(DaysFromCivil(c), d);
    if (++day > DaysInMonth(year, month)) {
      day = 1;
      if (++month > 12) {
        month = 1;
        ++year;
      }
    }
  }
  EXPECT_EQ(year, 10000);
}

TEST(CivilDateTest, ParsesAndFormats) {
  EXPECT_EQ(D("1970-01-01"), 0);
  EXPECT_EQ(D("2024-02-29"), DaysFromCivil(2024, 2, 29));
  EXPECT_EQ(FormatDate(D("2027-02-28")), "2027-02-28");
  EXPECT_EQ(FormatDate(kMinDate), "0001-01-01");
  EXPECT_EQ(FormatDate(kMaxDate), "9999-12-31");
  EXPECT_EQ(FormatDate(kNoDate), "");
  EXPECT_EQ(FormatDate(DaysFromCivil(12025, 1, 2)), "12025-01-02");
}

TEST(CivilDateTest, RefusesImpossibleAndMalformedDates) {
  absl::StatusOr<DayNumber> d = ParseDate("2025-02-30");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("impossible date \"2025-02-30\""));
  EXPECT_THAT(d.status().message(), HasSubstr("February 2025 has 28 days"));
  EXPECT_THAT(ParseDate("2023-02-29").status().message(), HasSubstr("has 28 days"));
  EXPECT_THAT(ParseDate("2025-04-31").status().message(), HasSubstr("April 2025 has 30 days"));
  EXPECT_THAT(ParseDate("2025-13-01").status().message(), HasSubstr("month 13"));
  EXPECT_THAT(ParseDate("2025-00-01").status().message(), HasSubstr("month 0"));
  EXPECT_THAT(ParseDate("0000-01-01").status().message(), HasSubstr("year 0000"));
  for (const char* bad : {"", "2025-1-01", "2025/01/01", "20250101", "abcd-ef-gh", "2025-01-01 ",
                          " 2025-01-01", "2025-01-0x", "-025-01-01"}) {
    absl::StatusOr<DayNumber> r = ParseDate(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.status().message(), HasSubstr("expected YYYY-MM-DD")) << bad;
  }
  // Garbage is shortened and made printable in messages.
  const std::string junk = std::string(1000, 'x') + "\n\x01";
  EXPECT_LT(ParseDate(junk).status().message().size(), 100u);
}

// A CPR number typed where a date or a period belongs is never repeated in the
// message (issue #9): not by ParseDate, nor by what reads dates through it
// (AddPeriod on text, ParseDateTime, the C ABI, Python, the CLI), nor by
// ParsePeriod. Other bad input is still shown, so that it can be found.
TEST(CivilDateTest, MessagesWithholdCprNumbers) {
  for (const std::string cpr : {"0101901234", "010190-1234", "01.01.90-1234", "010190 1234",
                                "3112991234", "pt0101901234", "0101901234x"}) {
    for (const absl::Status& s :
         {ParseDate(cpr).status(), AddPeriod(cpr, "P1D").status(),
          ParseDateTime(cpr, kDefaultTimeZone).status(), ParsePeriod("P" + cpr + "D").status(),
          ParsePeriod(cpr).status(), AddPeriod("2025-01-01", "P" + cpr).status()}) {
      ASSERT_FALSE(s.ok()) << cpr;
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << cpr;
      EXPECT_THAT(s.message(), HasSubstr("withheld")) << cpr << ": " << s.message();
      EXPECT_THAT(s.message(), Not(HasSubstr("1234"))) << cpr << ": " << s.message();
      EXPECT_THAT(s.message(), Not(HasSubstr("9012"))) << cpr << ": " << s.message();
    }
  }
  // What is wrong is still said.
  EXPECT_THAT(ParseDate("0101901234").status().message(), HasSubstr("expected YYYY-MM-DD"));
  EXPECT_THAT(ParsePeriod("P0101901234D").status().message(), HasSubstr("number too large"));
  // Texts that are no CPR number are shown as before.
  EXPECT_THAT(ParseDate("20250101").status().message(), HasSubstr("\"20250101\""));
  EXPECT_THAT(ParseDate("2025-02-30").status().message(), HasSubstr("\"2025-02-30\""));
  EXPECT_THAT(ParsePeriod("P1H").status().message(), HasSubstr("\"P1H\""));
}

// ---------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------

TEST(PeriodTest, ParsesIso8601DatePeriods) {
  struct Case {
    const char* text;
    Period want;
  } cases[] = {
      {"P14D", {0, 0, 0, 14}},     {"P3M", {0, 3, 0, 0}},       {"P15M", {0, 15, 0, 0}},
      {"P10Y", {10, 0, 0, 0}},     {"P0D", {0, 0, 0, 0}},       {"P1Y6M", {1, 6, 0, 0}},
      {"P1W", {0, 0, 1, 0}},       {"P1Y2M3W4D", {1, 2, 3, 4}}, {"P0Y", {0, 0, 0, 0}},
      {"P9999Y", {9999, 0, 0, 0}}, {"P007D", {0, 0, 0, 7}},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Period> p = ParsePeriod(c.text);
    ASSERT_TRUE(p.ok()) << c.text << ": " << p.status();
    EXPECT_EQ(*p, c.want) << c.text;
  }
  EXPECT_EQ(ParsePeriod("P1Y6M")->ToString(), "P1Y6M");
  EXPECT_EQ(ParsePeriod("P0Y")->ToString(), "P0D");
  EXPECT_EQ(ParsePeriod("P007D")->ToString(), "P7D");
  EXPECT_EQ(ParsePeriod("P1Y6M")->TotalMonths(), 18);
  EXPECT_EQ(ParsePeriod("P2W3D")->TotalDays(), 17);
  EXPECT_TRUE(ParsePeriod("P0D")->IsZero());
}

TEST(PeriodTest, RefusesIllFormedPeriodsSayingWhy) {
  struct Case {
    const char* text;
    const char* why;
  } cases[] = {
      {"", "empty"},
      {"P", "no components"},
      {"14D", "starts with 'P'"},
      {"p14d", "upper case"},
      {"P14d", "upper case"},
      {"P1.5Y", "fractions"},
      {"P1,5Y", "fractions"},
      {"PT12H", "time components"},
      {"P1DT2H", "time components"},
      {"P12H", "time components"},
      {"P-1D", "negative"},
      {"P1M1Y", "order Y, M, W, D"},
      {"P1Y1Y", "appears twice"},
      {"P10", "no designator"},
      {"P1X", "unknown designator 'X'"},
      {"P 1D", "unexpected character ' '"},
      {"P1D ", "unexpected character ' '"},
      {"P10000Y", "at most 9999 years"},
      {"P100000M", "at most 99999 months"},
      {"P1000000D", "at most 999999 days"},
      {"P99999999999D", "too large"},
      {"Pfoo", "upper case"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Period> p = ParsePeriod(c.text);
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(p.status().message(), HasSubstr("ill-formed period")) << c.text;
    EXPECT_THAT(p.status().message(), HasSubstr(c.why)) << c.text << ": " << p.status();
  }
}

// ---------------------------------------------------------------------------
// AddPeriod
// ---------------------------------------------------------------------------

TEST(AddPeriodTest, MonthsEndOnTheSameDayOrTheMonthsLastDay) {
  EXPECT_EQ(Add("2025-11-30", "P15M"), "2027-02-28");  // the issue's KAPsel example
  EXPECT_EQ(Add("2024-02-29", "P10Y"), "2034-02-28");  // leap day, 10 years on
  EXPECT_EQ(Add("2024-02-29", "P4Y"), "2028-02-29");   // leap day to leap day
  EXPECT_EQ(Add("2024-02-29", "P1Y"), "2025-02-28");
  EXPECT_EQ(Add("2024-02-29", "P12M"), "2025-02-28");
  EXPECT_EQ(Add("2025-01-31", "P1M"), "2025-02-28");
  EXPECT_EQ(Add("2024-01-31", "P1M"), "2024-02-29");
  EXPECT_EQ(Add("2025-03-31", "P1M"), "2025-04-30");
  EXPECT_EQ(Add("2025-08-31", "P3M"), "2025-11-30");
  EXPECT_EQ(Add("2025-12-15", "P1M"), "2026-01-15");
  EXPECT_EQ(Add("2025-12-31", "P2M"), "2026-02-28");
  EXPECT_EQ(Add("2025-11-30", "P1Y6M"), "2027-05-30");
  // Months first, then days: Jan 31 + 1 month = Feb 28, + 1 day = Mar 1.
  EXPECT_EQ(Add("2025-01-31", "P1M1D"), "2025-03-01");
  EXPECT_EQ(Add("2024-01-31", "P1M1D"), "2024-03-01");
  // Days and weeks.
  EXPECT_EQ(Add("2025-12-25", "P14D"), "2026-01-08");
  EXPECT_EQ(Add("2024-02-28", "P1D"), "2024-02-29");
  EXPECT_EQ(Add("2025-02-28", "P1D"), "2025-03-01");
  EXPECT_EQ(Add("2025-01-01", "P1W"), "2025-01-08");
  EXPECT_EQ(Add("2025-01-01", "P2W1D"), "2025-01-16");
  EXPECT_EQ(Add("2025-06-15", "P0D"), "2025-06-15");
  EXPECT_EQ(Add("9999-12-31", "P1D"), "10000-01-01");
  EXPECT_EQ(Add("2000-02-29", "P100Y"), "2100-02-28");  // 2100 is not a leap year
  EXPECT_EQ(Add("1996-02-29", "P4Y"), "2000-02-29");    // 2000 is
}

TEST(AddPeriodTest, AgreesWithAbseilCivilArithmeticOnRandomDates) {
  std::mt19937 rng(20250101);
  std::uniform_int_distribution<int> day(DaysFromCivil(1900, 1, 1), DaysFromCivil(2200, 12, 31));
  std::uniform_int_distribution<int> small(0, 40);
  for (int i = 0; i < 200000; ++i) {
    const DayNumber d = day(rng);
    const Period p{small(rng) / 4, small(rng), small(rng) % 5, small(rng)};
    const CivilDate c = CivilFromDays(d);
    const absl::CivilMonth m = absl::CivilMonth(c.year, c.month) + p.TotalMonths();
    const int last = DaysInMonth(static_cast<int>(m.year()), m.month());
    const absl::CivilDay want =
        absl::CivilDay(m.year(), m.month(), std::min(c.day, last)) + p.TotalDays();
    const DayNumber got = AddPeriod(d, p);
    ASSERT_EQ(got, DaysFromCivil(static_cast<int>(want.year()), want.month(), want.day()))
        << FormatDate(d) << " + " << p.ToString();
  }
}

TEST(AddPeriodTest, TextVersionNamesBadInput) {
  EXPECT_THAT(AddPeriod("2025-02-30", "P1D").status().message(), HasSubstr("2025-02-30"));
  EXPECT_THAT(AddPeriod("2025-02-01", "P1.5D").status().message(),
              HasSubstr("ill-formed period \"P1.5D\""));
}

// ---------------------------------------------------------------------------
// Dates and times with zones
// ---------------------------------------------------------------------------

TEST(ParseDateTimeTest, ReadsInstantsInCopenhagen) {
  // Winter: CET is UTC+1; 23:30Z is 00:30 the next day in Copenhagen.
  EXPECT_EQ(*ParseDateTime("2025-03-29T23:30:00Z"), D("2025-03-30"));
  EXPECT_EQ(*ParseDateTime("2025-01-15T22:59:59Z"), D("2025-01-15"));
  EXPECT_EQ(*ParseDateTime("2025-01-15T23:00:00Z"), D("2025-01-16"));
  // Summer: CEST is UTC+2.
  EXPECT_EQ(*ParseDateTime("2025-06-30T21:59:59Z"), D("2025-06-30"));
  EXPECT_EQ(*ParseDateTime("2025-06-30T22:00:00Z"), D("2025-07-01"));
  EXPECT_EQ(*ParseDateTime("2025-06-30T22:30:00.123456Z"), D("2025-07-01"));
  EXPECT_EQ(*ParseDateTime("2025-06-30T23:30:00+02:00"), D("2025-06-30"));
  EXPECT_EQ(*ParseDateTime("2025-06-30T23:30:00-0100"), D("2025-07-01"));
  EXPECT_EQ(*ParseDateTime("2025-06-30 23:30+00"), D("2025-07-01"));
  // Another zone when asked.
  EXPECT_EQ(*ParseDateTime("2025-06-30T22:30:00Z", "UTC"), D("2025-06-30"));
  EXPECT_EQ(*ParseDateTime("2025-06-30T22:30:00Z", "America/New_York"), D("2025-06-30"));
  // Civil times and plain dates: their own date.
  EXPECT_EQ(*ParseDateTime("2025-06-30T23:30"), D("2025-06-30"));
  EXPECT_EQ(*ParseDateTime("2025-03-30T02:30:00"), D("2025-03-30"));  // in the DST gap
  EXPECT_EQ(*ParseDateTime("2025-06-30"), D("2025-06-30"));
  EXPECT_EQ(*DateOfInstant(0), D("1970-01-01"));
  EXPECT_EQ(*DateOfInstant(-3600), D("1970-01-01"));  // 00:00 CET
  EXPECT_EQ(*DateOfInstant(-3601), D("1969-12-31"));
}

TEST(ParseDateTimeTest, RefusesBadTimesAndZones) {
  EXPECT_THAT(ParseDateTime("2025-02-30T10:00:00Z").status().message(),
              HasSubstr("impossible date"));
  EXPECT_THAT(ParseDateTime("2025-01-01T25:00:00Z").status().message(), HasSubstr("hour 25"));
  EXPECT_THAT(ParseDateTime("2025-01-01T10:61Z").status().message(), HasSubstr("minute 61"));
  EXPECT_THAT(ParseDateTime("2025-01-01X10:00").status().message(), HasSubstr("'T'"));
  EXPECT_THAT(ParseDateTime("2025-01-01T10").status().message(), HasSubstr("HH:MM"));
  EXPECT_THAT(ParseDateTime("2025-01-01T10:00+25:00").status().message(),
              HasSubstr("offset out of range"));
  EXPECT_THAT(ParseDateTime("2025-01-01T10:00:00Q").status().message(), HasSubstr("zone"));
  EXPECT_THAT(ParseDateTime("2025-01-01T10:00:00Zjunk").status().message(),
              HasSubstr("unexpected text"));
  EXPECT_THAT(ParseDateTime("2025-01-01T10:00:00.Z").status().message(),
              HasSubstr("decimal point"));
  EXPECT_THAT(ParseDateTime("2025").status().message(), HasSubstr("expected YYYY-MM-DD"));
  absl::StatusOr<DayNumber> z = ParseDateTime("2025-01-01T10:00Z", "Mars/Olympus_Mons");
  EXPECT_EQ(z.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(z.status().message(), HasSubstr("tzdata"));
  EXPECT_EQ(DateOfInstant(0, "").status().code(), absl::StatusCode::kFailedPrecondition);
}

// ---------------------------------------------------------------------------
// Rules as written: checks and policy findings
// ---------------------------------------------------------------------------

RetentionRuleRef Rule(std::string id, std::string period, std::string anchor = "",
                      RetentionAction action = RetentionAction::kDeleteAfter,
                      std::vector<RetentionEventRef> ends_early = {},
                      std::vector<RetentionEventRef> extended_by = {}) {
  RetentionRuleRef r;
  r.id = std::move(id);
  r.period = std::move(period);
  r.anchor = std::move(anchor);
  r.action = action;
  r.ends_early = std::move(ends_early);
  r.extended_by = std::move(extended_by);
  return r;
}

std::vector<std::string> Codes(const std::vector<RetentionRuleProblem>& ps) {
  std::vector<std::string> out;
  for (const auto& p : ps) out.push_back(p.code + "@" + p.field);
  return out;
}

TEST(CheckRetentionRuleTest, AcceptsWellFormedRules) {
  EXPECT_TRUE(CheckRetentionRule(Rule("kapsel", "P15M", "provider_number_ended")).empty());
  EXPECT_TRUE(CheckRetentionRule(Rule("r", "P10Y", "", RetentionAction::kDeleteAfter,
                                      {{"consent_withdrawn", ""}}, {{"consent_to_retain", "P1Y"}}))
                  .empty());
  EXPECT_TRUE(CheckRetentionRule(
                  Rule("r", "", "", RetentionAction::kDeleteAfter, {{"consent_withdrawn", "P30D"}}))
                  .empty());
}

TEST(CheckRetentionRuleTest, FlagsEachProblemWithItsField) {
  EXPECT_THAT(Codes(CheckRetentionRule(Rule("r", "P1.5Y"))),
              ElementsAre("invalid-retention-period@period"));
  EXPECT_THAT(Codes(CheckRetentionRule(Rule("r", "P1Y", "Last Contact"))),
              ElementsAre("invalid-retention-event@anchor"));
  EXPECT_THAT(Codes(CheckRetentionRule(Rule("r", "P1Y", "last_contct"))),
              ElementsAre("unknown-retention-event@anchor"));
  EXPECT_THAT(Codes(CheckRetentionRule(Rule("r", "P1Y", "board_meeting_held"))),
              ElementsAre("custom-retention-event@anchor"));
  EXPECT_THAT(Codes(CheckRetentionRule(Rule("r", "", "last_contact"))),
              ElementsAre("retention-anchor-without-period@anchor"));
  EXPECT_TRUE(CheckRetentionRule(Rule("r", "", "")).empty());  // descriptive only
  EXPECT_THAT(Codes(CheckRetentionRule(Rule("r", "P1Y", "", RetentionAction::kUnknown))),
              ElementsAre("unknown-retention-action@action"));
  EXPECT_THAT(Codes(CheckRetentionRule(Rule("r", "P1Y", "", RetentionAction::kDeleteAfter,
                                            {{"", "P1D"}, {"consent_withdrawn", "1D"}},
                                            {{"consent_to_retain", ""}}))),
              ElementsAre("invalid-retention-event@ends_early[0].event",
                          "invalid-retention-period@ends_early[1].period",
                          "retention-extension-without-period@extended_by[0].period"));
  EXPECT_THAT(Codes(CheckRetentionRule(Rule("r", "", "", RetentionAction::kDeleteAfter, {},
                                            {{"consent_to_retain", "P1Y"}}))),
              ElementsAre("retention-anchor-without-period@extended_by"));
  const auto ps = CheckRetentionRule(Rule("kapsel", "P1Y", "last_contct"));
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].severity, Severity::kWarning);
  EXPECT_THAT(ps[0].message, HasSubstr("retention rule \"kapsel\""));
  EXPECT_THAT(ps[0].message, HasSubstr("did you mean \"last_contact\""));
}

constexpr char kPolicyText[] = R"pb(
  schema: "gdprkit.v1"
  controller { name: "Test" }
  purposes {
    id: "recruitment"
    categories: "contact"
    data_subjects: "applicants"
    basis: "A6-1-b"
    retention: "rejected-3-months"
  }
  purposes {
    id: "research-contact"
    categories: "contact"
    data_subjects: "patients"
    basis: "A6-1-a"
    consent { record: "form" withdrawal: "mail" }
    retention: "research"
  }
  purposes { id: "no-rule" categories: "contact" data_subjects: "patients" basis: "A6-1-b" }
  retention_rules { id: "rejected-3-months" period: "P3M" anchor: "application_rejected" }
  retention_rules {
    id: "research"
    period: "P10Y"
    ends_early { event: "consent_withdrawn" }
  }
)pb";

TEST(PolicyRetentionTest, LoadsStructuredRules) {
  auto policy = Policy::FromText(kPolicyText, PolicyFormat::kTextProto, "test.textproto");
  ASSERT_TRUE(policy.ok()) << policy.status();
  ASSERT_EQ((*policy)->retention_rules().size(), 2u);
  const RetentionRuleRef& r = (*policy)->retention_rules()[1];
  EXPECT_EQ(r.period, "P10Y");
  EXPECT_EQ(r.anchor, "");
  EXPECT_EQ(r.action, RetentionAction::kDeleteAfter);
  ASSERT_EQ(r.ends_early.size(), 1u);
  EXPECT_EQ(r.ends_early[0].event, "consent_withdrawn");
  for (const Finding& f : (*policy)->Validate()) {
    if (f.code.find("retention") != std::string::npos) {
      EXPECT_EQ(f.code, "missing-retention") << f.message;  // the purpose "no-rule"
    }
  }
}

TEST(PolicyRetentionTest, BadRulesAreFindingsNotLoadFailures) {
  constexpr char kBad[] = R"pb(
    purposes { id: "p" basis: "A6-1-b" retention: "r" }
    retention_rules {
      id: "r"
      period: "P3 months"
      anchor: "Application Rejected"
      action: RETAIN_THEN_DELETE
      extended_by { event: "consent_to_retain" }
    }
  )pb";
  auto policy = Policy::FromText(kBad, PolicyFormat::kTextProto, "bad.textproto");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ((*policy)->retention_rules()[0].action, RetentionAction::kRetainThenDelete);
  EXPECT_FALSE((*policy)->IsValid());
  std::map<std::string, Finding> by_code;
  for (const Finding& f : (*policy)->Validate()) by_code[f.code] = f;
  ASSERT_TRUE(by_code.count("invalid-retention-period"));
  const Finding& f = by_code["invalid-retention-period"];
  EXPECT_EQ(f.field, "retention_rules[0].period");
  EXPECT_EQ(f.line, 5);
  EXPECT_EQ(f.file, "bad.textproto");
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_THAT(f.message, HasSubstr("\"P3 months\""));
  ASSERT_TRUE(by_code.count("invalid-retention-event"));
  EXPECT_EQ(by_code["invalid-retention-event"].field, "retention_rules[0].anchor");
  EXPECT_EQ(by_code["invalid-retention-event"].line, 6);
  ASSERT_TRUE(by_code.count("retention-extension-without-period"));
  EXPECT_EQ(by_code["retention-extension-without-period"].field,
            "retention_rules[0].extended_by[0].period");
  EXPECT_EQ(by_code["retention-extension-without-period"].line, 8);

  // A schedule refuses to compile it, naming rule and fields.
  auto s = RetentionSchedule::FromPolicy(**policy);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.status().message(), HasSubstr("bad.textproto"));
  EXPECT_THAT(s.status().message(), HasSubstr("retention_rules[0].period"));
  EXPECT_THAT(s.status().message(), HasSubstr("retention_rules[0].anchor"));
}

TEST(PolicyRetentionTest, ReadsStructuredRulesFromJson) {
  constexpr char kJson[] = R"({
  "purposes": [{"id": "p", "basis": ["A6-1-b"], "retention": "r"}],
  "retentionRules": [{"id": "r", "period": "P1Y", "anchor": "last_contact",
                      "action": "RETAIN_AT_LEAST",
                      "endsEarly": [{"event": "consent_withdrawn", "period": "P30D"}],
                      "extendedBy": [{"event": "consent_to_retain", "period": "P2Y"}]}]
})";
  auto policy = Policy::FromText(kJson, PolicyFormat::kJson, "p.json");
  ASSERT_TRUE(policy.ok()) << policy.status();
  const RetentionRuleRef& r = (*policy)->retention_rules()[0];
  EXPECT_EQ(r.action, RetentionAction::kRetainAtLeast);
  EXPECT_EQ(r.ends_early[0].period, "P30D");
  EXPECT_EQ(r.extended_by[0].event, "consent_to_retain");
}

TEST(PolicyRetentionTest, UnknownActionNumberIsFlagged) {
  auto policy = Policy::FromText(
      R"({"purposes": [{"id": "p", "basis": ["A6-1-b"], "retention": "r"}],
          "retentionRules": [{"id": "r", "period": "P1Y", "action": 9}]})",
      PolicyFormat::kJson, "p.json");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ((*policy)->retention_rules()[0].action, RetentionAction::kUnknown);
  bool found = false;
  for (const Finding& f : (*policy)->Validate()) {
    if (f.code == "unknown-retention-action") {
      found = true;
      EXPECT_EQ(f.field, "retention_rules[0].action");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_FALSE(RetentionSchedule::FromPolicy(**policy).ok());
}

// ---------------------------------------------------------------------------
// Schedules
// ---------------------------------------------------------------------------

TEST(RetentionScheduleTest, CompilesPolicyAndResolvesNames) {
  auto policy = Policy::FromText(kPolicyText, PolicyFormat::kTextProto, "test.textproto");
  ASSERT_TRUE(policy.ok());
  auto s = RetentionSchedule::FromPolicy(**policy);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(s->events(), ElementsAre("collection", "application_rejected", "consent_withdrawn"));
  EXPECT_EQ(s->RuleIndex("research"), 1);
  EXPECT_EQ(s->RuleIndex("nope"), -1);
  EXPECT_EQ(s->EventIndex("consent_withdrawn"), 2);
  EXPECT_EQ(s->rules()[0].anchor, 1);
  EXPECT_EQ(s->rules()[1].anchor, 0);
  EXPECT_THAT(*s->Resolve("research"), ElementsAre(1));
  EXPECT_THAT(*s->Resolve("recruitment"), ElementsAre(0));  // a purpose: its rule
  EXPECT_THAT(*s->Resolve("research+recruitment"), ElementsAre(1, 0));
  EXPECT_THAT(*s->Resolve(" research + research "), ElementsAre(1));
  EXPECT_TRUE(s->Resolve("no-rule")->empty());
  EXPECT_TRUE(s->Resolve("")->empty());
  absl::StatusOr<std::vector<std::int32_t>> bad = s->Resolve("reserch");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(bad.status().message(), HasSubstr("\"reserch\""));
  EXPECT_THAT(bad.status().message(), HasSubstr("\"research\""));
  EXPECT_EQ(s->Resolve("research+").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RetentionScheduleTest, PurposeWithUnknownRuleIsRefusedOnResolve) {
  auto policy = Policy::FromText(R"pb(purposes { id: "p" retention: "missing" })pb",
                                 PolicyFormat::kTextProto);
  ASSERT_TRUE(policy.ok());
  auto s = RetentionSchedule::FromPolicy(**policy);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->Resolve("p").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(RetentionScheduleTest, FromRulesRefusesMissingAndDuplicateIds) {
  std::vector<RetentionRuleRef> rules = {Rule("a", "P1Y"), Rule("a", "P2Y"), Rule("", "P1D")};
  auto s = RetentionSchedule::FromRules(rules);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("duplicate retention rule id \"a\""));
  EXPECT_THAT(s.status().message(), HasSubstr("has no id"));
  EXPECT_TRUE(RetentionSchedule::FromRules({}).ok());
}

// ---------------------------------------------------------------------------
// Sweeps
// ---------------------------------------------------------------------------

// Builds columnar input from rows written as text, and sweeps it.
class Records {
 public:
  explicit Records(std::vector<RetentionRuleRef> rules) {
    auto s = RetentionSchedule::FromRules(rules);
    EXPECT_TRUE(s.ok()) << s.status();
    schedule_ = std::make_unique<RetentionSchedule>(*std::move(s));
  }

  // `rules`: rule ids joined by '+'; `events`: event -> YYYY-MM-DD.
  int Add(const std::string& id, const std::string& rules,
          std::map<std::string, std::string> events) {
    ids_.push_back(id);
    rows_.push_back(Row{rules, std::move(events)});
    return static_cast<int>(rows_.size() - 1);
  }
  void AddHold(int row, const char* start, const char* end = nullptr) {
    holds_.push_back(Hold{row, start ? D(start) : kNoDate, end ? D(end) : kNoDate});
  }
  // Makes the input; every event of the schedule gets a column unless omitted.
  SweepInput& Input(std::vector<std::string> omit = {}) {
    input_ = SweepInput();
    views_.assign(ids_.begin(), ids_.end());
    input_.record_ids = views_;
    std::map<std::string, std::int32_t> sets;
    selector_.clear();
    for (const Row& r : rows_) {
      auto it = sets.find(r.rules);
      if (it == sets.end()) {
        auto resolved = schedule_->Resolve(r.rules);
        EXPECT_TRUE(resolved.ok()) << resolved.status();
        input_.rule_sets.push_back(*resolved);
        it = sets.emplace(r.rules, static_cast<std::int32_t>(input_.rule_sets.size() - 1)).first;
      }
      selector_.push_back(it->second);
    }
    input_.selector = selector_;
    columns_.assign(schedule_->events().size(), {});
    for (std::size_t e = 0; e < schedule_->events().size(); ++e) {
      const std::string& name = schedule_->events()[e];
      if (std::find(omit.begin(), omit.end(), name) != omit.end()) continue;
      for (const Row& r : rows_) {
        auto it = r.events.find(name);
        if (it == r.events.end()) {
          columns_[e].push_back(kNoDate);
        } else {
          auto d = ParseDate(it->second);
          columns_[e].push_back(d.ok() ? *d : std::stoi(it->second));  // raw day numbers too
        }
      }
      input_.events.push_back(EventColumn{name, columns_[e]});
    }
    input_.holds = holds_;
    return input_;
  }
  absl::StatusOr<SweepResult> Sweep(const char* as_of, SweepOptions options = {}) {
    return schedule_->Sweep(Input(), D(as_of), options);
  }
  const RetentionSchedule& schedule() const { return *schedule_; }

 private:
  struct Row {
    std::string rules;
    std::map<std::string, std::string> events;
  };
  std::unique_ptr<RetentionSchedule> schedule_;
  std::vector<std::string> ids_;
  std::vector<std::string_view> views_;
  std::vector<Row> rows_;
  std::vector<Hold> holds_;
  std::vector<std::int32_t> selector_;
  std::vector<std::vector<DayNumber>> columns_;
  SweepInput input_;
};

// One row of a result, readable in assertions.
struct Out {
  std::string status, due, rule, anchor, reason;
  int hold;
};

Out Row(const Records& recs, const SweepResult& r, int i) {
  const RetentionSchedule& s = recs.schedule();
  return Out{std::string(RetentionStatusName(r.status[i])),
             FormatDate(r.due_date[i]),
             r.rule[i] < 0 ? "-" : s.rules()[r.rule[i]].id,
             r.anchor[i] < 0 ? "-" : std::string(s.events()[r.anchor[i]]),
             std::string(RetentionReasonName(r.reason[i])),
             r.hold[i]};
}

// Status, date, rule, anchor, reason of row i as of a date.
std::string At(Records& recs, const char* as_of, int i, SweepOptions options = {}) {
  absl::StatusOr<SweepResult> r = recs.Sweep(as_of, options);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return "error";
  const Out o = Row(recs, *r, i);
  std::string s = o.status;
  if (!o.due.empty()) s += " " + o.due;
  s += " " + o.rule + " " + o.anchor + " " + o.reason;
  if (o.hold >= 0) s += " hold" + std::to_string(o.hold);
  return s;
}

TEST(SweepTest, PeriodFromCollection) {
  Records recs({Rule("unsolicited-14-days", "P14D")});
  recs.Add("a", "unsolicited-14-days", {{"collection", "2025-03-01"}});
  EXPECT_EQ(At(recs, "2025-03-01", 0), "pending 2025-03-15 unsolicited-14-days collection period");
  EXPECT_EQ(At(recs, "2025-03-14", 0), "pending 2025-03-15 unsolicited-14-days collection period");
  EXPECT_EQ(At(recs, "2025-03-15", 0), "due 2025-03-15 unsolicited-14-days collection period");
  EXPECT_EQ(At(recs, "2026-01-01", 0), "due 2025-03-15 unsolicited-14-days collection period");
}

TEST(SweepTest, ZeroPeriodIsDueOnTheAnchorDay) {
  Records recs({Rule("health-at-end", "P0D", "employment_ended")});
  recs.Add("a", "health-at-end",
           {{"collection", "2020-01-01"}, {"employment_ended", "2025-06-30"}});
  EXPECT_EQ(At(recs, "2025-06-29", 0), "pending 2025-06-30 health-at-end employment_ended period");
  EXPECT_EQ(At(recs, "2025-06-30", 0), "due 2025-06-30 health-at-end employment_ended period");
}

TEST(SweepTest, EventAnchorKeepsTheRecordUntilTheEventHappens) {
  Records recs({Rule("kapsel", "P15M", "provider_number_ended")});
  recs.Add("open", "kapsel", {{"collection", "2019-05-01"}});
  recs.Add("ended", "kapsel",
           {{"collection", "2019-05-01"}, {"provider_number_ended", "2025-11-30"}});
  EXPECT_EQ(At(recs, "2030-01-01", 0), "kept kapsel provider_number_ended anchor-pending");
  EXPECT_EQ(At(recs, "2027-02-27", 1), "pending 2027-02-28 kapsel provider_number_ended period");
  EXPECT_EQ(At(recs, "2027-02-28", 1), "due 2027-02-28 kapsel provider_number_ended period");
}

TEST(SweepTest, LeapDayAnchors) {
  Records recs({Rule("ten-years", "P10Y", "", RetentionAction::kRetainThenDelete)});
  recs.Add("leap", "ten-years", {{"collection", "2024-02-29"}});
  EXPECT_EQ(At(recs, "2034-02-27", 0), "pending 2034-02-28 ten-years collection period");
  EXPECT_EQ(At(recs, "2034-02-28", 0), "due 2034-02-28 ten-years collection period");
}

TEST(SweepTest, EarlyEndEvents) {
  Records recs(
      {Rule("research", "P10Y", "", RetentionAction::kDeleteAfter, {{"consent_withdrawn", ""}}),
       Rule("grace", "P10Y", "", RetentionAction::kDeleteAfter, {{"consent_withdrawn", "P30D"}}),
       Rule("until-withdrawn", "", "", RetentionAction::kDeleteAfter,
            {{"consent_withdrawn", ""}, {"subscription_ended", ""}})});
  recs.Add("kept", "research", {{"collection", "2020-01-15"}});
  recs.Add("withdrawn", "research",
           {{"collection", "2020-01-15"}, {"consent_withdrawn", "2024-05-02"}});
  recs.Add("grace", "grace", {{"collection", "2020-01-15"}, {"consent_withdrawn", "2024-05-02"}});
  recs.Add("open", "until-withdrawn", {{"collection", "2020-01-15"}});
  recs.Add("stopped", "until-withdrawn",
           {{"collection", "2020-01-15"}, {"subscription_ended", "2025-01-01"}});
  // Withdrawn after the period ran out: no effect.
  recs.Add("late", "research", {{"collection", "2010-01-15"}, {"consent_withdrawn", "2024-05-02"}});
  EXPECT_EQ(At(recs, "2025-01-01", 0), "pending 2030-01-15 research collection period");
  EXPECT_EQ(At(recs, "2025-01-01", 1), "due 2024-05-02 research consent_withdrawn ended-early");
  EXPECT_EQ(At(recs, "2024-05-20", 2), "pending 2024-06-01 grace consent_withdrawn ended-early");
  EXPECT_EQ(At(recs, "2025-01-01", 3), "kept until-withdrawn consent_withdrawn anchor-pending");
  EXPECT_EQ(At(recs, "2025-01-01", 4),
            "due 2025-01-01 until-withdrawn subscription_ended ended-early");
  EXPECT_EQ(At(recs, "2025-01-01", 5), "due 2020-01-15 research collection period");
}

TEST(SweepTest, ExtensionEvents) {
  Records recs({Rule("recruitment", "P0D", "position_filled", RetentionAction::kDeleteAfter,
                     {{"consent_withdrawn", ""}}, {{"consent_to_retain", "P1Y"}})});
  recs.Add("plain", "recruitment",
           {{"collection", "2025-01-10"}, {"position_filled", "2025-03-01"}});
  recs.Add("consented", "recruitment",
           {{"collection", "2025-01-10"},
            {"position_filled", "2025-03-01"},
            {"consent_to_retain", "2025-02-20"}});
  recs.Add("consented-then-withdrew", "recruitment",
           {{"collection", "2025-01-10"},
            {"position_filled", "2025-03-01"},
            {"consent_to_retain", "2025-02-20"},
            {"consent_withdrawn", "2025-06-01"}});
  recs.Add("not-filled", "recruitment",
           {{"collection", "2025-01-10"}, {"consent_to_retain", "2025-02-20"}});
  // An extension that ends before the normal end changes nothing.
  recs.Add("early-consent", "recruitment",
           {{"collection", "2023-01-10"},
            {"position_filled", "2025-03-01"},
            {"consent_to_retain", "2023-02-20"}});
  EXPECT_EQ(At(recs, "2025-03-01", 0), "due 2025-03-01 recruitment position_filled period");
  EXPECT_EQ(At(recs, "2025-03-01", 1), "pending 2026-02-20 recruitment consent_to_retain extended");
  EXPECT_EQ(At(recs, "2026-02-20", 1), "due 2026-02-20 recruitment consent_to_retain extended");
  // Early end beats the extension.
  EXPECT_EQ(At(recs, "2025-07-01", 2), "due 2025-06-01 recruitment consent_withdrawn ended-early");
  EXPECT_EQ(At(recs, "2025-07-01", 3), "kept recruitment position_filled anchor-pending");
  EXPECT_EQ(At(recs, "2025-07-01", 4), "due 2025-03-01 recruitment position_filled period");
}

TEST(SweepTest, PrecedenceBetweenRules) {
  Records recs(
      {Rule("delete-5y", "P5Y"), Rule("delete-2y", "P2Y"),
       Rule("retain-10y", "P10Y", "", RetentionAction::kRetainAtLeast),
       Rule("retain-15y-then-delete", "P15Y", "", RetentionAction::kRetainThenDelete),
       Rule("retain-after-claim", "P5Y", "last_processing", RetentionAction::kRetainAtLeast),
       Rule("delete-after-contact", "P6M", "last_contact"), Rule("as-long-as-necessary", "")});
  const std::map<std::string, std::string> c = {{"collection", "2020-01-01"}};
  recs.Add("shortest-deletion", "delete-5y+delete-2y", c);
  recs.Add("retention-beats-deletion", "delete-2y+retain-10y", c);
  recs.Add("longest-retention", "delete-2y+retain-10y+retain-15y-then-delete", c);
  recs.Add("retain-only", "retain-10y", c);
  recs.Add("retain-pending", "delete-2y+retain-after-claim", c);
  recs.Add("known-deletion-wins", "delete-after-contact+delete-5y", c);
  recs.Add("all-deletions-pending", "delete-after-contact", c);
  recs.Add("no-period", "as-long-as-necessary", c);
  recs.Add("no-period-ignored", "as-long-as-necessary+delete-2y", c);
  recs.Add("no-rule", "", c);
  recs.Add("retain-then-delete-alone", "retain-15y-then-delete", c);
  recs.Add("shorter-retention-loses", "retain-15y-then-delete+retain-10y+delete-5y", c);
  const char* as_of = "2025-01-01";
  EXPECT_EQ(At(recs, as_of, 0), "due 2022-01-01 delete-2y collection period");
  EXPECT_EQ(At(recs, as_of, 1), "pending 2030-01-01 retain-10y collection period");
  EXPECT_EQ(At(recs, as_of, 2), "pending 2035-01-01 retain-15y-then-delete collection period");
  EXPECT_EQ(At(recs, as_of, 3), "kept 2030-01-01 retain-10y collection period");
  EXPECT_EQ(At(recs, "2030-01-01", 3), "may-delete 2030-01-01 retain-10y collection period");
  EXPECT_EQ(At(recs, as_of, 4), "kept retain-after-claim last_processing anchor-pending");
  EXPECT_EQ(At(recs, as_of, 5), "due 2025-01-01 delete-5y collection period");
  EXPECT_EQ(At(recs, as_of, 6), "kept delete-after-contact last_contact anchor-pending");
  EXPECT_EQ(At(recs, as_of, 7), "kept as-long-as-necessary - no-period");
  EXPECT_EQ(At(recs, as_of, 8), "due 2022-01-01 delete-2y collection period");
  EXPECT_EQ(At(recs, as_of, 9), "kept - - no-rule");
  EXPECT_EQ(At(recs, as_of, 10), "pending 2035-01-01 retain-15y-then-delete collection period");
  EXPECT_EQ(At(recs, as_of, 11), "pending 2035-01-01 retain-15y-then-delete collection period");
}

TEST(SweepTest, ATieBetweenDeletionsGoesToTheFirstRule) {
  Records recs({Rule("a", "P12M"), Rule("b", "P1Y")});
  recs.Add("x", "b+a", {{"collection", "2020-01-01"}});
  EXPECT_EQ(At(recs, "2025-01-01", 0), "due 2021-01-01 b collection period");
}

TEST(SweepTest, Holds) {
  Records recs({Rule("claims", "P5Y", "last_processing"),
                Rule("retain", "P1Y", "", RetentionAction::kRetainAtLeast), Rule("none", "")});
  const std::map<std::string, std::string> ev = {{"collection", "2015-01-01"},
                                                 {"last_processing", "2019-06-01"}};
  // Due 2024-06-01.
  const int active = recs.Add("active-hold", "claims", ev);
  recs.AddHold(active, "2024-01-01", "2025-03-01");
  const int open = recs.Add("open-hold", "claims", ev);
  recs.AddHold(open, "2024-01-01");
  const int released = recs.Add("released-after-due", "claims", ev);
  recs.AddHold(released, "2024-01-01", "2024-09-15");
  const int before = recs.Add("released-before-due", "claims", ev);
  recs.AddHold(before, "2023-01-01", "2023-02-01");
  const int overdue = recs.Add("held-after-due", "claims", ev);
  recs.AddHold(overdue, "2024-08-01", "2024-09-01");
  const int chain = recs.Add("overlapping-holds", "claims", ev);
  recs.AddHold(chain, "2024-05-01", "2024-07-01");
  recs.AddHold(chain, "2024-06-15", "2024-10-01");
  recs.AddHold(chain, "2024-10-01", "2024-10-05");  // starts the day the other ends
  const int future = recs.Add("future-open-hold", "claims", ev);
  recs.AddHold(future, "2024-03-01");
  const int empty = recs.Add("zero-length-hold", "claims", ev);
  recs.AddHold(empty, "2024-06-01", "2024-06-01");
  const int kept = recs.Add("kept-under-hold", "none", ev);
  recs.AddHold(kept, "2020-01-01");
  const int retain = recs.Add("may-delete-under-hold", "retain", ev);
  recs.AddHold(retain, "2020-01-01", "2030-01-01");

  EXPECT_EQ(At(recs, "2024-12-01", active), "held 2025-03-01 claims last_processing hold hold0");
  EXPECT_EQ(At(recs, "2025-03-01", active),
            "due 2025-03-01 claims last_processing hold-released hold0");
  EXPECT_EQ(At(recs, "2024-02-01", active), "held 2025-03-01 claims last_processing hold hold0");
  EXPECT_EQ(At(recs, "2023-12-31", active),
            "pending 2025-03-01 claims last_processing hold-released hold0");
  EXPECT_EQ(At(recs, "2030-01-01", open), "held claims last_processing hold hold1");
  EXPECT_EQ(At(recs, "2025-01-01", released),
            "due 2024-09-15 claims last_processing hold-released hold2");
  EXPECT_EQ(At(recs, "2025-01-01", before), "due 2024-06-01 claims last_processing period");
  EXPECT_EQ(At(recs, "2024-08-15", overdue), "held 2024-09-01 claims last_processing hold hold4");
  EXPECT_EQ(At(recs, "2024-09-01", overdue), "due 2024-06-01 claims last_processing period");
  EXPECT_EQ(At(recs, "2025-01-01", chain),
            "due 2024-10-05 claims last_processing hold-released hold7");
  EXPECT_EQ(At(recs, "2024-02-01", future), "kept claims last_processing hold hold8");
  EXPECT_EQ(At(recs, "2024-06-01", empty), "due 2024-06-01 claims last_processing period");
  EXPECT_EQ(At(recs, "2025-01-01", kept), "held none - hold hold10");
  EXPECT_EQ(At(recs, "2025-01-01", retain), "held retain collection hold hold11");
}

TEST(SweepTest, HoldsAgreeWithADayByDaySimulation) {
  std::mt19937 rng(7);
  Records recs({Rule("r", "P100D")});
  const DayNumber base = D("2025-01-01");
  std::vector<DayNumber> due;
  for (int i = 0; i < 300; ++i) {
    recs.Add("r" + std::to_string(i), "r", {{"collection", "2025-01-01"}});
    std::uniform_int_distribution<int> count(0, 3), start(0, 200), len(-1, 60);
    std::vector<Hold> mine;
    for (int h = count(rng); h > 0; --h) {
      const DayNumber s = base + start(rng);
      const int l = len(rng);
      const DayNumber e = l < 0 ? kNoDate : s + l;
      recs.AddHold(i, FormatDate(s).c_str(), e == kNoDate ? nullptr : FormatDate(e).c_str());
      mine.push_back(Hold{i, s, e});
    }
    // Oracle: the first day from base + 100 that no hold covers.
    DayNumber t = base + 100;
    for (; t < base + 1000; ++t) {
      bool covered = false;
      for (const Hold& h : mine) covered |= h.start <= t && (h.end == kNoDate || t < h.end);
      if (!covered) break;
    }
    due.push_back(t == base + 1000 ? kNoDate : t);
  }
  for (const char* as_of : {"2025-01-01", "2025-05-01", "2025-08-01", "2027-01-01"}) {
    absl::StatusOr<SweepResult> r = recs.Sweep(as_of);
    ASSERT_TRUE(r.ok()) << r.status();
    for (int i = 0; i < 300; ++i) {
      const RetentionStatus st = r->status[i];
      if (st == RetentionStatus::kDue || st == RetentionStatus::kPending) {
        EXPECT_EQ(r->due_date[i], due[i]) << i << " " << as_of;
        EXPECT_EQ(st == RetentionStatus::kDue, D(as_of) >= due[i]);
      } else if (st == RetentionStatus::kHeld) {
        if (due[i] != kNoDate && r->due_date[i] != kNoDate) {
          EXPECT_GE(r->due_date[i], due[i]) << i;
        }
      } else {
        EXPECT_EQ(st, RetentionStatus::kKept) << i;
        EXPECT_EQ(due[i], kNoDate) << i;
      }
    }
  }
}

TEST(SweepTest, ReportCountsEveryStatus) {
  Records recs({Rule("r", "P1Y"), Rule("keep", "P1Y", "", RetentionAction::kRetainAtLeast)});
  recs.Add("due", "r", {{"collection", "2020-01-01"}});
  recs.Add("pending", "r", {{"collection", "2024-06-01"}});
  recs.Add("kept", "", {{"collection", "2020-01-01"}});
  const int h = recs.Add("held", "r", {{"collection", "2020-01-01"}});
  recs.AddHold(h, "2024-01-01");
  recs.Add("may-delete", "keep", {{"collection", "2020-01-01"}});
  absl::StatusOr<SweepResult> r = recs.Sweep("2025-01-01");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->report.records, 5);
  EXPECT_EQ(r->report.due, 1);
  EXPECT_EQ(r->report.pending, 1);
  EXPECT_EQ(r->report.kept, 1);
  EXPECT_EQ(r->report.held, 1);
  EXPECT_EQ(r->report.may_delete, 1);
  EXPECT_EQ(r->report.invalid, 0);
  EXPECT_TRUE(r->report.complete());
}

TEST(SweepTest, ExplainNamesTheRulesWeighedAndTheWinner) {
  Records recs(
      {Rule("delete-2y", "P2Y"), Rule("retain-10y", "P10Y", "", RetentionAction::kRetainAtLeast)});
  const int i = recs.Add("x", "delete-2y+retain-10y", {{"collection", "2020-01-01"}});
  recs.AddHold(i, "2029-06-01", "2030-02-01");
  absl::StatusOr<std::string> text = recs.schedule().Explain(recs.Input(), i, D("2025-01-01"));
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("record \"x\" as of 2025-01-01"));
  EXPECT_THAT(*text, HasSubstr("collection 2020-01-01 + P2Y = 2022-01-01"));
  EXPECT_THAT(*text, HasSubstr("retention beats deletion"));
  EXPECT_THAT(*text, HasSubstr("moves the due date to its release, 2030-02-01"));
  EXPECT_THAT(*text, HasSubstr("=> pending 2030-02-01, rule \"retain-10y\", anchor collection, "
                               "reason hold-released, hold #0"));
  EXPECT_EQ(recs.schedule().Explain(recs.Input(), 5, D("2025-01-01")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(SweepTest, ThreadsGiveTheSameAnswer) {
  Records recs(
      {Rule("a", "P15M", "provider_number_ended"), Rule("b", "P3M"),
       Rule("c", "P10Y", "", RetentionAction::kRetainAtLeast, {{"consent_withdrawn", ""}})});
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> pick(0, 5), off(0, 3000);
  const char* sets[] = {"a", "b", "c", "a+b", "b+c", ""};
  for (int i = 0; i < 200000; ++i) {
    std::map<std::string, std::string> ev = {
        {"collection", FormatDate(D("2015-01-01") + off(rng))}};
    if (pick(rng) < 3) ev["provider_number_ended"] = FormatDate(D("2024-01-01") + off(rng));
    if (pick(rng) == 0) ev["consent_withdrawn"] = FormatDate(D("2024-01-01") + off(rng));
    recs.Add(std::to_string(i), sets[pick(rng)], ev);
    if (pick(rng) == 0) recs.AddHold(i, "2024-06-01", pick(rng) < 3 ? "2026-01-01" : nullptr);
  }
  SweepInput& in = recs.Input();
  auto one = recs.schedule().Sweep(in, D("2025-06-01"), SweepOptions{ErrorMode::kRaise, 1});
  auto two = recs.schedule().Sweep(in, D("2025-06-01"), SweepOptions{ErrorMode::kRaise, 2});
  auto all = recs.schedule().Sweep(in, D("2025-06-01"), SweepOptions{ErrorMode::kRaise, 0});
  ASSERT_TRUE(one.ok() && two.ok() && all.ok());
  EXPECT_EQ(one->status, two->status);
  EXPECT_EQ(one->due_date, two->due_date);
  EXPECT_EQ(one->rule, two->rule);
  EXPECT_EQ(one->anchor, two->anchor);
  EXPECT_EQ(one->reason, two->reason);
  EXPECT_EQ(one->hold, two->hold);
  EXPECT_EQ(one->status, all->status);
  EXPECT_EQ(one->report.due, two->report.due);
  EXPECT_EQ(one->report.held, two->report.held);
}

// The progress of a sweep: one stage "sweep" from 0 to the number of
// records, reported on the calling thread, with one thread and with several.
TEST(SweepProgressTest, TheStageStartsAtZeroAndEndsAtTheTotal) {
  Records recs({Rule("a", "P1Y")});
  for (int i = 0; i < 300000; ++i) recs.Add(std::to_string(i), "a", {{"collection", "2020-01-01"}});
  for (int threads : {1, 2, 3}) {
    std::vector<Progress> seen;
    const std::thread::id caller = std::this_thread::get_id();
    bool other_thread = false;
    SweepOptions options;
    options.threads = threads;
    options.progress = [&](const Progress& p) {
      other_thread |= std::this_thread::get_id() != caller;
      seen.push_back(p);
      return true;
    };
    absl::StatusOr<SweepResult> r = recs.schedule().Sweep(recs.Input(), D("2025-01-01"), options);
    ASSERT_TRUE(r.ok()) << threads << " " << r.status();
    EXPECT_EQ(r->report.due, 300000);
    ASSERT_GE(seen.size(), 2u) << threads;
    EXPECT_FALSE(other_thread) << threads;
    EXPECT_EQ(seen.front().stage, "sweep");
    EXPECT_EQ(seen.front().done, 0);
    EXPECT_EQ(seen.back().done, 300000) << threads;
    for (std::size_t k = 0; k < seen.size(); ++k) {
      EXPECT_EQ(seen[k].stage, "sweep");
      EXPECT_EQ(seen[k].total, 300000);
      if (k > 0) {
        EXPECT_GE(seen[k].done, seen[k - 1].done);
      }
    }
  }
  // An empty sweep too reports its (empty) stage from start to end.
  Records none({Rule("a", "P1Y")});
  std::vector<Progress> seen;
  SweepOptions options;
  options.progress = [&](const Progress& p) {
    seen.push_back(p);
    return true;
  };
  ASSERT_TRUE(none.schedule().Sweep(none.Input(), D("2025-01-01"), options).ok());
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen.back().done, seen.back().total);
}

TEST(SweepProgressTest, TheCallbackCancels) {
  Records recs({Rule("a", "P1Y")});
  for (int i = 0; i < 300000; ++i) recs.Add(std::to_string(i), "a", {{"collection", "2020-01-01"}});
  // At the start, or at the first report after it (with several threads
  // only at the start: the workers may be done before the calling thread
  // reports again).
  for (int threads : {1, 2}) {
    for (int cancel_at : {0, 1}) {
      if (threads > 1 && cancel_at > 0) continue;
      int calls = 0;
      SweepOptions options;
      options.threads = threads;
      options.progress = [&](const Progress&) { return calls++ < cancel_at; };
      absl::StatusOr<SweepResult> r = recs.schedule().Sweep(recs.Input(), D("2025-01-01"), options);
      ASSERT_FALSE(r.ok()) << threads << " " << cancel_at;
      EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled);
      EXPECT_THAT(r.status().message(), HasSubstr("sweep"));
      EXPECT_EQ(calls, cancel_at + 1);  // no call after the one that cancelled
    }
  }
}

// The sweep decides simple rule sets in closed form and the others by the
// general procedure; Explain always uses the general one. They must agree.
TEST(SweepTest, FastPathAgreesWithTheGeneralProcedure) {
  Records recs({Rule("a", "P15M", "provider_number_ended"), Rule("b", "P3M"),
                Rule("c", "P10Y", "", RetentionAction::kRetainAtLeast),
                Rule("d", "P1Y", "last_contact", RetentionAction::kRetainThenDelete),
                Rule("e", "P2Y", "", RetentionAction::kDeleteAfter, {{"consent_withdrawn", ""}})});
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> pick(0, 7), off(0, 4000);
  const char* sets[] = {"a", "b", "c", "d", "e", "a+c", "d+b", ""};
  for (int i = 0; i < 3000; ++i) {
    std::map<std::string, std::string> ev = {
        {"collection", FormatDate(D("2014-01-01") + off(rng))}};
    if (pick(rng) < 4) ev["provider_number_ended"] = FormatDate(D("2025-01-01") + off(rng) / 4);
    if (pick(rng) < 4) ev["last_contact"] = FormatDate(D("2025-01-01") + off(rng) / 4);
    if (pick(rng) == 0) ev["consent_withdrawn"] = FormatDate(D("2025-01-01") + off(rng) / 4);
    recs.Add("r" + std::to_string(i), sets[pick(rng)], ev);
    if (pick(rng) == 0) recs.AddHold(i, "2025-06-01", pick(rng) < 4 ? "2026-06-01" : nullptr);
  }
  const DayNumber as_of = D("2026-01-01");
  SweepInput& in = recs.Input();
  auto r = recs.schedule().Sweep(in, as_of);
  ASSERT_TRUE(r.ok()) << r.status();
  for (int i = 0; i < 3000; ++i) {
    auto text = recs.schedule().Explain(in, i, as_of);
    ASSERT_TRUE(text.ok()) << text.status();
    const Out o = Row(recs, *r, i);
    std::string want = "=> " + o.status;
    if (!o.due.empty()) want += " " + o.due;
    if (o.rule != "-") want += ", rule \"" + o.rule + "\"";
    if (o.anchor != "-") want += ", anchor " + o.anchor;
    want += ", reason " + o.reason;
    if (o.hold >= 0) want += ", hold #" + std::to_string(o.hold);
    ASSERT_EQ(text->substr(text->rfind('\n') + 1), want) << *text;
  }
}

TEST(SweepTest, SweepIntoWritesCallerColumnsAndTheHoldColumnIsOptional) {
  Records recs({Rule("r", "P1Y")});
  recs.Add("a", "r", {{"collection", "2020-01-01"}});
  std::vector<RetentionStatus> status(1);
  std::vector<DayNumber> due(1);
  std::vector<std::int32_t> rule(1), anchor(1);
  std::vector<RetentionReason> reason(1);
  SweepColumns out{absl::MakeSpan(status), absl::MakeSpan(due),    absl::MakeSpan(rule),
                   absl::MakeSpan(anchor), absl::MakeSpan(reason), {}};
  auto rep = recs.schedule().SweepInto(recs.Input(), D("2025-01-01"), out);
  ASSERT_TRUE(rep.ok()) << rep.status();
  EXPECT_EQ(status[0], RetentionStatus::kDue);
  EXPECT_EQ(FormatDate(due[0]), "2021-01-01");
  std::vector<DayNumber> short_due;
  out.due_date = absl::MakeSpan(short_due);
  auto bad = recs.schedule().SweepInto(recs.Input(), D("2025-01-01"), out);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("output columns"));
}

// ---------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------

TEST(SweepBadInputTest, EventBeforeCollectionNamesRecordAndField) {
  Records recs({Rule("contact", "P6M", "last_contact")});
  recs.Add("good", "contact", {{"collection", "2024-02-01"}, {"last_contact", "2024-03-01"}});
  recs.Add("r-17", "contact", {{"collection", "2024-02-01"}, {"last_contact", "2024-01-01"}});
  recs.Add("r-18", "contact", {{"collection", "2024-02-01"}, {"last_contact", "2023-01-01"}});
  absl::StatusOr<SweepResult> r = recs.Sweep("2025-01-01");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("record \"r-17\" (row 1), field \"last_contact\""));
  EXPECT_THAT(r.status().message(), HasSubstr("2024-01-01 is before collection 2024-02-01"));
  EXPECT_THAT(r.status().message(), HasSubstr("(and 1 more invalid records)"));
  EXPECT_THAT(r.status().message(), HasSubstr("no result was returned"));

  // Reported instead: the others are answered, the bad ones marked.
  r = recs.Sweep("2025-01-01", SweepOptions{ErrorMode::kReport});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->report.complete());
  EXPECT_EQ(r->report.invalid, 2);
  EXPECT_EQ(r->status[0], RetentionStatus::kDue);
  EXPECT_EQ(r->status[1], RetentionStatus::kInvalid);
  EXPECT_EQ(r->reason[1], RetentionReason::kInvalidInput);
  EXPECT_EQ(r->due_date[1], kNoDate);
  ASSERT_EQ(r->report.errors.size(), 2u);
  EXPECT_EQ(r->report.errors[0].row, 1);
  EXPECT_EQ(r->report.errors[0].record_id, "r-17");
  EXPECT_EQ(r->report.errors[0].field, "last_contact");
  EXPECT_EQ(r->report.errors[0].problem, RecordProblem::kBeforeCollection);
  // max_errors bounds the list, not the count.
  r = recs.Sweep("2025-01-01", SweepOptions{ErrorMode::kReport, 1, 1});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->report.invalid, 2);
  EXPECT_EQ(r->report.errors.size(), 1u);
  // Coerced: answered and counted alike, but listed nowhere.
  r = recs.Sweep("2025-01-01", SweepOptions{ErrorMode::kCoerce});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->report.complete());
  EXPECT_EQ(r->report.invalid, 2);
  EXPECT_EQ(r->status[1], RetentionStatus::kInvalid);
  EXPECT_EQ(r->status[0], RetentionStatus::kDue);
  EXPECT_TRUE(r->report.errors.empty());
}

// Each check of a record names its problem.
TEST(SweepBadInputTest, EachProblemHasItsName) {
  Records recs({Rule("r", "P1Y"), Rule("c", "P6M", "last_contact")});
  recs.Add("out", "c", {{"collection", "2024-02-01"}, {"last_contact", "99999999"}});
  recs.Add("before", "c", {{"collection", "2024-02-01"}, {"last_contact", "2024-01-01"}});
  recs.Add("nocoll", "r", {});
  const int a = recs.Add("nostart", "r", {{"collection", "2020-01-01"}});
  recs.AddHold(a, nullptr, "2024-04-01");
  const int b = recs.Add("early", "r", {{"collection", "2020-01-01"}});
  recs.AddHold(b, "2024-05-01", "2024-04-01");
  absl::StatusOr<SweepResult> r = recs.Sweep("2025-01-01", SweepOptions{ErrorMode::kReport});
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<RecordProblem> got;
  for (const RecordError& e : r->report.errors) got.push_back(e.problem);
  EXPECT_THAT(got, ElementsAre(RecordProblem::kDateOutOfRange, RecordProblem::kBeforeCollection,
                               RecordProblem::kNoCollection, RecordProblem::kHoldWithoutStart,
                               RecordProblem::kHoldReleasedEarly));
}

TEST(SweepBadInputTest, DatesOutOfRangeAreNamed) {
  Records recs({Rule("contact", "P6M", "last_contact")});
  recs.Add("a", "contact", {{"collection", "2024-02-01"}, {"last_contact", "99999999"}});
  EXPECT_THAT(recs.Sweep("2025-01-01").status().message(),
              HasSubstr("field \"last_contact\": day number 99999999 is not a date"));
  Records recs2({Rule("contact", "P6M", "last_contact")});
  recs2.Add("a", "contact", {{"collection", "-99999999"}});
  EXPECT_THAT(recs2.Sweep("2025-01-01").status().message(),
              HasSubstr("field \"collection\": day number -99999999 is not a date"));
}

TEST(SweepBadInputTest, MissingCollectionDateWhereARuleCountsFromIt) {
  Records recs({Rule("from-collection", "P1Y"), Rule("from-event", "P1Y", "last_contact")});
  recs.Add("a", "from-event", {{"last_contact", "2024-01-01"}});  // fine: no collection needed
  recs.Add("b", "from-collection", {});
  absl::StatusOr<SweepResult> r = recs.Sweep("2025-01-01", SweepOptions{ErrorMode::kReport});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status[0], RetentionStatus::kDue);
  EXPECT_EQ(r->status[1], RetentionStatus::kInvalid);
  EXPECT_EQ(r->report.errors[0].field, "collection");
  EXPECT_THAT(r->report.errors[0].message, HasSubstr("no collection date"));
}

TEST(SweepBadInputTest, BadHolds) {
  Records recs({Rule("r", "P1Y")});
  const int a = recs.Add("a", "r", {{"collection", "2020-01-01"}});
  recs.AddHold(a, "2024-05-01", "2024-04-01");
  absl::StatusOr<SweepResult> r = recs.Sweep("2025-01-01");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(),
              HasSubstr("record \"a\" (row 0), field \"holds[0]\": hold released 2024-04-01 "
                        "before it began 2024-05-01"));
  Records recs2({Rule("r", "P1Y")});
  const int b = recs2.Add("b", "r", {{"collection", "2020-01-01"}});
  recs2.AddHold(b, nullptr, "2024-04-01");
  EXPECT_THAT(recs2.Sweep("2025-01-01").status().message(), HasSubstr("hold has no start date"));
  // A hold naming a row that does not exist is an input error.
  Records recs3({Rule("r", "P1Y")});
  recs3.Add("c", "r", {{"collection", "2020-01-01"}});
  recs3.AddHold(5, "2024-01-01");
  EXPECT_THAT(recs3.Sweep("2025-01-01").status().message(),
              HasSubstr("holds[0] names row 5; the input has 1 records"));
}

TEST(SweepBadInputTest, ColumnsAndSelectors) {
  Records recs({Rule("contact", "P6M", "last_contact"), Rule("plain", "P1Y")});
  recs.Add("a", "contact", {{"collection", "2024-01-01"}});
  const RetentionSchedule& s = recs.schedule();
  const DayNumber as_of = D("2025-01-01");

  SweepInput in = recs.Input();
  std::vector<DayNumber> extra = {kNoDate};
  in.events.push_back(EventColumn{"last_contcat", extra});
  auto r = s.Sweep(in, as_of);
  EXPECT_THAT(r.status().message(), HasSubstr("unknown event name \"last_contcat\""));
  EXPECT_THAT(r.status().message(), HasSubstr("\"last_contact\""));

  in = recs.Input();
  in.events.push_back(in.events[0]);
  EXPECT_THAT(s.Sweep(in, as_of).status().message(), HasSubstr("is given twice"));

  in = recs.Input();
  std::vector<DayNumber> two = {kNoDate, kNoDate};
  in.events[1].days = two;
  EXPECT_THAT(s.Sweep(in, as_of).status().message(), HasSubstr("has 2 rows; the selector has 1"));

  // A column a used rule needs.
  r = s.Sweep(recs.Input({"last_contact"}), as_of);
  EXPECT_THAT(r.status().message(),
              HasSubstr("rule \"contact\" counts from event \"last_contact\" but the input has "
                        "no column"));
  // Not needed when no record uses the rule.
  Records only_plain({Rule("contact", "P6M", "last_contact"), Rule("plain", "P1Y")});
  only_plain.Add("a", "plain", {{"collection", "2024-01-01"}});
  EXPECT_TRUE(only_plain.schedule().Sweep(only_plain.Input({"last_contact"}), as_of).ok());

  in = recs.Input();
  std::vector<std::int32_t> sel = {7};
  in.selector = sel;
  r = s.Sweep(in, as_of);
  EXPECT_THAT(r.status().message(), HasSubstr("field \"selector\": selector 7 is out of range"));

  in = recs.Input();
  in.rule_sets.push_back({0, 9});
  EXPECT_THAT(s.Sweep(in, as_of).status().message(), HasSubstr("rule_sets[1] names rule 9"));

  in = recs.Input();
  std::vector<std::string_view> ids = {"a", "b"};
  in.record_ids = ids;
  EXPECT_THAT(s.Sweep(in, as_of).status().message(), HasSubstr("record_ids has 2 entries"));

  EXPECT_THAT(s.Sweep(recs.Input(), kNoDate).status().message(), HasSubstr("as_of) is missing"));
  EXPECT_THAT(s.Sweep(recs.Input(), kMaxDate + 1).status().message(), HasSubstr("is not a date"));
}

TEST(SweepBadInputTest, SelectorsIndexRulesWithoutRuleSets) {
  Records recs({Rule("a", "P1Y"), Rule("b", "P2Y")});
  recs.Add("x", "a", {{"collection", "2020-01-01"}});
  SweepInput in = recs.Input();
  in.rule_sets.clear();
  std::vector<std::int32_t> sel = {1};
  in.selector = sel;
  auto r = recs.schedule().Sweep(in, D("2025-01-01"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(FormatDate(r->due_date[0]), "2022-01-01");
  sel[0] = 2;
  EXPECT_THAT(recs.schedule().Sweep(in, D("2025-01-01")).status().message(),
              HasSubstr("selector 2 is out of range [0, 2)"));
}

TEST(SweepBadInputTest, CprLikeRecordIdsAreWithheld) {
  Records recs({Rule("contact", "P6M", "last_contact")});
  recs.Add("010190-1234", "contact",
           {{"collection", "2024-02-01"}, {"last_contact", "2024-01-01"}});
  const std::string msg(recs.Sweep("2025-01-01").status().message());
  EXPECT_THAT(msg, Not(HasSubstr("010190")));
  EXPECT_THAT(msg, HasSubstr("withheld"));
  EXPECT_THAT(msg, HasSubstr("row 0"));
}

// Issue #9, item 5: ids that hold a CPR number in any spelling, alone or in
// longer text, are withheld from the report, its messages and Explain; other
// ids are still named.
TEST(SweepBadInputTest, CprNumbersInsideIdsAreWithheldInEverySpelling) {
  const std::vector<std::string> ids = {
      "pt-0101901234",
      "patient-010190 1234",
      "010190\u2013"
      "1234",  // en dash
      "010190/1234",
      "010190\u00a0"
      "1234",                                                          // no-break space
      "\uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff13\uff14",  // full-width
      "pt-01.01.90-1234",
      "patient-17",  // named as it is
  };
  Records recs({Rule("contact", "P6M", "last_contact")});
  for (const std::string& id : ids) {
    recs.Add(id, "contact", {{"collection", "2024-02-01"}, {"last_contact", "2024-01-01"}});
  }
  SweepOptions report;
  report.on_invalid = ErrorMode::kReport;
  report.max_errors = ids.size();
  auto r = recs.Sweep("2025-01-01", report);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->report.errors.size(), ids.size());
  for (std::size_t i = 0; i + 1 < ids.size(); ++i) {
    const RecordError& e = r->report.errors[i];
    EXPECT_EQ(e.record_id, "<withheld: looks like a CPR number>") << i;
    EXPECT_THAT(e.ToString(), Not(HasSubstr("1234"))) << i;
    EXPECT_THAT(e.ToString(), HasSubstr(absl::StrCat("row ", i))) << i;
  }
  EXPECT_EQ(r->report.errors.back().record_id, "patient-17");
  // Fail mode: the message.
  const std::string msg(recs.Sweep("2025-01-01").status().message());
  EXPECT_THAT(msg, HasSubstr("withheld"));
  EXPECT_THAT(msg, Not(HasSubstr("0101901234")));
  // Explain names the record the same way.
  Records fine({Rule("plain", "P1Y")});
  fine.Add("pt-0101901234", "plain", {{"collection", "2024-01-01"}});
  auto text = fine.schedule().Explain(fine.Input(), 0, D("2025-01-01"));
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("withheld"));
  EXPECT_THAT(*text, Not(HasSubstr("0101901234")));
}

// Text a caller gave where a rule or a date belongs is not repeated when it
// holds a CPR number either.
TEST(SweepBadInputTest, CprNumbersInSelectorsAndDatesAreWithheld) {
  Records recs({Rule("plain", "P1Y")});
  auto sel = recs.schedule().Resolve("patient-010190-1234");
  ASSERT_FALSE(sel.ok());
  EXPECT_EQ(sel.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(sel.status().message(), HasSubstr("withheld"));
  EXPECT_THAT(sel.status().message(), Not(HasSubstr("010190")));
  EXPECT_THAT(recs.schedule().Resolve("plian").status().message(), HasSubstr("\"plian\""));
  for (const char* text : {"0101901234", "010190-1234", "0101901234T10:00"}) {
    auto d = ParseDateTime(text, kDefaultTimeZone);
    ASSERT_FALSE(d.ok()) << text;
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(d.status().message(), Not(HasSubstr("0101901234"))) << text;
    EXPECT_THAT(d.status().message(), Not(HasSubstr("010190-1234"))) << text;
  }
  EXPECT_THAT(ParseDateTime("2025-13-01", kDefaultTimeZone).status().message(),
              HasSubstr("2025-13-01"));
}

TEST(SweepBadInputTest, EmptyInputIsFine) {
  Records recs({Rule("r", "P1Y")});
  auto r = recs.Sweep("2025-01-01");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->report.records, 0);
  EXPECT_TRUE(r->status.empty());
}

TEST(NamesTest, StatusAndReasonNames) {
  EXPECT_EQ(RetentionStatusName(RetentionStatus::kMayDelete), "may-delete");
  EXPECT_EQ(RetentionStatusName(static_cast<RetentionStatus>(99)), "invalid");
  EXPECT_EQ(RetentionReasonName(RetentionReason::kHoldReleased), "hold-released");
  EXPECT_EQ(RetentionReasonName(static_cast<RetentionReason>(99)), "invalid-input");
}

}  // namespace
}  // namespace gdprkit
