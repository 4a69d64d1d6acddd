/* gdprkit C ABI, consent and data subjects' requests (gdprkit/consent.h,
 * gdprkit/requests.h; docs/c-consent.md). Included by <gdprkit.h>; do not
 * include it on its own. Conventions: see <gdprkit.h>. All functions since
 * 0.4.
 *
 * The consent ledger (gdprkit_consent_ledger) records consents given,
 * refused, withdrawn or expired per data subject (a vault token or
 * pseudonym, never an identifier in clear) and purpose, in a hash-chained
 * SQLite file; it answers the state of many subjects at once as of a date,
 * lists withdrawals for a retention sweep's "consent_withdrawn" event,
 * verifies itself and exports receipts. The request register
 * (gdprkit_request_register) keeps data subjects' requests with their
 * Art. 12(3) deadlines in a file of the same kind; gdprkit_request_decide
 * says what a request means for each purpose, and why.
 *
 * Handles: gdprkit_consent_ledger, gdprkit_request_register (each shared
 * safely between threads; the core locks), and the results
 * gdprkit_consent_verification, gdprkit_receipt_verification,
 * gdprkit_requests, gdprkit_request_trail, gdprkit_decision and
 * gdprkit_erasure_outcome, each released with its own _free (which accepts
 * NULL); strings read from a result live as long as it. Texts the library
 * makes (a receipt, an access report) are released with
 * gdprkit_retention_string_free. Subjects, evidence and keys never appear
 * in a message. Needs <stdint.h>, gdprkit_policy (<gdprkit/c/policy.h>),
 * GDPRKIT_NO_DATE (<gdprkit/c/retention.h>), gdprkit_vault and
 * gdprkit_id_kind (<gdprkit/c/vault.h>). */
#ifndef GDPRKIT_C_CONSENT_H_
#define GDPRKIT_C_CONSENT_H_

#ifndef GDPRKIT_H_
#error "include <gdprkit.h>, not <gdprkit/c/consent.h>"
#endif

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Vocabularies ------------------------------------------------------------ */

/* The state of a consent (W3C DPV's consent-status terms). */
enum gdprkit_consent_state {
  GDPRKIT_CONSENT_NONE = 0,      /* "none": nothing recorded (dpv:ConsentUnknown) */
  GDPRKIT_CONSENT_GIVEN = 1,     /* "given" */
  GDPRKIT_CONSENT_REFUSED = 2,   /* "refused" */
  GDPRKIT_CONSENT_WITHDRAWN = 3, /* "withdrawn" (Art. 7(3)) */
  GDPRKIT_CONSENT_EXPIRED = 4    /* "expired": past its validity */
};

/* The kind of a data subject's request. */
enum gdprkit_request_kind {
  GDPRKIT_REQUEST_ACCESS = 0,        /* "access" (Art. 15) */
  GDPRKIT_REQUEST_RECTIFICATION = 1, /* "rectification" (Art. 16) */
  GDPRKIT_REQUEST_ERASURE = 2,       /* "erasure" (Art. 17) */
  GDPRKIT_REQUEST_RESTRICTION = 3,   /* "restriction" (Art. 18) */
  GDPRKIT_REQUEST_PORTABILITY = 4,   /* "portability" (Art. 20) */
  GDPRKIT_REQUEST_OBJECTION = 5,     /* "objection" (Art. 21) */
  GDPRKIT_REQUEST_WITHDRAWAL = 6     /* "withdrawal" (Art. 7(3)) */
};

/* Where a request stands. */
enum gdprkit_request_status {
  GDPRKIT_REQUEST_OPEN = 0,     /* "open" */
  GDPRKIT_REQUEST_ANSWERED = 1, /* "answered" */
  GDPRKIT_REQUEST_REFUSED = 2,  /* "refused" */
  GDPRKIT_REQUEST_CANCELLED = 3 /* "cancelled" */
};

/* The check of the requester's identity. */
enum gdprkit_identity_check {
  GDPRKIT_IDENTITY_NOT_CHECKED = 0, /* "not_checked" */
  GDPRKIT_IDENTITY_VERIFIED = 1,    /* "verified" */
  GDPRKIT_IDENTITY_FAILED = 2       /* "failed" */
};

/* What a decision asks for one purpose. */
enum gdprkit_request_action {
  GDPRKIT_ACTION_ERASE = 0,         /* "erase" */
  GDPRKIT_ACTION_KEEP = 1,          /* "keep" (the reason says why) */
  GDPRKIT_ACTION_PROVIDE = 2,       /* "provide" */
  GDPRKIT_ACTION_EXPORT = 3,        /* "export" */
  GDPRKIT_ACTION_RECTIFY = 4,       /* "rectify" */
  GDPRKIT_ACTION_RESTRICT = 5,      /* "restrict" */
  GDPRKIT_ACTION_STOP = 6,          /* "stop" */
  GDPRKIT_ACTION_NOT_APPLICABLE = 7 /* "not_applicable" */
};

/* Names (static strings, as the core prints them: "given", "erasure",
 * "not_checked", "keep") and titles (static, in `language`, a
 * gdprkit_language) of the values above; NULL for a number outside the enum
 * (titles: or an unknown language). Never fail. */
