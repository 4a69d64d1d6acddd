#include "internal/keys.h"

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

namespace {

constexpr std::uint64_t kIv[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
constexpr std::uint8_t kSigma[12][16] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
                                         {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
                                         {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
                                         {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
                                         {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
                                         {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
                                         {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
                                         {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
                                         {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
                                         {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
                                         {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
                                         {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3}};

inline std::uint64_t Rotr(std::uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

inline std::uint64_t Load64(const std::uint8_t* p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
#else
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
#endif
}

#define GDPRKIT_B2B_G(a, b, c, d, x, y) \
  do {                                  \
    a = a + b + (x);                    \
    d = Rotr(d ^ a, 32);                \
    c = c + d;                          \
    b = Rotr(b ^ c, 24);                \
    a = a + b + (y);                    \
    d = Rotr(d ^ a, 16);                \
    c = c + d;                          \
    b = Rotr(b ^ c, 63);                \
  } while (0)

// The BLAKE2b compression function F (RFC 7693, 3.2); constant time.
void Compress(std::uint64_t h[8], const std::uint8_t block[128], std::uint64_t t, bool last) {
  std::uint64_t m[16];
  for (int i = 0; i < 16; ++i) m[i] = Load64(block + 8 * i);
  std::uint64_t v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3], v4 = h[4], v5 = h[5], v6 = h[6],
                v7 = h[7], v8 = kIv[0], v9 = kIv[1], v10 = kIv[2], v11 = kIv[3], v12 = kIv[4] ^ t,
                v13 = kIv[5], v14 = last ? ~kIv[6] : kIv[6], v15 = kIv[7];
#define GDPRKIT_B2B_ROUND(r)                                             \
  do {                                                                   \
    GDPRKIT_B2B_G(v0, v4, v8, v12, m[kSigma[r][0]], m[kSigma[r][1]]);    \
    GDPRKIT_B2B_G(v1, v5, v9, v13, m[kSigma[r][2]], m[kSigma[r][3]]);    \
    GDPRKIT_B2B_G(v2, v6, v10, v14, m[kSigma[r][4]], m[kSigma[r][5]]);   \
    GDPRKIT_B2B_G(v3, v7, v11, v15, m[kSigma[r][6]], m[kSigma[r][7]]);   \
    GDPRKIT_B2B_G(v0, v5, v10, v15, m[kSigma[r][8]], m[kSigma[r][9]]);   \
    GDPRKIT_B2B_G(v1, v6, v11, v12, m[kSigma[r][10]], m[kSigma[r][11]]); \
    GDPRKIT_B2B_G(v2, v7, v8, v13, m[kSigma[r][12]], m[kSigma[r][13]]);  \
    GDPRKIT_B2B_G(v3, v4, v9, v14, m[kSigma[r][14]], m[kSigma[r][15]]);  \
  } while (0)
  // Unrolled, so that every message index is a constant.
  GDPRKIT_B2B_ROUND(0);
  GDPRKIT_B2B_ROUND(1);
  GDPRKIT_B2B_ROUND(2);
  GDPRKIT_B2B_ROUND(3);
  GDPRKIT_B2B_ROUND(4);
  GDPRKIT_B2B_ROUND(5);
  GDPRKIT_B2B_ROUND(6);
  GDPRKIT_B2B_ROUND(7);
  GDPRKIT_B2B_ROUND(8);
  GDPRKIT_B2B_ROUND(9);
  GDPRKIT_B2B_ROUND(10);
  GDPRKIT_B2B_ROUND(11);
#undef GDPRKIT_B2B_ROUND
  h[0] ^= v0 ^ v8;
  h[1] ^= v1 ^ v9;
  h[2] ^= v2 ^ v10;
  h[3] ^= v3 ^ v11;
  h[4] ^= v4 ^ v12;
  h[5] ^= v5 ^ v13;
  h[6] ^= v6 ^ v14;
  h[7] ^= v7 ^ v15;
  sodium_memzero(m, sizeof(m));
}

#undef GDPRKIT_B2B_G

}  // namespace

void Blake2bKeyedPrefix(const std::uint8_t* key32, std::size_t outlen, std::uint64_t h[8]) {
  for (int i = 0; i < 8; ++i) h[i] = kIv[i];
  // Parameter block: digest length, key length, fanout 1, depth 1.
  h[0] ^= 0x01010000ULL ^ (std::uint64_t{kKeyBytes} << 8) ^ outlen;
  std::uint8_t block[128] = {0};
  std::memcpy(block, key32, kKeyBytes);
  Compress(h, block, 128, /*last=*/false);
  sodium_memzero(block, sizeof(block));
}

void Blake2bKeyedShort(const std::uint64_t prefix[8], const std::uint8_t* msg, std::size_t len,
                       std::size_t outlen, std::uint8_t* out) {
  std::uint64_t h[8];
  std::memcpy(h, prefix, sizeof(h));
  std::uint8_t block[128] = {0};
  std::memcpy(block, msg, len);
  Compress(h, block, 128 + len, /*last=*/true);
  for (std::size_t i = 0; i < outlen; ++i)
    out[i] = static_cast<std::uint8_t>(h[i / 8] >> (8 * (i % 8)));
  sodium_memzero(block, sizeof(block));
  sodium_memzero(h, sizeof(h));
}

void KeyedHash(const std::uint8_t* key32, const std::uint64_t prefix[8], const std::uint8_t* msg,
               std::size_t len, std::size_t outlen, std::uint8_t* out) {
  if (len >= 1 && len <= 128) {
    Blake2bKeyedShort(prefix, msg, len, outlen, out);
  } else {
    crypto_generichash(out, outlen, msg, len, key32, kKeyBytes);
  }
}

absl::StatusOr<DomainKeys> DeriveDomainKeys(const SecretBytes& master, std::uint32_t version,
                                            absl::string_view domain) {
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
  sodium_memzero(root, sizeof(root));
  std::uint64_t prefix[8];
  Blake2bKeyedPrefix(d + kPseudonymKeyOffset, kPseudonymBytes, prefix);
  std::memcpy(d + kPseudonymPrefixOffset, prefix, sizeof(prefix));
  Blake2bKeyedPrefix(d + kIndexKeyOffset, kIndexBytes, prefix);
  std::memcpy(d + kIndexPrefixOffset, prefix, sizeof(prefix));
  sodium_memzero(prefix, sizeof(prefix));
  (*out)->Seal();
  DomainKeys keys;
  keys.version = version;
  keys.secret = std::move(*out);
  return keys;
}

absl::StatusOr<std::unique_ptr<SecretBytes>> PseudonymKeyMaterial(absl::string_view key32) {
  if (key32.size() != kKeyBytes)
    return absl::InvalidArgumentError("pseudonym key has a wrong size");
  absl::StatusOr<std::unique_ptr<SecretBytes>> out = SecretBytes::New(kDomainKeysSize);
  if (!out.ok()) return out;
  std::uint8_t* d = (*out)->mutable_data();
  std::memcpy(d, key32.data(), kKeyBytes);
  std::uint64_t prefix[8];
  Blake2bKeyedPrefix(d, kPseudonymBytes, prefix);
  std::memcpy(d + kPseudonymPrefixOffset, prefix, sizeof(prefix));
  sodium_memzero(prefix, sizeof(prefix));
  (*out)->Seal();
  return out;
}

std::size_t Base32Size(std::size_t n) { return (8 * n + 4) / 5; }

void Base32Encode(const std::uint8_t* data, std::size_t n, char* out) {
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t o = 0;
  for (std::size_t i = 0; i < n; ++i) {
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
