// _gdprkit: the release gate (gdprkit/release.h).
//
// Thin: python/gdprkit/release.py holds the API (pandas in and out, the
// result objects, displays, docstrings). A frame crosses column by column,
// one call per column and no Python object per row: text as its distinct
// labels (a list of str) and one int32 code per row (-1: missing), as
// pandas.factorize gives them; numbers as float64 (NaN: missing); dates as
// int32 day numbers (kNoDate: missing). Each array is copied once into the
// core's FrameColumn. Check, prepare, the digests and the log run with the
// GIL released. Results are counts, names and the released frame, never a
// suppressed value (the core's prepared frame holds none).
#include "gdprkit/release.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common.h"
#include "common/text.h"
#include "gdprkit/identifiers.h"

namespace gdprkit {
namespace python {

namespace {

// A frame being built or returned (the ReleaseFrame class of the module).
struct FrameHandle {
  Frame frame;
};

template <typename T>
std::vector<T> CopyArray(const py::array_t<T, py::array::c_style | py::array::forcecast>& a,
                         const std::string& column) {
  if (a.ndim() != 1) {
    Raise(absl::InvalidArgumentError(
        absl::StrCat("column ", internal::QuoteUntrusted(column), ": expected a 1-D array")));
  }
  std::vector<T> out(static_cast<std::size_t>(a.shape(0)));
  if (!out.empty()) std::memcpy(out.data(), a.data(), out.size() * sizeof(T));
  return out;
}

// Labels from a list of str; a label that is not valid UTF-8 (a lone
// surrogate) is named by column and index, never by its text.
std::vector<std::string> LabelsFrom(const py::list& labels, const std::string& column) {
  std::vector<std::string> out;
  out.reserve(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    PyObject* o = labels[i].ptr();
    if (!PyUnicode_Check(o)) {
      Raise(absl::InvalidArgumentError(absl::StrCat("column ", internal::QuoteUntrusted(column),
                                                    ": label ", i, " is not a str")));
    }
    Py_ssize_t len = 0;
    const char* data = PyUnicode_AsUTF8AndSize(o, &len);
    if (data == nullptr) {
      PyErr_Clear();
      Raise(absl::InvalidArgumentError(
          absl::StrCat("column ", internal::QuoteUntrusted(column), ": label ", i,
                       " holds a lone surrogate, which is not text (not UTF-8)")));
    }
    out.emplace_back(data, static_cast<std::size_t>(len));
  }
  return out;
}

// One column of a frame for Python: (name, type name, payload) where the
// payload is (labels, codes) for text, a float64 array for numbers, an int32
// array of day numbers for dates.
py::tuple ColumnOut(const FrameColumn& c) {
  py::object payload;
  switch (c.type) {
    case FrameColumnType::kText: {
      py::list labels(c.labels.size());
      for (std::size_t i = 0; i < c.labels.size(); ++i) labels[i] = Str(c.labels[i]);
      py::array_t<std::int32_t> codes(static_cast<py::ssize_t>(c.codes.size()));
      if (!c.codes.empty()) {
        std::memcpy(codes.mutable_data(), c.codes.data(), c.codes.size() * sizeof(std::int32_t));
      }
      payload = py::make_tuple(labels, codes);
      break;
    }
    case FrameColumnType::kNumber: {
      py::array_t<double> numbers(static_cast<py::ssize_t>(c.numbers.size()));
      if (!c.numbers.empty()) {
        std::memcpy(numbers.mutable_data(), c.numbers.data(), c.numbers.size() * sizeof(double));
      }
      payload = numbers;
      break;
    }
    case FrameColumnType::kDate: {
      py::array_t<std::int32_t> days(static_cast<py::ssize_t>(c.days.size()));
      if (!c.days.empty()) {
        std::memcpy(days.mutable_data(), c.days.data(), c.days.size() * sizeof(DayNumber));
      }
      payload = days;
      break;
    }
  }
  return py::make_tuple(Str(c.name), Str(FrameColumnTypeName(c.type)), payload);
}

// The options of check and prepare from the package's plain values.
void FillOptions(ReleaseOptions* o, std::int32_t on, std::uint32_t kinds, const std::string& lang,
                 const std::string& base_dir) {
  o->on = on;
  for (unsigned k = 0; k < 32; ++k) {
    if ((kinds >> k) & 1u) o->scan_kinds.Add(static_cast<IdKind>(k));
  }
  o->language = ValueOrRaise(ParseLanguage(lang));
  o->base_dir = base_dir;
}

py::tuple FindingOut(const ReleaseFinding& f) {
  return py::make_tuple(Str(ReleaseProblemName(f.problem)), Str(f.column), Str(IdKindName(f.kind)),
                        f.rows, f.cells, Message(f.message));
}

py::dict CheckOut(const ReleaseCheck& c) {
  py::dict d;
  d["release"] = Str(c.release);
  d["passed"] = c.passed;
  d["rows"] = c.rows;
  py::list findings;
  for (const ReleaseFinding& f : c.findings) findings.append(FindingOut(f));
  d["findings"] = findings;
  return d;
}

py::object DayOut(DayNumber day) {
  if (day == kNoDate) return py::none();
  return py::int_(day);
}

py::dict ReportOut(const ReleaseReport& r) {
  py::dict d;
  d["release"] = Str(r.release);
  d["title"] = Str(r.title);
  d["purpose"] = Str(r.purpose);
  d["policy_digest"] = Str(r.policy_digest);
  d["on"] = DayOut(r.on);
  d["table"] = r.table;
  d["rows_in"] = r.rows_in;
  d["rows_too_old"] = r.rows_too_old;
  d["rows_missing_date"] = r.rows_missing_date;
  py::list dropped;
  for (const std::string& c : r.columns_dropped) dropped.append(Str(c));
  d["columns_dropped"] = dropped;
  d["values_pseudonymised"] = r.values_pseudonymised;
  d["values_generalised"] = r.values_generalised;
  d["identifiers_redacted"] = r.identifiers_redacted;
  d["cells"] = r.cells;
  d["cells_primary"] = r.cells_primary;
  d["cells_secondary"] = r.cells_secondary;
  d["audit_passed"] = r.audit_passed;
  d["audit_text"] = Message(r.audit_text);
  d["k"] = r.k;
  d["values_suppressed"] = r.values_suppressed;
  d["rows_withheld"] = r.rows_withheld;
  d["smallest_group"] = r.smallest_group;
  d["rows_out"] = r.rows_out;
  d["content_digest"] = Str(r.content_digest);
  d["check"] = CheckOut(r.check);
  d["log_seq"] = r.log_seq;
  d["log_hash"] = Str(r.log_hash);
  return d;
}

py::dict EntryOut(const ReleaseLogEntry& e) {
  py::dict d;
  d["seq"] = e.seq;
  d["released_at"] = e.released_at;
  d["release"] = Str(e.release);
  d["policy_digest"] = Str(e.policy_digest);
  d["content_digest"] = Str(e.content_digest);
  d["on"] = DayOut(e.on);
  d["table"] = e.table;
  d["audit_passed"] = e.audit_passed;
  d["rows_in"] = e.rows_in;
  d["rows_dropped"] = e.rows_dropped;
  d["rows_out"] = e.rows_out;
  d["cells_suppressed"] = e.cells_suppressed;
  d["values_suppressed"] = e.values_suppressed;
  d["rows_withheld"] = e.rows_withheld;
  d["hash"] = Str(e.hash);
  d["line"] = e.line;
  return d;
}

py::dict VerificationOut(const ReleaseLogVerification& v) {
  py::dict d;
  d["intact"] = v.intact;
  d["entries"] = v.entries;
  d["head"] = Str(v.head);
  d["first_broken_entry"] = v.first_broken_entry;
  d["first_broken_line"] = v.first_broken_line;
  d["problem"] = Message(v.problem);
  d["log_id"] = Str(v.log_id);
  d["keyed"] = v.keyed;
  return d;
}

// Log options: the key (bytes-like or None) is viewed for the duration of
// the call; the core copies it into guarded memory.
struct LogOptions {
  std::optional<TextView> key;
  ReleaseLogOptions options;

