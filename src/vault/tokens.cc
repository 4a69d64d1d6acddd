// Tokens: normalising a batch, indexing, looking up and issuing rows;
// Tokenize and LookupTokens.
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
#include "vault/internal/pseudonym.h"
#include "vault/internal/vault_impl.h"

namespace gdprkit {

// --- Tokens -----------------------------------------------------------------

namespace {

// Normalises a batch. norms gets one value per row (empty when rejected);
// state[i] = 2 for rejected rows.
absl::Status NormalizeBatch(IdKind kind, absl::Span<const std::string_view> identifiers,
                            const BatchOptions& options, StringColumn* norms,
                            std::vector<std::uint8_t>* state, BatchReport* report) {
  if (!IsKnownIdKind(kind)) return absl::InvalidArgumentError("unknown identifier kind");
  const std::size_t n = identifiers.size();
  norms->clear();
  norms->reserve(n, n * 13);
  state->assign(n, 0);
  if (report != nullptr) report->problems.assign(n, IdProblem::kNone);
  IdBuffer buf;
  for (std::size_t i = 0; i < n; ++i) {
    std::string_view norm;
    IdProblem p = NormalizeIdInto(kind, identifiers[i], &buf, &norm, options.id_options);
    if (p != IdProblem::kNone) {
      if (options.errors == ErrorMode::kRaise) {
        norms->SecureClear();
        sodium_memzero(buf.data, sizeof(buf.data));
        return IdProblemStatus(kind, p, static_cast<long long>(i));
      }
      (*state)[i] = 2;
      if (report != nullptr) {
        report->problems[i] = p;
        ++report->rejected;
      }
    }
    norms->push_back(norm);
  }
  sodium_memzero(buf.data, sizeof(buf.data));
  return absl::OkStatus();
}

}  // namespace

namespace {

// The rows of `order` still to do (state 0), in its order.
std::vector<std::uint32_t> RowsToDo(const std::vector<std::uint32_t>& order,
                                    const std::vector<std::uint8_t>& state) {
  std::vector<std::uint32_t> todo;
  todo.reserve(order.size());
  for (std::uint32_t row : order) {
    if (state[row] == 0) todo.push_back(row);
  }
  return todo;
}

// The keyed index of `row` in a batch's indexes.
absl::string_view IndexAt(const std::vector<std::uint8_t>& idxs, std::uint32_t row) {
  return absl::string_view(
      reinterpret_cast<const char*>(idxs.data()) + std::size_t{row} * internal::kIndexBytes,
      internal::kIndexBytes);
}

}  // namespace

absl::Status Vault::Impl::IndexRows(const DomainRow& d, const std::vector<IdKind>& kinds,
                                    const StringColumn& norms,
                                    const std::vector<std::uint8_t>& state,
                                    std::vector<std::uint8_t>* idxs,
                                    std::vector<std::uint32_t>* order) {
  GDPRKIT_ASSIGN_OR_RETURN(const DomainKeys* keys, Keys(d, d.key_version));
  const std::size_t n = norms.size();
  idxs->assign(n * internal::kIndexBytes, 0);
  order->clear();
  Scratch scratch;
  KeyReaders readers;
  const std::uint8_t* kb = readers.Get(keys);
  for (std::size_t i = 0; i < n; ++i) {
    if (state[i] != 0) continue;
    Index(kb, kinds[i], AV(norms[i]), scratch.bytes, idxs->data() + i * internal::kIndexBytes);
    order->push_back(static_cast<std::uint32_t>(i));
  }
  // Sorted by index, so that look-ups and inserts walk the B-tree in order.
  const std::uint8_t* base = idxs->data();
  std::sort(order->begin(), order->end(), [base](std::uint32_t a, std::uint32_t b) {
    return std::memcmp(base + a * internal::kIndexBytes, base + b * internal::kIndexBytes,
                       internal::kIndexBytes) < 0;
  });
  return absl::OkStatus();
}

absl::Status Vault::Impl::LookupRows(const DomainRow& d, const std::vector<std::uint8_t>& idxs,
                                     const std::vector<std::uint32_t>& order,
                                     std::vector<std::uint8_t>* state,
                                     std::vector<std::uint8_t>* tokens, std::size_t* found,
                                     std::vector<Link>* gaps, std::vector<std::uint32_t>* gap_of) {
  if (gaps != nullptr) {
    gaps->clear();
    gap_of->assign(state->size(), 0);
  }
  const std::vector<std::uint32_t> todo = RowsToDo(order, *state);
  if (todo.empty()) return absl::OkStatus();
  auto idx_of = [&idxs](std::uint32_t row) { return IndexAt(idxs, row); };
  KeyReaders readers;
  std::uint32_t cached_version = 0;
  const std::uint8_t* cached_keys = nullptr;
  // Every row handed out is authenticated first: its MAC binds it to this
  // domain, this index, its token, key version, sealed record and next row,
  // so a row moved, swapped or altered is DataLoss, never another person's
  // token.
  auto take = [&](std::uint32_t row, const Stmt& st) -> absl::Status {
    const RowView r = ViewRow(st, 0);
    if (cached_keys == nullptr || r.version != cached_version) {
      GDPRKIT_ASSIGN_OR_RETURN(const std::uint8_t* keys, RowKeys(d, r.version, &readers));
      cached_keys = keys;
      cached_version = r.version;
    }
    if (r.idx != idx_of(row)) {
      return absl::DataLossError("vault file is damaged: a token record is out of place");
    }
    GDPRKIT_RETURN_IF_ERROR(CheckRow(d, cached_keys, r));
    std::memcpy(tokens->data() + std::size_t{row} * internal::kTokenRandomBytes, r.token.data(),
                r.token.size());
    (*state)[row] = 1;
    ++*found;
    return absl::OkStatus();
  };
  // The stored count only chooses between a scan and searches.
  if (todo.size() * 4 >= static_cast<std::uint64_t>(std::max<std::int64_t>(d.token_count, 0))) {
    // A batch that is a large part of the domain: one ordered scan of the
    // index range it covers, merged with the sorted batch.
    Stmt scan;
    GDPRKIT_RETURN_IF_ERROR(scan.Prepare(db->get(), "SELECT " GDPRKIT_ROW_COLUMNS
                                                    " FROM tokens WHERE domain_id = ? AND idx "
                                                    "BETWEEN ? AND ? ORDER BY idx"));
    scan.Bind(1, d.id);
    scan.BindBlob(2, idx_of(todo.front()));
    scan.BindBlob(3, idx_of(todo.back()));
    std::size_t p = 0;
    int rc = SQLITE_DONE;
    while (p < todo.size() && (rc = scan.Step()) == SQLITE_ROW) {
      absl::string_view stored = scan.Blob(0);
      while (p < todo.size() && idx_of(todo[p]) < stored) ++p;
      while (p < todo.size() && idx_of(todo[p]) == stored) {
        GDPRKIT_RETURN_IF_ERROR(take(todo[p], scan));
        ++p;
      }
    }
    if (p < todo.size() && rc != SQLITE_DONE) return db->Error(rc, "looking up tokens");
  } else {
    absl::Status status;
    for (std::uint32_t row : todo) {
      token_by_idx.Reset();
      token_by_idx.Bind(1, d.id);
      token_by_idx.BindBlob(2, idx_of(row));
      int rc = token_by_idx.Step();
      if (rc == SQLITE_ROW) {
        status = take(row, token_by_idx);
      } else if (rc != SQLITE_DONE) {
        status = db->Error(rc, "looking up tokens");
      }
      if (!status.ok()) break;
    }
    token_by_idx.Reset();
    if (!status.ok()) return status;
  }
  // A row not found is proven absent by the authenticated chain: the row
  // before it (or the domain's head) must point past it. Consecutive misses
  // in one gap share the proof. (Not asked for by a look-up whose misses are
  // looked up again under the write lock.)
  if (gaps == nullptr) return absl::OkStatus();
  for (std::uint32_t row : todo) {
    if ((*state)[row] != 0) continue;
    const absl::string_view x = idx_of(row);
    if (gaps->empty() || !gaps->back().Covers(x)) {
      GDPRKIT_ASSIGN_OR_RETURN(Link link, AbsenceOf(d, x, &readers));
      gaps->push_back(std::move(link));
    }
    (*gap_of)[row] = static_cast<std::uint32_t>(gaps->size() - 1);
  }
  return absl::OkStatus();
}

absl::Status Vault::Impl::IssueRows(
    const DomainRow& d, const std::vector<IdKind>& kinds, const StringColumn& norms,
    const std::vector<std::uint8_t>& idxs, const std::vector<std::uint32_t>& order,
    std::vector<std::uint8_t>* state, std::vector<std::uint8_t>* tokens, std::size_t* created,
    std::size_t* existing, std::vector<Link>* gaps, const std::vector<std::uint32_t>& gap_of,
    ProgressStage* stage) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr std::size_t kPerRow = internal::kTokenRandomBytes + kNonce;
  GDPRKIT_ASSIGN_OR_RETURN(const DomainKeys* keys, Keys(d, d.key_version));
  // The rows to insert, in index order, one per distinct index (a batch may
  // name a person twice: the later rows get the first one's token).
  const std::vector<std::uint32_t> todo = RowsToDo(order, *state);
  if (todo.empty()) return absl::OkStatus();
  auto idx_of = [&idxs](std::uint32_t row) { return IndexAt(idxs, row); };
  // Randomness for the whole batch from one seed (a ChaCha20 stream), instead
  // of a system call per row.
  std::vector<std::uint8_t> random(todo.size() * kPerRow);
  {
    std::uint8_t seed[randombytes_SEEDBYTES];
    randombytes_buf(seed, sizeof(seed));
    randombytes_buf_deterministic(random.data(), random.size(), seed);
    sodium_memzero(seed, sizeof(seed));
  }
  // The batch's random tokens are handed out in ascending order along the
  // rows, which are sorted by their keyed index, so that both B-trees (the
  // primary key by index, the UNIQUE one by token) are written in order: a
  // third less CPU for a million new tokens, and fuller pages. Each token is
  // still one of the batch's uniformly random values; their order follows the
  // keyed index, a PRF of the identifier under a secret key, so it says
  // nothing about the identifiers to anyone without the vault's keys.
  if (todo.size() > 1) {
    using Token = std::array<std::uint8_t, internal::kTokenRandomBytes>;
    std::vector<Token> sorted(todo.size());
    for (std::size_t j = 0; j < todo.size(); ++j) {
      std::memcpy(sorted[j].data(), random.data() + j * kPerRow, internal::kTokenRandomBytes);
    }
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t j = 0; j < todo.size(); ++j) {
      std::memcpy(random.data() + j * kPerRow, sorted[j].data(), internal::kTokenRandomBytes);
    }
  }
  KeyReaders readers;
  const std::uint8_t* kb = readers.Get(keys);
  DomainRow counted = d;
  TokenRow r;
  r.version = keys->version;
  std::uint8_t mac[internal::kRowMacBytes];
  std::size_t inserted = 0;
  absl::Status status;
  // Within one gap of the chain the new rows link to each other in index
  // order; the last points where the gap's link pointed, and the link (a
  // row, or the domain's head) then points to the first.
  std::size_t j = 0;
  while (status.ok() && j < todo.size()) {
    const std::uint32_t g = gap_of[todo[j]];
    std::size_t end = j;
    while (end < todo.size() && gap_of[todo[end]] == g) ++end;
    std::string first;
    for (std::size_t k = j; k < end; ++k) {
      const std::uint32_t i = todo[k];
      if (k > j && idx_of(todo[k - 1]) == idx_of(i)) {  // The same person again.
        std::memcpy(tokens->data() + std::size_t{i} * internal::kTokenRandomBytes,
                    tokens->data() + std::size_t{todo[k - 1]} * internal::kTokenRandomBytes,
                    internal::kTokenRandomBytes);
        (*state)[i] = 1;
        ++*existing;
        if (stage != nullptr) status = stage->Advance(1);
        if (!status.ok()) break;
        continue;
      }
      std::size_t next_k = k + 1;
      while (next_k < end && idx_of(todo[next_k]) == idx_of(i)) ++next_k;
      std::uint8_t* tok = random.data() + k * kPerRow;
      const std::uint8_t* nonce = tok + internal::kTokenRandomBytes;
      r.idx = std::string(idx_of(i));
      r.next = next_k < end ? std::string(idx_of(todo[next_k])) : (*gaps)[g].next;
      for (int attempt = 0;; ++attempt) {
        status = SealRecord(d, r.version, kb, kinds[i], AV(norms[i]), tok, nonce, &r.sealed);
        if (!status.ok()) break;
        r.token.assign(reinterpret_cast<const char*>(tok), internal::kTokenRandomBytes);
        if (!RowMac(kb, d.id, r.View(), mac)) {
          status = absl::InternalError("a token record is too large");
          break;
        }
        insert_token.Reset();
        insert_token.Bind(1, d.id);
        insert_token.BindBlob(2, r.token);
        insert_token.BindBlob(3, r.idx);
        insert_token.Bind(4, r.version);
        insert_token.BindBlob(5, r.sealed);
        insert_token.BindBlob(6,
                              absl::string_view(reinterpret_cast<const char*>(mac), sizeof(mac)));
        insert_token.BindBlob(7, r.next);
        int rc = insert_token.Step();
        insert_token.Reset();
        if (rc == SQLITE_DONE && sqlite3_changes(db->get()) == 1) break;
        if (rc == SQLITE_DONE) {
          // Proven absent in this transaction, yet there: the file changed
          // under us.
          status = absl::DataLossError("vault file is damaged: a token record appeared");
          break;
        }
        if ((rc & 0xff) == SQLITE_CONSTRAINT && attempt < 3) {
          // A random token collided with an existing one: draw another.
          randombytes_buf(tok, internal::kTokenRandomBytes);
          continue;
        }
        status = db->Error(rc, "storing tokens");
        break;
      }
      if (!status.ok()) break;
      if (first.empty()) first = r.idx;
      std::memcpy(tokens->data() + std::size_t{i} * internal::kTokenRandomBytes, tok,
                  internal::kTokenRandomBytes);
      (*state)[i] = 1;
      ++*created;
      ++inserted;
      // A cancel leaves the caller's transaction to roll back: no token of
      // the batch is kept.
      if (stage != nullptr) status = stage->Advance(1);
      if (!status.ok()) break;
    }
    if (status.ok() && !first.empty()) {
      status = SetLinkNext(&counted, &(*gaps)[g], first, &readers);
    }
    j = end;
  }
  sodium_memzero(random.data(), random.size());
  r.Wipe();
  if (!status.ok()) return status;
  counted.token_count += static_cast<std::int64_t>(inserted);
  return StoreDomainCounters(counted);
}

