// The C ABI of retention (include/gdprkit/c/retention.h) over the core
// (gdprkit/retention.h, gdprkit/deletion_log.h).
//
// Thin like the rest of src/c_api: check the C arguments, convert arrays to
// spans, call the core, convert the result. Out-parameters are cleared first
// and set last; a failed sweep overwrites every output row with "invalid" so
// that no partial answer is left in the caller's arrays.
#include "gdprkit/retention.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "c_api/internal/door.h"
#include "gdprkit.h"
#include "gdprkit/deletion_log.h"

struct gdprkit_retention_schedule {
  explicit gdprkit_retention_schedule(gdprkit::RetentionSchedule s) : core(std::move(s)) {}
  gdprkit::RetentionSchedule core;
};

struct gdprkit_sweep_report {
  gdprkit::SweepReport core;
  std::vector<std::string> texts;  // errors[i].ToString()
};

struct gdprkit_deletion_log {
  std::unique_ptr<gdprkit::DeletionLog> core;
};

namespace {

using namespace gdprkit::capi;  // NOLINT(build/namespaces): the C ABI's own helpers

// The smallest day CivilFromDays handles (about year -32800).
constexpr std::int32_t kMinConvertibleDay = -12699422;

std::string S(std::size_t n) { return std::to_string(n); }

// The core's sweep input, and what it borrows from the C input.
struct Converted {
  gdprkit::SweepInput input;
  std::vector<std::string_view> ids;
};

// A sweep takes at most INT32_MAX records (rows and holds are int32 in the
// core), and as many selectors (the per-record selector is an int32 index).
constexpr std::size_t kMaxRecords = static_cast<std::size_t>(INT32_MAX);

// Checks every pointer and count of a C sweep input before anything is read
// through it: the version, each array against its count, each event column
// against input.count. Errors name the field of the input.
gdprkit_status CheckInput(const char* fn, const gdprkit_retention_schedule& schedule,
                          const gdprkit_sweep_input& in) {
  if (in.version != GDPRKIT_SWEEP_INPUT_VERSION) {
    return BadVersion(fn, "gdprkit_sweep_input", in.version, GDPRKIT_SWEEP_INPUT_VERSION);
  }
  const std::size_t n = in.count;
  if (gdprkit_status s =
          CheckArray(fn, "input.selector", in.selector, n, "input.count", kMaxRecords);
      s != GDPRKIT_OK) {
    return s;
  }
  if (gdprkit_status s =
          CheckOptionalArray(fn, "input.record_ids", in.record_ids, n, "input.count", kMaxRecords);
      s != GDPRKIT_OK) {
    return s;
  }
  if (gdprkit_status s = CheckArray(fn, "input.selectors", in.selectors, in.selector_count,
                                    "input.selector_count", kMaxRecords);
      s != GDPRKIT_OK) {
    return s;
  }
  if (n > 0 && in.selector_count == 0) {
    return Fail(GDPRKIT_INVALID_ARGUMENT,
                std::string(fn) +
                    ": input.selectors is empty; give each record's rule or purpose id as a "
                    "selector text (\"\" for no rule)");
  }
  // Each column is named once and only events of the schedule are known, so
  // more columns than the schedule has events cannot be right.
  const std::size_t max_events = schedule.core.events().size();
  if (gdprkit_status s = CheckArray(fn, "input.event_names", in.event_names, in.event_count,
                                    "input.event_count", max_events);
      s != GDPRKIT_OK) {
    return s;
  }
  if (gdprkit_status s = CheckArray(fn, "input.event_days", in.event_days, in.event_count,
                                    "input.event_count", max_events);
      s != GDPRKIT_OK) {
    return s;
  }
  for (std::size_t c = 0; c < in.event_count; ++c) {
    if (in.event_names[c] == nullptr) {
      return Fail(GDPRKIT_INVALID_ARGUMENT,
                  std::string(fn) + ": input.event_names[" + S(c) + "] is NULL");
    }
    if (n > 0 && in.event_days[c] == nullptr) {
      return Fail(GDPRKIT_INVALID_ARGUMENT, std::string(fn) + ": input.event_days[" + S(c) + "] (" +
                                                in.event_names[c] +
                                                ") is NULL but input.count is " + S(n));
    }
  }
  for (const auto& [name, column] :
       {std::pair<const char*, const int32_t*>{"input.hold_record", in.hold_record},
        {"input.hold_start", in.hold_start},
        {"input.hold_end", in.hold_end}}) {
    if (gdprkit_status s =
            CheckArray(fn, name, column, in.hold_count, "input.hold_count", kMaxRecords);
        s != GDPRKIT_OK) {
      return s;
    }
  }
  return GDPRKIT_OK;
}

// Converts a C sweep input that passed CheckInput. Errors name the field of
// the input.
gdprkit_status Convert(const char* fn, const gdprkit_retention_schedule& schedule,
                       const gdprkit_sweep_input& in, Converted* out) {
  const std::string f(fn);
  const std::size_t n = in.count;
  gdprkit::SweepInput& core = out->input;
  core.selector = absl::MakeConstSpan(in.selector, n);
  core.rule_sets.reserve(in.selector_count);
  for (std::size_t k = 0; k < in.selector_count; ++k) {
    if (in.selectors[k] == nullptr) {
      return Fail(GDPRKIT_INVALID_ARGUMENT, f + ": input.selectors[" + S(k) + "] is NULL");
    }
    absl::StatusOr<std::vector<std::int32_t>> set = schedule.core.Resolve(in.selectors[k]);
    if (!set.ok()) {
      return FromCore(fn, set.status(), "input.selectors[" + S(k) + "]");
    }
    core.rule_sets.push_back(*std::move(set));
  }
  if (in.record_ids != nullptr) {
    out->ids.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (in.record_ids[i] == nullptr) {
        return Fail(GDPRKIT_INVALID_ARGUMENT, f + ": input.record_ids[" + S(i) + "] is NULL");
      }
      out->ids.emplace_back(in.record_ids[i]);
    }
    core.record_ids = absl::MakeConstSpan(out->ids);
  }
  core.events.reserve(in.event_count);
  for (std::size_t c = 0; c < in.event_count; ++c) {
    core.events.push_back(
        gdprkit::EventColumn{in.event_names[c], n == 0 ? absl::Span<const std::int32_t>()
                                                       : absl::MakeConstSpan(in.event_days[c], n)});
  }
  core.holds.reserve(in.hold_count);
  for (std::size_t h = 0; h < in.hold_count; ++h) {
    core.holds.push_back(gdprkit::Hold{in.hold_record[h], in.hold_start[h], in.hold_end[h]});
  }
  return GDPRKIT_OK;
}

