#include "ops/zone_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "crypto/sealed_file.h"
#include "fmt/format.h"
#include "storage/env.h"
#include "zone/catalog.h"
#include "zone/dataset_files.h"
#include "zone/hierarchies.h"
#include "zone/outputs.h"
#include "zone/releases.h"

namespace sz::ops {

namespace {

constexpr std::string_view kNames[] = {"dataset_version", "upload", "output_revision",
                                       "release_package", "hierarchy"};

Status Damaged(const SealedRef& ref) {
  return DataLoss(fmt::format("{} ({}): the sealed file is missing, altered or not the one the "
                              "catalog records; restore it from an earlier backup",
                              ref.Label(), ref.file));
}

Status VerifyUpload(zone::Zone& zone, const SealedRef& ref) {
  SZ_ASSIGN_OR_RETURN(crypto::SecretBytes key, zone.Key(zone::DatasetKeyPurpose(ref.dataset)));
  SZ_ASSIGN_OR_RETURN(storage::MemFile mem, storage::MemFile::Create("sz-verify"));
  auto info = crypto::UnsealToMemFile(zone.dir() + "/" + ref.file, key,
                                      zone::DatasetSealContext(ref.dataset) + " upload", mem);
  return info.ok() ? OkStatus() : Damaged(ref);
}

Status VerifyRelease(zone::Zone& zone, const SealedRef& ref) {
  SZ_ASSIGN_OR_RETURN(crypto::SecretBytes key, zone.Key(fmt::format("project:{}", ref.project_id)));
  auto info = crypto::UnsealToString(zone.dir() + "/" + ref.file, key,
                                     zone::ReleaseSealContext(ref.project_id, ref.request_id));
  if (!info.ok()) return Damaged(ref);
  SZ_ASSIGN_OR_RETURN(std::string file_id, crypto::ReadSealedFileId(zone.dir() + "/" + ref.file));
  return file_id == ref.file_id ? OkStatus() : Damaged(ref);
}

// ReadHierarchyText authenticates the file under the hierarchy key and checks the
// SHA-256 the catalog records; the file id guards against a swapped file.
Status VerifyHierarchy(zone::Zone& zone, const SealedRef& ref) {
  if (!zone::ReadHierarchyText(zone, ref.hierarchy).ok()) return Damaged(ref);
  auto id = crypto::ReadSealedFileId(zone.dir() + "/" + ref.file);
  return id.ok() && *id == ref.file_id ? OkStatus() : Damaged(ref);
}

// Hierarchies live in the pseudonymization centre's table, which a control plane from
// before the centre existed may lack.
Status AddHierarchies(storage::SqliteDb& db, std::vector<SealedRef>& out) {
  SZ_ASSIGN_OR_RETURN(auto t, db.Query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                       "name = 'pseudo_hierarchies'"));
  SZ_ASSIGN_OR_RETURN(bool present, t.Step());
  if (!present) return OkStatus();
  SZ_ASSIGN_OR_RETURN(auto h, db.Query("SELECT name, file, file_id FROM pseudo_hierarchies "
                                       "ORDER BY name"));
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, h.Step());
    if (!row) break;
    SealedRef r;
    r.kind = SealedKind::kHierarchy;
    r.hierarchy = h.Text(0);
    r.file = h.Text(1);
    r.file_id = h.Text(2);
    out.push_back(std::move(r));
  }
  return OkStatus();
}

}  // namespace

std::string_view SealedKindName(SealedKind kind) { return kNames[static_cast<int>(kind)]; }

std::string SealedRef::Label() const {
  switch (kind) {
    case SealedKind::kDatasetVersion:
      return fmt::format("dataset {} v{}", dataset, version);
    case SealedKind::kUpload:
      return fmt::format("upload of dataset {} v{}", dataset, version);
    case SealedKind::kOutputRevision:
      return fmt::format("output {} revision {}", output_id, revision);
    case SealedKind::kReleasePackage:
      return fmt::format("release of request {}", request_id);
    case SealedKind::kHierarchy:
      return fmt::format("hierarchy {}", hierarchy);
  }
  return file;
}

Result<std::vector<SealedRef>> ReferencedFiles(storage::SqliteDb& db) {
  std::vector<SealedRef> out;
  SZ_ASSIGN_OR_RETURN(auto v, db.Query("SELECT d.name, v.version, v.file, v.file_id, "
                                       "v.upload_file FROM dataset_versions v JOIN datasets d ON "
                                       "d.id = v.dataset_id ORDER BY v.id"));
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, v.Step());
    if (!row) break;
    SealedRef r;
    r.dataset = v.Text(0);
    r.version = static_cast<int>(v.Int64(1));
    r.file = v.Text(2);
    r.file_id = v.Text(3);
    out.push_back(r);
    if (auto upload = v.OptionalText(4); upload && !upload->empty()) {
      r.kind = SealedKind::kUpload;
      r.file = *upload;
      r.file_id.clear();
      out.push_back(r);
    }
  }
  SZ_ASSIGN_OR_RETURN(auto o, db.Query("SELECT output_id, revision, file, file_id FROM "
                                       "output_revisions ORDER BY output_id, revision"));
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, o.Step());
    if (!row) break;
    SealedRef r;
    r.kind = SealedKind::kOutputRevision;
    r.output_id = o.Int64(0);
    r.revision = o.Int64(1);
    r.file = o.Text(2);
    r.file_id = o.Text(3);
    out.push_back(std::move(r));
  }
  SZ_ASSIGN_OR_RETURN(auto p, db.Query("SELECT project_id, request_id, file, file_id FROM "
                                       "releases ORDER BY id"));
  while (true) {
    SZ_ASSIGN_OR_RETURN(bool row, p.Step());
    if (!row) break;
    SealedRef r;
    r.kind = SealedKind::kReleasePackage;
    r.project_id = p.Int64(0);
    r.request_id = p.Int64(1);
    r.file = p.Text(2);
    r.file_id = p.Text(3);
    out.push_back(std::move(r));
  }
  SZ_RETURN_IF_ERROR(AddHierarchies(db, out));
  return out;
}

Status VerifySealedFile(zone::Zone& zone, const SealedRef& ref) {
  switch (ref.kind) {
    case SealedKind::kDatasetVersion: {
      zone::Catalog catalog(zone);
      SZ_ASSIGN_OR_RETURN(zone::VersionInfo info, catalog.Version(ref.dataset, ref.version));
      // OpenVersion checks the file id and the content hash against the catalog.
      return zone::OpenVersion(zone, ref.dataset, info).ok() ? OkStatus() : Damaged(ref);
    }
    case SealedKind::kUpload:
      return VerifyUpload(zone, ref);
    case SealedKind::kOutputRevision: {
      auto content = zone::LoadOutputRevision(zone, ref.output_id, static_cast<int>(ref.revision));
      if (!content.ok()) return Damaged(ref);
      auto id = crypto::ReadSealedFileId(zone.dir() + "/" + ref.file);
      return id.ok() && *id == ref.file_id ? OkStatus() : Damaged(ref);
    }
    case SealedKind::kReleasePackage:
      return VerifyRelease(zone, ref);
    case SealedKind::kHierarchy:
      return VerifyHierarchy(zone, ref);
  }
  return Internal("unknown sealed file kind");
}

bool HasSealedMagic(const std::string& path) {
  storage::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) return false;
  char magic[7];
  return ::pread(fd.get(), magic, sizeof magic, 0) == static_cast<ssize_t>(sizeof magic) &&
         std::memcmp(magic, "SZSEAL\0", sizeof magic) == 0;
}

}  // namespace sz::ops
