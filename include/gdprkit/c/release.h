/* gdprkit C ABI, the release gate (gdprkit/release.h; docs/release.md).
 * Included by <gdprkit.h>; do not include it on its own. Conventions: see
 * <gdprkit.h>. All functions since 0.4.
 *
 * A frame of records is built column by column (gdprkit_frame_new, then
 * gdprkit_frame_add_*), checked against a release of a policy
 * (gdprkit_release_check: findings with codes and counts, never a value) or
 * prepared (gdprkit_release_prepare: what may leave, and a report), which
 * appends the proof to a hash-chained release log when one is given.
 * Handles: gdprkit_frame, gdprkit_release_check_result,
 * gdprkit_prepared_release and gdprkit_release_log, each released with its
 * own _free
 * (which accepts NULL). Strings read from a handle live as long as it.
 * A frame, a check result and a prepared release are immutable once made
 * and may be read from several threads; a frame being built may not. A
 * release log may be shared (the core locks it). Needs <stdint.h>,
 * gdprkit_policy (<gdprkit/c/policy.h>), gdprkit_vault and gdprkit_id_kind
 * (<gdprkit/c/vault.h>), GDPRKIT_NO_DATE, gdprkit_deletion_log_options and
 * gdprkit_deletion_log_verification (<gdprkit/c/retention.h>). */
#ifndef GDPRKIT_C_RELEASE_H_
#define GDPRKIT_C_RELEASE_H_

#ifndef GDPRKIT_H_
#error "include <gdprkit.h>, not <gdprkit/c/release.h>"
#endif

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Frames ---------------------------------------------------------------- */

/* Named columns of equal length: text (dictionary-encoded), numbers (NaN is
 * missing) or dates (days since 1970-01-01, GDPRKIT_NO_DATE is missing). */
typedef struct gdprkit_frame gdprkit_frame;

enum gdprkit_frame_column_type {
  GDPRKIT_FRAME_TEXT = 0,
  GDPRKIT_FRAME_NUMBER = 1,
  GDPRKIT_FRAME_DATE = 2
};

/* A new frame of `rows` rows and no columns, in *out (released with
 * gdprkit_frame_free). Errors: INVALID_ARGUMENT for a NULL out or rows above
 * INT32_MAX. *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_frame_new(gdprkit_frame** out, size_t rows);

/* Releases a frame. Accepts NULL. */
GDPRKIT_API void gdprkit_frame_free(gdprkit_frame* frame);

/* Adds a column of the frame's rows, copied. The core checks the frame when
 * it is used (gdprkit_release_check, ...): a repeated or empty name, a code
 * outside its labels, a label that is not UTF-8 are INVALID_ARGUMENT there,
 * naming the column (never a value).
 *   add_text:   values[row], NUL-terminated UTF-8; a NULL entry is missing.
 *   add_labels: the n_labels distinct texts and per row codes[row], an index
 *               into labels or -1 for missing (as pandas.factorize gives).
 *   add_numbers, add_days: numbers[row] / days[row].
 * Errors: INVALID_ARGUMENT for a NULL frame or name, a NULL array when the
 * frame has rows (labels: when n_labels > 0), a NULL label, n_labels above
 * INT32_MAX. Nothing is added on failure. */
GDPRKIT_API gdprkit_status gdprkit_frame_add_text(gdprkit_frame* frame, const char* name,
                                                  const char* const* values);
GDPRKIT_API gdprkit_status gdprkit_frame_add_labels(gdprkit_frame* frame, const char* name,
                                                    const char* const* labels, size_t n_labels,
                                                    const int32_t* codes);
GDPRKIT_API gdprkit_status gdprkit_frame_add_numbers(gdprkit_frame* frame, const char* name,
                                                     const double* numbers);
GDPRKIT_API gdprkit_status gdprkit_frame_add_days(gdprkit_frame* frame, const char* name,
                                                  const int32_t* days);

/* Rows and columns; 0 for NULL. Never fail. */
GDPRKIT_API size_t gdprkit_frame_rows(const gdprkit_frame* frame);
GDPRKIT_API size_t gdprkit_frame_columns(const gdprkit_frame* frame);

/* Column `column`'s name (*out, living as long as the frame) and type (a
 * gdprkit_frame_column_type). Errors: INVALID_ARGUMENT for a NULL argument,
 * OUT_OF_RANGE for column >= gdprkit_frame_columns. *out is NULL / -1 on
 * failure. */
GDPRKIT_API gdprkit_status gdprkit_frame_column_name(const char** out, const gdprkit_frame* frame,
                                                     size_t column);
GDPRKIT_API gdprkit_status gdprkit_frame_column_type(int* out, const gdprkit_frame* frame,
                                                     size_t column);

