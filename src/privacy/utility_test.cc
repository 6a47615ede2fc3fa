#include "privacy/utility.h"

#include <gtest/gtest.h>

#include <cmath>

#include "privacy/test_tables.h"

namespace sz::privacy {
namespace {

using testing::UtilityTable;

// At levels {1, 0} the table has classes (A,b1) x3, (B,b2) x2, (A,b2) x1; 2-anonymity
// with room for one suppressed record suppresses (A,b2).
Criteria TwoAnonymousOneSuppressed() {
  Criteria c;
  c.models.push_back(PrivacyModel::KAnonymity(2));
  c.suppression_limit = 1.0 / 6;
  return c;
}

TEST(Utility, AllFiguresByHandWithSuppression) {
  Dataset d = UtilityTable();
  auto r = MeasureUtility(d, std::vector<int>{1, 0}, TwoAnonymousOneSuppressed());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->suppressed_records, 1);
  EXPECT_EQ(r->released_classes, 2);
  // Loss: a = (3*2 + 2*1 + 1*3 - 6) / (6 * 2) = 5/12; b = (5*1 + 1*2 - 6) / (6 * 1) = 1/6.
  ASSERT_EQ(r->loss_per_qi.size(), 2u);
  EXPECT_DOUBLE_EQ(r->loss_per_qi[0], 5.0 / 12);
  EXPECT_DOUBLE_EQ(r->loss_per_qi[1], 1.0 / 6);
  EXPECT_NEAR(r->loss, std::sqrt((1 + 5.0 / 12) * (1 + 1.0 / 6)) - 1, 1e-12);  // 0.285604
  // Precision: a = (5 * 1/2 + 1) / 6, b = (0 + 1) / 6; Prec = 1 - mean = 0.625.
  EXPECT_DOUBLE_EQ(r->generalization_per_qi[0], 3.5 / 6);
  EXPECT_DOUBLE_EQ(r->generalization_per_qi[1], 1.0 / 6);
  EXPECT_DOUBLE_EQ(r->precision, 0.625);
  // Discernibility: 3^2 + 2^2 + 1 suppressed * 6 = 19.
  EXPECT_DOUBLE_EQ(r->discernibility, 19);
  // Non-uniform entropy: a: rows a1->A twice (-log2 2/4 = 1 each), a2->A (1), a3->B (0),
  // suppressed a2 -> '*' (log2 3); b: suppressed b2 -> '*' (-log2 3/6 = 1).
  EXPECT_NEAR(r->non_uniform_entropy_per_qi[0], 3 + std::log2(3.0), 1e-12);
  EXPECT_NEAR(r->non_uniform_entropy_per_qi[1], 1, 1e-12);
  EXPECT_NEAR(r->non_uniform_entropy, 4 + std::log2(3.0), 1e-12);
  // Average class size: 6 records / (2 classes + the suppressed records as one) = 2; / k.
  EXPECT_DOUBLE_EQ(r->average_class_size, 2);
  ASSERT_TRUE(r->normalized_average_class_size.has_value());
  EXPECT_DOUBLE_EQ(*r->normalized_average_class_size, 1);
}

TEST(Utility, WithoutSuppressionLossIsTheBound) {
  Dataset d = UtilityTable();
  auto r = MeasureUtility(d, std::vector<int>{1, 0}, Criteria{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->suppressed_records, 0);
  EXPECT_EQ(r->released_classes, 3);
  // a = (4*2 + 2*1 - 6) / 12 = 1/3, b = 0.
  EXPECT_NEAR(r->loss, std::sqrt(4.0 / 3) - 1, 1e-12);
  EXPECT_DOUBLE_EQ(r->discernibility, 9 + 4 + 1);
  UtilityModel model(d);
  std::vector<int> levels = {1, 0};
  EXPECT_DOUBLE_EQ(model.NodeBound(UtilityMetric::kLoss, levels), r->loss);
  EXPECT_DOUBLE_EQ(model.NodeBound(UtilityMetric::kPrecision, levels), 1 - r->precision);
  EXPECT_DOUBLE_EQ(model.NodeBound(UtilityMetric::kNonUniformEntropy, levels),
                   r->non_uniform_entropy);
}

TEST(Utility, OriginalIsLosslessAndTopIsTotalLoss) {
  Dataset d = UtilityTable();
  auto bottom = MeasureUtility(d, std::vector<int>{0, 0}, Criteria{});
  ASSERT_TRUE(bottom.ok());
  EXPECT_DOUBLE_EQ(bottom->loss, 0);
  EXPECT_DOUBLE_EQ(bottom->precision, 1);
  EXPECT_DOUBLE_EQ(bottom->non_uniform_entropy, 0);
  auto top = MeasureUtility(d, std::vector<int>{2, 1}, Criteria{});
  ASSERT_TRUE(top.ok());
  EXPECT_DOUBLE_EQ(top->loss, 1);
  EXPECT_DOUBLE_EQ(top->precision, 0);
  EXPECT_DOUBLE_EQ(top->discernibility, 36);
  EXPECT_DOUBLE_EQ(top->average_class_size, 6);
}

TEST(Utility, BoundsHoldForEveryGeneralization) {
  // NodeBound/ClassBound of a node never exceed any generalization's value.
  Dataset d = UtilityTable();
  UtilityModel model(d);
  WorkerPool pool(1);
  Criteria c = TwoAnonymousOneSuppressed();
  SensitiveDistribution dist(d);
  for (auto metric :
       {UtilityMetric::kLoss, UtilityMetric::kPrecision, UtilityMetric::kDiscernibility,
        UtilityMetric::kNonUniformEntropy, UtilityMetric::kAverageClassSize}) {
    for (int a = 0; a <= 2; ++a) {
      for (int b = 0; b <= 1; ++b) {
        std::vector<int> n = {a, b};
        auto cells = GroupRows(d, n, false, pool).value();
        ClassView view = MakeClassView(cells);
        double node_bound = model.NodeBound(metric, n);
        double class_bound = model.ClassBound(metric, n, view);
        for (int a2 = a; a2 <= 2; ++a2) {
          for (int b2 = b; b2 <= 1; ++b2) {
            std::vector<int> m = {a2, b2};
            auto mc = GroupRows(d, m, false, pool).value();
            ClassView mv = MakeClassView(mc);
            Evaluation ev = EvaluateClasses(c, mc, mv, dist, d.rows());
            std::vector<uint8_t> supp(mv.classes, 0);
            for (int64_t x : ev.violating) supp[x] = 1;
            double v = model.Value(metric, mc, mv, supp);
            EXPECT_LE(node_bound, v + 1e-12)
                << UtilityMetricName(metric) << " " << a << b << a2 << b2;
            EXPECT_LE(class_bound, v + 1e-12)
                << UtilityMetricName(metric) << " " << a << b << a2 << b2;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace sz::privacy
