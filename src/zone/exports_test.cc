#include "zone/exports.h"

#include <gtest/gtest.h>

#include "analysis_fixture.h"
#include "disclosure/acro_record.h"
#include "zone/output_json.h"
#include "zone/releases.h"
#include "zone/workspace.h"

namespace sz::zone {
namespace {

namespace ws = sz::workspace;
namespace dc = sz::disclosure;

class ExportsTest : public sz::testing::AnalysisTest {
 protected:
  void Approve(const std::string& name = "tourism_study", bool two_reviewers = false) {
    project_ = ApprovedProject(name, two_reviewers);
    Grant(reviewer_, authz::Role::kOutputReviewer, project_.id);  // also zone-wide: fine
    ws::SandboxLimits limits;
    limits.threads = 1;
    auto w = Workspace::Open(*zone_, As(analyst_), name, limits);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ws_ = std::move(*w);
  }

  static ws::TableSpec BySido(std::string where = "") {
    ws::TableSpec spec;
    spec.from = "residents";
    spec.where = std::move(where);
    ws::DimensionSpec d;
    d.name = "시도";
    d.levels = {"sido"};
    spec.dimensions = {d};
    return spec;
  }
  static ws::TableSpec BySex(std::string where = "") {
    ws::TableSpec spec = BySido(std::move(where));
    spec.dimensions[0].name = "성별";
    spec.dimensions[0].levels = {"sex"};
    return spec;
  }

  void Save(const std::string& name, const ws::TableSpec& spec,
            OutputKind kind = OutputKind::kFrequencyTable) {
    auto saved = ws_->SaveTable(name, kind, spec);
    ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  }

  ExportRequest Request(const std::vector<std::string>& outputs) {
    auto r = RequestExport(*zone_, As(analyst_), project_.name, outputs, "paper tables");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : ExportRequest{};
  }

  // submit -> reviewer approves every output -> conclude.
  void ApproveAll(int64_t id) {
    ASSERT_TRUE(SubmitExport(*zone_, As(analyst_), id).ok());
    auto r = LoadExport(*zone_, id);
    ASSERT_TRUE(r.ok());
    for (const auto& item : r->items) {
      auto d = DecideOutput(*zone_, As(reviewer_), id, item.output_name, Decision::kApproved);
      ASSERT_TRUE(d.ok()) << d.status().ToString();
    }
    auto c = ConcludeReview(*zone_, As(reviewer_), id, Conclusion::kDecide);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
  }

  static const dc::ReleaseFile* File(const std::vector<dc::ReleaseFile>& files,
                                     const std::string& name) {
    for (const auto& f : files)
      if (f.name == name) return &f;
    return nullptr;
  }

  Project project_;
  std::unique_ptr<Workspace> ws_;
};

TEST_F(ExportsTest, FullCycleFromQueryToDownload) {
  Approve();
  Save("by_sido", BySido());
  ExportRequest r = Request({"by_sido"});
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.state, ExportState::kDraft);
  const ExportItem& item = r.items[0];
  // 부산 25, 서울 30, 대구 5 (< 10): one threshold failure; every cell annotated.
  EXPECT_EQ(item.verdict, dc::Verdict::kFail);
  ASSERT_EQ(item.report.cells.size(), 4u);
  EXPECT_EQ(item.report.CountRule(dc::Rule::kThreshold), 1u);
  EXPECT_NE(item.summary.find("threshold: 1 cell"), std::string::npos) << item.summary;
  // A failing output cannot be submitted as it is.
  auto refused = SubmitExport(*zone_, As(analyst_), r.id);
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("by_sido"), std::string::npos);

