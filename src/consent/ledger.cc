// The consent ledger (gdprkit/consent.h) over the chain store
// (consent/internal/chain_store.h).
#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/hash_chain.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "common/text.h"
#include "consent/internal/chain_store.h"
#include "consent/internal/ledger_impl.h"
#include "gdprkit/basis.h"
#include "gdprkit/consent.h"
#include "gdprkit/vault.h"

namespace gdprkit {

namespace consent_internal {
namespace {

using internal::AV;

std::vector<std::string_view> SplitTabs(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = s.find('\t', start);
    out.push_back(s.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return out;
}

bool HasControl(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string CheckText(std::string_view field, std::string_view v, std::size_t min,
                      std::size_t max) {
  if (v.size() < min || v.size() > max) {
    return absl::StrCat(AV(field), " must have ", min, "-", max, " bytes (it has ", v.size(), ")");
  }
  if (!internal::IsValidUtf8(v)) return absl::StrCat(AV(field), " is not valid UTF-8");
  if (HasControl(v)) return absl::StrCat(AV(field), " holds a control character");
  return "";
}

}  // namespace

bool IsNoticeDigest(std::string_view d) {
  constexpr std::string_view kPrefix = "blake2b-256:";
  if (d.size() != kPrefix.size() + 64 || d.substr(0, kPrefix.size()) != kPrefix) return false;
  unsigned char b[32];
  return internal::StoreFromHex(d.substr(kPrefix.size()), b, sizeof b);
}

std::string ConsentBody(const ConsentRecord& r) {
  return absl::StrJoin(
      {internal::EscapeField(r.purpose), std::string(ConsentStateName(r.state)),
       internal::FormatInstant(r.at), FormatDate(r.valid_until),
       internal::EscapeField(r.notice_version), internal::EscapeField(r.notice_digest),
       internal::EscapeField(r.channel), internal::EscapeField(r.recorded_by)},
      "\t");
}

std::string ParseConsentBody(std::string_view body, ConsentRecord* r) {
  const std::vector<std::string_view> f = SplitTabs(body);
  if (f.size() != 8) return "malformed consent entry (it does not have 8 fields)";
  if (!internal::UnescapeField(f[0], &r->purpose) || r->purpose.empty()) {
    return "malformed purpose";
  }
  absl::StatusOr<ConsentState> st = ParseConsentState(f[1]);
  if (!st.ok() || *st == ConsentState::kNone) return "malformed state";
  r->state = *st;
  if (!internal::ParseInstant(f[2], &r->at)) return "malformed time";
  if (f[3].empty()) {
    r->valid_until = kNoDate;
  } else {
    absl::StatusOr<DayNumber> d = ParseDate(f[3]);
    if (!d.ok()) return "malformed valid_until";
    r->valid_until = *d;
  }
  if (!internal::UnescapeField(f[4], &r->notice_version) ||
      !internal::UnescapeField(f[5], &r->notice_digest) ||
      !internal::UnescapeField(f[6], &r->channel) ||
      !internal::UnescapeField(f[7], &r->recorded_by)) {
    return "malformed text field";
  }
  if (!IsNoticeDigest(r->notice_digest)) return "malformed notice digest";
  return "";
}

std::string ErasureBody(std::int64_t erased, std::string_view recorded_by) {
  return absl::StrCat(erased, "\t", internal::EscapeField(recorded_by));
}

std::string ParseErasureBody(std::string_view body, std::int64_t* erased,
                             std::string* recorded_by) {
  const std::vector<std::string_view> f = SplitTabs(body);
  if (f.size() != 2 || f[0].empty() || f[0].size() > 18) return "malformed erasure entry";
  std::int64_t n = 0;
  for (char c : f[0]) {
    if (c < '0' || c > '9') return "malformed erasure entry";
    n = n * 10 + (c - '0');
  }
  *erased = n;
  if (!internal::UnescapeField(f[1], recorded_by)) return "malformed erasure entry";
  return "";
}

std::string CheckRecordFields(const ConsentRecord& r) {
  if (!IsTokenShaped(r.subject) && !IsPseudonymShaped(r.subject)) {
    return "subject is not a vault token (\"tk_\" + 32 base32) or pseudonym (\"ps<n>_\" + 26 "
           "base32)";
  }
  if (r.state == ConsentState::kNone) {
    return "state \"none\" cannot be recorded (it means that nothing was recorded)";
  }
  if (ConsentStateName(r.state) == "unknown") return "state is not a consent state";
  if (r.at < 0 || r.at > internal::kMaxChainSeconds) {
    return "at is out of range (1970-01-01T00:00:00Z ... 9999-12-31T23:59:59Z)";
  }
  if (r.valid_until != kNoDate) {
    if (r.state != ConsentState::kGiven) return "valid_until is only for a consent given";
    if (!IsValidDay(r.valid_until)) return "valid_until is not a valid date";
  }
  if (std::string p = CheckText("notice_version", r.notice_version, 1, 128); !p.empty()) return p;
  if (!IsNoticeDigest(r.notice_digest)) {
    return "notice_digest is not \"blake2b-256:\" and 64 lower-case hex digits (NoticeDigest)";
  }
  if (std::string p = CheckText("channel", r.channel, 1, 64); !p.empty()) return p;
  if (std::string p = CheckText("recorded_by", r.recorded_by, 1, 128); !p.empty()) return p;
  if (std::string p = CheckText("evidence", r.evidence, 0, 1024); !p.empty()) return p;
  return "";
}

void ReceiptKeyPair(std::string_view ledger_key, unsigned char public_key[32],
                    unsigned char* secret_key) {
  constexpr std::string_view kLabel = "gdprkit consent receipt signing v1";
  unsigned char* seed = static_cast<unsigned char*>(sodium_malloc(crypto_sign_SEEDBYTES));
  crypto_generichash(seed, crypto_sign_SEEDBYTES,
                     reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(),
                     reinterpret_cast<const unsigned char*>(ledger_key.data()), ledger_key.size());
  unsigned char* sk = secret_key;
  unsigned char* own = nullptr;
  if (sk == nullptr) {
    own = static_cast<unsigned char*>(sodium_malloc(crypto_sign_SECRETKEYBYTES));
    sk = own;
  }
  crypto_sign_seed_keypair(public_key, sk, seed);
  sodium_free(seed);
  if (own != nullptr) sodium_free(own);
}

}  // namespace consent_internal

using consent_internal::CheckRecordFields;
using internal::AV;
using internal::StoreEntry;

namespace {

constexpr std::string_view kNoticeSchema =
    "CREATE TABLE notices (digest TEXT PRIMARY KEY, version TEXT NOT NULL, text TEXT NOT NULL) "
    "WITHOUT ROWID;";

const internal::ChainStoreKind& LedgerKind() {
  static const internal::ChainStoreKind kind{"gdprkit-consent-ledger", "consent ledger",
                                             internal::kConsentLedgerApplicationId, kNoticeSchema};
  return kind;
}

// One event of a subject in a purpose, for the index.
struct Event {
  std::int64_t at;
  std::int64_t seq;
  DayNumber valid_until;
  ConsentState state;
};

bool Before(const Event& a, const Event& b) { return a.at != b.at ? a.at < b.at : a.seq < b.seq; }

std::string CheckEntry(const StoreEntry& e) {
  if (e.kind == consent_internal::kConsentEntryKind) {
    ConsentRecord r;
    std::string p = consent_internal::ParseConsentBody(e.body, &r);
    if (!p.empty()) return p;
    if (!e.personal) return "a consent entry without a subject";
    if (!e.erased && !IsTokenShaped(e.subject) && !IsPseudonymShaped(e.subject)) {
      return "malformed subject";
    }
    return "";
  }
  if (e.kind == consent_internal::kErasureEntryKind) {
    std::int64_t n = 0;
    std::string by;
    std::string p = consent_internal::ParseErasureBody(e.body, &n, &by);
    if (!p.empty()) return p;
    if (e.personal) return "an erasure entry with personal fields";
    return "";
  }
  return "unknown kind of entry";
}

ConsentEntry ToEntry(const StoreEntry& e) {
  ConsentEntry out;
  out.seq = e.seq;
  out.recorded_at = e.recorded_at;
  out.hash = e.hash;
  out.erased = e.erased;
  if (e.kind == consent_internal::kErasureEntryKind) {
    out.erasure = true;
    consent_internal::ParseErasureBody(e.body, &out.erased_entries, &out.record.recorded_by);
    out.record.state = ConsentState::kNone;
    return out;
  }
  consent_internal::ParseConsentBody(e.body, &out.record);
  out.record.subject = e.subject;
  out.record.evidence = e.secret;
  return out;
}

}  // namespace

struct ConsentLedger::Impl {
  std::shared_ptr<const Policy> policy;
  std::unique_ptr<internal::ChainStore> store;
  absl::TimeZone tz;
  std::string public_key_hex;
  mutable absl::Mutex mu;
  // purpose -> subject -> events ordered by (at, seq).
  mutable absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, std::vector<Event>>>
      index ABSL_GUARDED_BY(mu);

