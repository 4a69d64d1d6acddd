// The C ABI of the consent ledger (include/gdprkit/c/consent.h, the first
// half) over gdprkit/consent.h: states by number, records from C columns,
// states of a column of subjects, withdrawals, verification and receipts.
// Arguments are checked and converted; every rule, name and message is the
// core's (FromCore).
#include "gdprkit/consent.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "c_api/internal/consent_door.h"
#include "c_api/internal/door.h"
#include "gdprkit.h"

struct gdprkit_receipt_verification {
  gdprkit::ReceiptVerification core;
};

namespace {

using gdprkit::capi::CheckArray;
using gdprkit::capi::CheckOptionalArray;
using gdprkit::capi::Fail;
using gdprkit::capi::FromCore;
using gdprkit::capi::Guard;
using gdprkit::capi::NullArgument;
using gdprkit::capi::StartRecord;
using gdprkit::capi::WriteText;

static_assert(GDPRKIT_CONSENT_EXPIRED + 1 == gdprkit::kConsentStateCount);
static_assert(GDPRKIT_CONSENT_GIVEN == static_cast<int>(gdprkit::ConsentState::kGiven));
static_assert(GDPRKIT_CONSENT_EXPIRED == static_cast<int>(gdprkit::ConsentState::kExpired));

constexpr std::size_t kMaxCount = static_cast<std::size_t>(std::numeric_limits<int32_t>::max());

bool KnownState(int state) {
  return state >= GDPRKIT_CONSENT_NONE && state <= GDPRKIT_CONSENT_EXPIRED;
}

std::string_view View(const char* s) { return s == nullptr ? std::string_view() : s; }

// A required column of `count` C strings: the array and each entry.
gdprkit_status CheckTexts(const char* fn, const char* name, const char* const* texts,
                          std::size_t count, bool required) {
  const std::string field = absl::StrCat("records.", name);
  if (texts == nullptr && !required) return GDPRKIT_OK;
  if (gdprkit_status s = CheckArray(fn, field.c_str(), texts, count, "records.count", kMaxCount);
      s != GDPRKIT_OK) {
    return s;
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (texts[i] == nullptr && required) {
      return Fail(GDPRKIT_INVALID_ARGUMENT, absl::StrCat(fn, ": ", field, "[", i, "] is NULL"));
    }
  }
  return GDPRKIT_OK;
}

// Subjects as views: the array, and no NULL entry (naming its index).
gdprkit_status SubjectViews(const char* fn, const char* const* subjects, std::size_t count,
                            std::vector<std::string_view>* out) {
  if (gdprkit_status s = CheckArray(fn, "subjects", subjects, count, "count", kMaxCount);
      s != GDPRKIT_OK) {
    return s;
  }
  out->resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (subjects[i] == nullptr) {
      return Fail(GDPRKIT_INVALID_ARGUMENT, absl::StrCat(fn, ": subjects[", i, "] is NULL"));
    }
    (*out)[i] = subjects[i];
  }
  return GDPRKIT_OK;
}

template <typename Answer>
gdprkit_status States(const char* fn, uint8_t* out_states, const gdprkit_consent_ledger* ledger,
                      const char* const* subjects, size_t count, const char* purpose,
                      Answer answer) {
  return Guard(fn, [&]() -> gdprkit_status {
    if (ledger == nullptr) return NullArgument(fn, "ledger");
    if (purpose == nullptr) return NullArgument(fn, "purpose");
    if (gdprkit_status s = CheckArray(fn, "out_states", out_states, count, "count", kMaxCount);
        s != GDPRKIT_OK) {
      return s;
    }
    std::vector<std::string_view> views;
    if (gdprkit_status s = SubjectViews(fn, subjects, count, &views); s != GDPRKIT_OK) return s;
    absl::StatusOr<std::vector<gdprkit::ConsentState>> states = answer(views);
    if (!states.ok()) return FromCore(fn, states.status());
    for (std::size_t i = 0; i < count; ++i) out_states[i] = static_cast<uint8_t>((*states)[i]);
    return GDPRKIT_OK;
  });
}

gdprkit_receipt_verification* NewReceiptVerification(gdprkit::ReceiptVerification v) {
  auto handle = std::make_unique<gdprkit_receipt_verification>();
  handle->core = std::move(v);
  return handle.release();
}

}  // namespace

