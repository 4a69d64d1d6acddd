// Serialized requests: gdprkit.v1.SuppressRequest / AuditRequest in, the
// responses out (proto/gdprkit/v1/table.proto). Conversion only; the logic
// lives in the functions of gdprkit/suppression.h.
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/progress.h"
#include "common/status_macros.h"
#include "gdprkit/suppression.h"
#include "gdprkit/v1/table.pb.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "suppression/internal/sdc_model.h"

namespace gdprkit {
namespace {

namespace pb = ::gdprkit::v1;

absl::Status Parse(std::string_view bytes, MessageFormat format, google::protobuf::Message* msg) {
  const std::string what = msg->GetDescriptor()->full_name();
  switch (format) {
    case MessageFormat::kBinary: {
      // protobuf logs bad UTF-8 in string fields to stderr; a library must
      // not write to its host's stderr, and the status says it anyway.
      google::protobuf::LogSilencer quiet;
      if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
          !msg->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        return absl::InvalidArgumentError(
            absl::StrCat("not a valid serialized ", what,
                         " (truncated, not this message, or text that is "
                         "not UTF-8 in a string field)"));
      }
      return absl::OkStatus();
    }
    case MessageFormat::kJson: {
      auto st = google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(bytes.data(), bytes.size()), msg);
      if (!st.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("not a valid JSON ", what, ": ", std::string(st.message())));
      }
      return absl::OkStatus();
    }
    case MessageFormat::kText: {
      // Collects the parser's first error instead of letting it log.
      class Collector : public google::protobuf::io::ErrorCollector {
       public:
        void AddError(int line, int column, const std::string& message) override {
          if (first.empty()) first = absl::StrCat(line + 1, ":", column + 1, ": ", message);
        }
        std::string first;
      };
      Collector errors;
      google::protobuf::TextFormat::Parser parser;
      parser.RecordErrorsTo(&errors);
      if (!parser.ParseFromString(std::string(bytes), msg)) {
        return absl::InvalidArgumentError(
            absl::StrCat("not a valid text-format ", what, ": ", errors.first));
      }
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError("unknown message format");
}

absl::StatusOr<std::string> Serialize(const google::protobuf::Message& msg, MessageFormat format) {
  std::string out;
  switch (format) {
    case MessageFormat::kBinary:
      if (!msg.SerializeToString(&out)) return absl::InternalError("serialization failed");
      return out;
    case MessageFormat::kJson: {
      google::protobuf::util::JsonPrintOptions opt;
      opt.preserve_proto_field_names = true;
      auto st = google::protobuf::util::MessageToJsonString(msg, &out, opt);
      if (!st.ok()) return absl::InternalError(std::string(st.message()));
      return out;
    }
    case MessageFormat::kText:
      if (!google::protobuf::TextFormat::PrintToString(msg, &out)) {
        return absl::InternalError("serialization failed");
      }
      return out;
  }
  return absl::InvalidArgumentError("unknown message format");
}

template <typename T>
double Or(bool has, T value, double dflt) {
  return has ? static_cast<double>(value) : dflt;
}

absl::StatusOr<TableKind> Kind(int k) {
  switch (k) {
    case pb::TABLE_KIND_FREQUENCY:
      return TableKind::kFrequency;
    case pb::TABLE_KIND_MAGNITUDE:
      return TableKind::kMagnitude;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown table kind ", k));
}

absl::StatusOr<CellMark> Mark(int m) {
  switch (m) {
    case pb::CELL_MARK_NONE:
      return CellMark::kNone;
    case pb::CELL_MARK_UNSAFE:
      return CellMark::kUnsafe;
    case pb::CELL_MARK_SAFE:
      return CellMark::kSafe;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown cell mark ", m));
}

absl::StatusOr<CellTable> FromTablesMsg(const pb::Tables& msg) {
  std::vector<TableInput> tables;
  for (const pb::Table& t : msg.tables()) {
    TableInput in;
    in.name = t.name();
    absl::StatusOr<TableKind> kind = Kind(t.kind());
    if (!kind.ok()) return kind.status();
    in.kind = *kind;
    for (const pb::Hierarchy& h : t.dimensions()) {
      std::vector<std::pair<std::string, std::string>> cp;
      for (const pb::Hierarchy::Code& c : h.codes()) cp.emplace_back(c.code(), c.parent());
      absl::StatusOr<Hierarchy> hier = Hierarchy::FromParents(h.name(), cp);
      if (!hier.ok()) return hier.status();
      in.dimensions.push_back(*std::move(hier));
    }
    in.cells.reserve(t.cells_size());
    for (const pb::TableCell& c : t.cells()) {
      TableCell cell;
      cell.codes.assign(c.codes().begin(), c.codes().end());
      cell.value = c.value();
      cell.contributors = c.has_contributors() ? c.contributors() : -1;
      cell.largest.assign(c.largest().begin(), c.largest().end());
      cell.cost = Or(c.has_cost(), c.cost(), kUnset);
      absl::StatusOr<CellMark> mark = Mark(c.mark());
      if (!mark.ok()) return mark.status();
      cell.mark = *mark;
      cell.manual_upper = Or(c.has_manual_upper(), c.manual_upper(), kUnset);
      cell.manual_lower = Or(c.has_manual_lower(), c.manual_lower(), kUnset);
      in.cells.push_back(std::move(cell));
    }
    tables.push_back(std::move(in));
  }
  BuildOptions options;
  options.missing_cells_are_zero = msg.options().missing_cells_are_zero();
  if (msg.options().has_relative_tolerance()) {
    options.relative_tolerance = msg.options().relative_tolerance();
  }
  return CellTable::FromTables(tables, options);
}

absl::StatusOr<CellTable> FromRelationsMsg(const pb::RelationTable& msg) {
  absl::StatusOr<TableKind> kind = Kind(msg.kind());
  if (!kind.ok()) return kind.status();
  std::vector<LinearCell> cells;
  for (const pb::LinearCell& c : msg.cells()) {
    LinearCell cell;
    cell.name = c.name();
    cell.value = c.value();
    cell.contributors = c.has_contributors() ? c.contributors() : -1;
    cell.largest.assign(c.largest().begin(), c.largest().end());
    cell.cost = Or(c.has_cost(), c.cost(), kUnset);
    absl::StatusOr<CellMark> mark = Mark(c.mark());
    if (!mark.ok()) return mark.status();
    cell.mark = *mark;
    cell.manual_upper = Or(c.has_manual_upper(), c.manual_upper(), kUnset);
    cell.manual_lower = Or(c.has_manual_lower(), c.manual_lower(), kUnset);
    cell.lower_bound = Or(c.has_lower_bound(), c.lower_bound(), kUnset);
    cell.upper_bound = Or(c.has_upper_bound(), c.upper_bound(), kUnset);
    cells.push_back(std::move(cell));
  }
  std::vector<LinearRelation> relations;
  for (const pb::LinearRelation& r : msg.relations()) {
    LinearRelation rel;
    rel.cells.assign(r.cells().begin(), r.cells().end());
    rel.coefficients.assign(r.coefficients().begin(), r.coefficients().end());
    rel.rhs = r.rhs();
    relations.push_back(std::move(rel));
  }
  return CellTable::FromRelations(*kind, cells, relations,
                                  msg.has_relative_tolerance() ? msg.relative_tolerance() : 1e-9);
}

PrimaryRules RulesFrom(const pb::PrimaryRules& m) {
  PrimaryRules r;
  if (m.has_threshold()) r.threshold = m.threshold();
  r.threshold_hides_presence = m.threshold_hides_presence();
  if (m.has_threshold_range_percent()) r.threshold_range_percent = m.threshold_range_percent();
  for (const pb::DominanceRule& d : m.dominance()) r.dominance.push_back({d.n(), d.k()});
  r.p_percent = m.p_percent();
  if (m.has_q_percent()) r.q_percent = m.q_percent();
  r.protect_zeros = m.protect_zeros();
  if (m.has_zero_upper()) r.zero_upper = m.zero_upper();
  if (m.has_manual_percent()) r.manual_percent = m.manual_percent();
  return r;
}

absl::StatusOr<AuditOptions> AuditOptionsFrom(const pb::AuditOptions& m) {
  AuditOptions o;
  switch (m.mode()) {
    case pb::AUDIT_MODE_AUTO:
      o.mode = AuditMode::kAuto;
      break;
    case pb::AUDIT_MODE_EXACT:
      o.mode = AuditMode::kExact;
      break;
    case pb::AUDIT_MODE_CERTIFIED:
      o.mode = AuditMode::kCertified;
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat("unknown audit mode ", m.mode()));
  }
  if (m.has_exact_component_limit()) o.exact_component_limit = m.exact_component_limit();
  if (m.has_tolerance()) o.tolerance = m.tolerance();
  return o;
}

absl::StatusOr<SuppressOptions> OptionsFrom(const pb::SuppressOptions& m) {
  SuppressOptions o;
  switch (m.method()) {
    case pb::SECONDARY_METHOD_AUTO:
      o.method = SecondaryMethod::kAuto;
      break;
    case pb::SECONDARY_METHOD_HEURISTIC:
      o.method = SecondaryMethod::kHeuristic;
      break;
    case pb::SECONDARY_METHOD_OPTIMAL:
      o.method = SecondaryMethod::kOptimal;
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat("unknown secondary method ", m.method()));
  }
  switch (m.cost()) {
    case pb::COST_MODEL_CELLS:
      o.cost = CostModel::kCells;
      break;
    case pb::COST_MODEL_VALUE:
      o.cost = CostModel::kValue;
      break;
    case pb::COST_MODEL_CONTRIBUTORS:
      o.cost = CostModel::kContributors;
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat("unknown cost model ", m.cost()));
  }
  if (m.has_optimal_max_cells()) o.optimal_max_cells = m.optimal_max_cells();
  if (m.has_time_limit_seconds()) o.time_limit_seconds = m.time_limit_seconds();
  if (m.has_effort()) o.effort = m.effort();
  absl::StatusOr<AuditOptions> audit = AuditOptionsFrom(m.audit());
  if (!audit.ok()) return audit.status();
  o.audit = *audit;
  return o;
}

