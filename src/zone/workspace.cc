#include "zone/workspace.h"

#include "fmt/format.h"
#include "workspace/spec_json.h"
#include "workspace/sql_text.h"
#include "workspace/capped_persons.h"
#include "zone/catalog.h"
#include "zone/dataset_files.h"
#include "zone/export_checks.h"

namespace sz::zone {

using authz::Action;
namespace ws = sz::workspace;
namespace dc = sz::disclosure;

namespace {

std::string VersionLabel(const ProjectDataset& d) {
  return fmt::format("dataset:{}@{}", d.dataset_id, d.version);
}

// What the audit trail keeps of a failure: the code and a fixed phrase, never the
// engine's message (it can quote values from the data).
Status ForAudit(const Status& failure) {
  switch (failure.code()) {
    case Code::kPermissionDenied:
      return PermissionDenied("statement refused by the workspace");
    case Code::kDeadlineExceeded:
      return DeadlineExceeded("time limit reached");
    case Code::kResourceExhausted:
      return ResourceExhausted("memory limit reached");
    case Code::kCancelled:
      return Cancelled("cancelled by the analyst");
    case Code::kInvalidArgument:
      return InvalidArgument("SQL or definition error");
    case Code::kFailedPrecondition:
      return FailedPrecondition(failure.message());
    default:
      return Status(failure.code(), "workspace error");
  }
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string ToCsv(const ws::StatementResult& r) {
  std::string out;
  for (size_t c = 0; c < r.columns.size(); ++c) out += (c ? "," : "") + CsvField(r.columns[c]);
  out += "\n";
  for (const auto& row : r.rows) {
    for (size_t c = 0; c < row.size(); ++c)
      out += (c ? "," : "") + CsvField(duck::ValueToString(row[c]));
    out += "\n";
  }
  return out;
}

// Twice the largest person count any rule of `appetite` asks for ("at least N persons",
// degrees of freedom, observations per parameter): counts below it stay exact, which
// also keeps small differences between capped and exact cells decidable. 0 (exact) when
// that exceeds the aggregate's state.
int64_t PersonCap(const dc::RiskAppetite& appetite) {
  int64_t needed = std::max({appetite.threshold, appetite.min_residual_df + 1,
                             appetite.min_observations_per_parameter});
  int64_t cap = 2 * needed;
  return cap <= ws::kMaxPersonCap ? cap : 0;
}

}  // namespace

Result<ws::TabulateOptions> Workspace::EvidenceOptions(const ws::TableSpec& spec, bool saving) {
  ws::TabulateOptions options;
  if (!ws::CapAllowed(spec.aggregate)) return options;
  SZ_ASSIGN_OR_RETURN(dc::RiskAppetite appetite, ProjectRiskAppetite(*zone_, project_));
  options.person_cap = PersonCap(appetite);
  if (!saving || options.person_cap == 0 || ws::OutputTypeFor(spec.aggregate) !=
                                                 dc::OutputType::kFrequencyTable) {
    return options;
  }
  // Differencing compares count tables with the project's released ones by exact person
  // counts (disclosure/differencing.h): a count of rows saved once such a table has been
  // released is counted exactly.
  SZ_ASSIGN_OR_RETURN(auto released, LoadReleasedTables(*zone_, project_.id, 0));
  for (const ReleasedOutput& r : released) {
    const auto* t = std::get_if<dc::Table>(&r.content.output.body);
    if (t != nullptr && t->statistic == dc::Statistic::kCount &&
        t->measure == ws::AggregateName(ws::Aggregate::kRows)) {
      options.person_cap = 0;
      break;
    }
  }
  return options;
}

Result<std::unique_ptr<Workspace>> Workspace::Open(Zone& zone, const Caller& caller,
                                                   std::string_view name,
                                                   const ws::SandboxLimits& limits) {
  SZ_ASSIGN_OR_RETURN(Project project, LoadProject(zone, name));
  SZ_ASSIGN_OR_RETURN(Access access,
                      Access::Check(zone, caller, Action::kWorkspaceOpen, ProjectObject(project)));
  authz::AuditDetails details;
  for (const ProjectDataset& d : project.datasets) details.datasets.push_back(VersionLabel(d));
  auto sandbox = [&]() -> Result<std::unique_ptr<ws::Sandbox>> {
    SZ_RETURN_IF_ERROR(RequireActive(zone, project));
    Catalog catalog(zone);
    std::vector<storage::MemFile> plaintext;  // closed as soon as the sandbox holds the data
    std::vector<ws::SandboxTable> tables;
    for (const ProjectDataset& d : project.datasets) {
      SZ_ASSIGN_OR_RETURN(VersionInfo v, catalog.Version(d.name, d.version));
      if (v.id != d.version_id)
        return DataLoss(fmt::format("dataset '{}' version {} changed identity", d.name, d.version));
      SZ_ASSIGN_OR_RETURN(storage::MemFile mem, OpenVersion(zone, d.name, v));
      tables.push_back(
          {d.name, mem.path(), d.columns, d.row_is_person ? "" : d.person_column, VersionLabel(d)});
      plaintext.push_back(std::move(mem));
    }
    return ws::Sandbox::Create(tables, limits);
  }();
  if (!sandbox.ok()) {
    (void)std::move(access).RecordFailure(sandbox.status(), details);
    return sandbox.status();
  }
  auto opened = std::unique_ptr<Workspace>(
      new Workspace(zone, caller, std::move(project), std::move(*sandbox)));
  SZ_RETURN_IF_ERROR(opened->Finish(access, OkStatus(), details));
  return opened;
}

Status Workspace::Rebind(Zone& zone, Caller caller) {
  bool same = caller.is_operator() ? caller_.is_operator()
                                   : !caller_.is_operator() && caller.user_id() == caller_.user_id();
  if (!same) return PermissionDenied("this workspace belongs to another person");
  zone_ = &zone;
  caller_ = std::move(caller);
  return OkStatus();
}

Result<Access> Workspace::Authorize(Action action) {
  SZ_ASSIGN_OR_RETURN(Project fresh, LoadProjectById(*zone_, project_.id));
  SZ_ASSIGN_OR_RETURN(Access access, Access::Check(*zone_, caller_, action, ProjectObject(fresh)));
  if (Status active = RequireActive(*zone_, fresh); !active.ok()) {
    (void)std::move(access).RecordFailure(active);
    return active;
  }
  project_ = std::move(fresh);
  return access;
}

Status Workspace::Finish(Access& access, const Status& outcome,
                         const authz::AuditDetails& details) {
  if (!outcome.ok()) {
    (void)std::move(access).RecordFailure(ForAudit(outcome), details);
    return outcome;
  }
  // No result leaves without its audit entry: if the entry cannot be written, the
  // caller gets the error instead of the result.
  SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone_->db()));
  SZ_RETURN_IF_ERROR(std::move(access).Record(details));
  return txn.Commit();
}

