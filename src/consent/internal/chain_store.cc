// The hash-chained SQLite store (consent/internal/chain_store.h: the format
// is described there).
#include "consent/internal/chain_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/hash_chain.h"
#include "common/status_macros.h"
#include "common/sv.h"

namespace gdprkit::internal {

namespace {

constexpr std::string_view kCommitTag = "gdprkit chain commit v1";
constexpr std::string_view kNoneTag = "gdprkit chain commit v1 none";

// The kinds this library writes, to name another kind's file in a message.
struct KnownKind {
  std::uint32_t application_id;
  std::string_view noun;
};
constexpr KnownKind kKnownKinds[] = {
    {kConsentLedgerApplicationId, "consent ledger"},
    {kRequestRegisterApplicationId, "request register"},
    {0x67646b76, "vault"},  // "gdkv"
};

std::string_view NounOfId(std::uint32_t id) {
  for (const KnownKind& k : kKnownKinds) {
    if (k.application_id == id) return k.noun;
  }
  return "";
}

std::uint32_t Be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

void PutU64(crypto_generichash_state* st, std::uint64_t v) {
  unsigned char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
  crypto_generichash_update(st, b, sizeof b);
}

void PutText(crypto_generichash_state* st, std::string_view s) {
  PutU64(st, s.size());
  crypto_generichash_update(st, reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

void NoneCommit(unsigned char out[kStoreHashBytes]) {
  crypto_generichash(out, kStoreHashBytes, reinterpret_cast<const unsigned char*>(kNoneTag.data()),
                     kNoneTag.size(), nullptr, 0);
}

void Commit(const unsigned char salt[kStoreSaltBytes], std::string_view subject,
            std::string_view secret, unsigned char out[kStoreHashBytes]) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, salt, kStoreSaltBytes, kStoreHashBytes);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(kCommitTag.data()),
                            kCommitTag.size());
  PutText(&st, subject);
  PutText(&st, secret);
  crypto_generichash_final(&st, out, kStoreHashBytes);
}

std::string_view Column(sqlite3_stmt* s, int i) {
  const void* p = sqlite3_column_blob(s, i);
  const int n = sqlite3_column_bytes(s, i);
  return p == nullptr ? std::string_view() : std::string_view(static_cast<const char*>(p), n);
}

bool IsNull(sqlite3_stmt* s, int i) { return sqlite3_column_type(s, i) == SQLITE_NULL; }

void BindText(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_text(s, i, v.data() != nullptr ? v.data() : "", static_cast<int>(v.size()),
                    SQLITE_STATIC);
}
void BindBlob(sqlite3_stmt* s, int i, const void* p, std::size_t n) {
  sqlite3_bind_blob(s, i, p != nullptr ? p : "", static_cast<int>(n), SQLITE_STATIC);
}

struct StmtCloser {
  sqlite3_stmt* s = nullptr;
  ~StmtCloser() { sqlite3_finalize(s); }
};

constexpr const char* kSchema = R"sql(
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entries (
  seq INTEGER PRIMARY KEY,
  recorded_at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  subject TEXT,
  secret TEXT,
  salt BLOB,
  commit_ BLOB NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX entries_subject ON entries(subject) WHERE subject IS NOT NULL;
)sql";

constexpr const char* kSelectEntries =
    "SELECT seq, recorded_at, kind, body, subject, secret, salt, commit_, hash FROM entries ";

}  // namespace

void StoreCommit(const unsigned char salt[kStoreSaltBytes], std::string_view subject,
                 std::string_view secret, unsigned char out[kStoreHashBytes]) {
  Commit(salt, subject, secret, out);
}

void StoreEntryHash(std::string_view key, const unsigned char prev[kStoreHashBytes],
                    std::int64_t seq, std::int64_t recorded_at, std::string_view kind,
                    std::string_view body, const unsigned char commit[kStoreHashBytes],
                    unsigned char out[kStoreHashBytes]) {
  crypto_generichash_state st;
  crypto_generichash_init(
      &st, key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()), key.size(),
      kStoreHashBytes);
  crypto_generichash_update(&st, prev, kStoreHashBytes);
  PutU64(&st, static_cast<std::uint64_t>(seq));
  PutU64(&st, static_cast<std::uint64_t>(recorded_at));
  PutText(&st, kind);
  PutText(&st, body);
  crypto_generichash_update(&st, commit, kStoreHashBytes);
  crypto_generichash_final(&st, out, kStoreHashBytes);
}

std::string StoreHex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

bool StoreFromHex(std::string_view hex, unsigned char* out, std::size_t n) {
  if (hex.size() != n * 2) return false;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  std::size_t written = 0;
  return sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &written, nullptr) == 0 &&
         written == n;
}

struct ChainStore::Impl {
  ChainStoreKind kind;
  std::string path;
  StoreCheck check;
  int busy_timeout_ms = 10000;
  sqlite3* db = nullptr;
  mutable absl::Mutex mu;
  std::int64_t seq = 0;                      // entries verified
  unsigned char h0[kStoreHashBytes] = {};    // header hash
  unsigned char head[kStoreHashBytes] = {};  // hash of entry `seq` (h0 when 0)
  std::int64_t erasures = 0;                 // meta "erasures" as last seen
  std::map<std::string, std::string, std::less<>> meta;
  std::string_view key;  // guarded copy (owned by ChainStore)

  ~Impl() {
    if (db != nullptr) sqlite3_close_v2(db);
  }

  std::string_view noun() const { return kind.noun; }

  absl::Status Damaged(std::string_view what) const {
    return absl::DataLossError(
        absl::StrCat("the ", AV(noun()), " ", path, " is damaged: ", AV(what)));
  }

