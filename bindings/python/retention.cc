// _gdprkit: retention schedules, add_period, sweeps, the deletion log.
#include "common.h"

namespace gdprkit {
namespace python {

void RegisterRetention(py::module_& m) { (void)m; }

}  // namespace python
}  // namespace gdprkit
