#include "zone/pseudonymize.h"

#include <gtest/gtest.h>

#include <set>

#include "audit/audit_log.h"
#include "nlohmann/json.hpp"
#include "zone/hierarchies.h"
#include "zone/keyring.h"
#include "zone/pcentre_test_util.h"

namespace sz::zone {
namespace {

using testing::Customer;
using testing::CustomerRow;
using testing::OfficerCaller;

// Every identifier replaced or removed, quasi-identifiers generalized so that
// 시도 x 10-year band x sex gives the 8 classes described in pcentre_test_util.h.
constexpr const char* kPassPolicy = R"(
version: 1
name: customers for analysis
columns:
  - {column: customer_name, rule: delete}
  - {column: customer_rrn, rule: pseudonym, key_id: person, scope: dataset}
  - {column: phone, rule: token, method: ff1, key_id: phone_token, scope: dataset}
  - {column: birth_date, rule: generalize, method: age_band, width: 10, as_of: 2024-12-31}
  - {column: sex, rule: keep}
  - {column: sigungu, rule: generalize, method: admin_region, level: sido}
  - {column: amount, rule: keep}
thresholds: {sensitive: amount}
)";

// Keeps a name in the clear and the exact birth dates: both must fail the verdict.
constexpr const char* kFailPolicy = R"(
version: 1
name: too little
unlisted: keep
columns:
  - {column: customer_rrn, rule: delete}
  - {column: phone, rule: delete}
)";

const pseudo::Metric* FindMetric(const std::vector<pseudo::Metric>& list, std::string_view name) {
  for (const auto& m : list)
    if (m.name == name) return &m;
  return nullptr;
}

class PseudonymizeTest : public testing::PcentreTest {
 protected:
  Result<RunResult> Run(const std::string& policy, const Caller& caller, const std::string& project = "") {
    RunRequest r;
    r.dataset = "customers";
    r.policy_text = policy;
    r.project = project;
    r.summary = "analysis of spending by age group";
    r.threads = 1;
    return RunPseudonymization(*zone_, caller, r);
  }
  // Audit entries whose action is `action`.
  std::vector<audit::StoredEntry> Entries(std::string_view action) {
    auto all = audit::ReadEntries(zone_->db(), 1, 100000);
    EXPECT_TRUE(all.ok());
    std::vector<audit::StoredEntry> out;
    for (auto& e : *all)
      if (e.action == action) out.push_back(std::move(e));
    return out;
  }
  Caller alice_ = OfficerCaller(10, "alice");
  Caller bob_ = OfficerCaller(11, "bob");
};

TEST_F(PseudonymizeTest, RunStoresAPseudonymizedVersionDerivedFromTheSource) {
  ImportCustomers(200);
  auto run = Run(kPassPolicy, alice_);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->job.input_version, 1);
  EXPECT_EQ(run->job.output_version, 2);
  EXPECT_EQ(run->job.state, JobState::kAwaitingSignOff);
  EXPECT_EQ(run->job.run_by, "user:10/alice");

  Catalog catalog(*zone_);
  auto source = catalog.Version("customers", 1);
  auto output = catalog.Version("customers", 2);
  ASSERT_TRUE(source.ok() && output.ok());
  EXPECT_EQ(output->tier, "pseudonymized");
  ASSERT_TRUE(output->derived_from.has_value());
  EXPECT_EQ(*output->derived_from, source->id);
  EXPECT_EQ(output->row_count, 200);
  EXPECT_EQ(output->created_by, "user:10/alice");
  std::vector<std::string> names, roles;
  for (const auto& c : output->columns) {
    names.push_back(c.name);
    roles.push_back(c.role);
    EXPECT_TRUE(c.confirmed);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"customer_rrn", "phone", "birth_date", "sex", "sigungu", "amount"}));
  // Pseudonyms and tokens are linkage keys; generalized quasi-identifiers stay ones.
  EXPECT_EQ(roles, (std::vector<std::string>{"other", "other", "quasi_identifier", "quasi_identifier",
                                             "quasi_identifier", "sensitive"}));
  // The report carries both version hashes.
  EXPECT_EQ(run->report.input_version_hash, source->content_sha256);
  EXPECT_EQ(run->report.output_version_hash, output->content_sha256);
  // The provider's version is unchanged and still the default source.
  auto again = Run(kPassPolicy, alice_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->job.input_version, 1);
  EXPECT_EQ(again->job.output_version, 3);
}

