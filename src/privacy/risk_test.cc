#include "privacy/risk.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numbers>
#include <random>

#include "privacy/test_tables.h"

namespace sz::privacy {
namespace {

using testing::MakeQi;

constexpr char kFlat[] = "v1;*\nv2;*\nv3;*\nv4;*\nv5;*\nv6;*\n";

// Sample classes v1:1, v2:1, v3:2, v4:3, v5:5 (12 records).
Dataset Sample() {
  std::vector<std::string> v = {"v1", "v2", "v3", "v3", "v4", "v4",
                                "v4", "v5", "v5", "v5", "v5", "v5"};
  std::vector<QuasiIdentifier> qis;
  qis.push_back(MakeQi("v", v, kFlat));
  return Dataset::Make(std::move(qis)).value();
}

// Population counts v1:1, v2:4, v3:2, v4:10, v5:5, v6:100.
PopulationTable Population() {
  std::vector<QuasiIdentifier> qis;
  qis.push_back(MakeQi("v", {"v1", "v2", "v3", "v4", "v5", "v6"}, kFlat));
  return PopulationTable::Make(Dataset::Make(std::move(qis)).value(), {1, 4, 2, 10, 5, 100})
      .value();
}

TEST(Risk, ProsecutorFiguresByHand) {
  RiskOptions o;
  o.threshold = 0.4;
  auto r = AssessRisk(Sample(), std::vector<int>{0}, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->records, 12);
  EXPECT_EQ(r->classes, 5);
  EXPECT_DOUBLE_EQ(r->prosecutor_highest, 1);
  EXPECT_DOUBLE_EQ(r->prosecutor_average, 5.0 / 12);
  EXPECT_DOUBLE_EQ(r->records_at_risk, 4.0 / 12);  // classes of size 1, 1, 2 exceed 0.4
  EXPECT_EQ(r->sample_uniques, 2);
  EXPECT_DOUBLE_EQ(r->sample_uniqueness, 2.0 / 12);
  ASSERT_EQ(r->class_sizes.size(), 4u);
  EXPECT_EQ(r->class_sizes[0].size, 1);
  EXPECT_EQ(r->class_sizes[0].classes, 2);
  EXPECT_EQ(r->class_sizes[3].size, 5);
  EXPECT_EQ(r->class_sizes[3].classes, 1);
  EXPECT_FALSE(r->journalist.has_value());
  EXPECT_FALSE(r->population_uniqueness.has_value());
}

TEST(Risk, ThresholdIsStrict) {
  std::vector<int64_t> sizes = {2, 2, 4};
  RiskReport r = RiskFromClassSizes(sizes, 0.5);
  EXPECT_DOUBLE_EQ(r.records_at_risk, 0);  // 1/2 is not above 0.5
  EXPECT_DOUBLE_EQ(RiskFromClassSizes(sizes, 0.49).records_at_risk, 0.5);
  EXPECT_DOUBLE_EQ(r.prosecutor_highest, 0.5);
}

TEST(Risk, JournalistFiguresByHand) {
  PopulationTable pop = Population();
  RiskOptions o;
  o.threshold = 0.4;
  o.population = &pop;
  auto r = AssessRisk(Sample(), std::vector<int>{0}, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->journalist.has_value());
  EXPECT_DOUBLE_EQ(r->journalist->highest, 1);
  // (1/1 + 1/4 + 2/2 + 3/10 + 5/5) / 12
  EXPECT_NEAR(r->journalist->average, 3.55 / 12, 1e-12);
  EXPECT_DOUBLE_EQ(r->journalist->records_at_risk, 3.0 / 12);  // v1 (1/1) and v3 (1/2)
  EXPECT_EQ(r->journalist->population_uniques, 1);
  ASSERT_TRUE(r->population_uniqueness.has_value());  // N = 122 from the table
  EXPECT_DOUBLE_EQ(r->population_uniqueness->sampling_fraction, 12.0 / 122);

  // Fully generalized: one class of 12 in a population of 122.
  auto top = AssessRisk(Sample(), std::vector<int>{1}, o);
  ASSERT_TRUE(top.ok());
  EXPECT_DOUBLE_EQ(top->journalist->highest, 1.0 / 122);
  EXPECT_DOUBLE_EQ(top->prosecutor_highest, 1.0 / 12);
}

TEST(Risk, PopulationMustCoverTheSample) {
  std::vector<QuasiIdentifier> qis;
  qis.push_back(MakeQi("v", {"v1", "v2", "v3", "v4", "v5"}, kFlat));
  // v4 has 2 people in the population but 3 records in the sample.
  auto pop = PopulationTable::Make(Dataset::Make(std::move(qis)).value(), {1, 1, 2, 2, 5}).value();
  RiskOptions o;
  o.population = &pop;
  EXPECT_EQ(AssessRisk(Sample(), std::vector<int>{0}, o).status().code(), Code::kInvalidArgument);
}

TEST(Risk, SuppressedRecordsAreLeftOut) {
  Criteria c;
  c.models.push_back(PrivacyModel::KAnonymity(2));
  c.suppression_limit = 0.2;  // 2 of 12
  auto r = AssessRisk(Sample(), std::vector<int>{0}, RiskOptions{}, &c);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->suppressed_records, 2);
  EXPECT_EQ(r->records, 10);
  EXPECT_EQ(r->classes, 3);
  EXPECT_DOUBLE_EQ(r->prosecutor_highest, 0.5);
  EXPECT_EQ(r->sample_uniques, 0);
}

TEST(PopulationUniqueness, SpecialFunctions) {
  const double gamma = 0.57721566490153286;
  EXPECT_NEAR(Digamma(1), -gamma, 1e-12);
  EXPECT_NEAR(Digamma(0.5), -gamma - 2 * std::log(2.0), 1e-12);
  EXPECT_NEAR(Digamma(100), 4.600161852738087, 1e-12);
  EXPECT_NEAR(Trigamma(1), std::numbers::pi * std::numbers::pi / 6, 1e-12);
  EXPECT_NEAR(Trigamma(0.5), std::numbers::pi * std::numbers::pi / 2, 1e-12);
  EXPECT_NEAR(Digamma(-0.5), 0.03648997397857652, 1e-12);  // reflection
  EXPECT_NEAR(Trigamma(-0.5), 8.934802200544704, 1e-10);
}

TEST(PopulationUniqueness, ZayatzByHand) {
  // Sample classes {1, 1, 2}: n = 4, N = 8. P1(1) = C(7,3)/C(8,4) = 1/2,
  // P1(2) = 2 C(6,3)/C(8,4) = 4/7; estimate = c1^2 / (2 * 1/2 + 4/7) = 28/11.
  std::vector<ClassSizeCount> h = {{1, 2}, {2, 1}};
  EXPECT_NEAR(ZayatzUniques(h, 4, 8), 28.0 / 11, 1e-9);
  // A census (N = n): the sample uniques are exactly the population uniques.
  std::vector<ClassSizeCount> census = {{1, 7}, {2, 3}, {5, 1}};
  EXPECT_NEAR(ZayatzUniques(census, 18, 18), 7, 1e-9);
}

TEST(PopulationUniqueness, DankarRuleAndNoUniques) {
  std::vector<ClassSizeCount> none = {{2, 10}, {3, 5}};
  PopulationUniqueness z = EstimatePopulationUniqueness(none, 35, 1000);
  EXPECT_EQ(z.selected, UniquenessModel::kNone);
  EXPECT_EQ(z.uniques, 0);

  // A 5% sample from a population with many small classes: Pitman is selected when it
  // converges, and every valid estimate lies between the sample uniques and N.
  std::vector<ClassSizeCount> h = {{1, 400}, {2, 120}, {3, 40}, {4, 15}, {6, 5}, {10, 2}};
  int64_t n = 0;
  for (auto& e : h) n += e.size * e.classes;
  const int64_t N = n * 20;
  PopulationUniqueness small = EstimatePopulationUniqueness(h, n, N);
  EXPECT_DOUBLE_EQ(small.sampling_fraction, 0.05);
  ASSERT_TRUE(std::isfinite(small.pitman));
  EXPECT_EQ(small.selected, UniquenessModel::kPitman);
  EXPECT_EQ(small.uniques, small.pitman);
  EXPECT_GT(small.pitman, 0);
  EXPECT_LT(small.pitman, static_cast<double>(N));
  EXPECT_NEAR(small.share, small.uniques / static_cast<double>(N), 1e-15);

  // A 50% sample: the smaller of Zayatz and SNB.
  PopulationUniqueness large = EstimatePopulationUniqueness(h, n, n * 2);
  ASSERT_TRUE(std::isfinite(large.zayatz));
  if (std::isfinite(large.snb) && large.snb > 0) {
    EXPECT_EQ(large.uniques, std::min(large.zayatz, large.snb));
  } else {
    EXPECT_EQ(large.selected, UniquenessModel::kZayatz);
  }
  // With half the population sampled, at most twice the sample uniques are unique.
  EXPECT_GT(large.uniques, 0);
  EXPECT_LT(large.uniques, 2.0 * 400);
}

TEST(PopulationUniqueness, PitmanRecoversAChineseRestaurantPopulation) {
  // A population drawn from Pitman's process itself (Chinese restaurant, theta 200,
  // alpha 0.5, seeded): its first n people are a uniform sample (exchangeability), so the
  // estimate from the sample must land near the population's true number of uniques.
  std::mt19937_64 rng(20240501);
  const double theta = 200, alpha = 0.5;
  const int64_t N = 100000, n = 5000;
  std::vector<int64_t> table_of(N), table_size;
  for (int64_t i = 0; i < N; ++i) {
    double p_new =
        (theta + alpha * static_cast<double>(table_size.size())) / (theta + static_cast<double>(i));
    if (std::uniform_real_distribution<double>(0, 1)(rng) < p_new || table_size.empty()) {
      table_of[i] = static_cast<int64_t>(table_size.size());
      table_size.push_back(1);
      continue;
    }
    // Join table j with probability (size_j - alpha) / (i - alpha * tables).
    double r = std::uniform_real_distribution<double>(
        0, static_cast<double>(i) - alpha * static_cast<double>(table_size.size()))(rng);
    size_t j = 0;
    while (j + 1 < table_size.size() && r >= static_cast<double>(table_size[j]) - alpha) {
      r -= static_cast<double>(table_size[j]) - alpha;
      ++j;
    }
    table_of[i] = static_cast<int64_t>(j);
    ++table_size[j];
  }
  int64_t true_uniques = 0;
  for (int64_t s : table_size) true_uniques += s == 1;
  std::map<int64_t, int64_t> sample_sizes;
  for (int64_t i = 0; i < n; ++i) ++sample_sizes[table_of[i]];
  std::map<int64_t, int64_t> hist;
  for (auto [t, s] : sample_sizes) ++hist[s];
  std::vector<ClassSizeCount> h;
  for (auto [k, c] : hist) h.push_back({k, c});
  double estimate = PitmanUniques(h, n, N);
  ASSERT_TRUE(std::isfinite(estimate));
  EXPECT_GT(estimate, 0.75 * static_cast<double>(true_uniques)) << true_uniques;
  EXPECT_LT(estimate, 1.33 * static_cast<double>(true_uniques)) << true_uniques;
}

}  // namespace
}  // namespace sz::privacy
