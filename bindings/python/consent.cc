// The consent bindings of _gdprkit (gdprkit/consent.h): thin, the logic is the core's.
// Columns cross as lists (the package converts pandas/NumPy); the core runs
// with the GIL released. Times are seconds since 1970 (UTC), dates day numbers.
#include "gdprkit/consent.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common.h"

namespace gdprkit::python {
namespace {

py::object Day(DayNumber d) {
  if (d == kNoDate) return py::none();
  return py::int_(d);
}

py::tuple EntryTuple(const ConsentEntry& e) {
  const ConsentRecord& r = e.record;
  return py::make_tuple(e.seq, e.recorded_at, e.erasure, e.erased_entries, e.erased, Str(r.subject),
                        Str(r.purpose),
                        Str(e.erasure ? std::string_view() : ConsentStateName(r.state)), r.at,
                        Day(r.valid_until), Str(r.notice_version), Str(r.notice_digest),
                        Str(r.channel), Str(r.recorded_by), Str(r.evidence), Str(e.hash));
}

py::dict ReceiptDict(const ReceiptVerification& v) {
  py::dict d;
  d["valid"] = v.valid;
  d["signed"] = v.signed_receipt;
  d["problem"] = Message(v.problem);
  d["ledger_id"] = Str(v.ledger_id);
  d["seq"] = v.seq;
  d["hash"] = Str(v.hash);
  const ConsentRecord& r = v.record;
  d["subject"] = Str(r.subject);
  d["purpose"] = Str(r.purpose);
  d["state"] = v.valid || !r.purpose.empty() ? Str(ConsentStateName(r.state)) : Str("");
  d["at"] = r.at;
  d["valid_until"] = Day(r.valid_until);
  d["notice_version"] = Str(r.notice_version);
  d["notice_digest"] = Str(r.notice_digest);
  d["channel"] = Str(r.channel);
  d["recorded_by"] = Str(r.recorded_by);
  d["evidence"] = Str(r.evidence);
  return d;
}

// The states as Python strs: one object per name, shared by the rows.
py::list StateList(const std::vector<ConsentState>& states) {
  std::array<py::str, kConsentStateCount> names;
  for (int i = 0; i < kConsentStateCount; ++i) {
    names[i] = Str(ConsentStateName(static_cast<ConsentState>(i)));
  }
  py::list out(states.size());
  for (std::size_t i = 0; i < states.size(); ++i) {
    const auto k = static_cast<std::size_t>(states[i]);
    PyObject* o = names[k < names.size() ? k : 0].ptr();
    Py_INCREF(o);
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i), o);
  }
  return out;
}

// A key: b"" for none; bytes-like, viewed for the duration of the call.
absl::StatusOr<std::unique_ptr<ConsentLedger>> OpenOrCreate(bool create, const std::string& path,
                                                            const PolicyHandle& policy,
                                                            const py::handle& key, bool sync) {
  std::optional<TextView> k;  // None: a plain ledger
  ConsentLedgerOptions o;
  if (!key.is_none()) {
    k.emplace(key);
    o.key = k->view();
  }
  o.sync = sync;
  py::gil_scoped_release release;
  return create ? ConsentLedger::Create(path, policy.policy, o)
                : ConsentLedger::Open(path, policy.policy, o);
}

std::vector<std::string_view> Views(const std::vector<std::string>& v) {
  return std::vector<std::string_view>(v.begin(), v.end());
}

}  // namespace

py::dict VerificationDict(const ConsentVerification& v, const char* id_name) {
  py::dict d;
  d["intact"] = v.intact;
  d["entries"] = v.entries;
  d["head"] = Str(v.head);
  d["first_broken_entry"] = v.first_broken_entry;
  d["problem"] = Message(v.problem);
  d[id_name] = Str(v.ledger_id);
  d["keyed"] = v.keyed;
  return d;
}

