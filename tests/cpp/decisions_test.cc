// Decide (gdprkit/requests.h) over the seed policies of examples/policies/.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gdprkit/requests.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

DayNumber D(const char* text) {
  absl::StatusOr<DayNumber> d = ParseDate(text);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : kNoDate;
}

std::shared_ptr<const Policy> Seed(const std::string& file) {
  auto p = Policy::Load(std::string(GDPRKIT_EXAMPLES_DIR) + "/policies/" + file);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *p : nullptr;
}

SubjectPurpose P(std::string purpose, std::vector<std::pair<std::string, DayNumber>> dates = {},
                 bool hold = false) {
  return SubjectPurpose{std::move(purpose), std::move(dates), hold};
}

TEST(Decide, PractioPatientRecordErasureKeptTenYears) {
  auto policy = Seed("practio.textproto");
  std::vector<SubjectPurpose> ps = {P("patient-record", {{"last_entry", D("2024-03-15")}}),
                                    P("newsletter")};
  absl::StatusOr<Decision> d = Decide(*policy, RequestKind::kErasure, ps, D("2026-02-01"));
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->purposes.size(), 2u);
  const PurposeDecision& record = d->purposes[0];
  EXPECT_EQ(record.purpose, "patient-record");
  EXPECT_EQ(record.action, RequestAction::kKeep);
  EXPECT_EQ(record.right, Right::kErasure);
  EXPECT_EQ(FormatDate(record.keep_until), "2034-03-15");
  EXPECT_EQ(record.retention_rule, "patient-record-and-treatment-contact-10-years");
  EXPECT_NE(record.reason.find("Art. 17(3)(b)"), std::string::npos) << record.reason;
  // The newsletter rests on consent: erased.
  EXPECT_EQ(d->purposes[1].action, RequestAction::kErase) << d->purposes[1].reason;
  EXPECT_EQ(d->purposes[1].keep_until, kNoDate);
}

TEST(Decide, PatientRecordWithoutItsDateIsKeptWithoutAnEnd) {
  auto policy = Seed("practio.textproto");
  std::vector<SubjectPurpose> ps = {P("patient-record")};
  absl::StatusOr<Decision> d = Decide(*policy, RequestKind::kErasure, ps, D("2026-02-01"));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->purposes[0].action, RequestAction::kKeep);
  EXPECT_EQ(d->purposes[0].keep_until, kNoDate);
  EXPECT_NE(d->purposes[0].reason.find("last_entry"), std::string::npos) << d->purposes[0].reason;
}

TEST(Decide, PatientRecordPastItsTenYearsIsErased) {
  auto policy = Seed("practio.textproto");
  std::vector<SubjectPurpose> ps = {P("patient-record", {{"last_entry", D("2010-01-10")}})};
  absl::StatusOr<Decision> d = Decide(*policy, RequestKind::kErasure, ps, D("2026-02-01"));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->purposes[0].action, RequestAction::kErase) << d->purposes[0].reason;
  EXPECT_NE(d->purposes[0].reason.find("2020-01-10"), std::string::npos) << d->purposes[0].reason;
}

TEST(Decide, MedcomRejectedApplicantIsErased) {
  auto policy = Seed("medcom.textproto");
  std::vector<SubjectPurpose> ps = {
      P("recruitment", {{"start", D("2026-01-05")}, {"application_rejected", D("2026-02-10")}})};
  absl::StatusOr<Decision> d = Decide(*policy, RequestKind::kErasure, ps, D("2026-02-20"));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->purposes[0].action, RequestAction::kErase) << d->purposes[0].reason;
  EXPECT_NE(d->purposes[0].reason.find("Art. 17(1)"), std::string::npos);
  EXPECT_EQ(d->purposes[0].retention_rule, "rejected-applicants-3-months");
}

TEST(Decide, HoldKeepsWhatWouldBeErased) {
  auto policy = Seed("medcom.textproto");
  std::vector<SubjectPurpose> ps = {P("recruitment", {{"application_rejected", D("2026-02-10")}},
                                      /*hold=*/true)};
  absl::StatusOr<Decision> d = Decide(*policy, RequestKind::kErasure, ps, D("2026-02-20"));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->purposes[0].action, RequestAction::kKeep);
  EXPECT_NE(d->purposes[0].reason.find("hold"), std::string::npos);
}

TEST(Decide, LegalClaimsExceptionKeepsUntilTheRuleEnds) {
  auto policy = Seed("practio.textproto");
  std::vector<SubjectPurpose> ps = {P("legal-claims", {{"last_processing", D("2025-06-01")}})};
  absl::StatusOr<Decision> d = Decide(*policy, RequestKind::kErasure, ps, D("2026-02-01"));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->purposes[0].action, RequestAction::kKeep);
  EXPECT_NE(d->purposes[0].reason.find("Art. 17(3)(e)"), std::string::npos)
      << d->purposes[0].reason;
  EXPECT_EQ(FormatDate(d->purposes[0].keep_until), "2030-06-01");
}

