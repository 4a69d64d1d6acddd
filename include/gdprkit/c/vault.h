/* gdprkit C ABI, Danish identifiers and the pseudonymisation vault.
 * Included by <gdprkit.h>; do not include it on its own. Conventions (status
 * codes, out-parameters first, versioned records, free functions): see
 * <gdprkit.h> and docs/conventions.md. docs/vault.md describes the
 * semantics (identifier rules, keys, domains, tokens, erasure, audit).
 *
 * Columns. Batches go in as arrays of `count` NUL-terminated UTF-8 strings
 * (`const char* const* values`) and come out as a gdprkit_id_column: `count`
 * NUL-terminated strings owned by the column (one value per input row, ""
 * for a row that was skipped), released with gdprkit_id_column_free, which
 * wipes them (they may be identifiers).
 *
 * Per-row reasons. Functions that take `unsigned char* out_problems` write
 * one gdprkit_id_problem per input row into it (the caller provides `count`
 * bytes; it may be NULL when not wanted), and only when the call succeeds.
 *
 * Arrays and counts. An input array (values, tokens) may be NULL only when
 * count is 0; a NULL array with a count above 0, or a count larger than an
 * array of pointers can be, is INVALID_ARGUMENT naming the argument, and
 * nothing is written.
 *
 * Secrets. Passphrases and host keys are pointer + length (bytes, no NUL
 * needed); the library copies them into guarded memory, wipes its copies
 * after use and never puts them in a message. The caller's buffer is not
 * touched: wipe it with gdprkit_secure_wipe when done. Messages never hold an
 * identifier either: a bad row is named by its index ("row 3: CPR number:
 * ...").
 *
 * Exported keys are secrets too: gdprkit_vault_export_pseudonym_key returns
 * one in a buffer the library allocated in guarded memory, which
 * gdprkit_secret_free wipes and releases.
 *
 * Threads. A gdprkit_vault is internally synchronised: one handle may be
 * used from several threads, and several handles (in one process or several)
 * may open the same file. A gdprkit_pseudonymizer is immutable: one handle
 * may be used from several threads at once without locking. This part of the
 * ABI needs <stdint.h>. */
#ifndef GDPRKIT_C_VAULT_H_
#define GDPRKIT_C_VAULT_H_

#ifndef GDPRKIT_H_
#error "include <gdprkit.h>, not <gdprkit/c/vault.h>"
#endif

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Identifiers -------------------------------------------------------- */

/* Kinds of identifier; stable numbers (stored in vault files). */
enum gdprkit_id_kind {
  GDPRKIT_ID_CPR = 1,             /* CPR-nummer: DDMMYY-SSSS or 10 digits */
  GDPRKIT_ID_CVR = 2,             /* CVR-nummer: 8 digits, modulus 11 */
  GDPRKIT_ID_GLN = 3,             /* GLN / lokationsnummer: 13 digits, GS1 */
  GDPRKIT_ID_PROVIDER_NUMBER = 4, /* ydernummer: up to 6 digits */
  GDPRKIT_ID_SOR = 5,             /* SOR code: 11-18 digits, Verhoeff */
  GDPRKIT_ID_OTHER = 6            /* any text up to 256 bytes, trimmed */
};

/* Why a value was rejected; stable numbers. 0 means accepted. */
enum gdprkit_id_problem {
  GDPRKIT_ID_OK = 0,
  GDPRKIT_ID_EMPTY = 1,
  GDPRKIT_ID_TOO_LONG = 2,
  GDPRKIT_ID_BAD_CHARACTER = 3,
  GDPRKIT_ID_BAD_SEPARATOR = 4,
  GDPRKIT_ID_BAD_LENGTH = 5,
  GDPRKIT_ID_BAD_DATE = 6,
  GDPRKIT_ID_BAD_CHECK_DIGIT = 7,
  GDPRKIT_ID_LEADING_ZERO = 8,
  GDPRKIT_ID_ALL_ZEROS = 9,
  GDPRKIT_ID_REPLACEMENT_NUMBER = 10,
  GDPRKIT_ID_FUTURE_BIRTH_DATE = 11 /* CPR: born after the date checked on (0.3) */
};

/* Stores in *out_kind the kind named `name` ("cpr", "cvr", "gln",
 * "provider_number", "sor", "other", and the aliases "ydernummer", "yder",
 * "provider", "location", "lokationsnummer"; case-insensitive).
 * Errors: INVALID_ARGUMENT for a NULL argument or an unknown name. *out_kind
 * is 0 on failure. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_id_kind_parse(int* out_kind, const char* name);

/* The name of a kind ("cpr", ..., "provider_number"), a static string;
 * "unknown" for another number. Never fails. */
GDPRKIT_API const char* gdprkit_id_kind_name(int kind);

