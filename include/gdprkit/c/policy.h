/* gdprkit C ABI, policies: loading a policy file (the controller's record of processing
 * activities, GDPR Art. 30), its validation findings, its purposes and legal-basis titles, the
 * rights matrix of a purpose and team access. Included by <gdprkit.h>; do not include it on its
 * own. Conventions (status codes, out-parameters first, versioned records, free functions): see
 * <gdprkit.h> and docs/conventions.md. docs/policy.md describes the semantics (the schema, the
 * finding codes, the rights matrix). */
#ifndef GDPRKIT_C_POLICY_H_
#define GDPRKIT_C_POLICY_H_

#ifndef GDPRKIT_H_
#error "include <gdprkit.h>, not <gdprkit/c/policy.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Policies --------------------------------------------------------- */

/* A loaded policy file: the controller's record of processing activities
 * (GDPR Art. 30) against schema gdprkit.v1 (proto/gdprkit/v1/policy.proto).
 * Immutable; safe to read from many threads at once. */
typedef struct gdprkit_policy gdprkit_policy;

/* Input formats of policy files. */
enum gdprkit_format {
  /* By file extension (.json; .textproto, .txtpb, .pbtxt, .textpb), else by
   * content: JSON when the first non-blank character is '{' or '['. */
  GDPRKIT_FORMAT_AUTO = 0,
  GDPRKIT_FORMAT_TEXTPROTO = 1, /* protobuf text format */
  GDPRKIT_FORMAT_JSON = 2       /* proto3 JSON mapping */
};

/* Reads and parses the policy file at `path` (UTF-8) in `format` (a
 * gdprkit_format) and stores a new policy in *out, to be released with
 * gdprkit_policy_free. A policy that parses is returned even when validation
 * would flag it; call gdprkit_policy_validate.
 * Errors: INVALID_ARGUMENT for a NULL argument, an unknown format, or
 * content that does not parse (the message names the file, line, column and
 * field; unknown fields come with the nearest valid names); NOT_FOUND when
 * the file does not exist; PERMISSION_DENIED when it cannot be read;
 * RESOURCE_EXHAUSTED beyond 16 MiB or out of memory. *out is NULL on
 * failure. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_policy_load_file(gdprkit_policy** out, const char* path,
                                                    int format);

/* Parses a policy from `len` bytes at `data` (need not be NUL-terminated)
 * and stores a new policy in *out. `source_name` names the input in error
 * messages and findings (e.g. the file it came from); NULL means
 * "<memory>". `data` may be NULL only when `len` is 0.
 * Errors: as gdprkit_policy_load_file; empty or blank input, bytes that are
 * not UTF-8 text, and truncated or malformed text are INVALID_ARGUMENT with
 * the line and column. *out is NULL on failure. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_policy_load_bytes(gdprkit_policy** out, const char* data,
                                                     size_t len, int format,
                                                     const char* source_name);

/* Releases a policy. Accepts NULL. Strings obtained from the policy (purpose
 * records, basis titles) become invalid; findings and rights already
 * computed from it stay valid until freed themselves. */
GDPRKIT_API void gdprkit_policy_free(gdprkit_policy* policy);

/* The name the policy was loaded under (its path, or the source_name given
 * to gdprkit_policy_load_bytes), valid as long as the policy; "" for NULL.
 * Never fails. */
GDPRKIT_API const char* gdprkit_policy_source_name(const gdprkit_policy* policy);

/* ---- Validation findings ---------------------------------------------- */

/* The findings of one validation run: a list of gdprkit_finding records. */
typedef struct gdprkit_findings gdprkit_findings;

/* How serious a finding is. */
enum gdprkit_severity {
  GDPRKIT_SEVERITY_INFO = 0,
  GDPRKIT_SEVERITY_WARNING = 1,
  GDPRKIT_SEVERITY_ERROR = 2 /* the policy is not a lawful record as written */
};

/* One finding. Every string is non-NULL (possibly "") and lives as long as
 * the gdprkit_findings it came from. Initialise with GDPRKIT_FINDING_INIT. */
typedef struct gdprkit_finding {
  unsigned int version;      /* set by the caller: GDPRKIT_FINDING_VERSION */
  int severity;              /* a gdprkit_severity */
  const char* severity_name; /* "info", "warning" or "error" */
  /* Stable kebab-case kind of finding, e.g. "unknown-basis",
   * "special-category-without-condition" (docs/policy.md lists them). */
  const char* code;
  const char* purpose_id; /* "" when the finding concerns the whole policy */
  const char* field;      /* path of the field, e.g. "purposes[2].basis[1]" */
  const char* message;    /* for people: what is wrong and what would fix it */
  const char* file;       /* the policy's source name */
  int line;               /* 1-based line in file; 0 when unknown */
} gdprkit_finding;

#define GDPRKIT_FINDING_VERSION 1u
#define GDPRKIT_FINDING_INIT \
  { GDPRKIT_FINDING_VERSION, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 }
