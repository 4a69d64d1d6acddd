// Arrow text columns in and out: see arrow.h. Every fact of an imported
// array is checked before it is used; nothing here prints a value.
#include "common/arrow.h"

#include <sodium.h>

#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "common/text.h"

namespace gdprkit::internal::arrow {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

absl::Status Malformed(std::string_view what, std::size_t chunk, std::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat(AV(what), " is a malformed Arrow array (chunk ", chunk, "): ", AV(problem)));
}

void ReleaseSchema(ArrowSchema* s) {
  if (s->release != nullptr) s->release(s);
  delete s;
}

std::shared_ptr<ArrowSchema> TakeSchema(ArrowSchema* schema) {
  auto* owned = new ArrowSchema(*schema);
  schema->release = nullptr;
  return std::shared_ptr<ArrowSchema>(owned, ReleaseSchema);
}

}  // namespace

const ArrowSchema ImportedArray::empty_{};

ImportedArray::ImportedArray(ArrowSchema* schema, ArrowArray* array)
    : ImportedArray(TakeSchema(schema), array) {}

ImportedArray::ImportedArray(std::shared_ptr<ArrowSchema> schema, ArrowArray* array)
    : schema_(std::move(schema)), array_(*array) {
  array->release = nullptr;
  schema_view_ = schema_.get();
  view_ = array_;
  view_.release = nullptr;
}

ImportedArray::ImportedArray(ImportedArray&& other) noexcept { *this = std::move(other); }

ImportedArray& ImportedArray::operator=(ImportedArray&& other) noexcept {
  if (this != &other) {
    Release();
    schema_ = std::move(other.schema_);
    array_ = other.array_;
    other.array_.release = nullptr;
    schema_view_ = other.schema_view_;
    view_ = other.view_;
    other.schema_view_ = nullptr;
    other.view_ = ArrowArray{};
  }
  return *this;
}

ImportedArray::~ImportedArray() { Release(); }

void ImportedArray::Release() {
  view_ = ArrowArray{};
  schema_view_ = nullptr;
  if (array_.release != nullptr) array_.release(&array_);
  array_ = ArrowArray{};
  schema_.reset();
}

absl::Status ImportedArray::UnwrapOneField(std::string_view what) {
  if (schema_view_ == nullptr || schema_view_->format == nullptr ||
      std::strcmp(schema_view_->format, "+s") != 0) {
    return absl::OkStatus();
  }
  const ArrowSchema& s = *schema_view_;
  const ArrowArray& a = view_;
  if (s.n_children != 1 || a.n_children != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(AV(what), " is a table of ", s.n_children,
                     " columns; gdprkit reads one column (select it first)"));
  }
  if (s.children == nullptr || s.children[0] == nullptr || a.children == nullptr ||
      a.children[0] == nullptr) {
    return Malformed(what, 0, "a struct array without its field");
  }
  if (a.length < 0 || a.offset < 0 || a.offset > kInt64Max - a.length) {
    return Malformed(what, 0, "a struct array's length or offset is out of range");
  }
  if (a.null_count != 0 && a.n_buffers >= 1 && a.buffers != nullptr && a.buffers[0] != nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        AV(what), " is a struct column with null rows; gdprkit reads a column of text"));
  }
  ArrowArray child = *a.children[0];
  // The field's own frame first (its buffers cover offset + length), then
  // the struct's rows within it.
  if (child.length < 0 || child.offset < 0 || child.offset > kInt64Max - child.length - 1) {
    return Malformed(what, 0, "the struct's field has a length or offset out of range");
  }
  if (a.offset + a.length > child.length) {
    return Malformed(what, 0, "the struct's field is shorter than the struct");
  }
  child.offset += a.offset;
  child.length = a.length;
  child.null_count = child.null_count == 0 ? 0 : -1;  // unknown within the slice
  child.release = nullptr;
  schema_view_ = s.children[0];
  view_ = child;
  return absl::OkStatus();
}

