/* The retention part of the C ABI, from plain C99: add_period and dates,
 * schedules from the seed policies, sweeps over arrays (month ends, holds,
 * precedence, bad input that names record and field, no partial answers),
 * and the deletion log (append, verify, tampering, keys). */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdprkit.h"
#include "test_util.h"

#define NO GDPRKIT_NO_DATE

static int32_t Day(const char* text) {
  int32_t d = 0;
  CHECK_OK(gdprkit_date_parse(&d, text));
  return d;
}

/* The date of a day number as text, in a static buffer per call site slot. */
static const char* Text(int32_t day, char buf[GDPRKIT_DATE_TEXT_SIZE]) {
  if (day == NO) return "-";
  if (gdprkit_date_format(buf, GDPRKIT_DATE_TEXT_SIZE, day) != GDPRKIT_OK) return "?";
  return buf;
}

static void TestAddPeriod(void) {
  char out[GDPRKIT_DATE_TEXT_SIZE];
  static const char* const kCases[][3] = {
      {"2025-11-30", "P15M", "2027-02-28"}, {"2024-02-29", "P10Y", "2034-02-28"},
      {"2024-02-29", "P4Y", "2028-02-29"},  {"2025-01-31", "P1M1D", "2025-03-01"},
      {"2025-12-25", "P14D", "2026-01-08"}, {"2000-02-29", "P100Y", "2100-02-28"},
      {"2025-08-31", "P3M", "2025-11-30"},  {"2025-03-01", "P0D", "2025-03-01"},
      {"2025-01-01", "P2W", "2025-01-15"},
  };
  size_t i;
  for (i = 0; i < sizeof kCases / sizeof kCases[0]; ++i) {
    CHECK_OK(gdprkit_add_period(out, sizeof out, kCases[i][0], kCases[i][1]));
    CHECK_STREQ(out, kCases[i][2]);
  }

  /* Bad dates and periods: the message names the text and the problem, and
   * the output is left empty. */
  strcpy(out, "junk");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period(out, sizeof out, "2025-02-30", "P1M"));
  CHECK_ERROR_MENTIONS("gdprkit_add_period");
  CHECK_ERROR_MENTIONS("February 2025 has 28 days");
  CHECK_STREQ(out, "");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period(out, sizeof out, "2025-1-1", "P1M"));
  CHECK_ERROR_MENTIONS("expected YYYY-MM-DD");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_add_period(out, sizeof out, "2025-01-01", "PT12H"));
  CHECK_ERROR_MENTIONS("time components");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_add_period(out, sizeof out, "2025-01-01", "P1.5Y"));
  CHECK_ERROR_MENTIONS("fractions");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period(out, sizeof out, "2025-01-01", "p1y"));
  CHECK_ERROR_MENTIONS("upper case");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period(out, sizeof out, "2025-01-01", ""));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period(out, 5, "2025-01-01", "P1D"));
  CHECK_ERROR_MENTIONS("too small");
  CHECK_STREQ(out, "");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period(NULL, 16, "2025-01-01", "P1D"));
  CHECK_ERROR_MENTIONS("argument out is NULL");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period(out, sizeof out, NULL, "P1D"));
  CHECK_ERROR_MENTIONS("argument date is NULL");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period(out, sizeof out, "2025-01-01", NULL));
  CHECK_ERROR_MENTIONS("argument period is NULL");
  /* A success clears the last error. */
  CHECK_OK(gdprkit_add_period(out, sizeof out, "2025-01-01", "P1D"));
  CHECK_STREQ(gdprkit_last_error(), "");
}

