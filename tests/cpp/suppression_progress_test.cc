// Progress and titles of the suppression area (issue #11, items 3 and 4).
//
// Progress: Suppress, AuditPattern and Audit report each stage that runs in
// the documented order; every stage reports its total first (done == 0),
// never goes back, and ends with done == total, whatever the method and the
// effort (at effort 2 the heuristic's stages span its three rounds); the
// audit reports per suppressed cell, not once; a callback returning false at
// any report cancels with CancelledError naming the stage.
//
// Titles: every value has an English and a Danish title, the published
// table's words say "suppressed" and never primary or secondary, and the
// formatted lines (marker note, summary, audit verdict and figures) carry
// their counts and marker in either language.
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gdprkit/suppression.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;

// A rows x cols frequency table of random counts, about a sixth below 5.
CellTable RandomTable(int rows, int cols, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> small(1, 4), big(5, 60), pick(0, 5);
  std::vector<std::string> r, c;
  for (int i = 0; i < rows; ++i) r.push_back(absl::StrCat("r", i));
  for (int j = 0; j < cols; ++j) c.push_back(absl::StrCat("c", j));
  TableInput t;
  t.name = "t";
  t.dimensions = {*Hierarchy::Flat("row", r), *Hierarchy::Flat("col", c)};
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      TableCell cell;
      cell.codes = {r[i], c[j]};
      cell.value = pick(rng) == 0 ? small(rng) : big(rng);
      t.cells.push_back(cell);
    }
  }
  return *CellTable::FromTables({t});
}

// What a callback saw: per stage (in the order the stages began) every
// report.
struct Seen {
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>> reports;

  ProgressFn Fn() {
    return [this](const Progress& p) {
      const std::string stage(p.stage);
      if (reports.find(stage) == reports.end()) order.push_back(stage);
      reports[stage].emplace_back(p.done, p.total);
      return true;
    };
  }

  // Every stage starts at 0 of its total, never goes back, keeps its total
  // and ends at it.
  void ExpectEveryStageEndsAtItsTotal() const {
    for (const auto& [stage, rs] : reports) {
      SCOPED_TRACE(stage);
      ASSERT_FALSE(rs.empty());
      EXPECT_EQ(rs.front().first, 0);
      const std::int64_t total = rs.front().second;
      for (std::size_t i = 0; i < rs.size(); ++i) {
        EXPECT_EQ(rs[i].second, total);
        if (i > 0) {
          EXPECT_GE(rs[i].first, rs[i - 1].first);
        }
      }
      EXPECT_EQ(rs.back().first, total);
    }
  }
};

TEST(SuppressProgressTest, HeuristicStagesInOrderEachEndsAtItsTotal) {
  const CellTable t = RandomTable(30, 12, 1);
  for (int effort : {0, 1, 2}) {
    SCOPED_TRACE(effort);
    Seen seen;
    SuppressOptions o;
    o.method = SecondaryMethod::kHeuristic;
    o.effort = effort;
    o.progress = seen.Fn();
    absl::StatusOr<SuppressionResult> r = Suppress(t, PrimaryRules{}, o);
    ASSERT_TRUE(r.ok()) << r.status();
    if (effort == 0) {
      EXPECT_THAT(seen.order, ElementsAre("primary", "secondary", "cleanup", "audit"));
    } else {
      EXPECT_THAT(seen.order, ElementsAre("primary", "secondary", "cleanup", "improve", "audit"));
    }
    seen.ExpectEveryStageEndsAtItsTotal();
    EXPECT_EQ(seen.reports["primary"].back().first, t.num_cells());
    EXPECT_EQ(seen.reports["secondary"].back().first, (effort == 2 ? 3 : 1) * r->num_primary);
    EXPECT_EQ(seen.reports["audit"].back().first, r->audit.num_suppressed);
    // The audit reports along the way, not once at the start.
    EXPECT_GE(seen.reports["audit"].size(), 3u);
  }
}

