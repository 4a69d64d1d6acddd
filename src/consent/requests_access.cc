// AccessReport (gdprkit/requests.h): what the library holds about a data
// subject, as portable JSON (Art. 15(3), 20(1)): the consent entries with the
// notices' versions and digests, the requests and their trails.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "gdprkit/requests.h"

namespace gdprkit {
namespace {

// A small JSON writer: objects and arrays, with commas placed for the caller.
class Json {
 public:
  void Begin(char open) {
    Comma();
    out_.push_back(open);
    first_ = true;
  }
  void End(char close) {
    out_.push_back(close);
    first_ = false;
  }
  void Key(std::string_view key) {
    Comma();
    String(key);
    out_.push_back(':');
    first_ = true;  // the value follows without a comma
  }
  void Text(std::string_view value) {
    Comma();
    String(value);
  }
  void Number(std::int64_t value) {
    Comma();
    absl::StrAppend(&out_, value);
  }
  void Bool(bool value) {
    Comma();
    out_ += value ? "true" : "false";
  }
  void Null() {
    Comma();
    out_ += "null";
  }
  void Date(DayNumber day) {
    if (day == kNoDate) {
      Null();
    } else {
      Text(FormatDate(day));
    }
  }
  void Time(std::int64_t unix_seconds) {
    Text(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(unix_seconds),
                          absl::UTCTimeZone()));
  }
  void Field(std::string_view key, std::string_view value) {
    Key(key);
    Text(value);
  }
  std::string Take() { return std::move(out_); }

 private:
  void Comma() {
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  // RFC 8259: '"', '\\' and the control characters escaped; UTF-8 as is.
  void String(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_.push_back('"');
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out_.push_back('\\');
        out_.push_back(c);
      } else if (c == '\n') {
        out_ += "\\n";
      } else if (c == '\r') {
        out_ += "\\r";
      } else if (c == '\t') {
        out_ += "\\t";
      } else if (u < 0x20 || u == 0x7f) {
        out_ += "\\u00";
        out_.push_back(kHex[u >> 4]);
        out_.push_back(kHex[u & 15]);
      } else {
        out_.push_back(c);
      }
    }
    out_.push_back('"');
  }

  std::string out_;
  bool first_ = true;
};

}  // namespace

absl::StatusOr<std::string> AccessReport(std::string_view subject, const ConsentLedger* ledger,
                                         const RequestRegister* requests) {
  if (!IsTokenShaped(subject) && !IsPseudonymShaped(subject)) {
    return absl::InvalidArgumentError(
        "subject: not a vault token (\"tk_...\") or pseudonym (\"ps<version>_...\") (value "
        "withheld)");
  }
  if (ledger == nullptr && requests == nullptr) {
    return absl::InvalidArgumentError("neither a consent ledger nor a request register given");
  }
  Json j;
  j.Begin('{');
  j.Field("format", "gdprkit-access-report-v1");
  j.Field("subject", subject);
  if (ledger != nullptr) {
    GDPRKIT_ASSIGN_OR_RETURN(std::vector<ConsentEntry> entries, ledger->EntriesOf(subject));
    j.Field("consent_ledger", ledger->ledger_id());
    j.Key("consent");
    j.Begin('[');
    for (const ConsentEntry& e : entries) {
      const ConsentRecord& r = e.record;
      j.Begin('{');
      j.Key("seq");
      j.Number(e.seq);
      j.Key("recorded_at");
      j.Time(e.recorded_at);
      j.Field("purpose", r.purpose);
      j.Field("state", ConsentStateName(r.state));
      j.Field("dpv", ConsentStateDpv(r.state));
      j.Key("at");
      j.Time(r.at);
      j.Key("valid_until");
      j.Date(r.valid_until);
      j.Field("notice_version", r.notice_version);
      j.Field("notice_digest", r.notice_digest);
      j.Field("channel", r.channel);
      j.Field("recorded_by", r.recorded_by);
      j.Field("evidence", r.evidence);
      j.Field("hash", e.hash);
      j.End('}');
    }
    j.End(']');
  }
  if (requests != nullptr) {
    GDPRKIT_ASSIGN_OR_RETURN(std::vector<Request> all, requests->List());
    // One pass over the chain for every trail, not one per request.
    GDPRKIT_ASSIGN_OR_RETURN(std::vector<RequestEvent> events, requests->Trail());
    j.Field("request_register", requests->register_id());
    j.Key("requests");
    j.Begin('[');
    for (const Request& r : all) {
      if (r.subject != subject) continue;
      j.Begin('{');
      j.Field("id", r.id);
      j.Field("kind", RequestKindName(r.kind));
      j.Key("purposes");
      j.Begin('[');
      for (const std::string& p : r.purposes) j.Text(p);
      j.End(']');
      j.Key("received");
      j.Date(r.received);
      j.Key("due");
      j.Date(r.due);
      j.Key("extended");
      j.Bool(r.extended);
      j.Field("extension_reason", r.extension_reason);
      j.Field("identity", IdentityCheckName(r.identity));
      j.Field("identity_method", r.identity_method);
      j.Field("status", RequestStatusName(r.status));
      j.Key("closed_on");
      j.Date(r.closed_on);
      j.Field("outcome", r.outcome);
      j.Field("channel", r.channel);
      j.Key("trail");
      j.Begin('[');
      for (const RequestEvent& ev : events) {
        if (ev.request_id != r.id) continue;
        j.Begin('{');
        j.Key("seq");
        j.Number(ev.seq);
        j.Key("recorded_at");
        j.Time(ev.recorded_at);
        j.Field("event", ev.event);
        j.Key("on");
        j.Date(ev.on);
        j.Field("detail", ev.detail);
        j.Field("recorded_by", ev.recorded_by);
        j.Field("hash", ev.hash);
        j.End('}');
      }
      j.End(']');
      j.End('}');
    }
    j.End(']');
  }
  j.End('}');
  return j.Take();
}

}  // namespace gdprkit
