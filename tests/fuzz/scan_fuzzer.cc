// Fuzzes the free-text identifier scanner (gdprkit/scan.h): any bytes, any
// kinds. None may crash or read out of bounds. Invariants (abort on
// violation):
//   - spans lie in the text, in order, without overlap, each of a kind asked
//     for, and the counts are the spans counted;
//   - each span passes its kind's check of gdprkit/identifiers.h (a CPR span
//     is six digits, an optional dash or space and four digits; a CVR span
//     may start with "DK", "DK-" or "DK ");
//   - the batch form (one text per line) counts what the single form counts
//     line by line, and RedactTexts gives each line's Redact;
//   - redacted text holds no identifier: scanning it again finds none.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gdprkit/identifiers.h"
#include "gdprkit/scan.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckSpan(std::string_view text, const gdprkit::IdSpan& s, const gdprkit::IdScanner& sc) {
  Check(s.offset <= text.size() && s.length <= text.size() - s.offset && s.length > 0);
  Check(sc.kinds().Has(s.kind));
  std::string_view v = text.substr(s.offset, s.length);
  char buf[18];
  std::size_t len = 0;
  switch (s.kind) {
    case gdprkit::IdKind::kCpr: {
      Check(v.size() == 10 || v.size() == 11);
      std::string digits(v);
      if (digits.size() == 11) {
        Check(digits[6] == '-' || digits[6] == ' ');
        digits.erase(6, 1);
      }
      Check(gdprkit::CheckCpr(digits, buf, nullptr, sc.id_options()) == gdprkit::IdProblem::kNone);
      break;
    }
    case gdprkit::IdKind::kCvr:
      if (v.size() > 8) v.remove_prefix(v.size() - 8);
      Check(gdprkit::CheckCvr(v, buf) == gdprkit::IdProblem::kNone);
      break;
    case gdprkit::IdKind::kGln:
      Check(gdprkit::CheckGln(v, buf) == gdprkit::IdProblem::kNone);
      break;
    case gdprkit::IdKind::kSor:
      Check(gdprkit::CheckSor(v, buf, &len) == gdprkit::IdProblem::kNone);
      break;
    case gdprkit::IdKind::kProviderNumber:
      Check(gdprkit::CheckProviderNumber(v, buf, sc.id_options()) == gdprkit::IdProblem::kNone);
      break;
    default:
      Check(false);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // Byte 0: kinds (bits 1-5; 0: the default kinds) and bit 6: modulus 11.
  gdprkit::ScanOptions options;
  for (unsigned k = 1; k <= 5; ++k) {
    if ((data[0] >> k) & 1u) options.kinds.Add(static_cast<gdprkit::IdKind>(k));
  }
  options.require_modulus11 = (data[0] & 0x40) != 0;
  options.as_of = gdprkit::IdDate{2026, 12, 3};
  absl::StatusOr<gdprkit::IdScanner> sc = gdprkit::IdScanner::Create(options);
  Check(sc.ok());
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  const gdprkit::ScanResult r = sc->Scan(text);
  std::size_t end = 0;
  std::array<std::uint64_t, gdprkit::kNumScanKinds> counts{};
  for (const gdprkit::IdSpan& s : r.spans) {
    Check(s.offset >= end);
    CheckSpan(text, s, *sc);
    end = s.offset + s.length;
    ++counts[static_cast<std::size_t>(gdprkit::ScanSlot(s.kind))];
  }
  Check(counts == r.counts);
  std::array<std::uint64_t, gdprkit::kNumScanKinds> counted{};
  Check(sc->Count(text, &counted) == r.spans.size() && counted == r.counts);

  const std::string redacted = sc->Redact(text);
  Check(sc->Scan(redacted).spans.empty());

  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  absl::StatusOr<gdprkit::ScanCounts> batch = gdprkit::ScanTexts(lines, options);
  Check(batch.ok() && batch->rows == lines.size());
  gdprkit::StringColumn column;
  Check(gdprkit::RedactTexts(lines, options, &column).ok());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const gdprkit::ScanResult one = sc->Scan(lines[i]);
    for (gdprkit::IdKind k : gdprkit::kScanKinds) Check(batch->at(i, k) == one.count(k));
    Check(column[i] == sc->Redact(lines[i]));
  }
  return 0;
}
