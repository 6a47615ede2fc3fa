// safezone demo | synth
#include <chrono>
#include <cstdio>

#include "cli/app.h"
#include "cli/render.h"
#include "fmt/format.h"
#include "synth/datasets.h"
#include "synth/generator.h"
#include "zone/catalog_json.h"
#include "zone/catalog_service.h"
#include "storage/env.h"
#include "zone/demo.h"
#include "zone/operator_accounts.h"

namespace sz::cli {

namespace {

void PrintCatalog(zone::Zone& z) {
  auto datasets = zone::SearchCatalog(z, zone::Caller::Operator("demo"), {});
  if (!datasets.ok()) return;
  Table t({"dataset", "sector", "tier", "provider", "rows", "identifier columns (detected)"});
  for (const auto& d : *datasets) {
    auto detail = zone::DescribeDataset(z, zone::Caller::Operator("demo"), d.name, 0);
    std::string ids;
    if (detail.ok()) {
      for (const auto& c : detail->version.columns) {
        if (c.role != "direct_identifier") continue;
        ids += (ids.empty() ? "" : ", ") + c.name + (c.pattern.empty() ? "" : " (" + c.pattern + ")");
      }
    }
    t.Add({d.name, d.sector, d.tier, d.provider, HumanCount(static_cast<double>(d.row_count)), ids});
  }
  std::fputs(t.Render().c_str(), stdout);
}

// The demo's accounts (one per role) are seeded once; their TOTP secrets are kept in
// DIR/demo-accounts.json (mode 0600, outside the zone) so that every run can show them.
// Demo only: a real zone's people enrol their own authenticators.
Result<std::vector<zone::DemoAccount>> DemoAccounts(zone::Zone& z, const std::string& dir) {
  const std::string path = dir + "/demo-accounts.json";
  std::vector<zone::DemoAccount> accounts;
  if (auto text = storage::ReadSmallFile(path); text.ok()) {
    auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_array()) return DataLoss(fmt::format("{} is not a list of accounts", path));
    for (const auto& a : j) {
      accounts.push_back({a.value("user_id", int64_t{0}), a.value("username", ""), a.value("role", ""),
                          a.value("institution", ""), a.value("password", ""), a.value("totp_secret", ""),
                          a.value("totp_uri", "")});
    }
    return accounts;
  }
  zone::DemoAccountOptions options;
  options.institution = std::string(synth::SpecOf(synth::DatasetId::kConsumption).provider);
  SZ_ASSIGN_OR_RETURN(accounts, zone::SeedDemoAccounts(z, options));
  nlohmann::json j = nlohmann::json::array();
  for (const auto& a : accounts) {
    j.push_back({{"user_id", a.user_id}, {"username", a.username}, {"role", a.role},
                 {"institution", a.institution}, {"password", a.password},
                 {"totp_secret", a.totp_secret}, {"totp_uri", a.totp_uri}});
  }
  SZ_RETURN_IF_ERROR(storage::WriteFileAtomic(storage::Env::Default(), path, j.dump(2), 0600));
  return accounts;
}

Status Demo(Context& ctx) {
  zone::DemoOptions options;
  options.dir = ctx.args.dir.empty() ? ".demo" : ctx.args.dir;
  options.scale = ctx.args.scale;
  options.seed = ctx.args.seed;
  options.threads = ctx.args.threads;
  ProgressLine line(!ctx.quiet);
  options.progress = [&](std::string_view stage, std::string_view dataset, double fraction) {
    line.Update(fmt::format("demo: {} {}{}", stage, dataset,
                            fraction >= 0 ? fmt::format(" {:.0f}%", fraction * 100) : ""));
  };
  SZ_ASSIGN_OR_RETURN(auto demo, zone::BuildDemoZone(options));
  line.Finish();
  if (demo.created) {
    int64_t rows = 0;
    for (const auto& r : demo.imports) rows += r.version.row_count;
    std::printf("Created demo zone %s (master key %s)\n", demo.zone->dir().c_str(), demo.key_file.c_str());
    std::printf("Generated synthetic data for all six sectors in %.1f s and imported %s rows into %zu "
                "datasets in %.1f s (%s rows/s), all stored encrypted.\n\n",
                demo.generate_seconds, HumanCount(static_cast<double>(rows)).c_str(), demo.imports.size(),
                demo.import_seconds, HumanCount(static_cast<double>(rows) / demo.import_seconds).c_str());
  } else {
    std::printf("Demo zone %s exists already (master key %s); showing it.\n\n", demo.zone->dir().c_str(),
                demo.key_file.c_str());
  }
  PrintCatalog(*demo.zone);
  if (!demo.pseudonymized.empty()) {
    std::printf("\nPseudonymized for project \"demo\" with reviewed suggested policies in %.1f s "
                "(awaiting sign-off by a pseudonymization officer):\n",
                demo.pseudonymize_seconds);
    Table t({"job", "dataset", "versions", "rows", "k before", "k after", "verdict"});
    for (const auto& run : demo.pseudonymized) {
      std::string k_before = "-", k_after = "-";
      for (const auto& m : run.report.risk) {
        if (m.name != "k") continue;
        if (m.before) k_before = fmt::format("{}", static_cast<long long>(*m.before));
        if (m.after) k_after = fmt::format("{}", static_cast<long long>(*m.after));
      }
      t.Add({std::to_string(run.job.id), run.job.dataset,
             fmt::format("{} -> {}", run.job.input_version, run.job.output_version),
             HumanCount(static_cast<double>(run.report.rows_out)), k_before, k_after, run.job.pass ? "pass" : "FAIL"});
    }
    std::fputs(t.Render().c_str(), stdout);
  }
  std::printf("\nAs the operator (local):\n  export SAFEZONE_ZONE=%s SAFEZONE_KEY_FILE=%s\n"
              "  safezone dataset show card_payments\n  safezone dataset search 주민\n"
              "  safezone pseudo jobs\n  safezone pseudo report 1 --lang en\n",
              demo.zone->dir().c_str(), demo.key_file.c_str());
  if (ctx.args.no_serve) return OkStatus();
  SZ_ASSIGN_OR_RETURN(auto accounts, DemoAccounts(*demo.zone, options.dir));
  std::printf("\nAs a person (through the HTTPS API), once the server below is up:\n"
              "  safezone login --server https://%s --ca-cert %s/tls/cert.pem --username analyst\n"
              "  as the pseudonymization officer (--username pseudo.officer), review and sign off the\n"
              "  demo's jobs, which the operator ran:\n"
              "  safezone pseudo report 1 --lang en; safezone pseudo signoff 1 --approve --comment \"...\"\n\n",
              ctx.args.listen.c_str(), demo.zone->dir().c_str());
  ctx.zone_dir = demo.zone->dir();
  ctx.key_file = demo.key_file;
  demo.zone.reset();  // the server opens its own connections
  return ServeZone(ctx, accounts);
}

Status Synth(Context& ctx) {
  synth::Options o;
  o.output_dir = ctx.args.dir;
  o.seed = ctx.args.seed;
  o.scale = ctx.args.scale;
  o.persons = ctx.args.persons;
  o.noise_rate = ctx.args.noise;
  o.threads = ctx.args.threads;
  for (const auto& name : ctx.args.datasets) {
    auto id = synth::DatasetByName(name);
    if (!id) return InvalidArgument(fmt::format("unknown dataset '{}'", name));
    o.datasets.push_back(*id);
  }
  for (const auto& name : ctx.args.cp949) {
    auto id = synth::DatasetByName(name);
    if (!id) return InvalidArgument(fmt::format("unknown dataset '{}'", name));
    o.encodings[*id] = text::Encoding::kCp949;
  }
  ProgressLine line(!ctx.quiet);
  o.on_progress = [&](std::string_view dataset, int64_t done, int64_t total) {
    line.Update(fmt::format("synth: {} {}/{} rows", dataset, HumanCount(double(done)), HumanCount(double(total))));
  };
  auto t = std::chrono::steady_clock::now();
  SZ_ASSIGN_OR_RETURN(auto manifest, synth::Generate(o));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  line.Finish();
  int64_t rows = 0;
  Table table({"dataset", "file", "encoding", "rows", "noisy rows"});
  for (const auto& d : manifest.datasets) {
    rows += d.rows;
    table.Add({std::string(synth::SpecOf(d.id).name), d.file, std::string(text::EncodingName(d.encoding)),
               std::to_string(d.rows), std::to_string(d.noisy_rows)});
  }
  std::fputs(table.Render().c_str(), stdout);
  std::printf("%lld rows for %lld persons in %.1f s (%s rows/s); manifest.json and ground_truth/ in %s\n",
              static_cast<long long>(rows), static_cast<long long>(manifest.persons), secs,
              HumanCount(static_cast<double>(rows) / secs).c_str(), o.output_dir.c_str());
  return OkStatus();
}

}  // namespace

