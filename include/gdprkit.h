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
 *    them longer. Every function returning a const char* says which of
 *    three it is: a static string (names, titles, versions: never freed,
 *    valid forever), a string borrowed from a handle (valid until that
 *    handle is freed), or gdprkit_last_error() (valid until the thread's
 *    next gdprkit call). A char* (not const) handed out through an
 *    out-parameter is the caller's, given back with the free function its
 *    function names (gdprkit_suppression_bytes_free,
 *    gdprkit_retention_string_free, gdprkit_secret_free).
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
 *    unknown versions with GDPRKIT_INVALID_ARGUMENT. Callers that cannot use
 *    C macros (FFI: Python ctypes, Java FFM, C# P/Invoke, Delphi) call the
 *    struct's init function instead (since 0.4), naming the version of the
 *    layout they declared, which is the header's GDPRKIT_<STRUCT>_VERSION:
 *    gdprkit_batch_options_init(&options, 3). It sets what the macro sets
 *    and writes no byte beyond that version's layout, so a foreign program
 *    keeps working with a later library whose struct has grown; a version
 *    the library does not know is INVALID_ARGUMENT and nothing is written.
 *    Every struct with an _INIT macro has one: gdprkit_finding_init,
 *    gdprkit_sweep_options_init, gdprkit_batch_options_init, ...
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
#include <stdint.h>

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

/* ---- Shared by every area: language, error mode, progress -------------- */

/* The language of titles (legal bases, rights, findings, statuses, reasons).
 * Messages stay English. */
enum gdprkit_language {
  GDPRKIT_LANGUAGE_EN = 0, /* default */
  GDPRKIT_LANGUAGE_DA = 1  /* "Art. 17: Ret til sletning" */
};

/* What a batch call does with a rejected row (see gdprkit/common.h):
 * RAISE fails the call naming the row; COERCE gives the row a missing result;
 * REPORT does as COERCE and also lists the rejected rows. The numbers of
 * RAISE and REPORT are those of retention's GDPRKIT_ON_INVALID_FAIL and
 * GDPRKIT_ON_INVALID_REPORT. */
enum gdprkit_errors {
  GDPRKIT_ERRORS_RAISE = 0,
  GDPRKIT_ERRORS_REPORT = 1,
  GDPRKIT_ERRORS_COERCE = 2
};

/* The name of a language ("en", "da") or error mode ("raise", "report",
 * "coerce"), a static string; NULL for a number outside the enum. Never
 * fails; safe from any thread. */
GDPRKIT_API const char* gdprkit_language_name(int language);
GDPRKIT_API const char* gdprkit_errors_name(int errors);

/* The number of a language or error mode named `name` (the names above;
 * also "dansk"/"danish", "fail"/"skip"). INVALID_ARGUMENT naming the valid
 * names otherwise. */
GDPRKIT_API gdprkit_status gdprkit_language_parse(const char* name, int* out);
GDPRKIT_API gdprkit_status gdprkit_errors_parse(const char* name, int* out);

/* Progress of a long call, for a progress dialog. Called on the calling
 * thread at the start of each stage (done == 0), now and then (at most about
 * every 1% or 100 ms) and at its end (done == total). `stage` is a static
 * string naming the stage ("secondary", "audit", "sweep", ...). Return 0 to
 * go on, anything else to cancel: the call then returns GDPRKIT_CANCELLED and
 * changes nothing. The callback must not call into gdprkit. */
typedef int (*gdprkit_progress_fn)(void* context, const char* stage, int64_t done, int64_t total);

#ifdef __cplusplus
} /* extern "C" */
#endif

/* ---- The primitives, one header each ----------------------------------- */
#include "gdprkit/c/policy.h"      /* NOLINT(build/include_subdir) */
#include "gdprkit/c/retention.h"   /* NOLINT(build/include_subdir) */
#include "gdprkit/c/scan.h"        /* NOLINT(build/include_subdir) */
#include "gdprkit/c/suppression.h" /* NOLINT(build/include_subdir) */
#include "gdprkit/c/vault.h"       /* NOLINT(build/include_subdir) */

/* After retention.h, policy.h and vault.h, whose types it uses. */
#include "gdprkit/c/release.h" /* NOLINT(build/include_subdir) */
/* After retention.h, policy.h and vault.h, whose types it uses. */
#include "gdprkit/c/consent.h" /* NOLINT(build/include_subdir) */

#endif /* GDPRKIT_H_ */
