// gdprkit/suppression.h: small-cell suppression (statistical disclosure
// control) for the aggregated tables that practices and clusters share.
//
// The pipeline, in the order a caller uses it:
//
//   1. Describe the tables. A `Hierarchy` is one classification with its
//      total (region > cluster > practice; the age bands and "Total"). A
//      `TableInput` is a frequency table (counts) or a magnitude table (sums
//      with the number of contributors and the largest contributions) over
//      one or more hierarchies. `CellTable::FromTables` checks the input,
//      computes the totals it lacks, and merges several tables that share
//      cells (linked tables) into one set of cells plus additive relations
//      (total = sum of parts). A table can also be given directly as cells
//      plus linear relations (`CellTable::FromRelations`) or read from the
//      JJ format that tau-ARGUS and sdcTable exchange (`ParseJJ`).
//   2. Primary suppression: `ApplyPrimaryRules` marks the cells that must not
//      be published (threshold rule, (n,k)-dominance, p% rule, zero cells,
//      manual marks) and gives each a required protection interval.
//   3. Secondary suppression: `Suppress` hides further cells so that an
//      attacker who knows every published cell, every relation and that
//      values are non-negative cannot narrow any primary cell to less than
//      its protection interval. Methods: a fast heuristic and a
//      cost-minimising MIP (COIN-OR CBC).
//   4. The audit: `Audit` computes, by linear programming (COIN-OR CLP), the
//      smallest and largest value an attacker can derive for suppressed cells
//      and gives a verdict per primary cell. `Suppress` audits its own result
//      and never returns a pattern that fails.
//
// Protection-level semantics (as in tau-ARGUS): a primary cell with value v
// and levels (upper U, lower L, sliding S) is protected when the attacker's
// interval [lo, hi] satisfies hi >= v + U, lo <= v - L and hi - lo >= S.
// docs/suppression.md explains the rules, the methods and the audit argument.
//
// Every function here is pure: it reads its arguments and returns a value.
// A CellTable is immutable and safe to share between threads. Nothing throws;
// errors are absl::Status values whose messages name the table, cell, code or
// relation at fault. Determinism: the same input gives the same output on
// every run and machine (no hash-order or thread-timing dependence).
#ifndef GDPRKIT_SUPPRESSION_H_
#define GDPRKIT_SUPPRESSION_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gdprkit/common.h"  // Progress, ProgressFn

namespace gdprkit {

class CellTable;
namespace internal {
struct HierarchyData;
struct SdcData;
CellTable WrapCellTable(std::shared_ptr<const SdcData> data);
}  // namespace internal

// ---------------------------------------------------------------------------
// Hierarchies
// ---------------------------------------------------------------------------

// One classification variable with its hierarchy of codes: a tree whose root
// is the total ("Total" = North + South; North = cluster N1 + N2; N1 =
// practices...). Codes are unique, non-empty strings. Indices run over the
// codes in depth-first pre-order (children in the order given), so index 0 is
// the root. A Hierarchy is an immutable value; copies share their data.
class Hierarchy {
 public:
  // An empty hierarchy (no codes); only useful as a placeholder.
  Hierarchy();

  // From (code, parent) pairs; exactly one code has an empty parent: the
  // total. Errors (InvalidArgument, naming the code): an empty code, a
  // duplicated code, a parent that is not a code of the hierarchy (an orphan
  // code), no root or more than one root, a cycle.
  static absl::StatusOr<Hierarchy> FromParents(
      std::string_view name, const std::vector<std::pair<std::string, std::string>>& code_parent);

  // A one-level hierarchy: `total` with `codes` as its children. Errors as
  // FromParents, plus an empty `codes`.
  static absl::StatusOr<Hierarchy> Flat(std::string_view name,
                                        const std::vector<std::string>& codes,
                                        std::string_view total = "Total");

  // The tau-ARGUS .hrc text form: one code per line, each leading '@' one
  // level deeper below the implicit total `total` ("North", "@N1", "@@p1").
  // Blank lines are ignored. Errors (InvalidArgument with the line number): a
  // line more than one level deeper than the one before it, an empty code, a
  // duplicated code.
  static absl::StatusOr<Hierarchy> FromIndentedText(std::string_view name, std::string_view text,
                                                    std::string_view total = "Total");

  const std::string& name() const;
  int size() const;  // number of codes (0 for the empty hierarchy)
  int root() const { return 0; }
  const std::string& code(int index) const;
  int parent(int index) const;  // -1 for the root
  const std::vector<int>& children(int index) const;
  int depth(int index) const;  // 0 for the root
  bool is_leaf(int index) const { return children(index).empty(); }
  int Find(std::string_view code) const;  // index of a code, or -1