GDPRKIT_API const char* gdprkit_consent_state_name(int state);
GDPRKIT_API const char* gdprkit_consent_state_title(int state, int language);
GDPRKIT_API const char* gdprkit_request_kind_name(int kind);
GDPRKIT_API const char* gdprkit_request_kind_title(int kind, int language);
GDPRKIT_API const char* gdprkit_request_status_name(int status);
GDPRKIT_API const char* gdprkit_request_status_title(int status, int language);
GDPRKIT_API const char* gdprkit_identity_check_name(int check);
GDPRKIT_API const char* gdprkit_request_action_name(int action);
GDPRKIT_API const char* gdprkit_request_action_title(int action, int language);

/* The number of the value named `name` in *out, parsed by the core.
 * Errors: INVALID_ARGUMENT for a NULL argument, or an unknown name (the
 * message names the valid ones and the nearest). *out is untouched on
 * failure. */
GDPRKIT_API gdprkit_status gdprkit_consent_state_parse(int* out, const char* name);
GDPRKIT_API gdprkit_status gdprkit_request_kind_parse(int* out, const char* name);
GDPRKIT_API gdprkit_status gdprkit_request_status_parse(int* out, const char* name);
GDPRKIT_API gdprkit_status gdprkit_identity_check_parse(int* out, const char* name);
GDPRKIT_API gdprkit_status gdprkit_request_action_parse(int* out, const char* name);

/* Bytes the digest of a notice needs, with its NUL: "blake2b-256:" and 64
 * hex digits (as GDPRKIT_DIGEST_SIZE). */
#define GDPRKIT_NOTICE_DIGEST_SIZE 77

/* Writes the digest of a notice's text (`text`, `size` bytes) as the ledger
 * keeps it into `out` (GDPRKIT_NOTICE_DIGEST_SIZE bytes). Errors:
 * INVALID_ARGUMENT for a NULL out, NULL text with size above 0, or out_size
 * too small. `out` is "" on failure (when out_size > 0). */
GDPRKIT_API gdprkit_status gdprkit_notice_digest(char* out, size_t out_size, const char* text,
                                                 size_t size);

/* ---- Options ----------------------------------------------------------------- */

/* Options of a ledger or register; NULL means a plain (unkeyed) chain,
 * synced on every write. Initialise with GDPRKIT_CONSENT_OPTIONS_INIT.
 *   key, key_size: 16-64 secret bytes for keyed hashes and signed receipts,
 *     or NULL and 0; copied into guarded memory, wiped when the handle is
 *     released. Never in a message.
 *   sync: 1 (default): fsync every write. */
typedef struct gdprkit_consent_options {
  unsigned int version; /* GDPRKIT_CONSENT_OPTIONS_VERSION */
  const unsigned char* key;
  size_t key_size;
  int sync;
} gdprkit_consent_options;

#define GDPRKIT_CONSENT_OPTIONS_VERSION 1u
#define GDPRKIT_CONSENT_OPTIONS_INIT \
  { GDPRKIT_CONSENT_OPTIONS_VERSION, NULL, 0, 1 }
/* GDPRKIT_CONSENT_OPTIONS_INIT as a function, for FFI (see <gdprkit.h>). */
GDPRKIT_API gdprkit_status gdprkit_consent_options_init(gdprkit_consent_options* out,
                                                        unsigned int version);

/* ---- Verification of a chain (ledger or register) ------------------------------ */

typedef struct gdprkit_consent_verification gdprkit_consent_verification;

/* What a verification found; strings live as long as the
 * gdprkit_consent_verification. Initialise with GDPRKIT_CONSENT_CHECK_INIT. */
typedef struct gdprkit_consent_check {
  unsigned int version;       /* GDPRKIT_CONSENT_CHECK_VERSION */
  int intact;                 /* 1 when the whole chain verified (and matched expected_head) */
  int64_t entries;            /* entries that verified */
  const char* head;           /* hash of the last entry that verified (64 hex digits) */
  int64_t first_broken_entry; /* seq of the first bad entry; -1 when intact */
  const char* problem;        /* what is wrong there; "" when intact */
  const char* ledger_id;      /* the file's id */
  int keyed;                  /* 1 when the hashes are keyed */
} gdprkit_consent_check;

#define GDPRKIT_CONSENT_CHECK_VERSION 1u
#define GDPRKIT_CONSENT_CHECK_INIT \
  { GDPRKIT_CONSENT_CHECK_VERSION, 0, 0, NULL, -1, NULL, NULL, 0 }
/* GDPRKIT_CONSENT_CHECK_INIT as a function, for FFI (see <gdprkit.h>). */
GDPRKIT_API gdprkit_status gdprkit_consent_check_init(gdprkit_consent_check* out,
                                                      unsigned int version);

/* Fills *out. Errors: INVALID_ARGUMENT for a NULL argument or an unsupported
 * out->version. On failure *out is zeroed except its version. */
