// _gdprkit: Arrow columns through the Arrow PyCapsule interface (see
// arrow.h). The capsules' structs are moved out (their release set to NULL,
// so the producer's capsule destructor then frees nothing) and owned by the
// ImportedColumn; results go out as ArrowColumn objects whose capsules are
// fresh on every call and share the one set of buffers.
#include "arrow.h"

#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gdprkit {
namespace python {

[[noreturn]] void RaiseArgumentTypeError(const std::string& message);

namespace {

namespace arrow = internal::arrow;

// The struct a capsule named `name` holds, or nullptr (no Python error left).
template <typename T>
T* CapsulePointer(const py::handle& obj, const char* name) {
  if (!PyCapsule_IsValid(obj.ptr(), name)) return nullptr;
  return static_cast<T*>(PyCapsule_GetPointer(obj.ptr(), name));
}

[[noreturn]] void RaiseNotCapsules(const char* what, const char* method, const char* expected) {
  Raise(absl::InvalidArgumentError(absl::StrCat(what, ".", method, "() did not give ", expected,
                                                " (the Arrow PyCapsule interface)")));
}

// The result's buffers, shared by every array handed out (each holds one
// reference; released from any thread, without the GIL).
using SharedArray = std::shared_ptr<const arrow::ExportedArray>;

void ReleaseSharedArray(ArrowArray* a) {
  delete static_cast<SharedArray*>(a->private_data);
  a->private_data = nullptr;
  a->release = nullptr;
}

void ReleaseCopiedSchema(ArrowSchema* s) {
  s->private_data = nullptr;
  s->release = nullptr;
}

// Capsule destructors: release what no consumer took, then free the struct.
template <typename T>
void DeleteCapsule(PyObject* capsule, const char* name) {
  auto* p = static_cast<T*>(PyCapsule_GetPointer(capsule, name));
  if (p == nullptr) {
    PyErr_Clear();
    return;
  }
  if (p->release != nullptr) p->release(p);
  delete p;
}
void DeleteSchemaCapsule(PyObject* capsule) { DeleteCapsule<ArrowSchema>(capsule, "arrow_schema"); }
void DeleteArrayCapsule(PyObject* capsule) { DeleteCapsule<ArrowArray>(capsule, "arrow_array"); }

// The module's ArrowColumn: a text column made by gdprkit.
class ArrowColumn {
 public:
  explicit ArrowColumn(arrow::ExportedArray array)
      : array_(std::make_shared<const arrow::ExportedArray>(std::move(array))) {}

  std::int64_t size() const { return array_->length(); }
  std::string type() const {
    const char* f = array_->schema.format;
    return f != nullptr && f[0] == 'U' ? "large_string" : "string";
  }

  py::tuple Export() const {
    // The schema's strings are the exporter's constants; the copy owns nothing.
    auto* schema = new ArrowSchema(array_->schema);
    schema->release = ReleaseCopiedSchema;
    schema->private_data = nullptr;
    py::capsule s(schema, "arrow_schema", DeleteSchemaCapsule);
    auto* array = new ArrowArray(array_->array);
    array->private_data = new SharedArray(array_);
    array->release = ReleaseSharedArray;
    py::capsule a(array, "arrow_array", DeleteArrayCapsule);
    return py::make_tuple(std::move(s), std::move(a));
  }

 private:
  SharedArray array_;
};

}  // namespace

bool IsArrow(const py::handle& obj) {
  return py::hasattr(obj, "__arrow_c_array__") || py::hasattr(obj, "__arrow_c_stream__");
}

arrow::ImportedColumn ImportColumn(const py::handle& obj, const char* what) {
  absl::StatusOr<arrow::ImportedColumn> column;
  if (py::hasattr(obj, "__arrow_c_array__")) {
    py::object pair = obj.attr("__arrow_c_array__")();
    if (!py::isinstance<py::tuple>(pair) || py::len(pair) != 2) {
      RaiseNotCapsules(what, "__arrow_c_array__", "a pair of capsules");
    }
    py::tuple t = py::reinterpret_borrow<py::tuple>(pair);
    auto* schema = CapsulePointer<ArrowSchema>(t[0], "arrow_schema");
    auto* array = CapsulePointer<ArrowArray>(t[1], "arrow_array");
    if (schema == nullptr || array == nullptr) {
      RaiseNotCapsules(what, "__arrow_c_array__", "capsules named arrow_schema and arrow_array");
    }
    column = arrow::TakeArray(schema, array, what);
  } else if (py::hasattr(obj, "__arrow_c_stream__")) {
    py::object capsule = obj.attr("__arrow_c_stream__")();
    auto* stream = CapsulePointer<ArrowArrayStream>(capsule, "arrow_array_stream");
    if (stream == nullptr) {
      RaiseNotCapsules(what, "__arrow_c_stream__", "a capsule named arrow_array_stream");
    }
    column = arrow::TakeStream(stream, what);
  } else {
    RaiseArgumentTypeError(
        absl::StrCat(what, " is a ", Py_TYPE(obj.ptr())->tp_name, ", not an Arrow column"));
  }
  return ValueOrRaise(std::move(column));
}

py::object ToPython(arrow::ExportedArray array) {
  return py::cast(std::make_unique<ArrowColumn>(std::move(array)));
}

void RegisterArrow(py::module_& m) {
  // A text column made by gdprkit, for pyarrow.array(), polars.from_arrow()
  // and pandas to take without a copy. Shows its length and type only.
  py::class_<ArrowColumn>(m, "ArrowColumn")
      .def(
          "__arrow_c_array__",
          [](const ArrowColumn& c, const py::object& /*requested_schema*/) { return c.Export(); },
          py::arg("requested_schema") = py::none())
      .def("__len__", &ArrowColumn::size)
      .def_property_readonly("type", &ArrowColumn::type)
      .def("__repr__", [](const ArrowColumn& c) {
        return absl::StrCat("ArrowColumn(length=", c.size(), ", type=", c.type(), ")");
      });
  m.def(
      "arrow_text",
      [](const py::handle& values) {
        // A text column's rows round-tripped through the reader and writer
        // (for tests and for a caller who wants gdprkit's own copy).
        arrow::ImportedColumn in = ImportColumn(values, "values");
        std::vector<std::string_view> views;
        std::vector<std::uint8_t> valid;
        absl::Status s = arrow::ReadText(in, "values", &views, &valid);
        if (!s.ok()) Raise(s);
        StringColumn column;
        column.reserve(views.size(), 0);
        for (std::string_view v : views) column.push_back(v);
        arrow::ExportedArray out = ValueOrRaise(arrow::ExportText(column, &valid));
        column.SecureClear();
        return ToPython(std::move(out));
      },
      py::arg("values"));
}

}  // namespace python
}  // namespace gdprkit