  // Primary 대구 alone is recomputable from the total; the LP audit proves the pattern.
  auto m = MitigateOutput(*zone_, As(analyst_), r.id, "by_sido", Mitigation::kSuppress);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->items[0].verdict, dc::Verdict::kReview);
  auto result = nlohmann::json::parse(m->items[0].mitigation_result);
  EXPECT_EQ(result["primaries"], 1);
  EXPECT_EQ(result["secondaries"], 1);
  EXPECT_EQ(result["audit"]["safe"], true);

  ApproveAll(r.id);
  auto approved = LoadExport(*zone_, r.id);
  ASSERT_TRUE(approved.ok());
  EXPECT_EQ(approved->state, ExportState::kApproved);
  auto release = ReleaseExport(*zone_, As(reviewer_), r.id);
  ASSERT_TRUE(release.ok()) << release.status().ToString();
  EXPECT_EQ(LoadExport(*zone_, r.id)->state, ExportState::kReleased);

  auto pkg = DownloadRelease(*zone_, As(analyst_), release->id);
  ASSERT_TRUE(pkg.ok()) << pkg.status().ToString();
  for (const char* name : {"manifest.json", "manifest.sig", "results.json", "by_sido_0.csv",
                           "checksums/by_sido_0.csv.txt", "checksums/results.json.txt"}) {
    EXPECT_NE(File(pkg->files, name), nullptr) << name;
  }
  auto pub = ReleasePublicKey(*zone_);
  ASSERT_TRUE(pub.ok());
  EXPECT_TRUE(VerifyReleaseFiles(pkg->files, *pub).ok());
  // The published CSV withholds 대구 and one secondary; results.json says review.
  const auto* csv = File(pkg->files, "by_sido_0.csv");
  ASSERT_NE(csv, nullptr);
  EXPECT_NE(csv->content.find("합계"), std::string::npos);
  EXPECT_EQ(csv->content.find(",5\n"), std::string::npos) << csv->content;
  auto results = dc::ParseResultsJson(File(pkg->files, "results.json")->content);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_EQ(results->records.size(), 1u);
  EXPECT_EQ(results->records[0].uid, "by_sido");
  EXPECT_EQ(results->records[0].status, "review");
  auto manifest = nlohmann::json::parse(File(pkg->files, "manifest.json")->content);
  EXPECT_EQ(manifest["project"]["name"], "tourism_study");
  EXPECT_EQ(manifest["outputs"][0]["mitigation"], "suppress");
  EXPECT_EQ(manifest["signature"]["algorithm"], "Ed25519");

  // Nobody but the requesting analyst downloads it.
  for (int64_t other : {reviewer_, admin_, outsider_, analyst2_}) {
    EXPECT_EQ(DownloadRelease(*zone_, As(other), release->id).status().code(),
              Code::kPermissionDenied)
        << other;
  }
  auto downloads = Entries("release.download");
  ASSERT_EQ(downloads.size(), 5u);
  EXPECT_EQ(downloads[0].outcome, "allow");
  for (size_t i = 1; i < downloads.size(); ++i) EXPECT_EQ(downloads[i].outcome, "deny");
}

TEST_F(ExportsTest, SecondarySuppressionOfACrossTableIsProvenByTheAudit) {
  Approve();
  ws::TableSpec spec = BySido();
  ws::DimensionSpec sex;
  sex.name = "성별";
  sex.levels = {"sex"};
  spec.dimensions.push_back(sex);
  Save("sido_sex", spec, OutputKind::kCrossTable);
  ExportRequest r = Request({"sido_sex"});
  // 대구: M 2, F 3, total 5 fail the threshold; everything else passes.
  EXPECT_EQ(r.items[0].report.CountRule(dc::Rule::kThreshold), 3u);
  auto m = MitigateOutput(*zone_, As(analyst_), r.id, "sido_sex", Mitigation::kSuppress);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto status = CellStatusFromJson(nlohmann::ordered_json::parse(m->items[0].mitigation_result));
  ASSERT_TRUE(status.ok());
  auto content = ReadOutput(*zone_, As(analyst_), project_.name, "sido_sex");
  ASSERT_TRUE(content.ok());
  const auto& table = std::get<dc::Table>(content->output.body);
  dc::ProtectionRule rule = dc::RiskAppetite::Defaults().protection;
  // Independently of the mitigation: the published pattern protects every primary...
  auto audit = dc::AuditSuppression(table, *status, rule);
  ASSERT_TRUE(audit.ok()) << audit.status().ToString();
  EXPECT_TRUE(audit->safe());
  size_t secondaries = 0;
  for (auto s : *status) secondaries += s == dc::CellStatus::kSecondary;
  EXPECT_GT(secondaries, 0u);
  // ... while the primaries alone would be recomputed exactly from the margins.
  std::vector<dc::CellStatus> primaries_only = *status;
  for (auto& s : primaries_only)
    if (s == dc::CellStatus::kSecondary) s = dc::CellStatus::kPublished;
  auto naive = dc::AuditSuppression(table, primaries_only, rule);
  ASSERT_TRUE(naive.ok());
  EXPECT_FALSE(naive->safe());
}

