// Secondary suppression and the audit: the classic traps, linked tables,
// hierarchies, the optimal method, determinism. Every result is audited with
// the exact LP audit.
#include "gdprkit/suppression.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sanitized.h"

namespace absl {
inline void PrintTo(absl::string_view s, std::ostream* os) { *os << '"' << std::string(s) << '"'; }
}  // namespace absl

namespace gdprkit {
namespace {

// A cell of a table in long format: its codes and value, nothing else set.
TableCell Cell(std::vector<std::string> codes, double value) {
  TableCell c;
  c.codes = std::move(codes);
  c.value = value;
  return c;
}

using ::testing::HasSubstr;

Hierarchy Flat(const std::string& name, int n, const std::string& prefix) {
  std::vector<std::string> codes;
  for (int i = 0; i < n; ++i) codes.push_back(absl::StrCat(prefix, i + 1));
  return *Hierarchy::Flat(name, codes);
}

// A two-dimensional frequency table with flat dimensions r1..rm x c1..cn.
CellTable Table2D(const std::vector<std::vector<double>>& m, const std::string& name = "t") {
  TableInput t;
  t.name = name;
  t.dimensions = {Flat("row", static_cast<int>(m.size()), "r"),
                  Flat("col", static_cast<int>(m[0].size()), "c")};
  for (size_t i = 0; i < m.size(); ++i) {
    for (size_t j = 0; j < m[i].size(); ++j) {
      TableCell c;
      c.codes = {absl::StrCat("r", i + 1), absl::StrCat("c", j + 1)};
      c.value = m[i][j];
      t.cells.push_back(c);
    }
  }
  absl::StatusOr<CellTable> ct = CellTable::FromTables({t});
  EXPECT_TRUE(ct.ok()) << ct.status();
  return *ct;
}

int Cell(const CellTable& t, const std::vector<std::string>& codes) {
  absl::StatusOr<int> c = t.FindCell(t.table_name(0), codes);
  EXPECT_TRUE(c.ok()) << c.status();
  return *c;
}

std::vector<bool> Suppressed(const SuppressionResult& r) {
  std::vector<bool> s(r.status.size());
  for (size_t i = 0; i < s.size(); ++i) s[i] = r.status[i] != CellStatus::kPublished;
  return s;
}

// The independent check every published result must pass: the exact audit.
void ExpectPassesExactAudit(const CellTable& t, const SuppressionResult& r) {
  ASSERT_EQ(r.status.size(), static_cast<size_t>(t.num_cells()));
  EXPECT_TRUE(r.audit.passed);
  AuditOptions exact;
  exact.mode = AuditMode::kExact;
  absl::StatusOr<AuditReport> a = Audit(t, r.protection, Suppressed(r), exact);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->passed);
  for (const PrimaryVerdict& v : a->primaries) {
    EXPECT_TRUE(v.safe) << t.cell_name(v.cell) << ": " << v.reason << " [" << v.lower << ", "
                        << v.upper << "] needed [" << v.need_lower << ", " << v.need_upper << "]";
    EXPECT_TRUE(v.exact);
  }
  for (const SuppressedInterval& iv : a->intervals) {
    EXPECT_EQ(iv.kind, IntervalKind::kExact);
    EXPECT_LE(iv.lower, t.value(iv.cell));
    EXPECT_GE(iv.upper, t.value(iv.cell));
  }
}

SuppressionResult MustSuppress(const CellTable& t, const PrimaryRules& rules,
                               SecondaryMethod method, CostModel cost = CostModel::kCells) {
  SuppressOptions o;
  o.method = method;
  o.cost = cost;
  absl::StatusOr<SuppressionResult> r = Suppress(t, rules, o);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return {};
  ExpectPassesExactAudit(t, *r);
  return *r;
}

constexpr SecondaryMethod kBoth[] = {SecondaryMethod::kHeuristic, SecondaryMethod::kOptimal};

// ---- The audit on hand-made patterns -------------------------------------------

TEST(AuditTest, ExactIntervalsOfARectangle) {
  CellTable t = Table2D({{10, 3}, {8, 7}});
  std::vector<Protection> prot(t.num_cells());
  const int small = Cell(t, {"r1", "c2"});
  prot[small].primary = true;
  prot[small].upper = 2;
  std::vector<bool> supp(t.num_cells(), false);
  for (auto codes : std::vector<std::vector<std::string>>{
           {"r1", "c1"}, {"r1", "c2"}, {"r2", "c1"}, {"r2", "c2"}}) {
    supp[Cell(t, codes)] = true;
  }
  absl::StatusOr<AuditReport> a = Audit(t, prot, supp);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->passed);
  ASSERT_EQ(a->intervals.size(), 4u);
  // x11 = 10 + s, x12 = 3 - s, x21 = 8 - s, x22 = 7 + s with s in [-7, 3].
  auto interval = [&](const std::vector<std::string>& codes) {
    for (const SuppressedInterval& iv : a->intervals) {
      if (iv.cell == Cell(t, codes)) return std::make_pair(iv.lower, iv.upper);
    }
    return std::make_pair(-1.0, -1.0);
  };
  EXPECT_EQ(interval({"r1", "c1"}), std::make_pair(3.0, 13.0));
  EXPECT_EQ(interval({"r1", "c2"}), std::make_pair(0.0, 10.0));
  EXPECT_EQ(interval({"r2", "c1"}), std::make_pair(5.0, 15.0));
  EXPECT_EQ(interval({"r2", "c2"}), std::make_pair(0.0, 10.0));
  EXPECT_EQ(a->num_components, 1);
}

