// The names of the suppression area's enums: one table per enum
// (common/vocabulary.h), from which the core parses and prints them and the
// doors list them. A name is written here and nowhere else.
#include "common/vocabulary.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gdprkit/suppression.h"

namespace gdprkit {
namespace {

using internal::Named;

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
