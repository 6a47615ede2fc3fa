#include "zone/projects.h"

#include <gtest/gtest.h>

#include "analysis_fixture.h"

namespace sz::zone {
namespace {

using ProjectsTest = sz::testing::AnalysisTest;

TEST_F(ProjectsTest, ProposeApproveAndBecomeActive) {
  auto p = CreateProject(*zone_, As(analyst_), Spec());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->state, ProjectState::kDraft);
  EXPECT_EQ(p->created_by_user, analyst_);
  ASSERT_EQ(p->members.size(), 1u);
  EXPECT_EQ(p->members[0].username, "kim");
  EXPECT_EQ(p->members[0].role, MemberRole::kLead);
  ASSERT_EQ(p->datasets.size(), 2u);
  EXPECT_EQ(p->datasets[1].name, "residents");  // ordered by name
  EXPECT_EQ(p->datasets[1].version, 2);         // pinned: the latest, signed off
  EXPECT_EQ(p->datasets[1].columns,
            (std::vector<std::string>{"pid", "sido", "sex", "age", "income"}));
  EXPECT_EQ(p->EffectiveOn(Day(2026, 3, 10)), EffectiveState::kDraft);
  EXPECT_EQ(RequireActive(*zone_, *p).code(), Code::kFailedPrecondition);

  auto a = ApproveProject(*zone_, As(admin_), "tourism_study");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->state, ProjectState::kApproved);
  EXPECT_EQ(a->approved_by, "user:" + std::to_string(admin_) + "/admin1");
  EXPECT_TRUE(RequireActive(*zone_, *a).ok());
  EXPECT_EQ(Entries("project.create").size(), 1u);
  EXPECT_EQ(Entries("project.approve").size(), 1u);
  EXPECT_EQ(Entries("project.approve")[0].outcome, "allow");
}

TEST_F(ProjectsTest, ValidityPeriodDecidesActiveAndExpired) {
  Project p = ApprovedProject();
  EXPECT_EQ(p.EffectiveOn(Day(2026, 2, 28)), EffectiveState::kApproved);
  EXPECT_EQ(p.EffectiveOn(Day(2026, 3, 1)), EffectiveState::kActive);
  EXPECT_EQ(p.EffectiveOn(Day(2026, 6, 30)), EffectiveState::kActive);
  EXPECT_EQ(p.EffectiveOn(Day(2026, 7, 1)), EffectiveState::kExpired);
  clock_.Set(SeoulMidnight(Day(2026, 7, 1)));
  Status expired = RequireActive(*zone_, p);
  EXPECT_EQ(expired.code(), Code::kFailedPrecondition);
  EXPECT_NE(expired.message().find("expired after 2026-06-30"), std::string::npos);
  clock_.Set(SeoulMidnight(Day(2026, 7, 1)) - std::chrono::seconds(1));  // 23:59:59 on the last day
  EXPECT_TRUE(RequireActive(*zone_, p).ok());
  clock_.Set(SeoulMidnight(Day(2026, 2, 28)));
  EXPECT_NE(RequireActive(*zone_, p).message().find("starts on 2026-03-01"), std::string::npos);
}

TEST_F(ProjectsTest, CloseEndsEverything) {
  ApprovedProject();
  auto closed = CloseProject(*zone_, As(analyst_), "tourism_study", "done");
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->state, ProjectState::kClosed);
  EXPECT_EQ(RequireActive(*zone_, *closed).code(), Code::kFailedPrecondition);
  EXPECT_EQ(CloseProject(*zone_, As(admin_), "tourism_study", "").status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(ApproveProject(*zone_, As(admin_), "tourism_study").status().code(),
            Code::kFailedPrecondition);
  // A draft can be closed (withdrawn) too.
  ASSERT_TRUE(CreateProject(*zone_, As(analyst2_), Spec("draft_only")).ok());
  EXPECT_TRUE(CloseProject(*zone_, As(analyst2_), "draft_only", "withdrawn").ok());
}

