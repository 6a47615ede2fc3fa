#include "disclosure/checks.h"

#include <gtest/gtest.h>

#include <cmath>

#include "disclosure_tables.h"

namespace sz::disclosure {
namespace {

using testing::At;
using testing::CountTable2D;

RiskAppetite Defaults() { return RiskAppetite::Defaults(); }

Output TableOutput(OutputType type, Table table) {
  Output output;
  output.uid = "output_0";
  output.type = type;
  output.body = std::move(table);
  return output;
}

bool Has(const CellCheck& check, Rule rule, Verdict verdict) {
  for (const Finding& f : check.findings) {
    if (f.rule == rule && f.verdict == verdict) return true;
  }
  return false;
}

// Interior counts     X   Y | Total
//                 A   4  20 |  24
//                 B  15   0 |  15
//             Total  19  20 |  39
TEST(DisclosureChecks, FrequencyTableThresholdZerosAndFullCells) {
  Table t = CountTable2D({"A", "B"}, {"X", "Y"}, {{4, 20}, {15, 0}});
  auto report = CheckOutput(TableOutput(OutputType::kFrequencyTable, t), Defaults());
  ASSERT_TRUE(report.ok()) << report.status().ToString();

  const CellCheck& ax = report->cells[At(t, {1, 1})];
  EXPECT_EQ(ax.verdict, Verdict::kFail);
  ASSERT_TRUE(Has(ax, Rule::kThreshold, Verdict::kFail));
  EXPECT_EQ(ax.findings[0].en, "cell (A, X) has 4 persons; minimum is 10");
  EXPECT_EQ(ax.findings[0].ko, "셀 (A, X)의 인원은 4명으로 최소 기준 10명 미만입니다");

  EXPECT_TRUE(Has(report->cells[At(t, {2, 2})], Rule::kZero, Verdict::kReview));
  // (B, X) = 15 equals B's row total; (A, Y) = 20 equals Y's column total.
  EXPECT_TRUE(Has(report->cells[At(t, {2, 1})], Rule::kFullCell, Verdict::kReview));
  EXPECT_TRUE(Has(report->cells[At(t, {1, 2})], Rule::kFullCell, Verdict::kReview));
  EXPECT_EQ(report->cells[At(t, {2, 1})].findings[0].en,
            "cell (B, X) equals its margin (B, Total): everyone in the margin has "
            "category 'X'");
  // Margins are checked too: all >= 10 and none equals the grand total.
  EXPECT_EQ(report->cells[At(t, {0, 0})].verdict, Verdict::kPass);
  EXPECT_EQ(report->cells[At(t, {2, 0})].verdict, Verdict::kPass);

  EXPECT_EQ(report->verdict, Verdict::kFail);
  EXPECT_EQ(report->CountRule(Rule::kThreshold), 1u);
  EXPECT_EQ(report->summary, "fail; threshold: 1 cell; zero: 1 cell; full-cell: 2 cells");
  std::vector<bool> primaries = report->PrimaryMask();
  EXPECT_EQ(std::count(primaries.begin(), primaries.end(), true), 1);
  EXPECT_TRUE(primaries[At(t, {1, 1})]);
}

TEST(DisclosureChecks, ThresholdBoundaryAndMarginsBelowThreshold) {
  // Row A: 9 + 10 -> margin 19; column X: 9 + 30 = 39. Only the 9 fails.
  Table t = CountTable2D({"A", "B"}, {"X", "Y"}, {{9, 10}, {30, 40}});
  auto report = CheckOutput(TableOutput(OutputType::kFrequencyTable, t), Defaults());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->cells[At(t, {1, 1})].verdict, Verdict::kFail);
  EXPECT_EQ(report->cells[At(t, {1, 2})].verdict, Verdict::kPass);

  // A margin below the threshold fails like any cell: row A = 3 + 4 = 7.
  Table small = CountTable2D({"A", "B"}, {"X", "Y"}, {{3, 4}, {30, 40}});
  auto r2 = CheckOutput(TableOutput(OutputType::kFrequencyTable, small), Defaults());
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(Has(r2->cells[At(small, {1, 0})], Rule::kThreshold, Verdict::kFail));
  EXPECT_EQ(r2->CountRule(Rule::kThreshold), 3u);

