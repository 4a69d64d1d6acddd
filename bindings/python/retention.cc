// _gdprkit: retention schedules, add_period, sweeps, the deletion log.
//
// Thin: python/gdprkit/retention.py turns DataFrame columns into int32 day
// numbers with NumPy and hands whole columns over here through the buffer
// protocol (inputs and the output arrays it allocates); the core loads them
// (LoadRecords: selectors, event names, holds) and sweeps them with the GIL
// released. (pybind11/numpy.h is not used: Debian's pybind11 2.10
// misreads NumPy 2 arrays.)
// Record-level problems come back as (row, field, message) so that the
// package can raise an error naming the row label and the column.
#include "gdprkit/retention.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "arrow.h"
#include "common.h"
#include "common/arrow_dates.h"
#include "common/redact.h"
#include "gdprkit/deletion_log.h"

namespace gdprkit {
namespace python {
namespace {

// A 1-D C-contiguous buffer of `T` (int32 or uint8), held for the call.
template <typename T>
class Column {
 public:
  Column(const py::handle& obj, const char* what, bool writable) {
    const int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj.ptr(), &view_, flags) != 0) throw py::error_already_set();
    held_ = true;
    const std::string_view f = view_.format == nullptr ? "B" : view_.format;
    const char kind = f.empty() ? 'B' : f.back();
    const bool is_int64 = view_.itemsize == 8 && (kind == 'q' || kind == 'l');
    const bool is_int32 = view_.itemsize == 4 && (kind == 'i' || kind == 'l');
    const bool is_uint8 = view_.itemsize == 1 && kind == 'B';
    const bool fits = sizeof(T) == 8 ? is_int64 : sizeof(T) == 4 ? is_int32 : is_uint8;
    if (view_.ndim != 1 || !fits) {
      throw py::type_error(std::string(what) + ": expected a 1-D contiguous " +
                           (sizeof(T) == 8   ? "int64"
                            : sizeof(T) == 4 ? "int32"
                                             : "uint8") +
                           " array");
    }
  }
  ~Column() {
    if (held_) PyBuffer_Release(&view_);
  }
  Column(const Column&) = delete;
  Column& operator=(const Column&) = delete;
  std::size_t size() const { return static_cast<std::size_t>(view_.shape[0]); }
  T* data() const { return static_cast<T*>(view_.buf); }
  absl::Span<const T> view() const { return absl::MakeConstSpan(data(), size()); }
  absl::Span<T> span() const { return absl::MakeSpan(data(), size()); }

 private:
  Py_buffer view_{};
  bool held_ = false;
};

using I64 = Column<std::int64_t>;
using I32 = Column<std::int32_t>;
using U8 = Column<std::uint8_t>;

constexpr std::int64_t kNaT = std::numeric_limits<std::int64_t>::min();

// datetime64 values (as int64 in units of 1/per_day day; NaT is INT64_MIN)
// to day numbers, rounding down (towards the past). Returns the first index
// whose date lies outside 0001-01-01 ... 9999-12-31, or -1.
std::int64_t DatetimesToDays(const py::handle& values, std::int64_t per_day,
                             const py::handle& out) {
  if (per_day <= 0) throw py::value_error("per_day must be positive");
  const I64 in(values, "values", false);
  const I32 o(out, "out", true);
  if (in.size() != o.size()) throw py::value_error("values and out differ in length");
  py::gil_scoped_release release;
  const std::int64_t* v = in.data();
  std::int32_t* w = o.data();
  const std::size_t n = in.size();
  // Division by a constant is a multiplication: one loop per common unit.
  auto convert = [&](auto per) -> std::int64_t {
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t x = v[i];
      if (x == kNaT) {
        w[i] = kNoDate;
        continue;
      }
      std::int64_t d = x / per;
      if (d * per > x) --d;  // floor for times before 1970
      if (d < kMinDate || d > kMaxDate) return static_cast<std::int64_t>(i);
      w[i] = static_cast<std::int32_t>(d);
    }
    return -1;
  };
  switch (per_day) {
    case 1:
      return convert(std::integral_constant<std::int64_t, 1>());
    case 86400:
      return convert(std::integral_constant<std::int64_t, 86400>());
    case 86400000:
      return convert(std::integral_constant<std::int64_t, 86400000>());
    case 86400000000:
      return convert(std::integral_constant<std::int64_t, 86400000000>());
    case 86400000000000:
      return convert(std::integral_constant<std::int64_t, 86400000000000>());
    default:
      return convert(per_day);
  }
}

