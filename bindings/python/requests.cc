// The requests bindings of _gdprkit (gdprkit/requests.h): thin, the logic is the core's.
#include "gdprkit/requests.h"

#include <pybind11/pybind11.h>

#include "common.h"

namespace gdprkit::python {

void RegisterRequests(py::module_& m) {}

}  // namespace gdprkit::python
