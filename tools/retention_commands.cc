// `gdprkit retention ...`: date arithmetic, sweeps, the deletion log.
//
//   gdprkit retention sweep --policy FILE --records FILE.csv --on DATE [--delimiter D]
//                           [--errors raise|coerce|report] [--lang en|da]
//   gdprkit retention add-period DATE PERIOD
//   gdprkit retention log verify FILE [--head HASH] [--key-file FILE]
//   gdprkit retention log append FILE --id ID [--rule RULE] [--due DATE] ...
//
// Records are a CSV file with a header (docs/retention.md, "The command
// line"): id, purpose or rule, one column per event (dates or times, empty
// when the event has not happened), and optionally hold_start and hold_end.
// Exit status as for every command: 0 success; 1 `log verify` found a broken
// log; 2 usage or input error (nothing is printed on standard output then: a
// sweep never prints a partial answer); 3 internal error.
#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "cli.h"
#include "cli_csv.h"
#include "common/redact.h"
#include "common/text.h"
#include "gdprkit/deletion_log.h"
#include "gdprkit/policy.h"
#include "gdprkit/retention.h"

namespace gdprkit::cli {

KeyFile::~KeyFile() {
  if (!key_.empty()) sodium_memzero(key_.data(), key_.size());
}

absl::Status KeyFile::Load(const Invocation& inv) {
  if (!inv.Has("--key-file")) return absl::OkStatus();
  const std::string path = inv.Get("--key-file");
  absl::StatusOr<std::string> data = ReadFileArg(path, 1024);
  if (!data.ok()) return absl::InvalidArgumentError(Str("--key-file: ", MessageOf(data.status())));
  key_ = *std::move(data);
  if (key_.size() < 16 || key_.size() > 64) {
    const std::size_t size = key_.size();
    sodium_memzero(key_.data(), key_.size());
    key_.clear();
    return absl::InvalidArgumentError(
        Str("--key-file ", Plain(path), ": a key has 16-64 bytes; the file has ", size));
  }
  return absl::OkStatus();
}

namespace {

constexpr std::size_t kMaxRecordsBytes = std::size_t{1} << 31;

using gdprkit::internal::Quote;
// A record id (or other text a user typed) for a message: withheld when it
// looks like a CPR number, else shortened (common/text.h).
using gdprkit::internal::QuoteUntrusted;

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

std::string Zone(const Invocation& inv) { return inv.Get("--zone", std::string(kDefaultTimeZone)); }

// Checks that --zone names a zone that can be loaded (a plain date alone
// would never notice a wrong one); prints an error and returns false if not.
bool CheckZone(const Invocation& inv) {
  if (!inv.Has("--zone")) return true;
  absl::StatusOr<DayNumber> probe = DateOfInstant(0, Zone(inv));
  if (!probe.ok()) {
    PrintError(Str("--zone: ", Plain(MessageOf(probe.status()))));
    return false;
  }
  return true;
}

std::string DateText(DayNumber d) { return d == kNoDate ? std::string() : FormatDate(d); }

std::string JsonDate(DayNumber d) { return d == kNoDate ? "null" : JsonString(FormatDate(d)); }

bool Flush(Output* out) {
  if (!out->FlushTo(stdout)) {
    PrintError("cannot write to standard output");
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// retention add-period
// ---------------------------------------------------------------------------

int RunAddPeriod(const Invocation& inv) {
  if (!CheckZone(inv)) return kExitUsage;
  const std::string& date_arg = inv.operands[0];
  const std::string& period_arg = inv.operands[1];
  absl::StatusOr<DayNumber> date = ParseDateTime(date_arg, Zone(inv));
  if (!date.ok()) {
    PrintError(Plain(MessageOf(date.status())));
    return kExitUsage;
  }
  absl::StatusOr<Period> period = ParsePeriod(period_arg);
  if (!period.ok()) {
    PrintError(Plain(MessageOf(period.status())));
    return kExitUsage;
  }
  const std::string result = FormatDate(AddPeriod(*date, *period));
  Output out;
  switch (inv.OutputFormat()) {
    case Format::kText:
      out.Cat(result, "\n");
      break;
    case Format::kJson:
      out.Cat("{\"date\": ", JsonString(FormatDate(*date)),
              ", \"period\": ", JsonString(period_arg), ", \"result\": ", JsonString(result),
              "}\n");
      break;
    case Format::kCsv:
      out.Put(CsvRow({"date", "period", "result"}));
      out.Put(CsvRow({FormatDate(*date), period_arg, result}));
      break;
  }
  return Flush(&out) ? kExitOk : kExitUsage;
}

// ---------------------------------------------------------------------------
// retention sweep
// ---------------------------------------------------------------------------

// The records CSV as read: the table (which the columns point into) and
// what names a record in messages.
struct Records {
  std::string name;
  CsvTable table;
  std::vector<std::string_view> ids;
  std::vector<int> lines;
  // The columns of the table, by role, for LoadRecords.
  std::vector<std::string_view> selector;
  std::vector<std::vector<std::string_view>> dates;  // events, then hold_start, hold_end
  RecordColumns columns;
};

std::string ColumnList(const RetentionSchedule& s) {
  std::vector<std::string> events(s.events().begin(), s.events().end());
  return Str("id, purpose or rule, the events (", Join(events, ", "), "), hold_start, hold_end");
}

// Reads the records CSV (tools/cli_csv.h: a byte-order mark, the delimiter
// given or detected from the header, quoting, ragged rows) into columns by
// the header's names; prints an error and returns false on bad input. What
// the columns hold is read by the core (LoadRecords).
bool ReadRecords(const std::string& path, const RetentionSchedule& schedule,
                 const std::string& zone, const CsvOptions& csv_options, Records* r) {
  r->name = path == "-" ? "<stdin>" : path;
  absl::StatusOr<std::string> text = ReadFileArg(path, kMaxRecordsBytes);
  if (!text.ok()) {
    PrintError(Str("--records: ", MessageOf(text.status())));
    return false;
  }
  absl::StatusOr<CsvTable> table = ReadCsv(*text, r->name, csv_options);
  if (!table.ok()) {
    PrintError(MessageOf(table.status()));
    return false;
  }
  r->table = *std::move(table);
  const std::vector<CsvRecord>& csv = r->table.records;
  if (csv.empty()) {
    PrintError(
        Str(Plain(r->name), ": empty; the first line names the columns: ", ColumnList(schedule)));
    return false;
  }
  const CsvRecord& header = csv.front();
  int id_col = -1, sel_col = -1, hold_start_col = -1, hold_end_col = -1;
  std::vector<int> event_cols;
  std::vector<std::string_view> known;
  for (const std::string& e : schedule.events()) known.push_back(e);
  for (std::string_view c : {"id", "purpose", "rule", "hold_start", "hold_end"}) known.push_back(c);
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const std::string& h = header.fields[c];
    const int ci = static_cast<int>(c);
    int* slot = h == "id"           ? &id_col
                : h == "purpose"    ? &sel_col
                : h == "rule"       ? &sel_col
                : h == "hold_start" ? &hold_start_col
                : h == "hold_end"   ? &hold_end_col
                                    : nullptr;
    if (slot != nullptr) {
      if (*slot >= 0) {
        PrintError(Str(Plain(r->name), ":", header.line, ": column ", Plain(Quote(h)),
                       h == "purpose" || h == "rule"
                           ? " conflicts with an earlier purpose or rule column"
                           : " is given twice"));
        return false;
      }
      *slot = ci;
      continue;
    }
    if (schedule.EventIndex(h) < 0) {
      // A header of one field that holds another delimiter was split on the
      // wrong one: say how it was read.
      const bool split_wrong =
          header.fields.size() == 1 && h.find_first_of(",;\t") != std::string::npos;
      PrintError(Str(
          Plain(r->name), ":", header.line, ": unknown column ", Plain(Quote(h)),
          ": no rule of the policy refers to an event of that name",
          Plain(gdprkit::internal::DidYouMean(h, known)), " (columns: ", ColumnList(schedule), ")",
          split_wrong ? Str("; the header was read as ", DelimiterName(r->table.delimiter),
                            "-separated: is --delimiter right?")
                      : std::string()));
      return false;
    }
    for (int e : event_cols) {
      if (header.fields[static_cast<std::size_t>(e)] == h) {
        PrintError(
            Str(Plain(r->name), ":", header.line, ": column ", Plain(Quote(h)), " is given twice"));
        return false;
      }
    }
    event_cols.push_back(ci);
  }
  if (id_col < 0 || sel_col < 0) {
    PrintError(Str(Plain(r->name), ":", header.line, ": the header needs an \"id\" column and a ",
                   "\"purpose\" or \"rule\" column (columns: ", ColumnList(schedule), ")"));
    return false;
  }
  if (hold_end_col >= 0 && hold_start_col < 0) {
    PrintError(
        Str(Plain(r->name), ":", header.line, ": a hold_end column needs a hold_start column"));
    return false;
  }

  // The rows, as columns of the fields.
  const std::size_t n = csv.size() - 1;
  std::vector<int> date_cols = event_cols;
  if (hold_start_col >= 0) date_cols.push_back(hold_start_col);
  if (hold_end_col >= 0) date_cols.push_back(hold_end_col);
  r->dates.assign(date_cols.size(), {});
  for (std::size_t row = 0; row < n; ++row) {
    const CsvRecord& rec = csv[row + 1];
    if (rec.fields.size() != header.fields.size()) {
      PrintError(Str(Plain(r->name), ":", rec.line, ": ", rec.fields.size(),
                     " fields; the header has ", header.fields.size()));
      return false;
    }
    if (rec.fields[static_cast<std::size_t>(id_col)].empty()) {
      PrintError(Str(Plain(r->name), ":", rec.line, ": the id is empty"));
      return false;
    }
    r->ids.push_back(rec.fields[static_cast<std::size_t>(id_col)]);
    r->lines.push_back(rec.line);
    r->selector.push_back(rec.fields[static_cast<std::size_t>(sel_col)]);
    for (std::size_t k = 0; k < date_cols.size(); ++k) {
      r->dates[k].push_back(rec.fields[static_cast<std::size_t>(date_cols[k])]);
    }
  }
  RecordColumns& c = r->columns;
  c.rows = n;
  c.selector_name = header.fields[static_cast<std::size_t>(sel_col)];
  c.selector = r->selector;
  c.record_ids = r->ids;
  c.zone = zone;
  auto column = [&](std::size_t k) {
    return DateColumn{header.fields[static_cast<std::size_t>(date_cols[k])], r->dates[k], {}};
  };
  for (std::size_t k = 0; k < event_cols.size(); ++k) {
    c.events.push_back(
        EventDates{header.fields[static_cast<std::size_t>(event_cols[k])], column(k)});
  }
  if (hold_start_col >= 0) c.hold_start = column(event_cols.size());
  if (hold_end_col >= 0) c.hold_end = column(date_cols.size() - 1);
  return true;
}

// The message for a record's error: where it is in the file, then what.
std::string RecordMessage(const Records& r, std::int64_t row, std::string_view column,
                          std::string_view message) {
  const std::size_t i = static_cast<std::size_t>(row);
  return Str(Plain(r.name), ":", r.lines[i], ": record ", QuoteUntrusted(r.ids[i]), ", column ",
             Plain(Quote(column)), ": ", Plain(message));
}

int RunSweep(const Invocation& inv) {
  if (!inv.Has("--policy") || !inv.Has("--records") || !inv.Has("--on")) {
    return UsageError(
        "'gdprkit retention sweep' needs --policy FILE, --records FILE.csv and --on "
        "DATE",
        "retention sweep ");
  }
  const absl::StatusOr<ErrorMode> mode =
      ErrorModeOf(inv, {ErrorMode::kRaise, ErrorMode::kCoerce, ErrorMode::kReport});
  if (!mode.ok()) return UsageError(MessageOf(mode.status()), "retention sweep ");
  const absl::StatusOr<Language> language = LanguageOf(inv);
  if (!language.ok()) return UsageError(MessageOf(language.status()), "retention sweep ");
  if (!CheckZone(inv)) return kExitUsage;
  const std::string zone = Zone(inv);
  absl::StatusOr<DayNumber> on = ParseDateTime(inv.Get("--on"), zone);
  if (!on.ok()) {
    PrintError(Str("--on: ", Plain(MessageOf(on.status()))));
    return kExitUsage;
  }
  const std::string policy_arg = inv.Get("--policy");
  absl::StatusOr<std::shared_ptr<const Policy>> policy = LoadPolicyArg(policy_arg);
  if (!policy.ok()) {
    PrintError(LoadErrorMessage(policy_arg, policy.status()));
    return kExitUsage;
  }
  absl::StatusOr<RetentionSchedule> schedule = RetentionSchedule::FromPolicy(**policy);
  if (!schedule.ok()) {
    PrintError(Str(Plain((*policy)->source_name()), ": ", Plain(MessageOf(schedule.status()))));
    return kExitUsage;
  }
  Records r;
  CsvOptions csv_options;
  csv_options.delimiter = DelimiterArg(inv);
  if (!ReadRecords(inv.Get("--records"), *schedule, zone, csv_options, &r)) return kExitUsage;
  RecordError bad;
  absl::StatusOr<LoadedRecords> loaded = LoadRecords(*schedule, r.columns, &bad);
  if (!loaded.ok()) {
    PrintError(bad.row >= 0 ? RecordMessage(r, bad.row, bad.field, bad.message)
                            : Str(Plain(r.name), ": ", Plain(MessageOf(loaded.status()))));
    return kExitUsage;
  }
  const SweepInput& in = loaded->input();
  if (inv.Has("--explain")) {
    const std::string want = inv.Get("--explain");
    for (std::size_t i = 0; i < r.ids.size(); ++i) {
      if (r.ids[i] != want) continue;
      absl::StatusOr<std::string> text =
          schedule->Explain(in, static_cast<std::int64_t>(i), *on, *language);
      if (!text.ok()) {
        PrintError(Str(Plain(r.name), ":", r.lines[i], ": ", Plain(MessageOf(text.status()))));
        return kExitUsage;
      }
      Output out;
      std::size_t start = 0;
      while (start < text->size()) {
        std::size_t end = text->find('\n', start);
        if (end == std::string::npos) end = text->size();
        out.Cat(Plain(std::string_view(*text).substr(start, end - start)), "\n");
        start = end + 1;
      }
      return Flush(&out) ? kExitOk : kExitUsage;
    }
    PrintError(Str(Plain(r.name), ": no record with id ", QuoteUntrusted(want)));
    return kExitUsage;
  }
  SweepOptions options;
  // raise: swept as report, so that the first invalid record is named by
  // its line in the file; nothing is printed then.
  options.on_invalid = *mode == ErrorMode::kCoerce ? ErrorMode::kCoerce : ErrorMode::kReport;
  options.max_errors = *mode == ErrorMode::kReport ? r.ids.size() : 1;
  absl::StatusOr<SweepResult> result = schedule->Sweep(in, *on, options);
  if (!result.ok()) {
    PrintError(Str(Plain(r.name), ": ", Plain(MessageOf(result.status()))));
    return kExitUsage;
  }
  const SweepReport& report = result->report;
  if (!report.complete() && *mode == ErrorMode::kRaise) {
    const RecordError& e = report.errors.front();
    PrintError(Str(RecordMessage(r, e.row, loaded->ColumnOf(e.field), e.message),
                   report.invalid > 1 ? Str(" (and ", report.invalid - 1, " more invalid records)")
                                      : std::string(),
                   "; no result was printed"));
    return kExitUsage;
  }
  auto status_title = [&](std::size_t i) {
    return std::string(RetentionStatusTitle(result->status[i], *language));
  };
  auto reason_title = [&](std::size_t i) {
    return std::string(RetentionReasonTitle(result->reason[i], *language));
  };
  // The invalid records listed by --errors report: where, and the problem's
  // name and title (never the record's dates).
  auto problem_where = [&](const RecordError& e) {
    const std::size_t i = static_cast<std::size_t>(e.row);
    return Str(Plain(r.name), ":", r.lines[i], ": record ", QuoteUntrusted(r.ids[i]), ", column ",
               Plain(Quote(loaded->ColumnOf(e.field))));
  };

  const std::size_t n = r.ids.size();
  auto rule_of = [&](std::size_t i) {
    const std::int32_t k = result->rule[i];
    return k < 0 ? std::string() : schedule->rules()[static_cast<std::size_t>(k)].id;
  };
  auto anchor_of = [&](std::size_t i) {
    const std::int32_t k = result->anchor[i];
    return k < 0 ? std::string() : schedule->events()[static_cast<std::size_t>(k)];
  };
  auto since = [&](std::size_t i) {
    return result->status[i] == RetentionStatus::kDue ||
           result->status[i] == RetentionStatus::kMayDelete;
  };
  auto due_date = [&](std::size_t i) { return since(i) ? result->due_date[i] : kNoDate; };
  auto next_due = [&](std::size_t i) { return since(i) ? kNoDate : result->due_date[i]; };

  Output out;
  switch (inv.OutputFormat()) {
    case Format::kText: {
      out.Cat("Retention sweep of ", Plain(r.name), " against ", Plain((*policy)->source_name()),
              " on ", FormatDate(*on), ": ", report.records, " records: ", report.due, " due, ",
              report.pending, " pending, ", report.kept, " kept, ", report.held, " held, ",
              report.may_delete, " may be deleted",
              report.invalid > 0 ? Str(", ", report.invalid, " invalid") : std::string(), "\n\n");
      const std::vector<std::string> head = {"id",   "status", "due_date", "next_due",
                                             "rule", "anchor", "reason",   "title"};
      std::vector<std::vector<std::string>> rows;
      for (std::size_t i = 0; i < n; ++i) {
        auto dash = [](std::string s) { return s.empty() ? std::string("-") : s; };
        rows.push_back({Plain(r.ids[i]), std::string(RetentionStatusName(result->status[i])),
                        dash(DateText(due_date(i))), dash(DateText(next_due(i))),
                        dash(Plain(rule_of(i))), dash(anchor_of(i)),
                        std::string(RetentionReasonName(result->reason[i])),
                        Str(status_title(i), " (", reason_title(i), ")")});
      }
      std::vector<std::size_t> width(head.size());
      for (std::size_t c = 0; c < head.size(); ++c) width[c] = DisplayWidth(head[c]);
      for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
          width[c] = std::max(width[c], DisplayWidth(row[c]));
        }
      }
      auto line = [&](const std::vector<std::string>& row) {
        std::string s;
        for (std::size_t c = 0; c < row.size(); ++c) {
          Append(&s, c == 0 ? "" : "  ", PadRight(row[c], width[c]));
        }
        out.Cat(TrimRight(s), "\n");
      };
      line(head);
      for (const auto& row : rows) line(row);
      if (!report.errors.empty()) {
        out.Cat("\nInvalid records (", report.invalid, "):\n");
        for (const RecordError& e : report.errors) {
          out.Cat(problem_where(e), ": ", RecordProblemName(e.problem), " (",
                  RecordProblemTitle(e.problem, *language), ")\n");
        }
      }
      break;
    }
    case Format::kJson: {
      out.Cat("{\n  \"policy\": ", JsonString((*policy)->source_name()),
              ",\n  \"records_file\": ", JsonString(r.name),
              ",\n  \"on\": ", JsonString(FormatDate(*on)),
              ",\n  \"counts\": {\"records\": ", report.records, ", \"due\": ", report.due,
              ", \"pending\": ", report.pending, ", \"kept\": ", report.kept,
              ", \"held\": ", report.held, ", \"may_delete\": ", report.may_delete,
              ", \"invalid\": ", report.invalid,
              "},\n  \"complete\": ", JsonBool(report.complete()),
              ",\n  \"lang\": ", JsonString(LanguageName(*language)), ",\n  \"records\": [");
      for (std::size_t i = 0; i < n; ++i) {
        const std::string rule = rule_of(i), anchor = anchor_of(i);
        out.Cat(i == 0 ? "\n" : ",\n", "    {\"id\": ", JsonString(r.ids[i]),
                ", \"status\": ", JsonString(RetentionStatusName(result->status[i])),
                ", \"due\": ", JsonBool(result->status[i] == RetentionStatus::kDue),
                ", \"due_date\": ", JsonDate(due_date(i)),
                ", \"next_due\": ", JsonDate(next_due(i)),
                ", \"rule\": ", rule.empty() ? "null" : JsonString(rule),
                ", \"anchor\": ", anchor.empty() ? "null" : JsonString(anchor),
                ", \"reason\": ", JsonString(RetentionReasonName(result->reason[i])),
                ", \"status_title\": ", JsonString(status_title(i)),
                ", \"reason_title\": ", JsonString(reason_title(i)), "}");
      }
      out.Cat(n == 0 ? "]" : "\n  ]");
      if (*mode == ErrorMode::kReport) {
        out.Cat(",\n  \"errors\": [");
        for (std::size_t k = 0; k < report.errors.size(); ++k) {
          const RecordError& e = report.errors[k];
          const std::size_t i = static_cast<std::size_t>(e.row);
          out.Cat(k == 0 ? "\n" : ",\n", "    {\"line\": ", r.lines[i],
                  ", \"id\": ", JsonString(r.ids[i]),
                  ", \"column\": ", JsonString(loaded->ColumnOf(e.field)),
                  ", \"problem\": ", JsonString(RecordProblemName(e.problem)),
                  ", \"problem_title\": ", JsonString(RecordProblemTitle(e.problem, *language)),
                  ", \"message\": ", JsonString(e.message), "}");
        }
        out.Cat(report.errors.empty() ? "]" : "\n  ]");
      }
      out.Cat("\n}\n");
      break;
    }
    case Format::kCsv:
      out.Put(CsvRow({"id", "status", "due", "due_date", "next_due", "rule", "anchor", "reason",
                      "status_title", "reason_title"}));
      for (std::size_t i = 0; i < n; ++i) {
        out.Put(CsvRow({std::string(r.ids[i]), std::string(RetentionStatusName(result->status[i])),
                        result->status[i] == RetentionStatus::kDue ? "yes" : "no",
                        DateText(due_date(i)), DateText(next_due(i)), rule_of(i), anchor_of(i),
                        std::string(RetentionReasonName(result->reason[i])), status_title(i),
                        reason_title(i)}));
      }
      // The table holds records only: the list goes to standard error.
      for (const RecordError& e : report.errors) {
        PrintNote(Str(problem_where(e), ": ", RecordProblemName(e.problem), " (",
                      RecordProblemTitle(e.problem, *language), ")"));
      }
      break;
  }
  return Flush(&out) ? kExitOk : kExitUsage;
}

// ---------------------------------------------------------------------------
// retention log verify | append
// ---------------------------------------------------------------------------

int RunLogVerify(const Invocation& inv, const std::string& path) {
  KeyFile key;
  if (absl::Status s = key.Load(inv); !s.ok()) {
    PrintError(MessageOf(s));
    return kExitUsage;
  }
  DeletionLogOptions options;
  options.key = key.view();
  absl::StatusOr<DeletionLogVerification> v = VerifyDeletionLog(path, options, inv.Get("--head"));
  if (!v.ok()) {
    PrintError(Plain(MessageOf(v.status())));
    return kExitUsage;
  }
  Output out;
  switch (inv.OutputFormat()) {
    case Format::kText:
      if (v->intact) {
        out.Cat(Plain(path), ": intact: ", v->entries, " entries, ", v->keyed ? "keyed" : "plain",
                " chain, log ", v->log_id, "\nhead ", v->head, "\n");
      } else {
        out.Cat(Plain(path), ":", v->first_broken_line, ": broken at ",
                v->first_broken_entry == 0 ? std::string("the header")
                                           : Str("entry ", v->first_broken_entry),
                ": ", Plain(v->problem), "\n", v->entries,
                " entries verified before it; last good head ", v->head, "\n");
      }
      break;
    case Format::kJson:
      out.Cat("{\"file\": ", JsonString(path), ", \"intact\": ", JsonBool(v->intact),
              ", \"entries\": ", v->entries, ", \"head\": ", JsonString(v->head),
              ", \"first_broken_entry\": ", v->first_broken_entry,
              ", \"first_broken_line\": ", v->first_broken_line,
              ", \"problem\": ", JsonString(v->problem), ", \"log_id\": ", JsonString(v->log_id),
              ", \"keyed\": ", JsonBool(v->keyed), "}\n");
      break;
    case Format::kCsv:
      out.Put(CsvRow({"file", "intact", "entries", "head", "first_broken_entry",
                      "first_broken_line", "problem", "log_id", "keyed"}));
      out.Put(CsvRow({path, v->intact ? "yes" : "no", std::to_string(v->entries), v->head,
                      std::to_string(v->first_broken_entry), std::to_string(v->first_broken_line),
                      v->problem, v->log_id, v->keyed ? "yes" : "no"}));
      break;
  }
  if (!Flush(&out)) return kExitUsage;
  return v->intact ? kExitOk : kExitFindings;
}

int RunLogAppend(const Invocation& inv, const std::string& path) {
  if (!inv.Has("--id")) return UsageError("'log append' needs --id ID", "retention log ");
  DeletionRecord d;
  d.record_id = inv.Get("--id");
  d.rule_id = inv.Get("--rule");
  if (!CheckZone(inv)) return kExitUsage;
  const std::string zone = Zone(inv);
  if (inv.Has("--due")) {
    absl::StatusOr<DayNumber> due = ParseDateTime(inv.Get("--due"), zone);
    if (!due.ok()) {
      PrintError(Str("--due: ", Plain(MessageOf(due.status()))));
      return kExitUsage;
    }
    d.due_date = *due;
  }
  d.deleted_at = static_cast<std::int64_t>(std::time(nullptr));
  if (inv.Has("--deleted-at")) {
    // Seconds since 1970-01-01T00:00:00Z.
    const std::string t = inv.Get("--deleted-at");
    char* end = nullptr;
    errno = 0;
    const long long secs = std::strtoll(t.c_str(), &end, 10);
    if (errno != 0 || end == t.c_str() || *end != '\0') {
      // A CPR number typed here must not be repeated either.
      PrintError(Str("--deleted-at: ", QuoteUntrusted(t),
                     " is not a number of seconds since 1970-01-01T00:00:00Z"));
      return kExitUsage;
    }
    d.deleted_at = secs;
  }
  KeyFile key;
  if (absl::Status s = key.Load(inv); !s.ok()) {
    PrintError(MessageOf(s));
    return kExitUsage;
  }
  DeletionLogOptions options;
  options.key = key.view();
  absl::StatusOr<std::unique_ptr<DeletionLog>> log = DeletionLog::Open(path, options);
  if (!log.ok()) {
    PrintError(Plain(MessageOf(log.status())));
    return kExitUsage;
  }
  absl::StatusOr<DeletionLogEntry> entry = (*log)->Append(d);
  if (!entry.ok()) {
    PrintError(Plain(MessageOf(entry.status())));
    return kExitUsage;
  }
  Output out;
  switch (inv.OutputFormat()) {
    case Format::kText:
      out.Cat(Plain(path), ": entry ", entry->seq, " written; head ", entry->hash, "\n");
      break;
    case Format::kJson:
      out.Cat("{\"file\": ", JsonString(path), ", \"seq\": ", entry->seq,
              ", \"record_id\": ", JsonString(d.record_id),
              ", \"rule_id\": ", JsonString(d.rule_id), ", \"due_date\": ", JsonDate(d.due_date),
              ", \"deleted_at\": ", d.deleted_at, ", \"head\": ", JsonString(entry->hash), "}\n");
      break;
    case Format::kCsv:
      out.Put(CsvRow({"file", "seq", "head"}));
      out.Put(CsvRow({path, std::to_string(entry->seq), entry->hash}));
      break;
  }
  return Flush(&out) ? kExitOk : kExitUsage;
}

int RunLog(const Invocation& inv) {
  const std::string& action = inv.operands[0];
  const std::string& path = inv.operands[1];
  if (action == "verify") {
    for (const char* o : {"--id", "--rule", "--due", "--deleted-at"}) {
      if (inv.Has(o)) return UsageError(Str("'log verify' takes no ", o), "retention log ");
    }
    return RunLogVerify(inv, path);
  }
  if (action == "append") {
    if (inv.Has("--head")) return UsageError("'log append' takes no --head", "retention log ");
    return RunLogAppend(inv, path);
  }
  return UsageError(Str("unknown log action ", Plain(Quote(action)), "; use verify or append"),
                    "retention log ");
}

// The help of `retention sweep`; the statuses and reasons it prints are the
// core's names.
std::string_view SweepDetails() {
  static const std::string text = [] {
    std::vector<std::string_view> statuses;
    for (std::string_view s : RetentionStatusNames()) {
      if (s != RetentionStatusName(RetentionStatus::kInvalid)) statuses.push_back(s);
    }
    return Str(
        "Reads records from a CSV file with a header: id, purpose (or rule: a purpose or rule\n"
        "id, several joined by '+'), one column per event the policy's rules name (collection,\n"
        "provider_number_ended, last_contact, ...; a date YYYY-MM-DD or a time, empty when the\n"
        "event has not happened), and optionally hold_start and hold_end (one hold per record;\n"
        "an empty hold_end is open-ended). Prints per record: status (",
        Join(statuses, ", "),
        "),\ndue_date (since when), next_due (when), the deciding rule and anchor, and the\n"
        "reason (",
        Join(RetentionReasonNames(), ", "),
        ").\nText, csv and json also give the titles of status and reason in --lang (en or da).\n"
        "A bad record (impossible date, event before collection, hold released before it\n"
        "began) is named by line, id and column, and nothing is printed (exit 2), unless\n"
        "--errors says otherwise: coerce gives it status invalid (reason invalid-input) and\n"
        "counts it; report does so and lists it (line, id, column, problem: ",
        Join(RecordProblemNames(), ", "),
        ").\n"
        "Times with an offset are read in Europe/Copenhagen unless --zone says otherwise.\n"
        "The CSV may be comma-, semicolon- (Danish Excel) or tab-separated: the delimiter is\n"
        "detected from the header line, or given by --delimiter; fields may be quoted, a UTF-8\n"
        "byte-order mark is skipped, and a row with more or fewer fields than the header is an\n"
        "error.");
  }();
  return text;
}

OptionSpec ZoneOption() {
  return {"--zone", "ZONE", {}, "time zone of times with an offset (default Europe/Copenhagen)"};
}

}  // namespace

