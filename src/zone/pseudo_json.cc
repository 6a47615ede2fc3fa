#include "zone/pseudo_json.h"

namespace sz::zone {

namespace {

using Json = nlohmann::json;

Json Parse(const std::string& text) { return Json::parse(text, nullptr, /*allow_exceptions=*/false); }

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

}  // namespace

Json ToJson(const JobInfo& j) {
  Json out;
  out["id"] = j.id;
  out["dataset"] = j.dataset;
  out["input_version"] = j.input_version;
  out["output_version"] = j.output_version;
  out["policy"] = j.policy_name;
  out["project"] = j.project;
  out["pass"] = j.pass;
  out["state"] = JobStateName(j.state);
  out["run_by"] = j.run_by;
  out["run_at"] = j.run_at;
  out["decided_by"] = OrNull(j.decided_by);
  out["decided_at"] = OrNull(j.decided_at);
  out["comment"] = OrNull(j.comment);
  out["verdicts"] = Json::array();
  for (const auto& v : j.verdicts) {
    out["verdicts"].push_back(
        {{"metric", v.threshold.metric},
         {"comparison", v.threshold.comparison == pseudo::Comparison::kAtLeast ? "at_least" : "at_most"},
         {"value", v.threshold.value},
         {"actual", v.actual ? Json(*v.actual) : Json(nullptr)},
         {"pass", v.pass}});
  }
  return out;
}

Json ToJson(const RunResult& run) {
  Json out;
  out["job"] = ToJson(run.job);
  out["report"] = Parse(pseudo::RenderJson(run.report));
  out["seconds"] = {{"read", run.stats.read_seconds},
                    {"transform", run.stats.transform_seconds},
                    {"assess", run.stats.assess_seconds},
                    {"seal", run.stats.seal_seconds},
                    {"total", run.stats.total_seconds}};
  return out;
}

Json ToJson(const SuggestedPolicy& s) {
  return {{"policy", Parse(pseudo::PolicyToJson(s.policy))},
          {"thresholds", Parse(ThresholdsToJson(s.thresholds))},
          {"text", s.text}};
}

Json ToJson(const ValidatedPolicy& v) {
  return {{"version", v.version},
          {"name", v.policy.name},
          {"rules", v.policy.columns.size()},
          {"thresholds", Parse(ThresholdsToJson(v.thresholds))}};
}

Json ToJson(const HierarchyInfo& h) {
  return {{"name", h.name},     {"sha256", h.sha256},           {"levels", h.levels},
          {"values", h.values}, {"uploaded_by", h.uploaded_by}, {"uploaded_at", h.uploaded_at}};
}

Json ToJson(const SearchOutcome& s) {
  Json out;
  out["dataset"] = s.dataset;
  out["version"] = s.version;
  out["rows"] = s.rows;
  out["levels"] = Json::array();
  for (const auto& l : s.levels) {
    out["levels"].push_back({{"column", l.column}, {"hierarchy", l.hierarchy}, {"level", l.level}, {"levels", l.levels}});
  }
  out["value"] = s.value;
  out["loss"] = s.utility.loss;
  out["precision"] = s.utility.precision;
  out["discernibility"] = s.utility.discernibility;
  out["average_class_size"] = s.utility.average_class_size;
  out["classes"] = s.classes;
  out["suppressed_records"] = s.suppressed_records;
  out["models"] = s.models;
  out["optimal"] = s.optimal;
  out["nodes_checked"] = s.nodes_checked;
  out["nodes_tagged"] = s.nodes_tagged;
  out["lattice_nodes"] = s.lattice_nodes;
  out["seconds"] = s.seconds;
  pseudo::Policy p;
  p.columns = s.rules;
  out["rules"] = Parse(pseudo::PolicyToJson(p))["columns"];
  out["rules_yaml"] = s.rules_yaml;
  return out;
}

}  // namespace sz::zone
