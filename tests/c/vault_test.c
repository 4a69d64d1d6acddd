/* The identifiers and vault area of the C ABI, used as a C program would:
 * check and normalise identifier columns, create a vault with a passphrase
 * and one with a host key, pseudonymise and tokenise arrays, re-identify with
 * a reason, translate tokens from one domain to another, erase a person,
 * rotate the keys, verify the audit trail; and the bad paths: NULL
 * arguments, bad versions, an invalid identifier at index i, a wrong
 * passphrase, a damaged file, a tampered token, a bad translate target;
 * pseudonym schemes (the default, BLAKE2b domains, bad scheme numbers, an
 * old vault file); exported pseudonym keys and the pseudonymizer handle
 * (the same pseudonyms as the vault, audited exports, malformed texts, one
 * handle shared by several threads); finishing a rotation (rekey) and
 * online backups (a copy that opens with the same passphrase and gives the
 * same tokens, never over an existing file).
 * Messages must never contain the passphrase or an identifier. Compiled as
 * C99 with -Wall -Wextra -pedantic -Werror against include/gdprkit.h only.
 * The numbers are made up (valid by the rules, not real people). */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gdprkit.h"
#include "test_util.h"

static const char kPass[] = "correct horse battery staple";
static char g_dir[256];

static void path_in_dir(char* out, size_t size, const char* name) {
  snprintf(out, size, "%s/%s", g_dir, name);
}

static void remove_vault(const char* path) {
  char buf[512];
  remove(path);
  snprintf(buf, sizeof(buf), "%s-wal", path);
  remove(buf);
  snprintf(buf, sizeof(buf), "%s-shm", path);
  remove(buf);
}

/* The last error never holds a secret or one of the identifiers used. */
static void check_error_is_clean(void) {
  const char* e = gdprkit_last_error();
  CHECK(strstr(e, kPass) == NULL);
  CHECK(strstr(e, "0102031234") == NULL);
  CHECK(strstr(e, "010203-1234") == NULL);
  CHECK(strstr(e, "311299") == NULL);
}

static gdprkit_vault_options test_options(void) {
  gdprkit_vault_options o = GDPRKIT_VAULT_OPTIONS_INIT;
  o.actor = "c-test";
  o.kdf_cost = GDPRKIT_KDF_TESTS_ONLY;
  return o;
}

static void test_identifiers(void) {
  const char* cpr[] = {"010203-1234", " 3112991234 ", "300200-1234", "01020312345", "", "abc"};
  unsigned char problems[6];
  size_t rejected = 99;
  gdprkit_id_column* col = NULL;
  int kind = 0;

  CHECK_OK(gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, cpr, 6, NULL));
  CHECK(rejected == 4);
  CHECK(problems[0] == GDPRKIT_ID_OK);
  CHECK(problems[1] == GDPRKIT_ID_OK);
  CHECK(problems[2] == GDPRKIT_ID_BAD_DATE);
  CHECK(problems[3] == GDPRKIT_ID_BAD_LENGTH);
  CHECK(problems[4] == GDPRKIT_ID_EMPTY);
  CHECK(problems[5] == GDPRKIT_ID_BAD_CHARACTER);
  CHECK_STREQ(gdprkit_id_problem_code(problems[2]), "bad_date");
  CHECK_CONTAINS(gdprkit_id_problem_text(GDPRKIT_ID_CPR, GDPRKIT_ID_BAD_LENGTH), "10 digits");
  CHECK_STREQ(gdprkit_id_problem_code(99), "unknown");
  CHECK_STREQ(gdprkit_id_problem_text(99, 1), "unknown");

  CHECK_OK(gdprkit_ids_normalize(&col, problems, &rejected, GDPRKIT_ID_CPR, cpr, 6, NULL));
  CHECK(gdprkit_id_column_count(col) == 6);
  CHECK_STREQ(gdprkit_id_column_values(col)[0], "0102031234");
  CHECK_STREQ(gdprkit_id_column_values(col)[1], "3112991234");
  CHECK_STREQ(gdprkit_id_column_values(col)[2], "");
  CHECK(gdprkit_id_column_values(col)[6] == NULL);
  gdprkit_id_column_free(col);

  {
    const char* others[] = {"10000009", "DK 10 00 00 17", "10000010", "01234567"};
    CHECK_OK(gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CVR, others, 4, NULL));
    CHECK(rejected == 2);
    CHECK(problems[2] == GDPRKIT_ID_BAD_CHECK_DIGIT);
    CHECK(problems[3] == GDPRKIT_ID_LEADING_ZERO);
  }
  {
    const char* gln[] = {"5790000000005", "5790000000006"};
    CHECK_OK(gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_GLN, gln, 2, NULL));
    CHECK(rejected == 1 && problems[0] == 0 && problems[1] == GDPRKIT_ID_BAD_CHECK_DIGIT);
  }
  {
    const char* yder[] = {"12345", "000000", "1234567"};
    CHECK_OK(gdprkit_ids_normalize(&col, problems, &rejected, GDPRKIT_ID_PROVIDER_NUMBER, yder, 3,
                                   NULL));
    CHECK(rejected == 2);
    CHECK_STREQ(gdprkit_id_column_values(col)[0], "012345");
    CHECK(problems[1] == GDPRKIT_ID_ALL_ZEROS);
    gdprkit_id_column_free(col);
  }
  {
    const char* sor[] = {"12345678902", "12345678903"};
    CHECK_OK(gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_SOR, sor, 2, NULL));
    CHECK(rejected == 1 && problems[1] == GDPRKIT_ID_BAD_CHECK_DIGIT);
  }
  {
    /* Options: modulus 11 required; a replacement number refused. */
    gdprkit_id_options o = GDPRKIT_ID_OPTIONS_INIT;
    const char* one[] = {"010203-1234", "610203-1234"};
    o.cpr_require_modulus11 = 1;
    o.cpr_allow_replacement = 0;
    CHECK_OK(gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, one, 2, &o));
    CHECK(problems[0] == GDPRKIT_ID_BAD_CHECK_DIGIT);
    CHECK(problems[1] == GDPRKIT_ID_REPLACEMENT_NUMBER ||
          problems[1] == GDPRKIT_ID_BAD_CHECK_DIGIT);
    o.version = 0;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, one, 2, &o));
    CHECK_ERROR_MENTIONS("gdprkit_id_options");
  }

  /* Kinds. */
  CHECK_OK(gdprkit_id_kind_parse(&kind, "Ydernummer"));
  CHECK(kind == GDPRKIT_ID_PROVIDER_NUMBER);
  CHECK_STREQ(gdprkit_id_kind_name(kind), "provider_number");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_id_kind_parse(&kind, "passport"));
  CHECK(kind == 0);
  CHECK_ERROR_MENTIONS("passport");
  CHECK_STREQ(gdprkit_id_kind_name(42), "unknown");

  /* Bad arguments. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_ids_check(problems, NULL, GDPRKIT_ID_CPR, cpr, 6, NULL));
  CHECK_ERROR_MENTIONS("out_rejected");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_ids_check(NULL, &rejected, GDPRKIT_ID_CPR, cpr, 6, NULL));
  CHECK_ERROR_MENTIONS("out_problems");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, NULL, 6, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_ids_check(problems, &rejected, 0, cpr, 6, NULL));
  CHECK_ERROR_MENTIONS("kind");
  {
    const char* with_null[] = {"010203-1234", NULL};
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_ids_normalize(&col, NULL, &rejected, GDPRKIT_ID_CPR, with_null, 2, NULL));
    CHECK(col == NULL);
    CHECK_ERROR_MENTIONS("values[1] is NULL");
  }
  /* An empty column is fine, with NULL arrays. */
  CHECK_OK(gdprkit_ids_check(NULL, &rejected, GDPRKIT_ID_CPR, NULL, 0, NULL));
  CHECK(rejected == 0);
  CHECK(gdprkit_id_column_count(NULL) == 0);
  CHECK(gdprkit_id_column_values(NULL) == NULL);
  gdprkit_id_column_free(NULL);
}

