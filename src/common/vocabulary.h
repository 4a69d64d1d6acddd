// One table per enum, from which the core parses and prints its names: the
// only place a public name (a suppression method, a retention status, an
// identifier kind...) is written. Every door calls the area's Parse.../...Name
// functions built on these, and lists the names from the same table, so that
// a name cannot drift between the core, the C door, the CLI and Python.
//
//   inline constexpr internal::Named<Method> kMethodNames[] = {
//       {Method::kHeuristic, "heuristic"}, {Method::kOptimal, "optimal"}};
//   absl::StatusOr<Method> ParseMethod(std::string_view s) {
//     return internal::ParseNamed(kMethodNames, s, "suppression method");
//   }
//   std::string_view MethodName(Method m) { return internal::NameOf(kMethodNames, m); }
//
// Not installed.
#ifndef GDPRKIT_SRC_COMMON_VOCABULARY_H_
#define GDPRKIT_SRC_COMMON_VOCABULARY_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "common/text.h"
#include "gdprkit/common.h"

namespace gdprkit::internal {

template <typename E>
struct Named {
  E value;
  std::string_view name;
};

// The names of a table, in its order (the order messages and docs list them).
template <typename E>
std::vector<std::string_view> NamesOf(absl::Span<const Named<E>> table) {
  std::vector<std::string_view> out;
  out.reserve(table.size());
  for (const Named<E>& n : table) out.push_back(n.name);
  return out;
}

// The value named `text` (exact match; names are lower-case ASCII). Else
// InvalidArgument: `unknown <what> "text"; valid: "a", "b" and "c"; did you
// mean "b"?` (the text withheld when CPR-like, shortened when long).
// `aliases` are further accepted spellings that are not listed as choices;
// the -ize spelling of an -ise name is accepted without an alias
// (IseSpelling).
template <typename E>
absl::StatusOr<E> ParseNamed(absl::Span<const Named<E>> table, std::string_view text,
                             std::string_view what, absl::Span<const Named<E>> aliases = {}) {
  for (const Named<E>& n : table) {
    if (n.name == text) return n.value;
  }
  for (const Named<E>& n : aliases) {
    if (n.name == text) return n.value;
  }
  // Both spellings of -ise/-ize words ("pseudonymize" for "pseudonymise").
  if (text.find('z') != std::string_view::npos) {
    const std::string ise = IseSpelling(text);
    for (const Named<E>& n : table) {
      if (n.name == ise) return n.value;
    }
    for (const Named<E>& n : aliases) {
      if (n.name == ise) return n.value;
    }
  }
  const std::vector<std::string_view> names = NamesOf(table);
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown ", absl::string_view(what.data(), what.size()), " ", QuoteUntrusted(text),
      "; valid: ", QuotedList(names), DidYouMean(text, absl::MakeConstSpan(names), 1)));
}

// The name of `value`; total: a value outside the table (a number cast from
// a door) prints as "unknown".
template <typename E>
std::string_view NameOf(absl::Span<const Named<E>> table, E value) {
  for (const Named<E>& n : table) {
    if (n.value == value) return n.name;
  }
  return "unknown";
}

// The titles of a vocabulary for people, in each language of
// gdprkit/common.h: one row per value, beside its Named<E> table
// ({Right::kErasure, "Art. 17: Right to erasure", "Art. 17: Ret til
// sletning"}). A door prints TitleOf(...) where it shows a title, so a
// translation is written once, in the core.
template <typename E>
struct Titled {
  E value;
  std::string_view en;
  std::string_view da;
};

// The title of `value` in `language`; total: the English title when the
// Danish one is empty, and "" for a value outside the table.
template <typename E>
std::string_view TitleOf(absl::Span<const Titled<E>> table, E value, Language language) {
  for (const Titled<E>& t : table) {
    if (t.value == value) return language == Language::kDanish && !t.da.empty() ? t.da : t.en;
  }
  return "";
}

}  // namespace gdprkit::internal

// Defines, from a table, the three functions an area's public header
// declares for an enum E (in the namespace where the macro stands):
//   absl::StatusOr<E> Parse<Stem>(std::string_view text);
//   std::string_view <Stem>Name(E value);
//   std::vector<std::string_view> <Stem>Names();
// `what` names the vocabulary in messages ("finding severity").
// GDPRKIT_DEFINE_NAMES_WITH_ALIASES also accepts the further spellings of
// `aliases` (a Named<E> table) in Parse<Stem>.
#define GDPRKIT_DEFINE_NAMES_WITH_ALIASES(E, Stem, table, aliases, what)                        \
  absl::StatusOr<E> Parse##Stem(std::string_view text) {                                        \
    return ::gdprkit::internal::ParseNamed<E>(table, text, what, aliases);                      \
  }                                                                                             \
  std::string_view Stem##Name(E value) { return ::gdprkit::internal::NameOf<E>(table, value); } \
  std::vector<std::string_view> Stem##Names() { return ::gdprkit::internal::NamesOf<E>(table); }
#define GDPRKIT_DEFINE_NAMES(E, Stem, table, what) \
  GDPRKIT_DEFINE_NAMES_WITH_ALIASES(E, Stem, table, {}, what)

#endif  // GDPRKIT_SRC_COMMON_VOCABULARY_H_
