// Authorization: the one policy function every capability asks before it acts.
//
//   Decision Decide(const Actor&, Action, const Object&)
//
// Deny by default: an action is allowed only by an explicit rule below, and every
// decision carries a Reason. Decide is pure (no storage, no clock: the Actor carries
// the Seoul date of the request), so it is cheap, deterministic and testable as a matrix.
//
// Checks, in order (the first that fails decides):
//   1. the object is of the kind the action applies to;
//   2. open-tier catalog actions are public (also for anonymous portal visitors);
//   3. anything else needs an authenticated actor;
//   4. a restricted session (TOTP not enrolled yet, password must change) may only read
//      its own account, change its password and enrol TOTP (not mint API tokens);
//   5. an API-token actor may only do what its scopes cover (administration, review and
//      officer actions have no scope: they need an interactive, TOTP-backed session);
//   6. self-service actions apply to one's own account only;
//   7. accreditation: required for every other action, blocked from its expiry day on
//      (inclusive, Asia/Seoul days);
//   8. the action's role rule, including separation of duties:
//      - a reviewer cannot review (or sign off) their own request or run;
//      - a provider reaches only its own institution's raw data;
//      - an administrator reads project data only as a member with the analyst role;
//      - the auditor reads the audit trail and nothing else;
//      - nobody changes their own roles, accreditation, membership or account status;
//      - re-identification (detokenize) is never allowed (PIPA Art. 28-5).
//
// Thread-safety: pure functions over values; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/clock.h"

namespace sz::authz {

enum class Role {
  kAdministrator,
  kDataProvider,  // acts for the institution on their account
  kPseudonymizationOfficer,
  kCombinationOfficer,
  kAnalyst,
  kOutputReviewer,
  kAuditor,
};
inline constexpr Role kAllRoles[] = {Role::kAdministrator,
                                     Role::kDataProvider,
                                     Role::kPseudonymizationOfficer,
                                     Role::kCombinationOfficer,
                                     Role::kAnalyst,
                                     Role::kOutputReviewer,
                                     Role::kAuditor};
std::string_view RoleName(Role role);  // "pseudonymization_officer"
Result<Role> ParseRole(std::string_view name);
// Analysts and output reviewers may hold a role for one project only; the others are
// zone-wide.
bool RoleMayBeProjectScoped(Role role);

// Every action of the product. Comments name the object kind each applies to.
enum class Action {
  // Catalog and open-data portal
  kCatalogSearch,     // zone
  kCatalogRead,       // dataset
  kOpenDataDownload,  // dataset
  // Datasets (providers)
  kDatasetImport,          // dataset (the one being created: institution, tier)
  kDatasetUpdateMetadata,  // dataset
  kDatasetAddVersion,      // dataset
  kDatasetRetire,          // dataset
  kRawDataRead,            // dataset
  // Pseudonymization and keys
  kPseudonymizeConfigure,  // dataset
  kPseudonymizeRun,        // dataset
  kPseudonymizeSignOff,    // job (owner: who ran it)
  kKeyUse,                 // zone (the keyring)
  kKeyRotate,              // zone
  kDetokenize,             // dataset
  // Combination
  kCombinationSubmitKeys,  // dataset
  kCombinationLink,        // combination
  kCombinationAssess,      // combination (owner: who linked)
  kCombinationRelease,     // combination
  // Projects
  kProjectCreate,         // zone
  kProjectRead,           // project
  kProjectApprove,        // project
  kProjectClose,          // project
  kProjectManageMembers,  // project (subject: the member added or removed)
  // Workspaces and outputs
  kWorkspaceOpen,   // project
  kWorkspaceQuery,  // project
  kOutputSave,      // project
  // Exports, reviews, releases
  kExportRequest,    // project
  kExportRead,       // export request (owner: requester)
  kExportWithdraw,   // export request
  kExportReview,     // export request
  kReleaseDownload,  // release (owner: who may download)
  // Audit trail
  kAuditRead,    // audit trail
  kAuditVerify,  // audit trail
  kAuditExport,  // audit trail
  // User and role administration
  kUserList,              // zone
  kUserCreate,            // zone
  kUserRead,              // user
  kUserUpdate,            // user
  kUserDisable,           // user (also re-enable)
  kUserUnlock,            // user
  kUserResetCredentials,  // user (password and TOTP)
  kRoleGrant,             // user
  kRoleRevoke,            // user
  kAccreditationSet,      // user
  // Self-service (one's own account)
  kSelfRead,            // user
  kSelfChangePassword,  // user
  kSelfEnrolTotp,       // user
  kSelfManageTokens,    // user
  // Zone operation
  kReportRead,     // zone
  kZoneInspect,    // zone
  kZoneConfigure,  // zone
};
inline constexpr int kActionCount = static_cast<int>(Action::kZoneConfigure) + 1;
std::string_view ActionName(Action action);  // "workspace.query"
Result<Action> ParseAction(std::string_view name);

enum class ObjectKind {
  kZone,
  kDataset,
  kJob,
  kCombination,
  kProject,
  kExportRequest,
  kRelease,
  kUser,
  kAuditTrail,
};
std::string_view ObjectKindName(ObjectKind kind);
// The object kind `action` applies to.
ObjectKind ObjectKindFor(Action action);

enum class Tier { kOpen, kPseudonymized, kNonOpen };
std::string_view TierName(Tier tier);
Result<Tier> ParseTier(std::string_view name);

enum class ProjectState { kProposed, kApproved, kClosed };

// What Decide needs to know about a project; the zone loads it from its tables.
struct ProjectInfo {
  int64_t id = 0;
  int64_t created_by = 0;
  std::vector<int64_t> members;  // user ids
  Date start{};                  // first day of access (Seoul), inclusive
  Date end{};                    // last day of access (Seoul), inclusive
  ProjectState state = ProjectState::kProposed;
};

// The thing acted upon. Build it with the named constructors.
struct Object {
  ObjectKind kind = ObjectKind::kZone;
  int64_t id = 0;
  std::string institution;     // dataset, job: the providing institution
  Tier tier = Tier::kNonOpen;  // dataset, job
  int64_t owner = 0;           // job/combination: who ran it; export: requester; release:
                               // who may download; user: the user
  int64_t subject = 0;         // membership changes: the member added or removed
  ProjectInfo project;         // project, export request, release

