// JSON views of projects, outputs, export requests and releases, for the CLI's --json
// output and the HTTP API. They show what the viewer's use case returned (an analyst's
// export request has no votes and no reviewer-only comments) and never cell evidence
// beyond what the check report says.
#pragma once

#include <nlohmann/json.hpp>

#include "workspace/regression.h"
#include "workspace/sandbox.h"
#include "workspace/tabulate.h"
#include "zone/exports.h"
#include "zone/outputs.h"
#include "zone/projects.h"
#include "zone/releases.h"
#include "zone/workspace_sessions.h"

namespace sz::zone {

nlohmann::json ToJson(const Project& project, Date today);
nlohmann::json ToJson(const OutputInfo& output);
// `cells`: include every cell's verdict and reasons (the full check report).
nlohmann::json ToJson(const ExportRequest& request, bool cells);
nlohmann::json ToJson(const ReleaseInfo& release);
nlohmann::json ToJson(const workspace::StatementResult& result);

// An output's current revision as its project's members see it inside the zone: kind,
// the disclosure::Output with every cell's evidence (output_json.h), definition, datasets
// read, and the files it would release (base64).
nlohmann::json ToJson(const OutputContent& content);
// A table shown in the workspace (with its evidence) and a regression fit.
nlohmann::json ToJson(const workspace::Tabulation& tabulation);
nlohmann::json ToJson(const workspace::RegressionFit& fit);
// An open workspace session: id, project, limits, approved tables and their columns.
nlohmann::json ToJson(const WorkspaceSessionInfo& session);
// A downloaded release: its record and every file's name, size and SHA-256, plus the
// contents (base64) when `contents`.
nlohmann::json ToJson(const ReleasePackage& package, bool contents);

}  // namespace sz::zone
