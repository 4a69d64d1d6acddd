/* Every (pointer, count) pair of the C ABI is checked before anything is
 * read or written through it (docs/conventions.md, "Arrays and counts").
 *
 * For each entry point that takes one: a NULL array with a count above 0,
 * and a count of SIZE_MAX with a real (small) array, must give
 * GDPRKIT_INVALID_ARGUMENT with a message naming the argument or the count;
 * the output arrays, filled with a sentinel beforehand, must be untouched;
 * out-parameters must be cleared; nothing may be written to files (no vault,
 * consent ledger or request register created, no deletion-log, audit,
 * consent or request entry). A broken check shows up
 * as a crash, a hang (a loop over SIZE_MAX rows) or a failed CHECK.
 * Compiled as C99 with -Wall -Wextra -pedantic -Werror against
 * include/gdprkit.h only. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gdprkit.h"
#include "test_util.h"

#define SENTINEL 0xA5
#define NO GDPRKIT_NO_DATE

static char g_dir[256];
static char g_huge[64]; /* "count is <SIZE_MAX>" for the messages */

static void path_in_dir(char* out, size_t size, const char* name) {
  snprintf(out, size, "%s/%s", g_dir, name);
}

static int file_exists(const char* path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* 1 when all `size` bytes at `p` still hold the sentinel. */
static int untouched(const void* p, size_t size) {
  const unsigned char* b = (const unsigned char*)p;
  size_t i;
  for (i = 0; i < size; ++i) {
    if (b[i] != SENTINEL) return 0;
  }
  return 1;
}

/* The message of a refused count: names the count and says it is too big. */
#define CHECK_HUGE(count_name)                                 \
  do {                                                         \
    char want_[128];                                           \
    snprintf(want_, sizeof want_, "%s%s", count_name, g_huge); \
    CHECK_ERROR_MENTIONS(want_);                               \
    CHECK_ERROR_MENTIONS("above the limit");                   \
  } while (0)

/* ---- Policies, suppression ---------------------------------------------------- */

static void test_bytes(void) {
  static const char kText[] = "controller { name: \"x\" }\n";
  gdprkit_policy* policy = (gdprkit_policy*)(void*)&g_dir;
  char* out = (char*)&g_dir;
  size_t out_len = 7;

  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_policy_load_bytes(&policy, NULL, 5, GDPRKIT_FORMAT_TEXTPROTO, "p"));
  CHECK_ERROR_MENTIONS("gdprkit_policy_load_bytes: argument data is NULL but len is 5");
  CHECK(policy == NULL);
  policy = (gdprkit_policy*)(void*)&g_dir;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_policy_load_bytes(&policy, kText, SIZE_MAX, GDPRKIT_FORMAT_TEXTPROTO, "p"));
  CHECK_ERROR_MENTIONS("gdprkit_policy_load_bytes");
  CHECK_HUGE("len");
  CHECK(policy == NULL);

  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_suppression_run(&out, &out_len, NULL, 9, GDPRKIT_SUPPRESSION_FORMAT_JSON));
  CHECK_ERROR_MENTIONS("gdprkit_suppression_run: argument request is NULL but request_len is 9");
  CHECK(out == NULL && out_len == 0);
  out = (char*)&g_dir;
  out_len = 7;
  CHECK_STATUS(
      GDPRKIT_INVALID_ARGUMENT,
      gdprkit_suppression_audit(&out, &out_len, "{}", SIZE_MAX, GDPRKIT_SUPPRESSION_FORMAT_JSON));
  CHECK_ERROR_MENTIONS("gdprkit_suppression_audit");
  CHECK_HUGE("request_len");
  CHECK(out == NULL && out_len == 0);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_suppression_audit(&out, &out_len, NULL, 9, GDPRKIT_SUPPRESSION_FORMAT_JSON));
  CHECK_ERROR_MENTIONS("argument request is NULL");
}

/* ---- Dates -------------------------------------------------------------------- */

static void test_dates(void) {
  char text[GDPRKIT_DATE_TEXT_SIZE];
  int32_t days[3] = {0, 1, 2};
  int32_t out[3];

  memset(text, SENTINEL, sizeof text);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_date_format(text, SIZE_MAX, 0));
  CHECK_ERROR_MENTIONS("gdprkit_date_format");
  CHECK_HUGE("out_size");
  CHECK(untouched(text, sizeof text));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_date_format(NULL, 16, 0));
  CHECK_ERROR_MENTIONS("argument out is NULL");

  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period(text, SIZE_MAX, "2025-01-01", "P1D"));
  CHECK_ERROR_MENTIONS("gdprkit_add_period");
  CHECK_HUGE("out_size");
  CHECK(untouched(text, sizeof text));

  memset(out, SENTINEL, sizeof out);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period_days(out, NULL, 3, "P1D"));
  CHECK_ERROR_MENTIONS("gdprkit_add_period_days: argument days is NULL but count is 3");
  CHECK(untouched(out, sizeof out));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period_days(NULL, days, 3, "P1D"));
  CHECK_ERROR_MENTIONS("argument out_days is NULL but count is 3");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period_days(out, days, SIZE_MAX, "P1D"));
  CHECK_HUGE("count");
  CHECK(untouched(out, sizeof out));
  /* A count that overflows count * 4 bytes, with real arrays. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_add_period_days(out, days, SIZE_MAX / 4 + 1, "P1D"));
  CHECK_ERROR_MENTIONS("above the limit");
  CHECK(untouched(out, sizeof out));
  /* Count 0 needs no arrays. */
  CHECK_OK(gdprkit_add_period_days(NULL, NULL, 0, "P1D"));
}

/* ---- Sweeps ------------------------------------------------------------------- */

typedef struct Sweep {
  const char* selectors[1];
  int32_t selector[3];
  const char* ids[3];
  int32_t collection[3];
  int32_t ended[3];
  const char* names[2];
  const int32_t* days[2];
  int32_t hold_record[1], hold_start[1], hold_end[1];
  gdprkit_sweep_input in;
  uint8_t status[3];
  int32_t due[3], rule[3], anchor[3], hold[3];
  uint8_t reason[3];
  gdprkit_sweep_columns cols;
} Sweep;

