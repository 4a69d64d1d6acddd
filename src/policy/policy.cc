// A loaded Policy: lookups, the rights matrix and team isolation. Loading is
// in parse.cc, validation in validate.cc, the names and the lookups that
// answer with a status in vocabulary.cc.
#include "gdprkit/policy.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "common/text.h"

namespace gdprkit {

using internal::Quote;

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

const Release* Policy::FindRelease(std::string_view id) const {
  for (const Release& r : releases_) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const ReleaseColumn* Release::FindColumn(std::string_view name) const {
  for (const ReleaseColumn& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const ReleaseHierarchy* Release::FindHierarchy(std::string_view name) const {
  for (const ReleaseHierarchy& h : hierarchies) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

const DataCategory* Policy::FindCategory(std::string_view key) const {
  for (const DataCategory& c : categories_) {
    if (c.key == key) return &c;
  }
  return nullptr;
}

std::string Policy::BasisTitle(std::string_view code, Language language) const {
  if (const LegalBasisInfo* b = FindLegalBasis(code)) return std::string(b->TitleIn(language));
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

absl::StatusOr<std::vector<RightAssessment>> Policy::Rights(std::string_view purpose_id) const {
  GDPRKIT_ASSIGN_OR_RETURN(const Purpose* p, GetPurpose(purpose_id));

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
    const std::string text(ErasureExceptionTitle(x, Language::kEnglish));
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
  GDPRKIT_ASSIGN_OR_RETURN(const Purpose* p, GetPurpose(purpose_id));
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
