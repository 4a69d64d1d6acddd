// gdprkit: the command-line tool.
//
//   gdprkit policy check FILE...            findings per file, exit 1 on errors
//   gdprkit policy rights FILE [--purpose ID]  rights matrix with reasons
//   gdprkit policy purposes FILE            purposes with bases and titles
//   gdprkit policy releases FILE            release rules: columns, shape, rules
//   gdprkit release check|prepare|verify|show|digest   the release gate (release_commands.cc)
//   gdprkit consent create|record|states|withdrawals|verify|receipt|verify-receipt
//                                           the consent ledger (consent_commands.cc)
//   gdprkit request deadline|create|receive|identity|extend|close|show|list|overdue|verify|decide
//                                           data subjects' requests (request_commands.cc)
//   gdprkit version | help [COMMAND...]
//
// Commands live in one table (Commands()): each has a family ("policy", or
// none for top-level commands), a name, its operands, its options and a
// handler. The argument parser, `help` and the "did you mean" messages work
// from the table, so a new family (`retention sweep`, `suppress`, `vault
// ...`) is a handler plus a table entry.
//
// Exit status: 0 success; 1 `policy check` found errors (warnings and infos
// alone exit 0); 2 usage error, or a file that cannot be read or parsed;
// 3 internal error (a bug). Errors go to standard error, prefixed
// "gdprkit: error: ", and name the file and line where there is one.
// Output is UTF-8; text output replaces control characters taken from policy
// files, so a policy cannot drive the terminal.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "cli.h"
#include "cli_csv.h"
#include "common/text.h"
#include "gdprkit.h"  // GDPRKIT_VERSION (a macro only; this tool links the C++ core)
#include "gdprkit/basis.h"
#include "gdprkit/policy.h"

