// The requests bindings of _gdprkit (gdprkit/requests.h): thin, the logic is
// the core's. Dates cross as int32 day numbers (NO_DATE for none), enums as
// the core's names, requests and decisions as dicts whose keys are the field
// names of python/gdprkit/requests.py's dataclasses.
#include "gdprkit/requests.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common.h"

namespace gdprkit::python {
namespace {

py::object Day(DayNumber day) {
  if (day == kNoDate) return py::none();
  return py::int_(day);
}

py::dict RequestOut(const Request& r) {
  py::dict d;
  d["id"] = Str(r.id);
  d["kind"] = Str(RequestKindName(r.kind));
  d["subject"] = Str(r.subject);
  py::list purposes;
  for (const std::string& p : r.purposes) purposes.append(Str(p));
  d["purposes"] = purposes;
  d["received"] = Day(r.received);
  d["due"] = Day(r.due);
  d["extended"] = r.extended;
  d["extension_reason"] = Str(r.extension_reason);
  d["identity"] = Str(IdentityCheckName(r.identity));
  d["identity_method"] = Str(r.identity_method);
  d["status"] = Str(RequestStatusName(r.status));
  d["closed_on"] = Day(r.closed_on);
  d["outcome"] = Str(r.outcome);
  d["channel"] = Str(r.channel);
  return d;
}

py::dict EventOut(const RequestEvent& e) {
  py::dict d;
  d["seq"] = e.seq;
  d["recorded_at"] = e.recorded_at;
  d["request_id"] = Str(e.request_id);
  d["event"] = Str(e.event);
  d["on"] = Day(e.on);
  d["detail"] = Str(e.detail);
  d["recorded_by"] = Str(e.recorded_by);
  d["hash"] = Str(e.hash);
  return d;
}

py::dict PurposeDecisionOut(const PurposeDecision& p) {
  py::dict d;
  d["purpose"] = Str(p.purpose);
  d["action"] = Str(RequestActionName(p.action));
  d["right"] = Str(GetRightInfo(p.right).code);
  d["reason"] = Str(p.reason);
  d["keep_until"] = Day(p.keep_until);
  d["retention_rule"] = Str(p.retention_rule);
  return d;
}

py::dict DecisionOut(const Decision& decision) {
  py::dict d;
  d["kind"] = Str(RequestKindName(decision.kind));
  d["on"] = Day(decision.on);
  py::list purposes;
  for (const PurposeDecision& p : decision.purposes) purposes.append(PurposeDecisionOut(p));
  d["purposes"] = purposes;
  return d;
}

// A decision back from the package: (kind, on, [(purpose, action, right
// code, reason, keep_until, retention_rule)]), names parsed by the core.
Decision DecisionIn(const std::string& kind, DayNumber on,
                    const std::vector<std::tuple<std::string, std::string, std::string, std::string,
                                                 DayNumber, std::string>>& rows) {
  Decision d;
  d.kind = ValueOrRaise(ParseRequestKind(kind));
  d.on = on;
  for (const auto& [purpose, action, right, reason, keep_until, rule] : rows) {
    PurposeDecision p;
    p.purpose = purpose;
    p.action = ValueOrRaise(ParseRequestAction(action));
    p.right = ValueOrRaise(GetRight(right))->right;
    p.reason = reason;
    p.keep_until = keep_until;
    p.retention_rule = rule;
    d.purposes.push_back(std::move(p));
  }
  return d;
}

// An open register (the RequestRegisterHandle class of the module).
struct RegisterHandle {
  std::shared_ptr<RequestRegister> reg;

