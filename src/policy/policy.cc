// Validation, the rights matrix and team isolation for a loaded Policy.
#include "gdprkit/policy.h"

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sv.h"
#include "gdprkit/retention.h"

namespace gdprkit {
namespace {

using internal::AV;

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

std::string Quote(std::string_view s) { return absl::StrCat("\"", AV(s), "\""); }

std::string DidYouMean(const std::vector<std::string>& near) {
  if (near.empty()) return "";
  std::vector<std::string> quoted;
  for (const std::string& n : near) quoted.push_back(Quote(n));
  return absl::StrCat("; nearest valid: ", absl::StrJoin(quoted, ", "));
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
              const std::function<int(std::string_view)>& line_of)
      : policy_(policy), out_(out), line_of_(line_of) {}

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
  const std::function<int(std::string_view)>& line_of_;
};

template <typename T, typename IdOf>
void CheckIds(const std::vector<T>& items, std::string_view what, std::string_view field,
              IdOf id_of, FindingSink* sink) {
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

}  // namespace

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "error";
}

int Policy::LineOf(std::string_view field_path) const {
  // The most specific known ancestor of the path gives the line.
  std::string_view path = field_path;
  while (!path.empty()) {
    auto it = field_lines_.find(path);
    if (it != field_lines_.end()) return it->second;
    const std::size_t cut = path.find_last_of(".[");
    if (cut == std::string_view::npos) break;
    path = path.substr(0, cut);
  }
  return 0;
}

