// Consent receipts (gdprkit/consent.h): one entry of the ledger as a small
// JSON object that can be checked on its own.
//
// Members, in this order (the canonical text):
//   "type": "gdprkit-consent-receipt", "version": 1, "ledger_id", "seq",
//   "recorded_at", "subject", "purpose", "state", "at", "valid_until" (date
//   or null), "notice_version", "notice_digest", "channel", "recorded_by",
//   "evidence", "salt" (the commitment's salt, 32 hex), "prev_hash", "hash",
//   "public_key" (64 hex or null), then "signature" (128 hex) for a keyed
//   ledger.
// A plain receipt is checked by recomputing its entry hash from its fields
// (commitment, body, previous hash: chain_store.h); a keyed one by its
// Ed25519 signature over the canonical text without "signature" (the hash
// of a keyed ledger needs the key). The parser is strict: one flat object,
// string / non-negative integer / null values, known members only, each
// once, valid UTF-8, at most 64 KiB.
#include <sodium.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/hash_chain.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "common/text.h"
#include "consent/internal/chain_store.h"
#include "consent/internal/ledger_impl.h"
#include "gdprkit/consent.h"

namespace gdprkit {

std::string NoticeDigest(std::string_view notice_text) {
  if (sodium_init() < 0) return "";
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(notice_text.data()),
                     notice_text.size(), nullptr, 0);
  return absl::StrCat("blake2b-256:", internal::StoreHex(h, sizeof h));
}

namespace consent_internal {
namespace {

constexpr std::string_view kType = "gdprkit-consent-receipt";
constexpr std::size_t kMaxReceipt = 64 * 1024;

// The members in canonical order, and whether each is a number.
struct Member {
  std::string_view name;
  bool number;
  bool nullable;
};
constexpr Member kMembers[] = {
    {"type", false, false},       {"version", true, false},         {"ledger_id", false, false},
    {"seq", true, false},         {"recorded_at", false, false},    {"subject", false, false},
    {"purpose", false, false},    {"state", false, false},          {"at", false, false},
    {"valid_until", false, true}, {"notice_version", false, false}, {"notice_digest", false, false},
    {"channel", false, false},    {"recorded_by", false, false},    {"evidence", false, false},
    {"salt", false, false},       {"prev_hash", false, false},      {"hash", false, false},
    {"public_key", false, true},  {"signature", false, false},
};

// A parsed value: a string, a number or null.
struct Value {
  bool null = false;
  bool number = false;
  std::string text;
  std::int64_t n = 0;
};
using Fields = std::map<std::string, Value, std::less<>>;

void JsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20 || c == 0x7f) {
      absl::StrAppend(out, "\\u00", c < 0x10 ? "0" : "", absl::Hex(c));
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

// The canonical text of `f`, without "signature" when `with_signature` is false.
std::string Canonical(const Fields& f, bool with_signature) {
  std::string out = "{";
  bool first = true;
  for (const Member& m : kMembers) {
    if (m.name == "signature" && !with_signature) continue;
    auto it = f.find(m.name);
    if (it == f.end()) continue;
    if (!first) out += ",";
    first = false;
    JsonString(&out, m.name);
    out += ":";
    if (it->second.null) {
      out += "null";
    } else if (it->second.number) {
      absl::StrAppend(&out, it->second.n);
    } else {
      JsonString(&out, it->second.text);
    }
  }
  out += "}";
  return out;
}

// --- The strict parser -------------------------------------------------------

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  // "" or the problem.
  std::string Parse(Fields* out) {
    Ws();
    if (!Eat('{')) return "not a JSON object";
    Ws();
    if (Eat('}')) return Finish();
    while (true) {
      Ws();
      std::string name;
      if (std::string p = String(&name); !p.empty()) return p;
      Ws();
      if (!Eat(':')) return "expected ':' after a member name";
      Ws();
      const Member* m = nullptr;
      for (const Member& k : kMembers) {
        if (k.name == name) m = &k;
      }
      if (m == nullptr) return absl::StrCat("unknown member ", internal::QuoteUntrusted(name));
      if (out->count(name) != 0) return absl::StrCat("member \"", name, "\" appears twice");
      Value v;
      if (Peek() == 'n') {
        if (s_.substr(i_, 4) != "null") return "malformed value";
        i_ += 4;
        if (!m->nullable) return absl::StrCat("member \"", name, "\" may not be null");
        v.null = true;
      } else if (m->number) {
        if (std::string p = Number(&v.n); !p.empty()) return p;
        v.number = true;
      } else {
        if (std::string p = String(&v.text); !p.empty()) return p;
      }
      (*out)[name] = std::move(v);
      Ws();
      if (Eat('}')) return Finish();
      if (!Eat(',')) return "expected ',' or '}'";
    }
  }

 private:
  std::string Finish() {
    Ws();
    return i_ == s_.size() ? "" : "text after the object";
  }
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c || i_ >= s_.size()) return false;
    ++i_;
    return true;
  }
  void Ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  std::string Number(std::int64_t* n) {
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    const std::size_t len = i_ - start;
    if (len == 0) return "expected a number";
    if (len > 18) return "number too large";
    if (len > 1 && s_[start] == '0') return "a number with a leading zero";
    std::int64_t v = 0;
    for (std::size_t k = start; k < i_; ++k) v = v * 10 + (s_[k] - '0');
    *n = v;
    return "";
  }
  bool Hex4(std::uint32_t* v) {
    if (i_ + 4 > s_.size()) return false;
    std::uint32_t x = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_ + k];
      x <<= 4;
      if (c >= '0' && c <= '9') {
        x |= static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        x |= static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        x |= static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    i_ += 4;
    *v = x;
    return true;
  }
  static void Utf8(std::uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }
  std::string String(std::string* out) {
    if (!Eat('"')) return "expected a string";
    out->clear();
    while (true) {
      if (i_ >= s_.size()) return "unterminated string";
      const unsigned char c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"') break;
      if (c < 0x20) return "a control character in a string";
      if (c != '\\') {
        out->push_back(static_cast<char>(c));
        continue;
      }
      if (i_ >= s_.size()) return "unterminated string";
      const char e = s_[i_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out->push_back(e);
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!Hex4(&cp)) return "malformed \\u escape";
          if (cp >= 0xdc00 && cp <= 0xdfff) return "a lone low surrogate";
          if (cp >= 0xd800 && cp <= 0xdbff) {
            std::uint32_t lo = 0;
            if (!Eat('\\') || !Eat('u') || !Hex4(&lo) || lo < 0xdc00 || lo > 0xdfff) {
              return "a lone high surrogate";
            }
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          }
          if (cp == 0) return "a NUL character in a string";
          Utf8(cp, out);
          break;
        }
        default:
          return "malformed escape";
      }
    }
    if (!internal::IsValidUtf8(*out)) return "a string that is not valid UTF-8";
    return "";
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

