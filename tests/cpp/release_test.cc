// The release gate's core (gdprkit/release.h): CheckRelease, GroupSizes,
// PrepareRelease and PolicyDigest.
#include "gdprkit/release.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
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

// Text columns by name, in order.
Frame TextFrame(const std::vector<std::pair<std::string, std::vector<std::string>>>& columns) {
  Frame f;
  for (const auto& [name, values] : columns) f.columns.push_back(Text(name, values));
  return f;
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
  // The date column the release drops is absent, as it would be from what
  // leaves: not a finding (its age is checked where the column is there).
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "extract", f, On());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->findings.empty()) << AllMessages(*c);
  EXPECT_TRUE(c->passed);
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

// Many distinct values: the groups are combined through a hash map rather
// than a dense table.
TEST(GroupSizes, ManyDistinctValues) {
  std::mt19937 rng(11);
  const int n = 5000;
  std::vector<double> x(n), y(n);
  for (int i = 0; i < n; ++i) {
    x[i] = static_cast<double>(rng() % 2500);
    y[i] = static_cast<double>(rng() % 3);
  }
  Frame f;
  f.columns.push_back(FrameColumn::Numbers("x", x));
  f.columns.push_back(FrameColumn::Numbers("y", y));
  f.columns.push_back(FrameColumn::Numbers("z", x));
  absl::StatusOr<std::vector<std::int64_t>> sizes =
      GroupSizes(f, {std::string("x"), std::string("y"), std::string("z")});
  ASSERT_TRUE(sizes.ok());
  std::map<std::pair<double, double>, std::int64_t> naive;
  for (int i = 0; i < n; ++i) ++naive[{x[i], y[i]}];
  for (int i = 0; i < n; ++i) ASSERT_EQ((*sizes)[i], (naive[{x[i], y[i]}])) << i;
}

TEST(GroupSizes, StarIsAValueLikeOthers) {
  Frame f;
  f.columns.push_back(Text("q", {"*", "*", "a", "<NA>", ""}));
  absl::StatusOr<std::vector<std::int64_t>> s = GroupSizes(f, {std::string("q")});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, (std::vector<std::int64_t>{2, 2, 1, 2, 2}));  // missing equals ""
}

// ---- PrepareRelease: the table -------------------------------------------------

// Records for the cluster guide's "cluster-view": practices P01-P19 x five
// age bands, counts from 0 to 14 (so some cells are small), a registration
// date (some older than five years, some missing) and the CPR and provider
// numbers the release drops.
Frame ClusterRecords(int* old_rows, int* undated_rows) {
  std::mt19937 rng(14);
  const std::vector<std::string> bands = {"0-17", "18-39", "40-64", "65-79", "80+"};
  std::vector<std::string> practice, age, registered, cpr, provider;
  *old_rows = 0;
  *undated_rows = 0;
  for (int p = 1; p <= 19; ++p) {
    for (const std::string& band : bands) {
      const int n = static_cast<int>(rng() % 15);
      for (int i = 0; i < n; ++i) {
        practice.push_back(absl::StrCat(p < 10 ? "P0" : "P", p));
        age.push_back(band);
        const unsigned r = rng() % 20;
        if (r == 0) {
          registered.push_back("2019-06-30");
          ++*old_rows;
        } else if (r == 1) {
          registered.push_back("<NA>");
          ++*undated_rows;
        } else {
          registered.push_back("2024-01-15");
        }
        cpr.push_back(kCpr);
        provider.push_back("012345");
      }
    }
  }
  return TextFrame({{"patient_cpr", cpr},
                    {"provider_number", provider},
                    {"practice", practice},
                    {"age", age},
                    {"registered", registered}});
}

