// The sentences of the release check's findings, in English and Danish: one
// row per ReleaseProblem, with its figures as $-placeholders (absl::Substitute):
//   $0 the column (quoted, withheld when it looks like a CPR number),
//   $1 rows, $2 cells or groups, $3 the identifier kind's title,
//   $4 the rule's figure (the period, the hierarchy, k).
// Never a value of the data.
#include <string>
#include <string_view>

#include "absl/strings/substitute.h"
#include "common/sv.h"
#include "common/text.h"
#include "common/vocabulary.h"
#include "release/internal/gate.h"

namespace gdprkit::release_internal {
namespace {

constexpr internal::Titled<ReleaseProblem> kSentences[] = {
    {ReleaseProblem::kIdentifierInClear, "column $0: $1 rows hold a $3 in clear",
     "kolonne $0: $1 rækker har $3 i klar tekst"},
    {ReleaseProblem::kTooOld, "column $0: $1 rows are older than the maximum age $4",
     "kolonne $0: $1 rækker er ældre end den højeste tilladte alder $4"},
    {ReleaseProblem::kMissingDate, "column $0: $1 rows have no date, so their age is unknown",
     "kolonne $0: $1 rækker har ingen dato, så deres alder er ukendt"},
    {ReleaseProblem::kUndeclaredColumn,
     "column $0 ($1 rows) is not declared by the release; declare it or leave it out",
     "kolonne $0 ($1 rækker) er ikke angivet i udleveringen; angiv den eller udelad den"},
    {ReleaseProblem::kDroppedColumn, "column $0 ($1 rows) is dropped by the release but present",
     "kolonne $0 ($1 rækker) udelades af udleveringen, men er med"},
    {ReleaseProblem::kMissingColumn, "column $0, which the release needs, is missing",
     "kolonne $0, som udleveringen kræver, mangler"},
    {ReleaseProblem::kNotPseudonymised,
     "column $0: $1 rows hold values that are not pseudonyms of the vault",
     "kolonne $0: $1 rækker indeholder værdier, der ikke er pseudonymer fra boksen"},
    {ReleaseProblem::kNotGeneralised,
     "column $0: $1 rows hold values that are not codes of hierarchy $4 at the rule's level or "
     "above",
     "kolonne $0: $1 rækker indeholder værdier, der ikke er koder i hierarkiet $4 på reglens "
     "niveau eller derover"},
    {ReleaseProblem::kSmallCell, "$2 cells of the table ($1 rows) break the primary rules",
     "$2 celler i tabellen ($1 rækker) bryder de primære regler"},
    {ReleaseProblem::kSmallGroup,
     "$2 groups over the quasi-identifiers ($1 rows) have fewer than $4 rows",
     "$2 grupper over kvasi-identifikatorerne ($1 rækker) har færre end $4 rækker"},
};

}  // namespace

std::string FindingMessage(const ReleaseFinding& f, std::string_view extra, Language language) {
  const std::string_view sentence =
      internal::TitleOf<ReleaseProblem>(kSentences, f.problem, language);
  const std::string extra_text =
      f.problem == ReleaseProblem::kNotGeneralised ? internal::Quote(extra) : std::string(extra);
  return absl::Substitute(internal::AV(sentence), internal::QuoteUntrusted(f.column), f.rows,
                          f.cells, internal::AV(IdKindTitle(f.kind, language)), extra_text);
}

}  // namespace gdprkit::release_internal
