// PrepareInputColumns (gdprkit/release.h): which columns' values a
// preparation reads, so that a door converts only those.
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "common/status_macros.h"
#include "gdprkit/release.h"

namespace gdprkit {

absl::StatusOr<std::vector<std::string>> PrepareInputColumns(const Policy& policy,
                                                             std::string_view release_id) {
  GDPRKIT_ASSIGN_OR_RETURN(const Release* rel, policy.GetRelease(release_id));
  std::vector<std::string> out;
  absl::flat_hash_set<std::string> seen;
  auto add = [&](const std::string& name) {
    if (!name.empty() && seen.insert(name).second) out.push_back(name);
  };
  for (const ReleaseColumn& c : rel->columns) {
    if (c.treatment != ColumnTreatment::kDrop) add(c.name);
  }
  if (rel->table.has_value()) {
    for (const ReleaseDimension& d : rel->table->dimensions) add(d.column);
    add(rel->table->value);
  }
  if (rel->extract.has_value()) {
    for (const std::string& q : rel->extract->quasi_identifiers) add(q);
  }
  if (!rel->max_age.empty()) add(rel->date_column);
  return out;
}

}  // namespace gdprkit