absl::StatusOr<ImportedColumn> TakeArray(ArrowSchema* schema, ArrowArray* array,
                                         std::string_view what) {
  if (schema == nullptr || array == nullptr || schema->release == nullptr ||
      array->release == nullptr) {
    if (schema != nullptr && schema->release != nullptr) schema->release(schema);
    if (array != nullptr && array->release != nullptr) array->release(array);
    return absl::InvalidArgumentError(
        absl::StrCat(AV(what), ": the Arrow array or schema is missing or already released"));
  }
  ImportedColumn column;
  column.chunks.emplace_back(schema, array);
  GDPRKIT_RETURN_IF_ERROR(column.chunks.back().UnwrapOneField(what));
  column.length = column.chunks.back().length();
  if (column.length < 0) return Malformed(what, 0, "a negative length");
  return column;
}

absl::StatusOr<ImportedColumn> TakeStream(ArrowArrayStream* stream, std::string_view what) {
  if (stream == nullptr || stream->release == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(AV(what), ": the Arrow stream is missing or already released"));
  }
  // Released on every return (moved out first, as for arrays).
  ArrowArrayStream owned = *stream;
  stream->release = nullptr;
  struct Guard {
    ArrowArrayStream* s;
    ~Guard() {
      if (s->release != nullptr) s->release(s);
    }
  } guard{&owned};
  auto failed = [&](std::string_view step, int code) {
    const char* last = owned.get_last_error != nullptr ? owned.get_last_error(&owned) : nullptr;
    return absl::InvalidArgumentError(absl::StrCat(
        AV(what), ": the Arrow stream failed to give its ", AV(step), " (error ", code, ")",
        last != nullptr && *last != '\0' ? absl::StrCat(": ", QuoteUntrusted(last)) : ""));
  };
  if (owned.get_schema == nullptr || owned.get_next == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(AV(what), ": the Arrow stream has no callbacks"));
  }
  ArrowSchema raw_schema{};
  if (int rc = owned.get_schema(&owned, &raw_schema); rc != 0) return failed("schema", rc);
  if (raw_schema.release == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(AV(what), ": the Arrow stream gave no schema"));
  }
  std::shared_ptr<ArrowSchema> schema = TakeSchema(&raw_schema);
  ImportedColumn column;
  for (;;) {
    ArrowArray raw{};
    if (int rc = owned.get_next(&owned, &raw); rc != 0) return failed("next array", rc);
    if (raw.release == nullptr) break;  // the end
    column.chunks.emplace_back(schema, &raw);
    ImportedArray& chunk = column.chunks.back();
    GDPRKIT_RETURN_IF_ERROR(chunk.UnwrapOneField(what));
    if (chunk.length() < 0 || chunk.length() > kInt64Max - column.length) {
      return Malformed(what, column.chunks.size() - 1, "a length out of range");
    }
    column.length += chunk.length();
  }
  return column;
}

