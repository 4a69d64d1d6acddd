// The C ABI of the release gate (include/gdprkit/c/release.h) over
// gdprkit/release.h: frames built from C arrays, options translated, the
// core's results held in handles that C reads through getters, the core's
// status passed through FromCore. No rule, name or message of the gate is
// written here.
#include "gdprkit/release.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "c_api/internal/door.h"
#include "gdprkit.h"
#include "gdprkit/identifiers.h"

struct gdprkit_frame {
  gdprkit::Frame core;
  std::size_t rows = 0;  // as given to gdprkit_frame_new (the core's is 0 without columns)
};

struct gdprkit_release_check_result {
  gdprkit::ReleaseCheck core;
  // Per finding, the C strings: problem, title, kind name.
  std::vector<std::string> problems, titles, kinds;
};

struct gdprkit_release_log {
  std::unique_ptr<gdprkit::ReleaseLog> core;
};

struct gdprkit_prepared_release {
  gdprkit_frame frame;
  gdprkit::ReleaseReport report;
  std::vector<const char*> columns_dropped;  // NULL-terminated
};

namespace {

using gdprkit::capi::BadVersion;
using gdprkit::capi::CheckArray;
using gdprkit::capi::Fail;
using gdprkit::capi::FromCore;
using gdprkit::capi::Guard;
using gdprkit::capi::NullArgument;
using gdprkit::capi::OutOfRange;
using gdprkit::capi::StartRecord;
using gdprkit::capi::WriteText;

constexpr std::size_t kMaxRows = static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());

// The start of every gdprkit_frame_add_*: a frame and a name, and `data`
// (rows entries) when the frame has rows.
gdprkit_status StartColumn(const char* fn, const gdprkit_frame* frame, const char* name,
                           const void* data, const char* data_name) {
  if (frame == nullptr) return NullArgument(fn, "frame");
  if (name == nullptr) return NullArgument(fn, "name");
  return gdprkit::capi::CheckNotNull(fn, data_name, data, frame->rows, "the frame's rows");
}

// The core's options from the C ones (NULL: the defaults).
gdprkit_status ToOptions(const char* fn, const gdprkit_release_options* options,
                         gdprkit::PrepareOptions* out) {
  if (options == nullptr) return GDPRKIT_OK;
  if (options->version != GDPRKIT_RELEASE_OPTIONS_VERSION) {
    return BadVersion(fn, "gdprkit_release_options", options->version,
                      GDPRKIT_RELEASE_OPTIONS_VERSION);
  }
  out->on = options->on;
  for (unsigned k = 0; k < 32; ++k) {
    if ((options->scan_kinds >> k) & 1u) out->scan_kinds.Add(static_cast<gdprkit::IdKind>(k));
  }
  const char* language = gdprkit_language_name(options->language);
  if (language == nullptr) {
    return Fail(GDPRKIT_INVALID_ARGUMENT, std::string(fn) + ": options.language is " +
                                              std::to_string(options->language) +
                                              ", not a gdprkit_language");
  }
  absl::StatusOr<gdprkit::Language> lang = gdprkit::ParseLanguage(language);
  if (!lang.ok()) return FromCore(fn, lang.status());
  out->language = *lang;
  if (options->base_dir != nullptr) out->base_dir = options->base_dir;
  out->progress = gdprkit::capi::ProgressFromC(options->progress, options->progress_context);
  if (options->method != nullptr) {
    absl::StatusOr<gdprkit::SecondaryMethod> m = gdprkit::ParseSecondaryMethod(options->method);
    if (!m.ok()) return FromCore(fn, m.status(), "options.method");
    out->suppress.method = *m;
  }
  if (options->cost != nullptr) {
    absl::StatusOr<gdprkit::CostModel> c = gdprkit::ParseCostModel(options->cost);
    if (!c.ok()) return FromCore(fn, c.status(), "options.cost");
    out->suppress.cost = *c;
  }
  out->suppress.time_limit_seconds = options->time_limit_seconds;
  out->suppress.effort = options->effort;
  out->released_at = options->released_at;
  return GDPRKIT_OK;
}

