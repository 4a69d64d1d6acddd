// The serialized door: gdprkit.v1.SuppressRequest / AuditRequest in every
// format, and bad input.
#include <string>

#include "absl/strings/string_view.h"
#include "gdprkit/suppression.h"
#include "gdprkit/v1/table.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace absl {
inline void PrintTo(absl::string_view s, std::ostream* os) { *os << '"' << std::string(s) << '"'; }
}  // namespace absl

namespace gdprkit {
namespace {

using ::testing::HasSubstr;

// The cluster report in miniature: four practices by blood-pressure band.
constexpr char kRequest[] = R"pb(
  tables {
    tables {
      name: "bp"
      dimensions {
        name: "practice"
        codes { code: "cluster" }
        codes { code: "p1" parent: "cluster" }
        codes { code: "p2" parent: "cluster" }
        codes { code: "p3" parent: "cluster" }
      }
      dimensions {
        name: "band"
        codes { code: "all" }
        codes { code: "<140" parent: "all" }
        codes { code: ">=140" parent: "all" }
      }
      cells { codes: "p1" codes: "<140" value: 31 }
      cells { codes: "p1" codes: ">=140" value: 3 }
      cells { codes: "p2" codes: "<140" value: 24 }
      cells { codes: "p2" codes: ">=140" value: 9 }
      cells { codes: "p3" codes: "<140" value: 18 }
      cells { codes: "p3" codes: ">=140" value: 11 }
    }
  }
  rules { threshold: 5 }
  options { method: SECONDARY_METHOD_OPTIMAL }
)pb";

TEST(SuppressSerializedTest, TextFormatRoundTrip) {
  absl::StatusOr<std::string> out = SuppressSerialized(kRequest, MessageFormat::kText);
  ASSERT_TRUE(out.ok()) << out.status();
  v1::SuppressResponse resp;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(*out, &resp));
  EXPECT_EQ(resp.cells_size(), 12);
  EXPECT_EQ(resp.num_primary(), 1);
  EXPECT_EQ(resp.num_secondary(), 3);
  EXPECT_TRUE(resp.proven_optimal());
  EXPECT_TRUE(resp.audit().passed());
  int suppressed = 0;
  for (const v1::CellResult& c : resp.cells()) {
    ASSERT_EQ(c.locations_size(), 1);
    EXPECT_EQ(c.locations(0).table(), "bp");
    if (c.status() != v1::CELL_STATUS_PUBLISHED) {
      ++suppressed;
      EXPECT_TRUE(c.has_lower());
      EXPECT_LE(c.lower(), c.value());
      EXPECT_GE(c.upper(), c.value());
    }
    if (c.name() == "bp(practice=p1, band=>=140)") {
      EXPECT_EQ(c.status(), v1::CELL_STATUS_PRIMARY);
      EXPECT_EQ(c.protection().upper(), 2);
      EXPECT_GE(c.upper(), 5);  // the attacker cannot prove it is below 5
    }
  }
  EXPECT_EQ(suppressed, 4);
}

TEST(SuppressSerializedTest, BinaryAndJson) {
  v1::SuppressRequest req;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kRequest, &req));
  std::string bytes;
  ASSERT_TRUE(req.SerializeToString(&bytes));
  absl::StatusOr<std::string> out = SuppressSerialized(bytes);
  ASSERT_TRUE(out.ok()) << out.status();
  v1::SuppressResponse resp;
  ASSERT_TRUE(resp.ParseFromString(*out));
  EXPECT_EQ(resp.num_secondary(), 3);

  absl::StatusOr<std::string> json = SuppressSerialized(
      R"({"relations": {"cells": [{"name": "total", "value": 30}, {"name": "a", "value": 2},
          {"name": "b", "value": 28}], "relations": [{"cells": [1, 2, 0],
          "coefficients": [1, 1, -1]}]}})",
      MessageFormat::kJson);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr("\"num_primary\":1"));
  EXPECT_THAT(*json, HasSubstr("\"passed\":true"));
}

