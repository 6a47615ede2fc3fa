#include "zone/version_store.h"

#include <unistd.h>

#include "common/clock.h"
#include "fmt/format.h"
#include "zone/dataset_files.h"

namespace sz::zone {

FileGuard::~FileGuard() {
  if (!committed_)
    for (const auto& f : files_) (void)env_->Remove(f);
}

void FileGuard::Replace(const std::string& from, std::string to) {
  for (auto& f : files_)
    if (f == from) f = std::move(to);
}

std::string TmpPath(const Zone& zone, std::string_view suffix) {
  return fmt::format("{}/{}-{}{}", zone.TmpDir(), ::getpid(), crypto::ToHex(crypto::RandomBytes(8)), suffix);
}

Result<SealedTmp> SealVersionToTmp(Zone& zone, std::string_view dataset, const crypto::SecretBytes& key,
                                   const storage::MemFile& plain, FileGuard& files) {
  SealedTmp out;
  out.path = TmpPath(zone, ".szp");
  files.Add(out.path);
  SZ_ASSIGN_OR_RETURN(out.info, crypto::SealMemFile(zone.env(), plain, out.path, key, DatasetSealContext(dataset)));
  return out;
}

namespace {

// Moves a sealed file from tmp/ to `rel` (relative to the zone directory).
Status MoveIntoPlace(Zone& zone, const SealedTmp& sealed, const std::string& rel, FileGuard& files) {
  std::string to = zone.dir() + "/" + rel;
  SZ_RETURN_IF_ERROR(zone.env()->Rename(sealed.path, to));
  files.Replace(sealed.path, to);
  return OkStatus();
}

}  // namespace

Result<StoredVersion> InsertVersion(Zone& zone, const NewVersion& v, FileGuard& files) {
  storage::SqliteDb& db = zone.db();
  SZ_ASSIGN_OR_RETURN(auto st, db.Query(
      "SELECT COALESCE(MAX(version), 0) + 1 FROM dataset_versions WHERE dataset_id = ?1", v.dataset_id));
  SZ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Internal("no next version number");
  StoredVersion stored;
  stored.version = static_cast<int>(st.Int64(0));

  std::string data_rel = "data/" + v.data.info.file_id + ".szp";
  SZ_RETURN_IF_ERROR(MoveIntoPlace(zone, v.data, data_rel, files));
  SZ_RETURN_IF_ERROR(zone.env()->SyncDir(zone.DataDir()));
  std::optional<std::string> upload_rel, upload_sha;
  if (v.upload) {
    upload_rel = "uploads/" + v.upload->info.file_id + ".szr";
    upload_sha = v.upload->info.plain_sha256;
    SZ_RETURN_IF_ERROR(MoveIntoPlace(zone, *v.upload, *upload_rel, files));
    SZ_RETURN_IF_ERROR(zone.env()->SyncDir(zone.UploadDir()));
  }

  SZ_RETURN_IF_ERROR(db.Run(
      "INSERT INTO dataset_versions(dataset_id, version, tier, file, file_id, sealed_bytes, "
      "plain_bytes, content_sha256, row_count, source_name, source_format, source_encoding, "
      "source_delimiter, source_header, upload_file, upload_sha256, derived_from, note, created_at, "
      "created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
      "?18, ?19, ?20)",
      v.dataset_id, stored.version, v.tier, data_rel, v.data.info.file_id,
      static_cast<int64_t>(v.data.info.sealed_bytes), static_cast<int64_t>(v.data.info.plain_bytes),
      v.data.info.plain_sha256, v.row_count, v.source_name, v.source_format, v.source_encoding,
      v.source_delimiter, v.source_header ? 1 : 0, upload_rel, upload_sha, v.derived_from, v.note,
      FormatUtc(zone.clock().Now()), v.created_by));
  stored.id = db.LastInsertId();

  for (const ColumnInfo& c : v.columns) {
    SZ_RETURN_IF_ERROR(db.Run(
        "INSERT INTO dataset_columns(version_id, position, name, type, role, proposed_role, "
        "pattern, share, evidence, confirmed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        stored.id, c.position, c.name, c.type, c.role, c.proposed_role, c.pattern, c.share, c.evidence,
        c.confirmed ? 1 : 0));
  }
  return stored;
}

}  // namespace sz::zone
