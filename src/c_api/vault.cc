// The C ABI of identifiers and the vault (include/gdprkit/c/vault.h) over the
// core (gdprkit/identifiers.h, gdprkit/vault.h). Thin: checks C arguments,
// converts arrays to spans and StringColumns to gdprkit_id_column, statuses
// to codes. Secrets go straight from the caller's bytes into the core's
// guarded memory (VaultOptions), which wipes them when the options die.
#include "gdprkit/vault.h"

#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "c_api/internal/door.h"
#include "common/text.h"
#include "gdprkit.h"
#include "gdprkit/identifiers.h"

struct gdprkit_id_column {
  // The values, each followed by a NUL, and pointers to them (+ NULL).
  std::string bytes;
  std::vector<const char*> values;

  ~gdprkit_id_column() {
    if (!bytes.empty()) sodium_memzero(&bytes[0], bytes.size());
  }
};

// Immutable after creation: the core's const methods are safe from several
// threads (the key's guarded memory is read under its own reader count).
struct gdprkit_pseudonymizer {
  std::unique_ptr<const gdprkit::Pseudonymizer> core;
};

namespace {

using gdprkit::capi::BadVersion;
using gdprkit::capi::CheckArray;
using gdprkit::capi::CheckOptionalArray;
using gdprkit::capi::Fail;
using gdprkit::capi::FromCore;
using gdprkit::capi::Guard;
using gdprkit::capi::InitHint;
using gdprkit::capi::NullArgument;

// Converts a core column (wiping it) into a C column.
std::unique_ptr<gdprkit_id_column> ToC(gdprkit::StringColumn* column) {
  auto out = std::make_unique<gdprkit_id_column>();
  const std::size_t n = column->size();
  out->bytes.reserve(column->bytes().size() + n);
  std::vector<std::size_t> starts(n);
  for (std::size_t i = 0; i < n; ++i) {
    starts[i] = out->bytes.size();
    const std::string_view v = (*column)[i];
    out->bytes.append(v.data(), v.size());
    out->bytes.push_back('\0');
  }
  column->SecureClear();
  out->values.resize(n + 1, nullptr);
  for (std::size_t i = 0; i < n; ++i) out->values[i] = out->bytes.data() + starts[i];
  return out;
}

bool KnownKind(int kind) {
  return kind >= 1 && kind <= 6 && gdprkit::IsKnownIdKind(static_cast<gdprkit::IdKind>(kind));
}

gdprkit_status BadKind(const char* fn, int kind) {
  return Fail(GDPRKIT_INVALID_ARGUMENT, absl::StrCat(fn, ": unknown identifier kind ", kind,
                                                     " (expected 1-6, a gdprkit_id_kind)"));
}

static_assert(GDPRKIT_PSEUDONYM_BLAKE2B == static_cast<int>(gdprkit::PseudonymScheme::kBlake2b) &&
                  GDPRKIT_PSEUDONYM_CHACHA20 ==
                      static_cast<int>(gdprkit::PseudonymScheme::kChaCha20),
              "the C and C++ pseudonym scheme numbers differ");

bool KnownScheme(int scheme) {
  return scheme == GDPRKIT_PSEUDONYM_BLAKE2B || scheme == GDPRKIT_PSEUDONYM_CHACHA20;
}

gdprkit_status BadScheme(const char* fn, int scheme) {
  return Fail(GDPRKIT_INVALID_ARGUMENT,
              absl::StrCat(fn, ": unknown pseudonym scheme ", scheme,
                           " (expected 1 = GDPRKIT_PSEUDONYM_BLAKE2B or 2 = "
                           "GDPRKIT_PSEUDONYM_CHACHA20, a gdprkit_pseudonym_scheme)"));
}

// The C strings as views; a NULL element is an error naming its index. The
// array itself was checked with CheckArray.
gdprkit_status Views(const char* fn, const char* what, const char* const* values, size_t count,
                     std::vector<std::string_view>* out) {
  out->clear();
  if (count == 0) return GDPRKIT_OK;
  out->reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (values[i] == nullptr) {
      return Fail(GDPRKIT_INVALID_ARGUMENT, absl::StrCat(fn, ": ", what, "[", i, "] is NULL"));
    }
    out->emplace_back(values[i]);
  }
  return GDPRKIT_OK;
}

// The option structs as programs built with a 0.2 header (version 1) lay
// them out: they are read with these layouts, never past their end.
struct IdOptionsV1 {
  unsigned int version;
  int cpr_require_modulus11;
  int cpr_allow_replacement;
  int pad_provider_number;
};
struct BatchOptionsV1 {
  unsigned int version;
  IdOptionsV1 id_options;
  int skip_invalid;
  unsigned int key_version;
};
static_assert(offsetof(gdprkit_id_options, cpr_allow_future) == sizeof(IdOptionsV1),
              "gdprkit_id_options version 2 appends to version 1");
static_assert(offsetof(BatchOptionsV1, skip_invalid) == 20 &&
                  offsetof(BatchOptionsV1, key_version) == 24 && sizeof(BatchOptionsV1) == 28,
              "the layout of gdprkit_batch_options version 1 (0.2) never changes");
// Version 2 (0.3) is version 3 without the fields from `errors` on.
constexpr std::size_t kBatchOptionsV2Size = offsetof(gdprkit_batch_options, errors);
static_assert(kBatchOptionsV2Size == 36, "the layout of gdprkit_batch_options version 2 (0.3)");
static_assert(GDPRKIT_ERRORS_RAISE == static_cast<int>(gdprkit::ErrorMode::kRaise) &&
                  GDPRKIT_ERRORS_REPORT == static_cast<int>(gdprkit::ErrorMode::kReport) &&
                  GDPRKIT_ERRORS_COERCE == static_cast<int>(gdprkit::ErrorMode::kCoerce),
              "the C and C++ error modes differ");
static_assert(GDPRKIT_TOKEN_NOT_FOUND == static_cast<int>(gdprkit::TokenProblem::kNotFound),
              "the C and C++ token problems differ");