  // True when both have the same codes with the same parents, in the same
  // order (the name is not compared).
  bool SameCodes(const Hierarchy& other) const;

 private:
  explicit Hierarchy(std::shared_ptr<const internal::HierarchyData> data);
  std::shared_ptr<const internal::HierarchyData> data_;
};

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

enum class TableKind : std::uint8_t {
  kFrequency = 0,  // counts: non-negative integers; contributors = the count
  kMagnitude = 1,  // sums of non-negative contributions
};

enum class CellMark : std::uint8_t {
  kNone = 0,
  kUnsafe = 1,  // manual primary suppression
  kSafe = 2,    // must be published: never primary, never secondary
};

constexpr double kUnset = std::numeric_limits<double>::quiet_NaN();

// One cell of a table in long format.
struct TableCell {
  std::vector<std::string> codes;  // one code per dimension, in dimension order
  double value = 0;                // the count, or the sum of contributions
  // Magnitude tables: the number of contributors (-1: unknown; the threshold
  // rule then needs it) and the largest contributions, largest first (as
  // many as the dominance or p% rule reads: n for (n,k), 2 for p%).
  std::int64_t contributors = -1;
  std::vector<double> largest;
  double cost = kUnset;  // overrides the cost model for this cell
  CellMark mark = CellMark::kNone;
  double manual_upper = kUnset;  // with kUnsafe: required upper protection
  double manual_lower = kUnset;  // with kUnsafe: required lower protection
};

// One table: a name (unique among linked tables), its kind, its dimensions and
// its cells. Cells whose codes are all leaves must all be present; cells with
// a total code in some dimension may be omitted and are then computed.
struct TableInput {
  std::string name;
  TableKind kind = TableKind::kFrequency;
  std::vector<Hierarchy> dimensions;
  std::vector<TableCell> cells;
};

struct BuildOptions {
  // A missing cell whose codes are all leaves is an error unless this is set;
  // then it is a zero cell. (Totals are computed whether or not this is set.)
  bool missing_cells_are_zero = false;
  // Magnitude tables: relative tolerance when checking that given totals add
  // up (frequency tables are checked exactly).
  double relative_tolerance = 1e-9;
};

// A cell given directly, for tables described by their relations.
struct LinearCell {
  std::string name;  // unique, non-empty
  double value = 0;
  std::int64_t contributors = -1;
  std::vector<double> largest;
  double cost = kUnset;
  CellMark mark = CellMark::kNone;
  double manual_upper = kUnset;
  double manual_lower = kUnset;
  // The attacker's a-priori bounds on the value; unset: [0, +infinity).
  double lower_bound = kUnset;
  double upper_bound = kUnset;
};

// sum_i coefficients[i] * value(cells[i]) = rhs; for a total, the parts with
// +1 and the total with -1 and rhs 0.
struct LinearRelation {
  std::vector<int> cells;  // indices into the cell list
  std::vector<double> coefficients;
  double rhs = 0;
};

// Where a cell sits in a table built from hierarchies.
struct CellLocation {
  int table = -1;
  std::vector<int> codes;  // one index per dimension into its Hierarchy
};

// The canonical form of a table set: cells (with values, contributors,
// largest contributions, marks and a-priori bounds) plus linear equality
// relations. Built from hierarchical tables, from relations, or from JJ.
// Immutable; copies share their data; safe to share between threads.
class CellTable {
 public:
  CellTable();

  // Builds one table or several linked tables. Tables that share a dimension
  // name must use the same hierarchy; a cell whose codes are the total in
  // every dimension the tables do not share is the same cell in each (the
  // practice totals of practice x age and practice x blood pressure), and
  // must have the same value in each. Errors (InvalidArgument, naming table,
  // cell codes and values): no tables; a table without dimensions; a cell with
  // the wrong number of codes; an unknown code (with the nearest codes); a
  // duplicated cell; a missing cell; NaN or infinite values; negative values;
  // a non-integer count; totals that do not add up; magnitude details that
  // contradict the value (contributions larger than the sum, not sorted,
  // negative); shared cells that disagree; hierarchies that differ under one
  // dimension name; tables of different kinds; conflicting marks.
  static absl::StatusOr<CellTable> FromTables(const std::vector<TableInput>& tables,
                                              const BuildOptions& options = {});

