// safezone pseudo suggest | validate | run | report | signoff | jobs | hierarchy upload/list
// safezone anonymize search
//
// Like the catalog commands: with --zone (or $SAFEZONE_ZONE) they run locally as the
// operator, otherwise through the API as the signed-in officer; both give the same JSON
// (zone/pseudo_json.h), rendered one way.
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/app.h"
#include "cli/client_mode.h"
#include "cli/render.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "zone/anonymize.h"
#include "zone/hierarchies.h"
#include "zone/pseudo_json.h"
#include "zone/pseudonymize.h"

namespace sz::cli {

namespace {

using Json = nlohmann::json;

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}
int64_t Int(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<int64_t>() : 0;
}

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

std::string Number(const Json& v) {
  if (!v.is_number()) return "-";
  double d = v.get<double>();
  if (d == static_cast<double>(static_cast<int64_t>(d)) && std::abs(d) < 1e15) {
    return fmt::format("{}", static_cast<int64_t>(d));
  }
  return fmt::format("{:.4g}", d);
}

// The "before" value of a metric in a report's risk or utility list.
Json BeforeOf(const Json& report, const std::string& metric) {
  for (const char* list : {"risk", "utility"}) {
    for (const auto& m : report.value(list, Json::array()))
      if (Str(m, "name") == metric) return m.value("before", Json());
  }
  return Json();
}

void PrintVerdicts(const Json& job, const Json& report) {
  Table t({"metric", "required", "before", "after", "verdict"});
  for (const auto& v : job.value("verdicts", Json::array())) {
    std::string req = fmt::format("{} {}", Str(v, "comparison") == "at_least" ? ">=" : "<=", Number(v["value"]));
    t.Add({Str(v, "metric"), req, Number(BeforeOf(report, Str(v, "metric"))), Number(v.value("actual", Json())),
           v.value("pass", false) ? "pass" : "FAIL"});
  }
  std::fputs(t.Render().c_str(), stdout);
}

// ---- suggest / validate ----

Status Suggest(Context& ctx) {
  const Args& a = ctx.args;
  Json s;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    zone::SuggestRequest r{a.name, a.version, a.project, a.reversible_rrn, a.as_of};
    SZ_ASSIGN_OR_RETURN(auto suggested, zone::SuggestPseudonymizationPolicy(*z, zone::Caller::Operator(), r));
    s = zone::ToJson(suggested);
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    server::QueryParams q;
    if (a.version) q["version"] = std::to_string(a.version);
    if (!a.project.empty()) q["project"] = a.project;
    if (a.reversible_rrn) q["reversible_rrn"] = "true";
    if (!a.as_of.empty()) q["as_of"] = a.as_of;
    SZ_ASSIGN_OR_RETURN(s, api.Get("/api/v1/datasets/" + server::UrlEncode(a.name) + "/pseudonymization/suggestion", q));
  }
  if (ctx.json) {
    PrintJson(s);
    return OkStatus();
  }
  return WriteOut(a.out_file, Str(s, "text"));
}

Status Validate(Context& ctx) {
  const Args& a = ctx.args;
  SZ_ASSIGN_OR_RETURN(std::string text, ReadFile(a.policy_file, "policy"));
  Json v;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto valid,
                        zone::ValidatePseudonymizationPolicy(*z, zone::Caller::Operator(), a.name, a.version, text));
    v = zone::ToJson(valid);
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_ASSIGN_OR_RETURN(v, api.Post("/api/v1/datasets/" + server::UrlEncode(a.name) + "/pseudonymization/validation",
                                    {{"policy", text}, {"version", a.version}}));
  }
  if (ctx.json) {
    PrintJson(v);
    return OkStatus();
  }
  std::printf("policy %s is valid for %s version %lld: %lld column rule(s); thresholds %s\n",
              Str(v, "name").empty() ? "(unnamed)" : Str(v, "name").c_str(), a.name.c_str(),
              static_cast<long long>(Int(v, "version")), static_cast<long long>(Int(v, "rules")),
              v.value("thresholds", Json::object()).dump().c_str());
  return OkStatus();
}

