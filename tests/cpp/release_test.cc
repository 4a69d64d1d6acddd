// The release gate's core (gdprkit/release.h): CheckRelease, GroupSizes,
// PrepareRelease and PolicyDigest.
#include "gdprkit/release.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A CPR number that passes the check (a date, 1 January 2000) and one that
// is CPR-shaped but no date (32 January).
constexpr char kCpr[] = "0101001234";
constexpr char kNotCpr[] = "3201991234";

constexpr char kPolicyTemplate[] = R"txt(schema: "gdprkit.v1"
controller { name: "Klinikken" }
teams { id: "research" }
retention_rules { id: "r" period: "P5Y" }
purposes {
  id: "research"
  categories: "identity.cpr"
  categories: "health.diagnosis"
  data_subjects: "patients"
  basis: "A6-1-e"
  basis: "A9-2-j"
  basis: "DK-DBL-11-2-1"
  access { team: "research" }
  retention: "r"
}
releases {
  id: "table"
  purpose: "research"
  columns { name: "cpr" treatment: DROP kind: "cpr" }
  columns { name: "region" treatment: KEEP }
  columns { name: "age" treatment: GENERALISE hierarchy: "age" level: 1 }
  columns { name: "visit" treatment: DROP }
$AGE
  table {
    dimensions { column: "region" }
    dimensions { column: "age" hierarchy: "age" }
  }
  rules { threshold: 3 }
  max_age: "P5Y"
  date_column: "visit"
}
releases {
  id: "extract"
  purpose: "research"
  columns { name: "cpr" treatment: PSEUDONYMISE kind: "cpr" domain: "research" }
  columns { name: "age" treatment: GENERALISE hierarchy: "age" level: 1 }
  columns { name: "sex" treatment: KEEP }
  columns { name: "region" treatment: KEEP }
  columns { name: "note" treatment: KEEP free_text: true }
  columns { name: "visit" treatment: DROP }
$AGE
  extract {
    quasi_identifiers: "age"
    quasi_identifiers: "sex"
    quasi_identifiers: "region"
    k: 3
  }
  max_age: "P5Y"
  date_column: "visit"
}
)txt";

// The age bands both releases generalise to (level 1: 0-39, 40+).
constexpr char kAgeHierarchy[] = R"txt(  hierarchies {
    name: "age"
    codes { code: "Total" }
    codes { code: "0-39" parent: "Total" }
    codes { code: "40+" parent: "Total" }
    codes { code: "20" parent: "0-39" }
    codes { code: "30" parent: "0-39" }
    codes { code: "50" parent: "40+" }
    codes { code: "60" parent: "40+" }
  })txt";

const std::string kPolicy = absl::StrReplaceAll(kPolicyTemplate, {{"$AGE", kAgeHierarchy}});

std::shared_ptr<const Policy> LoadPolicy(std::string_view text = kPolicy) {
  absl::StatusOr<std::shared_ptr<const Policy>> p =
      Policy::FromText(text, PolicyFormat::kTextProto, "test.textproto");
  EXPECT_TRUE(p.ok()) << p.status();
  for (const Finding& f : (*p)->Validate()) {
    EXPECT_NE(f.severity, Severity::kError) << f.code << ": " << f.message;
  }
  return *p;
}

FrameColumn Text(std::string name, const std::vector<std::string>& values) {
  std::vector<std::string_view> views(values.begin(), values.end());
  std::vector<bool> missing(values.size());
  bool any = false;
  for (std::size_t i = 0; i < values.size(); ++i) {
    missing[i] = values[i] == "<NA>";
    any = any || missing[i];
  }
  return FrameColumn::Text(std::move(name), views, any ? &missing : nullptr);
}

std::vector<std::string> Repeat(std::string_view v, int n) {
  return std::vector<std::string>(static_cast<std::size_t>(n), std::string(v));
}

constexpr DayNumber kOn = DaysFromCivil(2026, 3, 1);

ReleaseOptions On(DayNumber on = kOn) {
  ReleaseOptions o;
  o.on = on;
  return o;
}

const ReleaseFinding* FindProblem(const ReleaseCheck& c, ReleaseProblem p,
                                  std::string_view column = {}) {
  for (const ReleaseFinding& f : c.findings) {
    if (f.problem == p && (column.empty() || f.column == column)) return &f;
  }
  return nullptr;
}

