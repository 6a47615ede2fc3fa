// safezone project create|approve|list|show|members|close
//          workspace PROJECT [-c SQL | -f FILE]       (interactive without -c/-f)
//          output table|regression|query|text|list|show
// Local operator mode: the operator holds the master key and acts as Caller::Operator();
// people work through the HTTPS API.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/app.h"
#include "cli/render.h"
#include "fmt/format.h"
#include "storage/env.h"
#include "workspace/spec_json.h"
#include "workspace/sql_text.h"
#include "zone/analysis_json.h"
#include "zone/outputs.h"
#include "zone/projects.h"
#include "zone/workspace.h"

namespace sz::cli {

namespace {

namespace ws = sz::workspace;

void PrintJson(const nlohmann::json& j) { std::printf("%s\n", j.dump(2).c_str()); }

Date Today(zone::Zone& z) { return SeoulDate(z.clock().Now()); }

Result<std::string> ReadFile(const std::string& path, std::string_view what) {
  auto text = storage::ReadSmallFile(path, 16u << 20);
  if (!text.ok()) return text.status().WithContext(what);
  return text;
}

// "kim" or "kim:lead"
Result<zone::MemberSpec> ParseMember(zone::Zone& z, std::string_view text) {
  auto colon = text.find(':');
  zone::MemberSpec m;
  SZ_ASSIGN_OR_RETURN(m.user_id, zone::UserIdByName(z, text.substr(0, colon)));
  if (colon != std::string_view::npos) {
    SZ_ASSIGN_OR_RETURN(m.role, zone::ParseMemberRole(text.substr(colon + 1)));
  }
  return m;
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

// --dataset NAME[@VERSION]=COL,COL  --person NAME=COLUMN | NAME=@row
Result<zone::ProjectSpec> BuildProjectSpec(zone::Zone& z, const Args& a) {
  zone::ProjectSpec spec;
  spec.name = a.project;
  spec.title = a.title_ko;
  spec.purpose = a.purpose;
  SZ_ASSIGN_OR_RETURN(spec.start, ParseDate(a.start));
  SZ_ASSIGN_OR_RETURN(spec.end, ParseDate(a.end));
  spec.two_reviewers = a.two_reviewers;
  if (!a.risk_appetite_file.empty()) {
    SZ_ASSIGN_OR_RETURN(spec.risk_appetite, ReadFile(a.risk_appetite_file, "risk appetite"));
  }
  for (const std::string& m : a.members) {
    SZ_ASSIGN_OR_RETURN(zone::MemberSpec member, ParseMember(z, m));
    spec.members.push_back(member);
  }
  for (const std::string& d : a.project_datasets) {
    auto eq = d.find('=');
    if (eq == std::string::npos)
      return InvalidArgument(
          fmt::format("--dataset takes NAME[@VERSION]=COL,COL,... (got '{}')", d));
    zone::ProjectDatasetSpec ds;
    std::string head = d.substr(0, eq);
    if (auto at = head.find('@'); at != std::string::npos) {
      ds.version = std::atoi(head.c_str() + at + 1);
      head.resize(at);
    }
    ds.dataset = head;
    ds.columns = SplitComma(std::string_view(d).substr(eq + 1));
    for (const std::string& p : a.person_columns) {
      auto peq = p.find('=');
      if (peq == std::string::npos)
        return InvalidArgument("--person takes DATASET=COLUMN or DATASET=@row");
      if (p.substr(0, peq) != ds.dataset) continue;
      std::string col = p.substr(peq + 1);
      if (col == "@row")
        ds.row_is_person = true;
      else
        ds.person_column = col;
    }
    spec.datasets.push_back(std::move(ds));
  }
  return spec;
}

void RenderProject(const zone::Project& p, Date today) {
  std::printf("%s — %s\n", p.name.c_str(), p.title.c_str());
  std::printf("state %s (%s), %s .. %s, %s review\n",
              std::string(zone::EffectiveStateName(p.EffectiveOn(today))).c_str(),
              std::string(zone::ProjectStateName(p.state)).c_str(), FormatDate(p.start).c_str(),
              FormatDate(p.end).c_str(), p.two_reviewers ? "two-reviewer" : "single-reviewer");
  std::printf("purpose: %s\n", p.purpose.c_str());
  std::printf("proposed by %s at %s%s\n", p.created_by.c_str(), p.created_at.c_str(),
              p.approved_by.empty()
                  ? ""
                  : fmt::format("; approved by {} at {}", p.approved_by, p.approved_at).c_str());
  Table members({"member", "role"});
  for (const auto& m : p.members)
    members.Add({m.username.empty() ? std::to_string(m.user_id) : m.username,
                 std::string(zone::MemberRoleName(m.role))});
  std::fputs(members.Render().c_str(), stdout);
  Table datasets({"dataset", "version", "tier", "person", "approved columns"});
  for (const auto& d : p.datasets) {
    std::string cols;
    for (const auto& c : d.columns) cols += (cols.empty() ? "" : ", ") + c;
    datasets.Add({d.name, std::to_string(d.version), d.tier,
                  d.row_is_person ? "(each row)" : d.person_column, cols});
  }
  std::fputs(datasets.Render().c_str(), stdout);
}

Status Show(Context& ctx, zone::Zone& z, const zone::Project& p) {
  if (ctx.json)
    PrintJson(zone::ToJson(p, Today(z)));
  else
    RenderProject(p, Today(z));
  return OkStatus();
}

Status CreateProject(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(zone::ProjectSpec spec, BuildProjectSpec(*z, ctx.args));
  SZ_ASSIGN_OR_RETURN(zone::Project p, zone::CreateProject(*z, zone::Caller::Operator(), spec));
  return Show(ctx, *z, p);
}

Status ProjectAction(Context& ctx,
                     const std::function<Result<zone::Project>(zone::Zone&)>& action) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(zone::Project p, action(*z));
  return Show(ctx, *z, p);
}

Status Members(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  zone::Caller op = zone::Caller::Operator();
  for (const std::string& m : ctx.args.add) {
    SZ_ASSIGN_OR_RETURN(zone::MemberSpec member, ParseMember(*z, m));
    SZ_RETURN_IF_ERROR(zone::AddMember(*z, op, ctx.args.project, member).status());
  }
  for (const std::string& m : ctx.args.remove) {
    SZ_ASSIGN_OR_RETURN(int64_t id, zone::UserIdByName(*z, m));
    SZ_RETURN_IF_ERROR(zone::RemoveMember(*z, op, ctx.args.project, id).status());
  }
  SZ_ASSIGN_OR_RETURN(zone::Project p, zone::ShowProject(*z, op, ctx.args.project));
  return Show(ctx, *z, p);
}

Status ListProjects(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto projects, zone::ListProjects(*z, zone::Caller::Operator()));
  Date today = Today(*z);
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : projects) out.push_back(zone::ToJson(p, today));
    PrintJson(out);
    return OkStatus();
  }
  Table t({"name", "state", "start", "end", "members", "datasets", "title"});
  for (const auto& p : projects) {
    t.Add({p.name, std::string(zone::EffectiveStateName(p.EffectiveOn(today))), FormatDate(p.start),
           FormatDate(p.end), std::to_string(p.members.size()), std::to_string(p.datasets.size()),
           p.title});
  }
  std::fputs(t.Render().c_str(), stdout);
  std::printf("%zu project(s)\n", projects.size());
  return OkStatus();
}