  void AddLocked(const StoreEntry& e) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (e.kind != consent_internal::kConsentEntryKind || e.erased) return;
    ConsentRecord r;
    if (!consent_internal::ParseConsentBody(e.body, &r).empty()) return;
    std::vector<Event>& ev = index[r.purpose][e.subject];
    const Event x{r.at, e.seq, r.valid_until, r.state};
    // A writer adds its own entries after its append; a rebuild by another
    // thread in between may have read them already.
    for (const Event& have : ev) {
      if (have.seq == e.seq) return;
    }
    if (ev.empty() || !Before(x, ev.back())) {
      ev.push_back(x);
    } else {
      ev.insert(std::upper_bound(ev.begin(), ev.end(), x, Before), x);
    }
  }

  internal::StoreSink Sink() const {
    return [this](const StoreEntry& e) {
      absl::MutexLock l(&mu);
      AddLocked(e);
    };
  }

  absl::Status Rebuild() const {
    {
      absl::MutexLock l(&mu);
      index.clear();
    }
    return store->ForEach(Sink());
  }

  // Reads what other processes appended (and rebuilds after their erasures).
  absl::Status Refresh() const {
    GDPRKIT_ASSIGN_OR_RETURN(const bool erased, store->CatchUp(Sink()));
    if (erased) return Rebuild();
    return absl::OkStatus();
  }

