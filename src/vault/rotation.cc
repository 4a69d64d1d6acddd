// Keys: rotation, re-keying, destroying a version, changing the protection.
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
#include "common/progress.h"
#include "common/redact.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "gdprkit/vault.h"
#include "vault/internal/testing.h"
#include "vault/internal/vault_impl.h"

namespace gdprkit {

namespace internal {
std::atomic<int> g_rekey_stop_after_for_tests{-1};
}  // namespace internal

// --- Keys: rotation, re-keying, destruction ------------------------------------

absl::StatusOr<std::size_t> Vault::Impl::RekeyLocked(absl::string_view reason, const ProgressFn& fn,
                                                     std::string_view stage, Transaction* txn) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  GDPRKIT_ASSIGN_OR_RETURN(std::uint32_t primary, PrimaryVersion());
  // The domains to re-key, authenticated, and their records counted first
  // (the authenticated counts), so that progress knows its total.
  std::vector<DomainRow> domains;
  std::int64_t total = 0;
  {
    std::vector<std::string> names;
    Stmt st;
    GDPRKIT_RETURN_IF_ERROR(
        st.Prepare(db->get(), "SELECT name FROM domains WHERE key_version <> ? ORDER BY id"));
    st.Bind(1, primary);
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) names.emplace_back(st.Text(0));
    if (rc != SQLITE_DONE) return db->Error(rc, "listing domains");
    for (const std::string& name : names) {
      GDPRKIT_ASSIGN_OR_RETURN(DomainRow d, LoadDomain(name));
      total += d.token_count;
      domains.push_back(std::move(d));
    }
  }
  ProgressStage progress(fn, stage, total);
  GDPRKIT_RETURN_IF_ERROR(progress.Start());
  std::size_t rekeyed = 0;
  for (DomainRow& d : domains) {
    GDPRKIT_ASSIGN_OR_RETURN(const DomainKeys* new_keys, Keys(d, primary));
    Stmt page, update;
    GDPRKIT_RETURN_IF_ERROR(page.Prepare(
        db->get(), "SELECT " GDPRKIT_ROW_COLUMNS " FROM tokens WHERE domain_id = ? AND token > ? "
                   "ORDER BY token LIMIT 4096"));
    // The MAC and next-pointer of a re-keyed row are written by RelinkDomain
    // once the whole domain has its new indexes.
    GDPRKIT_RETURN_IF_ERROR(
        update.Prepare(db->get(),
                       "UPDATE tokens SET idx = ?, key_version = ?, sealed = ?, "
                       "mac = NULL, next = NULL WHERE domain_id = ? AND token = ?"));
    std::string last;  // "" sorts before every token
    std::uint64_t count = 0;
    std::string norm, sealed;
    Scratch scratch;
    KeyReaders readers;
    std::uint8_t idx[internal::kIndexBytes];
    std::uint8_t nonce[kNonce];
    for (;;) {
      std::vector<TokenRow> rows;
      GDPRKIT_RETURN_IF_ERROR(NextPage(&page, d.id, last, &rows));
      if (rows.empty()) break;
      for (TokenRow& r : rows) {
        if (r.token.size() != internal::kTokenRandomBytes) {
          return absl::DataLossError("vault file is damaged: a token has a wrong size");
        }
        const auto* tok = reinterpret_cast<const std::uint8_t*>(r.token.data());
        GDPRKIT_ASSIGN_OR_RETURN(const DomainKeys* old_keys, Keys(d, r.version));
        IdKind kind;
        // Authenticated before it is re-sealed: re-keying must never turn a
        // damaged or moved record into a valid one.
        GDPRKIT_RETURN_IF_ERROR(CheckRow(d, readers.Get(old_keys), r.View()));
        if (absl::Status s = OpenRecord(d, old_keys->version, readers.Get(old_keys), tok, r.sealed,
                                        &kind, &norm);
            !s.ok()) {
          return absl::DataLossError(
              absl::StrCat("re-keying domain '", d.name, "': a token record ", s.message()));
        }
        Index(readers.Get(new_keys), kind, norm, scratch.bytes, idx);
        randombytes_buf(nonce, sizeof(nonce));
        GDPRKIT_RETURN_IF_ERROR(SealRecord(d, new_keys->version, readers.Get(new_keys), kind, norm,
                                           tok, nonce, &sealed));
        update.Reset();
        update.BindBlob(1, absl::string_view(reinterpret_cast<const char*>(idx), sizeof(idx)));
        update.Bind(2, primary);
        update.BindBlob(3, sealed);
        update.Bind(4, d.id);
        update.BindBlob(5, r.token);
        const int rc = update.Step();
        update.Reset();
        if (rc != SQLITE_DONE) return db->Error(rc, "re-keying token records");
        ++count;
        GDPRKIT_RETURN_IF_ERROR(progress.Advance());
      }
      last = rows.back().token;
      for (TokenRow& r : rows) r.Wipe();
    }
    if (!norm.empty()) sodium_memzero(&norm[0], norm.size());
    if (count != static_cast<std::uint64_t>(d.token_count)) {
      return absl::DataLossError(
          absl::StrCat("vault file is damaged: domain '", d.name, "' holds ", count,
                       " token records, but its authenticated count is ", d.token_count));
    }
    d.key_version = primary;
    GDPRKIT_RETURN_IF_ERROR(RelinkDomain(&d, &readers));
    GDPRKIT_RETURN_IF_ERROR(StoreDomainCounters(d));
    GDPRKIT_RETURN_IF_ERROR(AppendAudit(AuditOp::kRekey, d.name, "", reason, count, primary));
    ++rekeyed;
    const int stop = internal::g_rekey_stop_after_for_tests.load();
    if (stop >= 0 && rekeyed >= static_cast<std::size_t>(stop)) {
      // Leaves the file as gdprkit before 0.4, which committed each domain
      // on its own, left it when killed between domains.
      GDPRKIT_RETURN_IF_ERROR(txn->Commit());
      return absl::AbortedError("re-keying interrupted (test hook)");
    }
  }
  GDPRKIT_RETURN_IF_ERROR(progress.Finish());
  return rekeyed;
}

