// Accounts, roles and their administration (identity.h).
#include <algorithm>

#include "common/text.h"
#include "crypto/keys.h"
#include "fmt/format.h"
#include "identity/identity_internal.h"
#include "identity/password.h"

namespace sz::identity {

using authz::Action;
using authz::Actor;
using authz::Object;
using authz::Role;
using authz::RoleGrant;

namespace {

constexpr std::string_view kUserColumns =
    "SELECT id, username, display_name, institution, status, password_hash, "
    "must_change_password, totp_wrapped, totp_confirmed, totp_last_step, failed_logins, "
    "locked_until, accreditation_expires FROM identity_users ";

Status ValidateUsername(std::string_view name) {
  bool ok =
      name.size() >= 3 && name.size() <= 32 && name[0] >= 'a' && name[0] <= 'z' &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      });
  if (!ok) {
    return InvalidArgument(
        "a username is 3-32 characters of a-z, 0-9, '.', '_', '-' and starts with a letter");
  }
  return OkStatus();
}

Status ValidateText(std::string_view value, std::string_view what, size_t max_chars) {
  if (!text::IsValidUtf8(value)) return InvalidArgument(fmt::format("{} is not valid UTF-8", what));
  std::u32string chars = text::DecodeUtf8(value);
  bool control =
      std::any_of(chars.begin(), chars.end(), [](char32_t c) { return c < 0x20 || c == 0x7f; });
  if (control || chars.size() > max_chars) {
    return InvalidArgument(
        fmt::format("{} must be at most {} characters without control "
                    "characters",
                    what, max_chars));
  }
  return OkStatus();
}

Status ValidateGrant(const RoleGrant& grant, std::string_view institution) {
  if (grant.project_id < 0) return InvalidArgument("a project id is positive");
  if (grant.project_id != 0 && !authz::RoleMayBeProjectScoped(grant.role)) {
    return InvalidArgument(fmt::format("the {} role is zone-wide; grant it without a project",
                                       authz::RoleName(grant.role)));
  }
  if (grant.role == Role::kDataProvider && institution.empty()) {
    return InvalidArgument("a data provider needs an institution on the account");
  }
  return OkStatus();
}

std::string GrantText(const RoleGrant& g) {
  if (g.project_id == 0) return std::string(authz::RoleName(g.role));
  return fmt::format("{} for project {}", authz::RoleName(g.role), g.project_id);
}

// A random temporary password that passes the policy (base32 of 15 bytes: 24 characters).
std::string TemporaryPassword(std::string_view username) {
  while (true) {
    std::string candidate = Base32Encode(crypto::RandomBytes(15));
    if (CheckPasswordPolicy(candidate, username).ok()) return candidate;
  }
}

}  // namespace

std::string_view AccountStatusName(AccountStatus status) {
  switch (status) {
    case AccountStatus::kActive:
      return "active";
    case AccountStatus::kDisabled:
      return "disabled";
    case AccountStatus::kLocked:
      return "locked";
  }
  return "disabled";
}

Result<AccountStatus> ParseAccountStatus(std::string_view name) {
  for (AccountStatus s : {AccountStatus::kActive, AccountStatus::kDisabled, AccountStatus::kLocked})
    if (AccountStatusName(s) == name) return s;
  return DataLoss("an account has an unknown status; the identity tables are damaged");
}

std::string TotpPurpose(int64_t user_id) { return fmt::format("totp:user:{}", user_id); }

std::string UserLabel(int64_t id, std::string_view username) {
  return fmt::format("user:{}/{}", id, username);
}