static void test_vault(void) {
  char path[512];
  gdprkit_vault* v = NULL;
  gdprkit_vault_options o = test_options();
  const char* ids[] = {"010203-1234", "0102031234", "311299-1234"};
  const char* bad_at_2[] = {"010203-1234", "311299-1234", "300200-1234"};
  gdprkit_id_column* ps = NULL;
  gdprkit_id_column* tk = NULL;
  gdprkit_id_column* back = NULL;
  unsigned char problems[3];
  uint64_t entries = 0, erased = 0;
  unsigned int version = 0;
  char head[65];
  char pass[sizeof(kPass)];

  path_in_dir(path, sizeof(path), "v.db");
  remove_vault(path);
  memcpy(pass, kPass, sizeof(kPass));
  CHECK_OK(gdprkit_vault_create(&v, path, (const unsigned char*)pass, strlen(pass), &o));
  gdprkit_secure_wipe(pass, sizeof(pass));
  CHECK(pass[0] == 0 && pass[sizeof(pass) - 2] == 0);
  CHECK(v != NULL);
  if (v == NULL) return;
  CHECK_OK(gdprkit_vault_create_domain(v, "klynge-aarhus-2026", "cluster report"));
  CHECK_OK(gdprkit_vault_create_domain(v, "kapsel-datakonsulenter", NULL));
  CHECK_STATUS(GDPRKIT_ALREADY_EXISTS,
               gdprkit_vault_create_domain(v, "kapsel-datakonsulenter", NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_create_domain(v, "Bad Name!", NULL));

  /* Pseudonyms: same identifier (two spellings) -> same pseudonym; other
   * domains -> another. */
  CHECK_OK(gdprkit_vault_pseudonymize(&ps, problems, v, "klynge-aarhus-2026", GDPRKIT_ID_CPR, ids,
                                      3, NULL));
  CHECK(gdprkit_id_column_count(ps) == 3);
  if (gdprkit_id_column_count(ps) == 3) {
    const char* const* p = gdprkit_id_column_values(ps);
    gdprkit_id_column* other = NULL;
    CHECK(strncmp(p[0], "ps1_", 4) == 0 && strlen(p[0]) == 30);
    CHECK_STREQ(p[0], p[1]);
    CHECK(strcmp(p[0], p[2]) != 0);
    CHECK_OK(gdprkit_vault_pseudonymize(&other, NULL, v, "kapsel-datakonsulenter", GDPRKIT_ID_CPR,
                                        ids, 1, NULL));
    CHECK(other != NULL && strcmp(gdprkit_id_column_values(other)[0], p[0]) != 0);
    gdprkit_id_column_free(other);
  }
  gdprkit_id_column_free(ps);
  ps = NULL;

  /* An invalid identifier at index 2 fails the batch and names the row, not
   * the value; with skip_invalid it is reported. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_pseudonymize(&ps, problems, v, "klynge-aarhus-2026", GDPRKIT_ID_CPR,
                                          bad_at_2, 3, NULL));
  CHECK(ps == NULL);
  CHECK_ERROR_MENTIONS("row 2");
  CHECK(strstr(gdprkit_last_error(), "300200") == NULL);
  check_error_is_clean();
  {
    gdprkit_batch_options bo = GDPRKIT_BATCH_OPTIONS_INIT;
    bo.skip_invalid = 1;
    CHECK_OK(gdprkit_vault_tokenize(&tk, problems, v, "kapsel-datakonsulenter", GDPRKIT_ID_CPR,
                                    bad_at_2, 3, &bo));
    CHECK(problems[0] == 0 && problems[1] == 0 && problems[2] == GDPRKIT_ID_BAD_DATE);
    CHECK(gdprkit_id_column_count(tk) == 3);
    if (gdprkit_id_column_count(tk) == 3) CHECK_STREQ(gdprkit_id_column_values(tk)[2], "");
    gdprkit_id_column_free(tk);
    tk = NULL;
    bo.version = 7;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_vault_tokenize(&tk, problems, v, "kapsel-datakonsulenter", GDPRKIT_ID_CPR,
                                        ids, 3, &bo));
    CHECK_ERROR_MENTIONS("gdprkit_batch_options");
  }

  /* Tokens: stable, and they re-identify with a reason. */
  CHECK_OK(
      gdprkit_vault_tokenize(&tk, NULL, v, "kapsel-datakonsulenter", GDPRKIT_ID_CPR, ids, 3, NULL));
  CHECK(gdprkit_id_column_count(tk) == 3);
  if (gdprkit_id_column_count(tk) == 3) {
    const char* const* t = gdprkit_id_column_values(tk);
    char tampered[64];
    const char* one[1];
    CHECK(strncmp(t[0], "tk_", 3) == 0);
    CHECK_STREQ(t[0], t[1]);
    CHECK_OK(gdprkit_vault_reidentify(&back, v, "kapsel-datakonsulenter", t, 3, "case 2026-17"));
    CHECK(gdprkit_id_column_count(back) == 3);
    if (gdprkit_id_column_count(back) == 3) {
      CHECK_STREQ(gdprkit_id_column_values(back)[0], "0102031234");
      CHECK_STREQ(gdprkit_id_column_values(back)[2], "3112991234");
    }
    gdprkit_id_column_free(back);
    back = NULL;
    /* No reason, a NULL token, a tampered token, a token of another domain. */
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_vault_reidentify(&back, v, "kapsel-datakonsulenter", t, 3, ""));
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_vault_reidentify(&back, v, "kapsel-datakonsulenter", t, 3, NULL));
    CHECK_ERROR_MENTIONS("reason");
    snprintf(tampered, sizeof(tampered), "%s", t[2]);
    tampered[5] = tampered[5] == 'a' ? 'b' : 'a';
    one[0] = tampered;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_vault_reidentify(&back, v, "kapsel-datakonsulenter", one, 1, "audit"));
    CHECK(back == NULL);
    one[0] = t[0];
    CHECK(gdprkit_vault_reidentify(&back, v, "klynge-aarhus-2026", one, 1, "audit") != GDPRKIT_OK);
    CHECK(back == NULL);
    check_error_is_clean();
    CHECK_STATUS(GDPRKIT_NOT_FOUND,
                 gdprkit_vault_reidentify(&back, v, "no-such-domain", one, 1, "audit"));
  }

  /* Erase the first person: their token no longer re-identifies. */
  CHECK_OK(gdprkit_vault_erase(&erased, v, GDPRKIT_ID_CPR, "010203-1234", "art. 17 request"));
  CHECK(erased == 1);
  if (gdprkit_id_column_count(tk) == 3) {
    const char* one[1];
    one[0] = gdprkit_id_column_values(tk)[0];
    CHECK_STATUS(GDPRKIT_NOT_FOUND,
                 gdprkit_vault_reidentify(&back, v, "kapsel-datakonsulenter", one, 1, "audit"));
    check_error_is_clean();
  }
  CHECK_OK(gdprkit_vault_erase(&erased, v, GDPRKIT_ID_CPR, "010203-1234", "again"));
  CHECK(erased == 0);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_erase(&erased, v, GDPRKIT_ID_CPR, "300200-1234", "bad"));
  check_error_is_clean();

  /* Rotation keeps tokens; pseudonyms carry the new version. */
  CHECK_OK(gdprkit_vault_rotate(&version, v, "yearly rotation"));
  CHECK(version == 2);
  CHECK_OK(
      gdprkit_vault_pseudonymize(&ps, NULL, v, "klynge-aarhus-2026", GDPRKIT_ID_CPR, ids, 1, NULL));
  CHECK(ps != NULL && strncmp(gdprkit_id_column_values(ps)[0], "ps2_", 4) == 0);
  gdprkit_id_column_free(ps);
  ps = NULL;
  if (gdprkit_id_column_count(tk) == 3) {
    const char* one[1];
    one[0] = gdprkit_id_column_values(tk)[2];
    CHECK_OK(
        gdprkit_vault_reidentify(&back, v, "kapsel-datakonsulenter", one, 1, "after rotation"));
    CHECK(back != NULL && strcmp(gdprkit_id_column_values(back)[0], "3112991234") == 0);
    gdprkit_id_column_free(back);
    back = NULL;
  }
  gdprkit_id_column_free(tk);

  /* Audit: created, 2 domains, reidentify, erase x2, rotate, reidentify. */
  CHECK_OK(gdprkit_vault_verify_audit(&entries, head, v));
  CHECK(entries >= 7);
  CHECK(strlen(head) == 64);
  CHECK_OK(gdprkit_vault_verify_audit(&entries, NULL, v));

  /* NULL arguments everywhere. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_pseudonymize(NULL, NULL, v, "klynge-aarhus-2026", 1, ids, 1, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_pseudonymize(&ps, NULL, NULL, "klynge-aarhus-2026", 1, ids, 1, NULL));
  CHECK_ERROR_MENTIONS("vault");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_pseudonymize(&ps, NULL, v, NULL, 1, ids, 1, NULL));
  CHECK_ERROR_MENTIONS("domain");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_pseudonymize(&ps, NULL, v, "klynge-aarhus-2026", 9, ids, 1, NULL));
  CHECK_STATUS(GDPRKIT_NOT_FOUND,
               gdprkit_vault_pseudonymize(&ps, NULL, v, "klynge-aarhus-2025", 1, ids, 1, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_tokenize(&tk, NULL, v, "kapsel-datakonsulenter", 1, NULL, 2, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_erase(NULL, v, 1, "0102031234", "r"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_erase(&erased, NULL, 1, "0102031234", "r"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_rotate(&version, NULL, "r"));
  CHECK(version == 0);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_verify_audit(&entries, head, NULL));
  CHECK(entries == 0 && head[0] == '\0');
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_create_domain(NULL, "x", NULL));
  gdprkit_vault_close(v);
  gdprkit_vault_close(NULL);

  /* Reopen: wrong passphrase, right passphrase, create on an existing file. */
  v = NULL;
  CHECK_STATUS(GDPRKIT_UNAUTHENTICATED,
               gdprkit_vault_open(&v, path, (const unsigned char*)"wrong", 5, &o));
  CHECK(v == NULL);
  check_error_is_clean();
  CHECK_STATUS(GDPRKIT_ALREADY_EXISTS,
               gdprkit_vault_create(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_open(&v, path, (const unsigned char*)kPass, 0, &o));
  CHECK_ERROR_MENTIONS("empty");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_open(&v, path, NULL, 4, &o));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_open(&v, NULL, (const unsigned char*)kPass, strlen(kPass), &o));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_open(NULL, path, (const unsigned char*)kPass, strlen(kPass), &o));
  o.version = 99;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_open(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  CHECK_ERROR_MENTIONS("gdprkit_vault_options");
  o = test_options();
  o.kdf_cost = 17;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_open(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  o = test_options();
  CHECK_OK(gdprkit_vault_open(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  CHECK_OK(gdprkit_vault_verify_audit(&entries, NULL, v));
  gdprkit_vault_close(v);
  v = NULL;

  /* A missing file; create_if_missing. */
  {
    char missing[512];
    path_in_dir(missing, sizeof(missing), "missing.db");
    remove_vault(missing);
    CHECK_STATUS(GDPRKIT_NOT_FOUND,
                 gdprkit_vault_open(&v, missing, (const unsigned char*)kPass, strlen(kPass), &o));
    o.create_if_missing = 1;
    CHECK_OK(gdprkit_vault_open(&v, missing, (const unsigned char*)kPass, strlen(kPass), &o));
    gdprkit_vault_close(v);
    v = NULL;
    o.create_if_missing = 0;
    remove_vault(missing);
  }

  /* A damaged file: overwrite bytes in the middle; truncate. */
  {
    FILE* f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (f != NULL) {
      char junk[4096];
      memset(junk, 0x5a, sizeof(junk));
      fseek(f, 0, SEEK_SET);
      fwrite(junk, 1, 100, f); /* the SQLite header */
      fclose(f);
    }
    CHECK_STATUS(GDPRKIT_DATA_LOSS,
                 gdprkit_vault_open(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
    CHECK(v == NULL);
    check_error_is_clean();
    f = fopen(path, "wb");
    if (f != NULL) {
      fwrite("SQLite format 3", 1, 15, f);
      fclose(f);
    }
    CHECK_STATUS(GDPRKIT_DATA_LOSS,
                 gdprkit_vault_open(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
    CHECK(v == NULL);
  }
  remove_vault(path);
}

/* Copies `from` to `to`; 0 on failure. */
static int copy_file(const char* from, const char* to) {
  char buf[8192];
  size_t n;
  int ok = 1;
  FILE* in = fopen(from, "rb");
  FILE* out = in != NULL ? fopen(to, "wb") : NULL;
  if (in == NULL || out == NULL) {
    if (in != NULL) fclose(in);
    return 0;
  }
  while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
    if (fwrite(buf, 1, n, out) != n) ok = 0;
  }
  if (ferror(in)) ok = 0;
  fclose(in);
  if (fclose(out) != 0) ok = 0;
  return ok;
}

/* Pseudonym schemes: the default (ChaCha20), a BLAKE2b domain, the same
 * pseudonym format for both, bad scheme numbers, NULLs, unknown domains, and
 * a vault file made before schemes existed (its domain is BLAKE2b). */
static void test_schemes(void) {
  char path[512];
  gdprkit_vault* v = NULL;
  gdprkit_vault_options o = test_options();
  const char* ids[] = {"010203-1234", "311299-1234"};
  gdprkit_id_column* a = NULL;
  gdprkit_id_column* b = NULL;
  int scheme = -7;
  const int bad[] = {0, 3, -1, 257, 513};
  size_t i;

  path_in_dir(path, sizeof(path), "schemes.db");
  remove_vault(path);
  CHECK_OK(gdprkit_vault_create(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  CHECK(v != NULL);
  if (v == NULL) return;

  /* The default, and each scheme chosen explicitly. */
  CHECK_OK(gdprkit_vault_create_domain(v, "default", NULL));
  CHECK_OK(gdprkit_vault_domain_scheme(&scheme, v, "default"));
  CHECK(scheme == GDPRKIT_PSEUDONYM_CHACHA20);
  CHECK_STREQ(gdprkit_last_error(), "");
  CHECK_OK(gdprkit_vault_create_domain_with_scheme(v, "legacy", "hashlib-reproducible",
                                                   GDPRKIT_PSEUDONYM_BLAKE2B));
  CHECK_OK(gdprkit_vault_domain_scheme(&scheme, v, "legacy"));
  CHECK(scheme == GDPRKIT_PSEUDONYM_BLAKE2B);
  CHECK_OK(gdprkit_vault_create_domain_with_scheme(v, "fast", NULL, GDPRKIT_PSEUDONYM_CHACHA20));
  CHECK_OK(gdprkit_vault_domain_scheme(&scheme, v, "fast"));
  CHECK(scheme == GDPRKIT_PSEUDONYM_CHACHA20);
  /* An existing name: ALREADY_EXISTS, and its scheme stays. */
  CHECK_STATUS(GDPRKIT_ALREADY_EXISTS, gdprkit_vault_create_domain_with_scheme(
                                           v, "legacy", NULL, GDPRKIT_PSEUDONYM_CHACHA20));
  CHECK_ERROR_MENTIONS("legacy");
  CHECK_OK(gdprkit_vault_domain_scheme(&scheme, v, "legacy"));
  CHECK(scheme == GDPRKIT_PSEUDONYM_BLAKE2B);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_create_domain_with_scheme(
                                             v, "Bad Name!", NULL, GDPRKIT_PSEUDONYM_BLAKE2B));

  /* The same CPR numbers in both schemes: the same format, other values;
   * each scheme is deterministic. */
  CHECK_OK(gdprkit_vault_pseudonymize(&a, NULL, v, "default", GDPRKIT_ID_CPR, ids, 2, NULL));
  CHECK_OK(gdprkit_vault_pseudonymize(&b, NULL, v, "legacy", GDPRKIT_ID_CPR, ids, 2, NULL));
  CHECK(gdprkit_id_column_count(a) == 2 && gdprkit_id_column_count(b) == 2);
  if (gdprkit_id_column_count(a) == 2 && gdprkit_id_column_count(b) == 2) {
    const char* const* pa = gdprkit_id_column_values(a);
    const char* const* pb = gdprkit_id_column_values(b);
    gdprkit_id_column* again = NULL;
    size_t j;
    for (i = 0; i < 2; ++i) {
      CHECK(strncmp(pa[i], "ps1_", 4) == 0 && strlen(pa[i]) == 30);
      CHECK(strncmp(pb[i], "ps1_", 4) == 0 && strlen(pb[i]) == 30);
      CHECK(strlen(pa[i]) == strlen(pb[i]));
      for (j = 4; j < 30 && pa[i][j] != '\0' && pb[i][j] != '\0'; ++j) {
        /* base32, lower case: a-z, 2-7 */
        CHECK((pa[i][j] >= 'a' && pa[i][j] <= 'z') || (pa[i][j] >= '2' && pa[i][j] <= '7'));
        CHECK((pb[i][j] >= 'a' && pb[i][j] <= 'z') || (pb[i][j] >= '2' && pb[i][j] <= '7'));
      }
      CHECK(strcmp(pa[i], pb[i]) != 0);
    }
    CHECK(strcmp(pa[0], pa[1]) != 0);
    CHECK_OK(gdprkit_vault_pseudonymize(&again, NULL, v, "legacy", GDPRKIT_ID_CPR, ids, 2, NULL));
    CHECK(again != NULL && strcmp(gdprkit_id_column_values(again)[1], pb[1]) == 0);
    gdprkit_id_column_free(again);
  }
  gdprkit_id_column_free(a);
  gdprkit_id_column_free(b);
  a = b = NULL;

  /* Bad scheme numbers: INVALID_ARGUMENT naming the number and the accepted
   * ones, and no domain is made (the name stays free). 257 and 513 would be
   * 1 in 8 bits. */
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i) {
    char number[16];
    snprintf(number, sizeof(number), "scheme %d ", bad[i]);
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_vault_create_domain_with_scheme(v, "not-made", NULL, bad[i]));
    CHECK_ERROR_MENTIONS("gdprkit_vault_create_domain_with_scheme");
    CHECK_ERROR_MENTIONS(number);
    CHECK_ERROR_MENTIONS("GDPRKIT_PSEUDONYM_BLAKE2B");
    CHECK_ERROR_MENTIONS("GDPRKIT_PSEUDONYM_CHACHA20");
    scheme = -7;
    CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_vault_domain_scheme(&scheme, v, "not-made"));
    CHECK(scheme == 0);
  }

  /* Unknown domains: NOT_FOUND naming the domain, with the nearest names. */
  scheme = -7;
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_vault_domain_scheme(&scheme, v, "legasy"));
  CHECK(scheme == 0);
  CHECK_ERROR_MENTIONS("gdprkit_vault_domain_scheme");
  CHECK_ERROR_MENTIONS("\"legasy\"");
  CHECK_ERROR_MENTIONS("did you mean \"legacy\"");
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_vault_domain_scheme(&scheme, v, ""));

  /* NULL arguments. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_create_domain_with_scheme(NULL, "x", NULL, GDPRKIT_PSEUDONYM_BLAKE2B));
  CHECK_ERROR_MENTIONS("vault");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_create_domain_with_scheme(v, NULL, NULL, GDPRKIT_PSEUDONYM_BLAKE2B));
  CHECK_ERROR_MENTIONS("name");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_domain_scheme(NULL, v, "legacy"));
  CHECK_ERROR_MENTIONS("out_scheme");
  scheme = -7;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_domain_scheme(&scheme, NULL, "legacy"));
  CHECK_ERROR_MENTIONS("vault");
  CHECK(scheme == 0);
  scheme = -7;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_domain_scheme(&scheme, v, NULL));
  CHECK_ERROR_MENTIONS("domain");
  CHECK(scheme == 0);

  /* The scheme survives key rotation and reopening. */
  {
    unsigned int version = 0;
    CHECK_OK(gdprkit_vault_rotate(&version, v, "test rotation"));
  }
  gdprkit_vault_close(v);
  v = NULL;
  CHECK_OK(gdprkit_vault_open(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  if (v != NULL) {
    CHECK_OK(gdprkit_vault_domain_scheme(&scheme, v, "legacy"));
    CHECK(scheme == GDPRKIT_PSEUDONYM_BLAKE2B);
    CHECK_OK(gdprkit_vault_domain_scheme(&scheme, v, "default"));
    CHECK(scheme == GDPRKIT_PSEUDONYM_CHACHA20);
    gdprkit_vault_close(v);
    v = NULL;
  }
  remove_vault(path);

  /* A vault made before schemes existed (tests/data/vault_schema1.gdprvault,
   * see tests/cpp/vault_test.cc): its domain is BLAKE2b, pseudonyms as then;
   * a new domain gets the default. Opened from a copy (opening migrates). */
  path_in_dir(path, sizeof(path), "schema1.db");
  remove_vault(path);
  CHECK(copy_file(GDPRKIT_EXAMPLES_DIR "/../tests/data/vault_schema1.gdprvault", path));
  CHECK_OK(gdprkit_vault_open(&v, path, (const unsigned char*)"fixture-passphrase-schema-1",
                              strlen("fixture-passphrase-schema-1"), &o));
  if (v != NULL) {
    const char* one[] = {"010190-0123"};
    CHECK_OK(gdprkit_vault_domain_scheme(&scheme, v, "klynge-aarhus-2026"));
    CHECK(scheme == GDPRKIT_PSEUDONYM_BLAKE2B);
    CHECK_OK(gdprkit_vault_pseudonymize(&a, NULL, v, "klynge-aarhus-2026", GDPRKIT_ID_CPR, one, 1,
                                        NULL));
    CHECK(a != NULL);
    if (a != NULL) CHECK_STREQ(gdprkit_id_column_values(a)[0], "ps1_tzglshik6qyknvf4oesqyl3w7q");
    gdprkit_id_column_free(a);
    CHECK_OK(gdprkit_vault_create_domain(v, "new-domain", NULL));
    CHECK_OK(gdprkit_vault_domain_scheme(&scheme, v, "new-domain"));
    CHECK(scheme == GDPRKIT_PSEUDONYM_CHACHA20);
    gdprkit_vault_close(v);
  }
  remove_vault(path);
}

/* The audit trail's length (0 on failure, which the caller's CHECK notices). */
static uint64_t audit_entries(const gdprkit_vault* v) {
  uint64_t entries = 0;
  CHECK_OK(gdprkit_vault_verify_audit(&entries, NULL, v));
  return entries;
}

/* Checks that columns a and b hold the same strings. */
static void check_same_column(const gdprkit_id_column* a, const gdprkit_id_column* b) {
  size_t i;
  CHECK(a != NULL && b != NULL);
  CHECK(gdprkit_id_column_count(a) == gdprkit_id_column_count(b));
  if (a == NULL || b == NULL || gdprkit_id_column_count(a) != gdprkit_id_column_count(b)) return;
  for (i = 0; i < gdprkit_id_column_count(a); ++i) {
    CHECK_STREQ(gdprkit_id_column_values(a)[i], gdprkit_id_column_values(b)[i]);
  }
}

/* Translation from one domain to another: tokens of A become the tokens (or
 * pseudonyms) the same people have in B, audited, all or nothing; bad
 * targets, the same domain twice, foreign, tampered and erased tokens, NULL
 * arguments, an empty batch. */
static void test_translate(void) {
  static const char kA[] = "klynge-aarhus-2026";
  static const char kB[] = "kapsel-datakonsulenter";
  char path[512];
  gdprkit_vault* v = NULL;
  gdprkit_vault_options o = test_options();
  const char* ids[] = {"010203-1234", "311299-1234", "0102031234"};
  gdprkit_id_column* ta = NULL; /* tokens of the ids in A */
  gdprkit_id_column* out = NULL;
  gdprkit_id_column* want = NULL;
  const int bad_targets[] = {2, -1, 256, 257};
  uint64_t before;
  size_t i;

  path_in_dir(path, sizeof(path), "translate.db");
  remove_vault(path);
  CHECK_OK(gdprkit_vault_create(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  CHECK(v != NULL);
  if (v == NULL) return;
  CHECK_OK(gdprkit_vault_create_domain(v, kA, NULL));
  CHECK_OK(gdprkit_vault_create_domain(v, kB, NULL));
  CHECK_OK(gdprkit_vault_create_domain_with_scheme(v, "legacy", NULL, GDPRKIT_PSEUDONYM_BLAKE2B));
  CHECK_OK(gdprkit_vault_tokenize(&ta, NULL, v, kA, GDPRKIT_ID_CPR, ids, 3, NULL));
  CHECK(gdprkit_id_column_count(ta) == 3);
  if (gdprkit_id_column_count(ta) != 3) {
    gdprkit_id_column_free(ta);
    gdprkit_vault_close(v);
    return;
  }
  /* The second person already has a token in B; the others get theirs from
   * the translation. */
  CHECK_OK(gdprkit_vault_tokenize(&want, NULL, v, kB, GDPRKIT_ID_CPR, ids + 1, 1, NULL));
  gdprkit_id_column_free(want);
  want = NULL;

  /* Tokens of A -> tokens of B: the same as tokenising the identifiers in B. */
  before = audit_entries(v);
  CHECK_OK(gdprkit_vault_translate(&out, v, kA, kB, gdprkit_id_column_values(ta), 3,
                                   "hand-over to the data team", GDPRKIT_TRANSLATE_TO_TOKEN));
  CHECK_STREQ(gdprkit_last_error(), "");
  CHECK(audit_entries(v) == before + 1);
  CHECK_OK(gdprkit_vault_tokenize(&want, NULL, v, kB, GDPRKIT_ID_CPR, ids, 3, NULL));
  check_same_column(out, want);
  if (gdprkit_id_column_count(out) == 3) {
    const char* const* t = gdprkit_id_column_values(out);
    CHECK(strncmp(t[0], "tk_", 3) == 0 && strlen(t[0]) == 35);
    CHECK_STREQ(t[0], t[2]); /* one person, two spellings */
    CHECK(strcmp(t[0], gdprkit_id_column_values(ta)[0]) != 0);
    CHECK(gdprkit_id_column_values(out)[3] == NULL);
  }
  /* Back again: B's tokens translate to A's. */
  if (out != NULL) {
    gdprkit_id_column* back = NULL;
    CHECK_OK(gdprkit_vault_translate(&back, v, kB, kA, gdprkit_id_column_values(out), 3, "back",
                                     GDPRKIT_TRANSLATE_TO_TOKEN));
    check_same_column(back, ta);
    gdprkit_id_column_free(back);
  }
  gdprkit_id_column_free(out);
  gdprkit_id_column_free(want);
  out = want = NULL;

  /* Tokens of A -> pseudonyms of B (ChaCha20) and of a BLAKE2b domain: the
   * same as pseudonymising the identifiers there. */
  before = audit_entries(v);
  CHECK_OK(gdprkit_vault_translate(&out, v, kA, kB, gdprkit_id_column_values(ta), 3,
                                   "statistics extract", GDPRKIT_TRANSLATE_TO_PSEUDONYM));
  CHECK(audit_entries(v) == before + 1);
  CHECK_OK(gdprkit_vault_pseudonymize(&want, NULL, v, kB, GDPRKIT_ID_CPR, ids, 3, NULL));
  check_same_column(out, want);
  if (gdprkit_id_column_count(out) == 3) {
    CHECK(strncmp(gdprkit_id_column_values(out)[1], "ps1_", 4) == 0);
  }
  gdprkit_id_column_free(out);
  gdprkit_id_column_free(want);
  out = want = NULL;
  CHECK_OK(gdprkit_vault_translate(&out, v, kA, "legacy", gdprkit_id_column_values(ta), 3,
                                   "statistics extract", GDPRKIT_TRANSLATE_TO_PSEUDONYM));
  CHECK_OK(gdprkit_vault_pseudonymize(&want, NULL, v, "legacy", GDPRKIT_ID_CPR, ids, 3, NULL));
  check_same_column(out, want);
  gdprkit_id_column_free(out);
  gdprkit_id_column_free(want);
  out = want = NULL;

  /* Nothing below may write: the audit trail keeps its length. */
  before = audit_entries(v);

  /* Bad targets: INVALID_ARGUMENT naming the number and the accepted ones
   * (256 would be 0 in 8 bits). */
  for (i = 0; i < sizeof(bad_targets) / sizeof(bad_targets[0]); ++i) {
    char number[32];
    snprintf(number, sizeof(number), "target %d ", bad_targets[i]);
    out = (gdprkit_id_column*)&out; /* not NULL: the call must reset it */
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_vault_translate(&out, v, kA, kB, gdprkit_id_column_values(ta), 3, "x",
                                         bad_targets[i]));
    CHECK(out == NULL);
    CHECK_ERROR_MENTIONS("gdprkit_vault_translate");
    CHECK_ERROR_MENTIONS(number);
    CHECK_ERROR_MENTIONS("GDPRKIT_TRANSLATE_TO_TOKEN");
    CHECK_ERROR_MENTIONS("GDPRKIT_TRANSLATE_TO_PSEUDONYM");
  }

  /* The same domain twice. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_translate(&out, v, kA, kA, gdprkit_id_column_values(ta), 3, "x",
                                       GDPRKIT_TRANSLATE_TO_TOKEN));
  CHECK(out == NULL);
  CHECK_ERROR_MENTIONS("two different domains");

  /* No reason. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_translate(&out, v, kA, kB, gdprkit_id_column_values(ta), 3, "",
                                       GDPRKIT_TRANSLATE_TO_TOKEN));
  CHECK_ERROR_MENTIONS("reason");

  /* A token of B given as one of A (row 1), and a tampered one (row 2):
   * the whole batch fails, naming the row, and nothing is issued in B. */
  {
    gdprkit_id_column* tb = NULL;
    const char* fresh[] = {"020304-1234"};
    CHECK_OK(gdprkit_vault_tokenize(&tb, NULL, v, "legacy", GDPRKIT_ID_CPR, fresh, 1, NULL));
    if (gdprkit_id_column_count(tb) == 1) {
      const char* mixed[2];
      char tampered[64];
      mixed[0] = gdprkit_id_column_values(ta)[0];
      mixed[1] = gdprkit_id_column_values(tb)[0];
      before = audit_entries(v);
      CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                   gdprkit_vault_translate(&out, v, "legacy", kB, mixed, 2, "x",
                                           GDPRKIT_TRANSLATE_TO_TOKEN));
      CHECK_ERROR_MENTIONS("row 0");
      mixed[0] = gdprkit_id_column_values(tb)[0];
      mixed[1] = gdprkit_id_column_values(ta)[1];
      CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_translate(&out, v, kA, kB, mixed, 2, "x",
                                                                     GDPRKIT_TRANSLATE_TO_TOKEN));
      CHECK(out == NULL);
      CHECK_ERROR_MENTIONS("row 0");
      CHECK_ERROR_MENTIONS("another domain");
      check_error_is_clean();
      mixed[0] = gdprkit_id_column_values(ta)[1];
      snprintf(tampered, sizeof(tampered), "%s", gdprkit_id_column_values(ta)[0]);
      tampered[5] = tampered[5] == 'a' ? 'b' : 'a';
      mixed[1] = tampered;
      CHECK_STATUS(
          GDPRKIT_INVALID_ARGUMENT,
          gdprkit_vault_translate(&out, v, kA, kB, mixed, 2, "x", GDPRKIT_TRANSLATE_TO_PSEUDONYM));
      CHECK(out == NULL);
      CHECK_ERROR_MENTIONS("row 1");
      mixed[1] = "not a token";
      CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_translate(&out, v, kA, kB, mixed, 2, "x",
                                                                     GDPRKIT_TRANSLATE_TO_TOKEN));
      CHECK_ERROR_MENTIONS("row 1");
      CHECK(audit_entries(v) == before);
      /* The person of "legacy" got no token in B: translating their token
       * after the failures still issues a new one there, which
       * tokenising then finds. */
      mixed[0] = gdprkit_id_column_values(tb)[0];
      CHECK_OK(gdprkit_vault_translate(&out, v, "legacy", kB, mixed, 1, "check",
                                       GDPRKIT_TRANSLATE_TO_TOKEN));
      CHECK_OK(gdprkit_vault_tokenize(&want, NULL, v, kB, GDPRKIT_ID_CPR, fresh, 1, NULL));
      check_same_column(out, want);
      gdprkit_id_column_free(out);
      gdprkit_id_column_free(want);
      out = want = NULL;
    }
    gdprkit_id_column_free(tb);
  }

  /* Unknown domains: NOT_FOUND, nothing written. */
  before = audit_entries(v);
  CHECK_STATUS(GDPRKIT_NOT_FOUND,
               gdprkit_vault_translate(&out, v, kA, "no-such-domain", gdprkit_id_column_values(ta),
                                       3, "x", GDPRKIT_TRANSLATE_TO_TOKEN));
  CHECK_ERROR_MENTIONS("no-such-domain");
  CHECK_STATUS(GDPRKIT_NOT_FOUND,
               gdprkit_vault_translate(&out, v, "no-such-domain", kB, gdprkit_id_column_values(ta),
                                       3, "x", GDPRKIT_TRANSLATE_TO_PSEUDONYM));
  CHECK(out == NULL);

  /* NULL arguments. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_translate(NULL, v, kA, kB, gdprkit_id_column_values(ta), 3, "x",
                                       GDPRKIT_TRANSLATE_TO_TOKEN));
  CHECK_ERROR_MENTIONS("out");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_translate(&out, NULL, kA, kB, gdprkit_id_column_values(ta), 3, "x",
                                       GDPRKIT_TRANSLATE_TO_TOKEN));
  CHECK_ERROR_MENTIONS("vault");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_translate(&out, v, NULL, kB, gdprkit_id_column_values(ta), 3, "x",
                                       GDPRKIT_TRANSLATE_TO_TOKEN));
  CHECK_ERROR_MENTIONS("from_domain");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_translate(&out, v, kA, NULL, gdprkit_id_column_values(ta), 3, "x",
                                       GDPRKIT_TRANSLATE_TO_TOKEN));
  CHECK_ERROR_MENTIONS("to_domain");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_translate(&out, v, kA, kB, gdprkit_id_column_values(ta), 3, NULL,
                                       GDPRKIT_TRANSLATE_TO_TOKEN));
  CHECK_ERROR_MENTIONS("reason");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_translate(&out, v, kA, kB, NULL, 2, "x", GDPRKIT_TRANSLATE_TO_TOKEN));
  CHECK_ERROR_MENTIONS("tokens");
  {
    const char* with_null[2];
    with_null[0] = gdprkit_id_column_values(ta)[0];
    with_null[1] = NULL;
    CHECK_STATUS(
        GDPRKIT_INVALID_ARGUMENT,
        gdprkit_vault_translate(&out, v, kA, kB, with_null, 2, "x", GDPRKIT_TRANSLATE_TO_TOKEN));
    CHECK_ERROR_MENTIONS("tokens[1] is NULL");
  }
  CHECK(out == NULL);
  CHECK(audit_entries(v) == before);

  /* An empty batch: an empty column (tokens may be NULL), audited with
   * count 0. */
  CHECK_OK(gdprkit_vault_translate(&out, v, kA, kB, NULL, 0, "nothing to do",
                                   GDPRKIT_TRANSLATE_TO_PSEUDONYM));
  CHECK(out != NULL && gdprkit_id_column_count(out) == 0);
  if (out != NULL) CHECK(gdprkit_id_column_values(out)[0] == NULL);
  gdprkit_id_column_free(out);
  out = NULL;
  CHECK(audit_entries(v) == before + 1);

  /* An erased person's token: NOT_FOUND. */
  {
    uint64_t erased = 0;
    const char* one[1];
    CHECK_OK(gdprkit_vault_erase(&erased, v, GDPRKIT_ID_CPR, "311299-1234", "art. 17 request"));
    CHECK(erased == 2); /* their tokens in A and in B */
    before = audit_entries(v);
    one[0] = gdprkit_id_column_values(ta)[1];
    CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_vault_translate(&out, v, kA, kB, one, 1, "x",
                                                            GDPRKIT_TRANSLATE_TO_PSEUDONYM));
    CHECK(out == NULL);
    check_error_is_clean();
    CHECK(audit_entries(v) == before);
  }

  gdprkit_id_column_free(ta);
  gdprkit_vault_close(v);
  remove_vault(path);
}

/* ---- Pseudonyms from an exported key, without the vault ------------------ */

/* The last error holds neither the exported text nor its key part (the
 * base32 after the last ':'), nor anything else checked as clean. */
static void check_error_has_no_key(const char* text) {
  const char* e = gdprkit_last_error();
  const char* key = strrchr(text, ':');
  check_error_is_clean();
  CHECK(strstr(e, text) == NULL);
  if (key != NULL && strlen(key + 1) >= 8) {
    char part[16];
    memcpy(part, key + 1, 8); /* any 8 characters of the key would do */
    part[8] = '\0';
    CHECK(strstr(e, part) == NULL);
  }
}

/* Checks that the pseudonymizer gives what the vault gives for `ids` of
 * `domain`, with and without skip_invalid. */
static void check_same_as_vault(const gdprkit_vault* v, const gdprkit_pseudonymizer* p,
                                const char* domain, int kind, const char* const* ids, size_t count,
                                const gdprkit_batch_options* bo) {
  gdprkit_id_column* want = NULL;
  gdprkit_id_column* got = NULL;
  unsigned char want_problems[16];
  unsigned char got_problems[16];
  const gdprkit_status ws =
      gdprkit_vault_pseudonymize(&want, want_problems, v, domain, kind, ids, count, bo);
  const gdprkit_status gs =
      gdprkit_pseudonymizer_pseudonymize(&got, got_problems, p, kind, ids, count, bo);
  CHECK(count <= sizeof(want_problems));
  CHECK(ws == gs);
  if (ws == GDPRKIT_OK && gs == GDPRKIT_OK) {
    check_same_column(got, want);
    CHECK(memcmp(want_problems, got_problems, count) == 0);
  } else {
    CHECK(want == NULL && got == NULL);
  }
  gdprkit_id_column_free(want);
  gdprkit_id_column_free(got);
}

/* gdprkit_vault_export_pseudonym_key and gdprkit_pseudonymizer_*: the same
 * pseudonyms as the vault for a ChaCha20 and a BLAKE2b domain, audited
 * exports, a reason required, malformed texts, NULL arguments, an empty
 * batch, an old key version after rotation; the key text is in no message. */
static void test_exported_key(void) {
  static const char* const kDomains[] = {"klynge-aarhus-2026", "legacy"};
  static const int kSchemes[] = {GDPRKIT_PSEUDONYM_CHACHA20, GDPRKIT_PSEUDONYM_BLAKE2B};
  char path[512];
  char kept[256]; /* a copy of the first text, to look for in messages */
  gdprkit_vault* v = NULL;
  gdprkit_vault_options o = test_options();
  const char* ids[] = {"010203-1234", "0102031234", "311299-1234"};
  const char* bad_at_2[] = {"010203-1234", "311299-1234", "300200-1234"};
  const char* others[] = {"Patient 17", "  Patient 17 ", "x"};
  gdprkit_pseudonymizer* p = NULL;
  gdprkit_id_column* col = NULL;
  char* text = NULL;
  size_t len = 99;
  uint64_t before;
  size_t d;

  kept[0] = '\0';
  path_in_dir(path, sizeof(path), "export.db");
  remove_vault(path);
  CHECK_OK(gdprkit_vault_create(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  CHECK(v != NULL);
  if (v == NULL) return;
  CHECK_OK(gdprkit_vault_create_domain(v, kDomains[0], "cluster report"));
  CHECK_OK(
      gdprkit_vault_create_domain_with_scheme(v, kDomains[1], NULL, GDPRKIT_PSEUDONYM_BLAKE2B));

  for (d = 0; d < 2; ++d) {
    char prefix[128];
    gdprkit_batch_options bo = GDPRKIT_BATCH_OPTIONS_INIT;
    snprintf(prefix, sizeof(prefix), "gdprkit-pseudonym-key-v2:%s:1:%s:", kDomains[d],
             d == 0 ? "chacha20" : "blake2b");

    /* One audit entry per export. */
    before = audit_entries(v);
    text = NULL;
    len = 99;
    CHECK_OK(gdprkit_vault_export_pseudonym_key(&text, &len, v, kDomains[d], "hand-over to R"));
    CHECK_STREQ(gdprkit_last_error(), "");
    CHECK(audit_entries(v) == before + 1);
    CHECK(text != NULL);
    if (text == NULL) continue;
    CHECK(len == strlen(text));
    CHECK(strncmp(text, prefix, strlen(prefix)) == 0);
    if (d == 0 && len < sizeof(kept)) memcpy(kept, text, len + 1);

    /* The handle: its domain, version and scheme. */
    CHECK_OK(gdprkit_pseudonymizer_from_exported_key(&p, text, len));
    CHECK(p != NULL);
    if (p == NULL) {
      gdprkit_secret_free(text);
      continue;
    }
    CHECK_STREQ(gdprkit_pseudonymizer_domain(p), kDomains[d]);
    CHECK(gdprkit_pseudonymizer_key_version(p) == 1);
    CHECK(gdprkit_pseudonymizer_scheme(p) == kSchemes[d]);

    /* The same pseudonyms as the vault: CPR numbers (two spellings), text,
     * a bad row failing the batch, the same row skipped. */
    check_same_as_vault(v, p, kDomains[d], GDPRKIT_ID_CPR, ids, 3, NULL);
    check_same_as_vault(v, p, kDomains[d], GDPRKIT_ID_OTHER, others, 3, NULL);
    check_same_as_vault(v, p, kDomains[d], GDPRKIT_ID_CPR, bad_at_2, 3, NULL);
    bo.skip_invalid = 1;
    check_same_as_vault(v, p, kDomains[d], GDPRKIT_ID_CPR, bad_at_2, 3, &bo);
    bo.key_version = 1;
    check_same_as_vault(v, p, kDomains[d], GDPRKIT_ID_CPR, ids, 3, &bo);

    /* The fail mode names the row, never the value; skip mode reports it. */
    {
      unsigned char problems[3] = {9, 9, 9};
      col = (gdprkit_id_column*)&col; /* not NULL: the call must reset it */
      CHECK_STATUS(
          GDPRKIT_INVALID_ARGUMENT,
          gdprkit_pseudonymizer_pseudonymize(&col, problems, p, GDPRKIT_ID_CPR, bad_at_2, 3, NULL));
      CHECK(col == NULL);
      CHECK_ERROR_MENTIONS("gdprkit_pseudonymizer_pseudonymize");
      CHECK_ERROR_MENTIONS("row 2");
      CHECK(strstr(gdprkit_last_error(), "300200") == NULL);
      check_error_has_no_key(text);
      bo.key_version = 0;
      CHECK_OK(
          gdprkit_pseudonymizer_pseudonymize(&col, problems, p, GDPRKIT_ID_CPR, bad_at_2, 3, &bo));
      CHECK(problems[0] == GDPRKIT_ID_OK && problems[1] == GDPRKIT_ID_OK &&
            problems[2] == GDPRKIT_ID_BAD_DATE);
      CHECK(gdprkit_id_column_count(col) == 3);
      if (gdprkit_id_column_count(col) == 3) {
        CHECK(strncmp(gdprkit_id_column_values(col)[0], "ps1_", 4) == 0);
        CHECK_STREQ(gdprkit_id_column_values(col)[2], "");
        CHECK(gdprkit_id_column_values(col)[3] == NULL);
      }
      gdprkit_id_column_free(col);
      col = NULL;
    }

    /* Another key version than the handle's. */
    bo.key_version = 2;
    CHECK_STATUS(GDPRKIT_FAILED_PRECONDITION,
                 gdprkit_pseudonymizer_pseudonymize(&col, NULL, p, GDPRKIT_ID_CPR, ids, 3, &bo));
    CHECK(col == NULL);
    CHECK_ERROR_MENTIONS("key version");

    /* Whitespace around the text (the CLI's file ends with a newline) is
     * ignored: the same handle. */
    {
      char padded[256];
      gdprkit_pseudonymizer* q = NULL;
      CHECK(len + 4 < sizeof(padded));
      if (len + 4 < sizeof(padded)) {
        padded[0] = ' ';
        memcpy(padded + 1, text, len);
        memcpy(padded + 1 + len, "\r\n", 2);
        CHECK_OK(gdprkit_pseudonymizer_from_exported_key(&q, padded, len + 3));
        CHECK_STREQ(gdprkit_pseudonymizer_domain(q), kDomains[d]);
        gdprkit_pseudonymizer_free(q);
        gdprkit_secure_wipe(padded, sizeof(padded));
      }
    }

    /* An empty batch: an empty column; values may be NULL. */
    CHECK_OK(gdprkit_pseudonymizer_pseudonymize(&col, NULL, p, GDPRKIT_ID_CPR, NULL, 0, NULL));
    CHECK(col != NULL && gdprkit_id_column_count(col) == 0);
    if (col != NULL) CHECK(gdprkit_id_column_values(col)[0] == NULL);
    gdprkit_id_column_free(col);
    col = NULL;
    check_same_as_vault(v, p, kDomains[d], GDPRKIT_ID_CPR, ids, 0, NULL);

    gdprkit_pseudonymizer_free(p);
    p = NULL;
    gdprkit_secret_free(text);
    text = NULL;
  }

  /* After a rotation the vault gives ps2_ pseudonyms; an exported version-1
   * key still gives what the vault gives with key_version 1. */
  if (kept[0] != '\0') {
    unsigned int version = 0;
    gdprkit_batch_options bo = GDPRKIT_BATCH_OPTIONS_INIT;
    CHECK_OK(gdprkit_vault_rotate(&version, v, "yearly rotation"));
    CHECK(version == 2);
    CHECK_OK(gdprkit_pseudonymizer_from_exported_key(&p, kept, strlen(kept)));
    bo.key_version = 1;
    check_same_as_vault(v, p, kDomains[0], GDPRKIT_ID_CPR, ids, 3, &bo);
    gdprkit_pseudonymizer_free(p);
    p = NULL;
    CHECK_OK(gdprkit_vault_export_pseudonym_key(&text, NULL, v, kDomains[0], "after rotation"));
    CHECK(text != NULL && strstr(text, ":2:chacha20:") != NULL);
    if (text != NULL) {
      CHECK_OK(gdprkit_pseudonymizer_from_exported_key(&p, text, strlen(text)));
      CHECK(gdprkit_pseudonymizer_key_version(p) == 2);
      check_same_as_vault(v, p, kDomains[0], GDPRKIT_ID_CPR, ids, 3, NULL);
      gdprkit_pseudonymizer_free(p);
      p = NULL;
    }
    gdprkit_secret_free(text);
    text = NULL;
  }

  /* Nothing below is exported: the audit trail keeps its length. */
  before = audit_entries(v);

  /* A reason is required, without a CPR number in it. */
  text = (char*)&text; /* not NULL: the call must reset it */
  len = 99;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_export_pseudonym_key(&text, &len, v, kDomains[0], ""));
  CHECK(text == NULL && len == 0);
  CHECK_ERROR_MENTIONS("gdprkit_vault_export_pseudonym_key");
  CHECK_ERROR_MENTIONS("reason");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_export_pseudonym_key(&text, &len, v, kDomains[0], NULL));
  CHECK_ERROR_MENTIONS("reason");
  CHECK_STATUS(
      GDPRKIT_INVALID_ARGUMENT,
      gdprkit_vault_export_pseudonym_key(&text, &len, v, kDomains[0], "request about 010203-1234"));
  CHECK(text == NULL);
  check_error_is_clean();

  /* Unknown domain; NULL arguments. */
  CHECK_STATUS(GDPRKIT_NOT_FOUND,
               gdprkit_vault_export_pseudonym_key(&text, &len, v, "klynge-aarhus-2025", "r"));
  CHECK(text == NULL && len == 0);
  CHECK_ERROR_MENTIONS("klynge-aarhus-2025");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_export_pseudonym_key(NULL, &len, v, kDomains[0], "r"));
  CHECK_ERROR_MENTIONS("out");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_export_pseudonym_key(&text, &len, NULL, kDomains[0], "r"));
  CHECK_ERROR_MENTIONS("vault");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_export_pseudonym_key(&text, &len, v, NULL, "r"));
  CHECK_ERROR_MENTIONS("domain");
  CHECK(text == NULL);
  CHECK(audit_entries(v) == before);

  /* Malformed texts: INVALID_ARGUMENT, no handle, and the message never
   * repeats the text or its key. */
  if (kept[0] != '\0') {
    char bad[256];
    const size_t n = strlen(kept);
    const char* key = strrchr(kept, ':');
    p = (gdprkit_pseudonymizer*)&p;
    /* A changed key character outside base32. */
    memcpy(bad, kept, n + 1);
    bad[n - 3] = '!';
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_pseudonymizer_from_exported_key(&p, bad, n));
    CHECK(p == NULL);
    CHECK_ERROR_MENTIONS("gdprkit_pseudonymizer_from_exported_key");
    CHECK_ERROR_MENTIONS("not an exported pseudonym key");
    check_error_has_no_key(kept);
    /* Truncated: the key too short. */
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_pseudonymizer_from_exported_key(&p, kept, n - 5));
    check_error_has_no_key(kept);
    /* Only the key part; another prefix; a bad version; a bad scheme. */
    if (key != NULL) {
      CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                   gdprkit_pseudonymizer_from_exported_key(&p, key + 1, strlen(key + 1)));
      check_error_has_no_key(kept);
      snprintf(bad, sizeof(bad), "gdprkit-pseudonym-key-v9:%s:1:chacha20%s", kDomains[0], key);
      CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                   gdprkit_pseudonymizer_from_exported_key(&p, bad, strlen(bad)));
      check_error_has_no_key(kept);
      snprintf(bad, sizeof(bad), "gdprkit-pseudonym-key-v2:%s:0:chacha20%s", kDomains[0], key);
      CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                   gdprkit_pseudonymizer_from_exported_key(&p, bad, strlen(bad)));
      check_error_has_no_key(kept);
      snprintf(bad, sizeof(bad), "gdprkit-pseudonym-key-v2:%s:1:sha256%s", kDomains[0], key);
      CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                   gdprkit_pseudonymizer_from_exported_key(&p, bad, strlen(bad)));
      check_error_has_no_key(kept);
      /* A NUL inside the given length. */
      memcpy(bad, kept, n + 1);
      bad[10] = '\0';
      CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_pseudonymizer_from_exported_key(&p, bad, n));
      check_error_has_no_key(kept);
    }
    CHECK(p == NULL);
    gdprkit_secure_wipe(bad, sizeof(bad));
  }
  /* Empty, blank and NULL texts; a NULL out. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_pseudonymizer_from_exported_key(&p, "", 0));
  CHECK_ERROR_MENTIONS("empty");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_pseudonymizer_from_exported_key(&p, NULL, 0));
  CHECK_ERROR_MENTIONS("empty");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_pseudonymizer_from_exported_key(&p, " \n", 2));
  CHECK_ERROR_MENTIONS("empty");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_pseudonymizer_from_exported_key(&p, NULL, 40));
  CHECK_ERROR_MENTIONS("text");
  CHECK(p == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_pseudonymizer_from_exported_key(NULL, kept, strlen(kept)));
  CHECK_ERROR_MENTIONS("out");

  /* NULL and bad arguments of the batch. */
  CHECK_OK(gdprkit_pseudonymizer_from_exported_key(&p, kept, strlen(kept)));
  if (p != NULL) {
    gdprkit_batch_options bo = GDPRKIT_BATCH_OPTIONS_INIT;
    const char* with_null[] = {"010203-1234", NULL};
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_pseudonymizer_pseudonymize(NULL, NULL, p, GDPRKIT_ID_CPR, ids, 3, NULL));
    CHECK_ERROR_MENTIONS("out");
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_pseudonymizer_pseudonymize(
                                               &col, NULL, NULL, GDPRKIT_ID_CPR, ids, 3, NULL));
    CHECK_ERROR_MENTIONS("pseudonymizer");
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_pseudonymizer_pseudonymize(&col, NULL, p, GDPRKIT_ID_CPR, NULL, 2, NULL));
    CHECK_ERROR_MENTIONS("values");
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_pseudonymizer_pseudonymize(
                                               &col, NULL, p, GDPRKIT_ID_CPR, with_null, 2, NULL));
    CHECK_ERROR_MENTIONS("values[1] is NULL");
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_pseudonymizer_pseudonymize(&col, NULL, p, 9, ids, 3, NULL));
    CHECK_ERROR_MENTIONS("kind");
    bo.version = 7;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_pseudonymizer_pseudonymize(&col, NULL, p, GDPRKIT_ID_CPR, ids, 3, &bo));
    CHECK_ERROR_MENTIONS("gdprkit_batch_options");
    CHECK(col == NULL);
    check_error_has_no_key(kept);
    gdprkit_pseudonymizer_free(p);
    p = NULL;
  }

  /* The accessors and free functions accept NULL. */
  CHECK_STREQ(gdprkit_pseudonymizer_domain(NULL), "");
  CHECK(gdprkit_pseudonymizer_key_version(NULL) == 0);
  CHECK(gdprkit_pseudonymizer_scheme(NULL) == 0);
  gdprkit_pseudonymizer_free(NULL);
  gdprkit_secret_free(NULL);

  gdprkit_secure_wipe(kept, sizeof(kept));
  gdprkit_vault_close(v);
  remove_vault(path);
}