  absl::Status Sql(int rc, std::string_view what) const {
    const char* msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const std::string text = absl::StrCat(AV(what), ": ", msg != nullptr ? msg : "");
    switch (rc & 0xff) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return absl::UnavailableError(absl::StrCat(text, " (another writer held the ", AV(noun()),
                                                   " beyond the busy timeout)"));
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return Damaged(text);
      case SQLITE_FULL:
        return absl::ResourceExhaustedError(text);
      case SQLITE_READONLY:
      case SQLITE_PERM:
      case SQLITE_AUTH:
        return absl::PermissionDeniedError(text);
      case SQLITE_CANTOPEN:
        return absl::NotFoundError(text);
      case SQLITE_IOERR:
        return absl::UnavailableError(absl::StrCat(text, " (I/O error)"));
      case SQLITE_CONSTRAINT:
        return absl::AbortedError(text);
      default:
        return absl::InternalError(text);
    }
  }

  absl::Status Exec(const char* sql, std::string_view what) const {
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? absl::OkStatus() : Sql(rc, what);
  }

  absl::Status Prepare(const char* sql, StmtCloser* s, std::string_view what) const {
    const int rc = sqlite3_prepare_v2(db, sql, -1, &s->s, nullptr);
    return rc == SQLITE_OK ? absl::OkStatus() : Sql(rc, what);
  }

  void EntryHash(const unsigned char prev[kStoreHashBytes], std::int64_t seq_no,
                 std::int64_t recorded_at, std::string_view kind_text, std::string_view body,
                 const unsigned char commit[kStoreHashBytes],
                 unsigned char out[kStoreHashBytes]) const {
    StoreEntryHash(key, prev, seq_no, recorded_at, kind_text, body, commit, out);
  }

  std::string Header() const {
    std::string h;
    for (const auto& [name, value] : meta) {
      if (name == "header_hash" || name == "erasures") continue;
      absl::StrAppend(&h, name, "=", value, "\n");
    }
    return h;
  }

  void HeaderHash(unsigned char out[kStoreHashBytes]) const {
    const std::string h = Header();
    crypto_generichash(
        out, kStoreHashBytes, reinterpret_cast<const unsigned char*>(h.data()), h.size(),
        key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()), key.size());
  }

  std::string KeyId(std::string_view k) const {
    const std::string label = absl::StrCat("gdprkit ", AV(noun()), " key id v1");
    unsigned char out[8];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(label.data()),
                       label.size(), reinterpret_cast<const unsigned char*>(k.data()), k.size());
    return StoreHex(out, sizeof out);
  }

  // Verifies one row (the statement's current row) as entry `want_seq` after
  // `prev`. Fills *e; "" or the problem.
  std::string VerifyRow(sqlite3_stmt* s, std::int64_t want_seq,
                        const unsigned char prev[kStoreHashBytes], StoreEntry* e,
                        unsigned char out_hash[kStoreHashBytes]) const {
    const std::int64_t seq_no = sqlite3_column_int64(s, 0);
    if (seq_no != want_seq) {
      if (seq_no > want_seq) {
        return absl::StrCat("entry ", want_seq, " is missing (the next entry is ", seq_no, ")");
      }
      return absl::StrCat("an entry numbered ", seq_no, " stands where entry ", want_seq,
                          " belongs");
    }
    if (sqlite3_column_type(s, 1) != SQLITE_INTEGER || sqlite3_column_type(s, 2) != SQLITE_TEXT ||
        sqlite3_column_type(s, 3) != SQLITE_TEXT || sqlite3_column_type(s, 8) != SQLITE_TEXT ||
        sqlite3_column_type(s, 7) != SQLITE_BLOB) {
      return "a column holds a value of the wrong type";
    }
    e->seq = seq_no;
    e->recorded_at = sqlite3_column_int64(s, 1);
    e->kind = std::string(Column(s, 2));
    e->body = std::string(Column(s, 3));
    e->subject.clear();
    e->secret.clear();
    e->salt.clear();
    const std::string_view commit = Column(s, 7);
    if (commit.size() != kStoreHashBytes) return "malformed commitment";
    const auto* commit_bytes = reinterpret_cast<const unsigned char*>(commit.data());
    if (!IsNull(s, 6)) {
      const std::string_view salt = Column(s, 6);
      if (salt.size() != kStoreSaltBytes) return "malformed salt";
      if (IsNull(s, 4) || IsNull(s, 5)) return "a salt without its subject or secret";
      const std::string_view subject = Column(s, 4);
      const std::string_view secret = Column(s, 5);
      unsigned char c[kStoreHashBytes];
      Commit(reinterpret_cast<const unsigned char*>(salt.data()), subject, secret, c);
      if (sodium_memcmp(c, commit_bytes, kStoreHashBytes) != 0) {
        return "its subject or its erasable fields were altered (the commitment differs)";
      }
      e->subject = std::string(subject);
      e->secret = std::string(secret);
      e->salt = std::string(salt);
      e->personal = true;
      e->erased = false;
    } else {
      if (!IsNull(s, 4) || !IsNull(s, 5)) return "a subject or secret without its salt";
      unsigned char none[kStoreHashBytes];
      NoneCommit(none);
      e->personal = sodium_memcmp(none, commit_bytes, kStoreHashBytes) != 0;
      e->erased = e->personal;
    }
    unsigned char stored[kStoreHashBytes];
    if (!StoreFromHex(Column(s, 8), stored, kStoreHashBytes)) return "malformed hash";
    EntryHash(prev, seq_no, e->recorded_at, e->kind, e->body, commit_bytes, out_hash);
    if (sodium_memcmp(out_hash, stored, kStoreHashBytes) != 0) {
      return "it does not match its hash (edited, inserted or reordered)";
    }
    e->prev_hash = StoreHex(prev, kStoreHashBytes);
    e->hash = StoreHex(out_hash, kStoreHashBytes);
    if (check) {
      if (std::string problem = check(*e); !problem.empty()) return problem;
    }
    return "";
  }

  // Reads and verifies the entries after `from_seq` (whose hash is `from`),
  // into *to_seq / to_head. Breaks go to *brk_seq/*problem (OK status).
  absl::Status Walk(std::int64_t from_seq, const unsigned char from[kStoreHashBytes],
                    const StoreSink& sink, std::int64_t* to_seq,
                    unsigned char to_head[kStoreHashBytes], std::int64_t* brk_seq,
                    std::string* problem, std::vector<std::string>* all_hashes = nullptr) const {
    StmtCloser s;
    const std::string sql = absl::StrCat(kSelectEntries, "WHERE seq > ?1 ORDER BY seq");
    GDPRKIT_RETURN_IF_ERROR(Prepare(sql.c_str(), &s, absl::StrCat("reading the ", AV(noun()))));
    sqlite3_bind_int64(s.s, 1, from_seq);
    unsigned char cur[kStoreHashBytes];
    std::memcpy(cur, from, kStoreHashBytes);
    std::int64_t n = from_seq;
    StoreEntry e;
    *brk_seq = 0;
    while (true) {
      const int rc = sqlite3_step(s.s);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Sql(rc, absl::StrCat("reading the ", AV(noun())));
      unsigned char next[kStoreHashBytes];
      std::string p = VerifyRow(s.s, n + 1, cur, &e, next);
      if (!p.empty()) {
        *brk_seq = n + 1;
        *problem = std::move(p);
        break;
      }
      if (sink) sink(e);
      if (all_hashes != nullptr) all_hashes->push_back(e.hash);
      std::memcpy(cur, next, kStoreHashBytes);
      ++n;
    }
    *to_seq = n;
    std::memcpy(to_head, cur, kStoreHashBytes);
    return absl::OkStatus();
  }

  absl::Status BrokenAt(std::int64_t brk, const std::string& problem) const {
    return absl::DataLossError(absl::StrCat("the ", AV(noun()), " ", path,
                                            " fails verification at entry ", brk, ": ", problem));
  }

  absl::StatusOr<std::int64_t> ReadErasures() const {
    StmtCloser s;
    GDPRKIT_RETURN_IF_ERROR(Prepare("SELECT value FROM meta WHERE name = 'erasures'", &s,
                                    absl::StrCat("reading the ", AV(noun()))));
    const int rc = sqlite3_step(s.s);
    if (rc == SQLITE_DONE) return 0;
    if (rc != SQLITE_ROW) return Sql(rc, absl::StrCat("reading the ", AV(noun())));
    return std::strtoll(std::string(Column(s.s, 0)).c_str(), nullptr, 10);
  }

  // Inside a transaction: verifies that the known head is still there and
  // reads what others appended. Returns whether others erased since.
  absl::StatusOr<bool> CatchUpLocked(const StoreSink& sink) {
    if (seq > 0) {
      StmtCloser s;
      GDPRKIT_RETURN_IF_ERROR(Prepare("SELECT hash FROM entries WHERE seq = ?1", &s,
                                      absl::StrCat("reading the ", AV(noun()))));
      sqlite3_bind_int64(s.s, 1, seq);
      const int rc = sqlite3_step(s.s);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return Sql(rc, absl::StrCat("reading the ", AV(noun())));
      }
      unsigned char stored[kStoreHashBytes];
      if (rc == SQLITE_DONE || !StoreFromHex(Column(s.s, 0), stored, kStoreHashBytes) ||
          sodium_memcmp(stored, head, kStoreHashBytes) != 0) {
        return absl::DataLossError(
            absl::StrCat("the ", AV(noun()), " ", path, " changed under this handle: entry ", seq,
                         rc == SQLITE_DONE ? " is gone (entries removed from the end)"
                                           : " no longer has the hash it was read with"));
      }
    }
    std::int64_t to = 0, brk = 0;
    std::string problem;
    unsigned char to_head[kStoreHashBytes];
    GDPRKIT_RETURN_IF_ERROR(Walk(seq, head, sink, &to, to_head, &brk, &problem));
    seq = to;
    std::memcpy(head, to_head, kStoreHashBytes);
    if (brk != 0) return BrokenAt(brk, problem);
    GDPRKIT_ASSIGN_OR_RETURN(const std::int64_t er, ReadErasures());
    const bool changed = er != erasures;
    erasures = er;
    return changed;
  }

  absl::Status Begin(bool write) const {
    return Exec(write ? "BEGIN IMMEDIATE" : "BEGIN",
                absl::StrCat(write ? "starting a write to the " : "reading the ", AV(noun())));
  }
  void Rollback() const { sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr); }
  absl::Status CommitTxn() const {
    return Exec("COMMIT", absl::StrCat("committing to the ", AV(noun())));
  }
};

