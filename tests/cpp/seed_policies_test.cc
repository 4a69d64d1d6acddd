// The seed organisations' policies (examples/policies/) answer the questions
// their source documents answer. Each expectation below is taken from a seed
// document in shared/seeds/; examples/policies/README.md gives the section and
// justifies the validation findings each file is expected to have.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "gdprkit/basis.h"
#include "gdprkit/policy.h"
#include "gdprkit/retention.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

// Only header-only matchers: the test links gtest, not gmock's library.
using ::testing::ElementsAre;
using ::testing::HasSubstr;

template <typename T>
std::vector<T> Sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::string PolicyPath(const std::string& name) {
  return std::string(GDPRKIT_EXAMPLES_DIR) + "/policies/" + name;
}

std::shared_ptr<const Policy> LoadSeed(const std::string& name) {
  absl::StatusOr<std::shared_ptr<const Policy>> p = Policy::Load(PolicyPath(name));
  EXPECT_TRUE(p.ok()) << name << ": " << p.status();
  return p.ok() ? *p : nullptr;
}

// A finding reduced to what the README promises: severity, code, purpose.
using Expected = std::tuple<std::string, std::string, std::string>;

// Sorted, so that the comparison does not depend on the order of findings.
std::vector<Expected> Reduce(const std::vector<Finding>& findings) {
  std::vector<Expected> out;
  for (const Finding& f : findings) {
    out.emplace_back(std::string(SeverityName(f.severity)), f.code, f.purpose_id);
  }
  return Sorted(out);
}

constexpr char kE[] = "error";
constexpr char kW[] = "warning";
constexpr char kI[] = "info";

// The assessment of one right for one purpose.
RightAssessment RightOf(const Policy& policy, const std::string& purpose, Right right) {
  absl::StatusOr<std::vector<RightAssessment>> rights = policy.Rights(purpose);
  EXPECT_TRUE(rights.ok()) << rights.status();
  if (!rights.ok()) return RightAssessment{right, false, "<no such purpose>"};
  for (const RightAssessment& a : *rights) {
    if (a.right == right) return a;
  }
  ADD_FAILURE() << "no assessment of " << GetRightInfo(right).code;
  return RightAssessment{right, false, ""};
}

bool May(const Policy& policy, const std::string& team, const std::string& purpose,
         const std::string& role = "consultant") {
  absl::StatusOr<bool> ok = policy.MayAccess(Principal{team, role}, purpose);
  EXPECT_TRUE(ok.ok()) << ok.status();
  return ok.ok() && *ok;
}

const RetentionRuleRef* FindRule(const Policy& policy, const std::string& id) {
  for (const RetentionRuleRef& r : policy.retention_rules()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::vector<std::string> PurposeIds(const std::vector<const Purpose*>& purposes) {
  std::vector<std::string> ids;
  for (const Purpose* p : purposes) ids.push_back(p->id);
  return ids;
}

// ---------------------------------------------------------------------------
// Every seed policy loads, in every format present.
// ---------------------------------------------------------------------------

TEST(SeedPolicies, EveryFileInTheFolderLoadsWithAControllerAndPurposes) {
  int loaded = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(GDPRKIT_EXAMPLES_DIR) + "/policies")) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".textproto" && ext != ".json") continue;
    SCOPED_TRACE(entry.path().string());
    absl::StatusOr<std::shared_ptr<const Policy>> p = Policy::Load(entry.path().string());
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_FALSE((*p)->controller().name.empty());
    EXPECT_FALSE((*p)->controller().source.empty());
    EXPECT_FALSE((*p)->purposes().empty());
    for (const Purpose& purpose : (*p)->purposes()) {
      EXPECT_GT(purpose.line, 0) << purpose.id;
      EXPECT_FALSE(purpose.title.empty()) << purpose.id;
      EXPECT_FALSE(purpose.source_text.empty()) << purpose.id;
    }
    ++loaded;
  }
  EXPECT_EQ(loaded, 6);  // five organisations, Kontakt Læge also in JSON
}

TEST(SeedPolicies, RetentionRulesCompileIntoSchedules) {
  for (const std::string name :
       {"kapsel.textproto", "kontakt_laege.textproto", "kontakt_laege.json", "medcom.textproto",
        "practio.textproto", "klyngeguide.textproto"}) {
    auto p = LoadSeed(name);
    ASSERT_NE(p, nullptr);
    absl::StatusOr<RetentionSchedule> schedule = RetentionSchedule::FromPolicy(*p);
    EXPECT_TRUE(schedule.ok()) << name << ": " << schedule.status();
  }
}

// The digest is of the rules, not of their spelling: Kontakt Læge's policy in
// text format and in JSON has one digest; any changed field another.
TEST(SeedPolicies, DigestNamesTheRulesNotTheirSpelling) {
  auto text = LoadSeed("kontakt_laege.textproto");
  auto json = LoadSeed("kontakt_laege.json");
  auto other = LoadSeed("kapsel.textproto");
  ASSERT_NE(text, nullptr);
  ASSERT_NE(json, nullptr);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(text->digest().rfind("blake2b-256:", 0), 0u);
  EXPECT_EQ(text->digest().size(), 12u + 64u);
  EXPECT_EQ(text->digest(), json->digest());
  EXPECT_NE(text->digest(), other->digest());
  auto p1 = Policy::FromText(R"pb(schema: "gdprkit.v1"
                                  controller { name: "A" })pb");
  auto p2 =
      Policy::FromText("# a comment\nschema: \"gdprkit.v1\"\ncontroller {\n  name: \"A\"\n}\n");
  auto p3 = Policy::FromText(R"pb(schema: "gdprkit.v1"
                                  controller { name: "B" })pb");
  ASSERT_TRUE(p1.ok() && p2.ok() && p3.ok());
  EXPECT_EQ((*p1)->digest(), (*p2)->digest());
  EXPECT_NE((*p1)->digest(), (*p3)->digest());
}

