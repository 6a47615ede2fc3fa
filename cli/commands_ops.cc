// safezone report monthly | inspect | backup — operations on a zone.
//
// `report monthly` and `inspect` run locally as the operator (--zone) or through the
// API as an administrator; `backup` runs only locally (its destination is a path on the
// zone's machine).
#include <cstdio>
#include <filesystem>

#include "cli/app.h"
#include "cli/client_mode.h"
#include "cli/render.h"
#include "fmt/format.h"
#include "ops/backup.h"
#include "ops/inspect.h"
#include "ops/inspect_json.h"
#include "ops/report_json.h"
#include "ops/report_render.h"
#include "ops/report_service.h"
#include "server/api.h"
#include "storage/env.h"

namespace sz::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> KnownRoutes() {
  std::vector<std::string> out;
  for (const server::Route& r : server::ApiRoutes()) {
    out.push_back(std::string(server::MethodName(r.method)) + " " + r.path);
  }
  return out;
}

Result<ops::UsageReport> FetchReport(Context& ctx) {
  const Args& a = ctx.args;
  if (ctx.Local()) {
    ops::ReportOptions options;
    if (!a.month.empty()) {
      SZ_ASSIGN_OR_RETURN(options.month, ops::Month::Parse(a.month));
    }
    options.thresholds = {a.min_route_requests, a.slow_p95_ms, a.min_dataset_queries};
    options.known_routes = KnownRoutes();
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    return ops::MonthlyReport(*z, zone::Caller::Operator(), options);
  }
  if (a.min_route_requests != 10 || a.slow_p95_ms != 1000 || a.min_dataset_queries != 5) {
    return InvalidArgument("thresholds can be set only locally (--zone); the API uses the defaults");
  }
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  server::QueryParams q = {{"format", "json"}};
  if (!a.month.empty()) q["month"] = a.month;
  SZ_ASSIGN_OR_RETURN(json j, api.Get("/api/v1/reports/monthly", q));
  return ops::UsageReportFromJson(j);
}

Status WriteReportFile(const std::string& path, std::string_view content) {
  return storage::WriteFileAtomic(storage::Env::Default(), path, content, 0644);
}

Status MonthlyReport(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(ops::Lang lang, ops::ParseLang(ctx.args.lang));
  SZ_ASSIGN_OR_RETURN(ops::UsageReport report, FetchReport(ctx));
  std::string dir = ctx.args.out_dir.empty() ? "report-" + report.month.ToString() : ctx.args.out_dir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return FailedPrecondition(fmt::format("cannot create {}: {}", dir, ec.message()));
  std::string html = dir + "/report-" + report.month.ToString() + ".html";
  SZ_RETURN_IF_ERROR(WriteReportFile(html, ops::RenderHtml(report, lang)));
  std::vector<ops::CsvFile> csv = ops::RenderCsv(report);
  for (const ops::CsvFile& f : csv) SZ_RETURN_IF_ERROR(WriteReportFile(dir + "/" + f.name, f.content));
  if (ctx.json) {
    PrintJson(ops::ToJson(report));
    return OkStatus();
  }
  const ops::UsageTotals& t = report.totals;
  std::printf("monthly report %s of zone %s: %lld requests (%lld 4xx, %lld 5xx), %lld queries, "
              "%lld exports approved / %lld rejected, %lld active users, %zu flagged items\n",
              report.month.ToString().c_str(), report.zone_name.c_str(),
              static_cast<long long>(t.requests), static_cast<long long>(t.client_errors),
              static_cast<long long>(t.server_errors), static_cast<long long>(t.queries),
              static_cast<long long>(t.exports_approved),
              static_cast<long long>(t.exports_rejected), static_cast<long long>(t.active_users),
              report.flags.size());
  std::printf("wrote %s and %zu CSV files in %s\n", html.c_str(), csv.size(), dir.c_str());
  return OkStatus();
}

ops::InspectOptions InspectOptionsOf(const Args& a) {
  ops::InspectOptions o;
  o.tls_cert_file = a.tls_cert;
  o.tls_key_file = a.tls_key;
  o.password_time_budget = std::chrono::seconds(a.password_budget);
  o.must_change_days = a.must_change_days;
  o.backup_max_age_days = a.backup_max_age_days;
  return o;
}

Result<ops::InspectionReport> RunInspection(Context& ctx) {
  const Args& a = ctx.args;
  if (a.password_budget < 0 || a.must_change_days < 0 || a.backup_max_age_days < 0) {
    return InvalidArgument("--password-budget and the day limits must be 0 or more");
  }
  if (ctx.Local()) {
    auto z = ctx.OpenZone();
    if (!z.ok()) {
      // The key-file checks still run: they often say why the zone does not open.
      return ops::InspectUnopenedZone(ctx.zone_dir, ctx.ZoneOptions().key, z.status(),
                                      SystemClock::Get().Now());
    }
    return ops::InspectZone(**z, zone::Caller::Operator(), InspectOptionsOf(a));
  }
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  SZ_ASSIGN_OR_RETURN(json j, api.Get("/api/v1/zone/inspection",
                                      {{"password_budget",
                                        std::to_string(std::min(a.password_budget, 30))}}));
  return ops::InspectionFromJson(j);
}