// A struct version this library does not read: `what` names it. The
// batch options have versions 1 to 3, the identifier options 1 and 2.
gdprkit_status BadOptionsVersion(const char* fn, const char* what, unsigned int got) {
  const unsigned int newest = std::string_view(what) == "gdprkit_batch_options"
                                  ? GDPRKIT_BATCH_OPTIONS_VERSION
                                  : GDPRKIT_ID_OPTIONS_VERSION;
  return Fail(GDPRKIT_INVALID_ARGUMENT,
              absl::StrCat(fn, ": ", what, ".version is ", got,
                           "; this library supports versions 1 to ", newest, InitHint(what)));
}

void IdOptionsFromV1(const IdOptionsV1& in, gdprkit::IdOptions* out) {
  out->cpr_require_modulus11 = in.cpr_require_modulus11 != 0;
  out->cpr_allow_replacement = in.cpr_allow_replacement != 0;
  out->pad_provider_number = in.pad_provider_number != 0;
}

// The first four fields, which every version has. Copied bytewise: the
// caller's struct may be a version-1 one, shorter than gdprkit_id_options.
void IdOptionsFromV1(const void* in, gdprkit::IdOptions* out) {
  IdOptionsV1 v1;
  std::memcpy(&v1, in, sizeof(v1));
  IdOptionsFromV1(v1, out);
}

// The version-2 fields: cpr_as_of is a day number or GDPRKIT_NO_DATE (today).
gdprkit_status IdOptionsFromV2(const char* fn, const char* what, const gdprkit_id_options& in,
                               gdprkit::IdOptions* out) {
  out->cpr_allow_future = in.cpr_allow_future != 0;
  if (in.cpr_as_of == GDPRKIT_NO_DATE) return GDPRKIT_OK;
  constexpr std::int64_t kFirst = gdprkit::id_internal::DaysFromCivil(1, 1, 1);
  constexpr std::int64_t kLast = gdprkit::id_internal::DaysFromCivil(9999, 12, 31);
  if (in.cpr_as_of < kFirst || in.cpr_as_of > kLast) {
    return Fail(GDPRKIT_INVALID_ARGUMENT,
                absl::StrCat(fn, ": ", what,
                             ".cpr_as_of is not a date of the years 1-9999 (give a day number "
                             "from gdprkit_date_parse, or GDPRKIT_NO_DATE for today)"));
  }
  out->cpr_as_of = gdprkit::id_internal::CivilFromDays(in.cpr_as_of);
  return GDPRKIT_OK;
}

gdprkit_status IdOptions(const char* fn, const gdprkit_id_options* in, gdprkit::IdOptions* out) {
  *out = gdprkit::IdOptions();
  if (in == nullptr) return GDPRKIT_OK;
  if (in->version == 1) {
    IdOptionsFromV1(static_cast<const void*>(in), out);
    return GDPRKIT_OK;
  }
  if (in->version != GDPRKIT_ID_OPTIONS_VERSION) {
    return BadOptionsVersion(fn, "gdprkit_id_options", in->version);
  }
  IdOptionsFromV1(static_cast<const void*>(in), out);
  return IdOptionsFromV2(fn, "options", *in, out);
}

gdprkit_status BatchOptions(const char* fn, const gdprkit_batch_options* in,
                            gdprkit::BatchOptions* out) {
  *out = gdprkit::BatchOptions();
  if (in == nullptr) {
    out->id_options = gdprkit::ResolveCprAsOf(out->id_options);
    return GDPRKIT_OK;
  }
  int skip_invalid = 0;
  unsigned int key_version = 0;
  int errors = GDPRKIT_ERRORS_RAISE;
  if (in->version == 1) {
    BatchOptionsV1 v1;
    std::memcpy(&v1, in, sizeof(v1));  // the caller's struct is this short
    if (v1.id_options.version != 1) {
      return BadOptionsVersion(fn, "gdprkit_batch_options.id_options", v1.id_options.version);
    }
    IdOptionsFromV1(v1.id_options, &out->id_options);
    skip_invalid = v1.skip_invalid;
    key_version = v1.key_version;
  } else if (in->version == 2 || in->version == GDPRKIT_BATCH_OPTIONS_VERSION) {
    // A version-2 struct is as long as version 3 up to `errors`: read only
    // that much of it.
    gdprkit_batch_options v = GDPRKIT_BATCH_OPTIONS_INIT;
    std::memcpy(&v, in, in->version == 2 ? kBatchOptionsV2Size : sizeof(v));
    const gdprkit_id_options& io = v.id_options;
    if (io.version != 1 && io.version != GDPRKIT_ID_OPTIONS_VERSION) {
      return BadOptionsVersion(fn, "gdprkit_batch_options.id_options", io.version);
    }
    IdOptionsFromV1(static_cast<const void*>(&io), &out->id_options);
    if (io.version == GDPRKIT_ID_OPTIONS_VERSION) {
      if (gdprkit_status s = IdOptionsFromV2(fn, "options->id_options", io, &out->id_options);
          s != GDPRKIT_OK) {
        return s;
      }
    }
    skip_invalid = v.skip_invalid;
    key_version = v.key_version;
    errors = v.errors;
    out->progress = gdprkit::capi::ProgressFromC(v.progress, v.progress_context);
  } else {
    return BadOptionsVersion(fn, "gdprkit_batch_options", in->version);
  }
  if (errors != GDPRKIT_ERRORS_RAISE && errors != GDPRKIT_ERRORS_REPORT &&
      errors != GDPRKIT_ERRORS_COERCE) {
    return Fail(GDPRKIT_INVALID_ARGUMENT,
                absl::StrCat(fn, ": options->errors is ", errors,
                             "; expected GDPRKIT_ERRORS_RAISE (0), GDPRKIT_ERRORS_REPORT (1) or "
                             "GDPRKIT_ERRORS_COERCE (2)"));
  }
  // Today's date is read once for the batch, not per row.
  out->id_options = gdprkit::ResolveCprAsOf(out->id_options);
  out->errors = static_cast<gdprkit::ErrorMode>(errors);
  // The older field: skip_invalid asks for what COERCE does.
  if (skip_invalid != 0 && out->errors == gdprkit::ErrorMode::kRaise) {
    out->errors = gdprkit::ErrorMode::kCoerce;
  }
  out->key_version = key_version;
  return GDPRKIT_OK;
}