extern "C" {

// ---- Vocabulary ------------------------------------------------------------------

const char* gdprkit_consent_state_name(int state) {
  if (!KnownState(state)) return nullptr;
  return gdprkit::ConsentStateName(static_cast<gdprkit::ConsentState>(state)).data();
}

const char* gdprkit_consent_state_title(int state, int language) {
  if (!KnownState(state) || gdprkit_language_name(language) == nullptr) return nullptr;
  return gdprkit::ConsentStateTitle(static_cast<gdprkit::ConsentState>(state),
                                    static_cast<gdprkit::Language>(language))
      .data();
}

gdprkit_status gdprkit_consent_state_parse(int* out, const char* name) {
  static constexpr char kFn[] = "gdprkit_consent_state_parse";
  return Guard(kFn, [&] {
    return gdprkit::capi::ParseName(
        kFn, name, out, [](std::string_view n) { return gdprkit::ParseConsentState(n); });
  });
}

gdprkit_status gdprkit_notice_digest(char* out, size_t out_size, const char* text, size_t size) {
  static constexpr char kFn[] = "gdprkit_notice_digest";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    if (gdprkit_status s = CheckArray(kFn, "out", out, out_size, "out_size"); s != GDPRKIT_OK) {
      return s;
    }
    if (out_size > 0) out[0] = '\0';
    if (gdprkit_status s = CheckArray(kFn, "text", text, size, "size"); s != GDPRKIT_OK) return s;
    const std::string digest =
        gdprkit::NoticeDigest(size == 0 ? std::string_view() : std::string_view(text, size));
    return WriteText(kFn, out, out_size, digest);
  });
}

// ---- Options and verification ----------------------------------------------------

GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_consent_options, GDPRKIT_CONSENT_OPTIONS_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_consent_check, GDPRKIT_CONSENT_CHECK_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_consent_records, GDPRKIT_CONSENT_RECORDS_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_receipt_check, GDPRKIT_RECEIPT_CHECK_INIT)

gdprkit_status gdprkit_consent_verification_get(gdprkit_consent_check* out,
                                                const gdprkit_consent_verification* verification) {
  static constexpr char kFn[] = "gdprkit_consent_verification_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s =
            StartRecord(kFn, out, GDPRKIT_CONSENT_CHECK_VERSION, "gdprkit_consent_check");
        s != GDPRKIT_OK) {
      return s;
    }
    if (verification == nullptr) return NullArgument(kFn, "verification");
    const gdprkit::ConsentVerification& v = verification->core;
    out->intact = v.intact ? 1 : 0;
    out->entries = v.entries;
    out->head = v.head.c_str();
    out->first_broken_entry = v.first_broken_entry;
    out->problem = v.problem.c_str();
    out->ledger_id = v.ledger_id.c_str();
    out->keyed = v.keyed ? 1 : 0;
    return GDPRKIT_OK;
  });
}

void gdprkit_consent_verification_free(gdprkit_consent_verification* verification) {
  delete verification;
}

// ---- The ledger ---------------------------------------------------------------------

gdprkit_status gdprkit_consent_ledger_create(gdprkit_consent_ledger** out, const char* path,
                                             const gdprkit_policy* policy,
                                             const gdprkit_consent_options* options) {
  return gdprkit::capi::OpenStore(
      "gdprkit_consent_ledger_create", out, path, policy, options,
      [](const std::string& p, std::shared_ptr<const gdprkit::Policy> pol,
         const gdprkit::ConsentLedgerOptions& o) {
        return gdprkit::ConsentLedger::Create(p, std::move(pol), o);
      });
}

gdprkit_status gdprkit_consent_ledger_open(gdprkit_consent_ledger** out, const char* path,
                                           const gdprkit_policy* policy,
                                           const gdprkit_consent_options* options) {
  return gdprkit::capi::OpenStore(
      "gdprkit_consent_ledger_open", out, path, policy, options,
      [](const std::string& p, std::shared_ptr<const gdprkit::Policy> pol,
         const gdprkit::ConsentLedgerOptions& o) {
        return gdprkit::ConsentLedger::Open(p, std::move(pol), o);
      });
}

void gdprkit_consent_ledger_free(gdprkit_consent_ledger* ledger) { delete ledger; }

