// The machinery CheckRelease and PrepareRelease share (gdprkit/release.h):
// resolving a release (its hierarchies, rules and dates), value ids and
// groups over frame columns, tabulation of rows into a table, and the check
// itself, which runs on records (CheckRelease) and on what PrepareRelease
// made. Everything works on codes and distinct labels: no string per row.
// Not installed.
#ifndef GDPRKIT_SRC_RELEASE_INTERNAL_GATE_H_
#define GDPRKIT_SRC_RELEASE_INTERNAL_GATE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gdprkit/release.h"

namespace gdprkit::release_internal {

// What a hierarchy file or an inline hierarchy gave, by name.
using Hierarchies = std::map<std::string, Hierarchy, std::less<>>;

// A release made ready to apply.
struct Resolved {
  const Release* release = nullptr;
  Hierarchies hierarchies;
  PrimaryRules rules;  // the release's rules over suppression.h's defaults
  std::optional<Period> max_age;
  DayNumber on = kNoDate;      // the release date (today when not given)
  DayNumber cutoff = kNoDate;  // on - max_age: rows dated before it are too old
  std::optional<IdScanner> scanner;
  Language language = Language::kEnglish;
};

// GetRelease, the policy's own error findings on it, the hierarchies, the
// rules, max_age and the scanner.
absl::StatusOr<Resolved> Resolve(const Policy& policy, std::string_view release_id,
                                 const ReleaseOptions& options);

// Today (UTC) as a day number.
DayNumber TodayUtc();

// ---- Value ids --------------------------------------------------------------

// Per row a dense id of its value, equal values sharing an id (a text's
// equal labels under different codes, missing and "" alike). `rows`
// selects rows (empty: every row). `count` ids in [0, count); `star` is the
// id of the text "*" (-1 when no row has it).
struct ValueIds {
  std::vector<std::int32_t> ids;
  std::int32_t count = 0;
  std::int32_t star = -1;
};
ValueIds ColumnValueIds(const FrameColumn& column);

// Per code of a text column: a canonical code (the first code of each
// distinct text; -1 for "" ). Missing maps to -1 as well.
std::vector<std::int32_t> CanonicalCodes(const FrameColumn& column);

// Combines per-column value ids into group ids: per row a dense group id,
// equal tuples sharing one. Returns the number of groups.
std::int64_t GroupIds(const std::vector<const ValueIds*>& columns, std::size_t rows,
                      std::vector<std::int64_t>* group);

// Rows per value (code) of a text column; missing rows are not counted.
std::vector<std::int64_t> CodeCounts(const FrameColumn& column);

// ---- Dates ------------------------------------------------------------------

// Per row the day of the date column (kDate, or text holding ISO dates or
// date-times, each distinct label read once). InvalidArgument naming the
// column and the first row of a label that is no date, or for a number
// column.
absl::StatusOr<std::vector<DayNumber>> RowDays(const FrameColumn& column);

// ---- Tabulation -------------------------------------------------------------

// One dimension to tabulate: a text column whose label per code is
// `labels[code]` (the column's labels, or what a preparation made of them),
// classified by `hierarchy` (leaves are the cells' codes).
struct TabDimension {
  std::string name;
  const FrameColumn* column = nullptr;
  std::vector<std::string> labels;  // per code of `column`
  Hierarchy hierarchy;
};

struct Tabulation {
  LoadedTable loaded;
  std::vector<Hierarchy> dimensions;
  std::vector<std::int64_t> strides;        // of table positions (last dimension fastest)
  std::vector<std::int64_t> leaf_rows;      // per leaf cell (leaf ordinals, mixed radix)
  std::vector<std::int64_t> leaf_position;  // per leaf cell: its table position
  bool magnitude = false;
};

// The dimensions of the release's table from `frame` (`labels_of` gives
// the labels per code for a column; nullptr: the column's own), with the
// hierarchy of each: the dimension's hierarchy (cut at the level of a
// generalised column that uses it), or flat over the labels in use.
// InvalidArgument for a dimension column that is not text.
absl::StatusOr<std::vector<TabDimension>> TableDimensions(
    const Resolved& r, const Frame& frame,
    const std::map<std::string, std::vector<std::string>, std::less<>>* labels_of,
    absl::Span<const std::uint32_t> rows, bool all_rows);

// Tabulates rows (`rows`, or every row when `all_rows`) into the release's
// table: counts, or sums of `value` (then a magnitude table with
// contributors and the largest contributions the rules read). Progress
// stage "tabulate". InvalidArgument naming column and row for a missing
// dimension value, a label not a leaf of its hierarchy (with the nearest
// codes), a value that is not a number >= 0.
absl::StatusOr<Tabulation> Tabulate(const Resolved& r, std::vector<TabDimension> dims,
                                    const FrameColumn* value, absl::Span<const std::uint32_t> rows,
                                    bool all_rows, const ProgressFn* progress);

// For each leaf cell with rows, whether it or a cell above it is primary;
// returns the rows in such cells.
std::int64_t RowsInPrimaryCells(const Tabulation& t, const std::vector<Protection>& protection);

// A hierarchy cut at `level` (codes of depth <= level).
absl::StatusOr<Hierarchy> CutAt(const Hierarchy& h, int level);

// The ancestor of code `index` at depth `level` (the code itself when not
// deeper).
int AncestorAt(const Hierarchy& h, int index, int level);

// ---- The check --------------------------------------------------------------

enum class CheckMode : std::uint8_t {
  kRecords = 0,  // CheckRelease on raw records
  kTable = 1,    // PrepareRelease's table
  kExtract = 2,  // PrepareRelease's extract
};

// The check. kRecords: every finding of gdprkit/release.h. kTable and
// kExtract: on prepared output (no age, no dropped date column needed, "*"
// and a table's totals are allowed values; a table's cells were judged by
// Suppress and are not tabulated again).
absl::StatusOr<ReleaseCheck> RunCheck(const Resolved& r, const Frame& frame, CheckMode mode,
                                      const ProgressFn* progress);

// A finding's sentence in `language` with its figures. `column` is quoted
// here; `extra` is the hierarchy name (not-generalised), the period
// (too-old) or k (small-group).
std::string FindingMessage(const ReleaseFinding& f, std::string_view extra, Language language);

// The column names of a frame for "did you mean".
std::vector<std::string> ColumnNames(const Frame& frame);

// The canonical text of a table's counted value column when the release
// names none.
inline constexpr std::string_view kCountColumn = "count";
inline constexpr std::string_view kStatusColumn = "status";
inline constexpr std::string_view kSuppressedValue = "*";

}  // namespace gdprkit::release_internal

#endif  // GDPRKIT_SRC_RELEASE_INTERNAL_GATE_H_
