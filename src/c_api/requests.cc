// The C ABI of data subjects' requests (include/gdprkit/c/consent.h, the
// second half) over gdprkit/requests.h: the vocabularies by number, the
// Art. 12(3) deadline, the register, decisions, the erasure and the access
// report. Arguments are checked and converted; every rule, name and message
// is the core's (FromCore).
#include "gdprkit/requests.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "c_api/internal/consent_door.h"
#include "c_api/internal/door.h"
#include "common/sv.h"
#include "gdprkit.h"
#include "gdprkit/basis.h"
#include "gdprkit/vault.h"

struct gdprkit_request_register {
  std::unique_ptr<gdprkit::RequestRegister> core;
};

struct gdprkit_requests {
  std::vector<gdprkit::Request> core;
  std::vector<std::vector<const char*>> purposes;  // per request, NULL-terminated
};

struct gdprkit_request_trail {
  std::vector<gdprkit::RequestEvent> core;
};

struct gdprkit_decision {
  gdprkit::Decision core;
};

struct gdprkit_erasure_outcome {
  gdprkit::ErasureOutcome core;
};

namespace {

using gdprkit::capi::CheckArray;
using gdprkit::capi::Fail;
using gdprkit::capi::FromCore;
using gdprkit::capi::Guard;
using gdprkit::capi::NullArgument;
using gdprkit::capi::OutOfRange;
using gdprkit::capi::StartRecord;

static_assert(GDPRKIT_REQUEST_WITHDRAWAL + 1 == gdprkit::kRequestKindCount);
static_assert(GDPRKIT_REQUEST_ACCESS == static_cast<int>(gdprkit::RequestKind::kAccess));
static_assert(GDPRKIT_REQUEST_WITHDRAWAL == static_cast<int>(gdprkit::RequestKind::kWithdrawal));
static_assert(GDPRKIT_REQUEST_CANCELLED == static_cast<int>(gdprkit::RequestStatus::kCancelled));
static_assert(GDPRKIT_IDENTITY_FAILED == static_cast<int>(gdprkit::IdentityCheck::kFailed));
static_assert(GDPRKIT_ACTION_NOT_APPLICABLE ==
              static_cast<int>(gdprkit::RequestAction::kNotApplicable));

constexpr std::size_t kMaxCount = static_cast<std::size_t>(std::numeric_limits<int32_t>::max());

bool KnownLanguage(int language) { return gdprkit_language_name(language) != nullptr; }
gdprkit::Language LanguageOf(int language) { return static_cast<gdprkit::Language>(language); }

// A number outside [0, last]: INVALID_ARGUMENT naming the argument and its C enum.
gdprkit_status BadEnum(const char* fn, const char* argument, int value, const char* type,
                       int last) {
  return Fail(GDPRKIT_INVALID_ARGUMENT, absl::StrCat(fn, ": argument ", argument, " is ", value,
                                                     ", not a ", type, " (0-", last, ")"));
}

std::string_view View(const char* s) { return s == nullptr ? std::string_view() : s; }

gdprkit_requests* ManyRequests(std::vector<gdprkit::Request> requests) {
  auto out = std::make_unique<gdprkit_requests>();
  out->core = std::move(requests);
  out->purposes.reserve(out->core.size());
  for (const gdprkit::Request& r : out->core) {
    out->purposes.push_back(gdprkit::capi::CStrings(r.purposes));
  }
  return out.release();
}

gdprkit_requests* OneRequest(gdprkit::Request request) {
  std::vector<gdprkit::Request> one;
  one.push_back(std::move(request));
  return ManyRequests(std::move(one));
}

// The start of every call that changes one request.
gdprkit_status StartChange(const char* fn, gdprkit_requests** out,
                           const gdprkit_request_register* reg, const char* id,
                           const char* recorded_by) {
  if (out == nullptr) return NullArgument(fn, "out");
  *out = nullptr;
  if (reg == nullptr) return NullArgument(fn, "reg");
  if (id == nullptr) return NullArgument(fn, "id");
  if (recorded_by == nullptr) return NullArgument(fn, "recorded_by");
  return GDPRKIT_OK;
}

gdprkit_status Changed(const char* fn, gdprkit_requests** out,
                       absl::StatusOr<gdprkit::Request> request) {
  if (!request.ok()) return FromCore(fn, request.status());
  *out = OneRequest(*std::move(request));
  return GDPRKIT_OK;
}

void FillDecision(gdprkit_purpose_decision* out, const gdprkit::PurposeDecision& d) {
  out->purpose = d.purpose.c_str();
  out->action = static_cast<int>(d.action);
  out->right = gdprkit::kRights[static_cast<std::size_t>(d.right)].code.data();
  out->reason = d.reason.c_str();
  out->keep_until = d.keep_until;
  out->retention_rule = d.retention_rule.c_str();
}

gdprkit_status GetDecision(const char* fn, gdprkit_purpose_decision* out, const void* holder,
                           const char* holder_name,
                           const std::vector<gdprkit::PurposeDecision>* list, std::size_t index) {
  if (gdprkit_status s =
          StartRecord(fn, out, GDPRKIT_PURPOSE_DECISION_VERSION, "gdprkit_purpose_decision");
      s != GDPRKIT_OK) {
    return s;
  }
  if (holder == nullptr) return NullArgument(fn, holder_name);
  if (index >= list->size()) return OutOfRange(fn, index, list->size());
  FillDecision(out, (*list)[index]);
  return GDPRKIT_OK;
}

}  // namespace

