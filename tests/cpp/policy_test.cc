#include "gdprkit/policy.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr char kMinimal[] = R"pb(
  schema: "gdprkit.v1"
  controller { name: "Example practice" }
  teams { id: "data" title: "Data consultants" roles: "consultant" roles: "lead" }
  teams { id: "medicine" title: "Medicine consultants" }
  retention_rules { id: "r15m" description: "15 months after the provider number ends" }
  purposes {
    id: "case-handling"
    title: "Case handling"
    categories: "contact"
    categories: "professional.provider_number"
    data_subjects: "general practitioners"
    basis: "A6-1-b"
    access { team: "data" }
    retention: "r15m"
  }
  purposes {
    id: "medicine-review"
    title: "Medicine review"
    categories: "professional.provider_number"
    data_subjects: "general practitioners"
    basis: "A6-1-b"
    access { team: "medicine" }
    access { team: "data" roles: "lead" }
    retention: "r15m"
  }
)pb";

std::shared_ptr<const Policy> MustLoad(const std::string& text,
                                       PolicyFormat format = PolicyFormat::kAuto) {
  auto p = Policy::FromText(text, format, "test.textproto");
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *p : nullptr;
}

std::vector<std::string> Codes(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.code);
  return out;
}

// The first finding with `code`, copied (callers often pass a temporary).
std::optional<Finding> FindingWithCode(const std::vector<Finding>& findings,
                                       const std::string& code) {
  for (const Finding& f : findings) {
    if (f.code == code) return f;
  }
  return std::nullopt;
}

// A purpose with the given body, inside an otherwise clean policy.
std::string WithPurpose(const std::string& body) {
  return std::string(R"pb(
           controller { name: "C" }
           teams { id: "t" }
           retention_rules { id: "r" }
           purposes { id: "p" data_subjects: "patients"
                      access { team: "t" }
                      retention: "r")pb") +
         body + " }";
}

TEST(PolicyLoad, MinimalPolicyIsValid) {
  auto p = MustLoad(kMinimal);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->purposes().size(), 2u);
  EXPECT_EQ(p->purposes()[0].id, "case-handling");
  EXPECT_EQ(p->purposes()[0].basis, std::vector<std::string>{"A6-1-b"});
  EXPECT_EQ(p->purposes()[0].line, 7);
  EXPECT_TRUE(p->IsValid());
  EXPECT_THAT(Codes(p->Validate()), ::testing::IsEmpty());
}

TEST(PolicyLoad, SyntaxErrorNamesFileLineAndColumn) {
  auto p = Policy::FromText("controller { name: \"x\" }\npurposes { id: \"a\" \n",
                            PolicyFormat::kTextProto, "bad.textproto");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(p.status().message()), HasSubstr("bad.textproto:3:"));
}

TEST(PolicyLoad, TruncatedFileSaysSoInsteadOfNamingNothing) {
  auto p = Policy::FromText("purposes {\n  id: ", PolicyFormat::kTextProto, "cut.textproto");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()),
              HasSubstr("cut.textproto:2:7: Expected string, got: the end of the file"));
}

TEST(PolicyLoad, UnknownFieldSuggestsNearestField) {
  auto p = Policy::FromText("purposes {\n  id: \"a\"\n  bassis: \"A6-1-b\"\n}\n",
                            PolicyFormat::kTextProto, "f.textproto");
  ASSERT_FALSE(p.ok());
  const std::string msg(p.status().message());
  EXPECT_THAT(msg, AllOf(HasSubstr("f.textproto:3:"), HasSubstr("bassis"), HasSubstr("basis")));
}

TEST(PolicyLoad, EmptyAndBinaryInputAreRefused) {
  for (const std::string& text :
       {std::string(""), std::string("  \n\t "), std::string("\x00\x01\x02", 3),
        std::string("id: \"\xff\xfe\"")}) {
    auto p = Policy::FromText(text, PolicyFormat::kAuto, "in");
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(p.status().message()), HasSubstr("in"));
  }
}

TEST(PolicyLoad, HugeInputIsRefused) {
  std::string huge(Policy::kMaxPolicyBytes + 1, ' ');
  auto p = Policy::FromText(huge);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(PolicyLoad, JsonGivesTheSamePolicyWithLines) {
  const std::string json = R"({
  "schema": "gdprkit.v1",
  "controller": {"name": "C"},
  "teams": [{"id": "t"}],
  "retentionRules": [{"id": "r"}],
  "purposes": [
    {"id": "p", "dataSubjects": ["patients"], "categories": ["contact"],
     "basis": ["A6-1-b", "A6-1-x"], "access": [{"team": "t"}], "retention": "r"}
  ]
})";
  auto p = MustLoad(json);
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->purposes().size(), 1u);
  EXPECT_EQ(p->purposes()[0].data_subjects, std::vector<std::string>{"patients"});
  const auto findings = p->Validate();
  std::optional<Finding> f = FindingWithCode(findings, "unknown-basis");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->line, 8);
  EXPECT_EQ(f->field, "purposes[0].basis[1]");
}

TEST(PolicyLoad, JsonSyntaxErrorHasLine) {
  auto p = Policy::FromText("{\n  \"purposes\": [\n    {\"id\": \"a\",}\n  ]\n}",
                            PolicyFormat::kJson, "p.json");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()), HasSubstr("p.json:3:"));
}