  // NotFound for an unknown purpose, FailedPrecondition for one that does
  // not rest on consent.
  absl::Status CheckPurpose(std::string_view purpose) const {
    GDPRKIT_ASSIGN_OR_RETURN(const Purpose* p, policy->GetPurpose(purpose));
    for (const std::string& code : p->basis) {
      const LegalBasisInfo* b = FindLegalBasis(code);
      if (b != nullptr && (b->effects & kEffectConsent) != 0) return absl::OkStatus();
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "purpose ", internal::Quote(purpose), " does not rest on consent (its bases: ",
        p->basis.empty() ? std::string("none") : absl::StrJoin(p->basis, ", "),
        "); the consent ledger records consent only for purposes whose basis is consent"));
  }

  static ConsentState StateAt(const std::vector<Event>& ev, std::int64_t as_of, DayNumber day) {
    auto it = std::upper_bound(ev.begin(), ev.end(), as_of,
                               [](std::int64_t t, const Event& e) { return t < e.at; });
    if (it == ev.begin()) return ConsentState::kNone;
    const Event& e = *(it - 1);
    if (e.state == ConsentState::kGiven && e.valid_until != kNoDate && day > e.valid_until) {
      return ConsentState::kExpired;
    }
    return e.state;
  }

  const Event* LatestAt(const std::vector<Event>& ev, std::int64_t as_of) const {
    auto it = std::upper_bound(ev.begin(), ev.end(), as_of,
                               [](std::int64_t t, const Event& e) { return t < e.at; });
    return it == ev.begin() ? nullptr : &*(it - 1);
  }