// Overwrites every output row with "invalid, no answer".
void ClearColumns(const gdprkit_sweep_columns& c, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (c.status) c.status[i] = GDPRKIT_RETENTION_INVALID;
    if (c.due_date) c.due_date[i] = GDPRKIT_NO_DATE;
    if (c.rule) c.rule[i] = -1;
    if (c.anchor) c.anchor[i] = -1;
    if (c.reason) c.reason[i] = GDPRKIT_REASON_INVALID_INPUT;
    if (c.hold) c.hold[i] = -1;
  }
}

}  // namespace

extern "C" {

// ---- Dates and periods --------------------------------------------------------

gdprkit_status gdprkit_date_parse(int32_t* out_day, const char* text) {
  static constexpr char kFn[] = "gdprkit_date_parse";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_day == nullptr) return NullArgument(kFn, "out_day");
    *out_day = GDPRKIT_NO_DATE;
    if (text == nullptr) return NullArgument(kFn, "text");
    absl::StatusOr<gdprkit::DayNumber> d = gdprkit::ParseDate(text);
    if (!d.ok()) return FromCore(kFn, d.status());
    *out_day = *d;
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_datetime_parse(int32_t* out_day, const char* text, const char* zone) {
  static constexpr char kFn[] = "gdprkit_datetime_parse";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_day == nullptr) return NullArgument(kFn, "out_day");
    *out_day = GDPRKIT_NO_DATE;
    if (text == nullptr) return NullArgument(kFn, "text");
    const std::string_view z =
        zone == nullptr || *zone == '\0' ? gdprkit::kDefaultTimeZone : std::string_view(zone);
    absl::StatusOr<gdprkit::DayNumber> d = gdprkit::ParseDateTime(text, z);
    if (!d.ok()) return FromCore(kFn, d.status());
    *out_day = *d;
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_date_format(char* out, size_t out_size, int32_t day) {
  static constexpr char kFn[] = "gdprkit_date_format";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    if (gdprkit_status s = CheckArray(kFn, "out", out, out_size, "out_size"); s != GDPRKIT_OK) {
      return s;
    }
    if (out_size > 0) out[0] = '\0';
    if (day == GDPRKIT_NO_DATE) {
      return Fail(GDPRKIT_INVALID_ARGUMENT,
                  std::string(kFn) + ": day is GDPRKIT_NO_DATE, which has no text");
    }
    if (day < kMinConvertibleDay) {
      return Fail(GDPRKIT_OUT_OF_RANGE, std::string(kFn) + ": day " + std::to_string(day) +
                                            " lies before the year -32000");
    }
    return WriteText(kFn, out, out_size, gdprkit::FormatDate(day));
  });
}