// Sweep dates to two datetime64[s] columns: due_date (since when: due or
// may-delete) and next_due (the other statuses); NaT where there is none.
void SplitDates(const py::handle& days, const py::handle& status, const py::handle& due_out,
                const py::handle& next_out) {
  const I32 d(days, "days", false);
  const U8 st(status, "status", false);
  const I64 a(due_out, "due_out", true), b(next_out, "next_out", true);
  const std::size_t n = d.size();
  if (st.size() != n || a.size() != n || b.size() != n) {
    throw py::value_error("columns differ in length");
  }
  py::gil_scoped_release release;
  const std::int32_t* dd = d.data();
  const std::uint8_t* ss = st.data();
  std::int64_t* aa = a.data();
  std::int64_t* bb = b.data();
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t t = dd[i] == kNoDate ? kNaT : std::int64_t{dd[i]} * 86400;
    const bool since = ss[i] == static_cast<std::uint8_t>(RetentionStatus::kDue) ||
                       ss[i] == static_cast<std::uint8_t>(RetentionStatus::kMayDelete);
    aa[i] = since ? t : kNaT;
    bb[i] = since ? kNaT : t;
  }
}

py::object DateOrNone(DayNumber d) {
  if (d == kNoDate) return py::none();
  return py::int_(d);
}

// An object that holds a bytes-like key for the duration of a call (None: no
// key). The key is never copied into a std::string.
class KeyView {
 public:
  explicit KeyView(const py::object& key) {
    if (key.is_none()) return;
    if (PyUnicode_Check(key.ptr())) throw py::type_error("key must be bytes, not str");
    if (PyObject_GetBuffer(key.ptr(), &view_, PyBUF_SIMPLE) != 0) throw py::error_already_set();
    held_ = true;
  }
  ~KeyView() {
    if (held_) PyBuffer_Release(&view_);
  }
  KeyView(const KeyView&) = delete;
  KeyView& operator=(const KeyView&) = delete;
  std::string_view view() const {
    if (!held_) return {};
    return std::string_view(static_cast<const char*>(view_.buf),
                            static_cast<std::size_t>(view_.len));
  }

 private:
  Py_buffer view_{};
  bool held_ = false;
};

struct ScheduleHandle {
  std::shared_ptr<const RetentionSchedule> schedule;
};

// Records loaded by the core (LoadRecords) from the package's columns: the
// buffers and strings the loaded input points into, held as long as it.
struct RecordsHandle {
  std::shared_ptr<const RetentionSchedule> schedule;
  std::vector<std::unique_ptr<I32>> buffers;
  std::deque<std::string> strings;  // stable addresses
  std::vector<std::string_view> values;
  std::optional<LoadedRecords> loaded;

  std::string_view Keep(std::string s) { return strings.emplace_back(std::move(s)); }
  absl::Span<const DayNumber> Days(const py::handle& array, const char* what) {
    buffers.push_back(std::make_unique<I32>(array, what, false));
    return buffers.back()->view();
  }
  // The loaded input, for a sweep by `schedule` (the one it was loaded for).
  const SweepInput& For(const ScheduleHandle& h) const {
    if (h.schedule != schedule) throw py::value_error("records loaded for another schedule");
    return loaded->input();
  }
};