// Writes one problem per row into the caller's `count` bytes at `out` (which
// may be NULL: not wanted): the rows `problems` has, 0 for the rest. Called
// only once the call has succeeded.
template <typename Problem>
void CopyProblems(const std::vector<Problem>& problems, unsigned char* out, std::size_t count) {
  if (out == nullptr || count == 0) return;
  std::memset(out, 0, count);
  for (std::size_t i = 0; i < problems.size() && i < count; ++i) {
    out[i] = static_cast<unsigned char>(problems[i]);
  }
}

gdprkit_status VaultOptionsFrom(const char* fn, const gdprkit_vault_options* in,
                                gdprkit::VaultOptions* out) {
  if (in == nullptr) return GDPRKIT_OK;
  if (in->version != GDPRKIT_VAULT_OPTIONS_VERSION) {
    return BadVersion(fn, "gdprkit_vault_options", in->version, GDPRKIT_VAULT_OPTIONS_VERSION);
  }
  if (in->actor != nullptr) out->set_actor(in->actor);
  switch (in->kdf_cost) {
    case GDPRKIT_KDF_MODERATE:
      out->set_kdf_limits(gdprkit::KdfLimits::Moderate());
      break;
    case GDPRKIT_KDF_INTERACTIVE:
      out->set_kdf_limits(gdprkit::KdfLimits::Interactive());
      break;
    case GDPRKIT_KDF_TESTS_ONLY:
      out->set_kdf_limits(gdprkit::KdfLimits::ForTestsOnly());
      break;
    default:
      return Fail(GDPRKIT_INVALID_ARGUMENT,
                  absl::StrCat(fn, ": unknown kdf_cost ", in->kdf_cost, " (expected 0-2)"));
  }
  if (in->busy_timeout_ms < 0) {
    return Fail(GDPRKIT_INVALID_ARGUMENT, absl::StrCat(fn, ": busy_timeout_ms is negative"));
  }
  if (in->busy_timeout_ms > 0) out->set_busy_timeout_ms(in->busy_timeout_ms);
  out->set_create_if_missing(in->create_if_missing != 0);
  return GDPRKIT_OK;
}

enum class Secret { kPassphrase, kHostKey };
enum class Mode { kCreate, kOpen };

gdprkit_status OpenOrCreate(const char* fn, Mode mode, Secret kind, gdprkit_vault** out,
                            const char* path, const unsigned char* secret, size_t secret_len,
                            const gdprkit_vault_options* options) {
  return Guard(fn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(fn, "out");
    *out = nullptr;
    if (path == nullptr) return NullArgument(fn, "path");
    const char* secret_name = kind == Secret::kPassphrase ? "passphrase" : "key";
    if (gdprkit_status s = CheckArray(fn, secret_name, secret, secret_len,
                                      kind == Secret::kPassphrase ? "passphrase_len" : "key_len");
        s != GDPRKIT_OK) {
      return s;
    }
    if (secret_len == 0) {
      return Fail(GDPRKIT_INVALID_ARGUMENT, absl::StrCat(fn, ": the ", secret_name, " is empty"));
    }
    if (kind == Secret::kHostKey && secret_len != GDPRKIT_HOST_KEY_BYTES) {
      return Fail(GDPRKIT_INVALID_ARGUMENT,
                  absl::StrCat(fn, ": a host key has ", GDPRKIT_HOST_KEY_BYTES, " bytes, not ",
                               secret_len));
    }
    gdprkit::VaultOptions vo;
    vo.set_path(path);
    if (gdprkit_status s = VaultOptionsFrom(fn, options, &vo); s != GDPRKIT_OK) return s;
    // Copied into guarded memory; wiped when `vo` (and the vault's copy) die.
    const std::string_view bytes(reinterpret_cast<const char*>(secret), secret_len);
    if (kind == Secret::kPassphrase) {
      vo.set_passphrase(bytes);
    } else {
      vo.set_host_key(bytes, gdprkit::InsecureSecretAccess::Get());
    }
    absl::StatusOr<std::unique_ptr<gdprkit::Vault>> v =
        mode == Mode::kCreate ? gdprkit::Vault::Create(vo) : gdprkit::Vault::Open(vo);
    if (!v.ok()) return FromCore(fn, v.status());
    auto handle = std::make_unique<gdprkit_vault>();
    handle->core = std::move(*v);
    *out = handle.release();
    return GDPRKIT_OK;
  });
}

}  // namespace

gdprkit_status gdprkit_id_kind_parse(int* out_kind, const char* name) {
  static constexpr char kFn[] = "gdprkit_id_kind_parse";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_kind == nullptr) return NullArgument(kFn, "out_kind");
    *out_kind = 0;
    if (name == nullptr) return NullArgument(kFn, "name");
    absl::StatusOr<gdprkit::IdKind> k = gdprkit::IdKindFromName(name);
    if (!k.ok()) return FromCore(kFn, k.status());
    *out_kind = static_cast<int>(*k);
    return GDPRKIT_OK;
  });
}

const char* gdprkit_id_kind_name(int kind) {
  if (!KnownKind(kind)) return "unknown";
  return gdprkit::IdKindName(static_cast<gdprkit::IdKind>(kind)).data();
}

const char* gdprkit_id_problem_code(int problem) {
  if (problem < 0 || problem > GDPRKIT_ID_FUTURE_BIRTH_DATE) return "unknown";
  return gdprkit::IdProblemCode(static_cast<gdprkit::IdProblem>(problem)).data();
}

const char* gdprkit_id_problem_text(int kind, int problem) {
  if (!KnownKind(kind) || problem < 0 || problem > GDPRKIT_ID_FUTURE_BIRTH_DATE) {
    return "unknown";
  }
  return gdprkit::IdProblemText(static_cast<gdprkit::IdKind>(kind),
                                static_cast<gdprkit::IdProblem>(problem))
      .data();
}

