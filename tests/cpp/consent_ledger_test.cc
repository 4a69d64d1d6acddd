// Tests for gdprkit/consent.h: states as of dates, bulk, purpose and subject
// checks, tampering (the SQLite file edited directly), receipts, erasure,
// two handles.
#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gdprkit/consent.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_files.h"

namespace gdprkit {
namespace {

using ::gdprkit::testing::ReadAll;
using ::gdprkit::testing::TempPath;
using ::testing::HasSubstr;
using ::testing::Not;

std::shared_ptr<const Policy> Practio() {
  static auto p = Policy::Load(std::string(GDPRKIT_EXAMPLES_DIR) + "/policies/practio.textproto");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

DayNumber D(const char* text) { return *ParseDate(text); }

// Seconds since the epoch of a UTC time "YYYY-MM-DDTHH:MM:SSZ".
std::int64_t T(const char* text) {
  const DayNumber d = D(std::string(text, 10).c_str());
  const int h = std::stoi(std::string(text + 11, 2));
  const int m = std::stoi(std::string(text + 14, 2));
  return std::int64_t{d} * 86400 + h * 3600 + m * 60;
}

// Token-shaped subjects: "tk_" + 32 base32 characters.
std::string Tk(int i) {
  std::string s = "tk_";
  const char* alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  for (int k = 0; k < 32; ++k) s.push_back(alphabet[(i * 7 + k * 13 + (i >> 5) * k) % 32]);
  return s;
}

const std::string kNotice = "Du kan blive kontaktet af forskere. Version 3.";

ConsentRecord Rec(const std::string& subject, ConsentState state, std::int64_t at,
                  std::string purpose = "research-contact") {
  ConsentRecord r;
  r.subject = subject;
  r.purpose = std::move(purpose);
  r.state = state;
  r.at = at;
  r.notice_version = "v3";
  r.notice_digest = NoticeDigest(kNotice);
  r.channel = "web";
  r.recorded_by = "system:booking";
  r.evidence = "form-4711";
  return r;
}

std::unique_ptr<ConsentLedger> NewLedger(const std::string& path, std::string_view key = {}) {
  ConsentLedgerOptions o;
  o.key = key;
  o.sync = false;
  auto l = ConsentLedger::Create(path, Practio(), o);
  EXPECT_TRUE(l.ok()) << l.status();
  return l.ok() ? std::move(*l) : nullptr;
}

absl::StatusOr<std::unique_ptr<ConsentLedger>> OpenLedger(const std::string& path,
                                                          std::string_view key = {}) {
  ConsentLedgerOptions o;
  o.key = key;
  o.sync = false;
  return ConsentLedger::Open(path, Practio(), o);
}

void Tamper(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
  sqlite3_close(db);
}

// The notices table's versions, in order.
std::vector<std::string> NoticeVersions(const std::string& path) {
  std::vector<std::string> out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return out;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT version FROM notices ORDER BY version", -1, &st, nullptr) ==
      SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

ConsentState One(const ConsentLedger& l, const std::string& s, std::int64_t at,
                 std::string_view purpose = "research-contact") {
  std::vector<std::string_view> v = {s};
  auto r = l.States(v, purpose, at);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? (*r)[0] : ConsentState::kNone;
}

TEST(ConsentVocabulary, NamesAndTerms) {
  EXPECT_EQ(ConsentStateName(ConsentState::kWithdrawn), "withdrawn");
  EXPECT_EQ(ConsentStateDpv(ConsentState::kGiven), "dpv:ConsentGiven");
  EXPECT_EQ(ConsentStateDpv(ConsentState::kNone), "dpv:ConsentUnknown");
  EXPECT_EQ(ConsentStateTitle(ConsentState::kRefused, Language::kDanish), "samtykke afslået");
  EXPECT_EQ(*ParseConsentState("expired"), ConsentState::kExpired);
  auto bad = ParseConsentState("withdrawm");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("did you mean \"withdrawn\""));
  EXPECT_EQ(ConsentStateNames().size(), static_cast<std::size_t>(kConsentStateCount));
  EXPECT_EQ(NoticeDigest("abc").substr(0, 12), "blake2b-256:");
  EXPECT_EQ(NoticeDigest("abc").size(), 12u + 64u);
}

TEST(ConsentLedger, StatesAsOfDates) {
  auto l = NewLedger(TempPath("ledger.db"));
  const std::string a = Tk(1), b = Tk(2);
  ASSERT_TRUE(l->Record({Rec(a, ConsentState::kGiven, T("2026-01-10T10:00Z")),
                         Rec(a, ConsentState::kWithdrawn, T("2026-03-01T09:00Z")),
                         Rec(a, ConsentState::kGiven, T("2026-05-01T09:00Z")),
                         Rec(b, ConsentState::kRefused, T("2026-01-10T10:00Z"))})
                  .ok());
  EXPECT_EQ(One(*l, a, T("2026-01-01T00:00Z")), ConsentState::kNone);
  EXPECT_EQ(One(*l, a, T("2026-01-10T10:00Z")), ConsentState::kGiven);
  EXPECT_EQ(One(*l, a, T("2026-02-01T00:00Z")), ConsentState::kGiven);
  EXPECT_EQ(One(*l, a, T("2026-03-01T09:00Z")), ConsentState::kWithdrawn);
  EXPECT_EQ(One(*l, a, T("2026-06-01T00:00Z")), ConsentState::kGiven);
  EXPECT_EQ(One(*l, b, T("2026-06-01T00:00Z")), ConsentState::kRefused);
  EXPECT_EQ(One(*l, Tk(3), T("2026-06-01T00:00Z")), ConsentState::kNone);
  // Another consent purpose knows nothing of these.
  EXPECT_EQ(One(*l, a, T("2026-06-01T00:00Z"), "newsletter"), ConsentState::kNone);
  // As of the end of a day in Copenhagen.
  auto on = l->StatesOn(std::vector<std::string_view>{a}, "research-contact", D("2026-02-28"));
  ASSERT_TRUE(on.ok());
  EXPECT_EQ((*on)[0], ConsentState::kGiven);
  on = l->StatesOn(std::vector<std::string_view>{a}, "research-contact", D("2026-03-01"));
  EXPECT_EQ((*on)[0], ConsentState::kWithdrawn);
}

TEST(ConsentLedger, BackdatedEntriesCountByTheirTime) {
  auto l = NewLedger(TempPath("ledger.db"));
  const std::string a = Tk(1);
  ASSERT_TRUE(l->Record({Rec(a, ConsentState::kGiven, T("2026-01-10T10:00Z"))}).ok());
  // The withdrawal on paper is typed in later but dated earlier than a renewed consent.
  ASSERT_TRUE(l->Record({Rec(a, ConsentState::kGiven, T("2026-04-01T10:00Z"))}).ok());
  ASSERT_TRUE(l->Record({Rec(a, ConsentState::kWithdrawn, T("2026-02-01T10:00Z"))}).ok());
  EXPECT_EQ(One(*l, a, T("2026-03-01T00:00Z")), ConsentState::kWithdrawn);
  EXPECT_EQ(One(*l, a, T("2026-05-01T00:00Z")), ConsentState::kGiven);
}

TEST(ConsentLedger, ExpiryIsInclusiveInCopenhagen) {
  auto l = NewLedger(TempPath("ledger.db"));
  const std::string a = Tk(1);
  ConsentRecord r = Rec(a, ConsentState::kGiven, T("2026-01-10T10:00Z"));
  r.valid_until = D("2026-06-30");
  ASSERT_TRUE(l->Record({r}).ok());
  // 2026-06-30T21:59Z is 23:59 in Copenhagen (summer time): still valid.
  EXPECT_EQ(One(*l, a, T("2026-06-30T21:59Z")), ConsentState::kGiven);
  EXPECT_EQ(One(*l, a, T("2026-06-30T22:00Z")), ConsentState::kExpired);
  ConsentRecord bad = r;
  bad.valid_until = D("2026-01-01");
  EXPECT_EQ(l->Record({bad}).status().code(), absl::StatusCode::kInvalidArgument);
  bad = Rec(a, ConsentState::kWithdrawn, T("2026-01-10T10:00Z"));
  bad.valid_until = D("2026-12-01");
  EXPECT_EQ(l->Record({bad}).status().code(), absl::StatusCode::kInvalidArgument);
  // A controller may record the end itself.
  ASSERT_TRUE(l->Record({Rec(a, ConsentState::kExpired, T("2026-03-01T00:00Z"))}).ok());
  EXPECT_EQ(One(*l, a, T("2026-04-01T00:00Z")), ConsentState::kExpired);
}

TEST(ConsentLedger, BulkStatesAndWithdrawals) {
  auto l = NewLedger(TempPath("ledger.db"));
  std::vector<ConsentRecord> recs;
  for (int i = 0; i < 500; ++i) {
    recs.push_back(Rec(Tk(i), ConsentState::kGiven, T("2026-01-10T10:00Z")));
    if (i % 5 == 0) recs.push_back(Rec(Tk(i), ConsentState::kWithdrawn, T("2026-02-03T23:30Z")));
  }
  auto n = l->RecordCount(recs);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 600);
  std::vector<std::string> subjects;
  for (int i = 0; i < 520; ++i) subjects.push_back(Tk(i));
  std::vector<std::string_view> views(subjects.begin(), subjects.end());
  auto st = l->States(views, "research-contact", T("2026-03-01T00:00Z"));
  ASSERT_TRUE(st.ok());
  for (int i = 0; i < 520; ++i) {
    const ConsentState want = i >= 500     ? ConsentState::kNone
                              : i % 5 == 0 ? ConsentState::kWithdrawn
                                           : ConsentState::kGiven;
    EXPECT_EQ((*st)[i], want) << i;
  }
  auto w = l->Withdrawals("research-contact", T("2026-03-01T00:00Z"));
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->size(), 100u);
  // 23:30Z on 3 February is 00:30 on 4 February in Copenhagen.
  EXPECT_EQ((*w)[0].withdrawn_on, D("2026-02-04"));
  EXPECT_TRUE(std::is_sorted(w->begin(), w->end(),
                             [](const auto& x, const auto& y) { return x.subject < y.subject; }));
  EXPECT_TRUE(l->Withdrawals("research-contact", T("2026-01-20T00:00Z"))->empty());
}

TEST(ConsentLedger, PurposeChecks) {
  auto l = NewLedger(TempPath("ledger.db"));
  auto r = l->Record({Rec(Tk(1), ConsentState::kGiven, 1, "research-contakt")});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("research-contact"));
  r = l->Record({Rec(Tk(1), ConsentState::kGiven, 1, "patient-record")});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), HasSubstr("patient-record"));
  EXPECT_THAT(r.status().message(), HasSubstr("A6-1-c"));
  std::vector<std::string_view> v = {Tk(1)};
  EXPECT_EQ(l->States(v, "patient-record", 1).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(l->Withdrawals("nope", 1).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(l->entries(), 0);
}

TEST(ConsentLedger, SubjectAndFieldChecksNameTheRecordNotTheValue) {
  auto l = NewLedger(TempPath("ledger.db"));
  const std::string cpr = "0101701234";
  auto r = l->Record({Rec(Tk(1), ConsentState::kGiven, 1), Rec(cpr, ConsentState::kGiven, 1)});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("record 1: subject"));
  EXPECT_THAT(r.status().message(), Not(HasSubstr(cpr)));
  EXPECT_EQ(l->entries(), 0);  // all or none
  const std::string good = Tk(1);
  std::vector<std::string_view> v = {good, cpr};
  auto s = l->States(v, "research-contact", 1);
  EXPECT_THAT(s.status().message(), HasSubstr("subject 1"));
  EXPECT_THAT(s.status().message(), Not(HasSubstr(cpr)));
  EXPECT_TRUE(l->Record({Rec("ps1_abcdefghijklmnopqrstuvwxya", ConsentState::kGiven, 1)}).ok());
  ConsentRecord x = Rec(Tk(1), ConsentState::kNone, 1);
  EXPECT_THAT(l->Record({x}).status().message(), HasSubstr("\"none\" cannot be recorded"));
  x = Rec(Tk(1), ConsentState::kGiven, 1);
  x.channel = "";
  EXPECT_THAT(l->Record({x}).status().message(), HasSubstr("record 0: channel"));
  x = Rec(Tk(1), ConsentState::kGiven, 1);
  x.notice_digest = "sha256:abc";
  EXPECT_THAT(l->Record({x}).status().message(), HasSubstr("notice_digest"));
  x = Rec(Tk(1), ConsentState::kGiven, 1);
  x.evidence = "a\nb";
  EXPECT_THAT(l->Record({x}).status().message(), HasSubstr("evidence"));
}

