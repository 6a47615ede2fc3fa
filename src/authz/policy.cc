#include "authz/policy.h"

#include <algorithm>

#include "fmt/format.h"

namespace sz::authz {

namespace {

struct ActionRow {
  Action action;
  std::string_view name;
  ObjectKind kind;
};
// Indexed by Action (test Policy.NamesRoundTrip fails if a row is out of place).
constexpr ActionRow kActions[] = {
    {Action::kCatalogSearch, "catalog.search", ObjectKind::kZone},
    {Action::kCatalogRead, "catalog.read", ObjectKind::kDataset},
    {Action::kOpenDataDownload, "open_data.download", ObjectKind::kDataset},
    {Action::kDatasetImport, "dataset.import", ObjectKind::kDataset},
    {Action::kDatasetUpdateMetadata, "dataset.update_metadata", ObjectKind::kDataset},
    {Action::kDatasetAddVersion, "dataset.add_version", ObjectKind::kDataset},
    {Action::kDatasetRetire, "dataset.retire", ObjectKind::kDataset},
    {Action::kRawDataRead, "dataset.read_raw", ObjectKind::kDataset},
    {Action::kPseudonymizeConfigure, "pseudonymize.configure", ObjectKind::kDataset},
    {Action::kPseudonymizeRun, "pseudonymize.run", ObjectKind::kDataset},
    {Action::kPseudonymizeSignOff, "pseudonymize.sign_off", ObjectKind::kJob},
    {Action::kKeyUse, "key.use", ObjectKind::kZone},
    {Action::kKeyRotate, "key.rotate", ObjectKind::kZone},
    {Action::kDetokenize, "key.detokenize", ObjectKind::kDataset},
    {Action::kCombinationSubmitKeys, "combination.submit_keys", ObjectKind::kDataset},
    {Action::kCombinationLink, "combination.link", ObjectKind::kCombination},
    {Action::kCombinationAssess, "combination.assess", ObjectKind::kCombination},
    {Action::kCombinationRelease, "combination.release", ObjectKind::kCombination},
    {Action::kProjectCreate, "project.create", ObjectKind::kZone},
    {Action::kProjectRead, "project.read", ObjectKind::kProject},
    {Action::kProjectApprove, "project.approve", ObjectKind::kProject},
    {Action::kProjectClose, "project.close", ObjectKind::kProject},
    {Action::kProjectManageMembers, "project.manage_members", ObjectKind::kProject},
    {Action::kWorkspaceOpen, "workspace.open", ObjectKind::kProject},
    {Action::kWorkspaceQuery, "workspace.query", ObjectKind::kProject},
    {Action::kOutputSave, "output.save", ObjectKind::kProject},
    {Action::kExportRequest, "export.request", ObjectKind::kProject},
    {Action::kExportRead, "export.read", ObjectKind::kExportRequest},
    {Action::kExportWithdraw, "export.withdraw", ObjectKind::kExportRequest},
    {Action::kExportReview, "export.review", ObjectKind::kExportRequest},
    {Action::kReleaseDownload, "release.download", ObjectKind::kRelease},
    {Action::kAuditRead, "audit.read", ObjectKind::kAuditTrail},
    {Action::kAuditVerify, "audit.verify", ObjectKind::kAuditTrail},
    {Action::kAuditExport, "audit.export", ObjectKind::kAuditTrail},
    {Action::kUserList, "user.list", ObjectKind::kZone},
    {Action::kUserCreate, "user.create", ObjectKind::kZone},
    {Action::kUserRead, "user.read", ObjectKind::kUser},
    {Action::kUserUpdate, "user.update", ObjectKind::kUser},
    {Action::kUserDisable, "user.disable", ObjectKind::kUser},
    {Action::kUserUnlock, "user.unlock", ObjectKind::kUser},
    {Action::kUserResetCredentials, "user.reset_credentials", ObjectKind::kUser},
    {Action::kRoleGrant, "role.grant", ObjectKind::kUser},
    {Action::kRoleRevoke, "role.revoke", ObjectKind::kUser},
    {Action::kAccreditationSet, "accreditation.set", ObjectKind::kUser},
    {Action::kSelfRead, "self.read", ObjectKind::kUser},
    {Action::kSelfChangePassword, "self.change_password", ObjectKind::kUser},
    {Action::kSelfEnrolTotp, "self.enrol_totp", ObjectKind::kUser},
    {Action::kSelfManageTokens, "self.manage_tokens", ObjectKind::kUser},
    {Action::kReportRead, "report.read", ObjectKind::kZone},
    {Action::kZoneInspect, "zone.inspect", ObjectKind::kZone},
    {Action::kZoneConfigure, "zone.configure", ObjectKind::kZone},
};
static_assert(std::size(kActions) == kActionCount, "every Action needs a row in kActions");

const ActionRow& Row(Action action) { return kActions[static_cast<int>(action)]; }

constexpr std::string_view kRoleNames[] = {"administrator",
                                           "data_provider",
                                           "pseudonymization_officer",
                                           "combination_officer",
                                           "analyst",
                                           "output_reviewer",
                                           "auditor"};

bool IsSelfService(Action a) {
  return a == Action::kSelfRead || a == Action::kSelfChangePassword ||
         a == Action::kSelfEnrolTotp || a == Action::kSelfManageTokens;
}

// What a restricted session may still do: finish setting up its own credentials.
bool IsSetUpAction(Action a) {
  return a == Action::kSelfRead || a == Action::kSelfChangePassword || a == Action::kSelfEnrolTotp;
}

bool IsMember(const Actor& actor, const ProjectInfo& p) {
  return std::find(p.members.begin(), p.members.end(), actor.user_id) != p.members.end();
}

bool IsActive(const ProjectInfo& p, Date today) {
  return p.state == ProjectState::kApproved && p.start <= today && today <= p.end;
}

Decision Allow(Reason r = Reason::kAllowed) { return {true, r}; }
Decision Deny(Reason r) { return {false, r}; }
Decision AllowIf(bool ok, Reason otherwise) { return ok ? Allow() : Deny(otherwise); }

// The project's analyst: the analyst role for it and membership.
Decision AnalystMember(const Actor& actor, const ProjectInfo& p) {
  if (!actor.HasRoleFor(Role::kAnalyst, p.id)) return Deny(Reason::kNoRole);
  return AllowIf(IsMember(actor, p), Reason::kNotMember);
}

// Work inside a project: the analyst role for it, membership, and an active project.
// The role comes first so that an administrator without the analyst role is told so.
Decision ProjectWork(const Actor& actor, const ProjectInfo& p) {
  Decision d = AnalystMember(actor, p);
  if (!d.allowed) return d;
  return AllowIf(IsActive(p, actor.today), Reason::kProjectNotActive);
}

// A provider acting on its own institution's dataset.
Decision ProviderOwn(const Actor& actor, const Object& o) {
  if (!actor.HasRole(Role::kDataProvider)) return Deny(Reason::kNoRole);
  return AllowIf(!actor.institution.empty() && actor.institution == o.institution,
                 Reason::kOtherInstitution);
}

// Administration of another person's account.
Decision AdminOfOther(const Actor& actor, const Object& o) {
  if (!actor.HasRole(Role::kAdministrator)) return Deny(Reason::kNoRole);
  return AllowIf(o.owner != actor.user_id, Reason::kSelfAdministration);
}

Decision ZoneRole(const Actor& actor, Role role) {
  return AllowIf(actor.HasRole(role), Reason::kNoRole);
}

// Step 8 of the header: the rule of each action.
Decision RoleRule(const Actor& actor, Action action, const Object& o) {
  const ProjectInfo& p = o.project;
  switch (action) {
    case Action::kCatalogSearch:
      return Allow(Reason::kPublicData);  // unreachable: public, handled earlier
    case Action::kCatalogRead: {
      // Metadata of restricted datasets: any staff role except the auditor, whose
      // remit is the audit trail alone.
      bool staff = std::any_of(actor.roles.begin(), actor.roles.end(),
                               [](const RoleGrant& g) { return g.role != Role::kAuditor; });
      return AllowIf(staff, Reason::kNoRole);
    }
    case Action::kOpenDataDownload:
      return Deny(Reason::kNotOpenData);
    case Action::kDatasetImport:
    case Action::kDatasetAddVersion:
    case Action::kRawDataRead:
    case Action::kCombinationSubmitKeys:
      return ProviderOwn(actor, o);
    case Action::kDatasetUpdateMetadata:
    case Action::kDatasetRetire:
      if (actor.HasRole(Role::kAdministrator)) return Allow();
      return ProviderOwn(actor, o);
    case Action::kPseudonymizeConfigure:
    case Action::kPseudonymizeRun:
      return ZoneRole(actor, Role::kPseudonymizationOfficer);
    case Action::kPseudonymizeSignOff:
      if (!actor.HasRole(Role::kPseudonymizationOfficer)) return Deny(Reason::kNoRole);
      return AllowIf(o.owner != actor.user_id, Reason::kOwnWork);
    case Action::kKeyUse:
      return AllowIf(
          actor.HasRole(Role::kPseudonymizationOfficer) || actor.HasRole(Role::kCombinationOfficer),
          Reason::kNoRole);
    case Action::kKeyRotate:
      return ZoneRole(actor, Role::kAdministrator);
    case Action::kDetokenize:
      return Deny(Reason::kProhibited);
    case Action::kCombinationLink:
    case Action::kCombinationRelease:
      return ZoneRole(actor, Role::kCombinationOfficer);
    case Action::kCombinationAssess:
      if (!actor.HasRole(Role::kCombinationOfficer)) return Deny(Reason::kNoRole);
      return AllowIf(o.owner != actor.user_id, Reason::kOwnWork);
    case Action::kProjectCreate:
      return AllowIf(actor.HasRoleAnywhere(Role::kAnalyst) || actor.HasRole(Role::kAdministrator),
                     Reason::kNoRole);
    case Action::kProjectRead:
      // Administrators see a project's metadata (purpose, members, period), not its data.
      if (actor.HasRole(Role::kAdministrator)) return Allow();
      return AnalystMember(actor, p);
    case Action::kProjectApprove:
      if (!actor.HasRole(Role::kAdministrator)) return Deny(Reason::kNoRole);
      return AllowIf(p.created_by != actor.user_id && !IsMember(actor, p), Reason::kOwnWork);
    case Action::kProjectClose:
      if (actor.HasRole(Role::kAdministrator)) return Allow();
      if (p.created_by != actor.user_id) return Deny(Reason::kNotOwner);
      return AnalystMember(actor, p);
    case Action::kProjectManageMembers:
      if (!actor.HasRole(Role::kAdministrator)) return Deny(Reason::kNoRole);
      return AllowIf(o.subject != actor.user_id, Reason::kSelfAdministration);
    case Action::kWorkspaceOpen:
    case Action::kWorkspaceQuery:
    case Action::kOutputSave:
    case Action::kExportRequest:
      return ProjectWork(actor, p);
    case Action::kExportRead:
      // The requester (as the project's analyst) or a reviewer of someone else's request.
      if (o.owner == actor.user_id) return AnalystMember(actor, p);
      return AllowIf(actor.HasRoleFor(Role::kOutputReviewer, p.id), Reason::kNotOwner);
    case Action::kExportWithdraw:
      if (o.owner != actor.user_id) return Deny(Reason::kNotOwner);
      return AnalystMember(actor, p);
    case Action::kExportReview:
      if (!actor.HasRoleFor(Role::kOutputReviewer, p.id)) return Deny(Reason::kNoRole);
      return AllowIf(o.owner != actor.user_id, Reason::kOwnWork);
    case Action::kReleaseDownload: {
      if (o.owner != actor.user_id) return Deny(Reason::kNotOwner);
      Decision d = AnalystMember(actor, p);
      if (!d.allowed) return d;
      return AllowIf(p.state != ProjectState::kClosed, Reason::kProjectNotActive);
    }
    case Action::kAuditRead:
    case Action::kAuditExport:
      return ZoneRole(actor, Role::kAuditor);
    case Action::kAuditVerify:
      return AllowIf(actor.HasRole(Role::kAuditor) || actor.HasRole(Role::kAdministrator),
                     Reason::kNoRole);
    case Action::kUserList:
    case Action::kUserCreate:
    case Action::kUserRead:
    case Action::kReportRead:
    case Action::kZoneInspect:
    case Action::kZoneConfigure:
      return ZoneRole(actor, Role::kAdministrator);
    case Action::kUserUpdate:
    case Action::kUserDisable:
    case Action::kUserUnlock:
    case Action::kUserResetCredentials:
    case Action::kRoleGrant:
    case Action::kRoleRevoke:
    case Action::kAccreditationSet:
      return AdminOfOther(actor, o);
    case Action::kSelfRead:
    case Action::kSelfChangePassword:
    case Action::kSelfEnrolTotp:
    case Action::kSelfManageTokens:
      return Allow();  // unreachable: self-service is decided before accreditation
  }
  return Deny(Reason::kNoRole);
}

bool IsPublic(Action action, const Object& o) {
  if (action == Action::kCatalogSearch) return true;
  return (action == Action::kCatalogRead || action == Action::kOpenDataDownload) &&
         o.tier == Tier::kOpen;
}

}  // namespace

std::string_view RoleName(Role role) { return kRoleNames[static_cast<int>(role)]; }

Result<Role> ParseRole(std::string_view name) {
  for (Role r : kAllRoles)
    if (RoleName(r) == name) return r;
  return InvalidArgument(
      fmt::format("unknown role '{}'; use administrator, data_provider, pseudonymization_officer, "
                  "combination_officer, analyst, output_reviewer or auditor",
                  name.substr(0, 40)));
}

bool RoleMayBeProjectScoped(Role role) {
  return role == Role::kAnalyst || role == Role::kOutputReviewer;
}

std::string_view ActionName(Action action) { return Row(action).name; }

Result<Action> ParseAction(std::string_view name) {
  for (const ActionRow& row : kActions)
    if (row.name == name) return row.action;
  return InvalidArgument(fmt::format("unknown action '{}'", name.substr(0, 40)));
}

ObjectKind ObjectKindFor(Action action) { return Row(action).kind; }

std::string_view ObjectKindName(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kZone:
      return "zone";
    case ObjectKind::kDataset:
      return "dataset";
    case ObjectKind::kJob:
      return "job";
    case ObjectKind::kCombination:
      return "combination";
    case ObjectKind::kProject:
      return "project";
    case ObjectKind::kExportRequest:
      return "export";
    case ObjectKind::kRelease:
      return "release";
    case ObjectKind::kUser:
      return "user";
    case ObjectKind::kAuditTrail:
      return "audit";
  }
  return "unknown";
}