int64_t gdprkit_consent_ledger_entries(const gdprkit_consent_ledger* ledger) {
  return ledger == nullptr ? 0 : ledger->core->entries();
}

gdprkit_status gdprkit_consent_ledger_head(char* out, size_t out_size,
                                           const gdprkit_consent_ledger* ledger) {
  static constexpr char kFn[] = "gdprkit_consent_ledger_head";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    if (gdprkit_status s = CheckArray(kFn, "out", out, out_size, "out_size"); s != GDPRKIT_OK) {
      return s;
    }
    if (out_size > 0) out[0] = '\0';
    if (ledger == nullptr) return NullArgument(kFn, "ledger");
    return WriteText(kFn, out, out_size, ledger->core->head());
  });
}

gdprkit_status gdprkit_consent_ledger_record(int64_t* out_count, gdprkit_consent_ledger* ledger,
                                             const gdprkit_consent_records* records) {
  static constexpr char kFn[] = "gdprkit_consent_ledger_record";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_count == nullptr) return NullArgument(kFn, "out_count");
    *out_count = 0;
    if (ledger == nullptr) return NullArgument(kFn, "ledger");
    if (records == nullptr) return NullArgument(kFn, "records");
    const gdprkit_consent_records& r = *records;
    if (r.version != GDPRKIT_CONSENT_RECORDS_VERSION) {
      return gdprkit::capi::BadVersion(kFn, "gdprkit_consent_records", r.version,
                                       GDPRKIT_CONSENT_RECORDS_VERSION);
    }
    const std::size_t n = r.count;
    if (gdprkit_status s = gdprkit::capi::CheckCount(kFn, "records.count", n, kMaxCount);
        s != GDPRKIT_OK) {
      return s;
    }
    for (const auto& [name, texts, required] :
         {std::tuple<const char*, const char* const*, bool>{"subjects", r.subjects, true},
          {"purposes", r.purposes, true},
          {"notice_versions", r.notice_versions, true},
          {"channels", r.channels, true},
          {"recorded_by", r.recorded_by, true},
          {"notice_texts", r.notice_texts, false},
          {"notice_digests", r.notice_digests, false},
          {"evidence", r.evidence, false}}) {
      if (gdprkit_status s = CheckTexts(kFn, name, texts, n, required); s != GDPRKIT_OK) return s;
    }
    if (gdprkit_status s = CheckArray(kFn, "records.states", r.states, n, "records.count");
        s != GDPRKIT_OK) {
      return s;
    }
    if (gdprkit_status s = CheckArray(kFn, "records.at", r.at, n, "records.count");
        s != GDPRKIT_OK) {
      return s;
    }
    if (gdprkit_status s =
            CheckOptionalArray(kFn, "records.valid_until", r.valid_until, n, "records.count");
        s != GDPRKIT_OK) {
      return s;
    }
    std::vector<gdprkit::ConsentRecord> core(n);
    std::vector<std::string_view> texts;
    if (r.notice_texts != nullptr) texts.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!KnownState(r.states[i])) {
        return Fail(
            GDPRKIT_INVALID_ARGUMENT,
            absl::StrCat(kFn, ": records.states[", i, "] is ", r.states[i],
                         ", not a gdprkit_consent_state (0-", GDPRKIT_CONSENT_EXPIRED, ")"));
      }
      gdprkit::ConsentRecord& c = core[i];
      c.subject = r.subjects[i];
      c.purpose = r.purposes[i];
      c.state = static_cast<gdprkit::ConsentState>(r.states[i]);
      c.at = r.at[i];
      c.valid_until = r.valid_until == nullptr ? gdprkit::kNoDate : r.valid_until[i];
      c.notice_version = r.notice_versions[i];
      if (r.notice_digests != nullptr) c.notice_digest = View(r.notice_digests[i]);
      c.channel = r.channels[i];
      c.recorded_by = r.recorded_by[i];
      if (r.evidence != nullptr) c.evidence = View(r.evidence[i]);
      if (r.notice_texts != nullptr) texts[i] = View(r.notice_texts[i]);
    }
    absl::StatusOr<std::int64_t> appended = ledger->core->RecordCount(core, texts);
    if (!appended.ok()) return FromCore(kFn, appended.status());
    *out_count = *appended;
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_consent_ledger_states(uint8_t* out_states,
                                             const gdprkit_consent_ledger* ledger,
                                             const char* const* subjects, size_t count,
                                             const char* purpose, int32_t on) {
  return States("gdprkit_consent_ledger_states", out_states, ledger, subjects, count, purpose,
                [&](const std::vector<std::string_view>& views) {
                  return ledger->core->StatesOn(views, purpose, on);
                });
}

