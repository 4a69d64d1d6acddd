/* gdprkit C ABI, Danish identifiers and the pseudonymisation vault.
 * Included by <gdprkit.h>; do not include it on its own. Conventions (status
 * codes, out-parameters first, versioned records, free functions): see
 * <gdprkit.h> and docs/conventions.md. */
#ifndef GDPRKIT_C_VAULT_H_
#define GDPRKIT_C_VAULT_H_

#ifndef GDPRKIT_H_
#error "include <gdprkit.h>, not <gdprkit/c/vault.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GDPRKIT_C_VAULT_H_ */