// The table and its protection from a request's source, rules and JJ flag.
struct Problem {
  CellTable table;
  std::vector<Protection> protection;
  std::vector<bool> jj_suppressed;
};

template <typename Request>
absl::StatusOr<Problem> ProblemFrom(const Request& req) {
  Problem out;
  switch (req.source_case()) {
    case Request::kTables: {
      absl::StatusOr<CellTable> t = FromTablesMsg(req.tables());
      if (!t.ok()) return t.status();
      out.table = *std::move(t);
      break;
    }
    case Request::kRelations: {
      absl::StatusOr<CellTable> t = FromRelationsMsg(req.relations());
      if (!t.ok()) return t.status();
      out.table = *std::move(t);
      break;
    }
    case Request::kJj: {
      absl::StatusOr<JJProblem> jj = ParseJJ(req.jj());
      if (!jj.ok()) return jj.status();
      out.table = jj->table;
      if (req.use_jj_protection()) {
        out.protection = std::move(jj->protection);
        out.jj_suppressed = std::move(jj->suppressed);
        return out;
      }
      break;
    }
    default:
      return absl::InvalidArgumentError("the request has no tables, relations or JJ text");
  }
  if (req.use_jj_protection()) {
    return absl::InvalidArgumentError("use_jj_protection needs a JJ source");
  }
  absl::StatusOr<std::vector<Protection>> prot =
      ApplyPrimaryRules(out.table, RulesFrom(req.rules()));
  if (!prot.ok()) return prot.status();
  out.protection = *std::move(prot);
  return out;
}

