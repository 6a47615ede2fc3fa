#include "authz/policy.h"

#include <gtest/gtest.h>

#include <map>

namespace sz::authz {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

constexpr int64_t kMe = 10;
constexpr int64_t kSomeoneElse = 99;
const Date kToday{year(2025), month(6), day(15)};

// ---------------------------------------------------------------------------------------
// The matrix: every action x every role x own/other object.
//
// Columns, in order: A administrator, P data provider, S pseudonymization officer,
// C combination officer, N analyst, R output reviewer, U auditor, - no role at all.
// 'Y' = allowed, '.' = denied. "own" means the object is the actor's: a dataset of the
// actor's institution, a project the actor created and is a member of, the actor's export
// request or release, the actor's own account, a job the actor ran. For zone and audit
// objects there is no owner and both columns must agree.
// ---------------------------------------------------------------------------------------
struct Row {
  Action action;
  std::string_view own;
  std::string_view other;
};

// clang-format off
const Row kMatrix[] = {
    //                                      own         other
    //                                      APSCNRU-    APSCNRU-
    {Action::kCatalogSearch,               "YYYYYYYY", "YYYYYYYY"},
    {Action::kCatalogRead,                 "YYYYYY..", "YYYYYY.."},
    {Action::kOpenDataDownload,            "........", "........"},  // pseudonymized tier
    {Action::kDatasetImport,               ".Y......", "........"},
    {Action::kDatasetUpdateMetadata,       "YY......", "Y......."},
    {Action::kDatasetAddVersion,           ".Y......", "........"},
    {Action::kDatasetRetire,               "YY......", "Y......."},
    {Action::kRawDataRead,                 ".Y......", "........"},
    {Action::kPseudonymizeConfigure,       "..Y.....", "..Y....."},
    {Action::kPseudonymizeRun,             "..Y.....", "..Y....."},
    {Action::kPseudonymizeSignOff,         "........", "..Y....."},  // not one's own run
    {Action::kKeyUse,                      "..YY....", "..YY...."},
    {Action::kKeyRotate,                   "Y.......", "Y......."},
    {Action::kDetokenize,                  "........", "........"},  // never
    {Action::kCombinationSubmitKeys,       ".Y......", "........"},
    {Action::kCombinationLink,             "...Y....", "...Y...."},
    {Action::kCombinationAssess,           "........", "...Y...."},  // not one's own link
    {Action::kCombinationRelease,          "...Y....", "...Y...."},
    {Action::kProjectCreate,               "Y...Y...", "Y...Y..."},
    {Action::kProjectRead,                 "Y...Y...", "Y......."},
    {Action::kProjectApprove,              "........", "Y......."},  // not one's own
    {Action::kProjectClose,                "Y...Y...", "Y......."},
    {Action::kProjectManageMembers,        "........", "Y......."},  // not oneself
    {Action::kWorkspaceOpen,               "....Y...", "........"},
    {Action::kWorkspaceQuery,              "....Y...", "........"},
    {Action::kOutputSave,                  "....Y...", "........"},
    {Action::kExportRequest,               "....Y...", "........"},
    {Action::kExportRead,                  "....Y...", ".....Y.."},
    {Action::kExportWithdraw,              "....Y...", "........"},
    {Action::kExportReview,                "........", ".....Y.."},  // not one's own
    {Action::kReleaseDownload,             "....Y...", "........"},
    {Action::kAuditRead,                   "......Y.", "......Y."},
    {Action::kAuditVerify,                 "Y.....Y.", "Y.....Y."},
    {Action::kAuditExport,                 "......Y.", "......Y."},
    {Action::kUserList,                    "Y.......", "Y......."},
    {Action::kUserCreate,                  "Y.......", "Y......."},
    {Action::kUserRead,                    "Y.......", "Y......."},
    {Action::kUserUpdate,                  "........", "Y......."},  // not oneself
    {Action::kUserDisable,                 "........", "Y......."},
    {Action::kUserUnlock,                  "........", "Y......."},
    {Action::kUserResetCredentials,        "........", "Y......."},
    {Action::kRoleGrant,                   "........", "Y......."},
    {Action::kRoleRevoke,                  "........", "Y......."},
    {Action::kAccreditationSet,            "........", "Y......."},
    {Action::kSelfRead,                    "YYYYYYYY", "........"},
    {Action::kSelfChangePassword,          "YYYYYYYY", "........"},
    {Action::kSelfEnrolTotp,               "YYYYYYYY", "........"},
    {Action::kSelfManageTokens,            "YYYYYYYY", "........"},
    {Action::kReportRead,                  "Y.......", "Y......."},
    {Action::kZoneInspect,                 "Y.......", "Y......."},
    {Action::kZoneConfigure,               "Y.......", "Y......."},
};
// clang-format on

ProjectInfo ActiveProject(int64_t id, std::vector<int64_t> members, int64_t created_by) {
  ProjectInfo p;
  p.id = id;
  p.members = std::move(members);
  p.created_by = created_by;
  p.start = Date{year(2025), month(1), day(1)};
  p.end = Date{year(2025), month(12), day(31)};
  p.state = ProjectState::kApproved;
  return p;
}

Actor ActorWith(std::optional<Role> role) {
  Actor a;
  a.user_id = kMe;
  a.username = "me";
  a.institution = "korail";
  if (role) a.roles.push_back({*role, 0});
  a.accreditation_expires = Date{year(2026), month(1), day(1)};
  a.today = kToday;
  a.method = AuthMethod::kSession;
  return a;
}

Object ObjectFor(Action action, bool own) {
  int64_t owner = own ? kMe : kSomeoneElse;
  ProjectInfo project =
      own ? ActiveProject(1, {kMe, 11}, kMe) : ActiveProject(2, {kSomeoneElse}, kSomeoneElse);
  std::string institution = own ? "korail" : "kepco";
  switch (ObjectKindFor(action)) {
    case ObjectKind::kZone:
      return Object::Zone();
    case ObjectKind::kAuditTrail:
      return Object::AuditTrail();
    case ObjectKind::kDataset:
      return Object::Dataset(5, institution, Tier::kPseudonymized);
    case ObjectKind::kJob:
      return Object::Job(6, "korail", Tier::kNonOpen, owner);
    case ObjectKind::kCombination:
      return Object::Combination(7, owner);
    case ObjectKind::kProject:
      if (action == Action::kProjectManageMembers) return Object::Membership(project, owner);
      return Object::Project(project);
    case ObjectKind::kExportRequest:
      return Object::ExportRequest(8, project, owner);
    case ObjectKind::kRelease:
      return Object::Release(9, project, owner);
    case ObjectKind::kUser:
      return Object::User(owner);
  }
  return Object::Zone();
}

TEST(PolicyMatrix, CoversEveryActionOnce) {
  std::map<Action, int> seen;
  for (const Row& row : kMatrix) ++seen[row.action];
  EXPECT_EQ(static_cast<int>(seen.size()), kActionCount);
  for (auto [action, count] : seen) EXPECT_EQ(count, 1) << ActionName(action);
}

TEST(PolicyMatrix, EveryActionRoleAndOwnership) {
  const std::optional<Role> columns[] = {Role::kAdministrator,
                                         Role::kDataProvider,
                                         Role::kPseudonymizationOfficer,
                                         Role::kCombinationOfficer,
                                         Role::kAnalyst,
                                         Role::kOutputReviewer,
                                         Role::kAuditor,
                                         std::nullopt};
  int checked = 0;
  for (const Row& row : kMatrix) {
    for (bool own : {true, false}) {
      std::string_view expected = own ? row.own : row.other;
      ASSERT_EQ(expected.size(), 8u) << ActionName(row.action);
      for (size_t c = 0; c < 8; ++c) {
        Decision d = Decide(ActorWith(columns[c]), row.action, ObjectFor(row.action, own));
        EXPECT_EQ(d.allowed, expected[c] == 'Y')
            << ActionName(row.action) << " by " << (columns[c] ? RoleName(*columns[c]) : "no role")
            << " on " << (own ? "own" : "other") << " object: " << d.text();
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, kActionCount * 2 * 8);
}

// ---------------------------------------------------------------------------------------
// The rules the matrix cannot show on its own.
// ---------------------------------------------------------------------------------------

TEST(Policy, DeniesByDefaultWithAReason) {
  Decision d = Decide(ActorWith(std::nullopt), Action::kZoneConfigure, Object::Zone());
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kNoRole);
  EXPECT_FALSE(d.text().empty());
}

TEST(Policy, WrongObjectKindIsDenied) {
  Actor admin = ActorWith(Role::kAdministrator);
  Decision d = Decide(admin, Action::kUserDisable, Object::Zone());
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kWrongObject);
}

TEST(Policy, OpenDataIsPublicEvenAnonymously) {
  Actor anon = Actor::Anonymous(kToday);
  Object open = Object::Dataset(1, "kepco", Tier::kOpen);
  EXPECT_TRUE(Decide(anon, Action::kCatalogRead, open).allowed);
  EXPECT_TRUE(Decide(anon, Action::kOpenDataDownload, open).allowed);
  EXPECT_TRUE(Decide(anon, Action::kCatalogSearch, Object::Zone()).allowed);
  Decision d = Decide(anon, Action::kCatalogRead, Object::Dataset(2, "kepco", Tier::kNonOpen));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kUnauthenticated);
  // Restricted tiers never leave through the portal, whoever asks.
  Decision provider = Decide(ActorWith(Role::kDataProvider), Action::kOpenDataDownload,
                             Object::Dataset(3, "korail", Tier::kNonOpen));
  EXPECT_EQ(provider.reason, Reason::kNotOpenData);
}