bool Has(const ReleaseCheck& c, ReleaseProblem p) { return FindProblem(c, p) != nullptr; }

// Every message of a check, for "never a value" assertions.
std::string AllMessages(const ReleaseCheck& c) {
  std::string all;
  for (const ReleaseFinding& f : c.findings) absl::StrAppend(&all, f.message, "\n");
  return all;
}

// A well-formed extract: 6 rows in two groups of 3 over (age, sex, region),
// pseudonyms in "cpr", recent visits.
Frame GoodExtract() {
  Frame f;
  std::vector<std::string> ps;
  for (int i = 0; i < 6; ++i) ps.push_back(absl::StrCat("ps1_", std::string(25, 'a'), i + 2));
  f.columns.push_back(Text("cpr", ps));
  f.columns.push_back(Text("age", {"0-39", "0-39", "0-39", "40+", "40+", "40+"}));
  f.columns.push_back(Text("sex", {"F", "F", "F", "M", "M", "M"}));
  f.columns.push_back(Text("region", {"N", "N", "N", "S", "S", "S"}));
  f.columns.push_back(Text("note", {"ok", "fint", "", "ingen", "ok", "<NA>"}));
  f.columns.push_back(Text("visit", Repeat("2025-06-01", 6)));
  f.columns.pop_back();  // the dropped date column is not part of a clean extract
  return f;
}

// ---- CheckRelease ------------------------------------------------------------

TEST(CheckRelease, CleanExtractPasses) {
  auto policy = LoadPolicy();
  Frame f = GoodExtract();
  // The date column is needed by the age rule: a missing one is a finding.
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "extract", f, On());
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->findings.size(), 1u) << AllMessages(*c);
  EXPECT_EQ(c->findings[0].problem, ReleaseProblem::kMissingColumn);
  EXPECT_EQ(c->findings[0].column, "visit");
  EXPECT_FALSE(c->passed);
  EXPECT_EQ(c->release, "extract");
  EXPECT_EQ(c->rows, 6);
}

TEST(CheckRelease, IdentifierInFreeTextIsFoundAndNeverShown) {
  auto policy = LoadPolicy();
  Frame f = GoodExtract();
  f.columns[4] =
      Text("note", {absl::StrCat("pt ", kCpr, " ringede"), absl::StrCat("pt ", kCpr, " ringede"),
                    absl::StrCat("nr ", kNotCpr), "ok", "", "<NA>"});
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "extract", f, On());
  ASSERT_TRUE(c.ok()) << c.status();
  const ReleaseFinding* id = FindProblem(*c, ReleaseProblem::kIdentifierInClear, "note");
  ASSERT_NE(id, nullptr) << AllMessages(*c);
  EXPECT_EQ(id->kind, IdKind::kCpr);
  EXPECT_EQ(id->rows, 2);  // the CPR-shaped non-date is no finding
  EXPECT_EQ(id->cells, 0);
  EXPECT_THAT(id->message, HasSubstr("2 rows"));
  EXPECT_THAT(id->message, HasSubstr("note"));
  EXPECT_THAT(AllMessages(*c), Not(HasSubstr(kCpr)));
}

TEST(CheckRelease, CprShapedNonDateIsNoFinding) {
  auto policy = LoadPolicy();
  Frame f = GoodExtract();
  f.columns[4] = Text("note", Repeat(absl::StrCat("journal ", kNotCpr), 6));
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "extract", f, On());
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(Has(*c, ReleaseProblem::kIdentifierInClear)) << AllMessages(*c);
}

