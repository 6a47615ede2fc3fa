// Internal to the pseudonymization use cases: the job rows (pseudo_jobs) and the
// report JSON they hold.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "pseudo/report.h"
#include "zone/pseudonymize.h"
#include "zone/zone.h"

namespace sz::zone::internal {

struct NewJob {
  int64_t id = 0;  // chosen inside the transaction (NextJobId)
  int64_t dataset_id = 0;
  int64_t input_version_id = 0;
  int64_t output_version_id = 0;
  std::string policy_name;
  std::string policy_json;
  std::string thresholds_json;
  std::string project;
  std::string keys;  // keys used, comma-separated labels (never key bytes)
  std::string report_json;
  bool pass = false;
  std::string run_by;
  int64_t run_by_user = 0;
  std::string run_at;
};

// REQUIRES: a write transaction on zone.db() (so the id stays free until the insert).
Result<int64_t> NextJobId(Zone& zone);
Status InsertJob(Zone& zone, const NewJob& job);

// The report as RenderJson wrote it, read back (verdicts become thresholds again).
Result<pseudo::AdequacyReport> ReportFromJson(std::string_view json);

// One policy rule (as PolicyToJson writes it, a JSON object) as a YAML flow mapping with
// `column`, `rule` and `method` first: {column: "age", rule: "generalize", ...}.
std::string RuleYaml(std::string_view rule_json);

}  // namespace sz::zone::internal
