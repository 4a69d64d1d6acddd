/* The lawful-basis area of the C ABI, used as a C program would: load a
 * policy, validate it, read its purposes, ask for rights and access. Compiled
 * as C99 with -Wall -Wextra -pedantic -Werror against include/gdprkit.h only.
 *
 * Also walks examples/policies/ and checks that every example loads and
 * answers through the C ABI. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdprkit.h"
#include "test_util.h"

/* A clean policy: no error and no warning. Line numbers matter below:
 * purposes start on lines 8, 17 and 26. */
static const char kPolicy[] =
    "schema: \"gdprkit.v1\"\n"                    /* 1 */
    "controller { name: \"Example practice\" }\n" /* 2 */
    "teams { id: \"data\" title: \"Data consultants\" roles: \"consultant\" roles: \"lead\" }\n"
    "teams { id: \"medicine\" title: \"Medicine consultants\" }\n" /* 4 */
    "retention_rules { id: \"r15m\" description: \"15 months after the provider number ends\" }\n"
    "references { code: \"DK-BEK-530-2018\" title: \"Journalf\xc3\xb8ringsbekendtg\xc3\xb8relsen\""
    " effects: LEGAL_OBLIGATION }\n" /* 6 */
    "# Purposes\n"                   /* 7 */
    "purposes {\n"                   /* 8 */
    "  id: \"case-handling\"\n"
    "  title: \"Case handling\"\n"
    "  categories: \"contact\" categories: \"professional.provider_number\"\n"
    "  data_subjects: \"general practitioners\"\n"
    "  basis: \"A6-1-b\"\n"
    "  access { team: \"data\" }\n"
    "  retention: \"r15m\"\n"
    "}\n"          /* 16 */
    "purposes {\n" /* 17 */
    "  id: \"medicine-review\"\n"
    "  title: \"Medicine review\"\n"
    "  categories: \"professional.provider_number\"\n"
    "  data_subjects: \"general practitioners\"\n"
    "  basis: \"A6-1-b\"\n"
    "  access { team: \"medicine\" } access { team: \"data\" roles: \"lead\" }\n"
    "  retention: \"r15m\"\n"
    "}\n"          /* 25 */
    "purposes {\n" /* 26 */
    "  id: \"patient-record\"\n"
    "  title: \"Patient record\"\n"
    "  description: \"Journalf\xc3\xb8ring\"\n"
    "  categories: \"health.record\" categories: \"identity.name\"\n"
    "  data_subjects: \"patients\" data_subjects: \"relatives\"\n"
    "  basis: \"A6-1-c\" basis: \"A9-2-h\" basis: \"DK-DBL-7-3\" basis: \"DK-BEK-530-2018\"\n"
    "  access { team: \"medicine\" }\n"
    "  retention: \"r15m\"\n"
    "}\n";

/* The same kind of record with mistakes a DPO would flag. */
static const char kFlawedPolicy[] =
    "controller { name: \"Flawed\" }\n"    /* 1 */
    "teams { id: \"t\" }\n"                /* 2 */
    "retention_rules { id: \"r\" }\n"      /* 3 */
    "purposes {\n"                         /* 4 */
    "  id: \"diagnoses\"\n"                /* 5 */
    "  categories: \"health.diagnosis\"\n" /* 6 */
    "  data_subjects: \"patients\"\n"      /* 7 */
    "  basis: \"A6-1-g\"\n"                /* 8: unknown code */
    "  access { team: \"t\" }\n"           /* 9 */
    "  retention: \"r\"\n"                 /* 10 */
    "}\n"
    "purposes {\n" /* 12 */
    "  id: \"usage\"\n"
    "  categories: \"online.usage\"\n"
    "  data_subjects: \"users\"\n"
    "  basis: \"A6-1-f\"\n" /* no balancing test */
    "  access { team: \"t\" }\n"
    "}\n"; /* no retention */

