// Sign-in, failure backoff and the per-address throttle (identity.h).
#include <algorithm>

#include "crypto/keys.h"
#include "fmt/format.h"
#include "identity/identity_internal.h"
#include "identity/password.h"
#include "identity/tokens.h"

namespace sz::identity {

namespace {

constexpr std::string_view kLoginAction = "session.login";
// One message for an unknown username, a wrong password and a wrong TOTP code, so that a
// guesser learns nothing about which part was right.
constexpr std::string_view kWrongCredentials =
    "the username, password or TOTP code is wrong; check them and try again";

// base * 2^(n - threshold), capped; 0 below the threshold.
int64_t BackoffSeconds(int failures, int threshold, std::chrono::seconds base,
                       std::chrono::seconds cap) {
  if (failures < threshold) return 0;
  int doublings = std::min(failures - threshold, 30);
  int64_t delay = base.count() << doublings;
  return std::min<int64_t>(delay, cap.count());
}

// Rolls back by destroying the transaction, so that an error entry can follow on its own.
void Abandon(storage::Transaction txn) { (void)txn; }

}  // namespace

Status Identity::LoginAudit(const std::string& actor, const std::string& object,
                            audit::Outcome outcome, std::string reason, std::string_view request_id,
                            bool own_transaction) {
  audit::Entry entry;
  entry.actor = actor;
  entry.action = std::string(kLoginAction);
  entry.object = object;
  entry.outcome = outcome;
  entry.reason = std::move(reason);
  entry.request_id = std::string(request_id);
  if (own_transaction) return authz::AppendStandalone(db_, audit_, entry);
  return audit_.Append(db_, entry).status();
}

Result<std::chrono::seconds> Identity::AddressBlockedFor(std::string_view address) {
  SZ_ASSIGN_OR_RETURN(
      storage::Statement st,
      db_.Query("SELECT blocked_until FROM identity_address_failures WHERE address = ?1", address));
  SZ_ASSIGN_OR_RETURN(bool found, st.Step());
  if (!found) return std::chrono::seconds(0);
  int64_t wait = st.Int64(0) - ToUnix(clock_.Now());
  return std::chrono::seconds(std::max<int64_t>(wait, 0));
}

Status Identity::AddressFailureInTxn(std::string_view address) {
  if (address.empty()) return OkStatus();
  int64_t now = ToUnix(clock_.Now());
  SZ_ASSIGN_OR_RETURN(
      storage::Statement st,
      db_.Query("SELECT failures, last_failure FROM identity_address_failures WHERE address = ?1",
                address));
  SZ_ASSIGN_OR_RETURN(bool found, st.Step());
  int failures = 1;
  if (found && now - st.Int64(1) < options_.address_window.count()) {
    failures = static_cast<int>(st.Int64(0)) + 1;
  }
  int64_t wait = BackoffSeconds(failures, options_.address_threshold, options_.address_base,
                                options_.lockout_max);
  return db_.Run(
      "INSERT INTO identity_address_failures (address, failures, last_failure, blocked_until) "
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(address) DO UPDATE SET failures = ?2, "
      "last_failure = ?3, blocked_until = ?4",
      address, failures, now, wait > 0 ? now + wait : 0);
}

Status Identity::RecordAddressFailure(std::string_view address) {
  SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
  SZ_RETURN_IF_ERROR(AddressFailureInTxn(address));
  return txn.Commit();
}

Status Identity::ResetAddress(std::string_view address) {
  return db_.Run("DELETE FROM identity_address_failures WHERE address = ?1", address);
}

Status Identity::RecordLoginFailure(const UserRow& row, std::string_view address) {
  int failures = row.failed_logins + 1;
  int64_t now = ToUnix(clock_.Now());
  int64_t wait = BackoffSeconds(failures, options_.lockout_threshold, options_.lockout_base,
                                options_.lockout_max);
  SZ_RETURN_IF_ERROR(
      db_.Run("UPDATE identity_users SET failed_logins = ?2, locked_until = ?3 WHERE id = ?1",
              row.id, failures, wait > 0 ? now + wait : 0));
  return AddressFailureInTxn(address);
}

Result<LoginResult> Identity::Login(const LoginRequest& request) {
  if (!request.address.empty()) {
    SZ_ASSIGN_OR_RETURN(std::chrono::seconds wait, AddressBlockedFor(request.address));
    if (wait.count() > 0) {
      SZ_RETURN_IF_ERROR(LoginAudit("unknown", "user:?", audit::Outcome::kDeny,
                                    "refused: address throttled after repeated failures",
                                    request.request_id, true));
      return ResourceExhausted(fmt::format(
          "too many failed sign-ins from this address; try again in {} s", wait.count()));
    }
  }
  SZ_ASSIGN_OR_RETURN(std::optional<UserRow> found, LoadUserByName(request.username));
  if (!found) {
    // The attempted name is not recorded: people type passwords into the username field.
    BurnPasswordVerification(request.password);
    SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
    SZ_RETURN_IF_ERROR(AddressFailureInTxn(request.address));
    SZ_RETURN_IF_ERROR(LoginAudit("unknown", "user:?", audit::Outcome::kDeny, "unknown username",
                                  request.request_id, false));
    SZ_RETURN_IF_ERROR(txn.Commit());
    return Unauthenticated(std::string(kWrongCredentials));
  }
  const std::string label = UserLabel(found->id, found->username);
  const std::string object = fmt::format("user:{}", found->id);
  auto refuse_backoff = [&](int64_t until, bool own) -> Status {
    SZ_RETURN_IF_ERROR(LoginAudit(label, object, audit::Outcome::kDeny,
                                  "refused during failure backoff", request.request_id, own));
    return ResourceExhausted(
        fmt::format("too many failed sign-ins for this account; try again in {} s",
                    until - ToUnix(clock_.Now())));
  };
  if (found->locked_until > ToUnix(clock_.Now())) return refuse_backoff(found->locked_until, true);

  // The slow part (Argon2id) runs outside the transaction so that sign-ins do not hold the
  // database's write lock; the row is re-read inside and must not have changed meanwhile.
  bool password_ok = VerifyPassword(found->password_hash, request.password);
  std::optional<std::string> rehash;
  if (password_ok && PasswordNeedsRehash(found->password_hash)) {
    auto h = HashPassword(request.password);
    if (h.ok()) rehash = *h;
  }

  SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
  SZ_ASSIGN_OR_RETURN(std::optional<UserRow> fresh, LoadUser(found->id));
  if (!fresh || fresh->password_hash != found->password_hash) {
    Abandon(std::move(txn));
    SZ_RETURN_IF_ERROR(LoginAudit(label, object, audit::Outcome::kError,
                                  "the account changed during sign-in", request.request_id, true));
    return Aborted("the account changed during sign-in; try again");
  }
  const UserRow& row = *fresh;
  auto fail = [&](std::string reason) -> Status {
    SZ_RETURN_IF_ERROR(RecordLoginFailure(row, request.address));
    SZ_RETURN_IF_ERROR(LoginAudit(label, object, audit::Outcome::kDeny, std::move(reason),
                                  request.request_id, false));
    SZ_RETURN_IF_ERROR(txn.Commit());
    return Unauthenticated(std::string(kWrongCredentials));
  };
  if (row.locked_until > ToUnix(clock_.Now())) {
    Status s = refuse_backoff(row.locked_until, false);
    SZ_RETURN_IF_ERROR(txn.Commit());
    return s;
  }
  if (!password_ok) return fail("wrong password");
  if (row.status != AccountStatus::kActive) {
    SZ_RETURN_IF_ERROR(LoginAudit(label, object, audit::Outcome::kDeny,
                                  fmt::format("account {}", AccountStatusName(row.status)),
                                  request.request_id, false));
    SZ_RETURN_IF_ERROR(txn.Commit());
    return PermissionDenied(
        fmt::format("this account is {}; contact an administrator", AccountStatusName(row.status)));
  }
  std::optional<int64_t> step;
  if (row.totp_confirmed) {
    auto secret = row.totp_wrapped
                      ? crypto::UnwrapKey(totp_key_, *row.totp_wrapped, TotpPurpose(row.id))
                      : Result<crypto::SecretBytes>(DataLoss("the TOTP secret is missing"));
    if (!secret.ok()) {
      Abandon(std::move(txn));
      SZ_RETURN_IF_ERROR(LoginAudit(label, object, audit::Outcome::kError,
                                    "the stored TOTP secret does not open", request.request_id,
                                    true));
      return DataLoss(
          "the account's TOTP secret does not open with this zone's key; ask for a TOTP reset");
    }
    step = MatchTotp(secret->view(), request.totp_code, clock_.Now(), row.totp_last_step);
    if (!step) return fail("wrong or reused TOTP code");
  }

  int64_t now = ToUnix(clock_.Now());
  SZ_RETURN_IF_ERROR(
      db_.Run("UPDATE identity_users SET failed_logins = 0, locked_until = 0, "
              "totp_last_step = COALESCE(?2, totp_last_step), "
              "password_hash = COALESCE(?3, password_hash) WHERE id = ?1",
              row.id, step, rehash));
  if (!request.address.empty()) {
    SZ_RETURN_IF_ERROR(
        db_.Run("DELETE FROM identity_address_failures WHERE address = ?1", request.address));
  }
  LoginResult result;
  result.user_id = row.id;
  result.token = NewToken(TokenKind::kSession);
  result.must_enrol_totp = !row.totp_confirmed;
  result.must_change_password = row.must_change_password;
  result.idle_expires = FromUnix(now) + options_.session_idle;
  result.absolute_expires = FromUnix(now) + options_.session_absolute;
  SZ_RETURN_IF_ERROR(
      db_.Run("INSERT INTO identity_sessions (token_hash, user_id, created_at, last_seen) "
              "VALUES (?1, ?2, ?3, ?3)",
              TokenHash(result.token), row.id, now));
  result.session_id = db_.LastInsertId();
  std::string reason = fmt::format("signed in, session {}", result.session_id);
  if (result.must_enrol_totp) reason += "; restricted until TOTP enrolment";
  if (result.must_change_password) reason += "; restricted until the password is changed";
  SZ_RETURN_IF_ERROR(LoginAudit(label, object, audit::Outcome::kAllow, std::move(reason),
                                request.request_id, false));
  SZ_RETURN_IF_ERROR(txn.Commit());
  return result;
}

}  // namespace sz::identity
