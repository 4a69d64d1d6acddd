/* The bad paths of the C ABI: NULL everywhere, empty and zero-length input,
 * garbage bytes, truncated text, unknown purposes and files, bad indexes and
 * struct versions. Each must give the right status, a message that names the
 * problem, cleared out-parameters, and no crash. Compiled as C99 with -Wall
 * -Wextra -pedantic -Werror. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdprkit.h"
#include "test_util.h"

static const char kPolicy[] =
    "schema: \"gdprkit.v1\"\n"
    "controller { name: \"Example practice\" }\n"
    "teams { id: \"data\" roles: \"consultant\" }\n"
    "retention_rules { id: \"r\" }\n"
    "purposes {\n"
    "  id: \"case-handling\"\n"
    "  categories: \"contact\"\n"
    "  data_subjects: \"general practitioners\"\n"
    "  basis: \"A6-1-b\"\n"
    "  access { team: \"data\" }\n"
    "  retention: \"r\"\n"
    "}\n";

/* A non-NULL pointer that is not a handle: functions must overwrite it with
 * NULL on failure without touching what it points at. */
static char sentinel_storage;
#define SENTINEL_POLICY ((gdprkit_policy*)(void*)&sentinel_storage)
#define SENTINEL_FINDINGS ((gdprkit_findings*)(void*)&sentinel_storage)
#define SENTINEL_RIGHTS ((gdprkit_rights*)(void*)&sentinel_storage)

static gdprkit_policy* load(void) {
  gdprkit_policy* policy = NULL;
  CHECK_OK(gdprkit_policy_load_bytes(&policy, kPolicy, strlen(kPolicy), GDPRKIT_FORMAT_AUTO,
                                     "good.textproto"));
  if (policy == NULL) exit(1);
  return policy;
}

/* Loads `len` bytes and expects `expected`, a NULL *out and a message
 * containing `needle` (and, where given, `needle2`). */
static void expect_load_error(const char* what, const char* data, size_t len, int format,
                              gdprkit_status expected, const char* needle, const char* needle2) {
  gdprkit_policy* policy = SENTINEL_POLICY;
  const gdprkit_status s = gdprkit_policy_load_bytes(&policy, data, len, format, "input.txt");
  ++test_checks;
  if (s != expected) {
    ++test_failures;
    fprintf(stderr, "%s: got %s, expected %s: %s\n", what, gdprkit_status_name(s),
            gdprkit_status_name(expected), gdprkit_last_error());
  }
  CHECK(policy == NULL);
  CHECK(gdprkit_last_error()[0] != '\0');
  CHECK_ERROR_MENTIONS(needle);
  if (needle2 != NULL) CHECK_ERROR_MENTIONS(needle2);
  if (policy != NULL && policy != SENTINEL_POLICY) gdprkit_policy_free(policy);
}

static void test_status_names_and_versions(void) {
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_OK), "OK");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_CANCELLED), "CANCELLED");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_UNKNOWN), "UNKNOWN");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_INVALID_ARGUMENT), "INVALID_ARGUMENT");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_DEADLINE_EXCEEDED), "DEADLINE_EXCEEDED");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_NOT_FOUND), "NOT_FOUND");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_ALREADY_EXISTS), "ALREADY_EXISTS");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_PERMISSION_DENIED), "PERMISSION_DENIED");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_RESOURCE_EXHAUSTED), "RESOURCE_EXHAUSTED");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_FAILED_PRECONDITION), "FAILED_PRECONDITION");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_ABORTED), "ABORTED");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_OUT_OF_RANGE), "OUT_OF_RANGE");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_UNIMPLEMENTED), "UNIMPLEMENTED");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_INTERNAL), "INTERNAL");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_UNAVAILABLE), "UNAVAILABLE");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_DATA_LOSS), "DATA_LOSS");
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_UNAUTHENTICATED), "UNAUTHENTICATED");
  CHECK_STREQ(gdprkit_status_name(17), "UNKNOWN_CODE");
  CHECK_STREQ(gdprkit_status_name(-1), "UNKNOWN_CODE");
  /* The numbers are absl::StatusCode's and part of the ABI. */
  CHECK(GDPRKIT_INVALID_ARGUMENT == 3 && GDPRKIT_NOT_FOUND == 5 && GDPRKIT_PERMISSION_DENIED == 7 &&
        GDPRKIT_RESOURCE_EXHAUSTED == 8 && GDPRKIT_OUT_OF_RANGE == 11 && GDPRKIT_INTERNAL == 13 &&
        GDPRKIT_UNAUTHENTICATED == 16);

  CHECK_STREQ(gdprkit_version(), GDPRKIT_VERSION);
