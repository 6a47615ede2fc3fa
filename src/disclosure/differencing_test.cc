#include "disclosure/differencing.h"

#include <gtest/gtest.h>

#include "disclosure_tables.h"

namespace sz::disclosure {
namespace {

using testing::At;

std::vector<std::string> Ages(int from, int to) {
  std::vector<std::string> out;
  for (int a = from; a <= to; ++a) out.push_back(std::to_string(a));
  return out;
}

// Persons by 시도 (부산, 대구) with a total, restricted to ages [from, to].
Table ByRegion(int from, int to, int64_t busan, int64_t daegu) {
  Table t = TableFromLeaves(Statistic::kCount,
                            {FlatDimension("시도", "전국", {"부산", "대구"})},
                            [&](std::span<const int32_t> c) {
                              LeafEvidence e;
                              e.persons = c[0] == 1 ? busan : daegu;
                              return e;
                            });
  t.filters.push_back({"age", Ages(from, to)});
  return t;
}

TEST(DisclosureDifferencing, OneMoreFilterCategoryIsolatesASmallGroup) {
  Table old_table = ByRegion(20, 64, 100, 200);
  Table new_table = ByRegion(20, 65, 103, 215);  // adds the 65-year-olds: 3 in 부산
  ReleasedTable released{"output_3", &old_table, {}};
  auto diffs = FindDifferences(new_table, {}, std::span(&released, 1), 10);
  ASSERT_TRUE(diffs.ok()) << diffs.status().ToString();
  // 부산: 3 persons; 대구: 15 and the total: 18 are not below 10.
  ASSERT_EQ(diffs->size(), 1u);
  const Difference& d = (*diffs)[0];
  EXPECT_EQ(d.cell, At(new_table, {1}));
  EXPECT_EQ(d.released_cell, At(old_table, {1}));
  EXPECT_EQ(d.persons, 3);
  EXPECT_EQ(d.released_uid, "output_3");
  EXPECT_EQ(d.en,
            "cell (부산) and cell (부산) of released output 'output_3' differ by 3 persons; "
            "minimum is 10");

  // Attached to the check report as a review finding on that cell.
  CheckReport report;
  report.cells.resize(new_table.cells.size());
  Summarize(report);
  AttachDifferences(*diffs, report);
  EXPECT_EQ(report.verdict, Verdict::kReview);
  EXPECT_EQ(report.cells[At(new_table, {1})].findings[0].rule, Rule::kDifferencing);
  EXPECT_EQ(report.summary, "review; differencing: 1 cell");
}

TEST(DisclosureDifferencing, OverlappingButNotNestedPopulationsAreNotPairs) {
  // Ages 20-64 vs 21-65: neither contains the other, so the difference of the two
  // counts is not the count of one group.
  Table old_table = ByRegion(20, 64, 100, 200);
  Table new_table = ByRegion(21, 65, 102, 201);
  ReleasedTable released{"output_3", &old_table, {}};
  auto diffs = FindDifferences(new_table, {}, std::span(&released, 1), 10);
  ASSERT_TRUE(diffs.ok());
  EXPECT_TRUE(diffs->empty());
}

// Persons by age band, bands given by their codes.
Table ByBand(const std::vector<std::pair<std::string, std::vector<std::string>>>& bands,
             const std::vector<int64_t>& persons) {
  Dimension dim;
  dim.name = "band";
  dim.variable = "age";
  dim.categories.push_back({"all", -1, {}});
  for (const auto& [label, codes] : bands) dim.categories.push_back({label, 0, codes});
  return TableFromLeaves(Statistic::kCount, {dim}, [&](std::span<const int32_t> c) {
    LeafEvidence e;
    e.persons = persons[static_cast<size_t>(c[0] - 1)];
    return e;
  });
}

TEST(DisclosureDifferencing, ShiftedBandBoundariesAreCaught) {
  Table old_table = ByBand({{"20-29", Ages(20, 29)}, {"30-39", Ages(30, 39)}}, {120, 140});
  // 20-30 holds the 4 thirty-year-olds more than 20-29; 31-39 holds 4 fewer than 30-39.
  Table new_table = ByBand({{"20-30", Ages(20, 30)}, {"31-39", Ages(31, 39)}}, {124, 136});
  ReleasedTable released{"output_1", &old_table, {}};
  auto diffs = FindDifferences(new_table, {}, std::span(&released, 1), 10);
  ASSERT_TRUE(diffs.ok()) << diffs.status().ToString();
  ASSERT_EQ(diffs->size(), 2u);
  EXPECT_EQ((*diffs)[0].cell, At(new_table, {1}));
  EXPECT_EQ((*diffs)[0].released_cell, At(old_table, {1}));
  EXPECT_EQ((*diffs)[0].persons, 4);
  EXPECT_EQ((*diffs)[1].cell, At(new_table, {2}));
  EXPECT_EQ((*diffs)[1].released_cell, At(old_table, {2}));
  // The two totals (260 each) have the same population: no pair.
}

// Counts made with a cap (CellEvidence::persons_capped): `persons` means "cap or more".
Table Capped(Table t, int64_t cap) {
  for (Cell& cell : t.cells) {
    if (cell.evidence.persons < cap) continue;
    cell.evidence.persons = cap;
    cell.evidence.persons_capped = true;
  }
  return t;
}

TEST(DisclosureDifferencing, CappedCountsAreFlaggedWhenASmallDifferenceCannotBeRuledOut) {
  // Released: ages 20-64 counted up to 20 (every cell "20 or more"). New: ages 20-63,
  // exact 5 (부산), 8 (대구), 13 (total), each nested in the released cell of its region
  // and in the released total.
  Table old_table = Capped(ByRegion(20, 64, 100, 200), 20);
  Table new_table = ByRegion(20, 63, 5, 8);
  ReleasedTable released{"output_3", &old_table, {}};
  auto diffs = FindDifferences(new_table, {}, std::span(&released, 1), 10);
  ASSERT_TRUE(diffs.ok()) << diffs.status().ToString();
  // 부산 and 대구 differ from any population of 20 or more by at least 12: not small.
  // The total (13) may be within 10 of "20 or more": undecided, flagged.
  ASSERT_EQ(diffs->size(), 1u);
  const Difference& d = (*diffs)[0];
  EXPECT_TRUE(d.undecided);
  EXPECT_EQ(d.persons, 0);
  EXPECT_EQ(d.cell, At(new_table, {0}));
  EXPECT_EQ(d.released_cell, At(old_table, {0}));
  EXPECT_NE(d.en.find("counted only up to 20"), std::string::npos) << d.en;

  // The same pair with exact counts on both sides decides it: 13 vs 300 is no small
  // difference, so nothing is flagged.
  Table exact_old = ByRegion(20, 64, 100, 200);
  ReleasedTable exact{"output_3", &exact_old, {}};
  auto none = FindDifferences(new_table, {}, std::span(&exact, 1), 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  // Two capped tables: every strictly nested pair is undecided (never passed silently):
  // (부산, 부산), (대구, 대구), (total, total), (total, 부산), (total, 대구).
  Table new_capped = Capped(ByRegion(20, 65, 103, 215), 20);
  auto both = FindDifferences(new_capped, {}, std::span(&released, 1), 10);
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->size(), 5u);
}

TEST(DisclosureDifferencing, OnlyPublishedCellsOfTheSameMeasureCount) {
  Table old_table = ByRegion(20, 64, 100, 200);
  Table new_table = ByRegion(20, 65, 103, 215);
  std::vector<bool> old_published(old_table.cells.size(), true);
  old_published[At(old_table, {1})] = false;  // 부산 was suppressed in the release
  ReleasedTable suppressed{"output_3", &old_table, old_published};
  auto none = FindDifferences(new_table, {}, std::span(&suppressed, 1), 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  std::vector<bool> new_published(new_table.cells.size(), true);
  new_published[At(new_table, {1})] = false;  // or 부산 is suppressed now
  ReleasedTable full{"output_3", &old_table, {}};
  auto none2 = FindDifferences(new_table, new_published, std::span(&full, 1), 10);
  ASSERT_TRUE(none2.ok());
  EXPECT_TRUE(none2->empty());

  Table other_measure = old_table;
  other_measure.measure = "households";
  ReleasedTable other{"output_4", &other_measure, {}};
  auto none3 = FindDifferences(new_table, {}, std::span(&other, 1), 10);
  ASSERT_TRUE(none3.ok());
  EXPECT_TRUE(none3->empty());

  EXPECT_EQ(FindDifferences(new_table, std::vector<bool>(1), std::span(&full, 1), 10)
                .status()
                .code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace sz::disclosure
