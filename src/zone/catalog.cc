#include "zone/catalog.h"

#include <algorithm>

#include "fmt/format.h"

namespace sz::zone {

namespace {

template <size_t N>
Status ValidateOneOf(std::string_view what, std::string_view value, const std::string_view (&allowed)[N]) {
  if (std::find(std::begin(allowed), std::end(allowed), value) != std::end(allowed)) return OkStatus();
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  return InvalidArgument(fmt::format("unknown {} '{}' (one of: {})", what, value, list));
}

constexpr const char* kDatasetSelect = R"sql(
SELECT d.id, d.name, d.title_ko, d.title_en, d.sector, d.tier, d.provider, d.description,
       d.created_at, d.created_by,
       COALESCE(v.version, 0), COALESCE(v.row_count, 0),
       (SELECT COUNT(*) FROM dataset_columns c
         WHERE c.version_id = v.id AND c.role = 'direct_identifier')
FROM datasets d
LEFT JOIN dataset_versions v ON v.dataset_id = d.id
 AND v.version = (SELECT MAX(version) FROM dataset_versions WHERE dataset_id = d.id)
)sql";

DatasetInfo ReadDataset(const storage::Statement& st) {
  DatasetInfo d;
  d.id = st.Int64(0);
  d.name = st.Text(1);
  d.title_ko = st.Text(2);
  d.title_en = st.Text(3);
  d.sector = st.Text(4);
  d.tier = st.Text(5);
  d.provider = st.Text(6);
  d.description = st.Text(7);
  d.created_at = st.Text(8);
  d.created_by = st.Text(9);
  d.latest_version = static_cast<int>(st.Int64(10));
  d.row_count = st.Int64(11);
  d.identifier_columns = static_cast<int>(st.Int64(12));
  return d;
}

constexpr const char* kVersionSelect = R"sql(
SELECT v.id, v.version, v.tier, v.file, v.file_id, v.sealed_bytes, v.plain_bytes,
       v.content_sha256, v.row_count, v.source_name, v.source_format, v.source_encoding,
       v.source_delimiter, v.source_header, COALESCE(v.upload_file, ''), v.derived_from,
       v.note, v.created_at, v.created_by
FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id
WHERE d.name = ?1
)sql";

VersionInfo ReadVersion(const storage::Statement& st) {
  VersionInfo v;
  v.id = st.Int64(0);
  v.version = static_cast<int>(st.Int64(1));
  v.tier = st.Text(2);
  v.file = st.Text(3);
  v.file_id = st.Text(4);
  v.sealed_bytes = static_cast<uint64_t>(st.Int64(5));
  v.plain_bytes = static_cast<uint64_t>(st.Int64(6));
  v.content_sha256 = st.Text(7);
  v.row_count = st.Int64(8);
  v.source_name = st.Text(9);
  v.source_format = st.Text(10);
  v.source_encoding = st.Text(11);
  v.source_delimiter = st.Text(12);
  v.source_header = st.Int64(13) != 0;
  v.upload_file = st.Text(14);
  if (!st.IsNull(15)) v.derived_from = st.Int64(15);
  v.note = st.Text(16);
  v.created_at = st.Text(17);
  v.created_by = st.Text(18);
  return v;
}

// "%" and "_" in user text must match literally in LIKE.
std::string LikePattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

}  // namespace

Status ValidateTier(std::string_view tier) { return ValidateOneOf("tier", tier, kTiers); }
Status ValidateRole(std::string_view role) { return ValidateOneOf("role", role, kRoles); }

Status Catalog::ValidateSector(std::string_view sector) {
  SZ_ASSIGN_OR_RETURN(auto st, zone_.db().Query("SELECT 1 FROM sectors WHERE name = ?1", sector));
  SZ_ASSIGN_OR_RETURN(bool found, st.Step());
  if (found) return OkStatus();
  SZ_ASSIGN_OR_RETURN(auto sectors, Sectors());
  std::string list;
  for (const auto& s : sectors) list += (list.empty() ? "" : ", ") + s.name;
  return InvalidArgument(fmt::format("unknown sector '{}' (one of: {}; add one with 'safezone sector add')",
                                     sector, list));
}

Result<std::vector<DatasetInfo>> Catalog::List(const CatalogFilter& f) {
  std::string sql = std::string(kDatasetSelect) + R"sql(
WHERE (?1 = '' OR d.sector = ?1) AND (?2 = '' OR d.tier = ?2) AND (?3 = '' OR d.provider = ?3)
  AND (?4 = '%%' OR d.name LIKE ?4 ESCAPE '\' OR d.title_ko LIKE ?4 ESCAPE '\'
       OR d.title_en LIKE ?4 ESCAPE '\' OR d.description LIKE ?4 ESCAPE '\'
       OR d.provider LIKE ?4 ESCAPE '\'
       OR EXISTS (SELECT 1 FROM dataset_columns c WHERE c.version_id = v.id
                  AND c.name LIKE ?4 ESCAPE '\'))
ORDER BY d.sector, d.name)sql";
  SZ_ASSIGN_OR_RETURN(auto st, zone_.db().Query(sql, f.sector, f.tier, f.provider, LikePattern(f.text)));
  std::vector<DatasetInfo> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadDataset(st));
  }
  return out;
}

