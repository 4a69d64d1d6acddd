// Hierarchies, table input checks, linked tables, relations, primary rules
// and the JJ format.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "gdprkit/suppression.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace absl {
// Debian's absl::string_view is not std::string_view: print it as text.
inline void PrintTo(absl::string_view s, std::ostream* os) { *os << '"' << std::string(s) << '"'; }
}  // namespace absl

namespace gdprkit {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

Hierarchy MustParents(const std::string& name,
                      const std::vector<std::pair<std::string, std::string>>& cp) {
  absl::StatusOr<Hierarchy> h = Hierarchy::FromParents(name, cp);
  EXPECT_TRUE(h.ok()) << h.status();
  return *h;
}

Hierarchy MustFlat(const std::string& name, const std::vector<std::string>& codes) {
  absl::StatusOr<Hierarchy> h = Hierarchy::Flat(name, codes);
  EXPECT_TRUE(h.ok()) << h.status();
  return *h;
}

TableCell Cell(std::vector<std::string> codes, double value) {
  TableCell c;
  c.codes = std::move(codes);
  c.value = value;
  return c;
}

// ---- Hierarchies -------------------------------------------------------------

TEST(HierarchyTest, FromParentsOrdersCodesDepthFirst) {
  Hierarchy h = MustParents("region", {{"Total", ""},
                                       {"North", "Total"},
                                       {"South", "Total"},
                                       {"n1", "North"},
                                       {"s1", "South"},
                                       {"n2", "North"}});
  ASSERT_EQ(h.size(), 6);
  EXPECT_EQ(h.code(0), "Total");
  EXPECT_EQ(h.code(1), "North");
  EXPECT_EQ(h.code(2), "n1");
  EXPECT_EQ(h.code(3), "n2");
  EXPECT_EQ(h.code(4), "South");
  EXPECT_EQ(h.code(5), "s1");
  EXPECT_EQ(h.parent(2), 1);
  EXPECT_EQ(h.depth(2), 2);
  EXPECT_TRUE(h.is_leaf(5));
  EXPECT_FALSE(h.is_leaf(1));
  EXPECT_EQ(h.Find("s1"), 5);
  EXPECT_EQ(h.Find("nope"), -1);
}

TEST(HierarchyTest, RejectsCycleNamingTheCodes) {
  absl::StatusOr<Hierarchy> h = Hierarchy::FromParents(
      "region", {{"Total", ""}, {"A", "B"}, {"B", "C"}, {"C", "A"}, {"D", "Total"}});
  ASSERT_FALSE(h.ok());
  EXPECT_THAT(h.status().message(),
              AllOf(HasSubstr("cycle"), HasSubstr("A"), HasSubstr("B"), HasSubstr("C")));
}

TEST(HierarchyTest, RejectsOrphanWithNearestCode) {
  absl::StatusOr<Hierarchy> h =
      Hierarchy::FromParents("region", {{"Total", ""}, {"North", "Total"}, {"n1", "Nort"}});
  ASSERT_FALSE(h.ok());
  EXPECT_THAT(h.status().message(), AllOf(HasSubstr("\"n1\""), HasSubstr("\"Nort\""),
                                          HasSubstr("orphan"), HasSubstr("\"North\"")));
}

TEST(HierarchyTest, RejectsDuplicatesRootsAndEmptyCodes) {
  EXPECT_THAT(Hierarchy::FromParents("r", {{"Total", ""}, {"a", "Total"}, {"a", "Total"}})
                  .status()
                  .message(),
              HasSubstr("\"a\" appears twice"));
  EXPECT_THAT(Hierarchy::FromParents("r", {{"T1", ""}, {"T2", ""}}).status().message(),
              HasSubstr("more than one total"));
  EXPECT_THAT(Hierarchy::FromParents("r", {{"a", "b"}, {"b", "a"}}).status().message(),
              HasSubstr("no total"));
  EXPECT_THAT(Hierarchy::FromParents("r", {{"", ""}}).status().message(), HasSubstr("empty code"));
  EXPECT_THAT(Hierarchy::FromParents("r", {{"a", "a"}}).status().message(),
              HasSubstr("its own parent"));
  EXPECT_FALSE(Hierarchy::FromParents("r", {}).ok());
  EXPECT_FALSE(Hierarchy::Flat("r", {}).ok());
}

TEST(HierarchyTest, IndentedText) {
  absl::StatusOr<Hierarchy> h =
      Hierarchy::FromIndentedText("region", "North\n@n1\n@n2\n\nSouth\r\n@s1\n@@s1a\n", "DK");
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->code(0), "DK");
  EXPECT_EQ(h->size(), 7);
  EXPECT_EQ(h->code(h->parent(h->Find("s1a"))), "s1");
  absl::StatusOr<Hierarchy> bad = Hierarchy::FromIndentedText("region", "North\n@@n1\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("line 2"));
  EXPECT_FALSE(Hierarchy::FromIndentedText("region", "\n\n").ok());
}

// ---- Tables --------------------------------------------------------------------

TableInput TwoByTwo() {
  TableInput t;
  t.name = "bp";
  t.dimensions = {MustFlat("practice", {"p1", "p2"}), MustFlat("band", {"low", "high"})};
  t.cells = {Cell({"p1", "low"}, 10), Cell({"p1", "high"}, 3), Cell({"p2", "low"}, 8),
             Cell({"p2", "high"}, 7)};
  return t;
}

TEST(CellTableTest, ComputesTotalsAndRelations) {
  absl::StatusOr<CellTable> t = CellTable::FromTables({TwoByTwo()});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->num_cells(), 9);
  EXPECT_EQ(t->num_relations(), 6);  // 3 row sums + 3 column sums
  absl::StatusOr<int> total = t->FindCell("bp", {"Total", "Total"});
  ASSERT_TRUE(total.ok());
  EXPECT_EQ(t->value(*total), 28);
  EXPECT_EQ(t->value(*t->FindCell("bp", {"p1", "Total"})), 13);
  EXPECT_EQ(t->value(*t->FindCell("bp", {"Total", "high"})), 10);
  EXPECT_EQ(t->cell_name(*t->FindCell("bp", {"p1", "high"})), "bp(practice=p1, band=high)");
  for (int r = 0; r < t->num_relations(); ++r) {
    LinearRelation rel = t->relation(r);
    double sum = 0;
    for (size_t k = 0; k < rel.cells.size(); ++k)
      sum += rel.coefficients[k] * t->value(rel.cells[k]);
    EXPECT_EQ(sum, rel.rhs) << t->RelationName(r);
  }
  EXPECT_FALSE(t->FindCell("bp", {"p9", "low"}).ok());
  EXPECT_FALSE(t->FindCell("xx", {"p1", "low"}).ok());
  EXPECT_FALSE(t->FindCell("bp", {"p1"}).ok());
}

