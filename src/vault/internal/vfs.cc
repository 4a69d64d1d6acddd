#include "vault/internal/vfs.h"

#include <sqlite3.h>

#include <cstring>
#include <mutex>

namespace gdprkit::internal {
namespace {

// --- The checksum --------------------------------------------------------------
//
// Two lanes over the page's 64-bit little-endian words (even and odd words),
// each h = (h ^ w) * P with an odd P: every step is a bijection of h, so a
// change to any one word always changes its lane's result (any number of
// flipped bits within that word, never cancelled by later words). The lanes
// keep two multiplications in flight; the result mixes both.

constexpr std::uint64_t kP0 = 0x9e3779b97f4a7c15ULL;
constexpr std::uint64_t kP1 = 0xc2b2ae3d27d4eb4fULL;

std::uint64_t LoadLe64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

void StoreLe64(std::uint64_t v, unsigned char* p) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}

std::uint64_t Rotl(std::uint64_t v, int r) { return (v << r) | (v >> (64 - r)); }

bool IsPageSize(std::size_t n) { return n >= 512 && n <= 65536 && (n & (n - 1)) == 0; }

// --- The shim --------------------------------------------------------------------

// Our file object, followed in memory by the file object of the VFS below.
struct VaultFile {
  sqlite3_file base;
  // Page checksums are written and checked: the header says 8 reserved bytes.
  bool checksums;
  sqlite3_file* Below() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

sqlite3_vfs* Lower(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }
sqlite3_file* Below(sqlite3_file* f) { return reinterpret_cast<VaultFile*>(f)->Below(); }

// A buffer starting at offset 0 with a database header decides whether the
// file has checksums (the reserved-bytes value at offset 20).
void NoteHeader(VaultFile* f, const void* buf, int amount, sqlite3_int64 offset) {
  if (offset != 0 || amount < 100) return;
  const auto* h = static_cast<const unsigned char*>(buf);
  if (std::memcmp(h, "SQLite format 3", 16) != 0) return;
  f->checksums = h[20] == kPageChecksumBytes;
}

int Close(sqlite3_file* file) {
  sqlite3_file* below = Below(file);
  return below->pMethods->xClose(below);
}

int Read(sqlite3_file* file, void* buf, int amount, sqlite3_int64 offset) {
  auto* f = reinterpret_cast<VaultFile*>(file);
  sqlite3_file* below = f->Below();
  int rc = below->pMethods->xRead(below, buf, amount, offset);
  if (rc != SQLITE_OK) return rc;
  NoteHeader(f, buf, amount, offset);
  const auto n = static_cast<std::size_t>(amount);
  if (f->checksums && IsPageSize(n) && offset % amount == 0 &&
      !PageChecksumMatches(static_cast<const unsigned char*>(buf), n)) {
    sqlite3_log(SQLITE_IOERR_DATA, "gdprkit vault: page %lld fails its checksum",
                static_cast<long long>(offset / amount + 1));
    return SQLITE_IOERR_DATA;
  }
  return SQLITE_OK;
}

int Write(sqlite3_file* file, const void* buf, int amount, sqlite3_int64 offset) {
  auto* f = reinterpret_cast<VaultFile*>(file);
  NoteHeader(f, buf, amount, offset);
  const auto n = static_cast<std::size_t>(amount);
  if (f->checksums && IsPageSize(n) && offset % amount == 0) {
    // The pager hands us its own page buffer; the reserved bytes are ours.
    auto* page = static_cast<unsigned char*>(const_cast<void*>(buf));
    PageChecksum(page, n, page + n - kPageChecksumBytes);
  }
  sqlite3_file* below = f->Below();
  return below->pMethods->xWrite(below, buf, amount, offset);
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  sqlite3_file* b = Below(file);
  return b->pMethods->xTruncate(b, size);
}
int Sync(sqlite3_file* file, int flags) {
  sqlite3_file* b = Below(file);
  return b->pMethods->xSync(b, flags);
}
int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  sqlite3_file* b = Below(file);
  return b->pMethods->xFileSize(b, size);
}
int Lock(sqlite3_file* file, int level) {
  sqlite3_file* b = Below(file);
  return b->pMethods->xLock(b, level);
}
int Unlock(sqlite3_file* file, int level) {
  sqlite3_file* b = Below(file);
  return b->pMethods->xUnlock(b, level);
}
int CheckReservedLock(sqlite3_file* file, int* out) {
  sqlite3_file* b = Below(file);
  return b->pMethods->xCheckReservedLock(b, out);
}
int FileControl(sqlite3_file* file, int op, void* arg) {
  auto* f = reinterpret_cast<VaultFile*>(file);
  if (op == SQLITE_FCNTL_PRAGMA && f->checksums) {
    // The page size of a file with checksums stays as it is.
    char** args = static_cast<char**>(arg);
    if (args[1] != nullptr && args[2] != nullptr && sqlite3_stricmp(args[1], "page_size") == 0) {
      return SQLITE_OK;
    }
  }
  sqlite3_file* b = f->Below();
  return b->pMethods->xFileControl(b, op, arg);
}
int SectorSize(sqlite3_file* file) {
  sqlite3_file* b = Below(file);
  return b->pMethods->xSectorSize(b);
}
int DeviceCharacteristics(sqlite3_file* file) {
  sqlite3_file* b = Below(file);
  int flags = b->pMethods->xDeviceCharacteristics(b);
#ifdef SQLITE_IOCAP_SUBPAGE_READ
  // Whole pages only, so that every page read is checked (SQLite >= 3.45).
  flags &= ~SQLITE_IOCAP_SUBPAGE_READ;
#endif
  return flags;
}
int ShmMap(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  sqlite3_file* b = Below(file);
  return b->pMethods->xShmMap(b, page, size, extend, out);
}
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  sqlite3_file* b = Below(file);
  return b->pMethods->xShmLock(b, offset, n, flags);
}
void ShmBarrier(sqlite3_file* file) {
  sqlite3_file* b = Below(file);
  b->pMethods->xShmBarrier(b);
}
int ShmUnmap(sqlite3_file* file, int delete_flag) {
  sqlite3_file* b = Below(file);
  return b->pMethods->xShmUnmap(b, delete_flag);
}
// No memory mapping: every page goes through Read and its check.
int Fetch(sqlite3_file*, sqlite3_int64, int, void** out) {
  *out = nullptr;
  return SQLITE_OK;
}
int Unfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

