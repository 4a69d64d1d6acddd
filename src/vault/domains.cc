// Domains: their rows (authenticated), the authenticated set of domains,
// CreateDomain, ListDomains.
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
#include "common/text.h"
#include "gdprkit/vault.h"
#include "vault/internal/pseudonym.h"
#include "vault/internal/vault_impl.h"

namespace gdprkit {

absl::StatusOr<DomainRow> Vault::Impl::LoadDomain(absl::string_view name) {
  return LoadDomainRow(name, /*check_mac=*/true);
}
absl::StatusOr<DomainRow> Vault::Impl::LoadDomainUnchecked(absl::string_view name) {
  return LoadDomainRow(name, /*check_mac=*/false);
}

absl::StatusOr<DomainRow> Vault::Impl::LoadDomainRow(absl::string_view name, bool check_mac) {
  select_domain.Reset();
  select_domain.BindText(1, name);
  int rc = select_domain.Step();
  if (rc == SQLITE_ROW) {
    DomainRow d;
    d.id = select_domain.Int(0);
    d.name = std::string(select_domain.Text(1));
    d.salt = std::string(select_domain.Blob(2));
    d.key_version = static_cast<std::uint32_t>(select_domain.Int(3));
    d.token_count = select_domain.Int(4);
    const std::int64_t scheme = select_domain.Int(5);
    if (d.name != name) {
      select_domain.Reset();
      return absl::DataLossError(
          "vault file is damaged: the index of domain names points to another domain");
    }
    d.description = std::string(select_domain.Text(6));
    d.created = select_domain.Int(7);
    const std::string mac(select_domain.Blob(8));
    d.head = std::string(select_domain.Blob(9));
    select_domain.Reset();
    if (d.salt.size() != internal::kSaltBytes) {
      return absl::DataLossError(
          absl::StrCat("vault file is damaged: domain '", d.name, "' has a bad salt"));
    }
    GDPRKIT_ASSIGN_OR_RETURN(PseudonymScheme known, StoredScheme(d.name, scheme));
    d.scheme = known;
    if (schema >= 3 && check_mac) {
      const std::string want = DomainMac(d);
      if (mac.size() != want.size() || sodium_memcmp(mac.data(), want.data(), want.size()) != 0) {
        return absl::DataLossError(absl::StrCat(
            "vault file is damaged: domain '", d.name,
            "' was altered (its record fails authentication: name, salt, scheme, key version or "
            "token count changed)"));
      }
    }
    return d;
  }
  select_domain.Reset();
  if (rc != SQLITE_DONE) return db->Error(rc, "looking up a domain");
  // Not found: the authenticated list of domains, read without the index,
  // confirms it (a damaged index, or a domain removed outside the vault, is
  // DataLoss), and gives the "did you mean".
  std::vector<std::pair<std::int64_t, std::string>> set;
  GDPRKIT_RETURN_IF_ERROR(check_mac ? CheckDomainSet(&set) : ReadDomainSet(&set));
  std::vector<std::string> names;
  for (auto& [id, n] : set) {
    if (n == name) {
      return absl::DataLossError("vault file is damaged: the index of domain names lost a domain");
    }
    // Never suggested: a name that passes as a CPR number (only a damaged
    // file has one; CreateDomain refuses them).
    if (!internal::ContainsCprLike(n)) names.push_back(std::move(n));
  }
  const std::string hint = set.empty()
                               ? std::string("; the vault has no domains yet (CreateDomain)")
                               : internal::DidYouMean(internal::SV(name), names);
  return absl::NotFoundError(absl::StrCat(
      "no domain ", internal::QuoteUntrusted(internal::SV(name)), " in the vault", hint));
}

absl::Status Vault::Impl::StoreDomainCounters(const DomainRow& d) {
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(st.Prepare(
      db->get(),
      "UPDATE domains SET token_count = ?, key_version = ?, head = ?, mac = ? WHERE id = ?"));
  const std::string mac = DomainMac(d);
  st.Bind(1, d.token_count);
  st.Bind(2, d.key_version);
  st.BindBlob(3, d.head);
  st.BindBlob(4, mac);
  st.Bind(5, d.id);
  int rc = st.Step();
  if (rc != SQLITE_DONE) return db->Error(rc, "updating a domain");
  return absl::OkStatus();
}

absl::Status Vault::Impl::ReadDomainSet(std::vector<std::pair<std::int64_t, std::string>>* out) {
  out->clear();
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(
      st.Prepare(db->get(), "SELECT id, name FROM domains NOT INDEXED ORDER BY id"));
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out->emplace_back(st.Int(0), std::string(st.Text(1)));
  if (rc != SQLITE_DONE) return db->Error(rc, "listing domains");
  return absl::OkStatus();
}

std::string Vault::Impl::DomainSetMac(
    const std::vector<std::pair<std::int64_t, std::string>>& set) const {
  std::string all;
  for (const auto& [id, name] : set) {
    absl::StrAppend(&all, U64(static_cast<std::uint64_t>(id)), U64(name.size()), name);
  }
  return RecordMac("domain_set", {U64(set.size()), all});
}

absl::Status Vault::Impl::CheckDomainSet(std::vector<std::pair<std::int64_t, std::string>>* out) {
  std::vector<std::pair<std::int64_t, std::string>> set;
  GDPRKIT_RETURN_IF_ERROR(ReadDomainSet(&set));
  if (schema >= 3) {
    Stmt st;
    GDPRKIT_RETURN_IF_ERROR(
        st.Prepare(db->get(), "SELECT value FROM meta WHERE name = 'domain_set'"));
    int rc = st.Step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db->Error(rc, "reading the domains");
    const std::string stored = rc == SQLITE_ROW ? std::string(st.Blob(0)) : std::string();
    const std::string want = DomainSetMac(set);
    if (stored.size() != want.size() ||
        sodium_memcmp(stored.data(), want.data(), want.size()) != 0) {
      return absl::DataLossError(
          "vault file is damaged: its list of domains was altered (a domain was added, removed "
          "or renamed outside the vault)");
    }
  }
  if (out != nullptr) *out = std::move(set);
  return absl::OkStatus();
}

absl::Status Vault::Impl::StoreDomainSet() {
  std::vector<std::pair<std::int64_t, std::string>> set;
  GDPRKIT_RETURN_IF_ERROR(ReadDomainSet(&set));
  return PutMeta(db.get(), "domain_set", DomainSetMac(set));
}

// --- Domains ---------------------------------------------------------------

absl::Status Vault::CreateDomain(std::string_view name, std::string_view description,
                                 PseudonymScheme scheme) {
  if (!internal::IsValidDomainName(AV(name))) {
    return absl::InvalidArgumentError(
        "a domain name has 1-64 characters a-z, 0-9, '.', '_', '-' and starts with a letter or "
        "digit (e.g. klynge-aarhus-2026)");
  }
  if (internal::ContainsCprLike(AV(name))) {
    return absl::InvalidArgumentError(
        "a domain name must not hold anything that passes as a CPR number: it is stored in the "
        "audit trail, which must hold no identifier");
  }
  GDPRKIT_RETURN_IF_ERROR(CheckFreeText(AV(description), "description", kMaxDescription, false));
  if (!IsKnownScheme(static_cast<std::int64_t>(scheme))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown pseudonym scheme ", static_cast<int>(scheme), " (1 = blake2b, 2 = chacha20)"));
  }
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  Transaction txn(d);
  GDPRKIT_RETURN_IF_ERROR(txn.BeginWrite());
  GDPRKIT_ASSIGN_OR_RETURN(std::uint32_t primary, impl_->PrimaryVersion());
  GDPRKIT_RETURN_IF_ERROR(impl_->CheckDomainSet());
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(st.Prepare(d->get(),
                                     "INSERT INTO domains(name, description, salt, key_version, "
                                     "created, pseudonym_scheme) VALUES(?, ?, ?, ?, ?, ?) "
                                     "ON CONFLICT(name) DO NOTHING"));
  std::string salt = RandomBytes(internal::kSaltBytes);
  st.BindText(1, AV(name));
  st.BindText(2, AV(description));
  st.BindBlob(3, salt);
  st.Bind(4, primary);
  st.Bind(5, NowUnix());
  st.Bind(6, static_cast<std::int64_t>(scheme));
  int rc = st.Step();
  if (rc != SQLITE_DONE) return d->Error(rc, "creating a domain");
  if (sqlite3_changes(d->get()) == 0) {
    return absl::AlreadyExistsError(absl::StrCat("domain '", AV(name), "' exists"));
  }
  {
    GDPRKIT_ASSIGN_OR_RETURN(DomainRow row, impl_->LoadDomainUnchecked(AV(name)));
    GDPRKIT_RETURN_IF_ERROR(impl_->StoreDomainCounters(row));
    GDPRKIT_RETURN_IF_ERROR(impl_->StoreDomainSet());
  }
  GDPRKIT_RETURN_IF_ERROR(
      impl_->AppendAudit(AuditOp::kDomainCreated, AV(name), "", "", 0, primary));
  return txn.Commit();
}

namespace {

DomainInfo InfoOf(const DomainRow& d) {
  DomainInfo info;
  info.name = d.name;
  info.description = d.description;
  info.key_version = d.key_version;
  info.created_unix = d.created;
  info.tokens = static_cast<std::uint64_t>(d.token_count);
  info.scheme = d.scheme;
  return info;
}

}  // namespace

absl::StatusOr<DomainInfo> Vault::GetDomain(std::string_view name) const {
  absl::MutexLock lock(&impl_->mu);
  GDPRKIT_ASSIGN_OR_RETURN(DomainRow d, impl_->LoadDomain(AV(name)));
  return InfoOf(d);
}

absl::StatusOr<std::vector<DomainInfo>> Vault::ListDomains() const {
  absl::MutexLock lock(&impl_->mu);
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(st.Prepare(impl_->db->get(),
                                     "SELECT d.name, d.description, d.key_version, d.created, "
                                     "d.token_count, d.pseudonym_scheme "
                                     "FROM domains d ORDER BY d.name"));
  st.Reset();
  std::vector<std::pair<std::int64_t, std::string>> set;
  GDPRKIT_RETURN_IF_ERROR(impl_->CheckDomainSet(&set));
  std::vector<std::string> names;
  for (auto& [id, name] : set) names.push_back(std::move(name));
  std::sort(names.begin(), names.end());
  // Each through LoadDomain, which authenticates the row.
  std::vector<DomainInfo> out;
  for (const std::string& name : names) {
    GDPRKIT_ASSIGN_OR_RETURN(DomainRow d, impl_->LoadDomain(name));
    out.push_back(InfoOf(d));
  }
  return out;
}

}  // namespace gdprkit
