// The inspection report on the wire (API) and back (CLI client mode):
//   {"zone_dir", "generated_at", "failing", "counts": {"critical": n, ...},
//    "findings": [{"severity", "check", "title", "detail", "fix"}]}
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "ops/inspect.h"

namespace sz::ops {

nlohmann::json ToJson(const InspectionReport& report);
// InvalidArgument if `j` is not an inspection report.
Result<InspectionReport> InspectionFromJson(const nlohmann::json& j);

}  // namespace sz::ops
