/* Threads and the C ABI: one loaded policy is read by several threads at
 * once, and each thread's last error is its own. Compiled as C99 with POSIX
 * threads. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "gdprkit.h"
#include "test_util.h"

enum { kThreads = 4, kRounds = 150 };

static const char kPolicy[] =
    "controller { name: \"Shared\" }\n"
    "teams { id: \"data\" } teams { id: \"medicine\" }\n"
    "retention_rules { id: \"r\" }\n"
    "purposes { id: \"a\" categories: \"contact\" data_subjects: \"x\" basis: \"A6-1-b\"\n"
    "  access { team: \"data\" } retention: \"r\" }\n"
    "purposes { id: \"b\" categories: \"health\" data_subjects: \"x\" basis: \"A6-1-c\"\n"
    "  basis: \"A9-2-h\" basis: \"A9-3\" access { team: \"medicine\" } retention: \"r\" }\n";

static gdprkit_policy* shared_policy;

struct worker {
  int id;
  int failures; /* counted per thread: the CHECK macros are not thread-safe */
};

static void* run(void* arg) {
  struct worker* w = (struct worker*)arg;
  char name[64];
  int round;
  snprintf(name, sizeof name, "thread-%d.textproto", w->id);
  for (round = 0; round < kRounds; ++round) {
    gdprkit_policy* bad = NULL;
    gdprkit_rights* rights = NULL;
    gdprkit_findings* findings = NULL;
    gdprkit_right_info r = GDPRKIT_RIGHT_INFO_INIT;
    const char* title = NULL;
    int allowed = -1;

    /* A failure of this thread's own... */
    if (gdprkit_policy_load_bytes(&bad, "purposes {", 10, GDPRKIT_FORMAT_TEXTPROTO, name) !=
            GDPRKIT_INVALID_ARGUMENT ||
        bad != NULL) {
      ++w->failures;
    }
    sched_yield(); /* ...survives the other threads' calls... */
    if (strstr(gdprkit_last_error(), name) == NULL) {
      fprintf(stderr, "thread %d sees another error: %s\n", w->id, gdprkit_last_error());
      ++w->failures;
    }

    /* ...while they all read the shared policy. */
    if (gdprkit_policy_may_access(&allowed, shared_policy, (round & 1) ? "a" : "b", "data", NULL) !=
            GDPRKIT_OK ||
        allowed != ((round & 1) ? 1 : 0)) {
      ++w->failures;
    }
    if (strcmp(gdprkit_last_error(), "") != 0) ++w->failures; /* cleared by the success */
    if (gdprkit_policy_rights(&rights, shared_policy, "b") != GDPRKIT_OK ||
        gdprkit_rights_get(&r, rights, 4) != GDPRKIT_OK || strcmp(r.code, "A17") != 0 ||
        r.applies != 0) {
      ++w->failures;
    }
    gdprkit_rights_free(rights);
    if (gdprkit_policy_validate(&findings, shared_policy) != GDPRKIT_OK ||
        gdprkit_findings_error_count(findings) != 0) {
      ++w->failures;
    }
    gdprkit_findings_free(findings);
    if (gdprkit_policy_basis_title(&title, shared_policy, "A9-3") != GDPRKIT_OK ||
        strstr(title, "9(3)") == NULL) {
      ++w->failures;
    }
    if (gdprkit_policy_rights(&rights, shared_policy, "zzz") != GDPRKIT_NOT_FOUND ||
        strstr(gdprkit_last_error(), "\"zzz\"") == NULL) {
      ++w->failures;
    }
  }
  return NULL;
}

int main(void) {
  pthread_t threads[kThreads];
  struct worker workers[kThreads];
  int i;

  CHECK_OK(gdprkit_policy_load_bytes(&shared_policy, kPolicy, strlen(kPolicy), GDPRKIT_FORMAT_AUTO,
                                     "shared.textproto"));
  if (shared_policy == NULL) return 1;
  for (i = 0; i < kThreads; ++i) {
    workers[i].id = i;
    workers[i].failures = 0;
    CHECK(pthread_create(&threads[i], NULL, run, &workers[i]) == 0);
  }
  for (i = 0; i < kThreads; ++i) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    ++test_checks;
    if (workers[i].failures != 0) {
      fprintf(stderr, "thread %d: %d failures\n", i, workers[i].failures);
      ++test_failures;
    }
  }
  /* The main thread's own state is untouched by the workers. */
  CHECK_STREQ(gdprkit_last_error(), "");
  gdprkit_policy_free(shared_policy);
  return test_report("threads_test");
}
