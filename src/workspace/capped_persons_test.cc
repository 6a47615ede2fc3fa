#include "workspace/capped_persons.h"

#include <gtest/gtest.h>

#include "disclosure/checks.h"
#include "disclosure/table_index.h"
#include "storage/duck.h"
#include "test_util.h"
#include "workspace/tabulate.h"

namespace sz::workspace {
namespace {

// A bare DuckDB connection with the aggregate registered.
struct Db {
  Db() {
    duck::Options options;
    options.threads = 2;
    db = duck::Database::Open(options).value();
    conn = duck::Connection::Open(db).value();
    Status s = RegisterCappedPersons(conn.raw());
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  int64_t Scalar(const std::string& sql) {
    auto v = conn.Scalar(sql);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    if (!v.ok() || !std::holds_alternative<int64_t>(*v)) return -1;
    return std::get<int64_t>(*v);
  }
  duck::Database db;
  duck::Connection conn;
};

TEST(CappedPersons, ExactBelowTheCapAndTheCapAbove) {
  Db d;
  const std::string rows =
      "(VALUES ('a', 1), ('a', 1), ('a', 2), ('b', 1), ('b', 2), ('b', 3), ('b', 4), "
      "('c', NULL), ('c', 5)) t(g, p)";
  // a: keys {1, 2} -> 2; b: {1, 2, 3, 4} -> 3 (the cap: "3 or more"); c: NULL not counted.
  EXPECT_EQ(d.Scalar("SELECT sz_capped_persons(p::UBIGINT, 3) FROM " + rows + " WHERE g = 'a'"), 2);
  EXPECT_EQ(d.Scalar("SELECT sz_capped_persons(p::UBIGINT, 3) FROM " + rows + " WHERE g = 'b'"), 3);
  EXPECT_EQ(d.Scalar("SELECT sz_capped_persons(p::UBIGINT, 3) FROM " + rows + " WHERE g = 'c'"), 1);
  // Exactly cap distinct keys is "cap or more" too; one key below stays exact.
  EXPECT_EQ(d.Scalar("SELECT sz_capped_persons(p::UBIGINT, 4) FROM " + rows + " WHERE g = 'b'"), 4);
  EXPECT_EQ(d.Scalar("SELECT sz_capped_persons(p::UBIGINT, 5) FROM " + rows + " WHERE g = 'b'"), 4);
  EXPECT_EQ(d.Scalar("SELECT sz_capped_persons(p::UBIGINT, 1) FROM " + rows + " WHERE g = 'a'"), 1);
}

TEST(CappedPersons, GroupingSetsAndParallelPartialStatesCombineExactly) {
  Db d;
  // 600,000 rows (several row groups, so both threads build partial states); group
  // g = range % 3 holds keys (range % 21) of one residue class mod 3: 7 distinct keys.
  const std::string src = "(SELECT range % 3 AS g, range % 21 AS p FROM range(600000)) s";
  EXPECT_EQ(d.Scalar("SELECT max(n) FROM (SELECT g, sz_capped_persons(p::UBIGINT, 10) AS n FROM " + src +
                     " GROUP BY g)"),
            7);
  EXPECT_EQ(d.Scalar("SELECT min(n) FROM (SELECT g, sz_capped_persons(p::UBIGINT, 10) AS n FROM " + src +
                     " GROUP BY g)"),
            7);
  // The grand total (21 keys) saturates at the cap of 10; the groups stay exact.
  EXPECT_EQ(d.Scalar("SELECT CAST(sum(n) AS BIGINT) FROM (SELECT g, sz_capped_persons(p::UBIGINT, 10) AS n FROM " + src +
                     " GROUP BY GROUPING SETS ((g), ()))"),
            3 * 7 + 10);
  // Many distinct keys per group: saturated, whatever the thread split.
  EXPECT_EQ(d.Scalar("SELECT min(n) FROM (SELECT range % 3 AS g, sz_capped_persons(range::UBIGINT, "
                     "64) AS n FROM range(600000) GROUP BY g)"),
            64);
}

TEST(CappedPersons, CapOutOfRangeIsAnError) {
  Db d;
  EXPECT_FALSE(d.conn.Scalar("SELECT sz_capped_persons(range::UBIGINT, 0) FROM range(3)").ok());
  EXPECT_FALSE(d.conn.Scalar("SELECT sz_capped_persons(range::UBIGINT, 65) FROM range(3)").ok());
}

// Transaction data: persons 1..12 with cell (kind) memberships chosen so that the cells
// have 0..12 distinct persons around the cap, several rows per person.
class CappedTabulateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = duck::Database::Open({});
    auto conn = duck::Connection::Open(*db);
    // kind k (0..6) gets persons 1..2k (k=0: none), each with three rows; amounts differ
    // by person so that medians and maxima are well defined.
    std::string path = tmp_ / "tx.parquet";
    Status s = conn->Execute(
        "COPY (SELECT 'p' || person AS pid, 'k' || kind AS kind, region, "
        "person * 10 + r AS amount FROM range(1, 7) k(kind), range(1, 13) q(person), "
        "range(3) x(r), (VALUES ('north'), ('south')) v(region) "
        "WHERE person <= 2 * kind AND (region = 'north') = (person % 2 = 0)) TO " +
        duck::QuoteLiteral(path) + " (FORMAT parquet)");
    ASSERT_TRUE(s.ok()) << s.ToString();
    std::vector<SandboxTable> tables = {
        {"tx", path, {"pid", "kind", "region", "amount"}, "pid", "dataset:1@1"}};
    SandboxLimits limits;
    limits.threads = 2;
    auto box = Sandbox::Create(tables, limits);
    ASSERT_TRUE(box.ok()) << box.status().ToString();
    box_ = std::move(*box);
  }

