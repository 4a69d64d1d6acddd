/* Compiled, not run, by the c_header_* tests (tests/CMakeLists.local.cmake):
 * include/gdprkit.h must be clean C99, C11 and C++ (11, 17) under -Wall
 * -Wextra -pedantic -Werror, self-contained, include-guarded, and its _INIT
 * macros must initialise every field without warnings in both languages. */
#include "gdprkit.h"
#include "gdprkit.h" /* twice: the include guard works */

int gdprkit_header_check(void);

int gdprkit_header_check(void) {
  gdprkit_finding finding = GDPRKIT_FINDING_INIT;
  gdprkit_purpose_info purpose = GDPRKIT_PURPOSE_INFO_INIT;
  gdprkit_right_info right = GDPRKIT_RIGHT_INFO_INIT;
  /* Options: version 2 since 0.3 (cpr_allow_future, cpr_as_of). */
  gdprkit_id_options id_options = GDPRKIT_ID_OPTIONS_INIT;
  gdprkit_batch_options batch_options = GDPRKIT_BATCH_OPTIONS_INIT;
  enum gdprkit_id_problem future = GDPRKIT_ID_FUTURE_BIRTH_DATE;
  gdprkit_status status = GDPRKIT_OK;
  gdprkit_policy* policy = NULL;
  gdprkit_findings* findings = NULL;
  gdprkit_rights* rights = NULL;
  size_t n = 0;
  int allowed = 0;
  const char* title = NULL;
  /* Every function, by its declared signature. */
  const char* (*version)(void) = gdprkit_version;
  int (*abi_version)(void) = gdprkit_abi_version;
  const char* (*status_name)(gdprkit_status) = gdprkit_status_name;
  const char* (*last_error)(void) = gdprkit_last_error;
  gdprkit_status (*load_file)(gdprkit_policy**, const char*, int) = gdprkit_policy_load_file;
  gdprkit_status (*load_bytes)(gdprkit_policy**, const char*, size_t, int, const char*) =
      gdprkit_policy_load_bytes;
  void (*policy_free)(gdprkit_policy*) = gdprkit_policy_free;
  const char* (*source_name)(const gdprkit_policy*) = gdprkit_policy_source_name;
  gdprkit_status (*validate)(gdprkit_findings**, const gdprkit_policy*) = gdprkit_policy_validate;
  size_t (*findings_count)(const gdprkit_findings*) = gdprkit_findings_count;
  size_t (*findings_error_count)(const gdprkit_findings*) = gdprkit_findings_error_count;
  gdprkit_status (*findings_get)(gdprkit_finding*, const gdprkit_findings*, size_t) =
      gdprkit_findings_get;
  void (*findings_free)(gdprkit_findings*) = gdprkit_findings_free;
  size_t (*purpose_count)(const gdprkit_policy*) = gdprkit_policy_purpose_count;
  gdprkit_status (*purpose_get)(gdprkit_purpose_info*, const gdprkit_policy*, size_t) =
      gdprkit_policy_purpose_get;
  gdprkit_status (*purpose_find)(size_t*, const gdprkit_policy*, const char*) =
      gdprkit_policy_purpose_find;
  gdprkit_status (*basis_title)(const char**, const gdprkit_policy*, const char*) =
      gdprkit_policy_basis_title;
  gdprkit_status (*policy_rights)(gdprkit_rights**, const gdprkit_policy*, const char*) =
      gdprkit_policy_rights;
  size_t (*rights_count)(const gdprkit_rights*) = gdprkit_rights_count;
  gdprkit_status (*rights_get)(gdprkit_right_info*, const gdprkit_rights*, size_t) =
      gdprkit_rights_get;
  void (*rights_free)(gdprkit_rights*) = gdprkit_rights_free;
  gdprkit_status (*may_access)(int*, const gdprkit_policy*, const char*, const char*, const char*) =
      gdprkit_policy_may_access;
  /* Added in 0.3 (node GDPRKIT_0.3). */
  gdprkit_status (*vault_rekey)(size_t*, gdprkit_vault*, const char*) = gdprkit_vault_rekey;
  gdprkit_status (*vault_backup)(gdprkit_vault*, const char*) = gdprkit_vault_backup;
  gdprkit_status (*vault_checkpoint)(int*, gdprkit_vault*, unsigned int) = gdprkit_vault_checkpoint;
  /* Added in 0.4 (node GDPRKIT_0.4): the shared vocabularies, progress. */
  gdprkit_suppression_options suppression_options = GDPRKIT_SUPPRESSION_OPTIONS_INIT;
  gdprkit_sweep_options sweep_options = GDPRKIT_SWEEP_OPTIONS_INIT;
  gdprkit_progress_fn progress = NULL;
  enum gdprkit_language language = GDPRKIT_LANGUAGE_DA;
  enum gdprkit_errors errors = GDPRKIT_ERRORS_COERCE;
  const char* (*language_name)(int) = gdprkit_language_name;
  gdprkit_status (*errors_parse)(const char*, int*) = gdprkit_errors_parse;
  gdprkit_status (*vault_rotate_progress)(unsigned int*, gdprkit_vault*, const char*,
                                          gdprkit_progress_fn, void*) =
      gdprkit_vault_rotate_with_progress;
  /* The init functions (0.4): out first, then the caller's layout version. */
  gdprkit_status (*finding_init)(gdprkit_finding*, unsigned int) = gdprkit_finding_init;
  gdprkit_status (*sweep_options_init)(gdprkit_sweep_options*, unsigned int) =
      gdprkit_sweep_options_init;
  gdprkit_status (*suppression_options_init)(gdprkit_suppression_options*, unsigned int) =
      gdprkit_suppression_options_init;
  gdprkit_status (*batch_options_init)(gdprkit_batch_options*, unsigned int) =
      gdprkit_batch_options_init;
  enum gdprkit_format format = GDPRKIT_FORMAT_JSON;
  enum gdprkit_severity severity = GDPRKIT_SEVERITY_WARNING;

  (void)version, (void)abi_version, (void)status_name, (void)last_error, (void)load_file;
  (void)load_bytes, (void)policy_free, (void)source_name, (void)validate, (void)findings_count;
  (void)findings_error_count, (void)findings_get, (void)findings_free, (void)purpose_count;
  (void)purpose_get, (void)purpose_find, (void)basis_title, (void)policy_rights;
  (void)rights_count, (void)rights_get, (void)rights_free, (void)may_access;
  (void)policy, (void)findings, (void)rights, (void)n, (void)allowed, (void)title;
  (void)vault_rekey, (void)vault_backup, (void)vault_checkpoint;
  (void)suppression_options, (void)sweep_options, (void)progress, (void)language, (void)errors;
  (void)language_name, (void)errors_parse, (void)vault_rotate_progress;
  (void)format, (void)severity, (void)future;
  (void)finding_init, (void)sweep_options_init, (void)suppression_options_init;
  (void)batch_options_init;
  return (finding.version == GDPRKIT_FINDING_VERSION) +
         (purpose.version == GDPRKIT_PURPOSE_INFO_VERSION) +
         (right.version == GDPRKIT_RIGHT_INFO_VERSION) + status + GDPRKIT_ABI_VERSION +
         (id_options.version == GDPRKIT_ID_OPTIONS_VERSION) +
         (id_options.cpr_as_of < 0) + /* GDPRKIT_NO_DATE, whose cast C++ would warn about */
         (batch_options.id_options.version == GDPRKIT_ID_OPTIONS_VERSION) + GDPRKIT_VERSION_MAJOR +
         GDPRKIT_VERSION_MINOR + GDPRKIT_VERSION_PATCH + (GDPRKIT_VERSION[0] != '\0');
}