std::shared_ptr<const Policy> Klyngeguide() {
  absl::StatusOr<std::shared_ptr<const Policy>> p =
      Policy::Load(std::string(GDPRKIT_EXAMPLES_DIR) + "/policies/klyngeguide.textproto");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

PrepareOptions PrepareOn(DayNumber on = kOn) {
  PrepareOptions o;
  o.on = on;
  return o;
}

TEST(PrepareRelease, ClusterTableSuppressesSmallCellsAndPassesTheAudit) {
  auto policy = Klyngeguide();
  int old_rows = 0, undated = 0;
  const Frame records = ClusterRecords(&old_rows, &undated);
  // The raw records fail the check: small cells, old rows, dropped columns.
  absl::StatusOr<ReleaseCheck> before = CheckRelease(*policy, "cluster-view", records, On());
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_TRUE(Has(*before, ReleaseProblem::kSmallCell));
  EXPECT_TRUE(Has(*before, ReleaseProblem::kTooOld));

  absl::StatusOr<PreparedRelease> out =
      PrepareRelease(*policy, "cluster-view", records, PrepareOn());
  ASSERT_TRUE(out.ok()) << out.status();
  const ReleaseReport& rep = out->report;
  EXPECT_EQ(rep.release, "cluster-view");
  EXPECT_EQ(rep.purpose, "provider-level-statistics");
  EXPECT_TRUE(rep.table);
  EXPECT_EQ(rep.on, kOn);
  EXPECT_EQ(rep.rows_in, static_cast<std::int64_t>(records.rows()));
  EXPECT_EQ(rep.rows_too_old, old_rows);
  EXPECT_EQ(rep.rows_missing_date, undated);
  EXPECT_EQ(rep.columns_dropped,
            (std::vector<std::string>{"patient_cpr", "provider_number", "registered"}));
  // 19 practices + 6 clusters + 2 regions + total = 28 codes, 6 age codes.
  EXPECT_EQ(rep.cells, 28 * 6);
  EXPECT_GT(rep.cells_primary, 0);
  EXPECT_GT(rep.cells_secondary, 0);
  EXPECT_TRUE(rep.audit_passed);
  EXPECT_THAT(rep.audit_text, HasSubstr("passed"));
  EXPECT_TRUE(rep.check.passed) << AllMessages(rep.check);
  EXPECT_EQ(rep.rows_out, rep.cells);
  EXPECT_THAT(rep.policy_digest, ::testing::StartsWith("blake2b-256:"));
  EXPECT_EQ(rep.policy_digest, PolicyDigest(*policy));

  // The frame: practice, age, count, status; no published cell of 1 to 4;
  // the published total counts the rows that are young enough.
  const Frame& f = out->frame;
  EXPECT_EQ(f.names(), (std::vector<std::string>{"practice", "age", "count", "status"}));
  ASSERT_EQ(f.rows(), static_cast<std::size_t>(rep.cells));
  int suppressed = 0;
  for (std::size_t i = 0; i < f.rows(); ++i) {
    const double v = f.columns[2].numbers[i];
    const std::string_view status = f.columns[3].text(i);
    if (status == "suppressed") {
      ++suppressed;
      EXPECT_TRUE(std::isnan(v));
    } else {
      EXPECT_EQ(status, "published");
      EXPECT_FALSE(v > 0 && v < 5) << f.columns[0].text(i) << " x " << f.columns[1].text(i);
    }
    if (f.columns[0].text(i) == "Total" && f.columns[1].text(i) == "Total") {
      EXPECT_EQ(v, static_cast<double>(records.rows() - old_rows - undated));
    }
  }
  EXPECT_EQ(suppressed, rep.cells_primary + rep.cells_secondary);
  absl::StatusOr<std::string> digest = ContentDigest(f);
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(rep.content_digest, *digest);

  // Danish audit text.
  PrepareOptions da = PrepareOn();
  da.language = Language::kDanish;
  absl::StatusOr<PreparedRelease> out_da = PrepareRelease(*policy, "cluster-view", records, da);
  ASSERT_TRUE(out_da.ok());
  EXPECT_NE(out_da->report.audit_text, rep.audit_text);
  EXPECT_EQ(out_da->report.content_digest, rep.content_digest);
}

TEST(PrepareRelease, TableProgressStagesInOrder) {
  auto policy = Klyngeguide();
  int old_rows = 0, undated = 0;
  const Frame records = ClusterRecords(&old_rows, &undated);
  std::vector<std::string> stages;
  PrepareOptions o = PrepareOn();
  o.progress = [&](const Progress& p) {
    if (stages.empty() || stages.back() != p.stage) stages.emplace_back(p.stage);
    return true;
  };
  ASSERT_TRUE(PrepareRelease(*policy, "cluster-view", records, o).ok());
  ASSERT_GE(stages.size(), 4u);
  EXPECT_EQ(stages[0], "age");
  EXPECT_EQ(stages[1], "tabulate");
  EXPECT_EQ(stages[2], "primary");
  EXPECT_EQ(stages.back(), "check");
  o.progress = [](const Progress& p) { return p.stage != std::string_view("tabulate"); };
  absl::StatusOr<PreparedRelease> cancelled = PrepareRelease(*policy, "cluster-view", records, o);
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kCancelled);
  EXPECT_THAT(cancelled.status().message(), HasSubstr("tabulate"));
}

