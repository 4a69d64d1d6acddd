// The release log (gdprkit/release.h) and the chain file it shares with the
// deletion log (common/hash_chain.h): entries written and read back, the
// file format byte by byte (hashes recomputed here with libsodium), refusals,
// tampering, keys, one kind of log opened as the other.
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/hash_chain.h"
#include "gdprkit/deletion_log.h"
#include "gdprkit/release.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_files.h"

namespace gdprkit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using ::gdprkit::testing::ReadAll;
using ::gdprkit::testing::TempPath;
using ::gdprkit::testing::WriteAllText;

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = text.find(sep, start);
    out.push_back(text.substr(start, at == std::string::npos ? at : at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  return out;
}

std::string HexOf(const unsigned char* b, std::size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), b, n);
  out.pop_back();
  return out;
}

// BLAKE2b-256([key], prev || body), independently of the library.
void Blake(const std::string& key, const unsigned char* prev, const std::string& body,
           unsigned char out[32]) {
  crypto_generichash_state st;
  crypto_generichash_init(
      &st, key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()), key.size(),
      32);
  if (prev != nullptr) crypto_generichash_update(&st, prev, 32);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  crypto_generichash_final(&st, out, 32);
}

constexpr std::int64_t kT0 = 1735732800;  // 2025-01-01T12:00:00Z
const std::string kPolicyDigest = "blake2b-256:" + std::string(64, 'a');
const std::string kContentDigest = "blake2b-256:" + std::string(63, '0') + "1";

ReleaseReport Passed(std::string release = "cluster-view") {
  ReleaseReport r;
  r.release = std::move(release);
  r.policy_digest = kPolicyDigest;
  r.content_digest = kContentDigest;
  r.on = *ParseDate("2025-06-30");
  r.table = true;
  r.rows_in = 1000;
  r.rows_too_old = 30;
  r.rows_missing_date = 2;
  r.rows_out = 24;
  r.cells_primary = 3;
  r.cells_secondary = 4;
  r.audit_passed = true;
  r.check.release = r.release;
  r.check.passed = true;
  return r;
}

std::unique_ptr<ReleaseLog> OpenOk(const std::string& path, ReleaseLogOptions options = {}) {
  options.sync = false;
  absl::StatusOr<std::unique_ptr<ReleaseLog>> log = ReleaseLog::Open(path, options);
  EXPECT_TRUE(log.ok()) << log.status();
  return log.ok() ? *std::move(log) : nullptr;
}

TEST(ReleaseLogTest, EntriesAreWrittenAndReadBack) {
  const std::string path = TempPath("a.log");
  std::unique_ptr<ReleaseLog> log = OpenOk(path);
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->entries(), 0);
  EXPECT_EQ(log->log_id().size(), 32u);
  ReleaseReport table = Passed();
  absl::StatusOr<ReleaseLogEntry> e1 = log->Append(&table, kT0);
  ASSERT_TRUE(e1.ok()) << e1.status();
  EXPECT_EQ(table.log_seq, 1);
  EXPECT_EQ(table.log_hash, e1->hash);
  ReleaseReport extract = Passed("research-extract");
  extract.table = false;
  extract.cells_primary = extract.cells_secondary = 0;
  extract.values_suppressed = 17;
  extract.rows_withheld = 5;
  extract.k = 5;
  absl::StatusOr<ReleaseLogEntry> e2 = log->Append(&extract, kT0 + 60);
  ASSERT_TRUE(e2.ok()) << e2.status();
  EXPECT_EQ(extract.log_seq, 2);
  EXPECT_EQ(log->entries(), 2);
  EXPECT_EQ(log->head(), e2->hash);

  absl::StatusOr<std::vector<ReleaseLogEntry>> read = ReadReleaseLog(path);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 2u);
  const ReleaseLogEntry& a = (*read)[0];
  EXPECT_EQ(a.seq, 1);
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.released_at, kT0);
  EXPECT_EQ(a.release, "cluster-view");
  EXPECT_EQ(a.policy_digest, kPolicyDigest);
  EXPECT_EQ(a.content_digest, kContentDigest);
  EXPECT_EQ(FormatDate(a.on), "2025-06-30");
  EXPECT_TRUE(a.table);
  EXPECT_TRUE(a.audit_passed);
  EXPECT_EQ(a.rows_in, 1000);
  EXPECT_EQ(a.rows_dropped, 32);  // too old + without a date
  EXPECT_EQ(a.rows_out, 24);
  EXPECT_EQ(a.cells_suppressed, 7);  // primary + secondary
  EXPECT_EQ(a.hash, e1->hash);
  const ReleaseLogEntry& b = (*read)[1];
  EXPECT_FALSE(b.table);
  EXPECT_EQ(b.values_suppressed, 17);
  EXPECT_EQ(b.rows_withheld, 5);
  EXPECT_EQ(b.released_at, kT0 + 60);

  absl::StatusOr<ReleaseLogVerification> v = VerifyReleaseLog(path);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->intact);
  EXPECT_EQ(v->entries, 2);
  EXPECT_EQ(v->head, e2->hash);
  EXPECT_EQ(v->log_id, log->log_id());
  EXPECT_TRUE(VerifyReleaseLog(path, {}, e1->hash)->intact);

  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// The format of docs/release.md, recomputed here: a change of the format