TEST_F(PseudonymizeTest, OutputHoldsNoRawIdentifierOfTheSource) {
  const int n = 200;
  ImportCustomers(n);
  ASSERT_TRUE(Run(kPassPolicy, alice_).ok());
  std::vector<std::string> raw;
  for (int i = 0; i < n; ++i) {
    Customer c = CustomerRow(i);
    raw.push_back(c.name);
    raw.push_back(c.rrn);
    raw.push_back(c.rrn.substr(0, 6) + c.rrn.substr(7));  // without the hyphen
    raw.push_back(c.phone);
    raw.push_back(c.phone.substr(4));  // without the 010- prefix
  }
  // Every cell of every output column, as text.
  auto rows = Read("customers", 2, "SELECT COLUMNS(*)::VARCHAR FROM {}");
  ASSERT_EQ(rows.size(), static_cast<size_t>(n));
  size_t cells = 0;
  for (const auto& row : rows) {
    for (const auto& cell : row) {
      std::string text = duck::ValueToString(cell);
      ++cells;
      for (const auto& r : raw) ASSERT_EQ(text.find(r), std::string::npos) << "raw identifier in the output";
    }
  }
  EXPECT_EQ(cells, static_cast<size_t>(n) * 6);
  // The FF1 token keeps the phone's format; the RRN became a 16-character pseudonym.
  auto sample = Read("customers", 2, "SELECT phone, customer_rrn FROM {} LIMIT 1");
  ASSERT_EQ(sample.size(), 1u);
  std::string phone = duck::ValueToString(sample[0][0]);
  EXPECT_EQ(phone.size(), 13u);
  EXPECT_EQ(phone.substr(3, 1), "-");
  EXPECT_EQ(duck::ValueToString(sample[0][1]).size(), 16u);
}

