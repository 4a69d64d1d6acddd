#include "vault/internal/keys.h"

#include <sodium.h>

#include <cstring>
#include <mutex>

#include "absl/strings/str_cat.h"

namespace gdprkit::internal {
namespace {

// Personalisation strings (16 bytes) and the crypto_kdf context (8 bytes):
// domain separation between every use of a key.
constexpr char kDomainPersonal[crypto_generichash_blake2b_PERSONALBYTES] = "gdprkit.domain1";
constexpr char kKekPersonal[crypto_generichash_blake2b_PERSONALBYTES] = "gdprkit.hostkek";
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES] = {'g', 'd', 'k', 'd', 'o', 'm', 'v', '1'};
constexpr std::uint64_t kSubkeyPseudonym = 1;
constexpr std::uint64_t kSubkeyIndex = 2;
constexpr std::uint64_t kSubkeyEncryption = 3;
constexpr std::uint64_t kSubkeyRowMac = 4;
// The kChaCha20 pseudonym scheme's two keys, derived from the pseudonym key.
constexpr char kSchemeContext[crypto_kdf_CONTEXTBYTES] = {'g', 'd', 'k', 'p', 's', 'c', 'h', '2'};
constexpr std::uint64_t kSubkeyChaChaNumeric = 1;
constexpr std::uint64_t kSubkeyChaChaText = 2;

// From the pseudonym key at d[kPseudonymKeyOffset]: the ChaCha20 key (kChaCha20)
// and the keyed BLAKE2b state the scheme hashes with.
void FillPseudonymMaterial(PseudonymScheme scheme, std::uint8_t* d) {
  const std::uint8_t* pk = d + kPseudonymKeyOffset;
  if (scheme == PseudonymScheme::kChaCha20) {
    std::uint8_t text_key[kKeyBytes];
    crypto_kdf_derive_from_key(d + kPseudonymChaChaKeyOffset, kKeyBytes, kSubkeyChaChaNumeric,
                               kSchemeContext, pk);
    crypto_kdf_derive_from_key(text_key, kKeyBytes, kSubkeyChaChaText, kSchemeContext, pk);
    KeyedHashInit(text_key, kPseudonymBytes, d + kPseudonymStateOffset);
    sodium_memzero(text_key, sizeof(text_key));
  } else {
    sodium_memzero(d + kPseudonymChaChaKeyOffset, kKeyBytes);
    KeyedHashInit(pk, kPseudonymBytes, d + kPseudonymStateOffset);
  }
}

constexpr char kBase32[] = "abcdefghijklmnopqrstuvwxyz234567";

}  // namespace

