// Names: the edit distance behind every "did you mean" of gdprkit. Part of
// the C++ API since 0.1 (declared in gdprkit/basis.h until 0.3; basis.h still
// includes this header).
#ifndef GDPRKIT_NAMES_H_
#define GDPRKIT_NAMES_H_

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gdprkit {

// Levenshtein distance, used to suggest the nearest valid codes.
inline std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const char ca = a[i - 1] >= 'A' && a[i - 1] <= 'Z' ? a[i - 1] - 'A' + 'a' : a[i - 1];
      const char cb = b[j - 1] >= 'A' && b[j - 1] <= 'Z' ? b[j - 1] - 'A' + 'a' : b[j - 1];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (ca == cb ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// Up to `limit` candidates nearest to `wanted` by edit distance (ties in the
// candidates' order), for "did you mean" messages.
inline std::vector<std::string> NearestNames(std::string_view wanted,
                                             const std::vector<std::string_view>& candidates,
                                             std::size_t limit = 3) {
  std::vector<std::pair<std::size_t, std::size_t>> scored;  // (distance, index)
  scored.reserve(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    scored.emplace_back(EditDistance(wanted, candidates[i]), i);
  }
  std::stable_sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && out.size() < limit; ++i) {
    out.emplace_back(candidates[scored[i].second]);
  }
  return out;
}

}  // namespace gdprkit

#endif  // GDPRKIT_NAMES_H_
