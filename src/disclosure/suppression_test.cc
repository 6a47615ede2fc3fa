#include "disclosure/suppression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "disclosure/checks.h"
#include "disclosure/internal/subtables.h"
#include "disclosure_tables.h"

namespace sz::disclosure {
namespace {

using testing::At;
using testing::CountTable2D;

std::vector<bool> Primaries(const Table& t, const std::vector<std::vector<int32_t>>& cells) {
  std::vector<bool> mask(t.cells.size(), false);
  for (const auto& c : cells) mask[At(t, c)] = true;
  return mask;
}

std::vector<size_t> Secondaries(const SuppressionResult& r) {
  std::vector<size_t> out;
  for (size_t i = 0; i < r.status.size(); ++i) {
    if (r.status[i] == CellStatus::kSecondary) out.push_back(i);
  }
  return out;
}

SuppressionOptions Options(SuppressionMethod method) {
  SuppressionOptions o;
  o.method = method;
  return o;
}

// Interior       X   Y   Z |   T
//            A   3  20  30 |  53
//            B  25  40  35 | 100
//            C  30  22  50 | 102
//            T  58  82 115 | 255
Table ThreeByThree() {
  return CountTable2D({"A", "B", "C"}, {"X", "Y", "Z"},
                      {{3, 20, 30}, {25, 40, 35}, {30, 22, 50}});
}

TEST(DisclosureSuppression, PrimaryAloneIsUnsafeAndTheNetworkFixesIt) {
  Table t = ThreeByThree();
  std::vector<bool> primary = Primaries(t, {{1, 1}});

  std::vector<CellStatus> primary_only(t.cells.size(), CellStatus::kPublished);
  primary_only[At(t, {1, 1})] = CellStatus::kPrimary;
  auto naive = AuditSuppression(t, primary_only, ProtectionRule{});
  ASSERT_TRUE(naive.ok());
  EXPECT_FALSE(naive->safe());  // 53 - 20 - 30 = 3

  auto result = SuppressSecondary(t, primary, Options(SuppressionMethod::kNetwork));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  // Cheapest rectangle under the log cost: (A,Y)=20, (C,X)=30, (C,Y)=22 costs
  // 3 + ln(21 * 31 * 23) = 12.6, below (A,Y),(B,X),(B,Y) = 13.0 and the margins' cycles.
  EXPECT_EQ(Secondaries(*result),
            (std::vector<size_t>{At(t, {1, 2}), At(t, {3, 1}), At(t, {3, 2})}));
  EXPECT_EQ(result->primaries, 1u);
  EXPECT_EQ(result->secondaries, 3u);
  EXPECT_EQ(result->unresolved, 0u);
  ASSERT_TRUE(result->audit.has_value());
  EXPECT_TRUE(result->audit->safe());
  // AX + AY = 23 with AY >= 0: AX in [0, 23].
  for (const CellInterval& iv : result->audit->intervals) {
    if (iv.cell != At(t, {1, 1})) continue;
    EXPECT_NEAR(iv.lower, 0, 1e-9);
    EXPECT_NEAR(iv.upper, 23, 1e-9);
  }
}

TEST(DisclosureSuppression, HypercubeBaselinePicksTheSameRectangleHere) {
  Table t = ThreeByThree();
  auto result = SuppressSecondary(t, Primaries(t, {{1, 1}}),
                                  Options(SuppressionMethod::kHypercube));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(Secondaries(*result),
            (std::vector<size_t>{At(t, {1, 2}), At(t, {3, 1}), At(t, {3, 2})}));
  EXPECT_TRUE(result->audit->safe());
}

TEST(DisclosureSuppression, CellsTooSmallToCarryTheProtectionAreNotPartners) {
  // Interior   X   Y   Z |   T        (A,X) = 4 must move up by 5 and down by 4.
  //        A   4   1  50 |  55        (A,Y) = 1 is the cheapest partner by value but
  //        B  30  60  70 | 160        cannot go down by 5, so the rectangle uses Z:
  //        T  34  61 120 | 215        (A,Z) + (B,X) + (B,Z) = 51 + 31 + 71 = 153 beats the
  //                                   paths through the margins (207 and more).
  Table t = CountTable2D({"A", "B"}, {"X", "Y", "Z"}, {{4, 1, 50}, {30, 60, 70}});
  SuppressionOptions o;
  o.cost = SuppressionCost::kValue;
  auto result = SuppressSecondary(t, Primaries(t, {{1, 1}}), o);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(Secondaries(*result),
            (std::vector<size_t>{At(t, {1, 3}), At(t, {2, 1}), At(t, {2, 3})}));
  EXPECT_EQ(result->status[At(t, {1, 2})], CellStatus::kPublished);
  EXPECT_TRUE(result->audit->safe());
}

TEST(DisclosureSuppression, SplitsAProtectionNoSingleCellCanCarry) {
  // Row A = 3 + 4 + 2 = 9 fails and must be able to go down by 5, but no single cell
  // of row A holds 5: the change is split over several paths.
  Table t = CountTable2D({"A", "B", "C"}, {"X", "Y", "Z"},
                         {{3, 4, 2}, {25, 40, 35}, {30, 22, 50}});
  auto result = SuppressSecondary(t, Primaries(t, {{1, 0}}), SuppressionOptions{});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->unresolved, 0u);
  EXPECT_TRUE(result->audit->safe());
  for (const CellInterval& iv : result->audit->intervals) {
    if (iv.cell == At(t, {1, 0})) {
      EXPECT_LE(iv.lower, 4 + 1e-9);
    }
  }
}

TEST(DisclosureSuppression, SmallMarginAndItsRowAreProtected) {
  // Row A: 3 + 4 + 2 = 9, all four cells of row A fail the threshold.
  Table t = CountTable2D({"A", "B", "C"}, {"X", "Y", "Z"},
                         {{3, 4, 2}, {25, 40, 35}, {30, 22, 50}});
  auto report = CheckOutput(
      Output{"o", OutputType::kFrequencyTable, "", t, "", false, {}}, RiskAppetite::Defaults());
  ASSERT_TRUE(report.ok());
  std::vector<bool> primary = report->PrimaryMask();
  EXPECT_EQ(std::count(primary.begin(), primary.end(), true), 4);
  for (auto method : {SuppressionMethod::kNetwork, SuppressionMethod::kHypercube}) {
    auto result = SuppressSecondary(t, primary, Options(method));
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->audit->exact, 0u);
    if (method == SuppressionMethod::kNetwork) {
      EXPECT_TRUE(result->audit->safe());
      EXPECT_EQ(result->unresolved, 0u);
    }
  }
}

