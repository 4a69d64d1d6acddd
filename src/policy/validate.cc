// Policy::Validate: what a data-protection officer would flag, one function
// per family of findings. A new finding goes into the family it belongs to
// (or a new Check... function called from Validate), with its code in
// docs/policy.md.
//
// The order in which the checks run is the order of the findings within a
// severity: first the document (schema, controller, identifiers, retention
// rules, declared categories and references), then each purpose in file
// order, family after family.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/sv.h"
#include "common/text.h"
#include "gdprkit/identifiers.h"
#include "gdprkit/policy.h"
#include "gdprkit/release_rules.h"
#include "gdprkit/retention.h"

namespace gdprkit {
namespace {

using internal::AV;
using internal::DidYouMean;
using internal::Quote;

// EU/EEA member states (ISO 3166-1 alpha-2), for third-country transfers.
constexpr std::string_view kEea[] = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
                                     "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
                                     "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"};

bool InEea(std::string_view country) {
  if (country.empty()) return true;
  std::string upper(country);
  for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  if (upper == "EU" || upper == "EEA" || upper == "EØS") return true;
  return std::find(std::begin(kEea), std::end(kEea), upper) != std::end(kEea);
}

bool ValidCategoryKey(std::string_view key) {
  if (key.empty() || key.front() == '.' || key.back() == '.') return false;
  char prev = 0;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok || (c == '.' && prev == '.')) return false;
    prev = c;
  }
  return true;
}

// Collects findings with their file positions.
class FindingSink {
 public:
  FindingSink(const Policy& policy, std::vector<Finding>* out,
              std::function<int(std::string_view)> line_of)
      : policy_(policy), out_(out), line_of_(std::move(line_of)) {}

  void Add(Severity severity, std::string code, std::string purpose_id, std::string field,
           std::string message) {
    Finding f;
    f.severity = severity;
    f.code = std::move(code);
    f.purpose_id = std::move(purpose_id);
    f.line = line_of_(field);
    f.field = std::move(field);
    f.message = std::move(message);
    f.file = policy_.source_name();
    out_->push_back(std::move(f));
  }

 private:
  const Policy& policy_;
  std::vector<Finding>* out_;
  std::function<int(std::string_view)> line_of_;
};

// The valid names a finding may suggest instead of an unknown one.
struct KnownNames {
  std::vector<std::string_view> basis_codes;  // built in, then declared
  std::vector<std::string_view> category_keys;
  std::vector<std::string_view> team_ids;
  std::vector<std::string_view> rule_ids;

  explicit KnownNames(const Policy& policy) {
    for (const LegalBasisInfo& b : kLegalBases) basis_codes.push_back(b.code);
    for (const LegalReference& r : policy.references()) basis_codes.push_back(r.code);
    for (const DataCategory& c : policy.categories()) category_keys.push_back(c.key);
    for (const Team& t : policy.teams()) team_ids.push_back(t.id);
    for (const RetentionRuleRef& r : policy.retention_rules()) rule_ids.push_back(r.id);
  }
};

// One purpose under check: where it is, how messages name it, and what its
// categories and bases add up to.
struct PurposeScope {
  const Purpose& p;
  std::string at;     // "purposes[2]"
  std::string label;  // `purpose "x"`, or "purpose #3" without an id
  std::uint8_t flags = kCategoryNone;
  std::uint32_t effects = kEffectNone;
  bool has_art9_h = false;

  PurposeScope(const Purpose& purpose, std::size_t index)
      : p(purpose),
        at(absl::StrCat("purposes[", index, "]")),
        label(purpose.id.empty() ? absl::StrCat("purpose #", index + 1)
                                 : absl::StrCat("purpose ", Quote(purpose.id))) {}

  std::string Field(std::string_view name) const { return absl::StrCat(at, ".", AV(name)); }
};

// ---- The document ------------------------------------------------------------

// schema-version, missing-controller, no-purposes.
void CheckDocument(const Policy& policy, std::string_view schema, FindingSink* sink) {
  if (!schema.empty() && schema != "gdprkit.v1") {
    sink->Add(Severity::kError, "schema-version", "", "schema",
              absl::StrCat("schema ", Quote(schema), " is not supported; this library reads ",
                           "\"gdprkit.v1\""));
  }
  if (policy.controller().name.empty()) {
    sink->Add(Severity::kWarning, "missing-controller", "", "controller",
              "the record names no controller (Art. 30(1)(a))");
  }
  if (policy.purposes().empty()) {
    sink->Add(Severity::kError, "no-purposes", "", "purposes",
              "the policy records no processing purpose");
  }
}

template <typename T, typename IdOf>
void CheckIds(absl::Span<const T> items, std::string_view what, std::string_view field, IdOf id_of,
              FindingSink* sink) {
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string& id = id_of(items[i]);
    const std::string path = absl::StrCat(AV(field), "[", i, "]");
    if (id.empty()) {
      sink->Add(Severity::kError, "missing-id", "", path,
                absl::StrCat(AV(what), " #", i + 1, " has no id"));
      continue;
    }
    auto [it, inserted] = seen.emplace(id, i);
    if (!inserted) {
      sink->Add(Severity::kError, "duplicate-id", what == "purpose" ? id : "", path,
                absl::StrCat("duplicate ", AV(what), " id ", Quote(id), " (first used by ",
                             AV(what), " #", it->second + 1, ")"));
    }
  }
}

