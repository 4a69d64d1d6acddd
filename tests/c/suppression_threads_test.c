/* Threads and the suppression part of the C ABI: 4 threads run
 * gdprkit_suppression_run and gdprkit_suppression_audit at once, for many
 * rounds, some rounds all on the same request, the others each on its own,
 * mixing text, JSON and binary requests with malformed ones. Every response
 * must equal, byte for byte, what a single thread got for the same request
 * before (the results are deterministic, except SuppressResponse.seconds, the
 * solver's wall time, which is left out of the comparison), and every error
 * must be the same
 * status with the same message, in the thread that made it: a failing call
 * in one thread disturbs no other. Compiled as C99 with POSIX threads. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdprkit.h"
#include "test_util.h"

enum { kThreads = 4, kRounds = 300 };

/* The table of tests/c/suppression_test.c (suppression_table.h). */
#include "suppression_table.h"

#define TABLE_WITH(p4_65, extra)                                                                  \
  "tables { tables {\n  name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL("p4", "65+", p4_65) \
      extra "} }\n"
#define TABLE(p4_65) TABLE_WITH(p4_65, "")

static const char kJson[] = SEX_TABLE_JSON;

/* A binary SuppressRequest: field 1 (tables) holding an empty TableSet, so
 * the request has no tables (INVALID_ARGUMENT); and bytes that do not parse. */
static const char kBinaryNoTables[] = {0x0a, 0x00};
static const char kGarbage[] = {(char)0xff, (char)0xff, (char)0xff, 0x01, 0x02};

struct job {
  const char* name;
  int audit; /* gdprkit_suppression_audit, else gdprkit_suppression_run */
  const char* request;
  size_t request_len; /* 0: strlen(request) */
  int format;
  /* The single-threaded answer. */
  gdprkit_status status;
  char* out;
  size_t out_len;
  char* message;
};

static struct job jobs[] = {
    {"run text optimal", 0,
     TABLE("25") "rules { threshold: 5 }\noptions { method: SECONDARY_METHOD_OPTIMAL }\n", 0,
     GDPRKIT_SUPPRESSION_FORMAT_TEXT, 0, NULL, 0, NULL},
    {"run text heuristic, threshold 10", 0,
     TABLE("25") "rules { threshold: 10 }\noptions { method: SECONDARY_METHOD_HEURISTIC }\n", 0,
     GDPRKIT_SUPPRESSION_FORMAT_TEXT, 0, NULL, 0, NULL},
    {"run json", 0, kJson, 0, GDPRKIT_SUPPRESSION_FORMAT_JSON, 0, NULL, 0, NULL},
    {"audit text", 1,
     TABLE("25") "rules { threshold: 5 }\n"
                 "suppressed_locations { table: \"age\" codes: \"p1\" codes: \"0-17\" }\n"
                 "suppressed_locations { table: \"age\" codes: \"p3\" codes: \"18-64\" }\n",
     0, GDPRKIT_SUPPRESSION_FORMAT_TEXT, 0, NULL, 0, NULL},
    {"run, totals that do not add up", 0,
     TABLE_WITH("25", CELL("p1", "Total", "60")) "rules { threshold: 5 }\n", 0,
     GDPRKIT_SUPPRESSION_FORMAT_TEXT, 0, NULL, 0, NULL},
    {"run, negative count", 0, TABLE("-25") "rules { threshold: 5 }\n", 0,
     GDPRKIT_SUPPRESSION_FORMAT_TEXT, 0, NULL, 0, NULL},
    {"audit, a cell not in the table", 1,
     TABLE("25") "suppressed_locations { table: \"age\" codes: \"p9\" codes: \"0-17\" }\n", 0,
     GDPRKIT_SUPPRESSION_FORMAT_TEXT, 0, NULL, 0, NULL},
    {"run binary, no tables", 0, kBinaryNoTables, sizeof kBinaryNoTables,
     GDPRKIT_SUPPRESSION_FORMAT_BINARY, 0, NULL, 0, NULL},
    {"audit binary garbage", 1, kGarbage, sizeof kGarbage, GDPRKIT_SUPPRESSION_FORMAT_BINARY, 0,
     NULL, 0, NULL},
    {"run, malformed text", 0, "tables { tables { name: ", 0, GDPRKIT_SUPPRESSION_FORMAT_TEXT, 0,
     NULL, 0, NULL},
};
enum { kJobs = sizeof jobs / sizeof jobs[0] };