// A getter of one value: *out is `missing` until the column (of `type`)
// and the row are found, then get(column, row).
template <typename T, typename Get>
gdprkit_status GetValue(const char* fn, T* out, T missing, const gdprkit_frame* frame,
                        std::size_t column, std::size_t row, gdprkit::FrameColumnType type,
                        Get get) {
  return Guard(fn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(fn, "out");
    *out = missing;
    if (frame == nullptr) return NullArgument(fn, "frame");
    if (column >= frame->core.columns.size()) {
      return OutOfRange(fn, column, frame->core.columns.size());
    }
    const gdprkit::FrameColumn& c = frame->core.columns[column];
    if (c.type != type) {
      return Fail(GDPRKIT_INVALID_ARGUMENT,
                  std::string(fn) + ": column " + std::to_string(column) + " holds " +
                      std::string(gdprkit::FrameColumnTypeName(c.type)) + ", not " +
                      std::string(gdprkit::FrameColumnTypeName(type)));
    }
    if (row >= c.rows()) return OutOfRange(fn, row, c.rows());
    *out = get(c, row);
    return GDPRKIT_OK;
  });
}

}  // namespace

extern "C" {

GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_release_options, GDPRKIT_RELEASE_OPTIONS_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_release_finding, GDPRKIT_RELEASE_FINDING_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_release_report, GDPRKIT_RELEASE_REPORT_INIT)

// ---- Frames ----------------------------------------------------------------------

gdprkit_status gdprkit_frame_new(gdprkit_frame** out, size_t rows) {
  static constexpr char kFn[] = "gdprkit_frame_new";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (gdprkit_status s = gdprkit::capi::CheckCount(kFn, "rows", rows, kMaxRows);
        s != GDPRKIT_OK) {
      return s;
    }
    auto frame = std::make_unique<gdprkit_frame>();
    frame->rows = rows;
    *out = frame.release();
    return GDPRKIT_OK;
  });
}

void gdprkit_frame_free(gdprkit_frame* frame) { delete frame; }

gdprkit_status gdprkit_frame_add_text(gdprkit_frame* frame, const char* name,
                                      const char* const* values) {
  static constexpr char kFn[] = "gdprkit_frame_add_text";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s = StartColumn(kFn, frame, name, values, "values"); s != GDPRKIT_OK) {
      return s;
    }
    std::vector<std::string_view> texts(frame->rows);
    std::vector<bool> missing(frame->rows, false);
    for (std::size_t row = 0; row < frame->rows; ++row) {
      if (values[row] == nullptr) {
        missing[row] = true;
      } else {
        texts[row] = values[row];
      }
    }
    frame->core.columns.push_back(gdprkit::FrameColumn::Text(name, texts, &missing));
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_frame_add_labels(gdprkit_frame* frame, const char* name,
                                        const char* const* labels, size_t n_labels,
                                        const int32_t* codes) {
  static constexpr char kFn[] = "gdprkit_frame_add_labels";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s = StartColumn(kFn, frame, name, codes, "codes"); s != GDPRKIT_OK) {
      return s;
    }
    if (gdprkit_status s = CheckArray(kFn, "labels", labels, n_labels, "n_labels", kMaxRows);
        s != GDPRKIT_OK) {
      return s;
    }
    std::vector<std::string> l(n_labels);
    for (std::size_t i = 0; i < n_labels; ++i) {
      if (labels[i] == nullptr) {
        return Fail(GDPRKIT_INVALID_ARGUMENT,
                    std::string(kFn) + ": labels[" + std::to_string(i) + "] is NULL");
      }
      l[i] = labels[i];
    }
    std::vector<std::int32_t> c(codes, codes + frame->rows);
    frame->core.columns.push_back(gdprkit::FrameColumn::Labels(name, std::move(l), std::move(c)));
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_frame_add_numbers(gdprkit_frame* frame, const char* name,
                                         const double* numbers) {
  static constexpr char kFn[] = "gdprkit_frame_add_numbers";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s = StartColumn(kFn, frame, name, numbers, "numbers"); s != GDPRKIT_OK) {
      return s;
    }
    std::vector<double> n(numbers, numbers + frame->rows);
    frame->core.columns.push_back(gdprkit::FrameColumn::Numbers(name, std::move(n)));
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_frame_add_days(gdprkit_frame* frame, const char* name, const int32_t* days) {
  static constexpr char kFn[] = "gdprkit_frame_add_days";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s = StartColumn(kFn, frame, name, days, "days"); s != GDPRKIT_OK) return s;
    std::vector<gdprkit::DayNumber> d(days, days + frame->rows);
    frame->core.columns.push_back(gdprkit::FrameColumn::Days(name, std::move(d)));
    return GDPRKIT_OK;
  });
}

