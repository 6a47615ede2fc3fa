// safezone project create|revise|approve|list|show|members|close
//          output table|regression|query|text|list|show
// With --zone (or $SAFEZONE_ZONE) these run locally as the operator, who holds the master
// key (Caller::Operator()); without, as the signed-in person through the HTTPS API. Both
// modes render the same JSON (cli/analysis_view.h). The workspace is in
// commands_workspace.cc.
#include <cstdio>

#include "cli/analysis_view.h"
#include "cli/app.h"
#include "cli/client_mode.h"
#include "cli/render.h"
#include "cli/workspace_client.h"
#include "fmt/format.h"
#include "storage/env.h"
#include "workspace/spec_json.h"
#include "zone/analysis_json.h"
#include "zone/outputs.h"
#include "zone/projects.h"
#include "zone/workspace.h"

namespace sz::cli {

namespace {

namespace ws = sz::workspace;
using nlohmann::json;

Date Today(zone::Zone& z) { return SeoulDate(z.clock().Now()); }

Result<std::string> ReadFile(const std::string& path, std::string_view what) {
  auto text = storage::ReadSmallFile(path, 16u << 20);
  if (!text.ok()) return text.status().WithContext(what);
  return text;
}

std::vector<std::string> SplitComma(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// ---- the project definition from flags, in the API's JSON form ----

// --dataset NAME[@VERSION]=COL,COL  --person NAME=COLUMN | NAME=@row
Result<json> DatasetsJson(const Args& a) {
  json out = json::array();
  for (const std::string& d : a.project_datasets) {
    auto eq = d.find('=');
    if (eq == std::string::npos)
      return InvalidArgument(
          fmt::format("--dataset takes NAME[@VERSION]=COL,COL,... (got '{}')", d));
    json ds = json::object();
    std::string head = d.substr(0, eq);
    ds["version"] = 0;
    if (auto at = head.find('@'); at != std::string::npos) {
      ds["version"] = std::atoi(head.c_str() + at + 1);
      head.resize(at);
    }
    ds["dataset"] = head;
    ds["columns"] = SplitComma(std::string_view(d).substr(eq + 1));
    ds["person_column"] = "";
    ds["row_is_person"] = false;
    for (const std::string& p : a.person_columns) {
      auto peq = p.find('=');
      if (peq == std::string::npos)
        return InvalidArgument("--person takes DATASET=COLUMN or DATASET=@row");
      if (p.substr(0, peq) != head) continue;
      std::string col = p.substr(peq + 1);
      if (col == "@row")
        ds["row_is_person"] = true;
      else
        ds["person_column"] = col;
    }
    out.push_back(std::move(ds));
  }
  return out;
}

Result<json> ProjectBody(const Args& a) {
  json b = {{"name", a.project},     {"title", a.title_ko}, {"purpose", a.purpose},
            {"start", a.start},      {"end", a.end},        {"members", a.members},
            {"two_reviewers", a.two_reviewers}};
  SZ_ASSIGN_OR_RETURN(b["datasets"], DatasetsJson(a));
  if (!a.risk_appetite_file.empty()) {
    SZ_ASSIGN_OR_RETURN(std::string text, ReadFile(a.risk_appetite_file, "risk appetite"));
    b["risk_appetite"] = text;
  }
  return b;
}

// "kim" or "kim:lead", resolved locally.
Result<zone::MemberSpec> ParseMember(zone::Zone& z, std::string_view text) {
  auto colon = text.find(':');
  zone::MemberSpec m;
  SZ_ASSIGN_OR_RETURN(m.user_id, zone::UserIdByName(z, text.substr(0, colon)));
  if (colon != std::string_view::npos) {
    SZ_ASSIGN_OR_RETURN(m.role, zone::ParseMemberRole(text.substr(colon + 1)));
  }
  return m;
}

// The JSON form back into a ProjectSpec, for local mode.
Result<zone::ProjectSpec> SpecFromBody(zone::Zone& z, const json& b) {
  zone::ProjectSpec spec;
  spec.name = b["name"];
  spec.title = b["title"];
  spec.purpose = b["purpose"];
  SZ_ASSIGN_OR_RETURN(spec.start, ParseDate(b["start"].get<std::string>()));
  SZ_ASSIGN_OR_RETURN(spec.end, ParseDate(b["end"].get<std::string>()));
  spec.two_reviewers = b["two_reviewers"];
  if (b.contains("risk_appetite")) spec.risk_appetite = b["risk_appetite"];
  for (const auto& m : b["members"]) {
    SZ_ASSIGN_OR_RETURN(zone::MemberSpec member, ParseMember(z, m.get<std::string>()));
    spec.members.push_back(member);
  }
  for (const auto& d : b["datasets"]) {
    zone::ProjectDatasetSpec ds;
    ds.dataset = d["dataset"];
    ds.version = d["version"];
    ds.columns = d["columns"].get<std::vector<std::string>>();
    ds.person_column = d["person_column"];
    ds.row_is_person = d["row_is_person"];
    spec.datasets.push_back(std::move(ds));
  }
  return spec;
}

// ---- projects ----

Status ShowProjectJson(const Context& ctx, const json& p) {
  if (ctx.json)
    PrintJson(p);
  else
    RenderProject(p);
  return OkStatus();
}

std::string ProjectPath(std::string_view name, std::string_view suffix = "") {
  return "/api/v1/projects/" + server::UrlEncode(name) + std::string(suffix);
}

Status CreateOrRevise(Context& ctx, bool revise) {
  SZ_ASSIGN_OR_RETURN(json body, ProjectBody(ctx.args));
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(zone::ProjectSpec spec, SpecFromBody(*z, body));
    auto op = zone::Caller::Operator();
    SZ_ASSIGN_OR_RETURN(zone::Project p, revise
                                             ? zone::ReviseProject(*z, op, ctx.args.project, spec)
                                             : zone::CreateProject(*z, op, spec));
    return ShowProjectJson(ctx, zone::ToJson(p, Today(*z)));
  }
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  SZ_ASSIGN_OR_RETURN(json p, revise ? api.Put(ProjectPath(ctx.args.project), body)
                                     : api.Post("/api/v1/projects", body));
  return ShowProjectJson(ctx, p);
}

// approve, show, close: one call on a named project.
enum class ProjectVerb { kApprove, kShow, kClose };

Status OnProject(Context& ctx, ProjectVerb verb) {
  const std::string& name = ctx.args.project;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    auto op = zone::Caller::Operator();
    Result<zone::Project> p = verb == ProjectVerb::kApprove ? zone::ApproveProject(*z, op, name)
                              : verb == ProjectVerb::kShow
                                  ? zone::ShowProject(*z, op, name)
                                  : zone::CloseProject(*z, op, name, ctx.args.reason);
    if (!p.ok()) return p.status();
    return ShowProjectJson(ctx, zone::ToJson(*p, Today(*z)));
  }
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  Result<json> p = verb == ProjectVerb::kApprove ? api.Post(ProjectPath(name, "/approve"))
                   : verb == ProjectVerb::kShow
                       ? api.Get(ProjectPath(name))
                       : api.Post(ProjectPath(name, "/close"), {{"reason", ctx.args.reason}});
  if (!p.ok()) return p.status();
  return ShowProjectJson(ctx, *p);
}

Status Members(Context& ctx) {
  const Args& a = ctx.args;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    zone::Caller op = zone::Caller::Operator();
    for (const std::string& m : a.add) {
      SZ_ASSIGN_OR_RETURN(zone::MemberSpec member, ParseMember(*z, m));
      SZ_RETURN_IF_ERROR(zone::AddMember(*z, op, a.project, member).status());
    }
    for (const std::string& m : a.remove) {
      SZ_ASSIGN_OR_RETURN(int64_t id, zone::UserIdByName(*z, m));
      SZ_RETURN_IF_ERROR(zone::RemoveMember(*z, op, a.project, id).status());
    }
    SZ_ASSIGN_OR_RETURN(zone::Project p, zone::ShowProject(*z, op, a.project));
    return ShowProjectJson(ctx, zone::ToJson(p, Today(*z)));
  }
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  for (const std::string& m : a.add) {
    auto colon = m.find(':');
    json body = {{"username", m.substr(0, colon)}};
    if (colon != std::string::npos) body["role"] = m.substr(colon + 1);
    SZ_RETURN_IF_ERROR(api.Post(ProjectPath(a.project, "/members"), body).status());
  }
  if (!a.remove.empty()) {
    SZ_ASSIGN_OR_RETURN(json p, api.Get(ProjectPath(a.project)));
    for (const std::string& m : a.remove) {
      int64_t id = 0;
      for (const auto& member : p["members"])
        if (JsonText(member, "username") == m) id = JsonInt(member, "user_id");
      if (id == 0) return NotFound(fmt::format("'{}' is not a member of {}", m, a.project));
      SZ_RETURN_IF_ERROR(
          api.Delete(ProjectPath(a.project, "/members/" + std::to_string(id))).status());
    }
  }
  SZ_ASSIGN_OR_RETURN(json p, api.Get(ProjectPath(a.project)));
  return ShowProjectJson(ctx, p);
}