TEST(Decide, KontaktLaegePortability) {
  auto policy = Seed("kontakt_laege.textproto");
  std::vector<SubjectPurpose> ps = {P("troubleshooting-and-improvement"),
                                    P("fetch-from-other-controllers")};
  absl::StatusOr<Decision> d = Decide(*policy, RequestKind::kPortability, ps, D("2026-02-01"));
  ASSERT_TRUE(d.ok()) << d.status();
  // Legitimate interest: Art. 20(1)(a) excludes it.
  EXPECT_EQ(d->purposes[0].action, RequestAction::kNotApplicable);
  EXPECT_NE(d->purposes[0].reason.find("Art. 20(1)(a)"), std::string::npos);
  // Another controller's data: that controller answers.
  EXPECT_EQ(d->purposes[1].action, RequestAction::kNotApplicable);
  EXPECT_NE(d->purposes[1].reason.find("not the controller"), std::string::npos)
      << d->purposes[1].reason;
}

TEST(Decide, PortabilityOfConsentDataIsExport) {
  auto policy = Seed("practio.textproto");
  std::vector<SubjectPurpose> ps = {P("research-contact"), P("patient-record")};
  absl::StatusOr<Decision> d = Decide(*policy, RequestKind::kPortability, ps, D("2026-02-01"));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->purposes[0].action, RequestAction::kExport);
  EXPECT_EQ(d->purposes[1].action, RequestAction::kNotApplicable);
}

TEST(Decide, OtherKinds) {
  auto policy = Seed("practio.textproto");
  std::vector<SubjectPurpose> ps = {P("research-contact"), P("patient-record"),
                                    P("website-security-logs")};
  const DayNumber on = D("2026-02-01");
  auto access = Decide(*policy, RequestKind::kAccess, ps, on);
  ASSERT_TRUE(access.ok()) << access.status();
  for (const PurposeDecision& p : access->purposes) EXPECT_EQ(p.action, RequestAction::kProvide);

  auto withdrawal = Decide(*policy, RequestKind::kWithdrawal, ps, on);
  ASSERT_TRUE(withdrawal.ok());
  EXPECT_EQ(withdrawal->purposes[0].action, RequestAction::kStop);
  EXPECT_EQ(withdrawal->purposes[1].action, RequestAction::kNotApplicable);
  EXPECT_NE(withdrawal->purposes[1].reason.find("Art. 7(3)"), std::string::npos);

  auto objection = Decide(*policy, RequestKind::kObjection, ps, on);
  ASSERT_TRUE(objection.ok());
  EXPECT_EQ(objection->purposes[0].action, RequestAction::kNotApplicable);  // consent
  EXPECT_EQ(objection->purposes[2].action, RequestAction::kStop);           // A6-1-f
  EXPECT_NE(objection->purposes[2].reason.find("compelling"), std::string::npos);

  auto restriction = Decide(*policy, RequestKind::kRestriction, ps, on);
  ASSERT_TRUE(restriction.ok());
  EXPECT_EQ(restriction->purposes[1].action, RequestAction::kRestrict);

  auto rectification = Decide(*policy, RequestKind::kRectification, ps, on);
  ASSERT_TRUE(rectification.ok());
  EXPECT_EQ(rectification->purposes[1].action, RequestAction::kRectify);
  EXPECT_NE(rectification->purposes[1].reason.find("record-keeping"), std::string::npos)
      << rectification->purposes[1].reason;
  EXPECT_EQ(rectification->purposes[2].reason.find("record-keeping"), std::string::npos);
}

TEST(Decide, Errors) {
  auto policy = Seed("practio.textproto");
  const DayNumber on = D("2026-02-01");
  std::vector<SubjectPurpose> unknown = {P("newsletter"), P("patient-recrd")};
  auto d = Decide(*policy, RequestKind::kErasure, unknown, on);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(d.status().message().find("purposes[1]"), std::string::npos) << d.status();
  EXPECT_NE(d.status().message().find("patient-record"), std::string::npos) << d.status();

  std::vector<SubjectPurpose> bad_name = {P("patient-record", {{"Last Entry", D("2024-01-01")}})};
  d = Decide(*policy, RequestKind::kErasure, bad_name, on);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(d.status().message().find("purposes[0].dates[0]"), std::string::npos);

  std::vector<SubjectPurpose> typo = {P("patient-record", {{"last_entyr", D("2024-01-01")}})};
  d = Decide(*policy, RequestKind::kErasure, typo, on);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("last_entry"), std::string::npos) << d.status();

  std::vector<SubjectPurpose> twice = {
      P("patient-record", {{"last_entry", D("2024-01-01")}, {"last_entry", D("2024-01-02")}})};
  EXPECT_FALSE(Decide(*policy, RequestKind::kErasure, twice, on).ok());

  std::vector<SubjectPurpose> ok = {P("newsletter")};
  EXPECT_EQ(Decide(*policy, RequestKind::kErasure, ok, kNoDate).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gdprkit
