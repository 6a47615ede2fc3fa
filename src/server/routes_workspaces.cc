// /api/v1/projects/{name}/workspaces and /api/v1/workspaces/...: a person's workspace
// sessions (zone/workspace_sessions.h), kept by the server between requests: open, run
// SQL, cancel the running statement, tabulate, regress, save outputs, close.
#include "fmt/format.h"
#include "server/api.h"
#include "workspace/spec_json.h"
#include "zone/analysis_json.h"
#include "zone/workspace_sessions.h"

namespace sz::server {

namespace {

using nlohmann::json;

Result<zone::WorkspaceSessions*> Sessions(const Call& call) {
  if (call.settings == nullptr || call.settings->workspaces == nullptr)
    return Unavailable("this server does not keep workspace sessions");
  return call.settings->workspaces;
}

std::string SessionId(const Call& call) {
  auto it = call.path.find("id");
  return it == call.path.end() ? "" : it->second;
}

// Runs `work` in the caller's session named by the path.
Status InSession(Call& call, const zone::WorkspaceSessions::Work& work) {
  SZ_ASSIGN_OR_RETURN(zone::WorkspaceSessions * sessions, Sessions(call));
  return sessions->Use(call.zone, call.caller(), SessionId(call), work);
}

Result<Reply> Open(Call& call) {
  SZ_ASSIGN_OR_RETURN(zone::WorkspaceSessions * sessions, Sessions(call));
  SZ_ASSIGN_OR_RETURN(std::string project, NameParam(call, "project", "name"));
  SZ_ASSIGN_OR_RETURN(int64_t timeout, IntField(call.body, "timeout_seconds", int64_t{0}));
  SZ_ASSIGN_OR_RETURN(int64_t rows, IntField(call.body, "max_rows", int64_t{0}));
  if (timeout < 0 || rows < 0)
    return InvalidArgument("timeout_seconds and max_rows must be positive (0: the server's limit)");
  zone::RequestedLimits limits;
  limits.query_timeout = std::chrono::seconds(timeout);
  limits.max_result_rows = static_cast<size_t>(rows);
  SZ_ASSIGN_OR_RETURN(zone::WorkspaceSessionInfo info,
                      sessions->Open(call.zone, call.caller(), project, limits));
  json j = zone::ToJson(info);
  j["idle_timeout_seconds"] = sessions->options().idle_timeout.count();
  return Reply::Json(j, 201);
}

Result<Reply> List(Call& call) {
  SZ_ASSIGN_OR_RETURN(zone::WorkspaceSessions * sessions, Sessions(call));
  json out = json::array();
  for (const auto& s : sessions->List(call.caller())) out.push_back(zone::ToJson(s));
  return Reply::Json({{"workspaces", out}});
}

Result<Reply> Show(Call& call) {
  SZ_ASSIGN_OR_RETURN(zone::WorkspaceSessions * sessions, Sessions(call));
  SZ_ASSIGN_OR_RETURN(zone::WorkspaceSessionInfo info,
                      sessions->Get(call.zone, call.caller(), SessionId(call)));
  return Reply::Json(zone::ToJson(info));
}

Result<Reply> Close(Call& call) {
  SZ_ASSIGN_OR_RETURN(zone::WorkspaceSessions * sessions, Sessions(call));
  SZ_RETURN_IF_ERROR(sessions->Close(call.zone, call.caller(), SessionId(call)));
  return Reply::Json({{"closed", true}});
}

Result<Reply> Cancel(Call& call) {
  SZ_ASSIGN_OR_RETURN(zone::WorkspaceSessions * sessions, Sessions(call));
  SZ_ASSIGN_OR_RETURN(bool running, sessions->Cancel(call.zone, call.caller(), SessionId(call)));
  return Reply::Json({{"cancelled", running}});
}

// One or more statements, in order; the first failure is the reply.
Result<Reply> Run(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string sql, StringField(call.body, "sql", true, 60 << 10));
  json results = json::array();
  SZ_RETURN_IF_ERROR(
      InSession(call, [&](zone::Workspace& w, const std::atomic<bool>* cancel) -> Status {
        SZ_ASSIGN_OR_RETURN(auto rs, w.RunScript(sql, cancel));
        for (const auto& r : rs) results.push_back(zone::ToJson(r));
        return OkStatus();
      }));
  return Reply::Json({{"results", results}});
}

Result<Reply> Tabulate(Call& call) {
  SZ_ASSIGN_OR_RETURN(workspace::TableSpec spec, workspace::TableSpecFromJson(call.body));
  json out;
  SZ_RETURN_IF_ERROR(
      InSession(call, [&](zone::Workspace& w, const std::atomic<bool>* cancel) -> Status {
        SZ_ASSIGN_OR_RETURN(workspace::Tabulation t, w.Tabulate(spec, cancel));
        out = zone::ToJson(t);
        return OkStatus();
      }));
  return Reply::Json(out);
}

Result<Reply> Regress(Call& call) {
  SZ_ASSIGN_OR_RETURN(workspace::RegressionSpec spec,
                      workspace::RegressionSpecFromJson(call.body.dump()));
  json out;
  SZ_RETURN_IF_ERROR(
      InSession(call, [&](zone::Workspace& w, const std::atomic<bool>* cancel) -> Status {
        SZ_ASSIGN_OR_RETURN(workspace::RegressionFit fit, w.Regress(spec, cancel));
        out = zone::ToJson(fit);
        return OkStatus();
      }));
  return Reply::Json(out);
}

// {name, kind, table: {...}} | {name, regression: {...}} | {name, query: "SELECT ..."}
Result<Reply> Save(Call& call) {
  const json& b = call.body;
  SZ_ASSIGN_OR_RETURN(std::string name, StringField(b, "name", true, 63));
  SZ_ASSIGN_OR_RETURN(std::string kind_name, StringField(b, "kind", false, 32));
  int given = b.contains("table") + b.contains("regression") + b.contains("query");
  if (given != 1) return InvalidArgument("give exactly one of 'table', 'regression' or 'query'");
  zone::OutputInfo info;
  if (b.contains("table")) {
    SZ_ASSIGN_OR_RETURN(zone::OutputKind kind,
                        zone::ParseOutputKind(kind_name.empty() ? "frequency_table" : kind_name));
    SZ_ASSIGN_OR_RETURN(workspace::TableSpec spec, workspace::TableSpecFromJson(b["table"]));
    SZ_RETURN_IF_ERROR(
        InSession(call, [&](zone::Workspace& w, const std::atomic<bool>* cancel) -> Status {
          SZ_ASSIGN_OR_RETURN(info, w.SaveTable(name, kind, spec, cancel));
          return OkStatus();
        }));
  } else if (b.contains("regression")) {
    if (!kind_name.empty() && kind_name != "regression")
      return InvalidArgument("a regression is saved as kind 'regression'");
    SZ_ASSIGN_OR_RETURN(workspace::RegressionSpec spec,
                        workspace::RegressionSpecFromJson(b["regression"].dump()));
    SZ_RETURN_IF_ERROR(
        InSession(call, [&](zone::Workspace& w, const std::atomic<bool>* cancel) -> Status {
          SZ_ASSIGN_OR_RETURN(info, w.SaveRegression(name, spec, cancel));
          return OkStatus();
        }));
  } else {
    if (!kind_name.empty() && kind_name != "file")
      return InvalidArgument("a query's result is saved as kind 'file'");
    SZ_ASSIGN_OR_RETURN(std::string sql, StringField(b, "query", true, 60 << 10));
    SZ_RETURN_IF_ERROR(
        InSession(call, [&](zone::Workspace& w, const std::atomic<bool>* cancel) -> Status {
          SZ_ASSIGN_OR_RETURN(info, w.SaveQueryResult(name, sql, cancel));
          return OkStatus();
        }));
  }
  return Reply::Json(zone::ToJson(info), 201);
}

}  // namespace

