// Arrow columns in and out (the C Data Interface of arrow_c_data.h), for the
// doors: the Python extension reads pyarrow / Polars / DuckDB / pandas
// ArrowDtype columns through their PyCapsules, and gives Arrow results back,
// without a Python object per row and without linking libarrow.
//
// Everything read here comes from another library and is checked before it
// is trusted: a format gdprkit does not read, a malformed array (offsets that
// run backwards or past the data, a view past its buffer, missing buffers)
// is an InvalidArgument naming `what` and the problem, never a crash and never
// a value of the column.
#ifndef GDPRKIT_SRC_COMMON_ARROW_H_
#define GDPRKIT_SRC_COMMON_ARROW_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/arrow_c_data.h"
#include "gdprkit/identifiers.h"  // StringColumn

namespace gdprkit::internal::arrow {

// One imported array and its schema, released (once) when destroyed.
// Move-only. Taking moves the structs out of the producer's (whose release
// becomes NULL), as the specification allows. The arrays of one stream share
// their schema (released with the last of them).
//
// schema() and array() are what to read: the producer's, or the one field of
// a one-field struct array (a record batch of one column), whose offset and
// length then include the struct's. array().release is always NULL: the
// reader never releases (the producer's own struct is kept aside).
class ImportedArray {
 public:
  ImportedArray() = default;
  ImportedArray(ArrowSchema* schema, ArrowArray* array);  // takes both
  ImportedArray(ImportedArray&& other) noexcept;
  ImportedArray& operator=(ImportedArray&& other) noexcept;
  ImportedArray(const ImportedArray&) = delete;
  ImportedArray& operator=(const ImportedArray&) = delete;
  ~ImportedArray();

  const ArrowSchema& schema() const { return schema_view_ != nullptr ? *schema_view_ : empty_; }
  const ArrowArray& array() const { return view_; }
  std::int64_t length() const { return view_.length; }

  // Internal (TakeStream): an array of a stream whose schema is shared.
  ImportedArray(std::shared_ptr<ArrowSchema> schema, ArrowArray* array);
  // Internal (TakeArray, TakeStream): when the array is a struct of exactly
  // one field, reads that field instead; InvalidArgument naming `what` for a
  // struct of another number of fields or a malformed one.
  absl::Status UnwrapOneField(std::string_view what);

 private:
  void Release();
  std::shared_ptr<ArrowSchema> schema_;  // the producer's, released by the last owner
  ArrowArray array_{};                   // the producer's, released once
  const ArrowSchema* schema_view_ = nullptr;
  ArrowArray view_{};
  static const ArrowSchema empty_;
};

// A column: one array, or a stream's arrays (a ChunkedArray, a Polars
// Series, a DuckDB result), in order. A stream of one-field struct arrays
// (a one-column table or query result) is read as that field.
struct ImportedColumn {
  std::vector<ImportedArray> chunks;
  std::int64_t length = 0;  // rows of all chunks
};

// Takes an array (a struct array of exactly one field becomes that field).
absl::StatusOr<ImportedColumn> TakeArray(ArrowSchema* schema, ArrowArray* array,
                                         std::string_view what);
// Reads a whole stream (and releases it).
absl::StatusOr<ImportedColumn> TakeStream(ArrowArrayStream* stream, std::string_view what);

// The column's rows as text, appended to *views (one per row; a null row is
// an empty view, as missing values are everywhere in the core) and, when
// `valid` is not null, 1/0 per row to *valid. Reads utf8 ("u"), large utf8
// ("U"), utf8 view ("vu"), binary ("z", "Z", "vz") and dictionaries of them
// with any integer index. The views point into the column's buffers: valid
// while `column` lives. InvalidArgument naming `what` for another type (a
// number column: "identifiers are text") or a malformed array. The bytes of
// a utf8 column are not checked to be UTF-8 here (a C Data Interface
// producer promises it, and checking costs a pass): the core's checks of
// identifiers and tokens reject any byte they do not expect.
// An Arrow format string as people name the type, for messages: "int64" for
// "l", "timestamp[us, tz=UTC]" for "tsu:UTC", "dictionary<int32, utf8>" is
// not reachable (the dictionary's format is its index type). An unknown
// format is shown quoted (and cut short) as it is.
std::string TypeName(std::string_view format);

absl::Status ReadText(const ImportedColumn& column, std::string_view what,
                      std::vector<std::string_view>* views, std::vector<std::uint8_t>* valid);

// An Arrow array made by gdprkit, ready to hand over (its release frees
// it). Move-only; released when destroyed unless handed over.
class ExportedArray {
 public:
  ExportedArray() = default;
  ExportedArray(ExportedArray&& other) noexcept;
  ExportedArray& operator=(ExportedArray&& other) noexcept;
  ExportedArray(const ExportedArray&) = delete;
  ExportedArray& operator=(const ExportedArray&) = delete;
  ~ExportedArray();

  // Moves the structs into the consumer's (which then owns them).
  void HandOver(ArrowSchema* schema, ArrowArray* array);
  std::int64_t length() const;

  // Internal: filled by the Export functions.
  ArrowSchema schema{};
  ArrowArray array{};
};

// `column` as a utf8 array (large utf8 when its bytes exceed 2^31 - 1), row i
// null when `valid` is given and (*valid)[i] == 0. The data are copied (the
// column may be wiped and freed afterwards). The copy may hold normalised
// identifiers: the array's release wipes its data buffer (sodium_memzero)
// before freeing it.
absl::StatusOr<ExportedArray> ExportText(const StringColumn& column,
                                         const std::vector<std::uint8_t>* valid);

// Values that are all `width` bytes (pseudonyms, tokens): filled in place by
// the caller through data(i) before the array is handed over, so that
// nothing is copied twice. Rows not valid are null (their bytes unused).
// A utf8 array (large utf8 past 2^31 - 1 bytes); pseudonyms and tokens are
// not secret, so its release frees without wiping.
class FixedWidthTextBuilder {
 public:
  FixedWidthTextBuilder(std::size_t rows, std::size_t width);
  char* data(std::size_t row);
  void SetNull(std::size_t row);
  absl::StatusOr<ExportedArray> Finish() &&;

 private:
  std::size_t rows_ = 0;
  std::size_t width_ = 0;
  std::string bytes_;
  std::vector<std::uint8_t> valid_;
};

}  // namespace gdprkit::internal::arrow

#endif  // GDPRKIT_SRC_COMMON_ARROW_H_
