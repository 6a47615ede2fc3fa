// The `safezone` command: parses arguments, calls one core function per subcommand and
// renders the result. No rule lives here (see ARCHITECTURE.md).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "common/status.h"
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
};

// Set by SIGINT/SIGTERM; long operations poll it and stop cleanly.
std::atomic<bool>& InterruptFlag();

// Each group of subcommands registers itself on `app`.
void AddZoneCommands(CLI::App& app, Context& ctx);
void AddDatasetCommands(CLI::App& app, Context& ctx);
void AddDemoCommands(CLI::App& app, Context& ctx);
void AddPseudoCommands(CLI::App& app, Context& ctx);

}  // namespace sz::cli
