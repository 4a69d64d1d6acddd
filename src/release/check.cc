// CheckRelease and GroupSizes (gdprkit/release.h).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/text.h"
#include "gdprkit/release.h"
#include "release/internal/gate.h"

namespace gdprkit {

absl::StatusOr<ReleaseCheck> CheckRelease(const Policy& policy, std::string_view release_id,
                                          const Frame& frame, const ReleaseOptions& options) {
  GDPRKIT_ASSIGN_OR_RETURN(release_internal::Resolved r,
                           release_internal::Resolve(policy, release_id, options));
  return release_internal::RunCheck(r, frame, release_internal::CheckMode::kRecords,
                                    &options.progress);
}

absl::StatusOr<std::vector<std::int64_t>> GroupSizes(const Frame& frame,
                                                     absl::Span<const std::string> columns) {
  GDPRKIT_RETURN_IF_ERROR(ValidateFrame(frame, /*allow_empty=*/true));
  if (columns.empty()) {
    return absl::InvalidArgumentError("group sizes need at least one column");
  }
  std::vector<release_internal::ValueIds> ids;
  ids.reserve(columns.size());
  for (const std::string& name : columns) {
    const FrameColumn* c = frame.Find(name);
    if (c == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("no column ", internal::QuoteUntrusted(name), " in the frame",
                       internal::DidYouMean(name, release_internal::ColumnNames(frame))));
    }
    ids.push_back(release_internal::ColumnValueIds(*c));
  }
  std::vector<const release_internal::ValueIds*> cols;
  for (const release_internal::ValueIds& v : ids) cols.push_back(&v);
  std::vector<std::int64_t> group;
  const std::int64_t groups = release_internal::GroupIds(cols, frame.rows(), &group);
  std::vector<std::int64_t> size(static_cast<std::size_t>(groups), 0);
  for (std::int64_t g : group) ++size[static_cast<std::size_t>(g)];
  for (std::int64_t& g : group) g = size[static_cast<std::size_t>(g)];
  return group;
}

}  // namespace gdprkit