GDPRKIT_API gdprkit_status gdprkit_consent_verification_get(
    gdprkit_consent_check* out, const gdprkit_consent_verification* verification);

/* Releases a verification. Accepts NULL. */
GDPRKIT_API void gdprkit_consent_verification_free(gdprkit_consent_verification* verification);

/* Bytes a chain hash needs as text, with its NUL (64 hex digits). */
#define GDPRKIT_CONSENT_HASH_SIZE 65

/* ---- The consent ledger ------------------------------------------------------- */

typedef struct gdprkit_consent_ledger gdprkit_consent_ledger;

/* Creates a ledger file (mode 0600) at `path` for `policy` (its purposes
 * that rest on consent), or opens one after verifying its whole chain, in
 * *out (released with gdprkit_consent_ledger_free, which wipes the key). The
 * handle keeps its own reference to the policy. Errors: INVALID_ARGUMENT
 * for a NULL argument, an unsupported options version, a key of the wrong
 * size or a file that is not a consent ledger; ALREADY_EXISTS (create) for
 * an existing file; NOT_FOUND (open) for a missing one; DATA_LOSS naming the
 * first bad entry; FAILED_PRECONDITION for a keyed ledger without its key or
 * with another. *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_consent_ledger_create(gdprkit_consent_ledger** out,
                                                         const char* path,
                                                         const gdprkit_policy* policy,
                                                         const gdprkit_consent_options* options);
GDPRKIT_API gdprkit_status gdprkit_consent_ledger_open(gdprkit_consent_ledger** out,
                                                       const char* path,
                                                       const gdprkit_policy* policy,
                                                       const gdprkit_consent_options* options);

/* Releases a ledger (closing the file, wiping the key). Accepts NULL. */
GDPRKIT_API void gdprkit_consent_ledger_free(gdprkit_consent_ledger* ledger);

/* Number of entries, as of the last call; 0 for NULL. Never fails. */
GDPRKIT_API int64_t gdprkit_consent_ledger_entries(const gdprkit_consent_ledger* ledger);

/* Writes the hash of the last entry (GDPRKIT_CONSENT_HASH_SIZE bytes) into
 * `out`; keep it elsewhere and give it to gdprkit_consent_ledger_verify to
 * notice a ledger cut short. Errors: INVALID_ARGUMENT for a NULL argument or
 * out_size too small. `out` is "" on failure (when out_size > 0). */
GDPRKIT_API gdprkit_status gdprkit_consent_ledger_head(char* out, size_t out_size,
                                                       const gdprkit_consent_ledger* ledger);

/* Consent records as columns of `count` entries (row i is one record).
 * Initialise with GDPRKIT_CONSENT_RECORDS_INIT.
 *   subjects, purposes: vault tokens or pseudonyms; purpose ids.
 *   states: gdprkit_consent_state codes (given, refused, withdrawn or
 *     expired; not none).
 *   at: when (seconds since 1970-01-01T00:00:00Z).
 *   valid_until: for "given", the last day it holds (days since 1970-01-01)
 *     or GDPRKIT_NO_DATE; NULL: GDPRKIT_NO_DATE for every record.
 *   notice_versions: the notice shown.
 *   notice_texts: its text (the ledger stores it by digest and computes the
 *     record's digest), or NULL: notice_digests then give the digests
 *     (gdprkit_notice_digest); when both are given they must agree.
 *   channels, recorded_by: how it was collected, and by whom.
 *   evidence: references to the evidence; NULL, or a NULL entry: none.
 * Arrays other than valid_until, notice_texts, notice_digests and evidence
 * are required (NULL only when count is 0). */
typedef struct gdprkit_consent_records {
  unsigned int version; /* GDPRKIT_CONSENT_RECORDS_VERSION */
  size_t count;
  const char* const* subjects;
  const char* const* purposes;
  const uint8_t* states;
  const int64_t* at;
  const int32_t* valid_until;
  const char* const* notice_versions;
  const char* const* notice_texts;
  const char* const* notice_digests;
  const char* const* channels;
  const char* const* recorded_by;
  const char* const* evidence;
} gdprkit_consent_records;

#define GDPRKIT_CONSENT_RECORDS_VERSION 1u
#define GDPRKIT_CONSENT_RECORDS_INIT                                                          \
  {                                                                                           \
    GDPRKIT_CONSENT_RECORDS_VERSION, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, \
        NULL, NULL                                                                            \
  }
/* GDPRKIT_CONSENT_RECORDS_INIT as a function, for FFI (see <gdprkit.h>). */
GDPRKIT_API gdprkit_status gdprkit_consent_records_init(gdprkit_consent_records* out,
                                                        unsigned int version);

/* Appends the records, all or none, in one transaction, and stores how many
 * were appended in *out_count (the last one is then entry
 * gdprkit_consent_ledger_entries). Errors: INVALID_ARGUMENT for a NULL
 * argument or array, a count above INT32_MAX, an unsupported version, a
 * state code outside the enum, or naming the record's index and field of a
 * bad record (never a value); NOT_FOUND for an unknown purpose (naming the
 * nearest); FAILED_PRECONDITION for a purpose that does not rest on consent;
 * DATA_LOSS when another writer left the file broken. *out_count is 0 on
 * failure. */