// Loads the package's columns through the core: the selector as codes into
// `values` (< 0: no rule), events as (event, column name, int32 days), the
// holds of a (start name, start days, end name, end days) pair of per-row
// columns or None, and holds naming rows. Returns (records, None), or
// (None, (status code, row, column, message)) for a record's problem (the
// package names the row its own way); other problems raise.
py::tuple LoadColumns(const ScheduleHandle& h, const std::string& selector_name,
                      const py::handle& codes, const std::vector<std::string>& values,
                      const py::list& events, const py::object& hold_columns,
                      const py::handle& hold_rows, const py::handle& hold_starts,
                      const py::handle& hold_ends) {
  auto r = std::make_unique<RecordsHandle>();
  r->schedule = h.schedule;
  RecordColumns c;
  c.selector_name = r->Keep(selector_name);
  r->buffers.push_back(std::make_unique<I32>(codes, "selector", false));
  c.selector_codes = r->buffers.back()->view();
  c.rows = c.selector_codes.size();
  for (const std::string& v : values) r->values.push_back(r->Keep(v));
  c.selector_values = r->values;
  for (const py::handle& item : events) {
    const py::tuple t = py::reinterpret_borrow<py::tuple>(item);
    EventDates e;
    e.event = r->Keep(t[0].cast<std::string>());
    e.dates.name = r->Keep(t[1].cast<std::string>());
    e.dates.days = r->Days(t[2], "event column");
    c.events.push_back(e);
  }
  if (!hold_columns.is_none()) {
    const py::tuple t = py::reinterpret_borrow<py::tuple>(hold_columns);
    c.hold_start = DateColumn{r->Keep(t[0].cast<std::string>()), {}, r->Days(t[1], "hold_start")};
    c.hold_end = DateColumn{r->Keep(t[2].cast<std::string>()), {}, r->Days(t[3], "hold_end")};
  }
  r->buffers.push_back(std::make_unique<I32>(hold_rows, "hold_rows", false));
  c.hold_rows = r->buffers.back()->view();
  if (!c.hold_rows.empty()) {
    c.hold_starts = DateColumn{"start", {}, r->Days(hold_starts, "hold_starts")};
    c.hold_ends = DateColumn{"end", {}, r->Days(hold_ends, "hold_ends")};
  }
  RecordError bad;
  absl::StatusOr<LoadedRecords> loaded;
  {
    py::gil_scoped_release release;
    loaded = LoadRecords(*h.schedule, c, &bad);
  }
  if (!loaded.ok()) {
    if (bad.row < 0) Raise(loaded.status());
    return py::make_tuple(py::none(),
                          py::make_tuple(static_cast<int>(loaded.status().code()), bad.row,
                                         Message(bad.field), Message(bad.message)));
  }
  r->loaded.emplace(*std::move(loaded));
  return py::make_tuple(py::cast(std::move(r)), py::none());
}

