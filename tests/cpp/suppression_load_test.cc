// The suppression area's names (Parse/Name/Names, and the serialized door's
// enums spelling the same names) and its loader from columns,
// TableFromColumns: the checks that name rows, missing cells under
// compute_totals and MissingCells, marks and row positions.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gdprkit/suppression.h"
#include "gdprkit/v1/table.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// ---- Names ------------------------------------------------------------------

// Every name parses back to its value, prints as itself, and an unknown name
// is an error that lists the valid ones and the nearest.
template <typename E>
void RoundTrips(const std::vector<std::string_view>& names,
                absl::StatusOr<E> (*parse)(std::string_view), std::string_view (*name_of)(E),
                std::string_view what) {
  ASSERT_FALSE(names.empty());
  for (std::string_view n : names) {
    absl::StatusOr<E> v = parse(n);
    ASSERT_TRUE(v.ok()) << n << ": " << v.status();
    EXPECT_EQ(name_of(*v), n);
  }
  const std::string first(names.front()), last(names.back()), w(what);
  const std::string typo = last + "x";
  absl::StatusOr<E> bad = parse(typo);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(),
              AllOf(HasSubstr("unknown " + w + " \"" + typo + "\""), HasSubstr("\"" + first + "\""),
                    HasSubstr("did you mean \"" + last + "\"?")));
  EXPECT_EQ(name_of(static_cast<E>(200)), "unknown");
}

TEST(SuppressionNamesTest, EveryEnumRoundTrips) {
  RoundTrips(TableKindNames(), &ParseTableKind, &TableKindName, "kind of table");
  RoundTrips(CellMarkNames(), &ParseCellMark, &CellMarkName, "cell mark");
  RoundTrips(MissingCellsNames(), &ParseMissingCells, &MissingCellsName, "missing-cell rule");
  RoundTrips(PrimaryReasonNames(), &ParsePrimaryReason, &PrimaryReasonName, "primary reason");
  RoundTrips(AuditModeNames(), &ParseAuditMode, &AuditModeName, "audit mode");
  RoundTrips(IntervalKindNames(), &ParseIntervalKind, &IntervalKindName, "interval kind");
  RoundTrips(SecondaryMethodNames(), &ParseSecondaryMethod, &SecondaryMethodName, "method");
  RoundTrips(CostModelNames(), &ParseCostModel, &CostModelName, "cost model");
  RoundTrips(CellStatusNames(), &ParseCellStatus, &CellStatusName, "cell status");
}

TEST(SuppressionNamesTest, TheNamesAreTheDocumentedOnes) {
  EXPECT_THAT(SecondaryMethodNames(), ElementsAre("auto", "heuristic", "optimal"));
  EXPECT_THAT(CostModelNames(), ElementsAre("cells", "value", "contributors"));
  EXPECT_THAT(AuditModeNames(), ElementsAre("auto", "exact", "certified"));
  EXPECT_THAT(CellStatusNames(), ElementsAre("published", "primary", "secondary"));
  EXPECT_THAT(PrimaryReasonNames(), ElementsAre("threshold", "dominance", "p%", "zero", "manual"));
  EXPECT_EQ(PrimaryReasonsText(kReasonThreshold | kReasonZero), "threshold|zero");
  EXPECT_EQ(PrimaryReasonsText(kReasonNone), "");
}

// The serialized door (proto/gdprkit/v1/table.proto, behind the C ABI) spells
// each value as its core name upper-cased after the enum's prefix, with the
// same number: SECONDARY_METHOD_HEURISTIC = 1 is "heuristic".
template <typename E>
void SameAsProto(const std::vector<std::string_view>& names,
                 absl::StatusOr<E> (*parse)(std::string_view),
                 const google::protobuf::EnumDescriptor* proto, std::string_view prefix) {
  EXPECT_EQ(static_cast<std::size_t>(proto->value_count()), names.size()) << proto->name();
  for (std::string_view n : names) {
    const E v = *parse(n);
    std::string upper = absl::AsciiStrToUpper(std::string(n));
    for (char& c : upper) c = c == ' ' ? '_' : c;
    const google::protobuf::EnumValueDescriptor* value =
        proto->FindValueByNumber(static_cast<int>(v));
    ASSERT_NE(value, nullptr) << n;
    EXPECT_EQ(value->name(), std::string(prefix) + upper) << n;
  }
}

