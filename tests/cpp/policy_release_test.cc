// Release rules in the policy (gdprkit/release_rules.h): parsing, lookups and
// every finding of Policy::Validate() about releases.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gdprkit/policy.h"
#include "gdprkit/release_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A policy with two purposes (one with CPR numbers) and no findings but
// those of its releases.
constexpr char kHead[] = R"txt(schema: "gdprkit.v1"
controller { name: "Klyngen" }
teams { id: "cluster" }
retention_rules { id: "r" period: "P5Y" }
purposes {
  id: "provider-level-statistics"
  categories: "professional.provider_number"
  data_subjects: "general practitioners"
  basis: "A6-1-f"
  legitimate_interest { assessment: "recorded" }
  access { team: "cluster" }
  retention: "r"
}
purposes {
  id: "research"
  categories: "identity.cpr"
  categories: "health.diagnosis"
  data_subjects: "patients"
  basis: "A6-1-e"
  basis: "A9-2-j"
  basis: "DK-DBL-11-2-1"
  access { team: "cluster" }
  retention: "r"
}
)txt";

// A valid table release.
constexpr char kTable[] = R"txt(releases {
  id: "cluster-view"
  title: "Klyngeindblik"
  purpose: "provider-level-statistics"
  columns { name: "patient_cpr" treatment: DROP kind: "cpr" }
  columns { name: "provider_number" treatment: PSEUDONYMISE kind: "ydernummer" domain: "klynge" }
  columns { name: "practice" treatment: KEEP }
  columns { name: "age" treatment: GENERALISE hierarchy: "age" level: 1 }
  columns { name: "registered" treatment: DROP }
  columns { name: "note" treatment: KEEP free_text: true }
  hierarchies { name: "practice" file: "../tables/practice.hrc" }
  hierarchies {
    name: "age"
    codes { code: "Total" }
    codes { code: "0-17" parent: "Total" }
    codes { code: "5" parent: "0-17" }
  }
  table {
    dimensions { column: "practice" hierarchy: "practice" }
    dimensions { column: "age" }
  }
  rules { threshold: 5 dominance { n: 1 k: 80 } p_percent: 10 }
  max_age: "P5Y"
  date_column: "registered"
}
)txt";

// A valid extract release.
constexpr char kExtract[] = R"txt(releases {
  id: "research-extract"
  purpose: "research"
  columns { name: "cpr" treatment: PSEUDONYMIZE kind: "cpr" domain: "research" }
  columns { name: "age_band" treatment: KEEP }
  columns { name: "sex" treatment: KEEP }
  columns { name: "diagnosis" treatment: KEEP }
  extract { quasi_identifiers: "age_band" quasi_identifiers: "sex" k: 5 }
}
)txt";

