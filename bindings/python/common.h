// Shared by the translation units of the _gdprkit extension: module.cc
// (errors, basis, policy) and one file per area (retention.cc, suppression.cc,
// vault.cc), each of which defines its Register<Area>(module) function.
// Conventions: see the top of module.cc.
#ifndef GDPRKIT_BINDINGS_PYTHON_COMMON_H_
#define GDPRKIT_BINDINGS_PYTHON_COMMON_H_

#include <pybind11/pybind11.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gdprkit/common.h"
#include "gdprkit/consent.h"
#include "gdprkit/policy.h"
#include "gdprkit/vault.h"

namespace gdprkit {
namespace python {

namespace py = pybind11;

// Text of the policy (verified UTF-8 by the parser) and file names, which may
// hold any bytes: undecodable bytes round-trip through surrogateescape, as
// os.fsdecode does.
inline py::str Str(std::string_view s) {
  PyObject* o =
      PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "surrogateescape");
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

// Messages for people: never fail to decode, never carry lone surrogates
// that would break print().
inline py::str Message(std::string_view s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

// Raises the Python exception for a failed status. `filename` is given by the
// calls that open a file, so the error can also be an OSError for it.
[[noreturn]] void Raise(const absl::Status& status, const std::string* filename = nullptr);

template <typename T>
T ValueOrRaise(absl::StatusOr<T> result, const std::string* filename = nullptr) {
  if (!result.ok()) Raise(result.status(), filename);
  return *std::move(result);
}

// A read-only view of a bytes-like object, held for the duration of a call
// so that the GIL can be released while C++ reads it.
class TextView {
 public:
  explicit TextView(const py::handle& obj) {
    if (PyUnicode_Check(obj.ptr())) {
      throw py::type_error("expected a bytes-like object (the package encodes str as UTF-8)");
    }
    if (PyObject_GetBuffer(obj.ptr(), &view_, PyBUF_SIMPLE) != 0) throw py::error_already_set();
  }
  ~TextView() { PyBuffer_Release(&view_); }
  TextView(const TextView&) = delete;
  TextView& operator=(const TextView&) = delete;

  std::string_view view() const {
    return std::string_view(static_cast<const char*>(view_.buf),
                            static_cast<std::size_t>(view_.len));
  }

 private:
  Py_buffer view_{};
};

// A Python `progress(stage, done, total) -> bool | None` callable as the
// core's ProgressFn (gdprkit/common.h). Construct it with the GIL held, call
// the core with the GIL released, then call Check() with the GIL held: an
// exception the callable raised (KeyboardInterrupt too) cancelled the call
// and is raised again there, before the core's CancelledError. A callable
// returning False (not None) cancels.
class PyProgress {
 public:
  explicit PyProgress(py::object callback) : callback_(std::move(callback)) {
    if (!callback_.is_none() && !PyCallable_Check(callback_.ptr())) {
      throw py::type_error("progress must be callable or None");
    }
  }
  PyProgress(const PyProgress&) = delete;
  PyProgress& operator=(const PyProgress&) = delete;

  // Empty when the callable is None.
  ProgressFn fn() {
    if (callback_.is_none()) return {};
    return [this](const Progress& p) -> bool {
      py::gil_scoped_acquire gil;
      if (error_) return false;
      try {
        py::object r = callback_(Str(p.stage), p.done, p.total);
        return r.is_none() || PyObject_IsTrue(r.ptr()) != 0;
      } catch (py::error_already_set& e) {
        error_.emplace(std::move(e));
        return false;
      }
    };
  }

  // Raises what the callable raised, if it did.
  void Check() {
    if (error_) {
      py::error_already_set e = std::move(*error_);
      error_.reset();
      throw e;
    }
  }

 private:
  py::object callback_;
  std::optional<py::error_already_set> error_;
};

// A loaded, immutable policy (the PolicyHandle class of the module).
struct PolicyHandle {
  std::shared_ptr<const Policy> policy;
};

// Each area adds its functions and classes to the module.
void RegisterRetention(py::module_& m);
void RegisterSuppression(py::module_& m);
void RegisterVault(py::module_& m);
void RegisterScan(py::module_& m);
void RegisterRelease(py::module_& m);
void RegisterConsent(py::module_& m);   // consent.cc
void RegisterRequests(py::module_& m);  // requests.cc

// The core vault behind a gdprkit.Vault's handle (vault.cc), for the other
// areas' bindings (release.cc: prepare's vault=). TypeError for another
// object; FailedPreconditionError for a closed vault.
std::shared_ptr<Vault> SharedVault(const py::handle& handle);

// An open consent ledger: the class consent.cc binds as the handle of a
// gdprkit.ConsentLedger (defined here so that requests.cc reaches the same
// core ledger: carry_out_erasure, access_report).
struct ConsentLedgerHandle {
  std::shared_ptr<ConsentLedger> ledger;

  ConsentLedger& Get() const {
    if (ledger == nullptr) Raise(absl::FailedPreconditionError("the consent ledger is closed"));
    return *ledger;
  }
};

// A chain verification (a ledger's or a register's) as a dict; its id
// under `id_name` ("ledger_id", "register_id"). Defined in consent.cc.
py::dict VerificationDict(const ConsentVerification& v, const char* id_name);

// The core ledger behind a ConsentLedgerHandle. TypeError for another
// object; FailedPreconditionError for a closed ledger.
inline std::shared_ptr<ConsentLedger> SharedLedger(const py::handle& handle) {
  if (!py::isinstance<ConsentLedgerHandle>(handle)) {
    throw py::type_error("ledger= takes a gdprkit.ConsentLedger (an open ledger), or None");
  }
  const ConsentLedgerHandle& h = handle.cast<const ConsentLedgerHandle&>();
  h.Get();
  return h.ledger;
}

}  // namespace python
}  // namespace gdprkit

#endif  // GDPRKIT_BINDINGS_PYTHON_COMMON_H_