namespace gdprkit::cli {
namespace {

// Names typed on the command line match in either spelling of -ise/-ize
// ("vault pseudonymize", "--normalize").
bool SameName(std::string_view ours, std::string_view typed) {
  return ours == typed ||
         (typed.find('z') != std::string_view::npos && ours == internal::IseSpelling(typed));
}

std::string UsageLine(const Command& c) {
  std::string line = Str("gdprkit ", FullName(c));
  for (const OptionSpec& o : c.options) {
    Append(&line, " [", o.name);
    if (!o.value_name.empty()) {
      Append(&line, " ", o.choices.empty() ? std::string(o.value_name) : Join(o.choices, "|"));
    }
    Append(&line, "]");
  }
  if (!c.operands.empty()) Append(&line, " ", c.operands);
  return line;
}

std::string CommandHelp(const Command& c) {
  std::string out = Str("Usage: ", UsageLine(c), "\n\n", c.summary, "\n");
  if (!c.details.empty()) Append(&out, "\n", c.details, "\n");
  Append(&out, "\nOptions:\n");
  for (const OptionSpec& o : c.options) {
    const std::string left =
        o.value_name.empty() ? std::string(o.name) : Str(o.name, " ", o.value_name);
    Append(&out, "  ", PadRight(left, 18), " ", o.help);
    if (!o.aliases.empty()) Append(&out, " (also ", Join(o.aliases, ", "), ")");
    Append(&out, "\n");
  }
  Append(&out, "  ", PadRight("-h, --help", 18), " show this help\n");
  return out;
}

std::vector<std::string_view> Families() {
  std::vector<std::string_view> out;
  for (const Command& c : Commands()) {
    if (c.family.empty()) continue;
    if (std::find(out.begin(), out.end(), c.family) == out.end()) out.push_back(c.family);
  }
  return out;
}

// The width of the "name operands" column of a command list.
std::size_t NameColumnWidth(std::string_view family, bool all) {
  std::size_t width = 0;
  for (const Command& c : Commands()) {
    if (!all && c.family != family) continue;
    width = std::max(width, DisplayWidth(Str(FullName(c), " ", c.operands)));
  }
  return std::min<std::size_t>(width, 36);
}

std::string FamilyHelp(std::string_view family) {
  std::string out =
      Str("Usage: gdprkit ", family, " <command> [options] [arguments]\n\n", "Commands:\n");
  for (const Command& c : Commands()) {
    if (c.family != family) continue;
    Append(&out, "  ", PadRight(Str(FullName(c), " ", c.operands), NameColumnWidth(family, false)),
           "  ", c.summary, "\n");
  }
  Append(&out, "\nRun 'gdprkit help ", family, " <command>' or 'gdprkit ", family,
         " <command> --help' for details.\n");
  return out;
}

std::string GeneralHelp() {
  std::string out =
      "gdprkit - GDPR primitives for Danish health-sector software\n\n"
      "Usage: gdprkit <command> [options] [arguments]\n\n"
      "Commands:\n";
  const std::size_t width = NameColumnWidth("", true);
  for (const Command& c : Commands()) {
    Append(&out, "  ", PadRight(Str(FullName(c), " ", c.operands), width), "  ", c.summary, "\n");
  }
  Append(&out,
         "\nRun 'gdprkit help <command>' or 'gdprkit <command> --help' for a command's options.\n"
         "A FILE of '-' reads the policy from standard input.\n\n"
         "CSV input (suppress, retention sweep --records, the vault commands' --column) may be\n"
         "comma-, semicolon- (Danish Excel) or tab-separated: the delimiter is detected from the\n"
         "header line, or given by --delimiter where a command offers it. Fields may be quoted\n"
         "(RFC 4180); a row with more or fewer fields than the header is an error naming the\n"
         "file and line. A UTF-8 byte-order mark at the start of an input (a policy, a CSV\n"
         "file, a list of values, a passphrase or key file) is skipped.\n\n"
         "Exit status:\n"
         "  0  success (policy check: no errors; warnings and infos allowed)\n"
         "  1  a negative answer: policy check found errors, a log or audit trail does not\n"
         "     verify, a table cannot be protected (see each command's help)\n"
         "  2  usage error, or a file that cannot be read or parsed\n"
         "  3  internal error\n");
  return out;
}

}  // namespace

int UsageError(std::string_view message, std::string_view help_hint) {
  PrintError(message);
  if (!help_hint.empty()) {
    std::fprintf(stderr, "Try 'gdprkit %.*s--help'.\n", static_cast<int>(help_hint.size()),
                 help_hint.data());
  } else {
    std::fprintf(stderr, "Try 'gdprkit --help'.\n");
  }
  return kExitUsage;
}

namespace {

// Parses `args` (after the command words) against the command's options.
// Returns the exit code of a usage error or of --help, or -1 to go on.
int ParseInvocation(const Command& c, const std::vector<std::string>& args, Invocation* inv) {
  const std::string hint = Str(FullName(c), " ");
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (options_done || a == "-" || a.empty() || a[0] != '-') {
      inv->operands.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a == "-h" || a == "--help") {
      std::fputs(CommandHelp(c).c_str(), stdout);
      return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
    }
    std::string name = a;
    std::optional<std::string> value;
    if (const std::size_t eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& o : c.options) {
      if (SameName(o.name, name)) spec = &o;
      for (std::string_view alias : o.aliases) {
        if (SameName(alias, name)) spec = &o;
      }
    }
    if (spec != nullptr) name = std::string(spec->name);
    if (spec == nullptr) {
      std::vector<std::string_view> names;
      for (const OptionSpec& o : c.options) names.push_back(o.name);
      return UsageError(Str("'gdprkit ", FullName(c), "' has no option '", Plain(name), "'",
                            internal::DidYouMeanTypo(name, names)),
                        hint);
    }
    if (inv->Has(name) && !spec->repeatable) {
      return UsageError(Str("option ", name, " is given more than once"), hint);
    }
    if (spec->value_name.empty()) {
      if (value.has_value()) {
        return UsageError(Str("option ", name, " takes no value"), hint);
      }
      inv->options[name] = "";
      continue;
    }
    if (!value.has_value()) {
      if (i + 1 >= args.size()) {
        return UsageError(Str("option ", name, " needs a value (", spec->value_name, ")"), hint);
      }
      value = args[++i];
    }
    if (!spec->choices.empty()) {
      for (std::string_view choice : spec->choices) {
        if (SameName(choice, *value)) *value = std::string(choice);
      }
    }
    if (!spec->choices.empty() &&
        std::find(spec->choices.begin(), spec->choices.end(), *value) == spec->choices.end()) {
      return UsageError(
          Str("option ", name, ": '", Plain(*value), "' is not one of ", Join(spec->choices, ", "),
              internal::DidYouMeanTypo(*value, spec->choices)),
          hint);
    }
    if (value->empty()) {
      return UsageError(Str("option ", name, " needs a non-empty value"), hint);
    }
    if (spec->repeatable) inv->repeated.emplace_back(name, *value);
    inv->options.emplace(name, *value);
  }
  if (inv->operands.size() < c.min_operands) {
    return UsageError(Str("'gdprkit ", FullName(c), "' needs ", c.operands,
                          c.min_operands == 1 && c.max_operands == 1 ? " (one file)" : ""),
                      hint);
  }
  if (inv->operands.size() > c.max_operands) {
    return UsageError(Str("'gdprkit ", FullName(c), "' takes ",
                          c.max_operands == 0 ? std::string("no arguments")
                                              : Str("at most ", c.max_operands, " argument(s)"),
                          "; unexpected '", Plain(inv->operands[c.max_operands]), "'"),
                      hint);
  }
  return -1;
}

}  // namespace

// ---------------------------------------------------------------------------
// Loading policies.
// ---------------------------------------------------------------------------

// Loads a policy named on the command line; "-" is standard input. The core
// reads the file, its format and a leading byte-order mark.
absl::StatusOr<std::shared_ptr<const Policy>> LoadPolicyArg(const std::string& arg) {
  if (arg == "-") {
    absl::StatusOr<std::string> text = ReadFileArg("-", Policy::kMaxPolicyBytes);
    if (!text.ok()) return text.status();
    return Policy::FromText(*text, PolicyFormat::kAuto, "<stdin>");
  }
  return Policy::Load(arg);
}

