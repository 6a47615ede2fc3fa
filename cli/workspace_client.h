// The workspace from the CLI: the limits asked for on the command line, and a workspace
// session on the API server (zone/workspace_sessions.h) for client mode.
//
// A RemoteWorkspace opens a session on the server and closes it when destroyed. While a
// request runs, Ctrl-C (InterruptFlag) makes a helper thread send the cancel request on
// a connection of its own; the statement fails with CANCELLED and the session stays.
//
// Thread-safety: one thread uses a RemoteWorkspace.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/app.h"
#include "common/status.h"
#include "server/client.h"
#include "workspace/sandbox.h"

namespace sz::cli {

// --timeout, --memory, --threads, --max-rows.
workspace::SandboxLimits WorkspaceLimits(const Args& args);

class RemoteWorkspace {
 public:
  // Opens a session on `args.project` for the signed-in person.
  static Result<std::unique_ptr<RemoteWorkspace>> Open(const Args& args);
  ~RemoteWorkspace();
  RemoteWorkspace(const RemoteWorkspace&) = delete;
  RemoteWorkspace& operator=(const RemoteWorkspace&) = delete;

  const nlohmann::json& info() const { return info_; }  // id, project, limits, tables
  // One or more statements; returns the results (an array of StatementResult JSON).
  Result<nlohmann::json> Run(const std::string& sql);
  // POST /workspaces/{id}/outputs with `body`; returns the OutputInfo JSON.
  Result<nlohmann::json> Save(const nlohmann::json& body);

 private:
  RemoteWorkspace(server::ApiClient api, nlohmann::json info);
  // Posts to the session, cancelling on Ctrl-C.
  Result<nlohmann::json> Post(const std::string& suffix, const nlohmann::json& body);

  server::ApiClient api_;
  nlohmann::json info_;
  std::string path_;  // /api/v1/workspaces/<id>
};

}  // namespace sz::cli