void PrintFindings(const ops::InspectionReport& report) {
  std::printf("security self-inspection of %s (%s)\n\n", report.zone_dir.c_str(),
              report.generated_at.c_str());
  for (const ops::Finding& f : report.findings) {
    std::string severity(ops::SeverityName(f.severity));
    for (char& c : severity) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::printf("%-9s %s: %s\n", severity.c_str(), f.check.c_str(), f.title.c_str());
    if (!f.detail.empty()) std::printf("          %s\n", f.detail.c_str());
    if (!f.fix.empty()) std::printf("          fix: %s\n", f.fix.c_str());
  }
  std::printf("\n%d critical, %d high, %d medium, %d low, %d info\n",
              report.Count(ops::Severity::kCritical), report.Count(ops::Severity::kHigh),
              report.Count(ops::Severity::kMedium), report.Count(ops::Severity::kLow),
              report.Count(ops::Severity::kInfo));
}

Status Inspect(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(ops::InspectionReport report, RunInspection(ctx));
  if (ctx.json) {
    PrintJson(ops::ToJson(report));
  } else {
    PrintFindings(report);
  }
  if (!report.Failing()) return OkStatus();
  return FailedPrecondition(fmt::format("the inspection found {} critical and {} high finding(s)",
                                        report.Count(ops::Severity::kCritical),
                                        report.Count(ops::Severity::kHigh)));
}

Status Backup(Context& ctx) {
  if (!ctx.Local()) {
    return InvalidArgument(
        "backup runs on the zone's machine with its master key: pass --zone DIR and --key-file "
        "FILE");
  }
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(ops::BackupResult r,
                      ops::BackupZone(*z, zone::Caller::Operator(), {ctx.args.dest}));
  const ops::ZoneVerification& v = r.verified;
  if (ctx.json) {
    PrintJson({{"dest", r.dest},
               {"time", r.time},
               {"files", r.files},
               {"bytes", r.bytes},
               {"verified",
                {{"dataset_versions", v.dataset_versions},
                 {"uploads", v.uploads},
                 {"outputs", v.outputs},
                 {"releases", v.releases},
                 {"hierarchies", v.hierarchies},
                 {"audit_entries", v.audit_entries}}}});
    return OkStatus();
  }
  std::printf("backup of %s written to %s: %lld files, %s\n", z->dir().c_str(), r.dest.c_str(),
              static_cast<long long>(r.files), HumanBytes(r.bytes).c_str());
  std::printf("verified with the master key: %lld dataset versions, %lld uploads, %lld outputs, "
              "%lld releases, %lld hierarchies, %lld audit entries\n",
              static_cast<long long>(v.dataset_versions), static_cast<long long>(v.uploads),
              static_cast<long long>(v.outputs), static_cast<long long>(v.releases),
              static_cast<long long>(v.hierarchies), static_cast<long long>(v.audit_entries));
  std::printf("to use it: stop the server and start it with --zone %s and the same key (see "
              "docs/operations.md)\n",
              r.dest.c_str());
  return OkStatus();
}

}  // namespace

void AddOpsCommands(CLI::App& app, Context& ctx) {
  Args& a = ctx.args;
  auto* report = app.add_subcommand("report", "Usage and performance reports (administrator)");
  report->require_subcommand(1);
  auto* monthly = report->add_subcommand(
      "monthly", "Monthly usage report: HTML with charts plus CSV files of the same tables");
  monthly->add_option("--month", a.month,
                      "YYYY-MM, an Asia/Seoul month (default: the last complete month)");
  monthly->add_option("--out", a.out_dir, "Directory to write (default: report-YYYY-MM)");
  monthly->add_option("--lang", a.lang, "ko (default) or en");
  monthly->add_option("--min-route-requests", a.min_route_requests,
                      "Routes with fewer requests are listed as low use (default 10; local only)");
  monthly->add_option("--slow-p95-ms", a.slow_p95_ms,
                      "Routes with a slower p95 are listed as slow (default 1000; local only)");
  monthly->add_option("--min-dataset-queries", a.min_dataset_queries,
                      "Datasets with fewer queries are listed as low use (default 5; local only)");
  monthly->callback([&ctx] { ctx.status = MonthlyReport(ctx); });

  auto* inspect = app.add_subcommand(
      "inspect",
      "Security self-inspection: findings with severity and fix; exits 6 on critical or high");
  inspect->add_option("--tls-cert", a.tls_cert, "The certificate `serve` uses (default: the zone's)");
  inspect->add_option("--tls-key", a.tls_key, "The private key `serve` uses");
  inspect->add_option("--password-budget", a.password_budget,
                      "Seconds for trying weak passwords against the hashes (default 20)");
  inspect->add_option("--must-change-days", a.must_change_days,
                      "Temporary passwords older than this are reported (default 7)");
  inspect->add_option("--backup-max-age-days", a.backup_max_age_days,
                      "A last backup older than this is reported (default 7)");
  inspect->callback([&ctx] { ctx.status = Inspect(ctx); });

  auto* backup = app.add_subcommand(
      "backup", "Consistent, verified copy of the zone into a new directory (operator; safe while "
                "the zone serves)");
  backup->add_option("dest", a.dest, "New directory outside the zone")->required();
  backup->callback([&ctx] { ctx.status = Backup(ctx); });
}

}  // namespace sz::cli
