#include "disclosure/acro_record.h"

#include <gtest/gtest.h>

#include "crypto/secret.h"
#include "disclosure/suppression.h"
#include "disclosure_tables.h"

namespace sz::disclosure {
namespace {

using nlohmann::ordered_json;
using testing::At;
using testing::CountTable2D;

struct Fixture {
  Output table_output;
  Output regression;
  Output code;
  CheckReport table_report, regression_report, code_report;
  std::vector<CellStatus> suppression;
};

// Interior       X   Y   Z
//            A   3  20  30      (A, X) fails the threshold.
//            B  25  40  35
//            C  30  22  50
Fixture Make() {
  Fixture f;
  f.table_output.uid = "output_0";
  f.table_output.type = OutputType::kFrequencyTable;
  f.table_output.command = "SELECT region, kind, count(DISTINCT pid) ...";
  f.table_output.body = CountTable2D({"A", "B", "C"}, {"X", "Y", "Z"},
                                     {{3, 20, 30}, {25, 40, 35}, {30, 22, 50}});
  f.table_report = *CheckOutput(f.table_output, RiskAppetite::Defaults());
  const Table& t = std::get<Table>(f.table_output.body);
  f.suppression = SuppressSecondary(t, f.table_report.PrimaryMask(), {})->status;

  f.regression.uid = "output_1";
  f.regression.type = OutputType::kRegression;
  f.regression.command = "ols(y ~ x1 + x2)";
  f.regression.body = RegressionEvidence{"ols", 120, 3, 117};
  f.regression.comments = {"main model"};
  f.regression_report = *CheckOutput(f.regression, RiskAppetite::Defaults());

  f.code.uid = "output_2";
  f.code.type = OutputType::kFreeform;
  f.code.body = FileEvidence{"analysis.py", 18, std::nullopt};
  f.code.exception_request = "code only, no data";
  f.code_report = *CheckOutput(f.code, RiskAppetite::Defaults());
  return f;
}

std::vector<CheckedOutput> Checked(const Fixture& f) {
  std::vector<CheckedOutput> out(3);
  out[0] = {&f.table_output, &f.table_report, f.suppression, std::nullopt,
            "2024-05-01T10:00:00", {}};
  out[1] = {&f.regression, &f.regression_report, {}, std::nullopt, "2024-05-01T10:01:00",
            {{"output_1_0.csv", "term,coef\nx1,0.5\n"}}};
  out[2] = {&f.code, &f.code_report, {}, std::nullopt, "2024-05-01T10:02:00",
            {{"analysis.py", "print('hello')\n"}}};
  return out;
}

const ReleaseFile* FileNamed(const ReleaseBundle& b, std::string_view name) {
  for (const ReleaseFile& f : b.files) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

TEST(DisclosureAcroRecord, PublishedCsvBlanksSuppressedCells) {
  Fixture f = Make();
  auto checked = Checked(f);
  auto csv = PublishedCsv(checked[0]);
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  // Secondaries (A,Y), (C,X), (C,Y) and the primary (A,X) are blank.
  EXPECT_EQ(*csv,
            "row,Total,X,Y,Z\n"
            "Total,255,58,82,115\n"
            "A,53,,,30\n"
            "B,100,25,40,35\n"
            "C,102,,,50\n");
  CheckedOutput rounded = checked[0];
  rounded.suppression.clear();
  std::vector<bool> redact(f.table_report.PrimaryMask());
  rounded.rounding = *RoundTable(std::get<Table>(f.table_output.body), 5, redact);
  auto rcsv = PublishedCsv(rounded);
  ASSERT_TRUE(rcsv.ok());
  EXPECT_EQ(*rcsv,
            "row,Total,X,Y,Z\n"
            "Total,250,55,80,115\n"
            "A,50,,20,30\n"
            "B,100,25,40,35\n"
            "C,100,30,20,50\n");
}

TEST(DisclosureAcroRecord, RecordHasAcroFieldsAndSdc) {
  Fixture f = Make();
  auto checked = Checked(f);
  auto bundle = BuildReleaseBundle(checked, {});
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  const ReleaseFile* json_file = FileNamed(*bundle, "results.json");
  ASSERT_NE(json_file, nullptr);
  ordered_json j = ordered_json::parse(json_file->content);
  EXPECT_EQ(j["version"], "0.4.11");
  ASSERT_TRUE(j["results"].is_object());
  std::vector<std::string> uids;
  for (const auto& [uid, record] : j["results"].items()) {
    uids.push_back(uid);
    std::vector<std::string> keys;
    for (const auto& [key, value] : record.items()) keys.push_back(key);
    // ACRO's Records.finalise_json writes exactly these keys, in this order.
    EXPECT_EQ(keys, (std::vector<std::string>{"uid", "status", "type", "properties", "files",
                                              "outcome", "command", "summary", "timestamp",
                                              "comments", "exception"}));
    for (const auto& file : record["files"]) {
      EXPECT_TRUE(file.contains("name"));
      EXPECT_TRUE(file["sdc"].is_object());
    }
  }
  EXPECT_EQ(uids, (std::vector<std::string>{"output_0", "output_1", "output_2"}));

  const auto& table = j["results"]["output_0"];
  EXPECT_EQ(table["type"], "table");
  EXPECT_EQ(table["status"], "review");  // failed, then suppressed: the checker confirms
  EXPECT_EQ(table["summary"], "fail; threshold: 1 cell; suppressed with 3 secondary cells");
  const auto& sdc = table["files"][0]["sdc"];
  EXPECT_EQ(table["files"][0]["name"], "output_0_0.csv");
  EXPECT_EQ(sdc["summary"]["suppressed"], true);
  EXPECT_EQ(sdc["summary"]["mitigation"], "suppress");
  EXPECT_EQ(sdc["summary"]["threshold"], 1);
  EXPECT_EQ(sdc["summary"]["p-ratio"], 0);
  EXPECT_EQ(sdc["summary"]["secondary"], 3);
  // (A, X) is body row 1 (after Total), value column 1 (after Total).
  EXPECT_EQ(sdc["cells"]["threshold"], ordered_json::parse("[[1, 1]]"));
  EXPECT_EQ(sdc["cells"]["secondary"], ordered_json::parse("[[1, 2], [3, 1], [3, 2]]"));
  EXPECT_EQ(table["outcome"]["X"]["A"], "threshold; ");
  EXPECT_EQ(table["outcome"]["Y"]["B"], "ok");

  const auto& regression = j["results"]["output_1"];
  EXPECT_EQ(regression["type"], "regression");
  EXPECT_EQ(regression["status"], "pass");
  EXPECT_EQ(regression["properties"]["dof"], 117);
  EXPECT_EQ(regression["comments"], ordered_json::parse(R"(["main model"])"));
  const auto& code = j["results"]["output_2"];
  EXPECT_EQ(code["type"], "custom");
  EXPECT_EQ(code["status"], "review");
  EXPECT_EQ(code["exception"], "code only, no data");
  EXPECT_EQ(code["files"][0]["name"], "analysis.py");
  // The analyst's copy carries no reasons (they include counts of suppressed cells).
  EXPECT_FALSE(table["properties"].contains("reasons"));
}

TEST(DisclosureAcroRecord, ChecksumsCoverEveryFile) {
  Fixture f = Make();
  auto checked = Checked(f);
  auto bundle = BuildReleaseBundle(checked, {});
  ASSERT_TRUE(bundle.ok());
  std::vector<std::string> names;
  for (const ReleaseFile& file : bundle->files) names.push_back(file.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "results.json", "output_0_0.csv", "output_1_0.csv", "analysis.py",
                       "checksums/results.json.txt", "checksums/output_0_0.csv.txt",
                       "checksums/output_1_0.csv.txt", "checksums/analysis.py.txt"}));
  for (const ReleaseFile& file : bundle->files) {
    if (file.name.rfind("checksums/", 0) == 0) continue;
    const ReleaseFile* sum = FileNamed(*bundle, "checksums/" + file.name + ".txt");
    ASSERT_NE(sum, nullptr);
    EXPECT_EQ(sum->content, crypto::Sha256Hex(file.content));
    EXPECT_EQ(sum->content.size(), 64u);
  }
  // A fixed vector: SHA-256("print('hello')\n").
  EXPECT_EQ(FileNamed(*bundle, "checksums/analysis.py.txt")->content,
            crypto::Sha256Hex("print('hello')\n"));
}

TEST(DisclosureAcroRecord, ResultsJsonRoundTrips) {
  Fixture f = Make();
  auto checked = Checked(f);
  BundleOptions reviewer;
  reviewer.reviewer_copy = true;
  auto bundle = BuildReleaseBundle(checked, reviewer);
  ASSERT_TRUE(bundle.ok());
  const std::string& text = FileNamed(*bundle, "results.json")->content;
  auto parsed = ParseResultsJson(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, bundle->results);
  EXPECT_EQ(ResultsToJson(*parsed), text);
  // The reviewer's copy carries the bilingual reasons.
  const auto& reasons = parsed->records[0].properties["reasons"];
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0]["en"], "cell (A, X) has 3 persons; minimum is 10");
  EXPECT_EQ(reasons[0]["rule"], "threshold");
}