  // A zone that sets threshold 5 passes the 9.
  auto appetite = ResolveRiskAppetite(R"({"threshold": 5})", "");
  ASSERT_TRUE(appetite.ok());
  auto r3 = CheckOutput(TableOutput(OutputType::kFrequencyTable, t), *appetite);
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ(r3->verdict, Verdict::kPass);
}

// One-dimensional magnitude table, cells given by hand.
Table MagnitudeTable(const std::vector<CellEvidence>& cells) {
  Table t;
  t.statistic = Statistic::kSum;
  t.measure = "spend";
  Dimension dim;
  dim.name = "shop";
  for (size_t i = 0; i < cells.size(); ++i) {
    dim.categories.push_back({"s" + std::to_string(i + 1), -1, {}});
  }
  t.dimensions.push_back(dim);
  for (size_t i = 0; i < cells.size(); ++i) {
    Cell c;
    c.categories = {static_cast<int32_t>(i)};
    c.value = cells[i].sum;
    c.evidence = cells[i];
    t.cells.push_back(c);
  }
  return t;
}

CellEvidence Contributions(int64_t persons, double sum, double top1, double top2) {
  CellEvidence e;
  e.persons = persons;
  e.sum = sum;
  e.top1 = top1;
  e.top2 = top2;
  return e;
}

TEST(DisclosureChecks, PPercentAndDominanceRules) {
  Table t = MagnitudeTable({
      Contributions(12, 100, 60, 35),   // rest 5 < 6 (10% of 60): p% fails; 95 > 90: nk fails
      Contributions(12, 100, 50, 40),   // rest 10 >= 5: p% passes; 90 > 90 is false: nk passes
      Contributions(12, 100, 50, 45),   // rest 5 >= 5: p% passes (boundary); 95 > 90: nk fails
      Contributions(12, 100, 20, 15),   // safe
  });
  auto report = CheckOutput(TableOutput(OutputType::kMagnitudeTable, t), Defaults());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(Has(report->cells[0], Rule::kPPercent, Verdict::kFail));
  EXPECT_TRUE(Has(report->cells[0], Rule::kDominance, Verdict::kFail));
  EXPECT_FALSE(Has(report->cells[1], Rule::kPPercent, Verdict::kFail));
  EXPECT_FALSE(Has(report->cells[1], Rule::kDominance, Verdict::kFail));
  EXPECT_FALSE(Has(report->cells[2], Rule::kPPercent, Verdict::kFail));
  EXPECT_TRUE(Has(report->cells[2], Rule::kDominance, Verdict::kFail));
  EXPECT_EQ(report->cells[3].verdict, Verdict::kPass);
  EXPECT_EQ(report->cells[0].findings[0].en,
            "cell (s1) fails the p% rule (p = 10): the second largest contributor can "
            "estimate the largest within 10%");
  EXPECT_EQ(report->cells[0].findings[1].en,
            "cell (s1) fails the (2, 90) dominance rule: its 2 largest contributors hold "
            "more than 90% of the total");
  EXPECT_EQ(report->summary, "fail; p-ratio: 1 cell; nk-rule: 2 cells");
}

TEST(DisclosureChecks, SingleContributorFailsPPercentAndNk1Rule) {
  // One person: nothing remains after the top two, so p% fails whatever p is.
  Table t = MagnitudeTable({Contributions(1, 500, 500, 0), Contributions(30, 1000, 850, 20)});
  auto appetite = ResolveRiskAppetite("", R"({"nk": {"n": 1, "k": 80}, "threshold": 1})");
  ASSERT_TRUE(appetite.ok());
  auto report = CheckOutput(TableOutput(OutputType::kMagnitudeTable, t), *appetite);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(Has(report->cells[0], Rule::kPPercent, Verdict::kFail));
  EXPECT_FALSE(Has(report->cells[0], Rule::kThreshold, Verdict::kFail));
  // 850 > 80% of 1000 = 800 under (1, 80); rest 130 >= 85 so p% passes.
  EXPECT_TRUE(Has(report->cells[1], Rule::kDominance, Verdict::kFail));
  EXPECT_FALSE(Has(report->cells[1], Rule::kPPercent, Verdict::kFail));
}

TEST(DisclosureChecks, ConfidentialDominanceParametersNeverEchoed) {
  Table t = MagnitudeTable({Contributions(12, 100, 60, 35)});
  auto appetite = ResolveRiskAppetite(
      R"({"p_percent": 17, "nk": {"n": 2, "k": 83}, "dominance_confidential": true})", "");
  ASSERT_TRUE(appetite.ok());
  auto report = CheckOutput(TableOutput(OutputType::kMagnitudeTable, t), *appetite);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->cells[0].findings.size(), 2u);
  for (const Finding& f : report->cells[0].findings) {
    EXPECT_EQ(f.verdict, Verdict::kFail);
    EXPECT_EQ(f.en.find("17"), std::string::npos) << f.en;
    EXPECT_EQ(f.en.find("83"), std::string::npos) << f.en;
    EXPECT_EQ(f.ko.find("17"), std::string::npos) << f.ko;
    EXPECT_EQ(f.ko.find("83"), std::string::npos) << f.ko;
  }
  std::string for_analyst = RiskAppetiteToJson(*appetite, /*for_analyst=*/true);
  EXPECT_EQ(for_analyst.find("17"), std::string::npos);
  EXPECT_EQ(for_analyst.find("83"), std::string::npos);
  EXPECT_NE(RiskAppetiteToJson(*appetite, false).find("83"), std::string::npos);
}

