// Retention sweeps over 10 million records (the bar: at least 20
// million records per second per core), and the date arithmetic under them.
//
//   cmake -S . -B build -DGDPRKIT_BUILD_BENCHMARKS=ON && cmake --build build
//   build/benchmarks/retention_benchmark
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gdprkit/retention.h"

namespace gdprkit {
namespace {

RetentionRuleRef Rule(std::string id, std::string period, std::string anchor,
                      RetentionAction action = RetentionAction::kDeleteAfter,
                      std::vector<RetentionEventRef> ends_early = {},
                      std::vector<RetentionEventRef> extended_by = {}) {
  RetentionRuleRef r;
  r.id = std::move(id);
  r.period = std::move(period);
  r.anchor = std::move(anchor);
  r.action = action;
  r.ends_early = std::move(ends_early);
  r.extended_by = std::move(extended_by);
  return r;
}

// A synthetic practice: the seed documents' rules, records spread over them,
// events that have happened for some, holds on one record in a thousand.
struct Workload {
  std::unique_ptr<RetentionSchedule> schedule;
  std::vector<std::int32_t> selector;
  std::vector<std::vector<DayNumber>> columns;
  SweepInput input;
  std::vector<RetentionStatus> status;
  std::vector<DayNumber> due;
  std::vector<std::int32_t> rule, anchor, hold;
  std::vector<RetentionReason> reason;
  SweepColumns out;

  explicit Workload(std::size_t n) {
    const std::vector<RetentionRuleRef> rules = {
        Rule("kapsel-15-months", "P15M", "provider_number_ended"),
        Rule("patient-record-10-years", "P10Y", "", RetentionAction::kRetainThenDelete),
        Rule("direct-contact-6-months", "P6M", "last_contact"),
        Rule("research-10-years-or-withdrawal", "P10Y", "", RetentionAction::kDeleteAfter,
             {{"consent_withdrawn", ""}}),
        Rule("rejected-3-months", "P3M", "application_rejected", RetentionAction::kDeleteAfter, {},
             {{"consent_to_retain", "P1Y"}}),
        Rule("unsolicited-14-days", "P14D", ""),
        Rule("legal-claims-5-years", "P5Y", "last_processing", RetentionAction::kRetainAtLeast),
    };
    schedule = std::make_unique<RetentionSchedule>(*RetentionSchedule::FromRules(rules));
    // Rule sets: one rule each, plus records under two rules.
    for (std::int32_t r = 0; r < static_cast<std::int32_t>(rules.size()); ++r) {
      input.rule_sets.push_back({r});
    }
    input.rule_sets.push_back({1, 6});  // patient record + legal claim
    input.rule_sets.push_back({2, 3});  // contact + research
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> set(0, static_cast<int>(input.rule_sets.size()) - 1);
    std::uniform_int_distribution<int> day(0, 3650), pct(0, 99);
    const DayNumber base = DaysFromCivil(2015, 1, 1);
    const auto& events = schedule->events();
    columns.assign(events.size(), std::vector<DayNumber>(n, kNoDate));
    selector.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      selector[i] = set(rng);
      const DayNumber c = base + day(rng);
      columns[0][i] = c;
      for (std::size_t e = 1; e < events.size(); ++e) {
        if (pct(rng) < 40) columns[e][i] = c + day(rng) / 3;
      }
      if (pct(rng) == 0 && pct(rng) < 10) {
        const DayNumber s = c + day(rng);
        input.holds.push_back(
            Hold{static_cast<std::int32_t>(i), s, pct(rng) < 50 ? kNoDate : s + day(rng) / 5});
      }
    }
    input.selector = selector;
    for (std::size_t e = 0; e < events.size(); ++e) {
      input.events.push_back(EventColumn{events[e], columns[e]});
    }
    status.resize(n);
    due.resize(n);
    rule.resize(n);
    anchor.resize(n);
    hold.resize(n);
    reason.resize(n);
    out = SweepColumns{absl::MakeSpan(status), absl::MakeSpan(due),    absl::MakeSpan(rule),
                       absl::MakeSpan(anchor), absl::MakeSpan(reason), absl::MakeSpan(hold)};
  }
};

Workload& Shared() {
  static Workload* w = new Workload(10'000'000);
  return *w;
}

void BM_Sweep10M(benchmark::State& state) {
  Workload& w = Shared();
  SweepOptions options;
  options.threads = static_cast<int>(state.range(0));
  const DayNumber as_of = DaysFromCivil(2025, 6, 1);
  std::int64_t due = 0;
  for (auto _ : state) {
    absl::StatusOr<SweepReport> r = w.schedule->SweepInto(w.input, as_of, w.out, options);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      break;
    }
    due = r->due;
    benchmark::DoNotOptimize(w.status.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.selector.size()));
  state.counters["due"] = static_cast<double>(due);
  state.counters["holds"] = static_cast<double>(w.input.holds.size());
}
// Process CPU time, so that the CPU column of the two-thread run counts both threads.
BENCHMARK(BM_Sweep10M)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The same records, all under the one KAPsel rule: the cost of a sweep when
// every record is decided in closed form.
void BM_Sweep10MOneRule(benchmark::State& state) {
  Workload& w = Shared();
  std::vector<std::int32_t> one(w.selector.size(), 0);
  SweepInput in = w.input;
  in.selector = one;
  const DayNumber as_of = DaysFromCivil(2025, 6, 1);
  for (auto _ : state) {
    absl::StatusOr<SweepReport> r = w.schedule->SweepInto(in, as_of, w.out);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(w.status.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(one.size()));
}
BENCHMARK(BM_Sweep10MOneRule)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AddPeriodMonths(benchmark::State& state) {
  const Period p{0, 15, 0, 0};
  DayNumber d = DaysFromCivil(2000, 1, 1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(AddPeriod(d, p));
    d = (d + 37) & 0xFFFF;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddPeriodMonths);

void BM_AddPeriodDays(benchmark::State& state) {
  const Period p{0, 0, 0, 14};
  DayNumber d = DaysFromCivil(2000, 1, 1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(AddPeriod(d, p));
    d = (d + 37) & 0xFFFF;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddPeriodDays);

void BM_ParsePeriod(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ParsePeriod("P1Y6M"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParsePeriod);

}  // namespace
}  // namespace gdprkit
