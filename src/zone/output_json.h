// JSON forms of the disclosure engine's values, for what the zone stores: an output's
// content (sealed on disk, hashed for the "changed after checking" test), a check report
// (the reviewer's copy, in the control plane) and mitigation results.
//
// The encoding is deterministic (ordered keys, the same value gives the same bytes), so
// the SHA-256 of an output's encoding identifies its content.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "disclosure/audit.h"
#include "disclosure/checks.h"
#include "disclosure/output.h"
#include "disclosure/rounding.h"

namespace sz::zone {

using Json = nlohmann::ordered_json;

Json OutputToJson(const disclosure::Output& output);
// InvalidArgument naming the first missing or mistyped field.
Result<disclosure::Output> OutputFromJson(const Json& j);

Json ReportToJson(const disclosure::CheckReport& report);
Result<disclosure::CheckReport> ReportFromJson(const Json& j);

Json CellStatusToJson(const std::vector<disclosure::CellStatus>& status);
Result<std::vector<disclosure::CellStatus>> CellStatusFromJson(const Json& j);

Json RoundedToJson(const disclosure::RoundedTable& rounded);
Result<disclosure::RoundedTable> RoundedFromJson(const Json& j);

// Parses text without exceptions: InvalidArgument if it is not JSON.
Result<Json> ParseJson(std::string_view text, std::string_view what);

}  // namespace sz::zone
