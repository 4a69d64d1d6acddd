/* Out of memory at every allocation of the retention entry points: each call
 * must report a status (GDPRKIT_RESOURCE_EXHAUSTED for std::bad_alloc caught
 * at the boundary, or the status it gives without a fault), keep a message,
 * leave its out-parameters in the documented failure state (NULL, "", 0, or
 * every sweep row "invalid"), leak nothing, leave a deletion log file
 * byte-for-byte as it was after a failed append, and not crash.
 *
 * The program replaces malloc, calloc, realloc, free and the aligned
 * allocators (glibc lets the main program interpose them and exports
 * __libc_malloc & co. to delegate to). For each entry point (a "step") and
 * k = 0, 1, 2, ..., a child process sets the step up without faults, then
 * runs the call with its k-th allocation failing, until a run completes
 * without reaching allocation k. While the call runs and its results are
 * released, every allocation is recorded in a table and every free removes
 * it: what is left afterwards is a leak (the sanitizer builds, which own
 * malloc, skip this test, so it finds leaks itself). A crash is reported
 * with the step and the allocation number.
 *
 *   c_retention_oom_test          every step
 *   c_retention_oom_test STEP...  the named steps only (see kSteps)
 *
 * Skipped (exit 77) without glibc or under a sanitizer. */
#define _POSIX_C_SOURCE 200809L

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdprkit.h"
#include "oom_util.h"
#include "test_util.h"

#if defined(__GLIBC__) && !defined(OOM_TEST_SANITIZED)

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- The allocator --------------------------------------------------------- */

extern void* __libc_malloc(size_t size);
extern void* __libc_calloc(size_t n, size_t size);
extern void* __libc_realloc(void* p, size_t size);
extern void __libc_free(void* p);
extern void* __libc_memalign(size_t alignment, size_t size);

/* All state below is guarded by `lock` (the threaded sweep allocates from
 * worker threads). */
static volatile char lock_flag = 0;
static long countdown = -1; /* armed while >= 0 */
static int fired = 0;
static int tracking = 0;
static int check_leaks = 1;
static long live = 0;    /* tracked allocations not yet freed */
static long tracked = 0; /* allocations made while tracking */

#define kSlots (1u << 16)
#define kTombstone ((void*)1)
static void* table[kSlots];

static void Lock(void) {
  while (__atomic_test_and_set(&lock_flag, __ATOMIC_ACQUIRE)) {
  }
}
static void Unlock(void) { __atomic_clear(&lock_flag, __ATOMIC_RELEASE); }