TEST(CellTableTest, GivenTotalsMustAddUp) {
  TableInput t = TwoByTwo();
  t.cells.push_back(Cell({"p1", "Total"}, 14));
  absl::StatusOr<CellTable> ct = CellTable::FromTables({t});
  ASSERT_FALSE(ct.ok());
  EXPECT_THAT(ct.status().message(),
              AllOf(HasSubstr("do not add up"), HasSubstr("practice=p1, band=Total"),
                    HasSubstr("14"), HasSubstr("13")));
  t.cells.back().value = 13;
  EXPECT_TRUE(CellTable::FromTables({t}).ok());
}

TEST(CellTableTest, BadCellsAreNamed) {
  {
    TableInput t = TwoByTwo();
    t.cells.pop_back();
    absl::StatusOr<CellTable> ct = CellTable::FromTables({t});
    ASSERT_FALSE(ct.ok());
    EXPECT_THAT(ct.status().message(),
                AllOf(HasSubstr("missing"), HasSubstr("practice=p2, band=high")));
    BuildOptions zero;
    zero.missing_cells_are_zero = true;
    absl::StatusOr<CellTable> ok = CellTable::FromTables({t}, zero);
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->value(*ok->FindCell("bp", {"p2", "high"})), 0);
  }
  {
    TableInput t = TwoByTwo();
    t.cells.push_back(Cell({"p1", "low"}, 10));
    EXPECT_THAT(CellTable::FromTables({t}).status().message(),
                AllOf(HasSubstr("appears twice"), HasSubstr("rows 1 and 5")));
  }
  {
    TableInput t = TwoByTwo();
    t.cells[1].value = -3;
    EXPECT_THAT(CellTable::FromTables({t}).status().message(),
                AllOf(HasSubstr("negative"), HasSubstr("band=high")));
  }
  {
    TableInput t = TwoByTwo();
    t.cells[1].value = std::nan("");
    EXPECT_THAT(CellTable::FromTables({t}).status().message(), HasSubstr("NaN"));
  }
  {
    TableInput t = TwoByTwo();
    t.cells[1].value = 2.5;
    EXPECT_THAT(CellTable::FromTables({t}).status().message(), HasSubstr("not a whole number"));
  }
  {
    TableInput t = TwoByTwo();
    t.cells[1].codes[1] = "hihg";
    EXPECT_THAT(CellTable::FromTables({t}).status().message(),
                AllOf(HasSubstr("unknown code \"hihg\""), HasSubstr("\"high\"")));
  }
  {
    TableInput t = TwoByTwo();
    t.cells[1].codes.pop_back();
    EXPECT_THAT(CellTable::FromTables({t}).status().message(), HasSubstr("1 codes"));
  }
  EXPECT_FALSE(CellTable::FromTables({}).ok());
  TableInput nodims;
  EXPECT_THAT(CellTable::FromTables({nodims}).status().message(), HasSubstr("no dimensions"));
}

