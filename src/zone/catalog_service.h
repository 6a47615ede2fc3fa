// Catalog use cases for a Caller: each checks access (authz for people, audit for
// everyone) and then reads or changes the catalog. Front ends (CLI, HTTP API) call these,
// never Catalog directly.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "zone/access.h"
#include "zone/catalog.h"
#include "zone/zone.h"

namespace sz::zone {

struct DatasetDetail {
  DatasetInfo dataset;
  VersionInfo version;
};

Result<std::vector<DatasetInfo>> SearchCatalog(Zone& zone, const Caller& caller, const CatalogFilter& filter);
// `version` 0: the latest.
Result<DatasetDetail> DescribeDataset(Zone& zone, const Caller& caller, std::string_view name, int version);
Result<std::vector<VersionInfo>> ListVersions(Zone& zone, const Caller& caller, std::string_view name);
// The provider confirms or overrides the proposed column roles.
Result<VersionInfo> UpdateColumnRoles(Zone& zone, const Caller& caller, std::string_view name, int version,
                                      const std::map<std::string, std::string>& roles, bool confirm);
Result<std::vector<SectorInfo>> ListSectors(Zone& zone, const Caller& caller);
Status AddSector(Zone& zone, const Caller& caller, std::string_view name, std::string_view title_ko,
                 std::string_view title_en);

struct VerifyReport {
  int datasets = 0;
  int versions = 0;
};
// Decrypts and authenticates every stored version (of `name`, or of all datasets).
Result<VerifyReport> VerifyStoredData(Zone& zone, const Caller& caller, std::string_view name);

}  // namespace sz::zone
