// /api/v1/pseudonymization/..., /api/v1/datasets/{name}/pseudonymization/...,
// /api/v1/datasets/{name}/anonymization/search, /api/v1/datasets/{name}/detokenization:
// the pseudonymization centre (officers). Authorization and auditing happen in the zone
// calls (zone/pseudonymize.h, anonymize.h, hierarchies.h, keyring.h).
#include "fmt/format.h"
#include "server/api.h"
#include "zone/anonymize.h"
#include "zone/hierarchies.h"
#include "zone/keyring.h"
#include "zone/pseudo_json.h"
#include "zone/pseudonymize.h"

namespace sz::server {

namespace {

using nlohmann::json;

// A policy document fits the JSON body limit; larger hierarchies are uploaded.
constexpr size_t kMaxPolicyBytes = 60 << 10;

Result<int> VersionField(const json& body) {
  SZ_ASSIGN_OR_RETURN(int64_t v, IntField(body, "version", 0));
  if (v < 0 || v > 1000000) return InvalidArgument("version must be 0 (the default) or a version number");
  return static_cast<int>(v);
}

Result<Reply> ListHierarchies(Call& call) {
  SZ_ASSIGN_OR_RETURN(auto list, zone::ListHierarchies(call.zone, call.caller()));
  json out = json::array();
  for (const auto& h : list) out.push_back(zone::ToJson(h));
  return Reply::Json({{"hierarchies", out}});
}

Result<Reply> UploadHierarchy(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, QueryParam(call, "name"));
  SZ_RETURN_IF_ERROR(zone::ValidateName("hierarchy", name));
  SZ_ASSIGN_OR_RETURN(uint64_t size, call.upload->Size());
  if (size > zone::kMaxHierarchyBytes) {
    return ResourceExhausted(fmt::format("a hierarchy may have at most {} bytes", zone::kMaxHierarchyBytes));
  }
  SZ_ASSIGN_OR_RETURN(std::string csv, call.upload->ReadAll());
  SZ_ASSIGN_OR_RETURN(auto h, zone::UploadHierarchy(call.zone, call.caller(), name, csv));
  return Reply::Json(zone::ToJson(h), 201);
}

Result<Reply> Suggest(Call& call) {
  zone::SuggestRequest r;
  SZ_ASSIGN_OR_RETURN(r.dataset, NameParam(call, "dataset", "name"));
  SZ_ASSIGN_OR_RETURN(int64_t version, QueryInt(call, "version", 0));
  if (version < 0 || version > 1000000) return InvalidArgument("version must be 0 (the default) or a version number");
  r.version = static_cast<int>(version);
  SZ_ASSIGN_OR_RETURN(r.project, QueryParam(call, "project"));
  SZ_ASSIGN_OR_RETURN(r.reversible_rrn, QueryBool(call, "reversible_rrn", false));
  SZ_ASSIGN_OR_RETURN(r.as_of, QueryParam(call, "as_of"));
  SZ_ASSIGN_OR_RETURN(auto s, zone::SuggestPseudonymizationPolicy(call.zone, call.caller(), r));
  return Reply::Json(zone::ToJson(s));
}

Result<Reply> Validate(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, NameParam(call, "dataset", "name"));
  SZ_ASSIGN_OR_RETURN(int version, VersionField(call.body));
  SZ_ASSIGN_OR_RETURN(std::string policy, StringField(call.body, "policy", true, kMaxPolicyBytes));
  SZ_ASSIGN_OR_RETURN(auto v, zone::ValidatePseudonymizationPolicy(call.zone, call.caller(), name, version, policy));
  return Reply::Json(zone::ToJson(v));
}

