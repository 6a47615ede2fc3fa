#include "korea/admin_regions.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sz::korea {
namespace {

TEST(AdminRegions, SeventeenSidoWithTheCurrentCodes) {
  ASSERT_EQ(AllSido().size(), 17u);
  std::set<std::string_view> codes;
  for (const Sido& s : AllSido()) codes.insert(s.code);
  EXPECT_EQ(codes, (std::set<std::string_view>{"11", "26", "27", "28", "29", "30", "31", "36",
                                               "41", "43", "44", "46", "47", "48", "50", "51",
                                               "52"}));
  EXPECT_EQ(FindSido("51")->name, "강원특별자치도");
  EXPECT_EQ(FindSido("52")->name, "전북특별자치도");
  EXPECT_EQ(FindSido("36")->short_name, "세종");
}

TEST(AdminRegions, PopulationSharesSumToOne) {
  double total = 0;
  for (const Sido& s : AllSido()) {
    EXPECT_GT(s.population_share, 0.0) << s.name;
    total += s.population_share;
  }
  EXPECT_NEAR(total, 1.0, 0.005);
  EXPECT_GT(FindSido("41")->population_share, FindSido("11")->population_share);
}

TEST(AdminRegions, CodesAreUniqueAndSortedAndParentsExist) {
  std::set<std::string_view> seen;
  std::string_view prev;
  for (const Sigungu& s : AllSigungu()) {
    EXPECT_EQ(s.code.size(), 5u);
    EXPECT_LT(prev, s.code) << "sorted and unique";
    prev = s.code;
    EXPECT_EQ(s.code.substr(0, 2), s.sido_code);
    EXPECT_NE(FindSido(s.sido_code), nullptr) << s.code;
  }
  prev = {};
  for (const Eupmyeondong& e : AllEupmyeondong()) {
    EXPECT_EQ(e.code.size(), 10u);
    EXPECT_EQ(e.code.substr(8), "00");
    EXPECT_LT(prev, e.code) << "sorted and unique";
    prev = e.code;
    EXPECT_EQ(e.code.substr(0, 5), e.sigungu_code);
    EXPECT_NE(FindSigungu(e.sigungu_code), nullptr) << e.code;
  }
}

TEST(AdminRegions, SizesMatchTheNationalTotals) {
  // 2024: 226 자치 시군구 plus the 일반구 of 17 cities → 252 entries where a 시 with 구
  // is listed only by its 구; roughly 3,500 행정동/읍/면.
  EXPECT_EQ(AllSigungu().size(), 252u);
  EXPECT_GT(AllEupmyeondong().size(), 3400u);
  EXPECT_LT(AllEupmyeondong().size(), 3700u);
  EXPECT_EQ(SigunguOf("11").size(), 25u);  // 서울 25 자치구
  EXPECT_EQ(SigunguOf("26").size(), 16u);  // 부산 15구 1군
  EXPECT_EQ(SigunguOf("27").size(), 9u);   // 대구 7구 2군 (군위군 included)
  EXPECT_EQ(SigunguOf("36").size(), 1u);
  for (const Sigungu& s : AllSigungu())
    EXPECT_FALSE(EupmyeondongOf(s.code).empty()) << s.code << " has no 읍면동";
}

TEST(AdminRegions, KnownSpotChecks) {
  EXPECT_EQ(FindSigungu("11110")->name, "종로구");
  EXPECT_EQ(FindSigungu("11740")->name, "강동구");
  EXPECT_EQ(FindSigungu("26350")->name, "해운대구");
  EXPECT_EQ(FindSigungu("41135")->name, "성남시 분당구");
  EXPECT_EQ(FindSigungu("27720")->name, "군위군");
  EXPECT_EQ(FindSigungu("41192")->name, "부천시 원미구");
  EXPECT_EQ(FindSigungu("51110")->name, "춘천시");
  EXPECT_EQ(FindSigungu("52111")->name, "전주시 완산구");
  EXPECT_EQ(FindSigungu("50110")->name, "제주시");
  EXPECT_EQ(FindSigungu("47720"), nullptr) << "군위군 moved to 대구 in 2023";
  EXPECT_EQ(FindSigungu("42110"), nullptr) << "강원 codes moved to 51 in 2023";
  EXPECT_EQ(FindEupmyeondong("1111051500")->name, "청운효자동");
  EXPECT_EQ(FindEupmyeondong("11110515")->name, "청운효자동");
  EXPECT_EQ(FindEupmyeondong("1111061500")->name, "종로1·2·3·4가동");
  EXPECT_EQ(FindEupmyeondong("1111067000")->name, "창신1동");
  EXPECT_EQ(FindEupmyeondong("5111052000")->name, "교동");
  EXPECT_EQ(FindEupmyeondong("5211151000")->name, "중앙동");
  EXPECT_EQ(FindEupmyeondong("3611025000")->name, "조치원읍");
}

TEST(AdminRegions, KindFollowsTheLastSyllable) {
  EXPECT_EQ(KindOf(*FindEupmyeondong("3611025000")), EmdKind::kEup);
  EXPECT_EQ(KindOf(*FindEupmyeondong("3611031000")), EmdKind::kMyeon);
  EXPECT_EQ(KindOf(*FindEupmyeondong("1111061500")), EmdKind::kDong);
}

TEST(AdminRegions, FindSidoAcceptsNamesAndAliases) {
  EXPECT_EQ(FindSido("서울특별시")->code, "11");
  EXPECT_EQ(FindSido("서울")->code, "11");
  EXPECT_EQ(FindSido("서울시")->code, "11");
  EXPECT_EQ(FindSido("강원도")->code, "51");
  EXPECT_EQ(FindSido("전라북도")->code, "52");
  EXPECT_EQ(FindSido("경남")->code, "48");
  EXPECT_EQ(FindSido("광주시"), nullptr) << "경기도 광주시 must not become 광주광역시";
  EXPECT_EQ(FindSido("99"), nullptr);
}

TEST(ResolveRegion, FullAndShortNames) {
  auto p = ResolveRegion("서울특별시 종로구 청운효자동");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->sido->code, "11");
  EXPECT_EQ(p->sigungu->code, "11110");
  ASSERT_NE(p->emd, nullptr);
  EXPECT_EQ(p->emd->code, "1111051500");

