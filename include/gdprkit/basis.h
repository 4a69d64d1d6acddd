// gdprkit/basis.h: the vocabulary of the law.
//
// Legal bases, data-subject rights and built-in data categories, each with a
// stable code and a human title. Codes follow the W3C Data Privacy
// Vocabulary's GDPR identifiers (A6-1-a ... A6-1-f, A9-2-a ... A9-2-j, A10,
// rights A13 ... A22 and A7-3), extended with Danish codes for the
// Databeskyttelsesloven (lov nr. 502 af 23. maj 2018, "DBL"):
// DK-DBL-<paragraf>-<stk.>[-<nr.>].
//
// Every title is written in English and in Danish (Language, gdprkit/
// common.h); the codes are the same in every language.
//
// The tables are pure data and the functions pure; everything is safe to use
// from any thread. The names and the lookups that answer with a status (end
// of this header) are defined in src/policy/vocabulary.cc: link gdprkit.
#ifndef GDPRKIT_BASIS_H_
#define GDPRKIT_BASIS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gdprkit/common.h"
#include "gdprkit/names.h"

namespace gdprkit {

// What a legal-basis code is, and so which question of validation it answers.
enum class BasisKind : std::uint8_t {
  kArt6 = 0,       // GDPR Art. 6(1): lawfulness of processing.
  kArt9 = 1,       // GDPR Art. 9(2) condition (and the 9(3) safeguard).
  kArt10 = 2,      // GDPR Art. 10: criminal convictions and offences.
  kNational = 3,   // Databeskyttelsesloven provisions.
  kReference = 4,  // Sector law and other references declared by a policy.
};

// Effects of a basis code; a code may have several.
enum BasisEffect : std::uint32_t {
  kEffectNone = 0,
  kEffectLawful = 1u << 0,              // An Art. 6(1) basis.
  kEffectSpecialCondition = 1u << 1,    // Lifts the Art. 9(1) prohibition.
  kEffectCriminal = 1u << 2,            // Art. 10 / DBL § 8 ground.
  kEffectNationalId = 1u << 3,          // DBL § 11 ground for CPR numbers.
  kEffectConsent = 1u << 4,             // Rests on the data subject's consent.
  kEffectContract = 1u << 5,            // Art. 6(1)(b).
  kEffectLegalObligation = 1u << 6,     // Art. 6(1)(c) or a law imposing it.
  kEffectPublicTask = 1u << 7,          // Art. 6(1)(e) or a law conferring it.
  kEffectLegitimateInterest = 1u << 8,  // Art. 6(1)(f), DBL § 8(3) 2nd sentence.
  kEffectVitalInterest = 1u << 9,       // Art. 6(1)(d), Art. 9(2)(c).
  kEffectPublicHealth = 1u << 10,       // Art. 9(2)(i): Art. 17(3)(c).
  kEffectArchiving = 1u << 11,          // Art. 9(2)(j): Art. 17(3)(d).
  kEffectLegalClaims = 1u << 12,        // Art. 9(2)(f): Art. 17(3)(e).
  kEffectSafeguard = 1u << 13,          // Art. 9(3) professional secrecy.
};

struct LegalBasisInfo {
  std::string_view code;
  std::string_view title;     // English
  std::string_view title_da;  // Danish, as a Danish DPO reads the provision
  BasisKind kind;
  std::uint32_t effects;  // BasisEffect bits.

