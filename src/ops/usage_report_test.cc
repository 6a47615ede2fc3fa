// The monthly report over a zone whose catalog, projects, exports, audit trail and
// request log are filled with known rows (fake clock), checked against figures computed
// by hand: counts, percentiles, Seoul month boundaries, and the absence of identifiers.
#include "ops/usage_report.h"

#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "fmt/format.h"
#include "ops/plaintext_scan.h"
#include "ops/report_json.h"
#include "ops/report_render.h"
#include "ops/report_service.h"
#include "test_util.h"
#include "zone/request_log.h"
#include "zone/zone.h"

namespace sz::ops {
namespace {

using sz::testing::TempDir;

constexpr Month kNov{2026, 11};

// Unix seconds of a Seoul wall-clock time.
int64_t Kst(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0) {
  Date day{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  return ToUnix(SeoulMidnight(day)) + h * 3600 + min * 60 + s;
}

class UsageReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    zone::ZoneOptions o;
    o.dir = tmp_ / "zone";
    o.key.file = tmp_ / "master.key";
    o.key.env_var = "";
    o.clock = &clock_;
    auto z = zone::Zone::Init(o, {.name = "report_zone"});
    ASSERT_TRUE(z.ok()) << z.status().ToString();
    zone_ = std::move(*z);
    Fill();
  }

  storage::SqliteDb& db() { return zone_->db(); }

  void Run(std::string_view sql) { ASSERT_TRUE(db().Exec(sql).ok()) << sql; }

  void Dataset(int id, const char* name, const char* sector, const char* tier,
               const char* title_ko, const char* title_en) {
    ASSERT_TRUE(db().Run("INSERT INTO datasets(id, name, title_ko, title_en, sector, tier, "
                         "provider, description, created_at, created_by) VALUES (?1, ?2, ?3, ?4, "
                         "?5, ?6, 'kostat', 'contact 010-9876-5432', '2026-01-01T00:00:00Z', "
                         "'operator')",
                         id, name, title_ko, title_en, sector, tier)
                    .ok());
    ASSERT_TRUE(db().Run("INSERT INTO dataset_versions(id, dataset_id, version, tier, file, "
                         "file_id, sealed_bytes, plain_bytes, content_sha256, row_count, "
                         "source_name, source_format, source_encoding, created_at, created_by) "
                         "VALUES (?1, ?1, 1, ?2, ?3, 'f', 1, 1, 'h', 1, 's.csv', 'csv', 'utf-8', "
                         "'2026-01-01T00:00:00Z', 'operator')",
                         id, tier, fmt::format("data/{}.szp", id))
                    .ok());
  }

  void Project(int id, const char* state, const char* start, const char* end,
               const char* approved_at, const char* closed_at, std::vector<int> datasets) {
    ASSERT_TRUE(db().Run("INSERT INTO projects(id, name, purpose, state, start_date, end_date, "
                         "created_by, created_at, approved_at, closed_at) VALUES (?1, ?2, 'p', ?3, "
                         "?4, ?5, 'operator', '2026-01-01T00:00:00Z', ?6, ?7)",
                         id, fmt::format("p{}", id), state, start, end, approved_at, closed_at)
                    .ok());
    for (int d : datasets) {
      ASSERT_TRUE(db().Run("INSERT INTO project_datasets(project_id, dataset_id, version_id) "
                           "VALUES (?1, ?2, ?2)",
                           id, d)
                      .ok());
    }
  }

