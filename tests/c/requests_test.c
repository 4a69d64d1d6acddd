/* Data subjects' requests from C (include/gdprkit/c/consent.h, second half):
 * the vocabularies, the Art. 12(3) deadline, the register (receive, identity,
 * extension, closing, get, list, overdue, trail, verify, erasure), decisions
 * with reasons, the erasure carried out, the access report, and the
 * refusals (NULL arguments, bad versions, numbers and names, unknown ids and
 * purposes). */
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

static const char kSubject[] = "tk_abcdefghijklmnopqrstuvwxyz234567";

static void test_vocabulary(void) {
  int v = -1;
  CHECK_STREQ(gdprkit_request_kind_name(GDPRKIT_REQUEST_ERASURE), "erasure");
  CHECK_STREQ(gdprkit_request_kind_name(GDPRKIT_REQUEST_WITHDRAWAL), "withdrawal");
  CHECK(gdprkit_request_kind_name(7) == NULL);
  CHECK(gdprkit_request_kind_name(-1) == NULL);
  CHECK_CONTAINS(gdprkit_request_kind_title(GDPRKIT_REQUEST_ERASURE, GDPRKIT_LANGUAGE_DA),
                 "sletning");
  CHECK(gdprkit_request_kind_title(GDPRKIT_REQUEST_ERASURE, 9) == NULL);
  CHECK_STREQ(gdprkit_request_status_name(GDPRKIT_REQUEST_CANCELLED), "cancelled");
  CHECK(gdprkit_request_status_name(4) == NULL);
  CHECK_CONTAINS(gdprkit_request_status_title(GDPRKIT_REQUEST_ANSWERED, GDPRKIT_LANGUAGE_DA),
                 "Besvaret");
  CHECK(gdprkit_request_status_title(GDPRKIT_REQUEST_ANSWERED, -1) == NULL);
  CHECK_STREQ(gdprkit_identity_check_name(GDPRKIT_IDENTITY_NOT_CHECKED), "not_checked");
  CHECK(gdprkit_identity_check_name(3) == NULL);
  CHECK_STREQ(gdprkit_request_action_name(GDPRKIT_ACTION_NOT_APPLICABLE), "not_applicable");
  CHECK(gdprkit_request_action_name(8) == NULL);
  CHECK_CONTAINS(gdprkit_request_action_title(GDPRKIT_ACTION_KEEP, GDPRKIT_LANGUAGE_EN), "Keep");
  CHECK(gdprkit_request_action_title(99, GDPRKIT_LANGUAGE_EN) == NULL);

  CHECK_OK(gdprkit_request_kind_parse(&v, "portability"));
  CHECK(v == GDPRKIT_REQUEST_PORTABILITY);
  CHECK_OK(gdprkit_request_status_parse(&v, "refused"));
  CHECK(v == GDPRKIT_REQUEST_REFUSED);
  CHECK_OK(gdprkit_identity_check_parse(&v, "verified"));
  CHECK(v == GDPRKIT_IDENTITY_VERIFIED);
  CHECK_OK(gdprkit_request_action_parse(&v, "stop"));
  CHECK(v == GDPRKIT_ACTION_STOP);
  v = 42;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_kind_parse(&v, "erasur"));
  CHECK_ERROR_MENTIONS("erasure");
  CHECK(v == 42);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_status_parse(&v, "closed"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_identity_check_parse(&v, "maybe"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_action_parse(&v, "delete"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_kind_parse(&v, NULL));
  CHECK_ERROR_MENTIONS("argument name is NULL");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_kind_parse(NULL, "access"));
}

static void test_deadline(void) {
  int32_t due = 0;
  char text[16];
  CHECK_OK(gdprkit_request_deadline(&due, day("2026-01-31"), 0));
  CHECK_OK(gdprkit_date_format(text, sizeof text, due));
  CHECK_STREQ(text, "2026-02-28");
  CHECK_OK(gdprkit_request_deadline(&due, day("2026-01-31"), 1));
  CHECK_OK(gdprkit_date_format(text, sizeof text, due));
  CHECK_STREQ(text, "2026-04-30");
  CHECK_OK(gdprkit_request_deadline(&due, day("2026-03-15"), 0));
  CHECK(due == day("2026-04-15"));
  due = 7;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_deadline(&due, GDPRKIT_NO_DATE, 0));
  CHECK_ERROR_MENTIONS("received");
  CHECK(due == GDPRKIT_NO_DATE);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_deadline(NULL, day("2026-01-31"), 0));
  CHECK_ERROR_MENTIONS("argument out is NULL");
}

