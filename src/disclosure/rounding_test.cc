#include "disclosure/rounding.h"

#include <gtest/gtest.h>

#include "disclosure_tables.h"

namespace sz::disclosure {
namespace {

using testing::At;
using testing::CountTable2D;

// Interior       X   Y
//            A   3  23
//            B  17  33
Table Small() { return CountTable2D({"A", "B"}, {"X", "Y"}, {{3, 23}, {17, 33}}); }

TEST(DisclosureRounding, RoundToBaseHalvesAwayFromZero) {
  EXPECT_EQ(RoundToBase(7, 5), 5);
  EXPECT_EQ(RoundToBase(8, 5), 10);
  EXPECT_EQ(RoundToBase(2, 5), 0);
  EXPECT_EQ(RoundToBase(12.5, 5), 15);
  EXPECT_EQ(RoundToBase(-12.5, 5), -15);
  EXPECT_EQ(RoundToBase(33, 1), 33);
}

TEST(DisclosureRounding, MarginsAreRecomputedFromRoundedCells) {
  Table t = Small();
  auto r = RoundTable(t, 5, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // 3 -> 5, 23 -> 25, 17 -> 15, 33 -> 35.
  EXPECT_EQ(*r->values[At(t, {1, 1})], 5);
  EXPECT_EQ(*r->values[At(t, {1, 2})], 25);
  EXPECT_EQ(*r->values[At(t, {2, 1})], 15);
  EXPECT_EQ(*r->values[At(t, {2, 2})], 35);
  // Margins are sums of rounded cells, not rounded true margins: A is 5 + 25 = 30
  // (the true 26 would round to 25), Y is 60 (true 56 -> 55), the grand total 80.
  EXPECT_EQ(*r->values[At(t, {1, 0})], 30);
  EXPECT_EQ(*r->values[At(t, {2, 0})], 50);
  EXPECT_EQ(*r->values[At(t, {0, 1})], 20);
  EXPECT_EQ(*r->values[At(t, {0, 2})], 60);
  EXPECT_EQ(*r->values[At(t, {0, 0})], 80);
}

TEST(DisclosureRounding, RecomputedMarginCanDifferFromRoundedTrueMargin) {
  // Three cells of 2: each rounds to 0, so the recomputed total is 0 although the true
  // total 6 would round to 5. Additivity wins.
  Table t = CountTable2D({"A"}, {"X", "Y", "Z"}, {{2, 2, 2}});
  auto r = RoundTable(t, 5, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r->values[At(t, {1, 0})], 0);
  EXPECT_EQ(*r->values[At(t, {0, 0})], 0);
}

TEST(DisclosureRounding, RedactThenRound) {
  Table t = Small();
  std::vector<bool> redact(t.cells.size(), false);
  redact[At(t, {1, 1})] = true;  // A x X = 3 fails the threshold
  auto r = RoundTable(t, 5, redact);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->values[At(t, {1, 1})].has_value());
  // Margins leave the withheld cell out: A = 25, X = 15, grand = 25 + 15 + 35 = 75.
  EXPECT_EQ(*r->values[At(t, {1, 0})], 25);
  EXPECT_EQ(*r->values[At(t, {0, 1})], 15);
  EXPECT_EQ(*r->values[At(t, {0, 0})], 75);
  // A - (A x Y) = 0: the published table says nothing about the withheld cell.
  EXPECT_EQ(*r->values[At(t, {1, 0})] - *r->values[At(t, {1, 2})], 0);

  // A withheld margin stays withheld; the grand total is still the sum of the rest.
  redact[At(t, {0, 2})] = true;
  auto r2 = RoundTable(t, 5, redact);
  ASSERT_TRUE(r2.ok());
  EXPECT_FALSE(r2->values[At(t, {0, 2})].has_value());
  EXPECT_EQ(*r2->values[At(t, {0, 0})], 75);
}

TEST(DisclosureRounding, HierarchicalMarginsAddUpAtEveryLevel) {
  // T > {P1 > {a, b}, P2 > {c}} x one column: a=7 b=8 c=12 -> 5, 10, 10.
  Dimension region;
  region.name = "region";
  region.categories = {{"T", -1, {}}, {"P1", 0, {}}, {"a", 1, {}}, {"b", 1, {}},
                       {"P2", 0, {}}, {"c", 4, {}}};
  const int64_t v[] = {0, 0, 7, 8, 0, 12};
  Table t = TableFromLeaves(Statistic::kCount, {region}, [&](std::span<const int32_t> c) {
    LeafEvidence e;
    e.persons = v[c[0]];
    return e;
  });
  auto r = RoundTable(t, 5, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r->values[At(t, {1})], 15);
  EXPECT_EQ(*r->values[At(t, {4})], 10);
  EXPECT_EQ(*r->values[At(t, {0})], 25);
}

TEST(DisclosureRounding, RejectsBadInput) {
  Table t = Small();
  EXPECT_EQ(RoundTable(t, 0, {}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(RoundTable(t, 5, std::vector<bool>(2)).status().code(), Code::kInvalidArgument);
  t.statistic = Statistic::kMedian;
  EXPECT_EQ(RoundTable(t, 5, {}).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace sz::disclosure