// Two-level regions x (X, Y, Total):
//   전국 > 서울 > {종로, 중구};  전국 > 부산 > {해운대, 수영}
Table Regions(const std::vector<std::vector<int64_t>>& leaf_counts) {
  Dimension region;
  region.name = "region";
  region.categories = {{"전국", -1, {}}, {"서울", 0, {}}, {"종로", 1, {}}, {"중구", 1, {}},
                       {"부산", 0, {}}, {"해운대", 4, {}}, {"수영", 4, {}}};
  const int32_t leaf_row[] = {-1, -1, 0, 1, -1, 2, 3};
  return TableFromLeaves(Statistic::kCount,
                         {region, FlatDimension("kind", "Total", {"X", "Y"})},
                         [&](std::span<const int32_t> c) {
                           LeafEvidence e;
                           e.persons = leaf_counts[static_cast<size_t>(leaf_row[c[0]])]
                                                  [static_cast<size_t>(c[1] - 1)];
                           return e;
                         });
}

TEST(DisclosureSuppression, HierarchicalLeafPrimaryStaysInItsSubtable) {
  Table t = Regions({{3, 30}, {40, 50}, {60, 70}, {80, 90}});
  auto result = SuppressSecondary(t, Primaries(t, {{2, 1}}), SuppressionOptions{});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  // The rectangle 종로/중구 x X/Y inside 서울's sub-table; 서울's own row is left alone.
  EXPECT_EQ(Secondaries(*result),
            (std::vector<size_t>{At(t, {2, 2}), At(t, {3, 1}), At(t, {3, 2})}));
  EXPECT_TRUE(result->audit->safe());
}