// missing-id, duplicate-id: purposes, teams, retention rules, references.
void CheckIdentifiers(const Policy& policy, FindingSink* sink) {
  CheckIds(
      policy.purposes(), "purpose", "purposes",
      [](const Purpose& p) -> const std::string& { return p.id; }, sink);
  CheckIds(
      policy.teams(), "team", "teams", [](const Team& t) -> const std::string& { return t.id; },
      sink);
  CheckIds(
      policy.retention_rules(), "retention rule", "retention_rules",
      [](const RetentionRuleRef& r) -> const std::string& { return r.id; }, sink);
  CheckIds(
      policy.references(), "reference", "references",
      [](const LegalReference& r) -> const std::string& { return r.code; }, sink);
}

// Periods, anchors, events, actions (gdprkit/retention.h's CheckRetentionRule).
void CheckRetentionRules(const Policy& policy, FindingSink* sink) {
  const auto rules = policy.retention_rules();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    for (RetentionRuleProblem& rp : CheckRetentionRule(rules[i])) {
      sink->Add(rp.severity, std::move(rp.code), "",
                absl::StrCat("retention_rules[", i, "].", rp.field), std::move(rp.message));
    }
  }
}

// Declared categories: well-formed keys, a known parent, no clash with the
// built-in ones or with each other (invalid-category-key, duplicate-id,
// orphan-category).
void CheckDeclaredCategories(const Policy& policy, FindingSink* sink) {
  std::size_t declared_index = 0;
  std::unordered_set<std::string> keys;
  for (const DataCategory& c : policy.categories()) {
    if (c.builtin) {
      keys.insert(c.key);
      continue;
    }
    const std::string path = absl::StrCat("categories[", declared_index++, "]");
    if (!ValidCategoryKey(c.key)) {
      sink->Add(Severity::kError, "invalid-category-key", "", path,
                absl::StrCat("category key ", Quote(c.key),
                             " is not a dotted path of lower-case words (a-z, 0-9, _)"));
      continue;
    }
    if (!keys.insert(c.key).second) {
      const bool builtin = std::any_of(std::begin(kBuiltinCategories), std::end(kBuiltinCategories),
                                       [&](const CategoryInfo& b) { return b.key == c.key; });
      sink->Add(Severity::kError, "duplicate-id", "", path,
                builtin ? absl::StrCat("category ", Quote(c.key),
                                       " is built in; declare a child such as ",
                                       Quote(absl::StrCat(c.key, ".example")), " instead")
                        : absl::StrCat("duplicate category key ", Quote(c.key)));
    }
  }
  declared_index = 0;
  for (const DataCategory& c : policy.categories()) {
    if (c.builtin) continue;
    const std::string path = absl::StrCat("categories[", declared_index++, "]");
    const std::string_view parent = ParentCategory(c.key);
    if (ValidCategoryKey(c.key) && !parent.empty() && policy.FindCategory(parent) == nullptr) {
      sink->Add(Severity::kError, "orphan-category", "", path,
                absl::StrCat("category ", Quote(c.key), " has no parent: ", Quote(parent),
                             " is neither built in nor declared"));
    }
  }
}

// Declared references: their own namespace (reference-shadows-builtin,
// invalid-reference-code, reference-without-text).
void CheckReferences(const Policy& policy, FindingSink* sink) {
  const auto references = policy.references();
  for (std::size_t i = 0; i < references.size(); ++i) {
    const LegalReference& r = references[i];
    const std::string path = absl::StrCat("references[", i, "]");
    if (r.code.empty()) continue;  // reported as missing-id
    if (FindLegalBasis(r.code) != nullptr) {
      sink->Add(Severity::kError, "reference-shadows-builtin", "", path,
                absl::StrCat("reference ", Quote(r.code),
                             " has the code of a built-in legal basis; choose another code"));
    } else if (r.code.rfind("DK-", 0) != 0 && r.code.rfind("EU-", 0) != 0) {
      sink->Add(Severity::kError, "invalid-reference-code", "", path,
                absl::StrCat("reference code ", Quote(r.code),
                             " must start with \"DK-\" (Danish law) or \"EU-\" (Union law)"));
    }
    if (r.title.empty() && r.text.empty()) {
      sink->Add(Severity::kWarning, "reference-without-text", "", path,
                absl::StrCat("reference ", Quote(r.code), " has neither title nor text"));
    }
  }
}

// ---- One purpose ---------------------------------------------------------------

