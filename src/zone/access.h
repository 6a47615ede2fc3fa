// Who is asking, and the one door every use case goes through.
//
// A Caller is either a signed-in person (an authz::Actor from a session or API token) or
// the zone's operator at the console, holding the master key. A person's request is
// decided by authz::Decide; the operator is trusted (they hold the key) but is audited
// exactly the same way. An Access is the permission for one action: its audit entry is
// written by Record() inside the transaction that makes the change, so there is no
// change without its entry and no entry for a change that rolled back. A denial is
// audited and returned as PERMISSION_DENIED / UNAUTHENTICATED.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "authz/guard.h"
#include "authz/policy.h"
#include "common/status.h"
#include "zone/zone.h"

namespace sz::zone {

struct Caller {
  std::optional<authz::Actor> actor;  // nullopt: the local operator
  std::string request_id;

  static Caller Operator(std::string request_id = "");
  static Caller Person(authz::Actor actor, std::string request_id);
  bool is_operator() const { return !actor.has_value(); }
  // "operator" or "user:17/kim": for created_by columns and audit entries.
  std::string Label() const;
  int64_t user_id() const { return actor ? actor->user_id : 0; }
};

class [[nodiscard]] Access {
 public:
  // Decides and, for a denial, audits it and returns the error. Must be called before
  // the action's transaction is opened.
  static Result<Access> Check(Zone& zone, const Caller& caller, authz::Action action,
                              const authz::Object& object);
  Access(Access&&) noexcept = default;
  Access& operator=(Access&&) = delete;

  // Writes the audit entry; call inside the transaction that makes the change.
  Status Record(const authz::AuditDetails& details = {}) &&;
  // Records that the allowed action failed (after its transaction rolled back).
  Status RecordFailure(const Status& failure) &&;
  // The same, keeping the query text and datasets of `details`.
  Status RecordFailure(const Status& failure, const authz::AuditDetails& details) &&;

 private:
  Access(Zone& zone, std::optional<authz::Permit> permit, audit::Entry operator_entry)
      : zone_(&zone), permit_(std::move(permit)), operator_entry_(std::move(operator_entry)) {}
  Zone* zone_;
  std::optional<authz::Permit> permit_;  // a person's
  audit::Entry operator_entry_;          // the operator's
};

// Check + Record in a transaction of its own, for actions that change nothing (reads).
Status CheckRead(Zone& zone, const Caller& caller, authz::Action action, const authz::Object& object,
                 const authz::AuditDetails& details = {});

// Runs `change` inside a transaction together with `access`'s audit entry; if anything
// fails, the transaction rolls back and the failure is audited.
Status Audited(Zone& zone, Access& access, const authz::AuditDetails& details,
               const std::function<Status()>& change);

// The authorization object for a catalogued dataset.
authz::Object DatasetObject(int64_t id, std::string_view provider, std::string_view tier);

}  // namespace sz::zone
