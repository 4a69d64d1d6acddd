// Loading policy files: text format or JSON -> gdprkit::Policy.
#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sv.h"
#include "common/text_checks.h"
#include "gdprkit/policy.h"
#include "gdprkit/v1/policy.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "policy/internal/json_lines.h"

namespace gdprkit {
namespace {

namespace pb = ::google::protobuf;

// Collects the first error of the text-format parser, with its position.
class FirstErrorCollector : public pb::io::ErrorCollector {
 public:
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    if (!has_error_) {
      has_error_ = true;
      line_ = line + 1;
      column_ = column + 1;
      message_ = message;
      // protobuf names the token it found, which at the end of the input is
      // nothing ("Expected identifier, got: "): say what it is.
      if (absl::EndsWith(message_, "got: ")) {
        message_ += "the end of the file (is it truncated, or a closing '}' missing?)";
      }
    }
  }
  void AddWarning(int, pb::io::ColumnNumber, const std::string&) override {}

  bool has_error() const { return has_error_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& message() const { return message_; }

 private:
  bool has_error_ = false;
  int line_ = 0;
  int column_ = 0;
  std::string message_;
};

// "Message type "gdprkit.v1.Purpose" has no field named "bassis"." -> a hint
// naming the nearest field names of that message.
std::string UnknownFieldHint(const std::string& message) {
  static constexpr std::string_view kType = "Message type \"";
  static constexpr std::string_view kField = "has no field named \"";
  const std::size_t t = message.find(kType);
  const std::size_t f = message.find(kField);
  if (t == std::string::npos || f == std::string::npos) return "";
  const std::size_t t0 = t + kType.size();
  const std::size_t t1 = message.find('"', t0);
  const std::size_t f0 = f + kField.size();
  const std::size_t f1 = message.find('"', f0);
  if (t1 == std::string::npos || f1 == std::string::npos) return "";
  const pb::Descriptor* d =
      pb::DescriptorPool::generated_pool()->FindMessageTypeByName(message.substr(t0, t1 - t0));
  if (d == nullptr) return "";
  std::vector<std::string_view> names;
  for (int i = 0; i < d->field_count(); ++i) names.emplace_back(d->field(i)->name());
  const std::vector<std::string> near = NearestNames(message.substr(f0, f1 - f0), names);
  if (near.empty()) return "";
  return absl::StrCat(" (did you mean: ", absl::StrJoin(near, ", "), "?)");
}

std::uint32_t EffectsOf(const v1::LegalReference& ref) {
  std::uint32_t effects = kEffectNone;
  for (int e : ref.effects()) {
    switch (static_cast<v1::ReferenceEffect>(e)) {
      case v1::LEGAL_OBLIGATION:
        effects |= kEffectLegalObligation;
        break;
      case v1::PUBLIC_TASK:
        effects |= kEffectPublicTask;
        break;
      case v1::SPECIAL_CONDITION:
        effects |= kEffectSpecialCondition;
        break;
      case v1::NATIONAL_ID:
        effects |= kEffectNationalId;
        break;
      case v1::CRIMINAL:
        effects |= kEffectCriminal;
        break;
      default:
        break;
    }
  }
  return effects;
}

RecipientKind KindOf(v1::RecipientKind k) {
  switch (k) {
    case v1::CONTROLLER:
      return RecipientKind::kController;
    case v1::PROCESSOR:
      return RecipientKind::kProcessor;
    case v1::PUBLIC_AUTHORITY:
      return RecipientKind::kPublicAuthority;
    case v1::PUBLIC:
      return RecipientKind::kPublic;
    default:
      return RecipientKind::kUnspecified;
  }
}

ControllerRole RoleOf(v1::ControllerRole r) {
  switch (r) {
    case v1::ROLE_PROCESSOR:
      return ControllerRole::kProcessor;
    case v1::ROLE_NOT_CONTROLLER:
      return ControllerRole::kNotController;
    default:
      return ControllerRole::kController;
  }
}

std::vector<std::string> ToVector(const pb::RepeatedPtrField<std::string>& r) {
  return std::vector<std::string>(r.begin(), r.end());
}

// Records the line of every repeated element and set field, by field path,
// from the text-format parser's location tree.
void RecordTextLines(const pb::Message& msg, const pb::TextFormat::ParseInfoTree* tree,
                     const std::string& prefix, std::map<std::string, int, std::less<>>* out) {
  if (tree == nullptr) return;
  const pb::Descriptor* d = msg.GetDescriptor();
  const pb::Reflection* r = msg.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    const std::string base = prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    if (f->is_repeated()) {
      const int n = r->FieldSize(msg, f);
      for (int j = 0; j < n; ++j) {
        const pb::TextFormat::ParseLocation loc = tree->GetLocation(f, j);
        const std::string path = absl::StrCat(base, "[", j, "]");
        if (loc.line >= 0) (*out)[path] = loc.line + 1;
        if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
          RecordTextLines(r->GetRepeatedMessage(msg, f, j), tree->GetTreeForNested(f, j), path,
                          out);
        }
      }
    } else {
      const pb::TextFormat::ParseLocation loc = tree->GetLocation(f, -1);
      if (loc.line >= 0) (*out)[base] = loc.line + 1;
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && r->HasField(msg, f)) {
        RecordTextLines(r->GetMessage(msg, f), tree->GetTreeForNested(f, -1), base, out);
      }
    }
  }
}