// ---- PrepareRelease: the extract -------------------------------------------------

class PrepareExtract : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("release_test_", ::testing::UnitTest::GetInstance()->random_seed(), "_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    absl::StatusOr<std::unique_ptr<Vault>> v =
        Vault::Create(VaultOptions()
                          .set_path((dir_ / "vault.db").string())
                          .set_passphrase("correct horse battery")
                          .set_kdf_limits(KdfLimits::ForTestsOnly())
                          .set_actor("release-test"));
    ASSERT_TRUE(v.ok()) << v.status();
    vault_ = *std::move(v);
    ASSERT_TRUE(vault_->CreateDomain("research").ok());
  }
  void TearDown() override {
    vault_.reset();
    std::filesystem::remove_all(dir_);
  }

  PrepareOptions Options() {
    PrepareOptions o = PrepareOn();
    o.vault = vault_.get();
    return o;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Vault> vault_;
};

// A valid CPR number for person i (days of January 2000, serial 1000 + i).
std::string CprOf(int i) {
  return absl::StrCat(i % 28 + 1 < 10 ? "0" : "", i % 28 + 1, "0100", 1000 + i);
}

// Extract records: `n` patients with raw ages (leaves of the age hierarchy),
// sex, region, a note that sometimes holds the patient's CPR number, a visit.
Frame ExtractRecords(int n, unsigned seed, int regions = 3) {
  std::mt19937 rng(seed);
  std::vector<std::string> cpr, age, sex, region, note, visit;
  const char* ages[] = {"20", "30", "50", "60"};
  for (int i = 0; i < n; ++i) {
    cpr.push_back(CprOf(i));
    age.push_back(ages[rng() % 4]);
    sex.push_back(rng() % 2 ? "F" : "M");
    region.push_back(absl::StrCat("R", rng() % static_cast<unsigned>(regions)));
    note.push_back(i % 3 == 0 ? absl::StrCat("ringede, cpr ", CprOf(i), ", om svar") : "kontrol");
    visit.push_back(i % 10 == 9 ? "2012-01-01" : "2025-09-01");
  }
  return TextFrame({{"cpr", cpr},
                    {"age", age},
                    {"sex", sex},
                    {"region", region},
                    {"note", note},
                    {"visit", visit}});
}

// Every text of a frame, labels included (what a door could show).
std::string AllText(const Frame& f) {
  std::string all;
  for (const FrameColumn& c : f.columns) {
    for (const std::string& l : c.labels) absl::StrAppend(&all, l, "\n");
  }
  return all;
}

