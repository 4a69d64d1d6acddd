/* Out of memory at every allocation of the lawful-basis entry points: the
 * C ABI must report GDPRKIT_RESOURCE_EXHAUSTED (std::bad_alloc caught at the
 * boundary), leave out-parameters cleared, keep a message, and not crash.
 *
 * The program replaces malloc with one that fails the n-th allocation after
 * it is armed (glibc lets the main program interpose malloc and exports
 * __libc_malloc to delegate to). For n = 0, 1, 2, ... a child process runs a
 * fixed sequence of calls with allocation n failing, until a run completes
 * without reaching allocation n. A crash is reported with the allocation
 * number and the call it happened in.
 *
 *   c_oom_test                the sequence without gdprkit_policy_validate
 *   c_oom_test validate       gdprkit_policy_validate only (the core keeps
 *                             Validate()'s ids in std containers because
 *                             absl::flat_hash_map is not exception-safe when
 *                             an allocation fails while it grows,
 *                             abseil-cpp issue #1581).
 *
 * Skipped (exit 77) without glibc or under a sanitizer, which owns malloc. */
#define _POSIX_C_SOURCE 200809L

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "gdprkit.h"
#include "oom_util.h"
#include "test_util.h"

#if defined(__GLIBC__) && !defined(OOM_TEST_SANITIZED)

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern void* __libc_malloc(size_t size);

static long countdown = -1; /* armed while >= 0 */
static int fired = 0;

/* Default visibility: the build compiles with -fvisibility=hidden, and a
 * hidden malloc would replace nothing. */
__attribute__((visibility("default"))) void* malloc(size_t size);

void* malloc(size_t size) {
  if (countdown >= 0 && countdown-- == 0) {
    fired = 1;
    return NULL;
  }
  return __libc_malloc(size);
}

static const char kPolicy[] =
    "controller { name: \"C\" }\n"
    "teams { id: \"data\" roles: \"lead\" }\n"
    "retention_rules { id: \"r\" }\n"
    "references { code: \"DK-SUL-42d\" title: \"Sundhedsloven \xc2\xa7 42 d\" effects: "
    "LEGAL_OBLIGATION }\n"
    "purposes { id: \"a\" categories: \"contact\" data_subjects: \"x\" basis: \"A6-1-b\"\n"
    "  access { team: \"data\" roles: \"lead\" } retention: \"r\" }\n"
    "purposes { id: \"b\" categories: \"health\" data_subjects: \"x\" basis: \"A6-1-c\"\n"
    "  basis: \"A9-2-h\" basis: \"DK-SUL-42d\" basis: \"A6-1-q\" access { team: \"data\" } }\n";

/* The calls of one run, in order. */
enum step {
  kLoad,
  kValidate,
  kFindingsGet,
  kRights,
  kRightsGet,
  kPurposeGet,
  kBasisTitle,
  kMayAccess,
  kPurposeFind,
  kLoadTruncated,
  kSteps
};
static const char* const kStepNames[kSteps] = {
    "gdprkit_policy_load_bytes",   "gdprkit_policy_validate",
    "gdprkit_findings_get",        "gdprkit_policy_rights",
    "gdprkit_rights_get",          "gdprkit_policy_purpose_get",
    "gdprkit_policy_basis_title",  "gdprkit_policy_may_access",
    "gdprkit_policy_purpose_find", "gdprkit_policy_load_bytes (truncated input)"};

#define kNotRun (-1)

struct run_result {
  gdprkit_status status[kSteps];
  int has_message[kSteps]; /* gdprkit_last_error() was non-empty after a failure */
};

static int progress_fd = -1; /* the child tells the parent which step it is in */

static void enter(enum step s) {
  const unsigned char b = (unsigned char)s;
  if (progress_fd >= 0 && write(progress_fd, &b, 1) != 1) progress_fd = -1;
}

#define RECORD(step_, call)                                  \
  do {                                                       \
    enter(step_);                                            \
    r->status[step_] = (call);                               \
    r->has_message[step_] = gdprkit_last_error()[0] != '\0'; \
  } while (0)

/* A status under fault injection: OK, RESOURCE_EXHAUSTED, or `other` (what
 * the call gives without a fault); any failure with a message. */
