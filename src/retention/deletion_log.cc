// The append-only, hash-chained deletion log (gdprkit/deletion_log.h).
//
// File format (docs/retention.md), UTF-8 text, one record per line, LF:
//   line 1   gdprkit-deletion-log TAB 1 TAB <log id: 32 hex> TAB plain|keyed:<key id: 16 hex>
//   line k   <seq> TAB <record id> TAB <rule id> TAB <due YYYY-MM-DD or -> TAB
//            <deleted at YYYY-MM-DDTHH:MM:SSZ> TAB <hash: 64 hex>
// Record and rule ids escape '%', control characters and DEL as %XX.
// h0 = BLAKE2b-256([key], header line); hk = BLAKE2b-256([key], h(k-1) || line k
// up to the TAB before its hash).
#include "gdprkit/deletion_log.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/redact.h"
#include "common/sv.h"

namespace gdprkit {
namespace {

using internal::AV;

constexpr std::string_view kMagic = "gdprkit-deletion-log";
constexpr std::size_t kHashBytes = 32;
constexpr std::size_t kMaxRecordId = 1024;
constexpr std::size_t kMaxRuleId = 256;
constexpr std::size_t kMaxLine = 16 * 1024;
constexpr std::int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z

absl::Status ErrnoStatus(int err, std::string_view what, std::string_view path) {
  const std::string msg = absl::StrCat(AV(what), " ", AV(path), ": ", std::strerror(err));
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(msg);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(msg);
    case EISDIR:
      return absl::InvalidArgumentError(msg);
    case ENOSPC:
    case EDQUOT:
      return absl::ResourceExhaustedError(msg);
    default:
      return absl::InternalError(msg);
  }
}

std::string Hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

bool FromHex(std::string_view hex, unsigned char* out, std::size_t n) {
  if (hex.size() != n * 2) return false;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;  // lower case only
  }
  std::size_t written = 0;
  return sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &written, nullptr) == 0 &&
         written == n;
}

void Hash(const unsigned char* key, std::size_t key_size, const unsigned char* prev,
          std::string_view body, unsigned char out[kHashBytes]) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, key, key_size, kHashBytes);
  if (prev != nullptr) crypto_generichash_update(&st, prev, kHashBytes);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  crypto_generichash_final(&st, out, kHashBytes);
}

// A fingerprint of the key for the header: tells "wrong key" from "tampered".
std::string KeyId(const unsigned char* key, std::size_t key_size) {
  static constexpr std::string_view kLabel = "gdprkit deletion log key id v1";
  unsigned char out[8];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(kLabel.data()),
                     kLabel.size(), key, key_size);
  return Hex(out, sizeof out);
}

bool ValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

bool NeedsEscape(unsigned char c) { return c < 0x20 || c == 0x7f || c == '%'; }

std::string Escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (NeedsEscape(c)) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

// Decodes %XX; refuses what Escape would not have written.
bool Unescape(std::string_view s, std::string* out) {
  out->clear();
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (NeedsEscape(c) && c != '%') return false;
    if (c != '%') {
      *out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return false;
    auto val = [](char h) -> int {
      if (h >= '0' && h <= '9') return h - '0';
      if (h >= 'A' && h <= 'F') return h - 'A' + 10;
      return -1;
    };
    const int hi = val(s[i + 1]), lo = val(s[i + 2]);
    if (hi < 0 || lo < 0) return false;
    const unsigned char d = static_cast<unsigned char>(hi * 16 + lo);
    if (!NeedsEscape(d)) return false;
    *out += static_cast<char>(d);
    i += 2;
  }
  return true;
}

std::string FormatInstant(std::int64_t s) {
  const std::int64_t days = s / 86400;
  const std::int64_t rem = s % 86400;
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(rem / 3600),
                static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  return FormatDate(static_cast<DayNumber>(days)) + buf;
}