const Purpose* Policy::FindPurpose(std::string_view id) const {
  for (const Purpose& p : purposes_) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const DataCategory* Policy::FindCategory(std::string_view key) const {
  for (const DataCategory& c : categories_) {
    if (c.key == key) return &c;
  }
  return nullptr;
}

std::string Policy::BasisTitle(std::string_view code) const {
  if (const LegalBasisInfo* b = FindLegalBasis(code)) return std::string(b->title);
  for (const LegalReference& r : references_) {
    if (r.code == code) return r.title.empty() ? r.code : r.title;
  }
  return "";
}

std::uint32_t Policy::BasisEffects(std::string_view code) const {
  if (const LegalBasisInfo* b = FindLegalBasis(code)) return b->effects;
  for (const LegalReference& r : references_) {
    if (r.code == code) return r.effects;
  }
  return kEffectNone;
}

std::vector<Finding> Policy::Validate() const {
  std::vector<Finding> findings;
  const std::function<int(std::string_view)> line_of = [this](std::string_view f) {
    return LineOf(f);
  };
  FindingSink sink(*this, &findings, line_of);

  if (!schema_.empty() && schema_ != "gdprkit.v1") {
    sink.Add(Severity::kError, "schema-version", "", "schema",
             absl::StrCat("schema ", Quote(schema_), " is not supported; this library reads ",
                          "\"gdprkit.v1\""));
  }
  if (controller_.name.empty()) {
    sink.Add(Severity::kWarning, "missing-controller", "", "controller",
             "the record names no controller (Art. 30(1)(a))");
  }
  if (purposes_.empty()) {
    sink.Add(Severity::kError, "no-purposes", "", "purposes",
             "the policy records no processing purpose");
  }

  // Identifiers.
  CheckIds(
      purposes_, "purpose", "purposes", [](const Purpose& p) -> const std::string& { return p.id; },
      &sink);
  CheckIds(
      teams_, "team", "teams", [](const Team& t) -> const std::string& { return t.id; }, &sink);
  CheckIds(
      retention_rules_, "retention rule", "retention_rules",
      [](const RetentionRuleRef& r) -> const std::string& { return r.id; }, &sink);
  CheckIds(
      references_, "reference", "references",
      [](const LegalReference& r) -> const std::string& { return r.code; }, &sink);

  // Retention rules: periods, anchors, events, actions (gdprkit/retention.h).
  for (std::size_t i = 0; i < retention_rules_.size(); ++i) {
    for (RetentionRuleProblem& rp : CheckRetentionRule(retention_rules_[i])) {
      sink.Add(rp.severity, std::move(rp.code), "",
               absl::StrCat("retention_rules[", i, "].", rp.field), std::move(rp.message));
    }
  }

  // Declared categories: well-formed keys, a known parent, no clash with the
  // built-in ones or with each other.
  {
    std::size_t declared_index = 0;
    std::unordered_set<std::string> keys;
    for (const DataCategory& c : categories_) {
      if (c.builtin) {
        keys.insert(c.key);
        continue;
      }
      const std::string path = absl::StrCat("categories[", declared_index++, "]");
      if (!ValidCategoryKey(c.key)) {
        sink.Add(Severity::kError, "invalid-category-key", "", path,
                 absl::StrCat("category key ", Quote(c.key),
                              " is not a dotted path of lower-case words (a-z, 0-9, _)"));
        continue;
      }
      if (!keys.insert(c.key).second) {
        const bool builtin =
            std::any_of(std::begin(kBuiltinCategories), std::end(kBuiltinCategories),
                        [&](const CategoryInfo& b) { return b.key == c.key; });
        sink.Add(Severity::kError, "duplicate-id", "", path,
                 builtin ? absl::StrCat("category ", Quote(c.key),
                                        " is built in; declare a child such as ",
                                        Quote(absl::StrCat(c.key, ".example")), " instead")
                         : absl::StrCat("duplicate category key ", Quote(c.key)));
      }
    }
    declared_index = 0;
    for (const DataCategory& c : categories_) {
      if (c.builtin) continue;
      const std::string path = absl::StrCat("categories[", declared_index++, "]");
      const std::string_view parent = ParentCategory(c.key);
      if (ValidCategoryKey(c.key) && !parent.empty() && FindCategory(parent) == nullptr) {
        sink.Add(Severity::kError, "orphan-category", "", path,
                 absl::StrCat("category ", Quote(c.key), " has no parent: ", Quote(parent),
                              " is neither built in nor declared"));
      }
    }
  }

  // Declared references: their own namespace.
  for (std::size_t i = 0; i < references_.size(); ++i) {
    const LegalReference& r = references_[i];
    const std::string path = absl::StrCat("references[", i, "]");
    if (r.code.empty()) continue;  // reported as missing-id
    if (FindLegalBasis(r.code) != nullptr) {
      sink.Add(Severity::kError, "reference-shadows-builtin", "", path,
               absl::StrCat("reference ", Quote(r.code),
                            " has the code of a built-in legal basis; choose another code"));
    } else if (r.code.rfind("DK-", 0) != 0 && r.code.rfind("EU-", 0) != 0) {
      sink.Add(Severity::kError, "invalid-reference-code", "", path,
               absl::StrCat("reference code ", Quote(r.code),
                            " must start with \"DK-\" (Danish law) or \"EU-\" (Union law)"));
    }
    if (r.title.empty() && r.text.empty()) {
      sink.Add(Severity::kWarning, "reference-without-text", "", path,
               absl::StrCat("reference ", Quote(r.code), " has neither title nor text"));
    }
  }

  std::vector<std::string_view> basis_codes;
  for (const LegalBasisInfo& b : kLegalBases) basis_codes.push_back(b.code);
  for (const LegalReference& r : references_) basis_codes.push_back(r.code);
  std::vector<std::string_view> category_keys;
  for (const DataCategory& c : categories_) category_keys.push_back(c.key);
  std::vector<std::string_view> team_ids;
  for (const Team& t : teams_) team_ids.push_back(t.id);
  std::vector<std::string_view> rule_ids;
  for (const RetentionRuleRef& r : retention_rules_) rule_ids.push_back(r.id);

  for (std::size_t pi = 0; pi < purposes_.size(); ++pi) {
    const Purpose& p = purposes_[pi];
    const std::string at = absl::StrCat("purposes[", pi, "]");
    const std::string label =
        p.id.empty() ? absl::StrCat("purpose #", pi + 1) : absl::StrCat("purpose ", Quote(p.id));

    // Categories and their markings.
    std::uint8_t flags = kCategoryNone;
    if (p.categories.empty()) {
      sink.Add(Severity::kWarning, "no-categories", p.id, absl::StrCat(at, ".categories"),
               absl::StrCat(label, " lists no data categories (Art. 30(1)(c))"));
    }
    for (std::size_t ci = 0; ci < p.categories.size(); ++ci) {
      const DataCategory* c = FindCategory(p.categories[ci]);
      if (c == nullptr) {
        sink.Add(Severity::kError, "unknown-category", p.id,
                 absl::StrCat(at, ".categories[", ci, "]"),
                 absl::StrCat(label, ": unknown data category ", Quote(p.categories[ci]),
                              DidYouMean(NearestNames(p.categories[ci], category_keys))));
        continue;
      }
      flags |= c->flags;
    }
    if (p.data_subjects.empty()) {
      sink.Add(Severity::kWarning, "no-data-subjects", p.id, absl::StrCat(at, ".data_subjects"),
               absl::StrCat(label, " names no categories of data subjects (Art. 30(1)(c))"));
    }

    // Legal bases.
    std::uint32_t effects = kEffectNone;
    bool has_art9_h = false;
    for (std::size_t bi = 0; bi < p.basis.size(); ++bi) {
      const std::string& code = p.basis[bi];
      const LegalBasisInfo* builtin = FindLegalBasis(code);
      const bool declared = std::any_of(references_.begin(), references_.end(),
                                        [&](const LegalReference& r) { return r.code == code; });
      if (builtin == nullptr && !declared) {
        sink.Add(Severity::kError, "unknown-basis", p.id, absl::StrCat(at, ".basis[", bi, "]"),
                 absl::StrCat(label, ": unknown legal-basis code ", Quote(code),
                              DidYouMean(NearestNames(code, basis_codes))));
        continue;
      }
      effects |= BasisEffects(code);
      if (code == "A9-2-h") has_art9_h = true;
    }
    const std::string basis_path = absl::StrCat(at, ".basis");
    // Where the organisation is not the controller (or only a processor), the
    // grounds of the processing are the controller's to state: their absence
    // is no gap of this record.
    const bool own = p.role == ControllerRole::kController;
    if (own && (effects & kEffectLawful) == 0) {
      sink.Add(Severity::kError, "missing-art6-basis", p.id, basis_path,
               absl::StrCat(label, " has no lawful basis under Art. 6(1) (A6-1-a ... A6-1-f); ",
                            "every processing needs one, also where Art. 9, Art. 10 or national ",
                            "law applies"));
    }
    if (own && (flags & kCategorySpecial) && (effects & kEffectSpecialCondition) == 0) {
      sink.Add(Severity::kError, "special-category-without-condition", p.id, basis_path,
               absl::StrCat(label, " processes special categories of data (Art. 9(1)) but ",
                            "cites no Art. 9(2) condition (A9-2-a ... A9-2-j) or DBL § 7 ground"));
    }
    if (!(flags & kCategorySpecial) && (effects & kEffectSpecialCondition)) {
      sink.Add(Severity::kInfo, "condition-without-special-category", p.id, basis_path,
               absl::StrCat(label, " cites an Art. 9(2) condition but lists no special ",
                            "category of data; is a category missing?"));
    }
    if (has_art9_h && (effects & kEffectSafeguard) == 0) {
      sink.Add(Severity::kWarning, "art9-2-h-without-secrecy", p.id, basis_path,
               absl::StrCat(label, " rests on Art. 9(2)(h), which Art. 9(3) allows only under ",
                            "professional secrecy; record A9-3 or DK-DBL-7-3"));
    }
    if (own && (flags & kCategoryCriminal) && (effects & kEffectCriminal) == 0) {
      sink.Add(Severity::kError, "criminal-data-without-ground", p.id, basis_path,
               absl::StrCat(label, " processes data on criminal convictions or offences but ",
                            "cites neither Art. 10 (A10) nor a DBL § 8 ground (DK-DBL-8-...)"));
    }
    if (own && (flags & kCategoryNationalId) && (effects & kEffectNationalId) == 0) {
      sink.Add(Severity::kError, "cpr-without-dbl-11", p.id, basis_path,
               absl::StrCat(label, " processes CPR numbers but cites no ground in ",
                            "Databeskyttelsesloven § 11 (DK-DBL-11-1, DK-DBL-11-2-1 ... ",
                            "DK-DBL-11-2-4)"));
    }
    if (effects & kEffectLegitimateInterest) {
      const bool recorded =
          p.legitimate_interest.has_value() && !p.legitimate_interest->assessment.empty();
      if (!recorded) {
        sink.Add(Severity::kWarning, "legitimate-interest-without-balancing-test", p.id,
                 absl::StrCat(at, ".legitimate_interest"),
                 absl::StrCat(label, " rests on legitimate interest (Art. 6(1)(f)) but records ",
                              "no balancing test (legitimate_interest.assessment)"));
      }
    }
    if (effects & kEffectConsent) {
      const bool record = p.consent.has_value() && !p.consent->record.empty();
      const bool withdraw = p.consent.has_value() && !p.consent->withdrawal.empty();
      if (!record || !withdraw) {
        sink.Add(
            Severity::kWarning, "consent-without-mechanism", p.id, absl::StrCat(at, ".consent"),
            absl::StrCat(label, " rests on consent but records no way to ",
                         !record && !withdraw ? "record it (Art. 7(1)) or withdraw it (Art. 7(3))"
                         : !record            ? "record it (Art. 7(1))"
                                              : "withdraw it (Art. 7(3))"));
      }
    }

    // Retention.
    if (p.retention.empty()) {
      sink.Add(Severity::kWarning, "missing-retention", p.id, absl::StrCat(at, ".retention"),
               absl::StrCat(label, " has no retention rule (Art. 5(1)(e), Art. 30(1)(f))"));
    } else if (std::find(rule_ids.begin(), rule_ids.end(), p.retention) == rule_ids.end()) {
      sink.Add(Severity::kError, "unknown-retention-rule", p.id, absl::StrCat(at, ".retention"),
               absl::StrCat(label, ": unknown retention rule ", Quote(p.retention),
                            DidYouMean(NearestNames(p.retention, rule_ids))));
    }

    // Erasure exceptions, role, direct marketing.
    for (std::size_t ei = 0; ei < p.erasure_exceptions.size(); ++ei) {
      if (p.erasure_exceptions[ei] == ErasureException::kUnspecified) {
        sink.Add(Severity::kError, "unknown-erasure-exception", p.id,
                 absl::StrCat(at, ".erasure_exceptions[", ei, "]"),
                 absl::StrCat(label, ": an erasure exception must be one of Art. 17(3)(a)-(e): ",
                              "FREEDOM_OF_EXPRESSION, LEGAL_OBLIGATION_OR_PUBLIC_TASK, "
                              "PUBLIC_HEALTH, ARCHIVING_RESEARCH_STATISTICS, LEGAL_CLAIMS"));
      }
    }
    if (p.role != ControllerRole::kController && p.controller_of_data.empty()) {
      sink.Add(Severity::kWarning, "controller-of-data-missing", p.id,
               absl::StrCat(at, ".controller_of_data"),
               absl::StrCat(label, " is not the organisation's as controller, but names no ",
                            "controller to whom data subjects turn (controller_of_data)"));
    }
    for (const std::string& code : p.basis) {
      if (code == "DK-DBL-8-3") {
        sink.Add(Severity::kInfo, "dbl-8-3-which-sentence", p.id, basis_path,
                 absl::StrCat(label, " cites DBL § 8, stk. 3 without saying which sentence: ",
                              "DK-DBL-8-3-1 (explicit consent, which may be withdrawn) or ",
                              "DK-DBL-8-3-2 (legitimate interest, which may be objected to)"));
      }
    }

    // Recipients.
    for (std::size_t ri = 0; ri < p.recipients.size(); ++ri) {
      const Recipient& r = p.recipients[ri];
      // Published without the data subject's consent: special-category,
      // offence or CPR data need a ground for publication that the record
      // does not give (with consent, Art. 9(2)(a) or DBL § 11(2)(2) can).
      if (r.kind == RecipientKind::kPublic && (effects & kEffectConsent) == 0 &&
          (flags & (kCategorySpecial | kCategoryNationalId | kCategoryCriminal))) {
        sink.Add(Severity::kWarning, "sensitive-data-published", p.id,
                 absl::StrCat(at, ".recipients[", ri, "]"),
                 absl::StrCat(label, " publishes (recipient ", Quote(r.name), ") data of a ",
                              "special category, on offences or CPR numbers without the data ",
                              "subject's consent; publication needs its own ground and is rarely ",
                              "lawful for these"));
      }
      if (!InEea(r.country) && r.transfer_basis.empty()) {
        sink.Add(Severity::kWarning, "transfer-without-basis", p.id,
                 absl::StrCat(at, ".recipients[", ri, "]"),
                 absl::StrCat(label, ": recipient ", Quote(r.name), " is in ", r.country,
                              ", outside the EU/EEA, and no transfer basis (Art. 45-49) is ",
                              "recorded"));
      }
    }

    // Access grants.
    if (p.access.empty()) {
      sink.Add(Severity::kInfo, "no-access-grant", p.id, absl::StrCat(at, ".access"),
               absl::StrCat(label, " grants no team access; nobody may see its data"));
    }
    for (std::size_t gi = 0; gi < p.access.size(); ++gi) {
      const AccessGrant& g = p.access[gi];
      const std::string gpath = absl::StrCat(at, ".access[", gi, "]");
      auto team =
          std::find_if(teams_.begin(), teams_.end(), [&](const Team& t) { return t.id == g.team; });
      if (team == teams_.end()) {
        sink.Add(Severity::kError, "unknown-team", p.id, gpath,
                 absl::StrCat(label, ": access granted to unknown team ", Quote(g.team),
                              DidYouMean(NearestNames(g.team, team_ids))));
        continue;
      }
      if (team->roles.empty()) continue;
      for (const std::string& role : g.roles) {
        if (std::find(team->roles.begin(), team->roles.end(), role) == team->roles.end()) {
          std::vector<std::string_view> roles(team->roles.begin(), team->roles.end());
          sink.Add(Severity::kError, "unknown-role", p.id, gpath,
                   absl::StrCat(label, ": team ", Quote(g.team), " has no role ", Quote(role),
                                DidYouMean(NearestNames(role, roles))));
        }
      }
    }
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

namespace {

absl::Status UnknownPurpose(const Policy& policy, std::string_view id) {
  std::vector<std::string_view> ids;
  for (const Purpose& p : policy.purposes()) ids.push_back(p.id);
  return absl::NotFoundError(absl::StrCat("no purpose ", Quote(id), " in policy ",
                                          policy.source_name(), DidYouMean(NearestNames(id, ids))));
}

}  // namespace

namespace {

// The text of an Art. 17(3) exception, named by its letter.
const char* ErasureExceptionText(ErasureException e) {
  switch (e) {
    case ErasureException::kFreedomOfExpression:
      return "Art. 17(3)(a): exercising the right of freedom of expression and information";
    case ErasureException::kLegalObligationOrPublicTask:
      return "Art. 17(3)(b): compliance with a legal obligation, or a task in the public "
             "interest or in the exercise of official authority";
    case ErasureException::kPublicHealth:
      return "Art. 17(3)(c): reasons of public interest in the area of public health";
    case ErasureException::kArchivingResearchStatistics:
      return "Art. 17(3)(d): archiving, research or statistics where erasure would seriously "
             "impair the purpose";
    case ErasureException::kLegalClaims:
      return "Art. 17(3)(e): establishment, exercise or defence of legal claims";
    case ErasureException::kUnspecified:
      break;
  }
  return "";
}

}  // namespace

absl::StatusOr<std::vector<RightAssessment>> Policy::Rights(std::string_view purpose_id) const {
  const Purpose* p = FindPurpose(purpose_id);
  if (p == nullptr) return UnknownPurpose(*this, purpose_id);

  std::vector<RightAssessment> out;
  out.reserve(kRightCount);
  auto add = [&out](Right r, bool applies, std::string reason) {
    out.push_back(RightAssessment{r, applies, std::move(reason)});
  };

  // Data the organisation is not the controller of: the rights are exercised
  // with their controller (Art. 12-22 bind the controller; a processor assists
  // it, Art. 28(3)(e)).
  if (p->role != ControllerRole::kController) {
    const std::string who =
        p->controller_of_data.empty() ? "their controller" : Quote(p->controller_of_data);
    const std::string reason =
        p->role == ControllerRole::kProcessor
            ? absl::StrCat("the organisation processes these data on behalf of ", who,
                           ", the controller, who answers the request (the processor assists, "
                           "Art. 28(3)(e))")
            : absl::StrCat("the organisation is not the controller of these data: ", who,
                           " is, and answers the request");
    for (std::size_t i = 0; i < kRightCount; ++i) add(kRights[i].right, false, reason);
    return out;
  }

  std::uint32_t e = kEffectNone;
  for (const std::string& code : p->basis) e |= BasisEffects(code);
  bool from_subject = p->sources.empty();
  bool from_others = p->sources.empty();
  for (const Source& s : p->sources) (s.from_data_subject ? from_subject : from_others) = true;

  add(Right::kInformationCollected, from_subject,
      from_subject ? (p->sources.empty() ? "Art. 13: sources are not recorded, so information "
                                           "at collection is assumed due"
                                         : "Art. 13: data are collected from the data subject")
                   : "Art. 13 does not apply: no data are collected from the data subject "
                     "(Art. 14 applies instead)");
  add(Right::kInformationObtained, from_others,
      from_others ? (p->sources.empty() ? "Art. 14: sources are not recorded, so information "
                                          "on data from other sources is assumed due"
                                        : "Art. 14: data are obtained from other sources")
                  : "Art. 14 does not apply: all data are collected from the data subject "
                    "(Art. 13 applies instead)");
  add(Right::kAccess, true, "Art. 15: applies to all processing");
  add(Right::kRectification, true, "Art. 16: applies to all processing");

  // Erasure: the exceptions of Art. 17(3) that follow from the bases.
  std::vector<std::string> exceptions;
  if (e & kEffectLegalObligation) {
    exceptions.push_back(
        "Art. 17(3)(b): processing is necessary for compliance with a legal "
        "obligation");
  }
  if (e & kEffectPublicTask) {
    exceptions.push_back(
        "Art. 17(3)(b): processing is necessary for a task in the public "
        "interest or in the exercise of official authority");
  }
  if (e & kEffectPublicHealth) {
    exceptions.push_back(
        "Art. 17(3)(c): reasons of public interest in the area of public "
        "health (Art. 9(2)(i))");
  }
  if (e & kEffectArchiving) {
    exceptions.push_back(
        "Art. 17(3)(d): archiving, research or statistics (Art. 9(2)(j)) "
        "where erasure would seriously impair the purpose");
  }
  if (e & kEffectLegalClaims) {
    exceptions.push_back("Art. 17(3)(e): establishment, exercise or defence of legal claims");
  }
  // The exceptions the controller states for the purpose, whatever its bases
  // (each letter once).
  for (ErasureException x : p->erasure_exceptions) {
    const std::string text = ErasureExceptionText(x);
    if (text.empty()) continue;
    const std::string letter = text.substr(0, 13);  // "Art. 17(3)(e)"
    const bool seen = std::any_of(exceptions.begin(), exceptions.end(), [&](const std::string& t) {
      return t.compare(0, letter.size(), letter) == 0;
    });
    if (!seen) exceptions.push_back(absl::StrCat(text, " (stated for this purpose)"));
  }
  std::string published;
  for (const Recipient& r : p->recipients) {
    if (r.kind == RecipientKind::kPublic) {
      absl::StrAppend(&published, published.empty() ? "" : ", ", Quote(r.name));
    }
  }
  if (exceptions.empty()) {
    add(Right::kErasure, true,
        published.empty()
            ? "Art. 17(1): applies; none of the exceptions of Art. 17(3) follows from the bases"
            : absl::StrCat("Art. 17(1): applies; none of the exceptions of Art. 17(3) follows "
                           "from the bases; the data are published (",
                           published,
                           "), so Art. 17(2) asks the controller to inform those processing "
                           "them that erasure was requested"));
  } else {
    add(Right::kErasure, false,
        absl::StrCat("erasure on request is excluded by ", absl::StrJoin(exceptions, "; ")));
  }

  add(Right::kRestriction, true, "Art. 18: applies to all processing");
  add(Right::kNotification, true,
      "Art. 19: recipients are told of rectification, erasure or restriction");

  // Portability: Art. 20(1)(a)-(b) and 20(3).
  if ((e & (kEffectConsent | kEffectContract)) == 0) {
    add(Right::kPortability, false,
        "Art. 20(1)(a): portability applies only to processing based on consent "
        "(Art. 6(1)(a), 9(2)(a)) or on a contract (Art. 6(1)(b))");
  } else if (!p->automated_processing) {
    add(Right::kPortability, false,
        "Art. 20(1)(b): portability applies only to processing carried out by automated means");
  } else if (e & kEffectPublicTask) {
    add(Right::kPortability, false,
        "Art. 20(3): portability does not apply to processing necessary for a task in the "
        "public interest or in the exercise of official authority");
  } else {
    add(Right::kPortability, true,
        "Art. 20(1): processing is based on consent or contract and carried out by automated "
        "means");
  }

  if (p->direct_marketing) {
    add(Right::kObjection, true,
        "Art. 21(2)-(3): processing for direct marketing, which the data subject may object to "
        "at any time; the data must then no longer be processed for it");
  } else if (e & (kEffectPublicTask | kEffectLegitimateInterest)) {
    add(Right::kObjection, true,
        "Art. 21(1): processing is based on Art. 6(1)(e) or (f), so the data subject may object");
  } else {
    add(Right::kObjection, false,
        "Art. 21(1): the right to object applies only to processing based on public task "
        "(Art. 6(1)(e)) or legitimate interest (Art. 6(1)(f)); for direct marketing it always "
        "applies (Art. 21(2))");
  }

  if (p->automated_decision_making) {
    add(Right::kAutomatedDecision, true,
        "Art. 22: the purpose involves solely automated decisions with legal or similarly "
        "significant effect");
  } else {
    add(Right::kAutomatedDecision, false,
        "Art. 22(1): the purpose involves no solely automated decision with legal or similarly "
        "significant effect");
  }

  if (e & kEffectConsent) {
    add(Right::kWithdrawConsent, true,
        "Art. 7(3): processing rests on consent, which may be withdrawn at any time");
  } else {
    add(Right::kWithdrawConsent, false,
        "Art. 7(3): processing does not rest on consent, so there is none to withdraw");
  }
  return out;
}

absl::StatusOr<bool> Policy::MayAccess(const Principal& principal,
                                       std::string_view purpose_id) const {
  if (principal.team.empty()) {
    return absl::InvalidArgumentError("principal has no team; access is decided per team");
  }
  const Purpose* p = FindPurpose(purpose_id);
  if (p == nullptr) return UnknownPurpose(*this, purpose_id);
  for (const AccessGrant& g : p->access) {
    if (g.team != principal.team) continue;
    if (g.roles.empty()) return true;
    if (std::find(g.roles.begin(), g.roles.end(), principal.role) != g.roles.end()) return true;
  }
  return false;
}

std::vector<const Purpose*> Policy::PurposesUsing(std::string_view category_key) const {
  std::vector<const Purpose*> out;
  for (const Purpose& p : purposes_) {
    for (const std::string& c : p.categories) {
      // A purpose listing "health" uses "health.diagnosis" data, and one
      // listing "health.diagnosis" uses "health" data.
      if (CategoryCovers(c, category_key) || CategoryCovers(category_key, c)) {
        out.push_back(&p);
        break;
      }
    }
  }
  return out;
}

std::vector<const Purpose*> Policy::VisiblePurposes(const Principal& principal) const {
  std::vector<const Purpose*> out;
  for (const Purpose& p : purposes_) {
    absl::StatusOr<bool> ok = MayAccess(principal, p.id);
    if (ok.ok() && *ok) out.push_back(&p);
  }
  return out;
}

}  // namespace gdprkit
