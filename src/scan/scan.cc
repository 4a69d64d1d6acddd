// The scanner: one pass over the text that jumps from digit to digit (16
// bytes at a time with SSE2), cuts maximal digit runs, looks at the bytes
// around each run (word boundaries, dash-joined numbers, "DK", a provider
// cue, the second group of a CPR number) and hands the candidate to the
// check of its kind in gdprkit/identifiers.h. Nothing is copied but the ten
// digits of a CPR candidate, on the stack; found values are never stored.
#include "gdprkit/scan.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gdprkit/identifiers.h"

namespace gdprkit {
namespace {

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
inline bool IsAsciiAlpha(char c) { return static_cast<unsigned char>((c | 0x20) - 'a') < 26; }
inline bool IsAsciiAlnum(char c) { return IsDigit(c) || IsAsciiAlpha(c); }
inline char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c; }

// The first digit at or after `i`, or n.
inline std::size_t NextDigit(const char* p, std::size_t n, std::size_t i) {
#if defined(__SSE2__)
  const __m128i bias = _mm_set1_epi8(static_cast<char>(0x80 - '0'));
  const __m128i limit = _mm_set1_epi8(static_cast<char>(-128 + 10));
  while (i + 16 <= n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // b - '0' + 0x80 as a signed byte is below -118 exactly for '0'-'9'.
    int mask = _mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8(v, bias), limit));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    i += 16;
  }
#endif
  while (i < n && !IsDigit(p[i])) ++i;
  return i;
}

// Non-ASCII code points that separate words: Latin-1 punctuation and
// symbols (NBSP, «», °, ·, ×, ÷), general punctuation, symbols and arrows,
// CJK punctuation, full-width punctuation. Everything else is a letter.
inline bool IsSeparatorCodePoint(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF0F);
}

// Decodes the UTF-8 sequence at p[i..n) (its byte count to `length`); false
// when invalid.
inline bool DecodeAt(const char* p, std::size_t n, std::size_t i, std::uint32_t* cp,
                     std::size_t* length = nullptr) {
  const unsigned char c = static_cast<unsigned char>(p[i]);
  std::size_t len;
  std::uint32_t v;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    v = c & 0x1Fu;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    v = c & 0x0Fu;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    v = c & 0x07u;
  } else {
    return false;
  }
  if (i + len > n) return false;
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char cc = static_cast<unsigned char>(p[i + k]);
    if ((cc & 0xC0) != 0x80) return false;
    v = (v << 6) | (cc & 0x3Fu);
  }
  *cp = v;
  if (length != nullptr) *length = len;
  return true;
}

// True when the character that ends just before p[i] makes the digits at i
// part of a word (or number).
inline bool WordBefore(const char* p, std::size_t i) {
  if (i == 0) return false;
  const char c = p[i - 1];
  if (static_cast<unsigned char>(c) < 0x80) return IsAsciiAlnum(c);
  std::size_t b = i - 1;
  std::size_t back = 0;
  while (b > 0 && back < 3 && (static_cast<unsigned char>(p[b]) & 0xC0) == 0x80) {
    --b;
    ++back;
  }
  std::uint32_t cp = 0;
  std::size_t len = 0;
  // The sequence must end right before i: a stray continuation byte after a
  // complete character is invalid UTF-8, which counts as a letter.
  if (!DecodeAt(p, i, b, &cp, &len) || b + len != i) return true;
  return !IsSeparatorCodePoint(cp);
}

// True when the character at p[i] (i < n) is part of a word or number.
inline bool WordAt(const char* p, std::size_t n, std::size_t i) {
  if (i >= n) return false;
  const char c = p[i];
  if (static_cast<unsigned char>(c) < 0x80) return IsAsciiAlnum(c);
  std::uint32_t cp = 0;
  if (!DecodeAt(p, n, i, &cp)) return true;
  return !IsSeparatorCodePoint(cp);
}