std::string Text(const Fields& f, std::string_view name) {
  auto it = f.find(name);
  return it == f.end() || it->second.null || it->second.number ? std::string() : it->second.text;
}

}  // namespace

absl::StatusOr<std::string> WriteReceipt(const internal::StoreEntry& e,
                                         const std::string& ledger_id,
                                         std::string_view ledger_key) {
  ConsentRecord r;
  if (std::string p = ParseConsentBody(e.body, &r); !p.empty()) {
    return absl::DataLossError(absl::StrCat("entry ", e.seq, ": ", p));
  }
  Fields f;
  auto text = [&f](std::string_view name, std::string v) {
    Value x;
    x.text = std::move(v);
    f[std::string(name)] = std::move(x);
  };
  auto number = [&f](std::string_view name, std::int64_t n) {
    Value x;
    x.number = true;
    x.n = n;
    f[std::string(name)] = std::move(x);
  };
  auto null = [&f](std::string_view name) {
    Value x;
    x.null = true;
    f[std::string(name)] = std::move(x);
  };
  text("type", std::string(kType));
  number("version", 1);
  text("ledger_id", ledger_id);
  number("seq", e.seq);
  text("recorded_at", internal::FormatInstant(e.recorded_at));
  text("subject", e.subject);
  text("purpose", r.purpose);
  text("state", std::string(ConsentStateName(r.state)));
  text("at", internal::FormatInstant(r.at));
  if (r.valid_until == kNoDate) {
    null("valid_until");
  } else {
    text("valid_until", FormatDate(r.valid_until));
  }
  text("notice_version", r.notice_version);
  text("notice_digest", r.notice_digest);
  text("channel", r.channel);
  text("recorded_by", r.recorded_by);
  text("evidence", e.secret);
  text("salt",
       internal::StoreHex(reinterpret_cast<const unsigned char*>(e.salt.data()), e.salt.size()));
  text("prev_hash", e.prev_hash);
  text("hash", e.hash);
  if (ledger_key.empty()) {
    null("public_key");
    return Canonical(f, false);
  }
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  auto* sk = static_cast<unsigned char*>(sodium_malloc(crypto_sign_SECRETKEYBYTES));
  if (sk == nullptr) return absl::ResourceExhaustedError("cannot allocate guarded memory");
  ReceiptKeyPair(ledger_key, pk, sk);
  text("public_key", internal::StoreHex(pk, sizeof pk));
  const std::string message = Canonical(f, false);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), sk);
  sodium_free(sk);
  text("signature", internal::StoreHex(sig, sizeof sig));
  return Canonical(f, true);
}

}  // namespace consent_internal