extern "C" {

// ---- Vocabularies ---------------------------------------------------------------

const char* gdprkit_request_kind_name(int kind) {
  if (kind < GDPRKIT_REQUEST_ACCESS || kind > GDPRKIT_REQUEST_WITHDRAWAL) return nullptr;
  return gdprkit::RequestKindName(static_cast<gdprkit::RequestKind>(kind)).data();
}
const char* gdprkit_request_kind_title(int kind, int language) {
  if (kind < GDPRKIT_REQUEST_ACCESS || kind > GDPRKIT_REQUEST_WITHDRAWAL) return nullptr;
  if (!KnownLanguage(language)) return nullptr;
  return gdprkit::RequestKindTitle(static_cast<gdprkit::RequestKind>(kind), LanguageOf(language))
      .data();
}
const char* gdprkit_request_status_name(int status) {
  if (status < GDPRKIT_REQUEST_OPEN || status > GDPRKIT_REQUEST_CANCELLED) return nullptr;
  return gdprkit::RequestStatusName(static_cast<gdprkit::RequestStatus>(status)).data();
}
const char* gdprkit_request_status_title(int status, int language) {
  if (status < GDPRKIT_REQUEST_OPEN || status > GDPRKIT_REQUEST_CANCELLED) return nullptr;
  if (!KnownLanguage(language)) return nullptr;
  return gdprkit::RequestStatusTitle(static_cast<gdprkit::RequestStatus>(status),
                                     LanguageOf(language))
      .data();
}
const char* gdprkit_identity_check_name(int check) {
  if (check < GDPRKIT_IDENTITY_NOT_CHECKED || check > GDPRKIT_IDENTITY_FAILED) return nullptr;
  return gdprkit::IdentityCheckName(static_cast<gdprkit::IdentityCheck>(check)).data();
}
const char* gdprkit_request_action_name(int action) {
  if (action < GDPRKIT_ACTION_ERASE || action > GDPRKIT_ACTION_NOT_APPLICABLE) return nullptr;
  return gdprkit::RequestActionName(static_cast<gdprkit::RequestAction>(action)).data();
}
const char* gdprkit_request_action_title(int action, int language) {
  if (action < GDPRKIT_ACTION_ERASE || action > GDPRKIT_ACTION_NOT_APPLICABLE) return nullptr;
  if (!KnownLanguage(language)) return nullptr;
  return gdprkit::RequestActionTitle(static_cast<gdprkit::RequestAction>(action),
                                     LanguageOf(language))
      .data();
}

gdprkit_status gdprkit_request_kind_parse(int* out, const char* name) {
  static constexpr char kFn[] = "gdprkit_request_kind_parse";
  return Guard(kFn, [&] {
    return gdprkit::capi::ParseName(
        kFn, name, out, [](std::string_view n) { return gdprkit::ParseRequestKind(n); });
  });
}
gdprkit_status gdprkit_request_status_parse(int* out, const char* name) {
  static constexpr char kFn[] = "gdprkit_request_status_parse";
  return Guard(kFn, [&] {
    return gdprkit::capi::ParseName(
        kFn, name, out, [](std::string_view n) { return gdprkit::ParseRequestStatus(n); });
  });
}
gdprkit_status gdprkit_identity_check_parse(int* out, const char* name) {
  static constexpr char kFn[] = "gdprkit_identity_check_parse";
  return Guard(kFn, [&] {
    return gdprkit::capi::ParseName(
        kFn, name, out, [](std::string_view n) { return gdprkit::ParseIdentityCheck(n); });
  });
}
gdprkit_status gdprkit_request_action_parse(int* out, const char* name) {
  static constexpr char kFn[] = "gdprkit_request_action_parse";
  return Guard(kFn, [&] {
    return gdprkit::capi::ParseName(
        kFn, name, out, [](std::string_view n) { return gdprkit::ParseRequestAction(n); });
  });
}

// ---- Deadlines ------------------------------------------------------------------

gdprkit_status gdprkit_request_deadline(int32_t* out, int32_t received, int extended) {
  static constexpr char kFn[] = "gdprkit_request_deadline";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = GDPRKIT_NO_DATE;
    const gdprkit::DayNumber due = gdprkit::RequestDeadline(received, extended != 0);
    if (due == gdprkit::kNoDate) {
      return Fail(GDPRKIT_INVALID_ARGUMENT,
                  absl::StrCat(kFn, ": argument received (", received,
                               ") is not a date (days since 1970-01-01 within the dates the "
                               "library counts)"));
    }
    *out = due;
    return GDPRKIT_OK;
  });
}

