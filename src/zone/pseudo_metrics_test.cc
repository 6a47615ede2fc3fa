#include "zone/pseudo_metrics.h"

#include <gtest/gtest.h>

#include <limits>
#include <memory>

#include "privacy/duck_loader.h"
#include "privacy/groupify.h"
#include "privacy/risk.h"

namespace sz::zone {
namespace {

// MeasureRelation groups in DuckDB; the privacy engine loads and groups itself. Both must
// agree, missing values included (NULL and '' are one value, a class of their own).
class MeasureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = duck::Database::Open({});
    ASSERT_TRUE(db.ok());
    db_ = std::make_unique<duck::Database>(std::move(*db));
    auto conn = duck::Connection::Open(*db_);
    ASSERT_TRUE(conn.ok());
    conn_ = std::make_unique<duck::Connection>(std::move(*conn));
    // 400 rows: a text QI with NULLs and empty strings, an integer QI with NULLs, a date
    // QI, and a sensitive text column with missing values too.
    ASSERT_TRUE(conn_->Execute(R"sql(
      CREATE TABLE t AS
      SELECT CASE WHEN i % 17 = 0 THEN NULL WHEN i % 13 = 0 THEN '' ELSE 'r' || (i % 5)::VARCHAR END AS region,
             CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 7)::INTEGER END AS band,
             DATE '2020-01-01' + (i % 3)::INTEGER AS day,
             CASE WHEN i % 19 = 0 THEN NULL WHEN i % 23 = 0 THEN '' ELSE 's' || (i % 4)::VARCHAR END AS diagnosis
      FROM range(400) r(i))sql").ok());
  }
  std::unique_ptr<duck::Database> db_;
  std::unique_ptr<duck::Connection> conn_;  // declared after db_: closed first
};

TEST_F(MeasureTest, AgreesWithThePrivacyEngineIncludingMissingValues) {
  for (const std::vector<std::string>& qis : std::vector<std::vector<std::string>>{
           {"region"}, {"region", "band"}, {"region", "band", "day"}, {"band", "day"}}) {
    SCOPED_TRACE(qis.size());
    auto m = MeasureRelation(*conn_, "t", qis, "diagnosis", 0.2);
    ASSERT_TRUE(m.ok()) << m.status().ToString();

    privacy::LoadSpec spec;
    for (const auto& q : qis) spec.quasi_identifiers.push_back({q, std::nullopt});
    spec.sensitive = "diagnosis";
    auto d = privacy::LoadDatasetFromQuery(*conn_, "SELECT * FROM t", spec);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    std::vector<int> levels(qis.size(), 0);
    privacy::RiskOptions ro;
    ro.threshold = 0.2;
    auto risk = privacy::AssessRisk(*d, levels, ro);
    ASSERT_TRUE(risk.ok());
    EXPECT_EQ(m->rows, 400);
    EXPECT_EQ(m->classes, risk->classes);
    EXPECT_EQ(*m->k, risk->class_sizes.front().size);
    EXPECT_DOUBLE_EQ(*m->prosecutor_max, risk->prosecutor_highest);
    EXPECT_DOUBLE_EQ(*m->prosecutor_avg, risk->prosecutor_average);
    EXPECT_DOUBLE_EQ(*m->records_above_threshold, risk->records_at_risk);
    EXPECT_DOUBLE_EQ(*m->sample_uniques, risk->sample_uniqueness);
    privacy::WorkerPool pool(1);
    auto cells = privacy::GroupRows(*d, levels, /*with_sensitive=*/true, pool);
    ASSERT_TRUE(cells.ok());
    privacy::ClassView view = privacy::MakeClassView(*cells);
    int64_t fewest = std::numeric_limits<int64_t>::max();
    double dm = 0;
    for (int64_t c = 0; c < view.classes; ++c) {
      fewest = std::min(fewest, view.End(c) - view.Begin(c));
      dm += static_cast<double>(view.size[c]) * static_cast<double>(view.size[c]);
    }
    EXPECT_EQ(*m->l_distinct, fewest);
    EXPECT_EQ(*m->discernibility, dm);
    ASSERT_EQ(m->distinct.size(), qis.size());
    for (int q = 0; q < d->qi_count(); ++q) {
      EXPECT_EQ(m->distinct[q].first, qis[q]);
      // The engine's column dictionary: every value once, missing included.
      auto column = privacy::LoadColumns(*conn_, "SELECT * FROM t", {qis[q]});
      ASSERT_TRUE(column.ok());
      EXPECT_EQ(m->distinct[q].second, (*column)[0].distinct()) << qis[q];
    }
  }
}

TEST_F(MeasureTest, HandCountsWithoutQuasiIdentifiersAndWithoutRows) {
  // region alone: r0..r4 and missing. Missing rows: i % 17 == 0 or i % 13 == 0 (24 + 31 - 2
  // = 53 rows); the rest split over i % 5.
  auto m = MeasureRelation(*conn_, "t", {"region"}, "", 0.2);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->classes, 6);
  EXPECT_FALSE(m->l_distinct.has_value());
  auto none = MeasureRelation(*conn_, "t", {}, "diagnosis", 0.2);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->classes, 1);
  EXPECT_EQ(*none->k, 400);
  EXPECT_EQ(*none->l_distinct, 5);  // s0..s3 and missing
  EXPECT_TRUE(none->distinct.empty());
  ASSERT_TRUE(conn_->Execute("CREATE TABLE empty AS SELECT * FROM t LIMIT 0").ok());
  auto empty = MeasureRelation(*conn_, "empty", {"region"}, "diagnosis", 0.2);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->rows, 0);
  EXPECT_FALSE(empty->k.has_value());
}

}  // namespace
}  // namespace sz::zone