  absl::StatusOr<DayNumber> Day(std::int64_t t) const {
    const absl::CivilDay d = absl::ToCivilDay(absl::FromUnixSeconds(t), tz);
    return DaysFromCivil(static_cast<int>(d.year()), d.month(), d.day());
  }

  absl::StatusOr<std::vector<ConsentEntry>> RecordImpl(absl::Span<const ConsentRecord> records,
                                                       absl::Span<const std::string_view> texts,
                                                       bool keep);
};

namespace {

absl::StatusOr<absl::TimeZone> LoadCopenhagen() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(AV(kDefaultTimeZone), &tz)) {
    return absl::FailedPreconditionError(
        "cannot load time zone \"Europe/Copenhagen\"; is the time-zone database installed "
        "(Debian: tzdata)?");
  }
  return tz;
}

absl::Status CheckSubject(std::string_view s, std::size_t i) {
  if (IsTokenShaped(s) || IsPseudonymShaped(s)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "subject ", i,
      " is not a vault token (\"tk_\" + 32 base32) or pseudonym (\"ps<n>_\" + 26 base32); "
      "the consent ledger takes no identifier in clear"));
}

}  // namespace

ConsentLedger::ConsentLedger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ConsentLedger::~ConsentLedger() = default;

absl::StatusOr<std::unique_ptr<ConsentLedger>> ConsentLedger::Create(
    const std::string& path, std::shared_ptr<const Policy> policy,
    const ConsentLedgerOptions& options) {
  if (policy == nullptr) return absl::InvalidArgumentError("the consent ledger needs a policy");
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  GDPRKIT_ASSIGN_OR_RETURN(absl::TimeZone tz, LoadCopenhagen());
  internal::ChainStoreOptions o;
  o.key = options.key;
  o.sync = options.sync;
  o.check = CheckEntry;
  std::string pk_hex;
  if (!options.key.empty() && options.key.size() >= 16 && options.key.size() <= 64) {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    consent_internal::ReceiptKeyPair(options.key, pk, nullptr);
    pk_hex = internal::StoreHex(pk, sizeof pk);
    o.extra_meta.emplace_back(std::string(consent_internal::kReceiptPublicKeyMeta), pk_hex);
  }
  GDPRKIT_ASSIGN_OR_RETURN(std::unique_ptr<internal::ChainStore> store,
                           internal::ChainStore::Create(path, LedgerKind(), std::move(o)));
  auto impl = std::make_unique<Impl>();
  impl->policy = std::move(policy);
  impl->store = std::move(store);
  impl->tz = tz;
  impl->public_key_hex = pk_hex;
  return std::unique_ptr<ConsentLedger>(new ConsentLedger(std::move(impl)));
}

absl::StatusOr<std::unique_ptr<ConsentLedger>> ConsentLedger::Open(
    const std::string& path, std::shared_ptr<const Policy> policy,
    const ConsentLedgerOptions& options) {
  if (policy == nullptr) return absl::InvalidArgumentError("the consent ledger needs a policy");
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  GDPRKIT_ASSIGN_OR_RETURN(absl::TimeZone tz, LoadCopenhagen());
  auto impl = std::make_unique<Impl>();
  impl->policy = std::move(policy);
  impl->tz = tz;
  internal::ChainStoreOptions o;
  o.key = options.key;
  o.sync = options.sync;
  o.check = CheckEntry;
  GDPRKIT_ASSIGN_OR_RETURN(
      impl->store, internal::ChainStore::Open(path, LedgerKind(), std::move(o), impl->Sink()));
  impl->public_key_hex = impl->store->Meta(consent_internal::kReceiptPublicKeyMeta);
  if (impl->store->keyed()) {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    consent_internal::ReceiptKeyPair(impl->store->key(), pk, nullptr);
    if (impl->public_key_hex != internal::StoreHex(pk, sizeof pk)) {
      return absl::DataLossError(absl::StrCat("the consent ledger ", path,
                                              " is damaged: its receipt public key does not "
                                              "derive from its key"));
    }
  }
  return std::unique_ptr<ConsentLedger>(new ConsentLedger(std::move(impl)));
}

