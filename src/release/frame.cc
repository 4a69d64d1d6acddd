// Frames: the columns a release is made from and made of, their checks, and
// the digest of their content in its canonical form (docs/release.md).
#include <sodium.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/sv.h"
#include "common/text.h"
#include "gdprkit/release.h"

namespace gdprkit {
namespace {

using internal::AV;
using internal::QuoteUntrusted;

// The canonical form, hashed: a version line, then per column its name and
// its values, each framed as a tag byte (0: missing, 1: a value) and, for a
// value, its length (8 bytes, little-endian) and bytes. Column by column:
// every value's frame is self-delimiting, so two different frames cannot
// give the same byte stream.
constexpr std::string_view kCanonicalVersion = "gdprkit-content-v1\n";

class Hasher {
 public:
  Hasher() { crypto_generichash_init(&state_, nullptr, 0, crypto_generichash_BYTES); }

  void Count(std::uint64_t n) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(n >> (8 * i));
    Add(std::string_view(reinterpret_cast<const char*>(b), sizeof b));
  }
  void Value(std::string_view v) {
    if (v.empty()) {
      Add(std::string_view("\0", 1));
      return;
    }
    Add(std::string_view("\1", 1));
    Count(v.size());
    Add(v);
  }
  void Add(std::string_view bytes) {
    if (buffer_.size() + bytes.size() > kFlush) Flush();
    if (bytes.size() > kFlush) {
      Update(bytes);
    } else {
      buffer_.append(bytes.data(), bytes.size());
    }
  }
  std::string Finish() {
    Flush();
    unsigned char out[crypto_generichash_BYTES];
    crypto_generichash_final(&state_, out, sizeof out);
    char hex[2 * sizeof out + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return absl::StrCat("blake2b-256:", hex);
  }

 private:
  static constexpr std::size_t kFlush = 1 << 16;
  void Flush() {
    Update(buffer_);
    buffer_.clear();
  }
  void Update(std::string_view bytes) {
    if (bytes.empty()) return;
    crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()),
                              bytes.size());
  }
  crypto_generichash_state state_;
  std::string buffer_;
};

// The shortest text that reads back to `v` (finite): integers without a
// decimal point, -0 as 0.
std::string_view FormatNumber(double v, char (&buf)[64]) {
  if (v == 0) v = 0;  // -0 -> 0
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
}

std::string_view TypeName(FrameColumnType type) { return FrameColumnTypeName(type); }

absl::Status ColumnError(const FrameColumn& c, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("frame column ", QuoteUntrusted(c.name), ": ", AV(what)));
}

}  // namespace

// ---- FrameColumn -------------------------------------------------------------

std::size_t FrameColumn::rows() const {
  switch (type) {
    case FrameColumnType::kText:
      return codes.size();
    case FrameColumnType::kNumber:
      return numbers.size();
    case FrameColumnType::kDate:
      return days.size();
  }
  return 0;
}

std::string_view FrameColumn::text(std::size_t row) const {
  const std::int32_t code = codes[row];
  return code < 0 ? std::string_view() : std::string_view(labels[static_cast<std::size_t>(code)]);
}

bool FrameColumn::missing(std::size_t row) const {
  switch (type) {
    case FrameColumnType::kText:
      return codes[row] < 0 || labels[static_cast<std::size_t>(codes[row])].empty();
    case FrameColumnType::kNumber:
      return std::isnan(numbers[row]);
    case FrameColumnType::kDate:
      return days[row] == kNoDate;
  }
  return true;
}

FrameColumn FrameColumn::Text(std::string name, absl::Span<const std::string_view> texts,
                              const std::vector<bool>* missing) {
  FrameColumn c;
  c.name = std::move(name);
  c.type = FrameColumnType::kText;
  c.codes.resize(texts.size());
  absl::flat_hash_map<std::string_view, std::int32_t> index;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (missing != nullptr && i < missing->size() && (*missing)[i]) {
      c.codes[i] = -1;
      continue;
    }
    auto [it, added] = index.try_emplace(texts[i], static_cast<std::int32_t>(c.labels.size()));
    if (added) c.labels.emplace_back(texts[i]);
    c.codes[i] = it->second;
  }
  return c;
}

FrameColumn FrameColumn::Labels(std::string name, std::vector<std::string> labels,
                                std::vector<std::int32_t> codes) {
  FrameColumn c;
  c.name = std::move(name);
  c.type = FrameColumnType::kText;
  c.labels = std::move(labels);
  c.codes = std::move(codes);
  return c;
}

FrameColumn FrameColumn::Numbers(std::string name, std::vector<double> numbers) {
  FrameColumn c;
  c.name = std::move(name);
  c.type = FrameColumnType::kNumber;
  c.numbers = std::move(numbers);
  return c;
}