/* A stable snake_case code for a problem ("bad_check_digit"; "ok" for 0), a
 * static string; "unknown" for another number. Never fails. */
GDPRKIT_API const char* gdprkit_id_problem_code(int problem);

/* Why a value of `kind` was rejected with `problem`, a static sentence that
 * never repeats the value ("a CPR number has 10 digits (DDMMYY-SSSS)");
 * "accepted" for GDPRKIT_ID_OK; "unknown" for another number. Never fails. */
GDPRKIT_API const char* gdprkit_id_problem_text(int kind, int problem);

/* gdprkit_id_problem_text in `language` (a gdprkit_language): Danish with
 * GDPRKIT_LANGUAGE_DA ("et CPR-nummer har 10 cifre (DDMMÅÅ-SSSS)"), a UTF-8
 * static string; "unknown" for another kind, problem or language. Never
 * fails. (0.4) */
GDPRKIT_API const char* gdprkit_id_problem_title(int kind, int problem, int language);

/* The title of a kind for people in `language`: "CPR number" /
 * "CPR-nummer", ...: a UTF-8 static string; "unknown" for another number.
 * Never fails. (0.4) */
GDPRKIT_API const char* gdprkit_id_kind_title(int kind, int language);

/* Options for the identifier checks. Initialise with GDPRKIT_ID_OPTIONS_INIT
 * (the defaults documented in docs/vault.md); NULL wherever an options
 * pointer is taken means the defaults.
 *
 * Version 2 (0.3) appends the last two fields. A version-1 struct, from a
 * program built with an older header, is still read (its four fields; the
 * others take their defaults).
 *
 * CPR numbers whose birth date (the real day of a replacement number) lies
 * after cpr_as_of cannot have been issued: GDPRKIT_ID_FUTURE_BIRTH_DATE,
 * unless cpr_allow_future. cpr_as_of is a day number (gdprkit_date_parse);
 * GDPRKIT_NO_DATE, the default, means today's date in Denmark (CET/CEST),
 * read from the clock once per call. Another value that is not a date of the
 * years 1-9999 is INVALID_ARGUMENT. */
typedef struct gdprkit_id_options {
  unsigned int version;      /* GDPRKIT_ID_OPTIONS_VERSION */
  int cpr_require_modulus11; /* 0 (default): numbers since 2007 need not pass */
  int cpr_allow_replacement; /* 1 (default): accept replacement numbers */
  int pad_provider_number;   /* 1 (default): pad provider numbers to 6 digits */
  int cpr_allow_future;      /* version 2. 0 (default): refuse future birth dates */
  int32_t cpr_as_of;         /* version 2. GDPRKIT_NO_DATE (default): today */
} gdprkit_id_options;

#define GDPRKIT_ID_OPTIONS_VERSION 2u
/* (-2147483647 - 1) is GDPRKIT_NO_DATE without its cast, which C++ would
 * warn about (-Wold-style-cast). */
#define GDPRKIT_ID_OPTIONS_INIT \
  { GDPRKIT_ID_OPTIONS_VERSION, 0, 1, 1, 0, (-2147483647 - 1) }
/* GDPRKIT_ID_OPTIONS_INIT as a function, for FFI: version GDPRKIT_ID_OPTIONS_VERSION (see
 * <gdprkit.h>). Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_id_options_init(gdprkit_id_options* out, unsigned int version);

/* A column of result strings; see the notes at the top. */
typedef struct gdprkit_id_column gdprkit_id_column;

/* Number of values; 0 for NULL. Never fails. */
GDPRKIT_API size_t gdprkit_id_column_count(const gdprkit_id_column* column);

/* The values: an array of gdprkit_id_column_count NUL-terminated strings,
 * followed by a NULL; the array and the strings are borrowed from the
 * column and valid until gdprkit_id_column_free (which wipes them): copy
 * what you keep. NULL for a NULL column. Never fails. */
GDPRKIT_API const char* const* gdprkit_id_column_values(const gdprkit_id_column* column);

/* Wipes and releases a column. Accepts NULL. */
GDPRKIT_API void gdprkit_id_column_free(gdprkit_id_column* column);

/* Checks `count` values as identifiers of `kind`: out_problems[i] gets row
 * i's gdprkit_id_problem, *out_rejected the number of rejected rows.
 * Rejections are data, not errors.
 * Errors: INVALID_ARGUMENT for a NULL argument (values and out_problems may
 * be NULL when count is 0; a NULL element is named by its index), a count
 * larger than an array can be, an unknown kind or options version. On
 * failure *out_rejected is 0 and nothing is written to out_problems.
 * Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_ids_check(unsigned char* out_problems, size_t* out_rejected,
                                             int kind, const char* const* values, size_t count,
                                             const gdprkit_id_options* options);

/* Like gdprkit_ids_check, and *out gets the normal form of every row ("" for
 * a rejected row): 10 digits for CPR, 8 for CVR, 13 for GLN, 6 for provider
 * numbers. out_problems may be NULL. *out is NULL on failure. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_ids_normalize(gdprkit_id_column** out,
                                                 unsigned char* out_problems, size_t* out_rejected,
                                                 int kind, const char* const* values, size_t count,
                                                 const gdprkit_id_options* options);

/* Overwrites `size` bytes at `data` with zeros in a way the compiler does
 * not remove (sodium_memzero); for the caller's copy of a passphrase or key.
 * Accepts NULL. Does nothing for a size above PTRDIFF_MAX, which no object
 * has. Never fails. */