TEST_F(PrepareExtract, PseudonymisesGeneralisesRedactsAndReachesK) {
  auto policy = LoadPolicy();
  const Frame records = ExtractRecords(200, 1, 12);
  absl::StatusOr<PreparedRelease> out = PrepareRelease(*policy, "extract", records, Options());
  ASSERT_TRUE(out.ok()) << out.status();
  const ReleaseReport& rep = out->report;
  const Frame& f = out->frame;
  EXPECT_FALSE(rep.table);
  EXPECT_EQ(rep.rows_too_old, 20);
  EXPECT_EQ(rep.columns_dropped, std::vector<std::string>{"visit"});
  EXPECT_EQ(rep.values_pseudonymised, 180);
  EXPECT_EQ(rep.values_generalised, 180);
  EXPECT_EQ(rep.identifiers_redacted, 60);  // rows 0, 3, ... not older than five years
  EXPECT_EQ(rep.k, 3);
  EXPECT_TRUE(rep.audit_passed);
  EXPECT_TRUE(rep.check.passed) << AllMessages(rep.check);
  EXPECT_EQ(rep.rows_out + rep.rows_withheld, 180);
  EXPECT_EQ(f.names(), (std::vector<std::string>{"cpr", "age", "sex", "region", "note"}));
  // Nothing identifying leaves: no CPR number anywhere, pseudonyms in "cpr".
  const std::string all = AllText(f);
  for (int i = 0; i < 200; ++i) ASSERT_THAT(all, Not(HasSubstr(CprOf(i))));
  EXPECT_THAT(all, HasSubstr("[CPR]"));
  for (std::size_t i = 0; i < f.rows(); ++i) {
    EXPECT_THAT(std::string(f.columns[0].text(i)), ::testing::StartsWith("ps1_"));
    const std::string_view a = f.columns[1].text(i);
    EXPECT_TRUE(a == "0-39" || a == "40+" || a == "*") << a;
  }
  // Every group over the quasi-identifiers has k rows, by GroupSizes and by
  // a naive count.
  const std::vector<std::string> qis = {"age", "sex", "region"};
  absl::StatusOr<std::vector<std::int64_t>> sizes = GroupSizes(f, qis);
  ASSERT_TRUE(sizes.ok());
  auto key = [&](std::size_t i) {
    return std::string(f.columns[1].text(i)) + "|" + std::string(f.columns[2].text(i)) + "|" +
           std::string(f.columns[3].text(i));
  };
  std::map<std::string, std::int64_t> naive;
  for (std::size_t i = 0; i < f.rows(); ++i) {
    ++naive[key(i)];
  }
  std::int64_t smallest = static_cast<std::int64_t>(f.rows());
  for (std::size_t i = 0; i < f.rows(); ++i) {
    EXPECT_GE((*sizes)[i], 3);
    EXPECT_EQ((*sizes)[i], naive[key(i)]);
    smallest = std::min(smallest, (*sizes)[i]);
  }
  EXPECT_EQ(rep.smallest_group, smallest);
  // Twelve regions over ~180 rows: local suppression had work to do.
  EXPECT_GT(rep.values_suppressed, 0);

  // The output passes CheckRelease (the date column it lacks is one the
  // release drops after the age filter has used it).
  absl::StatusOr<ReleaseCheck> again = CheckRelease(*policy, "extract", f, On());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->passed) << AllMessages(*again);
  EXPECT_TRUE(again->findings.empty()) << AllMessages(*again);

  // The same records give the same release (pseudonyms and all).
  absl::StatusOr<PreparedRelease> twice = PrepareRelease(*policy, "extract", records, Options());
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->report.content_digest, rep.content_digest);
}

// Rows of (age, sex, region) for the extract, with the other columns filled.
Frame QuasiRecords(const std::vector<std::array<const char*, 3>>& rows) {
  std::vector<std::string> cpr, age, sex, region;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    cpr.push_back(CprOf(static_cast<int>(i)));
    age.emplace_back(rows[i][0]);
    sex.emplace_back(rows[i][1]);
    region.emplace_back(rows[i][2]);
  }
  const int n = static_cast<int>(rows.size());
  return TextFrame({{"cpr", cpr},
                    {"age", age},
                    {"sex", sex},
                    {"region", region},
                    {"note", Repeat("ok", n)},
                    {"visit", Repeat("2025-09-01", n)}});
}

std::vector<std::array<const char*, 3>> Times(int n, std::array<const char*, 3> row) {
  return std::vector<std::array<const char*, 3>>(static_cast<std::size_t>(n), row);
}