// The 1-based line of the first `needle` in kHead + `releases`.
int LineIn(const std::string& releases, const std::string& needle) {
  const std::string text = absl::StrCat(kHead, releases);
  const std::size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

std::shared_ptr<const Policy> Load(const std::string& releases) {
  auto p =
      Policy::FromText(absl::StrCat(kHead, releases), PolicyFormat::kTextProto, "klynge.textproto");
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *p : nullptr;
}

// The findings about releases (those whose field starts "releases").
std::vector<Finding> ReleaseFindings(const std::string& releases) {
  std::vector<Finding> out;
  auto p = Load(releases);
  if (p == nullptr) return out;
  for (const Finding& f : p->Validate()) {
    if (f.field.rfind("releases", 0) == 0) out.push_back(f);
  }
  return out;
}

std::vector<std::string> Codes(const std::string& releases) {
  std::vector<std::string> out;
  for (const Finding& f : ReleaseFindings(releases)) out.push_back(f.code);
  return out;
}

// kTable with `from` replaced by `to` (which must occur).
std::string Table(const std::string& from, const std::string& to) {
  std::string t = kTable;
  EXPECT_NE(t.find(from), std::string::npos) << from;
  return absl::StrReplaceAll(t, {{from, to}});
}
std::string Extract(const std::string& from, const std::string& to) {
  std::string t = kExtract;
  EXPECT_NE(t.find(from), std::string::npos) << from;
  return absl::StrReplaceAll(t, {{from, to}});
}

TEST(PolicyRelease, TheValidReleasesHaveNoFindings) {
  auto p = Load(absl::StrCat(kTable, kExtract));
  ASSERT_NE(p, nullptr);
  EXPECT_THAT(p->Validate(), IsEmpty());
}

TEST(PolicyRelease, ParsesEveryField) {
  auto p = Load(absl::StrCat(kTable, kExtract));
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->releases().size(), 2u);
  const Release& r = p->releases()[0];
  EXPECT_EQ(r.id, "cluster-view");
  EXPECT_EQ(r.title, "Klyngeindblik");
  EXPECT_EQ(r.purpose, "provider-level-statistics");
  EXPECT_EQ(r.line, LineIn(kTable, "releases {"));
  EXPECT_GT(r.line, 20);
  ASSERT_EQ(r.columns.size(), 6u);
  EXPECT_EQ(r.columns[0].treatment, ColumnTreatment::kDrop);
  EXPECT_EQ(r.columns[0].kind, "cpr");
  EXPECT_EQ(r.columns[1].treatment, ColumnTreatment::kPseudonymise);
  EXPECT_EQ(r.columns[1].domain, "klynge");
  EXPECT_EQ(r.columns[1].kind, "ydernummer");
  EXPECT_EQ(r.columns[2].treatment, ColumnTreatment::kKeep);
  EXPECT_EQ(r.columns[3].treatment, ColumnTreatment::kGeneralise);
  EXPECT_EQ(r.columns[3].hierarchy, "age");
  EXPECT_EQ(r.columns[3].level, 1);
  EXPECT_FALSE(r.columns[2].level.has_value());
  EXPECT_TRUE(r.columns[5].free_text);
  ASSERT_EQ(r.hierarchies.size(), 2u);
  EXPECT_EQ(r.hierarchies[0].file, "../tables/practice.hrc");
  ASSERT_EQ(r.hierarchies[1].codes.size(), 3u);
  EXPECT_EQ(r.hierarchies[1].codes[2].code, "5");
  EXPECT_EQ(r.hierarchies[1].codes[2].parent, "0-17");
  ASSERT_TRUE(r.table.has_value());
  EXPECT_FALSE(r.extract.has_value());
  ASSERT_EQ(r.table->dimensions.size(), 2u);
  EXPECT_EQ(r.table->dimensions[0].column, "practice");
  EXPECT_EQ(r.table->dimensions[0].hierarchy, "practice");
  EXPECT_EQ(r.table->dimensions[1].hierarchy, "");
  EXPECT_EQ(r.table->value, "");
  ASSERT_TRUE(r.rules.has_value());
  EXPECT_EQ(r.rules->threshold, 5);
  ASSERT_EQ(r.rules->dominance.size(), 1u);
  EXPECT_EQ(r.rules->dominance[0].n, 1);
  EXPECT_EQ(r.rules->dominance[0].k, 80);
  EXPECT_EQ(r.rules->p_percent, 10);
  EXPECT_FALSE(r.rules->q_percent.has_value());
  EXPECT_EQ(r.max_age, "P5Y");
  EXPECT_EQ(r.date_column, "registered");
  EXPECT_EQ(r.FindColumn("age"), &r.columns[3]);
  EXPECT_EQ(r.FindColumn("nope"), nullptr);
  EXPECT_EQ(r.FindHierarchy("age"), &r.hierarchies[1]);

  const Release& e = p->releases()[1];
  EXPECT_EQ(e.columns[0].treatment, ColumnTreatment::kPseudonymise);  // PSEUDONYMIZE
  ASSERT_TRUE(e.extract.has_value());
  EXPECT_THAT(e.extract->quasi_identifiers, ElementsAre("age_band", "sex"));
  EXPECT_EQ(e.extract->k, 5);
  EXPECT_FALSE(e.rules.has_value());
}

TEST(PolicyRelease, ParsesJson) {
  auto p = Policy::FromText(R"({"schema": "gdprkit.v1", "releases": [{"id": "x",
      "columns": [{"name": "a", "treatment": "GENERALIZE", "level": 2}],
      "extract": {"quasiIdentifiers": ["a"], "k": 3}, "maxAge": "P1Y"}]})",
                            PolicyFormat::kJson, "p.json");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ((*p)->releases().size(), 1u);
  const Release& r = (*p)->releases()[0];
  EXPECT_EQ(r.columns[0].treatment, ColumnTreatment::kGeneralise);
  EXPECT_EQ(r.columns[0].level, 2);
  EXPECT_EQ(r.extract->k, 3);
  EXPECT_EQ(r.max_age, "P1Y");
}