static const char kJsonPolicy[] =
    "{\n"
    "  \"schema\": \"gdprkit.v1\",\n"
    "  \"controller\": {\"name\": \"C\"},\n"
    "  \"teams\": [{\"id\": \"t\"}],\n"
    "  \"retentionRules\": [{\"id\": \"r\"}],\n"
    "  \"purposes\": [\n"
    "    {\"id\": \"newsletter\", \"dataSubjects\": [\"users\"], \"categories\": "
    "[\"contact.email\"],\n"
    "     \"basis\": [\"A6-1-a\"], \"consent\": {\"record\": \"form\", \"withdrawal\": \"link\"},\n"
    "     \"access\": [{\"team\": \"t\"}], \"retention\": \"r\"}\n"
    "  ]\n"
    "}\n";

static gdprkit_policy* must_load(const char* text, int format, const char* name) {
  gdprkit_policy* policy = NULL;
  CHECK_OK(gdprkit_policy_load_bytes(&policy, text, strlen(text), format, name));
  if (policy == NULL) {
    fprintf(stderr, "cannot continue without policy %s\n", name);
    exit(1);
  }
  return policy;
}

/* Index of the first finding with `code`, or -1. */
static long find_finding(const gdprkit_findings* findings, const char* code, gdprkit_finding* out) {
  size_t i;
  for (i = 0; i < gdprkit_findings_count(findings); ++i) {
    gdprkit_finding f = GDPRKIT_FINDING_INIT;
    if (gdprkit_findings_get(&f, findings, i) != GDPRKIT_OK) return -1;
    if (strcmp(f.code, code) == 0) {
      *out = f;
      return (long)i;
    }
  }
  return -1;
}

/* The right with `code` in a rights matrix; fails the test when absent. */
static gdprkit_right_info get_right(const gdprkit_rights* rights, const char* code) {
  size_t i;
  gdprkit_right_info none = GDPRKIT_RIGHT_INFO_INIT;
  for (i = 0; i < gdprkit_rights_count(rights); ++i) {
    gdprkit_right_info r = GDPRKIT_RIGHT_INFO_INIT;
    CHECK_OK(gdprkit_rights_get(&r, rights, i));
    if (r.code != NULL && strcmp(r.code, code) == 0) return r;
  }
  fprintf(stderr, "right %s not in the matrix\n", code);
  ++test_failures;
  return none;
}

static int may(const gdprkit_policy* policy, const char* purpose, const char* team,
               const char* role) {
  int allowed = -1;
  CHECK_OK(gdprkit_policy_may_access(&allowed, policy, purpose, team, role));
  CHECK(allowed == 0 || allowed == 1);
  return allowed;
}

static void test_version(void) {
  CHECK_STREQ(gdprkit_version(), GDPRKIT_VERSION);
  CHECK(gdprkit_abi_version() == GDPRKIT_ABI_VERSION);
  CHECK_STREQ(gdprkit_status_name(GDPRKIT_OK), "OK");
  CHECK_STREQ(gdprkit_last_error(), "");
}

/* A clean policy: valid, and nothing to warn about (notes of severity info
 * are allowed; the core may add more of them as it learns). */
static void test_clean_policy_has_no_findings(void) {
  gdprkit_policy* policy = must_load(kPolicy, GDPRKIT_FORMAT_TEXTPROTO, "clinic.textproto");
  gdprkit_findings* findings = NULL;
  size_t i;

  CHECK_STREQ(gdprkit_policy_source_name(policy), "clinic.textproto");
  CHECK_OK(gdprkit_policy_validate(&findings, policy));
  CHECK(findings != NULL);
  CHECK(gdprkit_findings_error_count(findings) == 0);
  for (i = 0; i < gdprkit_findings_count(findings); ++i) {
    gdprkit_finding f = GDPRKIT_FINDING_INIT;
    CHECK_OK(gdprkit_findings_get(&f, findings, i));
    CHECK(f.severity == GDPRKIT_SEVERITY_INFO);
    CHECK_STREQ(f.severity_name, "info");
    if (f.severity != GDPRKIT_SEVERITY_INFO) {
      fprintf(stderr, "unexpected finding: %s %s %s:%d %s\n", f.severity_name, f.code, f.file,
              f.line, f.message);
    }
  }
  CHECK_STREQ(gdprkit_last_error(), "");
  gdprkit_findings_free(findings);
  gdprkit_policy_free(policy);
}