TEST_F(PrepareExtract, LocalSuppressionMergesIntoTheLargestGroup) {
  auto policy = LoadPolicy();
  // The lone (20, F, S) can join (0-39, F, *) of 3 rows by losing its
  // region, or (0-39, *, S) of 5 rows by losing its sex: it loses its sex.
  std::vector<std::array<const char*, 3>> rows = Times(3, {"20", "F", "*"});
  for (const auto& r : Times(5, {"30", "*", "S"})) rows.push_back(r);
  rows.push_back({"20", "F", "S"});
  absl::StatusOr<PreparedRelease> out =
      PrepareRelease(*policy, "extract", QuasiRecords(rows), Options());
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->report.values_suppressed, 1);
  EXPECT_EQ(out->report.rows_withheld, 0);
  EXPECT_EQ(out->report.smallest_group, 3);
  EXPECT_EQ(out->frame.columns[2].text(8), "*");
  EXPECT_EQ(out->frame.columns[3].text(8), "S");

  // A tie (3 rows either way) goes to the column with more distinct values:
  // region (*, S, N, E) before sex (F, *, M).
  rows = Times(3, {"20", "F", "*"});
  for (const auto& r : Times(3, {"30", "*", "S"})) rows.push_back(r);
  for (const auto& r : Times(3, {"50", "M", "N"})) rows.push_back(r);
  for (const auto& r : Times(3, {"60", "M", "E"})) rows.push_back(r);
  rows.push_back({"20", "F", "S"});
  out = PrepareRelease(*policy, "extract", QuasiRecords(rows), Options());
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->report.values_suppressed, 1);
  EXPECT_EQ(out->frame.columns[2].text(12), "F");
  EXPECT_EQ(out->frame.columns[3].text(12), "*");

  // Rows that no suppression brings to k are withheld.
  rows = Times(3, {"20", "F", "N"});
  rows.push_back({"50", "M", "S"});
  out = PrepareRelease(*policy, "extract", QuasiRecords(rows), Options());
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->report.rows_withheld, 1);
  EXPECT_EQ(out->report.values_suppressed, 3);
  EXPECT_EQ(out->report.rows_out, 3);
}

TEST_F(PrepareExtract, RandomFramesReachK) {
  auto policy = LoadPolicy();
  for (unsigned seed = 2; seed < 8; ++seed) {
    const Frame records =
        ExtractRecords(100 + static_cast<int>(seed) * 37, seed, 2 + static_cast<int>(seed) * 3);
    absl::StatusOr<PreparedRelease> out = PrepareRelease(*policy, "extract", records, Options());
    ASSERT_TRUE(out.ok()) << out.status();
    const std::vector<std::string> qis = {"age", "sex", "region"};
    absl::StatusOr<std::vector<std::int64_t>> sizes = GroupSizes(out->frame, qis);
    ASSERT_TRUE(sizes.ok());
    EXPECT_GE(*std::min_element(sizes->begin(), sizes->end()), 3) << seed;
    EXPECT_EQ(out->report.smallest_group, *std::min_element(sizes->begin(), sizes->end()));
  }
}

TEST_F(PrepareExtract, ErrorsNameTheColumnNeverTheValue) {
  auto policy = LoadPolicy();
  Frame records = ExtractRecords(60, 3);

  // No vault.
  absl::StatusOr<PreparedRelease> out = PrepareRelease(*policy, "extract", records, PrepareOn());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out.status().message(), HasSubstr("\"cpr\""));

  // A column the release needs.
  Frame lacking = records;
  lacking.columns.erase(lacking.columns.begin() + 2);
  out = PrepareRelease(*policy, "extract", lacking, Options());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("\"sex\""));

  // A value of the pseudonymised column that is not a CPR number: column
  // and row, never the value.
  Frame bad = records;
  std::vector<std::string> cprs;
  for (std::size_t i = 0; i < bad.rows(); ++i) cprs.emplace_back(bad.columns[0].text(i));
  cprs[4] = kNotCpr;
  bad.columns[0] = Text("cpr", cprs);
  out = PrepareRelease(*policy, "extract", bad, Options());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("\"cpr\""));
  EXPECT_THAT(out.status().message(), HasSubstr("row 4"));
  EXPECT_THAT(out.status().message(), Not(HasSubstr(kNotCpr)));
  EXPECT_THAT(out.status().message(), Not(HasSubstr("3201991234")));

  // A value of the generalised column outside its hierarchy.
  Frame orphan = records;
  orphan.columns[1].labels[0] = "200";
  out = PrepareRelease(*policy, "extract", orphan, Options());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("\"age\""));
  EXPECT_THAT(out.status().message(), HasSubstr("did you mean \"20\""));

  // A vault without the domain.
  std::string other = absl::StrReplaceAll(kPolicy, {{"domain: \"research\"", "domain: \"other\""}});
  auto p = Policy::FromText(other, PolicyFormat::kTextProto, "other.textproto");
  ASSERT_TRUE(p.ok());
  out = PrepareRelease(**p, "extract", records, Options());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out.status().message(), HasSubstr("other"));

  // Every row too old: nothing to release.
  out = PrepareRelease(*policy, "extract", records, [&] {
    PrepareOptions o = Options();
    o.on = DaysFromCivil(2040, 1, 1);
    return o;
  }());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out.status().message(), HasSubstr("no rows left"));

  // An unknown release.
  EXPECT_EQ(PrepareRelease(*policy, "extrakt", records, Options()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PrepareExtract, AppendsToTheReleaseLogOnlyWhenItPasses) {
  auto policy = LoadPolicy();
  const std::string path = (dir_ / "releases.log").string();
  absl::StatusOr<std::unique_ptr<ReleaseLog>> log = ReleaseLog::Open(path);
  ASSERT_TRUE(log.ok()) << log.status();
  PrepareOptions o = Options();
  o.log = log->get();
  o.released_at = 1790000000;
  absl::StatusOr<PreparedRelease> out =
      PrepareRelease(*policy, "extract", ExtractRecords(90, 4), o);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->report.log_seq, 1);
  EXPECT_EQ(out->report.log_hash.size(), 64u);
  // A failing preparation appends nothing.
  Frame bad = ExtractRecords(90, 4);
  bad.columns[1].labels[0] = "200";
  EXPECT_FALSE(PrepareRelease(*policy, "extract", bad, o).ok());
  EXPECT_EQ((*log)->entries(), 1);
  absl::StatusOr<std::vector<ReleaseLogEntry>> entries = ReadReleaseLog(path);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].content_digest, out->report.content_digest);
  EXPECT_EQ((*entries)[0].policy_digest, PolicyDigest(*policy));
  EXPECT_EQ((*entries)[0].released_at, 1790000000);
  EXPECT_EQ((*entries)[0].rows_out, out->report.rows_out);
}

