// The safe zone's analysis cycle through the HTTPS API, against a real server: a project
// approved, a workspace session (SQL, escapes refused, limits, cancel), outputs, an export
// request checked at once, a reviewer's approval, a signed release that only the
// requesting analyst can download (archive and file by file), and the refusals.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "api_test_env.h"
#include "audit/audit_log.h"
#include "crypto/secret.h"
#include "fmt/format.h"
#include "server/client.h"
#include "zone/catalog.h"
#include "zone/release_archive.h"
#include "zone/releases.h"

namespace sz::server {
namespace {

using nlohmann::json;
using testing::ApiTestEnv;

// residents: pid P000..P059; sido 부산 (i < 25), 서울 (i < 55), 대구; sex M (even) / F;
// age 20 + i; income 1000 + 10 i. By sex: 30 and 30; by sido: 25, 30, 5.
std::string Residents() {
  std::string csv = "pid,sido,sex,age,income\n";
  for (int i = 0; i < 60; ++i) {
    csv += fmt::format("P{:03},{},{},{},{}\n", i, i < 25 ? "부산" : i < 55 ? "서울" : "대구",
                       i % 2 == 0 ? "M" : "F", 20 + i, 1000 + 10 * i);
  }
  return csv;
}

class AnalysisApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    zone::ImportRequest r;
    r.path = env_.WriteFile("residents.csv", Residents());
    r.name = "residents";
    r.sector = "population";
    r.tier = "non_open";
    r.provider = "demo_institution";
    r.threads = 1;
    ASSERT_TRUE(zone::ImportDataset(env_.zone(), zone::Caller::Operator("setup"), r).ok());
    ASSERT_TRUE(zone::Catalog(env_.zone())
                    .SetRoles("residents", 0,
                              {{"pid", "quasi_identifier"},
                               {"sido", "quasi_identifier"},
                               {"sex", "quasi_identifier"},
                               {"age", "quasi_identifier"},
                               {"income", "sensitive"}},
                              true)
                    .ok());
    env_.AddAccount("analyst2", "second.analyst", authz::Role::kAnalyst);
    server::ServerOptions o = env_.ServerOptions();
    o.workspaces.sweep_interval = std::chrono::milliseconds(0);
    env_.StartServer(o);
    analyst_ = env_.SignIn("analyst");
    reviewer_ = env_.SignIn("output_reviewer");
    admin_ = env_.SignIn("administrator");
  }

  ApiClient As(const std::string& token) { return env_.Client(token); }

  // Proposed by the analyst, approved by the administrator, active today.
  void ApproveProject(const std::string& name = "tour") {
    Date today = SeoulDate(env_.clock().Now());
    Date start{std::chrono::sys_days(today) - std::chrono::days(1)};
    Date end{std::chrono::sys_days(today) + std::chrono::days(100)};
    json spec = {{"name", name},
                 {"title", "관광 연구"},
                 {"purpose", "regional study"},
                 {"start", FormatDate(start)},
                 {"end", FormatDate(end)},
                 {"datasets",
                  {{{"dataset", "residents"},
                    {"columns", {"pid", "sido", "sex", "age", "income"}},
                    {"person_column", "pid"}}}}};
    auto made = As(analyst_).Post("/api/v1/projects", spec);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    EXPECT_EQ((*made)["state"], "draft");
    EXPECT_EQ((*made)["members"][0]["role"], "lead");
    // The proposer cannot approve; an administrator can.
    EXPECT_EQ(As(analyst_).Post("/api/v1/projects/" + name + "/approve").status().code(),
              Code::kPermissionDenied);
    auto approved = As(admin_).Post("/api/v1/projects/" + name + "/approve");
    ASSERT_TRUE(approved.ok()) << approved.status().ToString();
    EXPECT_EQ((*approved)["effective_state"], "active");
  }

