// Regression tests for bugs found by the fuzzers (tests/fuzz/).
#include <string>

#include "gdprkit/suppression.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

using ::testing::HasSubstr;

// jj_fuzzer: a JJ cell with cost 2.2e111 reached CLP as an objective
// coefficient, and CLP aborted (assertion fabs(obj) < 1e25 in createRim).
TEST(SuppressionRegressionTest, HugeCostIsRefusedNotAborted) {
  const std::string jj =
      "0\n3\n0 10 2" + std::string(110, '2') +
      "1 s 0 100 0 0 0\n1 3 1 u 0 100 2 2 0\n2 7 1 s 0 100 0 0 0\n1\n0 3 : 0 (-1) 1 (1) 2 (1)\n";
  absl::StatusOr<JJProblem> p = ParseJJ(jj);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status().message(), HasSubstr("cost"));
  EXPECT_THAT(p.status().message(), HasSubstr("1e15"));
}

TEST(SuppressionRegressionTest, HugeMagnitudeValueIsRefused) {
  std::vector<LinearCell> cells(3);
  cells[0].name = "total";
  cells[0].value = 3e20;
  cells[1].name = "a";
  cells[1].value = 1e20;
  cells[2].name = "b";
  cells[2].value = 2e20;
  absl::StatusOr<CellTable> t =
      CellTable::FromRelations(TableKind::kMagnitude, cells, {{{1, 2, 0}, {1, 1, -1}, 0}});
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("more than 1e15"));
}

// Large (allowed) costs and values are scaled for the solvers: the optimum is
// found, its cost and lower bound are in the caller's units.
TEST(SuppressionRegressionTest, LargeCostsAreScaledForTheSolvers) {
  std::vector<LinearCell> cells(4);
  const char* names[] = {"total", "a", "b", "c"};
  const double values[] = {9e14, 1e14, 3e14, 5e14};
  for (int i = 0; i < 4; ++i) {
    cells[i].name = names[i];
    cells[i].value = values[i];
    cells[i].contributors = 10;
  }
  cells[1].contributors = 2;  // primary by the threshold rule (k = 3)
  absl::StatusOr<CellTable> t =
      CellTable::FromRelations(TableKind::kMagnitude, cells, {{{1, 2, 3, 0}, {1, 1, 1, -1}, 0}});
  ASSERT_TRUE(t.ok()) << t.status();
  PrimaryRules rules;
  rules.threshold = 3;
  for (SecondaryMethod m : {SecondaryMethod::kHeuristic, SecondaryMethod::kOptimal}) {
    SuppressOptions o;
    o.method = m;
    o.cost = CostModel::kValue;
    absl::StatusOr<SuppressionResult> r = Suppress(*t, rules, o);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->audit.passed);
    EXPECT_EQ(r->num_secondary, 1);
    EXPECT_EQ(r->status[2], CellStatus::kSecondary);  // b, the cheapest partner
    EXPECT_DOUBLE_EQ(r->total_cost, 3e14);
    if (m == SecondaryMethod::kOptimal) {
      EXPECT_TRUE(r->proven_optimal);
      EXPECT_NEAR(r->lower_bound, 3e14, 3e14 * 1e-6);
    }
  }
}

}  // namespace
}  // namespace gdprkit

namespace gdprkit {
namespace {

// jj_fuzzer: "0\n999993900\n..." made ParseJJ allocate 12 GB of cells before
// noticing that the input has a handful of lines.
TEST(SuppressionRegressionTest, JJCountsBeyondTheInputAreRefusedBeforeAllocating) {
  absl::StatusOr<JJProblem> p = ParseJJ("0\n99999390\n0 10 1 s 0 100 0 0 0\n");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("lines follow"));
  p = ParseJJ("0\n1\n0 10 1 s 0 100 0 0 0\n999999999\n");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("relation count"));
}

// suppress_request_fuzzer: protobuf logged bad UTF-8 in string fields to
// stderr; the status carries it instead.
TEST(SuppressionRegressionTest, BadUtf8InBinaryRequestIsAnError) {
  absl::StatusOr<std::string> r =
      SuppressSerialized(std::string("\x0a\x05\x0a\x03\x0a\x01\xff", 7));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("not UTF-8"));
}

}  // namespace
}  // namespace gdprkit

namespace gdprkit {
namespace {

// jj_fuzzer: an upper protection level of 1e104 (8-column sdcTable form, an
// unbounded cell) reached CLP, which aborted (fabs(lowerValue) < 1e100).
TEST(SuppressionRegressionTest, HugeProtectionLevelsAreRefused) {
  const std::string jj =
      "0\n3\n0 10 1 0 1e30 0 1e104 0\n1 3 1 1 102 0 2 0\n2 7 1 0 100 0 0 0\n"
      "1\n0 3 : 0 (-1) 1 (1) 2 (1)\n";
  absl::StatusOr<JJProblem> p = ParseJJ(jj);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("UPL"));
  // The same levels given to the C++ API directly.
  absl::StatusOr<JJProblem> ok = ParseJJ(
      "0\n3\n0 10 1 0 1e30 0 0 0\n1 3 1 1 102 0 2 0\n2 7 1 0 100 0 0 0\n"
      "1\n0 3 : 0 (-1) 1 (1) 2 (1)\n");
  ASSERT_TRUE(ok.ok()) << ok.status();
  std::vector<Protection> prot = ok->protection;
  prot[1].upper = 1e104;
  EXPECT_THAT(SuppressWithProtection(ok->table, prot).status().message(),
              HasSubstr("at most 1e15"));
  EXPECT_THAT(Audit(ok->table, prot, ok->suppressed).status().message(), HasSubstr("at most 1e15"));
  // Finite bounds beyond 1e15.
  EXPECT_THAT(ParseJJ("0\n3\n0 10 1 0 1e20 0 0 0\n1 3 1 1 102 0 2 0\n2 7 1 0 100 0 0 0\n"
                      "1\n0 3 : 0 (-1) 1 (1) 2 (1)\n")
                  .status()
                  .message(),
              HasSubstr("beyond 1e15"));
}

}  // namespace
}  // namespace gdprkit