static gdprkit_status Call(const struct job* j, char** out, size_t* out_len) {
  const size_t len = j->request_len != 0 ? j->request_len : strlen(j->request);
  return j->audit ? gdprkit_suppression_audit(out, out_len, j->request, len, j->format)
                  : gdprkit_suppression_run(out, out_len, j->request, len, j->format);
}

static char* Copy(const char* s, size_t n) {
  char* c = (char*)malloc(n + 1);
  if (c != NULL) {
    memcpy(c, s, n);
    c[n] = '\0';
  }
  return c;
}

/* A copy of response `s` (n bytes) without its wall time (the top-level
 * "seconds: 0.0012" line of a text response, ,"seconds":0.0012 in JSON). */
static char* WithoutSeconds(const char* s, size_t n, size_t* out_n) {
  char* out = (char*)malloc(n + 1);
  size_t i = 0, o = 0;
  if (out == NULL) return NULL;
  while (i < n) {
    size_t key = 0;
    if ((i == 0 || s[i - 1] == '\n') && n - i >= 9 && memcmp(s + i, "seconds: ", 9) == 0) {
      key = 9;
    } else if (n - i >= 10 && memcmp(s + i, "\"seconds\":", 10) == 0) {
      key = 10;
      if (o > 0 && out[o - 1] == ',') --o;
    }
    if (key == 0) {
      out[o++] = s[i++];
      continue;
    }
    i += key;
    while (i < n && strchr("0123456789.eE+-", s[i]) != NULL) ++i;
    if (key == 9 && i < n && s[i] == '\n') ++i;
  }
  out[o] = '\0';
  *out_n = o;
  return out;
}

/* Responses a and b are the same but for their wall times. */
static int Same(const char* a, size_t a_len, const char* b, size_t b_len) {
  size_t an = 0, bn = 0;
  char* x = WithoutSeconds(a, a_len, &an);
  char* y = WithoutSeconds(b, b_len, &bn);
  const int same = x != NULL && y != NULL && an == bn && memcmp(x, y, an) == 0;
  free(x);
  free(y);
  return same;
}

static pthread_barrier_t barrier;

struct worker {
  int id;
  int failures; /* per thread: the CHECK macros are not thread-safe */
  long calls;
};

/* The job of thread t in round r: every third round the same for all
 * threads, otherwise each its own (and successes next to failures). */
static int JobOf(int t, int r) { return r % 3 == 0 ? (r / 3) % kJobs : (t * 3 + r) % kJobs; }

static void* Run(void* arg) {
  struct worker* w = (struct worker*)arg;
  int r;
  for (r = 0; r < kRounds; ++r) {
    const struct job* j = &jobs[JobOf(w->id, r)];
    char* out = (char*)1;
    size_t out_len = 12345;
    gdprkit_status st;
    pthread_barrier_wait(&barrier);
    st = Call(j, &out, &out_len);
    ++w->calls;
    if (st != j->status) {
      fprintf(stderr, "thread %d round %d, %s: %s, expected %s: %s\n", w->id, r, j->name,
              gdprkit_status_name(st), gdprkit_status_name(j->status), gdprkit_last_error());
      ++w->failures;
    } else if (st == GDPRKIT_OK) {
      if (out == NULL || !Same(out, out_len, j->out, j->out_len) || out[out_len] != '\0') {
        fprintf(stderr, "thread %d round %d, %s: %lu bytes differ from the %lu of one thread\n",
                w->id, r, j->name, (unsigned long)out_len, (unsigned long)j->out_len);
        ++w->failures;
      }
      if (gdprkit_last_error()[0] != '\0') {
        fprintf(stderr, "thread %d round %d, %s: succeeded, but last error is \"%s\"\n", w->id, r,
                j->name, gdprkit_last_error());
        ++w->failures;
      }
    } else {
      if (out != NULL || out_len != 0) {
        fprintf(stderr, "thread %d round %d, %s: failed, but out/out_len were set\n", w->id, r,
                j->name);
        ++w->failures;
      }
      if (strcmp(gdprkit_last_error(), j->message) != 0) {
        fprintf(stderr, "thread %d round %d, %s: message \"%s\", one thread had \"%s\"\n", w->id, r,
                j->name, gdprkit_last_error(), j->message);
        ++w->failures;
      }
    }
    if (st == GDPRKIT_OK) gdprkit_suppression_bytes_free(out);
  }
  return NULL;
}

