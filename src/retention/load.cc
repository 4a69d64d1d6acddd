// Retention: records given as named columns (a CSV file's, a DataFrame's)
// to a SweepInput. The one loader of every door: the command line and the
// Python package hand their columns here, so that they read selectors,
// dates and holds alike and name a bad record in the same words.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/redact.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "common/text.h"
#include "gdprkit/retention.h"

namespace gdprkit {
namespace {

using internal::AV;
using internal::Quote;

bool Given(const DateColumn& c) { return !c.name.empty(); }

// Checks that a column has `rows` entries of one kind.
absl::Status CheckLength(const DateColumn& c, std::size_t rows) {
  if (c.texts.size() == rows || c.days.size() == rows) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "column ", Quote(internal::Excerpt(c.name)), " has ",
      c.texts.empty() ? c.days.size() : c.texts.size(), " rows; the records have ", rows));
}

// A date column's days: its own, or those parsed from its texts.
struct Dates {
  const DateColumn* column = nullptr;
  const DayNumber* days = nullptr;  // nullptr: parse the texts into `parsed`
  std::vector<DayNumber>* parsed = nullptr;
  const DayNumber* data() const { return days != nullptr ? days : parsed->data(); }
};

// The loader's state: the columns, what it builds, and the first bad record.
class Loader {
 public:
  Loader(const RetentionSchedule& s, const RecordColumns& c, RecordError* bad)
      : s_(s), c_(c), bad_(bad) {}

  absl::Status CheckShape();
  absl::Status Load(SweepInput* in, std::vector<std::int32_t>* selector,
                    std::vector<std::vector<DayNumber>>* parsed);

 private:
  // A record's problem: fills *bad_ and returns the status naming the record.
  absl::Status Bad(absl::Status problem, std::size_t row, std::string_view column);
  absl::StatusOr<std::int32_t> SelectorOf(std::size_t row, SweepInput* in);
  absl::StatusOr<DayNumber> DayOf(Dates& d, std::size_t row);
  Dates Prepare(const DateColumn& c, std::size_t rows, std::vector<std::vector<DayNumber>>* parsed);

  const RetentionSchedule& s_;
  const RecordColumns& c_;
  RecordError* bad_;
  // Selector value -> rule set (-1: not resolved yet).
  std::vector<std::int32_t> set_of_value_;
  absl::flat_hash_map<std::string_view, std::int32_t> set_of_text_;
  std::int32_t no_rule_ = -1;  // the empty set for missing codes, once made
};

absl::Status Loader::CheckShape() {
  const std::size_t n = c_.rows;
  const bool texts = c_.selector.size() == n && c_.selector_codes.empty();
  const bool codes = c_.selector_codes.size() == n && c_.selector.empty();
  if (!texts && !codes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the selector column ", Quote(internal::Excerpt(c_.selector_name)),
                     " needs one text or one code per record (", n, "); it has ",
                     c_.selector.size(), " texts and ", c_.selector_codes.size(), " codes"));
  }
  if (!c_.record_ids.empty() && c_.record_ids.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("record_ids has ", c_.record_ids.size(), " entries; the records have ", n));
  }
  for (std::size_t k = 0; k < c_.events.size(); ++k) {
    const EventDates& e = c_.events[k];
    absl::StatusOr<std::int32_t> found = s_.FindEvent(e.event);
    if (!found.ok()) return found.status();
    for (std::size_t j = 0; j < k; ++j) {
      if (c_.events[j].event == e.event) {
        return absl::InvalidArgumentError(
            absl::StrCat("event ", Quote(e.event), " is given twice (columns ",
                         Quote(internal::Excerpt(c_.events[j].dates.name)), " and ",
                         Quote(internal::Excerpt(e.dates.name)), ")"));
      }
    }
    GDPRKIT_RETURN_IF_ERROR(CheckLength(e.dates, n));
  }
  if (Given(c_.hold_end) && !Given(c_.hold_start)) {
    return absl::InvalidArgumentError(
        absl::StrCat("a ", Quote(internal::Excerpt(c_.hold_end.name)),
                     " column of hold ends needs a column of hold starts"));
  }
  if (Given(c_.hold_start)) GDPRKIT_RETURN_IF_ERROR(CheckLength(c_.hold_start, n));
  if (Given(c_.hold_end)) GDPRKIT_RETURN_IF_ERROR(CheckLength(c_.hold_end, n));
  const std::size_t holds = c_.hold_rows.size();
  if (holds > 0 || Given(c_.hold_starts) || Given(c_.hold_ends)) {
    GDPRKIT_RETURN_IF_ERROR(CheckLength(c_.hold_starts, holds));
    GDPRKIT_RETURN_IF_ERROR(CheckLength(c_.hold_ends, holds));
  }
  return absl::OkStatus();
}

