#include "zone/anonymize.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "privacy/adult.h"
#include "privacy/search.h"
#include "zone/hierarchies.h"
#include "zone/pcentre_test_util.h"
#include "zone/pseudonymize.h"

namespace sz::zone {
namespace {

using testing::OfficerCaller;

const std::string kAdultDir = std::string(SAFEZONE_SHARED_DATA) + "/adult";

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "marital-status" -> "adult_marital_status".
std::string HierarchyName(std::string column) {
  for (char& c : column)
    if (c == '-') c = '_';
  return "adult_" + column;
}

class AnonymizeTest : public testing::PcentreTest {
 protected:
  // Adult as a zone dataset, every column a confirmed quasi-identifier, with its nine
  // ARX hierarchies uploaded.
  void ImportAdult() {
    ImportRequest r;
    r.path = kAdultDir + "/adult.csv";
    r.name = "adult";
    r.sector = "population";
    r.tier = "non_open";
    r.provider = "UCI";
    r.threads = 2;
    auto imported = ImportDataset(*zone_, Caller::Operator(), r);
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    ASSERT_EQ(imported->version.row_count, 30162);
    std::map<std::string, std::string> roles;
    for (const char* c : privacy::kAdultColumns) roles[c] = "quasi_identifier";
    ASSERT_TRUE(UpdateColumnRoles(*zone_, Caller::Operator(), "adult", 0, roles, true).ok());
    for (const char* c : privacy::kAdultColumns) {
      std::string csv = ReadText(kAdultDir + "/adult_hierarchy_" + std::string(c) + ".csv");
      auto up = UploadHierarchy(*zone_, officer_, HierarchyName(c), csv);
      ASSERT_TRUE(up.ok()) << up.status().ToString();
    }
  }
  SearchRequest AdultRequest(double suppression) {
    SearchRequest s;
    s.dataset = "adult";
    for (const char* c : privacy::kAdultColumns) s.quasi_identifiers.push_back({c, HierarchyName(c)});
    s.k = 5;
    s.suppression = suppression;
    s.threads = 2;
    return s;
  }
  Caller officer_ = OfficerCaller(10, "alice");
};

TEST_F(AnonymizeTest, AdultThroughTheZoneEqualsTheEngine) {
  ImportAdult();
  auto adult = privacy::LoadAdult(kAdultDir);
  ASSERT_TRUE(adult.ok()) << adult.status().ToString();
  for (double suppression : {0.0, 0.02}) {
    SCOPED_TRACE(suppression);
    auto zone_result = SearchAnonymization(*zone_, officer_, AdultRequest(suppression));
    ASSERT_TRUE(zone_result.ok()) << zone_result.status().ToString();
    privacy::Criteria c;
    c.models.push_back(privacy::PrivacyModel::KAnonymity(5));
    c.suppression_limit = suppression;
    auto engine = privacy::Search(*adult, c);
    ASSERT_TRUE(engine.ok());
    std::vector<int> levels;
    for (const auto& l : zone_result->levels) levels.push_back(l.level);
    EXPECT_EQ(levels, engine->levels);
    EXPECT_EQ(zone_result->classes, engine->classes);
    EXPECT_EQ(zone_result->suppressed_records, engine->suppressed_records);
    EXPECT_DOUBLE_EQ(zone_result->value, engine->value);
    EXPECT_TRUE(zone_result->optimal);
    EXPECT_EQ(zone_result->lattice_nodes, 12960);
    EXPECT_EQ(zone_result->rows, 30162);
  }
  // ARX 3.9.2 at k = 5, 0%: 24 classes, nothing suppressed, the documented optimum.
  auto r = SearchAnonymization(*zone_, officer_, AdultRequest(0));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->classes, 24);
  EXPECT_EQ(r->suppressed_records, 0);
  std::vector<int> levels;
  for (const auto& l : r->levels) levels.push_back(l.level);
  EXPECT_EQ(levels, (std::vector<int>{0, 4, 1, 1, 3, 2, 2, 1, 0}));
  EXPECT_NEAR(r->value, 0.573151, 1e-6);
}

TEST_F(AnonymizeTest, TheResultAsPolicyRulesReproducesItInARun) {
  ImportAdult();
  auto r = SearchAnonymization(*zone_, officer_, AdultRequest(0));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rules.size(), 9u);
  EXPECT_EQ(pseudo::RuleName(r->rules[0]), "keep");                 // sex at level 0
  EXPECT_EQ(pseudo::RuleName(r->rules[1]), "generalize/hierarchy");  // age at level 4
  EXPECT_NE(r->rules_yaml.find("{column: \"age\", rule: \"generalize\", method: \"hierarchy\", hierarchy_file: \"adult_age\""), std::string::npos) << r->rules_yaml;
  std::string qis;
  for (const char* c : privacy::kAdultColumns) qis += (qis.empty() ? "" : ", ") + std::string(c);
  RunRequest run;
  run.dataset = "adult";
  run.policy_text = "version: 1\nunlisted: keep\ncolumns:\n" + r->rules_yaml + "thresholds: {quasi_identifiers: [" +
                    qis + "]}\n";
  run.threads = 2;
  auto job = RunPseudonymization(*zone_, officer_, run);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_TRUE(job->job.pass);
  // The released version has the search's 24 classes, the smallest of at least 5.
  auto classes = Read("adult", 2,
                      "SELECT count(*), min(c) FROM (SELECT count(*) c FROM {} GROUP BY sex, age, race, "
                      "\"marital-status\", education, \"native-country\", workclass, occupation, \"salary-class\")");
  ASSERT_EQ(classes.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(classes[0][0]), 24);
  EXPECT_GE(std::get<int64_t>(classes[0][1]), 5);
  for (const auto& m : job->report.risk) {
    if (m.name == "k") {
      EXPECT_EQ(m.after, static_cast<double>(std::get<int64_t>(classes[0][1])));
    }
  }
}

