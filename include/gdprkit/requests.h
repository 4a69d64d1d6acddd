// gdprkit/requests.h: data subjects' requests answered on time, and what
// each request means for each purpose.
//
// All five source documents promise the rights of Art. 15-22 and the
// withdrawal of consent (Art. 7(3)). Art. 12(3): the controller answers
// "without undue delay and in any event within one month of receipt"; the
// period "may be extended by two further months where necessary", and the
// data subject is told of the extension, with its reasons, within the first
// month. A period of months ends on the same day number of the last month,
// or on that month's last day where that day does not exist (the project's
// month-end rule, as Regulation 1182/71 Art. 3(2)(c)): received 2026-01-31
// is due 2026-02-28, or 2026-04-30 when extended (three months from receipt).
//
// The RequestRegister keeps each request (kind, subject, received date,
// identity check, extension with its reason, the outcome) in an SQLite file
// whose every state change is an entry of a hash chain, as the consent
// ledger's (gdprkit/consent.h): Verify names the first bad entry, a subject's
// texts can be erased while the chain still verifies. Overdue() lists the
// open requests past their deadline.
//
// Decide() says, for a request and the purposes the subject's data serve,
// what must be done per purpose and why, from Policy::Rights (Art. 17(3)
// exceptions, the purpose's bases), the retention rules (a minimum such as
// the 10 years of a patient record: kept until then) and legal holds.
// CarryOutErasure() does what the library itself holds (Vault::Erase across
// domains, the subject's consent entries erased) and returns what the
// calling system must still delete. AccessReport() gathers what the library
// holds about a subject as portable JSON.
#ifndef GDPRKIT_REQUESTS_H_
#define GDPRKIT_REQUESTS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gdprkit/basis.h"
#include "gdprkit/common.h"
#include "gdprkit/consent.h"
#include "gdprkit/policy.h"
#include "gdprkit/retention.h"
#include "gdprkit/vault.h"

