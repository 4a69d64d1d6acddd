/* A C user's first program against an installed gdprkit (the Debian packages,
 * scripts/test_deb.sh; the C-only CMake consumer, tests/install/c_only):
 *
 *   rights_row <policy file> <purpose id>
 *
 * loads the policy and prints the purpose's row of the rights table, one
 * right per line ("A17 no  Art. 17: right to erasure"), then checks that an
 * unknown purpose is refused with a message. Exits 0 when all went as
 * expected, 1 with the library's message otherwise. */
#include <gdprkit.h>
#include <stdio.h>
#include <string.h>

static int fail(const char* what) {
  fprintf(stderr, "rights_row: %s: %s\n", what, gdprkit_last_error());
  return 1;
}

int main(int argc, char** argv) {
  gdprkit_policy* policy = NULL;
  gdprkit_rights* rights = NULL;
  gdprkit_rights* none = NULL;
  size_t i;
  int status = 0;

  if (argc != 3) {
    fprintf(stderr, "usage: rights_row <policy file> <purpose id>\n");
    return 2;
  }
  if (gdprkit_abi_version() != GDPRKIT_ABI_VERSION) {
    fprintf(stderr, "rights_row: built for ABI %d, the library has ABI %d\n", GDPRKIT_ABI_VERSION,
            gdprkit_abi_version());
    return 1;
  }
  if (gdprkit_policy_load_file(&policy, argv[1], GDPRKIT_FORMAT_AUTO) != GDPRKIT_OK) {
    return fail("loading the policy");
  }
  if (gdprkit_policy_rights(&rights, policy, argv[2]) != GDPRKIT_OK) {
    gdprkit_policy_free(policy);
    return fail("the rights of the purpose");
  }
  printf("gdprkit %s: rights of purpose %s\n", gdprkit_version(), argv[2]);
  for (i = 0; i < gdprkit_rights_count(rights); ++i) {
    gdprkit_right_info right = GDPRKIT_RIGHT_INFO_INIT;
    if (gdprkit_rights_get(&right, rights, i) != GDPRKIT_OK) {
      status = fail("reading a right");
      break;
    }
    printf("  %-5s %-3s %s\n", right.code, right.applies ? "yes" : "no", right.title);
  }
  if (status == 0 && gdprkit_rights_count(rights) == 0) {
    fprintf(stderr, "rights_row: the purpose has no rights table\n");
    status = 1;
  }
  /* The error path: NOT_FOUND, nothing returned, and a message. */
  if (status == 0 &&
      (gdprkit_policy_rights(&none, policy, "no-such-purpose") != GDPRKIT_NOT_FOUND ||
       none != NULL || strlen(gdprkit_last_error()) == 0)) {
    fprintf(stderr, "rights_row: an unknown purpose was not refused as NOT_FOUND with a message\n");
    status = 1;
  }
  gdprkit_rights_free(rights);
  gdprkit_policy_free(policy);
  return status;
}