std::string_view TierName(Tier tier) {
  switch (tier) {
    case Tier::kOpen:
      return "open";
    case Tier::kPseudonymized:
      return "pseudonymized";
    case Tier::kNonOpen:
      return "non_open";
  }
  return "non_open";
}

Result<Tier> ParseTier(std::string_view name) {
  for (Tier t : {Tier::kOpen, Tier::kPseudonymized, Tier::kNonOpen})
    if (TierName(t) == name) return t;
  return InvalidArgument("unknown tier; use open, pseudonymized or non_open");
}

Object Object::Dataset(int64_t id, std::string institution, Tier tier) {
  Object o;
  o.kind = ObjectKind::kDataset;
  o.id = id;
  o.institution = std::move(institution);
  o.tier = tier;
  return o;
}

Object Object::Job(int64_t id, std::string institution, Tier tier, int64_t run_by) {
  Object o = Dataset(id, std::move(institution), tier);
  o.kind = ObjectKind::kJob;
  o.owner = run_by;
  return o;
}

Object Object::Combination(int64_t id, int64_t linked_by) {
  Object o;
  o.kind = ObjectKind::kCombination;
  o.id = id;
  o.owner = linked_by;
  return o;
}

Object Object::Project(ProjectInfo project) {
  Object o;
  o.kind = ObjectKind::kProject;
  o.id = project.id;
  o.project = std::move(project);
  return o;
}