ColumnTreatment TreatmentOf(v1::ColumnTreatment t) {
  switch (t) {
    case v1::COLUMN_TREATMENT_UNSPECIFIED:
      return ColumnTreatment::kUnspecified;
    case v1::DROP:
      return ColumnTreatment::kDrop;
    case v1::KEEP:
      return ColumnTreatment::kKeep;
    case v1::PSEUDONYMISE:
      return ColumnTreatment::kPseudonymise;
    case v1::GENERALISE:
      return ColumnTreatment::kGeneralise;
    default:
      return ColumnTreatment::kUnknown;
  }
}

ReleasePrimaryRules RulesOf(const v1::PrimaryRules& r) {
  ReleasePrimaryRules out;
  if (r.has_threshold()) out.threshold = r.threshold();
  out.threshold_hides_presence = r.threshold_hides_presence();
  if (r.has_threshold_range_percent()) out.threshold_range_percent = r.threshold_range_percent();
  for (const v1::DominanceRule& d : r.dominance()) {
    out.dominance.push_back(ReleaseDominanceRule{d.n(), d.k()});
  }
  out.p_percent = r.p_percent();
  if (r.has_q_percent()) out.q_percent = r.q_percent();
  out.protect_zeros = r.protect_zeros();
  if (r.has_zero_upper()) out.zero_upper = r.zero_upper();
  if (r.has_manual_percent()) out.manual_percent = r.manual_percent();
  return out;
}

