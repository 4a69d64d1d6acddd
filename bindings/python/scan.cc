// _gdprkit: finding and redacting identifiers in free text (gdprkit/scan.h).
//
// Thin: python/gdprkit/scan.py holds the API (containers in and out, the
// result object, docstrings). Texts cross as a list or 1-D object array of
// str / bytes / missing values (None, NaN, pandas.NA: no text, nothing
// found, given back as they were); the scan runs with the GIL released.
// Counts come back as the raw bytes of the core's kind-major uint32 block,
// which NumPy views without a copy. Never a found value.
#include "gdprkit/scan.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common.h"
#include "gdprkit/identifiers.h"

namespace gdprkit {
namespace python {
namespace {

// The texts of a batch, viewed in place (the objects are kept alive by the
// caller's container for the duration of the call).
struct Texts {
  py::object keep;
  std::vector<std::string_view> views;
  std::vector<bool> missing;  // no text in this row
  std::vector<PyObject*> objects;
};

Texts ReadTexts(const py::handle& values) {
  Texts t;
  PyObject* const* items = nullptr;
  Py_ssize_t n = 0;
  Py_ssize_t stride = 1;
  if (py::isinstance<py::array>(values)) {
    py::array a = py::reinterpret_borrow<py::array>(values);
    if (a.ndim() != 1 || a.dtype().kind() != 'O') {
      throw py::type_error("texts: expected a 1-D array of objects");
    }
    n = a.shape(0);
    stride = a.strides(0) / static_cast<Py_ssize_t>(sizeof(PyObject*));
    items = static_cast<PyObject* const*>(a.data());
    t.keep = std::move(a);
  } else {
    PyObject* seq = PySequence_Fast(values.ptr(), "texts: expected a list");
    if (seq == nullptr) throw py::error_already_set();
    t.keep = py::reinterpret_steal<py::object>(seq);
    n = PySequence_Fast_GET_SIZE(seq);
    items = PySequence_Fast_ITEMS(seq);
  }
  const std::size_t rows = static_cast<std::size_t>(n);
  t.views.assign(rows, std::string_view());
  t.missing.assign(rows, false);
  t.objects.assign(rows, nullptr);
  for (std::size_t i = 0; i < rows; ++i) {
    PyObject* o = items[static_cast<Py_ssize_t>(i) * stride];
    t.objects[i] = o;
    Py_ssize_t len = 0;
    if (o != nullptr && PyUnicode_Check(o)) {
      const char* data = PyUnicode_AsUTF8AndSize(o, &len);
      if (data == nullptr) {
        PyErr_Clear();
        Raise(absl::InvalidArgumentError(
            absl::StrCat("texts[", i, "] holds a lone surrogate, which is not text (not UTF-8)")));
      }
      t.views[i] = std::string_view(data, static_cast<std::size_t>(len));
    } else if (o != nullptr && PyBytes_Check(o)) {
      t.views[i] =
          std::string_view(PyBytes_AS_STRING(o), static_cast<std::size_t>(PyBytes_GET_SIZE(o)));
    } else {
      // None, NaN, pandas.NA and anything else without text: nothing to
      // find; the Python layer has already refused other types.
      t.missing[i] = true;
    }
  }
  return t;
}

// (kinds bitmask by IdKind number, (year, month, day) or zeros, modulus 11).
using ScanOptionsTuple = std::tuple<std::uint32_t, std::tuple<int, int, int>, bool>;

ScanOptions OptionsFrom(const ScanOptionsTuple& t) {
  ScanOptions o;
  const std::uint32_t bits = std::get<0>(t);
  for (unsigned k = 1; k < 32; ++k) {
    if ((bits >> k) & 1u) o.kinds.Add(static_cast<IdKind>(k));
  }
  const auto& d = std::get<1>(t);
  o.as_of = IdDate{std::get<0>(d), std::get<1>(d), std::get<2>(d)};
  o.require_modulus11 = std::get<2>(t);
  return o;
}

py::bytes CountBytes(const ScanCounts& c) {
  return py::bytes(reinterpret_cast<const char*>(c.data.data()),
                   c.data.size() * sizeof(std::uint32_t));
}

}  // namespace

void RegisterScan(py::module_& m) {
  // The kinds in result order (kScanKinds) by number, and their markers.
  m.def("scan_kinds", []() {
    py::list out;
    for (IdKind k : kScanKinds) {
      out.append(py::make_tuple(static_cast<int>(k), Str(ScanMarker(k))));
    }
    return out;
  });
  // Counts per kind (kind-major uint32 bytes, kNumScanKinds x rows).
  m.def(
      "scan_counts",
      [](const py::handle& texts, const ScanOptionsTuple& options) {
        const ScanOptions o = OptionsFrom(options);
        Texts t = ReadTexts(texts);
        absl::StatusOr<ScanCounts> c;
        {
          py::gil_scoped_release release;
          c = ScanTexts(t.views, o);
        }
        return CountBytes(ValueOrRaise(std::move(c)));
      },
      py::arg("texts"), py::arg("options"));
  // (redacted texts as a list, missing rows given back as they were; counts).
  m.def(
      "scan_redact",
      [](const py::handle& texts, const ScanOptionsTuple& options) {
        const ScanOptions o = OptionsFrom(options);
        Texts t = ReadTexts(texts);
        StringColumn out;
        ScanCounts found;
        absl::Status s;
        {
          py::gil_scoped_release release;
          s = RedactTexts(t.views, o, &out, &found);
        }
        if (!s.ok()) Raise(s);
        py::list result(out.size());
        for (std::size_t i = 0; i < out.size(); ++i) {
          if (t.missing[i]) {
            PyObject* o2 = t.objects[i] != nullptr ? t.objects[i] : Py_None;
            result[i] = py::reinterpret_borrow<py::object>(o2);
          } else if (PyBytes_Check(t.objects[i])) {
            result[i] = py::bytes(out[i].data(), out[i].size());
          } else {
            result[i] = Str(out[i]);
          }
        }
        return py::make_tuple(result, CountBytes(found));
      },
      py::arg("texts"), py::arg("options"));
  // Spans of one text: [(byte offset, byte length, kind number)].
  m.def(
      "scan_spans",
      [](const py::handle& text, const ScanOptionsTuple& options) {
        const ScanOptions o = OptionsFrom(options);
        Texts t = ReadTexts(py::make_tuple(text));
        absl::StatusOr<ScanResult> r;
        {
          py::gil_scoped_release release;
          r = ScanText(t.views[0], o);
        }
        ScanResult result = ValueOrRaise(std::move(r));
        py::list out;
        for (const IdSpan& s : result.spans) {
          out.append(py::make_tuple(s.offset, s.length, static_cast<int>(s.kind)));
        }
        return out;
      },
      py::arg("text"), py::arg("options"));
}

}  // namespace python
}  // namespace gdprkit
