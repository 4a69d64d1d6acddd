// The pseudonym kernel shared by Vault and Pseudonymizer: per value one
// ChaCha20 block (PseudonymScheme::kChaCha20, numeric kinds) or libsodium's
// keyed BLAKE2b (from a state keyed once per key), written straight into a
// StringColumn.
#ifndef GDPRKIT_SRC_VAULT_INTERNAL_PSEUDONYM_H_
#define GDPRKIT_SRC_VAULT_INTERNAL_PSEUDONYM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gdprkit/identifiers.h"
#include "gdprkit/vault.h"
#include "vault/internal/keys.h"

namespace gdprkit {

// The secret behind a Pseudonymizer: the DomainKeys layout with the pseudonym
// key and its keyed BLAKE2b state (PseudonymKeyMaterial).
struct Pseudonymizer::Key {
  std::unique_ptr<internal::SecretBytes> material;
};

namespace internal {

// "ps<version>_"
std::string PseudonymPrefix(std::uint32_t version);
// Length of a pseudonym of `version`.
std::size_t PseudonymSize(std::uint32_t version);

// Writes the pseudonym of the normal form `normalized` of kind `kind` to `out`
// (PseudonymSize(version) chars, starting with `text_prefix`). `material` has
// the DomainKeys layout, filled for `scheme` (keys.h). kBlake2b:
// base32(crypto_generichash(16, kind || normalized, pseudonym key)).
// kChaCha20, numeric kinds: base32 of the first 16 bytes of the ChaCha20
// (IETF) keystream under the scheme's numeric key with nonce
// kind || digit count || the number (64-bit little endian) || 0 0; kOther:
// base32(crypto_generichash(16, kind || text, the scheme's text key)).
void PseudonymOf(const std::uint8_t* material, PseudonymScheme scheme,
                 absl::string_view text_prefix, IdKind kind, absl::string_view normalized,
                 char* out);

// Where a batch's pseudonyms go: appended to `column` (cleared first; a
// rejected row under ErrorMode::kCoerce or kReport gets an empty value) or, when `slots`
// is set, written to slots[i] (PseudonymSize bytes) for row i (a rejected
// row's slot is left as it is).
struct PseudonymSink {
  StringColumn* column = nullptr;
  char* const* slots = nullptr;
};

// The batch kernel: normalises each row, pseudonymises it, writes it to
// `sink`. Honours options.errors and options.progress (stage
// "pseudonymise"); fills `report`.
// `material` holds the pseudonym key's keyed state at kPseudonymStateOffset
// (DomainKeys and Pseudonymizer material alike).
absl::Status PseudonymizeBatch(const std::uint8_t* material, std::uint32_t version,
                               PseudonymScheme scheme, IdKind kind,
                               absl::Span<const std::string_view> identifiers,
                               const PseudonymSink& sink, const BatchOptions& options,
                               BatchReport* report);

// Builds a Pseudonymizer (whose constructor is private) from a 32-byte key.
struct PseudonymizerAccess {
  static absl::StatusOr<std::unique_ptr<Pseudonymizer>> Make(std::string domain,
                                                             std::uint32_t version,
                                                             PseudonymScheme scheme,
                                                             absl::string_view key32);
  static const SecretBytes& Material(const Pseudonymizer& p) { return *p.key_->material; }
};

// The text form of an exported pseudonym key (v2: with the scheme).
std::string FormatExportedKey(absl::string_view domain, std::uint32_t version,
                              PseudonymScheme scheme, absl::string_view key32);

// True when `name` is a valid domain name (see Vault::CreateDomain).
bool IsValidDomainName(absl::string_view name);

}  // namespace internal
}  // namespace gdprkit

#endif  // GDPRKIT_SRC_VAULT_INTERNAL_PSEUDONYM_H_