TEST(AuditTest, BlankingTheSmallCellAloneIsRecomputed) {
  CellTable t = Table2D({{10, 3}, {8, 7}});
  PrimaryRules rules;
  absl::StatusOr<std::vector<Protection>> prot = ApplyPrimaryRules(t, rules);
  ASSERT_TRUE(prot.ok());
  std::vector<bool> supp(t.num_cells(), false);
  const int small = Cell(t, {"r1", "c2"});
  supp[small] = true;
  absl::StatusOr<AuditReport> a = Audit(t, *prot, supp);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->passed);
  ASSERT_EQ(a->primaries.size(), 1u);
  EXPECT_FALSE(a->primaries[0].safe);
  EXPECT_THAT(a->primaries[0].reason, HasSubstr("determine"));
  EXPECT_EQ(a->primaries[0].lower, 3);
  EXPECT_EQ(a->primaries[0].upper, 3);
  EXPECT_EQ(a->num_determined, 1);
  // A primary left published fails too.
  std::vector<bool> none(t.num_cells(), false);
  a = Audit(t, *prot, none);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->passed);
  EXPECT_THAT(a->primaries[0].reason, HasSubstr("published"));
  // Wrong sizes are an error.
  EXPECT_FALSE(Audit(t, *prot, std::vector<bool>(3)).ok());
}

TEST(AuditTest, CapacityMatters) {
  // Suppressing 3 with the 1 beside it: the row says x + y = 4, so x <= 4 < 5.
  CellTable t = Table2D({{3, 1, 20}, {9, 9, 20}});
  absl::StatusOr<std::vector<Protection>> prot = ApplyPrimaryRules(t, PrimaryRules{});
  ASSERT_TRUE(prot.ok());
  std::vector<bool> supp(t.num_cells(), false);
  for (auto codes : std::vector<std::vector<std::string>>{
           {"r1", "c1"}, {"r1", "c2"}, {"r2", "c1"}, {"r2", "c2"}}) {
    supp[Cell(t, codes)] = true;
  }
  absl::StatusOr<AuditReport> a = Audit(t, *prot, supp);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->passed);
  for (const PrimaryVerdict& v : a->primaries) {
    if (v.cell == Cell(t, {"r1", "c1"})) {
      EXPECT_FALSE(v.safe);
      EXPECT_EQ(v.upper, 4);
      EXPECT_THAT(v.reason, HasSubstr("below"));
    }
  }
}

// ---- The classic traps, with both methods -----------------------------------------

TEST(SuppressTest, RowWithASingleSmallCell) {
  CellTable t = Table2D({{20, 3, 15}, {12, 14, 18}, {9, 11, 25}});
  for (SecondaryMethod m : kBoth) {
    SuppressionResult r = MustSuppress(t, PrimaryRules{}, m);
    EXPECT_EQ(r.num_primary, 1);
    EXPECT_EQ(r.num_secondary, 3);  // a rectangle
  }
}

TEST(SuppressTest, SmallCellsWhoseOnlyPartnersAreSmall) {
  // Row 1: 1 and 1 side by side; suppressing them together leaves x + y = 2.
  CellTable t = Table2D({{1, 1, 30, 22}, {2, 13, 17, 12}, {25, 19, 14, 16}});
  for (SecondaryMethod m : kBoth) {
    SuppressionResult r = MustSuppress(t, PrimaryRules{}, m);
    EXPECT_EQ(r.num_primary, 3);
  }
}

