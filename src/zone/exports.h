// Export requests: how outputs ask to leave the safe zone, and the review that decides.
//
// An analyst of an active project requests the export of some of its outputs. The
// disclosure checks (disclosure/checks.h) run at once on each output's current revision,
// with the zone's and the project's risk appetite, and with differencing against the
// outputs the project released before; every cell and statistic is annotated pass,
// review or fail with its reasons. The analyst may then mitigate a table (secondary
// suppression proven by the LP audit, rounding, or redact-then-round), ask for an
// exception with a justification, and submit. Reviewers (the output-reviewer role for the
// project, never the requester) comment, decide each output, and conclude; in
// two-reviewer mode two different reviewers vote on every output independently (neither
// sees the other's vote before casting their own) and the conclusion consolidates them.
//
// States and the only transitions allowed (anything else is FailedPrecondition):
//
//   draft ──submit──► submitted ──(first vote / start)──► in_review ──conclude──► approved
//     ▲                                                       │                 ├►
//     partially_approved └─────────────── returned ◄────────────return───────────┘ └► rejected
//   returned ──submit──► submitted
//   approved, partially_approved ──release (releases.h)──► released
//   draft, submitted, in_review, returned, approved, partially_approved ──withdraw──► withdrawn
//
// While a request is draft or returned the analyst may re-check (picking up new output
// revisions), mitigate and ask for exceptions. A submitted output that still fails needs
// a mitigation or an exception request. The hash of each output's checked content is
// kept: a release refuses an output that changed afterwards.
//
// Every use case takes a Caller and goes through Access (authz + audit in the same
// transaction as the change). Comments are visible to the analyst ("analyst") or to
// reviewers only ("reviewers"); an analyst can only write the former.
//
// Thread-safety: like Zone, one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "disclosure/audit.h"
#include "disclosure/checks.h"
#include "disclosure/rounding.h"
#include "zone/access.h"
#include "zone/outputs.h"
#include "zone/projects.h"
#include "zone/zone.h"

namespace sz::zone {

enum class ExportState {
  kDraft,
  kSubmitted,
  kInReview,
  kApproved,
  kPartiallyApproved,
  kReturned,
  kRejected,
  kReleased,
  kWithdrawn,
};
std::string_view ExportStateName(ExportState state);  // "in_review", ...
Result<ExportState> ParseExportState(std::string_view name);
// Whether the workflow allows moving from `from` to `to` (the diagram above).
bool TransitionAllowed(ExportState from, ExportState to);

enum class Mitigation { kNone, kSuppress, kRound, kRedactRound };
std::string_view MitigationName(Mitigation m);  // "none", "suppress", "round", "redact_round"
Result<Mitigation> ParseMitigation(std::string_view name);

enum class Decision { kPending, kApproved, kRejected };
std::string_view DecisionName(Decision d);
Result<Decision> ParseDecision(std::string_view name);

enum class Visibility { kAnalyst, kReviewers };
std::string_view VisibilityName(Visibility v);
Result<Visibility> ParseVisibility(std::string_view name);

struct Vote {
  int64_t reviewer_user = 0;
  std::string reviewer;
  Decision decision = Decision::kPending;
  std::string at;
};

struct ExportItem {
  int64_t output_id = 0;
  std::string output_name;
  OutputKind kind = OutputKind::kFrequencyTable;
  int revision = 0;
  std::string checked_sha256;
  disclosure::Verdict verdict = disclosure::Verdict::kPass;  // after mitigation
  std::string summary;
  disclosure::CheckReport report;
  Mitigation mitigation = Mitigation::kNone;
  std::string mitigation_result;  // JSON (suppression status and audit, or rounded values)
  std::string exception_request;
  bool exception_granted = false;
  Decision decision = Decision::kPending;
  std::vector<Vote> votes;  // only those the viewer may see
};

struct Comment {
  int64_t id = 0;
  int64_t output_id = 0;  // 0: about the whole request
  std::string author;
  Visibility visibility = Visibility::kAnalyst;
  std::string body;
  std::string at;
};

struct StateChange {
  ExportState from = ExportState::kDraft;
  ExportState to = ExportState::kDraft;
  std::string actor;
  std::string at;
};

struct ExportRequest {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string project;
  int64_t requester_user = 0;
  std::string requester;
  ExportState state = ExportState::kDraft;
  bool two_reviewers = false;
  std::string purpose;
  std::string created_at;
  std::string updated_at;
  std::string decided_by;
  std::string decided_at;
  int64_t release_id = 0;  // once released
  std::vector<ExportItem> items;
  std::vector<Comment> comments;  // only those the viewer may see
  std::vector<StateChange> history;
};

// ---- Analyst ----
Result<ExportRequest> RequestExport(Zone& zone, const Caller& caller, std::string_view project,
                                    const std::vector<std::string>& outputs,
                                    std::string_view purpose);
// Re-runs the checks on the outputs' current revisions (draft or returned).
Result<ExportRequest> RecheckExport(Zone& zone, const Caller& caller, int64_t request);
Result<ExportRequest> MitigateOutput(Zone& zone, const Caller& caller, int64_t request,
                                     std::string_view output, Mitigation mitigation);
Result<ExportRequest> RequestException(Zone& zone, const Caller& caller, int64_t request,
                                       std::string_view output, std::string_view justification);
Result<ExportRequest> SubmitExport(Zone& zone, const Caller& caller, int64_t request);
Result<ExportRequest> WithdrawExport(Zone& zone, const Caller& caller, int64_t request);

// ---- Reviewers ----
Result<ExportRequest> StartReview(Zone& zone, const Caller& caller, int64_t request);
// Records the caller's decision on one output (moving a submitted request into review).
Result<ExportRequest> DecideOutput(Zone& zone, const Caller& caller, int64_t request,
                                   std::string_view output, Decision decision);
Result<ExportRequest> GrantException(Zone& zone, const Caller& caller, int64_t request,
                                     std::string_view output);
enum class Conclusion { kDecide, kReturn };
// kDecide: every output's final decision is set (single mode: the reviewer's; two-reviewer
// mode: two reviewers' agreeing votes, or `overrides` where they disagree) and the request
// becomes approved, partially_approved or rejected. kReturn: back to the analyst.
Result<ExportRequest> ConcludeReview(Zone& zone, const Caller& caller, int64_t request,
                                     Conclusion conclusion,
                                     const std::map<std::string, Decision>& overrides = {});

// ---- Both ----
Result<ExportRequest> CommentOnExport(Zone& zone, const Caller& caller, int64_t request,
                                      std::string_view output, Visibility visibility,
                                      std::string_view body);
Result<ExportRequest> ShowExport(Zone& zone, const Caller& caller, int64_t request);
// Requests of a project the caller may read (requester: their own; reviewers: all).
Result<std::vector<ExportRequest>> ListExports(Zone& zone, const Caller& caller,
                                               std::string_view project);

// ---- For releases.h ----
// Loads a request with everything (no filtering).
Result<ExportRequest> LoadExport(Zone& zone, int64_t request);
authz::Object ExportObject(const ExportRequest& request, const Project& project);
// Moves `request` from its current state to `to` inside the caller's transaction,
// recording the change. FailedPrecondition for a transition the workflow forbids.
Status MoveExport(Zone& zone, const ExportRequest& request, ExportState to, std::string_view actor);

}  // namespace sz::zone
