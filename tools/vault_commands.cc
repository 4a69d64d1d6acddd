// `gdprkit vault ...` and `gdprkit id ...`: identifiers and the pseudonymisation vault.
//
//   gdprkit id check --kind cpr [FILE] [--lang da]   one problem code per line; exit 1 if any
//     (id check, pseudonymise, tokenise and erase take --as-of DATE and
//     --allow-future: CPR numbers born after DATE, by default today in
//     Denmark, are rejected as future_birth_date unless --allow-future)
//   gdprkit vault create VAULT [--domain A,B [--scheme S]]   a new vault file
//   gdprkit vault add-domain VAULT NAME [--scheme S]  S: chacha20 (default) or blake2b
//   gdprkit vault domains VAULT [--format text|json|csv]   list the domains (read-only)
//   gdprkit vault pseudonymise VAULT [FILE] --domain D [--kind cpr] [--column C]
//     (--kind has the older name --type; the batch commands take --errors
//     raise|coerce|report and --lang for the reasons they print)
//   gdprkit vault tokenise VAULT [FILE] --domain D ...
//   gdprkit vault reidentify VAULT [FILE] --domain D --reason R
//   gdprkit vault translate VAULT [FILE] --from A --to B --reason R [--target token|pseudonym]
//   gdprkit vault erase VAULT [FILE] --reason R       erase each identifier in FILE
//   gdprkit vault checkpoint VAULT [--wait S]         truncate the write-ahead log
//   gdprkit vault rotate VAULT --reason R
//   gdprkit vault rekey VAULT --reason R             finish an interrupted rotation
//   gdprkit vault verify-audit VAULT
//   gdprkit vault backup VAULT DEST                  online copy to a new file (mode 0600)
//   gdprkit vault export-key VAULT --domain D --reason R --output FILE   (mode 0600, new file)
//   gdprkit pseudonymise [FILE] --exported-key KEYFILE [--kind cpr] [--column C]   no vault
//
// Input: FILE, or standard input when FILE is absent or "-": one value per
// line, or with --column a CSV file with a header whose column NAME (or
// 1-based number) holds the values; the output is then the same CSV with
// that column replaced. CSV is read by tools/cli_csv.h as every command reads
// it: a UTF-8 byte-order mark is skipped (and kept in the output), the
// delimiter (comma, semicolon or tab) is detected from the header unless
// --delimiter names it, ragged rows are errors. Rejected rows are named by
// line, never by value.
//
// The passphrase never comes from the command line (where `ps` shows it):
// --passphrase-env VAR names an environment variable, --passphrase-file FILE
// a file (its first line), and otherwise it is asked on the terminal without
// echo. A host key (32 bytes) comes from --key-file FILE (raw bytes or 64 hex
// digits). Secrets are wiped after use. A missing, unreadable or directory
// secret file gets its own message, and one other users can read a warning.
//
// An exported pseudonym key (vault export-key) is a secret too: it goes only
// to a new file of mode 0600, never to standard output or over an existing
// file, and `gdprkit pseudonymise --exported-key FILE` reads it back without
// ever printing it. That command is top-level, like `suppress`, rather than a
// `vault` command: every vault command takes VAULT as its first operand and
// the vault's unlocking options (where --key-file is the vault's host key),
// and this one has no vault.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cli.h"
#include "cli_csv.h"
#include "common/text.h"
#include "gdprkit/identifiers.h"
#include "gdprkit/retention.h"
#include "gdprkit/vault.h"

