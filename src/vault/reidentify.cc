// Re-identification and translation: opening tokens, Reidentify, Translate.
#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
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

// --- Re-identification and translation ---------------------------------------

absl::Status Vault::Impl::OpenTokens(const DomainRow& d, absl::Span<const std::string_view> tokens,
                                     StringColumn* norms, std::vector<IdKind>* kinds,
                                     ErrorMode errors, std::vector<TokenProblem>* problems,
                                     ProgressStage* stage) {
  norms->clear();
  kinds->clear();
  const std::size_t n = tokens.size();
  const bool raise = errors == ErrorMode::kRaise;
  std::vector<TokenProblem> problem(n, TokenProblem::kNone);
  // 1. Parse and check every token (no database needed).
  std::vector<ParsedToken> parsed(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!ParseToken(AV(tokens[i]), &parsed[i])) {
      if (!raise) {
        problem[i] = TokenProblem::kMalformed;
        continue;
      }
      return absl::InvalidArgumentError(
          absl::StrCat(RowPrefix(i), "not a gdprkit token (\"tk_\" and 32 base32 characters)"));
    }
    std::uint8_t check[internal::kTokenCheckBytes];
    TokenCheck(d.salt, parsed[i].random, check);
    if (sodium_memcmp(check, parsed[i].check, sizeof(check)) != 0) {
      if (!raise) {
        problem[i] = TokenProblem::kFailedCheck;
        continue;
      }
      return absl::InvalidArgumentError(
          absl::StrCat(RowPrefix(i),
                       "the token fails its check: it was altered, or it belongs to another "
                       "domain than '",
                       d.name, "'"));
    }
  }
  const auto wanted = [&problem](std::size_t i) { return problem[i] == TokenProblem::kNone; };
  auto key_of = [&](std::size_t i) {
    return absl::string_view(reinterpret_cast<const char*>(parsed[i].random),
                             internal::kTokenRandomBytes);
  };
  // 2. Find their rows.
  RowArena arena;
  arena.Reserve(n);
  std::vector<std::size_t> where(n, 0);
  std::vector<std::uint8_t> have(n, 0);
  if (n > 0 && n * 4 >= static_cast<std::uint64_t>(std::max<std::int64_t>(d.token_count, 0))) {
    // A batch that is a large part of the domain: one scan of the domain's
    // records, probing a hash table of the wanted tokens.
    absl::flat_hash_map<absl::string_view, std::size_t> first;
    first.reserve(n);
    std::vector<std::size_t> dup_of(n, n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!wanted(i)) continue;
      auto [it, inserted] = first.emplace(key_of(i), i);
      if (!inserted) dup_of[i] = it->second;
    }
    Stmt scan;
    GDPRKIT_RETURN_IF_ERROR(
        scan.Prepare(db->get(), "SELECT " GDPRKIT_ROW_COLUMNS " FROM tokens WHERE domain_id = ?"));
    scan.Bind(1, d.id);
    std::size_t left = first.size();
    int rc = SQLITE_DONE;
    while (left > 0 && (rc = scan.Step()) == SQLITE_ROW) {
      auto it = first.find(scan.Blob(1));
      if (it == first.end()) continue;
      where[it->second] = arena.Add(ViewRow(scan, 0));
      have[it->second] = 1;
      --left;
    }
    if (left > 0 && rc != SQLITE_DONE) return db->Error(rc, "reading token records");
    for (std::size_t i = 0; i < n; ++i) {
      if (dup_of[i] < n && have[dup_of[i]]) {
        where[i] = where[dup_of[i]];
        have[i] = 1;
      }
    }
  } else {
    std::vector<std::size_t> order;
    order.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (wanted(i)) order.push_back(i);
    }
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return key_of(a) < key_of(b); });
    for (std::size_t i : order) {
      row_by_token.Reset();
      row_by_token.Bind(1, d.id);
      row_by_token.BindBlob(2, key_of(i));
      int rc = row_by_token.Step();
      if (rc == SQLITE_ROW) {
        where[i] = arena.Add(ViewRow(row_by_token, 0));
        have[i] = 1;
      } else if (rc != SQLITE_DONE) {
        row_by_token.Reset();
        return db->Error(rc, "reading token records");
      }
    }
    row_by_token.Reset();
  }
  // 3. Authenticate and open them, in row order.
  norms->reserve(n, n * 11);
  kinds->reserve(n);
  std::string norm;
  absl::Status status;
  KeyReaders readers;
  std::uint32_t cached_version = 0;
  const std::uint8_t* keys = nullptr;
  for (std::size_t i = 0; i < n; ++i) {
    if (stage != nullptr) {
      status = stage->Advance(1);
      if (!status.ok()) break;
    }
    if (wanted(i) && !have[i]) {
      if (raise) {
        status = absl::NotFoundError(absl::StrCat(RowPrefix(i), "the token is not in domain '",
                                                  d.name, "' (erased, or never issued)"));
        break;
      }
      problem[i] = TokenProblem::kNotFound;
    }
    if (!wanted(i)) {  // rejected: an empty value (kOther: any kind would do)
      norms->push_back({});
      kinds->push_back(IdKind::kOther);
      continue;
    }
    const RowView row = arena.Get(where[i]);
    if (keys == nullptr || row.version != cached_version) {
      absl::StatusOr<const std::uint8_t*> k = RowKeys(d, row.version, &readers);
      if (!k.ok()) {
        status = k.status();
        break;
      }
      keys = *k;
      cached_version = row.version;
    }
    IdKind kind;
    absl::Status o = CheckRow(d, keys, row);
    if (!o.ok()) {
      status = absl::DataLossError(absl::StrCat(RowPrefix(i), o.message()));
      break;
    }
    o = OpenRecord(d, row.version, keys, parsed[i].random, row.sealed, &kind, &norm);
    if (!o.ok()) {
      status = absl::DataLossError(
          absl::StrCat(RowPrefix(i), "token of domain '", d.name, "': ", o.message()));
      break;
    }
    norms->push_back(norm);
    kinds->push_back(kind);
  }
  if (!norm.empty()) sodium_memzero(&norm[0], norm.size());
  if (!status.ok()) {
    norms->SecureClear();
    kinds->clear();
    return status;
  }
  if (problems != nullptr) *problems = std::move(problem);
  return status;
}