size_t gdprkit_frame_rows(const gdprkit_frame* frame) { return frame == nullptr ? 0 : frame->rows; }

size_t gdprkit_frame_columns(const gdprkit_frame* frame) {
  return frame == nullptr ? 0 : frame->core.columns.size();
}

gdprkit_status gdprkit_frame_column_name(const char** out, const gdprkit_frame* frame,
                                         size_t column) {
  static constexpr char kFn[] = "gdprkit_frame_column_name";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (frame == nullptr) return NullArgument(kFn, "frame");
    if (column >= frame->core.columns.size()) {
      return OutOfRange(kFn, column, frame->core.columns.size());
    }
    *out = frame->core.columns[column].name.c_str();
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_frame_column_type(int* out, const gdprkit_frame* frame, size_t column) {
  static constexpr char kFn[] = "gdprkit_frame_column_type";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = -1;
    if (frame == nullptr) return NullArgument(kFn, "frame");
    if (column >= frame->core.columns.size()) {
      return OutOfRange(kFn, column, frame->core.columns.size());
    }
    *out = static_cast<int>(frame->core.columns[column].type);
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_frame_text(const char** out, const gdprkit_frame* frame, size_t column,
                                  size_t row) {
  return GetValue("gdprkit_frame_text", out, static_cast<const char*>(nullptr), frame, column, row,
                  gdprkit::FrameColumnType::kText,
                  [](const gdprkit::FrameColumn& c, std::size_t r) -> const char* {
                    return c.codes[r] < 0 ? nullptr
                                          : c.labels[static_cast<std::size_t>(c.codes[r])].c_str();
                  });
}

gdprkit_status gdprkit_frame_number(double* out, const gdprkit_frame* frame, size_t column,
                                    size_t row) {
  return GetValue("gdprkit_frame_number", out, 0.0, frame, column, row,
                  gdprkit::FrameColumnType::kNumber,
                  [](const gdprkit::FrameColumn& c, std::size_t r) { return c.numbers[r]; });
}

gdprkit_status gdprkit_frame_day(int32_t* out, const gdprkit_frame* frame, size_t column,
                                 size_t row) {
  return GetValue("gdprkit_frame_day", out, GDPRKIT_NO_DATE, frame, column, row,
                  gdprkit::FrameColumnType::kDate,
                  [](const gdprkit::FrameColumn& c, std::size_t r) { return c.days[r]; });
}

gdprkit_status gdprkit_content_digest(char* out, size_t out_size, const gdprkit_frame* frame) {
  static constexpr char kFn[] = "gdprkit_content_digest";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    if (gdprkit_status s = CheckArray(kFn, "out", out, out_size, "out_size"); s != GDPRKIT_OK) {
      return s;
    }
    if (out_size > 0) out[0] = '\0';
    if (frame == nullptr) return NullArgument(kFn, "frame");
    absl::StatusOr<std::string> digest = gdprkit::ContentDigest(frame->core);
    if (!digest.ok()) return FromCore(kFn, digest.status());
    return WriteText(kFn, out, out_size, *digest);
  });
}

// ---- Check -----------------------------------------------------------------------

