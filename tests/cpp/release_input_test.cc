// PrepareInputColumns: the columns a preparation reads. A door that passes
// the others without values gets the same release.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_split.h"
#include "gdprkit/release.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

std::string Example(const std::string& rel) { return std::string(GDPRKIT_EXAMPLES_DIR "/") + rel; }

// The bundled records as text columns (no field of that file holds a comma
// or a quote but the notes, which are read as one field to the line's end).
Frame BundledRecords() {
  std::ifstream in(Example("records/cluster_records.csv"));
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> names = absl::StrSplit(line, ',');
  std::vector<std::vector<std::string>> cells(names.size());
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits(',', names.size() - 1));
    f.resize(names.size());
    for (std::size_t c = 0; c < names.size(); ++c) cells[c].push_back(f[c]);
  }
  Frame frame;
  for (std::size_t c = 0; c < names.size(); ++c) {
    std::vector<std::string_view> views(cells[c].begin(), cells[c].end());
    frame.columns.push_back(FrameColumn::Text(names[c], views));
  }
  return frame;
}

TEST(PrepareInputColumns, TheClusterViewReadsWhatItPublishesAndTheDate) {
  auto policy = Policy::Load(Example("policies/klyngeguide.textproto"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  auto cols = PrepareInputColumns(**policy, "cluster-view");
  ASSERT_TRUE(cols.ok()) << cols.status();
  EXPECT_EQ(*cols, (std::vector<std::string>{"practice", "age", "registered"}));
  EXPECT_EQ(PrepareInputColumns(**policy, "cluster-veiw").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(PrepareInputColumns, OtherColumnsWithoutValuesGiveTheSameRelease) {
  auto policy = Policy::Load(Example("policies/klyngeguide.textproto"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  const Frame full = BundledRecords();
  ASSERT_GT(full.rows(), 1000u);
  auto cols = PrepareInputColumns(**policy, "cluster-view");
  ASSERT_TRUE(cols.ok());
  Frame thin;
  for (const FrameColumn& c : full.columns) {
    if (std::find(cols->begin(), cols->end(), c.name) != cols->end()) {
      thin.columns.push_back(c);
    } else {
      thin.columns.push_back(
          FrameColumn::Labels(c.name, {}, std::vector<std::int32_t>(full.rows(), -1)));
    }
  }
  PrepareOptions o;
  o.on = DaysFromCivil(2026, 12, 1);
  auto a = PrepareRelease(**policy, "cluster-view", full, o);
  auto b = PrepareRelease(**policy, "cluster-view", thin, o);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->report.content_digest, b->report.content_digest);
  EXPECT_EQ(a->report.columns_dropped, b->report.columns_dropped);
  EXPECT_EQ(a->report.rows_too_old, b->report.rows_too_old);
  EXPECT_GT(a->report.rows_too_old, 0);
  EXPECT_GT(a->report.cells_primary, 0);
}

// Records with the dropped columns left out are what would leave: the date
// column the release drops is not missing (its age is checked only where it
// is present, and counted as a dropped column there).
TEST(CheckRelease, ADroppedDateColumnMayBeAbsent) {
  auto policy = Policy::Load(Example("policies/klyngeguide.textproto"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  const Frame full = BundledRecords();
  Frame kept;
  for (const FrameColumn& c : full.columns) {
    if (c.name == "practice" || c.name == "age") kept.columns.push_back(c);
  }
  ReleaseOptions o;
  o.on = DaysFromCivil(2026, 12, 1);
  auto check = CheckRelease(**policy, "cluster-view", kept, o);
  ASSERT_TRUE(check.ok()) << check.status();
  for (const ReleaseFinding& f : check->findings) {
    EXPECT_NE(f.problem, ReleaseProblem::kMissingColumn) << f.message;
    EXPECT_NE(f.problem, ReleaseProblem::kDroppedColumn) << f.message;
  }
  auto raw = CheckRelease(**policy, "cluster-view", full, o);
  ASSERT_TRUE(raw.ok()) << raw.status();
  bool dropped_date = false, too_old = false;
  for (const ReleaseFinding& f : raw->findings) {
    dropped_date |= f.problem == ReleaseProblem::kDroppedColumn && f.column == "registered";
    too_old |= f.problem == ReleaseProblem::kTooOld;
  }
  EXPECT_TRUE(dropped_date);
  EXPECT_TRUE(too_old);
}

}  // namespace
}  // namespace gdprkit