TEST(SuppressTest, AllSmallTable) {
  // Every interior cell small: the totals must go too.
  CellTable t = Table2D({{1, 2}, {3, 1}});
  for (SecondaryMethod m : kBoth) {
    SuppressionResult r = MustSuppress(t, PrimaryRules{}, m);
    EXPECT_EQ(r.num_primary, 8);  // the interior and every marginal (3 and 4)
  }
}

TEST(SuppressTest, PartnerOneLevelUp) {
  // North has a single practice: its cells equal North's, which must be
  // suppressed too, and the partner is then found at the region level.
  Hierarchy region = *Hierarchy::FromParents("region", {{"DK", ""},
                                                        {"North", "DK"},
                                                        {"South", "DK"},
                                                        {"East", "DK"},
                                                        {"n1", "North"},
                                                        {"s1", "South"},
                                                        {"s2", "South"},
                                                        {"e1", "East"},
                                                        {"e2", "East"}});
  Hierarchy band = *Hierarchy::Flat("band", {"low", "mid", "high"});
  TableInput in;
  in.name = "bp";
  in.dimensions = {region, band};
  const double v[5][3] = {{12, 2, 9}, {14, 16, 11}, {10, 7, 13}, {8, 19, 6}, {15, 9, 10}};
  const char* leaves[5] = {"n1", "s1", "s2", "e1", "e2"};
  const char* bands[3] = {"low", "mid", "high"};
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 3; ++j) {
      TableCell c;
      c.codes = {leaves[i], bands[j]};
      c.value = v[i][j];
      in.cells.push_back(c);
    }
  }
  absl::StatusOr<CellTable> t = CellTable::FromTables({in});
  ASSERT_TRUE(t.ok()) << t.status();
  for (SecondaryMethod m : kBoth) {
    SuppressionResult r = MustSuppress(*t, PrimaryRules{}, m);
    const int north_mid = *t->FindCell("bp", {"North", "mid"});
    EXPECT_NE(r.status[north_mid], CellStatus::kPublished);
  }
}

TEST(SuppressTest, ThreeLevelHierarchyBothDimensions) {
  Hierarchy region = *Hierarchy::FromIndentedText(
      "region", "N\n@N1\n@@a\n@@b\n@N2\n@@c\n@@d\nS\n@S1\n@@e\n@@f\n@@g\n", "DK");
  Hierarchy age =
      *Hierarchy::FromIndentedText("age", "young\n@0-17\n@18-39\nold\n@40-64\n@65+\n", "all");
  TableInput in;
  in.name = "t";
  in.dimensions = {region, age};
  std::mt19937 rng(7);
  for (std::string r : {"a", "b", "c", "d", "e", "f", "g"}) {
    for (std::string a : {"0-17", "18-39", "40-64", "65+"}) {
      TableCell c;
      c.codes = {r, a};
      c.value = static_cast<double>(rng() % 14);
      in.cells.push_back(c);
    }
  }
  absl::StatusOr<CellTable> t = CellTable::FromTables({in});
  ASSERT_TRUE(t.ok());
  for (SecondaryMethod m : kBoth) MustSuppress(*t, PrimaryRules{}, m);
}

TEST(SuppressTest, LinkedTablesAreProtectedTogether) {
  Hierarchy practice = *Hierarchy::Flat("practice", {"p1", "p2", "p3", "p4"});
  Hierarchy band = *Hierarchy::Flat("band", {"<120", "120-139", "140-159", ">=160"});
  Hierarchy age = *Hierarchy::Flat("age", {"<40", "40-64", ">=65"});
  const double bp[4][4] = {{10, 22, 9, 3}, {14, 30, 12, 6}, {1, 4, 2, 1}, {11, 25, 14, 7}};
  // Row sums: 44, 62, 8 (a practice with 8 patients), 57.
  const double ag[4][3] = {{8, 20, 16}, {15, 25, 22}, {2, 3, 3}, {13, 24, 20}};
  TableInput a, b;
  a.name = "bp";
  a.dimensions = {practice, band};
  b.name = "age";
  b.dimensions = {practice, age};
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      a.cells.push_back(Cell({practice.code(i + 1), band.code(j + 1)}, bp[i][j]));
    }
    for (int j = 0; j < 3; ++j) {
      b.cells.push_back(Cell({practice.code(i + 1), age.code(j + 1)}, ag[i][j]));
    }
  }
  absl::StatusOr<CellTable> t = CellTable::FromTables({a, b});
  ASSERT_TRUE(t.ok()) << t.status();
  for (SecondaryMethod m : kBoth) {
    SuppressionResult r = MustSuppress(*t, PrimaryRules{}, m);
    // The shared cell has one status, whichever table it is read from.
    EXPECT_EQ(*t->FindCell("bp", {"p3", "Total"}), *t->FindCell("age", {"p3", "Total"}));
  }
  // Each table protected on its own can leak through the other: the joint
  // protection is what the audit checks (it sees both tables' relations).
}

