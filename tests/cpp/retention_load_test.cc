// Tests for LoadRecords (gdprkit/retention.h): records given as named
// columns, as texts (the command line) or as codes and day numbers (the
// Python package), become the same SweepInput; bad records are named by row
// and column; and the retention vocabularies parse and print every name.
#include <string>
#include <string_view>
#include <vector>

#include "gdprkit/policy.h"
#include "gdprkit/retention.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Two rules, a purpose for each and a purpose whose rule is missing.
constexpr char kPolicy[] = R"pb(
  controller { name: "Test" }
  purposes { id: "recruitment" retention: "after-rejection" }
  purposes { id: "research-contact" retention: "contact-until-withdrawn" }
  purposes { id: "orphan" retention: "missing-rule" }
  retention_rules { id: "after-rejection" period: "P3M" anchor: "application_rejected" }
  retention_rules {
    id: "contact-until-withdrawn"
    period: "P5Y"
    ends_early { event: "consent_withdrawn" period: "P0D" }
  }
)pb";

RetentionSchedule Schedule() {
  auto policy = Policy::FromText(kPolicy, PolicyFormat::kTextProto, "load.textproto");
  EXPECT_TRUE(policy.ok()) << policy.status();
  auto schedule = RetentionSchedule::FromPolicy(**policy);
  EXPECT_TRUE(schedule.ok()) << schedule.status();
  return *std::move(schedule);
}

DayNumber D(const char* text) { return *ParseDate(text); }

// The records of one small file, as the command line reads them.
struct TextRecords {
  std::vector<std::string_view> ids = {"a-1", "a-2", "r-1", "n-1"};
  std::vector<std::string_view> selector = {"recruitment", "recruitment", "research-contact", ""};
  std::vector<std::string_view> collection = {"2025-01-01", "2025-01-01", "2015-01-01",
                                              "2020-01-01"};
  std::vector<std::string_view> rejected = {"2025-02-10", "", "", ""};
  std::vector<std::string_view> withdrawn = {"", "", "2021-09-14T23:30:00Z", ""};
  std::vector<std::string_view> hold_start = {"", "2025-01-05", "", ""};
  std::vector<std::string_view> hold_end = {"", "", "", ""};

  RecordColumns Columns() const {
    RecordColumns c;
    c.rows = ids.size();
    c.selector = selector;
    c.record_ids = ids;
    c.events = {{"collection", {"collection", collection, {}}},
                {"application_rejected", {"rejected", rejected, {}}},
                {"consent_withdrawn", {"withdrawn", withdrawn, {}}}};
    c.hold_start = {"hold_start", hold_start, {}};
    c.hold_end = {"hold_end", hold_end, {}};
    return c;
  }
};

TEST(LoadRecordsTest, TextsBecomeASweepInput) {
  const RetentionSchedule s = Schedule();
  const TextRecords t;
  absl::StatusOr<LoadedRecords> r = LoadRecords(s, t.Columns());
  ASSERT_TRUE(r.ok()) << r.status();
  const SweepInput& in = r->input();
  ASSERT_EQ(r->rows(), 4u);
  // One rule set per distinct selector text, in order of first use; "" is none.
  EXPECT_THAT(in.selector, ElementsAre(0, 0, 1, 2));
  ASSERT_EQ(in.rule_sets.size(), 3u);
  EXPECT_THAT(in.rule_sets[0], ElementsAre(s.RuleIndex("after-rejection")));
  EXPECT_THAT(in.rule_sets[1], ElementsAre(s.RuleIndex("contact-until-withdrawn")));
  EXPECT_TRUE(in.rule_sets[2].empty());
  ASSERT_EQ(in.events.size(), 3u);
  EXPECT_EQ(in.events[1].name, "application_rejected");
  EXPECT_THAT(in.events[1].days, ElementsAre(D("2025-02-10"), kNoDate, kNoDate, kNoDate));
  // A time with an offset is read as its date in Copenhagen.
  EXPECT_EQ(in.events[2].days[2], D("2021-09-15"));
  // One hold, from the hold columns of row 1 (open-ended).
  ASSERT_EQ(in.holds.size(), 1u);
  EXPECT_EQ(in.holds[0].record, 1);
  EXPECT_EQ(in.holds[0].start, D("2025-01-05"));
  EXPECT_EQ(in.holds[0].end, kNoDate);
  EXPECT_EQ(in.record_ids.size(), 4u);

  absl::StatusOr<SweepResult> swept = s.Sweep(in, D("2025-06-01"));
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(swept->status[0], RetentionStatus::kDue);
  EXPECT_EQ(swept->status[1], RetentionStatus::kHeld);
  EXPECT_EQ(swept->status[2], RetentionStatus::kDue);
  EXPECT_EQ(swept->reason[3], RetentionReason::kNoRule);
  // Moving the loaded records keeps the input valid.
  LoadedRecords moved = *std::move(r);
  EXPECT_TRUE(s.Sweep(moved.input(), D("2025-06-01")).ok());
}