TEST(PolicyRelease, AnUnknownFieldIsALoadErrorWithTheNearest) {
  auto p = Policy::FromText("releases { id: \"x\" max_ages: \"P5Y\" }", PolicyFormat::kTextProto,
                            "p.textproto");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("p.textproto:1:"));
  EXPECT_THAT(p.status().message(), HasSubstr("max_age"));
  auto q = Policy::FromText("releases { columns { name: \"a\" treatment: SCRAMBLE } }",
                            PolicyFormat::kTextProto, "q.textproto");
  EXPECT_FALSE(q.ok());
}

TEST(PolicyRelease, GetReleaseAnswersNotFoundWithTheNearest) {
  auto p = Load(absl::StrCat(kTable, kExtract));
  ASSERT_NE(p, nullptr);
  auto r = p->GetRelease("research-extract");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->id, "research-extract");
  EXPECT_EQ(p->FindRelease("cluster-view"), &p->releases()[0]);
  EXPECT_EQ(p->FindRelease("x"), nullptr);
  auto miss = p->GetRelease("cluster-veiw");
  ASSERT_FALSE(miss.ok());
  EXPECT_EQ(miss.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(miss.status().message(),
              HasSubstr("no release \"cluster-veiw\" in policy klynge.textproto; did you mean "
                        "\"cluster-view\""));
}

TEST(PolicyRelease, TreatmentNames) {
  EXPECT_EQ(ColumnTreatmentName(ColumnTreatment::kPseudonymise), "pseudonymise");
  EXPECT_EQ(ColumnTreatmentName(ColumnTreatment::kUnknown), "unknown");
  EXPECT_EQ(*ParseColumnTreatment("generalize"), ColumnTreatment::kGeneralise);
  EXPECT_EQ(*ParseColumnTreatment("drop"), ColumnTreatment::kDrop);
  auto bad = ParseColumnTreatment("kepe");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("did you mean \"keep\""));
  EXPECT_THAT(ColumnTreatmentNames(),
              ElementsAre("unspecified", "drop", "keep", "pseudonymise", "generalise"));
  EXPECT_EQ(ColumnTreatmentTitle(ColumnTreatment::kDrop, Language::kDanish), "udelades");
  EXPECT_EQ(ColumnTreatmentTitle(ColumnTreatment::kDrop, Language::kEnglish), "dropped");
}

// ---- Each finding -------------------------------------------------------------

TEST(PolicyReleaseFindings, UnknownPurposeNamesTheNearestAndTheLine) {
  const std::string text =
      Table("purpose: \"provider-level-statistics\"", "purpose: \"provider-level-statistic\"");
  const auto findings = ReleaseFindings(text);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.code, "release-unknown-purpose");
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.field, "releases[0].purpose");
  EXPECT_EQ(f.line, LineIn(text, "purpose: \"provider-level-statistic\""));
  EXPECT_EQ(f.file, "klynge.textproto");
  EXPECT_THAT(f.message, HasSubstr("release \"cluster-view\""));
  EXPECT_THAT(f.message, HasSubstr("did you mean \"provider-level-statistics\""));
  EXPECT_THAT(Codes(Table("purpose: \"provider-level-statistics\"\n", "")),
              ElementsAre("release-unknown-purpose"));
}

TEST(PolicyReleaseFindings, FindingsCarryTheReleasesPurpose) {
  const auto findings = ReleaseFindings(Table("level: 1", "level: 0"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].purpose_id, "provider-level-statistics");
}

TEST(PolicyReleaseFindings, DuplicateAndMissingReleaseIds) {
  EXPECT_THAT(Codes(absl::StrCat(kTable, kTable)), ElementsAre("duplicate-id"));
  EXPECT_THAT(Codes(Table("id: \"cluster-view\"", "")), ElementsAre("missing-id"));
}

TEST(PolicyReleaseFindings, Columns) {
  EXPECT_THAT(Codes(Table("name: \"note\"", "name: \"practice\"")),
              ElementsAre("release-duplicate-column"));
  EXPECT_THAT(Codes(Table("name: \"note\" ", "")), ElementsAre("release-column-without-name"));
  EXPECT_THAT(Codes(Table("name: \"practice\" treatment: KEEP", "name: \"practice\"")),
              ElementsAre("release-column-without-treatment"));
  EXPECT_THAT(Codes(Table("name: \"practice\" treatment: KEEP", "name: \"practice\" treatment: 7")),
              ElementsAre("release-column-without-treatment"));
}

