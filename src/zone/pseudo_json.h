// JSON forms of the pseudonymization centre's results: what the HTTP API returns and what
// the CLI renders, locally and in client mode alike (so the two cannot drift apart).
#pragma once

#include <nlohmann/json.hpp>

#include "zone/anonymize.h"
#include "zone/hierarchies.h"
#include "zone/pseudonymize.h"

namespace sz::zone {

nlohmann::json ToJson(const JobInfo& job);
// {"job": ..., "report": (pseudo::RenderJson), "seconds": {...}}
nlohmann::json ToJson(const RunResult& run);
// {"policy": (pseudo::PolicyToJson), "thresholds": ..., "text": YAML}
nlohmann::json ToJson(const SuggestedPolicy& suggested);
// {"version": N, "name": ..., "rules": N, "thresholds": ...}
nlohmann::json ToJson(const ValidatedPolicy& validated);
nlohmann::json ToJson(const HierarchyInfo& hierarchy);
nlohmann::json ToJson(const SearchOutcome& outcome);

}  // namespace sz::zone