static void sweep_init(Sweep* s) {
  gdprkit_sweep_input in = GDPRKIT_SWEEP_INPUT_INIT;
  gdprkit_sweep_columns cols = GDPRKIT_SWEEP_COLUMNS_INIT;
  int i;
  memset(s, 0, sizeof *s);
  s->selectors[0] = "quality-advice-data";
  s->names[0] = "collection";
  s->names[1] = "provider_number_ended";
  for (i = 0; i < 3; ++i) {
    s->selector[i] = 0;
    s->collection[i] = 17956; /* 2019-03-01 */
    s->ended[i] = NO;
  }
  s->ids[0] = "a";
  s->ids[1] = "b";
  s->ids[2] = "c";
  s->days[0] = s->collection;
  s->days[1] = s->ended;
  s->hold_record[0] = 0;
  s->hold_start[0] = 18000;
  s->hold_end[0] = NO;
  in.count = 3;
  in.selectors = s->selectors;
  in.selector_count = 1;
  in.selector = s->selector;
  in.record_ids = s->ids;
  in.event_names = s->names;
  in.event_days = s->days;
  in.event_count = 2;
  in.hold_record = s->hold_record;
  in.hold_start = s->hold_start;
  in.hold_end = s->hold_end;
  in.hold_count = 1;
  s->in = in;
  memset(s->status, SENTINEL, sizeof s->status);
  memset(s->due, SENTINEL, sizeof s->due);
  memset(s->rule, SENTINEL, sizeof s->rule);
  memset(s->anchor, SENTINEL, sizeof s->anchor);
  memset(s->hold, SENTINEL, sizeof s->hold);
  memset(s->reason, SENTINEL, sizeof s->reason);
  cols.status = s->status;
  cols.due_date = s->due;
  cols.rule = s->rule;
  cols.anchor = s->anchor;
  cols.reason = s->reason;
  cols.hold = s->hold;
  s->cols = cols;
}

static int columns_untouched(const Sweep* s) {
  return untouched(s->status, sizeof s->status) && untouched(s->due, sizeof s->due) &&
         untouched(s->rule, sizeof s->rule) && untouched(s->anchor, sizeof s->anchor) &&
         untouched(s->hold, sizeof s->hold) && untouched(s->reason, sizeof s->reason);
}

/* Runs the sweep on `s`, expecting it to refuse the arguments with a
 * message mentioning `needle` and to leave the columns untouched; and, when
 * the input itself is at fault, the same from explain (which takes no
 * columns). */
static void expect_refused(const gdprkit_retention_schedule* schedule, Sweep* s, const char* needle,
                           int line) {
  gdprkit_sweep_report* report = (gdprkit_sweep_report*)(void*)&g_dir;
  char* text = (char*)&g_dir;
  const int failures = test_failures;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_retention_sweep(&report, &s->cols, schedule, &s->in, 20000, NULL));
  CHECK_ERROR_MENTIONS("gdprkit_retention_sweep: ");
  CHECK_ERROR_MENTIONS(needle);
  CHECK(report == NULL);
  CHECK(columns_untouched(s));
  if (strncmp(needle, "columns.", 8) != 0) {
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_retention_explain(&text, schedule, &s->in, 0, 20000));
    CHECK_ERROR_MENTIONS("gdprkit_retention_explain: ");
    CHECK_ERROR_MENTIONS(needle);
    CHECK(text == NULL);
  }
  if (test_failures != failures) fprintf(stderr, "  (case at line %d)\n", line);
}

#define EXPECT_REFUSED(needle) expect_refused(schedule, &s, needle, __LINE__)

