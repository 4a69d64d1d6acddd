// gdprkit/vault.h: the pseudonymisation vault.
//
// Two ways to replace an identifier (CPR number, provider number, ...) by a
// stand-in, both per *domain* (a purpose, team or recipient, e.g.
// "klynge-aarhus-2026" or "kapsel-datakonsulenter"):
//
//   - Pseudonyms (one-way): a keyed pseudorandom function of the normalised
//     identifier under the domain's key: one ChaCha20 block, or keyed BLAKE2b
//     (PseudonymScheme, chosen per domain). The same identifier gives the
//     same pseudonym within a domain and unlinkable pseudonyms across
//     domains. Stateless: any process
//     holding the domain key (Pseudonymizer) computes them, nothing is stored.
//     Form: "ps<key version>_" + 26 base32 characters (128 bits).
//   - Tokens (reversible): random tokens kept in the vault file with the
//     identifier encrypted (XChaCha20-Poly1305, associated data binding domain,
//     token and key version) and a keyed index, so that the same identifier
//     always gets the same token in a domain. Re-identification needs the
//     vault, names a reason and is written to the audit trail.
//     Form: "tk_" + 32 base32 characters (128 random bits + a 32-bit check
//     bound to the domain, so that a mistyped token or one from another domain
//     is told apart from one that was never issued).
//
// Keys: a random master key per key version, stored only wrapped, under an
// Argon2id passphrase key or under a key the host supplies from its own key
// store. Per-domain keys are derived from it (keyed BLAKE2b over the domain
// name, then crypto_kdf subkeys for pseudonyms, the index and encryption).
// Secret material lives in libsodium's guarded memory, is wiped after use and
// never appears in a message, a log or the audit trail. Raw key bytes leave the
// library only through functions that take an InsecureSecretAccess token, the
// one greppable door (as in Tink).
//
// The store is an SQLite file (WAL, busy timeout, BEGIN IMMEDIATE for writers,
// UNIQUE constraints): a Vault is internally synchronised and safe to share
// between threads, and several processes may open the same file. Every batch is
// one transaction: a crash leaves either all or none of it.
//
// Errors (absl::Status), never with an identifier or a key in the message:
//   InvalidArgument     bad input: a rejected identifier (with its row), a
//                       malformed or altered token, a bad domain name, a reason
//                       that is empty or holds a CPR number;
//   NotFound            no vault file, no such domain (with "did you mean"),
//                       a token that was never issued in the domain or erased;
//   AlreadyExists       Create() on an existing file, a domain that exists;
//   Unauthenticated     wrong passphrase or host key;
//   FailedPrecondition  passphrase given for a host-key vault (or the reverse),
//                       a vault made by a newer gdprkit, a destroyed key version;
//   DataLoss            the file is not a vault, is truncated or damaged, or a
//                       record fails authentication;
//   Unavailable         the file stayed locked by another writer beyond the
//                       busy timeout;
//   Internal            an SQLite or libsodium failure.
#ifndef GDPRKIT_VAULT_H_
#define GDPRKIT_VAULT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gdprkit/common.h"
#include "gdprkit/identifiers.h"

namespace gdprkit {

namespace internal {
class SecretBytes;
struct PseudonymizerAccess;
}  // namespace internal

// The one door to raw secret material: functions that take or return key
// bytes require this token, so that every such place in a code base is found
// by grepping for "InsecureSecretAccess".
class InsecureSecretAccess {
 public:
  static InsecureSecretAccess Get() { return InsecureSecretAccess(); }

 private:
  InsecureSecretAccess() = default;
};

// Argon2id cost for the passphrase key (crypto_pwhash). The limits a vault was
// created with are stored in it and used again on Open.
struct KdfLimits {
  std::uint64_t opslimit = 0;
  std::size_t memlimit = 0;

  // crypto_pwhash_OPSLIMIT_MODERATE / MEMLIMIT_MODERATE (3 passes, 256 MiB,
  // about a second): the default.
  static KdfLimits Moderate();
  // crypto_pwhash_OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE (2, 64 MiB).
  static KdfLimits Interactive();
  // The smallest limits libsodium accepts (1 pass, 8 KiB). For tests only: it
  // makes passphrases cheap to guess.
  static KdfLimits ForTestsOnly();

