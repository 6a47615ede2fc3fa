// The monthly usage and performance report: who used which data, how much, and how
// well the API served them, for one Seoul calendar month (month.h).
//
// Sources, all in the control plane:
//   - the audit trail (audit_entries): queries per dataset are the allowed
//     "workspace.query" entries whose dataset list names the dataset ("dataset:12@3");
//     failed queries are the same with outcome "error"; active users are the distinct
//     people ("user:17/...") with an allowed entry in the month (per dataset: one whose
//     dataset list names it);
//   - the catalog (datasets, sectors);
//   - projects (projects, project_datasets): a project uses a dataset in the month if it
//     holds the dataset, was approved before the month ended, was not closed before it
//     began, and its access period overlaps the month;
//   - export decisions (export_requests, export_items, output_revisions): an output
//     approved or rejected in a request decided in the month counts once for each
//     dataset its revision was computed from;
//   - the API request log (api_requests, zone/request_log.h): counts, 4xx and 5xx,
//     and nearest-rank latency percentiles (percentile.h) per route template.
//
// What the report never holds: user names, labels or ids, query text, request ids,
// addresses, or any value from a dataset. People appear only as counts. Dataset and
// sector names and titles are catalog metadata, shown as they are in the catalog.
//
// Thread-safety: CollectUsage reads through the connection it is given (one thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "ops/month.h"
#include "storage/sqlite.h"

namespace sz::ops {

struct ReportThresholds {
  // A route with fewer requests in the month is listed as low use. Default: 10.
  int64_t route_min_requests = 10;
  // A route whose p95 latency exceeds this is listed as slow. Default: 1000 ms.
  double route_slow_p95_ms = 1000;
  // A dataset with fewer queries in the month is listed as low use. Default: 5.
  int64_t dataset_min_queries = 5;
};

struct UsageQuery {
  Month month;
  ReportThresholds thresholds;
  // Every route the server offers ("GET /api/v1/datasets"), so that routes nobody
  // called appear with zero requests. Routes in the log but not here are reported too.
  std::vector<std::string> known_routes;
};

struct DatasetUsage {
  int64_t id = 0;
  std::string name, title_ko, title_en, sector, tier;
  int64_t projects = 0;
  int64_t queries = 0;
  int64_t failed_queries = 0;
  int64_t exports_approved = 0;
  int64_t exports_rejected = 0;
  int64_t active_users = 0;
};

struct SectorUsage {
  std::string name, title_ko, title_en;
  int64_t datasets = 0;
  int64_t projects = 0;  // distinct projects using any of its datasets
  int64_t queries = 0;   // entries naming any of its datasets (each counted once)
  int64_t failed_queries = 0;
  int64_t exports_approved = 0;  // decided outputs computed from any of its datasets
  int64_t exports_rejected = 0;
  int64_t active_users = 0;
};

struct RouteUsage {
  std::string method;  // "GET"
  std::string route;   // template, "/api/v1/datasets/{name}"
  int64_t requests = 0;
  int64_t client_errors = 0;  // 4xx
  int64_t server_errors = 0;  // 5xx
  double p50_ms = 0, p95_ms = 0, p99_ms = 0;  // 0 without requests
};

struct DayUsage {
  std::string day;  // "2026-11-01" (Seoul)
  int64_t requests = 0;
  int64_t errors = 0;  // 4xx and 5xx
  int64_t queries = 0;
  int64_t active_users = 0;
};

enum class FlagKind { kLowUseRoute, kSlowRoute, kLowUseDataset };
std::string_view FlagKindName(FlagKind kind);  // "low_use_route", ...
Result<FlagKind> ParseFlagKind(std::string_view name);

// A route or dataset below or above a threshold.
struct Flag {
  FlagKind kind = FlagKind::kLowUseRoute;
  std::string subject;  // "GET /api/v1/datasets" or a dataset name
  double value = 0;     // requests, p95 ms or queries
  double threshold = 0;
};

struct UsageTotals {
  int64_t requests = 0;
  int64_t client_errors = 0;
  int64_t server_errors = 0;
  int64_t queries = 0;
  int64_t failed_queries = 0;
  int64_t exports_approved = 0;  // decided outputs (not per dataset)
  int64_t exports_rejected = 0;
  int64_t active_users = 0;
  int64_t active_projects = 0;
};

struct UsageReport {
  std::string zone_name;
  Month month;
  std::string generated_at;  // UTC, "2026-12-01T00:10:00Z"
  ReportThresholds thresholds;
  UsageTotals totals;
  std::vector<SectorUsage> sectors;    // every catalog sector, by name
  std::vector<DatasetUsage> datasets;  // every catalogued dataset, by sector then name
  std::vector<RouteUsage> routes;      // by method then route
  std::vector<DayUsage> days;          // one per day of the month
  std::vector<Flag> flags;             // low-use routes, slow routes, low-use datasets
};

// Builds the report for `query.month` from the tables above. `now` is stamped as
// generated_at. Reads only; the caller checks access (report_service.h).
Result<UsageReport> CollectUsage(storage::SqliteDb& db, const UsageQuery& query, Time now);

}  // namespace sz::ops
