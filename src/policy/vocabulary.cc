// The policy area's names: one table per enum of gdprkit/basis.h and
// gdprkit/policy.h (the only place each name is written), and the lookups of
// built-in codes that answer with a status. Every door prints and parses
// through these.
//
// A table row is {value, name}; the titles for people, in English and
// Danish, are internal::Titled rows beside them (severities, erasure
// exceptions) or columns of the code tables (kLegalBases and kRights in
// gdprkit/basis.h, kFindingCodes here).
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
#include "gdprkit/release_rules.h"

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

constexpr Named<ColumnTreatment> kColumnTreatmentNames[] = {
    {ColumnTreatment::kUnspecified, "unspecified"},
    {ColumnTreatment::kDrop, "drop"},
    {ColumnTreatment::kKeep, "keep"},
    {ColumnTreatment::kPseudonymise, "pseudonymise"},
    {ColumnTreatment::kGeneralise, "generalise"},
};
constexpr Named<ColumnTreatment> kColumnTreatmentAliases[] = {
    {ColumnTreatment::kPseudonymise, "pseudonymize"},
    {ColumnTreatment::kGeneralise, "generalize"},
};

constexpr Named<Severity> kSeverityNames[] = {
    {Severity::kInfo, "info"},
    {Severity::kWarning, "warning"},
    {Severity::kError, "error"},
};

// ---- Titles (English, Danish) ----------------------------------------------

using internal::Titled;

constexpr Titled<Severity> kSeverityTitles[] = {
    {Severity::kInfo, "info", "bemærkning"},
    {Severity::kWarning, "warning", "advarsel"},
    {Severity::kError, "error", "fejl"},
};

constexpr Titled<ColumnTreatment> kColumnTreatmentTitles[] = {
    {ColumnTreatment::kUnspecified, "no treatment stated", "ingen behandling angivet"},
    {ColumnTreatment::kDrop, "dropped", "udelades"},
    {ColumnTreatment::kKeep, "kept as it is", "bevares uændret"},
    {ColumnTreatment::kPseudonymise, "pseudonymised", "pseudonymiseres"},
    {ColumnTreatment::kGeneralise, "generalised", "generaliseres"},
};

constexpr Titled<ErasureException> kErasureExceptionTitles[] = {
    {ErasureException::kFreedomOfExpression,
     "Art. 17(3)(a): exercising the right of freedom of expression and information",
     "Art. 17, stk. 3, litra a: udøvelse af retten til ytrings- og informationsfrihed"},
    {ErasureException::kLegalObligationOrPublicTask,
     "Art. 17(3)(b): compliance with a legal obligation, or a task in the public interest or in "
     "the exercise of official authority",
     "Art. 17, stk. 3, litra b: overholdelse af en retlig forpligtelse eller udførelse af en "
     "opgave i samfundets interesse eller som led i offentlig myndighedsudøvelse"},
    {ErasureException::kPublicHealth,
     "Art. 17(3)(c): reasons of public interest in the area of public health",
     "Art. 17, stk. 3, litra c: hensyn til samfundsinteresser på folkesundhedsområdet"},
    {ErasureException::kArchivingResearchStatistics,
     "Art. 17(3)(d): archiving, research or statistics where erasure would seriously impair the "
     "purpose",
     "Art. 17, stk. 3, litra d: arkivformål, forskning eller statistik, hvor sletning alvorligt "
     "vil "
     "hindre formålet"},
    {ErasureException::kLegalClaims,
     "Art. 17(3)(e): establishment, exercise or defence of legal claims",
     "Art. 17, stk. 3, litra e: retskrav kan fastlægges, gøres gældende eller forsvares"},
};