Result<ws::StatementResult> Workspace::Run(std::string_view statement,
                                           const std::atomic<bool>* cancel) {
  SZ_ASSIGN_OR_RETURN(Access access, Authorize(Action::kWorkspaceQuery));
  auto result = sandbox_->Execute(statement, cancel);
  authz::AuditDetails details;
  details.query_text = std::string(statement);
  details.datasets = result.ok() ? result->touched : sandbox_->Touched(statement);
  SZ_RETURN_IF_ERROR(Finish(access, result.status(), details));
  return result;
}

Result<std::vector<ws::StatementResult>> Workspace::RunScript(std::string_view script,
                                                              const std::atomic<bool>* cancel) {
  SZ_ASSIGN_OR_RETURN(auto statements, ws::SplitStatements(script));
  std::vector<ws::StatementResult> out;
  for (size_t i = 0; i < statements.size(); ++i) {
    auto r = Run(statements[i], cancel);
    if (!r.ok())
      return r.status().WithContext(fmt::format("statement {} of {}", i + 1, statements.size()));
    out.push_back(std::move(*r));
  }
  return out;
}

Result<ws::Tabulation> Workspace::Tabulate(const ws::TableSpec& spec,
                                           const std::atomic<bool>* cancel) {
  SZ_ASSIGN_OR_RETURN(Access access, Authorize(Action::kWorkspaceQuery));
  auto tab = [&]() -> Result<ws::Tabulation> {
    SZ_ASSIGN_OR_RETURN(ws::TabulateOptions options, EvidenceOptions(spec, false));
    return ws::Tabulate(*sandbox_, spec, cancel, options);
  }();
  authz::AuditDetails details;
  details.note = "tabulate";
  details.query_text = ws::TableSpecToJson(spec).dump();
  if (tab.ok()) details.datasets = tab->touched;
  SZ_RETURN_IF_ERROR(Finish(access, tab.status(), details));
  return tab;
}

Result<ws::RegressionFit> Workspace::Regress(const ws::RegressionSpec& spec,
                                             const std::atomic<bool>* cancel) {
  SZ_ASSIGN_OR_RETURN(Access access, Authorize(Action::kWorkspaceQuery));
  auto fit = ws::FitOls(*sandbox_, spec, cancel);
  authz::AuditDetails details;
  details.note = "regression";
  details.query_text = ws::RegressionSpecToJson(spec).dump();
  if (fit.ok()) details.datasets = fit->touched;
  SZ_RETURN_IF_ERROR(Finish(access, fit.status(), details));
  return fit;
}