  // Export request `id` of project 1, decided at `decided_at` (UTC text), with one item
  // per (output id, decision, datasets).
  void Export(int id, const char* decided_at,
              std::vector<std::tuple<int, const char*, const char*>> items) {
    ASSERT_TRUE(db().Run("INSERT INTO export_requests(id, project_id, requester_user, requester, "
                         "state, created_at, updated_at, decided_at) VALUES (?1, 1, 11, "
                         "'user:11/kim.minjun', 'approved', ?2, ?2, ?2)",
                         id, decided_at)
                    .ok());
    int position = 0;
    for (const auto& [output, decision, datasets] : items) {
      ASSERT_TRUE(db().Run("INSERT INTO outputs(id, project_id, name, kind, revision, "
                           "content_sha256, created_by, created_at, updated_at) VALUES (?1, 1, ?2, "
                           "'frequency_table', 1, 'h', 'x', 'x', 'x')",
                           output, fmt::format("o{}", output))
                      .ok());
      ASSERT_TRUE(db().Run("INSERT INTO output_revisions(output_id, revision, content_sha256, "
                           "file, file_id, datasets, created_by, created_at) VALUES (?1, 1, 'h', "
                           "?2, 'f', ?3, 'x', 'x')",
                           output, fmt::format("outputs/{}.szo", output), datasets)
                      .ok());
      ASSERT_TRUE(db().Run("INSERT INTO export_items(request_id, output_id, position, revision, "
                           "checked_sha256, verdict, summary, report, decision) VALUES (?1, ?2, "
                           "?3, 1, 'h', 'pass', 's', '{}', ?4)",
                           id, output, position++, decision)
                      .ok());
    }
  }