// ---- The register -----------------------------------------------------------------

GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_new_request, GDPRKIT_NEW_REQUEST_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_request, GDPRKIT_REQUEST_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_request_event, GDPRKIT_REQUEST_EVENT_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_subject_purpose, GDPRKIT_SUBJECT_PURPOSE_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_purpose_decision, GDPRKIT_PURPOSE_DECISION_INIT)

gdprkit_status gdprkit_request_register_create(gdprkit_request_register** out, const char* path,
                                               const gdprkit_policy* policy,
                                               const gdprkit_consent_options* options) {
  return gdprkit::capi::OpenStore(
      "gdprkit_request_register_create", out, path, policy, options,
      [](const std::string& p, std::shared_ptr<const gdprkit::Policy> pol,
         const gdprkit::RequestRegisterOptions& o) {
        return gdprkit::RequestRegister::Create(p, std::move(pol), o);
      });
}

gdprkit_status gdprkit_request_register_open(gdprkit_request_register** out, const char* path,
                                             const gdprkit_policy* policy,
                                             const gdprkit_consent_options* options) {
  return gdprkit::capi::OpenStore(
      "gdprkit_request_register_open", out, path, policy, options,
      [](const std::string& p, std::shared_ptr<const gdprkit::Policy> pol,
         const gdprkit::RequestRegisterOptions& o) {
        return gdprkit::RequestRegister::Open(p, std::move(pol), o);
      });
}

void gdprkit_request_register_free(gdprkit_request_register* reg) { delete reg; }

