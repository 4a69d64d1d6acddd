// Benchmarks of the identifier checks and the vault.
//
// Targets (issue #5): >= 3 million pseudonyms per second per core; 1 million
// new identifiers into a vault file in under 10 s; 1 million look-ups of
// existing tokens in under 2 s. Run:
//   build/benchmarks/vault_benchmark --benchmark_counters_tabular=true
// The vault benchmarks use a file in $TMPDIR (or /tmp) and Argon2id at its
// minimum cost (key derivation is not what is measured).
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "benchmark/benchmark.h"
#include "gdprkit/identifiers.h"
#include "gdprkit/vault.h"
#include "vault/internal/keys.h"

namespace gdprkit {
namespace {

// n distinct valid CPR numbers "DDMMYY-SSSS" (no modulus-11 requirement).
std::vector<std::string> MakeCprNumbers(std::size_t n, int salt = 0) {
  std::vector<std::string> out;
  out.reserve(n);
  char buf[16];
  for (std::size_t i = 0; out.size() < n; ++i) {
    int day = static_cast<int>(i % 28) + 1;
    int month = static_cast<int>((i / 28) % 12) + 1;
    int year = static_cast<int>((i / 336) % 100);
    int serial = static_cast<int>((i / 33600) % 4000) + salt;  // 7th digit 0-3: 1900s
    std::snprintf(buf, sizeof(buf), "%02d%02d%02d-%04d", day, month, year, serial % 4000);
    out.emplace_back(buf);
  }
  return out;
}

double Cpu() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::vector<std::string_view> Views(const std::vector<std::string>& v) {
  return std::vector<std::string_view>(v.begin(), v.end());
}

std::string TempPath(const char* name) {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir != nullptr ? dir : "/tmp") + "/gdprkit_bench_" +
                     std::to_string(getpid()) + "_" + name;
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  return path;
}

VaultOptions Options(const std::string& path) {
  return VaultOptions()
      .set_path(path)
      .set_passphrase("benchmark passphrase")
      .set_kdf_limits(KdfLimits::ForTestsOnly())
      .set_actor("benchmark")
      .set_cache_mib(std::getenv("GDPRKIT_BENCH_CACHE_MIB")
                         ? std::atoi(std::getenv("GDPRKIT_BENCH_CACHE_MIB"))
                         : 64);
}

void BM_NormalizeCprColumn(benchmark::State& state) {
  auto ids = MakeCprNumbers(static_cast<std::size_t>(state.range(0)));
  auto views = Views(ids);
  StringColumn out;
  std::vector<IdProblem> problems;
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeIds(IdKind::kCpr, views, &out, &problems));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_NormalizeCprColumn)->Arg(100000);