/* One pseudonymizer, several threads at once: each thread's results equal
 * the single-threaded ones. */
enum { kPsThreads = 4, kPsRows = 1000, kPsRounds = 20 };

struct ps_worker {
  const gdprkit_pseudonymizer* p;
  const char* const* ids;
  const gdprkit_id_column* want;
  int failures; /* per thread: the CHECK macros are not thread-safe */
};

static void* ps_run(void* arg) {
  struct ps_worker* w = (struct ps_worker*)arg;
  int round;
  for (round = 0; round < kPsRounds; ++round) {
    gdprkit_id_column* got = NULL;
    size_t i;
    if (gdprkit_pseudonymizer_pseudonymize(&got, NULL, w->p, GDPRKIT_ID_CPR, w->ids, kPsRows,
                                           NULL) != GDPRKIT_OK ||
        gdprkit_id_column_count(got) != kPsRows || strcmp(gdprkit_last_error(), "") != 0) {
      ++w->failures;
    } else {
      for (i = 0; i < kPsRows; ++i) {
        if (strcmp(gdprkit_id_column_values(got)[i], gdprkit_id_column_values(w->want)[i]) != 0) {
          ++w->failures;
          break;
        }
      }
    }
    gdprkit_id_column_free(got);
  }
  return NULL;
}

