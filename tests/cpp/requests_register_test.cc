// The request register (gdprkit/requests.h): receipt, identity, extension,
// closing, overdue lists, the trail, erasure and tampering detected.
#include <sqlite3.h>
#include <sys/stat.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gdprkit/requests.h"
#include "gtest/gtest.h"
#include "test_files.h"

namespace gdprkit {
namespace {

using ::gdprkit::testing::TempPath;

constexpr char kSubject[] = "tk_abcdefghijklmnopqrstuvwxyz234567";
constexpr char kOther[] = "ps1_abcdefghijklmnopqrstuvwxya";

DayNumber D(const char* text) {
  absl::StatusOr<DayNumber> d = ParseDate(text);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : kNoDate;
}

std::shared_ptr<const Policy> Medcom() {
  auto p = Policy::Load(std::string(GDPRKIT_EXAMPLES_DIR) + "/policies/medcom.textproto");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

NewRequest Erasure(const char* id, const char* received, const char* subject = kSubject) {
  NewRequest r;
  r.id = id;
  r.kind = RequestKind::kErasure;
  r.subject = subject;
  r.purposes = {"recruitment"};
  r.received = D(received);
  r.channel = "email";
  r.recorded_by = "hr-1";
  return r;
}

void Sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
  sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
}

class RegisterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TempPath("register.db");
    auto r = RequestRegister::Create(path_, Medcom());
    ASSERT_TRUE(r.ok()) << r.status();
    reg_ = *std::move(r);
  }
  std::string path_;
  std::unique_ptr<RequestRegister> reg_;
};