  p = ResolveRegion("서울 종로구 청운효자동 자하문로 12");
  ASSERT_TRUE(p && p->emd);
  EXPECT_EQ(p->emd->code, "1111051500");

  p = ResolveRegion("부산 해운대구");
  ASSERT_TRUE(p && p->sigungu);
  EXPECT_EQ(p->sigungu->code, "26350");
  EXPECT_EQ(p->emd, nullptr);
}

TEST(ResolveRegion, GeneralDistrictsInOneOrTwoWords) {
  auto p = ResolveRegion("경기도 성남시 분당구 정자1동");
  ASSERT_TRUE(p && p->emd);
  EXPECT_EQ(p->sigungu->code, "41135");
  EXPECT_EQ(p->emd->name, "정자1동");
  p = ResolveRegion("경기 성남시분당구 정자1동");
  ASSERT_TRUE(p && p->sigungu);
  EXPECT_EQ(p->sigungu->code, "41135");
}

TEST(ResolveRegion, AmbiguousSigunguNeedsTheSido) {
  EXPECT_FALSE(ResolveRegion("중구"));
  EXPECT_FALSE(ResolveRegion("고성군"));
  auto p = ResolveRegion("대구 중구");
  ASSERT_TRUE(p && p->sigungu);
  EXPECT_EQ(p->sigungu->code, "27110");
  p = ResolveRegion("강원특별자치도 고성군 간성읍");
  ASSERT_TRUE(p && p->emd);
  EXPECT_EQ(p->sigungu->code, "51820");
  p = ResolveRegion("경남 고성군");
  ASSERT_TRUE(p && p->sigungu);
  EXPECT_EQ(p->sigungu->code, "48820");
  // Only 서울 중구 has a 명동, so the 읍면동 settles it.
  p = ResolveRegion("중구 명동");
  ASSERT_TRUE(p && p->emd);
  EXPECT_EQ(p->sigungu->code, "11140");
}

TEST(ResolveRegion, UniqueSigunguImpliesItsSido) {
  auto p = ResolveRegion("해운대구 우1동");
  ASSERT_TRUE(p && p->emd);
  EXPECT_EQ(p->sido->code, "26");
  EXPECT_EQ(p->emd->code, "2635051000");
}

TEST(ResolveRegion, SpellingVariantsOfDong) {
  auto p = ResolveRegion("서울 종로구 창신제1동");
  ASSERT_TRUE(p && p->emd);
  EXPECT_EQ(p->emd->code, "1111067000");
  p = ResolveRegion("서울특별시 종로구 종로1.2.3.4가동");
  ASSERT_TRUE(p && p->emd);
  EXPECT_EQ(p->emd->code, "1111061500");
}

TEST(ResolveRegion, SejongHasNoSeparateSigungu) {
  auto p = ResolveRegion("세종특별자치시 조치원읍");
  ASSERT_TRUE(p && p->emd);
  EXPECT_EQ(p->emd->code, "3611025000");
  EXPECT_EQ(FormatRegion(*p), "세종특별자치시 조치원읍");
}

TEST(ResolveRegion, Codes) {
  auto p = ResolveRegion("11110");
  ASSERT_TRUE(p && p->sigungu);
  EXPECT_EQ(p->sido->code, "11");
  EXPECT_EQ(p->emd, nullptr);
  p = ResolveRegion("1111051500");
  ASSERT_TRUE(p && p->emd);
  EXPECT_EQ(FormatRegion(*p), "서울특별시 종로구 청운효자동");
  p = ResolveRegion("1111000000");
  ASSERT_TRUE(p && p->sigungu);
  EXPECT_EQ(p->emd, nullptr);
  EXPECT_EQ(ResolveRegion("26")->sido->name, "부산광역시");
  EXPECT_FALSE(ResolveRegion("99999"));
  EXPECT_FALSE(ResolveRegion("123"));
}

TEST(ResolveRegion, UnknownText) {
  EXPECT_FALSE(ResolveRegion(""));
  EXPECT_FALSE(ResolveRegion("   "));
  EXPECT_FALSE(ResolveRegion("Springfield"));
}

TEST(ResolveRegion, EveryEupmyeondongRoundTripsThroughItsFormattedName) {
  for (const Eupmyeondong& e : AllEupmyeondong()) {
    RegionPath path{FindSido(e.code.substr(0, 2)), FindSigungu(e.sigungu_code), &e};
    auto p = ResolveRegion(FormatRegion(path));
    ASSERT_TRUE(p && p->emd) << FormatRegion(path);
    EXPECT_EQ(p->emd->code, e.code) << FormatRegion(path);
  }
}

}  // namespace
}  // namespace sz::korea
