// Integrity (schema 3): the MACs of domains, key versions and the header,
// the walk over every token row, the migration that fills them, and
// CheckIntegrity.
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
#include "common/redact.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "gdprkit/vault.h"
#include "vault/internal/vault_impl.h"

namespace gdprkit {

// --- Integrity --------------------------------------------------------------

absl::Status Vault::Impl::DeriveIntegrityKey() {
  GDPRKIT_ASSIGN_OR_RETURN(std::unique_ptr<SecretBytes> k, SecretBytes::New(internal::kKeyBytes));
  {
    SecretBytes::Reader a(*audit_key);
    crypto_kdf_derive_from_key(k->mutable_data(), internal::kKeyBytes, 1, kIntegrityContext,
                               a.data());
  }
  k->Seal();
  integrity_key = std::move(k);
  return absl::OkStatus();
}

std::string Vault::Impl::RecordMac(absl::string_view label,
                                   std::initializer_list<absl::string_view> fields) const {
  crypto_generichash_blake2b_state st;
  std::string mac(kRecordMacBytes, '\0');
  {
    SecretBytes::Reader k(*integrity_key);
    crypto_generichash_blake2b_init_salt_personal(
        &st, k.data(), k.size(), mac.size(), nullptr,
        reinterpret_cast<const unsigned char*>(kRecordPersonal));
  }
  auto absorb = [&](absl::string_view f) {
    const std::string len = U64(f.size());
    crypto_generichash_blake2b_update(&st, reinterpret_cast<const unsigned char*>(len.data()),
                                      len.size());
    crypto_generichash_blake2b_update(&st, reinterpret_cast<const unsigned char*>(f.data()),
                                      f.size());
  };
  absorb(label);
  for (absl::string_view f : fields) absorb(f);
  crypto_generichash_blake2b_final(&st, reinterpret_cast<unsigned char*>(&mac[0]), mac.size());
  sodium_memzero(&st, sizeof(st));
  return mac;
}

std::string Vault::Impl::DomainMac(const DomainRow& d) const {
  return RecordMac("domain", {U64(static_cast<std::uint64_t>(d.id)), d.name, d.description, d.salt,
                              U64(d.key_version), U64(static_cast<std::uint64_t>(d.created)),
                              U64(static_cast<std::uint64_t>(d.token_count)),
                              U64(static_cast<std::uint64_t>(d.scheme)), d.head});
}

std::string Vault::Impl::KeyVersionMac(std::uint32_t version, std::int64_t state,
                                       std::int64_t created, absl::string_view wrapped,
                                       absl::string_view checksum) const {
  return RecordMac("key_version", {U64(version), U64(static_cast<std::uint64_t>(state)),
                                   U64(static_cast<std::uint64_t>(created)), wrapped, checksum});
}

std::string Vault::Impl::AuditHeadValue(std::uint64_t seq, absl::string_view chain) const {
  return absl::StrCat(U64(seq), chain, RecordMac("audit_head", {U64(seq), chain}));
}

std::string Vault::Impl::HeaderChecksum(const std::map<std::string, std::string>& meta) const {
  std::string all;
  for (const char* name :
       {"vault_id", "protection", "kdf_salt", "kdf_opslimit", "kdf_memlimit", "audit_key"}) {
    auto it = meta.find(name);
    const std::string value = it == meta.end() ? std::string() : it->second;
    absl::StrAppend(&all, U64(value.size()), value);
  }
  return internal::Checksum(all);
}

absl::Status Vault::Impl::RemacKeyVersions() {
  Stmt rows, update;
  GDPRKIT_RETURN_IF_ERROR(rows.Prepare(db->get(),
                                       "SELECT version, state, created, wrapped, checksum FROM "
                                       "key_versions"));
  GDPRKIT_RETURN_IF_ERROR(
      update.Prepare(db->get(), "UPDATE key_versions SET mac = ? WHERE version = ?"));
  std::vector<std::pair<std::uint32_t, std::string>> macs;
  int rc;
  while ((rc = rows.Step()) == SQLITE_ROW) {
    const auto version = static_cast<std::uint32_t>(rows.Int(0));
    macs.emplace_back(version,
                      KeyVersionMac(version, rows.Int(1), rows.Int(2), rows.Blob(3), rows.Blob(4)));
  }
  if (rc != SQLITE_DONE) return db->Error(rc, "reading the vault's keys");
  rows.Reset();
  for (const auto& [version, mac] : macs) {
    update.Reset();
    update.BindBlob(1, mac);
    update.Bind(2, version);
    rc = update.Step();
    if (rc != SQLITE_DONE) return db->Error(rc, "authenticating the vault's keys");
  }
  return absl::OkStatus();
}

absl::Status Vault::Impl::WalkTokenRows(bool fill) {
  struct Dom {
    std::int64_t id;
    std::string name;
  };
  std::vector<Dom> doms;
  {
    std::vector<std::pair<std::int64_t, std::string>> set;
    GDPRKIT_RETURN_IF_ERROR(fill ? ReadDomainSet(&set) : CheckDomainSet(&set));
    for (auto& [id, name] : set) doms.push_back({id, std::move(name)});
  }
  {
    Stmt orphans;
    GDPRKIT_RETURN_IF_ERROR(orphans.Prepare(
        db->get(), "SELECT count(*) FROM tokens WHERE domain_id NOT IN (SELECT id FROM domains)"));
    int rc = orphans.Step();
    if (rc != SQLITE_ROW) return db->Error(rc, "checking token records");
    if (orphans.Int(0) > 0) {
      return absl::DataLossError(absl::StrCat("vault file is damaged: ", orphans.Int(0),
                                              " token records belong to no domain"));
    }
  }
  Stmt page;
  GDPRKIT_RETURN_IF_ERROR(page.Prepare(db->get(), "SELECT " GDPRKIT_ROW_COLUMNS
                                                  " FROM tokens WHERE domain_id = ? AND idx > ? "
                                                  "ORDER BY idx LIMIT 4096"));
  std::string norm;
  for (const Dom& dom : doms) {
    GDPRKIT_ASSIGN_OR_RETURN(DomainRow d,
                             fill ? LoadDomainUnchecked(dom.name) : LoadDomain(dom.name));
    auto broken = [&] {
      return absl::DataLossError(
          absl::StrCat("vault file is damaged: the chain of token records of domain '", d.name,
                       "' is broken (a record was removed, added or moved outside the vault)"));
    };
    KeyReaders readers;
    std::int64_t count = 0;
    std::string last;             // "" sorts before every index
    std::string expect = d.head;  // Where the chain says the next row is.
    for (;;) {
      std::vector<TokenRow> rows;
      GDPRKIT_RETURN_IF_ERROR(NextPage(&page, d.id, last, &rows));
      if (rows.empty()) break;
      for (TokenRow& r : rows) {
        ++count;
        if (r.token.size() != internal::kTokenRandomBytes ||
            r.idx.size() != internal::kIndexBytes) {
          return absl::DataLossError(absl::StrCat(
              "vault file is damaged: a token record of domain '", d.name, "' has a wrong size"));
        }
        GDPRKIT_ASSIGN_OR_RETURN(const std::uint8_t* kb, RowKeys(d, r.version, &readers));
        if (!fill) {
          GDPRKIT_RETURN_IF_ERROR(CheckRow(d, kb, r.View()));
          if (r.idx != expect) return broken();
          expect = r.next;
        }
        IdKind kind;
        const auto* tok = reinterpret_cast<const std::uint8_t*>(r.token.data());
        if (absl::Status s = OpenRecord(d, r.version, kb, tok, r.sealed, &kind, &norm); !s.ok()) {
          return absl::DataLossError(absl::StrCat(
              "vault file is damaged: a token record of domain '", d.name, "': ", s.message()));
        }
        // The record must sit under its own index: recomputed from what it
        // holds.
        std::uint8_t idx[internal::kIndexBytes];
        Scratch scratch;
        Index(kb, kind, norm, scratch.bytes, idx);
        const bool at_home = sodium_memcmp(idx, r.idx.data(), sizeof(idx)) == 0;
        sodium_memzero(idx, sizeof(idx));
        if (!at_home) {
          return absl::DataLossError(
              absl::StrCat("vault file is damaged: a token record of domain '", d.name,
                           "' is not under its own index"));
        }
        r.Wipe();
      }
      last = rows.back().idx;
    }
    if (fill) {
      // Before schema 3 the count was only a hint and there was no chain:
      // from now on both are authenticated.
      d.token_count = count;
      GDPRKIT_RETURN_IF_ERROR(RelinkDomain(&d, &readers));
      GDPRKIT_RETURN_IF_ERROR(StoreDomainCounters(d));
    } else {
      if (!expect.empty()) return broken();
      if (count != d.token_count) {
        return absl::DataLossError(
            absl::StrCat("vault file is damaged: domain '", d.name, "' holds ", count,
                         " token records, but its authenticated count is ", d.token_count,
                         " (records were removed or added outside the vault)"));
      }
    }
  }
  if (!norm.empty()) sodium_memzero(&norm[0], norm.size());
  return absl::OkStatus();
}

absl::Status Vault::Impl::FillIntegrity() {
  // Everything is checked under the old rules first, so that the MACs
  // written now vouch only for what was sound.
  GDPRKIT_ASSIGN_OR_RETURN(AuditVerification audit, VerifyAuditLocked());
  absl::StatusOr<std::pair<std::uint64_t, std::string>> head = AuditHead();
  if (!head.ok()) return head.status();
  schema = 3;
  GDPRKIT_RETURN_IF_ERROR(RemacKeyVersions());
  GDPRKIT_RETURN_IF_ERROR(WalkTokenRows(/*fill=*/true));
  GDPRKIT_RETURN_IF_ERROR(StoreDomainSet());
  GDPRKIT_RETURN_IF_ERROR(
      PutMeta(db.get(), "audit_head", AuditHeadValue(head->first, head->second)));
  absl::StatusOr<std::map<std::string, std::string>> meta = ReadMeta(db.get());
  if (!meta.ok()) return meta.status();
  return PutMeta(db.get(), "header_checksum", HeaderChecksum(*meta));
}

absl::Status Vault::CheckIntegrity() const {
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(st.Prepare(d->get(), "PRAGMA integrity_check(1)"));
  int rc = st.Step();
  if (rc != SQLITE_ROW) return d->Error(rc, "checking the vault file");
  if (st.Text(0) != "ok") {
    return absl::DataLossError(absl::StrCat("vault file is damaged: ", st.Text(0)));
  }
  st.Reset();
  Transaction read(d);
  GDPRKIT_RETURN_IF_ERROR(read.BeginRead());
  GDPRKIT_RETURN_IF_ERROR(impl_->LoadKeys());
  GDPRKIT_RETURN_IF_ERROR(impl_->WalkTokenRows(/*fill=*/false));
  absl::StatusOr<AuditVerification> v = impl_->VerifyAuditLocked();
  return v.ok() ? absl::OkStatus() : v.status();
}

}  // namespace gdprkit