static void test_sweep(void) {
  char path[1024];
  gdprkit_policy* policy = NULL;
  gdprkit_retention_schedule* schedule = NULL;
  gdprkit_sweep_report* report = NULL;
  Sweep s;
  char want[128];

  snprintf(path, sizeof path, "%s/policies/kapsel.textproto", GDPRKIT_EXAMPLES_DIR);
  CHECK_OK(gdprkit_policy_load_file(&policy, path, GDPRKIT_FORMAT_AUTO));
  CHECK_OK(gdprkit_retention_schedule_new(&schedule, policy));
  gdprkit_policy_free(policy);
  if (schedule == NULL) return;

  /* The input as built works. */
  sweep_init(&s);
  CHECK_OK(gdprkit_retention_sweep(&report, &s.cols, schedule, &s.in, 20000, NULL));
  CHECK(s.status[0] == GDPRKIT_RETENTION_HELD && s.status[1] == GDPRKIT_RETENTION_KEPT);
  gdprkit_sweep_report_free(report);

  /* NULL input arrays with counts above 0. */
  sweep_init(&s);
  s.in.selector = NULL;
  EXPECT_REFUSED("input.selector is NULL but input.count is 3");
  sweep_init(&s);
  s.in.selectors = NULL;
  EXPECT_REFUSED("input.selectors is NULL but input.selector_count is 1");
  sweep_init(&s);
  s.in.event_names = NULL;
  EXPECT_REFUSED("input.event_names is NULL but input.event_count is 2");
  sweep_init(&s);
  s.in.event_days = NULL;
  EXPECT_REFUSED("input.event_days is NULL but input.event_count is 2");
  sweep_init(&s);
  s.days[1] = NULL;
  EXPECT_REFUSED("input.event_days[1] (provider_number_ended) is NULL but input.count is 3");
  sweep_init(&s);
  s.in.hold_record = NULL;
  EXPECT_REFUSED("input.hold_record is NULL but input.hold_count is 1");
  sweep_init(&s);
  s.in.hold_start = NULL;
  EXPECT_REFUSED("input.hold_start is NULL but input.hold_count is 1");
  sweep_init(&s);
  s.in.hold_end = NULL;
  EXPECT_REFUSED("input.hold_end is NULL but input.hold_count is 1");

  /* NULL output columns with count above 0 (hold is optional). */
  sweep_init(&s);
  s.cols.status = NULL;
  EXPECT_REFUSED("columns.status is NULL but input.count is 3");
  sweep_init(&s);
  s.cols.anchor = NULL;
  EXPECT_REFUSED("columns.anchor is NULL but input.count is 3");
  sweep_init(&s);
  s.cols.reason = NULL;
  EXPECT_REFUSED("columns.reason is NULL but input.count is 3");

  /* Issue #9, item 10: NULL output columns and count SIZE_MAX once looped
   * over 2^64 rows; now refused at once. Then every other count. */
  sweep_init(&s);
  s.in.count = SIZE_MAX;
  s.cols.status = NULL;
  s.cols.due_date = NULL;
  s.cols.rule = NULL;
  s.cols.anchor = NULL;
  s.cols.reason = NULL;
  s.cols.hold = NULL;
  snprintf(want, sizeof want, "input.count%s, above the limit of 2147483647", g_huge);
  EXPECT_REFUSED(want);
  sweep_init(&s);
  s.in.selector = NULL;
  s.in.record_ids = NULL;
  s.in.count = SIZE_MAX;
  EXPECT_REFUSED("input.selector is NULL but input.count is");
  sweep_init(&s);
  s.in.count = SIZE_MAX;
  snprintf(want, sizeof want, "input.count%s, above the limit of 2147483647", g_huge);
  EXPECT_REFUSED(want);
  sweep_init(&s);
  s.in.count = (size_t)INT32_MAX + 1;
  EXPECT_REFUSED("input.count is 2147483648, above the limit of 2147483647");
  sweep_init(&s);
  s.in.selector_count = SIZE_MAX;
  snprintf(want, sizeof want, "input.selector_count%s", g_huge);
  EXPECT_REFUSED(want);
  sweep_init(&s);
  s.in.event_count = SIZE_MAX;
  snprintf(want, sizeof want, "input.event_count%s", g_huge);
  EXPECT_REFUSED(want);
  /* More event columns than the schedule has events cannot be right. */
  sweep_init(&s);
  s.in.event_count = 3;
  EXPECT_REFUSED("input.event_count is 3, above the limit of 2");
  sweep_init(&s);
  s.in.hold_count = SIZE_MAX;
  snprintf(want, sizeof want, "input.hold_count%s", g_huge);
  EXPECT_REFUSED(want);

  gdprkit_retention_schedule_free(schedule);
}

/* ---- The deletion log ---------------------------------------------------------- */

static void test_deletion_log(void) {
  static const unsigned char kKey[32] = "0123456789abcdef0123456789abcdef";
  char path[512], head[GDPRKIT_DELETION_LOG_HASH_SIZE];
  gdprkit_deletion_log_options options = GDPRKIT_DELETION_LOG_OPTIONS_INIT;
  gdprkit_deletion_log* log = NULL;
  gdprkit_deletion_log_verification* v = (gdprkit_deletion_log_verification*)(void*)&g_dir;
  const char* ids[2] = {"rec-1", "rec-2"};
  const char* rules[2] = {"r", "r"};
  const int32_t due[2] = {20000, 20000};
  const int64_t at[2] = {1700000000, 1700000000};
  int64_t seq = 42;

  path_in_dir(path, sizeof path, "deletions.log");
  /* A key pointer that is NULL with a size, and a size no array has. */
  options.key_size = 32;
  log = (gdprkit_deletion_log*)(void*)&g_dir;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_deletion_log_open(&log, path, &options));
  CHECK_ERROR_MENTIONS("gdprkit_deletion_log_open: options.key is NULL but options.key_size is 32");
  CHECK(log == NULL);
  CHECK(!file_exists(path));
  options.key = kKey;
  options.key_size = SIZE_MAX;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_deletion_log_open(&log, path, &options));
  CHECK_HUGE("options.key_size");
  CHECK(!file_exists(path));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_deletion_log_verify(&v, path, &options, NULL));
  CHECK_ERROR_MENTIONS("gdprkit_deletion_log_verify");
  CHECK_HUGE("options.key_size");
  CHECK(v == NULL);

  options.key_size = sizeof kKey;
  CHECK_OK(gdprkit_deletion_log_open(&log, path, &options));
  CHECK_OK(gdprkit_deletion_log_append(&seq, log, ids, rules, due, at, 2));
  CHECK(seq == 2);

  seq = 42;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_deletion_log_append(&seq, log, NULL, rules, due, at, 2));
  CHECK_ERROR_MENTIONS("gdprkit_deletion_log_append: argument record_ids is NULL but count is 2");
  CHECK(seq == 0);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_deletion_log_append(&seq, log, ids, rules, due, NULL, 2));
  CHECK_ERROR_MENTIONS("argument deleted_at is NULL but count is 2");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_deletion_log_append(&seq, log, ids, rules, due, at, SIZE_MAX));
  CHECK_HUGE("count");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_deletion_log_append(&seq, log, ids, NULL, NULL, at, SIZE_MAX));
  CHECK_HUGE("count");
  /* Optional columns may be NULL with a count. */
  CHECK_OK(gdprkit_deletion_log_append(&seq, log, ids, NULL, NULL, at, 1));
  CHECK(seq == 3);
  CHECK(gdprkit_deletion_log_entries(log) == 3);

  memset(head, SENTINEL, sizeof head);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_deletion_log_head(head, SIZE_MAX, log));
  CHECK_ERROR_MENTIONS("gdprkit_deletion_log_head");
  CHECK_HUGE("out_size");
  CHECK(untouched(head, sizeof head));
  gdprkit_deletion_log_free(log);

  /* Nothing was appended by the refused calls. */
  CHECK_OK(gdprkit_deletion_log_verify(&v, path, &options, NULL));
  {
    gdprkit_deletion_log_check c = GDPRKIT_DELETION_LOG_CHECK_INIT;
    CHECK_OK(gdprkit_deletion_log_verification_get(&c, v));
    CHECK(c.intact == 1 && c.entries == 3);
  }
  gdprkit_deletion_log_verification_free(v);
  remove(path);
}

