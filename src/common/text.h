// How the core writes names and untrusted text into its messages: one
// quoting, one "did you mean", one way to show a caller's identifier. Every
// area and every door uses these, so that a message reads the same wherever
// it comes from. Not installed.
#ifndef GDPRKIT_SRC_COMMON_TEXT_H_
#define GDPRKIT_SRC_COMMON_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace gdprkit::internal {

// Untrusted text shortened for a message: at most 40 bytes, then "...";
// control characters become '?'.
std::string Excerpt(std::string_view s);

// `s` in double quotes, as every message quotes a name: "kapsel-1".
std::string Quote(std::string_view s);

// Text a caller gave (a record id, a file's field), quoted for a message:
// withheld when it looks like a CPR number (common/redact.h), otherwise cut
// to its first 40 bytes (Excerpt).
std::string QuoteUntrusted(std::string_view s);

// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code
// points above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// The names of `candidates` nearest to `wanted` (gdprkit::NearestNames: edit
// distance, case-insensitive; at most `limit`; only those with at most half
// of the longer name wrong), as the one suffix every "unknown name" message
// ends with: `; did you mean "a" or "b"?`, or "" when none is near.
std::string DidYouMean(std::string_view wanted, absl::Span<const std::string_view> candidates,
                       std::size_t limit = 3);
std::string DidYouMean(std::string_view wanted, const std::vector<std::string>& candidates,
                       std::size_t limit = 3);

// As DidYouMean, but only for a plausible typo: the one nearest candidate
// with at most a third of `wanted` (at least two characters) wrong, else "".
// For words a person types by hand (commands, options), where a far-off
// suggestion misleads more than it helps.
std::string DidYouMeanTypo(std::string_view wanted, absl::Span<const std::string_view> candidates);

// The -ise spelling of a word or name: every "iz" before "e" or "a" becomes
// "is" ("pseudonymize" -> "pseudonymise", "normalization" ->
// "normalisation", "--anonymize" -> "--anonymise"). gdprkit's names use -ise;
// every door accepts the -ize spelling as well by comparing this key
// (ParseNamed, the command line's commands and options).
std::string IseSpelling(std::string_view s);

// "a", "b" and "c" (each quoted): the valid choices of a vocabulary, for a
// message that names them.
std::string QuotedList(absl::Span<const std::string_view> names);

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_COMMON_TEXT_H_