gdprkit_status gdprkit_release_check(gdprkit_release_check_result** out,
                                     const gdprkit_policy* policy, const char* release_id,
                                     const gdprkit_frame* frame,
                                     const gdprkit_release_options* options) {
  static constexpr char kFn[] = "gdprkit_release_check";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (policy == nullptr) return NullArgument(kFn, "policy");
    if (release_id == nullptr) return NullArgument(kFn, "release_id");
    if (frame == nullptr) return NullArgument(kFn, "frame");
    gdprkit::PrepareOptions o;
    if (gdprkit_status s = ToOptions(kFn, options, &o); s != GDPRKIT_OK) return s;
    absl::StatusOr<gdprkit::ReleaseCheck> c =
        gdprkit::CheckRelease(*policy->core, release_id, frame->core, o);
    if (!c.ok()) return FromCore(kFn, c.status());
    auto result = std::make_unique<gdprkit_release_check_result>();
    result->core = *std::move(c);
    for (const gdprkit::ReleaseFinding& f : result->core.findings) {
      result->problems.emplace_back(gdprkit::ReleaseProblemName(f.problem));
      result->titles.emplace_back(gdprkit::ReleaseProblemTitle(f.problem, o.language));
      result->kinds.emplace_back(gdprkit::IdKindName(f.kind));
    }
    *out = result.release();
    return GDPRKIT_OK;
  });
}

int gdprkit_release_check_passed(const gdprkit_release_check_result* result) {
  return result != nullptr && result->core.passed ? 1 : 0;
}

int64_t gdprkit_release_check_rows(const gdprkit_release_check_result* result) {
  return result == nullptr ? 0 : result->core.rows;
}

size_t gdprkit_release_check_count(const gdprkit_release_check_result* result) {
  return result == nullptr ? 0 : result->core.findings.size();
}

gdprkit_status gdprkit_release_check_get(gdprkit_release_finding* out,
                                         const gdprkit_release_check_result* result, size_t index) {
  static constexpr char kFn[] = "gdprkit_release_check_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s =
            StartRecord(kFn, out, GDPRKIT_RELEASE_FINDING_VERSION, "gdprkit_release_finding");
        s != GDPRKIT_OK) {
      return s;
    }
    if (result == nullptr) return NullArgument(kFn, "result");
    if (index >= result->core.findings.size()) {
      return OutOfRange(kFn, index, result->core.findings.size());
    }
    const gdprkit::ReleaseFinding& f = result->core.findings[index];
    out->problem = result->problems[index].c_str();
    out->title = result->titles[index].c_str();
    out->column = f.column.c_str();
    out->kind = static_cast<int>(f.kind);
    out->kind_name = result->kinds[index].c_str();
    out->rows = f.rows;
    out->cells = f.cells;
    out->message = f.message.c_str();
    return GDPRKIT_OK;
  });
}

void gdprkit_release_check_free(gdprkit_release_check_result* result) { delete result; }

// ---- The release log -------------------------------------------------------------

gdprkit_status gdprkit_release_log_open(gdprkit_release_log** out, const char* path,
                                        const gdprkit_deletion_log_options* options) {
  static constexpr char kFn[] = "gdprkit_release_log_open";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (path == nullptr) return NullArgument(kFn, "path");
    gdprkit::ReleaseLogOptions opts;
    if (gdprkit_status s = gdprkit::capi::LogOptionsFromC(kFn, options, &opts); s != GDPRKIT_OK)
      return s;
    absl::StatusOr<std::unique_ptr<gdprkit::ReleaseLog>> log =
        gdprkit::ReleaseLog::Open(path, opts);
    if (!log.ok()) return FromCore(kFn, log.status());
    auto handle = std::make_unique<gdprkit_release_log>();
    handle->core = *std::move(log);
    *out = handle.release();
    return GDPRKIT_OK;
  });
}

void gdprkit_release_log_free(gdprkit_release_log* log) { delete log; }

int64_t gdprkit_release_log_entries(const gdprkit_release_log* log) {
  return log == nullptr ? 0 : log->core->entries();
}

gdprkit_status gdprkit_release_log_head(char* out, size_t out_size,
                                        const gdprkit_release_log* log) {
  static constexpr char kFn[] = "gdprkit_release_log_head";
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

gdprkit_status gdprkit_release_log_verify(gdprkit_deletion_log_verification** out, const char* path,
                                          const gdprkit_deletion_log_options* options,
                                          const char* expected_head) {
  static constexpr char kFn[] = "gdprkit_release_log_verify";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (path == nullptr) return NullArgument(kFn, "path");
    gdprkit::ReleaseLogOptions opts;
    if (gdprkit_status s = gdprkit::capi::LogOptionsFromC(kFn, options, &opts); s != GDPRKIT_OK)
      return s;
    auto handle = std::make_unique<gdprkit_deletion_log_verification>();
    absl::StatusOr<gdprkit::ReleaseLogVerification> v =
        gdprkit::VerifyReleaseLog(path, opts, expected_head == nullptr ? "" : expected_head);
    if (!v.ok()) return FromCore(kFn, v.status());
    handle->core = *std::move(v);
    *out = handle.release();
    return GDPRKIT_OK;
  });
}