TEST(PolicyReleaseFindings, IdentifierKinds) {
  const std::string text = Table("kind: \"ydernummer\"", "kind: \"ydrenummer\"");
  const auto findings = ReleaseFindings(text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "release-unknown-id-kind");
  EXPECT_EQ(findings[0].field, "releases[0].columns[1].kind");
  EXPECT_EQ(findings[0].line, LineIn(text, "ydrenummer"));
  EXPECT_THAT(findings[0].message, HasSubstr("did you mean"));
  // A known alias and a name in upper case are accepted.
  EXPECT_THAT(Codes(Table("kind: \"ydernummer\"", "kind: \"PROVIDER_NUMBER\"")), IsEmpty());
}

TEST(PolicyReleaseFindings, PseudonymiseNeedsDomainAndKind) {
  EXPECT_THAT(Codes(Table(" domain: \"klynge\"", "")),
              ElementsAre("release-pseudonymise-incomplete"));
  EXPECT_THAT(Codes(Table(" kind: \"ydernummer\"", "")),
              ElementsAre("release-pseudonymise-incomplete"));
  const auto f = ReleaseFindings(Table(" kind: \"ydernummer\" domain: \"klynge\"", ""));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].message, HasSubstr("no vault domain and no identifier kind"));
}

TEST(PolicyReleaseFindings, GeneraliseNeedsHierarchyAndLevel) {
  EXPECT_THAT(Codes(Table(" hierarchy: \"age\" level: 1", " level: 1")),
              ElementsAre("release-generalise-incomplete"));
  EXPECT_THAT(Codes(Table(" level: 1", "")), ElementsAre("release-generalise-incomplete"));
  EXPECT_THAT(Codes(Table("level: 1", "level: 0")), ElementsAre("release-generalise-incomplete"));
  EXPECT_THAT(Codes(Table("hierarchy: \"age\" level", "hierarchy: \"ages\" level")),
              ElementsAre("release-unknown-hierarchy"));
  EXPECT_THAT(Codes(Table("column: \"practice\" hierarchy: \"practice\"",
                          "column: \"practice\" hierarchy: \"practise\"")),
              ElementsAre("release-unknown-hierarchy"));
}

TEST(PolicyReleaseFindings, Hierarchies) {
  EXPECT_THAT(Codes(Table("file: \"../tables/practice.hrc\"", "")),
              ElementsAre("release-invalid-hierarchy"));
  EXPECT_THAT(
      Codes(Table("file: \"../tables/practice.hrc\"", "file: \"p.hrc\" codes { code: \"Total\" }")),
      ElementsAre("release-invalid-hierarchy"));
  EXPECT_THAT(Codes(Table("name: \"practice\" file", "name: \"age\" file")),
              ElementsAre("release-invalid-hierarchy", "release-unknown-hierarchy"));
  EXPECT_THAT(Codes(Table("name: \"practice\" file", "file")),
              ElementsAre("release-invalid-hierarchy", "release-unknown-hierarchy"));
}

TEST(PolicyReleaseFindings, FreeTextOnlyOnKeptColumns) {
  EXPECT_THAT(Codes(Table("name: \"note\" treatment: KEEP", "name: \"note\" treatment: DROP")),
              ElementsAre("release-free-text-not-kept"));
}

TEST(PolicyReleaseFindings, AnIdentifierKeptInClear) {
  const auto f =
      ReleaseFindings(Table("treatment: PSEUDONYMISE kind: \"ydernummer\" domain: \"klynge\"",
                            "treatment: KEEP kind: \"ydernummer\""));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "release-identifier-in-clear");
  EXPECT_THAT(f[0].message, HasSubstr("provider_number"));
  // Generalised, an identifier column may leave (provider number -> cluster).
  EXPECT_THAT(Codes(Table("treatment: PSEUDONYMISE kind: \"ydernummer\" domain: \"klynge\"",
                          "treatment: GENERALISE kind: \"ydernummer\" hierarchy: \"practice\" "
                          "level: 2")),
              IsEmpty());
}

