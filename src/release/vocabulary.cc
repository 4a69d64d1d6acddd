// The names and titles of the release area's enums: one table per enum
// (common/vocabulary.h), from which the core parses and prints them and the
// doors list them. A name is written here and nowhere else.
#include "common/vocabulary.h"

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "gdprkit/release.h"

namespace gdprkit {
namespace {

using internal::Named;
using internal::Titled;
using internal::TitleOf;

constexpr Named<FrameColumnType> kFrameColumnTypes[] = {
    {FrameColumnType::kText, "text"},
    {FrameColumnType::kNumber, "number"},
    {FrameColumnType::kDate, "date"},
};

constexpr Named<ReleaseProblem> kReleaseProblems[] = {
    {ReleaseProblem::kIdentifierInClear, "identifier-in-clear"},
    {ReleaseProblem::kTooOld, "too-old"},
    {ReleaseProblem::kMissingDate, "missing-date"},
    {ReleaseProblem::kUndeclaredColumn, "undeclared-column"},
    {ReleaseProblem::kDroppedColumn, "dropped-column"},
    {ReleaseProblem::kMissingColumn, "missing-column"},
    {ReleaseProblem::kNotPseudonymised, "not-pseudonymised"},
    {ReleaseProblem::kNotGeneralised, "not-generalised"},
    {ReleaseProblem::kSmallCell, "small-cell"},
    {ReleaseProblem::kSmallGroup, "small-group"},
};

constexpr Titled<ReleaseProblem> kReleaseProblemTitles[] = {
    {ReleaseProblem::kIdentifierInClear, "an identifier in clear", "en identifikator i klar tekst"},
    {ReleaseProblem::kTooOld, "rows older than the maximum age",
     "rækker ældre end den højeste tilladte alder"},
    {ReleaseProblem::kMissingDate, "rows without a date", "rækker uden dato"},
    {ReleaseProblem::kUndeclaredColumn, "a column the release does not declare",
     "en kolonne, udleveringen ikke angiver"},
    {ReleaseProblem::kDroppedColumn, "a column the release drops",
     "en kolonne, udleveringen udelader"},
    {ReleaseProblem::kMissingColumn, "a column the release needs is missing",
     "en kolonne, udleveringen kræver, mangler"},
    {ReleaseProblem::kNotPseudonymised, "values that are not pseudonyms",
     "værdier, der ikke er pseudonymer"},
    {ReleaseProblem::kNotGeneralised, "values not generalised to the rule's level",
     "værdier, der ikke er generaliseret til reglens niveau"},
    {ReleaseProblem::kSmallCell, "table cells the primary rules suppress",
     "tabelceller, de primære regler undertrykker"},
    {ReleaseProblem::kSmallGroup, "groups smaller than k", "grupper mindre end k"},
};

}  // namespace

GDPRKIT_DEFINE_NAMES(FrameColumnType, FrameColumnType, kFrameColumnTypes, "column type")
GDPRKIT_DEFINE_NAMES(ReleaseProblem, ReleaseProblem, kReleaseProblems, "release problem")

std::string_view ReleaseProblemTitle(ReleaseProblem problem, Language language) {
  return TitleOf<ReleaseProblem>(kReleaseProblemTitles, problem, language);
}

}  // namespace gdprkit
