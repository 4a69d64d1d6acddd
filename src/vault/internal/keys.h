// The vault's key material: guarded memory, key wrapping, derivation of the
// per-domain keys, and the text encodings of pseudonyms and tokens.
//
// Every byte of secret material lives in a SecretBytes (sodium_malloc: guard
// pages, mlock, canary; no access except while a Reader is alive; wiped by
// sodium_free). Nothing here logs or formats secret bytes.
#ifndef GDPRKIT_SRC_VAULT_INTERNAL_KEYS_H_
#define GDPRKIT_SRC_VAULT_INTERNAL_KEYS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "gdprkit/vault.h"

namespace gdprkit::internal {

// sodium_init(), once. Internal error when libsodium cannot start.
absl::Status EnsureSodium();

// A fixed-size block of guarded memory. Writable from New() until Seal(); after
// that no access except through a Reader (reference counted, so concurrent
// readers are fine).
class SecretBytes {
 public:
  // ResourceExhausted when guarded memory cannot be had.
  static absl::StatusOr<std::unique_ptr<SecretBytes>> New(std::size_t size);
  // A sealed copy of `bytes`.
  static absl::StatusOr<std::unique_ptr<SecretBytes>> CopyOf(absl::string_view bytes);
  ~SecretBytes();
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  std::size_t size() const { return size_; }
  // Only before Seal().
  std::uint8_t* mutable_data() { return data_; }
  // No access from now on but through a Reader.
  void Seal();

  class Reader {
   public:
    explicit Reader(const SecretBytes& s);
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    const std::uint8_t* data() const { return s_.data_; }
    std::size_t size() const { return s_.size_; }
    absl::string_view view() const {
      return absl::string_view(reinterpret_cast<const char*>(s_.data_), s_.size_);
    }

   private:
    const SecretBytes& s_;
  };

 private:
  SecretBytes(std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t* data_;
  std::size_t size_;
  bool sealed_ = false;
  mutable absl::Mutex mu_;
  mutable int readers_ ABSL_GUARDED_BY(mu_) = 0;
};

inline constexpr std::size_t kKeyBytes = 32;
inline constexpr std::size_t kSaltBytes = 16;
inline constexpr std::size_t kIndexBytes = 32;
inline constexpr std::size_t kTokenRandomBytes = 16;
inline constexpr std::size_t kTokenCheckBytes = 4;
inline constexpr std::size_t kPseudonymBytes = 16;

// The key-encryption key: Argon2id over a passphrase (with salt and limits) or
// a keyed BLAKE2b of the host key. ResourceExhausted when Argon2id cannot get
// its memory.
absl::StatusOr<std::unique_ptr<SecretBytes>> DeriveKek(bool passphrase, const SecretBytes& secret,
                                                       absl::string_view salt,
                                                       std::uint64_t opslimit,
                                                       std::size_t memlimit);

// Encrypts `key` under `kek` (XChaCha20-Poly1305, random nonce) with
// associated data `ad`: returns nonce || ciphertext.
absl::StatusOr<std::string> WrapKey(const SecretBytes& kek, const SecretBytes& key,
                                    absl::string_view ad);
// The reverse. Unauthenticated when the tag fails (wrong key-encryption key, or
// altered bytes: the caller tells them apart with a checksum).
absl::StatusOr<std::unique_ptr<SecretBytes>> UnwrapKey(const SecretBytes& kek,
                                                       absl::string_view wrapped,
                                                       absl::string_view ad);

// A fresh random key.
absl::StatusOr<std::unique_ptr<SecretBytes>> NewRandomKey();

// An unkeyed BLAKE2b-128 checksum of `data` (to tell a damaged record from a
// wrong key).
std::string Checksum(absl::string_view data);

// Keyed BLAKE2b (crypto_generichash_blake2b with a 32-byte key), through
// libsodium's own streaming API only: KeyedHashInit keys a
// crypto_generichash_blake2b_state once per key (its bytes are stored in the
// key material, kHashStateBytes of them), and KeyedHashFrom copies that state
// for each message, absorbs the message and finalises. The output is
// byte-for-byte crypto_generichash(out, outlen, msg, len, key32, 32).
inline constexpr std::size_t kHashStateBytes = 384;  // sizeof(crypto_generichash_blake2b_state)
void KeyedHashInit(const std::uint8_t* key32, std::size_t outlen, std::uint8_t* state_out);
void KeyedHashFrom(const std::uint8_t* state, const std::uint8_t* msg, std::size_t len,
                   std::size_t outlen, std::uint8_t* out);

// The per-domain keys under one master-key version. Layout of the secret:
//   [0, 32)     pseudonym key (the one Vault::ExportPseudonymKey exports)
//   [32, 64)    index key
//   [64, 96)    encryption key
//   [96, 128)   kChaCha20 scheme: the ChaCha20 key for numeric identifiers
//               (crypto_kdf subkey 1 of the pseudonym key); zero for kBlake2b
//   [128, 512)  keyed BLAKE2b state (16-byte output) of the pseudonym key
//               (kBlake2b) or of its crypto_kdf subkey 2 (kChaCha20: kOther)
//   [512, 896)  keyed BLAKE2b state of the index key (32-byte output)
//   [896, 912)  row MAC key: SipHash-2-4 (crypto_shorthash_siphashx24) key
//               authenticating each token row (crypto_kdf subkey 4 of the
//               domain root); zero in a Pseudonymizer
struct DomainKeys {
  std::uint32_t version = 0;
  std::unique_ptr<SecretBytes> secret;
};
absl::StatusOr<DomainKeys> DeriveDomainKeys(const SecretBytes& master, std::uint32_t version,
                                            absl::string_view domain, PseudonymScheme scheme);

inline constexpr std::size_t kPseudonymKeyOffset = 0;
inline constexpr std::size_t kIndexKeyOffset = 32;
inline constexpr std::size_t kEncryptionKeyOffset = 64;
inline constexpr std::size_t kPseudonymChaChaKeyOffset = 96;
inline constexpr std::size_t kPseudonymStateOffset = 128;
inline constexpr std::size_t kIndexStateOffset = kPseudonymStateOffset + kHashStateBytes;
inline constexpr std::size_t kRowMacKeyOffset = kIndexStateOffset + kHashStateBytes;
inline constexpr std::size_t kRowMacKeyBytes = 16;  // crypto_shorthash_siphashx24_KEYBYTES
inline constexpr std::size_t kRowMacBytes = 16;     // crypto_shorthash_siphashx24_BYTES
inline constexpr std::size_t kDomainKeysSize = kRowMacKeyOffset + kRowMacKeyBytes;

// The material of a standalone Pseudonymizer: a sealed SecretBytes with the
// DomainKeys layout, holding only the pseudonym key and what `scheme` derives
// from it (the rest zero).
absl::StatusOr<std::unique_ptr<SecretBytes>> PseudonymKeyMaterial(absl::string_view key32,
                                                                  PseudonymScheme scheme);

// Lower-case RFC 4648 base32 without padding.
void Base32Encode(const std::uint8_t* data, std::size_t n, char* out);  // out: (8n+4)/5 chars
std::size_t Base32Size(std::size_t n);
// False on a character outside the alphabet or a wrong length.
bool Base32Decode(absl::string_view text, std::uint8_t* out, std::size_t n);

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_VAULT_INTERNAL_KEYS_H_
