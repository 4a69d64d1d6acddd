#include "release/internal/gate.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/progress.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "common/text.h"

namespace gdprkit::release_internal {
namespace {

using internal::DidYouMean;
using internal::Quote;
using internal::QuoteUntrusted;

constexpr std::size_t kMaxHierarchyBytes = 64u << 20;
// Leaf cells a table may have (the product of its dimensions' leaves).
constexpr std::int64_t kMaxLeafCells = std::int64_t{1} << 26;

absl::StatusOr<std::string> ReadSmallFile(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec)
    return absl::NotFoundError(
        absl::StrCat("cannot read ", Quote(path.string()), ": ", ec.message()));
  if (size > kMaxHierarchyBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat(Quote(path.string()), " is larger than ", kMaxHierarchyBytes, " bytes"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", Quote(path.string())));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string_view Strip(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool HasPrefix(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// code,parent lines (a "code,parent" header and blank lines skipped; fields
// may be quoted).
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseCodeParentCsv(
    std::string_view text, const std::string& where) {
  std::vector<std::pair<std::string, std::string>> pairs;
  int line_no = 0;
  if (HasPrefix(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++line_no;
    line = Strip(line);
    if (line.empty()) continue;
    std::vector<std::string> fields;
    while (true) {
      const std::size_t comma = line.find(',');
      std::string_view f = Strip(line.substr(0, comma));
      if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
      fields.emplace_back(f);
      if (comma == std::string_view::npos) break;
      line.remove_prefix(comma + 1);
    }
    if (line_no == 1 && fields.size() == 2 && fields[0] == "code" && fields[1] == "parent")
      continue;
    if (fields.size() != 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ":", line_no, ": expected 2 fields (code,parent), found ", fields.size()));
    }
    pairs.emplace_back(std::move(fields[0]), std::move(fields[1]));
  }
  return pairs;
}

absl::StatusOr<Hierarchy> LoadHierarchy(const ReleaseHierarchy& h, const Release& release,
                                        const std::filesystem::path& base) {
  const std::string total = h.total.empty() ? "Total" : h.total;
  const std::string what =
      absl::StrCat("release ", Quote(release.id), ": hierarchy ", Quote(h.name));
  absl::StatusOr<Hierarchy> out;
  if (h.file.empty()) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const ReleaseHierarchyCode& c : h.codes) pairs.emplace_back(c.code, c.parent);
    out = Hierarchy::FromParents(h.name, pairs);
  } else {
    const std::filesystem::path path = base / h.file;
    GDPRKIT_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path));
    const std::string where = path.string();
    if (absl::EndsWithIgnoreCase(internal::AV(h.file), ".csv")) {
      GDPRKIT_ASSIGN_OR_RETURN(auto pairs, ParseCodeParentCsv(text, where));
      out = Hierarchy::FromParents(h.name, pairs);
    } else {
      std::string_view hrc(text);
      if (HasPrefix(hrc, "\xEF\xBB\xBF")) hrc.remove_prefix(3);
      out = Hierarchy::FromIndentedText(h.name, hrc, total);
    }
    if (!out.ok()) {
      return absl::Status(out.status().code(), absl::StrCat(what, " (file ", Quote(where),
                                                            "): ", out.status().message()));
    }
    return out;
  }
  if (!out.ok()) {
    return absl::Status(out.status().code(), absl::StrCat(what, ": ", out.status().message()));
  }
  return out;
}

PrimaryRules RulesOf(const Release& release) {
  PrimaryRules p;
  if (!release.rules.has_value()) return p;
  const ReleasePrimaryRules& r = *release.rules;
  if (r.threshold) p.threshold = *r.threshold;
  p.threshold_hides_presence = r.threshold_hides_presence;
  if (r.threshold_range_percent) p.threshold_range_percent = *r.threshold_range_percent;
  for (const ReleaseDominanceRule& d : r.dominance) p.dominance.push_back({d.n, d.k});
  p.p_percent = r.p_percent;
  if (r.q_percent) p.q_percent = *r.q_percent;
  p.protect_zeros = r.protect_zeros;
  if (r.zero_upper) p.zero_upper = *r.zero_upper;
  if (r.manual_percent) p.manual_percent = *r.manual_percent;
  return p;
}

bool FieldOfRelease(std::string_view field, std::string_view at) {
  return HasPrefix(field, at) &&
         (field.size() == at.size() || field[at.size()] == '.' || field[at.size()] == '[');
}

// The first row whose code is `code`.
std::int64_t FirstRowOf(const FrameColumn& c, std::int32_t code) {
  for (std::size_t i = 0; i < c.codes.size(); ++i) {
    if (c.codes[i] == code) return static_cast<std::int64_t>(i);
  }
  return -1;
}

bool IsPseudonym(std::string_view s) {
  if (s.size() < 2 + 1 + 1 + 26 || s[0] != 'p' || s[1] != 's') return false;
  std::size_t i = 2;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 2 || i >= s.size() || s[i] != '_') return false;
  ++i;
  if (s.size() - i != 26) return false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) return false;
  }
  return true;
}

// Whole numbers a number column may hide identifiers in: up to 18 digits.
bool WholeDigits(double v, std::string* digits) {
  if (!(v >= 0) || v >= 1e18 || std::floor(v) != v) return false;
  *digits = std::to_string(static_cast<std::int64_t>(v));
  return true;
}

}  // namespace

