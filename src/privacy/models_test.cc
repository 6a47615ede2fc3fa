#include "privacy/models.h"

#include <gtest/gtest.h>

#include <set>

#include "privacy/test_tables.h"

namespace sz::privacy {
namespace {

using testing::DiversityTable;
using testing::LiTable;

Criteria Only(PrivacyModel m, double suppression = 0) {
  Criteria c;
  c.models.push_back(m);
  c.suppression_limit = suppression;
  return c;
}

// Labels (of the first quasi-identifier) of the classes that violate `criteria`.
std::set<std::string> Violators(const Dataset& d, std::vector<int> levels, const Criteria& c) {
  auto r = Check(d, levels, c);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  std::set<std::string> out;
  for (const auto& v : r->violations)
    out.insert(d.qi(0).hierarchy().GroupLabel(levels[0], v.groups[0]));
  return out;
}

using Set = std::set<std::string>;

TEST(KAnonymity, FlagsClassesSmallerThanK) {
  Dataset d = DiversityTable();  // class sizes z1 5, z2 4, z3 2
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::KAnonymity(2))), Set{});
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::KAnonymity(3))), Set{"z3"});
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::KAnonymity(5))), (Set{"z2", "z3"}));
  // Fully generalized: one class of 11.
  EXPECT_EQ(Violators(d, {1}, Only(PrivacyModel::KAnonymity(11))), Set{});
  EXPECT_EQ(Violators(d, {1}, Only(PrivacyModel::KAnonymity(12))), Set{"*"});
}

TEST(KAnonymity, SuppressionLimitIsFloorOfShare) {
  Dataset d = DiversityTable();
  // z3 (2 records) violates 3-anonymity. 2/11 = 0.1818..: floor(0.19 * 11) = 2 -> ok.
  auto ok = Check(d, std::vector<int>{0}, Only(PrivacyModel::KAnonymity(3), 0.19));
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->satisfied);
  EXPECT_EQ(ok->violating_records, 2);
  EXPECT_EQ(ok->max_suppressed, 2);
  // floor(0.1 * 11) = 1 < 2.
  auto too_few = Check(d, std::vector<int>{0}, Only(PrivacyModel::KAnonymity(3), 0.1));
  ASSERT_TRUE(too_few.ok());
  EXPECT_FALSE(too_few->satisfied);
  EXPECT_EQ(too_few->max_suppressed, 1);
}

TEST(KAnonymity, ListsViolatingRows) {
  Dataset d = DiversityTable();
  CheckOptions o;
  o.list_rows = true;
  auto r = Check(d, std::vector<int>{0}, Only(PrivacyModel::KAnonymity(3)), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->violating_rows, (std::vector<int64_t>{9, 10}));
  EXPECT_EQ(r->classes, 3);
  ASSERT_EQ(r->violations.size(), 1u);
  EXPECT_EQ(r->violations[0].size, 2);
  EXPECT_EQ(r->violations[0].failed_models, 1u);
}

TEST(DistinctLDiversity, CountsDistinctSensitiveValues) {
  Dataset d = DiversityTable();  // distinct values: z1 3, z2 2, z3 2
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::DistinctLDiversity(2))), Set{});
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::DistinctLDiversity(3))), (Set{"z2", "z3"}));
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::DistinctLDiversity(4))), (Set{"z1", "z2", "z3"}));
  EXPECT_EQ(Violators(d, {1}, Only(PrivacyModel::DistinctLDiversity(4))), Set{});  // all 4 values
}

TEST(EntropyLDiversity, ComparesEntropyWithLogL) {
  Dataset d = DiversityTable();
  // z1 (3/5, 1/5, 1/5): entropy 0.9503 = log 2.586; z2 (1/2, 1/2) and z3: exactly log 2.
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::EntropyLDiversity(2))), Set{});
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::EntropyLDiversity(2.5))), (Set{"z2", "z3"}));
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::EntropyLDiversity(2.6))), (Set{"z1", "z2", "z3"}));
}

TEST(RecursiveCLDiversity, ComparesLargestWithTail) {
  Dataset d = DiversityTable();
  // l = 2: z1 3 < c*(1+1), z2 2 < c*2, z3 1 < c*1.
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::RecursiveCLDiversity(2, 2))), Set{});
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::RecursiveCLDiversity(1.5, 2))), Set{"z1"});
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::RecursiveCLDiversity(1, 2))),
            (Set{"z1", "z2", "z3"}));
  // l = 3: z2 and z3 have only two values; z1: 3 < c * 1 needs c > 3.
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::RecursiveCLDiversity(3.5, 3))), (Set{"z2", "z3"}));
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::RecursiveCLDiversity(3, 3))),
            (Set{"z1", "z2", "z3"}));
}

TEST(TCloseness, EqualDistanceByHand) {
  Dataset d = DiversityTable();
  // Q = (6, 3, 1, 1)/11. EMD: z1 9/55 = 0.1636, z2 5/22 = 0.2273, z3 9/22 = 0.4091.
  SensitiveDistribution dist(d);
  std::vector<int32_t> v1 = {0, 1, 2};
  std::vector<int64_t> c1 = {3, 1, 1};
  EXPECT_NEAR(dist.EqualDistance(v1, c1, 5), 9.0 / 55, 1e-12);
  std::vector<int32_t> v3 = {0, 3};
  std::vector<int64_t> c3 = {1, 1};
  EXPECT_NEAR(dist.EqualDistance(v3, c3, 2), 9.0 / 22, 1e-12);
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::EqualDistanceTCloseness(0.2))), (Set{"z2", "z3"}));
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::EqualDistanceTCloseness(0.3))), Set{"z3"});
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::EqualDistanceTCloseness(0.41))), Set{});
  EXPECT_EQ(Violators(d, {1}, Only(PrivacyModel::EqualDistanceTCloseness(0))), Set{});  // P = Q
}