TEST_F(RegisterTest, ReceiveGivesTheDeadline) {
  auto r = reg_->Receive(Erasure("case-1", "2026-01-31"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->id, "case-1");
  EXPECT_EQ(FormatDate(r->due), "2026-02-28");
  EXPECT_EQ(r->status, RequestStatus::kOpen);
  EXPECT_EQ(r->identity, IdentityCheck::kNotChecked);
  EXPECT_EQ(r->subject, kSubject);
  struct stat st;
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(RegisterTest, AssignsIds) {
  auto a = reg_->Receive(Erasure("", "2026-01-10"));
  auto b = reg_->Receive(Erasure("", "2026-01-10"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->id.substr(0, 3), "rq_");
  EXPECT_EQ(a->id.size(), 19u);
  EXPECT_NE(a->id, b->id);
}

TEST_F(RegisterTest, RefusesBadInput) {
  ASSERT_TRUE(reg_->Receive(Erasure("case-1", "2026-01-31")).ok());
  EXPECT_EQ(reg_->Receive(Erasure("case-1", "2026-01-31")).status().code(),
            absl::StatusCode::kAlreadyExists);
  NewRequest clear = Erasure("case-2", "2026-01-31", "0101701234");
  auto s = reg_->Receive(clear).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().find("0101701234"), std::string::npos);
  EXPECT_NE(s.message().find("subject"), std::string::npos);
  NewRequest unknown = Erasure("case-3", "2026-01-31");
  unknown.purposes = {"recruitmnt"};
  s = reg_->Receive(unknown).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(s.message().find("recruitment"), std::string::npos) << s;
  NewRequest no_channel = Erasure("case-4", "2026-01-31");
  no_channel.channel = "";
  EXPECT_NE(reg_->Receive(no_channel).status().message().find("channel"), std::string::npos);
  NewRequest bad_id = Erasure("case 5", "2026-01-31");
  EXPECT_NE(reg_->Receive(bad_id).status().message().find("id"), std::string::npos);
  NewRequest no_date = Erasure("case-6", "2026-01-31");
  no_date.received = kNoDate;
  EXPECT_NE(reg_->Receive(no_date).status().message().find("received"), std::string::npos);
}

TEST_F(RegisterTest, ExtendOnceBeforeTheFirstDeadline) {
  ASSERT_TRUE(reg_->Receive(Erasure("case-1", "2026-01-31")).ok());
  auto e = reg_->Extend("case-1", "complex: records in three systems", D("2026-02-20"), "dpo");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_TRUE(e->extended);
  EXPECT_EQ(FormatDate(e->due), "2026-04-30");
  EXPECT_EQ(e->extension_reason, "complex: records in three systems");
  auto again = reg_->Extend("case-1", "more", D("2026-02-21"), "dpo");
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("once"), std::string::npos) << again.status();

  ASSERT_TRUE(reg_->Receive(Erasure("case-2", "2026-01-31")).ok());
  auto late = reg_->Extend("case-2", "too late", D("2026-03-01"), "dpo");
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(late.status().message().find("2026-02-28"), std::string::npos);
  EXPECT_EQ(reg_->Extend("case-2", "", D("2026-02-01"), "dpo").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(reg_->Extend("case-2", "on the last day", D("2026-02-28"), "dpo").ok());
}

TEST_F(RegisterTest, CloseAndClosedCannotChange) {
  ASSERT_TRUE(reg_->Receive(Erasure("case-1", "2026-01-10")).ok());
  auto id = reg_->CheckIdentity("case-1", true, "MitID", D("2026-01-11"), "hr-1");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->identity, IdentityCheck::kVerified);
  EXPECT_EQ(id->identity_method, "MitID");
  EXPECT_EQ(
      reg_->Close("case-1", RequestStatus::kAnswered, "", D("2026-01-09"), "hr-1").status().code(),
      absl::StatusCode::kInvalidArgument);  // before received
  auto c = reg_->Close("case-1", RequestStatus::kAnswered, "erased", D("2026-01-20"), "hr-1");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->status, RequestStatus::kAnswered);
  EXPECT_EQ(FormatDate(c->closed_on), "2026-01-20");
  EXPECT_EQ(
      reg_->Close("case-1", RequestStatus::kRefused, "x", D("2026-01-21"), "hr-1").status().code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(reg_->CheckIdentity("case-1", false, "letter", D("2026-01-21"), "hr-1").status().code(),
            absl::StatusCode::kFailedPrecondition);

  ASSERT_TRUE(reg_->Receive(Erasure("case-2", "2026-01-10")).ok());
  EXPECT_EQ(
      reg_->Close("case-2", RequestStatus::kRefused, "", D("2026-01-12"), "hr-1").status().code(),
      absl::StatusCode::kInvalidArgument);  // a refusal needs its reason
  EXPECT_EQ(
      reg_->Close("case-2", RequestStatus::kOpen, "x", D("2026-01-12"), "hr-1").status().code(),
      absl::StatusCode::kInvalidArgument);
  auto nf = reg_->Close("case-3", RequestStatus::kAnswered, "", D("2026-01-12"), "hr-1");
  EXPECT_EQ(nf.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(nf.status().message().find("case-2"), std::string::npos) << nf.status();
}

TEST_F(RegisterTest, OverdueMostOverdueFirst) {
  ASSERT_TRUE(reg_->Receive(Erasure("a", "2026-01-05")).ok());
  ASSERT_TRUE(reg_->Receive(Erasure("b", "2026-01-02")).ok());
  ASSERT_TRUE(reg_->Receive(Erasure("c", "2026-02-20")).ok());
  ASSERT_TRUE(reg_->Receive(Erasure("d", "2026-01-01")).ok());
  ASSERT_TRUE(reg_->Close("d", RequestStatus::kAnswered, "", D("2026-01-03"), "x").ok());
  ASSERT_TRUE(reg_->Receive(Erasure("e", "2026-01-03")).ok());
  ASSERT_TRUE(reg_->Extend("e", "many systems", D("2026-01-04"), "x").ok());
  auto o = reg_->Overdue(D("2026-02-06"));
  ASSERT_TRUE(o.ok()) << o.status();
  ASSERT_EQ(o->size(), 2u);
  EXPECT_EQ((*o)[0].id, "b");
  EXPECT_EQ((*o)[1].id, "a");
  // Due on 2026-02-05: not overdue on that day.
  EXPECT_EQ(reg_->Overdue(D("2026-02-05"))->size(), 1u);
  auto all = reg_->List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[0].id, "d");
  EXPECT_EQ((*all)[4].id, "c");
}

TEST_F(RegisterTest, TrailAndReopen) {
  ASSERT_TRUE(reg_->Receive(Erasure("case-1", "2026-01-10")).ok());
  ASSERT_TRUE(reg_->CheckIdentity("case-1", false, "letter", D("2026-01-11"), "hr-1").ok());
  ASSERT_TRUE(reg_->Extend("case-1", "backlog", D("2026-01-12"), "dpo").ok());
  ASSERT_TRUE(reg_->Close("case-1", RequestStatus::kRefused, "identity not verified",
                          D("2026-01-30"), "dpo")
                  .ok());
  ASSERT_TRUE(reg_->Receive(Erasure("case-2", "2026-01-10", kOther)).ok());
  auto t = reg_->Trail("case-1");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->size(), 4u);
  EXPECT_EQ((*t)[0].event, "received");
  EXPECT_EQ((*t)[1].event, "identity_failed");
  EXPECT_EQ((*t)[2].event, "extended");
  EXPECT_EQ((*t)[2].detail, "backlog");
  EXPECT_EQ((*t)[3].event, "refused");
  EXPECT_EQ((*t)[3].recorded_by, "dpo");
  EXPECT_EQ((*t)[3].hash.size(), 64u);
  EXPECT_EQ(reg_->Trail()->size(), 5u);
  EXPECT_EQ(reg_->Trail("nope").status().code(), absl::StatusCode::kNotFound);

  const std::string id = reg_->register_id();
  reg_.reset();
  auto again = RequestRegister::Open(path_, Medcom());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*again)->register_id(), id);
  auto r = (*again)->Get("case-1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, RequestStatus::kRefused);
  EXPECT_EQ(r->identity, IdentityCheck::kFailed);
  EXPECT_TRUE(r->extended);
  EXPECT_EQ(FormatDate(r->due), "2026-04-10");
  EXPECT_EQ(r->outcome, "identity not verified");
  auto v = (*again)->Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact);
  EXPECT_EQ(v->entries, 5);
}

