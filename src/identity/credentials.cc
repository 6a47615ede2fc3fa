// Sessions, API tokens, password change and TOTP enrolment (identity.h).
#include <algorithm>
#include <sstream>

#include "common/text.h"
#include "crypto/keys.h"
#include "fmt/format.h"
#include "identity/identity_internal.h"
#include "identity/password.h"
#include "identity/tokens.h"

namespace sz::identity {

using authz::Action;
using authz::Actor;
using authz::Object;

namespace {

constexpr std::string_view kSessionEnded = "the session has ended or expired; sign in again";

std::string JoinScopes(const std::vector<authz::Scope>& scopes) {
  std::string out;
  for (authz::Scope s : scopes) {
    if (!out.empty()) out += ' ';
    out += authz::ScopeName(s);
  }
  return out;
}

Result<std::vector<authz::Scope>> SplitScopes(std::string_view text) {
  std::vector<authz::Scope> out;
  for (std::string_view name : text::Split(text, ' ')) {
    if (name.empty()) continue;
    auto scope = authz::ParseScope(name);
    if (!scope.ok()) return DataLoss("a stored API-token scope is unknown; revoke the token");
    out.push_back(*scope);
  }
  return out;
}

Status CheckTotpKey(const crypto::SecretBytes& key) {
  if (key.size() != crypto::kKeyBytes) {
    return FailedPrecondition("the zone did not supply a 32-byte TOTP wrapping key");
  }
  return OkStatus();
}

}  // namespace

// ---- Bearer credentials ----

Result<Actor> Identity::Authenticate(std::string_view bearer) {
  std::optional<TokenKind> kind = TokenKindOf(bearer);
  if (!kind) return Unauthenticated("the credential is not a safezone session or API token");
  if (*kind == TokenKind::kSession) return AuthenticateSession(bearer);
  return AuthenticateApiToken(bearer);
}

Result<Actor> Identity::AuthenticateSession(std::string_view token) {
  SZ_ASSIGN_OR_RETURN(storage::Statement st,
                      db_.Query("SELECT id, user_id, created_at, last_seen, revoked_at "
                                "FROM identity_sessions WHERE token_hash = ?1",
                                TokenHash(token)));
  SZ_ASSIGN_OR_RETURN(bool found, st.Step());
  if (!found || !st.IsNull(4)) return Unauthenticated(std::string(kSessionEnded));
  int64_t id = st.Int64(0), user_id = st.Int64(1), created = st.Int64(2), seen = st.Int64(3);
  // End the read before the touch below: an UPDATE while this statement is still open
  // would have to upgrade its read snapshot, which fails at once (SQLITE_BUSY_SNAPSHOT,
  // no busy wait) whenever another connection wrote in between.
  st.Reset();
  int64_t now = ToUnix(clock_.Now());
  if (now - created >= options_.session_absolute.count() ||
      now - seen >= options_.session_idle.count()) {
    return Unauthenticated(std::string(kSessionEnded));
  }
  SZ_ASSIGN_OR_RETURN(std::optional<UserRow> row, LoadUser(user_id));
  if (!row) return Unauthenticated(std::string(kSessionEnded));
  SZ_ASSIGN_OR_RETURN(Actor actor, ActorFor(*row, authz::AuthMethod::kSession, id));
  if (now - seen >= options_.session_touch.count()) {
    SZ_RETURN_IF_ERROR(
        db_.Run("UPDATE identity_sessions SET last_seen = ?2 WHERE id = ?1", id, now));
  }
  return actor;
}

Result<Actor> Identity::AuthenticateApiToken(std::string_view token) {
  SZ_ASSIGN_OR_RETURN(storage::Statement st,
                      db_.Query("SELECT id, user_id, scopes, expires_at, revoked_at, last_used "
                                "FROM identity_api_tokens WHERE token_hash = ?1",
                                TokenHash(token)));
  SZ_ASSIGN_OR_RETURN(bool found, st.Step());
  if (!found || !st.IsNull(4)) return Unauthenticated("the API token is unknown or was revoked");
  int64_t id = st.Int64(0), user_id = st.Int64(1);
  int64_t now = ToUnix(clock_.Now());
  if (now >= st.Int64(3)) return Unauthenticated("the API token has expired; create a new one");
  SZ_ASSIGN_OR_RETURN(std::vector<authz::Scope> scopes, SplitScopes(st.Text(2)));
  bool touch = st.IsNull(5) || now - st.Int64(5) >= options_.session_touch.count();
  st.Reset();  // see AuthenticateSession
  SZ_ASSIGN_OR_RETURN(std::optional<UserRow> row, LoadUser(user_id));
  if (!row) return Unauthenticated("the API token is unknown or was revoked");
  SZ_ASSIGN_OR_RETURN(Actor actor, ActorFor(*row, authz::AuthMethod::kApiToken, id));
  actor.scopes = std::move(scopes);
  if (touch) {
    SZ_RETURN_IF_ERROR(
        db_.Run("UPDATE identity_api_tokens SET last_used = ?2 WHERE id = ?1", id, now));
  }
  return actor;
}

Status Identity::Logout(const Actor& actor, std::string_view request_id) {
  if (actor.method != authz::AuthMethod::kSession) {
    return InvalidArgument("sign-out ends a session; revoke API tokens instead");
  }
  SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
  SZ_RETURN_IF_ERROR(
      db_.Run("UPDATE identity_sessions SET revoked_at = ?3 WHERE id = ?1 AND user_id = ?2 "
              "AND revoked_at IS NULL",
              actor.credential_id, actor.user_id, ToUnix(clock_.Now())));
  audit::Entry entry;
  entry.actor = authz::ActorLabel(actor);
  entry.action = "session.logout";
  entry.object = fmt::format("user:{}", actor.user_id);
  entry.reason = fmt::format("signed out, session {}", actor.credential_id);
  entry.request_id = std::string(request_id);
  SZ_RETURN_IF_ERROR(audit_.Append(db_, entry).status());
  return txn.Commit();
}

Status Identity::LogoutEverywhere(const Actor& actor, int64_t user_id,
                                  std::string_view request_id) {
  Action action = actor.user_id == user_id ? Action::kSelfManageTokens : Action::kUserUpdate;
  return Guarded(actor, action, Object::User(user_id), request_id, "all sessions ended", [&] {
    return db_.Run(
        "UPDATE identity_sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
        user_id, ToUnix(clock_.Now()));
  });
}

Result<std::vector<SessionInfo>> Identity::ListSessions(const Actor& actor,
                                                        std::string_view request_id) {
  SZ_RETURN_IF_ERROR(authz::AuthorizeRead(db_, audit_, actor, Action::kSelfManageTokens,
                                          Object::User(actor.user_id), request_id));
  int64_t now = ToUnix(clock_.Now());
  SZ_ASSIGN_OR_RETURN(
      storage::Statement st,
      db_.Query("SELECT id, created_at, last_seen FROM identity_sessions WHERE user_id = ?1 "
                "AND revoked_at IS NULL AND created_at > ?2 AND last_seen > ?3 ORDER BY id",
                actor.user_id, now - options_.session_absolute.count(),
                now - options_.session_idle.count()));
  std::vector<SessionInfo> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Int64(0), FromUnix(st.Int64(1)), FromUnix(st.Int64(2))});
  }
  return out;
}