TEST(CheckRelease, NumberColumnsAreReadAsDigitsAndNineDigitsAsCpr) {
  auto policy = LoadPolicy();
  Frame f = GoodExtract();
  // 101001234 is 0101001234 without its leading zero.
  f.columns.push_back(
      FrameColumn::Numbers("nine", {101001234, 101001234, 101001234, 5, NAN, 320199123}));
  f.columns.push_back(FrameColumn::Numbers("ten", {1.0 * 3112991234, 2, 3, 4, 5, 6}));
  f.columns.push_back(FrameColumn::Numbers("plain", {1, 2, 3, 4, 5, 101001234.5}));
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "extract", f, On());
  ASSERT_TRUE(c.ok()) << c.status();
  const ReleaseFinding* nine = FindProblem(*c, ReleaseProblem::kIdentifierInClear, "nine");
  ASSERT_NE(nine, nullptr) << AllMessages(*c);
  EXPECT_EQ(nine->rows, 3);
  EXPECT_EQ(nine->kind, IdKind::kCpr);
  const ReleaseFinding* ten = FindProblem(*c, ReleaseProblem::kIdentifierInClear, "ten");
  ASSERT_NE(ten, nullptr);
  EXPECT_EQ(ten->rows, 1);
  EXPECT_EQ(FindProblem(*c, ReleaseProblem::kIdentifierInClear, "plain"), nullptr);
  // The extra columns are undeclared.
  EXPECT_NE(FindProblem(*c, ReleaseProblem::kUndeclaredColumn, "plain"), nullptr);
}

TEST(CheckRelease, DeclaredKindColumnIsCheckedWithItsKind) {
  auto policy = LoadPolicy();
  Frame f = GoodExtract();
  f.columns[0] = Text("cpr", {kCpr, "010100-1234", "ps1_x", kNotCpr, "<NA>", "junk"});
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "extract", f, On());
  ASSERT_TRUE(c.ok());
  const ReleaseFinding* id = FindProblem(*c, ReleaseProblem::kIdentifierInClear, "cpr");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->rows, 2);
  const ReleaseFinding* ps = FindProblem(*c, ReleaseProblem::kNotPseudonymised, "cpr");
  ASSERT_NE(ps, nullptr);
  EXPECT_EQ(ps->rows, 5);  // every value present but none a pseudonym
  EXPECT_THAT(AllMessages(*c), Not(HasSubstr(kCpr)));
  EXPECT_THAT(AllMessages(*c), Not(HasSubstr("010100-1234")));
}

TEST(CheckRelease, AgeIsCutAtTheBoundaryDay) {
  auto policy = LoadPolicy();
  Frame f = GoodExtract();
  // on 2026-03-01 with P5Y the boundary is 2021-03-01: a row dated on the
  // boundary day is kept (not too old), the day before is too old.
  f.columns.push_back(
      Text("visit", {"2021-03-01", "2021-02-28", "2010-01-01", "<NA>", "", "2026-03-01T10:00:00"}));
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "extract", f, On());
  ASSERT_TRUE(c.ok()) << c.status();
  const ReleaseFinding* old = FindProblem(*c, ReleaseProblem::kTooOld);
  ASSERT_NE(old, nullptr) << AllMessages(*c);
  EXPECT_EQ(old->rows, 2);
  EXPECT_EQ(old->column, "visit");
  EXPECT_THAT(old->message, HasSubstr("P5Y"));
  const ReleaseFinding* missing = FindProblem(*c, ReleaseProblem::kMissingDate);
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->rows, 2);
  EXPECT_NE(FindProblem(*c, ReleaseProblem::kDroppedColumn, "visit"), nullptr);

  // The same as a date column.
  f.columns.back() =
      FrameColumn::Days("visit", {DaysFromCivil(2021, 3, 1), DaysFromCivil(2021, 2, 28),
                                  DaysFromCivil(2010, 1, 1), kNoDate, kNoDate, kOn});
  c = CheckRelease(*policy, "extract", f, On());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(FindProblem(*c, ReleaseProblem::kTooOld)->rows, 2);

  // A day later the boundary moves: 2021-03-01 is then too old.
  c = CheckRelease(*policy, "extract", f, On(kOn + 1));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(FindProblem(*c, ReleaseProblem::kTooOld)->rows, 3);
}

TEST(CheckRelease, DateColumnErrorsNameColumnAndRowNotValue) {
  auto policy = LoadPolicy();
  Frame f = GoodExtract();
  f.columns.push_back(Text("visit", {"2021-03-01", "2021-03-01", kCpr, kCpr, "", ""}));
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "extract", f, On());
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("visit"));
  EXPECT_THAT(c.status().message(), HasSubstr("row 2"));
  EXPECT_THAT(c.status().message(), Not(HasSubstr(kCpr)));

  f.columns.back() = FrameColumn::Numbers("visit", {1, 2, 3, 4, 5, 6});
  c = CheckRelease(*policy, "extract", f, On());
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("visit"));
}

