#include "privacy/groupify.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "privacy/test_tables.h"

namespace sz::privacy {
namespace {

// Cells as a sorted map from (groups..., sensitive) to count, for comparisons that do
// not depend on cell order.
std::map<std::vector<int64_t>, int64_t> Canonical(const Cells& cells) {
  std::map<std::vector<int64_t>, int64_t> out;
  int fields = cells.layout.qi_fields() + (cells.layout.has_sensitive() ? 1 : 0);
  for (int64_t c = 0; c < cells.size(); ++c) {
    std::vector<int64_t> key;
    for (int f = 0; f < fields; ++f)
      key.push_back(static_cast<int64_t>(cells.layout.Get(cells.key(c), f)));
    out[key] += cells.counts[c];
  }
  return out;
}

using testing::RandomDataset;

TEST(Groupify, CountsRecordsPerGeneralizedKey) {
  Dataset d = testing::UtilityTable();
  WorkerPool pool(1);
  auto cells = GroupRows(d, std::vector<int>{1, 0}, false, pool);
  ASSERT_TRUE(cells.ok());
  auto canon = Canonical(*cells);
  // Groups: a level 1: A = 0, B = 1; b level 0: b1 = 0, b2 = 1.
  std::map<std::vector<int64_t>, int64_t> want = {{{0, 0}, 3}, {{1, 1}, 2}, {{0, 1}, 1}};
  EXPECT_EQ(canon, want);
}

TEST(Groupify, RollUpEqualsRegroupingFromRows) {
  Dataset d = RandomDataset(4, 16, 5000, 7);
  WorkerPool pool(1);
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<int> fine(4), coarse(4);
    for (int q = 0; q < 4; ++q) {
      int top = d.qi(q).levels() - 1;
      fine[q] = static_cast<int>(rng() % (top + 1));
      coarse[q] = fine[q] + static_cast<int>(rng() % (top - fine[q] + 1));
    }
    bool sensitive = trial % 2 == 0;
    auto from = GroupRows(d, fine, sensitive, pool).value();
    auto rolled = RollUp(d, from, coarse, pool).value();
    auto direct = GroupRows(d, coarse, sensitive, pool).value();
    EXPECT_EQ(Canonical(rolled), Canonical(direct)) << "trial " << trial;
  }
}

TEST(Groupify, RollUpRejectsAFinerTarget) {
  Dataset d = testing::UtilityTable();
  WorkerPool pool(1);
  auto from = GroupRows(d, std::vector<int>{1, 0}, false, pool).value();
  EXPECT_EQ(RollUp(d, from, std::vector<int>{0, 1}, pool).status().code(), Code::kInvalidArgument);
}

TEST(Groupify, ParallelEqualsSerial) {
  // Above the parallel threshold, with many distinct keys and with few.
  Dataset d = RandomDataset(3, 64, 200000, 3);
  WorkerPool serial(1), parallel(4);
  for (std::vector<int> levels : {std::vector<int>{0, 0, 0}, std::vector<int>{3, 4, 5}}) {
    auto a = GroupRows(d, levels, true, serial).value();
    auto b = GroupRows(d, levels, true, parallel).value();
    EXPECT_EQ(Canonical(a), Canonical(b));
    EXPECT_EQ(a.size(), b.size());  // no key split across partitions
    auto bottom = GroupRows(d, std::vector<int>{0, 0, 0}, true, parallel).value();
    EXPECT_EQ(Canonical(RollUp(d, bottom, levels, parallel).value()), Canonical(a));
  }
}

TEST(Groupify, WeightsReplaceCounts) {
  Dataset d = testing::UtilityTable();
  WorkerPool pool(1);
  std::vector<int64_t> w = {10, 0, 1, 2, 3, 4};
  auto cells = GroupRows(d, std::vector<int>{2, 1}, false, pool, w).value();
  ASSERT_EQ(cells.size(), 1);
  EXPECT_EQ(cells.counts[0], 20);
}

TEST(Groupify, KeysSpanSeveralWordsWhenNeeded) {
  // 12 columns of 64 values need 72 bits: two words, fields never straddle.
  Dataset d = RandomDataset(12, 64, 3000, 5);
  WorkerPool pool(2);
  std::vector<int> bottom(12, 0);
  auto cells = GroupRows(d, bottom, false, pool).value();
  EXPECT_EQ(cells.layout.words(), 2);
  for (int f = 0; f < 12; ++f)
    EXPECT_LE(cells.layout.field(f).shift + cells.layout.field(f).bits, 64);
  // Every row is kept with its own values: decode and compare with the columns.
  std::map<std::vector<int64_t>, int64_t> want;
  for (int64_t r = 0; r < d.rows(); ++r) {
    std::vector<int64_t> key;
    for (int q = 0; q < 12; ++q) key.push_back(d.qi(q).hierarchy().GroupAt(d.qi(q).codes()[r], 0));
    ++want[key];
  }
  EXPECT_EQ(Canonical(cells), want);
}

TEST(Groupify, ClassViewGroupsSensitiveCells) {
  Dataset d = testing::DiversityTable();
  WorkerPool pool(1);
  auto cells = GroupRows(d, std::vector<int>{0}, true, pool).value();
  EXPECT_EQ(cells.size(), 7);  // (z1:1,2,3) (z2:1,2) (z3:1,4)
  ClassView view = MakeClassView(cells);
  ASSERT_EQ(view.classes, 3);
  std::vector<int64_t> sizes = view.size;
  std::sort(sizes.begin(), sizes.end());
  EXPECT_EQ(sizes, (std::vector<int64_t>{2, 4, 5}));
  int64_t cells_listed = 0;
  for (int64_t c = 0; c < view.classes; ++c) cells_listed += view.End(c) - view.Begin(c);
  EXPECT_EQ(cells_listed, 7);
}

TEST(Groupify, CellIndexMapsRowsToTheirCell) {
  Dataset d = RandomDataset(3, 16, 40000, 9);
  WorkerPool pool(2);
  auto cells = GroupRows(d, std::vector<int>{1, 2, 0}, false, pool).value();
  CellIndex index(cells);
  auto cell_of_row = index.MapRows(d, pool);
  std::vector<int64_t> count(cells.size(), 0);
  for (int64_t c : cell_of_row) {
    ASSERT_GE(c, 0);
    ++count[c];
  }
  EXPECT_EQ(count, cells.counts);
}

}  // namespace
}  // namespace sz::privacy
