// gdprkit/scan.h: finding Danish identifiers in free text.
//
// A release must not carry an identifier in clear, and free text (clinical
// notes, comments, messages) is where they hide. This header finds CPR, CVR,
// GLN, provider (ydernummer) and SOR numbers in text, counts them, says where
// they are (offsets, never values) and redacts them. The checks are those of
// gdprkit/identifiers.h (CheckCpr, CheckCvr, CheckGln, CheckProviderNumber,
// CheckSor): a number counts only when it passes the check of its kind, so a
// CPR-shaped number whose first six digits are no date (320199-1234), or a
// date after the day the text is judged on, is not a finding.
//
// What is a candidate (ASCII digits only; see docs/release.md):
//   - a maximal run of ASCII digits that does not touch a letter or a digit
//     on either side: "pt0101001234" and "0101001234a" are words, not numbers.
//     Any non-ASCII character counts as a letter except spaces, dashes,
//     quotation marks, bullets and the other punctuation and symbols of
//     U+0080-U+00BF, U+2000-U+2BFF, U+3000-U+303F, U+FF00-U+FF0F (so "æ12"
//     is a word, "«0101001234»" and "37°" are not);
//   - a run joined to another digit run by a dash ("2026-0101001234",
//     "0101001234-01", "12-010203-1234") is part of a longer number (an order
//     or case number) and is not a candidate;
//   - CPR: ten digits DDMMYYSSSS, or six and four apart by one dash or one
//     space (DDMMYY-SSSS, DDMMYY SSSS; people type the space, and a six-digit
//     date followed by four digits is rare enough in notes);
//   - CVR: eight digits, optionally right after "DK", "DK-" or "DK " (the VAT
//     form; the prefix is part of the span). Phone numbers are eight digits
//     too; about one in eleven passes the CVR check and is found: the scanner
//     errs on the side of finding;
//   - GLN: thirteen digits; SOR: eleven to eighteen digits (not in the
//     default kinds: SOR codes name health-care units, not people);
//   - provider number: one to six digits, only right after a cue word such as
//     "ydernummer", "ydernr.", "yder nr", "provider number" (kScanCues):
//     without a check digit a six-digit number is anything.
// A run that passes more than one kind's check (a 13-digit run is a GLN, an
// 11-18-digit run is a SOR code) is reported once, as the first kind in this
// order: CPR, CVR, GLN, SOR, provider number.
//
// Pure, allocation-free per text but for the spans and redacted output,
// thread-safe. Text may hold any bytes (invalid UTF-8 counts as letters).
#ifndef GDPRKIT_SCAN_H_
#define GDPRKIT_SCAN_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gdprkit/identifiers.h"

