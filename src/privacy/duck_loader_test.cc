#include "privacy/duck_loader.h"

#include <gtest/gtest.h>

#include "privacy/models.h"

namespace sz::privacy {
namespace {

class DuckLoader : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = duck::Database::Open(duck::Options{1, "", "", true}).value();
    conn_ = duck::Connection::Open(db_).value();
  }
  duck::Database db_;
  duck::Connection conn_;
};

TEST_F(DuckLoader, LoadsTypedColumnsAsTextWithNullAsMissing) {
  ASSERT_TRUE(conn_.Execute("CREATE TABLE people (age INTEGER, city VARCHAR, pay DOUBLE)").ok());
  ASSERT_TRUE(conn_
                  .Execute("INSERT INTO people VALUES (39, 'Seoul', 10), (41, NULL, 20), "
                           "(39, '', 10), (NULL, 'Busan', 30)")
                  .ok());
  LoadSpec spec;
  spec.quasi_identifiers.push_back(
      {"age", Hierarchy::ParseArxCsv("39;30-39;*\n41;40-49;*\n").value()});
  spec.quasi_identifiers.push_back({"city", std::nullopt});
  spec.sensitive = "pay";
  spec.sensitive_order = ValueOrder::kNumeric;
  auto d = LoadDataset(conn_, "people", spec);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->rows(), 4);
  const QuasiIdentifier& age = d->qi(0);
  EXPECT_EQ(age.codes()[0], age.codes()[2]);
  EXPECT_EQ(age.hierarchy().GroupLabel(0, age.codes()[3]), "");  // NULL age is missing
  const QuasiIdentifier& city = d->qi(1);
  EXPECT_EQ(city.codes()[1], city.codes()[2]);  // NULL and '' are the same missing value
  EXPECT_NE(city.codes()[0], city.codes()[1]);
  EXPECT_EQ(d->sensitive()->Label(0), "10.0");  // DOUBLE cast to VARCHAR
  // Missing records form their own class.
  Criteria c;
  c.models.push_back(PrivacyModel::KAnonymity(1));
  auto r = Check(*d, std::vector<int>{0, 0}, c);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->classes, 4);
  auto coarse = Check(*d, std::vector<int>{1, 1}, c);
  EXPECT_EQ(coarse->classes, 3);  // 30-39, 40-49, missing age; city is '*'
}

TEST_F(DuckLoader, StreamsManyChunks) {
  // 10,000 rows span several 2,048-row chunks.
  ASSERT_TRUE(
      conn_.Execute("CREATE TABLE t AS SELECT (i % 7)::INTEGER AS v FROM range(10000) r(i)").ok());
  LoadSpec spec;
  spec.quasi_identifiers.push_back({"v", std::nullopt});
  auto d = LoadDataset(conn_, "t", spec);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->rows(), 10000);
  EXPECT_EQ(d->qi(0).hierarchy().value_count(), 7u);
  for (int64_t r = 0; r < 10000; r += 997) {
    EXPECT_EQ(d->qi(0).hierarchy().GroupLabel(0, d->qi(0).codes()[r]), std::to_string(r % 7));
  }
}

TEST_F(DuckLoader, ReportsMissingTablesColumnsAndUncoveredValues) {
  ASSERT_TRUE(conn_.Execute("CREATE TABLE t (v VARCHAR)").ok());
  ASSERT_TRUE(conn_.Execute("INSERT INTO t VALUES ('a'), ('b')").ok());
  LoadSpec spec;
  spec.quasi_identifiers.push_back({"v", Hierarchy::ParseArxCsv("a;*\n").value()});
  EXPECT_EQ(LoadDataset(conn_, "t", spec).status().code(), Code::kInvalidArgument);  // 'b'
  EXPECT_FALSE(LoadDataset(conn_, "nope", spec).ok());
  LoadSpec wrong;
  wrong.quasi_identifiers.push_back({"w", std::nullopt});
  EXPECT_FALSE(LoadDataset(conn_, "t", wrong).ok());
}

TEST_F(DuckLoader, LoadsPopulationCountsForJournalistRisk) {
  ASSERT_TRUE(
      conn_.Execute("CREATE TABLE s AS SELECT * FROM (VALUES ('a'), ('a'), ('b')) t(v)").ok());
  ASSERT_TRUE(
      conn_
          .Execute(
              "CREATE TABLE p AS SELECT * FROM (VALUES ('a', 10), ('b', 1), ('c', 5)) t(v, people)")
          .ok());
  LoadSpec spec;
  spec.quasi_identifiers.push_back({"v", Hierarchy::ParseArxCsv("a;*\nb;*\nc;*\n").value()});
  auto sample = LoadDataset(conn_, "s", spec);
  ASSERT_TRUE(sample.ok());
  auto pop = LoadPopulation(conn_, "SELECT * FROM p", *sample, "people");
  ASSERT_TRUE(pop.ok()) << pop.status().ToString();
  EXPECT_EQ(pop->total(), 16);
  RiskOptions o;
  o.population = &*pop;
  auto r = AssessRisk(*sample, std::vector<int>{0}, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_DOUBLE_EQ(r->journalist->highest, 1);  // 'b' is unique in the population
  EXPECT_DOUBLE_EQ(r->journalist->average, (2.0 / 10 + 1.0 / 1) / 3);
  EXPECT_EQ(r->journalist->population_uniques, 1);
  ASSERT_TRUE(conn_.Execute("CREATE TABLE bad AS SELECT 'a' AS v, 'many' AS people").ok());
  EXPECT_EQ(LoadPopulation(conn_, "SELECT * FROM bad", *sample, "people").status().code(),
            Code::kInvalidArgument);
}

TEST_F(DuckLoader, QuotesTableNames) {
  ASSERT_TRUE(conn_.Execute("CREATE TABLE \"odd \"\"name\" (v VARCHAR)").ok());
  ASSERT_TRUE(conn_.Execute("INSERT INTO \"odd \"\"name\" VALUES ('x')").ok());
  LoadSpec spec;
  spec.quasi_identifiers.push_back({"v", std::nullopt});
  auto d = LoadDataset(conn_, "odd \"name", spec);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->rows(), 1);
}

}  // namespace
}  // namespace sz::privacy
