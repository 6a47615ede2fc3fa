#include "detect/address.h"

#include <gtest/gtest.h>

namespace sz::detect {
namespace {

TEST(Place, RecognisesRoadAndLotAddresses) {
  EXPECT_EQ(ClassifyPlace("서울특별시 강남구 테헤란로 123"), PlaceKind::kAddress);
  EXPECT_EQ(ClassifyPlace("서울 강남구 역삼동 123-45"), PlaceKind::kAddress);
  EXPECT_EQ(ClassifyPlace("경기도 성남시 분당구 판교역로 235 (삼평동)"), PlaceKind::kAddress);
  EXPECT_EQ(ClassifyPlace("부산 해운대구 우동 산12-3"), PlaceKind::kAddress);
  EXPECT_EQ(ClassifyPlace("세종대로 110"), PlaceKind::kAddress);
  EXPECT_EQ(ClassifyPlace("강남구 테헤란로12번길 5, 302호"), PlaceKind::kAddress);
  EXPECT_EQ(ClassifyPlace("12 tullaroop street"), PlaceKind::kAddress);
  EXPECT_EQ(ClassifyPlace("tullaroop street"), PlaceKind::kAddress);
  EXPECT_EQ(ClassifyPlace("main st 5"), PlaceKind::kAddress);
}

TEST(Place, RecognisesBareRegions) {
  EXPECT_EQ(ClassifyPlace("강남구"), PlaceKind::kRegion);
  EXPECT_EQ(ClassifyPlace("경기도 수원시"), PlaceKind::kRegion);
  EXPECT_EQ(ClassifyPlace("역삼1동"), PlaceKind::kRegion);
  EXPECT_EQ(ClassifyPlace("종로1가"), PlaceKind::kRegion);
  EXPECT_EQ(ClassifyPlace("서울"), PlaceKind::kRegion);
  EXPECT_EQ(ClassifyPlace("강원특별자치도"), PlaceKind::kRegion);
  // A road within its district but without a building number covers many households.
  EXPECT_EQ(ClassifyPlace("서울 강남구 테헤란로"), PlaceKind::kRegion);
}

TEST(Place, RejectsOtherText) {
  EXPECT_EQ(ClassifyPlace("김민준"), PlaceKind::kNone);
  EXPECT_EQ(ClassifyPlace("평가"), PlaceKind::kNone);  // …가 without a number
  EXPECT_EQ(ClassifyPlace("st james"), PlaceKind::kNone);
  EXPECT_EQ(ClassifyPlace("by the way"), PlaceKind::kNone);
  EXPECT_EQ(ClassifyPlace("main street is closed"), PlaceKind::kNone);
  EXPECT_EQ(ClassifyPlace("123-45"), PlaceKind::kNone);
  EXPECT_EQ(ClassifyPlace("회의 자료 정리"), PlaceKind::kNone);
}

TEST(Place, KnowsProvinceNames) {
  EXPECT_TRUE(IsProvinceName("제주특별자치도"));
  EXPECT_TRUE(IsProvinceName("충남"));
  EXPECT_FALSE(IsProvinceName("강남"));
}

}  // namespace
}  // namespace sz::detect
