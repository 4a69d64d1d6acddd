// Shared by src/c_api/consent.cc and src/c_api/requests.cc: the handles of
// the consent ledger and the chain verification that both areas of
// include/gdprkit/c/consent.h read (an erasure and an access report take a
// ledger; a register verifies as a ledger does). Not installed.
#ifndef GDPRKIT_SRC_C_API_INTERNAL_CONSENT_DOOR_H_
#define GDPRKIT_SRC_C_API_INTERNAL_CONSENT_DOOR_H_

#include <cstring>
#include <memory>
#include <string_view>

#include "gdprkit.h"
#include "gdprkit/consent.h"

struct gdprkit_consent_ledger {
  std::unique_ptr<gdprkit::ConsentLedger> core;
};

struct gdprkit_consent_verification {
  gdprkit::ConsentVerification core;
};

namespace gdprkit::capi {

// A copy of `text` for C, released with gdprkit_retention_string_free
// (delete[]).
inline char* NewCString(std::string_view text) {
  char* s = new char[text.size() + 1];
  if (!text.empty()) std::memcpy(s, text.data(), text.size());
  s[text.size()] = '\0';
  return s;
}

}  // namespace gdprkit::capi

#endif  // GDPRKIT_SRC_C_API_INTERNAL_CONSENT_DOOR_H_
