// The seed documents' retention promises, swept: records of the seed
// organisations' purposes become due on the dates the documents imply.
// (examples/policies/*.textproto carry the structured rules; README.md there
// says which anchors are interpretation.)
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gdprkit/policy.h"
#include "gdprkit/retention.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

DayNumber D(const char* text) {
  absl::StatusOr<DayNumber> d = ParseDate(text);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : kNoDate;
}

// One seed policy, its schedule, and records of its purposes.
class Seed {
 public:
  explicit Seed(const std::string& file) {
    auto p = Policy::Load(std::string(GDPRKIT_EXAMPLES_DIR) + "/policies/" + file);
    EXPECT_TRUE(p.ok()) << p.status();
    policy_ = *p;
    auto s = RetentionSchedule::FromPolicy(*policy_);
    EXPECT_TRUE(s.ok()) << s.status();
    schedule_ = std::make_unique<RetentionSchedule>(*std::move(s));
  }

  // A record of a purpose (or rule, or "a+b"), with event dates.
  int Add(const std::string& purpose, std::map<std::string, std::string> events) {
    rows_.push_back({purpose, std::move(events)});
    return static_cast<int>(rows_.size() - 1);
  }
  void AddHold(int row, const char* start, const char* end = nullptr) {
    holds_.push_back(Hold{row, D(start), end ? D(end) : kNoDate});
  }

  // "status date rule reason" of a row as of a date.
  std::string At(int row, const char* as_of) {
    SweepInput in;
    std::map<std::string, std::int32_t> sets;
    std::vector<std::int32_t> selector;
    for (const auto& r : rows_) {
      auto it = sets.find(r.first);
      if (it == sets.end()) {
        auto resolved = schedule_->Resolve(r.first);
        EXPECT_TRUE(resolved.ok()) << resolved.status();
        if (!resolved.ok()) return "unresolved";
        in.rule_sets.push_back(*resolved);
        it = sets.emplace(r.first, static_cast<std::int32_t>(in.rule_sets.size() - 1)).first;
      }
      selector.push_back(it->second);
    }
    in.selector = selector;
    std::vector<std::vector<DayNumber>> cols(schedule_->events().size());
    for (std::size_t e = 0; e < cols.size(); ++e) {
      for (const auto& r : rows_) {
        auto it = r.second.find(schedule_->events()[e]);
        cols[e].push_back(it == r.second.end() ? kNoDate : D(it->second.c_str()));
      }
      in.events.push_back(EventColumn{schedule_->events()[e], cols[e]});
    }
    in.holds = holds_;
    auto result = schedule_->Sweep(in, D(as_of));
    EXPECT_TRUE(result.ok()) << result.status();
    if (!result.ok()) return "error";
    std::string s(RetentionStatusName(result->status[row]));
    if (result->due_date[row] != kNoDate) s += " " + FormatDate(result->due_date[row]);
    if (result->rule[row] >= 0) s += " " + schedule_->rules()[result->rule[row]].id;
    s += " " + std::string(RetentionReasonName(result->reason[row]));
    return s;
  }

  const RetentionSchedule& schedule() const { return *schedule_; }

 private:
  std::shared_ptr<const Policy> policy_;
  std::unique_ptr<RetentionSchedule> schedule_;
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> rows_;
  std::vector<Hold> holds_;
};

// KAPsel: "så længe du har et ydernummer i regionen og i 15 måneder efter ophør".
TEST(SeedRetention, KapselKeepsWhileTheProviderNumberHoldsAnd15MonthsAfter) {
  Seed kapsel("kapsel.textproto");
  const int active = kapsel.Add("quality-advice-data", {{"collection", "2019-03-01"}});
  const int ended =
      kapsel.Add("quality-advice-medicine",
                 {{"collection", "2019-03-01"}, {"provider_number_ended", "2025-11-30"}});
  const int leap = kapsel.Add(
      "quality-advice-it", {{"collection", "2019-03-01"}, {"provider_number_ended", "2024-02-29"}});
  EXPECT_EQ(kapsel.At(active, "2040-01-01"), "kept provider-number-plus-15-months anchor-pending");
  EXPECT_EQ(kapsel.At(ended, "2027-02-27"),
            "pending 2027-02-28 provider-number-plus-15-months period");
  EXPECT_EQ(kapsel.At(ended, "2027-02-28"), "due 2027-02-28 provider-number-plus-15-months period");
  EXPECT_EQ(kapsel.At(leap, "2025-05-29"), "due 2025-05-29 provider-number-plus-15-months period");
  // A complaint case about the practice holds its records past the date.
  kapsel.AddHold(ended, "2026-10-01", "2027-06-15");
  EXPECT_EQ(kapsel.At(ended, "2027-03-01"), "held 2027-06-15 provider-number-plus-15-months hold");
  EXPECT_EQ(kapsel.At(ended, "2027-06-15"),
            "due 2027-06-15 provider-number-plus-15-months hold-released");
}