namespace {

// The checked frame of one array: its validity bitmap (or none) and its
// buffers.
struct Frame {
  const std::uint8_t* validity = nullptr;  // null: every row valid
  std::int64_t offset = 0;
  std::int64_t length = 0;
  bool valid(std::int64_t i) const {
    if (validity == nullptr) return true;
    const std::int64_t bit = offset + i;
    return ((validity[bit >> 3] >> (bit & 7)) & 1) != 0;
  }
};

// Checks length, offset, buffers (exactly `n_buffers`, or at least when
// `at_least`) and the validity bitmap.
absl::StatusOr<Frame> CheckFrame(const ArrowArray& a, std::int64_t n_buffers, bool at_least,
                                 std::string_view what, std::size_t chunk) {
  if (a.length < 0) return Malformed(what, chunk, "a negative length");
  if (a.offset < 0) return Malformed(what, chunk, "a negative offset");
  // +1: offsets buffers hold length + 1 entries past the offset.
  if (a.offset > kInt64Max - a.length - 1) {
    return Malformed(what, chunk, "offset + length overflows");
  }
  if (at_least ? a.n_buffers < n_buffers : a.n_buffers != n_buffers) {
    return Malformed(what, chunk,
                     absl::StrCat(a.n_buffers, " buffers where the type has ",
                                  at_least ? "at least " : "", n_buffers));
  }
  if (a.buffers == nullptr) return Malformed(what, chunk, "no buffers");
  if (a.null_count < -1) return Malformed(what, chunk, "a negative null count");
  if (a.null_count > a.length) return Malformed(what, chunk, "more nulls than rows");
  Frame f;
  f.offset = a.offset;
  f.length = a.length;
  if (a.null_count != 0) {
    f.validity = static_cast<const std::uint8_t*>(a.buffers[0]);
    if (f.validity == nullptr && a.null_count > 0) {
      return Malformed(what, chunk, "null rows without a validity bitmap");
    }
  }
  return f;
}

// Views of one utf8/binary array (offsets of type O).
template <typename O>
absl::Status ReadOffsets(const ArrowArray& a, std::string_view what, std::size_t chunk,
                         std::vector<std::string_view>* views, std::vector<std::uint8_t>* valid) {
  GDPRKIT_ASSIGN_OR_RETURN(const Frame f, CheckFrame(a, 3, false, what, chunk));
  if (f.length == 0) return absl::OkStatus();
  const O* offsets = static_cast<const O*>(a.buffers[1]);
  const char* data = static_cast<const char*>(a.buffers[2]);
  if (offsets == nullptr) return Malformed(what, chunk, "no offsets buffer");
  offsets += f.offset;
  O previous = offsets[0];
  if (previous < 0) return Malformed(what, chunk, "a negative offset into the data");
  if (offsets[f.length] > previous && data == nullptr) {
    return Malformed(what, chunk, "no data buffer");
  }
  for (std::int64_t i = 0; i < f.length; ++i) {
    const O next = offsets[i + 1];
    if (next < previous) {
      return Malformed(what, chunk, absl::StrCat("the offsets run backwards at row ", i));
    }
    const bool ok = f.valid(i);
    views->push_back(
        ok ? std::string_view(data + previous, static_cast<std::size_t>(next - previous))
           : std::string_view());
    if (valid != nullptr) valid->push_back(ok ? 1 : 0);
    previous = next;
  }
  return absl::OkStatus();
}

// Views of one utf8/binary view array ("vu", "vz"): 16-byte views, inline
// up to 12 bytes, else (prefix, buffer index, offset) into the variadic
// buffers, whose sizes are the last buffer.
absl::Status ReadViews(const ArrowArray& a, std::string_view what, std::size_t chunk,
                       std::vector<std::string_view>* views, std::vector<std::uint8_t>* valid) {
  GDPRKIT_ASSIGN_OR_RETURN(const Frame f, CheckFrame(a, 3, true, what, chunk));
  if (f.length == 0) return absl::OkStatus();
  const char* raw = static_cast<const char*>(a.buffers[1]);
  if (raw == nullptr) return Malformed(what, chunk, "no views buffer");
  const std::int64_t variadic = a.n_buffers - 3;
  const auto* sizes = static_cast<const std::int64_t*>(a.buffers[a.n_buffers - 1]);
  if (variadic > 0 && sizes == nullptr) {
    return Malformed(what, chunk, "no buffer sizes for the variadic buffers");
  }
  for (std::int64_t i = 0; i < f.length; ++i) {
    if (!f.valid(i)) {
      views->push_back(std::string_view());
      if (valid != nullptr) valid->push_back(0);
      continue;
    }
    const char* view = raw + 16 * (f.offset + i);
    std::int32_t size;
    std::memcpy(&size, view, 4);
    if (size < 0) return Malformed(what, chunk, absl::StrCat("a negative length at row ", i));
    if (size <= 12) {
      views->push_back(std::string_view(view + 4, static_cast<std::size_t>(size)));
    } else {
      std::int32_t index;
      std::int32_t offset;
      std::memcpy(&index, view + 8, 4);
      std::memcpy(&offset, view + 12, 4);
      if (index < 0 || index >= variadic) {
        return Malformed(what, chunk, absl::StrCat("row ", i, " names a buffer it does not have"));
      }
      const char* buffer = static_cast<const char*>(a.buffers[2 + index]);
      if (offset < 0 || buffer == nullptr ||
          static_cast<std::int64_t>(offset) + size > sizes[index]) {
        return Malformed(what, chunk, absl::StrCat("row ", i, " runs past its buffer"));
      }
      views->push_back(std::string_view(buffer + offset, static_cast<std::size_t>(size)));
    }
    if (valid != nullptr) valid->push_back(1);
  }
  return absl::OkStatus();
}

absl::Status ReadPlain(const ArrowSchema& s, const ArrowArray& a, std::string_view what,
                       std::size_t chunk, std::vector<std::string_view>* views,
                       std::vector<std::uint8_t>* valid);

// Dictionary-encoded text: integer indices (of type I) into a text
// dictionary.
template <typename I>
absl::Status ReadDictionary(const ArrowSchema& s, const ArrowArray& a, std::string_view what,
                            std::size_t chunk, std::vector<std::string_view>* views,
                            std::vector<std::uint8_t>* valid) {
  GDPRKIT_ASSIGN_OR_RETURN(const Frame f, CheckFrame(a, 2, false, what, chunk));
  if (a.dictionary == nullptr) return Malformed(what, chunk, "no dictionary");
  if (s.dictionary->dictionary != nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(AV(what), " is a dictionary of dictionaries; gdprkit reads text"));
  }
  std::vector<std::string_view> values;
  std::vector<std::uint8_t> values_valid;
  GDPRKIT_RETURN_IF_ERROR(
      ReadPlain(*s.dictionary, *a.dictionary, what, chunk, &values, &values_valid));
  if (f.length == 0) return absl::OkStatus();
  const I* indices = static_cast<const I*>(a.buffers[1]);
  if (indices == nullptr) return Malformed(what, chunk, "no indices buffer");
  indices += f.offset;
  const auto n = static_cast<std::uint64_t>(values.size());
  for (std::int64_t i = 0; i < f.length; ++i) {
    if (!f.valid(i)) {
      views->push_back(std::string_view());
      if (valid != nullptr) valid->push_back(0);
      continue;
    }
    const I index = indices[i];
    // Signed negative indices become huge unsigned ones: out of range too.
    if (static_cast<std::uint64_t>(index) >= n || (std::is_signed_v<I> && index < 0)) {
      return Malformed(what, chunk,
                       absl::StrCat("row ", i, " has a dictionary index out of range"));
    }
    const auto k = static_cast<std::size_t>(index);
    views->push_back(values[k]);
    if (valid != nullptr) valid->push_back(values_valid[k]);
  }
  return absl::OkStatus();
}