DayNumber TodayUtc() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const std::int64_t s = std::chrono::duration_cast<std::chrono::seconds>(now).count();
  std::int64_t d = s / 86400;
  if (s % 86400 < 0) --d;
  return static_cast<DayNumber>(d);
}

absl::StatusOr<Resolved> Resolve(const Policy& policy, std::string_view release_id,
                                 const ReleaseOptions& options) {
  Resolved r;
  GDPRKIT_ASSIGN_OR_RETURN(r.release, policy.GetRelease(release_id));
  const Release& rel = *r.release;
  const std::size_t index = static_cast<std::size_t>(r.release - policy.releases().data());
  const std::string at = absl::StrCat("releases[", index, "]");
  for (const Finding& f : policy.Validate()) {
    if (f.severity != Severity::kError || !FieldOfRelease(f.field, at)) continue;
    return absl::FailedPreconditionError(
        absl::StrCat("release ", Quote(rel.id), " of policy ", Quote(policy.source_name()),
                     " has errors in its rules; the first: ", f.code,
                     f.line > 0 ? absl::StrCat(" (line ", f.line, ")") : "", ": ", f.message));
  }
  std::filesystem::path base = options.base_dir;
  if (options.base_dir.empty()) {
    base = std::filesystem::path(policy.source_name()).parent_path();
  }
  for (const ReleaseHierarchy& h : rel.hierarchies) {
    GDPRKIT_ASSIGN_OR_RETURN(Hierarchy loaded, LoadHierarchy(h, rel, base));
    r.hierarchies.emplace(h.name, std::move(loaded));
  }
  r.rules = RulesOf(rel);
  r.on = options.on == kNoDate ? TodayUtc() : options.on;
  if (!IsValidDay(r.on)) {
    return absl::InvalidArgumentError("the release date is not a valid date");
  }
  if (!rel.max_age.empty()) {
    GDPRKIT_ASSIGN_OR_RETURN(Period p, ParsePeriod(rel.max_age));
    r.max_age = p;
    const Period back{-p.years, -p.months, -p.weeks, -p.days};
    r.cutoff = AddPeriod(r.on, back);
  }
  ScanOptions so;
  so.kinds = options.scan_kinds;
  const CivilDate c = CivilFromDays(r.on);
  so.as_of = IdDate{c.year, c.month, c.day};
  GDPRKIT_ASSIGN_OR_RETURN(IdScanner scanner, IdScanner::Create(so));
  r.scanner.emplace(std::move(scanner));
  r.language = options.language;
  return r;
}

// ---- Value ids ----------------------------------------------------------------

std::vector<std::int32_t> CanonicalCodes(const FrameColumn& column) {
  std::vector<std::int32_t> canon(column.labels.size(), -1);
  absl::flat_hash_map<std::string_view, std::int32_t> first;
  first.reserve(column.labels.size());
  for (std::size_t i = 0; i < column.labels.size(); ++i) {
    const std::string& label = column.labels[i];
    if (label.empty()) continue;
    canon[i] = first.emplace(label, static_cast<std::int32_t>(i)).first->second;
  }
  return canon;
}

ValueIds ColumnValueIds(const FrameColumn& column) {
  ValueIds v;
  const std::size_t n = column.rows();
  v.ids.resize(n);
  if (column.type == FrameColumnType::kText) {
    // 0: missing; then one id per distinct text.
    std::vector<std::int32_t> id_of(column.labels.size(), 0);
    absl::flat_hash_map<std::string_view, std::int32_t> ids;
    std::int32_t next = 1;
    for (std::size_t i = 0; i < column.labels.size(); ++i) {
      const std::string& label = column.labels[i];
      if (label.empty()) continue;
      auto [it, inserted] = ids.emplace(label, next);
      if (inserted) ++next;
      id_of[i] = it->second;
      if (label == kSuppressedValue) v.star = it->second;
    }
    const std::int32_t* codes = column.codes.data();
    for (std::size_t r = 0; r < n; ++r) v.ids[r] = codes[r] < 0 ? 0 : id_of[codes[r]];
    v.count = next;
    return v;
  }
  absl::flat_hash_map<std::uint64_t, std::int32_t> ids;
  std::int32_t next = 0;
  for (std::size_t r = 0; r < n; ++r) {
    std::uint64_t key;
    if (column.type == FrameColumnType::kNumber) {
      double d = column.numbers[r];
      if (std::isnan(d)) {
        key = ~std::uint64_t{0};
      } else {
        if (d == 0) d = 0;  // -0 == 0
        std::memcpy(&key, &d, sizeof key);
      }
    } else {
      key = static_cast<std::uint32_t>(column.days[r]);
    }
    auto [it, inserted] = ids.emplace(key, next);
    if (inserted) ++next;
    v.ids[r] = it->second;
  }
  v.count = next;
  return v;
}