  // A table set given as cells plus relations. Errors (InvalidArgument): no
  // cells, duplicated or empty names, values as in FromTables, a relation
  // with an unknown cell, a repeated cell, a zero or non-finite coefficient,
  // fewer than two cells, or values that do not satisfy it (within the
  // relative tolerance), a-priori bounds that exclude the value.
  static absl::StatusOr<CellTable> FromRelations(TableKind kind,
                                                 const std::vector<LinearCell>& cells,
                                                 const std::vector<LinearRelation>& relations,
                                                 double relative_tolerance = 1e-9);

  TableKind kind() const;
  int num_cells() const;
  int num_relations() const;

  // Cell data. `index` must be in [0, num_cells()).
  std::string cell_name(int index) const;  // "bp(practice=p1, band=Total)"
  double value(int index) const;
  std::int64_t contributors(int index) const;  // frequency tables: the count
  const std::vector<double>& largest(int index) const;
  CellMark mark(int index) const;
  double cost_override(int index) const;  // kUnset when none
  double lower_bound(int index) const;    // attacker's a-priori bounds
  double upper_bound(int index) const;

  // The relation `index`: its cells, coefficients and right-hand side.
  LinearRelation relation(int index) const;
  std::string RelationName(int index) const;  // for messages

  // Tables built from hierarchies (empty for FromRelations/JJ).
  int num_tables() const;
  const std::string& table_name(int table) const;
  const std::vector<Hierarchy>& table_dimensions(int table) const;
  // Number of cells of a table (the product of its hierarchy sizes) and the
  // cell at a position; positions run with the last dimension fastest.
  int table_size(int table) const;
  int CellAt(int table, int position) const;
  std::vector<int> CodesAt(int table, int position) const;
  // Every (table, codes) place where a cell appears (several for shared cells).
  std::vector<CellLocation> Locations(int cell) const;
  // The cell with these codes in the named table. Errors: NotFound for an
  // unknown table or code, InvalidArgument for the wrong number of codes.
  absl::StatusOr<int> FindCell(std::string_view table, const std::vector<std::string>& codes) const;
  // The cell with this name (a linear scan for tables built from
  // hierarchies). Errors: NotFound.
  absl::StatusOr<int> FindCellByName(std::string_view name) const;

  // For the implementation.
  const internal::SdcData& data() const { return *data_; }

 private:
  explicit CellTable(std::shared_ptr<const internal::SdcData> data);
  friend CellTable internal::WrapCellTable(std::shared_ptr<const internal::SdcData> data);
  std::shared_ptr<const internal::SdcData> data_;
};

// ---------------------------------------------------------------------------
// A long-format table from columns (what the CLI reads from CSV and Python
// from a DataFrame)
// ---------------------------------------------------------------------------

// What a missing cell is: a combination of leaf codes that no row gives.
enum class MissingCells : std::uint8_t {
  kError = 0,  // an error naming the cell
  kZero = 1,   // a zero cell
};

// A column of text, dictionary-encoded: the distinct texts the rows use (in
// any order; a text may repeat) and, per row, the index of its text. A
// DataFrame column crosses as pandas.factorize gives it, a CSV column as its
// distinct fields.
struct LabelColumn {
  std::string name;                 // the column's name, for messages
  std::vector<std::string> labels;  // the distinct texts
  std::vector<std::int32_t> rows;   // one per row: an index into `labels`
};

// A numeric column: one value per row.
struct NumberColumn {
  std::string name;  // the column's name, for messages
  std::vector<double> values;
};

// One dimension: its column of codes (whose name is the dimension's) and
// its hierarchy. Without a hierarchy (size() == 0) the dimension is flat:
// `total` over the other codes of the column, sorted (by bytes).
struct DimensionColumn {
  LabelColumn codes;
  Hierarchy hierarchy;
  std::string total = "Total";
};

// A table in long format: one row per cell. Optional columns are left
// without values (and `marks` without rows) when not given.
struct TableColumns {
  std::string name = "table";
  TableKind kind = TableKind::kFrequency;
  std::vector<DimensionColumn> dimensions;  // at least one
  NumberColumn value;                       // counts (whole numbers >= 0) or sums (>= 0)
  // Magnitude tables: the number of contributors (whole numbers >= 0) and
  // the largest contributions, one column per rank, largest first.
  NumberColumn contributors;
  std::vector<NumberColumn> largest;
  NumberColumn cost;  // a cell's cost overriding the cost model; NaN: none
  LabelColumn marks;  // CellMark names ("unsafe", "safe"); "" or "none": none
  // How messages name row i (0-based): `row_where(i)` starts a message about
  // it ("t.csv:5", "row 4 (practice='p1')"), `row_name(i)` refers to it
  // inside one ("line 5", "row 4"). Unset: "row i". Called on errors only.
  std::function<std::string(std::int64_t)> row_where;
  std::function<std::string(std::int64_t)> row_name;
};

struct LoadOptions {
  // Rows of totals may be left out; they are computed. Without it every
  // cell, totals included, needs a row. Given totals are checked either way.
  bool compute_totals = false;
  MissingCells missing = MissingCells::kError;  // leaf cells without a row
  double relative_tolerance = 1e-9;             // as BuildOptions
  // How the calling door spells the two options above, for the advice a
  // missing-cell message gives ("compute_totals=True", "--missing-zero");
  // empty: not offered.
  std::string compute_totals_option = "compute_totals";
  std::string missing_zero_option = "missing zero";
};

struct LoadedTable {
  CellTable table;                         // one table (table 0)
  std::vector<std::int64_t> row_position;  // per row: its position in table 0

