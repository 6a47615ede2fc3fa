#include "workspace/tabulate.h"

#include <gtest/gtest.h>

#include "disclosure/checks.h"
#include "disclosure/table_index.h"
#include "test_util.h"

namespace sz::workspace {
namespace {

using disclosure::Table;

std::string WriteParquet(const std::string& path, const std::string& select) {
  auto db = duck::Database::Open({});
  auto conn = duck::Connection::Open(*db);
  Status s =
      conn->Execute("COPY (" + select + ") TO " + duck::QuoteLiteral(path) + " (FORMAT parquet)");
  EXPECT_TRUE(s.ok()) << s.ToString();
  return path;
}

// people: one row per person. cards: transactions, several per person; p9 has no row in
// people, p2's amount is NULL, p3 has a refund, p5 a negative total.
class TabulateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string people = WriteParquet(tmp_ / "people.parquet", R"(
      SELECT * FROM (VALUES ('p1', '부산', 'M', 30), ('p2', '부산', 'F', 40), ('p3', '서울', 'M', 50),
                            ('p4', '서울', 'M', 20), ('p5', '서울', 'F', 60)) t(pid, sido, sex, age))");
    std::string cards = WriteParquet(tmp_ / "cards.parquet", R"(
      SELECT * FROM (VALUES ('p1', 100, 'food'), ('p1', 50, 'travel'), ('p3', 10, 'food'),
                            ('p3', -5, 'food'), ('p4', 200, 'travel'), ('p9', 70, 'food'),
                            ('p5', -30, 'travel'), ('p2', NULL, 'food')) t(pid, amount, kind))");
    std::string survey = WriteParquet(
        tmp_ / "survey.parquet",
        "SELECT * FROM (VALUES ('a', 1), ('a', 2), ('b', 3), ('b', NULL)) t(answer, score)");
    std::vector<SandboxTable> tables = {
        {"people", people, {"pid", "sido", "sex", "age"}, "pid", "dataset:1@1"},
        {"cards", cards, {"pid", "amount", "kind"}, "pid", "dataset:2@1"},
        {"survey", survey, {"answer", "score"}, "", "dataset:3@1"},
    };
    SandboxLimits limits;
    limits.threads = 1;
    auto box = Sandbox::Create(tables, limits);
    ASSERT_TRUE(box.ok()) << box.status().ToString();
    box_ = std::move(*box);
  }

  Tabulation Run(const TableSpec& spec) {
    auto t = Tabulate(*box_, spec);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    if (!t.ok()) return {};
    EXPECT_TRUE(disclosure::TableIndex::Build(t->table).ok());
    return std::move(*t);
  }

  // The cell whose categories have these labels ("합계" for a total).
  const disclosure::Cell& At(const Table& t, std::vector<std::string> labels) {
    for (const auto& cell : t.cells) {
      bool match = true;
      for (size_t d = 0; d < labels.size(); ++d)
        match &= t.dimensions[d].categories[cell.categories[d]].label == labels[d];
      if (match) return cell;
    }
    ADD_FAILURE() << "no cell " << ::testing::PrintToString(labels);
    static disclosure::Cell none;
    return none;
  }

  static DimensionSpec Dim(std::string name, std::vector<std::string> levels) {
    DimensionSpec d;
    d.name = std::move(name);
    d.levels = std::move(levels);
    return d;
  }

  sz::testing::TempDir tmp_;
  std::unique_ptr<Sandbox> box_;
};

TEST_F(TabulateTest, PersonCountsWithMarginsAndZeroCells) {
  TableSpec spec;
  spec.from = "people";
  spec.dimensions = {Dim("시도", {"sido"}), Dim("성별", {"sex"})};
  Tabulation t = Run(spec);
  EXPECT_EQ(t.type, disclosure::OutputType::kFrequencyTable);
  ASSERT_EQ(t.table.cells.size(), 9u);  // (합계, 부산, 서울) x (합계, F, M)
  EXPECT_EQ(At(t.table, {"합계", "합계"}).value, 5);
  EXPECT_TRUE(At(t.table, {"합계", "합계"}).margin);
  EXPECT_EQ(At(t.table, {"부산", "합계"}).value, 2);
  EXPECT_EQ(At(t.table, {"서울", "M"}).value, 2);
  EXPECT_EQ(At(t.table, {"서울", "M"}).evidence.persons, 2);
  EXPECT_FALSE(At(t.table, {"서울", "M"}).margin);
  EXPECT_EQ(At(t.table, {"합계", "F"}).value, 2);
  EXPECT_EQ(t.touched, std::vector<std::string>{"dataset:1@1"});
  // One row per person: the evidence comes from one aggregation, no per-person level.
  auto sql = CompileEvidenceQuery(*box_, spec);
  ASSERT_TRUE(sql.ok());
  EXPECT_EQ(sql->find("p0, sum(m) AS c"), std::string::npos);
}