absl::Status Vault::Impl::TokenizeNormalized(
    absl::string_view domain, const std::vector<IdKind>& kinds, const StringColumn& norms,
    std::vector<std::uint8_t>* state, std::vector<std::uint8_t>* tokens, DomainRow* row,
    std::size_t* created, std::size_t* existing, bool in_write_txn, ProgressStage* stage) {
  // The rows settled so far (rejected, or with a token), for progress.
  auto settled = [&]() -> absl::Status {
    if (stage == nullptr) return absl::OkStatus();
    std::size_t open = 0;
    for (std::uint8_t st : *state) open += st == 0;
    return stage->Set(static_cast<std::int64_t>(state->size() - open));
  };
  tokens->assign(norms.size() * internal::kTokenRandomBytes, 0);
  std::vector<std::uint8_t> idxs;
  std::vector<std::uint32_t> order;
  std::vector<Link> gaps;
  std::vector<std::uint32_t> gap_of;
  std::size_t found = 0;
  if (!in_write_txn) {
    // First a read: most batches of known identifiers need no write lock.
    Transaction read(db.get());
    GDPRKIT_RETURN_IF_ERROR(read.BeginRead());
    GDPRKIT_ASSIGN_OR_RETURN(DomainRow d, LoadDomain(domain));
    GDPRKIT_RETURN_IF_ERROR(IndexRows(d, kinds, norms, *state, &idxs, &order));
    GDPRKIT_RETURN_IF_ERROR(LookupRows(d, idxs, order, state, tokens, &found, nullptr, nullptr));
    *row = d;
    GDPRKIT_RETURN_IF_ERROR(read.Commit());
    *existing += found;
    GDPRKIT_RETURN_IF_ERROR(settled());
    if (found == order.size()) return absl::OkStatus();
  }
  // The rows still without a token, looked up (and proven absent) again
  // under the write lock, then issued.
  std::unique_ptr<Transaction> write;
  if (!in_write_txn) {
    write = std::make_unique<Transaction>(db.get());
    GDPRKIT_RETURN_IF_ERROR(write->BeginWrite());
  }
  GDPRKIT_ASSIGN_OR_RETURN(DomainRow d, LoadDomain(domain));
  if (in_write_txn || d.key_version != row->key_version) {
    // First pass here, or re-keyed in between by another process: index.
    GDPRKIT_RETURN_IF_ERROR(IndexRows(d, kinds, norms, *state, &idxs, &order));
  }
  *row = d;
  found = 0;
  GDPRKIT_RETURN_IF_ERROR(LookupRows(d, idxs, order, state, tokens, &found, &gaps, &gap_of));
  *existing += found;
  GDPRKIT_RETURN_IF_ERROR(settled());
  GDPRKIT_RETURN_IF_ERROR(IssueRows(d, kinds, norms, idxs, order, state, tokens, created, existing,
                                    &gaps, gap_of, stage));
  if (write == nullptr) return absl::OkStatus();
  // The last word of the callback comes before the commit, so that a cancel
  // at the end still writes nothing.
  if (stage != nullptr) GDPRKIT_RETURN_IF_ERROR(stage->Finish());
  return write->Commit();
}

