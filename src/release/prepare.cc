// PrepareRelease (gdprkit/release.h): the rules applied in order, the result
// checked, the proof logged. Works on row indices and distinct labels: a
// label is pseudonymised, generalised and redacted once, however many rows
// use it; no string is made per row.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/progress.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "common/text.h"
#include "gdprkit/release.h"
#include "release/internal/gate.h"

namespace gdprkit {
namespace {

using internal::DidYouMean;
using internal::Quote;
using internal::QuoteUntrusted;
using release_internal::CheckMode;
using release_internal::Resolved;

using LabelMaps = std::map<std::string, std::vector<std::string>, std::less<>>;

// The rows that leave, as indices into the records.
struct Selection {
  bool all = true;
  std::vector<std::uint32_t> rows;  // when !all
  std::size_t total = 0;            // rows of the records
  std::size_t size() const { return all ? total : rows.size(); }
  std::size_t at(std::size_t i) const { return all ? i : rows[i]; }
};

// Which codes of a text column the selected rows use, and how many rows each.
std::vector<std::int64_t> UsedCodes(const FrameColumn& c, const Selection& sel) {
  std::vector<std::int64_t> used(c.labels.size(), 0);
  const std::int32_t* codes = c.codes.data();
  for (std::size_t i = 0; i < sel.size(); ++i) {
    const std::int32_t code = codes[sel.at(i)];
    if (code >= 0) ++used[static_cast<std::size_t>(code)];
  }
  return used;
}

// The first selected row using `code`.
std::int64_t FirstRow(const FrameColumn& c, const Selection& sel, std::size_t code) {
  for (std::size_t i = 0; i < sel.size(); ++i) {
    if (c.codes[sel.at(i)] == static_cast<std::int32_t>(code))
      return static_cast<std::int64_t>(sel.at(i));
  }
  return -1;
}

absl::Status NeedText(const FrameColumn& c, std::string_view treatment) {
  if (c.type == FrameColumnType::kText) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "column ", QuoteUntrusted(c.name), " holds ", internal::AV(FrameColumnTypeName(c.type)),
      "s; to ", internal::AV(treatment), " it, give it as text"));
}

absl::Status Pseudonymise(const Resolved& r, const ReleaseColumn& decl, const FrameColumn& c,
                          const Selection& sel, const PrepareOptions& options,
                          std::vector<std::string>* labels, ReleaseReport* rep) {
  GDPRKIT_RETURN_IF_ERROR(NeedText(c, "pseudonymise"));
  if (options.vault == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "release ", Quote(r.release->id), " pseudonymises column ", QuoteUntrusted(c.name),
        " in vault domain ", Quote(decl.domain), "; give the vault"));
  }
  const std::optional<IdKind> kind = ParseIdKind(decl.kind);
  if (!kind.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "column ", QuoteUntrusted(c.name), ": unknown identifier kind ", Quote(decl.kind)));
  }
  absl::StatusOr<DomainInfo> domain = options.vault->GetDomain(decl.domain);
  if (!domain.ok()) {
    if (domain.status().code() == absl::StatusCode::kNotFound) {
      return absl::FailedPreconditionError(
          absl::StrCat("column ", QuoteUntrusted(c.name), ": ", domain.status().message()));
    }
    return domain.status();
  }
  const std::vector<std::int64_t> used = UsedCodes(c, sel);
  std::vector<std::size_t> codes;
  std::vector<std::string_view> inputs;
  for (std::size_t code = 0; code < c.labels.size(); ++code) {
    if (used[code] > 0 && !c.labels[code].empty()) {
      codes.push_back(code);
      inputs.push_back(c.labels[code]);
      rep->values_pseudonymised += used[code];
    }
  }
  BatchOptions bo;
  bo.errors = ErrorMode::kCoerce;
  bo.id_options = r.scanner->id_options();
  bo.progress = options.progress;
  BatchReport report;
  StringColumn out;
  GDPRKIT_RETURN_IF_ERROR(
      options.vault->Pseudonymize(decl.domain, *kind, inputs, &out, bo, &report));
  labels->assign(c.labels.size(), std::string());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (report.problems.size() == inputs.size() && report.problems[i] != IdProblem::kNone) {
      const std::int64_t row = FirstRow(c, sel, codes[i]);
      const absl::Status why = IdProblemStatus(*kind, report.problems[i], row);
      return absl::InvalidArgumentError(
          absl::StrCat("column ", QuoteUntrusted(c.name), ": ", why.message()));
    }
    (*labels)[codes[i]] = std::string(out[i]);
  }
  out.SecureClear();
  return absl::OkStatus();
}