gdprkit_status gdprkit_request_register_receive(gdprkit_requests** out,
                                                gdprkit_request_register* reg,
                                                const gdprkit_new_request* request) {
  static constexpr char kFn[] = "gdprkit_request_register_receive";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (reg == nullptr) return NullArgument(kFn, "reg");
    if (request == nullptr) return NullArgument(kFn, "request");
    if (request->version != GDPRKIT_NEW_REQUEST_VERSION) {
      return gdprkit::capi::BadVersion(kFn, "gdprkit_new_request", request->version,
                                       GDPRKIT_NEW_REQUEST_VERSION);
    }
    if (request->kind < GDPRKIT_REQUEST_ACCESS || request->kind > GDPRKIT_REQUEST_WITHDRAWAL) {
      return BadEnum(kFn, "request.kind", request->kind, "gdprkit_request_kind",
                     GDPRKIT_REQUEST_WITHDRAWAL);
    }
    if (request->subject == nullptr) return NullArgument(kFn, "request.subject");
    if (request->channel == nullptr) return NullArgument(kFn, "request.channel");
    if (request->recorded_by == nullptr) return NullArgument(kFn, "request.recorded_by");
    if (gdprkit_status s = CheckArray(kFn, "request.purposes", request->purposes,
                                      request->purpose_count, "request.purpose_count", kMaxCount);
        s != GDPRKIT_OK) {
      return s;
    }
    gdprkit::NewRequest r;
    r.id = View(request->id);
    r.kind = static_cast<gdprkit::RequestKind>(request->kind);
    r.subject = request->subject;
    for (std::size_t i = 0; i < request->purpose_count; ++i) {
      if (request->purposes[i] == nullptr) {
        return Fail(GDPRKIT_INVALID_ARGUMENT,
                    absl::StrCat(kFn, ": request.purposes[", i, "] is NULL"));
      }
      r.purposes.emplace_back(request->purposes[i]);
    }
    r.received = request->received;
    r.channel = request->channel;
    r.recorded_by = request->recorded_by;
    return Changed(kFn, out, reg->core->Receive(r));
  });
}

gdprkit_status gdprkit_request_register_check_identity(gdprkit_requests** out,
                                                       gdprkit_request_register* reg,
                                                       const char* id, int verified,
                                                       const char* method, int32_t on,
                                                       const char* recorded_by) {
  static constexpr char kFn[] = "gdprkit_request_register_check_identity";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s = StartChange(kFn, out, reg, id, recorded_by); s != GDPRKIT_OK) return s;
    if (method == nullptr) return NullArgument(kFn, "method");
    return Changed(kFn, out, reg->core->CheckIdentity(id, verified != 0, method, on, recorded_by));
  });
}

gdprkit_status gdprkit_request_register_extend(gdprkit_requests** out,
                                               gdprkit_request_register* reg, const char* id,
                                               const char* reason, int32_t on,
                                               const char* recorded_by) {
  static constexpr char kFn[] = "gdprkit_request_register_extend";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s = StartChange(kFn, out, reg, id, recorded_by); s != GDPRKIT_OK) return s;
    if (reason == nullptr) return NullArgument(kFn, "reason");
    return Changed(kFn, out, reg->core->Extend(id, reason, on, recorded_by));
  });
}

gdprkit_status gdprkit_request_register_close_request(gdprkit_requests** out,
                                                      gdprkit_request_register* reg, const char* id,
                                                      int status, const char* outcome, int32_t on,
                                                      const char* recorded_by) {
  static constexpr char kFn[] = "gdprkit_request_register_close_request";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s = StartChange(kFn, out, reg, id, recorded_by); s != GDPRKIT_OK) return s;
    if (outcome == nullptr) return NullArgument(kFn, "outcome");
    if (status < GDPRKIT_REQUEST_OPEN || status > GDPRKIT_REQUEST_CANCELLED) {
      return BadEnum(kFn, "status", status, "gdprkit_request_status", GDPRKIT_REQUEST_CANCELLED);
    }
    return Changed(kFn, out,
                   reg->core->Close(id, static_cast<gdprkit::RequestStatus>(status), outcome, on,
                                    recorded_by));
  });
}

gdprkit_status gdprkit_request_register_get(gdprkit_requests** out,
                                            const gdprkit_request_register* reg, const char* id) {
  static constexpr char kFn[] = "gdprkit_request_register_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (reg == nullptr) return NullArgument(kFn, "reg");
    if (id == nullptr) return NullArgument(kFn, "id");
    return Changed(kFn, out, reg->core->Get(id));
  });
}

gdprkit_status gdprkit_request_register_list(gdprkit_requests** out,
                                             const gdprkit_request_register* reg) {
  static constexpr char kFn[] = "gdprkit_request_register_list";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (reg == nullptr) return NullArgument(kFn, "reg");
    absl::StatusOr<std::vector<gdprkit::Request>> list = reg->core->List();
    if (!list.ok()) return FromCore(kFn, list.status());
    *out = ManyRequests(*std::move(list));
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_request_register_overdue(gdprkit_requests** out,
                                                const gdprkit_request_register* reg, int32_t on) {
  static constexpr char kFn[] = "gdprkit_request_register_overdue";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (reg == nullptr) return NullArgument(kFn, "reg");
    absl::StatusOr<std::vector<gdprkit::Request>> list = reg->core->Overdue(on);
    if (!list.ok()) return FromCore(kFn, list.status());
    *out = ManyRequests(*std::move(list));
    return GDPRKIT_OK;
  });
}

