// ContainsCprLike: decode the text into classified code points (digit with
// its value, separator, other; invisible format characters dropped), mark
// the digits of hex strings and UUIDs as not counting, cut the rest into
// maximal digit runs and gaps of separators, and test the digit groups of
// the shapes 10, 6+4 and 2+2+2+4 with CheckCpr. The decoded copy holds the
// digits of any CPR number in the text, so it is wiped before it is freed.
#include "common/redact.h"

#include <sodium.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "gdprkit/identifiers.h"

namespace gdprkit::internal {
namespace {

// The digit zero of every run of ten decimal digits in Unicode (general
// category Nd; all of them come as runs 0-9 in code point order), as of
// Unicode 15.0, sorted.
constexpr char32_t kDigitZeros[] = {
    0x0030,  0x0660,  0x06F0,  0x07C0,  0x0966,  0x09E6,  0x0A66,  0x0AE6,  0x0B66,  0x0BE6,
    0x0C66,  0x0CE6,  0x0D66,  0x0DE6,  0x0E50,  0x0ED0,  0x0F20,  0x1040,  0x1090,  0x17E0,
    0x1810,  0x1946,  0x19D0,  0x1A80,  0x1A90,  0x1B50,  0x1BB0,  0x1C40,  0x1C50,  0xA620,
    0xA8D0,  0xA900,  0xA9D0,  0xA9F0,  0xAA50,  0xABF0,  0xFF10,  0x104A0, 0x10D30, 0x11066,
    0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0,
    0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x11F50, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8,
    0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E950, 0x1FBF0,
};

// 0-9 for a decimal digit of any script, -1 otherwise.
int DigitValue(char32_t c) {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c < kDigitZeros[1]) return -1;
  const char32_t* it = std::upper_bound(std::begin(kDigitZeros), std::end(kDigitZeros), c);
  const char32_t zero = *(it - 1);  // c >= kDigitZeros[1], so it > begin
  return c - zero < 10 ? static_cast<int>(c - zero) : -1;
}

// What may stand between the groups of a CPR number: spaces, dashes,
// slashes, dots, underscores.
bool IsSeparator(char32_t c) {
  switch (c) {
    case U' ':
    case U'\t':
    case 0x00A0:  // no-break space
    case 0x202F:  // narrow no-break space
    case 0x205F:  // medium mathematical space
    case 0x3000:  // ideographic space
    case U'-':
    case 0x2212:  // minus sign
    case 0xFE58:  // small em dash
    case 0xFE63:  // small hyphen-minus
    case 0xFF0D:  // full-width hyphen-minus
    case U'/':
    case 0x2044:  // fraction slash
    case 0x2215:  // division slash
    case 0xFF0F:  // full-width solidus
    case U'.':
    case 0x2024:  // one dot leader
    case 0xFF0E:  // full-width full stop
    case U'_':
      return true;
    default:
      return (c >= 0x2000 && c <= 0x200A) ||  // en quad ... hair space
             (c >= 0x2010 && c <= 0x2015);    // hyphen ... horizontal bar
  }
}

// Invisible characters that can sit between digits without showing.
bool IsIgnorable(char32_t c) {
  return c == 0x00AD ||                   // soft hyphen
         (c >= 0x200B && c <= 0x200D) ||  // zero-width space, non-joiner, joiner
         (c >= 0x2060 && c <= 0x2064) ||  // word joiner, invisible operators
         c == 0xFEFF;                     // zero-width no-break space (BOM)
}

// Decodes the UTF-8 code point at s[i] into *cp and returns its length; an
// invalid, overlong or truncated sequence or a surrogate is one byte of
// U+FFFD.
std::size_t Decode(absl::string_view s, std::size_t i, char32_t* cp) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  *cp = 0xFFFD;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  std::size_t len;
  char32_t v;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    v = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    v = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    v = c & 0x07;
  } else {
    return 1;
  }
  if (i + len > s.size()) return 1;
  for (std::size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 1;
    v = (v << 6) | (b(i + k) & 0x3F);
  }
  if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
      v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    return 1;
  }
  *cp = v;
  return len;
}

