// gdprkit/release_rules.h: what a policy lets leave the organisation.
//
// A policy's releases (policy.proto's Release; docs/policy.md, "Release
// rules") state, per purpose, what may leave: every column of the data with
// its treatment (drop, keep, pseudonymise in a vault domain, generalise along
// a hierarchy), the shape of what leaves (a published table with its primary
// suppression rules, or a microdata extract with its quasi-identifiers and
// k) and the maximum age of the rows. This header holds the read-only view
// of those rules as written; Policy::releases() and Policy::GetRelease() give
// them, Policy::Validate() reports what is wrong with them, and the release
// gate (gdprkit/release.h) applies them.
//
// Like the retention rules, the structured fields are kept as written
// (periods and identifier kinds as text): an ill-formed one is a finding of
// Validate(), not a load error, so that a policy file with a typo still
// loads and says where the typo is.
#ifndef GDPRKIT_RELEASE_RULES_H_
#define GDPRKIT_RELEASE_RULES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "gdprkit/common.h"

namespace gdprkit {

// What happens to a column on its way out.
enum class ColumnTreatment : std::uint8_t {
  kUnspecified = 0,   // not stated: a finding (release-column-without-treatment)
  kDrop = 1,          // does not leave
  kKeep = 2,          // leaves as it is
  kPseudonymise = 3,  // leaves as pseudonyms of a vault domain
  kGeneralise = 4,    // leaves as the ancestor at a level of a hierarchy
  kUnknown = 255,     // a number the schema does not know; a finding
};

// "unspecified", "drop", "keep", "pseudonymise", "generalise" (also
// "pseudonymize", "generalize"); Parse... refuses "unknown" like any other
// name outside the table.
absl::StatusOr<ColumnTreatment> ParseColumnTreatment(std::string_view name);
std::string_view ColumnTreatmentName(ColumnTreatment treatment);
std::vector<std::string_view> ColumnTreatmentNames();
// "drop" / "udelades", "keep" / "bevares", ...; "" outside the table.
std::string_view ColumnTreatmentTitle(ColumnTreatment treatment, Language language);

// One column of the data and what happens to it.
struct ReleaseColumn {
  std::string name;
  ColumnTreatment treatment = ColumnTreatment::kUnspecified;
  // Identifier kind as written ("cpr", "provider_number", "ydernummer"; see
  // ParseIdKind in gdprkit/identifiers.h); empty: not an identifier.
  std::string kind;
  std::string domain;        // kPseudonymise: the vault domain
  std::string hierarchy;     // kGeneralise: name of one of the release's hierarchies
  std::optional<int> level;  // kGeneralise: 1 = just below the total
  bool free_text = false;    // scanned for identifiers in free text
};

// One code of an inline hierarchy; `parent` is empty for the total.
struct ReleaseHierarchyCode {
  std::string code;
  std::string parent;
};

// A classification, from a file (relative to the policy file) or inline.
struct ReleaseHierarchy {
  std::string name;
  std::string file;                         // .hrc or code,parent CSV; empty when inline
  std::vector<ReleaseHierarchyCode> codes;  // inline; empty when from a file
  std::string total;                        // empty: "Total"
};

struct ReleaseDimension {
  std::string column;
  std::string hierarchy;  // empty: flat
};

// A published table.
struct ReleaseTable {
  std::vector<ReleaseDimension> dimensions;
  std::string value;  // column summed per cell; empty: rows are counted
};

// A microdata extract, k-anonymous over its quasi-identifiers.
struct ReleaseExtract {
  std::vector<std::string> quasi_identifiers;
  std::optional<int> k;
};

struct ReleaseDominanceRule {
  int n = 0;
  double k = 0;  // percent
};

// The primary suppression rules of a table, as written (table.proto's
// PrimaryRules). Unset optional fields take the defaults of
// gdprkit/suppression.h's PrimaryRules (threshold 5, ...), which the release
// gate applies; Validate() checks the ranges.
struct ReleasePrimaryRules {
  std::optional<int> threshold;
  bool threshold_hides_presence = false;
  std::optional<double> threshold_range_percent;
  std::vector<ReleaseDominanceRule> dominance;
  double p_percent = 0;  // 0: no p% rule
  std::optional<double> q_percent;
  bool protect_zeros = false;
  std::optional<double> zero_upper;
  std::optional<double> manual_percent;
};

// One release of a policy.
struct Release {
  std::string id;
  std::string title;
  std::string description;
  std::string purpose;  // id of the purpose whose data leave
  std::vector<ReleaseColumn> columns;
  std::vector<ReleaseHierarchy> hierarchies;
  std::optional<ReleaseTable> table;      // exactly one of table and extract
  std::optional<ReleaseExtract> extract;  // (Validate() says when not)
  std::optional<ReleasePrimaryRules> rules;
  std::string max_age;      // ISO 8601 period ("P5Y"); empty: no limit
  std::string date_column;  // the column max_age counts over
  std::string source_text;
  int line = 0;  // line of the release in its file; 0 when unknown

  // The first column named `name`, or nullptr.
  const ReleaseColumn* FindColumn(std::string_view name) const;
  // The first hierarchy named `name`, or nullptr.
  const ReleaseHierarchy* FindHierarchy(std::string_view name) const;
};

}  // namespace gdprkit

#endif  // GDPRKIT_RELEASE_RULES_H_