// ---- run ----

Result<Json> RunLocal(Context& ctx, zone::RunRequest r) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  ProgressLine line(!ctx.quiet);
  zone::RunHooks hooks;
  hooks.cancel = &InterruptFlag();
  hooks.progress = [&](const zone::RunProgress& p) {
    if (p.seconds < 1.0) return;  // quick runs (and early errors) need no progress line
    std::string frac = p.fraction >= 0 ? fmt::format(" {:.0f}%", p.fraction * 100) : "";
    line.Update(fmt::format("pseudonymize {}: {}{} ({:.1f} s)", r.dataset, p.stage, frac, p.seconds));
  };
  SZ_ASSIGN_OR_RETURN(auto result, zone::RunPseudonymization(*z, zone::Caller::Operator(), r, hooks));
  line.Finish();
  return zone::ToJson(result);
}

Status RunJob(Context& ctx) {
  const Args& a = ctx.args;
  SZ_ASSIGN_OR_RETURN(std::string text, ReadFile(a.policy_file, "policy"));
  Json result;
  if (ctx.Local()) {
    zone::RunRequest r;
    r.dataset = a.name;
    r.version = a.version;
    r.policy_text = std::move(text);
    r.project = a.project;
    r.summary = a.summary;
    r.threads = a.threads;
    SZ_ASSIGN_OR_RETURN(result, RunLocal(ctx, std::move(r)));
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    Json body = {{"dataset", a.name}, {"version", a.version}, {"policy", text}};
    if (!a.project.empty()) body["project"] = a.project;
    if (!a.summary.empty()) body["summary"] = a.summary;
    SZ_ASSIGN_OR_RETURN(result, api.Post("/api/v1/pseudonymization/jobs", body));
  }
  if (ctx.json) {
    PrintJson(result);
    return OkStatus();
  }
  const Json& j = result["job"];
  const Json& report = result["report"];
  const Json& rows = report.value("rows", Json::object());
  std::printf("job %lld: %s version %lld -> version %lld (pseudonymized), %lld rows in, %lld out, %.1f s\n",
              static_cast<long long>(Int(j, "id")), Str(j, "dataset").c_str(),
              static_cast<long long>(Int(j, "input_version")), static_cast<long long>(Int(j, "output_version")),
              static_cast<long long>(Int(rows, "in")), static_cast<long long>(Int(rows, "out")),
              result["seconds"].value("total", 0.0));
  PrintVerdicts(j, report);
  std::printf("verdict: %s\n", j.value("pass", false)
                                   ? "PASS — awaiting sign-off by another pseudonymization officer"
                                   : "FAIL — this version cannot be signed off; change the policy and run again");
  std::printf("report:  safezone pseudo report %lld [--format md|html|json] [--lang ko|en] [-o FILE]\n",
              static_cast<long long>(Int(j, "id")));
  return OkStatus();
}

// ---- report, sign-off, jobs ----

Status Report(Context& ctx) {
  const Args& a = ctx.args;
  SZ_ASSIGN_OR_RETURN(auto format, zone::ParseReportFormat(a.report_format));
  SZ_ASSIGN_OR_RETURN(auto lang, zone::ParseReportLang(a.lang));
  std::string text;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(text, zone::RenderJobReport(*z, zone::Caller::Operator(), a.job, format, lang));
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    std::string path = fmt::format("/api/v1/pseudonymization/jobs/{}/report", a.job);
    server::QueryParams q = {{"format", a.report_format}, {"lang", a.lang}};
    if (format == zone::ReportFormat::kJson) {
      SZ_ASSIGN_OR_RETURN(Json j, api.Get(path, q));
      text = j.dump(2, ' ', false, Json::error_handler_t::replace);
    } else {
      SZ_ASSIGN_OR_RETURN(text, api.GetRaw(path, q));
    }
  }
  if (!text.empty() && text.back() != '\n') text += '\n';
  return WriteOut(a.out_file, text);
}

