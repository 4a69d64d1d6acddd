// gdprkit/consent.h: a consent ledger that can prove a consent.
//
// The cluster guide asks that the doctor "skal kunne bevise" the patient's
// consent (GDPR Art. 7(1)); Practio keeps research contact "indtil du
// trækker dit samtykke tilbage". The ledger records, per data subject and
// purpose, each consent given, refused, withdrawn or expired, with what was
// shown (the notice's version and the digest of its text), how (channel),
// when, who recorded it and a reference to the evidence; it answers the state
// of many subjects at once as of any date, and gives the dates of withdrawal
// that a retention sweep reads as the "consent_withdrawn" event.
//
// Fields follow ISO/IEC TS 27560:2023 (consent record information structure)
// and the W3C Data Privacy Vocabulary's consent-status terms (dpv:ConsentGiven,
// dpv:ConsentRefused, dpv:ConsentWithdrawn, dpv:ConsentExpired; "none" is
// dpv:ConsentUnknown). docs/consent.md maps each field and says where the
// ledger departs from the standard.
//
// The store is one SQLite file (WAL; several processes may write, each write
// one transaction). Every entry is chained by BLAKE2b-256 (libsodium): an
// entry's hash covers the previous entry's hash and the entry; an entry
// edited, deleted, inserted or reordered breaks the chain, and Verify names
// the first bad entry. With a key (16-64 secret bytes kept by the host) the
// hashes are keyed and receipts are signed (Ed25519 from the key), so nobody
// without the key can rewrite the ledger or forge a receipt.
//
// Erasable although append-only: the chain covers a salted commitment to the
// subject and the evidence reference, not the texts themselves. EraseSubject
// removes a subject's texts and salts from every entry of that subject (the
// chain still verifies, the entries read as erased) and appends an erasure
// entry that names no subject; SQLite's secure_delete overwrites the freed
// bytes and the WAL is checkpointed, so the file no longer holds them.
//
// Subjects are never identifiers in clear: a subject is a vault token
// ("tk_...") or a pseudonym ("ps<version>_...") as the vault writes them;
// anything else is refused (InvalidArgument, without the value).
//
// A ConsentLedger is safe to share between threads. Open verifies the whole
// chain and keeps an index of the states; every call first reads what other
// processes appended (verified against the chain) before it answers.
#ifndef GDPRKIT_CONSENT_H_
#define GDPRKIT_CONSENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gdprkit/common.h"
#include "gdprkit/policy.h"
#include "gdprkit/retention.h"