// Categories and their markings, data subjects (no-categories,
// unknown-category, no-data-subjects). Sets s->flags.
void CheckPurposeCategories(const Policy& policy, const KnownNames& known, PurposeScope* s,
                            FindingSink* sink) {
  const Purpose& p = s->p;
  if (p.categories.empty()) {
    sink->Add(Severity::kWarning, "no-categories", p.id, s->Field("categories"),
              absl::StrCat(s->label, " lists no data categories (Art. 30(1)(c))"));
  }
  for (std::size_t ci = 0; ci < p.categories.size(); ++ci) {
    const DataCategory* c = policy.FindCategory(p.categories[ci]);
    if (c == nullptr) {
      sink->Add(
          Severity::kError, "unknown-category", p.id, absl::StrCat(s->at, ".categories[", ci, "]"),
          absl::StrCat(s->label, ": unknown data category ", Quote(p.categories[ci]),
                       DidYouMean(p.categories[ci], absl::MakeConstSpan(known.category_keys))));
      continue;
    }
    s->flags |= c->flags;
  }
  if (p.data_subjects.empty()) {
    sink->Add(Severity::kWarning, "no-data-subjects", p.id, s->Field("data_subjects"),
              absl::StrCat(s->label, " names no categories of data subjects (Art. 30(1)(c))"));
  }
}

// The codes themselves (unknown-basis). Sets s->effects and s->has_art9_h.
void CheckPurposeBasisCodes(const Policy& policy, const KnownNames& known, PurposeScope* s,
                            FindingSink* sink) {
  const Purpose& p = s->p;
  for (std::size_t bi = 0; bi < p.basis.size(); ++bi) {
    const std::string& code = p.basis[bi];
    const LegalBasisInfo* builtin = FindLegalBasis(code);
    const auto references = policy.references();
    const bool declared = std::any_of(references.begin(), references.end(),
                                      [&](const LegalReference& r) { return r.code == code; });
    if (builtin == nullptr && !declared) {
      sink->Add(Severity::kError, "unknown-basis", p.id, absl::StrCat(s->at, ".basis[", bi, "]"),
                absl::StrCat(s->label, ": unknown legal-basis code ", Quote(code),
                             DidYouMean(code, absl::MakeConstSpan(known.basis_codes))));
      continue;
    }
    s->effects |= policy.BasisEffects(code);
    if (code == "A9-2-h") s->has_art9_h = true;
  }
}

// Whether the bases cover what the categories need: Art. 6, Art. 9, Art. 10,
// DBL § 11, the Art. 9(3) safeguard (missing-art6-basis,
// special-category-without-condition, condition-without-special-category,
// art9-2-h-without-secrecy, criminal-data-without-ground, cpr-without-dbl-11).
void CheckPurposeBasisCoverage(const PurposeScope& s, FindingSink* sink) {
  const Purpose& p = s.p;
  const std::string basis_path = s.Field("basis");
  const std::uint32_t effects = s.effects;
  const std::uint8_t flags = s.flags;
  // Where the organisation is not the controller (or only a processor), the
  // grounds of the processing are the controller's to state: their absence
  // is no gap of this record.
  const bool own = p.role == ControllerRole::kController;
  if (own && (effects & kEffectLawful) == 0) {
    sink->Add(Severity::kError, "missing-art6-basis", p.id, basis_path,
              absl::StrCat(s.label, " has no lawful basis under Art. 6(1) (A6-1-a ... A6-1-f); ",
                           "every processing needs one, also where Art. 9, Art. 10 or national ",
                           "law applies"));
  }
  if (own && (flags & kCategorySpecial) && (effects & kEffectSpecialCondition) == 0) {
    sink->Add(Severity::kError, "special-category-without-condition", p.id, basis_path,
              absl::StrCat(s.label, " processes special categories of data (Art. 9(1)) but ",
                           "cites no Art. 9(2) condition (A9-2-a ... A9-2-j) or DBL § 7 ground"));
  }
  if (!(flags & kCategorySpecial) && (effects & kEffectSpecialCondition)) {
    sink->Add(Severity::kInfo, "condition-without-special-category", p.id, basis_path,
              absl::StrCat(s.label, " cites an Art. 9(2) condition but lists no special ",
                           "category of data; is a category missing?"));
  }
  if (s.has_art9_h && (effects & kEffectSafeguard) == 0) {
    sink->Add(Severity::kWarning, "art9-2-h-without-secrecy", p.id, basis_path,
              absl::StrCat(s.label, " rests on Art. 9(2)(h), which Art. 9(3) allows only under ",
                           "professional secrecy; record A9-3 or DK-DBL-7-3"));
  }
  if (own && (flags & kCategoryCriminal) && (effects & kEffectCriminal) == 0) {
    sink->Add(Severity::kError, "criminal-data-without-ground", p.id, basis_path,
              absl::StrCat(s.label, " processes data on criminal convictions or offences but ",
                           "cites neither Art. 10 (A10) nor a DBL § 8 ground (DK-DBL-8-...)"));
  }
  if (own && (flags & kCategoryNationalId) && (effects & kEffectNationalId) == 0) {
    sink->Add(Severity::kError, "cpr-without-dbl-11", p.id, basis_path,
              absl::StrCat(s.label, " processes CPR numbers but cites no ground in ",
                           "Databeskyttelsesloven § 11 (DK-DBL-11-1, DK-DBL-11-2-1 ... ",
                           "DK-DBL-11-2-4)"));
  }
}