namespace {

bool KnownLanguage(int language) {
  return language == GDPRKIT_LANGUAGE_EN || language == GDPRKIT_LANGUAGE_DA;
}

}  // namespace

const char* gdprkit_id_problem_title(int kind, int problem, int language) {
  if (!KnownKind(kind) || problem < 0 || problem > GDPRKIT_ID_FUTURE_BIRTH_DATE ||
      !KnownLanguage(language)) {
    return "unknown";
  }
  return gdprkit::IdProblemText(static_cast<gdprkit::IdKind>(kind),
                                static_cast<gdprkit::IdProblem>(problem),
                                static_cast<gdprkit::Language>(language))
      .data();
}

const char* gdprkit_id_kind_title(int kind, int language) {
  if (!KnownKind(kind) || !KnownLanguage(language)) return "unknown";
  return gdprkit::IdKindTitle(static_cast<gdprkit::IdKind>(kind),
                              static_cast<gdprkit::Language>(language))
      .data();
}

const char* gdprkit_token_problem_name(int problem) {
  if (problem < GDPRKIT_TOKEN_OK || problem > GDPRKIT_TOKEN_NOT_FOUND) return nullptr;
  return gdprkit::TokenProblemName(static_cast<gdprkit::TokenProblem>(problem)).data();
}

const char* gdprkit_token_problem_title(int problem, int language) {
  if (problem < GDPRKIT_TOKEN_OK || problem > GDPRKIT_TOKEN_NOT_FOUND || !KnownLanguage(language)) {
    return nullptr;
  }
  return gdprkit::TokenProblemTitle(static_cast<gdprkit::TokenProblem>(problem),
                                    static_cast<gdprkit::Language>(language))
      .data();
}

size_t gdprkit_id_column_count(const gdprkit_id_column* column) {
  return column == nullptr ? 0 : column->values.size() - 1;
}

const char* const* gdprkit_id_column_values(const gdprkit_id_column* column) {
  return column == nullptr ? nullptr : column->values.data();
}

void gdprkit_id_column_free(gdprkit_id_column* column) { delete column; }

gdprkit_status gdprkit_ids_check(unsigned char* out_problems, size_t* out_rejected, int kind,
                                 const char* const* values, size_t count,
                                 const gdprkit_id_options* options) {
  static constexpr char kFn[] = "gdprkit_ids_check";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_rejected == nullptr) return NullArgument(kFn, "out_rejected");
    *out_rejected = 0;
    if (gdprkit_status s = CheckArray(kFn, "out_problems", out_problems, count, "count");
        s != GDPRKIT_OK) {
      return s;
    }
    if (gdprkit_status s = CheckArray(kFn, "values", values, count, "count"); s != GDPRKIT_OK) {
      return s;
    }
    if (!KnownKind(kind)) return BadKind(kFn, kind);
    gdprkit::IdOptions io;
    if (gdprkit_status s = IdOptions(kFn, options, &io); s != GDPRKIT_OK) return s;
    std::vector<std::string_view> views;
    if (gdprkit_status s = Views(kFn, "values", values, count, &views); s != GDPRKIT_OK) return s;
    std::vector<gdprkit::IdProblem> problems;
    const std::size_t rejected =
        gdprkit::CheckIds(static_cast<gdprkit::IdKind>(kind), views, &problems, io);
    CopyProblems(problems, out_problems, count);
    *out_rejected = rejected;
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_ids_normalize(gdprkit_id_column** out, unsigned char* out_problems,
                                     size_t* out_rejected, int kind, const char* const* values,
                                     size_t count, const gdprkit_id_options* options) {
  static constexpr char kFn[] = "gdprkit_ids_normalize";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (out_rejected == nullptr) return NullArgument(kFn, "out_rejected");
    *out_rejected = 0;
    if (gdprkit_status s = CheckOptionalArray(kFn, "out_problems", out_problems, count, "count");
        s != GDPRKIT_OK) {
      return s;
    }
    if (gdprkit_status s = CheckArray(kFn, "values", values, count, "count"); s != GDPRKIT_OK) {
      return s;
    }
    if (!KnownKind(kind)) return BadKind(kFn, kind);
    gdprkit::IdOptions io;
    if (gdprkit_status s = IdOptions(kFn, options, &io); s != GDPRKIT_OK) return s;
    std::vector<std::string_view> views;
    if (gdprkit_status s = Views(kFn, "values", values, count, &views); s != GDPRKIT_OK) return s;
    std::vector<gdprkit::IdProblem> problems;
    gdprkit::StringColumn column;
    const std::size_t rejected =
        gdprkit::NormalizeIds(static_cast<gdprkit::IdKind>(kind), views, &column, &problems, io);
    std::unique_ptr<gdprkit_id_column> c = ToC(&column);
    CopyProblems(problems, out_problems, count);
    *out_rejected = rejected;
    *out = c.release();
    return GDPRKIT_OK;
  });
}

void gdprkit_secure_wipe(void* data, size_t size) {
  // No object is larger than PTRDIFF_MAX bytes: such a size is a caller's
  // mistake, and wiping by it would run over the caller's memory.
  if (data != nullptr && size != 0 && size <= gdprkit::capi::MaxElements<unsigned char>()) {
    sodium_memzero(data, size);
  }
}

size_t gdprkit_host_key_bytes(void) { return GDPRKIT_HOST_KEY_BYTES; }

gdprkit_status gdprkit_vault_create(gdprkit_vault** out, const char* path,
                                    const unsigned char* passphrase, size_t passphrase_len,
                                    const gdprkit_vault_options* options) {
  return OpenOrCreate("gdprkit_vault_create", Mode::kCreate, Secret::kPassphrase, out, path,
                      passphrase, passphrase_len, options);
}