TEST(DisclosureAcroRecord, DuplicateUidsAreRejected) {
  Fixture f = Make();
  auto checked = Checked(f);
  checked[1].output = &f.table_output;
  checked[1].report = &f.table_report;
  EXPECT_EQ(BuildReleaseBundle(checked, {}).status().code(), Code::kInvalidArgument);
}

TEST(DisclosureAcroRecord, ParseRejectsSchemaViolations) {
  EXPECT_EQ(ParseResultsJson("[]").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseResultsJson(R"({"results": {}})").status().code(), Code::kInvalidArgument);
  const char* missing_exception = R"({"version": "0.4.11", "results": {"output_0": {
      "uid": "output_0", "status": "pass", "type": "table", "properties": {},
      "files": [], "outcome": {}, "command": "", "summary": "pass", "timestamp": "",
      "comments": []}}})";
  auto r = ParseResultsJson(missing_exception);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("exception"), std::string::npos);
  const char* bad_status = R"({"version": "0.4.11", "results": {"output_0": {
      "uid": "output_0", "status": "ok", "type": "table", "properties": {},
      "files": [], "outcome": {}, "command": "", "summary": "", "timestamp": "",
      "comments": [], "exception": ""}}})";
  EXPECT_EQ(ParseResultsJson(bad_status).status().code(), Code::kInvalidArgument);
  // ACRO's extra top-level key is accepted.
  const char* acro = R"({"version": "0.4.11", "results": {}, "session_summary": {}})";
  EXPECT_TRUE(ParseResultsJson(acro).ok());
}

}  // namespace
}  // namespace sz::disclosure