// ---- workspace ----

ws::SandboxLimits Limits(const Args& a) {
  ws::SandboxLimits limits;
  limits.query_timeout = std::chrono::seconds(std::max(1, a.timeout_seconds));
  limits.memory_limit = a.memory_limit;
  if (a.threads > 0) limits.threads = a.threads;
  limits.max_result_rows = static_cast<size_t>(std::max(1, a.max_rows));
  return limits;
}

void RenderResult(const Context& ctx, const ws::StatementResult& r) {
  if (ctx.json) {
    PrintJson(zone::ToJson(r));
    return;
  }
  if (!r.message.empty()) {
    std::printf("%s\n", r.message.c_str());
    return;
  }
  Table t(r.columns);
  for (const auto& row : r.rows) {
    std::vector<std::string> cells;
    for (const auto& v : row) cells.push_back(duck::IsNull(v) ? "NULL" : duck::ValueToString(v));
    t.Add(std::move(cells));
  }
  std::fputs(t.Render().c_str(), stdout);
  std::printf("%zu row(s)%s\n", r.rows.size(),
              r.truncated ? " (more rows not shown: add a LIMIT or aggregate)" : "");
}

// A 0600 history file: $SAFEZONE_HISTORY, else ~/.safezone_history.
class History {
 public:
  History() {
    const char* path = std::getenv("SAFEZONE_HISTORY");
    const char* home = std::getenv("HOME");
    std::string p = path ? path : home ? std::string(home) + "/.safezone_history" : "";
    if (p.empty()) return;
    fd_ = ::open(p.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ >= 0) ::fchmod(fd_, 0600);  // also when it existed with wider permissions
  }
  ~History() {
    if (fd_ >= 0) ::close(fd_);
  }
  History(const History&) = delete;
  History& operator=(const History&) = delete;
  void Add(const std::string& statement) {
    if (fd_ < 0) return;
    std::string line = statement + ";\n";
    [[maybe_unused]] ssize_t n = ::write(fd_, line.data(), line.size());
  }