gdprkit_status gdprkit_vault_create_with_key(gdprkit_vault** out, const char* path,
                                             const unsigned char* key, size_t key_len,
                                             const gdprkit_vault_options* options) {
  return OpenOrCreate("gdprkit_vault_create_with_key", Mode::kCreate, Secret::kHostKey, out, path,
                      key, key_len, options);
}

gdprkit_status gdprkit_vault_open(gdprkit_vault** out, const char* path,
                                  const unsigned char* passphrase, size_t passphrase_len,
                                  const gdprkit_vault_options* options) {
  return OpenOrCreate("gdprkit_vault_open", Mode::kOpen, Secret::kPassphrase, out, path, passphrase,
                      passphrase_len, options);
}

gdprkit_status gdprkit_vault_open_with_key(gdprkit_vault** out, const char* path,
                                           const unsigned char* key, size_t key_len,
                                           const gdprkit_vault_options* options) {
  return OpenOrCreate("gdprkit_vault_open_with_key", Mode::kOpen, Secret::kHostKey, out, path, key,
                      key_len, options);
}

void gdprkit_vault_close(gdprkit_vault* vault) { delete vault; }

gdprkit_status gdprkit_vault_create_domain(gdprkit_vault* vault, const char* name,
                                           const char* description) {
  static constexpr char kFn[] = "gdprkit_vault_create_domain";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (vault == nullptr) return NullArgument(kFn, "vault");
    if (name == nullptr) return NullArgument(kFn, "name");
    return FromCore(kFn,
                    vault->core->CreateDomain(name, description == nullptr ? "" : description));
  });
}

gdprkit_status gdprkit_vault_create_domain_with_scheme(gdprkit_vault* vault, const char* name,
                                                       const char* description, int scheme) {
  static constexpr char kFn[] = "gdprkit_vault_create_domain_with_scheme";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (vault == nullptr) return NullArgument(kFn, "vault");
    if (name == nullptr) return NullArgument(kFn, "name");
    // Checked here, as an int: the core's enum is 8 bits, and 257 must not
    // become 1.
    if (!KnownScheme(scheme)) return BadScheme(kFn, scheme);
    return FromCore(kFn, vault->core->CreateDomain(name, description == nullptr ? "" : description,
                                                   static_cast<gdprkit::PseudonymScheme>(scheme)));
  });
}

gdprkit_status gdprkit_vault_domain_scheme(int* out_scheme, const gdprkit_vault* vault,
                                           const char* domain) {
  static constexpr char kFn[] = "gdprkit_vault_domain_scheme";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_scheme == nullptr) return NullArgument(kFn, "out_scheme");
    *out_scheme = 0;
    if (vault == nullptr) return NullArgument(kFn, "vault");
    if (domain == nullptr) return NullArgument(kFn, "domain");
    absl::StatusOr<gdprkit::DomainInfo> d = vault->core->GetDomain(domain);
    if (!d.ok()) return FromCore(kFn, d.status());
    const int scheme = static_cast<int>(d->scheme);
    if (!KnownScheme(scheme)) {
      return Fail(GDPRKIT_DATA_LOSS, absl::StrCat(kFn, ": vault file is damaged: domain ",
                                                  gdprkit::internal::Quote(d->name),
                                                  " has an unknown pseudonym scheme ", scheme));
    }
    *out_scheme = scheme;
    return GDPRKIT_OK;
  });
}

namespace {

enum class Batch { kPseudonymize, kTokenize };

gdprkit_status RunBatch(const char* fn, Batch what, gdprkit_id_column** out,
                        unsigned char* out_problems, const gdprkit_vault* vault, const char* domain,
                        int kind, const char* const* values, size_t count,
                        const gdprkit_batch_options* options) {
  return Guard(fn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(fn, "out");
    *out = nullptr;
    if (gdprkit_status s = CheckOptionalArray(fn, "out_problems", out_problems, count, "count");
        s != GDPRKIT_OK) {
      return s;
    }
    if (gdprkit_status s = CheckArray(fn, "values", values, count, "count"); s != GDPRKIT_OK) {
      return s;
    }
    if (vault == nullptr) return NullArgument(fn, "vault");
    if (domain == nullptr) return NullArgument(fn, "domain");
    if (!KnownKind(kind)) return BadKind(fn, kind);
    gdprkit::BatchOptions bo;
    if (gdprkit_status s = BatchOptions(fn, options, &bo); s != GDPRKIT_OK) return s;
    std::vector<std::string_view> views;
    if (gdprkit_status s = Views(fn, "values", values, count, &views); s != GDPRKIT_OK) return s;
    gdprkit::StringColumn column;
    gdprkit::BatchReport report;
    const auto k = static_cast<gdprkit::IdKind>(kind);
    absl::Status s = what == Batch::kPseudonymize
                         ? vault->core->Pseudonymize(domain, k, views, &column, bo, &report)
                         : vault->core->Tokenize(domain, k, views, &column, bo, &report);
    if (!s.ok()) return FromCore(fn, s);
    std::unique_ptr<gdprkit_id_column> c = ToC(&column);
    CopyProblems(report.problems, out_problems, count);
    *out = c.release();
    return GDPRKIT_OK;
  });
}

}  // namespace

gdprkit_status gdprkit_vault_pseudonymize(gdprkit_id_column** out, unsigned char* out_problems,
                                          const gdprkit_vault* vault, const char* domain, int kind,
                                          const char* const* values, size_t count,
                                          const gdprkit_batch_options* options) {
  return RunBatch("gdprkit_vault_pseudonymize", Batch::kPseudonymize, out, out_problems, vault,
                  domain, kind, values, count, options);
}

gdprkit_status gdprkit_vault_tokenize(gdprkit_id_column** out, unsigned char* out_problems,
                                      gdprkit_vault* vault, const char* domain, int kind,
                                      const char* const* values, size_t count,
                                      const gdprkit_batch_options* options) {
  return RunBatch("gdprkit_vault_tokenize", Batch::kTokenize, out, out_problems, vault, domain,
                  kind, values, count, options);
}

