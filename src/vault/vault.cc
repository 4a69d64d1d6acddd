// The pseudonymisation vault: options, opening and creating the file, keys,
// domains, tokens, re-identification, translation, erasure, rotation, audit.
#include "gdprkit/vault.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/redact.h"
#include "common/sv.h"
#include "gdprkit/names.h"
#include "gdprkit/v1/vault.pb.h"
#include "vault/internal/db.h"
#include "vault/internal/keys.h"
#include "vault/internal/pseudonym.h"
#include "vault/internal/testing.h"
#include "vault/internal/vfs.h"

namespace gdprkit {

namespace internal {
std::atomic<int> g_rekey_stop_after_for_tests{-1};
}  // namespace internal

using internal::AV;
using internal::Db;
using internal::DomainKeys;
using internal::SecretBytes;
using internal::Stmt;
using internal::Transaction;

// --- Small public pieces ----------------------------------------------------

KdfLimits KdfLimits::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
KdfLimits KdfLimits::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
KdfLimits KdfLimits::ForTestsOnly() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

std::string_view AuditOpName(AuditOp op) {
  switch (op) {
    case AuditOp::kVaultCreated:
      return "vault_created";
    case AuditOp::kDomainCreated:
      return "domain_created";
    case AuditOp::kReidentify:
      return "reidentify";
    case AuditOp::kTranslate:
      return "translate";
    case AuditOp::kErase:
      return "erase";
    case AuditOp::kRotate:
      return "rotate";
    case AuditOp::kRekey:
      return "rekey";
    case AuditOp::kDestroyKey:
      return "destroy_key";
    case AuditOp::kChangeProtection:
      return "change_protection";
    case AuditOp::kExportKey:
      return "export_key";
  }
  return "unknown";
}

VaultOptions::VaultOptions() : kdf_limits_(KdfLimits::Moderate()) {}
VaultOptions::~VaultOptions() = default;
VaultOptions::VaultOptions(const VaultOptions&) = default;
VaultOptions& VaultOptions::operator=(const VaultOptions&) = default;

VaultOptions& VaultOptions::set_path(std::string path) {
  path_ = std::move(path);
  return *this;
}

VaultOptions& VaultOptions::set_passphrase(std::string_view passphrase) {
  absl::StatusOr<std::unique_ptr<SecretBytes>> s = SecretBytes::CopyOf(AV(passphrase));
  secret_ = s.ok() ? std::shared_ptr<SecretBytes>(std::move(*s)) : nullptr;
  protection_ = VaultProtection::kPassphrase;
  return *this;
}

VaultOptions& VaultOptions::set_host_key(std::string_view key, InsecureSecretAccess) {
  absl::StatusOr<std::unique_ptr<SecretBytes>> s = SecretBytes::CopyOf(AV(key));
  secret_ = s.ok() ? std::shared_ptr<SecretBytes>(std::move(*s)) : nullptr;
  protection_ = VaultProtection::kHostKey;
  return *this;
}

VaultOptions& VaultOptions::set_kdf_limits(KdfLimits limits) {
  kdf_limits_ = limits;
  return *this;
}
VaultOptions& VaultOptions::set_actor(std::string actor) {
  actor_ = std::move(actor);
  return *this;
}
VaultOptions& VaultOptions::set_busy_timeout_ms(int ms) {
  busy_timeout_ms_ = ms;
  return *this;
}
VaultOptions& VaultOptions::set_create_if_missing(bool create) {
  create_if_missing_ = create;
  return *this;
}
VaultOptions& VaultOptions::set_cache_mib(int mib) {
  cache_mib_ = mib;
  return *this;
}

namespace {

constexpr int kSchemaVersion = 3;
constexpr std::size_t kMaxReason = 1000;
constexpr std::size_t kMaxActor = 200;
constexpr std::size_t kMaxDescription = 1000;
constexpr absl::string_view kTokenPrefix = "tk_";
constexpr char kAuditPersonal[crypto_generichash_blake2b_PERSONALBYTES] = "gdprkit.audit01";
constexpr char kRecordPersonal[crypto_generichash_blake2b_PERSONALBYTES] = "gdprkit.record1";
constexpr char kIntegrityContext[crypto_kdf_CONTEXTBYTES] = {'g', 'd', 'k', 'i',
                                                             'n', 't', 'g', '1'};
constexpr std::size_t kRecordMacBytes = 32;
constexpr std::uint64_t kMaxStoredOpslimit = 64;
constexpr std::uint64_t kMaxStoredMemlimit = std::uint64_t{4} << 30;

// Each schema version is reached from the one before by its SQL; a new file
// starts at version 0. Never edit a step once released: add one.
struct Migration {
  int to;
  const char* sql;
};
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE meta (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE key_versions (
  version INTEGER PRIMARY KEY,
  state INTEGER NOT NULL CHECK (state IN (1, 2, 3)),
  created INTEGER NOT NULL,
  wrapped BLOB,
  checksum BLOB
);
CREATE TABLE domains (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  salt BLOB NOT NULL,
  key_version INTEGER NOT NULL REFERENCES key_versions(version),
  created INTEGER NOT NULL,
  token_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tokens (
  domain_id INTEGER NOT NULL REFERENCES domains(id),
  token BLOB NOT NULL,
  idx BLOB NOT NULL,
  key_version INTEGER NOT NULL,
  sealed BLOB NOT NULL,
  PRIMARY KEY (domain_id, idx),
  UNIQUE (domain_id, token)
) WITHOUT ROWID;
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  entry BLOB NOT NULL,
  chain BLOB NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql"},
    // Schema 2: each domain names its pseudonym scheme (PseudonymScheme);
    // domains of schema 1 were all BLAKE2b.
    {2, R"sql(
ALTER TABLE domains ADD COLUMN pseudonym_scheme INTEGER NOT NULL DEFAULT 1
  CHECK (pseudonym_scheme IN (1, 2));
)sql"},
    // Schema 3: everything the vault trusts is authenticated (docs/vault.md
    // §4a): a keyed MAC per token row (binding domain, index, token, key
    // version, sealed record and the index of the domain's next row, so that
    // the rows of a domain form an authenticated chain that proves a missing
    // index absent), per domain row (with the chain's head) and per key
    // version; the audit head in `meta` is MACed too. The columns are filled in the same
    // transaction, after the keys unlock (FillIntegrity). Files of this schema
    // also carry page checksums (vault/internal/vfs.h).
    {3, R"sql(
ALTER TABLE domains ADD COLUMN mac BLOB;
ALTER TABLE domains ADD COLUMN head BLOB;
ALTER TABLE key_versions ADD COLUMN mac BLOB;
ALTER TABLE tokens ADD COLUMN mac BLOB;
ALTER TABLE tokens ADD COLUMN next BLOB;
)sql"},
};

// The tables every vault has. (Its append-only triggers are a convenience:
// what protects the audit trail is its keyed chain and MACed head.)
constexpr const char* kSchemaObjects[] = {"meta", "key_versions", "domains", "tokens", "audit"};

std::int64_t NowUnix() { return absl::ToUnixSeconds(absl::Now()); }

std::string Le32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

std::string RandomBytes(std::size_t n) {
  std::string s(n, '\0');
  randombytes_buf(&s[0], n);
  return s;
}

std::string MasterKeyAd(absl::string_view vault_id, std::uint32_t version) {
  return absl::StrCat("gdprkit/v1/master-key", vault_id, Le32(version));
}
std::string AuditKeyAd(absl::string_view vault_id) {
  return absl::StrCat("gdprkit/v1/audit-key", vault_id);
}

// The associated data of a token record: binds the ciphertext to its domain,
// its token and its key version, so that a record copied to another domain or
// token, or relabelled with another version, fails authentication.
constexpr std::size_t kTokenAdMax = 16 + 1 + 64 + 1 + 16 + 4;
// Writes the associated data into `buf` (kTokenAdMax bytes); returns it.
absl::string_view TokenAd(absl::string_view domain, const std::uint8_t* token16,
                          std::uint32_t version, char* buf) {
  constexpr absl::string_view kLabel("gdprkit/v1/token\0", 17);
  std::size_t n = 0;
  std::memcpy(buf, kLabel.data(), kLabel.size());
  n += kLabel.size();
  const std::size_t dn = std::min<std::size_t>(domain.size(), 64);  // names are <= 64
  std::memcpy(buf + n, domain.data(), dn);
  n += dn;
  buf[n++] = '\0';
  std::memcpy(buf + n, token16, internal::kTokenRandomBytes);
  n += internal::kTokenRandomBytes;
  for (int i = 0; i < 4; ++i) buf[n++] = static_cast<char>((version >> (8 * i)) & 0xff);
  return absl::string_view(buf, n);
}

absl::Status CheckFreeText(absl::string_view text, absl::string_view what, std::size_t max,
                           bool required) {
  if (required && id_internal::Trim(internal::SV(text)).empty()) {
    return absl::InvalidArgumentError(absl::StrCat("a ", what, " is required"));
  }
  if (text.size() > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("the ", what, " is longer than ", max, " bytes"));
  }
  if (!id_internal::ValidUtf8NoControls(internal::SV(text))) {
    return absl::InvalidArgumentError(
        absl::StrCat("the ", what, " is not valid UTF-8 text without control characters"));
  }
  if (internal::ContainsCprLike(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the ", what,
                     " seems to hold a CPR number; it is stored in the audit trail, "
                     "which must hold no identifier"));
  }
  return absl::OkStatus();
}

absl::Status CheckReason(absl::string_view reason) {
  return CheckFreeText(reason, "reason", kMaxReason, /*required=*/true);
}

std::string Hex(absl::string_view bytes) { return absl::BytesToHexString(bytes); }

bool IsKnownScheme(std::int64_t scheme) {
  return scheme == static_cast<int>(PseudonymScheme::kBlake2b) ||
         scheme == static_cast<int>(PseudonymScheme::kChaCha20);
}

// A domain's stored scheme number; DataLoss for any other number (an 8-bit
// cast would turn 257 into blake2b).
absl::StatusOr<PseudonymScheme> StoredScheme(absl::string_view domain, std::int64_t scheme) {
  if (!IsKnownScheme(scheme)) {
    return absl::DataLossError(absl::StrCat("vault file is damaged: domain '", domain,
                                            "' has an unknown pseudonym scheme"));
  }
  return static_cast<PseudonymScheme>(scheme);
}

struct DomainRow {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  std::string salt;
  std::uint32_t key_version = 0;
  std::int64_t created = 0;
  std::int64_t token_count = 0;
  PseudonymScheme scheme = PseudonymScheme::kBlake2b;
  std::string head;  // Index of the domain's first token row (empty: none).
};

std::string U64(std::uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

// A token row as stored: its keyed index, the index of the next row of its
// domain (empty for the last), token, key version, sealed record and MAC.
// The same without copies: views into a statement's current row or an arena.
struct RowView {
  absl::string_view idx, next, token, sealed, mac;
  std::uint32_t version = 0;
};

struct TokenRow {
  std::string idx, next, token, sealed, mac;
  std::uint32_t version = 0;
  void Wipe() {
    if (!sealed.empty()) sodium_memzero(&sealed[0], sealed.size());
  }
  RowView View() const { return {idx, next, token, sealed, mac, version}; }
};

RowView ViewRow(const Stmt& st, int col) {
  RowView r;
  r.idx = st.Blob(col);
  r.token = st.Blob(col + 1);
  r.version = static_cast<std::uint32_t>(st.Int(col + 2));
  r.sealed = st.Blob(col + 3);
  r.mac = st.Blob(col + 4);
  r.next = st.Blob(col + 5);
  return r;
}

// Copies of rows kept for later, in one buffer (no allocation per row).
class RowArena {
 public:
  void Reserve(std::size_t rows) {
    bytes_.reserve(rows * 160);
    rows_.reserve(rows);
  }
  std::size_t Add(const RowView& r) {
    Entry e;
    e.offset = bytes_.size();
    e.version = r.version;
    const absl::string_view parts[] = {r.idx, r.next, r.token, r.sealed, r.mac};
    for (int k = 0; k < 5; ++k) {
      e.len[k] = static_cast<std::uint16_t>(std::min<std::size_t>(parts[k].size(), 0xffff));
      bytes_.append(parts[k].data(), e.len[k]);
    }
    rows_.push_back(e);
    return rows_.size() - 1;
  }
  RowView Get(std::size_t i) const {
    const Entry& e = rows_[i];
    absl::string_view all(bytes_);
    std::size_t at = e.offset;
    absl::string_view parts[5];
    for (int k = 0; k < 5; ++k) {
      parts[k] = all.substr(at, e.len[k]);
      at += e.len[k];
    }
    return {parts[0], parts[1], parts[2], parts[3], parts[4], e.version};
  }
  ~RowArena() {
    if (!bytes_.empty()) sodium_memzero(&bytes_[0], bytes_.size());
  }

 private:
  struct Entry {
    std::size_t offset;
    std::uint16_t len[5];
    std::uint32_t version;
  };
  std::string bytes_;
  std::vector<Entry> rows_;
};

// The columns of a token row in the order ReadRow expects them.
#define GDPRKIT_ROW_COLUMNS "idx, token, key_version, sealed, mac, next"

TokenRow ReadRow(const Stmt& st, int col) {
  TokenRow r;
  r.idx = std::string(st.Blob(col));
  r.token = std::string(st.Blob(col + 1));
  r.version = static_cast<std::uint32_t>(st.Int(col + 2));
  r.sealed = std::string(st.Blob(col + 3));
  r.mac = std::string(st.Blob(col + 4));
  r.next = std::string(st.Blob(col + 5));
  return r;
}

// The message of a token row's MAC: domain id, key version, keyed index, the
// next row's index (with its length), token and sealed record.
constexpr std::size_t kRowMacMessageMax =
    8 + 4 + internal::kIndexBytes + 1 + internal::kIndexBytes + internal::kTokenRandomBytes +
    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + 1 + kMaxNormalizedId +
    crypto_aead_xchacha20poly1305_ietf_ABYTES;

// SipHash-2-4 with a 128-bit output (libsodium's crypto_shorthash_siphashx24)
// under the domain's row MAC key: a PRF, so a MAC, for these short messages,
// and cheap enough to check on every look-up. False when the row's parts have
// impossible sizes.
bool RowMac(const std::uint8_t* keys, std::int64_t domain_id, const RowView& r, std::uint8_t* out) {
  constexpr std::size_t kFixed =
      8 + 4 + internal::kIndexBytes + 1 + internal::kIndexBytes + internal::kTokenRandomBytes;
  if (r.idx.size() != internal::kIndexBytes || r.token.size() != internal::kTokenRandomBytes ||
      (!r.next.empty() && r.next.size() != internal::kIndexBytes) ||
      r.sealed.size() > kRowMacMessageMax - kFixed) {
    return false;
  }
  std::uint8_t msg[kRowMacMessageMax];
  std::size_t n = 0;
  for (int i = 0; i < 8; ++i) {
    msg[n++] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(domain_id) >> (8 * i));
  }
  for (int i = 0; i < 4; ++i) msg[n++] = static_cast<std::uint8_t>(r.version >> (8 * i));
  std::memcpy(msg + n, r.idx.data(), r.idx.size());
  n += r.idx.size();
  msg[n++] = static_cast<std::uint8_t>(r.next.size());
  if (!r.next.empty()) std::memcpy(msg + n, r.next.data(), r.next.size());
  n += r.next.size();
  std::memcpy(msg + n, r.token.data(), r.token.size());
  n += r.token.size();
  if (!r.sealed.empty()) std::memcpy(msg + n, r.sealed.data(), r.sealed.size());
  n += r.sealed.size();
  crypto_shorthash_siphashx24(out, msg, n, keys + internal::kRowMacKeyOffset);
  sodium_memzero(msg, n);
  return true;
}

// Where a missing index would sit in its domain's chain of rows: after the
// row `row` (or, when `head`, at the start, before the domain's first row),
// whose authenticated next-pointer is `next`. An index x is proven absent
// when the link sits before x and points past it.
struct Link {
  bool head = true;
  TokenRow row;
  std::string next;
  bool Covers(absl::string_view x) const {
    return (head || absl::string_view(row.idx) < x) && (next.empty() || x < next);
  }
};

// A parsed token: its 16 random bytes (the stored key) and its check.
struct ParsedToken {
  std::uint8_t random[internal::kTokenRandomBytes];
  std::uint8_t check[internal::kTokenCheckBytes];
};

bool ParseToken(absl::string_view text, ParsedToken* out) {
  if (text.size() != kTokenPrefix.size() + internal::Base32Size(internal::kTokenRandomBytes +
                                                                internal::kTokenCheckBytes) ||
      text.substr(0, kTokenPrefix.size()) != kTokenPrefix) {
    return false;
  }
  std::uint8_t raw[internal::kTokenRandomBytes + internal::kTokenCheckBytes];
  if (!internal::Base32Decode(text.substr(kTokenPrefix.size()), raw, sizeof(raw))) return false;
  std::memcpy(out->random, raw, internal::kTokenRandomBytes);
  std::memcpy(out->check, raw + internal::kTokenRandomBytes, internal::kTokenCheckBytes);
  return true;
}

// The check bytes of a token in a domain: BLAKE2b over the domain's random
// salt followed by the token's random bytes (one compression; BLAKE2b with a
// secret fixed-length prefix is a MAC), so that a token of another domain, or
// a mistyped one, is told apart from one never issued, by someone without the
// vault file.
void TokenCheck(absl::string_view salt, const std::uint8_t* random, std::uint8_t* check) {
  std::uint8_t msg[internal::kSaltBytes + internal::kTokenRandomBytes];
  std::memcpy(msg, salt.data(), internal::kSaltBytes);
  std::memcpy(msg + internal::kSaltBytes, random, internal::kTokenRandomBytes);
  std::uint8_t h[16];
  crypto_generichash(h, sizeof(h), msg, sizeof(msg), nullptr, 0);
  std::memcpy(check, h, internal::kTokenCheckBytes);
}

constexpr std::size_t kTokenTextSize =
    3 + (8 * (internal::kTokenRandomBytes + internal::kTokenCheckBytes) + 4) / 5;

void FormatToken(absl::string_view salt, const std::uint8_t* random, char* out) {
  std::uint8_t raw[internal::kTokenRandomBytes + internal::kTokenCheckBytes];
  std::memcpy(raw, random, internal::kTokenRandomBytes);
  TokenCheck(salt, random, raw + internal::kTokenRandomBytes);
  std::memcpy(out, kTokenPrefix.data(), kTokenPrefix.size());
  internal::Base32Encode(raw, sizeof(raw), out + kTokenPrefix.size());
}

std::string RowPrefix(std::size_t row) { return absl::StrCat("row ", row, ": "); }

struct alignas(64) Scratch {
  unsigned char bytes[512];
  ~Scratch() { sodium_memzero(bytes, sizeof(bytes)); }
};

// Read access to domain keys for the length of a batch: one unprotect and one
// protect per key and batch, not per row.
class KeyReaders {
 public:
  const std::uint8_t* Get(const DomainKeys* keys) {
    std::unique_ptr<SecretBytes::Reader>& r = readers_[keys];
    if (r == nullptr) r = std::make_unique<SecretBytes::Reader>(*keys->secret);
    return r->data();
  }

