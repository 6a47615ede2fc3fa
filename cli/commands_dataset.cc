// safezone dataset import | list | show | roles | verify
#include <cstdio>
#include <map>

#include "cli/app.h"
#include "cli/render.h"
#include "fmt/format.h"
#include "zone/catalog.h"
#include "zone/catalog_json.h"
#include "zone/catalog_service.h"
#include "zone/dataset_files.h"
#include "zone/ingest.h"

namespace sz::cli {

namespace {

void PrintJson(const nlohmann::json& j) { std::printf("%s\n", j.dump(2).c_str()); }

std::string Percent(double share) { return share > 0 ? fmt::format("{:.1f}%", share * 100) : ""; }

Result<zone::ImportRequest> BuildImportRequest(const Args& a) {
  zone::ImportRequest r;
  r.path = a.file;
  r.name = a.name;
  r.title_ko = a.title_ko;
  r.title_en = a.title_en;
  r.sector = a.sector;
  r.tier = a.tier;
  r.provider = a.provider;
  r.description = a.description;
  r.new_version = a.new_version;
  r.threads = a.threads;
  SZ_ASSIGN_OR_RETURN(r.encoding, text::ParseEncoding(a.encoding));
  if (a.delimiter == "\\t" || a.delimiter == "tab") {
    r.delimiter = '\t';
  } else if (a.delimiter.size() == 1) {
    r.delimiter = a.delimiter[0];
  } else if (!a.delimiter.empty()) {
    return InvalidArgument("--delimiter takes one character (or 'tab')");
  }
  if (a.header && a.no_header) return InvalidArgument("--header and --no-header contradict each other");
  if (a.header) r.header = true;
  if (a.no_header) r.header = false;
  if (a.format == "csv") {
    r.format = zone::SourceFormat::kCsv;
  } else if (a.format == "parquet") {
    r.format = zone::SourceFormat::kParquet;
  } else if (a.format != "auto") {
    return InvalidArgument("--format is csv, parquet or auto");
  }
  return r;
}

void RenderColumns(const std::vector<zone::ColumnInfo>& columns) {
  Table t({"#", "column", "type", "role", "proposed", "pattern", "share", "confirmed"});
  for (const auto& c : columns) {
    t.Add({std::to_string(c.position + 1), c.name, c.type, c.role, c.proposed_role, c.pattern,
           Percent(c.share), c.confirmed ? "yes" : "no"});
  }
  std::fputs(t.Render().c_str(), stdout);
}

Status Import(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto request, BuildImportRequest(ctx.args));
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  ProgressLine line(!ctx.quiet);
  zone::ImportHooks hooks;
  hooks.cancel = &InterruptFlag();
  hooks.progress = [&](const zone::ImportProgress& p) {
    std::string frac = p.fraction >= 0 ? fmt::format(" {:.0f}%", p.fraction * 100) : "";
    line.Update(fmt::format("import {}: {}{} ({} read, {:.1f} s)", request.name, p.stage, frac,
                            HumanBytes(p.bytes), p.seconds));
  };
  SZ_ASSIGN_OR_RETURN(auto result, zone::ImportDataset(*z, sz::zone::Caller::Operator(), request, hooks));
  line.Finish();
  if (ctx.json) {
    PrintJson(zone::ToJson(result));
    return OkStatus();
  }
  const auto& v = result.version;
  double rate = result.stats.total_seconds > 0 ? static_cast<double>(v.row_count) / result.stats.total_seconds : 0;
  std::printf("imported %s version %d: %s rows in %.1f s (%s rows/s), tier %s\n", result.dataset.name.c_str(),
              v.version, HumanCount(static_cast<double>(v.row_count)).c_str(), result.stats.total_seconds,
              HumanCount(rate).c_str(), v.tier.c_str());
  std::printf("source %s: %s, encoding %s, delimiter '%s', %s\n", v.source_name.c_str(),
              v.source_format.c_str(), result.encoding.c_str(),
              result.delimiter == '\t' ? "\\t" : std::string(1, result.delimiter).c_str(),
              result.header ? "header row" : "no header row");
  std::printf("stored encrypted: %s (content sha256 %s)\n", HumanBytes(v.sealed_bytes).c_str(),
              v.content_sha256.substr(0, 16).c_str());
  RenderColumns(v.columns);
  std::printf("Review the proposed roles, then confirm or override them:\n"
              "  safezone dataset roles %s --set COLUMN=ROLE ... --confirm\n",
              result.dataset.name.c_str());
  return OkStatus();
}

Status List(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  const Args& a = ctx.args;
  SZ_ASSIGN_OR_RETURN(auto datasets,
                      zone::SearchCatalog(*z, zone::Caller::Operator(), {a.sector, a.tier, a.provider, a.search}));
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : datasets) out.push_back(zone::ToJson(d));
    PrintJson(out);
    return OkStatus();
  }
  Table t({"name", "sector", "tier", "provider", "rows", "ver", "identifiers", "title"});
  for (const auto& d : datasets) {
    t.Add({d.name, d.sector, d.tier, d.provider, HumanCount(static_cast<double>(d.row_count)),
           std::to_string(d.latest_version), std::to_string(d.identifier_columns),
           d.title_ko.empty() ? d.title_en : d.title_ko});
  }
  std::fputs(t.Render().c_str(), stdout);
  std::printf("%zu dataset(s)\n", datasets.size());
  return OkStatus();
}