// What a basis asks to be recorded beside it: the balancing test of a
// legitimate interest, the mechanism of consent
// (legitimate-interest-without-balancing-test, consent-without-mechanism).
void CheckPurposeBasisRecords(const PurposeScope& s, FindingSink* sink) {
  const Purpose& p = s.p;
  if (s.effects & kEffectLegitimateInterest) {
    const bool recorded =
        p.legitimate_interest.has_value() && !p.legitimate_interest->assessment.empty();
    if (!recorded) {
      sink->Add(Severity::kWarning, "legitimate-interest-without-balancing-test", p.id,
                s.Field("legitimate_interest"),
                absl::StrCat(s.label, " rests on legitimate interest (Art. 6(1)(f)) but records ",
                             "no balancing test (legitimate_interest.assessment)"));
    }
  }
  if (s.effects & kEffectConsent) {
    const bool record = p.consent.has_value() && !p.consent->record.empty();
    const bool withdraw = p.consent.has_value() && !p.consent->withdrawal.empty();
    if (!record || !withdraw) {
      sink->Add(
          Severity::kWarning, "consent-without-mechanism", p.id, s.Field("consent"),
          absl::StrCat(s.label, " rests on consent but records no way to ",
                       !record && !withdraw ? "record it (Art. 7(1)) or withdraw it (Art. 7(3))"
                       : !record            ? "record it (Art. 7(1))"
                                            : "withdraw it (Art. 7(3))"));
    }
  }
}

// missing-retention, unknown-retention-rule.
void CheckPurposeRetention(const KnownNames& known, const PurposeScope& s, FindingSink* sink) {
  const Purpose& p = s.p;
  if (p.retention.empty()) {
    sink->Add(Severity::kWarning, "missing-retention", p.id, s.Field("retention"),
              absl::StrCat(s.label, " has no retention rule (Art. 5(1)(e), Art. 30(1)(f))"));
  } else if (std::find(known.rule_ids.begin(), known.rule_ids.end(), p.retention) ==
             known.rule_ids.end()) {
    sink->Add(Severity::kError, "unknown-retention-rule", p.id, s.Field("retention"),
              absl::StrCat(s.label, ": unknown retention rule ", Quote(p.retention),
                           DidYouMean(p.retention, absl::MakeConstSpan(known.rule_ids))));
  }
}

// Erasure exceptions, the organisation's role, DBL § 8(3)
// (unknown-erasure-exception, controller-of-data-missing,
// dbl-8-3-which-sentence).
void CheckPurposeRoleAndExceptions(const PurposeScope& s, FindingSink* sink) {
  const Purpose& p = s.p;
  for (std::size_t ei = 0; ei < p.erasure_exceptions.size(); ++ei) {
    if (p.erasure_exceptions[ei] == ErasureException::kUnspecified) {
      sink->Add(Severity::kError, "unknown-erasure-exception", p.id,
                absl::StrCat(s.at, ".erasure_exceptions[", ei, "]"),
                absl::StrCat(s.label, ": an erasure exception must be one of Art. 17(3)(a)-(e): ",
                             "FREEDOM_OF_EXPRESSION, LEGAL_OBLIGATION_OR_PUBLIC_TASK, "
                             "PUBLIC_HEALTH, ARCHIVING_RESEARCH_STATISTICS, LEGAL_CLAIMS"));
    }
  }
  if (p.role != ControllerRole::kController && p.controller_of_data.empty()) {
    sink->Add(Severity::kWarning, "controller-of-data-missing", p.id, s.Field("controller_of_data"),
              absl::StrCat(s.label, " is not the organisation's as controller, but names no ",
                           "controller to whom data subjects turn (controller_of_data)"));
  }
  for (const std::string& code : p.basis) {
    if (code == "DK-DBL-8-3") {
      sink->Add(Severity::kInfo, "dbl-8-3-which-sentence", p.id, s.Field("basis"),
                absl::StrCat(s.label, " cites DBL § 8, stk. 3 without saying which sentence: ",
                             "DK-DBL-8-3-1 (explicit consent, which may be withdrawn) or ",
                             "DK-DBL-8-3-2 (legitimate interest, which may be objected to)"));
    }
  }
}

// sensitive-data-published, transfer-without-basis.
void CheckPurposeRecipients(const PurposeScope& s, FindingSink* sink) {
  const Purpose& p = s.p;
  for (std::size_t ri = 0; ri < p.recipients.size(); ++ri) {
    const Recipient& r = p.recipients[ri];
    // Published without the data subject's consent: special-category,
    // offence or CPR data need a ground for publication that the record
    // does not give (with consent, Art. 9(2)(a) or DBL § 11(2)(2) can).
    if (r.kind == RecipientKind::kPublic && (s.effects & kEffectConsent) == 0 &&
        (s.flags & (kCategorySpecial | kCategoryNationalId | kCategoryCriminal))) {
      sink->Add(Severity::kWarning, "sensitive-data-published", p.id,
                absl::StrCat(s.at, ".recipients[", ri, "]"),
                absl::StrCat(s.label, " publishes (recipient ", Quote(r.name), ") data of a ",
                             "special category, on offences or CPR numbers without the data ",
                             "subject's consent; publication needs its own ground and is rarely ",
                             "lawful for these"));
    }
    if (!InEea(r.country) && r.transfer_basis.empty()) {
      sink->Add(
          Severity::kWarning, "transfer-without-basis", p.id,
          absl::StrCat(s.at, ".recipients[", ri, "]"),
          absl::StrCat(s.label, ": recipient ", Quote(r.name), " is in ", r.country,
                       ", outside the EU/EEA, and no transfer basis (Art. 45-49) is ", "recorded"));
    }
  }
}

