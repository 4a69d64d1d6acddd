// The hash-chained, append-only line file behind the deletion log
// (gdprkit/deletion_log.h) and the release log (gdprkit/release.h).
//
// A chain file is UTF-8 text, one record per line, LF:
//   line 1   <magic> TAB 1 TAB <log id: 32 hex> TAB plain|keyed:<key id: 16 hex>
//   line k   <seq> TAB <field 1> TAB ... TAB <field n> TAB <hash: 64 hex>
// h0 = BLAKE2b-256([key], header line); hk = BLAKE2b-256([key], h(k-1) || line
// k up to the TAB before its hash). The key id is the first 8 bytes of
// BLAKE2b(key, "gdprkit <noun> key id v1"), which tells "wrong key" from
// "tampered". What the fields are (their number, their syntax) is the
// front's: ChainKind names the magic and the field count, and a ChainReader
// checks the fields of each entry whose hash verified.
//
// Writers take an exclusive flock on the file and catch up with what other
// processes appended before they write; a batch is written in one write()
// and cut off again (ftruncate) when the write or its fsync fails, so that no
// partial line stays behind.
#ifndef GDPRKIT_SRC_COMMON_HASH_CHAIN_H_
#define GDPRKIT_SRC_COMMON_HASH_CHAIN_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gdprkit::internal {

inline constexpr std::size_t kChainHashBytes = 32;

// A kind of chain file.
struct ChainKind {
  std::string_view magic;  // first field of the header: "gdprkit-deletion-log"
  std::string_view noun;   // for messages and the key id: "deletion log"
  std::size_t fields = 0;  // fields of an entry between its sequence number and its hash
};

// An entry whose hash verified, as the front reads it.
struct ChainEntry {
  std::int64_t seq = 0;
  int line = 0;
  std::vector<std::string_view> fields;  // kind.fields of them, as written (escaped)
  std::string hash;                      // 64 hex digits
};

// Checks an entry's fields: "" when they are well formed, else what is wrong
// ("malformed record id"), which breaks the chain there.
using ChainReader = std::function<std::string(const ChainEntry&)>;

// A chain file as its functions see it. `key` is empty for a plain chain.
struct ChainFile {
  const ChainKind* kind = nullptr;
  std::string path;
  std::string_view key;
  ChainReader read;
};

// Where the verified part of a chain ends.
struct ChainState {
  std::string log_id;
  bool keyed = false;
  std::int64_t seq = 0;
  unsigned char head[kChainHashBytes] = {};
  std::int64_t end = 0;  // file offset after the last verified line
};

// As DeletionLogVerification (gdprkit/deletion_log.h), which the fronts copy
// it into (VerifyChainAs).
struct ChainVerification {
  bool intact = false;
  std::int64_t entries = 0;
  std::string head;
  std::int64_t first_broken_entry = 0;
  int first_broken_line = 0;
  std::string problem;
  std::string log_id;
  bool keyed = false;
};

// InvalidArgument for a key that is neither empty nor 16-64 bytes.
absl::Status CheckChainKey(const ChainKind& kind, std::string_view key);

// A copy of `key` in guarded, read-only memory (libsodium), or nullptr when
// none can be had; FreeGuardedKey wipes and frees it.
unsigned char* GuardKey(std::string_view key);
void FreeGuardedKey(unsigned char* key);

// Opens the chain file for appending, creating it (mode 0600, with a header
// naming a fresh random log id) when it is missing or empty, and verifies the
// whole chain into *state. Returns the open descriptor (O_APPEND), which the
// caller closes. Errors: DataLoss naming the first broken entry;
// FailedPrecondition for a missing or wrong key; InvalidArgument for a key of
// the wrong size, an empty path, a file that is not a regular file or that is
// a chain file of another kind ("not a gdprkit release log (it is a gdprkit
// deletion log)"); NotFound/PermissionDenied/Internal from the file system.
absl::StatusOr<int> OpenChain(const ChainFile& file, bool sync, ChainState* state);

// Under an exclusive flock: catches up with what other writers appended
// (DataLoss when they left it broken or it shrank), then appends `entries`
// (each its fields, which must hold no TAB, LF or CR: escape text with
// EscapeField) in one write, all or none, and advances *state. Returns the
// hashes (64 hex) of the entries written; their sequence numbers follow
// state->seq as it was after catching up.
absl::StatusOr<std::vector<std::string>> AppendChain(
    const ChainFile& file, int fd, bool sync, const std::vector<std::vector<std::string>>& entries,
    ChainState* state);

// Verifies the file without changing it (a break is not an error; the result
// names it). `expected_head` (64 hex), if given, must be the hash of some
// entry or of the header. Errors: FailedPrecondition for a missing or wrong
// key; InvalidArgument for a key of the wrong size, a malformed expected
// head, another kind of chain file; NotFound/PermissionDenied/Internal.
absl::StatusOr<ChainVerification> VerifyChain(const ChainFile& file,
                                              std::string_view expected_head = {});

// Reads and verifies every entry (file.read sees each). Errors: DataLoss
// naming the first broken entry; otherwise as VerifyChain.
absl::Status ReadChain(const ChainFile& file);

// The typed fronts' shorthands. `read` fills an Entry from a verified entry's
// fields and returns what ChainReader returns.
template <typename Entry>
using EntryReader = std::string (*)(const ChainEntry&, Entry*);

// A ChainReader that checks the fields (and keeps nothing).
template <typename Entry>
ChainReader CheckingReader(EntryReader<Entry> read) {
  return [read](const ChainEntry& c) {
    Entry e;
    return read(c, &e);
  };
}

// ReadChain, collecting the entries.
template <typename Entry>
absl::StatusOr<std::vector<Entry>> ReadChainEntries(ChainFile file, EntryReader<Entry> read) {
  std::vector<Entry> entries;
  file.read = [&entries, read](const ChainEntry& c) {
    Entry e;
    std::string problem = read(c, &e);
    if (problem.empty()) entries.push_back(std::move(e));
    return problem;
  };
  if (absl::Status st = ReadChain(file); !st.ok()) return st;
  return entries;
}

// VerifyChain into a struct with ChainVerification's fields.
template <typename Verification>
absl::StatusOr<Verification> VerifyChainAs(const ChainFile& file, std::string_view expected_head) {
  absl::StatusOr<ChainVerification> c = VerifyChain(file, expected_head);
  if (!c.ok()) return c.status();
  Verification v;
  v.intact = c->intact;
  v.entries = c->entries;
  v.head = c->head;
  v.first_broken_entry = c->first_broken_entry;
  v.first_broken_line = c->first_broken_line;
  v.problem = c->problem;
  v.log_id = c->log_id;
  v.keyed = c->keyed;
  return v;
}

// The hex of a chain hash.
std::string ChainHex(const unsigned char hash[kChainHashBytes]);

// A text field: '%', control characters and DEL as %XX (upper-case hex).
std::string EscapeField(std::string_view s);
// Decodes %XX; refuses what EscapeField would not have written.
bool UnescapeField(std::string_view s, std::string* out);

// An instant as YYYY-MM-DDTHH:MM:SSZ (UTC), for seconds in
// 0 ... 253402300799 (9999-12-31T23:59:59Z), and back (false for anything
// else, or a date that does not exist).
inline constexpr std::int64_t kMaxChainSeconds = 253402300799;
std::string FormatInstant(std::int64_t seconds);
bool ParseInstant(std::string_view text, std::int64_t* seconds);

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_COMMON_HASH_CHAIN_H_
