// _gdprkit: the private pybind11 extension under the `gdprkit` package.
//
// Thin by design (like re2's _re2): it converts between C++ and Python types
// and turns absl::Status into exceptions; the law lives in the core and the
// Pythonic API (dataclasses, pandas, argument checking, documentation) in
// python/gdprkit/*.py. Nothing here is public: the package may change this
// module in any release.
//
// Conventions of this module:
//   - records cross as dicts (keys = the field names of the matching dataclass
//     in python/gdprkit/policy.py) or tuples; enums cross as lower-case names;
//   - text inputs are taken through the buffer protocol (bytes, bytearray,
//     memoryview) without a copy, and the GIL is released around parsing,
//     validation and the rights matrix, which are pure C++ on an immutable
//     Policy;
//   - every failing absl::Status becomes the exception that
//     gdprkit._errors registered for its code (_register_errors); until
//     registration (only when this module is imported on its own) a
//     RuntimeError naming the code is raised.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "arrow.h"
#include "common.h"
#include "common/status_names.h"
#include "common/text.h"
#include "gdprkit.h"  // GDPRKIT_VERSION only; this module links the C++ core.
#include "gdprkit/basis.h"
#include "gdprkit/common.h"
#include "gdprkit/policy.h"
#include "gdprkit/retention.h"

