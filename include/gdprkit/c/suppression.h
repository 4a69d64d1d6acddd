/* gdprkit C ABI, small-cell suppression: tables in and out as serialized
 * gdprkit.v1 messages, and the audit.
 * Included by <gdprkit.h>; do not include it on its own. Conventions (status
 * codes, out-parameters first, versioned records, free functions): see
 * <gdprkit.h> and docs/conventions.md.
 *
 * Tables cross this boundary as serialized messages of the schema
 * proto/gdprkit/v1/table.proto (package gdprkit.v1), in the protobuf binary
 * wire format, the proto3 JSON mapping or the protobuf text format:
 *
 *   request  gdprkit.v1.SuppressRequest: the tables (hierarchical tables
 *            with their dimensions and cells, a table given as cells plus
 *            relations, or a JJ problem), the primary rules (threshold,
 *            (n,k)-dominance, p%, zero cells) and the options (secondary
 *            method, cost model, time limit, audit mode). Unset fields take
 *            the C++ defaults: threshold 5, automatic method, cost = number
 *            of cells.
 *   response gdprkit.v1.SuppressResponse: one CellResult per cell (its
 *            table and codes, value, status published / primary /
 *            secondary, required protection, and for suppressed cells the
 *            interval an attacker can derive), the counts, the method used
 *            and the audit, which always passed.
 *
 *   request  gdprkit.v1.AuditRequest: tables and rules as above plus the
 *            suppressed cells (by index or by table and codes).
 *   response gdprkit.v1.AuditResponse: the cells with their intervals and
 *            the verdict per primary cell.
 *
 * docs/suppression.md has a worked example in C. Every function here is
 * pure and thread-safe: it reads its input and returns a new buffer. */
#ifndef GDPRKIT_C_SUPPRESSION_H_
#define GDPRKIT_C_SUPPRESSION_H_

#ifndef GDPRKIT_H_
#error "include <gdprkit.h>, not <gdprkit/c/suppression.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Encodings of the serialized gdprkit.v1 messages. The response comes in
 * the encoding of the request. */
enum gdprkit_suppression_format {
  GDPRKIT_SUPPRESSION_FORMAT_BINARY = 0, /* protobuf wire format */
  GDPRKIT_SUPPRESSION_FORMAT_JSON = 1,   /* proto3 JSON mapping (field names as in the .proto) */
  GDPRKIT_SUPPRESSION_FORMAT_TEXT = 2    /* protobuf text format */
};

/* Protects the tables of a gdprkit.v1.SuppressRequest: applies the primary
 * rules (or the JJ protection levels), chooses secondary suppressions so that
 * no primary cell can be recomputed from the published cells and the
 * totals, audits the result by linear programming, and stores the
 * gdprkit.v1.SuppressResponse, in the request's `format`, in a new buffer:
 * *out points at *out_len bytes followed by a NUL byte (so JSON and text
 * responses are C strings; binary responses may contain NUL bytes, use
 * *out_len). Release the buffer with gdprkit_suppression_bytes_free.
 * `request` is `request_len` bytes (no NUL needed); it may be NULL only when
 * request_len is 0.
 * Errors: INVALID_ARGUMENT for a NULL out, out_len or request (with a
 * non-zero length), an unknown format, bytes that do not parse as the
 * message, a request without tables, an unknown enum value, and bad tables:
 * totals that do not add up, negative or non-integer counts, NaN, missing or
 * duplicated cells, unknown (orphan) codes, hierarchy cycles (the message
 * names the table, cell codes and values, or the code); FAILED_PRECONDITION
 * when a primary cell cannot be protected (every partner must be published);
 * RESOURCE_EXHAUSTED out of memory; INTERNAL if a solver fails. On failure
 * *out is NULL and *out_len 0. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_suppression_run(char** out, size_t* out_len, const char* request,
                                                   size_t request_len, int format);

/* Audits a given suppression pattern: reads a gdprkit.v1.AuditRequest and
 * stores the gdprkit.v1.AuditResponse (the attacker's interval for every
 * suppressed cell and a verdict per primary cell) in a new buffer, as
 * gdprkit_suppression_run does. A pattern that fails the audit is a result,
 * not an error: read AuditResponse.audit.passed.
 * Errors: as gdprkit_suppression_run, plus INVALID_ARGUMENT for a suppressed
 * cell index or location that is not in the tables. On failure *out is NULL
 * and *out_len 0. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_suppression_audit(char** out, size_t* out_len,
                                                     const char* request, size_t request_len,
                                                     int format);

/* Options of gdprkit_suppression_run_with_options and
 * gdprkit_suppression_audit_with_options (what does not belong in the
 * request: how the caller follows the call). Initialise with
 * GDPRKIT_SUPPRESSION_OPTIONS_INIT.
 *
 * progress, when not NULL, is called on the calling thread as
 * progress(progress_context, stage, done, total): at the start of each stage
 * (done == 0), now and then, and at its end (done == total). The stages of
 * gdprkit_suppression_run_with_options, in order: "primary" (reading the
 * tables and applying the rules), "secondary" (one step per primary cell),
 * "cleanup" (one step per secondary cell), "improve" (the local search),
 * "optimal" (rounds of the exact method, when it runs) and "audit" (one step
 * per suppressed cell); gdprkit_suppression_audit_with_options reports
 * "audit" only. A non-zero return cancels the call: it fails with
 * GDPRKIT_CANCELLED, *out is NULL and nothing is returned. */