TEST(PolicyLoad, JsonUnknownFieldIsNamed) {
  auto p = Policy::FromText("{\n  \"purposes\": [\n    {\"id\": \"a\", \"bassis\": []}\n  ]\n}",
                            PolicyFormat::kJson, "p.json");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()), AllOf(HasSubstr("p.json"), HasSubstr("bassis")));
}

TEST(PolicyLoad, JsonNestingIsBounded) {
  std::string deep(10000, '[');
  auto p = Policy::FromText(deep, PolicyFormat::kJson, "deep.json");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()), HasSubstr("nested too deeply"));
}

TEST(PolicyLoad, MissingFileIsNotFound) {
  auto p = Policy::Load("/nonexistent/policy.textproto");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(p.status().message()), HasSubstr("/nonexistent/policy.textproto"));
}

TEST(PolicyLoad, DirectoryIsRefused) {
  auto p = Policy::Load("/tmp");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PolicyLoad, FormatFollowsExtension) {
  const std::string path = ::testing::TempDir() + "/policy_ext_test.json";
  {
    std::ofstream out(path);
    out << R"({"controller": {"name": "C"}, "purposes": [{"id": "p"}]})";
  }
  auto p = Policy::Load(path);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->purposes()[0].id, "p");
  std::remove(path.c_str());
}

// A UTF-8 byte-order mark (Notepad's and Excel's "UTF-8") at the start of a
// policy is skipped by the core, in text and from a file, whatever the format:
// the policy, its findings and their lines are those of the file without it.
constexpr char kBom[] = "\xEF\xBB\xBF";

TEST(PolicyLoad, ALeadingByteOrderMarkIsSkipped) {
  const std::string json = R"({"controller": {"name": "C"},
  "purposes": [{"id": "p", "basis": ["A6-1-x"]}]})";
  const std::vector<std::pair<std::string, PolicyFormat>> inputs = {
      {kMinimal, PolicyFormat::kAuto},
      {kMinimal, PolicyFormat::kTextProto},
      {json, PolicyFormat::kAuto},
      {json, PolicyFormat::kJson}};
  for (const auto& [text, format] : inputs) {
    auto plain = Policy::FromText(text, format, "p");
    auto marked = Policy::FromText(kBom + text, format, "p");
    ASSERT_TRUE(plain.ok()) << plain.status();
    ASSERT_TRUE(marked.ok()) << marked.status();
    ASSERT_EQ((*marked)->purposes().size(), (*plain)->purposes().size());
    EXPECT_EQ((*marked)->purposes()[0].id, (*plain)->purposes()[0].id);
    const std::vector<Finding> a = (*plain)->Validate(), b = (*marked)->Validate();
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].code, b[i].code);
      EXPECT_EQ(a[i].line, b[i].line);
      EXPECT_EQ(a[i].message, b[i].message);
    }
  }
  // An error after the mark names the line and column of the file without it.
  for (const std::string text :
       {"controller {\n  nme: \"C\" }", "controller { nme: \"C\" }",
        "{\"controller\": {\n \"nme\": \"C\"}}", "{\"controller\": {,}}"}) {
    auto plain = Policy::FromText(text, PolicyFormat::kAuto, "bad");
    auto marked = Policy::FromText(kBom + text, PolicyFormat::kAuto, "bad");
    ASSERT_FALSE(plain.ok());
    ASSERT_FALSE(marked.ok());
    EXPECT_EQ(marked.status(), plain.status());
  }
}

TEST(PolicyLoad, ByteOrderMarkFromAFile) {
  struct File {
    std::string name;
    std::string content;
    int line;  // of the purpose
  };
  const std::string json = R"({"controller": {"name": "C"}, "purposes": [{"id": "p"}]})";
  const std::string text = "controller { name: \"C\" }\npurposes { id: \"p\" }\n";
  for (const File& f :
       {File{"bom_policy_test.textproto", text, 2}, File{"bom_policy_test.json", json, 1},
        File{"bom_policy_test.policy", text, 2},  // format by content
        File{"bom_policy_test.cfg", json, 1}}) {
    const std::string path = ::testing::TempDir() + "/" + f.name;
    {
      std::ofstream out(path, std::ios::binary);
      out << kBom << f.content;
    }
    auto p = Policy::Load(path);
    ASSERT_TRUE(p.ok()) << f.name << ": " << p.status();
    EXPECT_EQ((*p)->purposes()[0].id, "p");
    EXPECT_EQ((*p)->purposes()[0].line, f.line) << f.name;
    std::remove(path.c_str());
  }
}

TEST(PolicyLoad, OnlyOneLeadingByteOrderMarkIsSkipped) {
  // Two marks, or one further on, are not part of any policy syntax.
  for (const std::string& text :
       {std::string(kBom) + kBom + "controller { name: \"C\" }",
        std::string("controller { name: \"C\" }\n") + kBom + "purposes { id: \"p\" }",
        std::string(kBom) + kBom + "{\"controller\": {\"name\": \"C\"}}"}) {
    auto p = Policy::FromText(text, PolicyFormat::kAuto, "twice");
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(p.status().message()), HasSubstr("twice"));
  }
  // A mark and nothing else is an empty policy.
  auto empty = Policy::FromText(std::string(kBom) + " \n", PolicyFormat::kAuto, "blank");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Validate, UnknownCodeNamesNearestValidCodes) {
  auto p = MustLoad(WithPurpose(R"(categories: "contact" basis: "A6-1-g")"));
  const auto findings = p->Validate();
  std::optional<Finding> f = FindingWithCode(findings, "unknown-basis");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->severity, Severity::kError);
  EXPECT_EQ(f->purpose_id, "p");
  EXPECT_THAT(f->message, AllOf(HasSubstr("\"A6-1-g\""), HasSubstr("A6-1-a")));
  EXPECT_GT(f->line, 0);
}