/* One value. text: *out is the row's text (living as long as the frame) or
 * NULL when missing; number: NaN when missing; day: GDPRKIT_NO_DATE when
 * missing. Errors: INVALID_ARGUMENT for a NULL argument or a column of
 * another type, OUT_OF_RANGE for a column or row past the end. On failure
 * *out is NULL / 0 / GDPRKIT_NO_DATE. */
GDPRKIT_API gdprkit_status gdprkit_frame_text(const char** out, const gdprkit_frame* frame,
                                              size_t column, size_t row);
GDPRKIT_API gdprkit_status gdprkit_frame_number(double* out, const gdprkit_frame* frame,
                                                size_t column, size_t row);
GDPRKIT_API gdprkit_status gdprkit_frame_day(int32_t* out, const gdprkit_frame* frame,
                                             size_t column, size_t row);

/* Bytes a digest needs as text, with its NUL: "blake2b-256:" and 64 hex
 * digits. */
#define GDPRKIT_DIGEST_SIZE 77

/* Writes the digest of the frame's content in its canonical form
 * (docs/release.md, "Canonical form") into `out` (GDPRKIT_DIGEST_SIZE bytes):
 * the column names and every value's canonical text, so that a CSV of the
 * frame read back as text has the same digest. Errors: INVALID_ARGUMENT for
 * a NULL argument, out_size too small, or a frame the core refuses (naming
 * the column). `out` is "" on failure (when out_size > 0). */
GDPRKIT_API gdprkit_status gdprkit_content_digest(char* out, size_t out_size,
                                                  const gdprkit_frame* frame);

/* ---- Options --------------------------------------------------------------- */

/* Options of gdprkit_release_check and gdprkit_release_prepare; NULL means
 * the defaults. Initialise with GDPRKIT_RELEASE_OPTIONS_INIT.
 *   on: the release date (days since 1970-01-01); GDPRKIT_NO_DATE
 *     (default): today (UTC). The maximum age counts back from it.
 *   scan_kinds: a bit (1u << kind) per gdprkit_id_kind the scanner looks for
 *     in text; 0 (default): the scanner's defaults.
 *   language: a gdprkit_language for the findings' messages and titles and
 *     the audit's text.
 *   base_dir: the folder hierarchy files are read from; NULL (default): the
 *     policy file's.
 *   progress, progress_context: stages "scan", "age", "pseudonymise",
 *     "generalise", "redact", "tabulate", the suppression's, "k-anonymity",
 *     "check"; non-zero cancels (GDPRKIT_CANCELLED). NULL: none.
 * Prepare only:
 *   method, cost: the table's secondary suppression and cost model, by name
 *     (gdprkit/suppression.h: "auto", "heuristic", "optimal"; "cells",
 *     "value", ...); NULL (default): "auto" and "cells".
 *   time_limit_seconds (default 60), effort (0-2, default 1): as
 *     gdprkit_suppression_options.
 *   released_at: the time the log records (seconds since
 *     1970-01-01T00:00:00Z); 0 (default): now. */
typedef struct gdprkit_release_options {
  unsigned int version; /* GDPRKIT_RELEASE_OPTIONS_VERSION */
  int32_t on;
  unsigned int scan_kinds;
  int language;
  const char* base_dir;
  gdprkit_progress_fn progress;
  void* progress_context;
  const char* method;
  const char* cost;
  double time_limit_seconds;
  int effort;
  int64_t released_at;
} gdprkit_release_options;

#define GDPRKIT_RELEASE_OPTIONS_VERSION 1u
#define GDPRKIT_RELEASE_OPTIONS_INIT                                                               \
  {                                                                                                \
    GDPRKIT_RELEASE_OPTIONS_VERSION, (-2147483647 - 1), 0u, 0, NULL, NULL, NULL, NULL, NULL, 60.0, \
        1, 0                                                                                       \
  }
/* GDPRKIT_RELEASE_OPTIONS_INIT as a function, for FFI (see <gdprkit.h>). */
GDPRKIT_API gdprkit_status gdprkit_release_options_init(gdprkit_release_options* out,
                                                        unsigned int version);

/* ---- Check ----------------------------------------------------------------- */

typedef struct gdprkit_release_check_result gdprkit_release_check_result;

/* One finding; its strings live as long as the check result. Initialise
 * with GDPRKIT_RELEASE_FINDING_INIT.
 *   problem: the code ("identifier-in-clear", "too-old", "missing-date",
 *     "undeclared-column", "dropped-column", "missing-column",
 *     "not-pseudonymised", "not-generalised", "small-cell", "small-group");
 *   title: the problem in a few words, in the options' language;
 *   column: the column concerned; "" for the table or extract as a whole;
 *   kind, kind_name: for "identifier-in-clear", the identifier kind found
 *     (a gdprkit_id_kind and its name);
 *   rows: the rows concerned; cells: small cells or small groups, else 0;
 *   message: the finding in words, with its figures. Never a value. */
