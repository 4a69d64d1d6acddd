/* gdprkit C ABI, retention: add_period, schedules from a policy, sweeps over arrays, the deletion
 * log. Included by <gdprkit.h>; do not include it on its own. Conventions (status codes,
 * out-parameters first, versioned records, free functions): see <gdprkit.h> and
 * docs/conventions.md. docs/retention.md describes the semantics (periods, the decision procedure,
 * holds, the log format).
 *
 * Dates are civil dates (proleptic Gregorian) held as day numbers: int32_t
 * days since 1970-01-01, with GDPRKIT_NO_DATE for "has not happened" / "no
 * date". Valid dates are 0001-01-01 ... 9999-12-31; computed due dates may lie
 * beyond. This part of the ABI needs <stdint.h> for int32_t and int64_t. */
#ifndef GDPRKIT_C_RETENTION_H_
#define GDPRKIT_C_RETENTION_H_

#ifndef GDPRKIT_H_
#error "include <gdprkit.h>, not <gdprkit/c/retention.h>"
#endif

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Dates and periods -------------------------------------------------- */

/* "No date": the event has not happened (input), or there is no date
 * (output). INT32_MIN. */
#define GDPRKIT_NO_DATE ((int32_t)(-2147483647 - 1))

/* Bytes a date text needs, with its NUL ("YYYY-MM-DD", or more digits for
 * years beyond 9999). */
#define GDPRKIT_DATE_TEXT_SIZE 16

/* Parses "YYYY-MM-DD" (year 0001-9999) into a day number in *out_day.
 * Errors: INVALID_ARGUMENT for a NULL argument, another shape, or a date
 * that does not exist ("impossible date "2025-02-30": February 2025 has 28
 * days"). *out_day is GDPRKIT_NO_DATE on failure. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_date_parse(int32_t* out_day, const char* text);

/* Parses a date or a time and stores the civil date it falls on in `zone`
 * (an IANA name; NULL or "" means "Europe/Copenhagen"): "2025-03-30" is that
 * date, "2025-03-30T01:30:00" a civil time in `zone`, "2025-03-29T23:30:00Z"
 * or "...+01:00" an instant, read as the date it falls on in `zone`.
 * Errors: INVALID_ARGUMENT for a NULL argument or malformed or impossible
 * text; FAILED_PRECONDITION when the zone cannot be loaded. *out_day is
 * GDPRKIT_NO_DATE on failure. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_datetime_parse(int32_t* out_day, const char* text,
                                                  const char* zone);

/* Writes day `day` as "YYYY-MM-DD" (NUL-terminated) into `out`, which has
 * room for `out_size` bytes (GDPRKIT_DATE_TEXT_SIZE is always enough).
 * Errors: INVALID_ARGUMENT for a NULL out, out_size too small, or
 * GDPRKIT_NO_DATE; OUT_OF_RANGE for a day before the year -32000. `out` is
 * "" on failure (when out_size > 0). Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_date_format(char* out, size_t out_size, int32_t day);

/* Adds an ISO 8601 period ("P14D", "P3M", "P15M", "P1Y6M", "P10Y", "P0D") to
 * a date written "YYYY-MM-DD" and writes the result as "YYYY-MM-DD" into
 * `out` (room for out_size bytes; GDPRKIT_DATE_TEXT_SIZE is enough). Years
 * and months first, ending on the same day of the month or on the month's
 * last day where that day does not exist (2025-11-30 + P15M = 2027-02-28;
 * 2024-02-29 + P10Y = 2034-02-28), then weeks and days.
 * Errors: INVALID_ARGUMENT for a NULL argument, out_size too small, an
 * impossible or malformed date, or an ill-formed period (the message names
 * the text and what is wrong with it). `out` is "" on failure (when
 * out_size > 0). Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_add_period(char* out, size_t out_size, const char* date,
                                              const char* period);

/* gdprkit_add_period on day numbers: adds `period` to each of the `count`
 * days at `days` and writes the results to `out_days` (which may be `days`
 * itself). GDPRKIT_NO_DATE stays GDPRKIT_NO_DATE. `days` and `out_days` may
 * be NULL only when count is 0.
 * Errors: INVALID_ARGUMENT for a NULL argument, a count larger than an
 * int32_t array can be, an ill-formed period, or a day that is not a valid
 * date (the message names its index); nothing is written on failure.
 * Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_add_period_days(int32_t* out_days, const int32_t* days,
                                                   size_t count, const char* period);

/* ---- Schedules ------------------------------------------------------------ */