TEST(DisclosureSuppression, HierarchicalLinkingIsCheckedByTheAudit) {
  // 부산 x Y = 3 + 5 = 8 fails, and so do its parts 해운대 x Y = 3 and 수영 x Y = 5.
  Table t = Regions({{40, 30}, {45, 50}, {60, 3}, {80, 5}});
  auto report = CheckOutput(
      Output{"o", OutputType::kFrequencyTable, "", t, "", false, {}}, RiskAppetite::Defaults());
  ASSERT_TRUE(report.ok());
  std::vector<bool> primary = report->PrimaryMask();
  ASSERT_EQ(std::count(primary.begin(), primary.end(), true), 3);

  auto result = SuppressSecondary(t, primary, SuppressionOptions{});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->unresolved, 0u);
  ASSERT_TRUE(result->audit.has_value());
  EXPECT_TRUE(result->audit->safe());
  // 부산 x Y is protected in 전국's sub-table, which needs 서울 x Y (or X) hidden too,
  // and 서울's change must be balanced inside 서울's sub-table.
  EXPECT_NE(result->status[At(t, {1, 2})], CellStatus::kPublished);
  const bool seoul_child_hidden = result->status[At(t, {2, 2})] != CellStatus::kPublished ||
                                  result->status[At(t, {3, 2})] != CellStatus::kPublished;
  EXPECT_TRUE(seoul_child_hidden);

  // Primaries alone: 부산 x Y = 전국 x Y - 서울 x Y.
  std::vector<CellStatus> primary_only(t.cells.size(), CellStatus::kPublished);
  for (size_t i = 0; i < primary.size(); ++i) {
    if (primary[i]) primary_only[i] = CellStatus::kPrimary;
  }
  auto naive = AuditSuppression(t, primary_only, ProtectionRule{});
  ASSERT_TRUE(naive.ok());
  EXPECT_EQ(naive->exact, 3u);
}

TEST(DisclosureSuppression, OneDimensionalAndNoTotalColumns) {
  // 1-D with a total: a = 3 fails; its cheapest partner that can give 5 is b = 20.
  Table one = TableFromLeaves(Statistic::kCount,
                              {FlatDimension("k", "T", {"a", "b", "c"})},
                              [](std::span<const int32_t> c) {
                                const int64_t v[] = {0, 3, 20, 30};
                                LeafEvidence e;
                                e.persons = v[c[0]];
                                return e;
                              });
  auto r1 = SuppressSecondary(one, Primaries(one, {{1}}), SuppressionOptions{});
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  EXPECT_EQ(Secondaries(*r1), (std::vector<size_t>{At(one, {2})}));
  EXPECT_TRUE(r1->audit->safe());

  // Rows with a total, columns without: each column is its own 1-D table.
  Dimension cols;
  cols.name = "year";
  cols.categories = {{"2023", -1, {}}, {"2024", -1, {}}};
  Table two = TableFromLeaves(Statistic::kCount,
                              {FlatDimension("k", "T", {"a", "b", "c"}), cols},
                              [](std::span<const int32_t> c) {
                                LeafEvidence e;
                                e.persons = c[0] == 1 && c[1] == 1 ? 4 : 25 + c[0] + c[1];
                                return e;
                              });
  auto r2 = SuppressSecondary(two, Primaries(two, {{1, 1}}), SuppressionOptions{});
  ASSERT_TRUE(r2.ok()) << r2.status().ToString();
  EXPECT_EQ(r2->secondaries, 1u);
  for (size_t i : Secondaries(*r2)) EXPECT_EQ(two.cells[i].categories[1], 1);
  EXPECT_TRUE(r2->audit->safe());
}

TEST(DisclosureSuppression, SyntheticHierarchyIsSafeUnderTheNetworkMethod) {
  SkewedTableSpec spec;
  spec.fanouts = {3, 4, 5};
  spec.columns = 6;
  spec.primary_fraction = 0.08;
  spec.seed = 7;
  Table t = SkewedHierarchicalCountTable(spec);
  auto report = CheckOutput(
      Output{"o", OutputType::kFrequencyTable, "", t, "", false, {}}, RiskAppetite::Defaults());
  ASSERT_TRUE(report.ok());
  std::vector<bool> primary = report->PrimaryMask();
  ASSERT_GT(std::count(primary.begin(), primary.end(), true), 10);

  auto network = SuppressSecondary(t, primary, SuppressionOptions{});
  ASSERT_TRUE(network.ok()) << network.status().ToString();
  EXPECT_EQ(network->audit->exact, 0u);
  EXPECT_EQ(network->audit->under_protected, network->unresolved);
  EXPECT_TRUE(network->audit->safe());

  auto cube = SuppressSecondary(t, primary, Options(SuppressionMethod::kHypercube));
  ASSERT_TRUE(cube.ok()) << cube.status().ToString();
  EXPECT_GT(cube->secondaries, 0u);
}

