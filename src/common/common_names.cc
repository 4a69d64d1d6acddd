// The vocabularies of gdprkit/common.h.
#include "common/vocabulary.h"
#include "gdprkit/common.h"

namespace gdprkit {
namespace {

constexpr internal::Named<Language> kLanguageNames[] = {
    {Language::kEnglish, "en"},
    {Language::kDanish, "da"},
};
constexpr internal::Named<Language> kLanguageAliases[] = {
    {Language::kEnglish, "english"},
    {Language::kDanish, "dansk"},
    {Language::kDanish, "danish"},
};

constexpr internal::Named<ErrorMode> kErrorModeNames[] = {
    {ErrorMode::kRaise, "raise"},
    {ErrorMode::kCoerce, "coerce"},
    {ErrorMode::kReport, "report"},
};
// The command line's spellings before 0.4, and "null": the rejected rows'
// results are null and each is listed (in Spark, as a column of problem codes
// beside the nulls).
constexpr internal::Named<ErrorMode> kErrorModeAliases[] = {
    {ErrorMode::kRaise, "fail"},
    {ErrorMode::kCoerce, "skip"},
    {ErrorMode::kReport, "null"},
};

}  // namespace

GDPRKIT_DEFINE_NAMES_WITH_ALIASES(Language, Language, kLanguageNames, kLanguageAliases, "language")
GDPRKIT_DEFINE_NAMES_WITH_ALIASES(ErrorMode, ErrorMode, kErrorModeNames, kErrorModeAliases,
                                  "error mode")

}  // namespace gdprkit