#ifdef GDPRKIT_EXPECTED_VERSION
  CHECK_STREQ(gdprkit_version(), GDPRKIT_EXPECTED_VERSION); /* project(VERSION) in CMake */
#endif
#ifdef GDPRKIT_EXPECTED_ABI_VERSION
  CHECK(GDPRKIT_ABI_VERSION == GDPRKIT_EXPECTED_ABI_VERSION);
#endif
  CHECK(gdprkit_abi_version() == GDPRKIT_ABI_VERSION);
  {
    char v[32];
    snprintf(v, sizeof v, "%d.%d.%d", GDPRKIT_VERSION_MAJOR, GDPRKIT_VERSION_MINOR,
             GDPRKIT_VERSION_PATCH);
    CHECK_STREQ(v, GDPRKIT_VERSION);
  }
}

static void test_null_handles_are_harmless(void) {
  gdprkit_policy_free(NULL);
  gdprkit_findings_free(NULL);
  gdprkit_rights_free(NULL);
  CHECK(gdprkit_findings_count(NULL) == 0);
  CHECK(gdprkit_findings_error_count(NULL) == 0);
  CHECK(gdprkit_policy_purpose_count(NULL) == 0);
  CHECK(gdprkit_rights_count(NULL) == 0);
  CHECK_STREQ(gdprkit_policy_source_name(NULL), "");
}

static void test_null_arguments(void) {
  gdprkit_policy* policy = load();
  gdprkit_policy* p = SENTINEL_POLICY;
  gdprkit_findings* findings = SENTINEL_FINDINGS;
  gdprkit_rights* rights = SENTINEL_RIGHTS;
  gdprkit_finding finding = GDPRKIT_FINDING_INIT;
  gdprkit_purpose_info info = GDPRKIT_PURPOSE_INFO_INIT;
  gdprkit_right_info right = GDPRKIT_RIGHT_INFO_INIT;
  const char* title = "sentinel";
  size_t index = 42;
  int allowed = 42;

  /* Loading. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_policy_load_bytes(NULL, kPolicy, strlen(kPolicy), 0, NULL));
  CHECK_ERROR_MENTIONS("gdprkit_policy_load_bytes");
  CHECK_ERROR_MENTIONS("out");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_load_bytes(&p, NULL, 10, 0, NULL));
  CHECK(p == NULL);
  CHECK_ERROR_MENTIONS("data is NULL");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_policy_load_file(NULL, "x.textproto", GDPRKIT_FORMAT_AUTO));
  CHECK_ERROR_MENTIONS("out");
  p = SENTINEL_POLICY;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_load_file(&p, NULL, GDPRKIT_FORMAT_AUTO));
  CHECK(p == NULL);
  CHECK_ERROR_MENTIONS("gdprkit_policy_load_file: argument path is NULL");

  /* Validation and findings. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_validate(NULL, policy));
  CHECK_ERROR_MENTIONS("out");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_validate(&findings, NULL));
  CHECK(findings == NULL);
  CHECK_ERROR_MENTIONS("gdprkit_policy_validate: argument policy is NULL");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_findings_get(NULL, NULL, 0));
  CHECK_ERROR_MENTIONS("out");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_findings_get(&finding, NULL, 0));
  CHECK_ERROR_MENTIONS("findings is NULL");
  CHECK(finding.version == GDPRKIT_FINDING_VERSION && finding.code == NULL);

  /* Purposes and basis titles. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_purpose_get(NULL, policy, 0));
  CHECK_ERROR_MENTIONS("out");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_purpose_get(&info, NULL, 0));
  CHECK_ERROR_MENTIONS("policy is NULL");
  CHECK(info.id == NULL && info.basis == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_purpose_find(NULL, policy, "x"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_purpose_find(&index, NULL, "x"));
  CHECK(index == 0);
  index = 42;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_purpose_find(&index, policy, NULL));
  CHECK(index == 0);
  CHECK_ERROR_MENTIONS("purpose_id is NULL");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_basis_title(NULL, policy, "A6-1-a"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_basis_title(&title, NULL, "A6-1-a"));
  CHECK(title == NULL);
  title = "sentinel";
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_basis_title(&title, policy, NULL));
  CHECK(title == NULL);
  CHECK_ERROR_MENTIONS("code is NULL");

  /* Rights. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_rights(NULL, policy, "case-handling"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_rights(&rights, NULL, "case-handling"));
  CHECK(rights == NULL);
  rights = SENTINEL_RIGHTS;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_rights(&rights, policy, NULL));
  CHECK(rights == NULL);
  CHECK_ERROR_MENTIONS("purpose_id is NULL");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_rights_get(NULL, NULL, 0));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_rights_get(&right, NULL, 0));
  CHECK_ERROR_MENTIONS("rights is NULL");

  /* Access: on any failure the answer is "denied". */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_policy_may_access(NULL, policy, "case-handling", "data", NULL));
  CHECK_ERROR_MENTIONS("out_allowed");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_policy_may_access(&allowed, NULL, "case-handling", "data", NULL));
  CHECK(allowed == 0);
  allowed = 42;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_policy_may_access(&allowed, policy, NULL, "data", NULL));
  CHECK(allowed == 0);
  allowed = 42;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_policy_may_access(&allowed, policy, "case-handling", NULL, NULL));
  CHECK(allowed == 0);
  CHECK_ERROR_MENTIONS("team is NULL");

  gdprkit_policy_free(policy);
}