bool Is(const char* format, const char* name) { return std::strcmp(format, name) == 0; }

absl::Status ReadPlain(const ArrowSchema& s, const ArrowArray& a, std::string_view what,
                       std::size_t chunk, std::vector<std::string_view>* views,
                       std::vector<std::uint8_t>* valid) {
  const char* format = s.format;
  if (format == nullptr) return Malformed(what, chunk, "a schema without a format");
  if (s.dictionary != nullptr) {
    if (Is(format, "c")) return ReadDictionary<std::int8_t>(s, a, what, chunk, views, valid);
    if (Is(format, "C")) return ReadDictionary<std::uint8_t>(s, a, what, chunk, views, valid);
    if (Is(format, "s")) return ReadDictionary<std::int16_t>(s, a, what, chunk, views, valid);
    if (Is(format, "S")) return ReadDictionary<std::uint16_t>(s, a, what, chunk, views, valid);
    if (Is(format, "i")) return ReadDictionary<std::int32_t>(s, a, what, chunk, views, valid);
    if (Is(format, "I")) return ReadDictionary<std::uint32_t>(s, a, what, chunk, views, valid);
    if (Is(format, "l")) return ReadDictionary<std::int64_t>(s, a, what, chunk, views, valid);
    if (Is(format, "L")) return ReadDictionary<std::uint64_t>(s, a, what, chunk, views, valid);
    return Malformed(what, chunk, "a dictionary whose index is not an integer");
  }
  if (Is(format, "u") || Is(format, "z")) {
    return ReadOffsets<std::int32_t>(a, what, chunk, views, valid);
  }
  if (Is(format, "U") || Is(format, "Z")) {
    return ReadOffsets<std::int64_t>(a, what, chunk, views, valid);
  }
  if (Is(format, "vu") || Is(format, "vz")) return ReadViews(a, what, chunk, views, valid);
  if (Is(format, "n")) {  // the null type: every row missing
    GDPRKIT_ASSIGN_OR_RETURN(const Frame f, CheckFrame(a, 0, false, what, chunk));
    views->insert(views->end(), static_cast<std::size_t>(f.length), std::string_view());
    if (valid != nullptr) valid->insert(valid->end(), static_cast<std::size_t>(f.length), 0);
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat(AV(what), " is an Arrow column of type ", TypeName(format),
                   ", not text (identifiers are text: keep leading zeros)"));
}

}  // namespace