// The message of a load error, naming the file when the library's message
// does not already.
std::string LoadErrorMessage(const std::string& arg, const absl::Status& status) {
  const std::string name = arg == "-" ? "<stdin>" : arg;
  std::string message = MessageOf(status);
  if (message.find(name) == std::string::npos) message = Str(name, ": ", message);
  return Plain(message);
}

namespace {

// ---------------------------------------------------------------------------
// policy check
// ---------------------------------------------------------------------------

struct Counts {
  int errors = 0;
  int warnings = 0;
  int infos = 0;
  void Add(Severity s) {
    (s == Severity::kError ? errors : s == Severity::kWarning ? warnings : infos)++;
  }
};

std::string Plural(int n, std::string_view word) { return Str(n, " ", word, n == 1 ? "" : "s"); }

std::string CountsText(const Counts& c) {
  return Str(Plural(c.errors, "error"), ", ", Plural(c.warnings, "warning"), ", ",
             Plural(c.infos, "info"));
}

struct FileResult {
  std::string file;
  bool loaded = false;
  std::string load_error;
  std::vector<Finding> findings;
  Counts counts;
};

// The language of titles (--lang; English when absent) and whether text
// output shows titles: it does when --lang is given. JSON and CSV always
// carry them, beside the codes.
struct Titles {
  Language language = Language::kEnglish;
  bool in_text = false;
};

// Parses --lang; prints the usage error and returns nullopt for a bad one.
std::optional<Titles> TitlesOf(const Invocation& inv, std::string_view command) {
  const absl::StatusOr<Language> language = LanguageOf(inv);
  if (!language.ok()) {
    UsageError(MessageOf(language.status()), Str(command, " "));
    return std::nullopt;
  }
  return Titles{*language, inv.Has("--lang")};
}

int RunPolicyCheck(const Invocation& inv) {
  const std::optional<Titles> titles = TitlesOf(inv, "policy check");
  if (!titles.has_value()) return kExitUsage;
  const Language lang = titles->language;
  std::vector<FileResult> results;
  Counts total;
  int unreadable = 0;
  for (const std::string& arg : inv.operands) {
    FileResult r;
    r.file = arg == "-" ? "<stdin>" : arg;
    absl::StatusOr<std::shared_ptr<const Policy>> policy = LoadPolicyArg(arg);
    if (!policy.ok()) {
      r.load_error = LoadErrorMessage(arg, policy.status());
      PrintError(r.load_error);
      ++unreadable;
    } else {
      r.loaded = true;
      r.findings = (*policy)->Validate();
      for (const Finding& f : r.findings) {
        r.counts.Add(f.severity);
        total.Add(f.severity);
      }
    }
    results.push_back(std::move(r));
  }

  Output out;
  switch (inv.OutputFormat()) {
    case Format::kText:
      for (const FileResult& r : results) {
        if (!r.loaded) {
          out.Cat(Plain(r.file), ": not checked: the file could not be read or parsed\n");
          continue;
        }
        for (const Finding& f : r.findings) {
          out.Cat(Plain(f.file.empty() ? r.file : f.file));
          if (f.line > 0) out.Cat(":", f.line);
          if (titles->in_text) {
            out.Cat(": ", SeverityTitle(f.severity, lang), " [", Plain(f.code), "] ",
                    FindingTitle(f.code, lang), ": ", Plain(f.message), "\n");
          } else {
            out.Cat(": ", SeverityName(f.severity), " [", Plain(f.code), "] ", Plain(f.message),
                    "\n");
          }
        }
        out.Cat(Plain(r.file), ": ", CountsText(r.counts),
                r.counts.errors == 0 ? " (valid)" : " (invalid)", "\n");
      }
      if (results.size() > 1) {
        out.Cat("checked ", Plural(static_cast<int>(results.size()), "file"), ": ",
                CountsText(total));
        if (unreadable > 0) out.Cat("; ", unreadable, " could not be read or parsed");
        out.Cat("\n");
      }
      break;
    case Format::kJson: {
      out.Cat("{\n  \"files\": [");
      for (std::size_t i = 0; i < results.size(); ++i) {
        const FileResult& r = results[i];
        out.Cat(i == 0 ? "\n" : ",\n", "    {\"file\": ", JsonString(r.file),
                ", \"loaded\": ", JsonBool(r.loaded));
        if (!r.loaded) {
          out.Cat(", \"load_error\": ", JsonString(r.load_error), "}");
          continue;
        }
        out.Cat(", \"valid\": ", JsonBool(r.counts.errors == 0), ", \"errors\": ", r.counts.errors,
                ", \"warnings\": ", r.counts.warnings, ", \"infos\": ", r.counts.infos,
                ", \"findings\": [");
        for (std::size_t j = 0; j < r.findings.size(); ++j) {
          const Finding& f = r.findings[j];
          out.Cat(j == 0 ? "\n" : ",\n",
                  "      {\"severity\": ", JsonString(SeverityName(f.severity)),
                  ", \"severity_title\": ", JsonString(SeverityTitle(f.severity, lang)),
                  ", \"code\": ", JsonString(f.code),
                  ", \"title\": ", JsonString(FindingTitle(f.code, lang)),
                  ", \"purpose\": ", JsonString(f.purpose_id), ", \"field\": ", JsonString(f.field),
                  ", \"file\": ", JsonString(f.file), ", \"line\": ", f.line,
                  ", \"message\": ", JsonString(f.message), "}");
        }
        out.Cat(r.findings.empty() ? "]}" : "\n    ]}");
      }
      out.Cat(results.empty() ? "],\n" : "\n  ],\n", "  \"summary\": {\"files\": ", results.size(),
              ", \"unreadable\": ", unreadable, ", \"errors\": ", total.errors,
              ", \"warnings\": ", total.warnings, ", \"infos\": ", total.infos, "}\n}\n");
      break;
    }
    case Format::kCsv:
      out.Put(CsvRow({"file", "line", "severity", "code", "purpose", "field", "message", "title"}));
      for (const FileResult& r : results) {
        if (!r.loaded) {
          out.Put(CsvRow({r.file, "", "fatal", "load-error", "", "", r.load_error, ""}));
          continue;
        }
        for (const Finding& f : r.findings) {
          out.Put(CsvRow({f.file.empty() ? r.file : f.file, f.line > 0 ? Str(f.line) : "",
                          std::string(SeverityName(f.severity)), f.code, f.purpose_id, f.field,
                          f.message, std::string(FindingTitle(f.code, lang))}));
        }
      }
      break;
  }
  if (!out.FlushTo(stdout)) {
    PrintError("cannot write to standard output");
    return kExitUsage;
  }
  if (unreadable > 0) return kExitUsage;
  return total.errors > 0 ? kExitFindings : kExitOk;
}

// ---------------------------------------------------------------------------
// policy rights
// ---------------------------------------------------------------------------

struct PurposeRights {
  const Purpose* purpose;
  std::vector<RightAssessment> rights;
};

// Loads the single FILE operand; on failure prints the error and returns null.
std::shared_ptr<const Policy> LoadSingle(const Invocation& inv) {
  absl::StatusOr<std::shared_ptr<const Policy>> policy = LoadPolicyArg(inv.operands.front());
  if (!policy.ok()) {
    PrintError(LoadErrorMessage(inv.operands.front(), policy.status()));
    return nullptr;
  }
  return *std::move(policy);
}

void NoteIfInvalid(const Policy& policy, const std::string& arg) {
  int errors = 0;
  for (const Finding& f : policy.Validate()) errors += f.severity == Severity::kError ? 1 : 0;
  if (errors > 0) {
    PrintNote(Str(Plain(policy.source_name()), " has ", Plural(errors, "validation error"),
                  "; the rights follow from the bases as written (see 'gdprkit policy "
                  "check ",
                  Plain(arg), "')"));
  }
}

int RunPolicyRights(const Invocation& inv) {
  const std::optional<Titles> titles = TitlesOf(inv, "policy rights");
  if (!titles.has_value()) return kExitUsage;
  const Language lang = titles->language;
  std::shared_ptr<const Policy> policy = LoadSingle(inv);
  if (policy == nullptr) return kExitUsage;

  std::vector<PurposeRights> table;
  if (inv.Has("--purpose")) {
    const std::string id = inv.Get("--purpose");
    absl::StatusOr<std::vector<RightAssessment>> rights = policy->Rights(id);
    if (!rights.ok()) {
      PrintError(Plain(MessageOf(rights.status())));
      return kExitUsage;
    }
    table.push_back({policy->FindPurpose(id), *std::move(rights)});
  } else {
    for (const Purpose& p : policy->purposes()) {
      absl::StatusOr<std::vector<RightAssessment>> rights = policy->Rights(p.id);
      if (!rights.ok()) {  // Duplicate or empty ids: Rights() finds the first.
        PrintError(Plain(MessageOf(rights.status())));
        return kExitUsage;
      }
      table.push_back({&p, *std::move(rights)});
    }
  }
  NoteIfInvalid(*policy, inv.operands.front());

  Output out;
  switch (inv.OutputFormat()) {
    case Format::kText: {
      std::size_t id_width = DisplayWidth("purpose");
      for (const PurposeRights& pr : table) {
        id_width = std::max(id_width, DisplayWidth(Plain(pr.purpose->id)));
      }
      out.Cat("Data-subject rights per purpose: ", Plain(policy->source_name()), "\n\n");
      // Columns of width 4 ("A7-3"), two spaces apart; no trailing blanks.
      std::string head = PadRight("purpose", id_width);
      for (const RightInfo& r : kRights) Append(&head, "  ", PadRight(r.code, 4));
      out.Cat(TrimRight(head), "\n");
      for (const PurposeRights& pr : table) {
        std::string row = PadRight(Plain(pr.purpose->id), id_width);
        for (const RightAssessment& a : pr.rights) {
          Append(&row, "  ", PadRight(a.applies ? "yes" : "no", 4));
        }
        out.Cat(TrimRight(row), "\n");
      }
      bool any_no = false;
      for (const PurposeRights& pr : table) {
        for (const RightAssessment& a : pr.rights) any_no = any_no || !a.applies;
      }
      if (titles->in_text) {
        out.Cat("\nRights:\n");
        for (const RightInfo& r : kRights) {
          out.Cat("  ", PadRight(r.code, 5), r.TitleIn(lang), "\n");
        }
      }
      if (any_no) out.Cat("\nWhere a right does not apply:\n");
      for (const PurposeRights& pr : table) {
        bool header = false;
        for (const RightAssessment& a : pr.rights) {
          if (a.applies) continue;
          if (!header) {
            out.Cat("  ", Plain(pr.purpose->id), " (basis: ",
                    pr.purpose->basis.empty() ? std::string("none recorded")
                                              : Plain(Join(pr.purpose->basis, ", ")),
                    ")\n");
            header = true;
          }
          out.Cat("    ", PadRight(GetRightInfo(a.right).code, 5), Plain(a.reason), "\n");
        }
      }
      break;
    }
    case Format::kJson: {
      out.Cat("{\n  \"file\": ", JsonString(policy->source_name()), ",\n  \"purposes\": [");
      for (std::size_t i = 0; i < table.size(); ++i) {
        const PurposeRights& pr = table[i];
        out.Cat(i == 0 ? "\n" : ",\n", "    {\"id\": ", JsonString(pr.purpose->id),
                ", \"title\": ", JsonString(pr.purpose->title),
                ", \"basis\": ", JsonStringArray(pr.purpose->basis), ", \"rights\": [");
        for (std::size_t j = 0; j < pr.rights.size(); ++j) {
          const RightAssessment& a = pr.rights[j];
          const RightInfo& info = GetRightInfo(a.right);
          out.Cat(j == 0 ? "\n" : ",\n", "      {\"right\": ", JsonString(info.code),
                  ", \"title\": ", JsonString(info.TitleIn(lang)),
                  ", \"applies\": ", JsonBool(a.applies), ", \"reason\": ", JsonString(a.reason),
                  "}");
        }
        out.Cat("\n    ]}");
      }
      out.Cat(table.empty() ? "]\n}\n" : "\n  ]\n}\n");
      break;
    }
    case Format::kCsv:
      out.Put(CsvRow({"purpose", "right", "applies", "reason", "title"}));
      for (const PurposeRights& pr : table) {
        for (const RightAssessment& a : pr.rights) {
          const RightInfo& info = GetRightInfo(a.right);
          out.Put(CsvRow({pr.purpose->id, std::string(info.code), a.applies ? "yes" : "no",
                          a.reason, std::string(info.TitleIn(lang))}));
        }
      }
      break;
  }
  if (!out.FlushTo(stdout)) {
    PrintError("cannot write to standard output");
    return kExitUsage;
  }
  return kExitOk;
}

// ---------------------------------------------------------------------------
// policy purposes
// ---------------------------------------------------------------------------

int RunPolicyPurposes(const Invocation& inv) {
  const std::optional<Titles> titles = TitlesOf(inv, "policy purposes");
  if (!titles.has_value()) return kExitUsage;
  const Language lang = titles->language;
  std::shared_ptr<const Policy> policy = LoadSingle(inv);
  if (policy == nullptr) return kExitUsage;

  Output out;
  switch (inv.OutputFormat()) {
    case Format::kText: {
      std::size_t id_width = DisplayWidth("purpose");
      std::size_t basis_width = DisplayWidth("basis");
      std::vector<std::string> bases;
      for (const Purpose& p : policy->purposes()) {
        id_width = std::max(id_width, DisplayWidth(Plain(p.id)));
        bases.push_back(p.basis.empty() ? "(none)" : Plain(Join(p.basis, ", ")));
        basis_width = std::max(basis_width, DisplayWidth(bases.back()));
      }
      out.Cat("Purposes: ", Plain(policy->source_name()));
      if (!policy->controller().name.empty()) {
        out.Cat(" (controller: ", Plain(policy->controller().name), ")");
      }
      out.Cat("\n\n", PadRight("purpose", id_width), "  ", PadRight("basis", basis_width),
              "  title\n");
      for (std::size_t i = 0; i < policy->purposes().size(); ++i) {
        const Purpose& p = policy->purposes()[i];
        out.Cat(TrimRight(Str(PadRight(Plain(p.id), id_width), "  ",
                              PadRight(bases[i], basis_width), "  ", Plain(p.title))),
                "\n");
        if (!titles->in_text) continue;
        for (const std::string& code : p.basis) {
          const std::string title = policy->BasisTitle(code, lang);
          if (!title.empty()) out.Cat("    ", Plain(code), ": ", Plain(title), "\n");
        }
      }
      out.Cat("\n", Plural(static_cast<int>(policy->purposes().size()), "purpose"), "\n");
      break;
    }
    case Format::kJson: {
      out.Cat("{\n  \"file\": ", JsonString(policy->source_name()),
              ",\n  \"controller\": ", JsonString(policy->controller().name),
              ",\n  \"purposes\": [");
      for (std::size_t i = 0; i < policy->purposes().size(); ++i) {
        const Purpose& p = policy->purposes()[i];
        std::vector<std::string> titles;
        for (const std::string& code : p.basis) titles.push_back(policy->BasisTitle(code, lang));
        out.Cat(i == 0 ? "\n" : ",\n", "    {\"id\": ", JsonString(p.id),
                ", \"title\": ", JsonString(p.title), ", \"line\": ", p.line,
                ", \"basis\": ", JsonStringArray(p.basis),
                ", \"basis_titles\": ", JsonStringArray(titles),
                ", \"categories\": ", JsonStringArray(p.categories),
                ", \"retention\": ", JsonString(p.retention), "}");
      }
      out.Cat(policy->purposes().empty() ? "]\n}\n" : "\n  ]\n}\n");
      break;
    }
    case Format::kCsv:
      out.Put(CsvRow({"purpose", "basis", "title", "retention", "line", "basis_titles"}));
      for (const Purpose& p : policy->purposes()) {
        std::vector<std::string> basis_titles;
        for (const std::string& code : p.basis) {
          basis_titles.push_back(policy->BasisTitle(code, lang));
        }
        out.Put(CsvRow({p.id, Join(p.basis, " "), p.title, p.retention,
                        p.line > 0 ? Str(p.line) : "", Join(basis_titles, "; ")}));
      }
      break;
  }
  if (!out.FlushTo(stdout)) {
    PrintError("cannot write to standard output");
    return kExitUsage;
  }
  return kExitOk;
}

// ---------------------------------------------------------------------------
// policy releases
// ---------------------------------------------------------------------------

std::string ReleaseShape(const Release& r) {
  return r.table.has_value() == r.extract.has_value() ? "invalid"
         : r.table.has_value()                        ? "table"
                                                      : "extract";
}

// What a column names beyond its treatment: "kind=cpr domain=d hierarchy=h level=1 free_text".
std::string ColumnDetails(const ReleaseColumn& c) {
  std::vector<std::string> parts;
  if (!c.kind.empty()) parts.push_back(Str("kind=", c.kind));
  if (!c.domain.empty()) parts.push_back(Str("domain=", c.domain));
  if (!c.hierarchy.empty()) parts.push_back(Str("hierarchy=", c.hierarchy));
  if (c.level.has_value()) parts.push_back(Str("level=", *c.level));
  if (c.free_text) parts.push_back("free_text");
  return Join(parts, " ");
}

// The primary rules as the fields that are set: "threshold=5 dominance=1:80 p_percent=10".
std::string RulesDetails(const Release& r) {
  if (!r.rules.has_value()) return r.table.has_value() ? "(suppression defaults)" : "";
  const ReleasePrimaryRules& rules = *r.rules;
  std::vector<std::string> parts;
  if (rules.threshold.has_value()) parts.push_back(Str("threshold=", *rules.threshold));
  for (const ReleaseDominanceRule& d : rules.dominance) {
    parts.push_back(absl::StrCat("dominance=", d.n, ":", d.k));
  }
  if (rules.p_percent != 0) parts.push_back(absl::StrCat("p_percent=", rules.p_percent));
  if (rules.q_percent.has_value()) parts.push_back(absl::StrCat("q_percent=", *rules.q_percent));
  if (rules.protect_zeros) parts.push_back("protect_zeros");
  return Join(parts, " ");
}

std::string HierarchySource(const Release& r, const std::string& name) {
  const ReleaseHierarchy* h = r.FindHierarchy(name);
  if (h == nullptr) return name;
  return h->file.empty() ? Str(name, " (", h->codes.size(), " codes inline)")
                         : Str(name, " (", h->file, ")");
}

std::vector<std::string> DimensionTexts(const Release& r) {
  std::vector<std::string> out;
  if (!r.table.has_value()) return out;
  for (const ReleaseDimension& d : r.table->dimensions) {
    out.push_back(d.hierarchy.empty() ? d.column
                                      : Str(d.column, " by ", HierarchySource(r, d.hierarchy)));
  }
  return out;
}

int RunPolicyReleases(const Invocation& inv) {
  const std::optional<Titles> titles = TitlesOf(inv, "policy releases");
  if (!titles.has_value()) return kExitUsage;
  const Language lang = titles->language;
  std::shared_ptr<const Policy> policy = LoadSingle(inv);
  if (policy == nullptr) return kExitUsage;
  const auto releases = policy->releases();

  Output out;
  switch (inv.OutputFormat()) {
    case Format::kText: {
      out.Cat("Releases: ", Plain(policy->source_name()), "\n");
      for (const Release& r : releases) {
        out.Cat("\n", Plain(r.id.empty() ? "(no id)" : r.id), " (", ReleaseShape(r), "; purpose ",
                Plain(r.purpose), r.line > 0 ? Str("; line ", r.line) : "", ")\n");
        if (!r.title.empty()) out.Cat("  ", Plain(r.title), "\n");
        std::size_t width = DisplayWidth("column");
        for (const ReleaseColumn& c : r.columns)
          width = std::max(width, DisplayWidth(Plain(c.name)));
        for (const ReleaseColumn& c : r.columns) {
          const std::string treatment = titles->in_text
                                            ? std::string(ColumnTreatmentTitle(c.treatment, lang))
                                            : std::string(ColumnTreatmentName(c.treatment));
          out.Cat(TrimRight(Str("  ", PadRight(Plain(c.name), width), "  ", PadRight(treatment, 14),
                                "  ", Plain(ColumnDetails(c)))),
                  "\n");
        }
        if (r.table.has_value()) {
          out.Cat("  table: ", Plain(Join(DimensionTexts(r), " x ")),
                  "; value: ", r.table->value.empty() ? "count of rows" : Plain(r.table->value),
                  "\n");
          out.Cat("  rules: ", RulesDetails(r), "\n");
        }
        if (r.extract.has_value()) {
          out.Cat("  extract: quasi-identifiers ", Plain(Join(r.extract->quasi_identifiers, ", ")),
                  "; k=", r.extract->k.has_value() ? Str(*r.extract->k) : "(none)", "\n");
        }
        if (!r.max_age.empty() || !r.date_column.empty()) {
          out.Cat("  max_age: ", Plain(r.max_age), " over ", Plain(r.date_column), "\n");
        }
      }
      out.Cat("\n", Plural(static_cast<int>(releases.size()), "release"), "\n");
      break;
    }
    case Format::kJson: {
      out.Cat("{\n  \"file\": ", JsonString(policy->source_name()), ",\n  \"releases\": [");
      for (std::size_t i = 0; i < releases.size(); ++i) {
        const Release& r = releases[i];
        out.Cat(i == 0 ? "\n" : ",\n", "    {\"id\": ", JsonString(r.id),
                ", \"title\": ", JsonString(r.title), ", \"purpose\": ", JsonString(r.purpose),
                ", \"line\": ", r.line, ", \"shape\": ", JsonString(ReleaseShape(r)),
                ", \"columns\": [");
        for (std::size_t j = 0; j < r.columns.size(); ++j) {
          const ReleaseColumn& c = r.columns[j];
          out.Cat(j == 0 ? "" : ", ", "{\"name\": ", JsonString(c.name),
                  ", \"treatment\": ", JsonString(ColumnTreatmentName(c.treatment)),
                  ", \"treatment_title\": ", JsonString(ColumnTreatmentTitle(c.treatment, lang)),
                  ", \"details\": ", JsonString(ColumnDetails(c)), "}");
        }
        out.Cat("], \"dimensions\": ", JsonStringArray(DimensionTexts(r)),
                ", \"value\": ", JsonString(r.table.has_value() ? r.table->value : ""),
                ", \"quasi_identifiers\": ",
                JsonStringArray(r.extract.has_value() ? r.extract->quasi_identifiers
                                                      : std::vector<std::string>{}),
                ", \"k\": ",
                r.extract.has_value() && r.extract->k.has_value() ? Str(*r.extract->k) : "null",
                ", \"rules\": ", JsonString(RulesDetails(r)),
                ", \"max_age\": ", JsonString(r.max_age),
                ", \"date_column\": ", JsonString(r.date_column), "}");
      }
      out.Cat(releases.empty() ? "]\n}\n" : "\n  ]\n}\n");
      break;
    }
    case Format::kCsv:
      // One row per column of each release.
      out.Put(CsvRow({"release", "purpose", "shape", "column", "treatment", "treatment_title",
                      "details", "max_age", "date_column", "line"}));
      for (const Release& r : releases) {
        for (const ReleaseColumn& c : r.columns) {
          out.Put(CsvRow({r.id, r.purpose, ReleaseShape(r), c.name,
                          std::string(ColumnTreatmentName(c.treatment)),
                          std::string(ColumnTreatmentTitle(c.treatment, lang)), ColumnDetails(c),
                          r.max_age, r.date_column, r.line > 0 ? Str(r.line) : ""}));
        }
      }
      break;
  }
  if (!out.FlushTo(stdout)) {
    PrintError("cannot write to standard output");
    return kExitUsage;
  }
  return kExitOk;
}

// ---------------------------------------------------------------------------
// version, help
// ---------------------------------------------------------------------------

int RunVersion(const Invocation&) {
  Output out;
  out.Cat("gdprkit ", GDPRKIT_VERSION, "\n");
  if (!out.FlushTo(stdout)) {
    PrintError("cannot write to standard output");
    return kExitUsage;
  }
  return kExitOk;
}

// `help`, `help policy`, `help policy check`.
int RunHelp(const Invocation& inv) {
  std::string text;
  const std::vector<std::string>& words = inv.operands;
  if (words.empty()) {
    text = GeneralHelp();
  } else {
    const Command* found = nullptr;
    for (const Command& c : Commands()) {
      const bool match = c.family.empty()
                             ? words.size() == 1 && words[0] == c.name
                             : words.size() == 2 && words[0] == c.family && words[1] == c.name;
      if (match) found = &c;
    }
    const std::vector<std::string_view> families = Families();
    if (found != nullptr) {
      text = CommandHelp(*found);
    } else if (words.size() == 1 &&
               std::find(families.begin(), families.end(), words[0]) != families.end()) {
      text = FamilyHelp(words[0]);
    } else {
      return UsageError(Str("no help for '", Plain(Join(words, " ")), "': no such command"), "");
    }
  }
  std::fputs(text.c_str(), stdout);
  return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
}

}  // namespace