GDPRKIT_API void gdprkit_secure_wipe(void* data, size_t size);

/* ---- The vault ---------------------------------------------------------- */

/* An open vault file. Internally synchronised; see the notes at the top. */
typedef struct gdprkit_vault gdprkit_vault;

/* Argon2id cost for a passphrase (used by create; open reads the stored
 * cost). */
enum gdprkit_kdf_cost {
  GDPRKIT_KDF_MODERATE = 0,    /* default: 3 passes, 256 MiB, about a second */
  GDPRKIT_KDF_INTERACTIVE = 1, /* 2 passes, 64 MiB */
  GDPRKIT_KDF_TESTS_ONLY = 2   /* the minimum; makes passphrases cheap to guess */
};

/* Options for create and open. Initialise with GDPRKIT_VAULT_OPTIONS_INIT;
 * NULL means the defaults. */
typedef struct gdprkit_vault_options {
  unsigned int version;  /* GDPRKIT_VAULT_OPTIONS_VERSION */
  const char* actor;     /* who acts, for the audit trail; NULL: "unknown" */
  int kdf_cost;          /* a gdprkit_kdf_cost (create only) */
  int create_if_missing; /* open: create the vault when the file is absent */
  int busy_timeout_ms;   /* wait for another writer's lock; 0: 60000 */
} gdprkit_vault_options;

#define GDPRKIT_VAULT_OPTIONS_VERSION 1u
#define GDPRKIT_VAULT_OPTIONS_INIT \
  { GDPRKIT_VAULT_OPTIONS_VERSION, NULL, 0, 0, 0 }
/* GDPRKIT_VAULT_OPTIONS_INIT as a function, for FFI: version GDPRKIT_VAULT_OPTIONS_VERSION (see
 * <gdprkit.h>). Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_vault_options_init(gdprkit_vault_options* out,
                                                      unsigned int version);

/* Bytes of a host key (GDPRKIT_HOST_KEY_BYTES, also as a function for FFI). */
#define GDPRKIT_HOST_KEY_BYTES 32
GDPRKIT_API size_t gdprkit_host_key_bytes(void);

/* Creates a new vault file at `path` protected by a passphrase
 * (passphrase_len bytes, not empty), with a fresh master key, and stores the
 * open vault in *out (release with gdprkit_vault_close).
 * Errors: INVALID_ARGUMENT for a NULL argument, an empty passphrase or a bad
 * options version; ALREADY_EXISTS when the file exists; PERMISSION_DENIED or
 * NOT_FOUND when it cannot be written; RESOURCE_EXHAUSTED when Argon2id
 * cannot get its memory. *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_vault_create(gdprkit_vault** out, const char* path,
                                                const unsigned char* passphrase,
                                                size_t passphrase_len,
                                                const gdprkit_vault_options* options);

/* Like gdprkit_vault_create, protected by a GDPRKIT_HOST_KEY_BYTES key from
 * the host's key store. INVALID_ARGUMENT for another length. */
GDPRKIT_API gdprkit_status gdprkit_vault_create_with_key(gdprkit_vault** out, const char* path,
                                                         const unsigned char* key, size_t key_len,
                                                         const gdprkit_vault_options* options);

/* Opens an existing vault with its passphrase. Nothing is written when it
 * fails.
 * Errors: INVALID_ARGUMENT (NULL, empty passphrase, bad options version);
 * NOT_FOUND (no such file, unless options->create_if_missing);
 * UNAUTHENTICATED (wrong passphrase); FAILED_PRECONDITION (a host-key vault,
 * or one made by a newer gdprkit); DATA_LOSS (not a vault, truncated or
 * damaged); UNAVAILABLE (locked beyond the busy timeout). *out is NULL on
 * failure. */
GDPRKIT_API gdprkit_status gdprkit_vault_open(gdprkit_vault** out, const char* path,
                                              const unsigned char* passphrase,
                                              size_t passphrase_len,
                                              const gdprkit_vault_options* options);

/* Like gdprkit_vault_open, with a host key (UNAUTHENTICATED for a wrong
 * key, FAILED_PRECONDITION for a passphrase vault). */
GDPRKIT_API gdprkit_status gdprkit_vault_open_with_key(gdprkit_vault** out, const char* path,
                                                       const unsigned char* key, size_t key_len,
                                                       const gdprkit_vault_options* options);

