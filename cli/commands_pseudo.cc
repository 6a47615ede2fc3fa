// safezone pseudo suggest | validate | run | report | signoff | jobs | hierarchy upload/list
// safezone anonymize search
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/app.h"
#include "cli/render.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "zone/anonymize.h"
#include "zone/hierarchies.h"
#include "zone/pseudonymize.h"

namespace sz::cli {

namespace {

using Json = nlohmann::json;

void PrintJson(const Json& j) { std::printf("%s\n", j.dump(2, ' ', false, Json::error_handler_t::replace).c_str()); }

Result<std::string> ReadFile(const std::string& path, std::string_view what) {
  if (path.empty()) return InvalidArgument(fmt::format("name the {} file", what));
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(fmt::format("cannot read {} file {}", what, path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status WriteOut(const std::string& path, const std::string& text) {
  if (path.empty()) {
    std::fputs(text.c_str(), stdout);
    return OkStatus();
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Unavailable(fmt::format("cannot write {}", path));
  out << text;
  out.close();
  if (!out) return Unavailable(fmt::format("cannot write {}", path));
  std::fprintf(stderr, "wrote %s\n", path.c_str());
  return OkStatus();
}

std::string Number(std::optional<double> v) {
  if (!v) return "-";
  if (*v == static_cast<double>(static_cast<int64_t>(*v)) && std::abs(*v) < 1e15) return fmt::format("{}", static_cast<int64_t>(*v));
  return fmt::format("{:.4g}", *v);
}

std::optional<double> BeforeOf(const pseudo::AdequacyReport& r, std::string_view metric) {
  for (const auto* list : {&r.risk, &r.utility})
    for (const auto& m : *list)
      if (m.name == metric) return m.before;
  return std::nullopt;
}

void PrintVerdicts(const zone::JobInfo& job, const pseudo::AdequacyReport& report) {
  Table t({"metric", "required", "before", "after", "verdict"});
  for (const auto& v : job.verdicts) {
    std::string req = fmt::format("{} {}", v.threshold.comparison == pseudo::Comparison::kAtLeast ? ">=" : "<=",
                                  Number(v.threshold.value));
    t.Add({v.threshold.metric, req, Number(BeforeOf(report, v.threshold.metric)), Number(v.actual),
           v.pass ? "pass" : "FAIL"});
  }
  std::fputs(t.Render().c_str(), stdout);
}

Json JobToJson(const zone::JobInfo& j) {
  Json out;
  out["id"] = j.id;
  out["dataset"] = j.dataset;
  out["input_version"] = j.input_version;
  out["output_version"] = j.output_version;
  out["policy"] = j.policy_name;
  out["project"] = j.project;
  out["pass"] = j.pass;
  out["state"] = zone::JobStateName(j.state);
  out["run_by"] = j.run_by;
  out["run_at"] = j.run_at;
  out["decided_by"] = j.decided_by;
  out["decided_at"] = j.decided_at;
  out["comment"] = j.comment;
  out["verdicts"] = Json::array();
  for (const auto& v : j.verdicts) {
    out["verdicts"].push_back({{"metric", v.threshold.metric},
                               {"comparison", v.threshold.comparison == pseudo::Comparison::kAtLeast ? "at_least" : "at_most"},
                               {"value", v.threshold.value},
                               {"actual", v.actual ? Json(*v.actual) : Json(nullptr)},
                               {"pass", v.pass}});
  }
  return out;
}

Status Suggest(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  const Args& a = ctx.args;
  zone::SuggestRequest r{a.name, a.version, a.project, a.reversible_rrn, a.as_of};
  SZ_ASSIGN_OR_RETURN(auto s, zone::SuggestPseudonymizationPolicy(*z, zone::Caller::Operator(), r));
  if (ctx.json) {
    Json j = Json::parse(pseudo::PolicyToJson(s.policy));
    j["thresholds"] = Json::parse(zone::ThresholdsToJson(s.thresholds));
    PrintJson(j);
    return OkStatus();
  }
  return WriteOut(a.out_file, s.text);
}

Status Validate(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(std::string text, ReadFile(ctx.args.policy_file, "policy"));
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto v, zone::ValidatePseudonymizationPolicy(*z, zone::Caller::Operator(), ctx.args.name,
                                                                   ctx.args.version, text));
  std::printf("policy %s is valid for %s version %d: %zu column rule(s); thresholds %s\n",
              v.policy.name.empty() ? "(unnamed)" : v.policy.name.c_str(), ctx.args.name.c_str(), v.version,
              v.policy.columns.size(), zone::ThresholdsToJson(v.thresholds).c_str());
  return OkStatus();
}

Status RunJob(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(std::string text, ReadFile(ctx.args.policy_file, "policy"));
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  const Args& a = ctx.args;
  zone::RunRequest r;
  r.dataset = a.name;
  r.version = a.version;
  r.policy_text = std::move(text);
  r.project = a.project;
  r.summary = a.summary;
  r.threads = a.threads;
  ProgressLine line(!ctx.quiet);
  zone::RunHooks hooks;
  hooks.cancel = &InterruptFlag();
  hooks.progress = [&](const zone::RunProgress& p) {
    if (p.seconds < 1.0) return;  // quick runs (and early errors) need no progress line
    std::string frac = p.fraction >= 0 ? fmt::format(" {:.0f}%", p.fraction * 100) : "";
    line.Update(fmt::format("pseudonymize {}: {}{} ({:.1f} s)", a.name, p.stage, frac, p.seconds));
  };
  SZ_ASSIGN_OR_RETURN(auto result, zone::RunPseudonymization(*z, zone::Caller::Operator(), r, hooks));
  line.Finish();
  const zone::JobInfo& j = result.job;
  if (ctx.json) {
    Json out = JobToJson(j);
    out["seconds"] = result.stats.total_seconds;
    PrintJson(out);
    return OkStatus();
  }
  std::printf("job %lld: %s version %d -> version %d (pseudonymized), %llu rows in, %llu out, %.1f s\n",
              static_cast<long long>(j.id), j.dataset.c_str(), j.input_version, j.output_version,
              static_cast<unsigned long long>(result.report.rows_in),
              static_cast<unsigned long long>(result.report.rows_out), result.stats.total_seconds);
  PrintVerdicts(j, result.report);
  std::printf("verdict: %s\n", j.pass ? "PASS — awaiting sign-off by another pseudonymization officer"
                                      : "FAIL — this version cannot be signed off; change the policy and run again");
  std::printf("report:  safezone pseudo report %lld [--format md|html|json] [--lang ko|en] [-o FILE]\n",
              static_cast<long long>(j.id));
  return OkStatus();
}

Status Report(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto format, zone::ParseReportFormat(ctx.args.report_format));
  SZ_ASSIGN_OR_RETURN(auto lang, zone::ParseReportLang(ctx.args.lang));
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(std::string text, zone::RenderJobReport(*z, zone::Caller::Operator(), ctx.args.job, format, lang));
  return WriteOut(ctx.args.out_file, text);
}

Status SignOff(Context& ctx) {
  const Args& a = ctx.args;
  if (a.approve == a.reject) return InvalidArgument("pass exactly one of --approve or --reject");
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto j, zone::DecideJob(*z, zone::Caller::Operator(), a.job, {a.approve, a.comment}));
  if (ctx.json) {
    PrintJson(JobToJson(j));
    return OkStatus();
  }
  std::printf("job %lld %s by %s: %s version %d %s\n", static_cast<long long>(j.id),
              j.state == zone::JobState::kSignedOff ? "signed off" : "rejected", j.decided_by.c_str(),
              j.dataset.c_str(), j.output_version,
              j.state == zone::JobState::kSignedOff ? "may now be placed in projects" : "stays out of projects");
  return OkStatus();
}

Status Jobs(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto jobs, zone::ListJobs(*z, zone::Caller::Operator(), ctx.args.name));
  if (ctx.json) {
    Json out = Json::array();
    for (const auto& j : jobs) out.push_back(JobToJson(j));
    PrintJson(out);
    return OkStatus();
  }
  Table t({"job", "dataset", "versions", "verdict", "state", "run by", "run at", "decided by", "policy"});
  for (const auto& j : jobs) {
    t.Add({std::to_string(j.id), j.dataset, fmt::format("{} -> {}", j.input_version, j.output_version),
           j.pass ? "pass" : "FAIL", std::string(zone::JobStateName(j.state)), j.run_by, j.run_at, j.decided_by,
           j.policy_name});
  }
  std::fputs(t.Render().c_str(), stdout);
  std::printf("%zu job(s)\n", jobs.size());
  return OkStatus();
}

Status UploadHierarchy(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(std::string csv, ReadFile(ctx.args.file, "hierarchy"));
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto h, zone::UploadHierarchy(*z, zone::Caller::Operator(), ctx.args.name, csv));
  std::printf("hierarchy %s: %lld values, %d levels, sha256 %s (stored encrypted)\n", h.name.c_str(),
              static_cast<long long>(h.values), h.levels, h.sha256.substr(0, 16).c_str());
  return OkStatus();
}

Status ListHierarchies(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto list, zone::ListHierarchies(*z, zone::Caller::Operator()));
  Table t({"name", "values", "levels", "sha256", "uploaded by", "uploaded at"});
  t.Add({std::string(zone::kAdminHierarchy), "-", "4", "(built in: 읍면동/address -> 시군구 -> 시도 -> *)", "", ""});
  for (const auto& h : list) {
    t.Add({h.name, std::to_string(h.values), std::to_string(h.levels), h.sha256.substr(0, 16), h.uploaded_by,
           h.uploaded_at});
  }
  std::fputs(t.Render().c_str(), stdout);
  return OkStatus();
}

