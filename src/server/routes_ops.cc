// /api/v1/reports/..., /api/v1/zone/inspection: operations for the administrator (authz
// decides: report.read, zone.inspect).
#include "ops/inspect.h"
#include "ops/inspect_json.h"
#include "ops/report_json.h"
#include "ops/report_render.h"
#include "ops/report_service.h"
#include "server/api.h"

namespace sz::server {

namespace {

// Every route of this API, "GET /api/v1/health", so the report lists unused ones too.
std::vector<std::string> KnownRoutes() {
  std::vector<std::string> out;
  for (const Route& r : ApiRoutes()) out.push_back(std::string(MethodName(r.method)) + " " + r.path);
  return out;
}

Result<Reply> MonthlyReport(Call& call) {
  ops::ReportOptions options;
  SZ_ASSIGN_OR_RETURN(std::string month, QueryParam(call, "month"));
  if (!month.empty()) {
    SZ_ASSIGN_OR_RETURN(options.month, ops::Month::Parse(month));
  }
  SZ_ASSIGN_OR_RETURN(std::string format, QueryParam(call, "format"));
  if (!format.empty() && format != "json" && format != "html")
    return InvalidArgument("format is json or html");
  SZ_ASSIGN_OR_RETURN(std::string lang_text, QueryParam(call, "lang"));
  SZ_ASSIGN_OR_RETURN(ops::Lang lang, ops::ParseLang(lang_text.empty() ? "ko" : lang_text));
  options.known_routes = KnownRoutes();
  SZ_ASSIGN_OR_RETURN(ops::UsageReport report,
                      ops::MonthlyReport(call.zone, call.caller(), options));
  if (format != "html") return Reply::Json(ops::ToJson(report));
  Reply r;
  r.raw = ops::RenderHtml(report, lang);
  r.content_type = "text/html; charset=utf-8";
  r.filename = "report-" + report.month.ToString() + ".html";
  return r;
}

Result<Reply> Inspection(Call& call) {
  ops::InspectOptions options;
  options.tls_cert_file = call.settings ? call.settings->tls_cert_file : "";
  options.tls_key_file = call.settings ? call.settings->tls_key_file : "";
  // Each weak-password try is one Argon2id verification: the request holds a zone
  // connection meanwhile, so the budget over the API is small and bounded.
  SZ_ASSIGN_OR_RETURN(int64_t budget, QueryInt(call, "password_budget", 5));
  if (budget < 0 || budget > 30) return InvalidArgument("password_budget is 0 to 30 seconds");
  options.password_time_budget = std::chrono::seconds(budget);
  SZ_ASSIGN_OR_RETURN(ops::InspectionReport report,
                      ops::InspectZone(call.zone, call.caller(), options));
  return Reply::Json(ops::ToJson(report));
}

}  // namespace

void AddOpsRoutes(std::vector<Route>& r) {
  r.push_back({Method::kGet, "/api/v1/reports/monthly", Auth::kRequired, Body::kNone,
               MonthlyReport});
  r.push_back({Method::kGet, "/api/v1/zone/inspection", Auth::kRequired, Body::kNone, Inspection});
}

}  // namespace sz::server
