// The policy as a gdprkit.v1.Policy message, rebuilt from Policy's read-only
// view (src/release/policy_digest.cc says what the view settles); what
// PolicyDigest hashes. Not installed.
#ifndef GDPRKIT_SRC_RELEASE_INTERNAL_POLICY_MESSAGE_H_
#define GDPRKIT_SRC_RELEASE_INTERNAL_POLICY_MESSAGE_H_

#include "gdprkit/policy.h"
#include "gdprkit/v1/policy.pb.h"

namespace gdprkit::release_internal {

v1::Policy PolicyMessage(const Policy& policy);

}  // namespace gdprkit::release_internal

#endif  // GDPRKIT_SRC_RELEASE_INTERNAL_POLICY_MESSAGE_H_
