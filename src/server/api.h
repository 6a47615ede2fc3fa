// The API's route table: every endpoint the server serves, as data.
//
// A Route names its method, its path template ("/api/v1/datasets/{name}"), whether it
// needs a signed-in person, what body it takes, and its handler. Handlers follow one
// shape: parse the Call into arguments, make one zone call, render the result as JSON.
// They hold no rules: authorization and auditing happen inside the zone call (identity,
// zone::Access). The server (server.h) does everything around them: TLS, request ids,
// authentication, limits, body reading, error rendering, the request log.
//
// The same table feeds the server's router, the OpenAPI consistency test and the
// route-by-role test, so that no route escapes either.
//
// Thread-safety: the table is immutable once built; a Call belongs to one request.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "authz/policy.h"
#include "common/status.h"
#include "storage/memfile.h"
#include "zone/access.h"
#include "zone/workspace_sessions.h"
#include "zone/zone.h"

namespace sz::server {

enum class Method { kGet, kPost, kPut, kDelete };
std::string_view MethodName(Method method);  // "GET"

enum class Auth {
  kNone,      // never looks at credentials (health, the OpenAPI document, sign-in)
  kOptional,  // anonymous callers allowed; authz decides (the public catalog)
  kRequired,  // 401 without a valid bearer credential
};

enum class Body {
  kNone,
  kJson,    // a JSON object of at most ServerOptions::max_json_body bytes
  kUpload,  // raw bytes streamed into a MemFile, at most ServerOptions::max_upload
};

// Limits and settings a handler may need.
struct HandlerSettings {
  uint64_t max_upload = 0;
  int import_threads = 2;
  // The TLS files the server was started with ("" for the zone's own certificate), for
  // the security self-inspection.
  std::string tls_cert_file;
  std::string tls_key_file;
  zone::WorkspaceSessions* workspaces = nullptr;  // the server's open workspace sessions
};

// One request, parsed.
struct Call {
  zone::Zone& zone;
  authz::Actor actor;  // Actor::Anonymous when not signed in
  std::string request_id;
  std::string address;                             // the client's network address
  std::map<std::string, std::string> path;         // template parameters, decoded
  std::multimap<std::string, std::string> query;   // query parameters, decoded
  nlohmann::json body = nlohmann::json::object();  // Body::kJson
  const storage::MemFile* upload = nullptr;        // Body::kUpload
  const HandlerSettings* settings = nullptr;

  // Always a person (possibly anonymous), never the operator: nothing that arrives over
  // the network may act with the master key's authority.
  zone::Caller caller() const { return zone::Caller::Person(actor, request_id); }
};

struct Reply {
  int status = 200;
  nlohmann::json json;                  // rendered unless `raw` is set
  std::string raw;                      // a non-JSON body (archives)
  std::string content_type;             // for `raw`
  std::optional<std::string> filename;  // Content-Disposition for downloads

  static Reply Json(nlohmann::json j, int status = 200) {
    Reply r;
    r.status = status;
    r.json = std::move(j);
    return r;
  }
  static Reply NoContent() { return Json(nlohmann::json::object()); }
};

using Handler = std::function<Result<Reply>(Call&)>;

struct Route {
  Method method;
  std::string path;  // template: literal segments and {param} segments
  Auth auth;
  Body body;
  Handler handler;
};

// The whole API, in the order the OpenAPI document lists it.
const std::vector<Route>& ApiRoutes();

// Route lookup. `path` is the decoded request path.
struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  bool path_exists = false;  // some route has this path (with another method): 405
};
RouteMatch FindRoute(const std::vector<Route>& routes, Method method, std::string_view path);

// ---- Parsing helpers for handlers (InvalidArgument with a one-line message) ----
Result<std::string> StringField(const nlohmann::json& body, std::string_view key,
                                bool required = true, size_t max_bytes = 1024);
Result<bool> BoolField(const nlohmann::json& body, std::string_view key, bool fallback);
Result<int64_t> IntField(const nlohmann::json& body, std::string_view key,
                         std::optional<int64_t> fallback);
Result<std::vector<std::string>> StringListField(const nlohmann::json& body, std::string_view key);
// A path parameter that must be a positive integer id.
Result<int64_t> IdParam(const Call& call, std::string_view key);
// A path parameter that must be a valid name (zone::ValidateName): refuses "..", "/", etc.
Result<std::string> NameParam(const Call& call, std::string_view what, std::string_view key);
// A query parameter ("" when absent); at most 1 KiB of valid UTF-8.
Result<std::string> QueryParam(const Call& call, std::string_view key);
Result<int64_t> QueryInt(const Call& call, std::string_view key, int64_t fallback);
Result<bool> QueryBool(const Call& call, std::string_view key, bool fallback);

// Route groups (routes_*.cc).
void AddSystemRoutes(std::vector<Route>& routes);
void AddAuthRoutes(std::vector<Route>& routes);
void AddUserRoutes(std::vector<Route>& routes);
void AddCatalogRoutes(std::vector<Route>& routes);
void AddAuditRoutes(std::vector<Route>& routes);
void AddOpsRoutes(std::vector<Route>& routes);  // monthly report, security self-inspection
void AddProjectRoutes(std::vector<Route>& routes);    // projects and their outputs
void AddWorkspaceRoutes(std::vector<Route>& routes);  // workspace sessions
void AddExportRoutes(std::vector<Route>& routes);     // exports, reviews, releases
void AddPseudonymizationRoutes(std::vector<Route>& routes);

}  // namespace sz::server