TEST(CellTableTest, HierarchicalTotals) {
  Hierarchy region = MustParents("region", {{"DK", ""},
                                            {"North", "DK"},
                                            {"South", "DK"},
                                            {"p1", "North"},
                                            {"p2", "North"},
                                            {"p3", "South"},
                                            {"p4", "South"}});
  TableInput t;
  t.name = "t";
  t.dimensions = {region};
  t.cells = {Cell({"p1"}, 4), Cell({"p2"}, 6), Cell({"p3"}, 1), Cell({"p4"}, 9)};
  absl::StatusOr<CellTable> ct = CellTable::FromTables({t});
  ASSERT_TRUE(ct.ok()) << ct.status();
  EXPECT_EQ(ct->value(*ct->FindCell("t", {"North"})), 10);
  EXPECT_EQ(ct->value(*ct->FindCell("t", {"DK"})), 20);
  EXPECT_EQ(ct->num_relations(), 3);
}

TEST(CellTableTest, LinkedTablesShareMarginals) {
  Hierarchy practice = MustFlat("practice", {"p1", "p2"});
  TableInput bp;
  bp.name = "bp";
  bp.dimensions = {practice, MustFlat("band", {"low", "high"})};
  bp.cells = {Cell({"p1", "low"}, 10), Cell({"p1", "high"}, 3), Cell({"p2", "low"}, 8),
              Cell({"p2", "high"}, 7)};
  TableInput age;
  age.name = "age";
  age.dimensions = {practice, MustFlat("age", {"young", "old"})};
  age.cells = {Cell({"p1", "young"}, 6), Cell({"p1", "old"}, 7), Cell({"p2", "young"}, 11),
               Cell({"p2", "old"}, 4)};
  absl::StatusOr<CellTable> ct = CellTable::FromTables({bp, age});
  ASSERT_TRUE(ct.ok()) << ct.status();
  EXPECT_EQ(ct->num_cells(), 9 + 9 - 3);
  EXPECT_EQ(*ct->FindCell("bp", {"p1", "Total"}), *ct->FindCell("age", {"p1", "Total"}));
  EXPECT_EQ(*ct->FindCell("bp", {"Total", "Total"}), *ct->FindCell("age", {"Total", "Total"}));
  // The practice-total relation appears once.
  EXPECT_EQ(ct->num_relations(), 6 + 6 - 1);
  EXPECT_EQ(ct->Locations(*ct->FindCell("age", {"p2", "Total"})).size(), 2u);

  age.cells[0].value = 5;  // p1 total would be 12 in one table, 13 in the other
  absl::StatusOr<CellTable> bad = CellTable::FromTables({bp, age});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(),
              AllOf(HasSubstr("disagree"), HasSubstr("practice=Total, band=Total"), HasSubstr("28"),
                    HasSubstr("27")));

  TableInput other = age;
  other.cells[0].value = 6;
  other.dimensions[0] = MustFlat("practice", {"p2", "p1"});
  EXPECT_THAT(CellTable::FromTables({bp, other}).status().message(),
              HasSubstr("different hierarchies"));
  other = age;
  other.kind = TableKind::kMagnitude;
  EXPECT_THAT(CellTable::FromTables({bp, other}).status().message(), HasSubstr("kind"));
  other = age;
  other.name = "bp";
  EXPECT_THAT(CellTable::FromTables({bp, other}).status().message(), HasSubstr("two tables"));
}

