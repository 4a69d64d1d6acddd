// `gdprkit consent ...`: the consent ledger (gdprkit/consent.h).
//
//   gdprkit consent create LEDGER --policy P [--key-file F]
//   gdprkit consent record LEDGER --policy P --subject S --purpose P --state given
//       --at TIME --notice-version V --notice-file F --channel C --recorded-by R
//       [--evidence E] [--valid-until DATE]
//   gdprkit consent record LEDGER --policy P --csv FILE   (columns named as the
//       options: subject, purpose, state, at, notice_version, notice_file, channel,
//       recorded_by, evidence, valid_until; an option stands for a missing column)
//   gdprkit consent states LEDGER --policy P --purpose P --on DATE
//       (--subjects-csv FILE --column C | SUBJECT...)
//   gdprkit consent withdrawals LEDGER --policy P --purpose P [--as-of TIME]
//       CSV: subject,consent_withdrawn (what `retention sweep` reads as the event)
//   gdprkit consent verify LEDGER --policy P [--expected-head H]
//   gdprkit consent receipt LEDGER --policy P --seq N
//   gdprkit consent verify-receipt FILE [--public-key HEX]
//
// Times are YYYY-MM-DDTHH:MM:SSZ (UTC), dates YYYY-MM-DD. Every rule and
// name is the core's: the ledger checks the records (a subject is a vault
// token or pseudonym; the purpose rests on consent) and names the record's
// row and field, never a value. The key of a keyed ledger comes from
// --key-file (16-64 bytes) and is wiped after use. Exit status: 0 success;
// 1 `verify` found a broken chain, `verify-receipt` a receipt that does not
// verify; 2 usage or input error (nothing recorded); 3 internal error.
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cli.h"
#include "cli_csv.h"
#include "common/hash_chain.h"
#include "gdprkit/consent.h"
#include "gdprkit/retention.h"