Status SignOff(Context& ctx) {
  const Args& a = ctx.args;
  if (a.approve == a.reject) return InvalidArgument("pass exactly one of --approve or --reject");
  Json j;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto job, zone::DecideJob(*z, zone::Caller::Operator(), a.job, {a.approve, a.comment}));
    j = zone::ToJson(job);
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_ASSIGN_OR_RETURN(j, api.Post(fmt::format("/api/v1/pseudonymization/jobs/{}/decision", a.job),
                                    {{"approve", a.approve}, {"comment", a.comment}}));
  }
  if (ctx.json) {
    PrintJson(j);
    return OkStatus();
  }
  const bool signed_off = Str(j, "state") == "signed_off";
  std::printf("job %lld %s by %s: %s version %lld %s\n", static_cast<long long>(Int(j, "id")),
              signed_off ? "signed off" : "rejected", Str(j, "decided_by").c_str(), Str(j, "dataset").c_str(),
              static_cast<long long>(Int(j, "output_version")),
              signed_off ? "may now be placed in projects" : "stays out of projects");
  return OkStatus();
}

Status Jobs(Context& ctx) {
  Json jobs = Json::array();
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto list, zone::ListJobs(*z, zone::Caller::Operator(), ctx.args.name));
    for (const auto& j : list) jobs.push_back(zone::ToJson(j));
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    server::QueryParams q;
    if (!ctx.args.name.empty()) q["dataset"] = ctx.args.name;
    SZ_ASSIGN_OR_RETURN(Json reply, api.Get("/api/v1/pseudonymization/jobs", q));
    jobs = reply["jobs"];
  }
  if (ctx.json) {
    PrintJson(jobs);
    return OkStatus();
  }
  Table t({"job", "dataset", "versions", "verdict", "state", "run by", "run at", "decided by", "policy"});
  for (const auto& j : jobs) {
    t.Add({std::to_string(Int(j, "id")), Str(j, "dataset"),
           fmt::format("{} -> {}", Int(j, "input_version"), Int(j, "output_version")),
           j.value("pass", false) ? "pass" : "FAIL", Str(j, "state"), Str(j, "run_by"), Str(j, "run_at"),
           Str(j, "decided_by"), Str(j, "policy")});
  }
  std::fputs(t.Render().c_str(), stdout);
  std::printf("%zu job(s)\n", jobs.size());
  return OkStatus();
}

// ---- hierarchies ----

Result<Json> Upload(Context& ctx, const std::string& name, const std::string& file) {
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(std::string csv, ReadFile(file, "hierarchy"));
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto h, zone::UploadHierarchy(*z, zone::Caller::Operator(), name, csv));
    return zone::ToJson(h);
  }
  if (!std::filesystem::is_regular_file(file)) return NotFound(fmt::format("cannot read hierarchy file {}", file));
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  return api.Upload("/api/v1/pseudonymization/hierarchies", {{"name", name}}, file);
}

Status UploadHierarchy(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(Json h, Upload(ctx, ctx.args.name, ctx.args.file));
  if (ctx.json) {
    PrintJson(h);
    return OkStatus();
  }
  std::printf("hierarchy %s: %lld values, %lld levels, sha256 %s (stored encrypted)\n", Str(h, "name").c_str(),
              static_cast<long long>(Int(h, "values")), static_cast<long long>(Int(h, "levels")),
              Str(h, "sha256").substr(0, 16).c_str());
  return OkStatus();
}

Status ListHierarchies(Context& ctx) {
  Json list = Json::array();
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto hs, zone::ListHierarchies(*z, zone::Caller::Operator()));
    for (const auto& h : hs) list.push_back(zone::ToJson(h));
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_ASSIGN_OR_RETURN(Json reply, api.Get("/api/v1/pseudonymization/hierarchies"));
    list = reply["hierarchies"];
  }
  if (ctx.json) {
    PrintJson(list);
    return OkStatus();
  }
  Table t({"name", "values", "levels", "sha256", "uploaded by", "uploaded at"});
  t.Add({std::string(zone::kAdminHierarchy), "-", "4", "(built in: 읍면동/address -> 시군구 -> 시도 -> *)", "", ""});
  for (const auto& h : list) {
    t.Add({Str(h, "name"), std::to_string(Int(h, "values")), std::to_string(Int(h, "levels")),
           Str(h, "sha256").substr(0, 16), Str(h, "uploaded_by"), Str(h, "uploaded_at")});
  }
  std::fputs(t.Render().c_str(), stdout);
  return OkStatus();
}

