#include "zone/analysis_json.h"

#include "crypto/secret.h"
#include "disclosure/checks.h"
#include "zone/output_json.h"

namespace sz::zone {

namespace dc = sz::disclosure;
using nlohmann::json;

namespace {

json FindingJson(const dc::Finding& f) {
  return json{{"rule", dc::RuleName(f.rule)},
              {"verdict", dc::VerdictName(f.verdict)},
              {"en", f.en},
              {"ko", f.ko}};
}

json ValueJson(const duck::Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return std::get<std::string>(v);
}

}  // namespace

json ToJson(const Project& p, Date today) {
  json members = json::array();
  for (const auto& m : p.members) {
    members.push_back(
        {{"user_id", m.user_id}, {"username", m.username}, {"role", MemberRoleName(m.role)}});
  }
  json datasets = json::array();
  for (const auto& d : p.datasets) {
    datasets.push_back({{"name", d.name},
                        {"version", d.version},
                        {"tier", d.tier},
                        {"provider", d.provider},
                        {"columns", d.columns},
                        {"person_column", d.person_column},
                        {"row_is_person", d.row_is_person}});
  }
  return json{{"id", p.id},
              {"name", p.name},
              {"title", p.title},
              {"purpose", p.purpose},
              {"state", ProjectStateName(p.state)},
              {"effective_state", EffectiveStateName(p.EffectiveOn(today))},
              {"start", FormatDate(p.start)},
              {"end", FormatDate(p.end)},
              {"two_reviewers", p.two_reviewers},
              {"created_by", p.created_by},
              {"created_at", p.created_at},
              {"approved_by", p.approved_by},
              {"approved_at", p.approved_at},
              {"closed_by", p.closed_by},
              {"closed_at", p.closed_at},
              {"members", std::move(members)},
              {"datasets", std::move(datasets)}};
}

json ToJson(const OutputInfo& o) {
  return json{{"id", o.id},
              {"name", o.name},
              {"kind", OutputKindName(o.kind)},
              {"revision", o.revision},
              {"content_sha256", o.content_sha256},
              {"created_by", o.created_by},
              {"created_at", o.created_at},
              {"updated_at", o.updated_at}};
}

json ToJson(const ExportRequest& r, bool cells) {
  json items = json::array();
  for (const auto& item : r.items) {
    json votes = json::array();
    for (const auto& v : item.votes) {
      votes.push_back(
          {{"reviewer", v.reviewer}, {"decision", DecisionName(v.decision)}, {"at", v.at}});
    }
    json findings = json::array();
    for (const auto& f : item.report.findings) findings.push_back(FindingJson(f));
    json j{{"output", item.output_name},
           {"kind", OutputKindName(item.kind)},
           {"revision", item.revision},
           {"checked_sha256", item.checked_sha256},
           {"verdict", dc::VerdictName(item.verdict)},
           {"summary", item.summary},
           {"mitigation", MitigationName(item.mitigation)},
           {"exception_request", item.exception_request},
           {"exception_granted", item.exception_granted},
           {"decision", DecisionName(item.decision)},
           {"votes", std::move(votes)},
           {"findings", std::move(findings)}};
    if (cells) {
      json cell_checks = json::array();
      for (const auto& c : item.report.cells) {
        json f = json::array();
        for (const auto& x : c.findings) f.push_back(FindingJson(x));
        cell_checks.push_back(
            {{"verdict", dc::VerdictName(c.verdict)}, {"findings", std::move(f)}});
      }
      j["cells"] = std::move(cell_checks);
    }
    items.push_back(std::move(j));
  }
  json comments = json::array();
  for (const auto& c : r.comments) {
    comments.push_back({{"id", c.id},
                        {"output_id", c.output_id},
                        {"author", c.author},
                        {"visibility", VisibilityName(c.visibility)},
                        {"body", c.body},
                        {"at", c.at}});
  }
  json history = json::array();
  for (const auto& h : r.history) {
    history.push_back({{"from", ExportStateName(h.from)},
                       {"to", ExportStateName(h.to)},
                       {"actor", h.actor},
                       {"at", h.at}});
  }
  return json{{"id", r.id},
              {"project", r.project},
              {"requester", r.requester},
              {"state", ExportStateName(r.state)},
              {"two_reviewers", r.two_reviewers},
              {"purpose", r.purpose},
              {"created_at", r.created_at},
              {"updated_at", r.updated_at},
              {"decided_by", r.decided_by},
              {"decided_at", r.decided_at},
              {"release_id", r.release_id},
              {"items", std::move(items)},
              {"comments", std::move(comments)},
              {"history", std::move(history)}};
}

json ToJson(const ReleaseInfo& r) {
  return json{{"id", r.id},
              {"request_id", r.request_id},
              {"project_id", r.project_id},
              {"manifest_sha256", r.manifest_sha256},
              {"key_id", r.key_id},
              {"created_at", r.created_at}};
}

json ToJson(const workspace::StatementResult& r) {
  json rows = json::array();
  for (const auto& row : r.rows) {
    json out = json::array();
    for (const auto& v : row) out.push_back(ValueJson(v));
    rows.push_back(std::move(out));
  }
  return json{{"columns", r.columns},     {"types", r.types},     {"rows", std::move(rows)},
              {"truncated", r.truncated}, {"message", r.message}, {"datasets", r.touched}};
}

json ToJson(const OutputContent& c) {
  json files = json::array();
  for (const auto& f : c.attachments) {
    files.push_back({{"name", f.name},
                     {"size", f.content.size()},
                     {"sha256", crypto::Sha256Hex(f.content)},
                     {"content_base64", crypto::ToBase64(f.content)}});
  }
  return json{{"kind", OutputKindName(c.kind)},
              {"output", json::parse(OutputToJson(c.output).dump())},
              {"definition", c.definition},
              {"datasets", c.datasets},
              {"attachments", std::move(files)}};
}

json ToJson(const workspace::Tabulation& t) {
  dc::Output o;
  o.type = t.type;
  o.body = t.table;
  json out = json::parse(OutputToJson(o).dump());
  return json{{"type", dc::OutputTypeName(t.type)},
              {"table", std::move(out["body"]["table"])},
              {"datasets", t.touched}};
}

json ToJson(const workspace::RegressionFit& f) {
  json coefficients = json::array();
  for (const auto& c : f.coefficients) {
    coefficients.push_back(
        {{"term", c.term}, {"estimate", c.estimate}, {"std_error", c.std_error}});
  }
  return json{{"coefficients", std::move(coefficients)},
              {"observations", f.observations},
              {"persons", f.persons},
              {"parameters", f.parameters},
              {"residual_df", f.residual_df},
              {"r_squared", f.r_squared},
              {"datasets", f.touched}};
}

json ToJson(const WorkspaceSessionInfo& s) {
  json tables = json::array();
  for (const auto& t : s.tables) tables.push_back({{"name", t.name}, {"columns", t.columns}});
  return json{
      {"id", s.id},
      {"project", s.project},
      {"opened", FormatUtc(s.opened)},
      {"last_used", FormatUtc(s.last_used)},
      {"running", s.running},
      {"limits",
       {{"timeout_seconds",
         std::chrono::duration_cast<std::chrono::seconds>(s.limits.query_timeout).count()},
        {"memory", s.limits.memory_limit},
        {"threads", s.limits.threads},
        {"max_rows", s.limits.max_result_rows}}},
      {"person_column", workspace::kPersonColumn},
      {"tables", std::move(tables)}};
}

json ToJson(const ReleasePackage& p, bool contents) {
  json files = json::array();
  for (const auto& f : p.files) {
    json j{{"name", f.name}, {"size", f.content.size()}, {"sha256", crypto::Sha256Hex(f.content)}};
    if (contents) j["content_base64"] = crypto::ToBase64(f.content);
    files.push_back(std::move(j));
  }
  return json{{"release", ToJson(p.info)}, {"files", std::move(files)}};
}

}  // namespace sz::zone