/* ---- Identifiers and the vault --------------------------------------------------- */

static const char kPass[] = "correct horse battery staple";

static gdprkit_vault_options vault_options(void) {
  gdprkit_vault_options o = GDPRKIT_VAULT_OPTIONS_INIT;
  o.actor = "c-arrays-test";
  o.kdf_cost = GDPRKIT_KDF_TESTS_ONLY;
  return o;
}

static void test_identifiers(void) {
  const char* values[3] = {"010203-1234", "3112991234", "x"};
  unsigned char problems[3];
  size_t rejected = 9;
  gdprkit_id_column* col = (gdprkit_id_column*)(void*)&g_dir;

  memset(problems, SENTINEL, sizeof problems);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, NULL, 3, NULL));
  CHECK_ERROR_MENTIONS("gdprkit_ids_check: argument values is NULL but count is 3");
  CHECK(rejected == 0);
  CHECK(untouched(problems, sizeof problems));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_ids_check(NULL, &rejected, GDPRKIT_ID_CPR, values, 3, NULL));
  CHECK_ERROR_MENTIONS("argument out_problems is NULL but count is 3");
  rejected = 9;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, values, SIZE_MAX, NULL));
  CHECK_HUGE("count");
  CHECK(rejected == 0);
  CHECK(untouched(problems, sizeof problems));
  /* Other refusals write nothing through out_problems either. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_ids_check(problems, &rejected, 99, values, 3, NULL));
  CHECK(untouched(problems, sizeof problems));
  CHECK_OK(gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, values, 3, NULL));
  CHECK(rejected == 1 && problems[0] == 0 && problems[2] != 0);

  memset(problems, SENTINEL, sizeof problems);
  rejected = 9;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_ids_normalize(&col, problems, &rejected, GDPRKIT_ID_CPR, NULL, 3, NULL));
  CHECK_ERROR_MENTIONS("gdprkit_ids_normalize: argument values is NULL but count is 3");
  CHECK(col == NULL && rejected == 0);
  CHECK(untouched(problems, sizeof problems));
  CHECK_STATUS(
      GDPRKIT_INVALID_ARGUMENT,
      gdprkit_ids_normalize(&col, problems, &rejected, GDPRKIT_ID_CPR, values, SIZE_MAX, NULL));
  CHECK_HUGE("count");
  CHECK(col == NULL && untouched(problems, sizeof problems));
  CHECK_STATUS(
      GDPRKIT_INVALID_ARGUMENT,
      gdprkit_ids_normalize(&col, NULL, &rejected, GDPRKIT_ID_CPR, values, SIZE_MAX, NULL));
  CHECK_HUGE("count");

  /* A wipe by a size no object has does nothing (it cannot report). */
  memset(problems, SENTINEL, sizeof problems);
  gdprkit_secure_wipe(problems, SIZE_MAX);
  CHECK(untouched(problems, sizeof problems));
  gdprkit_secure_wipe(problems, sizeof problems);
  CHECK(problems[0] == 0 && problems[2] == 0);
}

/* The audit trail's entry count, to show that refused calls log nothing. */
static uint64_t audit_entries(const gdprkit_vault* v) {
  uint64_t n = 0;
  CHECK_OK(gdprkit_vault_verify_audit(&n, NULL, v));
  return n;
}