/* Closes a vault and wipes its keys. Accepts NULL. Do not use the handle
 * afterwards, nor close it while another thread uses it. */
GDPRKIT_API void gdprkit_vault_close(gdprkit_vault* vault);

/* How a domain's one-way pseudonyms are computed; stable numbers (stored in
 * vault files). Fixed when the domain is created and kept across key
 * rotations. Both are keyed pseudorandom functions from libsodium under the
 * domain's pseudonym key, and either way a pseudonym is "ps<key version>_" +
 * 26 base32 characters; docs/vault.md gives both byte for byte. */
enum gdprkit_pseudonym_scheme {
  GDPRKIT_PSEUDONYM_BLAKE2B = 1, /* keyed BLAKE2b-128 of kind || normal form:
                                    anything with BLAKE2b (Python's hashlib)
                                    recomputes it from the exported key; also
                                    the scheme of every domain of a vault
                                    file made before schemes existed */
  GDPRKIT_PSEUDONYM_CHACHA20 = 2 /* the default: one ChaCha20 block (RFC 8439)
                                    per numeric identifier, about twice as
                                    fast; GDPRKIT_ID_OTHER text takes keyed
                                    BLAKE2b */
};

/* Creates a domain (a purpose, team or recipient): a name of 1-64
 * characters a-z, 0-9, '.', '_', '-', starting with a letter or digit;
 * `description` may be NULL. Its pseudonyms follow the default scheme,
 * GDPRKIT_PSEUDONYM_CHACHA20 (gdprkit_vault_create_domain_with_scheme
 * chooses another). Audited.
 * Errors: INVALID_ARGUMENT (NULL vault or name, bad name); ALREADY_EXISTS. */
GDPRKIT_API gdprkit_status gdprkit_vault_create_domain(gdprkit_vault* vault, const char* name,
                                                       const char* description);

/* Like gdprkit_vault_create_domain, with the domain's pseudonym scheme, a
 * gdprkit_pseudonym_scheme (GDPRKIT_PSEUDONYM_BLAKE2B for pseudonyms that
 * must be recomputable with plain BLAKE2b). The scheme cannot be changed
 * later. Audited.
 * Errors: INVALID_ARGUMENT (NULL vault or name, bad name, a scheme number
 * other than 1 or 2); ALREADY_EXISTS. Nothing is created on failure. */
GDPRKIT_API gdprkit_status gdprkit_vault_create_domain_with_scheme(gdprkit_vault* vault,
                                                                   const char* name,
                                                                   const char* description,
                                                                   int scheme);

/* Stores in *out_scheme the gdprkit_pseudonym_scheme of `domain`.
 * Errors: INVALID_ARGUMENT (NULL argument); NOT_FOUND (no such domain,
 * named in the message); DATA_LOSS (the stored scheme is not one of the
 * known numbers). *out_scheme is 0 on failure. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_vault_domain_scheme(int* out_scheme, const gdprkit_vault* vault,
                                                       const char* domain);

/* Per-batch options. Initialise with GDPRKIT_BATCH_OPTIONS_INIT; NULL means
 * the defaults.
 *
 * Version 3 (0.4) appends errors, progress and progress_context:
 *   errors, a gdprkit_errors: what a rejected row (an identifier that fails
 *     its check; for the token calls a malformed, altered, foreign or unknown
 *     token) does. GDPRKIT_ERRORS_RAISE (default) fails the batch naming the
 *     first rejected row ("row i: ..."); GDPRKIT_ERRORS_COERCE gives it ""
 *     and the batch succeeds; GDPRKIT_ERRORS_REPORT does the same, and the
 *     rejected rows are those whose out_problems entry is not 0 (which the
 *     caller then lists). skip_invalid, the older field, keeps working:
 *     skip_invalid != 0 with errors RAISE is COERCE.
 *   progress (may be NULL) and progress_context: called on the calling
 *     thread, one stage per call counting rows ("pseudonymise", "tokenise",
 *     "lookup", "reidentify"; translate: "translate" then "tokenise"), from
 *     done 0 to done == total; a non-zero return cancels the batch, which
 *     returns GDPRKIT_CANCELLED and writes nothing (no token issued, no
 *     audit entry). The callback must not call into gdprkit.
 * Version 2 (0.3) embeds a version-2 gdprkit_id_options (whose version may
 * also say 1: then only its first four fields count). Versions 1 and 2, from
 * programs built with older headers, are still read with the layouts they
 * had (version 1: a version-1 id_options, skip_invalid, key_version); their
 * missing fields take their defaults. */
