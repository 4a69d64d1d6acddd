// `gdprkit retention ...`: date arithmetic, sweeps, the deletion log.
#include <vector>

#include "cli.h"

namespace gdprkit::cli {

std::vector<Command> RetentionCommands() { return {}; }

}  // namespace gdprkit::cli