static void test_vault(void) {
  const gdprkit_vault_options o = vault_options();
  const unsigned char key[GDPRKIT_HOST_KEY_BYTES] = {1, 2, 3};
  const char* values[3] = {"010203-1234", "3112991234", "0101001234"};
  const char* tokens[2] = {"tk_x", "tk_y"};
  unsigned char problems[3];
  char path[512], other[512];
  gdprkit_vault* v = (gdprkit_vault*)(void*)&g_dir;
  gdprkit_id_column* col = (gdprkit_id_column*)(void*)&g_dir;
  gdprkit_pseudonymizer* p = (gdprkit_pseudonymizer*)(void*)&g_dir;
  char* exported = NULL;
  size_t exported_len = 0;
  uint64_t entries;

  path_in_dir(path, sizeof path, "arrays.vault");
  path_in_dir(other, sizeof other, "never.vault");

  /* Secrets: NULL with a length, and SIZE_MAX; no file is made. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_create(&v, other, NULL, 5, &o));
  CHECK_ERROR_MENTIONS("gdprkit_vault_create: argument passphrase is NULL but passphrase_len is 5");
  CHECK(v == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_create(&v, other, (const unsigned char*)kPass, SIZE_MAX, &o));
  CHECK_HUGE("passphrase_len");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_create_with_key(&v, other, NULL, GDPRKIT_HOST_KEY_BYTES, &o));
  CHECK_ERROR_MENTIONS("gdprkit_vault_create_with_key: argument key is NULL but key_len is 32");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_create_with_key(&v, other, key, SIZE_MAX, &o));
  CHECK_HUGE("key_len");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_open(&v, other, NULL, 5, &o));
  CHECK_ERROR_MENTIONS("gdprkit_vault_open: argument passphrase is NULL");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_open(&v, other, (const unsigned char*)kPass, SIZE_MAX, &o));
  CHECK_HUGE("passphrase_len");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_open_with_key(&v, other, NULL, 32, &o));
  CHECK_ERROR_MENTIONS("gdprkit_vault_open_with_key: argument key is NULL");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_open_with_key(&v, other, key, SIZE_MAX, &o));
  CHECK_HUGE("key_len");
  CHECK(v == NULL);
  CHECK(!file_exists(other));

  CHECK_OK(gdprkit_vault_create(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  if (v == NULL) return;
  CHECK_OK(gdprkit_vault_create_domain(v, "clinic", NULL));
  entries = audit_entries(v);

  /* Batches: values NULL with a count, and SIZE_MAX; out_problems untouched. */
  memset(problems, SENTINEL, sizeof problems);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_pseudonymize(&col, problems, v, "clinic",
                                                                    GDPRKIT_ID_CPR, NULL, 3, NULL));
  CHECK_ERROR_MENTIONS("gdprkit_vault_pseudonymize: argument values is NULL but count is 3");
  CHECK(col == NULL && untouched(problems, sizeof problems));
  col = (gdprkit_id_column*)(void*)&g_dir;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_pseudonymize(&col, problems, v, "clinic", GDPRKIT_ID_CPR, values,
                                          SIZE_MAX, NULL));
  CHECK_HUGE("count");
  CHECK(col == NULL && untouched(problems, sizeof problems));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_tokenize(&col, problems, v, "clinic", GDPRKIT_ID_CPR, NULL, 3, NULL));
  CHECK_ERROR_MENTIONS("gdprkit_vault_tokenize: argument values is NULL but count is 3");
  CHECK(col == NULL && untouched(problems, sizeof problems));
  CHECK_STATUS(
      GDPRKIT_INVALID_ARGUMENT,
      gdprkit_vault_tokenize(&col, problems, v, "clinic", GDPRKIT_ID_CPR, values, SIZE_MAX, NULL));
  CHECK_HUGE("count");
  CHECK(col == NULL && untouched(problems, sizeof problems));
  CHECK_STATUS(
      GDPRKIT_INVALID_ARGUMENT,
      gdprkit_vault_tokenize(&col, NULL, v, "clinic", GDPRKIT_ID_CPR, values, SIZE_MAX, NULL));
  CHECK_HUGE("count");
  /* A batch refused by the core (a bad row) writes no problems either. */
  {
    const char* bad[3] = {"010203-1234", "300200-1234", "3112991234"};
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_vault_tokenize(&col, problems, v, "clinic", GDPRKIT_ID_CPR, bad, 3, NULL));
    CHECK(col == NULL && untouched(problems, sizeof problems));
  }

  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_reidentify(&col, v, "clinic", NULL, 2, "a reason"));
  CHECK_ERROR_MENTIONS("gdprkit_vault_reidentify: argument tokens is NULL but count is 2");
  CHECK(col == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_reidentify(&col, v, "clinic", tokens, SIZE_MAX, "a reason"));
  CHECK_HUGE("count");
  /* The refused re-identifications were not audited. */
  CHECK(audit_entries(v) == entries);
  CHECK_OK(gdprkit_vault_create_domain(v, "registry", NULL));
  entries = audit_entries(v);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_translate(&col, v, "clinic", "registry", NULL, 2, "a reason",
                                       GDPRKIT_TRANSLATE_TO_TOKEN));
  CHECK_ERROR_MENTIONS("gdprkit_vault_translate: argument tokens is NULL but count is 2");
  CHECK(col == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_translate(&col, v, "clinic", "registry", tokens, SIZE_MAX, "a reason",
                                       GDPRKIT_TRANSLATE_TO_TOKEN));
  CHECK_HUGE("count");
  CHECK(col == NULL);
  /* The refused translations were not audited. */
  CHECK(audit_entries(v) == entries);

  /* The pseudonymizer. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_pseudonymizer_from_exported_key(&p, NULL, 10));
  CHECK_ERROR_MENTIONS(
      "gdprkit_pseudonymizer_from_exported_key: argument text is NULL but len "
      "is 10");
  CHECK(p == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_pseudonymizer_from_exported_key(&p, "x", SIZE_MAX));
  CHECK_HUGE("len");
  CHECK(p == NULL);
  CHECK_OK(gdprkit_vault_export_pseudonym_key(&exported, &exported_len, v, "clinic", "a test"));
  CHECK_OK(gdprkit_pseudonymizer_from_exported_key(&p, exported, exported_len));
  gdprkit_secret_free(exported);
  if (p != NULL) {
    memset(problems, SENTINEL, sizeof problems);
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_pseudonymizer_pseudonymize(
                                               &col, problems, p, GDPRKIT_ID_CPR, NULL, 3, NULL));
    CHECK_ERROR_MENTIONS(
        "gdprkit_pseudonymizer_pseudonymize: argument values is NULL but count "
        "is 3");
    CHECK(col == NULL && untouched(problems, sizeof problems));
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_pseudonymizer_pseudonymize(&col, problems, p, GDPRKIT_ID_CPR, values,
                                                    SIZE_MAX, NULL));
    CHECK_HUGE("count");
    CHECK(col == NULL && untouched(problems, sizeof problems));
    CHECK_OK(
        gdprkit_pseudonymizer_pseudonymize(&col, problems, p, GDPRKIT_ID_CPR, values, 3, NULL));
    CHECK(problems[0] == 0 && problems[1] == 0 && problems[2] == 0);
    gdprkit_id_column_free(col);
    col = NULL;
    gdprkit_pseudonymizer_free(p);
  }
  gdprkit_vault_close(v);
}

/* ---- Consent and requests --------------------------------------------------------- */

static const char* const kSubjects[2] = {"tk_abcdefghijklmnopqrstuvwxyz234567",
                                         "tk_bbcdefghijklmnopqrstuvwxyz234567"};

static gdprkit_policy* practio(void) {
  char path[1024];
  gdprkit_policy* policy = NULL;
  snprintf(path, sizeof path, "%s/policies/practio.textproto", GDPRKIT_EXAMPLES_DIR);
  CHECK_OK(gdprkit_policy_load_file(&policy, path, GDPRKIT_FORMAT_AUTO));
  return policy;
}

/* Two "given" consents in research-contact, as columns. */
typedef struct Consents {
  const char* subjects[2];
  const char* purposes[2];
  uint8_t states[2];
  int64_t at[2];
  int32_t valid_until[2];
  const char* versions[2];
  const char* texts[2];
  const char* channels[2];
  const char* by[2];
  gdprkit_consent_records r;
} Consents;