namespace gdprkit {
namespace python {
namespace {

// ---------------------------------------------------------------------------
// Strings and errors.
// ---------------------------------------------------------------------------

// The factory gdprkit._errors registered: factory(code: int, message: str,
// filename: str | None) -> BaseException. A new reference, intentionally
// leaked: it must outlive every call, including those during shutdown.
PyObject* g_error_factory = nullptr;
// gdprkit.ArgumentTypeError, registered with the factory; the same lifetime.
PyObject* g_argument_type_error = nullptr;

void RegisterErrors(py::object factory, py::object argument_type_error) {
  if (!PyCallable_Check(factory.ptr())) {
    throw py::type_error("_register_errors: the factory must be callable");
  }
  if (!argument_type_error.is_none() &&
      (!PyType_Check(argument_type_error.ptr()) ||
       !PyType_IsSubtype(reinterpret_cast<PyTypeObject*>(argument_type_error.ptr()),
                         reinterpret_cast<PyTypeObject*>(PyExc_TypeError)))) {
    throw py::type_error("_register_errors: argument_type_error must be a TypeError subclass");
  }
  PyObject* old = g_error_factory;
  g_error_factory = factory.release().ptr();
  Py_XDECREF(old);
  old = g_argument_type_error;
  g_argument_type_error =
      argument_type_error.is_none() ? nullptr : argument_type_error.release().ptr();
  Py_XDECREF(old);
}

}  // namespace

namespace {

// Sets gdprkit.ArgumentTypeError (an InvalidArgumentError and a TypeError)
// with `message` as the Python error; a plain TypeError until the package
// has registered the class.
void SetArgumentTypeError(const std::string& message) {
  if (g_argument_type_error == nullptr) {
    PyErr_SetString(PyExc_TypeError, message.c_str());
    return;
  }
  py::str text = Message(message);
  PyErr_SetObject(g_argument_type_error, text.ptr());
}

}  // namespace

// Declared [[noreturn]] where it is used (vault.cc).
[[noreturn]] void RaiseArgumentTypeError(const std::string& message) {
  SetArgumentTypeError(message);
  throw py::error_already_set();
}

// Raises the Python exception for a failed status. `filename` is given by the
// calls that open a file, so the error can also be an OSError for it.
void Raise(const absl::Status& status, const std::string* filename) {
  const int code = static_cast<int>(status.code());
  // Debian's Abseil has its own absl::string_view, not std::string_view.
  const std::string_view text(status.message().data(), status.message().size());
  py::str message = Message(text);
  if (g_error_factory != nullptr) {
    py::object factory = py::reinterpret_borrow<py::object>(g_error_factory);
    py::object name = filename != nullptr ? py::object(Str(*filename)) : py::object(py::none());
    py::object exc = factory(code, message, name);
    if (!PyExceptionInstance_Check(exc.ptr())) {
      throw py::type_error("the registered error factory did not return an exception");
    }
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
    throw py::error_already_set();
  }
  throw std::runtime_error(absl::StatusCodeToString(status.code()) + ": " + std::string(text));
}

namespace {

PolicyFormat FormatFromInt(int format) {
  // The core refuses codes it does not know with InvalidArgument; values
  // beyond the enum's 8 bits would wrap, so they are mapped to one it refuses.
  if (format < 0 || format > 255) return static_cast<PolicyFormat>(255);
  return static_cast<PolicyFormat>(format);
}

// ---------------------------------------------------------------------------
// Enums and flags to names: the core's (gdprkit/basis.h, gdprkit/policy.h).
// ---------------------------------------------------------------------------

py::str Name(std::string_view name) { return Str(name); }

py::list Names(const std::vector<std::string_view>& names) {
  py::list out;
  for (std::string_view n : names) out.append(Str(n));
  return out;
}

// BasisEffect bits as names, in the order of the enum.
py::tuple EffectNames(std::uint32_t effects) {
  return py::tuple(Names(BasisEffectNamesOf(effects)));
}

// Every vocabulary of the policy area, by the name the package uses for it:
// {"severity": ["info", "warning", "error"], ...}.
py::dict PolicyNames() {
  py::dict d;
  d["policy_format"] = Names(PolicyFormatNames());
  d["severity"] = Names(SeverityNames());
  d["recipient_kind"] = Names(RecipientKindNames());
  d["erasure_exception"] = Names(ErasureExceptionNames());
  d["controller_role"] = Names(ControllerRoleNames());
  d["retention_action"] = Names(RetentionActionNames());
  d["basis_kind"] = Names(BasisKindNames());
  d["basis_effect"] = Names(BasisEffectNames());
  d["category_flag"] = Names(CategoryFlagNames());
  return d;
}

py::tuple Strings(const std::vector<std::string>& v) {
  py::tuple out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = Str(v[i]);
  return out;
}

// ---------------------------------------------------------------------------
// Records to dicts.
// ---------------------------------------------------------------------------

py::dict ToDict(const Recipient& r) {
  py::dict d;
  d["name"] = Str(r.name);
  d["kind"] = Name(RecipientKindName(r.kind));
  d["country"] = Str(r.country);
  d["transfer_basis"] = Str(r.transfer_basis);
  d["purpose"] = Str(r.purpose);
  return d;
}

py::dict ToDict(const AccessGrant& g) {
  py::dict d;
  d["team"] = Str(g.team);
  d["roles"] = Strings(g.roles);
  return d;
}

py::dict ToDict(const Source& s) {
  py::dict d;
  d["name"] = Str(s.name);
  d["from_data_subject"] = s.from_data_subject;
  return d;
}

py::dict ToDict(const Purpose& p) {
  py::dict d;
  d["id"] = Str(p.id);
  d["title"] = Str(p.title);
  d["description"] = Str(p.description);
  d["categories"] = Strings(p.categories);
  d["data_subjects"] = Strings(p.data_subjects);
  d["basis"] = Strings(p.basis);
  py::list recipients;
  for (const Recipient& r : p.recipients) recipients.append(ToDict(r));
  d["recipients"] = recipients;
  py::list access;
  for (const AccessGrant& g : p.access) access.append(ToDict(g));
  d["access"] = access;
  d["retention"] = Str(p.retention);
  if (p.legitimate_interest) {
    py::dict b;
    b["interest"] = Str(p.legitimate_interest->interest);
    b["assessment"] = Str(p.legitimate_interest->assessment);
    b["safeguards"] = Strings(p.legitimate_interest->safeguards);
    d["legitimate_interest"] = b;
  } else {
    d["legitimate_interest"] = py::none();
  }
  if (p.consent) {
    py::dict c;
    c["record"] = Str(p.consent->record);
    c["withdrawal"] = Str(p.consent->withdrawal);
    d["consent"] = c;
  } else {
    d["consent"] = py::none();
  }
  py::list sources;
  for (const Source& s : p.sources) sources.append(ToDict(s));
  d["sources"] = sources;
  d["automated_decision_making"] = p.automated_decision_making;
  d["automated_processing"] = p.automated_processing;
  d["source_text"] = Str(p.source_text);
  py::list exceptions;
  for (ErasureException e : p.erasure_exceptions) exceptions.append(Str(ErasureExceptionName(e)));
  d["erasure_exceptions"] = py::tuple(exceptions);
  d["role"] = Str(ControllerRoleName(p.role));
  d["controller_of_data"] = Str(p.controller_of_data);
  d["direct_marketing"] = p.direct_marketing;
  d["line"] = p.line;
  return d;
}

py::dict ToDict(const DataCategory& c) {
  py::dict d;
  d["key"] = Str(c.key);
  d["title"] = Str(c.title);
  d["description"] = Str(c.description);
  for (std::string_view flag : CategoryFlagNames()) {
    d[Str(flag)] = (c.flags & *ParseCategoryFlag(flag)) != 0;
  }
  d["builtin"] = c.builtin;
  return d;
}

py::dict ToDict(const Controller& c) {
  py::dict d;
  d["name"] = Str(c.name);
  d["cvr"] = Str(c.cvr);
  d["address"] = Str(c.address);
  d["contact"] = Str(c.contact);
  d["dpo_contact"] = Str(c.dpo_contact);
  d["source"] = Str(c.source);
  return d;
}

py::dict ToDict(const Team& t) {
  py::dict d;
  d["id"] = Str(t.id);
  d["title"] = Str(t.title);
  d["roles"] = Strings(t.roles);
  return d;
}

py::dict ToDict(const LegalReference& r) {
  py::dict d;
  d["code"] = Str(r.code);
  d["title"] = Str(r.title);
  d["text"] = Str(r.text);
  d["url"] = Str(r.url);
  d["effects"] = EffectNames(r.effects);
  return d;
}

py::tuple ToTuple(const RetentionEventRef& e) {
  return py::make_tuple(Str(e.event), Str(e.period));
}

py::dict ToDict(const RetentionRuleRef& r) {
  py::dict d;
  d["id"] = Str(r.id);
  d["title"] = Str(r.title);
  d["description"] = Str(r.description);
  d["period"] = Str(r.period);
  d["anchor"] = Str(r.anchor);
  d["action"] = Name(RetentionActionName(r.action));
  py::list ends_early;
  for (const RetentionEventRef& e : r.ends_early) ends_early.append(ToTuple(e));
  d["ends_early"] = ends_early;
  py::list extended_by;
  for (const RetentionEventRef& e : r.extended_by) extended_by.append(ToTuple(e));
  d["extended_by"] = extended_by;
  return d;
}

// A release as plain values (gdprkit/release_rules.h): optional fields are
// None when unset; the table, extract and rules None when absent.
py::object NoneOr(const std::optional<int>& v) { return v ? py::object(py::int_(*v)) : py::none(); }
py::object NoneOr(const std::optional<double>& v) {
  return v ? py::object(py::float_(*v)) : py::none();
}

py::dict ToDict(const ReleaseColumn& c) {
  py::dict d;
  d["name"] = Str(c.name);
  d["treatment"] = Name(ColumnTreatmentName(c.treatment));
  d["kind"] = Str(c.kind);
  d["domain"] = Str(c.domain);
  d["hierarchy"] = Str(c.hierarchy);
  d["level"] = NoneOr(c.level);
  d["free_text"] = c.free_text;
  return d;
}

py::dict ToDict(const ReleaseHierarchy& h) {
  py::dict d;
  d["name"] = Str(h.name);
  d["file"] = Str(h.file);
  py::list codes;
  for (const ReleaseHierarchyCode& c : h.codes)
    codes.append(py::make_tuple(Str(c.code), Str(c.parent)));
  d["codes"] = codes;
  d["total"] = Str(h.total);
  return d;
}

py::dict ToDict(const ReleasePrimaryRules& r) {
  py::dict d;
  d["threshold"] = NoneOr(r.threshold);
  d["threshold_hides_presence"] = r.threshold_hides_presence;
  d["threshold_range_percent"] = NoneOr(r.threshold_range_percent);
  py::list dominance;
  for (const ReleaseDominanceRule& x : r.dominance) dominance.append(py::make_tuple(x.n, x.k));
  d["dominance"] = dominance;
  d["p_percent"] = r.p_percent;
  d["q_percent"] = NoneOr(r.q_percent);
  d["protect_zeros"] = r.protect_zeros;
  d["zero_upper"] = NoneOr(r.zero_upper);
  d["manual_percent"] = NoneOr(r.manual_percent);
  return d;
}

py::dict ToDict(const Release& r) {
  py::dict d;
  d["id"] = Str(r.id);
  d["title"] = Str(r.title);
  d["description"] = Str(r.description);
  d["purpose"] = Str(r.purpose);
  py::list columns;
  for (const ReleaseColumn& c : r.columns) columns.append(ToDict(c));
  d["columns"] = columns;
  py::list hierarchies;
  for (const ReleaseHierarchy& h : r.hierarchies) hierarchies.append(ToDict(h));
  d["hierarchies"] = hierarchies;
  if (r.table.has_value()) {
    py::list dims;
    for (const ReleaseDimension& x : r.table->dimensions) {
      dims.append(py::make_tuple(Str(x.column), Str(x.hierarchy)));
    }
    py::dict t;
    t["dimensions"] = dims;
    t["value"] = Str(r.table->value);
    d["table"] = t;
  } else {
    d["table"] = py::none();
  }
  if (r.extract.has_value()) {
    py::dict e;
    e["quasi_identifiers"] = Strings(r.extract->quasi_identifiers);
    e["k"] = NoneOr(r.extract->k);
    d["extract"] = e;
  } else {
    d["extract"] = py::none();
  }
  d["rules"] = r.rules.has_value() ? py::object(ToDict(*r.rules)) : py::none();
  d["max_age"] = Str(r.max_age);
  d["date_column"] = Str(r.date_column);
  d["source_text"] = Str(r.source_text);
  d["line"] = r.line;
  return d;
}

// (severity, code, purpose_id, field, message, file, line)
py::tuple ToTuple(const Finding& f) {
  return py::make_tuple(Str(SeverityName(f.severity)), Str(f.code), Str(f.purpose_id), Str(f.field),
                        Message(f.message), Str(f.file), f.line);
}

// (code, title in `language`, applies, reason)
py::tuple ToTuple(const RightAssessment& a, Language language) {
  const RightInfo& info = GetRightInfo(a.right);
  return py::make_tuple(Str(info.code), Str(info.TitleIn(language)), a.applies, Message(a.reason));
}

// The language named `lang` ("en", "da"); raises the core's InvalidArgument.
Language Lang(const std::string& lang) { return ValueOrRaise(ParseLanguage(lang)); }

py::list PurposeIds(const std::vector<const Purpose*>& purposes) {
  py::list out;
  for (const Purpose* p : purposes) out.append(Str(p->id));
  return out;
}

// ---------------------------------------------------------------------------
// The policy handle.
// ---------------------------------------------------------------------------

// Holds a loaded, immutable policy. Python never constructs it directly.
PolicyHandle LoadPolicy(const std::string& path, int format) {
  absl::StatusOr<std::shared_ptr<const Policy>> result;
  {
    py::gil_scoped_release release;
    result = Policy::Load(path, FormatFromInt(format));
  }
  return PolicyHandle{ValueOrRaise(std::move(result), &path)};
}

PolicyHandle PolicyFromText(const py::handle& text, int format, const std::string& source_name) {
  TextView view(text);
  absl::StatusOr<std::shared_ptr<const Policy>> result;
  {
    py::gil_scoped_release release;
    result = Policy::FromText(view.view(), FormatFromInt(format), source_name);
  }
  return PolicyHandle{ValueOrRaise(std::move(result))};
}

py::list Validate(const PolicyHandle& h) {
  std::vector<Finding> findings;
  {
    py::gil_scoped_release release;
    findings = h.policy->Validate();
  }
  py::list out;
  for (const Finding& f : findings) out.append(ToTuple(f));
  return out;
}

bool IsValid(const PolicyHandle& h) {
  py::gil_scoped_release release;
  return h.policy->IsValid();
}

py::list Rights(const PolicyHandle& h, const std::string& purpose_id, const std::string& lang) {
  const Language language = Lang(lang);
  absl::StatusOr<std::vector<RightAssessment>> rights;
  {
    py::gil_scoped_release release;
    rights = h.policy->Rights(purpose_id);
  }
  py::list out;
  for (const RightAssessment& a : ValueOrRaise(std::move(rights))) {
    out.append(ToTuple(a, language));
  }
  return out;
}

// [(purpose_id, [(code, title, applies, reason), ...]), ...] for every
// purpose, in file order; the assessments are made with the GIL released.
py::list RightsMatrix(const PolicyHandle& h, const std::string& lang) {
  const Language language = Lang(lang);
  std::vector<std::pair<std::string, absl::StatusOr<std::vector<RightAssessment>>>> rows;
  {
    py::gil_scoped_release release;
    rows.reserve(h.policy->purposes().size());
    for (const Purpose& p : h.policy->purposes()) rows.emplace_back(p.id, h.policy->Rights(p.id));
  }
  py::list out;
  for (auto& [id, rights] : rows) {
    py::list assessments;
    for (const RightAssessment& a : ValueOrRaise(std::move(rights))) {
      assessments.append(ToTuple(a, language));
    }
    out.append(py::make_tuple(Str(id), assessments));
  }
  return out;
}

bool MayAccess(const PolicyHandle& h, const std::string& purpose_id, const std::string& team,
               const std::string& role) {
  absl::StatusOr<bool> allowed;
  {
    py::gil_scoped_release release;
    allowed = h.policy->MayAccess(Principal{team, role}, purpose_id);
  }
  return ValueOrRaise(std::move(allowed));
}

template <typename T>
py::list ToList(absl::Span<const T> items) {
  py::list out;
  for (const T& item : items) out.append(ToDict(item));
  return out;
}

// ---------------------------------------------------------------------------
// The built-in registries of gdprkit/basis.h.
// ---------------------------------------------------------------------------

// [(code, title, kind, effects), ...] in the order of kLegalBases, the titles
// in `lang`.
py::list LegalBases(const std::string& lang) {
  const Language language = Lang(lang);
  py::list out;
  for (const LegalBasisInfo& b : kLegalBases) {
    out.append(py::make_tuple(Str(b.code), Str(b.TitleIn(language)), Name(BasisKindName(b.kind)),
                              EffectNames(b.effects)));
  }
  return out;
}

// [(code, title), ...] in the order of kRights, the titles in `lang`.
py::list RightCatalogue(const std::string& lang) {
  const Language language = Lang(lang);
  py::list out;
  for (const RightInfo& r : kRights) {
    out.append(py::make_tuple(Str(r.code), Str(r.TitleIn(language))));
  }
  return out;
}

// [(code, severity, title), ...] in the order of FindingCodes(), the titles
// in `lang`.
py::list FindingCodeList(const std::string& lang) {
  const Language language = Lang(lang);
  py::list out;
  for (const FindingCodeInfo& f : FindingCodes()) {
    out.append(
        py::make_tuple(Str(f.code), Name(SeverityName(f.severity)), Str(f.TitleIn(language))));
  }
  return out;
}

// {vocabulary: {name: title}} for the policy vocabularies with titles
// (severities, erasure exceptions), in `lang`.
py::dict PolicyTitles(const std::string& lang) {
  const Language language = Lang(lang);
  py::dict severities;
  for (std::string_view name : SeverityNames()) {
    severities[Str(name)] = Str(SeverityTitle(ValueOrRaise(ParseSeverity(name)), language));
  }
  py::dict exceptions;
  for (std::string_view name : ErasureExceptionNames()) {
    const ErasureException e = ValueOrRaise(ParseErasureException(name));
    if (e != ErasureException::kUnspecified) {
      exceptions[Str(name)] = Str(ErasureExceptionTitle(e, language));
    }
  }
  py::dict treatments;
  for (std::string_view name : ColumnTreatmentNames()) {
    treatments[Str(name)] =
        Str(ColumnTreatmentTitle(ValueOrRaise(ParseColumnTreatment(name)), language));
  }
  py::dict d;
  d["severity"] = severities;
  d["erasure_exception"] = exceptions;
  d["column_treatment"] = treatments;
  return d;
}

// [(key, title, special, criminal, national_id), ...]
py::list BuiltinCategories() {
  py::list out;
  for (const CategoryInfo& c : kBuiltinCategories) {
    out.append(py::make_tuple(Str(c.key), Str(c.title), (c.flags & kCategorySpecial) != 0,
                              (c.flags & kCategoryCriminal) != 0,
                              (c.flags & kCategoryNationalId) != 0));
  }
  return out;
}

std::vector<std::string> Nearest(const std::string& wanted,
                                 const std::vector<std::string>& candidates, std::size_t limit) {
  const std::vector<std::string_view> views(candidates.begin(), candidates.end());
  return NearestNames(wanted, views, limit);
}

}  // namespace

}  // namespace python
}  // namespace gdprkit