static void TestDates(void) {
  char buf[GDPRKIT_DATE_TEXT_SIZE];
  int32_t d = 7;
  CHECK_OK(gdprkit_date_parse(&d, "1970-01-01"));
  CHECK(d == 0);
  CHECK_OK(gdprkit_date_parse(&d, "2025-11-30"));
  CHECK_OK(gdprkit_date_format(buf, sizeof buf, d));
  CHECK_STREQ(buf, "2025-11-30");
  CHECK_OK(gdprkit_date_format(buf, sizeof buf, -1));
  CHECK_STREQ(buf, "1969-12-31");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_date_parse(&d, "2023-02-29"));
  CHECK(d == NO);
  CHECK_ERROR_MENTIONS("impossible date");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_date_parse(&d, "0000-01-01"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_date_parse(NULL, "2025-01-01"));
  /* A CPR number typed as a date is not repeated in the message. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_date_parse(&d, "0101901234"));
  CHECK_ERROR_MENTIONS("withheld");
  CHECK(strstr(gdprkit_last_error(), "1234") == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_date_parse(&d, "010190-1234"));
  CHECK_ERROR_MENTIONS("expected YYYY-MM-DD");
  CHECK(strstr(gdprkit_last_error(), "1234") == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period(buf, sizeof buf, "0101901234", "P1D"));
  CHECK(strstr(gdprkit_last_error(), "1234") == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_add_period(buf, sizeof buf, "2025-01-01", "P0101901234D"));
  CHECK(strstr(gdprkit_last_error(), "1234") == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_date_parse(&d, "20250101"));
  CHECK_ERROR_MENTIONS("\"20250101\"");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_date_format(buf, sizeof buf, NO));
  CHECK_ERROR_MENTIONS("GDPRKIT_NO_DATE");
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE, gdprkit_date_format(buf, sizeof buf, NO + 1));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_date_format(buf, 10, 0));

  /* Instants are read in Copenhagen unless another zone is named. */
  CHECK_OK(gdprkit_datetime_parse(&d, "2025-06-30T22:30:00Z", NULL));
  CHECK_STREQ(Text(d, buf), "2025-07-01");
  CHECK_OK(gdprkit_datetime_parse(&d, "2025-06-30T22:30:00Z", "UTC"));
  CHECK_STREQ(Text(d, buf), "2025-06-30");
  CHECK_OK(gdprkit_datetime_parse(&d, "2025-03-29T23:30:00+00:00", ""));
  CHECK_STREQ(Text(d, buf), "2025-03-30");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_datetime_parse(&d, "2025-02-30T10:00:00Z", NULL));
  CHECK(d == NO);
  CHECK_STATUS(GDPRKIT_FAILED_PRECONDITION,
               gdprkit_datetime_parse(&d, "2025-06-30T22:30:00Z", "Mars/Olympus_Mons"));

  /* On arrays: missing dates stay missing; a bad day is named by index and
   * nothing is written. */
  {
    int32_t days[3];
    int32_t out[3] = {1, 2, 3};
    days[0] = Day("2025-11-30");
    days[1] = NO;
    days[2] = Day("2024-02-29");
    CHECK_OK(gdprkit_add_period_days(out, days, 3, "P15M"));
    CHECK_STREQ(Text(out[0], buf), "2027-02-28");
    CHECK(out[1] == NO);
    CHECK_STREQ(Text(out[2], buf), "2025-05-29");
    CHECK_OK(gdprkit_add_period_days(days, days, 3, "P10Y")); /* in place */
    CHECK_STREQ(Text(days[2], buf), "2034-02-28");
    days[1] = 5000000;
    out[0] = 42;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period_days(out, days, 3, "P1D"));
    CHECK_ERROR_MENTIONS("days[1]");
    CHECK(out[0] == 42);
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_add_period_days(out, days, 3, "P1X"));
    CHECK_OK(gdprkit_add_period_days(NULL, NULL, 0, "P1D"));
  }
}

static gdprkit_policy* Load(const char* name) {
  char path[1024];
  gdprkit_policy* policy = NULL;
  snprintf(path, sizeof path, "%s/policies/%s", GDPRKIT_EXAMPLES_DIR, name);
  CHECK_OK(gdprkit_policy_load_file(&policy, path, GDPRKIT_FORMAT_AUTO));
  return policy;
}

/* Output columns for up to 8 rows. */
typedef struct Out {
  uint8_t status[8];
  int32_t due[8];
  int32_t rule[8];
  int32_t anchor[8];
  uint8_t reason[8];
  int32_t hold[8];
  gdprkit_sweep_columns cols;
} Out;

static void InitOut(Out* o) {
  gdprkit_sweep_columns init = GDPRKIT_SWEEP_COLUMNS_INIT;
  memset(o, 0x5a, sizeof *o);
  o->cols = init;
  o->cols.status = o->status;
  o->cols.due_date = o->due;
  o->cols.rule = o->rule;
  o->cols.anchor = o->anchor;
  o->cols.reason = o->reason;
  o->cols.hold = o->hold;
}

/* "status date rule anchor reason" of row i, for comparisons. */
static const char* Row(const gdprkit_retention_schedule* s, const Out* o, int i) {
  static char line[256];
  char date[GDPRKIT_DATE_TEXT_SIZE];
  const char* rule = "-";
  const char* anchor = "-";
  if (o->rule[i] >= 0 &&
      gdprkit_retention_schedule_rule_id(&rule, s, (size_t)o->rule[i]) != GDPRKIT_OK) {
    rule = "?";
  }
  if (o->anchor[i] >= 0 &&
      gdprkit_retention_schedule_event_name(&anchor, s, (size_t)o->anchor[i]) != GDPRKIT_OK) {
    anchor = "?";
  }
  snprintf(line, sizeof line, "%s %s %s %s %s", gdprkit_retention_status_name(o->status[i]),
           Text(o->due[i], date), rule, anchor, gdprkit_retention_reason_name(o->reason[i]));
  return line;
}

