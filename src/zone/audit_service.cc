#include "zone/audit_service.h"

#include "audit/archive.h"
#include "fmt/format.h"

namespace sz::zone {

using authz::Action;

namespace {

// A filter value that ends in `sep` selects by prefix; anything else matches exactly.
bool IsPrefix(std::string_view value, std::string_view seps) {
  return !value.empty() && seps.find(value.back()) != std::string_view::npos;
}

Status ValidateFilter(const AuditFilter& f) {
  if (f.limit < 1 || f.limit > 1000) return InvalidArgument("limit must be between 1 and 1000");
  if (f.after_seq < 0) return InvalidArgument("after must be a sequence number (0 or more)");
  if (!f.outcome.empty()) SZ_RETURN_IF_ERROR(audit::ParseOutcome(f.outcome).status());
  return OkStatus();
}

}  // namespace

Result<std::vector<audit::StoredEntry>> ListAuditEntries(Zone& zone, const Caller& caller,
                                                         const AuditFilter& filter) {
  SZ_RETURN_IF_ERROR(ValidateFilter(filter));
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, Action::kAuditRead, authz::Object::AuditTrail()));
  // Empty parameters disable their condition; a prefix parameter compares the leading
  // characters (substr, not LIKE, so that '%' and '_' in labels need no escaping).
  constexpr std::string_view kSql =
      "SELECT seq, time, actor, action, object, outcome, reason, query_digest, query_sealed, "
      "datasets, request_id, prev_hash, hash FROM audit_entries WHERE seq > ?1 "
      "AND (?2 = '' OR (?3 = 0 AND actor = ?2) OR (?3 = 1 AND substr(actor, 1, length(?2)) = ?2)) "
      "AND (?4 = '' OR (?5 = 0 AND action = ?4) OR (?5 = 1 AND substr(action, 1, length(?4)) = "
      "?4)) "
      "AND (?6 = '' OR object = ?6) AND (?7 = '' OR outcome = ?7) AND (?8 = '' OR request_id = ?8) "
      "AND (?9 = 0 OR time >= ?9) AND (?10 = 0 OR time < ?10) ORDER BY seq LIMIT ?11";
  SZ_ASSIGN_OR_RETURN(auto st, zone.db().Prepare(kSql));
  st.Bind(1, filter.after_seq).Bind(2, filter.actor).Bind(3, IsPrefix(filter.actor, "/:") ? 1 : 0);
  st.Bind(4, filter.action).Bind(5, IsPrefix(filter.action, ".") ? 1 : 0).Bind(6, filter.object);
  st.Bind(7, filter.outcome).Bind(8, filter.request_id).Bind(9, filter.since);
  st.Bind(10, filter.until).Bind(11, filter.limit);
  std::vector<audit::StoredEntry> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    audit::StoredEntry e;
    e.seq = st.Int64(0);
    e.time = st.Int64(1);
    e.actor = st.Text(2);
    e.action = st.Text(3);
    e.object = st.Text(4);
    e.outcome = st.Text(5);
    e.reason = st.Text(6);
    e.query_digest = st.Text(7);
    e.query_sealed = st.Blob(8);
    e.datasets = st.Text(9);
    e.request_id = st.Text(10);
    e.prev_hash = st.Text(11);
    e.hash = st.Text(12);
    out.push_back(std::move(e));
  }
  return out;
}

Result<audit::VerifyReport> VerifyAuditTrail(Zone& zone, const Caller& caller) {
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, Action::kAuditVerify, authz::Object::AuditTrail()));
  audit::VerifyOptions options;
  options.checkpoint_interval = zone.audit().options().checkpoint_interval;
  return audit::Verify(zone.db(), zone.audit_public_key(), options);
}

Status ExportAuditTrail(Zone& zone, const Caller& caller, ArchiveFormat format, std::ostream& out) {
  SZ_RETURN_IF_ERROR(
      CheckRead(zone, caller, Action::kAuditExport, authz::Object::AuditTrail(),
                authz::AuditDetails::Note(format == ArchiveFormat::kCsv ? "csv" : "jsonl")));
  // The export's own entry is the newest now; a checkpoint over it makes the archive end
  // on a signed entry, so truncating the archive is detectable.
  SZ_RETURN_IF_ERROR(zone.audit().CheckpointNow(zone.db()).status());
  if (format == ArchiveFormat::kCsv) return audit::ExportCsv(zone.db(), zone.audit(), out);
  return audit::ExportJsonl(zone.db(), zone.audit(), out);
}

}  // namespace sz::zone