int main(void) {
  pthread_t threads[kThreads];
  struct worker workers[kThreads];
  int i, ok = 0, failed = 0;

  /* The single-threaded answers. */
  for (i = 0; i < kJobs; ++i) {
    struct job* j = &jobs[i];
    char* out = NULL;
    size_t out_len = 0;
    j->status = Call(j, &out, &out_len);
    if (j->status == GDPRKIT_OK) {
      j->out = Copy(out, out_len);
      j->out_len = out_len;
      j->message = Copy("", 0);
      gdprkit_suppression_bytes_free(out);
      ++ok;
    } else {
      j->message = Copy(gdprkit_last_error(), strlen(gdprkit_last_error()));
      CHECK(j->message != NULL && j->message[0] != '\0');
      ++failed;
    }
    /* The same answer a second time, on this thread. */
    out = NULL;
    out_len = 0;
    CHECK(Call(j, &out, &out_len) == j->status);
    if (j->status == GDPRKIT_OK) {
      CHECK(Same(out, out_len, j->out, j->out_len));
      gdprkit_suppression_bytes_free(out);
    } else {
      CHECK_STREQ(gdprkit_last_error(), j->message);
    }
  }
  /* The jobs are what they claim: the first four succeed, the others fail
   * (with INVALID_ARGUMENT: malformed requests). */
  for (i = 0; i < kJobs; ++i) {
    if (i < 4) {
      CHECK_STATUS(GDPRKIT_OK, jobs[i].status);
    } else {
      CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, jobs[i].status);
    }
  }
  CHECK_CONTAINS(jobs[0].out, "CELL_STATUS_SECONDARY");
  CHECK_CONTAINS(jobs[2].out, "\"passed\":true");
  CHECK_CONTAINS(jobs[4].message, "do not add up");
  CHECK_CONTAINS(jobs[6].message, "p9");

  /* The library must not write to the host's stdout or stderr, also when
   * threads solve at once (CBC's command-line driver once misread another
   * thread's arguments and printed "String of -quit is illegal ..."): both
   * go to a scratch file while the threads run, which must stay empty. */
  fflush(NULL);
  FILE* scratch = tmpfile();
  CHECK(scratch != NULL);
  int saved_out = dup(1), saved_err = dup(2);
  CHECK(saved_out >= 0 && saved_err >= 0);
  CHECK(dup2(fileno(scratch), 1) >= 0 && dup2(fileno(scratch), 2) >= 0);

  CHECK(pthread_barrier_init(&barrier, NULL, kThreads) == 0);
  for (i = 0; i < kThreads; ++i) {
    workers[i].id = i;
    workers[i].failures = 0;
    workers[i].calls = 0;
    CHECK(pthread_create(&threads[i], NULL, Run, &workers[i]) == 0);
  }
  for (i = 0; i < kThreads; ++i) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(workers[i].failures == 0);
    CHECK(workers[i].calls == kRounds);
  }
  pthread_barrier_destroy(&barrier);
  fflush(NULL);
  CHECK(dup2(saved_out, 1) >= 0 && dup2(saved_err, 2) >= 0);
  close(saved_out);
  close(saved_err);
  {
    char printed[512];
    size_t got;
    long size;
    fseek(scratch, 0, SEEK_END);
    size = ftell(scratch);
    rewind(scratch);
    got = fread(printed, 1, sizeof printed - 1, scratch);
    printed[got] = '\0';
    if (size != 0)
      fprintf(stderr, "printed while the threads ran (%ld bytes):\n%s\n", size, printed);
    CHECK(size == 0);
    fclose(scratch);
  }

  printf(
      "suppression_threads_test: %d threads x %d rounds over %d requests (%d answered, %d "
      "refused)\n",
      kThreads, kRounds, kJobs, ok, failed);
  for (i = 0; i < kJobs; ++i) {
    free(jobs[i].out);
    free(jobs[i].message);
  }
  return test_report("suppression_threads_test");
}
