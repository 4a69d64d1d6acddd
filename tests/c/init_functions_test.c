/* gdprkit_<struct>_init(out, version), the function form of every _INIT
 * macro (for FFI callers, which cannot use C macros): given the header's
 * version, each sets exactly what its macro sets, field by field, over a
 * struct full of garbage; NULL and a version it does not know are
 * INVALID_ARGUMENT and write nothing; and a refused struct version names
 * both the macro and the function. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gdprkit.h"
#include "test_util.h"

/* `fn` filled with garbage, then by the function; `mac` by the macro. */
#define INIT_BOTH(type, init_fn, init_macro)                             \
  type fn;                                                               \
  type mac = init_macro;                                                 \
  unsigned char garbage[sizeof(type)];                                   \
  memset(&fn, 0xA5, sizeof fn);                                          \
  memset(garbage, 0xA5, sizeof garbage);                                 \
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, init_fn(&fn, mac.version + 1)); \
  CHECK_CONTAINS(gdprkit_last_error(), #init_fn ": version ");           \
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, init_fn(&fn, 0));               \
  CHECK(memcmp(&fn, garbage, sizeof fn) == 0);                           \
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, init_fn(NULL, mac.version));    \
  CHECK_OK(init_fn(&fn, mac.version));                                   \
  CHECK_STREQ(gdprkit_last_error(), "")

#define SAME(field) CHECK(fn.field == mac.field)

static void policy_records(void) {
  {
    INIT_BOTH(gdprkit_finding, gdprkit_finding_init, GDPRKIT_FINDING_INIT);
    CHECK(fn.version == GDPRKIT_FINDING_VERSION);
    SAME(version);
    SAME(severity);
    SAME(severity_name);
    SAME(code);
    SAME(purpose_id);
    SAME(field);
    SAME(message);
    SAME(file);
    SAME(line);
  }
  {
    INIT_BOTH(gdprkit_purpose_info, gdprkit_purpose_info_init, GDPRKIT_PURPOSE_INFO_INIT);
    CHECK(fn.version == GDPRKIT_PURPOSE_INFO_VERSION);
    SAME(version);
    SAME(id);
    SAME(title);
    SAME(description);
    SAME(retention);
    SAME(basis);
    SAME(basis_count);
    SAME(categories);
    SAME(category_count);
    SAME(data_subjects);
    SAME(data_subject_count);
    SAME(line);
  }
  {
    INIT_BOTH(gdprkit_right_info, gdprkit_right_info_init, GDPRKIT_RIGHT_INFO_INIT);
    CHECK(fn.version == GDPRKIT_RIGHT_INFO_VERSION);
    SAME(version);
    SAME(code);
    SAME(title);
    SAME(applies);
    SAME(reason);
  }
}

