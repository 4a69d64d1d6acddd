// The hash-chained line file shared by the deletion and release logs
// (common/hash_chain.h; the format is described there).
#include "common/hash_chain.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/sv.h"

namespace gdprkit::internal {
namespace {

constexpr std::size_t kMaxLine = 16 * 1024;

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

const unsigned char* KeyBytes(std::string_view key) {
  return key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data());
}

void Hash(std::string_view key, const unsigned char* prev, std::string_view body,
          unsigned char out[kChainHashBytes]) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, KeyBytes(key), key.size(), kChainHashBytes);
  if (prev != nullptr) crypto_generichash_update(&st, prev, kChainHashBytes);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  crypto_generichash_final(&st, out, kChainHashBytes);
}

// A fingerprint of the key for the header: tells "wrong key" from "tampered".
std::string KeyId(const ChainKind& kind, std::string_view key) {
  const std::string label = absl::StrCat("gdprkit ", AV(kind.noun), " key id v1");
  unsigned char out[8];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(label.data()),
                     label.size(), KeyBytes(key), key.size());
  return Hex(out, sizeof out);
}

bool NeedsEscape(unsigned char c) { return c < 0x20 || c == 0x7f || c == '%'; }

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> f;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    f.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return f;
}

// "gdprkit-deletion-log" -> "gdprkit deletion log" when `magic` is the magic
// of some gdprkit chain file; "" otherwise.
std::string ChainNoun(std::string_view magic) {
  if (magic.size() > 40 || magic.substr(0, 8) != "gdprkit-" || magic.size() < 13 ||
      magic.substr(magic.size() - 4) != "-log") {
    return "";
  }
  std::string out(magic);
  for (char& c : out) {
    if (c == '-') {
      c = ' ';
    } else if (c < 'a' || c > 'z') {
      return "";
    }
  }
  return out;
}

// A chain break: where, and what is wrong there.
struct Break {
  bool broken = false;
  std::int64_t entry = 0;
  int line = 0;
  std::string problem;
};

// The chain as verified so far.
struct Cursor {
  bool header_done = false;
  ChainState state;
  int line = 0;  // lines verified
};

// Verifies one complete line (without its '\n'). Returns a non-OK status only
// for usage errors (keys, another kind of file); chain breaks go to *brk.
absl::Status VerifyLine(const ChainFile& file, std::string_view line, Cursor* cur, Break* brk) {
  const ChainKind& kind = *file.kind;
  const int line_no = cur->line + 1;
  auto broken = [&](std::int64_t seq, std::string problem) {
    brk->broken = true;
    brk->entry = seq;
    brk->line = line_no;
    brk->problem = std::move(problem);
    return absl::OkStatus();
  };
  if (!cur->header_done) {
    // <magic> \t 1 \t <log id> \t plain|keyed:<key id>
    const std::vector<std::string_view> f = SplitTabs(line);
    unsigned char id[16];
    if (f.size() == 4 && f[0] != kind.magic) {
      if (const std::string other = ChainNoun(f[0]); !other.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(AV(file.path), " is not a gdprkit ",
                                                       AV(kind.noun), " (it is a ", other, ")"));
      }
    }
    if (f.size() != 4 || f[0] != kind.magic) {
      return broken(0, absl::StrCat("not a gdprkit ", AV(kind.noun), " header"));
    }
    if (f[1] != "1") return broken(0, absl::StrCat("unsupported format version ", AV(f[1])));
    if (!FromHex(f[2], id, sizeof id)) return broken(0, "malformed log id");
    const std::string_view mode = f[3];
    if (mode == "plain") {
      if (!file.key.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat("this ", AV(kind.noun), " is not keyed; open or verify it without a key"));
      }
    } else if (mode.substr(0, 6) == "keyed:") {
      unsigned char kid[8];
      if (!FromHex(mode.substr(6), kid, sizeof kid)) return broken(0, "malformed key id");
      if (file.key.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat("this ", AV(kind.noun), " is keyed; give its key to open or verify it"));
      }
      if (KeyId(kind, file.key) != mode.substr(6)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the key given is not this ", AV(kind.noun), "'s key (the key id differs)"));
      }
      cur->state.keyed = true;
    } else {
      return broken(0, "unknown hashing mode in the header");
    }
    cur->state.log_id = std::string(f[2]);
    Hash(file.key, nullptr, line, cur->state.head);
    cur->header_done = true;
    cur->line = line_no;
    return absl::OkStatus();
  }

  const std::int64_t want_seq = cur->state.seq + 1;
  const std::size_t last_tab = line.rfind('\t');
  if (last_tab == std::string_view::npos) return broken(want_seq, "malformed entry: no fields");
  const std::string_view body = line.substr(0, last_tab);
  unsigned char stored[kChainHashBytes];
  if (!FromHex(line.substr(last_tab + 1), stored, kChainHashBytes)) {
    return broken(want_seq, "malformed entry: the hash is not 64 lower-case hex digits");
  }
  unsigned char computed[kChainHashBytes];
  Hash(file.key, cur->state.head, body, computed);
  if (sodium_memcmp(computed, stored, kChainHashBytes) != 0) {
    return broken(want_seq,
                  "hash does not match: this entry, or the chain before it, was altered, "
                  "removed or reordered");
  }
  std::vector<std::string_view> f = SplitTabs(body);
  if (f.size() != kind.fields + 1) {
    return broken(want_seq, absl::StrCat("malformed entry: ", f.size() + 1, " fields; expected ",
                                         kind.fields + 2));
  }
  if (f[0] != std::to_string(want_seq)) {
    return broken(want_seq, absl::StrCat("sequence number ", AV(f[0]).substr(0, 20), "; expected ",
                                         want_seq));
  }
  ChainEntry e;
  e.seq = want_seq;
  e.line = line_no;
  e.fields.assign(f.begin() + 1, f.end());
  e.hash = Hex(stored, kChainHashBytes);
  if (std::string problem = file.read ? file.read(e) : std::string(); !problem.empty()) {
    return broken(want_seq, std::move(problem));
  }
  std::memcpy(cur->state.head, computed, kChainHashBytes);
  cur->state.seq = want_seq;
  cur->line = line_no;
  return absl::OkStatus();
}

