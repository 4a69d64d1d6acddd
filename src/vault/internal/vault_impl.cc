// Helpers shared by the vault's files (vault_impl.h).
#include "vault/internal/vault_impl.h"

#include <sodium.h>

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/redact.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "gdprkit/identifiers.h"

namespace gdprkit {
namespace internal {

std::int64_t NowUnix() { return absl::ToUnixSeconds(absl::Now()); }

std::string Le32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

std::string RandomBytes(std::size_t n) {
  std::string s(n, '\0');
  randombytes_buf(&s[0], n);
  return s;
}

std::string MasterKeyAd(absl::string_view vault_id, std::uint32_t version) {
  return absl::StrCat("gdprkit/v1/master-key", vault_id, Le32(version));
}
std::string AuditKeyAd(absl::string_view vault_id) {
  return absl::StrCat("gdprkit/v1/audit-key", vault_id);
}

absl::Status CheckFreeText(absl::string_view text, absl::string_view what, std::size_t max,
                           bool required) {
  if (required && id_internal::Trim(internal::SV(text)).empty()) {
    return absl::InvalidArgumentError(absl::StrCat("a ", what, " is required"));
  }
  if (text.size() > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("the ", what, " is longer than ", max, " bytes"));
  }
  if (!id_internal::ValidUtf8NoControls(internal::SV(text))) {
    return absl::InvalidArgumentError(
        absl::StrCat("the ", what, " is not valid UTF-8 text without control characters"));
  }
  if (internal::ContainsCprLike(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the ", what,
                     " seems to hold a CPR number; it is stored in the audit trail, "
                     "which must hold no identifier"));
  }
  return absl::OkStatus();
}

absl::Status CheckReason(absl::string_view reason) {
  return CheckFreeText(reason, "reason", kMaxReason, /*required=*/true);
}

bool IsKnownScheme(std::int64_t scheme) {
  return scheme == static_cast<int>(PseudonymScheme::kBlake2b) ||
         scheme == static_cast<int>(PseudonymScheme::kChaCha20);
}

// A domain's stored scheme number; DataLoss for any other number (an 8-bit
// cast would turn 257 into blake2b).
absl::StatusOr<PseudonymScheme> StoredScheme(absl::string_view domain, std::int64_t scheme) {
  if (!IsKnownScheme(scheme)) {
    return absl::DataLossError(absl::StrCat("vault file is damaged: domain '", domain,
                                            "' has an unknown pseudonym scheme"));
  }
  return static_cast<PseudonymScheme>(scheme);
}

absl::Status UnlockError(const VaultOptions& o, const absl::Status& s) {
  if (s.code() != absl::StatusCode::kUnauthenticated) return s;
  return absl::UnauthenticatedError(absl::StrCat(
      o.protection() == VaultProtection::kPassphrase ? "wrong passphrase" : "wrong host key",
      " for vault ", o.path()));
}

absl::Status CheckOptions(const VaultOptions& o) {
  if (o.path().empty()) return absl::InvalidArgumentError("VaultOptions has no path");
  if (o.protection() == VaultProtection::kNone) {
    return absl::InvalidArgumentError(
        "VaultOptions needs a passphrase (set_passphrase) or a host key (set_host_key)");
  }
  if (o.secret() == nullptr)
    return absl::ResourceExhaustedError("no guarded memory for the secret");
  if (o.protection() == VaultProtection::kPassphrase && o.secret()->size() == 0) {
    return absl::InvalidArgumentError("the passphrase is empty");
  }
  if (o.protection() == VaultProtection::kHostKey && o.secret()->size() != internal::kKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a host key has ", internal::kKeyBytes, " bytes, not ", o.secret()->size()));
  }
  if (o.busy_timeout_ms() < 0) return absl::InvalidArgumentError("busy timeout is negative");
  return CheckFreeText(o.actor(), "actor", kMaxActor, /*required=*/true);
}

absl::StatusOr<std::int64_t> PragmaInt(Db* db, const char* sql) {
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(st.Prepare(db->get(), sql));
  int rc = st.Step();
  if (rc != SQLITE_ROW) return db->Error(rc, "reading the vault header");
  return st.Int(0);
}

absl::Status PutMeta(Db* db, absl::string_view name, absl::string_view value) {
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(
      st.Prepare(db->get(), "INSERT OR REPLACE INTO meta(name, value) VALUES(?, ?)"));
  st.BindText(1, name);
  st.BindBlob(2, value);
  int rc = st.Step();
  if (rc != SQLITE_DONE) return db->Error(rc, "writing vault metadata");
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, std::string>> ReadMeta(Db* db) {
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(st.Prepare(db->get(), "SELECT name, value FROM meta"));
  std::map<std::string, std::string> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out[std::string(st.Text(0))] = std::string(st.Blob(1));
  if (rc != SQLITE_DONE) return db->Error(rc, "reading vault metadata");
  return out;
}

}  // namespace internal
}  // namespace gdprkit