TEST(DisclosureSuppression, RandomSparseHierarchiesAreAlwaysProtected) {
  // Many zeros and small cells (geometric, mean ~12), primaries at every level; 1-D
  // hierarchies, hierarchies x columns without a total, and x columns with a total.
  for (uint64_t seed = 1; seed <= 24; ++seed) {
    std::mt19937_64 rng(seed);
    std::geometric_distribution<int> draw(0.08);
    std::vector<Dimension> dims{TreeDimension("region", "T", {3, 3, 4})};
    if (seed % 3 == 1) dims.push_back(FlatDimension("kind", "T", {"a", "b", "c", "d"}));
    if (seed % 3 == 2) {
      dims.push_back(Dimension{"year", "", {{"2023", -1, {}}, {"2024", -1, {}}}});
    }
    Table t = TableFromLeaves(Statistic::kCount, dims, [&](std::span<const int32_t>) {
      LeafEvidence e;
      e.persons = draw(rng);
      return e;
    });
    auto report = CheckOutput(Output{"o", OutputType::kFrequencyTable, "", t, "", false, {}},
                              RiskAppetite::Defaults());
    ASSERT_TRUE(report.ok());
    auto result = SuppressSecondary(t, report->PrimaryMask(), SuppressionOptions{});
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_GT(result->primaries, 0u) << "seed " << seed;
    EXPECT_EQ(result->unresolved, 0u) << "seed " << seed;
    EXPECT_TRUE(result->audit->safe()) << "seed " << seed;
  }
}

TEST(DisclosureSuppression, RejectsUnsupportedShapes) {
  Table t = ThreeByThree();
  EXPECT_EQ(SuppressSecondary(t, std::vector<bool>(2), {}).status().code(),
            Code::kInvalidArgument);
  Table two_trees = TableFromLeaves(
      Statistic::kCount, {TreeDimension("a", "T", {2, 2}), TreeDimension("b", "T", {2, 2})},
      [](std::span<const int32_t>) { return LeafEvidence{20, 0, 0, 0, 0}; });
  EXPECT_EQ(SuppressSecondary(two_trees, std::vector<bool>(two_trees.cells.size()), {})
                .status()
                .code(),
            Code::kUnimplemented);
  Table mean = ThreeByThree();
  mean.statistic = Statistic::kMean;
  EXPECT_EQ(SuppressSecondary(mean, std::vector<bool>(mean.cells.size()), {}).status().code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace sz::disclosure

namespace sz::disclosure {
namespace {

TEST(DisclosureSuppression, CleanupPublishesBackWhatThePatternDoesNotNeed) {
  // Rectangle A/C x X/Y protects (A,X); a second rectangle B/C x Y/Z adds nothing.
  // Publishing (C,Z) makes (B,Y) and (B,Z) recomputable, so they are published too;
  // each cell of the first rectangle is needed.
  Table t = ThreeByThree();
  std::vector<CellStatus> status(t.cells.size(), CellStatus::kPublished);
  status[At(t, {1, 1})] = CellStatus::kPrimary;
  for (std::vector<int32_t> c : std::vector<std::vector<int32_t>>{
           {1, 2}, {3, 1}, {3, 2}, {2, 2}, {2, 3}, {3, 3}}) {
    status[At(t, c)] = CellStatus::kSecondary;
  }
  std::vector<double> cost(t.cells.size());
  for (size_t i = 0; i < cost.size(); ++i) cost[i] = 1 + std::log1p(t.cells[i].value);
  auto published = internal::RemoveRedundant(t, ProtectionRule{}, cost, 200, status);
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(*published, 3u);
  std::vector<size_t> left;
  for (size_t i = 0; i < status.size(); ++i) {
    if (status[i] == CellStatus::kSecondary) left.push_back(i);
  }
  EXPECT_EQ(left, (std::vector<size_t>{At(t, {1, 2}), At(t, {3, 1}), At(t, {3, 2})}));
  auto audit = AuditSuppression(t, status, ProtectionRule{});
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->safe());
}

}  // namespace
}  // namespace sz::disclosure