GDPRKIT_API gdprkit_status gdprkit_consent_ledger_record(int64_t* out_count,
                                                         gdprkit_consent_ledger* ledger,
                                                         const gdprkit_consent_records* records);

/* The state of each of `count` subjects in `purpose`, written to
 * out_states[0..count) as gdprkit_consent_state codes: as of the end of day
 * `on` (days since 1970-01-01) in Europe/Copenhagen (_states), or as of the
 * instant `as_of` (seconds since the epoch; _states_at). A subject with no
 * record is GDPRKIT_CONSENT_NONE. Errors: INVALID_ARGUMENT for a NULL
 * argument or array, a NULL subject (naming its index), a count above
 * INT32_MAX, a malformed subject (naming its index), a day out of range;
 * NOT_FOUND / FAILED_PRECONDITION for the purpose as in _record. Nothing is
 * written to out_states on failure. */
GDPRKIT_API gdprkit_status gdprkit_consent_ledger_states(uint8_t* out_states,
                                                         const gdprkit_consent_ledger* ledger,
                                                         const char* const* subjects, size_t count,
                                                         const char* purpose, int32_t on);
GDPRKIT_API gdprkit_status gdprkit_consent_ledger_states_at(uint8_t* out_states,
                                                            const gdprkit_consent_ledger* ledger,
                                                            const char* const* subjects,
                                                            size_t count, const char* purpose,
                                                            int64_t as_of);

/* The subjects whose consent to `purpose` stands withdrawn at `as_of`
 * (seconds since the epoch), ordered by subject, with the day of that
 * withdrawal (Europe/Copenhagen): the "consent_withdrawn" event of a
 * retention sweep. *out_subjects is a NULL-terminated array of *out_count
 * strings and *out_days an array of *out_count days, both the caller's,
 * released together with gdprkit_consent_withdrawals_free (both NULL when
 * there is none). Errors: INVALID_ARGUMENT for a NULL argument; NOT_FOUND /
 * FAILED_PRECONDITION for the purpose as in _record. All three are NULL / 0
 * on failure. */
GDPRKIT_API gdprkit_status gdprkit_consent_ledger_withdrawals(char*** out_subjects,
                                                              int32_t** out_days, size_t* out_count,
                                                              const gdprkit_consent_ledger* ledger,
                                                              const char* purpose, int64_t as_of);

/* Releases what gdprkit_consent_ledger_withdrawals returned. Accepts NULL. */
GDPRKIT_API void gdprkit_consent_withdrawals_free(char** subjects, int32_t* days);

/* Verifies the ledger's whole chain now, in *out (released with
 * gdprkit_consent_verification_free). A broken chain is not an error; the
 * result names the first bad entry. `expected_head` (64 hex digits, or
 * NULL) must be the hash of some entry. Errors: INVALID_ARGUMENT for a NULL
 * argument or a malformed expected_head. *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_consent_ledger_verify(gdprkit_consent_verification** out,
                                                         const gdprkit_consent_ledger* ledger,
                                                         const char* expected_head);

/* Erases the subject's texts (subject and evidence) from all of its entries
 * and appends an erasure entry naming no subject; the number of entries
 * erased in *out_erased (0 is not an error). Errors: INVALID_ARGUMENT for a
 * NULL argument or a malformed subject. *out_erased is 0 on failure. */
GDPRKIT_API gdprkit_status gdprkit_consent_ledger_erase_subject(int64_t* out_erased,
                                                                gdprkit_consent_ledger* ledger,
                                                                const char* subject,
                                                                const char* recorded_by);

/* ---- Receipts ------------------------------------------------------------------ */

/* A receipt for entry `seq` (JSON text; signed when the ledger is keyed) in
 * *out, released with gdprkit_retention_string_free. Errors:
 * INVALID_ARGUMENT for a NULL argument; NOT_FOUND for an unknown seq;
 * FAILED_PRECONDITION for an erased entry. *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_consent_ledger_export_receipt(
    char** out, const gdprkit_consent_ledger* ledger, int64_t seq);

/* Writes the public key receipts are signed with (64 hex digits and a NUL,
 * GDPRKIT_CONSENT_HASH_SIZE bytes), "" for a plain ledger. Errors:
 * INVALID_ARGUMENT for a NULL argument or out_size too small. */
GDPRKIT_API gdprkit_status gdprkit_consent_ledger_public_key(char* out, size_t out_size,
                                                             const gdprkit_consent_ledger* ledger);

typedef struct gdprkit_receipt_verification gdprkit_receipt_verification;

/* What a receipt verification found; strings live as long as the
 * gdprkit_receipt_verification. Initialise with GDPRKIT_RECEIPT_CHECK_INIT.
 * The record's fields are those the receipt carries. */