static void check_status(const struct run_result* r, enum step s, long n, gdprkit_status other) {
  const gdprkit_status got = r->status[s];
  if (got == kNotRun) return;
  ++test_checks;
  if (got != GDPRKIT_OK && got != GDPRKIT_RESOURCE_EXHAUSTED && got != other) {
    ++test_failures;
    fprintf(stderr, "allocation %ld: %s returned %s\n", n, kStepNames[s], gdprkit_status_name(got));
  }
  ++test_checks;
  if (got != GDPRKIT_OK && !r->has_message[s]) {
    ++test_failures;
    fprintf(stderr, "allocation %ld: %s failed without a message\n", n, kStepNames[s]);
  }
}

/* One run with allocation n failing (none for n < 0). Returns the number of
 * calls that reported RESOURCE_EXHAUSTED. */
static int run(long n, int validate_only) {
  struct run_result result;
  struct run_result* r = &result;
  gdprkit_policy* policy = NULL;
  gdprkit_policy* bad = NULL;
  gdprkit_findings* findings = NULL;
  gdprkit_rights* rights = NULL;
  gdprkit_finding finding = GDPRKIT_FINDING_INIT;
  gdprkit_purpose_info info = GDPRKIT_PURPOSE_INFO_INIT;
  gdprkit_right_info right = GDPRKIT_RIGHT_INFO_INIT;
  const char* title = NULL;
  size_t index = 0;
  int allowed = -1;
  int exhausted = 0;
  int i;
  for (i = 0; i < kSteps; ++i) {
    r->status[i] = kNotRun;
    r->has_message[i] = 0;
  }

  if (validate_only) {
    if (gdprkit_policy_load_bytes(&policy, kPolicy, sizeof kPolicy - 1, GDPRKIT_FORMAT_AUTO,
                                  "oom.textproto") != GDPRKIT_OK) {
      return -1;
    }
  }
  fired = 0;
  countdown = n;
  if (validate_only) {
    RECORD(kValidate, gdprkit_policy_validate(&findings, policy));
  } else {
    RECORD(kLoad, gdprkit_policy_load_bytes(&policy, kPolicy, sizeof kPolicy - 1,
                                            GDPRKIT_FORMAT_AUTO, "oom.textproto"));
    if (r->status[kLoad] == GDPRKIT_OK) {
      RECORD(kRights, gdprkit_policy_rights(&rights, policy, "b"));
      if (r->status[kRights] == GDPRKIT_OK) {
        RECORD(kRightsGet, gdprkit_rights_get(&right, rights, 4));
      }
      RECORD(kPurposeGet, gdprkit_policy_purpose_get(&info, policy, 1));
      RECORD(kBasisTitle, gdprkit_policy_basis_title(&title, policy, "DK-SUL-42d"));
      RECORD(kMayAccess, gdprkit_policy_may_access(&allowed, policy, "a", "data", "lead"));
      RECORD(kPurposeFind, gdprkit_policy_purpose_find(&index, policy, "c"));
    }
    RECORD(kLoadTruncated,
           gdprkit_policy_load_bytes(&bad, "purposes { id: ", 15, GDPRKIT_FORMAT_TEXTPROTO,
                                     "truncated.textproto"));
  }
  countdown = -1;
  if (findings != NULL || r->status[kValidate] == GDPRKIT_OK) {
    RECORD(kFindingsGet, gdprkit_findings_get(&finding, findings, 0));
  }

  check_status(r, kLoad, n, GDPRKIT_OK);
  if (r->status[kLoad] != GDPRKIT_OK && r->status[kLoad] != kNotRun) CHECK(policy == NULL);
  check_status(r, kValidate, n, GDPRKIT_OK);
  if (r->status[kValidate] != GDPRKIT_OK && r->status[kValidate] != kNotRun) {
    CHECK(findings == NULL);
  }
  check_status(r, kFindingsGet, n, GDPRKIT_OK);
  check_status(r, kRights, n, GDPRKIT_OK);
  if (r->status[kRights] != GDPRKIT_OK && r->status[kRights] != kNotRun) CHECK(rights == NULL);
  check_status(r, kRightsGet, n, GDPRKIT_OK);
  check_status(r, kPurposeGet, n, GDPRKIT_OK);
  check_status(r, kBasisTitle, n, GDPRKIT_OK);
  if (r->status[kBasisTitle] != GDPRKIT_OK && r->status[kBasisTitle] != kNotRun) {
    CHECK(title == NULL);
  }
  check_status(r, kMayAccess, n, GDPRKIT_OK);
  if (r->status[kMayAccess] != GDPRKIT_OK && r->status[kMayAccess] != kNotRun) {
    CHECK(allowed == 0);
  }
  check_status(r, kPurposeFind, n, GDPRKIT_NOT_FOUND);
  if (r->status[kPurposeFind] != kNotRun) CHECK(r->status[kPurposeFind] != GDPRKIT_OK);
  check_status(r, kLoadTruncated, n, GDPRKIT_INVALID_ARGUMENT);
  if (r->status[kLoadTruncated] != kNotRun) CHECK(r->status[kLoadTruncated] != GDPRKIT_OK);
  CHECK(bad == NULL);
  /* Where nothing failed, the answers are the right ones. */
  if (r->status[kMayAccess] == GDPRKIT_OK) CHECK(allowed == 1);
  if (r->status[kRightsGet] == GDPRKIT_OK) {
    CHECK(right.applies == 0 && right.code != NULL && strcmp(right.code, "A17") == 0);
  }
  if (r->status[kPurposeGet] == GDPRKIT_OK) CHECK(info.id != NULL && strcmp(info.id, "b") == 0);
  if (r->status[kFindingsGet] == GDPRKIT_OK) CHECK(finding.severity == GDPRKIT_SEVERITY_ERROR);

  for (i = 0; i < kSteps; ++i) exhausted += r->status[i] == GDPRKIT_RESOURCE_EXHAUSTED;
  gdprkit_rights_free(rights);
  gdprkit_findings_free(findings);
  gdprkit_policy_free(policy);
  return exhausted;
}

