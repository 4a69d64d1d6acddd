// `gdprkit request ...`: data subjects' requests (gdprkit/requests.h).
//
//   gdprkit request deadline DATE [--extended]        the Art. 12(3) deadline
//   gdprkit request create REGISTER --policy P [--key-file F]
//   gdprkit request receive REGISTER --policy P --kind K --subject S [--purpose P]...
//       --received DATE --channel C --recorded-by R [--id ID]
//   gdprkit request identity REGISTER --policy P --id ID --result verified|failed
//       --method M --on DATE --recorded-by R
//   gdprkit request extend REGISTER --policy P --id ID --reason R --on DATE --recorded-by R
//   gdprkit request close REGISTER --policy P --id ID --status S --outcome O --on DATE
//       --recorded-by R
//   gdprkit request show|list|overdue|verify REGISTER --policy P ...
//   gdprkit request decide --policy P --kind K --purpose P... --on DATE
//       [--date PURPOSE:EVENT=DATE]... [--hold PURPOSE]...
//
// Every name (kinds, statuses, identity checks, actions) is parsed and
// printed by the core; the register's file is opened (its chain verified)
// by the core. The key of a keyed register comes from --key-file (16-64
// bytes), never from the command line, and is wiped after use. Exit status:
// 0 success; 1 `overdue` found overdue requests, `verify` a broken chain;
// 2 usage or input error; 3 internal error.
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cli.h"
#include "cli_csv.h"
#include "gdprkit/basis.h"
#include "gdprkit/requests.h"
#include "gdprkit/retention.h"

