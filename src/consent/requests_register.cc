// The request register (gdprkit/requests.h) on the area's hash-chained store
// (internal/chain_store.h): every state change is one entry, and a request's
// state is rebuilt from its entries.
//
// An entry's kind is the event's name ("received", "extended", ...). Its
// body holds the public fields as "name=value" lines (values escaped: "\\"
// and "\n"): the request id, the kind, dates, the channel, who recorded it
// and the purposes. The data subject is the entry's erasable subject, and
// the free texts (identity method, extension reason, outcome) its erasable
// secret, so that EraseSubject removes them from every entry of the
// subject's requests while the chain still verifies.
#include <sodium.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "common/text.h"
#include "consent/internal/chain_store.h"
#include "gdprkit/requests.h"

namespace gdprkit {

using internal::AV;
using internal::ChainStore;
using internal::StoreEntry;
using internal::StoreEntryIn;

namespace {

constexpr internal::ChainStoreKind kRegisterKind = {"gdprkit-request-register", "request register",
                                                    internal::kRequestRegisterApplicationId, ""};

constexpr std::string_view kReceived = "received";
constexpr std::string_view kIdentityVerified = "identity_verified";
constexpr std::string_view kIdentityFailed = "identity_failed";
constexpr std::string_view kExtended = "extended";
constexpr std::string_view kErased = "erased";

// ---- Field checks (messages name the field, never the value) ---------------

absl::Status CheckSubject(std::string_view subject, std::string_view field) {
  // The vault's forms, as the consent ledger checks them.
  if (!IsTokenShaped(subject) && !IsPseudonymShaped(subject)) {
    return absl::InvalidArgumentError(absl::StrCat(
        AV(field),
        ": not a vault token (\"tk_...\") or pseudonym (\"ps<version>_...\"); the register never "
        "holds an identifier in clear (value withheld)"));
  }
  return absl::OkStatus();
}

// UTF-8 text of [min, max] bytes without control characters (but line
// breaks and tabs when `multiline`: reasons and outcomes).
absl::Status CheckText(std::string_view text, std::string_view field, std::size_t min,
                       std::size_t max, bool multiline = false) {
  if (text.size() < min || text.size() > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(AV(field), ": must have ", min, "-", max, " bytes (has ", text.size(), ")"));
  }
  if (!internal::IsValidUtf8(text)) {
    return absl::InvalidArgumentError(absl::StrCat(AV(field), ": not valid UTF-8"));
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 || u == 0x7f) && !(multiline && (c == '\n' || c == '\t'))) {
      return absl::InvalidArgumentError(absl::StrCat(
          AV(field), multiline ? ": holds a control character"
                               : ": holds a control character (line breaks included)"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckId(std::string_view id) {
  if (id.empty() || id.size() > 128) {
    return absl::InvalidArgumentError("id: must have 1-128 characters");
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':' || c == '/';
    if (!ok) {
      return absl::InvalidArgumentError(
          "id: only letters, digits and - _ . : / are allowed (value withheld)");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDay(DayNumber day, std::string_view field) {
  if (!IsValidDay(day)) {
    return absl::InvalidArgumentError(
        absl::StrCat(AV(field), ": a day number that is no date in 0001-9999"));
  }
  return absl::OkStatus();
}

// "rq_" + 16 base32 characters (80 random bits).
std::string NewRequestId() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  unsigned char raw[10];
  randombytes_buf(raw, sizeof raw);
  std::string out = "rq_";
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char b : raw) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  return out;
}

// ---- Entry bodies -------------------------------------------------------------

void Put(std::string* body, std::string_view name, std::string_view value) {
  absl::StrAppend(body, AV(name), "=");
  for (char c : value) {
    if (c == '\\') {
      body->append("\\\\");
    } else if (c == '\n') {
      body->append("\\n");
    } else {
      body->push_back(c);
    }
  }
  body->push_back('\n');
}

// The fields of a body, in order; false when it is not well formed.
bool ParseBody(std::string_view body, std::vector<std::pair<std::string, std::string>>* out) {
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) return false;
    const std::string_view line = body.substr(pos, end - pos);
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) return false;
    std::string value;
    for (std::size_t i = eq + 1; i < line.size(); ++i) {
      if (line[i] == '\\') {
        if (++i == line.size()) return false;
        if (line[i] == 'n') {
          value.push_back('\n');
        } else if (line[i] == '\\') {
          value.push_back('\\');
        } else {
          return false;
        }
      } else {
        value.push_back(line[i]);
      }
    }
    out->emplace_back(std::string(line.substr(0, eq)), std::move(value));
    pos = end + 1;
  }
  return true;
}

// An entry's fields as the register reads them.
struct Fields {
  std::string id;
  RequestKind kind = RequestKind::kAccess;
  DayNumber received = kNoDate;
  DayNumber on = kNoDate;
  std::string channel;
  std::string by;
  std::vector<std::string> purposes;
  std::vector<std::string> requests;  // "erased": the requests whose texts were erased
};

bool IsEvent(std::string_view kind) {
  return kind == kReceived || kind == kIdentityVerified || kind == kIdentityFailed ||
         kind == kExtended || kind == kErased || ParseRequestStatus(kind).ok();
}

// "" when the entry is well formed, else what is wrong.
std::string ReadFields(const StoreEntry& e, Fields* f) {
  if (!IsEvent(e.kind) || e.kind == "open") return "an unknown kind of entry";
  std::vector<std::pair<std::string, std::string>> kv;
  if (!ParseBody(e.body, &kv)) return "its body is not well formed";
  for (const auto& [name, value] : kv) {
    if (name == "id") {
      f->id = value;
    } else if (name == "kind") {
      absl::StatusOr<RequestKind> k = ParseRequestKind(value);
      if (!k.ok()) return "an unknown request kind";
      f->kind = *k;
    } else if (name == "received" || name == "on") {
      absl::StatusOr<DayNumber> d = ParseDate(value);
      if (!d.ok()) return "a malformed date";
      (name == "on" ? f->on : f->received) = *d;
    } else if (name == "channel") {
      f->channel = value;
    } else if (name == "by") {
      f->by = value;
    } else if (name == "purpose") {
      f->purposes.push_back(value);
    } else if (name == "request") {
      f->requests.push_back(value);
    } else {
      return "an unknown field";
    }
  }
  if (e.kind == kErased) return f->by.empty() ? "an erasure without its recorder" : "";
  if (f->id.empty() || f->by.empty()) return "an event without its request id or recorder";
  if (e.kind == kReceived) {
    if (f->received == kNoDate) return "a request without its received date";
  } else if (f->on == kNoDate) {
    return "an event without its date";
  }
  return "";
}

}  // namespace

// ---- The register -----------------------------------------------------------

struct RequestRegister::Impl {
  std::shared_ptr<const Policy> policy;
  std::unique_ptr<ChainStore> store;
  // Serialises what changes the index through the store (writes, catch-up,
  // rebuilds), so that an entry applied by one thread is never lost to
  // another's rebuild. Order: ops, then the store's lock, then mu.
  absl::Mutex ops;
  absl::Mutex mu;
  std::map<std::string, Request, std::less<>> requests ABSL_GUARDED_BY(mu);