// ---- Prepare ---------------------------------------------------------------------

gdprkit_status gdprkit_release_prepare(gdprkit_prepared_release** out, const gdprkit_policy* policy,
                                       const char* release_id, const gdprkit_frame* records,
                                       const gdprkit_vault* vault, gdprkit_release_log* log,
                                       const gdprkit_release_options* options) {
  static constexpr char kFn[] = "gdprkit_release_prepare";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (policy == nullptr) return NullArgument(kFn, "policy");
    if (release_id == nullptr) return NullArgument(kFn, "release_id");
    if (records == nullptr) return NullArgument(kFn, "records");
    gdprkit::PrepareOptions o;
    if (gdprkit_status s = ToOptions(kFn, options, &o); s != GDPRKIT_OK) return s;
    o.vault = vault == nullptr ? nullptr : vault->core.get();
    o.log = log == nullptr ? nullptr : log->core.get();
    absl::StatusOr<gdprkit::PreparedRelease> r =
        gdprkit::PrepareRelease(*policy->core, release_id, records->core, o);
    if (!r.ok()) return FromCore(kFn, r.status());
    auto prepared = std::make_unique<gdprkit_prepared_release>();
    prepared->frame.core = std::move(r->frame);
    prepared->frame.rows = prepared->frame.core.rows();
    prepared->report = std::move(r->report);
    prepared->columns_dropped = gdprkit::capi::CStrings(prepared->report.columns_dropped);
    *out = prepared.release();
    return GDPRKIT_OK;
  });
}

const gdprkit_frame* gdprkit_prepared_release_frame(const gdprkit_prepared_release* prepared) {
  return prepared == nullptr ? nullptr : &prepared->frame;
}

gdprkit_status gdprkit_prepared_release_report(gdprkit_release_report* out,
                                               const gdprkit_prepared_release* prepared) {
  static constexpr char kFn[] = "gdprkit_prepared_release_report";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s =
            StartRecord(kFn, out, GDPRKIT_RELEASE_REPORT_VERSION, "gdprkit_release_report");
        s != GDPRKIT_OK) {
      return s;
    }
    if (prepared == nullptr) return NullArgument(kFn, "prepared");
    const gdprkit::ReleaseReport& r = prepared->report;
    out->release = r.release.c_str();
    out->title = r.title.c_str();
    out->purpose = r.purpose.c_str();
    out->policy_digest = r.policy_digest.c_str();
    out->on = r.on;
    out->table = r.table ? 1 : 0;
    out->rows_in = r.rows_in;
    out->rows_too_old = r.rows_too_old;
    out->rows_missing_date = r.rows_missing_date;
    out->columns_dropped = prepared->columns_dropped.data();
    out->columns_dropped_count = r.columns_dropped.size();
    out->values_pseudonymised = r.values_pseudonymised;
    out->values_generalised = r.values_generalised;
    out->identifiers_redacted = r.identifiers_redacted;
    out->cells = r.cells;
    out->cells_primary = r.cells_primary;
    out->cells_secondary = r.cells_secondary;
    out->audit_passed = r.audit_passed ? 1 : 0;
    out->audit_text = r.audit_text.c_str();
    out->k = r.k;
    out->values_suppressed = r.values_suppressed;
    out->rows_withheld = r.rows_withheld;
    out->smallest_group = r.smallest_group;
    out->rows_out = r.rows_out;
    out->content_digest = r.content_digest.c_str();
    out->log_seq = r.log_seq;
    out->log_hash = r.log_hash.c_str();
    return GDPRKIT_OK;
  });
}

void gdprkit_prepared_release_free(gdprkit_prepared_release* prepared) { delete prepared; }

}  // extern "C"