/* What a progress callback saw. */
typedef struct Seen {
  int calls;
  int64_t first_done, last_done, last_total;
  int in_order; /* every call had stage "sweep" and done did not go back */
  int cancel;   /* the answer to give */
} Seen;

static int Record(void* context, const char* stage, int64_t done, int64_t total) {
  Seen* seen = (Seen*)context;
  if (strcmp(stage, "sweep") != 0 || done < seen->last_done || done > total) seen->in_order = 0;
  if (seen->calls++ == 0) seen->first_done = done;
  seen->last_done = done;
  seen->last_total = total;
  return seen->cancel;
}

static void TestKapsel(void) {
  gdprkit_policy* policy = Load("kapsel.textproto");
  gdprkit_retention_schedule* s = NULL;
  const char* name = NULL;
  const char* selectors[] = {"quality-advice-data", "provider-number-plus-15-months"};
  const int32_t selector[3] = {0, 0, 1};
  const char* ids[3] = {"practice-active", "practice-ended", "practice-leap"};
  int32_t collection[3], ended[3];
  const char* names[2] = {"collection", "provider_number_ended"};
  const int32_t* days[2];
  int32_t hold_record[1] = {1}, hold_start[1], hold_end[1];
  gdprkit_sweep_input in = GDPRKIT_SWEEP_INPUT_INIT;
  gdprkit_sweep_report* report = NULL;
  gdprkit_sweep_counts counts = GDPRKIT_SWEEP_COUNTS_INIT;
  Out o;
  char* text = NULL;

  CHECK_OK(gdprkit_retention_schedule_new(&s, policy));
  gdprkit_policy_free(policy); /* the schedule does not depend on it */
  CHECK(gdprkit_retention_schedule_rule_count(s) == 1);
  CHECK(gdprkit_retention_schedule_event_count(s) == 2);
  CHECK_OK(gdprkit_retention_schedule_rule_id(&name, s, 0));
  CHECK_STREQ(name, "provider-number-plus-15-months");
  CHECK_OK(gdprkit_retention_schedule_event_name(&name, s, 0));
  CHECK_STREQ(name, "collection");
  CHECK_OK(gdprkit_retention_schedule_event_name(&name, s, 1));
  CHECK_STREQ(name, "provider_number_ended");
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE, gdprkit_retention_schedule_rule_id(&name, s, 1));
  CHECK(name == NULL);
  CHECK_STATUS(GDPRKIT_OUT_OF_RANGE, gdprkit_retention_schedule_event_name(&name, s, 2));
  CHECK(gdprkit_retention_schedule_rule_count(NULL) == 0);

  collection[0] = collection[1] = collection[2] = Day("2019-03-01");
  ended[0] = NO;
  ended[1] = Day("2025-11-30");
  ended[2] = Day("2024-02-29");
  days[0] = collection;
  days[1] = ended;
  in.count = 3;
  in.selectors = selectors;
  in.selector_count = 2;
  in.selector = selector;
  in.record_ids = ids;
  in.event_names = names;
  in.event_days = days;
  in.event_count = 2;

  InitOut(&o);
  CHECK_OK(gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2027-02-27"), NULL));
  CHECK_STREQ(Row(s, &o, 0),
              "kept - provider-number-plus-15-months provider_number_ended "
              "anchor-pending");
  CHECK_STREQ(Row(s, &o, 1),
              "pending 2027-02-28 provider-number-plus-15-months "
              "provider_number_ended period");
  CHECK_STREQ(Row(s, &o, 2),
              "due 2025-05-29 provider-number-plus-15-months "
              "provider_number_ended period");
  CHECK(o.hold[1] == -1);
  CHECK_OK(gdprkit_sweep_report_counts(&counts, report));
  CHECK(counts.records == 3 && counts.due == 1 && counts.pending == 1 && counts.kept == 1);
  CHECK(counts.complete == 1 && gdprkit_sweep_report_complete(report) == 1);
  CHECK(gdprkit_sweep_report_error_count(report) == 0);
  gdprkit_sweep_report_free(report);

  /* 15 months after 2025-11-30 is 2027-02-28 (no 30 February). */
  InitOut(&o);
  CHECK_OK(gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2027-02-28"), NULL));
  CHECK_STREQ(Row(s, &o, 1),
              "due 2027-02-28 provider-number-plus-15-months "
              "provider_number_ended period");
  gdprkit_sweep_report_free(report);

  /* A complaint case holds the ended practice's records past the date; once
   * released, they are due that day. */
  hold_start[0] = Day("2026-10-01");
  hold_end[0] = Day("2027-06-15");
  in.hold_record = hold_record;
  in.hold_start = hold_start;
  in.hold_end = hold_end;
  in.hold_count = 1;
  InitOut(&o);
  CHECK_OK(gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2027-03-01"), NULL));
  CHECK_STREQ(Row(s, &o, 1),
              "held 2027-06-15 provider-number-plus-15-months "
              "provider_number_ended hold");
  CHECK(o.hold[1] == 0);
  CHECK(o.hold[0] == -1);
  CHECK_OK(gdprkit_sweep_report_counts(&counts, report));
  CHECK(counts.held == 1);
  gdprkit_sweep_report_free(report);
  InitOut(&o);
  o.cols.hold = NULL; /* the hold column is optional */
  CHECK_OK(gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2027-06-15"), NULL));
  CHECK_STREQ(Row(s, &o, 1),
              "due 2027-06-15 provider-number-plus-15-months "
              "provider_number_ended hold-released");
  gdprkit_sweep_report_free(report);

  /* Explain tells the same story. */
  CHECK_OK(gdprkit_retention_explain(&text, s, &in, 1, Day("2027-06-15")));
  CHECK_CONTAINS(text, "record \"practice-ended\"");
  CHECK_CONTAINS(text, "=> due 2027-06-15");
  CHECK_CONTAINS(text, "hold-released");
  gdprkit_retention_string_free(text);
  CHECK_STATUS(GDPRKIT_NOT_FOUND, gdprkit_retention_explain(&text, s, &in, 3, Day("2027-06-15")));
  CHECK(text == NULL);
  gdprkit_retention_string_free(NULL);

  /* A hold released before it began makes the record invalid. */
  hold_end[0] = Day("2026-09-01");
  InitOut(&o);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2027-03-01"), NULL));
  CHECK(report == NULL);
  CHECK_ERROR_MENTIONS("record \"practice-ended\" (row 1)");
  CHECK_ERROR_MENTIONS("holds[0]");
  CHECK_ERROR_MENTIONS("no result was returned");
  /* ... and no partial answer is left in the output. */
  CHECK(o.status[0] == GDPRKIT_RETENTION_INVALID && o.status[2] == GDPRKIT_RETENTION_INVALID);
  CHECK(o.due[0] == NO && o.rule[2] == -1 && o.reason[1] == GDPRKIT_REASON_INVALID_INPUT);
  CHECK(o.hold[0] == -1);

  gdprkit_retention_schedule_free(s);
  gdprkit_retention_schedule_free(NULL);
}

static void TestPractioPrecedence(void) {
  gdprkit_policy* policy = Load("practio.textproto");
  gdprkit_retention_schedule* s = NULL;
  const char* selectors[] = {"patient-record+legal-claims", "legal-claims", "research-contact",
                             "newsletter"};
  const int32_t selector[4] = {0, 1, 2, 3};
  int32_t collection[4], last_entry[4], last_processing[4], withdrawn[4], stopped[4], ended[4];
  const char* names[6] = {"collection",        "last_entry",      "last_processing",
                          "consent_withdrawn", "sending_stopped", "subscription_ended"};
  const int32_t* days[6];
  int32_t hold_record[1] = {0}, hold_start[1], hold_end[1] = {NO};
  gdprkit_sweep_input in = GDPRKIT_SWEEP_INPUT_INIT;
  gdprkit_sweep_report* report = NULL;
  gdprkit_sweep_options opts = GDPRKIT_SWEEP_OPTIONS_INIT;
  Out o;
  int i;

  CHECK_OK(gdprkit_retention_schedule_new(&s, policy));
  for (i = 0; i < 4; ++i) {
    last_entry[i] = last_processing[i] = withdrawn[i] = stopped[i] = ended[i] = NO;
  }
  collection[0] = Day("2015-01-01");
  last_entry[0] = Day("2019-03-01");
  last_processing[0] = Day("2020-06-15");
  collection[1] = Day("2018-01-01");
  last_processing[1] = Day("2020-06-15");
  collection[2] = Day("2019-05-05");
  withdrawn[2] = Day("2021-09-14");
  collection[3] = Day("2022-01-01");
  days[0] = collection;
  days[1] = last_entry;
  days[2] = last_processing;
  days[3] = withdrawn;
  days[4] = stopped;
  days[5] = ended;
  in.count = 4;
  in.selectors = selectors;
  in.selector_count = 4;
  in.selector = selector;
  in.event_names = names;
  in.event_days = days;
  in.event_count = 6;

  /* Retention beats deletion: the claim alone would be due 2025-06-15, the
   * journal must be kept until 2029-03-01. */
  InitOut(&o);
  opts.threads = 0;
  CHECK_OK(gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), &opts));
  CHECK_STREQ(Row(s, &o, 0),
              "pending 2029-03-01 patient-record-and-treatment-contact-10-years "
              "last_entry period");
  CHECK_STREQ(Row(s, &o, 1),
              "due 2025-06-15 legal-claims-5-years-after-last-processing "
              "last_processing period");
  CHECK_STREQ(Row(s, &o, 2),
              "due 2021-09-14 research-contact-10-years-or-withdrawal "
              "consent_withdrawn ended-early");
  /* Newsletters wait for the first of their early-end events. */
  CHECK_STREQ(Row(s, &o, 3),
              "kept - ongoing-contact-until-stopped sending_stopped "
              "anchor-pending");
  gdprkit_sweep_report_free(report);

  InitOut(&o);
  CHECK_OK(gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2029-03-01"), NULL));
  CHECK_STREQ(Row(s, &o, 0),
              "due 2029-03-01 patient-record-and-treatment-contact-10-years "
              "last_entry period");
  gdprkit_sweep_report_free(report);

  /* A hold beats everything: an open-ended court hold from 2028. */
  hold_start[0] = Day("2028-01-01");
  in.hold_record = hold_record;
  in.hold_start = hold_start;
  in.hold_end = hold_end;
  in.hold_count = 1;
  InitOut(&o);
  CHECK_OK(gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2029-03-01"), NULL));
  CHECK_STREQ(Row(s, &o, 0),
              "held - patient-record-and-treatment-contact-10-years "
              "last_entry hold");
  gdprkit_sweep_report_free(report);
  in.hold_count = 0;

  /* Bad input, whole sweep: an unknown selector names the nearest ids. */
  selectors[1] = "legal-claim";
  InitOut(&o);
  CHECK_STATUS(GDPRKIT_NOT_FOUND,
               gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), NULL));
  CHECK_ERROR_MENTIONS("input.selectors[1]");
  CHECK_ERROR_MENTIONS("legal-claims");
  CHECK(o.status[3] == GDPRKIT_RETENTION_INVALID && o.due[3] == NO);
  selectors[1] = "legal-claims";

  /* An event column no rule knows. */
  names[4] = "sending_stoped";
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), NULL));
  CHECK_ERROR_MENTIONS("unknown event name \"sending_stoped\"");
  CHECK_ERROR_MENTIONS("sending_stopped");
  names[4] = "sending_stopped";

  /* A column a used rule needs is missing. */
  in.event_count = 3;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), NULL));
  CHECK_ERROR_MENTIONS("consent_withdrawn");
  in.event_count = 6;

  /* An event before collection: the record and field are named. */
  withdrawn[2] = Day("2019-01-01");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), NULL));
  CHECK_ERROR_MENTIONS("record at row 2, field \"consent_withdrawn\"");
  CHECK_ERROR_MENTIONS("before collection");

  /* ... or, on request, the others are answered and the report says so. */
  opts.on_invalid = GDPRKIT_ON_INVALID_REPORT;
  opts.threads = 1;
  InitOut(&o);
  CHECK_OK(gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), &opts));
  CHECK(gdprkit_sweep_report_complete(report) == 0);
  CHECK(o.status[2] == GDPRKIT_RETENTION_INVALID);
  CHECK(o.reason[2] == GDPRKIT_REASON_INVALID_INPUT);
  CHECK(o.status[1] == GDPRKIT_RETENTION_DUE);
  CHECK(gdprkit_sweep_report_error_count(report) == 1);
  {
    gdprkit_sweep_error e = GDPRKIT_SWEEP_ERROR_INIT;
    gdprkit_sweep_counts c = GDPRKIT_SWEEP_COUNTS_INIT;
    CHECK_OK(gdprkit_sweep_report_error_get(&e, report, 0));
    CHECK(e.row == 2);
    CHECK_STREQ(e.field, "consent_withdrawn");
    CHECK_STREQ(e.record_id, "");
    CHECK_CONTAINS(e.message, "before collection");
    CHECK_CONTAINS(e.text, "row 2");
    CHECK_STATUS(GDPRKIT_OUT_OF_RANGE, gdprkit_sweep_report_error_get(&e, report, 1));
    CHECK(e.field == NULL && e.version == GDPRKIT_SWEEP_ERROR_VERSION);
    CHECK_OK(gdprkit_sweep_report_counts(&c, report));
    CHECK(c.invalid == 1 && c.complete == 0 && c.records == 4);
  }
  gdprkit_sweep_report_free(report);
  /* Coerced: answered and counted alike, but not listed. */
  opts.on_invalid = GDPRKIT_ERRORS_COERCE;
  InitOut(&o);
  CHECK_OK(gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), &opts));
  CHECK(gdprkit_sweep_report_complete(report) == 0);
  CHECK(o.status[2] == GDPRKIT_RETENTION_INVALID && o.status[1] == GDPRKIT_RETENTION_DUE);
  CHECK(gdprkit_sweep_report_error_count(report) == 0);
  {
    gdprkit_sweep_counts c = GDPRKIT_SWEEP_COUNTS_INIT;
    CHECK_OK(gdprkit_sweep_report_counts(&c, report));
    CHECK(c.invalid == 1);
  }
  gdprkit_sweep_report_free(report);
  opts.on_invalid = GDPRKIT_ERRORS_RAISE;
  withdrawn[2] = Day("2021-09-14");

  /* Progress: one stage "sweep" from 0 to the number of records, and a
   * callback that cancels. */
  {
    Seen seen = {0, -1, -1, -1, 1, 0};
    gdprkit_sweep_options with = GDPRKIT_SWEEP_OPTIONS_INIT;
    with.progress = Record;
    with.progress_context = &seen;
    InitOut(&o);
    CHECK_OK(gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), &with));
    gdprkit_sweep_report_free(report);
    CHECK(seen.calls >= 2 && seen.first_done == 0);
    CHECK(seen.last_done == 4 && seen.last_total == 4);
    CHECK(seen.in_order == 1);
    /* Cancelled at the start: CANCELLED, no report, no partial answer. */
    seen.cancel = 1;
    seen.calls = 0;
    InitOut(&o);
    CHECK_STATUS(GDPRKIT_CANCELLED,
                 gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), &with));
    CHECK(report == NULL && seen.calls == 1);
    CHECK_ERROR_MENTIONS("cancelled");
    CHECK(o.status[0] == GDPRKIT_RETENTION_INVALID && o.due[1] == NO && o.rule[3] == -1);
    /* A version 1 struct (0.3, without progress) is still accepted. */
    seen.calls = 0;
    with.version = 1;
    CHECK_OK(gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), &with));
    gdprkit_sweep_report_free(report);
    CHECK(seen.calls == 0);
  }

  /* A selector index out of range is an invalid record too. */
  {
    const int32_t bad_selector[4] = {0, 1, 9, 3};
    in.selector = bad_selector;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), NULL));
    CHECK_ERROR_MENTIONS("\"selector\"");
    in.selector = selector;
  }

  /* Argument checks. */
  {
    gdprkit_sweep_options bad = GDPRKIT_SWEEP_OPTIONS_INIT;
    gdprkit_sweep_input old = in;
    gdprkit_sweep_counts c = GDPRKIT_SWEEP_COUNTS_INIT;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_retention_sweep(NULL, &o.cols, s, &in, Day("2026-01-01"), NULL));
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_retention_sweep(&report, &o.cols, NULL, &in, Day("2026-01-01"), NULL));
    CHECK_ERROR_MENTIONS("argument schedule is NULL");
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_retention_sweep(&report, &o.cols, s, &in, NO, NULL));
    CHECK_ERROR_MENTIONS("as_of");
    bad.on_invalid = 7;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), &bad));
    CHECK_ERROR_MENTIONS("on_invalid");
    bad.version = 0;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), &bad));
    CHECK_ERROR_MENTIONS("gdprkit_sweep_options.version is 0");
    in.version = 99;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), NULL));
    CHECK_ERROR_MENTIONS("gdprkit_sweep_input.version is 99");
    in = old;
    o.cols.due_date = NULL;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), NULL));
    CHECK_ERROR_MENTIONS("columns.due_date is NULL");
    InitOut(&o);
    in.selectors = NULL;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), NULL));
    CHECK_ERROR_MENTIONS("input.selectors is NULL");
    in = old;
    in.event_days = NULL;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), NULL));
    in = old;
    c.version = 2;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_sweep_report_counts(&c, NULL));
    c.version = GDPRKIT_SWEEP_COUNTS_VERSION;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_sweep_report_counts(&c, NULL));
    CHECK(gdprkit_sweep_report_error_count(NULL) == 0);
    CHECK(gdprkit_sweep_report_complete(NULL) == 0);
    gdprkit_sweep_report_free(NULL);
    /* No records: an empty answer. */
    in.count = 0;
    CHECK_OK(gdprkit_retention_sweep(&report, &o.cols, s, &in, Day("2026-01-01"), NULL));
    CHECK_OK(gdprkit_sweep_report_counts(&c, report));
    CHECK(c.records == 0 && c.complete == 1);
    gdprkit_sweep_report_free(report);
    in = old;
  }

  CHECK_STREQ(gdprkit_retention_status_name(GDPRKIT_RETENTION_MAY_DELETE), "may-delete");
  CHECK_STREQ(gdprkit_retention_status_name(6), "");
  CHECK_STREQ(gdprkit_retention_reason_name(GDPRKIT_REASON_HOLD_RELEASED), "hold-released");
  CHECK_STREQ(gdprkit_retention_reason_name(-1), "");
  /* Titles, in English and Danish, from the core's table. */
  CHECK_STREQ(gdprkit_retention_status_title(GDPRKIT_RETENTION_DUE, GDPRKIT_LANGUAGE_EN),
              "Due for deletion");
  CHECK_STREQ(gdprkit_retention_status_title(GDPRKIT_RETENTION_DUE, GDPRKIT_LANGUAGE_DA),
              "Skal slettes");
  CHECK_STREQ(gdprkit_retention_reason_title(GDPRKIT_REASON_NO_RULE, GDPRKIT_LANGUAGE_DA),
              "Ingen opbevaringsregel");
  CHECK_STREQ(gdprkit_retention_status_title(6, GDPRKIT_LANGUAGE_EN), "");
  CHECK_STREQ(gdprkit_retention_reason_title(GDPRKIT_REASON_HOLD, 2), "");

  gdprkit_retention_schedule_free(s);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_retention_schedule_new(&s, NULL));
  CHECK(s == NULL);
  gdprkit_policy_free(policy);
}