  // The cell of row `row`.
  int CellOfRow(std::size_t row) const {
    return table.CellAt(0, static_cast<int>(row_position[row]));
  }
};

// Checks the columns and builds the table: every door's loader, so that a
// CSV file and a DataFrame with the same cells give the same table and the
// same messages. Errors (InvalidArgument; a row is named by `row_where`):
// columns of different lengths, no rows, no dimensions, a value,
// contributor or largest contribution that is NaN, infinite, negative or
// (counts, contributors) not whole; an empty code; a code not in its
// dimension's hierarchy (an orphan, with the nearest codes); a flat
// dimension with no code besides its total; two rows for one cell; a cell
// without a row (leaves unless `missing` is kZero, totals unless
// `compute_totals`); an unknown mark; then as CellTable::FromTables (totals
// that do not add up, ...).
absl::StatusOr<LoadedTable> TableFromColumns(TableColumns columns, const LoadOptions& options = {});

// Linked tables (see CellTable::FromTables) from columns, one TableColumns
// per table, each loaded and checked as TableFromColumns does (names must
// differ: they name the tables in messages). Dimensions of the same name are
// the same dimension and must have the same hierarchy; a cell shared by two
// tables is one cell, with one status.
struct LoadedTables {
  CellTable table;                                      // tables 0, 1, ... in the given order
  std::vector<std::vector<std::int64_t>> row_position;  // per table, per row: its position

