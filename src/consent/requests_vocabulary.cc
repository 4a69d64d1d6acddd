// The names and titles of the requests vocabulary (common/vocabulary.h):
// written here and nowhere else; every door parses and prints these.
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/vocabulary.h"
#include "gdprkit/requests.h"

namespace gdprkit {
namespace {

using internal::Named;
using internal::Titled;
using internal::TitleOf;

constexpr Named<RequestKind> kRequestKinds[] = {
    {RequestKind::kAccess, "access"},           {RequestKind::kRectification, "rectification"},
    {RequestKind::kErasure, "erasure"},         {RequestKind::kRestriction, "restriction"},
    {RequestKind::kPortability, "portability"}, {RequestKind::kObjection, "objection"},
    {RequestKind::kWithdrawal, "withdrawal"},
};
static_assert(sizeof(kRequestKinds) / sizeof(kRequestKinds[0]) == kRequestKindCount);

constexpr Titled<RequestKind> kRequestKindTitles[] = {
    {RequestKind::kAccess, "Access request (Art. 15)", "Anmodning om indsigt (art. 15)"},
    {RequestKind::kRectification, "Rectification request (Art. 16)",
     "Anmodning om berigtigelse (art. 16)"},
    {RequestKind::kErasure, "Erasure request (Art. 17)", "Anmodning om sletning (art. 17)"},
    {RequestKind::kRestriction, "Restriction request (Art. 18)",
     "Anmodning om begrænsning af behandling (art. 18)"},
    {RequestKind::kPortability, "Portability request (Art. 20)",
     "Anmodning om dataportabilitet (art. 20)"},
    {RequestKind::kObjection, "Objection (Art. 21)", "Indsigelse (art. 21)"},
    {RequestKind::kWithdrawal, "Withdrawal of consent (Art. 7(3))",
     "Tilbagetrækning af samtykke (art. 7, stk. 3)"},
};

constexpr Named<RequestStatus> kRequestStatuses[] = {
    {RequestStatus::kOpen, "open"},
    {RequestStatus::kAnswered, "answered"},
    {RequestStatus::kRefused, "refused"},
    {RequestStatus::kCancelled, "cancelled"},
};

constexpr Titled<RequestStatus> kRequestStatusTitles[] = {
    {RequestStatus::kOpen, "Open: received, not yet answered", "Åben: modtaget, ikke besvaret"},
    {RequestStatus::kAnswered, "Answered", "Besvaret"},
    {RequestStatus::kRefused, "Refused, with the reason", "Afvist med begrundelse"},
    {RequestStatus::kCancelled, "Cancelled by the data subject",
     "Trukket tilbage af den registrerede"},
};

constexpr Named<IdentityCheck> kIdentityChecks[] = {
    {IdentityCheck::kNotChecked, "not_checked"},
    {IdentityCheck::kVerified, "verified"},
    {IdentityCheck::kFailed, "failed"},
};

constexpr Named<RequestAction> kRequestActions[] = {
    {RequestAction::kErase, "erase"},     {RequestAction::kKeep, "keep"},
    {RequestAction::kProvide, "provide"}, {RequestAction::kExport, "export"},
    {RequestAction::kRectify, "rectify"}, {RequestAction::kRestrict, "restrict"},
    {RequestAction::kStop, "stop"},       {RequestAction::kNotApplicable, "not_applicable"},
};

constexpr Titled<RequestAction> kRequestActionTitles[] = {
    {RequestAction::kErase, "Erase the data of this purpose",
     "Slet oplysningerne til dette formål"},
    {RequestAction::kKeep, "Keep: erasure is excluded or postponed",
     "Opbevar: sletning er udelukket eller udskudt"},
    {RequestAction::kProvide, "Provide a copy", "Udlever en kopi"},
    {RequestAction::kExport, "Export in a portable format", "Udlever i et maskinlæsbart format"},
    {RequestAction::kRectify, "Rectify", "Berigtig"},
    {RequestAction::kRestrict, "Restrict processing", "Begræns behandlingen"},
    {RequestAction::kStop, "Stop processing for this purpose",
     "Stop behandlingen til dette formål"},
    {RequestAction::kNotApplicable, "The right does not apply", "Retten gælder ikke"},
};

}  // namespace

GDPRKIT_DEFINE_NAMES(RequestKind, RequestKind, kRequestKinds, "request kind")
GDPRKIT_DEFINE_NAMES(RequestStatus, RequestStatus, kRequestStatuses, "request status")
GDPRKIT_DEFINE_NAMES(IdentityCheck, IdentityCheck, kIdentityChecks, "identity check")
GDPRKIT_DEFINE_NAMES(RequestAction, RequestAction, kRequestActions, "request action")

std::string_view RequestKindTitle(RequestKind kind, Language language) {
  return TitleOf<RequestKind>(kRequestKindTitles, kind, language);
}

std::string_view RequestStatusTitle(RequestStatus status, Language language) {
  return TitleOf<RequestStatus>(kRequestStatusTitles, status, language);
}

std::string_view RequestActionTitle(RequestAction action, Language language) {
  return TitleOf<RequestAction>(kRequestActionTitles, action, language);
}

Right RequestKindRight(RequestKind kind) {
  switch (kind) {
    case RequestKind::kAccess:
      return Right::kAccess;
    case RequestKind::kRectification:
      return Right::kRectification;
    case RequestKind::kErasure:
      return Right::kErasure;
    case RequestKind::kRestriction:
      return Right::kRestriction;
    case RequestKind::kPortability:
      return Right::kPortability;
    case RequestKind::kObjection:
      return Right::kObjection;
    case RequestKind::kWithdrawal:
      return Right::kWithdrawConsent;
  }
  return Right::kAccess;
}

}  // namespace gdprkit
