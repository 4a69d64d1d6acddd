// _gdprkit: Danish identifiers and the pseudonymisation vault.
//
// Thin, like the rest of the module: python/gdprkit/vault.py and
// identifiers.py hold the Pythonic API (argument checks, lists / NumPy /
// pandas in and out, docstrings). Columns cross as Python lists (or tuples)
// or 1-D NumPy object arrays of str / bytes / None: read once with the GIL
// held (no copy of ASCII str objects: their UTF-8 is the object's own
// buffer), the batch runs in C++ with the GIL released, and the result comes
// back in the same kind of container (a list, or an object array that pandas
// wraps without a copy), built from the core's contiguous StringColumn. No
// Python call per row.
//
// Secrets: passphrases and host keys arrive as bytes-like objects and go
// straight into the core's guarded memory (VaultOptions); nothing here keeps
// or prints them.
#include "gdprkit/vault.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <sodium.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "arrow.h"
#include "common.h"
#include "gdprkit/identifiers.h"

namespace gdprkit {
namespace python {

// Raises gdprkit.ArgumentTypeError (an InvalidArgumentError and a TypeError),
// or TypeError before the package registered it. Defined in module.cc, next
// to Raise().
[[noreturn]] void RaiseArgumentTypeError(const std::string& message);

namespace {

// A column of Python values as string views, valid while `keep` is alive and
// the GIL-holding caller keeps the list. None, float NaN and pandas.NA
// (missing values) become "" (rejected as empty).
struct InputColumn {
  py::object keep;  // the sequence (list/tuple/array) the views point into
  std::vector<std::string_view> views;
  bool array = false;  // a NumPy object array: give the result back as one
  // An Arrow column (src/common/arrow.h): the views point into its buffers
  // (a null row is an empty view, rejected as a missing value is), and the
  // result goes back as an ArrowColumn.
  bool arrow = false;
  internal::arrow::ImportedColumn imported;
};

// A 1-D NumPy array of Python objects (dtype object), or nullopt.
std::optional<py::array> ObjectArray(const py::handle& values) {
  if (!py::isinstance<py::array>(values)) return std::nullopt;
  py::array a = py::reinterpret_borrow<py::array>(values);
  if (a.ndim() != 1 || a.dtype().kind() != 'O') return std::nullopt;
  return a;
}

InputColumn ReadColumn(const py::handle& values, const char* what) {
  InputColumn in;
  if (IsArrow(values)) {  // the package sends only Arrow-backed columns here
    in.arrow = true;
    in.imported = ImportColumn(values, what);
    absl::Status s = internal::arrow::ReadText(in.imported, what, &in.views, nullptr);
    if (!s.ok()) Raise(s);
    return in;
  }
  Py_ssize_t n = 0;
  PyObject* const* items = nullptr;
  Py_ssize_t step = 1;  // in items
  if (std::optional<py::array> a = ObjectArray(values)) {
    in.array = true;
    n = a->shape(0);
    step = a->strides(0) / static_cast<Py_ssize_t>(sizeof(PyObject*));
    items = static_cast<PyObject* const*>(a->data());
    in.keep = std::move(*a);
  } else {
    PyObject* seq = PySequence_Fast(values.ptr(), "expected a list of str");
    if (seq == nullptr) {
      PyErr_Clear();
      RaiseArgumentTypeError(
          absl::StrCat(what, " must be a list of str, not ", Py_TYPE(values.ptr())->tp_name));
    }
    in.keep = py::reinterpret_steal<py::object>(seq);
    n = PySequence_Fast_GET_SIZE(seq);
    items = PySequence_Fast_ITEMS(seq);
  }
  in.views.resize(static_cast<std::size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* o = items[i * step];
    // The common case without a call (the macro reads str internals: check
    // the type first).
    if (o != nullptr && PyUnicode_Check(o) && PyUnicode_IS_COMPACT_ASCII(o)) {
      in.views[static_cast<std::size_t>(i)] =
          std::string_view(static_cast<const char*>(PyUnicode_DATA(o)),
                           static_cast<std::size_t>(PyUnicode_GET_LENGTH(o)));
    } else if (o == nullptr) {  // an object array's unset slot reads as None
      in.views[static_cast<std::size_t>(i)] = std::string_view();
    } else if (PyUnicode_Check(o)) {
      Py_ssize_t len = 0;
      const char* data = PyUnicode_AsUTF8AndSize(o, &len);
      if (data == nullptr) {
        // Lone surrogates: not UTF-8. Say where, not what.
        PyErr_Clear();
        Raise(absl::InvalidArgumentError(
            absl::StrCat(what, "[", i,
                         "] is not valid text: it holds a lone surrogate, which cannot be "
                         "encoded as UTF-8")));
      }
      in.views[static_cast<std::size_t>(i)] = std::string_view(data, static_cast<std::size_t>(len));
    } else if (PyBytes_Check(o)) {
      in.views[static_cast<std::size_t>(i)] =
          std::string_view(PyBytes_AS_STRING(o), static_cast<std::size_t>(PyBytes_GET_SIZE(o)));
    } else if (o == Py_None || (PyFloat_Check(o) && std::isnan(PyFloat_AS_DOUBLE(o))) ||
               std::strcmp(Py_TYPE(o)->tp_name, "NAType") == 0) {  // pandas.NA
      in.views[static_cast<std::size_t>(i)] = std::string_view();
    } else {
      RaiseArgumentTypeError(absl::StrCat(what, "[", i, "] is a ", Py_TYPE(o)->tp_name,
                                          ", not str (identifiers are text: keep leading "
                                          "zeros)"));
    }
  }
  return in;
}

// An ASCII-or-UTF-8 str from bytes the core produced (`ascii`: known to be
// ASCII, as pseudonyms and tokens are).
PyObject* NewStr(std::string_view s, bool known_ascii = false) {
  bool ascii = known_ascii;
  if (!ascii) {
    ascii = true;
    for (char c : s) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        ascii = false;
        break;
      }
    }
  }
  if (!ascii) {
    return PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "surrogateescape");
  }
  PyObject* o = PyUnicode_New(static_cast<Py_ssize_t>(s.size()), 127);
  if (o == nullptr) return nullptr;
  std::memcpy(PyUnicode_1BYTE_DATA(o), s.data(), s.size());
  return o;
}

