// PolicyDigest (gdprkit/release.h): the digest the policy computed when it
// was read (Policy::digest(): BLAKE2b-256 of the gdprkit.v1.Policy message,
// serialised deterministically), so that a release log and the policy area
// name the same rules by the same text.
#include <string>

#include "gdprkit/policy.h"
#include "gdprkit/release.h"

namespace gdprkit {

std::string PolicyDigest(const Policy& policy) { return policy.digest(); }

}  // namespace gdprkit