static void test_findings_of_a_flawed_policy(void) {
  gdprkit_policy* policy = must_load(kFlawedPolicy, GDPRKIT_FORMAT_AUTO, "flawed.textproto");
  gdprkit_findings* findings = NULL;
  gdprkit_finding f = GDPRKIT_FINDING_INIT;
  size_t i;
  int seen_non_error = 0;

  CHECK_OK(gdprkit_policy_validate(&findings, policy));
  CHECK(gdprkit_findings_count(findings) >= 4);
  CHECK(gdprkit_findings_error_count(findings) >= 2);

  /* The unknown code, with where it is and what was meant. */
  CHECK(find_finding(findings, "unknown-basis", &f) >= 0);
  CHECK(f.severity == GDPRKIT_SEVERITY_ERROR);
  CHECK_STREQ(f.severity_name, "error");
  CHECK_STREQ(f.purpose_id, "diagnoses");
  CHECK_STREQ(f.field, "purposes[0].basis[0]");
  CHECK_STREQ(f.file, "flawed.textproto");
  CHECK(f.line == 8);
  CHECK_CONTAINS(f.message, "\"A6-1-g\"");
  CHECK_CONTAINS(f.message, "A6-1-"); /* nearest valid codes */

  /* Health data without an Art. 9(2) condition. */
  CHECK(find_finding(findings, "special-category-without-condition", &f) >= 0);
  CHECK(f.severity == GDPRKIT_SEVERITY_ERROR);
  CHECK_STREQ(f.purpose_id, "diagnoses");

  /* Legitimate interest without a recorded balancing test: a warning. */
  CHECK(find_finding(findings, "legitimate-interest-without-balancing-test", &f) >= 0);
  CHECK(f.severity == GDPRKIT_SEVERITY_WARNING);
  CHECK_STREQ(f.severity_name, "warning");
  CHECK_STREQ(f.purpose_id, "usage");

  CHECK(find_finding(findings, "missing-retention", &f) >= 0);
  CHECK_STREQ(f.purpose_id, "usage");
  CHECK_CONTAINS(f.field, "purposes[1]");

  /* Errors first; every record complete. */
  for (i = 0; i < gdprkit_findings_count(findings); ++i) {
    gdprkit_finding g = GDPRKIT_FINDING_INIT;
    CHECK_OK(gdprkit_findings_get(&g, findings, i));
    CHECK(g.version == GDPRKIT_FINDING_VERSION);
    CHECK(g.code != NULL && g.code[0] != '\0');
    CHECK(g.message != NULL && g.message[0] != '\0');
    CHECK(g.purpose_id != NULL && g.field != NULL && g.file != NULL);
    if (g.severity != GDPRKIT_SEVERITY_ERROR) seen_non_error = 1;
    CHECK(!(seen_non_error && g.severity == GDPRKIT_SEVERITY_ERROR));
  }

  /* Findings outlive their policy. */
  gdprkit_policy_free(policy);
  CHECK(find_finding(findings, "unknown-basis", &f) >= 0);
  CHECK_STREQ(f.file, "flawed.textproto");
  gdprkit_findings_free(findings);
}

