// `gdprkit vault ...` and `gdprkit id ...`: identifiers and the pseudonymisation vault.
#include <vector>

#include "cli.h"

namespace gdprkit::cli {

std::vector<Command> VaultCommands() { return {}; }

}  // namespace gdprkit::cli
