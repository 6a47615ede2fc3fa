#include "workspace/sandbox.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_util.h"
#include "workspace/sql_text.h"

namespace sz::workspace {
namespace {

// Writes a Parquet file with DuckDB (outside any sandbox) and returns its path.
std::string WriteParquet(const std::string& path, const std::string& select) {
  auto db = duck::Database::Open({});
  auto conn = duck::Connection::Open(*db);
  Status s =
      conn->Execute("COPY (" + select + ") TO " + duck::QuoteLiteral(path) + " (FORMAT parquet)");
  EXPECT_TRUE(s.ok()) << s.ToString();
  return path;
}

class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    people_ = WriteParquet(
        tmp_ / "people.parquet",
        "SELECT * FROM (VALUES ('p1', '부산', 30, 'secret-a'), ('p2', '부산', 40, 'secret-b'), "
        "('p3', '서울', 50, 'secret-c')) t(pid, sido, age, rrn)");
    cards_ =
        WriteParquet(tmp_ / "cards.parquet",
                     "SELECT * FROM (VALUES ('p1', 100), ('p1', 50), ('p3', 10)) t(pid, amount)");
    other_ = WriteParquet(tmp_ / "other.parquet", "SELECT 42 AS answer");
    std::ofstream(tmp_ / "plain.csv") << "a,b\n1,2\n";
  }

  std::unique_ptr<Sandbox> Open(SandboxLimits limits = {}) {
    limits.threads = 1;
    std::vector<SandboxTable> tables = {
        {"people", people_, {"pid", "sido", "age"}, "pid", "dataset:1@1"},
        {"cards", cards_, {"pid", "amount"}, "pid", "dataset:2@1"},
    };
    auto box = Sandbox::Create(tables, limits);
    EXPECT_TRUE(box.ok()) << box.status().ToString();
    return box.ok() ? std::move(*box) : nullptr;
  }

  sz::testing::TempDir tmp_;
  std::string people_, cards_, other_;
};

TEST_F(SandboxTest, SeesExactlyTheApprovedColumnsPlusThePersonKey) {
  auto box = Open();
  auto r = box->Execute("SELECT * FROM people ORDER BY pid");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->columns, (std::vector<std::string>{"pid", "sido", "age", "sz_person"}));
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(duck::ValueToString(r->rows[0][1]), "부산");
  EXPECT_EQ(r->touched, std::vector<std::string>{"dataset:1@1"});
  // The column that was not approved is not there.
  auto rrn = box->Execute("SELECT rrn FROM people");
  EXPECT_EQ(rrn.status().code(), Code::kInvalidArgument);
  // Only the approved tables exist.
  auto tables = box->Execute("SELECT table_name FROM duckdb_tables() ORDER BY 1");
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  ASSERT_EQ(tables->rows.size(), 2u);
  EXPECT_EQ(duck::ValueToString(tables->rows[0][0]), "cards");
  EXPECT_EQ(duck::ValueToString(tables->rows[1][0]), "people");
}

TEST_F(SandboxTest, PersonKeyJoinsAcrossTablesAndHidesThePseudonym) {
  auto box = Open();
  auto r = box->Execute(
      "SELECT count(*) FROM people p JOIN cards c ON p.pid = c.pid WHERE p.sz_person = "
      "c.sz_person");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(duck::ValueToString(r->rows[0][0]), "3");
  auto distinct = box->Execute("SELECT count(DISTINCT sz_person) FROM cards");
  ASSERT_TRUE(distinct.ok());
  EXPECT_EQ(duck::ValueToString(distinct->rows[0][0]), "2");
  auto differs = box->Execute("SELECT count(*) FROM people WHERE CAST(sz_person AS VARCHAR) = pid");
  ASSERT_TRUE(differs.ok());
  EXPECT_EQ(duck::ValueToString(differs->rows[0][0]), "0");
}

TEST_F(SandboxTest, FileReadingFunctionsAreBlocked) {
  auto box = Open();
  for (const std::string& q : std::vector<std::string>{
           "SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM read_csv_auto('/etc/passwd')",
           "SELECT * FROM read_text('/etc/passwd')", "SELECT * FROM read_blob('/etc/passwd')",
           "SELECT * FROM glob('/etc/*')", "SELECT * FROM read_json('/etc/passwd')",
           "SELECT * FROM sniff_csv('/etc/passwd')", "SELECT * FROM read_parquet('" + other_ + "')",
           "SELECT * FROM read_csv('" + tmp_ / "plain.csv" + "')",
           "SELECT * FROM read_parquet('/proc/self/fd/3')",
           "SELECT * FROM parquet_metadata('" + other_ + "')"}) {
    auto r = box->Execute(q);
    EXPECT_EQ(r.status().code(), Code::kPermissionDenied) << q << " -> " << r.status().ToString();
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos);
  }
  // A bare path in FROM: refused or not even looked up as a file (replacement scans off).
  for (const std::string& q :
       {std::string("SELECT * FROM '/etc/passwd'"), "SELECT * FROM '" + other_ + "'"}) {
    auto r = box->Execute(q);
    EXPECT_TRUE(r.status().code() == Code::kPermissionDenied ||
                r.status().code() == Code::kInvalidArgument)
        << q << " -> " << r.status().ToString();
  }
}