std::int64_t GroupIds(const std::vector<const ValueIds*>& columns, std::size_t rows,
                      std::vector<std::int64_t>* group) {
  group->assign(rows, 0);
  std::int64_t groups = rows == 0 ? 0 : 1;
  for (const ValueIds* c : columns) {
    const std::int64_t count = std::max<std::int32_t>(c->count, 1);
    const std::int64_t product = groups * count;
    std::int64_t next = 0;
    std::int64_t* g = group->data();
    const std::int32_t* v = c->ids.data();
    // A dense remap table while it costs no more than two ids per row
    // (groups never outnumber rows, so int32 ids suffice up to 2^31 rows).
    if (product <= std::max<std::int64_t>(2 * static_cast<std::int64_t>(rows), 1 << 20) &&
        rows < (std::size_t{1} << 31)) {
      std::vector<std::int32_t> remap(static_cast<std::size_t>(product), -1);
      for (std::size_t r = 0; r < rows; ++r) {
        std::int32_t& slot = remap[static_cast<std::size_t>(g[r] * count + v[r])];
        if (slot < 0) slot = static_cast<std::int32_t>(next++);
        g[r] = slot;
      }
    } else {
      absl::flat_hash_map<std::uint64_t, std::int64_t> remap;
      for (std::size_t r = 0; r < rows; ++r) {
        auto [it, inserted] =
            remap.emplace(static_cast<std::uint64_t>(g[r]) * static_cast<std::uint64_t>(count) +
                              static_cast<std::uint64_t>(v[r]),
                          next);
        if (inserted) ++next;
        g[r] = it->second;
      }
    }
    groups = next;
  }
  return groups;
}

std::vector<std::int64_t> CodeCounts(const FrameColumn& column) {
  std::vector<std::int64_t> counts(column.labels.size(), 0);
  for (std::int32_t code : column.codes) {
    if (code >= 0) ++counts[static_cast<std::size_t>(code)];
  }
  return counts;
}

std::vector<std::string> ColumnNames(const Frame& frame) {
  std::vector<std::string> names;
  for (const FrameColumn& c : frame.columns) names.push_back(c.name);
  return names;
}

// ---- Dates ----------------------------------------------------------------------

absl::StatusOr<std::vector<DayNumber>> RowDays(const FrameColumn& column) {
  if (column.type == FrameColumnType::kDate) return column.days;
  if (column.type != FrameColumnType::kText) {
    return absl::InvalidArgumentError(
        absl::StrCat("date column ", QuoteUntrusted(column.name),
                     " holds numbers; it must hold dates (a date column, or text YYYY-MM-DD)"));
  }
  std::vector<DayNumber> of_code(column.labels.size(), kNoDate);
  for (std::size_t i = 0; i < column.labels.size(); ++i) {
    const std::string& label = column.labels[i];
    if (label.empty()) continue;
    absl::StatusOr<DayNumber> d = label.size() == 10 ? ParseDate(label) : ParseDateTime(label);
    if (!d.ok()) {
      const std::int64_t row = FirstRowOf(column, static_cast<std::int32_t>(i));
      if (row < 0) continue;  // a label no row uses
      if (d.status().code() == absl::StatusCode::kFailedPrecondition) return d.status();
      return absl::InvalidArgumentError(
          absl::StrCat("date column ", QuoteUntrusted(column.name), ": row ", row,
                       " is not a date (YYYY-MM-DD, or an ISO 8601 date and time)"));
    }
    of_code[i] = *d;
  }
  std::vector<DayNumber> days(column.rows());
  for (std::size_t r = 0; r < days.size(); ++r) {
    const std::int32_t code = column.codes[r];
    days[r] = code < 0 ? kNoDate : of_code[static_cast<std::size_t>(code)];
  }
  return days;
}

// ---- Hierarchies -------------------------------------------------------------------

absl::StatusOr<Hierarchy> CutAt(const Hierarchy& h, int level) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < h.size(); ++i) {
    if (h.depth(i) > level) continue;
    pairs.emplace_back(h.code(i), h.parent(i) < 0 ? std::string() : h.code(h.parent(i)));
  }
  return Hierarchy::FromParents(h.name(), pairs);
}

int AncestorAt(const Hierarchy& h, int index, int level) {
  while (index >= 0 && h.depth(index) > level) index = h.parent(index);
  return index;
}

// ---- Tabulation -----------------------------------------------------------------

absl::StatusOr<std::vector<TabDimension>> TableDimensions(
    const Resolved& r, const Frame& frame,
    const std::map<std::string, std::vector<std::string>, std::less<>>* labels_of,
    absl::Span<const std::uint32_t> rows, bool all_rows) {
  const Release& rel = *r.release;
  std::vector<TabDimension> dims;
  for (const ReleaseDimension& d : rel.table->dimensions) {
    const FrameColumn* col = frame.Find(d.column);
    if (col == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("release ", Quote(rel.id), ": the records lack the table dimension ",
                       QuoteUntrusted(d.column), DidYouMean(d.column, ColumnNames(frame))));
    }
    if (col->type != FrameColumnType::kText) {
      return absl::InvalidArgumentError(absl::StrCat(
          "table dimension ", QuoteUntrusted(d.column), " holds ",
          internal::AV(FrameColumnTypeName(col->type)), "s; a dimension holds text codes"));
    }
    TabDimension t;
    t.name = d.column;
    t.column = col;
    if (labels_of != nullptr) {
      auto it = labels_of->find(d.column);
      t.labels = it != labels_of->end() ? it->second : col->labels;
    } else {
      t.labels = col->labels;
    }
    if (!d.hierarchy.empty()) {
      auto h = r.hierarchies.find(d.hierarchy);
      if (h == r.hierarchies.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("release ", Quote(rel.id), ": unknown hierarchy ", Quote(d.hierarchy)));
      }
      t.hierarchy = h->second;
      const ReleaseColumn* c = rel.FindColumn(d.column);
      if (c != nullptr && c->treatment == ColumnTreatment::kGeneralise &&
          c->hierarchy == d.hierarchy && c->level.has_value()) {
        GDPRKIT_ASSIGN_OR_RETURN(t.hierarchy, CutAt(t.hierarchy, *c->level));
      }
    } else {
      std::vector<bool> used(t.labels.size(), false);
      const std::int32_t* codes = col->codes.data();
      if (all_rows) {
        for (std::size_t i = 0; i < col->codes.size(); ++i) {
          if (codes[i] >= 0) used[static_cast<std::size_t>(codes[i])] = true;
        }
      } else {
        for (std::uint32_t i : rows) {
          if (codes[i] >= 0) used[static_cast<std::size_t>(codes[i])] = true;
        }
      }
      std::vector<std::string> distinct;
      for (std::size_t i = 0; i < t.labels.size(); ++i) {
        if (used[i] && !t.labels[i].empty()) distinct.push_back(t.labels[i]);
      }
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      if (distinct.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat("table dimension ", QuoteUntrusted(d.column), " has no values: no rows"));
      }
      absl::StatusOr<Hierarchy> flat = Hierarchy::Flat(d.column, distinct, "Total");
      if (!flat.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("table dimension ", QuoteUntrusted(d.column),
                         ": its values cannot form a flat classification under \"Total\" (a ",
                         "value is \"Total\" itself, or not valid)"));
      }
      t.hierarchy = *std::move(flat);
    }
    dims.push_back(std::move(t));
  }
  return dims;
}

