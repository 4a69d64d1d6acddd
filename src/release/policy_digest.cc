// PolicyDigest (gdprkit/release.h): BLAKE2b-256 of the policy as a
// gdprkit.v1.Policy message, serialised deterministically.
//
// Policy keeps the rules it read, not the message, so the message is built
// again here from the read-only view: every field the view holds, in the
// view's order. The digest therefore names the rules as gdprkit reads them:
// the same policy in text format or JSON, with other comments or layout,
// has the same digest; a changed rule changes it. What the view settles
// while reading goes in settled (a declared category's markings include
// those it inherits; an unknown enum number reads as the view's value; the
// schema is "gdprkit.v1"; built-in categories are not part of the policy).
#include <sodium.h>

#include <string>

#include "gdprkit/basis.h"
#include "gdprkit/policy.h"
#include "gdprkit/release.h"
#include "gdprkit/v1/policy.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "release/internal/policy_message.h"

namespace gdprkit {
namespace {

v1::RecipientKind ProtoKind(RecipientKind k) {
  switch (k) {
    case RecipientKind::kController:
      return v1::CONTROLLER;
    case RecipientKind::kProcessor:
      return v1::PROCESSOR;
    case RecipientKind::kPublicAuthority:
      return v1::PUBLIC_AUTHORITY;
    case RecipientKind::kPublic:
      return v1::PUBLIC;
    default:
      return v1::RECIPIENT_KIND_UNSPECIFIED;
  }
}

v1::ControllerRole ProtoRole(ControllerRole r) {
  switch (r) {
    case ControllerRole::kProcessor:
      return v1::ROLE_PROCESSOR;
    case ControllerRole::kNotController:
      return v1::ROLE_NOT_CONTROLLER;
    default:
      return v1::ROLE_CONTROLLER;
  }
}

v1::RetentionAction ProtoAction(RetentionAction a) {
  switch (a) {
    case RetentionAction::kDeleteAfter:
      return v1::DELETE_AFTER;
    case RetentionAction::kRetainAtLeast:
      return v1::RETAIN_AT_LEAST;
    case RetentionAction::kRetainThenDelete:
      return v1::RETAIN_THEN_DELETE;
    default:
      return v1::RETENTION_ACTION_UNSPECIFIED;
  }
}

v1::ColumnTreatment ProtoTreatment(ColumnTreatment t) {
  switch (t) {
    case ColumnTreatment::kDrop:
      return v1::DROP;
    case ColumnTreatment::kKeep:
      return v1::KEEP;
    case ColumnTreatment::kPseudonymise:
      return v1::PSEUDONYMISE;
    case ColumnTreatment::kGeneralise:
      return v1::GENERALISE;
    default:
      return v1::COLUMN_TREATMENT_UNSPECIFIED;
  }
}

void AddEvents(const std::vector<RetentionEventRef>& events,
               google::protobuf::RepeatedPtrField<v1::RetentionEvent>* out) {
  for (const RetentionEventRef& e : events) {
    v1::RetentionEvent* pe = out->Add();
    pe->set_event(e.event);
    pe->set_period(e.period);
  }
}

void FillPurpose(const Purpose& p, v1::Purpose* out) {
  out->set_id(p.id);
  out->set_title(p.title);
  out->set_description(p.description);
  for (const std::string& s : p.categories) out->add_categories(s);
  for (const std::string& s : p.data_subjects) out->add_data_subjects(s);
  for (const std::string& s : p.basis) out->add_basis(s);
  for (const Recipient& r : p.recipients) {
    v1::Recipient* pr = out->add_recipients();
    pr->set_name(r.name);
    pr->set_kind(ProtoKind(r.kind));
    pr->set_country(r.country);
    pr->set_transfer_basis(r.transfer_basis);
    pr->set_purpose(r.purpose);
  }
  for (const AccessGrant& g : p.access) {
    v1::AccessGrant* pg = out->add_access();
    pg->set_team(g.team);
    for (const std::string& role : g.roles) pg->add_roles(role);
  }
  out->set_retention(p.retention);
  if (p.legitimate_interest.has_value()) {
    v1::BalancingTest* b = out->mutable_legitimate_interest();
    b->set_interest(p.legitimate_interest->interest);
    b->set_assessment(p.legitimate_interest->assessment);
    for (const std::string& s : p.legitimate_interest->safeguards) b->add_safeguards(s);
  }
  if (p.consent.has_value()) {
    out->mutable_consent()->set_record(p.consent->record);
    out->mutable_consent()->set_withdrawal(p.consent->withdrawal);
  }
  for (const Source& s : p.sources) {
    v1::Source* ps = out->add_sources();
    ps->set_name(s.name);
    ps->set_from_data_subject(s.from_data_subject);
  }
  out->set_automated_decision_making(p.automated_decision_making);
  out->set_automated_processing(p.automated_processing);
  out->set_source_text(p.source_text);
  for (ErasureException e : p.erasure_exceptions) {
    out->add_erasure_exceptions(static_cast<v1::ErasureException>(e));
  }
  out->set_role(ProtoRole(p.role));
  out->set_controller_of_data(p.controller_of_data);
  out->set_direct_marketing(p.direct_marketing);
}

void FillRelease(const Release& r, v1::Release* out) {
  out->set_id(r.id);
  out->set_title(r.title);
  out->set_description(r.description);
  out->set_purpose(r.purpose);
  for (const ReleaseColumn& c : r.columns) {
    v1::ReleaseColumn* pc = out->add_columns();
    pc->set_name(c.name);
    pc->set_treatment(ProtoTreatment(c.treatment));
    pc->set_kind(c.kind);
    pc->set_domain(c.domain);
    pc->set_hierarchy(c.hierarchy);
    if (c.level.has_value()) pc->set_level(*c.level);
    pc->set_free_text(c.free_text);
  }
  for (const ReleaseHierarchy& h : r.hierarchies) {
    v1::ReleaseHierarchy* ph = out->add_hierarchies();
    ph->set_name(h.name);
    ph->set_file(h.file);
    for (const ReleaseHierarchyCode& c : h.codes) {
      v1::Hierarchy::Code* pc = ph->add_codes();
      pc->set_code(c.code);
      pc->set_parent(c.parent);
    }
    ph->set_total(h.total);
  }
  if (r.table.has_value()) {
    v1::ReleaseTable* t = out->mutable_table();
    for (const ReleaseDimension& d : r.table->dimensions) {
      v1::ReleaseDimension* pd = t->add_dimensions();
      pd->set_column(d.column);
      pd->set_hierarchy(d.hierarchy);
    }
    t->set_value(r.table->value);
  }
  if (r.extract.has_value()) {
    v1::ReleaseExtract* e = out->mutable_extract();
    for (const std::string& q : r.extract->quasi_identifiers) e->add_quasi_identifiers(q);
    if (r.extract->k.has_value()) e->set_k(*r.extract->k);
  }
  if (r.rules.has_value()) {
    const ReleasePrimaryRules& s = *r.rules;
    v1::PrimaryRules* p = out->mutable_rules();
    if (s.threshold.has_value()) p->set_threshold(*s.threshold);
    p->set_threshold_hides_presence(s.threshold_hides_presence);
    if (s.threshold_range_percent.has_value()) {
      p->set_threshold_range_percent(*s.threshold_range_percent);
    }
    for (const ReleaseDominanceRule& d : s.dominance) {
      v1::DominanceRule* pd = p->add_dominance();
      pd->set_n(d.n);
      pd->set_k(d.k);
    }
    p->set_p_percent(s.p_percent);
    if (s.q_percent.has_value()) p->set_q_percent(*s.q_percent);
    p->set_protect_zeros(s.protect_zeros);
    if (s.zero_upper.has_value()) p->set_zero_upper(*s.zero_upper);
    if (s.manual_percent.has_value()) p->set_manual_percent(*s.manual_percent);
  }
  out->set_max_age(r.max_age);
  out->set_date_column(r.date_column);
  out->set_source_text(r.source_text);
}

}  // namespace

namespace release_internal {

v1::Policy PolicyMessage(const Policy& policy) {
  v1::Policy m;
  m.set_schema("gdprkit.v1");
  const Controller& c = policy.controller();
  v1::Controller* pc = m.mutable_controller();
  pc->set_name(c.name);
  pc->set_cvr(c.cvr);
  pc->set_address(c.address);
  pc->set_contact(c.contact);
  pc->set_dpo_contact(c.dpo_contact);
  pc->set_source(c.source);
  for (const DataCategory& dc : policy.categories()) {
    if (dc.builtin) continue;
    v1::DataCategory* p = m.add_categories();
    p->set_key(dc.key);
    p->set_title(dc.title);
    p->set_description(dc.description);
    p->set_special((dc.flags & kCategorySpecial) != 0);
    p->set_criminal((dc.flags & kCategoryCriminal) != 0);
    p->set_national_id((dc.flags & kCategoryNationalId) != 0);
  }
  for (const LegalReference& r : policy.references()) {
    v1::LegalReference* p = m.add_references();
    p->set_code(r.code);
    p->set_title(r.title);
    p->set_text(r.text);
    p->set_url(r.url);
    if (r.effects & kEffectLegalObligation) p->add_effects(v1::LEGAL_OBLIGATION);
    if (r.effects & kEffectPublicTask) p->add_effects(v1::PUBLIC_TASK);
    if (r.effects & kEffectSpecialCondition) p->add_effects(v1::SPECIAL_CONDITION);
    if (r.effects & kEffectNationalId) p->add_effects(v1::NATIONAL_ID);
    if (r.effects & kEffectCriminal) p->add_effects(v1::CRIMINAL);
  }
  for (const Team& t : policy.teams()) {
    v1::Team* p = m.add_teams();
    p->set_id(t.id);
    p->set_title(t.title);
    for (const std::string& role : t.roles) p->add_roles(role);
  }
  for (const Purpose& p : policy.purposes()) FillPurpose(p, m.add_purposes());
  for (const RetentionRuleRef& r : policy.retention_rules()) {
    v1::RetentionRule* p = m.add_retention_rules();
    p->set_id(r.id);
    p->set_title(r.title);
    p->set_description(r.description);
    p->set_period(r.period);
    p->set_anchor(r.anchor);
    p->set_action(ProtoAction(r.action));
    AddEvents(r.ends_early, p->mutable_ends_early());
    AddEvents(r.extended_by, p->mutable_extended_by());
  }
  for (const Release& r : policy.releases()) FillRelease(r, m.add_releases());
  return m;
}

}  // namespace release_internal

std::string PolicyDigest(const Policy& policy) {
  const v1::Policy m = release_internal::PolicyMessage(policy);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&out);
  }
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string digest = "blake2b-256:";
  for (unsigned char b : hash) {
    digest.push_back(kHex[b >> 4]);
    digest.push_back(kHex[b & 15]);
  }
  return digest;
}

}  // namespace gdprkit
