// Tests for consent/internal/chain_store.h: appending, reading back, every
// kind of tampering (the SQLite file edited directly), erasure that keeps the
// chain verifying, keys, two handles appending.
#include "consent/internal/chain_store.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_files.h"

namespace gdprkit::internal {
namespace {

using ::gdprkit::testing::ReadAll;
using ::gdprkit::testing::TempPath;
using ::testing::HasSubstr;

const ChainStoreKind kKind{"gdprkit-test-store", "test store", kConsentLedgerApplicationId,
                           "CREATE TABLE extra (a TEXT);"};
const ChainStoreKind kOther{"gdprkit-other-store", "request register",
                            kRequestRegisterApplicationId, ""};

std::vector<StoreEntryIn> Batch(int n, int from = 0, std::string subject = "tk_a") {
  std::vector<StoreEntryIn> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(StoreEntryIn{"consent", "body " + std::to_string(from + i),
                               subject + std::to_string((from + i) % 3), "evidence",
                               1700000000 + from + i});
  }
  return out;
}

std::unique_ptr<ChainStore> MakeStore(const std::string& path, int n, std::string_view key = {}) {
  ChainStoreOptions o;
  o.key = key;
  o.sync = false;
  auto s = ChainStore::Create(path, kKind, std::move(o));
  EXPECT_TRUE(s.ok()) << s.status();
  if (!s.ok()) return nullptr;
  if (n > 0) {
    auto r = (*s)->Append(Batch(n), nullptr);
    EXPECT_TRUE(r.ok()) << r.status();
  }
  return std::move(*s);
}

absl::StatusOr<std::unique_ptr<ChainStore>> Reopen(const std::string& path,
                                                   std::string_view key = {},
                                                   std::vector<StoreEntry>* seen = nullptr) {
  ChainStoreOptions o;
  o.key = key;
  o.sync = false;
  return ChainStore::Open(path, kKind, std::move(o), [seen](const StoreEntry& e) {
    if (seen != nullptr) seen->push_back(e);
  });
}

// Runs SQL on the file directly, as someone editing it would.
void Tamper(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
  sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
}

void ExpectBrokenAt(const std::string& path, std::int64_t entry, std::string_view key = {},
                    std::string_view expected_head = {}) {
  auto opened = Reopen(path, key);
  if (expected_head.empty()) {
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss) << opened.status();
    EXPECT_THAT(opened.status().message(), HasSubstr("at entry " + std::to_string(entry)))
        << opened.status();
  }
}

TEST(ChainStoreTest, AppendAndReadBack) {
  const std::string path = TempPath("store.db");
  auto s = MakeStore(path, 5);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->entries(), 5);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  const std::string head = s->head();
  s.reset();
  std::vector<StoreEntry> seen;
  auto r = Reopen(path, {}, &seen);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[2].seq, 3);
  EXPECT_EQ(seen[2].body, "body 2");
  EXPECT_EQ(seen[2].subject, "tk_a2");
  EXPECT_EQ(seen[2].secret, "evidence");
  EXPECT_EQ(seen[2].recorded_at, 1700000002);
  EXPECT_EQ(seen[2].prev_hash, seen[1].hash);
  EXPECT_TRUE(seen[2].personal);
  EXPECT_FALSE(seen[2].erased);
  EXPECT_EQ((*r)->head(), head);
  auto v = (*r)->Verify(head);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact);
  EXPECT_EQ(v->entries, 5);
  EXPECT_EQ(v->first_broken_entry, -1);
  auto g = (*r)->Get(4);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->hash, seen[3].hash);
  EXPECT_EQ((*r)->Get(6).status().code(), absl::StatusCode::kNotFound);
  auto of = (*r)->EntriesOf("tk_a1");
  ASSERT_TRUE(of.ok());
  ASSERT_EQ(of->size(), 2u);
  EXPECT_EQ((*of)[0].seq, 2);
  EXPECT_EQ((*of)[1].seq, 5);
}