Status ListProjects(Context& ctx) {
  json projects = json::array();
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto list, zone::ListProjects(*z, zone::Caller::Operator()));
    for (const auto& p : list) projects.push_back(zone::ToJson(p, Today(*z)));
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_ASSIGN_OR_RETURN(json reply, api.Get("/api/v1/projects"));
    projects = reply["projects"];
  }
  if (ctx.json)
    PrintJson(projects);
  else
    RenderProjects(projects);
  return OkStatus();
}

// ---- outputs ----

Result<ws::TableSpec> TableSpecFromArgs(const Args& a) {
  if (!a.spec_file.empty()) {
    SZ_ASSIGN_OR_RETURN(std::string text, ReadFile(a.spec_file, "table definition"));
    return ws::TableSpecFromJson(std::string_view(text));
  }
  ws::TableSpec spec;
  spec.from = a.from;
  spec.where = a.where;
  spec.measure = a.measure;
  if (!a.stat.empty()) {
    SZ_ASSIGN_OR_RETURN(spec.aggregate, ws::ParseAggregate(a.stat));
  }
  for (const std::string& by : a.by) {
    ws::DimensionSpec d;
    d.name = by;
    d.levels = {by};
    spec.dimensions.push_back(std::move(d));
  }
  return spec;
}

Result<ws::RegressionSpec> RegressionSpecFromArgs(const Args& a) {
  if (!a.spec_file.empty()) {
    SZ_ASSIGN_OR_RETURN(std::string text, ReadFile(a.spec_file, "regression definition"));
    return ws::RegressionSpecFromJson(text);
  }
  ws::RegressionSpec spec;
  spec.source.from = a.from;
  spec.source.where = a.where;
  spec.outcome = a.y;
  spec.predictors = a.x;
  return spec;
}