  LogOptions(const py::object& key_obj, bool sync) {
    if (!key_obj.is_none()) {
      key.emplace(key_obj);
      options.key = key->view();
    }
    options.sync = sync;
  }
};

// An open release log (the ReleaseLogHandle class of the module).
struct LogHandle {
  std::shared_ptr<ReleaseLog> log;

  ReleaseLog& Get() const {
    if (log == nullptr) Raise(absl::FailedPreconditionError("the release log is closed"));
    return *log;
  }
};

}  // namespace

void RegisterRelease(py::module_& m) {
  py::class_<FrameHandle>(m, "ReleaseFrame", "A gdprkit::Frame being built or returned.")
      .def(py::init<>())
      .def(
          "add_labels",
          [](FrameHandle& h, const std::string& name, const py::list& labels,
             const py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>& codes) {
            std::vector<std::string> l = LabelsFrom(labels, name);
            std::vector<std::int32_t> c = CopyArray(codes, name);
            h.frame.columns.push_back(FrameColumn::Labels(name, std::move(l), std::move(c)));
          },
          py::arg("name"), py::arg("labels"), py::arg("codes"))
      .def(
          "add_numbers",
          [](FrameHandle& h, const std::string& name,
             const py::array_t<double, py::array::c_style | py::array::forcecast>& numbers) {
            h.frame.columns.push_back(FrameColumn::Numbers(name, CopyArray(numbers, name)));
          },
          py::arg("name"), py::arg("numbers"))
      .def(
          "add_days",
          [](FrameHandle& h, const std::string& name,
             const py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>& days) {
            h.frame.columns.push_back(FrameColumn::Days(name, CopyArray(days, name)));
          },
          py::arg("name"), py::arg("days"))
      .def("rows", [](const FrameHandle& h) { return h.frame.rows(); })
      .def(
          "validate",
          [](const FrameHandle& h, bool allow_empty) {
            absl::Status s;
            {
              py::gil_scoped_release release;
              s = ValidateFrame(h.frame, allow_empty);
            }
            if (!s.ok()) Raise(s);
          },
          py::arg("allow_empty") = false)
      .def("columns",
           [](const FrameHandle& h) {
             py::list out;
             for (const FrameColumn& c : h.frame.columns) out.append(ColumnOut(c));
             return out;
           })
      // Per row the canonical text of column `index` (None: missing), as
      // the core's FormatFrameValue writes it.
      .def(
          "canonical_texts",
          [](const FrameHandle& h, std::size_t index) {
            if (index >= h.frame.columns.size()) {
              Raise(absl::OutOfRangeError(absl::StrCat("column index ", index, " is past the ",
                                                       h.frame.columns.size(), " columns")));
            }
            const FrameColumn& c = h.frame.columns[index];
            py::list out(c.rows());
            for (std::size_t row = 0; row < c.rows(); ++row) {
              if (c.missing(row)) {
                out[row] = py::none();
              } else {
                out[row] = Str(FormatFrameValue(c, row));
              }
            }
            return out;
          },
          py::arg("index"));

  m.def("release_frame_type_names", [] {
    py::list out;
    for (std::string_view n : FrameColumnTypeNames()) out.append(Str(n));
    return out;
  });
  m.def("release_problem_names", [] {
    py::list out;
    for (std::string_view n : ReleaseProblemNames()) out.append(Str(n));
    return out;
  });
  m.def(
      "release_problem_title",
      [](const std::string& name, const std::string& lang) {
        const ReleaseProblem p = ValueOrRaise(ParseReleaseProblem(name));
        return Str(ReleaseProblemTitle(p, ValueOrRaise(ParseLanguage(lang))));
      },
      py::arg("name"), py::arg("lang"));

  m.def(
      "release_content_digest",
      [](const FrameHandle& h) {
        absl::StatusOr<std::string> d;
        {
          py::gil_scoped_release release;
          d = ContentDigest(h.frame);
        }
        return Str(ValueOrRaise(std::move(d)));
      },
      py::arg("frame"));

  m.def(
      "release_group_sizes",
      [](const FrameHandle& h, const std::vector<std::string>& columns) {
        absl::StatusOr<std::vector<std::int64_t>> sizes;
        {
          py::gil_scoped_release release;
          sizes = GroupSizes(h.frame, columns);
        }
        std::vector<std::int64_t> s = ValueOrRaise(std::move(sizes));
        py::array_t<std::int64_t> out(static_cast<py::ssize_t>(s.size()));
        if (!s.empty()) std::memcpy(out.mutable_data(), s.data(), s.size() * sizeof(std::int64_t));
        return out;
      },
      py::arg("frame"), py::arg("columns"));

  m.def(
      "release_policy_digest", [](const PolicyHandle& p) { return Str(PolicyDigest(*p.policy)); },
      py::arg("policy"));

  // (dict of ReleaseCheck). on: a day number or kNoDate (today); kinds: a
  // bit per IdKind number (0: the scanner's defaults).
  m.def(
      "release_check",
      [](const PolicyHandle& p, const std::string& release_id, const FrameHandle& h,
         std::int32_t on, std::uint32_t kinds, const std::string& lang, const std::string& base_dir,
         py::object progress) {
        ReleaseOptions o;
        FillOptions(&o, on, kinds, lang, base_dir);
        PyProgress pr(std::move(progress));
        o.progress = pr.fn();
        absl::StatusOr<ReleaseCheck> c;
        {
          py::gil_scoped_release release;
          c = CheckRelease(*p.policy, release_id, h.frame, o);
        }
        pr.Check();
        return CheckOut(ValueOrRaise(std::move(c)));
      },
      py::arg("policy"), py::arg("release"), py::arg("frame"), py::arg("on"), py::arg("kinds"),
      py::arg("lang"), py::arg("base_dir"), py::arg("progress"));

  // The columns whose values prepare reads (PrepareInputColumns).
  m.def(
      "release_prepare_input_columns",
      [](const PolicyHandle& p, const std::string& release_id) {
        return ValueOrRaise(PrepareInputColumns(*p.policy, release_id));
      },
      py::arg("policy"), py::arg("release"));

  // (ReleaseFrame, dict of ReleaseReport). vault: a VaultHandle or None;
  // log: a ReleaseLogHandle or None; suppress: method, cost, time limit
  // (seconds), effort; released_at: seconds since the epoch, 0: now.
  m.def(
      "release_prepare",
      [](const PolicyHandle& p, const std::string& release_id, const FrameHandle& h,
         std::int32_t on, std::uint32_t kinds, const std::string& lang, const std::string& base_dir,
         const py::object& vault, const py::object& log, const std::string& method,
         const std::string& cost, double time_limit, int effort, std::int64_t released_at,
         py::object progress) {
        PrepareOptions o;
        FillOptions(&o, on, kinds, lang, base_dir);
        o.suppress.method = ValueOrRaise(ParseSecondaryMethod(method));
        o.suppress.cost = ValueOrRaise(ParseCostModel(cost));
        o.suppress.time_limit_seconds = time_limit;
        o.suppress.effort = effort;
        o.released_at = released_at;
        std::shared_ptr<Vault> v;
        if (!vault.is_none()) {
          v = SharedVault(vault);
          o.vault = v.get();
        }
        std::shared_ptr<ReleaseLog> keep_log;
        if (!log.is_none()) {
          keep_log = log.cast<const LogHandle&>().log;
          if (keep_log == nullptr)
            Raise(absl::FailedPreconditionError("the release log is closed"));
          o.log = keep_log.get();
        }
        PyProgress pr(std::move(progress));
        o.progress = pr.fn();
        absl::StatusOr<PreparedRelease> r;
        {
          py::gil_scoped_release release;
          r = PrepareRelease(*p.policy, release_id, h.frame, o);
        }
        pr.Check();
        PreparedRelease prepared = ValueOrRaise(std::move(r));
        auto out = std::make_unique<FrameHandle>();
        out->frame = std::move(prepared.frame);
        py::dict report = ReportOut(prepared.report);
        return py::make_tuple(py::cast(std::move(out)), report);
      },
      py::arg("policy"), py::arg("release"), py::arg("frame"), py::arg("on"), py::arg("kinds"),
      py::arg("lang"), py::arg("base_dir"), py::arg("vault"), py::arg("log"), py::arg("method"),
      py::arg("cost"), py::arg("time_limit"), py::arg("effort"), py::arg("released_at"),
      py::arg("progress"));

  py::class_<LogHandle>(m, "ReleaseLogHandle", "An open gdprkit::ReleaseLog.")
      .def(py::init([](const std::string& path, const py::object& key, bool sync) {
             LogOptions lo(key, sync);
             absl::StatusOr<std::unique_ptr<ReleaseLog>> log;
             {
               py::gil_scoped_release release;
               log = ReleaseLog::Open(path, lo.options);
             }
             if (!log.ok()) Raise(log.status(), &path);
             return LogHandle{std::shared_ptr<ReleaseLog>(std::move(*log))};
           }),
           py::arg("path"), py::arg("key"), py::arg("sync"))
      .def("close", [](LogHandle& h) { h.log.reset(); })
      .def_property_readonly("closed", [](const LogHandle& h) { return h.log == nullptr; })
      .def("path", [](const LogHandle& h) { return Str(h.Get().path()); })
      .def("log_id", [](const LogHandle& h) { return Str(h.Get().log_id()); })
      .def("entries", [](const LogHandle& h) { return h.Get().entries(); })
      .def("head", [](const LogHandle& h) { return Str(h.Get().head()); });

  m.def(
      "release_log_verify",
      [](const std::string& path, const py::object& key, const std::string& expected_head) {
        LogOptions lo(key, true);
        absl::StatusOr<ReleaseLogVerification> v;
        {
          py::gil_scoped_release release;
          v = VerifyReleaseLog(path, lo.options, expected_head);
        }
        return VerificationOut(ValueOrRaise(std::move(v), &path));
      },
      py::arg("path"), py::arg("key"), py::arg("expected_head"));

  m.def(
      "release_log_read",
      [](const std::string& path, const py::object& key) {
        LogOptions lo(key, true);
        absl::StatusOr<std::vector<ReleaseLogEntry>> entries;
        {
          py::gil_scoped_release release;
          entries = ReadReleaseLog(path, lo.options);
        }
        py::list out;
        for (const ReleaseLogEntry& e : ValueOrRaise(std::move(entries), &path)) {
          out.append(EntryOut(e));
        }
        return out;
      },
      py::arg("path"), py::arg("key"));
}

}  // namespace python
}  // namespace gdprkit