size_t gdprkit_requests_count(const gdprkit_requests* requests) {
  return requests == nullptr ? 0 : requests->core.size();
}

gdprkit_status gdprkit_requests_get(gdprkit_request* out, const gdprkit_requests* requests,
                                    size_t index) {
  static constexpr char kFn[] = "gdprkit_requests_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s = StartRecord(kFn, out, GDPRKIT_REQUEST_VERSION, "gdprkit_request");
        s != GDPRKIT_OK) {
      return s;
    }
    if (requests == nullptr) return NullArgument(kFn, "requests");
    if (index >= requests->core.size()) return OutOfRange(kFn, index, requests->core.size());
    const gdprkit::Request& r = requests->core[index];
    out->id = r.id.c_str();
    out->kind = static_cast<int>(r.kind);
    out->status = static_cast<int>(r.status);
    out->subject = r.subject.c_str();
    out->purposes = requests->purposes[index].data();
    out->purpose_count = r.purposes.size();
    out->received = r.received;
    out->due = r.due;
    out->extended = r.extended ? 1 : 0;
    out->extension_reason = r.extension_reason.c_str();
    out->identity = static_cast<int>(r.identity);
    out->identity_method = r.identity_method.c_str();
    out->closed_on = r.closed_on;
    out->outcome = r.outcome.c_str();
    out->channel = r.channel.c_str();
    return GDPRKIT_OK;
  });
}

void gdprkit_requests_free(gdprkit_requests* requests) { delete requests; }

gdprkit_status gdprkit_request_register_trail(gdprkit_request_trail** out,
                                              const gdprkit_request_register* reg, const char* id) {
  static constexpr char kFn[] = "gdprkit_request_register_trail";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (reg == nullptr) return NullArgument(kFn, "reg");
    absl::StatusOr<std::vector<gdprkit::RequestEvent>> trail = reg->core->Trail(View(id));
    if (!trail.ok()) return FromCore(kFn, trail.status());
    auto handle = std::make_unique<gdprkit_request_trail>();
    handle->core = *std::move(trail);
    *out = handle.release();
    return GDPRKIT_OK;
  });
}

size_t gdprkit_request_trail_count(const gdprkit_request_trail* trail) {
  return trail == nullptr ? 0 : trail->core.size();
}

gdprkit_status gdprkit_request_trail_get(gdprkit_request_event* out,
                                         const gdprkit_request_trail* trail, size_t index) {
  static constexpr char kFn[] = "gdprkit_request_trail_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s =
            StartRecord(kFn, out, GDPRKIT_REQUEST_EVENT_VERSION, "gdprkit_request_event");
        s != GDPRKIT_OK) {
      return s;
    }
    if (trail == nullptr) return NullArgument(kFn, "trail");
    if (index >= trail->core.size()) return OutOfRange(kFn, index, trail->core.size());
    const gdprkit::RequestEvent& e = trail->core[index];
    out->seq = e.seq;
    out->recorded_at = e.recorded_at;
    out->request_id = e.request_id.c_str();
    out->event = e.event.c_str();
    out->on = e.on;
    out->detail = e.detail.c_str();
    out->recorded_by = e.recorded_by.c_str();
    out->hash = e.hash.c_str();
    return GDPRKIT_OK;
  });
}

void gdprkit_request_trail_free(gdprkit_request_trail* trail) { delete trail; }