namespace {

// Looks at a file before SQLite does: a file that is not an SQLite database,
// of another kind, or truncated is refused without being opened.
absl::Status Precheck(const std::string& path, const ChainStoreKind& kind) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return absl::NotFoundError(absl::StrCat("no ", AV(kind.noun), " file at ", path));
    }
    return absl::PermissionDeniedError(
        absl::StrCat("cannot look at ", AV(kind.noun), " file ", path, ": ", std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a regular file"));
  }
  struct stat wal;
  if (stat((path + "-wal").c_str(), &wal) == 0 && wal.st_size > 0) return absl::OkStatus();
  const std::string damaged = absl::StrCat("the ", AV(kind.noun), " ", path, " is damaged: ");
  if (st.st_size == 0) return absl::DataLossError(absl::StrCat(damaged, "the file is empty"));
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot read ", AV(kind.noun), " file ", path, ": ", std::strerror(errno)));
  }
  unsigned char h[100];
  const std::size_t got = std::fread(h, 1, sizeof h, f);
  std::fclose(f);
  if (got < sizeof h) {
    return absl::DataLossError(
        absl::StrCat(damaged, "shorter than a database header (truncated?)"));
  }
  if (std::memcmp(h, "SQLite format 3", 16) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not a gdprkit ", AV(kind.noun), ": it is not an SQLite database"));
  }
  const std::uint32_t app = Be32(h + 68);
  if (app != kind.application_id) {
    const std::string_view other = NounOfId(app);
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not a gdprkit ", AV(kind.noun),
                     other.empty() ? std::string(" (another SQLite database)")
                                   : absl::StrCat(" (it is a gdprkit ", AV(other), ")")));
  }
  std::uint32_t page_size = (std::uint32_t{h[16]} << 8) | h[17];
  if (page_size == 1) page_size = 65536;
  if (page_size < 512 || (page_size & (page_size - 1)) != 0) {
    return absl::DataLossError(absl::StrCat(damaged, "its header is not valid"));
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size % page_size != 0) {
    return absl::DataLossError(
        absl::StrCat(damaged, "it ends in the middle of a page (truncated?)"));
  }
  const std::uint32_t pages = Be32(h + 28);
  if (pages != 0 && Be32(h + 24) == Be32(h + 92) &&
      size < static_cast<std::uint64_t>(pages) * page_size) {
    return absl::DataLossError(absl::StrCat(damaged, "truncated to ", size, " bytes of the ",
                                            static_cast<std::uint64_t>(pages) * page_size,
                                            " its header records"));
  }
  return absl::OkStatus();
}

