// `gdprkit release ...`: the gate between raw records and anything that
// leaves (gdprkit/release.h).
//
//   gdprkit release check --policy P --release ID DATA.csv [--on DATE] [--lang L]
//       the verdict and the findings (code, column, rows, cells, message);
//       exit 0 passed, 1 findings, 2 error
//   gdprkit release prepare --policy P --release ID DATA.csv --out OUT.csv [--on DATE]
//       [--vault V --passphrase-env VAR] [--log LOG [--log-key-env VAR]] [--lang L]
//       writes OUT.csv (mode 0600) and prints the report; nothing is written
//       (neither OUT.csv nor the log) when it fails
//   gdprkit release verify LOG [--log-key-env VAR] [--expect-head HEX]
//       exit 0 intact, 1 broken (naming the entry and line), 2 error
//   gdprkit release show LOG [--entry N | --last]    the log's entries
//   gdprkit release digest FILE.csv                  ContentDigest of a CSV
//
// DATA.csv is read by tools/cli_csv.h as every command reads CSV, all
// columns as text (an empty field is a missing value); the core parses the
// dates and numbers it needs. OUT.csv has a header and FormatFrameValue of
// each field (empty for a missing value), so that `release digest OUT.csv`
// gives the content digest the log recorded. Secrets (the vault's
// passphrase, the log's key) come from environment variables, never from
// the command line; no value of the data ever reaches a message.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cli.h"
#include "cli_csv.h"
#include "common/hash_chain.h"
#include "common/text.h"
#include "gdprkit/identifiers.h"
#include "gdprkit/release.h"
#include "gdprkit/retention.h"
#include "gdprkit/vault.h"

