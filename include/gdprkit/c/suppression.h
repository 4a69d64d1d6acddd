/* gdprkit C ABI, small-cell suppression: tables in and out as serialized gdprkit.v1 messages, the audit.
 * Included by <gdprkit.h>; do not include it on its own. Conventions (status
 * codes, out-parameters first, versioned records, free functions): see
 * <gdprkit.h> and docs/conventions.md. */
#ifndef GDPRKIT_C_SUPPRESSION_H_
#define GDPRKIT_C_SUPPRESSION_H_

#ifndef GDPRKIT_H_
#error "include <gdprkit.h>, not <gdprkit/c/suppression.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GDPRKIT_C_SUPPRESSION_H_ */