absl::StatusOr<std::vector<ConsentEntry>> ConsentLedger::Impl::RecordImpl(
    absl::Span<const ConsentRecord> records, absl::Span<const std::string_view> texts, bool keep) {
  if (!texts.empty() && texts.size() != records.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("notice_texts has ", texts.size(), " texts for ", records.size(), " records"));
  }
  std::vector<internal::StoreEntryIn> batch;
  batch.reserve(records.size());
  absl::flat_hash_map<std::string, absl::Status> purposes;
  // digest -> (version, text). The version is copied: `rec` may point at
  // this iteration's checked copy, which does not outlive the loop.
  absl::flat_hash_map<std::string, std::pair<std::string, std::string_view>> notices;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const ConsentRecord& r = records[i];
    ConsentRecord checked_copy;
    const ConsentRecord* rec = &r;
    std::string digest;
    if (!texts.empty()) {
      if (texts[i].empty() || texts[i].size() > (1u << 20) || !internal::IsValidUtf8(texts[i])) {
        return absl::InvalidArgumentError(
            absl::StrCat("record ", i, ": notice text must be non-empty UTF-8 of at most 1 MiB"));
      }
      digest = NoticeDigest(texts[i]);
      if (!r.notice_digest.empty() && r.notice_digest != digest) {
        return absl::InvalidArgumentError(
            absl::StrCat("record ", i, ": notice_digest is not the digest of its notice text"));
      }
      checked_copy = r;
      checked_copy.notice_digest = digest;
      rec = &checked_copy;
    }
    if (std::string p = CheckRecordFields(*rec); !p.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("record ", i, ": ", p));
    }
    auto [it, fresh] = purposes.try_emplace(rec->purpose);
    if (fresh) it->second = CheckPurpose(rec->purpose);
    if (!it->second.ok()) {
      return absl::Status(it->second.code(),
                          absl::StrCat("record ", i, ": ", it->second.message()));
    }
    if (rec->state == ConsentState::kGiven && rec->valid_until != kNoDate) {
      GDPRKIT_ASSIGN_OR_RETURN(const DayNumber day, Day(rec->at));
      if (rec->valid_until < day) {
        return absl::InvalidArgumentError(
            absl::StrCat("record ", i, ": valid_until is before the day the consent was given"));
      }
    }
    if (!texts.empty()) notices.try_emplace(digest, std::string(rec->notice_version), texts[i]);
    batch.push_back(internal::StoreEntryIn{std::string(consent_internal::kConsentEntryKind),
                                           consent_internal::ConsentBody(*rec), rec->subject,
                                           rec->evidence, 0});
  }
  internal::ChainStore::TxnHook hook;
  if (!notices.empty()) {
    hook = [&notices](sqlite3* db) -> absl::Status {
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v2(db,
                             "INSERT INTO notices(digest, version, text) VALUES (?1, ?2, ?3) "
                             "ON CONFLICT(digest) DO NOTHING",
                             -1, &s, nullptr) != SQLITE_OK) {
        return absl::InternalError(absl::StrCat("storing a notice: ", sqlite3_errmsg(db)));
      }
      for (const auto& [digest, vt] : notices) {
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, digest.data(), static_cast<int>(digest.size()), SQLITE_STATIC);
        sqlite3_bind_text(s, 2, vt.first.data(), static_cast<int>(vt.first.size()), SQLITE_STATIC);
        sqlite3_bind_text(s, 3, vt.second.data(), static_cast<int>(vt.second.size()),
                          SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE) {
          absl::Status st =
              absl::InternalError(absl::StrCat("storing a notice: ", sqlite3_errmsg(db)));
          sqlite3_finalize(s);
          return st;
        }
      }
      sqlite3_finalize(s);
      return absl::OkStatus();
    };
  }
  GDPRKIT_ASSIGN_OR_RETURN(internal::StoreAppendResult result,
                           store->Append(batch, Sink(), {}, hook));
  std::vector<ConsentEntry> out;
  {
    absl::MutexLock l(&mu);
    for (const StoreEntry& e : result.entries) AddLocked(e);
  }
  if (keep) {
    out.reserve(result.entries.size());
    for (const StoreEntry& e : result.entries) out.push_back(ToEntry(e));
  } else {
    out.resize(result.entries.size());
  }
  return out;
}