Release ReleaseOf(const v1::Release& src) {
  Release dst;
  dst.id = src.id();
  dst.title = src.title();
  dst.description = src.description();
  dst.purpose = src.purpose();
  for (const v1::ReleaseColumn& c : src.columns()) {
    ReleaseColumn col;
    col.name = c.name();
    col.treatment = TreatmentOf(c.treatment());
    col.kind = c.kind();
    col.domain = c.domain();
    col.hierarchy = c.hierarchy();
    if (c.has_level()) col.level = c.level();
    col.free_text = c.free_text();
    dst.columns.push_back(std::move(col));
  }
  for (const v1::ReleaseHierarchy& h : src.hierarchies()) {
    ReleaseHierarchy hier;
    hier.name = h.name();
    hier.file = h.file();
    for (const v1::Hierarchy::Code& code : h.codes()) {
      hier.codes.push_back(ReleaseHierarchyCode{code.code(), code.parent()});
    }
    hier.total = h.total();
    dst.hierarchies.push_back(std::move(hier));
  }
  if (src.has_table()) {
    ReleaseTable table;
    for (const v1::ReleaseDimension& d : src.table().dimensions()) {
      table.dimensions.push_back(ReleaseDimension{d.column(), d.hierarchy()});
    }
    table.value = src.table().value();
    dst.table = std::move(table);
  }
  if (src.has_extract()) {
    ReleaseExtract extract;
    extract.quasi_identifiers = ToVector(src.extract().quasi_identifiers());
    if (src.extract().has_k()) extract.k = src.extract().k();
    dst.extract = std::move(extract);
  }
  if (src.has_rules()) dst.rules = RulesOf(src.rules());
  dst.max_age = src.max_age();
  dst.date_column = src.date_column();
  dst.source_text = src.source_text();
  return dst;
}

bool LooksLikeJson(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '{' || c == '[';
  }
  return false;
}

PolicyFormat FormatFromPath(std::string_view path) {
  const std::string lower = absl::AsciiStrToLower(internal::AV(path));
  if (absl::EndsWith(lower, ".json")) return PolicyFormat::kJson;
  if (absl::EndsWith(lower, ".textproto") || absl::EndsWith(lower, ".txtpb") ||
      absl::EndsWith(lower, ".pbtxt") || absl::EndsWith(lower, ".textpb")) {
    return PolicyFormat::kTextProto;
  }
  return PolicyFormat::kAuto;
}

// "blake2b-256:" + hex of BLAKE2b-256 (libsodium) of the message,
// serialised deterministically (map entries in key order).
std::string MessageDigest(const v1::Policy& proto) {
  std::string bytes;
  {
    pb::io::StringOutputStream stream(&bytes);
    pb::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    proto.SerializeToCodedStream(&coded);
  }
  unsigned char hash[crypto_generichash_BYTES];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  char hex[2 * sizeof hash + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return absl::StrCat("blake2b-256:", hex);
}

}  // namespace

// Builds Policy objects; a friend of Policy.
class PolicyBuilder {
 public:
  static absl::StatusOr<std::shared_ptr<const Policy>> Parse(std::string_view text,
                                                             PolicyFormat format,
                                                             std::string_view source_name);

 private:
  static std::shared_ptr<Policy> FromProto(const v1::Policy& proto, std::string source_name,
                                           std::map<std::string, int, std::less<>> lines);
};

absl::StatusOr<std::shared_ptr<const Policy>> PolicyBuilder::Parse(std::string_view text,
                                                                   PolicyFormat format,
                                                                   std::string_view source_name) {
  const std::string name(source_name.empty() ? std::string_view("<memory>") : source_name);
  if (text.size() > Policy::kMaxPolicyBytes) {
    return absl::ResourceExhaustedError(absl::StrCat("policy ", name, " is ", text.size(),
                                                     " bytes; the limit is ",
                                                     Policy::kMaxPolicyBytes, " bytes"));
  }
  // One UTF-8 byte-order mark, which Notepad and Excel put at the start of
  // "UTF-8" files, is not part of the policy: neither protobuf's text format
  // nor JSON allows it. Skipped here, for every door (files, text, the C ABI,
  // Python, the CLI); lines and columns are those of the text after it.
  constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  if (absl::Status s = internal::CheckIsText(internal::AV(text), name); !s.ok()) return s;
  if (format == PolicyFormat::kAuto) {
    format = LooksLikeJson(text) ? PolicyFormat::kJson : PolicyFormat::kTextProto;
  }

  v1::Policy proto;
  std::map<std::string, int, std::less<>> lines;
  if (format == PolicyFormat::kTextProto) {
    pb::TextFormat::Parser parser;
    FirstErrorCollector errors;
    pb::TextFormat::ParseInfoTree tree;
    parser.RecordErrorsTo(&errors);
    parser.WriteLocationsTo(&tree);
    const bool ok = parser.ParseFromString(std::string(text), &proto);
    if (!ok || errors.has_error()) {
      const std::string msg = errors.has_error() ? errors.message() : "cannot parse";
      return absl::InvalidArgumentError(absl::StrCat(name, ":", errors.line(), ":", errors.column(),
                                                     ": ", msg, UnknownFieldHint(msg)));
    }
    RecordTextLines(proto, &tree, "", &lines);
  } else if (format == PolicyFormat::kJson) {
    // Our own scan first: it checks the syntax with line numbers and records
    // the line of every field path; protobuf then checks the schema.
    absl::StatusOr<std::map<std::string, int, std::less<>>> scanned =
        internal::ScanJsonLines(text, name);
    if (!scanned.ok()) return scanned.status();
    lines = *std::move(scanned);
    pb::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto status = pb::util::JsonStringToMessage(std::string(text), &proto, options);
    if (!status.ok()) {
      std::string msg(status.message());
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": ", internal::LocateJsonError(msg, *scanned.operator->()), msg));
    }
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("policy ", name, ": unknown format code ", static_cast<int>(format)));
  }
  return std::shared_ptr<const Policy>(FromProto(proto, name, std::move(lines)));
}

