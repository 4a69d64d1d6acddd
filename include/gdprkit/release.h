// gdprkit/release.h: the gate between raw records and anything that leaves.
//
// A policy's release rules (gdprkit/release_rules.h; docs/policy.md, "Release
// rules") say what may leave the organisation. This header applies them:
//
//   CheckRelease    looks at a frame of records and says, finding by finding,
//                   what would break the rules if it left as it is: an
//                   identifier in clear (in a column, or CPR/CVR/GLN/
//                   ydernummer numbers inside free text, found by the
//                   checksum- and date-aware scanner of gdprkit/scan.h), rows
//                   older than the maximum age, columns the release does not
//                   declare or drops, cells of the published table that break
//                   the primary rules, groups of an extract smaller than k.
//                   Findings carry a code, a column and counts, never a value.
//   PrepareRelease  does what the rules say, in this order: drops the rows
//                   older than the maximum age (and those without a date),
//                   drops the columns the release drops, pseudonymises in the
//                   vault, generalises along the hierarchies, redacts
//                   identifiers in free text, then either aggregates the
//                   table and suppresses it (primary and secondary, with the
//                   LP audit of gdprkit/suppression.h) or applies local
//                   suppression to the extract until every group over the
//                   quasi-identifiers has k rows. It then checks the result
//                   and returns it only when it passes: nothing
//                   half-prepared ever leaves. With a release log it appends
//                   the proof (ReleaseLog) before it returns.
//   ReleaseLog      an append-only, hash-chained record of every prepared
//                   release (the deletion log's mechanism, gdprkit/
//                   deletion_log.h): when, which release of which policy
//                   (its digest), the digest of the released content in a
//                   canonical form, the audit's verdict and the counts.
//
// The data cross as a Frame: named columns, text dictionary-encoded (the
// distinct labels and one code per row, as pandas.factorize, an Arrow
// dictionary array or a CSV column give them), numbers as doubles, dates as
// day numbers. The gate works on distinct labels wherever it can (a label is
// scanned, pseudonymised and generalised once, however many rows use it), so
// that ten million records cost little more than their distinct values.
//
// Pure but for the vault and the log; thread-safe for distinct frames.
#ifndef GDPRKIT_RELEASE_H_
#define GDPRKIT_RELEASE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gdprkit/common.h"
#include "gdprkit/deletion_log.h"
#include "gdprkit/policy.h"
#include "gdprkit/release_rules.h"
#include "gdprkit/retention.h"
#include "gdprkit/scan.h"
#include "gdprkit/suppression.h"
#include "gdprkit/vault.h"

namespace gdprkit {

// ---------------------------------------------------------------------------
// Frames
// ---------------------------------------------------------------------------

enum class FrameColumnType : std::uint8_t {
  kText = 0,    // labels + codes
  kNumber = 1,  // numbers
  kDate = 2,    // days (DayNumber; kNoDate is missing)
};
// "text", "number", "date"
absl::StatusOr<FrameColumnType> ParseFrameColumnType(std::string_view name);
std::string_view FrameColumnTypeName(FrameColumnType type);
std::vector<std::string_view> FrameColumnTypeNames();

// One named column. Exactly the vectors of its type are filled, one entry
// per row (labels: the distinct texts, in any order, a text may repeat).
struct FrameColumn {
  std::string name;
  FrameColumnType type = FrameColumnType::kText;
  std::vector<std::string> labels;  // kText: the distinct texts
  std::vector<std::int32_t> codes;  // kText: per row an index into labels; -1 is missing
  std::vector<double> numbers;      // kNumber: per row; NaN is missing
  std::vector<DayNumber> days;      // kDate: per row; kNoDate is missing

  std::size_t rows() const;
  // The row's text (kText), "" when missing. No bounds check beyond debug.
  std::string_view text(std::size_t row) const;
  bool missing(std::size_t row) const;

  // Builders. Text(name, texts) encodes the texts (in order of first use;
  // `missing` marks rows without a value: nullptr for none).
  static FrameColumn Text(std::string name, absl::Span<const std::string_view> texts,
                          const std::vector<bool>* missing = nullptr);
  static FrameColumn Labels(std::string name, std::vector<std::string> labels,
                            std::vector<std::int32_t> codes);
  static FrameColumn Numbers(std::string name, std::vector<double> numbers);
  static FrameColumn Days(std::string name, std::vector<DayNumber> days);
};

// Columns of equal length. Column names are unique (ValidateFrame).
struct Frame {
  std::vector<FrameColumn> columns;