TEST_F(SandboxTest, StatementsOutsideTheAllowListAreRefused) {
  auto box = Open();
  std::string out = tmp_ / "out.csv";
  for (const std::string& q :
       std::vector<std::string>{"COPY people TO '" + out + "'",
                                "COPY (SELECT * FROM people) TO '" + out + "' (FORMAT csv)",
                                "EXPORT DATABASE '" + tmp_ / "exp" + "'",
                                "IMPORT DATABASE '" + tmp_ / "exp" + "'",
                                "ATTACH ':memory:' AS m2",
                                "ATTACH '" + tmp_ / "x.db" + "' AS x",
                                "DETACH memory",
                                "INSTALL httpfs",
                                "LOAD httpfs",
                                "LOAD json",
                                "SET enable_external_access = true",
                                "SET lock_configuration = false",
                                "RESET enable_external_access",
                                "SET threads = 8",
                                "SET memory_limit = '100GB'",
                                "PRAGMA memory_limit = '100GB'",
                                "USE temp",
                                "CHECKPOINT",
                                "CALL pragma_version()",
                                "INSERT INTO people VALUES ('x', 'y', 1)",
                                "DELETE FROM people",
                                "UPDATE people SET age = 0",
                                "DROP TABLE people",
                                "DROP TABLE main.people",
                                "ALTER TABLE people ADD COLUMN z INT",
                                "CREATE TABLE t AS SELECT 1",
                                "CREATE VIEW v AS SELECT 1",
                                "CREATE TEMP TABLE t (a INT)",
                                "CREATE MACRO m(a) AS a",
                                "CREATE TEMP MACRO m(a) AS a",
                                "CREATE SCHEMA s",
                                "CREATE SEQUENCE q",
                                "CREATE TEMP TABLE main.t AS SELECT 1",
                                "BEGIN TRANSACTION",
                                "VACUUM",
                                "EXPLAIN ANALYZE CREATE TABLE t AS SELECT 1",
                                "EXPLAIN COPY people TO '" + out + "'",
                                "SET VARIABLE x = 1",
                                "PREPARE p AS SELECT 1",
                                "CREATE SECRET s (TYPE s3, KEY_ID 'x')"}) {
    auto r = box->Execute(q);
    EXPECT_FALSE(r.ok()) << q;
    EXPECT_TRUE(r.status().code() == Code::kPermissionDenied ||
                r.status().code() == Code::kInvalidArgument)
        << q << " -> " << r.status().ToString();
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos) << q;
  }
  EXPECT_FALSE(std::ifstream(out).good());
  // Still locked and intact afterwards.
  auto setting =
      box->Execute("SELECT current_setting('enable_external_access'), current_setting('threads')");
  ASSERT_TRUE(setting.ok());
  EXPECT_EQ(duck::ValueToString(setting->rows[0][0]), "false");
  EXPECT_EQ(duck::ValueToString(setting->rows[0][1]), "1");
  auto count = box->Execute("SELECT count(*) FROM people");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(duck::ValueToString(count->rows[0][0]), "3");
}

