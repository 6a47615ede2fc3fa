// Internals shared by the files implementing identity.h; not API.
#pragma once

#include <optional>
#include <string>

#include "authz/guard.h"
#include "identity/identity.h"

namespace sz::identity {

struct Identity::UserRow {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string institution;
  AccountStatus status = AccountStatus::kActive;
  std::string password_hash;
  bool must_change_password = false;
  std::optional<std::string> totp_wrapped;  // wrapped secret; nullopt: none
  bool totp_confirmed = false;
  std::optional<int64_t> totp_last_step;
  int failed_logins = 0;
  int64_t locked_until = 0;  // Unix seconds; 0: not locked
  std::optional<Date> accreditation_expires;
};

Result<AccountStatus> ParseAccountStatus(std::string_view name);
// The purpose a user's TOTP secret is wrapped for (binds it to that account).
std::string TotpPurpose(int64_t user_id);
// "user:17/kim": the audit label of an account.
std::string UserLabel(int64_t id, std::string_view username);

template <typename Fn>
Status Identity::Guarded(const authz::Actor& actor, authz::Action action,
                         const authz::Object& object, std::string_view request_id, std::string note,
                         Fn&& change) {
  SZ_ASSIGN_OR_RETURN(authz::Permit permit,
                      authz::Authorize(db_, audit_, actor, action, object, request_id));
  Status result = [&]() -> Status {
    SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db_));
    SZ_RETURN_IF_ERROR(change());
    SZ_RETURN_IF_ERROR(std::move(permit).Record(db_, authz::AuditDetails::Note(note)));
    return txn.Commit();
  }();
  if (!result.ok()) {
    // The transaction rolled back; leave the failed attempt on the trail.
    (void)std::move(permit).RecordFailure(db_, result);
  }
  return result;
}

}  // namespace sz::identity