const sqlite3_io_methods kMethods = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* lower = Lower(vfs);
  if ((flags & SQLITE_OPEN_MAIN_DB) == 0) {
    // The write-ahead log, the shared-memory index and temporary files pass
    // through: their pages are the pager's, protected by SQLite's own WAL
    // frame checksums, and are checked here once checkpointed.
    return lower->xOpen(lower, name, file, flags, out_flags);
  }
  auto* f = reinterpret_cast<VaultFile*>(file);
  std::memset(f, 0, sizeof(*f));
  int rc = lower->xOpen(lower, name, f->Below(), flags, out_flags);
  file->pMethods = rc == SQLITE_OK ? &kMethods : nullptr;
  return rc;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Lower(vfs)->xDelete(Lower(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Lower(vfs)->xAccess(Lower(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return Lower(vfs)->xFullPathname(Lower(vfs), name, n, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) { return Lower(vfs)->xDlOpen(Lower(vfs), name); }
void DlError(sqlite3_vfs* vfs, int n, char* out) { Lower(vfs)->xDlError(Lower(vfs), n, out); }
void (*DlSym(sqlite3_vfs* vfs, void* h, const char* sym))(void) {
  return Lower(vfs)->xDlSym(Lower(vfs), h, sym);
}
void DlClose(sqlite3_vfs* vfs, void* h) { Lower(vfs)->xDlClose(Lower(vfs), h); }
int Randomness(sqlite3_vfs* vfs, int n, char* out) {
  return Lower(vfs)->xRandomness(Lower(vfs), n, out);
}
int Sleep(sqlite3_vfs* vfs, int us) { return Lower(vfs)->xSleep(Lower(vfs), us); }
int CurrentTime(sqlite3_vfs* vfs, double* out) { return Lower(vfs)->xCurrentTime(Lower(vfs), out); }
int GetLastError(sqlite3_vfs* vfs, int n, char* out) {
  return Lower(vfs)->xGetLastError(Lower(vfs), n, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  sqlite3_vfs* lower = Lower(vfs);
  if (lower->iVersion >= 2 && lower->xCurrentTimeInt64 != nullptr) {
    return lower->xCurrentTimeInt64(lower, out);
  }
  double days = 0;
  int rc = lower->xCurrentTime(lower, &days);
  *out = static_cast<sqlite3_int64>(days * 86400000.0);
  return rc;
}
int SetSystemCall(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr p) {
  return Lower(vfs)->xSetSystemCall(Lower(vfs), name, p);
}
sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Lower(vfs)->xGetSystemCall(Lower(vfs), name);
}
const char* NextSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Lower(vfs)->xNextSystemCall(Lower(vfs), name);
}

sqlite3_vfs g_vfs;
int g_register_rc = SQLITE_ERROR;

}  // namespace

void PageChecksum(const unsigned char* page, std::size_t page_size, unsigned char* out) {
  const std::size_t words = (page_size - kPageChecksumBytes) / 8;
  std::uint64_t a = kP1 ^ page_size, b = kP0 ^ (page_size << 17);
  std::size_t i = 0;
  for (; i + 1 < words; i += 2) {
    a = (a ^ LoadLe64(page + 8 * i)) * kP0;
    b = (b ^ LoadLe64(page + 8 * i + 8)) * kP1;
  }
  if (i < words) a = (a ^ LoadLe64(page + 8 * i)) * kP0;
  std::uint64_t h = a ^ Rotl(b, 31);
  h = (h ^ (h >> 29)) * kP1;
  StoreLe64(h ^ (h >> 32), out);
}

bool PageChecksumMatches(const unsigned char* page, std::size_t page_size) {
  unsigned char want[kPageChecksumBytes];
  PageChecksum(page, page_size, want);
  return std::memcmp(want, page + page_size - kPageChecksumBytes, kPageChecksumBytes) == 0;
}

absl::Status EnsureVaultVfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sqlite3_initialize() != SQLITE_OK) return;
    sqlite3_vfs* lower = sqlite3_vfs_find(nullptr);
    if (lower == nullptr) return;
    std::memset(&g_vfs, 0, sizeof(g_vfs));
    g_vfs.iVersion = lower->iVersion < 3 ? lower->iVersion : 3;
    g_vfs.szOsFile = static_cast<int>(sizeof(VaultFile)) + lower->szOsFile;
    g_vfs.mxPathname = lower->mxPathname;
    g_vfs.zName = kVaultVfsName;
    g_vfs.pAppData = lower;
    g_vfs.xOpen = Open;
    g_vfs.xDelete = Delete;
    g_vfs.xAccess = Access;
    g_vfs.xFullPathname = FullPathname;
    g_vfs.xDlOpen = DlOpen;
    g_vfs.xDlError = DlError;
    g_vfs.xDlSym = DlSym;
    g_vfs.xDlClose = DlClose;
    g_vfs.xRandomness = Randomness;
    g_vfs.xSleep = Sleep;
    g_vfs.xCurrentTime = CurrentTime;
    g_vfs.xGetLastError = GetLastError;
    g_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    g_vfs.xSetSystemCall = SetSystemCall;
    g_vfs.xGetSystemCall = GetSystemCall;
    g_vfs.xNextSystemCall = NextSystemCall;
    g_register_rc = sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0);
  });
  if (g_register_rc != SQLITE_OK) {
    return absl::InternalError("cannot register the vault's SQLite VFS");
  }
  return absl::OkStatus();
}

}  // namespace gdprkit::internal
