// gdprkit/policy.h: the controller's record of processing activities.
//
// A Policy is loaded from a policy file (protobuf text format or JSON against
// proto/gdprkit/v1/policy.proto) and answers the questions that follow from
// the legal bases its purposes carry:
//   - Validate(): what a data-protection officer would flag;
//   - Rights(purpose): which data-subject rights apply, and why not where not;
//   - MayAccess(principal, purpose): team isolation;
//   - releases(): what may leave the organisation (gdprkit/release_rules.h).
//
// A loaded Policy is immutable and safe to share between threads.
#ifndef GDPRKIT_POLICY_H_
#define GDPRKIT_POLICY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gdprkit/basis.h"
#include "gdprkit/common.h"
#include "gdprkit/release_rules.h"

namespace gdprkit {

enum class PolicyFormat : std::uint8_t {
  kAuto = 0,       // By file extension, else by content ('{' first: JSON).
  kTextProto = 1,  // protobuf text format
  kJson = 2,       // proto3 JSON mapping
};

enum class RecipientKind : std::uint8_t {
  kUnspecified = 0,
  kController = 1,
  kProcessor = 2,
  kPublicAuthority = 3,
  kPublic = 4,  // Published: a website, social media, an open statistics database.
};

// The exceptions to the right to erasure, Art. 17(3)(a)-(e).
enum class ErasureException : std::uint8_t {
  kUnspecified = 0,
  kFreedomOfExpression = 1,          // (a)
  kLegalObligationOrPublicTask = 2,  // (b)
  kPublicHealth = 3,                 // (c)
  kArchivingResearchStatistics = 4,  // (d)
  kLegalClaims = 5,                  // (e)
};

// The organisation's role for a purpose's data.
enum class ControllerRole : std::uint8_t {
  kController = 0,     // It is the controller (the default).
  kProcessor = 1,      // It processes on behalf of Purpose::controller_of_data.
  kNotController = 2,  // It only shows or passes on another controller's data.
};

// ---- Names (the one place each is written; every door prints and parses
// these). For each enum: Parse... (InvalidArgument naming the valid choices
// and the nearest), ...Name (total: a value outside the enum prints as
// "unknown") and ...Names (the valid names, in the order of the values).
// RetentionAction's names are in gdprkit/retention.h.

// "auto", "textproto", "json" ("text", "txtpb" and "pbtxt" are accepted for
// "textproto").
absl::StatusOr<PolicyFormat> ParsePolicyFormat(std::string_view name);
std::string_view PolicyFormatName(PolicyFormat format);
std::vector<std::string_view> PolicyFormatNames();

// "unspecified", "controller", "processor", "public_authority", "public".
absl::StatusOr<RecipientKind> ParseRecipientKind(std::string_view name);
std::string_view RecipientKindName(RecipientKind kind);
std::vector<std::string_view> RecipientKindNames();

// "unspecified", "freedom_of_expression", "legal_obligation_or_public_task",
// "public_health", "archiving_research_statistics", "legal_claims".
absl::StatusOr<ErasureException> ParseErasureException(std::string_view name);
std::string_view ErasureExceptionName(ErasureException e);
std::vector<std::string_view> ErasureExceptionNames();

// "controller", "processor", "not_controller".
absl::StatusOr<ControllerRole> ParseControllerRole(std::string_view name);
std::string_view ControllerRoleName(ControllerRole role);
std::vector<std::string_view> ControllerRoleNames();

struct Recipient {
  std::string name;
  RecipientKind kind = RecipientKind::kUnspecified;
  std::string country;  // ISO 3166-1 alpha-2; empty means DK
  std::string transfer_basis;
  std::string purpose;
};

struct AccessGrant {
  std::string team;
  std::vector<std::string> roles;  // empty: every role of the team
};

struct Source {
  std::string name;
  bool from_data_subject = false;
};

struct BalancingTest {
  std::string interest;
  std::string assessment;
  std::vector<std::string> safeguards;
};

struct ConsentMechanism {
  std::string record;
  std::string withdrawal;
};

// One processing purpose of the record (Art. 30(1)(b)-(g)).
struct Purpose {
  std::string id;
  std::string title;
  std::string description;
  std::vector<std::string> categories;
  std::vector<std::string> data_subjects;
  std::vector<std::string> basis;  // legal-basis codes, as written
  std::vector<Recipient> recipients;
  std::vector<AccessGrant> access;
  std::string retention;  // retention rule id; empty when none
  std::optional<BalancingTest> legitimate_interest;
  std::optional<ConsentMechanism> consent;
  std::vector<Source> sources;
  bool automated_decision_making = false;
  bool automated_processing = true;
  std::string source_text;
  // Art. 17(3) exceptions stated for this purpose, whatever its bases.
  std::vector<ErasureException> erasure_exceptions;
  ControllerRole role = ControllerRole::kController;
  std::string controller_of_data;  // who is, when role is not kController
  bool direct_marketing = false;   // Art. 21(2)-(3)
  int line = 0;                    // line of the purpose in its file; 0 when unknown
};

struct DataCategory {
  std::string key;
  std::string title;
  std::string description;
  std::uint8_t flags = kCategoryNone;  // CategoryFlag bits, inherited included
  bool builtin = false;
};

// A sector-law or other reference declared by the policy.
struct LegalReference {
  std::string code;
  std::string title;
  std::string text;
  std::string url;
  std::uint32_t effects = kEffectNone;  // BasisEffect bits
};

struct Team {
  std::string id;
  std::string title;
  std::vector<std::string> roles;
};

// What a retention rule demands at the end of its period (policy.proto's
// RetentionAction; docs/retention.md).
enum class RetentionAction : std::uint8_t {
  kDeleteAfter = 0,       // delete when the period has run out (also when unset)
  kRetainAtLeast = 1,     // keep at least until then; nothing demanded after
  kRetainThenDelete = 2,  // keep at least until then, then delete
  kUnknown = 255,         // a number the schema does not know; flagged by Validate()
};

// An event that ends or lengthens a retention period, as written.
struct RetentionEventRef {
  std::string event;
  std::string period;  // ISO 8601; empty: P0D (ends_early) or missing (extended_by)
};

// A retention rule as written in the policy. The structured fields are kept
// as text; Validate() reports ill-formed ones and gdprkit/retention.h compiles
// them (RetentionSchedule).
struct RetentionRuleRef {
  std::string id;
  std::string title;
  std::string description;
  std::string period;  // ISO 8601 ("P15M"); empty: no period
  std::string anchor;  // "collection" (also when empty) or an event name
  RetentionAction action = RetentionAction::kDeleteAfter;
  std::vector<RetentionEventRef> ends_early;
  std::vector<RetentionEventRef> extended_by;
};

struct Controller {
  std::string name;
  std::string cvr;
  std::string address;
  std::string contact;
  std::string dpo_contact;
  std::string source;
};

enum class Severity : std::uint8_t {
  kInfo = 0,
  kWarning = 1,
  kError = 2,
};

// "info", "warning", "error".
absl::StatusOr<Severity> ParseSeverity(std::string_view name);
std::string_view SeverityName(Severity s);
std::vector<std::string_view> SeverityNames();

// ---- Titles for people, in English and Danish (Language, gdprkit/common.h).
// Total: a value or code outside the table gives "".

// "error" / "fejl", "warning" / "advarsel", "info" / "bemærkning" (English
// titles are the names).
std::string_view SeverityTitle(Severity s, Language language);

// "Art. 17(3)(b): compliance with a legal obligation, or ..." /
// "Art. 17, stk. 3, litra b: overholdelse af en retlig forpligtelse ...";
// "" for kUnspecified.
std::string_view ErasureExceptionTitle(ErasureException e, Language language);

// One kind of finding: its stable code, the severity it is always reported
// with, and a short title ("No Art. 6(1) basis" / "Intet behandlingsgrundlag
// efter art. 6, stk. 1"). A finding's message stays English; its title is
// what a door shows in another language.
struct FindingCodeInfo {
  std::string_view code;
  Severity severity;
  std::string_view title;     // English
  std::string_view title_da;  // Danish

