// Pseudonyms: the kernel, the standalone Pseudonymizer, exported keys, and the
// vault's pseudonym calls (Vault::Pseudonymize, NewPseudonymizer,
// ExportPseudonymKey).
#include "vault/internal/pseudonym.h"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <exception>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/progress.h"
#include "common/status_macros.h"
#include "common/sv.h"
#include "gdprkit/vault.h"
#include "vault/internal/keys.h"
#include "vault/internal/vault_impl.h"

namespace gdprkit {
namespace internal {
namespace {

constexpr absl::string_view kExportPrefixV1 = "gdprkit-pseudonym-key-v1";
constexpr absl::string_view kExportPrefix = "gdprkit-pseudonym-key-v2";

// The normal form of a numeric kind as a number: true for 1-19 ASCII digits
// (normal forms of numeric kinds have at most 18).
bool DigitsValue(absl::string_view digits, std::uint64_t* value) {
  if (digits.empty() || digits.size() > 19) return false;
  std::uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  *value = v;
  return true;
}

}  // namespace

std::string PseudonymPrefix(std::uint32_t version) { return absl::StrCat("ps", version, "_"); }

std::size_t PseudonymSize(std::uint32_t version) {
  return PseudonymPrefix(version).size() + Base32Size(kPseudonymBytes);
}

void PseudonymOf(const std::uint8_t* material, PseudonymScheme scheme,
                 absl::string_view text_prefix, IdKind kind, absl::string_view normalized,
                 char* out) {
  std::uint8_t h[kPseudonymBytes];
  std::uint64_t value = 0;
  if (scheme == PseudonymScheme::kChaCha20 && kind != IdKind::kOther &&
      DigitsValue(normalized, &value)) {
    // One ChaCha20 block: the nonce holds the kind, the digit count (leading
    // zeros count: "0123" and "123" differ) and the number, so it is unique per
    // normal form and kind.
    std::uint8_t nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {};
    nonce[0] = static_cast<std::uint8_t>(kind);
    nonce[1] = static_cast<std::uint8_t>(normalized.size());
    for (int i = 0; i < 8; ++i) nonce[2 + i] = static_cast<std::uint8_t>(value >> (8 * i));
    crypto_stream_chacha20_ietf(h, sizeof(h), nonce, material + kPseudonymChaChaKeyOffset);
    sodium_memzero(nonce, sizeof(nonce));
    value = 0;
  } else {
    // The kind is hashed with the value, so that equal digits of different
    // kinds (a provider number and an "other" identifier) never collide.
    std::uint8_t msg[1 + kMaxNormalizedId];
    msg[0] = static_cast<std::uint8_t>(kind);
    std::memcpy(msg + 1, normalized.data(), normalized.size());
    KeyedHashFrom(material + kPseudonymStateOffset, msg, 1 + normalized.size(), sizeof(h), h);
    sodium_memzero(msg, 1 + normalized.size());
  }
  std::memcpy(out, text_prefix.data(), text_prefix.size());
  Base32Encode(h, sizeof(h), out + text_prefix.size());
  sodium_memzero(h, sizeof(h));
}

namespace {

// Rows per thread below which another thread does not pay for itself.
constexpr std::size_t kRowsPerThread = 1 << 15;
// Rows between two looks at the progress counters.
constexpr std::size_t kRowsPerStep = 4096;

// What the slices of one batch share for progress: rows done (by every
// thread), slices still running on other threads, and the flag that stops
// them all (a cancelled progress).
struct Shared {
  std::atomic<std::size_t> done{0};
  std::atomic<int> running{0};
  std::atomic<bool> stop{false};
};

// One slice [begin, end) of a batch: normal forms, pseudonyms into `out`,
// problems into problems[begin..end) (when not null). Under kRaise it stops
// at its first rejected row and reports it in first_bad.
struct Slice {
  std::size_t begin = 0, end = 0;
  StringColumn own;
  // Column mode: the first slice writes straight into the caller's column (no
  // copy, and its capacity is reused from batch to batch), the others into
  // `own`. Slot mode (PseudonymSink::slots): null.
  StringColumn* out = &own;
  std::size_t rejected = 0;
  long long first_bad = -1;
  IdProblem bad = IdProblem::kNone;
};

// `report` (the calling thread's slices only; may be empty) reports the
// shared count and says false to stop.
void RunSlice(const std::uint8_t* material, PseudonymScheme scheme, const std::string& text_prefix,
              std::size_t size, IdKind kind, absl::Span<const std::string_view> identifiers,
              char* const* slots, const BatchOptions& options, IdProblem* problems, Slice* slice,
              Shared* shared, const std::function<bool()>& report) {
  if (slice->out != nullptr) {
    slice->out->reserve(slice->end - slice->begin, (slice->end - slice->begin) * size);
  }
  IdBuffer buf;
  for (std::size_t from = slice->begin; from < slice->end && !shared->stop.load();) {
    const std::size_t to = std::min(slice->end, from + kRowsPerStep);
    for (std::size_t i = from; i < to; ++i) {
      std::string_view norm;
      IdProblem p = NormalizeIdInto(kind, identifiers[i], &buf, &norm, options.id_options);
      if (p != IdProblem::kNone) {
        if (options.errors == ErrorMode::kRaise) {
          slice->first_bad = static_cast<long long>(i);
          slice->bad = p;
          break;
        }
        if (problems != nullptr) problems[i] = p;
        ++slice->rejected;
        if (slice->out != nullptr) slice->out->push_back({});
        continue;
      }
      PseudonymOf(material, scheme, text_prefix, kind, AV(norm),
                  slots != nullptr ? slots[i] : slice->out->Append(size));
    }
    if (slice->first_bad >= 0) break;  // (later slices go on: a row before may be bad too)
    shared->done.fetch_add(to - from);
    from = to;
    if (report && !report()) shared->stop.store(true);
  }
  sodium_memzero(buf.data, sizeof(buf.data));
}

int ThreadsFor(std::size_t n, int wanted) {
  if (wanted > 0)
    return static_cast<int>(std::min<std::size_t>(wanted, std::max<std::size_t>(n, 1)));
  if (n < 2 * kRowsPerThread) return 1;
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<int>(std::min<std::size_t>(hw, n / kRowsPerThread));
}

}  // namespace

absl::Status PseudonymizeBatch(const std::uint8_t* material, std::uint32_t version,
                               PseudonymScheme scheme, IdKind kind,
                               absl::Span<const std::string_view> identifiers,
                               const PseudonymSink& sink, const BatchOptions& options,
                               BatchReport* report) {
  StringColumn* out = sink.column;
  char* const* slots = sink.slots;
  // Slot mode whenever there is no column (an empty batch's slots may be null).
  const bool slot_mode = out == nullptr;
  if (out != nullptr) out->clear();
  if (report != nullptr) *report = BatchReport();
  if (!IsKnownIdKind(kind)) return absl::InvalidArgumentError("unknown identifier kind");
  if (options.threads < 0) return absl::InvalidArgumentError("threads is negative");
  const std::string text_prefix = PseudonymPrefix(version);
  const std::size_t size = text_prefix.size() + Base32Size(kPseudonymBytes);
  const std::size_t n = identifiers.size();
  if (report != nullptr) report->problems.assign(n, IdProblem::kNone);
  IdProblem* problems = report != nullptr ? report->problems.data() : nullptr;

  // Progress is reported by the calling thread only, from the rows every
  // thread has done.
  ProgressStage stage(options.progress, "pseudonymise", static_cast<std::int64_t>(n));
  GDPRKIT_RETURN_IF_ERROR(stage.Start());
  Shared shared;
  absl::Status cancelled;
  std::function<bool()> progress;
  if (stage.active()) {
    progress = [&] {
      if (cancelled.ok()) cancelled = stage.Set(static_cast<std::int64_t>(shared.done.load()));
      return cancelled.ok();
    };
  }

  // Split the rows into contiguous slices, one per thread; the calling thread
  // takes the first. The key state is only read, so the threads share it.
  const int threads = ThreadsFor(n, options.threads);
  std::vector<Slice> slices(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    slices[t].begin = n * static_cast<std::size_t>(t) / static_cast<std::size_t>(threads);
    slices[t].end = n * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(threads);
  }
  for (Slice& sl : slices) {
    if (slot_mode) sl.out = nullptr;
  }
  if (!slot_mode) {
    slices[0].out = out;
    out->reserve(n, n * size);
  }
  const std::function<bool()> none;
  std::vector<std::thread> pool;
  std::vector<int> inline_slices;
  for (int t = 1; t < threads; ++t) {
    try {
      shared.running.fetch_add(1);
      pool.emplace_back([&, t] {
        RunSlice(material, scheme, text_prefix, size, kind, identifiers, slots, options, problems,
                 &slices[t], &shared, none);
        shared.running.fetch_sub(1);
      });
    } catch (const std::exception&) {
      shared.running.fetch_sub(1);
      inline_slices.push_back(t);  // no thread to be had: do it here
    }
  }
  RunSlice(material, scheme, text_prefix, size, kind, identifiers, slots, options, problems,
           &slices[0], &shared, progress);
  for (int t : inline_slices) {
    RunSlice(material, scheme, text_prefix, size, kind, identifiers, slots, options, problems,
             &slices[t], &shared, progress);
  }
  // While the other threads work, the calling thread reports their progress.
  while (progress && shared.running.load() > 0 && !shared.stop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!progress()) shared.stop.store(true);
  }
  for (std::thread& th : pool) th.join();