namespace gdprkit::cli {
namespace {

constexpr std::size_t kMaxInputBytes = std::size_t{4} << 30;  // 4 GiB

// The longest passphrase read from a file or the terminal.
constexpr std::size_t kMaxSecret = 4096;

// A string that wipes itself. Reserve before appending, so that no
// reallocation leaves an unwiped copy behind.
struct SecretString {
  std::string s;
  SecretString() = default;
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  ~SecretString() {
    if (!s.empty()) sodium_memzero(&s[0], s.size());
  }
};

std::string InputName(const Invocation& inv, std::size_t operand) {
  return inv.operands.size() > operand && inv.operands[operand] != "-" ? inv.operands[operand]
                                                                       : "<stdin>";
}

// Lines without their end-of-line; a final line without a newline counts, a
// final empty line does not.
std::vector<std::string_view> SplitLines(std::string_view data) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < data.size()) {
    std::size_t end = data.find('\n', start);
    if (end == std::string_view::npos) end = data.size();
    std::string_view line = data.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

// The values to work on, and how to put the results back.
struct Column {
  // The input bytes; values point into them, so they live on the heap and do
  // not move when the Column does (a short std::string would).
  std::unique_ptr<std::string> data;
  std::vector<std::string_view> values;
  std::vector<std::size_t> lines;  // 1-based line of each value
  std::optional<CsvTable> csv;     // with --column (tools/cli_csv.h)
  std::size_t column = 0;
  std::string name;
};

// Reads FILE (operand `operand`) or standard input: one value per line, or
// with --column a CSV file (tools/cli_csv.h: a byte-order mark, the
// delimiter, quoting and ragged rows as every command treats them).
absl::StatusOr<Column> ReadColumn(const Invocation& inv, std::size_t operand) {
  Column c;
  c.name = InputName(inv, operand);
  if (inv.Has("--delimiter") && !inv.Has("--column")) {
    return absl::InvalidArgumentError(
        "--delimiter applies to CSV input: give --column NAME too (without it, FILE holds one "
        "value per line)");
  }
  const bool use_stdin = inv.operands.size() <= operand || inv.operands[operand] == "-";
  absl::StatusOr<std::string> data =
      ReadFileArg(use_stdin ? std::string("-") : inv.operands[operand], kMaxInputBytes);
  if (!data.ok()) return data.status();
  c.data = std::make_unique<std::string>(std::move(*data));
  if (!inv.Has("--column")) {
    std::string_view text(*c.data);
    StripBom(&text);
    c.values = SplitLines(text);
    c.lines.resize(c.values.size());
    for (std::size_t i = 0; i < c.lines.size(); ++i) c.lines[i] = i + 1;
    return c;
  }
  CsvOptions options;
  options.delimiter = DelimiterArg(inv);
  absl::StatusOr<CsvTable> csv = ReadCsv(*c.data, c.name, options);
  if (!csv.ok()) return csv.status();
  c.data.reset();  // the values point into the records
  if (csv->records.empty()) return absl::InvalidArgumentError(Str(c.name, ": no CSV header"));
  const std::string want = inv.Get("--column");
  const std::vector<std::string>& header = csv->records[0].fields;
  bool found = false;
  for (std::size_t j = 0; j < header.size(); ++j) {
    if (header[j] == want) {
      c.column = j;
      found = true;
      break;
    }
  }
  if (!found) {
    char* end = nullptr;
    const long n = std::strtol(want.c_str(), &end, 10);
    if (!want.empty() && end != nullptr && *end == '\0' && n >= 1 &&
        static_cast<std::size_t>(n) <= header.size()) {
      c.column = static_cast<std::size_t>(n - 1);
      found = true;
    }
  }
  if (!found) {
    // A file without a header has data on its first line: no names shown
    // then that could be identifiers.
    std::vector<std::string> names;
    for (const std::string& h : header) {
      const std::size_t digits = static_cast<std::size_t>(
          std::count_if(h.begin(), h.end(), [](char ch) { return ch >= '0' && ch <= '9'; }));
      names.push_back(digits >= 6 ? std::string("<a value?>") : Plain(h));
    }
    return absl::InvalidArgumentError(
        Str(c.name, ": no column ", internal::QuoteUntrusted(want), " in the CSV header (",
            header.size(), header.size() == 1 ? " column" : " columns", ", ",
            DelimiterName(csv->delimiter), "-separated: ", Join(names, ", "), ")"));
  }
  c.csv = std::move(*csv);
  for (std::size_t r = 1; r < c.csv->records.size(); ++r) {
    const CsvRecord& rec = c.csv->records[r];
    c.values.push_back(rec.fields[c.column]);  // rectangular: every record has the column
    c.lines.push_back(static_cast<std::size_t>(rec.line));
  }
  return c;
}

// Writes `out` (one result per value): lines, JSON, CSV, or the input CSV
// with its column replaced (in the input's delimiter, with its byte-order
// mark if it had one).
int WriteColumn(const Invocation& inv, const Column& c, const StringColumn& out,
                std::string_view header) {
  Output o;
  if (c.csv.has_value()) {
    if (c.csv->bom) o.Put("\xEF\xBB\xBF");  // as the input had it (Excel reads UTF-8 then)
    for (std::size_t r = 0; r < c.csv->records.size(); ++r) {
      const CsvRecord& rec = c.csv->records[r];
      if (r == 0) {
        o.Put(CsvRowWith(rec.fields, c.csv->delimiter));
        continue;
      }
      std::vector<std::string> fields = rec.fields;
      fields[c.column] = std::string(out[r - 1]);
      o.Put(CsvRowWith(fields, c.csv->delimiter));
    }
  } else {
    switch (inv.OutputFormat()) {
      case Format::kText:
        for (std::size_t i = 0; i < out.size(); ++i) o.Cat(out[i], "\n");
        break;
      case Format::kJson:
        o.Put("[");
        for (std::size_t i = 0; i < out.size(); ++i) {
          o.Cat(i == 0 ? "" : ", ", out[i].empty() ? "null" : JsonString(out[i]));
        }
        o.Put("]\n");
        break;
      case Format::kCsv:
        o.Put(CsvRow({"line", std::string(header)}));
        for (std::size_t i = 0; i < out.size(); ++i) {
          o.Put(CsvRow({Str(c.lines[i]), std::string(out[i])}));
        }
        break;
    }
  }
  if (!o.FlushTo(stdout)) {
    PrintError("cannot write to standard output");
    return kExitUsage;
  }
  return kExitOk;
}

// --kind (also --type): the identifier kind (the core's names and aliases);
// cpr when absent.
absl::StatusOr<IdKind> KindOption(const Invocation& inv) {
  absl::StatusOr<IdKind> kind = IdKindFromName(inv.Get("--kind", "cpr"));
  if (!kind.ok()) return absl::InvalidArgumentError(Str("--kind: ", MessageOf(kind.status())));
  return kind;
}

// How identifiers are checked: --allow-future, and --as-of DATE (a date, or a
// time read as its date in Europe/Copenhagen) on which CPR numbers are judged.
// Without --as-of the date is today's in Denmark, read once here for the whole
// run.
absl::StatusOr<IdOptions> IdOptionsArg(const Invocation& inv) {
  IdOptions options;
  options.cpr_allow_future = inv.Has("--allow-future");
  if (inv.Has("--as-of")) {
    absl::StatusOr<DayNumber> day = ParseDateTime(inv.Get("--as-of"), kDefaultTimeZone);
    if (!day.ok()) {
      return absl::InvalidArgumentError(Str("--as-of: ", MessageOf(day.status())));
    }
    const CivilDate d = CivilFromDays(*day);
    options.cpr_as_of = IdDate{d.year, d.month, d.day};
  }
  return ResolveCprAsOf(options);
}

// --scheme: the pseudonym scheme of new domains; the first of the core's
// names (chacha20) when absent. The option's choices are checked when the
// command line is parsed; this is the second line of defence.
absl::StatusOr<PseudonymScheme> SchemeOption(const Invocation& inv) {
  return ParsePseudonymScheme(inv.Get("--scheme", PseudonymSchemeNames().front()));
}

// Prints "<file>:<line>: <kind>: <why> [code]" for rejected rows (the first
// `limit`), in `language`.
void PrintRejections(const Column& c, IdKind kind, const std::vector<IdProblem>& problems,
                     Language language, std::size_t limit = 10) {
  std::size_t shown = 0, total = 0;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    if (problems[i] == IdProblem::kNone) continue;
    ++total;
    if (shown < limit) {
      PrintError(Str(Plain(c.name), ":", c.lines[i], ": ", IdKindTitle(kind, language), ": ",
                     IdProblemText(kind, problems[i], language), " [", IdProblemCode(problems[i]),
                     "]"));
      ++shown;
    }
  }
  if (total > shown) PrintNote(Str(total - shown, " more rejected rows not shown"));
}

// The same for rejected tokens.
void PrintTokenRejections(const Column& c, const std::vector<TokenProblem>& problems,
                          Language language) {
  for (std::size_t i = 0; i < problems.size(); ++i) {
    if (problems[i] == TokenProblem::kNone) continue;
    PrintError(Str(Plain(c.name), ":", c.lines[i], ": ", TokenProblemTitle(problems[i], language),
                   " [", TokenProblemName(problems[i]), "]"));
  }
}

// --errors and --lang of a batch command: raise (default), coerce or report.
struct BatchModes {
  ErrorMode errors = ErrorMode::kRaise;
  Language language = Language::kEnglish;
};
absl::StatusOr<BatchModes> BatchModesOf(const Invocation& inv) {
  BatchModes m;
  absl::StatusOr<ErrorMode> errors =
      ErrorModeOf(inv, {ErrorMode::kRaise, ErrorMode::kCoerce, ErrorMode::kReport});
  if (!errors.ok()) return errors.status();
  absl::StatusOr<Language> language = LanguageOf(inv);
  if (!language.ok()) return language.status();
  m.errors = *errors;
  m.language = *language;
  return m;
}

// Says on standard error what --errors coerce or report did with `rejected`
// rows (report: lists them first, through `list`).
void SayRejected(const BatchModes& m, std::size_t rejected, std::size_t rows,
                 const std::function<void()>& list) {
  if (rejected == 0) return;
  if (m.errors == ErrorMode::kReport) list();
  PrintNote(Str(rejected, " of ", rows, " rows rejected; their output is empty (--errors ",
                ErrorModeName(m.errors), ")"));
}

// ---- Secrets ------------------------------------------------------------------

// Asks on the terminal without echo. 1: read a line; 0: no terminal; -1: the
// terminal gave no line (end of input).
int ReadTtyLine(const char* prompt, SecretString* out) {
  const int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
  if (fd < 0) return 0;
  out->s.reserve(kMaxSecret);  // no reallocation: no unwiped copies left behind
  termios old{};
  const bool have_termios = tcgetattr(fd, &old) == 0;
  if (have_termios) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSADRAIN, &quiet);  // not TCSAFLUSH: keep what was typed ahead
  }
  (void)!write(fd, prompt, std::strlen(prompt));
  char ch;
  bool ok = false;
  while (read(fd, &ch, 1) == 1) {
    if (ch == '\n' || ch == '\r') {
      ok = true;
      break;
    }
    if (out->s.size() < kMaxSecret) out->s.push_back(ch);
  }
  sodium_memzero(&ch, sizeof ch);
  if (have_termios) tcsetattr(fd, TCSADRAIN, &old);
  (void)!write(fd, "\n", 1);
  close(fd);
  return ok ? 1 : -1;
}

void PrintWarning(std::string_view message) {
  std::fprintf(stderr, "gdprkit: warning: %.*s\n", static_cast<int>(message.size()),
               message.data());
}