static void test_purposes(void) {
  gdprkit_policy* policy = must_load(kPolicy, GDPRKIT_FORMAT_AUTO, "clinic.textproto");
  gdprkit_purpose_info info = GDPRKIT_PURPOSE_INFO_INIT;
  size_t index = 99;
  const char* title = NULL;
  size_t i;

  CHECK(gdprkit_policy_purpose_count(policy) == 3);

  CHECK_OK(gdprkit_policy_purpose_get(&info, policy, 0));
  CHECK_STREQ(info.id, "case-handling");
  CHECK_STREQ(info.title, "Case handling");
  CHECK_STREQ(info.description, "");
  CHECK_STREQ(info.retention, "r15m");
  CHECK(info.basis_count == 1);
  CHECK_STREQ(info.basis[0], "A6-1-b");
  CHECK(info.basis[1] == NULL); /* arrays are also NULL-terminated */
  CHECK(info.category_count == 2);
  CHECK_STREQ(info.categories[0], "contact");
  CHECK_STREQ(info.categories[1], "professional.provider_number");
  CHECK(info.data_subject_count == 1);
  CHECK_STREQ(info.data_subjects[0], "general practitioners");
  CHECK(info.line == 8);

  CHECK_OK(gdprkit_policy_purpose_get(&info, policy, 2));
  CHECK_STREQ(info.id, "patient-record");
  CHECK_STREQ(info.description, "Journalf\xc3\xb8ring"); /* UTF-8 passes through */
  CHECK(info.basis_count == 4);
  CHECK_STREQ(info.basis[3], "DK-BEK-530-2018");
  CHECK(info.data_subject_count == 2);
  CHECK(info.line == 26);

  /* Every basis code of every purpose has a title: built-in or declared. */
  for (i = 0; i < gdprkit_policy_purpose_count(policy); ++i) {
    size_t b;
    CHECK_OK(gdprkit_policy_purpose_get(&info, policy, i));
    for (b = 0; b < info.basis_count; ++b) {
      title = NULL;
      CHECK_OK(gdprkit_policy_basis_title(&title, policy, info.basis[b]));
      CHECK(title != NULL && title[0] != '\0');
    }
  }
  CHECK_OK(gdprkit_policy_basis_title(&title, policy, "A6-1-b"));
  CHECK_CONTAINS(title, "Art. 6(1)(b)");
  CHECK_OK(gdprkit_policy_basis_title(&title, policy, "DK-DBL-7-3"));
  CHECK_CONTAINS(title, "DBL");
  CHECK_OK(gdprkit_policy_basis_title(&title, policy, "DK-BEK-530-2018"));
  CHECK_STREQ(title, "Journalf\xc3\xb8ringsbekendtg\xc3\xb8relsen");

  CHECK_OK(gdprkit_policy_purpose_find(&index, policy, "medicine-review"));
  CHECK(index == 1);
  CHECK_OK(gdprkit_policy_purpose_find(&index, policy, "patient-record"));
  CHECK(index == 2);

  gdprkit_policy_free(policy);
}

static void test_rights(void) {
  gdprkit_policy* policy = must_load(kPolicy, GDPRKIT_FORMAT_TEXTPROTO, "clinic.textproto");
  gdprkit_rights* rights = NULL;
  gdprkit_right_info r;
  size_t i;
  static const char* const kOrder[] = {"A13", "A14", "A15", "A16", "A17", "A18",
                                       "A19", "A20", "A21", "A22", "A7-3"};

  /* A contract: portability yes, objection and withdrawal no. */
  CHECK_OK(gdprkit_policy_rights(&rights, policy, "case-handling"));
  CHECK(gdprkit_rights_count(rights) == 11);
  for (i = 0; i < gdprkit_rights_count(rights) && i < 11; ++i) {
    gdprkit_right_info ri = GDPRKIT_RIGHT_INFO_INIT;
    CHECK_OK(gdprkit_rights_get(&ri, rights, i));
    CHECK_STREQ(ri.code, kOrder[i]);
    CHECK(ri.title != NULL && ri.title[0] != '\0');
    CHECK(ri.reason != NULL && ri.reason[0] != '\0');
    CHECK(ri.applies == 0 || ri.applies == 1);
  }
  r = get_right(rights, "A15");
  CHECK(r.applies == 1);
  CHECK_CONTAINS(r.title, "access");
  r = get_right(rights, "A17");
  CHECK(r.applies == 1);
  r = get_right(rights, "A20");
  CHECK(r.applies == 1);
  r = get_right(rights, "A21");
  CHECK(r.applies == 0);
  CHECK_CONTAINS(r.reason, "Art. 21");
  r = get_right(rights, "A7-3");
  CHECK(r.applies == 0);
  gdprkit_rights_free(rights);

  /* A legal obligation (here also through a declared reference): no erasure
   * on request, and no portability. */
  rights = NULL;
  CHECK_OK(gdprkit_policy_rights(&rights, policy, "patient-record"));
  r = get_right(rights, "A17");
  CHECK(r.applies == 0);
  CHECK_CONTAINS(r.reason, "17(3)(b)");
  r = get_right(rights, "A20");
  CHECK(r.applies == 0);
  CHECK_CONTAINS(r.reason, "20(1)(a)");

  /* The matrix outlives the policy. */
  gdprkit_policy_free(policy);
  r = get_right(rights, "A17");
  CHECK_CONTAINS(r.reason, "17(3)(b)");
  gdprkit_rights_free(rights);
}