  constexpr std::string_view TitleIn(Language language) const {
    return language == Language::kDanish ? title_da : title;
  }
};

// Every finding code Validate() reports (docs/policy.md, section 1), in the
// order of that table.
absl::Span<const FindingCodeInfo> FindingCodes();

// The finding code `code`. Errors: NotFound `unknown finding code "x"; did
// you mean ...?`.
absl::StatusOr<const FindingCodeInfo*> GetFindingCode(std::string_view code);

// The title of finding code `code` in `language`; "" for an unknown code.
std::string_view FindingTitle(std::string_view code, Language language);

// One thing validation flags. `code` is a stable kebab-case identifier of the
// kind of finding (see docs/policy.md for the list); `message` is for people.
struct Finding {
  Severity severity = Severity::kError;
  std::string code;
  std::string purpose_id;  // empty when the finding concerns the whole policy
  std::string field;       // path of the field concerned ("purposes[2].basis[1]")
  std::string message;
  std::string file;  // the policy's source name
  int line = 0;      // 1-based; 0 when unknown
};

// Whether one right applies to a purpose, and where it does not, why.
struct RightAssessment {
  Right right;
  bool applies = false;
  std::string reason;  // legal reasoning, with the article
};

// Who asks: a team and a role within it.
struct Principal {
  std::string team;
  std::string role;
};

class Policy {
 public:
  // Parses a policy. `source_name` names the input in errors and findings.
  // Errors: InvalidArgument naming source, line, column and field for syntax
  // errors and unknown fields; nothing is returned half-parsed.
  static absl::StatusOr<std::shared_ptr<const Policy>> FromText(
      std::string_view text, PolicyFormat format = PolicyFormat::kAuto,
      std::string_view source_name = "<memory>");