typedef struct gdprkit_batch_options {
  unsigned int version;          /* GDPRKIT_BATCH_OPTIONS_VERSION */
  gdprkit_id_options id_options; /* how identifiers are checked */
  int skip_invalid;              /* older spelling of errors = COERCE: 0: a
                                    rejected row fails the batch, naming its
                                    index; 1: its output is "" and its problem
                                    goes to out_problems */
  unsigned int key_version;      /* pseudonyms: 0 = current, or an older one */
  int errors;                    /* version 3. a gdprkit_errors (default RAISE) */
  gdprkit_progress_fn progress;  /* version 3. NULL (default): no progress */
  void* progress_context;        /* version 3. handed to progress */
} gdprkit_batch_options;

#define GDPRKIT_BATCH_OPTIONS_VERSION 3u
#define GDPRKIT_BATCH_OPTIONS_INIT \
  { GDPRKIT_BATCH_OPTIONS_VERSION, GDPRKIT_ID_OPTIONS_INIT, 0, 0u, 0, NULL, NULL }
/* GDPRKIT_BATCH_OPTIONS_INIT as a function, for FFI: version GDPRKIT_BATCH_OPTIONS_VERSION (see
 * <gdprkit.h>). Since 0.4. */
GDPRKIT_API gdprkit_status gdprkit_batch_options_init(gdprkit_batch_options* out,
                                                      unsigned int version);

/* Why a token was rejected by gdprkit_vault_reidentify_with_options or
 * gdprkit_vault_translate_with_options (errors COERCE or REPORT); stable
 * numbers. (0.4) */
enum gdprkit_token_problem {
  GDPRKIT_TOKEN_OK = 0,
  GDPRKIT_TOKEN_MALFORMED = 1,    /* not "tk_" and 32 base32 characters */
  GDPRKIT_TOKEN_FAILED_CHECK = 2, /* altered, or a token of another domain */
  GDPRKIT_TOKEN_NOT_FOUND = 3     /* never issued in the domain, or erased */
};

/* The name of a token problem ("ok", "malformed", "failed_check",
 * "not_found"), a static string; NULL for another number. Never fails. (0.4) */
GDPRKIT_API const char* gdprkit_token_problem_name(int problem);

/* Why, for people, in `language` (a gdprkit_language), never the token: a
 * UTF-8 static string; NULL for another problem or language. Never fails.
 * (0.4) */
GDPRKIT_API const char* gdprkit_token_problem_title(int problem, int language);

/* One-way pseudonyms of `count` identifiers of `kind` in `domain`:
 * "ps<key version>_" + 26 base32 characters, a keyed function of the normal
 * form under the domain's key as the domain's scheme says (ChaCha20 by
 * default, keyed BLAKE2b for GDPRKIT_PSEUDONYM_BLAKE2B domains; see
 * gdprkit_pseudonym_scheme). Stateless: nothing is written.
 * out_problems (may be NULL) gets one gdprkit_id_problem per row.
 * Errors: INVALID_ARGUMENT (NULL argument or element, unknown kind, error
 * mode or options version, a rejected row "row i: ..." under errors RAISE);
 * NOT_FOUND (no such domain); FAILED_PRECONDITION (a destroyed key
 * version); CANCELLED (by options->progress). *out is NULL on failure.
 * Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_vault_pseudonymize(gdprkit_id_column** out,
                                                      unsigned char* out_problems,
                                                      const gdprkit_vault* vault,
                                                      const char* domain, int kind,
                                                      const char* const* values, size_t count,
                                                      const gdprkit_batch_options* options);

/* Reversible tokens ("tk_" + 32 base32 characters) of `count` identifiers of
 * `kind` in `domain`: the existing token of each identifier or a new one,
 * in one transaction (all rows or none). The same identifier always gets the
 * same token in a domain, also across threads and processes.
 * Errors as gdprkit_vault_pseudonymize, plus UNAVAILABLE when the file
 * stayed locked. *out is NULL on failure and nothing is written (also when
 * options->progress cancels: no token of the batch is issued). */
GDPRKIT_API gdprkit_status gdprkit_vault_tokenize(gdprkit_id_column** out,
                                                  unsigned char* out_problems, gdprkit_vault* vault,
                                                  const char* domain, int kind,
                                                  const char* const* values, size_t count,
                                                  const gdprkit_batch_options* options);

/* The identifiers (normal form) behind `count` tokens of `domain`.
 * `reason` (required, without a CPR number in it) is written to the audit
 * trail in the same transaction. The batch fails as a whole.
 * Errors: INVALID_ARGUMENT (NULL argument or element, empty reason, a
 * malformed or altered token or one from another domain, "row i: ...");
 * NOT_FOUND (a token never issued here, or erased; no such domain);
 * DATA_LOSS (a record fails authentication). *out is NULL on failure and
 * nothing is written. */
GDPRKIT_API gdprkit_status gdprkit_vault_reidentify(gdprkit_id_column** out, gdprkit_vault* vault,
                                                    const char* domain, const char* const* tokens,
                                                    size_t count, const char* reason);