  std::size_t rows() const;  // 0 without columns
  const FrameColumn* Find(std::string_view name) const;
  std::vector<std::string> names() const;
};

// InvalidArgument naming the column: no columns (when `allow_empty` is
// false), two columns of one name, an empty name, columns of different
// lengths, a code outside its labels (< -1 or >= labels.size()), the vectors
// of another type filled, a label that is not valid UTF-8 (named by column
// and code, never by its text).
absl::Status ValidateFrame(const Frame& frame, bool allow_empty = false);

// The digest of a frame's content in its canonical form (docs/release.md,
// "Canonical form"): "blake2b-256:" + 64 hex digits. The form is text: the
// column names, then per row and column the value's canonical text (a
// text's bytes; a number in the shortest form that reads back to the same
// double, integers without a decimal point, NaN missing; a date as
// YYYY-MM-DD) or "missing" (a missing value and an empty text are the same),
// column by column in the frame's order, each column's values in row order,
// every value framed by its length (docs/release.md gives the bytes). How labels are encoded and a
// column's type do not count, so the CSV the doors write (FormatFrameValue per field, an empty
// field for missing) read back as text columns has the digest of the frame it was written from: a
// recipient can check a file. Errors: ValidateFrame's.
absl::StatusOr<std::string> ContentDigest(const Frame& frame);

// The canonical text of row `row` of `column` (as above); "" when missing.
std::string FormatFrameValue(const FrameColumn& column, std::size_t row);

// ---------------------------------------------------------------------------
// Check
// ---------------------------------------------------------------------------

// What a finding is about. Names (ReleaseProblemName) are the codes the
// doors show: "identifier-in-clear", ...
enum class ReleaseProblem : std::uint8_t {
  // Values of the column are identifiers in clear: a column whose declared
  // kind is an identifier (values that pass that kind's check), or any text
  // or whole-number column holding a number the scanner finds (a number
  // column is read as its decimal digits, and a nine-digit whole number also
  // as a CPR number that lost its leading zero). `kind` says which.
  kIdentifierInClear = 0,
  // Rows whose date in the release's date column is older than max_age
  // counted back from the release date ("too-old"), ...
  // The boundary is the day `on` - max_age (AddPeriod of the negated
  // period: 2026-03-01 - P5Y = 2021-03-01): a row dated before it is too
  // old, a row dated on it is kept.
  kTooOld = 1,
  // ... or that have no date there, so that their age cannot be known
  // ("missing-date").
  kMissingDate = 2,
  // A column of the frame that the release does not declare.
  kUndeclaredColumn = 3,
  // A column the release drops, present in the frame.
  kDroppedColumn = 4,
  // A column the release needs (a kept, pseudonymised or generalised column,
  // a dimension, the value, a quasi-identifier, the date column unless the
  // release drops it) that the frame lacks. The check cannot say more about
  // what depends on it. (A frame without the dropped date column is what
  // leaves: its age is then not checked, and not a finding.)
  kMissingColumn = 5,
  // A column to pseudonymise whose values are not pseudonyms of the vault
  // ("ps<version>_" and 26 base32 characters).
  kNotPseudonymised = 6,
  // A column to generalise with values that are not codes of its hierarchy
  // at the rule's level (too fine, or not in the hierarchy).
  // A code above the level (coarser, as the total) passes.
  kNotGeneralised = 7,
  // Cells of the published table, tabulated from the frame, that the primary
  // rules would suppress (`cells` counts them, `rows` the rows in them).
  kSmallCell = 8,
  // Groups of the extract over its quasi-identifiers with fewer than k rows
  // (`cells` counts the groups, `rows` the rows in them).
  kSmallGroup = 9,
};
absl::StatusOr<ReleaseProblem> ParseReleaseProblem(std::string_view name);
std::string_view ReleaseProblemName(ReleaseProblem problem);
std::vector<std::string_view> ReleaseProblemNames();
// One line for people, in `language`, without figures ("an identifier in
// clear" / "en identifikator i klar tekst").
std::string_view ReleaseProblemTitle(ReleaseProblem problem,
                                     Language language = Language::kEnglish);

// One finding: never a value.
struct ReleaseFinding {
  ReleaseProblem problem = ReleaseProblem::kIdentifierInClear;
  std::string column;            // the column concerned; empty for the table or extract as a whole
  IdKind kind = IdKind::kOther;  // kIdentifierInClear: the kind found
  std::int64_t rows = 0;         // rows concerned
  std::int64_t cells = 0;        // kSmallCell: cells; kSmallGroup: groups; else 0
  std::string message;  // the finding in words, with its figures (ReleaseOptions::language)
};

struct ReleaseCheck {
  std::string release;  // the release's id
  bool passed = false;  // no findings
  std::int64_t rows = 0;
  std::vector<ReleaseFinding> findings;  // in ReleaseProblem order, then column order
};

struct ReleaseOptions {
  // The release date: max_age counts back from it, and the scanner rejects
  // CPR numbers born after it. kNoDate: today (UTC).
  DayNumber on = kNoDate;
  // Kinds the scanner looks for in text (gdprkit/scan.h's default kinds when
  // empty).
  IdKindSet scan_kinds;
  Language language = Language::kEnglish;
  // Directory that hierarchy files of the release are read relative to;
  // empty: that of policy.source_name().
  std::string base_dir;
  // Progress (gdprkit/common.h), stages in this order where they run:
  // "scan" (distinct labels), "age" (rows), "pseudonymise" (distinct
  // labels), "generalise" (distinct labels), "redact" (distinct labels),
  // "tabulate" (rows), then the stages of Suppress ("primary", ...), or
  // "k-anonymity" (rounds of local suppression), then "check".
  // Returning false cancels (CancelledError naming the stage).
  ProgressFn progress;
};

// Checks `frame` against release `release_id` of `policy`. A finding is not
// an error. Errors: NotFound for an unknown release (with the nearest ids);
// FailedPrecondition when the policy's own findings on this release are
// errors (naming the first); InvalidArgument from ValidateFrame, for a date
// column that is neither a date column nor text holding ISO dates (naming
// the column and row), for a value column that is not numbers; errors of
// reading a hierarchy file (naming the file).
absl::StatusOr<ReleaseCheck> CheckRelease(const Policy& policy, std::string_view release_id,
                                          const Frame& frame, const ReleaseOptions& options = {});

// Per row, the size of its group: the rows with equal values in `columns`
// (missing equals missing; a suppressed value "*" is a value like others).
// The k of a frame is the smallest. Errors: InvalidArgument for an unknown
// column (with the nearest names), no columns, ValidateFrame's.
absl::StatusOr<std::vector<std::int64_t>> GroupSizes(const Frame& frame,
                                                     absl::Span<const std::string> columns);

// ---------------------------------------------------------------------------
// Prepare
// ---------------------------------------------------------------------------

// What the preparation did: counts, never values.
struct ReleaseReport {
  std::string release;        // the release's id
  std::string title;          // the release's title
  std::string purpose;        // the purpose whose data leave
  std::string policy_digest;  // PolicyDigest(policy): "blake2b-256:..."
  DayNumber on = kNoDate;     // the release date
  bool table = false;         // a table (else an extract)