namespace {

// The two token calls, with or without options: `run` calls the core.
using TokenRun =
    std::function<absl::Status(const std::vector<std::string_view>&, const gdprkit::BatchOptions&,
                               gdprkit::StringColumn*, gdprkit::BatchReport*)>;

gdprkit_status RunTokens(const char* fn, gdprkit_id_column** out, unsigned char* out_problems,
                         const char* const* tokens, size_t count,
                         const gdprkit_batch_options* options, const TokenRun& run) {
  gdprkit::BatchOptions bo;
  if (gdprkit_status s = BatchOptions(fn, options, &bo); s != GDPRKIT_OK) return s;
  if (gdprkit_status s = CheckOptionalArray(fn, "out_problems", out_problems, count, "count");
      s != GDPRKIT_OK) {
    return s;
  }
  if (gdprkit_status s = CheckArray(fn, "tokens", tokens, count, "count"); s != GDPRKIT_OK) {
    return s;
  }
  std::vector<std::string_view> views;
  if (gdprkit_status s = Views(fn, "tokens", tokens, count, &views); s != GDPRKIT_OK) return s;
  gdprkit::StringColumn column;
  gdprkit::BatchReport report;
  absl::Status s = run(views, bo, &column, &report);
  if (!s.ok()) {
    column.SecureClear();
    return FromCore(fn, s);
  }
  std::unique_ptr<gdprkit_id_column> c = ToC(&column);
  CopyProblems(report.token_problems, out_problems, count);
  *out = c.release();
  return GDPRKIT_OK;
}

gdprkit_status Reidentify(const char* fn, gdprkit_id_column** out, unsigned char* out_problems,
                          gdprkit_vault* vault, const char* domain, const char* const* tokens,
                          size_t count, const char* reason, const gdprkit_batch_options* options) {
  return Guard(fn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(fn, "out");
    *out = nullptr;
    if (vault == nullptr) return NullArgument(fn, "vault");
    if (domain == nullptr) return NullArgument(fn, "domain");
    if (reason == nullptr) return NullArgument(fn, "reason");
    return RunTokens(
        fn, out, out_problems, tokens, count, options,
        [&](const std::vector<std::string_view>& views, const gdprkit::BatchOptions& bo,
            gdprkit::StringColumn* column, gdprkit::BatchReport* report) {
          return vault->core->Reidentify(domain, views, reason, column, nullptr, bo, report);
        });
  });
}

}  // namespace

gdprkit_status gdprkit_vault_reidentify(gdprkit_id_column** out, gdprkit_vault* vault,
                                        const char* domain, const char* const* tokens, size_t count,
                                        const char* reason) {
  return Reidentify("gdprkit_vault_reidentify", out, nullptr, vault, domain, tokens, count, reason,
                    nullptr);
}

gdprkit_status gdprkit_vault_reidentify_with_options(gdprkit_id_column** out,
                                                     unsigned char* out_problems,
                                                     gdprkit_vault* vault, const char* domain,
                                                     const char* const* tokens, size_t count,
                                                     const char* reason,
                                                     const gdprkit_batch_options* options) {
  return Reidentify("gdprkit_vault_reidentify_with_options", out, out_problems, vault, domain,
                    tokens, count, reason, options);
}

namespace {

static_assert(GDPRKIT_TRANSLATE_TO_TOKEN == static_cast<int>(gdprkit::TranslateTarget::kToken) &&
                  GDPRKIT_TRANSLATE_TO_PSEUDONYM ==
                      static_cast<int>(gdprkit::TranslateTarget::kPseudonym),
              "the C and C++ translate target numbers differ");

bool KnownTarget(int target) {
  return target == GDPRKIT_TRANSLATE_TO_TOKEN || target == GDPRKIT_TRANSLATE_TO_PSEUDONYM;
}

gdprkit_status BadTarget(const char* fn, int target) {
  return Fail(GDPRKIT_INVALID_ARGUMENT,
              absl::StrCat(fn, ": unknown target ", target,
                           " (expected 0 = GDPRKIT_TRANSLATE_TO_TOKEN or 1 = "
                           "GDPRKIT_TRANSLATE_TO_PSEUDONYM, a gdprkit_translate_target)"));
}

}  // namespace

namespace {

gdprkit_status Translate(const char* fn, gdprkit_id_column** out, unsigned char* out_problems,
                         gdprkit_vault* vault, const char* from_domain, const char* to_domain,
                         const char* const* tokens, size_t count, const char* reason, int target,
                         const gdprkit_batch_options* options) {
  return Guard(fn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(fn, "out");
    *out = nullptr;
    if (vault == nullptr) return NullArgument(fn, "vault");
    if (from_domain == nullptr) return NullArgument(fn, "from_domain");
    if (to_domain == nullptr) return NullArgument(fn, "to_domain");
    if (reason == nullptr) return NullArgument(fn, "reason");
    // Checked here, as an int: the core's enum is 8 bits, and 256 must not
    // become 0.
    if (!KnownTarget(target)) return BadTarget(fn, target);
    return RunTokens(
        fn, out, out_problems, tokens, count, options,
        [&](const std::vector<std::string_view>& views, const gdprkit::BatchOptions& bo,
            gdprkit::StringColumn* column, gdprkit::BatchReport* report) {
          return vault->core->Translate(from_domain, to_domain, views, reason,
                                        static_cast<gdprkit::TranslateTarget>(target), column, bo,
                                        report);
        });
  });
}

}  // namespace

gdprkit_status gdprkit_vault_translate(gdprkit_id_column** out, gdprkit_vault* vault,
                                       const char* from_domain, const char* to_domain,
                                       const char* const* tokens, size_t count, const char* reason,
                                       int target) {
  return Translate("gdprkit_vault_translate", out, nullptr, vault, from_domain, to_domain, tokens,
                   count, reason, target, nullptr);
}

gdprkit_status gdprkit_vault_translate_with_options(
    gdprkit_id_column** out, unsigned char* out_problems, gdprkit_vault* vault,
    const char* from_domain, const char* to_domain, const char* const* tokens, size_t count,
    const char* reason, int target, const gdprkit_batch_options* options) {
  return Translate("gdprkit_vault_translate_with_options", out, out_problems, vault, from_domain,
                   to_domain, tokens, count, reason, target, options);
}