static size_t Slot(const void* p) {
  return (size_t)((((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull) >> 20) & (kSlots - 1);
}

static void Insert(void* p) {
  size_t i = Slot(p);
  while (table[i] != NULL && table[i] != kTombstone) i = (i + 1) & (kSlots - 1);
  table[i] = p;
  ++live;
  ++tracked;
}

static void Remove(void* p) {
  size_t i = Slot(p);
  while (table[i] != NULL) {
    if (table[i] == p) {
      table[i] = kTombstone;
      --live;
      return;
    }
    i = (i + 1) & (kSlots - 1);
  }
}

/* 1 when this allocation is to fail. Called with the lock held. */
static int Fault(void) {
  if (countdown >= 0 && countdown-- == 0) {
    fired = 1;
    return 1;
  }
  return 0;
}

static void* Track(void* p) {
  if (p != NULL && tracking) Insert(p);
  return p;
}

/* Default visibility: the build compiles with -fvisibility=hidden, and a
 * hidden malloc would replace nothing. */
#define EXPORT __attribute__((visibility("default")))
EXPORT void* malloc(size_t size);
EXPORT void* calloc(size_t n, size_t size);
EXPORT void* realloc(void* p, size_t size);
EXPORT void free(void* p);
EXPORT void* aligned_alloc(size_t alignment, size_t size);
EXPORT int posix_memalign(void** out, size_t alignment, size_t size);
EXPORT void* memalign(size_t alignment, size_t size);

void* malloc(size_t size) {
  void* p = NULL;
  Lock();
  if (!Fault()) p = Track(__libc_malloc(size));
  Unlock();
  if (p == NULL) errno = ENOMEM;
  return p;
}

void* calloc(size_t n, size_t size) {
  void* p = NULL;
  Lock();
  if (!Fault()) p = Track(__libc_calloc(n, size));
  Unlock();
  if (p == NULL) errno = ENOMEM;
  return p;
}

void* realloc(void* old, size_t size) {
  void* p = NULL;
  if (old == NULL) return malloc(size);
  if (size == 0) {
    free(old);
    return NULL;
  }
  Lock();
  if (!Fault()) {
    p = __libc_realloc(old, size);
    if (p != NULL) {
      Remove(old);
      Track(p);
    }
  }
  Unlock();
  if (p == NULL) errno = ENOMEM;
  return p;
}

void free(void* p) {
  if (p == NULL) return;
  Lock();
  Remove(p);
  Unlock();
  __libc_free(p);
}

void* memalign(size_t alignment, size_t size) {
  void* p = NULL;
  Lock();
  if (!Fault()) p = Track(__libc_memalign(alignment, size));
  Unlock();
  if (p == NULL) errno = ENOMEM;
  return p;
}

void* aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }

int posix_memalign(void** out, size_t alignment, size_t size) {
  void* p = memalign(alignment, size);
  if (p == NULL) return ENOMEM;
  *out = p;
  return 0;
}

static void Arm(long n) {
  Lock();
  fired = 0;
  live = 0;
  tracked = 0;
  memset(table, 0, sizeof table);
  tracking = 1;
  countdown = n;
  Unlock();
}

/* Stops failing allocations (the results are still tracked until Untrack). */
static void Disarm(void) {
  Lock();
  countdown = -1;
  Unlock();
}

static void Untrack(void) {
  Lock();
  tracking = 0;
  Unlock();
}

/* ---- The data ------------------------------------------------------------------ */

#define NO GDPRKIT_NO_DATE

static gdprkit_policy* policy; /* practio.textproto */
static gdprkit_retention_schedule* schedule;
static char dir[256];          /* temporary files of this run */
static char log_template[300]; /* a log with two entries */

/* Sweep input: n rows cycling through four records of practio (patient
 * record with a hold on row 0, legal claim, research contact, newsletter). */
enum { kEvents = 6, kSmall = 8, kLarge = 2 * 65536 + 8 };
static const char* const kNames[kEvents] = {"collection",      "last_entry",
                                            "last_processing", "consent_withdrawn",
                                            "sending_stopped", "subscription_ended"};
static const char* const kSelectors[4] = {"patient-record+legal-claims", "legal-claims",
                                          "research-contact", "newsletter"};

struct data {
  size_t n;
  int32_t* selector;
  int32_t* ev[kEvents];
  const int32_t* ev_const[kEvents];
  const char** ids;
  char* id_text;
  int32_t hold_record[1], hold_start[1], hold_end[1];
  gdprkit_sweep_input in;
  /* output columns, and the answer of a fault-free sweep */
  uint8_t* status;
  int32_t* due;
  int32_t* rule;
  int32_t* anchor;
  uint8_t* reason;
  int32_t* hold;
  gdprkit_sweep_columns cols;
  uint8_t* want_status;
  int32_t* want_due;
};

static struct data valid_small, invalid_small, invalid_large;

static int32_t Day(const char* text) {
  int32_t d = NO;
  CHECK_OK(gdprkit_date_parse(&d, text));
  return d;
}

/* Allocated before any fault is armed (and before the children fork). */
static void MakeData(struct data* d, size_t n, int invalid) {
  size_t i;
  int c;
  gdprkit_sweep_input init = GDPRKIT_SWEEP_INPUT_INIT;
  gdprkit_sweep_columns cinit = GDPRKIT_SWEEP_COLUMNS_INIT;
  const int32_t c0 = Day("2015-01-01"), c1 = Day("2018-01-01"), c2 = Day("2019-05-05"),
                c3 = Day("2022-01-01"), e0 = Day("2019-03-01"), p = Day("2020-06-15"),
                w = Day("2021-09-14"), bad = Day("2010-01-01");
  d->n = n;
  d->selector = (int32_t*)malloc(n * sizeof(int32_t));
  for (c = 0; c < kEvents; ++c) {
    d->ev[c] = (int32_t*)malloc(n * sizeof(int32_t));
    d->ev_const[c] = d->ev[c];
  }
  d->ids = (const char**)malloc(n * sizeof(const char*));
  d->id_text = (char*)malloc(n * 16);
  for (i = 0; i < n; ++i) {
    const int k = (int)(i % 4);
    d->selector[i] = k;
    for (c = 0; c < kEvents; ++c) d->ev[c][i] = NO;
    d->ev[0][i] = k == 0 ? c0 : k == 1 ? c1 : k == 2 ? c2 : c3;
    if (k == 0) d->ev[1][i] = e0;
    if (k <= 1) d->ev[2][i] = p;
    if (k == 2) d->ev[3][i] = w;
    snprintf(d->id_text + 16 * i, 16, "rec-%lu", (unsigned long)i);
    d->ids[i] = d->id_text + 16 * i;
  }
  if (invalid) {
    /* Events before collection: every 1000th row from 5 on. */
    for (i = 5; i < n; i += 1000) d->ev[3][i] = bad;
  }
  d->hold_record[0] = 0;
  d->hold_start[0] = Day("2028-01-01");
  d->hold_end[0] = NO;
  d->in = init;
  d->in.count = n;
  d->in.selectors = kSelectors;
  d->in.selector_count = 4;
  d->in.selector = d->selector;
  d->in.record_ids = d->ids;
  d->in.event_names = kNames;
  d->in.event_days = d->ev_const;
  d->in.event_count = kEvents;
  d->in.hold_record = d->hold_record;
  d->in.hold_start = d->hold_start;
  d->in.hold_end = d->hold_end;
  d->in.hold_count = 1;
  d->status = (uint8_t*)malloc(n);
  d->due = (int32_t*)malloc(n * sizeof(int32_t));
  d->rule = (int32_t*)malloc(n * sizeof(int32_t));
  d->anchor = (int32_t*)malloc(n * sizeof(int32_t));
  d->reason = (uint8_t*)malloc(n);
  d->hold = (int32_t*)malloc(n * sizeof(int32_t));
  d->want_status = (uint8_t*)malloc(n);
  d->want_due = (int32_t*)malloc(n * sizeof(int32_t));
  d->cols = cinit;
  d->cols.status = d->status;
  d->cols.due_date = d->due;
  d->cols.rule = d->rule;
  d->cols.anchor = d->anchor;
  d->cols.reason = d->reason;
  d->cols.hold = d->hold;
}

static void FillColumns(struct data* d) {
  memset(d->status, 0x5a, d->n);
  memset(d->due, 0x5a, d->n * sizeof(int32_t));
  memset(d->rule, 0x5a, d->n * sizeof(int32_t));
  memset(d->anchor, 0x5a, d->n * sizeof(int32_t));
  memset(d->reason, 0x5a, d->n);
  memset(d->hold, 0x5a, d->n * sizeof(int32_t));
}

/* 1 when every output row is "invalid, no answer". */
static int AllInvalid(const struct data* d) {
  size_t i;
  for (i = 0; i < d->n; ++i) {
    if (d->status[i] != GDPRKIT_RETENTION_INVALID || d->due[i] != NO || d->rule[i] != -1 ||
        d->anchor[i] != -1 || d->reason[i] != GDPRKIT_REASON_INVALID_INPUT || d->hold[i] != -1) {
      fprintf(stderr, "row %lu of %lu is not \"invalid\" after a failed sweep\n", (unsigned long)i,
              (unsigned long)d->n);
      return 0;
    }
  }
  return 1;
}

static void Remember(struct data* d) {
  memcpy(d->want_status, d->status, d->n);
  memcpy(d->want_due, d->due, d->n * sizeof(int32_t));
}

static int AsRemembered(const struct data* d) {
  return memcmp(d->want_status, d->status, d->n) == 0 &&
         memcmp(d->want_due, d->due, d->n * sizeof(int32_t)) == 0;
}

/* ---- Files ----------------------------------------------------------------------- */

/* The whole file into a malloc'd buffer (*size bytes), or NULL if missing. */
static char* Slurp(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  char* buf = NULL;
  size_t cap = 0, len = 0, got;
  *size = 0;
  if (f == NULL) return NULL;
  do {
    if (len + 4096 > cap) {
      cap = 2 * cap + 4096;
      buf = (char*)realloc(buf, cap);
    }
    got = fread(buf + len, 1, cap - len, f);
    len += got;
  } while (got > 0);
  fclose(f);
  *size = len;
  return buf;
}

static int CopyFile(const char* from, const char* to) {
  size_t size = 0;
  char* buf = Slurp(from, &size);
  FILE* f;
  int ok;
  if (buf == NULL) return 0;
  f = fopen(to, "wb");
  ok = f != NULL && fwrite(buf, 1, size, f) == size;
  if (f != NULL) ok = fclose(f) == 0 && ok;
  free(buf);
  chmod(to, 0600);
  return ok;
}

/* The log at `path` verifies intact with `entries` entries. */
static int Intact(const char* path, int64_t entries, const gdprkit_deletion_log_options* options) {
  gdprkit_deletion_log_verification* v = NULL;
  gdprkit_deletion_log_check c = GDPRKIT_DELETION_LOG_CHECK_INIT;
  int ok = gdprkit_deletion_log_verify(&v, path, options, NULL) == GDPRKIT_OK &&
           gdprkit_deletion_log_verification_get(&c, v) == GDPRKIT_OK && c.intact == 1 &&
           (entries < 0 || c.entries == entries);
  if (!ok) {
    fprintf(stderr, "log %s: intact %d, %ld entries (want %ld), problem: %s; %s\n", path, c.intact,
            (long)c.entries, (long)entries, c.problem ? c.problem : "", gdprkit_last_error());
  }
  gdprkit_deletion_log_verification_free(v);
  return ok;
}

static const unsigned char kKey[32] = "0123456789abcdef0123456789abcdef";

/* ---- The steps ------------------------------------------------------------------ */

enum step {
  kAddPeriod,
  kAddPeriodBad,
  kAddPeriodDays,
  kAddPeriodDaysBad,
  kScheduleNew,
  kSweepFail,
  kSweepFailInvalid,
  kSweepReport,
  kSweepReportThreads,
  kSweepFailThreads,
  kReportErrorGet,
  kExplain,
  kExplainInvalid,
  kLogOpenNew,
  kLogOpenNewKeyed,
  kLogOpenExisting,
  kLogAppend,
  kLogAppendKeyed,
  kLogAppendBad,
  kLogHead,
  kLogVerify,
  kSteps
};
static const char* const kStepNames[kSteps] = {
    "add_period",          "add_period_bad",   "add_period_days",
    "add_period_days_bad", "schedule_new",     "sweep_fail",
    "sweep_fail_invalid",  "sweep_report",     "sweep_report_threads",
    "sweep_fail_threads",  "report_error_get", "explain",
    "explain_invalid",     "log_open_new",     "log_open_new_keyed",
    "log_open_existing",   "log_append",       "log_append_keyed",
    "log_append_bad",      "log_head",         "log_verify"};

/* Outcome of one child run (its exit code). */
enum { kNotReached = 0, kFailedChecks = 1, kExhausted = 2, kAbsorbed = 3 };

/* Checks the status of a call that ran with allocation n failing: OK or
 * `other` (what it gives without a fault) or RESOURCE_EXHAUSTED, and a
 * message on failure. Returns 1 if the status is a failure. */
static int CheckStatus(enum step s, long n, gdprkit_status got, gdprkit_status other) {
  ++test_checks;
  if (got != other && got != GDPRKIT_RESOURCE_EXHAUSTED && got != GDPRKIT_OK) {
    ++test_failures;
    fprintf(stderr, "%s, allocation %ld: returned %s: %s\n", kStepNames[s], n,
            gdprkit_status_name(got), gdprkit_last_error());
  }
  ++test_checks;
  if (got != GDPRKIT_OK && gdprkit_last_error()[0] == '\0') {
    ++test_failures;
    fprintf(stderr, "%s, allocation %ld: failed without a message\n", kStepNames[s], n);
  }
  return got != GDPRKIT_OK;
}

/* Runs step s with allocation n failing (none for n < 0) and checks it.
 * Returns the status. */
static gdprkit_status RunStep(enum step s, long n) {
  gdprkit_status st = GDPRKIT_OK;
  gdprkit_status other = GDPRKIT_OK; /* the status without a fault */
  char text[GDPRKIT_DATE_TEXT_SIZE];
  char head[GDPRKIT_DELETION_LOG_HASH_SIZE];
  int32_t days[3], days_before[3];
  gdprkit_retention_schedule* sched = NULL;
  gdprkit_sweep_report* report = NULL;
  gdprkit_sweep_options opts = GDPRKIT_SWEEP_OPTIONS_INIT;
  gdprkit_sweep_error err = GDPRKIT_SWEEP_ERROR_INIT;
  gdprkit_deletion_log* log = NULL;
  gdprkit_deletion_log_verification* ver = NULL;
  gdprkit_deletion_log_check check = GDPRKIT_DELETION_LOG_CHECK_INIT;
  gdprkit_deletion_log_options keyed = GDPRKIT_DELETION_LOG_OPTIONS_INIT;
  const gdprkit_deletion_log_options* log_options = NULL;
  char* explained = NULL;
  char path[400];
  char* before = NULL;
  size_t before_size = 0;
  int64_t last_seq = -1;
  struct data* d = NULL;
  int failed;
  int64_t entries_before = 0;
  static const char* const kIds[2] = {"oom-a", "oom-b"};
  static const char* const kRules[2] = {"legal-claims-5-years-after-last-processing", NULL};
  static const int64_t kAt[2] = {1760000000, 1760000001};
  static const char* const kBadIds[2] = {"oom-c", "0101701234"}; /* CPR-shaped: refused */
  int32_t due_dates[2];

  keyed.key = kKey;
  keyed.key_size = sizeof kKey;
  keyed.sync = 0;
  due_dates[0] = Day("2025-06-15");
  due_dates[1] = NO;
  days[0] = Day("2024-02-29");
  days[1] = NO;
  days[2] = Day("2025-11-30");
  memcpy(days_before, days, sizeof days);
  snprintf(path, sizeof path, "%s/log-%ld-%d", dir, (long)getpid(), (int)s);

  /* Set-up, without faults. */
  switch (s) {
    case kSweepFail:
    case kExplain:
      d = &valid_small;
      break;
    case kSweepFailInvalid:
    case kSweepReport:
    case kExplainInvalid:
      d = &invalid_small;
      break;
    case kSweepReportThreads:
    case kSweepFailThreads:
      d = &invalid_large;
      break;
    case kReportErrorGet:
      d = &invalid_small;
      opts.on_invalid = GDPRKIT_ON_INVALID_REPORT;
      CHECK_OK(
          gdprkit_retention_sweep(&report, &d->cols, schedule, &d->in, Day("2026-01-01"), &opts));
      break;
    case kLogOpenNewKeyed:
      log_options = &keyed;
      break;
    case kLogOpenExisting:
    case kLogAppend:
    case kLogAppendBad:
    case kLogHead:
      CHECK(CopyFile(log_template, path));
      if (s != kLogOpenExisting) CHECK_OK(gdprkit_deletion_log_open(&log, path, NULL));
      break;
    case kLogAppendKeyed:
      log_options = &keyed;
      CHECK_OK(gdprkit_deletion_log_open(&log, path, &keyed));
      break;
    case kLogVerify:
      CHECK(CopyFile(log_template, path));
      break;
    default:
      break;
  }
  if (d != NULL) FillColumns(d);
  if (log != NULL) entries_before = gdprkit_deletion_log_entries(log);
  if (log != NULL || s == kLogOpenExisting || s == kLogVerify) before = Slurp(path, &before_size);

  Arm(n);
  switch (s) {
    case kAddPeriod:
      memset(text, 'x', sizeof text);
      st = gdprkit_add_period(text, sizeof text, "2025-11-30", "P15M");
      break;
    case kAddPeriodBad:
      other = GDPRKIT_INVALID_ARGUMENT;
      memset(text, 'x', sizeof text);
      st = gdprkit_add_period(text, sizeof text, "2025-02-30", "P1M");
      break;
    case kAddPeriodDays:
      st = gdprkit_add_period_days(days, days, 3, "P15M");
      break;
    case kAddPeriodDaysBad:
      other = GDPRKIT_INVALID_ARGUMENT;
      st = gdprkit_add_period_days(days, days, 3, "P1.5Y");
      break;
    case kScheduleNew:
      st = gdprkit_retention_schedule_new(&sched, policy);
      break;
    case kSweepFail:
      st = gdprkit_retention_sweep(&report, &d->cols, schedule, &d->in, Day("2026-01-01"), NULL);
      break;
    case kSweepFailInvalid:
    case kSweepFailThreads:
      other = GDPRKIT_INVALID_ARGUMENT;
      opts.threads = s == kSweepFailThreads ? 2 : 1;
      st = gdprkit_retention_sweep(&report, &d->cols, schedule, &d->in, Day("2026-01-01"), &opts);
      break;
    case kSweepReport:
    case kSweepReportThreads:
      opts.on_invalid = GDPRKIT_ON_INVALID_REPORT;
      opts.threads = s == kSweepReportThreads ? 2 : 1;
      st = gdprkit_retention_sweep(&report, &d->cols, schedule, &d->in, Day("2026-01-01"), &opts);
      break;
    case kReportErrorGet:
      st = gdprkit_sweep_report_error_get(&err, report, 0);
      break;
    case kExplain:
      st = gdprkit_retention_explain(&explained, schedule, &d->in, 0, Day("2026-01-01"));
      break;
    case kExplainInvalid:
      other = GDPRKIT_INVALID_ARGUMENT;
      st = gdprkit_retention_explain(&explained, schedule, &d->in, 5, Day("2026-01-01"));
      break;
    case kLogOpenNew:
    case kLogOpenNewKeyed:
    case kLogOpenExisting:
      st = gdprkit_deletion_log_open(&log, path, log_options);
      break;
    case kLogAppend:
    case kLogAppendKeyed:
      st = gdprkit_deletion_log_append(&last_seq, log, kIds, kRules, due_dates, kAt, 2);
      break;
    case kLogAppendBad:
      other = GDPRKIT_INVALID_ARGUMENT;
      st = gdprkit_deletion_log_append(&last_seq, log, kBadIds, kRules, due_dates, kAt, 2);
      break;
    case kLogHead:
      memset(head, 'x', sizeof head);
      st = gdprkit_deletion_log_head(head, sizeof head, log);
      break;
    case kLogVerify:
      st = gdprkit_deletion_log_verify(&ver, path, NULL, NULL);
      break;
    default:
      break;
  }
  Disarm();
  failed = CheckStatus(s, n, st, other);

  /* The failure state of the out-parameters, and the right answers where
   * the call succeeded (before anything is released). */
  switch (s) {
    case kAddPeriod:
    case kAddPeriodBad:
      if (failed) CHECK(text[0] == '\0');
      if (!failed) CHECK_STREQ(text, "2027-02-28");
      break;
    case kAddPeriodDays:
    case kAddPeriodDaysBad:
      if (failed) CHECK(memcmp(days, days_before, sizeof days) == 0); /* nothing written */
      if (!failed) CHECK(days[1] == NO && days[2] == Day("2027-02-28"));
      break;
    case kScheduleNew:
      if (failed) CHECK(sched == NULL);
      if (!failed)
        CHECK(gdprkit_retention_schedule_rule_count(sched) ==
              gdprkit_retention_schedule_rule_count(schedule));
      break;
    case kSweepFail:
    case kSweepFailInvalid:
    case kSweepFailThreads:
    case kSweepReport:
    case kSweepReportThreads:
      if (failed) CHECK(report == NULL);
      if (failed) CHECK(AllInvalid(d));
      if (!failed) CHECK(report != NULL && AsRemembered(d));
      break;
    case kReportErrorGet:
      if (failed) CHECK(err.record_id == NULL && err.text == NULL && err.row == 0);
      if (!failed) CHECK(err.row == 5 && err.text != NULL && strstr(err.text, "rec-5") != NULL);
      break;
    case kExplain:
    case kExplainInvalid:
      if (failed) CHECK(explained == NULL);
      if (!failed) CHECK(explained != NULL && strstr(explained, "2029-03-01") != NULL);
      break;
    case kLogOpenNew:
    case kLogOpenNewKeyed:
    case kLogOpenExisting:
      if (failed) CHECK(log == NULL);
      if (!failed)
        CHECK(log != NULL && gdprkit_deletion_log_entries(log) == (s == kLogOpenExisting ? 2 : 0));
      break;
    case kLogAppend:
    case kLogAppendKeyed:
    case kLogAppendBad:
      if (failed) CHECK(last_seq == 0);
      if (failed) CHECK(gdprkit_deletion_log_entries(log) == entries_before);
      if (!failed) CHECK(last_seq == entries_before + 2);
      break;
    case kLogHead:
      if (failed) CHECK(head[0] == '\0');
      if (!failed) CHECK(strlen(head) == 64);
      break;
    case kLogVerify:
      if (failed) CHECK(ver == NULL);
      if (!failed) {
        CHECK_OK(gdprkit_deletion_log_verification_get(&check, ver));
        CHECK(check.intact == 1 && check.entries == 2);
      }
      break;
    default:
      break;
  }

  /* Release the results, still tracked: whatever is left is a leak. */
  gdprkit_retention_schedule_free(sched);
  sched = NULL;
  if (s != kReportErrorGet) {
    gdprkit_sweep_report_free(report);
    report = NULL;
  }
  gdprkit_retention_string_free(explained);
  gdprkit_deletion_log_verification_free(ver);
  if (s == kLogOpenNew || s == kLogOpenNewKeyed || s == kLogOpenExisting) {
    gdprkit_deletion_log_free(log);
    log = NULL;
  }
  Untrack();
  ++test_checks;
  if (check_leaks && live != 0) {
    ++test_failures;
    fprintf(stderr, "%s, allocation %ld (%s): %ld of %ld allocations leaked\n", kStepNames[s], n,
            gdprkit_status_name(st), live, tracked);
  }

  /* Files: a failed append leaves the log as it was, and it takes the next
   * append; a failed open leaves a log that opens. */
  if (before != NULL) {
    size_t after_size = 0;
    char* after = Slurp(path, &after_size);
    if (failed) {
      ++test_checks;
      if (after == NULL || after_size != before_size || memcmp(after, before, after_size) != 0) {
        ++test_failures;
        fprintf(stderr, "%s, allocation %ld: the log changed (%lu -> %lu bytes) after %s\n",
                kStepNames[s], n, (unsigned long)before_size, (unsigned long)after_size,
                gdprkit_status_name(st));
      }
    }
    free(after);
    free(before);
  }
  if (s == kLogAppend || s == kLogAppendKeyed || s == kLogAppendBad) {
    if (failed) {
      CHECK_OK(gdprkit_deletion_log_append(&last_seq, log, kIds, kRules, due_dates, kAt, 2));
      CHECK(last_seq == entries_before + 2);
    }
    CHECK(Intact(path, s == kLogAppendBad && !failed ? entries_before : entries_before + 2,
                 log_options));
  }
  if (s == kLogOpenNew || s == kLogOpenNewKeyed || s == kLogOpenExisting) {
    /* Whatever a failed open left, the log opens now (a half-written header
     * would not). */
    CHECK_OK(gdprkit_deletion_log_open(&log, path, log_options));
    CHECK(gdprkit_deletion_log_entries(log) == (s == kLogOpenExisting ? 2 : 0));
    CHECK(Intact(path, s == kLogOpenExisting ? 2 : 0, log_options));
  }
  if (s == kLogHead || s == kLogVerify || s == kLogOpenExisting) CHECK(Intact(path, 2, NULL));
  gdprkit_sweep_report_free(report);
  gdprkit_deletion_log_free(log);
  unlink(path);
  return st;
}

/* ---- Driver ------------------------------------------------------------------------ */

static int Selected(int argc, char** argv, enum step s) {
  int i;
  if (argc <= 1) return 1;
  for (i = 1; i < argc; ++i) {
    if (strcmp(argv[i], kStepNames[s]) == 0) return 1;
  }
  return 0;
}

static void SetUp(void) {
  char policy_path[1024];
  gdprkit_sweep_options opts = GDPRKIT_SWEEP_OPTIONS_INIT;
  gdprkit_sweep_report* report = NULL;
  gdprkit_deletion_log* log = NULL;
  static const char* const kIds[2] = {"template-a", "template-b"};
  static const int64_t kAt[2] = {1750000000, 1750000001};
  int64_t seq = 0;

  snprintf(policy_path, sizeof policy_path, "%s/policies/practio.textproto", GDPRKIT_EXAMPLES_DIR);
  CHECK_OK(gdprkit_policy_load_file(&policy, policy_path, GDPRKIT_FORMAT_AUTO));
  CHECK_OK(gdprkit_retention_schedule_new(&schedule, policy));

  MakeData(&valid_small, kSmall, 0);
  MakeData(&invalid_small, kSmall, 1);
  MakeData(&invalid_large, kLarge, 1);

  /* The fault-free answers (and first-use initialisation done before the
   * children fork). */
  FillColumns(&valid_small);
  CHECK_OK(gdprkit_retention_sweep(&report, &valid_small.cols, schedule, &valid_small.in,
                                   Day("2026-01-01"), NULL));
  gdprkit_sweep_report_free(report);
  Remember(&valid_small);
  opts.on_invalid = GDPRKIT_ON_INVALID_REPORT;
  FillColumns(&invalid_small);
  CHECK_OK(gdprkit_retention_sweep(&report, &invalid_small.cols, schedule, &invalid_small.in,
                                   Day("2026-01-01"), &opts));
  CHECK(gdprkit_sweep_report_error_count(report) == 1);
  gdprkit_sweep_report_free(report);
  Remember(&invalid_small);
  opts.threads = 2;
  FillColumns(&invalid_large);
  CHECK_OK(gdprkit_retention_sweep(&report, &invalid_large.cols, schedule, &invalid_large.in,
                                   Day("2026-01-01"), &opts));
  CHECK(gdprkit_sweep_report_error_count(report) == 100);
  gdprkit_sweep_report_free(report);
  Remember(&invalid_large);

  snprintf(dir, sizeof dir, "%s", "/tmp/gdprkit-retention-oom-XXXXXX");
  CHECK(mkdtemp(dir) != NULL);
  snprintf(log_template, sizeof log_template, "%s/template.log", dir);
  CHECK_OK(gdprkit_deletion_log_open(&log, log_template, NULL));
  CHECK_OK(gdprkit_deletion_log_append(&seq, log, kIds, NULL, NULL, kAt, 2));
  CHECK(seq == 2);
  gdprkit_deletion_log_free(log);
}

int main(int argc, char** argv) {
  int s;
  long total_runs = 0;
  long crashed = 0;

  printf("retention_oom_test: ");
  fflush(stdout);
  SetUp();
  if (test_failures != 0) return test_report("retention_oom_test (set-up)");
  /* Each step once without faults, in this process: a step that does not
   * pass without faults would make every other report meaningless. The
   * first time without counting leaks: the thread's last-error string grows
   * to hold the longest message, once. */
  check_leaks = 0;
  for (s = 0; s < kSteps; ++s) {
    if (Selected(argc, argv, (enum step)s)) RunStep((enum step)s, -1);
  }
  check_leaks = 1;
  for (s = 0; s < kSteps; ++s) {
    if (Selected(argc, argv, (enum step)s)) RunStep((enum step)s, -1);
  }
  if (test_failures != 0) return test_report("retention_oom_test (without faults)");
  printf("\n");

  for (s = 0; s < kSteps && crashed < 5; ++s) {
    long n;
    long reported = 0;
    if (!Selected(argc, argv, (enum step)s)) continue;
    for (n = 0; n < 100000; ++n) {
      pid_t pid;
      int status = 0;
      fflush(NULL);
      pid = fork();
      if (pid < 0) return 2;
      if (pid == 0) {
        const gdprkit_status st = RunStep((enum step)s, n);
        fflush(NULL);
        _exit(test_failures != 0                 ? kFailedChecks
              : !fired                           ? kNotReached
              : st == GDPRKIT_RESOURCE_EXHAUSTED ? kExhausted
                                                 : kAbsorbed);
      }
      if (waitpid(pid, &status, 0) != pid) return 2;
      ++total_runs;
      ++test_checks;
      if (WIFSIGNALED(status)) {
        ++test_failures;
        ++crashed;
        fprintf(stderr, "%s, allocation %ld: crashed with signal %d\n", kStepNames[s], n,
                WTERMSIG(status));
        break; /* the next allocations of this step would crash the same way */
      }
      if (WEXITSTATUS(status) == kFailedChecks) {
        ++test_failures;
        continue;
      }
      if (WEXITSTATUS(status) == kNotReached) break; /* the call made fewer than n+1 */
      if (WEXITSTATUS(status) == kExhausted) ++reported;
    }
    printf("  %-22s %5ld allocations failed in turn, %5ld runs reported RESOURCE_EXHAUSTED\n",
           kStepNames[s], n, reported);
    /* Every step that allocates reports some failures as statuses. */
    if (n > 0) CHECK(reported > 0);
  }
  printf("%ld runs, %ld crashed\n", total_runs, crashed);
  rmdir(dir);
  return test_report("retention_oom_test");
}

#else /* no glibc, or a sanitizer */

int main(void) {
  (void)test_report;
  (void)test_failures;
  (void)test_checks;
  printf("retention_oom_test: skipped (needs glibc malloc interposition, no sanitizer)\n");
  return 77;
}

#endif