// (a field, its order, its spelling, the hashing) fails this test.
TEST(ReleaseLogTest, FileFormatIsTheDocumentedOne) {
  const std::string path = TempPath("format.log");
  std::unique_ptr<ReleaseLog> log = OpenOk(path);
  ReleaseReport r = Passed("cluster%view\t2");
  ASSERT_TRUE(log->Append(&r, kT0).ok());
  const std::vector<std::string> lines = Split(ReadAll(path), '\n');
  ASSERT_EQ(lines.size(), 3u);  // header, entry, "" after the last LF
  EXPECT_EQ(lines[2], "");
  const std::vector<std::string> header = Split(lines[0], '\t');
  ASSERT_EQ(header.size(), 4u);
  EXPECT_EQ(header[0], "gdprkit-release-log");
  EXPECT_EQ(header[1], "1");
  EXPECT_EQ(header[2], log->log_id());
  EXPECT_EQ(header[3], "plain");
  const std::string body = "1\t2025-01-01T12:00:00Z\tcluster%25view%092\t" + kPolicyDigest + "\t" +
                           kContentDigest + "\t2025-06-30\ttable\tpassed\t1000\t32\t24\t7\t0\t0";
  unsigned char h0[32], h1[32];
  Blake("", nullptr, lines[0], h0);
  Blake("", h0, body, h1);
  EXPECT_EQ(lines[1], body + "\t" + HexOf(h1, 32));
  EXPECT_EQ(ReadReleaseLog(path)->at(0).release, "cluster%view\t2");
}

// An existing deletion log, written as the format (docs/retention.md) says
// rather than by the library, still verifies and reads back.
TEST(ReleaseLogTest, DeletionLogFormatIsUnchanged) {
  const std::string path = TempPath("old-deletion.log");
  const std::string key = "0123456789abcdef0123456789abcdef";
  unsigned char kid[8];
  const std::string label = "gdprkit deletion log key id v1";
  crypto_generichash(kid, sizeof kid, reinterpret_cast<const unsigned char*>(label.data()),
                     label.size(), reinterpret_cast<const unsigned char*>(key.data()), key.size());
  const std::string header =
      "gdprkit-deletion-log\t1\t00112233445566778899aabbccddeeff\tkeyed:" + HexOf(kid, 8);
  const std::string b1 = "1\tapp-%091\tunsolicited-14-days\t2025-01-01\t2025-01-01T12:00:00Z";
  const std::string b2 = "2\tapp-2\t\t-\t2025-01-02T00:00:01Z";
  unsigned char h0[32], h1[32], h2[32];
  Blake(key, nullptr, header, h0);
  Blake(key, h0, b1, h1);
  Blake(key, h1, b2, h2);
  WriteAllText(path,
               header + "\n" + b1 + "\t" + HexOf(h1, 32) + "\n" + b2 + "\t" + HexOf(h2, 32) + "\n");
  DeletionLogOptions options;
  options.key = key;
  absl::StatusOr<DeletionLogVerification> v = VerifyDeletionLog(path, options, HexOf(h2, 32));
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->intact) << v->problem;
  EXPECT_EQ(v->entries, 2);
  absl::StatusOr<std::vector<DeletionLogEntry>> read = ReadDeletionLog(path, options);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ((*read)[0].deletion.record_id, "app-\t1");
  EXPECT_EQ((*read)[0].deletion.deleted_at, kT0);
  EXPECT_EQ((*read)[1].deletion.due_date, kNoDate);
  EXPECT_EQ((*read)[1].deletion.deleted_at, 1735776001);
  // And the library appends what the format says.
  options.sync = false;
  absl::StatusOr<std::unique_ptr<DeletionLog>> log = DeletionLog::Open(path, options);
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_TRUE((*log)->Append({"app-3", "r", kNoDate, kT0}).ok());
  const std::string b3 = "3\tapp-3\tr\t-\t2025-01-01T12:00:00Z";
  unsigned char h3[32];
  Blake(key, h2, b3, h3);
  EXPECT_EQ(Split(ReadAll(path), '\n')[3], b3 + "\t" + HexOf(h3, 32));
}