Object Object::Membership(ProjectInfo project, int64_t member) {
  Object o = Project(std::move(project));
  o.subject = member;
  return o;
}

Object Object::ExportRequest(int64_t id, ProjectInfo project, int64_t requester) {
  Object o;
  o.kind = ObjectKind::kExportRequest;
  o.id = id;
  o.owner = requester;
  o.project = std::move(project);
  return o;
}

Object Object::Release(int64_t id, ProjectInfo project, int64_t owner) {
  Object o = ExportRequest(id, std::move(project), owner);
  o.kind = ObjectKind::kRelease;
  return o;
}

Object Object::User(int64_t user_id) {
  Object o;
  o.kind = ObjectKind::kUser;
  o.id = user_id;
  o.owner = user_id;
  return o;
}

Object Object::AuditTrail() {
  Object o;
  o.kind = ObjectKind::kAuditTrail;
  return o;
}

std::string ObjectLabel(const Object& o) {
  if (o.kind == ObjectKind::kZone || o.kind == ObjectKind::kAuditTrail) {
    return std::string(ObjectKindName(o.kind));
  }
  if (o.subject != 0)
    return fmt::format("{}:{}/member:{}", ObjectKindName(o.kind), o.id, o.subject);
  return fmt::format("{}:{}", ObjectKindName(o.kind), o.id);
}