gdprkit_status gdprkit_consent_ledger_states_at(uint8_t* out_states,
                                                const gdprkit_consent_ledger* ledger,
                                                const char* const* subjects, size_t count,
                                                const char* purpose, int64_t as_of) {
  return States("gdprkit_consent_ledger_states_at", out_states, ledger, subjects, count, purpose,
                [&](const std::vector<std::string_view>& views) {
                  return ledger->core->States(views, purpose, as_of);
                });
}

gdprkit_status gdprkit_consent_ledger_withdrawals(char*** out_subjects, int32_t** out_days,
                                                  size_t* out_count,
                                                  const gdprkit_consent_ledger* ledger,
                                                  const char* purpose, int64_t as_of) {
  static constexpr char kFn[] = "gdprkit_consent_ledger_withdrawals";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_subjects != nullptr) *out_subjects = nullptr;
    if (out_days != nullptr) *out_days = nullptr;
    if (out_count != nullptr) *out_count = 0;
    if (out_subjects == nullptr) return NullArgument(kFn, "out_subjects");
    if (out_days == nullptr) return NullArgument(kFn, "out_days");
    if (out_count == nullptr) return NullArgument(kFn, "out_count");
    if (ledger == nullptr) return NullArgument(kFn, "ledger");
    if (purpose == nullptr) return NullArgument(kFn, "purpose");
    absl::StatusOr<std::vector<gdprkit::ConsentWithdrawal>> w =
        ledger->core->Withdrawals(purpose, as_of);
    if (!w.ok()) return FromCore(kFn, w.status());
    if (w->empty()) return GDPRKIT_OK;
    // Made in full before anything is handed out: an allocation failure
    // midway releases what was made.
    auto subjects = std::make_unique<char*[]>(w->size() + 1);
    auto days = std::make_unique<int32_t[]>(w->size());
    std::size_t made = 0;
    try {
      for (; made < w->size(); ++made) {
        subjects[made] = gdprkit::capi::NewCString((*w)[made].subject);
        days[made] = (*w)[made].withdrawn_on;
      }
    } catch (...) {
      for (std::size_t i = 0; i < made; ++i) delete[] subjects[i];
      throw;
    }
    subjects[w->size()] = nullptr;
    *out_count = w->size();
    *out_subjects = subjects.release();
    *out_days = days.release();
    return GDPRKIT_OK;
  });
}

void gdprkit_consent_withdrawals_free(char** subjects, int32_t* days) {
  if (subjects != nullptr) {
    for (char** s = subjects; *s != nullptr; ++s) delete[] * s;
    delete[] subjects;
  }
  delete[] days;
}

gdprkit_status gdprkit_consent_ledger_verify(gdprkit_consent_verification** out,
                                             const gdprkit_consent_ledger* ledger,
                                             const char* expected_head) {
  static constexpr char kFn[] = "gdprkit_consent_ledger_verify";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (ledger == nullptr) return NullArgument(kFn, "ledger");
    absl::StatusOr<gdprkit::ConsentVerification> v = ledger->core->Verify(View(expected_head));
    if (!v.ok()) return FromCore(kFn, v.status());
    auto handle = std::make_unique<gdprkit_consent_verification>();
    handle->core = *std::move(v);
    *out = handle.release();
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_consent_ledger_erase_subject(int64_t* out_erased,
                                                    gdprkit_consent_ledger* ledger,
                                                    const char* subject, const char* recorded_by) {
  static constexpr char kFn[] = "gdprkit_consent_ledger_erase_subject";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_erased == nullptr) return NullArgument(kFn, "out_erased");
    *out_erased = 0;
    if (ledger == nullptr) return NullArgument(kFn, "ledger");
    if (subject == nullptr) return NullArgument(kFn, "subject");
    if (recorded_by == nullptr) return NullArgument(kFn, "recorded_by");
    absl::StatusOr<std::int64_t> n = ledger->core->EraseSubject(subject, recorded_by);
    if (!n.ok()) return FromCore(kFn, n.status());
    *out_erased = *n;
    return GDPRKIT_OK;
  });
}