bool ParseInstant(std::string_view t, std::int64_t* out) {
  if (t.size() != 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z') {
    return false;
  }
  absl::StatusOr<DayNumber> d = ParseDate(t.substr(0, 10));
  if (!d.ok()) return false;
  int v[3];
  for (int k = 0; k < 3; ++k) {
    const char a = t[11 + 3 * k], b = t[12 + 3 * k];
    if (a < '0' || a > '9' || b < '0' || b > '9') return false;
    v[k] = (a - '0') * 10 + (b - '0');
  }
  if (v[0] > 23 || v[1] > 59 || v[2] > 59) return false;
  *out = static_cast<std::int64_t>(*d) * 86400 + v[0] * 3600 + v[1] * 60 + v[2];
  return *out >= 0;
}

// Checks a deletion; `at` prefixes the field names ("deletions[3].").
absl::Status CheckDeletion(const DeletionRecord& d, const std::string& at) {
  auto bad = [&](std::string_view field, std::string msg) {
    return absl::InvalidArgumentError(absl::StrCat("deletion ", at, AV(field), ": ", msg));
  };
  if (d.record_id.empty()) return bad("record_id", "empty");
  if (d.record_id.size() > kMaxRecordId) {
    return bad("record_id", absl::StrCat(d.record_id.size(), " bytes; at most ", kMaxRecordId));
  }
  if (!ValidUtf8(d.record_id)) return bad("record_id", "not valid UTF-8");
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
  if (!ValidUtf8(d.rule_id)) return bad("rule_id", "not valid UTF-8");
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

// The chain as verified so far.
struct Chain {
  bool header_done = false;
  std::string log_id;
  bool keyed = false;
  unsigned char head[kHashBytes] = {};
  std::int64_t seq = 0;
  std::int64_t end = 0;  // offset after the last verified line
  int line = 0;          // lines verified
};

struct Break {
  bool broken = false;
  std::int64_t entry = 0;
  int line = 0;
  std::string problem;
};

// Verifies one complete line (without its '\n'). Returns a non-OK status only
// for key mismatches (usage errors); chain breaks go to *brk.
absl::Status VerifyLine(std::string_view line, const unsigned char* key, std::size_t key_size,
                        Chain* chain, Break* brk, DeletionLogEntry* entry) {
  const int line_no = chain->line + 1;
  auto broken = [&](std::int64_t seq, std::string problem) {
    brk->broken = true;
    brk->entry = seq;
    brk->line = line_no;
    brk->problem = std::move(problem);
    return absl::OkStatus();
  };
  if (!chain->header_done) {
    // gdprkit-deletion-log \t 1 \t <log id> \t plain|keyed:<key id>
    std::vector<std::string_view> f;
    std::size_t start = 0;
    while (true) {
      const std::size_t tab = line.find('\t', start);
      f.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    unsigned char id[16];
    if (f.size() != 4 || f[0] != kMagic) {
      return broken(0, "not a gdprkit deletion log header");
    }
    if (f[1] != "1") return broken(0, absl::StrCat("unsupported format version ", AV(f[1])));
    if (!FromHex(f[2], id, sizeof id)) return broken(0, "malformed log id");
    const std::string_view mode = f[3];
    if (mode == "plain") {
      if (key != nullptr) {
        return absl::FailedPreconditionError(
            "this deletion log is not keyed; open or verify it without a key");
      }
    } else if (mode.substr(0, 6) == "keyed:") {
      unsigned char kid[8];
      if (!FromHex(mode.substr(6), kid, sizeof kid)) return broken(0, "malformed key id");
      if (key == nullptr) {
        return absl::FailedPreconditionError(
            "this deletion log is keyed; give its key to open or verify it");
      }
      if (KeyId(key, key_size) != mode.substr(6)) {
        return absl::FailedPreconditionError(
            "the key given is not this deletion log's key (the key id differs)");
      }
      chain->keyed = true;
    } else {
      return broken(0, "unknown hashing mode in the header");
    }
    chain->log_id = std::string(f[2]);
    Hash(key, key_size, nullptr, line, chain->head);
    chain->header_done = true;
    chain->line = line_no;
    return absl::OkStatus();
  }

  const std::int64_t want_seq = chain->seq + 1;
  const std::size_t last_tab = line.rfind('\t');
  if (last_tab == std::string_view::npos) return broken(want_seq, "malformed entry: no fields");
  const std::string_view body = line.substr(0, last_tab);
  unsigned char stored[kHashBytes];
  if (!FromHex(line.substr(last_tab + 1), stored, kHashBytes)) {
    return broken(want_seq, "malformed entry: the hash is not 64 lower-case hex digits");
  }
  unsigned char computed[kHashBytes];
  Hash(key, key_size, chain->head, body, computed);
  if (sodium_memcmp(computed, stored, kHashBytes) != 0) {
    return broken(want_seq,
                  "hash does not match: this entry, or the chain before it, was altered, "
                  "removed or reordered");
  }
  std::vector<std::string_view> f;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = body.find('\t', start);
    f.push_back(body.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  if (f.size() != 5)
    return broken(want_seq, absl::StrCat("malformed entry: ", f.size() + 1, " fields; expected 6"));
  if (f[0] != std::to_string(want_seq)) {
    return broken(want_seq, absl::StrCat("sequence number ", AV(f[0]).substr(0, 20), "; expected ",
                                         want_seq));
  }
  DeletionLogEntry e;
  e.seq = want_seq;
  e.line = line_no;
  if (!Unescape(f[1], &e.deletion.record_id) || e.deletion.record_id.empty()) {
    return broken(want_seq, "malformed record id");
  }
  if (!Unescape(f[2], &e.deletion.rule_id)) return broken(want_seq, "malformed rule id");
  if (f[3] != "-") {
    absl::StatusOr<DayNumber> due = ParseDate(f[3]);
    if (!due.ok()) return broken(want_seq, "malformed due date");
    e.deletion.due_date = *due;
  }
  if (!ParseInstant(f[4], &e.deletion.deleted_at)) {
    return broken(want_seq, "malformed deletion time");
  }
  e.hash = Hex(stored, kHashBytes);
  std::memcpy(chain->head, computed, kHashBytes);
  chain->seq = want_seq;
  chain->line = line_no;
  if (entry != nullptr) *entry = std::move(e);
  return absl::OkStatus();
}

// Reads complete lines of `fd` from chain->end to the end of the file and
// verifies them, stopping at the first break. Calls on_entry for each entry
// that verified, on_head for each verified hash (header included).
template <typename OnEntry, typename OnHead>
absl::Status Scan(int fd, std::string_view path, const unsigned char* key, std::size_t key_size,
                  Chain* chain, Break* brk, OnEntry on_entry, OnHead on_head) {
  std::string pending;
  std::vector<char> buf(1 << 16);
  std::int64_t offset = chain->end;
  bool want_entries = true;
  while (!brk->broken) {
    const ssize_t n = ::pread(fd, buf.data(), buf.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "cannot read deletion log", path);
    }
    if (n == 0) break;
    offset += n;
    std::size_t from = 0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(n) && !brk->broken; ++i) {
      if (buf[i] != '\n') continue;
      std::string_view line;
      if (pending.empty()) {
        line = std::string_view(buf.data() + from, i - from);
      } else {
        pending.append(buf.data() + from, i - from);
        line = pending;
      }
      if (line.size() > kMaxLine) {
        brk->broken = true;
        brk->entry = chain->header_done ? chain->seq + 1 : 0;
        brk->line = chain->line + 1;
        brk->problem = "line too long";
        break;
      }
      DeletionLogEntry e;
      absl::Status st = VerifyLine(line, key, key_size, chain, brk, want_entries ? &e : nullptr);
      if (!st.ok()) return st;
      if (!brk->broken) {
        chain->end += static_cast<std::int64_t>(line.size()) + 1;
        if (e.seq > 0) on_entry(std::move(e));
        on_head(chain->head);
      }
      pending.clear();
      from = i + 1;
    }
    if (brk->broken) break;
    pending.append(buf.data() + from, static_cast<std::size_t>(n) - from);
    if (pending.size() > kMaxLine) {
      brk->broken = true;
      brk->entry = chain->header_done ? chain->seq + 1 : 0;
      brk->line = chain->line + 1;
      brk->problem = "line too long";
    }
  }
  if (!brk->broken && !pending.empty()) {
    brk->broken = true;
    brk->entry = chain->header_done ? chain->seq + 1 : 0;
    brk->line = chain->line + 1;
    brk->problem = "incomplete last line (no line end): a write was interrupted";
  }
  if (!brk->broken && !chain->header_done) {
    brk->broken = true;
    brk->entry = 0;
    brk->line = 1;
    brk->problem = "empty file: no header";
  }
  return absl::OkStatus();
}

absl::Status BrokenStatus(std::string_view path, const Break& b) {
  return absl::DataLossError(
      absl::StrCat("deletion log ", AV(path), ": ",
                   b.entry == 0 ? std::string("header") : absl::StrCat("entry ", b.entry),
                   " (line ", b.line, ") is broken: ", b.problem));
}

absl::Status CheckKeySize(std::string_view key) {
  if (!key.empty() && (key.size() < crypto_generichash_KEYBYTES_MIN ||
                       key.size() > crypto_generichash_KEYBYTES_MAX)) {
    return absl::InvalidArgumentError(
        absl::StrCat("deletion log key is ", key.size(), " bytes; it must have ",
                     crypto_generichash_KEYBYTES_MIN, "-", crypto_generichash_KEYBYTES_MAX));
  }
  return absl::OkStatus();
}

absl::Status InitSodium() {
  if (sodium_init() < 0) return absl::InternalError("libsodium could not be initialised");
  return absl::OkStatus();
}

// Holds an exclusive flock for its lifetime.
class FileLock {
 public:
  explicit FileLock(int fd) : fd_(fd) {
    while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  ~FileLock() { ::flock(fd_, LOCK_UN); }

 private:
  int fd_;
};

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<DeletionLog>> DeletionLog::Open(const std::string& path,
                                                               const DeletionLogOptions& options) {
  if (absl::Status st = InitSodium(); !st.ok()) return st;
  if (absl::Status st = CheckKeySize(options.key); !st.ok()) return st;
  if (path.empty()) return absl::InvalidArgumentError("deletion log path is empty");
  std::unique_ptr<DeletionLog> log(new DeletionLog());
  log->path_ = path;
  log->sync_ = options.sync;
  if (!options.key.empty()) {
    log->key_ = static_cast<unsigned char*>(sodium_malloc(options.key.size()));
    if (log->key_ == nullptr) return absl::ResourceExhaustedError("cannot allocate guarded memory");
    std::memcpy(log->key_, options.key.data(), options.key.size());
    log->key_size_ = options.key.size();
    sodium_mprotect_readonly(log->key_);
  }
  log->fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log->fd_ < 0) return ErrnoStatus(errno, "cannot open deletion log", path);
  struct stat st;
  if (::fstat(log->fd_, &st) != 0) return ErrnoStatus(errno, "cannot stat deletion log", path);
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("deletion log ", path, " is not a regular file"));
  }
  FileLock lock(log->fd_);
  if (::fstat(log->fd_, &st) != 0) return ErrnoStatus(errno, "cannot stat deletion log", path);
  if (st.st_size == 0) {
    unsigned char id[16];
    randombytes_buf(id, sizeof id);
    const std::string mode =
        log->key_ ? absl::StrCat("keyed:", KeyId(log->key_, log->key_size_)) : "plain";
    const std::string header =
        absl::StrCat(AV(kMagic), "\t1\t", Hex(id, sizeof id), "\t", mode, "\n");
    if (!WriteAll(log->fd_, header)) {
      const int err = errno;
      (void)::ftruncate(log->fd_, 0);
      return ErrnoStatus(err, "cannot write deletion log", path);
    }
    if (log->sync_ && ::fsync(log->fd_) != 0) {
      return ErrnoStatus(errno, "cannot sync deletion log", path);
    }
  }
  Chain chain;
  Break brk;
  absl::Status scan = Scan(
      log->fd_, path, log->key_, log->key_size_, &chain, &brk, [](DeletionLogEntry&&) {},
      [](const unsigned char*) {});
  if (!scan.ok()) return scan;
  if (brk.broken) return BrokenStatus(path, brk);
  log->log_id_ = chain.log_id;
  log->seq_ = chain.seq;
  std::memcpy(log->head_, chain.head, kHashBytes);
  log->end_ = chain.end;
  return log;
}