namespace gdprkit {

// ---- Vocabulary (the core owns the names; every door prints these) --------

enum class ConsentState : std::uint8_t {
  kNone = 0,   // "none": nothing recorded (dpv:ConsentUnknown)
  kGiven,      // "given" (dpv:ConsentGiven)
  kRefused,    // "refused" (dpv:ConsentRefused)
  kWithdrawn,  // "withdrawn" (dpv:ConsentWithdrawn): by the data subject, Art. 7(3)
  kExpired,    // "expired" (dpv:ConsentExpired): past its validity, or recorded so
};
inline constexpr int kConsentStateCount = 5;

std::string_view ConsentStateName(ConsentState state);
std::vector<std::string_view> ConsentStateNames();     // "none", "given", ... in enum order
std::string_view ConsentStateDpv(ConsentState state);  // "dpv:ConsentGiven"
std::string_view ConsentStateTitle(ConsentState state, Language language = Language::kEnglish);
// InvalidArgument naming the known states (and the nearest) for an unknown name.
absl::StatusOr<ConsentState> ParseConsentState(std::string_view name);

// The digest of a notice's text as the ledger keeps it:
// "blake2b-256:" + 64 lower-case hex of BLAKE2b-256(text).
std::string NoticeDigest(std::string_view notice_text);

// ---- Records ----------------------------------------------------------------

// One consent event, as the caller reports it. Texts are UTF-8 without
// control characters; limits in brackets.
struct ConsentRecord {
  std::string subject;                        // a vault token or pseudonym (see above)
  std::string purpose;                        // a purpose of the policy that rests on consent
  ConsentState state = ConsentState::kGiven;  // given, refused, withdrawn or expired
  // When the data subject gave (refused, withdrew) it: seconds since
  // 1970-01-01T00:00:00Z, at most 9999-12-31T23:59:59Z.
  std::int64_t at = 0;
  // For "given": the last day (Europe/Copenhagen) on which it holds;
  // kNoDate: until withdrawn. Must be empty for the other states.
  DayNumber valid_until = kNoDate;
  std::string notice_version;  // the notice shown [1-128]
  std::string notice_digest;   // NoticeDigest(text of that notice)
  std::string channel;         // how it was collected: "web", "paper", "app" ... [1-64]
  std::string recorded_by;     // who recorded it (staff or system id) [1-128]
  std::string evidence;        // a reference to the evidence, or empty [0-1024]
};

// One entry of the ledger as read back.
struct ConsentEntry {
  std::int64_t seq = 0;          // 1-based position in the chain
  std::int64_t recorded_at = 0;  // when it was appended (seconds since the epoch, UTC)
  bool erasure = false;  // an erasure entry (record.subject empty; erased_entries says how many)
  std::int64_t erased_entries = 0;
  bool erased = false;   // this entry's subject and evidence were erased
  ConsentRecord record;  // subject and evidence empty when erased
  std::string hash;      // 64 hex digits
};

struct ConsentLedgerOptions {
  // Secret key for keyed hashing and signed receipts, 16-64 bytes, or empty.
  // Copied into guarded memory and wiped when the ledger is closed.
  std::string_view key;
  bool sync = true;  // fsync every write (SQLite synchronous=FULL)
};

// The result of checking a ledger (as DeletionLogVerification).
struct ConsentVerification {
  bool intact = false;
  std::int64_t entries = 0;
  std::string head;                     // hash of the last entry that verified
  std::int64_t first_broken_entry = 0;  // seq of the first bad entry; -1 when intact
  std::string problem;                  // what is wrong there; empty when intact
  std::string ledger_id;
  bool keyed = false;
};

// A consent that is withdrawn as of a date, for the sweep's event column.
struct ConsentWithdrawal {
  std::string subject;
  DayNumber withdrawn_on = kNoDate;  // the day (Europe/Copenhagen) of the withdrawal in force
};

// What VerifyConsentReceipt found.
struct ReceiptVerification {
  bool valid = false;
  bool signed_receipt = false;  // carried an Ed25519 signature, and it verified
  std::string problem;          // empty when valid
  std::string ledger_id;
  std::int64_t seq = 0;
  std::string hash;
  ConsentRecord record;
};

class ConsentLedger {
 public:
  // Creates a ledger file (mode 0600); AlreadyExists when `path` exists.
  static absl::StatusOr<std::unique_ptr<ConsentLedger>> Create(
      const std::string& path, std::shared_ptr<const Policy> policy,
      const ConsentLedgerOptions& options = {});
  // Opens and verifies a ledger. Errors: NotFound; DataLoss naming the first
  // bad entry (a damaged file reads as damage); FailedPrecondition for a
  // keyed ledger without its key or with another; InvalidArgument for a file
  // that is not a consent ledger.
  static absl::StatusOr<std::unique_ptr<ConsentLedger>> Open(
      const std::string& path, std::shared_ptr<const Policy> policy,
      const ConsentLedgerOptions& options = {});

  ~ConsentLedger();
  ConsentLedger(const ConsentLedger&) = delete;
  ConsentLedger& operator=(const ConsentLedger&) = delete;