absl::Status Generalise(const Resolved& r, const ReleaseColumn& decl, const FrameColumn& c,
                        const Selection& sel, const ProgressFn* progress,
                        std::vector<std::string>* labels, ReleaseReport* rep) {
  GDPRKIT_RETURN_IF_ERROR(NeedText(c, "generalise"));
  auto it = r.hierarchies.find(decl.hierarchy);
  if (it == r.hierarchies.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "column ", QuoteUntrusted(c.name), ": unknown hierarchy ", Quote(decl.hierarchy)));
  }
  const Hierarchy& h = it->second;
  const int level = decl.level.value_or(1);
  const std::vector<std::int64_t> used = UsedCodes(c, sel);
  if (labels->empty()) *labels = c.labels;
  internal::ProgressStage stage(progress, "generalise", static_cast<std::int64_t>(labels->size()));
  GDPRKIT_RETURN_IF_ERROR(stage.Start());
  for (std::size_t code = 0; code < labels->size(); ++code) {
    std::string& label = (*labels)[code];
    if (used[code] > 0 && !label.empty()) {
      const int idx = h.Find(label);
      if (idx < 0) {
        std::vector<std::string_view> names;
        for (int i = 0; i < h.size(); ++i) names.push_back(h.code(i));
        return absl::InvalidArgumentError(
            absl::StrCat("column ", QuoteUntrusted(c.name), ": row ", FirstRow(c, sel, code),
                         " holds a value that is not a code of hierarchy ", Quote(h.name()),
                         DidYouMean(label, absl::MakeConstSpan(names))));
      }
      const int up = release_internal::AncestorAt(h, idx, level);
      if (up != idx) {
        label = h.code(up);
        rep->values_generalised += used[code];
      }
    }
    GDPRKIT_RETURN_IF_ERROR(stage.Advance(1));
  }
  return stage.Finish();
}

absl::Status Redact(const Resolved& r, const FrameColumn& c, const Selection& sel,
                    const ProgressFn* progress, std::vector<std::string>* labels,
                    ReleaseReport* rep) {
  GDPRKIT_RETURN_IF_ERROR(NeedText(c, "redact"));
  const std::vector<std::int64_t> used = UsedCodes(c, sel);
  if (labels->empty()) *labels = c.labels;
  internal::ProgressStage stage(progress, "redact", static_cast<std::int64_t>(labels->size()));
  GDPRKIT_RETURN_IF_ERROR(stage.Start());
  std::string out;
  for (std::size_t code = 0; code < labels->size(); ++code) {
    if (used[code] > 0 && !(*labels)[code].empty()) {
      out.clear();
      const std::uint64_t found = r.scanner->RedactTo((*labels)[code], &out);
      if (found > 0) {
        (*labels)[code].swap(out);
        rep->identifiers_redacted += static_cast<std::int64_t>(found) * used[code];
      }
    }
    GDPRKIT_RETURN_IF_ERROR(stage.Advance(1));
  }
  return stage.Finish();
}