typedef struct gdprkit_release_finding {
  unsigned int version; /* GDPRKIT_RELEASE_FINDING_VERSION */
  const char* problem;
  const char* title;
  const char* column;
  int kind;
  const char* kind_name;
  int64_t rows;
  int64_t cells;
  const char* message;
} gdprkit_release_finding;

#define GDPRKIT_RELEASE_FINDING_VERSION 1u
#define GDPRKIT_RELEASE_FINDING_INIT \
  { GDPRKIT_RELEASE_FINDING_VERSION, NULL, NULL, NULL, 0, NULL, 0, 0, NULL }
/* GDPRKIT_RELEASE_FINDING_INIT as a function, for FFI (see <gdprkit.h>). */
GDPRKIT_API gdprkit_status gdprkit_release_finding_init(gdprkit_release_finding* out,
                                                        unsigned int version);

/* Checks `frame` against release `release_id` of `policy`; the verdict and
 * the findings in *out (released with gdprkit_release_check_free). A
 * finding is not an error. Errors: INVALID_ARGUMENT for a NULL argument, an
 * unsupported options version or language, a frame the core refuses
 * (naming the column); NOT_FOUND for an unknown release (naming the nearest
 * ids); FAILED_PRECONDITION when the policy's own findings on the release
 * are errors; CANCELLED from the progress callback. *out is NULL on
 * failure. */
GDPRKIT_API gdprkit_status gdprkit_release_check(gdprkit_release_check_result** out,
                                                 const gdprkit_policy* policy,
                                                 const char* release_id, const gdprkit_frame* frame,
                                                 const gdprkit_release_options* options);

/* 1 when there is no finding; 0 otherwise and for NULL. Never fails. */
GDPRKIT_API int gdprkit_release_check_passed(const gdprkit_release_check_result* result);
/* Rows checked; findings. 0 for NULL. Never fail. */
GDPRKIT_API int64_t gdprkit_release_check_rows(const gdprkit_release_check_result* result);
GDPRKIT_API size_t gdprkit_release_check_count(const gdprkit_release_check_result* result);

/* Finding `index` (in the core's order: by problem, then column) into *out.
 * Errors: INVALID_ARGUMENT for a NULL argument or an unsupported
 * out->version; OUT_OF_RANGE for index >= count. On failure *out is zeroed
 * except its version. */
GDPRKIT_API gdprkit_status gdprkit_release_check_get(gdprkit_release_finding* out,
                                                     const gdprkit_release_check_result* result,
                                                     size_t index);

/* Releases a check result. Accepts NULL. */
GDPRKIT_API void gdprkit_release_check_free(gdprkit_release_check_result* result);

/* ---- The release log -------------------------------------------------------- */

/* An append-only, hash-chained record of prepared releases (the deletion
 * log's mechanism and options; a deletion log is not a release log). */
typedef struct gdprkit_release_log gdprkit_release_log;

/* Opens the log at `path`, creating it (mode 0600) when missing, after
 * verifying the whole chain, in *out (released with
 * gdprkit_release_log_free, which wipes the key). `options` as for
 * gdprkit_deletion_log_open (NULL: a plain chain, synced). Errors: as
 * gdprkit_deletion_log_open; INVALID_ARGUMENT for a file that is a deletion
 * log. *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_release_log_open(gdprkit_release_log** out, const char* path,
                                                    const gdprkit_deletion_log_options* options);

/* Releases a log. Accepts NULL. */
GDPRKIT_API void gdprkit_release_log_free(gdprkit_release_log* log);

/* Number of entries, as of the last call that read or wrote the file; 0 for
 * NULL. Never fails. */
GDPRKIT_API int64_t gdprkit_release_log_entries(const gdprkit_release_log* log);

/* Writes the hash of the last entry (64 hex digits and a NUL;
 * GDPRKIT_DELETION_LOG_HASH_SIZE bytes) into `out`. Errors: INVALID_ARGUMENT
 * for a NULL argument or out_size too small. `out` is "" on failure (when
 * out_size > 0). */
GDPRKIT_API gdprkit_status gdprkit_release_log_head(char* out, size_t out_size,
                                                    const gdprkit_release_log* log);

/* Verifies the release log at `path` without changing it, as
 * gdprkit_deletion_log_verify, into the same kind of result: read it with
 * gdprkit_deletion_log_verification_get, release it with
 * gdprkit_deletion_log_verification_free. A broken chain is not an error;
 * the result says where. Errors: as gdprkit_deletion_log_verify;
 * INVALID_ARGUMENT for a file that is a deletion log. *out is NULL on
 * failure. */