// ---- PolicyDigest -------------------------------------------------------------------

TEST(PolicyDigest, FormatStabilityAndChange) {
  auto a = LoadPolicy();
  auto b = LoadPolicy();
  const std::string d = PolicyDigest(*a);
  ASSERT_EQ(d.size(), std::string("blake2b-256:").size() + 64);
  EXPECT_THAT(d, ::testing::StartsWith("blake2b-256:"));
  EXPECT_EQ(d.find_first_not_of("0123456789abcdef", 12), std::string::npos);
  EXPECT_EQ(PolicyDigest(*b), d);
  // Layout and comments do not count; a changed rule does.
  auto spaced = LoadPolicy(absl::StrCat("# a comment\n\n", kPolicy));
  EXPECT_EQ(PolicyDigest(*spaced), d);
  auto changed = LoadPolicy(absl::StrReplaceAll(kPolicy, {{"threshold: 3", "threshold: 4"}}));
  EXPECT_NE(PolicyDigest(*changed), d);
  auto renamed = LoadPolicy(absl::StrReplaceAll(kPolicy, {{"name: \"Klinikken\"", "name: \"K\""}}));
  EXPECT_NE(PolicyDigest(*renamed), d);
}

// PolicyDigest is the digest the policy area computes when it reads a
// policy: one name for one set of rules.
TEST(PolicyDigest, IsThePolicysOwnDigest) {
  auto klynge = Klyngeguide();
  EXPECT_EQ(PolicyDigest(*klynge), klynge->digest());
  EXPECT_NE(PolicyDigest(*klynge), PolicyDigest(*LoadPolicy()));
}

// ---- More tables: a generalised dimension, sums, a CSV hierarchy ------------------