void RegisterConsent(py::module_& m) {
  m.def("consent_state_names", [] {
    py::list out;
    for (std::string_view n : ConsentStateNames()) out.append(Str(n));
    return out;
  });
  m.def(
      "consent_state_info",
      [](const std::string& name, const std::string& lang) {
        const ConsentState s = ValueOrRaise(ParseConsentState(name));
        const Language l = ValueOrRaise(ParseLanguage(lang));
        return py::make_tuple(Str(ConsentStateDpv(s)), Str(ConsentStateTitle(s, l)));
      },
      py::arg("name"), py::arg("lang"));
  m.def(
      "notice_digest", [](const std::string& text) { return Str(NoticeDigest(text)); },
      py::arg("text"));
  m.def(
      "verify_consent_receipt",
      [](const std::string& receipt, const std::string& public_key) {
        absl::StatusOr<ReceiptVerification> v;
        {
          py::gil_scoped_release release;
          v = VerifyConsentReceipt(receipt, public_key);
        }
        return ReceiptDict(ValueOrRaise(std::move(v)));
      },
      py::arg("receipt"), py::arg("public_key"));

  py::class_<ConsentLedgerHandle>(m, "ConsentLedgerHandle", "An open gdprkit::ConsentLedger.")
      .def_static(
          "create",
          [](const std::string& path, const PolicyHandle& policy, const py::handle& key,
             bool sync) {
            auto l = OpenOrCreate(true, path, policy, key, sync);
            if (!l.ok()) Raise(l.status(), &path);
            return ConsentLedgerHandle{std::shared_ptr<ConsentLedger>(std::move(*l))};
          },
          py::arg("path"), py::arg("policy"), py::arg("key"), py::arg("sync"))
      .def_static(
          "open",
          [](const std::string& path, const PolicyHandle& policy, const py::handle& key,
             bool sync) {
            auto l = OpenOrCreate(false, path, policy, key, sync);
            if (!l.ok()) Raise(l.status(), &path);
            return ConsentLedgerHandle{std::shared_ptr<ConsentLedger>(std::move(*l))};
          },
          py::arg("path"), py::arg("policy"), py::arg("key"), py::arg("sync"))
      .def("close", [](ConsentLedgerHandle& h) { h.ledger.reset(); })
      .def_property_readonly("closed",
                             [](const ConsentLedgerHandle& h) { return h.ledger == nullptr; })
      .def_property_readonly("path",
                             [](const ConsentLedgerHandle& h) { return Str(h.Get().path()); })
      .def_property_readonly("ledger_id",
                             [](const ConsentLedgerHandle& h) { return Str(h.Get().ledger_id()); })
      .def_property_readonly("entries",
                             [](const ConsentLedgerHandle& h) { return h.Get().entries(); })
      .def_property_readonly("head", [](const ConsentLedgerHandle& h) { return h.Get().head(); })
      .def_property_readonly(
          "receipt_public_key",
          [](const ConsentLedgerHandle& h) { return h.Get().ReceiptPublicKey(); })
      .def(
          "record",
          [](const ConsentLedgerHandle& h, std::vector<std::string> subjects,
             std::vector<std::string> purposes, const std::vector<std::string>& states,
             const std::vector<std::int64_t>& at,
             const std::vector<std::optional<DayNumber>>& until, std::vector<std::string> versions,
             const std::optional<std::vector<std::string>>& texts, std::vector<std::string> digests,
             std::vector<std::string> channels, std::vector<std::string> recorded_by,
             std::vector<std::string> evidence, bool keep) -> py::object {
            const std::size_t n = subjects.size();
            if (purposes.size() != n || states.size() != n || at.size() != n || until.size() != n ||
                versions.size() != n || channels.size() != n || recorded_by.size() != n ||
                evidence.size() != n || digests.size() != n ||
                (texts.has_value() && texts->size() != n)) {
              throw py::value_error("the consent record columns differ in length");
            }
            std::vector<ConsentRecord> records(n);
            for (std::size_t i = 0; i < n; ++i) {
              ConsentRecord& r = records[i];
              absl::StatusOr<ConsentState> s = ParseConsentState(states[i]);
              if (!s.ok()) {
                Raise(absl::InvalidArgumentError(
                    absl::StrCat("record ", i, ": ", s.status().message())));
              }
              r.subject = std::move(subjects[i]);
              r.purpose = std::move(purposes[i]);
              r.state = *s;
              r.at = at[i];
              r.valid_until = until[i].value_or(kNoDate);
              r.notice_version = std::move(versions[i]);
              r.notice_digest = std::move(digests[i]);
              r.channel = std::move(channels[i]);
              r.recorded_by = std::move(recorded_by[i]);
              r.evidence = std::move(evidence[i]);
            }
            ConsentLedger& l = h.Get();
            std::vector<std::string_view> text_views;
            if (texts.has_value()) text_views = Views(*texts);
            if (keep) {
              absl::StatusOr<std::vector<ConsentEntry>> out;
              {
                py::gil_scoped_release release;
                out = texts.has_value() ? l.Record(records, text_views) : l.Record(records);
              }
              py::list list;
              for (const ConsentEntry& e : ValueOrRaise(std::move(out))) {
                list.append(EntryTuple(e));
              }
              return list;
            }
            absl::StatusOr<std::int64_t> count;
            {
              py::gil_scoped_release release;
              count = l.RecordCount(records, text_views);
            }
            return py::int_(ValueOrRaise(std::move(count)));
          },
          py::arg("subjects"), py::arg("purposes"), py::arg("states"), py::arg("at"),
          py::arg("valid_until"), py::arg("notice_versions"), py::arg("notice_texts"),
          py::arg("notice_digests"), py::arg("channels"), py::arg("recorded_by"),
          py::arg("evidence"), py::arg("keep"))
      .def(
          "states",
          [](const ConsentLedgerHandle& h, const std::vector<std::string>& subjects,
             const std::string& purpose, std::int64_t as_of, bool is_day) {
            ConsentLedger& l = h.Get();
            const std::vector<std::string_view> views = Views(subjects);
            absl::StatusOr<std::vector<ConsentState>> out;
            {
              py::gil_scoped_release release;
              out = is_day ? l.StatesOn(views, purpose, static_cast<DayNumber>(as_of))
                           : l.States(views, purpose, as_of);
            }
            return StateList(ValueOrRaise(std::move(out)));
          },
          py::arg("subjects"), py::arg("purpose"), py::arg("as_of"), py::arg("is_day"))
      .def(
          "withdrawals",
          [](const ConsentLedgerHandle& h, const std::string& purpose, std::int64_t as_of) {
            ConsentLedger& l = h.Get();
            absl::StatusOr<std::vector<ConsentWithdrawal>> out;
            {
              py::gil_scoped_release release;
              out = l.Withdrawals(purpose, as_of);
            }
            py::list subjects, days;
            for (const ConsentWithdrawal& w : ValueOrRaise(std::move(out))) {
              subjects.append(Str(w.subject));
              days.append(w.withdrawn_on);
            }
            return py::make_tuple(subjects, days);
          },
          py::arg("purpose"), py::arg("as_of"))
      .def(
          "entries_of",
          [](const ConsentLedgerHandle& h, const std::string& subject) {
            ConsentLedger& l = h.Get();
            absl::StatusOr<std::vector<ConsentEntry>> out;
            {
              py::gil_scoped_release release;
              out = l.EntriesOf(subject);
            }
            py::list list;
            for (const ConsentEntry& e : ValueOrRaise(std::move(out))) list.append(EntryTuple(e));
            return list;
          },
          py::arg("subject"))
      .def(
          "erase_subject",
          [](const ConsentLedgerHandle& h, const std::string& subject,
             const std::string& recorded_by) {
            ConsentLedger& l = h.Get();
            absl::StatusOr<std::int64_t> n;
            {
              py::gil_scoped_release release;
              n = l.EraseSubject(subject, recorded_by);
            }
            return ValueOrRaise(std::move(n));
          },
          py::arg("subject"), py::arg("recorded_by"))
      .def(
          "verify",
          [](const ConsentLedgerHandle& h, const std::string& expected_head) {
            ConsentLedger& l = h.Get();
            absl::StatusOr<ConsentVerification> v;
            {
              py::gil_scoped_release release;
              v = l.Verify(expected_head);
            }
            return VerificationDict(ValueOrRaise(std::move(v)), "ledger_id");
          },
          py::arg("expected_head"))
      .def(
          "export_receipt",
          [](const ConsentLedgerHandle& h, std::int64_t seq) {
            return Str(ValueOrRaise(h.Get().ExportReceipt(seq)));
          },
          py::arg("seq"))
      .def(
          "verify_receipt",
          [](const ConsentLedgerHandle& h, const std::string& receipt) {
            return ReceiptDict(ValueOrRaise(h.Get().VerifyReceipt(receipt)));
          },
          py::arg("receipt"))
      .def(
          "store_notice",
          [](const ConsentLedgerHandle& h, const std::string& version, const std::string& text) {
            absl::Status s = h.Get().StoreNotice(version, text);
            if (!s.ok()) Raise(s);
          },
          py::arg("version"), py::arg("text"))
      .def(
          "notice",
          [](const ConsentLedgerHandle& h, const std::string& digest) {
            return Str(ValueOrRaise(h.Get().Notice(digest)));
          },
          py::arg("digest"));
}

}  // namespace gdprkit::python