/* GDPRKIT_FINDING_INIT as a function, for FFI: version GDPRKIT_FINDING_VERSION (see <gdprkit.h>).
 * Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_finding_init(gdprkit_finding* out, unsigned int version);

/* Validates a policy, as a data-protection officer would, and stores the
 * findings in *out (most severe first, then in file order), to be released
 * with gdprkit_findings_free. An invalid policy is described, not refused:
 * a policy with error findings still returns GDPRKIT_OK here; use
 * gdprkit_findings_error_count to decide.
 * Errors: INVALID_ARGUMENT for a NULL argument; RESOURCE_EXHAUSTED out of
 * memory. *out is NULL on failure. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_policy_validate(gdprkit_findings** out,
                                                   const gdprkit_policy* policy);

/* Number of findings; 0 for NULL. Never fails. */
GDPRKIT_API size_t gdprkit_findings_count(const gdprkit_findings* findings);

/* Number of findings of severity GDPRKIT_SEVERITY_ERROR; 0 for NULL (and for
 * a valid policy). Never fails. */
GDPRKIT_API size_t gdprkit_findings_error_count(const gdprkit_findings* findings);

/* Fills *out (initialised with GDPRKIT_FINDING_INIT) with finding `index`.
 * Errors: INVALID_ARGUMENT for a NULL argument or an unsupported
 * out->version; OUT_OF_RANGE when index >= gdprkit_findings_count. On
 * failure *out is zeroed except its version. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_findings_get(gdprkit_finding* out,
                                                const gdprkit_findings* findings, size_t index);

/* Releases findings. Accepts NULL. */
GDPRKIT_API void gdprkit_findings_free(gdprkit_findings* findings);

/* ---- Purposes --------------------------------------------------------- */

/* One processing purpose of a policy (Art. 30(1)(b)-(g)). Strings and arrays
 * are non-NULL (possibly "" or empty) and live as long as the policy.
 * Initialise with GDPRKIT_PURPOSE_INFO_INIT. */
typedef struct gdprkit_purpose_info {
  unsigned int version; /* set by the caller: GDPRKIT_PURPOSE_INFO_VERSION */
  const char* id;
  const char* title;
  const char* description;
  const char* retention; /* retention rule id; "" when none */
  /* Legal-basis codes as written in the policy ("A6-1-b", "A9-2-h",
   * "DK-DBL-7-3", declared references such as "DK-SUL-42d"); see
   * gdprkit_policy_basis_title. */
  const char* const* basis;
  size_t basis_count;
  /* Data-category keys ("contact", "health.diagnosis"). */
  const char* const* categories;
  size_t category_count;
  /* Kinds of data subjects ("patients", "general practitioners"). */
  const char* const* data_subjects;
  size_t data_subject_count;
  int line; /* 1-based line of the purpose in its file; 0 when unknown */
} gdprkit_purpose_info;

#define GDPRKIT_PURPOSE_INFO_VERSION 1u
#define GDPRKIT_PURPOSE_INFO_INIT \
  { GDPRKIT_PURPOSE_INFO_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, 0, 0 }
/* GDPRKIT_PURPOSE_INFO_INIT as a function, for FFI: version GDPRKIT_PURPOSE_INFO_VERSION (see
 * <gdprkit.h>). Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_purpose_info_init(gdprkit_purpose_info* out,
                                                     unsigned int version);

/* Number of purposes of the policy, in file order; 0 for NULL. Never fails. */
GDPRKIT_API size_t gdprkit_policy_purpose_count(const gdprkit_policy* policy);

/* Fills *out (initialised with GDPRKIT_PURPOSE_INFO_INIT) with purpose
 * `index` (file order).
 * Errors: INVALID_ARGUMENT for a NULL argument or an unsupported
 * out->version; OUT_OF_RANGE when index >= gdprkit_policy_purpose_count. On
 * failure *out is zeroed except its version. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_policy_purpose_get(gdprkit_purpose_info* out,
                                                      const gdprkit_policy* policy, size_t index);

/* Stores in *out_index the index of the purpose with id `purpose_id`.
 * Errors: INVALID_ARGUMENT for a NULL argument; NOT_FOUND when the policy
 * has no such purpose (the message suggests the nearest ids). *out_index is
 * 0 on failure. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_policy_purpose_find(size_t* out_index,
                                                       const gdprkit_policy* policy,
                                                       const char* purpose_id);

/* Stores in *out the human title of a legal-basis code: a built-in code
 * (GDPR Art. 6, 9, 10, Databeskyttelsesloven) or a reference the policy
 * declares. The string lives as long as the policy.
 * Errors: INVALID_ARGUMENT for a NULL argument; NOT_FOUND for a code that is
 * neither built in nor declared (the message suggests the nearest codes).
 * *out is NULL on failure. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_policy_basis_title(const char** out,
                                                      const gdprkit_policy* policy,
                                                      const char* code);

/* The title of a legal-basis code in `language` (a gdprkit_language): a
 * built-in code in that language ("Art. 6(1)(c) GDPR: compliance with a
 * legal obligation" / "Art. 6, stk. 1, litra c: retlig forpligtelse"), a
 * reference the policy declares as written, whatever the language. The
 * string lives as long as the policy.
 * Errors: as gdprkit_policy_basis_title, and INVALID_ARGUMENT for a number
 * that is no gdprkit_language. *out is NULL on failure. Thread-safe. Added
 * in 0.4. */