  std::string OpenWorkspace(const std::string& token, json body = json::object()) {
    auto s = As(token).Post("/api/v1/projects/tour/workspaces", body);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? (*s)["id"].get<std::string>() : "";
  }

  Result<json> Run(const std::string& token, const std::string& id, const std::string& sql) {
    return As(token).Post("/api/v1/workspaces/" + id + "/run", {{"sql", sql}});
  }

  // Audit entries of `action` with `outcome`.
  int Count(const std::string& action, const std::string& outcome) {
    int n = 0;
    EXPECT_TRUE(audit::ForEachEntry(env_.zone().db(), [&](const audit::StoredEntry& e) {
                  n += e.action == action && e.outcome == outcome;
                  return true;
                }).ok());
    return n;
  }

  ApiTestEnv env_;
  std::string analyst_, reviewer_, admin_;
};

json BySex() {
  return {{"from", "residents"}, {"dimensions", {{{"name", "sex"}, {"levels", {"sex"}}}}}};
}

TEST_F(AnalysisApiTest, FullCycleThroughTheApi) {
  ApproveProject();
  // ---- the workspace ----
  std::string ws = OpenWorkspace(analyst_);
  auto info = As(analyst_).Get("/api/v1/workspaces/" + ws);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ((*info)["tables"][0]["name"], "residents");
  auto count = Run(analyst_, ws, "SELECT count(*) AS n, count(DISTINCT sido) AS s FROM residents");
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ((*count)["results"][0]["rows"][0][0], 60);
  EXPECT_EQ((*count)["results"][0]["rows"][0][1], 3);
  // An escape is refused with the workspace's reason, and the session keeps working.
  auto escape = Run(analyst_, ws, "SELECT * FROM read_csv('/etc/passwd')");
  EXPECT_EQ(escape.status().code(), Code::kPermissionDenied) << escape.status().ToString();
  EXPECT_EQ(Run(analyst_, ws, "COPY residents TO '/tmp/leak.csv'").status().code(),
            Code::kPermissionDenied);
  auto scratch =
      Run(analyst_, ws,
          "CREATE TEMP TABLE busan AS SELECT * FROM residents WHERE sido = '부산'; "
          "SELECT count(*) FROM busan");
  ASSERT_TRUE(scratch.ok()) << scratch.status().ToString();
  EXPECT_EQ((*scratch)["results"][1]["rows"][0][0], 25);

  auto tab = As(analyst_).Post("/api/v1/workspaces/" + ws + "/tabulate",
                               {{"from", "residents"},
                                {"dimensions", {{{"name", "시도"}, {"levels", {"sido"}}}}}});
  ASSERT_TRUE(tab.ok()) << tab.status().ToString();
  std::map<std::string, int64_t> persons;
  const json& table = (*tab)["table"];
  for (const auto& c : table["cells"]) {
    std::string label = table["dimensions"][0]["categories"][c["categories"][0].get<int>()]["label"];
    persons[label] = c["persons"];
  }
  EXPECT_EQ(persons, (std::map<std::string, int64_t>{
                         {"합계", 60}, {"부산", 25}, {"서울", 30}, {"대구", 5}}));
  auto fit = As(analyst_).Post("/api/v1/workspaces/" + ws + "/regress",
                               {{"source", {{"from", "residents"}}},
                                {"outcome", "income"},
                                {"predictors", {"age"}}});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_EQ((*fit)["observations"], 60);
  EXPECT_NEAR((*fit)["coefficients"][1]["estimate"].get<double>(), 10.0, 1e-9);  // income = 800 + 10 age

  // ---- outputs ----
  auto saved = As(analyst_).Post("/api/v1/workspaces/" + ws + "/outputs",
                                 {{"name", "by_sex"}, {"kind", "frequency_table"}, {"table", BySex()}});
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ((*saved)["revision"], 1);
  auto listed = As(analyst_).Get("/api/v1/projects/tour/outputs");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ((*listed)["outputs"].size(), 1u);
  auto shown = As(analyst_).Get("/api/v1/projects/tour/outputs/by_sex");
  ASSERT_TRUE(shown.ok()) << shown.status().ToString();
  EXPECT_EQ((*shown)["output"]["body"]["table"]["cells"].size(), 3u);  // total, F, M
  ASSERT_TRUE(As(analyst_).Delete("/api/v1/workspaces/" + ws).ok());

  // ---- the export request, checked at once ----
  auto req = As(analyst_).Post("/api/v1/projects/tour/exports?cells=true",
                               {{"outputs", {"by_sex"}}, {"purpose", "paper"}});
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  int64_t id = (*req)["id"];
  EXPECT_EQ((*req)["state"], "draft");
  EXPECT_NE((*req)["items"][0]["verdict"], "fail");
  EXPECT_EQ((*req)["items"][0]["cells"].size(), 3u);
  std::string base = "/api/v1/exports/" + std::to_string(id);
  ASSERT_TRUE(As(analyst_).Post(base + "/comments", {{"text", "for the paper"}}).ok());
  auto submitted = As(analyst_).Post(base + "/submit");
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EXPECT_EQ((*submitted)["state"], "submitted");

  // ---- the review: the analyst cannot review their own request ----
  EXPECT_EQ(As(analyst_)
                .Post(base + "/review/decide", {{"output", "by_sex"}, {"decision", "approve"}})
                .status()
                .code(),
            Code::kPermissionDenied);
  auto queue = As(reviewer_).Get("/api/v1/projects/tour/exports");
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ((*queue)["exports"].size(), 1u);
  ASSERT_TRUE(As(reviewer_).Post(base + "/review/start").ok());
  ASSERT_TRUE(As(reviewer_)
                  .Post(base + "/comments", {{"text", "looks fine"}, {"visibility", "reviewers"}})
                  .ok());
  ASSERT_TRUE(
      As(reviewer_).Post(base + "/review/decide", {{"output", "by_sex"}, {"decision", "approve"}}).ok());
  auto concluded = As(reviewer_).Post(base + "/review/conclude", json::object());
  ASSERT_TRUE(concluded.ok()) << concluded.status().ToString();
  EXPECT_EQ((*concluded)["state"], "approved");
  // The analyst does not see the reviewers' comment.
  auto mine = As(analyst_).Get(base);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)["comments"].size(), 1u);

  auto released = As(reviewer_).Post(base + "/release");
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  int64_t release = (*released)["id"];
  std::string rel = "/api/v1/releases/" + std::to_string(release);

  // ---- the download: the requesting analyst only ----
  auto key = As(analyst_).Get("/api/v1/release-key");
  ASSERT_TRUE(key.ok());
  auto public_key = crypto::FromBase64((*key)["public_key_base64"].get<std::string>());
  ASSERT_TRUE(public_key.ok());
  auto tar = As(analyst_).GetRaw(rel + "/archive");
  ASSERT_TRUE(tar.ok()) << tar.status().ToString();
  auto files = zone::ReadReleaseArchive(*tar);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  std::set<std::string> names;
  for (const auto& f : *files) names.insert(f.name);
  for (const char* want : {"manifest.json", "manifest.sig", "results.json"})
    EXPECT_TRUE(names.count(want)) << want;
  EXPECT_TRUE(zone::VerifyReleaseFiles(*files, *public_key).ok());
  // File by file, against the listing.
  auto listing = As(analyst_).Get(rel);
  ASSERT_TRUE(listing.ok());
  std::vector<disclosure::ReleaseFile> one_by_one;
  for (const auto& f : (*listing)["files"]) {
    auto content = As(analyst_).GetRaw(rel + "/file", {{"name", f["name"].get<std::string>()}});
    ASSERT_TRUE(content.ok()) << content.status().ToString();
    EXPECT_EQ(crypto::Sha256Hex(*content), f["sha256"]);
    one_by_one.push_back({f["name"], *content});
  }
  EXPECT_EQ(one_by_one.size(), files->size());
  EXPECT_TRUE(zone::VerifyReleaseFiles(one_by_one, *public_key).ok());
  // A tampered file does not verify.
  one_by_one[0].content += " ";
  EXPECT_EQ(zone::VerifyReleaseFiles(one_by_one, *public_key).code(), Code::kDataLoss);

  // The reviewer, another analyst and the administrator are refused, and it is audited.
  int denied_before = Count("release.download", "deny");
  std::string other = env_.SignIn("analyst2");
  for (const std::string& token : {reviewer_, other, admin_}) {
    EXPECT_EQ(As(token).GetRaw(rel + "/archive").status().code(), Code::kPermissionDenied);
    EXPECT_EQ(As(token).Get(rel).status().code(), Code::kPermissionDenied);
    EXPECT_EQ(As(token).GetRaw(rel + "/file", {{"name", "manifest.json"}}).status().code(),
              Code::kPermissionDenied);
  }
  EXPECT_EQ(Count("release.download", "deny") - denied_before, 9);
  EXPECT_GE(Count("release.download", "allow"), 1 + static_cast<int>(files->size()) + 1);
}