 private:
  int fd_ = -1;
};

// True when `buffer` holds at least one complete statement (a top-level ';').
bool Complete(const std::string& buffer) {
  auto tokens = ws::Tokenize(buffer);
  if (!tokens.ok()) return false;  // an open string or comment: keep reading
  for (const auto& t : *tokens)
    if (t.kind == ws::TokenKind::kSymbol && t.text == ";") return true;
  return false;
}

Status Interactive(Context& ctx, zone::Workspace& w) {
  History history;
  std::printf(
      "workspace %s: %zu approved table(s). End statements with ';'. .tables lists them, .quit "
      "leaves.\n"
      "Ctrl-C cancels the running query; Ctrl-D leaves.\n",
      w.project().name.c_str(), w.tables().size());
  std::string buffer;
  while (true) {
    std::fputs(buffer.empty() ? "sql> " : "...> ", stdout);
    std::fflush(stdout);
    InterruptFlag().store(false);
    std::string line;
    if (!std::getline(std::cin, line)) {
      if (InterruptFlag().load()) {  // Ctrl-C at the prompt: drop the line, keep the session
        std::cin.clear();
        std::clearerr(stdin);
        buffer.clear();
        std::printf("\n");
        continue;
      }
      break;  // end of input
    }
    if (buffer.empty() && (line == ".quit" || line == ".exit")) break;
    if (buffer.empty() && line == ".tables") {
      for (const auto& t : w.tables()) {
        std::string cols;
        for (const auto& c : t.columns) cols += (cols.empty() ? "" : ", ") + c;
        std::printf("%s (%s, %s)\n", t.name.c_str(), cols.c_str(),
                    std::string(ws::kPersonColumn).c_str());
      }
      continue;
    }
    buffer += line + "\n";
    if (!Complete(buffer)) continue;
    auto statements = ws::SplitStatements(buffer);
    buffer.clear();
    if (!statements.ok()) {
      PrintError(statements.status());
      continue;
    }
    for (const std::string& s : *statements) {
      history.Add(s);
      auto r = w.Run(s, &InterruptFlag());
      if (r.ok())
        RenderResult(ctx, *r);
      else
        PrintError(r.status());
    }
  }
  return OkStatus();
}

