#include "common/text.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/redact.h"
#include "common/sv.h"
#include "gdprkit/names.h"

namespace gdprkit::internal {

std::string Excerpt(std::string_view s) {
  std::string out(s.substr(0, 40));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  if (s.size() > 40) out += "...";
  return out;
}

std::string Quote(std::string_view s) { return absl::StrCat("\"", AV(s), "\""); }

std::string QuoteUntrusted(std::string_view s) {
  return Quote(Excerpt(SV(RedactIdentifier(AV(s)))));
}

std::string QuotedList(absl::Span<const std::string_view> names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) absl::StrAppend(&out, i + 1 == names.size() ? " and " : ", ");
    absl::StrAppend(&out, Quote(names[i]));
  }
  return out;
}

std::string DidYouMean(std::string_view wanted, absl::Span<const std::string_view> candidates,
                       std::size_t limit) {
  // Only names near enough to be what was meant: at most half of the longer
  // of the two wrong (at least one character), so that "nope" suggests
  // nothing rather than the nearest of unrelated names.
  std::vector<std::string_view> close;
  for (std::string_view c : candidates) {
    const std::size_t longer = std::max(wanted.size(), c.size());
    if (EditDistance(wanted, c) <= std::max<std::size_t>(1, (longer + 1) / 2)) close.push_back(c);
  }
  const std::vector<std::string> near = NearestNames(wanted, close, limit);
  if (near.empty()) return "";
  std::string out = "; did you mean ";
  for (std::size_t i = 0; i < near.size(); ++i) {
    if (i > 0) absl::StrAppend(&out, i + 1 == near.size() ? " or " : ", ");
    absl::StrAppend(&out, Quote(near[i]));
  }
  absl::StrAppend(&out, "?");
  return out;
}

std::string DidYouMeanTypo(std::string_view wanted, absl::Span<const std::string_view> candidates) {
  std::vector<std::string_view> near;
  for (std::string_view c : candidates) {
    if (EditDistance(wanted, c) <= std::max<std::size_t>(2, wanted.size() / 3)) near.push_back(c);
  }
  return DidYouMean(wanted, absl::MakeConstSpan(near), 1);
}

std::string DidYouMean(std::string_view wanted, const std::vector<std::string>& candidates,
                       std::size_t limit) {
  const std::vector<std::string_view> views(candidates.begin(), candidates.end());
  return DidYouMean(wanted, absl::MakeConstSpan(views), limit);
}

std::string IseSpelling(std::string_view s) {
  std::string out(s);
  for (std::size_t i = 0; i + 2 < out.size(); ++i) {
    if (out[i] == 'i' && out[i + 1] == 'z' && (out[i + 2] == 'e' || out[i + 2] == 'a')) {
      out[i + 1] = 's';
    }
  }
  return out;
}

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* const end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int more = 0;
    unsigned char lo = 0x80, hi = 0xbf;  // bounds of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
      more = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      more = 2;
      if (c == 0xe0) lo = 0xa0;  // overlong
      if (c == 0xed) hi = 0x9f;  // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      more = 3;
      if (c == 0xf0) lo = 0x90;  // overlong
      if (c == 0xf4) hi = 0x8f;  // above U+10FFFF
    } else {
      return false;
    }
    if (end - p <= more) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int i = 2; i <= more; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
    }
    p += more + 1;
  }
  return true;
}

}  // namespace gdprkit::internal
