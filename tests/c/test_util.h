/* A few checks for the C tests of the gdprkit ABI: plain C99, no framework.
 * Each failed check prints where and why (with gdprkit_last_error() where a
 * status is involved) and counts; the test's main returns test_failures != 0. */
#ifndef GDPRKIT_TESTS_C_TEST_UTIL_H_
#define GDPRKIT_TESTS_C_TEST_UTIL_H_

#include <stdio.h>
#include <string.h>

#include "gdprkit.h"

static int test_failures = 0;
static int test_checks = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    ++test_checks;                                                             \
    if (!(cond)) {                                                             \
      ++test_failures;                                                         \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

/* Evaluates a gdprkit call once and checks its status. */
#define CHECK_STATUS(expected, call)                                                            \
  do {                                                                                          \
    const gdprkit_status check_status_got_ = (call);                                            \
    ++test_checks;                                                                              \
    if (check_status_got_ != (expected)) {                                                      \
      ++test_failures;                                                                          \
      fprintf(stderr, "%s:%d: %s\n  returned %s (%d), expected %s; last error: %s\n", __FILE__, \
              __LINE__, #call, gdprkit_status_name(check_status_got_), check_status_got_,       \
              gdprkit_status_name(expected), gdprkit_last_error());                             \
    }                                                                                           \
  } while (0)

#define CHECK_OK(call) CHECK_STATUS(GDPRKIT_OK, call)

#define CHECK_STREQ(a, b)                                                                       \
  do {                                                                                          \
    const char* check_a_ = (a);                                                                 \
    const char* check_b_ = (b);                                                                 \
    ++test_checks;                                                                              \
    if (check_a_ == NULL || check_b_ == NULL || strcmp(check_a_, check_b_) != 0) {              \
      ++test_failures;                                                                          \
      fprintf(stderr, "%s:%d: %s == %s\n  got \"%s\" and \"%s\"\n", __FILE__, __LINE__, #a, #b, \
              check_a_ ? check_a_ : "(NULL)", check_b_ ? check_b_ : "(NULL)");                  \
    }                                                                                           \
  } while (0)

/* Checks that `haystack` is non-NULL and contains `needle`. */
#define CHECK_CONTAINS(haystack, needle)                                             \
  do {                                                                               \
    const char* check_h_ = (haystack);                                               \
    const char* check_n_ = (needle);                                                 \
    ++test_checks;                                                                   \
    if (check_h_ == NULL || strstr(check_h_, check_n_) == NULL) {                    \
      ++test_failures;                                                               \
      fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, \
              check_h_ ? check_h_ : "(NULL)", check_n_);                             \
    }                                                                                \
  } while (0)

/* Checks that the thread's last error is not empty and mentions `needle`. */
#define CHECK_ERROR_MENTIONS(needle) CHECK_CONTAINS(gdprkit_last_error(), needle)

static int test_report(const char* name) {
  if (test_failures != 0) {
    fprintf(stderr, "%s: %d of %d checks failed\n", name, test_failures, test_checks);
    return 1;
  }
  printf("%s: all %d checks passed\n", name, test_checks);
  return 0;
}

#endif /* GDPRKIT_TESTS_C_TEST_UTIL_H_ */