Result<OutputInfo> Workspace::SaveTable(std::string_view name, OutputKind kind,
                                        const ws::TableSpec& spec,
                                        const std::atomic<bool>* cancel) {
  SZ_ASSIGN_OR_RETURN(Access access, Authorize(Action::kOutputSave));
  authz::AuditDetails details;
  details.note = fmt::format("output {}", name);
  details.query_text = ws::TableSpecToJson(spec).dump();
  OutputInfo info;
  Status s = [&]() -> Status {
    SZ_RETURN_IF_ERROR(ValidateName("output", name));
    SZ_RETURN_IF_ERROR(CheckKindMatches(kind, ws::OutputTypeFor(spec.aggregate)));
    SZ_ASSIGN_OR_RETURN(ws::TabulateOptions options, EvidenceOptions(spec, true));
    SZ_ASSIGN_OR_RETURN(ws::Tabulation tab, ws::Tabulate(*sandbox_, spec, cancel, options));
    details.datasets = tab.touched;
    OutputContent content;
    content.kind = kind;
    content.output.type = tab.type;
    content.output.command = ws::DescribeTable(spec);
    content.output.body = std::move(tab.table);
    content.definition = details.query_text;
    content.datasets = tab.touched;
    SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone_->db()));
    SZ_ASSIGN_OR_RETURN(info,
                        StoreOutput(*zone_, project_, name, std::move(content), caller_.Label()));
    details.note += fmt::format(" r{}", info.revision);
    SZ_RETURN_IF_ERROR(std::move(access).Record(details));
    return txn.Commit();
  }();
  if (!s.ok()) {
    (void)std::move(access).RecordFailure(ForAudit(s), details);
    return s;
  }
  return info;
}

Result<OutputInfo> Workspace::SaveRegression(std::string_view name, const ws::RegressionSpec& spec,
                                             const std::atomic<bool>* cancel) {
  SZ_ASSIGN_OR_RETURN(Access access, Authorize(Action::kOutputSave));
  authz::AuditDetails details;
  details.note = fmt::format("output {}", name);
  details.query_text = ws::RegressionSpecToJson(spec).dump();
  OutputInfo info;
  Status s = [&]() -> Status {
    SZ_RETURN_IF_ERROR(ValidateName("output", name));
    SZ_ASSIGN_OR_RETURN(ws::RegressionFit fit, ws::FitOls(*sandbox_, spec, cancel));
    details.datasets = fit.touched;
    std::string csv = "term,estimate,std_error\n";
    for (const ws::Coefficient& c : fit.coefficients) {
      csv += fmt::format("{},{},{}\n", CsvField(c.term), c.estimate, c.std_error);
    }
    OutputContent content;
    content.kind = OutputKind::kRegression;
    content.output.type = dc::OutputType::kRegression;
    content.output.command =
        fmt::format("{} (N = {}, residual df = {}, R^2 = {:.4f})", ws::DescribeRegression(spec),
                    fit.observations, fit.residual_df, fit.r_squared);
    content.output.body =
        dc::RegressionEvidence{"ols", fit.observations, fit.parameters, fit.residual_df};
    content.attachments.push_back({std::string(name) + ".csv", std::move(csv)});
    content.definition = details.query_text;
    content.datasets = fit.touched;
    SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone_->db()));
    SZ_ASSIGN_OR_RETURN(info,
                        StoreOutput(*zone_, project_, name, std::move(content), caller_.Label()));
    details.note += fmt::format(" r{}", info.revision);
    SZ_RETURN_IF_ERROR(std::move(access).Record(details));
    return txn.Commit();
  }();
  if (!s.ok()) {
    (void)std::move(access).RecordFailure(ForAudit(s), details);
    return s;
  }
  return info;
}

Result<OutputInfo> Workspace::SaveQueryResult(std::string_view name, std::string_view sql,
                                              const std::atomic<bool>* cancel) {
  SZ_ASSIGN_OR_RETURN(Access access, Authorize(Action::kOutputSave));
  authz::AuditDetails details;
  details.note = fmt::format("output {}", name);
  details.query_text = std::string(sql);
  OutputInfo info;
  Status s = [&]() -> Status {
    SZ_RETURN_IF_ERROR(ValidateName("output", name));
    SZ_ASSIGN_OR_RETURN(ws::StatementResult r, sandbox_->Execute(sql, cancel));
    details.datasets = r.touched;
    if (r.kind != ws::StatementKind::kQuery)
      return InvalidArgument("only a query's result can be saved as a file output");
    if (r.truncated) {
      return ResourceExhausted(fmt::format(
          "the result has more than {} rows; aggregate it (a table output) before saving",
          r.rows.size()));
    }
    std::string csv = ToCsv(r);
    OutputContent content;
    content.kind = OutputKind::kFile;
    content.output.type = dc::OutputType::kFreeform;
    content.output.command = std::string(sql);
    dc::FileEvidence f;
    f.name = std::string(name) + ".csv";
    f.size_bytes = csv.size();
    f.rows = static_cast<int64_t>(r.rows.size());
    content.output.body = f;
    content.attachments.push_back({f.name, std::move(csv)});
    content.definition = std::string(sql);
    content.datasets = r.touched;
    SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone_->db()));
    SZ_ASSIGN_OR_RETURN(info,
                        StoreOutput(*zone_, project_, name, std::move(content), caller_.Label()));
    details.note += fmt::format(" r{}", info.revision);
    SZ_RETURN_IF_ERROR(std::move(access).Record(details));
    return txn.Commit();
  }();
  if (!s.ok()) {
    (void)std::move(access).RecordFailure(ForAudit(s), details);
    return s;
  }
  return info;
}

}  // namespace sz::zone
