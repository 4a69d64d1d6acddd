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
#include "gdprkit/policy.h"
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
