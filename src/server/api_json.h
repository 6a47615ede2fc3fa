// JSON shapes of identity and audit objects on the wire (catalog shapes live in
// zone/catalog_json.h, shared with the CLI). Times are "2025-06-15T01:00:00Z" (UTC),
// dates "2025-06-15" (Asia/Seoul). Never carries a password hash, a TOTP secret or a
// token hash.
#pragma once

#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "audit/verify.h"
#include "authz/policy.h"
#include "identity/identity.h"

namespace sz::server {

nlohmann::json ToJson(const authz::RoleGrant& g);
nlohmann::json ToJson(const identity::UserInfo& u);
nlohmann::json ToJson(const identity::SessionInfo& s);
nlohmann::json ToJson(const identity::ApiTokenInfo& t);
nlohmann::json ToJson(const identity::LoginResult& r);  // includes the session token
nlohmann::json ToJson(const audit::StoredEntry& e);     // without the sealed query text
nlohmann::json ToJson(const audit::VerifyReport& r);
// Who the actor is, as established for this request.
nlohmann::json ActorJson(const authz::Actor& a);

// "analyst" or "analyst@12" (project-scoped), as the CLI writes grants.
Result<authz::RoleGrant> ParseGrant(std::string_view text);

}  // namespace sz::server
