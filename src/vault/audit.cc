// The hash-chained audit trail: its head, appending, verifying, reading.
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
#include "gdprkit/v1/vault.pb.h"
#include "gdprkit/vault.h"
#include "vault/internal/vault_impl.h"

namespace gdprkit {

absl::StatusOr<std::pair<std::uint64_t, std::string>> Vault::Impl::AuditHead() {
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(
      st.Prepare(db->get(), "SELECT seq, chain FROM audit ORDER BY seq DESC LIMIT 1"));
  int rc = st.Step();
  std::pair<std::uint64_t, std::string> last(0, std::string());
  if (rc == SQLITE_ROW) {
    last = {static_cast<std::uint64_t>(st.Int(0)), std::string(st.Blob(1))};
  } else if (rc != SQLITE_DONE) {
    return db->Error(rc, "reading the audit trail");
  }
  st.Reset();
  // The head recorded in `meta` (MACed from schema 3 on) must name the last
  // entry: a trail cut at its end, or a head rewritten, is damage.
  Stmt head;
  GDPRKIT_RETURN_IF_ERROR(
      head.Prepare(db->get(), "SELECT value FROM meta WHERE name = 'audit_head'"));
  rc = head.Step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db->Error(rc, "reading the audit head");
  if (last.first == 0 && rc == SQLITE_DONE) return last;  // A vault being created.
  const std::string stored = rc == SQLITE_ROW ? std::string(head.Blob(0)) : std::string();
  const std::string want = schema >= 3 ? AuditHeadValue(last.first, last.second)
                                       : absl::StrCat(U64(last.first), last.second);
  if (stored.size() != want.size() || sodium_memcmp(stored.data(), want.data(), want.size()) != 0) {
    return absl::DataLossError(
        absl::StrCat("audit trail is broken: its recorded head does not match its last entry (",
                     last.first, "): entries were removed from its end, or the head was altered"));
  }
  return last;
}

absl::Status Vault::Impl::AppendAudit(AuditOp op, absl::string_view domain,
                                      absl::string_view target, absl::string_view reason,
                                      std::uint64_t count, std::uint32_t key_version) {
  absl::StatusOr<std::pair<std::uint64_t, std::string>> head = AuditHead();
  if (!head.ok()) return head.status();
  v1::AuditEntry e;
  e.set_seq(head->first + 1);
  e.set_time_unix_micros(absl::ToUnixMicros(absl::Now()));
  e.set_op(static_cast<v1::AuditOperation>(op));
  e.set_actor(options.actor());
  e.set_domain(std::string(domain));
  e.set_target_domain(std::string(target));
  e.set_reason(std::string(reason));
  e.set_count(count);
  e.set_key_version(key_version);
  e.set_prev_chain(head->second);
  std::string bytes;
  if (!e.SerializeToString(&bytes)) return absl::InternalError("audit entry does not serialise");
  std::string chain(32, '\0');
  {
    SecretBytes::Reader k(*audit_key);
    crypto_generichash_blake2b_salt_personal(
        reinterpret_cast<unsigned char*>(&chain[0]), chain.size(),
        reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), k.data(), k.size(),
        nullptr, reinterpret_cast<const unsigned char*>(kAuditPersonal));
  }
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(
      st.Prepare(db->get(), "INSERT INTO audit(seq, entry, chain) VALUES(?, ?, ?)"));
  st.Bind(1, static_cast<std::int64_t>(e.seq()));
  st.BindBlob(2, bytes);
  st.BindBlob(3, chain);
  int rc = st.Step();
  if (rc != SQLITE_DONE) return db->Error(rc, "writing the audit trail");
  return PutMeta(db.get(), "audit_head", AuditHeadValue(e.seq(), chain));
}

absl::StatusOr<AuditVerification> Vault::Impl::VerifyAuditLocked() {
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(
      st.Prepare(db->get(), "SELECT seq, entry, chain FROM audit ORDER BY seq"));
  AuditVerification v;
  std::string prev;
  std::uint64_t expect = 1;
  int rc;
  std::string chain(32, '\0');
  SecretBytes::Reader k(*audit_key);
  while ((rc = st.Step()) == SQLITE_ROW) {
    const auto seq = static_cast<std::uint64_t>(st.Int(0));
    absl::string_view bytes = st.Blob(1);
    absl::string_view stored = st.Blob(2);
    if (seq != expect) {
      return absl::DataLossError(
          absl::StrCat("audit trail is broken: entry ", expect, " is missing (next is ", seq, ")"));
    }
    crypto_generichash_blake2b_salt_personal(
        reinterpret_cast<unsigned char*>(&chain[0]), chain.size(),
        reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), k.data(), k.size(),
        nullptr, reinterpret_cast<const unsigned char*>(kAuditPersonal));
    if (stored.size() != chain.size() ||
        sodium_memcmp(stored.data(), chain.data(), chain.size()) != 0) {
      return absl::DataLossError(
          absl::StrCat("audit trail is broken: entry ", seq, " was altered"));
    }
    v1::AuditEntry e;
    if (!e.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) || e.seq() != seq ||
        e.prev_chain() != prev) {
      return absl::DataLossError(
          absl::StrCat("audit trail is broken: entry ", seq, " does not follow entry ", seq - 1));
    }
    prev = chain;
    ++expect;
  }
  if (rc != SQLITE_DONE) return db->Error(rc, "reading the audit trail");
  v.entries = expect - 1;
  // The head recorded (and MACed) in the metadata catches a trail cut at its
  // end.
  absl::StatusOr<std::pair<std::uint64_t, std::string>> head = AuditHead();
  if (!head.ok()) return head.status();
  v.head_hex = Hex(prev);
  return v;
}

// --- Audit ---------------------------------------------------------------------

absl::StatusOr<std::vector<AuditRecord>> Vault::ReadAudit(std::uint64_t from_seq,
                                                          std::size_t limit) const {
  absl::MutexLock lock(&impl_->mu);
  Stmt st;
  GDPRKIT_RETURN_IF_ERROR(st.Prepare(impl_->db->get(),
                                     "SELECT seq, entry, chain FROM audit WHERE seq >= ? ORDER BY "
                                     "seq"));
  st.Bind(1, static_cast<std::int64_t>(std::min<std::uint64_t>(from_seq, INT64_MAX)));
  std::vector<AuditRecord> out;
  int rc;
  while (out.size() < limit && (rc = st.Step()) == SQLITE_ROW) {
    v1::AuditEntry e;
    absl::string_view bytes = st.Blob(1);
    if (!e.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return absl::DataLossError(
          absl::StrCat("audit entry ", st.Int(0), " is damaged (does not parse)"));
    }
    AuditRecord r;
    r.seq = e.seq();
    r.time_unix_micros = e.time_unix_micros();
    r.op = static_cast<AuditOp>(e.op());
    r.actor = e.actor();
    r.domain = e.domain();
    r.target_domain = e.target_domain();
    r.reason = e.reason();
    r.count = e.count();
    r.key_version = e.key_version();
    r.chain_hex = Hex(st.Blob(2));
    out.push_back(std::move(r));
  }
  if (out.size() < limit && rc != SQLITE_DONE) {
    return impl_->db->Error(rc, "reading the audit trail");
  }
  return out;
}

absl::StatusOr<AuditVerification> Vault::VerifyAudit() const {
  absl::MutexLock lock(&impl_->mu);
  Transaction read(impl_->db.get());
  GDPRKIT_RETURN_IF_ERROR(read.BeginRead());
  return impl_->VerifyAuditLocked();
}

}  // namespace gdprkit
