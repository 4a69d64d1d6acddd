// The consent bindings of _gdprkit (gdprkit/consent.h): thin, the logic is the core's.
#include "gdprkit/consent.h"

#include <pybind11/pybind11.h>

#include "common.h"

namespace gdprkit::python {

void RegisterConsent(py::module_& m) {}

}  // namespace gdprkit::python