typedef struct gdprkit_receipt_check {
  unsigned int version; /* GDPRKIT_RECEIPT_CHECK_VERSION */
  int valid;            /* 1 when the receipt verified */
  int signed_receipt;   /* 1 when it carried an Ed25519 signature that verified */
  const char* problem;  /* "" when valid */
  const char* ledger_id;
  int64_t seq;
  const char* hash;
  const char* subject;
  const char* purpose;
  int state; /* a gdprkit_consent_state */
  int64_t at;
  int32_t valid_until; /* GDPRKIT_NO_DATE when none */
  const char* notice_version;
  const char* notice_digest;
  const char* channel;
  const char* recorded_by;
  const char* evidence;
} gdprkit_receipt_check;

#define GDPRKIT_RECEIPT_CHECK_VERSION 1u
#define GDPRKIT_RECEIPT_CHECK_INIT                                                                 \
  {                                                                                                \
    GDPRKIT_RECEIPT_CHECK_VERSION, 0, 0, NULL, NULL, 0, NULL, NULL, NULL, 0, 0, (-2147483647 - 1), \
        NULL, NULL, NULL, NULL, NULL                                                               \
  }
/* GDPRKIT_RECEIPT_CHECK_INIT as a function, for FFI (see <gdprkit.h>). */
GDPRKIT_API gdprkit_status gdprkit_receipt_check_init(gdprkit_receipt_check* out,
                                                      unsigned int version);

/* Checks a receipt (`receipt`, `size` bytes of JSON) on its own
 * (gdprkit_consent_receipt_verify; `public_key`, 64 hex digits or NULL, is
 * the key it must be signed with) or against a ledger (_ledger_verify_receipt:
 * also that the ledger's entry at its seq has its hash), in *out (released
 * with gdprkit_receipt_verification_free). A receipt that does not verify is
 * a result, not an error. Errors: INVALID_ARGUMENT for a NULL argument or a
 * malformed public_key. *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_consent_receipt_verify(gdprkit_receipt_verification** out,
                                                          const char* receipt, size_t size,
                                                          const char* public_key);
GDPRKIT_API gdprkit_status gdprkit_consent_ledger_verify_receipt(
    gdprkit_receipt_verification** out, const gdprkit_consent_ledger* ledger, const char* receipt,
    size_t size);

/* Fills *out. Errors: INVALID_ARGUMENT for a NULL argument or an unsupported
 * out->version. On failure *out is zeroed except its version. */
GDPRKIT_API gdprkit_status gdprkit_receipt_verification_get(
    gdprkit_receipt_check* out, const gdprkit_receipt_verification* verification);

/* Releases a receipt verification. Accepts NULL. */
GDPRKIT_API void gdprkit_receipt_verification_free(gdprkit_receipt_verification* verification);

/* ---- Deadlines ----------------------------------------------------------------- */

/* The day by which a request received on day `received` (days since
 * 1970-01-01) must be answered, in *out: one month later, or three months
 * from receipt when `extended` is non-zero (Art. 12(3)), by the month-end
 * rule (received 2026-01-31: 2026-02-28, extended 2026-04-30). Errors:
 * INVALID_ARGUMENT for a NULL out, or a received day that is no date (or
 * GDPRKIT_NO_DATE). *out is GDPRKIT_NO_DATE on failure. */
GDPRKIT_API gdprkit_status gdprkit_request_deadline(int32_t* out, int32_t received, int extended);

/* ---- The request register ------------------------------------------------------- */

typedef struct gdprkit_request_register gdprkit_request_register;

/* Creates a register file (mode 0600) or opens one after verifying its
 * chain, in *out (released with gdprkit_request_register_free, which wipes
 * the key). Errors as gdprkit_consent_ledger_create / _open. *out is NULL
 * on failure. */
GDPRKIT_API gdprkit_status gdprkit_request_register_create(gdprkit_request_register** out,
                                                           const char* path,
                                                           const gdprkit_policy* policy,
                                                           const gdprkit_consent_options* options);
GDPRKIT_API gdprkit_status gdprkit_request_register_open(gdprkit_request_register** out,
                                                         const char* path,
                                                         const gdprkit_policy* policy,
                                                         const gdprkit_consent_options* options);

/* Releases a register (closing the file, wiping the key). Accepts NULL. */
GDPRKIT_API void gdprkit_request_register_free(gdprkit_request_register* reg);

/* A request as received. Initialise with GDPRKIT_NEW_REQUEST_INIT.
 *   id: the caller's reference, or NULL / "": the register assigns one.
 *   kind: a gdprkit_request_kind.
 *   subject: a vault token or pseudonym.
 *   purposes, purpose_count: the purposes the request names; none: all of
 *     the subject's.
 *   received: the day it reached the controller (days since 1970-01-01).
 *   channel, recorded_by: how it came, who recorded it. */
typedef struct gdprkit_new_request {
  unsigned int version; /* GDPRKIT_NEW_REQUEST_VERSION */
  const char* id;
  int kind;
  const char* subject;
  const char* const* purposes;
  size_t purpose_count;
  int32_t received;
  const char* channel;
  const char* recorded_by;
} gdprkit_new_request;

#define GDPRKIT_NEW_REQUEST_VERSION 1u
#define GDPRKIT_NEW_REQUEST_INIT \
  { GDPRKIT_NEW_REQUEST_VERSION, NULL, 0, NULL, NULL, 0, (-2147483647 - 1), NULL, NULL }