  // Reads and parses a policy file; the format follows the extension
  // (.json; .textproto/.txtpb/.pbtxt/.txt) unless given. Errors: NotFound or
  // PermissionDenied for the file, InvalidArgument for its content,
  // ResourceExhausted beyond kMaxPolicyBytes.
  static absl::StatusOr<std::shared_ptr<const Policy>> Load(
      const std::string& path, PolicyFormat format = PolicyFormat::kAuto);

  static constexpr std::size_t kMaxPolicyBytes = 16u << 20;  // 16 MiB

  const std::string& source_name() const { return source_name_; }
  const Controller& controller() const { return controller_; }
  absl::Span<const Purpose> purposes() const { return purposes_; }
  absl::Span<const Team> teams() const { return teams_; }
  absl::Span<const DataCategory> categories() const { return categories_; }
  absl::Span<const LegalReference> references() const { return references_; }
  absl::Span<const RetentionRuleRef> retention_rules() const { return retention_rules_; }
  // "blake2b-256:" + 64 hex digits: BLAKE2b-256 of the gdprkit.v1.Policy
  // message as read, serialised deterministically. The same rules in text
  // format or JSON, with other comments or layout, have the same digest;
  // any change of a field changes it. A release log names the rules of a
  // release by it (gdprkit/release.h, PolicyDigest).
  const std::string& digest() const { return digest_; }
  // What may leave the organisation (gdprkit/release_rules.h), in file order.
  absl::Span<const Release> releases() const { return releases_; }

  // The purpose with this id (the first, should ids repeat), or nullptr.
  const Purpose* FindPurpose(std::string_view id) const;

  // The release with this id (the first, should ids repeat), or nullptr.
  const Release* FindRelease(std::string_view id) const;

  // The category with this key (built-in or declared), or nullptr.
  const DataCategory* FindCategory(std::string_view key) const;

  // Title of a legal-basis code: built-in (in `language`) or declared
  // reference (as written, whatever the language); empty when unknown.
  std::string BasisTitle(std::string_view code, Language language = Language::kEnglish) const;

  // Lookups that answer with a status, for the doors: the same as the Find...
  // and BasisTitle above, but an unknown name is NotFound naming the policy
  // and the nearest valid names (`no purpose "patient-recrd" in policy
  // clinic.textproto; did you mean "patient-record", ...?`).
  absl::StatusOr<const Purpose*> GetPurpose(std::string_view id) const;
  absl::StatusOr<const DataCategory*> GetCategory(std::string_view key) const;
  // The first rule with this id.
  absl::StatusOr<const RetentionRuleRef*> GetRetentionRule(std::string_view id) const;
  // The first release with this id (`no release "x" in policy ...; did you
  // mean ...?`).
  absl::StatusOr<const Release*> GetRelease(std::string_view id) const;
  // Built-in (in `language`) or declared in references (as written).
  absl::StatusOr<std::string> GetBasisTitle(std::string_view code,
                                            Language language = Language::kEnglish) const;

  // BasisEffect bits of a code (built-in or declared); kEffectNone if unknown.
  std::uint32_t BasisEffects(std::string_view code) const;

  // Everything a data-protection officer would flag, most severe first, then
  // in file order. Never fails: an invalid policy is described, not refused.
  std::vector<Finding> Validate() const;

  // True when Validate() finds no error (warnings and infos allowed).
  bool IsValid() const;

  // The rights matrix of one purpose: one assessment per right, in the order
  // of kRights. Errors: NotFound (with the nearest ids) for an unknown purpose.
  absl::StatusOr<std::vector<RightAssessment>> Rights(std::string_view purpose_id) const;

  // Whether the principal may see data of the purpose: its team holds a grant
  // on the purpose and, where the grant names roles, the role is one of them.
  // Errors: NotFound for an unknown purpose; InvalidArgument for an empty team.
  absl::StatusOr<bool> MayAccess(const Principal& principal, std::string_view purpose_id) const;

  // Purposes that process data of `category_key`: those listing it, a parent
  // of it (a purpose listing "health" uses "health.diagnosis") or a child of
  // it (a purpose listing "health.diagnosis" uses "health" data), in policy
  // order.
  std::vector<const Purpose*> PurposesUsing(std::string_view category_key) const;

  // Purposes the principal may see.
  std::vector<const Purpose*> VisiblePurposes(const Principal& principal) const;

 private:
  Policy() = default;
  friend class PolicyBuilder;

  std::string source_name_;
  Controller controller_;
  std::vector<Purpose> purposes_;
  std::vector<Team> teams_;
  std::vector<DataCategory> categories_;  // built-in first, then declared
  std::vector<LegalReference> references_;
  std::vector<RetentionRuleRef> retention_rules_;
  std::vector<Release> releases_;
  std::string schema_;
  std::string digest_;
  // Line numbers of fields by path ("purposes[2].basis[1]"), where known.
  std::map<std::string, int, std::less<>> field_lines_;
  int LineOf(std::string_view field_path) const;
};

}  // namespace gdprkit

#endif  // GDPRKIT_POLICY_H_