TEST_F(ExportsTest, AlteredPackagesFailVerification) {
  Approve();
  Save("by_sex", BySex());
  ExportRequest r = Request({"by_sex"});
  ApproveAll(r.id);
  auto release = ReleaseExport(*zone_, As(reviewer_), r.id);
  ASSERT_TRUE(release.ok()) << release.status().ToString();
  auto pkg = DownloadRelease(*zone_, As(analyst_), release->id);
  ASSERT_TRUE(pkg.ok());
  auto pub = *ReleasePublicKey(*zone_);
  auto files = pkg->files;
  for (auto& f : files)
    if (f.name == "by_sex_0.csv") f.content += "X,1\n";
  EXPECT_EQ(VerifyReleaseFiles(files, pub).code(), Code::kDataLoss);
  files = pkg->files;
  for (auto& f : files)
    if (f.name == "manifest.json") f.content[10] ^= 1;
  EXPECT_EQ(VerifyReleaseFiles(files, pub).code(), Code::kDataLoss);
  files = pkg->files;
  files.push_back({"extra.csv", "a\n"});
  EXPECT_EQ(VerifyReleaseFiles(files, pub).code(), Code::kDataLoss);
  std::string other_key(32, '\1');
  EXPECT_EQ(VerifyReleaseFiles(pkg->files, other_key).code(), Code::kDataLoss);
}

TEST_F(ExportsTest, AnOutputChangedAfterCheckingIsNotReleased) {
  Approve();
  Save("by_sex", BySex());
  ExportRequest r = Request({"by_sex"});
  ApproveAll(r.id);
  Save("by_sex", BySex("age < 70"));  // revision 2, after the check and the approval
  auto release = ReleaseExport(*zone_, As(reviewer_), r.id);
  EXPECT_EQ(release.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(release.status().message().find("changed after it was checked"), std::string::npos);
  EXPECT_EQ(LoadExport(*zone_, r.id)->state, ExportState::kApproved);
  auto st = zone_->db().Query("SELECT count(*) FROM releases");
  ASSERT_TRUE(st.ok() && *st->Step());
  EXPECT_EQ(st->Int64(0), 0);
  auto entries = Entries("export.review");
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().outcome, "error");
}

