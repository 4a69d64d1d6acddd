/* The release gate's C ABI (include/gdprkit/c/release.h): frames, check,
 * prepare with the release log, the digests, and the refusals. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdprkit.h"
#include "test_util.h"

#define PRACTICES 19
#define AGES 5

static const char* const kAges[AGES] = {"0-17", "18-39", "40-64", "65-79", "80+"};

/* Records for the cluster guide's "cluster-view": per practice P01..P19
 * and age band 1 to 12 rows (so some cells are below the threshold of 5),
 * registered recently; `old` more rows registered in 2019 (too old), and,
 * with `note`, a free-text column that names a CPR number in one row. */
static gdprkit_frame* cluster_records(int old, int note, int32_t recent, int32_t long_ago) {
  static char practice_names[PRACTICES][4];
  const char* practices[PRACTICES];
  size_t rows = 0;
  size_t row = 0;
  int p, a, n;
  int32_t* practice_codes;
  int32_t* age_codes;
  int32_t* days;
  const char** notes;
  gdprkit_frame* frame = NULL;

  for (p = 0; p < PRACTICES; ++p) {
    snprintf(practice_names[p], sizeof practice_names[p], "P%02d", p + 1);
    practices[p] = practice_names[p];
    for (a = 0; a < AGES; ++a) rows += (size_t)(1 + (p * 7 + a * 3) % 12);
  }
  rows += (size_t)old;
  practice_codes = (int32_t*)calloc(rows, sizeof(int32_t));
  age_codes = (int32_t*)calloc(rows, sizeof(int32_t));
  days = (int32_t*)calloc(rows, sizeof(int32_t));
  notes = (const char**)calloc(rows, sizeof(const char*));
  for (p = 0; p < PRACTICES; ++p) {
    for (a = 0; a < AGES; ++a) {
      for (n = 0; n < 1 + (p * 7 + a * 3) % 12; ++n) {
        practice_codes[row] = p;
        age_codes[row] = a;
        days[row] = recent;
        notes[row] = "kontrol ok";
        ++row;
      }
    }
  }
  for (n = 0; n < old; ++n, ++row) {
    practice_codes[row] = n % PRACTICES;
    age_codes[row] = n % AGES;
    days[row] = long_ago;
    notes[row] = NULL;
  }
  notes[0] = "ringede fra 010190-1234 i dag";

  CHECK_OK(gdprkit_frame_new(&frame, rows));
  CHECK_OK(gdprkit_frame_add_labels(frame, "practice", practices, PRACTICES, practice_codes));
  CHECK_OK(gdprkit_frame_add_labels(frame, "age", kAges, AGES, age_codes));
  CHECK_OK(gdprkit_frame_add_days(frame, "registered", days));
  if (note) CHECK_OK(gdprkit_frame_add_text(frame, "note", notes));
  free(practice_codes);
  free(age_codes);
  free(days);
  free((void*)notes);
  return frame;
}

static const gdprkit_release_finding* find(gdprkit_release_finding* f,
                                           const gdprkit_release_check_result* r,
                                           const char* problem, const char* column) {
  size_t i;
  for (i = 0; i < gdprkit_release_check_count(r); ++i) {
    if (gdprkit_release_check_get(f, r, i) != GDPRKIT_OK) return NULL;
    if (strcmp(f->problem, problem) == 0 && strcmp(f->column, column) == 0) return f;
  }
  return NULL;
}