TEST(PolicyReleaseFindings, CprNumbersMustBeDroppedOrPseudonymised) {
  EXPECT_THAT(Codes(Extract("treatment: PSEUDONYMIZE kind: \"cpr\" domain: \"research\"",
                            "treatment: DROP")),
              ElementsAre("release-national-id-not-removed"));
  EXPECT_THAT(Codes(Extract("treatment: PSEUDONYMIZE kind: \"cpr\" domain: \"research\"",
                            "treatment: DROP kind: \"cpr\"")),
              IsEmpty());
  // A purpose without CPR numbers needs no CPR column.
  EXPECT_THAT(Codes(Table("kind: \"cpr\"", "")), IsEmpty());
}

TEST(PolicyReleaseFindings, ExactlyOneOfTableAndExtract) {
  EXPECT_THAT(
      Codes(Extract("  extract {", "  table { dimensions { column: \"sex\" } }\n  extract {")),
      ElementsAre("release-table-or-extract"));
  EXPECT_THAT(Codes(Extract("extract { quasi_identifiers: \"age_band\" quasi_identifiers: \"sex\" "
                            "k: 5 }",
                            "")),
              ElementsAre("release-table-or-extract"));
}

TEST(PolicyReleaseFindings, TableColumns) {
  EXPECT_THAT(Codes(Table("    dimensions { column: \"age\" }\n", "")), IsEmpty());
  EXPECT_THAT(Codes(Table("dimensions { column: \"practice\" hierarchy: \"practice\" }\n    "
                          "dimensions { column: \"age\" }",
                          "")),
              ElementsAre("release-table-without-dimensions"));
  const auto f = ReleaseFindings(Table("column: \"age\"", "column: \"agee\""));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "release-undeclared-column");
  EXPECT_EQ(f[0].field, "releases[0].table.dimensions[1]");
  EXPECT_THAT(f[0].message, HasSubstr("did you mean \"age\""));
  EXPECT_THAT(Codes(Table("column: \"age\"", "column: \"registered\"")),
              ElementsAre("release-column-dropped"));
  // A pseudonymised dimension is the cluster view's table per provider.
  EXPECT_THAT(Codes(Table("column: \"age\"", "column: \"provider_number\"")), IsEmpty());
  EXPECT_THAT(Codes(Table("dimensions { column: \"age\" }",
                          "dimensions { column: \"age\" }\n    value: \"visits\"")),
              ElementsAre("release-undeclared-column"));
  EXPECT_THAT(Codes(Table("dimensions { column: \"age\" }",
                          "dimensions { column: \"age\" }\n    value: \"patient_cpr\"")),
              ElementsAre("release-column-dropped"));
}

TEST(PolicyReleaseFindings, ExtractColumnsAndK) {
  EXPECT_THAT(Codes(Extract("quasi_identifiers: \"sex\"", "quasi_identifiers: \"gender\"")),
              ElementsAre("release-undeclared-column"));
  EXPECT_THAT(Codes(Extract("name: \"sex\" treatment: KEEP", "name: \"sex\" treatment: DROP")),
              ElementsAre("release-column-dropped"));
  EXPECT_THAT(Codes(Extract("quasi_identifiers: \"age_band\" quasi_identifiers: \"sex\" ", "")),
              ElementsAre("release-no-quasi-identifiers"));
  EXPECT_THAT(Codes(Extract(" k: 5", "")), ElementsAre("release-invalid-k"));
  EXPECT_THAT(Codes(Extract("k: 5", "k: 1")), ElementsAre("release-invalid-k"));
  EXPECT_THAT(Codes(Extract("k: 5", "k: -3")), ElementsAre("release-invalid-k"));
  const auto f = ReleaseFindings(Extract("k: 5", "k: 3"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "release-k-below-five");
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].field, "releases[0].extract.k");
  EXPECT_THAT(Codes(Extract("k: 5", "k: 2")), ElementsAre("release-k-below-five"));
}