/* The retention rules of a policy compiled for sweeps, with its purposes
 * mapped to their rules. Immutable; safe to use from many threads at once.
 * Independent of the policy it came from (which may be freed first). */
typedef struct gdprkit_retention_schedule gdprkit_retention_schedule;

/* Compiles the policy's retention rules into *out, to be released with
 * gdprkit_retention_schedule_free.
 * Errors: INVALID_ARGUMENT for a NULL argument, or a policy with a rule that
 * cannot be read (error-level problems; the message names each rule and
 * field, e.g. an ill-formed period). *out is NULL on failure. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_retention_schedule_new(gdprkit_retention_schedule** out,
                                                          const gdprkit_policy* policy);

/* Releases a schedule. Accepts NULL. */
GDPRKIT_API void gdprkit_retention_schedule_free(gdprkit_retention_schedule* schedule);

/* Number of rules (the indices sweeps report in `rule`); 0 for NULL. */
GDPRKIT_API size_t
gdprkit_retention_schedule_rule_count(const gdprkit_retention_schedule* schedule);

/* Number of events (the indices sweeps report in `anchor`): index 0 is
 * "collection", then the events the rules name; 0 for NULL. */
GDPRKIT_API size_t
gdprkit_retention_schedule_event_count(const gdprkit_retention_schedule* schedule);

/* Stores in *out the id of rule `index`, a string living as long as the
 * schedule. Errors: INVALID_ARGUMENT for a NULL argument; OUT_OF_RANGE for
 * index >= gdprkit_retention_schedule_rule_count. *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_retention_schedule_rule_id(
    const char** out, const gdprkit_retention_schedule* schedule, size_t index);

/* Stores in *out the name of event `index` ("collection" for 0), living as
 * long as the schedule. Errors as gdprkit_retention_schedule_rule_id. */
GDPRKIT_API gdprkit_status gdprkit_retention_schedule_event_name(
    const char** out, const gdprkit_retention_schedule* schedule, size_t index);

/* ---- Sweeps ----------------------------------------------------------------- */

/* Where a record stands on the sweep's date (the `status` output column). */
enum gdprkit_retention_status {
  GDPRKIT_RETENTION_DUE = 0,        /* must be deleted; due since due_date (<= the sweep's date) */
  GDPRKIT_RETENTION_PENDING = 1,    /* will be due on due_date (> the sweep's date) */
  GDPRKIT_RETENTION_KEPT = 2,       /* no due date now; `reason` says why */
  GDPRKIT_RETENTION_HELD = 3,       /* under a hold; due_date: when due once released */
  GDPRKIT_RETENTION_MAY_DELETE = 4, /* retain-only rules whose minimum has passed */
  GDPRKIT_RETENTION_INVALID = 5     /* the record's input is invalid (see the report) */
};

/* Why (the `reason` output column). */
enum gdprkit_retention_reason {
  GDPRKIT_REASON_PERIOD = 0,         /* the deciding rule's period from its anchor */
  GDPRKIT_REASON_ENDED_EARLY = 1,    /* an early-end event of the deciding rule */
  GDPRKIT_REASON_EXTENDED = 2,       /* an extension event of the deciding rule */
  GDPRKIT_REASON_ANCHOR_PENDING = 3, /* the event it waits for has not happened */
  GDPRKIT_REASON_NO_PERIOD = 4,      /* its rules state no period (descriptive only) */
  GDPRKIT_REASON_NO_RULE = 5,        /* the record has no retention rule */
  GDPRKIT_REASON_HOLD = 6,           /* a hold keeps it */
  GDPRKIT_REASON_HOLD_RELEASED = 7,  /* due on the day a hold was (or will be) released */
  GDPRKIT_REASON_INVALID_INPUT = 8   /* see the report's errors */
};

/* "due", "pending", "kept", "held", "may-delete", "invalid"; "" for a number
 * that is no status. Static strings. Never fails. */
GDPRKIT_API const char* gdprkit_retention_status_name(int status);