TEST_F(RegisterTest, TwoHandlesSeeEachOther) {
  auto other = RequestRegister::Open(path_, Medcom());
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE(reg_->Receive(Erasure("case-1", "2026-01-10")).ok());
  ASSERT_TRUE((*other)->Get("case-1").ok());
  ASSERT_TRUE((*other)->Close("case-1", RequestStatus::kAnswered, "", D("2026-01-12"), "x").ok());
  EXPECT_EQ(
      reg_->Close("case-1", RequestStatus::kCancelled, "", D("2026-01-13"), "x").status().code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_F(RegisterTest, ThreadsAndHandlesShareTheRegister) {
  auto other = RequestRegister::Open(path_, Medcom());
  ASSERT_TRUE(other.ok()) << other.status();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    RequestRegister* r = t % 2 == 0 ? reg_.get() : other->get();
    threads.emplace_back([r, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        EXPECT_TRUE(r->Receive(Erasure(id.c_str(), "2026-01-10")).ok());
        EXPECT_TRUE(r->Close(id, RequestStatus::kAnswered, "", D("2026-01-11"), "x").ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  auto a = reg_->List();
  auto b = (*other)->List();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 100u);
  EXPECT_EQ(b->size(), 100u);
  for (const Request& r : *a) EXPECT_EQ(r.status, RequestStatus::kAnswered) << r.id;
  EXPECT_TRUE(reg_->Verify()->intact);
  EXPECT_EQ(reg_->Verify()->entries, 200);
}

TEST_F(RegisterTest, EraseSubjectKeepsTheChain) {
  ASSERT_TRUE(reg_->Receive(Erasure("case-1", "2026-01-10")).ok());
  ASSERT_TRUE(reg_->Extend("case-1", "a reason naming the person", D("2026-01-12"), "dpo").ok());
  ASSERT_TRUE(reg_->Receive(Erasure("case-2", "2026-01-10", kOther)).ok());
  auto n = reg_->EraseSubject(kSubject, "dpo");
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(*reg_->EraseSubject(kSubject, "dpo"), 0);
  auto r = reg_->Get("case-1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->subject, "");
  EXPECT_EQ(r->extension_reason, "");
  EXPECT_TRUE(r->extended);
  EXPECT_EQ(reg_->Get("case-2")->subject, kOther);
  auto t = reg_->Trail("case-1");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->back().event, "erased");
  EXPECT_TRUE(reg_->Verify()->intact);
  reg_.reset();
  const std::string bytes = ::gdprkit::testing::ReadAll(path_);
  EXPECT_EQ(bytes.find(kSubject), std::string::npos);
  EXPECT_EQ(bytes.find("naming the person"), std::string::npos);
  EXPECT_TRUE(RequestRegister::Open(path_, Medcom()).ok());
}

class TamperTest : public RegisterTest {
 protected:
  void Fill() {
    ASSERT_TRUE(reg_->Receive(Erasure("case-1", "2026-01-10")).ok());
    ASSERT_TRUE(reg_->Extend("case-1", "backlog", D("2026-01-12"), "dpo").ok());
    ASSERT_TRUE(reg_->Receive(Erasure("case-2", "2026-01-11", kOther)).ok());
    ASSERT_TRUE(reg_->Close("case-1", RequestStatus::kAnswered, "", D("2026-01-20"), "x").ok());
    head_ = reg_->Verify()->head;
    reg_.reset();
  }
  // Opening fails with DataLoss naming entry `seq`.
  void ExpectBrokenAt(int seq) {
    auto r = RequestRegister::Open(path_, Medcom());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << r.status();
    EXPECT_NE(r.status().message().find("entry " + std::to_string(seq)), std::string::npos)
        << r.status();
  }
  std::string head_;
};

TEST_F(TamperTest, EditedDateDetected) {
  Fill();
  Sql(path_, "UPDATE entries SET body = replace(body, '2026-01-12', '2026-01-13') WHERE seq = 2");
  ExpectBrokenAt(2);
}

TEST_F(TamperTest, EditedKindDetected) {
  Fill();
  Sql(path_, "UPDATE entries SET kind = 'refused' WHERE seq = 4");
  ExpectBrokenAt(4);
}

TEST_F(TamperTest, DeletedEntryDetected) {
  Fill();
  Sql(path_, "DELETE FROM entries WHERE seq = 2");
  ExpectBrokenAt(2);
}

TEST_F(TamperTest, ReorderedEntriesDetected) {
  Fill();
  Sql(path_,
      "UPDATE entries SET seq = 100 WHERE seq = 2; UPDATE entries SET seq = 2 WHERE seq = 3;"
      "UPDATE entries SET seq = 3 WHERE seq = 100");
  ExpectBrokenAt(2);
}

TEST_F(TamperTest, EditedSubjectDetected) {
  Fill();
  Sql(path_, "UPDATE entries SET subject = 'tk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' WHERE seq = 3");
  ExpectBrokenAt(3);
}

TEST_F(TamperTest, TruncatedEndFoundWithTheHead) {
  Fill();
  Sql(path_, "DELETE FROM entries WHERE seq = 4");
  auto r = RequestRegister::Open(path_, Medcom());
  ASSERT_TRUE(r.ok()) << r.status();  // a shorter chain is a chain ...
  auto v = (*r)->Verify(head_);       // ... but not the one anchored
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_FALSE(v->intact);
}

TEST_F(TamperTest, AnotherKeyOrNone) {
  reg_.reset();
  const std::string keyed = TempPath("keyed.db");
  RequestRegisterOptions o;
  o.key = "0123456789abcdef0123";
  ASSERT_TRUE(RequestRegister::Create(keyed, Medcom(), o).ok());
  EXPECT_EQ(RequestRegister::Open(keyed, Medcom()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  o.key = "another key of 20 by";
  EXPECT_EQ(RequestRegister::Open(keyed, Medcom(), o).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace gdprkit
