/* gdprkit.h: the stable C ABI of gdprkit.
 *
 * One C99 header for C, C#, Delphi, Java (JNA/Panama), Rust and every other
 * language that speaks C. It depends on nothing but <stddef.h>; it uses no
 * C++ type and no bool. Its rules (docs/conventions.md has the long form):
 *
 *  - Names. Every symbol starts with gdprkit_ (functions, types) or GDPRKIT_
 *    (macros, constants). Functions are named gdprkit_<object>_<verb>, e.g.
 *    gdprkit_policy_load_file, gdprkit_findings_get.
 *
 *  - Handles. Objects are opaque: gdprkit_policy, gdprkit_findings,
 *    gdprkit_rights. You only ever hold pointers to them.
 *
 *  - Results. A function that can fail returns gdprkit_status: 0
 *    (GDPRKIT_OK) on success, otherwise one of the GDPRKIT_<CODE> constants
 *    below, which are the numbers of absl::StatusCode (and so of gRPC). On
 *    failure gdprkit_last_error() describes the problem for people: it names
 *    the bad input (function, argument, file, line, field, value) but never
 *    a secret. The message belongs to the calling thread and stays valid
 *    until that thread's next call into gdprkit. Functions that cannot fail
 *    (versions, gdprkit_status_name, gdprkit_last_error,
 *    gdprkit_policy_source_name, the *_count functions and the *_free
 *    functions) return their value directly and leave the last error alone.
 *
 *  - Out-parameters first. Results are written through out-parameters that
 *    come before the inputs: gdprkit_policy_load_file(&policy, path, format).
 *    On failure every out-parameter is cleared (NULL, 0, or a zeroed struct
 *    whose version is kept), never left half-set.
 *
 *  - Ownership. The library allocates what it returns; give each object back
 *    with its own gdprkit_<object>_free (never free(); do not mix
 *    allocators). Every _free accepts NULL. Strings and arrays reached
 *    through a handle (a finding's message, a purpose's basis codes) belong
 *    to that handle and live exactly as long as it does: copy them to keep
 *    them longer.
 *
 *  - Strings are UTF-8 and NUL-terminated. Byte inputs are a pointer and a
 *    length; a length of 0 is an empty input (the pointer may then be NULL)
 *    and gets the parser's error, never a crash.
 *
 *  - Arrays and counts. Every (pointer, count) pair, input or output, is
 *    checked before anything is read or written through it: a NULL pointer
 *    with a count above 0 is GDPRKIT_INVALID_ARGUMENT naming the argument
 *    ("argument values is NULL but count is 3"); so is a count above the
 *    pair's limit, which is never more than an array in memory can hold
 *    (PTRDIFF_MAX bytes) and lower where the function says so (a sweep takes
 *    at most INT32_MAX records). When a call refuses its arguments nothing
 *    is written through its output arrays; out-parameters are cleared as
 *    usual.
 *
 *  - Versioned structs. A struct the caller passes in, whether options or a
 *    record for the library to fill, starts with `unsigned int version`.
 *    Initialise it with its _INIT macro (gdprkit_finding f =
 *    GDPRKIT_FINDING_INIT;) so that a program compiled against this header
 *    keeps working against a later library that has grown the struct: the
 *    library fills only the fields of the version you declare, and refuses
 *    unknown versions with GDPRKIT_INVALID_ARGUMENT.
 *
 *  - Threads. Loaded policies are immutable: one gdprkit_policy, and the
 *    findings and rights derived from it, may be read from many threads at
 *    once. Freeing a handle while another thread uses it is the caller's
 *    error.
 *
 *  - Nothing escapes. No C++ exception crosses this boundary; running out of
 *    memory is reported as GDPRKIT_RESOURCE_EXHAUSTED.
 *
 *  - Stability. Within ABI version 0 (libgdprkit.so.0) functions and struct
 *    fields are only added, never changed or removed; docs/api-stability.md
 *    says what that promises and how it is checked.
 */
#ifndef GDPRKIT_H_
#define GDPRKIT_H_

#include <stddef.h>

/* Export macro: symbols are hidden by default in the library and only those
 * marked GDPRKIT_API are exported (also enforced by a linker version
 * script). */
#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(GDPRKIT_BUILDING_LIBRARY)
#define GDPRKIT_API __declspec(dllexport)
#else
#define GDPRKIT_API __declspec(dllimport)
#endif
#elif defined(GDPRKIT_BUILDING_LIBRARY) && (defined(__GNUC__) || defined(__clang__))
#define GDPRKIT_API __attribute__((visibility("default")))
#else
#define GDPRKIT_API
#endif

/* Marks checks whose result must not be ignored (an ignored access decision
 * is a data leak waiting to happen). */