// How ToColumn builds the result.
struct OutputShape {
  bool array = false;          // a NumPy object array instead of a list
  bool arrow = false;          // an ArrowColumn (rejected rows null)
  bool ascii = false;          // the values are known to be ASCII
  bool empty_is_none = false;  // an empty value becomes None
};

// A new result of n slots: a list (slots NULL) or a NumPy object array
// (numpy.empty fills it with None). *slots points at its items; whoever fills
// a slot releases what is there first (Py_XDECREF) and stores a new
// reference, before anyone else sees the result.
py::object NewResult(std::size_t n, bool array, PyObject*** slots) {
  if (array) {
    py::array a = py::module_::import("numpy").attr("empty")(n, "object");
    *slots = static_cast<PyObject**>(a.mutable_data());
    return std::move(a);
  }
  PyObject* list = PyList_New(static_cast<Py_ssize_t>(n));
  if (list == nullptr) throw py::error_already_set();
  *slots = PySequence_Fast_ITEMS(list);
  return py::reinterpret_steal<py::list>(list);
}

// The column as a list (or object array) of str; rows whose problem is not
// kNone become None.
py::object ToColumn(const StringColumn& column, const std::vector<IdProblem>* problems,
                    const OutputShape& shape) {
  const std::size_t n = column.size();
  if (shape.arrow) {
    std::vector<std::uint8_t> valid(n, 1);
    for (std::size_t i = 0; i < n; ++i) {
      if ((problems != nullptr && i < problems->size() && (*problems)[i] != IdProblem::kNone) ||
          (shape.empty_is_none && column[i].empty())) {
        valid[i] = 0;
      }
    }
    return ToPython(ValueOrRaise(internal::arrow::ExportText(column, &valid)));
  }
  PyObject** slots = nullptr;
  py::object out = NewResult(n, shape.array, &slots);
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* item;
    std::string_view v = column[i];
    if ((problems != nullptr && i < problems->size() && (*problems)[i] != IdProblem::kNone) ||
        (shape.empty_is_none && v.empty())) {
      Py_INCREF(Py_None);
      item = Py_None;
    } else {
      item = NewStr(v, shape.ascii);
      if (item == nullptr) throw py::error_already_set();
    }
    Py_XDECREF(slots[i]);  // the array's None (a new list's slots are NULL)
    slots[i] = item;
  }
  return out;
}

py::bytes ProblemBytes(const std::vector<IdProblem>& problems) {
  std::string b(problems.size(), '\0');
  for (std::size_t i = 0; i < problems.size(); ++i) b[i] = static_cast<char>(problems[i]);
  return py::bytes(b);
}

// A vocabulary of the core as a list of str.
std::vector<std::string> Names(const std::vector<std::string_view>& names) {
  return std::vector<std::string>(names.begin(), names.end());
}

