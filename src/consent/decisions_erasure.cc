// CarryOutErasure (gdprkit/requests.h): what the library itself holds about
// a data subject, erased as an erasure decision asks; what the calling
// system must still delete, and what is kept with its reason.
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "common/text.h"
#include "gdprkit/requests.h"

namespace gdprkit {

absl::StatusOr<ErasureOutcome> CarryOutErasure(const Decision& decision, Vault* vault, IdKind kind,
                                               std::string_view identifier, ConsentLedger* ledger,
                                               std::string_view subject,
                                               std::string_view recorded_by) {
  if (decision.kind != RequestKind::kErasure) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the decision is of a request of kind ", internal::Quote(RequestKindName(decision.kind)),
        ", not of an erasure request: only an erasure decision is carried out"));
  }
  if (recorded_by.empty()) return absl::InvalidArgumentError("recorded_by: empty");
  ErasureOutcome out;
  std::vector<std::string> kept_ids;
  for (const PurposeDecision& p : decision.purposes) {
    if (p.action == RequestAction::kErase) {
      out.caller_must_delete.push_back(p);
    } else if (p.action == RequestAction::kKeep) {
      out.kept.push_back(p);
      kept_ids.push_back(internal::Quote(p.purpose));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("the decision for purpose ", internal::Quote(p.purpose), " is ",
                       internal::Quote(RequestActionName(p.action)),
                       ", which no erasure decision gives: decide the erasure with Decide()"));
    }
  }
  if (vault != nullptr) {
    if (identifier.empty()) {
      return absl::InvalidArgumentError("identifier: empty (the vault erases by identifier)");
    }
    // The vault's tokens re-identify every purpose's data: erasing them while
    // a purpose must keep its data would make the kept data unusable.
    if (!out.kept.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the decision keeps the data of ", absl::StrJoin(kept_ids, ", "),
          ": erasing the subject's tokens from the vault would leave those data without their "
          "identifier; carry out the erasure without the vault now, and erase the tokens when "
          "the kept data may be deleted"));
    }
  }
  // The ledger first: its subject is a token, which the vault erasure would
  // leave without meaning but not remove from the ledger.
  if (ledger != nullptr) {
    if (subject.empty()) {
      return absl::InvalidArgumentError("subject: empty (the ledger erases by subject)");
    }
    GDPRKIT_ASSIGN_OR_RETURN(out.consent_entries_erased,
                             ledger->EraseSubject(subject, recorded_by));
  }
  if (vault != nullptr) {
    GDPRKIT_ASSIGN_OR_RETURN(ErasureReport report,
                             vault->Erase(kind, identifier, "erasure request (GDPR Art. 17)"));
    out.vault_tokens_erased = report.tokens_erased;
  }
  return out;
}

}  // namespace gdprkit