TEST(ChainStoreTest, CreateRefusesExistingAndBadKeys) {
  const std::string path = TempPath("store.db");
  auto s = MakeStore(path, 0);
  ASSERT_NE(s, nullptr);
  ChainStoreOptions o;
  EXPECT_EQ(ChainStore::Create(path, kKind, o).status().code(), absl::StatusCode::kAlreadyExists);
  o.key = "short";
  EXPECT_EQ(ChainStore::Create(TempPath("x.db"), kKind, o).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ChainStore::Open(TempPath("none.db"), kKind, {}, nullptr).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ChainStoreTest, EditedBodyIsDetected) {
  const std::string path = TempPath("store.db");
  MakeStore(path, 5);
  Tamper(path, "UPDATE entries SET body = 'body X' WHERE seq = 3");
  ExpectBrokenAt(path, 3);
}

TEST(ChainStoreTest, EditedRecordedAtIsDetected) {
  const std::string path = TempPath("store.db");
  MakeStore(path, 5);
  Tamper(path, "UPDATE entries SET recorded_at = recorded_at + 1 WHERE seq = 2");
  ExpectBrokenAt(path, 2);
}

TEST(ChainStoreTest, EditedSubjectIsDetected) {
  const std::string path = TempPath("store.db");
  MakeStore(path, 5);
  Tamper(path, "UPDATE entries SET subject = 'tk_b' WHERE seq = 4");
  ExpectBrokenAt(path, 4);
  const std::string path2 = TempPath("store.db");
  MakeStore(path2, 5);
  Tamper(path2, "UPDATE entries SET secret = 'other' WHERE seq = 2");
  ExpectBrokenAt(path2, 2);
}

TEST(ChainStoreTest, SubjectWithoutSaltIsDetected) {
  const std::string path = TempPath("store.db");
  MakeStore(path, 5);
  Tamper(path, "UPDATE entries SET salt = NULL WHERE seq = 2");
  ExpectBrokenAt(path, 2);
}

TEST(ChainStoreTest, DeletedEntryIsDetected) {
  const std::string path = TempPath("store.db");
  MakeStore(path, 5);
  Tamper(path, "DELETE FROM entries WHERE seq = 3");
  ExpectBrokenAt(path, 3);
  auto s = ChainStore::Open(path, kKind, {}, nullptr);
  EXPECT_THAT(s.status().message(), HasSubstr("entry 3 is missing"));
}

TEST(ChainStoreTest, SwappedEntriesAreDetected) {
  const std::string path = TempPath("store.db");
  MakeStore(path, 5);
  Tamper(path,
         "UPDATE entries SET seq = -1 WHERE seq = 2; UPDATE entries SET seq = 2 WHERE seq = 3;"
         "UPDATE entries SET seq = 3 WHERE seq = -1;");
  ExpectBrokenAt(path, 2);
}

TEST(ChainStoreTest, InsertedEntryIsDetected) {
  const std::string path = TempPath("store.db");
  MakeStore(path, 5);
  Tamper(path,
         "UPDATE entries SET seq = seq + 1000 WHERE seq >= 3; "
         "UPDATE entries SET seq = seq - 999 WHERE seq > 1000; "
         "INSERT INTO entries SELECT 3, recorded_at, kind, body, subject, secret, salt, commit_, "
         "hash FROM entries WHERE seq = 2");
  ExpectBrokenAt(path, 3);
}

TEST(ChainStoreTest, LastEntryRemovedIsFoundWithTheExpectedHead) {
  const std::string path = TempPath("store.db");
  auto s = MakeStore(path, 5);
  const std::string head = s->head();
  s.reset();
  Tamper(path, "DELETE FROM entries WHERE seq = 5");
  auto r = Reopen(path);
  ASSERT_TRUE(r.ok()) << r.status();  // a shorter chain verifies on its own
  auto v = (*r)->Verify(head);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->intact);
  EXPECT_EQ(v->first_broken_entry, 5);
  EXPECT_EQ(v->entries, 4);
}