// no-access-grant, unknown-team, unknown-role.
void CheckPurposeAccess(const Policy& policy, const KnownNames& known, const PurposeScope& s,
                        FindingSink* sink) {
  const Purpose& p = s.p;
  if (p.access.empty()) {
    sink->Add(Severity::kInfo, "no-access-grant", p.id, s.Field("access"),
              absl::StrCat(s.label, " grants no team access; nobody may see its data"));
  }
  const auto teams = policy.teams();
  for (std::size_t gi = 0; gi < p.access.size(); ++gi) {
    const AccessGrant& g = p.access[gi];
    const std::string gpath = absl::StrCat(s.at, ".access[", gi, "]");
    auto team =
        std::find_if(teams.begin(), teams.end(), [&](const Team& t) { return t.id == g.team; });
    if (team == teams.end()) {
      sink->Add(Severity::kError, "unknown-team", p.id, gpath,
                absl::StrCat(s.label, ": access granted to unknown team ", Quote(g.team),
                             DidYouMean(g.team, absl::MakeConstSpan(known.team_ids))));
      continue;
    }
    if (team->roles.empty()) continue;
    for (const std::string& role : g.roles) {
      if (std::find(team->roles.begin(), team->roles.end(), role) == team->roles.end()) {
        sink->Add(Severity::kError, "unknown-role", p.id, gpath,
                  absl::StrCat(s.label, ": team ", Quote(g.team), " has no role ", Quote(role),
                               DidYouMean(role, team->roles)));
      }
    }
  }
}

// ---- Releases --------------------------------------------------------------------

// One release under check: where it is and how messages name it.
struct ReleaseScope {
  const Release& r;
  std::string at;       // "releases[1]"
  std::string label;    // `release "x"`, or "release #2" without an id
  std::string purpose;  // the release's purpose id when it exists, else ""
  FindingSink* sink;

  ReleaseScope(const Release& release, std::size_t index, FindingSink* findings)
      : r(release),
        at(absl::StrCat("releases[", index, "]")),
        label(release.id.empty() ? absl::StrCat("release #", index + 1)
                                 : absl::StrCat("release ", Quote(release.id))),
        sink(findings) {}

  std::string Field(std::string_view name) const { return absl::StrCat(at, ".", AV(name)); }
  // The names of the release's hierarchies, for "did you mean".
  std::vector<std::string_view> HierarchyNames() const {
    std::vector<std::string_view> names;
    for (const ReleaseHierarchy& h : r.hierarchies) names.push_back(h.name);
    return names;
  }
  // A finding about this release, with its purpose (when it exists).
  void Add(Severity severity, std::string code, std::string field, std::string message) const {
    sink->Add(severity, std::move(code), purpose, std::move(field), std::move(message));
  }
};

std::vector<std::string_view> IdKindChoices() {
  std::vector<std::string_view> names;
  for (const IdKindInfo& k : kIdKinds) names.push_back(k.name);
  return names;
}

// The purpose (release-unknown-purpose), and whether its CPR numbers stay
// behind (release-national-id-not-removed). Sets s->purpose.
void CheckReleasePurpose(const Policy& policy, ReleaseScope* s) {
  const Release& r = s->r;
  const Purpose* p = policy.FindPurpose(r.purpose);
  if (p == nullptr) {
    std::vector<std::string_view> ids;
    for (const Purpose& q : policy.purposes()) ids.push_back(q.id);
    s->Add(Severity::kError, "release-unknown-purpose", s->Field("purpose"),
           r.purpose.empty() ? absl::StrCat(s->label, " names no purpose; every release serves one")
                             : absl::StrCat(s->label, ": unknown purpose ", Quote(r.purpose),
                                            DidYouMean(r.purpose, absl::MakeConstSpan(ids))));
    return;
  }
  s->purpose = p->id;
  std::uint8_t flags = kCategoryNone;
  for (const std::string& key : p->categories) {
    if (const DataCategory* c = policy.FindCategory(key)) flags |= c->flags;
  }
  if ((flags & kCategoryNationalId) == 0) return;
  const bool removed = std::any_of(r.columns.begin(), r.columns.end(), [](const ReleaseColumn& c) {
    return ParseIdKind(c.kind) == IdKind::kCpr &&
           (c.treatment == ColumnTreatment::kDrop || c.treatment == ColumnTreatment::kPseudonymise);
  });
  if (!removed) {
    s->Add(Severity::kError, "release-national-id-not-removed", s->Field("columns"),
           absl::StrCat(s->label, ": purpose ", Quote(p->id), " processes CPR numbers, but no ",
                        "column of kind \"cpr\" is dropped or pseudonymised; declare the CPR ",
                        "column with kind: \"cpr\" and treatment DROP or PSEUDONYMISE"));
  }
}