/* Titles in English and Danish (0.4): the core's one table, as static
 * strings; "" for what has none. */
static void test_titles(void) {
  gdprkit_policy* policy = must_load(kPolicy, GDPRKIT_FORMAT_TEXTPROTO, "clinic.textproto");
  const char* title = NULL;

  CHECK_STREQ(gdprkit_legal_basis_title("A6-1-c", GDPRKIT_LANGUAGE_DA),
              "Art. 6, stk. 1, litra c: retlig forpligtelse");
  CHECK_STREQ(gdprkit_legal_basis_title("A6-1-c", GDPRKIT_LANGUAGE_EN),
              "Art. 6(1)(c) GDPR: compliance with a legal obligation");
  CHECK_STREQ(gdprkit_right_title("A17", GDPRKIT_LANGUAGE_DA), "Art. 17: Ret til sletning");
  CHECK_STREQ(gdprkit_right_title("A17", GDPRKIT_LANGUAGE_EN), "Art. 17: right to erasure");
  CHECK_STREQ(gdprkit_finding_title("missing-art6-basis", GDPRKIT_LANGUAGE_DA),
              "Intet behandlingsgrundlag efter art. 6, stk. 1");
  CHECK_STREQ(gdprkit_severity_title(GDPRKIT_SEVERITY_ERROR, GDPRKIT_LANGUAGE_DA), "fejl");
  CHECK_STREQ(gdprkit_severity_title(GDPRKIT_SEVERITY_WARNING, GDPRKIT_LANGUAGE_EN), "warning");
  /* Nothing to title: "" (never NULL). */
  CHECK_STREQ(gdprkit_legal_basis_title("A6-1-g", GDPRKIT_LANGUAGE_DA), "");
  CHECK_STREQ(gdprkit_legal_basis_title(NULL, GDPRKIT_LANGUAGE_DA), "");
  CHECK_STREQ(gdprkit_right_title("A17", 7), "");
  CHECK_STREQ(gdprkit_finding_title("no-such-code", GDPRKIT_LANGUAGE_EN), "");
  CHECK_STREQ(gdprkit_severity_title(3, GDPRKIT_LANGUAGE_EN), "");
  CHECK_STREQ(gdprkit_severity_title(GDPRKIT_SEVERITY_INFO, -1), "");

  /* In a policy: built-in codes in the language, declared ones as written. */
  CHECK_OK(gdprkit_policy_basis_title_lang(&title, policy, "A9-2-h", GDPRKIT_LANGUAGE_DA));
  CHECK_CONTAINS(title, "Art. 9, stk. 2, litra h");
  CHECK_OK(gdprkit_policy_basis_title_lang(&title, policy, "DK-BEK-530-2018", GDPRKIT_LANGUAGE_DA));
  CHECK_STREQ(title, "Journalf\xc3\xb8ringsbekendtg\xc3\xb8relsen");
  CHECK_STATUS(GDPRKIT_NOT_FOUND,
               gdprkit_policy_basis_title_lang(&title, policy, "A6-1-g", GDPRKIT_LANGUAGE_DA));
  CHECK(title == NULL);
  CHECK_ERROR_MENTIONS("gdprkit_policy_basis_title_lang");
  CHECK_ERROR_MENTIONS("did you mean");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_policy_basis_title_lang(&title, policy, "A6-1-c", 2));
  CHECK_ERROR_MENTIONS("GDPRKIT_LANGUAGE_DA");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_policy_basis_title_lang(&title, NULL, "A6-1-c", GDPRKIT_LANGUAGE_DA));
  CHECK_ERROR_MENTIONS("policy");
  gdprkit_policy_free(policy);
}