TEST(ChainStoreTest, RemovalUnderAnOpenHandleIsDetected) {
  const std::string path = TempPath("store.db");
  auto s = MakeStore(path, 5);
  Tamper(path, "DELETE FROM entries WHERE seq = 5");
  auto v = s->Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->intact);
  EXPECT_EQ(v->first_broken_entry, 5);
  auto a = s->Append(Batch(1, 5), nullptr);
  EXPECT_EQ(a.status().code(), absl::StatusCode::kDataLoss) << a.status();
}

TEST(ChainStoreTest, EditedMetaIsDetected) {
  const std::string path = TempPath("store.db");
  MakeStore(path, 2);
  Tamper(path, "UPDATE meta SET value = '00000000000000000000000000000000' WHERE name='store_id'");
  ExpectBrokenAt(path, 0);
}

TEST(ChainStoreTest, VerifyReportsTheFirstBadEntry) {
  const std::string path = TempPath("store.db");
  auto s = MakeStore(path, 6);
  Tamper(path,
         "UPDATE entries SET body = 'x' WHERE seq = 4; UPDATE entries SET body='y' WHERE seq=6");
  auto v = s->Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->intact);
  EXPECT_EQ(v->first_broken_entry, 4);
  EXPECT_EQ(v->entries, 3);
  EXPECT_THAT(v->problem, HasSubstr("hash"));
}

TEST(ChainStoreTest, TruncatedFileReadsAsDamage) {
  const std::string path = TempPath("store.db");
  MakeStore(path, 200);
  const std::string bytes = ReadAll(path);
  ASSERT_GT(bytes.size(), 8192u);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes.substr(0, bytes.size() - 4096);
  }
  auto r = Reopen(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << r.status();
  EXPECT_THAT(r.status().message(), HasSubstr("is damaged"));
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes.substr(0, 50);
  }
  r = Reopen(path);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << r.status();
}

