// gdprkit/common.h: what every area of gdprkit shares with its callers.
//
//   - Language: the language of titles (legal bases, rights, findings,
//     statuses, reasons). English is the default everywhere; Danish gives the
//     titles as a Danish DPO reads them ("Art. 17: Ret til sletning").
//     Messages (errors, findings' sentences) stay English.
//   - ErrorMode: what a batch call does with a rejected row (an identifier
//     that fails its check, a record with an impossible date). One meaning per
//     name at every door:
//       "raise"  (default) the call fails on the first rejected row, with an
//                error naming the row and why (never the value); nothing is
//                returned or written;
//       "coerce" a rejected row gets a missing result (no pseudonym, status
//                "invalid"); the call succeeds and counts them;
//       "report" as "coerce", and the rejected rows are also listed (row and
//                reason, never the value) in the call's report.
//     "fail" (for "raise") and "skip" (for "coerce") are accepted as older
//     spellings of the command line, and "null" for "report" (the rejected
//     rows' results are null, each listed: gdprkit.spark's problem column).
//   - Progress: long calls (suppression, its audit, a sweep, the vault's batch
//     calls) report progress per stage. Every stage reports its total first
//     (done == 0) and ends with done == total; a callback returning false
//     cancels the call, which then fails with absl::CancelledError and
//     changes nothing.
#ifndef GDPRKIT_COMMON_H_
#define GDPRKIT_COMMON_H_

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gdprkit {

// ---- Language ---------------------------------------------------------------

// Numbers as in the C ABI's gdprkit_language.
enum class Language : std::uint8_t {
  kEnglish = 0,  // "en" (default)
  kDanish = 1,   // "da" (also accepted: "dansk", "danish")
};

absl::StatusOr<Language> ParseLanguage(std::string_view text);
std::string_view LanguageName(Language language);  // "en", "da"
std::vector<std::string_view> LanguageNames();

// ---- Error mode -------------------------------------------------------------

// Numbers as in the C ABI's gdprkit_errors (and retention's older
// gdprkit_on_invalid, whose 0 and 1 they keep).
enum class ErrorMode : std::uint8_t {
  kRaise = 0,   // "raise" (also "fail")
  kReport = 1,  // "report" (also "null")
  kCoerce = 2,  // "coerce" (also "skip")
};

absl::StatusOr<ErrorMode> ParseErrorMode(std::string_view text);
std::string_view ErrorModeName(ErrorMode mode);  // "raise", "report", "coerce"
std::vector<std::string_view> ErrorModeNames();

// ---- Progress ---------------------------------------------------------------

struct Progress {
  // The stage, a static lower-case name documented by each call (suppression:
  // "primary", "secondary", "cleanup", "improve", "optimal", "audit"; sweep:
  // "sweep"; vault: "pseudonymise", "tokenise", ...).
  std::string_view stage;
  std::int64_t done = 0;
  std::int64_t total = 0;
};

// Returns false to cancel. Called on the calling thread (never concurrently),
// now and then rather than for every row: at the start and end of each stage
// and at most about every 1% or 100 ms in between.
using ProgressFn = std::function<bool(const Progress&)>;

}  // namespace gdprkit

#endif  // GDPRKIT_COMMON_H_
