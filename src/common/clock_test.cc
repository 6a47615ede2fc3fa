#include "common/clock.h"

#include <gtest/gtest.h>

namespace sz {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

TEST(Clock, SeoulDayStartsAtFifteenHundredUtc) {
  // 2025-03-30 14:59:59 UTC is 23:59:59 KST on the 30th; one second later it is the 31st.
  Time before = FromUnix(1743346799);
  EXPECT_EQ(FormatDate(SeoulDate(before)), "2025-03-30");
  EXPECT_EQ(FormatDate(SeoulDate(before + std::chrono::seconds(1))), "2025-03-31");
  EXPECT_EQ(SeoulMidnight(Date{year(2025), month(3), day(31)}), before + std::chrono::seconds(1));
}

TEST(Clock, ParsesAndFormatsDates) {
  EXPECT_EQ(*ParseDate("2024-02-29"), (Date{year(2024), month(2), day(29)}));
  EXPECT_FALSE(ParseDate("2023-02-29").ok());
  EXPECT_FALSE(ParseDate("2024-2-29").ok());
  EXPECT_FALSE(ParseDate("2024-02-29 ").ok());
  EXPECT_FALSE(ParseDate("2024/02/29").ok());
  EXPECT_EQ(FormatDate(Date{year(2025), month(1), day(5)}), "2025-01-05");
}

TEST(Clock, FakeClockMovesOnlyWhenTold) {
  FakeClock clock(FromUnix(1000));
  EXPECT_EQ(ToUnix(clock.Now()), 1000);
  clock.Advance(std::chrono::minutes(2));
  EXPECT_EQ(ToUnix(clock.Now()), 1120);
  EXPECT_GT(ToUnix(SystemClock::Get().Now()), 1'700'000'000);
}

}  // namespace
}  // namespace sz

namespace sz {
namespace {
TEST(UtcText, RoundTrips) {
  auto t = ParseUtc("2026-11-23T04:33:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatUtc(*t), "2026-11-23T04:33:00Z");
  EXPECT_EQ(ToUnix(*t), 1795408380);
  EXPECT_FALSE(ParseUtc("2026-11-23 04:33:00").ok());
}
}  // namespace
}  // namespace sz