absl::StatusOr<std::uint32_t> Vault::RotateKeys(std::string_view reason,
                                                const RekeyOptions& options) {
  GDPRKIT_RETURN_IF_ERROR(CheckReason(AV(reason)));
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  const std::map<std::uint32_t, KeyState> states = impl_->key_states;
  std::uint32_t version = 0;
  // One transaction: the new version and every domain re-keyed to it, or
  // (a damaged record, a crash, a cancel) nothing. Re-keying authenticates
  // every record before it re-seals it, so a damaged one stops the rotation
  // with the old version still primary.
  absl::Status s = [&]() -> absl::Status {
    Transaction txn(d);
    GDPRKIT_RETURN_IF_ERROR(txn.BeginWrite());
    GDPRKIT_RETURN_IF_ERROR(impl_->LoadKeys());
    GDPRKIT_ASSIGN_OR_RETURN(std::int64_t max,
                             PragmaInt(d, "SELECT max(version) FROM key_versions"));
    version = static_cast<std::uint32_t>(max + 1);
    GDPRKIT_ASSIGN_OR_RETURN(std::unique_ptr<SecretBytes> master, internal::NewRandomKey());
    GDPRKIT_ASSIGN_OR_RETURN(
        std::string wrapped,
        internal::WrapKey(*impl_->kek, *master, MasterKeyAd(impl_->vault_id, version)));
    GDPRKIT_RETURN_IF_ERROR(
        d->Exec("UPDATE key_versions SET state = 2 WHERE state = 1", "retiring the primary key"));
    Stmt st;
    GDPRKIT_RETURN_IF_ERROR(st.Prepare(d->get(),
                                       "INSERT INTO key_versions(version, state, created, wrapped, "
                                       "checksum) VALUES(?, 1, ?, ?, ?)"));
    std::string checksum = internal::Checksum(wrapped);
    st.Bind(1, version);
    st.Bind(2, NowUnix());
    st.BindBlob(3, wrapped);
    st.BindBlob(4, checksum);
    int rc = st.Step();
    if (rc != SQLITE_DONE) return d->Error(rc, "storing the new master key");
    GDPRKIT_RETURN_IF_ERROR(impl_->RemacKeyVersions());
    GDPRKIT_RETURN_IF_ERROR(impl_->AppendAudit(AuditOp::kRotate, "", "", AV(reason), 0, version));
    impl_->masters[version] = std::move(master);
    for (auto& [v, state] : impl_->key_states) {
      if (state == KeyState::kPrimary) state = KeyState::kEnabled;
    }
    impl_->key_states[version] = KeyState::kPrimary;
    GDPRKIT_RETURN_IF_ERROR(
        impl_->RekeyLocked(AV(reason), options.progress, "rotate", &txn).status());
    return txn.Commit();
  }();
  if (!s.ok()) {
    // Rolled back: the new key and every key derived from it are forgotten,
    // and the key table is read again (the test hook commits a part).
    if (version != 0) {
      impl_->masters.erase(version);
      for (auto it = impl_->domain_keys.begin(); it != impl_->domain_keys.end();) {
        it = it->first.second == version ? impl_->domain_keys.erase(it) : std::next(it);
      }
    }
    impl_->key_states = states;
    impl_->LoadKeys().IgnoreError();
    return s;
  }
  return version;
}

