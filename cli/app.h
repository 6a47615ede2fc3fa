// The `safezone` command: parses arguments, calls one core function per subcommand and
// renders the result. No rule lives here (see ARCHITECTURE.md).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include <nlohmann/json.hpp>
#include "common/status.h"
#include "zone/operator_accounts.h"
#include "zone/zone.h"

namespace sz::cli {

int Run(int argc, char** argv);

// Flags of individual subcommands; CLI11 writes into these.
struct Args {
  std::string dir;
  std::string name;
  std::string new_key_file;
  std::string title_ko, title_en, description;
  std::string sector, tier, provider, search;
  std::string file, encoding = "auto", delimiter, format = "auto";
  bool header = false, no_header = false, new_version = false, confirm = false;
  int version = 0;
  int threads = 0;
  std::vector<std::string> roles;  // col=role
  double scale = 1.0;
  uint64_t seed = 20241231;
  double noise = 0.05;
  long long persons = 0;
  std::vector<std::string> datasets, cp949;
  // pseudo / anonymize
  std::string policy_file, project, summary, report_format = "md", lang = "ko", out_file, as_of, comment;
  std::string sensitive, metric = "loss";
  bool approve = false, reject = false, reversible_rrn = false, t_ordered = false;
  long long job = 0;
  std::vector<std::string> qis;  // COLUMN=HIERARCHY
  long long k = 5, l = 0;
  double t = 0, suppression = 0;
  // Client mode, people and tokens
  std::string server, ca_cert, username, totp, display_name, institution, accreditation;
  std::string id, grant, token_name;
  std::vector<std::string> grants, scopes;
  bool password_stdin = false, everywhere = false;
  int days = 30;
  // Audit
  int64_t after = 0, limit = 100;
  std::string actor, action, object, outcome, since, until, request_id, archive_format = "jsonl", output;
  // serve
  std::string listen = "127.0.0.1:8443", tls_cert, tls_key, demo_institution = "demo_institution";
  bool demo_accounts = false, no_serve = false;
  int workers = 64;
  int max_upload_mb = 1024;
  // totp-code (hidden, for scripts and tests)
  std::string secret;
  int offset = 0;

  // Projects, workspaces, outputs, exports, reviews, releases (`project` is shared above).
  std::string purpose, start, end, risk_appetite_file, reason, sql, script_file, spec_file;
  std::string kind, from, stat, measure, where, y, justification, method, out_dir, text;  // `output` is shared above
  std::vector<std::string> members, project_datasets, person_columns, add, remove, by, x, outputs, overrides;
  bool two_reviewers = false, cells = false, reviewers_only = false, return_request = false;
  int64_t object_id = 0;  // project, output, export or release id
  std::string archive;    // release download --archive FILE
  int timeout_seconds = 60;
  std::string memory_limit = "2GB";
  int max_rows = 1000;

  // Operations: report monthly, inspect, backup (`out_dir`, `tls_cert`, `tls_key` shared).
  std::string month, dest;  // `lang` is shared with the pseudonymization report
  int64_t min_route_requests = 10, min_dataset_queries = 5;
  double slow_p95_ms = 1000;
  int password_budget = 20, must_change_days = 7, backup_max_age_days = 7;
};

// Parsed flags, shared by every subcommand: the only state the CLI keeps.
struct Context {
  Args args;
  std::string zone_dir;  // --zone or $SAFEZONE_ZONE
  std::string key_file;  // --key-file or $SAFEZONE_KEY_FILE ($SAFEZONE_MASTER_KEY otherwise)
  bool json = false;     // machine-readable output
  bool quiet = false;    // no progress lines
  Status status;         // the first failure of the command that ran

  zone::ZoneOptions ZoneOptions() const;
  Result<std::unique_ptr<zone::Zone>> OpenZone() const;
  // People-facing commands run locally as the operator with --zone, else through the API.
  bool Local() const { return !zone_dir.empty(); }
};

// Set by SIGINT/SIGTERM; long operations poll it and stop cleanly.
std::atomic<bool>& InterruptFlag();

// Each group of subcommands registers itself on `app`.
void AddZoneCommands(CLI::App& app, Context& ctx);
void AddDatasetCommands(CLI::App& app, Context& ctx);
void AddDemoCommands(CLI::App& app, Context& ctx);
void AddPseudoCommands(CLI::App& app, Context& ctx);
void AddClientCommands(CLI::App& app, Context& ctx);   // login, logout, whoami, password, totp, token, user
void AddAuditCommands(CLI::App& app, Context& ctx);    // audit entries | verify | export
void AddServeCommands(CLI::App& app, Context& ctx);    // serve, admin create, totp-code

// Serves the zone of `ctx` (--listen, --tls-cert/--tls-key, --workers, --max-upload-mb)
// until SIGINT/SIGTERM, after printing its address, its certificate and `accounts` (demo
// accounts with their TOTP secrets; may be empty). `safezone demo` calls this after
// zone::SeedDemoAccounts.
Status ServeZone(Context& ctx, const std::vector<zone::DemoAccount>& accounts);

// Prints `j` as indented JSON on stdout.
void PrintJson(const nlohmann::json& j);
void AddProjectCommands(CLI::App& app, Context& ctx);    // project, output
void AddWorkspaceCommands(CLI::App& app, Context& ctx);  // workspace
void AddExportCommands(CLI::App& app, Context& ctx);     // export, review, release
void AddOpsCommands(CLI::App& app, Context& ctx);        // report monthly, inspect, backup

}  // namespace sz::cli