namespace gdprkit::cli {
namespace {

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
std::string JsonDate(DayNumber d) { return d == kNoDate ? "null" : JsonString(FormatDate(d)); }

// A date option (required); the core's message, prefixed with the option.
absl::StatusOr<DayNumber> DateArg(const Invocation& inv, std::string_view option) {
  if (!inv.Has(option)) return absl::InvalidArgumentError(Str(option, " is required"));
  absl::StatusOr<DayNumber> d = ParseDate(inv.Get(option));
  if (!d.ok()) return absl::InvalidArgumentError(Str(option, ": ", MessageOf(d.status())));
  return d;
}

absl::StatusOr<std::string> Required(const Invocation& inv, std::string_view option) {
  if (!inv.Has(option)) return absl::InvalidArgumentError(Str(option, " is required"));
  return inv.Get(option);
}

absl::StatusOr<std::shared_ptr<const Policy>> PolicyArg(const Invocation& inv) {
  if (!inv.Has("--policy")) return absl::InvalidArgumentError("--policy is required");
  const std::string arg = inv.Get("--policy");
  absl::StatusOr<std::shared_ptr<const Policy>> policy = LoadPolicyArg(arg);
  if (!policy.ok())
    return absl::Status(policy.status().code(), LoadErrorMessage(arg, policy.status()));
  return policy;
}

// Opens (or, with `create`, creates) the register named by the operand.
absl::StatusOr<std::unique_ptr<RequestRegister>> RegisterArg(const Invocation& inv,
                                                             bool create = false) {
  absl::StatusOr<std::shared_ptr<const Policy>> policy = PolicyArg(inv);
  if (!policy.ok()) return policy.status();
  KeyFile key;
  if (absl::Status s = key.Load(inv); !s.ok()) return s;
  RequestRegisterOptions options;
  options.key = key.view();
  const std::string& path = inv.operands.front();
  return create ? RequestRegister::Create(path, *policy, options)
                : RequestRegister::Open(path, *policy, options);
}

std::string JsonRequest(const Request& r) {
  return Str("{\"id\": ", JsonString(r.id), ", \"kind\": ", JsonString(RequestKindName(r.kind)),
             ", \"status\": ", JsonString(RequestStatusName(r.status)),
             ", \"subject\": ", JsonString(r.subject),
             ", \"purposes\": ", JsonStringArray(r.purposes),
             ", \"received\": ", JsonDate(r.received), ", \"due\": ", JsonDate(r.due),
             ", \"extended\": ", JsonBool(r.extended),
             ", \"extension_reason\": ", JsonString(r.extension_reason),
             ", \"identity\": ", JsonString(IdentityCheckName(r.identity)),
             ", \"identity_method\": ", JsonString(r.identity_method),
             ", \"closed_on\": ", JsonDate(r.closed_on), ", \"outcome\": ", JsonString(r.outcome),
             ", \"channel\": ", JsonString(r.channel), "}");
}

void TextRequest(const Request& r, Language lang, Output* out) {
  out->Cat("request ", Plain(r.id), ": ", RequestKindName(r.kind), " (",
           RequestKindTitle(r.kind, lang), "), ", RequestStatusName(r.status), "\n");
  out->Cat("  received ", DateText(r.received), ", due ", DateText(r.due));
  if (r.extended) out->Cat(" (extended: ", Plain(r.extension_reason), ")");
  out->Cat("\n  identity ", IdentityCheckName(r.identity));
  if (!r.identity_method.empty()) out->Cat(" (", Plain(r.identity_method), ")");
  std::vector<std::string> purposes;
  for (const std::string& p : r.purposes) purposes.push_back(Plain(p));
  out->Cat("\n  purposes ",
           purposes.empty() ? std::string("all of the subject's") : Join(purposes, ", "),
           "\n  channel ", Plain(r.channel), "\n");
  if (r.status != RequestStatus::kOpen) {
    out->Cat("  closed ", DateText(r.closed_on), ": ", Plain(r.outcome), "\n");
  }
}

int PrintRequest(const Invocation& inv, const absl::StatusOr<Request>& r) {
  if (!r.ok()) return Fail(r.status());
  absl::StatusOr<Language> lang = LanguageOf(inv);
  if (!lang.ok()) return Fail(lang.status());
  Output out;
  if (inv.OutputFormat() == Format::kJson) {
    out.Cat(JsonRequest(*r), "\n");
  } else {
    TextRequest(*r, *lang, &out);
  }
  return Flush(&out) ? kExitOk : kExitUsage;
}

// A list of requests: text (one line each), JSON or CSV.
void PrintRequests(const Invocation& inv, const std::vector<Request>& list, Output* out) {
  switch (inv.OutputFormat()) {
    case Format::kJson: {
      std::vector<std::string> items;
      for (const Request& r : list) items.push_back(JsonRequest(r));
      out->Cat("[", Join(items, ",\n "), "]\n");
      break;
    }
    case Format::kCsv:
      out->Put(
          CsvRow({"id", "kind", "status", "received", "due", "extended", "identity", "closed_on"}));
      for (const Request& r : list) {
        out->Put(CsvRow({r.id, std::string(RequestKindName(r.kind)),
                         std::string(RequestStatusName(r.status)), DateText(r.received),
                         DateText(r.due), r.extended ? "true" : "false",
                         std::string(IdentityCheckName(r.identity)), DateText(r.closed_on)}));
      }
      break;
    case Format::kText:
      for (const Request& r : list) {
        out->Cat(Plain(r.id), "  ", RequestKindName(r.kind), "  ", RequestStatusName(r.status),
                 "  received ", DateText(r.received), "  due ", DateText(r.due),
                 r.extended ? " (extended)" : "", "\n");
      }
      if (list.empty()) out->Cat("no requests\n");
      break;
  }
}

// ---------------------------------------------------------------------------

int RunDeadline(const Invocation& inv) {
  absl::StatusOr<DayNumber> received = ParseDate(inv.operands.front());
  if (!received.ok()) return Fail(received.status());
  const bool extended = inv.Has("--extended");
  const DayNumber due = RequestDeadline(*received, extended);
  Output out;
  if (inv.OutputFormat() == Format::kJson) {
    out.Cat("{\"received\": ", JsonDate(*received), ", \"extended\": ", JsonBool(extended),
            ", \"due\": ", JsonDate(due), "}\n");
  } else {
    out.Cat(DateText(due), "\n");
  }
  return Flush(&out) ? kExitOk : kExitUsage;
}

int RunCreate(const Invocation& inv) {
  absl::StatusOr<std::unique_ptr<RequestRegister>> reg = RegisterArg(inv, /*create=*/true);
  if (!reg.ok()) return Fail(reg.status());
  Output out;
  out.Cat(Plain((*reg)->path()), ": created request register ", (*reg)->register_id(), "\n");
  return Flush(&out) ? kExitOk : kExitUsage;
}

int RunReceive(const Invocation& inv) {
  NewRequest n;
  absl::StatusOr<std::string> kind = Required(inv, "--kind");
  if (!kind.ok()) return Fail(kind.status());
  absl::StatusOr<RequestKind> k = ParseRequestKind(*kind);
  if (!k.ok()) return Fail(absl::InvalidArgumentError(Str("--kind: ", MessageOf(k.status()))));
  absl::StatusOr<DayNumber> received = DateArg(inv, "--received");
  if (!received.ok()) return Fail(received.status());
  for (std::string_view option : {"--subject", "--channel", "--recorded-by"}) {
    if (!inv.Has(option)) return Fail(absl::InvalidArgumentError(Str(option, " is required")));
  }
  n.id = inv.Get("--id");
  n.kind = *k;
  n.subject = inv.Get("--subject");
  n.purposes = inv.GetAll("--purpose");
  n.received = *received;
  n.channel = inv.Get("--channel");
  n.recorded_by = inv.Get("--recorded-by");
  absl::StatusOr<std::unique_ptr<RequestRegister>> reg = RegisterArg(inv);
  if (!reg.ok()) return Fail(reg.status());
  return PrintRequest(inv, (*reg)->Receive(n));
}

// The options every change of a request needs: --id, --on, --recorded-by.
struct Change {
  std::string id;
  DayNumber on = kNoDate;
  std::string recorded_by;
  std::unique_ptr<RequestRegister> reg;
};

absl::Status ReadChange(const Invocation& inv, Change* c) {
  absl::StatusOr<std::string> id = Required(inv, "--id");
  if (!id.ok()) return id.status();
  absl::StatusOr<DayNumber> on = DateArg(inv, "--on");
  if (!on.ok()) return on.status();
  absl::StatusOr<std::string> by = Required(inv, "--recorded-by");
  if (!by.ok()) return by.status();
  absl::StatusOr<std::unique_ptr<RequestRegister>> reg = RegisterArg(inv);
  if (!reg.ok()) return reg.status();
  c->id = *id;
  c->on = *on;
  c->recorded_by = *by;
  c->reg = *std::move(reg);
  return absl::OkStatus();
}

int RunIdentity(const Invocation& inv) {
  absl::StatusOr<std::string> result = Required(inv, "--result");
  if (!result.ok()) return Fail(result.status());
  absl::StatusOr<IdentityCheck> check = ParseIdentityCheck(*result);
  if (!check.ok())
    return Fail(absl::InvalidArgumentError(Str("--result: ", MessageOf(check.status()))));
  if (*check == IdentityCheck::kNotChecked) {
    return Fail(absl::InvalidArgumentError(
        Str("--result: a check records \"", IdentityCheckName(IdentityCheck::kVerified), "\" or \"",
            IdentityCheckName(IdentityCheck::kFailed), "\"")));
  }
  absl::StatusOr<std::string> method = Required(inv, "--method");
  if (!method.ok()) return Fail(method.status());
  Change c;
  if (absl::Status s = ReadChange(inv, &c); !s.ok()) return Fail(s);
  return PrintRequest(inv, c.reg->CheckIdentity(c.id, *check == IdentityCheck::kVerified, *method,
                                                c.on, c.recorded_by));
}

int RunExtend(const Invocation& inv) {
  absl::StatusOr<std::string> reason = Required(inv, "--reason");
  if (!reason.ok()) return Fail(reason.status());
  Change c;
  if (absl::Status s = ReadChange(inv, &c); !s.ok()) return Fail(s);
  return PrintRequest(inv, c.reg->Extend(c.id, *reason, c.on, c.recorded_by));
}

int RunClose(const Invocation& inv) {
  absl::StatusOr<std::string> status = Required(inv, "--status");
  if (!status.ok()) return Fail(status.status());
  absl::StatusOr<RequestStatus> st = ParseRequestStatus(*status);
  if (!st.ok()) return Fail(absl::InvalidArgumentError(Str("--status: ", MessageOf(st.status()))));
  Change c;
  if (absl::Status s = ReadChange(inv, &c); !s.ok()) return Fail(s);
  return PrintRequest(inv, c.reg->Close(c.id, *st, inv.Get("--outcome"), c.on, c.recorded_by));
}

int RunShow(const Invocation& inv) {
  absl::StatusOr<std::string> id = Required(inv, "--id");
  if (!id.ok()) return Fail(id.status());
  absl::StatusOr<Language> lang = LanguageOf(inv);
  if (!lang.ok()) return Fail(lang.status());
  absl::StatusOr<std::unique_ptr<RequestRegister>> reg = RegisterArg(inv);
  if (!reg.ok()) return Fail(reg.status());
  absl::StatusOr<Request> r = (*reg)->Get(*id);
  if (!r.ok()) return Fail(r.status());
  absl::StatusOr<std::vector<RequestEvent>> trail = (*reg)->Trail(*id);
  if (!trail.ok()) return Fail(trail.status());
  Output out;
  if (inv.OutputFormat() == Format::kJson) {
    std::vector<std::string> events;
    for (const RequestEvent& e : *trail) {
      events.push_back(Str("{\"seq\": ", e.seq, ", \"event\": ", JsonString(e.event),
                           ", \"on\": ", JsonDate(e.on), ", \"detail\": ", JsonString(e.detail),
                           ", \"recorded_by\": ", JsonString(e.recorded_by),
                           ", \"hash\": ", JsonString(e.hash), "}"));
    }
    out.Cat("{\"request\": ", JsonRequest(*r), ",\n \"trail\": [", Join(events, ",\n  "), "]}\n");
  } else {
    TextRequest(*r, *lang, &out);
    out.Cat("  trail:\n");
    for (const RequestEvent& e : *trail) {
      out.Cat("    ", e.seq, "  ", DateText(e.on), "  ", Plain(e.event), " by ",
              Plain(e.recorded_by));
      if (!e.detail.empty()) out.Cat(": ", Plain(e.detail));
      out.Cat("\n");
    }
  }
  return Flush(&out) ? kExitOk : kExitUsage;
}

int RunList(const Invocation& inv) {
  absl::StatusOr<std::unique_ptr<RequestRegister>> reg = RegisterArg(inv);
  if (!reg.ok()) return Fail(reg.status());
  absl::StatusOr<std::vector<Request>> list = (*reg)->List();
  if (!list.ok()) return Fail(list.status());
  Output out;
  PrintRequests(inv, *list, &out);
  return Flush(&out) ? kExitOk : kExitUsage;
}

int RunOverdue(const Invocation& inv) {
  absl::StatusOr<DayNumber> on = DateArg(inv, "--on");
  if (!on.ok()) return Fail(on.status());
  absl::StatusOr<std::unique_ptr<RequestRegister>> reg = RegisterArg(inv);
  if (!reg.ok()) return Fail(reg.status());
  absl::StatusOr<std::vector<Request>> list = (*reg)->Overdue(*on);
  if (!list.ok()) return Fail(list.status());
  Output out;
  PrintRequests(inv, *list, &out);
  if (!Flush(&out)) return kExitUsage;
  return list->empty() ? kExitOk : kExitFindings;
}

int RunVerify(const Invocation& inv) {
  absl::StatusOr<std::unique_ptr<RequestRegister>> reg = RegisterArg(inv);
  return PrintStoreVerification(
      inv, reg.status(), [&] { return (*reg)->Verify(inv.Get("--expected-head")); }, "id",
      /*text_names_id=*/false);
}

// --date PURPOSE:EVENT=DATE: one of the record's dates for one purpose.
absl::Status AddDate(const std::string& arg, std::vector<SubjectPurpose>* purposes) {
  const std::size_t colon = arg.find(':');
  const std::size_t eq = arg.find('=', colon == std::string::npos ? 0 : colon);
  if (colon == std::string::npos || eq == std::string::npos || colon == 0 || eq == colon + 1) {
    return absl::InvalidArgumentError(
        Str("--date: '", Plain(arg),
            "' is not PURPOSE:EVENT=DATE (e.g. patient-record:last_entry=2025-05-01)"));
  }
  const std::string purpose = arg.substr(0, colon);
  absl::StatusOr<DayNumber> d = ParseDate(arg.substr(eq + 1));
  if (!d.ok())
    return absl::InvalidArgumentError(Str("--date ", Plain(arg), ": ", MessageOf(d.status())));
  for (SubjectPurpose& p : *purposes) {
    if (p.purpose == purpose) {
      p.dates.emplace_back(arg.substr(colon + 1, eq - colon - 1), *d);
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(Str("--date ", Plain(arg), ": purpose '", Plain(purpose),
                                        "' is not one of the --purpose options"));
}

int RunDecide(const Invocation& inv) {
  absl::StatusOr<std::string> kind = Required(inv, "--kind");
  if (!kind.ok()) return Fail(kind.status());
  absl::StatusOr<RequestKind> k = ParseRequestKind(*kind);
  if (!k.ok()) return Fail(absl::InvalidArgumentError(Str("--kind: ", MessageOf(k.status()))));
  absl::StatusOr<DayNumber> on = DateArg(inv, "--on");
  if (!on.ok()) return Fail(on.status());
  absl::StatusOr<Language> lang = LanguageOf(inv);
  if (!lang.ok()) return Fail(lang.status());
  std::vector<SubjectPurpose> purposes;
  for (const std::string& p : inv.GetAll("--purpose")) purposes.push_back({p, {}, false});
  if (purposes.empty())
    return Fail(absl::InvalidArgumentError("--purpose is required (one or more)"));
  for (const std::string& d : inv.GetAll("--date")) {
    if (absl::Status s = AddDate(d, &purposes); !s.ok()) return Fail(s);
  }
  for (const std::string& h : inv.GetAll("--hold")) {
    bool found = false;
    for (SubjectPurpose& p : purposes) {
      if (p.purpose == h) p.on_hold = found = true;
    }
    if (!found) {
      return Fail(absl::InvalidArgumentError(
          Str("--hold: purpose '", Plain(h), "' is not one of the --purpose options")));
    }
  }
  absl::StatusOr<std::shared_ptr<const Policy>> policy = PolicyArg(inv);
  if (!policy.ok()) return Fail(policy.status());
  absl::StatusOr<Decision> d = Decide(**policy, *k, purposes, *on);
  if (!d.ok()) return Fail(d.status());
  Output out;
  if (inv.OutputFormat() == Format::kJson) {
    std::vector<std::string> items;
    for (const PurposeDecision& p : d->purposes) {
      items.push_back(Str("{\"purpose\": ", JsonString(p.purpose),
                          ", \"action\": ", JsonString(RequestActionName(p.action)),
                          ", \"action_title\": ", JsonString(RequestActionTitle(p.action, *lang)),
                          ", \"right\": ", JsonString(kRights[static_cast<int>(p.right)].code),
                          ", \"reason\": ", JsonString(p.reason),
                          ", \"keep_until\": ", JsonDate(p.keep_until),
                          ", \"retention_rule\": ", JsonString(p.retention_rule), "}"));
    }
    out.Cat("{\"kind\": ", JsonString(RequestKindName(d->kind)), ", \"on\": ", JsonDate(d->on),
            ", \"purposes\": [", Join(items, ",\n  "), "]}\n");
  } else {
    out.Cat(RequestKindName(d->kind), " (", RequestKindTitle(d->kind, *lang), ") on ",
            DateText(d->on), "\n");
    for (const PurposeDecision& p : d->purposes) {
      out.Cat("  ", Plain(p.purpose), ": ", RequestActionName(p.action), " (",
              RequestActionTitle(p.action, *lang), ")");
      if (p.keep_until != kNoDate) out.Cat(" until ", DateText(p.keep_until));
      if (!p.retention_rule.empty()) out.Cat(" by rule ", Plain(p.retention_rule));
      out.Cat("\n    ", Plain(p.reason), "\n");
    }
  }
  return Flush(&out) ? kExitOk : kExitUsage;
}

// ---------------------------------------------------------------------------

OptionSpec PolicyOption() { return {"--policy", "FILE", {}, "the policy (required)"}; }
OptionSpec KeyOption() {
  return {"--key-file", "FILE", {}, "the register's key (16-64 bytes) for a keyed register"};
}
OptionSpec JsonOption() {
  return {"--format", "FORMAT", {"text", "json"}, "output format: text (default) or json"};
}
std::vector<OptionSpec> ChangeOptions(std::vector<OptionSpec> more) {
  std::vector<OptionSpec> o = {PolicyOption(),
                               {"--id", "ID", {}, "the request's id (required)"},
                               {"--on", "DATE", {}, "the day of the change (required)"},
                               {"--recorded-by", "WHO", {}, "who records it (required)"},
                               KeyOption(),
                               JsonOption(),
                               LanguageOption()};
  o.insert(o.end(), more.begin(), more.end());
  return o;
}

}  // namespace

std::vector<Command> RequestCommands() {
  return {
      {"request",
       "deadline",
       "DATE",
       1,
       1,
       "The Art. 12(3) deadline of a request received on DATE",
       "One month from receipt, or three with --extended (one month extended by two\n"
       "further months), by the month-end rule: received 2026-01-31 is due 2026-02-28\n"
       "(2026-04-30 extended).",
       {{"--extended", "", {}, "the deadline once extended"}, JsonOption()},
       RunDeadline},
      {"request",
       "create",
       "REGISTER",
       1,
       1,
       "Create a request register (mode 0600)",
       "A hash-chained SQLite file: every state change of a request is one entry.",
       {PolicyOption(), KeyOption()},
       RunCreate},
      {"request",
       "receive",
       "REGISTER",
       1,
       1,
       "Record a data subject's request",
       "Prints the request with its deadline. --subject is a vault token or pseudonym,\n"
       "never an identifier in clear. Without --purpose the request covers all of the\n"
       "subject's purposes.",
       {PolicyOption(),
        {"--kind", "KIND", {}, "access, rectification, erasure, ... (required)"},
        {"--subject", "SUBJECT", {}, "the data subject's token or pseudonym (required)"},
        {"--purpose", "ID", {}, "a purpose the request names (repeatable)", {}, true},
        {"--received", "DATE", {}, "the day it reached the controller (required)"},
        {"--channel", "CHANNEL", {}, "how it came: letter, email, web, ... (required)"},
        {"--recorded-by", "WHO", {}, "who records it (required)"},
        {"--id", "ID", {}, "the caller's reference (default: the register assigns one)"},
        KeyOption(),
        JsonOption(),
        LanguageOption()},
       RunReceive},
      {"request", "identity", "REGISTER", 1, 1, "Record the check of the requester's identity", "",
       ChangeOptions({{"--result", "RESULT", {}, "verified or failed (required)"},
                      {"--method", "METHOD", {}, "how: MitID, in person, ... (required)"}}),
       RunIdentity},
      {"request", "extend", "REGISTER", 1, 1,
       "Extend a request's deadline by two further months, with the reason",
       "Once, no later than the first deadline (Art. 12(3)).",
       ChangeOptions({{"--reason", "TEXT", {}, "why (required; tell the data subject)"}}),
       RunExtend},
      {"request", "close", "REGISTER", 1, 1, "Close a request: answered, refused or cancelled", "",
       ChangeOptions({{"--status", "STATUS", {}, "answered, refused or cancelled (required)"},
                      {"--outcome", "TEXT", {}, "the answer's summary or the refusal's reason"}}),
       RunClose},
      {"request",
       "show",
       "REGISTER",
       1,
       1,
       "Show a request and its trail",
       "",
       {PolicyOption(),
        {"--id", "ID", {}, "the request (required)"},
        KeyOption(),
        JsonOption(),
        LanguageOption()},
       RunShow},
      {"request",
       "list",
       "REGISTER",
       1,
       1,
       "List every request, by received day",
       "",
       {PolicyOption(), KeyOption(), FormatOption()},
       RunList},
      {"request",
       "overdue",
       "REGISTER",
       1,
       1,
       "List the open requests past their deadline on DATE; exit 1 when there are any",
       "",
       {PolicyOption(),
        {"--on", "DATE", {}, "the day to check (required)"},
        KeyOption(),
        FormatOption()},
       RunOverdue},
      {"request",
       "verify",
       "REGISTER",
       1,
       1,
       "Verify the register's hash chain; exit 1 when broken",
       "Names the first bad entry. --expected-head HASH (kept elsewhere) notices a\n"
       "register cut short.",
       {PolicyOption(),
        {"--expected-head", "HASH", {}, "a head hash the register must contain"},
        KeyOption(),
        JsonOption()},
       RunVerify},
      {"request",
       "decide",
       "",
       0,
       0,
       "What a request means for each purpose, and why",
       "Per purpose: erase, keep (with the rule and the first day it may be deleted),\n"
       "provide, export, rectify, restrict, stop or not_applicable, with the legal reason\n"
       "(Art. 17(3) exceptions, retention minimums, legal holds). --date gives a record's\n"
       "dates the retention rules read, e.g. --date patient-record:last_entry=2025-05-01.",
       {PolicyOption(),
        {"--kind", "KIND", {}, "the request's kind (required)"},
        {"--purpose", "ID", {}, "a purpose of the subject's data (repeatable, required)", {}, true},
        {"--on", "DATE", {}, "the day of the decision (required)"},
        {"--date", "PURPOSE:EVENT=DATE", {}, "a date of the record (repeatable)", {}, true},
        {"--hold", "PURPOSE", {}, "a legal hold covers this purpose (repeatable)", {}, true},
        JsonOption(),
        LanguageOption()},
       RunDecide},
  };
}

}  // namespace gdprkit::cli
