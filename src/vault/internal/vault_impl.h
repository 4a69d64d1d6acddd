// The vault's private parts, shared by its files (src/vault/*.cc): the
// Impl behind gdprkit::Vault, the rows it stores, the token format and the
// checks of free text. Not installed; only the vault area includes it.
//
// Where things are:
//   open.cc       options, the schema and its migrations, Create, Open, keys
//   domains.cc    domain rows, the authenticated set of domains, CreateDomain
//   records.cc    a domain's keys, a record's index, sealing and opening it
//   chain.cc      the authenticated chain of a domain's token rows
//   tokens.cc     Tokenize, LookupTokens
//   reidentify.cc Reidentify, Translate
//   erase.cc      Erase, Checkpoint
//   rotation.cc   RotateKeys, Rekey, DestroyKeyVersion, ChangeProtection
//   audit.cc      the hash-chained audit trail
//   integrity.cc  MACs of domains, key versions and the header; CheckIntegrity
//   backup.cc     Backup
//   pseudonym.cc  pseudonyms (Pseudonymizer, the vault's pseudonym calls)
//   vocabulary.cc the names of the vault's and the identifiers' enums
//   internal/vault_impl.cc  the helpers declared here
#ifndef GDPRKIT_SRC_VAULT_INTERNAL_VAULT_IMPL_H_
#define GDPRKIT_SRC_VAULT_INTERNAL_VAULT_IMPL_H_

#include <sodium.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/sv.h"
#include "gdprkit/vault.h"
#include "vault/internal/db.h"
#include "vault/internal/keys.h"

