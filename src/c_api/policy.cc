// The C ABI of policies (include/gdprkit/c/policy.h) over the C++ core.
//
// Thin by design: each handle wraps a core object, each function checks its
// C arguments, calls the core, and converts the result (types to C records,
// a core status to a C status and message with FromCore). Anything the
// library knows about the law lives in the core, not here.
//
// Every entry point runs its body inside Guard(), which catches every C++
// exception (std::bad_alloc becomes GDPRKIT_RESOURCE_EXHAUSTED), so nothing
// unwinds into C. Out-parameters are cleared first and assigned last, after
// everything that can fail, so a failed call never leaves them half-set.
#include "gdprkit/policy.h"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "c_api/internal/door.h"
#include "gdprkit.h"
#include "gdprkit/basis.h"

struct gdprkit_findings {
  std::vector<gdprkit::Finding> items;
  std::vector<std::string> severity_names;  // parallel to items
  std::size_t error_count = 0;
};

struct gdprkit_rights {
  std::vector<gdprkit::RightAssessment> items;
  std::vector<std::string> codes;   // parallel to items
  std::vector<std::string> titles;  // parallel to items
};

namespace {

using namespace gdprkit::capi;  // NOLINT(build/namespaces): this file's own helpers

static_assert(GDPRKIT_FORMAT_AUTO == static_cast<int>(gdprkit::PolicyFormat::kAuto) &&
                  GDPRKIT_FORMAT_TEXTPROTO == static_cast<int>(gdprkit::PolicyFormat::kTextProto) &&
                  GDPRKIT_FORMAT_JSON == static_cast<int>(gdprkit::PolicyFormat::kJson),
              "the C and C++ policy format numbers differ");

static_assert(GDPRKIT_SEVERITY_INFO == static_cast<int>(gdprkit::Severity::kInfo) &&
                  GDPRKIT_SEVERITY_WARNING == static_cast<int>(gdprkit::Severity::kWarning) &&
                  GDPRKIT_SEVERITY_ERROR == static_cast<int>(gdprkit::Severity::kError),
              "the C and C++ severity numbers differ");

bool ToFormat(int format, gdprkit::PolicyFormat* out) {
  if (format < GDPRKIT_FORMAT_AUTO || format > GDPRKIT_FORMAT_JSON) return false;
  *out = static_cast<gdprkit::PolicyFormat>(format);
  return true;
}

gdprkit_status BadFormat(const char* function, int format) {
  return Fail(GDPRKIT_INVALID_ARGUMENT,
              std::string(function) + ": unknown format " + std::to_string(format) +
                  "; use GDPRKIT_FORMAT_AUTO (0), GDPRKIT_FORMAT_TEXTPROTO (1) or "
                  "GDPRKIT_FORMAT_JSON (2)");
}

// A gdprkit_language number as the core's Language; false for another.
bool ToLanguage(int language, gdprkit::Language* out) {
  if (gdprkit_language_name(language) == nullptr) return false;
  *out = static_cast<gdprkit::Language>(language);
  return true;
}

gdprkit_status BadLanguage(const char* function, int language) {
  return Fail(GDPRKIT_INVALID_ARGUMENT,
              std::string(function) + ": unknown language " + std::to_string(language) +
                  "; use GDPRKIT_LANGUAGE_EN (0) or GDPRKIT_LANGUAGE_DA (1)");
}

// The title the handle keeps for `code` (English for a built-in code, as
// written for a declared one), or the core's NotFound naming the nearest.
gdprkit_status StoredBasisTitle(const char* function, const char** out,
                                const gdprkit_policy& policy, const char* code) {
  const auto it = policy.basis_titles.find(std::string_view(code));
  if (it == policy.basis_titles.end()) {
    return FromCore(function, policy.core->GetBasisTitle(code).status());
  }
  *out = it->second.c_str();
  return GDPRKIT_OK;
}

// Wraps a loaded core policy in a handle.
std::unique_ptr<gdprkit_policy> Wrap(std::shared_ptr<const gdprkit::Policy> core) {
  auto handle = std::make_unique<gdprkit_policy>();
  for (const gdprkit::Purpose& p : core->purposes()) {
    handle->purposes.push_back(gdprkit_policy::PurposeArrays{
        CStrings(p.basis), CStrings(p.categories), CStrings(p.data_subjects)});
  }
  for (const gdprkit::LegalBasisInfo& b : gdprkit::kLegalBases) {
    handle->basis_titles.emplace(std::string(b.code), core->BasisTitle(b.code));
  }
  for (const gdprkit::LegalReference& r : core->references()) {
    if (!r.code.empty()) handle->basis_titles.emplace(r.code, core->BasisTitle(r.code));
  }
  handle->core = std::move(core);
  return handle;
}

gdprkit_status Loaded(const char* fn, gdprkit_policy** out,
                      absl::StatusOr<std::shared_ptr<const gdprkit::Policy>> loaded) {
  if (!loaded.ok()) return FromCore(fn, loaded.status());
  *out = Wrap(*std::move(loaded)).release();
  return GDPRKIT_OK;
}

}  // namespace

