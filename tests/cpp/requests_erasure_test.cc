// CarryOutErasure and AccessReport (gdprkit/requests.h) with a vault, a
// consent ledger and a request register: the MedCom rejected applicant's
// erasure and Practio's patient kept by the record-keeping rules.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gdprkit/requests.h"
#include "gdprkit/vault.h"
#include "gtest/gtest.h"
#include "test_files.h"

namespace gdprkit {
namespace {

using ::gdprkit::testing::ReadAll;
using ::gdprkit::testing::TempPath;

constexpr char kCpr[] = "010180-1004";

DayNumber D(const char* text) {
  absl::StatusOr<DayNumber> d = ParseDate(text);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : kNoDate;
}

std::shared_ptr<const Policy> Seed(const std::string& file) {
  auto p = Policy::Load(std::string(GDPRKIT_EXAMPLES_DIR) + "/policies/" + file);
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

class ErasureTest : public ::testing::Test {
 protected:
  void Open(const std::string& policy_file, const std::string& consent_purpose) {
    policy_ = Seed(policy_file);
    auto v = Vault::Create(VaultOptions()
                               .set_path(TempPath("vault.db"))
                               .set_passphrase("correct horse")
                               .set_kdf_limits(KdfLimits::ForTestsOnly())
                               .set_actor("test-suite"));
    ASSERT_TRUE(v.ok()) << v.status();
    vault_ = *std::move(v);
    ASSERT_TRUE(vault_->CreateDomain("applicants").ok());
    ASSERT_TRUE(vault_->CreateDomain("other").ok());
    StringColumn out;
    std::vector<std::string_view> ids = {kCpr};
    ASSERT_TRUE(vault_->Tokenize("applicants", IdKind::kCpr, ids, &out).ok());
    subject_ = std::string(out[0]);
    ASSERT_TRUE(vault_->Tokenize("other", IdKind::kCpr, ids, &out).ok());
    ledger_path_ = TempPath("ledger.db");
    auto l = ConsentLedger::Create(ledger_path_, policy_);
    ASSERT_TRUE(l.ok()) << l.status();
    ledger_ = *std::move(l);
    ConsentRecord c;
    c.subject = subject_;
    c.purpose = consent_purpose;
    c.state = ConsentState::kGiven;
    c.at = 1767225600;  // 2026-01-01T00:00:00Z
    c.notice_version = "v3";
    c.notice_digest = NoticeDigest("the notice's text");
    c.channel = "web";
    c.recorded_by = "site";
    c.evidence = "form 17 \"signed\"";
    ASSERT_TRUE(ledger_->Record({c}).ok());
    auto r = RequestRegister::Create(TempPath("register.db"), policy_);
    ASSERT_TRUE(r.ok()) << r.status();
    register_ = *std::move(r);
  }

  std::shared_ptr<const Policy> policy_;
  std::unique_ptr<Vault> vault_;
  std::unique_ptr<ConsentLedger> ledger_;
  std::unique_ptr<RequestRegister> register_;
  std::string subject_;
  std::string ledger_path_;
};

TEST_F(ErasureTest, MedcomRejectedApplicantErased) {
  Open("medcom.textproto", "communication-with-consent");
  NewRequest in;
  in.kind = RequestKind::kErasure;
  in.subject = subject_;
  in.purposes = {"recruitment", "communication-with-consent"};
  in.received = D("2026-01-31");
  in.channel = "email";
  in.recorded_by = "hr";
  auto req = register_->Receive(in);
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(FormatDate(req->due), "2026-02-28");
  std::vector<SubjectPurpose> ps = {
      {"recruitment", {{"application_rejected", D("2026-01-20")}}, false},
      {"communication-with-consent", {}, false}};
  auto d = Decide(*policy_, RequestKind::kErasure, ps, D("2026-02-02"));
  ASSERT_TRUE(d.ok()) << d.status();
  auto out = CarryOutErasure(*d, vault_.get(), IdKind::kCpr, kCpr, ledger_.get(), subject_, "hr");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->vault_tokens_erased, 2u);
  EXPECT_EQ(out->consent_entries_erased, 1);
  ASSERT_EQ(out->caller_must_delete.size(), 2u);
  EXPECT_EQ(out->caller_must_delete[0].purpose, "recruitment");
  EXPECT_TRUE(out->kept.empty());
  auto states = ledger_->StatesOn({subject_}, "communication-with-consent", D("2026-02-03"));
  ASSERT_TRUE(states.ok()) << states.status();
  EXPECT_EQ((*states)[0], ConsentState::kNone);
  auto closed = register_->Close(req->id, RequestStatus::kAnswered, "erased; HR system notified",
                                 D("2026-02-03"), "hr");
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_TRUE(ledger_->Verify()->intact);
  ledger_.reset();
  EXPECT_EQ(ReadAll(ledger_path_).find(subject_), std::string::npos);
}

TEST_F(ErasureTest, PractioPatientKeptSoTheVaultStays) {
  Open("practio.textproto", "research-contact");
  std::vector<SubjectPurpose> ps = {{"patient-record", {{"last_entry", D("2025-05-01")}}, false},
                                    {"research-contact", {}, false}};
  auto d = Decide(*policy_, RequestKind::kErasure, ps, D("2026-02-02"));
  ASSERT_TRUE(d.ok()) << d.status();
  auto refused =
      CarryOutErasure(*d, vault_.get(), IdKind::kCpr, kCpr, ledger_.get(), subject_, "dpo");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("patient-record"), std::string::npos);
  EXPECT_EQ(refused.status().message().find("010180"), std::string::npos);
  EXPECT_EQ(ledger_->EntriesOf(subject_)->size(), 1u);  // nothing done
  auto out = CarryOutErasure(*d, nullptr, IdKind::kCpr, "", ledger_.get(), subject_, "dpo");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->vault_tokens_erased, 0u);
  EXPECT_EQ(out->consent_entries_erased, 1);
  ASSERT_EQ(out->kept.size(), 1u);
  EXPECT_EQ(FormatDate(out->kept[0].keep_until), "2035-05-01");
  ASSERT_EQ(out->caller_must_delete.size(), 1u);
  EXPECT_EQ(out->caller_must_delete[0].purpose, "research-contact");
}