Status Identity::CreateSchema(storage::SqliteDb& db) {
  return db.Exec(R"sql(
    CREATE TABLE IF NOT EXISTS identity_users (
      id                    INTEGER PRIMARY KEY,
      username              TEXT NOT NULL UNIQUE,
      display_name          TEXT NOT NULL,
      institution           TEXT NOT NULL DEFAULT '',
      status                TEXT NOT NULL CHECK (status IN ('active', 'disabled', 'locked')),
      password_hash         TEXT NOT NULL,
      must_change_password  INTEGER NOT NULL DEFAULT 1,
      totp_wrapped          BLOB,
      totp_confirmed        INTEGER NOT NULL DEFAULT 0,
      totp_last_step        INTEGER,
      failed_logins         INTEGER NOT NULL DEFAULT 0,
      locked_until          INTEGER NOT NULL DEFAULT 0,
      accreditation_expires TEXT,
      created_at            INTEGER NOT NULL,
      updated_at            INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS identity_roles (
      user_id    INTEGER NOT NULL REFERENCES identity_users(id),
      role       TEXT NOT NULL,
      project_id INTEGER NOT NULL DEFAULT 0,
      granted_by INTEGER NOT NULL,
      granted_at INTEGER NOT NULL,
      PRIMARY KEY (user_id, role, project_id));
    CREATE TABLE IF NOT EXISTS identity_sessions (
      id         INTEGER PRIMARY KEY,
      token_hash TEXT NOT NULL UNIQUE,
      user_id    INTEGER NOT NULL REFERENCES identity_users(id),
      created_at INTEGER NOT NULL,
      last_seen  INTEGER NOT NULL,
      revoked_at INTEGER);
    CREATE INDEX IF NOT EXISTS identity_sessions_user ON identity_sessions(user_id);
    CREATE TABLE IF NOT EXISTS identity_api_tokens (
      id         INTEGER PRIMARY KEY,
      token_hash TEXT NOT NULL UNIQUE,
      user_id    INTEGER NOT NULL REFERENCES identity_users(id),
      name       TEXT NOT NULL,
      scopes     TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      last_used  INTEGER,
      revoked_at INTEGER);
    CREATE INDEX IF NOT EXISTS identity_api_tokens_user ON identity_api_tokens(user_id);
    CREATE TABLE IF NOT EXISTS identity_address_failures (
      address       TEXT PRIMARY KEY,
      failures      INTEGER NOT NULL,
      last_failure  INTEGER NOT NULL,
      blocked_until INTEGER NOT NULL);
  )sql");
}

Identity::Identity(storage::SqliteDb& db, const Clock& clock, const audit::AuditLog& audit,
                   const crypto::SecretBytes& totp_key, IdentityOptions options)
    : db_(db), clock_(clock), audit_(audit), totp_key_(totp_key), options_(std::move(options)) {}

Result<std::optional<Identity::UserRow>> Identity::LoadUser(int64_t id) {
  SZ_ASSIGN_OR_RETURN(storage::Statement st,
                      db_.Query(std::string(kUserColumns) + "WHERE id = ?1", id));
  SZ_ASSIGN_OR_RETURN(bool found, st.Step());
  if (!found) return std::optional<UserRow>();
  UserRow row;
  row.id = st.Int64(0);
  row.username = st.Text(1);
  row.display_name = st.Text(2);
  row.institution = st.Text(3);
  SZ_ASSIGN_OR_RETURN(row.status, ParseAccountStatus(st.Text(4)));
  row.password_hash = st.Text(5);
  row.must_change_password = st.Int64(6) != 0;
  if (!st.IsNull(7)) row.totp_wrapped = st.Blob(7);
  row.totp_confirmed = st.Int64(8) != 0;
  if (!st.IsNull(9)) row.totp_last_step = st.Int64(9);
  row.failed_logins = static_cast<int>(st.Int64(10));
  row.locked_until = st.Int64(11);
  if (!st.IsNull(12)) {
    auto date = ParseDate(st.Text(12));
    if (!date.ok()) return DataLoss("an accreditation date is damaged; set it again");
    row.accreditation_expires = *date;
  }
  return std::optional<UserRow>(std::move(row));
}

Result<std::optional<Identity::UserRow>> Identity::LoadUserByName(std::string_view username) {
  SZ_ASSIGN_OR_RETURN(
      storage::Statement st,
      db_.Query("SELECT id FROM identity_users WHERE username = ?1", text::ToLowerAscii(username)));
  SZ_ASSIGN_OR_RETURN(bool found, st.Step());
  if (!found) return std::optional<UserRow>();
  return LoadUser(st.Int64(0));
}

Result<Identity::UserRow> Identity::RequireUser(int64_t user_id) {
  SZ_ASSIGN_OR_RETURN(std::optional<UserRow> row, LoadUser(user_id));
  if (!row) return NotFound(fmt::format("user {} does not exist", user_id));
  return std::move(*row);
}

Result<std::vector<RoleGrant>> Identity::LoadRoles(int64_t user_id) {
  SZ_ASSIGN_OR_RETURN(storage::Statement st,
                      db_.Query("SELECT role, project_id FROM identity_roles WHERE user_id = ?1 "
                                "ORDER BY role, project_id",
                                user_id));
  std::vector<RoleGrant> roles;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    auto role = authz::ParseRole(st.Text(0));
    if (!role.ok()) return DataLoss("a stored role is unknown; the identity tables are damaged");
    roles.push_back({*role, st.Int64(1)});
  }
  return roles;
}

