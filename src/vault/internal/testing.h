// Test hooks of the vault: inert unless a test sets them.
#ifndef GDPRKIT_SRC_VAULT_INTERNAL_TESTING_H_
#define GDPRKIT_SRC_VAULT_INTERNAL_TESTING_H_

#include <atomic>

namespace gdprkit::internal {

// When >= 0, re-keying stops with Aborted after that many domains were
// re-keyed (and committed): an interrupted rotation, as a crash leaves it.
extern std::atomic<int> g_rekey_stop_after_for_tests;

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_VAULT_INTERNAL_TESTING_H_