static void retention_structs(void) {
  {
    INIT_BOTH(gdprkit_sweep_input, gdprkit_sweep_input_init, GDPRKIT_SWEEP_INPUT_INIT);
    CHECK(fn.version == GDPRKIT_SWEEP_INPUT_VERSION);
    SAME(version);
    SAME(count);
    SAME(selectors);
    SAME(selector_count);
    SAME(selector);
    SAME(record_ids);
    SAME(event_names);
    SAME(event_days);
    SAME(event_count);
    SAME(hold_record);
    SAME(hold_start);
    SAME(hold_end);
    SAME(hold_count);
  }
  {
    INIT_BOTH(gdprkit_sweep_columns, gdprkit_sweep_columns_init, GDPRKIT_SWEEP_COLUMNS_INIT);
    CHECK(fn.version == GDPRKIT_SWEEP_COLUMNS_VERSION);
    SAME(version);
    SAME(status);
    SAME(due_date);
    SAME(rule);
    SAME(anchor);
    SAME(reason);
    SAME(hold);
  }
  {
    INIT_BOTH(gdprkit_sweep_options, gdprkit_sweep_options_init, GDPRKIT_SWEEP_OPTIONS_INIT);
    CHECK(fn.version == GDPRKIT_SWEEP_OPTIONS_VERSION);
    SAME(version);
    SAME(on_invalid);
    SAME(threads);
    SAME(max_errors);
    SAME(progress);
    SAME(progress_context);
  }
  {
    INIT_BOTH(gdprkit_sweep_counts, gdprkit_sweep_counts_init, GDPRKIT_SWEEP_COUNTS_INIT);
    CHECK(fn.version == GDPRKIT_SWEEP_COUNTS_VERSION);
    SAME(version);
    SAME(records);
    SAME(due);
    SAME(pending);
    SAME(kept);
    SAME(held);
    SAME(may_delete);
    SAME(invalid);
    SAME(complete);
  }
  {
    INIT_BOTH(gdprkit_sweep_error, gdprkit_sweep_error_init, GDPRKIT_SWEEP_ERROR_INIT);
    CHECK(fn.version == GDPRKIT_SWEEP_ERROR_VERSION);
    SAME(version);
    SAME(row);
    SAME(record_id);
    SAME(field);
    SAME(message);
    SAME(text);
  }
  {
    INIT_BOTH(gdprkit_deletion_log_options, gdprkit_deletion_log_options_init,
              GDPRKIT_DELETION_LOG_OPTIONS_INIT);
    CHECK(fn.version == GDPRKIT_DELETION_LOG_OPTIONS_VERSION);
    SAME(version);
    SAME(key);
    SAME(key_size);
    SAME(sync);
  }
  {
    INIT_BOTH(gdprkit_deletion_log_check, gdprkit_deletion_log_check_init,
              GDPRKIT_DELETION_LOG_CHECK_INIT);
    CHECK(fn.version == GDPRKIT_DELETION_LOG_CHECK_VERSION);
    SAME(version);
    SAME(intact);
    SAME(entries);
    SAME(head);
    SAME(first_broken_entry);
    SAME(first_broken_line);
    SAME(problem);
    SAME(log_id);
    SAME(keyed);
  }
}

static void suppression_options(void) {
  INIT_BOTH(gdprkit_suppression_options, gdprkit_suppression_options_init,
            GDPRKIT_SUPPRESSION_OPTIONS_INIT);
  CHECK(fn.version == GDPRKIT_SUPPRESSION_OPTIONS_VERSION);
  SAME(version);
  SAME(progress);
  SAME(progress_context);
}