std::shared_ptr<Policy> PolicyBuilder::FromProto(const v1::Policy& proto, std::string source_name,
                                                 std::map<std::string, int, std::less<>> lines) {
  std::shared_ptr<Policy> p(new Policy());
  p->source_name_ = std::move(source_name);
  p->field_lines_ = std::move(lines);
  p->schema_ = proto.schema();
  p->digest_ = MessageDigest(proto);

  const v1::Controller& c = proto.controller();
  p->controller_ =
      Controller{c.name(), c.cvr(), c.address(), c.contact(), c.dpo_contact(), c.source()};

  for (const CategoryInfo& info : kBuiltinCategories) {
    DataCategory dc;
    dc.key = std::string(info.key);
    dc.title = std::string(info.title);
    dc.flags = info.flags;
    dc.builtin = true;
    p->categories_.push_back(std::move(dc));
  }
  // Declared categories inherit their parent's markings: settle parents
  // before children by handling them in order of depth.
  std::vector<const v1::DataCategory*> declared;
  for (const v1::DataCategory& dc : proto.categories()) declared.push_back(&dc);
  std::stable_sort(declared.begin(), declared.end(), [](const auto* a, const auto* b) {
    return std::count(a->key().begin(), a->key().end(), '.') <
           std::count(b->key().begin(), b->key().end(), '.');
  });
  std::vector<DataCategory> added;
  for (const v1::DataCategory* src : declared) {
    DataCategory dc;
    dc.key = src->key();
    dc.title = src->title();
    dc.description = src->description();
    dc.flags = (src->special() ? kCategorySpecial : 0) | (src->criminal() ? kCategoryCriminal : 0) |
               (src->national_id() ? kCategoryNationalId : 0);
    const std::string_view parent = ParentCategory(dc.key);
    if (!parent.empty()) {
      for (const DataCategory& known : p->categories_) {
        if (known.key == parent) dc.flags |= known.flags;
      }
    }
    p->categories_.push_back(std::move(dc));
  }

  for (const v1::LegalReference& r : proto.references()) {
    p->references_.push_back(LegalReference{r.code(), r.title(), r.text(), r.url(), EffectsOf(r)});
  }
  for (const v1::Team& t : proto.teams()) {
    p->teams_.push_back(Team{t.id(), t.title(), ToVector(t.roles())});
  }
  for (const v1::RetentionRule& r : proto.retention_rules()) {
    RetentionRuleRef rule;
    rule.id = r.id();
    rule.title = r.title();
    rule.description = r.description();
    rule.period = r.period();
    rule.anchor = r.anchor();
    switch (r.action()) {
      case v1::RETENTION_ACTION_UNSPECIFIED:
      case v1::DELETE_AFTER:
        rule.action = RetentionAction::kDeleteAfter;
        break;
      case v1::RETAIN_AT_LEAST:
        rule.action = RetentionAction::kRetainAtLeast;
        break;
      case v1::RETAIN_THEN_DELETE:
        rule.action = RetentionAction::kRetainThenDelete;
        break;
      default:
        rule.action = RetentionAction::kUnknown;
        break;
    }
    for (const v1::RetentionEvent& e : r.ends_early()) {
      rule.ends_early.push_back(RetentionEventRef{e.event(), e.period()});
    }
    for (const v1::RetentionEvent& e : r.extended_by()) {
      rule.extended_by.push_back(RetentionEventRef{e.event(), e.period()});
    }
    p->retention_rules_.push_back(std::move(rule));
  }
  for (int i = 0; i < proto.purposes_size(); ++i) {
    const v1::Purpose& src = proto.purposes(i);
    Purpose dst;
    dst.id = src.id();
    dst.title = src.title();
    dst.description = src.description();
    dst.categories = ToVector(src.categories());
    dst.data_subjects = ToVector(src.data_subjects());
    dst.basis = ToVector(src.basis());
    for (const v1::Recipient& r : src.recipients()) {
      dst.recipients.push_back(
          Recipient{r.name(), KindOf(r.kind()), r.country(), r.transfer_basis(), r.purpose()});
    }
    for (const v1::AccessGrant& g : src.access()) {
      dst.access.push_back(AccessGrant{g.team(), ToVector(g.roles())});
    }
    dst.retention = src.retention();
    if (src.has_legitimate_interest()) {
      const v1::BalancingTest& b = src.legitimate_interest();
      dst.legitimate_interest =
          BalancingTest{b.interest(), b.assessment(), ToVector(b.safeguards())};
    }
    if (src.has_consent()) {
      dst.consent = ConsentMechanism{src.consent().record(), src.consent().withdrawal()};
    }
    for (const v1::Source& s : src.sources()) {
      dst.sources.push_back(Source{s.name(), s.from_data_subject()});
    }
    dst.automated_decision_making = src.automated_decision_making();
    dst.automated_processing = src.has_automated_processing() ? src.automated_processing() : true;
    dst.source_text = src.source_text();
    for (int e : src.erasure_exceptions()) {
      dst.erasure_exceptions.push_back(e >= 1 && e <= 5 ? static_cast<ErasureException>(e)
                                                        : ErasureException::kUnspecified);
    }
    dst.role = RoleOf(src.role());
    dst.controller_of_data = src.controller_of_data();
    dst.direct_marketing = src.direct_marketing();
    dst.line = p->LineOf(absl::StrCat("purposes[", i, "]"));
    p->purposes_.push_back(std::move(dst));
  }
  for (int i = 0; i < proto.releases_size(); ++i) {
    Release release = ReleaseOf(proto.releases(i));
    release.line = p->LineOf(absl::StrCat("releases[", i, "]"));
    p->releases_.push_back(std::move(release));
  }
  return p;
}

absl::StatusOr<std::shared_ptr<const Policy>> Policy::FromText(std::string_view text,
                                                               PolicyFormat format,
                                                               std::string_view source_name) {
  return PolicyBuilder::Parse(text, format, source_name);
}

absl::StatusOr<std::shared_ptr<const Policy>> Policy::Load(const std::string& path,
                                                           PolicyFormat format) {
  absl::StatusOr<std::string> content = internal::ReadSmallFile(path, kMaxPolicyBytes, "policy");
  if (!content.ok()) return content.status();
  if (format == PolicyFormat::kAuto) format = FormatFromPath(path);
  return PolicyBuilder::Parse(*content, format, path);
}

}  // namespace gdprkit
