// The monthly report as a zone use case: access is checked (report.read: the
// administrator's remit, see authz/policy.h) and the read is audited like any other,
// then the figures are collected (usage_report.h). Front ends render the result
// (report_render.h, report_json.h).
//
// Thread-safety: uses the zone's connection; same rule as Zone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ops/month.h"
#include "ops/usage_report.h"
#include "zone/access.h"
#include "zone/zone.h"

namespace sz::ops {

struct ReportOptions {
  // Default: the last complete Seoul month before the zone clock's now (a report run on
  // December 1st covers November).
  std::optional<Month> month;
  ReportThresholds thresholds;
  // The server's routes ("GET /api/v1/health"), so that unused routes are listed.
  std::vector<std::string> known_routes;
};

// PERMISSION_DENIED / UNAUTHENTICATED for callers without report.read (audited);
// INVALID_ARGUMENT for negative thresholds.
Result<UsageReport> MonthlyReport(zone::Zone& zone, const zone::Caller& caller,
                                  const ReportOptions& options);

}  // namespace sz::ops