void AddWorkspaceRoutes(std::vector<Route>& r) {
  r.push_back({Method::kPost, "/api/v1/projects/{name}/workspaces", Auth::kRequired, Body::kJson,
               Open});
  r.push_back({Method::kGet, "/api/v1/workspaces", Auth::kRequired, Body::kNone, List});
  r.push_back({Method::kGet, "/api/v1/workspaces/{id}", Auth::kRequired, Body::kNone, Show});
  r.push_back({Method::kDelete, "/api/v1/workspaces/{id}", Auth::kRequired, Body::kNone, Close});
  r.push_back({Method::kPost, "/api/v1/workspaces/{id}/run", Auth::kRequired, Body::kJson, Run});
  r.push_back(
      {Method::kPost, "/api/v1/workspaces/{id}/cancel", Auth::kRequired, Body::kNone, Cancel});
  r.push_back({Method::kPost, "/api/v1/workspaces/{id}/tabulate", Auth::kRequired, Body::kJson,
               Tabulate});
  r.push_back({Method::kPost, "/api/v1/workspaces/{id}/regress", Auth::kRequired, Body::kJson,
               Regress});
  r.push_back(
      {Method::kPost, "/api/v1/workspaces/{id}/outputs", Auth::kRequired, Body::kJson, Save});
}

}  // namespace sz::server