TEST(Policy, ProviderSeesOnlyItsInstitutionsRawData) {
  Actor p = ActorWith(Role::kDataProvider);
  EXPECT_TRUE(
      Decide(p, Action::kRawDataRead, Object::Dataset(1, "korail", Tier::kNonOpen)).allowed);
  Decision d = Decide(p, Action::kRawDataRead, Object::Dataset(2, "kepco", Tier::kNonOpen));
  EXPECT_EQ(d.reason, Reason::kOtherInstitution);
  // A provider account without an institution reaches nobody's data.
  p.institution.clear();
  EXPECT_FALSE(Decide(p, Action::kRawDataRead, Object::Dataset(3, "", Tier::kNonOpen)).allowed);
}

TEST(Policy, AdministratorNeedsMembershipAndAnalystRoleForProjectData) {
  Actor admin = ActorWith(Role::kAdministrator);
  Object project = Object::Project(ActiveProject(3, {kSomeoneElse}, kSomeoneElse));
  EXPECT_EQ(Decide(admin, Action::kWorkspaceQuery, project).reason, Reason::kNoRole);
  admin.roles.push_back({Role::kAnalyst, 0});
  EXPECT_EQ(Decide(admin, Action::kWorkspaceQuery, project).reason, Reason::kNotMember);
  Object member = Object::Project(ActiveProject(3, {kSomeoneElse, kMe}, kSomeoneElse));
  EXPECT_TRUE(Decide(admin, Action::kWorkspaceQuery, member).allowed);
}

