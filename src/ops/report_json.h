// The monthly report on the wire: the API returns it as JSON, and the CLI in client mode
// turns that JSON back into a UsageReport to render the same HTML and CSV files as in
// local mode. Field names are those of usage_report.h.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "ops/usage_report.h"

namespace sz::ops {

nlohmann::json ToJson(const UsageReport& report);
// InvalidArgument if `j` is not a report of this shape.
Result<UsageReport> UsageReportFromJson(const nlohmann::json& j);

}  // namespace sz::ops