namespace gdprkit::cli {
namespace {

constexpr std::size_t kMaxCsv = std::size_t{2} << 30;
constexpr std::size_t kMaxNotice = std::size_t{16} << 20;

int Fail(const absl::Status& s) {
  PrintError(Plain(MessageOf(s)));
  return s.code() == absl::StatusCode::kInternal ? kExitInternal : kExitUsage;
}

bool Flush(Output* out) {
  if (out->FlushTo(stdout)) return true;
  PrintError("cannot write to standard output");
  return false;
}

std::string DateText(DayNumber d) { return d == kNoDate ? std::string() : FormatDate(d); }

absl::StatusOr<std::unique_ptr<ConsentLedger>> LedgerArg(const Invocation& inv,
                                                         bool create = false) {
  if (!inv.Has("--policy")) return absl::InvalidArgumentError("--policy is required");
  const std::string arg = inv.Get("--policy");
  absl::StatusOr<std::shared_ptr<const Policy>> policy = LoadPolicyArg(arg);
  if (!policy.ok()) {
    return absl::Status(policy.status().code(), LoadErrorMessage(arg, policy.status()));
  }
  KeyFile key;
  if (absl::Status s = key.Load(inv); !s.ok()) return s;
  ConsentLedgerOptions options;
  options.key = key.view();
  const std::string& path = inv.operands.front();
  return create ? ConsentLedger::Create(path, *policy, options)
                : ConsentLedger::Open(path, *policy, options);
}

absl::StatusOr<std::int64_t> InstantArg(std::string_view what, const std::string& text) {
  std::int64_t seconds = 0;
  if (!internal::ParseInstant(text, &seconds)) {
    return absl::InvalidArgumentError(
        Str(what, ": not a time YYYY-MM-DDTHH:MM:SSZ (UTC) between 1970 and 9999"));
  }
  return seconds;
}

// ---------------------------------------------------------------------------
// consent create | record
// ---------------------------------------------------------------------------

int RunCreate(const Invocation& inv) {
  absl::StatusOr<std::unique_ptr<ConsentLedger>> ledger = LedgerArg(inv, /*create=*/true);
  if (!ledger.ok()) return Fail(ledger.status());
  Output out;
  out.Cat(Plain((*ledger)->path()), ": created consent ledger ", (*ledger)->ledger_id(), "\n");
  return Flush(&out) ? kExitOk : kExitUsage;
}

// The fields of a record: the CSV column, the option, its help.
struct Field {
  std::string_view column, option, help;
};
constexpr Field kFields[] = {
    {"subject", "--subject", "the data subject's vault token or pseudonym"},
    {"purpose", "--purpose", "the purpose (one that rests on consent)"},
    {"state", "--state", "given, refused, withdrawn or expired"},
    {"at", "--at", "when, YYYY-MM-DDTHH:MM:SSZ"},
    {"notice_version", "--notice-version", "the version of the notice shown"},
    {"notice_file", "--notice-file", "the file holding the notice's text"},
    {"channel", "--channel", "how it was collected: web, paper, app, ..."},
    {"recorded_by", "--recorded-by", "who records it"},
    {"evidence", "--evidence", "a reference to the evidence"},
    {"valid_until", "--valid-until", "for given: the last day it holds"},
};

std::string_view OptionOf(std::string_view column) {
  for (const Field& f : kFields) {
    if (f.column == column) return f.option;
  }
  return column;
}

// Rows of field values: from --csv (a column per field, an option for a
// missing column) or from the options alone (one row).
struct Rows {
  std::string name;
  std::vector<int> lines;
  std::vector<std::map<std::string_view, std::string>> rows;
};

absl::Status ReadRows(const Invocation& inv, Rows* r) {
  std::map<std::string_view, std::string> defaults;
  for (const Field& f : kFields) {
    if (inv.Has(f.option)) defaults[f.column] = inv.Get(f.option);
  }
  if (!inv.Has("--csv")) {
    r->name = "the options";
    r->rows.push_back(defaults);
    r->lines.push_back(0);
    return absl::OkStatus();
  }
  const std::string path = inv.Get("--csv");
  r->name = path == "-" ? std::string("<stdin>") : path;
  absl::StatusOr<std::string> text = ReadFileArg(path, kMaxCsv);
  if (!text.ok()) return absl::InvalidArgumentError(Str("--csv: ", MessageOf(text.status())));
  CsvOptions options;
  options.delimiter = DelimiterArg(inv);
  absl::StatusOr<CsvTable> table = ReadCsv(*text, r->name, options);
  if (!table.ok()) return table.status();
  if (table->records.empty()) {
    return absl::InvalidArgumentError(
        Str(Plain(r->name), ": empty; the first line names the columns"));
  }
  const std::vector<std::string>& header = table->records[0].fields;
  std::vector<std::string_view> columns(header.size());
  std::vector<std::string_view> known;
  for (const Field& f : kFields) known.push_back(f.column);
  for (std::size_t j = 0; j < header.size(); ++j) {
    for (std::string_view k : known) {
      if (header[j] == k) columns[j] = k;
    }
    if (columns[j].empty()) {
      return absl::InvalidArgumentError(Str(Plain(r->name), ": unknown column '", Plain(header[j]),
                                            "'; columns: ", Join(known, ", ")));
    }
  }
  for (std::size_t i = 1; i < table->records.size(); ++i) {
    std::map<std::string_view, std::string> row = defaults;
    for (std::size_t j = 0; j < header.size(); ++j) {
      if (!table->records[i].fields[j].empty() || row.count(columns[j]) == 0) {
        row[columns[j]] = table->records[i].fields[j];
      }
    }
    r->rows.push_back(std::move(row));
    r->lines.push_back(table->records[i].line);
  }
  return absl::OkStatus();
}

int RunRecord(const Invocation& inv) {
  Rows rows;
  if (absl::Status s = ReadRows(inv, &rows); !s.ok()) return Fail(s);
  std::vector<ConsentRecord> records(rows.rows.size());
  std::vector<std::string_view> texts(rows.rows.size());
  std::map<std::string, std::string> notices;  // file -> text
  for (std::size_t i = 0; i < rows.rows.size(); ++i) {
    auto& row = rows.rows[i];
    const std::string where =
        inv.Has("--csv") ? Str(Plain(rows.name), ":", rows.lines[i], ": ") : std::string();
    auto field = [&](std::string_view f) -> absl::StatusOr<std::string> {
      auto it = row.find(f);
      if (it == row.end() || it->second.empty()) {
        return absl::InvalidArgumentError(
            Str(where, inv.Has("--csv") ? Str("column ", f) : OptionOf(f), " is required"));
      }
      return it->second;
    };
    ConsentRecord& c = records[i];
    for (std::string_view f : {"subject", "purpose", "state", "at", "notice_version", "notice_file",
                               "channel", "recorded_by"}) {
      absl::StatusOr<std::string> v = field(f);
      if (!v.ok()) return Fail(v.status());
      if (f == "subject") c.subject = *v;
      if (f == "purpose") c.purpose = *v;
      if (f == "notice_version") c.notice_version = *v;
      if (f == "channel") c.channel = *v;
      if (f == "recorded_by") c.recorded_by = *v;
      if (f == "state") {
        absl::StatusOr<ConsentState> st = ParseConsentState(*v);
        if (!st.ok())
          return Fail(absl::InvalidArgumentError(Str(where, "state: ", MessageOf(st.status()))));
        c.state = *st;
      }
      if (f == "at") {
        absl::StatusOr<std::int64_t> at = InstantArg(Str(where, "at"), *v);
        if (!at.ok()) return Fail(at.status());
        c.at = *at;
      }
      if (f == "notice_file") {
        auto it = notices.find(*v);
        if (it == notices.end()) {
          absl::StatusOr<std::string> text = ReadFileArg(*v, kMaxNotice);
          if (!text.ok()) {
            return Fail(absl::Status(text.status().code(),
                                     Str(where, "notice_file: ", MessageOf(text.status()))));
          }
          it = notices.emplace(*v, *std::move(text)).first;
        }
        texts[i] = it->second;
      }
    }
    if (auto it = row.find("evidence"); it != row.end()) c.evidence = it->second;
    if (auto it = row.find("valid_until"); it != row.end() && !it->second.empty()) {
      absl::StatusOr<DayNumber> d = ParseDate(it->second);
      if (!d.ok())
        return Fail(absl::InvalidArgumentError(Str(where, "valid_until: ", MessageOf(d.status()))));
      c.valid_until = *d;
    }
  }
  absl::StatusOr<std::unique_ptr<ConsentLedger>> ledger = LedgerArg(inv);
  if (!ledger.ok()) return Fail(ledger.status());
  absl::StatusOr<std::int64_t> n = (*ledger)->RecordCount(records, texts);
  if (!n.ok()) return Fail(n.status());
  Output out;
  if (inv.OutputFormat() == Format::kJson) {
    out.Cat("{\"recorded\": ", *n, ", \"entries\": ", (*ledger)->entries(),
            ", \"head\": ", JsonString((*ledger)->head()), "}\n");
  } else {
    out.Cat("recorded ", *n, *n == 1 ? " consent" : " consents", "; the ledger has ",
            (*ledger)->entries(), " entries, head ", (*ledger)->head(), "\n");
  }
  return Flush(&out) ? kExitOk : kExitUsage;
}

// ---------------------------------------------------------------------------
// consent states | withdrawals
// ---------------------------------------------------------------------------

int RunStates(const Invocation& inv) {
  if (!inv.Has("--purpose")) return Fail(absl::InvalidArgumentError("--purpose is required"));
  if (!inv.Has("--on")) return Fail(absl::InvalidArgumentError("--on is required"));
  absl::StatusOr<DayNumber> on = ParseDate(inv.Get("--on"));
  if (!on.ok()) return Fail(absl::InvalidArgumentError(Str("--on: ", MessageOf(on.status()))));
  const bool from_csv = inv.Has("--subjects-csv");
  if (from_csv == (inv.operands.size() > 1)) {
    return UsageError("give the subjects as arguments or with --subjects-csv FILE --column C",
                      "consent states ");
  }
  if (from_csv != inv.Has("--column")) {
    return UsageError("--subjects-csv and --column go together", "consent states ");
  }
  std::vector<std::string> owned;
  CsvTable table;
  std::vector<std::string_view> subjects;
  if (from_csv) {
    const std::string path = inv.Get("--subjects-csv");
    const std::string name = path == "-" ? std::string("<stdin>") : path;
    absl::StatusOr<std::string> text = ReadFileArg(path, kMaxCsv);
    if (!text.ok())
      return Fail(absl::InvalidArgumentError(Str("--subjects-csv: ", MessageOf(text.status()))));
    CsvOptions options;
    options.delimiter = DelimiterArg(inv);
    absl::StatusOr<CsvTable> t = ReadCsv(*text, name, options);
    if (!t.ok()) return Fail(t.status());
    table = *std::move(t);
    if (table.records.empty()) return Fail(absl::InvalidArgumentError(Str(Plain(name), ": empty")));
    const std::vector<std::string>& header = table.records[0].fields;
    std::size_t col = header.size();
    for (std::size_t j = 0; j < header.size(); ++j) {
      if (header[j] == inv.Get("--column")) col = j;
    }
    if (col == header.size()) {
      return Fail(
          absl::InvalidArgumentError(Str(Plain(name), ": no column '", Plain(inv.Get("--column")),
                                         "'; columns: ", Join(header, ", "))));
    }
    subjects.reserve(table.records.size() - 1);
    for (std::size_t i = 1; i < table.records.size(); ++i) {
      subjects.push_back(table.records[i].fields[col]);
    }
  } else {
    owned.assign(inv.operands.begin() + 1, inv.operands.end());
    for (const std::string& s : owned) subjects.push_back(s);
  }
  absl::StatusOr<std::unique_ptr<ConsentLedger>> ledger = LedgerArg(inv);
  if (!ledger.ok()) return Fail(ledger.status());
  absl::StatusOr<std::vector<ConsentState>> states =
      (*ledger)->StatesOn(subjects, inv.Get("--purpose"), *on);
  if (!states.ok()) return Fail(states.status());
  Output out;
  switch (inv.OutputFormat()) {
    case Format::kCsv:
      out.Put(CsvRow({"subject", "state"}));
      for (std::size_t i = 0; i < subjects.size(); ++i) {
        out.Put(CsvRow({std::string(subjects[i]), std::string(ConsentStateName((*states)[i]))}));
      }
      break;
    case Format::kJson: {
      std::vector<std::string> items;
      for (std::size_t i = 0; i < subjects.size(); ++i) {
        items.push_back(Str("{\"subject\": ", JsonString(subjects[i]),
                            ", \"state\": ", JsonString(ConsentStateName((*states)[i])), "}"));
      }
      out.Cat("{\"purpose\": ", JsonString(inv.Get("--purpose")),
              ", \"on\": ", JsonString(FormatDate(*on)), ", \"states\": [", Join(items, ",\n  "),
              "]}\n");
      break;
    }
    case Format::kText:
      for (std::size_t i = 0; i < subjects.size(); ++i) {
        out.Cat(Plain(subjects[i]), "  ", ConsentStateName((*states)[i]), "\n");
      }
      break;
  }
  return Flush(&out) ? kExitOk : kExitUsage;
}

int RunWithdrawals(const Invocation& inv) {
  if (!inv.Has("--purpose")) return Fail(absl::InvalidArgumentError("--purpose is required"));
  std::int64_t as_of = static_cast<std::int64_t>(std::time(nullptr));
  if (inv.Has("--as-of")) {
    absl::StatusOr<std::int64_t> t = InstantArg("--as-of", inv.Get("--as-of"));
    if (!t.ok()) return Fail(t.status());
    as_of = *t;
  }
  absl::StatusOr<std::unique_ptr<ConsentLedger>> ledger = LedgerArg(inv);
  if (!ledger.ok()) return Fail(ledger.status());
  absl::StatusOr<std::vector<ConsentWithdrawal>> w =
      (*ledger)->Withdrawals(inv.Get("--purpose"), as_of);
  if (!w.ok()) return Fail(w.status());
  Output out;
  out.Put(CsvRow({"subject", "consent_withdrawn"}));
  for (const ConsentWithdrawal& x : *w) out.Put(CsvRow({x.subject, DateText(x.withdrawn_on)}));
  return Flush(&out) ? kExitOk : kExitUsage;
}

// ---------------------------------------------------------------------------
// consent verify | receipt | verify-receipt
// ---------------------------------------------------------------------------

int RunVerify(const Invocation& inv) {
  absl::StatusOr<std::unique_ptr<ConsentLedger>> ledger = LedgerArg(inv);
  return PrintStoreVerification(
      inv, ledger.status(), [&] { return (*ledger)->Verify(inv.Get("--expected-head")); },
      "ledger_id", /*text_names_id=*/true);
}

int RunReceipt(const Invocation& inv) {
  if (!inv.Has("--seq")) return Fail(absl::InvalidArgumentError("--seq is required"));
  const std::string n = inv.Get("--seq");
  char* end = nullptr;
  const long long seq = std::strtoll(n.c_str(), &end, 10);
  if (n.empty() || *end != '\0' || seq < 1) {
    return UsageError(Str("--seq: '", Plain(n), "' is not an entry number (1, 2, ...)"),
                      "consent receipt ");
  }
  absl::StatusOr<std::unique_ptr<ConsentLedger>> ledger = LedgerArg(inv);
  if (!ledger.ok()) return Fail(ledger.status());
  absl::StatusOr<std::string> receipt = (*ledger)->ExportReceipt(seq);
  if (!receipt.ok()) return Fail(receipt.status());
  Output out;
  out.Cat(*receipt, receipt->empty() || receipt->back() != '\n' ? "\n" : "");
  return Flush(&out) ? kExitOk : kExitUsage;
}

int RunVerifyReceipt(const Invocation& inv) {
  const std::string& path = inv.operands.front();
  absl::StatusOr<std::string> text = ReadFileArg(path, 1 << 20);
  if (!text.ok()) return Fail(text.status());
  absl::StatusOr<ReceiptVerification> v = VerifyConsentReceipt(*text, inv.Get("--public-key"));
  if (!v.ok()) return Fail(v.status());
  Output out;
  if (inv.OutputFormat() == Format::kJson) {
    out.Cat("{\"file\": ", JsonString(path), ", \"valid\": ", JsonBool(v->valid),
            ", \"signed\": ", JsonBool(v->signed_receipt),
            ", \"problem\": ", JsonString(v->problem),
            ", \"ledger_id\": ", JsonString(v->ledger_id), ", \"seq\": ", v->seq,
            ", \"hash\": ", JsonString(v->hash), "}\n");
  } else if (v->valid) {
    out.Cat(Plain(path), ": valid", v->signed_receipt ? " (signed)" : " (unsigned)", ": entry ",
            v->seq, " of ledger ", Plain(v->ledger_id), ", ", ConsentStateName(v->record.state),
            " for ", Plain(v->record.purpose), " at ", internal::FormatInstant(v->record.at), "\n");
  } else {
    out.Cat(Plain(path), ": does not verify: ", Plain(v->problem), "\n");
  }
  if (!Flush(&out)) return kExitUsage;
  return v->valid ? kExitOk : kExitFindings;
}

OptionSpec PolicyOption() {
  return {"--policy", "FILE", {}, "the policy whose consent purposes apply (required)"};
}
OptionSpec KeyOption() {
  return {"--key-file", "FILE", {}, "the ledger's key (16-64 bytes) for a keyed ledger"};
}
OptionSpec JsonOption() {
  return {"--format", "FORMAT", {"text", "json"}, "output format: text (default) or json"};
}

}  // namespace

int PrintStoreVerification(const Invocation& inv, const absl::Status& opened,
                           const std::function<absl::StatusOr<ConsentVerification>()>& verify,
                           std::string_view json_id_key, bool text_names_id) {
  const std::string& path = inv.operands.front();
  if (opened.code() == absl::StatusCode::kDataLoss) {
    // Opening verifies the whole chain: a broken one is the finding, named by the core.
    Output out;
    out.Cat(Plain(path), ": broken: ", Plain(MessageOf(opened)), "\n");
    return Flush(&out) ? kExitFindings : kExitUsage;
  }
  if (!opened.ok()) return Fail(opened);
  absl::StatusOr<ConsentVerification> v = verify();
  if (!v.ok()) return Fail(v.status());
  Output out;
  if (inv.OutputFormat() == Format::kJson) {
    out.Cat("{\"file\": ", JsonString(path), ", \"intact\": ", JsonBool(v->intact),
            ", \"entries\": ", v->entries, ", \"head\": ", JsonString(v->head),
            ", \"first_broken_entry\": ", v->first_broken_entry,
            ", \"problem\": ", JsonString(v->problem), ", \"", json_id_key,
            "\": ", JsonString(v->ledger_id), ", \"keyed\": ", JsonBool(v->keyed), "}\n");
  } else if (v->intact) {
    out.Cat(Plain(path), ": intact: ", v->entries, v->entries == 1 ? " entry, " : " entries, ",
            v->keyed ? "keyed" : "plain", " chain",
            text_names_id ? Str(", ledger ", v->ledger_id) : std::string(), "\nhead ", v->head,
            "\n");
  } else {
    out.Cat(Plain(path), ": broken at entry ", v->first_broken_entry, ": ", Plain(v->problem), "\n",
            v->entries, " entries verified before it; last good head ", v->head, "\n");
  }
  if (!Flush(&out)) return kExitUsage;
  return v->intact ? kExitOk : kExitFindings;
}

std::vector<Command> ConsentCommands() {
  std::vector<OptionSpec> record = {
      PolicyOption(), {"--csv", "FILE", {}, "many records, a column per field"}, DelimiterOption()};
  for (const Field& f : kFields) record.push_back({f.option, "VALUE", {}, f.help});
  record.push_back(KeyOption());
  record.push_back(JsonOption());
  return {
      {"consent",
       "create",
       "LEDGER",
       1,
       1,
       "Create a consent ledger (mode 0600)",
       "A hash-chained SQLite file. With --key-file the hashes are keyed and receipts\n"
       "signed (Ed25519).",
       {PolicyOption(), KeyOption()},
       RunCreate},
      {"consent", "record", "LEDGER", 1, 1, "Record consents given, refused, withdrawn or expired",
       "One record from the options, or many from --csv (columns named as the options, with\n"
       "'_' for '-'; an option fills a column the file lacks). All or none are recorded;\n"
       "an error names the line and the field, never a value.",
       record, RunRecord},
      {"consent",
       "states",
       "LEDGER [SUBJECT...]",
       1,
       kUnlimited,
       "The state of each subject's consent to a purpose at the end of a day",
       "States: given, refused, withdrawn, expired, none (nothing recorded).",
       {PolicyOption(),
        {"--purpose", "ID", {}, "the purpose (required)"},
        {"--on", "DATE", {}, "the day, Europe/Copenhagen (required)"},
        {"--subjects-csv", "FILE", {}, "read the subjects from this CSV"},
        {"--column", "NAME", {}, "the CSV's column of subjects"},
        DelimiterOption(),
        KeyOption(),
        FormatOption()},
       RunStates},
      {"consent",
       "withdrawals",
       "LEDGER",
       1,
       1,
       "CSV of the subjects whose consent stands withdrawn, with the day",
       "Columns subject,consent_withdrawn: the event `retention sweep` reads, so that\n"
       "'kept until you withdraw your consent' ends where it should.",
       {PolicyOption(),
        {"--purpose", "ID", {}, "the purpose (required)"},
        {"--as-of", "TIME", {}, "as of this time, YYYY-MM-DDTHH:MM:SSZ (default now)"},
        KeyOption()},
       RunWithdrawals},
      {"consent",
       "verify",
       "LEDGER",
       1,
       1,
       "Verify the ledger's hash chain; exit 1 when broken, naming the first bad entry",
       "--expected-head HASH (kept elsewhere) notices a ledger cut short.",
       {PolicyOption(),
        {"--expected-head", "HASH", {}, "a head hash the ledger must contain"},
        KeyOption(),
        JsonOption()},
       RunVerify},
      {"consent",
       "receipt",
       "LEDGER",
       1,
       1,
       "Print the receipt of one entry (JSON; signed for a keyed ledger)",
       "",
       {PolicyOption(), {"--seq", "N", {}, "the entry (required)"}, KeyOption()},
       RunReceipt},
      {"consent",
       "verify-receipt",
       "FILE",
       1,
       1,
       "Verify a receipt on its own; exit 1 when it does not verify",
       "With --public-key (64 hex digits, from the ledger's owner) the receipt must be\n"
       "signed with that key.",
       {{"--public-key", "HEX", {}, "the key the receipt must be signed with"}, JsonOption()},
       RunVerifyReceipt},
  };
}

}  // namespace gdprkit::cli