  // The cell of row `row` of table `t`.
  int CellOfRow(std::size_t t, std::size_t row) const {
    return table.CellAt(static_cast<int>(t), static_cast<int>(row_position[t][row]));
  }
};

// Errors: as TableFromColumns (naming the row of its table), no tables, then
// as CellTable::FromTables (two tables of one name, hierarchies that differ
// under one dimension name, shared cells that disagree, ...).
absl::StatusOr<LoadedTables> TablesFromColumns(std::vector<TableColumns> tables,
                                               const LoadOptions& options = {});

// ---------------------------------------------------------------------------
// Primary suppression
// ---------------------------------------------------------------------------

// Why a cell is primary (bit set).
enum PrimaryReason : std::uint32_t {
  kReasonNone = 0,
  kReasonThreshold = 1u << 0,  // fewer than `threshold` contributors
  kReasonDominance = 1u << 1,  // (n,k)-dominance
  kReasonPPercent = 1u << 2,   // p% rule
  kReasonZero = 1u << 3,       // protected zero cell
  kReasonManual = 1u << 4,     // CellMark::kUnsafe or a JJ 'u' cell
};

// The required protection of one cell. For a primary cell with value v the
// attacker's interval [lo, hi] must satisfy hi >= v + upper, lo <= v - lower
// and hi - lo >= sliding. Non-primary cells carry zeros.
struct Protection {
  bool primary = false;
  std::uint32_t reasons = kReasonNone;
  double upper = 0;
  double lower = 0;
  double sliding = 0;
};

struct DominanceRule {
  int n = 1;      // number of largest contributors
  double k = 80;  // percent of the cell total
};

struct PrimaryRules {
  // Threshold rule: a cell with 0 < contributors < threshold is primary
  // (0 disables the rule; zero cells are primary only with protect_zeros).
  // Frequency tables: protected when the attacker cannot prove the count is
  // below the threshold, i.e. upper = threshold - count.
  int threshold = 5;
  // Frequency tables: also require that the attacker cannot prove the cell
  // is non-empty (lower = count), a stricter reading of "nobody identifiable".
  bool threshold_hides_presence = false;
  // Magnitude tables: the threshold rule's protection as a percentage of the
  // cell value, both ways (tau-ARGUS's frequency range).
  double threshold_range_percent = 10;
  // (n,k)-dominance rules (magnitude tables); empty: none. Protection both
  // ways: (100/k) * (x1 + ... + xn) - v.
  std::vector<DominanceRule> dominance;
  // p% rule (magnitude tables; 0 disables): primary when
  // (q/100) * (v - x1 - x2) < (p/100) * x1; protection both ways
  // (p/q) * x1 - (v - x1 - x2). q = 100 is the plain p% rule.
  double p_percent = 0;
  double q_percent = 100;
  // Zero cells are primary (nobody may learn that a cell is empty), with
  // upper protection `zero_upper`.
  bool protect_zeros = false;
  double zero_upper = 1;
  // Manual marks without explicit levels: both ways this percentage of the
  // value (at least 1 for frequency tables, `zero_upper` for zeros).
  double manual_percent = 10;
};

// One Protection per cell. Levels are capped so they stay within the cell's
// a-priori bounds (a lower level never asks for less than the lower bound);
// frequency-table levels are rounded up to whole counts. Errors
// (InvalidArgument, naming the cell): a magnitude rule that needs
// contributors or largest contributions the cell lacks; rule parameters out
// of range (threshold < 0, k outside (0,100], n < 1, p outside [0,100),
// q outside (0,100], negative percentages).
absl::StatusOr<std::vector<Protection>> ApplyPrimaryRules(const CellTable& table,
                                                          const PrimaryRules& rules);

// ---------------------------------------------------------------------------
// The audit
// ---------------------------------------------------------------------------

enum class AuditMode : std::uint8_t {
  // Exact LP interval for every suppressed cell in components of at most
  // `exact_component_limit` unknown cells; larger components are certified.
  kAuto = 0,
  kExact = 1,      // exact LP intervals for every suppressed cell (may be slow)
  kCertified = 2,  // per primary: a proven sub-interval that covers the need
};

enum class IntervalKind : std::uint8_t {
  kExact = 0,        // the attacker's interval (LP relaxation, rounded for counts)
  kInner = 1,        // a proven sub-interval of the attacker's interval
  kNotComputed = 2,  // a secondary cell in a large component (certified mode)
};

struct AuditOptions {
  AuditMode mode = AuditMode::kAuto;
  int exact_component_limit = 3000;
  double tolerance = 1e-7;  // relative; for comparing levels with bounds
  // Audit's progress (gdprkit/common.h): the stage "audit", one step per
  // suppressed cell, from 0 to the number of suppressed cells; returning
  // false cancels (absl::CancelledError). Suppress and AuditPattern report
  // through SuppressOptions::progress instead.
  ProgressFn progress;
};

struct SuppressedInterval {
  int cell = -1;
  double lower = 0;  // -inf / +inf when unbounded
  double upper = 0;
  IntervalKind kind = IntervalKind::kExact;
};

struct PrimaryVerdict {
  int cell = -1;
  double value = 0;
  double need_lower = 0;  // the attacker's lower bound must be <= this
  double need_upper = 0;  // the attacker's upper bound must be >= this
  double sliding = 0;
  double lower = 0;  // the (exact or proven inner) attacker interval
  double upper = 0;
  bool exact = false;  // the interval is the attacker's exact interval
  bool safe = false;   // the cell keeps its protection
  std::string reason;  // why not, when not safe
};

struct AuditReport {
  bool passed = false;                        // every primary is safe
  std::vector<SuppressedInterval> intervals;  // every suppressed cell, by cell index
  std::vector<PrimaryVerdict> primaries;      // every primary cell, by cell index
  int num_suppressed = 0;
  int num_determined = 0;     // suppressed cells the relations pin to a single value
  int num_components = 0;     // independent sub-problems among the rest
  int largest_component = 0;  // unknown cells in the largest sub-problem
  std::int64_t lp_solves = 0;
  std::int64_t witnesses_checked = 0;
};

// Audits a suppression pattern: what an attacker who knows the published
// cells, every relation and the a-priori bounds (non-negativity by default)
// can derive about each suppressed cell, and whether each primary cell keeps
// its protection. A primary that is not suppressed fails. `suppressed` and
// `protection` have one entry per cell. Errors: InvalidArgument for sizes
// that do not match the table; Internal if the LP solver fails.
absl::StatusOr<AuditReport> Audit(const CellTable& table, const std::vector<Protection>& protection,
                                  const std::vector<bool>& suppressed,
                                  const AuditOptions& options = {});

// ---------------------------------------------------------------------------
// Secondary suppression
// ---------------------------------------------------------------------------

enum class SecondaryMethod : std::uint8_t {
  kAuto = 0,       // kOptimal up to `optimal_max_cells` cells, else kHeuristic
  kHeuristic = 1,  // fast: hierarchical hypercube + local LP partner search
  kOptimal = 2,    // minimum cost: Fischetti-Salazar MIP with CBC
};

enum class CostModel : std::uint8_t {
  kCells = 0,         // every cell costs 1: fewest cells suppressed
  kValue = 1,         // a cell costs its value: least total value suppressed
  kContributors = 2,  // a cell costs its contributors (= value for counts)
};

struct SuppressOptions {
  SecondaryMethod method = SecondaryMethod::kAuto;
  CostModel cost = CostModel::kCells;
  int optimal_max_cells = 400;     // kAuto's switch point
  double time_limit_seconds = 60;  // for kOptimal; then the best pattern found
  // Heuristic effort: 0 = fastest (no redundancy removal beyond free cells),
  // 1 = default, 2 = also try several processing orders on small tables.
  int effort = 1;
  AuditOptions audit;
  // Progress (gdprkit/common.h): each stage that runs reports its total
  // first and ends with done == total, in this order:
  //   "primary"   the primary rules, one step per cell (Suppress, AuditPattern);
  //   "secondary" the heuristic's greedy, one step per primary cell (times 3
  //               rounds at effort 2);
  //   "cleanup"   the release of secondary cells, one step per secondary cell;
  //   "improve"   the local search (effort >= 1), 4 passes over the secondary
  //               cells (it ends early, at its total, when a pass finds nothing);
  //   "optimal"   kOptimal's rounds of branch and bound (at most 200; it ends
  //               early, at its total, when proven optimal or out of time);
  //   "audit"     one step per suppressed cell.
  // At effort 2 the heuristic's stages span its three rounds. Returning false
  // cancels the call (absl::CancelledError naming the stage). Used instead of
  // audit.progress.
  ProgressFn progress;
};

enum class CellStatus : std::uint8_t {
  kPublished = 0,
  kPrimary = 1,    // suppressed by a primary rule or mark
  kSecondary = 2,  // suppressed to protect primary cells
};

struct SuppressionResult {
  std::vector<CellStatus> status;      // one per cell
  std::vector<Protection> protection;  // one per cell
  std::vector<double> cost;            // the cost of each cell under the model
  double total_cost = 0;               // of the secondary cells
  int num_primary = 0;
  int num_secondary = 0;
  SecondaryMethod method = SecondaryMethod::kHeuristic;  // the method used
  bool proven_optimal = false;                           // kOptimal finished within its time limit
  double lower_bound = 0;  // kOptimal: proven lower bound on the secondary cost
  AuditReport audit;       // always passed
  double seconds = 0;      // wall time
};

// Primary rules, then secondary suppression, then the audit. Errors:
// InvalidArgument as ApplyPrimaryRules; FailedPrecondition naming a primary
// cell that cannot be protected (for instance every partner marked kSafe);
// Cancelled from the progress callback; Internal if a solver fails or the
// final audit does not pass (a bug: reported, never hidden).
absl::StatusOr<SuppressionResult> Suppress(const CellTable& table, const PrimaryRules& rules,
                                           const SuppressOptions& options = {});

// The same with protection levels given per cell (as read from JJ).
absl::StatusOr<SuppressionResult> SuppressWithProtection(const CellTable& table,
                                                         std::vector<Protection> protection,
                                                         const SuppressOptions& options = {});

// Audits a pattern made elsewhere (by hand, by another tool) under `rules`:
// `suppressed` has one entry per cell. The result reads as Suppress's:
// suppressed primary cells are kPrimary, other suppressed cells kSecondary
// (their cost, under options.cost, in total_cost), the rest kPublished;
// unlike Suppress's, its audit (options.audit) may have failed: a pattern
// that leaves a primary cell unprotected is a result, not an error. `method`,
// `proven_optimal` and `lower_bound` keep their defaults. Errors as
// ApplyPrimaryRules and Audit.
absl::StatusOr<SuppressionResult> AuditPattern(const CellTable& table, const PrimaryRules& rules,
                                               const std::vector<bool>& suppressed,
                                               const SuppressOptions& options = {});

// The cost of every cell under a model (cost overrides win; kValue gives
// zero cells a small positive cost so that they are not free).
std::vector<double> CellCosts(const CellTable& table, CostModel model);

// ---------------------------------------------------------------------------
// Names: the one spelling of every value above, for every door
// ---------------------------------------------------------------------------

// For each enum E: ParseE(name) gives the value of a name, or InvalidArgument
// `unknown <what> "x"; valid: "a", "b" and "c"; did you mean "b"?`; EName(v)
// the name of a value (total: "unknown" outside the enum); ENames() every
// name, in the enum's order. The CLI, the Python package and the C door's
// documentation use these names and no others.
absl::StatusOr<TableKind> ParseTableKind(std::string_view name);  // frequency, magnitude
std::string_view TableKindName(TableKind kind);
std::vector<std::string_view> TableKindNames();

absl::StatusOr<CellMark> ParseCellMark(std::string_view name);  // none, unsafe, safe
std::string_view CellMarkName(CellMark mark);
std::vector<std::string_view> CellMarkNames();

absl::StatusOr<MissingCells> ParseMissingCells(std::string_view name);  // error, zero
std::string_view MissingCellsName(MissingCells missing);
std::vector<std::string_view> MissingCellsNames();

// threshold, dominance, p%, zero, manual: one bit each.
absl::StatusOr<PrimaryReason> ParsePrimaryReason(std::string_view name);
std::string_view PrimaryReasonName(PrimaryReason reason);
std::vector<std::string_view> PrimaryReasonNames();
// The names of the bits set in `reasons`, joined by '|' ("threshold|zero");
// "" for none.
std::string PrimaryReasonsText(std::uint32_t reasons);

absl::StatusOr<AuditMode> ParseAuditMode(std::string_view name);  // auto, exact, certified
std::string_view AuditModeName(AuditMode mode);
std::vector<std::string_view> AuditModeNames();

absl::StatusOr<IntervalKind> ParseIntervalKind(
    std::string_view name);  // exact, inner, not computed
std::string_view IntervalKindName(IntervalKind kind);
std::vector<std::string_view> IntervalKindNames();

// auto, heuristic, optimal
absl::StatusOr<SecondaryMethod> ParseSecondaryMethod(std::string_view name);
std::string_view SecondaryMethodName(SecondaryMethod method);
std::vector<std::string_view> SecondaryMethodNames();

absl::StatusOr<CostModel> ParseCostModel(std::string_view name);  // cells, value, contributors
std::string_view CostModelName(CostModel cost);
std::vector<std::string_view> CostModelNames();

// published, primary, secondary
absl::StatusOr<CellStatus> ParseCellStatus(std::string_view name);
std::string_view CellStatusName(CellStatus status);
std::vector<std::string_view> CellStatusNames();

// ---------------------------------------------------------------------------
// Titles: what a published table and a report say, in English or Danish
// ---------------------------------------------------------------------------

// What a published table says of a cell: published, or suppressed, never
// why. "primary" would tell every reader of a threshold table which cells
// hold 1 to 4; the kind of suppression is for the person who runs it.
enum class PublishedStatus : std::uint8_t {
  kPublished = 0,
  kSuppressed = 1,  // primary or secondary
};

PublishedStatus PublishedStatusOf(CellStatus status);
// published, suppressed
absl::StatusOr<PublishedStatus> ParsePublishedStatus(std::string_view name);
std::string_view PublishedStatusName(PublishedStatus status);
std::vector<std::string_view> PublishedStatusNames();

// The words of the displays of a published table and of an audit.
enum class ReportText : std::uint8_t {
  kPublishedTable = 0,  // the heading of a published table
  kAudit = 1,           // the heading of an audit
  kStatus = 2,          // the heading of the status column
  kMethod = 3,          // "method" before the method's name in a summary line
  kAuditVerdict = 4,    // "audit" before the audit's verdict in a summary line
};
// published table, audit, status, method, audit verdict
absl::StatusOr<ReportText> ParseReportText(std::string_view name);
std::string_view ReportTextName(ReportText text);
std::vector<std::string_view> ReportTextNames();

// Titles, as a reader of the table reads them, in English (the default) or
// Danish; written once, here, for every door. The titles of CellStatus
// (primary, secondary) and of the reasons belong to the confidential detail.
std::string_view PublishedStatusTitle(PublishedStatus status,
                                      Language language = Language::kEnglish);
std::string_view CellStatusTitle(CellStatus status, Language language = Language::kEnglish);
std::string_view PrimaryReasonTitle(PrimaryReason reason, Language language = Language::kEnglish);
// The titles of the bits set in `reasons`, joined by ", "; "" for none.
std::string PrimaryReasonsTitle(std::uint32_t reasons, Language language = Language::kEnglish);
std::string_view IntervalKindTitle(IntervalKind kind, Language language = Language::kEnglish);
std::string_view ReportTextTitle(ReportText text, Language language = Language::kEnglish);

// The note under a published table saying what `marker` stands for
// ("x: value suppressed to protect confidentiality").
std::string MarkerNote(std::string_view marker, Language language = Language::kEnglish);
// The summary line of a published table ("168 cells, 24 suppressed (shown
// as x)"): counts only, nothing of the values.
std::string PublishedSummary(std::int64_t cells, std::int64_t suppressed, std::string_view marker,
                             Language language = Language::kEnglish);
// The verdict of an audit ("passed: every primary cell keeps its
// protection", "FAILED: 2 primary cells not protected").
std::string AuditVerdictText(bool passed, std::int64_t unprotected,
                             Language language = Language::kEnglish);
// The figures of an audit run ("24 suppressed cells, 3 determined exactly,
// 5 components (largest 12), 120 LP solves").
std::string AuditFigures(std::int64_t suppressed, std::int64_t determined, std::int64_t components,
                         std::int64_t largest, std::int64_t lp_solves,
                         Language language = Language::kEnglish);

// ---------------------------------------------------------------------------
// The JJ format (tau-ARGUS / sdcTable)
// ---------------------------------------------------------------------------

// A problem in JJ format: line 1 "0", line 2 the number of cells, one line per
// cell "index value cost status lb ub LPL UPL SPL" (status s = safe, u =
// unsafe/primary, z = must be published, m = suppressed secondary; the
// 8-column form of sdcTable, without status, is also read: cells with a
// protection level are then primary), then the number of relations and one
// line per relation "rhs nterms : cell (coef) cell (coef) ...".
struct JJProblem {
  CellTable table;
  std::vector<Protection> protection;
  std::vector<bool> suppressed;  // cells marked u or m
};

// Errors: InvalidArgument naming the line and field (truncated input, bad
// numbers, unknown status, cell indices out of range or out of order, a
// relation the values do not satisfy, ...).
absl::StatusOr<JJProblem> ParseJJ(std::string_view text);
absl::StatusOr<JJProblem> ReadJJFile(const std::string& path);

// Writes the table in JJ format with the given protection (one per cell;
// primary cells get status u), costs (one per cell) and, when `status` is not
// null, secondary cells as m. Errors: InvalidArgument for sizes that do not
// match.
absl::StatusOr<std::string> WriteJJ(const CellTable& table,
                                    const std::vector<Protection>& protection,
                                    const std::vector<double>& costs,
                                    const std::vector<CellStatus>* status = nullptr);

// ---------------------------------------------------------------------------
// Serialized requests (the C ABI and other languages)
// ---------------------------------------------------------------------------

enum class MessageFormat : std::uint8_t {
  kBinary = 0,  // protobuf wire format
  kJson = 1,    // proto3 JSON mapping
  kText = 2,    // protobuf text format
};

// Runs a gdprkit.v1.SuppressRequest (proto/gdprkit/v1/table.proto) given in
// `format` and returns the gdprkit.v1.SuppressResponse in the same format:
// the tables are built, the rules (or the JJ levels) applied, the secondary
// suppression run and audited. Errors: InvalidArgument when the request does
// not parse, has no tables, or carries an unknown enum value; otherwise as
// CellTable::FromTables/FromRelations, ParseJJ and Suppress.
absl::StatusOr<std::string> SuppressSerialized(std::string_view request,
                                               MessageFormat format = MessageFormat::kBinary);
// The same, reporting progress as SuppressOptions::progress (stages
// "primary" ... "audit"); cancelling gives absl::CancelledError.
absl::StatusOr<std::string> SuppressSerialized(std::string_view request, MessageFormat format,
                                               const ProgressFn& progress);

// Runs a gdprkit.v1.AuditRequest and returns a gdprkit.v1.AuditResponse (same
// format). Errors as SuppressSerialized, plus InvalidArgument for a suppressed
// cell index or location that is not in the tables.
absl::StatusOr<std::string> AuditSerialized(std::string_view request,
                                            MessageFormat format = MessageFormat::kBinary);
// The same, reporting progress as AuditOptions::progress (stage "audit").
absl::StatusOr<std::string> AuditSerialized(std::string_view request, MessageFormat format,
                                            const ProgressFn& progress);

}  // namespace gdprkit

#endif  // GDPRKIT_SUPPRESSION_H_