IdKind KindFrom(int kind) {
  if (kind < 1 || kind > 6 || !IsKnownIdKind(static_cast<IdKind>(kind))) {
    Raise(absl::InvalidArgumentError(absl::StrCat("unknown identifier kind ", kind)));
  }
  return static_cast<IdKind>(kind);
}

// (cpr_require_modulus11, cpr_allow_replacement, pad_provider_number,
//  cpr_allow_future, (year, month, day) of cpr_as_of: (0, 0, 0) for today).
using OptionsTuple = std::tuple<bool, bool, bool, bool, std::tuple<int, int, int>>;

// The options of one call. An empty cpr_as_of becomes today's date here, once
// per call (the package checked a given date).
IdOptions IdOptionsFrom(const OptionsTuple& t) {
  IdOptions o;
  o.cpr_require_modulus11 = std::get<0>(t);
  o.cpr_allow_replacement = std::get<1>(t);
  o.pad_provider_number = std::get<2>(t);
  o.cpr_allow_future = std::get<3>(t);
  const auto& [year, month, day] = std::get<4>(t);
  o.cpr_as_of = IdDate{year, month, day};
  if (!o.cpr_as_of.empty() && !IsValidIdDate(o.cpr_as_of)) {
    Raise(absl::InvalidArgumentError("as_of is not a date of the years 1-9999"));
  }
  return ResolveCprAsOf(o);
}

// The vault object of the module: a shared_ptr so that a batch running
// without the GIL keeps the vault alive even if another thread closes it.
class VaultHandle {
 public:
  explicit VaultHandle(std::unique_ptr<Vault> v) : vault_(std::move(v)), path_(vault_->path()) {}

  std::shared_ptr<Vault> Get() const {
    std::shared_ptr<Vault> v = vault_;
    if (v == nullptr) {
      Raise(absl::FailedPreconditionError(absl::StrCat("the vault ", path_, " is closed")));
    }
    return v;
  }
  void Close() { vault_.reset(); }
  bool closed() const { return vault_ == nullptr; }
  const std::string& path() const { return path_; }

 private:
  std::shared_ptr<Vault> vault_;
  std::string path_;
};

std::unique_ptr<VaultHandle> OpenOrCreate(bool create, const std::string& path,
                                          const py::handle& secret, bool host_key,
                                          const std::string& kdf, const std::string& actor,
                                          bool create_if_missing, int busy_timeout_ms) {
  VaultOptions vo;
  vo.set_path(path).set_actor(actor).set_create_if_missing(create_if_missing);
  if (busy_timeout_ms > 0) vo.set_busy_timeout_ms(busy_timeout_ms);
  if (create || create_if_missing) vo.set_kdf_limits(ValueOrRaise(KdfLimits::FromName(kdf)));
  {
    TextView s(secret);
    if (host_key) {
      vo.set_host_key(s.view(), InsecureSecretAccess::Get());
    } else {
      vo.set_passphrase(s.view());
    }
  }
  absl::StatusOr<std::unique_ptr<Vault>> v;
  {
    py::gil_scoped_release release;  // Argon2id takes a second
    v = create ? Vault::Create(vo) : Vault::Open(vo);
  }
  if (!v.ok()) Raise(v.status(), &path);
  return std::make_unique<VaultHandle>(std::move(*v));
}

enum class BatchKind { kPseudonymize, kTokenize, kLookup };

// The core's PseudonymizeInto with the GIL released (buffers[i]: row i's
// pseudonym_size() bytes), the progress callback's exception re-raised.
BatchReport PseudonymizeWithoutGil(const Pseudonymizer& p, IdKind kind, const InputColumn& in,
                                   const std::vector<char*>& buffers, BatchOptions bo,
                                   const py::object& progress) {
  BatchReport report;
  PyProgress pp(progress);
  bo.progress = pp.fn();
  absl::Status s;
  {
    py::gil_scoped_release release;
    s = p.PseudonymizeInto(kind, in.views, buffers, bo, &report);
  }
  pp.Check();
  if (!s.ok()) Raise(s);
  return report;
}

// Pseudonyms into one Arrow buffer (an Arrow column in, an ArrowColumn out):
// the core reads the views of the caller's buffers and writes each pseudonym
// in its place in the result's data buffer; nothing per row in Python.
py::tuple PseudonymizeIntoArrow(const Pseudonymizer& p, IdKind kind, const InputColumn& in,
                                BatchOptions bo, const py::object& progress) {
  const std::size_t n = in.views.size();
  internal::arrow::FixedWidthTextBuilder builder(n, p.pseudonym_size());
  BatchReport report;
  if (n > 0) {
    std::vector<char*> buffers(n);
    for (std::size_t i = 0; i < n; ++i) buffers[i] = builder.data(i);
    report = PseudonymizeWithoutGil(p, kind, in, buffers, std::move(bo), progress);
    for (std::size_t i = 0; i < report.problems.size(); ++i) {
      if (report.problems[i] != IdProblem::kNone) builder.SetNull(i);
    }
  }
  py::object out = ToPython(ValueOrRaise(std::move(builder).Finish()));
  return py::make_tuple(out, ProblemBytes(report.problems));
}

