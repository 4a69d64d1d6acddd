// Small-cell suppression benchmarks: building and protecting large
// hierarchical tables with the heuristic (audit included), and the quality of
// the heuristic against the proven optimum on tables the exact method solves.
//
//   build/benchmarks/suppression_benchmark --benchmark_filter=Large
//
// Tables are synthetic cluster reports: practices in a region > cluster >
// practice hierarchy by diagnosis groups in chapters; leaf counts are Poisson
// with log-normal practice and group effects, so that about a tenth of the
// cells fall under the threshold of 5 (and some are zero).
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "gdprkit/suppression.h"

namespace gdprkit {
namespace {

struct Shape {
  int regions, clusters, practices;  // practices per cluster, clusters per region
  int chapters, groups;              // groups per chapter
  double mean;                       // typical leaf count
};

Hierarchy Tree(const std::string& name, const std::string& total, const std::vector<int>& fanout,
               std::vector<std::string>* leaves) {
  std::vector<std::pair<std::string, std::string>> cp{{total, ""}};
  std::vector<std::string> level{total};
  for (size_t depth = 0; depth < fanout.size(); ++depth) {
    std::vector<std::string> next;
    for (const std::string& parent : level) {
      for (int i = 0; i < fanout[depth]; ++i) {
        std::string code =
            depth == 0 ? absl::StrCat(name.substr(0, 1), i) : absl::StrCat(parent, ".", i);
        cp.emplace_back(code, parent);
        next.push_back(code);
      }
    }
    level = std::move(next);
  }
  *leaves = level;
  return *Hierarchy::FromParents(name, cp);
}

TableInput MakeTable(const Shape& s, uint32_t seed) {
  std::vector<std::string> practices, groups;
  TableInput in;
  in.name = "report";
  std::vector<int> fa;
  if (s.regions > 1) fa.push_back(s.regions);
  if (s.clusters > 1) fa.push_back(s.clusters);
  fa.push_back(s.practices);
  std::vector<int> fb;
  if (s.chapters > 1) fb.push_back(s.chapters);
  fb.push_back(s.groups);
  in.dimensions = {Tree("practice", "DK", fa, &practices), Tree("diagnosis", "all", fb, &groups)};
  std::mt19937 rng(seed);
  std::lognormal_distribution<double> effect(0, 0.8);
  std::vector<double> pe(practices.size()), ge(groups.size());
  for (double& x : pe) x = effect(rng);
  for (double& x : ge) x = effect(rng);
  in.cells.reserve(practices.size() * groups.size());
  for (size_t i = 0; i < practices.size(); ++i) {
    for (size_t j = 0; j < groups.size(); ++j) {
      std::poisson_distribution<int> count(s.mean * pe[i] * ge[j]);
      TableCell c;
      c.codes = {practices[i], groups[j]};
      c.value = count(rng);
      in.cells.push_back(std::move(c));
    }
  }
  return in;
}

void Report(benchmark::State& state, const CellTable& t, const SuppressionResult& r) {
  state.counters["cells"] = t.num_cells();
  state.counters["primary"] = r.num_primary;
  state.counters["secondary"] = r.num_secondary;
  state.counters["audit_passed"] = r.audit.passed;
  state.counters["audit_lp_solves"] = static_cast<double>(r.audit.lp_solves);
  state.counters["audit_largest_component"] = r.audit.largest_component;
}

// ~1,000,000 cells: 1,056 practice codes (5 regions, 50 clusters, 1,000
// practices) x 941 diagnosis codes (20 chapters, 920 groups).
void BM_LargeHierarchical(benchmark::State& state) {
  const Shape shape{5, 10, 20, 20, 46, 20};
  const TableInput input = MakeTable(shape, 42);
  for (auto _ : state) {
    absl::StatusOr<CellTable> t = CellTable::FromTables({input});
    if (!t.ok()) {
      state.SkipWithError(std::string(t.status().message()).c_str());
      return;
    }
    SuppressOptions o;
    o.method = SecondaryMethod::kHeuristic;
    o.effort = static_cast<int>(state.range(0));
    absl::StatusOr<SuppressionResult> r = Suppress(*t, PrimaryRules{}, o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    Report(state, *t, *r);
    state.counters["suppress_seconds"] = r->seconds;
  }
}
BENCHMARK(BM_LargeHierarchical)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kSecond);

// Medium tables: 12k and 100k cells.
void BM_MediumHierarchical(benchmark::State& state) {
  const Shape shape =
      state.range(0) == 0 ? Shape{2, 5, 10, 5, 20, 20} : Shape{4, 5, 20, 10, 25, 20};
  const TableInput input = MakeTable(shape, 7);
  absl::StatusOr<CellTable> t = CellTable::FromTables({input});
  if (!t.ok()) {
    state.SkipWithError(std::string(t.status().message()).c_str());
    return;
  }
  for (auto _ : state) {
    SuppressOptions o;
    o.method = SecondaryMethod::kHeuristic;
    absl::StatusOr<SuppressionResult> r = Suppress(*t, PrimaryRules{}, o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    Report(state, *t, *r);
  }
}
BENCHMARK(BM_MediumHierarchical)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kMillisecond);

// Quality: the heuristic's total cost against the proven optimum over a set
// of small tables (flat and hierarchical, sparse and dense in small cells).
void BM_QualityAgainstOptimum(benchmark::State& state) {
  const std::vector<Shape> shapes = {
      {1, 1, 8, 1, 8, 6},    // flat 8 x 8, many small cells
      {2, 2, 3, 1, 5, 10},   // 2-level practices x 5 bands
      {2, 2, 4, 2, 4, 12},   // both dimensions hierarchical
      {2, 3, 5, 3, 5, 6},    // 741 cells, dense in small cells
      {1, 1, 12, 1, 10, 8},  // flat 12 x 10
  };
  const int per_shape = static_cast<int>(state.range(0));
  for (auto _ : state) {
    double heuristic = 0, optimum = 0, worst = 1;
    int tables = 0, unproven = 0;
    for (size_t si = 0; si < shapes.size(); ++si) {
      for (int k = 0; k < per_shape; ++k) {
        absl::StatusOr<CellTable> t =
            CellTable::FromTables({MakeTable(shapes[si], static_cast<uint32_t>(100 * si + k))});
        if (!t.ok()) continue;
        SuppressOptions o;
        o.method = SecondaryMethod::kHeuristic;
        absl::StatusOr<SuppressionResult> h = Suppress(*t, PrimaryRules{}, o);
        o.method = SecondaryMethod::kOptimal;
        o.time_limit_seconds = 60;
        absl::StatusOr<SuppressionResult> opt = Suppress(*t, PrimaryRules{}, o);
        if (!h.ok() || !opt.ok()) continue;
        if (!opt->proven_optimal) {
          ++unproven;
          continue;
        }
        heuristic += h->total_cost;
        optimum += opt->total_cost;
        if (opt->total_cost > 0) worst = std::max(worst, h->total_cost / opt->total_cost);
        ++tables;
      }
    }
    state.counters["tables"] = tables;
    state.counters["unproven"] = unproven;
    state.counters["heuristic_cost"] = heuristic;
    state.counters["optimal_cost"] = optimum;
    state.counters["ratio"] = optimum > 0 ? heuristic / optimum : 1;
    state.counters["worst_table_ratio"] = worst;
  }
}
BENCHMARK(BM_QualityAgainstOptimum)->Arg(6)->Iterations(1)->Unit(benchmark::kSecond);

// The exact audit of a medium pattern (every suppressed cell's interval).
void BM_ExactAudit(benchmark::State& state) {
  const TableInput input = MakeTable({2, 5, 10, 5, 20, 20}, 3);
  absl::StatusOr<CellTable> t = CellTable::FromTables({input});
  SuppressOptions o;
  o.method = SecondaryMethod::kHeuristic;
  absl::StatusOr<SuppressionResult> r = Suppress(*t, PrimaryRules{}, o);
  if (!r.ok()) {
    state.SkipWithError(std::string(r.status().message()).c_str());
    return;
  }
  std::vector<bool> supp(t->num_cells());
  for (int c = 0; c < t->num_cells(); ++c) supp[c] = r->status[c] != CellStatus::kPublished;
  AuditOptions exact;
  exact.mode = AuditMode::kExact;
  for (auto _ : state) {
    absl::StatusOr<AuditReport> a = Audit(*t, r->protection, supp, exact);
    benchmark::DoNotOptimize(a);
    state.counters["suppressed"] = a->num_suppressed;
    state.counters["lp_solves"] = static_cast<double>(a->lp_solves);
  }
}
BENCHMARK(BM_ExactAudit)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gdprkit