void AddDemoCommands(CLI::App& app, Context& ctx) {
  Args& a = ctx.args;
  auto* demo = app.add_subcommand("demo", "Create (or show) a demo zone with sample data for all six sectors");
  demo->add_option("dir", a.dir, "Demo directory (default .demo): DIR/zone and DIR/master.key");
  demo->add_option("--scale", a.scale, "Data size; 1.0 = 10,000 persons, ~200,000 rows (default 1)");
  demo->add_option("--seed", a.seed, "Generator seed");
  demo->add_option("--threads", a.threads, "Threads (default: all cores)");
  demo->add_flag("--no-serve", a.no_serve, "Only build and show the zone; do not start the HTTPS server");
  demo->add_option("--listen", a.listen, "Server address (default 127.0.0.1:8443)");
  demo->callback([&ctx] { ctx.status = Demo(ctx); });

  auto* synth = app.add_subcommand("synth", "Generate deterministic synthetic Korean data for the six sectors (with ground truth)");
  synth->add_option("--out", a.dir, "Output directory (new or empty)")->required();
  synth->add_option("--seed", a.seed, "Seed (same seed, same bytes)");
  synth->add_option("--scale", a.scale, "Scale factor (1.0 = 10,000 persons)");
  synth->add_option("--persons", a.persons, "Number of persons (overrides the scale's)");
  synth->add_option("--noise", a.noise, "Share of records with realistic errors (default 0.05)");
  synth->add_option("--dataset", a.datasets, "Only these datasets (repeatable)");
  synth->add_option("--cp949", a.cp949, "Write these datasets in CP949 (repeatable)");
  synth->add_option("--threads", a.threads, "Threads (default: all cores)");
  synth->callback([&ctx] { ctx.status = Synth(ctx); });
}

}  // namespace sz::cli