std::string_view ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kCatalogRead:
      return "catalog:read";
    case Scope::kDatasetWrite:
      return "dataset:write";
    case Scope::kWorkspaceQuery:
      return "workspace:query";
    case Scope::kExportRequest:
      return "export:request";
    case Scope::kReleaseDownload:
      return "release:download";
    case Scope::kAuditRead:
      return "audit:read";
  }
  return "";
}

Result<Scope> ParseScope(std::string_view name) {
  for (Scope s : {Scope::kCatalogRead, Scope::kDatasetWrite, Scope::kWorkspaceQuery,
                  Scope::kExportRequest, Scope::kReleaseDownload, Scope::kAuditRead}) {
    if (ScopeName(s) == name) return s;
  }
  return InvalidArgument(fmt::format(
      "unknown scope '{}'; use catalog:read, dataset:write, workspace:query, export:request, "
      "release:download or audit:read",
      name.substr(0, 40)));
}

bool ScopeCovers(Scope scope, Action a) {
  switch (scope) {
    case Scope::kCatalogRead:
      return a == Action::kCatalogSearch || a == Action::kCatalogRead ||
             a == Action::kOpenDataDownload;
    case Scope::kDatasetWrite:
      return a == Action::kDatasetImport || a == Action::kDatasetAddVersion ||
             a == Action::kDatasetUpdateMetadata;
    case Scope::kWorkspaceQuery:
      return a == Action::kProjectRead || a == Action::kWorkspaceOpen ||
             a == Action::kWorkspaceQuery || a == Action::kOutputSave;
    case Scope::kExportRequest:
      return a == Action::kExportRequest || a == Action::kExportRead ||
             a == Action::kExportWithdraw;
    case Scope::kReleaseDownload:
      return a == Action::kReleaseDownload;
    case Scope::kAuditRead:
      return a == Action::kAuditRead || a == Action::kAuditVerify || a == Action::kAuditExport;
  }
  return false;
}