static void test_empty_and_garbage_input(void) {
  static const char kGarbage[] = {'\x00', '\x01', '\xff', '\xfe', 'P', 'K', '\x03', '\x04'};
  static const char kUnknownField[] = "purposes {\n  id: \"a\"\n  bassis: \"A6-1-b\"\n}\n";
  static const char kTruncatedJson[] = "{\n  \"purposes\": [\n    {\"id\": \"a\", \"basis\": [\"A6";
  size_t cut;
  char* huge;

  /* Zero length, with and without a pointer: an empty input, not a crash. */
  expect_load_error("NULL, 0", NULL, 0, GDPRKIT_FORMAT_AUTO, GDPRKIT_INVALID_ARGUMENT, "empty",
                    "input.txt");
  expect_load_error("\"\", 0", "", 0, GDPRKIT_FORMAT_TEXTPROTO, GDPRKIT_INVALID_ARGUMENT, "empty",
                    NULL);
  expect_load_error("NULL, 0 as JSON", NULL, 0, GDPRKIT_FORMAT_JSON, GDPRKIT_INVALID_ARGUMENT,
                    "empty", NULL);
  expect_load_error("blank", " \n\t\n", 4, GDPRKIT_FORMAT_AUTO, GDPRKIT_INVALID_ARGUMENT, "empty",
                    NULL);

  /* Binary garbage (a NUL byte, invalid UTF-8, a zip header). */
  expect_load_error("garbage", kGarbage, sizeof kGarbage, GDPRKIT_FORMAT_AUTO,
                    GDPRKIT_INVALID_ARGUMENT, "input.txt:1:1", "UTF-8");
  expect_load_error("invalid UTF-8", "id: \"\xc3\x28\"", 9, GDPRKIT_FORMAT_TEXTPROTO,
                    GDPRKIT_INVALID_ARGUMENT, "UTF-8", NULL);
  /* Text that is not a policy. */
  expect_load_error("text garbage", "}}} not a policy {{{", strlen("}}} not a policy {{{"),
                    GDPRKIT_FORMAT_TEXTPROTO, GDPRKIT_INVALID_ARGUMENT, "input.txt:1:", NULL);
  expect_load_error("JSON garbage", "{ \"purposes\": 12, ", strlen("{ \"purposes\": 12, "),
                    GDPRKIT_FORMAT_JSON, GDPRKIT_INVALID_ARGUMENT, "input.txt", NULL);
  /* An unknown field is named, with the nearest valid one. */
  expect_load_error("unknown field", kUnknownField, strlen(kUnknownField), GDPRKIT_FORMAT_TEXTPROTO,
                    GDPRKIT_INVALID_ARGUMENT, "input.txt:3:", "basis");

  /* Truncated text: every cut inside an open block or string fails cleanly,
   * naming the source and a line. A cut may also fall where the rest parses
   * (between two fields): then the call succeeds, but never crashes. */
  for (cut = 1; cut < sizeof kPolicy - 1; ++cut) {
    gdprkit_policy* policy = SENTINEL_POLICY;
    const gdprkit_status s =
        gdprkit_policy_load_bytes(&policy, kPolicy, cut, GDPRKIT_FORMAT_TEXTPROTO, "cut.textproto");
    if (s == GDPRKIT_OK) {
      CHECK(policy != NULL && policy != SENTINEL_POLICY);
      gdprkit_policy_free(policy);
    } else {
      CHECK(s == GDPRKIT_INVALID_ARGUMENT);
      CHECK(policy == NULL);
      CHECK_ERROR_MENTIONS("cut.textproto:");
    }
  }
  /* In the middle of the purpose block, it must fail. */
  expect_load_error("truncated text", kPolicy, strlen(kPolicy) - 20, GDPRKIT_FORMAT_TEXTPROTO,
                    GDPRKIT_INVALID_ARGUMENT, "input.txt:", NULL);
  expect_load_error("truncated JSON", kTruncatedJson, strlen(kTruncatedJson), GDPRKIT_FORMAT_AUTO,
                    GDPRKIT_INVALID_ARGUMENT, "input.txt:3", NULL);

  /* Unknown format codes. */
  expect_load_error("format 7", kPolicy, strlen(kPolicy), 7, GDPRKIT_INVALID_ARGUMENT,
                    "unknown format 7", NULL);
  expect_load_error("format -1", kPolicy, strlen(kPolicy), -1, GDPRKIT_INVALID_ARGUMENT,
                    "unknown format -1", NULL);
  {
    gdprkit_policy* policy = SENTINEL_POLICY;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_load_file(&policy, "x.textproto", 3));
    CHECK(policy == NULL);
    CHECK_ERROR_MENTIONS("unknown format 3");
  }

  /* Beyond the 16 MiB limit. */
  huge = (char*)malloc((16u << 20) + 1);
  CHECK(huge != NULL);
  if (huge != NULL) {
    memset(huge, ' ', (16u << 20) + 1);
    expect_load_error("huge", huge, (16u << 20) + 1, GDPRKIT_FORMAT_AUTO,
                      GDPRKIT_RESOURCE_EXHAUSTED, "limit", NULL);
    free(huge);
  }
}

