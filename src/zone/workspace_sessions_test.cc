#include "zone/workspace_sessions.h"

#include <gtest/gtest.h>

#include <thread>

#include "analysis_fixture.h"
#include "workspace/sandbox.h"

namespace sz::zone {
namespace {

class WorkspaceSessionsTest : public testing::AnalysisTest {
 protected:
  WorkspaceSessionOptions Options() {
    WorkspaceSessionOptions o;
    o.clock = &clock_;
    o.sweep_interval = std::chrono::milliseconds(0);  // the test sweeps
    o.idle_timeout = std::chrono::minutes(10);
    o.max_per_person = 2;
    o.max_sessions = 3;
    o.max_running = 1;
    return o;
  }

  // Runs `sql` in session `id` as `caller`; returns the first cell as text.
  Result<std::string> Scalar(WorkspaceSessions& s, const Caller& caller, const std::string& id,
                             const std::string& sql) {
    std::string out;
    Status st = s.Use(*zone_, caller, id, [&](Workspace& w, const std::atomic<bool>* cancel) {
      SZ_ASSIGN_OR_RETURN(auto r, w.Run(sql, cancel));
      out = r.rows.empty() || r.rows[0].empty() ? "" : duck::ValueToString(r.rows[0][0]);
      return OkStatus();
    });
    if (!st.ok()) return st;
    return out;
  }
};

TEST_F(WorkspaceSessionsTest, KeepsTheDataBetweenRequestsForItsOwnerOnly) {
  ApprovedProject();
  WorkspaceSessions sessions(Options());
  auto info = sessions.Open(*zone_, As(analyst_), "tourism_study");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->id.size(), 32u);
  EXPECT_EQ(info->project, "tourism_study");
  ASSERT_EQ(info->tables.size(), 2u);

  // A temporary table made in one request is there in the next: the same sandbox.
  ASSERT_TRUE(Scalar(sessions, As(analyst_), info->id,
                     "CREATE TEMP TABLE busan AS SELECT * FROM residents WHERE sido = '부산'")
                  .ok());
  auto n = Scalar(sessions, As(analyst_), info->id, "SELECT count(*) FROM busan");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, "25");