// Reads a file that holds a secret (`what`: "passphrase file", "key file",
// "exported key file") into `out`, at most `limit` bytes (one more is read, so
// that the caller sees a larger file), with no stdio buffer holding a copy.
// A missing file, a directory and a file that cannot be read each get their
// own message; a regular file other users can read gets a warning. Messages
// name the file, never its content.
absl::Status ReadSecretFile(const std::string& path, std::string_view what, std::size_t limit,
                            SecretString* out) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) {
      return absl::NotFoundError(Str(Plain(path), ": no such ", what));
    }
    if (err == EACCES || err == EPERM) {
      return absl::PermissionDeniedError(
          Str(Plain(path), ": the ", what, " cannot be read (", std::strerror(err), ")"));
    }
    return absl::InvalidArgumentError(
        Str(Plain(path), ": cannot open the ", what, ": ", std::strerror(err)));
  }
  struct stat st {};
  if (fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      close(fd);
      return absl::InvalidArgumentError(Str(Plain(path), " is a directory, not a ", what));
    }
    if (S_ISREG(st.st_mode) && (st.st_mode & 077) != 0) {
      PrintWarning(Str(Plain(path), " can be read by other users, and it holds a secret ",
                       "(chmod 600 ", Plain(path), ")"));
    }
  }
  out->s.resize(limit + 1);  // no reallocation: no unwiped copies
  std::size_t got = 0;
  while (got < out->s.size()) {
    const ssize_t n = read(fd, &out->s[got], out->s.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      close(fd);
      sodium_memzero(&out->s[0], out->s.size());
      out->s.clear();
      return absl::DataLossError(
          Str(Plain(path), ": the ", what, " cannot be read (", std::strerror(err), ")"));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  close(fd);
  sodium_memzero(&out->s[got], out->s.size() - got);
  out->s.resize(got);  // shrinking: no reallocation
  return absl::OkStatus();
}

// The passphrase of --passphrase-file: the first line of the file (without
// its line ending and a byte-order mark).
absl::Status PassphraseFromFile(const std::string& path, SecretString* secret) {
  SecretString text;
  // Room for a byte-order mark and a line ending around the longest passphrase.
  if (absl::Status s = ReadSecretFile(path, "passphrase file", kMaxSecret + 5, &text); !s.ok()) {
    return s;
  }
  std::string_view view(text.s);
  if (view.empty()) {
    return absl::InvalidArgumentError(
        Str(Plain(path), ": the passphrase file is empty (its first line is the passphrase)"));
  }
  StripBom(&view);
  view = view.substr(0, view.find('\n'));
  if (!view.empty() && view.back() == '\r') view.remove_suffix(1);
  if (view.size() > kMaxSecret) {
    return absl::InvalidArgumentError(Str(Plain(path),
                                          ": the passphrase on its first line is "
                                          "longer than ",
                                          kMaxSecret, " bytes"));
  }
  if (view.empty()) {
    return absl::InvalidArgumentError(Str(Plain(path),
                                          ": the first line of the passphrase file "
                                          "is empty (it is the passphrase)"));
  }
  secret->s.reserve(kMaxSecret);
  secret->s.assign(view.data(), view.size());
  return absl::OkStatus();
}

// The host key of --key-file: 32 raw bytes, or 64 hex digits (a line ending
// and, for hex digits, a byte-order mark are ignored).
absl::Status HostKeyFromFile(const std::string& path, SecretString* secret) {
  SecretString text;
  if (absl::Status s = ReadSecretFile(path, "key file", 130, &text); !s.ok()) return s;
  std::string_view view(text.s);
  if (view.size() != 32) {  // 32 raw bytes may end in 0x0a or 0x0d; hex digits have a line
    while (!view.empty() && (view.back() == '\n' || view.back() == '\r')) view.remove_suffix(1);
    if (view.size() == 67) StripBom(&view);
  }
  if (view.size() == 64) {
    unsigned char key[32];
    std::size_t len = 0;
    if (sodium_hex2bin(key, sizeof key, view.data(), view.size(), nullptr, &len, nullptr) != 0 ||
        len != 32) {
      sodium_memzero(key, sizeof key);
      return absl::InvalidArgumentError(Str(Plain(path), ": not 32 bytes or 64 hex digits"));
    }
    secret->s.reserve(32);
    secret->s.assign(reinterpret_cast<const char*>(key), 32);
    sodium_memzero(key, sizeof key);
    return absl::OkStatus();
  }
  if (view.size() != 32) {
    return absl::InvalidArgumentError(
        Str(Plain(path), ": a host key is 32 bytes or 64 hex digits"));
  }
  secret->s.reserve(32);
  secret->s.assign(view.data(), view.size());
  return absl::OkStatus();
}

// Fills `options` with the passphrase or host key the invocation names.
absl::Status SetSecret(const Invocation& inv, bool confirm, VaultOptions* options) {
  SecretString secret;
  if (inv.Has("--key-file")) {
    if (absl::Status s = HostKeyFromFile(inv.Get("--key-file"), &secret); !s.ok()) return s;
    options->set_host_key(secret.s, InsecureSecretAccess::Get());
    return absl::OkStatus();
  }
  if (inv.Has("--passphrase-env")) {
    const std::string var = inv.Get("--passphrase-env");
    const char* v = std::getenv(var.c_str());
    if (v == nullptr || *v == '\0') {
      return absl::InvalidArgumentError(
          Str("the environment variable ", Plain(var), " named by --passphrase-env is not set"));
    }
    secret.s = v;
  } else if (inv.Has("--passphrase-file")) {
    if (absl::Status s = PassphraseFromFile(inv.Get("--passphrase-file"), &secret); !s.ok()) {
      return s;
    }
  } else {
    const int got = ReadTtyLine("Vault passphrase: ", &secret);
    if (got == 0) {
      return absl::InvalidArgumentError(
          "no passphrase: give --passphrase-env VAR, --passphrase-file FILE or --key-file FILE "
          "(there is no terminal to ask on)");
    }
    if (got < 0) return absl::InvalidArgumentError("no passphrase was entered");
    if (confirm) {
      SecretString again;
      if (ReadTtyLine("Repeat the passphrase: ", &again) != 1 ||
          again.s.size() != secret.s.size() ||
          sodium_memcmp(again.s.data(), secret.s.data(), secret.s.size()) != 0) {
        return absl::InvalidArgumentError("the passphrases do not match");
      }
    }
    if (secret.s.empty()) return absl::InvalidArgumentError("the passphrase is empty");
  }
  options->set_passphrase(secret.s);
  return absl::OkStatus();
}

std::vector<OptionSpec> SecretOptions() {
  return {
      {"--passphrase-env", "VAR", {}, "read the passphrase from environment variable VAR"},
      {"--passphrase-file", "FILE", {}, "read the passphrase from the first line of FILE"},
      {"--key-file", "FILE", {}, "a 32-byte host key (raw or 64 hex digits) instead"},
      {"--actor", "NAME", {}, "who acts, for the audit trail (default: $USER)"},
      {"--busy-timeout", "MS", {}, "wait this long for other programs using the vault (60000)"},
  };
}

std::vector<OptionSpec> With(std::vector<OptionSpec> a, const std::vector<OptionSpec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

int Fail(const absl::Status& s) {
  PrintError(MessageOf(s));
  return s.code() == absl::StatusCode::kInternal ? kExitInternal : kExitUsage;
}

// --wait SECONDS: how long erase and checkpoint wait for other programs'
// readers; 10 seconds when absent.
absl::StatusOr<absl::Duration> WaitOption(const Invocation& inv) {
  const std::string text = inv.Get("--wait", "10");
  char* end = nullptr;
  errno = 0;
  const double seconds = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !(seconds >= 0) || seconds > 3600) {
    return absl::InvalidArgumentError(
        Str("--wait: '", Plain(text), "' is not a number of seconds (0-3600)"));
  }
  return absl::Milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

absl::StatusOr<std::unique_ptr<Vault>> OpenVault(const Invocation& inv, bool create) {
  VaultOptions options;
  options.set_path(inv.operands.front());
  const char* user = std::getenv("USER");
  options.set_actor(inv.Has("--actor") ? inv.Get("--actor")
                                       : std::string(user != nullptr ? user : "gdprkit-cli"));
  if (create) {
    absl::StatusOr<KdfLimits> limits = KdfLimits::FromName(inv.Get("--kdf", "moderate"));
    if (!limits.ok()) return limits.status();
    options.set_kdf_limits(*limits);
  }
  if (inv.Has("--busy-timeout")) {
    const std::string ms = inv.Get("--busy-timeout");
    char* end = nullptr;
    errno = 0;
    const long n = std::strtol(ms.c_str(), &end, 10);
    if (ms.empty() || *end != '\0' || errno == ERANGE || n < 0 || n > 3600000) {
      return absl::InvalidArgumentError(
          Str("--busy-timeout: '", Plain(ms), "' is not a number of milliseconds (0-3600000)"));
    }
    options.set_busy_timeout_ms(static_cast<int>(n));
  }
  if (absl::Status s = SetSecret(inv, create, &options); !s.ok()) return s;
  return create ? Vault::Create(options) : Vault::Open(options);
}

// A failed batch of tokens. The core names a bad token by its row ("row 3:
// ..."); this names it by file and line instead, as rejected identifiers are.
int FailTokens(const Column& c, const absl::Status& s) {
  const std::string m = MessageOf(s);
  constexpr std::string_view kRow = "row ";
  if (m.compare(0, kRow.size(), kRow) == 0) {
    std::size_t i = kRow.size(), row = 0;
    const std::size_t digits = i;
    while (i < m.size() && m[i] >= '0' && m[i] <= '9' && i - digits < 18) {
      row = row * 10 + static_cast<std::size_t>(m[i++] - '0');
    }
    if (i > digits && m.compare(i, 2, ": ") == 0 && row < c.lines.size()) {
      PrintError(Str(Plain(c.name), ":", c.lines[row], ": ", m.substr(i + 2)));
      return s.code() == absl::StatusCode::kInternal ? kExitInternal : kExitUsage;
    }
  }
  return Fail(s);
}

// ---- Commands -----------------------------------------------------------------

int RunIdCheck(const Invocation& inv) {
  absl::StatusOr<IdKind> kind = KindOption(inv);
  if (!kind.ok()) return Fail(kind.status());
  absl::StatusOr<Language> language = LanguageOf(inv);
  if (!language.ok()) return Fail(language.status());
  absl::StatusOr<IdOptions> id_options = IdOptionsArg(inv);
  if (!id_options.ok()) return Fail(id_options.status());
  absl::StatusOr<Column> c = ReadColumn(inv, 0);
  if (!c.ok()) return Fail(c.status());
  std::vector<IdProblem> problems;
  const std::size_t rejected = CheckIds(*kind, c->values, &problems, *id_options);
  Output o;
  switch (inv.OutputFormat()) {
    case Format::kText:
      for (std::size_t i = 0; i < problems.size(); ++i) {
        if (problems[i] == IdProblem::kNone) continue;
        o.Cat(Plain(c->name), ":", c->lines[i], ": ", IdProblemCode(problems[i]), ": ",
              IdProblemText(*kind, problems[i], *language), "\n");
      }
      o.Cat(c->name == "<stdin>" ? "<stdin>" : Plain(c->name), ": ", problems.size(), " ",
            IdKindName(*kind), " values, ", rejected, " rejected\n");
      break;
    case Format::kJson:
      o.Cat("{\"file\": ", JsonString(c->name), ", \"kind\": ", JsonString(IdKindName(*kind)),
            ", \"type\": ", JsonString(IdKindName(*kind)), ", \"values\": ", problems.size(),
            ", \"rejected\": ", rejected, ", \"rows\": [");
      for (std::size_t i = 0; i < problems.size(); ++i) {
        o.Cat(i == 0 ? "\n  " : ",\n  ", "{\"line\": ", c->lines[i],
              ", \"valid\": ", JsonBool(problems[i] == IdProblem::kNone),
              ", \"problem\": ", JsonString(IdProblemCode(problems[i])), "}");
      }
      o.Put(problems.empty() ? "]}\n" : "\n]}\n");
      break;
    case Format::kCsv:
      o.Put(CsvRow({"line", "valid", "problem", "reason"}));
      for (std::size_t i = 0; i < problems.size(); ++i) {
        const bool ok = problems[i] == IdProblem::kNone;
        o.Put(CsvRow({Str(c->lines[i]), ok ? "true" : "false",
                      std::string(IdProblemCode(problems[i])),
                      ok ? "" : std::string(IdProblemText(*kind, problems[i], *language))}));
      }
      break;
  }
  if (!o.FlushTo(stdout)) {
    PrintError("cannot write to standard output");
    return kExitUsage;
  }
  return rejected > 0 ? kExitFindings : kExitOk;
}

int RunCreate(const Invocation& inv) {
  if (inv.Has("--scheme") && !inv.Has("--domain")) {
    return UsageError("--scheme applies to the domains of --domain; give --domain too",
                      "vault create ");
  }
  absl::StatusOr<PseudonymScheme> scheme = SchemeOption(inv);
  if (!scheme.ok()) return Fail(scheme.status());
  absl::StatusOr<std::unique_ptr<Vault>> v = OpenVault(inv, /*create=*/true);
  if (!v.ok()) return Fail(v.status());
  std::size_t domains = 0;
  if (inv.Has("--domain")) {
    const std::string list = inv.Get("--domain");
    for (std::string_view rest = list; !rest.empty();) {
      const std::size_t comma = rest.find(',');
      const std::string name(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (absl::Status s = (*v)->CreateDomain(name, {}, *scheme); !s.ok()) return Fail(s);
      ++domains;
    }
  }
  const std::string schemes =
      domains == 0 ? std::string() : Str(" (", PseudonymSchemeName(*scheme), " pseudonyms)");
  std::printf("created vault %s with %zu domain%s%s\n", Plain(inv.operands.front()).c_str(),
              domains, domains == 1 ? "" : "s", schemes.c_str());
  return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
}

int RunAddDomain(const Invocation& inv) {
  absl::StatusOr<PseudonymScheme> scheme = SchemeOption(inv);
  if (!scheme.ok()) return Fail(scheme.status());
  absl::StatusOr<std::unique_ptr<Vault>> v = OpenVault(inv, false);
  if (!v.ok()) return Fail(v.status());
  if (absl::Status s = (*v)->CreateDomain(inv.operands[1], inv.Get("--description"), *scheme);
      !s.ok()) {
    return Fail(s);
  }
  std::printf("added domain %s (%s pseudonyms)\n", Plain(inv.operands[1]).c_str(),
              std::string(PseudonymSchemeName(*scheme)).c_str());
  return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
}

// "2026-01-05T10:11:12Z": seconds since the epoch in UTC, ISO 8601.
std::string IsoUtc(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  char buf[64];
  if (gmtime_r(&t, &tm) == nullptr ||
      std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
    return Str(unix_seconds);  // out of range for the calendar: the raw number
  }
  return buf;
}

// Lists the domains: read-only, so nothing goes to the audit trail.
int RunDomains(const Invocation& inv) {
  absl::StatusOr<std::unique_ptr<Vault>> v = OpenVault(inv, false);
  if (!v.ok()) return Fail(v.status());
  absl::StatusOr<std::vector<DomainInfo>> domains = (*v)->ListDomains();
  if (!domains.ok()) return Fail(domains.status());
  Output o;
  switch (inv.OutputFormat()) {
    case Format::kText: {
      if (domains->empty()) {
        o.Cat("no domains in ", Plain(inv.operands.front()),
              " (add one with 'gdprkit vault add-domain')\n");
        break;
      }
      const std::vector<std::string> head = {"domain", "scheme",        "key version",
                                             "tokens", "created (UTC)", "description"};
      std::vector<std::vector<std::string>> rows;
      rows.reserve(domains->size());
      for (const DomainInfo& d : *domains) {
        rows.push_back({Plain(d.name), std::string(PseudonymSchemeName(d.scheme)),
                        Str(d.key_version), Str(d.tokens), IsoUtc(d.created_unix),
                        Plain(d.description)});
      }
      std::vector<std::size_t> width(head.size());
      for (std::size_t i = 0; i < head.size(); ++i) width[i] = DisplayWidth(head[i]);
      for (const auto& r : rows) {
        for (std::size_t i = 0; i < r.size(); ++i) {
          width[i] = std::max(width[i], DisplayWidth(r[i]));
        }
      }
      const auto line = [&](const std::vector<std::string>& r) {
        std::string l;
        for (std::size_t i = 0; i < r.size(); ++i) {
          l += i + 1 < r.size() ? PadRight(r[i], width[i] + 2) : r[i];
        }
        o.Cat(TrimRight(l), "\n");
      };
      line(head);
      for (const auto& r : rows) line(r);
      break;
    }
    case Format::kJson:
      o.Cat("{\"vault\": ", JsonString(inv.operands.front()), ", \"domains\": [");
      for (std::size_t i = 0; i < domains->size(); ++i) {
        const DomainInfo& d = (*domains)[i];
        o.Cat(i == 0 ? "" : ", ", "{\"name\": ", JsonString(d.name),
              ", \"scheme\": ", JsonString(PseudonymSchemeName(d.scheme)),
              ", \"key_version\": ", d.key_version, ", \"tokens\": ", d.tokens,
              ", \"created\": ", JsonString(IsoUtc(d.created_unix)),
              ", \"description\": ", JsonString(d.description), "}");
      }
      o.Put("]}\n");
      break;
    case Format::kCsv:
      o.Put(CsvRow({"domain", "scheme", "key_version", "tokens", "created", "description"}));
      for (const DomainInfo& d : *domains) {
        o.Put(CsvRow({d.name, std::string(PseudonymSchemeName(d.scheme)), Str(d.key_version),
                      Str(d.tokens), IsoUtc(d.created_unix), d.description}));
      }
      break;
  }
  return o.FlushTo(stdout) ? kExitOk : kExitUsage;
}

// Runs one batch over the column and prints the results. A rejected
// identifier fails the run, naming its line (checked first, so that nothing is
// issued for a batch that fails), unless --errors coerce (its output is empty
// and the count of such rows is noted on standard error) or report (as
// coerce, and each rejected row is named on standard error by line and
// reason).
using BatchFn = std::function<absl::Status(const BatchOptions&, StringColumn*, BatchReport*)>;

int BatchAndWrite(const Invocation& inv, IdKind kind, const IdOptions& id_options, const Column& c,
                  std::string_view header, const BatchFn& run) {
  absl::StatusOr<BatchModes> modes = BatchModesOf(inv);
  if (!modes.ok()) return Fail(modes.status());
  BatchOptions options;
  options.errors = modes->errors == ErrorMode::kRaise ? ErrorMode::kCoerce : modes->errors;
  options.id_options = id_options;
  BatchReport report;
  StringColumn out;
  if (modes->errors == ErrorMode::kRaise) {
    std::vector<IdProblem> problems;
    if (CheckIds(kind, c.values, &problems, id_options) > 0) {
      PrintRejections(c, kind, problems, modes->language);
      return kExitUsage;
    }
  }
  if (absl::Status s = run(options, &out, &report); !s.ok()) return Fail(s);
  SayRejected(*modes, report.rejected, c.values.size(),
              [&] { PrintRejections(c, kind, report.problems, modes->language, SIZE_MAX); });
  return WriteColumn(inv, c, out, header);
}

int RunBatch(const Invocation& inv, bool tokens) {
  if (!inv.Has("--domain")) return UsageError("--domain is required", "vault ");
  absl::StatusOr<IdKind> kind = KindOption(inv);
  if (!kind.ok()) return Fail(kind.status());
  absl::StatusOr<IdOptions> id_options = IdOptionsArg(inv);
  if (!id_options.ok()) return Fail(id_options.status());
  absl::StatusOr<Column> c = ReadColumn(inv, 1);
  if (!c.ok()) return Fail(c.status());
  absl::StatusOr<std::unique_ptr<Vault>> v = OpenVault(inv, false);
  if (!v.ok()) return Fail(v.status());
  const std::string domain = inv.Get("--domain");
  return BatchAndWrite(
      inv, *kind, *id_options, *c, tokens ? "token" : "pseudonym",
      [&](const BatchOptions& options, StringColumn* out, BatchReport* report) {
        return tokens ? (*v)->Tokenize(domain, *kind, c->values, out, options, report)
                      : (*v)->Pseudonymize(domain, *kind, c->values, out, options, report);
      });
}

int RunPseudonymise(const Invocation& inv) { return RunBatch(inv, false); }
int RunTokenise(const Invocation& inv) { return RunBatch(inv, true); }

int RunReidentify(const Invocation& inv) {
  if (!inv.Has("--domain")) return UsageError("--domain is required", "vault ");
  if (!inv.Has("--reason")) return UsageError("--reason is required (it is audited)", "vault ");
  absl::StatusOr<Column> c = ReadColumn(inv, 1);
  if (!c.ok()) return Fail(c.status());
  absl::StatusOr<BatchModes> modes = BatchModesOf(inv);
  if (!modes.ok()) return Fail(modes.status());
  absl::StatusOr<std::unique_ptr<Vault>> v = OpenVault(inv, false);
  if (!v.ok()) return Fail(v.status());
  StringColumn out;
  BatchOptions options;
  options.errors = modes->errors;
  BatchReport report;
  absl::Status s = (*v)->Reidentify(inv.Get("--domain"), c->values, inv.Get("--reason"), &out,
                                    nullptr, options, &report);
  if (!s.ok()) return FailTokens(*c, s);
  SayRejected(*modes, report.rejected, c->values.size(),
              [&] { PrintTokenRejections(*c, report.token_problems, modes->language); });
  const int rc = WriteColumn(inv, *c, out, "identifier");
  out.SecureClear();
  return rc;
}

int RunTranslate(const Invocation& inv) {
  if (!inv.Has("--from")) return UsageError("--from is required", "vault translate ");
  if (!inv.Has("--to")) return UsageError("--to is required", "vault translate ");
  if (!inv.Has("--reason")) {
    return UsageError("--reason is required (it is audited)", "vault translate ");
  }
  // --target's choices (the core's names) are checked when the command line
  // is parsed.
  absl::StatusOr<TranslateTarget> target =
      ParseTranslateTarget(inv.Get("--target", TranslateTargetName(TranslateTarget::kToken)));
  if (!target.ok()) return Fail(target.status());
  absl::StatusOr<Column> c = ReadColumn(inv, 1);
  if (!c.ok()) return Fail(c.status());
  absl::StatusOr<BatchModes> modes = BatchModesOf(inv);
  if (!modes.ok()) return Fail(modes.status());
  absl::StatusOr<std::unique_ptr<Vault>> v = OpenVault(inv, false);
  if (!v.ok()) return Fail(v.status());
  StringColumn out;
  BatchOptions options;
  options.errors = modes->errors;
  BatchReport report;
  absl::Status s = (*v)->Translate(inv.Get("--from"), inv.Get("--to"), c->values,
                                   inv.Get("--reason"), *target, &out, options, &report);
  if (!s.ok()) return FailTokens(*c, s);
  SayRejected(*modes, report.rejected, c->values.size(),
              [&] { PrintTokenRejections(*c, report.token_problems, modes->language); });
  return WriteColumn(inv, *c, out, TranslateTargetName(*target));
}

int RunErase(const Invocation& inv) {
  if (!inv.Has("--reason")) return UsageError("--reason is required (it is audited)", "vault ");
  absl::StatusOr<IdKind> kind = KindOption(inv);
  if (!kind.ok()) return Fail(kind.status());
  absl::StatusOr<IdOptions> id_options = IdOptionsArg(inv);
  if (!id_options.ok()) return Fail(id_options.status());
  absl::StatusOr<Column> c = ReadColumn(inv, 1);
  if (!c.ok()) return Fail(c.status());
  std::vector<IdProblem> problems;
  if (CheckIds(*kind, c->values, &problems, *id_options) > 0) {
    PrintRejections(*c, *kind, problems, Language::kEnglish);
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<Vault>> v = OpenVault(inv, false);
  if (!v.ok()) return Fail(v.status());
  absl::StatusOr<absl::Duration> wait = WaitOption(inv);
  if (!wait.ok()) return Fail(wait.status());
  std::uint64_t erased = 0;
  bool wal_truncated = true;
  for (std::string_view id : c->values) {
    absl::StatusOr<ErasureReport> r = (*v)->Erase(*kind, id, inv.Get("--reason"), *id_options);
    if (!r.ok()) return Fail(r.status());
    erased += r->tokens_erased;
    wal_truncated = r->wal_truncated;  // the last erasure's checkpoint covers the earlier ones
  }
  // Erase does not wait for other programs' readers; this command may.
  if (!c->values.empty() && !wal_truncated && *wait > absl::ZeroDuration()) {
    absl::StatusOr<bool> truncated = (*v)->Checkpoint(*wait);
    wal_truncated = truncated.ok() && *truncated;
  }
  std::printf("erased %zu identifier%s: %llu token record%s removed\n", c->values.size(),
              c->values.size() == 1 ? "" : "s", static_cast<unsigned long long>(erased),
              erased == 1 ? "" : "s");
  if (!c->values.empty() && !wal_truncated) {
    const std::string vault = Plain(inv.operands.front());
    PrintWarning(
        Str("another program is reading ", vault, ", so its write-ahead log (", vault,
            "-wal) could not be truncated: older copies of the erased records remain in it "
            "until it is. When the other programs are done, run 'gdprkit vault checkpoint ",
            vault, "' (or close them: the last program to close a vault truncates the log)."));
  }
  return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
}

// Folds the write-ahead log into the vault file and truncates it.
int RunCheckpoint(const Invocation& inv) {
  absl::StatusOr<absl::Duration> wait = WaitOption(inv);
  if (!wait.ok()) return Fail(wait.status());
  absl::StatusOr<std::unique_ptr<Vault>> v = OpenVault(inv, false);
  if (!v.ok()) return Fail(v.status());
  absl::StatusOr<bool> truncated = (*v)->Checkpoint(*wait);
  if (!truncated.ok()) return Fail(truncated.status());
  const std::string vault = Plain(inv.operands.front());
  if (!*truncated) {
    PrintError(Str("another program is still reading ", vault, ": its write-ahead log (", vault,
                   "-wal) was not truncated; try again later or with a longer --wait"));
    return kExitFindings;
  }
  std::printf("the write-ahead log of %s is checkpointed and truncated\n", vault.c_str());
  return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
}

int RunRotate(const Invocation& inv) {
  if (!inv.Has("--reason")) return UsageError("--reason is required (it is audited)", "vault ");
  absl::StatusOr<std::unique_ptr<Vault>> v = OpenVault(inv, false);
  if (!v.ok()) return Fail(v.status());
  RekeyOptions options;
  options.progress = ProgressOf(inv);
  absl::StatusOr<std::uint32_t> version = (*v)->RotateKeys(inv.Get("--reason"), options);
  if (!version.ok()) return Fail(version.status());
  std::printf("key version %u is now primary\n", static_cast<unsigned>(*version));
  return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
}

// Re-keys the domains not on the primary key version (after an interrupted
// rotation).
int RunRekey(const Invocation& inv) {
  if (!inv.Has("--reason")) {
    return UsageError("--reason is required (it is audited)", "vault rekey ");
  }
  absl::StatusOr<std::unique_ptr<Vault>> v = OpenVault(inv, false);
  if (!v.ok()) return Fail(v.status());
  RekeyOptions options;
  options.progress = ProgressOf(inv);
  absl::StatusOr<std::size_t> rekeyed = (*v)->Rekey(inv.Get("--reason"), options);
  if (!rekeyed.ok()) return Fail(rekeyed.status());
  std::uint32_t primary = 0;
  if (absl::StatusOr<std::vector<KeyVersionInfo>> keys = (*v)->ListKeys(); keys.ok()) {
    for (const KeyVersionInfo& k : *keys) {
      if (k.state == KeyState::kPrimary) primary = k.version;
    }
  }
  const std::string version = primary > 0 ? Str(" ", primary) : std::string();
  if (*rekeyed == 0) {
    std::printf("re-keyed 0 domains: every domain is on the primary key version%s\n",
                version.c_str());
  } else {
    std::printf("re-keyed %zu domain%s to the primary key version%s\n", *rekeyed,
                *rekeyed == 1 ? "" : "s", version.c_str());
  }
  return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
}

// An online, consistent copy of the vault in a new file (Vault::Backup).
int RunBackup(const Invocation& inv) {
  constexpr std::string_view kHint = "vault backup ";
  const std::string& dest = inv.operands[1];
  if (dest == "-") {
    return UsageError("a backup is written to a new file, never to standard output", kHint);
  }
  // Refused before the vault is opened, so that a mistake costs no
  // passphrase; the core checks again when it creates the file.
  struct stat st {};
  if (lstat(dest.c_str(), &st) == 0) {
    return Fail(absl::AlreadyExistsError(
        Str(Plain(dest),
            ": already exists; a backup is never written over a file (remove it or "
            "give another DEST)")));
  }
  absl::StatusOr<std::unique_ptr<Vault>> v = OpenVault(inv, false);
  if (!v.ok()) return Fail(v.status());
  if (absl::Status s = (*v)->Backup(dest); !s.ok()) return Fail(s);
  std::printf(
      "backed up %s to %s (one file, mode 0600, checked: it opens with the same passphrase or "
      "host key)\n",
      Plain(inv.operands[0]).c_str(), Plain(dest).c_str());
  return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
}

// Writes all of `data` to `fd`; false on an error.
bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

int RunExportKey(const Invocation& inv) {
  constexpr std::string_view kHint = "vault export-key ";
  if (!inv.Has("--domain")) return UsageError("--domain is required", kHint);
  if (!inv.Has("--reason")) return UsageError("--reason is required (it is audited)", kHint);
  const std::string path = inv.Get("--output");
  if (path.empty() || path == "-") {
    return UsageError(
        "--output FILE is required: the key is a secret and is never written to standard output",
        kHint);
  }
  // The file is made first, so that a refusal costs no passphrase and writes
  // no audit entry. O_EXCL: never over an existing file, nor through a
  // symbolic link; 0600 (fchmod: whatever the umask): for its owner only.
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    if (err == EEXIST) {
      return Fail(absl::AlreadyExistsError(
          Str(Plain(path),
              ": already exists; the key is never written over a file (remove it "
              "or give another --output)")));
    }
    return Fail(absl::NotFoundError(Str(Plain(path), ": cannot create: ", std::strerror(err))));
  }
  bool written = false;
  struct Cleanup {  // removes the file unless the key was written to it
    int fd;
    const std::string& path;
    const bool& written;
    ~Cleanup() {
      if (fd >= 0) close(fd);
      if (!written) unlink(path.c_str());
    }
  } cleanup{fd, path, written};
  if (fchmod(fd, 0600) != 0) {
    return Fail(absl::PermissionDeniedError(
        Str(Plain(path), ": cannot make it private (mode 0600): ", std::strerror(errno))));
  }
  absl::StatusOr<std::unique_ptr<Vault>> v = OpenVault(inv, false);
  if (!v.ok()) return Fail(v.status());
  absl::StatusOr<std::string> text = (*v)->ExportPseudonymKey(
      inv.Get("--domain"), inv.Get("--reason"), InsecureSecretAccess::Get());
  if (!text.ok()) return Fail(text.status());
  SecretString key;
  key.s = std::move(*text);
  // "gdprkit-pseudonym-key-v2:<domain>:<version>:<scheme>:<key>": the first
  // four fields are not secret.
  std::string_view shown(key.s);
  shown = shown.substr(0, shown.rfind(':'));
  const std::size_t scheme_at = shown.rfind(':');
  const std::string scheme(shown.substr(scheme_at + 1));
  shown = shown.substr(0, scheme_at);
  const std::string version(shown.substr(shown.rfind(':') + 1));
  if (!WriteAll(cleanup.fd, key.s) || !WriteAll(cleanup.fd, "\n") || fsync(cleanup.fd) != 0) {
    return Fail(absl::DataLossError(Str(Plain(path), ": write error: ", std::strerror(errno),
                                        " (the file was removed; the export is in the audit "
                                        "trail)")));
  }
  const int closed = close(cleanup.fd);
  cleanup.fd = -1;
  if (closed != 0) {
    return Fail(absl::DataLossError(Str(Plain(path), ": write error: ", std::strerror(errno),
                                        " (the file was removed; the export is in the audit "
                                        "trail)")));
  }
  written = true;
  std::printf(
      "exported the pseudonym key of domain %s (key version %s, %s pseudonyms) to %s (mode "
      "0600)\n",
      Plain(inv.Get("--domain")).c_str(), version.c_str(), scheme.c_str(), Plain(path).c_str());
  std::fputs(
      "The file is a secret: anyone holding it can recompute the domain's pseudonyms for "
      "guessed\nCPR numbers. Hand it over as you would a password; delete it when the job is "
      "done.\n",
      stdout);
  return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
}

// The longest exported-key file read (the text is about 130 bytes).
constexpr std::size_t kMaxExportedKeyFile = 1024;

// A Pseudonymizer from the file `gdprkit vault export-key` wrote. Errors name
// the file, never its content.
absl::StatusOr<std::unique_ptr<Pseudonymizer>> LoadExportedKey(const std::string& path) {
  SecretString text;
  if (absl::Status s = ReadSecretFile(path, "exported key file", kMaxExportedKeyFile, &text);
      !s.ok()) {
    return s;
  }
  const std::size_t got = text.s.size();
  if (got > kMaxExportedKeyFile) {
    return absl::InvalidArgumentError(
        Str(Plain(path), ": not an exported pseudonym key (larger than ", kMaxExportedKeyFile,
            " bytes; expected the file 'gdprkit vault export-key' wrote)"));
  }
  std::string_view view(text.s.data(), got);
  StripBom(&view);
  while (!view.empty() && (view.back() == '\n' || view.back() == '\r' || view.back() == ' ' ||
                           view.back() == '\t')) {
    view.remove_suffix(1);
  }
  absl::StatusOr<std::unique_ptr<Pseudonymizer>> p =
      Pseudonymizer::FromExportedKey(view, InsecureSecretAccess::Get());
  if (!p.ok()) {
    // The core's message never holds the text; name the file.
    return absl::Status(p.status().code(), Str(Plain(path), ": ", MessageOf(p.status())));
  }
  return p;
}

int RunKeyPseudonymise(const Invocation& inv) {
  if (!inv.Has("--exported-key")) {
    return UsageError("--exported-key FILE is required (the file 'gdprkit vault export-key' wrote)",
                      "pseudonymise ");
  }
  absl::StatusOr<IdKind> kind = KindOption(inv);
  if (!kind.ok()) return Fail(kind.status());
  absl::StatusOr<IdOptions> id_options = IdOptionsArg(inv);
  if (!id_options.ok()) return Fail(id_options.status());
  absl::StatusOr<std::unique_ptr<Pseudonymizer>> p = LoadExportedKey(inv.Get("--exported-key"));
  if (!p.ok()) return Fail(p.status());
  absl::StatusOr<Column> c = ReadColumn(inv, 0);
  if (!c.ok()) return Fail(c.status());
  return BatchAndWrite(inv, *kind, *id_options, *c, "pseudonym",
                       [&](const BatchOptions& options, StringColumn* out, BatchReport* report) {
                         return (*p)->Pseudonymize(*kind, c->values, out, options, report);
                       });
}

int RunVerifyAudit(const Invocation& inv) {
  absl::StatusOr<std::unique_ptr<Vault>> v = OpenVault(inv, false);
  if (!v.ok()) return Fail(v.status());
  absl::StatusOr<AuditVerification> a = (*v)->VerifyAudit();
  if (!a.ok()) {
    PrintError(MessageOf(a.status()));
    return kExitFindings;
  }
  if (inv.OutputFormat() == Format::kJson) {
    std::printf("{\"valid\": true, \"entries\": %llu, \"head\": \"%s\"}\n",
                static_cast<unsigned long long>(a->entries), a->head_hex.c_str());
  } else {
    std::printf("audit trail intact: %llu entries, head %s\n",
                static_cast<unsigned long long>(a->entries), a->head_hex.c_str());
  }
  return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
}

OptionSpec WaitSpec() {
  return {"--wait", "SECONDS", {}, "wait for other programs' readers to truncate the log (10)"};
}

// The kinds from the core's table (the alias ydernummer is accepted too);
// --type is the option's older name.
OptionSpec KindSpec() {
  static const std::string* const help = new std::string(
      Str("identifier kind: ", Join(IdKindNames(), ", "), " (default cpr; ydernummer for ",
          IdKindName(IdKind::kProviderNumber), ")"));
  return {"--kind", "KIND", {}, *help, {"--type"}};
}

// --errors of the batch commands.
OptionSpec BatchErrorsSpec() {
  return ErrorsOption(
      "rejected rows: raise (default: the run fails naming the first), coerce (empty output, "
      "counted) or report (as coerce, each named by line and reason); fail and skip are older "
      "names of raise and coerce");
}

OptionSpec AsOfOption() {
  return {"--as-of",
          "DATE",
          {},
          "judge CPR birth dates on DATE (YYYY-MM-DD; default: today in Denmark)"};
}

OptionSpec AllowFutureOption() {
  return {"--allow-future", "", {}, "accept CPR numbers whose birth date lies after that date"};
}

OptionSpec ColumnOption() {
  return {"--column", "NAME", {}, "read a CSV file and replace this column (name or number)"};
}

OptionSpec SchemeSpec(std::string_view help) {
  return {"--scheme", "SCHEME", PseudonymSchemeNames(), help};
}

// The details of add-domain, about --scheme; also the end of create's.
constexpr char kSchemeDetails[] =
    "A domain's pseudonym scheme is fixed when it is created: chacha20 (the default, about\n"
    "twice as fast) or blake2b (keyed BLAKE2b, recomputable with any BLAKE2b, e.g. Python's\n"
    "hashlib, given the domain's exported key). Both give \"ps<version>_\" + 26 base32\n"
    "characters.";

// Command::details is a view: the text lives as long as the program.
std::string_view CreateDetails() {
  static const std::string* const details = new std::string(
      Str("The passphrase never comes from the command line: --passphrase-env VAR, "
          "--passphrase-file\nFILE, or a prompt (without echo, asked twice) on the terminal.\n\n",
          kSchemeDetails));
  return *details;
}

}  // namespace

std::vector<Command> VaultCommands() {
  const std::vector<OptionSpec> secret = SecretOptions();
  return {
      {"id",
       "check",
       "[FILE]",
       0,
       1,
       "Check identifiers (one per line, or a CSV column) and say why each rejected one is",
       "Reads FILE or standard input. Prints file:line, the problem code and the reason for each\n"
       "rejected value (never the value itself), then a count. Exits 1 when any is rejected.",
       {KindSpec(), AsOfOption(), AllowFutureOption(), ColumnOption(), DelimiterOption(),
        LanguageOption(), FormatOption()},
       RunIdCheck},
      {"vault", "create", "VAULT", 1, 1,
       "Create a vault file (and domains) protected by a passphrase or host key", CreateDetails(),
       With({{"--domain", "A,B", {}, "create these domains too (comma-separated)"},
             SchemeSpec("pseudonym scheme of those domains: chacha20 (default) or blake2b"),
             {"--kdf", "COST", KdfLimits::Names(), "Argon2id cost"}},
            secret),
       RunCreate},
      {"vault", "add-domain", "VAULT NAME", 2, 2,
       "Add a domain (a purpose, team or recipient) to a vault", kSchemeDetails,
       With({{"--description", "TEXT", {}, "what the domain is for"},
             SchemeSpec("pseudonym scheme: chacha20 (default) or blake2b")},
            secret),
       RunAddDomain},
      {"vault", "domains", "VAULT", 1, 1,
       "List the domains of a vault (scheme, key version, tokens, created, description)",
       "One row per domain, by name: its pseudonym scheme (chacha20 or blake2b), the key\n"
       "version its pseudonyms carry (\"ps<version>_\"), the number of tokens it holds, when it\n"
       "was created (UTC, ISO 8601) and its description. Read-only: nothing is written to the\n"
       "vault or its audit trail. The vault is unlocked as for every vault command.",
       With({FormatOption()}, secret), RunDomains},
      {"vault", "pseudonymise", "VAULT [FILE]", 1, 2,
       "One-way pseudonyms of identifiers (one per line, or a CSV column)",
       "A keyed function of each normalised identifier under the domain's key (\"ps1_...\"); the\n"
       "domain's scheme decides which: ChaCha20 by default, keyed BLAKE2b for blake2b domains\n"
       "(vault add-domain --scheme).\n"
       "A rejected identifier fails the run, naming its line, unless --errors coerce (its output\n"
       "is empty) or report (also named on standard error). Nothing is written to the vault.",
       With({{"--domain", "NAME", {}, "the pseudonymisation domain (required)"},
             KindSpec(),
             AsOfOption(),
             AllowFutureOption(),
             ColumnOption(),
             DelimiterOption(),
             BatchErrorsSpec(),
             LanguageOption(),
             FormatOption()},
            secret),
       RunPseudonymise},
      {"vault", "tokenise", "VAULT [FILE]", 1, 2,
       "Reversible tokens of identifiers, kept in the vault",
       "Issues a token (\"tk_...\") for each identifier that has none in the domain; one\n"
       "transaction for the whole input.",
       With({{"--domain", "NAME", {}, "the domain (required)"},
             KindSpec(),
             AsOfOption(),
             AllowFutureOption(),
             ColumnOption(),
             DelimiterOption(),
             BatchErrorsSpec(),
             LanguageOption(),
             FormatOption()},
            secret),
       RunTokenise},
      {"vault", "reidentify", "VAULT [FILE]", 1, 2,
       "The identifiers behind tokens; the reason goes to the audit trail", "",
       With({{"--domain", "NAME", {}, "the domain of the tokens (required)"},
             {"--reason", "TEXT", {}, "why (required; audited; no CPR number in it)"},
             ColumnOption(),
             DelimiterOption(),
             BatchErrorsSpec(),
             LanguageOption(),
             FormatOption()},
            secret),
       RunReidentify},
      {"vault", "translate", "VAULT [FILE]", 1, 2,
       "Tokens of one domain as tokens or pseudonyms of another; the reason is audited",
       "Reads tokens of the --from domain (one per line, or a CSV column) and prints, for each,\n"
       "the same person's token in the --to domain (--target token, the default; issued when\n"
       "the person has none there) or pseudonym (--target pseudonym). The identifiers never\n"
       "leave the vault. The whole input is one transaction, written to the audit trail with\n"
       "the reason: a malformed, altered or foreign token (named by its line), or one never\n"
       "issued or erased, fails the run and nothing is written, unless --errors coerce or report\n"
       "(its output is empty; report names it by line and reason).",
       With({{"--from", "DOMAIN", {}, "the domain of the tokens (required)"},
             {"--to", "DOMAIN", {}, "the domain to translate into (required; another one)"},
             {"--reason", "TEXT", {}, "why (required; audited; no CPR number in it)"},
             {"--target", "KIND", TranslateTargetNames(),
              "what to give: token (default) or pseudonym"},
             ColumnOption(),
             DelimiterOption(),
             BatchErrorsSpec(),
             LanguageOption(),
             FormatOption()},
            secret),
       RunTranslate},
      {"vault", "erase", "VAULT [FILE]", 1, 2,
       "Erase people (identifiers in FILE, never on the command line) from every domain",
       "Reads identifiers (one per line, or a CSV column) and removes each person's token\n"
       "records from every domain: their tokens no longer re-identify. Audited with the reason\n"
       "(counts only). Older copies of the erased records stay in SQLite's write-ahead log\n"
       "(VAULT-wal) until it is truncated, which other programs reading the vault hold up:\n"
       "erase waits up to --wait seconds for them, and otherwise warns; then run\n"
       "'gdprkit vault checkpoint VAULT' when they are done.",
       With({KindSpec(),
             AsOfOption(),
             AllowFutureOption(),
             {"--reason", "TEXT", {}, "why (required; audited)"},
             ColumnOption(),
             DelimiterOption(),
             WaitSpec()},
            secret),
       RunErase},
      {"vault", "rotate", "VAULT", 1, 1, "Make a new key version primary and re-key every domain",
       "", With({{"--reason", "TEXT", {}, "why (required; audited)"}, ProgressOption()}, secret),
       RunRotate},
      {"vault", "rekey", "VAULT", 1, 1,
       "Finish an interrupted rotation: re-key the domains not on the primary key version",
       "'vault rotate' makes a new key version primary and re-keys every domain to it, in one\n"
       "transaction since gdprkit 0.4. An earlier gdprkit re-keyed one domain per transaction, so\n"
       "an interrupted rotation (the process killed, the disk full) could leave the new version\n"
       "primary and some domains on older ones. This re-keys those domains (in one transaction,\n"
       "each audited with the reason) and prints how many it re-keyed; 0 when every domain is on\n"
       "the primary version already. Tokens stay the same.",
       With({{"--reason", "TEXT", {}, "why (required; audited)"}, ProgressOption()}, secret),
       RunRekey},
      {"vault", "verify-audit", "VAULT", 1, 1,
       "Verify the hash-chained audit trail; exit 1 when it is broken", "",
       With({{"--format", "FORMAT", {"text", "json"}, "output format"}}, secret), RunVerifyAudit},
      {"vault", "checkpoint", "VAULT", 1, 1,
       "Fold the write-ahead log into the vault file and truncate it (after an erasure)",
       "SQLite keeps recent changes in VAULT-wal until they are checkpointed into VAULT. After\n"
       "'vault erase', older copies of the erased records stay there while another program is\n"
       "reading the vault ('vault erase' then says so). This waits up to --wait seconds for\n"
       "the readers, checkpoints the log and truncates it. Exits 1 when readers still hold it.\n"
       "Not audited; it changes no data.",
       With({WaitSpec()}, secret), RunCheckpoint},
      {"vault", "backup", "VAULT DEST", 2, 2,
       "Copy the vault, consistent and online, to a new file (mode 0600)",
       "Writes a copy of the vault as of one moment to the new file DEST while other programs\n"
       "keep using the vault (SQLite's online backup), and checks that it opens with the same\n"
       "passphrase or host key before reporting it done. DEST must not exist (it is never\n"
       "written over) and is made with mode 0600; it is one file, with no -wal file. Not\n"
       "audited: the copy holds the same audit trail.\n\n"
       "Do not copy a vault in use with cp: committed tokens may still be in its -wal file, and\n"
       "the copy then misses them yet verifies. Never delete a vault's -wal file.\n\n"
       "To restore: stop every program using the vault; move VAULT and its VAULT-wal and\n"
       "VAULT-shm files aside (a -wal file left beside the restored copy would be applied to it);\n"
       "copy the backup to VAULT (cp --preserve=mode); run 'gdprkit vault verify-audit VAULT'.",
       secret, RunBackup},
      {"vault", "export-key", "VAULT", 1, 1,
       "Export a domain's pseudonym key to a file, for pseudonymising without the vault",
       "Writes the domain's pseudonym key (its current key version) as one line of text,\n"
       "\"gdprkit-pseudonym-key-v2:<domain>:<version>:<scheme>:<key>\", to a new file of mode\n"
       "0600; an existing FILE is never written over, and the key never goes to standard output.\n"
       "'gdprkit pseudonymise --exported-key FILE' (or Python's\n"
       "gdprkit.Pseudonymizer.from_exported_key) then computes the same pseudonyms as\n"
       "'vault pseudonymise' in that domain, with no vault: on another machine, in a Spark job.\n"
       "The file is a secret: anyone holding it can recompute the domain's pseudonyms for\n"
       "identifiers they guess, and CPR numbers are few enough to try them all. The export is\n"
       "written to the audit trail with the reason. After 'vault rotate', export again.",
       With({{"--domain", "NAME", {}, "the domain whose key to export (required)"},
             {"--reason", "TEXT", {}, "why (required; audited; no CPR number in it)"},
             {"--output", "FILE", {}, "the new file to write (required; mode 0600)"}},
            secret),
       RunExportKey},
      {"",
       "pseudonymise",
       "[FILE]",
       0,
       1,
       "Pseudonyms from an exported domain key, without the vault",
       "Computes the pseudonyms of one domain from the key file 'gdprkit vault export-key'\n"
       "wrote: the same as 'gdprkit vault pseudonymise' gives in that domain at that key\n"
       "version, with no vault file and no passphrase. Reads FILE or standard input (one value\n"
       "per line, or a CSV column with --column). A rejected identifier fails the run, naming\n"
       "its line, unless --errors coerce or report (then its output is empty). The key file is a\n"
       "secret:\n"
       "keep it at mode 0600 (a note is printed when others can read it); it is never printed.",
       {{"--exported-key", "KEYFILE", {}, "the file 'vault export-key' wrote (required)"},
        KindSpec(),
        AsOfOption(),
        AllowFutureOption(),
        ColumnOption(),
        DelimiterOption(),
        BatchErrorsSpec(),
        LanguageOption(),
        FormatOption()},
       RunKeyPseudonymise},
  };
}

}  // namespace gdprkit::cli