absl::StatusOr<std::size_t> Vault::Rekey(std::string_view reason, const RekeyOptions& options) {
  GDPRKIT_RETURN_IF_ERROR(CheckReason(AV(reason)));
  absl::MutexLock lock(&impl_->mu);
  Transaction txn(impl_->db.get());
  GDPRKIT_RETURN_IF_ERROR(txn.BeginWrite());
  GDPRKIT_ASSIGN_OR_RETURN(std::size_t rekeyed,
                           impl_->RekeyLocked(AV(reason), options.progress, "rekey", &txn));
  GDPRKIT_RETURN_IF_ERROR(txn.Commit());
  return rekeyed;
}

absl::Status Vault::DestroyKeyVersion(std::uint32_t version, std::string_view reason) {
  GDPRKIT_RETURN_IF_ERROR(CheckReason(AV(reason)));
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  Transaction txn(d);
  GDPRKIT_RETURN_IF_ERROR(txn.BeginWrite());
  GDPRKIT_RETURN_IF_ERROR(impl_->LoadKeys());
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(st.Prepare(d->get(), "SELECT state FROM key_versions WHERE version = ?"));
  st.Bind(1, version);
  int rc = st.Step();
  if (rc == SQLITE_DONE) {
    return absl::NotFoundError(absl::StrCat("no key version ", version, " in the vault"));
  }
  if (rc != SQLITE_ROW) return d->Error(rc, "reading the vault's keys");
  auto state = static_cast<KeyState>(st.Int(0));
  st.Reset();
  if (state == KeyState::kDestroyed) {
    return absl::FailedPreconditionError(
        absl::StrCat("key version ", version, " is already destroyed"));
  }
  if (state == KeyState::kPrimary) {
    return absl::FailedPreconditionError(absl::StrCat(
        "key version ", version, " is the primary version; rotate first (RotateKeys)"));
  }
  Stmt users;
  GDPRKIT_RETURN_IF_ERROR(
      users.Prepare(d->get(),
                    "SELECT (SELECT count(*) FROM domains WHERE key_version = ?1) + "
                    "(SELECT count(*) FROM tokens WHERE key_version = ?1)"));
  users.Bind(1, version);
  rc = users.Step();
  if (rc != SQLITE_ROW) return d->Error(rc, "checking key use");
  if (users.Int(0) > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "key version ", version, " is still used by domains or token records; run Rekey first"));
  }
  Stmt wipe;
  GDPRKIT_RETURN_IF_ERROR(wipe.Prepare(d->get(),
                                       "UPDATE key_versions SET state = 3, wrapped = NULL, "
                                       "checksum = NULL WHERE version = ?"));
  wipe.Bind(1, version);
  rc = wipe.Step();
  if (rc != SQLITE_DONE) return d->Error(rc, "destroying a key version");
  GDPRKIT_RETURN_IF_ERROR(impl_->RemacKeyVersions());
  GDPRKIT_RETURN_IF_ERROR(impl_->AppendAudit(AuditOp::kDestroyKey, "", "", AV(reason), 0, version));
  GDPRKIT_RETURN_IF_ERROR(txn.Commit());
  impl_->masters.erase(version);
  impl_->key_states[version] = KeyState::kDestroyed;
  for (auto it = impl_->domain_keys.begin(); it != impl_->domain_keys.end();) {
    it = it->first.second == version ? impl_->domain_keys.erase(it) : std::next(it);
  }
  Stmt cp;
  if (cp.Prepare(d->get(), "PRAGMA wal_checkpoint(TRUNCATE)").ok()) cp.Step();
  return absl::OkStatus();
}