  // Another analyst of the zone (even one added to the project) cannot use it.
  auto foreign = Scalar(sessions, As(analyst2_), info->id, "SELECT 1");
  EXPECT_EQ(foreign.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(sessions.Cancel(*zone_, As(analyst2_), info->id).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(sessions.Close(*zone_, As(analyst2_), info->id).code(), Code::kPermissionDenied);
  auto denials = Entries("workspace.query");
  int denied = 0;
  for (const auto& e : denials) denied += e.outcome == "deny";
  EXPECT_EQ(denied, 3);
  EXPECT_TRUE(sessions.List(As(analyst2_)).empty());
  EXPECT_EQ(sessions.List(As(analyst_)).size(), 1u);

  // Unknown and malformed ids are not found.
  EXPECT_EQ(Scalar(sessions, As(analyst_), std::string(32, 'a'), "SELECT 1").status().code(),
            Code::kNotFound);
  EXPECT_EQ(Scalar(sessions, As(analyst_), "../../etc", "SELECT 1").status().code(),
            Code::kNotFound);

  ASSERT_TRUE(sessions.Close(*zone_, As(analyst_), info->id).ok());
  EXPECT_EQ(Scalar(sessions, As(analyst_), info->id, "SELECT 1").status().code(), Code::kNotFound);
  EXPECT_EQ(sessions.size(), 0u);
}

TEST_F(WorkspaceSessionsTest, StatementsAreAuditedWithTheRequestsId) {
  ApprovedProject();
  WorkspaceSessions sessions(Options());
  auto info = sessions.Open(*zone_, As(analyst_), "tourism_study");
  ASSERT_TRUE(info.ok());
  Caller c = As(analyst_);
  c.request_id = "req-second";
  ASSERT_TRUE(Scalar(sessions, c, info->id, "SELECT count(*) FROM residents").ok());
  auto queries = Entries("workspace.query");
  ASSERT_FALSE(queries.empty());
  EXPECT_EQ(queries.back().request_id, "req-second");
  EXPECT_EQ(queries.back().outcome, "allow");
}

TEST_F(WorkspaceSessionsTest, IdleSessionsClose) {
  ApprovedProject();
  WorkspaceSessions sessions(Options());
  auto info = sessions.Open(*zone_, As(analyst_), "tourism_study");
  ASSERT_TRUE(info.ok());
  clock_.Advance(std::chrono::minutes(9));
  EXPECT_EQ(sessions.Sweep(), 0u);
  ASSERT_TRUE(Scalar(sessions, As(analyst_), info->id, "SELECT 1").ok());  // used: kept
  clock_.Advance(std::chrono::minutes(9));
  EXPECT_EQ(sessions.Sweep(), 0u);
  clock_.Advance(std::chrono::minutes(2));
  EXPECT_EQ(sessions.Sweep(), 1u);
  auto gone = Scalar(sessions, As(analyst_), info->id, "SELECT 1");
  EXPECT_EQ(gone.status().code(), Code::kNotFound);
  EXPECT_NE(gone.status().message().find("10 min"), std::string::npos) << gone.status().message();
}

TEST_F(WorkspaceSessionsTest, CapsPerPersonAndInAll) {
  ApprovedProject();
  ASSERT_TRUE(AddMember(*zone_, As(admin_), "tourism_study", {analyst2_, MemberRole::kAnalyst}).ok());
  WorkspaceSessions sessions(Options());
  auto first = sessions.Open(*zone_, As(analyst_), "tourism_study");
  clock_.Advance(std::chrono::seconds(1));
  auto second = sessions.Open(*zone_, As(analyst_), "tourism_study");
  ASSERT_TRUE(first.ok() && second.ok());
  clock_.Advance(std::chrono::seconds(1));
  // A third for the same person closes their least recently used session.
  auto third = sessions.Open(*zone_, As(analyst_), "tourism_study");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(Scalar(sessions, As(analyst_), first->id, "SELECT 1").status().code(),
            Code::kNotFound);
  EXPECT_TRUE(Scalar(sessions, As(analyst_), second->id, "SELECT 1").ok());
  // The zone's cap (3): the other analyst gets one, then the zone is full.
  ASSERT_TRUE(sessions.Open(*zone_, As(analyst2_), "tourism_study").ok());
  auto full = sessions.Open(*zone_, As(analyst2_), "tourism_study");
  EXPECT_EQ(full.status().code(), Code::kResourceExhausted);
  // People outside the project, and the operator, get no session.
  EXPECT_EQ(sessions.Open(*zone_, As(outsider_), "tourism_study").status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(sessions.Open(*zone_, Caller::Operator(), "tourism_study").status().code(),
            Code::kInvalidArgument);
}

TEST_F(WorkspaceSessionsTest, CancelStopsTheRunningStatementAndTheSessionStays) {
  ApprovedProject();
  ASSERT_TRUE(AddMember(*zone_, As(admin_), "tourism_study", {analyst2_, MemberRole::kAnalyst}).ok());
  WorkspaceSessions sessions(Options());
  auto info = sessions.Open(*zone_, As(analyst_), "tourism_study");
  auto other = sessions.Open(*zone_, As(analyst2_), "tourism_study");
  ASSERT_TRUE(info.ok() && other.ok());
  EXPECT_FALSE(*sessions.Cancel(*zone_, As(analyst_), info->id));  // nothing runs yet

  // The statement runs on its own Zone connection, as a server request would.
  ZoneOptions o;
  o.dir = tmp_ / "zone";
  o.key.file = tmp_ / "master.key";
  o.key.env_var = "";
  o.clock = &clock_;
  auto worker_zone = Zone::Open(o);
  ASSERT_TRUE(worker_zone.ok()) << worker_zone.status().ToString();
  Status long_query;
  std::thread worker([&] {
    long_query = sessions.Use(**worker_zone, As(analyst_), info->id,
                              [](Workspace& w, const std::atomic<bool>* cancel) {
                                return w.Run("SELECT count(*) FROM range(200000000) a, range(1000) b "
                                             "WHERE a.range + b.range = -1",
                                             cancel)
                                    .status();
                              });
  });
  // Wait until it runs (no timing is asserted; the loop only waits).
  for (int i = 0; i < 2000 && !sessions.Get(*zone_, As(analyst_), info->id)->running; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(sessions.Get(*zone_, As(analyst_), info->id)->running);
  // Meanwhile: the same session is busy, and the zone's one running slot is taken.
  EXPECT_EQ(Scalar(sessions, As(analyst_), info->id, "SELECT 1").status().code(), Code::kAborted);
  EXPECT_EQ(Scalar(sessions, As(analyst2_), other->id, "SELECT 1").status().code(),
            Code::kResourceExhausted);
  auto cancelled = sessions.Cancel(*zone_, As(analyst_), info->id);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_TRUE(*cancelled);
  worker.join();
  EXPECT_EQ(long_query.code(), Code::kCancelled) << long_query.ToString();
  auto after = Scalar(sessions, As(analyst_), info->id, "SELECT count(*) FROM residents");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(*after, "60");
}

}  // namespace
}  // namespace sz::zone
