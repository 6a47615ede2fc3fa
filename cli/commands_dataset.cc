// safezone dataset import | list | search | show | roles | verify
//
// Each command gets the same JSON either from the zone (with --zone, as the operator) or
// from the API (signed in), and renders it one way: the two modes cannot drift apart.
#include <cstdio>
#include <map>

#include "cli/app.h"
#include "cli/client_mode.h"
#include "cli/render.h"
#include "fmt/format.h"
#include "zone/catalog.h"
#include "zone/catalog_json.h"
#include "zone/catalog_service.h"
#include "zone/dataset_files.h"
#include "zone/ingest.h"

namespace sz::cli {

namespace {

using nlohmann::json;

std::string Percent(double share) { return share > 0 ? fmt::format("{:.1f}%", share * 100) : ""; }
std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}
int64_t Int(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<int64_t>() : 0;
}

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
  if (a.header && a.no_header)
    return InvalidArgument("--header and --no-header contradict each other");
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

void RenderColumns(const json& columns) {
  Table t({"#", "column", "type", "role", "proposed", "pattern", "share", "confirmed"});
  for (const auto& c : columns) {
    t.Add({std::to_string(Int(c, "position") + 1), Str(c, "name"), Str(c, "type"), Str(c, "role"),
           Str(c, "proposed_role"), Str(c, "pattern"), Percent(c.value("share", 0.0)),
           c.value("confirmed", false) ? "yes" : "no"});
  }
  std::fputs(t.Render().c_str(), stdout);
}

// ---- import ----

Result<json> ImportLocal(Context& ctx, const zone::ImportRequest& request) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  ProgressLine line(!ctx.quiet);
  zone::ImportHooks hooks;
  hooks.cancel = &InterruptFlag();
  hooks.progress = [&](const zone::ImportProgress& p) {
    std::string frac = p.fraction >= 0 ? fmt::format(" {:.0f}%", p.fraction * 100) : "";
    line.Update(fmt::format("import {}: {}{} ({} read, {:.1f} s)", request.name, p.stage, frac,
                            HumanBytes(p.bytes), p.seconds));
  };
  SZ_ASSIGN_OR_RETURN(auto result,
                      zone::ImportDataset(*z, zone::Caller::Operator(), request, hooks));
  line.Finish();
  return zone::ToJson(result);
}

Result<json> ImportRemote(Context& ctx, const zone::ImportRequest& r) {
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  server::QueryParams q = {{"filename", std::filesystem::path(r.path).filename().string()},
                           {"encoding", ctx.args.encoding},
                           {"format", ctx.args.format}};
  auto put = [&](const char* key, const std::string& v) {
    if (!v.empty()) q[key] = v;
  };
  put("title_ko", r.title_ko);
  put("title_en", r.title_en);
  put("sector", r.sector);
  put("tier", r.tier);
  put("provider", r.provider);
  put("description", r.description);
  if (r.delimiter) q["delimiter"] = *r.delimiter == '\t' ? "tab" : std::string(1, *r.delimiter);
  if (r.header) q["header"] = *r.header ? "true" : "false";
  ProgressLine line(!ctx.quiet);
  line.Update(fmt::format("import {}: uploading to {}", r.name, api.server()));
  if (r.new_version)
    return api.Upload("/api/v1/datasets/" + server::UrlEncode(r.name) + "/versions", q, r.path);
  q["name"] = r.name;
  return api.Upload("/api/v1/datasets", q, r.path);
}

Status Import(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(auto request, BuildImportRequest(ctx.args));
  SZ_ASSIGN_OR_RETURN(json result,
                      ctx.Local() ? ImportLocal(ctx, request) : ImportRemote(ctx, request));
  if (ctx.json) {
    PrintJson(result);
    return OkStatus();
  }
  const json& v = result["version"];
  double total = result["seconds"].value("total", 0.0);
  double rows = static_cast<double>(Int(v, "row_count"));
  double rate = total > 0 ? rows / total : 0;
  std::string delimiter = Str(result, "delimiter");
  std::printf("imported %s version %lld: %s rows in %.1f s (%s rows/s), tier %s\n",
              Str(result["dataset"], "name").c_str(), static_cast<long long>(Int(v, "version")),
              HumanCount(rows).c_str(), total, HumanCount(rate).c_str(), Str(v, "tier").c_str());
  std::printf("source %s: %s, encoding %s, delimiter '%s', %s\n", Str(v["source"], "name").c_str(),
              Str(v["source"], "format").c_str(), Str(result, "encoding").c_str(),
              delimiter == "\t" ? "\\t" : delimiter.c_str(),
              result.value("header", true) ? "header row" : "no header row");
  std::printf("stored encrypted: %s (content sha256 %s)\n",
              HumanBytes(static_cast<uint64_t>(Int(v, "sealed_bytes"))).c_str(),
              Str(v, "content_sha256").substr(0, 16).c_str());
  RenderColumns(v["columns"]);
  std::printf(
      "Review the proposed roles, then confirm or override them:\n"
      "  safezone dataset roles %s --set COLUMN=ROLE ... --confirm\n",
      Str(result["dataset"], "name").c_str());
  return OkStatus();
}

