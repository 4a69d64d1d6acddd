/* The consent ledger from C (include/gdprkit/c/consent.h, first half):
 * Practio's research-contact consent given, withdrawn and read back as
 * states and withdrawals; verification, receipts (plain and keyed), erasure,
 * the access report with a ledger, the erasure carried out, and the
 * refusals (NULL arguments and arrays, bad versions, state codes and names,
 * unknown and non-consent purposes, malformed subjects). */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "consent_util.h"
#include "gdprkit.h"
#include "test_util.h"

#define N 3
static const char* const kSubjects[N] = {"tk_abcdefghijklmnopqrstuvwxyz234567",
                                         "tk_bbcdefghijklmnopqrstuvwxyz234567",
                                         "tk_cbcdefghijklmnopqrstuvwxyz234567"};
static const char kUnknown[] = "tk_dbcdefghijklmnopqrstuvwxyz234567";
static const char kNotice[] = "Du kan til enhver tid trække dit samtykke tilbage.";

/* 2026-01-05T10:00:00Z and 2026-03-02T09:00:00Z. */
static const int64_t kGivenAt = 1767607200;
static const int64_t kWithdrawnAt = 1772442000;

/* `n` records of one state for the first n subjects, all in research-contact. */
typedef struct {
  const char* subjects[N];
  const char* purposes[N];
  uint8_t states[N];
  int64_t at[N];
  const char* versions[N];
  const char* texts[N];
  const char* channels[N];
  const char* by[N];
  const char* evidence[N];
  gdprkit_consent_records r;
} batch;

static void make_batch(batch* b, size_t n, int state, int64_t at) {
  size_t i;
  gdprkit_consent_records init = GDPRKIT_CONSENT_RECORDS_INIT;
  for (i = 0; i < n; ++i) {
    b->subjects[i] = kSubjects[i];
    b->purposes[i] = "research-contact";
    b->states[i] = (uint8_t)state;
    b->at[i] = at + (int64_t)i;
    b->versions[i] = "research-v3";
    b->texts[i] = kNotice;
    b->channels[i] = "web";
    b->by[i] = "practio-web";
    b->evidence[i] = i == 0 ? "form-2026-0001" : NULL;
  }
  b->r = init;
  b->r.count = n;
  b->r.subjects = b->subjects;
  b->r.purposes = b->purposes;
  b->r.states = b->states;
  b->r.at = b->at;
  b->r.notice_versions = b->versions;
  b->r.notice_texts = b->texts;
  b->r.channels = b->channels;
  b->r.recorded_by = b->by;
  b->r.evidence = b->evidence;
}

static void test_vocabulary(void) {
  int v = -1;
  char digest[GDPRKIT_NOTICE_DIGEST_SIZE];
  char small[10];
  CHECK_STREQ(gdprkit_consent_state_name(GDPRKIT_CONSENT_NONE), "none");
  CHECK_STREQ(gdprkit_consent_state_name(GDPRKIT_CONSENT_WITHDRAWN), "withdrawn");
  CHECK(gdprkit_consent_state_name(5) == NULL);
  CHECK(gdprkit_consent_state_name(-1) == NULL);
  CHECK(gdprkit_consent_state_title(GDPRKIT_CONSENT_GIVEN, GDPRKIT_LANGUAGE_DA) != NULL);
  CHECK(gdprkit_consent_state_title(GDPRKIT_CONSENT_GIVEN, 5) == NULL);
  CHECK_OK(gdprkit_consent_state_parse(&v, "expired"));
  CHECK(v == GDPRKIT_CONSENT_EXPIRED);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_state_parse(&v, "gven"));
  CHECK_ERROR_MENTIONS("given");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_state_parse(&v, NULL));

  CHECK_OK(gdprkit_notice_digest(digest, sizeof digest, kNotice, strlen(kNotice)));
  CHECK(strncmp(digest, "blake2b-256:", 12) == 0 && strlen(digest) == 76);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_notice_digest(small, sizeof small, "x", 1));
  CHECK_STREQ(small, "");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_notice_digest(digest, sizeof digest, NULL, 3));
  CHECK_ERROR_MENTIONS("argument text is NULL but size is 3");
  CHECK_OK(gdprkit_notice_digest(digest, sizeof digest, NULL, 0));
}