 private:
  std::map<const DomainKeys*, std::unique_ptr<SecretBytes::Reader>> readers_;
};

}  // namespace

// --- The implementation -----------------------------------------------------

struct Vault::Impl {
  VaultOptions options;
  std::unique_ptr<Db> db;
  absl::Mutex mu;
  std::string vault_id;
  std::unique_ptr<SecretBytes> kek;
  std::unique_ptr<SecretBytes> audit_key;
  // Key of the MACs on domain rows, key versions and the audit head: a
  // crypto_kdf subkey of the audit key (which, like the master keys, is
  // random and stored only wrapped under the passphrase or host key).
  std::unique_ptr<SecretBytes> integrity_key;
  // The file's schema version once open; MACs are checked from schema 3 on.
  int schema = kSchemaVersion;
  std::map<std::uint32_t, std::unique_ptr<SecretBytes>> masters;  // not destroyed
  std::map<std::uint32_t, KeyState> key_states;
  std::map<std::pair<std::string, std::uint32_t>, DomainKeys> domain_keys;

  // Statements used per row.
  Stmt select_domain;
  Stmt token_by_idx;
  Stmt insert_token;
  Stmt row_by_token;
  Stmt delete_by_idx;
  Stmt row_before;  // The row with the largest index below ?2.
  Stmt set_next;

  absl::Status Prepare();
  absl::Status LoadKeys();
  absl::StatusOr<std::uint32_t> PrimaryVersion();
  // A domain's row, authenticated (from schema 3 on); NotFound with "did you
  // mean" otherwise.
  absl::StatusOr<DomainRow> LoadDomain(absl::string_view name);
  // The same without the MAC check: only for rows this transaction is about
  // to (re)authenticate (a new domain, the migration to schema 3).
  absl::StatusOr<DomainRow> LoadDomainUnchecked(absl::string_view name);
  absl::StatusOr<DomainRow> LoadDomainRow(absl::string_view name, bool check_mac);
  absl::StatusOr<const DomainKeys*> Keys(const DomainRow& domain, std::uint32_t version);
  absl::Status AppendAudit(AuditOp op, absl::string_view domain, absl::string_view target,
                           absl::string_view reason, std::uint64_t count,
                           std::uint32_t key_version);
  absl::StatusOr<std::pair<std::uint64_t, std::string>> AuditHead();

  // --- Integrity (schema 3) ---
  absl::Status DeriveIntegrityKey();
  // A keyed BLAKE2b-256 MAC (integrity key) over a label and fields, each
  // length-prefixed.
  std::string RecordMac(absl::string_view label,
                        std::initializer_list<absl::string_view> fields) const;
  std::string DomainMac(const DomainRow& d) const;
  std::string KeyVersionMac(std::uint32_t version, std::int64_t state, std::int64_t created,
                            absl::string_view wrapped, absl::string_view checksum) const;
  std::string AuditHeadValue(std::uint64_t seq, absl::string_view chain) const;
  // Writes d's token_count and key_version with a fresh MAC.
  absl::Status StoreDomainCounters(const DomainRow& d);
  // Checks a token row's MAC under `keys` (those of the row's key version):
  // DataLoss naming the domain when it fails.
  absl::Status CheckRow(const DomainRow& d, const std::uint8_t* keys, const RowView& r) const;
  // The key material of `version` for `d`, through `readers`.
  absl::StatusOr<const std::uint8_t*> RowKeys(const DomainRow& d, std::uint32_t version,
                                              KeyReaders* readers);
  // The authenticated link before index x: the row with the largest index
  // below x, or the domain's head. DataLoss unless it proves x absent.
  absl::StatusOr<Link> AbsenceOf(const DomainRow& d, absl::string_view x, KeyReaders* readers);
  // Points `link` at `next`: the head in `d` (stored by StoreDomainCounters)
  // or the row, re-MACed and written now.
  absl::Status SetLinkNext(DomainRow* d, Link* link, const std::string& next, KeyReaders* readers);
  // Rebuilds a domain's chain: every row's next-pointer and MAC, in index
  // order, and d->head. For rows this transaction re-keyed or is
  // authenticating for the first time.
  absl::Status RelinkDomain(DomainRow* d, KeyReaders* readers);
  // The next page of a domain's rows from `page` (a statement taking the
  // domain id and the key of the last row read, in the order it pages by).
  absl::Status NextPage(Stmt* page, std::int64_t domain_id, absl::string_view after,
                        std::vector<TokenRow>* rows);
  // Reads every token row of every domain, opens its record and checks its
  // MAC (or, with fill = true during the migration to schema 3, writes it),
  // and checks each domain's row count against its authenticated count.
  absl::Status WalkTokenRows(bool fill);
  // Migration to schema 3 inside the caller's write transaction: MACs for
  // every row, the audit head and the header checksum.
  absl::Status FillIntegrity();
  // Brings an older file to kSchemaVersion: page checksums (VACUUM with
  // reserved bytes), the SQL steps, then FillIntegrity, in one transaction.
  absl::Status Migrate();
  // Recomputes the MAC of every key version (after LoadKeys has checked them
  // in the same write transaction).
  absl::Status RemacKeyVersions();
  // The audit chain from its first entry; entries counted into `entries`.
  absl::StatusOr<AuditVerification> VerifyAuditLocked();
  std::string HeaderChecksum(const std::map<std::string, std::string>& meta) const;
  // The domains as the table holds them (id, name), read without any index.
  absl::Status ReadDomainSet(std::vector<std::pair<std::int64_t, std::string>>* out);
  std::string DomainSetMac(const std::vector<std::pair<std::int64_t, std::string>>& set) const;
  // The set of domains matches its MAC in `meta` (from schema 3 on): a domain
  // added or removed outside the vault is DataLoss. Fills `out` when given.
  absl::Status CheckDomainSet(std::vector<std::pair<std::int64_t, std::string>>* out = nullptr);
  absl::Status StoreDomainSet();

  // The index of a normal form under a domain's keys.
  void Index(const std::uint8_t* keys, IdKind kind, absl::string_view norm, void* scratch,
             std::uint8_t* idx);
  // Seals `kind || norm` for token `random` under `keys`.
  absl::Status SealRecord(const DomainRow& d, std::uint32_t version, const std::uint8_t* keys,
                          IdKind kind, absl::string_view norm, const std::uint8_t* random,
                          const std::uint8_t* nonce, std::string* sealed);
  // Opens a sealed record; DataLoss when it fails authentication.
  absl::Status OpenRecord(const DomainRow& d, std::uint32_t version, const std::uint8_t* keys,
                          const std::uint8_t* random, absl::string_view sealed, IdKind* kind,
                          std::string* norm);

  // Token lookup and issue for normalised rows (in an open transaction).
  // tokens: n * 16 bytes; state[i]: 0 = to do, 1 = has token, 2 = skip.
  // The index of every row to do (state 0) under d's keys into `idxs`, and
  // those rows sorted by index into `order`.
  absl::Status IndexRows(const DomainRow& d, const std::vector<IdKind>& kinds,
                         const StringColumn& norms, const std::vector<std::uint8_t>& state,
                         std::vector<std::uint8_t>* idxs, std::vector<std::uint32_t>* order);
  // Finds the tokens of the rows in `order` (state 0 -> 1) and, when `gaps`
  // is given, proves every other one absent: `gaps` gets the links that do,
  // `gap_of[row]` which.
  absl::Status LookupRows(const DomainRow& d, const std::vector<std::uint8_t>& idxs,
                          const std::vector<std::uint32_t>& order, std::vector<std::uint8_t>* state,
                          std::vector<std::uint8_t>* tokens, std::size_t* found,
                          std::vector<Link>* gaps, std::vector<std::uint32_t>* gap_of);
  absl::Status IssueRows(const DomainRow& d, const std::vector<IdKind>& kinds,
                         const StringColumn& norms, const std::vector<std::uint8_t>& idxs,
                         const std::vector<std::uint32_t>& order, std::vector<std::uint8_t>* state,
                         std::vector<std::uint8_t>* tokens, std::size_t* created,
                         std::size_t* existing, std::vector<Link>* gaps,
                         const std::vector<std::uint32_t>& gap_of);
  absl::Status TokenizeNormalized(absl::string_view domain, const std::vector<IdKind>& kinds,
                                  const StringColumn& norms, std::vector<std::uint8_t>* state,
                                  std::vector<std::uint8_t>* tokens, DomainRow* row,
                                  std::size_t* created, std::size_t* existing, bool in_write_txn);
  // Decrypts the records of `tokens` in domain `d` (open transaction).
  absl::Status OpenTokens(const DomainRow& d, absl::Span<const std::string_view> tokens,
                          StringColumn* norms, std::vector<IdKind>* kinds);
  absl::StatusOr<std::size_t> RekeyLocked(absl::string_view reason);
  // Checkpoints the write-ahead log into the main file and truncates it,
  // waiting at most `wait` for readers; true when it was truncated.
  absl::StatusOr<bool> TruncateWal(absl::Duration wait);
};