std::vector<Command> RetentionCommands() {
  return {
      {"retention",
       "sweep",
       "",
       0,
       0,
       "Which records are due for deletion on a date, and when the rest will be",
       SweepDetails(),
       {{"--policy", "FILE", {}, "the policy file with the retention rules"},
        {"--records", "FILE", {}, "records CSV ('-': standard input)"},
        {"--on", "DATE", {}, "the sweep's date"},
        {"--explain", "ID", {}, "explain the decision for one record, line by line"},
        ErrorsOption("invalid records: raise (default: exit 2, nothing printed), coerce (status "
                     "invalid, counted) or report (as coerce, and listed)"),
        LanguageOption(),
        DelimiterOption(),
        ZoneOption(),
        FormatOption()},
       RunSweep},
      {"retention",
       "add-period",
       "DATE PERIOD",
       2,
       2,
       "Add an ISO 8601 period to a date (month ends: 2025-11-30 + P15M = 2027-02-28)",
       "Years and months first, ending on the same day of the month or on the month's last day\n"
       "where that day does not exist, then weeks and days. DATE may be a time with an offset,\n"
       "read as its date in Europe/Copenhagen (or --zone).",
       {ZoneOption(), FormatOption()},
       RunAddPeriod},
      {"retention",
       "log",
       "verify|append FILE",
       2,
       2,
       "Verify a deletion log's hash chain, or append a deletion to it",
       "verify FILE: checks the chain and names the first broken entry (exit 1 when broken).\n"
       "--head HASH also checks that the log still contains that head (kept elsewhere), to\n"
       "notice a log cut short. append FILE --id ID [--rule RULE] [--due DATE]\n"
       "[--deleted-at SECONDS]: records one deletion (the log is created when missing) and\n"
       "prints the new head. --key-file FILE holds the 16-64 byte key of a keyed log.",
       {{"--head", "HASH", {}, "verify: a head hash kept elsewhere"},
        {"--key-file", "FILE", {}, "file with the log's secret key (16-64 bytes)"},
        {"--id", "ID", {}, "append: the deleted record's id (not a CPR number)"},
        {"--rule", "RULE", {}, "append: the rule that made it due"},
        {"--due", "DATE", {}, "append: the date it was due"},
        {"--deleted-at", "SECONDS", {}, "append: deletion time, seconds since 1970 (default now)"},
        ZoneOption(),
        FormatOption()},
       RunLog},
  };
}

}  // namespace gdprkit::cli