Result<Reply> RunJob(Call& call) {
  zone::RunRequest r;
  SZ_ASSIGN_OR_RETURN(r.dataset, StringField(call.body, "dataset", true, 63));
  SZ_RETURN_IF_ERROR(zone::ValidateName("dataset", r.dataset));
  SZ_ASSIGN_OR_RETURN(r.version, VersionField(call.body));
  SZ_ASSIGN_OR_RETURN(r.policy_text, StringField(call.body, "policy", true, kMaxPolicyBytes));
  SZ_ASSIGN_OR_RETURN(r.project, StringField(call.body, "project", false, 63));
  SZ_ASSIGN_OR_RETURN(r.summary, StringField(call.body, "summary", false, 2000));
  r.threads = call.settings ? call.settings->import_threads : 1;
  SZ_ASSIGN_OR_RETURN(auto run, zone::RunPseudonymization(call.zone, call.caller(), r));
  return Reply::Json(zone::ToJson(run), 201);
}

Result<Reply> ListJobs(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string dataset, QueryParam(call, "dataset"));
  if (!dataset.empty()) SZ_RETURN_IF_ERROR(zone::ValidateName("dataset", dataset));
  SZ_ASSIGN_OR_RETURN(auto jobs, zone::ListJobs(call.zone, call.caller(), dataset));
  json out = json::array();
  for (const auto& j : jobs) out.push_back(zone::ToJson(j));
  return Reply::Json({{"jobs", out}});
}

Result<Reply> GetJob(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  SZ_ASSIGN_OR_RETURN(auto job, zone::GetJob(call.zone, call.caller(), id));
  return Reply::Json(zone::ToJson(job));
}

Result<Reply> Report(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  SZ_ASSIGN_OR_RETURN(std::string format_name, QueryParam(call, "format"));
  SZ_ASSIGN_OR_RETURN(std::string lang_name, QueryParam(call, "lang"));
  SZ_ASSIGN_OR_RETURN(auto format, zone::ParseReportFormat(format_name.empty() ? "json" : format_name));
  SZ_ASSIGN_OR_RETURN(auto lang, zone::ParseReportLang(lang_name.empty() ? "ko" : lang_name));
  SZ_ASSIGN_OR_RETURN(std::string text, zone::RenderJobReport(call.zone, call.caller(), id, format, lang));
  if (format == zone::ReportFormat::kJson) return Reply::Json(json::parse(text));
  Reply r;
  r.raw = std::move(text);
  const bool html = format == zone::ReportFormat::kHtml;
  r.content_type = html ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8";
  r.filename = fmt::format("adequacy-report-{}.{}", id, html ? "html" : "md");
  return r;
}

Result<Reply> Decide(Call& call) {
  SZ_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "id"));
  zone::SignOffDecision d;
  auto approve = call.body.find("approve");
  if (approve == call.body.end() || !approve->is_boolean()) {
    return InvalidArgument("field 'approve' is required: true to sign off, false to reject");
  }
  d.approve = approve->get<bool>();
  SZ_ASSIGN_OR_RETURN(d.comment, StringField(call.body, "comment", true, 2000));
  SZ_ASSIGN_OR_RETURN(auto job, zone::DecideJob(call.zone, call.caller(), id, d));
  return Reply::Json(zone::ToJson(job));
}