static void test_pseudonymizer_threads(void) {
  static char storage[kPsRows][16];
  const char* ids[kPsRows];
  char path[512];
  gdprkit_vault* v = NULL;
  gdprkit_vault_options o = test_options();
  char* text = NULL;
  size_t len = 0;
  size_t i;
  int s;

  for (i = 0; i < kPsRows; ++i) {
    /* DDMMYYSSSS with a valid date in the 1900s (serial 0000-3999; modulus
     * 11 is not required). */
    snprintf(storage[i], sizeof(storage[i]), "%02d%02d%02d%04d", (int)(i % 28) + 1,
             (int)(i % 12) + 1, (int)(i % 100), (int)((i * 7919) % 4000));
    ids[i] = storage[i];
  }
  path_in_dir(path, sizeof(path), "threads.db");
  remove_vault(path);
  CHECK_OK(gdprkit_vault_create(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  if (v == NULL) return;
  CHECK_OK(gdprkit_vault_create_domain(v, "fast", NULL));
  CHECK_OK(gdprkit_vault_create_domain_with_scheme(v, "legacy", NULL, GDPRKIT_PSEUDONYM_BLAKE2B));
  for (s = 0; s < 2; ++s) {
    const char* domain = s == 0 ? "fast" : "legacy";
    gdprkit_pseudonymizer* p = NULL;
    gdprkit_id_column* want = NULL;
    pthread_t threads[kPsThreads];
    struct ps_worker workers[kPsThreads];
    int t;
    CHECK_OK(gdprkit_vault_export_pseudonym_key(&text, &len, v, domain, "threads test"));
    CHECK_OK(gdprkit_pseudonymizer_from_exported_key(&p, text, len));
    gdprkit_secret_free(text);
    text = NULL;
    CHECK_OK(
        gdprkit_vault_pseudonymize(&want, NULL, v, domain, GDPRKIT_ID_CPR, ids, kPsRows, NULL));
    if (p == NULL || gdprkit_id_column_count(want) != kPsRows) {
      gdprkit_pseudonymizer_free(p);
      gdprkit_id_column_free(want);
      continue;
    }
    for (t = 0; t < kPsThreads; ++t) {
      workers[t].p = p;
      workers[t].ids = ids;
      workers[t].want = want;
      workers[t].failures = 0;
      CHECK(pthread_create(&threads[t], NULL, ps_run, &workers[t]) == 0);
    }
    for (t = 0; t < kPsThreads; ++t) {
      CHECK(pthread_join(threads[t], NULL) == 0);
      CHECK(workers[t].failures == 0);
    }
    gdprkit_pseudonymizer_free(p);
    gdprkit_id_column_free(want);
  }
  gdprkit_vault_close(v);
  remove_vault(path);
}

static void test_host_key(void) {
  char path[512];
  unsigned char key[GDPRKIT_HOST_KEY_BYTES];
  gdprkit_vault* v = NULL;
  gdprkit_vault_options o = test_options();
  size_t i;
  CHECK(gdprkit_host_key_bytes() == 32);
  for (i = 0; i < sizeof(key); ++i) key[i] = (unsigned char)(i * 7 + 3);
  path_in_dir(path, sizeof(path), "host.db");
  remove_vault(path);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_create_with_key(&v, path, key, 16, &o));
  CHECK_ERROR_MENTIONS("32 bytes");
  CHECK_OK(gdprkit_vault_create_with_key(&v, path, key, sizeof(key), &o));
  gdprkit_vault_close(v);
  v = NULL;
  /* A passphrase for a host-key vault; a wrong key; the right key. */
  CHECK_STATUS(GDPRKIT_FAILED_PRECONDITION,
               gdprkit_vault_open(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  key[0] ^= 1;
  CHECK_STATUS(GDPRKIT_UNAUTHENTICATED,
               gdprkit_vault_open_with_key(&v, path, key, sizeof(key), &o));
  key[0] ^= 1;
  CHECK_OK(gdprkit_vault_open_with_key(&v, path, key, sizeof(key), &o));
  gdprkit_secure_wipe(key, sizeof(key));
  gdprkit_secure_wipe(NULL, 10);
  gdprkit_vault_close(v);
  remove_vault(path);
}

/* 0.3: finishing a rotation (gdprkit_vault_rekey) and online backups
 * (gdprkit_vault_backup). */
static void test_rekey_and_backup(void) {
  char path[512], copy[512], missing_dir[512];
  gdprkit_vault* v = NULL;
  gdprkit_vault* b = NULL;
  gdprkit_vault_options o = test_options();
  const char* ids[] = {"010203-1234", "311299-1234"};
  gdprkit_id_column* tk = NULL;
  gdprkit_id_column* again = NULL;
  gdprkit_id_column* back = NULL;
  size_t domains = 99;
  unsigned int version = 0;
  uint64_t entries = 0, entries_after = 0;
  FILE* f;

  path_in_dir(path, sizeof(path), "rekey.db");
  path_in_dir(copy, sizeof(copy), "rekey-backup.db");
  path_in_dir(missing_dir, sizeof(missing_dir), "no-such-dir/backup.db");
  remove_vault(path);
  remove_vault(copy);
  CHECK_OK(gdprkit_vault_create(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  if (v == NULL) return;
  CHECK_OK(gdprkit_vault_create_domain(v, "klinik", NULL));
  CHECK_OK(gdprkit_vault_create_domain(v, "register", NULL));
  CHECK_OK(gdprkit_vault_tokenize(&tk, NULL, v, "klinik", GDPRKIT_ID_CPR, ids, 2, NULL));

  /* Rekey on a healthy vault: nothing to finish, 0 domains; also after a
   * completed rotation. */
  CHECK_OK(gdprkit_vault_rekey(&domains, v, "nightly check"));
  CHECK(domains == 0);
  CHECK_OK(gdprkit_vault_rotate(&version, v, "yearly rotation"));
  CHECK(version == 2);
  domains = 99;
  CHECK_OK(gdprkit_vault_rekey(&domains, v, "after the rotation"));
  CHECK(domains == 0);
  /* Its arguments. */
  domains = 99;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_rekey(NULL, v, "x"));
  CHECK_ERROR_MENTIONS("gdprkit_vault_rekey: argument out_domains is NULL");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_rekey(&domains, NULL, "x"));
  CHECK_ERROR_MENTIONS("gdprkit_vault_rekey: argument vault is NULL");
  CHECK(domains == 0);
  domains = 99;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_rekey(&domains, v, NULL));
  CHECK_ERROR_MENTIONS("argument reason is NULL");
  CHECK(domains == 0);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_rekey(&domains, v, ""));
  CHECK_ERROR_MENTIONS("gdprkit_vault_rekey");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_rekey(&domains, v, "about 010203-1234"));
  check_error_is_clean();

  /* Backup: a new file, mode 0600, that opens with the same passphrase and
   * gives the same tokens; not audited. */
  CHECK_OK(gdprkit_vault_verify_audit(&entries, NULL, v));
  CHECK_OK(gdprkit_vault_backup(v, copy));
  CHECK_OK(gdprkit_vault_verify_audit(&entries_after, NULL, v));
  CHECK(entries_after == entries);
  {
    struct stat st;
    CHECK(stat(copy, &st) == 0 && (st.st_mode & 0777) == 0600);
  }
  CHECK_OK(gdprkit_vault_open(&b, copy, (const unsigned char*)kPass, strlen(kPass), &o));
  if (b != NULL) {
    uint64_t copied_entries = 0;
    CHECK_OK(gdprkit_vault_verify_audit(&copied_entries, NULL, b));
    CHECK(copied_entries == entries);
    CHECK_OK(gdprkit_vault_tokenize(&again, NULL, b, "klinik", GDPRKIT_ID_CPR, ids, 2, NULL));
    CHECK(gdprkit_id_column_count(again) == 2 && gdprkit_id_column_count(tk) == 2);
    if (gdprkit_id_column_count(again) == 2 && gdprkit_id_column_count(tk) == 2) {
      CHECK_STREQ(gdprkit_id_column_values(again)[0], gdprkit_id_column_values(tk)[0]);
      CHECK_STREQ(gdprkit_id_column_values(again)[1], gdprkit_id_column_values(tk)[1]);
      CHECK_OK(gdprkit_vault_reidentify(&back, b, "klinik", gdprkit_id_column_values(tk), 2,
                                        "restore drill"));
      if (gdprkit_id_column_count(back) == 2) {
        CHECK_STREQ(gdprkit_id_column_values(back)[0], "0102031234");
      }
    }
    gdprkit_vault_close(b);
    b = NULL;
  }
  /* The wrong passphrase does not open the copy. */
  CHECK_STATUS(GDPRKIT_UNAUTHENTICATED,
               gdprkit_vault_open(&b, copy, (const unsigned char*)"wrong", 5, &o));

  /* Never over an existing file: the backup just made, or any other. */
  CHECK_STATUS(GDPRKIT_ALREADY_EXISTS, gdprkit_vault_backup(v, copy));
  CHECK_ERROR_MENTIONS("gdprkit_vault_backup");
  CHECK_STATUS(GDPRKIT_ALREADY_EXISTS, gdprkit_vault_backup(v, path));
  f = fopen(copy, "rb");
  CHECK(f != NULL);
  if (f != NULL) fclose(f);
  /* NULL arguments, and a place where no file can be made (nothing left). */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_backup(NULL, copy));
  CHECK_ERROR_MENTIONS("gdprkit_vault_backup: argument vault is NULL");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_backup(v, NULL));
  CHECK_ERROR_MENTIONS("gdprkit_vault_backup: argument destination_path is NULL");
  CHECK(gdprkit_vault_backup(v, missing_dir) != GDPRKIT_OK);
  {
    struct stat st;
    CHECK(stat(missing_dir, &st) != 0);
  }
  check_error_is_clean();

  /* gdprkit_vault_checkpoint: after an erasure, with no other reader, the
   * write-ahead log is truncated at once. */
  {
    uint64_t erased = 0;
    int truncated = -1;
    CHECK_OK(gdprkit_vault_erase(&erased, v, GDPRKIT_ID_CPR, "010180-1004", "art. 17 request"));
    CHECK_OK(gdprkit_vault_checkpoint(&truncated, v, 0));
    CHECK(truncated == 1);
    truncated = -1;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_checkpoint(&truncated, NULL, 0));
    CHECK(truncated == 0);
    CHECK_ERROR_MENTIONS("gdprkit_vault_checkpoint: argument vault is NULL");
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_checkpoint(NULL, v, 10));
  }

  gdprkit_id_column_free(tk);
  gdprkit_id_column_free(again);
  gdprkit_id_column_free(back);
  gdprkit_vault_close(v);
  remove_vault(path);
  remove_vault(copy);
}