static void test_access(void) {
  gdprkit_policy* policy = must_load(kPolicy, GDPRKIT_FORMAT_TEXTPROTO, "clinic.textproto");

  /* Grants without roles admit every role of the team. */
  CHECK(may(policy, "case-handling", "data", "consultant") == 1);
  CHECK(may(policy, "case-handling", "data", NULL) == 1);
  CHECK(may(policy, "case-handling", "data", "") == 1);
  /* Team isolation: nothing is granted by default. */
  CHECK(may(policy, "case-handling", "medicine", NULL) == 0);
  CHECK(may(policy, "patient-record", "data", "lead") == 0);
  CHECK(may(policy, "patient-record", "medicine", NULL) == 1);
  CHECK(may(policy, "case-handling", "finance", NULL) == 0);
  /* A grant naming roles admits only those. */
  CHECK(may(policy, "medicine-review", "data", "lead") == 1);
  CHECK(may(policy, "medicine-review", "data", "consultant") == 0);
  CHECK(may(policy, "medicine-review", "data", NULL) == 0);
  CHECK(may(policy, "medicine-review", "medicine", "anyone") == 1);

  gdprkit_policy_free(policy);
}

static void test_json(void) {
  gdprkit_policy* policy = must_load(kJsonPolicy, GDPRKIT_FORMAT_JSON, "newsletter.json");
  gdprkit_policy* automatic = must_load(kJsonPolicy, GDPRKIT_FORMAT_AUTO, "newsletter.json");
  gdprkit_findings* findings = NULL;
  gdprkit_rights* rights = NULL;
  gdprkit_purpose_info info = GDPRKIT_PURPOSE_INFO_INIT;
  gdprkit_right_info r;

  CHECK(gdprkit_policy_purpose_count(policy) == 1);
  CHECK(gdprkit_policy_purpose_count(automatic) == 1);
  CHECK_OK(gdprkit_policy_purpose_get(&info, automatic, 0));
  CHECK_STREQ(info.id, "newsletter");
  CHECK_STREQ(info.categories[0], "contact.email");
  CHECK(info.line == 7);

  CHECK_OK(gdprkit_policy_validate(&findings, policy));
  CHECK(gdprkit_findings_error_count(findings) == 0);
  gdprkit_findings_free(findings);

  CHECK_OK(gdprkit_policy_rights(&rights, policy, "newsletter"));
  r = get_right(rights, "A7-3");
  CHECK(r.applies == 1); /* consent may be withdrawn */
  r = get_right(rights, "A20");
  CHECK(r.applies == 1);
  gdprkit_rights_free(rights);

  gdprkit_policy_free(automatic);
  gdprkit_policy_free(policy);
}

static void test_load_file(void) {
  const char* path = "c_policy_test.tmp.textproto";
  gdprkit_policy* policy = NULL;
  FILE* f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f == NULL) return;
  CHECK(fwrite(kPolicy, 1, sizeof kPolicy - 1, f) == sizeof kPolicy - 1);
  fclose(f);

  CHECK_OK(gdprkit_policy_load_file(&policy, path, GDPRKIT_FORMAT_AUTO));
  CHECK(gdprkit_policy_purpose_count(policy) == 3);
  CHECK_STREQ(gdprkit_policy_source_name(policy), path);
  gdprkit_policy_free(policy);
  policy = NULL;
  CHECK_OK(gdprkit_policy_load_file(&policy, path, GDPRKIT_FORMAT_TEXTPROTO));
  CHECK(gdprkit_policy_purpose_count(policy) == 3);
  gdprkit_policy_free(policy);
  remove(path);
}

/* A UTF-8 byte-order mark at the start of a policy (Notepad's "UTF-8") is
 * skipped by the core: from a file in either format and from bytes. */
