#include "detect/names.h"

#include <gtest/gtest.h>

namespace sz::detect {
namespace {

TEST(KoreanName, AcceptsSurnamePlusGivenName) {
  EXPECT_TRUE(IsKoreanPersonName("김민준"));
  EXPECT_TRUE(IsKoreanPersonName("이서연"));
  EXPECT_TRUE(IsKoreanPersonName("박지"));      // 2 syllables
  EXPECT_TRUE(IsKoreanPersonName("김 민준"));   // space after the surname
  EXPECT_TRUE(IsKoreanPersonName("남궁민수"));  // two-syllable surname
  EXPECT_TRUE(IsKoreanPersonName("제갈량"));
  EXPECT_TRUE(IsKoreanPersonName("남궁 민"));
  EXPECT_TRUE(IsKoreanPersonName("리영희"));    // 리 spelling of 이
}

TEST(KoreanName, RejectsOtherHangul) {
  EXPECT_FALSE(IsKoreanPersonName("김"));           // surname alone
  EXPECT_FALSE(IsKoreanPersonName("김민준서준"));   // 5 syllables
  EXPECT_FALSE(IsKoreanPersonName("스미스"));       // 스 is no common surname
  EXPECT_FALSE(IsKoreanPersonName("김민준1"));
  EXPECT_FALSE(IsKoreanPersonName("김민 준"));      // space inside the given name
  EXPECT_FALSE(IsKoreanPersonName("남궁민 수"));
  EXPECT_FALSE(IsKoreanPersonName("이상"));         // everyday word
  EXPECT_FALSE(IsKoreanPersonName("정상"));
  EXPECT_FALSE(IsKoreanPersonName("kim"));
}

TEST(RomanizedName, ReportsShapeAndKoreanSurname) {
  RomanizedNameCheck kim = CheckRomanizedName("Kim Minsu");
  EXPECT_TRUE(kim.shape);
  EXPECT_TRUE(kim.korean_surname);
  EXPECT_TRUE(CheckRomanizedName("HONG, Gil-dong").korean_surname);
  EXPECT_TRUE(CheckRomanizedName("Seoyeon Park").korean_surname);
  RomanizedNameCheck lachlan = CheckRomanizedName("lachlan");
  EXPECT_TRUE(lachlan.shape);
  EXPECT_FALSE(lachlan.korean_surname);
  EXPECT_TRUE(CheckRomanizedName("O'Brien").shape);
  EXPECT_FALSE(CheckRomanizedName("Gil-dong").korean_surname);  // not the surname "gil"
  EXPECT_FALSE(CheckRomanizedName("J").shape);
  EXPECT_FALSE(CheckRomanizedName("R2D2").shape);
  EXPECT_FALSE(CheckRomanizedName("the quick brown fox").shape);  // 4 words
  EXPECT_FALSE(CheckRomanizedName("-kim").shape);
}

TEST(Sex, AcceptsCommonCodes) {
  for (auto v : {"남", "여", "남자", "여성", "M", "f", "Male", "FEMALE"}) {
    EXPECT_TRUE(IsSexValue(v)) << v;
  }
  for (auto v : {"남녀", "1", "x", "man", ""}) EXPECT_FALSE(IsSexValue(v)) << v;
}

}  // namespace
}  // namespace sz::detect