void FillProtection(const Protection& p, pb::Protection* m) {
  m->set_primary(p.primary);
  m->set_reasons(p.reasons);
  m->set_upper(p.upper);
  m->set_lower(p.lower);
  m->set_sliding(p.sliding);
}

void FillAudit(const AuditReport& a, pb::AuditReport* m) {
  m->set_passed(a.passed);
  m->set_num_suppressed(a.num_suppressed);
  m->set_num_determined(a.num_determined);
  m->set_num_components(a.num_components);
  m->set_largest_component(a.largest_component);
  m->set_lp_solves(a.lp_solves);
  m->set_witnesses_checked(a.witnesses_checked);
  for (const PrimaryVerdict& v : a.primaries) {
    pb::PrimaryVerdict* pv = m->add_primaries();
    pv->set_cell(v.cell);
    pv->set_value(v.value);
    pv->set_need_lower(v.need_lower);
    pv->set_need_upper(v.need_upper);
    pv->set_sliding(v.sliding);
    pv->set_lower(v.lower);
    pv->set_upper(v.upper);
    pv->set_exact(v.exact);
    pv->set_safe(v.safe);
    pv->set_reason(v.reason);
  }
}

// One CellResult per cell, with its locations and, for suppressed cells, the
// audit interval.
void FillCells(const CellTable& t, const std::vector<CellStatus>& status,
               const std::vector<Protection>& protection, const std::vector<double>* cost,
               const AuditReport& audit, google::protobuf::RepeatedPtrField<pb::CellResult>* out) {
  const int n = t.num_cells();
  out->Reserve(n);
  std::vector<const SuppressedInterval*> iv(n, nullptr);
  for (const SuppressedInterval& i : audit.intervals) iv[i.cell] = &i;
  for (int c = 0; c < n; ++c) {
    pb::CellResult* r = out->Add();
    r->set_cell(c);
    r->set_name(t.cell_name(c));
    r->set_value(t.value(c));
    r->set_status(static_cast<pb::CellStatus>(status[c]));
    FillProtection(protection[c], r->mutable_protection());
    if (cost != nullptr) r->set_cost((*cost)[c]);
    if (iv[c] != nullptr) {
      r->set_interval_kind(static_cast<pb::IntervalKind>(iv[c]->kind));
      if (iv[c]->kind != IntervalKind::kNotComputed) {
        r->set_lower(iv[c]->lower);
        r->set_upper(iv[c]->upper);
      }
    }
    for (const CellLocation& loc : t.Locations(c)) {
      pb::Location* l = r->add_locations();
      l->set_table(t.table_name(loc.table));
      const std::vector<Hierarchy>& dims = t.table_dimensions(loc.table);
      for (size_t d = 0; d < loc.codes.size(); ++d) l->add_codes(dims[d].code(loc.codes[d]));
    }
  }
}

}  // namespace