GDPRKIT_API gdprkit_status gdprkit_release_log_verify(gdprkit_deletion_log_verification** out,
                                                      const char* path,
                                                      const gdprkit_deletion_log_options* options,
                                                      const char* expected_head);

/* ---- Prepare --------------------------------------------------------------- */

typedef struct gdprkit_prepared_release gdprkit_prepared_release;

/* Prepares release `release_id` of `policy` from `records` (drops old rows
 * and dropped columns, pseudonymises in `vault`, generalises, redacts free
 * text, tabulates and suppresses the table with the audit, or applies local
 * suppression to the extract), checks the result and, only when it passes,
 * appends the proof to `log` and stores the released frame and the report
 * in *out (released with gdprkit_prepared_release_free). `vault` (never
 * written to) may be NULL unless the release pseudonymises; `log` may be
 * NULL (not logged). Errors: as gdprkit_release_check; INVALID_ARGUMENT for
 * a column the release needs that the records lack, values of a
 * pseudonymised or generalised column that are not of its kind or
 * hierarchy (naming the column and row, never the value), an unknown method
 * or cost; FAILED_PRECONDITION for a release that pseudonymises without a
 * vault, a domain the vault lacks, a result that fails its check or a cell
 * that cannot be protected; the vault's and the log's errors. On any error
 * *out is NULL and nothing is logged. */
GDPRKIT_API gdprkit_status gdprkit_release_prepare(
    gdprkit_prepared_release** out, const gdprkit_policy* policy, const char* release_id,
    const gdprkit_frame* records, const gdprkit_vault* vault, gdprkit_release_log* log,
    const gdprkit_release_options* options);

/* What leaves, owned by the prepared release (do not free it): a table's
 * dimension columns (totals included), its value column (NaN where
 * suppressed) and "status" ("published" or "suppressed"), one row per cell;
 * an extract's released columns, "*" where a value was suppressed. NULL for
 * NULL. Never fails. */
GDPRKIT_API const gdprkit_frame* gdprkit_prepared_release_frame(
    const gdprkit_prepared_release* prepared);

/* What the preparation did: counts and digests, never a value. Strings live
 * as long as the prepared release. Initialise with
 * GDPRKIT_RELEASE_REPORT_INIT. Fields as gdprkit/release.h's ReleaseReport;
 * columns_dropped has columns_dropped_count entries and a NULL. */
typedef struct gdprkit_release_report {
  unsigned int version; /* GDPRKIT_RELEASE_REPORT_VERSION */
  const char* release;
  const char* title;
  const char* purpose;
  const char* policy_digest;
  int32_t on;
  int table; /* 1: a table; 0: an extract */
  int64_t rows_in;
  int64_t rows_too_old;
  int64_t rows_missing_date;
  const char* const* columns_dropped;
  size_t columns_dropped_count;
  int64_t values_pseudonymised;
  int64_t values_generalised;
  int64_t identifiers_redacted;
  int64_t cells;
  int64_t cells_primary;
  int64_t cells_secondary;
  int audit_passed;
  const char* audit_text;
  int k;
  int64_t values_suppressed;
  int64_t rows_withheld;
  int64_t smallest_group;
  int64_t rows_out;
  const char* content_digest;
  int64_t log_seq; /* 0 when not logged */
  const char* log_hash;
} gdprkit_release_report;

#define GDPRKIT_RELEASE_REPORT_VERSION 1u
#define GDPRKIT_RELEASE_REPORT_INIT                                                              \
  {                                                                                              \
    GDPRKIT_RELEASE_REPORT_VERSION, NULL, NULL, NULL, NULL, (-2147483647 - 1), 0, 0, 0, 0, NULL, \
        0, 0, 0, 0, 0, 0, 0, 0, NULL, 0, 0, 0, 0, 0, NULL, 0, NULL                               \
  }
/* GDPRKIT_RELEASE_REPORT_INIT as a function, for FFI (see <gdprkit.h>). */
GDPRKIT_API gdprkit_status gdprkit_release_report_init(gdprkit_release_report* out,
                                                       unsigned int version);

/* Fills *out with the report. Errors: INVALID_ARGUMENT for a NULL argument
 * or an unsupported out->version. On failure *out is zeroed except its
 * version. */
GDPRKIT_API gdprkit_status gdprkit_prepared_release_report(
    gdprkit_release_report* out, const gdprkit_prepared_release* prepared);

/* Releases a prepared release and its frame. Accepts NULL. */
GDPRKIT_API void gdprkit_prepared_release_free(gdprkit_prepared_release* prepared);

#ifdef __cplusplus
}
#endif

#endif /* GDPRKIT_C_RELEASE_H_ */