/* gdprkit_vault_reidentify with options (NULL: the defaults): options->errors
 * COERCE or REPORT give a rejected token "" and its gdprkit_token_problem in
 * out_problems (may be NULL; `count` bytes, written only on success) instead
 * of failing the batch; the audit entry counts the tokens re-identified.
 * options->progress reports the stage "reidentify". Only errors, skip_invalid
 * and progress are read. Errors as gdprkit_vault_reidentify, plus CANCELLED
 * (nothing written, *out NULL). (0.4) */
GDPRKIT_API gdprkit_status gdprkit_vault_reidentify_with_options(
    gdprkit_id_column** out, unsigned char* out_problems, gdprkit_vault* vault, const char* domain,
    const char* const* tokens, size_t count, const char* reason,
    const gdprkit_batch_options* options);

/* What gdprkit_vault_translate produces in the target domain; stable
 * numbers. */
enum gdprkit_translate_target {
  GDPRKIT_TRANSLATE_TO_TOKEN = 0,    /* tokens of the target domain: the
                                        existing token of each person there,
                                        or a new one */
  GDPRKIT_TRANSLATE_TO_PSEUDONYM = 1 /* pseudonyms of the target domain, as
                                        gdprkit_vault_pseudonymize gives them
                                        (its current key version) */
};

/* Translates `count` tokens of `from_domain` into tokens or pseudonyms of
 * `to_domain` (`target`, a gdprkit_translate_target), one per token in the
 * same order, without the identifiers behind them leaving the library.
 * `reason` (required, without a CPR number in it) is written to the audit
 * trail (both domains and the count, never an identifier) in the same
 * transaction as any tokens issued. The batch fails as a whole. count 0
 * gives an empty column (tokens may then be NULL) and is still audited.
 * Errors: INVALID_ARGUMENT (NULL argument or element, empty reason, a
 * target other than 0 or 1, the same domain twice, a malformed or altered
 * token or one from another domain than from_domain, "row i: ...");
 * NOT_FOUND (a token never issued in from_domain, or erased; no such
 * domain); DATA_LOSS (a record fails authentication); UNAVAILABLE when the
 * file stayed locked. *out is NULL on failure and nothing is written (no
 * token issued, no audit entry). */
GDPRKIT_API gdprkit_status gdprkit_vault_translate(gdprkit_id_column** out, gdprkit_vault* vault,
                                                   const char* from_domain, const char* to_domain,
                                                   const char* const* tokens, size_t count,
                                                   const char* reason, int target);

/* gdprkit_vault_translate with options, as
 * gdprkit_vault_reidentify_with_options: a rejected token gives "" and its
 * gdprkit_token_problem in out_problems under errors COERCE or REPORT;
 * progress reports "translate" (the tokens opened) then "tokenise" (the
 * target's tokens or pseudonyms). (0.4) */
GDPRKIT_API gdprkit_status gdprkit_vault_translate_with_options(
    gdprkit_id_column** out, unsigned char* out_problems, gdprkit_vault* vault,
    const char* from_domain, const char* to_domain, const char* const* tokens, size_t count,
    const char* reason, int target, const gdprkit_batch_options* options);

/* Erases one person: removes the token record of `identifier` (of `kind`)
 * from every domain; their tokens no longer re-identify. Audited with
 * `reason` (counts only). *out_erased gets the number of records removed (0
 * when there were none: not an error).
 * Errors: INVALID_ARGUMENT (NULL argument, rejected identifier, empty
 * reason). *out_erased is 0 on failure. */
GDPRKIT_API gdprkit_status gdprkit_vault_erase(uint64_t* out_erased, gdprkit_vault* vault, int kind,
                                               const char* identifier, const char* reason);

/* Folds the write-ahead log into the vault file and truncates it, waiting at
 * most `wait_ms` milliseconds for other connections' readers. *out_truncated
 * is 1 when the log was truncated, so that no old page image (such as the
 * record of a person just erased) remains in the -wal file; 0 when readers
 * still held it (call again later; the last connection to close does it too).
 * gdprkit_vault_erase tries this without waiting, so that an erasure never
 * blocks behind a reader: call this afterwards to finish it.
 * Errors: INVALID_ARGUMENT (NULL argument); UNAVAILABLE (an I/O error).
 * *out_truncated is 0 on failure. Added in 0.3 (symbol version GDPRKIT_0.3). */
GDPRKIT_API gdprkit_status gdprkit_vault_checkpoint(int* out_truncated, gdprkit_vault* vault,
                                                    unsigned int wait_ms);

/* Rotates the keys: a new master-key version becomes primary and every
 * domain is re-keyed to it (tokens stay the same; pseudonyms made afterwards
 * carry the new version). *out_version gets the new version. Audited.
 * One transaction: on any failure the vault is as it was, the old version
 * primary. It holds the file's write lock throughout (other writers wait).
 * Errors: INVALID_ARGUMENT (NULL argument, empty reason); DATA_LOSS (a record
 * fails authentication). *out_version is 0 on failure. */