// Each column on its own (release-column-without-name, release-duplicate-column,
// release-column-without-treatment, release-unknown-id-kind,
// release-pseudonymise-incomplete, release-generalise-incomplete,
// release-unknown-hierarchy, release-free-text-not-kept,
// release-identifier-in-clear).
void CheckReleaseColumns(const ReleaseScope& s) {
  const Release& r = s.r;
  std::unordered_map<std::string, std::size_t> seen;
  const std::vector<std::string_view> hierarchy_names = s.HierarchyNames();
  for (std::size_t i = 0; i < r.columns.size(); ++i) {
    const ReleaseColumn& c = r.columns[i];
    const std::string at = absl::StrCat(s.at, ".columns[", i, "]");
    auto sub = [&](std::string_view name) { return absl::StrCat(at, ".", AV(name)); };
    if (c.name.empty()) {
      s.Add(Severity::kError, "release-column-without-name", at,
            absl::StrCat(s.label, ": column #", i + 1, " has no name"));
    } else if (auto [it, inserted] = seen.emplace(c.name, i); !inserted) {
      s.Add(Severity::kError, "release-duplicate-column", at,
            absl::StrCat(s.label, ": column ", Quote(c.name), " is declared twice (first as ",
                         "column #", it->second + 1, ")"));
    }
    const std::string col =
        c.name.empty() ? absl::StrCat("column #", i + 1) : absl::StrCat("column ", Quote(c.name));
    if (c.treatment == ColumnTreatment::kUnspecified || c.treatment == ColumnTreatment::kUnknown) {
      s.Add(Severity::kError, "release-column-without-treatment", sub("treatment"),
            absl::StrCat(s.label, ": ", col, " states no treatment; write DROP, KEEP, ",
                         "PSEUDONYMISE or GENERALISE"));
    }
    const std::optional<IdKind> kind = ParseIdKind(c.kind);
    if (!c.kind.empty() && !kind.has_value()) {
      s.Add(Severity::kError, "release-unknown-id-kind", sub("kind"),
            absl::StrCat(s.label, ": ", col, ": unknown identifier kind ", Quote(c.kind),
                         DidYouMean(c.kind, absl::MakeConstSpan(IdKindChoices()))));
    }
    if (c.treatment == ColumnTreatment::kPseudonymise && (c.domain.empty() || c.kind.empty())) {
      s.Add(Severity::kError, "release-pseudonymise-incomplete",
            sub(c.domain.empty() ? "domain" : "kind"),
            absl::StrCat(s.label, ": ", col, " is pseudonymised but names no ",
                         c.domain.empty() && c.kind.empty() ? "vault domain and no identifier kind"
                         : c.domain.empty()                 ? "vault domain"
                                                            : "identifier kind",
                         " (domain, kind)"));
    }
    if (c.treatment == ColumnTreatment::kGeneralise) {
      if (c.hierarchy.empty() || !c.level.has_value() || *c.level < 1) {
        s.Add(Severity::kError, "release-generalise-incomplete",
              sub(c.hierarchy.empty() ? "hierarchy" : "level"),
              absl::StrCat(s.label, ": ", col, " is generalised but ",
                           c.hierarchy.empty()    ? "names no hierarchy"
                           : !c.level.has_value() ? "states no level"
                                                  : "has a level below 1",
                           "; give hierarchy and level (1 = the level just below the total)"));
      }
      if (!c.hierarchy.empty() && r.FindHierarchy(c.hierarchy) == nullptr) {
        s.Add(Severity::kError, "release-unknown-hierarchy", sub("hierarchy"),
              absl::StrCat(s.label, ": ", col, ": unknown hierarchy ", Quote(c.hierarchy),
                           DidYouMean(c.hierarchy, absl::MakeConstSpan(hierarchy_names))));
      }
    }
    const bool stated =
        c.treatment != ColumnTreatment::kUnspecified && c.treatment != ColumnTreatment::kUnknown;
    if (c.free_text && stated && c.treatment != ColumnTreatment::kKeep) {
      s.Add(Severity::kError, "release-free-text-not-kept", sub("free_text"),
            absl::StrCat(s.label, ": ", col, " is marked free text but is ",
                         AV(ColumnTreatmentName(c.treatment)),
                         "; only a KEEP column leaves as text to be scanned"));
    }
    if (kind.has_value() && c.treatment == ColumnTreatment::kKeep) {
      s.Add(Severity::kError, "release-identifier-in-clear", sub("treatment"),
            absl::StrCat(s.label, ": ", col, " holds identifiers (", AV(IdKindName(*kind)),
                         ") and would leave in clear; DROP, PSEUDONYMISE or GENERALISE it"));
    }
  }
}

// Declared hierarchies: a name, exactly one source (release-invalid-hierarchy).
void CheckReleaseHierarchies(const ReleaseScope& s) {
  const Release& r = s.r;
  std::unordered_set<std::string> names;
  for (std::size_t i = 0; i < r.hierarchies.size(); ++i) {
    const ReleaseHierarchy& h = r.hierarchies[i];
    const std::string at = absl::StrCat(s.at, ".hierarchies[", i, "]");
    std::string why;
    if (h.name.empty()) {
      why = absl::StrCat("hierarchy #", i + 1, " has no name");
    } else if (!names.insert(h.name).second) {
      why = absl::StrCat("hierarchy ", Quote(h.name), " is declared twice");
    } else if (h.file.empty() == h.codes.empty()) {
      why = absl::StrCat("hierarchy ", Quote(h.name), h.file.empty() ? " has neither" : " has both",
                         " a file and inline codes; give exactly one");
    }
    if (!why.empty()) {
      s.Add(Severity::kError, "release-invalid-hierarchy", at, absl::StrCat(s.label, ": ", why));
    }
  }
}

