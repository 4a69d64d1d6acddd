// Tests for gdprkit/deletion_log.h: appending, reading back, verification,
// every kind of tampering, keys, concurrent writers and bad input.
#include "gdprkit/deletion_log.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

constexpr std::int64_t kT0 = 1735732800;  // 2025-01-01T12:00:00Z

DeletionRecord Del(std::string id, std::string rule = "unsolicited-14-days",
                   const char* due = "2025-01-01", std::int64_t at = kT0) {
  return DeletionRecord{std::move(id), std::move(rule), due ? *ParseDate(due) : kNoDate, at};
}

std::unique_ptr<DeletionLog> OpenOk(const std::string& path, DeletionLogOptions options = {}) {
  options.sync = false;  // tests need no durability
  auto log = DeletionLog::Open(path, options);
  EXPECT_TRUE(log.ok()) << log.status();
  return log.ok() ? *std::move(log) : nullptr;
}

// A log with three entries.
std::string ThreeEntries(DeletionLogOptions options = {}) {
  const std::string path = TempPath("three.log");
  auto log = OpenOk(path, options);
  EXPECT_TRUE(log->Append(Del("app-1")).ok());
  EXPECT_TRUE(log->Append(Del("app-2")).ok());
  EXPECT_TRUE(log->Append(Del("app-3")).ok());
  return path;
}

DeletionLogVerification Verify(const std::string& path, DeletionLogOptions options = {},
                               std::string_view head = {}) {
  auto v = VerifyDeletionLog(path, options, head);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : DeletionLogVerification{};
}

TEST(DeletionLogTest, AppendsAndReadsBack) {
  const std::string path = TempPath("basic.log");
  auto log = OpenOk(path);
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->entries(), 0);
  EXPECT_EQ(log->log_id().size(), 32u);
  const std::string genesis = log->head();
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto e1 = log->Append(Del("app-1"));
  ASSERT_TRUE(e1.ok()) << e1.status();
  EXPECT_EQ(e1->seq, 1);
  EXPECT_EQ(e1->line, 2);
  EXPECT_EQ(e1->hash.size(), 64u);
  EXPECT_NE(e1->hash, genesis);
  auto batch = log->AppendAll(
      {Del("app-2", "", nullptr), Del("Søren's søgning\t%\n", "r", "2024-02-29", kT0 + 59)});
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->back().seq, 3);
  EXPECT_EQ(log->entries(), 3);
  EXPECT_EQ(log->head(), batch->back().hash);

  auto entries = ReadDeletionLog(path);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].deletion.record_id, "app-1");
  EXPECT_EQ((*entries)[0].deletion.rule_id, "unsolicited-14-days");
  EXPECT_EQ(FormatDate((*entries)[0].deletion.due_date), "2025-01-01");
  EXPECT_EQ((*entries)[0].deletion.deleted_at, kT0);
  EXPECT_EQ((*entries)[0].hash, e1->hash);
  EXPECT_EQ((*entries)[1].deletion.rule_id, "");
  EXPECT_EQ((*entries)[1].deletion.due_date, kNoDate);
  EXPECT_EQ((*entries)[2].deletion.record_id, "Søren's søgning\t%\n");
  EXPECT_EQ((*entries)[2].deletion.deleted_at, kT0 + 59);
  EXPECT_EQ((*entries)[2].line, 4);

  // The format is readable text.
  const std::vector<std::string> lines = Lines(ReadAll(path));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].rfind("gdprkit-deletion-log\t1\t", 0), 0u);
  EXPECT_THAT(lines[0], HasSubstr("\tplain"));
  EXPECT_EQ(lines[1].rfind("1\tapp-1\tunsolicited-14-days\t2025-01-01\t2025-01-01T12:00:00Z\t", 0),
            0u);
  EXPECT_EQ(lines[2].rfind("2\tapp-2\t\t-\t", 0), 0u);
  EXPECT_EQ(lines[3].rfind("3\tSøren's søgning%09%25%0A\tr\t2024-02-29\t2025-01-01T12:00:59Z\t", 0),
            0u);

  DeletionLogVerification v = Verify(path);
  EXPECT_TRUE(v.intact);
  EXPECT_EQ(v.entries, 3);
  EXPECT_EQ(v.head, log->head());
  EXPECT_EQ(v.log_id, log->log_id());
  EXPECT_EQ(v.first_broken_entry, -1);
  EXPECT_FALSE(v.keyed);
  // Every head so far is a valid expected head; the genesis too.
  EXPECT_TRUE(Verify(path, {}, e1->hash).intact);
  EXPECT_TRUE(Verify(path, {}, genesis).intact);
}