static void consents_init(Consents* c) {
  gdprkit_consent_records r = GDPRKIT_CONSENT_RECORDS_INIT;
  int i;
  for (i = 0; i < 2; ++i) {
    c->subjects[i] = kSubjects[i];
    c->purposes[i] = "research-contact";
    c->states[i] = GDPRKIT_CONSENT_GIVEN;
    c->at[i] = 1767607200 + i; /* 2026-01-05T10:00:00Z */
    c->valid_until[i] = NO;
    c->versions[i] = "research-v3";
    c->texts[i] = "Du kan til enhver tid traekke dit samtykke tilbage.";
    c->channels[i] = "web";
    c->by[i] = "c-arrays-test";
  }
  r.count = 2;
  r.subjects = c->subjects;
  r.purposes = c->purposes;
  r.states = c->states;
  r.at = c->at;
  r.valid_until = c->valid_until;
  r.notice_versions = c->versions;
  r.notice_texts = c->texts;
  r.channels = c->channels;
  r.recorded_by = c->by;
  c->r = r;
}

/* Records `c`, expecting it refused with a message mentioning `needle` and
 * nothing appended. */
static void expect_record_refused(gdprkit_consent_ledger* ledger, Consents* c, const char* needle,
                                  int line) {
  const int failures = test_failures;
  const int64_t before = gdprkit_consent_ledger_entries(ledger);
  int64_t count = 42;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_record(&count, ledger, &c->r));
  CHECK_ERROR_MENTIONS("gdprkit_consent_ledger_record: ");
  CHECK_ERROR_MENTIONS(needle);
  CHECK(count == 0);
  CHECK(gdprkit_consent_ledger_entries(ledger) == before);
  if (test_failures != failures) fprintf(stderr, "  (case at line %d)\n", line);
}

#define EXPECT_RECORD_REFUSED(needle) expect_record_refused(ledger, &c, needle, __LINE__)