static void test_init_functions(void) {
  gdprkit_new_request n;
  gdprkit_request r;
  gdprkit_request_event e;
  gdprkit_subject_purpose p;
  gdprkit_purpose_decision d;
  gdprkit_consent_options o;
  gdprkit_consent_check c;
  memset(&n, 0xff, sizeof n);
  CHECK_OK(gdprkit_new_request_init(&n, GDPRKIT_NEW_REQUEST_VERSION));
  CHECK(n.version == GDPRKIT_NEW_REQUEST_VERSION && n.id == NULL && n.received == GDPRKIT_NO_DATE);
  CHECK_OK(gdprkit_request_init(&r, GDPRKIT_REQUEST_VERSION));
  CHECK(r.due == GDPRKIT_NO_DATE && r.closed_on == GDPRKIT_NO_DATE && r.purposes == NULL);
  CHECK_OK(gdprkit_request_event_init(&e, GDPRKIT_REQUEST_EVENT_VERSION));
  CHECK(e.on == GDPRKIT_NO_DATE && e.hash == NULL);
  CHECK_OK(gdprkit_subject_purpose_init(&p, GDPRKIT_SUBJECT_PURPOSE_VERSION));
  CHECK(p.date_count == 0 && p.on_hold == 0);
  CHECK_OK(gdprkit_purpose_decision_init(&d, GDPRKIT_PURPOSE_DECISION_VERSION));
  CHECK(d.keep_until == GDPRKIT_NO_DATE);
  CHECK_OK(gdprkit_consent_options_init(&o, GDPRKIT_CONSENT_OPTIONS_VERSION));
  CHECK(o.sync == 1 && o.key == NULL);
  CHECK_OK(gdprkit_consent_check_init(&c, GDPRKIT_CONSENT_CHECK_VERSION));
  CHECK(c.first_broken_entry == -1);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_init(&r, 99));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_new_request_init(NULL, 1));
}

static gdprkit_requests* receive(gdprkit_request_register* reg, const char* id, int kind,
                                 const char* received) {
  static const char* const purposes[] = {"recruitment"};
  gdprkit_new_request n = GDPRKIT_NEW_REQUEST_INIT;
  gdprkit_requests* out = NULL;
  n.id = id;
  n.kind = kind;
  n.subject = kSubject;
  n.purposes = purposes;
  n.purpose_count = 1;
  n.received = day(received);
  n.channel = "email";
  n.recorded_by = "hr-1";
  CHECK_OK(gdprkit_request_register_receive(&out, reg, &n));
  return out;
}