extern "C" {

// ---- Policies ----------------------------------------------------------------

gdprkit_status gdprkit_policy_load_file(gdprkit_policy** out, const char* path, int format) {
  static constexpr char kFn[] = "gdprkit_policy_load_file";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (path == nullptr) return NullArgument(kFn, "path");
    gdprkit::PolicyFormat f;
    if (!ToFormat(format, &f)) return BadFormat(kFn, format);
    return Loaded(kFn, out, gdprkit::Policy::Load(path, f));
  });
}

gdprkit_status gdprkit_policy_load_bytes(gdprkit_policy** out, const char* data, size_t len,
                                         int format, const char* source_name) {
  static constexpr char kFn[] = "gdprkit_policy_load_bytes";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (gdprkit_status s = CheckArray(kFn, "data", data, len, "len"); s != GDPRKIT_OK) return s;
    gdprkit::PolicyFormat f;
    if (!ToFormat(format, &f)) return BadFormat(kFn, format);
    const std::string_view text = len == 0 ? std::string_view() : std::string_view(data, len);
    return Loaded(
        kFn, out,
        gdprkit::Policy::FromText(text, f, source_name == nullptr ? "<memory>" : source_name));
  });
}

void gdprkit_policy_free(gdprkit_policy* policy) { delete policy; }

const char* gdprkit_policy_source_name(const gdprkit_policy* policy) {
  return policy == nullptr ? "" : policy->core->source_name().c_str();
}

// ---- Findings ------------------------------------------------------------------

gdprkit_status gdprkit_policy_validate(gdprkit_findings** out, const gdprkit_policy* policy) {
  static constexpr char kFn[] = "gdprkit_policy_validate";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (policy == nullptr) return NullArgument(kFn, "policy");
    auto findings = std::make_unique<gdprkit_findings>();
    findings->items = policy->core->Validate();
    findings->severity_names.reserve(findings->items.size());
    for (const gdprkit::Finding& f : findings->items) {
      const std::string_view name = gdprkit::SeverityName(f.severity);
      findings->severity_names.emplace_back(name.data(), name.size());
      if (f.severity == gdprkit::Severity::kError) ++findings->error_count;
    }
    *out = findings.release();
    return GDPRKIT_OK;
  });
}

size_t gdprkit_findings_count(const gdprkit_findings* findings) {
  return findings == nullptr ? 0 : findings->items.size();
}

size_t gdprkit_findings_error_count(const gdprkit_findings* findings) {
  return findings == nullptr ? 0 : findings->error_count;
}

gdprkit_status gdprkit_findings_get(gdprkit_finding* out, const gdprkit_findings* findings,
                                    size_t index) {
  static constexpr char kFn[] = "gdprkit_findings_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s = StartRecord(kFn, out, GDPRKIT_FINDING_VERSION, "gdprkit_finding");
        s != GDPRKIT_OK) {
      return s;
    }
    if (findings == nullptr) return NullArgument(kFn, "findings");
    if (index >= findings->items.size()) return OutOfRange(kFn, index, findings->items.size());
    const gdprkit::Finding& f = findings->items[index];
    out->severity = static_cast<int>(f.severity);
    out->severity_name = findings->severity_names[index].c_str();
    out->code = f.code.c_str();
    out->purpose_id = f.purpose_id.c_str();
    out->field = f.field.c_str();
    out->message = f.message.c_str();
    out->file = f.file.c_str();
    out->line = f.line;
    return GDPRKIT_OK;
  });
}