Actor Actor::Anonymous(Date today) {
  Actor a;
  a.today = today;
  return a;
}

bool Actor::HasRole(Role role) const {
  return std::any_of(roles.begin(), roles.end(),
                     [&](const RoleGrant& g) { return g.role == role && g.project_id == 0; });
}

bool Actor::HasRoleFor(Role role, int64_t project_id) const {
  return std::any_of(roles.begin(), roles.end(), [&](const RoleGrant& g) {
    return g.role == role && (g.project_id == 0 || g.project_id == project_id);
  });
}

bool Actor::HasRoleAnywhere(Role role) const {
  return std::any_of(roles.begin(), roles.end(),
                     [&](const RoleGrant& g) { return g.role == role; });
}

std::string ActorLabel(const Actor& actor) {
  if (actor.user_id == 0) return "anonymous";
  return fmt::format("user:{}/{}", actor.user_id, actor.username);
}

std::string_view ReasonText(Reason reason) {
  switch (reason) {
    case Reason::kAllowed:
      return "allowed";
    case Reason::kPublicData:
      return "allowed: open data is public";
    case Reason::kWrongObject:
      return "the action does not apply to this kind of object";
    case Reason::kUnauthenticated:
      return "sign in first";
    case Reason::kRestrictedSession:
      return "finish TOTP enrolment and any required password change first";
    case Reason::kScopeMissing:
      return "the API token's scopes do not cover this action";
    case Reason::kNotSelf:
      return "self-service applies to your own account only";
    case Reason::kNotAccredited:
      return "no accreditation on record; ask an administrator";
    case Reason::kAccreditationExpired:
      return "accreditation has expired; renew it";
    case Reason::kNoRole:
      return "no role that allows this action";
    case Reason::kOtherInstitution:
      return "the data belongs to another institution";
    case Reason::kNotMember:
      return "not a member of the project";
    case Reason::kProjectNotActive:
      return "the project is not approved or outside its period";
    case Reason::kOwnWork:
      return "separation of duties: someone else must review or sign off this work";
    case Reason::kSelfAdministration:
      return "nobody may change their own roles, accreditation, status or membership";
    case Reason::kNotOwner:
      return "only the requester or owner may do this";
    case Reason::kNotOpenData:
      return "only open-tier datasets can be downloaded here";
    case Reason::kProhibited:
      return "re-identification is prohibited (PIPA Art. 28-5)";
  }
  return "denied";
}