TEST(CheckRelease, UndeclaredDroppedAndMissingColumns) {
  auto policy = LoadPolicy();
  Frame f = GoodExtract();
  f.columns.erase(f.columns.begin() + 2);  // sex: a quasi-identifier
  f.columns.push_back(Text("extra", Repeat("x", 6)));
  f.columns.push_back(Text("visit", Repeat("2025-01-01", 6)));
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "extract", f, On());
  ASSERT_TRUE(c.ok());
  const ReleaseFinding* u = FindProblem(*c, ReleaseProblem::kUndeclaredColumn);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->column, "extra");
  EXPECT_EQ(u->rows, 6);
  EXPECT_NE(FindProblem(*c, ReleaseProblem::kDroppedColumn, "visit"), nullptr);
  const ReleaseFinding* m = FindProblem(*c, ReleaseProblem::kMissingColumn);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->column, "sex");
  // Without "sex" the groups cannot be judged: no small-group finding.
  EXPECT_FALSE(Has(*c, ReleaseProblem::kSmallGroup));
  // Findings in ReleaseProblem order.
  EXPECT_TRUE(std::is_sorted(
      c->findings.begin(), c->findings.end(),
      [](const ReleaseFinding& a, const ReleaseFinding& b) { return a.problem < b.problem; }));
}

TEST(CheckRelease, NotGeneralised) {
  auto policy = LoadPolicy();
  Frame f = GoodExtract();
  f.columns[1] = Text("age", {"20", "0-39", "Total", "40+", "nope", "<NA>"});
  f.columns.push_back(Text("visit", Repeat("2025-01-01", 6)));
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "extract", f, On());
  ASSERT_TRUE(c.ok());
  const ReleaseFinding* g = FindProblem(*c, ReleaseProblem::kNotGeneralised);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->column, "age");
  EXPECT_EQ(g->rows, 2);  // "20" is too fine, "nope" is no code; "Total" is above the level
  EXPECT_THAT(g->message, HasSubstr("\"age\""));
}

TEST(CheckRelease, SmallGroups) {
  auto policy = LoadPolicy();
  Frame f = GoodExtract();
  f.columns[3] = Text("region", {"N", "N", "S", "S", "S", "S"});
  f.columns.push_back(Text("visit", Repeat("2025-01-01", 6)));
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "extract", f, On());
  ASSERT_TRUE(c.ok());
  const ReleaseFinding* g = FindProblem(*c, ReleaseProblem::kSmallGroup);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->cells, 2);  // (0-39,F,N) x2 and (0-39,F,S) x1
  EXPECT_EQ(g->rows, 3);
  EXPECT_THAT(g->message, HasSubstr("fewer than 3"));
}

// The table release: region x age (generalised to level 1), threshold 3.
Frame TableRecords() {
  Frame f;
  std::vector<std::string> region, age, visit, cpr;
  auto add = [&](std::string r, std::string a, int n) {
    for (int i = 0; i < n; ++i) {
      region.push_back(r);
      age.push_back(a);
      visit.push_back("2025-05-05");
      cpr.push_back(kCpr);
    }
  };
  add("N", "20", 4);
  add("N", "60", 5);
  add("S", "30", 2);  // a small cell (S, 0-39)
  add("S", "50", 6);
  f.columns.push_back(Text("cpr", cpr));
  f.columns.push_back(Text("region", region));
  f.columns.push_back(Text("age", age));
  f.columns.push_back(Text("visit", visit));
  return f;
}

TEST(CheckRelease, SmallCellsOfTheTable) {
  auto policy = LoadPolicy();
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "table", TableRecords(), On());
  ASSERT_TRUE(c.ok()) << c.status();
  const ReleaseFinding* s = FindProblem(*c, ReleaseProblem::kSmallCell);
  ASSERT_NE(s, nullptr) << AllMessages(*c);
  EXPECT_EQ(s->cells, 1);
  EXPECT_EQ(s->rows, 2);
  EXPECT_TRUE(s->column.empty());
  // Raw ages are finer than the rule's level.
  EXPECT_NE(FindProblem(*c, ReleaseProblem::kNotGeneralised, "age"), nullptr);
  // The CPR column is present though dropped, and holds CPR numbers.
  EXPECT_NE(FindProblem(*c, ReleaseProblem::kDroppedColumn, "cpr"), nullptr);
  EXPECT_EQ(FindProblem(*c, ReleaseProblem::kIdentifierInClear, "cpr")->rows, 17);
  EXPECT_THAT(AllMessages(*c), Not(HasSubstr(kCpr)));

  // Enough rows in every cell: no small cell.
  Frame big = TableRecords();
  std::vector<std::string> region, age;
  for (std::size_t i = 0; i < big.rows(); ++i) {
    region.emplace_back(big.columns[1].text(i));
    age.emplace_back(big.columns[2].text(i));
  }
  region.push_back("S");
  age.push_back("20");
  big.columns = {Text("region", region), Text("age", age)};
  c = CheckRelease(*policy, "table", big, On());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(Has(*c, ReleaseProblem::kSmallCell)) << AllMessages(*c);
}

