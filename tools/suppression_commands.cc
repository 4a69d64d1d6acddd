// `gdprkit suppress`: small-cell suppression of CSV tables and its audit.
#include <vector>

#include "cli.h"

namespace gdprkit::cli {

std::vector<Command> SuppressionCommands() { return {}; }

}  // namespace gdprkit::cli
