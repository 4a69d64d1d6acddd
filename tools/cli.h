// Shared by the command-line tool's files: gdprkit_main.cc (the dispatcher,
// `policy`, `version`, `help`) and one file per command family
// (retention_commands.cc, suppression_commands.cc, vault_commands.cc), each
// returning its entries of the command table. See the top of gdprkit_main.cc
// for the exit codes and output conventions every command follows.
#ifndef GDPRKIT_TOOLS_CLI_H_
#define GDPRKIT_TOOLS_CLI_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gdprkit/common.h"
#include "gdprkit/consent.h"
#include "gdprkit/policy.h"

namespace gdprkit::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFindings = 1,
  kExitUsage = 2,
  kExitInternal = 3,
};

// ---------------------------------------------------------------------------
// String building. (Abseil's StrCat is not used: the system Abseil may have
// its own string_view, distinct from std::string_view.)
// ---------------------------------------------------------------------------

inline void AppendOne(std::string* s, std::string_view v) { s->append(v.data(), v.size()); }
inline void AppendOne(std::string* s, const char* v) { s->append(v); }
inline void AppendOne(std::string* s, const std::string& v) { s->append(v); }
template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                           !std::is_same_v<T, char>,
                                       int> = 0>
inline void AppendOne(std::string* s, T v) {
  s->append(std::to_string(v));
}

template <typename... Args>
void Append(std::string* s, const Args&... args) {
  (AppendOne(s, args), ...);
}

template <typename... Args>
std::string Str(const Args&... args) {
  std::string s;
  Append(&s, args...);
  return s;
}

template <typename Container>
std::string Join(const Container& items, std::string_view sep) {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) AppendOne(&out, sep);
    AppendOne(&out, item);
    first = false;
  }
  return out;
}

// The message of a status as a std::string.
inline std::string MessageOf(const absl::Status& status) {
  return std::string(status.message().data(), status.message().size());
}

// ---------------------------------------------------------------------------
// Output: everything is collected in memory and written once, so that a write
// error (a closed pipe, a full disk) is noticed and reported.
// ---------------------------------------------------------------------------

class Output {
 public:
  void Put(std::string_view s) { out_.append(s.data(), s.size()); }
  template <typename... Args>
  void Cat(const Args&... args) {
    cli::Append(&out_, args...);
  }
  // Writes the collected text to `stream`; false on a write error.
  bool FlushTo(std::FILE* stream) {
    const bool ok = out_.empty() || std::fwrite(out_.data(), 1, out_.size(), stream) == out_.size();
    out_.clear();
    return std::fflush(stream) == 0 && ok && !std::ferror(stream);
  }

 private:
  std::string out_;
};

inline void PrintError(std::string_view message) {
  std::fprintf(stderr, "gdprkit: error: %.*s\n", static_cast<int>(message.size()), message.data());
}

inline void PrintNote(std::string_view message) {
  std::fprintf(stderr, "gdprkit: note: %.*s\n", static_cast<int>(message.size()), message.data());
}

// ---------------------------------------------------------------------------
// Escaping for the three output formats.
// ---------------------------------------------------------------------------

// Text output: control characters (which a policy file may contain as
// escapes) are shown as '?', so they cannot move the cursor or recolour the
// terminal; tabs and newlines become spaces.
inline std::string Plain(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\t' || c == '\r') {
      out.push_back(' ');
    } else if (u < 0x20 || u == 0x7f) {
      out.push_back('?');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// A JSON string literal. The input is UTF-8 (the parsers check it), which
// JSON carries as is; only quotes, backslashes and control characters are
// escaped.
inline std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

inline std::string JsonBool(bool b) { return b ? "true" : "false"; }

inline std::string JsonStringArray(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  quoted.reserve(items.size());
  for (const std::string& s : items) quoted.push_back(JsonString(s));
  return Str("[", Join(quoted, ", "), "]");
}

// A CSV row (RFC 4180) with commas, ending in CRLF: CsvRowWith(fields, ',')
// of cli_csv.h.
std::string CsvRow(const std::vector<std::string>& fields);

// Display width of UTF-8 text in a terminal, counted in code points.
inline std::size_t DisplayWidth(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++n;
  }
  return n;
}