/* The layouts of version 1 (0.2 headers), as an older program passes them. */
struct id_options_v1 {
  unsigned int version;
  int cpr_require_modulus11;
  int cpr_allow_replacement;
  int pad_provider_number;
};
struct batch_options_v1 {
  unsigned int version;
  struct id_options_v1 id_options;
  int skip_invalid;
  unsigned int key_version;
};

/* CPR numbers born after the date they are checked on (0.3): their own
 * problem, today by default or on a date given, accepted when asked; old
 * (version-1) option structs are still read, never past their end. */
static void test_future_birth_dates(void) {
  /* 24-01-2035 (the issue's example), a replacement number of the same day,
   * one born on 2026-12-02, one born the day after, one from 1980. */
  const char* cpr[] = {"240135-7665", "8401357665", "0212264000", "0312264000", "0101801004"};
  unsigned char problems[5];
  size_t rejected = 0;
  gdprkit_id_options o = GDPRKIT_ID_OPTIONS_INIT;
  int32_t day = 0;
  char path[512];
  gdprkit_vault* v = NULL;
  gdprkit_vault_options vo = test_options();
  gdprkit_id_column* ps = NULL;

  CHECK(GDPRKIT_ID_FUTURE_BIRTH_DATE == 11);
  CHECK_STREQ(gdprkit_id_problem_code(GDPRKIT_ID_FUTURE_BIRTH_DATE), "future_birth_date");
  CHECK_CONTAINS(gdprkit_id_problem_text(GDPRKIT_ID_CPR, GDPRKIT_ID_FUTURE_BIRTH_DATE), "future");
  CHECK_STREQ(gdprkit_id_problem_code(12), "unknown");
  CHECK(o.version == 2 && o.cpr_allow_future == 0 && o.cpr_as_of == GDPRKIT_NO_DATE);

  /* Defaults (NULL, or the INIT macro): today in Denmark. */
  CHECK_OK(gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, cpr, 2, NULL));
  CHECK(rejected == 2);
  CHECK(problems[0] == GDPRKIT_ID_FUTURE_BIRTH_DATE && problems[1] == GDPRKIT_ID_FUTURE_BIRTH_DATE);
  CHECK_OK(gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, cpr, 5, &o));
  CHECK(problems[0] == GDPRKIT_ID_FUTURE_BIRTH_DATE && problems[4] == GDPRKIT_ID_OK);

  /* A date given. */
  CHECK_OK(gdprkit_date_parse(&day, "2026-12-02"));
  o.cpr_as_of = day;
  CHECK_OK(gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, cpr, 5, &o));
  CHECK(rejected == 3);
  CHECK(problems[0] == GDPRKIT_ID_FUTURE_BIRTH_DATE);
  CHECK(problems[1] == GDPRKIT_ID_FUTURE_BIRTH_DATE);
  CHECK(problems[2] == GDPRKIT_ID_OK);
  CHECK(problems[3] == GDPRKIT_ID_FUTURE_BIRTH_DATE);
  CHECK(problems[4] == GDPRKIT_ID_OK);
  CHECK_OK(gdprkit_date_parse(&o.cpr_as_of, "2035-01-24"));
  CHECK_OK(gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, cpr, 5, &o));
  CHECK(rejected == 0);
  {
    gdprkit_id_column* col = NULL;
    o.cpr_as_of = day;
    CHECK_OK(gdprkit_ids_normalize(&col, problems, &rejected, GDPRKIT_ID_CPR, cpr, 5, &o));
    CHECK(rejected == 3 && gdprkit_id_column_count(col) == 5);
    if (gdprkit_id_column_count(col) == 5) {
      CHECK_STREQ(gdprkit_id_column_values(col)[0], "");
      CHECK_STREQ(gdprkit_id_column_values(col)[2], "0212264000");
    }
    gdprkit_id_column_free(col);
  }

  /* Accepted when asked. */
  o.cpr_allow_future = 1;
  CHECK_OK(gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, cpr, 5, &o));
  CHECK(rejected == 0);
  o.cpr_as_of = GDPRKIT_NO_DATE;
  CHECK_OK(gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, cpr, 5, &o));
  CHECK(rejected == 0);

  /* A day number that is no date of the years 1-9999. */
  o.cpr_allow_future = 0;
  o.cpr_as_of = INT32_MAX;
  rejected = 99;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, cpr, 5, &o));
  CHECK_ERROR_MENTIONS("cpr_as_of");
  CHECK(rejected == 0);
  CHECK(strstr(gdprkit_last_error(), "240135") == NULL);
  o.version = 3;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, cpr, 5, &o));
  CHECK_ERROR_MENTIONS("gdprkit_id_options.version is 3");

  /* A version-1 struct, exactly as long as it was (the heap's guard would
   * catch a read past it): its fields count, the new ones are defaults. */
  {
    struct id_options_v1* old = (struct id_options_v1*)malloc(sizeof(struct id_options_v1));
    CHECK(old != NULL);
    if (old != NULL) {
      old->version = 1;
      old->cpr_require_modulus11 = 0;
      old->cpr_allow_replacement = 0;
      old->pad_provider_number = 1;
      CHECK_OK(gdprkit_ids_check(problems, &rejected, GDPRKIT_ID_CPR, cpr, 5,
                                 (const gdprkit_id_options*)(const void*)old));
      CHECK(problems[0] == GDPRKIT_ID_FUTURE_BIRTH_DATE); /* today */
      CHECK(problems[4] == GDPRKIT_ID_OK);
      free(old);
    }
  }

  /* Vault batches: version 2 with a date and allow_future, and a version-1
   * struct from an older program (skip_invalid and key_version still read). */
  path_in_dir(path, sizeof(path), "future.db");
  remove_vault(path);
  CHECK_OK(gdprkit_vault_create(&v, path, (const unsigned char*)kPass, strlen(kPass), &vo));
  if (v == NULL) return;
  CHECK_OK(gdprkit_vault_create_domain(v, "klynge", NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_pseudonymize(&ps, problems, v, "klynge",
                                                                    GDPRKIT_ID_CPR, cpr, 5, NULL));
  CHECK_ERROR_MENTIONS("row 0");
  CHECK_ERROR_MENTIONS("future_birth_date");
  CHECK(strstr(gdprkit_last_error(), "240135") == NULL);
  {
    gdprkit_batch_options bo = GDPRKIT_BATCH_OPTIONS_INIT;
    CHECK(bo.version == 3 && bo.id_options.version == 2);
    CHECK(bo.id_options.cpr_as_of == GDPRKIT_NO_DATE);
    bo.skip_invalid = 1;
    bo.id_options.cpr_as_of = day;
    CHECK_OK(gdprkit_vault_pseudonymize(&ps, problems, v, "klynge", GDPRKIT_ID_CPR, cpr, 5, &bo));
    CHECK(problems[0] == GDPRKIT_ID_FUTURE_BIRTH_DATE && problems[2] == GDPRKIT_ID_OK);
    CHECK(problems[3] == GDPRKIT_ID_FUTURE_BIRTH_DATE && problems[4] == GDPRKIT_ID_OK);
    if (gdprkit_id_column_count(ps) == 5) {
      CHECK_STREQ(gdprkit_id_column_values(ps)[0], "");
      CHECK(strncmp(gdprkit_id_column_values(ps)[2], "ps1_", 4) == 0);
    }
    gdprkit_id_column_free(ps);
    ps = NULL;
    bo.skip_invalid = 0;
    bo.id_options.cpr_allow_future = 1;
    CHECK_OK(gdprkit_vault_pseudonymize(&ps, problems, v, "klynge", GDPRKIT_ID_CPR, cpr, 5, &bo));
    CHECK(problems[0] == GDPRKIT_ID_OK && problems[3] == GDPRKIT_ID_OK);
    gdprkit_id_column_free(ps);
    ps = NULL;
    /* A version-1 id_options inside a version-2 batch: its four fields. */
    bo.id_options.version = 1;
    bo.skip_invalid = 1;
    CHECK_OK(gdprkit_vault_pseudonymize(&ps, problems, v, "klynge", GDPRKIT_ID_CPR, cpr, 5, &bo));
    CHECK(problems[0] == GDPRKIT_ID_FUTURE_BIRTH_DATE && problems[4] == GDPRKIT_ID_OK);
    gdprkit_id_column_free(ps);
    ps = NULL;
    bo.id_options.version = 2;
    bo.id_options.cpr_as_of = -1000000; /* before the year 1 */
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_pseudonymize(&ps, problems, v, "klynge",
                                                                      GDPRKIT_ID_CPR, cpr, 5, &bo));
    CHECK_ERROR_MENTIONS("id_options.cpr_as_of");
    CHECK(ps == NULL);
  }
  {
    struct batch_options_v1* old =
        (struct batch_options_v1*)malloc(sizeof(struct batch_options_v1));
    CHECK(old != NULL);
    if (old != NULL) {
      old->version = 1;
      old->id_options.version = 1;
      old->id_options.cpr_require_modulus11 = 0;
      old->id_options.cpr_allow_replacement = 0;
      old->id_options.pad_provider_number = 1;
      old->skip_invalid = 1;
      old->key_version = 0;
      CHECK_OK(gdprkit_vault_pseudonymize(&ps, problems, v, "klynge", GDPRKIT_ID_CPR, cpr, 5,
                                          (const gdprkit_batch_options*)(const void*)old));
      CHECK(problems[0] == GDPRKIT_ID_FUTURE_BIRTH_DATE && problems[4] == GDPRKIT_ID_OK);
      CHECK(gdprkit_id_column_count(ps) == 5);
      gdprkit_id_column_free(ps);
      ps = NULL;
      old->key_version = 9; /* read from its old place: no such key version */
      CHECK(gdprkit_vault_pseudonymize(&ps, problems, v, "klynge", GDPRKIT_ID_CPR, cpr, 5,
                                       (const gdprkit_batch_options*)(const void*)old) !=
            GDPRKIT_OK);
      CHECK(ps == NULL);
      old->key_version = 0;
      old->id_options.version = 2; /* a version-1 batch holds a version-1 id_options */
      CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                   gdprkit_vault_pseudonymize(&ps, problems, v, "klynge", GDPRKIT_ID_CPR, cpr, 5,
                                              (const gdprkit_batch_options*)(const void*)old));
      CHECK_ERROR_MENTIONS("gdprkit_batch_options.id_options.version is 2");
      free(old);
    }
  }
  gdprkit_vault_close(v);
  remove_vault(path);
}