// MedCom: rejected applicants "senest 3 måneder efter"; unsolicited
// applications "gemmes i 14 dage, hvorefter de slettes".
TEST(SeedRetention, MedcomRecruitment3MonthsAndUnsolicited14Days) {
  Seed medcom("medcom.textproto");
  const int applying = medcom.Add("recruitment", {{"collection", "2025-08-01"}});
  const int rejected = medcom.Add(
      "recruitment", {{"collection", "2025-08-01"}, {"application_rejected", "2025-08-31"}});
  const int end_of_month = medcom.Add(
      "recruitment", {{"collection", "2025-08-01"}, {"application_rejected", "2025-11-30"}});
  const int unsolicited = medcom.Add("unsolicited-applications", {{"collection", "2025-12-25"}});
  const int general = medcom.Add("partner-collaboration", {{"collection", "2010-01-01"}});
  const int hired = medcom.Add("hired-personnel-file", {{"collection", "2025-08-01"}});
  EXPECT_EQ(medcom.At(applying, "2026-06-01"), "kept rejected-applicants-3-months anchor-pending");
  EXPECT_EQ(medcom.At(rejected, "2025-11-29"),
            "pending 2025-11-30 rejected-applicants-3-months period");
  EXPECT_EQ(medcom.At(rejected, "2025-11-30"),
            "due 2025-11-30 rejected-applicants-3-months period");
  EXPECT_EQ(medcom.At(end_of_month, "2026-02-27"),
            "pending 2026-02-28 rejected-applicants-3-months period");
  EXPECT_EQ(medcom.At(end_of_month, "2026-02-28"),
            "due 2026-02-28 rejected-applicants-3-months period");
  EXPECT_EQ(medcom.At(unsolicited, "2026-01-07"), "pending 2026-01-08 unsolicited-14-days period");
  EXPECT_EQ(medcom.At(unsolicited, "2026-01-08"), "due 2026-01-08 unsolicited-14-days period");
  // "Så længe det er nødvendigt": no period, kept until deleted by hand.
  EXPECT_EQ(medcom.At(general, "2030-01-01"), "kept as-long-as-necessary no-period");
  EXPECT_EQ(medcom.At(hired, "2030-01-01"), "kept hired-personnel-file no-period");
}