static void test_files(void) {
  gdprkit_policy* policy = SENTINEL_POLICY;
  const char* empty_path = "c_policy_errors_test.empty.textproto";
  FILE* f;

  CHECK_STATUS(
      GDPRKIT_NOT_FOUND,
      gdprkit_policy_load_file(&policy, "/nonexistent/dir/policy.textproto", GDPRKIT_FORMAT_AUTO));
  CHECK(policy == NULL);
  CHECK_ERROR_MENTIONS("/nonexistent/dir/policy.textproto");

  policy = SENTINEL_POLICY;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_load_file(&policy, "", 0));
  CHECK(policy == NULL);
  CHECK_ERROR_MENTIONS("empty");

  policy = SENTINEL_POLICY;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_load_file(&policy, ".", 0));
  CHECK(policy == NULL);
  CHECK_ERROR_MENTIONS("directory");

  f = fopen(empty_path, "wb");
  CHECK(f != NULL);
  if (f != NULL) {
    fclose(f);
    policy = SENTINEL_POLICY;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_load_file(&policy, empty_path, 0));
    CHECK(policy == NULL);
    CHECK_ERROR_MENTIONS(empty_path);
    CHECK_ERROR_MENTIONS("empty");
    remove(empty_path);
  }
}

static void test_unknown_names_and_indexes(void) {
  gdprkit_policy* policy = load();
  gdprkit_findings* findings = NULL;
  gdprkit_rights* rights = SENTINEL_RIGHTS;
  gdprkit_finding finding = GDPRKIT_FINDING_INIT;
  gdprkit_purpose_info info = GDPRKIT_PURPOSE_INFO_INIT;
  gdprkit_right_info right = GDPRKIT_RIGHT_INFO_INIT;
  const char* title = "sentinel";
  size_t index = 42;
  int allowed = 42;

  /* Unknown purposes: NOT_FOUND, naming it, the policy, and the nearest id. */
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_policy_rights(&rights, policy, "case-handlng"));
  CHECK(rights == NULL);
  CHECK_ERROR_MENTIONS("\"case-handlng\"");
  CHECK_ERROR_MENTIONS("good.textproto");
  CHECK_ERROR_MENTIONS("\"case-handling\"");
  CHECK_STATUS(GDPRKIT_NOT_FOUND,
               gdprkit_policy_may_access(&allowed, policy, "nope", "data", "consultant"));
  CHECK(allowed == 0);
  CHECK_ERROR_MENTIONS("\"nope\"");
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_policy_purpose_find(&index, policy, "case_handling"));
  CHECK(index == 0);
  CHECK_ERROR_MENTIONS("\"case_handling\"");
  CHECK_ERROR_MENTIONS("did you mean \"case-handling\"");
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_policy_rights(&rights, policy, ""));

  /* An empty team is not a principal. */
  allowed = 42;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_policy_may_access(&allowed, policy, "case-handling", "", "consultant"));
  CHECK(allowed == 0);
  CHECK_ERROR_MENTIONS("team");

  /* Unknown legal-basis codes: NOT_FOUND with the nearest codes. */
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_policy_basis_title(&title, policy, "A6-1-x"));
  CHECK(title == NULL);
  CHECK_ERROR_MENTIONS("\"A6-1-x\"");
  CHECK_ERROR_MENTIONS("\"A6-1-");
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_policy_basis_title(&title, policy, ""));

  /* Indexes past the end: OUT_OF_RANGE, record cleared but its version. */
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE, gdprkit_policy_purpose_get(&info, policy, 1));
  CHECK_ERROR_MENTIONS("index 1");
  CHECK(info.version == GDPRKIT_PURPOSE_INFO_VERSION && info.id == NULL && info.basis_count == 0);
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE, gdprkit_policy_purpose_get(&info, policy, (size_t)-1));
  CHECK_OK(gdprkit_policy_validate(&findings, policy));
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE,
               gdprkit_findings_get(&finding, findings, gdprkit_findings_count(findings)));
  CHECK(finding.version == GDPRKIT_FINDING_VERSION && finding.message == NULL);
  gdprkit_findings_free(findings);
  rights = NULL;
  CHECK_OK(gdprkit_policy_rights(&rights, policy, "case-handling"));
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE, gdprkit_rights_get(&right, rights, 11));
  CHECK_ERROR_MENTIONS("index 11");
  CHECK(right.version == GDPRKIT_RIGHT_INFO_VERSION && right.code == NULL);

  /* Records without a version (zeroed, not initialised with _INIT), or from
   * a future header: refused, not guessed at. */
  {
    gdprkit_right_info zeroed;
    gdprkit_purpose_info future = GDPRKIT_PURPOSE_INFO_INIT;
    gdprkit_finding zero_finding;
    memset(&zeroed, 0, sizeof zeroed);
    memset(&zero_finding, 0, sizeof zero_finding);
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_rights_get(&zeroed, rights, 0));
    CHECK_ERROR_MENTIONS("gdprkit_right_info.version is 0");
    CHECK_ERROR_MENTIONS("_INIT");
    CHECK(zeroed.code == NULL);
    future.version = GDPRKIT_PURPOSE_INFO_VERSION + 1;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_purpose_get(&future, policy, 0));
    CHECK_ERROR_MENTIONS("gdprkit_purpose_info.version");
    CHECK(future.id == NULL && future.version == GDPRKIT_PURPOSE_INFO_VERSION + 1);
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_findings_get(&zero_finding, NULL, 0));
    CHECK_ERROR_MENTIONS("gdprkit_finding.version");
  }
  gdprkit_rights_free(rights);
  gdprkit_policy_free(policy);
}

static void test_last_error_lifecycle(void) {
  gdprkit_policy* policy = NULL;
  /* A failure sets the message; the next successful call clears it. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_policy_load_bytes(&policy, NULL, 0, 0, "x"));
  CHECK(gdprkit_last_error()[0] != '\0');
  CHECK(gdprkit_last_error() == gdprkit_last_error()); /* reading it is not a call */
  policy = load();
  CHECK_STREQ(gdprkit_last_error(), "");
  gdprkit_policy_free(policy);
}

int main(void) {
  test_status_names_and_versions();
  test_null_handles_are_harmless();
  test_null_arguments();
  test_empty_and_garbage_input();
  test_files();
  test_unknown_names_and_indexes();
  test_last_error_lifecycle();
  return test_report("policy_errors_test");
}
