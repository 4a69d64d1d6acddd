#include "common/status_names.h"

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/vocabulary.h"

namespace gdprkit::internal {
namespace {

using C = absl::StatusCode;

constexpr Named<C> kStatusCodeNames[] = {
    {C::kOk, "OK"},
    {C::kCancelled, "CANCELLED"},
    {C::kUnknown, "UNKNOWN"},
    {C::kInvalidArgument, "INVALID_ARGUMENT"},
    {C::kDeadlineExceeded, "DEADLINE_EXCEEDED"},
    {C::kNotFound, "NOT_FOUND"},
    {C::kAlreadyExists, "ALREADY_EXISTS"},
    {C::kPermissionDenied, "PERMISSION_DENIED"},
    {C::kResourceExhausted, "RESOURCE_EXHAUSTED"},
    {C::kFailedPrecondition, "FAILED_PRECONDITION"},
    {C::kAborted, "ABORTED"},
    {C::kOutOfRange, "OUT_OF_RANGE"},
    {C::kUnimplemented, "UNIMPLEMENTED"},
    {C::kInternal, "INTERNAL"},
    {C::kUnavailable, "UNAVAILABLE"},
    {C::kDataLoss, "DATA_LOSS"},
    {C::kUnauthenticated, "UNAUTHENTICATED"},
};

}  // namespace

std::string_view StatusCodeName(int code) {
  for (const Named<C>& n : kStatusCodeNames) {
    if (static_cast<int>(n.value) == code) return n.name;
  }
  return "";
}

std::vector<std::string_view> StatusCodeNames() { return NamesOf<C>(kStatusCodeNames); }

}  // namespace gdprkit::internal