// True when a provider cue (kScanCues) ends just before p[i], allowing
// ".", ":", "#", "=" and spaces between.
bool CueBefore(const char* p, std::size_t i) {
  std::size_t j = i;
  int skipped = 0;
  while (j > 0 && skipped < 4) {
    const char c = p[j - 1];
    if (c == ' ' || c == '.' || c == ':' || c == '#' || c == '=' || c == '\t') {
      --j;
      ++skipped;
    } else {
      break;
    }
  }
  if (j == 0) return false;
  const char last = Lower(p[j - 1]);
  if (last != 'r' && last != 'o') return false;
  for (std::string_view cue : kScanCues) {
    if (cue.size() > j) continue;
    const char* at = p + (j - cue.size());
    bool same = true;
    for (std::size_t k = 0; k < cue.size(); ++k) {
      if (Lower(at[k]) != cue[k]) {
        same = false;
        break;
      }
    }
    if (same && !WordBefore(p, j - cue.size())) return true;
  }
  return false;
}

struct Engine {
  const char* p;
  std::size_t n;
  IdKindSet kinds;
  const IdOptions* options;

  bool Cpr(const char* first6, const char* last4) const {
    char digits[10];
    for (int k = 0; k < 6; ++k) digits[k] = first6[k];
    for (int k = 0; k < 4; ++k) digits[6 + k] = last4[k];
    char out[10];
    const bool ok =
        CheckCpr(std::string_view(digits, 10), out, nullptr, *options) == IdProblem::kNone;
    volatile char* wipe = digits;
    for (int k = 0; k < 10; ++k) wipe[k] = 0;
    volatile char* wipe2 = out;
    for (int k = 0; k < 10; ++k) wipe2[k] = 0;
    return ok;
  }
};

}  // namespace

absl::StatusOr<IdScanner> IdScanner::Create(const ScanOptions& options) {
  IdScanner s;
  s.kinds_ = options.kinds.empty() ? kDefaultScanKinds : options.kinds;
  IdKindSet known;
  for (IdKind k : kScanKinds) known.Add(k);
  if ((s.kinds_.bits() & ~known.bits()) != 0) {
    std::string valid;
    for (IdKind k : kScanKinds)
      valid += std::string(valid.empty() ? "" : ", ") + "\"" + std::string(IdKindName(k)) + "\"";
    return absl::InvalidArgumentError(
        absl::StrCat("scan: ",
                     s.kinds_.Has(IdKind::kOther)
                         ? "identifiers of kind \"other\" have no form to find in free text"
                         : "unknown identifier kind",
                     "; valid kinds: ", valid));
  }
  if (!options.as_of.empty() && !IsValidIdDate(options.as_of)) {
    return absl::InvalidArgumentError(absl::StrCat("scan: as_of is no date (", options.as_of.year,
                                                   "-", options.as_of.month, "-", options.as_of.day,
                                                   ")"));
  }
  s.id_options_.cpr_require_modulus11 = options.require_modulus11;
  s.id_options_.cpr_as_of = options.as_of;
  s.id_options_ = ResolveCprAsOf(s.id_options_);
  return s;
}