// The linked-table trap: a table protected on its own can be undone by the
// other. Here the low-band cells must be published, so the bp table alone
// hides the practice totals; the age table publishes them as row sums.
TEST(SuppressTest, LinkedTablesProtectedSeparatelyLeak) {
  Hierarchy practice = *Hierarchy::Flat("practice", {"p1", "p2", "p3"});
  Hierarchy band = *Hierarchy::Flat("band", {"low", "high"});
  Hierarchy age = *Hierarchy::Flat("age", {"young", "old"});
  TableInput bp, ages;
  bp.name = "bp";
  bp.dimensions = {practice, band};
  const double b[3][2] = {{40, 3}, {30, 2}, {25, 9}};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 2; ++j) {
      TableCell c = Cell({practice.code(i + 1), band.code(j + 1)}, b[i][j]);
      if (j == 0) c.mark = CellMark::kSafe;
      bp.cells.push_back(c);
    }
  }
  ages.name = "age";
  ages.dimensions = {practice, age};
  const double a[3][2] = {{20, 23}, {12, 20}, {14, 20}};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 2; ++j)
      ages.cells.push_back(Cell({practice.code(i + 1), age.code(j + 1)}, a[i][j]));
  }
  absl::StatusOr<CellTable> joint = CellTable::FromTables({bp, ages});
  absl::StatusOr<CellTable> alone = CellTable::FromTables({bp});
  ASSERT_TRUE(joint.ok() && alone.ok()) << joint.status() << alone.status();
  SuppressOptions o;
  o.method = SecondaryMethod::kOptimal;
  absl::StatusOr<SuppressionResult> sep = Suppress(*alone, PrimaryRules{}, o);
  ASSERT_TRUE(sep.ok()) << sep.status();
  ExpectPassesExactAudit(*alone, *sep);
  // Carry the bp-only pattern over to the linked set: it leaks.
  std::vector<bool> carried(joint->num_cells(), false);
  for (int c = 0; c < alone->num_cells(); ++c) {
    if (sep->status[c] == CellStatus::kPublished) continue;
    std::vector<std::string> codes;
    const std::vector<int> idx = alone->CodesAt(0, c);
    for (size_t d = 0; d < idx.size(); ++d)
      codes.push_back(alone->table_dimensions(0)[d].code(idx[d]));
    carried[*joint->FindCell("bp", codes)] = true;
  }
  absl::StatusOr<std::vector<Protection>> prot = ApplyPrimaryRules(*joint, PrimaryRules{});
  ASSERT_TRUE(prot.ok());
  absl::StatusOr<AuditReport> leak = Audit(*joint, *prot, carried);
  ASSERT_TRUE(leak.ok());
  EXPECT_FALSE(leak->passed);
  // Protected together, the age table gives up cells too, and nothing leaks.
  for (SecondaryMethod m : kBoth) {
    SuppressionResult r = MustSuppress(*joint, PrimaryRules{}, m);
    int age_cells = 0;
    for (int c = 0; c < joint->num_cells(); ++c) {
      if (r.status[c] == CellStatus::kPublished) continue;
      for (const CellLocation& loc : joint->Locations(c)) age_cells += loc.table == 1;
    }
    EXPECT_GT(age_cells, 0);
  }
}

// A certified audit (witnesses, windows) agrees with the exact one on the
// heuristic's own results.
TEST(AuditTest, CertifiedAuditOfHeuristicResults) {
  Hierarchy region = *Hierarchy::FromIndentedText(
      "region", "N\n@N1\n@@a\n@@b\n@@c\n@N2\n@@d\n@@e\nS\n@S1\n@@f\n@@g\n@@h\n@@i\n", "DK");
  Hierarchy diag = *Hierarchy::FromIndentedText(
      "diag", "K1\n@x1\n@x2\n@x3\nK2\n@y1\n@y2\nK3\n@z1\n@z2\n@z3\n@z4\n", "all");
  TableInput in;
  in.name = "t";
  in.dimensions = {region, diag};
  std::mt19937 rng(21);
  for (std::string r : {"a", "b", "c", "d", "e", "f", "g", "h", "i"}) {
    for (std::string x : {"x1", "x2", "x3", "y1", "y2", "z1", "z2", "z3", "z4"}) {
      in.cells.push_back(Cell({r, x}, static_cast<double>(rng() % 16)));
    }
  }
  absl::StatusOr<CellTable> t = CellTable::FromTables({in});
  ASSERT_TRUE(t.ok());
  SuppressOptions o;
  o.method = SecondaryMethod::kHeuristic;
  o.audit.mode = AuditMode::kCertified;
  absl::StatusOr<SuppressionResult> r = Suppress(*t, PrimaryRules{}, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->audit.passed);
  EXPECT_GT(r->audit.witnesses_checked, 0);
  for (const PrimaryVerdict& v : r->audit.primaries) EXPECT_TRUE(v.safe);
  ExpectPassesExactAudit(*t, *r);
}