namespace {

// The report of a batch of tokens that succeeded: one problem per token and
// the count of those rejected.
void ReportTokens(std::vector<TokenProblem> problems, BatchReport* report) {
  if (report == nullptr) return;
  *report = BatchReport();
  for (TokenProblem p : problems) report->rejected += p != TokenProblem::kNone;
  report->token_problems = std::move(problems);
}

}  // namespace

absl::Status Vault::Reidentify(std::string_view domain, absl::Span<const std::string_view> tokens,
                               std::string_view reason, StringColumn* identifiers,
                               std::vector<IdKind>* kinds, const BatchOptions& options,
                               BatchReport* report) {
  if (report != nullptr) *report = BatchReport();
  if (identifiers == nullptr) return absl::InvalidArgumentError("no output column");
  identifiers->clear();
  if (kinds != nullptr) kinds->clear();
  GDPRKIT_RETURN_IF_ERROR(CheckReason(AV(reason)));
  std::vector<IdKind> k;
  std::vector<TokenProblem> problems;
  ProgressStage stage(options.progress, "reidentify", static_cast<std::int64_t>(tokens.size()));
  GDPRKIT_RETURN_IF_ERROR(stage.Start());
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  DomainRow row;
  {
    Transaction read(d);
    GDPRKIT_RETURN_IF_ERROR(read.BeginRead());
    GDPRKIT_ASSIGN_OR_RETURN(DomainRow dr, impl_->LoadDomain(AV(domain)));
    row = dr;
    GDPRKIT_RETURN_IF_ERROR(
        impl_->OpenTokens(row, tokens, identifiers, &k, options.errors, &problems, &stage));
    absl::Status s = read.Commit();
    if (s.ok()) s = stage.Finish();  // a cancel here still hands nothing out
    if (!s.ok()) {
      identifiers->SecureClear();
      return s;
    }
  }
  std::size_t opened = 0;
  for (TokenProblem p : problems) opened += p == TokenProblem::kNone;
  // The audit entry is committed before anything is handed out.
  Transaction write(d);
  absl::Status s = write.BeginWrite();
  if (s.ok()) {
    s = impl_->AppendAudit(AuditOp::kReidentify, row.name, "", AV(reason), opened, 0);
  }
  if (s.ok()) s = write.Commit();
  if (!s.ok()) {
    identifiers->SecureClear();
    return s;
  }
  if (kinds != nullptr) *kinds = std::move(k);
  ReportTokens(std::move(problems), report);
  return absl::OkStatus();
}