namespace gdprkit::cli {
namespace {

constexpr std::size_t kMaxReleaseInput = std::size_t{4} << 30;  // 4 GiB

int Fail(const absl::Status& s) {
  PrintError(Plain(MessageOf(s)));
  return s.code() == absl::StatusCode::kInternal ? kExitInternal : kExitUsage;
}

bool Flush(Output* out) {
  if (out->FlushTo(stdout)) return true;
  PrintError("cannot write to standard output");
  return false;
}

// A CSV file as a frame of text columns (an empty field is missing).
absl::StatusOr<Frame> ReadFrame(const Invocation& inv, const std::string& path) {
  const std::string name = path == "-" ? std::string("<stdin>") : path;
  absl::StatusOr<std::string> data = ReadFileArg(path, kMaxReleaseInput);
  if (!data.ok()) return data.status();
  CsvOptions options;
  options.delimiter = DelimiterArg(inv);
  absl::StatusOr<CsvTable> csv = ReadCsv(*data, name, options);
  if (!csv.ok()) return csv.status();
  if (csv->records.empty()) return absl::InvalidArgumentError(Str(Plain(name), ": no CSV header"));
  const std::vector<std::string>& header = csv->records[0].fields;
  const std::size_t rows = csv->records.size() - 1;
  Frame frame;
  frame.columns.reserve(header.size());
  std::vector<std::string_view> texts(rows);
  std::vector<bool> missing(rows);
  for (std::size_t j = 0; j < header.size(); ++j) {
    for (std::size_t i = 0; i < rows; ++i) {
      texts[i] = csv->records[i + 1].fields[j];
      missing[i] = texts[i].empty();
    }
    frame.columns.push_back(FrameColumn::Text(header[j], texts, &missing));
  }
  if (absl::Status s = ValidateFrame(frame, /*allow_empty=*/false); !s.ok()) {
    return absl::InvalidArgumentError(Str(Plain(name), ": ", MessageOf(s)));
  }
  return frame;
}

absl::StatusOr<DayNumber> OnArg(const Invocation& inv) {
  if (!inv.Has("--on")) return kNoDate;
  absl::StatusOr<DayNumber> day = ParseDate(inv.Get("--on"));
  if (!day.ok()) return absl::InvalidArgumentError(Str("--on: ", MessageOf(day.status())));
  return day;
}

// The log's key from --log-key-env VAR ("" without the option).
absl::StatusOr<std::string> LogKeyArg(const Invocation& inv) {
  if (!inv.Has("--log-key-env")) return std::string();
  const std::string var = inv.Get("--log-key-env");
  const char* v = std::getenv(var.c_str());
  if (v == nullptr || *v == '\0') {
    return absl::InvalidArgumentError(
        Str("the environment variable ", Plain(var), " named by --log-key-env is not set"));
  }
  return std::string(v);
}

// Loads --policy and reads the options every gate command shares.
struct GateArgs {
  std::shared_ptr<const Policy> policy;
  std::string release;
  Frame frame;
  ReleaseOptions options;
};

absl::Status ReadGateArgs(const Invocation& inv, GateArgs* g) {
  if (!inv.Has("--policy")) return absl::InvalidArgumentError("--policy is required");
  if (!inv.Has("--release")) return absl::InvalidArgumentError("--release is required");
  absl::StatusOr<Language> language = LanguageOf(inv);
  if (!language.ok()) return language.status();
  absl::StatusOr<DayNumber> on = OnArg(inv);
  if (!on.ok()) return on.status();
  const std::string policy_arg = inv.Get("--policy");
  absl::StatusOr<std::shared_ptr<const Policy>> policy = LoadPolicyArg(policy_arg);
  if (!policy.ok()) {
    return absl::Status(policy.status().code(), LoadErrorMessage(policy_arg, policy.status()));
  }
  g->policy = *std::move(policy);
  g->release = inv.Get("--release");
  absl::StatusOr<Frame> frame = ReadFrame(inv, inv.operands.front());
  if (!frame.ok()) return frame.status();
  g->frame = *std::move(frame);
  g->options.on = *on;
  g->options.language = *language;
  g->options.progress = ProgressOf(inv);
  return absl::OkStatus();
}

std::string KindOf(const ReleaseFinding& f) {
  return f.problem == ReleaseProblem::kIdentifierInClear ? std::string(IdKindName(f.kind)) : "";
}

// ---------------------------------------------------------------------------
// release check
// ---------------------------------------------------------------------------

int RunCheck(const Invocation& inv) {
  GateArgs g;
  if (absl::Status s = ReadGateArgs(inv, &g); !s.ok()) return Fail(s);
  absl::StatusOr<ReleaseCheck> check = CheckRelease(*g.policy, g.release, g.frame, g.options);
  if (!check.ok()) return Fail(check.status());
  const Language lang = g.options.language;
  const std::string& file = inv.operands.front();
  Output out;
  if (inv.OutputFormat() == Format::kJson) {
    out.Cat("{\"file\": ", JsonString(file), ", \"release\": ", JsonString(check->release),
            ", \"passed\": ", JsonBool(check->passed), ", \"rows\": ", check->rows,
            ", \"findings\": [");
    for (std::size_t i = 0; i < check->findings.size(); ++i) {
      const ReleaseFinding& f = check->findings[i];
      const std::string kind = KindOf(f);
      out.Cat(i == 0 ? "\n" : ",\n", "  {\"code\": ", JsonString(ReleaseProblemName(f.problem)),
              ", \"title\": ", JsonString(ReleaseProblemTitle(f.problem, lang)),
              ", \"column\": ", JsonString(f.column),
              ", \"kind\": ", kind.empty() ? std::string("null") : JsonString(kind),
              ", \"rows\": ", f.rows, ", \"cells\": ", f.cells,
              ", \"message\": ", JsonString(f.message), "}");
    }
    out.Cat(check->findings.empty() ? "]}\n" : "\n]}\n");
  } else {
    out.Cat(Plain(file), ": release ", Plain(check->release), ": ",
            check->passed ? "passed" : "does not pass", " (", check->rows, " rows, ",
            check->findings.size(), check->findings.size() == 1 ? " finding" : " findings", ")\n");
    for (const ReleaseFinding& f : check->findings) {
      out.Cat("  ", ReleaseProblemName(f.problem), " (", ReleaseProblemTitle(f.problem, lang), ")");
      if (!f.column.empty()) out.Cat(" column ", Plain(f.column));
      if (f.problem == ReleaseProblem::kIdentifierInClear) out.Cat(" kind ", KindOf(f));
      out.Cat(": rows ", f.rows);
      if (f.problem == ReleaseProblem::kSmallCell || f.problem == ReleaseProblem::kSmallGroup) {
        out.Cat(f.problem == ReleaseProblem::kSmallCell ? ", cells " : ", groups ", f.cells);
      }
      out.Cat("\n    ", Plain(f.message), "\n");
    }
  }
  if (!Flush(&out)) return kExitUsage;
  return check->passed ? kExitOk : kExitFindings;
}

// ---------------------------------------------------------------------------
// release prepare
// ---------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<Vault>> OpenVaultArg(const Invocation& inv) {
  if (!inv.Has("--vault")) return std::unique_ptr<Vault>();
  if (!inv.Has("--passphrase-env")) {
    return absl::InvalidArgumentError(
        "--vault needs --passphrase-env VAR (the vault's passphrase)");
  }
  const std::string var = inv.Get("--passphrase-env");
  const char* v = std::getenv(var.c_str());
  if (v == nullptr || *v == '\0') {
    return absl::InvalidArgumentError(
        Str("the environment variable ", Plain(var), " named by --passphrase-env is not set"));
  }
  const char* user = std::getenv("USER");
  VaultOptions options;
  options.set_path(inv.Get("--vault"));
  options.set_passphrase(v);
  options.set_actor(user != nullptr ? user : "gdprkit-cli");
  return Vault::Open(options);
}

// A new private file (mode 0600) beside `path`, renamed over it by Commit;
// removed when dropped uncommitted.
class PendingFile {
 public:
  explicit PendingFile(std::string path)
      : path_(std::move(path)), temp_(Str(path_, ".tmp-", ::getpid())) {}
  ~PendingFile() {
    if (!committed_ && created_) ::unlink(temp_.c_str());
  }
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  absl::Status Write(std::string_view data) {
    const int fd =
        ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return Error("cannot create", errno);
    created_ = true;
    bool ok = ::fchmod(fd, 0600) == 0;
    while (ok && !data.empty()) {
      const ssize_t n = ::write(fd, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) data.remove_prefix(static_cast<std::size_t>(n));
    }
    ok = ok && ::fsync(fd) == 0;
    const int err = errno;
    ok = ::close(fd) == 0 && ok;
    return ok ? absl::OkStatus() : Error("cannot write", err);
  }
  absl::Status Commit() {
    if (::rename(temp_.c_str(), path_.c_str()) != 0)
      return Error("cannot rename into place", errno);
    committed_ = true;
    return absl::OkStatus();
  }

