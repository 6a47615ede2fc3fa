#include "synth/noise.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/text.h"

namespace sz::synth {
namespace {

// Number of jamo positions (initial, medial, final) in which two syllables differ.
int JamoDistance(char32_t a, char32_t b) {
  unsigned x = a - 0xAC00, y = b - 0xAC00;
  return (x / 588 != y / 588) + ((x % 588) / 28 != (y % 588) / 28) + (x % 28 != y % 28);
}

TEST(SynthNoise, NameTypoChangesExactlyOneJamoOfOneSyllable) {
  Rng rng(1);
  int given_changed = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string typo = NameTypo(rng, "김", "민준");
    std::u32string a = text::DecodeUtf8("김민준"), b = text::DecodeUtf8(typo);
    ASSERT_EQ(a.size(), b.size()) << typo;
    int syllables = 0, jamo = 0;
    for (size_t k = 0; k < a.size(); ++k) {
      ASSERT_TRUE(text::IsHangulSyllable(b[k])) << typo;
      if (a[k] != b[k]) {
        ++syllables;
        jamo += JamoDistance(a[k], b[k]);
        if (k > 0) ++given_changed;
      }
    }
    EXPECT_EQ(syllables, 1) << typo;
    EXPECT_EQ(jamo, 1) << typo;
  }
  EXPECT_NEAR(given_changed, 1600, 120) << "the given name takes 4 of 5 typos";
}

TEST(SynthNoise, NameTypoHandlesTwoSyllableSurnamesAndOneSyllableNames) {
  Rng rng(2);
  for (int i = 0; i < 200; ++i) {
    std::string t = NameTypo(rng, "남궁", "민");
    EXPECT_NE(t, "남궁민");
    EXPECT_EQ(text::DecodeUtf8(t).size(), 3u);
  }
}

TEST(SynthNoise, DobTranspositionSwapsTwoAdjacentDigits) {
  Rng rng(3);
  Date latest{2024, 12, 31};
  for (Date d : {Date{1985, 3, 12}, Date{1962, 10, 27}, Date{2001, 7, 4}}) {
    for (int i = 0; i < 50; ++i) {
      auto t = DobTransposed(rng, d, latest);
      ASSERT_TRUE(t);
      EXPECT_TRUE(t->Valid());
      EXPECT_NE(*t, d);
      EXPECT_LE(*t, latest);
      std::string a = d.Compact(), b = t->Compact();
      int diff = 0;
      size_t first = 0;
      for (size_t k = 0; k < 8; ++k)
        if (a[k] != b[k]) first = diff++ == 0 ? k : first;
      ASSERT_EQ(diff, 2) << a << " → " << b;
      EXPECT_EQ(a[first], b[first + 1]);
      EXPECT_EQ(a[first + 1], b[first]);
    }
  }
  // All digits equal: no transposition changes anything.
  EXPECT_FALSE(DobTransposed(rng, Date{1111, 11, 11}, latest));
}

TEST(SynthNoise, ChooseNoiseRateAndKinds) {
  Rng rng(4);
  constexpr std::array<NoiseKind, 2> kinds = {NoiseKind::kNameTypo, NoiseKind::kPhoneChanged};
  int noisy = 0, doubles = 0;
  const int n = 20'000;
  for (int i = 0; i < n; ++i) {
    auto k = ChooseNoise(rng, 0.1, kinds);
    if (!k.empty()) ++noisy;
    if (k.size() == 2) {
      ++doubles;
      EXPECT_NE(k[0], k[1]);
    }
    for (NoiseKind x : k) EXPECT_TRUE(x == NoiseKind::kNameTypo || x == NoiseKind::kPhoneChanged);
  }
  EXPECT_NEAR(noisy, 2000, 130);
  EXPECT_NEAR(doubles, 300, 60);
  EXPECT_TRUE(ChooseNoise(rng, 1.0, {}).empty());
  EXPECT_EQ(NoiseName(NoiseKind::kDobTransposed), "dob_transposed");
}

}  // namespace
}  // namespace sz::synth
