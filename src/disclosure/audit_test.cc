#include "disclosure/audit.h"

#include <gtest/gtest.h>

#include <cmath>

#include "disclosure_tables.h"

namespace sz::disclosure {
namespace {

using testing::At;
using testing::CountTable2D;

// Interior       X   Y | T
//            A   4  20 | 24
//            B  15  30 | 45
//            T  19  50 | 69
Table Small() { return CountTable2D({"A", "B"}, {"X", "Y"}, {{4, 20}, {15, 30}}); }

std::vector<CellStatus> Mark(const Table& t, const std::vector<std::vector<int32_t>>& primary,
                             const std::vector<std::vector<int32_t>>& secondary) {
  std::vector<CellStatus> status(t.cells.size(), CellStatus::kPublished);
  for (const auto& c : primary) status[At(t, c)] = CellStatus::kPrimary;
  for (const auto& c : secondary) status[At(t, c)] = CellStatus::kSecondary;
  return status;
}

const CellInterval& IntervalOf(const AuditReport& report, size_t cell) {
  for (const CellInterval& iv : report.intervals) {
    if (iv.cell == cell) return iv;
  }
  static CellInterval none;
  ADD_FAILURE() << "no interval for cell " << cell;
  return none;
}

TEST(DisclosureAudit, PrimaryOnlySuppressionIsRecoveredFromTheMargin) {
  Table t = Small();
  auto report = AuditSuppression(t, Mark(t, {{1, 1}}, {}), ProtectionRule{});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->intervals.size(), 1u);
  // Row A: 24 - 20 = 4.
  EXPECT_DOUBLE_EQ(report->intervals[0].lower, 4);
  EXPECT_DOUBLE_EQ(report->intervals[0].upper, 4);
  EXPECT_TRUE(report->intervals[0].exact);
  EXPECT_EQ(report->exact, 1u);
  EXPECT_EQ(report->under_protected, 1u);
  EXPECT_FALSE(report->safe());
}

TEST(DisclosureAudit, RectangleGivesHandComputedIntervals) {
  Table t = Small();
  auto report = AuditSuppression(t, Mark(t, {{1, 1}}, {{1, 2}, {2, 1}, {2, 2}}),
                                 ProtectionRule{});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  // AX = t, AY = 24 - t, BX = 19 - t, BY = 26 + t, all >= 0: t in [0, 19].
  const CellInterval& ax = IntervalOf(*report, At(t, {1, 1}));
  EXPECT_NEAR(ax.lower, 0, 1e-9);
  EXPECT_NEAR(ax.upper, 19, 1e-9);
  EXPECT_DOUBLE_EQ(ax.need_upper, 9);  // 4 + max(10% of 4, 5)
  EXPECT_DOUBLE_EQ(ax.need_lower, 0);  // 4 - 5 is below the bound 0
  EXPECT_FALSE(ax.under_protected);
  const CellInterval& ay = IntervalOf(*report, At(t, {1, 2}));
  EXPECT_NEAR(ay.lower, 5, 1e-9);
  EXPECT_NEAR(ay.upper, 24, 1e-9);
  const CellInterval& by = IntervalOf(*report, At(t, {2, 2}));
  EXPECT_NEAR(by.lower, 26, 1e-9);
  EXPECT_NEAR(by.upper, 45, 1e-9);
  EXPECT_TRUE(report->safe());
  EXPECT_EQ(report->components, 1u);
}

TEST(DisclosureAudit, NarrowIntervalIsUnderProtectedButNotExact) {
  // A: X=4, Y=2 (both primary). AX = t, AY = 6 - t: t in [0, 6], but 4 + 5 = 9 is needed.
  Table t = CountTable2D({"A", "B"}, {"X", "Y"}, {{4, 2}, {15, 30}});
  auto report = AuditSuppression(t, Mark(t, {{1, 1}, {1, 2}}, {{2, 1}, {2, 2}}),
                                 ProtectionRule{});
  ASSERT_TRUE(report.ok());
  EXPECT_NEAR(IntervalOf(*report, At(t, {1, 1})).upper, 6, 1e-9);
  EXPECT_EQ(report->exact, 0u);
  EXPECT_EQ(report->under_protected, 2u);
  EXPECT_FALSE(report->safe());
  // A protection rule asking for 1 only is met.
  auto lenient = AuditSuppression(t, Mark(t, {{1, 1}, {1, 2}}, {{2, 1}, {2, 2}}),
                                  ProtectionRule{10, 1});
  ASSERT_TRUE(lenient.ok());
  EXPECT_TRUE(lenient->safe());
}

TEST(DisclosureAudit, SuppressingTheRowMarginDoesNotHelpAgainstTheColumnMargin) {
  // Row A fully hidden (AX, AY, A-total) but column X still gives AX = 19 - 15.
  Table t = Small();
  auto report = AuditSuppression(t, Mark(t, {{1, 1}}, {{1, 2}, {1, 0}}), ProtectionRule{});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(IntervalOf(*report, At(t, {1, 1})).exact);
  EXPECT_TRUE(IntervalOf(*report, At(t, {1, 2})).exact);
  EXPECT_TRUE(IntervalOf(*report, At(t, {1, 0})).exact);
  EXPECT_EQ(report->exact, 3u);
}

TEST(DisclosureAudit, NegativeValuesRemoveTheLowerBound) {
  // 1-D: s1 = -5, s2 = 10, total 5. With negatives there is no a priori bound.
  Table t = TableFromLeaves(Statistic::kSum, {FlatDimension("k", "T", {"s1", "s2"})},
                            [](std::span<const int32_t> c) {
                              LeafEvidence e;
                              e.persons = 20;
                              e.sum = c[0] == 1 ? -5 : 10;
                              return e;
                            });
  EXPECT_TRUE(std::isinf(AprioriLowerBound(t)));
  auto report = AuditSuppression(t, Mark(t, {{1}}, {{2}}), ProtectionRule{});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(std::isinf(report->intervals[0].lower));
  EXPECT_TRUE(std::isinf(report->intervals[0].upper));
  EXPECT_TRUE(report->safe());
}

TEST(DisclosureAudit, HierarchyLinksLevels) {
  // 1-D hierarchy: T > {P1, P2}; P1 > {a, b}; P2 > {c, d}. a=3 b=20 c=15 d=40.
  Dimension region;
  region.name = "region";
  region.categories = {{"T", -1, {}}, {"P1", 0, {}}, {"a", 1, {}}, {"b", 1, {}},
                       {"P2", 0, {}}, {"c", 4, {}}, {"d", 4, {}}};
  const double values[] = {0, 0, 3, 20, 0, 15, 40};
  Table t = TableFromLeaves(Statistic::kCount, {region}, [&](std::span<const int32_t> c) {
    LeafEvidence e;
    e.persons = static_cast<int64_t>(values[c[0]]);
    return e;
  });
  // a and b hidden, P1 published: a + b = 23, a in [0, 23].
  auto ok = AuditSuppression(t, Mark(t, {{2}}, {{3}}), ProtectionRule{});
  ASSERT_TRUE(ok.ok());
  EXPECT_NEAR(IntervalOf(*ok, At(t, {2})).upper, 23, 1e-9);
  EXPECT_TRUE(ok->safe());
  // a, b and P1 hidden but P2 and T published: P1 = T - P2 = 23, the same interval.
  auto up = AuditSuppression(t, Mark(t, {{2}}, {{3}, {1}}), ProtectionRule{});
  ASSERT_TRUE(up.ok());
  EXPECT_TRUE(IntervalOf(*up, At(t, {1})).exact);
  EXPECT_EQ(up->exact, 1u);
}

TEST(DisclosureAudit, RejectsBadInput) {
  Table t = Small();
  std::vector<CellStatus> short_status(3, CellStatus::kPublished);
  EXPECT_EQ(AuditSuppression(t, short_status, {}).status().code(), Code::kInvalidArgument);
  Table broken = Small();
  broken.cells[At(broken, {0, 0})].value += 1;  // grand total no longer adds up
  std::vector<CellStatus> all(broken.cells.size(), CellStatus::kPublished);
  EXPECT_EQ(AuditSuppression(broken, all, {}).status().code(), Code::kInvalidArgument);
  Table nan = Small();
  nan.cells[At(nan, {1, 1})].value = std::nan("");
  EXPECT_EQ(AuditSuppression(nan, all, {}).status().code(), Code::kInvalidArgument);
  Table mean = Small();
  mean.statistic = Statistic::kMean;
  EXPECT_EQ(AuditSuppression(mean, all, {}).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace sz::disclosure