static void test_ledger(void) {
  char path[256];
  char head[GDPRKIT_CONSENT_HASH_SIZE];
  char key_hex[GDPRKIT_CONSENT_HASH_SIZE];
  gdprkit_policy* policy = load("practio.textproto");
  gdprkit_consent_ledger* ledger = NULL;
  gdprkit_consent_verification* v = NULL;
  gdprkit_consent_check check = GDPRKIT_CONSENT_CHECK_INIT;
  gdprkit_receipt_verification* rv = NULL;
  gdprkit_receipt_check rc = GDPRKIT_RECEIPT_CHECK_INIT;
  batch b;
  int64_t count = -1;
  uint8_t states[N + 1];
  const char* ask[N + 1];
  char** subjects = NULL;
  int32_t* days = NULL;
  size_t n = 99;
  char* receipt = NULL;
  char* report = NULL;
  int64_t erased = -1;
  struct stat st;
  size_t i;

  temp_path(path, sizeof path, "consent");
  CHECK_OK(gdprkit_consent_ledger_create(&ledger, path, policy, NULL));
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
  CHECK(gdprkit_consent_ledger_entries(ledger) == 0);

  /* Three subjects give their consent; the first withdraws it. */
  make_batch(&b, N, GDPRKIT_CONSENT_GIVEN, kGivenAt);
  CHECK_OK(gdprkit_consent_ledger_record(&count, ledger, &b.r));
  CHECK(count == N);
  CHECK(gdprkit_consent_ledger_entries(ledger) == N);
  make_batch(&b, 1, GDPRKIT_CONSENT_WITHDRAWN, kWithdrawnAt);
  b.r.notice_texts = NULL; /* the digest instead of the text */
  {
    char digest[GDPRKIT_NOTICE_DIGEST_SIZE];
    const char* digests[1];
    CHECK_OK(gdprkit_notice_digest(digest, sizeof digest, kNotice, strlen(kNotice)));
    digests[0] = digest;
    b.r.notice_digests = digests;
    CHECK_OK(gdprkit_consent_ledger_record(&count, ledger, &b.r));
    CHECK(count == 1);
  }
  CHECK_OK(gdprkit_consent_ledger_head(head, sizeof head, ledger));
  CHECK(strlen(head) == 64);

  /* States as of a day, and as of an instant. */
  for (i = 0; i < N; ++i) ask[i] = kSubjects[i];
  ask[N] = kUnknown;
  memset(states, 0xee, sizeof states);
  CHECK_OK(gdprkit_consent_ledger_states(states, ledger, ask, N + 1, "research-contact",
                                         day("2026-02-01")));
  CHECK(states[0] == GDPRKIT_CONSENT_GIVEN && states[1] == GDPRKIT_CONSENT_GIVEN);
  CHECK(states[2] == GDPRKIT_CONSENT_GIVEN && states[3] == GDPRKIT_CONSENT_NONE);
  CHECK_OK(gdprkit_consent_ledger_states(states, ledger, ask, N + 1, "research-contact",
                                         day("2026-03-02")));
  CHECK(states[0] == GDPRKIT_CONSENT_WITHDRAWN && states[1] == GDPRKIT_CONSENT_GIVEN);
  CHECK_OK(gdprkit_consent_ledger_states_at(states, ledger, ask, 1, "research-contact",
                                            kWithdrawnAt - 1));
  CHECK(states[0] == GDPRKIT_CONSENT_GIVEN);
  CHECK_OK(
      gdprkit_consent_ledger_states_at(states, ledger, ask, 1, "research-contact", kGivenAt - 1));
  CHECK(states[0] == GDPRKIT_CONSENT_NONE);
  CHECK_OK(gdprkit_consent_ledger_states(NULL, ledger, NULL, 0, "research-contact", 0));

  /* Refusals of states: nothing is written. */
  memset(states, 0xee, sizeof states);
  CHECK_STATUS(GDPRKIT_NOT_FOUND,
               gdprkit_consent_ledger_states(states, ledger, ask, 2, "research-contakt", 0));
  CHECK_ERROR_MENTIONS("research-contact");
  CHECK_STATUS(GDPRKIT_FAILED_PRECONDITION,
               gdprkit_consent_ledger_states(states, ledger, ask, 2, "patient-record", 0));
  ask[1] = "010190-1234";
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_states(states, ledger, ask, 2, "research-contact", 0));
  CHECK(strstr(gdprkit_last_error(), "010190") == NULL);
  ask[1] = NULL;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_states(states, ledger, ask, 2, "research-contact", 0));
  CHECK_ERROR_MENTIONS("subjects[1] is NULL");
  ask[1] = kSubjects[1];
  CHECK(states[0] == 0xee && states[1] == 0xee);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_states(NULL, ledger, ask, 2, "research-contact", 0));
  CHECK_ERROR_MENTIONS("argument out_states is NULL but count is 2");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_states(states, ledger, NULL, 2, "research-contact", 0));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_states(states, ledger, ask, SIZE_MAX, "research-contact", 0));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_states(states, NULL, ask, 2, "research-contact", 0));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_states_at(states, ledger, ask, 2, NULL, 0));

  /* Withdrawals, the sweep's consent_withdrawn. */
  CHECK_OK(gdprkit_consent_ledger_withdrawals(&subjects, &days, &n, ledger, "research-contact",
                                              kWithdrawnAt + 60));
  CHECK(n == 1);
  CHECK_STREQ(subjects[0], kSubjects[0]);
  CHECK(subjects[1] == NULL);
  CHECK(days[0] == day("2026-03-02"));
  gdprkit_consent_withdrawals_free(subjects, days);
  CHECK_OK(gdprkit_consent_ledger_withdrawals(&subjects, &days, &n, ledger, "research-contact",
                                              kGivenAt));
  CHECK(n == 0 && subjects == NULL && days == NULL);
  gdprkit_consent_withdrawals_free(NULL, NULL);
  CHECK_STATUS(
      GDPRKIT_FAILED_PRECONDITION,
      gdprkit_consent_ledger_withdrawals(&subjects, &days, &n, ledger, "patient-record", kGivenAt));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_withdrawals(NULL, &days, &n, ledger, "research-contact", 0));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_withdrawals(&subjects, &days, &n, ledger, NULL, 0));

  /* Refusals of record: nothing is appended. */
  make_batch(&b, 2, GDPRKIT_CONSENT_GIVEN, kGivenAt);
  b.purposes[1] = "patient-record";
  CHECK_STATUS(GDPRKIT_FAILED_PRECONDITION, gdprkit_consent_ledger_record(&count, ledger, &b.r));
  CHECK(count == 0);
  b.purposes[1] = "reserch-contact";
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_consent_ledger_record(&count, ledger, &b.r));
  b.purposes[1] = "research-contact";
  b.subjects[1] = "0101901234";
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_record(&count, ledger, &b.r));
  CHECK(strstr(gdprkit_last_error(), "0101901234") == NULL);
  b.subjects[1] = kSubjects[1];
  b.states[1] = 9;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_record(&count, ledger, &b.r));
  CHECK_ERROR_MENTIONS("records.states[1] is 9");
  b.states[1] = GDPRKIT_CONSENT_GIVEN;
  b.channels[0] = NULL;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_record(&count, ledger, &b.r));
  CHECK_ERROR_MENTIONS("records.channels[0] is NULL");
  b.channels[0] = "web";
  b.r.at = NULL;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_record(&count, ledger, &b.r));
  CHECK_ERROR_MENTIONS("records.at is NULL but records.count is 2");
  b.r.at = b.at;
  b.r.subjects = NULL;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_record(&count, ledger, &b.r));
  b.r.subjects = b.subjects;
  b.r.count = SIZE_MAX;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_record(&count, ledger, &b.r));
  b.r.count = 2;
  b.r.version = 0;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_record(&count, ledger, &b.r));
  CHECK_ERROR_MENTIONS("GDPRKIT_CONSENT_RECORDS_INIT");
  b.r.version = GDPRKIT_CONSENT_RECORDS_VERSION;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_record(&count, ledger, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_record(&count, NULL, &b.r));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_record(NULL, ledger, &b.r));
  CHECK(gdprkit_consent_ledger_entries(ledger) == N + 1);

  /* Verify. */
  CHECK_OK(gdprkit_consent_ledger_verify(&v, ledger, head));
  CHECK_OK(gdprkit_consent_verification_get(&check, v));
  CHECK(check.intact == 1 && check.entries == N + 1 && check.keyed == 0);
  CHECK_STREQ(check.head, head);
  CHECK(strlen(check.ledger_id) > 0);
  gdprkit_consent_verification_free(v);
  check.version = 3;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_verification_get(&check, NULL));
  CHECK(check.version == 3);
  check.version = GDPRKIT_CONSENT_CHECK_VERSION;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_verification_get(&check, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_verify(&v, NULL, NULL));

  /* Receipts of a plain ledger. */
  CHECK_OK(gdprkit_consent_ledger_public_key(key_hex, sizeof key_hex, ledger));
  CHECK_STREQ(key_hex, "");
  CHECK_OK(gdprkit_consent_ledger_export_receipt(&receipt, ledger, 1));
  CHECK_CONTAINS(receipt, "research-contact");
  CHECK_OK(gdprkit_consent_receipt_verify(&rv, receipt, strlen(receipt), NULL));
  CHECK_OK(gdprkit_receipt_verification_get(&rc, rv));
  CHECK(rc.valid == 1 && rc.signed_receipt == 0 && rc.seq == 1);
  CHECK_STREQ(rc.purpose, "research-contact");
  CHECK_STREQ(rc.subject, kSubjects[0]);
  CHECK(rc.state == GDPRKIT_CONSENT_GIVEN && rc.at == kGivenAt);
  CHECK_STREQ(rc.notice_version, "research-v3");
  CHECK_STREQ(rc.evidence, "form-2026-0001");
  gdprkit_receipt_verification_free(rv);
  CHECK_OK(gdprkit_consent_ledger_verify_receipt(&rv, ledger, receipt, strlen(receipt)));
  CHECK_OK(gdprkit_receipt_verification_get(&rc, rv));
  CHECK(rc.valid == 1);
  gdprkit_receipt_verification_free(rv);
  /* An edited receipt is a result, not an error. */
  {
    char* at = strstr(receipt, "research-v3");
    CHECK(at != NULL);
    if (at != NULL) at[10] = '4';
  }
  CHECK_OK(gdprkit_consent_receipt_verify(&rv, receipt, strlen(receipt), NULL));
  CHECK_OK(gdprkit_receipt_verification_get(&rc, rv));
  CHECK(rc.valid == 0 && strlen(rc.problem) > 0);
  gdprkit_receipt_verification_free(rv);
  CHECK_OK(gdprkit_consent_receipt_verify(&rv, "not json", 8, NULL));
  CHECK_OK(gdprkit_receipt_verification_get(&rc, rv));
  CHECK(rc.valid == 0);
  gdprkit_receipt_verification_free(rv);
  gdprkit_retention_string_free(receipt);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_receipt_verify(&rv, "{}", 2, "zz"));
  CHECK(rv == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_receipt_verify(&rv, NULL, 5, NULL));
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_consent_ledger_export_receipt(&receipt, ledger, 99));
  CHECK(receipt == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_export_receipt(&receipt, NULL, 1));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_receipt_verification_get(&rc, NULL));

  /* The access report with the ledger; the subject's erasure. */
  CHECK_OK(gdprkit_access_report(&report, kSubjects[0], ledger, NULL));
  CHECK_CONTAINS(report, "research-v3");
  gdprkit_retention_string_free(report);
  CHECK_OK(gdprkit_consent_ledger_erase_subject(&erased, ledger, kSubjects[0], "dpo"));
  CHECK(erased == 2);
  CHECK_OK(
      gdprkit_consent_ledger_states(states, ledger, ask, 1, "research-contact", day("2026-03-03")));
  CHECK(states[0] == GDPRKIT_CONSENT_NONE);
  CHECK_STATUS(GDPRKIT_FAILED_PRECONDITION,
               gdprkit_consent_ledger_export_receipt(&receipt, ledger, 1));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_erase_subject(&erased, ledger, "bob", "dpo"));
  CHECK(erased == 0);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_consent_ledger_erase_subject(&erased, ledger, kSubjects[0], NULL));
  CHECK_OK(gdprkit_consent_ledger_verify(&v, ledger, NULL));
  CHECK_OK(gdprkit_consent_verification_get(&check, v));
  CHECK(check.intact == 1);
  gdprkit_consent_verification_free(v);

  /* The erasure of an erasure decision, the ledger's part. */
  {
    gdprkit_subject_purpose p = GDPRKIT_SUBJECT_PURPOSE_INIT;
    gdprkit_decision* d = NULL;
    gdprkit_erasure_outcome* o = NULL;
    p.purpose = "research-contact";
    CHECK_OK(gdprkit_request_decide(&d, policy, GDPRKIT_REQUEST_ERASURE, &p, 1, day("2026-03-03")));
    CHECK_OK(gdprkit_request_carry_out_erasure(&o, d, NULL, 0, NULL, ledger, kSubjects[1], "dpo"));
    CHECK(gdprkit_erasure_outcome_consent_entries(o) == 1);
    CHECK(gdprkit_erasure_outcome_delete_count(o) == 1);
    gdprkit_erasure_outcome_free(o);
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_request_carry_out_erasure(&o, d, NULL, 0, NULL, ledger, NULL, "dpo"));
    gdprkit_decision_free(d);
  }
  gdprkit_consent_ledger_free(ledger);
  gdprkit_consent_ledger_free(NULL);
  CHECK(gdprkit_consent_ledger_entries(NULL) == 0);

  /* Open again; create over it; a missing file; a non-ledger. */
  CHECK_OK(gdprkit_consent_ledger_open(&ledger, path, policy, NULL));
  CHECK(gdprkit_consent_ledger_entries(ledger) == N + 3);
  gdprkit_consent_ledger_free(ledger);
  CHECK_STATUS(GDPRKIT_ALREADY_EXISTS, gdprkit_consent_ledger_create(&ledger, path, policy, NULL));
  CHECK(ledger == NULL);
  unlink(path);
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_consent_ledger_open(&ledger, path, policy, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_open(&ledger, NULL, policy, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_open(&ledger, path, NULL, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_head(head, 10, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_public_key(NULL, 65, NULL));
  gdprkit_policy_free(policy);
}

static void test_keyed(void) {
  char path[256];
  char key_hex[GDPRKIT_CONSENT_HASH_SIZE];
  unsigned char key[32];
  gdprkit_policy* policy = load("practio.textproto");
  gdprkit_consent_ledger* ledger = NULL;
  gdprkit_consent_options o = GDPRKIT_CONSENT_OPTIONS_INIT;
  gdprkit_receipt_verification* rv = NULL;
  gdprkit_receipt_check rc = GDPRKIT_RECEIPT_CHECK_INIT;
  batch b;
  int64_t count = 0;
  char* receipt = NULL;
  size_t i;

  for (i = 0; i < sizeof key; ++i) key[i] = (unsigned char)(i * 7 + 1);
  o.key = key;
  o.key_size = sizeof key;
  o.sync = 0;
  temp_path(path, sizeof path, "consent_keyed");
  CHECK_OK(gdprkit_consent_ledger_create(&ledger, path, policy, &o));
  make_batch(&b, 1, GDPRKIT_CONSENT_GIVEN, kGivenAt);
  CHECK_OK(gdprkit_consent_ledger_record(&count, ledger, &b.r));
  CHECK_OK(gdprkit_consent_ledger_public_key(key_hex, sizeof key_hex, ledger));
  CHECK(strlen(key_hex) == 64);
  CHECK_OK(gdprkit_consent_ledger_export_receipt(&receipt, ledger, 1));
  CHECK_OK(gdprkit_consent_receipt_verify(&rv, receipt, strlen(receipt), key_hex));
  CHECK_OK(gdprkit_receipt_verification_get(&rc, rv));
  CHECK(rc.valid == 1 && rc.signed_receipt == 1);
  gdprkit_receipt_verification_free(rv);
  gdprkit_retention_string_free(receipt);
  gdprkit_consent_ledger_free(ledger);

  /* Without its key, or with another. */
  CHECK_STATUS(GDPRKIT_FAILED_PRECONDITION,
               gdprkit_consent_ledger_open(&ledger, path, policy, NULL));
  key[0] ^= 1;
  CHECK_STATUS(GDPRKIT_FAILED_PRECONDITION, gdprkit_consent_ledger_open(&ledger, path, policy, &o));
  o.key_size = 8;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_open(&ledger, path, policy, &o));
  o.key = NULL;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_open(&ledger, path, policy, &o));
  CHECK_ERROR_MENTIONS("options.key is NULL but options.key_size is 8");
  o.version = 2;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_ledger_open(&ledger, path, policy, &o));
  CHECK(ledger == NULL);
  unlink(path);
  gdprkit_policy_free(policy);
}

static void test_init_functions(void) {
  gdprkit_consent_records r;
  gdprkit_receipt_check c;
  memset(&r, 0xff, sizeof r);
  CHECK_OK(gdprkit_consent_records_init(&r, GDPRKIT_CONSENT_RECORDS_VERSION));
  CHECK(r.count == 0 && r.subjects == NULL && r.evidence == NULL);
  memset(&c, 0xff, sizeof c);
  CHECK_OK(gdprkit_receipt_check_init(&c, GDPRKIT_RECEIPT_CHECK_VERSION));
  CHECK(c.valid == 0 && c.valid_until == GDPRKIT_NO_DATE && c.subject == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_consent_records_init(&r, 0));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_receipt_check_init(NULL, 1));
}

int main(void) {
  test_vocabulary();
  test_init_functions();
  test_ledger();
  test_keyed();
  return test_report("consent_test");
}
