// The names of the vault's and the identifiers' enums: one table per enum,
// from which every door parses and prints them (common/vocabulary.h). A new
// name is one row here; "did you mean", the valid choices in messages, the
// CLI's --help and Python's lists follow.
#include "common/vocabulary.h"

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gdprkit/identifiers.h"
#include "gdprkit/vault.h"

namespace gdprkit {
namespace {

using internal::Named;

// The order is the order of the lists in messages and help: the default first.
constexpr Named<PseudonymScheme> kSchemeNames[] = {
    {PseudonymScheme::kChaCha20, "chacha20"},
    {PseudonymScheme::kBlake2b, "blake2b"},
};

constexpr Named<KeyState> kKeyStateNames[] = {
    {KeyState::kPrimary, "primary"},
    {KeyState::kEnabled, "enabled"},
    {KeyState::kDestroyed, "destroyed"},
};

// Stored in the audit trail by number (AuditOp); shown by these names.
constexpr Named<AuditOp> kAuditOpNames[] = {
    {AuditOp::kVaultCreated, "vault_created"},
    {AuditOp::kDomainCreated, "domain_created"},
    {AuditOp::kReidentify, "reidentify"},
    {AuditOp::kTranslate, "translate"},
    {AuditOp::kErase, "erase"},
    {AuditOp::kRotate, "rotate"},
    {AuditOp::kRekey, "rekey"},
    {AuditOp::kDestroyKey, "destroy_key"},
    {AuditOp::kExportKey, "export_key"},
    {AuditOp::kChangeProtection, "change_protection"},
};

constexpr Named<TranslateTarget> kTargetNames[] = {
    {TranslateTarget::kToken, "token"},
    {TranslateTarget::kPseudonym, "pseudonym"},
};

constexpr Named<VaultProtection> kProtectionNames[] = {
    {VaultProtection::kNone, "none"},
    {VaultProtection::kPassphrase, "passphrase"},
    {VaultProtection::kHostKey, "host_key"},
};

constexpr Named<TokenProblem> kTokenProblemNames[] = {
    {TokenProblem::kNone, "ok"},
    {TokenProblem::kMalformed, "malformed"},
    {TokenProblem::kFailedCheck, "failed_check"},
    {TokenProblem::kNotFound, "not_found"},
};

// ---- Titles for people, in English and Danish (common/vocabulary.h) ---------

using internal::Titled;

constexpr Titled<TokenProblem> kTokenProblemTitles[] = {
    {TokenProblem::kNone, "accepted", "godkendt"},
    {TokenProblem::kMalformed, "not a gdprkit token (\"tk_\" and 32 base32 characters)",
     "ikke et gdprkit-token (\"tk_\" og 32 base32-tegn)"},
    {TokenProblem::kFailedCheck,
     "the token fails its check: it was altered, or it belongs to another domain",
     "tokenet består ikke sin kontrol: det er ændret, eller det hører til et andet domæne"},
    {TokenProblem::kNotFound, "the token is not in the domain (erased, or never issued)",
     "tokenet findes ikke i domænet (slettet eller aldrig udstedt)"},
};

constexpr Titled<KeyState> kKeyStateTitles[] = {
    {KeyState::kPrimary, "primary key (new tokens and pseudonyms)",
     "primær nøgle (nye tokens og pseudonymer)"},
    {KeyState::kEnabled, "older key, still usable", "ældre nøgle, stadig i brug"},
    {KeyState::kDestroyed, "destroyed key", "destrueret nøgle"},
};

constexpr Titled<AuditOp> kAuditOpTitles[] = {
    {AuditOp::kVaultCreated, "vault created", "boks oprettet"},
    {AuditOp::kDomainCreated, "domain created", "domæne oprettet"},
    {AuditOp::kReidentify, "re-identification", "genidentifikation"},
    {AuditOp::kTranslate, "translation between domains", "oversættelse mellem domæner"},
    {AuditOp::kErase, "erasure (Art. 17)", "sletning (art. 17)"},
    {AuditOp::kRotate, "key rotation", "nøglerotation"},
    {AuditOp::kRekey, "re-keying", "omkryptering med ny nøgle"},
    {AuditOp::kDestroyKey, "key version destroyed", "nøgleversion destrueret"},
    {AuditOp::kExportKey, "pseudonym key exported", "pseudonymnøgle udleveret"},
    {AuditOp::kChangeProtection, "protection changed", "beskyttelse ændret"},
};

// The kinds in Danish (English: IdKindLabel, the kinds' table in
// identifiers.h).
constexpr Named<IdKind> kIdKindDanish[] = {
    {IdKind::kCpr, "CPR-nummer"},
    {IdKind::kCvr, "CVR-nummer"},
    {IdKind::kGln, "GLN (lokationsnummer)"},
    {IdKind::kProviderNumber, "ydernummer"},
    {IdKind::kSor, "SOR-kode"},
    {IdKind::kOther, "identifikator"},
};

// Why an identifier was rejected, by problem and kind; kAnyKind rows hold
// for every kind without a row of its own. The one place these sentences
// are written (IdProblemText); none repeats the value.
constexpr std::uint8_t kAnyKind = 0;
struct KindProblem {
  IdProblem problem;
  std::uint8_t kind;
  friend constexpr bool operator==(const KindProblem& a, const KindProblem& b) {
    return a.problem == b.problem && a.kind == b.kind;
  }
};
constexpr KindProblem For(IdProblem p, IdKind k) { return {p, static_cast<std::uint8_t>(k)}; }
constexpr KindProblem Any(IdProblem p) { return {p, kAnyKind}; }

constexpr Titled<KindProblem> kIdProblemTexts[] = {
    {Any(IdProblem::kNone), "accepted", "godkendt"},
    {Any(IdProblem::kEmpty), "the value is empty", "værdien er tom"},
    {For(IdProblem::kTooLong, IdKind::kOther), "longer than 256 bytes", "længere end 256 byte"},
    {Any(IdProblem::kTooLong), "far too long for its kind", "alt for lang til sin art"},
    {For(IdProblem::kBadSeparator, IdKind::kCpr),
     "a CPR number may only have a dash after the sixth digit",
     "et CPR-nummer må kun have en bindestreg efter det sjette ciffer"},
    {Any(IdProblem::kBadSeparator), "spaces or dashes in the wrong place",
     "mellemrum eller bindestreger på det forkerte sted"},
    {For(IdProblem::kBadCharacter, IdKind::kCpr),
     "a CPR number holds only digits and an optional dash",
     "et CPR-nummer består kun af cifre og eventuelt en bindestreg"},
    {For(IdProblem::kBadCharacter, IdKind::kCvr),
     "a CVR number holds only digits (an optional DK prefix)",
     "et CVR-nummer består kun af cifre (eventuelt med DK foran)"},
    {For(IdProblem::kBadCharacter, IdKind::kOther), "control characters or invalid UTF-8",
     "kontroltegn eller ugyldig UTF-8"},
    {Any(IdProblem::kBadCharacter), "only digits are allowed", "kun cifre er tilladt"},
    {For(IdProblem::kBadLength, IdKind::kCpr), "a CPR number has 10 digits (DDMMYY-SSSS)",
     "et CPR-nummer har 10 cifre (DDMMÅÅ-SSSS)"},
    {For(IdProblem::kBadLength, IdKind::kCvr), "a CVR number has 8 digits",
     "et CVR-nummer har 8 cifre"},
    {For(IdProblem::kBadLength, IdKind::kGln), "a GLN has 13 digits", "et GLN-nummer har 13 cifre"},
    {For(IdProblem::kBadLength, IdKind::kProviderNumber), "a provider number has at most 6 digits",
     "et ydernummer har højst 6 cifre"},
    {For(IdProblem::kBadLength, IdKind::kSor), "a SOR code has 11 to 18 digits",
     "en SOR-kode har 11 til 18 cifre"},
    {Any(IdProblem::kBadLength), "wrong length", "forkert længde"},
    {Any(IdProblem::kBadDate),
     "the first six digits of a CPR number are not a date (DDMMYY, with the century from the "
     "seventh digit)",
     "de første seks cifre i et CPR-nummer er ikke en dato (DDMMÅÅ, med århundredet fra det "
     "syvende ciffer)"},
    {For(IdProblem::kBadCheckDigit, IdKind::kCpr),
     "the CPR number fails the modulus-11 check, which is required",
     "CPR-nummeret består ikke modulus 11-kontrollen, som er påkrævet"},
    {For(IdProblem::kBadCheckDigit, IdKind::kCvr), "the CVR number fails its modulus-11 check",
     "CVR-nummeret består ikke sin modulus 11-kontrol"},
    {For(IdProblem::kBadCheckDigit, IdKind::kGln), "the GLN's check digit (GS1 modulo 10) is wrong",
     "GLN-nummerets kontrolciffer (GS1 modulo 10) er forkert"},
    {For(IdProblem::kBadCheckDigit, IdKind::kSor), "the SOR code's check digit (Verhoeff) is wrong",
     "SOR-kodens kontrolciffer (Verhoeff) er forkert"},
    {Any(IdProblem::kBadCheckDigit), "check digit is wrong", "kontrolcifferet er forkert"},
    {Any(IdProblem::kLeadingZero), "a CVR number never starts with 0",
     "et CVR-nummer begynder aldrig med 0"},
    {Any(IdProblem::kAllZeros), "a provider number cannot be all zeros",
     "et ydernummer kan ikke bestå af lutter nuller"},
    {Any(IdProblem::kReplacementNumber),
     "a CPR replacement number (day + 60) where replacement numbers are not accepted",
     "et erstatningspersonnummer (dag + 60), hvor erstatningspersonnumre ikke accepteres"},
    {Any(IdProblem::kFutureBirthDate),
     "the birth date of the CPR number lies in the future (after the date it is checked on), so "
     "it cannot have been issued",
     "CPR-nummerets fødselsdato ligger i fremtiden (efter den dato, det kontrolleres på), så "
     "det kan ikke være udstedt"},
};

// The Argon2id costs of KdfLimits, by name.
enum class KdfCost { kModerate, kInteractive, kTestsOnly };
constexpr Named<KdfCost> kKdfCostNames[] = {
    {KdfCost::kModerate, "moderate"},
    {KdfCost::kInteractive, "interactive"},
    {KdfCost::kTestsOnly, "tests_only"},
};

// IdKind and IdProblem keep their tables in the public header
// (identifiers.h is header-only for its checks); ParseNamed reads them as
// Named tables.
template <typename Row, typename E, std::size_t N>
std::vector<Named<E>> AsNamed(const Row (&rows)[N], E Row::*value, std::string_view Row::*name) {
  std::vector<Named<E>> out;
  out.reserve(N);
  for (const Row& r : rows) out.push_back({r.*value, r.*name});
  return out;
}

}  // namespace

GDPRKIT_DEFINE_NAMES(PseudonymScheme, PseudonymScheme, kSchemeNames, "pseudonym scheme")
GDPRKIT_DEFINE_NAMES(KeyState, KeyState, kKeyStateNames, "key state")
GDPRKIT_DEFINE_NAMES(AuditOp, AuditOp, kAuditOpNames, "audit operation")
GDPRKIT_DEFINE_NAMES(TranslateTarget, TranslateTarget, kTargetNames, "translation target")
GDPRKIT_DEFINE_NAMES(TokenProblem, TokenProblem, kTokenProblemNames, "token problem")
GDPRKIT_DEFINE_NAMES(VaultProtection, VaultProtection, kProtectionNames, "vault protection")

std::string_view TokenProblemTitle(TokenProblem problem, Language language) {
  return internal::TitleOf<TokenProblem>(kTokenProblemTitles, problem, language);
}
std::string_view KeyStateTitle(KeyState state, Language language) {
  return internal::TitleOf<KeyState>(kKeyStateTitles, state, language);
}
std::string_view AuditOpTitle(AuditOp op, Language language) {
  return internal::TitleOf<AuditOp>(kAuditOpTitles, op, language);
}

std::string_view IdKindTitle(IdKind kind, Language language) {
  if (language == Language::kDanish) {
    const std::string_view da = internal::NameOf<IdKind>(kIdKindDanish, kind);
    if (da != "unknown") return da;
  }
  return IdKindLabel(kind);
}

std::string_view IdProblemText(IdKind kind, IdProblem problem, Language language) {
  std::string_view text =
      internal::TitleOf<KindProblem>(kIdProblemTexts, For(problem, kind), language);
  if (text.empty()) text = internal::TitleOf<KindProblem>(kIdProblemTexts, Any(problem), language);
  if (text.empty()) return language == Language::kDanish ? "afvist" : "rejected";
  return text;
}

bool ParsePseudonymScheme(std::string_view name, PseudonymScheme* scheme) {
  const absl::StatusOr<PseudonymScheme> parsed = ParsePseudonymScheme(name);
  if (!parsed.ok()) return false;
  if (scheme != nullptr) *scheme = *parsed;
  return true;
}

absl::StatusOr<KdfLimits> KdfLimits::FromName(std::string_view name) {
  absl::StatusOr<KdfCost> cost =
      internal::ParseNamed(absl::MakeConstSpan(kKdfCostNames), name, "kdf cost");
  if (!cost.ok()) return cost.status();
  switch (*cost) {
    case KdfCost::kInteractive:
      return Interactive();
    case KdfCost::kTestsOnly:
      return ForTestsOnly();
    case KdfCost::kModerate:
      break;
  }
  return Moderate();
}
std::vector<std::string_view> KdfLimits::Names() {
  return internal::NamesOf(absl::MakeConstSpan(kKdfCostNames));
}

absl::StatusOr<IdKind> IdKindFromName(std::string_view name) {
  if (std::optional<IdKind> kind = ParseIdKind(name)) return *kind;
  static const std::vector<Named<IdKind>>* const kNames =
      new std::vector<Named<IdKind>>(AsNamed(kIdKinds, &IdKindInfo::kind, &IdKindInfo::name));
  return internal::ParseNamed(absl::MakeConstSpan(*kNames), name, "identifier kind");
}

absl::StatusOr<IdProblem> IdProblemFromCode(std::string_view code) {
  static const std::vector<Named<IdProblem>>* const kCodes = new std::vector<Named<IdProblem>>(
      AsNamed(kIdProblems, &IdProblemInfo::problem, &IdProblemInfo::code));
  return internal::ParseNamed(absl::MakeConstSpan(*kCodes), code, "identifier problem");
}

}  // namespace gdprkit
