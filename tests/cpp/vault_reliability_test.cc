// Reliability of the vault: concurrent tokenisation from threads and from
// processes gives one token per identifier per domain; a process killed with
// SIGKILL in the middle of a large batch leaves a consistent vault.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gdprkit/vault.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

std::string TempPath(const std::string& name) {
  static std::atomic<int> counter{0};
  std::string path = ::testing::TempDir() + "/gdprkit_rel_" + std::to_string(getpid()) + "_" +
                     std::to_string(counter++) + "_" + name;
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  return path;
}

VaultOptions Options(const std::string& path) {
  return VaultOptions()
      .set_path(path)
      .set_passphrase("reliability")
      .set_kdf_limits(KdfLimits::ForTestsOnly())
      .set_actor("reliability-test");
}

// n distinct provider numbers.
std::vector<std::string> Ids(int n, int start = 100000) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) ids.push_back(std::to_string(start + i));
  return ids;
}

// Tokenises `ids` in a shuffled order, in batches, recording id -> token.
absl::Status TokenizeShuffled(Vault* vault, std::vector<std::string> ids, unsigned seed,
                              std::size_t batch, std::map<std::string, std::string>* out) {
  std::mt19937 rng(seed);
  std::shuffle(ids.begin(), ids.end(), rng);
  for (std::size_t at = 0; at < ids.size(); at += batch) {
    std::vector<std::string_view> views;
    for (std::size_t i = at; i < std::min(ids.size(), at + batch); ++i) views.push_back(ids[i]);
    StringColumn tokens;
    absl::Status s = vault->Tokenize("shared", IdKind::kProviderNumber, views, &tokens);
    if (!s.ok()) return s;
    for (std::size_t i = 0; i < views.size(); ++i) {
      (*out)[std::string(views[i])] = std::string(tokens[i]);
    }
  }
  return absl::OkStatus();
}

void ExpectOneTokenPerIdentifier(const std::string& path, const std::vector<std::string>& ids,
                                 const std::vector<std::map<std::string, std::string>>& seen) {
  absl::StatusOr<std::unique_ptr<Vault>> v = Vault::Open(Options(path));
  ASSERT_TRUE(v.ok()) << v.status();
  std::vector<std::string_view> views(ids.begin(), ids.end());
  StringColumn stored;
  BatchReport report;
  ASSERT_TRUE(
      (*v)->LookupTokens("shared", IdKind::kProviderNumber, views, &stored, {}, &report).ok());
  EXPECT_EQ(report.missing, 0u);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    for (const auto& m : seen) {
      auto it = m.find(ids[i]);
      ASSERT_NE(it, m.end());
      ASSERT_EQ(it->second, stored[i]) << "two tokens for one identifier";
    }
  }
  std::vector<DomainInfo> domains = *(*v)->ListDomains();
  ASSERT_EQ(domains.size(), 1u);
  EXPECT_EQ(domains[0].tokens, ids.size());
  EXPECT_TRUE((*v)->CheckIntegrity().ok());
}

TEST(VaultConcurrencyTest, ThreadsSharingOneVault) {
  std::string path = TempPath("threads-shared.db");
  auto vault = *Vault::Create(Options(path));
  ASSERT_TRUE(vault->CreateDomain("shared").ok());
  std::vector<std::string> ids = Ids(1200);
  std::vector<std::map<std::string, std::string>> seen(4);
  std::vector<absl::Status> status(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back(
        [&, t] { status[t] = TokenizeShuffled(vault.get(), ids, 11 + t, 50, &seen[t]); });
  }
  for (auto& th : threads) th.join();
  for (const absl::Status& s : status) ASSERT_TRUE(s.ok()) << s;
  vault.reset();
  ExpectOneTokenPerIdentifier(path, ids, seen);
}

TEST(VaultConcurrencyTest, ThreadsWithTheirOwnConnections) {
  std::string path = TempPath("threads-own.db");
  {
    auto vault = *Vault::Create(Options(path));
    ASSERT_TRUE(vault->CreateDomain("shared").ok());
  }
  std::vector<std::string> ids = Ids(1200, 300000);
  std::vector<std::map<std::string, std::string>> seen(4);
  std::vector<absl::Status> status(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      absl::StatusOr<std::unique_ptr<Vault>> v = Vault::Open(Options(path));
      if (!v.ok()) {
        status[t] = v.status();
        return;
      }
      status[t] = TokenizeShuffled(v->get(), ids, 21 + t, 40, &seen[t]);
    });
  }
  for (auto& th : threads) th.join();
  for (const absl::Status& s : status) ASSERT_TRUE(s.ok()) << s;
  ExpectOneTokenPerIdentifier(path, ids, seen);
}