namespace gdprkit {
namespace internal {

class ProgressStage;  // common/progress.h

inline constexpr int kSchemaVersion = 3;
inline constexpr std::size_t kMaxReason = 1000;
inline constexpr std::size_t kMaxActor = 200;
inline constexpr std::size_t kMaxDescription = 1000;
inline constexpr absl::string_view kTokenPrefix = "tk_";
inline constexpr char kAuditPersonal[crypto_generichash_blake2b_PERSONALBYTES] = "gdprkit.audit01";
inline constexpr char kRecordPersonal[crypto_generichash_blake2b_PERSONALBYTES] = "gdprkit.record1";
inline constexpr char kIntegrityContext[crypto_kdf_CONTEXTBYTES] = {'g', 'd', 'k', 'i',
                                                                    'n', 't', 'g', '1'};
inline constexpr std::size_t kRecordMacBytes = 32;
inline constexpr std::uint64_t kMaxStoredOpslimit = 64;
inline constexpr std::uint64_t kMaxStoredMemlimit = std::uint64_t{4} << 30;

std::int64_t NowUnix();
// Little-endian bytes of v.
std::string Le32(std::uint32_t v);
std::string RandomBytes(std::size_t n);
// The associated data of a wrapped master key and of the wrapped audit key.
std::string MasterKeyAd(absl::string_view vault_id, std::uint32_t version);
std::string AuditKeyAd(absl::string_view vault_id);

// The associated data of a token record: binds the ciphertext to its domain,
// its token and its key version, so that a record copied to another domain or
inline constexpr std::size_t kTokenAdMax = 16 + 1 + 64 + 1 + 16 + 4;
// Writes the associated data into `buf` (kTokenAdMax bytes); returns it.
inline absl::string_view TokenAd(absl::string_view domain, const std::uint8_t* token16,
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

inline std::string Hex(absl::string_view bytes) { return absl::BytesToHexString(bytes); }

// Text a caller gives that is kept in the audit trail (a reason, an actor, a
// description): at most `max` bytes of UTF-8 without control characters and
// without anything CPR-like; InvalidArgument naming `what` otherwise.
absl::Status CheckFreeText(absl::string_view text, absl::string_view what, std::size_t max,
                           bool required);
absl::Status CheckReason(absl::string_view reason);

// A scheme number of PseudonymScheme (checked before any cast).
bool IsKnownScheme(std::int64_t scheme);
// A domain's stored scheme number; DataLoss for any other number (an 8-bit
// cast would turn 257 into blake2b).
absl::StatusOr<PseudonymScheme> StoredScheme(absl::string_view domain, std::int64_t scheme);

// Options, unlocking and the metadata table (vault_impl.cc): used by open.cc,
// rotation.cc, integrity.cc, domains.cc and audit.cc.
absl::Status UnlockError(const VaultOptions& o, const absl::Status& s);
absl::Status CheckOptions(const VaultOptions& o);
absl::StatusOr<std::int64_t> PragmaInt(Db* db, const char* sql);
absl::Status PutMeta(Db* db, absl::string_view name, absl::string_view value);
absl::StatusOr<std::map<std::string, std::string>> ReadMeta(Db* db);

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

inline std::string U64(std::uint64_t v) {
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

inline RowView ViewRow(const Stmt& st, int col) {
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

inline TokenRow ReadRow(const Stmt& st, int col) {
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
inline constexpr std::size_t kRowMacMessageMax =
    8 + 4 + internal::kIndexBytes + 1 + internal::kIndexBytes + internal::kTokenRandomBytes +
    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + 1 + kMaxNormalizedId +
    crypto_aead_xchacha20poly1305_ietf_ABYTES;

// SipHash-2-4 with a 128-bit output (libsodium's crypto_shorthash_siphashx24)
// under the domain's row MAC key: a PRF, so a MAC, for these short messages,
// and cheap enough to check on every look-up. False when the row's parts have
// impossible sizes.
inline bool RowMac(const std::uint8_t* keys, std::int64_t domain_id, const RowView& r,
                   std::uint8_t* out) {
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

inline bool ParseToken(absl::string_view text, ParsedToken* out) {
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
inline void TokenCheck(absl::string_view salt, const std::uint8_t* random, std::uint8_t* check) {
  std::uint8_t msg[internal::kSaltBytes + internal::kTokenRandomBytes];
  std::memcpy(msg, salt.data(), internal::kSaltBytes);
  std::memcpy(msg + internal::kSaltBytes, random, internal::kTokenRandomBytes);
  std::uint8_t h[16];
  crypto_generichash(h, sizeof(h), msg, sizeof(msg), nullptr, 0);
  std::memcpy(check, h, internal::kTokenCheckBytes);
}

inline constexpr std::size_t kTokenTextSize =
    3 + (8 * (internal::kTokenRandomBytes + internal::kTokenCheckBytes) + 4) / 5;

inline void FormatToken(absl::string_view salt, const std::uint8_t* random, char* out) {
  std::uint8_t raw[internal::kTokenRandomBytes + internal::kTokenCheckBytes];
  std::memcpy(raw, random, internal::kTokenRandomBytes);
  TokenCheck(salt, random, raw + internal::kTokenRandomBytes);
  std::memcpy(out, kTokenPrefix.data(), kTokenPrefix.size());
  internal::Base32Encode(raw, sizeof(raw), out + kTokenPrefix.size());
}

// Tokens of a batch as text into `out`: rows whose state is 1 get
// "tk_" + base32, the others an empty value (tokens.cc).
void EmitTokens(const DomainRow& d, const std::vector<std::uint8_t>& state,
                const std::vector<std::uint8_t>& tokens, StringColumn* out);

inline std::string RowPrefix(std::size_t row) { return absl::StrCat("row ", row, ": "); }

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

}  // namespace internal

// The vault's files use these without "internal::" (this header is the
// vault area's own: no other area or door includes it).
using internal::AuditKeyAd;
using internal::AV;
using internal::CheckFreeText;
using internal::CheckOptions;
using internal::CheckReason;
using internal::Db;
using internal::DomainKeys;
using internal::DomainRow;
using internal::EmitTokens;
using internal::FormatToken;
using internal::Hex;
using internal::IsKnownScheme;
using internal::kAuditPersonal;
using internal::KeyReaders;
using internal::kIntegrityContext;
using internal::kMaxDescription;
using internal::kMaxStoredMemlimit;
using internal::kMaxStoredOpslimit;
using internal::kRecordMacBytes;
using internal::kRecordPersonal;
using internal::kSchemaVersion;
using internal::kTokenAdMax;
using internal::kTokenTextSize;
using internal::Link;
using internal::MasterKeyAd;
using internal::NowUnix;
using internal::ParsedToken;
using internal::ParseToken;
using internal::PragmaInt;
using internal::ProgressStage;
using internal::PutMeta;
using internal::RandomBytes;
using internal::ReadMeta;
using internal::ReadRow;
using internal::RowArena;
using internal::RowMac;
using internal::RowPrefix;
using internal::RowView;
using internal::Scratch;
using internal::SecretBytes;
using internal::Stmt;
using internal::StoredScheme;
using internal::SV;
using internal::TokenAd;
using internal::TokenCheck;
using internal::TokenRow;
using internal::Transaction;
using internal::U64;
using internal::UnlockError;
using internal::ViewRow;

// --- The implementation -----------------------------------------------------

// --- The implementation -----------------------------------------------------

struct Vault::Impl {
  VaultOptions options;
  std::unique_ptr<internal::Db> db;
  absl::Mutex mu;
  std::string vault_id;
  std::unique_ptr<internal::SecretBytes> kek;
  std::unique_ptr<internal::SecretBytes> audit_key;
  // Key of the MACs on domain rows, key versions and the audit head: a
  // crypto_kdf subkey of the audit key (which, like the master keys, is
  // random and stored only wrapped under the passphrase or host key).
  std::unique_ptr<internal::SecretBytes> integrity_key;
  // The file's schema version once open; MACs are checked from schema 3 on.
  int schema = internal::kSchemaVersion;
  std::map<std::uint32_t, std::unique_ptr<internal::SecretBytes>> masters;  // not destroyed
  std::map<std::uint32_t, KeyState> key_states;
  std::map<std::pair<std::string, std::uint32_t>, internal::DomainKeys> domain_keys;

  // Statements used per row.
  internal::Stmt select_domain;
  internal::Stmt token_by_idx;
  internal::Stmt insert_token;
  internal::Stmt row_by_token;
  internal::Stmt delete_by_idx;
  internal::Stmt row_before;  // The row with the largest index below ?2.
  internal::Stmt set_next;

  absl::Status Prepare();
  absl::Status LoadKeys();
  absl::StatusOr<std::uint32_t> PrimaryVersion();
  // A domain's row, authenticated (from schema 3 on); NotFound with "did you
  // mean" otherwise.
  absl::StatusOr<internal::DomainRow> LoadDomain(absl::string_view name);
  // The same without the MAC check: only for rows this transaction is about
  // to (re)authenticate (a new domain, the migration to schema 3).
  absl::StatusOr<internal::DomainRow> LoadDomainUnchecked(absl::string_view name);
  absl::StatusOr<internal::DomainRow> LoadDomainRow(absl::string_view name, bool check_mac);
  absl::StatusOr<const internal::DomainKeys*> Keys(const internal::DomainRow& domain,
                                                   std::uint32_t version);
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
  std::string DomainMac(const internal::DomainRow& d) const;
  std::string KeyVersionMac(std::uint32_t version, std::int64_t state, std::int64_t created,
                            absl::string_view wrapped, absl::string_view checksum) const;
  std::string AuditHeadValue(std::uint64_t seq, absl::string_view chain) const;
  // Writes d's token_count and key_version with a fresh MAC.
  absl::Status StoreDomainCounters(const internal::DomainRow& d);
  // Checks a token row's MAC under `keys` (those of the row's key version):
  // DataLoss naming the domain when it fails.
  absl::Status CheckRow(const internal::DomainRow& d, const std::uint8_t* keys,
                        const internal::RowView& r) const;
  // The key material of `version` for `d`, through `readers`.
  absl::StatusOr<const std::uint8_t*> RowKeys(const internal::DomainRow& d, std::uint32_t version,
                                              internal::KeyReaders* readers);
  // The authenticated link before index x: the row with the largest index
  // below x, or the domain's head. DataLoss unless it proves x absent.
  absl::StatusOr<internal::Link> AbsenceOf(const internal::DomainRow& d, absl::string_view x,
                                           internal::KeyReaders* readers);
  // Points `link` at `next`: the head in `d` (stored by StoreDomainCounters)
  // or the row, re-MACed and written now.
  absl::Status SetLinkNext(internal::DomainRow* d, internal::Link* link, const std::string& next,
                           internal::KeyReaders* readers);
  // Takes the row at index x (whose next-pointer is `next`) out of the chain:
  // the row before it (authenticated), or the head, then points to `next`.
  // DataLoss when that link does not point at x.
  absl::Status Unlink(DomainRow* d, absl::string_view x, const std::string& next,
                      KeyReaders* readers);
  // Rebuilds a domain's chain: every row's next-pointer and MAC, in index
  // order, and d->head. For rows this transaction re-keyed or is
  // authenticating for the first time.
  absl::Status RelinkDomain(internal::DomainRow* d, internal::KeyReaders* readers);
  // The next page of a domain's rows from `page` (a statement taking the
  // domain id and the key of the last row read, in the order it pages by).
  absl::Status NextPage(internal::Stmt* page, std::int64_t domain_id, absl::string_view after,
                        std::vector<internal::TokenRow>* rows);
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
  absl::Status SealRecord(const internal::DomainRow& d, std::uint32_t version,
                          const std::uint8_t* keys, IdKind kind, absl::string_view norm,
                          const std::uint8_t* random, const std::uint8_t* nonce,
                          std::string* sealed);
  // Opens a sealed record; DataLoss when it fails authentication.
  absl::Status OpenRecord(const internal::DomainRow& d, std::uint32_t version,
                          const std::uint8_t* keys, const std::uint8_t* random,
                          absl::string_view sealed, IdKind* kind, std::string* norm);

  // Token lookup and issue for normalised rows (in an open transaction).
  // tokens: n * 16 bytes; state[i]: 0 = to do, 1 = has token, 2 = skip.
  // The index of every row to do (state 0) under d's keys into `idxs`, and
  // those rows sorted by index into `order`.
  absl::Status IndexRows(const internal::DomainRow& d, const std::vector<IdKind>& kinds,
                         const StringColumn& norms, const std::vector<std::uint8_t>& state,
                         std::vector<std::uint8_t>* idxs, std::vector<std::uint32_t>* order);
  // Finds the tokens of the rows in `order` (state 0 -> 1) and, when `gaps`
  // is given, proves every other one absent: `gaps` gets the links that do,
  // `gap_of[row]` which.
  absl::Status LookupRows(const internal::DomainRow& d, const std::vector<std::uint8_t>& idxs,
                          const std::vector<std::uint32_t>& order, std::vector<std::uint8_t>* state,
                          std::vector<std::uint8_t>* tokens, std::size_t* found,
                          std::vector<internal::Link>* gaps, std::vector<std::uint32_t>* gap_of);
  absl::Status IssueRows(const internal::DomainRow& d, const std::vector<IdKind>& kinds,
                         const StringColumn& norms, const std::vector<std::uint8_t>& idxs,
                         const std::vector<std::uint32_t>& order, std::vector<std::uint8_t>* state,
                         std::vector<std::uint8_t>* tokens, std::size_t* created,
                         std::size_t* existing, std::vector<internal::Link>* gaps,
                         const std::vector<std::uint32_t>& gap_of, internal::ProgressStage* stage);
  // Looks up, and issues where missing, the tokens of the rows of state 0.
  // `stage` (may be null) counts the rows of the batch: it is set to the rows
  // settled after each look-up and advanced per row issued; it is not
  // finished here.
  absl::Status TokenizeNormalized(absl::string_view domain, const std::vector<IdKind>& kinds,
                                  const StringColumn& norms, std::vector<std::uint8_t>* state,
                                  std::vector<std::uint8_t>* tokens, internal::DomainRow* row,
                                  std::size_t* created, std::size_t* existing, bool in_write_txn,
                                  internal::ProgressStage* stage);
  // Decrypts the records of `tokens` in domain `d` (open transaction):
  // norms and kinds get one value per token. Under ErrorMode::kRaise the
  // first rejected token fails the call (InvalidArgument / NotFound naming
  // its row); otherwise its norm is empty, its kind kOther and
  // problems[row] (one per token, filled when not null) says why. A record
  // that fails authentication is DataLoss in every mode. `stage` (may be
  // null) is advanced per token opened.
  absl::Status OpenTokens(const internal::DomainRow& d, absl::Span<const std::string_view> tokens,
                          StringColumn* norms, std::vector<IdKind>* kinds, ErrorMode errors,
                          std::vector<TokenProblem>* problems, internal::ProgressStage* stage);
  // Re-keys every domain not on the primary version to it, inside the
  // caller's write transaction `txn` (which the caller commits); `fn` (may be
  // empty) gets one stage named `stage` counting the token records re-keyed.
  // Returns the number of domains re-keyed.
  absl::StatusOr<std::size_t> RekeyLocked(absl::string_view reason, const ProgressFn& fn,
                                          std::string_view stage, internal::Transaction* txn);
  // Checkpoints the write-ahead log into the main file and truncates it,
  // waiting at most `wait` for readers; true when it was truncated.
  absl::StatusOr<bool> TruncateWal(absl::Duration wait);
};

}  // namespace gdprkit

#endif  // GDPRKIT_SRC_VAULT_INTERNAL_VAULT_IMPL_H_
