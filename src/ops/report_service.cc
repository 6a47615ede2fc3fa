#include "ops/report_service.h"

#include "fmt/format.h"

namespace sz::ops {

Result<UsageReport> MonthlyReport(zone::Zone& zone, const zone::Caller& caller,
                                  const ReportOptions& options) {
  const ReportThresholds& t = options.thresholds;
  if (t.route_min_requests < 0 || t.route_slow_p95_ms < 0 || t.dataset_min_queries < 0) {
    return InvalidArgument("report thresholds must be 0 or more");
  }
  Time now = zone.clock().Now();
  Month month = options.month ? *options.month : Month::Of(now).Previous();
  SZ_RETURN_IF_ERROR(zone::CheckRead(
      zone, caller, authz::Action::kReportRead, authz::Object::Zone(),
      authz::AuditDetails::Note(fmt::format("monthly report {}", month.ToString()))));
  UsageQuery query;
  query.month = month;
  query.thresholds = t;
  query.known_routes = options.known_routes;
  return CollectUsage(zone.db(), query, now);
}

}  // namespace sz::ops
