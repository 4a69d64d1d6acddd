// Early returns on a failed absl::Status or absl::StatusOr, so that a
// function reads as its steps. Not installed.
//
//   GDPRKIT_RETURN_IF_ERROR(db.Exec("BEGIN"));
//   GDPRKIT_ASSIGN_OR_RETURN(const Row row, ReadRow(id));
//
// The status is returned as it is (no prefix); where a message needs
// context, add it where the status is made.
#ifndef GDPRKIT_SRC_COMMON_STATUS_MACROS_H_
#define GDPRKIT_SRC_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define GDPRKIT_STATUS_CONCAT_INNER_(a, b) a##b
#define GDPRKIT_STATUS_CONCAT_(a, b) GDPRKIT_STATUS_CONCAT_INNER_(a, b)

// Returns the status of `expr` (an absl::Status, or an absl::StatusOr whose
// value is then dropped) from the enclosing function when it is not OK.
#define GDPRKIT_RETURN_IF_ERROR(expr)                                           \
  do {                                                                          \
    const absl::Status gdprkit_status_ = ::gdprkit::internal::StatusOf((expr)); \
    if (!gdprkit_status_.ok()) return gdprkit_status_;                          \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); returns its status when not OK,
// else moves the value into `lhs` (a declaration or an lvalue).
#define GDPRKIT_ASSIGN_OR_RETURN(lhs, rexpr) \
  GDPRKIT_ASSIGN_OR_RETURN_IMPL_(GDPRKIT_STATUS_CONCAT_(gdprkit_statusor_, __LINE__), lhs, rexpr)

#define GDPRKIT_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                   \
  if (!statusor.ok()) return std::move(statusor).status();   \
  lhs = std::move(statusor).value()

namespace gdprkit::internal {

inline const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_COMMON_STATUS_MACROS_H_