Status Workspace(Context& ctx) {
  const Args& a = ctx.args;
  if (!a.sql.empty() && !a.script_file.empty())
    return InvalidArgument("pass -c SQL or -f FILE, not both");
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto w,
                      zone::Workspace::Open(*z, zone::Caller::Operator(), a.project, Limits(a)));
  std::string script = a.sql;
  if (!a.script_file.empty()) {
    SZ_ASSIGN_OR_RETURN(script, ReadFile(a.script_file, "script"));
  }
  if (script.empty()) return Interactive(ctx, *w);
  SZ_ASSIGN_OR_RETURN(auto statements, ws::SplitStatements(script));
  for (const std::string& s : statements) {
    SZ_ASSIGN_OR_RETURN(auto r, w->Run(s, &InterruptFlag()));
    RenderResult(ctx, r);
  }
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

void RenderOutputInfo(const Context& ctx, const zone::OutputInfo& o) {
  if (ctx.json) {
    PrintJson(zone::ToJson(o));
    return;
  }
  std::printf("saved output %s (%s) revision %d, sha256 %s\n", o.name.c_str(),
              std::string(zone::OutputKindName(o.kind)).c_str(), o.revision,
              o.content_sha256.substr(0, 16).c_str());
}

Status SaveTable(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(ws::TableSpec spec, TableSpecFromArgs(ctx.args));
  SZ_ASSIGN_OR_RETURN(
      zone::OutputKind kind,
      zone::ParseOutputKind(ctx.args.kind.empty() ? "frequency_table" : ctx.args.kind));
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto w, zone::Workspace::Open(*z, zone::Caller::Operator(), ctx.args.project,
                                                    Limits(ctx.args)));
  SZ_ASSIGN_OR_RETURN(auto info, w->SaveTable(ctx.args.name, kind, spec, &InterruptFlag()));
  RenderOutputInfo(ctx, info);
  return OkStatus();
}

Status SaveRegression(Context& ctx) {
  const Args& a = ctx.args;
  ws::RegressionSpec spec;
  if (!a.spec_file.empty()) {
    SZ_ASSIGN_OR_RETURN(std::string text, ReadFile(a.spec_file, "regression definition"));
    SZ_ASSIGN_OR_RETURN(spec, ws::RegressionSpecFromJson(text));
  } else {
    spec.source.from = a.from;
    spec.source.where = a.where;
    spec.outcome = a.y;
    spec.predictors = a.x;
  }
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto w,
                      zone::Workspace::Open(*z, zone::Caller::Operator(), a.project, Limits(a)));
  SZ_ASSIGN_OR_RETURN(auto info, w->SaveRegression(a.name, spec, &InterruptFlag()));
  RenderOutputInfo(ctx, info);
  return OkStatus();
}

Status SaveQuery(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto w, zone::Workspace::Open(*z, zone::Caller::Operator(), ctx.args.project,
                                                    Limits(ctx.args)));
  SZ_ASSIGN_OR_RETURN(auto info, w->SaveQueryResult(ctx.args.name, ctx.args.sql, &InterruptFlag()));
  RenderOutputInfo(ctx, info);
  return OkStatus();
}

Status SaveText(Context& ctx) {
  const Args& a = ctx.args;
  SZ_ASSIGN_OR_RETURN(zone::OutputKind kind,
                      zone::ParseOutputKind(a.kind.empty() ? "text" : a.kind));
  SZ_ASSIGN_OR_RETURN(std::string content, ReadFile(a.file, "file"));
  std::string base = a.file.substr(a.file.find_last_of('/') + 1);
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto info, zone::SaveFreeform(*z, zone::Caller::Operator(), a.project, a.name,
                                                    kind, base, content));
  RenderOutputInfo(ctx, info);
  return OkStatus();
}

