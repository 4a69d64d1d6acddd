// gdprkit/deletion_log.h: an append-only, hash-chained proof of deletion.
//
// The caller deletes records (a sweep said they were due) and reports each
// deletion here; the log appends one line per deletion, chained by
// BLAKE2b-256 (libsodium crypto_generichash): each entry's hash covers the
// previous entry's hash and the entry itself, so that an entry changed,
// removed, inserted or reordered breaks the chain from there on.
// VerifyDeletionLog names the first broken entry. With a key (16-64 secret
// bytes, kept by the host) the hashes are keyed: without the key nobody can
// recompute the chain after altering it. Without a key, keep the head hash
// somewhere else (a ticket, a report) and give it to VerifyDeletionLog as
// expected_head to notice a log cut short or rewritten entirely.
//
// The log must not keep what was deleted: record ids are internal keys or
// pseudonyms; an id shaped like a CPR number is refused. docs/retention.md
// documents the file format.
//
// A DeletionLog is safe to use from several threads; several processes may
// append to the same file (they take turns under an exclusive flock).
#ifndef GDPRKIT_DELETION_LOG_H_
#define GDPRKIT_DELETION_LOG_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gdprkit/retention.h"

namespace gdprkit {

// What the caller reports about one deletion.
struct DeletionRecord {
  std::string record_id;         // 1-1024 bytes of UTF-8; not a CPR number
  std::string rule_id;           // the rule that made it due; empty when deleted on request
  DayNumber due_date = kNoDate;  // the date it was due; kNoDate when none
  std::int64_t deleted_at = 0;   // when it was deleted: seconds since 1970-01-01T00:00:00Z
};

// One entry of the log as read back.
struct DeletionLogEntry {
  std::int64_t seq = 0;  // 1-based
  DeletionRecord deletion;
  std::string hash;  // 64 hex digits: this entry's chain hash
  int line = 0;      // line in the file (the header is line 1)
};

struct DeletionLogOptions {
  // Secret key for keyed hashing, 16-64 bytes, or empty for a plain chain.
  // Copied into guarded memory (libsodium) and wiped when the log is closed.
  std::string_view key;
  // fsync after each append, so that an acknowledged deletion survives a crash.
  bool sync = true;
};

// The result of checking a log.
struct DeletionLogVerification {
  bool intact = false;
  std::int64_t entries = 0;  // entries that verified, before any break
  std::string head;          // hash of the last entry that verified (or of the header)
  std::int64_t first_broken_entry =
      0;                      // seq of the first broken entry (0: the header); -1 if intact
  int first_broken_line = 0;  // its line in the file; 0 when intact
  std::string problem;        // what is wrong there; empty when intact
  std::string log_id;         // from the header
  bool keyed = false;         // the log's hashes are keyed
};

class DeletionLog {
 public:
  // Opens the log at `path`, creating it (mode 0600, with a header naming a
  // fresh random log id) when it is missing or empty, and verifies the whole
  // chain before anything is appended to it. Errors: DataLoss naming the first
  // broken entry; FailedPrecondition when a keyed log is opened without its
  // key, with another key, or a plain log with a key; InvalidArgument for a
  // key of the wrong size; NotFound/PermissionDenied/Internal from the file
  // system.
  static absl::StatusOr<std::unique_ptr<DeletionLog>> Open(const std::string& path,
                                                           const DeletionLogOptions& options = {});

  ~DeletionLog();
  DeletionLog(const DeletionLog&) = delete;
  DeletionLog& operator=(const DeletionLog&) = delete;

  // Appends one deletion and returns the entry written. Errors:
  // InvalidArgument naming the field (empty, too long, not UTF-8, CPR-shaped
  // record id; due date or deletion time out of range); DataLoss when another
  // writer left the file broken; Internal for I/O errors (nothing is left
  // half-written: a partial line is cut off again).
  absl::StatusOr<DeletionLogEntry> Append(const DeletionRecord& deletion);

  // Appends several deletions in one write: all or none. Errors as Append,
  // naming the index of the bad deletion.
  absl::StatusOr<std::vector<DeletionLogEntry>> AppendAll(
      absl::Span<const DeletionRecord> deletions);

  const std::string& path() const { return path_; }
  const std::string& log_id() const { return log_id_; }
  // Number of entries and the hash of the last one (of the header when none),
  // as of the last call that read or wrote the file.
  std::int64_t entries() const;
  std::string head() const;

 private:
  DeletionLog() = default;
  absl::Status CatchUp();  // reads what other writers appended

  std::string path_;
  std::string log_id_;
  int fd_ = -1;
  unsigned char* key_ = nullptr;  // sodium_malloc'd; nullptr for a plain log
  std::size_t key_size_ = 0;
  bool sync_ = true;
  mutable std::mutex mu_;
  std::int64_t seq_ = 0;
  unsigned char head_[32] = {};
  std::int64_t end_ = 0;  // file offset up to which the chain was verified
};

// Verifies the log at `path` without changing it. A broken chain is not an
// error: the result says where it breaks. `expected_head` (64 hex digits), if
// given, must be the hash of some entry of the log (or of the header);
// otherwise the log was cut short or replaced. Errors: FailedPrecondition for
// a missing or wrong key (as Open); InvalidArgument for a malformed
// expected_head; NotFound/PermissionDenied/Internal from the file system.
absl::StatusOr<DeletionLogVerification> VerifyDeletionLog(const std::string& path,
                                                          const DeletionLogOptions& options = {},
                                                          std::string_view expected_head = {});

// Reads and verifies every entry. Errors: DataLoss naming the first broken
// entry; otherwise as VerifyDeletionLog.
absl::StatusOr<std::vector<DeletionLogEntry>> ReadDeletionLog(
    const std::string& path, const DeletionLogOptions& options = {});

}  // namespace gdprkit

#endif  // GDPRKIT_DELETION_LOG_H_