// Runs `child` in a forked process; returns its pid. The child exits 0 when
// `child` returns OK, 1 otherwise (with the status on stderr).
template <typename F>
pid_t Fork(F child) {
  pid_t pid = fork();
  if (pid == 0) {
    absl::Status s = child();
    if (!s.ok()) std::fprintf(stderr, "child failed: %s\n", s.ToString().c_str());
    std::fflush(stderr);
    _exit(s.ok() ? 0 : 1);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(VaultConcurrencyTest, TwoProcessesGiveOneTokenPerIdentifier) {
  std::string path = TempPath("procs.db");
  {
    auto vault = *Vault::Create(Options(path));
    ASSERT_TRUE(vault->CreateDomain("shared").ok());
  }
  std::vector<std::string> ids = Ids(2000, 500000);
  std::vector<std::string> outputs = {TempPath("procs-a.txt"), TempPath("procs-b.txt")};
  std::vector<pid_t> pids;
  for (int p = 0; p < 2; ++p) {
    pids.push_back(Fork([&, p]() -> absl::Status {
      absl::StatusOr<std::unique_ptr<Vault>> v = Vault::Open(Options(path));
      if (!v.ok()) return v.status();
      std::map<std::string, std::string> seen;
      if (absl::Status s = TokenizeShuffled(v->get(), ids, 31 + p, 64, &seen); !s.ok()) return s;
      std::ofstream out(outputs[p]);
      for (const auto& [id, token] : seen) out << id << " " << token << "\n";
      return absl::OkStatus();
    }));
  }
  for (pid_t pid : pids) {
    int status = Wait(pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  std::vector<std::map<std::string, std::string>> seen(2);
  for (int p = 0; p < 2; ++p) {
    std::ifstream in(outputs[p]);
    std::string id, token;
    while (in >> id >> token) seen[p][id] = token;
    ASSERT_EQ(seen[p].size(), ids.size());
  }
  ExpectOneTokenPerIdentifier(path, ids, seen);
}

TEST(VaultCrashTest, SigkillInTheMiddleOfALargeBatchLeavesAConsistentVault) {
  std::string path = TempPath("crash.db");
  {
    auto vault = *Vault::Create(Options(path));
    ASSERT_TRUE(vault->CreateDomain("shared").ok());
  }
  const std::vector<std::string> first = Ids(3000, 100000);
  const std::vector<std::string> large = Ids(150000, 200000);
  std::string first_tokens = TempPath("crash-first.txt");
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t pid = Fork([&]() -> absl::Status {
    close(ready[0]);
    // A small page cache, so that the large batch spills to the log before it
    // commits: the kill then lands in the middle of a written transaction.
    absl::StatusOr<std::unique_ptr<Vault>> v = Vault::Open(Options(path).set_cache_mib(1));
    if (!v.ok()) return v.status();
    std::vector<std::string_view> views(first.begin(), first.end());
    StringColumn tokens;
    if (absl::Status s = (*v)->Tokenize("shared", IdKind::kProviderNumber, views, &tokens);
        !s.ok()) {
      return s;
    }
    {
      std::ofstream out(first_tokens);
      for (std::size_t i = 0; i < tokens.size(); ++i) out << tokens[i] << "\n";
    }
    if (write(ready[1], "r", 1) != 1) return absl::InternalError("pipe");
    std::vector<std::string_view> big(large.begin(), large.end());
    return (*v)->Tokenize("shared", IdKind::kProviderNumber, big, &tokens);
  });
  close(ready[1]);
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  close(ready[0]);
  // Wait until the large batch has written to the log, then kill.
  bool killed_mid_batch = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    struct stat st;
    if (stat((path + "-wal").c_str(), &st) == 0 && st.st_size > (2 << 20)) {
      killed_mid_batch = kill(pid, SIGKILL) == 0;
      break;
    }
    if (waitpid(pid, nullptr, WNOHANG) == pid) {
      pid = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (pid > 0) {
    if (!killed_mid_batch) kill(pid, SIGKILL);
    int status = Wait(pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  }
  EXPECT_TRUE(killed_mid_batch) << "the batch finished before the kill";

  absl::StatusOr<std::unique_ptr<Vault>> v = Vault::Open(Options(path));
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE((*v)->CheckIntegrity().ok());
  EXPECT_TRUE((*v)->VerifyAudit().ok());
  std::vector<DomainInfo> domains = *(*v)->ListDomains();
  ASSERT_EQ(domains.size(), 1u);
  // All or nothing of the killed batch.
  EXPECT_TRUE(domains[0].tokens == first.size() || domains[0].tokens == first.size() + large.size())
      << domains[0].tokens;
  if (killed_mid_batch) {
    EXPECT_EQ(domains[0].tokens, first.size());
  }
  // The committed batch kept its tokens.
  std::vector<std::string_view> views(first.begin(), first.end());
  StringColumn now;
  ASSERT_TRUE((*v)->LookupTokens("shared", IdKind::kProviderNumber, views, &now).ok());
  std::ifstream in(first_tokens);
  std::string token;
  for (std::size_t i = 0; i < first.size(); ++i) {
    ASSERT_TRUE(static_cast<bool>(in >> token));
    ASSERT_EQ(now[i], token);
  }
  // And the vault carries on.
  std::vector<std::string_view> more = {"777777"};
  StringColumn t;
  BatchReport report;
  ASSERT_TRUE(
      (*v)->Tokenize("shared", IdKind::kProviderNumber, more, &t, BatchOptions(), &report).ok());
  EXPECT_EQ(report.created, 1u);
  EXPECT_TRUE((*v)->CheckIntegrity().ok());
}

}  // namespace
}  // namespace gdprkit