absl::StatusOr<Tabulation> Tabulate(const Resolved& r, std::vector<TabDimension> dims,
                                    const FrameColumn* value, absl::Span<const std::uint32_t> rows,
                                    bool all_rows, const ProgressFn* progress) {
  const Release& rel = *r.release;
  const std::size_t nd = dims.size();
  // Per dimension: leaf ordinals per code (-1 missing, -2 not a leaf).
  std::vector<std::vector<std::int32_t>> leaf_of_code(nd);
  std::vector<std::vector<int>> leaves(nd);  // hierarchy index per ordinal
  std::vector<std::int64_t> nleaves(nd);
  std::int64_t ncells = 1;
  for (std::size_t d = 0; d < nd; ++d) {
    const Hierarchy& h = dims[d].hierarchy;
    std::vector<std::int32_t> ordinal(static_cast<std::size_t>(h.size()), -1);
    for (int i = 0; i < h.size(); ++i) {
      if (h.is_leaf(i)) {
        ordinal[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(leaves[d].size());
        leaves[d].push_back(i);
      }
    }
    nleaves[d] = static_cast<std::int64_t>(leaves[d].size());
    ncells *= nleaves[d];
    if (ncells > kMaxLeafCells) {
      return absl::InvalidArgumentError(absl::StrCat(
          "release ", Quote(rel.id), ": the table has more than ", kMaxLeafCells, " cells"));
    }
    auto& of = leaf_of_code[d];
    of.assign(dims[d].labels.size(), -2);
    for (std::size_t c = 0; c < dims[d].labels.size(); ++c) {
      const std::string& label = dims[d].labels[c];
      if (label.empty()) {
        of[c] = -1;
        continue;
      }
      const int idx = h.Find(label);
      if (idx >= 0) of[c] = ordinal[static_cast<std::size_t>(idx)];
      if (of[c] == -1) of[c] = -2;  // a code above the leaves
    }
  }
  Tabulation t;
  t.magnitude = value != nullptr;
  int top_n = 0;
  if (t.magnitude) {
    for (const DominanceRule& d : r.rules.dominance) top_n = std::max(top_n, d.n);
    if (r.rules.p_percent > 0) top_n = std::max(top_n, 2);
  }
  t.leaf_rows.assign(static_cast<std::size_t>(ncells), 0);
  std::vector<double> sums;
  std::vector<double> tops;
  if (t.magnitude) {
    sums.assign(static_cast<std::size_t>(ncells), 0.0);
    tops.assign(static_cast<std::size_t>(ncells) * static_cast<std::size_t>(top_n), -1.0);
  }
  const std::size_t n = all_rows ? (nd > 0 ? dims[0].column->rows() : 0) : rows.size();
  internal::ProgressStage stage(progress, "tabulate", static_cast<std::int64_t>(n));
  GDPRKIT_RETURN_IF_ERROR(stage.Start());
  auto bad_row = [&](std::size_t d, std::size_t row, std::int32_t code) -> absl::Status {
    if (code < 0 || leaf_of_code[d][static_cast<std::size_t>(code)] == -1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "table dimension ", QuoteUntrusted(dims[d].name), ": row ", row, " has no value"));
    }
    std::vector<std::string_view> codes;
    for (int i : leaves[d]) codes.push_back(dims[d].hierarchy.code(i));
    return absl::InvalidArgumentError(absl::StrCat(
        "table dimension ", QuoteUntrusted(dims[d].name), ": row ", row,
        " holds a value that is not a leaf code of ",
        dims[d].hierarchy.size() > 0 ? absl::StrCat("hierarchy ", Quote(dims[d].hierarchy.name()))
                                     : std::string("its classification"),
        DidYouMean(dims[d].labels[static_cast<std::size_t>(code)], absl::MakeConstSpan(codes))));
  };
  constexpr std::size_t kChunk = 1 << 16;
  for (std::size_t start = 0; start < n; start += kChunk) {
    const std::size_t end = std::min(n, start + kChunk);
    for (std::size_t k = start; k < end; ++k) {
      const std::size_t row = all_rows ? k : rows[k];
      std::int64_t cell = 0;
      for (std::size_t d = 0; d < nd; ++d) {
        const std::int32_t code = dims[d].column->codes[row];
        const std::int32_t leaf = code < 0 ? -1 : leaf_of_code[d][static_cast<std::size_t>(code)];
        if (leaf < 0) return bad_row(d, row, code);
        cell = cell * nleaves[d] + leaf;
      }
      ++t.leaf_rows[static_cast<std::size_t>(cell)];
      if (t.magnitude) {
        const double v = value->numbers[row];
        if (!(v >= 0) || std::isinf(v)) {
          return absl::InvalidArgumentError(
              absl::StrCat("value column ", QuoteUntrusted(value->name), ": row ", row,
                           std::isnan(v) ? " has no value" : " is negative or infinite",
                           "; a table sums numbers >= 0"));
        }
        sums[static_cast<std::size_t>(cell)] += v;
        double* top =
            tops.data() + static_cast<std::size_t>(cell) * static_cast<std::size_t>(top_n);
        for (int i = 0; i < top_n; ++i) {
          if (v > top[i]) {
            for (int j = top_n - 1; j > i; --j) top[j] = top[j - 1];
            top[i] = v;
            break;
          }
        }
      }
    }
    GDPRKIT_RETURN_IF_ERROR(stage.Set(static_cast<std::int64_t>(end)));
  }
  GDPRKIT_RETURN_IF_ERROR(stage.Finish());

  // The long table: one row per leaf cell with rows (the others are zero).
  TableColumns tc;
  tc.name = rel.id;
  tc.kind = t.magnitude ? TableKind::kMagnitude : TableKind::kFrequency;
  for (std::size_t d = 0; d < nd; ++d) {
    DimensionColumn dc;
    dc.codes.name = dims[d].name;
    const Hierarchy& h = dims[d].hierarchy;
    for (int i = 0; i < h.size(); ++i) dc.codes.labels.push_back(h.code(i));
    dc.hierarchy = h;
    dc.total = h.size() > 0 ? h.code(0) : "Total";
    tc.dimensions.push_back(std::move(dc));
  }
  tc.value.name = t.magnitude ? value->name : std::string(kCountColumn);
  if (t.magnitude) {
    tc.contributors.name = "contributors";
    for (int i = 0; i < top_n; ++i)
      tc.largest.push_back(NumberColumn{absl::StrCat("largest", i + 1), {}});
  }
  std::vector<std::int64_t> ordinal(nd);
  for (std::int64_t cell = 0; cell < ncells; ++cell) {
    const std::int64_t count = t.leaf_rows[static_cast<std::size_t>(cell)];
    if (count == 0) continue;
    std::int64_t rest = cell;
    for (std::size_t d = nd; d-- > 0;) {
      ordinal[d] = rest % nleaves[d];
      rest /= nleaves[d];
    }
    for (std::size_t d = 0; d < nd; ++d) {
      tc.dimensions[d].codes.rows.push_back(leaves[d][static_cast<std::size_t>(ordinal[d])]);
    }
    if (t.magnitude) {
      tc.value.values.push_back(sums[static_cast<std::size_t>(cell)]);
      tc.contributors.values.push_back(static_cast<double>(count));
      const double* top =
          tops.data() + static_cast<std::size_t>(cell) * static_cast<std::size_t>(top_n);
      for (int i = 0; i < top_n; ++i)
        tc.largest[static_cast<std::size_t>(i)].values.push_back(std::max(top[i], 0.0));
    } else {
      tc.value.values.push_back(static_cast<double>(count));
    }
  }
  LoadOptions lo;
  lo.compute_totals = true;
  lo.missing = MissingCells::kZero;
  GDPRKIT_ASSIGN_OR_RETURN(t.loaded, TableFromColumns(std::move(tc), lo));
  // Table positions of the leaf cells.
  t.strides.assign(nd, 1);
  for (std::size_t d = nd; d-- > 1;) {
    t.strides[d - 1] = t.strides[d] * dims[d].hierarchy.size();
  }
  t.leaf_position.assign(static_cast<std::size_t>(ncells), 0);
  for (std::int64_t cell = 0; cell < ncells; ++cell) {
    std::int64_t rest = cell;
    std::int64_t pos = 0;
    for (std::size_t d = nd; d-- > 0;) {
      pos += leaves[d][static_cast<std::size_t>(rest % nleaves[d])] * t.strides[d];
      rest /= nleaves[d];
    }
    t.leaf_position[static_cast<std::size_t>(cell)] = pos;
  }
  for (TabDimension& d : dims) t.dimensions.push_back(d.hierarchy);
  return t;
}