void IdScanner::Run(std::string_view text, Sink sink, void* ctx) const {
  const char* p = text.data();
  const std::size_t n = text.size();
  const Engine e{p, n, kinds_, &id_options_};
  const bool want_cpr = kinds_.Has(IdKind::kCpr);
  const bool want_cvr = kinds_.Has(IdKind::kCvr);
  const bool want_gln = kinds_.Has(IdKind::kGln);
  const bool want_sor = kinds_.Has(IdKind::kSor);
  const bool want_provider = kinds_.Has(IdKind::kProviderNumber);
  std::size_t i = 0;
  while (true) {
    i = NextDigit(p, n, i);
    if (i >= n) return;
    const std::size_t s = i;
    std::size_t end = s;
    while (end < n && IsDigit(p[end])) ++end;
    const std::size_t len = end - s;
    i = end;
    // A "DK" VAT prefix before eight digits: "DK12345678", "DK-12345678",
    // "DK 12345678".
    std::size_t dk = 0;
    if (len == 8 && want_cvr && s >= 2) {
      std::size_t k = s;
      if (p[k - 1] == '-' || p[k - 1] == ' ') --k;
      if (k >= 2 && Lower(p[k - 1]) == 'k' && Lower(p[k - 2]) == 'd' && !WordBefore(p, k - 2)) {
        dk = s - (k - 2);
      }
    }
    if (dk == 0) {
      if (WordBefore(p, s)) continue;
      if (s >= 2 && p[s - 1] == '-' && IsDigit(p[s - 2])) continue;  // 2026-...
    }
    if (WordAt(p, n, end)) continue;
    const bool dash_after = end + 1 < n && p[end] == '-' && IsDigit(p[end + 1]);
    const bool space_after = end + 1 < n && p[end] == ' ' && IsDigit(p[end + 1]);
    if (len == 6 && (dash_after || space_after)) {
      // DDMMYY-SSSS or DDMMYY SSSS.
      std::size_t e2 = end + 1;
      while (e2 < n && IsDigit(p[e2])) ++e2;
      const bool closed = e2 - (end + 1) == 4 && !WordAt(p, n, e2) &&
                          !(e2 + 1 < n && p[e2] == '-' && IsDigit(p[e2 + 1]));
      if (closed && want_cpr && e.Cpr(p + s, p + end + 1)) {
        sink(ctx, s, e2 - s, IdKind::kCpr);
        i = e2;
        continue;
      }
      if (dash_after) {
        // A dashed number of other groups: skip its next run as well.
        i = e2;
        continue;
      }
    }
    if (dash_after) continue;  // 0101001234-01: part of a longer number
    char buf[18];
    switch (len) {
      case 10:
        if (want_cpr && e.Cpr(p + s, p + s + 6)) sink(ctx, s, len, IdKind::kCpr);
        break;
      case 8:
        if (want_cvr && CheckCvr(std::string_view(p + s, len), buf) == IdProblem::kNone) {
          sink(ctx, s - dk, len + dk, IdKind::kCvr);
        }
        break;
      case 13:
        if (want_gln && CheckGln(std::string_view(p + s, len), buf) == IdProblem::kNone) {
          sink(ctx, s, len, IdKind::kGln);
          break;
        }
        [[fallthrough]];
      case 11:
      case 12:
      case 14:
      case 15:
      case 16:
      case 17:
      case 18: {
        std::size_t sor_len = 0;
        if (want_sor && CheckSor(std::string_view(p + s, len), buf, &sor_len) == IdProblem::kNone) {
          sink(ctx, s, len, IdKind::kSor);
        }
        break;
      }
      default:
        if (len <= 6 && want_provider && CueBefore(p, s) &&
            CheckProviderNumber(std::string_view(p + s, len), buf, id_options_) ==
                IdProblem::kNone) {
          sink(ctx, s, len, IdKind::kProviderNumber);
        }
        break;
    }
  }
}

std::uint64_t IdScanner::Count(std::string_view text,
                               std::array<std::uint64_t, kNumScanKinds>* counts) const {
  std::uint64_t found = 0;
  ForEach(text, [&](const IdSpan& span) {
    ++(*counts)[static_cast<std::size_t>(ScanSlot(span.kind))];
    ++found;
  });
  return found;
}

ScanResult IdScanner::Scan(std::string_view text) const {
  ScanResult r;
  ForEach(text, [&](const IdSpan& span) {
    ++r.counts[static_cast<std::size_t>(ScanSlot(span.kind))];
    r.spans.push_back(span);
  });
  return r;
}