// Reads complete lines of `fd` from cur->state.end to the end of the file and
// verifies them, stopping at the first break. Calls on_head for each verified
// hash (header included).
template <typename OnHead>
absl::Status Scan(const ChainFile& file, int fd, Cursor* cur, Break* brk, OnHead on_head) {
  std::string pending;
  std::vector<char> buf(1 << 16);
  std::int64_t offset = cur->state.end;
  auto too_long = [&] {
    brk->broken = true;
    brk->entry = cur->header_done ? cur->state.seq + 1 : 0;
    brk->line = cur->line + 1;
    brk->problem = "line too long";
  };
  while (!brk->broken) {
    const ssize_t n = ::pread(fd, buf.data(), buf.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, absl::StrCat("cannot read ", AV(file.kind->noun)), file.path);
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
        too_long();
        break;
      }
      if (absl::Status st = VerifyLine(file, line, cur, brk); !st.ok()) return st;
      if (!brk->broken) {
        cur->state.end += static_cast<std::int64_t>(line.size()) + 1;
        on_head(cur->state.head);
      }
      pending.clear();
      from = i + 1;
    }
    if (brk->broken) break;
    pending.append(buf.data() + from, static_cast<std::size_t>(n) - from);
    if (pending.size() > kMaxLine) too_long();
  }
  if (!brk->broken && !pending.empty()) {
    brk->broken = true;
    brk->entry = cur->header_done ? cur->state.seq + 1 : 0;
    brk->line = cur->line + 1;
    brk->problem = "incomplete last line (no line end): a write was interrupted";
  }
  if (!brk->broken && !cur->header_done) {
    brk->broken = true;
    brk->entry = 0;
    brk->line = 1;
    brk->problem = "empty file: no header";
  }
  return absl::OkStatus();
}

absl::Status BrokenStatus(const ChainFile& file, const Break& b) {
  return absl::DataLossError(
      absl::StrCat(AV(file.kind->noun), " ", AV(file.path), ": ",
                   b.entry == 0 ? std::string("header") : absl::StrCat("entry ", b.entry),
                   " (line ", b.line, ") is broken: ", b.problem));
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
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

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

// Closes a descriptor unless released.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

absl::StatusOr<int> OpenForReading(const ChainFile& file) {
  const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return ErrnoStatus(errno, absl::StrCat("cannot open ", AV(file.kind->noun)), file.path);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat(AV(file.kind->noun), " ", file.path, " is not a regular file"));
  }
  return fd;
}

absl::Status Prepare(const ChainFile& file) {
  if (absl::Status st = InitSodium(); !st.ok()) return st;
  return CheckChainKey(*file.kind, file.key);
}

}  // namespace