// Every finding code, in the order of docs/policy.md's table: the errors,
// then the warnings, then the infos. Validate()'s checks (validate.cc) and
// the retention rule check (retention/rules.cc) report these codes;
// policy_test checks that every finding they report is listed here.
constexpr FindingCodeInfo kFindingCodes[] = {
    {"missing-art6-basis", Severity::kError, "No Art. 6(1) basis",
     "Intet behandlingsgrundlag efter art. 6, stk. 1"},
    {"special-category-without-condition", Severity::kError,
     "Special categories without an Art. 9(2) condition",
     "Følsomme oplysninger uden en betingelse i art. 9, stk. 2"},
    {"criminal-data-without-ground", Severity::kError,
     "Criminal-offence data without an Art. 10 ground",
     "Oplysninger om strafbare forhold uden hjemmel efter art. 10"},
    {"cpr-without-dbl-11", Severity::kError, "CPR numbers without a DBL § 11 ground",
     "Personnumre uden hjemmel i databeskyttelseslovens § 11"},
    {"unknown-basis", Severity::kError, "Unknown legal-basis code",
     "Ukendt kode for behandlingsgrundlag"},
    {"unknown-category", Severity::kError, "Unknown data category",
     "Ukendt kategori af personoplysninger"},
    {"orphan-category", Severity::kError, "Category without a known parent",
     "Kategori uden kendt overkategori"},
    {"invalid-category-key", Severity::kError, "Invalid category key", "Ugyldig kategorinøgle"},
    {"unknown-team", Severity::kError, "Unknown team", "Ukendt team"},
    {"unknown-role", Severity::kError, "Unknown role", "Ukendt rolle"},
    {"unknown-retention-rule", Severity::kError, "Unknown retention rule",
     "Ukendt opbevaringsregel"},
    {"invalid-retention-period", Severity::kError, "Invalid retention period",
     "Ugyldig opbevaringsperiode"},
    {"invalid-retention-event", Severity::kError, "Invalid retention event",
     "Ugyldig hændelse i opbevaringsregel"},
    {"unknown-retention-action", Severity::kError, "Unknown retention action",
     "Ukendt handling i opbevaringsregel"},
    {"retention-anchor-without-period", Severity::kError, "Anchor event without a period",
     "Starthændelse uden periode"},
    {"retention-extension-without-period", Severity::kError, "Extension without a period",
     "Forlængelse uden periode"},
    {"duplicate-id", Severity::kError, "Duplicate id", "Id bruges mere end én gang"},
    {"missing-id", Severity::kError, "Missing id", "Id mangler"},
    {"reference-shadows-builtin", Severity::kError, "Reference reuses a built-in code",
     "Reference genbruger en indbygget kode"},
    {"invalid-reference-code", Severity::kError, "Reference code not starting DK- or EU-",
     "Referencekode begynder ikke med DK- eller EU-"},
    {"schema-version", Severity::kError, "Unsupported schema version",
     "Skemaversionen understøttes ikke"},
    {"no-purposes", Severity::kError, "No processing purpose", "Intet behandlingsformål"},
    {"unknown-erasure-exception", Severity::kError, "Unknown erasure exception",
     "Ukendt undtagelse fra retten til sletning"},
    {"release-unknown-purpose", Severity::kError, "Release of an unknown purpose",
     "Udlevering for et ukendt formål"},
    {"release-column-without-name", Severity::kError, "Release column without a name",
     "Kolonne uden navn i udleveringsregel"},
    {"release-duplicate-column", Severity::kError, "Column declared twice in a release",
     "Kolonne angivet to gange i udleveringsregel"},
    {"release-column-without-treatment", Severity::kError, "Release column without a treatment",
     "Kolonne uden behandling i udleveringsregel"},
    {"release-unknown-id-kind", Severity::kError, "Unknown identifier kind",
     "Ukendt type identifikator"},
    {"release-pseudonymise-incomplete", Severity::kError,
     "Pseudonymisation without a vault domain or identifier kind",
     "Pseudonymisering uden domæne eller type identifikator"},
    {"release-generalise-incomplete", Severity::kError, "Generalisation without hierarchy or level",
     "Generalisering uden hierarki eller niveau"},
    {"release-unknown-hierarchy", Severity::kError, "Unknown hierarchy", "Ukendt hierarki"},
    {"release-invalid-hierarchy", Severity::kError,
     "Hierarchy without a name, a source, or with two sources",
     "Hierarki uden navn eller kilde, eller med to kilder"},
    {"release-free-text-not-kept", Severity::kError, "Free-text column that is not kept",
     "Fritekstkolonne, der ikke bevares"},
    {"release-table-or-extract", Severity::kError, "Not exactly one of table and extract",
     "Ikke netop én af tabel og udtræk"},
    {"release-table-without-dimensions", Severity::kError, "Table without dimensions",
     "Tabel uden dimensioner"},
    {"release-undeclared-column", Severity::kError, "Column used but not declared",
     "Kolonne bruges uden at være angivet"},
    {"release-column-dropped", Severity::kError, "Dropped column used in the table or extract",
     "Udeladt kolonne bruges i tabel eller udtræk"},
    {"release-invalid-k", Severity::kError, "k below 2 or not stated",
     "k under 2 eller ikke angivet"},
    {"release-no-quasi-identifiers", Severity::kError, "Extract without quasi-identifiers",
     "Udtræk uden kvasi-identifikatorer"},
    {"release-invalid-max-age", Severity::kError, "Invalid maximum data age",
     "Ugyldig maksimal alder for data"},
    {"release-max-age-without-date-column", Severity::kError, "Maximum age without a date column",
     "Maksimal alder uden datokolonne"},
    {"release-date-column-without-max-age", Severity::kError, "Date column without a maximum age",
     "Datokolonne uden maksimal alder"},
    {"release-invalid-threshold", Severity::kError, "Threshold below 1", "Tærskelværdi under 1"},
    {"release-invalid-dominance", Severity::kError, "Dominance rule out of range",
     "Dominansregel uden for gyldigt interval"},
    {"release-invalid-p-percent", Severity::kError, "p% rule out of range",
     "p%-regel uden for gyldigt interval"},
    {"release-invalid-rule-value", Severity::kError, "Primary-rule percentage out of range",
     "Procentsats i primærregel uden for gyldigt interval"},
    {"release-identifier-in-clear", Severity::kError, "Identifier column released in clear",
     "Identifikatorkolonne udleveres i klartekst"},
    {"release-national-id-not-removed", Severity::kError, "CPR numbers not removed from a release",
     "Personnumre fjernes ikke fra udleveringen"},
    {"legitimate-interest-without-balancing-test", Severity::kWarning,
     "Legitimate interest without a balancing test", "Legitim interesse uden interesseafvejning"},
    {"consent-without-mechanism", Severity::kWarning,
     "Consent without a way to prove or withdraw it",
     "Samtykke uden en måde at påvise eller trække det tilbage"},
    {"art9-2-h-without-secrecy", Severity::kWarning,
     "Art. 9(2)(h) without professional secrecy (Art. 9(3))",
     "Art. 9, stk. 2, litra h, uden tavshedspligt (art. 9, stk. 3)"},
    {"missing-retention", Severity::kWarning, "No retention rule", "Ingen opbevaringsregel"},
    {"transfer-without-basis", Severity::kWarning, "Transfer outside the EU/EEA without a basis",
     "Overførsel uden for EU/EØS uden overførselsgrundlag"},
    {"no-categories", Severity::kWarning, "No categories of personal data",
     "Ingen kategorier af personoplysninger"},
    {"no-data-subjects", Severity::kWarning, "No categories of data subjects",
     "Ingen kategorier af registrerede"},
    {"missing-controller", Severity::kWarning, "No controller named",
     "Ingen dataansvarlig angivet"},
    {"unknown-retention-event", Severity::kWarning, "Retention event close to a known one",
     "Hændelse i opbevaringsregel ligner en kendt (stavefejl?)"},
    {"reference-without-text", Severity::kWarning, "Reference without title or text",
     "Reference uden titel eller tekst"},
    {"controller-of-data-missing", Severity::kWarning, "The data's controller is not named",
     "Oplysningernes dataansvarlige er ikke angivet"},
    {"sensitive-data-published", Severity::kWarning, "Sensitive data published",
     "Følsomme oplysninger offentliggøres"},
    {"release-k-below-five", Severity::kWarning, "k below five", "k under fem"},
    {"custom-retention-event", Severity::kInfo, "The controller's own retention event",
     "Egen hændelse i opbevaringsregel"},
    {"condition-without-special-category", Severity::kInfo,
     "Art. 9(2) condition without special categories",
     "Betingelse i art. 9, stk. 2, uden følsomme oplysninger"},
    {"no-access-grant", Severity::kInfo, "No team may see the data",
     "Intet team har adgang til oplysningerne"},
    {"dbl-8-3-which-sentence", Severity::kInfo, "DBL § 8(3) without its sentence",
     "DBL § 8, stk. 3, uden angivelse af punktum"},
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

// ---- gdprkit/release_rules.h ----------------------------------------------------

GDPRKIT_DEFINE_NAMES_WITH_ALIASES(ColumnTreatment, ColumnTreatment, kColumnTreatmentNames,
                                  kColumnTreatmentAliases, "column treatment")

std::string_view ColumnTreatmentTitle(ColumnTreatment treatment, Language language) {
  return internal::TitleOf<ColumnTreatment>(kColumnTreatmentTitles, treatment, language);
}

std::string_view SeverityTitle(Severity s, Language language) {
  return internal::TitleOf<Severity>(kSeverityTitles, s, language);
}

std::string_view ErasureExceptionTitle(ErasureException e, Language language) {
  return internal::TitleOf<ErasureException>(kErasureExceptionTitles, e, language);
}

absl::Span<const FindingCodeInfo> FindingCodes() { return kFindingCodes; }

absl::StatusOr<const FindingCodeInfo*> GetFindingCode(std::string_view code) {
  std::vector<std::string_view> codes;
  for (const FindingCodeInfo& f : kFindingCodes) {
    if (f.code == code) return &f;
    codes.push_back(f.code);
  }
  return absl::NotFoundError(absl::StrCat("unknown finding code ", internal::QuoteUntrusted(code),
                                          internal::DidYouMean(code, absl::MakeConstSpan(codes))));
}

std::string_view FindingTitle(std::string_view code, Language language) {
  for (const FindingCodeInfo& f : kFindingCodes) {
    if (f.code == code) return f.TitleIn(language);
  }
  return "";
}

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

absl::StatusOr<const Release*> Policy::GetRelease(std::string_view id) const {
  if (const Release* r = FindRelease(id)) return r;
  std::vector<std::string_view> ids;
  for (const Release& r : releases_) ids.push_back(r.id);
  return NotInPolicy("no release", id, *this, ids);
}

absl::StatusOr<std::string> Policy::GetBasisTitle(std::string_view code, Language language) const {
  std::string title = BasisTitle(code, language);
  if (!title.empty()) return title;
  std::vector<std::string_view> codes = BuiltinBasisCodes();
  for (const LegalReference& r : references_) codes.push_back(r.code);
  return NotInPolicy("unknown legal-basis code", code, *this, codes,
                     " (neither built in nor declared)");
}

}  // namespace gdprkit
