// safezone init | keys rotate | sector list/add
#include <cstdio>
#include <filesystem>

#include "cli/app.h"
#include "cli/client_mode.h"
#include "cli/render.h"
#include "crypto/keys.h"
#include "fmt/format.h"
#include "zone/catalog.h"
#include "zone/catalog_json.h"
#include "zone/catalog_service.h"

namespace sz::cli {

namespace {

Status InitZone(Context& ctx, const std::string& dir, const std::string& name) {
  zone::ZoneOptions options = ctx.ZoneOptions();
  options.dir = dir;
  if (options.key.file.empty() && !std::getenv("SAFEZONE_MASTER_KEY")) {
    return InvalidArgument("pass --key-file PATH (outside the zone; created if missing) or set SAFEZONE_MASTER_KEY");
  }
  zone::InitOptions init;
  init.name = name.empty() ? "safezone" : name;
  SZ_ASSIGN_OR_RETURN(auto z, zone::Zone::Init(options, init));
  if (ctx.json) {
    std::printf("%s\n", nlohmann::json({{"zone", z->dir()}, {"zone_id", z->zone_id()},
                                        {"key_fingerprint", z->MasterKeyFingerprint()}}).dump().c_str());
  } else {
    std::printf("created zone %s (id %s)\nmaster key fingerprint %s%s\n", z->dir().c_str(),
                z->zone_id().c_str(), z->MasterKeyFingerprint().c_str(),
                options.key.file.empty() ? "" : fmt::format(" in {}; keep it outside the zone and back it up separately",
                                                            options.key.file).c_str());
  }
  return OkStatus();
}

Status RotateKeys(Context& ctx, const std::string& new_key_file) {
  SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
  SZ_RETURN_IF_ERROR(zone::KeyFileOutsideZone(new_key_file, z->dir()));
  if (std::filesystem::exists(new_key_file)) {
    return AlreadyExists(fmt::format("{} exists; name a new file for the new master key", new_key_file));
  }
  SZ_RETURN_IF_ERROR(crypto::CreateMasterKeyFile(new_key_file));
  auto fresh = crypto::LoadMasterKey({new_key_file, ""});
  Status s = fresh.ok() ? z->RotateMasterKey(*fresh) : fresh.status();
  if (!s.ok()) {
    std::filesystem::remove(new_key_file);
    return s;
  }
  std::printf("master key rotated: data keys re-wrapped under %s (fingerprint %s).\n"
              "The old key no longer opens this zone; destroy it once backups are updated.\n",
              new_key_file.c_str(), z->MasterKeyFingerprint().c_str());
  return OkStatus();
}

Result<nlohmann::json> SectorsJson(Context& ctx) {
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_ASSIGN_OR_RETURN(auto sectors, zone::ListSectors(*z, zone::Caller::Operator()));
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : sectors) out.push_back(zone::ToJson(s));
    return out;
  }
  SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
  SZ_ASSIGN_OR_RETURN(auto reply, api.Get("/api/v1/sectors"));
  return reply["sectors"];
}

Status ListSectors(Context& ctx) {
  SZ_ASSIGN_OR_RETURN(nlohmann::json sectors, SectorsJson(ctx));
  if (ctx.json) {
    std::printf("%s\n", sectors.dump().c_str());
    return OkStatus();
  }
  Table t({"sector", "분야", "title", "datasets"});
  for (const auto& s : sectors) {
    t.Add({s.value("name", ""), s.value("title_ko", ""), s.value("title_en", ""),
           std::to_string(s.value("datasets", 0))});
  }
  std::fputs(t.Render().c_str(), stdout);
  return OkStatus();
}

Status AddSector(Context& ctx) {
  const Args& a = ctx.args;
  if (ctx.Local()) {
    SZ_ASSIGN_OR_RETURN(auto z, ctx.OpenZone());
    SZ_RETURN_IF_ERROR(zone::AddSector(*z, zone::Caller::Operator(), a.name, a.title_ko, a.title_en));
  } else {
    SZ_ASSIGN_OR_RETURN(auto api, SessionClient());
    SZ_RETURN_IF_ERROR(
        api.Post("/api/v1/sectors", {{"name", a.name}, {"title_ko", a.title_ko}, {"title_en", a.title_en}}).status());
  }
  std::printf("added sector %s\n", a.name.c_str());
  return OkStatus();
}

}  // namespace

void AddZoneCommands(CLI::App& app, Context& ctx) {
  auto* init = app.add_subcommand("init", "Create a zone: control plane, data directories, master key (operator)");
  init->add_option("dir", ctx.args.dir, "New zone directory")->required();
  init->add_option("--name", ctx.args.name, "Zone name shown in reports");
  init->callback([&ctx] { ctx.status = InitZone(ctx, ctx.args.dir, ctx.args.name); });

  auto* keys = app.add_subcommand("keys", "Master key operations (operator)");
  keys->require_subcommand(1);
  auto* rotate = keys->add_subcommand("rotate", "Re-wrap all data keys under a new master key (data is not re-encrypted)");
  rotate->add_option("--new-key-file", ctx.args.new_key_file,
                     "Where to create the new master key (0600, outside the zone)")->required();
  rotate->callback([&ctx] { ctx.status = RotateKeys(ctx, ctx.args.new_key_file); });

  auto* sector = app.add_subcommand("sector", "Sectors of the catalog (6 built in; extensible)");
  sector->require_subcommand(1);
  sector->add_subcommand("list", "List sectors")->callback([&ctx] { ctx.status = ListSectors(ctx); });
  auto* add = sector->add_subcommand("add", "Add a sector");
  add->add_option("name", ctx.args.name, "Sector name ([a-z0-9_])")->required();
  add->add_option("--title-ko", ctx.args.title_ko, "Korean title")->required();
  add->add_option("--title-en", ctx.args.title_en, "English title")->required();
  add->callback([&ctx] { ctx.status = AddSector(ctx); });
}

}  // namespace sz::cli