TEST(DeletionLogTest, ReopenContinuesTheChain) {
  const std::string path = ThreeEntries();
  auto log = OpenOk(path);
  EXPECT_EQ(log->entries(), 3);
  auto e = log->Append(Del("app-4"));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->seq, 4);
  EXPECT_TRUE(Verify(path).intact);
  EXPECT_EQ(Verify(path).entries, 4);
}

TEST(DeletionLogTest, AlteredEntryIsNamed) {
  const std::string path = ThreeEntries();
  std::vector<std::string> lines = Lines(ReadAll(path));
  lines[2].replace(lines[2].find("app-2"), 5, "app-9");
  WriteAllText(path, Join(lines));
  DeletionLogVerification v = Verify(path);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.entries, 1);
  EXPECT_EQ(v.first_broken_entry, 2);
  EXPECT_EQ(v.first_broken_line, 3);
  EXPECT_THAT(v.problem, HasSubstr("hash does not match"));
  auto read = ReadDeletionLog(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(read.status().message(), HasSubstr("entry 2 (line 3) is broken"));
  auto open = DeletionLog::Open(path);
  EXPECT_EQ(open.status().code(), absl::StatusCode::kDataLoss);
}

TEST(DeletionLogTest, AlteredDatesAndTimesAreNamed) {
  for (const char* what : {"2025-01-01\t2025", "T12:00:00Z"}) {
    const std::string path = ThreeEntries();
    std::vector<std::string> lines = Lines(ReadAll(path));
    const std::size_t at = lines[3].find(what);
    ASSERT_NE(at, std::string::npos);
    lines[3][at + std::string(what).size() - 3] ^= 1;  // flips a digit
    WriteAllText(path, Join(lines));
    DeletionLogVerification v = Verify(path);
    EXPECT_EQ(v.first_broken_entry, 3) << what;
  }
}

TEST(DeletionLogTest, RemovedInsertedAndReorderedEntriesBreakTheChain) {
  {
    const std::string path = ThreeEntries();
    std::vector<std::string> lines = Lines(ReadAll(path));
    lines.erase(lines.begin() + 2);  // entry 2 removed
    WriteAllText(path, Join(lines));
    DeletionLogVerification v = Verify(path);
    EXPECT_EQ(v.first_broken_entry, 2);  // the line now in place of entry 2
    EXPECT_EQ(v.first_broken_line, 3);
  }
  {
    const std::string path = ThreeEntries();
    std::vector<std::string> lines = Lines(ReadAll(path));
    std::swap(lines[1], lines[2]);
    WriteAllText(path, Join(lines));
    EXPECT_EQ(Verify(path).first_broken_entry, 1);
  }
  {
    const std::string path = ThreeEntries();
    std::vector<std::string> lines = Lines(ReadAll(path));
    lines.insert(lines.begin() + 3, lines[2]);  // entry 2 repeated
    WriteAllText(path, Join(lines));
    EXPECT_EQ(Verify(path).first_broken_entry, 3);
  }
}

TEST(DeletionLogTest, HeaderTampering) {
  {
    const std::string path = ThreeEntries();
    std::vector<std::string> lines = Lines(ReadAll(path));
    lines[0][25] = lines[0][25] == 'a' ? 'b' : 'a';  // another log id
    WriteAllText(path, Join(lines));
    DeletionLogVerification v = Verify(path);
    EXPECT_EQ(v.first_broken_entry, 1);
  }
  {
    const std::string path = ThreeEntries();
    std::vector<std::string> lines = Lines(ReadAll(path));
    lines[0] = "not a log";
    WriteAllText(path, Join(lines));
    DeletionLogVerification v = Verify(path);
    EXPECT_EQ(v.first_broken_entry, 0);
    EXPECT_EQ(v.first_broken_line, 1);
    EXPECT_THAT(v.problem, HasSubstr("header"));
    EXPECT_THAT(ReadDeletionLog(path).status().message(), HasSubstr("header (line 1) is broken"));
  }
  {
    const std::string path = ThreeEntries();
    std::vector<std::string> lines = Lines(ReadAll(path));
    lines[0].replace(lines[0].find("\t1\t"), 3, "\t2\t");
    WriteAllText(path, Join(lines));
    EXPECT_THAT(Verify(path).problem, HasSubstr("unsupported format version 2"));
  }
}