  RequestRegister& Get() const {
    if (reg == nullptr) Raise(absl::FailedPreconditionError("the request register is closed"));
    return *reg;
  }
};

// A 1-D contiguous int32 buffer, held for the call.
class Int32Buffer {
 public:
  Int32Buffer(const py::handle& obj, const char* what, bool writable) {
    const int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj.ptr(), &view_, flags) != 0) throw py::error_already_set();
    held_ = true;
    const std::string_view f = view_.format == nullptr ? "B" : view_.format;
    const char k = f.empty() ? 'B' : f.back();
    if (view_.ndim != 1 || view_.itemsize != 4 || (k != 'i' && k != 'l')) {
      throw py::type_error(std::string(what) + ": expected a 1-D contiguous int32 array");
    }
  }
  ~Int32Buffer() {
    if (held_) PyBuffer_Release(&view_);
  }
  Int32Buffer(const Int32Buffer&) = delete;
  Int32Buffer& operator=(const Int32Buffer&) = delete;
  std::size_t size() const { return static_cast<std::size_t>(view_.shape[0]); }
  std::int32_t* data() const { return static_cast<std::int32_t*>(view_.buf); }

 private:
  Py_buffer view_{};
  bool held_ = false;
};

py::list Names(const std::vector<std::string_view>& names) {
  py::list out;
  for (std::string_view n : names) out.append(Str(n));
  return out;
}

}  // namespace