TEST(Policy, ProjectScopedRolesApplyToThatProjectOnly) {
  Actor a = ActorWith(std::nullopt);
  a.roles.push_back({Role::kAnalyst, 4});
  EXPECT_TRUE(
      Decide(a, Action::kWorkspaceQuery, Object::Project(ActiveProject(4, {kMe}, 1))).allowed);
  Decision d = Decide(a, Action::kWorkspaceQuery, Object::Project(ActiveProject(5, {kMe}, 1)));
  EXPECT_EQ(d.reason, Reason::kNoRole);
  Actor r = ActorWith(std::nullopt);
  r.roles.push_back({Role::kOutputReviewer, 4});
  EXPECT_TRUE(
      Decide(r, Action::kExportReview, Object::ExportRequest(1, ActiveProject(4, {1}, 1), 1))
          .allowed);
  EXPECT_FALSE(
      Decide(r, Action::kExportReview, Object::ExportRequest(2, ActiveProject(5, {1}, 1), 1))
          .allowed);
}

TEST(Policy, ReviewerCannotReviewOwnExport) {
  Actor both = ActorWith(Role::kOutputReviewer);
  both.roles.push_back({Role::kAnalyst, 0});
  ProjectInfo p = ActiveProject(1, {kMe}, kMe);
  Decision own = Decide(both, Action::kExportReview, Object::ExportRequest(1, p, kMe));
  EXPECT_FALSE(own.allowed);
  EXPECT_EQ(own.reason, Reason::kOwnWork);
  EXPECT_TRUE(Decide(both, Action::kExportReview, Object::ExportRequest(2, p, 11)).allowed);
}