static void test_consent_ledger(void) {
  static const unsigned char kKey[32] = "0123456789abcdef0123456789abcdef";
  gdprkit_policy* policy = practio();
  gdprkit_consent_options options = GDPRKIT_CONSENT_OPTIONS_INIT;
  gdprkit_consent_ledger* ledger = (gdprkit_consent_ledger*)(void*)&g_dir;
  gdprkit_receipt_verification* rv = (gdprkit_receipt_verification*)(void*)&g_dir;
  char path[512], never[512], want[128];
  char text[GDPRKIT_CONSENT_HASH_SIZE];
  char digest[GDPRKIT_NOTICE_DIGEST_SIZE];
  uint8_t states[2];
  Consents c;
  if (policy == NULL) return;

  path_in_dir(path, sizeof path, "consent.db");
  path_in_dir(never, sizeof never, "never-consent.db");

  /* The key of the options: NULL with a size, and SIZE_MAX; no file is made. */
  options.key_size = 32;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_create(&ledger, never, policy, &options));
  CHECK_ERROR_MENTIONS(
      "gdprkit_consent_ledger_create: options.key is NULL but options.key_size is 32");
  CHECK(ledger == NULL);
  options.key = kKey;
  options.key_size = SIZE_MAX;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_create(&ledger, never, policy, &options));
  CHECK_HUGE("options.key_size");
  CHECK(ledger == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_open(&ledger, never, policy, &options));
  CHECK_ERROR_MENTIONS("gdprkit_consent_ledger_open");
  CHECK_HUGE("options.key_size");
  CHECK(!file_exists(never));

  /* The digest of a notice: text NULL with a size, SIZE_MAX sizes. */
  memset(digest, SENTINEL, sizeof digest);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_notice_digest(digest, SIZE_MAX, "x", 1));
  CHECK_ERROR_MENTIONS("gdprkit_notice_digest");
  CHECK_HUGE("out_size");
  CHECK(untouched(digest, sizeof digest));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_notice_digest(digest, sizeof digest, NULL, 3));
  CHECK_ERROR_MENTIONS("gdprkit_notice_digest: argument text is NULL but size is 3");
  CHECK_STREQ(digest, "");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_notice_digest(digest, sizeof digest, "x", SIZE_MAX));
  CHECK_HUGE("size");
  CHECK_STREQ(digest, "");

  options.key_size = sizeof kKey;
  CHECK_OK(gdprkit_consent_ledger_create(&ledger, path, policy, &options));
  if (ledger == NULL) {
    gdprkit_policy_free(policy);
    return;
  }
  consents_init(&c);
  {
    int64_t count = 0;
    CHECK_OK(gdprkit_consent_ledger_record(&count, ledger, &c.r));
    CHECK(count == 2);
  }

  /* Records: a count above the limit, then each required column NULL. */
  consents_init(&c);
  c.r.count = SIZE_MAX;
  snprintf(want, sizeof want, "records.count%s, above the limit of 2147483647", g_huge);
  EXPECT_RECORD_REFUSED(want);
  consents_init(&c);
  c.r.count = (size_t)INT32_MAX + 1;
  EXPECT_RECORD_REFUSED("records.count is 2147483648, above the limit of 2147483647");
  consents_init(&c);
  c.r.subjects = NULL;
  EXPECT_RECORD_REFUSED("records.subjects is NULL but records.count is 2");
  consents_init(&c);
  c.r.purposes = NULL;
  EXPECT_RECORD_REFUSED("records.purposes is NULL but records.count is 2");
  consents_init(&c);
  c.r.states = NULL;
  EXPECT_RECORD_REFUSED("records.states is NULL but records.count is 2");
  consents_init(&c);
  c.r.at = NULL;
  EXPECT_RECORD_REFUSED("records.at is NULL but records.count is 2");
  consents_init(&c);
  c.r.notice_versions = NULL;
  EXPECT_RECORD_REFUSED("records.notice_versions is NULL but records.count is 2");
  consents_init(&c);
  c.r.channels = NULL;
  EXPECT_RECORD_REFUSED("records.channels is NULL but records.count is 2");
  consents_init(&c);
  c.r.recorded_by = NULL;
  EXPECT_RECORD_REFUSED("records.recorded_by is NULL but records.count is 2");
  consents_init(&c);
  c.subjects[1] = NULL;
  EXPECT_RECORD_REFUSED("records.subjects[1] is NULL");
  /* Count 0 needs no arrays; the optional columns may be NULL with a count. */
  {
    gdprkit_consent_records empty = GDPRKIT_CONSENT_RECORDS_INIT;
    int64_t count = 42;
    CHECK_OK(gdprkit_consent_ledger_record(&count, ledger, &empty));
    CHECK(count == 0);
  }
  consents_init(&c);
  c.r.count = 1;
  c.r.valid_until = NULL;
  c.states[0] = GDPRKIT_CONSENT_WITHDRAWN;
  c.at[0] += 86400;
  {
    int64_t count = 0;
    CHECK_OK(gdprkit_consent_ledger_record(&count, ledger, &c.r));
    CHECK(count == 1);
  }
  CHECK(gdprkit_consent_ledger_entries(ledger) == 3);

  /* States: NULL arrays with a count, and counts above the limit; the
   * output untouched. */
  memset(states, SENTINEL, sizeof states);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_states(NULL, ledger, kSubjects, 2, "research-contact", 0));
  CHECK_ERROR_MENTIONS("gdprkit_consent_ledger_states: argument out_states is NULL but count is 2");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_states(states, ledger, NULL, 2, "research-contact", 0));
  CHECK_ERROR_MENTIONS("gdprkit_consent_ledger_states: argument subjects is NULL but count is 2");
  CHECK(untouched(states, sizeof states));
  CHECK_STATUS(
      GDPRKIT_INVALID_ARGUMENT,
      gdprkit_consent_ledger_states(states, ledger, kSubjects, SIZE_MAX, "research-contact", 0));
  CHECK_HUGE("count");
  CHECK(untouched(states, sizeof states));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_states(states, ledger, kSubjects, (size_t)INT32_MAX + 1,
                                             "research-contact", 0));
  CHECK_ERROR_MENTIONS("count is 2147483648, above the limit of 2147483647");
  CHECK(untouched(states, sizeof states));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_states_at(NULL, ledger, kSubjects, 2, "research-contact", 0));
  CHECK_ERROR_MENTIONS(
      "gdprkit_consent_ledger_states_at: argument out_states is NULL but count is 2");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_states_at(states, ledger, NULL, 2, "research-contact", 0));
  CHECK_ERROR_MENTIONS("argument subjects is NULL but count is 2");
  CHECK_STATUS(
      GDPRKIT_INVALID_ARGUMENT,
      gdprkit_consent_ledger_states_at(states, ledger, kSubjects, SIZE_MAX, "research-contact", 0));
  CHECK_ERROR_MENTIONS("gdprkit_consent_ledger_states_at");
  CHECK_HUGE("count");
  CHECK(untouched(states, sizeof states));
  CHECK_OK(gdprkit_consent_ledger_states(NULL, ledger, NULL, 0, "research-contact", 0));
  CHECK_OK(gdprkit_consent_ledger_states(states, ledger, kSubjects, 2, "research-contact",
                                         20600)); /* 2026-05-27 */
  CHECK(states[0] == GDPRKIT_CONSENT_WITHDRAWN && states[1] == GDPRKIT_CONSENT_GIVEN);

  /* Texts written into the caller's buffer. */
  memset(text, SENTINEL, sizeof text);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_head(text, SIZE_MAX, ledger));
  CHECK_ERROR_MENTIONS("gdprkit_consent_ledger_head");
  CHECK_HUGE("out_size");
  CHECK(untouched(text, sizeof text));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_public_key(text, SIZE_MAX, ledger));
  CHECK_ERROR_MENTIONS("gdprkit_consent_ledger_public_key");
  CHECK_HUGE("out_size");
  CHECK(untouched(text, sizeof text));

  /* Receipts: NULL text with a size, and SIZE_MAX. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_receipt_verify(&rv, NULL, 9, NULL));
  CHECK_ERROR_MENTIONS("gdprkit_consent_receipt_verify: argument receipt is NULL but size is 9");
  CHECK(rv == NULL);
  rv = (gdprkit_receipt_verification*)(void*)&g_dir;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_receipt_verify(&rv, "{}", SIZE_MAX, NULL));
  CHECK_HUGE("size");
  CHECK(rv == NULL);
  rv = (gdprkit_receipt_verification*)(void*)&g_dir;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_verify_receipt(&rv, ledger, NULL, 9));
  CHECK_ERROR_MENTIONS(
      "gdprkit_consent_ledger_verify_receipt: argument receipt is NULL but size is 9");
  CHECK(rv == NULL);
  rv = (gdprkit_receipt_verification*)(void*)&g_dir;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_verify_receipt(&rv, ledger, "{}", SIZE_MAX));
  CHECK_HUGE("size");
  CHECK(rv == NULL);

  /* Nothing was appended by the refused calls, and the chain is whole. */
  CHECK(gdprkit_consent_ledger_entries(ledger) == 3);
  {
    gdprkit_consent_verification* v = NULL;
    gdprkit_consent_check check = GDPRKIT_CONSENT_CHECK_INIT;
    CHECK_OK(gdprkit_consent_ledger_verify(&v, ledger, NULL));
    CHECK_OK(gdprkit_consent_verification_get(&check, v));
    CHECK(check.intact == 1 && check.entries == 3);
    gdprkit_consent_verification_free(v);
  }
  gdprkit_consent_ledger_free(ledger);
  gdprkit_policy_free(policy);
  remove(path);
}

static size_t requests_in(const gdprkit_request_register* reg) {
  gdprkit_requests* all = NULL;
  size_t n;
  CHECK_OK(gdprkit_request_register_list(&all, reg));
  n = gdprkit_requests_count(all);
  gdprkit_requests_free(all);
  return n;
}

/* Decides an erasure for `purposes`, expecting it refused with a message
 * mentioning `needle`. */