GDPRKIT_API gdprkit_status gdprkit_policy_basis_title_lang(const char** out,
                                                           const gdprkit_policy* policy,
                                                           const char* code, int language);

/* ---- Titles in a language (added in 0.4) -------------------------------- */

/* Titles for people in `language` (a gdprkit_language), from the core's one
 * table of titles, the same at every door: of a built-in legal-basis code
 * ("A9-2-h"), of a right code ("A17": "Art. 17: right to erasure" / "Art.
 * 17: Ret til sletning"), of a finding code ("missing-art6-basis": "No Art.
 * 6(1) basis" / "Intet behandlingsgrundlag efter art. 6, stk. 1") and of a
 * gdprkit_severity ("error" / "fejl"). Codes never change with the language;
 * findings' messages and rights' reasons stay English. UTF-8 static strings;
 * "" for NULL, an unknown code or number, or no language. Never fails; safe
 * from any thread. */
GDPRKIT_API const char* gdprkit_legal_basis_title(const char* code, int language);
GDPRKIT_API const char* gdprkit_right_title(const char* code, int language);
GDPRKIT_API const char* gdprkit_finding_title(const char* code, int language);
GDPRKIT_API const char* gdprkit_severity_title(int severity, int language);

/* ---- Data-subject rights ---------------------------------------------- */

/* The rights matrix of one purpose: one gdprkit_right_info per right of the
 * data subject, in the order of the Regulation (A13 ... A22, then A7-3). */
typedef struct gdprkit_rights gdprkit_rights;

/* Whether one right applies to a purpose. Strings are non-NULL and live as
 * long as the gdprkit_rights. Initialise with GDPRKIT_RIGHT_INFO_INIT. */
typedef struct gdprkit_right_info {
  unsigned int version; /* set by the caller: GDPRKIT_RIGHT_INFO_VERSION */
  const char* code;     /* "A13" ... "A22", "A7-3" */
  const char* title;    /* "Art. 17: right to erasure" (English; for another
                         * language: gdprkit_right_title(code, language)) */
  int applies;          /* 1 when the right applies, 0 when not */
  /* The legal reasoning, with the article; in particular why a right does
   * not apply ("Art. 17(3)(b): ..."). */
  const char* reason;
} gdprkit_right_info;

#define GDPRKIT_RIGHT_INFO_VERSION 1u
#define GDPRKIT_RIGHT_INFO_INIT \
  { GDPRKIT_RIGHT_INFO_VERSION, NULL, NULL, 0, NULL }
/* GDPRKIT_RIGHT_INFO_INIT as a function, for FFI: version GDPRKIT_RIGHT_INFO_VERSION (see
 * <gdprkit.h>). Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_right_info_init(gdprkit_right_info* out, unsigned int version);

/* Computes the rights matrix of purpose `purpose_id` from its legal bases
 * and stores it in *out, to be released with gdprkit_rights_free.
 * Errors: INVALID_ARGUMENT for a NULL argument; NOT_FOUND when the policy
 * has no such purpose (the message suggests the nearest ids). *out is NULL
 * on failure. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_policy_rights(gdprkit_rights** out, const gdprkit_policy* policy,
                                                 const char* purpose_id);

/* Number of rights in the matrix; 0 for NULL. Never fails. */
GDPRKIT_API size_t gdprkit_rights_count(const gdprkit_rights* rights);

/* Fills *out (initialised with GDPRKIT_RIGHT_INFO_INIT) with right `index`.
 * Errors: INVALID_ARGUMENT for a NULL argument or an unsupported
 * out->version; OUT_OF_RANGE when index >= gdprkit_rights_count. On failure
 * *out is zeroed except its version. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_rights_get(gdprkit_right_info* out, const gdprkit_rights* rights,
                                              size_t index);

/* Releases a rights matrix. Accepts NULL. */
GDPRKIT_API void gdprkit_rights_free(gdprkit_rights* rights);

/* ---- Team access ------------------------------------------------------ */

/* Decides whether a member of `team` acting in `role` may see data of
 * purpose `purpose_id`: the team holds an access grant on the purpose and,
 * where the grant names roles, `role` is one of them. `role` may be NULL or
 * "" for "no particular role". Stores 1 (allowed) or 0 (denied) in
 * *out_allowed.
 * Errors: INVALID_ARGUMENT for a NULL out_allowed, policy, purpose_id or
 * team, or an empty team; NOT_FOUND for an unknown purpose. *out_allowed is
 * 0 (denied) on failure: check the status, not only the flag. Thread-safe. */
GDPRKIT_API GDPRKIT_WARN_UNUSED_RESULT gdprkit_status
gdprkit_policy_may_access(int* out_allowed, const gdprkit_policy* policy, const char* purpose_id,
                          const char* team, const char* role);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GDPRKIT_C_POLICY_H_ */