/* GDPRKIT_NEW_REQUEST_INIT as a function, for FFI (see <gdprkit.h>). */
GDPRKIT_API gdprkit_status gdprkit_new_request_init(gdprkit_new_request* out, unsigned int version);

/* Requests as the register gives them back: one (after a change, _get) or
 * several (_list, _overdue). */
typedef struct gdprkit_requests gdprkit_requests;

/* A request as it stands; strings live as long as its gdprkit_requests.
 * Initialise with GDPRKIT_REQUEST_INIT. Days are days since 1970-01-01,
 * GDPRKIT_NO_DATE when none; purposes has purpose_count entries and a NULL;
 * subject is "" once erased. */
typedef struct gdprkit_request {
  unsigned int version; /* GDPRKIT_REQUEST_VERSION */
  const char* id;
  int kind;   /* gdprkit_request_kind */
  int status; /* gdprkit_request_status */
  const char* subject;
  const char* const* purposes;
  size_t purpose_count;
  int32_t received;
  int32_t due; /* the deadline */
  int extended;
  const char* extension_reason;
  int identity; /* gdprkit_identity_check */
  const char* identity_method;
  int32_t closed_on;
  const char* outcome;
  const char* channel;
} gdprkit_request;

#define GDPRKIT_REQUEST_VERSION 1u
#define GDPRKIT_REQUEST_INIT                                                                     \
  {                                                                                              \
    GDPRKIT_REQUEST_VERSION, NULL, 0, 0, NULL, NULL, 0, (-2147483647 - 1), (-2147483647 - 1), 0, \
        NULL, 0, NULL, (-2147483647 - 1), NULL, NULL                                             \
  }
/* GDPRKIT_REQUEST_INIT as a function, for FFI (see <gdprkit.h>). */
GDPRKIT_API gdprkit_status gdprkit_request_init(gdprkit_request* out, unsigned int version);

/* Number of requests; 0 for NULL. Never fails. */
GDPRKIT_API size_t gdprkit_requests_count(const gdprkit_requests* requests);

/* Request `index` into *out. Errors: INVALID_ARGUMENT for a NULL argument
 * or an unsupported out->version; OUT_OF_RANGE for index >= count. On
 * failure *out is zeroed except its version. */
GDPRKIT_API gdprkit_status gdprkit_requests_get(gdprkit_request* out,
                                                const gdprkit_requests* requests, size_t index);

/* Releases requests. Accepts NULL. */
GDPRKIT_API void gdprkit_requests_free(gdprkit_requests* requests);

/* The changes of the register, each one entry of its chain. Each returns
 * the request as it then stands in *out (one request; released with
 * gdprkit_requests_free). Days are days since 1970-01-01.
 *   receive: records a new request. ALREADY_EXISTS for a used id.
 *   check_identity: records the identity check (`verified` non-zero: it
 *     succeeded) and how (`method`, e.g. "MitID").
 *   extend: the one extension, with its reason, no later than the first
 *     deadline (FAILED_PRECONDITION otherwise).
 *   close_request: closes an open request as `status` (answered, refused or
 *     cancelled) with the outcome or the reason (required for refused);
 *     FAILED_PRECONDITION when it is closed already.
 * Errors also: INVALID_ARGUMENT for a NULL argument, an unsupported
 * version, a number outside its enum, or naming the bad field (never a
 * value); NOT_FOUND for an unknown request id or purpose (naming the
 * nearest). *out is NULL on failure and nothing is recorded. */
GDPRKIT_API gdprkit_status gdprkit_request_register_receive(gdprkit_requests** out,
                                                            gdprkit_request_register* reg,
                                                            const gdprkit_new_request* request);
GDPRKIT_API gdprkit_status gdprkit_request_register_check_identity(gdprkit_requests** out,
                                                                   gdprkit_request_register* reg,
                                                                   const char* id, int verified,
                                                                   const char* method, int32_t on,
                                                                   const char* recorded_by);
GDPRKIT_API gdprkit_status gdprkit_request_register_extend(gdprkit_requests** out,
                                                           gdprkit_request_register* reg,
                                                           const char* id, const char* reason,
                                                           int32_t on, const char* recorded_by);
GDPRKIT_API gdprkit_status gdprkit_request_register_close_request(gdprkit_requests** out,
                                                                  gdprkit_request_register* reg,
                                                                  const char* id, int status,
                                                                  const char* outcome, int32_t on,
                                                                  const char* recorded_by);

/* Reading the register, in *out (released with gdprkit_requests_free):
 *   get: one request (NOT_FOUND naming the nearest ids);
 *   list: every request, by received day, then id;
 *   overdue: the open requests whose deadline is before day `on`, most
 *     overdue first.
 * Errors: INVALID_ARGUMENT for a NULL argument. *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_request_register_get(gdprkit_requests** out,
                                                        const gdprkit_request_register* reg,
                                                        const char* id);
GDPRKIT_API gdprkit_status gdprkit_request_register_list(gdprkit_requests** out,
                                                         const gdprkit_request_register* reg);
GDPRKIT_API gdprkit_status gdprkit_request_register_overdue(gdprkit_requests** out,
                                                            const gdprkit_request_register* reg,
                                                            int32_t on);

/* The trail: every state change of one request (`id`) or of all (NULL). */
typedef struct gdprkit_request_trail gdprkit_request_trail;