/* Child exit codes. */
enum { kChildNotReached = 0, kChildFailedChecks = 1, kChildExhausted = 2, kChildAllOk = 3 };

int main(int argc, char** argv) {
  const int validate_only = argc > 1 && strcmp(argv[1], "validate") == 0;
  long n;
  long reported = 0;
  long crashed = 0;

  /* Once without faults, in this process: first-use initialisation
   * (protobuf's descriptor pool, locale data) is done before the children
   * fork, so the test is about the calls, not about start-up. */
  CHECK(run(-1, validate_only) == 0);
  CHECK(run(-1, !validate_only) == 0);

  for (n = 0; n < 200000; ++n) {
    int fds[2];
    pid_t pid;
    int status = 0;
    unsigned char last_step = 0xff;
    unsigned char b;
    fflush(NULL);
    if (pipe(fds) != 0) return 2;
    pid = fork();
    if (pid < 0) return 2;
    if (pid == 0) {
      int exhausted;
      close(fds[0]);
      progress_fd = fds[1];
      exhausted = run(n, validate_only);
      fflush(NULL);
      _exit(test_failures != 0 ? kChildFailedChecks
            : !fired           ? kChildNotReached
            : exhausted > 0    ? kChildExhausted
                               : kChildAllOk);
    }
    close(fds[1]);
    while (read(fds[0], &b, 1) == 1) last_step = b;
    close(fds[0]);
    if (waitpid(pid, &status, 0) != pid) return 2;
    ++test_checks;
    if (WIFSIGNALED(status)) {
      ++test_failures;
      ++crashed;
      fprintf(stderr, "allocation %ld: crashed with signal %d in %s\n", n, WTERMSIG(status),
              last_step < kSteps ? kStepNames[last_step] : "(set-up)");
      if (crashed >= 5) {
        fprintf(stderr, "stopping after %ld crashes\n", crashed);
        break;
      }
      continue;
    }
    if (WEXITSTATUS(status) == kChildFailedChecks) {
      ++test_failures;
      continue;
    }
    if (WEXITSTATUS(status) == kChildNotReached) break; /* the sequence needs < n allocations */
    if (WEXITSTATUS(status) == kChildExhausted) ++reported;
  }
  printf(
      "%s: failed each of %ld allocations in turn; %ld runs reported RESOURCE_EXHAUSTED, "
      "%ld crashed\n",
      validate_only ? "gdprkit_policy_validate" : "the lawful-basis calls", n, reported, crashed);
  CHECK(n > 50);       /* the sequence does allocate */
  CHECK(reported > 0); /* and failures reach the caller as statuses */
  return test_report(validate_only ? "oom_test validate" : "oom_test");
}

#else /* no glibc, or a sanitizer */

int main(void) {
  (void)test_report;
  (void)test_failures;
  (void)test_checks;
  printf("oom_test: skipped (needs glibc malloc interposition, no sanitizer)\n");
  return 77;
}

#endif
