#include "ops/usage_report.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "fmt/format.h"
#include "ops/percentile.h"

namespace sz::ops {

namespace {

constexpr std::string_view kQueryAction = "workspace.query";

std::string_view FlagNames[] = {"low_use_route", "slow_route", "low_use_dataset"};

// "user:17/kim" -> 17; 0 for "operator", "anonymous", "system" and anything else.
int64_t UserIdOf(std::string_view actor) {
  if (!actor.starts_with("user:")) return 0;
  actor.remove_prefix(5);
  int64_t id = 0;
  auto [end, ec] = std::from_chars(actor.data(), actor.data() + actor.size(), id);
  return ec == std::errc() && end != actor.data() ? id : 0;
}

// "dataset:12@3,dataset:14@1" -> {12, 14}. Labels of other kinds are skipped.
std::set<int64_t> DatasetIdsOf(std::string_view list) {
  std::set<int64_t> ids;
  size_t i = 0;
  while (i < list.size()) {
    size_t comma = list.find(',', i);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view label = list.substr(i, comma - i);
    if (label.starts_with("dataset:")) {
      label.remove_prefix(8);
      int64_t id = 0;
      auto [end, ec] = std::from_chars(label.data(), label.data() + label.size(), id);
      if (ec == std::errc() && end != label.data()) ids.insert(id);
    }
    i = comma + 1;
  }
  return ids;
}

double Ms(int64_t us) { return static_cast<double>(us) / 1000.0; }

// Everything accumulated per dataset before it is turned into counts.
struct DatasetAcc {
  std::set<int64_t> projects, users;
  int64_t queries = 0, failed = 0, approved = 0, rejected = 0;
};

class Collector {
 public:
  Collector(storage::SqliteDb& db, const UsageQuery& query) : db_(db), q_(query) {
    report_.month = query.month;
    report_.thresholds = query.thresholds;
  }

  Result<UsageReport> Run(Time now) {
    report_.generated_at = FormatUtc(now);
    SZ_RETURN_IF_ERROR(LoadMeta());
    SZ_RETURN_IF_ERROR(LoadCatalog());
    SZ_RETURN_IF_ERROR(ScanAudit());
    SZ_RETURN_IF_ERROR(LoadProjects());
    SZ_RETURN_IF_ERROR(LoadExports());
    SZ_RETURN_IF_ERROR(ScanRequests());
    Finish();
    return std::move(report_);
  }

 private:
  Status LoadMeta() {
    SZ_ASSIGN_OR_RETURN(auto st, db_.Query("SELECT value FROM zone_meta WHERE key = 'name'"));
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) report_.zone_name = st.Text(0);
    return OkStatus();
  }