gdprkit_status gdprkit_add_period(char* out, size_t out_size, const char* date,
                                  const char* period) {
  static constexpr char kFn[] = "gdprkit_add_period";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    if (gdprkit_status s = CheckArray(kFn, "out", out, out_size, "out_size"); s != GDPRKIT_OK) {
      return s;
    }
    if (out_size > 0) out[0] = '\0';
    if (date == nullptr) return NullArgument(kFn, "date");
    if (period == nullptr) return NullArgument(kFn, "period");
    absl::StatusOr<std::string> r = gdprkit::AddPeriod(date, period);
    if (!r.ok()) return FromCore(kFn, r.status());
    return WriteText(kFn, out, out_size, *r);
  });
}

gdprkit_status gdprkit_add_period_days(int32_t* out_days, const int32_t* days, size_t count,
                                       const char* period) {
  static constexpr char kFn[] = "gdprkit_add_period_days";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s = CheckArray(kFn, "out_days", out_days, count, "count"); s != GDPRKIT_OK) {
      return s;
    }
    if (gdprkit_status s = CheckArray(kFn, "days", days, count, "count"); s != GDPRKIT_OK) {
      return s;
    }
    if (period == nullptr) return NullArgument(kFn, "period");
    absl::StatusOr<gdprkit::Period> p = gdprkit::ParsePeriod(period);
    if (!p.ok()) return FromCore(kFn, p.status());
    for (std::size_t i = 0; i < count; ++i) {
      if (days[i] != GDPRKIT_NO_DATE && !gdprkit::IsValidDay(days[i])) {
        return Fail(GDPRKIT_INVALID_ARGUMENT,
                    std::string(kFn) + ": days[" + S(i) + "] is " + std::to_string(days[i]) +
                        ", not a date in 0001-01-01 ... 9999-12-31 (nor GDPRKIT_NO_DATE)");
      }
    }
    const gdprkit::Period period_value = *p;
    for (std::size_t i = 0; i < count; ++i) {
      const int32_t d = days[i];
      out_days[i] = d == GDPRKIT_NO_DATE ? GDPRKIT_NO_DATE : gdprkit::AddPeriod(d, period_value);
    }
    return GDPRKIT_OK;
  });
}

// ---- Schedules -------------------------------------------------------------------

gdprkit_status gdprkit_retention_schedule_new(gdprkit_retention_schedule** out,
                                              const gdprkit_policy* policy) {
  static constexpr char kFn[] = "gdprkit_retention_schedule_new";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (policy == nullptr) return NullArgument(kFn, "policy");
    absl::StatusOr<gdprkit::RetentionSchedule> s =
        gdprkit::RetentionSchedule::FromPolicy(*policy->core);
    if (!s.ok()) return FromCore(kFn, s.status());
    *out = new gdprkit_retention_schedule(*std::move(s));
    return GDPRKIT_OK;
  });
}

void gdprkit_retention_schedule_free(gdprkit_retention_schedule* schedule) { delete schedule; }

size_t gdprkit_retention_schedule_rule_count(const gdprkit_retention_schedule* schedule) {
  return schedule == nullptr ? 0 : schedule->core.rules().size();
}

size_t gdprkit_retention_schedule_event_count(const gdprkit_retention_schedule* schedule) {
  return schedule == nullptr ? 0 : schedule->core.events().size();
}

