#include "workspace/regression.h"

#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"

namespace sz::workspace {
namespace {

// x = 1..5, y = 2, 4, 5, 4, 5 (plus a row with a NULL outcome): the textbook fit
// y = 2.2 + 0.6 x, RSS 2.4 on 3 df, s^2 = 0.8, Sxx = 10, R^2 = 0.6.
class RegressionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string path = tmp_ / "xy.parquet";
    {
      auto db = duck::Database::Open({});
      auto conn = duck::Connection::Open(*db);
      ASSERT_TRUE(
          conn->Execute(
                  "COPY (SELECT * FROM (VALUES ('a', 1, 2), ('b', 2, 4), ('c', 3, 5), ('d', 4, 4), "
                  "('e', 5, 5), ('f', 6, NULL)) t(pid, x, y)) TO " +
                  duck::QuoteLiteral(path) + " (FORMAT parquet)")
              .ok());
    }
    std::vector<SandboxTable> tables = {{"xy", path, {"pid", "x", "y"}, "pid", "dataset:7@2"}};
    SandboxLimits limits;
    limits.threads = 1;
    auto box = Sandbox::Create(tables, limits);
    ASSERT_TRUE(box.ok()) << box.status().ToString();
    box_ = std::move(*box);
  }
  sz::testing::TempDir tmp_;
  std::unique_ptr<Sandbox> box_;
};

TEST_F(RegressionTest, TextbookFitWithStandardErrors) {
  RegressionSpec spec;
  spec.source.from = "xy";
  spec.outcome = "y";
  spec.predictors = {"x"};
  auto fit = FitOls(*box_, spec);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_EQ(fit->observations, 5);
  EXPECT_EQ(fit->persons, 5);
  EXPECT_EQ(fit->parameters, 2);
  EXPECT_EQ(fit->residual_df, 3);
  ASSERT_EQ(fit->coefficients.size(), 2u);
  EXPECT_NEAR(fit->coefficients[0].estimate, 2.2, 1e-9);
  EXPECT_NEAR(fit->coefficients[0].std_error, std::sqrt(0.8 * 1.1), 1e-9);
  EXPECT_EQ(fit->coefficients[1].term, "x");
  EXPECT_NEAR(fit->coefficients[1].estimate, 0.6, 1e-9);
  EXPECT_NEAR(fit->coefficients[1].std_error, std::sqrt(0.08), 1e-9);
  EXPECT_NEAR(fit->r_squared, 0.6, 1e-9);
  EXPECT_EQ(fit->touched, std::vector<std::string>{"dataset:7@2"});
}

TEST_F(RegressionTest, ThroughTheOriginAndFailures) {
  RegressionSpec spec;
  spec.source.from = "xy";
  spec.outcome = "y";
  spec.predictors = {"x"};
  spec.intercept = false;
  auto fit = FitOls(*box_, spec);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  // b = sum(xy) / sum(x^2) = (2 + 8 + 15 + 16 + 25) / 55 = 66 / 55.
  EXPECT_NEAR(fit->coefficients[0].estimate, 66.0 / 55, 1e-9);
  EXPECT_EQ(fit->residual_df, 4);

  spec.intercept = true;
  spec.predictors = {"x", "2 * x"};
  EXPECT_EQ(FitOls(*box_, spec).status().code(), Code::kInvalidArgument);  // collinear
  spec.predictors = {"x"};
  spec.source.where = "x <= 2";
  EXPECT_EQ(FitOls(*box_, spec).status().code(), Code::kInvalidArgument);  // N = k
  spec.source.where = "";
  spec.outcome = "y) FROM xy --";
  EXPECT_EQ(FitOls(*box_, spec).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace sz::workspace