std::string TypeName(std::string_view format) {
  // The formats of the C Data Interface's specification, by their names.
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"n", "null"},           {"b", "bool"},           {"c", "int8"},
      {"C", "uint8"},          {"s", "int16"},          {"S", "uint16"},
      {"i", "int32"},          {"I", "uint32"},         {"l", "int64"},
      {"L", "uint64"},         {"e", "float16"},        {"f", "float32"},
      {"g", "float64"},        {"z", "binary"},         {"Z", "large_binary"},
      {"vz", "binary_view"},   {"u", "utf8"},           {"U", "large_utf8"},
      {"vu", "utf8_view"},     {"tdD", "date32"},       {"tdm", "date64"},
      {"tts", "time32[s]"},    {"ttm", "time32[ms]"},   {"ttu", "time64[us]"},
      {"ttn", "time64[ns]"},   {"tDs", "duration[s]"},  {"tDm", "duration[ms]"},
      {"tDu", "duration[us]"}, {"tDn", "duration[ns]"}, {"+l", "list"},
      {"+L", "large_list"},    {"+s", "struct"},        {"+m", "map"},
  };
  for (const auto& [code, name] : kNames) {
    if (format == code) return std::string(name);
  }
  // timestamp: "ts" + unit + ":" + zone (empty: without a zone).
  const std::size_t unit_index =
      format.size() >= 4 ? std::string_view("smun").find(format[2]) : std::string_view::npos;
  if (format.substr(0, 2) == "ts" && unit_index < 4 && format[3] == ':') {
    static constexpr std::string_view kUnits[] = {"s", "ms", "us", "ns"};
    const std::string_view unit = kUnits[unit_index];
    const std::string_view zone = format.substr(4);
    if (zone.empty()) return absl::StrCat("timestamp[", AV(unit), "]");
    return absl::StrCat("timestamp[", AV(unit), ", tz=", QuoteUntrusted(zone), "]");
  }
  if (format.substr(0, 2) == "d:")
    return absl::StrCat("decimal(", QuoteUntrusted(format.substr(2)), ")");
  return QuoteUntrusted(format);
}

absl::Status ReadText(const ImportedColumn& column, std::string_view what,
                      std::vector<std::string_view>* views, std::vector<std::uint8_t>* valid) {
  views->reserve(views->size() + static_cast<std::size_t>(column.length));
  if (valid != nullptr) valid->reserve(valid->size() + static_cast<std::size_t>(column.length));
  for (std::size_t c = 0; c < column.chunks.size(); ++c) {
    const ImportedArray& chunk = column.chunks[c];
    GDPRKIT_RETURN_IF_ERROR(ReadPlain(chunk.schema(), chunk.array(), what, c, views, valid));
  }
  return absl::OkStatus();
}

// --- Export ---------------------------------------------------------------

namespace {

// What an exported array owns: its buffers, freed (and wiped when `wipe`) by
// its release.
struct ExportData {
  std::vector<std::uint8_t> validity;
  std::vector<std::int32_t> offsets32;
  std::vector<std::int64_t> offsets64;
  std::string data;
  bool wipe = false;
  const void* buffers[3] = {nullptr, nullptr, nullptr};
};

void ReleaseExportedArray(ArrowArray* a) {
  auto* d = static_cast<ExportData*>(a->private_data);
  if (d != nullptr) {
    if (d->wipe && !d->data.empty()) sodium_memzero(&d->data[0], d->data.size());
    delete d;
  }
  a->private_data = nullptr;
  a->release = nullptr;
}

void ReleaseExportedSchema(ArrowSchema* s) {
  s->private_data = nullptr;
  s->release = nullptr;
}

// Fills `out` from `d` (offsets already made) for n rows.
ExportedArray Make(std::unique_ptr<ExportData> d, std::int64_t n) {
  std::int64_t nulls = 0;
  if (!d->validity.empty()) {
    for (std::int64_t i = 0; i < n; ++i) {
      if (((d->validity[static_cast<std::size_t>(i >> 3)] >> (i & 7)) & 1) == 0) ++nulls;
    }
    if (nulls == 0) d->validity.clear();
  }
  const bool large = !d->offsets64.empty();
  if (d->data.empty()) d->data.reserve(1);  // a non-null data pointer
  d->buffers[0] = d->validity.empty() ? nullptr : d->validity.data();
  d->buffers[1] = large ? static_cast<const void*>(d->offsets64.data())
                        : static_cast<const void*>(d->offsets32.data());
  d->buffers[2] = d->data.data();
  ExportedArray out;
  out.schema.format = large ? "U" : "u";
  out.schema.name = "";
  out.schema.metadata = nullptr;
  out.schema.flags = ARROW_FLAG_NULLABLE;
  out.schema.release = ReleaseExportedSchema;
  out.array.length = n;
  out.array.null_count = nulls;
  out.array.offset = 0;
  out.array.n_buffers = 3;
  out.array.n_children = 0;
  out.array.buffers = d->buffers;
  out.array.children = nullptr;
  out.array.dictionary = nullptr;
  out.array.release = ReleaseExportedArray;
  out.array.private_data = d.release();
  return out;
}

std::vector<std::uint8_t> Bitmap(const std::vector<std::uint8_t>* valid, std::size_t n) {
  std::vector<std::uint8_t> bits;
  if (valid == nullptr) return bits;
  bits.assign((n + 7) / 8, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (i < valid->size() && (*valid)[i] != 0)
      bits[i >> 3] |= static_cast<std::uint8_t>(1 << (i & 7));
  }
  return bits;
}

constexpr std::uint64_t kInt32Max =
    static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max());

}  // namespace