TEST(Validate, SpecialCategoryNeedsArt9Condition) {
  auto p = MustLoad(WithPurpose(R"(categories: "health.diagnosis" basis: "A6-1-b")"));
  EXPECT_TRUE(FindingWithCode(p->Validate(), "special-category-without-condition").has_value());
  auto ok = MustLoad(WithPurpose(
      R"(categories: "health.diagnosis" basis: "A6-1-b" basis: "A9-2-h" basis: "A9-3")"));
  EXPECT_THAT(Codes(ok->Validate()), ::testing::IsEmpty());
  auto dbl = MustLoad(WithPurpose(R"(categories: "health" basis: "A6-1-b" basis: "DK-DBL-7-3")"));
  EXPECT_THAT(Codes(dbl->Validate()), ::testing::IsEmpty());
}

TEST(Validate, Art9ConditionAloneIsNotAnArt6Basis) {
  auto p = MustLoad(WithPurpose(R"(categories: "health" basis: "A9-2-h" basis: "A9-3")"));
  EXPECT_TRUE(FindingWithCode(p->Validate(), "missing-art6-basis").has_value());
}

TEST(Validate, Art9HWithoutSecrecyIsWarned) {
  auto p = MustLoad(WithPurpose(R"(categories: "health" basis: "A6-1-b" basis: "A9-2-h")"));
  std::optional<Finding> f = FindingWithCode(p->Validate(), "art9-2-h-without-secrecy");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->severity, Severity::kWarning);
}

TEST(Validate, CriminalDataNeedsArt10OrDbl8) {
  auto p = MustLoad(WithPurpose(R"(categories: "criminal.record_extract" basis: "A6-1-b")"));
  EXPECT_TRUE(FindingWithCode(p->Validate(), "criminal-data-without-ground").has_value());
  auto ok = MustLoad(
      WithPurpose(R"(categories: "criminal.record_extract" basis: "A6-1-b" basis: "DK-DBL-8-3")"));
  EXPECT_FALSE(FindingWithCode(ok->Validate(), "criminal-data-without-ground").has_value());
}

TEST(Validate, CprNeedsDbl11) {
  auto p = MustLoad(WithPurpose(R"(categories: "identity.cpr" basis: "A6-1-c")"));
  std::optional<Finding> f = FindingWithCode(p->Validate(), "cpr-without-dbl-11");
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->message, HasSubstr("§ 11"));
  auto ok =
      MustLoad(WithPurpose(R"(categories: "identity.cpr" basis: "A6-1-c" basis: "DK-DBL-11-2-1")"));
  EXPECT_THAT(Codes(ok->Validate()), ::testing::IsEmpty());
}

TEST(Validate, DeclaredReferenceCanGroundCpr) {
  auto p = MustLoad(
      std::string(R"pb(
        references {
          code: "DK-BEK-530-2018"
          title: "Journalføringsbekendtgørelsen"
          effects: NATIONAL_ID
          effects: LEGAL_OBLIGATION
        }
      )pb") +
      WithPurpose(R"(categories: "identity.cpr" basis: "A6-1-c" basis: "DK-BEK-530-2018")"));
  EXPECT_THAT(Codes(p->Validate()), ::testing::IsEmpty());
}

TEST(Validate, LegitimateInterestNeedsBalancingTest) {
  auto p = MustLoad(WithPurpose(R"(categories: "online.usage" basis: "A6-1-f")"));
  EXPECT_TRUE(
      FindingWithCode(p->Validate(), "legitimate-interest-without-balancing-test").has_value());
  auto ok = MustLoad(WithPurpose(
      R"(categories: "online.usage" basis: "A6-1-f" legitimate_interest { interest: "x" assessment: "y" })"));
  EXPECT_THAT(Codes(ok->Validate()), ::testing::IsEmpty());
}

TEST(Validate, ConsentNeedsRecordAndWithdrawal) {
  auto p =
      MustLoad(WithPurpose(R"(categories: "contact" basis: "A6-1-a" consent { record: "form" })"));
  std::optional<Finding> f = FindingWithCode(p->Validate(), "consent-without-mechanism");
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->message, HasSubstr("withdraw"));
  auto ok = MustLoad(WithPurpose(
      R"(categories: "contact" basis: "A6-1-a" consent { record: "form" withdrawal: "mail" })"));
  EXPECT_THAT(Codes(ok->Validate()), ::testing::IsEmpty());
}

TEST(Validate, RetentionRuleMustExist) {
  auto none = MustLoad(R"(controller { name: "C" }
    purposes { id: "p" categories: "contact" data_subjects: "x" basis: "A6-1-b" })");
  EXPECT_TRUE(FindingWithCode(none->Validate(), "missing-retention").has_value());
  auto unknown = MustLoad(R"(controller { name: "C" } retention_rules { id: "r15m" }
    purposes { id: "p" categories: "contact" data_subjects: "x" basis: "A6-1-b" retention: "r15" })");
  std::optional<Finding> f = FindingWithCode(unknown->Validate(), "unknown-retention-rule");
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->message, HasSubstr("r15m"));
}

