#include "zone/dataset_files.h"

#include "crypto/sealed_file.h"
#include "fmt/format.h"

namespace sz::zone {

std::string DatasetSealContext(std::string_view name) { return fmt::format("safezone dataset {}", name); }
std::string DatasetKeyPurpose(std::string_view name) { return fmt::format("dataset:{}", name); }

Result<storage::MemFile> OpenVersion(Zone& zone, std::string_view dataset, const VersionInfo& version) {
  SZ_ASSIGN_OR_RETURN(crypto::SecretBytes key, zone.Key(DatasetKeyPurpose(dataset)));
  SZ_ASSIGN_OR_RETURN(storage::MemFile mem, storage::MemFile::Create("version"));
  std::string path = zone.dir() + "/" + version.file;
  auto info = crypto::UnsealToMemFile(path, key, DatasetSealContext(dataset), mem);
  if (!info.ok()) {
    if (info.status().code() == Code::kNotFound) {
      return DataLoss(fmt::format("dataset '{}' version {}: its file {} is missing", dataset,
                                  version.version, version.file));
    }
    return info.status().WithContext(fmt::format("dataset '{}' version {}", dataset, version.version));
  }
  if (info->file_id != version.file_id || info->plain_sha256 != version.content_sha256) {
    return DataLoss(fmt::format(
        "dataset '{}' version {}: {} is not the file the catalog recorded (replaced or swapped)",
        dataset, version.version, version.file));
  }
  return mem;
}

}  // namespace sz::zone