static void vault_options(void) {
  {
    INIT_BOTH(gdprkit_id_options, gdprkit_id_options_init, GDPRKIT_ID_OPTIONS_INIT);
    CHECK(fn.version == GDPRKIT_ID_OPTIONS_VERSION);
    SAME(version);
    SAME(cpr_require_modulus11);
    SAME(cpr_allow_replacement);
    SAME(pad_provider_number);
    SAME(cpr_allow_future);
    SAME(cpr_as_of);
    CHECK(fn.cpr_as_of == GDPRKIT_NO_DATE);
  }
  {
    INIT_BOTH(gdprkit_vault_options, gdprkit_vault_options_init, GDPRKIT_VAULT_OPTIONS_INIT);
    CHECK(fn.version == GDPRKIT_VAULT_OPTIONS_VERSION);
    SAME(version);
    SAME(actor);
    SAME(kdf_cost);
    SAME(create_if_missing);
    SAME(busy_timeout_ms);
  }
  {
    INIT_BOTH(gdprkit_batch_options, gdprkit_batch_options_init, GDPRKIT_BATCH_OPTIONS_INIT);
    CHECK(fn.version == GDPRKIT_BATCH_OPTIONS_VERSION);
    CHECK(fn.id_options.version == GDPRKIT_ID_OPTIONS_VERSION);
    SAME(version);
    SAME(id_options.version);
    SAME(id_options.cpr_require_modulus11);
    SAME(id_options.cpr_allow_replacement);
    SAME(id_options.pad_provider_number);
    SAME(id_options.cpr_allow_future);
    SAME(id_options.cpr_as_of);
    SAME(skip_invalid);
    SAME(key_version);
    SAME(errors);
    SAME(progress);
    SAME(progress_context);
  }
  {
    INIT_BOTH(gdprkit_release_options, gdprkit_release_options_init, GDPRKIT_RELEASE_OPTIONS_INIT);
    CHECK(fn.version == GDPRKIT_RELEASE_OPTIONS_VERSION);
    CHECK(fn.on == GDPRKIT_NO_DATE);
    SAME(version);
    SAME(on);
    SAME(scan_kinds);
    SAME(language);
    SAME(base_dir);
    SAME(progress);
    SAME(progress_context);
    SAME(method);
    SAME(cost);
    SAME(time_limit_seconds);
    SAME(effort);
    SAME(released_at);
  }
  {
    INIT_BOTH(gdprkit_release_finding, gdprkit_release_finding_init, GDPRKIT_RELEASE_FINDING_INIT);
    CHECK(fn.version == GDPRKIT_RELEASE_FINDING_VERSION);
    SAME(version);
  }
  {
    INIT_BOTH(gdprkit_release_report, gdprkit_release_report_init, GDPRKIT_RELEASE_REPORT_INIT);
    CHECK(fn.version == GDPRKIT_RELEASE_REPORT_VERSION);
    CHECK(fn.on == GDPRKIT_NO_DATE);
    SAME(version);
    SAME(release);
    SAME(on);
    SAME(rows_in);
    SAME(columns_dropped);
    SAME(audit_passed);
    SAME(log_seq);
    SAME(log_hash);
  }
}

static void scan_options(void) {
  INIT_BOTH(gdprkit_scan_options, gdprkit_scan_options_init, GDPRKIT_SCAN_OPTIONS_INIT);
  CHECK(fn.version == GDPRKIT_SCAN_OPTIONS_VERSION);
  CHECK(fn.as_of == GDPRKIT_NO_DATE);
  SAME(version);
  SAME(kinds);
  SAME(require_modulus11);
  SAME(as_of);
}

static void consent_structs(void) {
  {
    INIT_BOTH(gdprkit_consent_options, gdprkit_consent_options_init, GDPRKIT_CONSENT_OPTIONS_INIT);
    CHECK(fn.version == GDPRKIT_CONSENT_OPTIONS_VERSION);
    CHECK(fn.sync == 1);
    SAME(version);
    SAME(key);
    SAME(key_size);
    SAME(sync);
  }
  {
    INIT_BOTH(gdprkit_consent_check, gdprkit_consent_check_init, GDPRKIT_CONSENT_CHECK_INIT);
    CHECK(fn.version == GDPRKIT_CONSENT_CHECK_VERSION);
    CHECK(fn.first_broken_entry == -1);
    SAME(version);
    SAME(intact);
    SAME(entries);
    SAME(head);
    SAME(first_broken_entry);
    SAME(problem);
    SAME(ledger_id);
    SAME(keyed);
  }
  {
    INIT_BOTH(gdprkit_consent_records, gdprkit_consent_records_init, GDPRKIT_CONSENT_RECORDS_INIT);
    CHECK(fn.version == GDPRKIT_CONSENT_RECORDS_VERSION);
    SAME(version);
    SAME(count);
    SAME(subjects);
    SAME(purposes);
    SAME(states);
    SAME(at);
    SAME(valid_until);
    SAME(notice_versions);
    SAME(notice_texts);
    SAME(notice_digests);
    SAME(channels);
    SAME(recorded_by);
    SAME(evidence);
  }
  {
    INIT_BOTH(gdprkit_receipt_check, gdprkit_receipt_check_init, GDPRKIT_RECEIPT_CHECK_INIT);
    CHECK(fn.version == GDPRKIT_RECEIPT_CHECK_VERSION);
    CHECK(fn.valid_until == GDPRKIT_NO_DATE);
    SAME(version);
    SAME(valid);
    SAME(signed_receipt);
    SAME(problem);
    SAME(ledger_id);
    SAME(seq);
    SAME(hash);
    SAME(subject);
    SAME(purpose);
    SAME(state);
    SAME(at);
    SAME(valid_until);
    SAME(notice_version);
    SAME(notice_digest);
    SAME(channel);
    SAME(recorded_by);
    SAME(evidence);
  }
}