// "adult_hierarchy_age.csv" -> "adult_hierarchy_age": a hierarchy name from a file name.
std::string NameFromFile(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem().string();
  std::string name;
  for (char c : stem) {
    unsigned char u = static_cast<unsigned char>(c);
    name += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_';
  }
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) name = "h_" + name;
  return name.substr(0, 63);
}

// COLUMN=HIERARCHY, where HIERARCHY is "admin", an uploaded hierarchy's name, or (local
// operator mode) a CSV file, which is uploaded first under a name made from its file name.
Result<zone::QiHierarchy> ParseQi(zone::Zone& z, const std::string& spec) {
  auto eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
    return InvalidArgument(fmt::format("--qi takes COLUMN=HIERARCHY (a CSV file, an uploaded name or admin), got '{}'", spec));
  }
  zone::QiHierarchy q{spec.substr(0, eq), spec.substr(eq + 1)};
  bool is_file = q.hierarchy.find('/') != std::string::npos || q.hierarchy.ends_with(".csv");
  if (!is_file) return q;
  SZ_ASSIGN_OR_RETURN(std::string csv, ReadFile(q.hierarchy, "hierarchy"));
  std::string name = NameFromFile(q.hierarchy);
  auto up = zone::UploadHierarchy(z, zone::Caller::Operator(), name, csv);
  if (!up.ok() && up.status().code() == Code::kAlreadyExists) {
    return AlreadyExists(fmt::format(
        "{}: a different hierarchy is uploaded as '{}'; upload this one under another name "
        "(safezone pseudo hierarchy upload NAME FILE) and pass --qi {}=NAME",
        q.hierarchy, name, q.column));
  }
  SZ_RETURN_IF_ERROR(up.status());
  q.hierarchy = name;
  return q;
}