TEST(ConsentLedger, NoticesAreStoredWithTheRecords) {
  auto l = NewLedger(TempPath("ledger.db"));
  ConsentRecord r = Rec(Tk(1), ConsentState::kGiven, 1);
  r.notice_digest.clear();
  std::vector<std::string_view> texts = {kNotice};
  auto e = l->Record({r}, texts);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ((*e)[0].record.notice_digest, NoticeDigest(kNotice));
  EXPECT_EQ(*l->Notice(NoticeDigest(kNotice)), kNotice);
  EXPECT_EQ(l->Notice(NoticeDigest("other")).status().code(), absl::StatusCode::kNotFound);
  r.notice_digest = NoticeDigest("other");
  EXPECT_EQ(l->Record({r}, texts).status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(l->StoreNotice("v4", "Ny tekst").ok());
  EXPECT_EQ(*l->Notice(NoticeDigest("Ny tekst")), "Ny tekst");
  // Each notice is stored under the version of the record that showed it
  // (a regression: the version was read from a copy that had gone out of scope).
  EXPECT_EQ(NoticeVersions(l->path()),
            (std::vector<std::string>{r.notice_version, std::string("v4")}));
}

class Tampering : public ::testing::TestWithParam<const char*> {};

TEST_P(Tampering, IsDetectedByOpenAndVerify) {
  const std::string path = TempPath("ledger.db");
  auto l = NewLedger(path);
  std::vector<ConsentRecord> recs;
  for (int i = 0; i < 6; ++i) recs.push_back(Rec(Tk(i), ConsentState::kGiven, 1000 + i));
  ASSERT_TRUE(l->Record(recs).ok());
  const std::string head = l->head();
  Tamper(path, GetParam());
  auto v = l->Verify(head);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_FALSE(v->intact);
  EXPECT_GE(v->first_broken_entry, 3);
  l.reset();
  auto o = OpenLedger(path);
  if (o.ok()) {
    // Only a removal from the end verifies on its own: the expected head finds it.
    auto w = (*o)->Verify(head);
    ASSERT_TRUE(w.ok());
    EXPECT_FALSE(w->intact);
    EXPECT_EQ(w->first_broken_entry, 6);
  } else {
    EXPECT_EQ(o.status().code(), absl::StatusCode::kDataLoss) << o.status();
    EXPECT_THAT(o.status().message(), HasSubstr("at entry 3"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    ConsentLedger, Tampering,
    ::testing::Values(
        // edited: a withdrawal made a consent
        "UPDATE entries SET body = replace(body, 'given', 'refused') WHERE seq = 3",
        // deleted
        "DELETE FROM entries WHERE seq = 3",
        // reordered
        "UPDATE entries SET seq = -1 WHERE seq = 3; UPDATE entries SET seq = 3 WHERE seq = 4;"
        "UPDATE entries SET seq = 4 WHERE seq = -1",
        // another subject
        "UPDATE entries SET subject = (SELECT subject FROM entries WHERE seq = 1) WHERE seq = 3",
        // truncated (the last entry removed)
        "DELETE FROM entries WHERE seq = 6"));

TEST(ConsentLedger, Receipts) {
  const std::string key(32, 'K');
  for (const bool keyed : {false, true}) {
    const std::string path = TempPath("ledger.db");
    auto l = NewLedger(path, keyed ? std::string_view(key) : std::string_view());
    ASSERT_TRUE(
        l->Record({Rec(Tk(1), ConsentState::kGiven, 1000), Rec(Tk(2), ConsentState::kGiven, 1001)})
            .ok());
    auto receipt = l->ExportReceipt(2);
    ASSERT_TRUE(receipt.ok()) << receipt.status();
    EXPECT_EQ(l->ReceiptPublicKey().empty(), !keyed);
    auto v = VerifyConsentReceipt(*receipt);
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->valid) << v->problem;
    EXPECT_EQ(v->signed_receipt, keyed);
    EXPECT_EQ(v->seq, 2);
    EXPECT_EQ(v->record.subject, Tk(2));
    EXPECT_EQ(v->record.evidence, "form-4711");
    EXPECT_TRUE(l->VerifyReceipt(*receipt)->valid);
    // An altered field.
    std::string altered = *receipt;
    altered.replace(altered.find("\"given\""), 7, "\"refused\"");
    EXPECT_FALSE(VerifyConsentReceipt(altered)->valid);
    altered = *receipt;
    altered.replace(altered.find(Tk(2)), Tk(2).size(), Tk(3));
    EXPECT_FALSE(VerifyConsentReceipt(altered)->valid);
    // Malformed.
    EXPECT_FALSE(VerifyConsentReceipt("{\"type\":1}")->valid);
    EXPECT_FALSE(VerifyConsentReceipt(*receipt + "x")->valid);
    EXPECT_FALSE(VerifyConsentReceipt("")->valid);
    if (keyed) {
      std::string sig = *receipt;
      const std::size_t at = sig.find("\"signature\":\"") + 13;
      sig[at] = sig[at] == 'a' ? 'b' : 'a';
      EXPECT_FALSE(VerifyConsentReceipt(sig)->valid);
      // Another key.
      auto other = NewLedger(TempPath("other.db"), std::string(32, 'O'));
      EXPECT_FALSE(VerifyConsentReceipt(*receipt, other->ReceiptPublicKey())->valid);
      EXPECT_TRUE(VerifyConsentReceipt(*receipt, l->ReceiptPublicKey())->valid);
      EXPECT_FALSE(other->VerifyReceipt(*receipt)->valid);
    } else {
      // A receipt of another ledger.
      auto other = NewLedger(TempPath("other.db"));
      ASSERT_TRUE(other->Record({Rec(Tk(1), ConsentState::kGiven, 1000)}).ok());
      EXPECT_FALSE(other->VerifyReceipt(*receipt)->valid);
    }
    EXPECT_EQ(l->ExportReceipt(9).status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(VerifyConsentReceipt(*receipt, "zz").status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST(ConsentLedger, ErasureThenVerify) {
  const std::string path = TempPath("ledger.db");
  const std::string key(32, 'K');
  auto l = NewLedger(path, key);
  const std::string a = Tk(1), b = Tk(2);
  ASSERT_TRUE(l->Record({Rec(a, ConsentState::kGiven, 1000), Rec(b, ConsentState::kGiven, 1000),
                         Rec(a, ConsentState::kWithdrawn, 2000)})
                  .ok());
  auto n = l->EraseSubject(a, "dpo");
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(l->entries(), 4);
  EXPECT_EQ(One(*l, a, 3000), ConsentState::kNone);
  EXPECT_EQ(One(*l, b, 3000), ConsentState::kGiven);
  EXPECT_TRUE(l->EntriesOf(a)->empty());
  EXPECT_EQ(l->ExportReceipt(1).status().code(), absl::StatusCode::kFailedPrecondition);
  auto v = l->Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact) << v->problem;
  EXPECT_EQ(*l->EraseSubject(a, "dpo"), 0);
  l.reset();
  EXPECT_EQ(ReadAll(path).find(a), std::string::npos);
  auto o = OpenLedger(path, key);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(One(**o, a, 3000), ConsentState::kNone);
  EXPECT_EQ(One(**o, b, 3000), ConsentState::kGiven);
}

TEST(ConsentLedger, TwoHandles) {
  const std::string path = TempPath("ledger.db");
  auto one = NewLedger(path);
  auto two = OpenLedger(path);
  ASSERT_TRUE(two.ok());
  const std::string a = Tk(1);
  ASSERT_TRUE(one->Record({Rec(a, ConsentState::kGiven, 1000)}).ok());
  EXPECT_EQ(One(**two, a, 2000), ConsentState::kGiven);  // read through the catch-up
  ASSERT_TRUE((*two)->Record({Rec(a, ConsentState::kWithdrawn, 1500)}).ok());
  EXPECT_EQ(One(*one, a, 2000), ConsentState::kWithdrawn);
  ASSERT_TRUE((*two)->EraseSubject(a, "dpo").ok());
  EXPECT_EQ(One(*one, a, 2000), ConsentState::kNone);  // another handle's erasure is seen
  EXPECT_EQ(one->head(), (*two)->head());
}

TEST(ConsentLedger, OpenErrors) {
  const std::string path = TempPath("ledger.db");
  NewLedger(path, std::string(32, 'K'));
  EXPECT_EQ(OpenLedger(path).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(OpenLedger(path, std::string(32, 'X')).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(OpenLedger(TempPath("none.db")).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ConsentLedger::Create(path, Practio()).status().code(),
            absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace gdprkit