PYBIND11_MODULE(_gdprkit, m) {
  using namespace gdprkit;          // NOLINT(build/namespaces): the module's own file
  using namespace gdprkit::python;  // NOLINT(build/namespaces)
  m.doc() = "Private extension of the gdprkit package; use `import gdprkit` instead.";
  m.attr("__version__") = GDPRKIT_VERSION;
  m.attr("FORMAT_AUTO") = static_cast<int>(PolicyFormat::kAuto);
  m.attr("FORMAT_TEXTPROTO") = static_cast<int>(PolicyFormat::kTextProto);
  m.attr("FORMAT_JSON") = static_cast<int>(PolicyFormat::kJson);
  m.attr("MAX_POLICY_BYTES") = Policy::kMaxPolicyBytes;

  RegisterRetention(m);
  RegisterSuppression(m);
  RegisterVault(m);
  RegisterScan(m);
  RegisterRelease(m);
  RegisterConsent(m);
  RegisterRequests(m);
  RegisterArrow(m);

  m.def("_register_errors", &RegisterErrors, py::arg("factory"),
        py::arg("argument_type_error") = py::none(),
        "Sets factory(code, message, filename) -> exception, used for every failed status, "
        "and the class raised for an argument of the wrong type.");

  // A safety net under the package's own argument checks (python/gdprkit/
  // _args.py): a value the C++ side cannot take (an int beyond the C++ type
  // behind it, a wrong type inside a dict or list that a binding casts)
  // raises gdprkit.ArgumentTypeError instead of pybind11's RuntimeError
  // "Unable to cast". pybind11's message names types, never values.
  py::register_local_exception_translator([](std::exception_ptr p) {
    if (!p) return;
    try {
      std::rethrow_exception(p);
    } catch (const py::cast_error& e) {
      SetArgumentTypeError(
          std::string("an argument has a type or value gdprkit's C++ core cannot take: ") +
          e.what());
    }
  });

  py::class_<PolicyHandle>(m, "PolicyHandle", "A loaded, immutable gdprkit::Policy.")
      .def("source_name", [](const PolicyHandle& h) { return Str(h.policy->source_name()); })
      .def("controller", [](const PolicyHandle& h) { return ToDict(h.policy->controller()); })
      .def("purposes", [](const PolicyHandle& h) { return ToList(h.policy->purposes()); })
      .def("teams", [](const PolicyHandle& h) { return ToList(h.policy->teams()); })
      .def("categories", [](const PolicyHandle& h) { return ToList(h.policy->categories()); })
      .def("references", [](const PolicyHandle& h) { return ToList(h.policy->references()); })
      .def("retention_rules",
           [](const PolicyHandle& h) { return ToList(h.policy->retention_rules()); })
      .def("releases", [](const PolicyHandle& h) { return ToList(h.policy->releases()); })
      .def("release_index",
           [](const PolicyHandle& h, const std::string& id) {
             const Release* r = ValueOrRaise(h.policy->GetRelease(id));
             return static_cast<std::size_t>(r - h.policy->releases().data());
           })
      .def("find_category",
           [](const PolicyHandle& h, const std::string& key) -> py::object {
             const DataCategory* c = h.policy->FindCategory(key);
             if (c == nullptr) return py::none();
             return ToDict(*c);
           })
      // The lookups that raise the core's NotFound (with its "did you mean").
      .def("purpose_index",
           [](const PolicyHandle& h, const std::string& id) {
             const Purpose* p = ValueOrRaise(h.policy->GetPurpose(id));
             return static_cast<std::size_t>(p - h.policy->purposes().data());
           })
      .def("category",
           [](const PolicyHandle& h, const std::string& key) {
             return ToDict(*ValueOrRaise(h.policy->GetCategory(key)));
           })
      .def("retention_rule_index",
           [](const PolicyHandle& h, const std::string& id) {
             const RetentionRuleRef* r = ValueOrRaise(h.policy->GetRetentionRule(id));
             return static_cast<std::size_t>(r - h.policy->retention_rules().data());
           })
      .def(
          "get_basis_title",
          [](const PolicyHandle& h, const std::string& code, const std::string& lang) {
            return Str(ValueOrRaise(h.policy->GetBasisTitle(code, Lang(lang))));
          },
          py::arg("code"), py::arg("lang") = "en")
      .def(
          "basis_title",
          [](const PolicyHandle& h, const std::string& code, const std::string& lang) {
            return Str(h.policy->BasisTitle(code, Lang(lang)));
          },
          py::arg("code"), py::arg("lang") = "en")
      .def("basis_effects",
           [](const PolicyHandle& h, const std::string& code) {
             return EffectNames(h.policy->BasisEffects(code));
           })
      .def("validate", &Validate)
      .def("is_valid", &IsValid)
      .def("rights", &Rights, py::arg("purpose_id"), py::arg("lang") = "en")
      .def("rights_matrix", &RightsMatrix, py::arg("lang") = "en")
      .def("may_access", &MayAccess, py::arg("purpose_id"), py::arg("team"), py::arg("role"))
      .def("purposes_using",
           [](const PolicyHandle& h, const std::string& category) {
             return PurposeIds(h.policy->PurposesUsing(category));
           })
      .def("visible_purposes",
           [](const PolicyHandle& h, const std::string& team, const std::string& role) {
             return PurposeIds(h.policy->VisiblePurposes(Principal{team, role}));
           })
      .def("__reduce__", [](const PolicyHandle&) -> py::object {
        throw py::type_error("a gdprkit policy cannot be pickled; pickle its source text");
      });

  m.def("policy_load", &LoadPolicy, py::arg("path"), py::arg("format"),
        "Reads a policy file (path as bytes or str). Raises the registered errors.");
  m.def("policy_from_text", &PolicyFromText, py::arg("text"), py::arg("format"),
        py::arg("source_name"), "Parses a policy from a bytes-like object.");

  m.def("legal_bases", &LegalBases, py::arg("lang") = "en");
  m.def(
      "legal_basis_index",
      [](const std::string& code) {
        return static_cast<std::size_t>(ValueOrRaise(GetLegalBasis(code)) - kLegalBases);
      },
      py::arg("code"), "Index in legal_bases(); raises the core's NotFound.");
  m.def(
      "right_index",
      [](const std::string& code) {
        return static_cast<std::size_t>(ValueOrRaise(GetRight(code)) - kRights);
      },
      py::arg("code"), "Index in right_catalogue(); raises the core's NotFound.");
  m.def("policy_names", &PolicyNames,
        "{vocabulary: [name, ...]} for every enum of gdprkit/basis.h and gdprkit/policy.h.");
  m.def(
      "policy_format",
      [](const std::string& name) {
        return static_cast<int>(ValueOrRaise(ParsePolicyFormat(name)));
      },
      py::arg("name"), "The FORMAT_* number of a format name; raises the core's InvalidArgument.");
  m.def(
      "status_code_names", [] { return Names(internal::StatusCodeNames()); },
      "The names of the status codes, by number (0 = \"OK\").");
  m.def("right_catalogue", &RightCatalogue, py::arg("lang") = "en");
  m.def("finding_codes", &FindingCodeList, py::arg("lang") = "en");
  m.def(
      "finding_code_index",
      [](const std::string& code) {
        return static_cast<std::size_t>(ValueOrRaise(GetFindingCode(code)) - FindingCodes().data());
      },
      py::arg("code"), "Index in finding_codes(); raises the core's NotFound.");
  m.def("policy_titles", &PolicyTitles, py::arg("lang") = "en",
        "{vocabulary: {name: title}} for severities and erasure exceptions, in lang.");
  m.def("builtin_categories", &BuiltinCategories);
  // The shared vocabularies of gdprkit/common.h: the names, and the parse
  // that gives the canonical name of an accepted spelling (an alias too) or
  // raises the core's message naming the valid ones.
  m.def("language_names", [] { return Names(LanguageNames()); });
  m.def("parse_language",
        [](const std::string& text) { return LanguageName(ValueOrRaise(ParseLanguage(text))); });
  m.def("error_mode_names", [] { return Names(ErrorModeNames()); });
  m.def("parse_error_mode",
        [](const std::string& text) { return ErrorModeName(ValueOrRaise(ParseErrorMode(text))); });
  m.def("nearest_names", &Nearest, py::arg("wanted"), py::arg("candidates"), py::arg("limit") = 3);
  // The core's message vocabulary (src/common/text.h), so that a message the
  // package writes itself reads like the core's.
  m.def(
      "did_you_mean",
      [](const std::string& wanted, const std::vector<std::string>& candidates, std::size_t limit) {
        return internal::DidYouMean(wanted, candidates, limit);
      },
      py::arg("wanted"), py::arg("candidates"), py::arg("limit") = 3,
      "'; did you mean \"a\" or \"b\"?' for the candidates nearest to wanted, or ''.");
  m.def(
      "quote_untrusted", [](const std::string& text) { return internal::QuoteUntrusted(text); },
      py::arg("text"),
      "Caller-given text for a message: quoted, cut to 40 bytes, withheld when CPR-like.");
}
