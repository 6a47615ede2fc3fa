// Storing a new dataset version: the one mechanism behind an import and a
// pseudonymization run.
//
// A version's Parquet is sealed into tmp/ under the dataset's data key first (no lock
// held, the slow part); then, inside the caller's control-plane transaction,
// InsertVersion moves the sealed files into data/ (and uploads/) and catalogues the
// version and its columns. The caller records its audit entry in the same transaction
// and commits. A FileGuard removes every file it lists unless the caller commits it after
// the transaction did, so an error, an interruption or a crash at any point leaves no
// version, no stray file (tmp/ is swept at the next open) and the catalog unchanged.
//
// Thread-safety: one writer per Zone object at a time (same rule as Zone).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "crypto/sealed_file.h"
#include "crypto/secret.h"
#include "storage/env.h"
#include "storage/memfile.h"
#include "zone/catalog.h"
#include "zone/zone.h"

namespace sz::zone {

// Removes the files it lists unless Commit()ed: nothing of a failed write remains.
class FileGuard {
 public:
  explicit FileGuard(storage::Env* env) : env_(env) {}
  ~FileGuard();
  FileGuard(const FileGuard&) = delete;
  FileGuard& operator=(const FileGuard&) = delete;
  void Add(std::string path) { files_.push_back(std::move(path)); }
  // The file moved: track it under its new path.
  void Replace(const std::string& from, std::string to);
  // Call after the transaction that references the files committed.
  void Commit() { committed_ = true; }

 private:
  storage::Env* env_;
  std::vector<std::string> files_;
  bool committed_ = false;
};

// A fresh path in tmp/ named "<pid>-<random><suffix>": the sweep at open skips the files
// of a process that is still running.
std::string TmpPath(const Zone& zone, std::string_view suffix);

// A sealed file in tmp/, waiting to be moved into place.
struct SealedTmp {
  std::string path;
  crypto::SealInfo info;
};

// Seals `plain` (a version's Parquet) for dataset `dataset` under `key` into tmp/, and
// lists it in `files`.
Result<SealedTmp> SealVersionToTmp(Zone& zone, std::string_view dataset, const crypto::SecretBytes& key,
                                   const storage::MemFile& plain, FileGuard& files);

// What the catalog records about a new version besides its file.
struct NewVersion {
  int64_t dataset_id = 0;
  std::string tier;
  SealedTmp data;                   // the version's sealed Parquet
  std::optional<SealedTmp> upload;  // the provider's sealed raw file (imports)
  int64_t row_count = 0;
  std::string source_name;  // the provider's file name, or what the version came from
  std::string source_format;
  std::string source_encoding;
  std::string source_delimiter;
  bool source_header = true;
  std::optional<int64_t> derived_from;  // dataset_versions.id of the source version
  std::string note;
  std::string created_by;  // Caller::Label()
  std::vector<ColumnInfo> columns;
};

struct StoredVersion {
  int64_t id = 0;   // dataset_versions.id
  int version = 0;  // number within the dataset
};

// REQUIRES: a transaction is open on zone.db(). Takes the next version number, moves
// the sealed files into place (re-listed in `files` under their new paths) and inserts
// the version and its columns.
Result<StoredVersion> InsertVersion(Zone& zone, const NewVersion& version, FileGuard& files);

}  // namespace sz::zone