Result<UserInfo> Identity::ToInfo(const UserRow& row) {
  UserInfo info;
  info.id = row.id;
  info.username = row.username;
  info.display_name = row.display_name;
  info.institution = row.institution;
  info.status = row.status;
  SZ_ASSIGN_OR_RETURN(info.roles, LoadRoles(row.id));
  info.accreditation_expires = row.accreditation_expires;
  info.totp_enrolled = row.totp_confirmed;
  info.must_change_password = row.must_change_password;
  info.failed_logins = row.failed_logins;
  if (row.locked_until > ToUnix(clock_.Now())) info.locked_until = FromUnix(row.locked_until);
  return info;
}

Result<Actor> Identity::ActorFor(const UserRow& row, authz::AuthMethod method, int64_t credential) {
  if (row.status != AccountStatus::kActive) {
    return Unauthenticated("this account is not active; contact an administrator");
  }
  Actor actor;
  actor.user_id = row.id;
  actor.username = row.username;
  actor.institution = row.institution;
  SZ_ASSIGN_OR_RETURN(actor.roles, LoadRoles(row.id));
  actor.accreditation_expires = row.accreditation_expires;
  actor.today = SeoulDate(clock_.Now());
  actor.method = method;
  actor.credential_id = credential;
  actor.restricted = row.must_change_password || !row.totp_confirmed;
  return actor;
}

Status Identity::InsertRoles(int64_t user_id, const std::vector<RoleGrant>& roles, int64_t by) {
  for (const RoleGrant& g : roles) {
    SZ_RETURN_IF_ERROR(
        db_.Run("INSERT INTO identity_roles (user_id, role, project_id, granted_by, granted_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5)",
                user_id, authz::RoleName(g.role), g.project_id, by, ToUnix(clock_.Now())));
  }
  return OkStatus();
}

Result<int64_t> Identity::InsertUser(const NewUser& user, std::string_view password_hash,
                                     bool must_change) {
  int64_t now = ToUnix(clock_.Now());
  std::optional<std::string> accreditation;
  if (user.accreditation_expires) accreditation = FormatDate(*user.accreditation_expires);
  Status s = db_.Run(
      "INSERT INTO identity_users (username, display_name, institution, status, password_hash, "
      "must_change_password, accreditation_expires, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, 'active', ?4, ?5, ?6, ?7, ?7)",
      text::ToLowerAscii(user.username), user.display_name, user.institution, password_hash,
      must_change ? 1 : 0, accreditation, now);
  if (s.code() == Code::kAlreadyExists)
    return AlreadyExists("that username is taken; choose another");
  SZ_RETURN_IF_ERROR(s);
  return db_.LastInsertId();
}

namespace {
Status ValidateNewUser(const NewUser& user) {
  SZ_RETURN_IF_ERROR(ValidateUsername(text::ToLowerAscii(user.username)));
  SZ_RETURN_IF_ERROR(ValidateText(user.display_name, "a display name", 100));
  if (user.display_name.empty()) return InvalidArgument("a display name is required");
  SZ_RETURN_IF_ERROR(ValidateText(user.institution, "an institution", 100));
  for (const RoleGrant& g : user.roles) SZ_RETURN_IF_ERROR(ValidateGrant(g, user.institution));
  return OkStatus();
}
}  // namespace