Result<privacy::UtilityMetric> ParseMetric(std::string_view name) {
  const std::pair<std::string_view, privacy::UtilityMetric> kMetrics[] = {
      {"loss", privacy::UtilityMetric::kLoss},
      {"precision", privacy::UtilityMetric::kPrecision},
      {"discernibility", privacy::UtilityMetric::kDiscernibility},
      {"non_uniform_entropy", privacy::UtilityMetric::kNonUniformEntropy},
      {"average_class_size", privacy::UtilityMetric::kAverageClassSize}};
  for (const auto& [n, m] : kMetrics)
    if (n == name) return m;
  return InvalidArgument("--metric is loss, precision, discernibility, non_uniform_entropy or average_class_size");
}

Status Search(Context& ctx) {
  const Args& a = ctx.args;
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  zone::SearchRequest r;
  r.dataset = a.name;
  r.version = a.version;
  for (const auto& spec : a.qis) {
    SZ_ASSIGN_OR_RETURN(auto q, ParseQi(*z, spec));
    r.quasi_identifiers.push_back(std::move(q));
  }
  r.k = a.k;
  r.l = a.l;
  r.t = a.t;
  r.t_ordered = a.t_ordered;
  r.sensitive = a.sensitive;
  r.suppression = a.suppression;
  r.threads = a.threads;
  SZ_ASSIGN_OR_RETURN(r.metric, ParseMetric(a.metric));
  SZ_ASSIGN_OR_RETURN(auto s, zone::SearchAnonymization(*z, zone::Caller::Operator(), r));
  if (ctx.json) {
    Json out;
    out["dataset"] = s.dataset;
    out["version"] = s.version;
    out["rows"] = s.rows;
    out["levels"] = Json::array();
    for (const auto& l : s.levels) {
      out["levels"].push_back({{"column", l.column}, {"hierarchy", l.hierarchy}, {"level", l.level}, {"levels", l.levels}});
    }
    out["metric"] = a.metric;
    out["value"] = s.value;
    out["loss"] = s.utility.loss;
    out["classes"] = s.classes;
    out["suppressed_records"] = s.suppressed_records;
    out["models"] = s.models;
    out["optimal"] = s.optimal;
    out["nodes_checked"] = s.nodes_checked;
    out["lattice_nodes"] = s.lattice_nodes;
    out["seconds"] = s.seconds;
    out["rules"] = Json::parse(pseudo::PolicyToJson(pseudo::Policy{1, "", pseudo::Unlisted::kKeep, s.rules, {}, {}}))["columns"];
    PrintJson(out);
    return OkStatus();
  }
  Table t({"quasi-identifier", "hierarchy", "level", "of"});
  for (const auto& l : s.levels) t.Add({l.column, l.hierarchy, std::to_string(l.level), std::to_string(l.levels - 1)});
  std::fputs(t.Render().c_str(), stdout);
  std::string models;
  for (const auto& m : s.models) models += (models.empty() ? "" : ", ") + m;
  std::string value = a.metric == "loss" ? fmt::format("loss {:.6g}", s.value)
                                          : fmt::format("{} {:.6g}, loss {:.6g}", a.metric, s.value, s.utility.loss);
  std::printf("%s with %.1f%% suppression allowed: %s (%s)\n", models.c_str(), a.suppression * 100,
              s.optimal ? "optimal" : "best found", value.c_str());
  std::printf("%lld classes, %lld of %lld records suppressed; %lld of %.0f lattice nodes checked in %.2f s\n",
              static_cast<long long>(s.classes), static_cast<long long>(s.suppressed_records),
              static_cast<long long>(s.rows), static_cast<long long>(s.nodes_checked), s.lattice_nodes, s.seconds);
  std::printf("\nAs policy rules (paste under columns:):\n%s", s.rules_yaml.c_str());
  return OkStatus();
}

}  // namespace

