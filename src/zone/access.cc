#include "zone/access.h"

#include "fmt/format.h"

namespace sz::zone {

Caller Caller::Operator(std::string request_id) { return Caller{std::nullopt, std::move(request_id)}; }

Caller Caller::Person(authz::Actor actor, std::string request_id) {
  return Caller{std::move(actor), std::move(request_id)};
}

std::string Caller::Label() const { return actor ? authz::ActorLabel(*actor) : "operator"; }

Result<Access> Access::Check(Zone& zone, const Caller& caller, authz::Action action,
                             const authz::Object& object) {
  if (caller.actor) {
    SZ_ASSIGN_OR_RETURN(authz::Permit permit, authz::Authorize(zone.db(), zone.audit(), *caller.actor,
                                                               action, object, caller.request_id));
    return Access(zone, std::move(permit), {});
  }
  audit::Entry entry;
  entry.actor = "operator";
  entry.action = std::string(authz::ActionName(action));
  entry.object = authz::ObjectLabel(object);
  entry.outcome = audit::Outcome::kAllow;
  entry.reason = "local operator holding the master key";
  entry.request_id = caller.request_id;
  return Access(zone, std::nullopt, std::move(entry));
}

Status Access::Record(const authz::AuditDetails& details) && {
  if (permit_) return std::move(*permit_).Record(zone_->db(), details);
  authz::AddDetails(operator_entry_, details);
  return zone_->audit().Append(zone_->db(), operator_entry_).status();
}

Status Access::RecordFailure(const Status& failure) && {
  if (permit_) return std::move(*permit_).RecordFailure(zone_->db(), failure);
  operator_entry_.outcome = authz::FailureOutcome(failure);
  operator_entry_.reason = fmt::format("{}: {}", CodeName(failure.code()), failure.message());
  return authz::AppendStandalone(zone_->db(), zone_->audit(), operator_entry_);
}

Status Access::RecordFailure(const Status& failure, const authz::AuditDetails& details) && {
  if (permit_) return std::move(*permit_).RecordFailure(zone_->db(), failure, details);
  operator_entry_.query_text = details.query_text;
  operator_entry_.datasets = details.datasets;
  return std::move(*this).RecordFailure(failure);
}

Status CheckRead(Zone& zone, const Caller& caller, authz::Action action, const authz::Object& object,
                 const authz::AuditDetails& details) {
  SZ_ASSIGN_OR_RETURN(Access access, Access::Check(zone, caller, action, object));
  SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone.db()));
  SZ_RETURN_IF_ERROR(std::move(access).Record(details));
  return txn.Commit();
}

authz::Object DatasetObject(int64_t id, std::string_view provider, std::string_view tier) {
  auto parsed = authz::ParseTier(tier);
  // An unknown tier is treated as the most protected one.
  return authz::Object::Dataset(id, std::string(provider), parsed.ok() ? *parsed : authz::Tier::kNonOpen);
}

}  // namespace sz::zone