Status PrintOutputInfo(const Context& ctx, const json& o) {
  if (ctx.json)
    PrintJson(o);
  else
    RenderOutputInfo(o);
  return OkStatus();
}

// The body of POST /workspaces/{id}/outputs for `output table|regression|query`.
enum class SaveKind { kTable, kRegression, kQuery };

Result<json> SaveBody(const Args& a, SaveKind what) {
  json body = {{"name", a.name}};
  switch (what) {
    case SaveKind::kTable: {
      SZ_ASSIGN_OR_RETURN(ws::TableSpec spec, TableSpecFromArgs(a));
      body["kind"] = a.kind.empty() ? "frequency_table" : a.kind;
      body["table"] = json::parse(ws::TableSpecToJson(spec).dump());
      break;
    }
    case SaveKind::kRegression: {
      SZ_ASSIGN_OR_RETURN(ws::RegressionSpec spec, RegressionSpecFromArgs(a));
      body["regression"] = json::parse(ws::RegressionSpecToJson(spec).dump());
      break;
    }
    case SaveKind::kQuery:
      body["query"] = a.sql;
      break;
  }
  return body;
}

Status SaveLocal(Context& ctx, SaveKind what) {
  const Args& a = ctx.args;
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto w, zone::Workspace::Open(*z, zone::Caller::Operator(), a.project,
                                                    WorkspaceLimits(a)));
  zone::OutputInfo info;
  switch (what) {
    case SaveKind::kTable: {
      SZ_ASSIGN_OR_RETURN(ws::TableSpec spec, TableSpecFromArgs(a));
      SZ_ASSIGN_OR_RETURN(zone::OutputKind kind,
                          zone::ParseOutputKind(a.kind.empty() ? "frequency_table" : a.kind));
      SZ_ASSIGN_OR_RETURN(info, w->SaveTable(a.name, kind, spec, &InterruptFlag()));
      break;
    }
    case SaveKind::kRegression: {
      SZ_ASSIGN_OR_RETURN(ws::RegressionSpec spec, RegressionSpecFromArgs(a));
      SZ_ASSIGN_OR_RETURN(info, w->SaveRegression(a.name, spec, &InterruptFlag()));
      break;
    }
    case SaveKind::kQuery:
      SZ_ASSIGN_OR_RETURN(info, w->SaveQueryResult(a.name, a.sql, &InterruptFlag()));
      break;
  }
  return PrintOutputInfo(ctx, zone::ToJson(info));
}