TEST(PrepareRelease, GeneralisedDimensionIsTabulatedAtItsLevel) {
  auto policy = LoadPolicy();
  absl::StatusOr<PreparedRelease> out =
      PrepareRelease(*policy, "table", TableRecords(), PrepareOn());
  ASSERT_TRUE(out.ok()) << out.status();
  const Frame& f = out->frame;
  // region (N, S, Total) x age cut at level 1 (Total, 0-39, 40+).
  EXPECT_EQ(f.names(), (std::vector<std::string>{"region", "age", "count", "status"}));
  ASSERT_EQ(f.rows(), 9u);
  EXPECT_EQ(out->report.values_generalised, 17);
  EXPECT_EQ(out->report.columns_dropped, (std::vector<std::string>{"cpr", "visit"}));
  EXPECT_EQ(out->report.cells_primary, 1);
  std::set<std::string> ages;
  for (std::size_t i = 0; i < f.rows(); ++i) {
    ages.emplace(f.columns[1].text(i));
    if (f.columns[0].text(i) == "S" && f.columns[1].text(i) == "0-39") {
      EXPECT_EQ(f.columns[3].text(i), "suppressed");
    }
    if (f.columns[0].text(i) == "N" && f.columns[1].text(i) == "0-39") {
      EXPECT_EQ(f.columns[2].numbers[i], 4);
    }
  }
  EXPECT_EQ(ages, (std::set<std::string>{"Total", "0-39", "40+"}));
}

// A magnitude table: the sum of "cost" per region x age, with a dominance
// rule, the region from a code,parent CSV hierarchy.
constexpr char kSums[] = R"txt(
releases {
  id: "sums"
  purpose: "research"
  columns { name: "cpr" treatment: DROP kind: "cpr" }
  columns { name: "region" treatment: KEEP }
  columns { name: "age" treatment: KEEP }
  columns { name: "cost" treatment: KEEP }
  hierarchies { name: "region" file: "regions.csv" }
  table {
    dimensions { column: "region" hierarchy: "region" }
    dimensions { column: "age" }
    value: "cost"
  }
  rules { threshold: 2 dominance { n: 1 k: 80 } }
}
)txt";

TEST(PrepareRelease, MagnitudeTableWithDominanceAndACsvHierarchy) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      absl::StrCat("release_sums_", ::testing::UnitTest::GetInstance()->random_seed());
  std::filesystem::create_directories(dir);
  {
    std::ofstream csv(dir / "regions.csv");
    csv << "code,parent\nDK,\nN,DK\nS,DK\n";
  }
  auto policy = LoadPolicy(absl::StrCat(kPolicy, kSums));
  Frame f = TextFrame({{"region", {"N", "N", "N", "S", "S", "S", "N", "S"}},
                       {"age", {"a", "a", "a", "a", "a", "a", "b", "b"}}});
  // (S, a) and (S, Total): one contribution dominates (100 of 103, of 110);
  // (N, b) and (S, b) have one contributor. Rows in them: S's 4 and (N, b).
  f.columns.push_back(FrameColumn::Numbers("cost", {10, 12, 11, 100, 1, 2, 5, 7}));
  PrepareOptions o = PrepareOn();
  o.base_dir = dir.string();
  absl::StatusOr<ReleaseCheck> c = CheckRelease(*policy, "sums", f, o);
  ASSERT_TRUE(c.ok()) << c.status();
  const ReleaseFinding* small = FindProblem(*c, ReleaseProblem::kSmallCell);
  ASSERT_NE(small, nullptr);
  EXPECT_EQ(small->cells, 4);
  EXPECT_EQ(small->rows, 5);
  absl::StatusOr<PreparedRelease> out = PrepareRelease(*policy, "sums", f, o);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->frame.names(), (std::vector<std::string>{"region", "age", "cost", "status"}));
  EXPECT_EQ(out->report.cells, 9);
  EXPECT_EQ(out->report.cells_primary, 4);
  EXPECT_TRUE(out->report.audit_passed);
  for (std::size_t i = 0; i < out->frame.rows(); ++i) {
    if (out->frame.columns[0].text(i) == "S" && out->frame.columns[1].text(i) == "a") {
      EXPECT_TRUE(std::isnan(out->frame.columns[2].numbers[i]));
    }
    if (out->frame.columns[0].text(i) == "DK" && out->frame.columns[1].text(i) == "Total") {
      EXPECT_EQ(out->frame.columns[2].numbers[i], 148);
    }
  }
  // A value column of text is refused; a negative value names its row.
  Frame text = f;
  text.columns[2] = Text("cost", Repeat("1", 8));
  EXPECT_EQ(CheckRelease(*policy, "sums", text, o).status().code(),
            absl::StatusCode::kInvalidArgument);
  Frame negative = f;
  negative.columns[2].numbers[5] = -1;
  absl::StatusOr<PreparedRelease> bad = PrepareRelease(*policy, "sums", negative, o);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("row 5"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gdprkit
