// Opening a vault: its options, the schema and its migrations, Create, Open, the
// master keys.
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

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
#include "vault/internal/vfs.h"

namespace gdprkit {

// --- Small public pieces ----------------------------------------------------

KdfLimits KdfLimits::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
KdfLimits KdfLimits::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
KdfLimits KdfLimits::ForTestsOnly() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

VaultOptions::VaultOptions() : kdf_limits_(KdfLimits::Moderate()) {}
VaultOptions::~VaultOptions() = default;
VaultOptions::VaultOptions(const VaultOptions&) = default;
VaultOptions& VaultOptions::operator=(const VaultOptions&) = default;

VaultOptions& VaultOptions::set_path(std::string path) {
  path_ = std::move(path);
  return *this;
}

VaultOptions& VaultOptions::set_passphrase(std::string_view passphrase) {
  absl::StatusOr<std::unique_ptr<SecretBytes>> s = SecretBytes::CopyOf(AV(passphrase));
  secret_ = s.ok() ? std::shared_ptr<SecretBytes>(std::move(*s)) : nullptr;
  protection_ = VaultProtection::kPassphrase;
  return *this;
}

VaultOptions& VaultOptions::set_host_key(std::string_view key, InsecureSecretAccess) {
  absl::StatusOr<std::unique_ptr<SecretBytes>> s = SecretBytes::CopyOf(AV(key));
  secret_ = s.ok() ? std::shared_ptr<SecretBytes>(std::move(*s)) : nullptr;
  protection_ = VaultProtection::kHostKey;
  return *this;
}

VaultOptions& VaultOptions::set_kdf_limits(KdfLimits limits) {
  kdf_limits_ = limits;
  return *this;
}
VaultOptions& VaultOptions::set_actor(std::string actor) {
  actor_ = std::move(actor);
  return *this;
}
VaultOptions& VaultOptions::set_busy_timeout_ms(int ms) {
  busy_timeout_ms_ = ms;
  return *this;
}
VaultOptions& VaultOptions::set_create_if_missing(bool create) {
  create_if_missing_ = create;
  return *this;
}
VaultOptions& VaultOptions::set_cache_mib(int mib) {
  cache_mib_ = mib;
  return *this;
}

namespace {

// Each schema version is reached from the one before by its SQL; a new file
// starts at version 0. Never edit a step once released: add one.
struct Migration {
  int to;
  const char* sql;
};
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE meta (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE key_versions (
  version INTEGER PRIMARY KEY,
  state INTEGER NOT NULL CHECK (state IN (1, 2, 3)),
  created INTEGER NOT NULL,
  wrapped BLOB,
  checksum BLOB
);
CREATE TABLE domains (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  salt BLOB NOT NULL,
  key_version INTEGER NOT NULL REFERENCES key_versions(version),
  created INTEGER NOT NULL,
  token_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tokens (
  domain_id INTEGER NOT NULL REFERENCES domains(id),
  token BLOB NOT NULL,
  idx BLOB NOT NULL,
  key_version INTEGER NOT NULL,
  sealed BLOB NOT NULL,
  PRIMARY KEY (domain_id, idx),
  UNIQUE (domain_id, token)
) WITHOUT ROWID;
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  entry BLOB NOT NULL,
  chain BLOB NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql"},
    // Schema 2: each domain names its pseudonym scheme (PseudonymScheme);
    // domains of schema 1 were all BLAKE2b.
    {2, R"sql(
ALTER TABLE domains ADD COLUMN pseudonym_scheme INTEGER NOT NULL DEFAULT 1
  CHECK (pseudonym_scheme IN (1, 2));
)sql"},
    // Schema 3: everything the vault trusts is authenticated (docs/vault.md
    // §4a): a keyed MAC per token row (binding domain, index, token, key
    // version, sealed record and the index of the domain's next row, so that
    // the rows of a domain form an authenticated chain that proves a missing
    // index absent), per domain row (with the chain's head) and per key
    // version; the audit head in `meta` is MACed too. The columns are filled in the same
    // transaction, after the keys unlock (FillIntegrity). Files of this schema
    // also carry page checksums (vault/internal/vfs.h).
    {3, R"sql(
ALTER TABLE domains ADD COLUMN mac BLOB;
ALTER TABLE domains ADD COLUMN head BLOB;
ALTER TABLE key_versions ADD COLUMN mac BLOB;
ALTER TABLE tokens ADD COLUMN mac BLOB;
ALTER TABLE tokens ADD COLUMN next BLOB;
)sql"},
};

// The tables every vault has. (Its append-only triggers are a convenience:
// what protects the audit trail is its keyed chain and MACed head.)
constexpr const char* kSchemaObjects[] = {"meta", "key_versions", "domains", "tokens", "audit"};

absl::Status RunMigrations(Db* db, int from) {
  for (const Migration& m : kMigrations) {
    if (m.to <= from) continue;
    GDPRKIT_RETURN_IF_ERROR(db->Exec(m.sql, absl::StrCat("migrating the vault to schema ", m.to)));
    std::string v = absl::StrCat("PRAGMA user_version=", m.to);
    GDPRKIT_RETURN_IF_ERROR(db->Exec(v.c_str(), "recording the schema version"));
  }
  return absl::OkStatus();
}

bool ParseU64(absl::string_view s, std::uint64_t* v) {
  if (s.size() != 8) return false;
  *v = 0;
  for (int i = 7; i >= 0; --i) *v = (*v << 8) | static_cast<unsigned char>(s[i]);
  return true;
}

}  // namespace

absl::Status Vault::Impl::Prepare() {
  sqlite3* h = db->get();
  GDPRKIT_RETURN_IF_ERROR(select_domain.Prepare(
      h,
      "SELECT id, name, salt, key_version, token_count, pseudonym_scheme, description, "
      "created, mac, head FROM domains WHERE name = ?"));
  GDPRKIT_RETURN_IF_ERROR(token_by_idx.Prepare(
      h, "SELECT " GDPRKIT_ROW_COLUMNS " FROM tokens WHERE domain_id = ? AND idx = ?"));
  GDPRKIT_RETURN_IF_ERROR(insert_token.Prepare(
      h,
      "INSERT INTO tokens(domain_id, token, idx, key_version, sealed, mac, next) "
      "VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT(domain_id, idx) DO NOTHING"));
  GDPRKIT_RETURN_IF_ERROR(row_by_token.Prepare(
      h, "SELECT " GDPRKIT_ROW_COLUMNS " FROM tokens WHERE domain_id = ? AND token = ?"));
  GDPRKIT_RETURN_IF_ERROR(row_before.Prepare(h, "SELECT " GDPRKIT_ROW_COLUMNS
                                                " FROM tokens WHERE domain_id = ? AND idx < ? "
                                                "ORDER BY idx DESC LIMIT 1"));
  GDPRKIT_RETURN_IF_ERROR(
      set_next.Prepare(h, "UPDATE tokens SET next = ?, mac = ? WHERE domain_id = ? AND idx = ?"));
  return delete_by_idx.Prepare(h, "DELETE FROM tokens WHERE domain_id = ? AND idx = ?");
}

namespace {

// A vault file whose tables are missing is damaged (or was tampered with);
// say which, rather than failing later with "no such table".
absl::Status CheckSchemaObjects(Db* db, const std::string& path) {
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(st.Prepare(db->get(),
                                     "SELECT count(*) FROM sqlite_schema WHERE name = ? AND type = "
                                     "'table'"));
  for (const char* name : kSchemaObjects) {
    st.Reset();
    st.BindText(1, name);
    int rc = st.Step();
    if (rc != SQLITE_ROW) return db->Error(rc, "reading the vault's schema");
    if (st.Int(0) != 1) {
      return absl::DataLossError(
          absl::StrCat("vault file ", path, " is damaged: its ", name, " table is missing"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Vault::Impl::LoadKeys() {
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(st.Prepare(
      db->get(), schema >= 3
                     ? "SELECT version, state, wrapped, checksum, created, mac FROM key_versions"
                     : "SELECT version, state, wrapped, checksum, created, NULL FROM "
                       "key_versions"));
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    auto version = static_cast<std::uint32_t>(st.Int(0));
    const std::int64_t raw_state = st.Int(1);
    if (schema >= 3) {
      const std::string want = KeyVersionMac(version, raw_state, st.Int(4), st.Blob(2), st.Blob(3));
      absl::string_view mac = st.Blob(5);
      if (mac.size() != want.size() || sodium_memcmp(mac.data(), want.data(), want.size()) != 0) {
        return absl::DataLossError(absl::StrCat("vault file is damaged: master key version ",
                                                version,
                                                " is altered (its record fails authentication)"));
      }
    }
    if (raw_state < 1 || raw_state > 3) {
      return absl::DataLossError(
          absl::StrCat("vault file is damaged: key version ", version, " has an unknown state"));
    }
    auto state = static_cast<KeyState>(raw_state);
    key_states[version] = state;
    if (state == KeyState::kDestroyed) {
      masters.erase(version);
      continue;
    }
    if (masters.count(version) > 0) continue;
    absl::string_view wrapped = st.Blob(2);
    if (internal::Checksum(wrapped) != st.Blob(3)) {
      return absl::DataLossError(
          absl::StrCat("vault file is damaged: master key version ", version, " is altered"));
    }
    absl::StatusOr<std::unique_ptr<SecretBytes>> key =
        internal::UnwrapKey(*kek, wrapped, MasterKeyAd(vault_id, version));
    if (!key.ok()) return UnlockError(options, key.status());
    masters[version] = std::move(*key);
  }
  if (rc != SQLITE_DONE) return db->Error(rc, "reading the vault's keys");
  return absl::OkStatus();
}

absl::StatusOr<std::uint32_t> Vault::Impl::PrimaryVersion() {
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(
      st.Prepare(db->get(), "SELECT max(version) FROM key_versions WHERE state = 1"));
  int rc = st.Step();
  if (rc != SQLITE_ROW) return db->Error(rc, "reading the primary key version");
  if (st.IsNull(0)) return absl::DataLossError("vault file is damaged: no primary key version");
  return static_cast<std::uint32_t>(st.Int(0));
}

absl::Status Vault::Impl::Migrate() {
  Db* d = db.get();
  // Page checksums need 8 reserved bytes per page; an older file gets them by
  // being rewritten (VACUUM), before its schema changes.
  int reserve = -1;
  if (sqlite3_file_control(d->get(), "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve) != SQLITE_OK) {
    return absl::InternalError("cannot read the vault's reserved bytes");
  }
  if (reserve != internal::kPageChecksumBytes) {
    int want = internal::kPageChecksumBytes;
    if (sqlite3_file_control(d->get(), "main", SQLITE_FCNTL_RESERVE_BYTES, &want) != SQLITE_OK) {
      return absl::InternalError("cannot reserve room for page checksums");
    }
    GDPRKIT_RETURN_IF_ERROR(d->Exec("VACUUM", "adding page checksums to the vault"));
  }
  const int old_schema = schema;
  Transaction txn(d);
  GDPRKIT_RETURN_IF_ERROR(txn.BeginWrite());
  GDPRKIT_ASSIGN_OR_RETURN(std::int64_t now, PragmaInt(d, "PRAGMA user_version"));
  if (now >= kSchemaVersion) {  // Another process migrated it meanwhile.
    schema = static_cast<int>(now);
    return txn.Commit();
  }
  schema = static_cast<int>(now);
  GDPRKIT_RETURN_IF_ERROR(RunMigrations(d, schema));
  GDPRKIT_RETURN_IF_ERROR(Prepare());  // The new columns exist now.
  if (absl::Status s = FillIntegrity(); !s.ok()) {
    schema = old_schema;
    return s;
  }
  if (absl::Status s = txn.Commit(); !s.ok()) {
    schema = old_schema;
    return s;
  }
  schema = kSchemaVersion;
  return absl::OkStatus();
}

// --- Create and Open ---------------------------------------------------------

namespace {

// Writes a new vault's schema, keys and first audit entry in one transaction.
absl::Status InitializeVault(Vault::Impl* impl, bool passphrase, const KdfLimits& limits) {
  const VaultOptions& options = impl->options;
  Db* d = impl->db.get();
  // Room for a checksum at the end of every page (vault/internal/vfs.h),
  // fixed before the first page is written.
  int reserve = internal::kPageChecksumBytes;
  if (sqlite3_file_control(d->get(), "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve) != SQLITE_OK) {
    return absl::InternalError("cannot reserve room for page checksums");
  }
  // Larger pages: shallower B-trees for the fat token records.
  GDPRKIT_RETURN_IF_ERROR(d->Exec("PRAGMA page_size=16384", "setting the page size"));
  GDPRKIT_RETURN_IF_ERROR(d->Exec("PRAGMA journal_mode=WAL", "switching the vault to WAL"));
  Transaction txn(d);
  GDPRKIT_RETURN_IF_ERROR(txn.BeginWrite());
  GDPRKIT_ASSIGN_OR_RETURN(std::int64_t version, PragmaInt(d, "PRAGMA user_version"));
  if (version != 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("another process created a vault at ", options.path()));
  }
  GDPRKIT_RETURN_IF_ERROR(RunMigrations(d, 0));
  std::string app = absl::StrCat("PRAGMA application_id=", internal::kVaultApplicationId);
  GDPRKIT_RETURN_IF_ERROR(d->Exec(app.c_str(), "marking the file as a vault"));
  impl->vault_id = RandomBytes(16);
  std::string salt = RandomBytes(crypto_pwhash_SALTBYTES);
  GDPRKIT_ASSIGN_OR_RETURN(
      std::unique_ptr<SecretBytes> kek,
      internal::DeriveKek(passphrase, *options.secret(), salt, limits.opslimit, limits.memlimit));
  impl->kek = std::move(kek);
  absl::StatusOr<std::unique_ptr<SecretBytes>> audit_key = internal::NewRandomKey();
  absl::StatusOr<std::unique_ptr<SecretBytes>> master = internal::NewRandomKey();
  if (!audit_key.ok()) return audit_key.status();
  if (!master.ok()) return master.status();
  absl::StatusOr<std::string> wrapped_audit =
      internal::WrapKey(*impl->kek, **audit_key, AuditKeyAd(impl->vault_id));
  absl::StatusOr<std::string> wrapped_master =
      internal::WrapKey(*impl->kek, **master, MasterKeyAd(impl->vault_id, 1));
  if (!wrapped_audit.ok()) return wrapped_audit.status();
  if (!wrapped_master.ok()) return wrapped_master.status();
  std::vector<std::pair<std::string, std::string>> meta = {
      {"vault_id", impl->vault_id},
      {"protection", passphrase ? "passphrase" : "host_key"},
      {"kdf_salt", salt},
      {"kdf_opslimit", U64(limits.opslimit)},
      {"kdf_memlimit", U64(limits.memlimit)},
      {"audit_key", *wrapped_audit},
      {"audit_key_checksum", internal::Checksum(*wrapped_audit)},
      {"created", U64(static_cast<std::uint64_t>(NowUnix()))},
  };
  impl->audit_key = std::move(*audit_key);
  GDPRKIT_RETURN_IF_ERROR(impl->DeriveIntegrityKey());
  meta.emplace_back("header_checksum", impl->HeaderChecksum(std::map<std::string, std::string>(
                                           meta.begin(), meta.end())));
  for (const auto& [name, value] : meta) {
    GDPRKIT_RETURN_IF_ERROR(PutMeta(d, name, value));
  }
  {
    Stmt st;
    GDPRKIT_RETURN_IF_ERROR(st.Prepare(d->get(),
                                       "INSERT INTO key_versions(version, state, created, wrapped, "
                                       "checksum, mac) VALUES(1, 1, ?, ?, ?, ?)"));
    std::string checksum = internal::Checksum(*wrapped_master);
    const std::int64_t now = NowUnix();
    const std::string mac = impl->KeyVersionMac(1, 1, now, *wrapped_master, checksum);
    st.Bind(1, now);
    st.BindBlob(2, *wrapped_master);
    st.BindBlob(3, checksum);
    st.BindBlob(4, mac);
    int rc = st.Step();
    if (rc != SQLITE_DONE) return d->Error(rc, "storing the master key");
  }
  impl->masters[1] = std::move(*master);
  GDPRKIT_RETURN_IF_ERROR(impl->StoreDomainSet());
  impl->key_states[1] = KeyState::kPrimary;
  GDPRKIT_RETURN_IF_ERROR(impl->AppendAudit(AuditOp::kVaultCreated, "", "", "", 0, 1));
  GDPRKIT_RETURN_IF_ERROR(txn.Commit());
  // Move the new pages, the header with the application id included, into
  // the main file, so that the file is recognisable without its log.
  return d->Exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpointing the new vault");
}

}  // namespace

Vault::Vault(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Vault::~Vault() = default;

const std::string& Vault::path() const { return impl_->options.path(); }
VaultProtection Vault::protection() const { return impl_->options.protection(); }

absl::StatusOr<std::unique_ptr<Vault>> Vault::Create(const VaultOptions& options) {
  GDPRKIT_RETURN_IF_ERROR(internal::EnsureSodium());
  GDPRKIT_RETURN_IF_ERROR(CheckOptions(options));
  if (access(options.path().c_str(), F_OK) == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("a file exists at ", options.path(), "; Vault::Open opens a vault"));
  }
  const bool passphrase = options.protection() == VaultProtection::kPassphrase;
  const KdfLimits limits = options.kdf_limits();
  if (passphrase && (limits.opslimit < crypto_pwhash_OPSLIMIT_MIN ||
                     limits.opslimit > crypto_pwhash_OPSLIMIT_MAX ||
                     limits.memlimit < crypto_pwhash_MEMLIMIT_MIN ||
                     limits.memlimit > crypto_pwhash_MEMLIMIT_MAX)) {
    return absl::InvalidArgumentError("Argon2id limits outside what libsodium accepts");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  GDPRKIT_ASSIGN_OR_RETURN(
      std::unique_ptr<Db> db,
      Db::Open(options.path(), /*create=*/true, options.busy_timeout_ms(), options.cache_mib()));
  impl->db = std::move(db);
  absl::Status s = InitializeVault(impl.get(), passphrase, limits);
  if (!s.ok()) {
    impl.reset();
    // Remove the file this call created, unless another process made it a
    // vault in the meantime.
    if (s.code() != absl::StatusCode::kAlreadyExists &&
        !internal::PrecheckVaultFile(options.path()).ok()) {
      unlink(options.path().c_str());
      unlink((options.path() + "-wal").c_str());
      unlink((options.path() + "-shm").c_str());
    }
    return s;
  }
  GDPRKIT_RETURN_IF_ERROR(impl->Prepare());
  return std::unique_ptr<Vault>(new Vault(std::move(impl)));
}

absl::StatusOr<std::unique_ptr<Vault>> Vault::Open(const VaultOptions& options) {
  GDPRKIT_RETURN_IF_ERROR(internal::EnsureSodium());
  GDPRKIT_RETURN_IF_ERROR(CheckOptions(options));
  absl::Status pre = internal::PrecheckVaultFile(options.path());
  if (pre.code() == absl::StatusCode::kNotFound) {
    if (options.create_if_missing()) {
      absl::StatusOr<std::unique_ptr<Vault>> v = Create(options);
      if (v.ok() || v.status().code() != absl::StatusCode::kAlreadyExists) return v;
      pre = internal::PrecheckVaultFile(options.path());  // Another process won the race.
    } else {
      return absl::NotFoundError(
          absl::StrCat("no vault file at ", options.path(),
                       ": create one first, or open it with create-if-missing"));
    }
  }
  if (!pre.ok()) return pre;
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  GDPRKIT_ASSIGN_OR_RETURN(
      std::unique_ptr<Db> db,
      Db::Open(options.path(), /*create=*/false, options.busy_timeout_ms(), options.cache_mib()));
  impl->db = std::move(db);
  Db* d = impl->db.get();
  GDPRKIT_ASSIGN_OR_RETURN(std::int64_t app, PragmaInt(d, "PRAGMA application_id"));
  if (app != static_cast<std::int64_t>(internal::kVaultApplicationId)) {
    return absl::DataLossError(absl::StrCat(
        options.path(), " is an SQLite database but not a gdprkit vault (wrong application id)"));
  }
  GDPRKIT_ASSIGN_OR_RETURN(std::int64_t schema, PragmaInt(d, "PRAGMA user_version"));
  if (schema > kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "vault ", options.path(), " has schema version ", schema,
        ", newer than this gdprkit understands (", kSchemaVersion, "); upgrade gdprkit"));
  }
  if (schema < 1) {
    return absl::DataLossError(
        absl::StrCat(options.path(), " is not a complete gdprkit vault (no schema)"));
  }
  impl->schema = static_cast<int>(schema);
  GDPRKIT_RETURN_IF_ERROR(CheckSchemaObjects(d, options.path()));
  absl::StatusOr<std::map<std::string, std::string>> meta = ReadMeta(d);
  if (!meta.ok()) return meta.status();
  auto get = [&](const char* name) -> const std::string* {
    auto it = meta->find(name);
    return it == meta->end() ? nullptr : &it->second;
  };
  if (impl->schema >= 3) {
    // An unkeyed checksum over what the key-encryption key is derived from,
    // so that an altered salt, limit or vault id reads as damage, not as a
    // wrong passphrase.
    const std::string* header = get("header_checksum");
    if (header == nullptr || *header != impl->HeaderChecksum(*meta)) {
      return absl::DataLossError(absl::StrCat(
          "vault file ", options.path(),
          " is damaged: its vault id, protection or key-derivation parameters are altered"));
    }
  }
  const std::string* vault_id = get("vault_id");
  const std::string* protection = get("protection");
  const std::string* salt = get("kdf_salt");
  const std::string* ops = get("kdf_opslimit");
  const std::string* mem = get("kdf_memlimit");
  const std::string* audit_key = get("audit_key");
  const std::string* audit_sum = get("audit_key_checksum");
  std::uint64_t opslimit = 0, memlimit = 0;
  if (vault_id == nullptr || protection == nullptr || salt == nullptr || ops == nullptr ||
      mem == nullptr || audit_key == nullptr || audit_sum == nullptr ||
      !ParseU64(*ops, &opslimit) || !ParseU64(*mem, &memlimit)) {
    return absl::DataLossError(
        absl::StrCat("vault file ", options.path(), " is damaged: its metadata is incomplete"));
  }
  const bool passphrase = *protection == "passphrase";
  if (!passphrase && *protection != "host_key") {
    return absl::DataLossError(
        absl::StrCat("vault file ", options.path(), " is damaged: unknown protection"));
  }
  if (passphrase != (options.protection() == VaultProtection::kPassphrase)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "vault ", options.path(), " is protected by ", passphrase ? "a passphrase" : "a host key",
        ", but ", passphrase ? "a host key" : "a passphrase", " was given"));
  }
  if (passphrase && (opslimit < crypto_pwhash_OPSLIMIT_MIN || opslimit > kMaxStoredOpslimit ||
                     memlimit < crypto_pwhash_MEMLIMIT_MIN || memlimit > kMaxStoredMemlimit)) {
    return absl::DataLossError(
        absl::StrCat("vault file ", options.path(), " is damaged: implausible Argon2id limits"));
  }
  impl->vault_id = *vault_id;
  GDPRKIT_ASSIGN_OR_RETURN(std::unique_ptr<SecretBytes> kek,
                           internal::DeriveKek(passphrase, *options.secret(), *salt, opslimit,
                                               static_cast<std::size_t>(memlimit)));
  impl->kek = std::move(kek);
  if (internal::Checksum(*audit_key) != *audit_sum) {
    return absl::DataLossError(
        absl::StrCat("vault file ", options.path(), " is damaged: the audit key is altered"));
  }
  absl::StatusOr<std::unique_ptr<SecretBytes>> ak =
      internal::UnwrapKey(*impl->kek, *audit_key, AuditKeyAd(impl->vault_id));
  if (!ak.ok()) return UnlockError(options, ak.status());
  impl->audit_key = std::move(*ak);
  GDPRKIT_RETURN_IF_ERROR(impl->DeriveIntegrityKey());
  GDPRKIT_RETURN_IF_ERROR(impl->LoadKeys());
  if (schema < kSchemaVersion) {
    GDPRKIT_RETURN_IF_ERROR(impl->Migrate());
  }
  {
    // A trail cut at its end, or a rewritten head, is found before anything
    // else is done with the vault.
    Transaction read(d);
    GDPRKIT_RETURN_IF_ERROR(read.BeginRead());
    absl::StatusOr<std::pair<std::uint64_t, std::string>> head = impl->AuditHead();
    if (!head.ok()) return head.status();
    GDPRKIT_RETURN_IF_ERROR(read.Commit());
  }
  if (absl::Status s = impl->Prepare(); !s.ok()) {
    return absl::DataLossError(absl::StrCat("vault file ", options.path(),
                                            " is damaged: its tables do not have the expected "
                                            "columns (",
                                            s.message(), ")"));
  }
  return std::unique_ptr<Vault>(new Vault(std::move(impl)));
}

}  // namespace gdprkit