/* One state change; strings live as long as the trail. Initialise with
 * GDPRKIT_REQUEST_EVENT_INIT. event: "received", "identity_verified",
 * "identity_failed", "extended", "answered", "refused", "cancelled",
 * "erased" (the core's words). */
typedef struct gdprkit_request_event {
  unsigned int version; /* GDPRKIT_REQUEST_EVENT_VERSION */
  int64_t seq;
  int64_t recorded_at; /* seconds since the epoch, UTC */
  const char* request_id;
  const char* event;
  int32_t on;
  const char* detail;
  const char* recorded_by;
  const char* hash;
} gdprkit_request_event;

#define GDPRKIT_REQUEST_EVENT_VERSION 1u
#define GDPRKIT_REQUEST_EVENT_INIT \
  { GDPRKIT_REQUEST_EVENT_VERSION, 0, 0, NULL, NULL, (-2147483647 - 1), NULL, NULL, NULL }
/* GDPRKIT_REQUEST_EVENT_INIT as a function, for FFI (see <gdprkit.h>). */
GDPRKIT_API gdprkit_status gdprkit_request_event_init(gdprkit_request_event* out,
                                                      unsigned int version);

/* The trail in *out (released with gdprkit_request_trail_free). Errors:
 * INVALID_ARGUMENT for a NULL out or reg; NOT_FOUND for an unknown id. *out
 * is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_request_register_trail(gdprkit_request_trail** out,
                                                          const gdprkit_request_register* reg,
                                                          const char* id);
/* Number of events; 0 for NULL. Never fails. */
GDPRKIT_API size_t gdprkit_request_trail_count(const gdprkit_request_trail* trail);
/* Event `index` into *out; errors as gdprkit_requests_get. */
GDPRKIT_API gdprkit_status gdprkit_request_trail_get(gdprkit_request_event* out,
                                                     const gdprkit_request_trail* trail,
                                                     size_t index);
/* Releases a trail. Accepts NULL. */
GDPRKIT_API void gdprkit_request_trail_free(gdprkit_request_trail* trail);

/* Verifies the register's whole chain now, as gdprkit_consent_ledger_verify. */
GDPRKIT_API gdprkit_status gdprkit_request_register_verify(gdprkit_consent_verification** out,
                                                           const gdprkit_request_register* reg,
                                                           const char* expected_head);

/* Erases the subject's texts from the register (the chain still
 * verifies); the number of entries erased in *out_erased. Errors:
 * INVALID_ARGUMENT for a NULL argument or a malformed subject. */
GDPRKIT_API gdprkit_status gdprkit_request_register_erase_subject(int64_t* out_erased,
                                                                  gdprkit_request_register* reg,
                                                                  const char* subject,
                                                                  const char* recorded_by);

/* ---- Decisions ----------------------------------------------------------------- */

/* A purpose the subject's data serve. Initialise with
 * GDPRKIT_SUBJECT_PURPOSE_INIT.
 *   purpose: its id in the policy.
 *   date_names, dates, date_count: the record's dates by name, as a
 *     retention sweep reads them ("start", "consent_withdrawn", ...; days
 *     since 1970-01-01, GDPRKIT_NO_DATE when it has not happened).
 *   on_hold: non-zero when a legal hold covers it. */
typedef struct gdprkit_subject_purpose {
  unsigned int version; /* GDPRKIT_SUBJECT_PURPOSE_VERSION */
  const char* purpose;
  const char* const* date_names;
  const int32_t* dates;
  size_t date_count;
  int on_hold;
} gdprkit_subject_purpose;

#define GDPRKIT_SUBJECT_PURPOSE_VERSION 1u
#define GDPRKIT_SUBJECT_PURPOSE_INIT \
  { GDPRKIT_SUBJECT_PURPOSE_VERSION, NULL, NULL, NULL, 0, 0 }
/* GDPRKIT_SUBJECT_PURPOSE_INIT as a function, for FFI (see <gdprkit.h>). */
GDPRKIT_API gdprkit_status gdprkit_subject_purpose_init(gdprkit_subject_purpose* out,
                                                        unsigned int version);

/* A decision: per purpose, what must be done and why. */
typedef struct gdprkit_decision gdprkit_decision;

/* What a decision asks for one purpose; strings live as long as the
 * decision (or erasure outcome) it was read from. Initialise with
 * GDPRKIT_PURPOSE_DECISION_INIT. */
typedef struct gdprkit_purpose_decision {
  unsigned int version; /* GDPRKIT_PURPOSE_DECISION_VERSION */
  const char* purpose;
  int action;                 /* gdprkit_request_action */
  const char* right;          /* the right's code ("A17"; see gdprkit_right_title) */
  const char* reason;         /* the legal reasoning, with the article */
  int32_t keep_until;         /* for keep: the first day it may be deleted, or GDPRKIT_NO_DATE */
  const char* retention_rule; /* the rule that decided keep_until, or "" */
} gdprkit_purpose_decision;