namespace {

absl::Status UnlockError(const VaultOptions& o, const absl::Status& s) {
  if (s.code() != absl::StatusCode::kUnauthenticated) return s;
  return absl::UnauthenticatedError(absl::StrCat(
      o.protection() == VaultProtection::kPassphrase ? "wrong passphrase" : "wrong host key",
      " for vault ", o.path()));
}

absl::Status CheckOptions(const VaultOptions& o) {
  if (o.path().empty()) return absl::InvalidArgumentError("VaultOptions has no path");
  if (o.protection() == VaultProtection::kNone) {
    return absl::InvalidArgumentError(
        "VaultOptions needs a passphrase (set_passphrase) or a host key (set_host_key)");
  }
  if (o.secret() == nullptr)
    return absl::ResourceExhaustedError("no guarded memory for the secret");
  if (o.protection() == VaultProtection::kPassphrase && o.secret()->size() == 0) {
    return absl::InvalidArgumentError("the passphrase is empty");
  }
  if (o.protection() == VaultProtection::kHostKey && o.secret()->size() != internal::kKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a host key has ", internal::kKeyBytes, " bytes, not ", o.secret()->size()));
  }
  if (o.busy_timeout_ms() < 0) return absl::InvalidArgumentError("busy timeout is negative");
  return CheckFreeText(o.actor(), "actor", kMaxActor, /*required=*/true);
}

absl::Status RunMigrations(Db* db, int from) {
  for (const Migration& m : kMigrations) {
    if (m.to <= from) continue;
    if (absl::Status s = db->Exec(m.sql, absl::StrCat("migrating the vault to schema ", m.to));
        !s.ok()) {
      return s;
    }
    std::string v = absl::StrCat("PRAGMA user_version=", m.to);
    if (absl::Status s = db->Exec(v.c_str(), "recording the schema version"); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::int64_t> PragmaInt(Db* db, const char* sql) {
  Stmt st;
  if (absl::Status s = st.Prepare(db->get(), sql); !s.ok()) return s;
  int rc = st.Step();
  if (rc != SQLITE_ROW) return db->Error(rc, "reading the vault header");
  return st.Int(0);
}

absl::Status PutMeta(Db* db, absl::string_view name, absl::string_view value) {
  Stmt st;
  if (absl::Status s =
          st.Prepare(db->get(), "INSERT OR REPLACE INTO meta(name, value) VALUES(?, ?)");
      !s.ok()) {
    return s;
  }
  st.BindText(1, name);
  st.BindBlob(2, value);
  int rc = st.Step();
  if (rc != SQLITE_DONE) return db->Error(rc, "writing vault metadata");
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, std::string>> ReadMeta(Db* db) {
  Stmt st;
  if (absl::Status s = st.Prepare(db->get(), "SELECT name, value FROM meta"); !s.ok()) return s;
  std::map<std::string, std::string> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out[std::string(st.Text(0))] = std::string(st.Blob(1));
  if (rc != SQLITE_DONE) return db->Error(rc, "reading vault metadata");
  return out;
}

bool ParseU64(absl::string_view s, std::uint64_t* v) {
  if (s.size() != 8) return false;
  *v = 0;
  for (int i = 7; i >= 0; --i) *v = (*v << 8) | static_cast<unsigned char>(s[i]);
  return true;
}

}  // namespace

absl::Status Vault::Impl::Prepare() {
  sqlite3* h = db->get();
  if (absl::Status s = select_domain.Prepare(
          h,
          "SELECT id, name, salt, key_version, token_count, pseudonym_scheme, description, "
          "created, mac, head FROM domains WHERE name = ?");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = token_by_idx.Prepare(
          h, "SELECT " GDPRKIT_ROW_COLUMNS " FROM tokens WHERE domain_id = ? AND idx = ?");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = insert_token.Prepare(
          h,
          "INSERT INTO tokens(domain_id, token, idx, key_version, sealed, mac, next) "
          "VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT(domain_id, idx) DO NOTHING");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = row_by_token.Prepare(
          h, "SELECT " GDPRKIT_ROW_COLUMNS " FROM tokens WHERE domain_id = ? AND token = ?");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = row_before.Prepare(h, "SELECT " GDPRKIT_ROW_COLUMNS
                                             " FROM tokens WHERE domain_id = ? AND idx < ? "
                                             "ORDER BY idx DESC LIMIT 1");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = set_next.Prepare(
          h, "UPDATE tokens SET next = ?, mac = ? WHERE domain_id = ? AND idx = ?");
      !s.ok()) {
    return s;
  }
  return delete_by_idx.Prepare(h, "DELETE FROM tokens WHERE domain_id = ? AND idx = ?");
}

namespace {

// A vault file whose tables are missing is damaged (or was tampered with);
// say which, rather than failing later with "no such table".
absl::Status CheckSchemaObjects(Db* db, const std::string& path) {
  Stmt st;
  if (absl::Status s = st.Prepare(db->get(),
                                  "SELECT count(*) FROM sqlite_schema WHERE name = ? AND type = "
                                  "'table'");
      !s.ok()) {
    return s;
  }
  for (const char* name : kSchemaObjects) {
    st.Reset();
    st.BindText(1, name);
    int rc = st.Step();
    if (rc != SQLITE_ROW) return db->Error(rc, "reading the vault's schema");
    if (st.Int(0) != 1) {
      return absl::DataLossError(
          absl::StrCat("vault file ", path, " is damaged: its ", name, " table is missing"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Vault::Impl::LoadKeys() {
  Stmt st;
  if (absl::Status s = st.Prepare(
          db->get(),
          schema >= 3 ? "SELECT version, state, wrapped, checksum, created, mac FROM key_versions"
                      : "SELECT version, state, wrapped, checksum, created, NULL FROM "
                        "key_versions");
      !s.ok()) {
    return s;
  }
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    auto version = static_cast<std::uint32_t>(st.Int(0));
    const std::int64_t raw_state = st.Int(1);
    if (schema >= 3) {
      const std::string want = KeyVersionMac(version, raw_state, st.Int(4), st.Blob(2), st.Blob(3));
      absl::string_view mac = st.Blob(5);
      if (mac.size() != want.size() || sodium_memcmp(mac.data(), want.data(), want.size()) != 0) {
        return absl::DataLossError(absl::StrCat("vault file is damaged: master key version ",
                                                version,
                                                " is altered (its record fails authentication)"));
      }
    }
    if (raw_state < 1 || raw_state > 3) {
      return absl::DataLossError(
          absl::StrCat("vault file is damaged: key version ", version, " has an unknown state"));
    }
    auto state = static_cast<KeyState>(raw_state);
    key_states[version] = state;
    if (state == KeyState::kDestroyed) {
      masters.erase(version);
      continue;
    }
    if (masters.count(version) > 0) continue;
    absl::string_view wrapped = st.Blob(2);
    if (internal::Checksum(wrapped) != st.Blob(3)) {
      return absl::DataLossError(
          absl::StrCat("vault file is damaged: master key version ", version, " is altered"));
    }
    absl::StatusOr<std::unique_ptr<SecretBytes>> key =
        internal::UnwrapKey(*kek, wrapped, MasterKeyAd(vault_id, version));
    if (!key.ok()) return UnlockError(options, key.status());
    masters[version] = std::move(*key);
  }
  if (rc != SQLITE_DONE) return db->Error(rc, "reading the vault's keys");
  return absl::OkStatus();
}

absl::StatusOr<std::uint32_t> Vault::Impl::PrimaryVersion() {
  Stmt st;
  if (absl::Status s =
          st.Prepare(db->get(), "SELECT max(version) FROM key_versions WHERE state = 1");
      !s.ok()) {
    return s;
  }
  int rc = st.Step();
  if (rc != SQLITE_ROW) return db->Error(rc, "reading the primary key version");
  if (st.IsNull(0)) return absl::DataLossError("vault file is damaged: no primary key version");
  return static_cast<std::uint32_t>(st.Int(0));
}

absl::StatusOr<DomainRow> Vault::Impl::LoadDomain(absl::string_view name) {
  return LoadDomainRow(name, /*check_mac=*/true);
}
absl::StatusOr<DomainRow> Vault::Impl::LoadDomainUnchecked(absl::string_view name) {
  return LoadDomainRow(name, /*check_mac=*/false);
}

absl::StatusOr<DomainRow> Vault::Impl::LoadDomainRow(absl::string_view name, bool check_mac) {
  select_domain.Reset();
  select_domain.BindText(1, name);
  int rc = select_domain.Step();
  if (rc == SQLITE_ROW) {
    DomainRow d;
    d.id = select_domain.Int(0);
    d.name = std::string(select_domain.Text(1));
    d.salt = std::string(select_domain.Blob(2));
    d.key_version = static_cast<std::uint32_t>(select_domain.Int(3));
    d.token_count = select_domain.Int(4);
    const std::int64_t scheme = select_domain.Int(5);
    if (d.name != name) {
      select_domain.Reset();
      return absl::DataLossError(
          "vault file is damaged: the index of domain names points to another domain");
    }
    d.description = std::string(select_domain.Text(6));
    d.created = select_domain.Int(7);
    const std::string mac(select_domain.Blob(8));
    d.head = std::string(select_domain.Blob(9));
    select_domain.Reset();
    if (d.salt.size() != internal::kSaltBytes) {
      return absl::DataLossError(
          absl::StrCat("vault file is damaged: domain '", d.name, "' has a bad salt"));
    }
    absl::StatusOr<PseudonymScheme> known = StoredScheme(d.name, scheme);
    if (!known.ok()) return known.status();
    d.scheme = *known;
    if (schema >= 3 && check_mac) {
      const std::string want = DomainMac(d);
      if (mac.size() != want.size() || sodium_memcmp(mac.data(), want.data(), want.size()) != 0) {
        return absl::DataLossError(absl::StrCat(
            "vault file is damaged: domain '", d.name,
            "' was altered (its record fails authentication: name, salt, scheme, key version or "
            "token count changed)"));
      }
    }
    return d;
  }
  select_domain.Reset();
  if (rc != SQLITE_DONE) return db->Error(rc, "looking up a domain");
  // Not found: the authenticated list of domains, read without the index,
  // confirms it (a damaged index, or a domain removed outside the vault, is
  // DataLoss), and gives the "did you mean".
  std::vector<std::pair<std::int64_t, std::string>> set;
  if (absl::Status s = check_mac ? CheckDomainSet(&set) : ReadDomainSet(&set); !s.ok()) return s;
  std::vector<std::string> names;
  for (auto& [id, n] : set) {
    if (n == name) {
      return absl::DataLossError("vault file is damaged: the index of domain names lost a domain");
    }
    names.push_back(std::move(n));
  }
  std::vector<std::string_view> views(names.begin(), names.end());
  std::string hint;
  if (!views.empty()) {
    std::vector<std::string> near = NearestNames(internal::SV(name), views, 3);
    for (std::string& n : near) n = internal::RedactIdentifier(n);
    hint = absl::StrCat("; did you mean ", absl::StrJoin(near, ", "), "?");
  } else {
    hint = "; the vault has no domains yet (CreateDomain)";
  }
  return absl::NotFoundError(
      absl::StrCat("no domain '", internal::RedactIdentifier(name), "' in the vault", hint));
}

absl::StatusOr<const DomainKeys*> Vault::Impl::Keys(const DomainRow& domain,
                                                    std::uint32_t version) {
  auto key = std::make_pair(domain.name, version);
  auto it = domain_keys.find(key);
  if (it != domain_keys.end()) return &it->second;
  if (masters.count(version) == 0) {
    // Another process may have rotated: read the key table again.
    if (absl::Status s = LoadKeys(); !s.ok()) return s;
  }
  auto m = masters.find(version);
  if (m == masters.end()) {
    auto st = key_states.find(version);
    if (st != key_states.end() && st->second == KeyState::kDestroyed) {
      return absl::FailedPreconditionError(absl::StrCat("key version ", version, " was destroyed"));
    }
    return absl::NotFoundError(absl::StrCat("no key version ", version, " in the vault"));
  }
  absl::StatusOr<DomainKeys> keys =
      internal::DeriveDomainKeys(*m->second, version, domain.name, domain.scheme);
  if (!keys.ok()) return keys.status();
  auto [ins, ok] = domain_keys.emplace(key, std::move(*keys));
  return &ins->second;
}

void Vault::Impl::Index(const std::uint8_t* keys, IdKind kind, absl::string_view norm,
                        void* scratch, std::uint8_t* idx) {
  std::uint8_t msg[1 + kMaxNormalizedId];
  msg[0] = static_cast<std::uint8_t>(kind);
  std::memcpy(msg + 1, norm.data(), norm.size());
  internal::KeyedHashFrom(keys + internal::kIndexStateOffset, msg, 1 + norm.size(),
                          internal::kIndexBytes, idx);
  sodium_memzero(msg, 1 + norm.size());
}

absl::Status Vault::Impl::SealRecord(const DomainRow& d, std::uint32_t version,
                                     const std::uint8_t* keys, IdKind kind, absl::string_view norm,
                                     const std::uint8_t* random, const std::uint8_t* nonce,
                                     std::string* sealed) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  unsigned char msg[1 + kMaxNormalizedId];
  msg[0] = static_cast<unsigned char>(kind);
  std::memcpy(msg + 1, norm.data(), norm.size());
  char ad_buf[kTokenAdMax];
  const absl::string_view ad = TokenAd(d.name, random, version, ad_buf);
  sealed->resize(kNonce + 1 + norm.size() + kTag);
  auto* out = reinterpret_cast<unsigned char*>(&(*sealed)[0]);
  std::memcpy(out, nonce, kNonce);
  unsigned long long clen = 0;
  int rc = crypto_aead_xchacha20poly1305_ietf_encrypt(
      out + kNonce, &clen, msg, 1 + norm.size(), reinterpret_cast<const unsigned char*>(ad.data()),
      ad.size(), nullptr, nonce, keys + internal::kEncryptionKeyOffset);
  sodium_memzero(msg, 1 + norm.size());
  if (rc != 0) return absl::InternalError("sealing a token record failed");
  return absl::OkStatus();
}

absl::Status Vault::Impl::OpenRecord(const DomainRow& d, std::uint32_t version,
                                     const std::uint8_t* keys, const std::uint8_t* random,
                                     absl::string_view sealed, IdKind* kind, std::string* norm) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < kNonce + kTag + 2 || sealed.size() > kNonce + kTag + 1 + kMaxNormalizedId) {
    return absl::DataLossError("its record has a wrong size");
  }
  char ad_buf[kTokenAdMax];
  const absl::string_view ad = TokenAd(d.name, random, version, ad_buf);
  unsigned char msg[1 + kMaxNormalizedId];
  unsigned long long mlen = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          msg, &mlen, nullptr, s + kNonce, sealed.size() - kNonce,
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), s,
          keys + internal::kEncryptionKeyOffset) != 0) {
    return absl::DataLossError("its record fails authentication (the vault file was altered)");
  }
  *kind = static_cast<IdKind>(msg[0]);
  norm->assign(reinterpret_cast<const char*>(msg + 1), mlen - 1);
  sodium_memzero(msg, mlen);
  if (!IsKnownIdKind(*kind)) return absl::DataLossError("its record holds an unknown kind");
  return absl::OkStatus();
}

// --- Integrity --------------------------------------------------------------

absl::Status Vault::Impl::DeriveIntegrityKey() {
  absl::StatusOr<std::unique_ptr<SecretBytes>> k = SecretBytes::New(internal::kKeyBytes);
  if (!k.ok()) return k.status();
  {
    SecretBytes::Reader a(*audit_key);
    crypto_kdf_derive_from_key((*k)->mutable_data(), internal::kKeyBytes, 1, kIntegrityContext,
                               a.data());
  }
  (*k)->Seal();
  integrity_key = std::move(*k);
  return absl::OkStatus();
}

std::string Vault::Impl::RecordMac(absl::string_view label,
                                   std::initializer_list<absl::string_view> fields) const {
  crypto_generichash_blake2b_state st;
  std::string mac(kRecordMacBytes, '\0');
  {
    SecretBytes::Reader k(*integrity_key);
    crypto_generichash_blake2b_init_salt_personal(
        &st, k.data(), k.size(), mac.size(), nullptr,
        reinterpret_cast<const unsigned char*>(kRecordPersonal));
  }
  auto absorb = [&](absl::string_view f) {
    const std::string len = U64(f.size());
    crypto_generichash_blake2b_update(&st, reinterpret_cast<const unsigned char*>(len.data()),
                                      len.size());
    crypto_generichash_blake2b_update(&st, reinterpret_cast<const unsigned char*>(f.data()),
                                      f.size());
  };
  absorb(label);
  for (absl::string_view f : fields) absorb(f);
  crypto_generichash_blake2b_final(&st, reinterpret_cast<unsigned char*>(&mac[0]), mac.size());
  sodium_memzero(&st, sizeof(st));
  return mac;
}

std::string Vault::Impl::DomainMac(const DomainRow& d) const {
  return RecordMac("domain", {U64(static_cast<std::uint64_t>(d.id)), d.name, d.description, d.salt,
                              U64(d.key_version), U64(static_cast<std::uint64_t>(d.created)),
                              U64(static_cast<std::uint64_t>(d.token_count)),
                              U64(static_cast<std::uint64_t>(d.scheme)), d.head});
}

std::string Vault::Impl::KeyVersionMac(std::uint32_t version, std::int64_t state,
                                       std::int64_t created, absl::string_view wrapped,
                                       absl::string_view checksum) const {
  return RecordMac("key_version", {U64(version), U64(static_cast<std::uint64_t>(state)),
                                   U64(static_cast<std::uint64_t>(created)), wrapped, checksum});
}

std::string Vault::Impl::AuditHeadValue(std::uint64_t seq, absl::string_view chain) const {
  return absl::StrCat(U64(seq), chain, RecordMac("audit_head", {U64(seq), chain}));
}

std::string Vault::Impl::HeaderChecksum(const std::map<std::string, std::string>& meta) const {
  std::string all;
  for (const char* name :
       {"vault_id", "protection", "kdf_salt", "kdf_opslimit", "kdf_memlimit", "audit_key"}) {
    auto it = meta.find(name);
    const std::string value = it == meta.end() ? std::string() : it->second;
    absl::StrAppend(&all, U64(value.size()), value);
  }
  return internal::Checksum(all);
}

absl::Status Vault::Impl::StoreDomainCounters(const DomainRow& d) {
  Stmt st;
  if (absl::Status s = st.Prepare(
          db->get(),
          "UPDATE domains SET token_count = ?, key_version = ?, head = ?, mac = ? WHERE id = ?");
      !s.ok()) {
    return s;
  }
  const std::string mac = DomainMac(d);
  st.Bind(1, d.token_count);
  st.Bind(2, d.key_version);
  st.BindBlob(3, d.head);
  st.BindBlob(4, mac);
  st.Bind(5, d.id);
  int rc = st.Step();
  if (rc != SQLITE_DONE) return db->Error(rc, "updating a domain");
  return absl::OkStatus();
}

absl::Status Vault::Impl::CheckRow(const DomainRow& d, const std::uint8_t* keys,
                                   const RowView& r) const {
  std::uint8_t want[internal::kRowMacBytes];
  if (r.mac.size() != sizeof(want) || !RowMac(keys, d.id, r, want) ||
      sodium_memcmp(want, r.mac.data(), sizeof(want)) != 0) {
    return absl::DataLossError(
        absl::StrCat("vault file is damaged: a token record of domain '", d.name,
                     "' fails authentication (it was altered, moved or damaged)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<const std::uint8_t*> Vault::Impl::RowKeys(const DomainRow& d, std::uint32_t version,
                                                         KeyReaders* readers) {
  absl::StatusOr<const DomainKeys*> keys = Keys(d, version);
  if (!keys.ok()) return keys.status();
  return readers->Get(*keys);
}

absl::StatusOr<Link> Vault::Impl::AbsenceOf(const DomainRow& d, absl::string_view x,
                                            KeyReaders* readers) {
  Stmt& st = row_before;
  st.Reset();
  st.Bind(1, d.id);
  st.BindBlob(2, x);
  int rc = st.Step();
  Link link;
  if (rc == SQLITE_ROW) {
    link.head = false;
    link.row = ReadRow(st, 0);
    st.Reset();
    absl::StatusOr<const std::uint8_t*> keys = RowKeys(d, link.row.version, readers);
    if (!keys.ok()) return keys.status();
    if (absl::Status s = CheckRow(d, *keys, link.row.View()); !s.ok()) return s;
    link.next = link.row.next;
  } else if (rc == SQLITE_DONE) {
    st.Reset();
    link.next = d.head;
  } else {
    st.Reset();
    return db->Error(rc, "looking up tokens");
  }
  if (!link.Covers(x)) {
    return absl::DataLossError(absl::StrCat(
        "vault file is damaged: a token record of domain '", d.name,
        "' is missing (removed or moved outside the vault: its neighbour still points to it)"));
  }
  return link;
}

absl::Status Vault::Impl::SetLinkNext(DomainRow* d, Link* link, const std::string& next,
                                      KeyReaders* readers) {
  link->next = next;
  if (link->head) {
    d->head = next;
    return absl::OkStatus();
  }
  link->row.next = next;
  absl::StatusOr<const std::uint8_t*> keys = RowKeys(*d, link->row.version, readers);
  if (!keys.ok()) return keys.status();
  std::uint8_t mac[internal::kRowMacBytes];
  if (!RowMac(*keys, d->id, link->row.View(), mac)) {
    return absl::DataLossError("vault file is damaged: a token record has a wrong size");
  }
  link->row.mac.assign(reinterpret_cast<const char*>(mac), sizeof(mac));
  Stmt& st = set_next;
  st.Reset();
  st.BindBlob(1, link->row.next);
  st.BindBlob(2, link->row.mac);
  st.Bind(3, d->id);
  st.BindBlob(4, link->row.idx);
  int rc = st.Step();
  st.Reset();
  if (rc != SQLITE_DONE) return db->Error(rc, "linking token records");
  return absl::OkStatus();
}

absl::Status Vault::Impl::NextPage(Stmt* page, std::int64_t domain_id, absl::string_view after,
                                   std::vector<TokenRow>* rows) {
  rows->clear();
  page->Reset();
  page->Bind(1, domain_id);
  page->BindBlob(2, after);
  int rc;
  while ((rc = page->Step()) == SQLITE_ROW) rows->push_back(ReadRow(*page, 0));
  page->Reset();
  if (rc != SQLITE_DONE) return db->Error(rc, "reading token records");
  return absl::OkStatus();
}

absl::Status Vault::Impl::RelinkDomain(DomainRow* d, KeyReaders* readers) {
  Stmt page;
  if (absl::Status s = page.Prepare(db->get(), "SELECT " GDPRKIT_ROW_COLUMNS
                                               " FROM tokens WHERE domain_id = ? AND idx > ? "
                                               "ORDER BY idx LIMIT 4096");
      !s.ok()) {
    return s;
  }
  d->head.clear();
  Link prev;  // The head first, then each row in turn.
  std::string last;
  for (;;) {
    std::vector<TokenRow> rows;
    if (absl::Status s = NextPage(&page, d->id, last, &rows); !s.ok()) return s;
    if (rows.empty()) break;
    for (TokenRow& r : rows) {
      if (absl::Status s = SetLinkNext(d, &prev, r.idx, readers); !s.ok()) return s;
      prev.head = false;
      prev.row = std::move(r);
    }
    last = prev.row.idx;
  }
  return SetLinkNext(d, &prev, std::string(), readers);
}

absl::Status Vault::Impl::ReadDomainSet(std::vector<std::pair<std::int64_t, std::string>>* out) {
  out->clear();
  Stmt st;
  if (absl::Status s =
          st.Prepare(db->get(), "SELECT id, name FROM domains NOT INDEXED ORDER BY id");
      !s.ok()) {
    return s;
  }
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out->emplace_back(st.Int(0), std::string(st.Text(1)));
  if (rc != SQLITE_DONE) return db->Error(rc, "listing domains");
  return absl::OkStatus();
}

std::string Vault::Impl::DomainSetMac(
    const std::vector<std::pair<std::int64_t, std::string>>& set) const {
  std::string all;
  for (const auto& [id, name] : set) {
    absl::StrAppend(&all, U64(static_cast<std::uint64_t>(id)), U64(name.size()), name);
  }
  return RecordMac("domain_set", {U64(set.size()), all});
}

absl::Status Vault::Impl::CheckDomainSet(std::vector<std::pair<std::int64_t, std::string>>* out) {
  std::vector<std::pair<std::int64_t, std::string>> set;
  if (absl::Status s = ReadDomainSet(&set); !s.ok()) return s;
  if (schema >= 3) {
    Stmt st;
    if (absl::Status s = st.Prepare(db->get(), "SELECT value FROM meta WHERE name = 'domain_set'");
        !s.ok()) {
      return s;
    }
    int rc = st.Step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db->Error(rc, "reading the domains");
    const std::string stored = rc == SQLITE_ROW ? std::string(st.Blob(0)) : std::string();
    const std::string want = DomainSetMac(set);
    if (stored.size() != want.size() ||
        sodium_memcmp(stored.data(), want.data(), want.size()) != 0) {
      return absl::DataLossError(
          "vault file is damaged: its list of domains was altered (a domain was added, removed "
          "or renamed outside the vault)");
    }
  }
  if (out != nullptr) *out = std::move(set);
  return absl::OkStatus();
}

absl::Status Vault::Impl::StoreDomainSet() {
  std::vector<std::pair<std::int64_t, std::string>> set;
  if (absl::Status s = ReadDomainSet(&set); !s.ok()) return s;
  return PutMeta(db.get(), "domain_set", DomainSetMac(set));
}

absl::StatusOr<std::pair<std::uint64_t, std::string>> Vault::Impl::AuditHead() {
  Stmt st;
  if (absl::Status s =
          st.Prepare(db->get(), "SELECT seq, chain FROM audit ORDER BY seq DESC LIMIT 1");
      !s.ok()) {
    return s;
  }
  int rc = st.Step();
  std::pair<std::uint64_t, std::string> last(0, std::string());
  if (rc == SQLITE_ROW) {
    last = {static_cast<std::uint64_t>(st.Int(0)), std::string(st.Blob(1))};
  } else if (rc != SQLITE_DONE) {
    return db->Error(rc, "reading the audit trail");
  }
  st.Reset();
  // The head recorded in `meta` (MACed from schema 3 on) must name the last
  // entry: a trail cut at its end, or a head rewritten, is damage.
  Stmt head;
  if (absl::Status s = head.Prepare(db->get(), "SELECT value FROM meta WHERE name = 'audit_head'");
      !s.ok()) {
    return s;
  }
  rc = head.Step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db->Error(rc, "reading the audit head");
  if (last.first == 0 && rc == SQLITE_DONE) return last;  // A vault being created.
  const std::string stored = rc == SQLITE_ROW ? std::string(head.Blob(0)) : std::string();
  const std::string want = schema >= 3 ? AuditHeadValue(last.first, last.second)
                                       : absl::StrCat(U64(last.first), last.second);
  if (stored.size() != want.size() || sodium_memcmp(stored.data(), want.data(), want.size()) != 0) {
    return absl::DataLossError(
        absl::StrCat("audit trail is broken: its recorded head does not match its last entry (",
                     last.first, "): entries were removed from its end, or the head was altered"));
  }
  return last;
}

absl::Status Vault::Impl::AppendAudit(AuditOp op, absl::string_view domain,
                                      absl::string_view target, absl::string_view reason,
                                      std::uint64_t count, std::uint32_t key_version) {
  absl::StatusOr<std::pair<std::uint64_t, std::string>> head = AuditHead();
  if (!head.ok()) return head.status();
  v1::AuditEntry e;
  e.set_seq(head->first + 1);
  e.set_time_unix_micros(absl::ToUnixMicros(absl::Now()));
  e.set_op(static_cast<v1::AuditOperation>(op));
  e.set_actor(options.actor());
  e.set_domain(std::string(domain));
  e.set_target_domain(std::string(target));
  e.set_reason(std::string(reason));
  e.set_count(count);
  e.set_key_version(key_version);
  e.set_prev_chain(head->second);
  std::string bytes;
  if (!e.SerializeToString(&bytes)) return absl::InternalError("audit entry does not serialise");
  std::string chain(32, '\0');
  {
    SecretBytes::Reader k(*audit_key);
    crypto_generichash_blake2b_salt_personal(
        reinterpret_cast<unsigned char*>(&chain[0]), chain.size(),
        reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), k.data(), k.size(),
        nullptr, reinterpret_cast<const unsigned char*>(kAuditPersonal));
  }
  Stmt st;
  if (absl::Status s =
          st.Prepare(db->get(), "INSERT INTO audit(seq, entry, chain) VALUES(?, ?, ?)");
      !s.ok()) {
    return s;
  }
  st.Bind(1, static_cast<std::int64_t>(e.seq()));
  st.BindBlob(2, bytes);
  st.BindBlob(3, chain);
  int rc = st.Step();
  if (rc != SQLITE_DONE) return db->Error(rc, "writing the audit trail");
  return PutMeta(db.get(), "audit_head", AuditHeadValue(e.seq(), chain));
}

absl::Status Vault::Impl::RemacKeyVersions() {
  Stmt rows, update;
  if (absl::Status s = rows.Prepare(db->get(),
                                    "SELECT version, state, created, wrapped, checksum FROM "
                                    "key_versions");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          update.Prepare(db->get(), "UPDATE key_versions SET mac = ? WHERE version = ?");
      !s.ok()) {
    return s;
  }
  std::vector<std::pair<std::uint32_t, std::string>> macs;
  int rc;
  while ((rc = rows.Step()) == SQLITE_ROW) {
    const auto version = static_cast<std::uint32_t>(rows.Int(0));
    macs.emplace_back(version,
                      KeyVersionMac(version, rows.Int(1), rows.Int(2), rows.Blob(3), rows.Blob(4)));
  }
  if (rc != SQLITE_DONE) return db->Error(rc, "reading the vault's keys");
  rows.Reset();
  for (const auto& [version, mac] : macs) {
    update.Reset();
    update.BindBlob(1, mac);
    update.Bind(2, version);
    rc = update.Step();
    if (rc != SQLITE_DONE) return db->Error(rc, "authenticating the vault's keys");
  }
  return absl::OkStatus();
}

absl::Status Vault::Impl::WalkTokenRows(bool fill) {
  struct Dom {
    std::int64_t id;
    std::string name;
  };
  std::vector<Dom> doms;
  {
    std::vector<std::pair<std::int64_t, std::string>> set;
    if (absl::Status s = fill ? ReadDomainSet(&set) : CheckDomainSet(&set); !s.ok()) return s;
    for (auto& [id, name] : set) doms.push_back({id, std::move(name)});
  }
  {
    Stmt orphans;
    if (absl::Status s = orphans.Prepare(
            db->get(),
            "SELECT count(*) FROM tokens WHERE domain_id NOT IN (SELECT id FROM domains)");
        !s.ok()) {
      return s;
    }
    int rc = orphans.Step();
    if (rc != SQLITE_ROW) return db->Error(rc, "checking token records");
    if (orphans.Int(0) > 0) {
      return absl::DataLossError(absl::StrCat("vault file is damaged: ", orphans.Int(0),
                                              " token records belong to no domain"));
    }
  }
  Stmt page;
  if (absl::Status s = page.Prepare(db->get(), "SELECT " GDPRKIT_ROW_COLUMNS
                                               " FROM tokens WHERE domain_id = ? AND idx > ? "
                                               "ORDER BY idx LIMIT 4096");
      !s.ok()) {
    return s;
  }
  std::string norm;
  for (const Dom& dom : doms) {
    absl::StatusOr<DomainRow> d = fill ? LoadDomainUnchecked(dom.name) : LoadDomain(dom.name);
    if (!d.ok()) return d.status();
    auto broken = [&] {
      return absl::DataLossError(
          absl::StrCat("vault file is damaged: the chain of token records of domain '", d->name,
                       "' is broken (a record was removed, added or moved outside the vault)"));
    };
    KeyReaders readers;
    std::int64_t count = 0;
    std::string last;              // "" sorts before every index
    std::string expect = d->head;  // Where the chain says the next row is.
    for (;;) {
      std::vector<TokenRow> rows;
      if (absl::Status s = NextPage(&page, d->id, last, &rows); !s.ok()) return s;
      if (rows.empty()) break;
      for (TokenRow& r : rows) {
        ++count;
        if (r.token.size() != internal::kTokenRandomBytes ||
            r.idx.size() != internal::kIndexBytes) {
          return absl::DataLossError(absl::StrCat(
              "vault file is damaged: a token record of domain '", d->name, "' has a wrong size"));
        }
        absl::StatusOr<const std::uint8_t*> kb = RowKeys(*d, r.version, &readers);
        if (!kb.ok()) return kb.status();
        if (!fill) {
          if (absl::Status s = CheckRow(*d, *kb, r.View()); !s.ok()) return s;
          if (r.idx != expect) return broken();
          expect = r.next;
        }
        IdKind kind;
        const auto* tok = reinterpret_cast<const std::uint8_t*>(r.token.data());
        if (absl::Status s = OpenRecord(*d, r.version, *kb, tok, r.sealed, &kind, &norm); !s.ok()) {
          return absl::DataLossError(absl::StrCat(
              "vault file is damaged: a token record of domain '", d->name, "': ", s.message()));
        }
        // The record must sit under its own index: recomputed from what it
        // holds.
        std::uint8_t idx[internal::kIndexBytes];
        Scratch scratch;
        Index(*kb, kind, norm, scratch.bytes, idx);
        const bool at_home = sodium_memcmp(idx, r.idx.data(), sizeof(idx)) == 0;
        sodium_memzero(idx, sizeof(idx));
        if (!at_home) {
          return absl::DataLossError(
              absl::StrCat("vault file is damaged: a token record of domain '", d->name,
                           "' is not under its own index"));
        }
        r.Wipe();
      }
      last = rows.back().idx;
    }
    if (fill) {
      // Before schema 3 the count was only a hint and there was no chain:
      // from now on both are authenticated.
      d->token_count = count;
      if (absl::Status s = RelinkDomain(&*d, &readers); !s.ok()) return s;
      if (absl::Status s = StoreDomainCounters(*d); !s.ok()) return s;
    } else {
      if (!expect.empty()) return broken();
      if (count != d->token_count) {
        return absl::DataLossError(
            absl::StrCat("vault file is damaged: domain '", d->name, "' holds ", count,
                         " token records, but its authenticated count is ", d->token_count,
                         " (records were removed or added outside the vault)"));
      }
    }
  }
  if (!norm.empty()) sodium_memzero(&norm[0], norm.size());
  return absl::OkStatus();
}

absl::StatusOr<AuditVerification> Vault::Impl::VerifyAuditLocked() {
  Stmt st;
  if (absl::Status s = st.Prepare(db->get(), "SELECT seq, entry, chain FROM audit ORDER BY seq");
      !s.ok()) {
    return s;
  }
  AuditVerification v;
  std::string prev;
  std::uint64_t expect = 1;
  int rc;
  std::string chain(32, '\0');
  SecretBytes::Reader k(*audit_key);
  while ((rc = st.Step()) == SQLITE_ROW) {
    const auto seq = static_cast<std::uint64_t>(st.Int(0));
    absl::string_view bytes = st.Blob(1);
    absl::string_view stored = st.Blob(2);
    if (seq != expect) {
      return absl::DataLossError(
          absl::StrCat("audit trail is broken: entry ", expect, " is missing (next is ", seq, ")"));
    }
    crypto_generichash_blake2b_salt_personal(
        reinterpret_cast<unsigned char*>(&chain[0]), chain.size(),
        reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), k.data(), k.size(),
        nullptr, reinterpret_cast<const unsigned char*>(kAuditPersonal));
    if (stored.size() != chain.size() ||
        sodium_memcmp(stored.data(), chain.data(), chain.size()) != 0) {
      return absl::DataLossError(
          absl::StrCat("audit trail is broken: entry ", seq, " was altered"));
    }
    v1::AuditEntry e;
    if (!e.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) || e.seq() != seq ||
        e.prev_chain() != prev) {
      return absl::DataLossError(
          absl::StrCat("audit trail is broken: entry ", seq, " does not follow entry ", seq - 1));
    }
    prev = chain;
    ++expect;
  }
  if (rc != SQLITE_DONE) return db->Error(rc, "reading the audit trail");
  v.entries = expect - 1;
  // The head recorded (and MACed) in the metadata catches a trail cut at its
  // end.
  absl::StatusOr<std::pair<std::uint64_t, std::string>> head = AuditHead();
  if (!head.ok()) return head.status();
  v.head_hex = Hex(prev);
  return v;
}

absl::Status Vault::Impl::FillIntegrity() {
  // Everything is checked under the old rules first, so that the MACs
  // written now vouch only for what was sound.
  absl::StatusOr<AuditVerification> audit = VerifyAuditLocked();
  if (!audit.ok()) return audit.status();
  absl::StatusOr<std::pair<std::uint64_t, std::string>> head = AuditHead();
  if (!head.ok()) return head.status();
  schema = 3;
  if (absl::Status s = RemacKeyVersions(); !s.ok()) return s;
  if (absl::Status s = WalkTokenRows(/*fill=*/true); !s.ok()) return s;
  if (absl::Status s = StoreDomainSet(); !s.ok()) return s;
  if (absl::Status s = PutMeta(db.get(), "audit_head", AuditHeadValue(head->first, head->second));
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::map<std::string, std::string>> meta = ReadMeta(db.get());
  if (!meta.ok()) return meta.status();
  return PutMeta(db.get(), "header_checksum", HeaderChecksum(*meta));
}

absl::Status Vault::Impl::Migrate() {
  Db* d = db.get();
  // Page checksums need 8 reserved bytes per page; an older file gets them by
  // being rewritten (VACUUM), before its schema changes.
  int reserve = -1;
  if (sqlite3_file_control(d->get(), "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve) != SQLITE_OK) {
    return absl::InternalError("cannot read the vault's reserved bytes");
  }
  if (reserve != internal::kPageChecksumBytes) {
    int want = internal::kPageChecksumBytes;
    if (sqlite3_file_control(d->get(), "main", SQLITE_FCNTL_RESERVE_BYTES, &want) != SQLITE_OK) {
      return absl::InternalError("cannot reserve room for page checksums");
    }
    if (absl::Status s = d->Exec("VACUUM", "adding page checksums to the vault"); !s.ok()) {
      return s;
    }
  }
  const int old_schema = schema;
  Transaction txn(d);
  if (absl::Status s = txn.BeginWrite(); !s.ok()) return s;
  absl::StatusOr<std::int64_t> now = PragmaInt(d, "PRAGMA user_version");
  if (!now.ok()) return now.status();
  if (*now >= kSchemaVersion) {  // Another process migrated it meanwhile.
    schema = static_cast<int>(*now);
    return txn.Commit();
  }
  schema = static_cast<int>(*now);
  if (absl::Status s = RunMigrations(d, schema); !s.ok()) return s;
  if (absl::Status s = Prepare(); !s.ok()) return s;  // The new columns exist now.
  if (absl::Status s = FillIntegrity(); !s.ok()) {
    schema = old_schema;
    return s;
  }
  if (absl::Status s = txn.Commit(); !s.ok()) {
    schema = old_schema;
    return s;
  }
  schema = kSchemaVersion;
  return absl::OkStatus();
}

// --- Create and Open ---------------------------------------------------------

namespace {

// Writes a new vault's schema, keys and first audit entry in one transaction.
absl::Status InitializeVault(Vault::Impl* impl, bool passphrase, const KdfLimits& limits) {
  const VaultOptions& options = impl->options;
  Db* d = impl->db.get();
  // Room for a checksum at the end of every page (vault/internal/vfs.h),
  // fixed before the first page is written.
  int reserve = internal::kPageChecksumBytes;
  if (sqlite3_file_control(d->get(), "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve) != SQLITE_OK) {
    return absl::InternalError("cannot reserve room for page checksums");
  }
  // Larger pages: shallower B-trees for the fat token records.
  if (absl::Status s = d->Exec("PRAGMA page_size=16384", "setting the page size"); !s.ok()) {
    return s;
  }
  if (absl::Status s = d->Exec("PRAGMA journal_mode=WAL", "switching the vault to WAL"); !s.ok()) {
    return s;
  }
  Transaction txn(d);
  if (absl::Status s = txn.BeginWrite(); !s.ok()) return s;
  absl::StatusOr<std::int64_t> version = PragmaInt(d, "PRAGMA user_version");
  if (!version.ok()) return version.status();
  if (*version != 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("another process created a vault at ", options.path()));
  }
  if (absl::Status s = RunMigrations(d, 0); !s.ok()) return s;
  std::string app = absl::StrCat("PRAGMA application_id=", internal::kVaultApplicationId);
  if (absl::Status s = d->Exec(app.c_str(), "marking the file as a vault"); !s.ok()) {
    return s;
  }
  impl->vault_id = RandomBytes(16);
  std::string salt = RandomBytes(crypto_pwhash_SALTBYTES);
  absl::StatusOr<std::unique_ptr<SecretBytes>> kek =
      internal::DeriveKek(passphrase, *options.secret(), salt, limits.opslimit, limits.memlimit);
  if (!kek.ok()) return kek.status();
  impl->kek = std::move(*kek);
  absl::StatusOr<std::unique_ptr<SecretBytes>> audit_key = internal::NewRandomKey();
  absl::StatusOr<std::unique_ptr<SecretBytes>> master = internal::NewRandomKey();
  if (!audit_key.ok()) return audit_key.status();
  if (!master.ok()) return master.status();
  absl::StatusOr<std::string> wrapped_audit =
      internal::WrapKey(*impl->kek, **audit_key, AuditKeyAd(impl->vault_id));
  absl::StatusOr<std::string> wrapped_master =
      internal::WrapKey(*impl->kek, **master, MasterKeyAd(impl->vault_id, 1));
  if (!wrapped_audit.ok()) return wrapped_audit.status();
  if (!wrapped_master.ok()) return wrapped_master.status();
  std::vector<std::pair<std::string, std::string>> meta = {
      {"vault_id", impl->vault_id},
      {"protection", passphrase ? "passphrase" : "host_key"},
      {"kdf_salt", salt},
      {"kdf_opslimit", U64(limits.opslimit)},
      {"kdf_memlimit", U64(limits.memlimit)},
      {"audit_key", *wrapped_audit},
      {"audit_key_checksum", internal::Checksum(*wrapped_audit)},
      {"created", U64(static_cast<std::uint64_t>(NowUnix()))},
  };
  impl->audit_key = std::move(*audit_key);
  if (absl::Status s = impl->DeriveIntegrityKey(); !s.ok()) return s;
  meta.emplace_back("header_checksum", impl->HeaderChecksum(std::map<std::string, std::string>(
                                           meta.begin(), meta.end())));
  for (const auto& [name, value] : meta) {
    if (absl::Status s = PutMeta(d, name, value); !s.ok()) return s;
  }
  {
    Stmt st;
    if (absl::Status s = st.Prepare(d->get(),
                                    "INSERT INTO key_versions(version, state, created, wrapped, "
                                    "checksum, mac) VALUES(1, 1, ?, ?, ?, ?)");
        !s.ok()) {
      return s;
    }
    std::string checksum = internal::Checksum(*wrapped_master);
    const std::int64_t now = NowUnix();
    const std::string mac = impl->KeyVersionMac(1, 1, now, *wrapped_master, checksum);
    st.Bind(1, now);
    st.BindBlob(2, *wrapped_master);
    st.BindBlob(3, checksum);
    st.BindBlob(4, mac);
    int rc = st.Step();
    if (rc != SQLITE_DONE) return d->Error(rc, "storing the master key");
  }
  impl->masters[1] = std::move(*master);
  if (absl::Status s = impl->StoreDomainSet(); !s.ok()) return s;
  impl->key_states[1] = KeyState::kPrimary;
  if (absl::Status s = impl->AppendAudit(AuditOp::kVaultCreated, "", "", "", 0, 1); !s.ok()) {
    return s;
  }
  if (absl::Status s = txn.Commit(); !s.ok()) return s;
  // Move the new pages, the header with the application id included, into
  // the main file, so that the file is recognisable without its log.
  return d->Exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpointing the new vault");
}

}  // namespace

Vault::Vault(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Vault::~Vault() = default;

const std::string& Vault::path() const { return impl_->options.path(); }

absl::StatusOr<std::unique_ptr<Vault>> Vault::Create(const VaultOptions& options) {
  if (absl::Status s = internal::EnsureSodium(); !s.ok()) return s;
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  if (access(options.path().c_str(), F_OK) == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("a file exists at ", options.path(), "; Vault::Open opens a vault"));
  }
  const bool passphrase = options.protection() == VaultProtection::kPassphrase;
  const KdfLimits limits = options.kdf_limits();
  if (passphrase && (limits.opslimit < crypto_pwhash_OPSLIMIT_MIN ||
                     limits.opslimit > crypto_pwhash_OPSLIMIT_MAX ||
                     limits.memlimit < crypto_pwhash_MEMLIMIT_MIN ||
                     limits.memlimit > crypto_pwhash_MEMLIMIT_MAX)) {
    return absl::InvalidArgumentError("Argon2id limits outside what libsodium accepts");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  absl::StatusOr<std::unique_ptr<Db>> db =
      Db::Open(options.path(), /*create=*/true, options.busy_timeout_ms(), options.cache_mib());
  if (!db.ok()) return db.status();
  impl->db = std::move(*db);
  absl::Status s = InitializeVault(impl.get(), passphrase, limits);
  if (!s.ok()) {
    impl.reset();
    // Remove the file this call created, unless another process made it a
    // vault in the meantime.
    if (s.code() != absl::StatusCode::kAlreadyExists &&
        !internal::PrecheckVaultFile(options.path()).ok()) {
      unlink(options.path().c_str());
      unlink((options.path() + "-wal").c_str());
      unlink((options.path() + "-shm").c_str());
    }
    return s;
  }
  if (absl::Status s = impl->Prepare(); !s.ok()) return s;
  return std::unique_ptr<Vault>(new Vault(std::move(impl)));
}

absl::StatusOr<std::unique_ptr<Vault>> Vault::Open(const VaultOptions& options) {
  if (absl::Status s = internal::EnsureSodium(); !s.ok()) return s;
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  absl::Status pre = internal::PrecheckVaultFile(options.path());
  if (pre.code() == absl::StatusCode::kNotFound) {
    if (options.create_if_missing()) {
      absl::StatusOr<std::unique_ptr<Vault>> v = Create(options);
      if (v.ok() || v.status().code() != absl::StatusCode::kAlreadyExists) return v;
      pre = internal::PrecheckVaultFile(options.path());  // Another process won the race.
    } else {
      return absl::NotFoundError(
          absl::StrCat("no vault file at ", options.path(),
                       ": create one first, or open it with create-if-missing"));
    }
  }
  if (!pre.ok()) return pre;
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  absl::StatusOr<std::unique_ptr<Db>> db =
      Db::Open(options.path(), /*create=*/false, options.busy_timeout_ms(), options.cache_mib());
  if (!db.ok()) return db.status();
  impl->db = std::move(*db);
  Db* d = impl->db.get();
  absl::StatusOr<std::int64_t> app = PragmaInt(d, "PRAGMA application_id");
  if (!app.ok()) return app.status();
  if (*app != static_cast<std::int64_t>(internal::kVaultApplicationId)) {
    return absl::DataLossError(absl::StrCat(
        options.path(), " is an SQLite database but not a gdprkit vault (wrong application id)"));
  }
  absl::StatusOr<std::int64_t> schema = PragmaInt(d, "PRAGMA user_version");
  if (!schema.ok()) return schema.status();
  if (*schema > kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "vault ", options.path(), " has schema version ", *schema,
        ", newer than this gdprkit understands (", kSchemaVersion, "); upgrade gdprkit"));
  }
  if (*schema < 1) {
    return absl::DataLossError(
        absl::StrCat(options.path(), " is not a complete gdprkit vault (no schema)"));
  }
  impl->schema = static_cast<int>(*schema);
  if (absl::Status s = CheckSchemaObjects(d, options.path()); !s.ok()) return s;
  absl::StatusOr<std::map<std::string, std::string>> meta = ReadMeta(d);
  if (!meta.ok()) return meta.status();
  auto get = [&](const char* name) -> const std::string* {
    auto it = meta->find(name);
    return it == meta->end() ? nullptr : &it->second;
  };
  if (impl->schema >= 3) {
    // An unkeyed checksum over what the key-encryption key is derived from,
    // so that an altered salt, limit or vault id reads as damage, not as a
    // wrong passphrase.
    const std::string* header = get("header_checksum");
    if (header == nullptr || *header != impl->HeaderChecksum(*meta)) {
      return absl::DataLossError(absl::StrCat(
          "vault file ", options.path(),
          " is damaged: its vault id, protection or key-derivation parameters are altered"));
    }
  }
  const std::string* vault_id = get("vault_id");
  const std::string* protection = get("protection");
  const std::string* salt = get("kdf_salt");
  const std::string* ops = get("kdf_opslimit");
  const std::string* mem = get("kdf_memlimit");
  const std::string* audit_key = get("audit_key");
  const std::string* audit_sum = get("audit_key_checksum");
  std::uint64_t opslimit = 0, memlimit = 0;
  if (vault_id == nullptr || protection == nullptr || salt == nullptr || ops == nullptr ||
      mem == nullptr || audit_key == nullptr || audit_sum == nullptr ||
      !ParseU64(*ops, &opslimit) || !ParseU64(*mem, &memlimit)) {
    return absl::DataLossError(
        absl::StrCat("vault file ", options.path(), " is damaged: its metadata is incomplete"));
  }
  const bool passphrase = *protection == "passphrase";
  if (!passphrase && *protection != "host_key") {
    return absl::DataLossError(
        absl::StrCat("vault file ", options.path(), " is damaged: unknown protection"));
  }
  if (passphrase != (options.protection() == VaultProtection::kPassphrase)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "vault ", options.path(), " is protected by ", passphrase ? "a passphrase" : "a host key",
        ", but ", passphrase ? "a host key" : "a passphrase", " was given"));
  }
  if (passphrase && (opslimit < crypto_pwhash_OPSLIMIT_MIN || opslimit > kMaxStoredOpslimit ||
                     memlimit < crypto_pwhash_MEMLIMIT_MIN || memlimit > kMaxStoredMemlimit)) {
    return absl::DataLossError(
        absl::StrCat("vault file ", options.path(), " is damaged: implausible Argon2id limits"));
  }
  impl->vault_id = *vault_id;
  absl::StatusOr<std::unique_ptr<SecretBytes>> kek = internal::DeriveKek(
      passphrase, *options.secret(), *salt, opslimit, static_cast<std::size_t>(memlimit));
  if (!kek.ok()) return kek.status();
  impl->kek = std::move(*kek);
  if (internal::Checksum(*audit_key) != *audit_sum) {
    return absl::DataLossError(
        absl::StrCat("vault file ", options.path(), " is damaged: the audit key is altered"));
  }
  absl::StatusOr<std::unique_ptr<SecretBytes>> ak =
      internal::UnwrapKey(*impl->kek, *audit_key, AuditKeyAd(impl->vault_id));
  if (!ak.ok()) return UnlockError(options, ak.status());
  impl->audit_key = std::move(*ak);
  if (absl::Status s = impl->DeriveIntegrityKey(); !s.ok()) return s;
  if (absl::Status s = impl->LoadKeys(); !s.ok()) return s;
  if (*schema < kSchemaVersion) {
    if (absl::Status s = impl->Migrate(); !s.ok()) return s;
  }
  {
    // A trail cut at its end, or a rewritten head, is found before anything
    // else is done with the vault.
    Transaction read(d);
    if (absl::Status s = read.BeginRead(); !s.ok()) return s;
    absl::StatusOr<std::pair<std::uint64_t, std::string>> head = impl->AuditHead();
    if (!head.ok()) return head.status();
    if (absl::Status s = read.Commit(); !s.ok()) return s;
  }
  if (absl::Status s = impl->Prepare(); !s.ok()) {
    return absl::DataLossError(absl::StrCat("vault file ", options.path(),
                                            " is damaged: its tables do not have the expected "
                                            "columns (",
                                            s.message(), ")"));
  }
  return std::unique_ptr<Vault>(new Vault(std::move(impl)));
}

// --- Domains ---------------------------------------------------------------

absl::Status Vault::CreateDomain(std::string_view name, std::string_view description,
                                 PseudonymScheme scheme) {
  if (!internal::IsValidDomainName(AV(name))) {
    return absl::InvalidArgumentError(
        "a domain name has 1-64 characters a-z, 0-9, '.', '_', '-' and starts with a letter or "
        "digit (e.g. klynge-aarhus-2026)");
  }
  if (internal::ContainsCprLike(AV(name))) {
    return absl::InvalidArgumentError(
        "a domain name must not hold anything that passes as a CPR number: it is stored in the "
        "audit trail, which must hold no identifier");
  }
  if (absl::Status s = CheckFreeText(AV(description), "description", kMaxDescription, false);
      !s.ok()) {
    return s;
  }
  if (!IsKnownScheme(static_cast<std::int64_t>(scheme))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown pseudonym scheme ", static_cast<int>(scheme), " (1 = blake2b, 2 = chacha20)"));
  }
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  Transaction txn(d);
  if (absl::Status s = txn.BeginWrite(); !s.ok()) return s;
  absl::StatusOr<std::uint32_t> primary = impl_->PrimaryVersion();
  if (!primary.ok()) return primary.status();
  if (absl::Status s = impl_->CheckDomainSet(); !s.ok()) return s;
  Stmt st;
  if (absl::Status s = st.Prepare(d->get(),
                                  "INSERT INTO domains(name, description, salt, key_version, "
                                  "created, pseudonym_scheme) VALUES(?, ?, ?, ?, ?, ?) "
                                  "ON CONFLICT(name) DO NOTHING");
      !s.ok()) {
    return s;
  }
  std::string salt = RandomBytes(internal::kSaltBytes);
  st.BindText(1, AV(name));
  st.BindText(2, AV(description));
  st.BindBlob(3, salt);
  st.Bind(4, *primary);
  st.Bind(5, NowUnix());
  st.Bind(6, static_cast<std::int64_t>(scheme));
  int rc = st.Step();
  if (rc != SQLITE_DONE) return d->Error(rc, "creating a domain");
  if (sqlite3_changes(d->get()) == 0) {
    return absl::AlreadyExistsError(absl::StrCat("domain '", AV(name), "' exists"));
  }
  {
    absl::StatusOr<DomainRow> row = impl_->LoadDomainUnchecked(AV(name));
    if (!row.ok()) return row.status();
    if (absl::Status s = impl_->StoreDomainCounters(*row); !s.ok()) return s;
    if (absl::Status s = impl_->StoreDomainSet(); !s.ok()) return s;
  }
  if (absl::Status s = impl_->AppendAudit(AuditOp::kDomainCreated, AV(name), "", "", 0, *primary);
      !s.ok()) {
    return s;
  }
  return txn.Commit();
}

absl::StatusOr<std::vector<DomainInfo>> Vault::ListDomains() const {
  absl::MutexLock lock(&impl_->mu);
  Stmt st;
  if (absl::Status s = st.Prepare(impl_->db->get(),
                                  "SELECT d.name, d.description, d.key_version, d.created, "
                                  "d.token_count, d.pseudonym_scheme "
                                  "FROM domains d ORDER BY d.name");
      !s.ok()) {
    return s;
  }
  st.Reset();
  std::vector<std::pair<std::int64_t, std::string>> set;
  if (absl::Status s = impl_->CheckDomainSet(&set); !s.ok()) return s;
  std::vector<std::string> names;
  for (auto& [id, name] : set) names.push_back(std::move(name));
  std::sort(names.begin(), names.end());
  // Each through LoadDomain, which authenticates the row.
  std::vector<DomainInfo> out;
  for (const std::string& name : names) {
    absl::StatusOr<DomainRow> d = impl_->LoadDomain(name);
    if (!d.ok()) return d.status();
    DomainInfo info;
    info.name = d->name;
    info.description = d->description;
    info.key_version = d->key_version;
    info.created_unix = d->created;
    info.tokens = static_cast<std::uint64_t>(d->token_count);
    info.scheme = d->scheme;
    out.push_back(std::move(info));
  }
  return out;
}

// --- Pseudonyms ---------------------------------------------------------------

absl::Status Vault::Pseudonymize(std::string_view domain, IdKind kind,
                                 absl::Span<const std::string_view> identifiers, StringColumn* out,
                                 const BatchOptions& options, BatchReport* report) const {
  if (out == nullptr) return absl::InvalidArgumentError("no output column");
  absl::MutexLock lock(&impl_->mu);
  Transaction txn(impl_->db.get());
  if (absl::Status s = txn.BeginRead(); !s.ok()) return s;
  absl::StatusOr<DomainRow> d = impl_->LoadDomain(AV(domain));
  if (!d.ok()) return d.status();
  std::uint32_t version = options.key_version != 0 ? options.key_version : d->key_version;
  absl::StatusOr<const DomainKeys*> keys = impl_->Keys(*d, version);
  if (!keys.ok()) return keys.status();
  SecretBytes::Reader r(*(*keys)->secret);
  return internal::PseudonymizeBatch(r.data(), version, d->scheme, kind, identifiers,
                                     internal::PseudonymSink{out, nullptr}, options, report);
}

absl::StatusOr<std::unique_ptr<Pseudonymizer>> Vault::NewPseudonymizer(
    std::string_view domain, std::uint32_t key_version) const {
  absl::MutexLock lock(&impl_->mu);
  Transaction txn(impl_->db.get());
  if (absl::Status s = txn.BeginRead(); !s.ok()) return s;
  absl::StatusOr<DomainRow> d = impl_->LoadDomain(AV(domain));
  if (!d.ok()) return d.status();
  std::uint32_t version = key_version != 0 ? key_version : d->key_version;
  absl::StatusOr<const DomainKeys*> keys = impl_->Keys(*d, version);
  if (!keys.ok()) return keys.status();
  SecretBytes::Reader r(*(*keys)->secret);
  return internal::PseudonymizerAccess::Make(
      d->name, version, d->scheme,
      absl::string_view(reinterpret_cast<const char*>(r.data() + internal::kPseudonymKeyOffset),
                        internal::kKeyBytes));
}

absl::StatusOr<std::string> Vault::ExportPseudonymKey(std::string_view domain,
                                                      std::string_view reason,
                                                      InsecureSecretAccess) {
  if (absl::Status s = CheckReason(AV(reason)); !s.ok()) return s;
  absl::MutexLock lock(&impl_->mu);
  Transaction txn(impl_->db.get());
  if (absl::Status s = txn.BeginWrite(); !s.ok()) return s;
  absl::StatusOr<DomainRow> d = impl_->LoadDomain(AV(domain));
  if (!d.ok()) return d.status();
  absl::StatusOr<const DomainKeys*> keys = impl_->Keys(*d, d->key_version);
  if (!keys.ok()) return keys.status();
  if (absl::Status s =
          impl_->AppendAudit(AuditOp::kExportKey, d->name, "", AV(reason), 0, d->key_version);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = txn.Commit(); !s.ok()) return s;
  SecretBytes::Reader r(*(*keys)->secret);
  return internal::FormatExportedKey(
      d->name, d->key_version, d->scheme,
      absl::string_view(reinterpret_cast<const char*>(r.data() + internal::kPseudonymKeyOffset),
                        internal::kKeyBytes));
}

// --- Tokens -----------------------------------------------------------------

namespace {

// Normalises a batch. norms gets one value per row (empty when rejected);
// state[i] = 2 for rejected rows.
absl::Status NormalizeBatch(IdKind kind, absl::Span<const std::string_view> identifiers,
                            const BatchOptions& options, StringColumn* norms,
                            std::vector<std::uint8_t>* state, BatchReport* report) {
  if (!IsKnownIdKind(kind)) return absl::InvalidArgumentError("unknown identifier kind");
  const std::size_t n = identifiers.size();
  norms->clear();
  norms->reserve(n, n * 13);
  state->assign(n, 0);
  if (report != nullptr) report->problems.assign(n, IdProblem::kNone);
  IdBuffer buf;
  for (std::size_t i = 0; i < n; ++i) {
    std::string_view norm;
    IdProblem p = NormalizeIdInto(kind, identifiers[i], &buf, &norm, options.id_options);
    if (p != IdProblem::kNone) {
      if (options.invalid_rows == InvalidRows::kFail) {
        norms->SecureClear();
        sodium_memzero(buf.data, sizeof(buf.data));
        return IdProblemStatus(kind, p, static_cast<long long>(i));
      }
      (*state)[i] = 2;
      if (report != nullptr) {
        report->problems[i] = p;
        ++report->rejected;
      }
    }
    norms->push_back(norm);
  }
  sodium_memzero(buf.data, sizeof(buf.data));
  return absl::OkStatus();
}

}  // namespace

absl::Status Vault::Impl::IndexRows(const DomainRow& d, const std::vector<IdKind>& kinds,
                                    const StringColumn& norms,
                                    const std::vector<std::uint8_t>& state,
                                    std::vector<std::uint8_t>* idxs,
                                    std::vector<std::uint32_t>* order) {
  absl::StatusOr<const DomainKeys*> keys = Keys(d, d.key_version);
  if (!keys.ok()) return keys.status();
  const std::size_t n = norms.size();
  idxs->assign(n * internal::kIndexBytes, 0);
  order->clear();
  Scratch scratch;
  KeyReaders readers;
  const std::uint8_t* kb = readers.Get(*keys);
  for (std::size_t i = 0; i < n; ++i) {
    if (state[i] != 0) continue;
    Index(kb, kinds[i], AV(norms[i]), scratch.bytes, idxs->data() + i * internal::kIndexBytes);
    order->push_back(static_cast<std::uint32_t>(i));
  }
  // Sorted by index, so that look-ups and inserts walk the B-tree in order.
  const std::uint8_t* base = idxs->data();
  std::sort(order->begin(), order->end(), [base](std::uint32_t a, std::uint32_t b) {
    return std::memcmp(base + a * internal::kIndexBytes, base + b * internal::kIndexBytes,
                       internal::kIndexBytes) < 0;
  });
  return absl::OkStatus();
}

absl::Status Vault::Impl::LookupRows(const DomainRow& d, const std::vector<std::uint8_t>& idxs,
                                     const std::vector<std::uint32_t>& order,
                                     std::vector<std::uint8_t>* state,
                                     std::vector<std::uint8_t>* tokens, std::size_t* found,
                                     std::vector<Link>* gaps, std::vector<std::uint32_t>* gap_of) {
  if (gaps != nullptr) {
    gaps->clear();
    gap_of->assign(state->size(), 0);
  }
  std::vector<std::uint32_t> todo;
  todo.reserve(order.size());
  for (std::uint32_t row : order) {
    if ((*state)[row] == 0) todo.push_back(row);
  }
  if (todo.empty()) return absl::OkStatus();
  auto idx_of = [&](std::uint32_t row) {
    return absl::string_view(
        reinterpret_cast<const char*>(idxs.data()) + std::size_t{row} * internal::kIndexBytes,
        internal::kIndexBytes);
  };
  KeyReaders readers;
  std::uint32_t cached_version = 0;
  const std::uint8_t* cached_keys = nullptr;
  // Every row handed out is authenticated first: its MAC binds it to this
  // domain, this index, its token, key version, sealed record and next row,
  // so a row moved, swapped or altered is DataLoss, never another person's
  // token.
  auto take = [&](std::uint32_t row, const Stmt& st) -> absl::Status {
    const RowView r = ViewRow(st, 0);
    if (cached_keys == nullptr || r.version != cached_version) {
      absl::StatusOr<const std::uint8_t*> keys = RowKeys(d, r.version, &readers);
      if (!keys.ok()) return keys.status();
      cached_keys = *keys;
      cached_version = r.version;
    }
    if (r.idx != idx_of(row)) {
      return absl::DataLossError("vault file is damaged: a token record is out of place");
    }
    if (absl::Status s = CheckRow(d, cached_keys, r); !s.ok()) return s;
    std::memcpy(tokens->data() + std::size_t{row} * internal::kTokenRandomBytes, r.token.data(),
                r.token.size());
    (*state)[row] = 1;
    ++*found;
    return absl::OkStatus();
  };
  // The stored count only chooses between a scan and searches.
  if (todo.size() * 4 >= static_cast<std::uint64_t>(std::max<std::int64_t>(d.token_count, 0))) {
    // A batch that is a large part of the domain: one ordered scan of the
    // index range it covers, merged with the sorted batch.
    Stmt scan;
    if (absl::Status s = scan.Prepare(db->get(), "SELECT " GDPRKIT_ROW_COLUMNS
                                                 " FROM tokens WHERE domain_id = ? AND idx "
                                                 "BETWEEN ? AND ? ORDER BY idx");
        !s.ok()) {
      return s;
    }
    scan.Bind(1, d.id);
    scan.BindBlob(2, idx_of(todo.front()));
    scan.BindBlob(3, idx_of(todo.back()));
    std::size_t p = 0;
    int rc = SQLITE_DONE;
    while (p < todo.size() && (rc = scan.Step()) == SQLITE_ROW) {
      absl::string_view stored = scan.Blob(0);
      while (p < todo.size() && idx_of(todo[p]) < stored) ++p;
      while (p < todo.size() && idx_of(todo[p]) == stored) {
        if (absl::Status s = take(todo[p], scan); !s.ok()) return s;
        ++p;
      }
    }
    if (p < todo.size() && rc != SQLITE_DONE) return db->Error(rc, "looking up tokens");
  } else {
    absl::Status status;
    for (std::uint32_t row : todo) {
      token_by_idx.Reset();
      token_by_idx.Bind(1, d.id);
      token_by_idx.BindBlob(2, idx_of(row));
      int rc = token_by_idx.Step();
      if (rc == SQLITE_ROW) {
        status = take(row, token_by_idx);
      } else if (rc != SQLITE_DONE) {
        status = db->Error(rc, "looking up tokens");
      }
      if (!status.ok()) break;
    }
    token_by_idx.Reset();
    if (!status.ok()) return status;
  }
  // A row not found is proven absent by the authenticated chain: the row
  // before it (or the domain's head) must point past it. Consecutive misses
  // in one gap share the proof. (Not asked for by a look-up whose misses are
  // looked up again under the write lock.)
  if (gaps == nullptr) return absl::OkStatus();
  for (std::uint32_t row : todo) {
    if ((*state)[row] != 0) continue;
    const absl::string_view x = idx_of(row);
    if (gaps->empty() || !gaps->back().Covers(x)) {
      absl::StatusOr<Link> link = AbsenceOf(d, x, &readers);
      if (!link.ok()) return link.status();
      gaps->push_back(std::move(*link));
    }
    (*gap_of)[row] = static_cast<std::uint32_t>(gaps->size() - 1);
  }
  return absl::OkStatus();
}

absl::Status Vault::Impl::IssueRows(
    const DomainRow& d, const std::vector<IdKind>& kinds, const StringColumn& norms,
    const std::vector<std::uint8_t>& idxs, const std::vector<std::uint32_t>& order,
    std::vector<std::uint8_t>* state, std::vector<std::uint8_t>* tokens, std::size_t* created,
    std::size_t* existing, std::vector<Link>* gaps, const std::vector<std::uint32_t>& gap_of) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr std::size_t kPerRow = internal::kTokenRandomBytes + kNonce;
  absl::StatusOr<const DomainKeys*> keys = Keys(d, d.key_version);
  if (!keys.ok()) return keys.status();
  // The rows to insert, in index order, one per distinct index (a batch may
  // name a person twice: the later rows get the first one's token).
  std::vector<std::uint32_t> todo;
  for (std::uint32_t row : order) {
    if ((*state)[row] == 0) todo.push_back(row);
  }
  if (todo.empty()) return absl::OkStatus();
  auto idx_of = [&](std::uint32_t row) {
    return absl::string_view(
        reinterpret_cast<const char*>(idxs.data()) + std::size_t{row} * internal::kIndexBytes,
        internal::kIndexBytes);
  };
  // Randomness for the whole batch from one seed (a ChaCha20 stream), instead
  // of a system call per row.
  std::vector<std::uint8_t> random(todo.size() * kPerRow);
  {
    std::uint8_t seed[randombytes_SEEDBYTES];
    randombytes_buf(seed, sizeof(seed));
    randombytes_buf_deterministic(random.data(), random.size(), seed);
    sodium_memzero(seed, sizeof(seed));
  }
  // The batch's random tokens are handed out in ascending order along the
  // rows, which are sorted by their keyed index, so that both B-trees (the
  // primary key by index, the UNIQUE one by token) are written in order: a
  // third less CPU for a million new tokens, and fuller pages. Each token is
  // still one of the batch's uniformly random values; their order follows the
  // keyed index, a PRF of the identifier under a secret key, so it says
  // nothing about the identifiers to anyone without the vault's keys.
  if (todo.size() > 1) {
    using Token = std::array<std::uint8_t, internal::kTokenRandomBytes>;
    std::vector<Token> sorted(todo.size());
    for (std::size_t j = 0; j < todo.size(); ++j) {
      std::memcpy(sorted[j].data(), random.data() + j * kPerRow, internal::kTokenRandomBytes);
    }
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t j = 0; j < todo.size(); ++j) {
      std::memcpy(random.data() + j * kPerRow, sorted[j].data(), internal::kTokenRandomBytes);
    }
  }
  KeyReaders readers;
  const std::uint8_t* kb = readers.Get(*keys);
  DomainRow counted = d;
  TokenRow r;
  r.version = (*keys)->version;
  std::uint8_t mac[internal::kRowMacBytes];
  std::size_t inserted = 0;
  absl::Status status;
  // Within one gap of the chain the new rows link to each other in index
  // order; the last points where the gap's link pointed, and the link (a
  // row, or the domain's head) then points to the first.
  std::size_t j = 0;
  while (status.ok() && j < todo.size()) {
    const std::uint32_t g = gap_of[todo[j]];
    std::size_t end = j;
    while (end < todo.size() && gap_of[todo[end]] == g) ++end;
    std::string first;
    for (std::size_t k = j; k < end; ++k) {
      const std::uint32_t i = todo[k];
      if (k > j && idx_of(todo[k - 1]) == idx_of(i)) {  // The same person again.
        std::memcpy(tokens->data() + std::size_t{i} * internal::kTokenRandomBytes,
                    tokens->data() + std::size_t{todo[k - 1]} * internal::kTokenRandomBytes,
                    internal::kTokenRandomBytes);
        (*state)[i] = 1;
        ++*existing;
        continue;
      }
      std::size_t next_k = k + 1;
      while (next_k < end && idx_of(todo[next_k]) == idx_of(i)) ++next_k;
      std::uint8_t* tok = random.data() + k * kPerRow;
      const std::uint8_t* nonce = tok + internal::kTokenRandomBytes;
      r.idx = std::string(idx_of(i));
      r.next = next_k < end ? std::string(idx_of(todo[next_k])) : (*gaps)[g].next;
      for (int attempt = 0;; ++attempt) {
        status = SealRecord(d, r.version, kb, kinds[i], AV(norms[i]), tok, nonce, &r.sealed);
        if (!status.ok()) break;
        r.token.assign(reinterpret_cast<const char*>(tok), internal::kTokenRandomBytes);
        if (!RowMac(kb, d.id, r.View(), mac)) {
          status = absl::InternalError("a token record is too large");
          break;
        }
        insert_token.Reset();
        insert_token.Bind(1, d.id);
        insert_token.BindBlob(2, r.token);
        insert_token.BindBlob(3, r.idx);
        insert_token.Bind(4, r.version);
        insert_token.BindBlob(5, r.sealed);
        insert_token.BindBlob(6,
                              absl::string_view(reinterpret_cast<const char*>(mac), sizeof(mac)));
        insert_token.BindBlob(7, r.next);
        int rc = insert_token.Step();
        insert_token.Reset();
        if (rc == SQLITE_DONE && sqlite3_changes(db->get()) == 1) break;
        if (rc == SQLITE_DONE) {
          // Proven absent in this transaction, yet there: the file changed
          // under us.
          status = absl::DataLossError("vault file is damaged: a token record appeared");
          break;
        }
        if ((rc & 0xff) == SQLITE_CONSTRAINT && attempt < 3) {
          // A random token collided with an existing one: draw another.
          randombytes_buf(tok, internal::kTokenRandomBytes);
          continue;
        }
        status = db->Error(rc, "storing tokens");
        break;
      }
      if (!status.ok()) break;
      if (first.empty()) first = r.idx;
      std::memcpy(tokens->data() + std::size_t{i} * internal::kTokenRandomBytes, tok,
                  internal::kTokenRandomBytes);
      (*state)[i] = 1;
      ++*created;
      ++inserted;
    }
    if (status.ok() && !first.empty()) {
      status = SetLinkNext(&counted, &(*gaps)[g], first, &readers);
    }
    j = end;
  }
  sodium_memzero(random.data(), random.size());
  r.Wipe();
  if (!status.ok()) return status;
  counted.token_count += static_cast<std::int64_t>(inserted);
  return StoreDomainCounters(counted);
}

