// Backup: an online, checked copy of the vault in a new file.
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

namespace gdprkit {

absl::Status Vault::Backup(std::string_view destination_path) const {
  const std::string dest(destination_path);
  GDPRKIT_RETURN_IF_ERROR(internal::CheckVaultPath(dest));
  struct stat st;
  if (lstat(dest.c_str(), &st) == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("a file exists at ", dest, "; a backup is written only to a new file"));
  }
  absl::MutexLock lock(&impl_->mu);
  GDPRKIT_ASSIGN_OR_RETURN(std::unique_ptr<Db> copy,
                           Db::Open(dest, /*create=*/true, impl_->options.busy_timeout_ms(), 0));
  auto remove = [&dest] {
    unlink(dest.c_str());
    unlink((dest + "-wal").c_str());
    unlink((dest + "-shm").c_str());
  };
  absl::Status status;
  {
    // One step: the copy is the source as of one read transaction, whatever
    // other connections do meanwhile.
    sqlite3_backup* b = sqlite3_backup_init(copy->get(), "main", impl_->db->get(), "main");
    if (b == nullptr) {
      status = copy->Error(sqlite3_errcode(copy->get()), "starting the backup");
    } else {
      int rc = sqlite3_backup_step(b, -1);
      const int finish = sqlite3_backup_finish(b);
      if (rc != SQLITE_DONE) {
        status = copy->Error(rc, "copying the vault");
      } else if (finish != SQLITE_OK) {
        status = copy->Error(finish, "finishing the backup");
      }
    }
  }
  // The copy is checked before it is reported done: every page reads back
  // with its checksum, and its audit head and domains authenticate under
  // this vault's keys (which the same passphrase unlocks in the copy).
  if (status.ok()) {
    Stmt check;
    status = check.Prepare(copy->get(), "PRAGMA integrity_check(1)");
    if (status.ok()) {
      int rc = check.Step();
      if (rc != SQLITE_ROW) {
        status = copy->Error(rc, "checking the backup");
      } else if (check.Text(0) != "ok") {
        status = absl::DataLossError(absl::StrCat("the backup is damaged: ", check.Text(0)));
      }
    }
  }
  if (status.ok()) {
    Vault::Impl probe;
    probe.options = impl_->options;
    probe.schema = impl_->schema;
    probe.db = std::move(copy);
    absl::StatusOr<std::unique_ptr<SecretBytes>> ak = SecretBytes::CopyOf(absl::string_view(
        reinterpret_cast<const char*>(SecretBytes::Reader(*impl_->audit_key).data()),
        impl_->audit_key->size()));
    if (!ak.ok()) {
      status = ak.status();
    } else {
      probe.audit_key = std::move(*ak);
      status = probe.DeriveIntegrityKey();
    }
    if (status.ok()) {
      Transaction read(probe.db.get());
      status = read.BeginRead();
      if (status.ok()) status = probe.VerifyAuditLocked().status();
      if (status.ok()) status = read.Commit();
    }
    if (status.ok()) status = probe.db->Exec("PRAGMA journal_mode=WAL", "finishing the backup");
    probe.db.reset();
  }
  if (!status.ok()) {
    copy.reset();
    remove();
  }
  return status;
}

}  // namespace gdprkit