  static Object Zone() { return {}; }
  static Object Dataset(int64_t id, std::string institution, Tier tier);
  static Object Job(int64_t id, std::string institution, Tier tier, int64_t run_by);
  static Object Combination(int64_t id, int64_t linked_by);
  static Object Project(ProjectInfo project);
  static Object Membership(ProjectInfo project, int64_t member);
  static Object ExportRequest(int64_t id, ProjectInfo project, int64_t requester);
  static Object Release(int64_t id, ProjectInfo project, int64_t owner);
  static Object User(int64_t user_id);
  static Object AuditTrail();
};
// "dataset:12", "project:3", "user:7", "audit", "zone": for audit entries.
std::string ObjectLabel(const Object& object);

// API-token scopes. Anything not listed needs an interactive session.
enum class Scope {
  kCatalogRead,      // catalog:read      catalog search/read, open-data download
  kDatasetWrite,     // dataset:write     import, add version, update metadata
  kWorkspaceQuery,   // workspace:query   project read, workspace open/query, output save
  kExportRequest,    // export:request    export request/read/withdraw
  kReleaseDownload,  // release:download
  kAuditRead,        // audit:read        audit read/verify/export
};
std::string_view ScopeName(Scope scope);
Result<Scope> ParseScope(std::string_view name);
bool ScopeCovers(Scope scope, Action action);

enum class AuthMethod { kAnonymous, kSession, kApiToken };

struct RoleGrant {
  Role role;
  int64_t project_id = 0;  // 0: zone-wide
  bool operator==(const RoleGrant&) const = default;
};

// Who is asking, as established by identity (session or token) for one request.
struct Actor {
  int64_t user_id = 0;      // 0 only for anonymous
  std::string username;     // for audit labels; never authoritative
  std::string institution;  // providers: the institution they act for
  std::vector<RoleGrant> roles;
  std::optional<Date> accreditation_expires;  // nullopt: not accredited
  Date today{};                               // Seoul date of the request
  AuthMethod method = AuthMethod::kAnonymous;
  int64_t credential_id = 0;  // the session or API token this request came with
  bool restricted = false;    // session may only read itself, change its password
                              // and enrol TOTP
  std::vector<Scope> scopes;  // API tokens only

  static Actor Anonymous(Date today);
  // A zone-wide grant of `role`.
  bool HasRole(Role role) const;
  // A zone-wide grant or one for `project_id`.
  bool HasRoleFor(Role role, int64_t project_id) const;
  // A grant of `role` of any scope.
  bool HasRoleAnywhere(Role role) const;
};
// "user:17/kim" or "anonymous": for audit entries.
std::string ActorLabel(const Actor& actor);

enum class Reason {
  kAllowed,
  kPublicData,   // allowed: open tier is public
  kWrongObject,  // the action does not apply to this kind of object
  kUnauthenticated,
  kRestrictedSession,  // finish TOTP enrolment or the password change first
  kScopeMissing,       // the API token's scopes do not cover the action
  kNotSelf,            // self-service on someone else's account
  kNotAccredited,
  kAccreditationExpired,
  kNoRole,
  kOtherInstitution,    // a provider acting on another institution's data
  kNotMember,           // not a member of the project
  kProjectNotActive,    // project not approved, closed, or outside its period
  kOwnWork,             // separation of duties: reviewing or signing off one's own work
  kSelfAdministration,  // changing one's own roles, accreditation, status, membership
  kNotOwner,            // only the requester/owner may do this
  kNotOpenData,         // only open-tier data leaves through the portal
  kProhibited,          // never allowed (re-identification)
};
std::string_view ReasonText(Reason reason);

struct Decision {
  bool allowed = false;
  Reason reason = Reason::kNoRole;
  std::string_view text() const { return ReasonText(reason); }
};

Decision Decide(const Actor& actor, Action action, const Object& object);

}  // namespace sz::authz
