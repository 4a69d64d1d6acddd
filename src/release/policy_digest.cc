// PolicyDigest (gdprkit/release.h): placeholder until the canonical form lands.
#include <string>

#include "gdprkit/release.h"

namespace gdprkit {

std::string PolicyDigest(const Policy& policy) { return std::string(); }

}  // namespace gdprkit
