// JSON forms of catalog objects, shared by the CLI (--json) and the HTTP API so both
// speak the same shapes.
#pragma once

#include <nlohmann/json.hpp>

#include "zone/catalog.h"
#include "zone/ingest.h"

namespace sz::zone {

nlohmann::json ToJson(const ColumnInfo& c);
nlohmann::json ToJson(const VersionInfo& v);
nlohmann::json ToJson(const DatasetInfo& d);
nlohmann::json ToJson(const SectorInfo& s);
nlohmann::json ToJson(const ImportResult& r);

}  // namespace sz::zone