void gdprkit_findings_free(gdprkit_findings* findings) { delete findings; }

// ---- Purposes ------------------------------------------------------------------

size_t gdprkit_policy_purpose_count(const gdprkit_policy* policy) {
  return policy == nullptr ? 0 : policy->core->purposes().size();
}

gdprkit_status gdprkit_policy_purpose_get(gdprkit_purpose_info* out, const gdprkit_policy* policy,
                                          size_t index) {
  static constexpr char kFn[] = "gdprkit_policy_purpose_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s =
            StartRecord(kFn, out, GDPRKIT_PURPOSE_INFO_VERSION, "gdprkit_purpose_info");
        s != GDPRKIT_OK) {
      return s;
    }
    if (policy == nullptr) return NullArgument(kFn, "policy");
    const auto purposes = policy->core->purposes();
    if (index >= purposes.size()) return OutOfRange(kFn, index, purposes.size());
    const gdprkit::Purpose& p = purposes[index];
    const gdprkit_policy::PurposeArrays& arrays = policy->purposes[index];
    out->id = p.id.c_str();
    out->title = p.title.c_str();
    out->description = p.description.c_str();
    out->retention = p.retention.c_str();
    out->basis = arrays.basis.data();
    out->basis_count = p.basis.size();
    out->categories = arrays.categories.data();
    out->category_count = p.categories.size();
    out->data_subjects = arrays.data_subjects.data();
    out->data_subject_count = p.data_subjects.size();
    out->line = p.line;
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_policy_purpose_find(size_t* out_index, const gdprkit_policy* policy,
                                           const char* purpose_id) {
  static constexpr char kFn[] = "gdprkit_policy_purpose_find";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_index == nullptr) return NullArgument(kFn, "out_index");
    *out_index = 0;
    if (policy == nullptr) return NullArgument(kFn, "policy");
    if (purpose_id == nullptr) return NullArgument(kFn, "purpose_id");
    absl::StatusOr<const gdprkit::Purpose*> p = policy->core->GetPurpose(purpose_id);
    if (!p.ok()) return FromCore(kFn, p.status());
    *out_index = static_cast<std::size_t>(*p - policy->core->purposes().data());
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_policy_basis_title(const char** out, const gdprkit_policy* policy,
                                          const char* code) {
  static constexpr char kFn[] = "gdprkit_policy_basis_title";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (policy == nullptr) return NullArgument(kFn, "policy");
    if (code == nullptr) return NullArgument(kFn, "code");
    return StoredBasisTitle(kFn, out, *policy, code);
  });
}

gdprkit_status gdprkit_policy_basis_title_lang(const char** out, const gdprkit_policy* policy,
                                               const char* code, int language) {
  static constexpr char kFn[] = "gdprkit_policy_basis_title_lang";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (policy == nullptr) return NullArgument(kFn, "policy");
    if (code == nullptr) return NullArgument(kFn, "code");
    gdprkit::Language lang;
    if (!ToLanguage(language, &lang)) return BadLanguage(kFn, language);
    if (const gdprkit::LegalBasisInfo* b = gdprkit::FindLegalBasis(code); b != nullptr) {
      *out = b->TitleIn(lang).data();  // a string literal of the core's table
      return GDPRKIT_OK;
    }
    // Declared references keep their own title in every language.
    return StoredBasisTitle(kFn, out, *policy, code);
  });
}

// ---- Titles ------------------------------------------------------------------------
//
// The core's tables hold string literals, so a title's data() is
// NUL-terminated and static.

const char* gdprkit_legal_basis_title(const char* code, int language) {
  gdprkit::Language lang;
  if (code == nullptr || !ToLanguage(language, &lang)) return "";
  const gdprkit::LegalBasisInfo* b = gdprkit::FindLegalBasis(code);
  return b == nullptr ? "" : b->TitleIn(lang).data();
}

const char* gdprkit_right_title(const char* code, int language) {
  gdprkit::Language lang;
  if (code == nullptr || !ToLanguage(language, &lang)) return "";
  const gdprkit::RightInfo* r = gdprkit::FindRight(code);
  return r == nullptr ? "" : r->TitleIn(lang).data();
}