// Through the API: a workspace session for the save, closed afterwards.
Status Save(Context& ctx, SaveKind what) {
  if (ctx.Local()) return SaveLocal(ctx, what);
  SZ_ASSIGN_OR_RETURN(json body, SaveBody(ctx.args, what));
  SZ_ASSIGN_OR_RETURN(auto session, RemoteWorkspace::Open(ctx.args));
  SZ_ASSIGN_OR_RETURN(json info, session->Save(body));
  return PrintOutputInfo(ctx, info);
}

Status SaveText(Context& ctx) {
  const Args& a = ctx.args;
  std::string kind = a.kind.empty() ? "text" : a.kind;
  std::string base = a.file.substr(a.file.find_last_of('/') + 1);
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(zone::OutputKind k, zone::ParseOutputKind(kind));
    SZ_ASSIGN_OR_RETURN(std::string content, ReadFile(a.file, "file"));
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto info, zone::SaveFreeform(*z, zone::Caller::Operator(), a.project,
                                                      a.name, k, base, content));
    return PrintOutputInfo(ctx, zone::ToJson(info));
  }
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  SZ_ASSIGN_OR_RETURN(json info,
                      api.Upload(ProjectPath(a.project, "/outputs"),
                                 {{"name", a.name}, {"kind", kind}, {"filename", base}}, a.file));
  return PrintOutputInfo(ctx, info);
}

Status ListOutputs(Context& ctx) {
  json outputs = json::array();
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto list,
                        zone::ListOutputs(*z, zone::Caller::Operator(), ctx.args.project));
    for (const auto& o : list) outputs.push_back(zone::ToJson(o));
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_ASSIGN_OR_RETURN(json reply, api.Get(ProjectPath(ctx.args.project, "/outputs")));
    outputs = reply["outputs"];
  }
  if (ctx.json)
    PrintJson(outputs);
  else
    RenderOutputs(outputs);
  return OkStatus();
}

Status ShowOutput(Context& ctx) {
  json content;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto c, zone::ReadOutput(*z, zone::Caller::Operator(), ctx.args.project,
                                                 ctx.args.name));
    content = zone::ToJson(c);
    content["name"] = ctx.args.name;
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_ASSIGN_OR_RETURN(content, api.Get(ProjectPath(ctx.args.project,
                                                     "/outputs/" + server::UrlEncode(ctx.args.name))));
  }
  if (ctx.json)
    PrintJson(content);
  else
    RenderOutputContent(content);
  return OkStatus();
}

void AddDefinitionOptions(CLI::App* cmd, Args& a) {
  cmd->add_option("--spec", a.spec_file, "JSON definition (joins, hierarchies, filters)");
  cmd->add_option("--from", a.from, "Approved table");
  cmd->add_option("--where", a.where, "Filter condition");
}

}  // namespace