enum class Kind : std::uint8_t { kDigit, kSeparator, kOther };

// One visible code point of the text.
struct Unit {
  Kind kind = Kind::kOther;
  std::int8_t digit = -1;    // 0-9 for kDigit
  bool alnum = false;        // ASCII [0-9A-Za-z]
  bool hex = false;          // ASCII [0-9A-Fa-f]
  bool hex_letter = false;   // ASCII [A-Fa-f]
  bool hyphen = false;       // ASCII '-'
  bool not_counted = false;  // a digit inside a hex string or a UUID
};

// The decoded text, wiped when it goes.
class Units {
 public:
  explicit Units(absl::string_view text) {
    v_.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
      char32_t cp;
      i += Decode(text, i, &cp);
      if (IsIgnorable(cp)) continue;
      Unit u;
      const int d = DigitValue(cp);
      if (d >= 0) {
        u.kind = Kind::kDigit;
        u.digit = static_cast<std::int8_t>(d);
      } else if (IsSeparator(cp)) {
        u.kind = Kind::kSeparator;
      }
      const bool ascii_digit = cp >= U'0' && cp <= U'9';
      const bool lower = cp >= U'a' && cp <= U'z', upper = cp >= U'A' && cp <= U'Z';
      u.alnum = ascii_digit || lower || upper;
      u.hex_letter = (cp >= U'a' && cp <= U'f') || (cp >= U'A' && cp <= U'F');
      u.hex = ascii_digit || u.hex_letter;
      u.hyphen = cp == U'-';
      v_.push_back(u);
    }
  }
  ~Units() {
    if (!v_.empty()) sodium_memzero(v_.data(), v_.size() * sizeof(Unit));
  }
  Units(const Units&) = delete;
  Units& operator=(const Units&) = delete;

  std::vector<Unit>& get() { return v_; }

 private:
  std::vector<Unit> v_;
};

// A maximal run of ASCII letters and digits.
struct Word {
  std::size_t begin = 0, end = 0;
  bool all_hex = true;
  bool hex_letter = false;
  std::size_t size() const { return end - begin; }
};

// Marks the digits of hex strings (16 or more hex characters, one a letter)
// and of UUIDs (8-4-4-4-12 hex characters joined by '-') as not counted.
void MarkHexAndUuids(std::vector<Unit>* units) {
  std::vector<Unit>& u = *units;
  std::vector<Word> words;
  for (std::size_t i = 0; i < u.size();) {
    if (!u[i].alnum) {
      ++i;
      continue;
    }
    Word w;
    w.begin = i;
    while (i < u.size() && u[i].alnum) {
      w.all_hex = w.all_hex && u[i].hex;
      w.hex_letter = w.hex_letter || u[i].hex_letter;
      ++i;
    }
    w.end = i;
    words.push_back(w);
  }
  auto mark = [&](const Word& w) {
    for (std::size_t k = w.begin; k < w.end; ++k) u[k].not_counted = true;
  };
  for (const Word& w : words) {
    if (w.size() >= 16 && w.all_hex && w.hex_letter) mark(w);
  }
  static constexpr std::size_t kUuid[5] = {8, 4, 4, 4, 12};
  for (std::size_t i = 0; i + 5 <= words.size(); ++i) {
    bool uuid = true;
    for (std::size_t j = 0; j < 5 && uuid; ++j) {
      const Word& w = words[i + j];
      uuid = w.all_hex && w.size() == kUuid[j] &&
             (j == 0 || (words[i + j - 1].end + 1 == w.begin && u[w.begin - 1].hyphen));
    }
    if (uuid) {
      for (std::size_t j = 0; j < 5; ++j) mark(words[i + j]);
    }
  }
}

