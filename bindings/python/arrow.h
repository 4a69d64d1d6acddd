// Arrow columns at the Python door: any object with __arrow_c_array__ or
// __arrow_c_stream__ (the Arrow PyCapsule interface: pyarrow Array and
// ChunkedArray, pandas Series backed by Arrow, Polars Series, DuckDB
// results) is read through src/common/arrow.h; results go back as an
// ArrowColumn, a small object of the module with __arrow_c_array__ that
// pyarrow.array(), polars.from_arrow() and pandas import without a copy.
#ifndef GDPRKIT_BINDINGS_PYTHON_ARROW_H_
#define GDPRKIT_BINDINGS_PYTHON_ARROW_H_

#include <pybind11/pybind11.h>

#include "common.h"
#include "common/arrow.h"

namespace gdprkit {
namespace python {

// True when `obj` offers the Arrow PyCapsule interface.
bool IsArrow(const py::handle& obj);

// The column `obj` holds (its __arrow_c_array__, else its
// __arrow_c_stream__), owned by the result. Raises InvalidArgumentError
// naming `what` for what src/common/arrow.h refuses.
internal::arrow::ImportedColumn ImportColumn(const py::handle& obj, const char* what);

// An ArrowColumn (a module class with __arrow_c_array__ and __len__) that
// owns `array` until a consumer takes it.
py::object ToPython(internal::arrow::ExportedArray array);

// Adds the ArrowColumn class to the module (called by module.cc).
void RegisterArrow(py::module_& m);

}  // namespace python
}  // namespace gdprkit

#endif  // GDPRKIT_BINDINGS_PYTHON_ARROW_H_