// A medium table: 12 regions' practices by a two-level diagnosis grouping.
TEST(SuppressTest, MediumHierarchicalTable) {
  std::vector<std::pair<std::string, std::string>> a{{"DK", ""}}, b{{"all", ""}};
  std::vector<std::string> la, lb;
  for (int r = 0; r < 3; ++r) {
    a.emplace_back(absl::StrCat("R", r), "DK");
    for (int p = 0; p < 12; ++p) {
      la.push_back(absl::StrCat("R", r, "p", p));
      a.emplace_back(la.back(), absl::StrCat("R", r));
    }
  }
  for (int c = 0; c < 4; ++c) {
    b.emplace_back(absl::StrCat("K", c), "all");
    for (int g = 0; g < 6; ++g) {
      lb.push_back(absl::StrCat("K", c, "g", g));
      b.emplace_back(lb.back(), absl::StrCat("K", c));
    }
  }
  TableInput in;
  in.name = "m";
  in.dimensions = {*Hierarchy::FromParents("practice", a), *Hierarchy::FromParents("diag", b)};
  std::mt19937 rng(17);
  std::lognormal_distribution<double> effect(0, 0.8);
  for (const std::string& x : la) {
    for (const std::string& y : lb) {
      std::poisson_distribution<int> count(12 * effect(rng));
      in.cells.push_back(Cell({x, y}, static_cast<double>(count(rng))));
    }
  }
  absl::StatusOr<CellTable> t = CellTable::FromTables({in});
  ASSERT_TRUE(t.ok());
  ASSERT_GT(t->num_cells(), 1000);
  for (int effort : {0, 1}) {
    SuppressOptions o;
    o.method = SecondaryMethod::kHeuristic;
    o.effort = effort;
    absl::StatusOr<SuppressionResult> r = Suppress(*t, PrimaryRules{}, o);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_GT(r->num_primary, 50);
    ExpectPassesExactAudit(*t, *r);
  }
}

TEST(SuppressTest, OneDimensionalTable) {
  TableInput in;
  in.name = "one";
  in.dimensions = {*Hierarchy::FromIndentedText("x", "A\n@a1\n@a2\nB\n@b1\n", "T")};
  in.cells = {Cell({"a1"}, 3), Cell({"a2"}, 12), Cell({"b1"}, 20)};
  absl::StatusOr<CellTable> t = CellTable::FromTables({in});
  ASSERT_TRUE(t.ok());
  for (SecondaryMethod m : kBoth) {
    SuppressionResult r = MustSuppress(*t, PrimaryRules{}, m);
    EXPECT_EQ(r.num_secondary, 1);  // a2
  }
}

TEST(SuppressTest, ThreeDimensionalTable) {
  TableInput in;
  in.name = "t3";
  in.dimensions = {Flat("a", 3, "a"), Flat("b", 3, "b"), Flat("c", 2, "c")};
  std::mt19937 rng(11);
  for (int i = 1; i <= 3; ++i) {
    for (int j = 1; j <= 3; ++j) {
      for (int k = 1; k <= 2; ++k) {
        TableCell c;
        c.codes = {absl::StrCat("a", i), absl::StrCat("b", j), absl::StrCat("c", k)};
        c.value = static_cast<double>(rng() % 12);
        in.cells.push_back(c);
      }
    }
  }
  absl::StatusOr<CellTable> t = CellTable::FromTables({in});
  ASSERT_TRUE(t.ok());
  for (SecondaryMethod m : kBoth) MustSuppress(*t, PrimaryRules{}, m);
}

