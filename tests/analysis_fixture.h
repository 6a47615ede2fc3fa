// A zone with people and datasets for the project, workspace and export tests.
//
// residents (pseudonymized, one row per person, 60 rows): pid P000..P059; sido 부산 for
// i < 25, 서울 for 25 <= i < 55, 대구 otherwise; sex M for even i, F for odd i; age
// 20 + i; income 1000 + 10 i. So 부산 25 (13 M, 12 F), 서울 30 (15 M, 15 F), 대구 5 (2 M,
// 3 F), M 30, F 30.
// card_tx (non_open, several rows per person): for i < 40 one 'food' row of 10 + i; for
// i % 3 == 0 one 'travel' row of 100 + i; P003 one more 'travel' row of 1,000,000.
// other_data (non_open): a dataset no project is approved for.
// residents version 2 is version 1 reviewed as is and signed off (SignOffResidents), so
// projects pin version 2.
//
// People are inserted straight into the identity tables (no password hashing, so tests
// stay fast) and acted as through Caller::Person with the roles stored for them.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "fmt/format.h"
#include "test_util.h"
#include "zone/catalog.h"
#include "zone/ingest.h"
#include "zone/projects.h"
#include "zone/pseudonymize.h"
#include "zone/zone.h"

namespace sz::testing {

class AnalysisTest : public ::testing::Test {
 protected:
  // 2026-03-10 12:00 KST.
  static Time Start() {
    return SeoulMidnight(
               Date{std::chrono::year(2026), std::chrono::month(3), std::chrono::day(10)}) +
           std::chrono::hours(12);
  }

  void SetUp() override {
    zone::ZoneOptions o;
    o.dir = tmp_ / "zone";
    o.key.file = tmp_ / "master.key";
    o.key.env_var = "";
    o.clock = &clock_;
    auto z = zone::Zone::Init(o, {});
    ASSERT_TRUE(z.ok()) << z.status().ToString();
    zone_ = std::move(*z);
    std::string residents = "pid,sido,sex,age,income\n";
    for (int i = 0; i < 60; ++i) {
      residents += fmt::format("P{:03},{},{},{},{}\n", i,
                               i < 25   ? "부산"
                               : i < 55 ? "서울"
                                        : "대구",
                               i % 2 == 0 ? "M" : "F", 20 + i, 1000 + 10 * i);
    }
    Import("residents", residents, "pseudonymized", "population");
    std::string cards = "pid,category,amount\n";
    for (int i = 0; i < 60; ++i) {
      if (i < 40) cards += fmt::format("P{:03},food,{}\n", i, 10 + i);
      if (i % 3 == 0) cards += fmt::format("P{:03},travel,{}\n", i, 100 + i);
    }
    cards += "P003,travel,1000000\n";
    Import("card_tx", cards, "non_open", "consumption");
    Import("other_data", "code,secret\nA,42\nB,43\n", "non_open", "finance");
    // Make the roles deterministic whatever the detector proposed.
    SetRoles("residents", {{"pid", "quasi_identifier"},
                           {"sido", "quasi_identifier"},
                           {"sex", "quasi_identifier"},
                           {"age", "quasi_identifier"},
                           {"income", "sensitive"}});
    SetRoles("card_tx",
             {{"pid", "quasi_identifier"}, {"category", "other"}, {"amount", "sensitive"}});

    admin_ = AddUser("admin1", {{authz::Role::kAdministrator, 0}});
    admin2_ = AddUser("admin2", {{authz::Role::kAdministrator, 0}});
    analyst_ = AddUser("kim", {{authz::Role::kAnalyst, 0}});
    analyst2_ = AddUser("lee", {{authz::Role::kAnalyst, 0}});
    reviewer_ = AddUser("park", {{authz::Role::kOutputReviewer, 0}});
    reviewer2_ = AddUser("choi", {{authz::Role::kOutputReviewer, 0}});
    outsider_ = AddUser("jung", {{authz::Role::kAnalyst, 0}});
    officer_ = AddUser("han", {{authz::Role::kPseudonymizationOfficer, 0}});
    SignOffResidents();
  }

  // A pseudonymized dataset enters projects only after an officer signed off its
  // adequacy review: the operator reviews residents as delivered (every column kept,
  // risk measured on sido and sex) into version 2, and officer_ signs it off.
  void SignOffResidents() {
    zone::RunRequest r;
    r.dataset = "residents";
    r.version = 1;
    r.policy_text =
        "version: 1\nunlisted: keep\nthresholds: {quasi_identifiers: [sido, sex], k: 2, prosecutor_max: 0.5, risk_threshold: 0.5}\n";
    r.summary = "delivered pseudonymized by the provider; reviewed as is";
    r.threads = 1;
    auto run = zone::RunPseudonymization(*zone_, zone::Caller::Operator(), r);
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    ASSERT_TRUE(run->job.pass);
    auto decided = zone::DecideJob(*zone_, As(officer_), run->job.id, {true, "adequate"});
    ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  }