/* "period", "ended-early", "extended", "anchor-pending", "no-period",
 * "no-rule", "hold", "hold-released", "invalid-input"; "" for a number that
 * is no reason. Static strings. Never fails. */
GDPRKIT_API const char* gdprkit_retention_reason_name(int reason);

/* The title of a status or a reason for people, in `language` (a
 * gdprkit_language): "Due for deletion" / "Skal slettes", "A hold is in
 * force" / "En tilbageholdelse er i kraft". UTF-8 static strings from the
 * core's one table of titles; "" for a number that is no status or reason,
 * or no language. Never fails; safe from any thread. Added in 0.4. */
GDPRKIT_API const char* gdprkit_retention_status_title(int status, int language);
GDPRKIT_API const char* gdprkit_retention_reason_title(int reason, int language);

/* The records to sweep, as columns of `count` rows. Everything is borrowed
 * for the duration of the call. Initialise with GDPRKIT_SWEEP_INPUT_INIT.
 * Each array may be NULL only when its count is 0 (record_ids always). */
typedef struct gdprkit_sweep_input {
  unsigned int version; /* set by the caller: GDPRKIT_SWEEP_INPUT_VERSION */
  size_t count;         /* number of records; at most INT32_MAX */
  /* Selector texts: each a rule id, a purpose id (its rule), several joined
   * by '+' ("patient-record+legal-claims"), or "" (no rule). A rule id wins
   * over a purpose id of the same name. */
  const char* const* selectors;
  size_t selector_count;
  /* Per record (count of them): an index into `selectors`. */
  const int32_t* selector;
  /* Optional record ids (count of them, or NULL): named in error messages
   * (unless they look like CPR numbers). */
  const char* const* record_ids;
  /* Event date columns: event_count names and as many columns of `count`
   * day numbers (GDPRKIT_NO_DATE where the event has not happened). The
   * column "collection" anchors rules without an anchor. Every event a used
   * rule refers to needs a column; a name no rule knows is an error, so
   * event_count is at most gdprkit_retention_schedule_event_count. */
  const char* const* event_names;
  const int32_t* const* event_days;
  size_t event_count;
  /* Holds: hold_count intervals, hold_record[h] a row, from hold_start[h]
   * (inclusive) to hold_end[h] (exclusive: the day it is released), or
   * open-ended when hold_end[h] is GDPRKIT_NO_DATE. */
  const int32_t* hold_record;
  const int32_t* hold_start;
  const int32_t* hold_end;
  size_t hold_count;
} gdprkit_sweep_input;

#define GDPRKIT_SWEEP_INPUT_VERSION 1u
#define GDPRKIT_SWEEP_INPUT_INIT \
  { GDPRKIT_SWEEP_INPUT_VERSION, 0, NULL, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0 }
/* GDPRKIT_SWEEP_INPUT_INIT as a function, for FFI: version GDPRKIT_SWEEP_INPUT_VERSION (see
 * <gdprkit.h>). Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_sweep_input_init(gdprkit_sweep_input* out, unsigned int version);

/* Caller-owned output columns, each of the input's `count` rows. `hold` may
 * be NULL. Initialise with GDPRKIT_SWEEP_COLUMNS_INIT. */
typedef struct gdprkit_sweep_columns {
  unsigned int version; /* set by the caller: GDPRKIT_SWEEP_COLUMNS_VERSION */
  uint8_t* status;      /* a gdprkit_retention_status */
  /* Due: since when. Pending and held: when it will be due (the next due
   * date). Kept by a retain-only rule: the end of the minimum retention.
   * GDPRKIT_NO_DATE when there is none. */
  int32_t* due_date;
  int32_t* rule;   /* deciding rule (gdprkit_retention_schedule_rule_id), -1 when none */
  int32_t* anchor; /* deciding event (gdprkit_retention_schedule_event_name), -1 when none */
  uint8_t* reason; /* a gdprkit_retention_reason */
  int32_t* hold;   /* the hold (index into the input's holds) that matters, -1 when none */
} gdprkit_sweep_columns;

#define GDPRKIT_SWEEP_COLUMNS_VERSION 1u
#define GDPRKIT_SWEEP_COLUMNS_INIT \
  { GDPRKIT_SWEEP_COLUMNS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL }
/* GDPRKIT_SWEEP_COLUMNS_INIT as a function, for FFI: version GDPRKIT_SWEEP_COLUMNS_VERSION (see
 * <gdprkit.h>). Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_sweep_columns_init(gdprkit_sweep_columns* out,
                                                      unsigned int version);

/* What to do with records whose input is invalid: options.on_invalid takes
 * a gdprkit_errors (<gdprkit.h>), whose RAISE and REPORT are these two older
 * names:
 *   GDPRKIT_ERRORS_RAISE (= GDPRKIT_ON_INVALID_FAIL, default): the sweep fails
 *     with INVALID_ARGUMENT naming the first such record and field, and
 *     counting the others;
 *   GDPRKIT_ERRORS_COERCE: the other records are answered; these get
 *     GDPRKIT_RETENTION_INVALID and are counted (gdprkit_sweep_counts.invalid)
 *     but not listed;
 *   GDPRKIT_ERRORS_REPORT (= GDPRKIT_ON_INVALID_REPORT): as COERCE, and they
 *     are listed in the report (gdprkit_sweep_report_error_get). */
enum gdprkit_on_invalid { GDPRKIT_ON_INVALID_FAIL = 0, GDPRKIT_ON_INVALID_REPORT = 1 };

/* Options of a sweep; NULL means the defaults. Initialise with
 * GDPRKIT_SWEEP_OPTIONS_INIT. Version 2 (0.4) added progress and
 * progress_context; a caller built against version 1 (without them) is still
 * accepted and gets no progress. */
typedef struct gdprkit_sweep_options {
  unsigned int version; /* set by the caller: GDPRKIT_SWEEP_OPTIONS_VERSION */
  int on_invalid;       /* a gdprkit_errors; default GDPRKIT_ERRORS_RAISE */
  int threads;          /* worker threads; 1 (default): the calling thread; 0: one per core */
  size_t max_errors;    /* invalid records kept in the report (all are counted); default 100 */
  /* Version 2: progress of the one stage "sweep" (total: input.count), on
   * the calling thread, also with several threads: done == 0 first, done ==
   * total last. A non-zero return cancels: GDPRKIT_CANCELLED, and no partial
   * answer is left (every row is set as for any other failure, see
   * gdprkit_retention_sweep). NULL: no progress. */
  gdprkit_progress_fn progress;
  void* progress_context; /* passed to progress as is */
} gdprkit_sweep_options;

#define GDPRKIT_SWEEP_OPTIONS_VERSION 2u
#define GDPRKIT_SWEEP_OPTIONS_INIT \
  { GDPRKIT_SWEEP_OPTIONS_VERSION, GDPRKIT_ERRORS_RAISE, 1, 100, NULL, NULL }
/* GDPRKIT_SWEEP_OPTIONS_INIT as a function, for FFI: version GDPRKIT_SWEEP_OPTIONS_VERSION (see
 * <gdprkit.h>). Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_sweep_options_init(gdprkit_sweep_options* out,
                                                      unsigned int version);

/* The counts of a sweep and its invalid records. */
typedef struct gdprkit_sweep_report gdprkit_sweep_report;

