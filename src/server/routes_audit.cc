// /api/v1/audit/...: the audit trail for the auditor (authz decides).
#include <sstream>

#include "server/api.h"
#include "server/api_json.h"
#include "zone/audit_service.h"

namespace sz::server {

namespace {

using nlohmann::json;

Result<int64_t> QueryTime(const Call& call, std::string_view key) {
  SZ_ASSIGN_OR_RETURN(std::string text, QueryParam(call, key));
  if (text.empty()) return int64_t{0};
  if (text.size() == 10) {  // a Seoul calendar day
    SZ_ASSIGN_OR_RETURN(Date d, ParseDate(text));
    return ToUnix(SeoulMidnight(d));
  }
  SZ_ASSIGN_OR_RETURN(Time t, ParseUtc(text));
  return ToUnix(t);
}

Result<Reply> Entries(Call& call) {
  zone::AuditFilter f;
  SZ_ASSIGN_OR_RETURN(f.after_seq, QueryInt(call, "after", 0));
  SZ_ASSIGN_OR_RETURN(f.limit, QueryInt(call, "limit", 100));
  SZ_ASSIGN_OR_RETURN(f.actor, QueryParam(call, "actor"));
  SZ_ASSIGN_OR_RETURN(f.action, QueryParam(call, "action"));
  SZ_ASSIGN_OR_RETURN(f.object, QueryParam(call, "object"));
  SZ_ASSIGN_OR_RETURN(f.outcome, QueryParam(call, "outcome"));
  SZ_ASSIGN_OR_RETURN(f.request_id, QueryParam(call, "request_id"));
  SZ_ASSIGN_OR_RETURN(f.since, QueryTime(call, "since"));
  SZ_ASSIGN_OR_RETURN(f.until, QueryTime(call, "until"));
  SZ_ASSIGN_OR_RETURN(auto entries, zone::ListAuditEntries(call.zone, call.caller(), f));
  json out = json::array();
  for (const auto& e : entries) out.push_back(ToJson(e));
  json j = {{"entries", out}};
  // The cursor for the next page: pass it back as ?after=.
  j["next_after"] =
      static_cast<int64_t>(entries.size()) == f.limit ? json(entries.back().seq) : json(nullptr);
  return Reply::Json(j);
}

Result<Reply> Verify(Call& call) {
  SZ_ASSIGN_OR_RETURN(audit::VerifyReport report, zone::VerifyAuditTrail(call.zone, call.caller()));
  return Reply::Json(ToJson(report));
}

Result<Reply> Export(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string format, QueryParam(call, "format"));
  if (!format.empty() && format != "jsonl" && format != "csv")
    return InvalidArgument("format is jsonl or csv");
  bool csv = format == "csv";
  std::ostringstream out;
  SZ_RETURN_IF_ERROR(
      zone::ExportAuditTrail(call.zone, call.caller(),
                             csv ? zone::ArchiveFormat::kCsv : zone::ArchiveFormat::kJsonl, out));
  Reply r;
  r.raw = std::move(out).str();
  r.content_type = csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
  r.filename = csv ? "audit.csv" : "audit.jsonl";
  return r;
}

}  // namespace

void AddAuditRoutes(std::vector<Route>& r) {
  r.push_back({Method::kGet, "/api/v1/audit/entries", Auth::kRequired, Body::kNone, Entries});
  r.push_back({Method::kPost, "/api/v1/audit/verify", Auth::kRequired, Body::kNone, Verify});
  r.push_back({Method::kGet, "/api/v1/audit/export", Auth::kRequired, Body::kNone, Export});
}

}  // namespace sz::server