TEST(ReleaseLogTest, AFailedReleaseIsNeverWritten) {
  const std::string path = TempPath("failed.log");
  std::unique_ptr<ReleaseLog> log = OpenOk(path);
  const std::string before = ReadAll(path);
  ReleaseReport check_failed = Passed();
  check_failed.check.passed = false;
  absl::StatusOr<ReleaseLogEntry> r = log->Append(&check_failed, kT0);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("did not pass its check"));
  ReleaseReport audit_failed = Passed();
  audit_failed.audit_passed = false;
  r = log->Append(&audit_failed, kT0);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("did not pass its audit"));
  EXPECT_EQ(audit_failed.log_seq, 0);
  EXPECT_TRUE(audit_failed.log_hash.empty());
  EXPECT_EQ(ReadAll(path), before);
  EXPECT_EQ(log->entries(), 0);
  EXPECT_EQ(log->Append(nullptr).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ReleaseLogTest, FieldsAreChecked) {
  const std::string path = TempPath("fields.log");
  std::unique_ptr<ReleaseLog> log = OpenOk(path);
  struct Case {
    const char* want;
    void (*edit)(ReleaseReport*);
  };
  const Case cases[] = {
      {"release: empty", [](ReleaseReport* r) { r->release.clear(); }},
      {"release: 300 bytes", [](ReleaseReport* r) { r->release = std::string(300, 'x'); }},
      {"release: not valid UTF-8", [](ReleaseReport* r) { r->release = "a\xff"; }},
      {"looks like a CPR number", [](ReleaseReport* r) { r->release = "x-010190-1234"; }},
      {"policy_digest",
       [](ReleaseReport* r) { r->policy_digest = "sha256:" + std::string(64, 'a'); }},
      {"content_digest",
       [](ReleaseReport* r) { r->content_digest = "blake2b-256:" + std::string(64, 'A'); }},
      {"content_digest", [](ReleaseReport* r) { r->content_digest.pop_back(); }},
      {"on: not a date", [](ReleaseReport* r) { r->on = kNoDate; }},
      {"rows_in: -1 is not a count", [](ReleaseReport* r) { r->rows_in = -1; }},
  };
  for (const Case& c : cases) {
    ReleaseReport r = Passed();
    c.edit(&r);
    absl::StatusOr<ReleaseLogEntry> e = log->Append(&r, kT0);
    EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument) << c.want;
    EXPECT_THAT(e.status().message(), HasSubstr(c.want));
    EXPECT_THAT(e.status().message(), Not(HasSubstr("010190")));
  }
  ReleaseReport future = Passed();
  EXPECT_THAT(log->Append(&future, std::time(nullptr) + 7 * 86400).status().message(),
              HasSubstr("in the future"));
  EXPECT_EQ(log->entries(), 0);
  // released_at 0: now.
  ReleaseReport now = Passed();
  absl::StatusOr<ReleaseLogEntry> e = log->Append(&now);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_LE(std::abs(e->released_at - static_cast<std::int64_t>(std::time(nullptr))), 5);
}