Result<DatasetInfo> Catalog::Get(std::string_view name) {
  SZ_ASSIGN_OR_RETURN(auto st, zone_.db().Query(std::string(kDatasetSelect) + " WHERE d.name = ?1", name));
  SZ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound(fmt::format("dataset '{}' does not exist", name));
  return ReadDataset(st);
}

Result<std::vector<ColumnInfo>> Catalog::Columns(int64_t version_id) {
  SZ_ASSIGN_OR_RETURN(auto st, zone_.db().Query(
      "SELECT position, name, type, role, proposed_role, pattern, share, evidence, confirmed "
      "FROM dataset_columns WHERE version_id = ?1 ORDER BY position", version_id));
  std::vector<ColumnInfo> cols;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    cols.push_back({static_cast<int>(st.Int64(0)), st.Text(1), st.Text(2), st.Text(3), st.Text(4),
                    st.Text(5), st.Double(6), st.Text(7), st.Int64(8) != 0});
  }
  return cols;
}

Result<VersionInfo> Catalog::Version(std::string_view name, int version) {
  SZ_RETURN_IF_ERROR(Get(name).status());
  std::string sql = std::string(kVersionSelect) +
                    (version > 0 ? " AND v.version = ?2" : " ORDER BY v.version DESC LIMIT 1");
  SZ_ASSIGN_OR_RETURN(auto st, version > 0 ? zone_.db().Query(sql, name, version) : zone_.db().Query(sql, name));
  SZ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return NotFound(version > 0 ? fmt::format("dataset '{}' has no version {}", name, version)
                                : fmt::format("dataset '{}' has no versions", name));
  }
  VersionInfo v = ReadVersion(st);
  SZ_ASSIGN_OR_RETURN(v.columns, Columns(v.id));
  return v;
}

Result<std::vector<VersionInfo>> Catalog::Versions(std::string_view name) {
  SZ_RETURN_IF_ERROR(Get(name).status());
  SZ_ASSIGN_OR_RETURN(auto st, zone_.db().Query(std::string(kVersionSelect) + " ORDER BY v.version", name));
  std::vector<VersionInfo> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadVersion(st));
  }
  for (auto& v : out) {
    SZ_ASSIGN_OR_RETURN(v.columns, Columns(v.id));
  }
  return out;
}

Status Catalog::SetRoles(std::string_view name, int version,
                         const std::map<std::string, std::string>& roles, bool confirm,
                         const std::function<Status()>& in_transaction) {
  SZ_ASSIGN_OR_RETURN(VersionInfo v, Version(name, version));
  for (const auto& [column, role] : roles) {
    SZ_RETURN_IF_ERROR(ValidateRole(role));
    bool known = std::any_of(v.columns.begin(), v.columns.end(),
                             [&](const ColumnInfo& c) { return c.name == column; });
    if (!known) {
      return InvalidArgument(fmt::format("dataset '{}' version {} has no column '{}'", name,
                                         v.version, column));
    }
  }
  SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone_.db()));
  for (const auto& [column, role] : roles) {
    SZ_RETURN_IF_ERROR(zone_.db().Run(
        "UPDATE dataset_columns SET role = ?3, confirmed = 1 WHERE version_id = ?1 AND name = ?2",
        v.id, column, role));
  }
  if (confirm) {
    SZ_RETURN_IF_ERROR(zone_.db().Run("UPDATE dataset_columns SET confirmed = 1 WHERE version_id = ?1", v.id));
  }
  if (in_transaction) SZ_RETURN_IF_ERROR(in_transaction());
  return txn.Commit();
}

Result<std::vector<SectorInfo>> Catalog::Sectors() {
  SZ_ASSIGN_OR_RETURN(auto st, zone_.db().Query(
      "SELECT s.name, s.title_ko, s.title_en, (SELECT COUNT(*) FROM datasets d WHERE d.sector = s.name) "
      "FROM sectors s ORDER BY s.rowid"));
  std::vector<SectorInfo> out;
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Text(0), st.Text(1), st.Text(2), static_cast<int>(st.Int64(3))});
  }
  return out;
}

Status Catalog::AddSector(std::string_view name, std::string_view title_ko, std::string_view title_en) {
  SZ_RETURN_IF_ERROR(ValidateName("sector", name));
  Status s = zone_.db().Run("INSERT INTO sectors(name, title_ko, title_en) VALUES (?1, ?2, ?3)",
                            name, title_ko, title_en);
  if (s.code() == Code::kAlreadyExists) return AlreadyExists(fmt::format("sector '{}' exists already", name));
  return s;
}

}  // namespace sz::zone
