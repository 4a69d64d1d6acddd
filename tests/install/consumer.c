/* A C program against the installed gdprkit: header <gdprkit.h>, library
 * libgdprkit.so.0. Built with CMake (gdprkit::c) and with pkg-config. Exits 0
 * when the installed library answers as expected. */
#include <gdprkit.h>
#include <stdio.h>
#include <string.h>

static const char kPolicy[] =
    "schema: \"gdprkit.v1\"\n"
    "controller { name: \"Consumer\" }\n"
    "teams { id: \"data\" }\n"
    "retention_rules { id: \"r\" }\n"
    "purposes { id: \"case-handling\" categories: \"contact\" data_subjects: \"users\"\n"
    "  basis: \"A6-1-b\" access { team: \"data\" } retention: \"r\" }\n";

#define REQUIRE(cond)                                                              \
  do {                                                                             \
    if (!(cond)) {                                                                 \
      fprintf(stderr, "consumer_c: %s failed: %s\n", #cond, gdprkit_last_error()); \
      return 1;                                                                    \
    }                                                                              \
  } while (0)

int main(void) {
  gdprkit_policy* policy = NULL;
  gdprkit_findings* findings = NULL;
  gdprkit_rights* rights = NULL;
  gdprkit_right_info right = GDPRKIT_RIGHT_INFO_INIT;
  int allowed = 0;

  REQUIRE(gdprkit_abi_version() == GDPRKIT_ABI_VERSION);
  REQUIRE(strcmp(gdprkit_version(), GDPRKIT_VERSION) == 0);
  REQUIRE(gdprkit_policy_load_bytes(&policy, kPolicy, strlen(kPolicy), GDPRKIT_FORMAT_AUTO,
                                    "consumer.textproto") == GDPRKIT_OK);
  REQUIRE(gdprkit_policy_validate(&findings, policy) == GDPRKIT_OK);
  REQUIRE(gdprkit_findings_error_count(findings) == 0);
  REQUIRE(gdprkit_policy_rights(&rights, policy, "case-handling") == GDPRKIT_OK);
  REQUIRE(gdprkit_rights_count(rights) == 11);
  REQUIRE(gdprkit_rights_get(&right, rights, 7) == GDPRKIT_OK);
  REQUIRE(strcmp(right.code, "A20") == 0 && right.applies == 1);
  REQUIRE(gdprkit_policy_may_access(&allowed, policy, "case-handling", "data", NULL) == GDPRKIT_OK);
  REQUIRE(allowed == 1);
  {
    gdprkit_rights* none = NULL;
    REQUIRE(gdprkit_policy_rights(&none, policy, "nope") == GDPRKIT_NOT_FOUND);
    REQUIRE(none == NULL && strstr(gdprkit_last_error(), "nope") != NULL);
  }
  printf("consumer_c: gdprkit %s (ABI %d) ok\n", gdprkit_version(), gdprkit_abi_version());
  gdprkit_rights_free(rights);
  gdprkit_findings_free(findings);
  gdprkit_policy_free(policy);
  return 0;
}