Result<int64_t> Identity::CreateFirstAdministrator(const NewUser& user, std::string_view password) {
  SZ_RETURN_IF_ERROR(ValidateNewUser(user));
  SZ_RETURN_IF_ERROR(CheckPasswordPolicy(password, user.username));
  SZ_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
  SZ_ASSIGN_OR_RETURN(storage::Statement count, db_.Prepare("SELECT count(*) FROM identity_users"));
  SZ_ASSIGN_OR_RETURN(bool has_row, count.Step());
  if (has_row && count.Int64(0) > 0) {
    return FailedPrecondition("the zone already has accounts; an administrator creates the others");
  }
  SZ_ASSIGN_OR_RETURN(int64_t id, InsertUser(user, hash, /*must_change=*/false));
  std::vector<RoleGrant> roles = user.roles;
  if (std::find(roles.begin(), roles.end(), RoleGrant{Role::kAdministrator, 0}) == roles.end()) {
    roles.push_back({Role::kAdministrator, 0});
  }
  SZ_RETURN_IF_ERROR(InsertRoles(id, roles, /*by=*/0));
  audit::Entry entry;
  entry.actor = "system";
  entry.action = std::string(authz::ActionName(Action::kUserCreate));
  entry.object = fmt::format("user:{}", id);
  entry.reason = "first administrator of the zone";
  SZ_RETURN_IF_ERROR(audit_.Append(db_, entry).status());
  SZ_RETURN_IF_ERROR(txn.Commit());
  return id;
}

Result<NewAccount> Identity::CreateUser(const Actor& actor, const NewUser& user,
                                        std::string_view request_id) {
  SZ_RETURN_IF_ERROR(ValidateNewUser(user));
  NewAccount account;
  account.temporary_password = TemporaryPassword(user.username);
  SZ_ASSIGN_OR_RETURN(std::string hash, HashPassword(account.temporary_password));
  std::string note = "roles:";
  for (const RoleGrant& g : user.roles) note += " " + GrantText(g);
  SZ_RETURN_IF_ERROR(Guarded(actor, Action::kUserCreate, Object::Zone(), request_id, note, [&] {
    SZ_ASSIGN_OR_RETURN(account.user_id, InsertUser(user, hash, /*must_change=*/true));
    return InsertRoles(account.user_id, user.roles, actor.user_id);
  }));
  return account;
}

Result<UserInfo> Identity::GetUser(const Actor& actor, int64_t user_id,
                                   std::string_view request_id) {
  Action action = actor.user_id == user_id ? Action::kSelfRead : Action::kUserRead;
  SZ_RETURN_IF_ERROR(
      authz::AuthorizeRead(db_, audit_, actor, action, Object::User(user_id), request_id));
  SZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(user_id));
  return ToInfo(row);
}

Result<std::vector<UserInfo>> Identity::ListUsers(const Actor& actor, std::string_view request_id) {
  SZ_RETURN_IF_ERROR(
      authz::AuthorizeRead(db_, audit_, actor, Action::kUserList, Object::Zone(), request_id));
  SZ_ASSIGN_OR_RETURN(storage::Statement st,
                      db_.Prepare("SELECT id FROM identity_users ORDER BY id"));
  std::vector<int64_t> ids;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ids.push_back(st.Int64(0));
  }
  std::vector<UserInfo> out;
  for (int64_t id : ids) {
    SZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(id));
    SZ_ASSIGN_OR_RETURN(UserInfo info, ToInfo(row));
    out.push_back(std::move(info));
  }
  return out;
}

Status Identity::GrantRole(const Actor& actor, int64_t user_id, RoleGrant grant,
                           std::string_view request_id) {
  SZ_ASSIGN_OR_RETURN(UserRow target, RequireUser(user_id));
  SZ_RETURN_IF_ERROR(ValidateGrant(grant, target.institution));
  return Guarded(actor, Action::kRoleGrant, Object::User(user_id), request_id,
                 "granted " + GrantText(grant), [&]() -> Status {
                   Status s = InsertRoles(user_id, {grant}, actor.user_id);
                   if (s.code() == Code::kAlreadyExists) {
                     return AlreadyExists("the user already holds that role");
                   }
                   return s;
                 });
}

Status Identity::RevokeRole(const Actor& actor, int64_t user_id, RoleGrant grant,
                            std::string_view request_id) {
  SZ_RETURN_IF_ERROR(RequireUser(user_id).status());
  return Guarded(actor, Action::kRoleRevoke, Object::User(user_id), request_id,
                 "revoked " + GrantText(grant), [&]() -> Status {
                   SZ_RETURN_IF_ERROR(
                       db_.Run("DELETE FROM identity_roles WHERE user_id = ?1 AND role = ?2 AND "
                               "project_id = ?3",
                               user_id, authz::RoleName(grant.role), grant.project_id));
                   if (db_.Changes() == 0) return NotFound("the user does not hold that role");
                   return OkStatus();
                 });
}

