/* Progress of the suppression calls at the C ABI, as a practice system's
 * progress dialog sees it: gdprkit_suppression_run_with_options and
 * gdprkit_suppression_audit_with_options call the gdprkit_progress_fn of
 * their options; every stage reports its total first (done == 0) and ends
 * with done == total, in the documented order; a non-zero return cancels the
 * call (GDPRKIT_CANCELLED, the stage named in the message, nothing
 * returned). Options of an unknown version are refused; NULL options behave
 * as the calls without options. The titles of statuses and reasons in both
 * languages. Compiled as C99 against include/gdprkit.h only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdprkit.h"
#include "suppression_table.h"
#include "test_util.h"

static const char kRequest[] = AGE_REQUEST_TEXT;

#define MAX_STAGES 16

/* What the callback saw, stage by stage, in the order the stages began. */
typedef struct {
  int calls;
  int num_stages;
  char stage[MAX_STAGES][32];
  int64_t first_done[MAX_STAGES];
  int64_t last_done[MAX_STAGES];
  int64_t total[MAX_STAGES];
  int went_back; /* done decreased within a stage, or the total changed */
  int cancel_at; /* cancel at this call (1-based); 0: never */
} Seen;

static int Record(void* context, const char* stage, int64_t done, int64_t total) {
  Seen* s = (Seen*)context;
  int i;
  ++s->calls;
  for (i = 0; i < s->num_stages; ++i) {
    if (strcmp(s->stage[i], stage) == 0) break;
  }
  if (i == s->num_stages) {
    if (s->num_stages == MAX_STAGES) return 1;
    ++s->num_stages;
    snprintf(s->stage[i], sizeof s->stage[i], "%s", stage);
    s->first_done[i] = done;
    s->total[i] = total;
    s->last_done[i] = done;
  } else {
    if (done < s->last_done[i] || total != s->total[i]) s->went_back = 1;
    s->last_done[i] = done;
  }
  return s->cancel_at != 0 && s->calls >= s->cancel_at;
}

static int IndexOf(const Seen* s, const char* stage) {
  int i;
  for (i = 0; i < s->num_stages; ++i) {
    if (strcmp(s->stage[i], stage) == 0) return i;
  }
  return -1;
}

static void TestEveryStageEndsAtItsTotal(void) {
  Seen seen;
  gdprkit_suppression_options options = GDPRKIT_SUPPRESSION_OPTIONS_INIT;
  char* out = NULL;
  size_t len = 0;
  int i;
  memset(&seen, 0, sizeof seen);
  options.progress = Record;
  options.progress_context = &seen;
  CHECK_OK(gdprkit_suppression_run_with_options(&out, &len, kRequest, sizeof kRequest - 1,
                                                GDPRKIT_SUPPRESSION_FORMAT_TEXT, &options));
  CHECK(out != NULL);
  CHECK(strstr(out, "passed: true") != NULL);
  gdprkit_suppression_bytes_free(out);
  /* The stages that run for a small table with the optimal method. */
  CHECK(IndexOf(&seen, "primary") == 0);
  CHECK(IndexOf(&seen, "secondary") == 1);
  CHECK(IndexOf(&seen, "cleanup") > 1);
  CHECK(IndexOf(&seen, "improve") > 1);
  CHECK(IndexOf(&seen, "optimal") > IndexOf(&seen, "improve"));
  CHECK(IndexOf(&seen, "audit") == seen.num_stages - 1);
  CHECK(seen.went_back == 0);
  for (i = 0; i < seen.num_stages; ++i) {
    CHECK(seen.first_done[i] == 0);
    CHECK(seen.last_done[i] == seen.total[i]);
  }
  /* Two primary cells; the audit counts every suppressed cell. */
  CHECK(seen.total[IndexOf(&seen, "secondary")] == 2);
  CHECK(seen.total[IndexOf(&seen, "audit")] >= 6);
}

