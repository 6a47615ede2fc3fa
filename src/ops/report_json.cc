#include "ops/report_json.h"

namespace sz::ops {

using nlohmann::json;

namespace {

json Thresholds(const ReportThresholds& t) {
  return {{"route_min_requests", t.route_min_requests},
          {"route_slow_p95_ms", t.route_slow_p95_ms},
          {"dataset_min_queries", t.dataset_min_queries}};
}

// Parses everything; nlohmann throws on a type mismatch, which the caller catches.
UsageReport Parse(const json& j) {
  UsageReport r;
  r.zone_name = j.at("zone").get<std::string>();
  auto month = Month::Parse(j.at("month").get<std::string>());
  if (!month.ok()) throw std::invalid_argument("month");
  r.month = *month;
  r.generated_at = j.at("generated_at").get<std::string>();
  const json& th = j.at("thresholds");
  r.thresholds.route_min_requests = th.at("route_min_requests").get<int64_t>();
  r.thresholds.route_slow_p95_ms = th.at("route_slow_p95_ms").get<double>();
  r.thresholds.dataset_min_queries = th.at("dataset_min_queries").get<int64_t>();
  const json& t = j.at("totals");
  UsageTotals& o = r.totals;
  o.requests = t.at("requests").get<int64_t>();
  o.client_errors = t.at("client_errors").get<int64_t>();
  o.server_errors = t.at("server_errors").get<int64_t>();
  o.queries = t.at("queries").get<int64_t>();
  o.failed_queries = t.at("failed_queries").get<int64_t>();
  o.exports_approved = t.at("exports_approved").get<int64_t>();
  o.exports_rejected = t.at("exports_rejected").get<int64_t>();
  o.active_users = t.at("active_users").get<int64_t>();
  o.active_projects = t.at("active_projects").get<int64_t>();
  for (const json& s : j.at("sectors")) {
    r.sectors.push_back({s.at("name").get<std::string>(), s.at("title_ko").get<std::string>(),
                         s.at("title_en").get<std::string>(), s.at("datasets").get<int64_t>(),
                         s.at("projects").get<int64_t>(), s.at("queries").get<int64_t>(),
                         s.at("failed_queries").get<int64_t>(),
                         s.at("exports_approved").get<int64_t>(),
                         s.at("exports_rejected").get<int64_t>(),
                         s.at("active_users").get<int64_t>()});
  }
  for (const json& d : j.at("datasets")) {
    r.datasets.push_back({d.at("id").get<int64_t>(), d.at("name").get<std::string>(),
                          d.at("title_ko").get<std::string>(), d.at("title_en").get<std::string>(),
                          d.at("sector").get<std::string>(), d.at("tier").get<std::string>(),
                          d.at("projects").get<int64_t>(), d.at("queries").get<int64_t>(),
                          d.at("failed_queries").get<int64_t>(),
                          d.at("exports_approved").get<int64_t>(),
                          d.at("exports_rejected").get<int64_t>(),
                          d.at("active_users").get<int64_t>()});
  }
  for (const json& x : j.at("routes")) {
    r.routes.push_back({x.at("method").get<std::string>(), x.at("route").get<std::string>(),
                        x.at("requests").get<int64_t>(), x.at("client_errors").get<int64_t>(),
                        x.at("server_errors").get<int64_t>(), x.at("p50_ms").get<double>(),
                        x.at("p95_ms").get<double>(), x.at("p99_ms").get<double>()});
  }
  for (const json& d : j.at("days")) {
    r.days.push_back({d.at("day").get<std::string>(), d.at("requests").get<int64_t>(),
                      d.at("errors").get<int64_t>(), d.at("queries").get<int64_t>(),
                      d.at("active_users").get<int64_t>()});
  }
  for (const json& f : j.at("flags")) {
    auto kind = ParseFlagKind(f.at("kind").get<std::string>());
    if (!kind.ok()) throw std::invalid_argument("flag kind");
    r.flags.push_back({*kind, f.at("subject").get<std::string>(), f.at("value").get<double>(),
                       f.at("threshold").get<double>()});
  }
  return r;
}

}  // namespace

json ToJson(const UsageReport& r) {
  const UsageTotals& t = r.totals;
  json j = {{"zone", r.zone_name},
            {"month", r.month.ToString()},
            {"generated_at", r.generated_at},
            {"thresholds", Thresholds(r.thresholds)},
            {"totals",
             {{"requests", t.requests},
              {"client_errors", t.client_errors},
              {"server_errors", t.server_errors},
              {"queries", t.queries},
              {"failed_queries", t.failed_queries},
              {"exports_approved", t.exports_approved},
              {"exports_rejected", t.exports_rejected},
              {"active_users", t.active_users},
              {"active_projects", t.active_projects}}}};
  json sectors = json::array(), datasets = json::array(), routes = json::array(),
       days = json::array(), flags = json::array();
  for (const SectorUsage& s : r.sectors) {
    sectors.push_back({{"name", s.name},
                       {"title_ko", s.title_ko},
                       {"title_en", s.title_en},
                       {"datasets", s.datasets},
                       {"projects", s.projects},
                       {"queries", s.queries},
                       {"failed_queries", s.failed_queries},
                       {"exports_approved", s.exports_approved},
                       {"exports_rejected", s.exports_rejected},
                       {"active_users", s.active_users}});
  }
  for (const DatasetUsage& d : r.datasets) {
    datasets.push_back({{"id", d.id},
                        {"name", d.name},
                        {"title_ko", d.title_ko},
                        {"title_en", d.title_en},
                        {"sector", d.sector},
                        {"tier", d.tier},
                        {"projects", d.projects},
                        {"queries", d.queries},
                        {"failed_queries", d.failed_queries},
                        {"exports_approved", d.exports_approved},
                        {"exports_rejected", d.exports_rejected},
                        {"active_users", d.active_users}});
  }
  for (const RouteUsage& x : r.routes) {
    routes.push_back({{"method", x.method},
                      {"route", x.route},
                      {"requests", x.requests},
                      {"client_errors", x.client_errors},
                      {"server_errors", x.server_errors},
                      {"p50_ms", x.p50_ms},
                      {"p95_ms", x.p95_ms},
                      {"p99_ms", x.p99_ms}});
  }
  for (const DayUsage& d : r.days) {
    days.push_back({{"day", d.day},
                    {"requests", d.requests},
                    {"errors", d.errors},
                    {"queries", d.queries},
                    {"active_users", d.active_users}});
  }
  for (const Flag& f : r.flags) {
    flags.push_back({{"kind", FlagKindName(f.kind)},
                     {"subject", f.subject},
                     {"value", f.value},
                     {"threshold", f.threshold}});
  }
  j["sectors"] = sectors;
  j["datasets"] = datasets;
  j["routes"] = routes;
  j["days"] = days;
  j["flags"] = flags;
  return j;
}

Result<UsageReport> UsageReportFromJson(const json& j) {
  try {
    return Parse(j);
  } catch (const std::exception&) {
    return InvalidArgument("the server's report is not in the expected shape; update the CLI");
  }
}

}  // namespace sz::ops
