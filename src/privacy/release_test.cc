#include "privacy/release.h"

#include <gtest/gtest.h>

#include "privacy/test_tables.h"

namespace sz::privacy {
namespace {

TEST(Release, GeneralizesAndMarksSuppressedRows) {
  Dataset d = testing::UtilityTable();
  Criteria c;
  c.models.push_back(PrivacyModel::KAnonymity(2));
  c.suppression_limit = 1.0 / 6;
  auto r = Apply(d, std::vector<int>{1, 0}, c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->suppressed_records(), 1);
  EXPECT_EQ(r->classes(), 2);
  // rows: (a1,b1) (a1,b1) (a2,b1) (a3,b2) (a3,b2) (a2,b2): the last is suppressed.
  std::vector<std::string> a, b;
  for (int64_t row = 0; row < r->rows(); ++row) {
    a.emplace_back(r->Label(0, row));
    b.emplace_back(r->Label(1, row));
  }
  EXPECT_EQ(a, (std::vector<std::string>{"A", "A", "A", "B", "B", "*"}));
  EXPECT_EQ(b, (std::vector<std::string>{"b1", "b1", "b1", "b2", "b2", "*"}));
  EXPECT_TRUE(r->Suppressed(5));
  EXPECT_FALSE(r->Suppressed(0));
  EXPECT_EQ(r->Group(0, 5), -1);
}

TEST(Release, RefusesToExceedTheSuppressionLimit) {
  Dataset d = testing::UtilityTable();
  Criteria c;
  c.models.push_back(PrivacyModel::KAnonymity(3));  // (B,b2) x2 and (A,b2) x1 violate
  c.suppression_limit = 1.0 / 6;
  EXPECT_EQ(Apply(d, std::vector<int>{1, 0}, c).status().code(), Code::kFailedPrecondition);
}

TEST(Release, WithoutModelsNothingIsSuppressed) {
  Dataset d = testing::UtilityTable();
  auto r = Apply(d, std::vector<int>{2, 1}, Criteria{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->suppressed_records(), 0);
  EXPECT_EQ(r->classes(), 1);
  EXPECT_EQ(r->Label(0, 3), "*");
  EXPECT_FALSE(r->Suppressed(3));
}

}  // namespace
}  // namespace sz::privacy