// The selected rows of `c` as a new column, text relabelled with `labels`
// (when given) and reduced to the labels in use.
FrameColumn Materialise(const FrameColumn& c, const std::vector<std::string>* labels,
                        const Selection& sel) {
  FrameColumn out;
  out.name = c.name;
  out.type = c.type;
  const std::size_t n = sel.size();
  switch (c.type) {
    case FrameColumnType::kText: {
      const std::vector<std::string>& src = labels != nullptr ? *labels : c.labels;
      std::vector<std::int32_t> remap(src.size(), -2);
      out.codes.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t code = c.codes[sel.at(i)];
        if (code < 0 || src[static_cast<std::size_t>(code)].empty()) {
          out.codes[i] = -1;
          continue;
        }
        std::int32_t& m = remap[static_cast<std::size_t>(code)];
        if (m == -2) {
          m = static_cast<std::int32_t>(out.labels.size());
          out.labels.push_back(src[static_cast<std::size_t>(code)]);
        }
        out.codes[i] = m;
      }
      break;
    }
    case FrameColumnType::kNumber:
      out.numbers.resize(n);
      for (std::size_t i = 0; i < n; ++i) out.numbers[i] = c.numbers[sel.at(i)];
      break;
    case FrameColumnType::kDate:
      out.days.resize(n);
      for (std::size_t i = 0; i < n; ++i) out.days[i] = c.days[sel.at(i)];
      break;
  }
  return out;
}

// A number or date column as text (each distinct value formatted once), so
// that local suppression can write "*" in it.
FrameColumn AsText(const FrameColumn& c) {
  if (c.type == FrameColumnType::kText) return c;
  const release_internal::ValueIds v = release_internal::ColumnValueIds(c);
  FrameColumn out;
  out.name = c.name;
  out.type = FrameColumnType::kText;
  std::vector<std::int32_t> label_of(static_cast<std::size_t>(v.count), -2);
  out.codes.resize(c.rows());
  for (std::size_t r = 0; r < c.rows(); ++r) {
    std::int32_t& l = label_of[static_cast<std::size_t>(v.ids[r])];
    if (l == -2) {
      if (c.missing(r)) {
        l = -1;
      } else {
        l = static_cast<std::int32_t>(out.labels.size());
        out.labels.push_back(FormatFrameValue(c, r));
      }
    }
    out.codes[r] = l;
  }
  return out;
}