TEST(ChainStoreTest, FlippedBytesReadAsDamage) {
  const std::string path = TempPath("store.db");
  MakeStore(path, 200);
  std::string bytes = ReadAll(path);
  // Flip bytes in every page after the first: whichever holds the entries.
  for (std::size_t i = 4096 + 3000; i < bytes.size(); i += 4096) bytes[i] ^= 0x5a;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  auto r = Reopen(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << r.status();
}

TEST(ChainStoreTest, KeysAreChecked) {
  const std::string path = TempPath("store.db");
  const std::string key(32, 'k');
  MakeStore(path, 3, key);
  EXPECT_EQ(Reopen(path).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reopen(path, std::string(32, 'x')).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto r = Reopen(path, key);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE((*r)->keyed());
  EXPECT_EQ((*r)->key(), key);
  const std::string plain = TempPath("plain.db");
  MakeStore(plain, 1);
  EXPECT_EQ(Reopen(plain, key).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ChainStoreTest, AnotherKindIsNamed) {
  const std::string path = TempPath("store.db");
  auto s = ChainStore::Create(path, kOther, {});
  ASSERT_TRUE(s.ok());
  auto r = Reopen(path);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("request register"));
  const std::string text = TempPath("text.db");
  gdprkit::testing::WriteAllText(text, std::string(200, 'a'));
  EXPECT_EQ(Reopen(text).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ChainStoreTest, ErasureKeepsTheChainVerifying) {
  const std::string path = TempPath("store.db");
  const std::string key(32, 'k');
  auto s = MakeStore(path, 6, key);
  auto r = s->Append({StoreEntryIn{"erasure", "n=2", "", "", 0}}, nullptr, "tk_a1");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->erased, 2);
  EXPECT_EQ(s->entries(), 7);
  EXPECT_FALSE(r->entries[0].personal);
  auto v = s->Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact) << v->problem;
  EXPECT_TRUE(s->EntriesOf("tk_a1")->empty());
  s.reset();
  // The subject is gone from the file (and the WAL was checkpointed away).
  EXPECT_EQ(ReadAll(path).find("tk_a1"), std::string::npos);
  EXPECT_EQ(ReadAll(path + "-wal").find("tk_a1"), std::string::npos);
  std::vector<StoreEntry> seen;
  auto o = Reopen(path, key, &seen);
  ASSERT_TRUE(o.ok()) << o.status();
  ASSERT_EQ(seen.size(), 7u);
  EXPECT_TRUE(seen[1].erased);
  EXPECT_EQ(seen[1].subject, "");
  EXPECT_EQ(seen[1].secret, "");
  EXPECT_FALSE(seen[0].erased);
  EXPECT_FALSE(seen[6].erased);
  // Putting an erased subject back is detected (no salt to match the commit).
  Tamper(path, "UPDATE entries SET subject = 'tk_a1', secret = 'evidence' WHERE seq = 2");
  EXPECT_EQ(Reopen(path, key).status().code(), absl::StatusCode::kDataLoss);
}

TEST(ChainStoreTest, TwoHandlesCatchUp) {
  const std::string path = TempPath("store.db");
  auto a = MakeStore(path, 2);
  auto b = Reopen(path);
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(a->Append(Batch(3, 2), nullptr).ok());
  std::vector<StoreEntry> seen;
  auto r = (*b)->Append(Batch(1, 5), [&](const StoreEntry& e) { seen.push_back(e); });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(r->entries[0].seq, 6);
  std::vector<StoreEntry> seen_a;
  auto c = a->CatchUp([&](const StoreEntry& e) { seen_a.push_back(e); });
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(*c);
  ASSERT_EQ(seen_a.size(), 1u);
  EXPECT_EQ(seen_a[0].seq, 6);
  EXPECT_EQ(a->head(), (*b)->head());
  ASSERT_TRUE((*b)->Append({}, nullptr, "tk_a0").ok());
  c = a->CatchUp(nullptr);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(*c);  // another handle erased
  EXPECT_TRUE(a->Verify()->intact);
}

TEST(ChainStoreTest, HookRunsInTheTransaction) {
  const std::string path = TempPath("store.db");
  auto s = MakeStore(path, 0);
  auto r = s->Append(Batch(2), nullptr, {}, [](sqlite3* db) {
    return sqlite3_exec(db, "INSERT INTO extra VALUES ('x')", nullptr, nullptr, nullptr) ==
                   SQLITE_OK
               ? absl::OkStatus()
               : absl::InternalError("insert");
  });
  ASSERT_TRUE(r.ok());
  auto bad = s->Append(Batch(2), nullptr, {},
                       [](sqlite3*) { return absl::InvalidArgumentError("refused"); });
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s->entries(), 2);
  int rows = 0;
  ASSERT_TRUE(s->Read([&](sqlite3* db) {
                 sqlite3_stmt* st = nullptr;
                 sqlite3_prepare_v2(db, "SELECT count(*) FROM extra", -1, &st, nullptr);
                 sqlite3_step(st);
                 rows = sqlite3_column_int(st, 0);
                 sqlite3_finalize(st);
                 return absl::OkStatus();
               }).ok());
  EXPECT_EQ(rows, 1);
  EXPECT_TRUE(s->Verify()->intact);
  EXPECT_EQ(s->Append(Batch(1), nullptr).value().entries[0].seq, 3);
}

TEST(ChainStoreTest, CheckBreaksTheChain) {
  const std::string path = TempPath("store.db");
  MakeStore(path, 3);
  ChainStoreOptions o;
  o.check = [](const StoreEntry& e) { return e.seq == 2 ? "malformed body" : ""; };
  auto r = ChainStore::Open(path, kKind, std::move(o), nullptr);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(r.status().message(), HasSubstr("entry 2: malformed body"));
}

}  // namespace
}  // namespace gdprkit::internal