  // The limits of a cost by name: "moderate", "interactive" or "tests_only"
  // (the names of the three above); InvalidArgument naming them otherwise.
  static absl::StatusOr<KdfLimits> FromName(std::string_view name);
  // "moderate", "interactive", "tests_only".
  static std::vector<std::string_view> Names();
};

// How the master keys are protected.
enum class VaultProtection : std::uint8_t {
  kNone = 0,        // Nothing given yet (Create/Open fail).
  kPassphrase = 1,  // Argon2id over a passphrase.
  kHostKey = 2,     // A 32-byte key from the host's key store.
};
// "none", "passphrase", "host_key" (src/vault/vocabulary.cc).
std::string_view VaultProtectionName(VaultProtection protection);
absl::StatusOr<VaultProtection> ParseVaultProtection(std::string_view name);
std::vector<std::string_view> VaultProtectionNames();

// Where the vault is and how to unlock it; builder style:
//   VaultOptions().set_path("v.db").set_passphrase(pw).set_actor("alice")
// Copies share the secret (held in guarded memory, wiped with the last copy).
class VaultOptions {
 public:
  VaultOptions();
  ~VaultOptions();
  VaultOptions(const VaultOptions&);
  VaultOptions& operator=(const VaultOptions&);

  // The vault file. Required.
  VaultOptions& set_path(std::string path);
  // Protect with a passphrase (non-empty). The bytes are copied into guarded
  // memory; the caller should wipe its own copy.
  VaultOptions& set_passphrase(std::string_view passphrase);
  // Protect with a 32-byte key from the host's key store (HSM, KMS, OS
  // keyring). Other sizes make Create/Open fail with InvalidArgument.
  VaultOptions& set_host_key(std::string_view key, InsecureSecretAccess);
  // Argon2id cost, used by Create (Open reads the stored cost). Default
  // KdfLimits::Moderate().
  VaultOptions& set_kdf_limits(KdfLimits limits);
  // Who acts, written to the audit trail (no identifiers: a user or system
  // name). Default "unknown".
  VaultOptions& set_actor(std::string actor);
  // How long to wait for another writer's lock, in milliseconds. Default
  // 60000.
  VaultOptions& set_busy_timeout_ms(int ms);
  // Open() creates the vault when the file does not exist ("created on first
  // use"). Default false.
  VaultOptions& set_create_if_missing(bool create);
  // SQLite page cache per connection, in MiB. Default 64.
  VaultOptions& set_cache_mib(int mib);

  const std::string& path() const { return path_; }
  VaultProtection protection() const { return protection_; }
  const KdfLimits& kdf_limits() const { return kdf_limits_; }
  const std::string& actor() const { return actor_; }
  int busy_timeout_ms() const { return busy_timeout_ms_; }
  bool create_if_missing() const { return create_if_missing_; }
  int cache_mib() const { return cache_mib_; }
  // The passphrase or host key (nullptr when none was set). Internal use.
  const std::shared_ptr<internal::SecretBytes>& secret() const { return secret_; }

