// Reading stored dataset versions back: the sealed Parquet of a version is verified and
// decrypted into a MemFile (plaintext only in memory), and checked against the catalog
// (file id and content hash), so a file swapped for another version is refused too.
#pragma once

#include <string>

#include "common/status.h"
#include "storage/memfile.h"
#include "zone/catalog.h"
#include "zone/zone.h"

namespace sz::zone {

// The associated data every sealed file of dataset `name` is bound to.
std::string DatasetSealContext(std::string_view name);
std::string DatasetKeyPurpose(std::string_view name);

// DataLoss if the file is missing, tampered, truncated or not the catalogued one.
Result<storage::MemFile> OpenVersion(Zone& zone, std::string_view dataset, const VersionInfo& version);

}  // namespace sz::zone