const std::vector<Command>& Commands() {
  static std::vector<Command>* const kCommands = new std::vector<Command>{
      {"policy",
       "check",
       "FILE...",
       1,
       kUnlimited,
       "Validate policy files and print what a DPO would flag",
       "Loads each policy file (protobuf text format or JSON) and prints its findings: severity,\n"
       "code, the purpose concerned, file:line and a message, then a summary per file. Exits 0\n"
       "when no file has errors (warnings and infos are allowed), 1 when any file has errors,\n"
       "2 when a file cannot be read or parsed. Finding codes: docs/policy.md. With --lang, each\n"
       "finding also shows its title in that language (messages stay English); JSON and CSV\n"
       "give the titles beside the codes.",
       {FormatOption(), LanguageOption()},
       RunPolicyCheck},
      {"policy",
       "rights",
       "FILE",
       1,
       1,
       "Data-subject rights (A13-A22, A7-3) per purpose, with reasons",
       "Prints a table of purposes by rights with yes/no, then the legal reason for each 'no'.\n"
       "The rights follow from each purpose's legal bases, sources and automated decisions.\n"
       "With --lang, the rights' titles are listed in that language (reasons stay English).",
       {{"--purpose", "ID", {}, "only this purpose"}, FormatOption(), LanguageOption()},
       RunPolicyRights},
      {"policy",
       "purposes",
       "FILE",
       1,
       1,
       "List purposes with their legal bases and titles",
       "With --lang, the text output also lists each basis code's title in that language.",
       {FormatOption(), LanguageOption()},
       RunPolicyPurposes},
      {"policy",
       "releases",
       "FILE",
       1,
       1,
       "List release rules: each column's treatment, the table or extract, rules, max age",
       "What the policy lets leave (docs/policy.md, 'Release rules'). With --lang, text output\n"
       "shows the treatments' titles in that language; JSON and CSV carry them beside the names.\n"
       "Run 'gdprkit policy check' for what is wrong with them.",
       {FormatOption(), LanguageOption()},
       RunPolicyReleases},
      {"", "version", "", 0, 0, "Print the version", "", {}, RunVersion},
      {"", "help", "[COMMAND...]", 0, 2, "Show help for a command", "", {}, RunHelp},
  };
  static const bool kFamiliesAdded = [] {
    for (auto* family : {&RetentionCommands, &SuppressionCommands, &VaultCommands, &ScanCommands,
                         &ReleaseCommands, &ConsentCommands, &RequestCommands}) {
      for (Command& c : family()) kCommands->push_back(std::move(c));
    }
    return true;
  }();
  (void)kFamiliesAdded;
  return *kCommands;
}