DeletionLog::~DeletionLog() {
  if (fd_ >= 0) ::close(fd_);
  if (key_ != nullptr) sodium_free(key_);  // wipes
}

std::int64_t DeletionLog::entries() const {
  std::lock_guard<std::mutex> l(mu_);
  return seq_;
}

std::string DeletionLog::head() const {
  std::lock_guard<std::mutex> l(mu_);
  return Hex(head_, kHashBytes);
}

absl::Status DeletionLog::CatchUp() {
  struct stat st;
  if (::fstat(fd_, &st) != 0) return ErrnoStatus(errno, "cannot stat deletion log", path_);
  if (st.st_size == end_) return absl::OkStatus();
  if (st.st_size < end_) {
    return absl::DataLossError(absl::StrCat("deletion log ", path_, " shrank from ", end_, " to ",
                                            st.st_size, " bytes since it was read"));
  }
  Chain chain;
  chain.header_done = true;
  chain.log_id = log_id_;
  chain.keyed = key_ != nullptr;
  std::memcpy(chain.head, head_, kHashBytes);
  chain.seq = seq_;
  chain.end = end_;
  chain.line = static_cast<int>(seq_ + 1);
  Break brk;
  absl::Status scan = Scan(
      fd_, path_, key_, key_size_, &chain, &brk, [](DeletionLogEntry&&) {},
      [](const unsigned char*) {});
  if (!scan.ok()) return scan;
  if (brk.broken) return BrokenStatus(path_, brk);
  seq_ = chain.seq;
  std::memcpy(head_, chain.head, kHashBytes);
  end_ = chain.end;
  return absl::OkStatus();
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
  for (std::size_t i = 0; i < deletions.size(); ++i) {
    if (absl::Status st = CheckDeletion(deletions[i], absl::StrCat("deletions[", i, "]."));
        !st.ok()) {
      return st;
    }
  }
  std::vector<DeletionLogEntry> out;
  if (deletions.empty()) return out;
  std::lock_guard<std::mutex> l(mu_);
  FileLock lock(fd_);
  if (absl::Status st = CatchUp(); !st.ok()) return st;

  std::string data;
  unsigned char head[kHashBytes];
  std::memcpy(head, head_, kHashBytes);
  std::int64_t seq = seq_;
  for (const DeletionRecord& d : deletions) {
    ++seq;
    const std::string body =
        absl::StrCat(seq, "\t", Escape(d.record_id), "\t", Escape(d.rule_id), "\t",
                     d.due_date == kNoDate ? std::string("-") : FormatDate(d.due_date), "\t",
                     FormatInstant(d.deleted_at));
    unsigned char h[kHashBytes];
    Hash(key_, key_size_, head, body, h);
    std::memcpy(head, h, kHashBytes);
    DeletionLogEntry e;
    e.seq = seq;
    e.deletion = d;
    e.hash = Hex(h, kHashBytes);
    e.line = static_cast<int>(seq + 1);
    absl::StrAppend(&data, body, "\t", e.hash, "\n");
    out.push_back(std::move(e));
  }
  if (!WriteAll(fd_, data)) {
    const int err = errno;
    // Leave no partial line behind.
    (void)::ftruncate(fd_, end_);
    return ErrnoStatus(err, "cannot write deletion log", path_);
  }
  if (sync_ && ::fsync(fd_) != 0) {
    const int err = errno;
    (void)::ftruncate(fd_, end_);
    return ErrnoStatus(err, "cannot sync deletion log", path_);
  }
  seq_ = seq;
  std::memcpy(head_, head, kHashBytes);
  end_ += static_cast<std::int64_t>(data.size());
  return out;
}