 private:
  std::string path_;
  VaultProtection protection_ = VaultProtection::kNone;
  std::shared_ptr<internal::SecretBytes> secret_;
  KdfLimits kdf_limits_;
  std::string actor_ = "unknown";
  int busy_timeout_ms_ = 60000;
  bool create_if_missing_ = false;
  int cache_mib_ = 64;
};

// Why a token was rejected (Reidentify and Translate with ErrorMode::kCoerce
// or kReport). Stable numbers (C ABI, batch results).
enum class TokenProblem : std::uint8_t {
  kNone = 0,         // "ok"
  kMalformed = 1,    // "malformed": not "tk_" and 32 base32 characters
  kFailedCheck = 2,  // "failed_check": altered, or a token of another domain
  kNotFound = 3,     // "not_found": never issued in the domain, or erased
};
// "ok", "malformed", "failed_check", "not_found" (src/vault/vocabulary.cc).
std::string_view TokenProblemName(TokenProblem problem);
absl::StatusOr<TokenProblem> ParseTokenProblem(std::string_view name);

// Whether a text has the form of a token ("tk_" + 32 lower-case base32) or
// of a pseudonym ("ps<key version>_" + 26 lower-case base32) as the vault
// writes them. Form only: no domain, check or key is consulted (the consent
// ledger and the request register refuse subjects of any other form).
bool IsTokenShaped(std::string_view text);
bool IsPseudonymShaped(std::string_view text);
std::vector<std::string_view> TokenProblemNames();
// Why, for people, in `language` ("the token is not in the domain (erased,
// or never issued)" / "tokenet findes ikke i domænet (slettet eller aldrig
// udstedt)"); never the token.
std::string_view TokenProblemTitle(TokenProblem problem, Language language = Language::kEnglish);

// Per-batch knobs.
struct BatchOptions {
  IdOptions id_options;
  // What a rejected row does (gdprkit/common.h), one meaning in every batch
  // call (Pseudonymize, Tokenize, LookupTokens, Reidentify, Translate):
  //   kRaise (default): the batch fails with InvalidArgument (Reidentify and
  //     Translate: NotFound for a token that is not in the domain) naming the
  //     first rejected row and why, never the value; nothing is written;
  //   kCoerce: the row's output is empty, the batch succeeds; report->rejected
  //     counts the rejected rows;
  //   kReport: as kCoerce; the doors also list the rejected rows (row and
  //     reason, from report->problems / report->token_problems).
  // A record that fails authentication is DataLoss in every mode.
  ErrorMode errors = ErrorMode::kRaise;
  // Pseudonyms only: the key version to use; 0 means the domain's current
  // version. An older, not destroyed version recomputes historic pseudonyms.
  std::uint32_t key_version = 0;
  // Pseudonyms only: threads to use. 0 (default): automatic, more than one
  // only for batches of 64 Ki rows or more (one per 32 Ki rows, at most the
  // hardware's); 1: the calling thread only. Results do not depend on it.
  int threads = 0;
  // Progress (gdprkit/common.h), one stage per call counting its rows:
  // "pseudonymise", "tokenise", "lookup", "reidentify", "translate". Called
  // on the calling thread (also for pseudonyms computed by several threads),
  // while the vault is locked: the callback must not call this vault.
  // Returning false cancels the batch: CancelledError, nothing written (a
  // cancelled Tokenize issues no token; its transaction is rolled back).
  ProgressFn progress;
};

// Knobs of RotateKeys and Rekey.
struct RekeyOptions {
  // Progress (gdprkit/common.h), one stage counting the token records
  // re-keyed: "rotate" (RotateKeys: every record of every domain) or "rekey"
  // (Rekey: the records of the domains not on the primary version), total
  // counted first. Called on the calling thread while the vault is locked:
  // the callback must not call this vault. Returning false cancels:
  // CancelledError, and the vault is as before (the transaction is rolled
  // back; after RotateKeys the old version stays primary).
  ProgressFn progress;
};

// What happened in a batch (optional out-parameter).
struct BatchReport {
  std::vector<IdProblem> problems;  // One per input row; kNone when accepted.
  // Reidentify and Translate: one per input token; kNone when accepted.
  std::vector<TokenProblem> token_problems;
  std::size_t rejected = 0;  // Rows rejected (identifier or token).
  std::size_t created = 0;   // Tokens: new tokens issued.
  std::size_t existing = 0;  // Tokens: rows that already had a token.
  std::size_t missing = 0;   // LookupTokens: rows without a token.
};

// How a domain's one-way pseudonyms are computed; fixed when the domain is
// created, kept across key rotations. Both are keyed pseudorandom functions
// from libsodium under the domain's 256-bit pseudonym key; a pseudonym is
// "ps<key version>_" + base32 of 16 output bytes either way. docs/vault.md
// gives both byte for byte, with a reference in Python.
enum class PseudonymScheme : std::uint8_t {
  // Keyed BLAKE2b-128 (crypto_generichash, 32-byte key) of kind || normal form.
  // Anything with BLAKE2b (Python's hashlib) recomputes it from the exported
  // key. Two BLAKE2b compressions per value: about 2 M/s per core. The scheme
  // of every domain made before schema version 2.
  kBlake2b = 1,
  // The default. Numeric identifiers (CPR, CVR, GLN, ydernummer, SOR: at most
  // 18 digits) in one ChaCha20 block (RFC 8439, crypto_stream_chacha20_ietf)
  // whose 12-byte nonce is kind || digit count || the number: about twice as
  // fast. kOther text takes keyed BLAKE2b-128. Both keys are derived from the
  // pseudonym key with crypto_kdf.
  kChaCha20 = 2,
};
// The names of the vault's enums (PseudonymScheme, KeyState, AuditOp,
// TranslateTarget) come from one table each (src/vault/vocabulary.cc), which
// every door uses: <Enum>Name is total ("unknown" for a number outside the
// enum), Parse<Enum> gives InvalidArgument naming the valid choices and the
// nearest, <Enum>Names lists them in table order.

// "blake2b" / "chacha20".
std::string_view PseudonymSchemeName(PseudonymScheme scheme);
// The reverse: InvalidArgument `unknown pseudonym scheme "x"; valid:
// "chacha20" and "blake2b"` for any other name.
absl::StatusOr<PseudonymScheme> ParsePseudonymScheme(std::string_view name);
// The same as a flag (since 0.2): false for any other name.
bool ParsePseudonymScheme(std::string_view name, PseudonymScheme* scheme);
// "chacha20" (the default for new domains) and "blake2b".
std::vector<std::string_view> PseudonymSchemeNames();

// A domain as stored in the vault.
struct DomainInfo {
  std::string name;
  std::string description;
  PseudonymScheme scheme = PseudonymScheme::kChaCha20;
  std::uint32_t key_version = 0;  // Version of its current keys.
  std::int64_t created_unix = 0;  // Seconds since the epoch.
  std::uint64_t tokens = 0;       // Tokens held.
};

enum class KeyState : std::uint8_t {
  kPrimary = 1,    // Used for new domains, tokens and pseudonyms.
  kEnabled = 2,    // Older; still recomputes its pseudonyms, decrypts its rows.
  kDestroyed = 3,  // Wiped; what was made under it cannot be recomputed.
};

// "primary", "enabled", "destroyed".
std::string_view KeyStateName(KeyState state);
absl::StatusOr<KeyState> ParseKeyState(std::string_view name);
std::vector<std::string_view> KeyStateNames();
// For people: "primary key" / "primær nøgle", ...
std::string_view KeyStateTitle(KeyState state, Language language = Language::kEnglish);

struct KeyVersionInfo {
  std::uint32_t version = 0;
  KeyState state = KeyState::kEnabled;
  std::int64_t created_unix = 0;
};

// The kinds of audit entries. Stable numbers (stored).
enum class AuditOp : std::uint8_t {
  kVaultCreated = 1,
  kDomainCreated = 2,
  kReidentify = 3,
  kTranslate = 4,
  kErase = 5,
  kRotate = 6,
  kRekey = 7,
  kDestroyKey = 8,
  kExportKey = 9,
  kChangeProtection = 10,
};

// "vault_created", "reidentify", ...
std::string_view AuditOpName(AuditOp op);
absl::StatusOr<AuditOp> ParseAuditOp(std::string_view name);
std::vector<std::string_view> AuditOpNames();
// For people: "re-identification" / "genidentifikation", ...
std::string_view AuditOpTitle(AuditOp op, Language language = Language::kEnglish);

// One entry of the audit trail. Holds no identifier and no key.
struct AuditRecord {
  std::uint64_t seq = 0;  // 1, 2, 3, ... without gaps.
  std::int64_t time_unix_micros = 0;
  AuditOp op = AuditOp::kVaultCreated;
  std::string actor;
  std::string domain;
  std::string target_domain;  // kTranslate only.
  std::string reason;
  std::uint64_t count = 0;        // Rows re-identified, tokens erased, ...
  std::uint32_t key_version = 0;  // kRotate/kRekey/kDestroyKey/kExportKey.
  std::string chain_hex;          // This entry's chain value (hex).
};

// The result of a successful VerifyAudit().
struct AuditVerification {
  std::uint64_t entries = 0;
  std::string head_hex;  // Chain value of the last entry; anchor it elsewhere.
};

// What Erase() did.
struct ErasureReport {
  std::uint64_t tokens_erased = 0;  // Rows removed (one per domain holding it).
  std::uint64_t domains_searched = 0;
  // True when SQLite's write-ahead log was checkpointed and truncated after the
  // erasure, so no old copy of the erased records remains in the -wal file.
  // False when another connection was reading: Erase does not wait for it
  // (it would hold every other caller of this vault); the old page images stay
  // in the -wal file until Vault::Checkpoint() succeeds or the last connection
  // closes.
  bool wal_truncated = false;
};

// What Translate() produces in the target domain.
enum class TranslateTarget : std::uint8_t {
  kToken = 0,      // Tokens of the target domain (issued when missing).
  kPseudonym = 1,  // Pseudonyms of the target domain.
};
// "token", "pseudonym".
std::string_view TranslateTargetName(TranslateTarget target);
absl::StatusOr<TranslateTarget> ParseTranslateTarget(std::string_view name);
std::vector<std::string_view> TranslateTargetNames();

class Pseudonymizer;

// The vault. Create/Open return it ready to use; it is internally
// synchronised (one SQLite connection behind a mutex) and safe to share
// between threads. Several Vault objects, in one process or several, may use
// the same file.
class Vault {
 public:
  // Creates a new vault file with a fresh master key (version 1), protected as
  // `options` says. AlreadyExists when the file exists.
  static absl::StatusOr<std::unique_ptr<Vault>> Create(const VaultOptions& options);
  // Opens an existing vault (or creates it when options.create_if_missing()).
  // Checks the file before SQLite touches it, unlocks the keys (Unauthenticated
  // on a wrong passphrase), migrates an older schema. Nothing is written when
  // it fails.
  static absl::StatusOr<std::unique_ptr<Vault>> Open(const VaultOptions& options);
  ~Vault();
  Vault(const Vault&) = delete;
  Vault& operator=(const Vault&) = delete;