// Sweeps into the caller's output arrays (status u8, due i32, rule i32,
// anchor i32, reason u8, hold i32) with the core's error mode `errors`
// (ErrorMode::kRaise is swept as kReport: the package raises for the first
// invalid record, naming it by the DataFrame's row label) and `progress` (a
// callable or None). Returns (counts, errors): errors as (row, field, column,
// problem, message).
py::tuple Sweep(const ScheduleHandle& h, const RecordsHandle& records, DayNumber as_of, int threads,
                std::size_t max_errors, const std::string& errors, const py::object& progress,
                const py::handle& out_status, const py::handle& out_due, const py::handle& out_rule,
                const py::handle& out_anchor, const py::handle& out_reason,
                const py::handle& out_hold) {
  const U8 status(out_status, "status", true), reason(out_reason, "reason", true);
  const I32 due(out_due, "due", true), rule(out_rule, "rule", true),
      anchor(out_anchor, "anchor", true), hold(out_hold, "hold", true);
  SweepColumns cols{
      absl::MakeSpan(reinterpret_cast<RetentionStatus*>(status.data()), status.size()),
      due.span(),
      rule.span(),
      anchor.span(),
      absl::MakeSpan(reinterpret_cast<RetentionReason*>(reason.data()), reason.size()),
      hold.span()};
  SweepOptions options;
  options.on_invalid = ValueOrRaise(ParseErrorMode(errors));
  if (options.on_invalid == ErrorMode::kRaise) {
    options.on_invalid = ErrorMode::kReport;
    if (max_errors == 0) max_errors = 1;
  }
  options.threads = threads;
  options.max_errors = max_errors;
  PyProgress callback(progress);
  options.progress = callback.fn();
  const SweepInput& input = records.For(h);
  absl::StatusOr<SweepReport> report;
  {
    py::gil_scoped_release release;
    report = h.schedule->SweepInto(input, as_of, cols, options);
  }
  callback.Check();
  if (!report.ok()) Raise(report.status());
  py::dict counts;
  counts["records"] = report->records;
  counts["due"] = report->due;
  counts["pending"] = report->pending;
  counts["kept"] = report->kept;
  counts["held"] = report->held;
  counts["may_delete"] = report->may_delete;
  counts["invalid"] = report->invalid;
  py::list invalid;
  for (const RecordError& e : report->errors) {
    invalid.append(py::make_tuple(e.row, Message(e.field),
                                  Message(records.loaded->ColumnOf(e.field)),
                                  Str(RecordProblemName(e.problem)), Message(e.message)));
  }
  return py::make_tuple(counts, invalid);
}

std::string Explain(const ScheduleHandle& h, const RecordsHandle& records, std::int64_t row,
                    DayNumber as_of, const std::string& lang) {
  const SweepInput& input = records.For(h);
  const Language language = ValueOrRaise(ParseLanguage(lang));
  absl::StatusOr<std::string> text;
  {
    py::gil_scoped_release release;
    text = h.schedule->Explain(input, row, as_of, language);
  }
  return ValueOrRaise(std::move(text));
}

// Every vocabulary of the retention area, by the name the package uses for
// it: {"retention_status": ["due", ...], ...}.
py::dict RetentionNames() {
  auto names = [](const std::vector<std::string_view>& v) {
    py::list l;
    for (std::string_view n : v) l.append(Str(n));
    return l;
  };
  py::dict d;
  d["retention_status"] = names(RetentionStatusNames());
  d["retention_reason"] = names(RetentionReasonNames());
  d["retention_action"] = names(RetentionActionNames());
  d["record_problem"] = names(RecordProblemNames());
  return d;
}

// The titles of the same vocabularies in `lang` ("en", "da"), in the order
// of the names: {"retention_status": ["Due for deletion", ...], ...}.
py::dict RetentionTitles(const std::string& lang) {
  const Language language = ValueOrRaise(ParseLanguage(lang));
  auto titles = [&](std::size_t n, auto title_of) {
    py::list l;
    for (std::size_t i = 0; i < n; ++i) l.append(Str(title_of(i)));
    return l;
  };
  py::dict d;
  d["retention_status"] = titles(RetentionStatusNames().size(), [&](std::size_t i) {
    return RetentionStatusTitle(static_cast<RetentionStatus>(i), language);
  });
  d["retention_reason"] = titles(RetentionReasonNames().size(), [&](std::size_t i) {
    return RetentionReasonTitle(static_cast<RetentionReason>(i), language);
  });
  d["retention_action"] = titles(RetentionActionNames().size(), [&](std::size_t i) {
    return RetentionActionTitle(ValueOrRaise(ParseRetentionAction(RetentionActionNames()[i])),
                                language);
  });
  d["record_problem"] = titles(RecordProblemNames().size(), [&](std::size_t i) {
    return RecordProblemTitle(static_cast<RecordProblem>(i), language);
  });
  return d;
}

