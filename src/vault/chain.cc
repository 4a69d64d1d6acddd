// The authenticated chain of a domain's token rows (in index order, each row
// MACed with the index of the next), which proves an index absent.
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

absl::StatusOr<Link> Vault::Impl::AbsenceOf(const DomainRow& d, absl::string_view x,
                                            KeyReaders* readers) {
  Stmt& st = row_before;
  st.Reset();
  st.Bind(1, d.id);
  st.BindBlob(2, x);
  int rc = st.Step();
  Link link;
  if (rc == SQLITE_ROW) {
    link.head = false;
    link.row = ReadRow(st, 0);
    st.Reset();
    GDPRKIT_ASSIGN_OR_RETURN(const std::uint8_t* keys, RowKeys(d, link.row.version, readers));
    GDPRKIT_RETURN_IF_ERROR(CheckRow(d, keys, link.row.View()));
    link.next = link.row.next;
  } else if (rc == SQLITE_DONE) {
    st.Reset();
    link.next = d.head;
  } else {
    st.Reset();
    return db->Error(rc, "looking up tokens");
  }
  if (!link.Covers(x)) {
    return absl::DataLossError(absl::StrCat(
        "vault file is damaged: a token record of domain '", d.name,
        "' is missing (removed or moved outside the vault: its neighbour still points to it)"));
  }
  return link;
}

absl::Status Vault::Impl::SetLinkNext(DomainRow* d, Link* link, const std::string& next,
                                      KeyReaders* readers) {
  link->next = next;
  if (link->head) {
    d->head = next;
    return absl::OkStatus();
  }
  link->row.next = next;
  GDPRKIT_ASSIGN_OR_RETURN(const std::uint8_t* keys, RowKeys(*d, link->row.version, readers));
  std::uint8_t mac[internal::kRowMacBytes];
  if (!RowMac(keys, d->id, link->row.View(), mac)) {
    return absl::DataLossError("vault file is damaged: a token record has a wrong size");
  }
  link->row.mac.assign(reinterpret_cast<const char*>(mac), sizeof(mac));
  Stmt& st = set_next;
  st.Reset();
  st.BindBlob(1, link->row.next);
  st.BindBlob(2, link->row.mac);
  st.Bind(3, d->id);
  st.BindBlob(4, link->row.idx);
  int rc = st.Step();
  st.Reset();
  if (rc != SQLITE_DONE) return db->Error(rc, "linking token records");
  return absl::OkStatus();
}

absl::Status Vault::Impl::NextPage(Stmt* page, std::int64_t domain_id, absl::string_view after,
                                   std::vector<TokenRow>* rows) {
  rows->clear();
  page->Reset();
  page->Bind(1, domain_id);
  page->BindBlob(2, after);
  int rc;
  while ((rc = page->Step()) == SQLITE_ROW) rows->push_back(ReadRow(*page, 0));
  page->Reset();
  if (rc != SQLITE_DONE) return db->Error(rc, "reading token records");
  return absl::OkStatus();
}

absl::Status Vault::Impl::RelinkDomain(DomainRow* d, KeyReaders* readers) {
  Stmt page;
  GDPRKIT_RETURN_IF_ERROR(page.Prepare(db->get(), "SELECT " GDPRKIT_ROW_COLUMNS
                                                  " FROM tokens WHERE domain_id = ? AND idx > ? "
                                                  "ORDER BY idx LIMIT 4096"));
  d->head.clear();
  Link prev;  // The head first, then each row in turn.
  std::string last;
  for (;;) {
    std::vector<TokenRow> rows;
    GDPRKIT_RETURN_IF_ERROR(NextPage(&page, d->id, last, &rows));
    if (rows.empty()) break;
    for (TokenRow& r : rows) {
      GDPRKIT_RETURN_IF_ERROR(SetLinkNext(d, &prev, r.idx, readers));
      prev.head = false;
      prev.row = std::move(r);
    }
    last = prev.row.idx;
  }
  return SetLinkNext(d, &prev, std::string(), readers);
}

absl::Status Vault::Impl::Unlink(DomainRow* d, absl::string_view x, const std::string& next,
                                 KeyReaders* readers) {
  Stmt& prev = row_before;
  prev.Reset();
  prev.Bind(1, d->id);
  prev.BindBlob(2, x);
  const int rc = prev.Step();
  Link link;
  if (rc == SQLITE_ROW) {
    link.head = false;
    link.row = ReadRow(prev, 0);
    link.next = link.row.next;
  } else {
    link.next = d->head;
  }
  prev.Reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db->Error(rc, "finding token records");
  if (!link.head) {
    GDPRKIT_ASSIGN_OR_RETURN(const std::uint8_t* keys, RowKeys(*d, link.row.version, readers));
    GDPRKIT_RETURN_IF_ERROR(CheckRow(*d, keys, link.row.View()));
  }
  if (link.next != x) {
    return absl::DataLossError(
        absl::StrCat("vault file is damaged: the token records of domain '", d->name,
                     "' are out of order (a record was removed or moved outside the vault)"));
  }
  absl::Status s = SetLinkNext(d, &link, next, readers);
  link.row.Wipe();
  return s;
}

}  // namespace gdprkit