void AddPseudoCommands(CLI::App& app, Context& ctx) {
  Args& a = ctx.args;
  auto* ps = app.add_subcommand("pseudo", "Pseudonymization centre: policies, runs, adequacy reports, sign-off (officers)");
  ps->require_subcommand(1);

  auto* suggest = ps->add_subcommand("suggest", "Print a starter policy from the dataset's confirmed column roles");
  suggest->add_option("dataset", a.name, "Dataset name")->required();
  suggest->add_option("--version", a.version, "Source version (default: the latest not pseudonymized)");
  suggest->add_option("--project", a.project, "Project the output is for: pseudonyms use its key (default: dataset key)");
  suggest->add_flag("--reversible-rrn", a.reversible_rrn, "RRNs as FF1 tokens instead of masks");
  suggest->add_option("--as-of", a.as_of, "Reference date for age bands (default: today)");
  suggest->add_option("-o,--output", a.out_file, "Write the policy to this file");
  suggest->callback([&ctx] { ctx.status = Suggest(ctx); });

  auto* validate = ps->add_subcommand("validate", "Check a policy against a dataset version without running it");
  validate->add_option("dataset", a.name, "Dataset name")->required();
  validate->add_option("--policy", a.policy_file, "Policy file (YAML or JSON)")->required();
  validate->add_option("--version", a.version, "Source version (default: the latest not pseudonymized)");
  validate->callback([&ctx] { ctx.status = Validate(ctx); });

  auto* run = ps->add_subcommand("run", "Pseudonymize a dataset version: new version, risk, verdict, adequacy report");
  run->add_option("dataset", a.name, "Dataset name")->required();
  run->add_option("--policy", a.policy_file, "Policy file (YAML or JSON)")->required();
  run->add_option("--version", a.version, "Source version (default: the latest not pseudonymized)");
  run->add_option("--project", a.project, "Project the output is for (binds project-scoped keys)");
  run->add_option("--summary", a.summary, "Rationale shown in the report");
  run->add_option("--threads", a.threads, "Threads (default: all cores)");
  run->callback([&ctx] { ctx.status = RunJob(ctx); });

  auto* report = ps->add_subcommand("report", "Print a job's adequacy report (가명처리 적정성 검토 보고서)");
  report->add_option("job", a.job, "Job number")->required();
  report->add_option("--format", a.report_format, "md (default), html or json");
  report->add_option("--lang", a.lang, "ko (default) or en");
  report->add_option("-o,--output", a.out_file, "Write to this file");
  report->callback([&ctx] { ctx.status = Report(ctx); });

  auto* signoff = ps->add_subcommand("signoff", "Sign off or reject a job (an officer other than the one who ran it)");
  signoff->add_option("job", a.job, "Job number")->required();
  signoff->add_flag("--approve", a.approve, "Sign off: the version may be placed in projects");
  signoff->add_flag("--reject", a.reject, "Reject");
  signoff->add_option("--comment", a.comment, "Why (required)")->required();
  signoff->callback([&ctx] { ctx.status = SignOff(ctx); });

  auto* jobs = ps->add_subcommand("jobs", "List pseudonymization jobs (of one dataset if named)");
  jobs->add_option("dataset", a.name, "Dataset name");
  jobs->callback([&ctx] { ctx.status = Jobs(ctx); });

  auto* hier = ps->add_subcommand("hierarchy", "Generalization hierarchies (ARX CSV) stored in the zone");
  hier->require_subcommand(1);
  auto* upload = hier->add_subcommand("upload", "Upload an ARX hierarchy CSV under a name");
  upload->add_option("name", a.name, "Name ([a-z][a-z0-9_]*)")->required();
  upload->add_option("file", a.file, "ARX hierarchy CSV (';'-separated)")->required();
  upload->callback([&ctx] { ctx.status = UploadHierarchy(ctx); });
  hier->add_subcommand("list", "List hierarchies")->callback([&ctx] { ctx.status = ListHierarchies(ctx); });

  auto* anon = app.add_subcommand("anonymize", "Anonymization: optimal generalization search (officers)");
  anon->require_subcommand(1);
  auto* search = anon->add_subcommand("search", "Find the least-loss generalization meeting k / l / t with suppression");
  search->add_option("dataset", a.name, "Dataset name")->required();
  search->add_option("--qi", a.qis, "COLUMN=HIERARCHY.csv | COLUMN=NAME (uploaded) | COLUMN=admin; repeatable")->required();
  search->add_option("--k", a.k, "k-anonymity (default 5)");
  search->add_option("--l", a.l, "Distinct l-diversity of --sensitive (default: none)");
  search->add_option("--t", a.t, "t-closeness of --sensitive (default: none)");
  search->add_flag("--t-ordered", a.t_ordered, "Ordered-distance t-closeness (numeric sensitive values)");
  search->add_option("--sensitive", a.sensitive, "Sensitive column (for --l, --t)");
  search->add_option("--suppression", a.suppression, "Share of records that may be suppressed (default 0)");
  search->add_option("--metric", a.metric, "loss (default), precision, discernibility, non_uniform_entropy, average_class_size");
  search->add_option("--version", a.version, "Version (default: latest)");
  search->add_option("--threads", a.threads, "Threads (default: all cores)");
  search->callback([&ctx] { ctx.status = Search(ctx); });
}

}  // namespace sz::cli
