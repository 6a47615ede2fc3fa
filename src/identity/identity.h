// Identity: accounts, roles, sign-in, sessions, API tokens and lockout.
//
// An account has a username, a display name, an institution (providers act for it), a
// status (active, disabled, locked), role grants (zone-wide or, for analysts and output
// reviewers, per project), an accreditation expiry date (Asia/Seoul; access is blocked
// from that day on, see authz/policy.h), an Argon2id password hash (password.h) and a
// TOTP secret (totp.h) wrapped under the key the zone supplies.
//
// Sign-in is password + TOTP for every account, whatever its roles: every role here
// either touches non-open data or controls who does (administrator, auditor). An account
// without a confirmed TOTP enrolment, or whose password was (re)set by an administrator,
// signs in to a *restricted* session that can only read itself, change its password and
// enrol TOTP (authz::Actor::restricted).
//
// Every sign-in attempt writes an audit entry in the same transaction as its effect (the
// failure counter, the new session): Login() owns the audit log, so a caller cannot
// forget it. Administration and self-service calls take the acting authz::Actor and go
// through authz::Authorize, so each is decided and audited the same way.
//
// Sessions: "szs_" + 43 characters (32 random bytes, base64url); only SHA-256(token) is
// stored. A session ends after `session_idle` without use, `session_absolute` after
// sign-in, on logout, on logout-everywhere, when the password or TOTP is reset or the
// account is disabled. last_seen is written at most once per `session_touch` so that
// reads do not each cost a durable write; idle expiry is therefore exact to within that
// interval, in the user's disfavour.
// API tokens: "sza_" + 43 characters, hashed the same way, shown once, with scopes
// (authz::Scope) and a mandatory expiry of at most `api_token_max_lifetime`; creating
// one needs a fresh TOTP code (step-up), so a hijacked session cannot mint a token that
// outlives it. The
// prefixes make leaked tokens recognisable to secret scanners.
//
// Lockout: after `lockout_threshold` consecutive failures (wrong password or TOTP) the
// account refuses attempts, without checking the password, for base * 2^(n - threshold)
// capped at `lockout_max`; a success resets it. The delay grows but never becomes a
// permanent lock, so an attacker cannot lock a victim out for good. A separate counter
// per network address (the server passes it) slows guessing across many accounts.
//
// Thread-safety: an Identity borrows one connection and is used by one thread at a time;
// create one per connection. All state is in the database.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "authz/policy.h"
#include "common/status.h"
#include "crypto/secret.h"
#include "common/clock.h"
#include "identity/totp.h"
#include "storage/sqlite.h"