absl::Status CheckPath(const std::string& path, std::string_view noun) {
  if (path.empty()) return absl::InvalidArgumentError(absl::StrCat(AV(noun), " path is empty"));
  if (path.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(AV(noun), " path contains a NUL byte"));
  }
  if (path == ":memory:" || path.rfind("file:", 0) == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a ", AV(noun), " is a file: in-memory databases and 'file:' URIs are not accepted"));
  }
  return absl::OkStatus();
}

}  // namespace

ChainStore::~ChainStore() {
  impl_.reset();
  FreeGuardedKey(guarded_key_);
}

std::int64_t ChainStore::entries() const {
  absl::MutexLock l(&impl_->mu);
  return impl_->seq;
}

std::string ChainStore::head() const {
  absl::MutexLock l(&impl_->mu);
  return StoreHex(impl_->head, kStoreHashBytes);
}

std::string ChainStore::Meta(std::string_view name) const {
  absl::MutexLock l(&impl_->mu);
  auto it = impl_->meta.find(name);
  return it == impl_->meta.end() ? std::string() : it->second;
}

std::string_view ChainStore::key() const {
  return guarded_key_ == nullptr
             ? std::string_view()
             : std::string_view(reinterpret_cast<const char*>(guarded_key_), key_size_);
}

namespace {

absl::Status OpenConnection(ChainStore::Impl* impl, bool create, bool sync) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(impl->path.c_str(), &impl->db, flags, nullptr);
  if (rc != SQLITE_OK) return impl->Sql(rc, absl::StrCat("opening the ", AV(impl->noun())));
  sqlite3_extended_result_codes(impl->db, 1);
  sqlite3_busy_timeout(impl->db, impl->busy_timeout_ms);
  GDPRKIT_RETURN_IF_ERROR(impl->Exec("PRAGMA secure_delete = ON; PRAGMA cell_size_check = ON",
                                     "setting up the connection"));
  GDPRKIT_RETURN_IF_ERROR(
      impl->Exec(sync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
                 "setting up the connection"));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChainStore>> ChainStore::Create(const std::string& path,
                                                               const ChainStoreKind& kind,
                                                               ChainStoreOptions options) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  GDPRKIT_RETURN_IF_ERROR(CheckPath(path, kind.noun));
  const ChainKind ck{kind.magic, kind.noun, 0};
  GDPRKIT_RETURN_IF_ERROR(CheckChainKey(ck, options.key));
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return absl::AlreadyExistsError(absl::StrCat(
          "a file exists at ", path, "; open it rather than create a ", AV(kind.noun)));
    }
    if (errno == ENOENT || errno == ENOTDIR) {
      return absl::NotFoundError(
          absl::StrCat("cannot create ", AV(kind.noun), " ", path, ": ", std::strerror(errno)));
    }
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create ", AV(kind.noun), " ", path, ": ", std::strerror(errno)));
  }
  ::close(fd);
  auto store = std::unique_ptr<ChainStore>(new ChainStore());
  store->path_ = path;
  if (!options.key.empty()) {
    store->guarded_key_ = GuardKey(options.key);
    if (store->guarded_key_ == nullptr) {
      std::remove(path.c_str());
      return absl::ResourceExhaustedError("cannot allocate guarded memory for the key");
    }
    store->key_size_ = options.key.size();
  }
  store->impl_ = std::make_unique<Impl>();
  Impl* impl = store->impl_.get();
  impl->kind = kind;
  impl->path = path;
  impl->check = std::move(options.check);
  impl->busy_timeout_ms = options.busy_timeout_ms;
  impl->key = store->key();
  auto fail = [&](absl::Status st) {
    store.reset();
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
    return st;
  };
  if (absl::Status st = OpenConnection(impl, true, options.sync); !st.ok()) return fail(st);
  const std::string pragmas =
      absl::StrCat("PRAGMA application_id = ", static_cast<std::int32_t>(kind.application_id),
                   "; PRAGMA journal_mode = WAL");
  if (absl::Status st = impl->Exec(pragmas.c_str(), "creating the file"); !st.ok()) return fail(st);
  unsigned char id[16];
  randombytes_buf(id, sizeof id);
  store->store_id_ = StoreHex(id, sizeof id);
  impl->meta["magic"] = std::string(kind.magic);
  impl->meta["format"] = "1";
  impl->meta["store_id"] = store->store_id_;
  impl->meta["mode"] =
      options.key.empty() ? "plain" : absl::StrCat("keyed:", impl->KeyId(options.key));
  for (auto& [name, value] : options.extra_meta) {
    if (impl->meta.count(name) != 0 || name == "header_hash" || name == "erasures") {
      return fail(absl::InvalidArgumentError(absl::StrCat("reserved meta name ", name)));
    }
    impl->meta[name] = value;
  }
  impl->HeaderHash(impl->h0);
  std::memcpy(impl->head, impl->h0, kStoreHashBytes);
  impl->meta["header_hash"] = StoreHex(impl->h0, kStoreHashBytes);
  impl->meta["erasures"] = "0";
  auto write = [&]() -> absl::Status {
    GDPRKIT_RETURN_IF_ERROR(impl->Begin(true));
    GDPRKIT_RETURN_IF_ERROR(impl->Exec(kSchema, "creating the tables"));
    if (!kind.extra_schema.empty()) {
      const std::string extra(kind.extra_schema);
      GDPRKIT_RETURN_IF_ERROR(impl->Exec(extra.c_str(), "creating the tables"));
    }
    StmtCloser s;
    GDPRKIT_RETURN_IF_ERROR(
        impl->Prepare("INSERT INTO meta(name, value) VALUES (?1, ?2)", &s, "writing the header"));
    for (const auto& [name, value] : impl->meta) {
      sqlite3_reset(s.s);
      BindText(s.s, 1, name);
      BindText(s.s, 2, value);
      if (int rc = sqlite3_step(s.s); rc != SQLITE_DONE) return impl->Sql(rc, "writing the header");
    }
    return impl->CommitTxn();
  };
  if (absl::Status st = write(); !st.ok()) {
    impl->Rollback();
    return fail(st);
  }
  return store;
}