TEST(Policy, ProjectWorkOnlyWhileApprovedAndWithinPeriodInclusive) {
  Actor a = ActorWith(Role::kAnalyst);
  ProjectInfo p = ActiveProject(1, {kMe}, kMe);
  p.start = Date{year(2025), month(6), day(15)};
  p.end = Date{year(2025), month(6), day(15)};
  EXPECT_TRUE(Decide(a, Action::kWorkspaceQuery, Object::Project(p)).allowed);  // one-day project
  a.today = Date{year(2025), month(6), day(16)};
  EXPECT_EQ(Decide(a, Action::kWorkspaceQuery, Object::Project(p)).reason,
            Reason::kProjectNotActive);
  a.today = Date{year(2025), month(6), day(14)};
  EXPECT_FALSE(Decide(a, Action::kWorkspaceQuery, Object::Project(p)).allowed);
  a.today = kToday;
  p.state = ProjectState::kProposed;
  EXPECT_FALSE(Decide(a, Action::kWorkspaceQuery, Object::Project(p)).allowed);
  p.state = ProjectState::kClosed;
  EXPECT_FALSE(Decide(a, Action::kExportRequest, Object::Project(p)).allowed);
  EXPECT_FALSE(Decide(a, Action::kReleaseDownload, Object::Release(1, p, kMe)).allowed);
}

TEST(Policy, AccreditationBlocksFromTheExpiryDayInclusive) {
  Actor a = ActorWith(Role::kAnalyst);
  Object project = Object::Project(ActiveProject(1, {kMe}, kMe));
  a.accreditation_expires = Date{year(2025), month(6), day(16)};
  EXPECT_TRUE(Decide(a, Action::kWorkspaceQuery, project).allowed);  // the day before
  a.accreditation_expires = kToday;
  Decision d = Decide(a, Action::kWorkspaceQuery, project);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kAccreditationExpired);
  a.accreditation_expires.reset();
  EXPECT_EQ(Decide(a, Action::kWorkspaceQuery, project).reason, Reason::kNotAccredited);
  // Self-service stays open so the person can still manage their credentials.
  EXPECT_TRUE(Decide(a, Action::kSelfChangePassword, Object::User(kMe)).allowed);
  // Even administrators are blocked.
  Actor admin = ActorWith(Role::kAdministrator);
  admin.accreditation_expires = kToday;
  EXPECT_EQ(Decide(admin, Action::kUserList, Object::Zone()).reason, Reason::kAccreditationExpired);
}

TEST(Policy, NobodyChangesTheirOwnRoles) {
  Actor admin = ActorWith(Role::kAdministrator);
  for (Action a :
       {Action::kRoleGrant, Action::kRoleRevoke, Action::kAccreditationSet, Action::kUserDisable}) {
    Decision d = Decide(admin, a, Object::User(kMe));
    EXPECT_EQ(d.reason, Reason::kSelfAdministration) << ActionName(a);
    EXPECT_TRUE(Decide(admin, a, Object::User(kSomeoneElse)).allowed) << ActionName(a);
  }
  Decision m = Decide(admin, Action::kProjectManageMembers,
                      Object::Membership(ActiveProject(1, {}, 2), kMe));
  EXPECT_EQ(m.reason, Reason::kSelfAdministration);
}

