// Page checksums for vault files: an SQLite VFS shim ("gdprkit-vault") that
// writes a checksum into the last 8 bytes of every page of the main database
// file and verifies it on every whole-page read, so that a flipped bit, a torn
// page or a page of another file reads as damage (SQLITE_IOERR_DATA, which
// SqliteStatus maps to DataLoss) instead of as different data.
//
// The design follows the one SQLite documents for its checksum VFS (ext/misc,
// "cksumvfs"): the checksum lives in the page's reserved bytes (a database
// whose header says 8 reserved bytes per page), it is computed when the pager
// writes a page to the main file and checked when it reads one; pages in the
// write-ahead log carry SQLite's own frame checksums and get ours when they
// are checkpointed into the main file. The checksum guards against accidents
// (disk decay, a bad copy); it is not a MAC: deliberate edits are caught by the
// vault's keyed MACs on its rows (docs/vault.md §4a).
#ifndef GDPRKIT_SRC_VAULT_INTERNAL_VFS_H_
#define GDPRKIT_SRC_VAULT_INTERNAL_VFS_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"

namespace gdprkit::internal {

// Reserved bytes at the end of each page of a vault with page checksums.
inline constexpr int kPageChecksumBytes = 8;

// The name of the VFS; registered (not as the default) on first use.
inline constexpr char kVaultVfsName[] = "gdprkit-vault";

// Registers the VFS once per process; Internal when SQLite refuses.
absl::Status EnsureVaultVfs();

// The checksum of one page of `page_size` bytes (a power of two, 512-65536):
// computed over its first page_size - 8 bytes into `out` (8 bytes).
void PageChecksum(const unsigned char* page, std::size_t page_size, unsigned char* out);

// True when the last 8 bytes of `page` are its checksum.
bool PageChecksumMatches(const unsigned char* page, std::size_t page_size);

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_VAULT_INTERNAL_VFS_H_