// range(2): the domain's pseudonym scheme (1 = blake2b, 2 = chacha20, the
// default), so both are measured side by side in one run.
void BM_Pseudonymize(benchmark::State& state) {
  std::string path = TempPath("pseudo.db");
  auto vault = *Vault::Create(Options(path));
  const auto scheme = static_cast<PseudonymScheme>(state.range(2));
  (void)vault->CreateDomain("klynge-aarhus-2026", "", scheme);
  auto p = *vault->NewPseudonymizer("klynge-aarhus-2026");
  auto ids = MakeCprNumbers(static_cast<std::size_t>(state.range(0)));
  auto views = Views(ids);
  StringColumn out;
  BatchOptions options;
  options.threads = static_cast<int>(state.range(1));  // 1: one core; 0: automatic
  for (auto _ : state) {
    if (!p->Pseudonymize(IdKind::kCpr, views, &out, options).ok()) state.SkipWithError("failed");
    benchmark::DoNotOptimize(out.bytes().data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel(std::string(PseudonymSchemeName(scheme)));
  vault.reset();
  std::remove(path.c_str());
}
// Per core: one thread.
BENCHMARK(BM_Pseudonymize)
    ->ArgNames({"n", "threads", "scheme"})
    ->Args({100000, 1, 2})
    ->Args({1000000, 1, 2})
    ->Args({1000000, 1, 1})
    ->Unit(benchmark::kMillisecond);
// Automatic threads (the default of the API): CPU time of the whole process,
// rate by wall time.
BENCHMARK(BM_Pseudonymize)
    ->ArgNames({"n", "threads", "scheme"})
    ->Args({1000000, 0, 2})
    ->Args({1000000, 0, 1})
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_PseudonymizeProviderNumbers(benchmark::State& state) {
  std::string path = TempPath("pseudo-yder.db");
  auto vault = *Vault::Create(Options(path));
  const auto scheme = static_cast<PseudonymScheme>(state.range(0));
  (void)vault->CreateDomain("klynge-aarhus-2026", "", scheme);
  auto p = *vault->NewPseudonymizer("klynge-aarhus-2026");
  std::vector<std::string> ids;
  for (int i = 0; i < 100000; ++i) ids.push_back(std::to_string(100000 + i));
  auto views = Views(ids);
  StringColumn out;
  BatchOptions options;
  options.threads = 1;
  for (auto _ : state) {
    if (!p->Pseudonymize(IdKind::kProviderNumber, views, &out, options).ok()) {
      state.SkipWithError("failed");
    }
  }
  state.SetItemsProcessed(state.iterations() * 100000);
  state.SetLabel(std::string(PseudonymSchemeName(scheme)));
  vault.reset();
  std::remove(path.c_str());
}
BENCHMARK(BM_PseudonymizeProviderNumbers)
    ->ArgName("scheme")
    ->Arg(2)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

// One million new identifiers into a fresh vault file, in one batch, then
// one million look-ups each way. Each is timed once (the state would
// change between iterations).
void BM_VaultMillion(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  auto ids = MakeCprNumbers(n);
  auto views = Views(ids);
  for (auto _ : state) {
    state.PauseTiming();
    std::string path = TempPath("million.db");
    auto vault = *Vault::Create(Options(path));
    (void)vault->CreateDomain("kapsel-datakonsulenter");
    StringColumn tokens;
    BatchReport report;
    state.ResumeTiming();
    auto t0 = Now();
    auto c0 = Cpu();
    absl::Status s =
        vault->Tokenize("kapsel-datakonsulenter", IdKind::kCpr, views, &tokens, {}, &report);
    auto t1 = Now();
    auto c1 = Cpu();
    if (!s.ok() || report.created != n) state.SkipWithError("tokenize failed");
    StringColumn again;
    s = vault->Tokenize("kapsel-datakonsulenter", IdKind::kCpr, views, &again);
    auto t2 = Now();
    auto c2 = Cpu();
    if (!s.ok() || again.bytes() != tokens.bytes()) state.SkipWithError("second tokenize failed");
    std::vector<std::string_view> tv(n);
    for (std::size_t i = 0; i < n; ++i) tv[i] = tokens[i];
    StringColumn back;
    s = vault->Reidentify("kapsel-datakonsulenter", tv, "benchmark", &back);
    auto t3 = Now();
    auto c3 = Cpu();
    if (!s.ok() || back.size() != n) state.SkipWithError("reidentify failed");
    state.PauseTiming();
    state.counters["new_s"] = t1 - t0;
    state.counters["existing_s"] = t2 - t1;
    state.counters["reidentify_s"] = t3 - t2;
    // CPU time of this process: on a shared machine the fairer per-core figure.
    state.counters["new_cpu_s"] = c1 - c0;
    state.counters["existing_cpu_s"] = c2 - c1;
    state.counters["reidentify_cpu_s"] = c3 - c2;
    vault.reset();
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f != nullptr) {
      std::fseek(f, 0, SEEK_END);
      state.counters["file_MB"] = static_cast<double>(std::ftell(f)) / 1e6;
      std::fclose(f);
    }
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
    state.ResumeTiming();
  }
}
BENCHMARK(BM_VaultMillion)->Arg(1000000)->Iterations(1)->Unit(benchmark::kSecond);

// The floor of one chacha20 pseudonym (issue #15): its primitives one by one,
// per call. The pseudonym is one crypto_stream_chacha20_ietf call for 16
// bytes (one block) under the domain's key, then base32 of those 16 bytes;
// crypto_core_hchacha20 is measured for scale (one block function without
// the stream's setup).
void BM_ChaCha20OneBlock(benchmark::State& state) {
  std::uint8_t key[crypto_stream_chacha20_ietf_KEYBYTES] = {1, 2, 3};
  std::uint8_t nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {};
  std::uint8_t out[internal::kPseudonymBytes];
  std::uint64_t i = 0;
  for (auto _ : state) {
    nonce[2] = static_cast<std::uint8_t>(++i);
    crypto_stream_chacha20_ietf(out, sizeof(out), nonce, key);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ChaCha20OneBlock);

void BM_HChaCha20(benchmark::State& state) {
  std::uint8_t key[crypto_core_hchacha20_KEYBYTES] = {1, 2, 3};
  std::uint8_t in[crypto_core_hchacha20_INPUTBYTES] = {};
  std::uint8_t out[crypto_core_hchacha20_OUTPUTBYTES];
  std::uint64_t i = 0;
  for (auto _ : state) {
    in[0] = static_cast<std::uint8_t>(++i);
    crypto_core_hchacha20(out, in, key, nullptr);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HChaCha20);

void BM_Base32Pseudonym(benchmark::State& state) {
  std::uint8_t raw[internal::kPseudonymBytes] = {7, 1, 200};
  char out[32];
  for (auto _ : state) {
    ++raw[0];
    internal::Base32Encode(raw, sizeof(raw), out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Base32Pseudonym);

// The checks and normal form of one CPR number "DDMMYY-SSSS" (per row, in a
// column of 100k).
void BM_NormalizeOneCpr(benchmark::State& state) {
  auto ids = MakeCprNumbers(100000);
  IdBuffer buf;
  std::string_view out;
  const IdOptions options = ResolveCprAsOf(IdOptions());
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeIdInto(IdKind::kCpr, ids[i], &buf, &out, options));
    if (++i == ids.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeOneCpr);

}  // namespace
}  // namespace gdprkit