// Adds a period to each day (kNoDate stays) into `out`. Returns the first bad
// index, or -1; nothing is written when an index is bad.
std::int64_t AddPeriodDays(const py::handle& days, const py::handle& out, std::string_view period) {
  const Period p = ValueOrRaise(ParsePeriod(period));
  const I32 in(days, "days", false), o(out, "out", true);
  if (in.size() != o.size()) throw py::value_error("days and out differ in length");
  std::int64_t bad = -1;
  {
    py::gil_scoped_release release;
    const std::int32_t* d = in.data();
    std::int32_t* w = o.data();
    const std::size_t n = in.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (d[i] != kNoDate && !IsValidDay(d[i])) {
        bad = static_cast<std::int64_t>(i);
        break;
      }
    }
    if (bad < 0) {
      for (std::size_t i = 0; i < n; ++i) w[i] = d[i] == kNoDate ? kNoDate : AddPeriod(d[i], p);
    }
  }
  return bad;
}

// Parses a sequence of texts (None or "": no date) into days in `out`, in
// `zone`. Returns (first bad index or -1, message).
py::tuple ParseDates(const py::sequence& texts, std::string_view zone, const py::handle& out) {
  const I32 col(out, "out", true);
  const std::size_t n = py::len(texts);
  if (col.size() != n) throw py::value_error("texts and out differ in length");
  std::int32_t* o = col.data();
  for (std::size_t i = 0; i < n; ++i) {
    py::object item = texts[i];
    if (item.is_none()) {
      o[i] = kNoDate;
      continue;
    }
    if (!PyUnicode_Check(item.ptr())) {
      return py::make_tuple(static_cast<std::int64_t>(i),
                            std::string("not a date or date text: ") +
                                std::string(py::str(py::type::of(item).attr("__name__"))));
    }
    Py_ssize_t len = 0;
    const char* s = PyUnicode_AsUTF8AndSize(item.ptr(), &len);
    if (s == nullptr) throw py::error_already_set();
    const std::string_view text(s, static_cast<std::size_t>(len));
    if (text.empty()) {
      o[i] = kNoDate;
      continue;
    }
    absl::StatusOr<DayNumber> d = ParseDateTime(text, zone);
    if (!d.ok()) {
      if (d.status().code() == absl::StatusCode::kFailedPrecondition) Raise(d.status());
      // Message(): the core's excerpt of the text may end inside a character.
      const absl::string_view message = d.status().message();
      return py::make_tuple(static_cast<std::int64_t>(i),
                            Message(std::string_view(message.data(), message.size())));
    }
    o[i] = *d;
  }
  return py::make_tuple(std::int64_t{-1}, std::string());
}

static_assert(internal::arrow::kNoDate == kNoDate && internal::arrow::kMinDate == kMinDate &&
                  internal::arrow::kMaxDate == kMaxDate,
              "common/arrow_dates.h holds days as gdprkit/retention.h does");

// An Arrow column of dates (any object with the Arrow PyCapsule interface:
// bindings/python/arrow.h) read by the core as int32 day numbers into a new
// NumPy array, with the GIL released: (kind, days, -1, "") with kind a
// DateKindName, or (kind, None, row, reason) for the first row that is not a
// date (the package names it by its row label). Other problems raise.
py::tuple ArrowDays(const py::handle& obj, const std::string& zone, const std::string& what) {
  namespace arrow = ::gdprkit::internal::arrow;
  const arrow::ImportedColumn column = ImportColumn(obj, what.c_str());
  const arrow::DateKind kind =
      column.chunks.empty() ? arrow::DateKind::kDate
                            : ValueOrRaise(arrow::DateKindOf(column.chunks.front().schema(), what));
  py::object days = py::module_::import("numpy").attr("empty")(column.length, "int32");
  arrow::DateReadError bad;
  absl::Status read;
  {
    const I32 out(days, "days", true);
    py::gil_scoped_release release;
    read = arrow::ReadDays(
        column, what, zone, [&](std::string_view text) { return ParseDateTime(text, zone); },
        out.span(), &bad);
  }
  if (!read.ok()) {
    if (bad.row < 0) Raise(read);
    return py::make_tuple(Str(arrow::DateKindName(kind)), py::none(), bad.row, Message(bad.reason));
  }
  return py::make_tuple(Str(arrow::DateKindName(kind)), days, std::int64_t{-1}, std::string());
}

