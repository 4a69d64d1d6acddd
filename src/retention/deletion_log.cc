// The append-only, hash-chained deletion log (gdprkit/deletion_log.h), a
// typed front of the chain file in common/hash_chain.h.
//
// File format (docs/retention.md), UTF-8 text, one record per line, LF:
//   line 1   gdprkit-deletion-log TAB 1 TAB <log id: 32 hex> TAB plain|keyed:<key id: 16 hex>
//   line k   <seq> TAB <record id> TAB <rule id> TAB <due YYYY-MM-DD or -> TAB
//            <deleted at YYYY-MM-DDTHH:MM:SSZ> TAB <hash: 64 hex>
// Record and rule ids escape '%', control characters and DEL as %XX.
// h0 = BLAKE2b-256([key], header line); hk = BLAKE2b-256([key], h(k-1) || line k
// up to the TAB before its hash).
#include "gdprkit/deletion_log.h"

#include <unistd.h>

#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/hash_chain.h"
#include "common/redact.h"
#include "common/sv.h"
#include "common/text.h"

namespace gdprkit {
namespace {

using internal::AV;
using internal::ChainEntry;
using internal::ChainFile;
using internal::ChainState;
using internal::FormatInstant;

constexpr internal::ChainKind kDeletionLog = {"gdprkit-deletion-log", "deletion log", 4};
constexpr std::size_t kMaxRecordId = 1024;
constexpr std::size_t kMaxRuleId = 256;
constexpr std::int64_t kMaxSeconds = internal::kMaxChainSeconds;

// Checks a deletion; `at` prefixes the field names ("deletions[3].").
absl::Status CheckDeletion(const DeletionRecord& d, const std::string& at) {
  auto bad = [&](std::string_view field, std::string msg) {
    return absl::InvalidArgumentError(absl::StrCat("deletion ", at, AV(field), ": ", msg));
  };
  if (d.record_id.empty()) return bad("record_id", "empty");
  if (d.record_id.size() > kMaxRecordId) {
    return bad("record_id", absl::StrCat(d.record_id.size(), " bytes; at most ", kMaxRecordId));
  }
  if (!internal::IsValidUtf8(d.record_id)) return bad("record_id", "not valid UTF-8");
  // The log is append-only and hash-chained: what it keeps can never be
  // removed again, so nothing that passes as a CPR number goes in
  // (common/redact.h says which spellings count).
  if (internal::ContainsCprLike(d.record_id)) {
    return bad("record_id",
               "holds what looks like a CPR number; a deletion log must not keep the identifier "
               "it deleted: log an internal key or a pseudonym");
  }
  if (d.rule_id.size() > kMaxRuleId) {
    return bad("rule_id", absl::StrCat(d.rule_id.size(), " bytes; at most ", kMaxRuleId));
  }
  if (!internal::IsValidUtf8(d.rule_id)) return bad("rule_id", "not valid UTF-8");
  if (internal::ContainsCprLike(d.rule_id)) {
    return bad("rule_id",
               "holds what looks like a CPR number; give the id of the retention rule (or "
               "nothing for a deletion on request)");
  }
  if (d.due_date != kNoDate && !IsValidDay(d.due_date)) {
    return bad("due_date", absl::StrCat("day number ", d.due_date, " is not a date in 0001-9999"));
  }
  if (d.deleted_at < 0 || d.deleted_at > kMaxSeconds) {
    return bad("deleted_at",
               absl::StrCat(d.deleted_at, " s is outside 1970-01-01T00:00:00Z ... 9999-12-31"));
  }
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  if (d.deleted_at > now + 86400) {
    return bad("deleted_at", absl::StrCat(FormatInstant(d.deleted_at),
                                          " is in the future; report deletions once done"));
  }
  return absl::OkStatus();
}

// The fields of an entry whose hash verified: "" when well formed, else the problem.
std::string ReadEntry(const ChainEntry& c, DeletionLogEntry* e) {
  e->seq = c.seq;
  e->line = c.line;
  e->hash = c.hash;
  if (!internal::UnescapeField(c.fields[0], &e->deletion.record_id) ||
      e->deletion.record_id.empty()) {
    return "malformed record id";
  }
  if (!internal::UnescapeField(c.fields[1], &e->deletion.rule_id)) return "malformed rule id";
  if (c.fields[2] != "-") {
    absl::StatusOr<DayNumber> due = ParseDate(c.fields[2]);
    if (!due.ok()) return "malformed due date";
    e->deletion.due_date = *due;
  }
  if (!internal::ParseInstant(c.fields[3], &e->deletion.deleted_at)) {
    return "malformed deletion time";
  }
  return "";
}

ChainFile File(const std::string& path, std::string_view key) {
  return ChainFile{&kDeletionLog, path, key, internal::CheckingReader(&ReadEntry)};
}

std::string_view KeyView(const unsigned char* key, std::size_t size) {
  return key == nullptr ? std::string_view()
                        : std::string_view(reinterpret_cast<const char*>(key), size);
}

}  // namespace

absl::StatusOr<std::unique_ptr<DeletionLog>> DeletionLog::Open(const std::string& path,
                                                               const DeletionLogOptions& options) {
  if (absl::Status st = internal::CheckChainKey(kDeletionLog, options.key); !st.ok()) return st;
  std::unique_ptr<DeletionLog> log(new DeletionLog());
  log->path_ = path;
  log->sync_ = options.sync;
  if (!options.key.empty()) {
    log->key_ = internal::GuardKey(options.key);
    if (log->key_ == nullptr) return absl::ResourceExhaustedError("cannot allocate guarded memory");
    log->key_size_ = options.key.size();
  }
  ChainState state;
  absl::StatusOr<int> fd =
      internal::OpenChain(File(path, KeyView(log->key_, log->key_size_)), log->sync_, &state);
  if (!fd.ok()) return fd.status();
  log->fd_ = *fd;
  log->log_id_ = std::move(state.log_id);
  log->seq_ = state.seq;
  std::memcpy(log->head_, state.head, sizeof log->head_);
  log->end_ = state.end;
  return log;
}

DeletionLog::~DeletionLog() {
  if (fd_ >= 0) ::close(fd_);
  internal::FreeGuardedKey(key_);
}

std::int64_t DeletionLog::entries() const {
  std::lock_guard<std::mutex> l(mu_);
  return seq_;
}

std::string DeletionLog::head() const {
  std::lock_guard<std::mutex> l(mu_);
  return internal::ChainHex(head_);
}

absl::StatusOr<DeletionLogEntry> DeletionLog::Append(const DeletionRecord& deletion) {
  absl::StatusOr<std::vector<DeletionLogEntry>> r = AppendAll(absl::MakeConstSpan(&deletion, 1));
  if (!r.ok()) {
    // Name the field without the "[0]" of a batch of one.
    std::string msg(r.status().message());
    const std::string tag = "deletions[0].";
    if (const std::size_t at = msg.find(tag); at != std::string::npos) msg.erase(at, tag.size());
    return absl::Status(r.status().code(), msg);
  }
  return std::move(r->front());
}

absl::StatusOr<std::vector<DeletionLogEntry>> DeletionLog::AppendAll(
    absl::Span<const DeletionRecord> deletions) {
  std::vector<std::vector<std::string>> lines;
  for (std::size_t i = 0; i < deletions.size(); ++i) {
    const DeletionRecord& d = deletions[i];
    if (absl::Status st = CheckDeletion(d, absl::StrCat("deletions[", i, "].")); !st.ok()) {
      return st;
    }
    lines.push_back({internal::EscapeField(d.record_id), internal::EscapeField(d.rule_id),
                     d.due_date == kNoDate ? std::string("-") : FormatDate(d.due_date),
                     FormatInstant(d.deleted_at)});
  }
  // Everything that allocates happens before the write: once the lines are
  // in the file, nothing may fail (the caller would retry a logged deletion).
  std::vector<DeletionLogEntry> out(deletions.size());
  for (std::size_t i = 0; i < deletions.size(); ++i) out[i].deletion = deletions[i];
  if (deletions.empty()) return out;
  std::lock_guard<std::mutex> l(mu_);
  ChainState state;
  state.log_id = log_id_;
  state.keyed = key_ != nullptr;
  state.seq = seq_;
  std::memcpy(state.head, head_, sizeof head_);
  state.end = end_;
  absl::StatusOr<std::vector<std::string>> hashes =
      internal::AppendChain(File(path_, KeyView(key_, key_size_)), fd_, sync_, lines, &state);
  if (!hashes.ok()) return hashes.status();
  seq_ = state.seq;
  std::memcpy(head_, state.head, sizeof head_);
  end_ = state.end;
  const std::int64_t first = state.seq - static_cast<std::int64_t>(deletions.size()) + 1;
  for (std::size_t i = 0; i < deletions.size(); ++i) {
    out[i].seq = first + static_cast<std::int64_t>(i);
    out[i].hash = std::move((*hashes)[i]);
    out[i].line = static_cast<int>(out[i].seq + 1);
  }
  return out;
}

absl::StatusOr<DeletionLogVerification> VerifyDeletionLog(const std::string& path,
                                                          const DeletionLogOptions& options,
                                                          std::string_view expected_head) {
  return internal::VerifyChainAs<DeletionLogVerification>(File(path, options.key), expected_head);
}

absl::StatusOr<std::vector<DeletionLogEntry>> ReadDeletionLog(const std::string& path,
                                                              const DeletionLogOptions& options) {
  return internal::ReadChainEntries(File(path, options.key), &ReadEntry);
}

}  // namespace gdprkit
