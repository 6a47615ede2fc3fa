// The deterministic synthetic data generator: writes the six provider datasets (plus
// the derived open statistics), their manifest and the ground truth to a directory.
//
//   out/manifest.json              datasets with metadata, files, encodings, row counts
//   out/<dataset>.csv              one file per dataset, with a header row
//   out/ground_truth/index.json    what the ground-truth files are
//   out/ground_truth/persons.csv   the universe: canonical attributes per person id
//   out/ground_truth/<dataset>.csv record id → person id, noise applied ("" if none)
//
// Person ids and noise labels never appear in the datasets; only ground_truth/ links
// records to persons. Import the datasets, never ground_truth/.
//
// Determinism: the same Options (except `threads`, `partition_rows` and `env`) produce
// byte-identical files. Records are generated in partitions of `partition_rows` by
// `threads` workers and written in order; memory stays bounded by a few partitions per
// thread, so tens of millions of rows stream to disk.
//
// Errors: InvalidArgument for bad options, AlreadyExists if the output directory is not
// empty, and the Env's errors (ResourceExhausted when the disk is full, …) for I/O. On
// error, files written so far are left in place (the directory is new and can be
// removed).
//
// Thread-safety: Generate may run concurrently with different output directories.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/text.h"
#include "storage/env.h"
#include "synth/datasets.h"
#include "synth/date.h"

namespace sz::synth {

struct Options {
  // Directory to create (or an existing empty one). REQUIRED.
  std::string output_dir;
  // Default: 20241231.
  uint64_t seed = 20241231;
  // Multiplies the default universe (10,000 persons) and every dataset's default size.
  // Default: 1.0 (about 200,000 rows in all, a few seconds to generate). REQUIRES > 0.
  double scale = 1.0;
  // Universe size. Default: 0 = 10,000 × scale.
  int64_t persons = 0;
  // Row counts that override default × scale. REQUIRES population ≤ persons.
  std::map<DatasetId, int64_t> rows;
  // Datasets to write. Default: empty = all. tourism_stats REQUIRES tourism.
  std::vector<DatasetId> datasets;
  // Encoding per dataset file. Default: UTF-8 for all. Only kUtf8 and kCp949.
  std::map<DatasetId, text::Encoding> encodings;
  // Share of person records with at least one injected error. Default: 0.05.
  double noise_rate = 0.05;
  // The "as of" date of all data (ages, last 90 days of payments, …). Default: 2024-12-31.
  Date reference_date{2024, 12, 31};
  // Worker threads. Default: 0 = hardware concurrency. Output does not depend on it.
  int threads = 0;
  // Records per work unit. Default: 20,000. Output does not depend on it.
  int64_t partition_rows = 20'000;
  // Universes up to this size are generated once and kept in memory (~0.5 KB a person)
  // instead of regenerating a person for each record. Default: 250,000. Output does not
  // depend on it.
  int64_t max_cached_persons = 250'000;
  // Write ground_truth/persons.csv. Default: true.
  bool write_persons = true;
  // File system. Default: nullptr = Env::Default().
  storage::Env* env = nullptr;
  // Called from the calling thread after each partition is written.
  std::function<void(std::string_view dataset, int64_t rows_done, int64_t rows_total)>
      on_progress;

  // The demo configuration: scale 1, real_estate written in CP949 (as the ministry's
  // public transaction files are).
  static Options Demo(std::string output_dir);
};

struct DatasetResult {
  DatasetId id;
  std::string file;        // relative to output_dir: "consumption.csv"
  std::string truth_file;  // relative: "ground_truth/consumption.csv"; empty if derived
  text::Encoding encoding = text::Encoding::kUtf8;
  int64_t rows = 0;
  int64_t noisy_rows = 0;  // records with at least one injected error
  int64_t bytes = 0;
};

struct Manifest {
  uint64_t seed = 0;
  int64_t persons = 0;
  double noise_rate = 0;
  Date reference_date;
  std::vector<DatasetResult> datasets;

  const DatasetResult* Find(DatasetId id) const;
  // The manifest.json text (UTF-8, deterministic).
  std::string ToJson() const;
};

Result<Manifest> Generate(const Options& options);

}  // namespace sz::synth
