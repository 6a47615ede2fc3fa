// The catalog: what datasets a zone holds, in which tier, from whom, with which columns
// and which role each column plays. Versions are immutable; only column roles (the
// provider's confirmation or override of the proposed roles) change after import.
//
// Thread-safety: a Catalog borrows its Zone's connection; same rule as Zone.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "zone/zone.h"

namespace sz::zone {

inline constexpr std::string_view kTiers[] = {"open", "pseudonymized", "non_open"};
inline constexpr std::string_view kRoles[] = {"direct_identifier", "quasi_identifier",
                                              "sensitive", "other"};
Status ValidateTier(std::string_view tier);
Status ValidateRole(std::string_view role);

struct ColumnInfo {
  int position = 0;
  std::string name;
  std::string type;
  std::string role;
  std::string proposed_role;
  std::string pattern;   // detected identifier pattern ("rrn", "mobile_phone", ...) or ""
  double share = 0;      // share of sampled values matching `pattern`
  std::string evidence;  // one line, no raw values
  bool confirmed = false;
};

struct VersionInfo {
  int64_t id = 0;
  int version = 0;
  std::string tier;
  std::string file;  // relative to the zone directory
  std::string file_id;
  uint64_t sealed_bytes = 0;
  uint64_t plain_bytes = 0;
  std::string content_sha256;
  int64_t row_count = 0;
  std::string source_name;
  std::string source_format;
  std::string source_encoding;
  std::string source_delimiter;
  bool source_header = true;
  std::string upload_file;
  std::optional<int64_t> derived_from;
  std::string note;
  std::string created_at;
  std::string created_by;
  std::vector<ColumnInfo> columns;
};

struct DatasetInfo {
  int64_t id = 0;
  std::string name;
  std::string title_ko;
  std::string title_en;
  std::string sector;
  std::string tier;
  std::string provider;
  std::string description;
  std::string created_at;
  std::string created_by;
  int latest_version = 0;
  int64_t row_count = 0;  // of the latest version
  int identifier_columns = 0;  // direct identifiers in the latest version
};

struct SectorInfo {
  std::string name;
  std::string title_ko;
  std::string title_en;
  int datasets = 0;
};

struct CatalogFilter {
  std::string sector;
  std::string tier;
  std::string provider;
  std::string text;  // matched against names, titles (ko/en), description, column names
};

class Catalog {
 public:
  explicit Catalog(Zone& zone) : zone_(zone) {}

  Result<std::vector<DatasetInfo>> List(const CatalogFilter& filter = {});
  Result<DatasetInfo> Get(std::string_view name);
  // `version` 0 means the latest.
  Result<VersionInfo> Version(std::string_view name, int version = 0);
  Result<std::vector<VersionInfo>> Versions(std::string_view name);

  // Sets roles of the named columns (others keep theirs) and marks the version's roles
  // confirmed when `confirm` is true. Unknown columns or roles: InvalidArgument.
  // `in_transaction` (if given) runs inside the update's transaction: the audit entry.
  Status SetRoles(std::string_view name, int version, const std::map<std::string, std::string>& roles,
                  bool confirm, const std::function<Status()>& in_transaction = {});

  Result<std::vector<SectorInfo>> Sectors();
  Status AddSector(std::string_view name, std::string_view title_ko, std::string_view title_en);
  Status ValidateSector(std::string_view sector);

 private:
  Result<std::vector<ColumnInfo>> Columns(int64_t version_id);
  Zone& zone_;
};

}  // namespace sz::zone