// A maximal run of counted digits, a run of separators, or anything else.
struct Segment {
  enum Type : std::uint8_t { kDigits, kGap, kBreak } type;
  std::size_t begin;
  std::size_t size;
};

// At most this many separators between two groups ("010100 - 1234").
constexpr std::size_t kMaxGap = 3;

// True when the ten digits of `groups` (digit segments, in order) form a
// CPR number CheckCpr accepts.
bool PassesAsCpr(const std::vector<Unit>& u, std::initializer_list<const Segment*> groups) {
  char digits[10];
  std::size_t n = 0;
  for (const Segment* g : groups) {
    for (std::size_t k = 0; k < g->size && n < sizeof digits; ++k) {
      digits[n++] = static_cast<char>('0' + u[g->begin + k].digit);
    }
  }
  char normal[10];
  // A birth date in the future still passes: a mistyped number is withheld
  // like any other (and no clock is read).
  IdOptions any_date;
  any_date.cpr_allow_future = true;
  const bool cpr = n == sizeof digits && CheckCpr(std::string_view(digits, n), normal, nullptr,
                                                  any_date) == IdProblem::kNone;
  sodium_memzero(digits, sizeof digits);
  sodium_memzero(normal, sizeof normal);
  return cpr;
}

}  // namespace

bool ContainsCprLike(absl::string_view text) {
  // Fast path: plain ASCII with fewer than ten digits holds no CPR number.
  std::size_t ascii_digits = 0;
  bool ascii = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
    if (c >= '0' && c <= '9') ++ascii_digits;
  }
  if (ascii && ascii_digits < 10) return false;

  Units decoded(text);
  std::vector<Unit>& u = decoded.get();
  MarkHexAndUuids(&u);

  std::vector<Segment> segs;
  for (std::size_t i = 0; i < u.size();) {
    const std::size_t begin = i;
    if (u[i].kind == Kind::kDigit && !u[i].not_counted) {
      while (i < u.size() && u[i].kind == Kind::kDigit && !u[i].not_counted) ++i;
      segs.push_back({Segment::kDigits, begin, i - begin});
    } else if (u[i].kind == Kind::kSeparator) {
      while (i < u.size() && u[i].kind == Kind::kSeparator) ++i;
      segs.push_back({Segment::kGap, begin, i - begin});
    } else {
      while (i < u.size() &&
             !(u[i].kind == Kind::kSeparator || (u[i].kind == Kind::kDigit && !u[i].not_counted))) {
        ++i;
      }
      segs.push_back({Segment::kBreak, begin, i - begin});
    }
  }

  // The segment k places before `at`, or nullptr.
  const auto back = [&](std::size_t at, std::size_t k) -> const Segment* {
    return k <= at ? &segs[at - k] : nullptr;
  };
  const auto group = [](const Segment* s, std::size_t size) {
    return s != nullptr && s->type == Segment::kDigits && s->size == size;
  };
  const auto gap = [](const Segment* s) {
    return s != nullptr && s->type == Segment::kGap && s->size <= kMaxGap;
  };
  for (std::size_t k = 0; k < segs.size(); ++k) {
    const Segment* s = &segs[k];
    if (group(s, 10) && PassesAsCpr(u, {s})) return true;
    if (!group(s, 4) || !gap(back(k, 1))) continue;
    // DDMMYY SSSS
    if (group(back(k, 2), 6) && PassesAsCpr(u, {back(k, 2), s})) return true;
    // DD MM YY SSSS
    if (group(back(k, 2), 2) && gap(back(k, 3)) && group(back(k, 4), 2) && gap(back(k, 5)) &&
        group(back(k, 6), 2) && PassesAsCpr(u, {back(k, 6), back(k, 4), back(k, 2), s})) {
      return true;
    }
  }
  return false;
}

std::string RedactIdentifier(absl::string_view id) {
  if (ContainsCprLike(id)) return std::string(kWithheldIdentifier);
  return std::string(id);
}

}  // namespace gdprkit::internal