// Local suppression of the extract (see PrepareRelease): "*" for one
// quasi-identifier per group smaller than k and round, then the rows of the
// groups still small are withheld. Changes `frame` in place.
absl::Status LocalSuppression(const Release& rel, Frame* frame, const ProgressFn* progress,
                              ReleaseReport* rep) {
  const int k = rel.extract->k.value_or(2);
  rep->k = k;
  const std::vector<std::string>& qis = rel.extract->quasi_identifiers;
  const std::size_t nq = qis.size();
  std::vector<FrameColumn*> cols;
  for (const std::string& q : qis) {
    FrameColumn* c = nullptr;
    for (FrameColumn& fc : frame->columns) {
      if (fc.name == q) c = &fc;
    }
    if (c == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("quasi-identifier ", QuoteUntrusted(q),
                                                     " is not among the released columns"));
    }
    if (c->type != FrameColumnType::kText) *c = AsText(*c);
    cols.push_back(c);
  }
  const std::size_t n = frame->rows();
  std::vector<release_internal::ValueIds> ids;
  std::vector<std::int32_t> distinct(nq);
  for (std::size_t q = 0; q < nq; ++q) {
    ids.push_back(release_internal::ColumnValueIds(*cols[q]));
    // The distinct values the rows hold (the tie-break between columns).
    std::vector<bool> seen(static_cast<std::size_t>(ids[q].count), false);
    for (std::int32_t v : ids[q].ids) {
      if (!seen[static_cast<std::size_t>(v)]) {
        seen[static_cast<std::size_t>(v)] = true;
        ++distinct[q];
      }
    }
    if (ids[q].star < 0) ids[q].star = ids[q].count++;
  }
  std::vector<const release_internal::ValueIds*> ptrs;
  for (const auto& v : ids) ptrs.push_back(&v);
  internal::ProgressStage stage(progress, "k-anonymity", static_cast<std::int64_t>(nq) + 1);
  GDPRKIT_RETURN_IF_ERROR(stage.Start());
  std::vector<std::int64_t> group;
  std::vector<std::int64_t> size;
  std::vector<std::uint8_t> starred(n, 0);
  auto regroup = [&]() {
    const std::int64_t groups = release_internal::GroupIds(ptrs, n, &group);
    size.assign(static_cast<std::size_t>(groups), 0);
    for (std::int64_t g : group) ++size[static_cast<std::size_t>(g)];
    return groups;
  };
  auto key_of = [&](std::size_t row, std::size_t replace, std::int32_t with) {
    std::string key(nq * sizeof(std::int32_t), '\0');
    for (std::size_t q = 0; q < nq; ++q) {
      const std::int32_t v = q == replace ? with : ids[q].ids[row];
      std::memcpy(&key[q * sizeof v], &v, sizeof v);
    }
    return key;
  };
  for (std::size_t round = 0; round <= nq; ++round) {
    const std::int64_t groups = regroup();
    std::vector<std::int64_t> first(static_cast<std::size_t>(groups), -1);
    bool any_small = false;
    for (std::size_t r = 0; r < n; ++r) {
      std::int64_t& f = first[static_cast<std::size_t>(group[r])];
      if (f < 0) f = static_cast<std::int64_t>(r);
      any_small = any_small || size[static_cast<std::size_t>(group[r])] < k;
    }
    if (!any_small) break;
    absl::flat_hash_map<std::string, std::int64_t> size_of_key;
    size_of_key.reserve(static_cast<std::size_t>(groups));
    for (std::int64_t g = 0; g < groups; ++g) {
      size_of_key.emplace(
          key_of(static_cast<std::size_t>(first[static_cast<std::size_t>(g)]), nq, 0),
          size[static_cast<std::size_t>(g)]);
    }
    std::vector<int> choice(static_cast<std::size_t>(groups), -1);
    bool changed = false;
    for (std::int64_t g = 0; g < groups; ++g) {
      if (size[static_cast<std::size_t>(g)] >= k) continue;
      const std::size_t row = static_cast<std::size_t>(first[static_cast<std::size_t>(g)]);
      int best = -1;
      std::int64_t best_size = -1;
      for (std::size_t q = 0; q < nq; ++q) {
        if (ids[q].ids[row] == ids[q].star) continue;
        auto it = size_of_key.find(key_of(row, q, ids[q].star));
        const std::int64_t s = it == size_of_key.end() ? 0 : it->second;
        if (s > best_size ||
            (s == best_size && distinct[q] > distinct[static_cast<std::size_t>(best)])) {
          best = static_cast<int>(q);
          best_size = s;
        }
      }
      if (best >= 0) {
        choice[static_cast<std::size_t>(g)] = best;
        changed = true;
      }
    }
    if (!changed) break;
    for (std::size_t r = 0; r < n; ++r) {
      const int q = choice[static_cast<std::size_t>(group[r])];
      if (q < 0) continue;
      ids[static_cast<std::size_t>(q)].ids[r] = ids[static_cast<std::size_t>(q)].star;
      ++rep->values_suppressed;
    }
    GDPRKIT_RETURN_IF_ERROR(stage.Set(static_cast<std::int64_t>(round) + 1));
  }
  regroup();
  // Write the stars back.
  for (std::size_t q = 0; q < nq; ++q) {
    FrameColumn& c = *cols[q];
    std::int32_t star_code = -1;
    for (std::size_t l = 0; l < c.labels.size(); ++l) {
      if (c.labels[l] == release_internal::kSuppressedValue)
        star_code = static_cast<std::int32_t>(l);
    }
    for (std::size_t r = 0; r < n; ++r) {
      if (ids[q].ids[r] != ids[q].star) continue;
      if (star_code < 0) {
        star_code = static_cast<std::int32_t>(c.labels.size());
        c.labels.emplace_back(release_internal::kSuppressedValue);
      }
      c.codes[r] = star_code;
    }
  }
  // Withhold the rows of groups still smaller than k.
  Selection keep;
  keep.all = false;
  keep.total = n;
  std::int64_t smallest = 0;
  for (std::size_t r = 0; r < n; ++r) {
    const std::int64_t s = size[static_cast<std::size_t>(group[r])];
    if (s < k) {
      ++rep->rows_withheld;
      continue;
    }
    keep.rows.push_back(static_cast<std::uint32_t>(r));
    smallest = smallest == 0 ? s : std::min(smallest, s);
  }
  rep->smallest_group = smallest;
  if (rep->rows_withheld > 0) {
    for (FrameColumn& c : frame->columns) c = Materialise(c, nullptr, keep);
  }
  return stage.Finish();
}