  const std::string& path() const;
  // How this Vault object unlocked the keys (kPassphrase or kHostKey).
  VaultProtection protection() const;

  // Creates a domain: a name of 1-64 characters a-z, 0-9, '.', '_', '-',
  // starting with a letter or digit, whose pseudonyms follow `scheme`.
  // Audited. AlreadyExists / InvalidArgument.
  absl::Status CreateDomain(std::string_view name, std::string_view description = {},
                            PseudonymScheme scheme = PseudonymScheme::kChaCha20);
  // All domains, by name.
  absl::StatusOr<std::vector<DomainInfo>> ListDomains() const;
  // One domain; NotFound `no domain "x" in the vault; did you mean "y"?`
  // (the nearest names) when there is none.
  absl::StatusOr<DomainInfo> GetDomain(std::string_view name) const;

  // One pseudonym per input row into `out` (cleared first). Stateless: nothing
  // is written. Rejected rows fail the batch or, with ErrorMode::kCoerce or
  // kReport, give an empty value and their problem in `report`.
  absl::Status Pseudonymize(std::string_view domain, IdKind kind,
                            absl::Span<const std::string_view> identifiers, StringColumn* out,
                            const BatchOptions& options = BatchOptions(),
                            BatchReport* report = nullptr) const;
  // A Pseudonymizer for `domain` at its current key version (or
  // `key_version`), usable without the vault.
  absl::StatusOr<std::unique_ptr<Pseudonymizer>> NewPseudonymizer(
      std::string_view domain, std::uint32_t key_version = 0) const;
  // The domain's pseudonym key as text
  // ("gdprkit-pseudonym-key-v2:<domain>:<version>:<scheme>:<key>"), for a
  // process that computes pseudonyms without the vault
  // (Pseudonymizer::FromExportedKey). The text is a secret. Audited with
  // `reason`.
  absl::StatusOr<std::string> ExportPseudonymKey(std::string_view domain, std::string_view reason,
                                                 InsecureSecretAccess);