TEST(SeedPolicies, PurposeCounts) {
  const std::vector<std::pair<std::string, std::size_t>> expected = {
      {"kapsel.textproto", 3}, {"kontakt_laege.textproto", 4}, {"kontakt_laege.json", 4},
      {"medcom.textproto", 8}, {"practio.textproto", 19},      {"klyngeguide.textproto", 5}};
  for (const auto& [name, count] : expected) {
    auto p = LoadSeed(name);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->purposes().size(), count) << name;
  }
}

TEST(SeedPolicies, EveryFindingNamesItsFileAndLine) {
  for (const std::string name :
       {"kontakt_laege.textproto", "kontakt_laege.json", "medcom.textproto", "practio.textproto",
        "klyngeguide.textproto"}) {
    auto p = LoadSeed(name);
    ASSERT_NE(p, nullptr);
    for (const Finding& f : p->Validate()) {
      EXPECT_EQ(f.file, PolicyPath(name));
      EXPECT_GT(f.line, 0) << name << " " << f.code << " " << f.field;
      EXPECT_THAT(f.message, HasSubstr(f.purpose_id)) << name << " " << f.code;
    }
  }
}

// ---------------------------------------------------------------------------
// Expected validation findings, file by file (README.md justifies each).
// ---------------------------------------------------------------------------