TEST(CheckRelease, DanishMessages) {
  auto policy = LoadPolicy();
  ReleaseOptions o = On();
  o.language = Language::kDanish;
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "table", TableRecords(), o);
  ASSERT_TRUE(c.ok());
  EXPECT_THAT(FindProblem(*c, ReleaseProblem::kSmallCell)->message, HasSubstr("celler"));
  EXPECT_THAT(FindProblem(*c, ReleaseProblem::kDroppedColumn)->message, HasSubstr("kolonne"));
}

TEST(CheckRelease, Progress) {
  auto policy = LoadPolicy();
  std::vector<std::string> stages;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> last;
  ReleaseOptions o = On();
  o.progress = [&](const Progress& p) {
    if (stages.empty() || stages.back() != p.stage) stages.emplace_back(p.stage);
    last[std::string(p.stage)] = {p.done, p.total};
    return true;
  };
  ASSERT_TRUE(CheckRelease(*policy, "table", TableRecords(), o).ok());
  EXPECT_EQ(stages, (std::vector<std::string>{"scan", "age", "tabulate"}));
  for (const auto& [stage, dt] : last) EXPECT_EQ(dt.first, dt.second) << stage;
  o.progress = [](const Progress&) { return false; };
  EXPECT_EQ(CheckRelease(*policy, "table", TableRecords(), o).status().code(),
            absl::StatusCode::kCancelled);
}

TEST(CheckRelease, Errors) {
  auto policy = LoadPolicy();
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "tabel", TableRecords(), On());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(c.status().message(), HasSubstr("\"table\""));

  // A release with an error finding is refused, naming the finding.
  std::string bad = absl::StrReplaceAll(
      kPolicy, {{"columns { name: \"sex\" treatment: KEEP }", "columns { name: \"sex\" }"}});
  auto p = Policy::FromText(bad, PolicyFormat::kTextProto, "bad.textproto");
  ASSERT_TRUE(p.ok());
  c = CheckRelease(**p, "extract", GoodExtract(), On());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(c.status().message(), HasSubstr("release-column-without-treatment"));
  // ... but not another release of the same policy.
  EXPECT_TRUE(CheckRelease(**p, "table", TableRecords(), On()).ok());

  // An orphan code in an inline hierarchy names the code.
  std::string orphan = absl::StrReplaceAll(kPolicy, {{"codes { code: \"60\" parent: \"40+\" }",
                                                      "codes { code: \"60\" parent: \"41+\" }"}});
  p = Policy::FromText(orphan, PolicyFormat::kTextProto, "orphan.textproto");
  ASSERT_TRUE(p.ok());
  c = CheckRelease(**p, "table", TableRecords(), On());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("\"age\""));
  EXPECT_THAT(c.status().message(), HasSubstr("41+"));

  // A hierarchy file that does not exist names the file.
  std::string file = absl::StrReplaceAll(
      kPolicy, {{"dimensions { column: \"region\" }",
                 "dimensions { column: \"region\" hierarchy: \"region\" }"},
                {"  rules { threshold: 3 }",
                 "  hierarchies { name: \"region\" file: \"no/such/regions.hrc\" }\n"
                 "  rules { threshold: 3 }"}});
  p = Policy::FromText(file, PolicyFormat::kTextProto, "file.textproto");
  ASSERT_TRUE(p.ok());
  c = CheckRelease(**p, "table", TableRecords(), On());
  EXPECT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("regions.hrc"));

  // A frame that is not well-formed.
  Frame f = GoodExtract();
  f.columns[1].codes.push_back(0);
  EXPECT_EQ(CheckRelease(*policy, "extract", f, On()).status().code(),
            absl::StatusCode::kInvalidArgument);

  // A dimension value that is not a leaf: the column and row, never the value.
  Frame t = TableRecords();
  t.columns[1] = Text("region", std::vector<std::string>(t.rows(), "N"));
  t.columns[1].labels[0] = kCpr;
  t.columns.push_back(Text("x", Repeat("1", static_cast<int>(t.rows()))));
  c = CheckRelease(*policy, "table", t, On());
  if (!c.ok())
    EXPECT_THAT(c.status().message(), Not(HasSubstr(kCpr)));
  else
    EXPECT_THAT(AllMessages(*c), Not(HasSubstr(kCpr)));
}