absl::Status Loader::Bad(absl::Status problem, std::size_t row, std::string_view column) {
  RecordError e;
  e.row = static_cast<std::int64_t>(row);
  if (!c_.record_ids.empty()) {
    e.record_id = internal::Excerpt(internal::RedactIdentifier(AV(c_.record_ids[row])));
  }
  e.field = std::string(column);
  e.message = std::string(problem.message());
  absl::Status status(problem.code(), e.ToString());
  if (bad_ != nullptr) *bad_ = std::move(e);
  return status;
}

absl::StatusOr<std::int32_t> Loader::SelectorOf(std::size_t row, SweepInput* in) {
  std::int32_t* slot = nullptr;
  std::string_view text;
  if (!c_.selector_codes.empty()) {
    const std::int32_t code = c_.selector_codes[row];
    if (code < 0 || static_cast<std::size_t>(code) >= c_.selector_values.size()) {
      if (code >= 0) {
        return Bad(absl::InvalidArgumentError(absl::StrCat("selector code ", code,
                                                           " has no value (there are ",
                                                           c_.selector_values.size(), ")")),
                   row, c_.selector_name);
      }
      if (no_rule_ < 0) {
        no_rule_ = static_cast<std::int32_t>(in->rule_sets.size());
        in->rule_sets.emplace_back();
      }
      return no_rule_;
    }
    slot = &set_of_value_[static_cast<std::size_t>(code)];
    text = c_.selector_values[static_cast<std::size_t>(code)];
  } else {
    text = c_.selector[row];
    slot = &set_of_text_.try_emplace(text, -1).first->second;
  }
  if (*slot >= 0) return *slot;
  absl::StatusOr<std::vector<std::int32_t>> set = s_.Resolve(text);
  if (!set.ok()) return Bad(set.status(), row, c_.selector_name);
  *slot = static_cast<std::int32_t>(in->rule_sets.size());
  in->rule_sets.push_back(*std::move(set));
  return *slot;
}

Dates Loader::Prepare(const DateColumn& c, std::size_t rows,
                      std::vector<std::vector<DayNumber>>* parsed) {
  Dates d;
  d.column = &c;
  if (c.days.size() == rows && (rows > 0 || c.texts.empty())) {
    d.days = c.days.data();
  } else {
    parsed->emplace_back(rows, kNoDate);
    d.parsed = &parsed->back();
  }
  return d;
}

absl::StatusOr<DayNumber> Loader::DayOf(Dates& d, std::size_t row) {
  if (d.days != nullptr) return d.days[row];
  const std::string_view text = d.column->texts[row];
  if (text.empty()) return kNoDate;
  absl::StatusOr<DayNumber> day = ParseDateTime(text, c_.zone);
  if (!day.ok()) {
    // A zone that cannot be loaded is no record's fault.
    if (day.status().code() == absl::StatusCode::kFailedPrecondition) return day.status();
    return Bad(day.status(), row, d.column->name);
  }
  (*d.parsed)[row] = *day;
  return *day;
}

