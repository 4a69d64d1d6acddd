// A thin SQLite layer for the vault: a connection, prepared statements, and
// the translation of SQLite result codes into absl::Status with messages that
// say what the vault was doing (never a value it was working on).
#ifndef GDPRKIT_SRC_VAULT_INTERNAL_DB_H_
#define GDPRKIT_SRC_VAULT_INTERNAL_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gdprkit::internal {

// The application id written into the SQLite header of every vault ("gdkv").
inline constexpr std::uint32_t kVaultApplicationId = 0x67646b76;

// Looks at an existing file before SQLite does, so that a file that is not a
// vault, or a truncated one, is refused without being opened (and so without
// anything being written). OK, NotFound (no file), or DataLoss saying why.
absl::Status PrecheckVaultFile(const std::string& path);

// The first schema version whose files carry page checksums.
inline constexpr std::uint32_t kFirstChecksummedSchema = 3;

// InvalidArgument for a path SQLite would not treat as a plain file (empty, a
// NUL byte, ":memory:", a "file:" URI).
absl::Status CheckVaultPath(const std::string& path);

// Maps an SQLite result code to a Status: BUSY/LOCKED -> Unavailable,
// CORRUPT/NOTADB and IOERR_DATA (a page checksum) -> DataLoss, FULL -> ResourceExhausted,
// READONLY/PERM/AUTH -> PermissionDenied, CANTOPEN -> NotFound or PermissionDenied, others ->
// Internal. `what` says what was being done.
absl::Status SqliteStatus(int rc, sqlite3* db, absl::string_view what);

class Db;

// A prepared statement; reset and re-bound for every use.
class Stmt {
 public:
  Stmt() = default;
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  absl::Status Prepare(sqlite3* db, const char* sql);
  void Reset();
  void Bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  // The bytes must outlive the step (SQLITE_STATIC).
  void BindBlob(int i, absl::string_view v) {
    // A null pointer would bind NULL; an empty value is an empty blob.
    sqlite3_bind_blob(stmt_, i, v.data() != nullptr ? v.data() : "", static_cast<int>(v.size()),
                      SQLITE_STATIC);
  }
  void BindText(int i, absl::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data() != nullptr ? v.data() : "", static_cast<int>(v.size()),
                      SQLITE_STATIC);
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  std::int64_t Int(int i) const { return sqlite3_column_int64(stmt_, i); }
  absl::string_view Blob(int i) const {
    const void* p = sqlite3_column_blob(stmt_, i);
    int n = sqlite3_column_bytes(stmt_, i);
    return p == nullptr ? absl::string_view() : absl::string_view(static_cast<const char*>(p), n);
  }
  absl::string_view Text(int i) const {
    const unsigned char* p = sqlite3_column_text(stmt_, i);
    int n = sqlite3_column_bytes(stmt_, i);
    return p == nullptr ? absl::string_view()
                        : absl::string_view(reinterpret_cast<const char*>(p), n);
  }
  bool IsNull(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  sqlite3_stmt* get() { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// One connection.
class Db {
 public:
  // Opens `path` (creating it when `create`), sets the busy timeout and the
  // connection's pragmas.
  static absl::StatusOr<std::unique_ptr<Db>> Open(const std::string& path, bool create,
                                                  int busy_timeout_ms, int cache_mib);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  sqlite3* get() { return db_; }
  // Runs SQL without results.
  absl::Status Exec(const char* sql, absl::string_view what);
  // BEGIN IMMEDIATE (writers) or BEGIN (readers); COMMIT; ROLLBACK (ignores
  // errors: used on failure paths).
  absl::Status BeginWrite();
  absl::Status BeginRead();
  absl::Status Commit();
  void Rollback();
  absl::Status Error(int rc, absl::string_view what) { return SqliteStatus(rc, db_, what); }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// Rolls back on scope exit unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Db* db) : db_(db) {}
  ~Transaction() {
    if (open_) db_->Rollback();
  }
  absl::Status BeginWrite() {
    absl::Status s = db_->BeginWrite();
    open_ = s.ok();
    return s;
  }
  absl::Status BeginRead() {
    absl::Status s = db_->BeginRead();
    open_ = s.ok();
    return s;
  }
  absl::Status Commit() {
    absl::Status s = db_->Commit();
    if (s.ok()) open_ = false;
    return s;
  }

 private:
  Db* db_;
  bool open_ = false;
};

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_VAULT_INTERNAL_DB_H_