TEST_F(ErasureTest, OnlyErasureDecisions) {
  Open("medcom.textproto", "communication-with-consent");
  std::vector<SubjectPurpose> ps = {{"recruitment", {}, false}};
  auto d = Decide(*policy_, RequestKind::kAccess, ps, D("2026-02-02"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(CarryOutErasure(*d, nullptr, IdKind::kCpr, "", nullptr, "", "dpo").status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto e = Decide(*policy_, RequestKind::kErasure, ps, D("2026-02-02"));
  EXPECT_EQ(CarryOutErasure(*e, vault_.get(), IdKind::kCpr, "", nullptr, "", "dpo").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ErasureTest, AccessReportIsJson) {
  Open("practio.textproto", "research-contact");
  NewRequest in;
  in.id = "case-7";
  in.kind = RequestKind::kAccess;
  in.subject = subject_;
  in.received = D("2026-03-31");
  in.channel = "letter";
  in.recorded_by = "front desk";
  ASSERT_TRUE(register_->Receive(in).ok());
  ASSERT_TRUE(register_
                  ->Close("case-7", RequestStatus::kAnswered, "sent \"copy\"\nby post",
                          D("2026-04-10"), "dpo")
                  .ok());
  auto json = AccessReport(subject_, ledger_.get(), register_.get());
  ASSERT_TRUE(json.ok()) << json.status();
  const std::string& j = *json;
  EXPECT_EQ(j.front(), '{');
  EXPECT_EQ(j.back(), '}');
  EXPECT_NE(j.find("\"purpose\":\"research-contact\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"state\":\"given\""), std::string::npos);
  EXPECT_NE(j.find("\"notice_version\":\"v3\""), std::string::npos);
  EXPECT_NE(j.find(NoticeDigest("the notice's text")), std::string::npos);
  EXPECT_NE(j.find("\"evidence\":\"form 17 \\\"signed\\\"\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"due\":\"2026-04-30\""), std::string::npos);
  EXPECT_NE(j.find("\"outcome\":\"sent \\\"copy\\\"\\nby post\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"event\":\"answered\""), std::string::npos);
  EXPECT_NE(j.find("\"at\":\"2026-01-01T00:00:00Z\""), std::string::npos);
  EXPECT_EQ(j.find('\n'), std::string::npos);
  // Another subject: nothing of this one.
  StringColumn out;
  std::vector<std::string_view> ids = {"290200-4002"};
  ASSERT_TRUE(vault_->Tokenize("applicants", IdKind::kCpr, ids, &out).ok());
  auto other = AccessReport(out[0], ledger_.get(), register_.get());
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->find("\"consent\":[]"), std::string::npos) << *other;
  EXPECT_NE(other->find("\"requests\":[]"), std::string::npos);
  EXPECT_EQ(AccessReport("0101801004", ledger_.get(), nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AccessReport(subject_, nullptr, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gdprkit
