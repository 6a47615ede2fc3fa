// The files a zone's control plane refers to, and their verification.
//
// A zone directory holds the control plane (zone.db, with its -wal and -shm files while
// open), the TLS certificate (tls/cert.pem), and sealed files (crypto/sealed_file.h):
// dataset versions and raw uploads, output revisions, release packages and the
// generalization hierarchies officers upload (zone/hierarchies.h). Each sealed
// file is named by exactly one control-plane row, written (and fsynced) before that row
// commits and never changed afterwards; so a consistent snapshot of zone.db names a set
// of files that all exist and are complete, which is what backup.h relies on.
//
// Thread-safety: functions over the zone or connection they are given (one thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/sqlite.h"
#include "zone/zone.h"

namespace sz::ops {

enum class SealedKind { kDatasetVersion, kUpload, kOutputRevision, kReleasePackage, kHierarchy };
std::string_view SealedKindName(SealedKind kind);  // "dataset_version", ...

struct SealedRef {
  SealedKind kind = SealedKind::kDatasetVersion;
  std::string file;     // relative to the zone directory
  std::string file_id;  // from the catalog row ("" where the row keeps none: uploads)
  std::string dataset;  // dataset versions and uploads: the dataset's name
  int version = 0;      // dataset versions and uploads: the version number
  int64_t output_id = 0, revision = 0;     // output revisions
  int64_t project_id = 0, request_id = 0;  // release packages
  std::string hierarchy;                   // hierarchies: the zone name of the hierarchy
  // "dataset residents v2", "output 7 revision 1", "release of request 4": for messages.
  std::string Label() const;
};

// Every sealed file the control plane `db` refers to, in a stable order.
Result<std::vector<SealedRef>> ReferencedFiles(storage::SqliteDb& db);

// Authenticates the whole file with its key and associated data, and checks what the
// catalog records of it (file id; for versions and outputs also the content hash).
// DataLoss naming `ref.Label()` if the file is missing, altered, truncated or swapped.
// Plaintext only passes through memory (MemFile) and is dropped at once.
Status VerifySealedFile(zone::Zone& zone, const SealedRef& ref);

// True if the file at `path` starts with the sealed-file magic ("SZSEAL\0").
bool HasSealedMagic(const std::string& path);

}  // namespace sz::ops