namespace sz::identity {

enum class AccountStatus { kActive, kDisabled, kLocked };
std::string_view AccountStatusName(AccountStatus status);

struct IdentityOptions {
  std::chrono::seconds session_idle = std::chrono::minutes(30);
  std::chrono::seconds session_absolute = std::chrono::hours(12);
  std::chrono::seconds session_touch = std::chrono::seconds(60);
  int lockout_threshold = 5;  // consecutive failures before backoff
  std::chrono::seconds lockout_base = std::chrono::seconds(30);  // doubles per further failure
  std::chrono::seconds lockout_max = std::chrono::hours(1);
  int address_threshold = 20;  // failures per address before backoff
  std::chrono::seconds address_base = std::chrono::seconds(60);
  // An address's count restarts after this long without failures.
  std::chrono::seconds address_window = std::chrono::hours(1);
  std::chrono::seconds api_token_max_lifetime = std::chrono::days(90);
  std::string totp_issuer = "safezone";
};

struct NewUser {
  std::string username;      // 3-32 characters of a-z 0-9 . _ - (stored lower case)
  std::string display_name;  // 1-100 characters
  std::string institution;   // required for data providers
  std::vector<authz::RoleGrant> roles;
  std::optional<Date> accreditation_expires;
};

struct UserInfo {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string institution;
  AccountStatus status = AccountStatus::kActive;
  std::vector<authz::RoleGrant> roles;
  std::optional<Date> accreditation_expires;
  bool totp_enrolled = false;
  bool must_change_password = false;
  int failed_logins = 0;
  std::optional<Time> locked_until;
};

struct NewAccount {
  int64_t user_id = 0;
  std::string temporary_password;  // show once; the user must change it at first sign-in
};

struct LoginRequest {
  std::string_view username;
  std::string_view password;
  std::string_view totp_code;  // empty if the account has no TOTP yet
  std::string_view address;    // client network address, for the per-address counter
  std::string_view request_id;
};

struct LoginResult {
  int64_t user_id = 0;
  int64_t session_id = 0;
  std::string token;  // "szs_..."; give to the client, never store or log
  bool must_enrol_totp = false;
  bool must_change_password = false;
  Time idle_expires{};
  Time absolute_expires{};
};

struct ApiTokenRequest {
  std::string name;                  // 1-64 bytes, for the owner's listing
  std::vector<authz::Scope> scopes;  // at least one
  std::chrono::seconds lifetime{};   // 1 s .. api_token_max_lifetime
  std::string totp_code;             // step-up: a fresh code, so a stolen session
                                     // cannot turn itself into a long-lived token
};

struct NewApiToken {
  int64_t id = 0;
  std::string token;  // "sza_..."; shown once
  Time expires{};
};

struct ApiTokenInfo {
  int64_t id = 0;
  std::string name;
  std::vector<authz::Scope> scopes;
  Time created{};
  Time expires{};
  std::optional<Time> last_used;
  bool revoked = false;
};

struct SessionInfo {
  int64_t id = 0;
  Time created{};
  Time last_seen{};
};

class Identity {
 public:
  // Creates the identity tables (idempotent).
  static Status CreateSchema(storage::SqliteDb& db);

  // Borrows everything; `totp_key` (32 bytes, derived from the zone's master key)
  // wraps the TOTP secrets.
  Identity(storage::SqliteDb& db, const Clock& clock, const audit::AuditLog& audit,
           const crypto::SecretBytes& totp_key, IdentityOptions options = {});

  // ---- Bootstrap ----
  // The first account of a zone, with the administrator role and the operator's chosen
  // password; only while no account exists (FailedPrecondition otherwise). Audited as
  // "system". The account must still enrol TOTP at its first sign-in.
  Result<int64_t> CreateFirstAdministrator(const NewUser& user, std::string_view password);

  // ---- Sign-in and credentials on the wire ----
  // Errors: Unauthenticated (wrong username, password or TOTP: one message for all, so
  // as not to reveal which), PermissionDenied (account disabled or locked by an
  // administrator), ResourceExhausted (backoff after repeated failures, for the account
  // or the address; the message says how long), Aborted (concurrent change; retry).
  Result<LoginResult> Login(const LoginRequest& request);
  // The actor behind a bearer credential ("szs_..." session or "sza_..." API token).
  // Unauthenticated if unknown, expired, revoked, or the account is no longer active.
  Result<authz::Actor> Authenticate(std::string_view bearer);
  // Ends the actor's own session.
  Status Logout(const authz::Actor& actor, std::string_view request_id);
  // Ends every session of `user_id` (self: self-service; another user: administrator).
  Status LogoutEverywhere(const authz::Actor& actor, int64_t user_id, std::string_view request_id);
  Result<std::vector<SessionInfo>> ListSessions(const authz::Actor& actor,
                                                std::string_view request_id);

  // ---- Self-service ----
  Status ChangePassword(const authz::Actor& actor, std::string_view current_password,
                        std::string_view new_password, std::string_view request_id);
  // Starts TOTP enrolment: a new secret, stored wrapped and unconfirmed. FailedPrecondition
  // if a confirmed enrolment exists (an administrator must reset it first, so that a
  // stolen session cannot move the second factor).
  Result<TotpEnrolment> BeginTotpEnrolment(const authz::Actor& actor, std::string_view request_id);
  // Confirms with a code from the new secret. Unauthenticated if the code is wrong.
  Status ConfirmTotpEnrolment(const authz::Actor& actor, std::string_view code,
                              std::string_view request_id);
  // Unauthenticated if the TOTP code is wrong or spent (counts toward the backoff).
  Result<NewApiToken> CreateApiToken(const authz::Actor& actor, const ApiTokenRequest& request,
                                     std::string_view request_id);
  Result<std::vector<ApiTokenInfo>> ListApiTokens(const authz::Actor& actor,
                                                  std::string_view request_id);
  Status RevokeApiToken(const authz::Actor& actor, int64_t token_id, std::string_view request_id);