TEST_F(ProjectsTest, SeparationOfDutiesOnApproval) {
  // An administrator may propose, but not approve their own proposal.
  ProjectSpec spec = Spec("admin_made");
  ASSERT_TRUE(CreateProject(*zone_, As(admin_), spec).ok());
  auto own = ApproveProject(*zone_, As(admin_), "admin_made");
  EXPECT_EQ(own.status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(ApproveProject(*zone_, As(admin2_), "admin_made").ok());
  // An administrator who is a member cannot approve either; analysts never approve.
  spec = Spec("with_admin");
  spec.members.push_back({admin2_, MemberRole::kAnalyst});
  ASSERT_TRUE(CreateProject(*zone_, As(analyst_), spec).ok());
  EXPECT_EQ(ApproveProject(*zone_, As(admin2_), "with_admin").status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(ApproveProject(*zone_, As(analyst2_), "with_admin").status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(ApproveProject(*zone_, As(reviewer_), "with_admin").status().code(),
            Code::kPermissionDenied);
  // Every denial is on the trail.
  size_t denied = 0;
  for (const auto& e : Entries("project.approve")) denied += e.outcome == "deny";
  EXPECT_EQ(denied, 4u);
}

TEST_F(ProjectsTest, DraftsAreRevisedOnlyByTheirProposer) {
  ASSERT_TRUE(CreateProject(*zone_, As(analyst_), Spec()).ok());
  ProjectSpec revised = Spec();
  revised.datasets.pop_back();  // residents only
  revised.purpose = "narrower";
  EXPECT_EQ(ReviseProject(*zone_, As(analyst2_), "tourism_study", revised).status().code(),
            Code::kPermissionDenied);
  auto r = ReviseProject(*zone_, As(analyst_), "tourism_study", revised);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->purpose, "narrower");
  EXPECT_EQ(r->datasets.size(), 1u);
  ASSERT_TRUE(ApproveProject(*zone_, As(admin_), "tourism_study").ok());
  EXPECT_EQ(ReviseProject(*zone_, As(analyst_), "tourism_study", Spec()).status().code(),
            Code::kFailedPrecondition);
}

TEST_F(ProjectsTest, DefinitionsAreValidated) {
  auto expect = [&](ProjectSpec s, Code code, const char* why) {
    auto p = CreateProject(*zone_, As(analyst_), s);
    EXPECT_EQ(p.status().code(), code) << why << ": " << p.status().ToString();
  };
  ProjectSpec s = Spec();
  s.datasets[0].columns.push_back("no_such");
  expect(s, Code::kInvalidArgument, "unknown column");
  s = Spec();
  s.datasets[0].person_column = "";
  expect(s, Code::kInvalidArgument, "neither person column nor row_is_person");
  s = Spec();
  s.datasets[0].row_is_person = true;
  expect(s, Code::kInvalidArgument, "both");
  s = Spec();
  s.datasets[0].person_column = "nope";
  expect(s, Code::kInvalidArgument, "unknown person column");
  s = Spec();
  s.end = Day(2026, 2, 1);
  expect(s, Code::kInvalidArgument, "end before start");
  s = Spec();
  s.datasets.push_back(s.datasets[0]);
  expect(s, Code::kInvalidArgument, "dataset twice");
  s = Spec();
  s.datasets[0].dataset = "nowhere";
  expect(s, Code::kNotFound, "unknown dataset");
  s = Spec();
  s.datasets[0].version = 9;
  expect(s, Code::kNotFound, "unknown version");
  s = Spec();
  s.name = "Bad Name";
  expect(s, Code::kInvalidArgument, "name");
  s = Spec();
  s.risk_appetite = R"({"threshhold": 5})";
  expect(s, Code::kInvalidArgument, "risk appetite typo");
  s = Spec();
  s.members.push_back({99999, MemberRole::kAnalyst});
  expect(s, Code::kNotFound, "unknown member");
  // Direct identifiers never enter a workspace.
  SetRoles("residents", {{"income", "direct_identifier"}});
  expect(Spec(), Code::kInvalidArgument, "direct identifier");
}

TEST_F(ProjectsTest, MembershipIsManagedByAnotherAdministrator) {
  ApprovedProject();
  auto added = AddMember(*zone_, As(admin_), "tourism_study", {analyst2_, MemberRole::kAnalyst});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->members.size(), 2u);
  // Nobody manages their own membership; analysts do not manage members.
  EXPECT_EQ(AddMember(*zone_, As(admin_), "tourism_study", {admin_, MemberRole::kAnalyst})
                .status()
                .code(),
            Code::kPermissionDenied);
  EXPECT_EQ(AddMember(*zone_, As(analyst_), "tourism_study", {outsider_, MemberRole::kAnalyst})
                .status()
                .code(),
            Code::kPermissionDenied);
  auto removed = RemoveMember(*zone_, As(admin2_), "tourism_study", analyst2_);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->members.size(), 1u);
  EXPECT_EQ(RemoveMember(*zone_, As(admin2_), "tourism_study", analyst2_).status().code(),
            Code::kNotFound);
}

TEST_F(ProjectsTest, ReadingAndListingFollowTheReadRule) {
  ApprovedProject();
  ProjectSpec other = Spec("other_project");
  other.members.clear();  // the proposer (outsider) becomes its lead
  ASSERT_TRUE(CreateProject(*zone_, As(outsider_), other).ok());
  EXPECT_TRUE(ShowProject(*zone_, As(analyst_), "tourism_study").ok());
  EXPECT_TRUE(ShowProject(*zone_, As(admin_), "tourism_study").ok());
  EXPECT_EQ(ShowProject(*zone_, As(outsider_), "tourism_study").status().code(),
            Code::kPermissionDenied);
  auto mine = ListProjects(*zone_, As(analyst_));
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].name, "tourism_study");
  auto all = ListProjects(*zone_, Caller::Operator());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
}

TEST_F(ProjectsTest, PseudonymizedVersionsNeedAnOfficersSignOff) {
  // Version 1 of residents is pseudonymized as delivered, never reviewed; version 2 is
  // its signed-off review (fixture).
  ProjectSpec unreviewed = Spec();
  unreviewed.datasets[0].version = 1;
  ASSERT_EQ(unreviewed.datasets[0].dataset, "residents");
  ASSERT_TRUE(CreateProject(*zone_, As(analyst_), unreviewed).ok());
  auto refused = ApproveProject(*zone_, As(admin_), "tourism_study");
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("signed off"), std::string::npos);
  ASSERT_TRUE(ReviseProject(*zone_, As(analyst_), "tourism_study", Spec()).ok());
  EXPECT_TRUE(ApproveProject(*zone_, As(admin_), "tourism_study").ok());
}

}  // namespace
}  // namespace sz::zone