TEST_F(TabulateTest, MissingCombinationsBecomeZeroCells) {
  TableSpec spec;
  spec.from = "people";
  spec.where = "age >= 40";  // p2 (부산 F), p3 (서울 M), p5 (서울 F)
  spec.dimensions = {Dim("시도", {"sido"}), Dim("성별", {"sex"})};
  Tabulation t = Run(spec);
  ASSERT_EQ(t.table.cells.size(), 9u);
  EXPECT_EQ(At(t.table, {"부산", "M"}).value, 0);
  EXPECT_EQ(At(t.table, {"부산", "M"}).evidence.persons, 0);
  EXPECT_EQ(At(t.table, {"합계", "합계"}).value, 3);
  ASSERT_EQ(t.table.filters.size(), 1u);
  EXPECT_EQ(t.table.filters[0].variable, "where age >= 40");
}

TEST_F(TabulateTest, TransactionsCountEachPersonOncePerCellAndInMargins) {
  TableSpec spec;
  spec.from = "cards";
  spec.dimensions = {Dim("kind", {"kind"})};
  Tabulation t = Run(spec);
  // food: p1, p2, p3 (two rows), p9; travel: p1, p4, p5; total: six persons, not 4 + 3.
  EXPECT_EQ(At(t.table, {"food"}).value, 4);
  EXPECT_EQ(At(t.table, {"travel"}).value, 3);
  EXPECT_EQ(At(t.table, {"합계"}).value, 6);
  spec.aggregate = Aggregate::kRows;
  Tabulation rows = Run(spec);
  EXPECT_EQ(At(rows.table, {"food"}).value, 5);
  EXPECT_EQ(At(rows.table, {"food"}).evidence.persons, 4);
  EXPECT_EQ(At(rows.table, {"합계"}).value, 8);
}

TEST_F(TabulateTest, SumEvidenceAddsContributionsPerPersonFirst) {
  TableSpec spec;
  spec.from = "cards";
  spec.aggregate = Aggregate::kSum;
  spec.measure = "amount";
  spec.dimensions = {Dim("kind", {"kind"})};
  Tabulation t = Run(spec);
  EXPECT_EQ(t.type, disclosure::OutputType::kMagnitudeTable);
  const auto& food = At(t.table, {"food"});
  EXPECT_EQ(food.value, 175);  // 100 + 10 - 5 + 70
  EXPECT_EQ(food.evidence.persons, 4);
  EXPECT_EQ(food.evidence.top1, 100);  // p1
  EXPECT_EQ(food.evidence.top2, 70);   // p9 (p3 nets to 5)
  EXPECT_EQ(food.evidence.negative_contributions, 0);
  EXPECT_EQ(food.evidence.null_contributions, 1);  // p2
  const auto& travel = At(t.table, {"travel"});
  EXPECT_EQ(travel.value, 220);
  EXPECT_EQ(travel.evidence.top1, 200);
  EXPECT_EQ(travel.evidence.top2, 50);
  EXPECT_EQ(travel.evidence.negative_contributions, 1);  // p5
  const auto& total = At(t.table, {"합계"});
  EXPECT_EQ(total.value, 395);
  EXPECT_EQ(total.evidence.top1, 200);  // p4
  EXPECT_EQ(total.evidence.top2, 150);  // p1 across both kinds
  EXPECT_EQ(total.evidence.persons, 6);
  auto sql = CompileEvidenceQuery(*box_, spec);
  ASSERT_TRUE(sql.ok());
  EXPECT_NE(sql->find("p0, sum(m) AS c"), std::string::npos);
}