  using Index = std::map<std::string, Request, std::less<>>;

  // Applies a verified entry to the index.
  void Apply(const StoreEntry& e) {
    absl::MutexLock l(&mu);
    ApplyTo(e, &requests);
  }

  static void ApplyTo(const StoreEntry& e, Index* index) {
    Index& requests = *index;
    Fields f;
    if (!ReadFields(e, &f).empty()) return;  // the store's check refused it already
    if (e.kind == kReceived) {
      Request r;
      r.id = f.id;
      r.kind = f.kind;
      r.subject = e.subject;
      r.purposes = std::move(f.purposes);
      r.received = f.received;
      r.due = RequestDeadline(f.received);
      r.channel = std::move(f.channel);
      requests[f.id] = std::move(r);
      return;
    }
    auto it = requests.find(f.id);
    if (it == requests.end()) return;
    Request& r = it->second;
    if (e.kind == kIdentityVerified || e.kind == kIdentityFailed) {
      r.identity = e.kind == kIdentityVerified ? IdentityCheck::kVerified : IdentityCheck::kFailed;
      r.identity_method = e.secret;
    } else if (e.kind == kExtended) {
      r.extended = true;
      r.due = RequestDeadline(r.received, true);
      r.extension_reason = e.secret;
    } else if (absl::StatusOr<RequestStatus> s = ParseRequestStatus(e.kind); s.ok()) {
      r.status = *s;
      r.closed_on = f.on;
      r.outcome = e.secret;
    }
  }

