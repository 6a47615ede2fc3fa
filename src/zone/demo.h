// The demo zone: a zone with generated sample data for all six sectors, for a first look
// and for the README's first command.
//
// DIR/zone        the zone
// DIR/master.key  its master key (outside the zone, mode 0600)
// After the import, the demo confirms the proposed column roles (standing in for the
// providers) and pseudonymizes the card payments and the loans as the pseudonymization
// centre would: the suggested policy, reviewed (see ReviewDemoPolicy in demo.cc), run
// for the project "demo", with its adequacy report recorded. Sign-off is left to a
// pseudonymization officer: the operator ran the jobs, and nobody signs off their own
// run (separation of duties), so the jobs wait in state awaiting_signoff.
// The provider files are generated into a memory-backed temporary directory
// (/dev/shm when available), imported, and deleted: no plaintext sample data stays on
// disk. Idempotent: an existing demo zone is opened and left as it is.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "synth/generator.h"
#include "zone/ingest.h"
#include "zone/pseudonymize.h"
#include "zone/zone.h"

namespace sz::zone {

struct DemoOptions {
  std::string dir;
  uint64_t seed = 20241231;
  double scale = 1.0;  // 1.0: 10,000 persons, about 200,000 rows
  int threads = 0;
  std::function<void(std::string_view stage, std::string_view dataset, double fraction)> progress;
};

struct DemoResult {
  std::unique_ptr<Zone> zone;
  std::string key_file;
  bool created = false;  // false: an existing demo zone was opened
  std::vector<ImportResult> imports;
  std::vector<RunResult> pseudonymized;  // the demo's pseudonymization jobs
  double generate_seconds = 0;
  double import_seconds = 0;
  double pseudonymize_seconds = 0;
};

// The catalog name under which the demo imports a generated dataset.
std::string_view DemoDatasetName(synth::DatasetId id);

Result<DemoResult> BuildDemoZone(const DemoOptions& options);

}  // namespace sz::zone