absl::Status Vault::Translate(std::string_view from, std::string_view to,
                              absl::Span<const std::string_view> tokens, std::string_view reason,
                              TranslateTarget target, StringColumn* out,
                              const BatchOptions& options, BatchReport* report) {
  if (report != nullptr) *report = BatchReport();
  if (out == nullptr) return absl::InvalidArgumentError("no output column");
  out->clear();
  GDPRKIT_RETURN_IF_ERROR(CheckReason(AV(reason)));
  if (from == to) {
    return absl::InvalidArgumentError("translation needs two different domains");
  }
  if (target != TranslateTarget::kToken && target != TranslateTarget::kPseudonym) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown translation target ", static_cast<int>(target), " (0 = tokens, 1 = pseudonyms)"));
  }
  const std::int64_t n = static_cast<std::int64_t>(tokens.size());
  // Two stages: the tokens of `from` opened, then the target's tokens
  // issued (or its pseudonyms computed).
  ProgressStage opening(options.progress, "translate", n);
  ProgressStage issuing(options.progress, "tokenise", n);
  GDPRKIT_RETURN_IF_ERROR(opening.Start());
  absl::MutexLock lock(&impl_->mu);
  Db* d = impl_->db.get();
  StringColumn norms;
  std::vector<IdKind> kinds;
  std::vector<TokenProblem> problems;
  Transaction txn(d);
  GDPRKIT_RETURN_IF_ERROR(txn.BeginWrite());
  GDPRKIT_ASSIGN_OR_RETURN(DomainRow src, impl_->LoadDomain(AV(from)));
  GDPRKIT_ASSIGN_OR_RETURN(DomainRow dst, impl_->LoadDomain(AV(to)));
  absl::Status s =
      impl_->OpenTokens(src, tokens, &norms, &kinds, options.errors, &problems, &opening);
  if (s.ok()) s = opening.Finish();
  if (s.ok()) s = issuing.Start();
  std::size_t opened = 0;
  for (TokenProblem p : problems) opened += p == TokenProblem::kNone;
  if (s.ok() && target == TranslateTarget::kToken) {
    std::vector<std::uint8_t> state(norms.size(), 0), raw;
    for (std::size_t i = 0; i < problems.size(); ++i) {
      if (problems[i] != TokenProblem::kNone) state[i] = 2;
    }
    DomainRow row;
    std::size_t created = 0, existing = 0;
    s = impl_->TokenizeNormalized(AV(to), kinds, norms, &state, &raw, &row, &created, &existing,
                                  /*in_write_txn=*/true, &issuing);
    if (s.ok()) EmitTokens(row, state, raw, out);
  } else if (s.ok()) {
    absl::StatusOr<const DomainKeys*> keys = impl_->Keys(dst, dst.key_version);
    if (!keys.ok()) {
      s = keys.status();
    } else {
      SecretBytes::Reader r(*(*keys)->secret);
      const std::string prefix = internal::PseudonymPrefix(dst.key_version);
      const std::size_t size = internal::PseudonymSize(dst.key_version);
      out->reserve(norms.size(), norms.size() * size);
      for (std::size_t i = 0; i < norms.size(); ++i) {
        if (!problems.empty() && problems[i] != TokenProblem::kNone) {
          out->push_back({});
          continue;
        }
        internal::PseudonymOf(r.data(), dst.scheme, prefix, kinds[i], AV(norms[i]),
                              out->Append(size));
      }
    }
  }
  norms.SecureClear();
  if (s.ok()) s = issuing.Finish();  // before the commit: a cancel writes nothing
  if (s.ok()) {
    s = impl_->AppendAudit(AuditOp::kTranslate, src.name, dst.name, AV(reason), opened, 0);
  }
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) {
    out->clear();
    return s;
  }
  ReportTokens(std::move(problems), report);
  return s;
}

}  // namespace gdprkit