static void test_byte_order_mark(void) {
  static const char kBom[] = "\xEF\xBB\xBF";
  const char* paths[2] = {"c_policy_bom_test.tmp.textproto", "c_policy_bom_test.tmp.json"};
  const char* texts[2] = {kPolicy, kJsonPolicy};
  const size_t lengths[2] = {sizeof kPolicy - 1, sizeof kJsonPolicy - 1};
  const size_t purposes[2] = {3, 1};
  char buffer[8192];
  size_t k;
  for (k = 0; k < 2; ++k) {
    gdprkit_policy* policy = NULL;
    FILE* f = fopen(paths[k], "wb");
    CHECK(f != NULL);
    if (f == NULL) return;
    CHECK(fwrite(kBom, 1, 3, f) == 3);
    CHECK(fwrite(texts[k], 1, lengths[k], f) == lengths[k]);
    fclose(f);
    CHECK_OK(gdprkit_policy_load_file(&policy, paths[k], GDPRKIT_FORMAT_AUTO));
    CHECK(gdprkit_policy_purpose_count(policy) == purposes[k]);
    gdprkit_policy_free(policy);
    remove(paths[k]);

    CHECK(3 + lengths[k] < sizeof buffer);
    memcpy(buffer, kBom, 3);
    memcpy(buffer + 3, texts[k], lengths[k]);
    policy = NULL;
    CHECK_OK(
        gdprkit_policy_load_bytes(&policy, buffer, 3 + lengths[k], GDPRKIT_FORMAT_AUTO, "bom"));
    CHECK(gdprkit_policy_purpose_count(policy) == purposes[k]);
    gdprkit_policy_free(policy);
  }
}

static int has_suffix(const char* s, const char* suffix) {
  const size_t n = strlen(s);
  const size_t m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Every example policy loads and answers through the ABI. */
static void test_examples(void) {
  const char* dir_path = GDPRKIT_EXAMPLES_DIR "/policies";
  DIR* dir = opendir(dir_path);
  struct dirent* entry;
  int files = 0;
  if (dir == NULL) {
    printf("no %s; skipping the example policies\n", dir_path);
    return;
  }
  while ((entry = readdir(dir)) != NULL) {
    char path[4096];
    gdprkit_policy* policy = NULL;
    gdprkit_findings* findings = NULL;
    size_t i;
    if (!has_suffix(entry->d_name, ".textproto") && !has_suffix(entry->d_name, ".json")) continue;
    snprintf(path, sizeof path, "%s/%s", dir_path, entry->d_name);
    ++files;
    CHECK_OK(gdprkit_policy_load_file(&policy, path, GDPRKIT_FORMAT_AUTO));
    if (policy == NULL) {
      fprintf(stderr, "  in %s\n", path);
      continue;
    }
    CHECK_OK(gdprkit_policy_validate(&findings, policy));
    for (i = 0; i < gdprkit_findings_count(findings); ++i) {
      gdprkit_finding f = GDPRKIT_FINDING_INIT;
      CHECK_OK(gdprkit_findings_get(&f, findings, i));
      CHECK_STREQ(f.file, path);
      CHECK(f.line >= 0);
    }
    printf("%s: %u purposes, %u findings (%u errors)\n", entry->d_name,
           (unsigned)gdprkit_policy_purpose_count(policy),
           (unsigned)gdprkit_findings_count(findings),
           (unsigned)gdprkit_findings_error_count(findings));
    CHECK(gdprkit_policy_purpose_count(policy) > 0);
    for (i = 0; i < gdprkit_policy_purpose_count(policy); ++i) {
      gdprkit_purpose_info info = GDPRKIT_PURPOSE_INFO_INIT;
      gdprkit_rights* rights = NULL;
      size_t found = 0;
      CHECK_OK(gdprkit_policy_purpose_get(&info, policy, i));
      CHECK(info.id != NULL);
      CHECK(info.basis != NULL && info.basis[info.basis_count] == NULL);
      CHECK(info.categories != NULL && info.categories[info.category_count] == NULL);
      if (info.id == NULL || info.id[0] == '\0') continue; /* flagged as missing-id */
      CHECK_OK(gdprkit_policy_purpose_find(&found, policy, info.id));
      CHECK(found <= i); /* the first with that id */
      CHECK_OK(gdprkit_policy_rights(&rights, policy, info.id));
      CHECK(gdprkit_rights_count(rights) == 11);
      gdprkit_rights_free(rights);
    }
    gdprkit_findings_free(findings);
    gdprkit_policy_free(policy);
  }
  closedir(dir);
  printf("%d example policies checked\n", files);
}

int main(void) {
  test_version();
  test_clean_policy_has_no_findings();
  test_findings_of_a_flawed_policy();
  test_purposes();
  test_rights();
  test_titles();
  test_access();
  test_json();
  test_load_file();
  test_byte_order_mark();
  test_examples();
  return test_report("policy_test");
}