/* A policy whose rule cannot be read gives no schedule. */
static void TestBadRule(void) {
  static const char kText[] =
      "controller { name: \"x\" }\n"
      "retention_rules { id: \"r\" period: \"P1.5Y\" }\n";
  gdprkit_policy* policy = NULL;
  gdprkit_retention_schedule* s = (gdprkit_retention_schedule*)1;
  CHECK_OK(gdprkit_policy_load_bytes(&policy, kText, sizeof kText - 1, GDPRKIT_FORMAT_TEXTPROTO,
                                     "bad.textproto"));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_retention_schedule_new(&s, policy));
  CHECK(s == NULL);
  CHECK_ERROR_MENTIONS("\"r\"");
  CHECK_ERROR_MENTIONS("period");
  gdprkit_policy_free(policy);
}

static void TempPath(char* path, size_t size) {
  const char* dir = getenv("TMPDIR");
  int fd;
  snprintf(path, size, "%s/gdprkit_retention_test_XXXXXX", dir && *dir ? dir : "/tmp");
  fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd >= 0) close(fd);
}

static void TestDeletionLog(void) {
  char path[512];
  char head[GDPRKIT_DELETION_LOG_HASH_SIZE];
  gdprkit_deletion_log* log = NULL;
  gdprkit_deletion_log_verification* v = NULL;
  gdprkit_deletion_log_check check = GDPRKIT_DELETION_LOG_CHECK_INIT;
  const char* ids[2] = {"app-1", "app-2"};
  const char* rules[2] = {"unsolicited-14-days", NULL};
  int32_t due[2];
  const int64_t at[2] = {1767830400, 1767834000}; /* 2026-01-08 */
  int64_t seq = -1;

  TempPath(path, sizeof path);
  due[0] = Day("2026-01-08");
  due[1] = NO;
  CHECK_OK(gdprkit_deletion_log_open(&log, path, NULL));
  CHECK(gdprkit_deletion_log_entries(log) == 0);
  CHECK_OK(gdprkit_deletion_log_append(&seq, log, ids, rules, due, at, 2));
  CHECK(seq == 2);
  CHECK(gdprkit_deletion_log_entries(log) == 2);
  CHECK_OK(gdprkit_deletion_log_head(head, sizeof head, log));
  CHECK(strlen(head) == 64);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_deletion_log_head(head, 64, log));
  CHECK_STREQ(head, "");
  CHECK_OK(gdprkit_deletion_log_head(head, sizeof head, log));

  /* A CPR-shaped record id is refused, by index; nothing is written. */
  {
    const char* cpr[2] = {"app-3", "010190-1234"};
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_deletion_log_append(&seq, log, cpr, NULL, NULL, at, 2));
    CHECK(seq == 0);
    CHECK_ERROR_MENTIONS("1");
    CHECK_ERROR_MENTIONS("CPR");
    CHECK(strstr(gdprkit_last_error(), "010190") == NULL);
    CHECK(gdprkit_deletion_log_entries(log) == 2);
  }
  {
    const char* empty[1] = {""};
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_deletion_log_append(&seq, log, empty, NULL, NULL, at, 1));
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_deletion_log_append(&seq, log, NULL, NULL, NULL, at, 1));
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
                 gdprkit_deletion_log_append(&seq, NULL, ids, NULL, NULL, at, 1));
  }
  gdprkit_deletion_log_free(log);
  gdprkit_deletion_log_free(NULL);

  CHECK_OK(gdprkit_deletion_log_verify(&v, path, NULL, head));
  CHECK_OK(gdprkit_deletion_log_verification_get(&check, v));
  CHECK(check.intact == 1 && check.entries == 2 && check.first_broken_entry == -1);
  CHECK_STREQ(check.head, head);
  CHECK(check.keyed == 0 && strlen(check.log_id) == 32);
  gdprkit_deletion_log_verification_free(v);

  /* Tampering: change "app-2" to "app-9" in the file. */
  {
    FILE* f = fopen(path, "r+b");
    char buf[4096];
    size_t len;
    char* p;
    CHECK(f != NULL);
    if (f != NULL) {
      len = fread(buf, 1, sizeof buf - 1, f);
      buf[len] = '\0';
      p = strstr(buf, "app-2");
      CHECK(p != NULL);
      if (p != NULL) {
        p[4] = '9';
        rewind(f);
        CHECK(fwrite(buf, 1, len, f) == len);
      }
      fclose(f);
    }
  }
  CHECK_OK(gdprkit_deletion_log_verify(&v, path, NULL, NULL));
  CHECK_OK(gdprkit_deletion_log_verification_get(&check, v));
  CHECK(check.intact == 0 && check.entries == 1 && check.first_broken_entry == 2);
  CHECK(check.first_broken_line == 3);
  CHECK_CONTAINS(check.problem, "hash");
  gdprkit_deletion_log_verification_free(v);
  CHECK_STATUS(GDPRKIT_DATA_LOSS, gdprkit_deletion_log_open(&log, path, NULL));
  CHECK(log == NULL);
  CHECK_ERROR_MENTIONS("2");
  remove(path);

  /* Keyed logs: opened without the key, or with another, is refused; the key
   * never appears in a message. */
  {
    gdprkit_deletion_log_options opts = GDPRKIT_DELETION_LOG_OPTIONS_INIT;
    gdprkit_deletion_log_options other = GDPRKIT_DELETION_LOG_OPTIONS_INIT;
    static const unsigned char key[32] = "secret-key-0123456789abcdefghij";
    static const unsigned char key2[32] = "another-key-0123456789abcdefghi";
    TempPath(path, sizeof path);
    opts.key = key;
    opts.key_size = sizeof key;
    opts.sync = 0;
    other.key = key2;
    other.key_size = sizeof key2;
    CHECK_OK(gdprkit_deletion_log_open(&log, path, &opts));
    CHECK_OK(gdprkit_deletion_log_append(&seq, log, ids, rules, due, at, 1));
    CHECK(seq == 1);
    gdprkit_deletion_log_free(log);
    CHECK_STATUS(GDPRKIT_FAILED_PRECONDITION, gdprkit_deletion_log_open(&log, path, NULL));
    CHECK_STATUS(GDPRKIT_FAILED_PRECONDITION, gdprkit_deletion_log_open(&log, path, &other));
    CHECK(strstr(gdprkit_last_error(), "secret-key") == NULL);
    CHECK(strstr(gdprkit_last_error(), "another-key") == NULL);
    CHECK_STATUS(GDPRKIT_FAILED_PRECONDITION, gdprkit_deletion_log_verify(&v, path, NULL, NULL));
    CHECK(v == NULL);
    CHECK_OK(gdprkit_deletion_log_verify(&v, path, &opts, NULL));
    CHECK_OK(gdprkit_deletion_log_verification_get(&check, v));
    CHECK(check.intact == 1 && check.keyed == 1 && check.entries == 1);
    gdprkit_deletion_log_verification_free(v);
    opts.key_size = 4;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_deletion_log_open(&log, path, &opts));
    opts.version = 0;
    CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_deletion_log_open(&log, path, &opts));
    CHECK_ERROR_MENTIONS("gdprkit_deletion_log_options.version is 0");
    remove(path);
  }

  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_deletion_log_verify(&v, NULL, NULL, NULL));
  CHECK_STATUS(GDPRKIT_NOT_FOUND,
               gdprkit_deletion_log_verify(&v, "/nonexistent/dir/deletions.log", NULL, NULL));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_deletion_log_verification_get(&check, NULL));
  check.version = 5;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_deletion_log_verification_get(&check, NULL));
  CHECK(check.version == 5);
}

int main(void) {
  TestAddPeriod();
  TestDates();
  TestKapsel();
  TestPractioPrecedence();
  TestBadRule();
  TestDeletionLog();
  return test_report("retention_test");
}