TEST(Validate, DuplicateIdsAreErrors) {
  auto p = MustLoad(R"(controller { name: "C" }
    teams { id: "t" } teams { id: "t" }
    purposes { id: "p" } purposes { id: "p" })");
  int duplicates = 0;
  for (const Finding& f : p->Validate()) duplicates += f.code == "duplicate-id";
  EXPECT_EQ(duplicates, 2);
}

TEST(Validate, CategoryHierarchy) {
  auto p = MustLoad(
      std::string(R"pb(
        categories { key: "health.bloodpressure" title: "Blood pressure" }
        categories { key: "health.bloodpressure.systolic" }
        categories { key: "nowhere.child" }
        categories { key: "Bad Key" }
        categories { key: "contact" }
      )pb") +
      WithPurpose(
          R"(categories: "health.bloodpressure.systolic" categories: "helth" basis: "A6-1-b")"));
  const DataCategory* c = p->FindCategory("health.bloodpressure.systolic");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->flags & kCategorySpecial) << "children inherit the special marking";
  const auto findings = p->Validate();
  EXPECT_TRUE(FindingWithCode(findings, "orphan-category").has_value());
  EXPECT_TRUE(FindingWithCode(findings, "invalid-category-key").has_value());
  EXPECT_TRUE(FindingWithCode(findings, "duplicate-id").has_value());
  std::optional<Finding> unknown = FindingWithCode(findings, "unknown-category");
  ASSERT_TRUE(unknown.has_value());
  EXPECT_THAT(unknown->message, HasSubstr("\"health\""));
  EXPECT_TRUE(FindingWithCode(findings, "special-category-without-condition").has_value());
  EXPECT_EQ(p->PurposesUsing("health.bloodpressure.systolic").size(), 1u);
  EXPECT_EQ(p->PurposesUsing("health").size(), 1u)
      << "a purpose listing a child uses the parent's data";
  EXPECT_EQ(p->PurposesUsing("contact").size(), 0u);
}

TEST(Validate, UnknownTeamAndRole) {
  auto p = MustLoad(R"(controller { name: "C" } teams { id: "data" roles: "lead" }
    retention_rules { id: "r" }
    purposes { id: "p" categories: "contact" data_subjects: "x" basis: "A6-1-b" retention: "r"
               access { team: "dta" } access { team: "data" roles: "leader" } })");
  const auto findings = p->Validate();
  std::optional<Finding> team = FindingWithCode(findings, "unknown-team");
  ASSERT_TRUE(team.has_value());
  EXPECT_THAT(team->message, HasSubstr("\"data\""));
  EXPECT_TRUE(FindingWithCode(findings, "unknown-role").has_value());
}

TEST(Validate, ThirdCountryTransferNeedsBasis) {
  auto p = MustLoad(WithPurpose(
      R"(categories: "contact" basis: "A6-1-b" recipients { name: "Cloud Inc" kind: PROCESSOR country: "US" })"));
  EXPECT_TRUE(FindingWithCode(p->Validate(), "transfer-without-basis").has_value());
}

TEST(Validate, ErrorsComeFirst) {
  auto p = MustLoad(R"(purposes { id: "p" basis: "A6-1-z" })");
  const auto findings = p->Validate();
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings.front().severity, Severity::kError);
  for (std::size_t i = 1; i < findings.size(); ++i) {
    EXPECT_GE(findings[i - 1].severity, findings[i].severity);
  }
}

std::vector<std::string> Applicable(const Policy& p, const std::string& purpose) {
  std::vector<std::string> out;
  auto rights = p.Rights(purpose);
  EXPECT_TRUE(rights.ok()) << rights.status();
  for (const RightAssessment& r : *rights) {
    if (r.applies) out.emplace_back(GetRightInfo(r.right).code);
  }
  return out;
}

const RightAssessment& Assessment(const std::vector<RightAssessment>& rights, Right r) {
  return *std::find_if(rights.begin(), rights.end(),
                       [r](const RightAssessment& a) { return a.right == r; });
}

TEST(Rights, LegitimateInterestAllowsObjectionNotPortability) {
  auto p = MustLoad(WithPurpose(R"(categories: "online.usage" basis: "A6-1-f")"));
  const auto applicable = Applicable(*p, "p");
  EXPECT_THAT(applicable, ::testing::Contains("A21"));
  EXPECT_THAT(applicable, ::testing::Not(::testing::Contains("A20")));
  EXPECT_THAT(applicable, ::testing::Not(::testing::Contains("A7-3")));
  auto rights = *p->Rights("p");
  EXPECT_THAT(Assessment(rights, Right::kPortability).reason, HasSubstr("Art. 20(1)(a)"));
}

TEST(Rights, ConsentAllowsPortabilityAndWithdrawal) {
  auto p = MustLoad(WithPurpose(R"(categories: "contact" basis: "A6-1-a")"));
  const auto applicable = Applicable(*p, "p");
  EXPECT_THAT(applicable, ::testing::IsSupersetOf({"A17", "A20", "A7-3"}));
  EXPECT_THAT(applicable, ::testing::Not(::testing::Contains("A21")));
}

TEST(Rights, LegalObligationExcludesErasure) {
  auto p = MustLoad(WithPurpose(
      R"(categories: "health.record" basis: "A6-1-b" basis: "A6-1-c" basis: "A9-2-h")"));
  auto rights = *p->Rights("p");
  const RightAssessment& erasure = Assessment(rights, Right::kErasure);
  EXPECT_FALSE(erasure.applies);
  EXPECT_THAT(erasure.reason, HasSubstr("Art. 17(3)(b)"));
  EXPECT_TRUE(Assessment(rights, Right::kPortability).applies) << "contract basis";
}

