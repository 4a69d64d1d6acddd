// A hash-chained, append-only SQLite store whose personal fields can be
// erased while the chain still verifies: the store behind the consent ledger
// (gdprkit/consent.h) and the request register (gdprkit/requests.h).
//
// File: one SQLite database (mode 0600, WAL, busy timeout, secure_delete,
// synchronous FULL when `sync`), with the kind's application id in its header.
//   meta(name TEXT PRIMARY KEY, value TEXT)   magic, format ("1"), store_id
//       (32 random hex), mode ("plain" | "keyed:<key id, 16 hex>"), the
//       kind's extra values (e.g. a receipt public key), header_hash
//   entries(seq INTEGER PRIMARY KEY, recorded_at INTEGER, kind TEXT,
//       body TEXT, subject TEXT NULL, secret TEXT NULL, salt BLOB NULL,
//       commit_ BLOB, hash TEXT)   with an index on subject
//   plus the kind's own tables (ChainStoreKind::extra_schema), outside the chain.
//
// `body` holds an entry's public fields as the caller writes them; `subject`
// and `secret` (an evidence reference, a note) are the erasable ones. The
// chain covers a commitment to them, not the texts:
//   commit = BLAKE2b-256(key = salt (16 random bytes),
//                        "gdprkit chain commit v1" || u64le(|subject|) ||
//                        subject || u64le(|secret|) || secret)
// An entry without personal fields has no salt and commit =
// BLAKE2b-256("gdprkit chain commit v1 none"). Erasing sets subject, secret
// and salt to NULL: the commit stays, the chain verifies, and without the
// salt the commit no longer links to the subject.
//   h0 = BLAKE2b-256([key], header) where header = the meta values (all but
//        header_hash) as "name=value\n" sorted by name
//   hk = BLAKE2b-256([key], h(k-1) || u64le(seq) || i64le(recorded_at) ||
//        u64le(|kind|) || kind || u64le(|body|) || body || commit)
// The key id is the first 8 bytes of BLAKE2b(key, "gdprkit <noun> key id
// v1"), which tells "wrong key" from "tampered" (as common/hash_chain.h).
//
// Verification reads every entry in seq order: a gap (deleted entry), a seq
// out of place, an edited field, an edited subject or secret (the commit is
// recomputed when the salt is there), a subject without its salt and meta
// edited all break the chain at the first bad entry; with an expected head,
// entries removed from the end are found too. A damaged or truncated SQLite
// file reads as DataLoss ("the consent ledger <path> is damaged: ..."); a
// wrong key is FailedPrecondition.
//
// Writers run in BEGIN IMMEDIATE transactions and first catch up with what
// other processes appended (verified from the head they know: DataLoss when
// the stored chain no longer extends it). A ChainStore is internally
// synchronized (one connection under a mutex).
#ifndef GDPRKIT_SRC_CONSENT_INTERNAL_CHAIN_STORE_H_
#define GDPRKIT_SRC_CONSENT_INTERNAL_CHAIN_STORE_H_

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace gdprkit::internal {

inline constexpr std::size_t kStoreHashBytes = 32;
inline constexpr std::size_t kStoreSaltBytes = 16;

// The SQLite application ids of the two kinds this area writes ("gdkc",
// "gdkq"); a file of one is named as such when opened as the other.
inline constexpr std::uint32_t kConsentLedgerApplicationId = 0x67646b63;
inline constexpr std::uint32_t kRequestRegisterApplicationId = 0x67646b71;

// A kind of store.
struct ChainStoreKind {
  std::string_view magic;            // "gdprkit-consent-ledger"
  std::string_view noun;             // "consent ledger" (messages, key id)
  std::uint32_t application_id = 0;  // SQLite header application id
  // SQL run once when the file is created (the kind's own tables), or "".
  std::string_view extra_schema;
};

// An entry to append.
struct StoreEntryIn {
  std::string kind;              // the entry's kind ("consent", "erasure"), [1-32] ASCII
  std::string body;              // public fields as the caller writes them (no NUL)
  std::string subject;           // erasable; "" = none
  std::string secret;            // erasable; "" = none
  std::int64_t recorded_at = 0;  // 0: now
};

// An entry as read back (verified).
struct StoreEntry {
  std::int64_t seq = 0;
  std::int64_t recorded_at = 0;
  std::string kind;
  std::string body;
  std::string subject;    // "" when none or erased
  std::string secret;     // "" when none or erased
  bool personal = false;  // had personal fields (subject or secret) when written
  bool erased = false;    // had them and they were erased
  std::string salt;       // the commitment's salt (16 bytes), "" when none or erased
  std::string prev_hash;  // 64 hex: the hash before this entry
  std::string hash;       // 64 hex
};

// Checks the caller's fields of an entry whose hash verified: "" when well
// formed, else what is wrong (which breaks the chain there). May be empty.
using StoreCheck = std::function<std::string(const StoreEntry&)>;
// Sees each verified entry (Open, catch-up), in seq order.
using StoreSink = std::function<void(const StoreEntry&)>;

struct ChainStoreOptions {
  std::string_view key;  // 16-64 bytes or empty; copied into guarded memory
  bool sync = true;
  int busy_timeout_ms = 10000;
  StoreCheck check;
  // Create only: further meta values covered by the header hash.
  std::vector<std::pair<std::string, std::string>> extra_meta;
};

struct ChainStoreVerification {
  bool intact = false;
  std::int64_t entries = 0;             // entries that verified
  std::string head;                     // hash of the last entry that verified (or h0)
  std::int64_t first_broken_entry = 0;  // -1 when intact
  std::string problem;
  std::string store_id;
  bool keyed = false;
};

// What a write did.
struct StoreAppendResult {
  std::vector<StoreEntry> entries;  // the entries appended
  std::int64_t erased = 0;          // entries whose personal fields were erased
};

class ChainStore {
 public:
  // Creates the file (AlreadyExists when it exists) and returns it open.
  static absl::StatusOr<std::unique_ptr<ChainStore>> Create(const std::string& path,
                                                            const ChainStoreKind& kind,
                                                            ChainStoreOptions options);
  // Opens and verifies the whole chain; `sink` (may be empty) sees each entry.
  // DataLoss naming the first bad entry; FailedPrecondition for a missing or
  // wrong key; InvalidArgument for a file of another kind.
  static absl::StatusOr<std::unique_ptr<ChainStore>> Open(const std::string& path,
                                                          const ChainStoreKind& kind,
                                                          ChainStoreOptions options,
                                                          const StoreSink& sink);
  ~ChainStore();
  ChainStore(const ChainStore&) = delete;
  ChainStore& operator=(const ChainStore&) = delete;

  // Work the caller does inside a write transaction, on the connection, after
  // the catch-up and before the entries are written (e.g. a notice stored).
  using TxnHook = std::function<absl::Status(sqlite3*)>;

  // In one BEGIN IMMEDIATE transaction: catches up (`sink` sees what other
  // processes appended), erases `erase_subject`'s personal fields when not
  // empty, runs `hook`, appends `batch` (may be empty), commits. All or none.
  // After an erasure the WAL is checkpointed (TRUNCATE).
  absl::StatusOr<StoreAppendResult> Append(absl::Span<const StoreEntryIn> batch,
                                           const StoreSink& sink,
                                           std::string_view erase_subject = {},
                                           const TxnHook& hook = {});

  // As Append, with the entries made inside the transaction, after the
  // catch-up and the erasure (`erased`: how many entries were erased), e.g.
  // an erasure entry that says how many.
  using BatchMaker =
      std::function<absl::StatusOr<std::vector<StoreEntryIn>>(sqlite3*, std::int64_t erased)>;
  absl::StatusOr<StoreAppendResult> AppendMade(const BatchMaker& make, const StoreSink& sink,
                                               std::string_view erase_subject = {});

  // Reads what other processes appended since (verified); `sink` sees each.
  // Returns true when an entry was erased since the last look, i.e. the
  // caller's view of subjects may be stale (another process erased): the
  // caller then rebuilds with ForEach.
  absl::StatusOr<bool> CatchUp(const StoreSink& sink);

  // Every entry again, verified (rebuilds an index).
  absl::Status ForEach(const StoreSink& sink);

  // One entry (its row and its predecessor's hash are checked): NotFound for
  // an unknown seq; DataLoss when it does not verify.
  absl::StatusOr<StoreEntry> Get(std::int64_t seq);
  // The entries of a subject, in seq order, each checked as Get.
  absl::StatusOr<std::vector<StoreEntry>> EntriesOf(std::string_view subject);

  // Runs `read` on the connection inside a read transaction (the kind's tables).
  absl::Status Read(const TxnHook& read);

  // Verifies the whole file now (a break is a result). `expected_head` (64
  // hex), if given, must be the hash of an entry or h0.
  absl::StatusOr<ChainStoreVerification> Verify(std::string_view expected_head = {});

  const std::string& path() const { return path_; }
  const std::string& store_id() const { return store_id_; }
  bool keyed() const { return guarded_key_ != nullptr; }
  std::int64_t entries() const;
  std::string head() const;
  // A meta value (extra_meta given at Create), "" when absent.
  std::string Meta(std::string_view name) const;
  // The key (guarded), for derived keys (receipt signing); empty when plain.
  std::string_view key() const;

  struct Impl;

 private:
  ChainStore() = default;
  std::string path_;
  std::string store_id_;
  unsigned char* guarded_key_ = nullptr;
  std::size_t key_size_ = 0;
  std::unique_ptr<Impl> impl_;
};

// The commitment and the entry hash as the store computes them (receipts
// recompute them on their own). `key` empty for a plain store.
void StoreCommit(const unsigned char salt[kStoreSaltBytes], std::string_view subject,
                 std::string_view secret, unsigned char out[kStoreHashBytes]);
void StoreEntryHash(std::string_view key, const unsigned char prev[kStoreHashBytes],
                    std::int64_t seq, std::int64_t recorded_at, std::string_view kind,
                    std::string_view body, const unsigned char commit[kStoreHashBytes],
                    unsigned char out[kStoreHashBytes]);

// 64 lower-case hex of 32 bytes, and back.
std::string StoreHex(const unsigned char* bytes, std::size_t n);
bool StoreFromHex(std::string_view hex, unsigned char* out, std::size_t n);

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_CONSENT_INTERNAL_CHAIN_STORE_H_