typedef struct gdprkit_suppression_options {
  unsigned int version;         /* set by the caller: GDPRKIT_SUPPRESSION_OPTIONS_VERSION */
  gdprkit_progress_fn progress; /* NULL: no progress */
  void* progress_context;       /* passed to progress as is */
} gdprkit_suppression_options;

#define GDPRKIT_SUPPRESSION_OPTIONS_VERSION 1u
#define GDPRKIT_SUPPRESSION_OPTIONS_INIT \
  { GDPRKIT_SUPPRESSION_OPTIONS_VERSION, NULL, NULL }
/* GDPRKIT_SUPPRESSION_OPTIONS_INIT as a function, for FFI: version
 * GDPRKIT_SUPPRESSION_OPTIONS_VERSION (see <gdprkit.h>). Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_suppression_options_init(gdprkit_suppression_options* out,
                                                            unsigned int version);

/* gdprkit_suppression_run with options (NULL: as gdprkit_suppression_run).
 * Errors: as gdprkit_suppression_run, plus INVALID_ARGUMENT for an options
 * version this library does not know, and CANCELLED when progress asked to
 * stop (the message names the stage). On failure *out is NULL and *out_len
 * 0. Thread-safe. Since 0.4 (GDPRKIT_0.4). */
GDPRKIT_API gdprkit_status gdprkit_suppression_run_with_options(
    char** out, size_t* out_len, const char* request, size_t request_len, int format,
    const gdprkit_suppression_options* options);

/* gdprkit_suppression_audit with options (NULL: as
 * gdprkit_suppression_audit); errors as gdprkit_suppression_run_with_options.
 * Since 0.4 (GDPRKIT_0.4). */
GDPRKIT_API gdprkit_status gdprkit_suppression_audit_with_options(
    char** out, size_t* out_len, const char* request, size_t request_len, int format,
    const gdprkit_suppression_options* options);

/* Titles for people, in `language` (a gdprkit_language), from the core's
 * one table of titles; UTF-8 static strings, "" for a number that is no
 * value or no language. Never fail; safe from any thread. Since 0.4.
 *   gdprkit_suppression_published_title: what a published table says of a
 *     cell: 0 "published" / "offentliggjort", 1 "suppressed" / "undertrykt";
 *     the words for publication.
 *   gdprkit_suppression_status_title: a response's CellStatus (0 published,
 *     1 primary, 2 secondary: "primary" / "primær"); not for publication.
 *   gdprkit_suppression_reason_title: one primary-reason bit (1 threshold,
 *     2 dominance, 4 p%, 8 zero, 16 manual: "threshold rule" /
 *     "tærskelregel"); not for publication. */
GDPRKIT_API const char* gdprkit_suppression_published_title(int suppressed, int language);
GDPRKIT_API const char* gdprkit_suppression_status_title(int status, int language);
GDPRKIT_API const char* gdprkit_suppression_reason_title(int reason, int language);

/* Releases a buffer returned by gdprkit_suppression_run[_with_options] or
 * gdprkit_suppression_audit[_with_options] (never free() it yourself). Accepts NULL. */
GDPRKIT_API void gdprkit_suppression_bytes_free(char* bytes);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GDPRKIT_C_SUPPRESSION_H_ */
