// A workspace session: an analyst's sandboxed SQL over exactly their project's approved
// data, and the outputs they save from it.
//
// Open() checks the caller (workspace.open: the project's analyst, a member, project
// active) and, for every caller including the local operator, that the project is active
// today; then each approved version is decrypted into a memory file, copied into the
// session's locked-down in-memory DuckDB with only its approved columns (plus the person
// key, see workspace/sandbox.h), and the memory file is closed. Nothing else of the zone
// is reachable: not other projects' data (never loaded), not the control-plane database
// or the key files (no file access; the database is opened by this process, not by
// DuckDB).
//
// Tabulations count persons exactly below twice the largest count the risk appetite's
// rules ask for and stop counting above it where the statistic allows (counts of rows,
// quantiles, min/max/mode, dispersion; see workspace/tabulate.h), which makes evidence on
// transaction data one pass; a count of rows saved once the project has released one is
// counted exactly, for differencing.
//
// Every statement, tabulation and save is re-authorized against the project as it is
// now (membership, state, period) and audited with its outcome: the SQL is stored in the
// audit entry encrypted and digested (audit_log.h), the dataset versions it read are
// listed. A failed or refused statement is audited as an error, without the engine's
// message (which may quote data values).
//
// A server keeps a Workspace across requests (zone/workspace_sessions.h), each request
// served by a Zone connection leased for it: Rebind() points the workspace at that
// connection and at the request's Caller (the same person, with the request's id and
// current roles) before the calls of that request.
//
// Thread-safety: one thread uses a Workspace; Interrupt() may be called from any thread
// (e.g. a Ctrl-C handler's helper) to stop the running statement.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "workspace/regression.h"
#include "workspace/sandbox.h"
#include "workspace/tabulate.h"
#include "zone/access.h"
#include "zone/outputs.h"
#include "zone/projects.h"
#include "zone/zone.h"

namespace sz::zone {

class Workspace {
 public:
  static Result<std::unique_ptr<Workspace>> Open(Zone& zone, const Caller& caller,
                                                 std::string_view project,
                                                 const workspace::SandboxLimits& limits = {});

  // One statement under the allow-list and the limits (see workspace/sandbox.h).
  Result<workspace::StatementResult> Run(std::string_view statement,
                                         const std::atomic<bool>* cancel = nullptr);
  // Statements of a script in order; stops at the first failure, which is returned.
  Result<std::vector<workspace::StatementResult>> RunScript(
      std::string_view script, const std::atomic<bool>* cancel = nullptr);
  // A table with its evidence, shown to the analyst (not saved).
  Result<workspace::Tabulation> Tabulate(const workspace::TableSpec& spec,
                                         const std::atomic<bool>* cancel = nullptr);
  Result<workspace::RegressionFit> Regress(const workspace::RegressionSpec& spec,
                                           const std::atomic<bool>* cancel = nullptr);

  // Saves a table (computed now, with its evidence) as output `name`. `kind` must match
  // the statistic (frequency/cross table, histogram, chart data for counts, ...).
  Result<OutputInfo> SaveTable(std::string_view name, OutputKind kind,
                               const workspace::TableSpec& spec,
                               const std::atomic<bool>* cancel = nullptr);
  Result<OutputInfo> SaveRegression(std::string_view name, const workspace::RegressionSpec& spec,
                                    const std::atomic<bool>* cancel = nullptr);
  // Saves a query's result as a CSV file output. It carries no person evidence, so it is
  // free-form: always reviewed by a person. Its rows are bounded by max_result_rows.
  Result<OutputInfo> SaveQueryResult(std::string_view name, std::string_view sql,
                                     const std::atomic<bool>* cancel = nullptr);

  // Thread-safe.
  void Interrupt() { sandbox_->Interrupt(); }

  // Uses `zone` (an open connection to the same zone) and `caller` for the calls that
  // follow. PermissionDenied if `caller` is not the person who opened the workspace.
  Status Rebind(Zone& zone, Caller caller);
  const Caller& caller() const { return caller_; }

  const Project& project() const { return project_; }
  // The approved tables: name and columns (the person key column included).
  const std::vector<workspace::SandboxTable>& tables() const { return sandbox_->tables(); }

 private:
  Workspace(Zone& zone, Caller caller, Project project, std::unique_ptr<workspace::Sandbox> sandbox)
      : zone_(&zone),
        caller_(std::move(caller)),
        project_(std::move(project)),
        sandbox_(std::move(sandbox)) {}
  // How persons are counted for `spec` (workspace/tabulate.h): capped at twice the risk
  // appetite's largest person count where the statistic allows it, except for a count of
  // rows being saved once the project has released a count of rows (differencing then
  // needs exact counts).
  Result<workspace::TabulateOptions> EvidenceOptions(const workspace::TableSpec& spec,
                                                     bool saving);
  // Re-loads the project and checks `action` and that the project is still active.
  Result<Access> Authorize(authz::Action action);
  // Writes the allow entry (ok) or the error entry (failure) with `details`.
  Status Finish(Access& access, const Status& outcome, const authz::AuditDetails& details);

  Zone* zone_;  // never null
  Caller caller_;
  Project project_;
  std::unique_ptr<workspace::Sandbox> sandbox_;
};

}  // namespace sz::zone