absl::Status CheckChainKey(const ChainKind& kind, std::string_view key) {
  if (!key.empty() && (key.size() < crypto_generichash_KEYBYTES_MIN ||
                       key.size() > crypto_generichash_KEYBYTES_MAX)) {
    return absl::InvalidArgumentError(
        absl::StrCat(AV(kind.noun), " key is ", key.size(), " bytes; it must have ",
                     crypto_generichash_KEYBYTES_MIN, "-", crypto_generichash_KEYBYTES_MAX));
  }
  return absl::OkStatus();
}

unsigned char* GuardKey(std::string_view key) {
  if (sodium_init() < 0 || key.empty()) return nullptr;
  auto* out = static_cast<unsigned char*>(sodium_malloc(key.size()));
  if (out == nullptr) return nullptr;
  std::memcpy(out, key.data(), key.size());
  sodium_mprotect_readonly(out);
  return out;
}

void FreeGuardedKey(unsigned char* key) {
  if (key != nullptr) sodium_free(key);  // wipes
}

std::string ChainHex(const unsigned char hash[kChainHashBytes]) {
  return Hex(hash, kChainHashBytes);
}

absl::StatusOr<int> OpenChain(const ChainFile& file, bool sync, ChainState* state) {
  if (absl::Status st = Prepare(file); !st.ok()) return st;
  const std::string_view noun = file.kind->noun;
  if (file.path.empty())
    return absl::InvalidArgumentError(absl::StrCat(AV(noun), " path is empty"));
  const int raw = ::open(file.path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (raw < 0) return ErrnoStatus(errno, absl::StrCat("cannot open ", AV(noun)), file.path);
  FdCloser closer(raw);
  struct stat st;
  if (::fstat(raw, &st) != 0) {
    return ErrnoStatus(errno, absl::StrCat("cannot stat ", AV(noun)), file.path);
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat(AV(noun), " ", file.path, " is not a regular file"));
  }
  FileLock lock(raw);
  if (::fstat(raw, &st) != 0) {
    return ErrnoStatus(errno, absl::StrCat("cannot stat ", AV(noun)), file.path);
  }
  if (st.st_size == 0) {
    unsigned char id[16];
    randombytes_buf(id, sizeof id);
    const std::string mode = file.key.empty() ? std::string("plain")
                                              : absl::StrCat("keyed:", KeyId(*file.kind, file.key));
    const std::string header =
        absl::StrCat(AV(file.kind->magic), "\t1\t", Hex(id, sizeof id), "\t", mode, "\n");
    if (!WriteAll(raw, header)) {
      const int err = errno;
      (void)::ftruncate(raw, 0);
      return ErrnoStatus(err, absl::StrCat("cannot write ", AV(noun)), file.path);
    }
    if (sync && ::fsync(raw) != 0) {
      return ErrnoStatus(errno, absl::StrCat("cannot sync ", AV(noun)), file.path);
    }
  }
  Cursor cur;
  Break brk;
  if (absl::Status s = Scan(file, raw, &cur, &brk, [](const unsigned char*) {}); !s.ok()) return s;
  if (brk.broken) return BrokenStatus(file, brk);
  *state = std::move(cur.state);
  return closer.release();
}

absl::StatusOr<std::vector<std::string>> AppendChain(
    const ChainFile& file, int fd, bool sync, const std::vector<std::vector<std::string>>& entries,
    ChainState* state) {
  const std::string_view noun = file.kind->noun;
  for (const std::vector<std::string>& fields : entries) {
    bool clean = fields.size() == file.kind->fields;
    for (const std::string& f : fields) {
      clean = clean && f.find_first_of("\t\n\r") == std::string::npos;
    }
    if (!clean) {
      return absl::InternalError(
          absl::StrCat(AV(noun), ": an entry's fields are not as its format says (a bug)"));
    }
  }
  std::vector<std::string> hashes;
  if (entries.empty()) return hashes;
  FileLock lock(fd);
  // Catch up with other writers.
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    return ErrnoStatus(errno, absl::StrCat("cannot stat ", AV(noun)), file.path);
  }
  if (st.st_size < state->end) {
    return absl::DataLossError(absl::StrCat(AV(noun), " ", file.path, " shrank from ", state->end,
                                            " to ", st.st_size, " bytes since it was read"));
  }
  if (st.st_size > state->end) {
    Cursor cur;
    cur.header_done = true;
    cur.state = *state;
    cur.line = static_cast<int>(state->seq + 1);
    Break brk;
    if (absl::Status s = Scan(file, fd, &cur, &brk, [](const unsigned char*) {}); !s.ok()) {
      return s;
    }
    if (brk.broken) return BrokenStatus(file, brk);
    *state = std::move(cur.state);
  }

  std::string data;
  unsigned char head[kChainHashBytes];
  std::memcpy(head, state->head, kChainHashBytes);
  std::int64_t seq = state->seq;
  for (const std::vector<std::string>& fields : entries) {
    ++seq;
    std::string body = std::to_string(seq);
    for (const std::string& f : fields) absl::StrAppend(&body, "\t", f);
    Hash(file.key, head, body, head);
    hashes.push_back(Hex(head, kChainHashBytes));
    absl::StrAppend(&data, body, "\t", hashes.back(), "\n");
  }
  if (!WriteAll(fd, data)) {
    const int err = errno;
    (void)::ftruncate(fd, state->end);  // leave no partial line behind
    return ErrnoStatus(err, absl::StrCat("cannot write ", AV(noun)), file.path);
  }
  if (sync && ::fsync(fd) != 0) {
    const int err = errno;
    (void)::ftruncate(fd, state->end);
    return ErrnoStatus(err, absl::StrCat("cannot sync ", AV(noun)), file.path);
  }
  state->seq = seq;
  std::memcpy(state->head, head, kChainHashBytes);
  state->end += static_cast<std::int64_t>(data.size());
  return hashes;
}