// int32 day numbers (NO_DATE: null) as an Arrow array of `kind`
// (DateKindName: date32, or timestamp[s] for "timestamp").
py::object DaysToArrow(const py::handle& days, const std::string& kind) {
  namespace arrow = ::gdprkit::internal::arrow;
  const arrow::DateKind k = ValueOrRaise(arrow::ParseDateKind(kind));
  const I32 in(days, "days", false);
  absl::StatusOr<arrow::ExportedArray> out;
  {
    py::gil_scoped_release release;
    out = arrow::ExportDays(in.view(), k);
  }
  return ToPython(ValueOrRaise(std::move(out)));
}

py::tuple EntryTuple(const DeletionLogEntry& e) {
  return py::make_tuple(e.seq, Str(e.deletion.record_id), Str(e.deletion.rule_id),
                        DateOrNone(e.deletion.due_date), e.deletion.deleted_at, e.hash, e.line);
}

py::dict VerificationDict(const DeletionLogVerification& v) {
  py::dict d;
  d["intact"] = v.intact;
  d["entries"] = v.entries;
  d["head"] = v.head;
  d["first_broken_entry"] = v.first_broken_entry;
  d["first_broken_line"] = v.first_broken_line;
  d["problem"] = Message(v.problem);
  d["log_id"] = v.log_id;
  d["keyed"] = v.keyed;
  return d;
}

struct LogHandle {
  std::unique_ptr<DeletionLog> log;
  DeletionLog& Get() const {
    if (log == nullptr) throw py::value_error("the deletion log is closed");
    return *log;
  }
};

// gdprkit::internal::ContainsCprLike of a str: its UTF-8, lone surrogates
// passed through (they count as other characters, never as an error).
bool ContainsCprLike(const py::handle& text) {
  if (!PyUnicode_Check(text.ptr())) {
    throw py::type_error("contains_cpr_like: expected str, not " +
                         std::string(Py_TYPE(text.ptr())->tp_name));
  }
  py::object utf8 = py::reinterpret_steal<py::object>(
      PyUnicode_AsEncodedString(text.ptr(), "utf-8", "surrogatepass"));
  if (!utf8) throw py::error_already_set();
  char* data = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(utf8.ptr(), &data, &size) != 0) throw py::error_already_set();
  return ::gdprkit::internal::ContainsCprLike(
      absl::string_view(data, static_cast<std::size_t>(size)));
}

}  // namespace