static void request_structs(void) {
  {
    INIT_BOTH(gdprkit_new_request, gdprkit_new_request_init, GDPRKIT_NEW_REQUEST_INIT);
    CHECK(fn.version == GDPRKIT_NEW_REQUEST_VERSION);
    CHECK(fn.received == GDPRKIT_NO_DATE);
    SAME(version);
    SAME(id);
    SAME(kind);
    SAME(subject);
    SAME(purposes);
    SAME(purpose_count);
    SAME(received);
    SAME(channel);
    SAME(recorded_by);
  }
  {
    INIT_BOTH(gdprkit_request, gdprkit_request_init, GDPRKIT_REQUEST_INIT);
    CHECK(fn.version == GDPRKIT_REQUEST_VERSION);
    CHECK(fn.received == GDPRKIT_NO_DATE && fn.due == GDPRKIT_NO_DATE);
    CHECK(fn.closed_on == GDPRKIT_NO_DATE);
    SAME(version);
    SAME(id);
    SAME(kind);
    SAME(status);
    SAME(subject);
    SAME(purposes);
    SAME(purpose_count);
    SAME(received);
    SAME(due);
    SAME(extended);
    SAME(extension_reason);
    SAME(identity);
    SAME(identity_method);
    SAME(closed_on);
    SAME(outcome);
    SAME(channel);
  }
  {
    INIT_BOTH(gdprkit_request_event, gdprkit_request_event_init, GDPRKIT_REQUEST_EVENT_INIT);
    CHECK(fn.version == GDPRKIT_REQUEST_EVENT_VERSION);
    CHECK(fn.on == GDPRKIT_NO_DATE);
    SAME(version);
    SAME(seq);
    SAME(recorded_at);
    SAME(request_id);
    SAME(event);
    SAME(on);
    SAME(detail);
    SAME(recorded_by);
    SAME(hash);
  }
  {
    INIT_BOTH(gdprkit_subject_purpose, gdprkit_subject_purpose_init, GDPRKIT_SUBJECT_PURPOSE_INIT);
    CHECK(fn.version == GDPRKIT_SUBJECT_PURPOSE_VERSION);
    SAME(version);
    SAME(purpose);
    SAME(date_names);
    SAME(dates);
    SAME(date_count);
    SAME(on_hold);
  }
  {
    INIT_BOTH(gdprkit_purpose_decision, gdprkit_purpose_decision_init,
              GDPRKIT_PURPOSE_DECISION_INIT);
    CHECK(fn.version == GDPRKIT_PURPOSE_DECISION_VERSION);
    CHECK(fn.keep_until == GDPRKIT_NO_DATE);
    SAME(version);
    SAME(purpose);
    SAME(action);
    SAME(right);
    SAME(reason);
    SAME(keep_until);
    SAME(retention_rule);
  }
}

/* A struct whose version is refused: the message tells a C caller the macro
 * and an FFI caller the function. */