absl::StatusOr<std::vector<ConsentEntry>> ConsentLedger::Record(
    absl::Span<const ConsentRecord> records) {
  return impl_->RecordImpl(records, {}, true);
}

absl::StatusOr<std::vector<ConsentEntry>> ConsentLedger::Record(
    absl::Span<const ConsentRecord> records, absl::Span<const std::string_view> notice_texts) {
  if (notice_texts.size() != records.size()) {
    return absl::InvalidArgumentError(absl::StrCat("notice_texts has ", notice_texts.size(),
                                                   " texts for ", records.size(), " records"));
  }
  return impl_->RecordImpl(records, notice_texts, true);
}

absl::StatusOr<std::int64_t> ConsentLedger::RecordCount(
    absl::Span<const ConsentRecord> records, absl::Span<const std::string_view> notice_texts) {
  GDPRKIT_ASSIGN_OR_RETURN(const std::vector<ConsentEntry> out,
                           impl_->RecordImpl(records, notice_texts, false));
  return static_cast<std::int64_t>(out.size());
}

absl::Status ConsentLedger::StoreNotice(std::string_view notice_version,
                                        std::string_view notice_text) {
  if (notice_version.empty() || notice_version.size() > 128 ||
      !internal::IsValidUtf8(notice_version)) {
    return absl::InvalidArgumentError("notice_version must be 1-128 bytes of UTF-8");
  }
  if (notice_text.empty() || notice_text.size() > (1u << 20) ||
      !internal::IsValidUtf8(notice_text)) {
    return absl::InvalidArgumentError("notice text must be non-empty UTF-8 of at most 1 MiB");
  }
  const std::string digest = NoticeDigest(notice_text);
  auto hook = [&](sqlite3* db) -> absl::Status {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO notices(digest, version, text) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT(digest) DO NOTHING",
                           -1, &s, nullptr) != SQLITE_OK) {
      return absl::InternalError(absl::StrCat("storing a notice: ", sqlite3_errmsg(db)));
    }
    sqlite3_bind_text(s, 1, digest.data(), static_cast<int>(digest.size()), SQLITE_STATIC);
    sqlite3_bind_text(s, 2, notice_version.data(), static_cast<int>(notice_version.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(s, 3, notice_text.data(), static_cast<int>(notice_text.size()),
                      SQLITE_STATIC);
    const int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
      return absl::InternalError(absl::StrCat("storing a notice: ", sqlite3_errstr(rc)));
    }
    return absl::OkStatus();
  };
  return impl_->store->Append({}, impl_->Sink(), {}, hook).status();
}

absl::StatusOr<std::string> ConsentLedger::Notice(std::string_view notice_digest) const {
  if (!consent_internal::IsNoticeDigest(notice_digest)) {
    return absl::InvalidArgumentError(
        "notice_digest is not \"blake2b-256:\" and 64 lower-case hex digits");
  }
  std::string text;
  bool found = false;
  GDPRKIT_RETURN_IF_ERROR(impl_->store->Read([&](sqlite3* db) -> absl::Status {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT text FROM notices WHERE digest = ?1", -1, &s, nullptr) !=
        SQLITE_OK) {
      return absl::InternalError(absl::StrCat("reading a notice: ", sqlite3_errmsg(db)));
    }
    sqlite3_bind_text(s, 1, notice_digest.data(), static_cast<int>(notice_digest.size()),
                      SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW) {
      const unsigned char* p = sqlite3_column_text(s, 0);
      text.assign(reinterpret_cast<const char*>(p), sqlite3_column_bytes(s, 0));
      found = true;
    }
    sqlite3_finalize(s);
    return absl::OkStatus();
  }));
  if (!found) return absl::NotFoundError("no notice with this digest is stored in the ledger");
  if (NoticeDigest(text) != notice_digest) {
    return absl::DataLossError("the stored notice text does not match its digest (altered)");
  }
  return text;
}