// ---- list / search ----

Result<json> ListJson(Context& ctx) {
  const Args& a = ctx.args;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto datasets,
                        zone::SearchCatalog(*z, zone::Caller::Operator(),
                                            {a.sector, a.tier, a.provider, a.search}));
    json out = json::array();
    for (const auto& d : datasets) out.push_back(zone::ToJson(d));
    return out;
  }
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  server::QueryParams q;
  if (!a.sector.empty()) q["sector"] = a.sector;
  if (!a.tier.empty()) q["tier"] = a.tier;
  if (!a.provider.empty()) q["provider"] = a.provider;
  if (!a.search.empty()) q["q"] = a.search;
  SZ_ASSIGN_OR_RETURN(json reply, api.Get("/api/v1/datasets", q));
  return reply["datasets"];
}

Status List(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(json datasets, ListJson(ctx));
  if (ctx.json) {
    PrintJson(datasets);
    return OkStatus();
  }
  Table t({"name", "sector", "tier", "provider", "rows", "ver", "identifiers", "title"});
  for (const auto& d : datasets) {
    std::string title = Str(d, "title_ko").empty() ? Str(d, "title_en") : Str(d, "title_ko");
    t.Add({Str(d, "name"), Str(d, "sector"), Str(d, "tier"), Str(d, "provider"),
           HumanCount(static_cast<double>(Int(d, "row_count"))),
           std::to_string(Int(d, "latest_version")), std::to_string(Int(d, "identifier_columns")),
           title});
  }
  std::fputs(t.Render().c_str(), stdout);
  std::printf("%zu dataset(s)\n", datasets.size());
  return OkStatus();
}

// ---- show ----

Result<json> ShowJson(Context& ctx) {
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto detail, zone::DescribeDataset(*z, zone::Caller::Operator(),
                                                           ctx.args.name, ctx.args.version));
    json j = zone::ToJson(detail.dataset);
    j["version"] = zone::ToJson(detail.version);
    return j;
  }
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  server::QueryParams q;
  if (ctx.args.version) q["version"] = std::to_string(ctx.args.version);
  return api.Get("/api/v1/datasets/" + server::UrlEncode(ctx.args.name), q);
}

Status Show(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(json d, ShowJson(ctx));
  if (ctx.json) {
    PrintJson(d);
    return OkStatus();
  }
  const json& v = d["version"];
  std::printf("%s — %s / %s\n", Str(d, "name").c_str(), Str(d, "title_ko").c_str(),
              Str(d, "title_en").c_str());
  std::printf("sector %s, tier %s, provider %s\n", Str(d, "sector").c_str(), Str(d, "tier").c_str(),
              Str(d, "provider").c_str());
  if (!Str(d, "description").empty()) std::printf("%s\n", Str(d, "description").c_str());
  // A derived version (a pseudonymization run) has a format but no encoding.
  std::string source_kind = Str(v["source"], "format");
  if (!Str(v["source"], "encoding").empty()) source_kind += ", " + Str(v["source"], "encoding");
  std::printf("version %lld of %lld (%s tier): %lld rows, imported %s by %s from %s (%s)\n",
              static_cast<long long>(Int(v, "version")),
              static_cast<long long>(Int(d, "latest_version")), Str(v, "tier").c_str(),
              static_cast<long long>(Int(v, "row_count")), Str(v, "created_at").c_str(),
              Str(v, "created_by").c_str(), Str(v["source"], "name").c_str(), source_kind.c_str());
  std::printf("content sha256 %s, stored encrypted (%s)\n", Str(v, "content_sha256").c_str(),
              HumanBytes(static_cast<uint64_t>(Int(v, "sealed_bytes"))).c_str());
  RenderColumns(v["columns"]);
  for (const auto& c : v["columns"])
    if (!Str(c, "evidence").empty())
      std::printf("  %s: %s\n", Str(c, "name").c_str(), Str(c, "evidence").c_str());
  return OkStatus();
}

// ---- roles ----