TEST(LoadRecordsTest, CodesAndDaysGiveTheSameSweepAsTexts) {
  const RetentionSchedule s = Schedule();
  const TextRecords t;
  auto texts = LoadRecords(s, t.Columns());
  ASSERT_TRUE(texts.ok()) << texts.status();

  // As the Python package hands them over: categorical codes (-1 missing; an
  // unused category that would not resolve), day numbers, a list of holds.
  const std::vector<std::int32_t> codes = {1, 1, 2, -1};
  const std::vector<std::string_view> values = {"no-such-purpose", "recruitment",
                                                "research-contact"};
  const std::vector<DayNumber> collection = {D("2025-01-01"), D("2025-01-01"), D("2015-01-01"),
                                             D("2020-01-01")};
  const std::vector<DayNumber> rejected = {D("2025-02-10"), kNoDate, kNoDate, kNoDate};
  const std::vector<DayNumber> withdrawn = {kNoDate, kNoDate, D("2021-09-15"), kNoDate};
  const std::vector<std::int32_t> hold_rows = {1};
  const std::vector<DayNumber> starts = {D("2025-01-05")}, ends = {kNoDate};
  RecordColumns c;
  c.rows = 4;
  c.selector_codes = codes;
  c.selector_values = values;
  c.events = {{"collection", {"collection", {}, collection}},
              {"application_rejected", {"rejected", {}, rejected}},
              {"consent_withdrawn", {"withdrawn", {}, withdrawn}}};
  c.hold_rows = hold_rows;
  c.hold_starts = {"start", {}, starts};
  c.hold_ends = {"end", {}, ends};
  auto days = LoadRecords(s, c);
  ASSERT_TRUE(days.ok()) << days.status();
  EXPECT_EQ(days->input().events[0].days.data(), collection.data());  // borrowed, not copied

  auto a = s.Sweep(texts->input(), D("2025-06-01"));
  auto b = s.Sweep(days->input(), D("2025-06-01"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->status, b->status);
  EXPECT_EQ(a->due_date, b->due_date);
  EXPECT_EQ(a->rule, b->rule);
  EXPECT_EQ(a->reason, b->reason);
  EXPECT_EQ(b->hold[1], 0);
  EXPECT_EQ(days->ColumnOf("holds[0]"), "start/end");
}

TEST(LoadRecordsTest, NamesTheFirstBadRecordByRowAndColumn) {
  const RetentionSchedule s = Schedule();
  TextRecords t;
  t.rejected[1] = "2025-02-30";
  t.selector[3] = "recruitmnt";  // a later row: the date is named first
  RecordError bad;
  auto r = LoadRecords(s, t.Columns(), &bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.row, 1);
  EXPECT_EQ(bad.record_id, "a-2");
  EXPECT_EQ(bad.field, "rejected");
  EXPECT_THAT(bad.message, HasSubstr("February 2025 has 28 days"));
  EXPECT_EQ(r.status().message(), bad.ToString());

  t.rejected[1] = "";
  r = LoadRecords(s, t.Columns(), &bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(bad.row, 3);
  EXPECT_EQ(bad.field, "purpose");
  EXPECT_THAT(bad.message, HasSubstr("did you mean \"recruitment\""));

  // A purpose whose rule the policy lacks.
  t.selector[3] = "orphan";
  r = LoadRecords(s, t.Columns(), &bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(bad.row, 3);

  // A CPR-shaped record id is withheld.
  t.selector[3] = "";
  t.ids[2] = "010190-1234";
  t.withdrawn[2] = "yesterday";
  r = LoadRecords(s, t.Columns(), &bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(bad.field, "withdrawn");
  EXPECT_THAT(r.status().message(), Not(HasSubstr("1234")));
  EXPECT_THAT(r.status().message(), HasSubstr("withheld"));
}

TEST(LoadRecordsTest, RefusesColumnsThatDoNotFit) {
  const RetentionSchedule s = Schedule();
  const TextRecords t;
  RecordError bad;
  RecordColumns c = t.Columns();
  c.events[1].event = "application_rejectd";
  auto r = LoadRecords(s, c, &bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(bad.row, -1);
  EXPECT_THAT(r.status().message(), HasSubstr("unknown event name \"application_rejectd\""));
  EXPECT_THAT(r.status().message(), HasSubstr("did you mean \"application_rejected\""));

  c = t.Columns();
  c.events[2].event = "collection";
  r = LoadRecords(s, c);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("given twice"));

  c = t.Columns();
  const std::vector<std::string_view> short_column = {"2025-01-01"};
  c.events[0].dates.texts = short_column;
  r = LoadRecords(s, c);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("column \"collection\" has 1 rows"));

  c = t.Columns();
  c.hold_start = {};
  r = LoadRecords(s, c);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("needs a column of hold starts"));

  c = t.Columns();
  const std::vector<std::int32_t> codes = {0, 0, 0, 0};
  c.selector_codes = codes;  // both kinds of selector
  r = LoadRecords(s, c);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("needs one text or one code per record"));

  c = t.Columns();
  c.zone = "Europe/Nowhere";
  r = LoadRecords(s, c, &bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(bad.row, -1);
}

TEST(LoadRecordsTest, EmptyTableAndColumnOf) {
  const RetentionSchedule s = Schedule();
  RecordColumns c;
  auto r = LoadRecords(s, c);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rows(), 0u);
  ASSERT_EQ(r->input().rule_sets.size(), 1u);  // never "the selector indexes rules"
  EXPECT_TRUE(s.Sweep(r->input(), D("2025-01-01")).ok());

  const TextRecords t;
  r = LoadRecords(s, t.Columns());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ColumnOf("selector"), "purpose");
  EXPECT_EQ(r->ColumnOf("application_rejected"), "rejected");
  EXPECT_EQ(r->ColumnOf("holds[7]"), "hold_start/hold_end");
  EXPECT_EQ(r->ColumnOf("other"), "other");
}