std::int64_t RowsInPrimaryCells(const Tabulation& t, const std::vector<Protection>& protection) {
  const std::size_t nd = t.dimensions.size();
  std::int64_t rows = 0;
  std::vector<int> index(nd);
  for (std::size_t cell = 0; cell < t.leaf_rows.size(); ++cell) {
    if (t.leaf_rows[cell] == 0) continue;
    std::int64_t pos = t.leaf_position[cell];
    for (std::size_t d = 0; d < nd; ++d) {
      index[d] = static_cast<int>((pos / t.strides[d]) % t.dimensions[d].size());
    }
    // Every combination of ancestors (the leaf itself included).
    bool primary = false;
    std::function<void(std::size_t, std::int64_t)> walk = [&](std::size_t d, std::int64_t at) {
      if (primary) return;
      if (d == nd) {
        const int c = t.loaded.table.CellAt(0, static_cast<int>(at));
        if (c >= 0 && protection[static_cast<std::size_t>(c)].primary) primary = true;
        return;
      }
      for (int i = index[d]; i >= 0; i = t.dimensions[d].parent(i)) {
        walk(d + 1, at + i * t.strides[d]);
      }
    };
    walk(0, 0);
    if (primary) rows += t.leaf_rows[cell];
  }
  return rows;
}