/* Sweeps the records of `input` as of day `as_of`, writing one row per
 * record into the caller's `columns`, and stores the counts in *out_report
 * (released with gdprkit_sweep_report_free).
 * Errors: INVALID_ARGUMENT for a NULL argument, an unsupported version, an
 * unknown option, a NULL array with a count above 0 or a count above its
 * limit (see gdprkit_sweep_input), inconsistent input (an event column no
 * rule knows; a column given twice; a column a used rule needs but missing;
 * a hold naming a row that does not exist; an invalid as_of), and, with
 * GDPRKIT_ON_INVALID_FAIL,
 * for the first invalid record ("record "r-17" (row 1), field
 * "last_contact": 2024-01-01 is before collection 2024-02-01 (and 1 more
 * invalid records); no result was returned"). Invalid records: a date out
 * of range, an event before collection, no collection date where a rule
 * counts from it, a hold without start or released before it began, a
 * selector index out of range. On failure *out_report is NULL. When the
 * arguments themselves are refused (NULL, a version, an option, an array
 * and its count) nothing is written to the columns; any later failure sets
 * every output row to GDPRKIT_RETENTION_INVALID, GDPRKIT_NO_DATE, -1, -1,
 * GDPRKIT_REASON_INVALID_INPUT, -1: no partial answer is left behind.
 * NOT_FOUND for a selector text naming no rule or purpose (the message
 * names the selector and the nearest ids). CANCELLED when options.progress
 * cancels (the columns are then set as for any failure after the arguments
 * were accepted). With GDPRKIT_ERRORS_COERCE or GDPRKIT_ERRORS_REPORT the
 * call succeeds on invalid records; check gdprkit_sweep_report_complete.
 * Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_retention_sweep(gdprkit_sweep_report** out_report,
                                                   const gdprkit_sweep_columns* columns,
                                                   const gdprkit_retention_schedule* schedule,
                                                   const gdprkit_sweep_input* input, int32_t as_of,
                                                   const gdprkit_sweep_options* options);

/* Counts of a sweep. Initialise with GDPRKIT_SWEEP_COUNTS_INIT. */
typedef struct gdprkit_sweep_counts {
  unsigned int version; /* set by the caller: GDPRKIT_SWEEP_COUNTS_VERSION */
  int64_t records;
  int64_t due;
  int64_t pending;
  int64_t kept;
  int64_t held;
  int64_t may_delete;
  int64_t invalid; /* records with status GDPRKIT_RETENTION_INVALID */
  int complete;    /* 1 when every record was answered (invalid == 0) */
} gdprkit_sweep_counts;

#define GDPRKIT_SWEEP_COUNTS_VERSION 1u
#define GDPRKIT_SWEEP_COUNTS_INIT \
  { GDPRKIT_SWEEP_COUNTS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0 }
/* GDPRKIT_SWEEP_COUNTS_INIT as a function, for FFI: version GDPRKIT_SWEEP_COUNTS_VERSION (see
 * <gdprkit.h>). Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_sweep_counts_init(gdprkit_sweep_counts* out,
                                                     unsigned int version);

/* Fills *out (initialised with GDPRKIT_SWEEP_COUNTS_INIT) with the counts.
 * Errors: INVALID_ARGUMENT for a NULL argument or an unsupported
 * out->version. On failure *out is zeroed except its version. */
GDPRKIT_API gdprkit_status gdprkit_sweep_report_counts(gdprkit_sweep_counts* out,
                                                       const gdprkit_sweep_report* report);

/* 1 when every record was answered, 0 otherwise and for NULL. Never fails. */
GDPRKIT_API int gdprkit_sweep_report_complete(const gdprkit_sweep_report* report);

/* Number of invalid records listed in the report (with GDPRKIT_ERRORS_REPORT:
 * at most max_errors; with COERCE: none); 0 for NULL. Never fails. */
GDPRKIT_API size_t gdprkit_sweep_report_error_count(const gdprkit_sweep_report* report);

/* One invalid record. Strings live as long as the report. Initialise with
 * GDPRKIT_SWEEP_ERROR_INIT. */
typedef struct gdprkit_sweep_error {
  unsigned int version;  /* set by the caller: GDPRKIT_SWEEP_ERROR_VERSION */
  int64_t row;           /* 0-based row */
  const char* record_id; /* as given, "" without ids (withheld when CPR-shaped) */
  const char* field;     /* "collection", an event name, "selector", "holds[3]" */
  const char* message;   /* what is wrong */
  const char* text;      /* the whole sentence: record, row, field and message */
} gdprkit_sweep_error;

#define GDPRKIT_SWEEP_ERROR_VERSION 1u
#define GDPRKIT_SWEEP_ERROR_INIT \
  { GDPRKIT_SWEEP_ERROR_VERSION, 0, NULL, NULL, NULL, NULL }
/* GDPRKIT_SWEEP_ERROR_INIT as a function, for FFI: version GDPRKIT_SWEEP_ERROR_VERSION (see
 * <gdprkit.h>). Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_sweep_error_init(gdprkit_sweep_error* out, unsigned int version);

/* Fills *out with invalid record `index` (row order). Errors:
 * INVALID_ARGUMENT for a NULL argument or an unsupported out->version;
 * OUT_OF_RANGE for index >= gdprkit_sweep_report_error_count. On failure
 * *out is zeroed except its version. */
GDPRKIT_API gdprkit_status gdprkit_sweep_report_error_get(gdprkit_sweep_error* out,
                                                          const gdprkit_sweep_report* report,
                                                          size_t index);

