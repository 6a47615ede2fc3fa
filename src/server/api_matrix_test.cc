// Every API route, called as every role and anonymously, against a real server: the
// table below says who may; everyone else must get 403 (401 when anonymous). A route
// without a row in the table fails the test, so a new endpoint cannot slip in untested.
//
// "Allowed" means the call passed authorization and did what it should (2xx), or, where
// the table says so, failed for a reason that is not authorization (e.g. 412 for a TOTP
// enrolment of an account that has one).
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "api_test_env.h"
#include "server/api.h"
#include "zone/catalog_service.h"
#include "zone/hierarchies.h"
#include "zone/pseudonymize.h"

namespace sz::server {
namespace {

using nlohmann::json;
using testing::ApiTestEnv;

const std::vector<std::string> kCallers = {
    "anonymous",           "administrator", "data_provider",   "pseudonymization_officer",
    "combination_officer", "analyst",       "output_reviewer", "auditor"};
const std::set<std::string> kAllRoles = {"administrator",
                                         "data_provider",
                                         "pseudonymization_officer",
                                         "combination_officer",
                                         "analyst",
                                         "output_reviewer",
                                         "auditor"};
const std::set<std::string> kEveryone = [] {
  auto s = kAllRoles;
  s.insert("anonymous");
  return s;
}();
const std::set<std::string> kAdmin = {"administrator"};
// Metadata of a non-open dataset: staff roles except the auditor.
const std::set<std::string> kStaff = {
    "administrator",       "data_provider", "pseudonymization_officer",
    "combination_officer", "analyst",       "output_reviewer"};

struct Request {
  std::string path;  // concrete, with any query
  std::string body;
  std::string content_type = "application/json";
};

class MatrixTest : public ::testing::Test {
 protected:
  struct Probe {
    Method method;
    std::string route;
    std::set<std::string> allowed;
    std::function<Request(const std::string& caller)> make;
    bool fresh_session = false;         // the call ends or changes the session
    std::map<std::string, int> status;  // an allowed caller's expected status, if not 2xx
  };

  void SetUp() override {
    ServerOptions o = env_.ServerOptions();
    o.workspaces.max_per_person = 100;  // every probe may open a session
    o.workspaces.max_sessions = 200;
    o.workspaces.sweep_interval = std::chrono::milliseconds(0);
    // Sign-ins move the test clock on (one TOTP step each): keep the fixture session open.
    o.workspaces.idle_timeout = std::chrono::hours(24 * 365);
    env_.StartServer(o);
    for (const auto& role : kAllRoles) password_[role] = env_.Account(role).password;
    // The account administrators act on.
    json body = {{"username", "target.user"},
                 {"display_name", "Target"},
                 {"roles", {"analyst"}},
                 {"accreditation_expires", "2030-01-01"}};
    auto made = env_.Client(Session("administrator")).Post("/api/v1/users", body);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    target_ = std::to_string((*made)["id"].get<int64_t>());
    // Pseudonymization: bus_trips with confirmed roles, a hierarchy for its route, and
    // job 1 run by the operator (so that the officer may decide on it).
    zone::Zone& z = env_.zone();
    ASSERT_TRUE(zone::UpdateColumnRoles(z, zone::Caller::Operator(), "bus_trips", 1, {}, true).ok());
    ASSERT_TRUE(zone::UploadHierarchy(z, zone::Caller::Operator(), "route_h", "A;*\nB;*\n").ok());
    zone::RunRequest run;
    run.dataset = "bus_trips";
    run.version = 1;
    run.policy_text = kKeepPolicy;
    run.threads = 1;
    auto job = zone::RunPseudonymization(z, zone::Caller::Operator(), run);
    ASSERT_TRUE(job.ok()) << job.status().ToString();
    ASSERT_EQ(job->job.id, 1);
    SetUpAnalysis();
  }

  // ---- the analysis fixture: project "mx" (analyst's, approved), a session, an output,
  // a draft request and a release; helpers that make requests in a given state ----

