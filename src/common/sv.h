// Debian's Abseil 20220623 is built with its own absl::string_view (not an
// alias of std::string_view), so std::string_view does not pass to StrCat and
// friends. The public API uses std::string_view; AV() bridges, without a copy.
#ifndef GDPRKIT_SRC_COMMON_SV_H_
#define GDPRKIT_SRC_COMMON_SV_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace gdprkit::internal {

inline absl::string_view AV(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view SV(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_COMMON_SV_H_
