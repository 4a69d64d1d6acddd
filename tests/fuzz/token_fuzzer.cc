// Fuzzes everything that decodes tokens and keys from text: Vault::Reidentify
// and LookupTokens-free translation of arbitrary token text against a small
// vault (token form, base32, the domain-bound check, the sealed record),
// Pseudonymizer::FromExportedKey, and the base32 codec. Nothing may crash;
// garbage must be refused as InvalidArgument or NotFound, never accepted.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "gdprkit/vault.h"
#include "vault/internal/keys.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

std::string* g_path = nullptr;

void RemoveVaultFiles() {
  for (const char* suffix : {"", "-wal", "-shm"}) unlink((*g_path + suffix).c_str());
}

gdprkit::Vault* TheVault() {
  static gdprkit::Vault* vault = [] {
    const char* dir = std::getenv("TMPDIR");
    g_path = new std::string(std::string(dir != nullptr ? dir : "/tmp") + "/gdprkit_token_fuzzer_" +
                             std::to_string(getpid()) + ".vault");
    const std::string& path = *g_path;
    RemoveVaultFiles();
    std::atexit(RemoveVaultFiles);
    auto v = gdprkit::Vault::Create(
        gdprkit::VaultOptions().set_path(path).set_passphrase("fuzz").set_kdf_limits(
            gdprkit::KdfLimits::ForTestsOnly()));
    if (!v.ok()) std::abort();
    (void)(*v)->CreateDomain("a");
    (void)(*v)->CreateDomain("b");  // chacha20, the default
    (void)(*v)->CreateDomain("c", "", gdprkit::PseudonymScheme::kBlake2b);
    gdprkit::StringColumn tokens;
    std::vector<std::string_view> ids = {"010203-1234", "3112991234"};
    if (!(*v)->Tokenize("a", gdprkit::IdKind::kCpr, ids, &tokens).ok()) std::abort();
    return v->release();
  }();
  return vault;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gdprkit::Vault* v = TheVault();
  std::vector<std::string_view> tokens;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    tokens.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  gdprkit::StringColumn out;
  absl::Status s = v->Reidentify("a", tokens, "fuzzing", &out);
  if (!s.ok()) {
    Check(out.empty());
    Check(s.code() == absl::StatusCode::kInvalidArgument ||
          s.code() == absl::StatusCode::kNotFound);
  }
  s = v->Translate("a", "b", tokens, "fuzzing", gdprkit::TranslateTarget::kPseudonym, &out);
  (void)s;
  s = v->Translate("a", "c", tokens, "fuzzing", gdprkit::TranslateTarget::kPseudonym, &out);
  (void)s;
  auto p = gdprkit::Pseudonymizer::FromExportedKey(text, gdprkit::InsecureSecretAccess::Get());
  if (p.ok()) (void)(*p)->PseudonymizeOne(gdprkit::IdKind::kCpr, "010203-1234");
  // base32: decoding then encoding gives the text back (lower-cased) or fails.
  std::uint8_t buf[64];
  for (std::size_t n : {std::size_t{16}, std::size_t{20}, std::size_t{32}}) {
    if (gdprkit::internal::Base32Decode(absl::string_view(text.data(), text.size()), buf, n)) {
      std::string enc(gdprkit::internal::Base32Size(n), '\0');
      gdprkit::internal::Base32Encode(buf, n, &enc[0]);
      Check(enc.size() == text.size());
      for (std::size_t i = 0; i < enc.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        Check(enc[i] == c);
      }
    }
  }
  return 0;
}