// Pseudonyms straight into new str objects: they are made (all of one length)
// with the GIL held, filled by the core with the GIL released (nothing else
// can reach them yet), and rejected rows become None. No intermediate column:
// per million rows that saves ~40 MB of fresh memory and a copy. Shared by
// VaultHandle.pseudonymize (through Vault::NewPseudonymizer) and
// PseudonymizerHandle.pseudonymize (a key exported from a vault).
py::tuple PseudonymizeIntoStrs(const Pseudonymizer& p, IdKind kind, const InputColumn& in,
                               BatchOptions bo, const py::object& progress) {
  if (in.arrow) return PseudonymizeIntoArrow(p, kind, in, std::move(bo), progress);
  const std::size_t n = in.views.size();
  const Py_ssize_t size = static_cast<Py_ssize_t>(p.pseudonym_size());
  PyObject** slots = nullptr;
  py::object out = NewResult(n, in.array, &slots);
  std::vector<char*> buffers(n);
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* str = PyUnicode_New(size, 127);
    if (str == nullptr) throw py::error_already_set();
    Py_XDECREF(slots[i]);  // the array's None (a new list's slots are NULL)
    slots[i] = str;
    buffers[i] = reinterpret_cast<char*>(PyUnicode_1BYTE_DATA(str));
  }
  // An empty batch does not reach the core: PseudonymizeInto takes the null
  // data() of an empty span for "no slots" and writes to a null column.
  if (n == 0) return py::make_tuple(out, py::bytes());
  BatchReport report = PseudonymizeWithoutGil(p, kind, in, buffers, std::move(bo), progress);
  for (std::size_t i = 0; i < report.problems.size(); ++i) {
    if (report.problems[i] != IdProblem::kNone) {
      Py_INCREF(Py_None);
      Py_DECREF(slots[i]);
      slots[i] = Py_None;
    }
  }
  return py::make_tuple(out, ProblemBytes(report.problems));
}

py::tuple PseudonymizeIntoStrs(const Vault& v, const std::string& domain, IdKind kind,
                               const InputColumn& in, const BatchOptions& bo,
                               const py::object& progress) {
  absl::StatusOr<std::unique_ptr<Pseudonymizer>> made;
  {
    py::gil_scoped_release release;
    made = v.NewPseudonymizer(domain, bo.key_version);
  }
  if (!made.ok()) Raise(made.status());
  return PseudonymizeIntoStrs(**made, kind, in, bo, progress);
}

// BatchOptions of a batch from the module's arguments: `errors` is a name
// of the core's ErrorMode (the package passed it through
// _args.errors_mode). The progress callback is set by the caller.
BatchOptions BatchOptionsFrom(const std::string& errors, const OptionsTuple& id_options,
                              std::uint32_t key_version) {
  BatchOptions bo;
  bo.id_options = IdOptionsFrom(id_options);
  bo.errors = ValueOrRaise(ParseErrorMode(errors));
  bo.key_version = key_version;
  return bo;
}

py::bytes TokenProblemBytes(const std::vector<TokenProblem>& problems) {
  std::string b(problems.size(), '\0');
  for (std::size_t i = 0; i < problems.size(); ++i) b[i] = static_cast<char>(problems[i]);
  return py::bytes(b);
}

Language LanguageFrom(const std::string& name) { return ValueOrRaise(ParseLanguage(name)); }

// Wipes a std::string that held a secret (the exported key text).
void WipeString(std::string* s) {
  if (!s->empty()) sodium_memzero(&(*s)[0], s->size());
  s->clear();
}

// A Pseudonymizer made from an exported key (the PseudonymizerHandle class of
// the module). Immutable and safe to share between threads: the core's const
// methods are; the handle is kept alive by the caller during a call.
class PseudonymizerHandle {
 public:
  explicit PseudonymizerHandle(std::unique_ptr<Pseudonymizer> p) : p_(std::move(p)) {}
  const Pseudonymizer& get() const { return *p_; }

 private:
  std::shared_ptr<const Pseudonymizer> p_;
};

