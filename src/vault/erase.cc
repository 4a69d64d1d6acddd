// Erasure: one person's records out of every domain; checkpointing the
// write-ahead log.
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

// --- Erasure -----------------------------------------------------------------

namespace {

// The spellings under which one person's identifier may have been tokenised:
// its kind and normal form, and the same number kept as free text (kOther) as
// it is usually written, so that erasing a CPR number also erases it where it
// was tokenised as "other" (and the reverse for text that is a CPR number).
struct Spelling {
  IdKind kind;
  std::string norm;
};
std::vector<Spelling> SpellingsOf(IdKind kind, std::string_view norm, const IdOptions& id_options) {
  std::vector<Spelling> out{{kind, std::string(norm)}};
  auto add = [&](IdKind k, std::string n) {
    for (const Spelling& s : out) {
      if (s.kind == k && s.norm == n) return;
    }
    out.push_back({k, std::move(n)});
  };
  std::string cpr;
  if (kind == IdKind::kCpr) {
    cpr = std::string(norm);
  } else if (kind == IdKind::kOther) {
    char buf[10];
    if (CheckCpr(norm, buf, nullptr, id_options) == IdProblem::kNone) cpr.assign(buf, 10);
    sodium_memzero(buf, sizeof(buf));
  } else {
    add(IdKind::kOther, std::string(norm));
  }
  if (cpr.size() == 10) {
    add(IdKind::kCpr, cpr);
    add(IdKind::kOther, cpr);
    add(IdKind::kOther, absl::StrCat(cpr.substr(0, 6), "-", cpr.substr(6)));
    sodium_memzero(&cpr[0], cpr.size());
  }
  return out;
}

void WipeSpellings(std::vector<Spelling>* spellings) {
  for (Spelling& s : *spellings) {
    if (!s.norm.empty()) sodium_memzero(&s.norm[0], s.norm.size());
  }
  spellings->clear();
}

}  // namespace

absl::StatusOr<ErasureReport> Vault::Erase(IdKind kind, std::string_view identifier,
                                           std::string_view reason, const IdOptions& id_options) {
  GDPRKIT_RETURN_IF_ERROR(CheckReason(AV(reason)));
  if (!IsKnownIdKind(kind)) return absl::InvalidArgumentError("unknown identifier kind");
  // Erasure never refuses a CPR number for a birth date in the future: a
  // number tokenised before that rule (or mistyped then) must still go.
  IdOptions options = id_options;
  options.cpr_allow_future = true;
  IdBuffer buf;
  std::string_view norm;
  IdProblem p = NormalizeIdInto(kind, identifier, &buf, &norm, options);
  if (p != IdProblem::kNone) return IdProblemStatus(kind, p);
  std::vector<Spelling> spellings = SpellingsOf(kind, norm, options);
  sodium_memzero(buf.data, sizeof(buf.data));
  ErasureReport report;
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  {
    Transaction txn(d);
    absl::Status s = txn.BeginWrite();
    std::vector<DomainRow> domains;
    if (s.ok()) {
      // Every domain, from the authenticated list: none may be skipped.
      std::vector<std::pair<std::int64_t, std::string>> set;
      s = impl_->CheckDomainSet(&set);
      std::vector<std::string> names;
      for (auto& [id, name] : set) names.push_back(std::move(name));
      for (std::size_t i = 0; s.ok() && i < names.size(); ++i) {
        absl::StatusOr<DomainRow> row = impl_->LoadDomain(names[i]);
        if (row.ok()) {
          domains.push_back(*row);
        } else {
          s = row.status();
        }
      }
    }
    Scratch scratch;
    std::uint8_t idx[internal::kIndexBytes];
    for (std::size_t i = 0; s.ok() && i < domains.size(); ++i) {
      DomainRow& dom = domains[i];
      absl::StatusOr<const DomainKeys*> keys = impl_->Keys(dom, dom.key_version);
      if (!keys.ok()) {
        s = keys.status();
        break;
      }
      KeyReaders readers;
      std::int64_t erased = 0;
      for (const Spelling& sp : spellings) {
        impl_->Index(readers.Get(*keys), sp.kind, sp.norm, scratch.bytes, idx);
        const absl::string_view key(reinterpret_cast<const char*>(idx), sizeof(idx));
        // The row is authenticated before it is deleted (a row moved here
        // from another person would otherwise be erased in their place), and
        // its absence, when it is not there, is proven by the chain.
        Stmt& find = impl_->token_by_idx;
        find.Reset();
        find.Bind(1, dom.id);
        find.BindBlob(2, key);
        int rc = find.Step();
        TokenRow row;
        if (rc == SQLITE_ROW) row = ReadRow(find, 0);
        find.Reset();
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
          s = d->Error(rc, "finding token records");
          break;
        }
        if (rc == SQLITE_DONE) {
          s = impl_->AbsenceOf(dom, key, &readers).status();
          if (!s.ok()) break;
          continue;
        }
        absl::StatusOr<const std::uint8_t*> row_keys = impl_->RowKeys(dom, row.version, &readers);
        s = row_keys.ok() ? impl_->CheckRow(dom, *row_keys, row.View()) : row_keys.status();
        row.Wipe();
        if (!s.ok()) break;
        // Unlink it: the row before it (or the head) now points past it.
        s = impl_->Unlink(&dom, key, row.next, &readers);
        if (!s.ok()) break;
        Stmt& del = impl_->delete_by_idx;
        del.Reset();
        del.Bind(1, dom.id);
        del.BindBlob(2, key);
        rc = del.Step();
        del.Reset();
        if (rc != SQLITE_DONE) {
          s = d->Error(rc, "erasing token records");
          break;
        }
        erased += sqlite3_changes(d->get());
      }
      if (!s.ok()) break;
      report.tokens_erased += static_cast<std::uint64_t>(erased);
      ++report.domains_searched;
      if (erased > 0) {
        dom.token_count -= erased;
        s = impl_->StoreDomainCounters(dom);  // With the head, should it have changed.
      }
    }
    WipeSpellings(&spellings);
    sodium_memzero(idx, sizeof(idx));
    if (s.ok()) {
      s = impl_->AppendAudit(AuditOp::kErase, "", "", AV(reason), report.tokens_erased, 0);
    }
    if (s.ok()) s = txn.Commit();
    if (!s.ok()) return s;
  }
  // secure_delete has zeroed the freed cells in the pages written to the WAL;
  // checkpointing and truncating the WAL removes the older page images too.
  // Readers can hold the checkpoint up: then it is not waited for (the
  // caller learns it from wal_truncated and can wait with Checkpoint()).
  absl::StatusOr<bool> truncated = impl_->TruncateWal(absl::ZeroDuration());
  report.wal_truncated = truncated.ok() && *truncated;
  return report;
}

absl::StatusOr<bool> Vault::Impl::TruncateWal(absl::Duration wait) {
  const int ms =
      static_cast<int>(std::min<std::int64_t>(absl::ToInt64Milliseconds(wait), INT32_MAX));
  sqlite3_busy_timeout(db->get(), ms);
  int log = -1, done = -1;
  int rc = sqlite3_wal_checkpoint_v2(db->get(), "main", SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
  sqlite3_busy_timeout(db->get(), options.busy_timeout_ms());
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return false;
  if (rc != SQLITE_OK) return db->Error(rc, "checkpointing the vault");
  return log == 0;
}

absl::StatusOr<bool> Vault::Checkpoint(absl::Duration wait) {
  absl::MutexLock lock(&impl_->mu);
  return impl_->TruncateWal(wait);
}

}  // namespace gdprkit