  json ProjectSpec(const std::string& name) {
    Date today = SeoulDate(env_.clock().Now());
    return {{"name", name},
            {"purpose", "matrix"},
            {"start", FormatDate(Date{std::chrono::sys_days(today) - std::chrono::days(1)})},
            {"end", FormatDate(Date{std::chrono::sys_days(today) + std::chrono::days(30)})},
            {"datasets",
             // Version 1, as imported: version 2 is the pseudonymization job's output,
             // which needs an officer's sign-off before a project may use it.
             {{{"dataset", "bus_trips"},
               {"version", 1},
               {"columns", {"route", "fare"}},
               {"row_is_person", true}}}}};
  }
  // As `role`: POST or GET, must succeed.
  json Must(const std::string& role, Method method, const std::string& path,
            const json& body = json::object()) {
    auto c = env_.Client(Session(role));
    auto r = method == Method::kGet ? c.Get(path) : c.Post(path, body);
    EXPECT_TRUE(r.ok()) << path << ": " << r.status().ToString();
    return r.ok() ? *r : json::object();
  }
  std::string DraftProject() {
    std::string name = "mx_draft_" + std::to_string(++serial_);
    Must("analyst", Method::kPost, "/api/v1/projects", ProjectSpec(name));
    return name;
  }
  std::string OpenSession() {
    return Must("analyst", Method::kPost, "/api/v1/projects/mx/workspaces")["id"];
  }
  enum class State { kDraft, kExcepted, kSubmitted, kInReview, kApproved };
  std::string NewRequest(State state) {
    json r = Must("analyst", Method::kPost, "/api/v1/projects/mx/exports",
                  {{"outputs", {"mx_out"}}});
    std::string base = "/api/v1/exports/" + std::to_string(r["id"].get<int64_t>());
    if (state == State::kDraft) return base;
    if (state == State::kExcepted) {
      Must("analyst", Method::kPost, base + "/exception",
           {{"output", "mx_out"}, {"justification", "needed"}});
    } else {
      Must("analyst", Method::kPost, base + "/mitigate", {{"output", "mx_out"}, {"method", "round"}});
    }
    Must("analyst", Method::kPost, base + "/submit");
    if (state == State::kExcepted || state == State::kSubmitted) return base;
    Must("output_reviewer", Method::kPost, base + "/review/decide",
         {{"output", "mx_out"}, {"decision", "approve"}});
    if (state == State::kInReview) return base;
    Must("output_reviewer", Method::kPost, base + "/review/conclude");
    return base;
  }
  void SetUpAnalysis() {
    Must("analyst", Method::kPost, "/api/v1/projects", ProjectSpec("mx"));
    Must("administrator", Method::kPost, "/api/v1/projects/mx/approve");
    session_ = OpenSession();
    Must("analyst", Method::kPost, "/api/v1/workspaces/" + session_ + "/outputs",
         {{"name", "mx_out"},
          {"table", {{"from", "bus_trips"}, {"dimensions", {{{"name", "route"}, {"levels", {"route"}}}}}}}});
    draft_ = NewRequest(State::kDraft);
    std::string approved = NewRequest(State::kApproved);
    json release = Must("output_reviewer", Method::kPost, approved + "/release");
    release_ = "/api/v1/releases/" + std::to_string(release.value("id", int64_t{0}));
  }
  static constexpr const char* kKeepPolicy = "version: 1\nunlisted: keep\nthresholds: {k: 1}\n";

  std::string SignIn(const std::string& role) {
    env_.clock().Advance(std::chrono::seconds(30));
    const auto& a = env_.Account(role);
    auto r = env_.Client().Post(
        "/api/v1/auth/login",
        {{"username", a.username}, {"password", password_[role]}, {"totp", env_.Code(role)}});
    EXPECT_TRUE(r.ok()) << role << ": " << r.status().ToString();
    return r.ok() ? (*r)["token"].get<std::string>() : "";
  }
  std::string Session(const std::string& role) {
    if (!sessions_.count(role)) sessions_[role] = SignIn(role);
    return sessions_[role];
  }

  std::vector<Probe> Probes();
  void AddAnalysisProbes(std::vector<Probe>& p);

