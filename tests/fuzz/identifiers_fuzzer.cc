// Fuzzes every identifier parser (CPR, CVR, GLN, provider number, SOR, other)
// one value at a time and as a column: none may crash, read out of bounds or
// disagree with itself. Invariants checked (abort on violation):
//   - an accepted value's normal form is accepted again and is a fixed point;
//   - CheckIds / NormalizeIds on a column give the per-value answers;
//   - CheckCpr accepts exactly what NormalizeIdInto(kCpr) accepts, and its
//     CprInfo is a real calendar date.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gdprkit/identifiers.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // Byte 0: option bits; the rest: values separated by '\n'.
  gdprkit::IdOptions options;
  options.cpr_require_modulus11 = (data[0] & 1) != 0;
  options.cpr_allow_replacement = (data[0] & 2) != 0;
  options.pad_provider_number = (data[0] & 4) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<std::string_view> values;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    values.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  for (int k = 0; k <= 7; ++k) {  // 0 and 7 are not kinds: rejected, not crashed
    const auto kind = static_cast<gdprkit::IdKind>(k);
    std::vector<gdprkit::IdProblem> problems;
    gdprkit::StringColumn normalized;
    gdprkit::NormalizeIds(kind, values, &normalized, &problems, options);
    std::vector<gdprkit::IdProblem> checked;
    gdprkit::CheckIds(kind, values, &checked, options);
    Check(problems == checked);
    Check(normalized.size() == values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      absl::StatusOr<std::string> one = gdprkit::NormalizeId(kind, values[i], options);
      Check(one.ok() == (problems[i] == gdprkit::IdProblem::kNone));
      if (!one.ok()) {
        Check(normalized[i].empty());
        continue;
      }
      Check(*one == normalized[i]);
      absl::StatusOr<std::string> again = gdprkit::NormalizeId(kind, *one, options);
      Check(again.ok() && *again == *one);
      if (kind == gdprkit::IdKind::kCpr) {
        char digits[10];
        gdprkit::CprInfo info;
        Check(gdprkit::CheckCpr(values[i], digits, &info, options) == gdprkit::IdProblem::kNone);
        Check(std::string_view(digits, 10) == *one);
        Check(info.month >= 1 && info.month <= 12 && info.day >= 1 && info.day <= 31);
        Check(info.year >= 1858 && info.year <= 2057);
      }
    }
  }
  return 0;
}