void AddProjectCommands(CLI::App& app, Context& ctx) {
  Args& a = ctx.args;
  auto* pr = app.add_subcommand(
      "project", "Projects: propose, revise, approve, list, show, manage members, close");
  pr->require_subcommand(1);
  for (bool revise : {false, true}) {
    auto* cmd = pr->add_subcommand(revise ? "revise" : "create",
                                   revise ? "Replace a draft's definition" : "Propose a project (draft)");
    cmd->add_option("name", a.project, "Project name ([a-z][a-z0-9_]*)")->required();
    cmd->add_option("--title", a.title_ko, "Title");
    cmd->add_option("--purpose", a.purpose, "Purpose of the analysis")->required();
    cmd->add_option("--start", a.start, "First day (YYYY-MM-DD, Seoul)")->required();
    cmd->add_option("--end", a.end, "Last day (YYYY-MM-DD, Seoul)")->required();
    cmd->add_option("--member", a.members, "USER[:lead|analyst], repeatable");
    cmd->add_option("--dataset", a.project_datasets,
                    "NAME[@VERSION]=COL,COL,... approved columns, repeatable")
        ->required();
    cmd->add_option("--person", a.person_columns,
                    "DATASET=COLUMN (pseudonym column) or DATASET=@row (a row is a person)");
    cmd->add_flag("--two-reviewers", a.two_reviewers,
                  "Exports need two independent reviewer votes");
    cmd->add_option("--risk-appetite", a.risk_appetite_file,
                    "JSON file: the project's risk appetite layer");
    cmd->callback([&ctx, revise] { ctx.status = CreateOrRevise(ctx, revise); });
  }
  auto* approve = pr->add_subcommand("approve", "Approve a draft project");
  approve->add_option("name", a.project)->required();
  approve->callback([&ctx] { ctx.status = OnProject(ctx, ProjectVerb::kApprove); });
  auto* list = pr->add_subcommand("list", "List projects");
  list->callback([&ctx] { ctx.status = ListProjects(ctx); });
  auto* show = pr->add_subcommand("show", "Show a project");
  show->add_option("name", a.project)->required();
  show->callback([&ctx] { ctx.status = OnProject(ctx, ProjectVerb::kShow); });
  auto* members = pr->add_subcommand("members", "Add or remove members");
  members->add_option("name", a.project)->required();
  members->add_option("--add", a.add, "USER[:lead|analyst], repeatable");
  members->add_option("--remove", a.remove, "USER, repeatable");
  members->callback([&ctx] { ctx.status = Members(ctx); });
  auto* close = pr->add_subcommand("close", "Close a project (its workspace and exports end)");
  close->add_option("name", a.project)->required();
  close->add_option("--reason", a.reason, "Why");
  close->callback([&ctx] { ctx.status = OnProject(ctx, ProjectVerb::kClose); });

  auto* out = app.add_subcommand("output", "Named outputs of a project");
  out->require_subcommand(1);
  auto* table = out->add_subcommand("table", "Save a table with its disclosure evidence");
  table->add_option("project", a.project)->required();
  table->add_option("name", a.name)->required();
  table->add_option(
      "--kind", a.kind,
      "frequency_table (default), cross_table, histogram, chart_data, magnitude_table, ...");
  AddDefinitionOptions(table, a);
  table->add_option("--by", a.by, "Dimension expression, repeatable");
  table->add_option(
      "--stat", a.stat,
      "persons (default), rows, sum, mean, median, quantile, min, max, mode, variance, stddev");
  table->add_option("--measure", a.measure, "Measure expression");
  table->callback([&ctx] { ctx.status = Save(ctx, SaveKind::kTable); });
  auto* reg =
      out->add_subcommand("regression", "Save an OLS regression (coefficients, N, residual df)");
  reg->add_option("project", a.project)->required();
  reg->add_option("name", a.name)->required();
  AddDefinitionOptions(reg, a);
  reg->add_option("--y", a.y, "Outcome expression");
  reg->add_option("--x", a.x, "Predictor expression, repeatable");
  reg->callback([&ctx] { ctx.status = Save(ctx, SaveKind::kRegression); });
  auto* query =
      out->add_subcommand("query", "Save a query's result as a CSV file output (always reviewed)");
  query->add_option("project", a.project)->required();
  query->add_option("name", a.name)->required();
  query->add_option("-c,--command", a.sql, "The query")->required();
  query->callback([&ctx] { ctx.status = Save(ctx, SaveKind::kQuery); });
  auto* text =
      out->add_subcommand("text", "Save free text, code or a file you wrote (always reviewed)");
  text->add_option("project", a.project)->required();
  text->add_option("name", a.name)->required();
  text->add_option("file", a.file, "The file")->required();
  text->add_option("--kind", a.kind, "text (default), code or file");
  text->callback([&ctx] { ctx.status = SaveText(ctx); });
  auto* olist = out->add_subcommand("list", "List a project's outputs");
  olist->add_option("project", a.project)->required();
  olist->callback([&ctx] { ctx.status = ListOutputs(ctx); });
  auto* oshow = out->add_subcommand("show", "Show an output with its evidence");
  oshow->add_option("project", a.project)->required();
  oshow->add_option("name", a.name)->required();
  oshow->callback([&ctx] { ctx.status = ShowOutput(ctx); });
}

}  // namespace sz::cli