namespace {

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + (argc > 0 ? argc : 0));
  if (args.empty()) {
    std::fputs(GeneralHelp().c_str(), stderr);
    return kExitUsage;
  }
  if (args[0] == "-h" || args[0] == "--help") return RunHelp(Invocation{});
  if (args[0] == "--version") return RunVersion(Invocation{});

  const std::vector<std::string_view> families = Families();
  const bool is_family = std::find(families.begin(), families.end(), args[0]) != families.end();
  const Command* command = nullptr;
  std::size_t consumed = 1;
  if (is_family) {
    if (args.size() < 2) {
      PrintError(Str("'gdprkit ", args[0], "' needs a command"));
      std::fputs(FamilyHelp(args[0]).c_str(), stderr);
      return kExitUsage;
    }
    if (args[1] == "-h" || args[1] == "--help") {
      std::fputs(FamilyHelp(args[0]).c_str(), stdout);
      return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
    }
    std::vector<std::string_view> names;
    for (const Command& c : Commands()) {
      if (c.family != args[0]) continue;
      names.push_back(c.name);
      if (SameName(c.name, args[1])) command = &c;
    }
    if (command == nullptr) {
      return UsageError(Str("unknown command 'gdprkit ", args[0], " ", Plain(args[1]), "'",
                            internal::DidYouMeanTypo(args[1], names)),
                        Str(args[0], " "));
    }
    consumed = 2;
  } else {
    std::vector<std::string_view> names;
    for (const Command& c : Commands()) {
      names.push_back(c.family.empty() ? c.name : c.family);
      if (c.family.empty() && SameName(c.name, args[0])) command = &c;
    }
    if (command == nullptr) {
      return UsageError(
          Str("unknown command '", Plain(args[0]), "'", internal::DidYouMeanTypo(args[0], names)),
          "");
    }
  }

  Invocation inv;
  const std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(consumed),
                                      args.end());
  if (const int code = ParseInvocation(*command, rest, &inv); code >= 0) return code;
  return command->run(inv);
}

}  // namespace
}  // namespace gdprkit::cli

int main(int argc, char** argv) {
  try {
    return gdprkit::cli::Main(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("gdprkit: error: out of memory\n", stderr);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gdprkit: internal error: %s\n", e.what());
  } catch (...) {
    std::fputs("gdprkit: internal error\n", stderr);
  }
  return gdprkit::cli::kExitInternal;
}
