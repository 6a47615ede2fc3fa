#include "detect/dates.h"

#include <gtest/gtest.h>

namespace sz::detect {
namespace {

TEST(Dates, ParsesCommonForms) {
  const CivilDate want{1990, 1, 31};
  for (auto text : {"1990-01-31", "19900131", "1990.01.31", "1990. 1. 31.", "1990/1/31",
                    "1990년 1월 31일", "1990년1월31일", "1990-01-31 08:30:00",
                    "1990-01-31T08:30"}) {
    auto d = ParseDate(text);
    ASSERT_TRUE(d.has_value()) << text;
    EXPECT_EQ(*d, want) << text;
  }
  EXPECT_EQ(ParseDate("2000-2-29"), (CivilDate{2000, 2, 29}));  // 2000 is a leap year
}

TEST(Dates, RejectsImpossibleAndForeignForms) {
  for (auto text : {"1990-02-30", "1900-02-29", "1990-13-01", "19901301", "90-01-31",
                    "1990-01-31x", "1990-01/31", "1990_01_31", "31.01.1990", "199001311",
                    "1990년 1월", "abcdefgh"}) {
    EXPECT_FALSE(ParseDate(text).has_value()) << text;
  }
}

TEST(Dates, PlausibleMeansFrom1900ToToday) {
  const CivilDate today{2025, 6, 1};
  EXPECT_TRUE(IsPlausibleDate({1900, 1, 1}, today));
  EXPECT_TRUE(IsPlausibleDate({2025, 6, 1}, today));
  EXPECT_FALSE(IsPlausibleDate({1899, 12, 31}, today));
  EXPECT_FALSE(IsPlausibleDate({2025, 6, 2}, today));
}

TEST(Dates, TodayIsAValidDate) {
  CivilDate today = TodayUtc();
  EXPECT_GE(today.year, 2024);
  EXPECT_TRUE(ParseDate(std::to_string(today.year * 10000 + today.month * 100 + today.day)));
}

}  // namespace
}  // namespace sz::detect