  // One token per input row into `tokens` (cleared first): the existing token
  // of the identifier in the domain, or a new one. One transaction per batch;
  // concurrent calls (threads, processes) give one token per identifier.
  absl::Status Tokenize(std::string_view domain, IdKind kind,
                        absl::Span<const std::string_view> identifiers, StringColumn* tokens,
                        const BatchOptions& options = BatchOptions(),
                        BatchReport* report = nullptr);
  // Like Tokenize but never issues a token: rows without one give an empty
  // value (counted in report->missing). Read-only.
  absl::Status LookupTokens(std::string_view domain, IdKind kind,
                            absl::Span<const std::string_view> identifiers, StringColumn* tokens,
                            const BatchOptions& options = BatchOptions(),
                            BatchReport* report = nullptr) const;

  // The identifiers (normal form) behind `tokens` of `domain`, and their kinds.
  // `reason` is required (no CPR number in it) and written to the audit trail
  // in the same transaction (with the count of tokens re-identified). With
  // options.errors kRaise (default) the batch fails as a whole
  // (InvalidArgument for a malformed/altered/foreign token, NotFound for one
  // never issued or erased) and then nothing is written; with kCoerce or
  // kReport such a token gives an empty value and its TokenProblem in
  // report->token_problems. DataLoss for a record that fails authentication,
  // in every mode. Only options.errors and options.progress are read.
  absl::Status Reidentify(std::string_view domain, absl::Span<const std::string_view> tokens,
                          std::string_view reason, StringColumn* identifiers,
                          std::vector<IdKind>* kinds = nullptr,
                          const BatchOptions& options = BatchOptions(),
                          BatchReport* report = nullptr);