TEST_F(AnonymizeTest, AdminHierarchyAndItsRules) {
  ImportCustomers(200);
  ASSERT_TRUE(UploadHierarchy(*zone_, officer_, "sex", "M;*\nF;*\n").ok());
  SearchRequest s;
  s.dataset = "customers";
  s.quasi_identifiers = {{"sex", "sex"}, {"sigungu", std::string(kAdminHierarchy)}};
  s.k = 30;
  s.threads = 1;
  auto r = SearchAnonymization(*zone_, officer_, s);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // sex x 시군구 gives classes of 25 (too small); sex x 시도 gives 50s: the optimum keeps
  // sex and goes up one admin level.
  ASSERT_EQ(r->levels.size(), 2u);
  EXPECT_EQ(r->levels[0].level, 0);
  EXPECT_EQ(r->levels[1].level, 2);
  EXPECT_EQ(r->levels[1].levels, 4);
  EXPECT_EQ(r->classes, 4);
  ASSERT_EQ(r->rules.size(), 2u);
  EXPECT_EQ(pseudo::RuleName(r->rules[1]), "generalize/admin_region");
  EXPECT_EQ(std::get<pseudo::GeneralizeRule>(r->rules[1].params).region_level, pseudo::RegionLevel::kSido);
}

TEST_F(AnonymizeTest, BadRequestsAreClearErrors) {
  ImportCustomers(100);
  ASSERT_TRUE(UploadHierarchy(*zone_, officer_, "sex_partial", "M;*\n").ok());
  SearchRequest s;
  s.dataset = "customers";
  s.threads = 1;
  s.quasi_identifiers = {{"sex", "sex_partial"}};
  auto uncovered = SearchAnonymization(*zone_, officer_, s);
  EXPECT_EQ(uncovered.status().code(), Code::kInvalidArgument);
  EXPECT_NE(uncovered.status().message().find("1 value(s) are not in hierarchy 'sex_partial', e.g. 'F'"),
            std::string::npos)
      << uncovered.status().ToString();
  s.quasi_identifiers = {{"sex", "/etc/passwd"}};
  EXPECT_NE(SearchAnonymization(*zone_, officer_, s).status().message().find("not a hierarchy name"),
            std::string::npos);
  s.quasi_identifiers = {{"phone", std::string(kAdminHierarchy)}};
  auto not_regions = SearchAnonymization(*zone_, officer_, s);
  EXPECT_EQ(not_regions.status().code(), Code::kInvalidArgument);
  // A direct identifier's values are never echoed.
  EXPECT_EQ(not_regions.status().message().find("010-"), std::string::npos) << not_regions.status().ToString();
  s.quasi_identifiers = {{"sigungu", std::string(kAdminHierarchy)}};
  s.k = 101;
  EXPECT_NE(SearchAnonymization(*zone_, officer_, s).status().message().find("larger than the 100 rows"),
            std::string::npos);
  s.k = 5;
  s.l = 2;
  EXPECT_EQ(SearchAnonymization(*zone_, officer_, s).status().code(), Code::kInvalidArgument);  // no sensitive
  // Hierarchies are immutable by name.
  EXPECT_EQ(UploadHierarchy(*zone_, officer_, "sex_partial", "M;*\nF;*\n").status().code(), Code::kAlreadyExists);
  EXPECT_TRUE(UploadHierarchy(*zone_, officer_, "sex_partial", "M;*\n").ok());  // same content again
  EXPECT_EQ(UploadHierarchy(*zone_, officer_, "admin", "M;*\n").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(UploadHierarchy(*zone_, officer_, "broken", "M;*\nF\n").status().code(), Code::kInvalidArgument);
  auto list = ListHierarchies(*zone_, officer_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().name, "sex_partial");
  EXPECT_EQ(list->front().levels, 2);
  EXPECT_EQ(list->front().values, 1);
}

}  // namespace
}  // namespace sz::zone
