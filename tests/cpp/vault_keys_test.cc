// Tests of the vault's key layer (src/vault/internal/keys.h): guarded memory, key
// wrapping, the keyed-state BLAKE2b against one-shot libsodium, base32, and the
// pseudonym format against an independent computation.
#include <sodium.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "gdprkit/vault.h"
#include "gtest/gtest.h"
#include "vault/internal/keys.h"
#include "vault/internal/pseudonym.h"

namespace gdprkit::internal {
namespace {

std::string Random(std::size_t n) {
  std::string s(n, '\0');
  randombytes_buf(&s[0], n);
  return s;
}

TEST(Blake2bTest, KeyedStateCopyEqualsOneShotLibsodiumForEveryLength) {
  ASSERT_TRUE(EnsureSodium().ok());
  for (int trial = 0; trial < 20; ++trial) {
    std::string key = Random(32);
    const auto* k = reinterpret_cast<const std::uint8_t*>(key.data());
    for (std::size_t outlen : {std::size_t{16}, std::size_t{32}, std::size_t{64}}) {
      std::uint8_t state[kHashStateBytes];
      KeyedHashInit(k, outlen, state);
      for (std::size_t len = 0; len <= 300; len += (len < 140 ? 1 : 37)) {
        std::string msg = Random(len);
        const auto* m = reinterpret_cast<const std::uint8_t*>(msg.data());
        std::uint8_t want[64], got[64];
        crypto_generichash(want, outlen, m, len, k, 32);
        KeyedHashFrom(state, m, len, outlen, got);
        ASSERT_EQ(std::string(reinterpret_cast<char*>(want), outlen),
                  std::string(reinterpret_cast<char*>(got), outlen))
            << "len " << len << " outlen " << outlen;
      }
    }
  }
}

TEST(Blake2bTest, KeyedStateIsReusableAndMessagesDoNotLeakIntoEachOther) {
  std::uint8_t key[32] = {7};
  std::uint8_t state[kHashStateBytes];
  KeyedHashInit(key, 16, state);
  const std::uint8_t a[] = {1, '0', '1', '0', '2'};
  std::uint8_t first[16], other[16], again[16];
  KeyedHashFrom(state, a, sizeof(a), 16, first);
  KeyedHashFrom(state, a, 3, 16, other);
  KeyedHashFrom(state, a, sizeof(a), 16, again);
  EXPECT_EQ(0, sodium_memcmp(first, again, 16));
  EXPECT_NE(0, sodium_memcmp(first, other, 16));
}

TEST(Blake2bTest, Rfc7693KeyedTestVector) {
  // The BLAKE2 reference's keyed test vector (blake2b-kat.txt, key 00..3f,
  // empty message) through libsodium, as a guard that crypto_generichash is the
  // keyed BLAKE2b we document; then the state path over 00..7f.
  std::uint8_t key64[64];
  for (int i = 0; i < 64; ++i) key64[i] = static_cast<std::uint8_t>(i);
  std::uint8_t h[64];
  crypto_generichash(h, 64, nullptr, 0, key64, 64);
  static const char kWant[] =
      "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786"
      "b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568";
  char hex[129];
  sodium_bin2hex(hex, sizeof(hex), h, 64);
  EXPECT_STREQ(hex, kWant);

  std::uint8_t key[32];
  for (int i = 0; i < 32; ++i) key[i] = static_cast<std::uint8_t>(i);
  std::uint8_t msg[128];
  for (int i = 0; i < 128; ++i) msg[i] = static_cast<std::uint8_t>(i);
  std::uint8_t state[kHashStateBytes];
  KeyedHashInit(key, 32, state);
  std::uint8_t want[32], got[32];
  crypto_generichash(want, 32, msg, 128, key, 32);
  KeyedHashFrom(state, msg, 128, 32, got);
  EXPECT_EQ(0, sodium_memcmp(want, got, 32));
}

TEST(SecretBytesTest, CopySealRead) {
  auto s = SecretBytes::CopyOf("secret");
  ASSERT_TRUE(s.ok());
  {
    SecretBytes::Reader r(**s);
    EXPECT_EQ(r.view(), "secret");
    SecretBytes::Reader r2(**s);  // nested readers are fine
    EXPECT_EQ(r2.size(), 6u);
  }
  SecretBytes::Reader again(**s);
  EXPECT_EQ(again.view(), "secret");
}

TEST(WrapTest, WrapUnwrapAndWrongKeyOrAd) {
  auto kek = NewRandomKey();
  auto other = NewRandomKey();
  auto key = NewRandomKey();
  ASSERT_TRUE(kek.ok() && other.ok() && key.ok());
  absl::StatusOr<std::string> w = WrapKey(**kek, **key, "ad");
  ASSERT_TRUE(w.ok());
  absl::StatusOr<std::unique_ptr<SecretBytes>> back = UnwrapKey(**kek, *w, "ad");
  ASSERT_TRUE(back.ok());
  SecretBytes::Reader a(**key), b(**back);
  EXPECT_EQ(a.view(), b.view());
  EXPECT_EQ(UnwrapKey(**other, *w, "ad").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(UnwrapKey(**kek, *w, "other ad").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(UnwrapKey(**kek, w->substr(1), "ad").status().code(), absl::StatusCode::kDataLoss);
}

TEST(KekTest, HostKeyMustHave32Bytes) {
  auto host = SecretBytes::CopyOf(std::string(31, 'k'));
  ASSERT_TRUE(host.ok());
  EXPECT_EQ(DeriveKek(false, **host, "", 0, 0).status().code(), absl::StatusCode::kInvalidArgument);
  auto pw = SecretBytes::CopyOf("pw");
  EXPECT_EQ(DeriveKek(true, **pw, "short salt", 1, 8192).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(Base32Test, RoundTripAndRejects) {
  for (std::size_t n :
       {std::size_t{1}, std::size_t{5}, std::size_t{16}, std::size_t{20}, std::size_t{32}}) {
    std::string raw = Random(n);
    std::string text(Base32Size(n), '\0');
    Base32Encode(reinterpret_cast<const std::uint8_t*>(raw.data()), n, &text[0]);
    std::vector<std::uint8_t> back(n);
    ASSERT_TRUE(Base32Decode(text, back.data(), n));
    EXPECT_EQ(std::string(back.begin(), back.end()), raw);
    EXPECT_FALSE(Base32Decode(text + "a", back.data(), n));
    std::string bad = text;
    bad[0] = '1';
    EXPECT_FALSE(Base32Decode(bad, back.data(), n));
  }
  std::uint8_t one;
  // "ab": the padding bits of the last character must be zero.
  EXPECT_FALSE(Base32Decode("ab", &one, 1));
  EXPECT_TRUE(Base32Decode("aa", &one, 1));
  char out[8];
  const std::uint8_t f[] = {'f', 'o', 'o', 'b', 'a'};
  Base32Encode(f, 5, out);
  EXPECT_EQ(std::string(out, 8), "mzxw6ytb");  // RFC 4648: BASE32("fooba")
}

// The pseudonym is exactly what docs/vault.md says, recomputed here from the
// exported key with libsodium's one-shot functions: for a kBlake2b domain
// "ps<v>_" + base32(BLAKE2b-128 keyed with the pseudonym key over kind ||
// normal form); for a kChaCha20 domain (the default) the first 16 bytes of the
// ChaCha20 keystream under crypto_kdf subkey 1 of the pseudonym key, with nonce
// kind || digit count || the number, little endian || 0 0.
TEST(PseudonymFormatTest, MatchesAnIndependentComputation) {
  std::string path = ::testing::TempDir() + "/gdprkit_keys_test_" + std::to_string(getpid());
  std::remove(path.c_str());
  auto vault = Vault::Create(
      VaultOptions().set_path(path).set_passphrase("pw").set_kdf_limits(KdfLimits::ForTestsOnly()));
  ASSERT_TRUE(vault.ok()) << vault.status();
  ASSERT_TRUE((*vault)->CreateDomain("d").ok());
  ASSERT_TRUE((*vault)->CreateDomain("b", "", PseudonymScheme::kBlake2b).ok());
  for (const char* domain : {"d", "b"}) {
    SCOPED_TRACE(domain);
    absl::StatusOr<std::string> text =
        (*vault)->ExportPseudonymKey(domain, "test", InsecureSecretAccess::Get());
    ASSERT_TRUE(text.ok());
    const bool chacha = std::string(domain) == "d";
    EXPECT_EQ(text->rfind(chacha ? "gdprkit-pseudonym-key-v2:d:1:chacha20:"
                                 : "gdprkit-pseudonym-key-v2:b:1:blake2b:",
                          0),
              0u);
    std::uint8_t key[32];
    ASSERT_TRUE(Base32Decode(text->substr(text->rfind(':') + 1), key, 32));
    std::uint8_t h[16];
    if (chacha) {
      std::uint8_t sub[32];
      ASSERT_EQ(crypto_kdf_derive_from_key(sub, 32, 1, "gdkpsch2", key), 0);
      const std::uint64_t number = 101801004;  // 0101801004: 10 digits
      std::uint8_t nonce[12] = {1, 10};
      std::memcpy(nonce + 2, &number, 8);  // little-endian machines only
      ASSERT_EQ(crypto_stream_chacha20_ietf(h, 16, nonce, sub), 0);
    } else {
      std::string msg = std::string(1, '\x01') + "0101801004";
      crypto_generichash(h, 16, reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size(), key,
                         32);
    }
    char b32[26];
    Base32Encode(h, 16, b32);
    StringColumn out;
    std::vector<std::string_view> ids = {"010180-1004"};
    ASSERT_TRUE((*vault)->Pseudonymize(domain, IdKind::kCpr, ids, &out).ok());
    EXPECT_EQ(out[0], "ps1_" + std::string(b32, 26));
  }
  std::remove(path.c_str());
}

// Leading zeros are part of a numeric normal form: the digit count in the
// nonce keeps "0123" and "123" apart (kinds whose length varies: SOR).
TEST(PseudonymFormatTest, ChaChaNonceTellsLeadingZerosApart) {
  std::string key(32, '\x07');
  auto material = PseudonymKeyMaterial(key, PseudonymScheme::kChaCha20);
  ASSERT_TRUE(material.ok());
  SecretBytes::Reader r(**material);
  char a[30], b[30], c[30];
  PseudonymOf(r.data(), PseudonymScheme::kChaCha20, "ps1_", IdKind::kSor, "012345678901", a);
  PseudonymOf(r.data(), PseudonymScheme::kChaCha20, "ps1_", IdKind::kSor, "12345678901", b);
  PseudonymOf(r.data(), PseudonymScheme::kChaCha20, "ps1_", IdKind::kCvr, "12345678901", c);
  EXPECT_NE(std::string(a, 30), std::string(b, 30));
  EXPECT_NE(std::string(b, 30), std::string(c, 30));  // the kind too
}

TEST(PseudonymFormatTest, GoldenValuesFromPythonHashlibStayTheSame) {
  // Computed outside gdprkit and libsodium, with Python's
  //   hashlib.blake2b(bytes([kind]) + normal_form, key=bytes(range(32)),
  //                   digest_size=16)
  // and lower-case unpadded base32: pseudonyms already issued must not change
  // when the implementation does.
  auto p = Pseudonymizer::FromExportedKey(
      "gdprkit-pseudonym-key-v1:klynge-aarhus-2026:1:"
      "aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dypq",
      InsecureSecretAccess::Get());
  ASSERT_TRUE(p.ok()) << p.status();
  auto cpr = (*p)->PseudonymizeOne(IdKind::kCpr, "010203-1234");
  ASSERT_TRUE(cpr.ok()) << cpr.status();
  EXPECT_EQ(*cpr, "ps1_rsq5ldwuuggrqp4lcr4sfjnf2y");
  auto yder = (*p)->PseudonymizeOne(IdKind::kProviderNumber, "12345");
  ASSERT_TRUE(yder.ok()) << yder.status();
  EXPECT_EQ(*yder, "ps1_lh4kzin623oma2tgycxzvqcnp4");
  // The v2 text of the same key names the scheme and gives the same values.
  auto v2 = Pseudonymizer::FromExportedKey(
      "gdprkit-pseudonym-key-v2:klynge-aarhus-2026:1:blake2b:"
      "aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dypq",
      InsecureSecretAccess::Get());
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ((*v2)->scheme(), PseudonymScheme::kBlake2b);
  EXPECT_EQ(*(*v2)->PseudonymizeOne(IdKind::kCpr, "010203-1234"), *cpr);
}

TEST(PseudonymFormatTest, ChaChaGoldenValuesFromAPythonReferenceStayTheSame) {
  // Computed outside gdprkit and libsodium by the plain-Python reference in
  // tests/python/test_pseudonym_reference.py (ChaCha20 from RFC 8439, checked
  // against its test vector; crypto_kdf through hashlib), key bytes(range(32)).
  auto p = Pseudonymizer::FromExportedKey(
      "gdprkit-pseudonym-key-v2:klynge-aarhus-2026:1:chacha20:"
      "aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dypq",
      InsecureSecretAccess::Get());
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->scheme(), PseudonymScheme::kChaCha20);
  struct Case {
    IdKind kind;
    const char* input;
    const char* pseudonym;
  };
  for (const Case& c : {
           Case{IdKind::kCpr, "010203-1234", "ps1_twetpfwzqirqedtbisqxeu5ppe"},
           Case{IdKind::kProviderNumber, "12345", "ps1_6szhxjircoxskcc2anxwd5l4me"},
           Case{IdKind::kSor, "1395371000016000", "ps1_4mkaekl7usn5cusfc3bc7z7ch4"},
           Case{IdKind::kOther, "  MRN-77 ", "ps1_qzn2c4o7nok6255dc3p3mc3q2a"},
       }) {
    SCOPED_TRACE(c.input);
    absl::StatusOr<std::string> got = (*p)->PseudonymizeOne(c.kind, c.input);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.pseudonym);
  }
}

TEST(PseudonymFormatTest, MalformedExportedKeysAreRefused) {
  const std::string key = "aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dypq";
  for (const std::string& text : {
           "gdprkit-pseudonym-key-v2:d:1:sha1:" + key,        // unknown scheme
           "gdprkit-pseudonym-key-v2:d:1:" + key,             // v2 without a scheme
           "gdprkit-pseudonym-key-v1:d:1:blake2b:" + key,     // v1 has no scheme
           "gdprkit-pseudonym-key-v2:d:0:chacha20:" + key,    // version 0
           "gdprkit-pseudonym-key-v2:D D:1:chacha20:" + key,  // bad domain
           "gdprkit-pseudonym-key-v2:d:1:chacha20:" + key.substr(1),
           "gdprkit-pseudonym-key-v3:d:1:chacha20:" + key,
       }) {
    SCOPED_TRACE(text);
    auto p = Pseudonymizer::FromExportedKey(text, InsecureSecretAccess::Get());
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(p.status().message()).find(key.substr(1, 20)), std::string::npos);
  }
}

TEST(PseudonymSchemeTest, NamesRoundTrip) {
  for (PseudonymScheme s : {PseudonymScheme::kBlake2b, PseudonymScheme::kChaCha20}) {
    PseudonymScheme back{};
    ASSERT_TRUE(ParsePseudonymScheme(PseudonymSchemeName(s), &back));
    EXPECT_EQ(back, s);
  }
  EXPECT_FALSE(ParsePseudonymScheme("BLAKE2B", nullptr));
  EXPECT_FALSE(ParsePseudonymScheme("", nullptr));
}

}  // namespace
}  // namespace gdprkit::internal
