// Art. 12(3) deadlines and the requests vocabulary (gdprkit/requests.h).
#include <string>

#include "gdprkit/requests.h"
#include "gtest/gtest.h"

namespace gdprkit {
namespace {

DayNumber D(const char* text) {
  absl::StatusOr<DayNumber> d = ParseDate(text);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : kNoDate;
}

std::string Due(const char* received, bool extended = false) {
  return FormatDate(RequestDeadline(D(received), extended));
}

TEST(RequestDeadline, OneMonthByTheMonthEndRule) {
  EXPECT_EQ(Due("2026-01-31"), "2026-02-28");
  EXPECT_EQ(Due("2028-01-31"), "2028-02-29");  // leap year
  EXPECT_EQ(Due("2026-01-15"), "2026-02-15");
  EXPECT_EQ(Due("2026-03-31"), "2026-04-30");
  EXPECT_EQ(Due("2026-12-20"), "2027-01-20");
  EXPECT_EQ(Due("2026-02-28"), "2026-03-28");  // not the month's last day: same day number
}

TEST(RequestDeadline, ExtendedIsThreeMonthsFromReceipt) {
  EXPECT_EQ(Due("2026-01-31", true), "2026-04-30");
  // Not +2 months from the first deadline (2026-02-28 + 2M = 2026-04-28).
  EXPECT_NE(Due("2026-01-31", true), FormatDate(AddPeriod(D("2026-02-28"), Period{0, 2, 0, 0})));
  EXPECT_EQ(Due("2026-11-30", true), "2027-02-28");
  EXPECT_EQ(Due("2026-05-10", true), "2026-08-10");
}

TEST(RequestDeadline, NoDateForNoDate) {
  EXPECT_EQ(RequestDeadline(kNoDate), kNoDate);
  EXPECT_EQ(RequestDeadline(kNoDate, true), kNoDate);
  EXPECT_EQ(RequestDeadline(kMaxDate + 1), kNoDate);
}

TEST(RequestVocabulary, NamesRoundTrip) {
  ASSERT_EQ(RequestKindNames().size(), static_cast<std::size_t>(kRequestKindCount));
  for (std::string_view name : RequestKindNames()) {
    absl::StatusOr<RequestKind> k = ParseRequestKind(name);
    ASSERT_TRUE(k.ok()) << k.status();
    EXPECT_EQ(RequestKindName(*k), name);
    EXPECT_FALSE(RequestKindTitle(*k).empty());
    EXPECT_FALSE(RequestKindTitle(*k, Language::kDanish).empty());
  }
  for (std::string_view name : RequestStatusNames()) {
    EXPECT_EQ(RequestStatusName(*ParseRequestStatus(name)), name);
  }
  for (std::string_view name : IdentityCheckNames()) {
    EXPECT_EQ(IdentityCheckName(*ParseIdentityCheck(name)), name);
  }
  for (std::string_view name : RequestActionNames()) {
    EXPECT_EQ(RequestActionName(*ParseRequestAction(name)), name);
    EXPECT_FALSE(RequestActionTitle(*ParseRequestAction(name), Language::kDanish).empty());
  }
  EXPECT_EQ(RequestKindName(RequestKind::kWithdrawal), "withdrawal");
  EXPECT_EQ(RequestActionName(RequestAction::kNotApplicable), "not_applicable");
  EXPECT_EQ(RequestKindName(static_cast<RequestKind>(99)), "unknown");
}

TEST(RequestVocabulary, UnknownNameSuggests) {
  absl::StatusOr<RequestKind> k = ParseRequestKind("erasur");
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(k.status().message().find("did you mean \"erasure\""), std::string::npos) << k.status();
}

TEST(RequestVocabulary, KindsExerciseTheirRights) {
  EXPECT_EQ(RequestKindRight(RequestKind::kErasure), Right::kErasure);
  EXPECT_EQ(RequestKindRight(RequestKind::kPortability), Right::kPortability);
  EXPECT_EQ(RequestKindRight(RequestKind::kWithdrawal), Right::kWithdrawConsent);
  EXPECT_EQ(RequestKindRight(RequestKind::kObjection), Right::kObjection);
}

}  // namespace
}  // namespace gdprkit