absl::Status EnsureSodium() {
  static const int rc = sodium_init();
  if (rc < 0) return absl::InternalError("libsodium could not be initialised");
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<SecretBytes>> SecretBytes::New(std::size_t size) {
  if (absl::Status s = EnsureSodium(); !s.ok()) return s;
  if (size == 0) size = 1;
  void* p = sodium_malloc(size);
  if (p == nullptr) return absl::ResourceExhaustedError("no guarded memory for key material");
  sodium_memzero(p, size);
  return std::unique_ptr<SecretBytes>(new SecretBytes(static_cast<std::uint8_t*>(p), size));
}

absl::StatusOr<std::unique_ptr<SecretBytes>> SecretBytes::CopyOf(absl::string_view bytes) {
  absl::StatusOr<std::unique_ptr<SecretBytes>> s = New(bytes.size());
  if (!s.ok()) return s;
  if (!bytes.empty()) std::memcpy((*s)->mutable_data(), bytes.data(), bytes.size());
  (*s)->size_ = bytes.size();
  (*s)->Seal();
  return s;
}

SecretBytes::~SecretBytes() {
  // sodium_free makes the region writable, wipes it and unmaps it.
  sodium_free(data_);
}

void SecretBytes::Seal() {
  absl::MutexLock lock(&mu_);
  sealed_ = true;
  if (readers_ == 0) sodium_mprotect_noaccess(data_);
}

SecretBytes::Reader::Reader(const SecretBytes& s) : s_(s) {
  absl::MutexLock lock(&s_.mu_);
  if (s_.readers_++ == 0 && s_.sealed_) sodium_mprotect_readonly(s_.data_);
}

SecretBytes::Reader::~Reader() {
  absl::MutexLock lock(&s_.mu_);
  if (--s_.readers_ == 0 && s_.sealed_) sodium_mprotect_noaccess(s_.data_);
}

absl::StatusOr<std::unique_ptr<SecretBytes>> DeriveKek(bool passphrase, const SecretBytes& secret,
                                                       absl::string_view salt,
                                                       std::uint64_t opslimit,
                                                       std::size_t memlimit) {
  absl::StatusOr<std::unique_ptr<SecretBytes>> kek = SecretBytes::New(kKeyBytes);
  if (!kek.ok()) return kek;
  SecretBytes::Reader in(secret);
  if (passphrase) {
    if (salt.size() != crypto_pwhash_SALTBYTES) {
      return absl::DataLossError("vault file is damaged: the passphrase salt has a wrong size");
    }
    if (crypto_pwhash((*kek)->mutable_data(), kKeyBytes, reinterpret_cast<const char*>(in.data()),
                      in.size(), reinterpret_cast<const unsigned char*>(salt.data()), opslimit,
                      memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
      return absl::ResourceExhaustedError(
          absl::StrCat("Argon2id could not get ", memlimit / 1024, " KiB of memory"));
    }
  } else {
    if (in.size() != kKeyBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("a host key has ", kKeyBytes, " bytes, not ", in.size()));
    }
    if (crypto_generichash_blake2b_salt_personal(
            (*kek)->mutable_data(), kKeyBytes, nullptr, 0, in.data(), in.size(), nullptr,
            reinterpret_cast<const unsigned char*>(kKekPersonal)) != 0) {
      return absl::InternalError("BLAKE2b failed");
    }
  }
  (*kek)->Seal();
  return kek;
}

absl::StatusOr<std::string> WrapKey(const SecretBytes& kek, const SecretBytes& key,
                                    absl::string_view ad) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  SecretBytes::Reader k(kek);
  SecretBytes::Reader m(key);
  std::string out(kNonce + m.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* o = reinterpret_cast<unsigned char*>(&out[0]);
  randombytes_buf(o, kNonce);
  unsigned long long clen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(o + kNonce, &clen, m.data(), m.size(),
                                                 reinterpret_cast<const unsigned char*>(ad.data()),
                                                 ad.size(), nullptr, o, k.data()) != 0) {
    return absl::InternalError("key wrapping failed");
  }
  return out;
}

absl::StatusOr<std::unique_ptr<SecretBytes>> UnwrapKey(const SecretBytes& kek,
                                                       absl::string_view wrapped,
                                                       absl::string_view ad) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (wrapped.size() != kNonce + kKeyBytes + kTag) {
    return absl::DataLossError("vault file is damaged: a wrapped key has a wrong size");
  }
  absl::StatusOr<std::unique_ptr<SecretBytes>> key = SecretBytes::New(kKeyBytes);
  if (!key.ok()) return key;
  SecretBytes::Reader k(kek);
  const auto* w = reinterpret_cast<const unsigned char*>(wrapped.data());
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          (*key)->mutable_data(), &mlen, nullptr, w + kNonce, wrapped.size() - kNonce,
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), w, k.data()) != 0) {
    return absl::UnauthenticatedError("key does not unwrap");
  }
  (*key)->Seal();
  return key;
}

absl::StatusOr<std::unique_ptr<SecretBytes>> NewRandomKey() {
  absl::StatusOr<std::unique_ptr<SecretBytes>> key = SecretBytes::New(kKeyBytes);
  if (!key.ok()) return key;
  crypto_kdf_keygen((*key)->mutable_data());
  (*key)->Seal();
  return key;
}