TEST(CellTableTest, FromRelationsChecksEverything) {
  std::vector<LinearCell> cells(3);
  cells[0].name = "total";
  cells[0].value = 10;
  cells[1].name = "a";
  cells[1].value = 4;
  cells[2].name = "b";
  cells[2].value = 6;
  LinearRelation rel{{1, 2, 0}, {1, 1, -1}, 0};
  absl::StatusOr<CellTable> ok = CellTable::FromRelations(TableKind::kFrequency, cells, {rel});
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(*ok->FindCellByName("b"), 2);
  EXPECT_FALSE(ok->FindCellByName("zz").ok());

  LinearRelation wrong = rel;
  wrong.rhs = 1;
  EXPECT_THAT(CellTable::FromRelations(TableKind::kFrequency, cells, {wrong}).status().message(),
              HasSubstr("does not hold"));
  LinearRelation unknown{{1, 7}, {1, 1}, 0};
  EXPECT_THAT(CellTable::FromRelations(TableKind::kFrequency, cells, {unknown}).status().message(),
              HasSubstr("cell 7"));
  LinearRelation repeated{{1, 1}, {1, -1}, 0};
  EXPECT_THAT(CellTable::FromRelations(TableKind::kFrequency, cells, {repeated}).status().message(),
              HasSubstr("twice"));
  std::vector<LinearCell> dup = cells;
  dup[2].name = "a";
  EXPECT_THAT(CellTable::FromRelations(TableKind::kFrequency, dup, {rel}).status().message(),
              HasSubstr("appears twice"));
  std::vector<LinearCell> bounded = cells;
  bounded[1].upper_bound = 3;
  EXPECT_THAT(CellTable::FromRelations(TableKind::kFrequency, bounded, {rel}).status().message(),
              HasSubstr("outside its bounds"));
}

// ---- Primary rules --------------------------------------------------------------

TEST(PrimaryRulesTest, ThresholdLevels) {
  absl::StatusOr<CellTable> t = CellTable::FromTables({TwoByTwo()});
  ASSERT_TRUE(t.ok());
  PrimaryRules rules;  // threshold 5
  absl::StatusOr<std::vector<Protection>> p = ApplyPrimaryRules(*t, rules);
  ASSERT_TRUE(p.ok()) << p.status();
  const int small = *t->FindCell("bp", {"p1", "high"});
  EXPECT_TRUE((*p)[small].primary);
  EXPECT_EQ((*p)[small].reasons, kReasonThreshold);
  EXPECT_EQ((*p)[small].upper, 2);  // an attacker must not prove it is below 5
  EXPECT_EQ((*p)[small].lower, 0);
  int primaries = 0;
  for (const Protection& x : *p) primaries += x.primary;
  EXPECT_EQ(primaries, 1);
  rules.threshold_hides_presence = true;
  p = ApplyPrimaryRules(*t, rules);
  EXPECT_EQ((*p)[small].lower, 3);
  rules.threshold = -1;
  EXPECT_FALSE(ApplyPrimaryRules(*t, rules).ok());
}

TEST(PrimaryRulesTest, ZeroAndManualMarks) {
  TableInput in = TwoByTwo();
  in.cells[0].value = 0;
  in.cells[2].mark = CellMark::kUnsafe;
  in.cells[2].manual_upper = 4;
  in.cells[3].mark = CellMark::kSafe;
  absl::StatusOr<CellTable> t = CellTable::FromTables({in});
  ASSERT_TRUE(t.ok()) << t.status();
  PrimaryRules rules;
  rules.protect_zeros = true;
  absl::StatusOr<std::vector<Protection>> p = ApplyPrimaryRules(*t, rules);
  ASSERT_TRUE(p.ok());
  const Protection& zero = (*p)[*t->FindCell("bp", {"p1", "low"})];
  EXPECT_TRUE(zero.primary);
  EXPECT_EQ(zero.reasons, kReasonZero);
  EXPECT_EQ(zero.upper, 1);
  const Protection& manual = (*p)[*t->FindCell("bp", {"p2", "low"})];
  EXPECT_EQ(manual.reasons, kReasonManual);
  EXPECT_EQ(manual.upper, 4);
  EXPECT_EQ(manual.lower, 1);  // 10% of 8, rounded up to a whole count
  EXPECT_FALSE((*p)[*t->FindCell("bp", {"p2", "high"})].primary);

  TableInput bad = TwoByTwo();
  bad.cells[0].manual_upper = 3;  // levels without the unsafe mark
  EXPECT_THAT(CellTable::FromTables({bad}).status().message(), HasSubstr("not marked unsafe"));
}