gdprkit_status gdprkit_vault_erase(uint64_t* out_erased, gdprkit_vault* vault, int kind,
                                   const char* identifier, const char* reason) {
  static constexpr char kFn[] = "gdprkit_vault_erase";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_erased == nullptr) return NullArgument(kFn, "out_erased");
    *out_erased = 0;
    if (vault == nullptr) return NullArgument(kFn, "vault");
    if (identifier == nullptr) return NullArgument(kFn, "identifier");
    if (reason == nullptr) return NullArgument(kFn, "reason");
    if (!KnownKind(kind)) return BadKind(kFn, kind);
    absl::StatusOr<gdprkit::ErasureReport> r =
        vault->core->Erase(static_cast<gdprkit::IdKind>(kind), identifier, reason);
    if (!r.ok()) return FromCore(kFn, r.status());
    *out_erased = r->tokens_erased;
    return GDPRKIT_OK;
  });
}

namespace {

gdprkit_status Rotate(const char* fn, unsigned int* out_version, gdprkit_vault* vault,
                      const char* reason, gdprkit_progress_fn progress, void* context) {
  return Guard(fn, [&]() -> gdprkit_status {
    if (out_version == nullptr) return NullArgument(fn, "out_version");
    *out_version = 0;
    if (vault == nullptr) return NullArgument(fn, "vault");
    if (reason == nullptr) return NullArgument(fn, "reason");
    gdprkit::RekeyOptions options;
    options.progress = gdprkit::capi::ProgressFromC(progress, context);
    absl::StatusOr<std::uint32_t> v = vault->core->RotateKeys(reason, options);
    if (!v.ok()) return FromCore(fn, v.status());
    *out_version = *v;
    return GDPRKIT_OK;
  });
}

gdprkit_status Rekey(const char* fn, size_t* out_domains, gdprkit_vault* vault, const char* reason,
                     gdprkit_progress_fn progress, void* context) {
  return Guard(fn, [&]() -> gdprkit_status {
    if (out_domains == nullptr) return NullArgument(fn, "out_domains");
    *out_domains = 0;
    if (vault == nullptr) return NullArgument(fn, "vault");
    if (reason == nullptr) return NullArgument(fn, "reason");
    gdprkit::RekeyOptions options;
    options.progress = gdprkit::capi::ProgressFromC(progress, context);
    absl::StatusOr<std::size_t> n = vault->core->Rekey(reason, options);
    if (!n.ok()) return FromCore(fn, n.status());
    *out_domains = *n;
    return GDPRKIT_OK;
  });
}

}  // namespace

gdprkit_status gdprkit_vault_rotate(unsigned int* out_version, gdprkit_vault* vault,
                                    const char* reason) {
  return Rotate("gdprkit_vault_rotate", out_version, vault, reason, nullptr, nullptr);
}

gdprkit_status gdprkit_vault_rotate_with_progress(unsigned int* out_version, gdprkit_vault* vault,
                                                  const char* reason, gdprkit_progress_fn progress,
                                                  void* context) {
  return Rotate("gdprkit_vault_rotate_with_progress", out_version, vault, reason, progress,
                context);
}

gdprkit_status gdprkit_vault_rekey(size_t* out_domains, gdprkit_vault* vault, const char* reason) {
  return Rekey("gdprkit_vault_rekey", out_domains, vault, reason, nullptr, nullptr);
}

gdprkit_status gdprkit_vault_rekey_with_progress(size_t* out_domains, gdprkit_vault* vault,
                                                 const char* reason, gdprkit_progress_fn progress,
                                                 void* context) {
  return Rekey("gdprkit_vault_rekey_with_progress", out_domains, vault, reason, progress, context);
}

gdprkit_status gdprkit_vault_checkpoint(int* out_truncated, gdprkit_vault* vault,
                                        unsigned int wait_ms) {
  static constexpr char kFn[] = "gdprkit_vault_checkpoint";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_truncated == nullptr) return NullArgument(kFn, "out_truncated");
    *out_truncated = 0;
    if (vault == nullptr) return NullArgument(kFn, "vault");
    absl::StatusOr<bool> done = vault->core->Checkpoint(absl::Milliseconds(wait_ms));
    if (!done.ok()) return FromCore(kFn, done.status());
    *out_truncated = *done ? 1 : 0;
    return GDPRKIT_OK;
  });
}

gdprkit_status gdprkit_vault_backup(gdprkit_vault* vault, const char* destination_path) {
  static constexpr char kFn[] = "gdprkit_vault_backup";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (vault == nullptr) return NullArgument(kFn, "vault");
    if (destination_path == nullptr) return NullArgument(kFn, "destination_path");
    return FromCore(kFn, vault->core->Backup(destination_path));
  });
}

gdprkit_status gdprkit_vault_verify_audit(uint64_t* out_entries, char* out_head_hex,
                                          const gdprkit_vault* vault) {
  static constexpr char kFn[] = "gdprkit_vault_verify_audit";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out_entries == nullptr) return NullArgument(kFn, "out_entries");
    *out_entries = 0;
    if (out_head_hex != nullptr) out_head_hex[0] = '\0';
    if (vault == nullptr) return NullArgument(kFn, "vault");
    absl::StatusOr<gdprkit::AuditVerification> v = vault->core->VerifyAudit();
    if (!v.ok()) return FromCore(kFn, v.status());
    if (out_head_hex != nullptr) {
      const std::size_t n = v->head_hex.size() < 64 ? v->head_hex.size() : 64;
      std::memcpy(out_head_hex, v->head_hex.data(), n);
      out_head_hex[n] = '\0';
    }
    *out_entries = v->entries;
    return GDPRKIT_OK;
  });
}

// ---- Pseudonyms without the vault -------------------------------------------