absl::StatusOr<std::unique_ptr<ChainStore>> ChainStore::Open(const std::string& path,
                                                             const ChainStoreKind& kind,
                                                             ChainStoreOptions options,
                                                             const StoreSink& sink) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  GDPRKIT_RETURN_IF_ERROR(CheckPath(path, kind.noun));
  const ChainKind ck{kind.magic, kind.noun, 0};
  GDPRKIT_RETURN_IF_ERROR(CheckChainKey(ck, options.key));
  GDPRKIT_RETURN_IF_ERROR(Precheck(path, kind));
  auto store = std::unique_ptr<ChainStore>(new ChainStore());
  store->path_ = path;
  if (!options.key.empty()) {
    store->guarded_key_ = GuardKey(options.key);
    if (store->guarded_key_ == nullptr) {
      return absl::ResourceExhaustedError("cannot allocate guarded memory for the key");
    }
    store->key_size_ = options.key.size();
  }
  store->impl_ = std::make_unique<Impl>();
  Impl* impl = store->impl_.get();
  impl->kind = kind;
  impl->path = path;
  impl->check = std::move(options.check);
  impl->busy_timeout_ms = options.busy_timeout_ms;
  impl->key = store->key();
  GDPRKIT_RETURN_IF_ERROR(OpenConnection(impl, false, options.sync));
  GDPRKIT_RETURN_IF_ERROR(impl->Exec("PRAGMA journal_mode = WAL", "opening the file"));
  {
    // Again through SQLite: with a write-ahead log the header may be there only.
    StmtCloser s;
    GDPRKIT_RETURN_IF_ERROR(impl->Prepare("PRAGMA application_id", &s, "opening the file"));
    const int rc = sqlite3_step(s.s);
    if (rc != SQLITE_ROW) return impl->Sql(rc, "opening the file");
    const auto app = static_cast<std::uint32_t>(sqlite3_column_int64(s.s, 0));
    if (app != kind.application_id) {
      const std::string_view other = NounOfId(app);
      return absl::InvalidArgumentError(
          absl::StrCat(path, " is not a gdprkit ", AV(kind.noun),
                       other.empty() ? std::string(" (another SQLite database)")
                                     : absl::StrCat(" (it is a gdprkit ", AV(other), ")")));
    }
  }
  GDPRKIT_RETURN_IF_ERROR(impl->Begin(false));
  struct Rollback {
    Impl* impl;
    ~Rollback() { impl->Rollback(); }
  } rollback{impl};
  {
    StmtCloser s;
    if (absl::Status st = impl->Prepare("SELECT name, value FROM meta", &s, "reading the header");
        !st.ok()) {
      if (st.code() == absl::StatusCode::kDataLoss) return st;
      return impl->Damaged("its header table is missing or unreadable");
    }
    while (true) {
      const int rc = sqlite3_step(s.s);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return impl->Sql(rc, "reading the header");
      impl->meta[std::string(Column(s.s, 0))] = std::string(Column(s.s, 1));
    }
  }
  auto meta = [&](std::string_view name) -> std::string_view {
    auto it = impl->meta.find(name);
    return it == impl->meta.end() ? std::string_view() : std::string_view(it->second);
  };
  if (meta("magic") != kind.magic) {
    return impl->Damaged("its header does not name it (the magic differs)");
  }
  if (meta("format") != "1") {
    return absl::FailedPreconditionError(absl::StrCat(
        "the ", AV(kind.noun), " ", path, " has a format version this gdprkit does not know"));
  }
  const std::string_view mode = meta("mode");
  if (mode == "plain") {
    if (!options.key.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("this ", AV(kind.noun), " is not keyed; open or verify it without a key"));
    }
  } else if (mode.substr(0, 6) == "keyed:") {
    if (options.key.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("this ", AV(kind.noun), " is keyed; give its key to open or verify it"));
    }
    const std::string kid = impl->KeyId(options.key);
    if (mode.size() != 22 || sodium_memcmp(kid.data(), mode.data() + 6, 16) != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("the key given is not this ", AV(kind.noun), "'s key (the key id differs)"));
    }
  } else {
    return impl->Damaged("unknown hashing mode in its header");
  }
  store->store_id_ = std::string(meta("store_id"));
  impl->HeaderHash(impl->h0);
  unsigned char stored[kStoreHashBytes];
  if (!StoreFromHex(meta("header_hash"), stored, kStoreHashBytes) ||
      sodium_memcmp(stored, impl->h0, kStoreHashBytes) != 0) {
    return impl->BrokenAt(0, "its header (meta) was altered");
  }
  std::memcpy(impl->head, impl->h0, kStoreHashBytes);
  std::int64_t to = 0, brk = 0;
  std::string problem;
  unsigned char to_head[kStoreHashBytes];
  GDPRKIT_RETURN_IF_ERROR(impl->Walk(0, impl->h0, sink, &to, to_head, &brk, &problem));
  if (brk != 0) return impl->BrokenAt(brk, problem);
  impl->seq = to;
  std::memcpy(impl->head, to_head, kStoreHashBytes);
  GDPRKIT_ASSIGN_OR_RETURN(impl->erasures, impl->ReadErasures());
  return store;
}