  ApiTestEnv env_;
  std::map<std::string, std::string> sessions_, password_, token_id_;
  std::string target_;
  int serial_ = 0;
  std::string session_, draft_, release_;
};

// A policy-conforming password that contains no username.
std::string NewPassword(const std::string& caller) {
  return "granite-heron-lantern-" + std::to_string(caller.size() * 7919 % 1000);
}

std::string Csv() { return "trip_id,route,fare\n7,C,1500\n8,C,1500\n"; }

std::vector<MatrixTest::Probe> MatrixTest::Probes() {
  auto fixed = [](std::string path, json body = nullptr) {
    return [path, body](const std::string&) {
      return Request{path, body.is_null() ? "" : body.dump()};
    };
  };
  auto user = [this](std::string suffix, json body = nullptr) {
    return [this, suffix, body](const std::string&) {
      return Request{"/api/v1/users/" + target_ + suffix, body.is_null() ? "" : body.dump()};
    };
  };
  auto upload = [this](std::string path, std::map<std::string, std::string> query) {
    return [this, path, query](const std::string&) mutable {
      query["filename"] = "m.csv";
      if (path == "/api/v1/datasets") query["name"] = "mx_upload_" + std::to_string(++serial_);
      return Request{WithQuery(path, query), Csv(), "application/octet-stream"};
    };
  };
  std::map<std::string, int> all_412;
  for (const auto& r : kAllRoles) all_412[r] = 412;
  std::vector<Probe> p;
  auto add = [&p](Method method, std::string route, std::set<std::string> allowed,
                  std::function<Request(const std::string&)> make, bool fresh = false,
                  std::map<std::string, int> status = {}) {
    p.push_back(Probe{method, std::move(route), std::move(allowed), std::move(make), fresh,
                      std::move(status)});
  };
  // ---- system ----
  add(Method::kGet, "/api/v1/health", kEveryone, fixed("/api/v1/health"));
  add(Method::kGet, "/api/v1/openapi.json", kEveryone, fixed("/api/v1/openapi.json"));
  // ---- auth ----
  add(Method::kPost, "/api/v1/auth/login", kEveryone,
      [this](const std::string& caller) {
        if (caller == "anonymous")
          return Request{"/api/v1/auth/login", "{}"};  // no credentials: 400
        env_.clock().Advance(std::chrono::seconds(30));
        json b = {{"username", env_.Account(caller).username},
                  {"password", password_[caller]},
                  {"totp", env_.Code(caller)}};
        return Request{"/api/v1/auth/login", b.dump()};
      },
      false, {{"anonymous", 400}});
  add(Method::kPost, "/api/v1/auth/logout", kAllRoles, fixed("/api/v1/auth/logout"), true);
  add(Method::kPost, "/api/v1/auth/logout-everywhere", kAllRoles,
      fixed("/api/v1/auth/logout-everywhere"), true);
  add(Method::kGet, "/api/v1/auth/me", kAllRoles, fixed("/api/v1/auth/me"));
  add(Method::kGet, "/api/v1/auth/sessions", kAllRoles, fixed("/api/v1/auth/sessions"));
  add(
      Method::kPost, "/api/v1/auth/password", kAllRoles,
      [this](const std::string& caller) {
        json b = {{"current_password", password_[caller]}, {"new_password", NewPassword(caller)}};
        return Request{"/api/v1/auth/password", b.dump()};
      },
      true);
  add(Method::kPost, "/api/v1/auth/totp/enrol", kAllRoles, fixed("/api/v1/auth/totp/enrol"), false,
      all_412);
  add(Method::kPost, "/api/v1/auth/totp/confirm", kAllRoles,
      fixed("/api/v1/auth/totp/confirm", {{"code", "123456"}}), false, all_412);
  add(Method::kPost, "/api/v1/auth/tokens", kAllRoles, [this](const std::string& caller) {
    env_.clock().Advance(std::chrono::seconds(30));
    json b = {{"name", "matrix"},
              {"scopes", {"catalog:read"}},
              {"lifetime_seconds", 3600},
              {"totp", caller == "anonymous" ? "000000" : env_.Code(caller)}};
    return Request{"/api/v1/auth/tokens", b.dump()};
  });
  add(Method::kGet, "/api/v1/auth/tokens", kAllRoles, fixed("/api/v1/auth/tokens"));
  add(Method::kDelete, "/api/v1/auth/tokens/{id}", kAllRoles, [this](const std::string& caller) {
    std::string id = token_id_.count(caller) ? token_id_[caller] : "1";
    return Request{"/api/v1/auth/tokens/" + id, ""};
  });
  // ---- users ----
  add(Method::kPost, "/api/v1/users", kAdmin, [](const std::string& caller) {
    json b = {{"username", "mx." + caller.substr(0, 20)},
              {"display_name", "Matrix"},
              {"roles", {"analyst"}},
              {"accreditation_expires", "2030-01-01"}};
    return Request{"/api/v1/users", b.dump()};
  });
  add(Method::kGet, "/api/v1/users", kAdmin, fixed("/api/v1/users"));
  add(Method::kGet, "/api/v1/users/{id}", kAdmin, user(""));
  add(Method::kPost, "/api/v1/users/{id}/roles", kAdmin,
      user("/roles", {{"role", "output_reviewer"}, {"project_id", 7}}));
  add(Method::kDelete, "/api/v1/users/{id}/roles/{role}", kAdmin,
      user("/roles/output_reviewer?project_id=7"));
  add(Method::kPut, "/api/v1/users/{id}/accreditation", kAdmin,
      user("/accreditation", {{"expires", "2031-01-01"}}));
  add(Method::kPost, "/api/v1/users/{id}/disable", kAdmin, user("/disable"));
  add(Method::kPost, "/api/v1/users/{id}/enable", kAdmin, user("/enable"));
  add(Method::kPost, "/api/v1/users/{id}/unlock", kAdmin, user("/unlock"));
  add(Method::kPost, "/api/v1/users/{id}/reset-password", kAdmin, user("/reset-password"));
  add(Method::kPost, "/api/v1/users/{id}/reset-totp", kAdmin, user("/reset-totp"));
  add(Method::kPost, "/api/v1/users/{id}/logout-everywhere", kAdmin, user("/logout-everywhere"));
  // ---- catalog ----
  add(Method::kGet, "/api/v1/sectors", kEveryone, fixed("/api/v1/sectors"));
  add(Method::kPost, "/api/v1/sectors", kAdmin, [this](const std::string&) {
    json b = {{"name", "mx_sector_" + std::to_string(++serial_)},
              {"title_ko", "시험"},
              {"title_en", "Test"}};
    return Request{"/api/v1/sectors", b.dump()};
  });
  add(Method::kGet, "/api/v1/datasets", kEveryone, fixed("/api/v1/datasets?tier=non_open"));
  add(Method::kPost, "/api/v1/datasets", {"data_provider"},
      upload(
          "/api/v1/datasets",
          {{"sector", "transportation"}, {"tier", "non_open"}, {"provider", "demo_institution"}}));
  add(Method::kGet, "/api/v1/datasets/{name}", kStaff, fixed("/api/v1/datasets/bus_trips"));
  add(Method::kGet, "/api/v1/datasets/{name}/versions", kStaff,
      fixed("/api/v1/datasets/bus_trips/versions"));
  add(Method::kPost, "/api/v1/datasets/{name}/versions", {"data_provider"},
      upload("/api/v1/datasets/bus_trips/versions", {}));
  add(Method::kPut, "/api/v1/datasets/{name}/versions/{version}/roles",
      {"administrator", "data_provider"},
      fixed("/api/v1/datasets/bus_trips/versions/1/roles", {{"roles", {{"fare", "sensitive"}}}}));
  // ---- pseudonymization (officers only; detokenization for nobody) ----
  const std::set<std::string> officer = {"pseudonymization_officer"};
  add(Method::kGet, "/api/v1/pseudonymization/hierarchies", officer, fixed("/api/v1/pseudonymization/hierarchies"));
  add(Method::kPost, "/api/v1/pseudonymization/hierarchies", officer, [this](const std::string&) {
    return Request{WithQuery("/api/v1/pseudonymization/hierarchies", {{"name", "mx_h_" + std::to_string(++serial_)}}),
                   "A;*\nB;*\n", "application/octet-stream"};
  });
  add(Method::kGet, "/api/v1/datasets/{name}/pseudonymization/suggestion", officer,
      fixed("/api/v1/datasets/bus_trips/pseudonymization/suggestion?version=1"));
  add(Method::kPost, "/api/v1/datasets/{name}/pseudonymization/validation", officer,
      fixed("/api/v1/datasets/bus_trips/pseudonymization/validation", {{"version", 1}, {"policy", kKeepPolicy}}));
  add(Method::kPost, "/api/v1/datasets/{name}/anonymization/search", officer,
      fixed("/api/v1/datasets/bus_trips/anonymization/search",
            {{"version", 1}, {"k", 2}, {"quasi_identifiers", {{{"column", "route"}, {"hierarchy", "route_h"}}}}}));
  add(Method::kPost, "/api/v1/datasets/{name}/detokenization", {},
      fixed("/api/v1/datasets/bus_trips/detokenization", {{"column", "fare"}, {"tokens", {"x"}}}));
  add(Method::kPost, "/api/v1/pseudonymization/jobs", officer,
      fixed("/api/v1/pseudonymization/jobs", {{"dataset", "bus_trips"}, {"version", 1}, {"policy", kKeepPolicy}}));
  add(Method::kGet, "/api/v1/pseudonymization/jobs", officer, fixed("/api/v1/pseudonymization/jobs"));
  add(Method::kGet, "/api/v1/pseudonymization/jobs/{id}", officer, fixed("/api/v1/pseudonymization/jobs/1"));
  add(Method::kGet, "/api/v1/pseudonymization/jobs/{id}/report", officer,
      fixed("/api/v1/pseudonymization/jobs/1/report?format=md&lang=en"));
  add(Method::kPost, "/api/v1/pseudonymization/jobs/{id}/decision", officer,
      fixed("/api/v1/pseudonymization/jobs/1/decision", {{"approve", false}, {"comment", "matrix"}}));
  // ---- audit ----
  add(Method::kGet, "/api/v1/audit/entries", {"auditor"}, fixed("/api/v1/audit/entries?limit=5"));
  add(Method::kPost, "/api/v1/audit/verify", {"auditor", "administrator"},
      fixed("/api/v1/audit/verify"));
  add(Method::kGet, "/api/v1/audit/export", {"auditor"}, fixed("/api/v1/audit/export?format=csv"));
  // ---- operations ----
  add(Method::kGet, "/api/v1/reports/monthly", kAdmin,
      fixed("/api/v1/reports/monthly?month=2026-03&format=html&lang=en"));
  add(Method::kGet, "/api/v1/zone/inspection", kAdmin,
      fixed("/api/v1/zone/inspection?password_budget=0"));
  AddAnalysisProbes(p);
  return p;
}

void MatrixTest::AddAnalysisProbes(std::vector<Probe>& p) {
  const std::set<std::string> kAnalyst = {"analyst"};
  const std::set<std::string> kReviewer = {"output_reviewer"};
  const std::set<std::string> kAnalystOrAdmin = {"analyst", "administrator"};
  const std::set<std::string> kAnalystOrReviewer = {"analyst", "output_reviewer"};
  auto add = [&p](Method method, std::string route, std::set<std::string> allowed,
                  std::function<Request(const std::string&)> make) {
    p.push_back(Probe{method, std::move(route), std::move(allowed), std::move(make), false, {}});
  };
  auto fixed = [](std::string path, json body = nullptr) {
    return [path, body](const std::string&) {
      return Request{path, body.is_null() ? "" : body.dump()};
    };
  };
  auto in_session = [this](std::string suffix, json body = nullptr) {
    return [this, suffix, body](const std::string&) {
      return Request{"/api/v1/workspaces/" + session_ + suffix, body.is_null() ? "" : body.dump()};
    };
  };
  // A request in `state`, made afresh for each caller (the allowed one moves it on).
  auto fresh = [this](State state, std::string suffix, json body = nullptr) {
    return [this, state, suffix, body](const std::string&) {
      return Request{NewRequest(state) + suffix, body.is_null() ? "" : body.dump()};
    };
  };
  json table = {{"from", "bus_trips"}, {"dimensions", {{{"name", "route"}, {"levels", {"route"}}}}}};
  // ---- projects ----
  add(Method::kPost, "/api/v1/projects", kAnalystOrAdmin, [this](const std::string&) {
    return Request{"/api/v1/projects", ProjectSpec("mx_new_" + std::to_string(++serial_)).dump()};
  });
  add(Method::kGet, "/api/v1/projects", kAllRoles, fixed("/api/v1/projects"));
  add(Method::kGet, "/api/v1/projects/{name}", kAnalystOrAdmin, fixed("/api/v1/projects/mx"));
  add(Method::kPut, "/api/v1/projects/{name}", kAnalyst, [this](const std::string&) {
    std::string name = DraftProject();
    return Request{"/api/v1/projects/" + name, ProjectSpec(name).dump()};
  });
  add(Method::kPost, "/api/v1/projects/{name}/approve", kAdmin, [this](const std::string&) {
    return Request{"/api/v1/projects/" + DraftProject() + "/approve", ""};
  });
  add(Method::kPost, "/api/v1/projects/{name}/close", kAnalystOrAdmin, [this](const std::string&) {
    return Request{"/api/v1/projects/" + DraftProject() + "/close", json{{"reason", "x"}}.dump()};
  });
  add(Method::kPost, "/api/v1/projects/{name}/members", kAdmin, [this](const std::string&) {
    return Request{"/api/v1/projects/mx/members", json{{"user_id", std::stoll(target_)}}.dump()};
  });
  add(Method::kDelete, "/api/v1/projects/{name}/members/{user_id}", kAdmin,
      [this](const std::string&) { return Request{"/api/v1/projects/mx/members/" + target_, ""}; });
  add(Method::kGet, "/api/v1/projects/{name}/outputs", kAnalystOrAdmin,
      fixed("/api/v1/projects/mx/outputs"));
  add(Method::kPost, "/api/v1/projects/{name}/outputs", kAnalyst, [this](const std::string&) {
    return Request{"/api/v1/projects/mx/outputs?kind=text&filename=n.txt&name=mx_note_" +
                       std::to_string(++serial_),
                   "notes\n", "application/octet-stream"};
  });
  add(Method::kGet, "/api/v1/projects/{name}/outputs/{output}", kAnalyst,
      fixed("/api/v1/projects/mx/outputs/mx_out"));
  // ---- workspaces ----
  add(Method::kPost, "/api/v1/projects/{name}/workspaces", kAnalyst,
      fixed("/api/v1/projects/mx/workspaces", json::object()));
  add(Method::kGet, "/api/v1/workspaces", kAllRoles, fixed("/api/v1/workspaces"));
  add(Method::kGet, "/api/v1/workspaces/{id}", kAnalyst, in_session(""));
  add(Method::kDelete, "/api/v1/workspaces/{id}", kAnalyst, [this](const std::string&) {
    return Request{"/api/v1/workspaces/" + OpenSession(), ""};
  });
  add(Method::kPost, "/api/v1/workspaces/{id}/run", kAnalyst,
      in_session("/run", {{"sql", "SELECT count(*) FROM bus_trips"}}));
  add(Method::kPost, "/api/v1/workspaces/{id}/cancel", kAnalyst, in_session("/cancel"));
  add(Method::kPost, "/api/v1/workspaces/{id}/tabulate", kAnalyst, in_session("/tabulate", table));
  add(Method::kPost, "/api/v1/workspaces/{id}/regress", kAnalyst,
      in_session("/regress", {{"source", {{"from", "bus_trips"}}},
                              {"outcome", "fare"},
                              {"predictors", {"fare"}}}));
  add(Method::kPost, "/api/v1/workspaces/{id}/outputs", kAnalyst,
      [this, table](const std::string&) {
        return Request{"/api/v1/workspaces/" + session_ + "/outputs",
                       json{{"name", "mx_save_" + std::to_string(++serial_)}, {"table", table}}
                           .dump()};
      });
  // ---- exports ----
  add(Method::kPost, "/api/v1/projects/{name}/exports", kAnalyst,
      fixed("/api/v1/projects/mx/exports", {{"outputs", {"mx_out"}}}));
  add(Method::kGet, "/api/v1/projects/{name}/exports", kAllRoles,
      fixed("/api/v1/projects/mx/exports"));
  add(Method::kGet, "/api/v1/exports/{id}", kAnalystOrReviewer,
      [this](const std::string&) { return Request{draft_ + "?cells=true", ""}; });
  add(Method::kPost, "/api/v1/exports/{id}/recheck", kAnalyst,
      [this](const std::string&) { return Request{draft_ + "/recheck", ""}; });
  add(Method::kPost, "/api/v1/exports/{id}/mitigate", kAnalyst, [this](const std::string&) {
    return Request{draft_ + "/mitigate", json{{"output", "mx_out"}, {"method", "round"}}.dump()};
  });
  add(Method::kPost, "/api/v1/exports/{id}/exception", kAnalyst, [this](const std::string&) {
    return Request{draft_ + "/exception",
                   json{{"output", "mx_out"}, {"justification", "why"}}.dump()};
  });
  add(Method::kPost, "/api/v1/exports/{id}/submit", kAnalyst, [this](const std::string&) {
    // A mitigated draft: the analyst's submit moves it on.
    json r = Must("analyst", Method::kPost, "/api/v1/projects/mx/exports", {{"outputs", {"mx_out"}}});
    std::string base = "/api/v1/exports/" + std::to_string(r["id"].get<int64_t>());
    Must("analyst", Method::kPost, base + "/mitigate", {{"output", "mx_out"}, {"method", "round"}});
    return Request{base + "/submit", ""};
  });
  add(Method::kPost, "/api/v1/exports/{id}/withdraw", kAnalyst, fresh(State::kDraft, "/withdraw"));
  add(Method::kPost, "/api/v1/exports/{id}/comments", kAnalystOrReviewer,
      [this](const std::string&) { return Request{draft_ + "/comments", json{{"text", "hi"}}.dump()}; });
  // ---- reviews ----
  add(Method::kPost, "/api/v1/exports/{id}/review/start", kReviewer,
      fresh(State::kSubmitted, "/review/start"));
  add(Method::kPost, "/api/v1/exports/{id}/review/decide", kReviewer,
      fresh(State::kSubmitted, "/review/decide", {{"output", "mx_out"}, {"decision", "approve"}}));
  add(Method::kPost, "/api/v1/exports/{id}/review/grant-exception", kReviewer,
      fresh(State::kExcepted, "/review/grant-exception", {{"output", "mx_out"}}));
  add(Method::kPost, "/api/v1/exports/{id}/review/conclude", kReviewer,
      fresh(State::kInReview, "/review/conclude", json::object()));
  add(Method::kPost, "/api/v1/exports/{id}/release", kReviewer, fresh(State::kApproved, "/release"));
  // ---- releases: the requesting analyst only ----
  add(Method::kGet, "/api/v1/releases/{id}", kAnalyst,
      [this](const std::string&) { return Request{release_, ""}; });
  add(Method::kGet, "/api/v1/releases/{id}/archive", kAnalyst,
      [this](const std::string&) { return Request{release_ + "/archive", ""}; });
  add(Method::kGet, "/api/v1/releases/{id}/file", kAnalyst,
      [this](const std::string&) { return Request{release_ + "/file?name=manifest.json", ""}; });
  add(Method::kGet, "/api/v1/release-key", kAllRoles, fixed("/api/v1/release-key"));
}

TEST_F(MatrixTest, EveryRouteAsEveryRole) {
  std::vector<Probe> probes = Probes();
  // Every served route has exactly one row.
  for (const Route& r : ApiRoutes()) {
    int rows = 0;
    for (const auto& p : probes) rows += p.method == r.method && p.route == r.path;
    EXPECT_EQ(rows, 1) << MethodName(r.method) << " " << r.path << " has " << rows
                       << " rows in the matrix";
  }
  int calls = 0;
  for (const Route& route : ApiRoutes()) {
    const Probe* probe = nullptr;
    for (const auto& p : probes)
      if (p.method == route.method && p.route == route.path) probe = &p;
    if (!probe) continue;
    for (const std::string& caller : kCallers) {
      std::string token;
      if (caller != "anonymous") token = probe->fresh_session ? SignIn(caller) : Session(caller);
      Request req = probe->make(caller);
      auto c = env_.Client(token);
      std::map<std::string, std::string> headers;
      if (!req.body.empty()) headers["Content-Type"] = req.content_type;
      auto res = c.Send(MethodName(route.method), req.path, req.body, headers);
      ASSERT_TRUE(res.ok()) << res.status().ToString();
      ++calls;
      std::string what =
          std::string(MethodName(route.method)) + " " + route.path + " as " + caller + ": ";
      bool allowed = probe->allowed.count(caller) > 0;
      if (!allowed) {
        EXPECT_EQ(res->status, caller == "anonymous" ? 401 : 403) << what << res->body;
        continue;
      }
      auto special = probe->status.find(caller);
      if (special != probe->status.end()) {
        EXPECT_EQ(res->status, special->second) << what << res->body;
      } else {
        EXPECT_TRUE(res->status == 200 || res->status == 201)
            << what << res->status << " " << res->body;
      }
      // Keep the callers' state in step with what the allowed call did.
      if (route.path == "/api/v1/auth/tokens" && route.method == Method::kPost &&
          res->status == 201) {
        token_id_[caller] = std::to_string(json::parse(res->body)["id"].get<int64_t>());
      }
      if (route.path == "/api/v1/auth/password" && res->status == 200) {
        password_[caller] = NewPassword(caller);
      }
      if (route.path == "/api/v1/auth/logout-everywhere" || route.path == "/api/v1/auth/password") {
        sessions_.erase(caller);  // those end the caller's other sessions
      }
    }
  }
  EXPECT_EQ(calls, static_cast<int>(ApiRoutes().size() * kCallers.size()));
}

}  // namespace
}  // namespace sz::server