static void expect_decide_refused(const gdprkit_policy* policy,
                                  const gdprkit_subject_purpose* purposes, size_t count,
                                  const char* needle, int line) {
  const int failures = test_failures;
  gdprkit_decision* decision = (gdprkit_decision*)(void*)&g_dir;
  CHECK_STATUS(
      GDPRKIT_INVALID_ARGUMENT,
      gdprkit_request_decide(&decision, policy, GDPRKIT_REQUEST_ERASURE, purposes, count, 20600));
  CHECK_ERROR_MENTIONS("gdprkit_request_decide: ");
  CHECK_ERROR_MENTIONS(needle);
  CHECK(decision == NULL);
  if (test_failures != failures) fprintf(stderr, "  (case at line %d)\n", line);
}

static void test_requests(void) {
  static const unsigned char kKey[32] = "0123456789abcdef0123456789abcdef";
  gdprkit_policy* policy = practio();
  gdprkit_consent_options options = GDPRKIT_CONSENT_OPTIONS_INIT;
  gdprkit_request_register* reg = (gdprkit_request_register*)(void*)&g_dir;
  gdprkit_requests* rs = (gdprkit_requests*)(void*)&g_dir;
  gdprkit_new_request n = GDPRKIT_NEW_REQUEST_INIT;
  gdprkit_subject_purpose p[1] = {GDPRKIT_SUBJECT_PURPOSE_INIT};
  const char* purposes[1] = {"research-contact"};
  const char* date_names[1] = {"consent_withdrawn"};
  const int32_t dates[1] = {20500};
  char path[512], never[512], want[128];
  if (policy == NULL) return;

  path_in_dir(path, sizeof path, "requests.db");
  path_in_dir(never, sizeof never, "never-requests.db");

  /* The key of the options; no file is made. */
  options.key_size = 32;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_register_create(&reg, never, policy, &options));
  CHECK_ERROR_MENTIONS(
      "gdprkit_request_register_create: options.key is NULL but options.key_size is 32");
  CHECK(reg == NULL);
  options.key = kKey;
  options.key_size = SIZE_MAX;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_register_create(&reg, never, policy, &options));
  CHECK_HUGE("options.key_size");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_register_open(&reg, never, policy, &options));
  CHECK_ERROR_MENTIONS("gdprkit_request_register_open");
  CHECK_HUGE("options.key_size");
  CHECK(reg == NULL);
  CHECK(!file_exists(never));

  options.key_size = sizeof kKey;
  CHECK_OK(gdprkit_request_register_create(&reg, path, policy, &options));
  if (reg == NULL) {
    gdprkit_policy_free(policy);
    return;
  }

  /* A request's purposes: NULL with a count, and SIZE_MAX; nothing recorded. */
  n.id = "case-1";
  n.kind = GDPRKIT_REQUEST_ERASURE;
  n.subject = kSubjects[0];
  n.received = 20484; /* 2026-01-31 */
  n.channel = "email";
  n.recorded_by = "c-arrays-test";
  n.purpose_count = 1;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_receive(&rs, reg, &n));
  CHECK_ERROR_MENTIONS(
      "gdprkit_request_register_receive: request.purposes is NULL but request.purpose_count is 1");
  CHECK(rs == NULL);
  n.purposes = purposes;
  n.purpose_count = SIZE_MAX;
  rs = (gdprkit_requests*)(void*)&g_dir;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_receive(&rs, reg, &n));
  CHECK_HUGE("request.purpose_count");
  CHECK(rs == NULL);
  CHECK(requests_in(reg) == 0);
  n.purpose_count = 1;
  CHECK_OK(gdprkit_request_register_receive(&rs, reg, &n));
  gdprkit_requests_free(rs);
  CHECK(requests_in(reg) == 1);
  gdprkit_request_register_free(reg);
  remove(path);

  /* A decision's purposes, and each purpose's dates. */
  expect_decide_refused(policy, NULL, 1, "argument purposes is NULL but count is 1", __LINE__);
  snprintf(want, sizeof want, "count%s, above the limit of 2147483647", g_huge);
  expect_decide_refused(policy, p, SIZE_MAX, want, __LINE__);
  p[0].purpose = "research-contact";
  p[0].date_count = 1;
  expect_decide_refused(policy, p, 1,
                        "purposes[0].date_names is NULL but purposes[0].date_count is 1", __LINE__);
  p[0].date_names = date_names;
  expect_decide_refused(policy, p, 1, "purposes[0].dates is NULL but purposes[0].date_count is 1",
                        __LINE__);
  p[0].dates = dates;
  p[0].date_count = SIZE_MAX;
  snprintf(want, sizeof want, "purposes[0].date_count%s", g_huge);
  expect_decide_refused(policy, p, 1, want, __LINE__);
  p[0].date_count = 1;
  {
    gdprkit_decision* decision = NULL;
    CHECK_OK(gdprkit_request_decide(&decision, policy, GDPRKIT_REQUEST_ERASURE, NULL, 0, 20600));
    CHECK(gdprkit_decision_count(decision) == 0);
    gdprkit_decision_free(decision);
    CHECK_OK(gdprkit_request_decide(&decision, policy, GDPRKIT_REQUEST_ERASURE, p, 1, 20600));
    CHECK(gdprkit_decision_count(decision) == 1);
    gdprkit_decision_free(decision);
  }
  gdprkit_policy_free(policy);
}

int main(void) {
  const char* tmp = getenv("TMPDIR");
  snprintf(g_huge, sizeof g_huge, " is %zu", (size_t)SIZE_MAX);
  snprintf(g_dir, sizeof g_dir, "%s/gdprkit_c_arrays_XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
  if (mkdtemp(g_dir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  test_bytes();
  test_dates();
  test_sweep();
  test_deletion_log();
  test_identifiers();
  test_vault();
  test_consent_ledger();
  test_requests();
  {
    char path[512];
    path_in_dir(path, sizeof path, "arrays.vault");
    remove(path);
    path_in_dir(path, sizeof path, "arrays.vault-wal");
    remove(path);
    path_in_dir(path, sizeof path, "arrays.vault-shm");
    remove(path);
    path_in_dir(path, sizeof path, "consent.db");
    remove(path);
    path_in_dir(path, sizeof path, "requests.db");
    remove(path);
    rmdir(g_dir);
  }
  return test_report("c_arrays_test");
}