absl::StatusOr<std::vector<ConsentState>> ConsentLedger::States(
    absl::Span<const std::string_view> subjects, std::string_view purpose,
    std::int64_t as_of) const {
  GDPRKIT_RETURN_IF_ERROR(impl_->CheckPurpose(purpose));
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    GDPRKIT_RETURN_IF_ERROR(CheckSubject(subjects[i], i));
  }
  GDPRKIT_RETURN_IF_ERROR(impl_->Refresh());
  GDPRKIT_ASSIGN_OR_RETURN(const DayNumber day, impl_->Day(as_of));
  std::vector<ConsentState> out(subjects.size(), ConsentState::kNone);
  absl::MutexLock l(&impl_->mu);
  auto p = impl_->index.find(AV(purpose));
  if (p == impl_->index.end()) return out;
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    auto s = p->second.find(AV(subjects[i]));
    if (s != p->second.end()) out[i] = Impl::StateAt(s->second, as_of, day);
  }
  return out;
}

absl::StatusOr<std::vector<ConsentState>> ConsentLedger::StatesOn(
    absl::Span<const std::string_view> subjects, std::string_view purpose, DayNumber on) const {
  if (!IsValidDay(on)) return absl::InvalidArgumentError("on is not a valid date");
  const CivilDate c = CivilFromDays(on);
  const absl::Time end =
      absl::FromCivil(absl::CivilDay(c.year, c.month, c.day) + 1, impl_->tz) - absl::Seconds(1);
  return States(subjects, purpose, absl::ToUnixSeconds(end));
}

absl::StatusOr<std::vector<ConsentWithdrawal>> ConsentLedger::Withdrawals(
    std::string_view purpose, std::int64_t as_of) const {
  GDPRKIT_RETURN_IF_ERROR(impl_->CheckPurpose(purpose));
  GDPRKIT_RETURN_IF_ERROR(impl_->Refresh());
  std::vector<ConsentWithdrawal> out;
  absl::MutexLock l(&impl_->mu);
  auto p = impl_->index.find(AV(purpose));
  if (p == impl_->index.end()) return out;
  for (const auto& [subject, ev] : p->second) {
    const Event* e = impl_->LatestAt(ev, as_of);
    if (e == nullptr || e->state != ConsentState::kWithdrawn) continue;
    GDPRKIT_ASSIGN_OR_RETURN(const DayNumber day, impl_->Day(e->at));
    out.push_back(ConsentWithdrawal{subject, day});
  }
  std::sort(out.begin(), out.end(), [](const ConsentWithdrawal& a, const ConsentWithdrawal& b) {
    return a.subject < b.subject;
  });
  return out;
}

absl::StatusOr<std::vector<ConsentEntry>> ConsentLedger::EntriesOf(std::string_view subject) const {
  GDPRKIT_RETURN_IF_ERROR(CheckSubject(subject, 0));
  GDPRKIT_ASSIGN_OR_RETURN(const std::vector<StoreEntry> rows, impl_->store->EntriesOf(subject));
  std::vector<ConsentEntry> out;
  out.reserve(rows.size());
  for (const StoreEntry& e : rows) out.push_back(ToEntry(e));
  return out;
}