  // Translates tokens of `from` into tokens or pseudonyms of `to` without the
  // identifiers leaving the library. Audited with `reason`. Errors and
  // options as Reidentify (a rejected token's output is empty).
  absl::Status Translate(std::string_view from, std::string_view to,
                         absl::Span<const std::string_view> tokens, std::string_view reason,
                         TranslateTarget target, StringColumn* out,
                         const BatchOptions& options = BatchOptions(),
                         BatchReport* report = nullptr);

  // Erases one person: removes the token record of `identifier` from every
  // domain, so that their tokens no longer re-identify and the vault holds
  // nothing from which their pseudonyms could be recomputed. Audited (counts
  // only). An identifier with no tokens is not an error (0 erased).
  absl::StatusOr<ErasureReport> Erase(IdKind kind, std::string_view identifier,
                                      std::string_view reason,
                                      const IdOptions& id_options = IdOptions());

  // Copies the write-ahead log into the main file and truncates it, waiting up
  // to `wait` for other connections' readers to finish. True when the log was
  // truncated (nothing of the past, such as an erased record, is left in the
  // -wal file); false when readers still held it. Called after an Erase whose
  // report says wal_truncated = false.
  absl::StatusOr<bool> Checkpoint(absl::Duration wait);

  // Makes a new master-key version primary and re-keys every domain to it
  // (tokens stay the same; their index and encryption change). Pseudonyms made
  // afterwards carry the new version. Returns the new version. Audited.
  // One transaction: a failure (DataLoss for a damaged record), a crash or a
  // cancel by options.progress (CancelledError) leaves the vault as it was,
  // the old version primary. Holds the file's write lock throughout, so other
  // writers wait.
  absl::StatusOr<std::uint32_t> RotateKeys(std::string_view reason,
                                           const RekeyOptions& options = RekeyOptions());
  // Re-keys the domains not yet on the primary version (finishes a rotation
  // that an earlier gdprkit, which re-keyed one domain per transaction, left
  // interrupted). Returns the number of domains re-keyed. One transaction, as
  // RotateKeys.
  absl::StatusOr<std::size_t> Rekey(std::string_view reason,
                                    const RekeyOptions& options = RekeyOptions());
  // Destroys an old key version: its wrapped key is wiped from the file, so
  // its pseudonyms can never be recomputed. FailedPrecondition for the primary
  // version or one a domain still uses. Audited.
  absl::Status DestroyKeyVersion(std::uint32_t version, std::string_view reason);
  absl::StatusOr<std::vector<KeyVersionInfo>> ListKeys() const;
  // Re-wraps every master key and the audit key under a new passphrase or
  // host key (from `protection`: its passphrase or host key and KDF limits;
  // its path is ignored), e.g. to change a passphrase or to move to a key
  // store. One transaction; audited. Other open Vault objects should be
  // reopened afterwards.
  absl::Status ChangeProtection(const VaultOptions& protection, std::string_view reason);