TEST(SuppressSerializedTest, JJWithItsOwnLevels) {
  v1::SuppressRequest req;
  req.set_jj(
      "0\n3\n0 10 1 s 0 100 0 0 0\n1 3 1 u 0 100 0 2 0\n2 7 1 s 0 100 0 0 0\n1\n0 3 : 0 (-1) 1 (1) "
      "2 (1)\n");
  req.set_use_jj_protection(true);
  std::string bytes;
  ASSERT_TRUE(req.SerializeToString(&bytes));
  absl::StatusOr<std::string> out = SuppressSerialized(bytes);
  ASSERT_TRUE(out.ok()) << out.status();
  v1::SuppressResponse resp;
  ASSERT_TRUE(resp.ParseFromString(*out));
  EXPECT_EQ(resp.num_primary(), 1);
  EXPECT_EQ(resp.num_secondary(), 1);
}

TEST(SuppressSerializedTest, BadRequests) {
  EXPECT_THAT(SuppressSerialized("\xff\xff\xff").status().message(), HasSubstr("not a valid"));
  EXPECT_THAT(SuppressSerialized("{", MessageFormat::kJson).status().message(), HasSubstr("JSON"));
  EXPECT_THAT(SuppressSerialized("tables {", MessageFormat::kText).status().message(),
              HasSubstr("text-format"));
  EXPECT_THAT(SuppressSerialized("", MessageFormat::kText).status().message(),
              HasSubstr("no tables"));
  EXPECT_THAT(
      SuppressSerialized("relations { kind: 7 cells { name: \"a\" } }", MessageFormat::kText)
          .status()
          .message(),
      HasSubstr("unknown table kind"));
  std::string bad = kRequest;
  bad.replace(bad.find("value: 9"), 8, "value: -9");
  absl::StatusOr<std::string> neg = SuppressSerialized(bad, MessageFormat::kText);
  ASSERT_FALSE(neg.ok());
  EXPECT_THAT(neg.status().message(), HasSubstr("negative"));
  EXPECT_THAT(SuppressSerialized("jj: \"0\\n1\\n0 1 1 s 0 9 0 0 0\\n0\\n\" use_jj_protection: "
                                 "true options { method: 9 }",
                                 MessageFormat::kText)
                  .status()
                  .message(),
              HasSubstr("unknown secondary method"));
  EXPECT_THAT(
      SuppressSerialized(std::string(kRequest) + " use_jj_protection: true", MessageFormat::kText)
          .status()
          .message(),
      HasSubstr("JJ source"));
}

TEST(AuditSerializedTest, AuditsAGivenPattern) {
  std::string req = kRequest;
  req.replace(req.find("options {"), std::string::npos, "");
  // Only the small cell: it is recomputed from its row and column.
  std::string only_small =
      req + R"pb(suppressed_locations { table: "bp" codes: "p1" codes: ">=140" })pb";
  absl::StatusOr<std::string> out = AuditSerialized(only_small, MessageFormat::kText);
  ASSERT_TRUE(out.ok()) << out.status();
  v1::AuditResponse resp;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(*out, &resp));
  EXPECT_FALSE(resp.audit().passed());
  ASSERT_EQ(resp.audit().primaries_size(), 1);
  EXPECT_THAT(resp.audit().primaries(0).reason(), HasSubstr("determine"));
  // With a rectangle it passes.
  std::string rect = only_small + R"pb(
    suppressed_locations { table: "bp" codes: "p1" codes: "<140" }
    suppressed_locations { table: "bp" codes: "p2" codes: "<140" }
    suppressed_locations { table: "bp" codes: "p2" codes: ">=140" }
  )pb";
  out = AuditSerialized(rect, MessageFormat::kText);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(*out, &resp));
  EXPECT_TRUE(resp.audit().passed());
  EXPECT_THAT(
      AuditSerialized(req + "suppressed_cells: 99", MessageFormat::kText).status().message(),
      HasSubstr("not a cell"));
  EXPECT_THAT(
      AuditSerialized(req + R"pb(suppressed_locations { table: "bp" codes: "p9" codes: "all" })pb",
                      MessageFormat::kText)
          .status()
          .message(),
      HasSubstr("unknown code"));
}

}  // namespace
}  // namespace gdprkit
