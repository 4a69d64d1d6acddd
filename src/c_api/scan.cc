// The C ABI of the identifier scanner (include/gdprkit/c/scan.h) over
// gdprkit/scan.h: options translated, the core's status passed through.
#include "gdprkit/scan.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string_view>

#include "c_api/internal/door.h"
#include "gdprkit.h"
#include "gdprkit/identifiers.h"

using gdprkit::capi::CheckNotNull;
using gdprkit::capi::FromCore;
using gdprkit::capi::NullArgument;

extern "C" {

GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_scan_options, GDPRKIT_SCAN_OPTIONS_INIT)

gdprkit_status gdprkit_scan_text(const char* text, size_t len, const gdprkit_scan_options* options,
                                 uint64_t* out_counts) {
  static constexpr const char* kFn = "gdprkit_scan_text";
  gdprkit::capi::ClearError();
  if (out_counts == nullptr) return NullArgument(kFn, "out_counts");
  if (gdprkit_status s = CheckNotNull(kFn, "text", text, len, "len"); s != GDPRKIT_OK) return s;
  gdprkit::ScanOptions o;
  if (options != nullptr) {
    if (options->version != GDPRKIT_SCAN_OPTIONS_VERSION) {
      return gdprkit::capi::BadVersion(kFn, "gdprkit_scan_options", options->version,
                                       GDPRKIT_SCAN_OPTIONS_VERSION);
    }
    for (unsigned k = 1; k < 32; ++k) {
      if ((options->kinds >> k) & 1u) o.kinds.Add(static_cast<gdprkit::IdKind>(k));
    }
    if ((options->kinds & 1u) != 0) o.kinds.Add(static_cast<gdprkit::IdKind>(0));
    o.require_modulus11 = options->require_modulus11 != 0;
    if (options->as_of != GDPRKIT_NO_DATE) {
      // Out of the years 1-9999 the core refuses the date (year 0 stands in).
      constexpr std::int64_t kFirst = gdprkit::id_internal::DaysFromCivil(1, 1, 1);
      constexpr std::int64_t kLast = gdprkit::id_internal::DaysFromCivil(9999, 12, 31);
      o.as_of = options->as_of < kFirst || options->as_of > kLast
                    ? gdprkit::IdDate{0, 1, 1}
                    : gdprkit::id_internal::CivilFromDays(options->as_of);
    }
  }
  try {
    absl::StatusOr<gdprkit::IdScanner> scanner = gdprkit::IdScanner::Create(o);
    if (!scanner.ok()) return FromCore(kFn, scanner.status());
    std::array<std::uint64_t, gdprkit::kNumScanKinds> counts{};
    scanner->Count(std::string_view(text == nullptr ? "" : text, len), &counts);
    static_assert(gdprkit::kNumScanKinds == GDPRKIT_SCAN_KINDS, "one count per scan kind");
    for (std::size_t k = 0; k < gdprkit::kNumScanKinds; ++k) {
      out_counts[static_cast<std::size_t>(gdprkit::kScanKinds[k]) - 1] = counts[k];
    }
  } catch (const std::bad_alloc&) {
    return gdprkit::capi::FailNoAlloc(GDPRKIT_RESOURCE_EXHAUSTED, kFn, "out of memory");
  }
  return GDPRKIT_OK;
}

}  // extern "C"