  // Audit entries with seq >= from_seq, at most `limit`.
  absl::StatusOr<std::vector<AuditRecord>> ReadAudit(std::uint64_t from_seq = 1,
                                                     std::size_t limit = SIZE_MAX) const;
  // Checks the audit trail: no gaps, every chain value recomputes under the
  // audit key, the head matches. DataLoss naming the first bad entry.
  absl::StatusOr<AuditVerification> VerifyAudit() const;
  // SQLite's integrity check, every key version unwraps, every token record
  // authenticates, and VerifyAudit. DataLoss on the first problem. Reads the
  // whole file.
  absl::Status CheckIntegrity() const;

  // Writes a consistent copy of the vault, as of one moment, to a new file at
  // `destination_path` while the vault stays in use (SQLite's online backup),
  // created with mode 0600 and checked before it is reported done: the copy
  // opens with the same passphrase or host key and gives the same tokens. The
  // copy is one file with no write-ahead log. AlreadyExists when anything is
  // at `destination_path`; on any failure the partial copy is removed. Not
  // audited (the copy holds the same trail). A plain file copy of a vault in
  // use can miss committed batches that are still in its -wal file: use this.
  absl::Status Backup(std::string_view destination_path) const;

  struct Impl;

 private:
  explicit Vault(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Computes one domain's pseudonyms from its key alone (no vault, no file):
// stateless, so any number of processes or threads can share the work. The key
// lives in guarded memory. Const methods are safe to call from several threads.
class Pseudonymizer {
 public:
  // From Vault::ExportPseudonymKey's text (also the v1 text of gdprkit 0.1,
  // which had no scheme: BLAKE2b). InvalidArgument when malformed.
  static absl::StatusOr<std::unique_ptr<Pseudonymizer>> FromExportedKey(std::string_view text,
                                                                        InsecureSecretAccess);
  ~Pseudonymizer();
  Pseudonymizer(const Pseudonymizer&) = delete;
  Pseudonymizer& operator=(const Pseudonymizer&) = delete;

  const std::string& domain() const { return domain_; }
  std::uint32_t key_version() const { return key_version_; }
  PseudonymScheme scheme() const { return scheme_; }

  // One pseudonym per row into `out` (cleared first); rejected rows as in
  // Vault::Pseudonymize. No allocation per row.
  absl::Status Pseudonymize(IdKind kind, absl::Span<const std::string_view> identifiers,
                            StringColumn* out, const BatchOptions& options = BatchOptions(),
                            BatchReport* report = nullptr) const;
  // As Pseudonymize, but the pseudonym of row i is written to out[i]
  // (pseudonym_size() bytes, no terminator) instead of a column, for a caller
  // that owns the result's storage (the Python binding writes into new str
  // objects). A rejected row's buffer is left as it is (see report). out has
  // one non-null buffer per identifier, else InvalidArgument.
  absl::Status PseudonymizeInto(IdKind kind, absl::Span<const std::string_view> identifiers,
                                absl::Span<char* const> out,
                                const BatchOptions& options = BatchOptions(),
                                BatchReport* report = nullptr) const;
  // One value; InvalidArgument when it is rejected.
  absl::StatusOr<std::string> PseudonymizeOne(IdKind kind, std::string_view identifier,
                                              const IdOptions& options = IdOptions()) const;

  // Length of every pseudonym of this key version ("ps1_" + 26).
  std::size_t pseudonym_size() const;

  struct Key;

 private:
  Pseudonymizer(std::string domain, std::uint32_t key_version, PseudonymScheme scheme,
                std::unique_ptr<Key> key);
  friend struct internal::PseudonymizerAccess;
  std::string domain_;
  std::uint32_t key_version_;
  PseudonymScheme scheme_;
  std::unique_ptr<Key> key_;
};

}  // namespace gdprkit

#endif  // GDPRKIT_VAULT_H_
