// Projects: who may analyse which data, for what purpose, until when.
//
// A project names its purpose, its members (analysts; one of them may be the lead), the
// approved datasets (each pinned to one version, with the approved columns and the
// person column — the dataset's pseudonym or key column — or the statement that each row
// is one person) and a validity period of Seoul calendar days.
//
// Lifecycle (stored state -> effective state on a given day):
//
//   draft ──approve──► approved ──(start day)──► active ──(day after end)──► expired
//     │                   │                        │                            │
//     └───────close───────┴─────────close──────────┴──────────close─────────────┴─► closed
//
// "active" and "expired" are not stored: they follow from the approved state, the period
// and the zone's clock (zone.clock()), so expiry needs no job. Nothing of a project's
// data is reachable unless it is active (workspace.h enforces this for every caller,
// the local operator included, on top of the authorization policy).
//
// Invariants checked at approval: at least one dataset and one analyst member; each
// approved version exists and is of tier open, pseudonymized or non_open (a pseudonymized
// version must have been signed off: see VersionApprovable); approved columns exist in
// that version, are not direct identifiers and are not reserved (sz_*); the person column
// exists; start <= end. The draft's definition is frozen at approval; membership can
// still change (an administrator's audited action).
//
// Every use case takes a Caller and goes through Access (authz decision + audit entry in
// the same transaction as the change).
//
// Thread-safety: like Zone, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "authz/policy.h"
#include "common/clock.h"
#include "common/status.h"
#include "storage/sqlite.h"
#include "zone/access.h"
#include "zone/zone.h"

namespace sz::zone {

enum class ProjectState { kDraft, kApproved, kClosed };
// Derived for a given day.
enum class EffectiveState { kDraft, kApproved, kActive, kExpired, kClosed };
std::string_view ProjectStateName(ProjectState state);      // "draft", "approved", "closed"
std::string_view EffectiveStateName(EffectiveState state);  // ... "active", "expired"

enum class MemberRole { kLead, kAnalyst };
std::string_view MemberRoleName(MemberRole role);
Result<MemberRole> ParseMemberRole(std::string_view name);

struct MemberSpec {
  int64_t user_id = 0;
  MemberRole role = MemberRole::kAnalyst;
};

struct ProjectDatasetSpec {
  std::string dataset;               // catalog name
  int version = 0;                   // 0: the latest at the time of the proposal (then pinned)
  std::vector<std::string> columns;  // approved columns
  std::string person_column;         // the pseudonym/key column; "" needs row_is_person
  bool row_is_person = false;        // no person column: each row is one person
};

struct ProjectSpec {
  std::string name;  // [a-z][a-z0-9_]*, unique
  std::string title;
  std::string purpose;
  Date start{};
  Date end{};
  std::vector<MemberSpec> members;
  std::vector<ProjectDatasetSpec> datasets;
  bool two_reviewers = false;  // exports need two independent reviewer votes
  std::string risk_appetite;   // project layer of the disclosure risk appetite (JSON, "" = none)
};

struct ProjectMember {
  int64_t user_id = 0;
  std::string username;
  MemberRole role = MemberRole::kAnalyst;
};

struct ProjectDataset {
  int64_t dataset_id = 0;
  std::string name;
  std::string tier;
  std::string provider;
  int64_t version_id = 0;
  int version = 0;
  std::vector<std::string> columns;
  std::string person_column;
  bool row_is_person = false;
};

struct Project {
  int64_t id = 0;
  std::string name;
  std::string title;
  std::string purpose;
  ProjectState state = ProjectState::kDraft;
  Date start{};
  Date end{};
  bool two_reviewers = false;
  std::string risk_appetite;
  int64_t created_by_user = 0;  // 0: the operator
  std::string created_by;
  std::string created_at;
  std::string approved_by;
  std::string approved_at;
  std::string closed_by;
  std::string closed_at;
  std::vector<ProjectMember> members;
  std::vector<ProjectDataset> datasets;

  EffectiveState EffectiveOn(Date today) const;
  // What authz::Decide needs.
  authz::ProjectInfo Info() const;
};

// Creates the tables of projects, workspaces' outputs, exports and releases
// (idempotent). Called from Zone::OpenStorage.
Status CreateAnalysisSchema(storage::SqliteDb& db);

// Loads a project by name (NotFound) or id, without authorization (for other use cases).
Result<Project> LoadProject(Zone& zone, std::string_view name);
Result<Project> LoadProjectById(Zone& zone, int64_t id);
// FailedPrecondition unless the project is active today (zone clock), with the reason.
Status RequireActive(Zone& zone, const Project& project);
// The authorization object of a project.
authz::Object ProjectObject(const Project& project);

// OK when `version_id` may enter a project: every open/non_open version may; a
// pseudonymized version only once a pseudonymization officer signed off its adequacy
// review (pseudonymize.h, IsSignedOff) — also when the provider imported it as
// pseudonymized, because the zone cannot take the provider's word for its risk.
Status VersionApprovable(Zone& zone, int64_t version_id, std::string_view tier);

// The user id of an account by username (for front ends that take names).
Result<int64_t> UserIdByName(Zone& zone, std::string_view username);

// ---- Use cases ----
// Proposes a project (state draft). A person proposing becomes its lead member.
Result<Project> CreateProject(Zone& zone, const Caller& caller, const ProjectSpec& spec);
// Replaces a draft's definition (creator or operator only; not after approval).
Result<Project> ReviseProject(Zone& zone, const Caller& caller, std::string_view name,
                              const ProjectSpec& spec);
Result<Project> ApproveProject(Zone& zone, const Caller& caller, std::string_view name);
Result<Project> CloseProject(Zone& zone, const Caller& caller, std::string_view name,
                             std::string_view reason);
Result<Project> AddMember(Zone& zone, const Caller& caller, std::string_view name,
                          const MemberSpec& member);
Result<Project> RemoveMember(Zone& zone, const Caller& caller, std::string_view name,
                             int64_t user_id);
Result<Project> ShowProject(Zone& zone, const Caller& caller, std::string_view name);
// Projects the caller may read (all for the operator and administrators; their own for
// analysts), with no data.
Result<std::vector<Project>> ListProjects(Zone& zone, const Caller& caller);

}  // namespace sz::zone