Status Show(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto detail, zone::DescribeDataset(*z, zone::Caller::Operator(), ctx.args.name, ctx.args.version));
  const auto& d = detail.dataset;
  const auto& v = detail.version;
  if (ctx.json) {
    auto j = zone::ToJson(d);
    j["version"] = zone::ToJson(v);
    PrintJson(j);
    return OkStatus();
  }
  std::printf("%s — %s / %s\n", d.name.c_str(), d.title_ko.c_str(), d.title_en.c_str());
  std::printf("sector %s, tier %s, provider %s\n", d.sector.c_str(), d.tier.c_str(), d.provider.c_str());
  if (!d.description.empty()) std::printf("%s\n", d.description.c_str());
  std::printf("version %d of %d (%s tier): %lld rows, imported %s by %s from %s (%s, %s)\n", v.version,
              d.latest_version, v.tier.c_str(), static_cast<long long>(v.row_count), v.created_at.c_str(),
              v.created_by.c_str(), v.source_name.c_str(), v.source_format.c_str(), v.source_encoding.c_str());
  std::printf("content sha256 %s, stored encrypted (%s)\n", v.content_sha256.c_str(),
              HumanBytes(v.sealed_bytes).c_str());
  RenderColumns(v.columns);
  for (const auto& c : v.columns)
    if (!c.evidence.empty()) std::printf("  %s: %s\n", c.name.c_str(), c.evidence.c_str());
  return OkStatus();
}

Status SetRoles(Context& ctx) {
  std::map<std::string, std::string> roles;
  for (const auto& kv : ctx.args.roles) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return InvalidArgument(fmt::format("--set takes COLUMN=ROLE, got '{}'", kv));
    roles[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  if (roles.empty() && !ctx.args.confirm) return InvalidArgument("nothing to do: pass --set COLUMN=ROLE and/or --confirm");
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto v, zone::UpdateColumnRoles(*z, zone::Caller::Operator(), ctx.args.name,
                                                      ctx.args.version, roles, ctx.args.confirm));
  if (ctx.json) {
    PrintJson(zone::ToJson(v));
  } else {
    RenderColumns(v.columns);
  }
  return OkStatus();
}

// Decrypts and authenticates every version of a dataset (or all datasets).
Status Verify(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto report, zone::VerifyStoredData(*z, zone::Caller::Operator(), ctx.args.name));
  std::printf("verified %d version(s) of %d dataset(s): all intact\n", report.versions, report.datasets);
  return OkStatus();
}

}  // namespace

void AddDatasetCommands(CLI::App& app, Context& ctx) {
  Args& a = ctx.args;
  auto* ds = app.add_subcommand("dataset", "Catalog: import, list, search and describe datasets");
  ds->require_subcommand(1);

  auto* imp = ds->add_subcommand("import", "Import a CSV (UTF-8 or CP949/EUC-KR) or Parquet file as a dataset");
  imp->add_option("file", a.file, "The provider's file")->required();
  imp->add_option("--name", a.name, "Dataset name ([a-z][a-z0-9_]*)")->required();
  imp->add_option("--sector", a.sector, "transportation, population, real_estate, tourism, consumption, finance, ...");
  imp->add_option("--tier", a.tier, "open, pseudonymized or non_open");
  imp->add_option("--provider", a.provider, "Provider institution");
  imp->add_option("--title-ko", a.title_ko, "Korean title");
  imp->add_option("--title-en", a.title_en, "English title");
  imp->add_option("--description", a.description, "Description");
  imp->add_option("--encoding", a.encoding, "auto (default), utf-8, cp949 or euc-kr");
  imp->add_option("--delimiter", a.delimiter, "CSV delimiter (default: detected); 'tab' for tab");
  imp->add_flag("--header", a.header, "The first line is a header (default: detected)");
  imp->add_flag("--no-header", a.no_header, "The first line is data (default: detected)");
  imp->add_option("--format", a.format, "auto (default), csv or parquet");
  imp->add_flag("--new-version", a.new_version, "Add a version to an existing dataset");
  imp->add_option("--threads", a.threads, "DuckDB threads (default: all cores)");
  imp->callback([&ctx] { ctx.status = Import(ctx); });

  auto* list = ds->add_subcommand("list", "List datasets (filter by sector, tier, provider, or search text)");
  list->add_option("--sector", a.sector, "Only this sector");
  list->add_option("--tier", a.tier, "Only this tier");
  list->add_option("--provider", a.provider, "Only this provider");
  list->add_option("--search,-s", a.search, "Text in name, titles, description, provider or column names");
  list->callback([&ctx] { ctx.status = List(ctx); });

  auto* search = ds->add_subcommand("search", "Search datasets by text (same as list --search)");
  search->add_option("text", a.search, "Text to find")->required();
  search->callback([&ctx] { ctx.status = List(ctx); });

  auto* show = ds->add_subcommand("show", "Describe a dataset: metadata, schema, column roles and evidence");
  show->add_option("name", a.name, "Dataset name")->required();
  show->add_option("--version", a.version, "Version (default: latest)");
  show->callback([&ctx] { ctx.status = Show(ctx); });

  auto* roles = ds->add_subcommand("roles", "Confirm or override the proposed column roles");
  roles->add_option("name", a.name, "Dataset name")->required();
  roles->add_option("--set", a.roles, "COLUMN=ROLE (direct_identifier, quasi_identifier, sensitive, other); repeatable");
  roles->add_flag("--confirm", a.confirm, "Confirm all roles of the version as reviewed");
  roles->add_option("--version", a.version, "Version (default: latest)");
  roles->callback([&ctx] { ctx.status = SetRoles(ctx); });

  auto* verify = ds->add_subcommand("verify", "Decrypt and authenticate stored versions (all datasets if no name)");
  verify->add_option("name", a.name, "Dataset name");
  verify->callback([&ctx] { ctx.status = Verify(ctx); });
}

}  // namespace sz::cli