static void test_register(void) {
  char path[256];
  gdprkit_policy* policy = load("medcom.textproto");
  gdprkit_request_register* reg = NULL;
  gdprkit_requests* rs = NULL;
  gdprkit_request r = GDPRKIT_REQUEST_INIT;
  gdprkit_request_trail* trail = NULL;
  gdprkit_request_event e = GDPRKIT_REQUEST_EVENT_INIT;
  gdprkit_consent_verification* v = NULL;
  gdprkit_consent_check check = GDPRKIT_CONSENT_CHECK_INIT;
  gdprkit_new_request n = GDPRKIT_NEW_REQUEST_INIT;
  struct stat st;
  int64_t erased = -1;
  char* report = NULL;
  static const char* const unknown[] = {"recruitmnt"};
  static const char* const with_null[] = {NULL};

  temp_path(path, sizeof path, "requests");
  CHECK_OK(gdprkit_request_register_create(&reg, path, policy, NULL));
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);

  rs = receive(reg, "case-1", GDPRKIT_REQUEST_ERASURE, "2026-01-31");
  CHECK(gdprkit_requests_count(rs) == 1);
  CHECK_OK(gdprkit_requests_get(&r, rs, 0));
  CHECK_STREQ(r.id, "case-1");
  CHECK(r.kind == GDPRKIT_REQUEST_ERASURE);
  CHECK(r.status == GDPRKIT_REQUEST_OPEN);
  CHECK(r.identity == GDPRKIT_IDENTITY_NOT_CHECKED);
  CHECK(r.due == day("2026-02-28"));
  CHECK(r.purpose_count == 1 && r.purposes[1] == NULL);
  CHECK_STREQ(r.purposes[0], "recruitment");
  CHECK_STREQ(r.subject, kSubject);
  CHECK_STREQ(r.channel, "email");
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE, gdprkit_requests_get(&r, rs, 1));
  CHECK(r.id == NULL && r.version == GDPRKIT_REQUEST_VERSION);
  gdprkit_requests_free(rs);

  /* An id already used; no id: the register assigns one. */
  n.id = "case-1";
  n.kind = GDPRKIT_REQUEST_ACCESS;
  n.subject = kSubject;
  n.received = day("2026-01-10");
  n.channel = "letter";
  n.recorded_by = "hr-1";
  rs = (gdprkit_requests*)1;
  CHECK_STATUS(GDPRKIT_ALREADY_EXISTS, gdprkit_request_register_receive(&rs, reg, &n));
  CHECK(rs == NULL);
  n.id = NULL;
  CHECK_OK(gdprkit_request_register_receive(&rs, reg, &n));
  CHECK_OK(gdprkit_requests_get(&r, rs, 0));
  CHECK(strncmp(r.id, "rq_", 3) == 0);
  CHECK(r.purpose_count == 0 && r.purposes != NULL && r.purposes[0] == NULL);
  gdprkit_requests_free(rs);

  /* Refusals of receive. */
  n.purposes = unknown;
  n.purpose_count = 1;
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_request_register_receive(&rs, reg, &n));
  CHECK_ERROR_MENTIONS("recruitment");
  n.purposes = with_null;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_receive(&rs, reg, &n));
  CHECK_ERROR_MENTIONS("request.purposes[0] is NULL");
  n.purposes = NULL;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_receive(&rs, reg, &n));
  CHECK_ERROR_MENTIONS("request.purposes is NULL but request.purpose_count is 1");
  n.purpose_count = 0;
  n.kind = 7;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_receive(&rs, reg, &n));
  CHECK_ERROR_MENTIONS("request.kind");
  n.kind = GDPRKIT_REQUEST_ACCESS;
  n.subject = "010190-1234";
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_receive(&rs, reg, &n));
  CHECK(strstr(gdprkit_last_error(), "010190") == NULL);
  n.subject = NULL;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_receive(&rs, reg, &n));
  CHECK_ERROR_MENTIONS("request.subject");
  n.subject = kSubject;
  n.version = 0;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_receive(&rs, reg, &n));
  CHECK_ERROR_MENTIONS("GDPRKIT_NEW_REQUEST_INIT");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_receive(&rs, NULL, &n));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_receive(&rs, reg, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_receive(NULL, reg, &n));

  /* Identity, extension, closing. */
  CHECK_OK(gdprkit_request_register_check_identity(&rs, reg, "case-1", 1, "MitID",
                                                   day("2026-02-02"), "hr-1"));
  CHECK_OK(gdprkit_requests_get(&r, rs, 0));
  CHECK(r.identity == GDPRKIT_IDENTITY_VERIFIED);
  CHECK_STREQ(r.identity_method, "MitID");
  gdprkit_requests_free(rs);
  CHECK_OK(gdprkit_request_register_extend(&rs, reg, "case-1", "many archives to search",
                                           day("2026-02-03"), "hr-1"));
  CHECK_OK(gdprkit_requests_get(&r, rs, 0));
  CHECK(r.extended == 1 && r.due == day("2026-04-30"));
  CHECK_STREQ(r.extension_reason, "many archives to search");
  gdprkit_requests_free(rs);
  CHECK_STATUS(
      GDPRKIT_FAILED_PRECONDITION,
      gdprkit_request_register_extend(&rs, reg, "case-1", "again", day("2026-02-04"), "hr-1"));
  CHECK(rs == NULL);
  CHECK_STATUS(GDPRKIT_NOT_FOUND,
               gdprkit_request_register_extend(&rs, reg, "case-9", "x", day("2026-02-04"), "hr-1"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_register_extend(&rs, reg, "case-1", NULL, day("2026-02-04"), "x"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_register_check_identity(&rs, reg, "case-1", 1, NULL, 0, "x"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_register_check_identity(&rs, reg, NULL, 1, "MitID", 0, "x"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_register_close_request(&rs, reg, "case-1", 9, "x", 0, "x"));
  CHECK_ERROR_MENTIONS("gdprkit_request_status");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_register_close_request(&rs, reg, "case-1", GDPRKIT_REQUEST_ANSWERED,
                                                      "done", day("2026-03-01"), NULL));
  CHECK_ERROR_MENTIONS("recorded_by");

  /* Overdue on 2026-03-01: the access request of 2026-01-10 (due
   * 2026-02-10), not the extended erasure. */
  CHECK_OK(gdprkit_request_register_overdue(&rs, reg, day("2026-03-01")));
  CHECK(gdprkit_requests_count(rs) == 1);
  CHECK_OK(gdprkit_requests_get(&r, rs, 0));
  CHECK(r.kind == GDPRKIT_REQUEST_ACCESS && r.due == day("2026-02-10"));
  gdprkit_requests_free(rs);

  CHECK_OK(gdprkit_request_register_close_request(&rs, reg, "case-1", GDPRKIT_REQUEST_ANSWERED,
                                                  "erased; HR notified", day("2026-03-01"),
                                                  "hr-1"));
  CHECK_OK(gdprkit_requests_get(&r, rs, 0));
  CHECK(r.status == GDPRKIT_REQUEST_ANSWERED && r.closed_on == day("2026-03-01"));
  CHECK_STREQ(r.outcome, "erased; HR notified");
  gdprkit_requests_free(rs);
  CHECK_STATUS(GDPRKIT_FAILED_PRECONDITION,
               gdprkit_request_register_close_request(&rs, reg, "case-1", GDPRKIT_REQUEST_REFUSED,
                                                      "late", day("2026-03-02"), "hr-1"));

  /* get, list. */
  CHECK_OK(gdprkit_request_register_get(&rs, reg, "case-1"));
  CHECK(gdprkit_requests_count(rs) == 1);
  gdprkit_requests_free(rs);
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_request_register_get(&rs, reg, "case-2"));
  CHECK_ERROR_MENTIONS("case-1");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_get(&rs, reg, NULL));
  CHECK_OK(gdprkit_request_register_list(&rs, reg));
  CHECK(gdprkit_requests_count(rs) == 2);
  CHECK_OK(gdprkit_requests_get(&r, rs, 0));
  CHECK(r.received == day("2026-01-10")); /* by received day */
  gdprkit_requests_free(rs);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_list(&rs, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_overdue(NULL, reg, 0));

  /* The trail: received, identity_verified, extended, answered. */
  CHECK_OK(gdprkit_request_register_trail(&trail, reg, "case-1"));
  CHECK(gdprkit_request_trail_count(trail) == 4);
  CHECK_OK(gdprkit_request_trail_get(&e, trail, 0));
  CHECK_STREQ(e.event, "received");
  CHECK_STREQ(e.request_id, "case-1");
  CHECK(strlen(e.hash) == 64);
  CHECK_OK(gdprkit_request_trail_get(&e, trail, 3));
  CHECK_STREQ(e.event, "answered");
  CHECK(e.on == day("2026-03-01"));
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE, gdprkit_request_trail_get(&e, trail, 4));
  e.version = 5;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_trail_get(&e, trail, 0));
  gdprkit_request_trail_free(trail);
  CHECK_OK(gdprkit_request_register_trail(&trail, reg, NULL));
  CHECK(gdprkit_request_trail_count(trail) == 5);
  gdprkit_request_trail_free(trail);
  CHECK(gdprkit_request_trail_count(NULL) == 0);

  /* Verify, the access report, erasure of the subject. */
  CHECK_OK(gdprkit_request_register_verify(&v, reg, NULL));
  CHECK_OK(gdprkit_consent_verification_get(&check, v));
  CHECK(check.intact == 1 && check.entries == 5 && check.first_broken_entry == -1);
  CHECK(strlen(check.head) == 64);
  CHECK_STREQ(check.problem, "");
  gdprkit_consent_verification_free(v);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_verify(&v, reg, "xyz"));
  CHECK(v == NULL);

  CHECK_OK(gdprkit_access_report(&report, kSubject, NULL, reg));
  CHECK_CONTAINS(report, "case-1");
  CHECK_CONTAINS(report, "\"requests\"");
  gdprkit_retention_string_free(report);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_access_report(&report, "010190-1234", NULL, reg));
  CHECK(report == NULL);
  CHECK(strstr(gdprkit_last_error(), "010190") == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_access_report(&report, NULL, NULL, reg));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_access_report(&report, kSubject, NULL, NULL));

  CHECK_OK(gdprkit_request_register_erase_subject(&erased, reg, kSubject, "dpo"));
  CHECK(erased > 0);
  CHECK_OK(gdprkit_request_register_get(&rs, reg, "case-1"));
  CHECK_OK(gdprkit_requests_get(&r, rs, 0));
  CHECK_STREQ(r.subject, "");
  gdprkit_requests_free(rs);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_register_erase_subject(&erased, reg, NULL, "dpo"));
  CHECK(erased == 0);
  CHECK_OK(gdprkit_request_register_verify(&v, reg, NULL));
  CHECK_OK(gdprkit_consent_verification_get(&check, v));
  CHECK(check.intact == 1);
  gdprkit_consent_verification_free(v);

  gdprkit_request_register_free(reg);
  gdprkit_request_register_free(NULL);

  /* Open again; create over an existing file; open a missing one. */
  CHECK_OK(gdprkit_request_register_open(&reg, path, policy, NULL));
  CHECK_OK(gdprkit_request_register_list(&rs, reg));
  CHECK(gdprkit_requests_count(rs) == 2);
  gdprkit_requests_free(rs);
  gdprkit_request_register_free(reg);
  CHECK_STATUS(GDPRKIT_ALREADY_EXISTS, gdprkit_request_register_create(&reg, path, policy, NULL));
  CHECK(reg == NULL);
  unlink(path);
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_request_register_open(&reg, path, policy, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_open(&reg, NULL, policy, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_open(&reg, path, NULL, NULL));
  {
    gdprkit_consent_options o = GDPRKIT_CONSENT_OPTIONS_INIT;
    o.key_size = 32;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_create(&reg, path, policy, &o));
    CHECK_ERROR_MENTIONS("options.key is NULL");
    o.version = 7;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_register_create(&reg, path, policy, &o));
    CHECK_ERROR_MENTIONS("GDPRKIT_CONSENT_OPTIONS_INIT");
  }
  CHECK(gdprkit_requests_count(NULL) == 0);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_requests_get(&r, NULL, 0));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_requests_get(NULL, NULL, 0));
  gdprkit_policy_free(policy);
}