// ASCII whitespace around the text (a trailing newline from a key file) is
// not part of it.
std::string_view TrimSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Runs a batch: returns (values: list[str | None], problems: bytes).
py::tuple RunBatch(const VaultHandle& h, BatchKind what, const std::string& domain, int kind,
                   const py::handle& values, const std::string& errors,
                   const OptionsTuple& id_options, std::uint32_t key_version,
                   const py::object& progress) {
  std::shared_ptr<Vault> v = h.Get();
  const IdKind k = KindFrom(kind);
  InputColumn in = ReadColumn(values, "values");
  BatchOptions bo = BatchOptionsFrom(errors, id_options, key_version);
  if (what == BatchKind::kPseudonymize) {
    return PseudonymizeIntoStrs(*v, domain, k, in, bo, progress);
  }
  StringColumn out;
  BatchReport report;
  PyProgress pp(progress);
  bo.progress = pp.fn();
  absl::Status s;
  {
    py::gil_scoped_release release;
    switch (what) {
      case BatchKind::kPseudonymize:
        s = v->Pseudonymize(domain, k, in.views, &out, bo, &report);
        break;
      case BatchKind::kTokenize:
        s = v->Tokenize(domain, k, in.views, &out, bo, &report);
        break;
      case BatchKind::kLookup:
        s = v->LookupTokens(domain, k, in.views, &out, bo, &report);
        break;
    }
  }
  pp.Check();
  if (!s.ok()) Raise(s);
  OutputShape shape;
  shape.array = in.array;
  shape.arrow = in.arrow;
  shape.ascii = true;                                // pseudonyms and tokens
  shape.empty_is_none = what == BatchKind::kLookup;  // rows without a token
  py::object column = ToColumn(out, &report.problems, shape);
  return py::make_tuple(column, ProblemBytes(report.problems));
}

}  // namespace

std::shared_ptr<Vault> SharedVault(const py::handle& handle) {
  if (!py::isinstance<VaultHandle>(handle)) {
    throw py::type_error("vault= takes a gdprkit.Vault (an open vault), or None");
  }
  return handle.cast<const VaultHandle&>().Get();
}