namespace {

absl::StatusOr<int> OpenForReading(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open deletion log", path);
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat("deletion log ", path, " is not a regular file"));
  }
  return fd;
}

}  // namespace

absl::StatusOr<DeletionLogVerification> VerifyDeletionLog(const std::string& path,
                                                          const DeletionLogOptions& options,
                                                          std::string_view expected_head) {
  if (absl::Status st = InitSodium(); !st.ok()) return st;
  if (absl::Status st = CheckKeySize(options.key); !st.ok()) return st;
  unsigned char expected[kHashBytes];
  const bool want_head = !expected_head.empty();
  if (want_head && !FromHex(expected_head, expected, kHashBytes)) {
    return absl::InvalidArgumentError("expected head must be 64 lower-case hex digits");
  }
  absl::StatusOr<int> fd = OpenForReading(path);
  if (!fd.ok()) return fd.status();
  Chain chain;
  Break brk;
  bool head_seen = false;
  const auto* key = reinterpret_cast<const unsigned char*>(options.key.data());
  absl::Status scan = Scan(
      *fd, path, options.key.empty() ? nullptr : key, options.key.size(), &chain, &brk,
      [](DeletionLogEntry&&) {},
      [&](const unsigned char* h) {
        if (want_head && sodium_memcmp(h, expected, kHashBytes) == 0) head_seen = true;
      });
  ::close(*fd);
  if (!scan.ok()) return scan;
  DeletionLogVerification v;
  v.entries = chain.seq;
  v.head = Hex(chain.head, kHashBytes);
  v.log_id = chain.log_id;
  v.keyed = chain.keyed;
  if (brk.broken) {
    v.first_broken_entry = brk.entry;
    v.first_broken_line = brk.line;
    v.problem = brk.problem;
    if (!chain.header_done) v.head.clear();
  } else if (want_head && !head_seen) {
    v.first_broken_entry = chain.seq + 1;
    v.first_broken_line = static_cast<int>(chain.seq + 2);
    v.problem =
        "the expected head hash is not in the log: it was cut short after this point or "
        "replaced";
  } else {
    v.intact = true;
    v.first_broken_entry = -1;
  }
  return v;
}

absl::StatusOr<std::vector<DeletionLogEntry>> ReadDeletionLog(const std::string& path,
                                                              const DeletionLogOptions& options) {
  if (absl::Status st = InitSodium(); !st.ok()) return st;
  if (absl::Status st = CheckKeySize(options.key); !st.ok()) return st;
  absl::StatusOr<int> fd = OpenForReading(path);
  if (!fd.ok()) return fd.status();
  Chain chain;
  Break brk;
  std::vector<DeletionLogEntry> entries;
  const auto* key = reinterpret_cast<const unsigned char*>(options.key.data());
  absl::Status scan = Scan(
      *fd, path, options.key.empty() ? nullptr : key, options.key.size(), &chain, &brk,
      [&](DeletionLogEntry&& e) { entries.push_back(std::move(e)); }, [](const unsigned char*) {});
  ::close(*fd);
  if (!scan.ok()) return scan;
  if (brk.broken) return BrokenStatus(path, brk);
  return entries;
}

}  // namespace gdprkit