TEST(Policy, AuditorReadsTheAuditTrailAndNothingElse) {
  Actor auditor = ActorWith(Role::kAuditor);
  int allowed = 0;
  for (int i = 0; i < kActionCount; ++i) {
    auto action = static_cast<Action>(i);
    for (bool own : {true, false}) {
      if (Decide(auditor, action, ObjectFor(action, own)).allowed) {
        ++allowed;
        bool audit_or_self_or_public = ObjectKindFor(action) == ObjectKind::kAuditTrail ||
                                       ObjectKindFor(action) == ObjectKind::kUser ||
                                       action == Action::kCatalogSearch;
        EXPECT_TRUE(audit_or_self_or_public) << ActionName(action);
      }
    }
  }
  // audit.read/verify/export x2, self-service x4, catalog.search x2.
  EXPECT_EQ(allowed, 3 * 2 + 4 + 2);
}

TEST(Policy, RestrictedSessionMayOnlyFinishSettingUp) {
  Actor a = ActorWith(Role::kAnalyst);
  a.restricted = true;
  EXPECT_TRUE(Decide(a, Action::kSelfEnrolTotp, Object::User(kMe)).allowed);
  EXPECT_TRUE(Decide(a, Action::kSelfChangePassword, Object::User(kMe)).allowed);
  EXPECT_EQ(Decide(a, Action::kSelfManageTokens, Object::User(kMe)).reason,
            Reason::kRestrictedSession);
  EXPECT_EQ(
      Decide(a, Action::kWorkspaceQuery, Object::Project(ActiveProject(1, {kMe}, kMe))).reason,
      Reason::kRestrictedSession);
}

TEST(Policy, ApiTokenScopesLimitActions) {
  Actor a = ActorWith(Role::kAnalyst);
  a.method = AuthMethod::kApiToken;
  a.scopes = {Scope::kWorkspaceQuery};
  Object project = Object::Project(ActiveProject(1, {kMe}, kMe));
  EXPECT_TRUE(Decide(a, Action::kWorkspaceQuery, project).allowed);
  EXPECT_EQ(Decide(a, Action::kExportRequest, project).reason, Reason::kScopeMissing);
  // Even public actions need a covering scope when a token is used.
  EXPECT_EQ(Decide(a, Action::kCatalogSearch, Object::Zone()).reason, Reason::kScopeMissing);
  // Tokens never reach self-service (no token can mint tokens) or administration.
  EXPECT_EQ(Decide(a, Action::kSelfManageTokens, Object::User(kMe)).reason, Reason::kScopeMissing);
  Actor admin = ActorWith(Role::kAdministrator);
  admin.method = AuthMethod::kApiToken;
  admin.scopes = {Scope::kCatalogRead,   Scope::kDatasetWrite,    Scope::kWorkspaceQuery,
                  Scope::kExportRequest, Scope::kReleaseDownload, Scope::kAuditRead};
  EXPECT_EQ(Decide(admin, Action::kRoleGrant, Object::User(kSomeoneElse)).reason,
            Reason::kScopeMissing);
  // A scope does not add a role: the scope covers export.request, the role rule still applies.
  Actor provider = ActorWith(Role::kDataProvider);
  provider.method = AuthMethod::kApiToken;
  provider.scopes = {Scope::kExportRequest};
  EXPECT_EQ(Decide(provider, Action::kExportRequest, project).reason, Reason::kNoRole);
}

TEST(Policy, DetokenizeIsNeverAllowed) {
  for (Role r : kAllRoles) {
    Decision d = Decide(ActorWith(r), Action::kDetokenize,
                        Object::Dataset(1, "korail", Tier::kPseudonymized));
    EXPECT_EQ(d.reason, Reason::kProhibited);
  }
}

TEST(Policy, NamesRoundTrip) {
  for (int i = 0; i < kActionCount; ++i) {
    auto a = static_cast<Action>(i);
    auto parsed = ParseAction(ActionName(a));
    ASSERT_TRUE(parsed.ok()) << ActionName(a);
    EXPECT_EQ(*parsed, a);
  }
  for (Role r : kAllRoles) EXPECT_EQ(*ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("root").ok());
  EXPECT_EQ(*ParseScope("workspace:query"), Scope::kWorkspaceQuery);
  EXPECT_FALSE(ParseScope("admin:*").ok());
  EXPECT_EQ(ObjectLabel(Object::Dataset(12, "x", Tier::kOpen)), "dataset:12");
  EXPECT_EQ(ObjectLabel(Object::AuditTrail()), "audit");
}

}  // namespace
}  // namespace sz::authz
