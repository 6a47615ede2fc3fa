#include "zone/catalog_json.h"

namespace sz::zone {

using nlohmann::json;

json ToJson(const ColumnInfo& c) {
  return {{"position", c.position}, {"name", c.name},       {"type", c.type},
          {"role", c.role},         {"proposed_role", c.proposed_role},
          {"pattern", c.pattern},   {"share", c.share},     {"evidence", c.evidence},
          {"confirmed", c.confirmed}};
}

json ToJson(const VersionInfo& v) {
  json cols = json::array();
  for (const auto& c : v.columns) cols.push_back(ToJson(c));
  return {{"version", v.version},
          {"tier", v.tier},
          {"row_count", v.row_count},
          {"content_sha256", v.content_sha256},
          {"sealed_bytes", v.sealed_bytes},
          {"plain_bytes", v.plain_bytes},
          {"source", {{"name", v.source_name},
                      {"format", v.source_format},
                      {"encoding", v.source_encoding},
                      {"delimiter", v.source_delimiter},
                      {"header", v.source_header}}},
          {"derived_from", v.derived_from ? json(*v.derived_from) : json(nullptr)},
          {"note", v.note},
          {"created_at", v.created_at},
          {"created_by", v.created_by},
          {"columns", cols}};
}

json ToJson(const DatasetInfo& d) {
  return {{"name", d.name},
          {"title_ko", d.title_ko},
          {"title_en", d.title_en},
          {"sector", d.sector},
          {"tier", d.tier},
          {"provider", d.provider},
          {"description", d.description},
          {"latest_version", d.latest_version},
          {"row_count", d.row_count},
          {"identifier_columns", d.identifier_columns},
          {"created_at", d.created_at},
          {"created_by", d.created_by}};
}

json ToJson(const SectorInfo& s) {
  return {{"name", s.name}, {"title_ko", s.title_ko}, {"title_en", s.title_en}, {"datasets", s.datasets}};
}

json ToJson(const ImportResult& r) {
  return {{"dataset", ToJson(r.dataset)},
          {"version", ToJson(r.version)},
          {"encoding", r.encoding},
          {"delimiter", std::string(1, r.delimiter)},
          {"header", r.header},
          {"seconds", {{"convert", r.stats.convert_seconds},
                       {"profile", r.stats.profile_seconds},
                       {"seal", r.stats.seal_seconds},
                       {"total", r.stats.total_seconds}}}};
}

}  // namespace sz::zone