TEST_F(TabulateTest, JoinedTablesCountAPersonOnce) {
  TableSpec spec;
  spec.from = "people";
  spec.joins = {{"cards", "", "people.pid = cards.pid", false}};
  spec.dimensions = {Dim("시도", {"people.sido"})};
  Tabulation t = Run(spec);
  // 부산: p1 (two card rows) and p2; 서울: p3 (two rows), p4, p5. p9 has no person row.
  EXPECT_EQ(At(t.table, {"부산"}).value, 2);
  EXPECT_EQ(At(t.table, {"서울"}).value, 3);
  EXPECT_EQ(At(t.table, {"합계"}).value, 5);
  EXPECT_EQ(t.touched, (std::vector<std::string>{"dataset:1@1", "dataset:2@1"}));
  ASSERT_EQ(t.table.filters.size(), 1u);  // the inner join restricts the population

  spec.aggregate = Aggregate::kSum;
  spec.measure = "cards.amount";
  Tabulation sums = Run(spec);
  const auto& seoul = At(sums.table, {"서울"});
  EXPECT_EQ(seoul.value, 175);  // 10 - 5 + 200 - 30
  EXPECT_EQ(seoul.evidence.top1, 200);
  EXPECT_EQ(seoul.evidence.top2, 5);
  EXPECT_EQ(seoul.evidence.negative_contributions, 1);
  const auto& busan = At(sums.table, {"부산"});
  EXPECT_EQ(busan.value, 150);
  EXPECT_EQ(busan.evidence.persons, 2);
  EXPECT_EQ(busan.evidence.top1, 150);
  EXPECT_EQ(busan.evidence.top2, 0);  // p2 contributed only NULL

  spec.aggregate = Aggregate::kMean;
  Tabulation means = Run(spec);
  EXPECT_DOUBLE_EQ(At(means.table, {"서울"}).value, 175.0 / 4);
}

TEST_F(TabulateTest, HierarchicalDimension) {
  TableSpec spec;
  spec.from = "people";
  spec.dimensions = {Dim("지역", {"sido", "sex"})};
  Tabulation t = Run(spec);
  const auto& cats = t.table.dimensions[0].categories;
  ASSERT_EQ(cats.size(), 7u);
  std::vector<std::string> labels;
  std::vector<int32_t> parents;
  for (const auto& c : cats) {
    labels.push_back(c.label);
    parents.push_back(c.parent);
  }
  EXPECT_EQ(labels, (std::vector<std::string>{"합계", "부산", "F", "M", "서울", "F", "M"}));
  EXPECT_EQ(parents, (std::vector<int32_t>{-1, 0, 1, 1, 0, 4, 4}));
  ASSERT_EQ(t.table.cells.size(), 7u);
  EXPECT_EQ(t.table.cells[4].value, 3);  // 서울
  EXPECT_EQ(t.table.cells[6].value, 2);  // 서울 > M
  EXPECT_EQ(cats[6].codes, std::vector<std::string>{"서울/M"});
  EXPECT_EQ(t.table.dimensions[0].variable, "sido > sex");
}

TEST_F(TabulateTest, RowStatisticsAndFilters) {
  TableSpec spec;
  spec.from = "cards";
  spec.aggregate = Aggregate::kMedian;
  spec.measure = "amount";
  spec.dimensions = {Dim("kind", {"kind"})};
  Tabulation t = Run(spec);
  EXPECT_EQ(t.type, disclosure::OutputType::kQuantiles);
  EXPECT_EQ(At(t.table, {"food"}).value, 40);    // median of -5, 10, 70, 100
  EXPECT_EQ(At(t.table, {"travel"}).value, 50);  // median of -30, 50, 200
  EXPECT_EQ(At(t.table, {"합계"}).value, 50);
  EXPECT_EQ(At(t.table, {"food"}).evidence.persons, 4);
  EXPECT_EQ(t.table.cells.size(), 3u);  // not completed: a median has no zero cell

  spec.aggregate = Aggregate::kMax;
  spec.filters = {{"kind", {"travel"}}};
  Tabulation m = Run(spec);
  EXPECT_EQ(m.type, disclosure::OutputType::kExtremes);
  EXPECT_EQ(At(m.table, {"travel"}).value, 200);
  EXPECT_EQ(At(m.table, {"합계"}).value, 200);
  ASSERT_EQ(m.table.filters.size(), 1u);
  EXPECT_EQ(m.table.filters[0].codes, std::vector<std::string>{"travel"});
}