TEST(SuppressTest, MagnitudeTableWithDominance) {
  TableInput in;
  in.name = "visits";
  in.kind = TableKind::kMagnitude;
  in.dimensions = {Flat("practice", 3, "p"), Flat("kind", 3, "k")};
  const double v[3][3] = {{120, 300, 90}, {200, 150, 400}, {80, 310, 95}};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      TableCell c;
      c.codes = {absl::StrCat("p", i + 1), absl::StrCat("k", j + 1)};
      c.value = v[i][j];
      c.contributors = 12;
      c.largest = {v[i][j] / 6, v[i][j] / 8};
      if (i == 1 && j == 2) c.largest = {330, 20};  // one contributor dominates
      c.contributors = (i == 2 && j == 0) ? 2 : 12;
      if (i == 2 && j == 0) c.largest = {50, 30};
      in.cells.push_back(c);
    }
  }
  absl::StatusOr<CellTable> t = CellTable::FromTables({in});
  ASSERT_TRUE(t.ok()) << t.status();
  PrimaryRules rules;
  rules.threshold = 3;
  rules.dominance = {{1, 75}};
  rules.p_percent = 10;
  for (SecondaryMethod m : kBoth) {
    for (CostModel cm : {CostModel::kCells, CostModel::kValue}) {
      SuppressionResult r = MustSuppress(*t, rules, m, cm);
      EXPECT_EQ(r.num_primary, 2);
    }
  }
}

TEST(SuppressTest, ProtectedZerosAndSafeMarks) {
  TableInput in;
  in.name = "t";
  in.dimensions = {Flat("row", 3, "r"), Flat("col", 3, "c")};
  const double v[3][3] = {{0, 12, 9}, {14, 16, 11}, {10, 7, 13}};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      TableCell c;
      c.codes = {absl::StrCat("r", i + 1), absl::StrCat("c", j + 1)};
      c.value = v[i][j];
      if (i == 1 && j == 1) c.mark = CellMark::kSafe;  // must be published
      in.cells.push_back(c);
    }
  }
  absl::StatusOr<CellTable> t = CellTable::FromTables({in});
  ASSERT_TRUE(t.ok());
  PrimaryRules rules;
  rules.protect_zeros = true;
  for (SecondaryMethod m : kBoth) {
    SuppressionResult r = MustSuppress(*t, rules, m);
    EXPECT_EQ(r.status[*t->FindCell("t", {"r2", "c2"})], CellStatus::kPublished);
    EXPECT_EQ(r.status[*t->FindCell("t", {"r1", "c1"})], CellStatus::kPrimary);
  }
}