Status Identity::SetAccreditation(const Actor& actor, int64_t user_id, std::optional<Date> expires,
                                  std::string_view request_id) {
  SZ_RETURN_IF_ERROR(RequireUser(user_id).status());
  std::optional<std::string> text;
  if (expires) text = FormatDate(*expires);
  return Guarded(actor, Action::kAccreditationSet, Object::User(user_id), request_id,
                 "accreditation expires " + text.value_or("(none)"), [&] {
                   return db_.Run(
                       "UPDATE identity_users SET accreditation_expires = ?2, updated_at = ?3 "
                       "WHERE id = ?1",
                       user_id, text, ToUnix(clock_.Now()));
                 });
}

Status Identity::RevokeAllCredentials(int64_t user_id, std::optional<int64_t> keep_session) {
  int64_t now = ToUnix(clock_.Now());
  SZ_RETURN_IF_ERROR(db_.Run(
      "UPDATE identity_sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL "
      "AND id != ?3",
      user_id, now, keep_session.value_or(0)));
  return db_.Run(
      "UPDATE identity_api_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
      user_id, now);
}

Status Identity::SetStatus(const Actor& actor, int64_t user_id, AccountStatus status,
                           std::string_view request_id) {
  SZ_RETURN_IF_ERROR(RequireUser(user_id).status());
  return Guarded(actor, Action::kUserDisable, Object::User(user_id), request_id,
                 fmt::format("status {}", AccountStatusName(status)), [&]() -> Status {
                   SZ_RETURN_IF_ERROR(db_.Run(
                       "UPDATE identity_users SET status = ?2, updated_at = ?3 WHERE id = ?1",
                       user_id, AccountStatusName(status), ToUnix(clock_.Now())));
                   if (status == AccountStatus::kActive) return OkStatus();
                   return RevokeAllCredentials(user_id, std::nullopt);
                 });
}

Status Identity::Unlock(const Actor& actor, int64_t user_id, std::string_view request_id) {
  SZ_RETURN_IF_ERROR(RequireUser(user_id).status());
  return Guarded(actor, Action::kUserUnlock, Object::User(user_id), request_id,
                 "failure backoff cleared", [&] {
                   return db_.Run(
                       "UPDATE identity_users SET failed_logins = 0, locked_until = 0, "
                       "status = CASE status WHEN 'locked' THEN 'active' ELSE status END, "
                       "updated_at = ?2 WHERE id = ?1",
                       user_id, ToUnix(clock_.Now()));
                 });
}

Result<std::string> Identity::ResetPassword(const Actor& actor, int64_t user_id,
                                            std::string_view request_id) {
  SZ_ASSIGN_OR_RETURN(UserRow target, RequireUser(user_id));
  std::string temporary = TemporaryPassword(target.username);
  SZ_ASSIGN_OR_RETURN(std::string hash, HashPassword(temporary));
  Status reset = Guarded(actor, Action::kUserResetCredentials, Object::User(user_id), request_id,
                         "password reset", [&]() -> Status {
                           SZ_RETURN_IF_ERROR(
                               db_.Run("UPDATE identity_users SET password_hash = ?2, "
                                       "must_change_password = 1, failed_logins = 0, "
                                       "locked_until = 0, updated_at = ?3 WHERE id = ?1",
                                       user_id, hash, ToUnix(clock_.Now())));
                           return RevokeAllCredentials(user_id, std::nullopt);
                         });
  if (!reset.ok()) return reset;
  return temporary;
}

Status Identity::ResetTotp(const Actor& actor, int64_t user_id, std::string_view request_id) {
  SZ_RETURN_IF_ERROR(RequireUser(user_id).status());
  return Guarded(actor, Action::kUserResetCredentials, Object::User(user_id), request_id,
                 "TOTP reset", [&]() -> Status {
                   SZ_RETURN_IF_ERROR(
                       db_.Run("UPDATE identity_users SET totp_wrapped = NULL, totp_confirmed = 0, "
                               "totp_last_step = NULL, updated_at = ?2 WHERE id = ?1",
                               user_id, ToUnix(clock_.Now())));
                   return RevokeAllCredentials(user_id, std::nullopt);
                 });
}

}  // namespace sz::identity