namespace gdprkit {

// ---- Vocabulary ---------------------------------------------------------------

enum class RequestKind : std::uint8_t {
  kAccess = 0,     // "access" (Art. 15)
  kRectification,  // "rectification" (Art. 16)
  kErasure,        // "erasure" (Art. 17)
  kRestriction,    // "restriction" (Art. 18)
  kPortability,    // "portability" (Art. 20)
  kObjection,      // "objection" (Art. 21)
  kWithdrawal,     // "withdrawal" (Art. 7(3))
};
inline constexpr int kRequestKindCount = 7;
// For each enum: ...Name (total: a value outside the enum prints as
// "unknown"), Parse... (InvalidArgument naming the valid names and the
// nearest) and ...Names (in the order of the values); titles in English and
// Danish for people.
std::string_view RequestKindName(RequestKind kind);
std::vector<std::string_view> RequestKindNames();
// The right a request of this kind exercises (kWithdrawal: Right::kWithdrawConsent).
Right RequestKindRight(RequestKind kind);
std::string_view RequestKindTitle(RequestKind kind, Language language = Language::kEnglish);
absl::StatusOr<RequestKind> ParseRequestKind(std::string_view name);

enum class RequestStatus : std::uint8_t {
  kOpen = 0,   // "open": received, not yet answered
  kAnswered,   // "answered": done (the decision carried out and the subject told)
  kRefused,    // "refused": refused with a reason (Art. 12(5), 17(3), identity not verified)
  kCancelled,  // "cancelled": withdrawn by the data subject
};
std::string_view RequestStatusName(RequestStatus status);
std::vector<std::string_view> RequestStatusNames();
std::string_view RequestStatusTitle(RequestStatus status, Language language = Language::kEnglish);
absl::StatusOr<RequestStatus> ParseRequestStatus(std::string_view name);

enum class IdentityCheck : std::uint8_t {
  kNotChecked = 0,  // "not_checked"
  kVerified,        // "verified"
  kFailed,          // "failed"
};
std::string_view IdentityCheckName(IdentityCheck check);
std::vector<std::string_view> IdentityCheckNames();
absl::StatusOr<IdentityCheck> ParseIdentityCheck(std::string_view name);

// What a decision asks for one purpose.
enum class RequestAction : std::uint8_t {
  kErase = 0,      // "erase": delete the subject's data of this purpose
  kKeep,           // "keep": must or may be kept (reason says why; keep_until when known)
  kProvide,        // "provide": give a copy (access)
  kExport,         // "export": give in a portable form (portability)
  kRectify,        // "rectify": correct (keeping the history where the law asks)
  kRestrict,       // "restrict": mark, process only as Art. 18(2) allows
  kStop,           // "stop": stop processing for this purpose (objection, withdrawal)
  kNotApplicable,  // "not_applicable": the right does not apply here (reason says why)
};
std::string_view RequestActionName(RequestAction action);
std::vector<std::string_view> RequestActionNames();
std::string_view RequestActionTitle(RequestAction action, Language language = Language::kEnglish);
absl::StatusOr<RequestAction> ParseRequestAction(std::string_view name);

// ---- Deadlines ------------------------------------------------------------------

// The day by which a request received on `received` must be answered:
// one month later, or three months later when extended (Art. 12(3)), by
// the month-end rule (AddPeriod). kNoDate for kNoDate (and for a day that
// is no valid date).
//
// Why three months from receipt and not two from the first deadline: Art.
// 12(3) extends "the period" of one month "by two further months", i.e. the
// one period counted from receipt becomes three months long. Counting +2
// from the first deadline gives another answer at month ends: received
// 2026-01-31 is first due 2026-02-28, and 2026-02-28 + 2 months is
// 2026-04-28, while receipt + 3 months is 2026-04-30; the latter follows
// the text (and Regulation 1182/71 Art. 3(2)(c)) and never shortens the
// period.
DayNumber RequestDeadline(DayNumber received, bool extended = false);

// ---- The register ---------------------------------------------------------------

// A request as received.
struct NewRequest {
  std::string id;  // the caller's reference [1-128], or empty: the register assigns "rq_..."
  RequestKind kind = RequestKind::kAccess;
  std::string subject;                // a vault token or pseudonym (as in the consent ledger)
  std::vector<std::string> purposes;  // purposes named by the request; empty: all of the subject's
  DayNumber received = kNoDate;       // the day it reached the controller
  std::string channel;                // "letter", "email", "web", ... [1-64]
  std::string recorded_by;            // [1-128]
};

// A request as it stands.
struct Request {
  std::string id;
  RequestKind kind = RequestKind::kAccess;
  std::string subject;  // empty once erased
  std::vector<std::string> purposes;
  DayNumber received = kNoDate;
  DayNumber due = kNoDate;  // RequestDeadline(received, extended)
  bool extended = false;
  std::string extension_reason;
  IdentityCheck identity = IdentityCheck::kNotChecked;
  std::string identity_method;  // how it was checked ("MitID", "in person", ...)
  RequestStatus status = RequestStatus::kOpen;
  DayNumber closed_on = kNoDate;
  std::string outcome;  // the answer's summary or the refusal's reason
  std::string channel;
};

// One state change of the trail.
struct RequestEvent {
  std::int64_t seq = 0;
  std::int64_t recorded_at = 0;  // seconds since the epoch, UTC
  std::string request_id;
  std::string event;  // "received", "identity_verified", "identity_failed", "extended",
                      // "answered", "refused", "cancelled", "erased"
  DayNumber on = kNoDate;
  std::string detail;  // the reason, method or outcome, as recorded
  std::string recorded_by;
  std::string hash;  // 64 hex digits
};

// The register's options are the ledger's: a key (16-64 bytes) for keyed
// hashing, or none; fsync on every write.
using RequestRegisterOptions = ConsentLedgerOptions;

class RequestRegister {
 public:
  static absl::StatusOr<std::unique_ptr<RequestRegister>> Create(
      const std::string& path, std::shared_ptr<const Policy> policy,
      const RequestRegisterOptions& options = {});
  static absl::StatusOr<std::unique_ptr<RequestRegister>> Open(
      const std::string& path, std::shared_ptr<const Policy> policy,
      const RequestRegisterOptions& options = {});
  ~RequestRegister();
  RequestRegister(const RequestRegister&) = delete;
  RequestRegister& operator=(const RequestRegister&) = delete;