absl::Status Vault::ChangeProtection(const VaultOptions& protection, std::string_view reason) {
  GDPRKIT_RETURN_IF_ERROR(CheckReason(AV(reason)));
  VaultOptions o = protection;
  o.set_path(impl_->options.path()).set_actor(impl_->options.actor());
  GDPRKIT_RETURN_IF_ERROR(CheckOptions(o));
  const bool passphrase = o.protection() == VaultProtection::kPassphrase;
  const KdfLimits limits = o.kdf_limits();
  if (passphrase &&
      (limits.opslimit < crypto_pwhash_OPSLIMIT_MIN || limits.opslimit > kMaxStoredOpslimit ||
       limits.memlimit < crypto_pwhash_MEMLIMIT_MIN || limits.memlimit > kMaxStoredMemlimit)) {
    return absl::InvalidArgumentError("Argon2id limits outside what the vault accepts");
  }
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  std::string salt = RandomBytes(crypto_pwhash_SALTBYTES);
  GDPRKIT_ASSIGN_OR_RETURN(
      std::unique_ptr<SecretBytes> kek,
      internal::DeriveKek(passphrase, *o.secret(), salt, limits.opslimit, limits.memlimit));
  Transaction txn(d);
  GDPRKIT_RETURN_IF_ERROR(txn.BeginWrite());
  // Every key that is not destroyed must be at hand, also versions another
  // process added.
  GDPRKIT_RETURN_IF_ERROR(impl_->LoadKeys());
  Stmt update;
  GDPRKIT_RETURN_IF_ERROR(update.Prepare(
      d->get(), "UPDATE key_versions SET wrapped = ?, checksum = ? WHERE version = ?"));
  for (const auto& [version, master] : impl_->masters) {
    GDPRKIT_ASSIGN_OR_RETURN(
        std::string wrapped,
        internal::WrapKey(*kek, *master, MasterKeyAd(impl_->vault_id, version)));
    std::string checksum = internal::Checksum(wrapped);
    update.Reset();
    update.BindBlob(1, wrapped);
    update.BindBlob(2, checksum);
    update.Bind(3, version);
    int rc = update.Step();
    if (rc != SQLITE_DONE) return d->Error(rc, "re-wrapping the master keys");
  }
  update.Reset();
  GDPRKIT_ASSIGN_OR_RETURN(std::string audit_key,
                           internal::WrapKey(*kek, *impl_->audit_key, AuditKeyAd(impl_->vault_id)));
  std::vector<std::pair<std::string, std::string>> meta = {
      {"protection", passphrase ? "passphrase" : "host_key"},
      {"kdf_salt", salt},
      {"kdf_opslimit", U64(limits.opslimit)},
      {"kdf_memlimit", U64(limits.memlimit)},
      {"audit_key", audit_key},
      {"audit_key_checksum", internal::Checksum(audit_key)},
  };
  for (const auto& [name, value] : meta) {
    GDPRKIT_RETURN_IF_ERROR(PutMeta(d, name, value));
  }
  GDPRKIT_RETURN_IF_ERROR(impl_->RemacKeyVersions());
  {
    absl::StatusOr<std::map<std::string, std::string>> all = ReadMeta(d);
    if (!all.ok()) return all.status();
    GDPRKIT_RETURN_IF_ERROR(PutMeta(d, "header_checksum", impl_->HeaderChecksum(*all)));
  }
  GDPRKIT_RETURN_IF_ERROR(impl_->AppendAudit(AuditOp::kChangeProtection, "", "", AV(reason), 0, 0));
  GDPRKIT_RETURN_IF_ERROR(txn.Commit());
  impl_->kek = std::move(kek);
  impl_->options = o;
  // No copy wrapped under the old secret stays in the write-ahead log.
  Stmt cp;
  if (cp.Prepare(d->get(), "PRAGMA wal_checkpoint(TRUNCATE)").ok()) cp.Step();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<KeyVersionInfo>> Vault::ListKeys() const {
  absl::MutexLock lock(&impl_->mu);
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(st.Prepare(impl_->db->get(),
                                     "SELECT version, state, created FROM key_versions ORDER BY "
                                     "version"));
  std::vector<KeyVersionInfo> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    KeyVersionInfo k;
    k.version = static_cast<std::uint32_t>(st.Int(0));
    k.state = static_cast<KeyState>(st.Int(1));
    k.created_unix = st.Int(2);
    out.push_back(k);
  }
  if (rc != SQLITE_DONE) return impl_->db->Error(rc, "listing keys");
  return out;
}

}  // namespace gdprkit
