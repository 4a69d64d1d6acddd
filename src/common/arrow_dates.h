// Arrow date columns as day numbers, and day numbers as Arrow columns: what
// add_period and the sweep read from pyarrow / Polars / DuckDB / pandas
// ArrowDtype columns (through src/common/arrow.h's ImportedColumn) without a
// Python object per row.
//
// Read (ReadDays), one DayNumber per row, kNoDate for a null:
//   date32 "tdD"                 the day number itself;
//   date64 "tdm"                 milliseconds, rounded down to the day;
//   timestamp "ts{s,m,u,n}:"     without a zone: a civil time, its date (as
//                                the NumPy path reads datetime64);
//   timestamp "ts{s,m,u,n}:Z"    with any zone Z: an instant, the date it
//                                falls on in `zone` (as the NumPy path reads
//                                zone-aware pandas times after tz_convert);
//   utf8/large utf8/utf8 view    ISO texts read by `parse` (the core's
//   (and dictionaries of them)   ParseDateTime in the zone); "" is missing.
// Every array is checked before it is read (buffers present, offset and
// length not negative); a date outside 0001-01-01 ... 9999-12-31 or a text
// that is not a date is an InvalidArgument naming `what` and the row, never
// the value (DateReadError gives the door the row and the reason apart).
#ifndef GDPRKIT_SRC_COMMON_ARROW_DATES_H_
#define GDPRKIT_SRC_COMMON_ARROW_DATES_H_

#include <climits>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/arrow.h"
#include "common/arrow_c_data.h"

namespace gdprkit::internal::arrow {

// A day number as gdprkit/retention.h holds it (common/ may not include the
// retention area: its DayNumber, kNoDate, kMinDate and kMaxDate are these,
// which the doors and tests check with static_assert).
using DayNumber = std::int32_t;
inline constexpr DayNumber kNoDate = INT32_MIN;
inline constexpr DayNumber kMinDate = -719'162;   // 0001-01-01
inline constexpr DayNumber kMaxDate = 2'932'896;  // 9999-12-31

// How a text becomes a day (the door passes the core's ParseDateTime in the
// zone): InvalidArgument for a text that is not a date.
using ParseDay = absl::FunctionRef<absl::StatusOr<DayNumber>(std::string_view)>;

// What an Arrow column of dates holds, for the door to give back the same
// kind: dates (date32/date64), times (timestamps, with or without a zone) or
// texts.
enum class DateKind { kDate, kTimestamp, kText };

// "date", "timestamp", "text": the names the doors use for the kinds.
absl::StatusOr<DateKind> ParseDateKind(std::string_view text);
std::string_view DateKindName(DateKind kind);
std::vector<std::string_view> DateKindNames();

// The kind of a date column's type; InvalidArgument naming `what` for a type
// that holds no dates (an integer column: "not dates").
absl::StatusOr<DateKind> DateKindOf(const ArrowSchema& schema, std::string_view what);

// Where a column could not be read: its row (from 0, over all chunks) and
// why, without the value. row is -1 for a problem of the whole column (its
// type, a malformed array).
struct DateReadError {
  std::int64_t row = -1;
  std::string reason;
};

// One array's rows into out[0, array.length) (see above). `first_row` is
// the array's first row in its column (for messages).
absl::Status ReadArrayDays(const ArrowSchema& schema, const ArrowArray& array,
                           std::string_view what, std::string_view zone, std::int64_t first_row,
                           absl::Span<DayNumber> out, DateReadError* bad = nullptr);

// The column's rows into out (out.size() must be column.length). Text
// chunks are read through ReadText. Errors: InvalidArgument "<what>, row
// <n>: <reason>" (and *bad filled when given); FailedPrecondition when
// `zone` cannot be loaded.
absl::Status ReadDays(const ImportedColumn& column, std::string_view what, std::string_view zone,
                      ParseDay parse, absl::Span<DayNumber> out, DateReadError* bad = nullptr);

// Day numbers as an Arrow array: date32 for kDate and kText, timestamp in
// seconds without a zone (midnight of the day) for kTimestamp (what the
// pandas path gives for datetime64 input). kNoDate rows are null. The days
// are copied.
absl::StatusOr<ExportedArray> ExportDays(absl::Span<const DayNumber> days, DateKind kind);

}  // namespace gdprkit::internal::arrow

#endif  // GDPRKIT_SRC_COMMON_ARROW_DATES_H_