Status ListOutputs(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto outputs,
                      zone::ListOutputs(*z, zone::Caller::Operator(), ctx.args.project));
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : outputs) out.push_back(zone::ToJson(o));
    PrintJson(out);
    return OkStatus();
  }
  Table t({"name", "kind", "revision", "updated", "sha256"});
  for (const auto& o : outputs) {
    t.Add({o.name, std::string(zone::OutputKindName(o.kind)), std::to_string(o.revision),
           o.updated_at, o.content_sha256.substr(0, 16)});
  }
  std::fputs(t.Render().c_str(), stdout);
  return OkStatus();
}

Status ShowOutput(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto content, zone::ReadOutput(*z, zone::Caller::Operator(), ctx.args.project,
                                                     ctx.args.name));
  std::printf("%s (%s): %s\n", content.output.uid.c_str(),
              std::string(zone::OutputKindName(content.kind)).c_str(),
              content.output.command.c_str());
  if (const auto* table = std::get_if<disclosure::Table>(&content.output.body)) {
    std::vector<std::string> header;
    for (const auto& d : table->dimensions) header.push_back(d.name);
    for (const char* h : {"value", "persons", "top1", "top2", "negative", "margin"})
      header.emplace_back(h);
    Table t(header);
    for (const auto& c : table->cells) {
      std::vector<std::string> row;
      for (size_t d = 0; d < c.categories.size(); ++d)
        row.push_back(table->dimensions[d].categories[c.categories[d]].label);
      row.push_back(c.evidence.value_null ? "NULL" : fmt::format("{}", c.value));
      row.push_back(std::to_string(c.evidence.persons));
      row.push_back(fmt::format("{}", c.evidence.top1));
      row.push_back(fmt::format("{}", c.evidence.top2));
      row.push_back(std::to_string(c.evidence.negative_contributions));
      row.push_back(c.margin ? "yes" : "");
      t.Add(std::move(row));
    }
    std::fputs(t.Render().c_str(), stdout);
  }
  for (const auto& f : content.attachments) {
    std::printf("--- %s (%zu bytes)\n%s\n", f.name.c_str(), f.content.size(),
                f.content.size() <= 4096 ? f.content.c_str() : "(larger than 4 KiB; not shown)");
  }
  return OkStatus();
}

}  // namespace

