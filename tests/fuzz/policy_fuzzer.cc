// Fuzzes the policy parser (text format and JSON) and everything a loaded
// policy answers: validation, rights and access must never crash, whatever
// the bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gdprkit/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the format, the rest is the policy.
  const auto format = static_cast<gdprkit::PolicyFormat>(data[0] % 3);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto policy = gdprkit::Policy::FromText(text, format, "fuzz");
  if (!policy.ok()) return 0;
  const gdprkit::Policy& p = **policy;
  (void)p.Validate();
  for (const gdprkit::Purpose& purpose : p.purposes()) {
    (void)p.Rights(purpose.id);
    for (const gdprkit::AccessGrant& g : purpose.access) {
      for (const std::string& role : g.roles) (void)p.MayAccess({g.team, role}, purpose.id);
      (void)p.MayAccess({g.team, ""}, purpose.id);
    }
    for (const std::string& c : purpose.categories) (void)p.PurposesUsing(c);
  }
  return 0;
}
