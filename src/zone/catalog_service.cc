#include "zone/catalog_service.h"

#include "fmt/format.h"
#include "zone/dataset_files.h"

namespace sz::zone {

using authz::Action;

Result<std::vector<DatasetInfo>> SearchCatalog(Zone& zone, const Caller& caller, const CatalogFilter& filter) {
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, Action::kCatalogSearch, authz::Object::Zone()));
  return Catalog(zone).List(filter);
}

Result<DatasetDetail> DescribeDataset(Zone& zone, const Caller& caller, std::string_view name, int version) {
  Catalog catalog(zone);
  SZ_ASSIGN_OR_RETURN(DatasetInfo d, catalog.Get(name));
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, Action::kCatalogRead, DatasetObject(d.id, d.provider, d.tier)));
  SZ_ASSIGN_OR_RETURN(VersionInfo v, catalog.Version(name, version));
  return DatasetDetail{std::move(d), std::move(v)};
}

Result<std::vector<VersionInfo>> ListVersions(Zone& zone, const Caller& caller, std::string_view name) {
  Catalog catalog(zone);
  SZ_ASSIGN_OR_RETURN(DatasetInfo d, catalog.Get(name));
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, Action::kCatalogRead, DatasetObject(d.id, d.provider, d.tier)));
  return catalog.Versions(name);
}

Result<VersionInfo> UpdateColumnRoles(Zone& zone, const Caller& caller, std::string_view name, int version,
                                      const std::map<std::string, std::string>& roles, bool confirm) {
  Catalog catalog(zone);
  SZ_ASSIGN_OR_RETURN(DatasetInfo d, catalog.Get(name));
  SZ_ASSIGN_OR_RETURN(Access access, Access::Check(zone, caller, Action::kDatasetUpdateMetadata,
                                                   DatasetObject(d.id, d.provider, d.tier)));
  std::string note = confirm ? "roles confirmed" : "";
  for (const auto& [column, role] : roles) note += fmt::format("{}{}={}", note.empty() ? "" : ", ", column, role);
  SZ_RETURN_IF_ERROR(catalog.SetRoles(name, version, roles, confirm, [&] {
    return std::move(access).Record(authz::AuditDetails::Note(note));
  }));
  return catalog.Version(name, version);
}

Result<std::vector<SectorInfo>> ListSectors(Zone& zone, const Caller& caller) {
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, Action::kCatalogSearch, authz::Object::Zone()));
  return Catalog(zone).Sectors();
}

Status AddSector(Zone& zone, const Caller& caller, std::string_view name, std::string_view title_ko,
                 std::string_view title_en) {
  SZ_ASSIGN_OR_RETURN(Access access, Access::Check(zone, caller, Action::kZoneConfigure, authz::Object::Zone()));
  SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone.db()));
  SZ_RETURN_IF_ERROR(Catalog(zone).AddSector(name, title_ko, title_en));
  SZ_RETURN_IF_ERROR(std::move(access).Record(authz::AuditDetails::Note(fmt::format("sector {}", name))));
  return txn.Commit();
}

Result<VerifyReport> VerifyStoredData(Zone& zone, const Caller& caller, std::string_view name) {
  SZ_RETURN_IF_ERROR(CheckRead(zone, caller, Action::kZoneInspect, authz::Object::Zone(),
                               authz::AuditDetails::Note("verify stored data")));
  Catalog catalog(zone);
  std::vector<std::string> names;
  if (!name.empty()) {
    names.emplace_back(name);
  } else {
    SZ_ASSIGN_OR_RETURN(auto all, catalog.List());
    for (const auto& d : all) names.push_back(d.name);
  }
  VerifyReport report;
  for (const auto& n : names) {
    SZ_ASSIGN_OR_RETURN(auto versions, catalog.Versions(n));
    for (const auto& v : versions) {
      SZ_RETURN_IF_ERROR(OpenVersion(zone, n, v).status());
      ++report.versions;
    }
    ++report.datasets;
  }
  return report;
}

}  // namespace sz::zone
