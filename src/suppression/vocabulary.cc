// The names of the suppression area's enums: one table per enum
// (common/vocabulary.h), from which the core parses and prints them and the
// doors list them. A name is written here and nowhere else.
#include "common/vocabulary.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "common/sv.h"
#include "gdprkit/suppression.h"

namespace gdprkit {
namespace {

using internal::Named;
using internal::Titled;
using internal::TitleOf;

constexpr Named<TableKind> kTableKinds[] = {
    {TableKind::kFrequency, "frequency"},
    {TableKind::kMagnitude, "magnitude"},
};

constexpr Named<CellMark> kCellMarks[] = {
    {CellMark::kNone, "none"},
    {CellMark::kUnsafe, "unsafe"},
    {CellMark::kSafe, "safe"},
};

constexpr Named<MissingCells> kMissingCells[] = {
    {MissingCells::kError, "error"},
    {MissingCells::kZero, "zero"},
};

constexpr Named<PrimaryReason> kPrimaryReasons[] = {
    {kReasonThreshold, "threshold"}, {kReasonDominance, "dominance"}, {kReasonPPercent, "p%"},
    {kReasonZero, "zero"},           {kReasonManual, "manual"},
};

constexpr Named<AuditMode> kAuditModes[] = {
    {AuditMode::kAuto, "auto"},
    {AuditMode::kExact, "exact"},
    {AuditMode::kCertified, "certified"},
};

constexpr Named<IntervalKind> kIntervalKinds[] = {
    {IntervalKind::kExact, "exact"},
    {IntervalKind::kInner, "inner"},
    {IntervalKind::kNotComputed, "not computed"},
};

constexpr Named<SecondaryMethod> kSecondaryMethods[] = {
    {SecondaryMethod::kAuto, "auto"},
    {SecondaryMethod::kHeuristic, "heuristic"},
    {SecondaryMethod::kOptimal, "optimal"},
};

constexpr Named<CostModel> kCostModels[] = {
    {CostModel::kCells, "cells"},
    {CostModel::kValue, "value"},
    {CostModel::kContributors, "contributors"},
};

constexpr Named<CellStatus> kCellStatuses[] = {
    {CellStatus::kPublished, "published"},
    {CellStatus::kPrimary, "primary"},
    {CellStatus::kSecondary, "secondary"},
};

constexpr Named<PublishedStatus> kPublishedStatuses[] = {
    {PublishedStatus::kPublished, "published"},
    {PublishedStatus::kSuppressed, "suppressed"},
};

constexpr Named<ReportText> kReportTexts[] = {
    {ReportText::kPublishedTable, "published table"},
    {ReportText::kAudit, "audit"},
    {ReportText::kStatus, "status"},
    {ReportText::kMethod, "method"},
    {ReportText::kAuditVerdict, "audit verdict"},
};

// ---- Titles (English, Danish) ------------------------------------------------

constexpr Titled<PublishedStatus> kPublishedStatusTitles[] = {
    {PublishedStatus::kPublished, "published", "offentliggjort"},
    {PublishedStatus::kSuppressed, "suppressed", "undertrykt"},
};

constexpr Titled<CellStatus> kCellStatusTitles[] = {
    {CellStatus::kPublished, "published", "offentliggjort"},
    {CellStatus::kPrimary, "primary", "primær"},
    {CellStatus::kSecondary, "secondary", "sekundær"},
};

constexpr Titled<PrimaryReason> kPrimaryReasonTitles[] = {
    {kReasonThreshold, "threshold rule", "tærskelregel"},
    {kReasonDominance, "dominance rule", "dominansregel"},
    {kReasonPPercent, "p% rule", "p%-regel"},
    {kReasonZero, "zero cell", "nulcelle"},
    {kReasonManual, "marked by hand", "markeret manuelt"},
};

constexpr Titled<IntervalKind> kIntervalKindTitles[] = {
    {IntervalKind::kExact, "exact", "eksakt"},
    {IntervalKind::kInner, "proven part", "bevist delinterval"},
    {IntervalKind::kNotComputed, "not computed", "ikke beregnet"},
};

constexpr Titled<ReportText> kReportTextTitles[] = {
    {ReportText::kPublishedTable, "Published table", "Offentliggjort tabel"},
    {ReportText::kAudit, "Suppression audit", "Kontrol af undertrykkelsen"},
    {ReportText::kStatus, "status", "status"},
    {ReportText::kMethod, "method", "metode"},
    {ReportText::kAuditVerdict, "audit", "kontrol"},
};

// "1 cell", "2 cells" in either language.
struct Noun {
  std::string_view en_one, en_many, da_one, da_many;
};

std::string Count(std::int64_t n, const Noun& noun, Language language) {
  const bool da = language == Language::kDanish;
  const std::string_view word =
      n == 1 ? (da ? noun.da_one : noun.en_one) : (da ? noun.da_many : noun.en_many);
  return absl::StrCat(n, " ", internal::AV(word));
}

constexpr Noun kCellNoun{"cell", "cells", "celle", "celler"};
constexpr Noun kSuppressedCellNoun{"suppressed cell", "suppressed cells", "undertrykt celle",
                                   "undertrykte celler"};
constexpr Noun kPrimaryCellNoun{"primary cell", "primary cells", "primær celle", "primære celler"};
constexpr Noun kComponentNoun{"component", "components", "komponent", "komponenter"};
constexpr Noun kSolveNoun{"LP solve", "LP solves", "LP-løsning", "LP-løsninger"};

}  // namespace

GDPRKIT_DEFINE_NAMES(TableKind, TableKind, kTableKinds, "kind of table")
GDPRKIT_DEFINE_NAMES(CellMark, CellMark, kCellMarks, "cell mark")
GDPRKIT_DEFINE_NAMES(MissingCells, MissingCells, kMissingCells, "missing-cell rule")
GDPRKIT_DEFINE_NAMES(PrimaryReason, PrimaryReason, kPrimaryReasons, "primary reason")
GDPRKIT_DEFINE_NAMES(AuditMode, AuditMode, kAuditModes, "audit mode")
GDPRKIT_DEFINE_NAMES(IntervalKind, IntervalKind, kIntervalKinds, "interval kind")
GDPRKIT_DEFINE_NAMES(SecondaryMethod, SecondaryMethod, kSecondaryMethods, "method")
GDPRKIT_DEFINE_NAMES(CostModel, CostModel, kCostModels, "cost model")
GDPRKIT_DEFINE_NAMES(CellStatus, CellStatus, kCellStatuses, "cell status")
GDPRKIT_DEFINE_NAMES(PublishedStatus, PublishedStatus, kPublishedStatuses, "published status")
GDPRKIT_DEFINE_NAMES(ReportText, ReportText, kReportTexts, "report text")

PublishedStatus PublishedStatusOf(CellStatus status) {
  return status == CellStatus::kPublished ? PublishedStatus::kPublished
                                          : PublishedStatus::kSuppressed;
}

std::string_view PublishedStatusTitle(PublishedStatus status, Language language) {
  return TitleOf<PublishedStatus>(kPublishedStatusTitles, status, language);
}

std::string_view CellStatusTitle(CellStatus status, Language language) {
  return TitleOf<CellStatus>(kCellStatusTitles, status, language);
}

std::string_view PrimaryReasonTitle(PrimaryReason reason, Language language) {
  return TitleOf<PrimaryReason>(kPrimaryReasonTitles, reason, language);
}

std::string PrimaryReasonsTitle(std::uint32_t reasons, Language language) {
  std::string out;
  for (const Titled<PrimaryReason>& t : kPrimaryReasonTitles) {
    if ((reasons & t.value) == 0) continue;
    if (!out.empty()) out += ", ";
    const std::string_view title = PrimaryReasonTitle(t.value, language);
    out.append(title.data(), title.size());
  }
  return out;
}

std::string_view IntervalKindTitle(IntervalKind kind, Language language) {
  return TitleOf<IntervalKind>(kIntervalKindTitles, kind, language);
}

std::string_view ReportTextTitle(ReportText text, Language language) {
  return TitleOf<ReportText>(kReportTextTitles, text, language);
}

std::string MarkerNote(std::string_view marker, Language language) {
  return absl::StrCat(internal::AV(marker), ": ",
                      language == Language::kDanish
                          ? "værdien er undertrykt af hensyn til fortroligheden"
                          : "value suppressed to protect confidentiality");
}

std::string PublishedSummary(std::int64_t cells, std::int64_t suppressed, std::string_view marker,
                             Language language) {
  const bool da = language == Language::kDanish;
  return absl::StrCat(Count(cells, kCellNoun, language), ", ", suppressed,
                      da ? " undertrykt (vist som " : " suppressed (shown as ",
                      internal::AV(marker), ")");
}

std::string AuditVerdictText(bool passed, std::int64_t unprotected, Language language) {
  const bool da = language == Language::kDanish;
  if (passed) {
    return da ? "bestået: hver primær celle har sin beskyttelse"
              : "passed: every primary cell keeps its protection";
  }
  return absl::StrCat(
      da ? "IKKE BESTÅET: " : "FAILED: ", Count(unprotected, kPrimaryCellNoun, language),
      da ? " uden beskyttelse" : " not protected");
}

std::string AuditFigures(std::int64_t suppressed, std::int64_t determined, std::int64_t components,
                         std::int64_t largest, std::int64_t lp_solves, Language language) {
  const bool da = language == Language::kDanish;
  return absl::StrCat(Count(suppressed, kSuppressedCellNoun, language), ", ", determined,
                      da ? " bestemt eksakt, " : " determined exactly, ",
                      Count(components, kComponentNoun, language),
                      da ? " (den største " : " (largest ", largest, "), ",
                      Count(lp_solves, kSolveNoun, language));
}

std::string PrimaryReasonsText(std::uint32_t reasons) {
  std::string out;
  for (const Named<PrimaryReason>& n : kPrimaryReasons) {
    if ((reasons & n.value) == 0) continue;
    if (!out.empty()) out += '|';
    out.append(n.name.data(), n.name.size());
  }
  return out;
}

}  // namespace gdprkit