#define GDPRKIT_PURPOSE_DECISION_VERSION 1u
#define GDPRKIT_PURPOSE_DECISION_INIT \
  { GDPRKIT_PURPOSE_DECISION_VERSION, NULL, 0, NULL, NULL, (-2147483647 - 1), NULL }
/* GDPRKIT_PURPOSE_DECISION_INIT as a function, for FFI (see <gdprkit.h>). */
GDPRKIT_API gdprkit_status gdprkit_purpose_decision_init(gdprkit_purpose_decision* out,
                                                         unsigned int version);

/* Decides request kind `kind` (a gdprkit_request_kind) for `count`
 * purposes as of day `on`, in *out (released with gdprkit_decision_free),
 * one purpose decision per purpose in the order given. Errors:
 * INVALID_ARGUMENT for a NULL argument or array, an unsupported version, a
 * kind outside the enum, a bad date name (naming the purpose's index);
 * NOT_FOUND for an unknown purpose (naming the nearest). *out is NULL on
 * failure. */
GDPRKIT_API gdprkit_status gdprkit_request_decide(gdprkit_decision** out,
                                                  const gdprkit_policy* policy, int kind,
                                                  const gdprkit_subject_purpose* purposes,
                                                  size_t count, int32_t on);

/* The decision's kind (a gdprkit_request_kind; -1 for NULL) and purposes
 * (0 for NULL). Never fail. */
GDPRKIT_API int gdprkit_decision_kind(const gdprkit_decision* decision);
GDPRKIT_API size_t gdprkit_decision_count(const gdprkit_decision* decision);

/* Purpose decision `index` into *out; errors as gdprkit_requests_get. */
GDPRKIT_API gdprkit_status gdprkit_decision_get(gdprkit_purpose_decision* out,
                                                const gdprkit_decision* decision, size_t index);

/* Releases a decision. Accepts NULL. */
GDPRKIT_API void gdprkit_decision_free(gdprkit_decision* decision);

/* What carrying out an erasure did, and what it left to the caller. */
typedef struct gdprkit_erasure_outcome gdprkit_erasure_outcome;

/* Carries out an erasure decision for what the library holds: the
 * identifier's tokens erased from `vault` (when vault and identifier are
 * given; `kind` a gdprkit_id_kind), the subject's consent entries erased
 * from `ledger` (when ledger and subject are given). *out (released with
 * gdprkit_erasure_outcome_free) says what was erased and lists the purposes
 * the calling system must still delete and those kept, with reasons.
 * Errors: INVALID_ARGUMENT for a NULL out, decision or recorded_by;
 * FAILED_PRECONDITION for a decision that is not of an erasure request; the
 * vault's and the ledger's errors. *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_request_carry_out_erasure(
    gdprkit_erasure_outcome** out, const gdprkit_decision* decision, gdprkit_vault* vault, int kind,
    const char* identifier, gdprkit_consent_ledger* ledger, const char* subject,
    const char* recorded_by);

/* Counts (0 for NULL; never fail): vault tokens and consent entries erased,
 * purposes the caller must delete, purposes kept. */
GDPRKIT_API uint64_t gdprkit_erasure_outcome_vault_tokens(const gdprkit_erasure_outcome* outcome);
GDPRKIT_API int64_t gdprkit_erasure_outcome_consent_entries(const gdprkit_erasure_outcome* outcome);
GDPRKIT_API size_t gdprkit_erasure_outcome_delete_count(const gdprkit_erasure_outcome* outcome);
GDPRKIT_API size_t gdprkit_erasure_outcome_kept_count(const gdprkit_erasure_outcome* outcome);

/* Purpose `index` the caller must delete (_delete_get) or that is kept
 * (_kept_get) into *out; errors as gdprkit_requests_get. */
GDPRKIT_API gdprkit_status gdprkit_erasure_outcome_delete_get(
    gdprkit_purpose_decision* out, const gdprkit_erasure_outcome* outcome, size_t index);
GDPRKIT_API gdprkit_status gdprkit_erasure_outcome_kept_get(gdprkit_purpose_decision* out,
                                                            const gdprkit_erasure_outcome* outcome,
                                                            size_t index);

/* Releases an erasure outcome. Accepts NULL. */
GDPRKIT_API void gdprkit_erasure_outcome_free(gdprkit_erasure_outcome* outcome);

/* What the library holds about `subject` (consent entries with their
 * notices' versions, requests and their trails) as portable JSON (Art. 15,
 * 20), in *out, released with gdprkit_retention_string_free. `ledger` and
 * `reg` may each be NULL (not consulted). Errors: INVALID_ARGUMENT for a
 * NULL out or subject, or a malformed subject. *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_access_report(char** out, const char* subject,
                                                 const gdprkit_consent_ledger* ledger,
                                                 const gdprkit_request_register* reg);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GDPRKIT_C_CONSENT_H_ */
