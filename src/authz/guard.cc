#include "authz/guard.h"

#include "fmt/format.h"

namespace sz::authz {

namespace {

Status DeniedStatus(const Decision& d) {
  std::string message = fmt::format("not allowed: {}", d.text());
  if (d.reason == Reason::kUnauthenticated) return Unauthenticated(std::move(message));
  return PermissionDenied(std::move(message));
}

bool InTransaction(storage::SqliteDb& db) { return sqlite3_get_autocommit(db.raw()) == 0; }

}  // namespace

void AddDetails(audit::Entry& entry, const AuditDetails& details) {
  if (!details.note.empty()) entry.reason += "; " + details.note;
  entry.query_text = details.query_text;
  entry.datasets = details.datasets;
}

Status AppendStandalone(storage::SqliteDb& db, const audit::AuditLog& log,
                        const audit::Entry& entry) {
  if (InTransaction(db)) {
    return FailedPrecondition(
        "this audit entry must commit on its own; call before opening a transaction");
  }
  SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db));
  SZ_RETURN_IF_ERROR(log.Append(db, entry).status());
  return txn.Commit();
}

Result<Permit> Authorize(storage::SqliteDb& db, const audit::AuditLog& log, const Actor& actor,
                         Action action, const Object& object, std::string_view request_id) {
  if (InTransaction(db)) {
    return FailedPrecondition("authorize before opening the action's transaction");
  }
  Decision decision = Decide(actor, action, object);
  audit::Entry entry;
  entry.actor = ActorLabel(actor);
  entry.action = std::string(ActionName(action));
  entry.object = ObjectLabel(object);
  entry.outcome = decision.allowed ? audit::Outcome::kAllow : audit::Outcome::kDeny;
  entry.reason = std::string(decision.text());
  entry.request_id = std::string(request_id);
  if (!decision.allowed) {
    SZ_RETURN_IF_ERROR(AppendStandalone(db, log, entry));
    return DeniedStatus(decision);
  }
  return Permit(log, std::move(entry), decision);
}

Status Permit::Record(storage::SqliteDb& db, const AuditDetails& details) && {
  if (recorded_) return FailedPrecondition("this permit was already recorded");
  recorded_ = true;
  AddDetails(entry_, details);
  return log_->Append(db, entry_).status();
}

audit::Outcome FailureOutcome(const Status& failure) {
  return failure.code() == Code::kPermissionDenied ? audit::Outcome::kDeny : audit::Outcome::kError;
}

Status Permit::RecordFailure(storage::SqliteDb& db, const Status& failure) && {
  if (failure_recorded_) return FailedPrecondition("this failure was already recorded");
  failure_recorded_ = true;
  entry_.outcome = FailureOutcome(failure);
  entry_.reason = fmt::format("{}: {}", CodeName(failure.code()), failure.message());
  return AppendStandalone(db, *log_, entry_);
}

Status Permit::RecordFailure(storage::SqliteDb& db, const Status& failure,
                             const AuditDetails& details) && {
  entry_.query_text = details.query_text;
  entry_.datasets = details.datasets;
  return std::move(*this).RecordFailure(db, failure);
}

Status AuthorizeRead(storage::SqliteDb& db, const audit::AuditLog& log, const Actor& actor,
                     Action action, const Object& object, std::string_view request_id,
                     const AuditDetails& details) {
  SZ_ASSIGN_OR_RETURN(Permit permit, Authorize(db, log, actor, action, object, request_id));
  SZ_ASSIGN_OR_RETURN(storage::Transaction txn, storage::Transaction::Begin(db));
  SZ_RETURN_IF_ERROR(std::move(permit).Record(db, details));
  return txn.Commit();
}

}  // namespace sz::authz
