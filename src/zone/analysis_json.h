// JSON views of projects, outputs, export requests and releases, for the CLI's --json
// output and the HTTP API. They show what the viewer's use case returned (an analyst's
// export request has no votes and no reviewer-only comments) and never cell evidence
// beyond what the check report says.
#pragma once

#include <nlohmann/json.hpp>

#include "workspace/sandbox.h"
#include "zone/exports.h"
#include "zone/outputs.h"
#include "zone/projects.h"
#include "zone/releases.h"

namespace sz::zone {

nlohmann::json ToJson(const Project& project, Date today);
nlohmann::json ToJson(const OutputInfo& output);
// `cells`: include every cell's verdict and reasons (the full check report).
nlohmann::json ToJson(const ExportRequest& request, bool cells);
nlohmann::json ToJson(const ReleaseInfo& release);
nlohmann::json ToJson(const workspace::StatementResult& result);

}  // namespace sz::zone