  // Appends consent records in one transaction: all or none. Each is checked
  // first (InvalidArgument naming the record's index and field, never a
  // value; NotFound with the nearest ids for an unknown purpose;
  // FailedPrecondition for a purpose that does not rest on consent).
  // `notice_texts`, when given, are stored by digest so that the ledger can
  // show later what was shown.
  absl::StatusOr<std::vector<ConsentEntry>> Record(absl::Span<const ConsentRecord> records);
  // As Record, with the text of the notice each record showed (one per
  // record): each record's notice_digest is computed from its text (it must
  // be empty or equal), and each distinct notice is stored with the record's
  // notice_version, in the same transaction as the records.
  absl::StatusOr<std::vector<ConsentEntry>> Record(absl::Span<const ConsentRecord> records,
                                                   absl::Span<const std::string_view> notice_texts);
  // As Record, returning only how many were appended (for large batches).
  absl::StatusOr<std::int64_t> RecordCount(absl::Span<const ConsentRecord> records,
                                           absl::Span<const std::string_view> notice_texts = {});
  absl::Status StoreNotice(std::string_view notice_version, std::string_view notice_text);
  // The text of a stored notice by its digest (NotFound if never stored).
  absl::StatusOr<std::string> Notice(std::string_view notice_digest) const;

  // The state of each subject in `purpose` at `as_of` (seconds since the
  // epoch): the latest record at or before then (by `at`, ties by seq);
  // "expired" once a given consent's valid_until day has passed. Subjects
  // with no record (or erased) are kNone. Unknown or non-consent purposes
  // are errors as in Record. A malformed subject is InvalidArgument naming
  // its index.
  absl::StatusOr<std::vector<ConsentState>> States(absl::Span<const std::string_view> subjects,
                                                   std::string_view purpose,
                                                   std::int64_t as_of) const;
  // As States, at the end of day `on` in Europe/Copenhagen.
  absl::StatusOr<std::vector<ConsentState>> StatesOn(absl::Span<const std::string_view> subjects,
                                                     std::string_view purpose, DayNumber on) const;

  // The subjects whose consent to `purpose` is withdrawn at `as_of`, with the
  // day of that withdrawal, ordered by subject.
  absl::StatusOr<std::vector<ConsentWithdrawal>> Withdrawals(std::string_view purpose,
                                                             std::int64_t as_of) const;

  // Every entry of one subject (for access requests), in chain order.
  absl::StatusOr<std::vector<ConsentEntry>> EntriesOf(std::string_view subject) const;

  // Removes the subject's texts from all of its entries and appends an
  // erasure entry (naming no subject) recorded by `recorded_by`. Returns the
  // number of entries erased (0 is not an error).
  absl::StatusOr<std::int64_t> EraseSubject(std::string_view subject, std::string_view recorded_by);

  // Verifies the whole chain now (a break is a result, not an error).
  absl::StatusOr<ConsentVerification> Verify(std::string_view expected_head = {}) const;

  // A receipt for one entry (JSON text): its fields, the previous hash and
  // its own, the ledger id; signed (Ed25519, key derived from the ledger
  // key) when the ledger is keyed. NotFound for an unknown seq;
  // FailedPrecondition for an erased entry.
  absl::StatusOr<std::string> ExportReceipt(std::int64_t seq) const;
  // Checks a receipt against this ledger: valid on its own and the entry
  // at its seq has its hash.
  absl::StatusOr<ReceiptVerification> VerifyReceipt(std::string_view receipt) const;
  // The public key receipts are signed with (64 hex), empty for a plain ledger.
  std::string ReceiptPublicKey() const;

  const std::string& path() const;
  const std::string& ledger_id() const;
  std::int64_t entries() const;
  std::string head() const;

  struct Impl;

 private:
  explicit ConsentLedger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Checks a receipt on its own: well formed, its hash recomputes from its
// fields (plain ledgers), its signature verifies (keyed ledgers; with
// `public_key` (64 hex) given, it must be that key). A malformed receipt is a
// result with a problem, not an error; InvalidArgument only for a malformed
// public_key.
absl::StatusOr<ReceiptVerification> VerifyConsentReceipt(std::string_view receipt,
                                                         std::string_view public_key = {});

}  // namespace gdprkit

#endif  // GDPRKIT_CONSENT_H_