TEST(DisclosureChecks, NegativesAndMissingGoToReview) {
  CellEvidence negative = Contributions(20, 100, 20, 15);
  negative.negative_contributions = 3;
  CellEvidence missing = Contributions(20, 100, 20, 15);
  missing.null_contributions = 2;
  Table t = MagnitudeTable({negative, missing});
  auto report = CheckOutput(TableOutput(OutputType::kMagnitudeTable, t), Defaults());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->cells[0].verdict, Verdict::kReview);
  EXPECT_TRUE(Has(report->cells[0], Rule::kNegative, Verdict::kReview));
  EXPECT_EQ(report->cells[1].verdict, Verdict::kReview);
  EXPECT_TRUE(Has(report->cells[1], Rule::kMissing, Verdict::kReview));
  EXPECT_EQ(report->verdict, Verdict::kReview);

  auto lenient = ResolveRiskAppetite(R"({"negatives": "pass", "missing": "pass"})", "");
  ASSERT_TRUE(lenient.ok());
  auto r2 = CheckOutput(TableOutput(OutputType::kMagnitudeTable, t), *lenient);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->verdict, Verdict::kPass);
}

TEST(DisclosureChecks, QuantilesUseTheThreshold) {
  Table t = MagnitudeTable({Contributions(9, 0, 0, 0), Contributions(10, 0, 0, 0)});
  t.statistic = Statistic::kMedian;
  auto report = CheckOutput(TableOutput(OutputType::kQuantiles, t), Defaults());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(Has(report->cells[0], Rule::kThreshold, Verdict::kFail));
  EXPECT_EQ(report->cells[1].verdict, Verdict::kPass);
}

TEST(DisclosureChecks, ExtremesFailUnlessAnExceptionIsGranted) {
  Table t = MagnitudeTable({Contributions(500, 0, 0, 0)});
  t.statistic = Statistic::kMax;
  Output output = TableOutput(OutputType::kExtremes, t);
  auto report = CheckOutput(output, Defaults());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(Has(report->cells[0], Rule::kExtreme, Verdict::kFail));
  EXPECT_EQ(report->verdict, Verdict::kFail);
  output.exception_granted = true;
  auto granted = CheckOutput(output, Defaults());
  ASSERT_TRUE(granted.ok());
  EXPECT_EQ(granted->verdict, Verdict::kReview);
}

TEST(DisclosureChecks, DispersionNeedsDegreesOfFreedom) {
  Table t = MagnitudeTable(
      {Contributions(10, 0, 0, 0), Contributions(11, 0, 0, 0), Contributions(2, 0, 0, 0)});
  t.statistic = Statistic::kVariance;
  auto report = CheckOutput(TableOutput(OutputType::kDispersion, t), Defaults());
  ASSERT_TRUE(report.ok());
  // N = 10: df = 9 < 10.
  EXPECT_TRUE(Has(report->cells[0], Rule::kDegreesOfFreedom, Verdict::kFail));
  EXPECT_EQ(report->cells[1].verdict, Verdict::kPass);
  // N = 2: df = 1 and 1 parameter needs N >= 3.
  EXPECT_TRUE(Has(report->cells[2], Rule::kDegreesOfFreedom, Verdict::kFail));
  EXPECT_TRUE(Has(report->cells[2], Rule::kParameters, Verdict::kFail));
}