TEST(SuppressionNamesTest, TheSerializedDoorSpellsTheSameNames) {
  namespace pb = gdprkit::v1;
  SameAsProto(TableKindNames(), &ParseTableKind, pb::TableKind_descriptor(), "TABLE_KIND_");
  SameAsProto(CellMarkNames(), &ParseCellMark, pb::CellMark_descriptor(), "CELL_MARK_");
  SameAsProto(SecondaryMethodNames(), &ParseSecondaryMethod, pb::SecondaryMethod_descriptor(),
              "SECONDARY_METHOD_");
  SameAsProto(CostModelNames(), &ParseCostModel, pb::CostModel_descriptor(), "COST_MODEL_");
  SameAsProto(AuditModeNames(), &ParseAuditMode, pb::AuditMode_descriptor(), "AUDIT_MODE_");
  SameAsProto(CellStatusNames(), &ParseCellStatus, pb::CellStatus_descriptor(), "CELL_STATUS_");
  SameAsProto(IntervalKindNames(), &ParseIntervalKind, pb::IntervalKind_descriptor(),
              "INTERVAL_KIND_");
}

// ---- TableFromColumns -------------------------------------------------------

// practice x band, the leaves and the totals given in `rows`.
TableColumns Columns(const std::vector<std::vector<std::string>>& rows) {
  TableColumns c;
  c.dimensions.resize(2);
  c.dimensions[0].codes.name = "practice";
  c.dimensions[1].codes.name = "band";
  c.value.name = "n";
  for (const auto& r : rows) {
    for (int d = 0; d < 2; ++d) {
      LabelColumn& col = c.dimensions[d].codes;
      col.labels.push_back(r[d]);  // a label may repeat
      col.rows.push_back(static_cast<std::int32_t>(col.labels.size() - 1));
    }
    c.value.values.push_back(std::stod(r[2]));
  }
  c.row_where = [](std::int64_t i) { return absl::StrCat("t.csv:", i + 2); };
  c.row_name = [](std::int64_t i) { return absl::StrCat("line ", i + 2); };
  return c;
}

const std::vector<std::vector<std::string>> kLeaves = {{"p1", "a", "31"}, {"p1", "b", "3"},
                                                       {"p2", "a", "24"}, {"p2", "b", "9"},
                                                       {"p3", "a", "18"}, {"p3", "b", "11"}};

std::string ErrorOf(const TableColumns& c, const LoadOptions& o = {}) {
  absl::StatusOr<LoadedTable> t = TableFromColumns(c, o);
  EXPECT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(t.status().message());
}

TEST(TableFromColumnsTest, BuildsAFlatTableAndPlacesEveryRow) {
  LoadOptions o;
  o.compute_totals = true;
  absl::StatusOr<LoadedTable> t = TableFromColumns(Columns(kLeaves), o);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->table.num_tables(), 1);
  EXPECT_EQ(t->table.table_size(0), 12);  // (Total, p1..p3) x (Total, a, b)
  ASSERT_EQ(t->row_position.size(), kLeaves.size());
  for (std::size_t i = 0; i < kLeaves.size(); ++i) {
    EXPECT_EQ(t->table.value(t->CellOfRow(i)), std::stod(kLeaves[i][2]));
  }
  EXPECT_EQ(t->table.value(t->table.CellAt(0, 0)), 96);  // the grand total
}

TEST(TableFromColumnsTest, TotalsAreNeededUnlessComputed) {
  EXPECT_THAT(ErrorOf(Columns(kLeaves)),
              AllOf(HasSubstr("missing cell (practice=Total, band=Total)"),
                    HasSubstr("6 of the table's 12 cells have no row"),
                    HasSubstr("compute_totals computes missing totals")));
}