  std::int64_t rows_in = 0;
  std::int64_t rows_too_old = 0;       // dropped: older than max_age
  std::int64_t rows_missing_date = 0;  // dropped: no date
  std::vector<std::string> columns_dropped;
  std::int64_t values_pseudonymised = 0;  // rows
  std::int64_t values_generalised = 0;    // rows
  std::int64_t identifiers_redacted = 0;  // spans in free text

  // Table: cells (totals included), suppressed by the primary rules and to
  // protect them, and the audit (gdprkit/suppression.h) of the pattern.
  std::int64_t cells = 0;
  std::int64_t cells_primary = 0;
  std::int64_t cells_secondary = 0;
  bool audit_passed = false;  // tables: the audit passed; extracts: the k check passed
  std::string audit_text;     // AuditVerdictText + AuditFigures, in the options' language

  // Extract: k, values set to "*" by local suppression, rows withheld
  // because no suppression of their values reached k, the smallest group.
  int k = 0;
  std::int64_t values_suppressed = 0;
  std::int64_t rows_withheld = 0;
  std::int64_t smallest_group = 0;

  std::int64_t rows_out = 0;   // rows of the released frame (table: cells)
  std::string content_digest;  // ContentDigest of the released frame
  ReleaseCheck check;          // of the released data: passed