absl::Status Vault::Impl::TokenizeNormalized(
    absl::string_view domain, const std::vector<IdKind>& kinds, const StringColumn& norms,
    std::vector<std::uint8_t>* state, std::vector<std::uint8_t>* tokens, DomainRow* row,
    std::size_t* created, std::size_t* existing, bool in_write_txn) {
  tokens->assign(norms.size() * internal::kTokenRandomBytes, 0);
  std::vector<std::uint8_t> idxs;
  std::vector<std::uint32_t> order;
  std::vector<Link> gaps;
  std::vector<std::uint32_t> gap_of;
  std::size_t found = 0;
  if (!in_write_txn) {
    // First a read: most batches of known identifiers need no write lock.
    Transaction read(db.get());
    if (absl::Status s = read.BeginRead(); !s.ok()) return s;
    absl::StatusOr<DomainRow> d = LoadDomain(domain);
    if (!d.ok()) return d.status();
    if (absl::Status s = IndexRows(*d, kinds, norms, *state, &idxs, &order); !s.ok()) return s;
    if (absl::Status s = LookupRows(*d, idxs, order, state, tokens, &found, nullptr, nullptr);
        !s.ok()) {
      return s;
    }
    *row = *d;
    if (absl::Status s = read.Commit(); !s.ok()) return s;
    *existing += found;
    if (found == order.size()) return absl::OkStatus();
  }
  // The rows still without a token, looked up (and proven absent) again
  // under the write lock, then issued.
  std::unique_ptr<Transaction> write;
  if (!in_write_txn) {
    write = std::make_unique<Transaction>(db.get());
    if (absl::Status s = write->BeginWrite(); !s.ok()) return s;
  }
  absl::StatusOr<DomainRow> d = LoadDomain(domain);
  if (!d.ok()) return d.status();
  if (in_write_txn || d->key_version != row->key_version) {
    // First pass here, or re-keyed in between by another process: index.
    if (absl::Status s = IndexRows(*d, kinds, norms, *state, &idxs, &order); !s.ok()) return s;
  }
  *row = *d;
  found = 0;
  if (absl::Status s = LookupRows(*d, idxs, order, state, tokens, &found, &gaps, &gap_of);
      !s.ok()) {
    return s;
  }
  *existing += found;
  if (absl::Status s =
          IssueRows(*d, kinds, norms, idxs, order, state, tokens, created, existing, &gaps, gap_of);
      !s.ok()) {
    return s;
  }
  return write != nullptr ? write->Commit() : absl::OkStatus();
}