// ---------------------------------------------------------------------------
// Vocabularies: every name parses to its value and prints back.
// ---------------------------------------------------------------------------

template <typename E>
void RoundTrips(const std::vector<std::string_view>& names,
                absl::StatusOr<E> (*parse)(std::string_view), std::string_view (*name)(E)) {
  ASSERT_FALSE(names.empty());
  for (std::string_view n : names) {
    absl::StatusOr<E> v = parse(n);
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(name(*v), n);
  }
}

TEST(RetentionNamesTest, EveryNameRoundTrips) {
  RoundTrips(RetentionStatusNames(), &ParseRetentionStatus, &RetentionStatusName);
  RoundTrips(RetentionReasonNames(), &ParseRetentionReason, &RetentionReasonName);
  RoundTrips(RetentionActionNames(), &ParseRetentionAction, &RetentionActionName);
  RoundTrips(RecordProblemNames(), &ParseRecordProblem, &RecordProblemName);
  EXPECT_THAT(RetentionStatusNames(),
              ElementsAre("due", "pending", "kept", "held", "may-delete", "invalid"));
  EXPECT_EQ(RetentionStatusName(RetentionStatus::kMayDelete), "may-delete");
  EXPECT_EQ(RetentionReasonName(RetentionReason::kHoldReleased), "hold-released");
}

// Every name has a title in both languages, from the core's one table; the
// Danish ones are Danish (not the English fallback).
TEST(RetentionNamesTest, EveryNameHasAnEnglishAndADanishTitle) {
  auto check = [](std::string_view en, std::string_view da) {
    EXPECT_FALSE(en.empty());
    EXPECT_FALSE(da.empty());
    EXPECT_NE(en, da);
  };
  for (std::string_view n : RetentionStatusNames()) {
    const RetentionStatus v = *ParseRetentionStatus(n);
    check(RetentionStatusTitle(v), RetentionStatusTitle(v, Language::kDanish));
  }
  for (std::string_view n : RetentionReasonNames()) {
    const RetentionReason v = *ParseRetentionReason(n);
    check(RetentionReasonTitle(v), RetentionReasonTitle(v, Language::kDanish));
  }
  for (std::string_view n : RetentionActionNames()) {
    const RetentionAction v = *ParseRetentionAction(n);
    check(RetentionActionTitle(v), RetentionActionTitle(v, Language::kDanish));
  }
  for (std::string_view n : RecordProblemNames()) {
    const RecordProblem v = *ParseRecordProblem(n);
    check(RecordProblemTitle(v), RecordProblemTitle(v, Language::kDanish));
  }
  EXPECT_EQ(RetentionStatusTitle(RetentionStatus::kDue, Language::kDanish), "Skal slettes");
  EXPECT_EQ(RetentionStatusTitle(RetentionStatus::kDue), "Due for deletion");
  // Total like the names.
  EXPECT_EQ(RetentionStatusTitle(static_cast<RetentionStatus>(200)),
            RetentionStatusTitle(RetentionStatus::kInvalid));
  EXPECT_EQ(RetentionActionTitle(static_cast<RetentionAction>(200), Language::kDanish),
            RetentionActionTitle(RetentionAction::kUnknown, Language::kDanish));
}

TEST(RetentionNamesTest, ParsingNamesTheChoicesAndFormattingIsTotal) {
  absl::StatusOr<RetentionStatus> st = ParseRetentionStatus("pendng");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(st.status().message(), HasSubstr("unknown retention status \"pendng\""));
  EXPECT_THAT(st.status().message(), HasSubstr("\"may-delete\""));
  EXPECT_THAT(st.status().message(), HasSubstr("did you mean \"pending\"?"));
  EXPECT_THAT(ParseRetentionReason("0101901234").status().message(), Not(HasSubstr("1234")));
  // The policy file's spelling of actions.
  EXPECT_EQ(*ParseRetentionAction("RETAIN_THEN_DELETE"), RetentionAction::kRetainThenDelete);
  EXPECT_EQ(RetentionActionName(RetentionAction::kUnknown), "unknown");
  EXPECT_EQ(RetentionStatusName(static_cast<RetentionStatus>(200)), "invalid");
  EXPECT_EQ(RetentionReasonName(static_cast<RetentionReason>(200)), "invalid-input");
}

}  // namespace
}  // namespace gdprkit