void RegisterRetention(py::module_& m) {
  m.attr("NO_DATE") = kNoDate;
  m.attr("WITHHELD_IDENTIFIER") = std::string(::gdprkit::internal::kWithheldIdentifier);
  m.def("contains_cpr_like", &ContainsCprLike, py::arg("text"),
        "True when the text holds anything that passes as a CPR number (the test of every "
        "gdprkit message and append-only store; src/common/redact.h).");
  m.attr("MIN_DATE") = kMinDate;
  m.attr("MAX_DATE") = kMaxDate;
  m.def(
      "add_period",
      [](const std::string& date, const std::string& period) {
        return ValueOrRaise(AddPeriod(date, period));
      },
      py::arg("date"), py::arg("period"), "Adds an ISO 8601 period to a date text.");
  m.def("add_period_days", &AddPeriodDays, py::arg("days"), py::arg("out"), py::arg("period"),
        "Adds a period to int32 day numbers into out: first bad index or -1.");
  m.def(
      "parse_period",
      [](const std::string& text) {
        const Period p = ValueOrRaise(ParsePeriod(text));
        return py::make_tuple(p.years, p.months, p.weeks, p.days);
      },
      py::arg("text"));
  m.def(
      "parse_date", [](const std::string& text) { return ValueOrRaise(ParseDate(text)); },
      py::arg("text"));
  m.def(
      "parse_datetime",
      [](const std::string& text, const std::string& zone) {
        return ValueOrRaise(ParseDateTime(text, zone));
      },
      py::arg("text"), py::arg("zone"));
  m.def("parse_dates", &ParseDates, py::arg("texts"), py::arg("zone"), py::arg("out"),
        "Parses texts (None: no date) into out: (first bad index or -1, message).");
  m.def(
      "format_date", [](DayNumber d) { return FormatDate(d); }, py::arg("day"));
  m.def("datetimes_to_days", &DatetimesToDays, py::arg("values"), py::arg("per_day"),
        py::arg("out"), "datetime64 as int64 to int32 days: first out-of-range index or -1.");
  m.def("arrow_days", &ArrowDays, py::arg("column"), py::arg("zone"), py::arg("what"),
        "An Arrow column of dates as int32 days: (kind, days, -1, '') or (kind, None, row, "
        "reason).");
  m.def("days_to_arrow", &DaysToArrow, py::arg("days"), py::arg("kind"),
        "int32 days (NO_DATE: null) as an Arrow date32 (or timestamp[s]) column.");
  m.def("split_dates", &SplitDates, py::arg("days"), py::arg("status"), py::arg("due_out"),
        py::arg("next_out"), "Sweep dates to datetime64[s] due_date and next_due columns.");
  m.def("retention_names", &RetentionNames,
        "{vocabulary: [name, ...]} for every enum of gdprkit/retention.h.");
  m.def("retention_titles", &RetentionTitles, py::arg("lang"),
        "{vocabulary: [title, ...]} in the language, in the order of retention_names().");

  py::class_<RecordsHandle>(m, "RetentionRecordsHandle",
                            "Records loaded by the core from columns (gdprkit::LoadRecords).");
  py::class_<ScheduleHandle>(m, "RetentionScheduleHandle",
                             "A compiled, immutable gdprkit::RetentionSchedule.")
      .def(py::init([](const PolicyHandle& p) {
             absl::StatusOr<RetentionSchedule> s = RetentionSchedule::FromPolicy(*p.policy);
             if (!s.ok()) Raise(s.status());
             return ScheduleHandle{std::make_shared<const RetentionSchedule>(*std::move(s))};
           }),
           py::arg("policy"))
      .def("rules",
           [](const ScheduleHandle& h) {
             py::list l;
             const auto events = h.schedule->events();
             auto pairs = [&](const std::vector<CompiledRetentionEvent>& v) {
               py::list out;
               for (const CompiledRetentionEvent& e : v) {
                 out.append(py::make_tuple(events[static_cast<std::size_t>(e.event)],
                                           e.period.ToString()));
               }
               return out;
             };
             for (const CompiledRetentionRule& r : h.schedule->rules()) {
               l.append(py::make_tuple(r.id, r.has_period ? r.period.ToString() : std::string(),
                                       events[static_cast<std::size_t>(r.anchor)], r.deletes(),
                                       r.keeps(), Str(RetentionActionName(r.action)),
                                       pairs(r.ends_early), pairs(r.extended_by)));
             }
             return l;
           })
      .def("events",
           [](const ScheduleHandle& h) {
             return std::vector<std::string>(h.schedule->events().begin(),
                                             h.schedule->events().end());
           })
      .def(
          "resolve",
          [](const ScheduleHandle& h, const std::string& text) {
            return ValueOrRaise(h.schedule->Resolve(text));
          },
          py::arg("text"))
      .def(
          "find_event",
          [](const ScheduleHandle& h, const std::string& name) {
            return ValueOrRaise(h.schedule->FindEvent(name));
          },
          py::arg("name"))
      .def("load", &LoadColumns, py::arg("selector_name"), py::arg("codes"), py::arg("values"),
           py::arg("events"), py::arg("hold_columns"), py::arg("hold_rows"), py::arg("hold_starts"),
           py::arg("hold_ends"))
      .def("sweep", &Sweep, py::arg("records"), py::arg("as_of"), py::arg("threads"),
           py::arg("max_errors"), py::arg("errors"), py::arg("progress"), py::arg("out_status"),
           py::arg("out_due"), py::arg("out_rule"), py::arg("out_anchor"), py::arg("out_reason"),
           py::arg("out_hold"))
      .def("explain", &Explain, py::arg("records"), py::arg("row"), py::arg("as_of"),
           py::arg("lang"));

  py::class_<LogHandle>(m, "DeletionLogHandle", "An open gdprkit::DeletionLog.")
      .def(py::init([](const std::string& path, const py::object& key, bool sync) {
             KeyView k(key);
             DeletionLogOptions options;
             options.key = k.view();
             options.sync = sync;
             absl::StatusOr<std::unique_ptr<DeletionLog>> log;
             {
               py::gil_scoped_release release;
               log = DeletionLog::Open(path, options);
             }
             if (!log.ok()) Raise(log.status(), &path);
             return LogHandle{*std::move(log)};
           }),
           py::arg("path"), py::arg("key"), py::arg("sync"))
      .def(
          "append_all",
          [](LogHandle& h, const std::vector<std::string>& record_ids,
             const std::vector<std::string>& rule_ids, const std::vector<DayNumber>& due,
             const std::vector<std::int64_t>& deleted_at) {
            const std::size_t n = record_ids.size();
            if (rule_ids.size() != n || due.size() != n || deleted_at.size() != n) {
              throw py::value_error("deletion columns differ in length");
            }
            DeletionLog& log = h.Get();
            std::vector<DeletionRecord> records(n);
            for (std::size_t i = 0; i < n; ++i) {
              records[i] = DeletionRecord{record_ids[i], rule_ids[i], due[i], deleted_at[i]};
            }
            absl::StatusOr<std::vector<DeletionLogEntry>> entries;
            {
              py::gil_scoped_release release;
              entries = log.AppendAll(records);
            }
            if (!entries.ok()) Raise(entries.status());
            py::list l;
            for (const DeletionLogEntry& e : *entries) l.append(EntryTuple(e));
            return l;
          },
          py::arg("record_ids"), py::arg("rule_ids"), py::arg("due"), py::arg("deleted_at"))
      .def("entries", [](const LogHandle& h) { return h.Get().entries(); })
      .def("head", [](const LogHandle& h) { return h.Get().head(); })
      .def("log_id", [](const LogHandle& h) { return h.Get().log_id(); })
      .def("path", [](const LogHandle& h) { return Str(h.Get().path()); })
      .def("close", [](LogHandle& h) { h.log.reset(); });

  m.def(
      "verify_deletion_log",
      [](const std::string& path, const py::object& key, const std::string& expected_head) {
        KeyView k(key);
        DeletionLogOptions options;
        options.key = k.view();
        absl::StatusOr<DeletionLogVerification> v;
        {
          py::gil_scoped_release release;
          v = VerifyDeletionLog(path, options, expected_head);
        }
        if (!v.ok()) Raise(v.status(), &path);
        return VerificationDict(*v);
      },
      py::arg("path"), py::arg("key"), py::arg("expected_head"));
  m.def(
      "read_deletion_log",
      [](const std::string& path, const py::object& key) {
        KeyView k(key);
        DeletionLogOptions options;
        options.key = k.view();
        absl::StatusOr<std::vector<DeletionLogEntry>> entries;
        {
          py::gil_scoped_release release;
          entries = ReadDeletionLog(path, options);
        }
        if (!entries.ok()) Raise(entries.status(), &path);
        py::list l;
        for (const DeletionLogEntry& e : *entries) l.append(EntryTuple(e));
        return l;
      },
      py::arg("path"), py::arg("key"));
}

}  // namespace python
}  // namespace gdprkit