// missing=zero makes a missing leaf a zero cell whether or not totals are
// computed; without compute_totals the given totals are checked against it.
TEST(TableFromColumnsTest, MissingZeroWithAndWithoutComputedTotals) {
  std::vector<std::vector<std::string>> rows = kLeaves;
  rows.pop_back();  // p3 x b
  LoadOptions computed;
  computed.compute_totals = true;
  EXPECT_THAT(ErrorOf(Columns(rows), computed),
              AllOf(HasSubstr("missing cell (practice=p3, band=b): 1 of the table's 12 cells has "
                              "no row"),
                    HasSubstr("missing zero makes a missing cell zero")));
  computed.missing = MissingCells::kZero;
  absl::StatusOr<LoadedTable> a = TableFromColumns(Columns(rows), computed);
  ASSERT_TRUE(a.ok()) << a.status();

  // The same table with its totals given (p3's total and the grand total as
  // the zero makes them), totals not computed.
  rows.insert(rows.end(), {{"Total", "Total", "85"},
                           {"Total", "a", "73"},
                           {"Total", "b", "12"},
                           {"p1", "Total", "34"},
                           {"p2", "Total", "33"},
                           {"p3", "Total", "18"}});
  LoadOptions given;
  given.missing = MissingCells::kZero;
  absl::StatusOr<LoadedTable> b = TableFromColumns(Columns(rows), given);
  ASSERT_TRUE(b.ok()) << b.status();
  for (int pos = 0; pos < 12; ++pos) {
    EXPECT_EQ(a->table.value(a->table.CellAt(0, pos)), b->table.value(b->table.CellAt(0, pos)));
  }
  given.missing = MissingCells::kError;
  EXPECT_THAT(ErrorOf(Columns(rows), given), HasSubstr("missing cell (practice=p3, band=b)"));
}

TEST(TableFromColumnsTest, RowErrorsNameTheRow) {
  LoadOptions o;
  o.compute_totals = true;
  auto with = [&](int row, const std::string& value) {
    std::vector<std::vector<std::string>> rows = kLeaves;
    rows[row][2] = value;
    return ErrorOf(Columns(rows), o);
  };
  EXPECT_EQ(with(3, "nan"), "t.csv:5: value column \"n\" is not a number (NaN or missing)");
  EXPECT_EQ(with(3, "inf"), "t.csv:5: value column \"n\" is infinite");
  EXPECT_EQ(with(3, "-9"), "t.csv:5: value column \"n\" is negative: -9");
  EXPECT_THAT(with(3, "9.5"), AllOf(HasSubstr("t.csv:5: "), HasSubstr("9.5: not a count")));

  std::vector<std::vector<std::string>> dup = kLeaves;
  dup.push_back({"p2", "a", "24"});
  EXPECT_EQ(ErrorOf(Columns(dup), o), "t.csv:8: duplicated cell, first on line 4");

  std::vector<std::vector<std::string>> empty = kLeaves;
  empty[1][0] = "";
  EXPECT_EQ(ErrorOf(Columns(empty), o), "t.csv:3: dimension \"practice\" has an empty code");

  TableColumns orphan = Columns(kLeaves);
  orphan.dimensions[0].codes.labels[4] = "p9";
  orphan.dimensions[0].hierarchy =
      *Hierarchy::FromIndentedText("practice", "N\n@p1\n@p2\nS\n@p3\n");
  EXPECT_EQ(ErrorOf(orphan, o),
            "t.csv:6: code \"p9\" of dimension \"practice\" is not in its hierarchy (an orphan "
            "code); did you mean \"p1\", \"p2\" or \"p3\"?");

  TableColumns unnamed = Columns(kLeaves);
  unnamed.row_where = nullptr;
  unnamed.value.values[0] = -1;
  EXPECT_THAT(ErrorOf(unnamed, o), HasSubstr("row 0: value column"));
}