  // ---- Administration ----
  Result<NewAccount> CreateUser(const authz::Actor& actor, const NewUser& user,
                                std::string_view request_id);
  Result<UserInfo> GetUser(const authz::Actor& actor, int64_t user_id, std::string_view request_id);
  Result<std::vector<UserInfo>> ListUsers(const authz::Actor& actor, std::string_view request_id);
  Status GrantRole(const authz::Actor& actor, int64_t user_id, authz::RoleGrant grant,
                   std::string_view request_id);
  Status RevokeRole(const authz::Actor& actor, int64_t user_id, authz::RoleGrant grant,
                    std::string_view request_id);
  Status SetAccreditation(const authz::Actor& actor, int64_t user_id, std::optional<Date> expires,
                          std::string_view request_id);
  // Disabling or locking also ends the user's sessions.
  Status SetStatus(const authz::Actor& actor, int64_t user_id, AccountStatus status,
                   std::string_view request_id);
  // Clears the failure backoff (and an administrator lock).
  Status Unlock(const authz::Actor& actor, int64_t user_id, std::string_view request_id);
  // A new temporary password (returned; show once), must be changed at next sign-in;
  // ends the user's sessions and API tokens.
  Result<std::string> ResetPassword(const authz::Actor& actor, int64_t user_id,
                                    std::string_view request_id);
  // Removes the TOTP enrolment (lost phone); the user re-enrols at next sign-in; ends the
  // user's sessions and API tokens.
  Status ResetTotp(const authz::Actor& actor, int64_t user_id, std::string_view request_id);

  // ---- Per-address throttle (the server calls these for any credential check) ----
  // How long `address` must still wait (0 if not blocked).
  Result<std::chrono::seconds> AddressBlockedFor(std::string_view address);
  Status RecordAddressFailure(std::string_view address);
  Status ResetAddress(std::string_view address);

 private:
  struct UserRow;
  Result<std::optional<UserRow>> LoadUser(int64_t id);
  Result<std::optional<UserRow>> LoadUserByName(std::string_view username);
  Result<std::vector<authz::RoleGrant>> LoadRoles(int64_t user_id);
  Result<UserInfo> ToInfo(const UserRow& row);
  Result<authz::Actor> ActorFor(const UserRow& row, authz::AuthMethod method, int64_t credential);
  Result<authz::Actor> AuthenticateSession(std::string_view token);
  Result<authz::Actor> AuthenticateApiToken(std::string_view token);
  Status InsertRoles(int64_t user_id, const std::vector<authz::RoleGrant>& roles, int64_t by);
  Result<int64_t> InsertUser(const NewUser& user, std::string_view password_hash, bool must_change);
  Status RevokeAllCredentials(int64_t user_id, std::optional<int64_t> keep_session);
  Status RecordLoginFailure(const UserRow& row, std::string_view address);
  Status AddressFailureInTxn(std::string_view address);
  Status LoginAudit(const std::string& actor, const std::string& object, audit::Outcome outcome,
                    std::string reason, std::string_view request_id, bool own_transaction);
  Result<UserRow> RequireUser(int64_t user_id);
  // Runs `change` in a transaction after authorizing `action` on `object`, recording
  // the permit with `note` in the same transaction.
  template <typename Fn>
  Status Guarded(const authz::Actor& actor, authz::Action action, const authz::Object& object,
                 std::string_view request_id, std::string note, Fn&& change);

  storage::SqliteDb& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const crypto::SecretBytes& totp_key_;
  IdentityOptions options_;
};

// The identity tables (same as Identity::CreateSchema), for the zone's init/open sequence.
inline Status CreateSchema(storage::SqliteDb& db) { return Identity::CreateSchema(db); }

}  // namespace sz::identity