  void Import(const std::string& name, const std::string& csv, const std::string& tier,
              const std::string& sector) {
    std::string path = tmp_ / (name + ".csv");
    std::ofstream(path, std::ios::binary) << csv;
    zone::ImportRequest r;
    r.path = path;
    r.name = name;
    r.sector = sector;
    r.tier = tier;
    r.provider = "통계청";
    r.threads = 1;
    auto result = zone::ImportDataset(*zone_, zone::Caller::Operator(), r);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
  }

  void SetRoles(const std::string& name, const std::map<std::string, std::string>& roles) {
    ASSERT_TRUE(zone::Catalog(*zone_).SetRoles(name, 0, roles, true).ok());
  }

  int64_t AddUser(const std::string& username, const std::vector<authz::RoleGrant>& roles) {
    auto& db = zone_->db();
    EXPECT_TRUE(db.Run("INSERT INTO identity_users(username, display_name, status, password_hash, "
                       "must_change_password, totp_confirmed, accreditation_expires, created_at, "
                       "updated_at) "
                       "VALUES (?1, ?1, 'active', 'x', 0, 1, '2030-01-01', 0, 0)",
                       username)
                    .ok());
    int64_t id = db.LastInsertId();
    for (const auto& g : roles) Grant(id, g.role, g.project_id);
    return id;
  }

  void Grant(int64_t user, authz::Role role, int64_t project_id) {
    EXPECT_TRUE(
        zone_->db()
            .Run("INSERT INTO identity_roles(user_id, role, project_id, granted_by, granted_at) "
                 "VALUES (?1, ?2, ?3, 0, 0)",
                 user, authz::RoleName(role), project_id)
            .ok());
  }

  // The signed-in person `user`, with the roles stored for them, on the fake clock's day.
  zone::Caller As(int64_t user) {
    authz::Actor a;
    a.user_id = user;
    auto st = zone_->db().Query("SELECT username FROM identity_users WHERE id = ?1", user);
    if (st.ok() && *st->Step()) a.username = st->Text(0);
    auto roles =
        zone_->db().Query("SELECT role, project_id FROM identity_roles WHERE user_id = ?1", user);
    while (roles.ok() && *roles->Step()) {
      a.roles.push_back({*authz::ParseRole(roles->Text(0)), roles->Int64(1)});
    }
    a.accreditation_expires =
        Date{std::chrono::year(2030), std::chrono::month(1), std::chrono::day(1)};
    a.today = SeoulDate(clock_.Now());
    a.method = authz::AuthMethod::kSession;
    return zone::Caller::Person(a, "test");
  }

  static Date Day(int y, int m, int d) {
    return Date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                std::chrono::day(static_cast<unsigned>(d))};
  }

  // residents (pid person; sido, sex, age, income) and card_tx (pid person; category,
  // amount), 2026-03-01 .. 2026-06-30, analyst_ as a member.
  zone::ProjectSpec Spec(const std::string& name = "tourism_study") {
    zone::ProjectSpec s;
    s.name = name;
    s.title = "관광 소비 연구";
    s.purpose = "Spending of residents by region";
    s.start = Day(2026, 3, 1);
    s.end = Day(2026, 6, 30);
    s.members = {{analyst_, zone::MemberRole::kLead}};
    s.datasets = {{"residents", 0, {"pid", "sido", "sex", "age", "income"}, "pid", false},
                  {"card_tx", 0, {"pid", "category", "amount"}, "pid", false}};
    return s;
  }

  // Creates (as the analyst) and approves (as admin_) a project; grants reviewer_ and
  // reviewer2_ the reviewer role for it.
  zone::Project ApprovedProject(const std::string& name = "tourism_study",
                                bool two_reviewers = false) {
    zone::ProjectSpec s = Spec(name);
    s.two_reviewers = two_reviewers;
    auto p = zone::CreateProject(*zone_, As(analyst_), s);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    auto a = zone::ApproveProject(*zone_, As(admin_), name);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? *a : zone::Project{};
  }

  // Audit entries with `action`, in order.
  std::vector<audit::StoredEntry> Entries(const std::string& action) {
    std::vector<audit::StoredEntry> out;
    EXPECT_TRUE(audit::ForEachEntry(zone_->db(), [&](const audit::StoredEntry& e) {
                  if (e.action == action) out.push_back(e);
                  return true;
                }).ok());
    return out;
  }

  TempDir tmp_;
  FakeClock clock_{Start()};
  std::unique_ptr<zone::Zone> zone_;
  int64_t admin_ = 0, admin2_ = 0, analyst_ = 0, analyst2_ = 0, reviewer_ = 0, reviewer2_ = 0,
          outsider_ = 0, officer_ = 0;
};

}  // namespace sz::testing