gdprkit_status gdprkit_retention_schedule_rule_id(const char** out,
                                                  const gdprkit_retention_schedule* schedule,
                                                  size_t index) {
  static constexpr char kFn[] = "gdprkit_retention_schedule_rule_id";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (schedule == nullptr) return NullArgument(kFn, "schedule");
    const auto rules = schedule->core.rules();
    if (index >= rules.size()) return OutOfRange(kFn, index, rules.size());
    *out = rules[index].id.c_str();
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_retention_schedule_event_name(const char** out,
                                                     const gdprkit_retention_schedule* schedule,
                                                     size_t index) {
  static constexpr char kFn[] = "gdprkit_retention_schedule_event_name";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (schedule == nullptr) return NullArgument(kFn, "schedule");
    const auto events = schedule->core.events();
    if (index >= events.size()) return OutOfRange(kFn, index, events.size());
    *out = events[index].c_str();
    return GDPRKIT_OK;
  });
}

// ---- Sweeps ------------------------------------------------------------------------

const char* gdprkit_retention_status_name(int status) {
  if (status < GDPRKIT_RETENTION_DUE || status > GDPRKIT_RETENTION_INVALID) return "";
  // The core's names are static string literals, NUL-terminated.
  return gdprkit::RetentionStatusName(static_cast<gdprkit::RetentionStatus>(status)).data();
}

const char* gdprkit_retention_reason_name(int reason) {
  if (reason < GDPRKIT_REASON_PERIOD || reason > GDPRKIT_REASON_INVALID_INPUT) return "";
  return gdprkit::RetentionReasonName(static_cast<gdprkit::RetentionReason>(reason)).data();
}

const char* gdprkit_retention_status_title(int status, int language) {
  if (status < GDPRKIT_RETENTION_DUE || status > GDPRKIT_RETENTION_INVALID) return "";
  if (gdprkit_language_name(language) == nullptr) return "";
  return gdprkit::RetentionStatusTitle(static_cast<gdprkit::RetentionStatus>(status),
                                       static_cast<gdprkit::Language>(language))
      .data();
}

const char* gdprkit_retention_reason_title(int reason, int language) {
  if (reason < GDPRKIT_REASON_PERIOD || reason > GDPRKIT_REASON_INVALID_INPUT) return "";
  if (gdprkit_language_name(language) == nullptr) return "";
  return gdprkit::RetentionReasonTitle(static_cast<gdprkit::RetentionReason>(reason),
                                       static_cast<gdprkit::Language>(language))
      .data();
}