  auto clear = [&] {
    if (out != nullptr) out->clear();
    if (report != nullptr) *report = BatchReport();
  };
  for (const Slice& sl : slices) {  // slices are in row order: the first is the first bad row
    if (sl.first_bad >= 0) {
      clear();
      return IdProblemStatus(kind, sl.bad, sl.first_bad);
    }
  }
  if (cancelled.ok()) cancelled = stage.Finish();
  if (!cancelled.ok()) {
    clear();
    return cancelled;
  }
  for (std::size_t t = 0; t < slices.size(); ++t) {
    if (t > 0 && out != nullptr) out->AppendColumn(slices[t].own);
    if (report != nullptr) report->rejected += slices[t].rejected;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Pseudonymizer>> PseudonymizerAccess::Make(std::string domain,
                                                                         std::uint32_t version,
                                                                         PseudonymScheme scheme,
                                                                         absl::string_view key32) {
  GDPRKIT_ASSIGN_OR_RETURN(std::unique_ptr<SecretBytes> material,
                           PseudonymKeyMaterial(key32, scheme));
  auto key = std::make_unique<Pseudonymizer::Key>();
  key->material = std::move(material);
  return std::unique_ptr<Pseudonymizer>(
      new Pseudonymizer(std::move(domain), version, scheme, std::move(key)));
}

std::string FormatExportedKey(absl::string_view domain, std::uint32_t version,
                              PseudonymScheme scheme, absl::string_view key32) {
  std::string encoded(Base32Size(key32.size()), '\0');
  Base32Encode(reinterpret_cast<const std::uint8_t*>(key32.data()), key32.size(), &encoded[0]);
  std::string out = absl::StrCat(kExportPrefix, ":", domain, ":", version, ":",
                                 AV(PseudonymSchemeName(scheme)), ":", encoded);
  sodium_memzero(&encoded[0], encoded.size());
  return out;
}

bool IsValidDomainName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (i == 0 && !alnum) return false;
    if (!alnum && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace internal

Pseudonymizer::Pseudonymizer(std::string domain, std::uint32_t key_version, PseudonymScheme scheme,
                             std::unique_ptr<Key> key)
    : domain_(std::move(domain)),
      key_version_(key_version),
      scheme_(scheme),
      key_(std::move(key)) {}

Pseudonymizer::~Pseudonymizer() = default;

std::size_t Pseudonymizer::pseudonym_size() const { return internal::PseudonymSize(key_version_); }

absl::StatusOr<std::unique_ptr<Pseudonymizer>> Pseudonymizer::FromExportedKey(
    std::string_view text, InsecureSecretAccess) {
  using internal::AV;
  using internal::SV;
  const absl::Status malformed = absl::InvalidArgumentError(
      "not an exported pseudonym key (expected "
      "gdprkit-pseudonym-key-v2:<domain>:<version>:<scheme>:<key>)");
  std::vector<absl::string_view> parts = absl::StrSplit(AV(text), ':');
  // v1 (gdprkit 0.1) had no scheme: its domains were all BLAKE2b.
  PseudonymScheme scheme = PseudonymScheme::kBlake2b;
  if (parts.size() == 4 && parts[0] == internal::kExportPrefixV1) {
    parts.insert(parts.begin() + 3, "blake2b");
  } else if (parts.size() != 5 || parts[0] != internal::kExportPrefix) {
    return malformed;
  }
  if (!internal::IsValidDomainName(parts[1]) || !ParsePseudonymScheme(SV(parts[3]), &scheme)) {
    return malformed;
  }
  std::uint32_t version = 0;
  if (!absl::SimpleAtoi(parts[2], &version) || version == 0) return malformed;
  std::uint8_t key[internal::kKeyBytes];
  if (!internal::Base32Decode(parts[4], key, sizeof(key))) {
    sodium_memzero(key, sizeof(key));
    return malformed;
  }
  absl::StatusOr<std::unique_ptr<Pseudonymizer>> p = internal::PseudonymizerAccess::Make(
      std::string(parts[1]), version, scheme,
      absl::string_view(reinterpret_cast<const char*>(key), sizeof(key)));
  sodium_memzero(key, sizeof(key));
  return p;
}

absl::Status Pseudonymizer::Pseudonymize(IdKind kind,
                                         absl::Span<const std::string_view> identifiers,
                                         StringColumn* out, const BatchOptions& options,
                                         BatchReport* report) const {
  if (out == nullptr) return absl::InvalidArgumentError("no output column");
  if (options.key_version != 0 && options.key_version != key_version_) {
    return absl::FailedPreconditionError(absl::StrCat("this pseudonymizer holds key version ",
                                                      key_version_, ", not ", options.key_version));
  }
  internal::SecretBytes::Reader r(*key_->material);
  return internal::PseudonymizeBatch(r.data(), key_version_, scheme_, kind, identifiers,
                                     internal::PseudonymSink{out, nullptr}, options, report);
}

absl::Status Pseudonymizer::PseudonymizeInto(IdKind kind,
                                             absl::Span<const std::string_view> identifiers,
                                             absl::Span<char* const> out,
                                             const BatchOptions& options,
                                             BatchReport* report) const {
  if (out.size() != identifiers.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("out has ", out.size(), " buffers for ", identifiers.size(), " identifiers"));
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == nullptr) return absl::InvalidArgumentError(absl::StrCat("out[", i, "] is null"));
  }
  if (options.key_version != 0 && options.key_version != key_version_) {
    return absl::FailedPreconditionError(absl::StrCat("this pseudonymizer holds key version ",
                                                      key_version_, ", not ", options.key_version));
  }
  internal::SecretBytes::Reader r(*key_->material);
  return internal::PseudonymizeBatch(r.data(), key_version_, scheme_, kind, identifiers,
                                     internal::PseudonymSink{nullptr, out.data()}, options, report);
}

absl::StatusOr<std::string> Pseudonymizer::PseudonymizeOne(IdKind kind, std::string_view identifier,
                                                           const IdOptions& options) const {
  StringColumn out;
  BatchOptions batch;
  batch.id_options = options;
  std::string_view one[1] = {identifier};
  if (absl::Status s = Pseudonymize(kind, one, &out, batch); !s.ok()) {
    // A single value has no row number worth giving.
    std::string msg(s.message());
    if (msg.rfind("row 0: ", 0) == 0) msg = msg.substr(7);
    return absl::Status(s.code(), msg);
  }
  return std::string(out[0]);
}

// --- The vault's pseudonyms ------------------------------------------------------

absl::Status Vault::Pseudonymize(std::string_view domain, IdKind kind,
                                 absl::Span<const std::string_view> identifiers, StringColumn* out,
                                 const BatchOptions& options, BatchReport* report) const {
  if (out == nullptr) return absl::InvalidArgumentError("no output column");
  absl::MutexLock lock(&impl_->mu);
  Transaction txn(impl_->db.get());
  GDPRKIT_RETURN_IF_ERROR(txn.BeginRead());
  GDPRKIT_ASSIGN_OR_RETURN(DomainRow d, impl_->LoadDomain(AV(domain)));
  std::uint32_t version = options.key_version != 0 ? options.key_version : d.key_version;
  GDPRKIT_ASSIGN_OR_RETURN(const DomainKeys* keys, impl_->Keys(d, version));
  SecretBytes::Reader r(*keys->secret);
  return internal::PseudonymizeBatch(r.data(), version, d.scheme, kind, identifiers,
                                     internal::PseudonymSink{out, nullptr}, options, report);
}

absl::StatusOr<std::unique_ptr<Pseudonymizer>> Vault::NewPseudonymizer(
    std::string_view domain, std::uint32_t key_version) const {
  absl::MutexLock lock(&impl_->mu);
  Transaction txn(impl_->db.get());
  GDPRKIT_RETURN_IF_ERROR(txn.BeginRead());
  GDPRKIT_ASSIGN_OR_RETURN(DomainRow d, impl_->LoadDomain(AV(domain)));
  std::uint32_t version = key_version != 0 ? key_version : d.key_version;
  GDPRKIT_ASSIGN_OR_RETURN(const DomainKeys* keys, impl_->Keys(d, version));
  SecretBytes::Reader r(*keys->secret);
  return internal::PseudonymizerAccess::Make(
      d.name, version, d.scheme,
      absl::string_view(reinterpret_cast<const char*>(r.data() + internal::kPseudonymKeyOffset),
                        internal::kKeyBytes));
}

absl::StatusOr<std::string> Vault::ExportPseudonymKey(std::string_view domain,
                                                      std::string_view reason,
                                                      InsecureSecretAccess) {
  GDPRKIT_RETURN_IF_ERROR(CheckReason(AV(reason)));
  absl::MutexLock lock(&impl_->mu);
  Transaction txn(impl_->db.get());
  GDPRKIT_RETURN_IF_ERROR(txn.BeginWrite());
  GDPRKIT_ASSIGN_OR_RETURN(DomainRow d, impl_->LoadDomain(AV(domain)));
  GDPRKIT_ASSIGN_OR_RETURN(const DomainKeys* keys, impl_->Keys(d, d.key_version));
  GDPRKIT_RETURN_IF_ERROR(
      impl_->AppendAudit(AuditOp::kExportKey, d.name, "", AV(reason), 0, d.key_version));
  GDPRKIT_RETURN_IF_ERROR(txn.Commit());
  SecretBytes::Reader r(*keys->secret);
  return internal::FormatExportedKey(
      d.name, d.key_version, d.scheme,
      absl::string_view(reinterpret_cast<const char*>(r.data() + internal::kPseudonymKeyOffset),
                        internal::kKeyBytes));
}

}  // namespace gdprkit