Status SetRoles(Context& ctx) {
  std::map<std::string, std::string> roles;
  for (const auto& kv : ctx.args.roles) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      return InvalidArgument(fmt::format("--set takes COLUMN=ROLE, got '{}'", kv));
    roles[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  if (roles.empty() && !ctx.args.confirm)
    return InvalidArgument("nothing to do: pass --set COLUMN=ROLE and/or --confirm");
  json v;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto version,
                        zone::UpdateColumnRoles(*z, zone::Caller::Operator(), ctx.args.name,
                                                ctx.args.version, roles, ctx.args.confirm));
    v = zone::ToJson(version);
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    int version = ctx.args.version;
    if (version == 0) {  // the latest
      SZ_ASSIGN_OR_RETURN(json d, api.Get("/api/v1/datasets/" + server::UrlEncode(ctx.args.name)));
      version = static_cast<int>(Int(d, "latest_version"));
    }
    SZ_ASSIGN_OR_RETURN(v, api.Put(fmt::format("/api/v1/datasets/{}/versions/{}/roles",
                                               server::UrlEncode(ctx.args.name), version),
                                   {{"roles", roles}, {"confirm", ctx.args.confirm}}));
  }
  if (ctx.json) {
    PrintJson(v);
  } else {
    RenderColumns(v["columns"]);
  }
  return OkStatus();
}

// Decrypts and authenticates every version of a dataset (or all datasets). Operator only:
// it needs the data keys.
Status Verify(Context& ctx) {
  if (!ctx.Local())
    return InvalidArgument(
        "dataset verify reads the stored files: run it on the zone with --zone DIR");
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_ASSIGN_OR_RETURN(auto report,
                      zone::VerifyStoredData(*z, zone::Caller::Operator(), ctx.args.name));
  std::printf("verified %d version(s) of %d dataset(s): all intact\n", report.versions,
              report.datasets);
  return OkStatus();
}

}  // namespace

void AddDatasetCommands(CLI::App& app, Context& ctx) {
  Args& a = ctx.args;
  auto* ds = app.add_subcommand("dataset", "Catalog: import, list, search and describe datasets");
  ds->require_subcommand(1);

  auto* imp = ds->add_subcommand(
      "import", "Import a CSV (UTF-8 or CP949/EUC-KR) or Parquet file as a dataset");
  imp->add_option("file", a.file, "The provider's file")->required();
  imp->add_option("--name", a.name, "Dataset name ([a-z][a-z0-9_]*)")->required();
  imp->add_option("--sector", a.sector,
                  "transportation, population, real_estate, tourism, consumption, finance, ...");
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
  imp->add_option("--threads", a.threads, "DuckDB threads (default: all cores; local imports)");
  imp->callback([&ctx] { ctx.status = Import(ctx); });

  auto* list = ds->add_subcommand(
      "list", "List datasets (filter by sector, tier, provider, or search text)");
  list->add_option("--sector", a.sector, "Only this sector");
  list->add_option("--tier", a.tier, "Only this tier");
  list->add_option("--provider", a.provider, "Only this provider");
  list->add_option("--search,-s", a.search,
                   "Text in name, titles, description, provider or column names");
  list->callback([&ctx] { ctx.status = List(ctx); });

  auto* search = ds->add_subcommand("search", "Search datasets by text (same as list --search)");
  search->add_option("text", a.search, "Text to find")->required();
  search->callback([&ctx] { ctx.status = List(ctx); });

  auto* show =
      ds->add_subcommand("show", "Describe a dataset: metadata, schema, column roles and evidence");
  show->add_option("name", a.name, "Dataset name")->required();
  show->add_option("--version", a.version, "Version (default: latest)");
  show->callback([&ctx] { ctx.status = Show(ctx); });

  auto* roles = ds->add_subcommand("roles", "Confirm or override the proposed column roles");
  roles->add_option("name", a.name, "Dataset name")->required();
  roles->add_option(
      "--set", a.roles,
      "COLUMN=ROLE (direct_identifier, quasi_identifier, sensitive, other); repeatable");
  roles->add_flag("--confirm", a.confirm, "Confirm all roles of the version as reviewed");
  roles->add_option("--version", a.version, "Version (default: latest)");
  roles->callback([&ctx] { ctx.status = SetRoles(ctx); });

  auto* verify = ds->add_subcommand(
      "verify", "Decrypt and authenticate stored versions (operator; all datasets if no name)");
  verify->add_option("name", a.name, "Dataset name");
  verify->callback([&ctx] { ctx.status = Verify(ctx); });
}

}  // namespace sz::cli
