// The pseudonymization centre's use cases (가명처리 · 적정성 검토): from a dataset
// version with confirmed column roles to a signed-off pseudonymized version.
//
//   suggest   a starter policy from the version's confirmed roles (pseudo::SuggestPolicy)
//   validate  a policy against the version's schema and the zone's thresholds
//   run       policy -> pseudo::Apply -> a new version of the same dataset, tier
//             `pseudonymized`, derived_from the source version; risk before and after,
//             utility, the verdict against the thresholds, and the adequacy report
//   decide    sign-off or rejection, with a comment, by a different officer
//
// A run is atomic, exactly like an import (version_store.h): the output is sealed into
// tmp/, then the version, the job with its report (JSON), the keys the run created and
// the audit entries (the run and each key used) are written in one transaction. Any
// error (bad policy, missing key, uncovered hierarchy values, k above the row count,
// an interruption) leaves nothing: no version, no job, no key, no file; the failure is
// audited.
//
// Thresholds (the zone's defaults; a run may override them in a `thresholds:` section
// of its policy, and the report lists the ones applied):
//   k >= 5                        smallest equivalence class over the quasi-identifiers
//   prosecutor_max <= 0.2         highest re-identification probability (1/k)
//   records_above_threshold <= 0  share of records whose risk exceeds risk_threshold (0.2)
//   direct_identifiers_kept <= 0  direct-identifier columns left unchanged (rule keep);
//                                 not overridable
//   l_distinct >= 2               distinct sensitive values per class, when `sensitive` is named
// Risk is measured on the quasi-identifiers: before, on the source columns whose
// confirmed role is quasi_identifier; after, on the output's (those that survive, plus
// direct identifiers the policy masked or generalized, which become quasi-identifiers).
// `thresholds.quasi_identifiers` replaces that list for both. Missing values form their
// own class (privacy/dataset.h).
//
// Sign-off: only a run whose verdict passes can be signed off; the officer who ran it
// cannot sign it off (authz kOwnWork; for a run by the local operator, the operator
// cannot either). A signed-off version is recorded in pseudo_signoffs, which is what
// the projects module checks before a pseudonymized version may enter a project
// (IsSignedOff).
//
// Who: officers (authz kPseudonymizeConfigure / kPseudonymizeRun / kPseudonymizeSignOff,
// kKeyUse) and the local operator; every call is audited.
// Thread-safety: same rule as Zone; the cancel flag and the progress callback may be
// touched from another thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "pseudo/policy.h"
#include "pseudo/report.h"
#include "zone/access.h"
#include "zone/zone.h"