namespace {

void EmitTokens(const DomainRow& d, const std::vector<std::uint8_t>& state,
                const std::vector<std::uint8_t>& tokens, StringColumn* out) {
  const std::size_t n = state.size();
  out->clear();
  out->reserve(n, n * kTokenTextSize);
  for (std::size_t i = 0; i < n; ++i) {
    if (state[i] != 1) {
      out->push_back({});
      continue;
    }
    FormatToken(d.salt, tokens.data() + i * internal::kTokenRandomBytes,
                out->Append(kTokenTextSize));
  }
}

}  // namespace

absl::Status Vault::Tokenize(std::string_view domain, IdKind kind,
                             absl::Span<const std::string_view> identifiers, StringColumn* tokens,
                             const BatchOptions& options, BatchReport* report) {
  if (tokens == nullptr) return absl::InvalidArgumentError("no output column");
  tokens->clear();
  if (report != nullptr) *report = BatchReport();
  StringColumn norms;
  std::vector<std::uint8_t> state;
  if (absl::Status s = NormalizeBatch(kind, identifiers, options, &norms, &state, report);
      !s.ok()) {
    return s;
  }
  std::vector<IdKind> kinds(identifiers.size(), kind);
  std::vector<std::uint8_t> raw;
  DomainRow row;
  std::size_t created = 0, existing = 0;
  absl::Status s;
  {
    absl::MutexLock lock(&impl_->mu);
    s = impl_->TokenizeNormalized(AV(domain), kinds, norms, &state, &raw, &row, &created, &existing,
                                  /*in_write_txn=*/false);
  }
  norms.SecureClear();
  if (!s.ok()) return s;
  EmitTokens(row, state, raw, tokens);
  if (report != nullptr) {
    report->created = created;
    report->existing = existing;
  }
  return absl::OkStatus();
}

