#include "pseudo/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nlohmann/json.hpp"

namespace sz::pseudo {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

AdequacyReport Sample() {
  AdequacyReport r;
  r.dataset = "card_payments v3";
  r.policy_name = "card policy";
  r.policy_summary = "5-year age bands; pseudonyms per project";
  TransformReport t;
  t.rows_in = 1000;
  t.rows_out = 990;
  t.rows_suppressed = 10;
  ColumnReport c;
  c.column = "<script>alert('x')</script>";
  c.rule = "pseudonym";
  c.detail = "HMAC-SHA-256, hex 16 chars";
  c.input_type = "VARCHAR";
  c.output_type = "VARCHAR";
  c.missing_in = 3;
  c.changed = 987;
  t.columns.push_back(c);
  ColumnReport d;
  d.column = "name|evil";
  d.rule = "delete";
  d.input_type = "VARCHAR";
  d.suppressed = 990;
  t.columns.push_back(d);
  t.warnings.push_back("column 'x': 64-bit pseudonyms <collide>");
  AddTransform(r, t);
  r.risk = {{"k", 1, 5}, {"prosecutor_max", 1.0, 0.2}, {"journalist_risk", std::nullopt, 0.05}};
  r.utility = {{"loss", 0, 0.3125}, {"custom_metric", std::nullopt, 7}};
  r.thresholds = {{"k", Comparison::kAtLeast, 5}, {"prosecutor_max", Comparison::kAtMost, 0.2}};
  r.input_version_hash = "ab12";
  r.output_version_hash = "cd34";
  r.run_by = "officer kim";
  r.run_at = "2025-01-02T03:04:05Z";
  return r;
}

TEST(ReportTest, VerdictsPerThresholdAndOverall) {
  AdequacyReport r = Sample();
  auto v = Evaluate(r);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_TRUE(v[0].pass);  // k = 5 >= 5
  EXPECT_TRUE(v[1].pass);  // 0.2 <= 0.2
  EXPECT_TRUE(Passes(r));
  r.thresholds.push_back({"records_above_threshold", Comparison::kAtMost, 0.01});  // not measured
  v = Evaluate(r);
  EXPECT_FALSE(v[2].pass);
  EXPECT_FALSE(v[2].actual);
  EXPECT_FALSE(Passes(r));
  r.thresholds = {{"k", Comparison::kAtLeast, 10}};
  EXPECT_FALSE(Passes(r));
  r.thresholds.clear();
  EXPECT_FALSE(Passes(r));  // nothing checked is not a pass
}

TEST(ReportTest, HtmlIsSelfContainedAndEscapesEverything) {
  AdequacyReport r = Sample();
  std::string html = RenderHtml(r, Lang::kKo);
  EXPECT_THAT(html, HasSubstr("<html lang=\"ko\">"));
  EXPECT_THAT(html, HasSubstr("가명처리 적정성 검토 보고서"));
  EXPECT_THAT(html, HasSubstr("종합 판정: 적합"));
  EXPECT_THAT(html, HasSubstr("k (최소 동질집합 크기)"));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, HasSubstr("64-bit pseudonyms &lt;collide&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, HasSubstr("@media print"));
  EXPECT_THAT(html, HasSubstr("미승인"));
  EXPECT_THAT(html, HasSubstr("(삭제됨)"));
  EXPECT_THAT(html, HasSubstr("<td class=\"num\">0.3125</td>"));
  EXPECT_THAT(html, HasSubstr("custom_metric"));
  // Every section is closed: as many openings as closings.
  auto count = [&](std::string_view needle) {
    size_t n = 0;
    for (size_t p = html.find(needle); p != std::string::npos; p = html.find(needle, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<section>"), 7u);
  EXPECT_EQ(count("</section>"), 7u);
  EXPECT_EQ(count("<table>"), count("</table>"));
  EXPECT_EQ(count("<tr>"), count("</tr>"));

  r.signed_off_by = "Lee \"O'Brien\"";
  r.signed_off_at = "2025-01-03";
  std::string en = RenderHtml(r, Lang::kEn);
  EXPECT_THAT(en, HasSubstr("<html lang=\"en\">"));
  EXPECT_THAT(en, HasSubstr("Overall: PASS"));
  EXPECT_THAT(en, HasSubstr("Lee &quot;O&#39;Brien&quot;"));
  EXPECT_THAT(en, HasSubstr("Prosecutor risk, maximum"));
}

TEST(ReportTest, MarkdownTablesStayIntact) {
  AdequacyReport r = Sample();
  r.thresholds.push_back({"k", Comparison::kAtLeast, 11});
  std::string md = RenderMarkdown(r, Lang::kEn);
  EXPECT_THAT(md, HasSubstr("# Pseudonymization adequacy report"));
  EXPECT_THAT(md, HasSubstr("**Overall: FAIL**"));
  EXPECT_THAT(md, HasSubstr("| name\\|evil | delete |"));  // the pipe cannot split the row
  EXPECT_THAT(md, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(md, HasSubstr("| k (smallest equivalence class) | ≥ 11 | 5 | FAIL |"));
  EXPECT_THAT(md, HasSubstr("| Journalist risk | - | 0.05 |"));
  std::string ko = RenderMarkdown(r, Lang::kKo);
  EXPECT_THAT(ko, HasSubstr("**종합 판정: 부적합**"));
  EXPECT_THAT(ko, HasSubstr("| 승인자 | 미승인 |"));
}

TEST(ReportTest, JsonCarriesVerdicts) {
  auto j = nlohmann::json::parse(RenderJson(Sample()));
  EXPECT_EQ(j["pass"], true);
  EXPECT_EQ(j["rows"]["suppressed"], 10);
  EXPECT_EQ(j["columns"][0]["column"], "<script>alert('x')</script>");
  EXPECT_TRUE(j["columns"][1]["output_type"].is_null());
  EXPECT_EQ(j["verdicts"][0]["comparison"], "at_least");
  EXPECT_EQ(j["risk"][2]["before"], nullptr);
  EXPECT_TRUE(j["signed_off_by"].is_null());
}

}  // namespace
}  // namespace sz::pseudo