absl::StatusOr<std::int64_t> ConsentLedger::EraseSubject(std::string_view subject,
                                                         std::string_view recorded_by) {
  GDPRKIT_RETURN_IF_ERROR(CheckSubject(subject, 0));
  if (recorded_by.empty() || recorded_by.size() > 128 || !internal::IsValidUtf8(recorded_by)) {
    return absl::InvalidArgumentError("recorded_by must be 1-128 bytes of UTF-8");
  }
  for (unsigned char c : recorded_by) {
    if (c < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError("recorded_by holds a control character");
    }
  }
  GDPRKIT_ASSIGN_OR_RETURN(
      const internal::StoreAppendResult r,
      impl_->store->AppendMade(
          [&](sqlite3*,
              std::int64_t erased) -> absl::StatusOr<std::vector<internal::StoreEntryIn>> {
            return std::vector<internal::StoreEntryIn>{internal::StoreEntryIn{
                std::string(consent_internal::kErasureEntryKind),
                consent_internal::ErasureBody(erased, recorded_by), "", "", 0}};
          },
          impl_->Sink(), subject));
  {
    absl::MutexLock l(&impl_->mu);
    for (auto& [purpose, subjects] : impl_->index) subjects.erase(AV(subject));
  }
  return r.erased;
}

absl::StatusOr<ConsentVerification> ConsentLedger::Verify(std::string_view expected_head) const {
  GDPRKIT_ASSIGN_OR_RETURN(const internal::ChainStoreVerification v,
                           impl_->store->Verify(expected_head));
  ConsentVerification out;
  out.intact = v.intact;
  out.entries = v.entries;
  out.head = v.head;
  out.first_broken_entry = v.first_broken_entry;
  out.problem = v.problem;
  out.ledger_id = v.store_id;
  out.keyed = v.keyed;
  return out;
}

std::string ConsentLedger::ReceiptPublicKey() const { return impl_->public_key_hex; }
const std::string& ConsentLedger::path() const { return impl_->store->path(); }
const std::string& ConsentLedger::ledger_id() const { return impl_->store->store_id(); }
std::int64_t ConsentLedger::entries() const { return impl_->store->entries(); }
std::string ConsentLedger::head() const { return impl_->store->head(); }

absl::StatusOr<std::string> ConsentLedger::ExportReceipt(std::int64_t seq) const {
  GDPRKIT_ASSIGN_OR_RETURN(const StoreEntry e, impl_->store->Get(seq));
  if (e.kind != consent_internal::kConsentEntryKind) {
    return absl::FailedPreconditionError(
        absl::StrCat("entry ", seq, " is an erasure entry, not a consent record"));
  }
  if (e.erased) {
    return absl::FailedPreconditionError(
        absl::StrCat("entry ", seq, " was erased: no receipt can name its subject"));
  }
  return consent_internal::WriteReceipt(e, impl_->store->store_id(), impl_->store->key());
}

absl::StatusOr<ReceiptVerification> ConsentLedger::VerifyReceipt(std::string_view receipt) const {
  GDPRKIT_ASSIGN_OR_RETURN(ReceiptVerification v,
                           VerifyConsentReceipt(receipt, impl_->public_key_hex));
  if (!v.valid) return v;
  if (impl_->store->keyed() && !v.signed_receipt) {
    v.valid = false;
    v.problem = "this ledger signs its receipts; the receipt carries no signature";
    return v;
  }
  if (v.ledger_id != impl_->store->store_id()) {
    v.valid = false;
    v.problem = "the receipt is from another ledger (its ledger id differs)";
    return v;
  }
  absl::StatusOr<StoreEntry> e = impl_->store->Get(v.seq);
  if (!e.ok()) {
    if (e.status().code() != absl::StatusCode::kNotFound) return e.status();
    v.valid = false;
    v.problem = absl::StrCat("the ledger has no entry ", v.seq);
    return v;
  }
  if (e->hash != v.hash) {
    v.valid = false;
    v.problem = absl::StrCat("entry ", v.seq, " of the ledger has another hash");
  }
  return v;
}

}  // namespace gdprkit