static void test_frames(void) {
  gdprkit_frame* frame = NULL;
  const char* texts[3] = {"a", NULL, "b"};
  const double numbers[3] = {1.5, NAN, 3};
  const int32_t days[3] = {0, GDPRKIT_NO_DATE, 20000};
  const char* s = NULL;
  double x = 0;
  int32_t d = 0;
  int type = 0;
  char digest[GDPRKIT_DIGEST_SIZE];
  char digest2[GDPRKIT_DIGEST_SIZE];
  char small[10] = "sentinel";
  const char* labels[2] = {"b", "a"};
  const int32_t codes[3] = {1, -1, 0};
  gdprkit_frame* same = NULL;

  CHECK_OK(gdprkit_frame_new(&frame, 3));
  CHECK_OK(gdprkit_frame_add_text(frame, "t", texts));
  CHECK_OK(gdprkit_frame_add_numbers(frame, "x", numbers));
  CHECK_OK(gdprkit_frame_add_days(frame, "d", days));
  CHECK(gdprkit_frame_rows(frame) == 3);
  CHECK(gdprkit_frame_columns(frame) == 3);
  CHECK_OK(gdprkit_frame_column_name(&s, frame, 1));
  CHECK_STREQ(s, "x");
  CHECK_OK(gdprkit_frame_column_type(&type, frame, 2));
  CHECK(type == GDPRKIT_FRAME_DATE);
  CHECK_OK(gdprkit_frame_text(&s, frame, 0, 2));
  CHECK_STREQ(s, "b");
  CHECK_OK(gdprkit_frame_text(&s, frame, 0, 1));
  CHECK(s == NULL);
  CHECK_OK(gdprkit_frame_number(&x, frame, 1, 1));
  CHECK(x != x);
  CHECK_OK(gdprkit_frame_day(&d, frame, 2, 2));
  CHECK(d == 20000);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_frame_number(&x, frame, 0, 0));
  CHECK_ERROR_MENTIONS("text");
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE, gdprkit_frame_text(&s, frame, 0, 3));
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE, gdprkit_frame_column_name(&s, frame, 3));
  CHECK(s == NULL);

  /* The digest depends on the content, not on how text is encoded. */
  CHECK_OK(gdprkit_content_digest(digest, sizeof digest, frame));
  CHECK(strncmp(digest, "blake2b-256:", 12) == 0 && strlen(digest) == GDPRKIT_DIGEST_SIZE - 1);
  CHECK_OK(gdprkit_frame_new(&same, 3));
  CHECK_OK(gdprkit_frame_add_labels(same, "t", labels, 2, codes));
  CHECK_OK(gdprkit_frame_add_numbers(same, "x", numbers));
  CHECK_OK(gdprkit_frame_add_days(same, "d", days));
  CHECK_OK(gdprkit_content_digest(digest2, sizeof digest2, same));
  CHECK_STREQ(digest, digest2);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_content_digest(small, sizeof small, same));
  CHECK(small[0] == '\0');
  gdprkit_frame_free(same);

  /* Refusals: NULL arrays for a frame with rows, a code past its labels
   * (found by the core when the frame is used, naming the column). */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_frame_add_numbers(frame, "y", NULL));
  CHECK_ERROR_MENTIONS("numbers");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_frame_add_text(NULL, "y", texts));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_frame_add_labels(frame, "y", NULL, 2, codes));
  CHECK(gdprkit_frame_columns(frame) == 3);
  CHECK_OK(gdprkit_frame_add_labels(frame, "bad", labels, 1, codes));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_content_digest(digest, sizeof digest, frame));
  CHECK_ERROR_MENTIONS("bad");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_frame_new(NULL, 1));
  /* Counts that were never counts (docs/conventions.md, "Arrays and counts"). */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_frame_new(&same, (size_t)-1));
  CHECK(same == NULL);
  CHECK_ERROR_MENTIONS("rows");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_frame_add_labels(frame, "y", labels, (size_t)-1, codes));
  CHECK_ERROR_MENTIONS("n_labels");
  strcpy(small, "sentinel");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_content_digest(small, (size_t)-1, frame));
  CHECK_ERROR_MENTIONS("out_size");
  CHECK_STREQ(small, "sentinel");
  CHECK(gdprkit_frame_rows(NULL) == 0 && gdprkit_frame_columns(NULL) == 0);
  gdprkit_frame_free(frame);
  gdprkit_frame_free(NULL);
}

static void test_init_functions(void) {
  gdprkit_release_options o, m = GDPRKIT_RELEASE_OPTIONS_INIT;
  gdprkit_release_finding f, fm = GDPRKIT_RELEASE_FINDING_INIT;
  gdprkit_release_report r, rm = GDPRKIT_RELEASE_REPORT_INIT;
  memset(&o, 0x5a, sizeof o);
  CHECK_OK(gdprkit_release_options_init(&o, GDPRKIT_RELEASE_OPTIONS_VERSION));
  CHECK(o.version == m.version && o.on == GDPRKIT_NO_DATE && o.scan_kinds == 0 &&
        o.language == GDPRKIT_LANGUAGE_EN && o.base_dir == NULL && o.progress == NULL &&
        o.progress_context == NULL && o.method == NULL && o.cost == NULL &&
        o.time_limit_seconds == 60.0 && o.effort == 1 && o.released_at == 0);
  CHECK_OK(gdprkit_release_finding_init(&f, GDPRKIT_RELEASE_FINDING_VERSION));
  CHECK(f.version == fm.version && f.problem == NULL && f.rows == 0 && f.message == NULL);
  CHECK_OK(gdprkit_release_report_init(&r, GDPRKIT_RELEASE_REPORT_VERSION));
  CHECK(r.version == rm.version && r.on == GDPRKIT_NO_DATE && r.log_hash == NULL &&
        r.columns_dropped == NULL && r.rows_out == 0);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_release_options_init(&o, 99));
}

