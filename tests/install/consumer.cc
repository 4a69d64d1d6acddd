// A C++ program against the installed gdprkit core (gdprkit::gdprkit):
// headers <gdprkit/policy.h>, <gdprkit/basis.h>. Exits 0 when the installed
// library answers as expected.
#include <cstdio>
#include <memory>
#include <string>

#include "gdprkit/basis.h"
#include "gdprkit/policy.h"

int main() {
  constexpr char kPolicy[] = R"pb(
    schema: "gdprkit.v1"
    controller { name: "Consumer" }
    teams { id: "data" }
    retention_rules { id: "r" }
    purposes {
      id: "record"
      categories: "health.record"
      data_subjects: "patients"
      basis: "A6-1-c"
      basis: "A9-2-h"
      basis: "A9-3"
      access { team: "data" }
      retention: "r"
    }
  )pb";
  auto policy = gdprkit::Policy::FromText(kPolicy, gdprkit::PolicyFormat::kAuto, "consumer");
  if (!policy.ok()) {
    std::fprintf(stderr, "consumer_cpp: %s\n", policy.status().ToString().c_str());
    return 1;
  }
  if (!(*policy)->IsValid()) {
    for (const gdprkit::Finding& f : (*policy)->Validate()) {
      std::fprintf(stderr, "consumer_cpp: finding %s: %s\n", f.code.c_str(), f.message.c_str());
    }
    return 1;
  }
  auto rights = (*policy)->Rights("record");
  if (!rights.ok() || rights->size() != gdprkit::kRightCount) return 1;
  const gdprkit::RightAssessment& erasure = (*rights)[4];
  if (gdprkit::GetRightInfo(erasure.right).code != "A17" || erasure.applies) {
    std::fprintf(stderr, "consumer_cpp: erasure should be excluded: %s\n", erasure.reason.c_str());
    return 1;
  }
  auto denied = (*policy)->MayAccess(gdprkit::Principal{"finance", ""}, "record");
  if (!denied.ok() || *denied) return 1;
  std::printf("consumer_cpp: %zu purposes, A17 excluded: %s\n", (*policy)->purposes().size(),
              erasure.reason.c_str());
  return 0;
}
