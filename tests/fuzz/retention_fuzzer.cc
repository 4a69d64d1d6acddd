// Fuzzes what the retention doors feed the core: date, time and period texts
// (CSV fields, Python strings, C arguments) and sweeps over arbitrary columns
// and holds (C arrays, DataFrames). Nothing may crash, and what succeeds must
// be consistent: parsed dates and periods round-trip through their text; a
// sweep answers every row with a status that agrees with its date, counts
// every row once, and fails (by default) exactly when some row is invalid.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gdprkit/policy.h"
#include "gdprkit/retention.h"

namespace {

// Several rules covering each action, early ends and extensions.
constexpr char kPolicy[] = R"pb(
  retention_rules { id: "p15m" period: "P15M" anchor: "provider_number_ended" }
  retention_rules { id: "p10y" period: "P10Y" anchor: "last_entry" action: RETAIN_THEN_DELETE }
  retention_rules { id: "keep5" period: "P5Y" anchor: "last_processing" action: RETAIN_AT_LEAST }
  retention_rules {
    id: "research"
    period: "P10Y"
    ends_early { event: "consent_withdrawn" }
  }
  retention_rules {
    id: "applicants"
    period: "P3M"
    anchor: "application_rejected"
    extended_by { event: "consent_to_retain" period: "P1Y" }
    ends_early { event: "consent_withdrawn" period: "P14D" }
  }
  retention_rules {
    id: "stop"
    ends_early { event: "sending_stopped" }
  }
  retention_rules { id: "describe" description: "as long as necessary" }
  purposes { id: "journal" retention: "p10y" }
)pb";

void Check(bool ok) {
  if (!ok) std::abort();
}

const gdprkit::RetentionSchedule& Schedule() {
  static const gdprkit::RetentionSchedule* const kSchedule = [] {
    auto policy = gdprkit::Policy::FromText(kPolicy, gdprkit::PolicyFormat::kTextProto, "fuzz");
    Check(policy.ok());
    auto s = gdprkit::RetentionSchedule::FromPolicy(**policy);
    Check(s.ok());
    return new gdprkit::RetentionSchedule(*std::move(s));
  }();
  return *kSchedule;
}

void FuzzTexts(std::string_view text) {
  if (auto d = gdprkit::ParseDate(text); d.ok()) {
    Check(gdprkit::FormatDate(*d) == text);
    Check(gdprkit::IsValidDay(*d));
  }
  if (auto p = gdprkit::ParsePeriod(text); p.ok()) {
    auto again = gdprkit::ParsePeriod(p->ToString());
    Check(again.ok() && *again == *p);
    const gdprkit::DayNumber day = gdprkit::AddPeriod(gdprkit::DaysFromCivil(2024, 2, 29), *p);
    Check(day >= gdprkit::DaysFromCivil(2024, 2, 29));
  }
  (void)gdprkit::ParseDateTime(text);
  (void)gdprkit::ParseDateTime(text, "UTC");
  const std::size_t space = text.find(' ');
  if (space != std::string_view::npos) {
    auto sum = gdprkit::AddPeriod(text.substr(0, space), text.substr(space + 1));
    if (sum.ok()) Check(gdprkit::ParseDate(*sum).ok() || sum->size() > 10);
  }
}

// Reads little-endian int16 values; the sentinel 0x8000 is "no date".
struct Reader {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t Byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  gdprkit::DayNumber Day() {
    const auto v = static_cast<std::int16_t>(Byte() | (Byte() << 8));
    if (v == INT16_MIN) return gdprkit::kNoDate;
    return gdprkit::DaysFromCivil(2020, 1, 1) + v;  // about 1930 ... 2110
  }
};

void FuzzSweep(const std::uint8_t* data, std::size_t size) {
  const gdprkit::RetentionSchedule& s = Schedule();
  Reader r{data, size};
  const std::size_t n = r.Byte() % 64;
  const gdprkit::DayNumber as_of = r.Day();
  gdprkit::SweepInput in;
  in.rule_sets = {{}, {0}, {1}, {2}, {3}, {4}, {5}, {6}, {1, 2}, {0, 4}, {3, 5, 6}};
  std::vector<std::int32_t> selector(n);
  const std::size_t nevents = s.events().size();
  std::vector<std::vector<gdprkit::DayNumber>> columns(nevents, std::vector<gdprkit::DayNumber>(n));
  for (std::size_t i = 0; i < n; ++i) {
    selector[i] = static_cast<std::int32_t>(r.Byte()) % 12;  // 11: out of range
    for (std::size_t e = 0; e < nevents; ++e) columns[e][i] = r.Day();
  }
  in.selector = selector;
  // Leave out one column now and then (a whole-sweep error).
  const std::size_t skip = r.Byte();
  for (std::size_t e = 0; e < nevents; ++e) {
    if (e == skip) continue;
    in.events.push_back({s.events()[e], columns[e]});
  }
  const std::size_t nholds = n == 0 ? 0 : r.Byte() % 8;
  for (std::size_t h = 0; h < nholds; ++h) {
    in.holds.push_back({static_cast<std::int32_t>(r.Byte() % (n + 1)), r.Day(), r.Day()});
  }
  gdprkit::SweepOptions report;
  report.on_invalid = gdprkit::InvalidRecords::kReport;
  auto result = s.Sweep(in, as_of, report);
  auto strict = s.Sweep(in, as_of);
  if (!result.ok()) {
    Check(!strict.ok());
    return;
  }
  const gdprkit::SweepReport& rep = result->report;
  Check(rep.records == static_cast<std::int64_t>(n));
  Check(rep.due + rep.pending + rep.kept + rep.held + rep.may_delete + rep.invalid == rep.records);
  Check(strict.ok() == rep.complete());
  for (std::size_t i = 0; i < n; ++i) {
    const gdprkit::DayNumber d = result->due_date[i];
    switch (result->status[i]) {
      case gdprkit::RetentionStatus::kDue:
      case gdprkit::RetentionStatus::kMayDelete:
        Check(d != gdprkit::kNoDate && d <= as_of);
        break;
      case gdprkit::RetentionStatus::kPending:
        Check(d != gdprkit::kNoDate && d > as_of);
        break;
      case gdprkit::RetentionStatus::kInvalid:
        Check(result->reason[i] == gdprkit::RetentionReason::kInvalidInput);
        break;
      case gdprkit::RetentionStatus::kKept:
      case gdprkit::RetentionStatus::kHeld:
        break;
      default:
        Check(false);
    }
    Check(result->rule[i] >= -1 && result->rule[i] < static_cast<std::int32_t>(s.rules().size()));
    Check(result->anchor[i] >= -1 && result->anchor[i] < static_cast<std::int32_t>(nevents));
    if (strict.ok()) Check(strict->status[i] == result->status[i]);
  }
  if (n > 0) (void)s.Explain(in, 0, as_of);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if (data[0] % 2 == 0) {
    FuzzTexts(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  } else {
    FuzzSweep(data + 1, size - 1);
  }
  return 0;
}