TEST(SuppressTest, ImpossibleProtectionIsAnError) {
  // The only partners of the small cell are marked safe.
  TableInput in;
  in.name = "t";
  in.dimensions = {Flat("row", 1, "r"), Flat("col", 2, "c")};
  TableCell a = Cell({"r1", "c1"}, 3);
  TableCell b = Cell({"r1", "c2"}, 9);
  b.mark = CellMark::kSafe;
  TableCell total = Cell({"r1", "Total"}, 12);
  total.mark = CellMark::kSafe;
  TableCell ct = Cell({"Total", "c1"}, 3);
  ct.mark = CellMark::kSafe;
  in.cells = {a, b, total, ct};
  absl::StatusOr<CellTable> t = CellTable::FromTables({in});
  ASSERT_TRUE(t.ok()) << t.status();
  for (SecondaryMethod m : kBoth) {
    SuppressOptions o;
    o.method = m;
    absl::StatusOr<SuppressionResult> r = Suppress(*t, PrimaryRules{}, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(r.status().message(), HasSubstr("row=r1, col=c1"));
  }
}

TEST(SuppressTest, TableGivenAsRelations) {
  // total = a + b + c; total = d + e (two breakdowns of one total).
  std::vector<LinearCell> cells(6);
  const char* names[] = {"total", "a", "b", "c", "d", "e"};
  const double values[] = {30, 2, 13, 15, 12, 18};
  for (int i = 0; i < 6; ++i) {
    cells[i].name = names[i];
    cells[i].value = values[i];
  }
  std::vector<LinearRelation> rels = {{{1, 2, 3, 0}, {1, 1, 1, -1}, 0}, {{4, 5, 0}, {1, 1, -1}, 0}};
  absl::StatusOr<CellTable> t = CellTable::FromRelations(TableKind::kFrequency, cells, rels);
  ASSERT_TRUE(t.ok()) << t.status();
  for (SecondaryMethod m : kBoth) {
    SuppressionResult r = MustSuppress(*t, PrimaryRules{}, m);
    EXPECT_EQ(r.num_primary, 1);
    EXPECT_EQ(r.num_secondary, 1);  // b or c
  }
}

TEST(SuppressTest, SlidingAndLowerLevelsFromJJ) {
  const std::string jj =
      "0\n5\n"
      "0 40 1 s 0 1000 0 0 0\n"
      "1 10 1 u 0 1000 4 0 9\n"
      "2 30 1 s 0 1000 0 0 0\n"
      "3 5 1 s 0 1000 0 0 0\n"
      "4 5 1 s 0 1000 0 0 0\n"
      "2\n"
      "0 3 : 0 (-1) 1 (1) 2 (1)\n"
      "0 3 : 1 (-1) 3 (1) 4 (1)\n";
  absl::StatusOr<JJProblem> p = ParseJJ(jj);
  ASSERT_TRUE(p.ok()) << p.status();
  for (SecondaryMethod m : kBoth) {
    SuppressOptions o;
    o.method = m;
    absl::StatusOr<SuppressionResult> r = SuppressWithProtection(p->table, p->protection, o);
    ASSERT_TRUE(r.ok()) << r.status();
    ExpectPassesExactAudit(p->table, *r);
    for (const PrimaryVerdict& v : r->audit.primaries) {
      EXPECT_LE(v.lower, 6);
      EXPECT_GE(v.upper - v.lower, 9);
    }
  }
}

// ---- Optimality, quality, determinism ----------------------------------------------

// The cheapest pattern by brute force (small tables only).
double BruteForceOptimum(const CellTable& t, const std::vector<Protection>& prot,
                         const std::vector<double>& cost) {
  std::vector<int> free_cells;
  for (int c = 0; c < t.num_cells(); ++c) {
    if (!prot[c].primary && t.mark(c) != CellMark::kSafe) free_cells.push_back(c);
  }
  double best = 1e300;
  AuditOptions exact;
  exact.mode = AuditMode::kExact;
  for (uint32_t mask = 0; mask < (1u << free_cells.size()); ++mask) {
    double c = 0;
    std::vector<bool> supp(t.num_cells(), false);
    for (int i = 0; i < t.num_cells(); ++i) supp[i] = prot[i].primary;
    for (size_t k = 0; k < free_cells.size(); ++k) {
      if (mask & (1u << k)) {
        supp[free_cells[k]] = true;
        c += cost[free_cells[k]];
      }
    }
    if (c >= best) continue;
    absl::StatusOr<AuditReport> a = Audit(t, prot, supp, exact);
    if (a.ok() && a->passed) best = c;
  }
  return best;
}

TEST(OptimalTest, MatchesBruteForceOnTinyTables) {
  // The brute force audits 2^16 patterns per table: under the sanitizers
  // (two minutes for twelve tables) a third of the tables.
  const int trials = ::gdprkit::testing::kSanitized ? 4 : 12;
  std::mt19937 rng(3);
  for (int trial = 0; trial < trials; ++trial) {
    std::vector<std::vector<double>> m(3, std::vector<double>(3));
    for (auto& row : m) {
      for (double& v : row) v = static_cast<double>(rng() % 12);
    }
    CellTable t = Table2D(m);
    for (CostModel cm : {CostModel::kCells, CostModel::kValue}) {
      absl::StatusOr<std::vector<Protection>> prot = ApplyPrimaryRules(t, PrimaryRules{});
      ASSERT_TRUE(prot.ok());
      SuppressOptions o;
      o.method = SecondaryMethod::kOptimal;
      o.cost = cm;
      absl::StatusOr<SuppressionResult> r = SuppressWithProtection(t, *prot, o);
      if (!r.ok()) {
        // Only when nothing can protect the table.
        EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition) << r.status();
        continue;
      }
      ExpectPassesExactAudit(t, *r);
      EXPECT_TRUE(r->proven_optimal);
      const double brute = BruteForceOptimum(t, *prot, r->cost);
      EXPECT_NEAR(r->total_cost, brute, 1e-6 * (1 + brute)) << "trial " << trial;
      EXPECT_LE(r->lower_bound, r->total_cost + 1e-9);
    }
  }
}

TEST(QualityTest, HeuristicWithinTenPercentOfOptimum) {
  std::mt19937 rng(5);
  double heuristic = 0, optimum = 0;
  int tables = 0;
  for (int trial = 0; trial < 30; ++trial) {
    const int rows = 3 + static_cast<int>(rng() % 4), cols = 3 + static_cast<int>(rng() % 4);
    std::vector<std::vector<double>> m(rows, std::vector<double>(cols));
    for (auto& row : m) {
      for (double& v : row) v = static_cast<double>(rng() % 25);
    }
    CellTable t = Table2D(m);
    SuppressionResult h = MustSuppress(t, PrimaryRules{}, SecondaryMethod::kHeuristic);
    SuppressionResult o = MustSuppress(t, PrimaryRules{}, SecondaryMethod::kOptimal);
    if (!o.proven_optimal) continue;
    EXPECT_LE(o.total_cost, h.total_cost + 1e-9);
    heuristic += h.total_cost;
    optimum += o.total_cost;
    ++tables;
  }
  ASSERT_GT(tables, 20);
  RecordProperty("heuristic_cost", std::to_string(heuristic));
  RecordProperty("optimal_cost", std::to_string(optimum));
  EXPECT_LE(heuristic, 1.10 * optimum) << "heuristic " << heuristic << " optimum " << optimum;
}

