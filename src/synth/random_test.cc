#include "synth/random.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace sz::synth {
namespace {

TEST(SynthRandom, SameSeedSameStream) {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    EXPECT_NE(x, c.Next());
  }
}

TEST(SynthRandom, MixSeedSeparatesStreams) {
  std::set<uint64_t> seen;
  for (uint64_t d = 0; d < 7; ++d)
    for (uint64_t r = 0; r < 1000; ++r) EXPECT_TRUE(seen.insert(MixSeed(1, d, r)).second);
  EXPECT_NE(MixSeed(1, 2, 3), MixSeed(1, 3, 2));
}

TEST(SynthRandom, BelowStaysInRangeAndCoversIt) {
  Rng rng(7);
  std::vector<int> counts(10, 0);
  for (int i = 0; i < 100'000; ++i) {
    uint64_t v = rng.Below(10);
    ASSERT_LT(v, 10u);
    ++counts[v];
  }
  // Each bucket expects 10,000; 5 standard deviations is ±474.
  for (int c : counts) EXPECT_NEAR(c, 10'000, 474);
  for (int i = 0; i < 1000; ++i) {
    int64_t v = rng.Range(-3, 3);
    EXPECT_GE(v, -3);
    EXPECT_LE(v, 3);
  }
}

TEST(SynthRandom, WeightedIndexFollowsWeights) {
  std::vector<double> w = {1, 0, 3};
  WeightedIndex idx(w);
  Rng rng(9);
  std::vector<int> counts(3, 0);
  for (int i = 0; i < 40'000; ++i) ++counts[idx(rng)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[0], 10'000, 450);
  EXPECT_NEAR(counts[2], 30'000, 450);
}

TEST(SynthRandom, PermutationIsABijection) {
  for (uint64_t n : {1u, 2u, 5u, 1000u, 4097u}) {
    Permutation p(n, 1234);
    std::set<uint64_t> out;
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t v = p(i);
      EXPECT_LT(v, n);
      out.insert(v);
    }
    EXPECT_EQ(out.size(), n);
  }
  Permutation p(1000, 1), q(1000, 2);
  int same = 0;
  for (uint64_t i = 0; i < 1000; ++i) same += p(i) == q(i);
  EXPECT_LT(same, 20) << "different keys give different orders";
}

TEST(SynthRandom, NormalHasUnitVariance) {
  Rng rng(11);
  double sum = 0, sq = 0;
  const int n = 50'000;
  for (int i = 0; i < n; ++i) {
    double x = rng.Normal();
    sum += x;
    sq += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.03);
  EXPECT_NEAR(sq / n, 1.0, 0.05);
}

}  // namespace
}  // namespace sz::synth
