#include "ops/month.h"

#include <gtest/gtest.h>

#include <vector>

#include "ops/percentile.h"

namespace sz::ops {
namespace {

TEST(MonthTest, ParsesOnlyYearDashMonth) {
  auto m = Month::Parse("2026-11");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->year, 2026);
  EXPECT_EQ(m->month, 11u);
  EXPECT_EQ(m->ToString(), "2026-11");
  for (const char* bad : {"2026-1", "2026-13", "2026-00", "26-11", "2026/11", "2026-11-01", ""}) {
    EXPECT_EQ(Month::Parse(bad).status().code(), Code::kInvalidArgument) << bad;
  }
}

TEST(MonthTest, BoundariesAreSeoulMidnights) {
  Month nov{2026, 11};
  // 00:00 KST on November 1st is 15:00 UTC on October 31st.
  EXPECT_EQ(nov.Start(), ToUnix(*ParseUtc("2026-10-31T15:00:00Z")));
  EXPECT_EQ(nov.End(), ToUnix(*ParseUtc("2026-11-30T15:00:00Z")));
  EXPECT_EQ(nov.Days(), 30);
  EXPECT_EQ(nov.DayIndex(nov.Start()), 0);
  EXPECT_EQ(nov.DayIndex(nov.End() - 1), 29);
  EXPECT_EQ(Month::Of(FromUnix(nov.Start())), nov);
  EXPECT_EQ(Month::Of(FromUnix(nov.Start() - 1)), (Month{2026, 10}));
  EXPECT_EQ((Month{2026, 1}).Previous(), (Month{2025, 12}));
  EXPECT_EQ((Month{2026, 12}).Next(), (Month{2027, 1}));
  EXPECT_EQ((Month{2026, 2}).Days(), 28);
  EXPECT_EQ((Month{2028, 2}).Days(), 29);
  EXPECT_EQ((Month{2026, 12}).End(), ToUnix(*ParseUtc("2026-12-31T15:00:00Z")));
}

TEST(PercentileTest, NearestRankByHand) {
  std::vector<int64_t> ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(NearestRank(ten, 50), 5);   // ceil(5.0) = 5
  EXPECT_EQ(NearestRank(ten, 95), 10);  // ceil(9.5) = 10
  EXPECT_EQ(NearestRank(ten, 10), 1);
  EXPECT_EQ(NearestRank(ten, 11), 2);   // ceil(1.1) = 2
  std::vector<int64_t> twenty;
  for (int i = 1; i <= 20; ++i) twenty.push_back(i * 10);
  EXPECT_EQ(NearestRank(twenty, 50), 100);  // rank 10
  EXPECT_EQ(NearestRank(twenty, 95), 190);  // rank 19
  EXPECT_EQ(NearestRank(twenty, 99), 200);  // ceil(19.8) = 20
  std::vector<int64_t> one = {42};
  EXPECT_EQ(NearestRank(one, 1), 42);
  EXPECT_EQ(NearestRank(one, 100), 42);
}

}  // namespace
}  // namespace sz::ops