TEST(PolicyReleaseFindings, MaximumAge) {
  for (const char* bad : {"5Y", "P5y", "P-5Y", "PT5H", "P0D", "P"}) {
    const auto f =
        ReleaseFindings(Table("max_age: \"P5Y\"", absl::StrCat("max_age: \"", bad, "\"")));
    ASSERT_EQ(f.size(), 1u) << bad;
    EXPECT_EQ(f[0].code, "release-invalid-max-age") << bad;
    EXPECT_EQ(f[0].field, "releases[0].max_age");
  }
  EXPECT_THAT(Codes(Table("max_age: \"P5Y\"", "max_age: \"P4Y11M2W3D\"")), IsEmpty());
  EXPECT_THAT(Codes(Table("date_column: \"registered\"", "")),
              ElementsAre("release-max-age-without-date-column"));
  EXPECT_THAT(Codes(Table("max_age: \"P5Y\"", "")),
              ElementsAre("release-date-column-without-max-age"));
  EXPECT_THAT(Codes(Table("date_column: \"registered\"", "date_column: \"registred\"")),
              ElementsAre("release-undeclared-column"));
  // A DROP column may be the date column: it is used, not released.
  EXPECT_THAT(Codes(kTable), IsEmpty());
}

TEST(PolicyReleaseFindings, PrimaryRules) {
  EXPECT_THAT(Codes(Table("threshold: 5", "threshold: 0")),
              ElementsAre("release-invalid-threshold"));
  EXPECT_THAT(Codes(Table("dominance { n: 1 k: 80 }", "dominance { n: 0 k: 80 }")),
              ElementsAre("release-invalid-dominance"));
  EXPECT_THAT(Codes(Table("dominance { n: 1 k: 80 }", "dominance { n: 2 k: 120 }")),
              ElementsAre("release-invalid-dominance"));
  EXPECT_THAT(Codes(Table("p_percent: 10", "p_percent: 100")),
              ElementsAre("release-invalid-p-percent"));
  EXPECT_THAT(Codes(Table("p_percent: 10", "p_percent: 10 q_percent: 0")),
              ElementsAre("release-invalid-p-percent"));
  EXPECT_THAT(Codes(Table("p_percent: 10", "manual_percent: -1")),
              ElementsAre("release-invalid-rule-value"));
  // Rules unset: the suppression defaults (threshold 5).
  EXPECT_THAT(Codes(Table("rules { threshold: 5 dominance { n: 1 k: 80 } p_percent: 10 }", "")),
              IsEmpty());
}

TEST(PolicyReleaseFindings, EveryReleaseCodeIsInTheTableWithItsSeverity) {
  const std::vector<std::string> errors = {"release-unknown-purpose",
                                           "release-column-without-name",
                                           "release-duplicate-column",
                                           "release-column-without-treatment",
                                           "release-unknown-id-kind",
                                           "release-pseudonymise-incomplete",
                                           "release-generalise-incomplete",
                                           "release-unknown-hierarchy",
                                           "release-invalid-hierarchy",
                                           "release-free-text-not-kept",
                                           "release-table-or-extract",
                                           "release-table-without-dimensions",
                                           "release-undeclared-column",
                                           "release-column-dropped",
                                           "release-invalid-k",
                                           "release-no-quasi-identifiers",
                                           "release-invalid-max-age",
                                           "release-max-age-without-date-column",
                                           "release-date-column-without-max-age",
                                           "release-invalid-threshold",
                                           "release-invalid-dominance",
                                           "release-invalid-p-percent",
                                           "release-invalid-rule-value",
                                           "release-identifier-in-clear",
                                           "release-national-id-not-removed"};
  for (const std::string& code : errors) {
    auto info = GetFindingCode(code);
    ASSERT_TRUE(info.ok()) << code;
    EXPECT_EQ((*info)->severity, Severity::kError) << code;
    EXPECT_NE((*info)->title_da, (*info)->title) << code;
  }
  auto warning = GetFindingCode("release-k-below-five");
  ASSERT_TRUE(warning.ok());
  EXPECT_EQ((*warning)->severity, Severity::kWarning);
}

TEST(PolicyReleaseFindings, ErrorsComeBeforeWarnings) {
  auto p = Load(absl::StrCat(Extract("k: 5", "k: 3"), Table("threshold: 5", "threshold: 0")));
  ASSERT_NE(p, nullptr);
  const auto findings = p->Validate();
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].code, "release-invalid-threshold");
  EXPECT_EQ(findings[0].field, "releases[1].rules.threshold");
  EXPECT_EQ(findings[1].code, "release-k-below-five");
  EXPECT_FALSE(p->IsValid());
}

}  // namespace
}  // namespace gdprkit