TEST(SuppressProgressTest, OptimalStageEndsAtItsTotal) {
  const CellTable t = RandomTable(6, 5, 2);
  Seen seen;
  SuppressOptions o;
  o.method = SecondaryMethod::kOptimal;
  o.progress = seen.Fn();
  absl::StatusOr<SuppressionResult> r = Suppress(t, PrimaryRules{}, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(seen.order,
              ElementsAre("primary", "secondary", "cleanup", "improve", "optimal", "audit"));
  seen.ExpectEveryStageEndsAtItsTotal();
}

TEST(SuppressProgressTest, AuditAndAuditPatternReportTheAuditPerCell) {
  const CellTable t = RandomTable(20, 8, 3);
  absl::StatusOr<SuppressionResult> r = Suppress(t, PrimaryRules{});
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<bool> suppressed(t.num_cells());
  for (int c = 0; c < t.num_cells(); ++c) {
    suppressed[c] = r->status[c] != CellStatus::kPublished;
  }
  Seen audit_seen;
  AuditOptions ao;
  ao.mode = AuditMode::kExact;
  ao.progress = audit_seen.Fn();
  absl::StatusOr<AuditReport> a = Audit(t, r->protection, suppressed, ao);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_THAT(audit_seen.order, ElementsAre("audit"));
  audit_seen.ExpectEveryStageEndsAtItsTotal();
  EXPECT_EQ(audit_seen.reports["audit"].back().first, a->num_suppressed);
  EXPECT_GE(audit_seen.reports["audit"].size(), 3u);

  Seen pattern_seen;
  SuppressOptions so;
  so.progress = pattern_seen.Fn();
  ASSERT_TRUE(AuditPattern(t, PrimaryRules{}, suppressed, so).ok());
  EXPECT_THAT(pattern_seen.order, ElementsAre("primary", "audit"));
  pattern_seen.ExpectEveryStageEndsAtItsTotal();
}

TEST(SuppressProgressTest, CancellingAtAnyReportNamesTheStage) {
  const CellTable t = RandomTable(12, 6, 4);
  Seen all;
  SuppressOptions o;
  o.method = SecondaryMethod::kOptimal;
  o.progress = all.Fn();
  ASSERT_TRUE(Suppress(t, PrimaryRules{}, o).ok());
  std::int64_t reports = 0;
  for (const auto& [stage, rs] : all.reports) reports += static_cast<std::int64_t>(rs.size());
  for (std::int64_t at = 1; at <= reports; ++at) {
    std::int64_t calls = 0;
    std::string last;
    o.progress = [&](const Progress& p) {
      last = std::string(p.stage);
      return ++calls < at;
    };
    absl::StatusOr<SuppressionResult> r = Suppress(t, PrimaryRules{}, o);
    ASSERT_EQ(r.status().code(), absl::StatusCode::kCancelled) << at;
    EXPECT_EQ(calls, at);
    EXPECT_THAT(r.status().message(), HasSubstr(absl::StrCat("the ", last, " stage")));
  }
}

TEST(SuppressionTitlesTest, EveryValueHasBothTitles) {
  for (Language l : {Language::kEnglish, Language::kDanish}) {
    for (std::string_view n : PublishedStatusNames()) {
      EXPECT_FALSE(PublishedStatusTitle(*ParsePublishedStatus(n), l).empty()) << n;
    }
    for (std::string_view n : CellStatusNames()) {
      EXPECT_FALSE(CellStatusTitle(*ParseCellStatus(n), l).empty()) << n;
    }
    for (std::string_view n : PrimaryReasonNames()) {
      EXPECT_FALSE(PrimaryReasonTitle(*ParsePrimaryReason(n), l).empty()) << n;
    }
    for (std::string_view n : IntervalKindNames()) {
      EXPECT_FALSE(IntervalKindTitle(*ParseIntervalKind(n), l).empty()) << n;
    }
    for (std::string_view n : ReportTextNames()) {
      EXPECT_FALSE(ReportTextTitle(*ParseReportText(n), l).empty()) << n;
    }
  }
  EXPECT_EQ(PublishedStatusTitle(PublishedStatus::kSuppressed, Language::kDanish), "undertrykt");
  EXPECT_EQ(PublishedStatusTitle(PublishedStatus::kSuppressed), "suppressed");
  EXPECT_EQ(PrimaryReasonsTitle(kReasonThreshold | kReasonZero, Language::kDanish),
            "tærskelregel, nulcelle");
  EXPECT_EQ(PrimaryReasonsTitle(0), "");
}

TEST(SuppressionTitlesTest, ThePublishedTableSaysSuppressedNeverWhy) {
  EXPECT_THAT(PublishedStatusNames(), ElementsAre("published", "suppressed"));
  EXPECT_EQ(PublishedStatusOf(CellStatus::kPrimary), PublishedStatus::kSuppressed);
  EXPECT_EQ(PublishedStatusOf(CellStatus::kSecondary), PublishedStatus::kSuppressed);
  EXPECT_EQ(PublishedStatusOf(CellStatus::kPublished), PublishedStatus::kPublished);
  for (Language l : {Language::kEnglish, Language::kDanish}) {
    const std::string line = PublishedSummary(168, 24, "<5", l) + " " + MarkerNote("<5", l) + " " +
                             std::string(ReportTextTitle(ReportText::kPublishedTable, l)) + " " +
                             std::string(PublishedStatusTitle(PublishedStatus::kSuppressed, l));
    for (CellStatus s : {CellStatus::kPrimary, CellStatus::kSecondary}) {
      EXPECT_THAT(line, Not(HasSubstr(std::string(CellStatusTitle(s, l)))));
    }
  }
}

TEST(SuppressionTitlesTest, FormattedLinesInBothLanguages) {
  EXPECT_EQ(PublishedSummary(168, 24, "x"), "168 cells, 24 suppressed (shown as x)");
  EXPECT_EQ(PublishedSummary(1, 0, "<5", Language::kDanish), "1 celle, 0 undertrykt (vist som <5)");
  EXPECT_EQ(MarkerNote("x"), "x: value suppressed to protect confidentiality");
  EXPECT_THAT(MarkerNote("<5", Language::kDanish), HasSubstr("<5: værdien er undertrykt"));
  EXPECT_EQ(AuditVerdictText(false, 2), "FAILED: 2 primary cells not protected");
  EXPECT_THAT(AuditVerdictText(true, 0, Language::kDanish), HasSubstr("bestået"));
  EXPECT_EQ(AuditFigures(24, 3, 5, 12, 1, Language::kEnglish),
            "24 suppressed cells, 3 determined exactly, 5 components (largest 12), 1 LP solve");
  EXPECT_THAT(AuditFigures(24, 3, 1, 12, 120, Language::kDanish),
              HasSubstr("24 undertrykte celler, 3 bestemt eksakt, 1 komponent"));
}

}  // namespace
}  // namespace gdprkit