absl::Status Vault::LookupTokens(std::string_view domain, IdKind kind,
                                 absl::Span<const std::string_view> identifiers,
                                 StringColumn* tokens, const BatchOptions& options,
                                 BatchReport* report) const {
  if (tokens == nullptr) return absl::InvalidArgumentError("no output column");
  tokens->clear();
  if (report != nullptr) *report = BatchReport();
  StringColumn norms;
  std::vector<std::uint8_t> state;
  if (absl::Status s = NormalizeBatch(kind, identifiers, options, &norms, &state, report);
      !s.ok()) {
    return s;
  }
  std::vector<IdKind> kinds(identifiers.size(), kind);
  std::vector<std::uint8_t> raw(identifiers.size() * internal::kTokenRandomBytes, 0);
  std::size_t found = 0;
  DomainRow row;
  {
    absl::MutexLock lock(&impl_->mu);
    Transaction read(impl_->db.get());
    if (absl::Status s = read.BeginRead(); !s.ok()) return s;
    absl::StatusOr<DomainRow> d = impl_->LoadDomain(AV(domain));
    if (!d.ok()) return d.status();
    row = *d;
    std::vector<std::uint8_t> idxs;
    std::vector<std::uint32_t> order;
    std::vector<Link> gaps;
    std::vector<std::uint32_t> gap_of;
    absl::Status s = impl_->IndexRows(row, kinds, norms, state, &idxs, &order);
    if (s.ok()) s = impl_->LookupRows(row, idxs, order, &state, &raw, &found, &gaps, &gap_of);
    norms.SecureClear();
    if (!s.ok()) return s;
    if (absl::Status c = read.Commit(); !c.ok()) return c;
  }
  EmitTokens(row, state, raw, tokens);
  if (report != nullptr) {
    report->existing = found;
    for (std::uint8_t st : state) report->missing += st == 0;
  }
  return absl::OkStatus();
}

// --- Re-identification and translation ---------------------------------------