std::string ThreeEntries(ReleaseLogOptions options = {}) {
  const std::string path = TempPath("three.log");
  std::unique_ptr<ReleaseLog> log = OpenOk(path, options);
  for (int i = 0; i < 3; ++i) {
    ReleaseReport r = Passed();
    r.rows_in = 1000 + i;
    EXPECT_TRUE(log->Append(&r, kT0 + i).ok());
  }
  return path;
}

TEST(ReleaseLogTest, AnEditedDigitIsNamed) {
  const std::string path = ThreeEntries();
  std::vector<std::string> lines = Split(ReadAll(path), '\n');
  const std::size_t at = lines[2].find("\t1001\t");
  ASSERT_NE(at, std::string::npos);
  lines[2][at + 4] = '2';  // entry 2 now says 1002 rows in
  std::string text;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) text += lines[i] + "\n";
  WriteAllText(path, text);
  absl::StatusOr<ReleaseLogVerification> v = VerifyReleaseLog(path);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_FALSE(v->intact);
  EXPECT_EQ(v->entries, 1);
  EXPECT_EQ(v->first_broken_entry, 2);
  EXPECT_EQ(v->first_broken_line, 3);
  EXPECT_THAT(v->problem, HasSubstr("hash does not match"));
  absl::StatusOr<std::vector<ReleaseLogEntry>> read = ReadReleaseLog(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(read.status().message(), HasSubstr("release log"));
  EXPECT_THAT(read.status().message(), HasSubstr("entry 2 (line 3) is broken"));
  EXPECT_EQ(ReleaseLog::Open(path).status().code(), absl::StatusCode::kDataLoss);
}

TEST(ReleaseLogTest, AWellHashedButMalformedEntryIsNamed) {
  // A plain chain can be recomputed by anyone: the fields are checked too.
  const std::string path = TempPath("malformed.log");
  OpenOk(path);
  const std::string header = Split(ReadAll(path), '\n')[0];
  const std::string body = "1\t2025-01-01T12:00:00Z\tr\t" + kPolicyDigest + "\t" + kContentDigest +
                           "\t2025-06-30\ttable\tmaybe\t1\t0\t1\t0\t0\t0";
  unsigned char h0[32], h1[32];
  Blake("", nullptr, header, h0);
  Blake("", h0, body, h1);
  WriteAllText(path, header + "\n" + body + "\t" + HexOf(h1, 32) + "\n");
  absl::StatusOr<ReleaseLogVerification> v = VerifyReleaseLog(path);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->first_broken_entry, 1);
  EXPECT_THAT(v->problem, HasSubstr("audit verdict"));
}

TEST(ReleaseLogTest, AnInterruptedWriteIsNamed) {
  const std::string path = ThreeEntries();
  std::string text = ReadAll(path);
  text.pop_back();
  WriteAllText(path, text);
  absl::StatusOr<ReleaseLogVerification> v = VerifyReleaseLog(path);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->first_broken_entry, 3);
  EXPECT_THAT(v->problem, HasSubstr("incomplete last line"));
}

TEST(ReleaseLogTest, OneKindOfLogIsNotTheOther) {
  const std::string dpath = TempPath("deletion.log");
  {
    DeletionLogOptions o;
    o.sync = false;
    ASSERT_TRUE(DeletionLog::Open(dpath, o).ok());
  }
  for (const absl::Status& s : {ReleaseLog::Open(dpath).status(), VerifyReleaseLog(dpath).status(),
                                ReadReleaseLog(dpath).status()}) {
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_THAT(s.message(), HasSubstr("not a gdprkit release log (it is a gdprkit deletion log)"));
  }
  const std::string rpath = ThreeEntries();
  for (const absl::Status& s :
       {DeletionLog::Open(rpath).status(), VerifyDeletionLog(rpath).status(),
        ReadDeletionLog(rpath).status()}) {
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_THAT(s.message(), HasSubstr("not a gdprkit deletion log (it is a gdprkit release log)"));
  }
  // Anything else is a broken header, as before.
  const std::string junk = TempPath("junk.log");
  WriteAllText(junk, "gdprkit-other-thing\t1\tx\tplain\n");
  EXPECT_EQ(VerifyReleaseLog(junk)->first_broken_entry, 0);
  EXPECT_THAT(VerifyReleaseLog(junk)->problem, HasSubstr("not a gdprkit release log header"));
}