  Tabulation Run(const TableSpec& spec, int64_t cap) {
    TabulateOptions options;
    options.person_cap = cap;
    auto t = Tabulate(*box_, spec, nullptr, options);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? std::move(*t) : Tabulation{};
  }

  static TableSpec Spec(Aggregate aggregate) {
    TableSpec spec;
    spec.from = "tx";
    DimensionSpec kind, region;
    kind.name = "kind";
    kind.levels = {"kind"};
    region.name = "region";
    region.levels = {"region"};
    spec.dimensions = {kind, region};
    spec.aggregate = aggregate;
    if (aggregate != Aggregate::kRows) spec.measure = "amount";
    return spec;
  }

  // Checks that a capped table agrees with the exact one cell by cell: the same values,
  // exact person counts below the cap, the cap (flagged) at or above it, and the same
  // verdict under a threshold below the cap.
  void ExpectAgreement(Aggregate aggregate, int64_t cap, int64_t threshold) {
    SCOPED_TRACE(std::string(AggregateName(aggregate)));
    TableSpec spec = Spec(aggregate);
    Tabulation exact = Run(spec, 0);
    Tabulation capped = Run(spec, cap);
    ASSERT_EQ(exact.table.cells.size(), capped.table.cells.size());
    ASSERT_GT(exact.table.cells.size(), 0u);
    int saturated = 0, below = 0;
    for (size_t i = 0; i < exact.table.cells.size(); ++i) {
      const disclosure::Cell& e = exact.table.cells[i];
      const disclosure::Cell& c = capped.table.cells[i];
      ASSERT_EQ(e.categories, c.categories);
      EXPECT_EQ(e.value, c.value) << "cell " << i;
      EXPECT_FALSE(e.evidence.persons_capped);
      if (e.evidence.persons >= cap) {
        EXPECT_EQ(c.evidence.persons, cap) << "cell " << i;
        EXPECT_TRUE(c.evidence.persons_capped) << "cell " << i;
        ++saturated;
      } else {
        EXPECT_EQ(c.evidence.persons, e.evidence.persons) << "cell " << i;
        EXPECT_FALSE(c.evidence.persons_capped) << "cell " << i;
        ++below;
      }
    }
    EXPECT_GT(saturated, 0);  // the data straddle the cap
    EXPECT_GT(below, 0);
    disclosure::RiskAppetite a = disclosure::RiskAppetite::Defaults();
    a.threshold = threshold;
    a.min_residual_df = threshold - 1;
    a.min_observations_per_parameter = 1;
    auto check = [&](const Tabulation& t) {
      disclosure::Output out;
      out.type = t.type;
      out.body = t.table;
      auto report = disclosure::CheckOutput(out, a);
      EXPECT_TRUE(report.ok()) << report.status().ToString();
      return report.ok() ? std::move(*report) : disclosure::CheckReport{};
    };
    disclosure::CheckReport re = check(exact), rc = check(capped);
    ASSERT_EQ(re.cells.size(), rc.cells.size());
    EXPECT_EQ(re.verdict, rc.verdict);
    for (size_t i = 0; i < re.cells.size(); ++i)
      EXPECT_EQ(re.cells[i].verdict, rc.cells[i].verdict) << "cell " << i;
  }