// ---- The check ------------------------------------------------------------------

namespace {

struct Collector {
  const Resolved& r;
  std::vector<std::pair<ReleaseFinding, std::string>> found;  // finding, extra
  void Add(ReleaseProblem p, std::string column, std::int64_t rows, std::int64_t cells = 0,
           IdKind kind = IdKind::kOther, std::string extra = {}) {
    ReleaseFinding f;
    f.problem = p;
    f.column = std::move(column);
    f.rows = rows;
    f.cells = cells;
    f.kind = kind;
    found.emplace_back(std::move(f), std::move(extra));
  }
};

// Bits by scan slot of the identifiers in `text` (the scanner's kinds), or
// passing the declared `kind`'s check.
std::uint32_t KindsIn(const Resolved& r, std::string_view text, std::optional<IdKind> declared) {
  std::uint32_t bits = 0;
  std::array<std::uint64_t, kNumScanKinds> counts{};
  if (r.scanner->Count(text, &counts) > 0) {
    for (std::size_t s = 0; s < kNumScanKinds; ++s) {
      if (counts[s] > 0) bits |= 1u << s;
    }
  }
  if (declared.has_value() && *declared != IdKind::kOther && !IsPseudonym(text)) {
    IdBuffer buf;
    std::string_view out;
    if (NormalizeIdInto(*declared, text, &buf, &out, r.scanner->id_options()) == IdProblem::kNone) {
      bits |= 1u << ScanSlot(*declared);
    }
  }
  return bits;
}

}  // namespace