  void Audit(int64_t time, const char* actor, const char* action, audit::Outcome outcome,
             std::vector<std::string> datasets, std::string query = "") {
    clock_.Set(FromUnix(time));
    auto txn = storage::Transaction::Begin(db());
    ASSERT_TRUE(txn.ok());
    audit::Entry e;
    e.actor = actor;
    e.action = action;
    e.object = "project:1";
    e.outcome = outcome;
    e.reason = "allowed";
    e.query_text = std::move(query);
    e.datasets = std::move(datasets);
    e.request_id = "req-7f3a9c";
    ASSERT_TRUE(zone_->audit().Append(db(), e).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }

  void Fill() {
    Dataset(1, "bus_trips", "transportation", "non_open", "버스 이용", "Bus trips");
    Dataset(2, "card_tx", "consumption", "pseudonymized", "=카드 <거래>", "=Card & transactions");
    Dataset(3, "rail", "transportation", "open", "철도", "Rail");

    // Used in November: 1 (open all month) and 5 (closed mid-month). Not: 2 (closed in
    // October), 3 (starts in December), 4 (draft).
    Project(1, "approved", "2026-10-01", "2026-12-31", "2026-10-01T00:00:00Z", "", {1, 2});
    Project(2, "closed", "2026-10-01", "2026-12-31", "2026-10-01T00:00:00Z",
            "2026-10-20T00:00:00Z", {1});
    Project(3, "approved", "2026-12-01", "2027-01-31", "2026-11-20T00:00:00Z", "", {3});
    Project(4, "draft", "2026-11-01", "2026-11-30", "", "", {2});
    Project(5, "closed", "2026-10-01", "2026-12-31", "2026-10-01T00:00:00Z",
            "2026-11-15T00:00:00Z", {3});

    // Decided in November (at exactly 00:00 KST on the 1st, and on the 10th); request 2
    // one second before the month.
    Export(1, "2026-11-10T01:00:00Z",
           {{1, "approved", "dataset:1@1"},
            {2, "rejected", "dataset:1@1,dataset:2@1"},
            {5, "pending", "dataset:1@1"}});
    Export(2, "2026-10-31T14:59:59Z", {{3, "approved", "dataset:2@1"}});
    Export(3, "2026-10-31T15:00:00Z", {{4, "approved", "dataset:3@1"}});

    using audit::Outcome;
    const char* kim = "user:11/kim.minjun";
    const char* lee = "user:12/lee";
    Audit(kNov.Start(), kim, "workspace.query", Outcome::kAllow, {"dataset:1@1"},
          "SELECT * FROM bus_trips WHERE rrn = '900101-1234568'");
    Audit(kNov.Start() - 1, "user:13/park", "workspace.query", Outcome::kAllow, {"dataset:1@1"});
    Audit(Kst(2026, 11, 2, 10), lee, "workspace.query", Outcome::kAllow,
          {"dataset:1@1", "dataset:2@1"});
    Audit(Kst(2026, 11, 2, 11), lee, "workspace.query", Outcome::kError, {"dataset:2@1"});
    Audit(kNov.End() - 1, kim, "workspace.open", Outcome::kAllow, {"dataset:3@1"});
    Audit(kNov.End(), "user:13/park", "workspace.query", Outcome::kAllow, {"dataset:3@1"});
    Audit(Kst(2026, 11, 5), "user:14/choi", "workspace.query", Outcome::kDeny, {});
    Audit(Kst(2026, 11, 5), "operator", "catalog.read", Outcome::kAllow, {"dataset:1@1"});

    std::vector<zone::RequestRecord> log;
    // 20 requests on Nov 3, 10 ms .. 200 ms; one 404 and one 500; signed in as user 15.
    for (int i = 1; i <= 20; ++i) {
      int status = i == 7 ? 404 : i == 13 ? 500 : 200;
      log.push_back({Kst(2026, 11, 3, 9), "GET", "/api/v1/datasets", status, i * 10000, 15});
    }
    log.push_back({Kst(2026, 11, 4), "POST", "/api/v1/auth/login", 200, 1500000, 0});
    log.push_back({Kst(2026, 11, 4), "POST", "/api/v1/auth/login", 401, 1200000, 0});
    log.push_back({Kst(2026, 11, 4), "POST", "/api/v1/auth/login", 200, 3000000, 0});
    log.push_back({kNov.Start() - 1, "GET", "/api/v1/datasets", 200, 999000000, 16});
    log.push_back({kNov.End() - 1, "GET", "/api/v1/health", 200, 5000, 0});
    log.push_back({kNov.End(), "GET", "/api/v1/health", 200, 7000, 17});
    ASSERT_TRUE(zone::AppendRequestLog(db(), log).ok());
  }

  UsageQuery Query() {
    UsageQuery q;
    q.month = kNov;
    q.thresholds.dataset_min_queries = 2;
    q.known_routes = {"GET /api/v1/datasets", "POST /api/v1/auth/login", "GET /api/v1/health",
                      "DELETE /api/v1/auth/tokens/{id}"};
    return q;
  }

  UsageReport Collect() {
    auto r = CollectUsage(db(), Query(), FromUnix(Kst(2026, 12, 1, 9)));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : UsageReport{};
  }

  TempDir tmp_;
  FakeClock clock_{FromUnix(Kst(2026, 10, 1))};
  std::unique_ptr<zone::Zone> zone_;
};

const DatasetUsage& DatasetNamed(const UsageReport& r, std::string_view name) {
  for (const auto& d : r.datasets) {
    if (d.name == name) return d;
  }
  static DatasetUsage none;
  ADD_FAILURE() << "no dataset " << name;
  return none;
}

const SectorUsage& SectorNamed(const UsageReport& r, std::string_view name) {
  for (const auto& s : r.sectors) {
    if (s.name == name) return s;
  }
  static SectorUsage none;
  ADD_FAILURE() << "no sector " << name;
  return none;
}

TEST_F(UsageReportTest, DatasetFiguresByHand) {
  UsageReport r = Collect();
  EXPECT_EQ(r.zone_name, "report_zone");
  EXPECT_EQ(r.month, kNov);
  ASSERT_EQ(r.datasets.size(), 3u);
  // Ordered by sector, then name.
  EXPECT_EQ(r.datasets[0].name, "card_tx");
  EXPECT_EQ(r.datasets[1].name, "bus_trips");
  EXPECT_EQ(r.datasets[2].name, "rail");

  const DatasetUsage& bus = DatasetNamed(r, "bus_trips");
  EXPECT_EQ(bus.projects, 1);          // project 1
  EXPECT_EQ(bus.queries, 2);           // kim at 00:00 Nov 1, lee on Nov 2
  EXPECT_EQ(bus.failed_queries, 0);
  EXPECT_EQ(bus.exports_approved, 1);  // output 1
  EXPECT_EQ(bus.exports_rejected, 1);  // output 2
  EXPECT_EQ(bus.active_users, 2);      // kim, lee (operator is not a person)

  const DatasetUsage& card = DatasetNamed(r, "card_tx");
  EXPECT_EQ(card.projects, 1);
  EXPECT_EQ(card.queries, 1);
  EXPECT_EQ(card.failed_queries, 1);
  EXPECT_EQ(card.exports_approved, 0);  // output 3 was decided in October
  EXPECT_EQ(card.exports_rejected, 1);
  EXPECT_EQ(card.active_users, 1);      // lee; the failed query does not count

  const DatasetUsage& rail = DatasetNamed(r, "rail");
  EXPECT_EQ(rail.projects, 1);          // project 5, closed on the 15th
  EXPECT_EQ(rail.queries, 0);           // park's query is at 00:00 on December 1st
  EXPECT_EQ(rail.exports_approved, 1);  // decided at 00:00 KST on November 1st
  EXPECT_EQ(rail.active_users, 1);      // kim opened the workspace at 23:59:59 on the 30th
}

TEST_F(UsageReportTest, SectorFiguresCountEachEntryOnce) {
  UsageReport r = Collect();
  ASSERT_EQ(r.sectors.size(), 6u);
  const SectorUsage& t = SectorNamed(r, "transportation");
  EXPECT_EQ(t.datasets, 2);
  EXPECT_EQ(t.projects, 2);  // 1 and 5
  EXPECT_EQ(t.queries, 2);
  EXPECT_EQ(t.exports_approved, 2);  // outputs 1 and 4
  EXPECT_EQ(t.exports_rejected, 1);  // output 2
  EXPECT_EQ(t.active_users, 2);
  const SectorUsage& c = SectorNamed(r, "consumption");
  EXPECT_EQ(c.datasets, 1);
  EXPECT_EQ(c.projects, 1);
  EXPECT_EQ(c.queries, 1);
  EXPECT_EQ(c.failed_queries, 1);
  EXPECT_EQ(c.exports_rejected, 1);
  EXPECT_EQ(SectorNamed(r, "finance").datasets, 0);
  EXPECT_EQ(SectorNamed(r, "transportation").title_ko, "교통");
}

TEST_F(UsageReportTest, TotalsAndDailyTrend) {
  UsageReport r = Collect();
  const UsageTotals& t = r.totals;
  EXPECT_EQ(t.requests, 24);  // 20 + 3 + 1; the ones just outside the month excluded
  EXPECT_EQ(t.client_errors, 2);
  EXPECT_EQ(t.server_errors, 1);
  EXPECT_EQ(t.queries, 2);
  EXPECT_EQ(t.failed_queries, 1);
  EXPECT_EQ(t.exports_approved, 2);
  EXPECT_EQ(t.exports_rejected, 1);
  EXPECT_EQ(t.active_users, 3);  // kim, lee (audit) and user 15 (request log)
  EXPECT_EQ(t.active_projects, 2);
  ASSERT_EQ(r.days.size(), 30u);
  EXPECT_EQ(r.days[0].day, "2026-11-01");
  EXPECT_EQ(r.days[0].queries, 1);
  EXPECT_EQ(r.days[0].active_users, 1);
  EXPECT_EQ(r.days[1].queries, 1);
  EXPECT_EQ(r.days[2].requests, 20);
  EXPECT_EQ(r.days[2].errors, 2);
  EXPECT_EQ(r.days[2].active_users, 1);
  EXPECT_EQ(r.days[3].requests, 3);
  EXPECT_EQ(r.days[3].errors, 1);
  EXPECT_EQ(r.days[29].day, "2026-11-30");
  EXPECT_EQ(r.days[29].requests, 1);
  EXPECT_EQ(r.days[29].active_users, 1);  // kim's workspace.open at 23:59:59
}

TEST_F(UsageReportTest, RoutePercentilesAndFlags) {
  UsageReport r = Collect();
  ASSERT_EQ(r.routes.size(), 4u);
  const RouteUsage& del = r.routes[0];
  EXPECT_EQ(del.method + " " + del.route, "DELETE /api/v1/auth/tokens/{id}");
  EXPECT_EQ(del.requests, 0);
  const RouteUsage& list = r.routes[1];
  EXPECT_EQ(list.route, "/api/v1/datasets");
  EXPECT_EQ(list.requests, 20);
  EXPECT_EQ(list.client_errors, 1);
  EXPECT_EQ(list.server_errors, 1);
  // 10, 20, ..., 200 ms: ranks ceil(10) = 10, ceil(19) = 19, ceil(19.8) = 20.
  EXPECT_DOUBLE_EQ(list.p50_ms, 100.0);
  EXPECT_DOUBLE_EQ(list.p95_ms, 190.0);
  EXPECT_DOUBLE_EQ(list.p99_ms, 200.0);
  const RouteUsage& login = r.routes[3];
  EXPECT_EQ(login.route, "/api/v1/auth/login");
  // 1200, 1500, 3000 ms: ranks ceil(1.5) = 2, ceil(2.85) = 3.
  EXPECT_DOUBLE_EQ(login.p50_ms, 1500.0);
  EXPECT_DOUBLE_EQ(login.p95_ms, 3000.0);
  EXPECT_DOUBLE_EQ(login.p99_ms, 3000.0);

  std::vector<std::string> flags;
  for (const Flag& f : r.flags) flags.push_back(std::string(FlagKindName(f.kind)) + " " + f.subject);
  EXPECT_EQ(flags, (std::vector<std::string>{
                       "low_use_route DELETE /api/v1/auth/tokens/{id}",
                       "low_use_route GET /api/v1/health",
                       "low_use_route POST /api/v1/auth/login",
                       "slow_route POST /api/v1/auth/login",
                       "low_use_dataset card_tx",
                       "low_use_dataset rail",
                   }));
}

TEST_F(UsageReportTest, NoIdentifierReachesAnyRendering) {
  UsageReport r = Collect();
  std::vector<std::string> outputs = {RenderHtml(r, Lang::kKo), RenderHtml(r, Lang::kEn),
                                      ToJson(r).dump()};
  for (const CsvFile& f : RenderCsv(r)) outputs.push_back(f.content);
  for (const std::string& out : outputs) {
    for (const char* secret : {"kim", "minjun", "lee", "park", "user:", "900101", "req-7f3a9c",
                               "SELECT", "9876"}) {
      EXPECT_EQ(out.find(secret), std::string::npos) << secret << " in " << out.substr(0, 80);
    }
    EXPECT_EQ(ScanText(out).total(), 0) << out.substr(0, 80);
  }
}

TEST_F(UsageReportTest, HtmlIsSelfContainedBilingualAndEscaped) {
  UsageReport r = Collect();
  std::string ko = RenderHtml(r, Lang::kKo);
  std::string en = RenderHtml(r, Lang::kEn);
  EXPECT_NE(ko.find("<html lang=\"ko\">"), std::string::npos);
  EXPECT_NE(en.find("<html lang=\"en\">"), std::string::npos);
  for (const std::string& page : {ko, en}) {
    EXPECT_NE(page.find("월간 이용 현황 보고서"), std::string::npos);
    EXPECT_NE(page.find("Monthly usage report"), std::string::npos);
    EXPECT_NE(page.find("<svg"), std::string::npos);
    EXPECT_NE(page.find("@media print"), std::string::npos);
    EXPECT_EQ(page.find("<script"), std::string::npos);
    EXPECT_EQ(page.find("src="), std::string::npos);
    EXPECT_EQ(page.find("href="), std::string::npos);
    EXPECT_EQ(page.find("<link"), std::string::npos);
    EXPECT_EQ(page.find("<거래>"), std::string::npos);  // escaped
  }
  EXPECT_NE(ko.find("=카드 &lt;거래&gt;"), std::string::npos);
  EXPECT_NE(en.find("=Card &amp; transactions"), std::string::npos);
  EXPECT_NE(ko.find("<th>분석 질의</th>"), std::string::npos);
  EXPECT_NE(en.find("<th>Queries</th>"), std::string::npos);
}

TEST_F(UsageReportTest, CsvFilesHoldTheSameTables) {
  UsageReport r = Collect();
  std::map<std::string, std::string> files;
  for (CsvFile& f : RenderCsv(r)) files[f.name] = f.content;
  ASSERT_EQ(files.size(), 6u);
  for (const auto& [name, content] : files) {
    EXPECT_EQ(content.substr(0, 3), "\xEF\xBB\xBF") << name;
  }
  EXPECT_NE(files["routes.csv"].find("\r\nGET,/api/v1/datasets,20,1,1,100.0,190.0,200.0\r\n"),
            std::string::npos);
  EXPECT_NE(files["datasets.csv"].find("\r\nbus_trips,버스 이용,Bus trips,transportation,"
                                       "non_open,1,2,0,1,1,2\r\n"),
            std::string::npos);
  // A title that starts like a formula is neutralized.
  EXPECT_NE(files["datasets.csv"].find("card_tx,'=카드 <거래>,'=Card & transactions,"),
            std::string::npos);
  EXPECT_NE(files["days.csv"].find("\r\n2026-11-03,20,2,0,1\r\n"), std::string::npos);
  EXPECT_NE(files["summary.csv"].find("report_zone,2026-11,2026-12-01T00:00:00Z,24,2,1,2,1,2,1,3,2"),
            std::string::npos);
  EXPECT_EQ(CsvField("a,\"b\""), "\"a,\"\"b\"\"\"");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
}

TEST_F(UsageReportTest, JsonRoundTrips) {
  UsageReport r = Collect();
  auto back = UsageReportFromJson(ToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), ToJson(r));
  EXPECT_EQ(UsageReportFromJson(nlohmann::json{{"zone", 3}}).status().code(),
            Code::kInvalidArgument);
}

TEST_F(UsageReportTest, UseCaseChecksAccessAuditsAndDefaultsToLastMonth) {
  clock_.Set(FromUnix(Kst(2026, 12, 3, 10)));
  auto r = MonthlyReport(*zone_, zone::Caller::Operator(), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->month, kNov);
  EXPECT_EQ(r->totals.queries, 2);
  auto last = audit::LastSeq(db());
  ASSERT_TRUE(last.ok());
  auto entries = audit::ReadEntries(db(), *last, 1);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].action, "report.read");
  EXPECT_EQ((*entries)[0].outcome, "allow");
  EXPECT_NE((*entries)[0].reason.find("monthly report 2026-11"), std::string::npos);

  // A signed-in analyst may not read it; the denial is audited too.
  authz::Actor analyst;
  analyst.user_id = 12;
  analyst.username = "lee";
  analyst.roles = {{authz::Role::kAnalyst, 0}};
  analyst.accreditation_expires = Date{std::chrono::year(2030), std::chrono::month(1),
                                       std::chrono::day(1)};
  analyst.today = SeoulDate(clock_.Now());
  analyst.method = authz::AuthMethod::kSession;
  auto denied = MonthlyReport(*zone_, zone::Caller::Person(analyst, "r1"), {});
  EXPECT_EQ(denied.status().code(), Code::kPermissionDenied);
  entries = audit::ReadEntries(db(), *last + 1, 1);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].outcome, "deny");

  ReportOptions bad;
  bad.thresholds.route_min_requests = -1;
  EXPECT_EQ(MonthlyReport(*zone_, zone::Caller::Operator(), bad).status().code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace sz::ops