/* Progress of a batch: counts the calls, cancels when done reaches
 * cancel_at (never when it is negative). */
struct progress_log {
  int calls;
  int starts;   /* reports with done == 0 */
  int ends;     /* reports with done == total */
  int64_t last; /* done of the last report */
  int64_t total;
  int64_t cancel_at;
  char stage[32];
};

static int on_progress(void* context, const char* stage, int64_t done, int64_t total) {
  struct progress_log* log = (struct progress_log*)context;
  ++log->calls;
  log->starts += done == 0;
  log->ends += done == total;
  log->last = done;
  log->total = total;
  snprintf(log->stage, sizeof(log->stage), "%s", stage);
  return log->cancel_at >= 0 && done >= log->cancel_at;
}

/* 0.4: errors, progress and cancellation in gdprkit_batch_options version 3;
 * the token calls with options; titles in Danish. */
static void test_errors_and_progress(void) {
  char path[512];
  gdprkit_vault* v = NULL;
  gdprkit_vault_options o = test_options();
  const char* ids[] = {"010203-1234", "300200-1234", "311299-1234"};
  const char* many[500];
  char buf[500][16];
  gdprkit_id_column* col = NULL;
  gdprkit_id_column* tk = NULL;
  unsigned char problems[500];
  const char* toks[4];
  gdprkit_batch_options bo = GDPRKIT_BATCH_OPTIONS_INIT;
  struct progress_log log;
  size_t i;

  CHECK(bo.version == 3 && bo.errors == GDPRKIT_ERRORS_RAISE && bo.progress == NULL);
  path_in_dir(path, sizeof(path), "errors.db");
  remove_vault(path);
  CHECK_OK(gdprkit_vault_create(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  if (v == NULL) return;
  CHECK_OK(gdprkit_vault_create_domain(v, "klynge", NULL));
  CHECK_OK(gdprkit_vault_create_domain(v, "kapsel", NULL));

  /* errors: RAISE names the row; COERCE and REPORT give "" and the problem. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_pseudonymize(&col, problems, v, "klynge",
                                                                    GDPRKIT_ID_CPR, ids, 3, &bo));
  CHECK_ERROR_MENTIONS("row 1");
  bo.errors = GDPRKIT_ERRORS_REPORT;
  CHECK_OK(gdprkit_vault_pseudonymize(&col, problems, v, "klynge", GDPRKIT_ID_CPR, ids, 3, &bo));
  CHECK(problems[0] == GDPRKIT_ID_OK && problems[1] == GDPRKIT_ID_BAD_DATE);
  if (col != NULL) CHECK_STREQ(gdprkit_id_column_values(col)[1], "");
  gdprkit_id_column_free(col);
  col = NULL;
  bo.errors = GDPRKIT_ERRORS_COERCE;
  CHECK_OK(gdprkit_vault_tokenize(&tk, problems, v, "klynge", GDPRKIT_ID_CPR, ids, 3, &bo));
  CHECK(problems[1] == GDPRKIT_ID_BAD_DATE);
  bo.errors = 7;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_vault_pseudonymize(&col, problems, v, "klynge",
                                                                    GDPRKIT_ID_CPR, ids, 3, &bo));
  CHECK_ERROR_MENTIONS("options->errors is 7");
  bo.errors = GDPRKIT_ERRORS_RAISE;

  /* Token calls with options: a bad token is "" and its problem. */
  if (tk != NULL) {
    toks[0] = gdprkit_id_column_values(tk)[0];
    toks[1] = "tk_nonsense";
    toks[2] = gdprkit_id_column_values(tk)[2];
    toks[3] = "tk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_vault_reidentify_with_options(&col, problems, v, "klynge", toks, 4,
                                                       "audit 2026-3", &bo));
    CHECK(col == NULL);
    bo.errors = GDPRKIT_ERRORS_REPORT;
    memset(problems, 0xff, sizeof(problems));
    CHECK_OK(gdprkit_vault_reidentify_with_options(&col, problems, v, "klynge", toks, 4,
                                                   "audit 2026-3", &bo));
    CHECK(problems[0] == GDPRKIT_TOKEN_OK && problems[1] == GDPRKIT_TOKEN_MALFORMED);
    CHECK(problems[2] == GDPRKIT_TOKEN_OK && problems[3] != GDPRKIT_TOKEN_OK);
    if (col != NULL) {
      CHECK_STREQ(gdprkit_id_column_values(col)[0], "0102031234");
      CHECK_STREQ(gdprkit_id_column_values(col)[1], "");
    }
    gdprkit_id_column_free(col);
    col = NULL;
    CHECK_OK(gdprkit_vault_translate_with_options(&col, problems, v, "klynge", "kapsel", toks, 4,
                                                  "audit 2026-3", GDPRKIT_TRANSLATE_TO_PSEUDONYM,
                                                  &bo));
    CHECK(problems[1] == GDPRKIT_TOKEN_MALFORMED);
    if (col != NULL) CHECK(strncmp(gdprkit_id_column_values(col)[0], "ps1_", 4) == 0);
    gdprkit_id_column_free(col);
    col = NULL;
    bo.errors = GDPRKIT_ERRORS_RAISE;
  }
  gdprkit_id_column_free(tk);
  tk = NULL;

  /* Progress: from 0 to the total; a cancelled tokenise issues nothing. */
  for (i = 0; i < 500; ++i) {
    snprintf(buf[i], sizeof(buf[i]), "person-%u", (unsigned)i);
    many[i] = buf[i];
  }
  memset(&log, 0, sizeof(log));
  log.cancel_at = -1;
  bo.progress = on_progress;
  bo.progress_context = &log;
  CHECK_OK(gdprkit_vault_pseudonymize(&col, NULL, v, "klynge", GDPRKIT_ID_OTHER, many, 500, &bo));
  CHECK(log.starts == 1 && log.ends >= 1 && log.total == 500 && log.last == 500);
  CHECK_STREQ(log.stage, "pseudonymise");
  gdprkit_id_column_free(col);
  col = NULL;
  memset(&log, 0, sizeof(log));
  log.cancel_at = 100;
  CHECK_STATUS(GDPRKIT_CANCELLED,
               gdprkit_vault_tokenize(&col, NULL, v, "kapsel", GDPRKIT_ID_OTHER, many, 500, &bo));
  CHECK(col == NULL);
  CHECK_ERROR_MENTIONS("tokenise");
  CHECK(log.calls >= 2 && log.ends == 0);
  /* (That no token of a cancelled batch is kept is tested in C++:
   * VaultTest.ACancelledBatchWritesNothing.) */
  bo.progress = NULL;

  /* Titles in Danish from the core's table. */
  CHECK_STREQ(gdprkit_id_problem_title(GDPRKIT_ID_CPR, GDPRKIT_ID_BAD_LENGTH, GDPRKIT_LANGUAGE_DA),
              "et CPR-nummer har 10 cifre (DDMMÅÅ-SSSS)");
  CHECK_STREQ(gdprkit_id_problem_title(GDPRKIT_ID_CPR, GDPRKIT_ID_BAD_LENGTH, GDPRKIT_LANGUAGE_EN),
              gdprkit_id_problem_text(GDPRKIT_ID_CPR, GDPRKIT_ID_BAD_LENGTH));
  CHECK_STREQ(gdprkit_id_problem_title(GDPRKIT_ID_CPR, GDPRKIT_ID_BAD_LENGTH, 9), "unknown");
  CHECK_STREQ(gdprkit_id_kind_title(GDPRKIT_ID_CPR, GDPRKIT_LANGUAGE_DA), "CPR-nummer");
  CHECK_STREQ(gdprkit_token_problem_name(GDPRKIT_TOKEN_NOT_FOUND), "not_found");
  CHECK(gdprkit_token_problem_name(4) == NULL);
  CHECK(gdprkit_token_problem_title(GDPRKIT_TOKEN_MALFORMED, GDPRKIT_LANGUAGE_DA) != NULL);
  gdprkit_vault_close(v);
  remove_vault(path);
}