absl::StatusOr<ReceiptVerification> VerifyConsentReceipt(std::string_view receipt,
                                                         std::string_view public_key) {
  using consent_internal::Fields;
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  unsigned char want_pk[crypto_sign_PUBLICKEYBYTES];
  if (!public_key.empty() && !internal::StoreFromHex(public_key, want_pk, sizeof want_pk)) {
    return absl::InvalidArgumentError("public_key must be 64 lower-case hex digits");
  }
  ReceiptVerification v;
  auto bad = [&v](std::string problem) {
    v.valid = false;
    v.problem = std::move(problem);
    return v;
  };
  if (receipt.size() > consent_internal::kMaxReceipt) return bad("the receipt is too long");
  if (!internal::IsValidUtf8(receipt)) return bad("the receipt is not valid UTF-8");
  Fields f;
  if (std::string p = consent_internal::Parser(receipt).Parse(&f); !p.empty()) {
    return bad(absl::StrCat("malformed receipt: ", p));
  }
  for (const consent_internal::Member& m : consent_internal::kMembers) {
    if (m.name != "signature" && f.count(m.name) == 0) {
      return bad(
          absl::StrCat("malformed receipt: member \"", internal::AV(m.name), "\" is missing"));
    }
  }
  using consent_internal::Text;
  if (Text(f, "type") != consent_internal::kType) return bad("not a gdprkit consent receipt");
  if (f["version"].n != 1) return bad("unsupported receipt version");
  // The fields, as the ledger wrote them.
  v.ledger_id = Text(f, "ledger_id");
  v.seq = f["seq"].n;
  v.hash = Text(f, "hash");
  ConsentRecord& r = v.record;
  r.subject = Text(f, "subject");
  r.purpose = Text(f, "purpose");
  absl::StatusOr<ConsentState> st = ParseConsentState(Text(f, "state"));
  if (!st.ok() || *st == ConsentState::kNone) return bad("malformed receipt: state");
  r.state = *st;
  std::int64_t recorded_at = 0;
  if (!internal::ParseInstant(Text(f, "recorded_at"), &recorded_at) ||
      !internal::ParseInstant(Text(f, "at"), &r.at)) {
    return bad("malformed receipt: a time");
  }
  if (!f["valid_until"].null) {
    absl::StatusOr<DayNumber> d = ParseDate(Text(f, "valid_until"));
    if (!d.ok()) return bad("malformed receipt: valid_until");
    r.valid_until = *d;
  }
  r.notice_version = Text(f, "notice_version");
  r.notice_digest = Text(f, "notice_digest");
  r.channel = Text(f, "channel");
  r.recorded_by = Text(f, "recorded_by");
  r.evidence = Text(f, "evidence");
  if (std::string p = consent_internal::CheckRecordFields(r); !p.empty()) {
    return bad(absl::StrCat("malformed receipt: ", p));
  }
  unsigned char id[16], salt[internal::kStoreSaltBytes], prev[32], hash[32];
  if (!internal::StoreFromHex(v.ledger_id, id, sizeof id)) return bad("malformed ledger_id");
  if (!internal::StoreFromHex(Text(f, "salt"), salt, sizeof salt)) return bad("malformed salt");
  if (!internal::StoreFromHex(Text(f, "prev_hash"), prev, sizeof prev) ||
      !internal::StoreFromHex(v.hash, hash, sizeof hash)) {
    return bad("malformed hash");
  }
  if (v.seq < 1) return bad("malformed seq");
  const bool has_signature = f.count("signature") != 0;
  if (f["public_key"].null) {
    if (has_signature) return bad("a signature without a public key");
    if (!public_key.empty()) {
      return bad("the receipt is not signed, but a public key was given to check it against");
    }
    // A plain ledger: the hash recomputes from the fields.
    unsigned char commit[32], h[32];
    internal::StoreCommit(salt, r.subject, r.evidence, commit);
    internal::StoreEntryHash({}, prev, v.seq, recorded_at, consent_internal::kConsentEntryKind,
                             consent_internal::ConsentBody(r), commit, h);
    if (sodium_memcmp(h, hash, sizeof h) != 0) {
      return bad("the receipt's hash does not recompute from its fields (altered)");
    }
    v.valid = true;
    return v;
  }
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
  if (!internal::StoreFromHex(Text(f, "public_key"), pk, sizeof pk)) {
    return bad("malformed public_key");
  }
  if (!has_signature) return bad("a public key without a signature");
  if (!internal::StoreFromHex(Text(f, "signature"), sig, sizeof sig)) {
    return bad("malformed signature");
  }
  if (!public_key.empty() && sodium_memcmp(pk, want_pk, sizeof pk) != 0) {
    return bad("the receipt is signed with another key than the one given");
  }
  const std::string message = consent_internal::Canonical(f, false);
  if (crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size(), pk) != 0) {
    return bad("the signature does not verify (the receipt was altered or forged)");
  }
  v.valid = true;
  v.signed_receipt = true;
  return v;
}

}  // namespace gdprkit