void RegisterRequests(py::module_& m) {
  m.def(
      "requests_names",
      []() {
        py::dict d;
        d["kinds"] = Names(RequestKindNames());
        d["statuses"] = Names(RequestStatusNames());
        d["identity_checks"] = Names(IdentityCheckNames());
        d["actions"] = Names(RequestActionNames());
        return d;
      },
      "The requests vocabulary: kinds, statuses, identity checks, actions.");

  m.def(
      "request_kind_title",
      [](const std::string& kind, const std::string& lang) {
        const Language l = lang == "da" ? Language::kDanish : Language::kEnglish;
        return Str(RequestKindTitle(ValueOrRaise(ParseRequestKind(kind)), l));
      },
      py::arg("kind"), py::arg("lang"));
  m.def(
      "request_action_title",
      [](const std::string& action, const std::string& lang) {
        const Language l = lang == "da" ? Language::kDanish : Language::kEnglish;
        return Str(RequestActionTitle(ValueOrRaise(ParseRequestAction(action)), l));
      },
      py::arg("action"), py::arg("lang"));

  // received: int32 day numbers; out: an int32 array of the same length,
  // written with the GIL released.
  m.def(
      "requests_deadline",
      [](const py::handle& received, const py::handle& out, bool extended) {
        const Int32Buffer in(received, "received", false);
        const Int32Buffer res(out, "out", true);
        if (in.size() != res.size()) {
          Raise(absl::InvalidArgumentError("out: not as long as received"));
        }
        py::gil_scoped_release release;
        for (std::size_t i = 0; i < in.size(); ++i) {
          res.data()[i] = RequestDeadline(in.data()[i], extended);
        }
      },
      py::arg("received"), py::arg("out"), py::arg("extended"));

  m.def(
      "requests_decide",
      [](const PolicyHandle& p, const std::string& kind,
         const std::vector<std::tuple<std::string, std::vector<std::pair<std::string, DayNumber>>,
                                      bool>>& purposes,
         DayNumber on) {
        const RequestKind k = ValueOrRaise(ParseRequestKind(kind));
        std::vector<SubjectPurpose> in;
        in.reserve(purposes.size());
        for (const auto& [purpose, dates, hold] : purposes) {
          in.push_back(SubjectPurpose{purpose, dates, hold});
        }
        absl::StatusOr<Decision> d;
        {
          py::gil_scoped_release release;
          d = Decide(*p.policy, k, in, on);
        }
        return DecisionOut(ValueOrRaise(std::move(d)));
      },
      py::arg("policy"), py::arg("kind"), py::arg("purposes"), py::arg("on"));

  m.def(
      "requests_carry_out_erasure",
      [](const std::string& kind, DayNumber on,
         const std::vector<std::tuple<std::string, std::string, std::string, std::string, DayNumber,
                                      std::string>>& rows,
         const py::object& vault, int id_kind, const std::string& identifier,
         const py::object& ledger, const std::string& subject, const std::string& recorded_by) {
        const Decision decision = DecisionIn(kind, on, rows);
        std::shared_ptr<Vault> v;
        if (!vault.is_none()) v = SharedVault(vault);
        std::shared_ptr<ConsentLedger> l;
        if (!ledger.is_none()) l = SharedLedger(ledger);
        if (v != nullptr && !IsKnownIdKind(static_cast<IdKind>(id_kind))) {
          Raise(absl::InvalidArgumentError(absl::StrCat("unknown identifier kind ", id_kind)));
        }
        absl::StatusOr<ErasureOutcome> out;
        {
          py::gil_scoped_release release;
          out = CarryOutErasure(decision, v.get(), static_cast<IdKind>(id_kind), identifier,
                                l.get(), subject, recorded_by);
        }
        ErasureOutcome o = ValueOrRaise(std::move(out));
        py::dict d;
        d["vault_tokens_erased"] = o.vault_tokens_erased;
        d["consent_entries_erased"] = o.consent_entries_erased;
        py::list must, kept;
        for (const PurposeDecision& p : o.caller_must_delete) must.append(PurposeDecisionOut(p));
        for (const PurposeDecision& p : o.kept) kept.append(PurposeDecisionOut(p));
        d["caller_must_delete"] = must;
        d["kept"] = kept;
        return d;
      },
      py::arg("kind"), py::arg("on"), py::arg("rows"), py::arg("vault"), py::arg("id_kind"),
      py::arg("identifier"), py::arg("ledger"), py::arg("subject"), py::arg("recorded_by"));

  m.def(
      "requests_access_report",
      [](const std::string& subject, const py::object& ledger, const py::object& reg) {
        std::shared_ptr<ConsentLedger> l;
        if (!ledger.is_none()) l = SharedLedger(ledger);
        std::shared_ptr<RequestRegister> r;
        if (!reg.is_none()) {
          if (!py::isinstance<RegisterHandle>(reg)) {
            throw py::type_error("requests= takes a gdprkit.RequestRegister, or None");
          }
          r = reg.cast<const RegisterHandle&>().reg;
          if (r == nullptr) Raise(absl::FailedPreconditionError("the request register is closed"));
        }
        absl::StatusOr<std::string> json;
        {
          py::gil_scoped_release release;
          json = AccessReport(subject, l.get(), r.get());
        }
        return Str(ValueOrRaise(std::move(json)));
      },
      py::arg("subject"), py::arg("ledger"), py::arg("requests"));

  py::class_<RegisterHandle>(m, "RequestRegisterHandle", "An open gdprkit::RequestRegister.")
      .def(py::init([](const std::string& path, const PolicyHandle& p, const py::object& key,
                       bool sync, bool create) {
             std::optional<TextView> k;
             RequestRegisterOptions o;
             if (!key.is_none()) {
               k.emplace(key);
               o.key = k->view();
             }
             o.sync = sync;
             absl::StatusOr<std::unique_ptr<RequestRegister>> r;
             {
               py::gil_scoped_release release;
               r = create ? RequestRegister::Create(path, p.policy, o)
                          : RequestRegister::Open(path, p.policy, o);
             }
             if (!r.ok()) Raise(r.status(), &path);
             return RegisterHandle{std::shared_ptr<RequestRegister>(std::move(*r))};
           }),
           py::arg("path"), py::arg("policy"), py::arg("key"), py::arg("sync"), py::arg("create"))
      .def("close", [](RegisterHandle& h) { h.reg.reset(); })
      .def_property_readonly("closed", [](const RegisterHandle& h) { return h.reg == nullptr; })
      .def("path", [](const RegisterHandle& h) { return Str(h.Get().path()); })
      .def("register_id", [](const RegisterHandle& h) { return Str(h.Get().register_id()); })
      .def(
          "receive",
          [](const RegisterHandle& h, const std::string& id, const std::string& kind,
             const std::string& subject, const std::vector<std::string>& purposes,
             DayNumber received, const std::string& channel, const std::string& recorded_by) {
            NewRequest in;
            in.id = id;
            in.kind = ValueOrRaise(ParseRequestKind(kind));
            in.subject = subject;
            in.purposes = purposes;
            in.received = received;
            in.channel = channel;
            in.recorded_by = recorded_by;
            RequestRegister& reg = h.Get();
            absl::StatusOr<Request> r;
            {
              py::gil_scoped_release release;
              r = reg.Receive(in);
            }
            return RequestOut(ValueOrRaise(std::move(r)));
          },
          py::arg("id"), py::arg("kind"), py::arg("subject"), py::arg("purposes"),
          py::arg("received"), py::arg("channel"), py::arg("recorded_by"))
      .def(
          "check_identity",
          [](const RegisterHandle& h, const std::string& id, bool verified,
             const std::string& method, DayNumber on, const std::string& recorded_by) {
            RequestRegister& reg = h.Get();
            absl::StatusOr<Request> r;
            {
              py::gil_scoped_release release;
              r = reg.CheckIdentity(id, verified, method, on, recorded_by);
            }
            return RequestOut(ValueOrRaise(std::move(r)));
          },
          py::arg("id"), py::arg("verified"), py::arg("method"), py::arg("on"),
          py::arg("recorded_by"))
      .def(
          "extend",
          [](const RegisterHandle& h, const std::string& id, const std::string& reason,
             DayNumber on, const std::string& recorded_by) {
            RequestRegister& reg = h.Get();
            absl::StatusOr<Request> r;
            {
              py::gil_scoped_release release;
              r = reg.Extend(id, reason, on, recorded_by);
            }
            return RequestOut(ValueOrRaise(std::move(r)));
          },
          py::arg("id"), py::arg("reason"), py::arg("on"), py::arg("recorded_by"))
      .def(
          "close_request",
          [](const RegisterHandle& h, const std::string& id, const std::string& status,
             const std::string& outcome, DayNumber on, const std::string& recorded_by) {
            const RequestStatus s = ValueOrRaise(ParseRequestStatus(status));
            RequestRegister& reg = h.Get();
            absl::StatusOr<Request> r;
            {
              py::gil_scoped_release release;
              r = reg.Close(id, s, outcome, on, recorded_by);
            }
            return RequestOut(ValueOrRaise(std::move(r)));
          },
          py::arg("id"), py::arg("status"), py::arg("outcome"), py::arg("on"),
          py::arg("recorded_by"))
      .def(
          "get",
          [](const RegisterHandle& h, const std::string& id) {
            RequestRegister& reg = h.Get();
            absl::StatusOr<Request> r;
            {
              py::gil_scoped_release release;
              r = reg.Get(id);
            }
            return RequestOut(ValueOrRaise(std::move(r)));
          },
          py::arg("id"))
      .def(
          "list",
          [](const RegisterHandle& h, DayNumber overdue_on) {
            RequestRegister& reg = h.Get();
            absl::StatusOr<std::vector<Request>> r;
            {
              py::gil_scoped_release release;
              r = overdue_on == kNoDate ? reg.List() : reg.Overdue(overdue_on);
            }
            py::list out;
            for (const Request& q : ValueOrRaise(std::move(r))) out.append(RequestOut(q));
            return out;
          },
          py::arg("overdue_on"))
      .def(
          "trail",
          [](const RegisterHandle& h, const std::string& id) {
            RequestRegister& reg = h.Get();
            absl::StatusOr<std::vector<RequestEvent>> r;
            {
              py::gil_scoped_release release;
              r = reg.Trail(id);
            }
            py::list out;
            for (const RequestEvent& e : ValueOrRaise(std::move(r))) out.append(EventOut(e));
            return out;
          },
          py::arg("id"))
      .def(
          "erase_subject",
          [](const RegisterHandle& h, const std::string& subject, const std::string& recorded_by) {
            RequestRegister& reg = h.Get();
            absl::StatusOr<std::int64_t> r;
            {
              py::gil_scoped_release release;
              r = reg.EraseSubject(subject, recorded_by);
            }
            return ValueOrRaise(std::move(r));
          },
          py::arg("subject"), py::arg("recorded_by"))
      .def(
          "verify",
          [](const RegisterHandle& h, const std::string& expected_head) {
            RequestRegister& reg = h.Get();
            absl::StatusOr<ConsentVerification> r;
            {
              py::gil_scoped_release release;
              r = reg.Verify(expected_head);
            }
            return VerificationDict(ValueOrRaise(std::move(r)), "register_id");
          },
          py::arg("expected_head"));
}

}  // namespace gdprkit::python