Result<Reply> Search(Call& call) {
  zone::SearchRequest r;
  SZ_ASSIGN_OR_RETURN(r.dataset, NameParam(call, "dataset", "name"));
  SZ_ASSIGN_OR_RETURN(r.version, VersionField(call.body));
  auto qis = call.body.find("quasi_identifiers");
  if (qis == call.body.end() || !qis->is_array() || qis->empty() || qis->size() > 64) {
    return InvalidArgument("field 'quasi_identifiers' must list 1-64 {column, hierarchy} objects");
  }
  for (const auto& q : *qis) {
    if (!q.is_object()) return InvalidArgument("field 'quasi_identifiers' must list {column, hierarchy} objects");
    zone::QiHierarchy qh;
    SZ_ASSIGN_OR_RETURN(qh.column, StringField(q, "column", true, 256));
    SZ_ASSIGN_OR_RETURN(qh.hierarchy, StringField(q, "hierarchy", true, 63));
    r.quasi_identifiers.push_back(std::move(qh));
  }
  SZ_ASSIGN_OR_RETURN(r.k, IntField(call.body, "k", 5));
  SZ_ASSIGN_OR_RETURN(r.l, IntField(call.body, "l", 0));
  SZ_ASSIGN_OR_RETURN(r.sensitive, StringField(call.body, "sensitive", false, 256));
  SZ_ASSIGN_OR_RETURN(r.t_ordered, BoolField(call.body, "t_ordered", false));
  for (auto [key, out] : {std::pair{"t", &r.t}, std::pair{"suppression", &r.suppression}}) {
    auto it = call.body.find(key);
    if (it == call.body.end() || it->is_null()) continue;
    if (!it->is_number()) return InvalidArgument(fmt::format("field '{}' must be a number", key));
    *out = it->get<double>();
  }
  SZ_ASSIGN_OR_RETURN(std::string metric, StringField(call.body, "metric", false, 64));
  if (!metric.empty()) {
    bool found = false;
    for (auto m : {privacy::UtilityMetric::kLoss, privacy::UtilityMetric::kPrecision,
                   privacy::UtilityMetric::kDiscernibility, privacy::UtilityMetric::kNonUniformEntropy,
                   privacy::UtilityMetric::kAverageClassSize}) {
      std::string n(privacy::UtilityMetricName(m));
      for (char& c : n)
        if (c == ' ' || c == '-') c = '_';
      if (n == metric) {
        r.metric = m;
        found = true;
      }
    }
    if (!found) {
      return InvalidArgument("metric is loss, precision, discernibility, non_uniform_entropy or average_class_size");
    }
  }
  r.threads = call.settings ? call.settings->import_threads : 1;
  SZ_ASSIGN_OR_RETURN(auto outcome, zone::SearchAnonymization(call.zone, call.caller(), r));
  return Reply::Json(zone::ToJson(outcome));
}

// Re-identification is prohibited: the zone refuses and audits every attempt. The route
// exists so that the refusal is explicit (403) and on the trail, not a 404.
Result<Reply> Detokenize(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, NameParam(call, "dataset", "name"));
  SZ_ASSIGN_OR_RETURN(std::string column, StringField(call.body, "column", true, 256));
  size_t tokens = 0;
  if (auto it = call.body.find("tokens"); it != call.body.end() && it->is_array()) tokens = it->size();
  SZ_RETURN_IF_ERROR(zone::DetokenizeValues(call.zone, call.caller(), name, column, tokens));
  return Internal("detokenization is never performed");
}

}  // namespace

void AddPseudonymizationRoutes(std::vector<Route>& r) {
  r.push_back({Method::kGet, "/api/v1/pseudonymization/hierarchies", Auth::kRequired, Body::kNone,
               ListHierarchies});
  r.push_back({Method::kPost, "/api/v1/pseudonymization/hierarchies", Auth::kRequired, Body::kUpload,
               UploadHierarchy});
  r.push_back({Method::kGet, "/api/v1/datasets/{name}/pseudonymization/suggestion", Auth::kRequired,
               Body::kNone, Suggest});
  r.push_back({Method::kPost, "/api/v1/datasets/{name}/pseudonymization/validation", Auth::kRequired,
               Body::kJson, Validate});
  r.push_back({Method::kPost, "/api/v1/datasets/{name}/anonymization/search", Auth::kRequired, Body::kJson,
               Search});
  r.push_back({Method::kPost, "/api/v1/datasets/{name}/detokenization", Auth::kRequired, Body::kJson,
               Detokenize});
  r.push_back({Method::kPost, "/api/v1/pseudonymization/jobs", Auth::kRequired, Body::kJson, RunJob});
  r.push_back({Method::kGet, "/api/v1/pseudonymization/jobs", Auth::kRequired, Body::kNone, ListJobs});
  r.push_back({Method::kGet, "/api/v1/pseudonymization/jobs/{id}", Auth::kRequired, Body::kNone, GetJob});
  r.push_back({Method::kGet, "/api/v1/pseudonymization/jobs/{id}/report", Auth::kRequired, Body::kNone, Report});
  r.push_back({Method::kPost, "/api/v1/pseudonymization/jobs/{id}/decision", Auth::kRequired, Body::kJson,
               Decide});
}

}  // namespace sz::server
