#include "vault/internal/db.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "vault/internal/vfs.h"

namespace gdprkit::internal {
namespace {

std::uint32_t Be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

}  // namespace

absl::Status PrecheckVaultFile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return absl::NotFoundError(absl::StrCat("no vault file at ", path));
    return absl::PermissionDeniedError(
        absl::StrCat("cannot look at vault file ", path, ": ", std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a regular file"));
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  // With a non-empty write-ahead log (a writer is active, or one crashed), the
  // newest pages, the header included, may be in the log only: leave the
  // checks to SQLite and to the schema check after opening.
  struct stat wal;
  if (stat((path + "-wal").c_str(), &wal) == 0 && wal.st_size > 0) return absl::OkStatus();
  if (size == 0) {
    return absl::DataLossError(absl::StrCat(path, " is empty: not a gdprkit vault"));
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot read vault file ", path, ": ", std::strerror(errno)));
  }
  unsigned char h[100];
  std::size_t got = std::fread(h, 1, sizeof(h), f);
  std::fclose(f);
  if (got < sizeof(h) || std::memcmp(h, "SQLite format 3", 16) != 0) {
    return absl::DataLossError(
        absl::StrCat(path, " is not a gdprkit vault: it is not an SQLite database",
                     got < sizeof(h) ? " (shorter than a database header; truncated?)" : ""));
  }
  if (Be32(h + 68) != kVaultApplicationId) {
    return absl::DataLossError(absl::StrCat(
        path, " is an SQLite database but not a gdprkit vault (wrong application id)"));
  }
  std::uint32_t page_size = (std::uint32_t{h[16]} << 8) | h[17];
  if (page_size == 1) page_size = 65536;
  if (page_size < 512 || (page_size & (page_size - 1)) != 0) {
    return absl::DataLossError(absl::StrCat(path, " is damaged: its header is not valid"));
  }
  if (size % page_size != 0) {
    return absl::DataLossError(absl::StrCat(path, " is damaged: it ends in the middle of a page (",
                                            size, " bytes; truncated?)"));
  }
  // Schema 3 and later keep a checksum in every page (vault/internal/vfs.h);
  // check the header page before SQLite reads it, so that a damaged header
  // reads as damage rather than as whatever SQLite makes of it.
  const std::uint32_t schema = Be32(h + 60);
  if (h[20] == kPageChecksumBytes) {
    std::string page(page_size, '\0');
    std::FILE* g = std::fopen(path.c_str(), "rb");
    const std::size_t n = g != nullptr ? std::fread(&page[0], 1, page_size, g) : 0;
    if (g != nullptr) std::fclose(g);
    if (n != page_size ||
        !PageChecksumMatches(reinterpret_cast<const unsigned char*>(page.data()), page_size)) {
      return absl::DataLossError(
          absl::StrCat(path, " is damaged: page 1 (the header) fails its checksum"));
    }
  } else if (schema >= kFirstChecksummedSchema) {
    return absl::DataLossError(absl::StrCat(
        path, " is damaged: its header lost the page checksums its schema version has"));
  }
  const std::uint32_t change_counter = Be32(h + 24);
  const std::uint32_t pages = Be32(h + 28);
  const std::uint32_t valid_for = Be32(h + 92);
  if (pages != 0 && change_counter == valid_for &&
      size < static_cast<std::uint64_t>(pages) * page_size) {
    return absl::DataLossError(
        absl::StrCat(path, " is damaged: truncated to ", size, " bytes of the ",
                     static_cast<std::uint64_t>(pages) * page_size, " its header records"));
  }
  return absl::OkStatus();
}

absl::Status CheckVaultPath(const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("the vault path is empty");
  if (path.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("the vault path contains a NUL byte");
  }
  if (path == ":memory:" || path.rfind("file:", 0) == 0) {
    // SQLite would make an in-memory database (whose tokens vanish on close)
    // or read a URI; a vault is a file.
    return absl::InvalidArgumentError(
        "a vault is a file: in-memory databases and 'file:' URIs are not accepted as its path "
        "(write ./:memory: for a file of that name)");
  }
  return absl::OkStatus();
}

absl::Status SqliteStatus(int rc, sqlite3* db, absl::string_view what) {
  const char* msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string text = absl::StrCat(what, ": ", msg != nullptr ? msg : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(
          absl::StrCat(text, " (another writer held the vault beyond the busy timeout)"));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(absl::StrCat("vault file is damaged: ", text));
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(text);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return absl::PermissionDeniedError(text);
    case SQLITE_CANTOPEN:
      return absl::NotFoundError(text);
    case SQLITE_IOERR:
      if (rc == SQLITE_IOERR_DATA) {
        return absl::DataLossError(absl::StrCat(
            "vault file is damaged: ", what,
            ": a page fails its checksum (a disk or copy error, or a program other than gdprkit "
            "wrote to the file; restore it from a backup)"));
      }
      return absl::UnavailableError(absl::StrCat(text, " (I/O error)"));
    case SQLITE_CONSTRAINT:
      return absl::AbortedError(text);
    default:
      return absl::InternalError(text);
  }
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

absl::Status Stmt::Prepare(sqlite3* db, const char* sql) {
  sqlite3_finalize(stmt_);
  stmt_ = nullptr;
  int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(rc, db, "preparing a vault query");
  return absl::OkStatus();
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

absl::StatusOr<std::unique_ptr<Db>> Db::Open(const std::string& path, bool create,
                                             int busy_timeout_ms, int cache_mib) {
  if (absl::Status s = CheckVaultPath(path); !s.ok()) return s;
  if (absl::Status s = EnsureVaultVfs(); !s.ok()) return s;
  if (create) {
    // Made here with mode 0600 whatever the umask: SQLite gives the -wal and
    // -shm files the mode of the database file, so none of them is readable
    // by other users (anyone who can copy the file can attack the passphrase
    // offline).
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot create vault file ", path, ": ", std::strerror(errno)));
    }
    struct stat st;
    const bool fresh = fstat(fd, &st) == 0 && st.st_size == 0;
    if (fresh) fchmod(fd, 0600);
    ::close(fd);
  }
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (create) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, kVaultVfsName);
  if (rc != SQLITE_OK) {
    absl::Status s = SqliteStatus(rc, raw, absl::StrCat("opening vault file ", path));
    sqlite3_close(raw);
    return s;
  }
  std::unique_ptr<Db> db(new Db(raw));
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  sqlite3_extended_result_codes(raw, 1);
  // wal_autocheckpoint=1: after every write transaction, a passive
  // checkpoint (it never waits for readers) folds the log into the main file,
  // so that between writes the file itself holds every committed batch: a
  // plain copy of it, or a -wal file lost, then loses nothing.
  std::string pragmas = absl::StrCat(
      "PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; "
      "PRAGMA wal_autocheckpoint=1; PRAGMA cache_size=-",
      cache_mib > 0 ? cache_mib * 1024 : 2048, ";");
  if (absl::Status s = db->Exec(pragmas.c_str(), "setting up the vault connection"); !s.ok()) {
    return s;
  }
  return db;
}

Db::~Db() { sqlite3_close_v2(db_); }

absl::Status Db::Exec(const char* sql, absl::string_view what) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc, what);
  return absl::OkStatus();
}

absl::Status Db::BeginWrite() { return Exec("BEGIN IMMEDIATE", "starting a vault transaction"); }
absl::Status Db::BeginRead() { return Exec("BEGIN", "starting a vault read"); }
absl::Status Db::Commit() { return Exec("COMMIT", "committing to the vault"); }
void Db::Rollback() { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

}  // namespace gdprkit::internal