absl::Status Vault::Impl::OpenTokens(const DomainRow& d, absl::Span<const std::string_view> tokens,
                                     StringColumn* norms, std::vector<IdKind>* kinds) {
  norms->clear();
  kinds->clear();
  const std::size_t n = tokens.size();
  // 1. Parse and check every token (no database needed).
  std::vector<ParsedToken> parsed(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!ParseToken(AV(tokens[i]), &parsed[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat(RowPrefix(i), "not a gdprkit token (\"tk_\" and 32 base32 characters)"));
    }
    std::uint8_t check[internal::kTokenCheckBytes];
    TokenCheck(d.salt, parsed[i].random, check);
    if (sodium_memcmp(check, parsed[i].check, sizeof(check)) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(RowPrefix(i),
                       "the token fails its check: it was altered, or it belongs to another "
                       "domain than '",
                       d.name, "'"));
    }
  }
  auto key_of = [&](std::size_t i) {
    return absl::string_view(reinterpret_cast<const char*>(parsed[i].random),
                             internal::kTokenRandomBytes);
  };
  // 2. Find their rows.
  RowArena arena;
  arena.Reserve(n);
  std::vector<std::size_t> where(n, 0);
  std::vector<std::uint8_t> have(n, 0);
  if (n > 0 && n * 4 >= static_cast<std::uint64_t>(std::max<std::int64_t>(d.token_count, 0))) {
    // A batch that is a large part of the domain: one scan of the domain's
    // records, probing a hash table of the wanted tokens.
    absl::flat_hash_map<absl::string_view, std::size_t> first;
    first.reserve(n);
    std::vector<std::size_t> dup_of(n, n);
    for (std::size_t i = 0; i < n; ++i) {
      auto [it, inserted] = first.emplace(key_of(i), i);
      if (!inserted) dup_of[i] = it->second;
    }
    Stmt scan;
    if (absl::Status s = scan.Prepare(
            db->get(), "SELECT " GDPRKIT_ROW_COLUMNS " FROM tokens WHERE domain_id = ?");
        !s.ok()) {
      return s;
    }
    scan.Bind(1, d.id);
    std::size_t left = first.size();
    int rc = SQLITE_DONE;
    while (left > 0 && (rc = scan.Step()) == SQLITE_ROW) {
      auto it = first.find(scan.Blob(1));
      if (it == first.end()) continue;
      where[it->second] = arena.Add(ViewRow(scan, 0));
      have[it->second] = 1;
      --left;
    }
    if (left > 0 && rc != SQLITE_DONE) return db->Error(rc, "reading token records");
    for (std::size_t i = 0; i < n; ++i) {
      if (dup_of[i] < n && have[dup_of[i]]) {
        where[i] = where[dup_of[i]];
        have[i] = 1;
      }
    }
  } else {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return key_of(a) < key_of(b); });
    for (std::size_t i : order) {
      row_by_token.Reset();
      row_by_token.Bind(1, d.id);
      row_by_token.BindBlob(2, key_of(i));
      int rc = row_by_token.Step();
      if (rc == SQLITE_ROW) {
        where[i] = arena.Add(ViewRow(row_by_token, 0));
        have[i] = 1;
      } else if (rc != SQLITE_DONE) {
        row_by_token.Reset();
        return db->Error(rc, "reading token records");
      }
    }
    row_by_token.Reset();
  }
  // 3. Authenticate and open them, in row order.
  norms->reserve(n, n * 11);
  kinds->reserve(n);
  std::string norm;
  absl::Status status;
  KeyReaders readers;
  std::uint32_t cached_version = 0;
  const std::uint8_t* keys = nullptr;
  for (std::size_t i = 0; i < n; ++i) {
    if (!have[i]) {
      status = absl::NotFoundError(absl::StrCat(RowPrefix(i), "the token is not in domain '",
                                                d.name, "' (erased, or never issued)"));
      break;
    }
    const RowView row = arena.Get(where[i]);
    if (keys == nullptr || row.version != cached_version) {
      absl::StatusOr<const std::uint8_t*> k = RowKeys(d, row.version, &readers);
      if (!k.ok()) {
        status = k.status();
        break;
      }
      keys = *k;
      cached_version = row.version;
    }
    IdKind kind;
    absl::Status o = CheckRow(d, keys, row);
    if (!o.ok()) {
      status = absl::DataLossError(absl::StrCat(RowPrefix(i), o.message()));
      break;
    }
    o = OpenRecord(d, row.version, keys, parsed[i].random, row.sealed, &kind, &norm);
    if (!o.ok()) {
      status = absl::DataLossError(
          absl::StrCat(RowPrefix(i), "token of domain '", d.name, "': ", o.message()));
      break;
    }
    norms->push_back(norm);
    kinds->push_back(kind);
  }
  if (!norm.empty()) sodium_memzero(&norm[0], norm.size());
  if (!status.ok()) {
    norms->SecureClear();
    kinds->clear();
  }
  return status;
}

absl::Status Vault::Reidentify(std::string_view domain, absl::Span<const std::string_view> tokens,
                               std::string_view reason, StringColumn* identifiers,
                               std::vector<IdKind>* kinds) {
  if (identifiers == nullptr) return absl::InvalidArgumentError("no output column");
  identifiers->clear();
  if (kinds != nullptr) kinds->clear();
  if (absl::Status s = CheckReason(AV(reason)); !s.ok()) return s;
  std::vector<IdKind> k;
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  DomainRow row;
  {
    Transaction read(d);
    if (absl::Status s = read.BeginRead(); !s.ok()) return s;
    absl::StatusOr<DomainRow> dr = impl_->LoadDomain(AV(domain));
    if (!dr.ok()) return dr.status();
    row = *dr;
    if (absl::Status s = impl_->OpenTokens(row, tokens, identifiers, &k); !s.ok()) return s;
    if (absl::Status s = read.Commit(); !s.ok()) {
      identifiers->SecureClear();
      return s;
    }
  }
  // The audit entry is committed before anything is handed out.
  Transaction write(d);
  absl::Status s = write.BeginWrite();
  if (s.ok()) {
    s = impl_->AppendAudit(AuditOp::kReidentify, row.name, "", AV(reason), tokens.size(), 0);
  }
  if (s.ok()) s = write.Commit();
  if (!s.ok()) {
    identifiers->SecureClear();
    return s;
  }
  if (kinds != nullptr) *kinds = std::move(k);
  return absl::OkStatus();
}

absl::Status Vault::Translate(std::string_view from, std::string_view to,
                              absl::Span<const std::string_view> tokens, std::string_view reason,
                              TranslateTarget target, StringColumn* out) {
  if (out == nullptr) return absl::InvalidArgumentError("no output column");
  out->clear();
  if (absl::Status s = CheckReason(AV(reason)); !s.ok()) return s;
  if (from == to) {
    return absl::InvalidArgumentError("translation needs two different domains");
  }
  if (target != TranslateTarget::kToken && target != TranslateTarget::kPseudonym) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown translation target ", static_cast<int>(target), " (0 = tokens, 1 = pseudonyms)"));
  }
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  StringColumn norms;
  std::vector<IdKind> kinds;
  Transaction txn(d);
  if (absl::Status s = txn.BeginWrite(); !s.ok()) return s;
  absl::StatusOr<DomainRow> src = impl_->LoadDomain(AV(from));
  if (!src.ok()) return src.status();
  absl::StatusOr<DomainRow> dst = impl_->LoadDomain(AV(to));
  if (!dst.ok()) return dst.status();
  absl::Status s = impl_->OpenTokens(*src, tokens, &norms, &kinds);
  if (s.ok() && target == TranslateTarget::kToken) {
    std::vector<std::uint8_t> state(norms.size(), 0), raw;
    DomainRow row;
    std::size_t created = 0, existing = 0;
    s = impl_->TokenizeNormalized(AV(to), kinds, norms, &state, &raw, &row, &created, &existing,
                                  /*in_write_txn=*/true);
    if (s.ok()) EmitTokens(row, state, raw, out);
  } else if (s.ok()) {
    absl::StatusOr<const DomainKeys*> keys = impl_->Keys(*dst, dst->key_version);
    if (!keys.ok()) {
      s = keys.status();
    } else {
      SecretBytes::Reader r(*(*keys)->secret);
      const std::string prefix = internal::PseudonymPrefix(dst->key_version);
      const std::size_t size = internal::PseudonymSize(dst->key_version);
      out->reserve(norms.size(), norms.size() * size);
      for (std::size_t i = 0; i < norms.size(); ++i) {
        internal::PseudonymOf(r.data(), dst->scheme, prefix, kinds[i], AV(norms[i]),
                              out->Append(size));
      }
    }
  }
  norms.SecureClear();
  if (s.ok()) {
    s = impl_->AppendAudit(AuditOp::kTranslate, src->name, dst->name, AV(reason), tokens.size(), 0);
  }
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) out->clear();
  return s;
}

// --- Erasure -----------------------------------------------------------------

namespace {

// The spellings under which one person's identifier may have been tokenised:
// its kind and normal form, and the same number kept as free text (kOther) as
// it is usually written, so that erasing a CPR number also erases it where it
// was tokenised as "other" (and the reverse for text that is a CPR number).
struct Spelling {
  IdKind kind;
  std::string norm;
};
std::vector<Spelling> SpellingsOf(IdKind kind, std::string_view norm, const IdOptions& id_options) {
  std::vector<Spelling> out{{kind, std::string(norm)}};
  auto add = [&](IdKind k, std::string n) {
    for (const Spelling& s : out) {
      if (s.kind == k && s.norm == n) return;
    }
    out.push_back({k, std::move(n)});
  };
  std::string cpr;
  if (kind == IdKind::kCpr) {
    cpr = std::string(norm);
  } else if (kind == IdKind::kOther) {
    char buf[10];
    if (CheckCpr(norm, buf, nullptr, id_options) == IdProblem::kNone) cpr.assign(buf, 10);
    sodium_memzero(buf, sizeof(buf));
  } else {
    add(IdKind::kOther, std::string(norm));
  }
  if (cpr.size() == 10) {
    add(IdKind::kCpr, cpr);
    add(IdKind::kOther, cpr);
    add(IdKind::kOther, absl::StrCat(cpr.substr(0, 6), "-", cpr.substr(6)));
    sodium_memzero(&cpr[0], cpr.size());
  }
  return out;
}

void WipeSpellings(std::vector<Spelling>* spellings) {
  for (Spelling& s : *spellings) {
    if (!s.norm.empty()) sodium_memzero(&s.norm[0], s.norm.size());
  }
  spellings->clear();
}

}  // namespace

absl::StatusOr<ErasureReport> Vault::Erase(IdKind kind, std::string_view identifier,
                                           std::string_view reason, const IdOptions& id_options) {
  if (absl::Status s = CheckReason(AV(reason)); !s.ok()) return s;
  if (!IsKnownIdKind(kind)) return absl::InvalidArgumentError("unknown identifier kind");
  // Erasure never refuses a CPR number for a birth date in the future: a
  // number tokenised before that rule (or mistyped then) must still go.
  IdOptions options = id_options;
  options.cpr_allow_future = true;
  IdBuffer buf;
  std::string_view norm;
  IdProblem p = NormalizeIdInto(kind, identifier, &buf, &norm, options);
  if (p != IdProblem::kNone) return IdProblemStatus(kind, p);
  std::vector<Spelling> spellings = SpellingsOf(kind, norm, options);
  sodium_memzero(buf.data, sizeof(buf.data));
  ErasureReport report;
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  {
    Transaction txn(d);
    absl::Status s = txn.BeginWrite();
    std::vector<DomainRow> domains;
    if (s.ok()) {
      // Every domain, from the authenticated list: none may be skipped.
      std::vector<std::pair<std::int64_t, std::string>> set;
      s = impl_->CheckDomainSet(&set);
      std::vector<std::string> names;
      for (auto& [id, name] : set) names.push_back(std::move(name));
      for (std::size_t i = 0; s.ok() && i < names.size(); ++i) {
        absl::StatusOr<DomainRow> row = impl_->LoadDomain(names[i]);
        if (row.ok()) {
          domains.push_back(*row);
        } else {
          s = row.status();
        }
      }
    }
    Scratch scratch;
    std::uint8_t idx[internal::kIndexBytes];
    for (std::size_t i = 0; s.ok() && i < domains.size(); ++i) {
      DomainRow& dom = domains[i];
      absl::StatusOr<const DomainKeys*> keys = impl_->Keys(dom, dom.key_version);
      if (!keys.ok()) {
        s = keys.status();
        break;
      }
      KeyReaders readers;
      std::int64_t erased = 0;
      for (const Spelling& sp : spellings) {
        impl_->Index(readers.Get(*keys), sp.kind, sp.norm, scratch.bytes, idx);
        const absl::string_view key(reinterpret_cast<const char*>(idx), sizeof(idx));
        // The row is authenticated before it is deleted (a row moved here
        // from another person would otherwise be erased in their place), and
        // its absence, when it is not there, is proven by the chain.
        Stmt& find = impl_->token_by_idx;
        find.Reset();
        find.Bind(1, dom.id);
        find.BindBlob(2, key);
        int rc = find.Step();
        TokenRow row;
        if (rc == SQLITE_ROW) row = ReadRow(find, 0);
        find.Reset();
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
          s = d->Error(rc, "finding token records");
          break;
        }
        if (rc == SQLITE_DONE) {
          s = impl_->AbsenceOf(dom, key, &readers).status();
          if (!s.ok()) break;
          continue;
        }
        absl::StatusOr<const std::uint8_t*> row_keys = impl_->RowKeys(dom, row.version, &readers);
        s = row_keys.ok() ? impl_->CheckRow(dom, *row_keys, row.View()) : row_keys.status();
        row.Wipe();
        if (!s.ok()) break;
        // Unlink it: the row before it (or the head) now points past it.
        {
          Stmt& prev = impl_->row_before;
          prev.Reset();
          prev.Bind(1, dom.id);
          prev.BindBlob(2, key);
          rc = prev.Step();
          Link link;
          if (rc == SQLITE_ROW) {
            link.head = false;
            link.row = ReadRow(prev, 0);
            link.next = link.row.next;
          } else {
            link.next = dom.head;
          }
          prev.Reset();
          if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            s = d->Error(rc, "finding token records");
            break;
          }
          if (!link.head) {
            absl::StatusOr<const std::uint8_t*> pk =
                impl_->RowKeys(dom, link.row.version, &readers);
            s = pk.ok() ? impl_->CheckRow(dom, *pk, link.row.View()) : pk.status();
            if (!s.ok()) break;
          }
          if (link.next != key) {
            s = absl::DataLossError(absl::StrCat(
                "vault file is damaged: the token records of domain '", dom.name,
                "' are out of order (a record was removed or moved outside the vault)"));
            break;
          }
          s = impl_->SetLinkNext(&dom, &link, row.next, &readers);
          link.row.Wipe();
          if (!s.ok()) break;
        }
        Stmt& del = impl_->delete_by_idx;
        del.Reset();
        del.Bind(1, dom.id);
        del.BindBlob(2, key);
        rc = del.Step();
        del.Reset();
        if (rc != SQLITE_DONE) {
          s = d->Error(rc, "erasing token records");
          break;
        }
        erased += sqlite3_changes(d->get());
      }
      if (!s.ok()) break;
      report.tokens_erased += static_cast<std::uint64_t>(erased);
      ++report.domains_searched;
      if (erased > 0) {
        dom.token_count -= erased;
        s = impl_->StoreDomainCounters(dom);  // With the head, should it have changed.
      }
    }
    WipeSpellings(&spellings);
    sodium_memzero(idx, sizeof(idx));
    if (s.ok()) {
      s = impl_->AppendAudit(AuditOp::kErase, "", "", AV(reason), report.tokens_erased, 0);
    }
    if (s.ok()) s = txn.Commit();
    if (!s.ok()) return s;
  }
  // secure_delete has zeroed the freed cells in the pages written to the WAL;
  // checkpointing and truncating the WAL removes the older page images too.
  // Readers can hold the checkpoint up: then it is not waited for (the
  // caller learns it from wal_truncated and can wait with Checkpoint()).
  absl::StatusOr<bool> truncated = impl_->TruncateWal(absl::ZeroDuration());
  report.wal_truncated = truncated.ok() && *truncated;
  return report;
}

absl::StatusOr<bool> Vault::Impl::TruncateWal(absl::Duration wait) {
  const int ms =
      static_cast<int>(std::min<std::int64_t>(absl::ToInt64Milliseconds(wait), INT32_MAX));
  sqlite3_busy_timeout(db->get(), ms);
  int log = -1, done = -1;
  int rc = sqlite3_wal_checkpoint_v2(db->get(), "main", SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
  sqlite3_busy_timeout(db->get(), options.busy_timeout_ms());
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return false;
  if (rc != SQLITE_OK) return db->Error(rc, "checkpointing the vault");
  return log == 0;
}

absl::StatusOr<bool> Vault::Checkpoint(absl::Duration wait) {
  absl::MutexLock lock(&impl_->mu);
  return impl_->TruncateWal(wait);
}

// --- Keys: rotation, re-keying, destruction ------------------------------------

absl::StatusOr<std::size_t> Vault::Impl::RekeyLocked(absl::string_view reason) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::vector<std::string> names;
  {
    Transaction read(db.get());
    if (absl::Status s = read.BeginRead(); !s.ok()) return s;
    Stmt st;
    if (absl::Status s = st.Prepare(db->get(),
                                    "SELECT name FROM domains WHERE key_version <> (SELECT "
                                    "max(version) FROM key_versions WHERE state = 1)");
        !s.ok()) {
      return s;
    }
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) names.emplace_back(st.Text(0));
    if (rc != SQLITE_DONE) return db->Error(rc, "listing domains");
    if (absl::Status s = read.Commit(); !s.ok()) return s;
  }
  std::size_t rekeyed = 0;
  for (const std::string& name : names) {
    // One transaction per domain: a crash leaves each domain wholly on one
    // version, and Rekey() finishes the rest.
    Transaction txn(db.get());
    if (absl::Status s = txn.BeginWrite(); !s.ok()) return s;
    absl::StatusOr<std::uint32_t> primary = PrimaryVersion();
    if (!primary.ok()) return primary.status();
    absl::StatusOr<DomainRow> d = LoadDomain(name);
    if (!d.ok()) return d.status();
    if (d->key_version == *primary) continue;
    absl::StatusOr<const DomainKeys*> new_keys = Keys(*d, *primary);
    if (!new_keys.ok()) return new_keys.status();
    Stmt page, update;
    if (absl::Status s = page.Prepare(db->get(), "SELECT " GDPRKIT_ROW_COLUMNS
                                                 " FROM tokens WHERE domain_id = ? AND token > ? "
                                                 "ORDER BY token LIMIT 4096");
        !s.ok()) {
      return s;
    }
    // The MAC and next-pointer of a re-keyed row are written by RelinkDomain
    // once the whole domain has its new indexes.
    if (absl::Status s =
            update.Prepare(db->get(),
                           "UPDATE tokens SET idx = ?, key_version = ?, sealed = ?, "
                           "mac = NULL, next = NULL WHERE domain_id = ? AND token = ?");
        !s.ok()) {
      return s;
    }
    std::string last;  // "" sorts before every token
    std::uint64_t count = 0;
    std::string norm, sealed;
    Scratch scratch;
    KeyReaders readers;
    std::uint8_t idx[internal::kIndexBytes];
    std::uint8_t nonce[kNonce];
    for (;;) {
      std::vector<TokenRow> rows;
      if (absl::Status s = NextPage(&page, d->id, last, &rows); !s.ok()) return s;
      if (rows.empty()) break;
      for (TokenRow& r : rows) {
        if (r.token.size() != internal::kTokenRandomBytes) {
          return absl::DataLossError("vault file is damaged: a token has a wrong size");
        }
        const auto* tok = reinterpret_cast<const std::uint8_t*>(r.token.data());
        absl::StatusOr<const DomainKeys*> old_keys = Keys(*d, r.version);
        if (!old_keys.ok()) return old_keys.status();
        IdKind kind;
        // Authenticated before it is re-sealed: re-keying must never turn a
        // damaged or moved record into a valid one.
        if (absl::Status s = CheckRow(*d, readers.Get(*old_keys), r.View()); !s.ok()) return s;
        if (absl::Status s = OpenRecord(*d, (*old_keys)->version, readers.Get(*old_keys), tok,
                                        r.sealed, &kind, &norm);
            !s.ok()) {
          return absl::DataLossError(
              absl::StrCat("re-keying domain '", d->name, "': a token record ", s.message()));
        }
        Index(readers.Get(*new_keys), kind, norm, scratch.bytes, idx);
        randombytes_buf(nonce, sizeof(nonce));
        if (absl::Status s = SealRecord(*d, (*new_keys)->version, readers.Get(*new_keys), kind,
                                        norm, tok, nonce, &sealed);
            !s.ok()) {
          return s;
        }
        update.Reset();
        update.BindBlob(1, absl::string_view(reinterpret_cast<const char*>(idx), sizeof(idx)));
        update.Bind(2, *primary);
        update.BindBlob(3, sealed);
        update.Bind(4, d->id);
        update.BindBlob(5, r.token);
        const int rc = update.Step();
        update.Reset();
        if (rc != SQLITE_DONE) return db->Error(rc, "re-keying token records");
        ++count;
      }
      last = rows.back().token;
      for (TokenRow& r : rows) r.Wipe();
    }
    if (!norm.empty()) sodium_memzero(&norm[0], norm.size());
    if (count != static_cast<std::uint64_t>(d->token_count)) {
      return absl::DataLossError(
          absl::StrCat("vault file is damaged: domain '", d->name, "' holds ", count,
                       " token records, but its authenticated count is ", d->token_count));
    }
    d->key_version = *primary;
    if (absl::Status s = RelinkDomain(&*d, &readers); !s.ok()) return s;
    if (absl::Status s = StoreDomainCounters(*d); !s.ok()) return s;
    if (absl::Status s = AppendAudit(AuditOp::kRekey, d->name, "", reason, count, *primary);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = txn.Commit(); !s.ok()) return s;
    ++rekeyed;
    const int stop = internal::g_rekey_stop_after_for_tests.load();
    if (stop >= 0 && rekeyed >= static_cast<std::size_t>(stop)) {
      return absl::AbortedError("re-keying interrupted (test hook)");
    }
  }
  return rekeyed;
}