TEST_F(AnalysisApiTest, NegativePaths) {
  ApproveProject();
  std::string ws = OpenWorkspace(analyst_);
  // Someone else's session: refused and audited.
  std::string other = env_.SignIn("analyst2");
  EXPECT_EQ(Run(other, ws, "SELECT 1").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(As(other).Post("/api/v1/workspaces/" + ws + "/cancel").status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(As(other).Delete("/api/v1/workspaces/" + ws).status().code(),
            Code::kPermissionDenied);
  EXPECT_GE(Count("workspace.query", "deny"), 3);
  // Not a member: no session.
  EXPECT_EQ(As(other).Post("/api/v1/projects/tour/workspaces").status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(As(reviewer_).Post("/api/v1/projects/tour/workspaces").status().code(),
            Code::kPermissionDenied);
  // Bad SQL: a clear error, the session keeps working.
  auto bad = Run(analyst_, ws, "SELEC 1");
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(Run(analyst_, ws, "SELECT 1").ok());
  // A table output without a person column definition, a bad spec key.
  auto typo = As(analyst_).Post("/api/v1/workspaces/" + ws + "/tabulate",
                                {{"from", "residents"}, {"dimension", json::array()}});
  EXPECT_EQ(typo.status().code(), Code::kInvalidArgument);
  // A failing output cannot be submitted unmitigated; the output changed after the check
  // cannot be released.
  ASSERT_TRUE(As(analyst_)
                  .Post("/api/v1/workspaces/" + ws + "/outputs",
                        {{"name", "by_sido"},
                         {"table",
                          {{"from", "residents"},
                           {"dimensions", {{{"name", "sido"}, {"levels", {"sido"}}}}}}}})
                  .ok());
  auto req = As(analyst_).Post("/api/v1/projects/tour/exports", {{"outputs", {"by_sido"}}});
  ASSERT_TRUE(req.ok());
  std::string base = "/api/v1/exports/" + std::to_string((*req)["id"].get<int64_t>());
  EXPECT_EQ((*req)["items"][0]["verdict"], "fail");  // 대구 has 5 persons
  EXPECT_EQ(As(analyst_).Post(base + "/submit").status().code(), Code::kFailedPrecondition);
  auto mitigated = As(analyst_).Post(base + "/mitigate", {{"output", "by_sido"}, {"method", "round"}});
  ASSERT_TRUE(mitigated.ok()) << mitigated.status().ToString();
  EXPECT_EQ((*mitigated)["items"][0]["mitigation"], "round");
  ASSERT_TRUE(As(analyst_).Post(base + "/submit").ok());
  ASSERT_TRUE(As(reviewer_)
                  .Post(base + "/review/decide", {{"output", "by_sido"}, {"decision", "approve"}})
                  .ok());
  ASSERT_TRUE(As(reviewer_).Post(base + "/review/conclude").ok());
  // The analyst saves a new revision after the check: the release refuses.
  ASSERT_TRUE(As(analyst_)
                  .Post("/api/v1/workspaces/" + ws + "/outputs",
                        {{"name", "by_sido"}, {"table", BySex()}})
                  .ok());
  auto refused = As(reviewer_).Post(base + "/release");
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition) << refused.status().ToString();
  // Withdrawn requests cannot be reviewed.
  EXPECT_TRUE(As(analyst_).Post(base + "/withdraw").ok());
  EXPECT_EQ(As(reviewer_).Post(base + "/review/start").status().code(), Code::kFailedPrecondition);
  // A free-form upload is always reviewed.
  auto upload = As(analyst_).Send("POST",
                                  "/api/v1/projects/tour/outputs?name=notes&kind=text&filename=notes.txt",
                                  "method notes\n", {{"Content-Type", "application/octet-stream"}});
  ASSERT_TRUE(upload.ok());
  EXPECT_EQ(upload->status, 201) << upload->body;
  auto notes = As(analyst_).Post("/api/v1/projects/tour/exports", {{"outputs", {"notes"}}});
  ASSERT_TRUE(notes.ok());
  EXPECT_EQ((*notes)["items"][0]["verdict"], "review");
}

TEST_F(AnalysisApiTest, CancelAndLimitsOverTheApi) {
  ApproveProject();
  std::string ws = OpenWorkspace(analyst_);
  const std::string slow =
      "SELECT count(*) FROM range(200000000) a, range(1000) b WHERE a.range + b.range = -1";
  Status long_run;
  std::thread runner([&] { long_run = Run(analyst_, ws, slow).status(); });
  // Wait until the server reports the statement running (the loop only waits).
  bool running = false;
  for (int i = 0; i < 2000 && !running; ++i) {
    auto s = As(analyst_).Get("/api/v1/workspaces/" + ws);
    running = s.ok() && (*s)["running"].get<bool>();
    if (!running) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(running);
  // One statement at a time per session.
  EXPECT_EQ(Run(analyst_, ws, "SELECT 1").status().code(), Code::kAborted);
  auto cancelled = As(analyst_).Post("/api/v1/workspaces/" + ws + "/cancel");
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  EXPECT_TRUE((*cancelled)["cancelled"].get<bool>());
  runner.join();
  EXPECT_EQ(long_run.code(), Code::kCancelled) << long_run.ToString();
  EXPECT_NE(long_run.message().find("still open"), std::string::npos);
  // The session stays.
  auto after = Run(analyst_, ws, "SELECT count(*) FROM residents");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ((*after)["results"][0]["rows"][0][0], 60);

  // A session asking for a 1 s limit gets it; the statement stops with the time limit.
  std::string quick = OpenWorkspace(analyst_, {{"timeout_seconds", 1}, {"max_rows", 5}});
  auto limited = As(analyst_).Get("/api/v1/workspaces/" + quick);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ((*limited)["limits"]["timeout_seconds"], 1);
  auto timed_out = Run(analyst_, quick, slow);
  EXPECT_EQ(timed_out.status().code(), Code::kDeadlineExceeded);
  EXPECT_NE(timed_out.status().message().find("time limit"), std::string::npos);
  auto rows = Run(analyst_, quick, "SELECT * FROM residents");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)["results"][0]["rows"].size(), 5u);
  EXPECT_TRUE((*rows)["results"][0]["truncated"].get<bool>());
  // Closing: the id is gone.
  ASSERT_TRUE(As(analyst_).Delete("/api/v1/workspaces/" + quick).ok());
  EXPECT_EQ(Run(analyst_, quick, "SELECT 1").status().code(), Code::kNotFound);
  auto mine = As(analyst_).Get("/api/v1/workspaces");
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)["workspaces"].size(), 1u);
}

}  // namespace
}  // namespace sz::server