  // The title in `language` (English for a language without one).
  constexpr std::string_view TitleIn(Language language) const {
    return language == Language::kDanish ? title_da : title;
  }
};

// The built-in legal bases: the one table of their codes and titles, in
// English and in Danish (the wording of databeskyttelsesforordningen and
// databeskyttelsesloven), from which every door prints them. Titles
// paraphrase the provisions; the codes are stable and never change meaning.
inline constexpr LegalBasisInfo kLegalBases[] = {
    // GDPR Art. 6(1).
    {"A6-1-a", "Art. 6(1)(a) GDPR: consent of the data subject",
     "Art. 6, stk. 1, litra a: den registreredes samtykke", BasisKind::kArt6,
     kEffectLawful | kEffectConsent},
    {"A6-1-b", "Art. 6(1)(b) GDPR: performance of a contract with the data subject",
     "Art. 6, stk. 1, litra b: opfyldelse af en kontrakt med den registrerede", BasisKind::kArt6,
     kEffectLawful | kEffectContract},
    {"A6-1-c", "Art. 6(1)(c) GDPR: compliance with a legal obligation",
     "Art. 6, stk. 1, litra c: retlig forpligtelse", BasisKind::kArt6,
     kEffectLawful | kEffectLegalObligation},
    {"A6-1-d", "Art. 6(1)(d) GDPR: vital interests of a natural person",
     "Art. 6, stk. 1, litra d: beskyttelse af en fysisk persons vitale interesser",
     BasisKind::kArt6, kEffectLawful | kEffectVitalInterest},
    {"A6-1-e", "Art. 6(1)(e) GDPR: task in the public interest or official authority",
     "Art. 6, stk. 1, litra e: opgave i samfundets interesse eller offentlig myndighedsudøvelse",
     BasisKind::kArt6, kEffectLawful | kEffectPublicTask},
    {"A6-1-f", "Art. 6(1)(f) GDPR: legitimate interests of the controller or a third party",
     "Art. 6, stk. 1, litra f: legitime interesser hos den dataansvarlige eller en tredjemand",
     BasisKind::kArt6, kEffectLawful | kEffectLegitimateInterest},
    // GDPR Art. 9(2) and the Art. 9(3) safeguard.
    {"A9-2-a", "Art. 9(2)(a) GDPR: explicit consent",
     "Art. 9, stk. 2, litra a: udtrykkeligt samtykke", BasisKind::kArt9,
     kEffectSpecialCondition | kEffectConsent},
    {"A9-2-b", "Art. 9(2)(b) GDPR: employment, social security and social protection law",
     "Art. 9, stk. 2, litra b: arbejds-, sundheds- og socialretlige forpligtelser og rettigheder",
     BasisKind::kArt9, kEffectSpecialCondition},
    {"A9-2-c", "Art. 9(2)(c) GDPR: vital interests where the data subject cannot give consent",
     "Art. 9, stk. 2, litra c: vitale interesser, hvor den registrerede ikke kan give samtykke",
     BasisKind::kArt9, kEffectSpecialCondition | kEffectVitalInterest},
    {"A9-2-d",
     "Art. 9(2)(d) GDPR: not-for-profit body with a political, philosophical, religious "
     "or trade-union aim",
     "Art. 9, stk. 2, litra d: organ uden gevinst for øje med et politisk, filosofisk, religiøst "
     "eller fagforeningsmæssigt sigte",
     BasisKind::kArt9, kEffectSpecialCondition},
    {"A9-2-e", "Art. 9(2)(e) GDPR: data manifestly made public by the data subject",
     "Art. 9, stk. 2, litra e: oplysninger, som tydeligt er offentliggjort af den registrerede",
     BasisKind::kArt9, kEffectSpecialCondition},
    {"A9-2-f", "Art. 9(2)(f) GDPR: establishment, exercise or defence of legal claims",
     "Art. 9, stk. 2, litra f: retskrav kan fastlægges, gøres gældende eller forsvares",
     BasisKind::kArt9, kEffectSpecialCondition | kEffectLegalClaims},
    {"A9-2-g", "Art. 9(2)(g) GDPR: substantial public interest on the basis of law",
     "Art. 9, stk. 2, litra g: væsentlige samfundsinteresser på grundlag af lovgivning",
     BasisKind::kArt9, kEffectSpecialCondition},
    {"A9-2-h",
     "Art. 9(2)(h) GDPR: preventive or occupational medicine, medical diagnosis, health "
     "or social care and treatment",
     "Art. 9, stk. 2, litra h: forebyggende medicin eller arbejdsmedicin, medicinsk diagnose, "
     "social- og sundhedsomsorg eller behandling",
     BasisKind::kArt9, kEffectSpecialCondition},
    {"A9-2-i", "Art. 9(2)(i) GDPR: public interest in the area of public health",
     "Art. 9, stk. 2, litra i: samfundsinteresser på folkesundhedsområdet", BasisKind::kArt9,
     kEffectSpecialCondition | kEffectPublicHealth},
    {"A9-2-j",
     "Art. 9(2)(j) GDPR: archiving in the public interest, scientific or historical "
     "research, or statistics",
     "Art. 9, stk. 2, litra j: arkivformål i samfundets interesse, videnskabelige eller historiske "
     "forskningsformål eller statistiske formål",
     BasisKind::kArt9, kEffectSpecialCondition | kEffectArchiving},
    {"A9-3",
     "Art. 9(3) GDPR: processed by or under the responsibility of a professional under "
     "an obligation of secrecy",
     "Art. 9, stk. 3: behandling foretaget af eller under ansvar af en fagperson med tavshedspligt",
     BasisKind::kArt9, kEffectSafeguard},
    // GDPR Art. 10.
    {"A10",
     "Art. 10 GDPR: criminal convictions and offences under official authority or "
     "authorised by law",
     "Art. 10: straffedomme og lovovertrædelser under kontrol af offentlig myndighed eller med "
     "hjemmel i lov",
     BasisKind::kArt10, kEffectCriminal},
    // Databeskyttelsesloven § 6: children's consent to information society services.
    {"DK-DBL-6-1",
     "DBL § 6, stk. 1: consent of a child aged 13 or over to information society "
     "services",
     "DBL § 6, stk. 1: samtykke fra et barn på 13 år eller derover til "
     "informationssamfundstjenester",
     BasisKind::kNational, kEffectConsent},
    {"DK-DBL-6-2",
     "DBL § 6, stk. 2: consent given or authorised by the holder of parental "
     "responsibility for a child under 13",
     "DBL § 6, stk. 2: samtykke givet eller godkendt af indehaveren af forældremyndigheden over et "
     "barn under 13 år",
     BasisKind::kNational, kEffectConsent},
    // § 7: special categories.
    {"DK-DBL-7-1",
     "DBL § 7, stk. 1: special categories of data where a condition of Art. 9(2) is met",
     "DBL § 7, stk. 1: følsomme oplysninger, hvor en af betingelserne i art. 9, stk. 2, er opfyldt",
     BasisKind::kNational, kEffectSpecialCondition},
    {"DK-DBL-7-2", "DBL § 7, stk. 2: trade-union membership, for labour-law obligations and rights",
     "DBL § 7, stk. 2: fagforeningsmæssigt tilhørsforhold, for at overholde arbejdsretlige "
     "forpligtelser og rettigheder",
     BasisKind::kNational, kEffectSpecialCondition},
    {"DK-DBL-7-3",
     "DBL § 7, stk. 3: preventive medicine, diagnosis, care or treatment by a health "
     "professional under a statutory duty of confidentiality",
     "DBL § 7, stk. 3: forebyggende sygdomsbehandling, diagnose, sygepleje eller behandling ved en "
     "sundhedsperson med lovbestemt tavshedspligt",
     BasisKind::kNational, kEffectSpecialCondition | kEffectSafeguard},
    {"DK-DBL-7-4",
     "DBL § 7, stk. 4: substantial public interest, with the permission of the Danish "
     "Data Protection Agency",
     "DBL § 7, stk. 4: væsentlige samfundsinteresser, med Datatilsynets tilladelse",
     BasisKind::kNational, kEffectSpecialCondition},
    // § 8: criminal offences.
    {"DK-DBL-8-1", "DBL § 8, stk. 1: public authorities, where necessary for the authority's tasks",
     "DBL § 8, stk. 1: offentlige myndigheder, når det er nødvendigt for myndighedens opgaver",
     BasisKind::kNational, kEffectCriminal},
    {"DK-DBL-8-2-1",
     "DBL § 8, stk. 2, nr. 1: disclosure by a public authority with explicit consent",
     "DBL § 8, stk. 2, nr. 1: videregivelse fra en offentlig myndighed med udtrykkeligt samtykke",
     BasisKind::kNational, kEffectCriminal | kEffectConsent},
    {"DK-DBL-8-2-2",
     "DBL § 8, stk. 2, nr. 2: disclosure by a public authority for legitimate interests "
     "that clearly outweigh the data subject's",
     "DBL § 8, stk. 2, nr. 2: videregivelse fra en offentlig myndighed til varetagelse af "
     "interesser, der klart overstiger den registreredes",
     BasisKind::kNational, kEffectCriminal},
    {"DK-DBL-8-2-3",
     "DBL § 8, stk. 2, nr. 3: disclosure by a public authority necessary for the "
     "authority's tasks or a decision to be made",
     "DBL § 8, stk. 2, nr. 3: videregivelse fra en offentlig myndighed, nødvendig for myndighedens "
     "opgaver eller for en afgørelse",
     BasisKind::kNational, kEffectCriminal},
    {"DK-DBL-8-2-4",
     "DBL § 8, stk. 2, nr. 4: disclosure necessary for tasks done for a public authority",
     "DBL § 8, stk. 2, nr. 4: videregivelse, nødvendig for opgaver, der udføres for en offentlig "
     "myndighed",
     BasisKind::kNational, kEffectCriminal},
    {"DK-DBL-8-3",
     "DBL § 8, stk. 3: private bodies, with explicit consent or for legitimate interests "
     "that clearly outweigh the data subject's",
     "DBL § 8, stk. 3: private, med udtrykkeligt samtykke eller til varetagelse af legitime "
     "interesser, der klart overstiger den registreredes",
     BasisKind::kNational, kEffectCriminal},
    // The two sentences of § 8, stk. 3 ground different things: the first is
    // consent (withdrawable, Art. 7(3)), the second a legitimate interest
    // (objectionable, Art. 21(1)).
    {"DK-DBL-8-3-1",
     "DBL § 8, stk. 3, 1. pkt.: private bodies, with the data subject's explicit consent",
     "DBL § 8, stk. 3, 1. pkt.: private, med den registreredes udtrykkelige samtykke",
     BasisKind::kNational, kEffectCriminal | kEffectConsent},
    {"DK-DBL-8-3-2",
     "DBL § 8, stk. 3, 2. pkt.: private bodies, for legitimate interests that clearly "
     "outweigh the data subject's",
     "DBL § 8, stk. 3, 2. pkt.: private, til varetagelse af legitime interesser, der klart "
     "overstiger den registreredes",
     BasisKind::kNational, kEffectCriminal | kEffectLegitimateInterest},
    {"DK-DBL-8-4", "DBL § 8, stk. 4: disclosure by private bodies",
     "DBL § 8, stk. 4: videregivelse fra private", BasisKind::kNational, kEffectCriminal},
    {"DK-DBL-8-5", "DBL § 8, stk. 5: processing where the conditions of § 7 are met",
     "DBL § 8, stk. 5: behandling, hvor betingelserne i § 7 er opfyldt", BasisKind::kNational,
     kEffectCriminal},
    // § 11: CPR numbers.
    {"DK-DBL-11-1",
     "DBL § 11, stk. 1: public authorities, for unique identification or as a file number",
     "DBL § 11, stk. 1: offentlige myndigheder, til entydig identifikation eller som journalnummer",
     BasisKind::kNational, kEffectNationalId},
    {"DK-DBL-11-2-1", "DBL § 11, stk. 2, nr. 1: private bodies, where it follows from law",
     "DBL § 11, stk. 2, nr. 1: private, når det følger af lovgivningen", BasisKind::kNational,
     kEffectNationalId},
    {"DK-DBL-11-2-2",
     "DBL § 11, stk. 2, nr. 2: private bodies, with the data subject's consent under Art. 7",
     "DBL § 11, stk. 2, nr. 2: private, med den registreredes samtykke efter art. 7",
     BasisKind::kNational, kEffectNationalId | kEffectConsent},
    {"DK-DBL-11-2-3",
     "DBL § 11, stk. 2, nr. 3: private bodies, solely for scientific or statistical "
     "purposes, or disclosure that is a natural part of normal operations and decisive "
     "for unique identification, or required by a public authority",
     "DBL § 11, stk. 2, nr. 3: private, alene til videnskabelige eller statistiske formål, eller "
     "videregivelse, der er et naturligt led i den normale drift og af afgørende betydning for "
     "entydig identifikation, eller som kræves af en offentlig myndighed",
     BasisKind::kNational, kEffectNationalId},
    {"DK-DBL-11-2-4",
     "DBL § 11, stk. 2, nr. 4: private bodies, where the conditions of § 7 are met",
     "DBL § 11, stk. 2, nr. 4: private, hvor betingelserne i § 7 er opfyldt", BasisKind::kNational,
     kEffectNationalId},
    {"DK-DBL-11-3", "DBL § 11, stk. 3: no publication of CPR numbers without explicit consent",
     "DBL § 11, stk. 3: ingen offentliggørelse af personnumre uden udtrykkeligt samtykke",
     BasisKind::kNational, kEffectNone},
    // § 12: employment.
    {"DK-DBL-12-1",
     "DBL § 12, stk. 1: employment, necessary for labour-law obligations or rights laid "
     "down in law or collective agreements",
     "DBL § 12, stk. 1: ansættelsesforhold, nødvendigt for arbejdsretlige forpligtelser eller "
     "rettigheder fastsat i lov eller kollektive overenskomster",
     BasisKind::kNational, kEffectSpecialCondition},
    {"DK-DBL-12-2", "DBL § 12, stk. 2: employment, on the employee's consent under Art. 7",
     "DBL § 12, stk. 2: ansættelsesforhold, på grundlag af arbejdstagerens samtykke efter art. 7",
     BasisKind::kNational, kEffectSpecialCondition | kEffectConsent},
};

// Looks up a built-in legal-basis code; nullptr when unknown. Exact match.
inline const LegalBasisInfo* FindLegalBasis(std::string_view code) {
  for (const LegalBasisInfo& b : kLegalBases) {
    if (b.code == code) return &b;
  }
  return nullptr;
}

// The data-subject rights, in the order of the Regulation.
enum class Right : std::uint8_t {
  kInformationCollected = 0,  // A13
  kInformationObtained,       // A14
  kAccess,                    // A15
  kRectification,             // A16
  kErasure,                   // A17
  kRestriction,               // A18
  kNotification,              // A19
  kPortability,               // A20
  kObjection,                 // A21
  kAutomatedDecision,         // A22
  kWithdrawConsent,           // A7-3
};

struct RightInfo {
  Right right;
  std::string_view code;
  std::string_view title;     // English
  std::string_view title_da;  // Danish: the heading of the article