  sz::testing::TempDir tmp_;
  std::unique_ptr<Sandbox> box_;
};

TEST_F(CappedTabulateTest, HandComputedCountsOfRows) {
  Tabulation t = Run(Spec(Aggregate::kRows), 6);
  // kind k3: persons 1..6 (3 rows each): 18 rows, 6 persons = the cap: "6 or more".
  // kind k2: persons 1..4: 12 rows, 4 persons, exact. k1 x north: person 2 only.
  int checked = 0;
  for (const disclosure::Cell& cell : t.table.cells) {
    std::string kind = t.table.dimensions[0].categories[cell.categories[0]].label;
    std::string region = t.table.dimensions[1].categories[cell.categories[1]].label;
    if (kind == "k3" && region == "합계") {
      EXPECT_EQ(cell.value, 18);
      EXPECT_EQ(cell.evidence.persons, 6);
      EXPECT_TRUE(cell.evidence.persons_capped);
      ++checked;
    } else if (kind == "k2" && region == "합계") {
      EXPECT_EQ(cell.value, 12);
      EXPECT_EQ(cell.evidence.persons, 4);
      EXPECT_FALSE(cell.evidence.persons_capped);
      ++checked;
    } else if (kind == "k1" && region == "north") {
      EXPECT_EQ(cell.value, 3);
      EXPECT_EQ(cell.evidence.persons, 1);
      EXPECT_FALSE(cell.evidence.persons_capped);
      ++checked;
    } else if (kind == "합계" && region == "합계") {
      EXPECT_EQ(cell.value, 3 * (2 + 4 + 6 + 8 + 10 + 12));
      EXPECT_EQ(cell.evidence.persons, 6);  // 12 persons, counted up to 6
      EXPECT_TRUE(cell.evidence.persons_capped);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4);
}

TEST_F(CappedTabulateTest, CappedAgreesWithExactWhereTheRulesDependOnIt) {
  // Cap 8, threshold 4..8: cells with 1..12 persons on both sides of both.
  for (int64_t threshold : {4, 8}) {
    SCOPED_TRACE(threshold);
    ExpectAgreement(Aggregate::kRows, 8, threshold);
    ExpectAgreement(Aggregate::kMedian, 8, threshold);
    ExpectAgreement(Aggregate::kMax, 8, threshold);
    ExpectAgreement(Aggregate::kVariance, 8, threshold);
  }
}

TEST_F(CappedTabulateTest, StatisticsThatNeedEveryPersonStayExact) {
  // The published person count and the per-person contributions of sums/means.
  EXPECT_FALSE(CapAllowed(Aggregate::kPersons));
  EXPECT_FALSE(CapAllowed(Aggregate::kSum));
  EXPECT_FALSE(CapAllowed(Aggregate::kMean));
  EXPECT_TRUE(CapAllowed(Aggregate::kRows));
  Tabulation t = Run(Spec(Aggregate::kPersons), 4);
  for (const disclosure::Cell& cell : t.table.cells) {
    EXPECT_FALSE(cell.evidence.persons_capped);
    EXPECT_EQ(cell.value, cell.evidence.persons);
  }
  Tabulation s = Run(Spec(Aggregate::kSum), 4);
  bool large = false;
  for (const disclosure::Cell& cell : s.table.cells) {
    EXPECT_FALSE(cell.evidence.persons_capped);
    large |= cell.evidence.persons > 4;
  }
  EXPECT_TRUE(large);
}

TEST_F(CappedTabulateTest, ACountBelowANewMinimumFailsAndSaysSo) {
  // Counted up to 4, then checked against a threshold of 6 (the appetite was raised).
  Tabulation t = Run(Spec(Aggregate::kRows), 4);
  disclosure::Output out;
  out.type = t.type;
  out.body = t.table;
  disclosure::RiskAppetite a = disclosure::RiskAppetite::Defaults();
  a.threshold = 6;
  auto report = disclosure::CheckOutput(out, a);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->verdict, disclosure::Verdict::kFail);
  bool said = false;
  for (const auto& cell : report->cells)
    for (const auto& f : cell.findings)
      said |= f.en.find("counted only up to 4") != std::string::npos;
  EXPECT_TRUE(said);
}

}  // namespace
}  // namespace sz::workspace