static void refusals_name_the_init_function(void) {
  const char text[] = "purposes { id: \"p\" basis: \"A6-1-b\" }";
  gdprkit_policy* policy = NULL;
  gdprkit_findings* findings = NULL;
  gdprkit_finding finding;
  gdprkit_batch_options batch;
  gdprkit_id_column* column = NULL;
  unsigned char problems[1];
  size_t rejected = 0;
  const char* values[1] = {"123456"};
  CHECK_OK(gdprkit_policy_load_bytes(&policy, text, sizeof text - 1, GDPRKIT_FORMAT_TEXTPROTO,
                                     "init.textproto"));
  CHECK_OK(gdprkit_policy_validate(&findings, policy));
  memset(&finding, 0, sizeof finding); /* version 0: never set */
  if (gdprkit_findings_count(findings) > 0) {
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_findings_get(&finding, findings, 0));
    CHECK_CONTAINS(gdprkit_last_error(), "gdprkit_finding.version is 0");
    CHECK_CONTAINS(gdprkit_last_error(),
                   "GDPRKIT_FINDING_INIT, or gdprkit_finding_init(&s, GDPRKIT_FINDING_VERSION)");
    CHECK_OK(gdprkit_finding_init(&finding, GDPRKIT_FINDING_VERSION));
    CHECK_OK(gdprkit_findings_get(&finding, findings, 0));
  } else {
    CHECK(!"the policy without a controller has findings");
  }
  gdprkit_findings_free(findings);
  gdprkit_policy_free(policy);

  /* An options struct (here the one a batch's options embed). */
  CHECK_OK(gdprkit_batch_options_init(&batch, GDPRKIT_BATCH_OPTIONS_VERSION));
  batch.id_options.version = 7;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_ids_normalize(&column, problems, &rejected, GDPRKIT_ID_PROVIDER_NUMBER,
                                     values, 1, &batch.id_options));
  CHECK_CONTAINS(
      gdprkit_last_error(),
      "GDPRKIT_ID_OPTIONS_INIT, or gdprkit_id_options_init(&s, GDPRKIT_ID_OPTIONS_VERSION)");
  CHECK(column == NULL);

  /* A struct in an array (a decision's purposes): the element's version. */
  {
    char path[512];
    gdprkit_subject_purpose purposes[2];
    gdprkit_decision* decision = NULL;
    snprintf(path, sizeof path, "%s/policies/practio.textproto", GDPRKIT_EXAMPLES_DIR);
    CHECK_OK(gdprkit_policy_load_file(&policy, path, GDPRKIT_FORMAT_AUTO));
    CHECK_OK(gdprkit_subject_purpose_init(&purposes[0], GDPRKIT_SUBJECT_PURPOSE_VERSION));
    purposes[0].purpose = "research-contact";
    memset(&purposes[1], 0, sizeof purposes[1]); /* version 0: never set */
    purposes[1].purpose = "research-contact";
    CHECK_STATUS(
        GDPRKIT_INVALID_ARGUMENT,
        gdprkit_request_decide(&decision, policy, GDPRKIT_REQUEST_ERASURE, purposes, 2, 20500));
    CHECK_CONTAINS(gdprkit_last_error(), "gdprkit_subject_purpose.version is 0");
    CHECK_CONTAINS(gdprkit_last_error(),
                   "GDPRKIT_SUBJECT_PURPOSE_INIT, or "
                   "gdprkit_subject_purpose_init(&s, GDPRKIT_SUBJECT_PURPOSE_VERSION)");
    CHECK(decision == NULL);
    CHECK_OK(gdprkit_subject_purpose_init(&purposes[1], GDPRKIT_SUBJECT_PURPOSE_VERSION));
    purposes[1].purpose = "research-contact";
    CHECK_OK(
        gdprkit_request_decide(&decision, policy, GDPRKIT_REQUEST_ERASURE, purposes, 2, 20500));
    CHECK(gdprkit_decision_count(decision) == 2);
    gdprkit_decision_free(decision);
    gdprkit_policy_free(policy);
  }
}

int main(void) {
  policy_records();
  retention_structs();
  suppression_options();
  vault_options();
  scan_options();
  consent_structs();
  request_structs();
  refusals_name_the_init_function();
  return test_report("init_functions_test");
}