TEST(Rights, PublicTaskExcludesPortabilityAllowsObjection) {
  auto p = MustLoad(WithPurpose(R"(categories: "contact" basis: "A6-1-e")"));
  auto rights = *p->Rights("p");
  EXPECT_FALSE(Assessment(rights, Right::kPortability).applies);
  EXPECT_TRUE(Assessment(rights, Right::kObjection).applies);
  EXPECT_FALSE(Assessment(rights, Right::kErasure).applies);
}

TEST(Rights, NonAutomatedProcessingHasNoPortability) {
  auto p =
      MustLoad(WithPurpose(R"(categories: "contact" basis: "A6-1-b" automated_processing: false)"));
  auto rights = *p->Rights("p");
  EXPECT_THAT(Assessment(rights, Right::kPortability).reason, HasSubstr("20(1)(b)"));
}

TEST(Rights, SourcesDecideArt13And14) {
  auto p = MustLoad(WithPurpose(
      R"(categories: "contact" basis: "A6-1-b" sources { name: "Yderregistret" from_data_subject: false })"));
  const auto applicable = Applicable(*p, "p");
  EXPECT_THAT(applicable, ::testing::Contains("A14"));
  EXPECT_THAT(applicable, ::testing::Not(::testing::Contains("A13")));
}

TEST(Rights, AutomatedDecisions) {
  auto p = MustLoad(
      WithPurpose(R"(categories: "contact" basis: "A6-1-b" automated_decision_making: true)"));
  EXPECT_THAT(Applicable(*p, "p"), ::testing::Contains("A22"));
}

TEST(Rights, EveryRightIsAssessedInOrder) {
  auto p = MustLoad(kMinimal);
  auto rights = p->Rights("case-handling");
  ASSERT_TRUE(rights.ok());
  ASSERT_EQ(rights->size(), kRightCount);
  for (std::size_t i = 0; i < kRightCount; ++i) {
    EXPECT_EQ((*rights)[i].right, kRights[i].right);
    EXPECT_FALSE((*rights)[i].reason.empty());
  }
}

TEST(Rights, UnknownPurposeIsNotFoundWithSuggestion) {
  auto p = MustLoad(kMinimal);
  auto rights = p->Rights("case-handlin");
  ASSERT_FALSE(rights.ok());
  EXPECT_EQ(rights.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(rights.status().message()), HasSubstr("case-handling"));
}

TEST(Access, TeamsAreIsolated) {
  auto p = MustLoad(kMinimal);
  EXPECT_TRUE(*p->MayAccess({"data", "consultant"}, "case-handling"));
  EXPECT_FALSE(*p->MayAccess({"medicine", "consultant"}, "case-handling"));
  EXPECT_TRUE(*p->MayAccess({"medicine", ""}, "medicine-review"));
  EXPECT_FALSE(*p->MayAccess({"data", "consultant"}, "medicine-review"));
  EXPECT_TRUE(*p->MayAccess({"data", "lead"}, "medicine-review"));
  EXPECT_FALSE(*p->MayAccess({"it", ""}, "case-handling"));
  EXPECT_EQ(p->VisiblePurposes({"medicine", ""}).size(), 1u);
}

TEST(Access, BadPrincipalOrPurpose) {
  auto p = MustLoad(kMinimal);
  EXPECT_EQ(p->MayAccess({"", ""}, "case-handling").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p->MayAccess({"data", ""}, "nope").status().code(), absl::StatusCode::kNotFound);
}

TEST(Basis, RegistryHasTheCodesOfTheLaw) {
  for (const char* code : {"A6-1-a", "A6-1-f", "A9-2-a", "A9-2-j", "A10", "DK-DBL-7-3",
                           "DK-DBL-8-3", "DK-DBL-11-2-1", "DK-DBL-12-2"}) {
    EXPECT_NE(FindLegalBasis(code), nullptr) << code;
  }
  EXPECT_EQ(FindLegalBasis("A6-1-g"), nullptr);
  std::vector<std::string_view> seen;
  for (const LegalBasisInfo& b : kLegalBases) {
    EXPECT_EQ(std::count(seen.begin(), seen.end(), b.code), 0) << "duplicate " << b.code;
    seen.push_back(b.code);
    EXPECT_FALSE(b.title.empty());
  }
  EXPECT_EQ(FindRight("A7-3")->right, Right::kWithdrawConsent);
  EXPECT_TRUE(CategoryCovers("health", "health.diagnosis"));
  EXPECT_FALSE(CategoryCovers("health", "healthcare"));
  EXPECT_EQ(ParentCategory("health.diagnosis"), "health");
  EXPECT_EQ(NearestNames("A6-1-g", {"A6-1-f", "A9-2-a", "A6-1-a"}, 1).front(), "A6-1-f");
}

}  // namespace
}  // namespace gdprkit

// --- Issue #10: what the schema could not say before --------------------------------

