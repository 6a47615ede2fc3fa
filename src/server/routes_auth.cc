// /api/v1/auth/...: sign-in, sessions, one's own password, TOTP and API tokens.
#include "identity/identity.h"
#include "server/api.h"
#include "server/api_json.h"

namespace sz::server {

namespace {

using nlohmann::json;

Result<Reply> Login(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string username, StringField(call.body, "username", true, 64));
  SZ_ASSIGN_OR_RETURN(std::string password, StringField(call.body, "password", true, 4096));
  SZ_ASSIGN_OR_RETURN(std::string totp, StringField(call.body, "totp", false, 16));
  SZ_ASSIGN_OR_RETURN(
      identity::LoginResult r,
      call.zone.identity().Login({username, password, totp, call.address, call.request_id}));
  return Reply::Json(ToJson(r));
}

Result<Reply> Logout(Call& call) {
  SZ_RETURN_IF_ERROR(call.zone.identity().Logout(call.actor, call.request_id));
  return Reply::NoContent();
}

Result<Reply> LogoutEverywhere(Call& call) {
  SZ_RETURN_IF_ERROR(
      call.zone.identity().LogoutEverywhere(call.actor, call.actor.user_id, call.request_id));
  return Reply::NoContent();
}

Result<Reply> Me(Call& call) {
  SZ_ASSIGN_OR_RETURN(identity::UserInfo u, call.zone.identity().GetUser(
                                                call.actor, call.actor.user_id, call.request_id));
  return Reply::Json({{"user", ToJson(u)}, {"credential", ActorJson(call.actor)}});
}

Result<Reply> Sessions(Call& call) {
  SZ_ASSIGN_OR_RETURN(auto sessions,
                      call.zone.identity().ListSessions(call.actor, call.request_id));
  json out = json::array();
  for (const auto& s : sessions) out.push_back(ToJson(s));
  return Reply::Json({{"sessions", out}, {"current", call.actor.credential_id}});
}

Result<Reply> ChangePassword(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string current, StringField(call.body, "current_password", true, 4096));
  SZ_ASSIGN_OR_RETURN(std::string next, StringField(call.body, "new_password", true, 4096));
  SZ_RETURN_IF_ERROR(
      call.zone.identity().ChangePassword(call.actor, current, next, call.request_id));
  return Reply::NoContent();
}

Result<Reply> BeginTotp(Call& call) {
  SZ_ASSIGN_OR_RETURN(identity::TotpEnrolment e,
                      call.zone.identity().BeginTotpEnrolment(call.actor, call.request_id));
  return Reply::Json({{"secret", e.secret_base32}, {"uri", e.uri}});
}

Result<Reply> ConfirmTotp(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string code, StringField(call.body, "code", true, 16));
  SZ_RETURN_IF_ERROR(call.zone.identity().ConfirmTotpEnrolment(call.actor, code, call.request_id));
  return Reply::NoContent();
}

Result<Reply> CreateToken(Call& call) {
  identity::ApiTokenRequest request;
  SZ_ASSIGN_OR_RETURN(request.name, StringField(call.body, "name", true, 64));
  SZ_ASSIGN_OR_RETURN(std::vector<std::string> scopes, StringListField(call.body, "scopes"));
  for (const auto& s : scopes) {
    SZ_ASSIGN_OR_RETURN(authz::Scope scope, authz::ParseScope(s));
    request.scopes.push_back(scope);
  }
  SZ_ASSIGN_OR_RETURN(int64_t lifetime, IntField(call.body, "lifetime_seconds", 30 * 86400));
  request.lifetime = std::chrono::seconds(lifetime);
  SZ_ASSIGN_OR_RETURN(request.totp_code, StringField(call.body, "totp", true, 16));
  SZ_ASSIGN_OR_RETURN(identity::NewApiToken t,
                      call.zone.identity().CreateApiToken(call.actor, request, call.request_id));
  return Reply::Json({{"id", t.id}, {"token", t.token}, {"expires", FormatUtc(t.expires)}}, 201);
}

Result<Reply> ListTokens(Call& call) {
  SZ_ASSIGN_OR_RETURN(auto tokens, call.zone.identity().ListApiTokens(call.actor, call.request_id));
  json out = json::array();
  for (const auto& t : tokens) out.push_back(ToJson(t));
  return Reply::Json({{"tokens", out}});
}

Result<Reply> RevokeToken(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  SZ_RETURN_IF_ERROR(call.zone.identity().RevokeApiToken(call.actor, id, call.request_id));
  return Reply::NoContent();
}

}  // namespace

void AddAuthRoutes(std::vector<Route>& r) {
  r.push_back({Method::kPost, "/api/v1/auth/login", Auth::kNone, Body::kJson, Login});
  r.push_back({Method::kPost, "/api/v1/auth/logout", Auth::kRequired, Body::kNone, Logout});
  r.push_back({Method::kPost, "/api/v1/auth/logout-everywhere", Auth::kRequired, Body::kNone,
               LogoutEverywhere});
  r.push_back({Method::kGet, "/api/v1/auth/me", Auth::kRequired, Body::kNone, Me});
  r.push_back({Method::kGet, "/api/v1/auth/sessions", Auth::kRequired, Body::kNone, Sessions});
  r.push_back(
      {Method::kPost, "/api/v1/auth/password", Auth::kRequired, Body::kJson, ChangePassword});
  r.push_back({Method::kPost, "/api/v1/auth/totp/enrol", Auth::kRequired, Body::kNone, BeginTotp});
  r.push_back(
      {Method::kPost, "/api/v1/auth/totp/confirm", Auth::kRequired, Body::kJson, ConfirmTotp});
  r.push_back({Method::kPost, "/api/v1/auth/tokens", Auth::kRequired, Body::kJson, CreateToken});
  r.push_back({Method::kGet, "/api/v1/auth/tokens", Auth::kRequired, Body::kNone, ListTokens});
  r.push_back(
      {Method::kDelete, "/api/v1/auth/tokens/{id}", Auth::kRequired, Body::kNone, RevokeToken});
}

}  // namespace sz::server