absl::StatusOr<ChainVerification> VerifyChain(const ChainFile& file,
                                              std::string_view expected_head) {
  if (absl::Status st = Prepare(file); !st.ok()) return st;
  unsigned char expected[kChainHashBytes];
  const bool want_head = !expected_head.empty();
  if (want_head && !FromHex(expected_head, expected, kChainHashBytes)) {
    return absl::InvalidArgumentError("expected head must be 64 lower-case hex digits");
  }
  absl::StatusOr<int> fd = OpenForReading(file);
  if (!fd.ok()) return fd.status();
  FdCloser closer(*fd);
  Cursor cur;
  Break brk;
  bool head_seen = false;
  absl::Status scan = Scan(file, *fd, &cur, &brk, [&](const unsigned char* h) {
    if (want_head && sodium_memcmp(h, expected, kChainHashBytes) == 0) head_seen = true;
  });
  if (!scan.ok()) return scan;
  ChainVerification v;
  v.entries = cur.state.seq;
  v.head = Hex(cur.state.head, kChainHashBytes);
  v.log_id = cur.state.log_id;
  v.keyed = cur.state.keyed;
  if (brk.broken) {
    v.first_broken_entry = brk.entry;
    v.first_broken_line = brk.line;
    v.problem = brk.problem;
    if (!cur.header_done) v.head.clear();
  } else if (want_head && !head_seen) {
    v.first_broken_entry = cur.state.seq + 1;
    v.first_broken_line = static_cast<int>(cur.state.seq + 2);
    v.problem =
        "the expected head hash is not in the log: it was cut short after this point or "
        "replaced";
  } else {
    v.intact = true;
    v.first_broken_entry = -1;
  }
  return v;
}

absl::Status ReadChain(const ChainFile& file) {
  if (absl::Status st = Prepare(file); !st.ok()) return st;
  absl::StatusOr<int> fd = OpenForReading(file);
  if (!fd.ok()) return fd.status();
  FdCloser closer(*fd);
  Cursor cur;
  Break brk;
  if (absl::Status s = Scan(file, *fd, &cur, &brk, [](const unsigned char*) {}); !s.ok()) return s;
  if (brk.broken) return BrokenStatus(file, brk);
  return absl::OkStatus();
}

std::string EscapeField(std::string_view s) {
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

bool UnescapeField(std::string_view s, std::string* out) {
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

std::string FormatInstant(std::int64_t seconds) {
  if (seconds < 0 || seconds > kMaxChainSeconds) return "";
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (::gmtime_r(&t, &tm) == nullptr) return "";
  char buf[96];  // room for any int, which the compiler cannot rule out
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

bool ParseInstant(std::string_view t, std::int64_t* seconds) {
  // YYYY-MM-DDTHH:MM:SSZ
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (t.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (kShape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != kShape[i]) return false;
  }
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(5, 2) - 1;
  tm.tm_mday = num(8, 2);
  tm.tm_hour = num(11, 2);
  tm.tm_min = num(14, 2);
  tm.tm_sec = num(17, 2);
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 59) {
    return false;
  }
  const std::int64_t s = static_cast<std::int64_t>(::timegm(&tm));
  // timegm normalises a day past the month's end: a round trip refuses it.
  if (s < 0 || s > kMaxChainSeconds || FormatInstant(s) != t) return false;
  *seconds = s;
  return true;
}

}  // namespace gdprkit::internal
