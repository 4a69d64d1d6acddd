// Fuzzes the Arrow text reader (src/common/arrow.h): the fuzz bytes choose a
// format (utf8, large utf8, binaries, views, a dictionary with an 8-, 32- or
// unsigned 64-bit index, a one-field struct), the array's length, offset and
// null count, and fill every buffer (offsets, views, indices, bitmap, data)
// with whatever they hold: offsets that run backwards or go negative, views
// naming buffers that do not exist or running past them, indices out of
// range, negative and overflowing lengths. ReadText must refuse or give
// views; then every view is read (under ASan, a view past its buffer is a
// crash). The C Data Interface carries no sizes of the offsets and data
// buffers, so the buffers here are as large as the array's offset + length
// says and offsets never pass the data's end: a producer that lies about
// those sizes cannot be caught by any consumer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "common/arrow.h"

namespace {

using gdprkit::internal::arrow::ImportedColumn;
using gdprkit::internal::arrow::ReadText;
using gdprkit::internal::arrow::TakeArray;

// The fuzz bytes, read from the front; zeros once they run out.
class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  template <typename T>
  T Get() {
    T v{};
    std::uint8_t raw[sizeof(T)] = {};
    for (auto& b : raw) b = Byte();
    std::memcpy(&v, raw, sizeof(T));
    return v;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

void NoRelease(ArrowSchema* s) { s->release = nullptr; }
void NoReleaseArray(ArrowArray* a) { a->release = nullptr; }

constexpr std::int64_t kMaxRows = 64;
constexpr std::int64_t kDataSize = 256;

// Everything one array owns, kept alive until ReadText is done.
struct Built {
  std::vector<std::uint8_t> validity;
  std::vector<std::uint8_t> offsets;  // int32 or int64 entries, or views, or indices
  std::vector<char> data = std::vector<char>(kDataSize, 'x');
  std::vector<char> data2 = std::vector<char>(kDataSize / 2, 'y');
  std::vector<std::int64_t> sizes;
  std::vector<const void*> buffers;
  ArrowSchema schema{};
  ArrowArray array{};
};

// Length, offset and null count: mostly small and honest, sometimes hostile
// (negative, overflowing), which the reader must refuse before any read.
void Shape(Bytes& in, ArrowArray* a, std::int64_t* rows) {
  const std::uint8_t mode = in.Byte();
  a->length = in.Byte() % (kMaxRows / 2 + 1);
  a->offset = in.Byte() % (kMaxRows / 2);
  if (mode == 1) a->length = -static_cast<std::int64_t>(in.Byte()) - 1;
  if (mode == 2) a->offset = -static_cast<std::int64_t>(in.Byte()) - 1;
  if (mode == 3) {  // offset + length past INT64_MAX
    a->length = 1 + in.Byte();
    a->offset = INT64_MAX - in.Byte() % a->length;
  }
  a->null_count = static_cast<std::int64_t>(in.Byte() % 4) - 1;  // -1..2
  *rows = a->length >= 0 && a->offset >= 0 && a->offset <= kMaxRows ? a->offset + a->length : 0;
}

void Offsets(Bytes& in, Built* b, std::int64_t rows, bool large) {
  const std::size_t width = large ? 8 : 4;
  b->offsets.assign(static_cast<std::size_t>(rows + 1) * width, 0);
  std::int64_t at = 0;
  for (std::int64_t i = 0; i <= rows; ++i) {
    const std::uint8_t step = in.Byte();
    // Mostly forward; 0xff goes back; 0xfe is negative.
    if (step == 0xff) {
      at -= in.Byte() % 8;
    } else if (step == 0xfe) {
      at = -1;
    } else {
      at += step % 16;
    }
    if (at > kDataSize) at = kDataSize;
    if (large) {
      std::memcpy(&b->offsets[static_cast<std::size_t>(i) * 8], &at, 8);
    } else {
      const auto v = static_cast<std::int32_t>(at);
      std::memcpy(&b->offsets[static_cast<std::size_t>(i) * 4], &v, 4);
    }
  }
}

void Views(Bytes& in, Built* b, std::int64_t rows) {
  b->offsets.assign(static_cast<std::size_t>(rows) * 16, 0);
  for (std::int64_t i = 0; i < rows; ++i) {
    std::uint8_t* v = &b->offsets[static_cast<std::size_t>(i) * 16];
    const std::int32_t size = static_cast<std::int32_t>(in.Byte()) - 8;        // -8..247
    const std::int32_t buffer = static_cast<std::int32_t>(in.Byte() % 4) - 1;  // -1..2
    const std::int32_t offset = static_cast<std::int32_t>(in.Byte()) - 4;
    std::memcpy(v, &size, 4);
    std::memcpy(v + 8, &buffer, 4);
    std::memcpy(v + 12, &offset, 4);
  }
  b->sizes = {kDataSize, kDataSize / 2};
}

void Build(Bytes& in, Built* b, int format) {
  static const char* const kFormats[] = {"u", "U", "z", "Z", "vu", "vz"};
  ArrowArray& a = b->array;
  std::int64_t rows = 0;
  Shape(in, &a, &rows);
  b->validity.resize(static_cast<std::size_t>(kMaxRows * 2 / 8 + 1));
  for (auto& v : b->validity) v = in.Byte();
  const bool bitmap = in.Byte() % 4 != 0;
  const char* f = kFormats[format];
  b->buffers.push_back(bitmap ? b->validity.data() : nullptr);
  if (f[0] == 'v') {
    Views(in, b, rows);
    b->buffers.push_back(b->offsets.data());
    const int variadic = in.Byte() % 3;  // 0..2 data buffers
    if (variadic >= 1) b->buffers.push_back(b->data.data());
    if (variadic >= 2) b->buffers.push_back(b->data2.data());
    b->sizes.resize(static_cast<std::size_t>(variadic));
    b->buffers.push_back(b->sizes.data());
  } else {
    Offsets(in, b, rows, f[0] == 'U' || f[0] == 'Z');
    b->buffers.push_back(b->offsets.data());
    b->buffers.push_back(b->data.data());
    // Sometimes a buffer fewer than the type has. (Not for views: there the
    // last buffer would be read as the sizes of the others, which no reader
    // can check.)
    if (in.Byte() == 0xaa) b->buffers.pop_back();
  }
  a.n_buffers = static_cast<std::int64_t>(b->buffers.size());
  a.buffers = b->buffers.data();
  a.release = NoReleaseArray;
  b->schema.format = f;
  b->schema.name = "";
  b->schema.release = NoRelease;
}

// A dictionary's indices (8-bit signed, 32-bit, unsigned 64-bit) into `values`.
void BuildIndices(Bytes& in, Built* b, int index_kind) {
  static const char* const kIndex[] = {"c", "i", "L"};
  static const std::size_t kWidth[] = {1, 4, 8};
  ArrowArray& a = b->array;
  std::int64_t rows = 0;
  Shape(in, &a, &rows);
  b->validity.resize(static_cast<std::size_t>(kMaxRows * 2 / 8 + 1));
  for (auto& v : b->validity) v = in.Byte();
  b->offsets.assign(static_cast<std::size_t>(rows) * kWidth[index_kind], 0);
  for (auto& v : b->offsets) v = in.Byte() % 2 == 0 ? in.Byte() % 8 : in.Byte();
  b->buffers = {in.Byte() % 2 == 0 ? b->validity.data() : nullptr, b->offsets.data()};
  a.n_buffers = 2;
  a.buffers = b->buffers.data();
  a.release = NoReleaseArray;
  b->schema.format = kIndex[index_kind];
  b->schema.name = "";
  b->schema.release = NoRelease;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in(data, size);
  const std::uint8_t choice = in.Byte() % 10;
  Built outer;
  Built inner;
  ArrowSchema* child_schema[1] = {&inner.schema};
  ArrowArray* child_array[1] = {&inner.array};
  if (choice < 6) {
    Build(in, &outer, choice);
  } else if (choice < 9) {  // a dictionary of text
    Build(in, &inner, in.Byte() % 6);
    BuildIndices(in, &outer, choice - 6);
    outer.schema.dictionary = &inner.schema;
    outer.array.dictionary = &inner.array;
  } else {  // a one-field struct of text
    Build(in, &inner, in.Byte() % 6);
    std::int64_t rows = 0;
    Shape(in, &outer.array, &rows);
    outer.buffers = {nullptr};
    outer.array.n_buffers = 1;
    outer.array.buffers = outer.buffers.data();
    outer.array.null_count = 0;
    outer.array.n_children = 1;
    outer.array.children = child_array;
    outer.array.release = NoReleaseArray;
    outer.schema.format = "+s";
    outer.schema.name = "";
    outer.schema.n_children = 1;
    outer.schema.children = child_schema;
    outer.schema.release = NoRelease;
  }
  absl::StatusOr<ImportedColumn> column = TakeArray(&outer.schema, &outer.array, "fuzz");
  if (!column.ok()) {
    if (column.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  std::vector<std::string_view> views;
  std::vector<std::uint8_t> valid;
  absl::Status s = ReadText(*column, "fuzz", &views, &valid);
  if (!s.ok()) {
    if (s.code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  if (views.size() != valid.size() || views.size() != static_cast<std::size_t>(column->length)) {
    std::abort();
  }
  volatile unsigned sum = 0;
  for (std::string_view v : views) {
    for (char c : v) sum = sum + static_cast<unsigned char>(c);
  }
  return 0;
}