// ---- Password change ----

Status Identity::ChangePassword(const Actor& actor, std::string_view current_password,
                                std::string_view new_password, std::string_view request_id) {
  SZ_ASSIGN_OR_RETURN(authz::Permit permit,
                      authz::Authorize(db_, audit_, actor, Action::kSelfChangePassword,
                                       Object::User(actor.user_id), request_id));
  auto refuse = [&](Status why) {
    (void)std::move(permit).RecordFailure(db_, why);
    return why;
  };
  SZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(actor.user_id));
  int64_t now = ToUnix(clock_.Now());
  if (row.locked_until > now) {
    return refuse(ResourceExhausted(
        fmt::format("too many failed attempts; try again in {} s", row.locked_until - now)));
  }
  if (!VerifyPassword(row.password_hash, current_password)) {
    // Counts towards the backoff: a stolen session must not become a password oracle.
    SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
    SZ_RETURN_IF_ERROR(RecordLoginFailure(row, ""));
    SZ_RETURN_IF_ERROR(txn.Commit());
    return refuse(Unauthenticated("the current password is wrong"));
  }
  if (new_password == current_password) {
    return refuse(InvalidArgument("the new password must differ from the current one"));
  }
  Status policy = CheckPasswordPolicy(new_password, row.username);
  if (!policy.ok()) return refuse(policy);
  SZ_ASSIGN_OR_RETURN(std::string hash, HashPassword(new_password));

  Status result = [&]() -> Status {
    SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
    SZ_RETURN_IF_ERROR(
        db_.Run("UPDATE identity_users SET password_hash = ?2, must_change_password = 0, "
                "failed_logins = 0, locked_until = 0, updated_at = ?3 WHERE id = ?1 "
                "AND password_hash = ?4",
                row.id, hash, ToUnix(clock_.Now()), row.password_hash));
    if (db_.Changes() == 0) return Aborted("the password changed meanwhile; try again");
    // Other sessions and API tokens may belong to whoever knew the old password.
    SZ_RETURN_IF_ERROR(RevokeAllCredentials(row.id, actor.credential_id));
    SZ_RETURN_IF_ERROR(std::move(permit).Record(
        db_, authz::AuditDetails::Note("password changed; other credentials ended")));
    return txn.Commit();
  }();
  if (!result.ok()) return refuse(result);
  return OkStatus();
}