absl::StatusOr<StoreAppendResult> ChainStore::Append(absl::Span<const StoreEntryIn> batch,
                                                     const StoreSink& sink,
                                                     std::string_view erase_subject,
                                                     const TxnHook& hook) {
  return AppendMade(
      [&](sqlite3* db, std::int64_t) -> absl::StatusOr<std::vector<StoreEntryIn>> {
        if (hook) GDPRKIT_RETURN_IF_ERROR(hook(db));
        return std::vector<StoreEntryIn>(batch.begin(), batch.end());
      },
      sink, erase_subject);
}

namespace {

absl::Status CheckBatch(absl::Span<const StoreEntryIn> batch) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const StoreEntryIn& in = batch[i];
    if (in.kind.empty() || in.kind.size() > 32) {
      return absl::InvalidArgumentError(absl::StrCat("entry ", i, ": kind must have 1-32 bytes"));
    }
    if (in.body.find('\0') != std::string::npos || in.subject.find('\0') != std::string::npos ||
        in.secret.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("entry ", i, ": a field holds a NUL byte"));
    }
    if (in.recorded_at < 0 || in.recorded_at > kMaxChainSeconds) {
      return absl::InvalidArgumentError(absl::StrCat("entry ", i, ": recorded_at out of range"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StoreAppendResult> ChainStore::AppendMade(const BatchMaker& make,
                                                         const StoreSink& sink,
                                                         std::string_view erase_subject) {
  Impl* impl = impl_.get();
  absl::MutexLock l(&impl->mu);
  GDPRKIT_RETURN_IF_ERROR(impl->Begin(true));
  const std::int64_t seq0 = impl->seq;
  unsigned char head0[kStoreHashBytes];
  std::memcpy(head0, impl->head, kStoreHashBytes);
  StoreAppendResult result;
  auto run = [&]() -> absl::Status {
    GDPRKIT_RETURN_IF_ERROR(impl->CatchUpLocked(sink).status());
    if (!erase_subject.empty()) {
      StmtCloser s;
      GDPRKIT_RETURN_IF_ERROR(impl->Prepare(
          "UPDATE entries SET subject = NULL, secret = NULL, salt = NULL WHERE subject = ?1", &s,
          "erasing a subject"));
      BindText(s.s, 1, erase_subject);
      if (int rc = sqlite3_step(s.s); rc != SQLITE_DONE) return impl->Sql(rc, "erasing a subject");
      result.erased = sqlite3_changes(impl->db);
      if (result.erased > 0) {
        StmtCloser m;
        GDPRKIT_RETURN_IF_ERROR(
            impl->Prepare("INSERT INTO meta(name, value) VALUES ('erasures', ?1) "
                          "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                          &m, "erasing a subject"));
        const std::string v = absl::StrCat(impl->erasures + 1);
        BindText(m.s, 1, v);
        if (int rc = sqlite3_step(m.s); rc != SQLITE_DONE)
          return impl->Sql(rc, "erasing a subject");
      }
    }
    GDPRKIT_ASSIGN_OR_RETURN(const std::vector<StoreEntryIn> batch, make(impl->db, result.erased));
    GDPRKIT_RETURN_IF_ERROR(CheckBatch(batch));
    StmtCloser ins;
    GDPRKIT_RETURN_IF_ERROR(impl->Prepare(
        "INSERT INTO entries(seq, recorded_at, kind, body, subject, secret, salt, commit_, hash) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &ins, absl::StrCat("appending to the ", AV(impl->noun()))));
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    unsigned char none[kStoreHashBytes];
    NoneCommit(none);
    result.entries.reserve(batch.size());
    for (const StoreEntryIn& in : batch) {
      StoreEntry e;
      e.seq = impl->seq + 1;
      e.recorded_at = in.recorded_at != 0 ? in.recorded_at : now;
      e.kind = in.kind;
      e.body = in.body;
      e.subject = in.subject;
      e.secret = in.secret;
      e.personal = !in.subject.empty() || !in.secret.empty();
      unsigned char salt[kStoreSaltBytes];
      unsigned char commit[kStoreHashBytes];
      if (e.personal) {
        randombytes_buf(salt, sizeof salt);
        Commit(salt, in.subject, in.secret, commit);
        e.salt.assign(reinterpret_cast<const char*>(salt), sizeof salt);
      } else {
        std::memcpy(commit, none, kStoreHashBytes);
      }
      unsigned char h[kStoreHashBytes];
      impl->EntryHash(impl->head, e.seq, e.recorded_at, e.kind, e.body, commit, h);
      e.prev_hash = StoreHex(impl->head, kStoreHashBytes);
      e.hash = StoreHex(h, kStoreHashBytes);
      sqlite3_reset(ins.s);
      sqlite3_bind_int64(ins.s, 1, e.seq);
      sqlite3_bind_int64(ins.s, 2, e.recorded_at);
      BindText(ins.s, 3, e.kind);
      BindText(ins.s, 4, e.body);
      if (e.personal) {
        BindText(ins.s, 5, e.subject);
        BindText(ins.s, 6, e.secret);
        BindBlob(ins.s, 7, salt, sizeof salt);
      } else {
        sqlite3_bind_null(ins.s, 5);
        sqlite3_bind_null(ins.s, 6);
        sqlite3_bind_null(ins.s, 7);
      }
      BindBlob(ins.s, 8, commit, sizeof commit);
      BindText(ins.s, 9, e.hash);
      if (int rc = sqlite3_step(ins.s); rc != SQLITE_DONE) {
        return impl->Sql(rc, absl::StrCat("appending to the ", AV(impl->noun())));
      }
      sodium_memzero(salt, sizeof salt);
      impl->seq = e.seq;
      std::memcpy(impl->head, h, kStoreHashBytes);
      result.entries.push_back(std::move(e));
    }
    return impl->CommitTxn();
  };
  if (absl::Status st = run(); !st.ok()) {
    impl->Rollback();
    // What the catch-up read stays read (it was verified and the sink saw
    // it); only this write's entries are undone.
    if (!result.entries.empty()) {
      impl->seq = result.entries.front().seq - 1;
      StoreFromHex(result.entries.front().prev_hash, impl->head, kStoreHashBytes);
    } else if (impl->seq < seq0) {
      impl->seq = seq0;
      std::memcpy(impl->head, head0, kStoreHashBytes);
    }
    return st;
  }
  if (result.erased > 0) {
    impl->erasures += 1;
    // Move the erased pages out of the write-ahead log into the database
    // (where secure_delete overwrote the freed bytes) and empty the log.
    sqlite3_wal_checkpoint_v2(impl->db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  }
  return result;
}

absl::StatusOr<bool> ChainStore::CatchUp(const StoreSink& sink) {
  Impl* impl = impl_.get();
  absl::MutexLock l(&impl->mu);
  GDPRKIT_RETURN_IF_ERROR(impl->Begin(false));
  absl::StatusOr<bool> r = impl->CatchUpLocked(sink);
  impl->Rollback();
  return r;
}

absl::Status ChainStore::ForEach(const StoreSink& sink) {
  Impl* impl = impl_.get();
  absl::MutexLock l(&impl->mu);
  GDPRKIT_RETURN_IF_ERROR(impl->Begin(false));
  std::int64_t to = 0, brk = 0;
  std::string problem;
  unsigned char to_head[kStoreHashBytes];
  absl::Status st = impl->Walk(0, impl->h0, sink, &to, to_head, &brk, &problem);
  impl->Rollback();
  GDPRKIT_RETURN_IF_ERROR(st);
  if (brk != 0) return impl->BrokenAt(brk, problem);
  if (to < impl->seq) {
    return absl::DataLossError(absl::StrCat("the ", AV(impl->noun()), " ", impl->path,
                                            " shrank: entries were removed from the end"));
  }
  impl->seq = to;
  std::memcpy(impl->head, to_head, kStoreHashBytes);
  return absl::OkStatus();
}

namespace {

// Reads the rows with the given seqs and their predecessors, each checked.
absl::StatusOr<std::vector<StoreEntry>> GetRows(ChainStore::Impl* impl,
                                                const std::vector<std::int64_t>& seqs) {
  std::vector<StoreEntry> out;
  StmtCloser prev, row;
  GDPRKIT_RETURN_IF_ERROR(
      impl->Prepare("SELECT hash FROM entries WHERE seq = ?1", &prev, "reading an entry"));
  const std::string sql = absl::StrCat(kSelectEntries, "WHERE seq = ?1");
  GDPRKIT_RETURN_IF_ERROR(impl->Prepare(sql.c_str(), &row, "reading an entry"));
  for (std::int64_t seq : seqs) {
    sqlite3_reset(row.s);
    sqlite3_bind_int64(row.s, 1, seq);
    const int row_rc = sqlite3_step(row.s);
    if (row_rc == SQLITE_DONE) {
      return absl::NotFoundError(absl::StrCat("no entry ", seq, " in the ", AV(impl->noun())));
    }
    if (row_rc != SQLITE_ROW) return impl->Sql(row_rc, "reading an entry");
    unsigned char p[kStoreHashBytes];
    if (seq == 1) {
      std::memcpy(p, impl->h0, kStoreHashBytes);
    } else {
      sqlite3_reset(prev.s);
      sqlite3_bind_int64(prev.s, 1, seq - 1);
      const int rc = sqlite3_step(prev.s);
      if (rc == SQLITE_DONE ||
          (rc == SQLITE_ROW && !StoreFromHex(Column(prev.s, 0), p, kStoreHashBytes))) {
        return impl->BrokenAt(seq - 1, "entry missing or malformed");
      }
      if (rc != SQLITE_ROW) return impl->Sql(rc, "reading an entry");
    }
    StoreEntry e;
    unsigned char h[kStoreHashBytes];
    if (std::string problem = impl->VerifyRow(row.s, seq, p, &e, h); !problem.empty()) {
      return impl->BrokenAt(seq, problem);
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

absl::StatusOr<StoreEntry> ChainStore::Get(std::int64_t seq) {
  Impl* impl = impl_.get();
  absl::MutexLock l(&impl->mu);
  if (seq < 1) {
    return absl::NotFoundError(absl::StrCat("no entry ", seq, " in the ", AV(impl->noun())));
  }
  GDPRKIT_RETURN_IF_ERROR(impl->Begin(false));
  absl::StatusOr<std::vector<StoreEntry>> r = GetRows(impl, {seq});
  impl->Rollback();
  if (!r.ok()) return r.status();
  return std::move(r->front());
}

absl::StatusOr<std::vector<StoreEntry>> ChainStore::EntriesOf(std::string_view subject) {
  Impl* impl = impl_.get();
  absl::MutexLock l(&impl->mu);
  GDPRKIT_RETURN_IF_ERROR(impl->Begin(false));
  std::vector<std::int64_t> seqs;
  {
    StmtCloser s;
    absl::Status st = impl->Prepare("SELECT seq FROM entries WHERE subject = ?1 ORDER BY seq", &s,
                                    "reading a subject's entries");
    if (!st.ok()) {
      impl->Rollback();
      return st;
    }
    BindText(s.s, 1, subject);
    while (true) {
      const int rc = sqlite3_step(s.s);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        absl::Status e = impl->Sql(rc, "reading a subject's entries");
        impl->Rollback();
        return e;
      }
      seqs.push_back(sqlite3_column_int64(s.s, 0));
    }
  }
  absl::StatusOr<std::vector<StoreEntry>> r = GetRows(impl, seqs);
  impl->Rollback();
  return r;
}

absl::Status ChainStore::Read(const TxnHook& read) {
  Impl* impl = impl_.get();
  absl::MutexLock l(&impl->mu);
  GDPRKIT_RETURN_IF_ERROR(impl->Begin(false));
  absl::Status st = read(impl->db);
  impl->Rollback();
  return st;
}

absl::StatusOr<ChainStoreVerification> ChainStore::Verify(std::string_view expected_head) {
  Impl* impl = impl_.get();
  unsigned char want[kStoreHashBytes];
  if (!expected_head.empty() && !StoreFromHex(expected_head, want, kStoreHashBytes)) {
    return absl::InvalidArgumentError("expected_head must be 64 lower-case hex digits");
  }
  absl::MutexLock l(&impl->mu);
  ChainStoreVerification v;
  v.store_id = store_id_;
  v.keyed = keyed();
  GDPRKIT_RETURN_IF_ERROR(impl->Begin(false));
  struct Rollback {
    Impl* impl;
    ~Rollback() { impl->Rollback(); }
  } rollback{impl};
  // The header again (meta may have been edited since Open).
  std::map<std::string, std::string, std::less<>> meta;
  {
    StmtCloser s;
    GDPRKIT_RETURN_IF_ERROR(
        impl->Prepare("SELECT name, value FROM meta", &s, "reading the header"));
    while (true) {
      const int rc = sqlite3_step(s.s);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return impl->Sql(rc, "reading the header");
      meta[std::string(Column(s.s, 0))] = std::string(Column(s.s, 1));
    }
  }
  std::swap(meta, impl->meta);
  unsigned char h0[kStoreHashBytes];
  impl->HeaderHash(h0);
  std::swap(meta, impl->meta);
  unsigned char stored[kStoreHashBytes];
  auto hh = meta.find("header_hash");
  if (hh == meta.end() || !StoreFromHex(hh->second, stored, kStoreHashBytes) ||
      sodium_memcmp(stored, h0, kStoreHashBytes) != 0 ||
      sodium_memcmp(h0, impl->h0, kStoreHashBytes) != 0) {
    v.intact = false;
    v.first_broken_entry = 0;
    v.problem = "the header (meta) was altered";
    v.head = StoreHex(impl->h0, kStoreHashBytes);
    return v;
  }
  std::int64_t to = 0, brk = 0;
  std::string problem;
  unsigned char to_head[kStoreHashBytes];
  std::vector<std::string> hashes;
  GDPRKIT_RETURN_IF_ERROR(impl->Walk(0, impl->h0, nullptr, &to, to_head, &brk, &problem,
                                     expected_head.empty() ? nullptr : &hashes));
  v.entries = to;
  v.head = StoreHex(to_head, kStoreHashBytes);
  if (brk != 0) {
    v.first_broken_entry = brk;
    v.problem = std::move(problem);
    return v;
  }
  if (to < impl->seq) {
    v.first_broken_entry = to + 1;
    v.problem = absl::StrCat("entries ", to + 1, "-", impl->seq,
                             " were read before and are gone (removed from the end)");
    return v;
  }
  if (!expected_head.empty()) {
    bool found = sodium_memcmp(want, impl->h0, kStoreHashBytes) == 0;
    for (const std::string& h : hashes) {
      unsigned char b[kStoreHashBytes];
      StoreFromHex(h, b, kStoreHashBytes);
      if (sodium_memcmp(b, want, kStoreHashBytes) == 0) found = true;
    }
    if (!found) {
      v.first_broken_entry = to + 1;
      v.problem = "the expected head is not in the chain (entries removed from the end?)";
      return v;
    }
  }
  v.intact = true;
  v.first_broken_entry = -1;
  return v;
}

}  // namespace gdprkit::internal