namespace sz::zone {

struct Thresholds {
  int64_t k = 5;                       // REQUIRES >= 1
  double prosecutor_max = 0.2;         // REQUIRES in (0, 1]
  double risk_threshold = 0.2;         // REQUIRES in (0, 1]
  double records_above_threshold = 0;  // REQUIRES in [0, 1]
  std::string sensitive;  // "" = none; then l is not checked
  int64_t l = 2;          // distinct l-diversity; REQUIRES >= 1
  // Quasi-identifiers to measure on. Default: empty = by confirmed role.
  std::vector<std::string> quasi_identifiers;
};

// The section `thresholds:` of a policy as JSON (values may be strings, as YAML gives
// them). Unknown fields are errors. Fields not given keep the zone defaults.
Result<Thresholds> ParseThresholds(std::string_view json);
std::string ThresholdsToJson(const Thresholds& thresholds);
// The requirements the verdict checks, in report order.
std::vector<pseudo::Threshold> ThresholdList(const Thresholds& thresholds);

// ---- suggest / validate ----

struct SuggestRequest {
  std::string dataset;
  int version = 0;  // 0: the latest version that is not pseudonymized
  // The project the output is for: pseudonyms then use the project-scoped key (linkable
  // across datasets pseudonymized for the same project); "" = dataset scope.
  std::string project;
  bool reversible_rrn = false;  // RRNs as FF1 tokens instead of masks
  std::string as_of;            // reference date for age bands; "" = today (zone clock)
};

struct SuggestedPolicy {
  pseudo::Policy policy;
  Thresholds thresholds;  // the zone's defaults, with the sensitive column if there is one
  std::string text;       // policy and thresholds as YAML, ready to edit and run
};

// FailedPrecondition if the version's roles are not all confirmed.
Result<SuggestedPolicy> SuggestPseudonymizationPolicy(Zone& zone, const Caller& caller, const SuggestRequest& request);

struct ValidatedPolicy {
  pseudo::Policy policy;
  Thresholds thresholds;
  int version = 0;  // the source version it was checked against
};

// Parses (hierarchies by zone name only, thresholds section) and checks the policy
// against the version's schema and the thresholds against its columns and rows.
Result<ValidatedPolicy> ValidatePseudonymizationPolicy(Zone& zone, const Caller& caller, std::string_view dataset,
                                                       int version, std::string_view policy_text);

// ---- run ----

struct RunRequest {
  std::string dataset;
  int version = 0;  // 0: the latest version that is not pseudonymized
  std::string policy_text;
  std::string project;  // binds project-scoped keys; "" = none (such keys are an error)
  std::string summary;  // the officer's rationale, printed in the report
  int threads = 0;      // DuckDB and privacy-engine threads; 0 = all cores
};

struct RunProgress {
  std::string_view stage;  // "reading", "transforming", "assessing", "sealing", "done"
  double fraction = -1;    // of the stage, 0..1, or -1 if unknown
  double seconds = 0;      // since the run began
};

struct RunHooks {
  std::function<void(const RunProgress&)> progress;  // called from the run's thread
  const std::atomic<bool>* cancel = nullptr;         // set to stop the run cleanly
};

enum class JobState { kAwaitingSignOff, kSignedOff, kRejected };
std::string_view JobStateName(JobState state);  // "awaiting_signoff", "signed_off", "rejected"

struct JobInfo {
  int64_t id = 0;
  std::string dataset;
  int64_t dataset_id = 0;
  int input_version = 0;
  int output_version = 0;
  int64_t output_version_id = 0;
  std::string policy_name;
  std::string project;
  bool pass = false;
  std::vector<pseudo::Verdict> verdicts;
  JobState state = JobState::kAwaitingSignOff;
  std::string run_by;
  int64_t run_by_user = 0;  // 0: the local operator
  std::string run_at;
  std::string decided_by;
  std::string decided_at;
  std::string comment;
};

struct RunStats {
  double read_seconds = 0;       // decrypting the source, schema
  double transform_seconds = 0;  // pseudo::Apply
  double assess_seconds = 0;     // risk and utility before and after
  double seal_seconds = 0;       // sealing the output
  double total_seconds = 0;
};

struct RunResult {
  JobInfo job;
  pseudo::AdequacyReport report;
  RunStats stats;
};

Result<RunResult> RunPseudonymization(Zone& zone, const Caller& caller, const RunRequest& request,
                                      const RunHooks& hooks = {});

// ---- jobs, reports, sign-off ----

// Jobs, newest first; of one dataset if `dataset` is not empty.
Result<std::vector<JobInfo>> ListJobs(Zone& zone, const Caller& caller, std::string_view dataset = "");
Result<JobInfo> GetJob(Zone& zone, const Caller& caller, int64_t job_id);

enum class ReportFormat { kMarkdown, kHtml, kJson };
Result<ReportFormat> ParseReportFormat(std::string_view name);  // "md", "html", "json"
Result<pseudo::Lang> ParseReportLang(std::string_view name);     // "ko", "en"

// The job's adequacy report (as stored at run time, with the sign-off or rejection
// filled in) in the requested format.
Result<std::string> RenderJobReport(Zone& zone, const Caller& caller, int64_t job_id, ReportFormat format,
                                    pseudo::Lang lang);

struct SignOffDecision {
  bool approve = false;
  std::string comment;  // required, at most 2000 bytes
};

// FailedPrecondition if the job is decided already, or an approval of a failed verdict;
// PermissionDenied (audited) for the officer who ran it.
Result<JobInfo> DecideJob(Zone& zone, const Caller& caller, int64_t job_id, const SignOffDecision& decision);

// The hook for the projects module: whether version `version_id` (dataset_versions.id)
// was signed off by a pseudonymization officer. No authorization (a fact for other use
// cases, which authorize themselves).
Result<bool> IsSignedOff(Zone& zone, int64_t version_id);
Result<bool> IsSignedOff(Zone& zone, std::string_view dataset, int version);

// Creates the tables of this module (idempotent). Called from CreateSchema.
Status CreatePseudonymizationSchema(storage::SqliteDb& db);

}  // namespace sz::zone