TEST(DeterminismTest, SameInputSamePattern) {
  std::mt19937 rng(9);
  std::vector<std::vector<double>> m(8, std::vector<double>(7));
  for (auto& row : m) {
    for (double& v : row) v = static_cast<double>(rng() % 20);
  }
  CellTable t = Table2D(m);
  SuppressionResult a = MustSuppress(t, PrimaryRules{}, SecondaryMethod::kHeuristic);
  SuppressionResult b = MustSuppress(t, PrimaryRules{}, SecondaryMethod::kHeuristic);
  EXPECT_EQ(a.status, b.status);
  // The order of the input rows does not matter either.
  TableInput in;
  in.name = "t";
  in.dimensions = {Flat("row", 8, "r"), Flat("col", 7, "c")};
  for (int i = 7; i >= 0; --i) {
    for (int j = 6; j >= 0; --j) {
      in.cells.push_back(Cell({absl::StrCat("r", i + 1), absl::StrCat("c", j + 1)}, m[i][j]));
    }
  }
  absl::StatusOr<CellTable> t2 = CellTable::FromTables({in});
  ASSERT_TRUE(t2.ok());
  SuppressionResult c = MustSuppress(*t2, PrimaryRules{}, SecondaryMethod::kHeuristic);
  EXPECT_EQ(a.status, c.status);
}

TEST(AuditTest, CertifiedModeAgreesWithExact) {
  std::mt19937 rng(13);
  for (int trial = 0; trial < 10; ++trial) {
    std::vector<std::vector<double>> m(6, std::vector<double>(5));
    for (auto& row : m) {
      for (double& v : row) v = static_cast<double>(rng() % 15);
    }
    CellTable t = Table2D(m);
    absl::StatusOr<std::vector<Protection>> prot = ApplyPrimaryRules(t, PrimaryRules{});
    ASSERT_TRUE(prot.ok());
    // Random patterns: primaries plus a few random cells.
    std::vector<bool> supp(t.num_cells());
    for (int c = 0; c < t.num_cells(); ++c) supp[c] = (*prot)[c].primary || rng() % 3 == 0;
    AuditOptions exact, certified;
    exact.mode = AuditMode::kExact;
    certified.mode = AuditMode::kCertified;
    absl::StatusOr<AuditReport> a = Audit(t, *prot, supp, exact);
    absl::StatusOr<AuditReport> b = Audit(t, *prot, supp, certified);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->passed, b->passed);
    ASSERT_EQ(a->primaries.size(), b->primaries.size());
    for (size_t i = 0; i < a->primaries.size(); ++i) {
      EXPECT_EQ(a->primaries[i].safe, b->primaries[i].safe);
      // Certified intervals lie inside the exact ones.
      EXPECT_GE(b->primaries[i].lower, a->primaries[i].lower - 1e-9);
      EXPECT_LE(b->primaries[i].upper, a->primaries[i].upper + 1e-9);
    }
  }
}

TEST(SuppressTest, ProgressCanCancel) {
  CellTable t = Table2D({{20, 3, 15}, {12, 14, 18}, {9, 11, 25}});
  SuppressOptions o;
  o.method = SecondaryMethod::kHeuristic;
  o.progress = [](const Progress&) { return false; };
  absl::StatusOr<SuppressionResult> r = Suppress(t, PrimaryRules{}, o);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled);
}

TEST(SuppressTest, RejectsBadProtection) {
  CellTable t = Table2D({{20, 3}, {12, 14}});
  std::vector<Protection> prot(t.num_cells());
  EXPECT_FALSE(SuppressWithProtection(t, std::vector<Protection>(2)).ok());
  prot[0].upper = 1;  // levels on a non-primary
  EXPECT_FALSE(SuppressWithProtection(t, prot).ok());
  prot[0].primary = true;
  prot[0].lower = 1000;  // below the lower bound 0
  EXPECT_THAT(SuppressWithProtection(t, prot).status().message(), HasSubstr("a-priori"));
  prot[0].lower = std::nan("");
  EXPECT_FALSE(SuppressWithProtection(t, prot).ok());
}

}  // namespace
}  // namespace gdprkit
