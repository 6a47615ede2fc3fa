#include "zone/workspace.h"

#include <gtest/gtest.h>

#include "analysis_fixture.h"
#include "zone/outputs.h"

namespace sz::zone {
namespace {

namespace ws = sz::workspace;

class WorkspaceTest : public sz::testing::AnalysisTest {
 protected:
  std::unique_ptr<Workspace> OpenAs(int64_t user, const std::string& project = "tourism_study") {
    ws::SandboxLimits limits;
    limits.threads = 1;
    auto w = Workspace::Open(*zone_, As(user), project, limits);
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    return w.ok() ? std::move(*w) : nullptr;
  }
  static std::string Cell(const ws::StatementResult& r, size_t row = 0, size_t col = 0) {
    return duck::ValueToString(r.rows.at(row).at(col));
  }
  static ws::DimensionSpec Dim(std::string name, std::vector<std::string> levels) {
    ws::DimensionSpec d;
    d.name = std::move(name);
    d.levels = std::move(levels);
    return d;
  }
};

TEST_F(WorkspaceTest, SeesTheApprovedColumnsOfTheApprovedVersions) {
  Project p = ApprovedProject();
  auto w = OpenAs(analyst_);
  ASSERT_TRUE(w);
  ASSERT_EQ(w->tables().size(), 2u);
  auto count = w->Run("SELECT count(*), count(DISTINCT sido) FROM residents");
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(Cell(*count), "60");
  EXPECT_EQ(Cell(*count, 0, 1), "3");
  auto cols = w->Run(
      "SELECT column_name FROM duckdb_columns() WHERE table_name = 'card_tx' ORDER BY "
      "column_index");
  ASSERT_TRUE(cols.ok());
  ASSERT_EQ(cols->rows.size(), 4u);
  EXPECT_EQ(Cell(*cols, 3), "sz_person");
  // The open and each statement are audited with the versions they touched.
  auto opens = Entries("workspace.open");
  ASSERT_EQ(opens.size(), 1u);
  EXPECT_EQ(opens[0].outcome, "allow");
  EXPECT_EQ(opens[0].datasets, fmt::format("dataset:{}@1,dataset:{}@2", p.datasets[0].dataset_id,
                                           p.datasets[1].dataset_id));
  auto queries = Entries("workspace.query");
  ASSERT_EQ(queries.size(), 2u);
  EXPECT_EQ(queries[0].datasets,
            fmt::format("dataset:{}@2", p.datasets[1].dataset_id));  // residents
  EXPECT_FALSE(queries[0].query_sealed.empty());
  EXPECT_FALSE(queries[0].query_digest.empty());
  EXPECT_EQ(queries[0].reason.find("SELECT"), std::string::npos);  // the SQL is only stored sealed
}

TEST_F(WorkspaceTest, NothingElseOfTheZoneIsReachable) {
  ApprovedProject();
  zone::ProjectSpec other = Spec("finance_study");
  other.members = {{analyst2_, MemberRole::kLead}};
  other.datasets = {{"other_data", 0, {"code", "secret"}, "", true}};
  ASSERT_TRUE(CreateProject(*zone_, As(analyst2_), other).ok());
  ASSERT_TRUE(ApproveProject(*zone_, As(admin_), "finance_study").ok());

  auto w = OpenAs(analyst_);
  ASSERT_TRUE(w);
  std::string db = zone_->dir() + "/zone.db";
  std::string key = tmp_ / "master.key";
  size_t refused_by_policy = 0;
  auto other_data = w->Run("SELECT * FROM other_data");
  EXPECT_EQ(other_data.status().code(),
            Code::kInvalidArgument);  // another project's data: not loaded at all
  for (const std::string& q : std::vector<std::string>{
           "SELECT * FROM read_blob('" + db + "')", "SELECT * FROM read_text('" + key + "')",
           "SELECT * FROM read_csv('" + zone_->dir() + "/data/*')",
           "ATTACH '" + db + "' AS cp (TYPE sqlite)", "ATTACH '" + db + "' AS cp",
           "SELECT * FROM sqlite_scan('" + db + "', 'zone_keys')",
           "SELECT * FROM glob('" + zone_->dir() + "/*')",
           "COPY residents TO '" + (tmp_ / "leak.csv") + "'", "INSTALL sqlite", "LOAD sqlite",
           "SET enable_external_access = true"}) {
    auto r = w->Run(q);
    EXPECT_FALSE(r.ok()) << q;
    EXPECT_TRUE(r.status().code() == Code::kPermissionDenied ||
                r.status().code() == Code::kInvalidArgument)
        << q << " -> " << r.status().ToString();
    refused_by_policy += r.status().code() == Code::kPermissionDenied;
  }
  EXPECT_FALSE(std::filesystem::exists(tmp_ / "leak.csv"));
  // Each refusal is on the trail (the policy's as deny, the engine's as error), and the
  // session goes on.
  size_t errors = 0, denials = 0;
  for (const auto& e : Entries("workspace.query")) {
    errors += e.outcome == "error";
    denials += e.outcome == "deny";
  }
  EXPECT_GT(refused_by_policy, 0u);
  EXPECT_EQ(denials, refused_by_policy);
  EXPECT_EQ(errors + denials, 12u);
  EXPECT_TRUE(w->Run("SELECT 1").ok());
}

TEST_F(WorkspaceTest, OnlyMembersOfAnActiveProjectGetIn) {
  ApprovedProject();
  ws::SandboxLimits limits;
  EXPECT_EQ(Workspace::Open(*zone_, As(outsider_), "tourism_study", limits).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(Workspace::Open(*zone_, As(admin_), "tourism_study", limits).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(Workspace::Open(*zone_, As(reviewer_), "tourism_study", limits).status().code(),
            Code::kPermissionDenied);
  // After the period nobody gets in, not even the operator holding the key.
  clock_.Set(SeoulMidnight(Day(2026, 7, 1)));
  EXPECT_EQ(Workspace::Open(*zone_, As(analyst_), "tourism_study", limits).status().code(),
            Code::kPermissionDenied);
  auto op = Workspace::Open(*zone_, Caller::Operator(), "tourism_study", limits);
  EXPECT_EQ(op.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(op.status().message().find("expired"), std::string::npos);
  // A draft has no workspace either.
  ASSERT_TRUE(CreateProject(*zone_, As(analyst2_), Spec("draft_only")).ok());
  clock_.Set(Start());
  EXPECT_EQ(Workspace::Open(*zone_, Caller::Operator(), "draft_only", limits).status().code(),
            Code::kFailedPrecondition);
}

TEST_F(WorkspaceTest, ChangesTakeEffectMidSession) {
  ApprovedProject();
  ASSERT_TRUE(
      AddMember(*zone_, As(admin_), "tourism_study", {analyst2_, MemberRole::kAnalyst}).ok());
  auto w = OpenAs(analyst2_);
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->Run("SELECT 1").ok());
  ASSERT_TRUE(RemoveMember(*zone_, As(admin_), "tourism_study", analyst2_).ok());
  EXPECT_EQ(w->Run("SELECT 1").status().code(), Code::kPermissionDenied);

  auto lead = OpenAs(analyst_);
  ASSERT_TRUE(lead);
  clock_.Set(SeoulMidnight(Day(2026, 7, 1)));  // the period ends while the session is open

  // The session's caller was authenticated before midnight, so the policy still sees the
  // old day; the zone's own check against its clock stops the query.
  auto after = lead->Run("SELECT count(*) FROM residents");
  EXPECT_EQ(after.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(after.status().message().find("expired"), std::string::npos);
}

TEST_F(WorkspaceTest, PersonsAreCountedThroughJoins) {
  ApprovedProject();
  auto w = OpenAs(analyst_);
  ASSERT_TRUE(w);
  ws::TableSpec spec;
  spec.from = "residents";
  spec.alias = "r";
  spec.joins = {{"card_tx", "c", "r.pid = c.pid", false}};
  spec.dimensions = {Dim("시도", {"r.sido"})};
  auto t = w->Tabulate(spec);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  // Persons with a card row: i < 40 (food) and i % 3 == 0 (travel), once each even with
  // two rows: 부산 25, 서울 15 + {42,45,48,51,54} = 20, 대구 {57} = 1, total 46.
  std::map<std::string, double> by;
  for (const auto& cell : t->table.cells)
    by[t->table.dimensions[0].categories[cell.categories[0]].label] = cell.value;
  EXPECT_EQ(by["부산"], 25);
  EXPECT_EQ(by["서울"], 20);
  EXPECT_EQ(by["대구"], 1);
  EXPECT_EQ(by["합계"], 46);
}

TEST_F(WorkspaceTest, OutputsAreSavedAsRevisions) {
  ApprovedProject();
  auto w = OpenAs(analyst_);
  ASSERT_TRUE(w);
  ws::TableSpec spec;
  spec.from = "residents";
  spec.dimensions = {Dim("시도", {"sido"}), Dim("성별", {"sex"})};
  auto saved = w->SaveTable("by_region_sex", OutputKind::kCrossTable, spec);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->revision, 1);
  EXPECT_EQ(saved->kind, OutputKind::kCrossTable);
  auto content = ReadOutput(*zone_, As(analyst_), "tourism_study", "by_region_sex");
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  const auto& table = std::get<disclosure::Table>(content->output.body);
  EXPECT_EQ(table.cells.size(), 12u);  // (합계 + 3 시도) x (합계 + 2 성별)
  EXPECT_EQ(content->output.uid, "by_region_sex");
  EXPECT_EQ(OutputContentHash(*content), saved->content_sha256);
  // Saving again makes revision 2 with a different hash; a kind that does not fit fails.
  spec.where = "age < 70";
  auto again = w->SaveTable("by_region_sex", OutputKind::kCrossTable, spec);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->revision, 2);
  EXPECT_NE(again->content_sha256, saved->content_sha256);
  EXPECT_EQ(w->SaveTable("wrong_kind", OutputKind::kMagnitudeTable, spec).status().code(),
            Code::kInvalidArgument);

  ws::RegressionSpec reg;
  reg.source.from = "residents";
  reg.outcome = "income";
  reg.predictors = {"age"};
  auto fit = w->SaveRegression("income_on_age", reg);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  auto file = w->SaveQueryResult("sido_list", "SELECT DISTINCT sido FROM residents ORDER BY 1");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(w->SaveQueryResult("bad", "CREATE TEMP TABLE x AS SELECT 1").status().code(),
            Code::kInvalidArgument);
  auto text = SaveFreeform(*zone_, As(analyst_), "tourism_study", "method_note", OutputKind::kText,
                           "method.md", "We tabulated residents by region.\n");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  auto list = ListOutputs(*zone_, As(analyst_), "tourism_study");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ((*list)[0].name, "by_region_sex");
  auto csv = ReadOutput(*zone_, As(analyst_), "tourism_study", "sido_list");
  ASSERT_TRUE(csv.ok());
  ASSERT_EQ(csv->attachments.size(), 1u);
  EXPECT_EQ(csv->attachments[0].content, "sido\n대구\n부산\n서울\n");
  auto regression = ReadOutput(*zone_, As(analyst_), "tourism_study", "income_on_age");
  ASSERT_TRUE(regression.ok());
  const auto& evidence = std::get<disclosure::RegressionEvidence>(regression->output.body);
  EXPECT_EQ(evidence.observations, 60);
  EXPECT_EQ(evidence.residual_df, 58);
  // income = 1000 + 10 i and age = 20 + i: slope exactly 10.
  EXPECT_NE(regression->attachments[0].content.find("age,10,"), std::string::npos)
      << regression->attachments[0].content;
  // Outsiders read nothing.
  EXPECT_EQ(ReadOutput(*zone_, As(outsider_), "tourism_study", "by_region_sex").status().code(),
            Code::kPermissionDenied);
}

TEST_F(WorkspaceTest, TamperedOutputFilesAreDetected) {
  ApprovedProject();
  auto w = OpenAs(analyst_);
  ASSERT_TRUE(w);
  auto text = SaveFreeform(*zone_, As(analyst_), "tourism_study", "note", OutputKind::kText,
                           "note.txt", "hello");
  ASSERT_TRUE(text.ok());
  auto st = zone_->db().Query("SELECT file FROM output_revisions WHERE output_id = ?1", text->id);
  ASSERT_TRUE(st.ok() && *st->Step());
  std::string path = zone_->dir() + "/" + st->Text(0);
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(40);
  f.put('\x7f');
  f.close();
  EXPECT_EQ(ReadOutput(*zone_, As(analyst_), "tourism_study", "note").status().code(),
            Code::kDataLoss);
}

TEST_F(WorkspaceTest, BatchScriptsStopAtTheFirstFailure) {
  ApprovedProject();
  auto w = OpenAs(analyst_);
  ASSERT_TRUE(w);
  auto ok = w->RunScript(
      "CREATE TEMP TABLE b AS SELECT * FROM residents WHERE sido = '부산';\nSELECT count(*) FROM "
      "b;");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ(Cell((*ok)[1]), "25");
  auto bad = w->RunScript("SELECT 1; ATTACH ':memory:' AS x; SELECT 2;");
  EXPECT_EQ(bad.status().code(), Code::kPermissionDenied);
  EXPECT_NE(bad.status().message().find("statement 2 of 3"), std::string::npos);
}

}  // namespace
}  // namespace sz::zone