inline std::string TrimRight(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

inline std::string PadRight(std::string_view s, std::size_t width) {
  std::string out(s);
  for (std::size_t w = DisplayWidth(s); w < width; ++w) out.push_back(' ');
  return out;
}

// ---------------------------------------------------------------------------
// The command table and the argument parser.
// ---------------------------------------------------------------------------

enum class Format { kText, kJson, kCsv };

struct OptionSpec {
  std::string_view name;                  // "--format"
  std::string_view value_name;            // "FORMAT"; empty for a flag without a value
  std::vector<std::string_view> choices;  // allowed values; empty: any
  std::string_view help;
  // Older or other names of the option ("--type" for "--kind"), accepted
  // and stored under `name`. Both spellings of -ise/-ize names are accepted
  // without an alias, in option names, values of `choices` and commands.
  std::vector<std::string_view> aliases = {};
  // May be given more than once (`--purpose a --purpose b`): Get gives the
  // first value, Invocation::GetAll every value in order.
  bool repeatable = false;
};

// The parsed command line of one command.
struct Invocation {
  std::vector<std::string> operands;
  std::map<std::string, std::string, std::less<>> options;    // name -> value ("" for flags)
  std::vector<std::pair<std::string, std::string>> repeated;  // repeatable options, in order

  bool Has(std::string_view name) const { return options.find(name) != options.end(); }
  std::string Get(std::string_view name, std::string_view fallback = "") const {
    auto it = options.find(name);
    return it == options.end() ? std::string(fallback) : it->second;
  }
  std::vector<std::string> GetAll(std::string_view name) const {
    std::vector<std::string> values;
    for (const auto& [n, v] : repeated) {
      if (n == name) values.push_back(v);
    }
    return values;
  }
  Format OutputFormat() const {
    const std::string f = Get("--format", "text");
    return f == "json" ? Format::kJson : f == "csv" ? Format::kCsv : Format::kText;
  }
};

struct Command {
  std::string_view family;    // "policy"; empty for a top-level command
  std::string_view name;      // "check"
  std::string_view operands;  // "FILE..." as shown in the usage line
  std::size_t min_operands;
  std::size_t max_operands;  // kUnlimited for "FILE..."
  std::string_view summary;  // one line, for the command list
  std::string_view details;  // paragraphs for `help COMMAND`
  std::vector<OptionSpec> options;
  int (*run)(const Invocation&);
};

constexpr std::size_t kUnlimited = static_cast<std::size_t>(-1);

inline std::string FullName(const Command& c) {
  return c.family.empty() ? std::string(c.name) : Str(c.family, " ", c.name);
}

// Every command: those of gdprkit_main.cc (policy, version, help) followed by
// each family's, from tools/<family>_commands.cc.
const std::vector<Command>& Commands();
std::vector<Command> RetentionCommands();
std::vector<Command> SuppressionCommands();
std::vector<Command> VaultCommands();
std::vector<Command> ScanCommands();
std::vector<Command> ReleaseCommands();  // check, prepare, verify, show, digest
std::vector<Command> ConsentCommands();  // create, record, states, withdrawals, verify, receipt
std::vector<Command> RequestCommands();  // deadline, create, receive, ..., decide

// The --format option shared by the policy commands.
inline OptionSpec FormatOption() {
  return {
      "--format", "FORMAT", {"text", "json", "csv"}, "output format: text (default), json or csv"};
}

// --lang LANG: the language of titles (gdprkit/common.h). Every command that
// prints titles of legal bases, rights, findings, statuses or reasons offers
// it; the names come from the core.
inline OptionSpec LanguageOption() {
  static const std::string help =
      Str("language of titles: ", Join(LanguageNames(), " or "), " (default en)");
  return {"--lang", "LANG", {}, help};
}

// The --lang of `inv` (English when absent); the core's message, prefixed
// with "--lang: ", for an unknown name.
inline absl::StatusOr<Language> LanguageOf(const Invocation& inv) {
  absl::StatusOr<Language> language = ParseLanguage(inv.Get("--lang", "en"));
  if (!language.ok()) {
    return absl::InvalidArgumentError(Str("--lang: ", MessageOf(language.status())));
  }
  return language;
}

// --errors MODE: what a batch command does with a rejected row, in the core's
// words (raise, coerce, report; gdprkit/common.h), `help` saying what each
// does for this command.
inline OptionSpec ErrorsOption(std::string_view help) { return {"--errors", "MODE", {}, help}; }

// The --errors of `inv` (raise when absent), which must be one of `allowed`.
inline absl::StatusOr<ErrorMode> ErrorModeOf(const Invocation& inv,
                                             const std::vector<ErrorMode>& allowed) {
  absl::StatusOr<ErrorMode> mode = ParseErrorMode(inv.Get("--errors", "raise"));
  if (!mode.ok()) return absl::InvalidArgumentError(Str("--errors: ", MessageOf(mode.status())));
  for (ErrorMode a : allowed) {
    if (a == *mode) return mode;
  }
  std::vector<std::string> names;
  for (ErrorMode a : allowed) names.push_back(Str("\"", ErrorModeName(a), "\""));
  return absl::InvalidArgumentError(
      Str("--errors: \"", ErrorModeName(*mode),
          "\" is not supported by this command; valid: ", Join(names, ", ")));
}

// --progress: a line per stage on standard error when it starts and when it
// ends ("gdprkit: audit 0/24", then "gdprkit: audit 24/24"), for the commands
// whose core call reports progress (gdprkit/common.h).
inline OptionSpec ProgressOption() {
  return {"--progress", "", {}, "print each stage's start and end on standard error"};
}
inline bool ProgressLine(const Progress& p) {
  static thread_local std::string last;  // an empty stage reports 0/0 twice
  if (p.done == 0 || p.done == p.total) {
    const std::string line = Str("gdprkit: ", p.stage, " ", p.done, "/", p.total, "\n");
    if (line != last) std::fputs(line.c_str(), stderr);
    last = line;
  }
  return true;
}
// The progress callback a command's --progress asks for (empty without it).
inline ProgressFn ProgressOf(const Invocation& inv) {
  return inv.Has("--progress") ? ProgressFn(ProgressLine) : ProgressFn();
}

// Loads a policy named on the command line; "-" is standard input.
absl::StatusOr<std::shared_ptr<const Policy>> LoadPolicyArg(const std::string& arg);

// The message of a load error, naming the file when the library's message
// does not already.
std::string LoadErrorMessage(const std::string& arg, const absl::Status& status);

// Prints "gdprkit: error: <message>" and a hint to run help; returns kExitUsage.
int UsageError(std::string_view message, std::string_view help_hint);

// A secret key from --key-file FILE (16-64 bytes), wiped when dropped
// (retention_commands.cc): the deletion log's, the consent ledger's and the
// request register's keys. Never on the command line.
class KeyFile {
 public:
  KeyFile() = default;
  ~KeyFile();
  KeyFile(const KeyFile&) = delete;
  KeyFile& operator=(const KeyFile&) = delete;
  // Loads --key-file if given (nothing when it is not); InvalidArgument
  // naming the option for an unreadable file or a key of the wrong size.
  absl::Status Load(const Invocation& inv);
  std::string_view view() const { return key_; }

 private:
  std::string key_;
};

// `gdprkit consent verify` / `gdprkit request verify` (consent_commands.cc):
// prints the verification of the store at inv.operands[0] (text or JSON, its
// id under `json_id_key`; the text names the id when text_names_id) and
// returns the exit code. `opened` is the status of opening the store, which
// verifies the whole chain: DataLoss there is the finding "broken".
int PrintStoreVerification(const Invocation& inv, const absl::Status& opened,
                           const std::function<absl::StatusOr<ConsentVerification>()>& verify,
                           std::string_view json_id_key, bool text_names_id);

}  // namespace gdprkit::cli

#endif  // GDPRKIT_TOOLS_CLI_H_