  Status LoadCatalog() {
    SZ_ASSIGN_OR_RETURN(auto sectors,
                        db_.Query("SELECT name, title_ko, title_en FROM sectors ORDER BY name"));
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, sectors.Step());
      if (!row) break;
      SectorUsage s;
      s.name = sectors.Text(0);
      s.title_ko = sectors.Text(1);
      s.title_en = sectors.Text(2);
      report_.sectors.push_back(std::move(s));
    }
    SZ_ASSIGN_OR_RETURN(auto datasets,
                        db_.Query("SELECT id, name, title_ko, title_en, sector, tier FROM datasets "
                                  "ORDER BY sector, name"));
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, datasets.Step());
      if (!row) break;
      DatasetUsage d;
      d.id = datasets.Int64(0);
      d.name = datasets.Text(1);
      d.title_ko = datasets.Text(2);
      d.title_en = datasets.Text(3);
      d.sector = datasets.Text(4);
      d.tier = datasets.Text(5);
      index_[d.id] = report_.datasets.size();
      report_.datasets.push_back(std::move(d));
    }
    acc_.resize(report_.datasets.size());
    return OkStatus();
  }

  // One pass over the month's audit entries: queries, active people, per day and per
  // dataset. Only the columns needed are read (never the query text).
  Status ScanAudit() {
    SZ_ASSIGN_OR_RETURN(auto st, db_.Query("SELECT time, actor, action, outcome, datasets FROM "
                                           "audit_entries WHERE time >= ?1 AND time < ?2",
                                           q_.month.Start(), q_.month.End()));
    day_users_.resize(q_.month.Days());
    day_queries_.resize(q_.month.Days());
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      int day = q_.month.DayIndex(st.Int64(0));
      int64_t user = UserIdOf(st.Text(1));
      std::string action = st.Text(2);
      std::string outcome = st.Text(3);
      bool allowed = outcome == "allow";
      bool query = action == kQueryAction;
      std::set<int64_t> ids = DatasetIdsOf(st.Text(4));
      if (allowed && user != 0) {
        users_.insert(user);
        day_users_[day].insert(user);
      }
      if (query && allowed) {
        ++report_.totals.queries;
        ++day_queries_[day];
      }
      if (query && outcome == "error") ++report_.totals.failed_queries;
      for (int64_t id : ids) {
        auto it = index_.find(id);
        if (it == index_.end()) continue;
        DatasetAcc& a = acc_[it->second];
        if (allowed && user != 0) a.users.insert(user);
        if (query && allowed) ++a.queries;
        if (query && outcome == "error") ++a.failed;
      }
      // Sector figures count an entry once even if it names two datasets of the sector.
      std::set<std::string> sectors;
      for (int64_t id : ids) {
        auto it = index_.find(id);
        if (it != index_.end()) sectors.insert(report_.datasets[it->second].sector);
      }
      for (const std::string& s : sectors) {
        auto& sa = sector_acc_[s];
        if (allowed && user != 0) sa.users.insert(user);
        if (query && allowed) ++sa.queries;
        if (query && outcome == "error") ++sa.failed;
      }
    }
    return OkStatus();
  }

  Status LoadProjects() {
    std::string first = FormatDate(q_.month.FirstDay());
    std::string last = FormatDate(Date{std::chrono::sys_days(q_.month.FirstDay()) +
                                       std::chrono::days(q_.month.Days() - 1)});
    std::string start = FormatUtc(FromUnix(q_.month.Start()));
    std::string end = FormatUtc(FromUnix(q_.month.End()));
    SZ_ASSIGN_OR_RETURN(
        auto st, db_.Query("SELECT p.id, pd.dataset_id FROM projects p JOIN project_datasets pd "
                           "ON pd.project_id = p.id WHERE p.state IN ('approved', 'closed') "
                           "AND p.approved_at != '' AND p.approved_at < ?4 "
                           "AND (p.closed_at = '' OR p.closed_at >= ?3) "
                           "AND p.start_date <= ?2 AND p.end_date >= ?1",
                           first, last, start, end));
    std::set<int64_t> projects;
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      int64_t project = st.Int64(0);
      projects.insert(project);
      auto it = index_.find(st.Int64(1));
      if (it == index_.end()) continue;
      acc_[it->second].projects.insert(project);
      sector_acc_[report_.datasets[it->second].sector].projects.insert(project);
    }
    report_.totals.active_projects = static_cast<int64_t>(projects.size());
    return OkStatus();
  }

  Status LoadExports() {
    SZ_ASSIGN_OR_RETURN(
        auto st,
        db_.Query("SELECT i.decision, r.datasets FROM export_items i "
                  "JOIN export_requests e ON e.id = i.request_id "
                  "JOIN output_revisions r ON r.output_id = i.output_id AND r.revision = i.revision "
                  "WHERE e.decided_at >= ?1 AND e.decided_at < ?2 "
                  "AND i.decision IN ('approved', 'rejected')",
                  FormatUtc(FromUnix(q_.month.Start())), FormatUtc(FromUnix(q_.month.End()))));
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      bool approved = st.Text(0) == "approved";
      ++(approved ? report_.totals.exports_approved : report_.totals.exports_rejected);
      std::set<std::string> sectors;
      for (int64_t id : DatasetIdsOf(st.Text(1))) {
        auto it = index_.find(id);
        if (it == index_.end()) continue;
        ++(approved ? acc_[it->second].approved : acc_[it->second].rejected);
        sectors.insert(report_.datasets[it->second].sector);
      }
      for (const std::string& s : sectors) {
        ++(approved ? sector_acc_[s].approved : sector_acc_[s].rejected);
      }
    }
    return OkStatus();
  }

  Status ScanRequests() {
    for (const std::string& known : q_.known_routes) latencies_[known];
    SZ_ASSIGN_OR_RETURN(auto st, db_.Query("SELECT time, method, route, status, latency_us, "
                                           "user_id FROM api_requests WHERE time >= ?1 AND "
                                           "time < ?2",
                                           q_.month.Start(), q_.month.End()));
    report_.days.resize(q_.month.Days());
    while (true) {
      SZ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      int day = q_.month.DayIndex(st.Int64(0));
      std::string key = st.Text(1) + " " + st.Text(2);
      int status = static_cast<int>(st.Int64(3));
      latencies_[key].push_back(st.Int64(4));
      auto& counts = errors_[key];
      if (status >= 400 && status < 500) ++counts.first;
      if (status >= 500) ++counts.second;
      ++report_.days[day].requests;
      report_.days[day].errors += status >= 400;
      int64_t user = st.Int64(5);
      if (user != 0) {
        users_.insert(user);
        day_users_[day].insert(user);
      }
    }
    return OkStatus();
  }

  void Finish() {
    for (size_t i = 0; i < report_.datasets.size(); ++i) {
      DatasetUsage& d = report_.datasets[i];
      const DatasetAcc& a = acc_[i];
      d.projects = static_cast<int64_t>(a.projects.size());
      d.queries = a.queries;
      d.failed_queries = a.failed;
      d.exports_approved = a.approved;
      d.exports_rejected = a.rejected;
      d.active_users = static_cast<int64_t>(a.users.size());
    }
    for (const DatasetUsage& d : report_.datasets) {
      auto s = std::find_if(report_.sectors.begin(), report_.sectors.end(),
                            [&](const SectorUsage& x) { return x.name == d.sector; });
      if (s != report_.sectors.end()) ++s->datasets;
    }
    for (SectorUsage& s : report_.sectors) {
      const DatasetAcc& a = sector_acc_[s.name];
      s.projects = static_cast<int64_t>(a.projects.size());
      s.queries = a.queries;
      s.failed_queries = a.failed;
      s.exports_approved = a.approved;
      s.exports_rejected = a.rejected;
      s.active_users = static_cast<int64_t>(a.users.size());
    }
    for (auto& [key, lat] : latencies_) {
      RouteUsage r;
      size_t space = key.find(' ');
      r.method = key.substr(0, space);
      r.route = space == std::string::npos ? "" : key.substr(space + 1);
      r.requests = static_cast<int64_t>(lat.size());
      r.client_errors = errors_[key].first;
      r.server_errors = errors_[key].second;
      if (!lat.empty()) {
        std::sort(lat.begin(), lat.end());
        r.p50_ms = Ms(NearestRank(lat, 50));
        r.p95_ms = Ms(NearestRank(lat, 95));
        r.p99_ms = Ms(NearestRank(lat, 99));
      }
      report_.totals.requests += r.requests;
      report_.totals.client_errors += r.client_errors;
      report_.totals.server_errors += r.server_errors;
      report_.routes.push_back(std::move(r));
    }
    for (int i = 0; i < q_.month.Days(); ++i) {
      DayUsage& d = report_.days[i];
      d.day = FormatDate(
          Date{std::chrono::sys_days(q_.month.FirstDay()) + std::chrono::days(i)});
      d.queries = day_queries_[i];
      d.active_users = static_cast<int64_t>(day_users_[i].size());
    }
    report_.totals.active_users = static_cast<int64_t>(users_.size());
    AddFlags();
  }

  void AddFlags() {
    const ReportThresholds& t = q_.thresholds;
    for (const RouteUsage& r : report_.routes) {
      std::string subject = r.method + " " + r.route;
      if (r.requests < t.route_min_requests) {
        report_.flags.push_back({FlagKind::kLowUseRoute, subject, static_cast<double>(r.requests),
                                 static_cast<double>(t.route_min_requests)});
      }
      if (r.requests > 0 && r.p95_ms > t.route_slow_p95_ms) {
        report_.flags.push_back({FlagKind::kSlowRoute, subject, r.p95_ms, t.route_slow_p95_ms});
      }
    }
    for (const DatasetUsage& d : report_.datasets) {
      if (d.queries < t.dataset_min_queries) {
        report_.flags.push_back({FlagKind::kLowUseDataset, d.name, static_cast<double>(d.queries),
                                 static_cast<double>(t.dataset_min_queries)});
      }
    }
  }

  storage::SqliteDb& db_;
  const UsageQuery& q_;
  UsageReport report_;
  std::map<int64_t, size_t> index_;  // dataset id -> position in report_.datasets
  std::vector<DatasetAcc> acc_;
  std::map<std::string, DatasetAcc> sector_acc_;
  std::set<int64_t> users_;
  std::vector<std::set<int64_t>> day_users_;
  std::vector<int64_t> day_queries_;
  std::map<std::string, std::vector<int64_t>> latencies_;  // "GET /route" -> latency (us)
  std::map<std::string, std::pair<int64_t, int64_t>> errors_;  // 4xx, 5xx
};

}  // namespace

std::string_view FlagKindName(FlagKind kind) { return FlagNames[static_cast<int>(kind)]; }

Result<FlagKind> ParseFlagKind(std::string_view name) {
  for (int i = 0; i < 3; ++i) {
    if (FlagNames[i] == name) return static_cast<FlagKind>(i);
  }
  return InvalidArgument(fmt::format("unknown flag kind '{}'", name.substr(0, 40)));
}

Result<UsageReport> CollectUsage(storage::SqliteDb& db, const UsageQuery& query, Time now) {
  return Collector(db, query).Run(now);
}

}  // namespace sz::ops