// The table's cells as the released frame: dimensions (codes, totals
// included), the value (NaN where suppressed) and the published status.
Frame TableFrame(const release_internal::Tabulation& t, const SuppressionResult& res,
                 const Release& rel) {
  Frame out;
  const CellTable& table = t.loaded.table;
  const int positions = table.table_size(0);
  const std::size_t nd = t.dimensions.size();
  std::vector<std::vector<std::int32_t>> codes(nd);
  std::vector<double> values;
  std::vector<std::int32_t> status;
  for (int pos = 0; pos < positions; ++pos) {
    const int cell = table.CellAt(0, pos);
    const std::vector<int> at = table.CodesAt(0, pos);
    for (std::size_t d = 0; d < nd; ++d) codes[d].push_back(at[d]);
    const bool published = res.status[static_cast<std::size_t>(cell)] == CellStatus::kPublished;
    values.push_back(published ? table.value(cell) : std::nan(""));
    status.push_back(
        static_cast<std::int32_t>(PublishedStatusOf(res.status[static_cast<std::size_t>(cell)])));
  }
  for (std::size_t d = 0; d < nd; ++d) {
    std::vector<std::string> labels;
    for (int i = 0; i < t.dimensions[d].size(); ++i) labels.push_back(t.dimensions[d].code(i));
    out.columns.push_back(FrameColumn::Labels(rel.table->dimensions[d].column, std::move(labels),
                                              std::move(codes[d])));
  }
  out.columns.push_back(FrameColumn::Numbers(
      rel.table->value.empty() ? std::string(release_internal::kCountColumn) : rel.table->value,
      std::move(values)));
  std::vector<std::string> names;
  for (std::string_view s : PublishedStatusNames()) names.emplace_back(s);
  out.columns.push_back(FrameColumn::Labels(std::string(release_internal::kStatusColumn),
                                            std::move(names), std::move(status)));
  return out;
}

}  // namespace

