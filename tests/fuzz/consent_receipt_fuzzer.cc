// Fuzzes the consent receipt parser and checker (VerifyConsentReceipt): any
// text, with and without a public key. Nothing may crash; a result is either
// a verification with a problem or, for a valid receipt, one whose fields
// check; only a malformed public key is an error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gdprkit/consent.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<gdprkit::ReceiptVerification> v = gdprkit::VerifyConsentReceipt(text);
  Check(v.ok());
  if (v->valid) {
    Check(v->problem.empty() && v->seq >= 1 && v->hash.size() == 64);
    Check(v->record.state != gdprkit::ConsentState::kNone);
  } else {
    Check(!v->problem.empty());
  }
  constexpr std::string_view kKey =
      "0000000000000000000000000000000000000000000000000000000000000000";
  absl::StatusOr<gdprkit::ReceiptVerification> w = gdprkit::VerifyConsentReceipt(text, kKey);
  Check(w.ok());
  Check(!w->valid || w->signed_receipt);
  return 0;
}
