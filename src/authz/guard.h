// The guard: authorization and its audit entry in one step, so neither can be forgotten.
//
// Use cases call Authorize() before they start their transaction:
//
//   SZ_ASSIGN_OR_RETURN(authz::Permit permit,
//                       authz::Authorize(db, log, actor, Action::kExportReview, object, rid));
//   SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db));
//   ... the state change ...
//   SZ_RETURN_IF_ERROR(std::move(permit).Record(db, details));
//   SZ_RETURN_IF_ERROR(txn.Commit());
//
// A denial is recorded (in its own transaction) before Authorize returns
// PermissionDenied (or Unauthenticated), so every refusal is on the trail. An allowed
// action is recorded by Permit::Record inside the action's own transaction, so the entry
// commits exactly when the action does. If the action then fails, call
// Permit::RecordFailure after the rollback: the trail shows the attempt as an error.
// Read-only actions use AuthorizeRead, which records the allow entry at once.
//
// Thread-safety: Permit is a move-only value used by one thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "authz/policy.h"
#include "common/status.h"
#include "storage/sqlite.h"

namespace sz::authz {

struct AuditDetails {
  std::string note;                   // appended to the reason; no raw identifiers
  std::string query_text;             // stored digested and encrypted
  std::vector<std::string> datasets;  // "dataset:12@3"

  static AuditDetails Note(std::string note) {
    AuditDetails d;
    d.note = std::move(note);
    return d;
  }
};

// Adds `details` to an entry (note to the reason, query text, datasets touched).
void AddDetails(audit::Entry& entry, const AuditDetails& details);

class [[nodiscard]] Permit {
 public:
  Permit(Permit&&) noexcept = default;
  Permit& operator=(Permit&&) = delete;
  Permit(const Permit&) = delete;

  // Appends the allow entry inside the transaction open on `db`.
  Status Record(storage::SqliteDb& db, const AuditDetails& details = {}) &&;
  // Appends an error entry in a transaction of its own (the action's was rolled back,
  // possibly after Record).
  Status RecordFailure(storage::SqliteDb& db, const Status& failure) &&;
  // The same, with the query text and datasets of `details` (the reason stays the failure).
  Status RecordFailure(storage::SqliteDb& db, const Status& failure, const AuditDetails& details) &&;

  const Decision& decision() const { return decision_; }

 private:
  friend Result<Permit> Authorize(storage::SqliteDb&, const audit::AuditLog&, const Actor&, Action,
                                  const Object&, std::string_view);
  Permit(const audit::AuditLog& log, audit::Entry entry, Decision decision)
      : log_(&log), entry_(std::move(entry)), decision_(decision) {}

  const audit::AuditLog* log_;
  audit::Entry entry_;
  Decision decision_;
  bool recorded_ = false;
  bool failure_recorded_ = false;
};

// Decides; on deny appends the deny entry and returns PermissionDenied (Unauthenticated
// for an anonymous actor) with the reason. FailedPrecondition if called inside a
// transaction (a denial must commit on its own).
Result<Permit> Authorize(storage::SqliteDb& db, const audit::AuditLog& log, const Actor& actor,
                         Action action, const Object& object, std::string_view request_id);

// For actions that change nothing: decides and records either outcome at once.
Status AuthorizeRead(storage::SqliteDb& db, const audit::AuditLog& log, const Actor& actor,
                     Action action, const Object& object, std::string_view request_id,
                     const AuditDetails& details = {});

// The audit outcome of an allowed action that then failed: `deny` when a later check
// refused it (PermissionDenied, e.g. a workspace statement trying to read a file), so that
// auditors find refusals under one outcome; `error` for everything else.
audit::Outcome FailureOutcome(const Status& failure);

// Appends `entry` in a transaction of its own. FailedPrecondition inside a transaction.
Status AppendStandalone(storage::SqliteDb& db, const audit::AuditLog& log,
                        const audit::Entry& entry);

}  // namespace sz::authz