Output Regression(int64_t n, int64_t k, int64_t df) {
  Output output;
  output.uid = "output_1";
  output.type = OutputType::kRegression;
  output.body = RegressionEvidence{"ols", n, k, df};
  return output;
}

TEST(DisclosureChecks, RegressionRules) {
  auto ok = CheckOutput(Regression(100, 5, 95), Defaults());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->verdict, Verdict::kPass);
  EXPECT_EQ(ok->summary, "pass");
  // Parameters = N/3 exactly is allowed.
  EXPECT_EQ(CheckOutput(Regression(30, 10, 20), Defaults())->verdict, Verdict::kPass);
  // 8 parameters need N >= 24.
  auto params = CheckOutput(Regression(20, 8, 12), Defaults());
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(params->verdict, Verdict::kFail);
  ASSERT_EQ(params->findings.size(), 1u);
  EXPECT_EQ(params->findings[0].rule, Rule::kParameters);
  EXPECT_EQ(params->findings[0].en,
            "the regression estimates 8 parameters from 20 observations; at most 6 (N/3) "
            "are allowed");
  // df 9 < 10.
  auto df = CheckOutput(Regression(12, 3, 9), Defaults());
  ASSERT_TRUE(df.ok());
  EXPECT_EQ(df->verdict, Verdict::kFail);
  EXPECT_EQ(df->CountRule(Rule::kDegreesOfFreedom), 1u);
  // N not reported.
  auto no_n = CheckOutput(Regression(0, 3, 50), Defaults());
  ASSERT_TRUE(no_n.ok());
  EXPECT_EQ(no_n->CountRule(Rule::kObservations), 1u);
  // df that does not match N - parameters goes to review.
  auto odd = CheckOutput(Regression(100, 5, 60), Defaults());
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->verdict, Verdict::kReview);
}

Output File(std::string name, uint64_t bytes, std::optional<int64_t> rows) {
  Output output;
  output.uid = "output_2";
  output.type = OutputType::kFreeform;
  output.body = FileEvidence{std::move(name), bytes, rows};
  return output;
}

TEST(DisclosureChecks, FreeformAlwaysReviewedAndLimited) {
  auto code = CheckOutput(File("analysis/model.PY", 2000, std::nullopt), Defaults());
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->verdict, Verdict::kReview);
  EXPECT_EQ(code->summary, "review; freeform: 1");

  auto exe = CheckOutput(File("tool.exe", 2000, std::nullopt), Defaults());
  ASSERT_TRUE(exe.ok());
  EXPECT_EQ(exe->verdict, Verdict::kFail);
  EXPECT_EQ(exe->CountRule(Rule::kFileType), 1u);

  auto big = CheckOutput(File("data.csv", 20u << 20, 100001), Defaults());
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->CountRule(Rule::kFileSize), 1u);
  EXPECT_EQ(big->CountRule(Rule::kFileRows), 1u);
  EXPECT_EQ(CheckOutput(File("data.csv", 1000, 100000), Defaults())->verdict,
            Verdict::kReview);
}

TEST(DisclosureChecks, MalformedOutputsAreRejected) {
  Output wrong_body = Regression(10, 1, 9);
  wrong_body.type = OutputType::kFrequencyTable;
  EXPECT_EQ(CheckOutput(wrong_body, Defaults()).status().code(), Code::kInvalidArgument);

  Table t = CountTable2D({"A"}, {"X"}, {{12}});
  t.cells[0].margin = !t.cells[0].margin;
  EXPECT_EQ(CheckOutput(TableOutput(OutputType::kFrequencyTable, t), Defaults()).status().code(),
            Code::kInvalidArgument);

  Table dup = CountTable2D({"A"}, {"X"}, {{12}});
  dup.cells.push_back(dup.cells[0]);
  EXPECT_EQ(
      CheckOutput(TableOutput(OutputType::kFrequencyTable, dup), Defaults()).status().code(),
      Code::kInvalidArgument);

  Table nan = MagnitudeTable({Contributions(12, 100, std::nan(""), 35)});
  EXPECT_EQ(CheckOutput(TableOutput(OutputType::kMagnitudeTable, nan), Defaults()).status().code(),
            Code::kInvalidArgument);

  Table negative = CountTable2D({"A"}, {"X"}, {{12}});
  negative.cells[0].evidence.persons = -1;
  EXPECT_EQ(CheckOutput(TableOutput(OutputType::kFrequencyTable, negative), Defaults())
                .status()
                .code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace sz::disclosure
