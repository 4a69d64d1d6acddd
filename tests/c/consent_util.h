/* Helpers shared by the consent & requests C tests (consent_test.c,
 * requests_test.c): a day number from text, a seed policy of examples/, a
 * fresh temporary file name. Include after test_util.h. */
#ifndef GDPRKIT_TESTS_C_CONSENT_UTIL_H_
#define GDPRKIT_TESTS_C_CONSENT_UTIL_H_

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "gdprkit.h"
#include "test_util.h"

static inline int32_t day(const char* text) {
  int32_t d = GDPRKIT_NO_DATE;
  CHECK_OK(gdprkit_date_parse(&d, text));
  return d;
}

/* examples/policies/<name>, loaded. */
static inline gdprkit_policy* load(const char* name) {
  char path[512];
  gdprkit_policy* policy = NULL;
  snprintf(path, sizeof path, "%s/policies/%s", GDPRKIT_EXAMPLES_DIR, name);
  CHECK_OK(gdprkit_policy_load_file(&policy, path, GDPRKIT_FORMAT_AUTO));
  return policy;
}

/* $TMPDIR (or /tmp)/gdprkit_c_<name>_<pid>.db, removed if it exists. */
static inline void temp_path(char* out, size_t size, const char* name) {
  const char* dir = getenv("TMPDIR");
  snprintf(out, size, "%s/gdprkit_c_%s_%ld.db", dir != NULL && *dir ? dir : "/tmp", name,
           (long)getpid());
  unlink(out);
}

#endif /* GDPRKIT_TESTS_C_CONSENT_UTIL_H_ */