// A column the table or extract uses: declared, and not dropped
// (release-undeclared-column, release-column-dropped).
void CheckUsedColumn(const ReleaseScope& s, std::string_view name, std::string_view role,
                     const std::string& field, bool may_be_dropped) {
  const ReleaseColumn* c = s.r.FindColumn(name);
  if (c == nullptr) {
    std::vector<std::string_view> names;
    for (const ReleaseColumn& col : s.r.columns) names.push_back(col.name);
    s.Add(Severity::kError, "release-undeclared-column", field,
          absl::StrCat(s.label, ": the ", AV(role), " ", Quote(name),
                       " is not among the release's columns",
                       DidYouMean(name, absl::MakeConstSpan(names))));
  } else if (!may_be_dropped && c->treatment == ColumnTreatment::kDrop) {
    s.Add(Severity::kError, "release-column-dropped", field,
          absl::StrCat(s.label, ": the ", AV(role), " ", Quote(name),
                       " is a DROP column, so it cannot leave; KEEP, GENERALISE or ",
                       "PSEUDONYMISE it, or leave it out"));
  }
}

// The shape: exactly one of table and extract, and what each uses
// (release-table-or-extract, release-table-without-dimensions,
// release-unknown-hierarchy, release-no-quasi-identifiers, release-invalid-k,
// release-k-below-five, and the used columns).
void CheckReleaseShape(const ReleaseScope& s) {
  const Release& r = s.r;
  if (r.table.has_value() == r.extract.has_value()) {
    s.Add(Severity::kError, "release-table-or-extract", s.at,
          absl::StrCat(s.label,
                       r.table.has_value() ? " has both a table and an extract"
                                           : " has neither a table nor an extract",
                       "; a release is a published table or a microdata extract"));
  }
  if (r.table.has_value()) {
    const ReleaseTable& t = *r.table;
    const std::string at = s.Field("table");
    if (t.dimensions.empty()) {
      s.Add(Severity::kError, "release-table-without-dimensions", at,
            absl::StrCat(s.label, ": the table has no dimensions"));
    }
    const std::vector<std::string_view> hierarchy_names = s.HierarchyNames();
    for (std::size_t i = 0; i < t.dimensions.size(); ++i) {
      const ReleaseDimension& d = t.dimensions[i];
      const std::string dat = absl::StrCat(at, ".dimensions[", i, "]");
      CheckUsedColumn(s, d.column, "table dimension", dat, false);
      if (!d.hierarchy.empty() && r.FindHierarchy(d.hierarchy) == nullptr) {
        s.Add(Severity::kError, "release-unknown-hierarchy", dat,
              absl::StrCat(s.label, ": table dimension ", Quote(d.column), ": unknown hierarchy ",
                           Quote(d.hierarchy),
                           DidYouMean(d.hierarchy, absl::MakeConstSpan(hierarchy_names))));
      }
    }
    if (!t.value.empty()) {
      CheckUsedColumn(s, t.value, "value column", absl::StrCat(at, ".value"), false);
    }
  }
  if (r.extract.has_value()) {
    const ReleaseExtract& e = *r.extract;
    const std::string at = s.Field("extract");
    if (e.quasi_identifiers.empty()) {
      s.Add(Severity::kError, "release-no-quasi-identifiers", at,
            absl::StrCat(s.label, ": the extract names no quasi-identifiers, the columns ",
                         "(age, sex, postcode, ...) whose combinations could single a person out"));
    }
    for (std::size_t i = 0; i < e.quasi_identifiers.size(); ++i) {
      CheckUsedColumn(s, e.quasi_identifiers[i], "quasi-identifier",
                      absl::StrCat(at, ".quasi_identifiers[", i, "]"), false);
    }
    if (!e.k.has_value() || *e.k < 2) {
      s.Add(Severity::kError, "release-invalid-k", absl::StrCat(at, ".k"),
            e.k.has_value()
                ? absl::StrCat(s.label, ": k is ", *e.k,
                               "; every combination of quasi-identifiers must be shared by at ",
                               "least 2 rows, so k is at least 2")
                : absl::StrCat(s.label, ": the extract states no k (every combination of ",
                               "quasi-identifiers shared by at least k rows)"));
    } else if (*e.k < 5) {
      s.Add(Severity::kWarning, "release-k-below-five", absl::StrCat(at, ".k"),
            absl::StrCat(s.label, ": k is ", *e.k, ", below five; the cluster guide asks for ",
                         "\"mindst fem registreringer\" and five is the usual floor"));
    }
  }
}