std::string Checksum(absl::string_view data) {
  std::string out(16, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(&out[0]), out.size(),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
  return out;
}

static_assert(sizeof(crypto_generichash_blake2b_state) == kHashStateBytes,
              "kHashStateBytes must be libsodium's BLAKE2b state size");

void KeyedHashInit(const std::uint8_t* key32, std::size_t outlen, std::uint8_t* state_out) {
  crypto_generichash_blake2b_state st;
  // Cannot fail for a 32-byte key and 16 <= outlen <= 64 (the only uses).
  (void)crypto_generichash_blake2b_init(&st, key32, kKeyBytes, outlen);
  std::memcpy(state_out, &st, sizeof(st));
  sodium_memzero(&st, sizeof(st));
}

void KeyedHashFrom(const std::uint8_t* state, const std::uint8_t* msg, std::size_t len,
                   std::size_t outlen, std::uint8_t* out) {
  crypto_generichash_blake2b_state st;
  std::memcpy(&st, state, sizeof(st));
  (void)crypto_generichash_blake2b_update(&st, msg, len);
  (void)crypto_generichash_blake2b_final(&st, out, outlen);
  // libsodium's final wipes the chaining value and the buffer (which held the
  // key block); wipe the whole copy anyway rather than rely on that.
  sodium_memzero(&st, sizeof(st));
}

absl::StatusOr<DomainKeys> DeriveDomainKeys(const SecretBytes& master, std::uint32_t version,
                                            absl::string_view domain, PseudonymScheme scheme) {
  absl::StatusOr<std::unique_ptr<SecretBytes>> out = SecretBytes::New(kDomainKeysSize);
  if (!out.ok()) return out.status();
  std::uint8_t root[kKeyBytes];
  {
    SecretBytes::Reader m(master);
    if (crypto_generichash_blake2b_salt_personal(
            root, sizeof(root), reinterpret_cast<const unsigned char*>(domain.data()),
            domain.size(), m.data(), m.size(), nullptr,
            reinterpret_cast<const unsigned char*>(kDomainPersonal)) != 0) {
      return absl::InternalError("BLAKE2b failed");
    }
  }
  std::uint8_t* d = (*out)->mutable_data();
  crypto_kdf_derive_from_key(d + kPseudonymKeyOffset, kKeyBytes, kSubkeyPseudonym, kKdfContext,
                             root);
  crypto_kdf_derive_from_key(d + kIndexKeyOffset, kKeyBytes, kSubkeyIndex, kKdfContext, root);
  crypto_kdf_derive_from_key(d + kEncryptionKeyOffset, kKeyBytes, kSubkeyEncryption, kKdfContext,
                             root);
  crypto_kdf_derive_from_key(d + kRowMacKeyOffset, kRowMacKeyBytes, kSubkeyRowMac, kKdfContext,
                             root);
  sodium_memzero(root, sizeof(root));
  FillPseudonymMaterial(scheme, d);
  KeyedHashInit(d + kIndexKeyOffset, kIndexBytes, d + kIndexStateOffset);
  (*out)->Seal();
  DomainKeys keys;
  keys.version = version;
  keys.secret = std::move(*out);
  return keys;
}

absl::StatusOr<std::unique_ptr<SecretBytes>> PseudonymKeyMaterial(absl::string_view key32,
                                                                  PseudonymScheme scheme) {
  if (key32.size() != kKeyBytes)
    return absl::InvalidArgumentError("pseudonym key has a wrong size");
  absl::StatusOr<std::unique_ptr<SecretBytes>> out = SecretBytes::New(kDomainKeysSize);
  if (!out.ok()) return out;
  std::uint8_t* d = (*out)->mutable_data();
  sodium_memzero(d, kDomainKeysSize);
  std::memcpy(d + kPseudonymKeyOffset, key32.data(), kKeyBytes);
  FillPseudonymMaterial(scheme, d);
  (*out)->Seal();
  return out;
}

std::size_t Base32Size(std::size_t n) { return (8 * n + 4) / 5; }

void Base32Encode(const std::uint8_t* data, std::size_t n, char* out) {
  std::size_t i = 0, o = 0;
  for (; i + 5 <= n; i += 5) {  // 5 bytes are 8 characters
    const std::uint64_t v = (std::uint64_t{data[i]} << 32) | (std::uint64_t{data[i + 1]} << 24) |
                            (std::uint64_t{data[i + 2]} << 16) | (std::uint64_t{data[i + 3]} << 8) |
                            std::uint64_t{data[i + 4]};
    for (int k = 7; k >= 0; --k) out[o++] = kBase32[(v >> (5 * k)) & 31];
  }
  std::uint32_t buffer = 0;
  int bits = 0;
  for (; i < n; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 5) {
      out[o++] = kBase32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out[o++] = kBase32[(buffer << (5 - bits)) & 31];
}

bool Base32Decode(absl::string_view text, std::uint8_t* out, std::size_t n) {
  if (text.size() != Base32Size(n)) return false;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t o = 0;
  for (char c : text) {
    int v;
    if (c >= 'a' && c <= 'z') {
      v = c - 'a';
    } else if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= '2' && c <= '7') {
      v = c - '2' + 26;
    } else {
      return false;
    }
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      if (o < n) out[o++] = static_cast<std::uint8_t>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  // The padding bits of the last character must be zero (one text per value).
  if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0) return false;
  return o == n;
}

}  // namespace gdprkit::internal