std::uint64_t IdScanner::RedactTo(std::string_view text, std::string* out,
                                  std::array<std::uint64_t, kNumScanKinds>* counts) const {
  std::size_t copied = 0;
  std::uint64_t found = 0;
  ForEach(text, [&](const IdSpan& span) {
    out->append(text.data() + copied, span.offset - copied);
    out->append(ScanMarker(span.kind));
    copied = span.offset + span.length;
    ++found;
    if (counts != nullptr) ++(*counts)[static_cast<std::size_t>(ScanSlot(span.kind))];
  });
  out->append(text.data() + copied, text.size() - copied);
  return found;
}

std::string IdScanner::Redact(std::string_view text, std::uint64_t* found) const {
  std::string out;
  out.reserve(text.size());
  const std::uint64_t f = RedactTo(text, &out);
  if (found != nullptr) *found = f;
  return out;
}

std::string_view ScanMarker(IdKind kind) {
  switch (kind) {
    case IdKind::kCpr:
      return "[CPR]";
    case IdKind::kCvr:
      return "[CVR]";
    case IdKind::kGln:
      return "[GLN]";
    case IdKind::kProviderNumber:
      return "[YDERNR]";
    case IdKind::kSor:
      return "[SOR]";
    default:
      return "[ID]";
  }
}

absl::StatusOr<ScanResult> ScanText(std::string_view text, const ScanOptions& options) {
  absl::StatusOr<IdScanner> scanner = IdScanner::Create(options);
  if (!scanner.ok()) return scanner.status();
  return scanner->Scan(text);
}

namespace {

// Starts a ScanCounts of `rows` rows, all zero.
void StartCounts(std::size_t rows, ScanCounts* c) {
  c->rows = rows;
  c->data.assign(kNumScanKinds * rows, 0);
  c->totals.fill(0);
  c->rows_with_findings = 0;
}

// Records one row's counts.
void PutRow(std::size_t row, const std::array<std::uint64_t, kNumScanKinds>& row_counts,
            ScanCounts* c) {
  bool any = false;
  for (std::size_t k = 0; k < kNumScanKinds; ++k) {
    const std::uint64_t v = row_counts[k];
    c->data[k * c->rows + row] = v > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(v);
    c->totals[k] += v;
    any = any || v != 0;
  }
  if (any) ++c->rows_with_findings;
}

}  // namespace

absl::StatusOr<ScanCounts> ScanTexts(absl::Span<const std::string_view> texts,
                                     const ScanOptions& options) {
  absl::StatusOr<IdScanner> scanner = IdScanner::Create(options);
  if (!scanner.ok()) return scanner.status();
  ScanCounts c;
  StartCounts(texts.size(), &c);
  for (std::size_t row = 0; row < texts.size(); ++row) {
    std::array<std::uint64_t, kNumScanKinds> row_counts{};
    scanner->Count(texts[row], &row_counts);
    PutRow(row, row_counts, &c);
  }
  return c;
}

absl::StatusOr<std::string> RedactText(std::string_view text, const ScanOptions& options) {
  absl::StatusOr<IdScanner> scanner = IdScanner::Create(options);
  if (!scanner.ok()) return scanner.status();
  return scanner->Redact(text);
}

absl::Status RedactTexts(absl::Span<const std::string_view> texts, const ScanOptions& options,
                         StringColumn* out, ScanCounts* found) {
  absl::StatusOr<IdScanner> scanner = IdScanner::Create(options);
  if (!scanner.ok()) return scanner.status();
  std::size_t bytes = 0;
  for (std::string_view t : texts) bytes += t.size();
  out->clear();
  out->reserve(texts.size(), bytes);
  if (found != nullptr) StartCounts(texts.size(), found);
  std::string scratch;
  for (std::size_t row = 0; row < texts.size(); ++row) {
    scratch.clear();
    std::array<std::uint64_t, kNumScanKinds> row_counts{};
    scanner->RedactTo(texts[row], &scratch, &row_counts);
    out->push_back(scratch);
    if (found != nullptr) PutRow(row, row_counts, found);
  }
  return absl::OkStatus();
}

}  // namespace gdprkit