gdprkit_status gdprkit_retention_sweep(gdprkit_sweep_report** out_report,
                                       const gdprkit_sweep_columns* columns,
                                       const gdprkit_retention_schedule* schedule,
                                       const gdprkit_sweep_input* input, int32_t as_of,
                                       const gdprkit_sweep_options* options) {
  static constexpr char kFn[] = "gdprkit_retention_sweep";
  // Set when the output columns are known to be usable, so that a failure
  // (including an exception) clears them.
  const gdprkit_sweep_columns* clear = nullptr;
  std::size_t n = 0;
  const gdprkit_status st = Guard(kFn, [&]() -> gdprkit_status {
    if (out_report == nullptr) return NullArgument(kFn, "out_report");
    *out_report = nullptr;
    if (columns == nullptr) return NullArgument(kFn, "columns");
    if (schedule == nullptr) return NullArgument(kFn, "schedule");
    if (input == nullptr) return NullArgument(kFn, "input");
    if (columns->version != GDPRKIT_SWEEP_COLUMNS_VERSION) {
      return BadVersion(kFn, "gdprkit_sweep_columns", columns->version,
                        GDPRKIT_SWEEP_COLUMNS_VERSION);
    }
    if (gdprkit_status s = CheckInput(kFn, *schedule, *input); s != GDPRKIT_OK) return s;
    n = input->count;
    for (const auto& [name, column] :
         {std::pair<const char*, const void*>{"columns.status", columns->status},
          {"columns.due_date", columns->due_date},
          {"columns.rule", columns->rule},
          {"columns.anchor", columns->anchor},
          {"columns.reason", columns->reason}}) {
      if (gdprkit_status s = CheckNotNull(kFn, name, column, n, "input.count"); s != GDPRKIT_OK) {
        return s;
      }
    }
    gdprkit::SweepOptions opts;
    if (options != nullptr) {
      // Version 1 ends before progress (0.3); version 2 has it.
      if (options->version != 1u && options->version != GDPRKIT_SWEEP_OPTIONS_VERSION) {
        return BadVersion(kFn, "gdprkit_sweep_options", options->version,
                          GDPRKIT_SWEEP_OPTIONS_VERSION);
      }
      const char* mode = gdprkit_errors_name(options->on_invalid);
      if (mode == nullptr) {
        return Fail(GDPRKIT_INVALID_ARGUMENT,
                    std::string(kFn) + ": options.on_invalid is " +
                        std::to_string(options->on_invalid) +
                        "; use a gdprkit_errors: GDPRKIT_ERRORS_RAISE (0), GDPRKIT_ERRORS_REPORT "
                        "(1) or GDPRKIT_ERRORS_COERCE (2)");
      }
      if (options->threads < 0) {
        return Fail(GDPRKIT_INVALID_ARGUMENT, std::string(kFn) + ": options.threads is " +
                                                  std::to_string(options->threads) +
                                                  "; use 0 (one per core) or more");
      }
      opts.on_invalid = static_cast<gdprkit::ErrorMode>(options->on_invalid);
      opts.threads = options->threads;
      opts.max_errors = options->max_errors;
      if (options->version >= 2u) {
        opts.progress = ProgressFromC(options->progress, options->progress_context);
      }
    }
    // Every argument checked: from here on a failure overwrites the columns
    // (no partial answer is left behind), and nothing before wrote to them.
    clear = columns;
    Converted conv;
    if (gdprkit_status s = Convert(kFn, *schedule, *input, &conv); s != GDPRKIT_OK) return s;
    static_assert(sizeof(gdprkit::RetentionStatus) == 1 && sizeof(gdprkit::RetentionReason) == 1,
                  "status and reason columns are bytes");
    gdprkit::SweepColumns out{
        absl::MakeSpan(reinterpret_cast<gdprkit::RetentionStatus*>(columns->status), n),
        absl::MakeSpan(columns->due_date, n),
        absl::MakeSpan(columns->rule, n),
        absl::MakeSpan(columns->anchor, n),
        absl::MakeSpan(reinterpret_cast<gdprkit::RetentionReason*>(columns->reason), n),
        columns->hold == nullptr ? absl::Span<std::int32_t>() : absl::MakeSpan(columns->hold, n)};
    absl::StatusOr<gdprkit::SweepReport> report =
        schedule->core.SweepInto(conv.input, as_of, out, opts);
    if (!report.ok()) return FromCore(kFn, report.status());
    auto handle = std::make_unique<gdprkit_sweep_report>();
    handle->core = *std::move(report);
    handle->texts.reserve(handle->core.errors.size());
    for (const gdprkit::RecordError& e : handle->core.errors) handle->texts.push_back(e.ToString());
    *out_report = handle.release();
    clear = nullptr;
    return GDPRKIT_OK;
  });
  if (st != GDPRKIT_OK && clear != nullptr) ClearColumns(*clear, n);
  return st;
}

gdprkit_status gdprkit_sweep_report_counts(gdprkit_sweep_counts* out,
                                           const gdprkit_sweep_report* report) {
  static constexpr char kFn[] = "gdprkit_sweep_report_counts";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s =
            StartRecord(kFn, out, GDPRKIT_SWEEP_COUNTS_VERSION, "gdprkit_sweep_counts");
        s != GDPRKIT_OK) {
      return s;
    }
    if (report == nullptr) return NullArgument(kFn, "report");
    const gdprkit::SweepReport& r = report->core;
    out->records = r.records;
    out->due = r.due;
    out->pending = r.pending;
    out->kept = r.kept;
    out->held = r.held;
    out->may_delete = r.may_delete;
    out->invalid = r.invalid;
    out->complete = r.complete() ? 1 : 0;
    return GDPRKIT_OK;
  });
}

int gdprkit_sweep_report_complete(const gdprkit_sweep_report* report) {
  return report != nullptr && report->core.complete() ? 1 : 0;
}

size_t gdprkit_sweep_report_error_count(const gdprkit_sweep_report* report) {
  return report == nullptr ? 0 : report->core.errors.size();
}