// Maximum age (release-invalid-max-age, release-max-age-without-date-column,
// release-date-column-without-max-age, and the date column).
void CheckReleaseAge(const ReleaseScope& s) {
  const Release& r = s.r;
  if (!r.max_age.empty()) {
    absl::StatusOr<Period> period = ParsePeriod(r.max_age);
    if (!period.ok()) {
      s.Add(Severity::kError, "release-invalid-max-age", s.Field("max_age"),
            absl::StrCat(s.label, ": max_age: ", period.status().message()));
    } else if (period->IsZero()) {
      s.Add(Severity::kError, "release-invalid-max-age", s.Field("max_age"),
            absl::StrCat(s.label, ": max_age is zero, which lets no row leave; write e.g. P5Y"));
    }
    if (r.date_column.empty()) {
      s.Add(Severity::kError, "release-max-age-without-date-column", s.Field("max_age"),
            absl::StrCat(s.label, " states a maximum age but no date_column to count it over"));
    }
  } else if (!r.date_column.empty()) {
    s.Add(Severity::kError, "release-date-column-without-max-age", s.Field("date_column"),
          absl::StrCat(s.label, " names a date_column but no max_age (e.g. \"P5Y\")"));
  }
  if (!r.date_column.empty()) {
    CheckUsedColumn(s, r.date_column, "date column", s.Field("date_column"), true);
  }
}

// Primary rules (release-invalid-threshold, release-invalid-dominance,
// release-invalid-p-percent, release-invalid-rule-value): the ranges of
// gdprkit/suppression.h's ApplyPrimaryRules, but a release may not switch
// the threshold off.
void CheckReleaseRules(const ReleaseScope& s) {
  if (!s.r.rules.has_value()) return;
  const ReleasePrimaryRules& rules = *s.r.rules;
  const std::string at = s.Field("rules");
  if (rules.threshold.has_value() && *rules.threshold < 1) {
    s.Add(Severity::kError, "release-invalid-threshold", absl::StrCat(at, ".threshold"),
          absl::StrCat(s.label, ": threshold is ", *rules.threshold,
                       "; a released table keeps its threshold rule, at least 1 (the cluster ",
                       "guide's is 5)"));
  }
  for (std::size_t i = 0; i < rules.dominance.size(); ++i) {
    const ReleaseDominanceRule& d = rules.dominance[i];
    if (d.n < 1 || !(d.k > 0 && d.k <= 100)) {
      s.Add(Severity::kError, "release-invalid-dominance", absl::StrCat(at, ".dominance[", i, "]"),
            absl::StrCat(s.label, ": dominance rule #", i + 1, " has n = ", d.n, " and k = ", d.k,
                         "; n is at least 1 and k a percentage in (0, 100]"));
    }
  }
  if (!(rules.p_percent >= 0 && rules.p_percent < 100) ||
      (rules.q_percent.has_value() && !(*rules.q_percent > 0 && *rules.q_percent <= 100))) {
    s.Add(Severity::kError, "release-invalid-p-percent", absl::StrCat(at, ".p_percent"),
          absl::StrCat(s.label, ": p_percent must be in [0, 100) and q_percent in (0, 100]"));
  }
  const std::pair<const char*, std::optional<double>> percents[] = {
      {"threshold_range_percent", rules.threshold_range_percent},
      {"zero_upper", rules.zero_upper},
      {"manual_percent", rules.manual_percent}};
  for (const auto& [name, value] : percents) {
    if (value.has_value() && !(*value >= 0)) {
      s.Add(Severity::kError, "release-invalid-rule-value", absl::StrCat(at, ".", name),
            absl::StrCat(s.label, ": ", name, " is negative"));
    }
  }
}

}  // namespace

std::vector<Finding> Policy::Validate() const {
  std::vector<Finding> findings;
  FindingSink sink(*this, &findings, [this](std::string_view f) { return LineOf(f); });

  CheckDocument(*this, schema_, &sink);
  CheckIdentifiers(*this, &sink);
  CheckRetentionRules(*this, &sink);
  CheckDeclaredCategories(*this, &sink);
  CheckReferences(*this, &sink);

  const KnownNames known(*this);
  for (std::size_t i = 0; i < purposes_.size(); ++i) {
    PurposeScope scope(purposes_[i], i);
    CheckPurposeCategories(*this, known, &scope, &sink);
    CheckPurposeBasisCodes(*this, known, &scope, &sink);
    CheckPurposeBasisCoverage(scope, &sink);
    CheckPurposeBasisRecords(scope, &sink);
    CheckPurposeRetention(known, scope, &sink);
    CheckPurposeRoleAndExceptions(scope, &sink);
    CheckPurposeRecipients(scope, &sink);
    CheckPurposeAccess(*this, known, scope, &sink);
  }

  CheckIds(
      absl::MakeConstSpan(releases_), "release", "releases",
      [](const Release& r) -> const std::string& { return r.id; }, &sink);
  for (std::size_t i = 0; i < releases_.size(); ++i) {
    ReleaseScope scope(releases_[i], i, &sink);
    CheckReleasePurpose(*this, &scope);
    CheckReleaseColumns(scope);
    CheckReleaseHierarchies(scope);
    CheckReleaseShape(scope);
    CheckReleaseAge(scope);
    CheckReleaseRules(scope);
  }

  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return static_cast<int>(a.severity) > static_cast<int>(b.severity);
  });
  return findings;
}

bool Policy::IsValid() const {
  for (const Finding& f : Validate()) {
    if (f.severity == Severity::kError) return false;
  }
  return true;
}

}  // namespace gdprkit
