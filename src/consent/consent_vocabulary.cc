// The names of the consent vocabulary (common/vocabulary.h): written here and nowhere else.
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/vocabulary.h"
#include "gdprkit/consent.h"

namespace gdprkit {
namespace {

using internal::Named;
using internal::Titled;
using internal::TitleOf;

constexpr Named<ConsentState> kConsentStates[] = {
    {ConsentState::kNone, "none"},       {ConsentState::kGiven, "given"},
    {ConsentState::kRefused, "refused"}, {ConsentState::kWithdrawn, "withdrawn"},
    {ConsentState::kExpired, "expired"},
};

// The W3C Data Privacy Vocabulary's consent-status terms.
constexpr Named<ConsentState> kConsentStateDpv[] = {
    {ConsentState::kNone, "dpv:ConsentUnknown"},
    {ConsentState::kGiven, "dpv:ConsentGiven"},
    {ConsentState::kRefused, "dpv:ConsentRefused"},
    {ConsentState::kWithdrawn, "dpv:ConsentWithdrawn"},
    {ConsentState::kExpired, "dpv:ConsentExpired"},
};

constexpr Titled<ConsentState> kConsentStateTitles[] = {
    {ConsentState::kNone, "no consent recorded", "intet samtykke registreret"},
    {ConsentState::kGiven, "consent given", "samtykke givet"},
    {ConsentState::kRefused, "consent refused", "samtykke afslået"},
    {ConsentState::kWithdrawn, "consent withdrawn", "samtykke trukket tilbage"},
    {ConsentState::kExpired, "consent expired", "samtykke udløbet"},
};

}  // namespace

GDPRKIT_DEFINE_NAMES(ConsentState, ConsentState, kConsentStates, "consent state")

std::string_view ConsentStateDpv(ConsentState state) {
  return internal::NameOf<ConsentState>(kConsentStateDpv, state);
}

std::string_view ConsentStateTitle(ConsentState state, Language language) {
  return TitleOf<ConsentState>(kConsentStateTitles, state, language);
}

}  // namespace gdprkit