absl::StatusOr<PreparedRelease> PrepareRelease(const Policy& policy, std::string_view release_id,
                                               const Frame& records,
                                               const PrepareOptions& options) {
  GDPRKIT_ASSIGN_OR_RETURN(Resolved r, release_internal::Resolve(policy, release_id, options));
  GDPRKIT_RETURN_IF_ERROR(ValidateFrame(records, /*allow_empty=*/false));
  const Release& rel = *r.release;
  const ProgressFn* progress = &options.progress;
  PreparedRelease prepared;
  ReleaseReport& rep = prepared.report;
  rep.release = rel.id;
  rep.title = rel.title;
  rep.purpose = rel.purpose;
  rep.policy_digest = PolicyDigest(policy);
  rep.on = r.on;
  rep.table = rel.table.has_value();
  rep.rows_in = static_cast<std::int64_t>(records.rows());

  // The columns the release needs.
  auto require = [&](const std::string& name, std::string_view role) -> absl::Status {
    if (name.empty() || records.Find(name) != nullptr) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        "release ", Quote(rel.id), ": the records lack the ", internal::AV(role), " ",
        QuoteUntrusted(name), DidYouMean(name, release_internal::ColumnNames(records))));
  };
  for (const ReleaseColumn& c : rel.columns) {
    if (c.treatment != ColumnTreatment::kDrop) GDPRKIT_RETURN_IF_ERROR(require(c.name, "column"));
  }
  if (rel.table.has_value()) {
    for (const ReleaseDimension& d : rel.table->dimensions) {
      GDPRKIT_RETURN_IF_ERROR(require(d.column, "table dimension"));
    }
    GDPRKIT_RETURN_IF_ERROR(require(rel.table->value, "value column"));
  }
  if (rel.extract.has_value()) {
    for (const std::string& q : rel.extract->quasi_identifiers) {
      GDPRKIT_RETURN_IF_ERROR(require(q, "quasi-identifier"));
    }
  }
  if (r.max_age.has_value()) GDPRKIT_RETURN_IF_ERROR(require(rel.date_column, "date column"));

  // 1. Age: rows older than max_age (before on - max_age; a row dated on
  // that day stays) and rows without a date are dropped.
  Selection sel;
  sel.total = records.rows();
  if (r.max_age.has_value()) {
    GDPRKIT_ASSIGN_OR_RETURN(const std::vector<DayNumber> days,
                             release_internal::RowDays(*records.Find(rel.date_column)));
    internal::ProgressStage stage(progress, "age", static_cast<std::int64_t>(days.size()));
    GDPRKIT_RETURN_IF_ERROR(stage.Start());
    sel.all = false;
    sel.rows.reserve(days.size());
    for (std::size_t i = 0; i < days.size(); ++i) {
      if (days[i] == kNoDate) {
        ++rep.rows_missing_date;
      } else if (days[i] < r.cutoff) {
        ++rep.rows_too_old;
      } else {
        sel.rows.push_back(static_cast<std::uint32_t>(i));
      }
    }
    GDPRKIT_RETURN_IF_ERROR(stage.Finish());
  }

  // 2. Dropped columns.
  for (const ReleaseColumn& c : rel.columns) {
    if (c.treatment == ColumnTreatment::kDrop && records.Find(c.name) != nullptr) {
      rep.columns_dropped.push_back(c.name);
    }
  }

  // 3-5. Pseudonymise, generalise, redact: new labels per code.
  LabelMaps labels;
  for (const ReleaseColumn& c : rel.columns) {
    if (c.treatment != ColumnTreatment::kPseudonymise) continue;
    GDPRKIT_RETURN_IF_ERROR(
        Pseudonymise(r, c, *records.Find(c.name), sel, options, &labels[c.name], &rep));
  }
  for (const ReleaseColumn& c : rel.columns) {
    if (c.treatment != ColumnTreatment::kGeneralise) continue;
    GDPRKIT_RETURN_IF_ERROR(
        Generalise(r, c, *records.Find(c.name), sel, progress, &labels[c.name], &rep));
  }
  for (const ReleaseColumn& c : rel.columns) {
    if (!c.free_text || c.treatment != ColumnTreatment::kKeep) continue;
    GDPRKIT_RETURN_IF_ERROR(Redact(r, *records.Find(c.name), sel, progress, &labels[c.name], &rep));
  }
  if (sel.size() == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("release ", Quote(rel.id), ": no rows left to release (", rep.rows_too_old,
                     " older than ", rel.max_age, ", ", rep.rows_missing_date, " without a date)"));
  }

  CheckMode mode;
  if (rel.table.has_value()) {
    // 6. The table: tabulate, suppress, audit.
    mode = CheckMode::kTable;
    const FrameColumn* value = nullptr;
    if (!rel.table->value.empty()) {
      value = records.Find(rel.table->value);
      if (value->type != FrameColumnType::kNumber) {
        return absl::InvalidArgumentError(absl::StrCat(
            "value column ", QuoteUntrusted(value->name), " holds ",
            internal::AV(FrameColumnTypeName(value->type)), "; the table's value must be numbers"));
      }
    }
    GDPRKIT_ASSIGN_OR_RETURN(
        std::vector<release_internal::TabDimension> dims,
        release_internal::TableDimensions(r, records, &labels, sel.rows, sel.all));
    GDPRKIT_ASSIGN_OR_RETURN(
        release_internal::Tabulation t,
        release_internal::Tabulate(r, std::move(dims), value, sel.rows, sel.all, progress));
    SuppressOptions so = options.suppress;
    if (!so.progress) so.progress = options.progress;
    GDPRKIT_ASSIGN_OR_RETURN(SuppressionResult res, Suppress(t.loaded.table, r.rules, so));
    rep.cells = t.loaded.table.num_cells();
    rep.cells_primary = res.num_primary;
    rep.cells_secondary = res.num_secondary;
    rep.audit_passed = res.audit.passed;
    std::int64_t unprotected = 0;
    for (const PrimaryVerdict& v : res.audit.primaries) unprotected += v.safe ? 0 : 1;
    rep.audit_text = absl::StrCat(
        AuditVerdictText(res.audit.passed, unprotected, r.language), "; ",
        AuditFigures(res.audit.num_suppressed, res.audit.num_determined, res.audit.num_components,
                     res.audit.largest_component, res.audit.lp_solves, r.language));
    prepared.frame = TableFrame(t, res, rel);
  } else {
    // 6. The extract: the declared columns that leave, then local
    // suppression until every group has k rows.
    mode = CheckMode::kExtract;
    for (const ReleaseColumn& c : rel.columns) {
      if (c.treatment == ColumnTreatment::kDrop) continue;
      auto l = labels.find(c.name);
      prepared.frame.columns.push_back(
          Materialise(*records.Find(c.name), l != labels.end() ? &l->second : nullptr, sel));
    }
    GDPRKIT_RETURN_IF_ERROR(LocalSuppression(rel, &prepared.frame, progress, &rep));
  }
  rep.rows_out = static_cast<std::int64_t>(prepared.frame.rows());

  // 7. The check of what leaves.
  {
    internal::ProgressStage stage(progress, "check", 1);
    GDPRKIT_RETURN_IF_ERROR(stage.Start());
    GDPRKIT_ASSIGN_OR_RETURN(rep.check,
                             release_internal::RunCheck(r, prepared.frame, mode, nullptr));
    GDPRKIT_RETURN_IF_ERROR(stage.Finish());
  }
  if (rep.rows_out == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("release ", Quote(rel.id), ": no rows left to release (", rep.rows_withheld,
                     " withheld: no suppression of their values reached k = ", rep.k, ")"));
  }
  if (!rep.check.passed) {
    std::string why;
    for (const ReleaseFinding& f : rep.check.findings) {
      absl::StrAppend(&why, why.empty() ? "" : "; ", internal::AV(ReleaseProblemName(f.problem)),
                      ": ", f.message);
    }
    return absl::FailedPreconditionError(
        absl::StrCat("release ", Quote(rel.id),
                     ": the prepared data fail their check, so nothing is released: ", why));
  }
  if (mode == CheckMode::kExtract) rep.audit_passed = true;
  GDPRKIT_ASSIGN_OR_RETURN(rep.content_digest, ContentDigest(prepared.frame));

  // 8. The proof.
  if (options.log != nullptr) {
    GDPRKIT_RETURN_IF_ERROR(options.log->Append(&rep, options.released_at).status());
  }
  return prepared;
}

}  // namespace gdprkit