Decision Decide(const Actor& actor, Action action, const Object& object) {
  if (ObjectKindFor(action) != object.kind) return Deny(Reason::kWrongObject);
  bool token = actor.method == AuthMethod::kApiToken;
  auto scoped = [&] {
    return std::any_of(actor.scopes.begin(), actor.scopes.end(),
                       [&](Scope s) { return ScopeCovers(s, action); });
  };
  if (IsPublic(action, object)) {
    if (token && !scoped()) return Deny(Reason::kScopeMissing);
    return Allow(Reason::kPublicData);
  }
  if (actor.user_id == 0 || actor.method == AuthMethod::kAnonymous) {
    return Deny(Reason::kUnauthenticated);
  }
  if (actor.restricted && !IsSetUpAction(action)) return Deny(Reason::kRestrictedSession);
  if (token && !scoped()) return Deny(Reason::kScopeMissing);
  if (IsSelfService(action)) {
    return AllowIf(object.owner == actor.user_id, Reason::kNotSelf);
  }
  if (!actor.accreditation_expires) return Deny(Reason::kNotAccredited);
  // Blocked from the expiry day on, inclusive: "expires 2025-03-31" means the last
  // day of access is 2025-03-30 (Seoul).
  if (actor.today >= *actor.accreditation_expires) return Deny(Reason::kAccreditationExpired);
  return RoleRule(actor, action, object);
}

}  // namespace sz::authz
