// The release log (gdprkit/release.h): the proof of every prepared release,
// a typed front of the chain file in common/hash_chain.h (the deletion log's
// mechanism: header, BLAKE2b-256 chain, keyed or plain, flock, verification
// naming the first broken entry, a partial line cut off).
//
// File format, UTF-8 text, one record per line, LF:
//   line 1   gdprkit-release-log TAB 1 TAB <log id: 32 hex> TAB plain|keyed:<key id: 16 hex>
//   line k   <seq> TAB <released at YYYY-MM-DDTHH:MM:SSZ> TAB <release id> TAB
//            <policy digest> TAB <content digest> TAB <release date YYYY-MM-DD> TAB
//            table|extract TAB passed|failed (the audit) TAB <rows in> TAB
//            <rows dropped> TAB <rows out> TAB <cells suppressed> TAB
//            <values suppressed> TAB <rows withheld> TAB <hash: 64 hex>
// Digests are "blake2b-256:" + 64 lower-case hex; counts are decimal
// integers >= 0. The release id escapes '%', control characters and DEL as
// %XX. The key id is BLAKE2b(key, "gdprkit release log key id v1")'s first 8
// bytes. h0 = BLAKE2b-256([key], header line); hk = BLAKE2b-256([key], h(k-1)
// || line k up to the TAB before its hash). The entries PrepareRelease writes
// always say "passed": a release that fails is never logged.
#include <unistd.h>

#include <cstdint>
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
#include "gdprkit/release.h"