TEST_F(ExportsTest, RejectedReturnedAndWithdrawnRequests) {
  Approve();
  Save("by_sex", BySex());
  // Rejected: nothing to release.
  ExportRequest a = Request({"by_sex"});
  ASSERT_TRUE(SubmitExport(*zone_, As(analyst_), a.id).ok());
  ASSERT_TRUE(DecideOutput(*zone_, As(reviewer_), a.id, "by_sex", Decision::kRejected).ok());
  auto rejected = ConcludeReview(*zone_, As(reviewer_), a.id, Conclusion::kDecide);
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->state, ExportState::kRejected);
  EXPECT_EQ(ReleaseExport(*zone_, As(reviewer_), a.id).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(SubmitExport(*zone_, As(analyst_), a.id).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(WithdrawExport(*zone_, As(analyst_), a.id).status().code(), Code::kFailedPrecondition);

  // Returned: the analyst changes the output, re-checks and submits again.
  ExportRequest b = Request({"by_sex"});
  ASSERT_TRUE(SubmitExport(*zone_, As(analyst_), b.id).ok());
  ASSERT_TRUE(StartReview(*zone_, As(reviewer_), b.id).ok());
  ASSERT_TRUE(
      CommentOnExport(*zone_, As(reviewer_), b.id, "by_sex", Visibility::kAnalyst, "exclude age 79")
          .ok());
  auto returned = ConcludeReview(*zone_, As(reviewer_), b.id, Conclusion::kReturn);
  ASSERT_TRUE(returned.ok());
  EXPECT_EQ(returned->state, ExportState::kReturned);
  Save("by_sex", BySex("age < 79"));
  auto rechecked = RecheckExport(*zone_, As(analyst_), b.id);
  ASSERT_TRUE(rechecked.ok()) << rechecked.status().ToString();
  EXPECT_EQ(rechecked->items[0].revision, 2);
  ASSERT_TRUE(SubmitExport(*zone_, As(analyst_), b.id).ok());
  EXPECT_EQ(LoadExport(*zone_, b.id)->state, ExportState::kSubmitted);

  // Withdrawn: from any open state, and then nothing moves.
  ExportRequest c = Request({"by_sex"});
  auto withdrawn = WithdrawExport(*zone_, As(analyst_), c.id);
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(withdrawn->state, ExportState::kWithdrawn);
  EXPECT_EQ(SubmitExport(*zone_, As(analyst_), c.id).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(
      DecideOutput(*zone_, As(reviewer_), c.id, "by_sex", Decision::kApproved).status().code(),
      Code::kFailedPrecondition);
  // The history lists every move.
  auto shown = ShowExport(*zone_, As(analyst_), b.id);
  ASSERT_TRUE(shown.ok());
  std::vector<std::string> moves;
  for (const auto& h : shown->history) moves.push_back(std::string(ExportStateName(h.to)));
  EXPECT_EQ(moves, (std::vector<std::string>{"submitted", "in_review", "returned", "submitted"}));
}

TEST_F(ExportsTest, TransitionTableIsExactlyTheDiagram) {
  using S = ExportState;
  std::set<std::pair<S, S>> allowed = {
      {S::kDraft, S::kSubmitted},
      {S::kDraft, S::kWithdrawn},
      {S::kSubmitted, S::kInReview},
      {S::kSubmitted, S::kWithdrawn},
      {S::kInReview, S::kApproved},
      {S::kInReview, S::kPartiallyApproved},
      {S::kInReview, S::kRejected},
      {S::kInReview, S::kReturned},
      {S::kInReview, S::kWithdrawn},
      {S::kReturned, S::kSubmitted},
      {S::kReturned, S::kWithdrawn},
      {S::kApproved, S::kReleased},
      {S::kApproved, S::kWithdrawn},
      {S::kPartiallyApproved, S::kReleased},
      {S::kPartiallyApproved, S::kWithdrawn},
  };
  for (int f = 0; f <= static_cast<int>(S::kWithdrawn); ++f) {
    for (int t = 0; t <= static_cast<int>(S::kWithdrawn); ++t) {
      S from = static_cast<S>(f), to = static_cast<S>(t);
      EXPECT_EQ(TransitionAllowed(from, to), allowed.contains({from, to}))
          << ExportStateName(from) << " -> " << ExportStateName(to);
    }
  }
}

TEST_F(ExportsTest, ForbiddenMovesThroughTheUseCases) {
  Approve();
  Save("by_sex", BySex());
  ExportRequest r = Request({"by_sex"});
  auto code = [](const auto& result) { return result.status().code(); };
  EXPECT_EQ(code(StartReview(*zone_, As(reviewer_), r.id)), Code::kFailedPrecondition);  // draft
  EXPECT_EQ(code(DecideOutput(*zone_, As(reviewer_), r.id, "by_sex", Decision::kApproved)),
            Code::kFailedPrecondition);
  EXPECT_EQ(code(ConcludeReview(*zone_, As(reviewer_), r.id, Conclusion::kDecide)),
            Code::kFailedPrecondition);
  EXPECT_EQ(code(ReleaseExport(*zone_, As(reviewer_), r.id)), Code::kFailedPrecondition);
  ASSERT_TRUE(SubmitExport(*zone_, As(analyst_), r.id).ok());
  EXPECT_EQ(code(SubmitExport(*zone_, As(analyst_), r.id)),
            Code::kFailedPrecondition);  // submitted
  EXPECT_EQ(code(MitigateOutput(*zone_, As(analyst_), r.id, "by_sex", Mitigation::kRound)),
            Code::kFailedPrecondition);
  EXPECT_EQ(code(ConcludeReview(*zone_, As(reviewer_), r.id, Conclusion::kDecide)),
            Code::kFailedPrecondition);
  EXPECT_EQ(code(ReleaseExport(*zone_, As(reviewer_), r.id)), Code::kFailedPrecondition);
  ASSERT_TRUE(StartReview(*zone_, As(reviewer_), r.id).ok());
  EXPECT_EQ(code(ConcludeReview(*zone_, As(reviewer_), r.id, Conclusion::kDecide)),
            Code::kFailedPrecondition);  // undecided
  EXPECT_EQ(code(RecheckExport(*zone_, As(analyst_), r.id)),
            Code::kFailedPrecondition);  // in review
  EXPECT_EQ(code(ReleaseExport(*zone_, As(reviewer_), r.id)), Code::kFailedPrecondition);
  ASSERT_TRUE(DecideOutput(*zone_, As(reviewer_), r.id, "by_sex", Decision::kApproved).ok());
  ASSERT_TRUE(ConcludeReview(*zone_, As(reviewer_), r.id, Conclusion::kDecide).ok());
  EXPECT_EQ(code(ConcludeReview(*zone_, As(reviewer_), r.id, Conclusion::kReturn)),
            Code::kFailedPrecondition);  // approved
  ASSERT_TRUE(ReleaseExport(*zone_, As(reviewer_), r.id).ok());
  EXPECT_EQ(code(ReleaseExport(*zone_, As(reviewer_), r.id)),
            Code::kFailedPrecondition);  // released
  EXPECT_EQ(code(WithdrawExport(*zone_, As(analyst_), r.id)), Code::kFailedPrecondition);
}

TEST_F(ExportsTest, SeparationOfDuties) {
  Approve();
  Save("by_sex", BySex());
  ExportRequest r = Request({"by_sex"});
  ASSERT_TRUE(SubmitExport(*zone_, As(analyst_), r.id).ok());
  // The requester cannot review their own request, even holding the reviewer role.
  Grant(analyst_, authz::Role::kOutputReviewer, project_.id);
  EXPECT_EQ(DecideOutput(*zone_, As(analyst_), r.id, "by_sex", Decision::kApproved).status().code(),
            Code::kPermissionDenied);
  // A reviewer of another project, an administrator, a fellow analyst: not reviewers here.
  int64_t elsewhere = AddUser("yoon", {{authz::Role::kOutputReviewer, project_.id + 100}});
  for (int64_t who : {elsewhere, admin_, analyst2_}) {
    EXPECT_EQ(DecideOutput(*zone_, As(who), r.id, "by_sex", Decision::kApproved).status().code(),
              Code::kPermissionDenied)
        << who;
  }
  // Only the requester changes the request; reviewers do not mitigate or withdraw it.
  ASSERT_TRUE(AddMember(*zone_, As(admin_), project_.name, {analyst2_, MemberRole::kAnalyst}).ok());
  ExportRequest mine = Request({"by_sex"});
  EXPECT_EQ(
      MitigateOutput(*zone_, As(analyst2_), mine.id, "by_sex", Mitigation::kRound).status().code(),
      Code::kPermissionDenied);
  EXPECT_EQ(
      MitigateOutput(*zone_, As(reviewer_), mine.id, "by_sex", Mitigation::kRound).status().code(),
      Code::kPermissionDenied);
  EXPECT_EQ(WithdrawExport(*zone_, As(reviewer_), mine.id).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(ShowExport(*zone_, As(outsider_), mine.id).status().code(), Code::kPermissionDenied);
}

TEST_F(ExportsTest, TwoReviewersVoteIndependentlyThenConsolidate) {
  Approve("tourism_study", /*two_reviewers=*/true);
  Grant(reviewer2_, authz::Role::kOutputReviewer, project_.id);
  Save("by_sex", BySex());
  Save("by_sido", BySido("sido != '대구'"));
  ExportRequest r = Request({"by_sex", "by_sido"});
  EXPECT_TRUE(r.two_reviewers);
  ASSERT_TRUE(SubmitExport(*zone_, As(analyst_), r.id).ok());
  ASSERT_TRUE(DecideOutput(*zone_, As(reviewer_), r.id, "by_sex", Decision::kApproved).ok());
  ASSERT_TRUE(DecideOutput(*zone_, As(reviewer_), r.id, "by_sido", Decision::kApproved).ok());
  // The second reviewer does not see the first one's votes before casting their own.
  auto before = ShowExport(*zone_, As(reviewer2_), r.id);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->items[0].votes.empty());
  auto first = ShowExport(*zone_, As(reviewer_), r.id);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->items[0].votes.size(), 1u);
  // One reviewer voting twice is still one vote.
  ASSERT_TRUE(DecideOutput(*zone_, As(reviewer_), r.id, "by_sex", Decision::kApproved).ok());
  auto one_vote = ConcludeReview(*zone_, As(reviewer_), r.id, Conclusion::kDecide);
  EXPECT_EQ(one_vote.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(one_vote.status().message().find("1 of the 2"), std::string::npos);
  ASSERT_TRUE(DecideOutput(*zone_, As(reviewer2_), r.id, "by_sex", Decision::kApproved).ok());
  ASSERT_TRUE(DecideOutput(*zone_, As(reviewer2_), r.id, "by_sido", Decision::kRejected).ok());
  auto after = ShowExport(*zone_, As(reviewer2_), r.id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->items[0].votes.size(), 2u);
  // The analyst sees no votes.
  auto analyst_view = ShowExport(*zone_, As(analyst_), r.id);
  ASSERT_TRUE(analyst_view.ok());
  EXPECT_TRUE(analyst_view->items[0].votes.empty());
  // Disagreement needs a consolidated decision.
  auto disagree = ConcludeReview(*zone_, As(reviewer_), r.id, Conclusion::kDecide);
  EXPECT_EQ(disagree.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(disagree.status().message().find("disagree on 'by_sido'"), std::string::npos);
  auto done = ConcludeReview(*zone_, As(reviewer_), r.id, Conclusion::kDecide,
                             {{"by_sido", Decision::kRejected}});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->state, ExportState::kPartiallyApproved);
  auto release = ReleaseExport(*zone_, As(reviewer2_), r.id);
  ASSERT_TRUE(release.ok()) << release.status().ToString();
  auto pkg = DownloadRelease(*zone_, As(analyst_), release->id);
  ASSERT_TRUE(pkg.ok());
  EXPECT_NE(File(pkg->files, "by_sex_0.csv"), nullptr);
  EXPECT_EQ(File(pkg->files, "by_sido_0.csv"), nullptr);  // rejected: not released
}

TEST_F(ExportsTest, CommentsHaveTheirAudience) {
  Approve();
  Save("by_sex", BySex());
  ExportRequest r = Request({"by_sex"});
  ASSERT_TRUE(
      CommentOnExport(*zone_, As(analyst_), r.id, "", Visibility::kAnalyst, "for the annual report")
          .ok());
  EXPECT_EQ(CommentOnExport(*zone_, As(analyst_), r.id, "", Visibility::kReviewers, "psst")
                .status()
                .code(),
            Code::kInvalidArgument);
  ASSERT_TRUE(SubmitExport(*zone_, As(analyst_), r.id).ok());
  ASSERT_TRUE(
      CommentOnExport(*zone_, As(reviewer_), r.id, "by_sex", Visibility::kReviewers, "looks fine")
          .ok());
  ASSERT_TRUE(
      CommentOnExport(*zone_, As(reviewer_), r.id, "by_sex", Visibility::kAnalyst, "approved soon")
          .ok());
  EXPECT_EQ(ShowExport(*zone_, As(analyst_), r.id)->comments.size(), 2u);
  EXPECT_EQ(ShowExport(*zone_, As(reviewer_), r.id)->comments.size(), 3u);
  EXPECT_EQ(
      CommentOnExport(*zone_, As(outsider_), r.id, "", Visibility::kAnalyst, "hi").status().code(),
      Code::kPermissionDenied);
}

TEST_F(ExportsTest, ExtremesNeedAGrantedException) {
  Approve();
  ws::TableSpec spec = BySido();
  spec.aggregate = ws::Aggregate::kMax;
  spec.measure = "income";
  Save("max_income", spec, OutputKind::kExtremes);
  ExportRequest r = Request({"max_income"});
  EXPECT_EQ(r.items[0].verdict, dc::Verdict::kFail);
  EXPECT_EQ(r.items[0].report.CountRule(dc::Rule::kExtreme), 4u);
  EXPECT_EQ(RequestException(*zone_, As(analyst_), r.id, "max_income", "").status().code(),
            Code::kInvalidArgument);
  ASSERT_TRUE(
      RequestException(*zone_, As(analyst_), r.id, "max_income", "top-coded in the paper").ok());
  ASSERT_TRUE(SubmitExport(*zone_, As(analyst_), r.id).ok());
  EXPECT_EQ(GrantException(*zone_, As(analyst_), r.id, "max_income").status().code(),
            Code::kPermissionDenied);
  auto granted = GrantException(*zone_, As(reviewer_), r.id, "max_income");
  ASSERT_TRUE(granted.ok()) << granted.status().ToString();
  EXPECT_TRUE(granted->items[0].exception_granted);
  EXPECT_NE(granted->items[0].verdict,
            dc::Verdict::kFail);  // extremes: review once excepted (대구 still < 10)
  ASSERT_TRUE(DecideOutput(*zone_, As(reviewer_), r.id, "max_income", Decision::kApproved).ok());
  ASSERT_TRUE(ConcludeReview(*zone_, As(reviewer_), r.id, Conclusion::kDecide).ok());
  auto release = ReleaseExport(*zone_, As(reviewer_), r.id);
  ASSERT_TRUE(release.ok()) << release.status().ToString();
  auto pkg = DownloadRelease(*zone_, As(analyst_), release->id);
  ASSERT_TRUE(pkg.ok());
  auto results = dc::ParseResultsJson(File(pkg->files, "results.json")->content);
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(results->records[0].exception, "top-coded in the paper");
}

TEST_F(ExportsTest, RoundingAndRedactThenRound) {
  Approve();
  Save("by_sido", BySido());
  ExportRequest r = Request({"by_sido"});
  auto rounded = MitigateOutput(*zone_, As(analyst_), r.id, "by_sido", Mitigation::kRedactRound);
  ASSERT_TRUE(rounded.ok()) << rounded.status().ToString();
  // Cells in table order: 합계, 대구, 부산, 서울. 대구 (5) withheld; the total is the sum
  // of what is published: 25 + 30 = 55, not 60.
  auto j = nlohmann::json::parse(rounded->items[0].mitigation_result);
  EXPECT_EQ(j["base"], 5);
  EXPECT_EQ(j["values"][0], 55.0);
  EXPECT_TRUE(j["values"][1].is_null());
  EXPECT_EQ(j["values"][2], 25.0);
  EXPECT_EQ(j["values"][3], 30.0);
  EXPECT_EQ(rounded->items[0].verdict, dc::Verdict::kReview);
  auto plain = MitigateOutput(*zone_, As(analyst_), r.id, "by_sido", Mitigation::kRound);
  ASSERT_TRUE(plain.ok());
  auto k = nlohmann::json::parse(plain->items[0].mitigation_result);
  EXPECT_EQ(k["values"][1], 5.0);
  EXPECT_EQ(k["values"][0], 60.0);
  auto none = MitigateOutput(*zone_, As(analyst_), r.id, "by_sido", Mitigation::kNone);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->items[0].verdict, dc::Verdict::kFail);
}

TEST_F(ExportsTest, DifferencingAgainstEarlierReleasesIsFlagged) {
  Approve();
  Save("by_sex", BySex());  // M 30, F 30, total 60: passes
  ExportRequest first = Request({"by_sex"});
  EXPECT_EQ(first.items[0].verdict, dc::Verdict::kPass);
  ApproveAll(first.id);
  ASSERT_TRUE(ReleaseExport(*zone_, As(reviewer_), first.id).ok());
  // The same table without P000 (M, age 20) and P001 (F, age 21): M 29, F 29, total 58.
  Save("by_sex_adults", BySex("age >= 22"));
  ExportRequest second = Request({"by_sex_adults"});
  const ExportItem& item = second.items[0];
  EXPECT_EQ(item.verdict, dc::Verdict::kReview);
  EXPECT_EQ(item.report.CountRule(dc::Rule::kDifferencing), 3u);
  bool named = false;
  for (const auto& cell : item.report.cells)
    for (const auto& f : cell.findings)
      named |= f.rule == dc::Rule::kDifferencing && f.en.find("by_sex") != std::string::npos;
  EXPECT_TRUE(named);
}

// Each rule of the checker on tables computed in the workspace from the fixture's data
// (expected values derived by hand in the comments).
TEST_F(ExportsTest, EveryRuleThroughTheWorkspacePath) {
  Approve();
  // Spending by category. travel: 20 persons (i % 3 == 0), sum 2,570 + 1,000,000;
  // P003's contribution 1,000,103 dominates: (2,90) and p% fail; so does the total
  // (top1 P003 = 1,000,116, top2 P039 = 49 + 139 = 188). food: 40 persons, passes.
  ws::TableSpec spend;
  spend.from = "card_tx";
  spend.aggregate = ws::Aggregate::kSum;
  spend.measure = "amount";
  ws::DimensionSpec category;
  category.name = "category";
  category.levels = {"category"};
  spend.dimensions = {category};
  Save("spend", spend, OutputKind::kMagnitudeTable);
  // Zeros and 100% cells: 대구 keeps only its 3 women.
  ws::TableSpec zeros = BySido("sido != '대구' OR sex = 'F'");
  ws::DimensionSpec sex;
  sex.name = "성별";
  sex.levels = {"sex"};
  zeros.dimensions.push_back(sex);
  Save("zeros", zeros, OutputKind::kCrossTable);
  // Median income by region: 대구 has 5 persons.
  ws::TableSpec median = BySido();
  median.aggregate = ws::Aggregate::kMedian;
  median.measure = "income";
  Save("median", median, OutputKind::kQuantiles);
  // A regression on 대구 alone: N 5, 2 parameters, residual df 3.
  ws::RegressionSpec reg;
  reg.source.from = "residents";
  reg.source.where = "sido = '대구'";
  reg.outcome = "income";
  reg.predictors = {"age"};
  ASSERT_TRUE(ws_->SaveRegression("small_model", reg).ok());
  ASSERT_TRUE(SaveFreeform(*zone_, As(analyst_), project_.name, "code", OutputKind::kCode,
                           "model.sql", "SELECT 1;\n")
                  .ok());

  ExportRequest r = Request({"spend", "zeros", "median", "small_model", "code"});
  ASSERT_EQ(r.items.size(), 5u);
  const auto& s = r.items[0].report;
  EXPECT_EQ(s.CountRule(dc::Rule::kDominance), 2u);
  EXPECT_EQ(s.CountRule(dc::Rule::kPPercent), 2u);
  EXPECT_EQ(s.CountRule(dc::Rule::kThreshold), 0u);
  EXPECT_EQ(s.CountRule(dc::Rule::kNegative), 0u);
  EXPECT_EQ(r.items[0].verdict, dc::Verdict::kFail);
  const auto& z = r.items[1].report;
  EXPECT_EQ(z.CountRule(dc::Rule::kZero), 1u);       // 대구 x M
  EXPECT_GE(z.CountRule(dc::Rule::kFullCell), 1u);   // 대구 x F equals 대구's total
  EXPECT_EQ(z.CountRule(dc::Rule::kThreshold), 2u);  // 대구 x F and 대구 x 합계 (3 persons)
  EXPECT_EQ(r.items[2].report.CountRule(dc::Rule::kThreshold), 1u);
  EXPECT_EQ(r.items[2].verdict, dc::Verdict::kFail);
  const auto& m = r.items[3].report;
  EXPECT_EQ(m.CountRule(dc::Rule::kDegreesOfFreedom), 1u);
  EXPECT_EQ(m.CountRule(dc::Rule::kParameters), 1u);  // 2 > 5 / 3
  EXPECT_EQ(r.items[3].verdict, dc::Verdict::kFail);
  EXPECT_EQ(r.items[4].report.CountRule(dc::Rule::kFreeform), 1u);
  EXPECT_EQ(r.items[4].verdict, dc::Verdict::kReview);  // code always goes to a person
}

TEST_F(ExportsTest, BadInputGetsClearErrors) {
  Approve();
  Save("by_sex", BySex());
  EXPECT_EQ(RequestExport(*zone_, As(analyst_), project_.name, {"nope"}, "").status().code(),
            Code::kNotFound);
  EXPECT_EQ(RequestExport(*zone_, As(analyst_), project_.name, {}, "").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(RequestExport(*zone_, As(outsider_), project_.name, {"by_sex"}, "").status().code(),
            Code::kPermissionDenied);
  // Persons in several categories: the margins do not add up, so suppression cannot be
  // audited; the error says so and the request stays usable.
  ws::TableSpec spend;
  spend.from = "card_tx";
  ws::DimensionSpec d;
  d.name = "category";
  d.levels = {"category"};
  spend.dimensions = {d};
  Save("by_category", spend);
  ws::RegressionSpec reg;
  reg.source.from = "residents";
  reg.outcome = "income";
  reg.predictors = {"age"};
  ASSERT_TRUE(ws_->SaveRegression("model", reg).ok());
  ExportRequest r = Request({"by_category", "model"});
  auto suppress = MitigateOutput(*zone_, As(analyst_), r.id, "by_category", Mitigation::kSuppress);
  EXPECT_EQ(suppress.status().code(), Code::kInvalidArgument) << suppress.status().ToString();
  EXPECT_EQ(MitigateOutput(*zone_, As(analyst_), r.id, "model", Mitigation::kRound).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(MitigateOutput(*zone_, As(analyst_), r.id, "nope", Mitigation::kRound).status().code(),
            Code::kNotFound);
  EXPECT_TRUE(
      MitigateOutput(*zone_, As(analyst_), r.id, "by_category", Mitigation::kRedactRound).ok());
  // After the period ends, no new requests.
  clock_.Set(SeoulMidnight(Day(2026, 7, 1)));
  EXPECT_EQ(
      RequestExport(*zone_, Caller::Operator(), project_.name, {"by_sex"}, "").status().code(),
      Code::kFailedPrecondition);
}

}  // namespace
}  // namespace sz::zone