absl::Status Loader::Load(SweepInput* in, std::vector<std::int32_t>* selector,
                          std::vector<std::vector<DayNumber>>* parsed) {
  const std::size_t n = c_.rows;
  set_of_value_.assign(c_.selector_values.size(), -1);
  // Room for every column that may need parsing (the events, two hold
  // columns, two of hold lists): Dates point into `parsed`, which must not
  // reallocate.
  parsed->reserve(c_.events.size() + 4);
  std::vector<Dates> events;
  for (const EventDates& e : c_.events) events.push_back(Prepare(e.dates, n, parsed));
  Dates hold_start, hold_end;
  if (Given(c_.hold_start)) hold_start = Prepare(c_.hold_start, n, parsed);
  if (Given(c_.hold_end)) hold_end = Prepare(c_.hold_end, n, parsed);
  std::vector<Dates*> texts;  // the columns to parse, in column order
  for (Dates& d : events) {
    if (d.parsed != nullptr) texts.push_back(&d);
  }
  for (Dates* d : {&hold_start, &hold_end}) {
    if (d->parsed != nullptr) texts.push_back(d);
  }

  // Row by row, so that the first bad record is the first in the file. The
  // codes of values already resolved take the short way.
  selector->resize(n);
  std::int32_t* sel = selector->data();
  const std::int32_t* codes = c_.selector_codes.empty() ? nullptr : c_.selector_codes.data();
  const std::int32_t values = static_cast<std::int32_t>(set_of_value_.size());
  for (std::size_t i = 0; i < n; ++i) {
    std::int32_t set = -1;
    if (codes != nullptr) {
      const std::int32_t code = codes[i];
      set = code < 0 ? no_rule_ : code < values ? set_of_value_[code] : -1;
    }
    if (set < 0) {
      GDPRKIT_ASSIGN_OR_RETURN(set, SelectorOf(i, in));
    }
    sel[i] = set;
    for (Dates* d : texts) GDPRKIT_RETURN_IF_ERROR(DayOf(*d, i));
  }

  // One hold per row from the hold columns (parsed above): a row with a
  // start or an end has one.
  if (hold_start.column != nullptr) {
    const DayNumber* start = hold_start.data();
    const DayNumber* end = hold_end.column != nullptr ? hold_end.data() : nullptr;
    for (std::size_t i = 0; i < n; ++i) {
      const DayNumber e = end != nullptr ? end[i] : kNoDate;
      if (start[i] != kNoDate || e != kNoDate) {
        in->holds.push_back(Hold{static_cast<std::int32_t>(i), start[i], e});
      }
    }
  }
  // The holds that name their rows.
  if (!c_.hold_rows.empty()) {
    const std::size_t h = c_.hold_rows.size();
    Dates starts = Prepare(c_.hold_starts, h, parsed);
    Dates ends = Prepare(c_.hold_ends, h, parsed);
    for (std::size_t k = 0; k < h; ++k) {
      GDPRKIT_ASSIGN_OR_RETURN(const DayNumber start, DayOf(starts, k));
      GDPRKIT_ASSIGN_OR_RETURN(const DayNumber end, DayOf(ends, k));
      in->holds.push_back(Hold{c_.hold_rows[k], start, end});
    }
  }
  // Never let the selector index rules directly (empty rule_sets does).
  if (in->rule_sets.empty()) in->rule_sets.emplace_back();

  in->selector = *selector;
  in->record_ids = c_.record_ids;
  for (std::size_t k = 0; k < c_.events.size(); ++k) {
    in->events.push_back(EventColumn{c_.events[k].event, absl::MakeConstSpan(events[k].data(), n)});
  }
  return absl::OkStatus();
}

}  // namespace

std::string LoadedRecords::ColumnOf(std::string_view field) const {
  if (field.rfind("holds[", 0) == 0 && !holds_column_.empty()) return holds_column_;
  for (const auto& [f, column] : columns_) {
    if (f == field) return column;
  }
  return std::string(field);
}

absl::StatusOr<LoadedRecords> LoadRecords(const RetentionSchedule& schedule,
                                          const RecordColumns& columns, RecordError* bad) {
  if (bad != nullptr) {
    *bad = RecordError();
    bad->row = -1;
  }
  Loader loader(schedule, columns, bad);
  GDPRKIT_RETURN_IF_ERROR(loader.CheckShape());
  LoadedRecords out;
  GDPRKIT_RETURN_IF_ERROR(loader.Load(&out.input_, &out.selector_, &out.parsed_));
  out.columns_.emplace_back("selector", columns.selector_name);
  for (const EventDates& e : columns.events) {
    out.columns_.emplace_back(e.event, e.dates.name);
  }
  if (!columns.hold_rows.empty()) {
    out.holds_column_ = absl::StrCat(AV(columns.hold_starts.name), "/", AV(columns.hold_ends.name));
  } else if (!columns.hold_start.name.empty()) {
    out.holds_column_ =
        columns.hold_end.name.empty()
            ? std::string(columns.hold_start.name)
            : absl::StrCat(AV(columns.hold_start.name), "/", AV(columns.hold_end.name));
  }
  return out;
}

}  // namespace gdprkit
