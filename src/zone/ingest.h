// Import of a provider's file (CSV in UTF-8 or CP949/EUC-KR, or Parquet) as a new
// dataset or a new version of one.
//
// Import is atomic. The raw upload and the converted Parquet are sealed into tmp/ under
// the dataset's data key; only then, in one control-plane transaction, are they moved
// into place and catalogued. An error, an interruption (Ctrl-C) or a crash at any point
// leaves no dataset, no partial file (tmp/ is swept at the next open) and the catalog
// unchanged. Plaintext of the converted data exists only in a MemFile.
//
// Thread-safety: one import per Zone object at a time; the cancel flag and the progress
// callback may be touched from another thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/status.h"
#include "common/text.h"
#include "zone/access.h"
#include "zone/catalog.h"
#include "zone/zone.h"

namespace sz::zone {

enum class SourceFormat { kAuto, kCsv, kParquet };

struct ImportRequest {
  std::string path;  // the provider's file
  // The file's name as the provider knows it, for messages, format detection by
  // extension and the catalog. Default: the last component of `path`.
  std::string source_name;
  std::string name;  // dataset name ([a-z][a-z0-9_]*)
  std::string title_ko;
  std::string title_en;
  std::string sector;
  std::string tier;
  std::string provider;  // institution
  std::string description;
  // Default: auto-detect (valid UTF-8, else CP949; anything else is refused).
  text::Encoding encoding = text::Encoding::kAuto;
  std::optional<char> delimiter;  // Default: detected from the first line.
  std::optional<bool> header;     // Default: detected by DuckDB's sniffer.
  SourceFormat format = SourceFormat::kAuto;  // Default: by extension / magic bytes.
  bool new_version = false;  // add a version to an existing dataset instead of creating it
  uint64_t max_bytes = 0;  // 0 = no limit
  int threads = 0;         // DuckDB threads; 0 = all cores
  size_t profile_sample_rows = 100000;
};

struct ImportProgress {
  std::string_view stage;  // "reading", "converting", "profiling" (sealing alongside), "done"
  double fraction = 0;     // of the stage, 0..1 (or -1 if unknown)
  uint64_t bytes = 0;      // source bytes read so far
  uint64_t rows = 0;       // rows converted (known once converting finishes)
  double seconds = 0;      // since the import began
};

struct ImportHooks {
  std::function<void(const ImportProgress&)> progress;  // called from the import thread
  const std::atomic<bool>* cancel = nullptr;            // set to stop the import cleanly
};

struct ImportStats {
  double convert_seconds = 0;  // DuckDB: source -> Parquet in memory, raw upload sealed alongside
  double profile_seconds = 0;  // identifier detection (overlaps sealing)
  double seal_seconds = 0;     // detection and sealing the Parquet, until both are done
  double total_seconds = 0;
};

struct ImportResult {
  DatasetInfo dataset;
  VersionInfo version;
  std::string encoding;   // as detected or declared
  char delimiter = ',';
  bool header = true;
  ImportStats stats;
};

// A person needs the data-provider role for the dataset's institution (authz decides);
// the import and any failure of it are audited.
Result<ImportResult> ImportDataset(Zone& zone, const Caller& caller, const ImportRequest& request,
                                   const ImportHooks& hooks = {});

}  // namespace sz::zone