const char* gdprkit_finding_title(const char* code, int language) {
  gdprkit::Language lang;
  if (code == nullptr || !ToLanguage(language, &lang)) return "";
  return gdprkit::FindingTitle(code, lang).data();
}

const char* gdprkit_severity_title(int severity, int language) {
  gdprkit::Language lang;
  if (severity < GDPRKIT_SEVERITY_INFO || severity > GDPRKIT_SEVERITY_ERROR ||
      !ToLanguage(language, &lang)) {
    return "";
  }
  return gdprkit::SeverityTitle(static_cast<gdprkit::Severity>(severity), lang).data();
}

// ---- Rights ----------------------------------------------------------------------

gdprkit_status gdprkit_policy_rights(gdprkit_rights** out, const gdprkit_policy* policy,
                                     const char* purpose_id) {
  static constexpr char kFn[] = "gdprkit_policy_rights";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (policy == nullptr) return NullArgument(kFn, "policy");
    if (purpose_id == nullptr) return NullArgument(kFn, "purpose_id");
    absl::StatusOr<std::vector<gdprkit::RightAssessment>> matrix = policy->core->Rights(purpose_id);
    if (!matrix.ok()) return FromCore(kFn, matrix.status());
    auto rights = std::make_unique<gdprkit_rights>();
    rights->items = *std::move(matrix);
    rights->codes.reserve(rights->items.size());
    rights->titles.reserve(rights->items.size());
    for (const gdprkit::RightAssessment& r : rights->items) {
      const gdprkit::RightInfo& info = gdprkit::GetRightInfo(r.right);
      rights->codes.emplace_back(info.code.data(), info.code.size());
      rights->titles.emplace_back(info.title.data(), info.title.size());
    }
    *out = rights.release();
    return GDPRKIT_OK;
  });
}

size_t gdprkit_rights_count(const gdprkit_rights* rights) {
  return rights == nullptr ? 0 : rights->items.size();
}

gdprkit_status gdprkit_rights_get(gdprkit_right_info* out, const gdprkit_rights* rights,
                                  size_t index) {
  static constexpr char kFn[] = "gdprkit_rights_get";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (gdprkit_status s = StartRecord(kFn, out, GDPRKIT_RIGHT_INFO_VERSION, "gdprkit_right_info");
        s != GDPRKIT_OK) {
      return s;
    }
    if (rights == nullptr) return NullArgument(kFn, "rights");
    if (index >= rights->items.size()) return OutOfRange(kFn, index, rights->items.size());
    const gdprkit::RightAssessment& r = rights->items[index];
    out->code = rights->codes[index].c_str();
    out->title = rights->titles[index].c_str();
    out->applies = r.applies ? 1 : 0;
    out->reason = r.reason.c_str();
    return GDPRKIT_OK;
  });
}

void gdprkit_rights_free(gdprkit_rights* rights) { delete rights; }

// ---- Access ------------------------------------------------------------------------

gdprkit_status gdprkit_policy_may_access(int* out_allowed, const gdprkit_policy* policy,
                                         const char* purpose_id, const char* team,
                                         const char* role) {
  static constexpr char kFn[] = "gdprkit_policy_may_access";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_allowed == nullptr) return NullArgument(kFn, "out_allowed");
    *out_allowed = 0;
    if (policy == nullptr) return NullArgument(kFn, "policy");
    if (purpose_id == nullptr) return NullArgument(kFn, "purpose_id");
    if (team == nullptr) return NullArgument(kFn, "team");
    gdprkit::Principal principal;
    principal.team = team;
    principal.role = role == nullptr ? "" : role;
    absl::StatusOr<bool> allowed = policy->core->MayAccess(principal, purpose_id);
    if (!allowed.ok()) return FromCore(kFn, allowed.status());
    *out_allowed = *allowed ? 1 : 0;
    return GDPRKIT_OK;
  });
}

// The function forms of the _INIT macros (for FFI).
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_finding, GDPRKIT_FINDING_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_purpose_info, GDPRKIT_PURPOSE_INFO_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_right_info, GDPRKIT_RIGHT_INFO_INIT)

}  // extern "C"