GDPRKIT_API gdprkit_status gdprkit_vault_rotate(unsigned int* out_version, gdprkit_vault* vault,
                                                const char* reason);

/* gdprkit_vault_rotate with progress: `progress` (may be NULL; see
 * gdprkit_progress_fn in gdprkit.h) gets one stage, "rotate", counting the
 * token records re-keyed (every record of every domain), with `context`.
 * A non-zero return cancels: GDPRKIT_CANCELLED, and the vault is as before
 * (no new version; the old one stays primary; every token re-identifies).
 * Added in 0.4 (symbol version GDPRKIT_0.4). */
GDPRKIT_API gdprkit_status gdprkit_vault_rotate_with_progress(unsigned int* out_version,
                                                              gdprkit_vault* vault,
                                                              const char* reason,
                                                              gdprkit_progress_fn progress,
                                                              void* context);

/* Finishes a key rotation that was interrupted (a crash, a kill, a damaged
 * record): re-keys every domain not yet on the primary key version, as
 * gdprkit_vault_rotate would have, without making a new version. On a
 * healthy vault it does nothing. *out_domains gets the number of domains
 * re-keyed (0 when there were none: not an error). Audited with `reason`
 * (required, without a CPR number in it) for each domain re-keyed.
 * Since 0.4 one transaction (before, one per domain, which is how a rotation
 * could be left half done).
 * Errors: INVALID_ARGUMENT (NULL argument, empty reason or one holding a CPR
 * number); DATA_LOSS (a record fails authentication; nothing is re-keyed);
 * UNAVAILABLE (the file stayed locked).
 * *out_domains is 0 on failure. Added in 0.3 (symbol version GDPRKIT_0.3). */
GDPRKIT_API gdprkit_status gdprkit_vault_rekey(size_t* out_domains, gdprkit_vault* vault,
                                               const char* reason);

/* gdprkit_vault_rekey with progress: one stage, "rekey", counting the token
 * records of the domains re-keyed; a non-zero return cancels
 * (GDPRKIT_CANCELLED, nothing re-keyed). Added in 0.4 (symbol version
 * GDPRKIT_0.4). */
GDPRKIT_API gdprkit_status gdprkit_vault_rekey_with_progress(size_t* out_domains,
                                                             gdprkit_vault* vault,
                                                             const char* reason,
                                                             gdprkit_progress_fn progress,
                                                             void* context);

/* Writes a consistent copy of the vault, as of one moment, to a new file at
 * `destination_path` while the vault stays in use (SQLite's online backup;
 * other threads and processes may go on reading and writing). The copy is
 * created with mode 0600, is one file with no write-ahead log, and is checked
 * before the call returns: it opens with the same passphrase or host key and
 * gives the same tokens. A plain file copy of a vault in use can miss
 * committed batches still in its -wal file: use this. Not audited (the copy
 * holds the same trail).
 * Errors: INVALID_ARGUMENT (NULL argument, an empty or unusable path);
 * ALREADY_EXISTS (anything is at destination_path: a backup never
 * overwrites); PERMISSION_DENIED or NOT_FOUND (the file cannot be made
 * there); DATA_LOSS (the copy does not verify); UNAVAILABLE (the vault stayed
 * locked). On failure nothing is left at destination_path. Added in 0.3
 * (symbol version GDPRKIT_0.3). */
GDPRKIT_API gdprkit_status gdprkit_vault_backup(gdprkit_vault* vault, const char* destination_path);

/* Verifies the audit trail (no gaps; every hash-chain value recomputes under
 * the audit key). *out_entries gets the number of entries; out_head_hex
 * (may be NULL; else room for 65 bytes) the hex chain value of the last
 * entry, to anchor elsewhere.
 * Errors: INVALID_ARGUMENT (NULL vault or out_entries); DATA_LOSS naming
 * the first bad entry. On failure *out_entries is 0 and out_head_hex "". */
GDPRKIT_API gdprkit_status gdprkit_vault_verify_audit(uint64_t* out_entries, char* out_head_hex,
                                                      const gdprkit_vault* vault);

/* ---- Pseudonyms without the vault ----------------------------------------- */