 private:
  absl::Status Error(std::string_view what, int err) const {
    return absl::Status(err == ENOENT || err == ENOTDIR ? absl::StatusCode::kNotFound
                        : err == EACCES || err == EPERM ? absl::StatusCode::kPermissionDenied
                                                        : absl::StatusCode::kInvalidArgument,
                        Str("--out ", Plain(path_), ": ", what, ": ", std::strerror(err)));
  }
  std::string path_;
  std::string temp_;
  bool created_ = false;
  bool committed_ = false;
};

std::string FrameCsv(const Frame& frame) {
  std::string out = CsvRow(frame.names());
  std::vector<std::string> fields(frame.columns.size());
  for (std::size_t i = 0; i < frame.rows(); ++i) {
    for (std::size_t j = 0; j < frame.columns.size(); ++j) {
      fields[j] = FormatFrameValue(frame.columns[j], i);
    }
    out += CsvRow(fields);
  }
  return out;
}

void PrintReport(const Invocation& inv, const ReleaseReport& r, const std::string& out_path,
                 const std::string& log_path, Output* out) {
  const std::string on = r.on == kNoDate ? std::string() : FormatDate(r.on);
  if (inv.OutputFormat() == Format::kJson) {
    out->Cat(
        "{\"release\": ", JsonString(r.release), ", \"title\": ", JsonString(r.title),
        ", \"purpose\": ", JsonString(r.purpose), ", \"on\": ", JsonString(on),
        ", \"shape\": ", JsonString(r.table ? "table" : "extract"), ", \"rows_in\": ", r.rows_in,
        ", \"rows_too_old\": ", r.rows_too_old, ", \"rows_missing_date\": ", r.rows_missing_date,
        ", \"columns_dropped\": ", JsonStringArray(r.columns_dropped),
        ", \"values_pseudonymised\": ", r.values_pseudonymised,
        ", \"values_generalised\": ", r.values_generalised,
        ", \"identifiers_redacted\": ", r.identifiers_redacted, ", \"cells\": ", r.cells,
        ", \"cells_primary\": ", r.cells_primary, ", \"cells_secondary\": ", r.cells_secondary,
        ", \"k\": ", r.k, ", \"values_suppressed\": ", r.values_suppressed,
        ", \"rows_withheld\": ", r.rows_withheld, ", \"smallest_group\": ", r.smallest_group,
        ", \"audit_passed\": ", JsonBool(r.audit_passed), ", \"audit\": ", JsonString(r.audit_text),
        ", \"rows_out\": ", r.rows_out, ", \"out\": ", JsonString(out_path),
        ", \"policy_digest\": ", JsonString(r.policy_digest),
        ", \"content_digest\": ", JsonString(r.content_digest));
    if (!log_path.empty()) {
      out->Cat(", \"log\": ", JsonString(log_path), ", \"log_seq\": ", r.log_seq,
               ", \"log_hash\": ", JsonString(r.log_hash));
    }
    out->Cat("}\n");
    return;
  }
  out->Cat("release ", Plain(r.release));
  if (!r.title.empty()) out->Cat(" (", Plain(r.title), ")");
  out->Cat(" of purpose ", Plain(r.purpose), ", on ", on, ": ", r.table ? "table" : "extract",
           "\n");
  out->Cat("  rows in ", r.rows_in, "; dropped ", r.rows_too_old + r.rows_missing_date, " (",
           r.rows_too_old, " too old, ", r.rows_missing_date, " without a date)\n");
  std::vector<std::string> dropped;
  for (const std::string& c : r.columns_dropped) dropped.push_back(Plain(c));
  out->Cat("  columns dropped: ", dropped.empty() ? std::string("none") : Join(dropped, ", "),
           "\n");
  out->Cat("  values pseudonymised ", r.values_pseudonymised, ", generalised ",
           r.values_generalised, "; identifiers redacted in text ", r.identifiers_redacted, "\n");
  if (r.table) {
    out->Cat("  cells ", r.cells, ": suppressed ", r.cells_primary, " by the primary rules and ",
             r.cells_secondary, " to protect them\n");
  } else {
    out->Cat("  k ", r.k, ": values suppressed ", r.values_suppressed, ", rows withheld ",
             r.rows_withheld, ", smallest group ", r.smallest_group, "\n");
  }
  out->Cat("  audit: ", r.audit_passed ? "passed" : "failed");
  if (!r.audit_text.empty()) out->Cat(" (", Plain(r.audit_text), ")");
  out->Cat("\n  rows out ", r.rows_out, " -> ", Plain(out_path), "\n");
  out->Cat("  policy digest  ", r.policy_digest, "\n  content digest ", r.content_digest, "\n");
  if (!log_path.empty()) {
    out->Cat("  logged in ", Plain(log_path), " as entry ", r.log_seq, ", hash ", r.log_hash, "\n");
  }
}

int RunPrepare(const Invocation& inv) {
  if (!inv.Has("--out")) return UsageError("--out is required", "release prepare ");
  if (inv.Has("--log-key-env") && !inv.Has("--log")) {
    return UsageError("--log-key-env needs --log", "release prepare ");
  }
  GateArgs g;
  if (absl::Status s = ReadGateArgs(inv, &g); !s.ok()) return Fail(s);
  absl::StatusOr<std::unique_ptr<Vault>> vault = OpenVaultArg(inv);
  if (!vault.ok()) return Fail(vault.status());
  absl::StatusOr<std::string> key = LogKeyArg(inv);
  if (!key.ok()) return Fail(key.status());
  // The log is opened (and its chain verified) before anything is prepared,
  // and appended to only once OUT.csv is written in full beside its place.
  std::unique_ptr<ReleaseLog> log;
  const std::string log_path = inv.Get("--log");
  if (!log_path.empty()) {
    ReleaseLogOptions log_options;
    log_options.key = *key;
    absl::StatusOr<std::unique_ptr<ReleaseLog>> opened = ReleaseLog::Open(log_path, log_options);
    if (!opened.ok()) return Fail(opened.status());
    log = *std::move(opened);
  }
  PrepareOptions options;
  static_cast<ReleaseOptions&>(options) = g.options;
  options.vault = vault->get();
  absl::StatusOr<PreparedRelease> prepared = PrepareRelease(*g.policy, g.release, g.frame, options);
  if (!prepared.ok()) return Fail(prepared.status());
  const std::string out_path = inv.Get("--out");
  PendingFile file(out_path);
  if (absl::Status s = file.Write(FrameCsv(prepared->frame)); !s.ok()) return Fail(s);
  if (log != nullptr) {
    absl::StatusOr<ReleaseLogEntry> e = log->Append(&prepared->report);
    if (!e.ok()) return Fail(e.status());
  }
  if (absl::Status s = file.Commit(); !s.ok()) return Fail(s);
  Output out;
  PrintReport(inv, prepared->report, out_path, log_path, &out);
  return Flush(&out) ? kExitOk : kExitUsage;
}

// ---------------------------------------------------------------------------
// release verify | show | digest
// ---------------------------------------------------------------------------

int RunVerify(const Invocation& inv) {
  absl::StatusOr<std::string> key = LogKeyArg(inv);
  if (!key.ok()) return Fail(key.status());
  ReleaseLogOptions options;
  options.key = *key;
  const std::string& path = inv.operands.front();
  absl::StatusOr<ReleaseLogVerification> v =
      VerifyReleaseLog(path, options, inv.Get("--expect-head"));
  if (!v.ok()) return Fail(v.status());
  Output out;
  if (inv.OutputFormat() == Format::kJson) {
    out.Cat("{\"file\": ", JsonString(path), ", \"intact\": ", JsonBool(v->intact),
            ", \"entries\": ", v->entries, ", \"head\": ", JsonString(v->head),
            ", \"first_broken_entry\": ", v->first_broken_entry,
            ", \"first_broken_line\": ", v->first_broken_line,
            ", \"problem\": ", JsonString(v->problem), ", \"log_id\": ", JsonString(v->log_id),
            ", \"keyed\": ", JsonBool(v->keyed), "}\n");
  } else if (v->intact) {
    out.Cat(Plain(path), ": intact: ", v->entries, v->entries == 1 ? " entry, " : " entries, ",
            v->keyed ? "keyed" : "plain", " chain, log ", v->log_id, "\nhead ", v->head, "\n");
  } else {
    out.Cat(Plain(path), ":", v->first_broken_line, ": broken at ",
            v->first_broken_entry == 0 ? std::string("the header")
                                       : Str("entry ", v->first_broken_entry),
            " (line ", v->first_broken_line, "): ", Plain(v->problem), "\n", v->entries,
            " entries verified before it; last good head ", v->head, "\n");
  }
  if (!Flush(&out)) return kExitUsage;
  return v->intact ? kExitOk : kExitFindings;
}

void ShowEntry(const ReleaseLogEntry& e, Format format, bool first, Output* out) {
  const std::string on = e.on == kNoDate ? std::string() : FormatDate(e.on);
  const std::string at = internal::FormatInstant(e.released_at);
  if (format == Format::kJson) {
    out->Cat(first ? "\n" : ",\n", "  {\"seq\": ", e.seq, ", \"line\": ", e.line,
             ", \"released_at\": ", JsonString(at), ", \"release\": ", JsonString(e.release),
             ", \"policy_digest\": ", JsonString(e.policy_digest),
             ", \"content_digest\": ", JsonString(e.content_digest), ", \"on\": ", JsonString(on),
             ", \"shape\": ", JsonString(e.table ? "table" : "extract"),
             ", \"audit_passed\": ", JsonBool(e.audit_passed), ", \"rows_in\": ", e.rows_in,
             ", \"rows_dropped\": ", e.rows_dropped, ", \"rows_out\": ", e.rows_out,
             ", \"cells_suppressed\": ", e.cells_suppressed,
             ", \"values_suppressed\": ", e.values_suppressed,
             ", \"rows_withheld\": ", e.rows_withheld, ", \"hash\": ", JsonString(e.hash), "}");
    return;
  }
  out->Cat("entry ", e.seq, " (line ", e.line, "): release ", Plain(e.release), " on ", on, " (",
           e.table ? "table" : "extract", "), released ", at, ", audit ",
           e.audit_passed ? "passed" : "failed", "\n");
  out->Cat("  rows in ", e.rows_in, ", dropped ", e.rows_dropped, ", out ", e.rows_out);
  if (e.table) {
    out->Cat("; cells suppressed ", e.cells_suppressed, "\n");
  } else {
    out->Cat("; values suppressed ", e.values_suppressed, ", rows withheld ", e.rows_withheld,
             "\n");
  }
  out->Cat("  policy  ", e.policy_digest, "\n  content ", e.content_digest, "\n  hash    ", e.hash,
           "\n");
}

int RunShow(const Invocation& inv) {
  if (inv.Has("--entry") && inv.Has("--last")) {
    return UsageError("give --entry N or --last, not both", "release show ");
  }
  absl::StatusOr<std::string> key = LogKeyArg(inv);
  if (!key.ok()) return Fail(key.status());
  ReleaseLogOptions options;
  options.key = *key;
  const std::string& path = inv.operands.front();
  absl::StatusOr<std::vector<ReleaseLogEntry>> entries = ReadReleaseLog(path, options);
  if (!entries.ok()) return Fail(entries.status());
  std::size_t from = 0, to = entries->size();
  if (inv.Has("--last")) {
    if (entries->empty()) return Fail(absl::NotFoundError(Str(Plain(path), ": no entries")));
    from = to - 1;
  } else if (inv.Has("--entry")) {
    const std::string n = inv.Get("--entry");
    char* end = nullptr;
    errno = 0;
    const long long seq = std::strtoll(n.c_str(), &end, 10);
    if (n.empty() || *end != '\0' || errno == ERANGE || seq < 1) {
      return UsageError(Str("--entry: '", Plain(n), "' is not an entry number (1, 2, ...)"),
                        "release show ");
    }
    if (static_cast<unsigned long long>(seq) > entries->size()) {
      return Fail(absl::NotFoundError(
          Str(Plain(path), ": no entry ", seq, " (the log has ", entries->size(), " entries)")));
    }
    from = static_cast<std::size_t>(seq - 1);
    to = from + 1;
  }
  Output out;
  const Format format = inv.OutputFormat();
  if (format == Format::kJson) out.Cat("{\"file\": ", JsonString(path), ", \"entries\": [");
  for (std::size_t i = from; i < to; ++i) ShowEntry((*entries)[i], format, i == from, &out);
  if (format == Format::kJson) out.Cat(from == to ? "]}\n" : "\n]}\n");
  if (format == Format::kText && entries->empty()) out.Cat(Plain(path), ": no entries\n");
  return Flush(&out) ? kExitOk : kExitUsage;
}

int RunDigest(const Invocation& inv) {
  const std::string& path = inv.operands.front();
  absl::StatusOr<Frame> frame = ReadFrame(inv, path);
  if (!frame.ok()) return Fail(frame.status());
  absl::StatusOr<std::string> digest = ContentDigest(*frame);
  if (!digest.ok()) return Fail(digest.status());
  Output out;
  out.Cat(*digest, "  ", Plain(path), "\n");
  return Flush(&out) ? kExitOk : kExitUsage;
}

std::vector<OptionSpec> GateOptions(std::vector<OptionSpec> more) {
  std::vector<OptionSpec> o = {
      {"--policy", "FILE", {}, "the policy whose release rules apply (required)"},
      {"--release", "ID", {}, "the release's id in the policy (required)"},
      {"--on", "DATE", {}, "the release date, YYYY-MM-DD (default today, UTC)"},
      DelimiterOption(),
      LanguageOption(),
      ProgressOption(),
  };
  o.insert(o.end(), more.begin(), more.end());
  return o;
}

OptionSpec LogKeyOption() {
  return {"--log-key-env", "VAR", {}, "the release log's key (16-64 bytes) from variable VAR"};
}

}  // namespace

