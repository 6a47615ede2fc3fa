// Named outputs of a project: what an analyst saves from the workspace and may later ask
// to export.
//
// An output has a name unique in its project, a kind (frequency/cross table, histogram,
// chart data, magnitude table, quantiles, extremes, dispersion, regression, text, code,
// file) and revisions: saving under an existing name adds a revision. Each revision's
// content — the disclosure::Output with its per-cell evidence, the files that would be
// released, and the definition that produced it — is stored sealed
// (ZONE/projects/<project id>/o<id>-r<revision>.szo, under the project's data key) and
// identified by the SHA-256 of its canonical JSON. Export requests remember the hash they
// checked; a release refuses an output whose current revision no longer has it.
// Revisions are never deleted: earlier releases stay readable for differencing.
//
// Plaintext of an output exists only in memory; the control plane holds names, kinds,
// hashes and file names, never cell values or the SQL (which may quote identifiers).
//
// Thread-safety: like Zone, one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "disclosure/acro_record.h"
#include "disclosure/output.h"
#include "zone/access.h"
#include "zone/projects.h"
#include "zone/zone.h"

namespace sz::zone {

enum class OutputKind {
  kFrequencyTable,
  kCrossTable,
  kHistogram,
  kChartData,
  kMagnitudeTable,
  kQuantiles,
  kExtremes,
  kDispersion,
  kRegression,
  kText,
  kCode,
  kFile,
};
std::string_view OutputKindName(OutputKind kind);  // "cross_table", ...
Result<OutputKind> ParseOutputKind(std::string_view name);
// InvalidArgument if an output of `kind` cannot hold content checked as `type` (a
// "magnitude_table" must be a sum/mean table, "text" must be free-form, ...).
Status CheckKindMatches(OutputKind kind, disclosure::OutputType type);

struct OutputContent {
  OutputKind kind = OutputKind::kFrequencyTable;
  disclosure::Output output;                         // uid, type, command, body with evidence
  std::vector<disclosure::ReleaseFile> attachments;  // regression/free-form files as released
  std::string definition;                            // JSON of the spec that produced it
  std::vector<std::string> datasets;                 // versions read: "dataset:12@3"
};

struct OutputInfo {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string name;
  OutputKind kind = OutputKind::kFrequencyTable;
  int revision = 0;
  std::string content_sha256;
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

// Canonical bytes of `content` and their SHA-256 (hex).
std::string EncodeOutputContent(const OutputContent& content);
std::string OutputContentHash(const OutputContent& content);

// Stores `content` as the next revision of `name` in `project` (inside the caller's
// transaction, which must be open). The content's uid is set to the output's name.
Result<OutputInfo> StoreOutput(Zone& zone, const Project& project, std::string_view name,
                               OutputContent content, std::string_view by);
// The stored revision, verified (sealed file intact, hash as recorded). DataLoss otherwise.
Result<OutputContent> LoadOutputRevision(Zone& zone, int64_t output_id, int revision);
Result<OutputInfo> OutputByName(Zone& zone, int64_t project_id, std::string_view name);
Result<OutputInfo> OutputById(Zone& zone, int64_t output_id);

// ---- Use cases ----
// Outputs of a project (metadata), for its members and its reviewers.
Result<std::vector<OutputInfo>> ListOutputs(Zone& zone, const Caller& caller,
                                            std::string_view project);
// The current revision's content, for a member of the (active) project.
Result<OutputContent> ReadOutput(Zone& zone, const Caller& caller, std::string_view project,
                                 std::string_view name);
// Saves free text, code or a file the analyst wrote (kinds text, code, file).
Result<OutputInfo> SaveFreeform(Zone& zone, const Caller& caller, std::string_view project,
                                std::string_view name, OutputKind kind, std::string_view file_name,
                                std::string_view content);

}  // namespace sz::zone
