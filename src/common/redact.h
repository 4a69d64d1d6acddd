// The one test of whether a text holds a CPR number, for every place that
// keeps or repeats text a caller gave: the vault's audit reasons and domain
// names, the deletion log's record and rule ids, the messages of sweeps and
// of the command line. Hash-chained stores can never be cleaned afterwards,
// and a message is read by people who must not see the number, so the test
// errs on the side of refusing: anything that passes as a CPR number counts,
// however it is written.
//
// Standalone on purpose (Abseil and <string> only), so that any part of the
// core can include it. Not installed.
#ifndef GDPRKIT_SRC_COMMON_REDACT_H_
#define GDPRKIT_SRC_COMMON_REDACT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gdprkit::internal {

// What messages show in place of an identifier that looks like a CPR number.
inline constexpr absl::string_view kWithheldIdentifier = "<withheld: looks like a CPR number>";

// True when `text` (UTF-8; invalid bytes are taken as other characters)
// holds anything that passes as a CPR number: six digits DDMMYY and four
// more, where DDMMYY is a date as gdprkit::CheckCpr reads it (replacement
// numbers, day + 60, and birth dates in the future included; no modulus-11
// test), written
//  - with ASCII digits or those of any Unicode script (category Nd: full-width
//    U+FF10-FF19, Arabic-Indic, Devanagari, Thai, mathematical digits, ...),
//    mixed freely;
//  - as ten digits in a row, as 6 + 4 or as 2 + 2 + 2 + 4 ("01 01 00 1234",
//    "01.01.00-1234"), the groups apart by one to three separators: spaces
//    (ASCII, NBSP U+00A0, narrow NBSP U+202F, thin and the other U+2000-200A
//    spaces, ideographic space), dashes (hyphen-minus, U+2010-2015, minus
//    U+2212, small and full-width hyphen-minus), slashes (also U+2044,
//    U+2215, U+FF0F), dots (also U+2024, U+FF0E) or underscores; invisible
//    format characters (soft hyphen, zero-width space and joiners, word
//    joiner, BOM) are ignored wherever they are;
//  - anywhere in the text, with letters or punctuation around it
//    ("patient-0101001234", "pt0101001234", "cpr: 010100 1234").
// Not counted: digits that are part of a longer run of digits (11 digits in
// a row, a 7-digit group), groups of other sizes (dates 2026-01-05, times,
// 8-digit CVR and phone numbers, "+45 12 34 56 78"), a ten-digit run whose
// first six digits are no date (320100-1234), and digits inside a hex string
// of 16 or more characters with a letter a-f in it, or inside a UUID
// (8-4-4-4-12 hex digits): hash and UUID record ids are not refused for the
// digits they happen to contain.
bool ContainsCprLike(absl::string_view text);

// The text to show for an identifier in a message: kWithheldIdentifier when
// ContainsCprLike(id), else `id` itself.
std::string RedactIdentifier(absl::string_view id);

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_COMMON_REDACT_H_
