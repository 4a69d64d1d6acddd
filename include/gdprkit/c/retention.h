/* gdprkit C ABI, retention: add_period, schedules from a policy, sweeps over arrays, the deletion log.
 * Included by <gdprkit.h>; do not include it on its own. Conventions (status
 * codes, out-parameters first, versioned records, free functions): see
 * <gdprkit.h> and docs/conventions.md. */
#ifndef GDPRKIT_C_RETENTION_H_
#define GDPRKIT_C_RETENTION_H_

#ifndef GDPRKIT_H_
#error "include <gdprkit.h>, not <gdprkit/c/retention.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GDPRKIT_C_RETENTION_H_ */