  internal::StoreSink Sink() {
    return [this](const StoreEntry& e) { Apply(e); };
  }

  // Reads what other processes appended; rebuilds after an erasure there.
  absl::Status Refresh() {
    absl::MutexLock o(&ops);
    return RefreshLocked();
  }

  absl::Status RefreshLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(ops) {
    GDPRKIT_ASSIGN_OR_RETURN(bool erased, store->CatchUp(Sink()));
    if (erased) return Rebuild();
    return absl::OkStatus();
  }

  // Rebuilds the index aside and swaps it in, so that readers never see a
  // half-built one.
  absl::Status Rebuild() ABSL_EXCLUSIVE_LOCKS_REQUIRED(ops) {
    Index fresh;
    GDPRKIT_RETURN_IF_ERROR(store->ForEach([&](const StoreEntry& e) { ApplyTo(e, &fresh); }));
    absl::MutexLock l(&mu);
    requests.swap(fresh);
    return absl::OkStatus();
  }

  absl::Status NotFound(std::string_view id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    std::vector<std::string> ids;
    ids.reserve(requests.size());
    for (const auto& [k, v] : requests) ids.push_back(k);
    return absl::NotFoundError(absl::StrCat("no request ", internal::QuoteUntrusted(id),
                                            " in the register", internal::DidYouMean(id, ids)));
  }