// ---- anonymize search ----

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

// COLUMN=HIERARCHY, where HIERARCHY is "admin", an uploaded hierarchy's name, or a CSV
// file, which is uploaded first under a name made from its file name.
Result<zone::QiHierarchy> ParseQi(Context& ctx, const std::string& spec) {
  auto eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
    return InvalidArgument(
        fmt::format("--qi takes COLUMN=HIERARCHY (a CSV file, an uploaded name or admin), got '{}'", spec));
  }
  zone::QiHierarchy q{spec.substr(0, eq), spec.substr(eq + 1)};
  bool is_file = q.hierarchy.find('/') != std::string::npos || q.hierarchy.ends_with(".csv");
  if (!is_file) return q;
  std::string name = NameFromFile(q.hierarchy);
  auto up = Upload(ctx, name, q.hierarchy);
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
  zone::SearchRequest r;
  r.dataset = a.name;
  r.version = a.version;
  for (const auto& spec : a.qis) {
    SZ_ASSIGN_OR_RETURN(auto q, ParseQi(ctx, spec));
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
  Json s;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto outcome, zone::SearchAnonymization(*z, zone::Caller::Operator(), r));
    s = zone::ToJson(outcome);
  } else {
    Json qis = Json::array();
    for (const auto& q : r.quasi_identifiers) qis.push_back({{"column", q.column}, {"hierarchy", q.hierarchy}});
    Json body = {{"version", r.version}, {"quasi_identifiers", qis}, {"k", r.k},      {"l", r.l},
                 {"t", r.t},             {"t_ordered", r.t_ordered}, {"suppression", r.suppression},
                 {"metric", a.metric}};
    if (!r.sensitive.empty()) body["sensitive"] = r.sensitive;
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_ASSIGN_OR_RETURN(s, api.Post("/api/v1/datasets/" + server::UrlEncode(a.name) + "/anonymization/search", body));
  }
  if (ctx.json) {
    PrintJson(s);
    return OkStatus();
  }
  Table t({"quasi-identifier", "hierarchy", "level", "of"});
  for (const auto& l : s.value("levels", Json::array())) {
    t.Add({Str(l, "column"), Str(l, "hierarchy"), std::to_string(Int(l, "level")), std::to_string(Int(l, "levels") - 1)});
  }
  std::fputs(t.Render().c_str(), stdout);
  std::string models;
  for (const auto& m : s.value("models", Json::array())) models += (models.empty() ? "" : ", ") + m.get<std::string>();
  double value = s.value("value", 0.0), loss = s.value("loss", 0.0);
  std::string figures = a.metric == "loss" ? fmt::format("loss {:.6g}", value)
                                           : fmt::format("{} {:.6g}, loss {:.6g}", a.metric, value, loss);
  std::printf("%s with %.1f%% suppression allowed: %s (%s)\n", models.c_str(), a.suppression * 100,
              s.value("optimal", false) ? "optimal" : "best found", figures.c_str());
  std::printf("%lld classes, %lld of %lld records suppressed; %lld of %.0f lattice nodes checked in %.2f s\n",
              static_cast<long long>(Int(s, "classes")), static_cast<long long>(Int(s, "suppressed_records")),
              static_cast<long long>(Int(s, "rows")), static_cast<long long>(Int(s, "nodes_checked")),
              s.value("lattice_nodes", 0.0), s.value("seconds", 0.0));
  std::printf("\nAs policy rules (paste under columns:):\n%s", Str(s, "rules_yaml").c_str());
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