  // The log entry the release was appended as, when a log was given.
  std::int64_t log_seq = 0;
  std::string log_hash;
};

class ReleaseLog;

struct PrepareOptions : ReleaseOptions {
  // The vault for pseudonymised columns (their domains must exist in it).
  // Required when the release pseudonymises; never written to.
  const Vault* vault = nullptr;
  // Tables: how the secondary suppression and the audit run.
  SuppressOptions suppress;
  // Where the proof is appended; nullptr: not logged. The entry is appended
  // after the result passed its check; if the append fails, PrepareRelease
  // fails and returns nothing.
  ReleaseLog* log = nullptr;
  // The time the log records (seconds since 1970-01-01T00:00:00Z); 0: now.
  std::int64_t released_at = 0;
};

struct PreparedRelease {
  // What leaves. A table: its dimension columns (text, totals included), the
  // value column (numbers; NaN where suppressed; named as the release's
  // value column, or "count" when rows are counted) and "status" (text:
  // PublishedStatusName, "published" or "suppressed"), one row per cell. An
  // extract: the declared columns that are not dropped, in the release's
  // order, "*" where local suppression removed a value.
  Frame frame;
  ReleaseReport report;
};

// Prepares release `release_id` of `policy` from `records`. Errors: as
// CheckRelease; InvalidArgument for a column the release needs that the
// records lack, for values of a pseudonymised column that are not
// identifiers of its kind (naming the column and row, never the value), for
// values of a generalised column that are not codes of its hierarchy (with
// the nearest codes); FailedPrecondition when the release pseudonymises and
// no vault is given, for a domain the vault lacks, when the prepared data
// fail their check (naming the findings: a bug or a rule that cannot be
// met, such as no rows left), or when a primary cell cannot be protected;
// errors of the vault and of the log. On any error nothing is returned and
// nothing is logged.
absl::StatusOr<PreparedRelease> PrepareRelease(const Policy& policy, std::string_view release_id,
                                               const Frame& records,
                                               const PrepareOptions& options = {});

// The columns of the records whose values PrepareRelease reads, in the
// release's order without repeats: the declared columns it does not drop,
// the table's dimensions and value, the extract's quasi-identifiers, the
// date column. The values of any other column (dropped, undeclared) are
// never read: a door may pass such a column without converting it, as a
// text column with no labels and every code -1, and save the time (the
// Python door does). CheckRelease reads every column. Errors: as
// CheckRelease's for an unknown release.
absl::StatusOr<std::vector<std::string>> PrepareInputColumns(const Policy& policy,
                                                             std::string_view release_id);

// The policy's digest: "blake2b-256:" + hex of its canonical serialisation
// (the gdprkit.v1 message, deterministic), so that a log entry names the
// rules the release was made under.
std::string PolicyDigest(const Policy& policy);

// ---------------------------------------------------------------------------
// The release log
// ---------------------------------------------------------------------------

// One entry as written and read back.
struct ReleaseLogEntry {
  std::int64_t seq = 0;          // 1-based
  std::int64_t released_at = 0;  // seconds since 1970-01-01T00:00:00Z
  std::string release;           // the release's id
  std::string policy_digest;
  std::string content_digest;
  DayNumber on = kNoDate;  // the release date
  bool table = false;
  bool audit_passed = false;  // always true for entries PrepareRelease wrote
  std::int64_t rows_in = 0;
  std::int64_t rows_dropped = 0;  // too old or without a date
  std::int64_t rows_out = 0;
  std::int64_t cells_suppressed = 0;   // table: primary + secondary
  std::int64_t values_suppressed = 0;  // extract
  std::int64_t rows_withheld = 0;      // extract
  std::string hash;                    // 64 hex digits: this entry's chain hash
  int line = 0;                        // line in the file (the header is line 1)
};

// The log's options and verification are the deletion log's.
using ReleaseLogOptions = DeletionLogOptions;
using ReleaseLogVerification = DeletionLogVerification;

// As DeletionLog (open verifies the whole chain; mode 0600; flock between
// processes; keyed or plain BLAKE2b-256 chain), with release entries. The
// file is not a deletion log: opening one as the other is InvalidArgument.
class ReleaseLog {
 public:
  static absl::StatusOr<std::unique_ptr<ReleaseLog>> Open(const std::string& path,
                                                          const ReleaseLogOptions& options = {});
  ~ReleaseLog();
  ReleaseLog(const ReleaseLog&) = delete;
  ReleaseLog& operator=(const ReleaseLog&) = delete;

  // Appends the entry of a prepared release (report->audit_passed and
  // report->check.passed must hold: a failed release is InvalidArgument and
  // never written). released_at 0: now. Fills report->log_seq, log_hash.
  absl::StatusOr<ReleaseLogEntry> Append(ReleaseReport* report, std::int64_t released_at = 0);

  const std::string& path() const;
  const std::string& log_id() const;
  std::int64_t entries() const;
  std::string head() const;

 private:
  ReleaseLog();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// As VerifyDeletionLog / ReadDeletionLog, for a release log.
absl::StatusOr<ReleaseLogVerification> VerifyReleaseLog(const std::string& path,
                                                        const ReleaseLogOptions& options = {},
                                                        std::string_view expected_head = {});
absl::StatusOr<std::vector<ReleaseLogEntry>> ReadReleaseLog(const std::string& path,
                                                            const ReleaseLogOptions& options = {});

}  // namespace gdprkit

#endif  // GDPRKIT_RELEASE_H_