  // Records a request. AlreadyExists for a used id; InvalidArgument naming
  // the field; NotFound (nearest ids) for an unknown purpose.
  absl::StatusOr<Request> Receive(const NewRequest& request);
  absl::StatusOr<Request> CheckIdentity(std::string_view id, bool verified, std::string_view method,
                                        DayNumber on, std::string_view recorded_by);
  // Once, with a reason, no later than the first deadline
  // (FailedPrecondition otherwise, saying which).
  absl::StatusOr<Request> Extend(std::string_view id, std::string_view reason, DayNumber on,
                                 std::string_view recorded_by);
  // Closes an open request as answered, refused or cancelled, with the
  // outcome or reason (required for refused). FailedPrecondition when closed.
  absl::StatusOr<Request> Close(std::string_view id, RequestStatus status, std::string_view outcome,
                                DayNumber on, std::string_view recorded_by);

  absl::StatusOr<Request> Get(std::string_view id) const;  // NotFound (nearest ids)
  absl::StatusOr<std::vector<Request>> List() const;       // by received, then id
  // Open requests whose deadline is before `on`, most overdue first.
  absl::StatusOr<std::vector<Request>> Overdue(DayNumber on) const;
  absl::StatusOr<std::vector<RequestEvent>> Trail(std::string_view id = {}) const;

  // Erases the subject's texts from the register (the chain still verifies);
  // returns the number of entries erased.
  absl::StatusOr<std::int64_t> EraseSubject(std::string_view subject, std::string_view recorded_by);
  absl::StatusOr<ConsentVerification> Verify(std::string_view expected_head = {}) const;

  const std::string& path() const;
  const std::string& register_id() const;

  struct Impl;

 private:
  explicit RequestRegister(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---- Decisions ------------------------------------------------------------------

// A purpose the subject's data serve, with what the retention rules need.
struct SubjectPurpose {
  std::string purpose;
  // The record's dates by name, as gdprkit::Sweep reads them: "start" (the
  // record's date) and events ("consent_withdrawn", "last_contact", ...).
  std::vector<std::pair<std::string, DayNumber>> dates;
  bool on_hold = false;  // a legal hold covers it
};

struct PurposeDecision {
  std::string purpose;
  RequestAction action = RequestAction::kNotApplicable;
  Right right = Right::kAccess;
  std::string reason;              // the legal reasoning, with the article
  DayNumber keep_until = kNoDate;  // kKeep: the first day it may be deleted, when known
  std::string retention_rule;      // the rule that decided keep_until, if any
};

struct Decision {
  RequestKind kind = RequestKind::kAccess;
  DayNumber on = kNoDate;
  std::vector<PurposeDecision> purposes;  // in the order given
};

// Errors: NotFound (nearest ids) for an unknown purpose; InvalidArgument for
// a bad date name.
absl::StatusOr<Decision> Decide(const Policy& policy, RequestKind kind,
                                absl::Span<const SubjectPurpose> purposes, DayNumber on);

// What CarryOutErasure did and left to the caller.
struct ErasureOutcome {
  std::uint64_t vault_tokens_erased = 0;
  std::int64_t consent_entries_erased = 0;
  std::vector<PurposeDecision> caller_must_delete;  // kErase purposes: the calling system deletes
  std::vector<PurposeDecision> kept;                // kKeep purposes, with their reasons
};

// Carries out an erasure decision for what the library holds: the
// identifier's tokens erased from the vault (when given), the subject's
// consent entries erased from the ledger (when given). FailedPrecondition
// for a decision that is not of an erasure request.
absl::StatusOr<ErasureOutcome> CarryOutErasure(const Decision& decision, Vault* vault, IdKind kind,
                                               std::string_view identifier, ConsentLedger* ledger,
                                               std::string_view subject,
                                               std::string_view recorded_by);

// What the library holds about a subject, as JSON (Art. 15, 20): consent
// entries (with the notices' versions), requests and their trails.
absl::StatusOr<std::string> AccessReport(std::string_view subject, const ConsentLedger* ledger,
                                         const RequestRegister* requests);

}  // namespace gdprkit

#endif  // GDPRKIT_REQUESTS_H_