void AddProjectCommands(CLI::App& app, Context& ctx) {
  Args& a = ctx.args;
  auto* pr = app.add_subcommand("project",
                                "Projects: propose, approve, list, show, manage members, close");
  pr->require_subcommand(1);
  auto* create = pr->add_subcommand("create", "Propose a project (draft)");
  create->add_option("name", a.project, "Project name ([a-z][a-z0-9_]*)")->required();
  create->add_option("--title", a.title_ko, "Title");
  create->add_option("--purpose", a.purpose, "Purpose of the analysis")->required();
  create->add_option("--start", a.start, "First day (YYYY-MM-DD, Seoul)")->required();
  create->add_option("--end", a.end, "Last day (YYYY-MM-DD, Seoul)")->required();
  create->add_option("--member", a.members, "USER[:lead|analyst], repeatable");
  create
      ->add_option("--dataset", a.project_datasets,
                   "NAME[@VERSION]=COL,COL,... approved columns, repeatable")
      ->required();
  create->add_option("--person", a.person_columns,
                     "DATASET=COLUMN (pseudonym column) or DATASET=@row (a row is a person)");
  create->add_flag("--two-reviewers", a.two_reviewers,
                   "Exports need two independent reviewer votes");
  create->add_option("--risk-appetite", a.risk_appetite_file,
                     "JSON file: the project's risk appetite layer");
  create->callback([&ctx] { ctx.status = CreateProject(ctx); });

  auto* approve = pr->add_subcommand("approve", "Approve a draft project");
  approve->add_option("name", a.project)->required();
  approve->callback([&ctx] {
    ctx.status = ProjectAction(ctx, [&](zone::Zone& z) {
      return zone::ApproveProject(z, zone::Caller::Operator(), ctx.args.project);
    });
  });
  auto* list = pr->add_subcommand("list", "List projects");
  list->callback([&ctx] { ctx.status = ListProjects(ctx); });
  auto* show = pr->add_subcommand("show", "Show a project");
  show->add_option("name", a.project)->required();
  show->callback([&ctx] {
    ctx.status = ProjectAction(ctx, [&](zone::Zone& z) {
      return zone::ShowProject(z, zone::Caller::Operator(), ctx.args.project);
    });
  });
  auto* members = pr->add_subcommand("members", "Add or remove members");
  members->add_option("name", a.project)->required();
  members->add_option("--add", a.add, "USER[:lead|analyst], repeatable");
  members->add_option("--remove", a.remove, "USER, repeatable");
  members->callback([&ctx] { ctx.status = Members(ctx); });
  auto* close = pr->add_subcommand("close", "Close a project (its workspace and exports end)");
  close->add_option("name", a.project)->required();
  close->add_option("--reason", a.reason, "Why");
  close->callback([&ctx] {
    ctx.status = ProjectAction(ctx, [&](zone::Zone& z) {
      return zone::CloseProject(z, zone::Caller::Operator(), ctx.args.project, ctx.args.reason);
    });
  });

  auto* wsc = app.add_subcommand("workspace",
                                 "SQL over a project's approved data (interactive, or -c / -f)");
  wsc->add_option("project", a.project)->required();
  wsc->add_option("-c,--command", a.sql, "SQL to run (one or more statements)");
  wsc->add_option("-f,--file", a.script_file, "SQL script to run");
  wsc->add_option("--timeout", a.timeout_seconds,
                  "Time limit per statement in seconds (default 60)");
  wsc->add_option("--memory", a.memory_limit, "Memory limit (default 2GB)");
  wsc->add_option("--threads", a.threads, "Threads (default 2)");
  wsc->add_option("--max-rows", a.max_rows, "Rows shown per statement (default 1000)");
  wsc->callback([&ctx] { ctx.status = Workspace(ctx); });

  auto* out = app.add_subcommand("output", "Named outputs of a project");
  out->require_subcommand(1);
  auto* table = out->add_subcommand("table", "Save a table with its disclosure evidence");
  table->add_option("project", a.project)->required();
  table->add_option("name", a.name)->required();
  table->add_option(
      "--kind", a.kind,
      "frequency_table (default), cross_table, histogram, chart_data, magnitude_table, ...");
  table->add_option("--spec", a.spec_file, "JSON table definition (joins, hierarchies, filters)");
  table->add_option("--from", a.from, "Approved table");
  table->add_option("--by", a.by, "Dimension expression, repeatable");
  table->add_option(
      "--stat", a.stat,
      "persons (default), rows, sum, mean, median, quantile, min, max, mode, variance, stddev");
  table->add_option("--measure", a.measure, "Measure expression");
  table->add_option("--where", a.where, "Filter condition");
  table->callback([&ctx] { ctx.status = SaveTable(ctx); });
  auto* reg =
      out->add_subcommand("regression", "Save an OLS regression (coefficients, N, residual df)");
  reg->add_option("project", a.project)->required();
  reg->add_option("name", a.name)->required();
  reg->add_option("--spec", a.spec_file, "JSON regression definition");
  reg->add_option("--from", a.from, "Approved table");
  reg->add_option("--y", a.y, "Outcome expression");
  reg->add_option("--x", a.x, "Predictor expression, repeatable");
  reg->add_option("--where", a.where, "Filter condition");
  reg->callback([&ctx] { ctx.status = SaveRegression(ctx); });
  auto* query =
      out->add_subcommand("query", "Save a query's result as a CSV file output (always reviewed)");
  query->add_option("project", a.project)->required();
  query->add_option("name", a.name)->required();
  query->add_option("-c,--command", a.sql, "The query")->required();
  query->callback([&ctx] { ctx.status = SaveQuery(ctx); });
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