  constexpr std::string_view TitleIn(Language language) const {
    return language == Language::kDanish ? title_da : title;
  }
};

// The rights with their titles in English and Danish, in the order of Right.

inline constexpr RightInfo kRights[] = {
    {Right::kInformationCollected, "A13",
     "Art. 13: information where data are collected from the data subject",
     "Art. 13: Oplysningspligt, når oplysningerne indsamles hos den registrerede"},
    {Right::kInformationObtained, "A14",
     "Art. 14: information where data have not been obtained from the data subject",
     "Art. 14: Oplysningspligt, når oplysningerne ikke er indsamlet hos den registrerede"},
    {Right::kAccess, "A15", "Art. 15: right of access", "Art. 15: Ret til indsigt"},
    {Right::kRectification, "A16", "Art. 16: right to rectification",
     "Art. 16: Ret til berigtigelse"},
    {Right::kErasure, "A17", "Art. 17: right to erasure", "Art. 17: Ret til sletning"},
    {Right::kRestriction, "A18", "Art. 18: right to restriction of processing",
     "Art. 18: Ret til begrænsning af behandling"},
    {Right::kNotification, "A19",
     "Art. 19: notification of rectification, erasure or restriction to recipients",
     "Art. 19: Underretning af modtagere om berigtigelse, sletning eller begrænsning"},
    {Right::kPortability, "A20", "Art. 20: right to data portability",
     "Art. 20: Ret til dataportabilitet"},
    {Right::kObjection, "A21", "Art. 21: right to object", "Art. 21: Ret til indsigelse"},
    {Right::kAutomatedDecision, "A22",
     "Art. 22: right not to be subject to solely automated decisions",
     "Art. 22: Ret til ikke at være genstand for en afgørelse, der alene er baseret på automatisk "
     "behandling"},
    {Right::kWithdrawConsent, "A7-3", "Art. 7(3): right to withdraw consent",
     "Art. 7, stk. 3: Ret til at trække samtykke tilbage"},
};

inline constexpr std::size_t kRightCount = sizeof(kRights) / sizeof(kRights[0]);

inline const RightInfo& GetRightInfo(Right r) { return kRights[static_cast<std::size_t>(r)]; }

// Looks up a right by its code ("A17"); nullptr when unknown.
inline const RightInfo* FindRight(std::string_view code) {
  for (const RightInfo& r : kRights) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

// Markings of a data category.
enum CategoryFlag : std::uint8_t {
  kCategoryNone = 0,
  kCategorySpecial = 1u << 0,     // Art. 9(1)
  kCategoryCriminal = 1u << 1,    // Art. 10
  kCategoryNationalId = 1u << 2,  // CPR number, DBL § 11
};

struct CategoryInfo {
  std::string_view key;  // dotted path; the parent is the prefix before the last dot
  std::string_view title;
  std::uint8_t flags;  // CategoryFlag bits; children inherit their parent's
};

// The built-in data categories. Policies may add children (for example
// "health.bloodpressure") or new roots.
inline constexpr CategoryInfo kBuiltinCategories[] = {
    {"identity", "Identification data", kCategoryNone},
    {"identity.name", "Name", kCategoryNone},
    {"identity.cpr", "CPR number (Danish civil registration number)", kCategoryNationalId},
    {"identity.date_of_birth", "Date of birth", kCategoryNone},
    {"contact", "Contact details", kCategoryNone},
    {"contact.email", "E-mail address", kCategoryNone},
    {"contact.phone", "Telephone number", kCategoryNone},
    {"contact.address", "Postal address", kCategoryNone},
    {"demographic", "Demographic data (age, sex, postcode)", kCategoryNone},
    {"health", "Data concerning health", kCategorySpecial},
    {"health.record", "Patient record entries", kCategorySpecial},
    {"health.diagnosis", "Diagnoses", kCategorySpecial},
    {"health.medication", "Medication", kCategorySpecial},
    {"health.test_result", "Test results", kCategorySpecial},
    {"health.vaccination", "Vaccinations", kCategorySpecial},
    {"health.note", "Free-text health information given by the data subject", kCategorySpecial},
    {"genetic", "Genetic data", kCategorySpecial},
    {"biometric", "Biometric data for unique identification", kCategorySpecial},
    {"racial_or_ethnic_origin", "Racial or ethnic origin", kCategorySpecial},
    {"political_opinions", "Political opinions", kCategorySpecial},
    {"religious_or_philosophical_beliefs", "Religious or philosophical beliefs", kCategorySpecial},
    {"trade_union_membership", "Trade-union membership", kCategorySpecial},
    {"sex_life_or_orientation", "Sex life or sexual orientation", kCategorySpecial},
    {"criminal", "Criminal convictions and offences", kCategoryCriminal},
    {"criminal.record_extract", "Criminal-record extract (straffeattest)", kCategoryCriminal},
    {"professional", "Professional data", kCategoryNone},
    {"professional.provider_number", "Provider number (ydernummer)", kCategoryNone},
    {"professional.location_number", "Location number (GLN / SOR)", kCategoryNone},
    {"professional.authorisation", "Authorisation id", kCategoryNone},
    {"professional.cv", "CV, education and work history", kCategoryNone},
    {"employment", "Employment data", kCategoryNone},
    {"employment.salary", "Salary, working hours and bonus", kCategoryNone},
    {"financial", "Financial data", kCategoryNone},
    {"financial.bank_account", "Bank account", kCategoryNone},
    {"online", "Online identifiers and usage", kCategoryNone},
    {"online.ip_address", "IP address", kCategoryNone},
    {"online.device", "Device and app data", kCategoryNone},
    {"online.usage", "Usage metadata", kCategoryNone},
    {"communication", "Correspondence and case notes", kCategoryNone},
};

// Parent key of a dotted category key ("health.diagnosis" -> "health"); empty
// for a root.
inline std::string_view ParentCategory(std::string_view key) {
  const std::size_t dot = key.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : key.substr(0, dot);
}

// True when `ancestor` is `key` or one of its ancestors ("health" covers
// "health.diagnosis", but not "healthcare").
inline bool CategoryCovers(std::string_view ancestor, std::string_view key) {
  if (ancestor.size() > key.size()) return false;
  if (key.compare(0, ancestor.size(), ancestor) != 0) return false;
  return key.size() == ancestor.size() || key[ancestor.size()] == '.';
}

// ---------------------------------------------------------------------------
// Names and lookups (the one place each is written; every door prints and
// parses these)
// ---------------------------------------------------------------------------
//
// For each enum: Parse... (InvalidArgument naming the valid choices and the
// nearest: `unknown legal-basis kind "art7"; valid: "art6", ...; did you mean
// "art6"?`), ...Name (total: a value outside the enum prints as "unknown")
// and ...Names (the valid names, in the order of the enum's values).

// "art6", "art9", "art10", "national", "reference".
absl::StatusOr<BasisKind> ParseBasisKind(std::string_view name);
std::string_view BasisKindName(BasisKind kind);
std::vector<std::string_view> BasisKindNames();

// One BasisEffect bit: "lawful", "special_condition", "criminal",
// "national_id", "consent", "contract", "legal_obligation", "public_task",
// "legitimate_interest", "vital_interest", "public_health", "archiving",
// "legal_claims", "safeguard". BasisEffectNamesOf: the names of the bits set
// in `effects`, in that order.
absl::StatusOr<BasisEffect> ParseBasisEffect(std::string_view name);
std::string_view BasisEffectName(BasisEffect effect);
std::vector<std::string_view> BasisEffectNames();
std::vector<std::string_view> BasisEffectNamesOf(std::uint32_t effects);

// One CategoryFlag bit: "special", "criminal", "national_id".
absl::StatusOr<CategoryFlag> ParseCategoryFlag(std::string_view name);
std::string_view CategoryFlagName(CategoryFlag flag);
std::vector<std::string_view> CategoryFlagNames();

// The built-in legal basis with this code (exact match). Errors: NotFound
// `unknown legal-basis code "A6-1-g"; did you mean "A6-1-a", ...?`. For the
// codes a policy declares too, use Policy::GetBasisTitle.
absl::StatusOr<const LegalBasisInfo*> GetLegalBasis(std::string_view code);

// The right with this code ("A17"). Errors: NotFound `unknown right code
// "A23"; did you mean ...?`.
absl::StatusOr<const RightInfo*> GetRight(std::string_view code);

}  // namespace gdprkit

#endif  // GDPRKIT_BASIS_H_
