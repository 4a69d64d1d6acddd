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

/* Releases a buffer returned by gdprkit_suppression_run or
 * gdprkit_suppression_audit (never free() it yourself). Accepts NULL. */
GDPRKIT_API void gdprkit_suppression_bytes_free(char* bytes);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GDPRKIT_C_SUPPRESSION_H_ */