static void TestAuditReportsItsStage(void) {
  static const char kAudit[] =
      "tables { tables {\n"
      "  name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL("p4", "65+", "25")
      "} }\n"
      "rules { threshold: 5 }\n"
      "suppressed_locations { table: \"age\" codes: \"p1\" codes: \"0-17\" }\n"
      "suppressed_locations { table: \"age\" codes: \"p3\" codes: \"18-64\" }\n";
  Seen seen;
  gdprkit_suppression_options options = GDPRKIT_SUPPRESSION_OPTIONS_INIT;
  char* out = NULL;
  size_t len = 0;
  memset(&seen, 0, sizeof seen);
  options.progress = Record;
  options.progress_context = &seen;
  CHECK_OK(gdprkit_suppression_audit_with_options(&out, &len, kAudit, sizeof kAudit - 1,
                                                  GDPRKIT_SUPPRESSION_FORMAT_TEXT, &options));
  CHECK(out != NULL);
  gdprkit_suppression_bytes_free(out);
  CHECK(seen.num_stages == 1);
  CHECK(strcmp(seen.stage[0], "audit") == 0);
  CHECK(seen.first_done[0] == 0);
  CHECK(seen.total[0] == 2);
  CHECK(seen.last_done[0] == 2);
}

static void TestCancelReturnsNothing(void) {
  int at;
  /* Cancel at each of the first calls in turn: every stage can be left. */
  for (at = 1; at <= 6; ++at) {
    Seen seen;
    gdprkit_suppression_options options = GDPRKIT_SUPPRESSION_OPTIONS_INIT;
    char* out = (char*)"sentinel";
    size_t len = 99;
    memset(&seen, 0, sizeof seen);
    seen.cancel_at = at;
    options.progress = Record;
    options.progress_context = &seen;
    CHECK(gdprkit_suppression_run_with_options(&out, &len, kRequest, sizeof kRequest - 1,
                                               GDPRKIT_SUPPRESSION_FORMAT_TEXT,
                                               &options) == GDPRKIT_CANCELLED);
    CHECK(out == NULL && len == 0);
    CHECK(seen.calls == at);
    CHECK(strstr(gdprkit_last_error(), "gdprkit_suppression_run_with_options: ") != NULL);
    CHECK(strstr(gdprkit_last_error(), seen.stage[seen.num_stages - 1]) != NULL);
  }
}

static void TestOptionsVersionAndNull(void) {
  gdprkit_suppression_options options = GDPRKIT_SUPPRESSION_OPTIONS_INIT;
  char* out = NULL;
  size_t len = 0;
  options.version = 0;
  CHECK(gdprkit_suppression_run_with_options(&out, &len, kRequest, sizeof kRequest - 1,
                                             GDPRKIT_SUPPRESSION_FORMAT_TEXT,
                                             &options) == GDPRKIT_INVALID_ARGUMENT);
  CHECK(out == NULL);
  CHECK(strstr(gdprkit_last_error(), "gdprkit_suppression_options") != NULL);
  CHECK_OK(gdprkit_suppression_run_with_options(&out, &len, kRequest, sizeof kRequest - 1,
                                                GDPRKIT_SUPPRESSION_FORMAT_TEXT, NULL));
  CHECK(out != NULL && strstr(out, "passed: true") != NULL);
  gdprkit_suppression_bytes_free(out);
}

static void TestTitles(void) {
  CHECK(strcmp(gdprkit_suppression_published_title(0, GDPRKIT_LANGUAGE_EN), "published") == 0);
  CHECK(strcmp(gdprkit_suppression_published_title(1, GDPRKIT_LANGUAGE_EN), "suppressed") == 0);
  CHECK(strcmp(gdprkit_suppression_published_title(1, GDPRKIT_LANGUAGE_DA), "undertrykt") == 0);
  CHECK(strcmp(gdprkit_suppression_status_title(1, GDPRKIT_LANGUAGE_DA), "prim\xc3\xa6r") == 0);
  CHECK(strcmp(gdprkit_suppression_reason_title(1, GDPRKIT_LANGUAGE_DA), "t\xc3\xa6rskelregel") ==
        0);
  CHECK(strcmp(gdprkit_suppression_published_title(2, GDPRKIT_LANGUAGE_EN), "") == 0);
  CHECK(strcmp(gdprkit_suppression_status_title(0, 7), "") == 0);
  CHECK(strcmp(gdprkit_suppression_reason_title(3, GDPRKIT_LANGUAGE_EN), "") == 0);
}

int main(void) {
  TestEveryStageEndsAtItsTotal();
  TestAuditReportsItsStage();
  TestCancelReturnsNothing();
  TestOptionsVersionAndNull();
  TestTitles();
  return test_report("suppression_progress_test");
}