static void test_decide(void) {
  gdprkit_policy* policy = load("practio.textproto");
  gdprkit_decision* d = NULL;
  gdprkit_purpose_decision pd = GDPRKIT_PURPOSE_DECISION_INIT;
  gdprkit_subject_purpose ps[2] = {GDPRKIT_SUBJECT_PURPOSE_INIT, GDPRKIT_SUBJECT_PURPOSE_INIT};
  gdprkit_erasure_outcome* outcome = NULL;
  static const char* const names[] = {"last_entry"};
  static const char* const bad_names[] = {"no_such_event"};
  static const char* const null_names[] = {NULL};
  int32_t dates[1];
  char text[16];

  dates[0] = day("2025-05-01");
  ps[0].purpose = "patient-record";
  ps[0].date_names = names;
  ps[0].dates = dates;
  ps[0].date_count = 1;
  ps[1].purpose = "research-contact";

  CHECK_OK(gdprkit_request_decide(&d, policy, GDPRKIT_REQUEST_ERASURE, ps, 2, day("2026-02-02")));
  CHECK(gdprkit_decision_kind(d) == GDPRKIT_REQUEST_ERASURE);
  CHECK(gdprkit_decision_count(d) == 2);
  CHECK_OK(gdprkit_decision_get(&pd, d, 0));
  CHECK_STREQ(pd.purpose, "patient-record");
  CHECK(pd.action == GDPRKIT_ACTION_KEEP);
  CHECK_STREQ(pd.right, "A17");
  CHECK_OK(gdprkit_date_format(text, sizeof text, pd.keep_until));
  CHECK_STREQ(text, "2035-05-01");
  CHECK(strlen(pd.reason) > 0);
  CHECK(strlen(pd.retention_rule) > 0);
  CHECK_OK(gdprkit_decision_get(&pd, d, 1));
  CHECK_STREQ(pd.purpose, "research-contact");
  CHECK(pd.action == GDPRKIT_ACTION_ERASE);
  CHECK(pd.keep_until == GDPRKIT_NO_DATE);
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE, gdprkit_decision_get(&pd, d, 2));
  CHECK(pd.purpose == NULL);

  /* Carried out without a vault (a purpose is kept); no ledger here. */
  CHECK_OK(gdprkit_request_carry_out_erasure(&outcome, d, NULL, 0, NULL, NULL, NULL, "dpo"));
  CHECK(gdprkit_erasure_outcome_vault_tokens(outcome) == 0);
  CHECK(gdprkit_erasure_outcome_consent_entries(outcome) == 0);
  CHECK(gdprkit_erasure_outcome_delete_count(outcome) == 1);
  CHECK(gdprkit_erasure_outcome_kept_count(outcome) == 1);
  CHECK_OK(gdprkit_erasure_outcome_delete_get(&pd, outcome, 0));
  CHECK_STREQ(pd.purpose, "research-contact");
  CHECK_OK(gdprkit_erasure_outcome_kept_get(&pd, outcome, 0));
  CHECK_STREQ(pd.purpose, "patient-record");
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE, gdprkit_erasure_outcome_kept_get(&pd, outcome, 1));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_erasure_outcome_delete_get(&pd, NULL, 0));
  CHECK_ERROR_MENTIONS("argument outcome is NULL");
  gdprkit_erasure_outcome_free(outcome);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_carry_out_erasure(&outcome, d, NULL, 0, NULL, NULL, NULL, NULL));
  CHECK(outcome == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_carry_out_erasure(&outcome, NULL, NULL, 0, NULL, NULL, NULL, "x"));
  gdprkit_decision_free(d);

  /* Access: not an erasure decision. */
  CHECK_OK(gdprkit_request_decide(&d, policy, GDPRKIT_REQUEST_ACCESS, ps, 2, day("2026-02-02")));
  CHECK_OK(gdprkit_decision_get(&pd, d, 0));
  CHECK(pd.action == GDPRKIT_ACTION_PROVIDE);
  CHECK_STREQ(pd.right, "A15");
  CHECK_STATUS(GDPRKIT_FAILED_PRECONDITION,
               gdprkit_request_carry_out_erasure(&outcome, d, NULL, 0, NULL, NULL, NULL, "dpo"));
  CHECK_ERROR_MENTIONS("erasure");
  gdprkit_decision_free(d);

  /* Refusals. */
  ps[1].purpose = "research-contakt";
  CHECK_STATUS(GDPRKIT_NOT_FOUND,
               gdprkit_request_decide(&d, policy, GDPRKIT_REQUEST_ERASURE, ps, 2, 0));
  CHECK_ERROR_MENTIONS("research-contact");
  CHECK(d == NULL);
  ps[1].purpose = "research-contact";
  ps[0].date_names = bad_names;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_decide(&d, policy, GDPRKIT_REQUEST_ERASURE, ps, 2, 0));
  ps[0].date_names = null_names;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_decide(&d, policy, GDPRKIT_REQUEST_ERASURE, ps, 2, 0));
  CHECK_ERROR_MENTIONS("purposes[0].date_names[0] is NULL");
  ps[0].date_names = names;
  ps[0].dates = NULL;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_decide(&d, policy, GDPRKIT_REQUEST_ERASURE, ps, 2, 0));
  CHECK_ERROR_MENTIONS("purposes[0].dates is NULL");
  ps[0].dates = dates;
  ps[1].purpose = NULL;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_decide(&d, policy, GDPRKIT_REQUEST_ERASURE, ps, 2, 0));
  CHECK_ERROR_MENTIONS("purposes[1].purpose is NULL");
  ps[1].purpose = "research-contact";
  ps[1].version = 0;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_decide(&d, policy, GDPRKIT_REQUEST_ERASURE, ps, 2, 0));
  ps[1].version = GDPRKIT_SUBJECT_PURPOSE_VERSION;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_request_decide(&d, policy, 12, ps, 2, 0));
  CHECK_ERROR_MENTIONS("argument kind is 12");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_decide(&d, policy, GDPRKIT_REQUEST_ERASURE, NULL, 2, 0));
  CHECK_ERROR_MENTIONS("argument purposes is NULL but count is 2");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_decide(&d, policy, GDPRKIT_REQUEST_ERASURE, ps, SIZE_MAX, 0));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_decide(&d, NULL, GDPRKIT_REQUEST_ERASURE, ps, 2, 0));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_request_decide(NULL, policy, GDPRKIT_REQUEST_ERASURE, ps, 2, 0));
  CHECK(gdprkit_decision_kind(NULL) == -1);
  CHECK(gdprkit_decision_count(NULL) == 0);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_decision_get(&pd, NULL, 0));
  CHECK_ERROR_MENTIONS("argument decision is NULL");
  gdprkit_decision_free(NULL);
  gdprkit_erasure_outcome_free(NULL);
  CHECK(gdprkit_erasure_outcome_vault_tokens(NULL) == 0);
  CHECK(gdprkit_erasure_outcome_kept_count(NULL) == 0);
  gdprkit_policy_free(policy);
}

int main(void) {
  test_vocabulary();
  test_deadline();
  test_init_functions();
  test_register();
  test_decide();
  return test_report("requests_test");
}