/* Releases a report. Accepts NULL. */
GDPRKIT_API void gdprkit_sweep_report_free(gdprkit_sweep_report* report);

/* Explains the decision for record `row` of `input` as of `as_of`, line by
 * line (each rule's arithmetic, the deletion and retention dates, holds,
 * the verdict's titles in English, and the verdict), into a new string *out released with
 * gdprkit_retention_string_free.
 * Errors: as gdprkit_retention_sweep, INVALID_ARGUMENT for that record's
 * invalid input, NOT_FOUND for a row out of range. *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_retention_explain(char** out,
                                                     const gdprkit_retention_schedule* schedule,
                                                     const gdprkit_sweep_input* input, int64_t row,
                                                     int32_t as_of);

/* Releases a string returned by gdprkit_retention_explain. Accepts NULL. */
GDPRKIT_API void gdprkit_retention_string_free(char* s);

/* ---- The deletion log ---------------------------------------------------- */

/* An append-only, hash-chained log of deletions (docs/retention.md, section
 * 5). Safe to use from several threads; several processes may append to
 * the same file. */
typedef struct gdprkit_deletion_log gdprkit_deletion_log;

/* Bytes a chain hash needs as text, with its NUL (64 hex digits). */
#define GDPRKIT_DELETION_LOG_HASH_SIZE 65

/* Options of a log; NULL means a plain (unkeyed) chain, synced on every
 * append. Initialise with GDPRKIT_DELETION_LOG_OPTIONS_INIT. */
typedef struct gdprkit_deletion_log_options {
  unsigned int version;     /* set by the caller: GDPRKIT_DELETION_LOG_OPTIONS_VERSION */
  const unsigned char* key; /* 16-64 secret bytes for keyed hashes, or NULL */
  size_t key_size;
  int sync; /* 1 (default): fsync after each append */
} gdprkit_deletion_log_options;

#define GDPRKIT_DELETION_LOG_OPTIONS_VERSION 1u
#define GDPRKIT_DELETION_LOG_OPTIONS_INIT \
  { GDPRKIT_DELETION_LOG_OPTIONS_VERSION, NULL, 0, 1 }
/* GDPRKIT_DELETION_LOG_OPTIONS_INIT as a function, for FFI: version
 * GDPRKIT_DELETION_LOG_OPTIONS_VERSION (see <gdprkit.h>). Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_deletion_log_options_init(gdprkit_deletion_log_options* out,
                                                             unsigned int version);

/* Opens the log at `path`, creating it (mode 0600) when missing or empty,
 * after verifying the whole chain, and stores the handle in *out (released
 * with gdprkit_deletion_log_free, which wipes the key).
 * Errors: INVALID_ARGUMENT for a NULL argument, an unsupported version or a
 * key of the wrong size; DATA_LOSS naming the first broken entry;
 * FAILED_PRECONDITION for a keyed log without its key or with another, or a
 * plain log given a key; NOT_FOUND, PERMISSION_DENIED, INTERNAL from the
 * file system. The key never appears in a message. *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_deletion_log_open(gdprkit_deletion_log** out, const char* path,
                                                     const gdprkit_deletion_log_options* options);

/* Releases a log (closing the file, wiping the key). Accepts NULL. */
GDPRKIT_API void gdprkit_deletion_log_free(gdprkit_deletion_log* log);

/* Appends `count` deletions, all or none, in one write: record_ids[i] (an
 * internal key or pseudonym, never a CPR number), rule_ids[i] (the rule that
 * made it due; NULL or "" for a deletion on request; rule_ids itself may be
 * NULL), due_dates[i] (GDPRKIT_NO_DATE when none; due_dates may be NULL),
 * deleted_at[i] (seconds since 1970-01-01T00:00:00Z). Stores the sequence
 * number of the last entry written in *out_last_seq.
 * record_ids and deleted_at may be NULL only when count is 0.
 * Errors: INVALID_ARGUMENT for a NULL argument, a NULL array with count above
 * 0 or a count above what an array can hold, and naming the index and
 * field of a bad deletion (empty, too long, not UTF-8 or CPR-shaped record
 * id; due date or deletion time out of range); DATA_LOSS when another writer
 * left the file broken; INTERNAL for I/O errors (nothing half-written).
 * *out_last_seq is 0 on failure. */
