// The free-text identifier scanner (gdprkit/scan.h) on generated Danish
// clinical notes: words, dates, times, phone numbers, amounts, decoys and a
// few identifiers, about 250 bytes a note (fixed seed). Bytes per second are
// the figure to watch (target: 200 MB/s per core); benchmarks/scan_compare.py
// compares with Python's re on the same kind of text.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gdprkit/scan.h"

namespace gdprkit {
namespace {

struct Corpus {
  std::string text;                     // notes joined by '\n'
  std::vector<std::string_view> notes;  // views into text
};

const Corpus& Notes() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    std::mt19937_64 rng(14);
    auto num = [&](int lo, int hi) {
      return static_cast<int>(lo +
                              static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1)));
    };
    static const char* kWords[] = {
        "patienten",  "klager", "over", "hoste",     "og",         "feber",
        "siden",      "i",      "går",  "ordineret", "penicillin", "kontrol",
        "om",         "to",     "uger", "henvist",   "til",        "øre-næse-hals",
        "blodprøver", "viser",  "let",  "forhøjet",  "CRP",        "smerter"};
    std::vector<std::size_t> ends;
    char buf[96];
    while (c->text.size() < (std::size_t{32} << 20)) {
      for (int s = num(3, 6); s > 0; --s) {
        for (int w = num(4, 10); w > 0; --w) {
          c->text += kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))];
          c->text += ' ';
        }
        const int r = num(0, 99);
        if (r < 30) {
          std::snprintf(buf, sizeof(buf), "Set d. %02d.%02d.2026 kl. %02d:%02d. ", num(1, 28),
                        num(1, 12), num(7, 16), num(0, 59));
        } else if (r < 40) {
          std::snprintf(buf, sizeof(buf), "BT %d/%d, puls %d. ", num(100, 180), num(60, 110),
                        num(50, 110));
        } else if (r < 48) {
          std::snprintf(buf, sizeof(buf), "Tlf. %d. ", num(20000000, 99999999));
        } else if (r < 53) {
          std::snprintf(buf, sizeof(buf), "Egenbetaling %d.%03d,%02d kr. ", num(1, 9), num(0, 999),
                        num(0, 99));
        } else if (r < 56) {
          std::snprintf(buf, sizeof(buf), "Konto %d%05d. ", num(10000, 99999), num(0, 99999));
        } else if (r < 58) {
          std::snprintf(buf, sizeof(buf), "Ref. %02d%02d%02d-%04d. ", num(32, 39), num(1, 12),
                        num(0, 99), num(0, 9999));
        } else if (r < 62) {
          std::snprintf(buf, sizeof(buf), "CPR %02d%02d%02d-%d%03d. ", num(1, 28), num(1, 12),
                        num(40, 99), num(0, 3), num(0, 999));
        } else if (r < 63) {
          std::snprintf(buf, sizeof(buf), "Ydernr. %06d. ", num(1, 999999));
        } else {
          buf[0] = '\0';
        }
        c->text += buf;
      }
      c->text += '\n';
      ends.push_back(c->text.size());
    }
    std::size_t begin = 0;
    for (std::size_t end : ends) {
      c->notes.emplace_back(c->text.data() + begin, end - 1 - begin);
      begin = end;
    }
    return c;
  }();
  return *corpus;
}

ScanOptions Options() {
  ScanOptions o;
  o.as_of = IdDate{2026, 12, 3};
  return o;
}

void BM_ScanCount(benchmark::State& state) {
  const Corpus& c = Notes();
  const IdScanner scanner = *IdScanner::Create(Options());
  std::uint64_t found = 0;
  for (auto _ : state) {
    std::array<std::uint64_t, kNumScanKinds> counts{};
    found = scanner.Count(c.text, &counts);
    benchmark::DoNotOptimize(counts);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.text.size()));
  state.counters["found"] = static_cast<double>(found);
}
BENCHMARK(BM_ScanCount)->Unit(benchmark::kMillisecond);

void BM_ScanTextsPerNote(benchmark::State& state) {
  const Corpus& c = Notes();
  for (auto _ : state) {
    absl::StatusOr<ScanCounts> counts = ScanTexts(c.notes, Options());
    benchmark::DoNotOptimize(counts);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.text.size()));
  state.counters["notes"] = static_cast<double>(c.notes.size());
}
BENCHMARK(BM_ScanTextsPerNote)->Unit(benchmark::kMillisecond);

void BM_RedactTexts(benchmark::State& state) {
  const Corpus& c = Notes();
  StringColumn out;
  for (auto _ : state) {
    absl::Status s = RedactTexts(c.notes, Options(), &out);
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.text.size()));
}
BENCHMARK(BM_RedactTexts)->Unit(benchmark::kMillisecond);

// Text without a digit: the vector skip alone.
void BM_ScanNoDigits(benchmark::State& state) {
  std::string text;
  while (text.size() < (std::size_t{32} << 20)) text += "patienten klager over hoste og feber ";
  const IdScanner scanner = *IdScanner::Create(Options());
  for (auto _ : state) {
    std::array<std::uint64_t, kNumScanKinds> counts{};
    benchmark::DoNotOptimize(scanner.Count(text, &counts));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ScanNoDigits)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gdprkit