FrameColumn FrameColumn::Days(std::string name, std::vector<DayNumber> days) {
  FrameColumn c;
  c.name = std::move(name);
  c.type = FrameColumnType::kDate;
  c.days = std::move(days);
  return c;
}

// ---- Frame -------------------------------------------------------------------

std::size_t Frame::rows() const { return columns.empty() ? 0 : columns.front().rows(); }

const FrameColumn* Frame::Find(std::string_view name) const {
  for (const FrameColumn& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<std::string> Frame::names() const {
  std::vector<std::string> out;
  out.reserve(columns.size());
  for (const FrameColumn& c : columns) out.push_back(c.name);
  return out;
}

absl::Status ValidateFrame(const Frame& frame, bool allow_empty) {
  if (frame.columns.empty() && !allow_empty) {
    return absl::InvalidArgumentError("the frame has no columns");
  }
  absl::flat_hash_set<std::string_view> seen;
  const std::size_t rows = frame.rows();
  for (const FrameColumn& c : frame.columns) {
    if (c.name.empty()) return absl::InvalidArgumentError("a frame column has an empty name");
    if (!internal::IsValidUtf8(c.name)) {
      return absl::InvalidArgumentError("a frame column's name is not valid UTF-8");
    }
    if (!seen.insert(c.name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("two frame columns are named ", QuoteUntrusted(c.name)));
    }
    const bool text = c.type == FrameColumnType::kText;
    const bool number = c.type == FrameColumnType::kNumber;
    const bool date = c.type == FrameColumnType::kDate;
    if (!text && !number && !date) return ColumnError(c, "unknown column type");
    if ((!text && (!c.labels.empty() || !c.codes.empty())) || (!number && !c.numbers.empty()) ||
        (!date && !c.days.empty())) {
      return ColumnError(
          c, absl::StrCat("a ", AV(TypeName(c.type)), " column with values of another type"));
    }
    if (c.rows() != rows) {
      return ColumnError(
          c, absl::StrCat("has ", c.rows(), " rows; the frame's first column has ", rows));
    }
    if (text) {
      const auto n = static_cast<std::int64_t>(c.labels.size());
      for (std::size_t r = 0; r < rows; ++r) {
        if (c.codes[r] < -1 || c.codes[r] >= n) {
          return ColumnError(
              c, absl::StrCat("row ", r, " has code ", c.codes[r], ", outside its ", n, " labels"));
        }
      }
      for (std::size_t i = 0; i < c.labels.size(); ++i) {
        if (!internal::IsValidUtf8(c.labels[i])) {
          return ColumnError(c, absl::StrCat("label ", i, " is not valid UTF-8"));
        }
      }
    } else if (number) {
      for (std::size_t r = 0; r < rows; ++r) {
        if (std::isinf(c.numbers[r])) {
          return ColumnError(c, absl::StrCat("row ", r, " is infinite"));
        }
      }
    } else {
      for (std::size_t r = 0; r < rows; ++r) {
        if (c.days[r] != kNoDate && !IsValidDay(c.days[r])) {
          return ColumnError(c, absl::StrCat("row ", r, " is a day outside the calendar"));
        }
      }
    }
  }
  return absl::OkStatus();
}

std::string FormatFrameValue(const FrameColumn& column, std::size_t row) {
  switch (column.type) {
    case FrameColumnType::kText:
      return std::string(column.text(row));
    case FrameColumnType::kNumber: {
      const double v = column.numbers[row];
      if (std::isnan(v)) return std::string();
      char buf[64];
      return std::string(FormatNumber(v, buf));
    }
    case FrameColumnType::kDate:
      return FormatDate(column.days[row]);
  }
  return std::string();
}

absl::StatusOr<std::string> ContentDigest(const Frame& frame) {
  if (absl::Status s = ValidateFrame(frame, /*allow_empty=*/true); !s.ok()) return s;
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  Hasher h;
  h.Add(kCanonicalVersion);
  h.Count(frame.columns.size());
  const std::size_t rows = frame.rows();
  h.Count(rows);
  for (const FrameColumn& c : frame.columns) {
    h.Value(c.name);
    switch (c.type) {
      case FrameColumnType::kText:
        for (std::size_t r = 0; r < rows; ++r) h.Value(c.text(r));
        break;
      case FrameColumnType::kNumber: {
        char buf[64];
        for (std::size_t r = 0; r < rows; ++r) {
          const double v = c.numbers[r];
          h.Value(std::isnan(v) ? std::string_view() : FormatNumber(v, buf));
        }
        break;
      }
      case FrameColumnType::kDate:
        for (std::size_t r = 0; r < rows; ++r) h.Value(FormatDate(c.days[r]));
        break;
    }
  }
  return h.Finish();
}

}  // namespace gdprkit
