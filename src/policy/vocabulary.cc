// The policy area's names: one table per enum of gdprkit/basis.h and
// gdprkit/policy.h (the only place each name is written), and the lookups of
// built-in codes that answer with a status. Every door prints and parses
// through these.
//
// A table row is {value, name}; a later column (a Danish title, issue #11)
// goes into internal::Named, not into a second table.
#include "common/vocabulary.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/sv.h"
#include "common/text.h"
#include "gdprkit/basis.h"
#include "gdprkit/policy.h"

namespace gdprkit {
namespace {

using internal::Named;

constexpr Named<BasisKind> kBasisKindNames[] = {
    {BasisKind::kArt6, "art6"},           {BasisKind::kArt9, "art9"},
    {BasisKind::kArt10, "art10"},         {BasisKind::kNational, "national"},
    {BasisKind::kReference, "reference"},
};

// In the order of the bits.
constexpr Named<BasisEffect> kBasisEffectNames[] = {
    {kEffectLawful, "lawful"},
    {kEffectSpecialCondition, "special_condition"},
    {kEffectCriminal, "criminal"},
    {kEffectNationalId, "national_id"},
    {kEffectConsent, "consent"},
    {kEffectContract, "contract"},
    {kEffectLegalObligation, "legal_obligation"},
    {kEffectPublicTask, "public_task"},
    {kEffectLegitimateInterest, "legitimate_interest"},
    {kEffectVitalInterest, "vital_interest"},
    {kEffectPublicHealth, "public_health"},
    {kEffectArchiving, "archiving"},
    {kEffectLegalClaims, "legal_claims"},
    {kEffectSafeguard, "safeguard"},
};

constexpr Named<CategoryFlag> kCategoryFlagNames[] = {
    {kCategorySpecial, "special"},
    {kCategoryCriminal, "criminal"},
    {kCategoryNationalId, "national_id"},
};

constexpr Named<PolicyFormat> kPolicyFormatNames[] = {
    {PolicyFormat::kAuto, "auto"},
    {PolicyFormat::kTextProto, "textproto"},
    {PolicyFormat::kJson, "json"},
};
constexpr Named<PolicyFormat> kPolicyFormatAliases[] = {
    {PolicyFormat::kTextProto, "text"},
    {PolicyFormat::kTextProto, "txtpb"},
    {PolicyFormat::kTextProto, "pbtxt"},
};

constexpr Named<RecipientKind> kRecipientKindNames[] = {
    {RecipientKind::kUnspecified, "unspecified"},
    {RecipientKind::kController, "controller"},
    {RecipientKind::kProcessor, "processor"},
    {RecipientKind::kPublicAuthority, "public_authority"},
    {RecipientKind::kPublic, "public"},
};

constexpr Named<ErasureException> kErasureExceptionNames[] = {
    {ErasureException::kUnspecified, "unspecified"},
    {ErasureException::kFreedomOfExpression, "freedom_of_expression"},
    {ErasureException::kLegalObligationOrPublicTask, "legal_obligation_or_public_task"},
    {ErasureException::kPublicHealth, "public_health"},
    {ErasureException::kArchivingResearchStatistics, "archiving_research_statistics"},
    {ErasureException::kLegalClaims, "legal_claims"},
};

constexpr Named<ControllerRole> kControllerRoleNames[] = {
    {ControllerRole::kController, "controller"},
    {ControllerRole::kProcessor, "processor"},
    {ControllerRole::kNotController, "not_controller"},
};

constexpr Named<Severity> kSeverityNames[] = {
    {Severity::kInfo, "info"},
    {Severity::kWarning, "warning"},
    {Severity::kError, "error"},
};

// The codes of the built-in legal bases and rights, for "did you mean".
std::vector<std::string_view> BuiltinBasisCodes() {
  std::vector<std::string_view> codes;
  for (const LegalBasisInfo& b : kLegalBases) codes.push_back(b.code);
  return codes;
}

// NotFound `<what> "wanted" in policy <source><note>; did you mean ...?`.
absl::Status NotInPolicy(std::string_view what, std::string_view wanted, const Policy& policy,
                         const std::vector<std::string_view>& candidates,
                         std::string_view note = {}) {
  return absl::NotFoundError(absl::StrCat(
      internal::AV(what), " ", internal::Quote(wanted), " in policy ", policy.source_name(),
      internal::AV(note), internal::DidYouMean(wanted, absl::MakeConstSpan(candidates))));
}

}  // namespace

// ---- gdprkit/basis.h ----------------------------------------------------------

GDPRKIT_DEFINE_NAMES(BasisKind, BasisKind, kBasisKindNames, "legal-basis kind")

GDPRKIT_DEFINE_NAMES(BasisEffect, BasisEffect, kBasisEffectNames, "legal-basis effect")
std::vector<std::string_view> BasisEffectNamesOf(std::uint32_t effects) {
  std::vector<std::string_view> out;
  for (const Named<BasisEffect>& e : kBasisEffectNames) {
    if (effects & e.value) out.push_back(e.name);
  }
  return out;
}

GDPRKIT_DEFINE_NAMES(CategoryFlag, CategoryFlag, kCategoryFlagNames, "data-category marking")

absl::StatusOr<const LegalBasisInfo*> GetLegalBasis(std::string_view code) {
  if (const LegalBasisInfo* b = FindLegalBasis(code)) return b;
  return absl::NotFoundError(
      absl::StrCat("unknown legal-basis code ", internal::Quote(code),
                   internal::DidYouMean(code, absl::MakeConstSpan(BuiltinBasisCodes()))));
}

absl::StatusOr<const RightInfo*> GetRight(std::string_view code) {
  if (const RightInfo* r = FindRight(code)) return r;
  std::vector<std::string_view> codes;
  for (const RightInfo& r : kRights) codes.push_back(r.code);
  return absl::NotFoundError(absl::StrCat("unknown right code ", internal::Quote(code),
                                          internal::DidYouMean(code, absl::MakeConstSpan(codes))));
}

// ---- gdprkit/policy.h ---------------------------------------------------------

GDPRKIT_DEFINE_NAMES_WITH_ALIASES(PolicyFormat, PolicyFormat, kPolicyFormatNames,
                                  kPolicyFormatAliases, "policy format")

GDPRKIT_DEFINE_NAMES(RecipientKind, RecipientKind, kRecipientKindNames, "recipient kind")

GDPRKIT_DEFINE_NAMES(ErasureException, ErasureException, kErasureExceptionNames,
                     "erasure exception")

GDPRKIT_DEFINE_NAMES(ControllerRole, ControllerRole, kControllerRoleNames, "controller role")

GDPRKIT_DEFINE_NAMES(Severity, Severity, kSeverityNames, "finding severity")

// ---- Lookups in a policy --------------------------------------------------------

absl::StatusOr<const Purpose*> Policy::GetPurpose(std::string_view id) const {
  if (const Purpose* p = FindPurpose(id)) return p;
  std::vector<std::string_view> ids;
  for (const Purpose& p : purposes_) ids.push_back(p.id);
  return NotInPolicy("no purpose", id, *this, ids);
}

absl::StatusOr<const DataCategory*> Policy::GetCategory(std::string_view key) const {
  if (const DataCategory* c = FindCategory(key)) return c;
  std::vector<std::string_view> keys;
  for (const DataCategory& c : categories_) keys.push_back(c.key);
  return NotInPolicy("unknown data category", key, *this, keys);
}

absl::StatusOr<const RetentionRuleRef*> Policy::GetRetentionRule(std::string_view id) const {
  std::vector<std::string_view> ids;
  for (const RetentionRuleRef& r : retention_rules_) {
    if (r.id == id) return &r;
    ids.push_back(r.id);
  }
  return NotInPolicy("no retention rule", id, *this, ids);
}

absl::StatusOr<std::string> Policy::GetBasisTitle(std::string_view code) const {
  std::string title = BasisTitle(code);
  if (!title.empty()) return title;
  std::vector<std::string_view> codes = BuiltinBasisCodes();
  for (const LegalReference& r : references_) codes.push_back(r.code);
  return NotInPolicy("unknown legal-basis code", code, *this, codes,
                     " (neither built in nor declared)");
}

}  // namespace gdprkit
