#include "korea/names.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace sz::korea {
namespace {

TEST(Names, SurnameSharesFollowTheCensus) {
  auto s = Surnames();
  ASSERT_GE(s.size(), 80u);
  EXPECT_EQ(s[0].hangul, "김");
  EXPECT_NEAR(s[0].share, 0.215, 0.001);
  EXPECT_EQ(s[1].hangul, "이");
  EXPECT_NEAR(s[1].share, 0.147, 0.001);
  EXPECT_EQ(s[2].hangul, "박");
  EXPECT_NEAR(s[2].share, 0.084, 0.001);
  double total = 0;
  std::set<std::string_view> seen;
  for (const Surname& x : s) {
    EXPECT_GT(x.share, 0.0) << x.hangul;
    EXPECT_TRUE(seen.insert(x.hangul).second) << "duplicate " << x.hangul;
    total += x.share;
  }
  EXPECT_GT(total, 0.93);  // the rest are hundreds of rarer surnames
  EXPECT_LT(total, 1.0);
  for (std::string_view two : {"남궁", "황보", "제갈", "선우"}) EXPECT_TRUE(seen.count(two)) << two;
}

TEST(Names, CohortBoundaries) {
  EXPECT_EQ(CohortOf(1969), NameCohort::kBefore1970);
  EXPECT_EQ(CohortOf(1970), NameCohort::k1970To1994);
  EXPECT_EQ(CohortOf(1994), NameCohort::k1970To1994);
  EXPECT_EQ(CohortOf(1995), NameCohort::kFrom1995);
}

TEST(Names, GivenSyllablesAreHangulAndDifferByCohort) {
  for (NameCohort c : {NameCohort::kBefore1970, NameCohort::k1970To1994, NameCohort::kFrom1995})
    for (bool male : {true, false}) {
      GivenNameSyllables g = GivenSyllables(c, male);
      EXPECT_GE(g.first.size(), 10u);
      EXPECT_GE(g.second.size(), 10u);
      for (std::string_view s : g.first) EXPECT_EQ(s.size(), 3u) << "one syllable: " << s;
    }
  auto old_f = GivenSyllables(NameCohort::kBefore1970, false).second;
  auto new_f = GivenSyllables(NameCohort::kFrom1995, false).second;
  EXPECT_NE(std::find(old_f.begin(), old_f.end(), "자"), old_f.end());
  EXPECT_EQ(std::find(new_f.begin(), new_f.end(), "자"), new_f.end());
}

TEST(Names, CommonGivenNamesByCohort) {
  auto old_m = CommonGivenNames(NameCohort::kBefore1970, true);
  auto new_f = CommonGivenNames(NameCohort::kFrom1995, false);
  EXPECT_EQ(old_m[0], "영수");
  EXPECT_EQ(new_f[0], "서연");
  for (NameCohort c : {NameCohort::kBefore1970, NameCohort::k1970To1994, NameCohort::kFrom1995})
    for (bool male : {true, false}) {
      auto names = CommonGivenNames(c, male);
      EXPECT_GE(names.size(), 30u);
      std::set<std::string_view> unique(names.begin(), names.end());
      EXPECT_EQ(unique.size(), names.size());
      for (std::string_view n : names) {
        EXPECT_EQ(n.size(), 6u) << "two syllables: " << n;
        EXPECT_FALSE(IsAvoidedGivenName(n)) << n;
      }
    }
  EXPECT_TRUE(IsAvoidedGivenName("지진"));
  EXPECT_FALSE(IsAvoidedGivenName("지현"));
}

TEST(Names, RevisedRomanization) {
  EXPECT_EQ(Romanize("홍길동"), "honggildong");
  EXPECT_EQ(Romanize("김민준"), "gimminjun");
  EXPECT_EQ(Romanize("최서연"), "choeseoyeon");
  EXPECT_EQ(Romanize("박지훈"), "bakjihun");
  EXPECT_EQ(Romanize("정은희"), "jeongeunhui");
  EXPECT_EQ(Romanize("꽃"), "kkot");
  EXPECT_EQ(Romanize("읽"), "ik");   // final ㄺ → k
  EXPECT_EQ(Romanize("값"), "gap");  // final ㅄ → p
  EXPECT_EQ(Romanize("뛰"), "ttwi");
  EXPECT_EQ(Romanize("A-1 한"), "a1han");
}

TEST(Names, CustomarySurnames) {
  EXPECT_EQ(CustomarySurname("이"), "lee");
  EXPECT_EQ(CustomarySurname("박"), "park");
  EXPECT_EQ(CustomarySurname("최"), "choi");
  EXPECT_EQ(CustomarySurname("남궁"), "namgoong");
  EXPECT_EQ(CustomarySurname("갈"), "gal") << "unlisted: Revised Romanization";
}

}  // namespace
}  // namespace sz::korea
