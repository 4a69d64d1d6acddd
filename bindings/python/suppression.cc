// _gdprkit: small-cell suppression and its audit.
#include "common.h"

namespace gdprkit {
namespace python {

void RegisterSuppression(py::module_& m) { (void)m; }

}  // namespace python
}  // namespace gdprkit