absl::StatusOr<std::uint32_t> Vault::RotateKeys(std::string_view reason) {
  if (absl::Status s = CheckReason(AV(reason)); !s.ok()) return s;
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  std::uint32_t version = 0;
  {
    // Every record must re-key before a new version is committed: a damaged
    // one is found here, with nothing changed, instead of after the new
    // version was made primary.
    Transaction read(d);
    if (absl::Status s = read.BeginRead(); !s.ok()) return s;
    if (absl::Status s = impl_->WalkTokenRows(/*fill=*/false); !s.ok()) return s;
    if (absl::Status s = read.Commit(); !s.ok()) return s;
  }
  {
    Transaction txn(d);
    if (absl::Status s = txn.BeginWrite(); !s.ok()) return s;
    if (absl::Status s = impl_->LoadKeys(); !s.ok()) return s;
    absl::StatusOr<std::int64_t> max = PragmaInt(d, "SELECT max(version) FROM key_versions");
    if (!max.ok()) return max.status();
    version = static_cast<std::uint32_t>(*max + 1);
    absl::StatusOr<std::unique_ptr<SecretBytes>> master = internal::NewRandomKey();
    if (!master.ok()) return master.status();
    absl::StatusOr<std::string> wrapped =
        internal::WrapKey(*impl_->kek, **master, MasterKeyAd(impl_->vault_id, version));
    if (!wrapped.ok()) return wrapped.status();
    if (absl::Status s = d->Exec("UPDATE key_versions SET state = 2 WHERE state = 1",
                                 "retiring the primary key");
        !s.ok()) {
      return s;
    }
    Stmt st;
    if (absl::Status s = st.Prepare(d->get(),
                                    "INSERT INTO key_versions(version, state, created, wrapped, "
                                    "checksum) VALUES(?, 1, ?, ?, ?)");
        !s.ok()) {
      return s;
    }
    std::string checksum = internal::Checksum(*wrapped);
    st.Bind(1, version);
    st.Bind(2, NowUnix());
    st.BindBlob(3, *wrapped);
    st.BindBlob(4, checksum);
    int rc = st.Step();
    if (rc != SQLITE_DONE) return d->Error(rc, "storing the new master key");
    if (absl::Status s = impl_->RemacKeyVersions(); !s.ok()) return s;
    if (absl::Status s = impl_->AppendAudit(AuditOp::kRotate, "", "", AV(reason), 0, version);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = txn.Commit(); !s.ok()) return s;
    impl_->masters[version] = std::move(*master);
    for (auto& [v, state] : impl_->key_states) {
      if (state == KeyState::kPrimary) state = KeyState::kEnabled;
    }
    impl_->key_states[version] = KeyState::kPrimary;
  }
  absl::StatusOr<std::size_t> rekeyed = impl_->RekeyLocked(AV(reason));
  if (!rekeyed.ok()) return rekeyed.status();
  return version;
}

absl::StatusOr<std::size_t> Vault::Rekey(std::string_view reason) {
  if (absl::Status s = CheckReason(AV(reason)); !s.ok()) return s;
  absl::MutexLock lock(&impl_->mu);
  return impl_->RekeyLocked(AV(reason));
}

absl::Status Vault::DestroyKeyVersion(std::uint32_t version, std::string_view reason) {
  if (absl::Status s = CheckReason(AV(reason)); !s.ok()) return s;
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  Transaction txn(d);
  if (absl::Status s = txn.BeginWrite(); !s.ok()) return s;
  if (absl::Status s = impl_->LoadKeys(); !s.ok()) return s;
  Stmt st;
  if (absl::Status s = st.Prepare(d->get(), "SELECT state FROM key_versions WHERE version = ?");
      !s.ok()) {
    return s;
  }
  st.Bind(1, version);
  int rc = st.Step();
  if (rc == SQLITE_DONE) {
    return absl::NotFoundError(absl::StrCat("no key version ", version, " in the vault"));
  }
  if (rc != SQLITE_ROW) return d->Error(rc, "reading the vault's keys");
  auto state = static_cast<KeyState>(st.Int(0));
  st.Reset();
  if (state == KeyState::kDestroyed) {
    return absl::FailedPreconditionError(
        absl::StrCat("key version ", version, " is already destroyed"));
  }
  if (state == KeyState::kPrimary) {
    return absl::FailedPreconditionError(absl::StrCat(
        "key version ", version, " is the primary version; rotate first (RotateKeys)"));
  }
  Stmt users;
  if (absl::Status s =
          users.Prepare(d->get(),
                        "SELECT (SELECT count(*) FROM domains WHERE key_version = ?1) + "
                        "(SELECT count(*) FROM tokens WHERE key_version = ?1)");
      !s.ok()) {
    return s;
  }
  users.Bind(1, version);
  rc = users.Step();
  if (rc != SQLITE_ROW) return d->Error(rc, "checking key use");
  if (users.Int(0) > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "key version ", version, " is still used by domains or token records; run Rekey first"));
  }
  Stmt wipe;
  if (absl::Status s = wipe.Prepare(d->get(),
                                    "UPDATE key_versions SET state = 3, wrapped = NULL, "
                                    "checksum = NULL WHERE version = ?");
      !s.ok()) {
    return s;
  }
  wipe.Bind(1, version);
  rc = wipe.Step();
  if (rc != SQLITE_DONE) return d->Error(rc, "destroying a key version");
  if (absl::Status s = impl_->RemacKeyVersions(); !s.ok()) return s;
  if (absl::Status s = impl_->AppendAudit(AuditOp::kDestroyKey, "", "", AV(reason), 0, version);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = txn.Commit(); !s.ok()) return s;
  impl_->masters.erase(version);
  impl_->key_states[version] = KeyState::kDestroyed;
  for (auto it = impl_->domain_keys.begin(); it != impl_->domain_keys.end();) {
    it = it->first.second == version ? impl_->domain_keys.erase(it) : std::next(it);
  }
  Stmt cp;
  if (cp.Prepare(d->get(), "PRAGMA wal_checkpoint(TRUNCATE)").ok()) cp.Step();
  return absl::OkStatus();
}

absl::Status Vault::ChangeProtection(const VaultOptions& protection, std::string_view reason) {
  if (absl::Status s = CheckReason(AV(reason)); !s.ok()) return s;
  VaultOptions o = protection;
  o.set_path(impl_->options.path()).set_actor(impl_->options.actor());
  if (absl::Status s = CheckOptions(o); !s.ok()) return s;
  const bool passphrase = o.protection() == VaultProtection::kPassphrase;
  const KdfLimits limits = o.kdf_limits();
  if (passphrase &&
      (limits.opslimit < crypto_pwhash_OPSLIMIT_MIN || limits.opslimit > kMaxStoredOpslimit ||
       limits.memlimit < crypto_pwhash_MEMLIMIT_MIN || limits.memlimit > kMaxStoredMemlimit)) {
    return absl::InvalidArgumentError("Argon2id limits outside what the vault accepts");
  }
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  std::string salt = RandomBytes(crypto_pwhash_SALTBYTES);
  absl::StatusOr<std::unique_ptr<SecretBytes>> kek =
      internal::DeriveKek(passphrase, *o.secret(), salt, limits.opslimit, limits.memlimit);
  if (!kek.ok()) return kek.status();
  Transaction txn(d);
  if (absl::Status s = txn.BeginWrite(); !s.ok()) return s;
  // Every key that is not destroyed must be at hand, also versions another
  // process added.
  if (absl::Status s = impl_->LoadKeys(); !s.ok()) return s;
  Stmt update;
  if (absl::Status s = update.Prepare(
          d->get(), "UPDATE key_versions SET wrapped = ?, checksum = ? WHERE version = ?");
      !s.ok()) {
    return s;
  }
  for (const auto& [version, master] : impl_->masters) {
    absl::StatusOr<std::string> wrapped =
        internal::WrapKey(**kek, *master, MasterKeyAd(impl_->vault_id, version));
    if (!wrapped.ok()) return wrapped.status();
    std::string checksum = internal::Checksum(*wrapped);
    update.Reset();
    update.BindBlob(1, *wrapped);
    update.BindBlob(2, checksum);
    update.Bind(3, version);
    int rc = update.Step();
    if (rc != SQLITE_DONE) return d->Error(rc, "re-wrapping the master keys");
  }
  update.Reset();
  absl::StatusOr<std::string> audit_key =
      internal::WrapKey(**kek, *impl_->audit_key, AuditKeyAd(impl_->vault_id));
  if (!audit_key.ok()) return audit_key.status();
  std::vector<std::pair<std::string, std::string>> meta = {
      {"protection", passphrase ? "passphrase" : "host_key"},
      {"kdf_salt", salt},
      {"kdf_opslimit", U64(limits.opslimit)},
      {"kdf_memlimit", U64(limits.memlimit)},
      {"audit_key", *audit_key},
      {"audit_key_checksum", internal::Checksum(*audit_key)},
  };
  for (const auto& [name, value] : meta) {
    if (absl::Status s = PutMeta(d, name, value); !s.ok()) return s;
  }
  if (absl::Status s = impl_->RemacKeyVersions(); !s.ok()) return s;
  {
    absl::StatusOr<std::map<std::string, std::string>> all = ReadMeta(d);
    if (!all.ok()) return all.status();
    if (absl::Status s = PutMeta(d, "header_checksum", impl_->HeaderChecksum(*all)); !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = impl_->AppendAudit(AuditOp::kChangeProtection, "", "", AV(reason), 0, 0);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = txn.Commit(); !s.ok()) return s;
  impl_->kek = std::move(*kek);
  impl_->options = o;
  // No copy wrapped under the old secret stays in the write-ahead log.
  Stmt cp;
  if (cp.Prepare(d->get(), "PRAGMA wal_checkpoint(TRUNCATE)").ok()) cp.Step();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<KeyVersionInfo>> Vault::ListKeys() const {
  absl::MutexLock lock(&impl_->mu);
  Stmt st;
  if (absl::Status s = st.Prepare(impl_->db->get(),
                                  "SELECT version, state, created FROM key_versions ORDER BY "
                                  "version");
      !s.ok()) {
    return s;
  }
  std::vector<KeyVersionInfo> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    KeyVersionInfo k;
    k.version = static_cast<std::uint32_t>(st.Int(0));
    k.state = static_cast<KeyState>(st.Int(1));
    k.created_unix = st.Int(2);
    out.push_back(k);
  }
  if (rc != SQLITE_DONE) return impl_->db->Error(rc, "listing keys");
  return out;
}

// --- Audit ---------------------------------------------------------------------

absl::StatusOr<std::vector<AuditRecord>> Vault::ReadAudit(std::uint64_t from_seq,
                                                          std::size_t limit) const {
  absl::MutexLock lock(&impl_->mu);
  Stmt st;
  if (absl::Status s = st.Prepare(impl_->db->get(),
                                  "SELECT seq, entry, chain FROM audit WHERE seq >= ? ORDER BY "
                                  "seq");
      !s.ok()) {
    return s;
  }
  st.Bind(1, static_cast<std::int64_t>(std::min<std::uint64_t>(from_seq, INT64_MAX)));
  std::vector<AuditRecord> out;
  int rc;
  while (out.size() < limit && (rc = st.Step()) == SQLITE_ROW) {
    v1::AuditEntry e;
    absl::string_view bytes = st.Blob(1);
    if (!e.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return absl::DataLossError(
          absl::StrCat("audit entry ", st.Int(0), " is damaged (does not parse)"));
    }
    AuditRecord r;
    r.seq = e.seq();
    r.time_unix_micros = e.time_unix_micros();
    r.op = static_cast<AuditOp>(e.op());
    r.actor = e.actor();
    r.domain = e.domain();
    r.target_domain = e.target_domain();
    r.reason = e.reason();
    r.count = e.count();
    r.key_version = e.key_version();
    r.chain_hex = Hex(st.Blob(2));
    out.push_back(std::move(r));
  }
  if (out.size() < limit && rc != SQLITE_DONE) {
    return impl_->db->Error(rc, "reading the audit trail");
  }
  return out;
}

absl::StatusOr<AuditVerification> Vault::VerifyAudit() const {
  absl::MutexLock lock(&impl_->mu);
  Transaction read(impl_->db.get());
  if (absl::Status s = read.BeginRead(); !s.ok()) return s;
  return impl_->VerifyAuditLocked();
}

absl::Status Vault::CheckIntegrity() const {
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  Stmt st;
  if (absl::Status s = st.Prepare(d->get(), "PRAGMA integrity_check(1)"); !s.ok()) return s;
  int rc = st.Step();
  if (rc != SQLITE_ROW) return d->Error(rc, "checking the vault file");
  if (st.Text(0) != "ok") {
    return absl::DataLossError(absl::StrCat("vault file is damaged: ", st.Text(0)));
  }
  st.Reset();
  Transaction read(d);
  if (absl::Status s = read.BeginRead(); !s.ok()) return s;
  if (absl::Status s = impl_->LoadKeys(); !s.ok()) return s;
  if (absl::Status s = impl_->WalkTokenRows(/*fill=*/false); !s.ok()) return s;
  absl::StatusOr<AuditVerification> v = impl_->VerifyAuditLocked();
  return v.ok() ? absl::OkStatus() : v.status();
}

absl::Status Vault::Backup(std::string_view destination_path) const {
  const std::string dest(destination_path);
  if (absl::Status s = internal::CheckVaultPath(dest); !s.ok()) return s;
  struct stat st;
  if (lstat(dest.c_str(), &st) == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("a file exists at ", dest, "; a backup is written only to a new file"));
  }
  absl::MutexLock lock(&impl_->mu);
  absl::StatusOr<std::unique_ptr<Db>> copy =
      Db::Open(dest, /*create=*/true, impl_->options.busy_timeout_ms(), 0);
  if (!copy.ok()) return copy.status();
  auto remove = [&dest] {
    unlink(dest.c_str());
    unlink((dest + "-wal").c_str());
    unlink((dest + "-shm").c_str());
  };
  absl::Status status;
  {
    // One step: the copy is the source as of one read transaction, whatever
    // other connections do meanwhile.
    sqlite3_backup* b = sqlite3_backup_init((*copy)->get(), "main", impl_->db->get(), "main");
    if (b == nullptr) {
      status = (*copy)->Error(sqlite3_errcode((*copy)->get()), "starting the backup");
    } else {
      int rc = sqlite3_backup_step(b, -1);
      const int finish = sqlite3_backup_finish(b);
      if (rc != SQLITE_DONE) {
        status = (*copy)->Error(rc, "copying the vault");
      } else if (finish != SQLITE_OK) {
        status = (*copy)->Error(finish, "finishing the backup");
      }
    }
  }
  // The copy is checked before it is reported done: every page reads back
  // with its checksum, and its audit head and domains authenticate under
  // this vault's keys (which the same passphrase unlocks in the copy).
  if (status.ok()) {
    Stmt check;
    status = check.Prepare((*copy)->get(), "PRAGMA integrity_check(1)");
    if (status.ok()) {
      int rc = check.Step();
      if (rc != SQLITE_ROW) {
        status = (*copy)->Error(rc, "checking the backup");
      } else if (check.Text(0) != "ok") {
        status = absl::DataLossError(absl::StrCat("the backup is damaged: ", check.Text(0)));
      }
    }
  }
  if (status.ok()) {
    Vault::Impl probe;
    probe.options = impl_->options;
    probe.schema = impl_->schema;
    probe.db = std::move(*copy);
    absl::StatusOr<std::unique_ptr<SecretBytes>> ak = SecretBytes::CopyOf(absl::string_view(
        reinterpret_cast<const char*>(SecretBytes::Reader(*impl_->audit_key).data()),
        impl_->audit_key->size()));
    if (!ak.ok()) {
      status = ak.status();
    } else {
      probe.audit_key = std::move(*ak);
      status = probe.DeriveIntegrityKey();
    }
    if (status.ok()) {
      Transaction read(probe.db.get());
      status = read.BeginRead();
      if (status.ok()) status = probe.VerifyAuditLocked().status();
      if (status.ok()) status = read.Commit();
    }
    if (status.ok()) status = probe.db->Exec("PRAGMA journal_mode=WAL", "finishing the backup");
    probe.db.reset();
  }
  if (!status.ok()) {
    copy->reset();
    remove();
  }
  return status;
}

}  // namespace gdprkit