namespace gdprkit {

// A set of identifier kinds (a bit per IdKind number).
class IdKindSet {
 public:
  constexpr IdKindSet() = default;
  constexpr IdKindSet(std::initializer_list<IdKind> kinds) {
    for (IdKind k : kinds) Add(k);
  }
  constexpr void Add(IdKind kind) { bits_ |= Bit(kind); }
  constexpr bool Has(IdKind kind) const { return (bits_ & Bit(kind)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr std::uint32_t bits() const { return bits_; }

 private:
  static constexpr std::uint32_t Bit(IdKind kind) {
    return std::uint32_t{1} << (static_cast<unsigned>(kind) & 31u);
  }
  std::uint32_t bits_ = 0;
};

// The kinds the scanner can look for, in the order results list them (the
// slot of a kind in ScanCounts): every numeric kind, not kOther.
inline constexpr IdKind kScanKinds[] = {IdKind::kCpr, IdKind::kCvr, IdKind::kGln,
                                        IdKind::kProviderNumber, IdKind::kSor};
inline constexpr std::size_t kNumScanKinds = 5;

// The slot of `kind` in kScanKinds, or -1 (kOther, unknown).
constexpr int ScanSlot(IdKind kind) {
  for (std::size_t i = 0; i < kNumScanKinds; ++i) {
    if (kScanKinds[i] == kind) return static_cast<int>(i);
  }
  return -1;
}

// The kinds looked for unless the caller says otherwise: those that name a
// person or a practice (CPR, CVR, GLN, provider number).
inline constexpr IdKindSet kDefaultScanKinds = {IdKind::kCpr, IdKind::kCvr, IdKind::kGln,
                                                IdKind::kProviderNumber};

struct ScanOptions {
  // What to look for; empty: kDefaultScanKinds. kOther is an error.
  IdKindSet kinds;
  // The date CPR numbers are judged on (a birth date after it is no CPR
  // number). Empty: today's date in Denmark, read once per call.
  IdDate as_of;
  // Require the CPR modulus-11 check (only numbers issued before October
  // 2007 pass it; see identifiers.h).
  bool require_modulus11 = false;
};

// One identifier found: where it is, never what it is.
struct IdSpan {
  std::size_t offset = 0;  // byte offset in the text
  std::size_t length = 0;  // bytes, including a "DK" prefix or a separator
  IdKind kind = IdKind::kCpr;
  friend bool operator==(const IdSpan& a, const IdSpan& b) {
    return a.offset == b.offset && a.length == b.length && a.kind == b.kind;
  }
};

// What ScanText found in one text.
struct ScanResult {
  std::array<std::uint64_t, kNumScanKinds> counts{};  // by slot (ScanSlot)
  std::vector<IdSpan> spans;                          // in text order
  std::uint64_t count(IdKind kind) const {
    int slot = ScanSlot(kind);
    return slot < 0 ? 0 : counts[static_cast<std::size_t>(slot)];
  }
  std::uint64_t total() const {
    std::uint64_t t = 0;
    for (std::uint64_t c : counts) t += c;
    return t;
  }
};

// Counts per text and kind for a batch: one block of `rows` counts per slot
// (kind-major, so that each kind is one contiguous column).
struct ScanCounts {
  std::size_t rows = 0;
  std::vector<std::uint32_t> data;  // kNumScanKinds * rows
  std::uint32_t at(std::size_t row, IdKind kind) const {
    int slot = ScanSlot(kind);
    return slot < 0 ? 0 : data[static_cast<std::size_t>(slot) * rows + row];
  }
  // The column of one kind (rows values).
  absl::Span<const std::uint32_t> column(IdKind kind) const {
    int slot = ScanSlot(kind);
    if (slot < 0) return {};
    return absl::Span<const std::uint32_t>(data.data() + static_cast<std::size_t>(slot) * rows,
                                           rows);
  }
  // Totals per slot over all rows, and the number of rows with any finding.
  std::array<std::uint64_t, kNumScanKinds> totals{};
  std::size_t rows_with_findings = 0;
};

// The options checked and resolved once (kinds defaulted, as_of read from the
// clock when empty). Reuse one for many texts so that every text is judged on
// the same date.
class IdScanner {
 public:
  // InvalidArgument for kOther or an unknown kind in options.kinds, or an
  // as_of that is no date.
  static absl::StatusOr<IdScanner> Create(const ScanOptions& options = ScanOptions());

  // Calls on_found(IdSpan) for each identifier in `text`, in text order.
  template <typename F>
  void ForEach(std::string_view text, F&& on_found) const;

  // Spans and counts of one text.
  ScanResult Scan(std::string_view text) const;
  // Counts only, into `counts` (by slot; added to, not reset). Returns the
  // number found. No allocation.
  std::uint64_t Count(std::string_view text,
                      std::array<std::uint64_t, kNumScanKinds>* counts) const;
  // `text` with each identifier replaced by its marker (ScanMarker).
  std::string Redact(std::string_view text, std::uint64_t* found = nullptr) const;
  // Appends the redacted text to `out`; returns the number replaced, and
  // adds them by slot to `counts` when given.
  std::uint64_t RedactTo(std::string_view text, std::string* out,
                         std::array<std::uint64_t, kNumScanKinds>* counts = nullptr) const;

  IdKindSet kinds() const { return kinds_; }
  const IdOptions& id_options() const { return id_options_; }

 private:
  IdKindSet kinds_;
  IdOptions id_options_;
  // Calls on_found(offset, length, kind) for each identifier; the engine.
  using Sink = void (*)(void* ctx, std::size_t offset, std::size_t length, IdKind kind);
  void Run(std::string_view text, Sink sink, void* ctx) const;
};

template <typename F>
void IdScanner::ForEach(std::string_view text, F&& on_found) const {
  Run(
      text,
      [](void* ctx, std::size_t offset, std::size_t length, IdKind kind) {
        (*static_cast<std::remove_reference_t<F>*>(ctx))(IdSpan{offset, length, kind});
      },
      const_cast<void*>(static_cast<const void*>(&on_found)));
}

// What Redact puts in place of an identifier of `kind`: "[CPR]", "[CVR]",
// "[GLN]", "[YDERNR]", "[SOR]" (the same in every door; "[ID]" otherwise).
std::string_view ScanMarker(IdKind kind);

// The cue words before a provider number, lower-case (matched
// case-insensitively, followed by optional ".", ":", "#" and spaces).
inline constexpr std::string_view kScanCues[] = {
    "ydernummer", "ydernr", "yder-nr", "yder nr", "yder", "provider number", "provider no",
};

// One text: spans and counts. InvalidArgument as IdScanner::Create.
absl::StatusOr<ScanResult> ScanText(std::string_view text,
                                    const ScanOptions& options = ScanOptions());

// Many texts: counts per row and kind, no allocation per row.
absl::StatusOr<ScanCounts> ScanTexts(absl::Span<const std::string_view> texts,
                                     const ScanOptions& options = ScanOptions());

// One text with every identifier replaced by its marker.
absl::StatusOr<std::string> RedactText(std::string_view text,
                                       const ScanOptions& options = ScanOptions());

// Many texts redacted into one StringColumn (two allocations in all);
// `found` (optional) gets the counts as ScanTexts would.
absl::Status RedactTexts(absl::Span<const std::string_view> texts, const ScanOptions& options,
                         StringColumn* out, ScanCounts* found = nullptr);

}  // namespace gdprkit

#endif  // GDPRKIT_SCAN_H_
