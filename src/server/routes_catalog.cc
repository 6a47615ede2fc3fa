// /api/v1/sectors, /api/v1/datasets/...: the catalog and imports by upload.
#include "common/text.h"
#include "server/api.h"
#include "zone/catalog_json.h"
#include "zone/catalog_service.h"
#include "zone/ingest.h"

namespace sz::server {

namespace {

using nlohmann::json;

Result<Reply> ListSectors(Call& call) {
  SZ_ASSIGN_OR_RETURN(auto sectors, zone::ListSectors(call.zone, call.caller()));
  json out = json::array();
  for (const auto& s : sectors) out.push_back(zone::ToJson(s));
  return Reply::Json({{"sectors", out}});
}

Result<Reply> AddSector(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, StringField(call.body, "name", true, 63));
  SZ_ASSIGN_OR_RETURN(std::string ko, StringField(call.body, "title_ko", true, 256));
  SZ_ASSIGN_OR_RETURN(std::string en, StringField(call.body, "title_en", true, 256));
  SZ_RETURN_IF_ERROR(zone::AddSector(call.zone, call.caller(), name, ko, en));
  return Reply::Json({{"name", name}}, 201);
}

Result<Reply> Search(Call& call) {
  zone::CatalogFilter f;
  SZ_ASSIGN_OR_RETURN(f.sector, QueryParam(call, "sector"));
  SZ_ASSIGN_OR_RETURN(f.tier, QueryParam(call, "tier"));
  SZ_ASSIGN_OR_RETURN(f.provider, QueryParam(call, "provider"));
  SZ_ASSIGN_OR_RETURN(f.text, QueryParam(call, "q"));
  SZ_ASSIGN_OR_RETURN(auto datasets, zone::SearchCatalog(call.zone, call.caller(), f));
  json out = json::array();
  for (const auto& d : datasets) out.push_back(zone::ToJson(d));
  return Reply::Json({{"datasets", out}});
}

Result<Reply> Describe(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, NameParam(call, "dataset", "name"));
  SZ_ASSIGN_OR_RETURN(int64_t version, QueryInt(call, "version", 0));
  if (version < 0 || version > 1000000)
    return InvalidArgument("version must be 0 (latest) or a version number");
  SZ_ASSIGN_OR_RETURN(zone::DatasetDetail d, zone::DescribeDataset(call.zone, call.caller(), name,
                                                                   static_cast<int>(version)));
  json j = zone::ToJson(d.dataset);
  j["version"] = zone::ToJson(d.version);
  return Reply::Json(j);
}

Result<Reply> Versions(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, NameParam(call, "dataset", "name"));
  SZ_ASSIGN_OR_RETURN(auto versions, zone::ListVersions(call.zone, call.caller(), name));
  json out = json::array();
  for (const auto& v : versions) out.push_back(zone::ToJson(v));
  return Reply::Json({{"versions", out}});
}

Result<Reply> UpdateRoles(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, NameParam(call, "dataset", "name"));
  SZ_ASSIGN_OR_RETURN(int64_t version, IdParam(call, "version"));
  std::map<std::string, std::string> roles;
  if (auto it = call.body.find("roles"); it != call.body.end() && !it->is_null()) {
    if (!it->is_object() || it->size() > 4096)
      return InvalidArgument("field 'roles' must map column names to roles");
    for (const auto& [column, role] : it->items()) {
      if (!role.is_string()) return InvalidArgument("field 'roles' must map column names to roles");
      roles[column] = role.get<std::string>();
    }
  }
  SZ_ASSIGN_OR_RETURN(bool confirm, BoolField(call.body, "confirm", false));
  if (roles.empty() && !confirm)
    return InvalidArgument("nothing to do: give 'roles' and/or 'confirm': true");
  SZ_ASSIGN_OR_RETURN(zone::VersionInfo v,
                      zone::UpdateColumnRoles(call.zone, call.caller(), name,
                                              static_cast<int>(version), roles, confirm));
  return Reply::Json(zone::ToJson(v));
}