TEST(DeletionLogTest, TruncationNeedsTheExpectedHead) {
  const std::string path = ThreeEntries();
  const std::string head = Verify(path).head;
  std::vector<std::string> lines = Lines(ReadAll(path));
  lines.pop_back();  // last entry cut off: the chain itself is still whole
  WriteAllText(path, Join(lines));
  EXPECT_TRUE(Verify(path).intact);
  DeletionLogVerification v = Verify(path, {}, head);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.entries, 2);
  EXPECT_EQ(v.first_broken_entry, 3);
  EXPECT_THAT(v.problem, HasSubstr("cut short"));
  EXPECT_EQ(VerifyDeletionLog(path, {}, "xyz").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DeletionLogTest, InterruptedWriteIsNamed) {
  const std::string path = ThreeEntries();
  std::string text = ReadAll(path);
  text.pop_back();  // the last line has lost its line end
  WriteAllText(path, text);
  DeletionLogVerification v = Verify(path);
  EXPECT_EQ(v.first_broken_entry, 3);
  EXPECT_THAT(v.problem, HasSubstr("incomplete last line"));
  EXPECT_EQ(DeletionLog::Open(path).status().code(), absl::StatusCode::kDataLoss);
}

TEST(DeletionLogTest, GarbageAndEmptyFiles) {
  const std::string empty = TempPath("empty.log");
  WriteAllText(empty, "");
  EXPECT_THAT(Verify(empty).problem, HasSubstr("empty file"));
  EXPECT_FALSE(Verify(empty).intact);
  // Open makes an empty file a log.
  ASSERT_NE(OpenOk(empty), nullptr);
  EXPECT_TRUE(Verify(empty).intact);

  const std::string junk = TempPath("junk.log");
  WriteAllText(junk, std::string("\x00\x01\x02garbage\n", 11));
  EXPECT_EQ(Verify(junk).first_broken_entry, 0);
  const std::string longline = TempPath("long.log");
  WriteAllText(longline, std::string(100000, 'x'));
  EXPECT_THAT(Verify(longline).problem, HasSubstr("line too long"));

  EXPECT_EQ(VerifyDeletionLog(TempPath("missing.log")).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(VerifyDeletionLog(::testing::TempDir()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(DeletionLog::Open(::testing::TempDir()).ok());
  EXPECT_EQ(DeletionLog::Open("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DeletionLog::Open("/nonexistent-dir/x.log").status().code(),
            absl::StatusCode::kNotFound);
}

// What an attacker without the key can do to a plain log: rewrite an entry
// and recompute every hash after it.
void RewriteChain(const std::string& path, const std::string& from, const std::string& to) {
  std::vector<std::string> lines = Lines(ReadAll(path));
  unsigned char head[32];
  crypto_generichash(head, 32, reinterpret_cast<const unsigned char*>(lines[0].data()),
                     lines[0].size(), nullptr, 0);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::string body = lines[i].substr(0, lines[i].rfind('\t'));
    if (const std::size_t at = body.find(from); at != std::string::npos)
      body.replace(at, from.size(), to);
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, 32);
    crypto_generichash_update(&st, head, 32);
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                              body.size());
    crypto_generichash_final(&st, head, 32);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, head, 32);
    lines[i] = body + "\t" + hex;
  }
  WriteAllText(path, Join(lines));
}

