#include "pseudo/mdav.h"

#include <gtest/gtest.h>

#include <map>

namespace sz::pseudo {
namespace {

std::map<int32_t, int> GroupSizes(const std::vector<int32_t>& g) {
  std::map<int32_t, int> sizes;
  for (int32_t x : g) ++sizes[x];
  return sizes;
}

TEST(MdavTest, OneDimensionalHandExample) {
  // Three clusters. Centroid 11.33: the farthest record is 22 (10.67 > 10.33), so the
  // first group is {20, 21, 22}; the farthest from 22 is 1, giving {1, 2, 3}; the 3
  // left (< 2k) form the last group.
  std::vector<double> x = {10, 1, 21, 2, 11, 20, 3, 12, 22};
  auto g = MdavGroups(x, 1, 3);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*g)[8], (*g)[2]);
  EXPECT_EQ((*g)[8], (*g)[5]);
  EXPECT_EQ((*g)[1], (*g)[3]);
  EXPECT_EQ((*g)[1], (*g)[6]);
  EXPECT_EQ((*g)[0], (*g)[4]);
  EXPECT_EQ((*g)[0], (*g)[7]);
  EXPECT_EQ(GroupSizes(*g).size(), 3u);
  auto c = GroupCentroids(x, 1, *g);
  EXPECT_DOUBLE_EQ(c[0], 11);
  EXPECT_DOUBLE_EQ(c[1], 2);
  EXPECT_DOUBLE_EQ(c[2], 21);
}

TEST(MdavTest, EveryGroupHasAtLeastKMembersAndCentroidsAreGroupMeans) {
  // 2-D, columns on very different scales (age, income): 11 rows, k = 3.
  std::vector<double> x = {25,   2000, 27,   2100, 26,   2050, 60,   9000, 61,   9100, 59,
                           8900, 40,   5000, 41,   5200, 39,   4800, 42,   5100, 38,   4900};
  auto g = MdavGroups(x, 2, 3);
  ASSERT_TRUE(g.ok());
  auto sizes = GroupSizes(*g);
  for (auto [group, size] : sizes) {
    EXPECT_GE(size, 3) << "group " << group;
    EXPECT_LE(size, 5) << "group " << group;  // at most 2k - 1
  }
  // The young and old clusters are each exactly one group.
  EXPECT_EQ((*g)[0], (*g)[1]);
  EXPECT_EQ((*g)[0], (*g)[2]);
  EXPECT_EQ((*g)[3], (*g)[4]);
  EXPECT_EQ((*g)[3], (*g)[5]);
  EXPECT_NE((*g)[0], (*g)[3]);
  auto c = GroupCentroids(x, 2, *g);
  EXPECT_DOUBLE_EQ(c[0], 26);    // (25 + 27 + 26) / 3
  EXPECT_DOUBLE_EQ(c[1], 2050);  // (2000 + 2100 + 2050) / 3
  EXPECT_DOUBLE_EQ(c[6], 60);
  EXPECT_DOUBLE_EQ(c[7], 9000);
  // The five middle rows form one group: mean age 40, mean income 5000.
  EXPECT_DOUBLE_EQ(c[12], 40);
  EXPECT_DOUBLE_EQ(c[13], 5000);
}

TEST(MdavTest, IdenticalRecordsAndErrors) {
  std::vector<double> same(7, 5.0);
  auto g = MdavGroups(same, 1, 2);
  ASSERT_TRUE(g.ok());
  for (auto [group, size] : GroupSizes(*g)) EXPECT_GE(size, 2);
  EXPECT_EQ(MdavGroups(same, 1, 1).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(MdavGroups(same, 1, 8).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace sz::pseudo