TEST(PrimaryRulesTest, MagnitudeRules) {
  TableInput t;
  t.name = "cost";
  t.kind = TableKind::kMagnitude;
  t.dimensions = {MustFlat("practice", {"p1", "p2", "p3"})};
  TableCell a = Cell({"p1"}, 100);
  a.contributors = 10;
  a.largest = {85, 5};  // dominated by one contributor
  TableCell b = Cell({"p2"}, 100);
  b.contributors = 10;
  b.largest = {30, 25};
  TableCell c = Cell({"p3"}, 100);
  c.contributors = 3;  // threshold rule
  c.largest = {40, 35};
  t.cells = {a, b, c};
  absl::StatusOr<CellTable> ct = CellTable::FromTables({t});
  ASSERT_TRUE(ct.ok()) << ct.status();
  EXPECT_EQ(ct->contributors(*ct->FindCell("cost", {"Total"})), 23);
  EXPECT_THAT(ct->largest(*ct->FindCell("cost", {"Total"})),
              ::testing::ElementsAre(85, 40));  // as many as the cells give
  PrimaryRules rules;
  rules.threshold = 5;
  rules.dominance = {{1, 80}};
  rules.p_percent = 10;
  absl::StatusOr<std::vector<Protection>> p = ApplyPrimaryRules(*ct, rules);
  ASSERT_TRUE(p.ok()) << p.status();
  const Protection& pa = (*p)[*ct->FindCell("cost", {"p1"})];
  EXPECT_TRUE(pa.reasons & kReasonDominance);
  EXPECT_NEAR(pa.upper, 100.0 / 80 * 85 - 100, 1e-9);  // 6.25
  EXPECT_FALSE(pa.reasons & kReasonPPercent);          // 100 - 85 - 5 = 10 >= 0.1 * 85
  const Protection& pb = (*p)[*ct->FindCell("cost", {"p2"})];
  EXPECT_FALSE(pb.primary);
  const Protection& pc = (*p)[*ct->FindCell("cost", {"p3"})];
  EXPECT_TRUE(pc.reasons & kReasonThreshold);
  EXPECT_NEAR(pc.upper, 10, 1e-9);  // 10% range of 100
  // The p% rule on its own.
  PrimaryRules pp;
  pp.threshold = 0;
  pp.p_percent = 20;
  p = ApplyPrimaryRules(*ct, pp);
  ASSERT_TRUE(p.ok());
  // p1: rest = 100 - 85 - 5 = 10 < 0.2 * 85 = 17: primary, level 7.
  EXPECT_NEAR((*p)[*ct->FindCell("cost", {"p1"})].upper, 7, 1e-9);
  EXPECT_FALSE((*p)[*ct->FindCell("cost", {"p2"})].primary);  // 45 >= 6

  // A rule that needs what a cell lacks is an error naming it.
  t.cells[1].largest = {30};
  ct = CellTable::FromTables({t});
  ASSERT_TRUE(ct.ok());
  PrimaryRules dom;
  dom.threshold = 0;
  dom.dominance = {{2, 70}};
  EXPECT_THAT(ApplyPrimaryRules(*ct, dom).status().message(),
              AllOf(HasSubstr("practice=p2"), HasSubstr("needs 2")));
}

TEST(PrimaryRulesTest, MagnitudeInputChecks) {
  TableInput t;
  t.name = "m";
  t.kind = TableKind::kMagnitude;
  t.dimensions = {MustFlat("x", {"a", "b"})};
  TableCell a = Cell({"a"}, 10);
  a.largest = {4, 6};
  t.cells = {a, Cell({"b"}, 3)};
  EXPECT_THAT(CellTable::FromTables({t}).status().message(), HasSubstr("sorted"));
  t.cells[0].largest = {8, 6};
  EXPECT_THAT(CellTable::FromTables({t}).status().message(), HasSubstr("more than its value"));
  t.cells[0].largest = {6, 4};
  t.cells[0].contributors = 1;
  EXPECT_THAT(CellTable::FromTables({t}).status().message(), HasSubstr("only 1 contributors"));
  t.cells[0].contributors = 0;
  t.cells[0].largest = {};
  EXPECT_THAT(CellTable::FromTables({t}).status().message(), HasSubstr("no contributors"));
}