// The metadata of an upload comes in query parameters; the body is the file itself.
Result<zone::ImportRequest> ImportRequestFor(const Call& call, std::string name, bool new_version) {
  zone::ImportRequest r;
  r.path = call.upload->path();
  r.name = std::move(name);
  r.new_version = new_version;
  SZ_ASSIGN_OR_RETURN(r.source_name, QueryParam(call, "filename"));
  if (r.source_name.find_first_of("/\\") != std::string::npos || r.source_name == "." ||
      r.source_name == "..") {
    return InvalidArgument("filename must be a plain file name, without directories");
  }
  if (r.source_name.empty()) r.source_name = "upload";
  SZ_ASSIGN_OR_RETURN(r.title_ko, QueryParam(call, "title_ko"));
  SZ_ASSIGN_OR_RETURN(r.title_en, QueryParam(call, "title_en"));
  SZ_ASSIGN_OR_RETURN(r.sector, QueryParam(call, "sector"));
  SZ_ASSIGN_OR_RETURN(r.tier, QueryParam(call, "tier"));
  SZ_ASSIGN_OR_RETURN(r.provider, QueryParam(call, "provider"));
  SZ_ASSIGN_OR_RETURN(r.description, QueryParam(call, "description"));
  SZ_ASSIGN_OR_RETURN(std::string encoding, QueryParam(call, "encoding"));
  SZ_ASSIGN_OR_RETURN(r.encoding, text::ParseEncoding(encoding.empty() ? "auto" : encoding));
  SZ_ASSIGN_OR_RETURN(std::string delimiter, QueryParam(call, "delimiter"));
  if (delimiter == "tab") {
    r.delimiter = '\t';
  } else if (delimiter.size() == 1) {
    r.delimiter = delimiter[0];
  } else if (!delimiter.empty()) {
    return InvalidArgument("delimiter takes one character (or 'tab')");
  }
  SZ_ASSIGN_OR_RETURN(std::string header, QueryParam(call, "header"));
  if (header == "true")
    r.header = true;
  else if (header == "false")
    r.header = false;
  else if (!header.empty())
    return InvalidArgument("header is true or false (default: detected)");
  SZ_ASSIGN_OR_RETURN(std::string format, QueryParam(call, "format"));
  if (format == "csv")
    r.format = zone::SourceFormat::kCsv;
  else if (format == "parquet")
    r.format = zone::SourceFormat::kParquet;
  else if (!format.empty() && format != "auto")
    return InvalidArgument("format is csv, parquet or auto");
  r.max_bytes = call.settings ? call.settings->max_upload : 0;
  r.threads = call.settings ? call.settings->import_threads : 1;
  return r;
}

Result<Reply> Import(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, QueryParam(call, "name"));
  SZ_RETURN_IF_ERROR(zone::ValidateName("dataset", name));
  SZ_ASSIGN_OR_RETURN(zone::ImportRequest request, ImportRequestFor(call, std::move(name), false));
  SZ_ASSIGN_OR_RETURN(zone::ImportResult result,
                      zone::ImportDataset(call.zone, call.caller(), request));
  return Reply::Json(zone::ToJson(result), 201);
}

Result<Reply> ImportVersion(Call& call) {
  SZ_ASSIGN_OR_RETURN(std::string name, NameParam(call, "dataset", "name"));
  SZ_ASSIGN_OR_RETURN(zone::ImportRequest request, ImportRequestFor(call, std::move(name), true));
  SZ_ASSIGN_OR_RETURN(zone::ImportResult result,
                      zone::ImportDataset(call.zone, call.caller(), request));
  return Reply::Json(zone::ToJson(result), 201);
}

}  // namespace

void AddCatalogRoutes(std::vector<Route>& r) {
  r.push_back({Method::kGet, "/api/v1/sectors", Auth::kOptional, Body::kNone, ListSectors});
  r.push_back({Method::kPost, "/api/v1/sectors", Auth::kRequired, Body::kJson, AddSector});
  r.push_back({Method::kGet, "/api/v1/datasets", Auth::kOptional, Body::kNone, Search});
  r.push_back({Method::kPost, "/api/v1/datasets", Auth::kRequired, Body::kUpload, Import});
  r.push_back({Method::kGet, "/api/v1/datasets/{name}", Auth::kOptional, Body::kNone, Describe});
  r.push_back(
      {Method::kGet, "/api/v1/datasets/{name}/versions", Auth::kOptional, Body::kNone, Versions});
  r.push_back({Method::kPost, "/api/v1/datasets/{name}/versions", Auth::kRequired, Body::kUpload,
               ImportVersion});
  r.push_back({Method::kPut, "/api/v1/datasets/{name}/versions/{version}/roles", Auth::kRequired,
               Body::kJson, UpdateRoles});
}

}  // namespace sz::server
