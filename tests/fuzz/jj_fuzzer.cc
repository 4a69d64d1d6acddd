// Fuzzes the JJ reader (the tau-ARGUS / sdcTable exchange format): whatever
// the bytes, ParseJJ returns a problem or an error, never crashes. A problem
// it accepts must survive the rest of the pipeline: written back with
// WriteJJ it parses again to the same cells and relations; small problems are
// also protected (with the file's own levels) and audited, and every result
// must pass its audit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gdprkit/suppression.h"

namespace {

// Solving is worth it only on small problems: the fuzzer wants many runs.
constexpr int kMaxCellsToSolve = 60;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "jj_fuzzer: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<gdprkit::JJProblem> jj = gdprkit::ParseJJ(text);
  if (!jj.ok()) return 0;
  const gdprkit::CellTable& t = jj->table;
  const std::vector<double> costs = gdprkit::CellCosts(t, gdprkit::CostModel::kCells);
  absl::StatusOr<std::string> back = gdprkit::WriteJJ(t, jj->protection, costs);
  Check(back.ok(), "WriteJJ refused a parsed problem");
  absl::StatusOr<gdprkit::JJProblem> again = gdprkit::ParseJJ(*back);
  Check(again.ok(), "ParseJJ refused what WriteJJ wrote");
  Check(again->table.num_cells() == t.num_cells(), "the round trip changed the cell count");
  Check(again->table.num_relations() == t.num_relations(),
        "the round trip changed the relation count");
  if (t.num_cells() > kMaxCellsToSolve) return 0;
  gdprkit::AuditOptions audit;
  (void)gdprkit::Audit(t, jj->protection, jj->suppressed, audit);
  gdprkit::SuppressOptions options;
  options.method =
      (size & 1) != 0 ? gdprkit::SecondaryMethod::kHeuristic : gdprkit::SecondaryMethod::kOptimal;
  options.time_limit_seconds = 2;
  absl::StatusOr<gdprkit::SuppressionResult> r =
      gdprkit::SuppressWithProtection(t, jj->protection, options);
  if (r.ok()) Check(r->audit.passed, "Suppress returned a pattern that fails its audit");
  return 0;
}