// ---- JJ ------------------------------------------------------------------------------

TEST(JJTest, RoundTrip) {
  absl::StatusOr<CellTable> t = CellTable::FromTables({TwoByTwo()});
  ASSERT_TRUE(t.ok());
  absl::StatusOr<std::vector<Protection>> p = ApplyPrimaryRules(*t, PrimaryRules{});
  ASSERT_TRUE(p.ok());
  std::vector<double> costs = CellCosts(*t, CostModel::kValue);
  absl::StatusOr<std::string> text = WriteJJ(*t, *p, costs);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->substr(0, 4), "0\n9\n");
  absl::StatusOr<JJProblem> back = ParseJJ(*text);
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << *text;
  ASSERT_EQ(back->table.num_cells(), 9);
  EXPECT_EQ(back->table.num_relations(), 6);
  for (int c = 0; c < 9; ++c) {
    EXPECT_EQ(back->table.value(c), t->value(c));
    EXPECT_EQ(back->protection[c].primary, (*p)[c].primary);
    EXPECT_EQ(back->protection[c].upper, (*p)[c].upper);
    EXPECT_EQ(back->table.cost_override(c), costs[c]);
  }
  absl::StatusOr<std::string> again = WriteJJ(back->table, back->protection, costs);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *text);
}

TEST(JJTest, ReadsSdcTableStyle) {
  // sdcTable writes 8 columns (no status) and "cell ( coef )" with spaces.
  const std::string text =
      "0\n3\n0 10 1 0 100 0 0 0\n1 3 1 0 100 0 2 0\n2 7 1 0 100 0 0 0\n1\n0.0 3 : 0 ( -1 ) 1 ( 1 ) "
      "2 ( 1 )\n";
  absl::StatusOr<JJProblem> jj = ParseJJ(text);
  ASSERT_TRUE(jj.ok()) << jj.status();
  EXPECT_TRUE(jj->protection[1].primary);
  EXPECT_EQ(jj->protection[1].upper, 2);
  EXPECT_FALSE(jj->protection[0].primary);
  EXPECT_EQ(jj->table.upper_bound(0), 100);
}

TEST(JJTest, ErrorsNameTheLine) {
  EXPECT_THAT(ParseJJ("").status().message(), HasSubstr("empty"));
  EXPECT_THAT(ParseJJ("1\n").status().message(), HasSubstr("line 1"));
  EXPECT_THAT(ParseJJ("0\n2\n0 1 1 s 0 9 0 0 0\n").status().message(), HasSubstr("after 1 of 2"));
  EXPECT_THAT(ParseJJ("0\n1\n0 x 1 s 0 9 0 0 0\n0\n").status().message(),
              AllOf(HasSubstr("line 3"), HasSubstr("value")));
  EXPECT_THAT(ParseJJ("0\n1\n0 1 1 q 0 9 0 0 0\n0\n").status().message(),
              HasSubstr("unknown status"));
  EXPECT_THAT(ParseJJ("0\n1\n5 1 1 s 0 9 0 0 0\n0\n").status().message(), HasSubstr("should be 0"));
  EXPECT_THAT(ParseJJ("0\n2\n0 1 1 s 0 9 0 0 0\n1 1 1 s 0 9 0 0 0\n1\n0 2 : 0 (1) 3 (-1)\n")
                  .status()
                  .message(),
              HasSubstr("refers to cell 3"));
  EXPECT_THAT(ParseJJ("0\n2\n0 1 1 s 0 9 0 0 0\n1 2 1 s 0 9 0 0 0\n1\n0 2 : 0 (1) 1 (-1)\n")
                  .status()
                  .message(),
              HasSubstr("does not hold"));
  EXPECT_THAT(ParseJJ("0\n2\n0 1 1 s 0 9 0 0 0\n1 1 1 s 0 9 0 0 0\n1\n0 3 : 0 (1) 1 (-1)\n")
                  .status()
                  .message(),
              HasSubstr("announces 3"));
  EXPECT_THAT(ParseJJ(std::string("0\n1\n0 1 1 s 0 9 0 0 0\n0\n\0", 25)).status().message(),
              HasSubstr("JJ input"));
  EXPECT_THAT(ParseJJ("0\n1\n0 1 1 s 0 9 0 0 0\n0\nextra\n").status().message(),
              HasSubstr("unexpected"));
}

}  // namespace
}  // namespace gdprkit