TEST(DeletionLogTest, PlainChainsNeedAnAnchorKeyedChainsDoNot) {
  ASSERT_GE(sodium_init(), 0);
  // Plain: a rewritten chain verifies, but not against the head kept elsewhere.
  const std::string plain = ThreeEntries();
  const std::string head = Verify(plain).head;
  RewriteChain(plain, "app-2", "app-X");
  EXPECT_TRUE(Verify(plain).intact);
  EXPECT_FALSE(Verify(plain, {}, head).intact);

  // Keyed: without the key the rewrite is noticed at once.
  const std::string key(32, 'k');
  DeletionLogOptions keyed;
  keyed.key = key;
  const std::string path = ThreeEntries(keyed);
  EXPECT_TRUE(Verify(path, keyed).intact);
  EXPECT_TRUE(Verify(path, keyed).keyed);
  std::vector<std::string> lines = Lines(ReadAll(path));
  EXPECT_THAT(lines[0], HasSubstr("\tkeyed:"));
  RewriteChain(path, "app-2", "app-X");
  DeletionLogVerification v = Verify(path, keyed);
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_broken_entry, 1);
}

TEST(DeletionLogTest, KeysMustMatch) {
  const std::string key(32, 'k');
  const std::string other(32, 'o');
  DeletionLogOptions keyed, wrong, none;
  keyed.key = key;
  wrong.key = other;
  const std::string path = ThreeEntries(keyed);
  EXPECT_EQ(VerifyDeletionLog(path).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(VerifyDeletionLog(path).status().message(), HasSubstr("give its key"));
  EXPECT_EQ(VerifyDeletionLog(path, wrong).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(DeletionLog::Open(path, wrong).status().message(),
              HasSubstr("not this deletion log's key"));
  EXPECT_EQ(ReadDeletionLog(path, none).status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string plain = ThreeEntries();
  EXPECT_EQ(VerifyDeletionLog(plain, keyed).status().code(), absl::StatusCode::kFailedPrecondition);
  DeletionLogOptions tiny;
  tiny.key = "short";
  EXPECT_EQ(DeletionLog::Open(TempPath("k.log"), tiny).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(VerifyDeletionLog(plain, tiny).status().message(), HasSubstr("16-64"));
  auto read = ReadDeletionLog(path, keyed);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->size(), 3u);
}

TEST(DeletionLogTest, BadDeletionsAreRefusedNamingTheField) {
  const std::string path = TempPath("bad.log");
  auto log = OpenOk(path);
  struct Case {
    DeletionRecord d;
    const char* want;
  } cases[] = {
      {Del(""), "record_id: empty"},
      {Del(std::string(1025, 'x')), "record_id: 1025 bytes"},
      {Del("\xff\xfe"), "record_id: not valid UTF-8"},
      {Del("a\xc3"), "record_id: not valid UTF-8"},
      {Del("\xc0\x80"), "record_id: not valid UTF-8"},  // overlong NUL
      {Del("010190-1234"), "looks like a CPR number"},
      {Del("0101901234"), "looks like a CPR number"},
      {Del("r", std::string(300, 'r')), "rule_id: 300 bytes"},
      {Del("r", "\xed\xa0\x80"), "rule_id: not valid UTF-8"},  // a surrogate
      {DeletionRecord{"r", "x", kMaxDate + 1, kT0}, "due_date"},
      {Del("r", "x", "2025-01-01", -1), "deleted_at"},
      {Del("r", "x", "2025-01-01", std::time(nullptr) + 3 * 86400), "in the future"},
  };
  for (const Case& c : cases) {
    auto r = log->Append(c.d);
    ASSERT_FALSE(r.ok()) << c.want;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr(c.want));
    EXPECT_THAT(r.status().message(), Not(HasSubstr("[0]")));
  }
  EXPECT_THAT(log->Append(Del("010190-1234")).status().message(), Not(HasSubstr("010190")));
  // A batch with one bad deletion writes nothing and names its index.
  auto batch = log->AppendAll({Del("ok-1"), Del("")});
  ASSERT_FALSE(batch.ok());
  EXPECT_THAT(batch.status().message(), HasSubstr("deletions[1].record_id"));
  EXPECT_EQ(log->entries(), 0);
  EXPECT_TRUE(log->AppendAll({}).ok());
  EXPECT_EQ(Verify(path).entries, 0);
}

// Issue #9, item 5: a CPR number in any spelling, alone or inside a longer
// id, never reaches the log (which can never be cleaned afterwards); ids
// that only look a bit like one still go in.
TEST(DeletionLogTest, CprNumbersInAnySpellingAreRefused) {
  const std::string path = TempPath("cpr.log");
  auto log = OpenOk(path);
  const std::vector<std::string> refused = {
      "patient-0101901234",
      "pt-0101901234",
      "pt0101901234",
      "010190 1234",
      "010190\u2013"
      "1234",  // en dash (U+2013)
      "010190/1234",
      "010190\u00a0"
      "1234",  // no-break space (U+00A0)
      "010190\u202f"
      "1234",                                                           // narrow no-break space
      "\uff10\uff11\uff10\uff11\uff19\uff10-\uff11\uff12\uff13\uff14",  // full-width
      "01.01.90-1234",
      "01 01 90 1234",
  };
  for (const std::string& id : refused) {
    auto r = log->Append(Del(id));
    ASSERT_FALSE(r.ok()) << id;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr("record_id"));
    EXPECT_THAT(r.status().message(), HasSubstr("looks like a CPR number"));
    EXPECT_THAT(r.status().message(), Not(HasSubstr("0101")));
    EXPECT_THAT(r.status().message(), Not(HasSubstr("1234")));
  }
  // The rule id is stored too.
  auto rule = log->Append(Del("record-7", "patient-010190-1234"));
  ASSERT_FALSE(rule.ok());
  EXPECT_THAT(rule.status().message(), HasSubstr("rule_id"));
  EXPECT_THAT(rule.status().message(), Not(HasSubstr("010190")));
  // A batch with one such id writes nothing.
  auto batch = log->AppendAll({Del("ok-1"), Del("patient-0101901234")});
  ASSERT_FALSE(batch.ok());
  EXPECT_THAT(batch.status().message(), HasSubstr("deletions[1].record_id"));
  EXPECT_EQ(log->entries(), 0);

  // Look-alikes: not a date, longer runs, dates, CVR numbers, hashes, UUIDs.
  const std::vector<std::string> accepted = {
      "patient-17",
      "patient-3201901234",  // no 32nd day
      "order-01019012345",   // eleven digits
      "invoice 2024-118",
      "2026-01-05T10:20:30Z",
      "cvr-25313763",
      "123e4567-e89b-42d3-a456-0101901234ab",
      "a3f5c0101901234e9b8d7c6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e",
  };
  for (const std::string& id : accepted) {
    EXPECT_TRUE(log->Append(Del(id)).ok()) << id;
  }
  EXPECT_EQ(log->entries(), static_cast<std::int64_t>(accepted.size()));
  EXPECT_EQ(Verify(path).entries, static_cast<std::int64_t>(accepted.size()));
}

TEST(DeletionLogTest, TwoWritersOnOneFileTakeTurns) {
  const std::string path = TempPath("two.log");
  auto a = OpenOk(path);
  auto b = OpenOk(path);
  for (int i = 0; i < 20; ++i) {
    auto& w = i % 2 ? a : b;
    auto e = w->Append(Del("r" + std::to_string(i)));
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_EQ(e->seq, i + 1);
  }
  EXPECT_EQ(a->entries(), 20);  // a saw b's last entries when it last wrote
  DeletionLogVerification v = Verify(path);
  EXPECT_TRUE(v.intact);
  EXPECT_EQ(v.entries, 20);
}

TEST(DeletionLogTest, ThreadsShareOneLog) {
  const std::string path = TempPath("threads.log");
  auto log = OpenOk(path);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(log->Append(Del("t" + std::to_string(t) + "-" + std::to_string(i))).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(log->entries(), 200);
  EXPECT_TRUE(Verify(path).intact);
  EXPECT_EQ(Verify(path).entries, 200);
}

TEST(DeletionLogTest, AnotherWriterBreakingTheFileStopsAppends) {
  const std::string path = ThreeEntries();
  auto log = OpenOk(path);
  // Someone appends a forged line behind the log's back.
  std::ofstream(path, std::ios::app)
      << "4\tforged\tx\t-\t2025-01-01T00:00:00Z\t" << std::string(64, '0') << "\n";
  auto r = log->Append(Del("app-4"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(r.status().message(), HasSubstr("entry 4 (line 5)"));
  // Someone cuts the file.
  const std::string path2 = ThreeEntries();
  auto log2 = OpenOk(path2);
  ASSERT_EQ(::truncate(path2.c_str(), 10), 0);
  EXPECT_THAT(log2->Append(Del("app-4")).status().message(), HasSubstr("shrank"));
}

}  // namespace
}  // namespace gdprkit
