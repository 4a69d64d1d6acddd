/* gdprkit C ABI, identifiers in free text (gdprkit/scan.h).
 * Included by <gdprkit.h>; do not include it on its own. Conventions: see
 * <gdprkit.h>. docs/release.md describes what counts as an identifier in
 * text (the CPR date and century check, CVR and GLN check digits, provider
 * numbers only after a cue word such as "ydernr."). Results are counts,
 * never values. Thread-safe. Needs <stdint.h> (and enum gdprkit_id_kind of
 * <gdprkit/c/vault.h>). */
#ifndef GDPRKIT_C_SCAN_H_
#define GDPRKIT_C_SCAN_H_

#ifndef GDPRKIT_H_
#error "include <gdprkit.h>, not <gdprkit/c/scan.h>"
#endif

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The number of counts gdprkit_scan_text writes: out_counts[kind - 1] for
 * GDPRKIT_ID_CPR, _CVR, _GLN, _PROVIDER_NUMBER and _SOR (kinds 1-5). */
#define GDPRKIT_SCAN_KINDS 5

/* Options of a scan. Initialise with GDPRKIT_SCAN_OPTIONS_INIT; NULL means
 * the defaults.
 *   kinds: a bit (1u << kind) per gdprkit_id_kind to look for; 0 (default):
 *     CPR, CVR, GLN and provider numbers. GDPRKIT_ID_OTHER is
 *     INVALID_ARGUMENT (it has no form to find).
 *   require_modulus11: 0 (default): CPR numbers need not pass modulus 11.
 *   as_of: the day (days since 1970-01-01, gdprkit_date_parse) CPR birth
 *     dates are judged on; GDPRKIT_NO_DATE (default): today in Denmark. */
typedef struct gdprkit_scan_options {
  unsigned int version; /* GDPRKIT_SCAN_OPTIONS_VERSION */
  unsigned int kinds;
  int require_modulus11;
  int32_t as_of;
} gdprkit_scan_options;

#define GDPRKIT_SCAN_OPTIONS_VERSION 1u
#define GDPRKIT_SCAN_OPTIONS_INIT \
  { GDPRKIT_SCAN_OPTIONS_VERSION, 0u, 0, (-2147483647 - 1) }
/* GDPRKIT_SCAN_OPTIONS_INIT as a function, for FFI (see <gdprkit.h>). */
GDPRKIT_API gdprkit_status gdprkit_scan_options_init(gdprkit_scan_options* out,
                                                     unsigned int version);

/* Counts the identifiers in `text` (`len` bytes of UTF-8; NUL bytes are
 * text too; NULL only with len 0) into out_counts (GDPRKIT_SCAN_KINDS
 * values, overwritten; zeros for kinds not looked for). */
GDPRKIT_API gdprkit_status gdprkit_scan_text(const char* text, size_t len,
                                             const gdprkit_scan_options* options,
                                             uint64_t* out_counts);

#ifdef __cplusplus
}
#endif

#endif /* GDPRKIT_C_SCAN_H_ */