void RegisterVault(py::module_& m) {
  m.def(
      "ids_check",
      [](int kind, const py::handle& values, const OptionsTuple& options) {
        const IdKind k = KindFrom(kind);
        const IdOptions io = IdOptionsFrom(options);
        InputColumn in = ReadColumn(values, "values");
        std::vector<IdProblem> problems;
        {
          py::gil_scoped_release release;
          CheckIds(k, in.views, &problems, io);
        }
        return ProblemBytes(problems);
      },
      py::arg("kind"), py::arg("values"), py::arg("options"));
  // errors: the core's ErrorMode by name; under "raise" the first rejected
  // row raises the core's message (IdProblemStatus: row, kind, why).
  m.def(
      "ids_normalize",
      [](int kind, const py::handle& values, const OptionsTuple& options,
         const std::string& errors) {
        const IdKind k = KindFrom(kind);
        const IdOptions io = IdOptionsFrom(options);
        const ErrorMode mode = ValueOrRaise(ParseErrorMode(errors));
        InputColumn in = ReadColumn(values, "values");
        std::vector<IdProblem> problems;
        StringColumn out;
        {
          py::gil_scoped_release release;
          NormalizeIds(k, in.views, &out, &problems, io);
        }
        if (mode == ErrorMode::kRaise) {
          for (std::size_t i = 0; i < problems.size(); ++i) {
            if (problems[i] == IdProblem::kNone) continue;
            out.SecureClear();
            Raise(IdProblemStatus(k, problems[i], static_cast<long long>(i)));
          }
        }
        OutputShape shape;
        shape.arrow = in.arrow;
        py::object column = ToColumn(out, &problems, shape);
        out.SecureClear();
        return py::make_tuple(column, ProblemBytes(problems));
      },
      py::arg("kind"), py::arg("values"), py::arg("options"), py::arg("errors") = "raise");
  // The vocabularies of identifiers and the vault, from the core's tables
  // (gdprkit/identifiers.h, src/vault/vocabulary.cc): the package lists and
  // parses names through these, never by copies of its own.
  m.def("id_kind_parse", [](const std::string& name) {
    return static_cast<int>(ValueOrRaise(IdKindFromName(name)));
  });
  m.def("id_kind_names", [] { return Names(IdKindNames()); });
  m.def("id_kind_label", [](int kind) { return std::string(IdKindLabel(KindFrom(kind))); });
  m.def("id_problem_codes", [] { return Names(IdProblemCodes()); });
  m.def("id_problem_parse", [](const std::string& code) {
    return static_cast<int>(ValueOrRaise(IdProblemFromCode(code)));
  });
  m.def("pseudonym_scheme_names", [] { return Names(PseudonymSchemeNames()); });
  m.def("translate_target_names", [] { return Names(TranslateTargetNames()); });
  m.def("kdf_cost_names", [] { return Names(KdfLimits::Names()); });
  m.def("audit_op_names", [] { return Names(AuditOpNames()); });
  m.def("key_state_names", [] { return Names(KeyStateNames()); });
  m.def("id_kind_name", [](int kind) { return std::string(IdKindName(KindFrom(kind))); });
  m.def("id_problem_code",
        [](int problem) { return std::string(IdProblemCode(static_cast<IdProblem>(problem))); });
  m.def(
      "id_problem_text",
      [](int kind, int problem, const std::string& lang) {
        return std::string(
            IdProblemText(KindFrom(kind), static_cast<IdProblem>(problem), LanguageFrom(lang)));
      },
      py::arg("kind"), py::arg("problem"), py::arg("lang") = "en");
  m.def("id_kind_title", [](int kind, const std::string& lang) {
    return std::string(IdKindTitle(KindFrom(kind), LanguageFrom(lang)));
  });
  m.def("token_problem_names", [] { return Names(TokenProblemNames()); });
  m.def("token_problem_title", [](const std::string& name, const std::string& lang) {
    return std::string(
        TokenProblemTitle(ValueOrRaise(ParseTokenProblem(name)), LanguageFrom(lang)));
  });
  m.def("key_state_title", [](const std::string& name, const std::string& lang) {
    return std::string(KeyStateTitle(ValueOrRaise(ParseKeyState(name)), LanguageFrom(lang)));
  });
  m.def("audit_op_title", [](const std::string& name, const std::string& lang) {
    return std::string(AuditOpTitle(ValueOrRaise(ParseAuditOp(name)), LanguageFrom(lang)));
  });
  m.def("cpr_info", [](const std::string& value, const OptionsTuple& options) -> py::object {
    char digits[10];
    CprInfo info;
    IdProblem p = CheckCpr(value, digits, &info, IdOptionsFrom(options));
    if (p != IdProblem::kNone) return py::int_(static_cast<int>(p));
    return py::make_tuple(info.year, info.month, info.day, info.replacement, info.modulus11,
                          info.female);
  });

  py::class_<VaultHandle>(m, "VaultHandle")
      .def_static(
          "create",
          [](const std::string& path, const py::handle& secret, bool host_key,
             const std::string& kdf, const std::string& actor, int busy_timeout_ms) {
            return OpenOrCreate(true, path, secret, host_key, kdf, actor, false, busy_timeout_ms);
          },
          py::arg("path"), py::arg("secret"), py::arg("host_key"), py::arg("kdf"), py::arg("actor"),
          py::arg("busy_timeout_ms"))
      .def_static(
          "open",
          [](const std::string& path, const py::handle& secret, bool host_key,
             const std::string& kdf, const std::string& actor, bool create_if_missing,
             int busy_timeout_ms) {
            return OpenOrCreate(false, path, secret, host_key, kdf, actor, create_if_missing,
                                busy_timeout_ms);
          },
          py::arg("path"), py::arg("secret"), py::arg("host_key"), py::arg("kdf"), py::arg("actor"),
          py::arg("create_if_missing"), py::arg("busy_timeout_ms"))
      .def("close", &VaultHandle::Close)
      .def_property_readonly("closed", &VaultHandle::closed)
      .def_property_readonly("path", [](const VaultHandle& h) { return Str(h.path()); })
      .def("create_domain",
           [](const VaultHandle& h, const std::string& name, const std::string& description,
              const std::string& scheme_name) {
             const PseudonymScheme scheme = ValueOrRaise(ParsePseudonymScheme(scheme_name));
             std::shared_ptr<Vault> v = h.Get();
             absl::Status s;
             {
               py::gil_scoped_release release;
               s = v->CreateDomain(name, description, scheme);
             }
             if (!s.ok()) Raise(s);
           })
      .def("list_domains",
           [](const VaultHandle& h) {
             std::shared_ptr<Vault> v = h.Get();
             auto domains = ValueOrRaise(v->ListDomains());
             py::list out;
             for (const DomainInfo& d : domains) {
               out.append(py::make_tuple(Str(d.name), Str(d.description),
                                         Str(std::string(PseudonymSchemeName(d.scheme))),
                                         d.key_version, d.created_unix, d.tokens));
             }
             return out;
           })
      .def_property_readonly("protection",
                             [](const VaultHandle& h) {
                               return std::string(VaultProtectionName(h.Get()->protection()));
                             })
      .def("pseudonymize",
           [](const VaultHandle& h, const std::string& domain, int kind, const py::handle& values,
              const std::string& errors, const OptionsTuple& o, std::uint32_t key_version,
              const py::object& progress) {
             return RunBatch(h, BatchKind::kPseudonymize, domain, kind, values, errors, o,
                             key_version, progress);
           })
      .def("export_pseudonym_key",
           [](const VaultHandle& h, const std::string& domain, const std::string& reason) {
             std::shared_ptr<Vault> v = h.Get();
             absl::StatusOr<std::string> r;
             {
               py::gil_scoped_release release;
               r = v->ExportPseudonymKey(domain, reason, InsecureSecretAccess::Get());
             }
             if (!r.ok()) Raise(r.status());
             // A str (immutable: Python cannot wipe it); the C++ copy is wiped.
             PyObject* text = NewStr(*r, /*known_ascii=*/true);
             WipeString(&*r);
             if (text == nullptr) throw py::error_already_set();
             return py::reinterpret_steal<py::str>(text);
           })
      .def("tokenize",
           [](const VaultHandle& h, const std::string& domain, int kind, const py::handle& values,
              const std::string& errors, const OptionsTuple& o, const py::object& progress) {
             return RunBatch(h, BatchKind::kTokenize, domain, kind, values, errors, o, 0, progress);
           })
      .def("lookup_tokens",
           [](const VaultHandle& h, const std::string& domain, int kind, const py::handle& values,
              const std::string& errors, const OptionsTuple& o, const py::object& progress) {
             return RunBatch(h, BatchKind::kLookup, domain, kind, values, errors, o, 0, progress);
           })
      .def("reidentify",
           [](const VaultHandle& h, const std::string& domain, const py::handle& tokens,
              const std::string& reason, const std::string& errors, const py::object& progress) {
             std::shared_ptr<Vault> v = h.Get();
             InputColumn in = ReadColumn(tokens, "tokens");
             BatchOptions bo;
             bo.errors = ValueOrRaise(ParseErrorMode(errors));
             PyProgress pp(progress);
             bo.progress = pp.fn();
             StringColumn out;
             std::vector<IdKind> kinds;
             BatchReport report;
             absl::Status s;
             {
               py::gil_scoped_release release;
               s = v->Reidentify(domain, in.views, reason, &out, &kinds, bo, &report);
             }
             pp.Check();
             if (!s.ok()) {
               out.SecureClear();
               Raise(s);
             }
             OutputShape shape;
             shape.array = in.array;
             shape.arrow = in.arrow;
             shape.empty_is_none = true;  // a rejected token
             py::object column = ToColumn(out, nullptr, shape);
             out.SecureClear();
             return py::make_tuple(column, TokenProblemBytes(report.token_problems));
           })
      .def("translate",
           [](const VaultHandle& h, const std::string& from, const std::string& to,
              const py::handle& tokens, const std::string& reason, const std::string& target_name,
              const std::string& errors, const py::object& progress) {
             // vault.py checks `to=`; this is the second line of defence.
             const TranslateTarget target = ValueOrRaise(ParseTranslateTarget(target_name));
             std::shared_ptr<Vault> v = h.Get();
             InputColumn in = ReadColumn(tokens, "tokens");
             BatchOptions bo;
             bo.errors = ValueOrRaise(ParseErrorMode(errors));
             PyProgress pp(progress);
             bo.progress = pp.fn();
             StringColumn out;
             BatchReport report;
             absl::Status s;
             {
               py::gil_scoped_release release;
               s = v->Translate(from, to, in.views, reason, target, &out, bo, &report);
             }
             pp.Check();
             if (!s.ok()) Raise(s);
             // Tokens and pseudonyms: ASCII; in the caller's kind of container.
             OutputShape shape;
             shape.array = in.array;
             shape.arrow = in.arrow;
             shape.ascii = true;
             shape.empty_is_none = true;  // a rejected token
             py::object column = ToColumn(out, nullptr, shape);
             return py::make_tuple(column, TokenProblemBytes(report.token_problems));
           })
      .def("erase",
           [](const VaultHandle& h, int kind, const std::string& identifier,
              const std::string& reason, const OptionsTuple& o) {
             std::shared_ptr<Vault> v = h.Get();
             const IdKind k = KindFrom(kind);
             const IdOptions io = IdOptionsFrom(o);
             absl::StatusOr<ErasureReport> r;
             {
               py::gil_scoped_release release;
               r = v->Erase(k, identifier, reason, io);
             }
             ErasureReport e = ValueOrRaise(std::move(r));
             return py::make_tuple(e.tokens_erased, e.domains_searched, e.wal_truncated);
           })
      .def("rotate",
           [](const VaultHandle& h, const std::string& reason, const py::object& progress) {
             std::shared_ptr<Vault> v = h.Get();
             PyProgress pp(progress);
             RekeyOptions o;
             o.progress = pp.fn();
             absl::StatusOr<std::uint32_t> r;
             {
               py::gil_scoped_release release;
               r = v->RotateKeys(reason, o);
             }
             pp.Check();
             return ValueOrRaise(std::move(r));
           })
      .def("rekey",
           [](const VaultHandle& h, const std::string& reason, const py::object& progress) {
             std::shared_ptr<Vault> v = h.Get();
             PyProgress pp(progress);
             RekeyOptions o;
             o.progress = pp.fn();
             absl::StatusOr<std::size_t> r;
             {
               py::gil_scoped_release release;
               r = v->Rekey(reason, o);
             }
             pp.Check();
             return ValueOrRaise(std::move(r));
           })
      .def("checkpoint",
           [](const VaultHandle& h, std::int64_t wait_ms) {
             std::shared_ptr<Vault> v = h.Get();
             absl::StatusOr<bool> r;
             {
               py::gil_scoped_release release;  // may wait for other connections' readers
               r = v->Checkpoint(absl::Milliseconds(wait_ms));
             }
             return ValueOrRaise(std::move(r));
           })
      .def("backup",
           [](const VaultHandle& h, const std::string& path) {
             std::shared_ptr<Vault> v = h.Get();
             absl::Status s;
             {
               py::gil_scoped_release release;  // copies and checks the whole file
               s = v->Backup(path);
             }
             if (!s.ok()) Raise(s, &path);
           })
      .def("verify_audit",
           [](const VaultHandle& h) {
             std::shared_ptr<Vault> v = h.Get();
             absl::StatusOr<AuditVerification> r;
             {
               py::gil_scoped_release release;
               r = v->VerifyAudit();
             }
             AuditVerification a = ValueOrRaise(std::move(r));
             return py::make_tuple(a.entries, a.head_hex);
           })
      .def("read_audit", [](const VaultHandle& h, std::uint64_t from_seq, std::size_t limit) {
        std::shared_ptr<Vault> v = h.Get();
        auto records = ValueOrRaise(v->ReadAudit(from_seq, limit));
        py::list out;
        for (const AuditRecord& r : records) {
          out.append(py::make_tuple(r.seq, r.time_unix_micros, std::string(AuditOpName(r.op)),
                                    Str(r.actor), Str(r.domain), Str(r.target_domain),
                                    Str(r.reason), r.count, r.key_version, r.chain_hex));
        }
        return out;
      });

  // Pseudonyms from an exported key, without the vault (gdprkit/vault.py's
  // Pseudonymizer). The key text arrives as a bytes-like object (vault.py
  // wipes its bytearray copy) and goes straight into the core's guarded
  // memory; a malformed text gives InvalidArgument without the text.
  py::class_<PseudonymizerHandle>(m, "PseudonymizerHandle")
      .def_static(
          "from_exported_key",
          [](const py::handle& text) {
            absl::StatusOr<std::unique_ptr<Pseudonymizer>> p;
            {
              TextView t(text);
              std::string_view view = TrimSpace(t.view());
              py::gil_scoped_release release;
              p = Pseudonymizer::FromExportedKey(view, InsecureSecretAccess::Get());
            }
            if (!p.ok()) Raise(p.status());
            return std::make_unique<PseudonymizerHandle>(std::move(*p));
          },
          py::arg("text"))
      .def_property_readonly("domain",
                             [](const PseudonymizerHandle& h) { return Str(h.get().domain()); })
      .def_property_readonly("key_version",
                             [](const PseudonymizerHandle& h) { return h.get().key_version(); })
      .def_property_readonly("scheme",
                             [](const PseudonymizerHandle& h) {
                               return std::string(PseudonymSchemeName(h.get().scheme()));
                             })
      .def(
          "pseudonymize",
          [](const PseudonymizerHandle& h, int kind, const py::handle& values,
             const std::string& errors, const OptionsTuple& o, const py::object& progress) {
            const IdKind k = KindFrom(kind);
            InputColumn in = ReadColumn(values, "values");
            return PseudonymizeIntoStrs(h.get(), k, in, BatchOptionsFrom(errors, o, 0), progress);
          },
          py::arg("kind"), py::arg("values"), py::arg("errors"), py::arg("options"),
          py::arg("progress") = py::none());
}

}  // namespace python
}  // namespace gdprkit
