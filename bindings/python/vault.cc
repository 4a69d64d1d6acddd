// _gdprkit: Danish identifiers and the pseudonymisation vault.
#include "common.h"

namespace gdprkit {
namespace python {

void RegisterVault(py::module_& m) { (void)m; }

}  // namespace python
}  // namespace gdprkit