gdprkit_status gdprkit_vault_export_pseudonym_key(char** out, size_t* out_len, gdprkit_vault* vault,
                                                  const char* domain, const char* reason) {
  static constexpr char kFn[] = "gdprkit_vault_export_pseudonym_key";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (out_len != nullptr) *out_len = 0;
    if (vault == nullptr) return NullArgument(kFn, "vault");
    if (domain == nullptr) return NullArgument(kFn, "domain");
    if (reason == nullptr) return NullArgument(kFn, "reason");
    if (sodium_init() < 0) {
      return Fail(GDPRKIT_INTERNAL, absl::StrCat(kFn, ": libsodium failed to initialise"));
    }
    absl::StatusOr<std::string> text =
        vault->core->ExportPseudonymKey(domain, reason, gdprkit::InsecureSecretAccess::Get());
    if (!text.ok()) return FromCore(kFn, text.status());
    // From here on the text is wiped on every path.
    struct Wipe {
      std::string* s;
      ~Wipe() {
        if (!s->empty()) sodium_memzero(&(*s)[0], s->size());
      }
    } wipe{&*text};
    const std::size_t n = text->size();
    // Guarded memory: guard pages, locked, wiped by sodium_free
    // (gdprkit_secret_free).
    auto* buffer = static_cast<char*>(sodium_malloc(n + 1));
    if (buffer == nullptr) {
      return Fail(GDPRKIT_RESOURCE_EXHAUSTED,
                  absl::StrCat(kFn,
                               ": no guarded memory for the exported key (the export was "
                               "audited)"));
    }
    std::memcpy(buffer, text->data(), n);
    buffer[n] = '\0';
    *out = buffer;
    if (out_len != nullptr) *out_len = n;
    return GDPRKIT_OK;
  });
}

void gdprkit_secret_free(char* secret) {
  if (secret != nullptr) sodium_free(secret);
}

gdprkit_status gdprkit_pseudonymizer_from_exported_key(gdprkit_pseudonymizer** out,
                                                       const char* text, size_t len) {
  static constexpr char kFn[] = "gdprkit_pseudonymizer_from_exported_key";
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (gdprkit_status s = CheckArray(kFn, "text", text, len, "len"); s != GDPRKIT_OK) return s;
    std::string_view view = len == 0 ? std::string_view() : std::string_view(text, len);
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!view.empty() && space(view.front())) view.remove_prefix(1);
    while (!view.empty() && space(view.back())) view.remove_suffix(1);
    if (view.empty()) {
      return Fail(GDPRKIT_INVALID_ARGUMENT,
                  absl::StrCat(kFn,
                               ": the text is empty (expected what "
                               "gdprkit_vault_export_pseudonym_key gave)"));
    }
    // The core's message never repeats the text.
    absl::StatusOr<std::unique_ptr<gdprkit::Pseudonymizer>> p =
        gdprkit::Pseudonymizer::FromExportedKey(view, gdprkit::InsecureSecretAccess::Get());
    if (!p.ok()) return FromCore(kFn, p.status());
    auto handle = std::make_unique<gdprkit_pseudonymizer>();
    handle->core = std::move(*p);
    *out = handle.release();
    return GDPRKIT_OK;
  });
}

void gdprkit_pseudonymizer_free(gdprkit_pseudonymizer* pseudonymizer) { delete pseudonymizer; }

const char* gdprkit_pseudonymizer_domain(const gdprkit_pseudonymizer* pseudonymizer) {
  return pseudonymizer == nullptr ? "" : pseudonymizer->core->domain().c_str();
}

unsigned int gdprkit_pseudonymizer_key_version(const gdprkit_pseudonymizer* pseudonymizer) {
  return pseudonymizer == nullptr ? 0u : pseudonymizer->core->key_version();
}

int gdprkit_pseudonymizer_scheme(const gdprkit_pseudonymizer* pseudonymizer) {
  return pseudonymizer == nullptr ? 0 : static_cast<int>(pseudonymizer->core->scheme());
}

gdprkit_status gdprkit_pseudonymizer_pseudonymize(gdprkit_id_column** out,
                                                  unsigned char* out_problems,
                                                  const gdprkit_pseudonymizer* pseudonymizer,
                                                  int kind, const char* const* values, size_t count,
                                                  const gdprkit_batch_options* options) {
  static constexpr char kFn[] = "gdprkit_pseudonymizer_pseudonymize";
  // The same checks, in the same order, as gdprkit_vault_pseudonymize.
  return Guard(kFn, [&]() -> gdprkit_status {
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (gdprkit_status s = CheckOptionalArray(kFn, "out_problems", out_problems, count, "count");
        s != GDPRKIT_OK) {
      return s;
    }
    if (gdprkit_status s = CheckArray(kFn, "values", values, count, "count"); s != GDPRKIT_OK) {
      return s;
    }
    if (pseudonymizer == nullptr) return NullArgument(kFn, "pseudonymizer");
    if (!KnownKind(kind)) return BadKind(kFn, kind);
    gdprkit::BatchOptions bo;
    if (gdprkit_status s = BatchOptions(kFn, options, &bo); s != GDPRKIT_OK) return s;
    std::vector<std::string_view> views;
    if (gdprkit_status s = Views(kFn, "values", values, count, &views); s != GDPRKIT_OK) return s;
    gdprkit::StringColumn column;
    gdprkit::BatchReport report;
    absl::Status s = pseudonymizer->core->Pseudonymize(static_cast<gdprkit::IdKind>(kind), views,
                                                       &column, bo, &report);
    if (!s.ok()) return FromCore(kFn, s);
    std::unique_ptr<gdprkit_id_column> c = ToC(&column);
    CopyProblems(report.problems, out_problems, count);
    *out = c.release();
    return GDPRKIT_OK;
  });
}

// The function forms of the _INIT macros (for FFI).
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_id_options, GDPRKIT_ID_OPTIONS_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_vault_options, GDPRKIT_VAULT_OPTIONS_INIT)
GDPRKIT_DEFINE_INIT_FUNCTION(gdprkit_batch_options, GDPRKIT_BATCH_OPTIONS_INIT)
