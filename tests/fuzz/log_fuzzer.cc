// Fuzzes what the two hash-chained logs read back from their files (the
// release log of gdprkit/release.h and the deletion log of
// gdprkit/deletion_log.h, one reader: common/hash_chain): any bytes, as
// either kind, plain or keyed. None may crash. Invariants (abort on
// violation):
//   - verification and reading agree: a log that verifies intact reads
//     back with as many entries, and a log that reads back verifies intact;
//   - a log read back re-verifies against its own head hash;
//   - an intact log opens, takes one more entry, and still verifies with one
//     entry more (the append never breaks a chain it accepted).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gdprkit/deletion_log.h"
#include "gdprkit/release.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

std::string TempPath() {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/gdprkit_log_fuzzer_" +
         std::to_string(::getpid()) + ".log";
}

void Write(const std::string& path, std::string_view bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  Check(f != nullptr);
  Check(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
  Check(std::fclose(f) == 0);
}

constexpr char kKey[] = "gdprkit-fuzz-key-0123456789abcdef";

void Release(const std::string& path, const gdprkit::ReleaseLogOptions& options) {
  auto v = gdprkit::VerifyReleaseLog(path, options);
  auto r = gdprkit::ReadReleaseLog(path, options);
  if (!v.ok()) {
    Check(!r.ok());
    return;
  }
  Check(r.ok() == v->intact);
  if (!r.ok()) return;
  Check(static_cast<std::int64_t>(r->size()) == v->entries);
  auto again = gdprkit::VerifyReleaseLog(path, options, v->head);
  Check(again.ok() && again->intact);
  auto log = gdprkit::ReleaseLog::Open(path, options);
  if (!log.ok()) return;  // e.g. read-only directory
  gdprkit::ReleaseReport rep;
  rep.release = "fuzz";
  rep.policy_digest = "blake2b-256:" + std::string(64, 'a');
  rep.content_digest = "blake2b-256:" + std::string(64, 'b');
  rep.on = gdprkit::DaysFromCivil(2026, 12, 1);
  rep.table = true;
  rep.audit_passed = true;
  rep.check.passed = true;
  if (!(*log)->Append(&rep, 1764547200).ok()) return;
  log->reset();
  auto after = gdprkit::VerifyReleaseLog(path, options);
  Check(after.ok() && after->intact && after->entries == v->entries + 1);
}

void Deletion(const std::string& path, const gdprkit::DeletionLogOptions& options) {
  auto v = gdprkit::VerifyDeletionLog(path, options);
  auto r = gdprkit::ReadDeletionLog(path, options);
  if (!v.ok()) {
    Check(!r.ok());
    return;
  }
  Check(r.ok() == v->intact);
  if (r.ok()) Check(static_cast<std::int64_t>(r->size()) == v->entries);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string path = TempPath();
  Write(path, bytes);
  gdprkit::DeletionLogOptions options;
  options.sync = false;
  if (mode & 1) options.key = std::string_view(kKey, sizeof kKey - 1);
  if (mode & 2) {
    Deletion(path, options);
  } else {
    Release(path, options);
  }
  std::remove(path.c_str());
  return 0;
}