TEST_F(PseudonymizeTest, ReportFiguresEqualHandCountsAndARecomputation) {
  ImportCustomers(200);
  auto run = Run(kPassPolicy, alice_);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const auto& risk = run->report.risk;
  const auto& utility = run->report.utility;
  // Hand count (pcentre_test_util.h): classes of 34, 34, 17, 17, 16, 16, 33, 33 rows.
  EXPECT_EQ(FindMetric(risk, "k")->after, 16.0);
  EXPECT_DOUBLE_EQ(*FindMetric(risk, "prosecutor_max")->after, 1.0 / 16);
  EXPECT_DOUBLE_EQ(*FindMetric(risk, "prosecutor_avg")->after, 8.0 / 200);
  EXPECT_EQ(FindMetric(risk, "records_above_threshold")->after, 0.0);
  EXPECT_EQ(FindMetric(risk, "sample_uniques")->after, 0.0);
  EXPECT_EQ(FindMetric(risk, "direct_identifiers_kept")->before, 3.0);
  EXPECT_EQ(FindMetric(risk, "direct_identifiers_kept")->after, 0.0);
  EXPECT_DOUBLE_EQ(*FindMetric(utility, "average_class_size")->after, 25.0);
  EXPECT_DOUBLE_EQ(*FindMetric(utility, "discernibility")->after, 2.0 * (34 * 34 + 17 * 17 + 16 * 16 + 33 * 33));
  EXPECT_EQ(FindMetric(utility, "distinct_values:sigungu")->before, 4.0);
  EXPECT_EQ(FindMetric(utility, "distinct_values:sigungu")->after, 2.0);

  // The same figures recomputed in SQL from the stored versions.
  const char* kClasses =
      "SELECT count(*)::DOUBLE, min(c)::DOUBLE, sum(CASE WHEN c = 1 THEN 1 ELSE 0 END)::DOUBLE, "
      "sum(c * c)::DOUBLE, min(l)::DOUBLE FROM (SELECT count(*) AS c, count(DISTINCT amount) AS l FROM {} "
      "GROUP BY birth_date, sex, sigungu)";
  for (int version : {1, 2}) {
    auto rows = Read("customers", version, kClasses);
    ASSERT_EQ(rows.size(), 1u);
    auto num = [&](int i) { return std::get<double>(rows[0][i]); };
    auto side = [&](const pseudo::Metric* m) { return version == 1 ? m->before : m->after; };
    SCOPED_TRACE(version);
    EXPECT_EQ(side(FindMetric(risk, "k")), num(1));
    EXPECT_DOUBLE_EQ(*side(FindMetric(risk, "prosecutor_max")), 1.0 / num(1));
    EXPECT_DOUBLE_EQ(*side(FindMetric(risk, "prosecutor_avg")), num(0) / 200);
    EXPECT_DOUBLE_EQ(*side(FindMetric(risk, "sample_uniques")), num(2) / 200);
    EXPECT_EQ(side(FindMetric(utility, "discernibility")), num(3));
    EXPECT_DOUBLE_EQ(*side(FindMetric(utility, "average_class_size")), 200 / num(0));
    EXPECT_EQ(side(FindMetric(risk, "l_distinct")), num(4));
  }
  // Before: exact birth dates make almost everyone unique.
  EXPECT_EQ(FindMetric(risk, "k")->before, 1.0);

  // Verdict: every threshold passes, and the stored JSON says the same.
  EXPECT_TRUE(run->job.pass);
  ASSERT_EQ(run->job.verdicts.size(), 5u);  // k, prosecutor_max, records_above, direct ids, l
  for (const auto& v : run->job.verdicts) EXPECT_TRUE(v.pass) << v.threshold.metric;
  auto json = RenderJobReport(*zone_, alice_, run->job.id, ReportFormat::kJson, pseudo::Lang::kEn);
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  auto j = nlohmann::json::parse(*json);
  EXPECT_EQ(j["pass"], true);
  EXPECT_EQ(j["run_by"], "user:10/alice");
  EXPECT_EQ(j["job"]["state"], "awaiting_signoff");
  EXPECT_EQ(j["input_version_hash"], run->report.input_version_hash);
  EXPECT_EQ(j["output_version_hash"], run->report.output_version_hash);
  for (const auto& m : j["risk"]) {
    if (m["name"] == "k") {
      EXPECT_EQ(m["after"], 16.0);
    }
  }
}

TEST_F(PseudonymizeTest, VerdictFailsForKeptIdentifiersAndSmallClasses) {
  ImportCustomers(200);
  auto run = Run(kFailPolicy, alice_);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_FALSE(run->job.pass);
  std::map<std::string, bool> pass;
  for (const auto& v : run->job.verdicts) pass[v.threshold.metric] = v.pass;
  EXPECT_FALSE(pass.at("k"));
  EXPECT_FALSE(pass.at("prosecutor_max"));
  EXPECT_FALSE(pass.at("records_above_threshold"));
  EXPECT_FALSE(pass.at("direct_identifiers_kept"));
  EXPECT_EQ(FindMetric(run->report.risk, "direct_identifiers_kept")->after, 1.0);  // the name
  EXPECT_EQ(FindMetric(run->report.risk, "k")->after, 1.0);
  // A name kept in the clear stays a direct identifier in the catalog.
  auto v = Catalog(*zone_).Version("customers", 2);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->columns[0].name, "customer_name");
  EXPECT_EQ(v->columns[0].role, "direct_identifier");
  // A failed verdict cannot be signed off.
  auto signoff = DecideJob(*zone_, bob_, run->job.id, {true, "looks fine"});
  EXPECT_EQ(signoff.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(signoff.status().message().find("direct_identifiers_kept"), std::string::npos);
}