ExportedArray::ExportedArray(ExportedArray&& other) noexcept { *this = std::move(other); }

ExportedArray& ExportedArray::operator=(ExportedArray&& other) noexcept {
  if (this != &other) {
    if (array.release != nullptr) array.release(&array);
    if (schema.release != nullptr) schema.release(&schema);
    schema = other.schema;
    array = other.array;
    other.schema.release = nullptr;
    other.array.release = nullptr;
  }
  return *this;
}

ExportedArray::~ExportedArray() {
  if (array.release != nullptr) array.release(&array);
  if (schema.release != nullptr) schema.release(&schema);
}

void ExportedArray::HandOver(ArrowSchema* schema_out, ArrowArray* array_out) {
  *schema_out = schema;
  *array_out = array;
  schema.release = nullptr;
  array.release = nullptr;
}

std::int64_t ExportedArray::length() const { return array.release == nullptr ? 0 : array.length; }

absl::StatusOr<ExportedArray> ExportText(const StringColumn& column,
                                         const std::vector<std::uint8_t>* valid) {
  const std::size_t n = column.size();
  if (valid != nullptr && valid->size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("ExportText: ", valid->size(), " validity flags for ", n, " rows"));
  }
  auto d = std::make_unique<ExportData>();
  d->wipe = true;
  d->data = column.bytes();
  const std::vector<std::uint64_t>& offsets = column.offsets();
  if (column.bytes().size() > kInt32Max) {
    d->offsets64.assign(offsets.begin(), offsets.end());
  } else {
    d->offsets32.resize(offsets.size());
    for (std::size_t i = 0; i < offsets.size(); ++i) {
      d->offsets32[i] = static_cast<std::int32_t>(offsets[i]);
    }
  }
  d->validity = Bitmap(valid, n);
  return Make(std::move(d), static_cast<std::int64_t>(n));
}

FixedWidthTextBuilder::FixedWidthTextBuilder(std::size_t rows, std::size_t width)
    : rows_(rows), width_(width), bytes_(rows * width, '\0'), valid_(rows, 1) {}

char* FixedWidthTextBuilder::data(std::size_t row) { return &bytes_[0] + row * width_; }

void FixedWidthTextBuilder::SetNull(std::size_t row) { valid_[row] = 0; }

absl::StatusOr<ExportedArray> FixedWidthTextBuilder::Finish() && {
  auto d = std::make_unique<ExportData>();
  const std::uint64_t total = static_cast<std::uint64_t>(rows_) * width_;
  if (total > kInt32Max) {
    d->offsets64.resize(rows_ + 1);
    for (std::size_t i = 0; i <= rows_; ++i) {
      d->offsets64[i] = static_cast<std::int64_t>(i * width_);
    }
  } else {
    d->offsets32.resize(rows_ + 1);
    for (std::size_t i = 0; i <= rows_; ++i) {
      d->offsets32[i] = static_cast<std::int32_t>(i * width_);
    }
  }
  d->data = std::move(bytes_);
  d->validity = Bitmap(&valid_, rows_);
  const auto rows = static_cast<std::int64_t>(rows_);
  rows_ = 0;
  return Make(std::move(d), rows);
}

}  // namespace gdprkit::internal::arrow