gdprkit_status gdprkit_sweep_report_error_get(gdprkit_sweep_error* out,
                                              const gdprkit_sweep_report* report, size_t index) {
  static constexpr char kFn[] = "gdprkit_sweep_report_error_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s =
            StartRecord(kFn, out, GDPRKIT_SWEEP_ERROR_VERSION, "gdprkit_sweep_error");
        s != GDPRKIT_OK) {
      return s;
    }
    if (report == nullptr) return NullArgument(kFn, "report");
    const auto& errors = report->core.errors;
    if (index >= errors.size()) return OutOfRange(kFn, index, errors.size());
    const gdprkit::RecordError& e = errors[index];
    out->row = e.row;
    out->record_id = e.record_id.c_str();
    out->field = e.field.c_str();
    out->message = e.message.c_str();
    out->text = report->texts[index].c_str();
    return GDPRKIT_OK;
  });
}

void gdprkit_sweep_report_free(gdprkit_sweep_report* report) { delete report; }

gdprkit_status gdprkit_retention_explain(char** out, const gdprkit_retention_schedule* schedule,
                                         const gdprkit_sweep_input* input, int64_t row,
                                         int32_t as_of) {
  static constexpr char kFn[] = "gdprkit_retention_explain";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (schedule == nullptr) return NullArgument(kFn, "schedule");
    if (input == nullptr) return NullArgument(kFn, "input");
    if (gdprkit_status s = CheckInput(kFn, *schedule, *input); s != GDPRKIT_OK) return s;
    Converted conv;
    if (gdprkit_status s = Convert(kFn, *schedule, *input, &conv); s != GDPRKIT_OK) return s;
    absl::StatusOr<std::string> text = schedule->core.Explain(conv.input, row, as_of);
    if (!text.ok()) return FromCore(kFn, text.status());
    char* s = new char[text->size() + 1];
    std::memcpy(s, text->c_str(), text->size() + 1);
    *out = s;
    return GDPRKIT_OK;
  });
}

void gdprkit_retention_string_free(char* s) { delete[] s; }

// ---- The deletion log ------------------------------------------------------------

gdprkit_status gdprkit_deletion_log_open(gdprkit_deletion_log** out, const char* path,
                                         const gdprkit_deletion_log_options* options) {
  static constexpr char kFn[] = "gdprkit_deletion_log_open";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (path == nullptr) return NullArgument(kFn, "path");
    gdprkit::DeletionLogOptions opts;
    if (gdprkit_status s = LogOptionsFromC(kFn, options, &opts); s != GDPRKIT_OK) return s;
    absl::StatusOr<std::unique_ptr<gdprkit::DeletionLog>> log =
        gdprkit::DeletionLog::Open(path, opts);
    if (!log.ok()) return FromCore(kFn, log.status());
    auto handle = std::make_unique<gdprkit_deletion_log>();
    handle->core = *std::move(log);
    *out = handle.release();
    return GDPRKIT_OK;
  });
}

void gdprkit_deletion_log_free(gdprkit_deletion_log* log) { delete log; }

gdprkit_status gdprkit_deletion_log_append(int64_t* out_last_seq, gdprkit_deletion_log* log,
                                           const char* const* record_ids,
                                           const char* const* rule_ids, const int32_t* due_dates,
                                           const int64_t* deleted_at, size_t count) {
  static constexpr char kFn[] = "gdprkit_deletion_log_append";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_last_seq == nullptr) return NullArgument(kFn, "out_last_seq");
    *out_last_seq = 0;
    if (log == nullptr) return NullArgument(kFn, "log");
    if (gdprkit_status s = CheckArray(kFn, "record_ids", record_ids, count, "count");
        s != GDPRKIT_OK) {
      return s;
    }
    if (gdprkit_status s = CheckOptionalArray(kFn, "rule_ids", rule_ids, count, "count");
        s != GDPRKIT_OK) {
      return s;
    }
    if (gdprkit_status s = CheckOptionalArray(kFn, "due_dates", due_dates, count, "count");
        s != GDPRKIT_OK) {
      return s;
    }
    if (gdprkit_status s = CheckArray(kFn, "deleted_at", deleted_at, count, "count");
        s != GDPRKIT_OK) {
      return s;
    }
    std::vector<gdprkit::DeletionRecord> records(count);
    for (std::size_t i = 0; i < count; ++i) {
      if (record_ids[i] == nullptr) {
        return Fail(GDPRKIT_INVALID_ARGUMENT,
                    std::string(kFn) + ": record_ids[" + S(i) + "] is NULL");
      }
      records[i].record_id = record_ids[i];
      if (rule_ids != nullptr && rule_ids[i] != nullptr) records[i].rule_id = rule_ids[i];
      records[i].due_date = due_dates == nullptr ? gdprkit::kNoDate : due_dates[i];
      records[i].deleted_at = deleted_at[i];
    }
    absl::StatusOr<std::vector<gdprkit::DeletionLogEntry>> entries = log->core->AppendAll(records);
    if (!entries.ok()) return FromCore(kFn, entries.status());
    *out_last_seq = entries->empty() ? log->core->entries() : entries->back().seq;
    return GDPRKIT_OK;
  });
}