TEST(TableFromColumnsTest, MarksCostsAndBadColumns) {
  LoadOptions o;
  o.compute_totals = true;
  TableColumns c = Columns(kLeaves);
  c.marks = {"m", {"", "unsafe", "safe"}, {0, 1, 0, 0, 2, 0}};
  c.cost = {"c", {1, 2, 3, NAN, 5, 6}};
  absl::StatusOr<LoadedTable> t = TableFromColumns(c, o);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->table.mark(t->CellOfRow(1)), CellMark::kUnsafe);
  EXPECT_EQ(t->table.mark(t->CellOfRow(4)), CellMark::kSafe);
  EXPECT_EQ(t->table.mark(t->CellOfRow(0)), CellMark::kNone);
  EXPECT_EQ(t->table.cost_override(t->CellOfRow(2)), 3);
  EXPECT_TRUE(std::isnan(t->table.cost_override(t->CellOfRow(3))));

  c.marks.labels[2] = "saf";
  EXPECT_EQ(ErrorOf(c, o),
            "t.csv:6: column \"m\": unknown cell mark \"saf\"; valid: \"none\", \"unsafe\" and "
            "\"safe\"; did you mean \"safe\"?");
  c.marks = {};
  c.cost.values.pop_back();
  EXPECT_EQ(ErrorOf(c, o), "column \"c\" has 5 rows; the table has 6");
  c.cost = {};
  c.dimensions[1].codes.rows[0] = 99;
  EXPECT_THAT(ErrorOf(c, o), HasSubstr("out of range"));
  c.dimensions.clear();
  EXPECT_THAT(ErrorOf(c, o), HasSubstr("no dimensions"));
}

TEST(TableFromColumnsTest, AFlatDimensionNeedsACodeBesidesItsTotal) {
  TableColumns c;
  c.dimensions.resize(1);
  c.dimensions[0].codes = {"a", {"Total"}, {0}};
  c.value = {"n", {3}};
  EXPECT_EQ(ErrorOf(c), "dimension \"a\" has no codes besides its total \"Total\"");
}

TEST(HierarchyTextTest, ADuplicatedCodeNamesBothLines) {
  absl::StatusOr<Hierarchy> h = Hierarchy::FromIndentedText("r", "N\n@a\nS\n@a\n");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().message(),
            "hierarchy \"r\" line 4: duplicated code \"a\" (first on line 2)");
  EXPECT_EQ(Hierarchy::FromIndentedText("", "N\nTotal\n").status().message(),
            "hierarchy line 2: duplicated code \"Total\" (it is the total)");
}

// AuditPattern: a given pattern audited under the rules, read as Suppress's
// result; an unprotected primary is a failed audit, not an error.
TEST(AuditPatternTest, ReadsAsASuppressionResult) {
  LoadOptions o;
  o.compute_totals = true;
  absl::StatusOr<LoadedTable> t = TableFromColumns(Columns(kLeaves), o);
  ASSERT_TRUE(t.ok()) << t.status();
  const CellTable& table = t->table;
  std::vector<bool> suppressed(table.num_cells(), false);
  suppressed[t->CellOfRow(1)] = true;  // p1 x b = 3 alone: recomputed from its totals
  absl::StatusOr<SuppressionResult> bad = AuditPattern(table, PrimaryRules{}, suppressed);
  ASSERT_TRUE(bad.ok()) << bad.status();
  EXPECT_FALSE(bad->audit.passed);
  EXPECT_EQ(bad->num_primary, 1);
  EXPECT_EQ(bad->status[t->CellOfRow(1)], CellStatus::kPrimary);

  absl::StatusOr<SuppressionResult> good = Suppress(table, PrimaryRules{});
  ASSERT_TRUE(good.ok()) << good.status();
  std::vector<bool> pattern(table.num_cells());
  for (int c = 0; c < table.num_cells(); ++c) {
    pattern[c] = good->status[c] != CellStatus::kPublished;
  }
  absl::StatusOr<SuppressionResult> again = AuditPattern(table, PrimaryRules{}, pattern);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->audit.passed);
  EXPECT_EQ(again->status, good->status);
  EXPECT_EQ(again->total_cost, good->total_cost);
}

}  // namespace
}  // namespace gdprkit