static int progress_calls = 0;
static int count_progress(void* context, const char* stage, int64_t done, int64_t total) {
  (void)context;
  (void)stage;
  (void)done;
  (void)total;
  ++progress_calls;
  return 0;
}

int main(void) {
  char path[512];
  char log_path[] = "/tmp/gdprkit_c_release_XXXXXX";
  char head[GDPRKIT_DELETION_LOG_HASH_SIZE];
  char digest[GDPRKIT_DIGEST_SIZE];
  gdprkit_policy* policy = NULL;
  gdprkit_frame* records = NULL;
  gdprkit_release_check_result* result = NULL;
  gdprkit_release_finding f = GDPRKIT_RELEASE_FINDING_INIT;
  gdprkit_release_options o = GDPRKIT_RELEASE_OPTIONS_INIT;
  gdprkit_prepared_release* prepared = NULL;
  gdprkit_release_report report = GDPRKIT_RELEASE_REPORT_INIT;
  gdprkit_release_log* log = NULL;
  gdprkit_deletion_log_verification* verification = NULL;
  gdprkit_deletion_log_check lc = GDPRKIT_DELETION_LOG_CHECK_INIT;
  const gdprkit_frame* out = NULL;
  const char* s = NULL;
  int32_t on = 0, recent = 0, long_ago = 0;
  int fd;
  size_t c;

  test_frames();
  test_init_functions();

  snprintf(path, sizeof path, "%s/policies/klyngeguide.textproto", GDPRKIT_EXAMPLES_DIR);
  CHECK_OK(gdprkit_policy_load_file(&policy, path, GDPRKIT_FORMAT_AUTO));
  CHECK_OK(gdprkit_date_parse(&on, "2026-12-03"));
  CHECK_OK(gdprkit_date_parse(&recent, "2025-06-01"));
  CHECK_OK(gdprkit_date_parse(&long_ago, "2019-01-01"));
  o.on = on;

  /* Check: the CPR number in the note, the undeclared note, the rows older
   * than five years, the small cells. Counts, never a value. */
  records = cluster_records(7, 1, recent, long_ago);
  o.progress = count_progress;
  CHECK_OK(gdprkit_release_check(&result, policy, "cluster-view", records, &o));
  CHECK(progress_calls > 0);
  o.progress = NULL;
  CHECK(!gdprkit_release_check_passed(result));
  CHECK(gdprkit_release_check_rows(result) == (int64_t)gdprkit_frame_rows(records));
  CHECK(find(&f, result, "identifier-in-clear", "note") != NULL);
  CHECK(f.rows == 1 && f.kind == GDPRKIT_ID_CPR);
  CHECK_STREQ(f.kind_name, "cpr");
  CHECK(strstr(f.message, "010190") == NULL);
  CHECK(find(&f, result, "too-old", "registered") != NULL);
  CHECK(f.rows == 7);
  CHECK(f.title != NULL && f.title[0] != '\0');
  /* The example policy may declare the note (to drop it) or not. */
  CHECK(find(&f, result, "undeclared-column", "note") != NULL ||
        find(&f, result, "dropped-column", "note") != NULL);
  CHECK(find(&f, result, "small-cell", "") != NULL);
  CHECK(f.cells > 0 && f.rows > 0);
  for (c = 0; c < gdprkit_release_check_count(result); ++c) {
    CHECK_OK(gdprkit_release_check_get(&f, result, c));
    CHECK(strstr(f.message, "010190") == NULL);
  }
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE,
               gdprkit_release_check_get(&f, result, gdprkit_release_check_count(result)));
  CHECK(f.problem == NULL && f.version == GDPRKIT_RELEASE_FINDING_VERSION);
  gdprkit_release_check_free(result);
  result = NULL;

  /* Danish titles. */
  o.language = GDPRKIT_LANGUAGE_DA;
  CHECK_OK(gdprkit_release_check(&result, policy, "cluster-view", records, &o));
  CHECK(find(&f, result, "too-old", "registered") != NULL);
  gdprkit_release_check_free(result);
  result = NULL;
  o.language = 7;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_release_check(&result, policy, "cluster-view", records, &o));
  CHECK_ERROR_MENTIONS("language");
  o.language = GDPRKIT_LANGUAGE_EN;

  /* Refusals. */
  CHECK_STATUS(GDPRKIT_NOT_FOUND,
               gdprkit_release_check(&result, policy, "cluster-veiw", records, &o));
  CHECK_ERROR_MENTIONS("cluster-view");
  CHECK(result == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_release_check(&result, NULL, "cluster-view", records, &o));
  o.version = 0;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_release_check(&result, policy, "cluster-view", records, &o));
  CHECK_ERROR_MENTIONS("GDPRKIT_RELEASE_OPTIONS_INIT");
  o.version = GDPRKIT_RELEASE_OPTIONS_VERSION;
  o.method = "fastest";
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_release_prepare(&prepared, policy, "cluster-view", records, NULL, NULL, &o));
  CHECK(prepared == NULL);
  o.method = NULL;

  /* Prepare, with the log: a protected table whose digest is the frame's,
   * and an intact chain whose head is the entry's hash. */
  fd = mkstemp(log_path);
  CHECK(fd >= 0);
  close(fd);
  unlink(log_path);
  CHECK_OK(gdprkit_release_log_open(&log, log_path, NULL));
  CHECK(gdprkit_release_log_entries(log) == 0);
  o.released_at = 1796284800; /* 2026-12-03T00:00:00Z */
  CHECK_OK(gdprkit_release_prepare(&prepared, policy, "cluster-view", records, NULL, log, &o));
  CHECK_OK(gdprkit_prepared_release_report(&report, prepared));
  CHECK_STREQ(report.release, "cluster-view");
  CHECK(report.table == 1 && report.audit_passed == 1);
  CHECK(report.rows_in == (int64_t)gdprkit_frame_rows(records));
  CHECK(report.rows_too_old == 7);
  CHECK(report.cells_primary > 0);
  CHECK(report.on == on);
  CHECK(report.log_seq == 1);
  CHECK(strncmp(report.policy_digest, "blake2b-256:", 12) == 0);
  CHECK(report.columns_dropped != NULL &&
        report.columns_dropped[report.columns_dropped_count] == NULL);
  out = gdprkit_prepared_release_frame(prepared);
  CHECK(out != NULL && gdprkit_frame_rows(out) == (size_t)report.rows_out);
  CHECK_OK(gdprkit_content_digest(digest, sizeof digest, out));
  CHECK_STREQ(digest, report.content_digest);
  CHECK_OK(gdprkit_frame_column_name(&s, out, gdprkit_frame_columns(out) - 1));
  CHECK_STREQ(s, "status");
  CHECK(gdprkit_release_log_entries(log) == 1);
  CHECK_OK(gdprkit_release_log_head(head, sizeof head, log));
  CHECK_STREQ(head, report.log_hash);
  gdprkit_prepared_release_free(prepared);
  prepared = NULL;

  /* A release that cannot be prepared is not logged: an unknown release. */
  CHECK_STATUS(GDPRKIT_NOT_FOUND,
               gdprkit_release_prepare(&prepared, policy, "no-such", records, NULL, log, &o));
  CHECK(prepared == NULL);
  CHECK(gdprkit_release_log_entries(log) == 1);
  gdprkit_release_log_free(log);

  CHECK_OK(gdprkit_release_log_verify(&verification, log_path, NULL, head));
  CHECK_OK(gdprkit_deletion_log_verification_get(&lc, verification));
  CHECK(lc.intact == 1 && lc.entries == 1 && lc.first_broken_entry == -1);
  CHECK_STREQ(lc.head, head);
  gdprkit_deletion_log_verification_free(verification);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_release_log_open(NULL, log_path, NULL));

  unlink(log_path);
  gdprkit_frame_free(records);
  gdprkit_policy_free(policy);
  gdprkit_release_check_free(NULL);
  gdprkit_prepared_release_free(NULL);
  gdprkit_release_log_free(NULL);
  return test_report("release_test");
}
