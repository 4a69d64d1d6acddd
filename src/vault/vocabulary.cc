// The names of the vault's and the identifiers' enums: one table per enum,
// from which every door parses and prints them (common/vocabulary.h). A new
// name is one row here; "did you mean", the valid choices in messages, the
// CLI's --help and Python's lists follow.
#include "common/vocabulary.h"

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