namespace internal {

void EmitTokens(const DomainRow& d, const std::vector<std::uint8_t>& state,
                const std::vector<std::uint8_t>& tokens, StringColumn* out) {
  const std::size_t n = state.size();
  out->clear();
  out->reserve(n, n * kTokenTextSize);
  for (std::size_t i = 0; i < n; ++i) {
    if (state[i] != 1) {
      out->push_back({});
      continue;
    }
    FormatToken(d.salt, tokens.data() + i * internal::kTokenRandomBytes,
                out->Append(kTokenTextSize));
  }
}

}  // namespace internal

namespace {

// The start of Tokenize and LookupTokens: the output column and the report
// emptied, the batch normalised.
absl::Status StartBatch(IdKind kind, absl::Span<const std::string_view> identifiers,
                        const BatchOptions& options, StringColumn* tokens, StringColumn* norms,
                        std::vector<std::uint8_t>* state, BatchReport* report) {
  if (tokens == nullptr) return absl::InvalidArgumentError("no output column");
  tokens->clear();
  if (report != nullptr) *report = BatchReport();
  return NormalizeBatch(kind, identifiers, options, norms, state, report);
}

}  // namespace

absl::Status Vault::Tokenize(std::string_view domain, IdKind kind,
                             absl::Span<const std::string_view> identifiers, StringColumn* tokens,
                             const BatchOptions& options, BatchReport* report) {
  StringColumn norms;
  std::vector<std::uint8_t> state;
  GDPRKIT_RETURN_IF_ERROR(StartBatch(kind, identifiers, options, tokens, &norms, &state, report));
  std::vector<IdKind> kinds(identifiers.size(), kind);
  std::vector<std::uint8_t> raw;
  DomainRow row;
  std::size_t created = 0, existing = 0;
  ProgressStage stage(options.progress, "tokenise", static_cast<std::int64_t>(identifiers.size()));
  absl::Status s = stage.Start();
  if (s.ok()) {
    absl::MutexLock lock(&impl_->mu);
    s = impl_->TokenizeNormalized(AV(domain), kinds, norms, &state, &raw, &row, &created, &existing,
                                  /*in_write_txn=*/false, &stage);
  }
  if (s.ok()) s = stage.Finish();  // (a no-op when the write transaction finished it)
  norms.SecureClear();
  if (!s.ok()) {
    if (report != nullptr) *report = BatchReport();
    return s;
  }
  EmitTokens(row, state, raw, tokens);
  if (report != nullptr) {
    report->created = created;
    report->existing = existing;
  }
  return absl::OkStatus();
}

