// The consent ledger's shared pieces (ledger.cc, ledger_receipt.cc): how a
// consent record is written into a chain-store entry and read back.
//
// A consent entry: kind "consent", subject = the record's subject, secret =
// its evidence, body = the public fields, each escaped (EscapeField) and
// TAB-joined:
//   purpose, state, at (YYYY-MM-DDTHH:MM:SSZ), valid_until (YYYY-MM-DD or ""),
//   notice_version, notice_digest, channel, recorded_by
// An erasure entry: kind "erasure", no subject, body = erased entries (a
// decimal number) TAB recorded_by.
#ifndef GDPRKIT_SRC_CONSENT_INTERNAL_LEDGER_IMPL_H_
#define GDPRKIT_SRC_CONSENT_INTERNAL_LEDGER_IMPL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "consent/internal/chain_store.h"
#include "gdprkit/consent.h"

namespace gdprkit::consent_internal {

inline constexpr std::string_view kConsentEntryKind = "consent";
inline constexpr std::string_view kErasureEntryKind = "erasure";
inline constexpr std::string_view kReceiptPublicKeyMeta = "receipt_public_key";

std::string ConsentBody(const ConsentRecord& r);
// Parses a consent body into *r (all but subject and evidence); "" or the
// problem.
std::string ParseConsentBody(std::string_view body, ConsentRecord* r);
std::string ErasureBody(std::int64_t erased, std::string_view recorded_by);
std::string ParseErasureBody(std::string_view body, std::int64_t* erased, std::string* recorded_by);

// Checks one record's fields; "" or "<field> ..." (never a value).
std::string CheckRecordFields(const ConsentRecord& r);
// Whether `digest` has NoticeDigest's form.
bool IsNoticeDigest(std::string_view digest);

// The Ed25519 key pair receipts are signed with, derived from the ledger key.
void ReceiptKeyPair(std::string_view ledger_key, unsigned char public_key[32],
                    unsigned char* secret_key /* 64 bytes, guarded by the caller */);

// A receipt for one verified store entry.
absl::StatusOr<std::string> WriteReceipt(const internal::StoreEntry& entry,
                                         const std::string& ledger_id, std::string_view ledger_key);

}  // namespace gdprkit::consent_internal

#endif  // GDPRKIT_SRC_CONSENT_INTERNAL_LEDGER_IMPL_H_