gdprkit_status gdprkit_request_register_verify(gdprkit_consent_verification** out,
                                               const gdprkit_request_register* reg,
                                               const char* expected_head) {
  static constexpr char kFn[] = "gdprkit_request_register_verify";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (reg == nullptr) return NullArgument(kFn, "reg");
    absl::StatusOr<gdprkit::ConsentVerification> v = reg->core->Verify(View(expected_head));
    if (!v.ok()) return FromCore(kFn, v.status());
    auto handle = std::make_unique<gdprkit_consent_verification>();
    handle->core = *std::move(v);
    *out = handle.release();
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_request_register_erase_subject(int64_t* out_erased,
                                                      gdprkit_request_register* reg,
                                                      const char* subject,
                                                      const char* recorded_by) {
  static constexpr char kFn[] = "gdprkit_request_register_erase_subject";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_erased == nullptr) return NullArgument(kFn, "out_erased");
    *out_erased = 0;
    if (reg == nullptr) return NullArgument(kFn, "reg");
    if (subject == nullptr) return NullArgument(kFn, "subject");
    if (recorded_by == nullptr) return NullArgument(kFn, "recorded_by");
    absl::StatusOr<std::int64_t> n = reg->core->EraseSubject(subject, recorded_by);
    if (!n.ok()) return FromCore(kFn, n.status());
    *out_erased = *n;
    return GDPRKIT_OK;
  });
}

// ---- Decisions -------------------------------------------------------------------

gdprkit_status gdprkit_request_decide(gdprkit_decision** out, const gdprkit_policy* policy,
                                      int kind, const gdprkit_subject_purpose* purposes,
                                      size_t count, int32_t on) {
  static constexpr char kFn[] = "gdprkit_request_decide";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (policy == nullptr) return NullArgument(kFn, "policy");
    if (kind < GDPRKIT_REQUEST_ACCESS || kind > GDPRKIT_REQUEST_WITHDRAWAL) {
      return BadEnum(kFn, "kind", kind, "gdprkit_request_kind", GDPRKIT_REQUEST_WITHDRAWAL);
    }
    if (gdprkit_status s = CheckArray(kFn, "purposes", purposes, count, "count", kMaxCount);
        s != GDPRKIT_OK) {
      return s;
    }
    std::vector<gdprkit::SubjectPurpose> in(count);
    for (std::size_t i = 0; i < count; ++i) {
      const gdprkit_subject_purpose& p = purposes[i];
      const std::string at = absl::StrCat("purposes[", i, "]");
      if (p.version != GDPRKIT_SUBJECT_PURPOSE_VERSION) {
        return gdprkit::capi::BadVersion(kFn, "gdprkit_subject_purpose", p.version,
                                         GDPRKIT_SUBJECT_PURPOSE_VERSION);
      }
      if (p.purpose == nullptr) {
        return Fail(GDPRKIT_INVALID_ARGUMENT, absl::StrCat(kFn, ": ", at, ".purpose is NULL"));
      }
      const std::string names = absl::StrCat(at, ".date_names");
      const std::string dates = absl::StrCat(at, ".dates");
      const std::string n = absl::StrCat(at, ".date_count");
      if (gdprkit_status s =
              CheckArray(kFn, names.c_str(), p.date_names, p.date_count, n.c_str(), kMaxCount);
          s != GDPRKIT_OK) {
        return s;
      }
      if (gdprkit_status s = CheckArray(kFn, dates.c_str(), p.dates, p.date_count, n.c_str());
          s != GDPRKIT_OK) {
        return s;
      }
      in[i].purpose = p.purpose;
      in[i].on_hold = p.on_hold != 0;
      for (std::size_t j = 0; j < p.date_count; ++j) {
        if (p.date_names[j] == nullptr) {
          return Fail(GDPRKIT_INVALID_ARGUMENT,
                      absl::StrCat(kFn, ": ", names, "[", j, "] is NULL"));
        }
        in[i].dates.emplace_back(p.date_names[j], p.dates[j]);
      }
    }
    absl::StatusOr<gdprkit::Decision> d =
        gdprkit::Decide(*policy->core, static_cast<gdprkit::RequestKind>(kind), in, on);
    if (!d.ok()) return FromCore(kFn, d.status());
    auto handle = std::make_unique<gdprkit_decision>();
    handle->core = *std::move(d);
    *out = handle.release();
    return GDPRKIT_OK;
  });
}

int gdprkit_decision_kind(const gdprkit_decision* decision) {
  return decision == nullptr ? -1 : static_cast<int>(decision->core.kind);
}

size_t gdprkit_decision_count(const gdprkit_decision* decision) {
  return decision == nullptr ? 0 : decision->core.purposes.size();
}