// ---- Receipts -------------------------------------------------------------------------

gdprkit_status gdprkit_consent_ledger_export_receipt(char** out,
                                                     const gdprkit_consent_ledger* ledger,
                                                     int64_t seq) {
  static constexpr char kFn[] = "gdprkit_consent_ledger_export_receipt";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (ledger == nullptr) return NullArgument(kFn, "ledger");
    absl::StatusOr<std::string> receipt = ledger->core->ExportReceipt(seq);
    if (!receipt.ok()) return FromCore(kFn, receipt.status());
    *out = gdprkit::capi::NewCString(*receipt);
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_consent_ledger_public_key(char* out, size_t out_size,
                                                 const gdprkit_consent_ledger* ledger) {
  static constexpr char kFn[] = "gdprkit_consent_ledger_public_key";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    if (gdprkit_status s = CheckArray(kFn, "out", out, out_size, "out_size"); s != GDPRKIT_OK) {
      return s;
    }
    if (out_size > 0) out[0] = '\0';
    if (ledger == nullptr) return NullArgument(kFn, "ledger");
    return WriteText(kFn, out, out_size, ledger->core->ReceiptPublicKey());
  });
}

gdprkit_status gdprkit_consent_receipt_verify(gdprkit_receipt_verification** out,
                                              const char* receipt, size_t size,
                                              const char* public_key) {
  static constexpr char kFn[] = "gdprkit_consent_receipt_verify";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (gdprkit_status s = CheckArray(kFn, "receipt", receipt, size, "size"); s != GDPRKIT_OK) {
      return s;
    }
    absl::StatusOr<gdprkit::ReceiptVerification> v = gdprkit::VerifyConsentReceipt(
        size == 0 ? std::string_view() : std::string_view(receipt, size), View(public_key));
    if (!v.ok()) return FromCore(kFn, v.status());
    *out = NewReceiptVerification(*std::move(v));
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_consent_ledger_verify_receipt(gdprkit_receipt_verification** out,
                                                     const gdprkit_consent_ledger* ledger,
                                                     const char* receipt, size_t size) {
  static constexpr char kFn[] = "gdprkit_consent_ledger_verify_receipt";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (ledger == nullptr) return NullArgument(kFn, "ledger");
    if (gdprkit_status s = CheckArray(kFn, "receipt", receipt, size, "size"); s != GDPRKIT_OK) {
      return s;
    }
    absl::StatusOr<gdprkit::ReceiptVerification> v = ledger->core->VerifyReceipt(
        size == 0 ? std::string_view() : std::string_view(receipt, size));
    if (!v.ok()) return FromCore(kFn, v.status());
    *out = NewReceiptVerification(*std::move(v));
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_receipt_verification_get(gdprkit_receipt_check* out,
                                                const gdprkit_receipt_verification* verification) {
  static constexpr char kFn[] = "gdprkit_receipt_verification_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s =
            StartRecord(kFn, out, GDPRKIT_RECEIPT_CHECK_VERSION, "gdprkit_receipt_check");
        s != GDPRKIT_OK) {
      return s;
    }
    if (verification == nullptr) return NullArgument(kFn, "verification");
    const gdprkit::ReceiptVerification& v = verification->core;
    const gdprkit::ConsentRecord& r = v.record;
    out->valid = v.valid ? 1 : 0;
    out->signed_receipt = v.signed_receipt ? 1 : 0;
    out->problem = v.problem.c_str();
    out->ledger_id = v.ledger_id.c_str();
    out->seq = v.seq;
    out->hash = v.hash.c_str();
    out->subject = r.subject.c_str();
    out->purpose = r.purpose.c_str();
    out->state = static_cast<int>(r.state);
    out->at = r.at;
    out->valid_until = r.valid_until;
    out->notice_version = r.notice_version.c_str();
    out->notice_digest = r.notice_digest.c_str();
    out->channel = r.channel.c_str();
    out->recorded_by = r.recorded_by.c_str();
    out->evidence = r.evidence.c_str();
    return GDPRKIT_OK;
  });
}

void gdprkit_receipt_verification_free(gdprkit_receipt_verification* verification) {
  delete verification;
}

}  // extern "C"
