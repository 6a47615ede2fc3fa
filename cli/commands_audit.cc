// safezone audit entries | verify | export — locally as the operator (--zone) or through
// the API as the auditor.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/app.h"
#include "cli/client_mode.h"
#include "cli/render.h"
#include "common/clock.h"
#include "fmt/format.h"
#include "server/api_json.h"
#include "zone/audit_service.h"

namespace sz::cli {

namespace {

using nlohmann::json;

Result<int64_t> TimeArg(const std::string& text) {
  if (text.empty()) return int64_t{0};
  if (text.size() == 10) {
    SZ_ASSIGN_OR_RETURN(Date d, ParseDate(text));
    return ToUnix(SeoulMidnight(d));
  }
  SZ_ASSIGN_OR_RETURN(Time t, ParseUtc(text));
  return ToUnix(t);
}

Result<json> EntriesJson(Context& ctx) {
  const Args& a = ctx.args;
  if (ctx.Local()) {
    zone::AuditFilter f;
    f.after_seq = a.after;
    f.limit = a.limit;
    f.actor = a.actor;
    f.action = a.action;
    f.object = a.object;
    f.outcome = a.outcome;
    f.request_id = a.request_id;
    SZ_ASSIGN_OR_RETURN(f.since, TimeArg(a.since));
    SZ_ASSIGN_OR_RETURN(f.until, TimeArg(a.until));
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto entries, zone::ListAuditEntries(*z, zone::Caller::Operator(), f));
    json out = json::array();
    for (const auto& e : entries) out.push_back(server::ToJson(e));
    return out;
  }
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  server::QueryParams q = {{"after", std::to_string(a.after)}, {"limit", std::to_string(a.limit)}};
  for (const auto& [k, v] : {std::pair{"actor", a.actor},
                             {"action", a.action},
                             {"object", a.object},
                             {"outcome", a.outcome},
                             {"request_id", a.request_id},
                             {"since", a.since},
                             {"until", a.until}}) {
    if (!v.empty()) q[k] = v;
  }
  SZ_ASSIGN_OR_RETURN(json r, api.Get("/api/v1/audit/entries", q));
  return r["entries"];
}

Status Entries(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(json entries, EntriesJson(ctx));
  if (ctx.json) {
    PrintJson(entries);
    return OkStatus();
  }
  Table t({"seq", "time", "actor", "action", "object", "outcome", "reason", "request"});
  for (const auto& e : entries) {
    t.Add({std::to_string(e.value("seq", int64_t{0})), e.value("time", ""), e.value("actor", ""),
           e.value("action", ""), e.value("object", ""), e.value("outcome", ""),
           e.value("reason", ""), e.value("request_id", "")});
  }
  std::fputs(t.Render().c_str(), stdout);
  if (static_cast<int64_t>(entries.size()) == ctx.args.limit && !entries.empty()) {
    std::printf("more: --after %lld\n",
                static_cast<long long>(entries.back().value("seq", int64_t{0})));
  }
  return OkStatus();
}

Status Verify(Context& ctx) {
  json report;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto r, zone::VerifyAuditTrail(*z, zone::Caller::Operator()));
    report = server::ToJson(r);
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_ASSIGN_OR_RETURN(report, api.Post("/api/v1/audit/verify"));
  }
  if (ctx.json) PrintJson(report);
  if (!report.value("ok", false)) {
    return DataLoss(fmt::format("audit trail damaged at entry {}: {} ({})",
                                report.value("first_bad_seq", int64_t{0}),
                                report.value("problem", ""), report.value("detail", "")));
  }
  if (!ctx.json) {
    std::printf(
        "audit trail intact: %lld entries, %lld checkpoint signatures verified (last seq %lld, "
        "hash %s)\n",
        static_cast<long long>(report.value("entries", int64_t{0})),
        static_cast<long long>(report.value("checkpoints", int64_t{0})),
        static_cast<long long>(report.value("last_seq", int64_t{0})),
        report.value("last_hash", "").substr(0, 16).c_str());
  }
  return OkStatus();
}

Status Export(Context& ctx) {
  const Args& a = ctx.args;
  if (a.archive_format != "jsonl" && a.archive_format != "csv")
    return InvalidArgument("--format is jsonl or csv");
  std::string archive;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    std::ostringstream out;
    SZ_RETURN_IF_ERROR(zone::ExportAuditTrail(
        *z, zone::Caller::Operator(),
        a.archive_format == "csv" ? zone::ArchiveFormat::kCsv : zone::ArchiveFormat::kJsonl, out));
    archive = std::move(out).str();
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_ASSIGN_OR_RETURN(archive,
                        api.GetRaw("/api/v1/audit/export", {{"format", a.archive_format}}));
  }
  if (a.output.empty()) {
    std::fwrite(archive.data(), 1, archive.size(), stdout);
    return OkStatus();
  }
  std::ofstream f(a.output, std::ios::binary | std::ios::trunc);
  f << archive;
  if (!f.flush()) return FailedPrecondition(fmt::format("cannot write {}", a.output));
  std::fprintf(stderr, "wrote %s (%s)\n", a.output.c_str(), HumanBytes(archive.size()).c_str());
  return OkStatus();
}

}  // namespace

void AddAuditCommands(CLI::App& app, Context& ctx) {
  Args& a = ctx.args;
  auto* audit = app.add_subcommand(
      "audit", "The audit trail: entries, verification, archives (auditor or operator)");
  audit->require_subcommand(1);
  auto* entries = audit->add_subcommand("entries", "List entries, oldest first");
  entries->add_option("--after", a.after, "Entries after this sequence number");
  entries->add_option("--limit", a.limit, "At most this many (1-1000, default 100)");
  entries->add_option("--actor", a.actor,
                      "Exact label (user:17/kim) or a prefix ending in '/' or ':'");
  entries->add_option("--action", a.action, "Exact (catalog.read) or a prefix ending in '.'");
  entries->add_option("--object", a.object, "Exact label (dataset:12)");
  entries->add_option("--outcome", a.outcome, "allow, deny or error");
  entries->add_option("--request-id", a.request_id, "Entries of one API request");
  entries->add_option("--since", a.since, "YYYY-MM-DD (Seoul) or UTC time, inclusive");
  entries->add_option("--until", a.until, "YYYY-MM-DD (Seoul) or UTC time, exclusive");
  entries->callback([&ctx] { ctx.status = Entries(ctx); });
  audit->add_subcommand("verify", "Verify the hash chain and the signed checkpoints")
      ->callback([&ctx] { ctx.status = Verify(ctx); });
  auto* exp = audit->add_subcommand(
      "export", "Export the trail as JSON Lines or CSV, verifiable with the public key");
  exp->add_option("--format", a.archive_format, "jsonl (default) or csv");
  exp->add_option("--output,-o", a.output, "File to write (default: stdout)");
  exp->callback([&ctx] { ctx.status = Export(ctx); });
}

}  // namespace sz::cli
