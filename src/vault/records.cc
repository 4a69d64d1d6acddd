// Token records: a domain's keys, the keyed index of an identifier, sealing
// and opening a record, checking a row's MAC.
#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/redact.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "gdprkit/vault.h"
#include "vault/internal/vault_impl.h"

namespace gdprkit {

absl::StatusOr<const DomainKeys*> Vault::Impl::Keys(const DomainRow& domain,
                                                    std::uint32_t version) {
  auto key = std::make_pair(domain.name, version);
  auto it = domain_keys.find(key);
  if (it != domain_keys.end()) return &it->second;
  if (masters.count(version) == 0) {
    // Another process may have rotated: read the key table again.
    GDPRKIT_RETURN_IF_ERROR(LoadKeys());
  }
  auto m = masters.find(version);
  if (m == masters.end()) {
    auto st = key_states.find(version);
    if (st != key_states.end() && st->second == KeyState::kDestroyed) {
      return absl::FailedPreconditionError(absl::StrCat("key version ", version, " was destroyed"));
    }
    return absl::NotFoundError(absl::StrCat("no key version ", version, " in the vault"));
  }
  GDPRKIT_ASSIGN_OR_RETURN(
      DomainKeys keys, internal::DeriveDomainKeys(*m->second, version, domain.name, domain.scheme));
  auto [ins, ok] = domain_keys.emplace(key, std::move(keys));
  return &ins->second;
}

void Vault::Impl::Index(const std::uint8_t* keys, IdKind kind, absl::string_view norm,
                        void* scratch, std::uint8_t* idx) {
  std::uint8_t msg[1 + kMaxNormalizedId];
  msg[0] = static_cast<std::uint8_t>(kind);
  std::memcpy(msg + 1, norm.data(), norm.size());
  internal::KeyedHashFrom(keys + internal::kIndexStateOffset, msg, 1 + norm.size(),
                          internal::kIndexBytes, idx);
  sodium_memzero(msg, 1 + norm.size());
}

absl::Status Vault::Impl::SealRecord(const DomainRow& d, std::uint32_t version,
                                     const std::uint8_t* keys, IdKind kind, absl::string_view norm,
                                     const std::uint8_t* random, const std::uint8_t* nonce,
                                     std::string* sealed) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  unsigned char msg[1 + kMaxNormalizedId];
  msg[0] = static_cast<unsigned char>(kind);
  std::memcpy(msg + 1, norm.data(), norm.size());
  char ad_buf[kTokenAdMax];
  const absl::string_view ad = TokenAd(d.name, random, version, ad_buf);
  sealed->resize(kNonce + 1 + norm.size() + kTag);
  auto* out = reinterpret_cast<unsigned char*>(&(*sealed)[0]);
  std::memcpy(out, nonce, kNonce);
  unsigned long long clen = 0;
  int rc = crypto_aead_xchacha20poly1305_ietf_encrypt(
      out + kNonce, &clen, msg, 1 + norm.size(), reinterpret_cast<const unsigned char*>(ad.data()),
      ad.size(), nullptr, nonce, keys + internal::kEncryptionKeyOffset);
  sodium_memzero(msg, 1 + norm.size());
  if (rc != 0) return absl::InternalError("sealing a token record failed");
  return absl::OkStatus();
}

absl::Status Vault::Impl::OpenRecord(const DomainRow& d, std::uint32_t version,
                                     const std::uint8_t* keys, const std::uint8_t* random,
                                     absl::string_view sealed, IdKind* kind, std::string* norm) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < kNonce + kTag + 2 || sealed.size() > kNonce + kTag + 1 + kMaxNormalizedId) {
    return absl::DataLossError("its record has a wrong size");
  }
  char ad_buf[kTokenAdMax];
  const absl::string_view ad = TokenAd(d.name, random, version, ad_buf);
  unsigned char msg[1 + kMaxNormalizedId];
  unsigned long long mlen = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          msg, &mlen, nullptr, s + kNonce, sealed.size() - kNonce,
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), s,
          keys + internal::kEncryptionKeyOffset) != 0) {
    return absl::DataLossError("its record fails authentication (the vault file was altered)");
  }
  *kind = static_cast<IdKind>(msg[0]);
  norm->assign(reinterpret_cast<const char*>(msg + 1), mlen - 1);
  sodium_memzero(msg, mlen);
  if (!IsKnownIdKind(*kind)) return absl::DataLossError("its record holds an unknown kind");
  return absl::OkStatus();
}

absl::Status Vault::Impl::CheckRow(const DomainRow& d, const std::uint8_t* keys,
                                   const RowView& r) const {
  std::uint8_t want[internal::kRowMacBytes];
  if (r.mac.size() != sizeof(want) || !RowMac(keys, d.id, r, want) ||
      sodium_memcmp(want, r.mac.data(), sizeof(want)) != 0) {
    return absl::DataLossError(
        absl::StrCat("vault file is damaged: a token record of domain '", d.name,
                     "' fails authentication (it was altered, moved or damaged)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<const std::uint8_t*> Vault::Impl::RowKeys(const DomainRow& d, std::uint32_t version,
                                                         KeyReaders* readers) {
  GDPRKIT_ASSIGN_OR_RETURN(const DomainKeys* keys, Keys(d, version));
  return readers->Get(keys);
}

}  // namespace gdprkit
