// Fuzzes the serialized-table door that the C ABI uses
// (gdprkit_suppression_run / _audit): SuppressSerialized and AuditSerialized
// with arbitrary bytes in each format. The first byte picks the format (binary,
// JSON, text); the rest is the message. Whatever the bytes, the result is a
// response or an error status, never a crash. A response must parse as a
// SuppressResponse whose audit passed.
//
// Requests that parse are run as given unless they ask for long solver runs:
// the time limit is then lowered to 1 s (re-serialized), so that the fuzzer
// keeps many executions per second.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "gdprkit/suppression.h"
#include "gdprkit/v1/table.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "suppress_request_fuzzer: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto format = static_cast<gdprkit::MessageFormat>(data[0] % 3);
  std::string request(reinterpret_cast<const char*>(data + 1), size - 1);
  {
    google::protobuf::LogSilencer quiet;  // the pre-parse's errors are not findings
    gdprkit::v1::SuppressRequest req;
    bool parsed = false;
    switch (format) {
      case gdprkit::MessageFormat::kBinary:
        parsed = req.ParseFromString(request);
        break;
      case gdprkit::MessageFormat::kJson:
        parsed = google::protobuf::util::JsonStringToMessage(request, &req).ok();
        break;
      case gdprkit::MessageFormat::kText: {
        google::protobuf::TextFormat::Parser parser;
        parser.RecordErrorsTo(nullptr);
        parsed = parser.ParseFromString(request, &req);
        break;
      }
    }
    if (parsed &&
        (!req.options().has_time_limit_seconds() || req.options().time_limit_seconds() > 1)) {
      req.mutable_options()->set_time_limit_seconds(1);
      std::string again;
      switch (format) {
        case gdprkit::MessageFormat::kBinary:
          req.SerializeToString(&again);
          break;
        case gdprkit::MessageFormat::kJson:
          (void)google::protobuf::util::MessageToJsonString(req, &again);
          break;
        case gdprkit::MessageFormat::kText:
          google::protobuf::TextFormat::PrintToString(req, &again);
          break;
      }
      request = std::move(again);
    }
  }
  absl::StatusOr<std::string> out = gdprkit::SuppressSerialized(request, format);
  if (out.ok() && format == gdprkit::MessageFormat::kBinary) {
    gdprkit::v1::SuppressResponse resp;
    Check(resp.ParseFromString(*out), "the response does not parse");
    Check(resp.audit().passed(), "a response whose audit did not pass");
  }
  (void)gdprkit::AuditSerialized(request, format);
  return 0;
}