TEST(CheckRelease, HierarchyFilesRelativeToThePolicy) {
  absl::StatusOr<std::shared_ptr<const Policy>> p =
      Policy::Load(std::string(GDPRKIT_EXAMPLES_DIR) + "/policies/klyngeguide.textproto");
  ASSERT_TRUE(p.ok()) << p.status();
  Frame f;
  f.columns.push_back(Text("practice", {"P01", "P02"}));
  f.columns.push_back(Text("age", {"0-17", "18-39"}));
  f.columns.push_back(Text("registered", {"2025-01-01", "2025-01-01"}));
  absl::StatusOr<ReleaseCheck> c = CheckRelease(**p, "cluster-view", f, On());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(Has(*c, ReleaseProblem::kSmallCell));
  // With another base directory the file is not found.
  ReleaseOptions o = On();
  o.base_dir = "/nonexistent";
  EXPECT_FALSE(CheckRelease(**p, "cluster-view", f, o).ok());
}

// ---- GroupSizes ---------------------------------------------------------------

TEST(GroupSizes, AgreeWithANaiveCount) {
  std::mt19937 rng(7);
  const int n = 3000;
  std::vector<std::string> a(n), b(n);
  std::vector<double> x(n);
  std::vector<DayNumber> d(n);
  for (int i = 0; i < n; ++i) {
    a[i] = rng() % 17 == 0 ? "<NA>" : absl::StrCat("a", rng() % 5);
    b[i] = absl::StrCat("b", rng() % 4);
    x[i] = rng() % 11 == 0 ? NAN : static_cast<double>(rng() % 3);
    d[i] = rng() % 13 == 0 ? kNoDate : static_cast<DayNumber>(rng() % 3);
  }
  Frame f;
  f.columns.push_back(Text("a", a));
  // "b" with repeated labels: two codes for one text group together.
  FrameColumn bc = Text("b", b);
  bc.labels.push_back(bc.labels[0]);
  for (std::size_t i = 0; i < bc.codes.size(); i += 2) {
    if (bc.codes[i] == 0) bc.codes[i] = static_cast<std::int32_t>(bc.labels.size() - 1);
  }
  f.columns.push_back(bc);
  f.columns.push_back(FrameColumn::Numbers("x", x));
  f.columns.push_back(FrameColumn::Days("d", d));
  const std::vector<std::string> cols = {"a", "b", "x", "d"};
  absl::StatusOr<std::vector<std::int64_t>> sizes = GroupSizes(f, cols);
  ASSERT_TRUE(sizes.ok()) << sizes.status();
  std::map<std::string, std::int64_t> naive;
  auto key = [&](int i) {
    return absl::StrCat(a[i], "|", b[i], "|", std::isnan(x[i]) ? "nan" : absl::StrCat(x[i]), "|",
                        d[i]);
  };
  for (int i = 0; i < n; ++i) ++naive[key(i)];
  for (int i = 0; i < n; ++i) EXPECT_EQ((*sizes)[i], naive[key(i)]) << i;

  EXPECT_EQ(GroupSizes(f, {}).status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::vector<std::int64_t>> bad = GroupSizes(f, {std::string("aa")});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("did you mean"));
}

TEST(GroupSizes, StarIsAValueLikeOthers) {
  Frame f;
  f.columns.push_back(Text("q", {"*", "*", "a", "<NA>", ""}));
  absl::StatusOr<std::vector<std::int64_t>> s = GroupSizes(f, {std::string("q")});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, (std::vector<std::int64_t>{2, 2, 1, 2, 2}));  // missing equals ""
}

}  // namespace
}  // namespace gdprkit