TEST_F(SandboxTest, RefusalsSayWhatIsAllowed) {
  auto box = Open();
  auto r = box->Execute("ATTACH ':memory:' AS m2");
  EXPECT_EQ(r.status().code(), Code::kPermissionDenied);
  EXPECT_NE(r.status().message().find("ATTACH is not allowed"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("CREATE TEMP"), std::string::npos);
  auto two = box->Execute("SELECT 1; SELECT 2");
  EXPECT_EQ(two.status().code(), Code::kInvalidArgument);
}

TEST_F(SandboxTest, ScratchTablesAndViewsComeAndGo) {
  auto box = Open();
  auto t = box->Execute("CREATE TEMP TABLE busan AS SELECT * FROM people WHERE sido = '부산'");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->message, "created temporary table busan");
  auto v = box->Execute(
      "CREATE OR REPLACE TEMPORARY VIEW spend AS SELECT pid, sum(amount) s FROM cards GROUP BY "
      "pid;");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  auto q = box->Execute("SELECT count(*) FROM busan b JOIN spend s USING (pid)");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(duck::ValueToString(q->rows[0][0]), "1");
  // Reads through scratch objects are traced to the approved tables behind them.
  EXPECT_EQ(q->touched, (std::vector<std::string>{"dataset:1@1", "dataset:2@1"}));
  EXPECT_EQ(box->Execute("CREATE TEMP VIEW people AS SELECT 1").status().code(),
            Code::kInvalidArgument);
  ASSERT_TRUE(box->Execute("DROP TABLE busan").ok());
  ASSERT_TRUE(box->Execute("DROP VIEW IF EXISTS spend").ok());
  EXPECT_EQ(box->Execute("SELECT * FROM busan").status().code(), Code::kInvalidArgument);
  // DROP only ever reaches the temporary catalog.
  EXPECT_EQ(box->Execute("DROP TABLE people").status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(box->Execute("SELECT * FROM people").ok());
}

TEST_F(SandboxTest, ExplainAndFriendlyQueryFormsWork) {
  auto box = Open();
  for (const std::string& q : std::vector<std::string>{
           "EXPLAIN SELECT * FROM people", "EXPLAIN ANALYZE SELECT count(*) FROM people",
           "WITH x AS (SELECT 1 AS a) SELECT a FROM x", "FROM people LIMIT 1", "DESCRIBE people",
           "SUMMARIZE people", "SHOW TABLES", "VALUES (1, 2)",
           "SELECT [1, 2] AS l, INTERVAL 3 DAY AS i, {'a': 1} AS s",
           "-- a comment\nSELECT 1 /* inline */;"}) {
    auto r = box->Execute(q);
    EXPECT_TRUE(r.ok()) << q << " -> " << r.status().ToString();
  }
  auto nested = box->Execute("SELECT [1, 2] AS l");
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(duck::ValueToString(nested->rows[0][0]), "[1, 2]");
}

TEST_F(SandboxTest, ResultRowsAreCapped) {
  SandboxLimits limits;
  limits.max_result_rows = 5;
  auto box = Open(limits);
  auto r = box->Execute("SELECT * FROM range(1000)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.size(), 5u);
  EXPECT_TRUE(r->truncated);
  auto small = box->Execute("SELECT * FROM range(5)");
  ASSERT_TRUE(small.ok());
  EXPECT_FALSE(small->truncated);
}

TEST_F(SandboxTest, TimeLimitStopsTheQueryAndTheSessionGoesOn) {
  SandboxLimits limits;
  limits.query_timeout = std::chrono::milliseconds(300);
  auto box = Open(limits);
  auto r = box->Execute(
      "SELECT count(*) FROM range(100000) a, range(1000000) b WHERE a.range + b.range = -1");
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded) << r.status().ToString();
  EXPECT_NE(r.status().message().find("time limit"), std::string::npos);
  auto after = box->Execute("SELECT count(*) FROM people");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(duck::ValueToString(after->rows[0][0]), "3");
}

TEST_F(SandboxTest, CancelFlagStopsTheQuery) {
  auto box = Open();
  std::atomic<bool> cancel{true};
  auto r = box->Execute(
      "SELECT count(*) FROM range(100000) a, range(1000000) b WHERE a.range + b.range = -1",
      &cancel);
  EXPECT_EQ(r.status().code(), Code::kCancelled) << r.status().ToString();
  EXPECT_TRUE(box->Execute("SELECT 1").ok());
}

TEST_F(SandboxTest, MemoryLimitGivesAClearMessage) {
  SandboxLimits limits;
  limits.memory_limit = "64MB";
  auto box = Open(limits);
  auto r = box->Execute(
      "SELECT count(*) FROM (SELECT DISTINCT CAST(range AS VARCHAR) || 'padding-padding' FROM "
      "range(20000000))");
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted) << r.status().ToString();
  EXPECT_NE(r.status().message().find("memory"), std::string::npos);
  EXPECT_NE(r.status().message().find("64MB"), std::string::npos);
  EXPECT_TRUE(box->Execute("SELECT count(*) FROM people").ok());
}

TEST(SqlText, SplitsScriptsAtTopLevelSemicolons) {
  auto parts =
      SplitStatements("SELECT ';' AS a; -- c;\nSELECT $$x;y$$; /* ; */ ; SELECT \"a;b\" FROM t");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0], "SELECT ';' AS a");
  EXPECT_EQ((*parts)[1], "-- c;\nSELECT $$x;y$$");
  EXPECT_EQ((*parts)[2], "SELECT \"a;b\" FROM t");
  EXPECT_EQ(SplitStatements("SELECT 'open").status().code(), Code::kInvalidArgument);
}

TEST(SqlText, ExpressionFragmentsCannotBreakOut) {
  EXPECT_TRUE(
      CheckExpressionFragment("measure", "CASE WHEN age < 30 THEN '(young' ELSE 'old)' END").ok());
  EXPECT_TRUE(CheckExpressionFragment("filter", "sido IN ('부산', '서울') AND (age > 3)").ok());
  for (const char* bad : {"1) FROM other --", "a; DROP TABLE people", "a /* x */", "a -- x", "(a",
                          "a)", "", "  ", "$1", "x = ?"}) {
    EXPECT_EQ(CheckExpressionFragment("dimension", bad).code(), Code::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace sz::workspace