GDPRKIT_API gdprkit_status gdprkit_deletion_log_append(
    int64_t* out_last_seq, gdprkit_deletion_log* log, const char* const* record_ids,
    const char* const* rule_ids, const int32_t* due_dates, const int64_t* deleted_at, size_t count);

/* Number of entries, as of the last call that read or wrote the file; 0 for
 * NULL. Never fails. */
GDPRKIT_API int64_t gdprkit_deletion_log_entries(const gdprkit_deletion_log* log);

/* Writes the hash of the last entry (of the header when there is none) as 64
 * hex digits and a NUL into `out` (GDPRKIT_DELETION_LOG_HASH_SIZE bytes).
 * Keep it elsewhere and pass it to gdprkit_deletion_log_verify to notice a
 * log cut short. Errors: INVALID_ARGUMENT for a NULL argument or out_size too
 * small. `out` is "" on failure (when out_size > 0). */
GDPRKIT_API gdprkit_status gdprkit_deletion_log_head(char* out, size_t out_size,
                                                     const gdprkit_deletion_log* log);

/* The result of verifying a log. Its strings are borrowed from the
 * gdprkit_deletion_log_verification it was filled from and live until
 * gdprkit_deletion_log_verification_free. Initialise with GDPRKIT_DELETION_LOG_CHECK_INIT. */
typedef struct gdprkit_deletion_log_check {
  unsigned int version; /* set by the caller: GDPRKIT_DELETION_LOG_CHECK_VERSION */
  int intact;           /* 1 when the whole chain verified (and matched expected_head) */
  int64_t entries;      /* entries that verified, before any break */
  const char* head;     /* hash of the last entry that verified (64 hex digits) */
  /* Sequence number of the first broken entry (0: the header); -1 if intact. */
  int64_t first_broken_entry;
  int first_broken_line; /* its line in the file; 0 when intact */
  const char* problem;   /* what is wrong there; "" when intact */
  const char* log_id;    /* from the header */
  int keyed;             /* 1 when the log's hashes are keyed */
} gdprkit_deletion_log_check;

#define GDPRKIT_DELETION_LOG_CHECK_VERSION 1u
#define GDPRKIT_DELETION_LOG_CHECK_INIT \
  { GDPRKIT_DELETION_LOG_CHECK_VERSION, 0, 0, NULL, -1, 0, NULL, NULL, 0 }
/* GDPRKIT_DELETION_LOG_CHECK_INIT as a function, for FFI: version
 * GDPRKIT_DELETION_LOG_CHECK_VERSION (see <gdprkit.h>). Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_deletion_log_check_init(gdprkit_deletion_log_check* out,
                                                           unsigned int version);

/* A verification result: the strings of a gdprkit_deletion_log_check. */
typedef struct gdprkit_deletion_log_verification gdprkit_deletion_log_verification;

/* Verifies the log at `path` without changing it and stores the result in
 * *out (released with gdprkit_deletion_log_verification_free). A broken
 * chain is not an error: the result says where it breaks.
 * `expected_head` (64 hex digits, or NULL) must be the hash of some entry of
 * the log; otherwise it was cut short or replaced.
 * Errors: INVALID_ARGUMENT for a NULL argument, an unsupported options
 * version or a malformed expected_head; FAILED_PRECONDITION for a missing or
 * wrong key; NOT_FOUND, PERMISSION_DENIED, INTERNAL from the file system.
 * *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_deletion_log_verify(gdprkit_deletion_log_verification** out,
                                                       const char* path,
                                                       const gdprkit_deletion_log_options* options,
                                                       const char* expected_head);

/* Fills *out (initialised with GDPRKIT_DELETION_LOG_CHECK_INIT). Errors:
 * INVALID_ARGUMENT for a NULL argument or an unsupported out->version. On
 * failure *out is zeroed except its version. */
GDPRKIT_API gdprkit_status gdprkit_deletion_log_verification_get(
    gdprkit_deletion_log_check* out, const gdprkit_deletion_log_verification* verification);

/* Releases a verification result. Accepts NULL. */
GDPRKIT_API void gdprkit_deletion_log_verification_free(
    gdprkit_deletion_log_verification* verification);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GDPRKIT_C_RETENTION_H_ */