// Practio, section 08, rule by rule.
TEST(SeedRetention, PractioDatesRuleByRule) {
  Seed practio("practio.textproto");
  struct Case {
    const char* purpose;
    std::map<std::string, std::string> events;
    const char* as_of;
    const char* want;
  } cases[] = {
      // 10 years from the latest entry (BEK 530/2018), kept at least that long, then deleted.
      {"patient-record",
       {{"collection", "2020-01-10"}, {"last_entry", "2024-02-29"}},
       "2034-02-28",
       "due 2034-02-28 patient-record-and-treatment-contact-10-years period"},
      {"antigen-test",
       {{"collection", "2021-12-01"}},
       "2030-01-01",
       "kept patient-record-and-treatment-contact-10-years anchor-pending"},
      // "op til 1 år efter udløb af rapporteringsperioden".
      {"public-subsidy",
       {{"collection", "2024-03-01"}, {"reporting_period_ended", "2024-12-31"}},
       "2025-12-30",
       "pending 2025-12-31 subsidy-1-year-after-reporting-period period"},
      // "senest inden for 6 måneder af din sidste kontakt".
      {"direct-contact",
       {{"collection", "2025-05-02"}, {"last_contact", "2025-08-31"}},
       "2026-02-28",
       "due 2026-02-28 direct-contact-6-months period"},
      // "op til 10 år, eller indtil du anmoder om ikke længere at kunne kontaktes".
      {"research-contact",
       {{"collection", "2015-05-05"}},
       "2025-05-05",
       "due 2025-05-05 research-contact-10-years-or-withdrawal period"},
      {"research-contact",
       {{"collection", "2019-05-05"}, {"consent_withdrawn", "2021-09-14"}},
       "2021-09-14",
       "due 2021-09-14 research-contact-10-years-or-withdrawal ended-early"},
      // "op til 5 år efter sidste behandling af sagen".
      {"legal-claims",
       {{"collection", "2018-01-01"}, {"last_processing", "2020-06-15"}},
       "2025-06-14",
       "pending 2025-06-15 legal-claims-5-years-after-last-processing period"},
      // Server logs: 2 months.
      {"website-security-logs",
       {{"collection", "2025-12-31"}},
       "2026-02-28",
       "due 2026-02-28 server-logs-2-months period"},
      // Policy notices: 1 year.
      {"policy-update-notice",
       {{"collection", "2024-02-29"}},
       "2025-02-27",
       "pending 2025-02-28 policy-notice-1-year period"},
      // "slettes umiddelbart efter formålet er opnået ... op til en uge".
      {"satisfaction-surveys",
       {{"collection", "2025-02-20"}, {"purpose_fulfilled", "2025-03-01"}},
       "2025-03-08",
       "due 2025-03-08 other-data-immediately-up-to-1-week period"},
      // Newsletters: until sending stops or the subscriber leaves.
      {"newsletter",
       {{"collection", "2022-01-01"}},
       "2030-01-01",
       "kept ongoing-contact-until-stopped anchor-pending"},
      {"newsletter",
       {{"collection", "2022-01-01"}, {"subscription_ended", "2025-04-01"}},
       "2025-04-01",
       "due 2025-04-01 ongoing-contact-until-stopped ended-early"},
      // Recruitment: deleted when the position is filled; a year more on consent.
      {"recruitment",
       {{"collection", "2025-01-10"}, {"position_filled", "2025-03-01"}},
       "2025-03-01",
       "due 2025-03-01 recruitment-until-position-filled period"},
      {"recruitment-keep-after-process",
       {{"collection", "2025-01-10"}, {"consent_to_retain", "2025-03-01"}},
       "2026-02-28",
       "pending 2026-03-01 recruitment-consent-1-year period"},
      {"recruitment-keep-after-process",
       {{"collection", "2025-01-10"},
        {"consent_to_retain", "2025-03-01"},
        {"consent_withdrawn", "2025-07-01"}},
       "2025-07-01",
       "due 2025-07-01 recruitment-consent-1-year ended-early"},
      // Employment: health data at the end, the rest 5 years after.
      {"employment-sickness-and-leave",
       {{"collection", "2019-08-01"}, {"employment_ended", "2025-06-30"}},
       "2025-06-30",
       "due 2025-06-30 employment-health-end-of-employment period"},
      {"former-employees",
       {{"collection", "2019-08-01"}, {"employment_ended", "2025-06-30"}},
       "2030-06-29",
       "pending 2030-06-30 employment-5-years period"},
  };
  for (const Case& c : cases) {
    Seed s("practio.textproto");
    const int row = s.Add(c.purpose, c.events);
    EXPECT_EQ(s.At(row, c.as_of), c.want) << c.purpose;
  }
}

// A patient's journal that is also evidence in a claim: the record-keeping
// duty (retain, then delete) outlasts the claim's deletion; a court case
// holds it beyond both.
TEST(SeedRetention, PractioPatientRecordAndLegalClaimOnOneRecord) {
  Seed practio("practio.textproto");
  const int row = practio.Add("patient-record+legal-claims", {{"collection", "2015-01-01"},
                                                              {"last_entry", "2019-03-01"},
                                                              {"last_processing", "2020-06-15"}});
  // Claim: delete 2025-06-15; journal: keep until 2029-03-01, then delete.
  EXPECT_EQ(practio.At(row, "2026-01-01"),
            "pending 2029-03-01 patient-record-and-treatment-contact-10-years period");
  EXPECT_EQ(practio.At(row, "2029-03-01"),
            "due 2029-03-01 patient-record-and-treatment-contact-10-years period");
  practio.AddHold(row, "2028-01-01");
  EXPECT_EQ(practio.At(row, "2029-03-01"),
            "held patient-record-and-treatment-contact-10-years hold");
}

// Kontakt Læge and the cluster guide state no period: nothing is ever due by rule.
TEST(SeedRetention, DescriptiveRulesKeepTheirRecords) {
  Seed kontakt("kontakt_laege.textproto");
  const int row = kontakt.Add("video-consultation", {{"collection", "2015-01-01"}});
  EXPECT_EQ(kontakt.At(row, "2040-01-01"), "kept as-long-as-needed no-period");
  Seed guide("klyngeguide.textproto");
  const int none = guide.Add("practice-aggregation", {{"collection", "2015-01-01"}});
  EXPECT_EQ(guide.At(none, "2040-01-01"), "kept no-rule");
}

// Every seed rule with a period counts from collection or a well-known event.
TEST(SeedRetention, SeedsUseWellKnownEvents) {
  for (const char* file : {"kapsel.textproto", "kontakt_laege.textproto", "medcom.textproto",
                           "practio.textproto", "klyngeguide.textproto"}) {
    Seed s(file);
    for (const std::string& e : s.schedule().events()) {
      bool known = false;
      for (const EventInfo& w : kWellKnownEvents) known |= w.name == e;
      EXPECT_TRUE(known) << file << ": " << e;
    }
  }
}

}  // namespace
}  // namespace gdprkit