TEST(ReleaseLogTest, KeyedLogs) {
  ReleaseLogOptions keyed;
  const std::string key = "a release log key of 32 bytes!!!";
  keyed.key = key;
  const std::string path = ThreeEntries(keyed);
  const std::string header = Split(ReadAll(path), '\n')[0];
  unsigned char kid[8];
  const std::string label = "gdprkit release log key id v1";
  crypto_generichash(kid, sizeof kid, reinterpret_cast<const unsigned char*>(label.data()),
                     label.size(), reinterpret_cast<const unsigned char*>(key.data()), key.size());
  EXPECT_THAT(header, HasSubstr("\tkeyed:" + HexOf(kid, 8)));
  EXPECT_TRUE(VerifyReleaseLog(path, keyed)->intact);
  EXPECT_EQ(VerifyReleaseLog(path).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(VerifyReleaseLog(path).status().message(), HasSubstr("this release log is keyed"));
  ReleaseLogOptions wrong;
  wrong.key = "another key of sixteen+ bytes";
  EXPECT_THAT(ReleaseLog::Open(path, wrong).status().message(),
              HasSubstr("not this release log's key"));
  ReleaseLogOptions tiny;
  tiny.key = "short";
  EXPECT_THAT(VerifyReleaseLog(path, tiny).status().message(), HasSubstr("release log key is 5"));
}

TEST(ReleaseLogTest, WritersTakeTurns) {
  const std::string path = TempPath("two.log");
  std::unique_ptr<ReleaseLog> a = OpenOk(path);
  std::unique_ptr<ReleaseLog> b = OpenOk(path);
  for (int i = 0; i < 3; ++i) {
    ReleaseReport r = Passed();
    ASSERT_TRUE(a->Append(&r, kT0).ok());
    ReleaseReport s = Passed();
    absl::StatusOr<ReleaseLogEntry> e = b->Append(&s, kT0);
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_EQ(e->seq, 2 * i + 2);
  }
  EXPECT_EQ(VerifyReleaseLog(path)->entries, 6);
  EXPECT_EQ(b->head(), VerifyReleaseLog(path)->head);
}

TEST(HashChainTest, Instants) {
  EXPECT_EQ(internal::FormatInstant(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(internal::FormatInstant(kT0), "2025-01-01T12:00:00Z");
  EXPECT_EQ(internal::FormatInstant(internal::kMaxChainSeconds), "9999-12-31T23:59:59Z");
  std::int64_t s = 0;
  EXPECT_TRUE(internal::ParseInstant("2024-02-29T23:59:59Z", &s));
  EXPECT_EQ(internal::FormatInstant(s), "2024-02-29T23:59:59Z");
  for (const char* bad : {"2025-02-29T00:00:00Z", "2025-13-01T00:00:00Z", "2025-01-01T24:00:00Z",
                          "2025-01-01 00:00:00Z", "1969-12-31T23:59:59Z", "2025-01-01T00:00:00",
                          "+025-01-01T00:00:00Z"}) {
    EXPECT_FALSE(internal::ParseInstant(bad, &s)) << bad;
  }
}

TEST(HashChainTest, Escaping) {
  const std::string raw = std::string("a%b\tc\nd\x7f", 8);
  const std::string esc = internal::EscapeField(raw);
  EXPECT_EQ(esc, "a%25b%09c%0Ad%7F");
  std::string back;
  EXPECT_TRUE(internal::UnescapeField(esc, &back));
  EXPECT_EQ(back, raw);
  EXPECT_FALSE(internal::UnescapeField("%41", &back));  // 'A' is never escaped
  EXPECT_FALSE(internal::UnescapeField("%0a", &back));  // upper-case hex only
  EXPECT_FALSE(internal::UnescapeField("a\tb", &back));
}

}  // namespace
}  // namespace gdprkit