absl::StatusOr<std::string> SuppressSerialized(std::string_view request, MessageFormat format) {
  return SuppressSerialized(request, format, ProgressFn());
}

absl::StatusOr<std::string> SuppressSerialized(std::string_view request, MessageFormat format,
                                               const ProgressFn& progress) {
  pb::SuppressRequest req;
  if (absl::Status st = Parse(request, format, &req); !st.ok()) return st;
  // The rules (or the JJ levels) are applied as the problem is read: the
  // stage "primary" spans the reading.
  internal::ProgressStage primary(progress, "primary", 1);
  GDPRKIT_RETURN_IF_ERROR(primary.Start());
  absl::StatusOr<Problem> problem = ProblemFrom(req);
  if (!problem.ok()) return problem.status();
  GDPRKIT_RETURN_IF_ERROR(primary.Finish());
  absl::StatusOr<SuppressOptions> options = OptionsFrom(req.options());
  if (!options.ok()) return options.status();
  options->progress = progress;
  absl::StatusOr<SuppressionResult> r =
      SuppressWithProtection(problem->table, problem->protection, *options);
  if (!r.ok()) return r.status();
  pb::SuppressResponse resp;
  FillCells(problem->table, r->status, r->protection, &r->cost, r->audit, resp.mutable_cells());
  resp.set_total_cost(r->total_cost);
  resp.set_num_primary(r->num_primary);
  resp.set_num_secondary(r->num_secondary);
  resp.set_method(static_cast<pb::SecondaryMethod>(r->method));
  resp.set_proven_optimal(r->proven_optimal);
  resp.set_lower_bound(r->lower_bound);
  FillAudit(r->audit, resp.mutable_audit());
  resp.set_seconds(r->seconds);
  return Serialize(resp, format);
}

absl::StatusOr<std::string> AuditSerialized(std::string_view request, MessageFormat format) {
  return AuditSerialized(request, format, ProgressFn());
}

absl::StatusOr<std::string> AuditSerialized(std::string_view request, MessageFormat format,
                                            const ProgressFn& progress) {
  pb::AuditRequest req;
  if (absl::Status st = Parse(request, format, &req); !st.ok()) return st;
  absl::StatusOr<Problem> problem = ProblemFrom(req);
  if (!problem.ok()) return problem.status();
  const CellTable& t = problem->table;
  const int n = t.num_cells();
  std::vector<bool> suppressed = problem->jj_suppressed;
  suppressed.resize(n, false);
  for (int c : req.suppressed_cells()) {
    if (c < 0 || c >= n) {
      return absl::InvalidArgumentError(
          absl::StrCat("suppressed cell ", c, " is not a cell (", n, " cells)"));
    }
    suppressed[c] = true;
  }
  for (const pb::Location& loc : req.suppressed_locations()) {
    std::vector<std::string> codes(loc.codes().begin(), loc.codes().end());
    absl::StatusOr<int> c = t.FindCell(loc.table(), codes);
    if (!c.ok()) return absl::InvalidArgumentError(std::string(c.status().message()));
    suppressed[*c] = true;
  }
  absl::StatusOr<AuditOptions> options = AuditOptionsFrom(req.options());
  if (!options.ok()) return options.status();
  options->progress = progress;
  absl::StatusOr<AuditReport> a = Audit(t, problem->protection, suppressed, *options);
  if (!a.ok()) return a.status();
  std::vector<CellStatus> status(n, CellStatus::kPublished);
  for (int c = 0; c < n; ++c) {
    if (problem->protection[c].primary) {
      status[c] = suppressed[c] ? CellStatus::kPrimary : CellStatus::kPublished;
    } else if (suppressed[c]) {
      status[c] = CellStatus::kSecondary;
    }
  }
  pb::AuditResponse resp;
  FillCells(t, status, problem->protection, nullptr, *a, resp.mutable_cells());
  FillAudit(*a, resp.mutable_audit());
  return Serialize(resp, format);
}

}  // namespace gdprkit