TEST_F(TabulateTest, RowNumberIsThePersonWithoutAPseudonymColumn) {
  TableSpec spec;
  spec.from = "survey";
  spec.dimensions = {Dim("answer", {"answer"})};
  Tabulation t = Run(spec);
  EXPECT_EQ(At(t.table, {"a"}).value, 2);
  EXPECT_EQ(At(t.table, {"b"}).value, 2);
  EXPECT_EQ(At(t.table, {"합계"}).value, 4);
}

TEST_F(TabulateTest, OneRowPerPersonSumsDeriveMarginsFromTheLeaves) {
  TableSpec spec;
  spec.from = "survey";
  spec.aggregate = Aggregate::kSum;
  spec.measure = "score";
  spec.dimensions = {Dim("answer", {"answer"})};
  Tabulation t = Run(spec);
  const auto& a = At(t.table, {"a"});
  EXPECT_EQ(a.value, 3);
  EXPECT_EQ(a.evidence.top1, 2);
  EXPECT_EQ(a.evidence.top2, 1);
  const auto& b = At(t.table, {"b"});
  EXPECT_EQ(b.value, 3);
  EXPECT_EQ(b.evidence.persons, 2);
  EXPECT_EQ(b.evidence.top1, 3);
  EXPECT_EQ(b.evidence.top2, 0);
  EXPECT_EQ(b.evidence.null_contributions, 1);
  const auto& total = At(t.table, {"합계"});
  EXPECT_EQ(total.value, 6);
  EXPECT_EQ(total.evidence.persons, 4);
  EXPECT_EQ(total.evidence.top1, 3);  // b's top one and a's top one: the two largest overall
  EXPECT_EQ(total.evidence.top2, 2);
  EXPECT_EQ(total.evidence.null_contributions, 1);
  auto sql = CompileEvidenceQuery(*box_, spec);
  ASSERT_TRUE(sql.ok());
  EXPECT_EQ(sql->find("p0, sum(m) AS c"), std::string::npos);  // no per-person level
}

TEST_F(TabulateTest, CheckerSeesTheEvidence) {
  TableSpec spec;
  spec.from = "cards";
  spec.aggregate = Aggregate::kSum;
  spec.measure = "amount";
  spec.dimensions = {Dim("kind", {"kind"})};
  Tabulation t = Run(spec);
  disclosure::Output out;
  out.type = t.type;
  out.body = t.table;
  auto report = disclosure::CheckOutput(out, disclosure::RiskAppetite::Defaults());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->verdict, disclosure::Verdict::kFail);
  EXPECT_EQ(report->CountRule(disclosure::Rule::kThreshold), 3u);  // every cell < 10 persons
  EXPECT_EQ(report->CountRule(disclosure::Rule::kNegative), 2u);   // travel and the total
  EXPECT_EQ(report->CountRule(disclosure::Rule::kMissing), 2u);    // food and the total
}

TEST_F(TabulateTest, BadDefinitionsAreRefused) {
  TableSpec spec;
  spec.from = "people";
  spec.dimensions = {Dim("시도", {"sido"})};
  auto expect_invalid = [&](TableSpec s, const char* why) {
    auto t = Tabulate(*box_, s);
    EXPECT_EQ(t.status().code(), Code::kInvalidArgument) << why << ": " << t.status().ToString();
  };
  TableSpec s = spec;
  s.from = "busan";
  expect_invalid(s, "not approved");
  ASSERT_TRUE(box_->Execute("CREATE TEMP TABLE busan AS SELECT * FROM people").ok());
  expect_invalid(s, "temporary tables have no trusted person key");
  s = spec;
  s.dimensions = {Dim("x", {"sido) AS k0_0, 1 AS p0 FROM people --"})};
  expect_invalid(s, "injection");
  s = spec;
  s.dimensions = {};
  expect_invalid(s, "no dimension");
  s = spec;
  s.aggregate = Aggregate::kSum;
  expect_invalid(s, "no measure");
  s = spec;
  s.joins = {{"nowhere", "", "true", false}};
  expect_invalid(s, "unknown join");
  s = spec;
  s.dimensions = {Dim("x", {"no_such_column"})};
  expect_invalid(s, "unknown column");
}

}  // namespace
}  // namespace sz::workspace