TEST(TCloseness, OrderedDistanceByHand) {
  Dataset d = DiversityTable();
  // Cumulative Q = 6/11, 9/11, 10/11, 1; m - 1 = 3.
  // z1: |3/55| + |-1/55| + |5/55| = 9/55 -> 3/55; z2: 7/22 -> 7/66; z3: 17/22 -> 17/66.
  SensitiveDistribution dist(d);
  std::vector<int32_t> v2 = {0, 1};
  std::vector<int64_t> c2 = {2, 2};
  EXPECT_NEAR(dist.OrderedDistance(v2, c2, 4), 7.0 / 66, 1e-12);
  std::vector<int32_t> v3 = {0, 3};
  std::vector<int64_t> c3 = {1, 1};
  EXPECT_NEAR(dist.OrderedDistance(v3, c3, 2), 17.0 / 66, 1e-12);
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::OrderedDistanceTCloseness(0.05))),
            (Set{"z1", "z2", "z3"}));
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::OrderedDistanceTCloseness(0.06))),
            (Set{"z2", "z3"}));
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::OrderedDistanceTCloseness(0.2))), Set{"z3"});
  EXPECT_EQ(Violators(d, {0}, Only(PrivacyModel::OrderedDistanceTCloseness(0.26))), Set{});
}

TEST(TCloseness, ReproducesLiEtAlTable4) {
  // Salaries 3..11K; Table 4's classes {3,4,5}K, {6,11,8}K, {7,9,10}K have ordered
  // distances 0.375, 0.167 (both given in the paper) and 17/72.
  Dataset salary = LiTable(true);
  SensitiveDistribution dist(salary);
  std::vector<int64_t> ones = {1, 1, 1};
  std::vector<int32_t> first = {0, 1, 2}, second = {3, 5, 8}, third = {4, 6, 7};
  EXPECT_NEAR(dist.OrderedDistance(first, ones, 3), 0.375, 1e-12);
  EXPECT_NEAR(dist.OrderedDistance(second, ones, 3), 1.0 / 6, 1e-12);
  EXPECT_NEAR(dist.OrderedDistance(third, ones, 3), 17.0 / 72, 1e-12);
  auto r =
      Check(salary, std::vector<int>{2, 1}, Only(PrivacyModel::OrderedDistanceTCloseness(0.3)));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->classes, 3);
  EXPECT_EQ(r->violating_records, 3);  // only {3,4,5}K is farther than 0.3
  // Disease, equal distance: {gastric ulcer, gastritis, stomach cancer} is 4/9 from Q.
  Dataset disease = LiTable(false);
  auto e =
      Check(disease, std::vector<int>{2, 1}, Only(PrivacyModel::EqualDistanceTCloseness(4.0 / 9)));
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->satisfied);
  auto tighter =
      Check(disease, std::vector<int>{2, 1}, Only(PrivacyModel::EqualDistanceTCloseness(0.44)));
  ASSERT_TRUE(tighter.ok());
  EXPECT_EQ(tighter->violating_records, 9);  // all three classes are 4/9 away
}

TEST(Criteria, MonotonicityDependsOnModelAndSuppression) {
  Criteria c = Only(PrivacyModel::KAnonymity(2), 0.05);
  c.models.push_back(PrivacyModel::DistinctLDiversity(2));
  EXPECT_TRUE(c.Monotone(1000));
  c.models.push_back(PrivacyModel::EntropyLDiversity(2));
  EXPECT_FALSE(c.Monotone(1000));
  EXPECT_TRUE(c.Monotone(10));  // floor(0.05 * 10) = 0: nothing may be suppressed
  c.suppression_limit = 0;
  EXPECT_TRUE(c.Monotone(1000));
}

TEST(Criteria, RejectsBadParametersAndMissingSensitive) {
  Dataset d = testing::UtilityTable();  // no sensitive attribute
  EXPECT_EQ(Only(PrivacyModel::DistinctLDiversity(2)).Validate(d).code(), Code::kInvalidArgument);
  EXPECT_EQ(Only(PrivacyModel::KAnonymity(0)).Validate(d).code(), Code::kInvalidArgument);
  EXPECT_EQ(Only(PrivacyModel::KAnonymity(2), 1.5).Validate(d).code(), Code::kInvalidArgument);
  EXPECT_EQ(Criteria{}.Validate(d).code(), Code::kInvalidArgument);
  EXPECT_TRUE(Only(PrivacyModel::KAnonymity(2)).Validate(d).ok());
  EXPECT_EQ(Check(d, std::vector<int>{0}, Only(PrivacyModel::KAnonymity(2))).status().code(),
            Code::kInvalidArgument);  // one level for two quasi-identifiers
}

TEST(Criteria, CombinedModelsReportWhichFailed) {
  Dataset d = DiversityTable();
  Criteria c = Only(PrivacyModel::KAnonymity(3));
  c.models.push_back(PrivacyModel::DistinctLDiversity(3));
  auto r = Check(d, std::vector<int>{0}, c);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->violations.size(), 2u);  // z2 (l only) and z3 (k and l)
  uint32_t z2 = 0, z3 = 0;
  for (const auto& v : r->violations) {
    (v.size == 4 ? z2 : z3) = v.failed_models;
  }
  EXPECT_EQ(z2, 2u);
  EXPECT_EQ(z3, 3u);
}

}  // namespace
}  // namespace sz::privacy
