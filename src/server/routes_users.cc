// /api/v1/users/...: account administration (administrators; authz decides).
#include "identity/identity.h"
#include "server/api.h"
#include "server/api_json.h"

namespace sz::server {

namespace {

using nlohmann::json;

// A grant as "analyst", "analyst@12" or {"role": "analyst", "project_id": 12}.
Result<authz::RoleGrant> GrantFrom(const json& v) {
  if (v.is_string()) return ParseGrant(v.get<std::string>());
  if (!v.is_object())
    return InvalidArgument("a role is \"ROLE\", \"ROLE@PROJECT\" or {\"role\", \"project_id\"}");
  SZ_ASSIGN_OR_RETURN(std::string role, StringField(v, "role", true, 64));
  authz::RoleGrant g{};
  SZ_ASSIGN_OR_RETURN(g.role, authz::ParseRole(role));
  SZ_ASSIGN_OR_RETURN(g.project_id, IntField(v, "project_id", 0));
  if (g.project_id < 0) return InvalidArgument("project_id must be positive");
  return g;
}

Result<std::optional<Date>> DateField(const json& body, std::string_view key) {
  SZ_ASSIGN_OR_RETURN(std::string text, StringField(body, key, false, 10));
  if (text.empty()) return std::optional<Date>();
  SZ_ASSIGN_OR_RETURN(Date d, ParseDate(text));
  return std::optional<Date>(d);
}

Result<Reply> CreateUser(Call& call) {
  identity::NewUser u;
  SZ_ASSIGN_OR_RETURN(u.username, StringField(call.body, "username", true, 64));
  SZ_ASSIGN_OR_RETURN(u.display_name, StringField(call.body, "display_name", true, 256));
  SZ_ASSIGN_OR_RETURN(u.institution, StringField(call.body, "institution", false, 256));
  SZ_ASSIGN_OR_RETURN(u.accreditation_expires, DateField(call.body, "accreditation_expires"));
  if (auto it = call.body.find("roles"); it != call.body.end() && !it->is_null()) {
    if (!it->is_array() || it->size() > 16) return InvalidArgument("field 'roles' must be a list");
    for (const json& v : *it) {
      SZ_ASSIGN_OR_RETURN(authz::RoleGrant g, GrantFrom(v));
      u.roles.push_back(g);
    }
  }
  SZ_ASSIGN_OR_RETURN(identity::NewAccount a,
                      call.zone.identity().CreateUser(call.actor, u, call.request_id));
  return Reply::Json({{"id", a.user_id}, {"temporary_password", a.temporary_password}}, 201);
}

Result<Reply> ListUsers(Call& call) {
  SZ_ASSIGN_OR_RETURN(auto users, call.zone.identity().ListUsers(call.actor, call.request_id));
  json out = json::array();
  for (const auto& u : users) out.push_back(ToJson(u));
  return Reply::Json({{"users", out}});
}

Result<Reply> GetUser(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  SZ_ASSIGN_OR_RETURN(identity::UserInfo u,
                      call.zone.identity().GetUser(call.actor, id, call.request_id));
  return Reply::Json(ToJson(u));
}

Result<Reply> GrantRole(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  SZ_ASSIGN_OR_RETURN(authz::RoleGrant g, GrantFrom(call.body));
  SZ_RETURN_IF_ERROR(call.zone.identity().GrantRole(call.actor, id, g, call.request_id));
  return Reply::NoContent();
}

Result<Reply> RevokeRole(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  authz::RoleGrant g{};
  SZ_ASSIGN_OR_RETURN(g.role, authz::ParseRole(call.path.at("role")));
  SZ_ASSIGN_OR_RETURN(g.project_id, QueryInt(call, "project_id", 0));
  SZ_RETURN_IF_ERROR(call.zone.identity().RevokeRole(call.actor, id, g, call.request_id));
  return Reply::NoContent();
}

Result<Reply> SetAccreditation(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  SZ_ASSIGN_OR_RETURN(std::optional<Date> expires, DateField(call.body, "expires"));
  SZ_RETURN_IF_ERROR(
      call.zone.identity().SetAccreditation(call.actor, id, expires, call.request_id));
  return Reply::NoContent();
}

Handler SetStatus(identity::AccountStatus status) {
  return [status](Call& call) -> Result<Reply> {
    SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
    SZ_RETURN_IF_ERROR(call.zone.identity().SetStatus(call.actor, id, status, call.request_id));
    return Reply::NoContent();
  };
}

Result<Reply> Unlock(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  SZ_RETURN_IF_ERROR(call.zone.identity().Unlock(call.actor, id, call.request_id));
  return Reply::NoContent();
}

Result<Reply> ResetPassword(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  SZ_ASSIGN_OR_RETURN(std::string temporary,
                      call.zone.identity().ResetPassword(call.actor, id, call.request_id));
  return Reply::Json({{"temporary_password", temporary}});
}

Result<Reply> ResetTotp(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  SZ_RETURN_IF_ERROR(call.zone.identity().ResetTotp(call.actor, id, call.request_id));
  return Reply::NoContent();
}

Result<Reply> EndSessions(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  SZ_RETURN_IF_ERROR(call.zone.identity().LogoutEverywhere(call.actor, id, call.request_id));
  return Reply::NoContent();
}

}  // namespace

void AddUserRoutes(std::vector<Route>& r) {
  using identity::AccountStatus;
  r.push_back({Method::kPost, "/api/v1/users", Auth::kRequired, Body::kJson, CreateUser});
  r.push_back({Method::kGet, "/api/v1/users", Auth::kRequired, Body::kNone, ListUsers});
  r.push_back({Method::kGet, "/api/v1/users/{id}", Auth::kRequired, Body::kNone, GetUser});
  r.push_back({Method::kPost, "/api/v1/users/{id}/roles", Auth::kRequired, Body::kJson, GrantRole});
  r.push_back({Method::kDelete, "/api/v1/users/{id}/roles/{role}", Auth::kRequired, Body::kNone,
               RevokeRole});
  r.push_back({Method::kPut, "/api/v1/users/{id}/accreditation", Auth::kRequired, Body::kJson,
               SetAccreditation});
  r.push_back({Method::kPost, "/api/v1/users/{id}/disable", Auth::kRequired, Body::kNone,
               SetStatus(AccountStatus::kDisabled)});
  r.push_back({Method::kPost, "/api/v1/users/{id}/enable", Auth::kRequired, Body::kNone,
               SetStatus(AccountStatus::kActive)});
  r.push_back({Method::kPost, "/api/v1/users/{id}/unlock", Auth::kRequired, Body::kNone, Unlock});
  r.push_back({Method::kPost, "/api/v1/users/{id}/reset-password", Auth::kRequired, Body::kNone,
               ResetPassword});
  r.push_back(
      {Method::kPost, "/api/v1/users/{id}/reset-totp", Auth::kRequired, Body::kNone, ResetTotp});
  r.push_back({Method::kPost, "/api/v1/users/{id}/logout-everywhere", Auth::kRequired, Body::kNone,
               EndSessions});
}

}  // namespace sz::server