namespace gdprkit {
namespace {

const RightAssessment* RightIn(const std::vector<RightAssessment>& rights, Right r) {
  for (const RightAssessment& a : rights) {
    if (a.right == r) return &a;
  }
  return nullptr;
}

// Item 1: an Art. 17(3) exception stated by the controller excludes erasure,
// whatever the Art. 6 basis, and is named as the reason.
TEST(PolicyRights, StatedErasureExceptionsApplyWhateverTheBasis) {
  auto p = MustLoad(WithPurpose(
      R"pb(categories: "contact"
           basis: "A6-1-f"
           legitimate_interest { assessment: "x" }
           erasure_exceptions: LEGAL_CLAIMS
           erasure_exceptions: ARCHIVING_RESEARCH_STATISTICS)pb"));
  ASSERT_NE(p, nullptr);
  auto rights = *p->Rights("p");
  const RightAssessment* e = RightIn(rights, Right::kErasure);
  ASSERT_NE(e, nullptr);
  EXPECT_FALSE(e->applies);
  EXPECT_THAT(e->reason, HasSubstr("Art. 17(3)(e)"));
  EXPECT_THAT(e->reason, HasSubstr("Art. 17(3)(d)"));
  EXPECT_THAT(e->reason, HasSubstr("stated for this purpose"));
  // A legal-claims condition of Art. 9 and the stated exception name (e) once.
  auto q = MustLoad(WithPurpose(R"pb(categories: "health"
                                     basis: "A6-1-c"
                                     basis: "A9-2-f"
                                     erasure_exceptions: LEGAL_CLAIMS)pb"));
  ASSERT_NE(q, nullptr);
  const std::string reason = RightIn(*q->Rights("p"), Right::kErasure)->reason;
  EXPECT_EQ(reason.find("17(3)(e)"), reason.rfind("17(3)(e)")) << reason;
}

// Item 2: DBL § 8, stk. 3, 1. pkt. (explicit consent) is consent; 2. pkt. is a
// legitimate interest.
TEST(PolicyRights, Dbl8Stk3SentencesAreConsentOrLegitimateInterest) {
  auto consent = MustLoad(WithPurpose(
      R"pb(categories: "criminal"
           basis: "A6-1-a"
           basis: "DK-DBL-8-3-1"
           consent { record: "r" withdrawal: "w" })pb"));
  ASSERT_NE(consent, nullptr);
  EXPECT_TRUE(consent->IsValid());
  EXPECT_TRUE(RightIn(*consent->Rights("p"), Right::kWithdrawConsent)->applies);
  auto interest = MustLoad(WithPurpose(
      R"pb(categories: "criminal"
           basis: "A6-1-f"
           basis: "DK-DBL-8-3-2"
           legitimate_interest { assessment: "x" })pb"));
  ASSERT_NE(interest, nullptr);
  EXPECT_TRUE(interest->IsValid());
  EXPECT_FALSE(RightIn(*interest->Rights("p"), Right::kWithdrawConsent)->applies);
  EXPECT_TRUE(RightIn(*interest->Rights("p"), Right::kObjection)->applies);
  // The undivided code still grounds criminal data, with a hint to say which.
  auto plain =
      MustLoad(WithPurpose(R"pb(categories: "criminal" basis: "A6-1-b" basis: "DK-DBL-8-3")pb"));
  ASSERT_NE(plain, nullptr);
  EXPECT_TRUE(plain->IsValid());
  EXPECT_TRUE(FindingWithCode(plain->Validate(), "dbl-8-3-which-sentence").has_value());
}

// Item 7: data the organisation is not the controller of; publication;
// direct marketing.
TEST(PolicyRights, NotTheControllerHandsEveryRightToTheController) {
  auto p = MustLoad(WithPurpose(
      R"pb(categories: "health"
           basis: "A6-1-e"
           basis: "A9-2-h"
           basis: "A9-3"
           role: ROLE_NOT_CONTROLLER
           controller_of_data: "borgerens egen læge")pb"));
  ASSERT_NE(p, nullptr);
  auto rights = *p->Rights("p");
  EXPECT_EQ(rights.size(), kRightCount);
  for (const RightAssessment& r : rights) {
    EXPECT_FALSE(r.applies);
    EXPECT_THAT(r.reason, AllOf(HasSubstr("not the controller"), HasSubstr("borgerens egen læge")));
  }
  auto unnamed =
      MustLoad(WithPurpose(R"pb(categories: "contact" basis: "A6-1-b" role: ROLE_PROCESSOR)pb"));
  ASSERT_NE(unnamed, nullptr);
  EXPECT_TRUE(FindingWithCode(unnamed->Validate(), "controller-of-data-missing").has_value());
  EXPECT_THAT(RightIn(*unnamed->Rights("p"), Right::kAccess)->reason, HasSubstr("Art. 28(3)(e)"));
}

TEST(PolicyRights, PublicationAddsArticle17Paragraph2AndIsFlaggedForSensitiveData) {
  auto p = MustLoad(WithPurpose(
      R"pb(categories: "contact"
           basis: "A6-1-b"
           recipients { name: "Statistikdatabasen" kind: PUBLIC })pb"));
  ASSERT_NE(p, nullptr);
  const std::vector<RightAssessment> rights = *p->Rights("p");
  const RightAssessment* e = RightIn(rights, Right::kErasure);
  EXPECT_TRUE(e->applies);
  EXPECT_THAT(e->reason, AllOf(HasSubstr("Art. 17(2)"), HasSubstr("Statistikdatabasen")));
  auto cpr = MustLoad(WithPurpose(
      R"pb(categories: "identity.cpr"
           basis: "A6-1-b"
           basis: "DK-DBL-11-2-3"
           recipients { name: "Hjemmesiden" kind: PUBLIC })pb"));
  ASSERT_NE(cpr, nullptr);
  EXPECT_TRUE(FindingWithCode(cpr->Validate(), "sensitive-data-published").has_value());
  // On the data subject's consent publication can be grounded: no finding.
  auto consented = MustLoad(WithPurpose(
      R"pb(categories: "health"
           basis: "A6-1-a"
           basis: "A9-2-a"
           consent { record: "r" withdrawal: "w" }
           recipients { name: "Hjemmesiden" kind: PUBLIC })pb"));
  ASSERT_NE(consented, nullptr);
  EXPECT_FALSE(FindingWithCode(consented->Validate(), "sensitive-data-published").has_value());
}

TEST(PolicyRights, DirectMarketingCanAlwaysBeObjectedTo) {
  auto p = MustLoad(WithPurpose(
      R"pb(categories: "contact"
           basis: "A6-1-a"
           consent { record: "r" withdrawal: "w" }
           direct_marketing: true)pb"));
  ASSERT_NE(p, nullptr);
  const std::vector<RightAssessment> rights = *p->Rights("p");
  const RightAssessment* o = RightIn(rights, Right::kObjection);
  EXPECT_TRUE(o->applies);
  EXPECT_THAT(o->reason, HasSubstr("Art. 21(2)-(3)"));
  auto bad =
      MustLoad(WithPurpose(R"pb(categories: "contact" basis: "A6-1-b" erasure_exceptions: 9)pb"));
  ASSERT_NE(bad, nullptr);
  EXPECT_TRUE(FindingWithCode(bad->Validate(), "unknown-erasure-exception").has_value());
}

// Every name of every policy vocabulary parses back to the value it names;
// an unknown name is refused naming the valid ones and the nearest; a value
// outside a table prints as "unknown".
template <typename E, typename Parse, typename NameOfE>
void ExpectRoundTrip(const std::vector<std::string_view>& names, Parse parse, NameOfE name_of) {
  ASSERT_FALSE(names.empty());
  for (std::string_view name : names) {
    absl::StatusOr<E> value = parse(name);
    ASSERT_TRUE(value.ok()) << name << ": " << value.status();
    EXPECT_EQ(name_of(*value), name);
  }
  absl::StatusOr<E> bad = parse(std::string(names.front()) + "x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()),
              AllOf(HasSubstr("valid: \"" + std::string(names.front()) + "\""),
                    HasSubstr("; did you mean \"" + std::string(names.front()) + "\"?")));
  EXPECT_EQ(name_of(static_cast<E>(200)), "unknown");
}

TEST(Vocabulary, EveryNameRoundTrips) {
  ExpectRoundTrip<PolicyFormat>(PolicyFormatNames(), ParsePolicyFormat, PolicyFormatName);
  ExpectRoundTrip<RecipientKind>(RecipientKindNames(), ParseRecipientKind, RecipientKindName);
  ExpectRoundTrip<ErasureException>(ErasureExceptionNames(), ParseErasureException,
                                    ErasureExceptionName);
  ExpectRoundTrip<ControllerRole>(ControllerRoleNames(), ParseControllerRole, ControllerRoleName);
  ExpectRoundTrip<Severity>(SeverityNames(), ParseSeverity, SeverityName);
  ExpectRoundTrip<BasisKind>(BasisKindNames(), ParseBasisKind, BasisKindName);
  ExpectRoundTrip<BasisEffect>(BasisEffectNames(), ParseBasisEffect, BasisEffectName);
  ExpectRoundTrip<CategoryFlag>(CategoryFlagNames(), ParseCategoryFlag, CategoryFlagName);
  EXPECT_EQ(*ParsePolicyFormat("pbtxt"), PolicyFormat::kTextProto);
  EXPECT_THAT(BasisEffectNamesOf(kEffectLawful | kEffectConsent),
              ::testing::ElementsAre("lawful", "consent"));
}

TEST(Vocabulary, LookupsAnswerWithTheNearestNames) {
  auto p = MustLoad(WithPurpose(R"pb(categories: "contact" basis: "A6-1-b")pb"));
  ASSERT_NE(p, nullptr);
  ASSERT_TRUE(p->GetPurpose("p").ok());
  absl::Status s = p->GetPurpose("q").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(s.message()), HasSubstr("no purpose \"q\" in policy "));
  EXPECT_THAT(std::string(s.message()), HasSubstr("; did you mean \"p\"?"));
  EXPECT_THAT(std::string(p->GetBasisTitle("A6-1-g").status().message()),
              HasSubstr("did you mean \"A6-1-a\""));
  EXPECT_EQ(*p->GetBasisTitle("A6-1-b"), p->BasisTitle("A6-1-b"));
  EXPECT_EQ(p->GetCategory("contact.emial").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(p->GetRetentionRule("x").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ((*GetLegalBasis("A10"))->code, "A10");
  EXPECT_THAT(std::string(GetRight("A23").status().message()),
              HasSubstr("unknown right code \"A23\"; did you mean"));
}

// --- Issue #11: titles in English and Danish, from one table ------------------------

TEST(Titles, EveryCodeHasATitleInEachLanguage) {
  for (const LegalBasisInfo& b : kLegalBases) {
    EXPECT_FALSE(b.title_da.empty()) << b.code;
    EXPECT_NE(b.title_da, b.title) << b.code;
    EXPECT_EQ(b.TitleIn(Language::kEnglish), b.title);
    EXPECT_EQ(b.TitleIn(Language::kDanish), b.title_da);
    // Danish citations: "Art. 6, stk. 1, litra c", "DBL § 11, stk. 2, nr. 1".
    EXPECT_TRUE(b.title_da.rfind("Art. ", 0) == 0 || b.title_da.rfind("DBL § ", 0) == 0)
        << b.title_da;
    EXPECT_EQ(b.title_da.find("(1)"), std::string_view::npos) << b.title_da;
  }
  for (const RightInfo& r : kRights) {
    EXPECT_FALSE(r.title_da.empty()) << r.code;
    EXPECT_NE(r.title_da, r.title) << r.code;
    EXPECT_EQ(r.title_da.rfind("Art. ", 0), 0u) << r.title_da;
  }
  std::vector<std::string_view> codes;
  Severity last = Severity::kError;
  for (const FindingCodeInfo& f : FindingCodes()) {
    EXPECT_EQ(std::count(codes.begin(), codes.end(), f.code), 0) << "duplicate " << f.code;
    codes.push_back(f.code);
    EXPECT_FALSE(f.title.empty()) << f.code;
    EXPECT_FALSE(f.title_da.empty()) << f.code;
    EXPECT_NE(f.title, f.title_da) << f.code;
    EXPECT_LE(static_cast<int>(f.severity), static_cast<int>(last)) << "errors first: " << f.code;
    last = f.severity;
    EXPECT_EQ(FindingTitle(f.code, Language::kDanish), f.title_da);
  }
  for (std::string_view name : SeverityNames()) {
    const Severity s = *ParseSeverity(name);
    EXPECT_EQ(SeverityTitle(s, Language::kEnglish), name);
    EXPECT_FALSE(SeverityTitle(s, Language::kDanish).empty());
  }
  for (std::string_view name : ErasureExceptionNames()) {
    const ErasureException e = *ParseErasureException(name);
    if (e == ErasureException::kUnspecified) continue;
    EXPECT_EQ(ErasureExceptionTitle(e, Language::kDanish).rfind("Art. 17, stk. 3, litra ", 0), 0u);
  }
  EXPECT_EQ(SeverityTitle(static_cast<Severity>(200), Language::kDanish), "");
  EXPECT_EQ(FindingTitle("no-such-finding", Language::kDanish), "");
}

TEST(Titles, DanishReadsAsADanishDpoReadsIt) {
  EXPECT_EQ((*GetLegalBasis("A6-1-c"))->TitleIn(Language::kDanish),
            "Art. 6, stk. 1, litra c: retlig forpligtelse");
  EXPECT_EQ((*GetLegalBasis("DK-DBL-11-2-1"))->TitleIn(Language::kDanish),
            "DBL § 11, stk. 2, nr. 1: private, når det følger af lovgivningen");
  EXPECT_EQ((*GetRight("A17"))->TitleIn(Language::kDanish), "Art. 17: Ret til sletning");
  EXPECT_EQ((*GetRight("A7-3"))->TitleIn(Language::kDanish),
            "Art. 7, stk. 3: Ret til at trække samtykke tilbage");
  EXPECT_EQ(FindingTitle("missing-art6-basis", Language::kDanish),
            "Intet behandlingsgrundlag efter art. 6, stk. 1");
  EXPECT_EQ(SeverityTitle(Severity::kError, Language::kDanish), "fejl");
}

TEST(Titles, DeclaredReferencesKeepTheirTitleInEveryLanguage) {
  auto p = MustLoad(std::string(R"pb(references {
                                       code: "DK-SUL-42D"
                                       title: "Sundhedsloven § 42 d"
                                       effects: LEGAL_OBLIGATION
                                     })pb") +
                    WithPurpose(R"(categories: "contact" basis: "A6-1-c" basis: "DK-SUL-42D")"));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->BasisTitle("DK-SUL-42D", Language::kDanish), "Sundhedsloven § 42 d");
  EXPECT_EQ(*p->GetBasisTitle("DK-SUL-42D", Language::kDanish), "Sundhedsloven § 42 d");
  EXPECT_EQ(*p->GetBasisTitle("A6-1-c", Language::kDanish),
            "Art. 6, stk. 1, litra c: retlig forpligtelse");
  EXPECT_EQ(p->BasisTitle("A6-1-c"), "Art. 6(1)(c) GDPR: compliance with a legal obligation");
  EXPECT_EQ(p->GetBasisTitle("DK-SUL-42", Language::kDanish).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(Titles, AnUnknownFindingCodeIsNotFoundWithTheNearest) {
  EXPECT_EQ((*GetFindingCode("unknown-basis"))->severity, Severity::kError);
  absl::Status s = GetFindingCode("unknown-bases").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(s.message()), AllOf(HasSubstr("unknown finding code \"unknown-bases\""),
                                              HasSubstr("did you mean \"unknown-basis\"")));
}

// The reasons of the rights matrix stay English, and the stated Art. 17(3)
// exceptions in them read as the English titles of the core's table.
TEST(Titles, StatedErasureExceptionsReadAsTheirEnglishTitle) {
  auto p = MustLoad(WithPurpose(R"pb(categories: "contact"
                                     basis: "A6-1-b"
                                     erasure_exceptions: PUBLIC_HEALTH)pb"));
  ASSERT_NE(p, nullptr);
  const std::vector<RightAssessment> rights = *p->Rights("p");
  EXPECT_THAT(rights[static_cast<int>(Right::kErasure)].reason,
              HasSubstr(std::string(
                  ErasureExceptionTitle(ErasureException::kPublicHealth, Language::kEnglish))));
}

}  // namespace
}  // namespace gdprkit