  // Appends one event of an open request, checked inside the write
  // transaction against the state the other processes left.
  absl::StatusOr<Request> Change(std::string_view id, std::string_view event, DayNumber on,
                                 std::string_view detail, std::string_view recorded_by,
                                 const std::function<absl::Status(const Request&)>& check) {
    GDPRKIT_RETURN_IF_ERROR(CheckId(id));
    GDPRKIT_RETURN_IF_ERROR(CheckDay(on, "on"));
    GDPRKIT_RETURN_IF_ERROR(CheckText(recorded_by, "recorded_by", 1, 128));
    absl::MutexLock o(&ops);
    std::string subject;
    {
      GDPRKIT_RETURN_IF_ERROR(RefreshLocked());
      absl::MutexLock l(&mu);
      auto it = requests.find(id);
      if (it == requests.end()) return NotFound(id);
      subject = it->second.subject;
    }
    StoreEntryIn in;
    in.kind = std::string(event);
    Put(&in.body, "id", id);
    Put(&in.body, "on", FormatDate(on));
    Put(&in.body, "by", recorded_by);
    in.subject = subject;
    in.secret = std::string(detail);
    auto hook = [&](sqlite3*) -> absl::Status {
      absl::MutexLock l(&mu);
      auto it = requests.find(id);
      if (it == requests.end()) return NotFound(id);
      const Request& r = it->second;
      if (r.status != RequestStatus::kOpen) {
        return absl::FailedPreconditionError(
            absl::StrCat("request ", internal::QuoteUntrusted(id), " is closed (",
                         AV(RequestStatusName(r.status)), " on ", FormatDate(r.closed_on),
                         "): a closed request cannot change"));
      }
      if (on < r.received) {
        return absl::InvalidArgumentError(absl::StrCat("on: ", FormatDate(on),
                                                       " is before the request was received (",
                                                       FormatDate(r.received), ")"));
      }
      if (r.subject != subject) {
        return absl::AbortedError("the request changed meanwhile; try again");
      }
      return check ? check(r) : absl::OkStatus();
    };
    std::vector<StoreEntryIn> batch;
    batch.push_back(std::move(in));
    GDPRKIT_ASSIGN_OR_RETURN(internal::StoreAppendResult result,
                             store->Append(batch, Sink(), {}, hook));
    for (const StoreEntry& e : result.entries) Apply(e);
    absl::MutexLock l(&mu);
    return requests.at(std::string(id));
  }
};

RequestRegister::RequestRegister(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RequestRegister::~RequestRegister() = default;

namespace {

internal::ChainStoreOptions StoreOptions(const RequestRegisterOptions& options) {
  internal::ChainStoreOptions o;
  o.key = options.key;
  o.sync = options.sync;
  o.check = [](const StoreEntry& e) {
    Fields f;
    return ReadFields(e, &f);
  };
  return o;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RequestRegister>> RequestRegister::Create(
    const std::string& path, std::shared_ptr<const Policy> policy,
    const RequestRegisterOptions& options) {
  if (policy == nullptr) return absl::InvalidArgumentError("policy: none given");
  auto impl = std::make_unique<Impl>();
  impl->policy = std::move(policy);
  GDPRKIT_ASSIGN_OR_RETURN(impl->store,
                           ChainStore::Create(path, kRegisterKind, StoreOptions(options)));
  return std::unique_ptr<RequestRegister>(new RequestRegister(std::move(impl)));
}

absl::StatusOr<std::unique_ptr<RequestRegister>> RequestRegister::Open(
    const std::string& path, std::shared_ptr<const Policy> policy,
    const RequestRegisterOptions& options) {
  if (policy == nullptr) return absl::InvalidArgumentError("policy: none given");
  auto impl = std::make_unique<Impl>();
  impl->policy = std::move(policy);
  Impl* raw = impl.get();
  GDPRKIT_ASSIGN_OR_RETURN(
      impl->store, ChainStore::Open(path, kRegisterKind, StoreOptions(options), raw->Sink()));
  return std::unique_ptr<RequestRegister>(new RequestRegister(std::move(impl)));
}

absl::StatusOr<Request> RequestRegister::Receive(const NewRequest& request) {
  Impl* impl = impl_.get();
  std::string id = request.id;
  if (!id.empty()) GDPRKIT_RETURN_IF_ERROR(CheckId(id));
  if (static_cast<int>(request.kind) >= kRequestKindCount) {
    return absl::InvalidArgumentError("kind: not a request kind");
  }
  GDPRKIT_RETURN_IF_ERROR(CheckSubject(request.subject, "subject"));
  GDPRKIT_RETURN_IF_ERROR(CheckDay(request.received, "received"));
  GDPRKIT_RETURN_IF_ERROR(CheckText(request.channel, "channel", 1, 64));
  GDPRKIT_RETURN_IF_ERROR(CheckText(request.recorded_by, "recorded_by", 1, 128));
  for (std::size_t i = 0; i < request.purposes.size(); ++i) {
    absl::StatusOr<const Purpose*> p = impl->policy->GetPurpose(request.purposes[i]);
    if (!p.ok()) {
      return absl::Status(p.status().code(),
                          absl::StrCat("purposes[", i, "]: ", p.status().message()));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (request.purposes[j] == request.purposes[i]) {
        return absl::InvalidArgumentError(
            absl::StrCat("purposes[", i, "]: repeats purposes[", j, "]"));
      }
    }
  }
  if (id.empty()) id = NewRequestId();
  StoreEntryIn in;
  in.kind = std::string(kReceived);
  Put(&in.body, "id", id);
  Put(&in.body, "kind", RequestKindName(request.kind));
  Put(&in.body, "received", FormatDate(request.received));
  Put(&in.body, "channel", request.channel);
  Put(&in.body, "by", request.recorded_by);
  for (const std::string& p : request.purposes) Put(&in.body, "purpose", p);
  in.subject = request.subject;
  auto hook = [&](sqlite3*) -> absl::Status {
    absl::MutexLock l(&impl->mu);
    if (impl->requests.count(id) != 0) {
      return absl::AlreadyExistsError(
          absl::StrCat("id: a request ", internal::QuoteUntrusted(id), " is already registered"));
    }
    return absl::OkStatus();
  };
  std::vector<StoreEntryIn> batch;
  batch.push_back(std::move(in));
  absl::MutexLock o(&impl->ops);
  GDPRKIT_ASSIGN_OR_RETURN(internal::StoreAppendResult result,
                           impl->store->Append(batch, impl->Sink(), {}, hook));
  for (const StoreEntry& e : result.entries) impl->Apply(e);
  absl::MutexLock l(&impl->mu);
  return impl->requests.at(id);
}

absl::StatusOr<Request> RequestRegister::CheckIdentity(std::string_view id, bool verified,
                                                       std::string_view method, DayNumber on,
                                                       std::string_view recorded_by) {
  GDPRKIT_RETURN_IF_ERROR(CheckText(method, "method", 1, 128));
  return impl_->Change(id, verified ? kIdentityVerified : kIdentityFailed, on, method, recorded_by,
                       nullptr);
}

absl::StatusOr<Request> RequestRegister::Extend(std::string_view id, std::string_view reason,
                                                DayNumber on, std::string_view recorded_by) {
  GDPRKIT_RETURN_IF_ERROR(CheckText(reason, "reason", 1, 1024, true));
  return impl_->Change(id, kExtended, on, reason, recorded_by, [&](const Request& r) {
    if (r.extended) {
      return absl::FailedPreconditionError(absl::StrCat(
          "request ", internal::QuoteUntrusted(id),
          " was extended already: Art. 12(3) allows extending once, by two further months"));
    }
    if (on > r.due) {
      return absl::FailedPreconditionError(absl::StrCat(
          "request ", internal::QuoteUntrusted(id), ": the first deadline (", FormatDate(r.due),
          ") has passed; Art. 12(3) asks that the data subject be told of an extension within "
          "the first month"));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<Request> RequestRegister::Close(std::string_view id, RequestStatus status,
                                               std::string_view outcome, DayNumber on,
                                               std::string_view recorded_by) {
  if (status != RequestStatus::kAnswered && status != RequestStatus::kRefused &&
      status != RequestStatus::kCancelled) {
    return absl::InvalidArgumentError(
        "status: a request is closed as \"answered\", \"refused\" or \"cancelled\"");
  }
  GDPRKIT_RETURN_IF_ERROR(
      CheckText(outcome, "outcome", status == RequestStatus::kRefused ? 1 : 0, 4096, true));
  return impl_->Change(id, RequestStatusName(status), on, outcome, recorded_by, nullptr);
}

absl::StatusOr<Request> RequestRegister::Get(std::string_view id) const {
  GDPRKIT_RETURN_IF_ERROR(impl_->Refresh());
  absl::MutexLock l(&impl_->mu);
  auto it = impl_->requests.find(id);
  if (it == impl_->requests.end()) return impl_->NotFound(id);
  return it->second;
}

absl::StatusOr<std::vector<Request>> RequestRegister::List() const {
  GDPRKIT_RETURN_IF_ERROR(impl_->Refresh());
  std::vector<Request> out;
  {
    absl::MutexLock l(&impl_->mu);
    out.reserve(impl_->requests.size());
    for (const auto& [id, r] : impl_->requests) out.push_back(r);
  }
  std::stable_sort(out.begin(), out.end(), [](const Request& a, const Request& b) {
    return a.received != b.received ? a.received < b.received : a.id < b.id;
  });
  return out;
}

absl::StatusOr<std::vector<Request>> RequestRegister::Overdue(DayNumber on) const {
  GDPRKIT_RETURN_IF_ERROR(CheckDay(on, "on"));
  GDPRKIT_ASSIGN_OR_RETURN(std::vector<Request> all, List());
  std::vector<Request> out;
  for (Request& r : all) {
    if (r.status == RequestStatus::kOpen && r.due < on) out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(), [](const Request& a, const Request& b) {
    return a.due != b.due ? a.due < b.due : a.id < b.id;
  });
  return out;
}

absl::StatusOr<std::vector<RequestEvent>> RequestRegister::Trail(std::string_view id) const {
  if (!id.empty()) GDPRKIT_RETURN_IF_ERROR(Get(id).status());
  std::vector<RequestEvent> out;
  GDPRKIT_RETURN_IF_ERROR(impl_->store->ForEach([&](const StoreEntry& e) {
    Fields f;
    if (!ReadFields(e, &f).empty()) return;
    if (!id.empty() && f.id != id &&
        std::find(f.requests.begin(), f.requests.end(), id) == f.requests.end()) {
      return;
    }
    RequestEvent ev;
    ev.seq = e.seq;
    ev.recorded_at = e.recorded_at;
    ev.request_id = e.kind == kErased ? std::string(id) : f.id;
    ev.event = e.kind;
    ev.on = e.kind == kReceived ? f.received : f.on;
    ev.detail = e.secret;
    ev.recorded_by = f.by;
    ev.hash = e.hash;
    out.push_back(std::move(ev));
  }));
  return out;
}

absl::StatusOr<std::int64_t> RequestRegister::EraseSubject(std::string_view subject,
                                                           std::string_view recorded_by) {
  GDPRKIT_RETURN_IF_ERROR(CheckSubject(subject, "subject"));
  GDPRKIT_RETURN_IF_ERROR(CheckText(recorded_by, "recorded_by", 1, 128));
  Impl* impl = impl_.get();
  absl::MutexLock o(&impl->ops);
  GDPRKIT_RETURN_IF_ERROR(impl->RefreshLocked());
  StoreEntryIn in;
  in.kind = std::string(kErased);
  Put(&in.body, "by", recorded_by);
  {
    absl::MutexLock l(&impl->mu);
    bool any = false;
    for (const auto& [id, r] : impl->requests) {
      if (r.subject == subject) {
        Put(&in.body, "request", id);
        any = true;
      }
    }
    if (!any) return 0;
  }
  std::vector<StoreEntryIn> batch;
  batch.push_back(std::move(in));
  GDPRKIT_ASSIGN_OR_RETURN(internal::StoreAppendResult result,
                           impl->store->Append(batch, impl->Sink(), subject));
  GDPRKIT_RETURN_IF_ERROR(impl->Rebuild());
  return result.erased;
}

absl::StatusOr<ConsentVerification> RequestRegister::Verify(std::string_view expected_head) const {
  GDPRKIT_ASSIGN_OR_RETURN(internal::ChainStoreVerification v, impl_->store->Verify(expected_head));
  ConsentVerification out;
  out.intact = v.intact;
  out.entries = v.entries;
  out.head = std::move(v.head);
  out.first_broken_entry = v.first_broken_entry;
  out.problem = std::move(v.problem);
  out.ledger_id = std::move(v.store_id);
  out.keyed = v.keyed;
  return out;
}

const std::string& RequestRegister::path() const { return impl_->store->path(); }
const std::string& RequestRegister::register_id() const { return impl_->store->store_id(); }

}  // namespace gdprkit