// ---- TOTP enrolment ----

Result<TotpEnrolment> Identity::BeginTotpEnrolment(const Actor& actor,
                                                   std::string_view request_id) {
  SZ_RETURN_IF_ERROR(CheckTotpKey(totp_key_));
  SZ_ASSIGN_OR_RETURN(authz::Permit permit,
                      authz::Authorize(db_, audit_, actor, Action::kSelfEnrolTotp,
                                       Object::User(actor.user_id), request_id));
  SZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(actor.user_id));
  if (row.totp_confirmed) {
    Status why = FailedPrecondition(
        "TOTP is already enrolled; an administrator must reset it before a new enrolment");
    (void)std::move(permit).RecordFailure(db_, why);
    return why;
  }
  TotpEnrolment enrolment = NewTotpEnrolment(options_.totp_issuer, row.username);
  std::string wrapped = crypto::WrapKey(totp_key_, enrolment.secret, TotpPurpose(row.id));
  Status result = [&]() -> Status {
    SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
    storage::Statement st;
    SZ_ASSIGN_OR_RETURN(st, db_.Prepare("UPDATE identity_users SET totp_wrapped = ?2, "
                                        "totp_confirmed = 0, updated_at = ?3 WHERE id = ?1"));
    st.Bind(1, row.id).BindBlob(2, wrapped).Bind(3, ToUnix(clock_.Now()));
    SZ_RETURN_IF_ERROR(st.Run());
    SZ_RETURN_IF_ERROR(
        std::move(permit).Record(db_, authz::AuditDetails::Note("TOTP enrolment started")));
    return txn.Commit();
  }();
  if (!result.ok()) {
    (void)std::move(permit).RecordFailure(db_, result);
    return result;
  }
  return enrolment;
}

Status Identity::ConfirmTotpEnrolment(const Actor& actor, std::string_view code,
                                      std::string_view request_id) {
  SZ_RETURN_IF_ERROR(CheckTotpKey(totp_key_));
  SZ_ASSIGN_OR_RETURN(authz::Permit permit,
                      authz::Authorize(db_, audit_, actor, Action::kSelfEnrolTotp,
                                       Object::User(actor.user_id), request_id));
  auto refuse = [&](Status why) {
    (void)std::move(permit).RecordFailure(db_, why);
    return why;
  };
  SZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(actor.user_id));
  if (row.totp_confirmed) return refuse(FailedPrecondition("TOTP is already enrolled"));
  if (!row.totp_wrapped) return refuse(FailedPrecondition("start a TOTP enrolment first"));
  auto secret = crypto::UnwrapKey(totp_key_, *row.totp_wrapped, TotpPurpose(row.id));
  if (!secret.ok()) return refuse(secret.status());
  std::optional<int64_t> step = MatchTotp(secret->view(), code, clock_.Now(), row.totp_last_step);
  if (!step) {
    return refuse(Unauthenticated(
        "the code does not match the new secret; check the device's clock and try again"));
  }
  Status result = [&]() -> Status {
    SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
    SZ_RETURN_IF_ERROR(db_.Run(
        "UPDATE identity_users SET totp_confirmed = 1, totp_last_step = ?2, updated_at = ?3 "
        "WHERE id = ?1 AND totp_confirmed = 0",
        row.id, *step, ToUnix(clock_.Now())));
    if (db_.Changes() == 0) return Aborted("the enrolment changed meanwhile; try again");
    // Sessions opened with the password alone must not ride on the new second factor.
    SZ_RETURN_IF_ERROR(RevokeAllCredentials(row.id, actor.credential_id));
    SZ_RETURN_IF_ERROR(std::move(permit).Record(
        db_, authz::AuditDetails::Note("TOTP enrolment confirmed; other credentials ended")));
    return txn.Commit();
  }();
  if (!result.ok()) return refuse(result);
  return OkStatus();
}

// ---- API tokens ----