TEST_F(PseudonymizeTest, ThresholdsInThePolicyOverrideTheZoneDefaults) {
  ImportCustomers(200);
  std::string strict = std::string(kPassPolicy).replace(std::string(kPassPolicy).find("{sensitive: amount}"),
                                                        19, "{sensitive: amount, k: 20, l: 3}");
  auto run = Run(strict, alice_);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_FALSE(run->job.pass);  // the smallest class has 16 rows
  for (const auto& v : run->job.verdicts) {
    if (v.threshold.metric == "k") {
      EXPECT_EQ(v.threshold.value, 20.0);
      EXPECT_FALSE(v.pass);
    } else {
      EXPECT_TRUE(v.pass) << v.threshold.metric;
    }
  }
  auto bad = ValidatePseudonymizationPolicy(*zone_, alice_, "customers", 0,
                                            "version: 1\nunlisted: keep\nthresholds: {k: 5, kk: 3}\n");
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("unknown field 'kk'"), std::string::npos);
  auto fixed = ValidatePseudonymizationPolicy(*zone_, alice_, "customers", 0,
                                              "version: 1\nunlisted: keep\nthresholds: {direct_identifiers_kept: 1}\n");
  EXPECT_EQ(fixed.status().code(), Code::kInvalidArgument);
}

TEST_F(PseudonymizeTest, SignOffByAnotherOfficerAndNotByTheRunner) {
  ImportCustomers(200);
  auto run = Run(kPassPolicy, alice_);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const int64_t job = run->job.id;
  const int64_t version_id = run->job.output_version_id;
  EXPECT_FALSE(*IsSignedOff(*zone_, version_id));

  auto own = DecideJob(*zone_, alice_, job, {true, "my own work is fine"});
  EXPECT_EQ(own.status().code(), Code::kPermissionDenied);
  auto denials = Entries("pseudonymize.sign_off");
  ASSERT_FALSE(denials.empty());
  EXPECT_EQ(denials.back().outcome, "deny");
  EXPECT_EQ(denials.back().actor, "user:10/alice");
  EXPECT_FALSE(*IsSignedOff(*zone_, version_id));

  EXPECT_EQ(DecideJob(*zone_, bob_, job, {true, ""}).status().code(), Code::kInvalidArgument);  // no comment
  auto signed_off = DecideJob(*zone_, bob_, job, {true, "risk below thresholds; approved for project use"});
  ASSERT_TRUE(signed_off.ok()) << signed_off.status().ToString();
  EXPECT_EQ(signed_off->state, JobState::kSignedOff);
  EXPECT_EQ(signed_off->decided_by, "user:11/bob");
  EXPECT_TRUE(*IsSignedOff(*zone_, version_id));
  EXPECT_TRUE(*IsSignedOff(*zone_, "customers", 2));
  EXPECT_FALSE(*IsSignedOff(*zone_, "customers", 1));
  EXPECT_EQ(Entries("pseudonymize.sign_off").back().outcome, "allow");

  // Decided once: a second decision is refused.
  EXPECT_EQ(DecideJob(*zone_, OfficerCaller(12, "carol"), job, {false, "no"}).status().code(),
            Code::kFailedPrecondition);
  // The report names the signer and the comment, in both languages.
  for (auto lang : {pseudo::Lang::kKo, pseudo::Lang::kEn}) {
    auto md = RenderJobReport(*zone_, alice_, job, ReportFormat::kMarkdown, lang);
    ASSERT_TRUE(md.ok());
    EXPECT_NE(md->find("user:11/bob"), std::string::npos);
    EXPECT_NE(md->find("approved for project use"), std::string::npos);
    auto html = RenderJobReport(*zone_, alice_, job, ReportFormat::kHtml, lang);
    ASSERT_TRUE(html.ok());
    EXPECT_NE(html->find("<html"), std::string::npos);
    EXPECT_NE(html->find(run->report.output_version_hash), std::string::npos);
  }
}

