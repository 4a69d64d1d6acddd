// Fuzzes what the vault reads back from its file: a small vault is made once;
// each input is a list of edits to a copy of its bytes (4 bytes each: a 24-bit
// offset, taken modulo the file size, and a byte to XOR there), and the edited
// file is opened and asked everything: domains, look-ups, pseudonyms,
// re-identification, the audit trail, a tokenisation of known people. Every
// answer must be the one the pristine file gave, or an error; a different
// answer (a silent wrong answer) or a crash aborts. An input of an odd length
// plays a knowing editor: after its edits every page checksum is recomputed,
// so that only the vault's keyed MACs stand between the edit and an answer.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gdprkit/vault.h"
#include "vault/internal/vfs.h"

namespace {

using gdprkit::IdKind;
using gdprkit::StringColumn;

const std::vector<std::string_view> kPeople = {"010203-1234", "311299-1234", "290200-4002",
                                               "010180-1004", "150565-0123"};
const char* kDomains[] = {"a", "c"};

std::string Path() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir != nullptr ? dir : "/tmp") + "/gdprkit_vault_file_fuzzer_" +
           std::to_string(getpid()) + ".vault";
  }();
  return path;
}

void RemoveVaultFiles() {
  for (const char* suffix : {"", "-wal", "-shm"}) unlink((Path() + suffix).c_str());
}

gdprkit::VaultOptions Options() {
  return gdprkit::VaultOptions()
      .set_path(Path())
      .set_passphrase("fuzz")
      .set_actor("fuzzer")
      .set_busy_timeout_ms(100)
      .set_kdf_limits(gdprkit::KdfLimits::ForTestsOnly());
}

// Every answer, keyed by question; failed ones are absent.
std::vector<std::pair<std::string, std::string>> Ask(gdprkit::Vault* v) {
  std::vector<std::pair<std::string, std::string>> out;
  auto put = [&](std::string q, const absl::Status& s, std::string a) {
    if (s.ok()) out.emplace_back(std::move(q), std::move(a));
  };
  absl::StatusOr<std::vector<gdprkit::DomainInfo>> d = v->ListDomains();
  if (d.ok()) {
    std::string text;
    for (const auto& i : *d) absl::StrAppend(&text, i.name, "/", i.key_version, "/", i.tokens, ";");
    put("domains", d.status(), text);
  }
  for (const char* domain : kDomains) {
    StringColumn tokens, ps;
    absl::Status s = v->LookupTokens(domain, IdKind::kCpr, kPeople, &tokens);
    put(absl::StrCat(domain, "/lookup"), s, absl::StrJoin(tokens.ToVector(), ","));
    put(absl::StrCat(domain, "/ps"), v->Pseudonymize(domain, IdKind::kCpr, kPeople, &ps),
        absl::StrJoin(ps.ToVector(), ","));
    if (!s.ok()) continue;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i].empty()) continue;
      std::vector<std::string_view> one = {tokens[i]};
      StringColumn ids;
      put(absl::StrCat(domain, "/re/", i), v->Reidentify(domain, one, "fuzz", &ids),
          absl::StrJoin(ids.ToVector(), ","));
    }
  }
  put("audit", v->VerifyAudit().status(), "ok");
  // Only people who have a token (rows 0-2): no new token may appear.
  StringColumn again;
  std::vector<std::string_view> known(kPeople.begin(), kPeople.begin() + 3);
  put("tokenize", v->Tokenize("a", IdKind::kCpr, known, &again),
      absl::StrJoin(again.ToVector(), ","));
  return out;
}

struct Pristine {
  std::string bytes;
  std::vector<std::pair<std::string, std::string>> answers;
};

const Pristine& ThePristine() {
  static const Pristine* p = [] {
    RemoveVaultFiles();
    std::atexit(RemoveVaultFiles);
    auto* out = new Pristine;
    {
      auto v = gdprkit::Vault::Create(Options());
      if (!v.ok()) std::abort();
      if (!(*v)->CreateDomain("a").ok()) std::abort();
      if (!(*v)->CreateDomain("c", "", gdprkit::PseudonymScheme::kBlake2b).ok()) std::abort();
      StringColumn t;
      std::vector<std::string_view> first(kPeople.begin(), kPeople.begin() + 3);
      if (!(*v)->Tokenize("a", IdKind::kCpr, first, &t).ok()) std::abort();
      if (!(*v)->Tokenize("c", IdKind::kCpr, kPeople, &t).ok()) std::abort();
    }
    std::ifstream in(Path(), std::ios::binary);
    out->bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    auto v = gdprkit::Vault::Open(Options());
    if (!v.ok()) std::abort();
    out->answers = Ask(v->get());
    return out;
  }();
  return *p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Pristine& pristine = ThePristine();
  if (size < 4 || size > 4 * 64) return 0;
  std::string bytes = pristine.bytes;
  for (std::size_t i = 0; i + 4 <= size; i += 4) {
    const std::size_t at =
        ((std::size_t{data[i]} << 16) | (std::size_t{data[i + 1]} << 8) | data[i + 2]) %
        bytes.size();
    bytes[at] = static_cast<char>(bytes[at] ^ data[i + 3]);
  }
  constexpr std::size_t kPage = 16384;
  if (size % 2 == 1 && bytes.size() % kPage == 0) {
    for (std::size_t at = 0; at < bytes.size(); at += kPage) {
      auto* page = reinterpret_cast<unsigned char*>(&bytes[at]);
      gdprkit::internal::PageChecksum(page, kPage, page + kPage - 8);
    }
  }
  RemoveVaultFiles();
  {
    std::ofstream out(Path(), std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  auto v = gdprkit::Vault::Open(Options());
  if (!v.ok()) return 0;
  for (const auto& [q, a] : Ask(v->get())) {
    bool same = false;
    for (const auto& [pq, pa] : pristine.answers) same |= pq == q && pa == a;
    if (!same) {
      std::fprintf(stderr, "silent wrong answer to %s\n", q.c_str());
      std::abort();
    }
  }
  return 0;
}