/* Exports the pseudonym key of `domain` (its current key version) as text,
 * "gdprkit-pseudonym-key-v2:<domain>:<version>:<scheme>:<key>", for a process
 * that computes the domain's pseudonyms without the vault
 * (gdprkit_pseudonymizer_from_exported_key; also the CLI's
 * 'gdprkit pseudonymise --exported-key' and Python's
 * gdprkit.Pseudonymizer.from_exported_key). Anyone holding the text can
 * compute the domain's pseudonyms of any identifier, so it is a secret: keep
 * it out of logs and files others can read.
 * *out gets the text, NUL-terminated, in a new buffer in guarded memory;
 * *out_len (may be NULL) its length without the NUL. Release the buffer with
 * gdprkit_secret_free, which wipes it (never free() it yourself).
 * `reason` (required, without a CPR number in it) is written to the audit
 * trail (operation export_key, the domain and key version, never the key).
 * Errors: INVALID_ARGUMENT (NULL out, vault, domain or reason; an empty
 * reason or one holding a CPR number); NOT_FOUND (no such domain);
 * FAILED_PRECONDITION (the domain's key version was
 * destroyed); UNAVAILABLE (the file stayed locked); RESOURCE_EXHAUSTED (no
 * guarded memory; the export is then audited but no text returned). On
 * failure *out is NULL and *out_len 0. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_vault_export_pseudonym_key(char** out, size_t* out_len,
                                                              gdprkit_vault* vault,
                                                              const char* domain,
                                                              const char* reason);

/* Wipes and releases a secret the library returned
 * (gdprkit_vault_export_pseudonym_key). Accepts NULL. Only for buffers from
 * those functions: anything else is undefined behaviour. Never fails. */
GDPRKIT_API void gdprkit_secret_free(char* secret);

/* One domain's pseudonym key, loaded from its exported text: computes the
 * domain's pseudonyms (the same as gdprkit_vault_pseudonymize at that key
 * version) with no vault and no file. The key is kept in guarded memory and
 * wiped by gdprkit_pseudonymizer_free. The handle is immutable: any number of
 * threads may use one handle at once without locking. */
typedef struct gdprkit_pseudonymizer gdprkit_pseudonymizer;

/* Loads the text gdprkit_vault_export_pseudonym_key gave (`len` bytes at
 * `text`, no NUL needed; whitespace around it, such as the newline at the
 * end of the file 'gdprkit vault export-key' writes, is ignored; the v1 text
 * of gdprkit 0.1 is also accepted, as a GDPRKIT_PSEUDONYM_BLAKE2B key) and
 * stores the handle in *out (release with gdprkit_pseudonymizer_free). The
 * text is copied into guarded memory; the caller's buffer is not touched
 * (wipe it with gdprkit_secure_wipe or release it with gdprkit_secret_free).
 * Errors: INVALID_ARGUMENT (NULL out; NULL text with a non-zero len; empty
 * or malformed text: the message never repeats it); RESOURCE_EXHAUSTED (no
 * guarded memory). *out is NULL on failure. Thread-safe. */
GDPRKIT_API gdprkit_status gdprkit_pseudonymizer_from_exported_key(gdprkit_pseudonymizer** out,
                                                                   const char* text, size_t len);

/* Wipes the key and releases the handle. Accepts NULL. Do not use the
 * handle afterwards, nor free it while another thread uses it. */
GDPRKIT_API void gdprkit_pseudonymizer_free(gdprkit_pseudonymizer* pseudonymizer);

/* The domain the key belongs to, valid as long as the handle; "" for NULL.
 * Never fails. */
GDPRKIT_API const char* gdprkit_pseudonymizer_domain(const gdprkit_pseudonymizer* pseudonymizer);

/* The key version (the <version> of "ps<version>_..."); 0 for NULL. Never
 * fails. */
GDPRKIT_API unsigned int gdprkit_pseudonymizer_key_version(
    const gdprkit_pseudonymizer* pseudonymizer);

/* The domain's gdprkit_pseudonym_scheme; 0 for NULL. Never fails. */
GDPRKIT_API int gdprkit_pseudonymizer_scheme(const gdprkit_pseudonymizer* pseudonymizer);

/* One-way pseudonyms of `count` identifiers of `kind` under the handle's key:
 * the same contract as gdprkit_vault_pseudonymize (one value per row, ""
 * for a skipped row; out_problems, may be NULL, gets one gdprkit_id_problem
 * per row; options->skip_invalid; count 0 gives an empty column and values
 * may then be NULL), and the same pseudonyms as gdprkit_vault_pseudonymize
 * gives in the domain at the handle's key version. options->key_version must
 * be 0 or the handle's version. Stateless; thread-safe on one handle.
 * Errors: INVALID_ARGUMENT (NULL argument or element, unknown kind or
 * options version, a rejected row "row i: ..." unless skip_invalid);
 * FAILED_PRECONDITION (options->key_version is another version than the
 * handle's). *out is NULL on failure. */
GDPRKIT_API gdprkit_status gdprkit_pseudonymizer_pseudonymize(
    gdprkit_id_column** out, unsigned char* out_problems,
    const gdprkit_pseudonymizer* pseudonymizer, int kind, const char* const* values, size_t count,
    const gdprkit_batch_options* options);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GDPRKIT_C_VAULT_H_ */