/* 0.4: rotation and re-keying with progress; a cancelled rotation leaves
 * the vault as it was (old version primary, tokens re-identify), and a
 * later one succeeds. */
static void test_rotate_progress(void) {
  char path[512];
  gdprkit_vault* v = NULL;
  gdprkit_vault_options o = test_options();
  const char* many[300];
  char buf[300][16];
  const char* first[1];
  gdprkit_id_column* tk = NULL;
  gdprkit_id_column* col = NULL;
  struct progress_log log;
  unsigned int version = 99;
  size_t domains = 99;
  size_t i;

  path_in_dir(path, sizeof(path), "rotate_progress.db");
  remove_vault(path);
  CHECK_OK(gdprkit_vault_create(&v, path, (const unsigned char*)kPass, strlen(kPass), &o));
  if (v == NULL) return;
  CHECK_OK(gdprkit_vault_create_domain(v, "klynge", NULL));
  CHECK_OK(gdprkit_vault_create_domain(v, "kapsel", NULL));
  for (i = 0; i < 300; ++i) {
    snprintf(buf[i], sizeof(buf[i]), "person-%u", (unsigned)i);
    many[i] = buf[i];
  }
  CHECK_OK(gdprkit_vault_tokenize(&col, NULL, v, "kapsel", GDPRKIT_ID_OTHER, many, 100, NULL));
  gdprkit_id_column_free(col);
  col = NULL;
  CHECK_OK(gdprkit_vault_tokenize(&tk, NULL, v, "klynge", GDPRKIT_ID_OTHER, many, 300, NULL));
  if (tk == NULL) {
    gdprkit_vault_close(v);
    return;
  }

  /* Cancelled half-way: CANCELLED naming the stage, nothing changed. */
  memset(&log, 0, sizeof(log));
  log.cancel_at = 200;
  CHECK_STATUS(GDPRKIT_CANCELLED,
               gdprkit_vault_rotate_with_progress(&version, v, "yearly", on_progress, &log));
  CHECK(version == 0);
  CHECK_ERROR_MENTIONS("rotate");
  CHECK(log.starts == 1 && log.total == 400 && log.last >= 200 && log.ends == 0);
  CHECK_STREQ(log.stage, "rotate");
  CHECK_OK(gdprkit_vault_pseudonymize(&col, NULL, v, "klynge", GDPRKIT_ID_OTHER, many, 1, NULL));
  if (col != NULL) CHECK(strncmp(gdprkit_id_column_values(col)[0], "ps1_", 4) == 0);
  gdprkit_id_column_free(col);
  col = NULL;
  first[0] = gdprkit_id_column_values(tk)[299];
  CHECK_OK(gdprkit_vault_reidentify(&col, v, "klynge", first, 1, "after a cancelled rotation"));
  if (col != NULL) CHECK_STREQ(gdprkit_id_column_values(col)[0], "person-299");
  gdprkit_id_column_free(col);
  col = NULL;
  CHECK_OK(gdprkit_vault_rekey(&domains, v, "nothing to finish"));
  CHECK(domains == 0);

  /* A later rotation succeeds and reports 0 .. total. */
  memset(&log, 0, sizeof(log));
  log.cancel_at = -1;
  CHECK_OK(gdprkit_vault_rotate_with_progress(&version, v, "yearly", on_progress, &log));
  CHECK(version == 2);
  CHECK(log.starts == 1 && log.ends == 1 && log.total == 400 && log.last == 400);
  CHECK_OK(gdprkit_vault_reidentify(&col, v, "klynge", first, 1, "after the rotation"));
  if (col != NULL) CHECK_STREQ(gdprkit_id_column_values(col)[0], "person-299");
  gdprkit_id_column_free(col);
  col = NULL;
  /* Re-keying a healthy vault: one empty stage, 0 of 0. */
  memset(&log, 0, sizeof(log));
  log.cancel_at = -1;
  domains = 99;
  CHECK_OK(gdprkit_vault_rekey_with_progress(&domains, v, "check", on_progress, &log));
  CHECK(domains == 0 && log.calls >= 1 && log.total == 0 && log.last == 0);
  CHECK_STREQ(log.stage, "rekey");
  /* NULL progress is allowed; NULL arguments are not. */
  CHECK_OK(gdprkit_vault_rekey_with_progress(&domains, v, "check", NULL, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_rotate_with_progress(&version, v, NULL, on_progress, &log));
  CHECK_ERROR_MENTIONS("gdprkit_vault_rotate_with_progress");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_vault_rekey_with_progress(NULL, v, "check", on_progress, &log));
  CHECK_ERROR_MENTIONS("out_domains");
  gdprkit_id_column_free(tk);
  gdprkit_vault_close(v);
  remove_vault(path);
}

int main(void) {
  const char* tmp = getenv("TMPDIR");
  snprintf(g_dir, sizeof(g_dir), "%s/gdprkit_c_vault_XXXXXX", tmp != NULL ? tmp : "/tmp");
  if (mkdtemp(g_dir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  test_identifiers();
  test_future_birth_dates();
  test_vault();
  test_schemes();
  test_translate();
  test_exported_key();
  test_pseudonymizer_threads();
  test_host_key();
  test_rekey_and_backup();
  test_errors_and_progress();
  test_rotate_progress();
  rmdir(g_dir);
  return test_report("c_vault_test");
}