Result<NewApiToken> Identity::CreateApiToken(const Actor& actor, const ApiTokenRequest& request,
                                             std::string_view request_id) {
  if (request.name.empty() || request.name.size() > 64 || !text::IsValidUtf8(request.name)) {
    return InvalidArgument("an API token needs a name of 1-64 bytes");
  }
  if (request.scopes.empty()) return InvalidArgument("an API token needs at least one scope");
  if (request.lifetime.count() <= 0 || request.lifetime > options_.api_token_max_lifetime) {
    return InvalidArgument(fmt::format("an API token lives between 1 s and {} days",
                                       options_.api_token_max_lifetime.count() / 86400));
  }
  SZ_RETURN_IF_ERROR(CheckTotpKey(totp_key_));
  SZ_ASSIGN_OR_RETURN(authz::Permit permit,
                      authz::Authorize(db_, audit_, actor, Action::kSelfManageTokens,
                                       Object::User(actor.user_id), request_id));
  auto refuse = [&](Status why) {
    (void)std::move(permit).RecordFailure(db_, why);
    return why;
  };
  SZ_ASSIGN_OR_RETURN(UserRow row, RequireUser(actor.user_id));
  if (!row.totp_confirmed || !row.totp_wrapped) {
    return refuse(FailedPrecondition("enrol TOTP before creating API tokens"));
  }
  auto secret = crypto::UnwrapKey(totp_key_, *row.totp_wrapped, TotpPurpose(row.id));
  if (!secret.ok()) return refuse(secret.status());
  std::optional<int64_t> step =
      MatchTotp(secret->view(), request.totp_code, clock_.Now(), row.totp_last_step);
  if (!step) {
    SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
    SZ_RETURN_IF_ERROR(RecordLoginFailure(row, ""));
    SZ_RETURN_IF_ERROR(txn.Commit());
    return refuse(Unauthenticated("the TOTP code is wrong or was already used"));
  }

  NewApiToken out;
  out.token = NewToken(TokenKind::kApi);
  Time now = clock_.Now();
  out.expires = now + request.lifetime;
  std::string scope_text = JoinScopes(request.scopes);
  Status result = [&]() -> Status {
    SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
    SZ_RETURN_IF_ERROR(
        db_.Run("UPDATE identity_users SET totp_last_step = ?2 WHERE id = ?1 "
                "AND (totp_last_step IS NULL OR totp_last_step < ?2)",
                row.id, *step));
    if (db_.Changes() == 0) return Unauthenticated("the TOTP code was already used");
    SZ_RETURN_IF_ERROR(
        db_.Run("INSERT INTO identity_api_tokens (token_hash, user_id, name, scopes, created_at, "
                "expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                TokenHash(out.token), actor.user_id, request.name, scope_text, ToUnix(now),
                ToUnix(out.expires)));
    out.id = db_.LastInsertId();
    SZ_RETURN_IF_ERROR(std::move(permit).Record(
        db_, authz::AuditDetails::Note(fmt::format("API token {} created, scopes {}, expires {}",
                                                   out.id, scope_text, ToUnix(out.expires)))));
    return txn.Commit();
  }();
  if (!result.ok()) return refuse(result);
  return out;
}

Result<std::vector<ApiTokenInfo>> Identity::ListApiTokens(const Actor& actor,
                                                          std::string_view request_id) {
  SZ_RETURN_IF_ERROR(authz::AuthorizeRead(db_, audit_, actor, Action::kSelfManageTokens,
                                          Object::User(actor.user_id), request_id));
  SZ_ASSIGN_OR_RETURN(storage::Statement st,
                      db_.Query("SELECT id, name, scopes, created_at, expires_at, last_used, "
                                "revoked_at FROM identity_api_tokens WHERE user_id = ?1 "
                                "ORDER BY id",
                                actor.user_id));
  std::vector<ApiTokenInfo> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ApiTokenInfo info;
    info.id = st.Int64(0);
    info.name = st.Text(1);
    SZ_ASSIGN_OR_RETURN(info.scopes, SplitScopes(st.Text(2)));
    info.created = FromUnix(st.Int64(3));
    info.expires = FromUnix(st.Int64(4));
    if (!st.IsNull(5)) info.last_used = FromUnix(st.Int64(5));
    info.revoked = !st.IsNull(6);
    out.push_back(std::move(info));
  }
  return out;
}

Status Identity::RevokeApiToken(const Actor& actor, int64_t token_id, std::string_view request_id) {
  return Guarded(actor, Action::kSelfManageTokens, Object::User(actor.user_id), request_id,
                 fmt::format("API token {} revoked", token_id), [&]() -> Status {
                   SZ_RETURN_IF_ERROR(
                       db_.Run("UPDATE identity_api_tokens SET revoked_at = ?3 WHERE id = ?1 "
                               "AND user_id = ?2 AND revoked_at IS NULL",
                               token_id, actor.user_id, ToUnix(clock_.Now())));
                   if (db_.Changes() == 0) return NotFound("no active API token with that id");
                   return OkStatus();
                 });
}

}  // namespace sz::identity