TEST_F(PseudonymizeTest, RejectionWithACommentLeavesTheVersionUnapproved) {
  ImportCustomers(200);
  auto run = Run(kPassPolicy, alice_);
  ASSERT_TRUE(run.ok());
  auto rejected = DecideJob(*zone_, bob_, run->job.id, {false, "phone tokens are reversible; use pseudonyms"});
  ASSERT_TRUE(rejected.ok()) << rejected.status().ToString();
  EXPECT_EQ(rejected->state, JobState::kRejected);
  EXPECT_EQ(rejected->comment, "phone tokens are reversible; use pseudonyms");
  EXPECT_FALSE(*IsSignedOff(*zone_, run->job.output_version_id));
  auto md = RenderJobReport(*zone_, bob_, run->job.id, ReportFormat::kMarkdown, pseudo::Lang::kEn);
  ASSERT_TRUE(md.ok());
  EXPECT_NE(md->find("rejected by user:11/bob"), std::string::npos);
  EXPECT_EQ(DecideJob(*zone_, bob_, run->job.id, {true, "changed my mind"}).status().code(),
            Code::kFailedPrecondition);
  auto jobs = ListJobs(*zone_, bob_, "customers");
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ(jobs->front().state, JobState::kRejected);
}

TEST_F(PseudonymizeTest, TheOperatorCannotSignOffTheOperatorsRun) {
  ImportCustomers(200);
  auto run = Run(kPassPolicy, Caller::Operator());
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(DecideJob(*zone_, Caller::Operator(), run->job.id, {true, "ok"}).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(Entries("pseudonymize.sign_off").back().outcome, "deny");
  EXPECT_TRUE(DecideJob(*zone_, bob_, run->job.id, {true, "reviewed"}).ok());
}

TEST_F(PseudonymizeTest, PeopleWithoutTheOfficerRoleCannotRunOrDecide) {
  ImportCustomers(100);
  authz::Actor analyst = testing::Officer(20, "dan");
  analyst.roles = {{authz::Role::kAnalyst, 0}};
  Caller dan = Caller::Person(analyst, "t");
  auto before = Footprint();
  EXPECT_EQ(Run(kPassPolicy, dan).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(Footprint(), before);
  SuggestRequest s;
  s.dataset = "customers";
  EXPECT_EQ(SuggestPseudonymizationPolicy(*zone_, dan, s).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(ListJobs(*zone_, dan).status().code(), Code::kPermissionDenied);
}

TEST_F(PseudonymizeTest, FailuresWriteNothing) {
  ImportCustomers(100);
  ASSERT_TRUE(UploadHierarchy(*zone_, alice_, "sex_partial", "M;*\n").ok());
  const auto before = Footprint();
  const auto run_errors = Entries("pseudonymize.run").size();
  struct Case {
    std::string what;
    std::string policy;
    std::string project;
    Code code;
    std::string message;
  };
  const std::string keep_rest = "version: 1\nunlisted: keep\ncolumns:\n";
  std::vector<Case> cases = {
      {"unknown column", keep_rest + "  - {column: nope, rule: delete}\n", "", Code::kInvalidArgument, "nope"},
      {"rule misfits type", keep_rest + "  - {column: amount, rule: mask, keep_first: 1}\n", "",
       Code::kInvalidArgument, "amount"},
      {"missing combination key",
       keep_rest + "  - {column: phone, rule: pseudonym, key_id: link, scope: combination}\n", "",
       Code::kInvalidArgument, "combination"},
      {"project key without a project",
       keep_rest + "  - {column: phone, rule: pseudonym, key_id: person, scope: project}\n", "",
       Code::kInvalidArgument, "--project"},
      {"uncovered hierarchy values",
       keep_rest + "  - {column: sex, rule: generalize, method: hierarchy, hierarchy_file: sex_partial, level: 1}\n",
       "", Code::kInvalidArgument, "'F'"},
      {"hierarchy from a path", keep_rest +
                                    "  - {column: sex, rule: generalize, method: hierarchy, hierarchy_file: "
                                    "/etc/passwd, level: 1}\n",
       "", Code::kInvalidArgument, "not a path"},
      {"unknown hierarchy",
       keep_rest + "  - {column: sex, rule: generalize, method: hierarchy, hierarchy_file: nosuch, level: 1}\n", "",
       Code::kInvalidArgument, "upload it first"},
      {"k above the rows", keep_rest + "  - {column: phone, rule: delete}\nthresholds: {k: 101}\n", "",
       Code::kInvalidArgument, "larger than the 100 rows"},
      {"microaggregation k above the rows", "version: 1\nunlisted: keep\nmicroaggregation:\n  - {columns: [amount], k: 500}\n",
       "", Code::kInvalidArgument, ""},
      {"sensitive column deleted", keep_rest + "  - {column: amount, rule: delete}\nthresholds: {sensitive: amount}\n",
       "", Code::kInvalidArgument, "deletes the sensitive column"},
      {"bad project name", kPassPolicy, "No Such", Code::kInvalidArgument, "project"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto run = Run(c.policy, alice_, c.project);
    ASSERT_FALSE(run.ok());
    EXPECT_EQ(run.status().code(), c.code) << run.status().ToString();
    EXPECT_NE(run.status().message().find(c.message), std::string::npos) << run.status().ToString();
    EXPECT_EQ(Footprint(), before);
  }
  // A combination key that does not exist is NotFound once the scope is bound: the
  // pseudonymization run never binds one, so the keyring is asked directly.
  {
    ZoneKeyring ring(*zone_, alice_, {"customers", "", "c1"}, "test");
    EXPECT_EQ(ring.Key("link", "combination").status().code(), Code::kNotFound);
  }
  EXPECT_EQ(Footprint(), before);
  // Every failed run that was allowed is on the trail as an error.
  auto entries = Entries("pseudonymize.run");
  ASSERT_GT(entries.size(), run_errors);
  size_t errors = 0;
  for (const auto& e : entries) errors += e.outcome == "error";
  EXPECT_GE(errors, cases.size() - 1);  // the bad project name fails before authorization
}

TEST_F(PseudonymizeTest, RunNeedsConfirmedRoles) {
  ImportCustomers(50);
  // A new version brings unconfirmed roles.
  ImportRequest r;
  r.path = tmp_ / "customers.csv";
  r.name = "customers";
  r.new_version = true;
  r.threads = 1;
  ASSERT_TRUE(ImportDataset(*zone_, Caller::Operator(), r).ok());
  auto before = Footprint();
  auto run = Run(kPassPolicy, alice_);
  EXPECT_EQ(run.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(run.status().message().find("--confirm"), std::string::npos);
  EXPECT_EQ(Footprint(), before);
  RunRequest older;
  older.dataset = "customers";
  older.version = 1;
  older.policy_text = kPassPolicy;
  older.threads = 1;
  EXPECT_TRUE(RunPseudonymization(*zone_, alice_, older).ok());
}

TEST_F(PseudonymizeTest, SuggestedPolicyValidatesAndRuns) {
  ImportCustomers(200);
  SuggestRequest s;
  s.dataset = "customers";
  s.project = "spending";
  s.as_of = "2024-12-31";
  auto suggested = SuggestPseudonymizationPolicy(*zone_, alice_, s);
  ASSERT_TRUE(suggested.ok()) << suggested.status().ToString();
  EXPECT_EQ(suggested->thresholds.sensitive, "amount");
  EXPECT_NE(suggested->text.find("thresholds:"), std::string::npos);
  // Names deleted, the RRN masked, the phone pseudonymized under the project key.
  const pseudo::ColumnRule* name = suggested->policy.Find("customer_name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(pseudo::RuleName(*name), "delete");
  EXPECT_EQ(pseudo::RuleName(*suggested->policy.Find("customer_rrn")), "mask");
  const pseudo::ColumnRule* phone = suggested->policy.Find("phone");
  ASSERT_NE(phone, nullptr);
  ASSERT_TRUE(std::holds_alternative<pseudo::PseudonymRule>(phone->params));
  EXPECT_EQ(std::get<pseudo::PseudonymRule>(phone->params).key.scope, pseudo::KeyScope::kProject);

  auto valid = ValidatePseudonymizationPolicy(*zone_, alice_, "customers", 0, suggested->text);
  ASSERT_TRUE(valid.ok()) << valid.status().ToString();
  RunRequest r;
  r.dataset = "customers";
  r.policy_text = suggested->text;
  r.project = "spending";
  r.threads = 1;
  auto run = RunPseudonymization(*zone_, alice_, r);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  // The masked RRN keeps birth date and sex: it is measured as a quasi-identifier.
  auto v = Catalog(*zone_).Version("customers", 2);
  ASSERT_TRUE(v.ok());
  for (const auto& c : v->columns) {
    if (c.name == "customer_rrn") {
      EXPECT_EQ(c.role, "quasi_identifier");
    }
  }
  EXPECT_NE(run->report.warnings.front().find("customer_rrn"), std::string::npos);
}

TEST_F(PseudonymizeTest, SameKeyAndScopeGiveTheSamePseudonymsAcrossRuns) {
  ImportCustomers(60);
  const std::string policy =
      "version: 1\nunlisted: delete\ncolumns:\n"
      "  - {column: customer_rrn, rule: pseudonym, key_id: person, scope: project}\n"
      "  - {column: phone, rule: pseudonym, key_id: person_d, scope: dataset}\n"
      "  - {column: amount, rule: keep}\n";
  ASSERT_TRUE(Run(policy, alice_, "alpha").ok());
  ASSERT_TRUE(Run(policy, alice_, "alpha").ok());
  ASSERT_TRUE(Run(policy, alice_, "beta").ok());
  auto col = [&](int version, const char* c) {
    std::vector<std::string> out;
    for (const auto& row : Read("customers", version, fmt::format("SELECT {} FROM {{}} ORDER BY amount", c)))
      out.push_back(duck::ValueToString(row[0]));
    return out;
  };
  EXPECT_EQ(col(2, "customer_rrn"), col(3, "customer_rrn"));  // same project
  auto beta = col(4, "customer_rrn");
  auto alpha = col(2, "customer_rrn");
  for (size_t i = 0; i < alpha.size(); ++i) EXPECT_NE(alpha[i], beta[i]);  // another project
  EXPECT_EQ(col(2, "phone"), col(4, "phone"));  // dataset scope: the same in both projects
  // One key per (scope, scope name, id): person@alpha, person@beta, person_d@customers.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM zone_keys WHERE purpose LIKE 'keyring:%'"), 3);
}

TEST_F(PseudonymizeTest, DetokenizationIsRefusedToEveryoneAndAudited) {
  ImportCustomers(20);
  EXPECT_EQ(DetokenizeValues(*zone_, alice_, "customers", "phone", 3).code(), Code::kPermissionDenied);
  EXPECT_EQ(DetokenizeValues(*zone_, Caller::Operator(), "customers", "phone", 1).code(), Code::kPermissionDenied);
  auto entries = Entries("key.detokenize");
  ASSERT_EQ(entries.size(), 2u);
  for (const auto& e : entries) EXPECT_EQ(e.outcome, "deny");
  EXPECT_EQ(entries[0].actor, "user:10/alice");
  EXPECT_EQ(entries[1].actor, "operator");
}

}  // namespace
}  // namespace sz::zone
