#include "cli/app.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "cli/render.h"
#include "common/status_codes.h"

namespace sz::cli {

std::atomic<bool>& InterruptFlag() {
  static std::atomic<bool> flag{false};
  return flag;
}

namespace {

void OnSignal(int) { InterruptFlag().store(true); }

void InstallSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // A file-size limit must surface as an EFBIG error we can report, not kill us mid-write.
  std::signal(SIGXFSZ, SIG_IGN);
}

std::string EnvOr(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

zone::ZoneOptions Context::ZoneOptions() const {
  zone::ZoneOptions o;
  o.dir = zone_dir;
  o.key.file = key_file;
  return o;
}

Result<std::unique_ptr<zone::Zone>> Context::OpenZone() const {
  if (zone_dir.empty()) return InvalidArgument("no zone given: pass --zone DIR or set SAFEZONE_ZONE");
  return zone::Zone::Open(ZoneOptions());
}

void PrintJson(const nlohmann::json& j) {
  std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

int Run(int argc, char** argv) {
  InstallSignalHandlers();
  Context ctx;
  ctx.zone_dir = EnvOr("SAFEZONE_ZONE");
  ctx.key_file = EnvOr("SAFEZONE_KEY_FILE");

  CLI::App app{"safezone — a Data Safe Zone (데이터안심구역): catalog, pseudonymization, combination, "
               "sandboxed analysis and checked exports of non-open and pseudonymized data.",
               "safezone"};
  app.require_subcommand(1);
  app.fallthrough();  // global flags may follow the subcommand too
  app.add_option("--zone", ctx.zone_dir, "Zone directory (default: $SAFEZONE_ZONE)");
  app.add_option("--key-file", ctx.key_file,
                 "Master key file, mode 0600, outside the zone (default: $SAFEZONE_KEY_FILE; "
                 "or the key itself in $SAFEZONE_MASTER_KEY)");
  app.add_flag("--json", ctx.json, "Print machine-readable JSON");
  app.add_flag("-q,--quiet", ctx.quiet, "No progress output");
  AddZoneCommands(app, ctx);
  AddDatasetCommands(app, ctx);
  AddDemoCommands(app, ctx);
  AddPseudoCommands(app, ctx);
  AddClientCommands(app, ctx);
  AddAuditCommands(app, ctx);
  AddServeCommands(app, ctx);
  AddProjectCommands(app, ctx);
  AddWorkspaceCommands(app, ctx);
  AddExportCommands(app, ctx);
  AddOpsCommands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error is "invalid input", like the rest.
    return app.exit(e) == 0 ? 0 : ExitCodeFor(Code::kInvalidArgument);
  }
  if (!ctx.status.ok()) {
    PrintError(ctx.status);
    return ExitCodeFor(ctx.status.code());
  }
  return 0;
}

}  // namespace sz::cli