int64_t gdprkit_deletion_log_entries(const gdprkit_deletion_log* log) {
  return log == nullptr ? 0 : log->core->entries();
}

gdprkit_status gdprkit_deletion_log_head(char* out, size_t out_size,
                                         const gdprkit_deletion_log* log) {
  static constexpr char kFn[] = "gdprkit_deletion_log_head";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    if (gdprkit_status s = CheckArray(kFn, "out", out, out_size, "out_size"); s != GDPRKIT_OK) {
      return s;
    }
    if (out_size > 0) out[0] = '\0';
    if (log == nullptr) return NullArgument(kFn, "log");
    return WriteText(kFn, out, out_size, log->core->head());
  });
}

gdprkit_status gdprkit_deletion_log_verify(gdprkit_deletion_log_verification** out,
                                           const char* path,
                                           const gdprkit_deletion_log_options* options,
                                           const char* expected_head) {
  static constexpr char kFn[] = "gdprkit_deletion_log_verify";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (path == nullptr) return NullArgument(kFn, "path");
    gdprkit::DeletionLogOptions opts;
    if (gdprkit_status s = LogOptionsFromC(kFn, options, &opts); s != GDPRKIT_OK) return s;
    absl::StatusOr<gdprkit::DeletionLogVerification> v = gdprkit::VerifyDeletionLog(
        path, opts, expected_head == nullptr ? std::string_view() : expected_head);
    if (!v.ok()) return FromCore(kFn, v.status());
    auto handle = std::make_unique<gdprkit_deletion_log_verification>();
    handle->core = *std::move(v);
    *out = handle.release();
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_deletion_log_verification_get(
    gdprkit_deletion_log_check* out, const gdprkit_deletion_log_verification* verification) {
  static constexpr char kFn[] = "gdprkit_deletion_log_verification_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s =
            StartRecord(kFn, out, GDPRKIT_DELETION_LOG_CHECK_VERSION, "gdprkit_deletion_log_check");
        s != GDPRKIT_OK) {
      return s;
    }
    if (verification == nullptr) return NullArgument(kFn, "verification");
    const gdprkit::DeletionLogVerification& v = verification->core;
    out->intact = v.intact ? 1 : 0;
    out->entries = v.entries;
    out->head = v.head.c_str();
    out->first_broken_entry = v.first_broken_entry;
    out->first_broken_line = v.first_broken_line;
    out->problem = v.problem.c_str();
    out->log_id = v.log_id.c_str();
    out->keyed = v.keyed ? 1 : 0;
    return GDPRKIT_OK;
  });
}

void gdprkit_deletion_log_verification_free(gdprkit_deletion_log_verification* verification) {
  delete verification;
}

// The function forms of the _INIT macros (for FFI).
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_sweep_input, GDPRKIT_SWEEP_INPUT_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_sweep_columns, GDPRKIT_SWEEP_COLUMNS_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_sweep_options, GDPRKIT_SWEEP_OPTIONS_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_sweep_counts, GDPRKIT_SWEEP_COUNTS_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_sweep_error, GDPRKIT_SWEEP_ERROR_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_deletion_log_options, GDPRKIT_DELETION_LOG_OPTIONS_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_deletion_log_check, GDPRKIT_DELETION_LOG_CHECK_INIT)

}  // extern "C"