absl::Status Vault::LookupTokens(std::string_view domain, IdKind kind,
                                 absl::Span<const std::string_view> identifiers,
                                 StringColumn* tokens, const BatchOptions& options,
                                 BatchReport* report) const {
  StringColumn norms;
  std::vector<std::uint8_t> state;
  GDPRKIT_RETURN_IF_ERROR(StartBatch(kind, identifiers, options, tokens, &norms, &state, report));
  std::vector<IdKind> kinds(identifiers.size(), kind);
  std::vector<std::uint8_t> raw(identifiers.size() * internal::kTokenRandomBytes, 0);
  std::size_t found = 0;
  DomainRow row;
  ProgressStage stage(options.progress, "lookup", static_cast<std::int64_t>(identifiers.size()));
  if (absl::Status s = stage.Start(); !s.ok()) {
    norms.SecureClear();
    if (report != nullptr) *report = BatchReport();
    return s;
  }
  {
    absl::MutexLock lock(&impl_->mu);
    Transaction read(impl_->db.get());
    GDPRKIT_RETURN_IF_ERROR(read.BeginRead());
    GDPRKIT_ASSIGN_OR_RETURN(DomainRow d, impl_->LoadDomain(AV(domain)));
    row = d;
    std::vector<std::uint8_t> idxs;
    std::vector<std::uint32_t> order;
    std::vector<Link> gaps;
    std::vector<std::uint32_t> gap_of;
    absl::Status s = impl_->IndexRows(row, kinds, norms, state, &idxs, &order);
    if (s.ok()) s = impl_->LookupRows(row, idxs, order, &state, &raw, &found, &gaps, &gap_of);
    norms.SecureClear();
    if (s.ok()) s = read.Commit();
    if (s.ok()) s = stage.Finish();
    if (!s.ok()) {
      if (report != nullptr) *report = BatchReport();
      return s;
    }
  }
  EmitTokens(row, state, raw, tokens);
  if (report != nullptr) {
    report->existing = found;
    for (std::uint8_t st : state) report->missing += st == 0;
  }
  return absl::OkStatus();
}

namespace {

bool LowerBase32Of(absl::string_view text, std::size_t bytes) {
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) return false;
  }
  std::uint8_t raw[32];
  return bytes <= sizeof(raw) && internal::Base32Decode(text, raw, bytes);
}

}  // namespace

bool IsTokenShaped(std::string_view text) {
  const absl::string_view t = internal::AV(text);
  return t.substr(0, internal::kTokenPrefix.size()) == internal::kTokenPrefix &&
         LowerBase32Of(t.substr(internal::kTokenPrefix.size()),
                       internal::kTokenRandomBytes + internal::kTokenCheckBytes);
}

bool IsPseudonymShaped(std::string_view text) {
  const absl::string_view t = internal::AV(text);
  if (t.size() < 4 || t.substr(0, 2) != "ps") return false;
  const std::size_t underscore = t.find('_');
  if (underscore == absl::string_view::npos || underscore < 3 || underscore > 12) return false;
  if (t[2] == '0') return false;  // key versions start at 1, no leading zeros
  for (std::size_t i = 2; i < underscore; ++i) {
    if (t[i] < '0' || t[i] > '9') return false;
  }
  return LowerBase32Of(t.substr(underscore + 1), internal::kPseudonymBytes);
}

}  // namespace gdprkit