namespace gdprkit {
namespace {

using internal::AV;
using internal::ChainEntry;
using internal::ChainFile;
using internal::ChainState;

constexpr internal::ChainKind kReleaseLog = {"gdprkit-release-log", "release log", 13};
constexpr std::size_t kMaxReleaseId = 256;
constexpr std::string_view kDigestPrefix = "blake2b-256:";

bool IsDigest(std::string_view d) {
  if (d.size() != kDigestPrefix.size() + 64 || d.substr(0, kDigestPrefix.size()) != kDigestPrefix) {
    return false;
  }
  for (char c : d.substr(kDigestPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A count as written: decimal digits, no sign, no leading zero.
bool ParseCount(std::string_view s, std::int64_t* out) {
  if (s.empty() || s.size() > 18 || (s.size() > 1 && s[0] == '0')) return false;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// The fields of an entry whose hash verified: "" when well formed, else the problem.
std::string ReadEntry(const ChainEntry& c, ReleaseLogEntry* e) {
  const std::vector<std::string_view>& f = c.fields;
  e->seq = c.seq;
  e->line = c.line;
  e->hash = c.hash;
  if (!internal::ParseInstant(f[0], &e->released_at)) return "malformed release time";
  if (!internal::UnescapeField(f[1], &e->release) || e->release.empty()) {
    return "malformed release id";
  }
  if (!IsDigest(f[2])) return "malformed policy digest";
  e->policy_digest = std::string(f[2]);
  if (!IsDigest(f[3])) return "malformed content digest";
  e->content_digest = std::string(f[3]);
  absl::StatusOr<DayNumber> on = ParseDate(f[4]);
  if (!on.ok()) return "malformed release date";
  e->on = *on;
  if (f[5] != "table" && f[5] != "extract") return "malformed shape (table or extract)";
  e->table = f[5] == "table";
  if (f[6] != "passed" && f[6] != "failed") return "malformed audit verdict (passed or failed)";
  e->audit_passed = f[6] == "passed";
  std::int64_t* counts[] = {&e->rows_in,          &e->rows_dropped,      &e->rows_out,
                            &e->cells_suppressed, &e->values_suppressed, &e->rows_withheld};
  static constexpr const char* kCountNames[] = {"rows in",           "rows dropped",
                                                "rows out",          "cells suppressed",
                                                "values suppressed", "rows withheld"};
  for (std::size_t i = 0; i < 6; ++i) {
    if (!ParseCount(f[7 + i], counts[i]))
      return absl::StrCat("malformed count of ", kCountNames[i]);
  }
  return "";
}

ChainFile File(const std::string& path, std::string_view key) {
  return ChainFile{&kReleaseLog, path, key, internal::CheckingReader(&ReadEntry)};
}

// The entry of a report, checked; `released_at` 0 is now.
absl::StatusOr<ReleaseLogEntry> EntryOf(const ReleaseReport& r, std::int64_t released_at) {
  auto bad = [](std::string_view field, std::string msg) {
    return absl::InvalidArgumentError(absl::StrCat("release log entry: ", AV(field), ": ", msg));
  };
  if (!r.check.passed || !r.audit_passed) {
    return absl::InvalidArgumentError(absl::StrCat(
        "release log: release ", internal::QuoteUntrusted(r.release), " did not pass its ",
        !r.check.passed ? "check" : "audit", "; a release that fails is never logged"));
  }
  if (r.release.empty()) return bad("release", "empty");
  if (r.release.size() > kMaxReleaseId) {
    return bad("release", absl::StrCat(r.release.size(), " bytes; at most ", kMaxReleaseId));
  }
  if (!internal::IsValidUtf8(r.release)) return bad("release", "not valid UTF-8");
  if (internal::ContainsCprLike(r.release)) {
    return bad("release", "holds what looks like a CPR number; a release id is the policy's name");
  }
  if (!IsDigest(r.policy_digest)) {
    return bad("policy_digest", "not \"blake2b-256:\" and 64 lower-case hex digits");
  }
  if (!IsDigest(r.content_digest)) {
    return bad("content_digest", "not \"blake2b-256:\" and 64 lower-case hex digits");
  }
  if (!IsValidDay(r.on)) return bad("on", "not a date in 0001-9999");
  ReleaseLogEntry e;
  e.released_at = released_at != 0 ? released_at : static_cast<std::int64_t>(std::time(nullptr));
  if (e.released_at < 0 || e.released_at > internal::kMaxChainSeconds) {
    return bad("released_at",
               absl::StrCat(e.released_at, " s is outside 1970-01-01T00:00:00Z ... 9999-12-31"));
  }
  if (e.released_at > static_cast<std::int64_t>(std::time(nullptr)) + 86400) {
    return bad("released_at",
               absl::StrCat(internal::FormatInstant(e.released_at), " is in the future"));
  }
  e.release = r.release;
  e.policy_digest = r.policy_digest;
  e.content_digest = r.content_digest;
  e.on = r.on;
  e.table = r.table;
  e.audit_passed = true;
  e.rows_in = r.rows_in;
  e.rows_dropped = r.rows_too_old + r.rows_missing_date;
  e.rows_out = r.rows_out;
  e.cells_suppressed = r.cells_primary + r.cells_secondary;
  e.values_suppressed = r.values_suppressed;
  e.rows_withheld = r.rows_withheld;
  const std::pair<std::string_view, std::int64_t> counts[] = {
      {"rows_in", e.rows_in},
      {"rows_too_old + rows_missing_date", e.rows_dropped},
      {"rows_out", e.rows_out},
      {"cells_primary + cells_secondary", e.cells_suppressed},
      {"values_suppressed", e.values_suppressed},
      {"rows_withheld", e.rows_withheld}};
  for (const auto& [name, value] : counts) {
    if (value < 0 || value > 999999999999999999) {
      return bad(name, absl::StrCat(value, " is not a count"));
    }
  }
  return e;
}

std::vector<std::string> FieldsOf(const ReleaseLogEntry& e) {
  std::vector<std::string> f = {internal::FormatInstant(e.released_at),
                                internal::EscapeField(e.release),
                                e.policy_digest,
                                e.content_digest,
                                FormatDate(e.on),
                                e.table ? "table" : "extract",
                                e.audit_passed ? "passed" : "failed"};
  for (std::int64_t n : {e.rows_in, e.rows_dropped, e.rows_out, e.cells_suppressed,
                         e.values_suppressed, e.rows_withheld}) {
    f.push_back(std::to_string(n));
  }
  return f;
}

}  // namespace

struct ReleaseLog::Impl {
  std::string path;
  bool sync = true;
  unsigned char* key = nullptr;  // guarded memory; nullptr for a plain log
  std::size_t key_size = 0;
  int fd = -1;
  mutable std::mutex mu;
  ChainState state;

  std::string_view key_view() const {
    return key == nullptr ? std::string_view()
                          : std::string_view(reinterpret_cast<const char*>(key), key_size);
  }
  ~Impl() {
    if (fd >= 0) ::close(fd);
    internal::FreeGuardedKey(key);
  }
};

ReleaseLog::ReleaseLog() : impl_(std::make_unique<Impl>()) {}
ReleaseLog::~ReleaseLog() = default;

absl::StatusOr<std::unique_ptr<ReleaseLog>> ReleaseLog::Open(const std::string& path,
                                                             const ReleaseLogOptions& options) {
  if (absl::Status st = internal::CheckChainKey(kReleaseLog, options.key); !st.ok()) return st;
  std::unique_ptr<ReleaseLog> log(new ReleaseLog());
  Impl& im = *log->impl_;
  im.path = path;
  im.sync = options.sync;
  if (!options.key.empty()) {
    im.key = internal::GuardKey(options.key);
    if (im.key == nullptr) return absl::ResourceExhaustedError("cannot allocate guarded memory");
    im.key_size = options.key.size();
  }
  absl::StatusOr<int> fd = internal::OpenChain(File(path, im.key_view()), im.sync, &im.state);
  if (!fd.ok()) return fd.status();
  im.fd = *fd;
  return log;
}

absl::StatusOr<ReleaseLogEntry> ReleaseLog::Append(ReleaseReport* report,
                                                   std::int64_t released_at) {
  if (report == nullptr) return absl::InvalidArgumentError("release log: no report");
  absl::StatusOr<ReleaseLogEntry> e = EntryOf(*report, released_at);
  if (!e.ok()) return e.status();
  // Nothing that allocates after the write: a logged release must not be
  // reported as failed (and appended again by a retry).
  report->log_hash.reserve(64);
  Impl& im = *impl_;
  std::lock_guard<std::mutex> l(im.mu);
  absl::StatusOr<std::vector<std::string>> hashes = internal::AppendChain(
      File(im.path, im.key_view()), im.fd, im.sync, {FieldsOf(*e)}, &im.state);
  if (!hashes.ok()) return hashes.status();
  e->seq = im.state.seq;
  e->hash = std::move(hashes->front());
  e->line = static_cast<int>(e->seq + 1);
  report->log_seq = e->seq;
  report->log_hash = e->hash;
  return e;
}

const std::string& ReleaseLog::path() const { return impl_->path; }

const std::string& ReleaseLog::log_id() const { return impl_->state.log_id; }

std::int64_t ReleaseLog::entries() const {
  std::lock_guard<std::mutex> l(impl_->mu);
  return impl_->state.seq;
}

std::string ReleaseLog::head() const {
  std::lock_guard<std::mutex> l(impl_->mu);
  return internal::ChainHex(impl_->state.head);
}

absl::StatusOr<ReleaseLogVerification> VerifyReleaseLog(const std::string& path,
                                                        const ReleaseLogOptions& options,
                                                        std::string_view expected_head) {
  return internal::VerifyChainAs<ReleaseLogVerification>(File(path, options.key), expected_head);
}

absl::StatusOr<std::vector<ReleaseLogEntry>> ReadReleaseLog(const std::string& path,
                                                            const ReleaseLogOptions& options) {
  return internal::ReadChainEntries(File(path, options.key), &ReadEntry);
}

}  // namespace gdprkit