gdprkit_status gdprkit_decision_get(gdprkit_purpose_decision* out, const gdprkit_decision* decision,
                                    size_t index) {
  static constexpr char kFn[] = "gdprkit_decision_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    return GetDecision(kFn, out, decision, "decision",
                       decision == nullptr ? nullptr : &decision->core.purposes, index);
  });
}

void gdprkit_decision_free(gdprkit_decision* decision) { delete decision; }

gdprkit_status gdprkit_request_carry_out_erasure(gdprkit_erasure_outcome** out,
                                                 const gdprkit_decision* decision,
                                                 gdprkit_vault* vault, int kind,
                                                 const char* identifier,
                                                 gdprkit_consent_ledger* ledger,
                                                 const char* subject, const char* recorded_by) {
  static constexpr char kFn[] = "gdprkit_request_carry_out_erasure";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (decision == nullptr) return NullArgument(kFn, "decision");
    if (recorded_by == nullptr) return NullArgument(kFn, "recorded_by");
    if (vault != nullptr && identifier == nullptr) return NullArgument(kFn, "identifier");
    if (ledger != nullptr && subject == nullptr) return NullArgument(kFn, "subject");
    absl::StatusOr<gdprkit::ErasureOutcome> o = gdprkit::CarryOutErasure(
        decision->core, vault == nullptr ? nullptr : vault->core.get(),
        static_cast<gdprkit::IdKind>(kind), View(identifier),
        ledger == nullptr ? nullptr : ledger->core.get(), View(subject), recorded_by);
    if (!o.ok()) return FromCore(kFn, o.status());
    auto handle = std::make_unique<gdprkit_erasure_outcome>();
    handle->core = *std::move(o);
    *out = handle.release();
    return GDPRKIT_OK;
  });
}

uint64_t gdprkit_erasure_outcome_vault_tokens(const gdprkit_erasure_outcome* outcome) {
  return outcome == nullptr ? 0 : outcome->core.vault_tokens_erased;
}
int64_t gdprkit_erasure_outcome_consent_entries(const gdprkit_erasure_outcome* outcome) {
  return outcome == nullptr ? 0 : outcome->core.consent_entries_erased;
}
size_t gdprkit_erasure_outcome_delete_count(const gdprkit_erasure_outcome* outcome) {
  return outcome == nullptr ? 0 : outcome->core.caller_must_delete.size();
}
size_t gdprkit_erasure_outcome_kept_count(const gdprkit_erasure_outcome* outcome) {
  return outcome == nullptr ? 0 : outcome->core.kept.size();
}

gdprkit_status gdprkit_erasure_outcome_delete_get(gdprkit_purpose_decision* out,
                                                  const gdprkit_erasure_outcome* outcome,
                                                  size_t index) {
  static constexpr char kFn[] = "gdprkit_erasure_outcome_delete_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    return GetDecision(kFn, out, outcome, "outcome",
                       outcome == nullptr ? nullptr : &outcome->core.caller_must_delete, index);
  });
}

gdprkit_status gdprkit_erasure_outcome_kept_get(gdprkit_purpose_decision* out,
                                                const gdprkit_erasure_outcome* outcome,
                                                size_t index) {
  static constexpr char kFn[] = "gdprkit_erasure_outcome_kept_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    return GetDecision(kFn, out, outcome, "outcome",
                       outcome == nullptr ? nullptr : &outcome->core.kept, index);
  });
}

void gdprkit_erasure_outcome_free(gdprkit_erasure_outcome* outcome) { delete outcome; }

gdprkit_status gdprkit_access_report(char** out, const char* subject,
                                     const gdprkit_consent_ledger* ledger,
                                     const gdprkit_request_register* reg) {
  static constexpr char kFn[] = "gdprkit_access_report";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (subject == nullptr) return NullArgument(kFn, "subject");
    absl::StatusOr<std::string> json =
        gdprkit::AccessReport(subject, ledger == nullptr ? nullptr : ledger->core.get(),
                              reg == nullptr ? nullptr : reg->core.get());
    if (!json.ok()) return FromCore(kFn, json.status());
    *out = gdprkit::capi::NewCString(*json);
    return GDPRKIT_OK;
  });
}

}  // extern "C"
