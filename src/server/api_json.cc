#include "server/api_json.h"

#include <charconv>

#include "common/clock.h"
#include "fmt/format.h"

namespace sz::server {

using nlohmann::json;

namespace {
json Utc(Time t) { return FormatUtc(t); }
json OptionalDate(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(nullptr); }
json Grants(const std::vector<authz::RoleGrant>& roles) {
  json out = json::array();
  for (const auto& g : roles) out.push_back(ToJson(g));
  return out;
}
}  // namespace

json ToJson(const authz::RoleGrant& g) {
  json j = {{"role", authz::RoleName(g.role)}};
  j["project_id"] = g.project_id ? json(g.project_id) : json(nullptr);
  return j;
}

json ToJson(const identity::UserInfo& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"institution", u.institution},
          {"status", identity::AccountStatusName(u.status)},
          {"roles", Grants(u.roles)},
          {"accreditation_expires", OptionalDate(u.accreditation_expires)},
          {"totp_enrolled", u.totp_enrolled},
          {"must_change_password", u.must_change_password},
          {"failed_logins", u.failed_logins},
          {"locked_until", u.locked_until ? Utc(*u.locked_until) : json(nullptr)}};
}

json ToJson(const identity::SessionInfo& s) {
  return {{"id", s.id}, {"created", Utc(s.created)}, {"last_seen", Utc(s.last_seen)}};
}

json ToJson(const identity::ApiTokenInfo& t) {
  json scopes = json::array();
  for (auto s : t.scopes) scopes.push_back(authz::ScopeName(s));
  return {{"id", t.id},
          {"name", t.name},
          {"scopes", scopes},
          {"created", Utc(t.created)},
          {"expires", Utc(t.expires)},
          {"last_used", t.last_used ? Utc(*t.last_used) : json(nullptr)},
          {"revoked", t.revoked}};
}

json ToJson(const identity::LoginResult& r) {
  return {{"token", r.token},
          {"user_id", r.user_id},
          {"session_id", r.session_id},
          {"must_enrol_totp", r.must_enrol_totp},
          {"must_change_password", r.must_change_password},
          {"idle_expires", Utc(r.idle_expires)},
          {"absolute_expires", Utc(r.absolute_expires)}};
}

json ToJson(const audit::StoredEntry& e) {
  return {{"seq", e.seq},
          {"time", FormatUtc(FromUnix(e.time))},
          {"actor", e.actor},
          {"action", e.action},
          {"object", e.object},
          {"outcome", e.outcome},
          {"reason", e.reason},
          {"query_digest", e.query_digest},
          {"datasets", e.datasets},
          {"request_id", e.request_id},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

json ToJson(const audit::VerifyReport& r) {
  return {{"ok", r.ok()},
          {"entries", r.entries},
          {"checkpoints", r.checkpoints},
          {"last_seq", r.last_seq},
          {"last_hash", r.last_hash},
          {"problem", audit::ProblemName(r.problem)},
          {"first_bad_seq", r.first_bad_seq},
          {"checkpoint_seq", r.checkpoint_seq},
          {"detail", r.detail}};
}

json ActorJson(const authz::Actor& a) {
  json scopes = json::array();
  for (auto s : a.scopes) scopes.push_back(authz::ScopeName(s));
  std::string_view method = a.method == authz::AuthMethod::kSession    ? "session"
                            : a.method == authz::AuthMethod::kApiToken ? "api_token"
                                                                       : "anonymous";
  return {{"user_id", a.user_id},
          {"username", a.username},
          {"institution", a.institution},
          {"roles", Grants(a.roles)},
          {"accreditation_expires", OptionalDate(a.accreditation_expires)},
          {"method", method},
          {"restricted", a.restricted},
          {"scopes", scopes}};
}

Result<authz::RoleGrant> ParseGrant(std::string_view text) {
  authz::RoleGrant g{};
  size_t at = text.find('@');
  SZ_ASSIGN_OR_RETURN(g.role, authz::ParseRole(text.substr(0, at)));
  if (at != std::string_view::npos) {
    std::string_view p = text.substr(at + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), g.project_id);
    if (p.empty() || ec != std::errc() || end != p.data() + p.size() || g.project_id <= 0) {
      return InvalidArgument("a project-scoped role is ROLE@PROJECT_ID, e.g. analyst@12");
    }
  }
  return g;
}

}  // namespace sz::server