std::vector<Command> ReleaseCommands() {
  return {
      {"release", "check", "DATA.csv", 1, 1,
       "Check records against a release's rules: findings with codes and counts, never values",
       "Reads DATA.csv (all columns as text; an empty field is missing) and reports what would\n"
       "break the release's rules if it left as it is: identifiers in clear (also CPR, CVR,\n"
       "GLN and provider numbers inside free text), rows older than the maximum age or without\n"
       "a date, undeclared or dropped columns, small cells or groups. Exit 0 when it passes,\n"
       "1 with findings, 2 on errors. With --lang, titles are in that language.",
       GateOptions({{"--format", "FORMAT", {"text", "json"}, "output format: text or json"}}),
       RunCheck},
      {"release", "prepare", "DATA.csv", 1, 1,
       "Prepare a release: apply its rules, check the result, write it and log the proof",
       "Drops rows older than the maximum age, drops, pseudonymises (in --vault) and\n"
       "generalises columns, redacts identifiers in text, then tabulates and suppresses (with\n"
       "the audit) or applies local suppression until every group has k rows; checks the\n"
       "result and writes it to --out (mode 0600; a header and one line per row or cell). With\n"
       "--log, the release is appended to that hash-chained release log (created when\n"
       "missing). When anything fails nothing is written: neither --out nor the log. Prints\n"
       "the report: counts, the audit, the policy and content digests, the log entry.",
       GateOptions({{"--out", "OUT.csv", {}, "where the released data go (required)"},
                    {"--vault", "VAULT", {}, "the vault for pseudonymised columns"},
                    {"--passphrase-env", "VAR", {}, "the vault's passphrase from variable VAR"},
                    {"--log", "LOG", {}, "the release log to append the proof to"},
                    LogKeyOption(),
                    {"--format", "FORMAT", {"text", "json"}, "report format: text or json"}}),
       RunPrepare},
      {"release",
       "verify",
       "LOG",
       1,
       1,
       "Verify a release log's hash chain",
       "Exit 0 when the chain is intact, 1 when it is broken (the first broken entry and its\n"
       "line are named), 2 on errors. --expect-head HASH (kept elsewhere since the last\n"
       "release) notices a log cut short or replaced.",
       {LogKeyOption(),
        {"--expect-head", "HASH", {}, "a head hash (64 hex) the log must contain"},
        {"--format", "FORMAT", {"text", "json"}, "output format: text or json"}},
       RunVerify},
      {"release",
       "show",
       "LOG",
       1,
       1,
       "Print a release log's entries (after verifying the chain)",
       "Every entry, or one (--entry N, --last): when, which release on which date, the\n"
       "policy and content digests, the audit's verdict and the counts.",
       {{"--entry", "N", {}, "only entry N (1-based)"},
        {"--last", "", {}, "only the last entry"},
        LogKeyOption(),
        {"--format", "FORMAT", {"text", "json"}, "output format: text or json"}},
       RunShow},
      {"release",
       "digest",
       "FILE.csv",
       1,
       1,
       "Print the content digest of a CSV file, as the release log records it",
       "Reads FILE.csv with every column as text, as `release prepare` wrote it, and prints\n"
       "the digest of its canonical form: equal to the log's content digest for the file\n"
       "`release prepare --out` wrote.",
       {DelimiterOption()},
       RunDigest},
  };
}

}  // namespace gdprkit::cli