#if defined(__GNUC__) || defined(__clang__)
#define GDPRKIT_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#else
#define GDPRKIT_WARN_UNUSED_RESULT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versions --------------------------------------------------------- */

/* The version of this header. Compare with gdprkit_version() and
 * gdprkit_abi_version() to detect a header/library mismatch at run time. */
#define GDPRKIT_VERSION "0.3.0"
#define GDPRKIT_VERSION_MAJOR 0
#define GDPRKIT_VERSION_MINOR 3
#define GDPRKIT_VERSION_PATCH 0
/* The ABI major version: the soname is libgdprkit.so.<GDPRKIT_ABI_VERSION>. */
#define GDPRKIT_ABI_VERSION 0

/* The library's version, "MAJOR.MINOR.PATCH", a static string. Never fails;
 * safe from any thread. */
GDPRKIT_API const char* gdprkit_version(void);

/* The library's ABI major version, the number in its soname. A program built
 * against this header works with the library when this equals
 * GDPRKIT_ABI_VERSION and gdprkit_version() is not older than
 * GDPRKIT_VERSION. Never fails; safe from any thread. */
GDPRKIT_API int gdprkit_abi_version(void);

/* ---- Status codes and errors ------------------------------------------ */

/* The result of a fallible call: 0 or one of the codes below. */
typedef int gdprkit_status;

/* Status codes; their numbers are those of absl::StatusCode and never
 * change. */
enum gdprkit_status_code {
  GDPRKIT_OK = 0,
  GDPRKIT_CANCELLED = 1,
  GDPRKIT_UNKNOWN = 2,
  GDPRKIT_INVALID_ARGUMENT = 3,
  GDPRKIT_DEADLINE_EXCEEDED = 4,
  GDPRKIT_NOT_FOUND = 5,
  GDPRKIT_ALREADY_EXISTS = 6,
  GDPRKIT_PERMISSION_DENIED = 7,
  GDPRKIT_RESOURCE_EXHAUSTED = 8,
  GDPRKIT_FAILED_PRECONDITION = 9,
  GDPRKIT_ABORTED = 10,
  GDPRKIT_OUT_OF_RANGE = 11,
  GDPRKIT_UNIMPLEMENTED = 12,
  GDPRKIT_INTERNAL = 13,
  GDPRKIT_UNAVAILABLE = 14,
  GDPRKIT_DATA_LOSS = 15,
  GDPRKIT_UNAUTHENTICATED = 16
};

/* The upper-case name of a status code without the prefix ("OK",
 * "INVALID_ARGUMENT", "NOT_FOUND", ...), a static string; "UNKNOWN_CODE" for
 * a number that is not a status code. Never fails; safe from any thread. */
GDPRKIT_API const char* gdprkit_status_name(gdprkit_status code);

/* What went wrong in the calling thread's last failed call, for people
 * (logs, error dialogs). Every function that returns gdprkit_status clears
 * it on entry, so it is "" after a success. Never NULL. The string is owned
 * by the library and stays valid until the calling thread's next call into
 * gdprkit. Never fails. */
GDPRKIT_API const char* gdprkit_last_error(void);

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

/* ---- Data-subject rights ---------------------------------------------- */

/* The rights matrix of one purpose: one gdprkit_right_info per right of the
 * data subject, in the order of the Regulation (A13 ... A22, then A7-3). */
typedef struct gdprkit_rights gdprkit_rights;

/* Whether one right applies to a purpose. Strings are non-NULL and live as
 * long as the gdprkit_rights. Initialise with GDPRKIT_RIGHT_INFO_INIT. */
typedef struct gdprkit_right_info {
  unsigned int version; /* set by the caller: GDPRKIT_RIGHT_INFO_VERSION */
  const char* code;     /* "A13" ... "A22", "A7-3" */
  const char* title;    /* "Art. 17: right to erasure" */
  int applies;          /* 1 when the right applies, 0 when not */
  /* The legal reasoning, with the article; in particular why a right does
   * not apply ("Art. 17(3)(b): ..."). */
  const char* reason;
} gdprkit_right_info;

#define GDPRKIT_RIGHT_INFO_VERSION 1u
#define GDPRKIT_RIGHT_INFO_INIT \
  { GDPRKIT_RIGHT_INFO_VERSION, NULL, NULL, 0, NULL }

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

/* ---- The other primitives, one header each ------------------------------ */
#include "gdprkit/c/retention.h"   /* NOLINT(build/include_subdir) */
#include "gdprkit/c/suppression.h" /* NOLINT(build/include_subdir) */
#include "gdprkit/c/vault.h"       /* NOLINT(build/include_subdir) */

#endif /* GDPRKIT_H_ */