absl::StatusOr<ReleaseCheck> RunCheck(const Resolved& r, const Frame& frame, CheckMode mode,
                                      const ProgressFn* progress) {
  GDPRKIT_RETURN_IF_ERROR(ValidateFrame(frame, /*allow_empty=*/true));
  const Release& rel = *r.release;
  ReleaseCheck check;
  check.release = rel.id;
  check.rows = static_cast<std::int64_t>(frame.rows());
  Collector out{r, {}};
  const bool records = mode == CheckMode::kRecords;
  // Values allowed in prepared output besides the rules' own: "*" and the
  // codes of a table's totals.
  auto allowed = [&](std::string_view label) -> bool {
    if (records) return false;
    if (label == kSuppressedValue) return true;
    return false;
  };
  std::vector<std::string> table_totals;  // kTable: the labels of totals, by dimension column

  // -- Identifiers in clear: every text column's distinct labels, every
  // number column's distinct whole numbers.
  std::int64_t scan_total = 0;
  for (const FrameColumn& c : frame.columns) {
    if (c.type == FrameColumnType::kText) scan_total += static_cast<std::int64_t>(c.labels.size());
  }
  std::vector<absl::flat_hash_map<double, std::int64_t>> distinct_numbers(frame.columns.size());
  for (std::size_t i = 0; i < frame.columns.size(); ++i) {
    const FrameColumn& c = frame.columns[i];
    if (c.type != FrameColumnType::kNumber) continue;
    for (double v : c.numbers) {
      if (v >= 0 && v < 1e18 && std::floor(v) == v) ++distinct_numbers[i][v == 0 ? 0.0 : v];
    }
    scan_total += static_cast<std::int64_t>(distinct_numbers[i].size());
  }
  {
    internal::ProgressStage stage(records ? progress : nullptr, "scan", scan_total);
    GDPRKIT_RETURN_IF_ERROR(stage.Start());
    const bool cpr_on = r.scanner->kinds().Has(IdKind::kCpr);
    for (std::size_t i = 0; i < frame.columns.size(); ++i) {
      const FrameColumn& c = frame.columns[i];
      if (c.type == FrameColumnType::kDate) continue;
      const ReleaseColumn* decl = rel.FindColumn(c.name);
      std::optional<IdKind> declared;
      if (decl != nullptr && !decl->kind.empty()) declared = ParseIdKind(decl->kind);
      std::array<std::int64_t, kNumScanKinds> rows_of{};
      if (c.type == FrameColumnType::kText) {
        const std::vector<std::int64_t> counts = CodeCounts(c);
        for (std::size_t code = 0; code < c.labels.size(); ++code) {
          if (counts[code] > 0 && !c.labels[code].empty()) {
            const std::uint32_t bits = KindsIn(r, c.labels[code], declared);
            for (std::size_t s = 0; s < kNumScanKinds; ++s) {
              if (bits & (1u << s)) rows_of[s] += counts[code];
            }
          }
          GDPRKIT_RETURN_IF_ERROR(stage.Advance(1));
        }
      } else {
        std::string digits;
        for (const auto& [v, count] : distinct_numbers[i]) {
          if (WholeDigits(v, &digits)) {
            std::uint32_t bits = KindsIn(r, digits, declared);
            if (digits.size() == 9) {
              const std::string padded = "0" + digits;
              IdBuffer buf;
              std::string_view norm;
              if ((cpr_on || declared == IdKind::kCpr) &&
                  NormalizeIdInto(IdKind::kCpr, padded, &buf, &norm, r.scanner->id_options()) ==
                      IdProblem::kNone) {
                bits |= 1u << ScanSlot(IdKind::kCpr);
              }
            }
            for (std::size_t s = 0; s < kNumScanKinds; ++s) {
              if (bits & (1u << s)) rows_of[s] += count;
            }
          }
          GDPRKIT_RETURN_IF_ERROR(stage.Advance(1));
        }
      }
      for (std::size_t s = 0; s < kNumScanKinds; ++s) {
        if (rows_of[s] > 0) {
          out.Add(ReleaseProblem::kIdentifierInClear, c.name, rows_of[s], 0, kScanKinds[s]);
        }
      }
    }
    GDPRKIT_RETURN_IF_ERROR(stage.Finish());
  }

  // -- Columns: undeclared, dropped, missing.
  std::vector<std::string> needed;
  auto need = [&](const std::string& name) {
    if (!name.empty() && std::find(needed.begin(), needed.end(), name) == needed.end()) {
      needed.push_back(name);
    }
  };
  if (mode == CheckMode::kTable) {
    for (const ReleaseDimension& d : rel.table->dimensions) need(d.column);
  } else {
    for (const ReleaseColumn& c : rel.columns) {
      if (c.treatment == ColumnTreatment::kKeep || c.treatment == ColumnTreatment::kPseudonymise ||
          c.treatment == ColumnTreatment::kGeneralise) {
        need(c.name);
      }
    }
    if (records && rel.table.has_value()) {
      for (const ReleaseDimension& d : rel.table->dimensions) need(d.column);
      need(rel.table->value);
    }
    if (rel.extract.has_value()) {
      for (const std::string& q : rel.extract->quasi_identifiers) need(q);
    }
    // A date column the release drops may be absent from data meant to
    // leave as they are (the age is then not checked here; PrepareRelease
    // filters on it before it drops it); one it keeps must be there.
    if (records && r.max_age.has_value()) {
      const ReleaseColumn* date = rel.FindColumn(rel.date_column);
      if (date == nullptr || date->treatment != ColumnTreatment::kDrop) need(rel.date_column);
    }
  }
  for (const FrameColumn& c : frame.columns) {
    const std::int64_t rows = static_cast<std::int64_t>(c.rows());
    if (mode == CheckMode::kTable) {
      const bool ours =
          c.name == kStatusColumn ||
          c.name == (rel.table->value.empty() ? std::string(kCountColumn) : rel.table->value) ||
          std::any_of(rel.table->dimensions.begin(), rel.table->dimensions.end(),
                      [&](const ReleaseDimension& d) { return d.column == c.name; });
      if (!ours) out.Add(ReleaseProblem::kUndeclaredColumn, c.name, rows);
      continue;
    }
    const ReleaseColumn* decl = rel.FindColumn(c.name);
    if (decl == nullptr) {
      out.Add(ReleaseProblem::kUndeclaredColumn, c.name, rows);
    } else if (decl->treatment == ColumnTreatment::kDrop) {
      out.Add(ReleaseProblem::kDroppedColumn, c.name, rows);
    }
  }
  for (const std::string& name : needed) {
    if (frame.Find(name) == nullptr) out.Add(ReleaseProblem::kMissingColumn, name, 0);
  }

  // -- Age.
  if (records && r.max_age.has_value()) {
    if (const FrameColumn* c = frame.Find(rel.date_column)) {
      GDPRKIT_ASSIGN_OR_RETURN(const std::vector<DayNumber> days, RowDays(*c));
      internal::ProgressStage stage(progress, "age", static_cast<std::int64_t>(days.size()));
      GDPRKIT_RETURN_IF_ERROR(stage.Start());
      std::int64_t old = 0, missing = 0;
      for (DayNumber d : days) {
        if (d == kNoDate) {
          ++missing;
        } else if (d < r.cutoff) {
          ++old;
        }
      }
      GDPRKIT_RETURN_IF_ERROR(stage.Finish());
      if (old > 0) out.Add(ReleaseProblem::kTooOld, c->name, old, 0, IdKind::kOther, rel.max_age);
      if (missing > 0) out.Add(ReleaseProblem::kMissingDate, c->name, missing);
    }
  }

  // Per table dimension: its total's code in prepared output.
  if (mode == CheckMode::kTable) {
    for (const ReleaseDimension& d : rel.table->dimensions) {
      std::string total = "Total";
      if (!d.hierarchy.empty()) {
        auto h = r.hierarchies.find(d.hierarchy);
        if (h != r.hierarchies.end() && h->second.size() > 0) total = h->second.code(0);
      }
      table_totals.push_back(total);
    }
  }
  auto is_total = [&](const std::string& column, std::string_view label) {
    if (mode != CheckMode::kTable) return false;
    for (std::size_t i = 0; i < rel.table->dimensions.size(); ++i) {
      if (rel.table->dimensions[i].column == column && table_totals[i] == label) return true;
    }
    return false;
  };

  // -- Pseudonymised and generalised columns.
  for (const FrameColumn& c : frame.columns) {
    const ReleaseColumn* decl = rel.FindColumn(c.name);
    if (decl == nullptr) continue;
    if (decl->treatment != ColumnTreatment::kPseudonymise &&
        decl->treatment != ColumnTreatment::kGeneralise) {
      continue;
    }
    std::int64_t bad = 0;
    if (c.type == FrameColumnType::kText) {
      const std::vector<std::int64_t> counts = CodeCounts(c);
      const Hierarchy* h = nullptr;
      if (decl->treatment == ColumnTreatment::kGeneralise) {
        auto it = r.hierarchies.find(decl->hierarchy);
        if (it != r.hierarchies.end()) h = &it->second;
      }
      for (std::size_t code = 0; code < c.labels.size(); ++code) {
        const std::string& label = c.labels[code];
        if (counts[code] == 0 || label.empty() || allowed(label) || is_total(c.name, label))
          continue;
        bool ok;
        if (decl->treatment == ColumnTreatment::kPseudonymise) {
          ok = IsPseudonym(label);
        } else {
          const int idx = h == nullptr ? -1 : h->Find(label);
          ok = idx >= 0 && h->depth(idx) <= decl->level.value_or(0);
        }
        if (!ok) bad += counts[code];
      }
    } else {
      for (std::size_t row = 0; row < c.rows(); ++row) {
        if (!c.missing(row)) ++bad;
      }
    }
    if (bad > 0) {
      if (decl->treatment == ColumnTreatment::kPseudonymise) {
        out.Add(ReleaseProblem::kNotPseudonymised, c.name, bad);
      } else {
        out.Add(ReleaseProblem::kNotGeneralised, c.name, bad, 0, IdKind::kOther, decl->hierarchy);
      }
    }
  }

  // -- The table's cells.
  if (records && rel.table.has_value()) {
    bool ready = true;
    for (const ReleaseDimension& d : rel.table->dimensions) ready = ready && frame.Find(d.column);
    const FrameColumn* value = nullptr;
    if (!rel.table->value.empty()) {
      value = frame.Find(rel.table->value);
      if (value == nullptr) ready = false;
      if (value != nullptr && value->type != FrameColumnType::kNumber) {
        return absl::InvalidArgumentError(absl::StrCat(
            "value column ", QuoteUntrusted(value->name), " holds ",
            internal::AV(FrameColumnTypeName(value->type)), "; the table's value must be numbers"));
      }
    }
    // A generalised dimension is tabulated as it would leave: each label at
    // its ancestor at the rule's level (a label outside the hierarchy is
    // not-generalised above, and the cells cannot be judged).
    std::map<std::string, std::vector<std::string>, std::less<>> labels_of;
    for (const ReleaseDimension& d : rel.table->dimensions) {
      const ReleaseColumn* decl = rel.FindColumn(d.column);
      const FrameColumn* c = frame.Find(d.column);
      if (!ready || decl == nullptr || decl->treatment != ColumnTreatment::kGeneralise ||
          c == nullptr || c->type != FrameColumnType::kText) {
        continue;
      }
      auto it = r.hierarchies.find(decl->hierarchy);
      if (it == r.hierarchies.end()) continue;
      std::vector<std::string> mapped(c->labels.size());
      for (std::size_t code = 0; code < c->labels.size(); ++code) {
        const int idx = it->second.Find(c->labels[code]);
        if (idx < 0) {
          if (!c->labels[code].empty()) ready = false;
          continue;
        }
        mapped[code] = it->second.code(AncestorAt(it->second, idx, decl->level.value_or(0)));
      }
      labels_of.emplace(d.column, std::move(mapped));
    }
    if (ready && frame.rows() > 0) {
      GDPRKIT_ASSIGN_OR_RETURN(std::vector<TabDimension> dims,
                               TableDimensions(r, frame, &labels_of, {}, true));
      GDPRKIT_ASSIGN_OR_RETURN(Tabulation t,
                               Tabulate(r, std::move(dims), value, {}, true, progress));
      GDPRKIT_ASSIGN_OR_RETURN(std::vector<Protection> protection,
                               ApplyPrimaryRules(t.loaded.table, r.rules));
      std::int64_t cells = 0;
      for (const Protection& p : protection) cells += p.primary ? 1 : 0;
      if (cells > 0) {
        out.Add(ReleaseProblem::kSmallCell, "", RowsInPrimaryCells(t, protection), cells);
      }
    }
  }

  // -- The extract's groups.
  if (rel.extract.has_value() && mode != CheckMode::kTable) {
    bool ready = !rel.extract->quasi_identifiers.empty();
    std::vector<ValueIds> ids;
    for (const std::string& q : rel.extract->quasi_identifiers) {
      const FrameColumn* c = frame.Find(q);
      if (c == nullptr) {
        ready = false;
        break;
      }
      ids.push_back(ColumnValueIds(*c));
    }
    const int k = rel.extract->k.value_or(2);
    if (ready && frame.rows() > 0) {
      std::vector<const ValueIds*> cols;
      for (const ValueIds& v : ids) cols.push_back(&v);
      std::vector<std::int64_t> group;
      const std::int64_t groups = GroupIds(cols, frame.rows(), &group);
      std::vector<std::int64_t> size(static_cast<std::size_t>(groups), 0);
      for (std::int64_t g : group) ++size[static_cast<std::size_t>(g)];
      std::int64_t small = 0, rows = 0;
      for (std::int64_t s : size) {
        if (s < k) {
          ++small;
          rows += s;
        }
      }
      if (small > 0) {
        out.Add(ReleaseProblem::kSmallGroup, "", rows, small, IdKind::kOther, std::to_string(k));
      }
    }
  }

  std::stable_sort(out.found.begin(), out.found.end(),
                   [](const auto& a, const auto& b) { return a.first.problem < b.first.problem; });
  for (auto& [f, extra] : out.found) {
    f.message = FindingMessage(f, extra, r.language);
    check.findings.push_back(std::move(f));
  }
  check.passed = check.findings.empty();
  return check;
}

}  // namespace gdprkit::release_internal