TEST(SeedFindings, KapselIsClean) {
  auto p = LoadSeed("kapsel.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(Reduce(p->Validate()), std::vector<Expected>{});
  EXPECT_TRUE(p->IsValid());
}

const std::vector<Expected>& KontaktLaegeFindings() {
  static const auto* const kFindings = new std::vector<Expected>{
      {kE, "missing-art6-basis", "video-consultation"},
      {kE, "special-category-without-condition", "video-consultation"},
      {kE, "cpr-without-dbl-11", "video-consultation"},
      {kE, "missing-art6-basis", "compliance-and-documentation"},
      {kW, "legitimate-interest-without-balancing-test", "troubleshooting-and-improvement"},
      {kI, "no-access-grant", "troubleshooting-and-improvement"},
      {kI, "no-access-grant", "compliance-and-documentation"},
  };
  return *kFindings;
}

TEST(SeedFindings, KontaktLaege) {
  for (const std::string name : {"kontakt_laege.textproto", "kontakt_laege.json"}) {
    auto p = LoadSeed(name);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(Reduce(p->Validate()), Sorted(KontaktLaegeFindings())) << name;
    EXPECT_FALSE(p->IsValid());
  }
}

TEST(SeedFindings, MedCom) {
  auto p = LoadSeed("medcom.textproto");
  ASSERT_NE(p, nullptr);
  const std::vector<Expected> expected = {
      {kE, "cpr-without-dbl-11", "expense-reimbursement"},
      {kE, "special-category-without-condition", "communication-knowledge-sharing"},
      {kE, "cpr-without-dbl-11", "external-consultant-contracts"},
      {kW, "sensitive-data-published", "communication-knowledge-sharing"},
      {kW, "legitimate-interest-without-balancing-test", "partner-collaboration"},
      {kW, "legitimate-interest-without-balancing-test", "expense-reimbursement"},
      {kW, "legitimate-interest-without-balancing-test", "activity-information-statistics"},
      {kW, "consent-without-mechanism", "communication-with-consent"},
      {kW, "legitimate-interest-without-balancing-test", "external-consultant-contracts"},
      {kI, "no-access-grant", "partner-collaboration"},
      {kI, "no-access-grant", "expense-reimbursement"},
      {kI, "no-access-grant", "activity-information-statistics"},
      {kI, "no-access-grant", "communication-knowledge-sharing"},
      {kI, "no-access-grant", "communication-with-consent"},
      {kI, "no-access-grant", "recruitment"},
      {kI, "no-access-grant", "unsolicited-applications"},
      {kI, "no-access-grant", "external-consultant-contracts"},
  };
  EXPECT_EQ(Reduce(p->Validate()), Sorted(expected));
}

TEST(SeedFindings, Practio) {
  auto p = LoadSeed("practio.textproto");
  ASSERT_NE(p, nullptr);
  std::vector<Expected> expected = {
      {kE, "special-category-without-condition", "anonymisation-for-research-and-statistics"},
      {kE, "cpr-without-dbl-11", "employment"},
      {kW, "legitimate-interest-without-balancing-test", "negative-result-notification"},
      {kW, "legitimate-interest-without-balancing-test", "website-security-logs"},
      {kW, "legitimate-interest-without-balancing-test", "legal-claims"},
      {kW, "legitimate-interest-without-balancing-test", "direct-contact"},
      {kW, "legitimate-interest-without-balancing-test", "policy-update-notice"},
      {kW, "consent-without-mechanism", "recruitment-keep-after-process"},
      {kW, "legitimate-interest-without-balancing-test", "former-employees"},
  };
  // Only the four clinical purposes grant access (to the health staff).
  for (const char* id :
       {"public-subsidy", "research-contact", "website-security-logs", "newsletter",
        "anonymisation-for-research-and-statistics", "satisfaction-surveys", "legal-claims",
        "direct-contact", "policy-update-notice", "recruitment", "recruitment-criminal-record",
        "recruitment-keep-after-process", "employment", "employment-sickness-and-leave",
        "former-employees"}) {
    expected.emplace_back(kI, "no-access-grant", id);
  }
  EXPECT_EQ(Reduce(p->Validate()), Sorted(expected));
}

TEST(SeedFindings, ClusterGuide) {
  auto p = LoadSeed("klyngeguide.textproto");
  ASSERT_NE(p, nullptr);
  const std::vector<Expected> expected = {
      {kE, "missing-art6-basis", "provider-level-statistics"},
      {kE, "missing-art6-basis", "practice-aggregation"},
      {kE, "special-category-without-condition", "practice-aggregation"},
      {kE, "missing-art6-basis", "identifiable-disclosure-sul-42d"},
      {kE, "missing-art6-basis", "consultants-and-speakers"},
      {kE, "cpr-without-dbl-11", "consultants-and-speakers"},
      {kW, "missing-retention", "practice-aggregation"},
      {kW, "missing-retention", "identifiable-disclosure-sul-42d"},
      {kW, "consent-without-mechanism", "patient-level-with-consent"},
      {kW, "missing-retention", "patient-level-with-consent"},
      {kI, "no-access-grant", "consultants-and-speakers"},
  };
  EXPECT_EQ(Reduce(p->Validate()), Sorted(expected));
}

// ---------------------------------------------------------------------------
// 000 KAPsel
// ---------------------------------------------------------------------------

TEST(Kapsel, ControllerIsRegionMidtjylland) {
  auto p = LoadSeed("kapsel.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_THAT(p->controller().name, HasSubstr("Region Midtjylland"));
  EXPECT_EQ(p->controller().cvr, "29190925");
  EXPECT_EQ(p->controller().address, "Skottenborg 26, 8800 Viborg");
}

TEST(Kapsel, EveryPurposeRestsOnContractAlone) {
  auto p = LoadSeed("kapsel.textproto");
  ASSERT_NE(p, nullptr);
  for (const Purpose& purpose : p->purposes()) {
    EXPECT_THAT(purpose.basis, ElementsAre("A6-1-b")) << purpose.id;
    EXPECT_THAT(purpose.source_text, HasSubstr("artikel 6, stk. 1, litra b")) << purpose.id;
  }
}

TEST(Kapsel, TeamsCannotSeeEachOthersRecords) {
  auto p = LoadSeed("kapsel.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(May(*p, "data-consultants", "quality-advice-data"));
  EXPECT_FALSE(May(*p, "data-consultants", "quality-advice-medicine"));
  EXPECT_FALSE(May(*p, "data-consultants", "quality-advice-it"));
  EXPECT_TRUE(May(*p, "medicine-consultants", "quality-advice-medicine"));
  EXPECT_FALSE(May(*p, "medicine-consultants", "quality-advice-data"));
  EXPECT_FALSE(May(*p, "medicine-consultants", "quality-advice-it"));
  EXPECT_TRUE(May(*p, "it-consultants", "quality-advice-it"));
  EXPECT_FALSE(May(*p, "it-consultants", "quality-advice-data"));
  for (const char* team : {"data-consultants", "medicine-consultants", "it-consultants"}) {
    EXPECT_EQ(p->VisiblePurposes(Principal{team, "consultant"}).size(), 1u) << team;
  }
  // Nobody outside the three teams sees anything.
  EXPECT_TRUE(p->VisiblePurposes(Principal{"region-it", "admin"}).empty());
  EXPECT_FALSE(p->MayAccess(Principal{"", "consultant"}, "quality-advice-data").ok());
}

TEST(Kapsel, DataComeFromRegistersAndFromThePractice) {
  auto p = LoadSeed("kapsel.textproto");
  ASSERT_NE(p, nullptr);
  const Purpose* purpose = p->FindPurpose("quality-advice-data");
  ASSERT_NE(purpose, nullptr);
  std::vector<std::string> registers;
  for (const Source& s : purpose->sources) {
    if (!s.from_data_subject) registers.push_back(s.name);
  }
  EXPECT_THAT(registers, ::testing::Contains(HasSubstr("Yderregistret")));
  EXPECT_THAT(registers, ::testing::Contains(HasSubstr("SOR")));
  EXPECT_THAT(registers, ::testing::Contains(HasSubstr("KiAP")));
  // Both Art. 13 and Art. 14 information are due.
  EXPECT_TRUE(RightOf(*p, "quality-advice-data", Right::kInformationCollected).applies);
  EXPECT_TRUE(RightOf(*p, "quality-advice-data", Right::kInformationObtained).applies);
}

TEST(Kapsel, RetentionIsProviderNumberPlusFifteenMonths) {
  auto p = LoadSeed("kapsel.textproto");
  ASSERT_NE(p, nullptr);
  const RetentionRuleRef* rule = FindRule(*p, "provider-number-plus-15-months");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->description,
            "Vi opbevarer dine personoplysninger, så længe du har et ydernummer i regionen og i 15 "
            "måneder efter ophør.");
  for (const Purpose& purpose : p->purposes()) EXPECT_EQ(purpose.retention, rule->id);
  EXPECT_EQ(rule->period, "P15M");
  EXPECT_EQ(rule->anchor, "provider_number_ended");
  EXPECT_EQ(rule->action, RetentionAction::kDeleteAfter);
  // A provider number that ended on 31 January 2024: delete by 30 April 2025
  // (the 31st does not exist in April).
  absl::StatusOr<std::string> due = AddPeriod("2024-01-31", rule->period);
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(*due, "2025-04-30");
}

TEST(Kapsel, ContractGivesPortabilityButNoObjection) {
  // Section 7 of the document lists both portability and objection; under
  // Art. 6(1)(b) only portability follows (README.md notes the difference).
  auto p = LoadSeed("kapsel.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(RightOf(*p, "quality-advice-data", Right::kPortability).applies);
  EXPECT_TRUE(RightOf(*p, "quality-advice-data", Right::kErasure).applies);
  EXPECT_FALSE(RightOf(*p, "quality-advice-data", Right::kObjection).applies);
}

TEST(Kapsel, ProcessorsAreMedWareAndRegionSyddanmark) {
  auto p = LoadSeed("kapsel.textproto");
  ASSERT_NE(p, nullptr);
  std::vector<std::string> processors;
  for (const Recipient& r : p->FindPurpose("quality-advice-medicine")->recipients) {
    if (r.kind == RecipientKind::kProcessor) processors.push_back(r.name);
  }
  EXPECT_EQ(Sorted(processors),
            Sorted<std::string>({"MedWare ApS (leverandør af KAPsel)",
                                 "Region Syddanmark (driftsansvarlig organisation)"}));
}

// ---------------------------------------------------------------------------
// 001 Kontakt Læge (text format and JSON)
// ---------------------------------------------------------------------------

class KontaktLaege : public ::testing::TestWithParam<std::string> {};

TEST_P(KontaktLaege, UsageMetadataRestsOnLegitimateInterest) {
  auto p = LoadSeed(GetParam());
  ASSERT_NE(p, nullptr);
  EXPECT_THAT(PurposeIds(p->PurposesUsing("online.usage")),
              ::testing::Contains("troubleshooting-and-improvement"));
  const Purpose* usage = p->FindPurpose("troubleshooting-and-improvement");
  ASSERT_NE(usage, nullptr);
  EXPECT_THAT(usage->basis, ElementsAre("A6-1-f"));
  ASSERT_TRUE(usage->legitimate_interest.has_value());
  EXPECT_THAT(usage->legitimate_interest->interest, HasSubstr("fejlsøgninger"));
  EXPECT_TRUE(usage->legitimate_interest->assessment.empty());
}

TEST_P(KontaktLaege, ObjectionAppliesToUsageMetadataAndPortabilityDoesNot) {
  auto p = LoadSeed(GetParam());
  ASSERT_NE(p, nullptr);
  const RightAssessment objection =
      RightOf(*p, "troubleshooting-and-improvement", Right::kObjection);
  EXPECT_TRUE(objection.applies);
  EXPECT_THAT(objection.reason, HasSubstr("Art. 21(1)"));
  const RightAssessment portability =
      RightOf(*p, "troubleshooting-and-improvement", Right::kPortability);
  EXPECT_FALSE(portability.applies);
  EXPECT_THAT(portability.reason, HasSubstr("Art. 20(1)(a)"));
  EXPECT_FALSE(RightOf(*p, "troubleshooting-and-improvement", Right::kWithdrawConsent).applies);
}

// Issue #10, item 6: the document describes the CPR use ("CPR-nummeret bruges i
// den forbindelse til at fremsøge den læge som er tilknyttet borgeren") but
// cites no DBL § 11 ground; the basis is recorded exactly as written, so the
// true finding shows, as it does for MedCom.
TEST_P(KontaktLaege, CprUseCitesNoDbl11Ground) {
  auto p = LoadSeed(GetParam());
  ASSERT_NE(p, nullptr);
  const std::vector<const Purpose*> cpr = p->PurposesUsing("identity.cpr");
  ASSERT_EQ(PurposeIds(cpr), std::vector<std::string>{"video-consultation"});
  EXPECT_THAT(cpr[0]->basis, ::testing::Not(::testing::Contains("DK-DBL-11-1")));
  EXPECT_THAT(cpr[0]->source_text, HasSubstr("CPR-nummeret bruges i den forbindelse til at "
                                             "fremsøge den læge"));
  int gaps = 0;
  for (const Finding& f : p->Validate()) gaps += f.code == "cpr-without-dbl-11";
  EXPECT_EQ(gaps, 1);
}

// Issue #10, item 7, seed 001 section 2: "Kommunen er ikke dataansvarlig for
// disse oplysninger": every right goes to the controllers of the fetched
// data, and their grounds are not this record's gap.
TEST_P(KontaktLaege, FetchedDataAreAnotherControllers) {
  auto p = LoadSeed(GetParam());
  ASSERT_NE(p, nullptr);
  const Purpose* fetch = p->FindPurpose("fetch-from-other-controllers");
  ASSERT_NE(fetch, nullptr);
  EXPECT_EQ(fetch->role, ControllerRole::kNotController);
  absl::StatusOr<std::vector<RightAssessment>> rights = p->Rights("fetch-from-other-controllers");
  ASSERT_TRUE(rights.ok());
  for (const RightAssessment& r : *rights) {
    EXPECT_FALSE(r.applies);
    EXPECT_THAT(r.reason, HasSubstr("Sundhedsdatastyrelsen"));
  }
  for (const Finding& f : p->Validate()) EXPECT_NE(f.purpose_id, "fetch-from-other-controllers");
}

TEST_P(KontaktLaege, HealthNoteGoesToTheCitizensDoctor) {
  auto p = LoadSeed(GetParam());
  ASSERT_NE(p, nullptr);
  EXPECT_THAT(PurposeIds(p->PurposesUsing("health.note")), ElementsAre("video-consultation"));
  std::vector<std::string> controllers;
  for (const Recipient& r : p->FindPurpose("video-consultation")->recipients) {
    if (r.kind == RecipientKind::kController) controllers.push_back(r.name);
  }
  EXPECT_THAT(controllers, ElementsAre("Borgerens praktiserende læge"));
}

TEST_P(KontaktLaege, ProcessorsAsListedInSection6) {
  auto p = LoadSeed(GetParam());
  ASSERT_NE(p, nullptr);
  std::vector<std::string> processors;
  for (const Purpose& purpose : p->purposes()) {
    for (const Recipient& r : purpose.recipients) {
      if (r.kind == RecipientKind::kProcessor &&
          std::find(processors.begin(), processors.end(), r.name) == processors.end()) {
        processors.push_back(r.name);
      }
    }
  }
  ASSERT_EQ(processors.size(), 3u);
  processors = Sorted(processors);
  EXPECT_THAT(processors[0], HasSubstr("Lægernes IT-leverandører"));
  EXPECT_THAT(processors[1], HasSubstr("PLSP A/S"));
  EXPECT_THAT(processors[2], HasSubstr("Trifork Public A/S"));
}

INSTANTIATE_TEST_SUITE_P(TextAndJson, KontaktLaege,
                         ::testing::Values("kontakt_laege.textproto", "kontakt_laege.json"));

TEST(KontaktLaegeFormats, JsonAndTextprotoLoadToTheSamePolicy) {
  auto text = LoadSeed("kontakt_laege.textproto");
  auto json = LoadSeed("kontakt_laege.json");
  ASSERT_NE(text, nullptr);
  ASSERT_NE(json, nullptr);
  EXPECT_EQ(text->controller().name, json->controller().name);
  EXPECT_EQ(text->controller().contact, json->controller().contact);
  EXPECT_EQ(text->controller().source, json->controller().source);
  ASSERT_EQ(text->purposes().size(), json->purposes().size());
  for (std::size_t i = 0; i < text->purposes().size(); ++i) {
    const Purpose& a = text->purposes()[i];
    const Purpose& b = json->purposes()[i];
    SCOPED_TRACE(a.id);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.title, b.title);
    EXPECT_EQ(a.description, b.description);
    EXPECT_EQ(a.categories, b.categories);
    EXPECT_EQ(a.data_subjects, b.data_subjects);
    EXPECT_EQ(a.basis, b.basis);
    ASSERT_EQ(a.recipients.size(), b.recipients.size());
    for (std::size_t r = 0; r < a.recipients.size(); ++r) {
      EXPECT_EQ(a.recipients[r].name, b.recipients[r].name);
      EXPECT_EQ(a.recipients[r].kind, b.recipients[r].kind);
      EXPECT_EQ(a.recipients[r].country, b.recipients[r].country);
      EXPECT_EQ(a.recipients[r].purpose, b.recipients[r].purpose);
    }
    ASSERT_EQ(a.access.size(), b.access.size());
    for (std::size_t g = 0; g < a.access.size(); ++g) {
      EXPECT_EQ(a.access[g].team, b.access[g].team);
      EXPECT_EQ(a.access[g].roles, b.access[g].roles);
    }
    EXPECT_EQ(a.retention, b.retention);
    ASSERT_EQ(a.legitimate_interest.has_value(), b.legitimate_interest.has_value());
    if (a.legitimate_interest) {
      EXPECT_EQ(a.legitimate_interest->interest, b.legitimate_interest->interest);
      EXPECT_EQ(a.legitimate_interest->assessment, b.legitimate_interest->assessment);
      EXPECT_EQ(a.legitimate_interest->safeguards, b.legitimate_interest->safeguards);
    }
    EXPECT_EQ(a.consent.has_value(), b.consent.has_value());
    ASSERT_EQ(a.sources.size(), b.sources.size());
    for (std::size_t s = 0; s < a.sources.size(); ++s) {
      EXPECT_EQ(a.sources[s].name, b.sources[s].name);
      EXPECT_EQ(a.sources[s].from_data_subject, b.sources[s].from_data_subject);
    }
    EXPECT_EQ(a.automated_processing, b.automated_processing);
    EXPECT_EQ(a.source_text, b.source_text);
    // The same answers, too.
    auto ra = text->Rights(a.id);
    auto rb = json->Rights(b.id);
    ASSERT_TRUE(ra.ok() && rb.ok());
    for (std::size_t k = 0; k < kRightCount; ++k) {
      EXPECT_EQ((*ra)[k].applies, (*rb)[k].applies) << GetRightInfo((*ra)[k].right).code;
      EXPECT_EQ((*ra)[k].reason, (*rb)[k].reason);
    }
  }
  ASSERT_EQ(text->retention_rules().size(), json->retention_rules().size());
  for (std::size_t i = 0; i < text->retention_rules().size(); ++i) {
    EXPECT_EQ(text->retention_rules()[i].id, json->retention_rules()[i].id);
    EXPECT_EQ(text->retention_rules()[i].description, json->retention_rules()[i].description);
  }
  ASSERT_EQ(text->categories().size(), json->categories().size());
  for (std::size_t i = 0; i < text->categories().size(); ++i) {
    EXPECT_EQ(text->categories()[i].key, json->categories()[i].key);
    EXPECT_EQ(text->categories()[i].flags, json->categories()[i].flags);
  }
  ASSERT_EQ(text->teams().size(), json->teams().size());
  // Findings agree but for their lines.
  std::vector<Finding> fa = text->Validate();
  std::vector<Finding> fb = json->Validate();
  ASSERT_EQ(fa.size(), fb.size());
  for (std::size_t i = 0; i < fa.size(); ++i) {
    EXPECT_EQ(fa[i].code, fb[i].code);
    EXPECT_EQ(fa[i].purpose_id, fb[i].purpose_id);
    EXPECT_EQ(fa[i].field, fb[i].field);
    EXPECT_EQ(fa[i].message, fb[i].message);
  }
}

// ---------------------------------------------------------------------------
// 002 MedCom
// ---------------------------------------------------------------------------

TEST(MedCom, CommunicationPurposeCarriesTheDocumentsBalancingTest) {
  auto p = LoadSeed("medcom.textproto");
  ASSERT_NE(p, nullptr);
  const Purpose* comm = p->FindPurpose("communication-knowledge-sharing");
  ASSERT_NE(comm, nullptr);
  EXPECT_THAT(comm->basis, ElementsAre("A6-1-f"));
  ASSERT_TRUE(comm->legitimate_interest.has_value());
  EXPECT_THAT(comm->legitimate_interest->assessment, HasSubstr("helhedsvurdering"));
  // The six principles of section 2, the last one naming children.
  ASSERT_EQ(comm->legitimate_interest->safeguards.size(), 6u);
  EXPECT_THAT(comm->legitimate_interest->safeguards.back(), HasSubstr("børn"));
  EXPECT_THAT(comm->legitimate_interest->safeguards.back(), HasSubstr("samtykke"));
  // So its finding list has no missing-balancing-test warning.
  for (const Finding& f : p->Validate()) {
    if (f.purpose_id == comm->id) {
      EXPECT_NE(f.code, "legitimate-interest-without-balancing-test");
    }
  }
}

TEST(MedCom, LegitimateInterestPurposesWithoutRecordedTestAreFlagged) {
  // Only section 2 states a balancing test; sections 1 and 3 cite (f) bare.
  auto p = LoadSeed("medcom.textproto");
  ASSERT_NE(p, nullptr);
  std::vector<std::string> with_f, flagged;
  for (const Purpose& purpose : p->purposes()) {
    if (std::find(purpose.basis.begin(), purpose.basis.end(), "A6-1-f") != purpose.basis.end() &&
        !(purpose.legitimate_interest && !purpose.legitimate_interest->assessment.empty())) {
      with_f.push_back(purpose.id);
    }
  }
  for (const Finding& f : p->Validate()) {
    if (f.code == "legitimate-interest-without-balancing-test") flagged.push_back(f.purpose_id);
  }
  EXPECT_EQ(Sorted(flagged), Sorted(with_f));
  EXPECT_EQ(flagged.size(), 4u);
}

// Issue #10, item 3. Seed 002, section 3: "Retsgrundlaget herfor er hhv.
// Persondataforordningens artikel 6, stk. 1, litra b og f": "hhv." gives one
// basis per use, in the order the uses are listed (recruitment: b; external
// consultants: f), so no purpose carries both, and recruitment is neither
// warned about a balancing test nor open to objection.
TEST(MedCom, RespectivelyMeansOneBasisPerUse) {
  auto p = LoadSeed("medcom.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_THAT(p->FindPurpose("recruitment")->basis, ElementsAre("A6-1-b", "DK-DBL-12"));
  EXPECT_THAT(p->FindPurpose("unsolicited-applications")->basis,
              ElementsAre("A6-1-b", "DK-DBL-12"));
  EXPECT_THAT(p->FindPurpose("external-consultant-contracts")->basis,
              ElementsAre("A6-1-f", "DK-DBL-12"));
  EXPECT_THAT(p->FindPurpose("recruitment")->source_text, HasSubstr("hhv."));
  EXPECT_FALSE(RightOf(*p, "recruitment", Right::kObjection).applies);
  EXPECT_TRUE(RightOf(*p, "external-consultant-contracts", Right::kObjection).applies);
}

// Issue #10, item 7: "Visse oplysninger, der kan være personhenføre (lokations-
// og ydernummer), publiceres i MedComs statistikdatabase": publication.
TEST(MedCom, StatisticsDatabaseIsPublication) {
  auto p = LoadSeed("medcom.textproto");
  ASSERT_NE(p, nullptr);
  const Purpose* stats = p->FindPurpose("activity-information-statistics");
  ASSERT_NE(stats, nullptr);
  ASSERT_EQ(stats->recipients.size(), 1u);
  EXPECT_EQ(stats->recipients[0].kind, RecipientKind::kPublic);
  EXPECT_THAT(RightOf(*p, stats->id, Right::kErasure).reason, HasSubstr("Art. 17(2)"));
}

TEST(MedCom, ChildrenAndVulnerablePersonsOnConsent) {
  auto p = LoadSeed("medcom.textproto");
  ASSERT_NE(p, nullptr);
  const Purpose* consent = p->FindPurpose("communication-with-consent");
  ASSERT_NE(consent, nullptr);
  // Issue #10, item 4: "samtykke" is read the same way as in the cluster
  // guide: Art. 6(1)(a), with Art. 9(2)(a) where health data are involved.
  EXPECT_THAT(consent->basis, ElementsAre("A6-1-a", "A9-2-a"));
  EXPECT_THAT(consent->data_subjects, ::testing::Contains("børn"));
  EXPECT_TRUE(RightOf(*p, consent->id, Right::kWithdrawConsent).applies);
  EXPECT_FALSE(RightOf(*p, consent->id, Right::kObjection).applies);
}

TEST(MedCom, RecruitmentRetention) {
  auto p = LoadSeed("medcom.textproto");
  ASSERT_NE(p, nullptr);
  const RetentionRuleRef* rejected = FindRule(*p, "rejected-applicants-3-months");
  const RetentionRuleRef* unsolicited = FindRule(*p, "unsolicited-14-days");
  ASSERT_NE(rejected, nullptr);
  ASSERT_NE(unsolicited, nullptr);
  EXPECT_THAT(rejected->description, HasSubstr("senest 3 måneder efter"));
  EXPECT_THAT(unsolicited->description, HasSubstr("gemmes oplysningerne i 14 dage"));
  EXPECT_EQ(rejected->period, "P3M");
  EXPECT_EQ(rejected->anchor, "application_rejected");
  EXPECT_EQ(unsolicited->period, "P14D");
  EXPECT_TRUE(unsolicited->anchor.empty());  // from receipt (collection)
  EXPECT_EQ(p->FindPurpose("recruitment")->retention, rejected->id);
  EXPECT_EQ(p->FindPurpose("unsolicited-applications")->retention, unsolicited->id);
}

TEST(MedCom, ProviderAndLocationNumbersInStatisticsArePersonalData) {
  auto p = LoadSeed("medcom.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_THAT(PurposeIds(p->PurposesUsing("professional.provider_number")),
              ::testing::Contains("activity-information-statistics"));
  EXPECT_THAT(PurposeIds(p->PurposesUsing("professional.location_number")),
              ::testing::Contains("activity-information-statistics"));
}

TEST(MedCom, EmploymentParagraphIsDeclaredAsWrittenAndGroundsNothing) {
  auto p = LoadSeed("medcom.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->BasisEffects("DK-DBL-12"), static_cast<std::uint32_t>(kEffectNone));
  EXPECT_THAT(p->BasisTitle("DK-DBL-12"), HasSubstr("§ 12"));
  EXPECT_THAT(p->FindPurpose("recruitment")->basis, ElementsAre("A6-1-b", "DK-DBL-12"));
}

// ---------------------------------------------------------------------------
// 003 Practio
// ---------------------------------------------------------------------------

TEST(Practio, ControllerAndCvr) {
  auto p = LoadSeed("practio.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->controller().name, "Practio ApS");
  EXPECT_EQ(p->controller().cvr, "36392576");
}

TEST(Practio, PatientRecordCannotBeErasedOnRequest) {
  auto p = LoadSeed("practio.textproto");
  ASSERT_NE(p, nullptr);
  const Purpose* record = p->FindPurpose("patient-record");
  ASSERT_NE(record, nullptr);
  EXPECT_THAT(record->basis,
              ElementsAre("A6-1-c", "DK-BEK-530-2018", "DK-DBL-11-2-1", "A9-2-h", "A9-3"));
  EXPECT_NE(p->BasisEffects("DK-BEK-530-2018") & kEffectLegalObligation, 0u);
  const RightAssessment erasure = RightOf(*p, "patient-record", Right::kErasure);
  EXPECT_FALSE(erasure.applies);
  EXPECT_THAT(erasure.reason, HasSubstr("Art. 17(3)"));
  // Corrections are still possible (section 06: "med ændringshistorik").
  EXPECT_TRUE(RightOf(*p, "patient-record", Right::kRectification).applies);
  EXPECT_FALSE(RightOf(*p, "patient-record", Right::kPortability).applies);
}

TEST(Practio, PatientRecordCprRestsOnDbl11Stk2Nr1) {
  auto p = LoadSeed("practio.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_THAT(p->FindPurpose("patient-record")->source_text, HasSubstr("(§11.2.1)"));
  EXPECT_NE(p->BasisEffects("DK-DBL-11-2-1") & kEffectNationalId, 0u);
  // CPR numbers appear in two purposes; only the employment one lacks a ground.
  EXPECT_THAT(PurposeIds(p->PurposesUsing("identity.cpr")),
              ElementsAre("patient-record", "employment"));
}

TEST(Practio, ResearchContactRestsOnConsent) {
  auto p = LoadSeed("practio.textproto");
  ASSERT_NE(p, nullptr);
  const Purpose* research = p->FindPurpose("research-contact");
  ASSERT_NE(research, nullptr);
  EXPECT_THAT(research->basis, ElementsAre("A6-1-a"));
  ASSERT_TRUE(research->consent.has_value());
  EXPECT_FALSE(research->consent->record.empty());
  EXPECT_FALSE(research->consent->withdrawal.empty());
  EXPECT_TRUE(RightOf(*p, "research-contact", Right::kWithdrawConsent).applies);
  EXPECT_TRUE(RightOf(*p, "research-contact", Right::kPortability).applies);
  EXPECT_TRUE(RightOf(*p, "research-contact", Right::kErasure).applies);
  EXPECT_FALSE(RightOf(*p, "research-contact", Right::kObjection).applies);
}

TEST(Practio, AntigenTestIsAPublicTaskWithPublicHealthCondition) {
  auto p = LoadSeed("practio.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(RightOf(*p, "antigen-test", Right::kObjection).applies);
  EXPECT_FALSE(RightOf(*p, "antigen-test", Right::kPortability).applies);
  const RightAssessment erasure = RightOf(*p, "antigen-test", Right::kErasure);
  EXPECT_FALSE(erasure.applies);
  EXPECT_THAT(erasure.reason, HasSubstr("Art. 17(3)(c)"));
}

TEST(Practio, LegitimateInterestPurposesAllowObjection) {
  auto p = LoadSeed("practio.textproto");
  ASSERT_NE(p, nullptr);
  for (const char* id : {"website-security-logs", "anonymisation-for-research-and-statistics",
                         "legal-claims", "direct-contact", "policy-update-notice",
                         "former-employees", "negative-result-notification"}) {
    EXPECT_TRUE(RightOf(*p, id, Right::kObjection).applies) << id;
    EXPECT_FALSE(RightOf(*p, id, Right::kPortability).applies) << id;
  }
}

// Issue #10, item 2. Seed 003, 3.10: "Retsgrundlaget for vores indhentning af
// dine særlige persondata, herunder straffeoplysninger, [...] er dit
// udtrykkelige samtykke afgivet på indhentningstidspunktet
// (databeskyttelsesloven §8.3)": explicit consent under DBL § 8, stk. 3,
// 1. pkt. is consent, so it may be withdrawn (Art. 7(3)).
TEST(Practio, CriminalRecordExtractOnExplicitConsentUnderDbl8Stk3) {
  auto p = LoadSeed("practio.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_THAT(PurposeIds(p->PurposesUsing("criminal.record_extract")),
              ElementsAre("recruitment-criminal-record"));
  EXPECT_THAT(p->FindPurpose("recruitment-criminal-record")->basis,
              ElementsAre("A6-1-a", "DK-DBL-8-3-1"));
  EXPECT_THAT(p->FindPurpose("recruitment")->basis, ElementsAre("A6-1-b"));
  const RightAssessment w = RightOf(*p, "recruitment-criminal-record", Right::kWithdrawConsent);
  EXPECT_TRUE(w.applies) << w.reason;
  EXPECT_THAT(w.reason, HasSubstr("Art. 7(3)"));
}

// Issue #10, item 1. Seed 003, 06: "Yderligere forbeholder Practio sig retten
// til altid at behandle dine personoplysninger i forbindelse med at retskrav
// kan fastlægges, gøres gældende eller forsvares." Art. 17(3)(e) does not
// depend on Art. 9: the purpose rests on Art. 6(1)(f) only.
TEST(Practio, LegalClaimsAreAnErasureExceptionWhateverTheBasis) {
  auto p = LoadSeed("practio.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_THAT(p->FindPurpose("legal-claims")->basis, ElementsAre("A6-1-f"));
  const RightAssessment e = RightOf(*p, "legal-claims", Right::kErasure);
  EXPECT_FALSE(e.applies) << e.reason;
  EXPECT_THAT(e.reason, HasSubstr("Art. 17(3)(e)"));
}

// Issue #10, item 7. Seed 003, 3.4: "anvender vi din kontaktdata til at sende
// dig nyhedsbrevet eller information om vores ydelser" is direct marketing:
// Art. 21(2)-(3) lets the data subject object at any time, although the
// basis is consent (Art. 6(1)(a)).
TEST(Practio, NewsletterIsDirectMarketingWithAnAbsoluteObjection) {
  auto p = LoadSeed("practio.textproto");
  ASSERT_NE(p, nullptr);
  const RightAssessment o = RightOf(*p, "newsletter", Right::kObjection);
  EXPECT_TRUE(o.applies) << o.reason;
  EXPECT_THAT(o.reason, HasSubstr("Art. 21(2)-(3)"));
}

TEST(Practio, RetentionRulesQuoteSection08) {
  auto p = LoadSeed("practio.textproto");
  ASSERT_NE(p, nullptr);
  const std::vector<std::pair<std::string, std::string>> rules = {
      {"patient-record-and-treatment-contact-10-years", "opbevares i 10 år"},
      {"subsidy-1-year-after-reporting-period", "1 år efter udløb af rapporteringsperioden"},
      {"direct-contact-6-months", "senest inden for 6 måneder af din sidste kontakt"},
      {"legal-claims-5-years-after-last-processing", "5 år efter sidste behandling af sagen"},
      {"server-logs-2-months", "op til 2 måneder"},
      {"policy-notice-1-year", "op til 1 år"},
      {"other-data-immediately-up-to-1-week", "op til en uge"},
      {"research-contact-10-years-or-withdrawal", "indtil du anmoder om ikke længere"},
      {"ongoing-contact-until-stopped", "anmoder om at stoppe tilmeldingen"},
      {"employment-5-years", "slettes efter 5 år"},
      {"employment-health-end-of-employment", "ansættelsesforholdets ophør"},
  };
  for (const auto& [id, text] : rules) {
    const RetentionRuleRef* rule = FindRule(*p, id);
    ASSERT_NE(rule, nullptr) << id;
    EXPECT_THAT(rule->description, HasSubstr(text)) << id;
  }
  const std::vector<std::tuple<std::string, std::string, std::string>> structured = {
      {"patient-record-and-treatment-contact-10-years", "P10Y", "last_entry"},
      {"subsidy-1-year-after-reporting-period", "P1Y", "reporting_period_ended"},
      {"direct-contact-6-months", "P6M", "last_contact"},
      {"legal-claims-5-years-after-last-processing", "P5Y", "last_processing"},
      {"server-logs-2-months", "P2M", ""},
      {"policy-notice-1-year", "P1Y", ""},
      {"other-data-immediately-up-to-1-week", "P1W", "purpose_fulfilled"},
      {"research-contact-10-years-or-withdrawal", "P10Y", ""},
      {"employment-5-years", "P5Y", "employment_ended"},
  };
  for (const auto& [id, period, anchor] : structured) {
    const RetentionRuleRef* rule = FindRule(*p, id);
    ASSERT_NE(rule, nullptr) << id;
    EXPECT_EQ(rule->period, period) << id;
    EXPECT_EQ(rule->anchor, anchor) << id;
  }
  EXPECT_EQ(FindRule(*p, "patient-record-and-treatment-contact-10-years")->action,
            RetentionAction::kRetainThenDelete);
  const RetentionRuleRef* research = FindRule(*p, "research-contact-10-years-or-withdrawal");
  ASSERT_EQ(research->ends_early.size(), 1u);
  EXPECT_EQ(research->ends_early[0].event, "consent_withdrawn");
  const RetentionRuleRef* newsletter = FindRule(*p, "ongoing-contact-until-stopped");
  EXPECT_TRUE(newsletter->period.empty());
  ASSERT_EQ(newsletter->ends_early.size(), 2u);
  EXPECT_EQ(p->FindPurpose("patient-record")->retention,
            "patient-record-and-treatment-contact-10-years");
  EXPECT_EQ(p->FindPurpose("website-security-logs")->retention, "server-logs-2-months");
  EXPECT_EQ(p->FindPurpose("direct-contact")->retention, "direct-contact-6-months");
}

TEST(Practio, HealthStaffSeeClinicalPurposesOnly) {
  auto p = LoadSeed("practio.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_THAT(PurposeIds(p->VisiblePurposes(Principal{"health-professionals", "delegate"})),
              ElementsAre("vaccination-and-antibody-test", "patient-record", "antigen-test",
                          "negative-result-notification"));
}

// ---------------------------------------------------------------------------
// 004 Cluster data guide
// ---------------------------------------------------------------------------

TEST(ClusterGuide, Sundhedsloven42dIsASpecialCategoryConditionOnly) {
  auto p = LoadSeed("klyngeguide.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->BasisEffects("DK-SUL-42d"), static_cast<std::uint32_t>(kEffectSpecialCondition));
  const Purpose* disclosure = p->FindPurpose("identifiable-disclosure-sul-42d");
  ASSERT_NE(disclosure, nullptr);
  EXPECT_THAT(disclosure->basis, ElementsAre("DK-SUL-42d"));
  // § 42 d satisfies Art. 9 but not Art. 6: the guide names no Art. 6 basis.
  std::vector<std::string> codes;
  for (const Finding& f : p->Validate()) {
    if (f.purpose_id == disclosure->id) codes.push_back(f.code);
  }
  EXPECT_THAT(Sorted(codes), ElementsAre("missing-art6-basis", "missing-retention"));
}

TEST(ClusterGuide, ProviderNumberStatisticsAreNotSpecialCategoryData) {
  auto p = LoadSeed("klyngeguide.textproto");
  ASSERT_NE(p, nullptr);
  const DataCategory* stats = p->FindCategory("professional.patient_population_statistics");
  ASSERT_NE(stats, nullptr);
  EXPECT_EQ(stats->flags, kCategoryNone);
  const Purpose* purpose = p->FindPurpose("provider-level-statistics");
  ASSERT_NE(purpose, nullptr);
  EXPECT_THAT(purpose->description, HasSubstr("Mindst fem registreringer pr. celle"));
  EXPECT_THAT(purpose->description, HasSubstr("pseudonymiseres"));
  EXPECT_TRUE(purpose->basis.empty());
  EXPECT_TRUE(May(*p, "cluster-coordinator", purpose->id, ""));
  EXPECT_FALSE(May(*p, "cluster-coordinator", "practice-aggregation", ""));
}

// Issue #10, item 5. Seed 004: each practice "kan indenfor rammerne af
// sundhedslovens § 42d, stk. 2, videregive elektroniske helbredsdata til en
// klyngekoordinator eller et andet klyngemedlem": both may see them.
TEST(ClusterGuide, Section42dDisclosuresReachTheCoordinatorAndOtherMembers) {
  auto p = LoadSeed("klyngeguide.textproto");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(May(*p, "cluster-coordinator", "identifiable-disclosure-sul-42d", ""));
  EXPECT_TRUE(May(*p, "cluster-members", "identifiable-disclosure-sul-42d", ""));
  EXPECT_FALSE(May(*p, "practice-staff", "identifiable-disclosure-sul-42d", ""));
}

TEST(ClusterGuide, PatientLevelDataOnConsentCanBeWithdrawn) {
  auto p = LoadSeed("klyngeguide.textproto");
  ASSERT_NE(p, nullptr);
  const Purpose* consent = p->FindPurpose("patient-level-with-consent");
  ASSERT_NE(consent, nullptr);
  ASSERT_TRUE(consent->consent.has_value());
  EXPECT_THAT(consent->consent->record, HasSubstr("bevise"));
  EXPECT_TRUE(consent->consent->withdrawal.empty());
  EXPECT_TRUE(RightOf(*p, consent->id, Right::kWithdrawConsent).applies);
}

}  // namespace
}  // namespace gdprkit
