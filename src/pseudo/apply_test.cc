// End-to-end: policies applied to small in-memory tables, written as Parquet to a
// MemFile, read back and checked against hand-computed values.
#include "pseudo/apply.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "fmt/format.h"

namespace sz::pseudo {
namespace {

using ::testing::HasSubstr;

class ApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    duck::Options opts;
    opts.threads = 2;
    auto db = duck::Database::Open(opts);
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    auto conn = duck::Connection::Open(db_);
    ASSERT_TRUE(conn.ok());
    conn_ = std::move(*conn);
    auto out = storage::MemFile::Create("pseudo-out");
    ASSERT_TRUE(out.ok());
    out_ = std::move(*out);
    keys_.Add("cust", "project", std::string(20, '\x0b'));  // RFC 4231 test case 1 key
    keys_.Add("phone", "dataset", std::string(16, 'p'));
    keys_.Add("siv", "dataset", std::string(32, 's'));
    keys_.Add("shift", "dataset", std::string(32, 'd'));
  }

  // Loads `create_sql` rows into a Parquet MemFile and returns the read_parquet relation.
  std::string Input(const std::string& select_sql) {
    auto in = storage::MemFile::Create("pseudo-in");
    EXPECT_TRUE(in.ok());
    in_ = std::move(*in);
    Status s = conn_.Execute(fmt::format("COPY ({}) TO '{}' (FORMAT parquet, USE_TMP_FILE false)",
                                         select_sql, in_.path()));
    EXPECT_TRUE(s.ok()) << s.ToString();
    return fmt::format("read_parquet('{}')", in_.path());
  }

  Result<TransformReport> Run(const std::string& relation, std::string_view policy_text,
                              ApplyOptions options = {}) {
    auto policy = ParsePolicy(policy_text);
    if (!policy.ok()) return policy.status();
    options.noise = options.noise ? options.noise : &zero_;
    return Apply(conn_, relation, *policy, keys_, out_, options);
  }

  // The output as rows of text (NULL -> "<null>"), ordered by the first column.
  std::vector<std::vector<std::string>> Output(const std::string& columns,
                                               const std::string& order = "1") {
    auto r = conn_.Query(
        fmt::format("SELECT {} FROM read_parquet('{}') ORDER BY {}", columns, out_.path(), order));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    auto rows = r->Rows();
    std::vector<std::vector<std::string>> out;
    for (const auto& row : *rows) {
      std::vector<std::string> cells;
      for (const auto& v : row)
        cells.push_back(duck::IsNull(v) ? "<null>" : duck::ValueToString(v));
      out.push_back(cells);
    }
    return out;
  }

  const ColumnReport& Col(const TransformReport& r, std::string_view name) {
    for (const auto& c : r.columns) {
      if (c.column == name) return c;
    }
    static ColumnReport none;
    ADD_FAILURE() << "no report for " << name;
    return none;
  }

  duck::Database db_;
  duck::Connection conn_;
  storage::MemFile in_, out_;
  InMemoryKeyProvider keys_;
  ZeroNoise zero_;
};

constexpr const char* kPeople = R"(
SELECT * FROM (VALUES
  (1, '홍길동', 'Hi There', '900101-1234567', '010-1234-5678', DATE '1990-06-15', TIMESTAMP '2024-05-16 10:30:00', '06236', 12345, 'A'),
  (2, '김철수', 'Jefe',     '851231-2345678', '010-9876-5432', DATE '1985-12-31', TIMESTAMP '2024-01-01 00:00:00', '13529', 999,   'B'),
  (3, NULL,     '',         NULL,             NULL,            NULL,              NULL,                           '',      NULL,  NULL),
  (4, '이영희', 'Hi There', '000229-4123456', '02-555-0101',   DATE '2000-02-29', TIMESTAMP '2023-12-31 23:59:59', '48058', 1500,  'C')
) AS t(id, name, customer_id, rrn, phone, birth, paid_at, postal, amount, grade)
)";

constexpr const char* kPolicy = R"(
version: 1
columns:
  - {column: id, rule: keep}
  - {column: name, rule: delete}
  - {column: customer_id, rule: pseudonym, key_id: cust, scope: project, length: 16}
  - {column: rrn, rule: mask, pattern: "######-*******"}
  - {column: phone, rule: token, method: ff1, key_id: phone, scope: dataset}
  - {column: birth, rule: generalize, method: age_band, width: 10, as_of: 2024-12-31}
  - {column: paid_at, rule: generalize, method: date, unit: month}
  - {column: postal, rule: generalize, method: prefix, length: 3, fill: "*"}
  - {column: amount, rule: generalize, method: round, base: 1000}
  - {column: grade, rule: token, method: aes-siv, key_id: siv, scope: dataset}
)";

TEST_F(ApplyTest, TransformsEveryColumnAsThePolicySays) {
  std::string in = Input(kPeople);
  auto report = Run(in, kPolicy);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto rows = Output("id, customer_id, rrn, birth, paid_at, postal, amount");
  ASSERT_EQ(rows.size(), 4u);
  // HMAC-SHA-256 of "Hi There" under the RFC 4231 test key, first 16 hex digits.
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "b0344c61d8db3853", "900101-*******", "30-39",
                                               "2024-05-01", "062**", "12000"}));
  // python3: hmac.new(b'\x0b' * 20, b'Jefe', hashlib.sha256).hexdigest()[:16]
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "2e8a508b5b142855", "851231-*******", "30-39",
                                               "2024-01-01", "135**", "1000"}));
  // Missing values (NULL and '') stay NULL, in every rule.
  EXPECT_EQ(rows[2], (std::vector<std::string>{"3", "<null>", "<null>", "<null>", "<null>",
                                               "<null>", "<null>"}));
  // Same person, same pseudonym; born on 29 February 2000: 24 on 2024-12-31.
  EXPECT_EQ(rows[3], (std::vector<std::string>{"4", "b0344c61d8db3853", "000229-*******", "20-29",
                                               "2023-12-01", "480**", "2000"}));

  // Output schema: name deleted, types as documented.
  std::map<std::string, std::string> types;
  for (const auto& c : report->output_schema) types[c.name] = c.type;
  EXPECT_EQ(types.count("name"), 0u);
  EXPECT_EQ(types["birth"], "VARCHAR");
  EXPECT_EQ(types["paid_at"], "DATE");
  EXPECT_EQ(types["amount"], "BIGINT");
  EXPECT_EQ(report->output_schema.size(), 9u);

  EXPECT_EQ(report->rows_in, 4u);
  EXPECT_EQ(report->rows_out, 4u);
  const ColumnReport& cust = Col(*report, "customer_id");
  EXPECT_EQ(cust.rule, "pseudonym");
  EXPECT_EQ(cust.missing_in, 1u);
  EXPECT_EQ(cust.nulls_out, 1u);
  EXPECT_EQ(cust.changed, 3u);
  const ColumnReport& amount = Col(*report, "amount");
  EXPECT_EQ(amount.changed, 3u);  // 12345, 999, 1500 all move
  EXPECT_EQ(Col(*report, "name").output_type, "");
  EXPECT_EQ(Col(*report, "name").suppressed, 4u);
  EXPECT_EQ(Col(*report, "id").changed, 0u);
  EXPECT_THAT(cust.detail, HasSubstr("key 'cust' (project)"));
}

TEST_F(ApplyTest, TokensKeepFormatAndDetokenize) {
  std::string in = Input(kPeople);
  auto policy = ParsePolicy(kPolicy);
  ASSERT_TRUE(policy.ok());
  auto report = Apply(conn_, in, *policy, keys_, out_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto rows = Output("id, phone, grade");
  std::string phone = rows[0][1];
  ASSERT_EQ(phone.size(), 13u);
  EXPECT_EQ(phone[3], '-');
  EXPECT_EQ(phone[8], '-');
  EXPECT_NE(phone, "010-1234-5678");
  std::vector<std::string_view> tokens = {rows[0][1], rows[1][1], rows[3][1]};
  auto back = Detokenize(*policy->Find("phone"), keys_, tokens);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*(*back)[0], "010-1234-5678");
  EXPECT_EQ(*(*back)[1], "010-9876-5432");
  EXPECT_EQ(*(*back)[2], "02-555-0101");
  std::vector<std::string_view> siv_tokens = {rows[0][2], "AAAA"};
  auto grades = Detokenize(*policy->Find("grade"), keys_, siv_tokens);
  ASSERT_TRUE(grades.ok());
  EXPECT_EQ(*(*grades)[0], "A");
  EXPECT_FALSE((*grades)[1]);
  EXPECT_EQ(Detokenize(*policy->Find("rrn"), keys_, tokens).status().code(),
            Code::kInvalidArgument);
}

TEST_F(ApplyTest, SuppressesRecordsAndCells) {
  std::string in = Input(kPeople);
  auto report = Run(in, R"(
version: 1
unlisted: delete
columns:
  - {column: id, rule: keep}
  - {column: grade, rule: local_suppress, values: [B], with: star}
  - {column: amount, rule: local_suppress, rows: [0]}
suppress_records:
  - {column: postal, op: eq, value: "48058"}
)");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows_in, 4u);
  EXPECT_EQ(report->rows_out, 3u);
  EXPECT_EQ(report->rows_suppressed, 1u);
  auto rows = Output("id, grade, amount");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "A", "<null>"}));  // row 0's amount
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "*", "999"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"3", "<null>", "<null>"}));
  EXPECT_EQ(Col(*report, "grade").suppressed, 1u);
  EXPECT_EQ(Col(*report, "amount").suppressed, 1u);
  EXPECT_EQ(Col(*report, "amount").missing_in, 1u);
  EXPECT_EQ(Col(*report, "name").rule, "delete");
}

TEST_F(ApplyTest, MicroaggregatesOverTheRowsThatAreWritten) {
  std::string in = Input(R"(
SELECT * FROM (VALUES (1, 25, 2000.0), (2, 27, 2100.0), (3, 26, 2050.0),
                      (4, 60, 9000.0), (5, 61, 9100.0), (6, 59, 8900.0),
                      (7, 99, 1.0), (8, NULL, 5000.0)) AS t(id, age, income))");
  auto report = Run(in, R"(
version: 1
columns: [{column: id, rule: keep}]
microaggregation: [{columns: [age, income], k: 3}]
suppress_records: [{column: id, op: eq, value: 7}]
)");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto rows = Output("id, age, income");
  ASSERT_EQ(rows.size(), 7u);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(rows[i], (std::vector<std::string>{std::to_string(i + 1), "26", "2050"}));
  for (int i = 3; i < 6; ++i)
    EXPECT_EQ(rows[i], (std::vector<std::string>{std::to_string(i + 1), "60", "9000"}));
  // Row 8 misses age; alone in its pattern (fewer than k rows), its income is suppressed.
  EXPECT_EQ(rows[6], (std::vector<std::string>{"8", "<null>", "<null>"}));
  EXPECT_EQ(Col(*report, "income").suppressed, 1u);
  EXPECT_EQ(Col(*report, "age").missing_in, 1u);
  EXPECT_EQ(Col(*report, "age").rule, "microaggregate");

  auto too_big = Run(in, R"(
version: 1
unlisted: keep
columns: [{column: id, rule: keep}]
microaggregation: [{columns: [age], k: 9}]
)");
  EXPECT_EQ(too_big.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(too_big.status().message(), HasSubstr("k = 9 is larger than the 8 rows"));
}

TEST_F(ApplyTest, NoiseAndDateShift) {
  std::string in = Input(kPeople);
  auto report = Run(in, R"(
version: 1
unlisted: delete
columns:
  - {column: id, rule: keep}
  - {column: amount, rule: noise, distribution: uniform, bound: 100}
  - {column: birth, rule: date_shift, person: customer_id, max_days: 30, key_id: shift, scope: dataset}
)");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto rows = Output("id, amount, birth");
  EXPECT_EQ(rows[0][1], "12345");  // zero noise (test generator)
  EXPECT_THAT(Col(*report, "amount").warnings, ::testing::Contains(HasSubstr("NOT private")));
  // Rows 1 and 4 are the same person ("Hi There"): the same shift.
  int32_t d1 = *ParseDate(rows[0][2]) - DaysFromCivil(1990, 6, 15);
  int32_t d4 = *ParseDate(rows[3][2]) - DaysFromCivil(2000, 2, 29);
  EXPECT_EQ(d1, d4);
  EXPECT_LE(std::abs(d1), 30);
  DateShiftRule rule;
  rule.max_days = 30;
  auto shifter = DateShifter::Create(rule, crypto::SecretBytes::Copy(std::string(32, 'd')));
  EXPECT_EQ(d1, shifter->Offset("Hi There"));
  EXPECT_EQ(rows[2][2], "<null>");
}

TEST_F(ApplyTest, NumbersTextDatesAndTimestamps) {
  std::string in = Input(R"(
SELECT * FROM (VALUES
  (1, 2500.5::DOUBLE, 123.45::DECIMAL(10,2), '20240516', TIMESTAMP '2024-05-16 13:45:00', 'p1'),
  (2, -0.5::DOUBLE, 99999.99::DECIMAL(10,2), 'n/a', TIMESTAMP '2024-01-01 00:00:01', 'p1'),
  (3, NULL, NULL, '2023.12.31', NULL, 'p2')
) AS t(id, income, fee, day, seen, person))");
  auto r = Run(in, R"(
version: 1
columns:
  - {column: id, rule: keep}
  - {column: person, rule: delete}
  - {column: income, rule: generalize, method: interval, width: 1000}
  - {column: fee, rule: generalize, method: top_bottom, top: 10000}
  - {column: day, rule: generalize, method: date, unit: quarter, on_invalid: "null"}
  - {column: seen, rule: date_shift, person: person, max_days: 10, key_id: shift, scope: dataset}
)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto rows = Output("id, income, fee, day, seen");
  EXPECT_EQ(rows[0][1], "[2000,3000)");
  EXPECT_EQ(rows[1][1], "[-1000,0)");
  EXPECT_EQ(rows[0][2], "123.45");
  EXPECT_EQ(rows[1][2], "10000");
  EXPECT_EQ(rows[0][3], "2024-04-01");
  EXPECT_EQ(rows[1][3], "<null>");  // not a date, on_invalid: null
  EXPECT_EQ(rows[2][3], "2023-10-01");
  EXPECT_EQ(Col(*r, "day").suppressed, 1u);
  EXPECT_EQ(Col(*r, "day").output_type, "DATE");
  EXPECT_EQ(Col(*r, "fee").output_type, "DOUBLE");
  EXPECT_EQ(Col(*r, "fee").changed, 1u);
  // Both timestamps belong to p1: shifted by the same whole number of days, time kept.
  DateShiftRule rule;
  rule.max_days = 10;
  int32_t off =
      DateShifter::Create(rule, crypto::SecretBytes::Copy(std::string(32, 'd')))->Offset("p1");
  EXPECT_EQ(rows[0][4], FormatDate(DaysFromCivil(2024, 5, 16) + off) + " 13:45:00");
  EXPECT_EQ(rows[1][4], FormatDate(DaysFromCivil(2024, 1, 1) + off) + " 00:00:01");
  EXPECT_EQ(Col(*r, "seen").output_type, "TIMESTAMP");
}

TEST_F(ApplyTest, ErrorsLeaveNoOutput) {
  std::string in = Input(kPeople);
  // A value that matches no mask pattern.
  auto r = Run(in, R"(
version: 1
unlisted: keep
columns: [{column: rrn, rule: mask, pattern: "######-1******"}]
)");
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(r.status().message(),
              HasSubstr("column 'rrn': rule 'mask': a value matches none of the patterns"));
  EXPECT_EQ(*out_.Size(), 0u);
  // The same with on_invalid: null writes NULLs and counts them.
  auto ok = Run(in, R"(
version: 1
unlisted: keep
columns: [{column: rrn, rule: mask, pattern: "######-1******", on_invalid: "null"}]
)");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(Col(*ok, "rrn").suppressed, 2u);
  // A key the provider does not have.
  r = Run(in,
          "version: 1\nunlisted: keep\ncolumns: [{column: phone, rule: pseudonym, key_id: nope, "
          "scope: project}]");
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_THAT(r.status().message(),
              HasSubstr("column 'phone': rule 'pseudonym': key 'nope' (project)"));
  EXPECT_EQ(*out_.Size(), 0u);
  // A key of the wrong size for FF1.
  keys_.Add("short", "dataset", "0123456789");
  r = Run(in,
          "version: 1\nunlisted: keep\ncolumns: [{column: phone, rule: token, method: ff1, key_id: "
          "short, scope: dataset}]");
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("FF1 key must be 16, 24 or 32 bytes"));
  // Wrong column type.
  r = Run(in, "version: 1\nunlisted: keep\ncolumns: [{column: amount, rule: mask}]");
  EXPECT_EQ(r.status().message(),
            "column 'amount': rule 'mask' needs a VARCHAR column, got INTEGER");
  // Unknown column.
  r = Run(in, "version: 1\nunlisted: keep\ncolumns: [{column: salary, rule: keep}]");
  EXPECT_THAT(r.status().message(), HasSubstr("column 'salary'"));
  // A column named rowid would hide the row numbers microaggregation relies on.
  std::string with_rowid = Input("SELECT 1 AS rowid, 2.0 AS x UNION ALL SELECT 2, 3.0");
  r = Run(with_rowid, "version: 1\nunlisted: keep\nmicroaggregation: [{columns: [x], k: 2}]");
  EXPECT_THAT(r.status().message(), HasSubstr("column named 'rowid'"));
  in = Input(kPeople);
  // Deleting everything.
  r = Run(in, "version: 1\nunlisted: delete\ncolumns: []");
  EXPECT_THAT(r.status().message(), HasSubstr("nothing to write"));
}

TEST_F(ApplyTest, HierarchyGeneralizationListsUncoveredValues) {
  std::string in =
      Input("SELECT * FROM (VALUES ('06236'), ('13529'), ('99999'), ('88888'), (NULL)) AS t(zip)");
  std::string policy = R"(
version: 1
columns:
  - column: zip
    rule: generalize
    method: hierarchy
    level: 1
    hierarchy: |
      06236;서울;*
      13529;경기;*
)";
  auto r = Run(in, policy);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(r.status().message(),
              HasSubstr("2 value(s) are not in the hierarchy, e.g. '88888', '99999'"));
  EXPECT_EQ(*out_.Size(), 0u);
  policy += "    on_invalid: \"null\"\n";
  auto ok = Run(in, policy);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  auto rows = Output("zip", "zip NULLS LAST");
  EXPECT_EQ(rows[0][0], "경기");
  EXPECT_EQ(rows[1][0], "서울");
  EXPECT_EQ(Col(*ok, "zip").suppressed, 2u);
  EXPECT_EQ(Col(*ok, "zip").nulls_out, 3u);
}

TEST_F(ApplyTest, UciAdultWithArxHierarchies) {
  const std::string dir = std::string(SAFEZONE_SHARED_DATA) + "/adult/";
  std::string in = fmt::format("read_csv('{}adult.csv', delim = ';', header = true)", dir);
  auto r = Run(in, fmt::format(R"(
version: 1
unlisted: keep
columns:
  - {{column: age, rule: generalize, method: hierarchy, level: 2, hierarchy_file: "{0}adult_hierarchy_age.csv"}}
  - {{column: education, rule: generalize, method: hierarchy, level: 1, hierarchy_file: "{0}adult_hierarchy_education.csv"}}
  - {{column: marital-status, rule: generalize, method: hierarchy, level: 1, hierarchy_file: "{0}adult_hierarchy_marital-status.csv"}}
)",
                               dir));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows_out, 30162u);
  EXPECT_EQ(Col(*r, "age").suppressed, 0u);
  EXPECT_EQ(Col(*r, "age").input_type, "BIGINT");
  // Counted independently (Python over the CSV and the hierarchy file).
  auto bands = conn_.Query(
      fmt::format("SELECT age, count(*)::BIGINT FROM read_parquet('{}') GROUP BY age ORDER BY age",
                  out_.path()));
  ASSERT_TRUE(bands.ok());
  auto counts = bands->Rows();
  ASSERT_EQ(counts->size(), 8u);
  EXPECT_EQ(duck::ValueToString((*counts)[0][0]), "10-19");
  EXPECT_EQ(std::get<int64_t>((*counts)[0][1]), 1998);
  EXPECT_EQ(duck::ValueToString((*counts)[2][0]), "30-39");
  EXPECT_EQ(std::get<int64_t>((*counts)[2][1]), 8163);
  EXPECT_EQ(duck::ValueToString((*counts)[7][0]), "80-89");
  EXPECT_EQ(std::get<int64_t>((*counts)[7][1]), 75);
  auto first = conn_.Query(
      fmt::format("SELECT age, education, \"marital-status\", sex FROM read_parquet('{}') LIMIT 1",
                  out_.path()));
  auto rows = first->Rows();
  EXPECT_EQ(duck::ValueToString((*rows)[0][0]), "30-39");
  EXPECT_EQ(duck::ValueToString((*rows)[0][1]), "Undergraduate");
  EXPECT_EQ(duck::ValueToString((*rows)[0][2]), "spouse not present");
  EXPECT_EQ(duck::ValueToString((*rows)[0][3]), "Male");
}

TEST_F(ApplyTest, KoreanAdministrativeRegions) {
  std::string in = Input(R"(
SELECT * FROM (VALUES
  (1, '서울특별시 종로구 청운효자동'),
  (2, '부산 해운대구 우동 1234-5'),
  (3, '경기 성남시분당구 정자1동'),
  (4, '서울'),
  (5, '1111051500'),
  (6, NULL)
) AS t(id, addr))");
  auto r = Run(in, R"(
version: 1
columns:
  - {column: id, rule: keep}
  - {column: addr, rule: generalize, method: admin_region, level: sigungu}
)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto rows = Output("id, addr");
  EXPECT_EQ(rows[0][1], "서울특별시 종로구");
  EXPECT_EQ(rows[1][1], "부산광역시 해운대구");
  EXPECT_EQ(rows[2][1], "경기도 성남시 분당구");
  EXPECT_EQ(rows[3][1], "서울특별시");  // only the 시도 is known: generalized to it
  EXPECT_EQ(rows[4][1], "서울특별시 종로구");
  EXPECT_EQ(rows[5][1], "<null>");
  EXPECT_THAT(Col(*r, "addr").warnings,
              ::testing::ElementsAre("1 value(s) named only a 시도 and were generalized to it"));

  auto codes = Run(in, R"(
version: 1
columns:
  - {column: id, rule: keep}
  - {column: addr, rule: generalize, method: admin_region, level: sido, format: code}
)");
  ASSERT_TRUE(codes.ok()) << codes.status().ToString();
  rows = Output("id, addr");
  EXPECT_EQ(rows[0][1], "11");
  EXPECT_EQ(rows[1][1], "26");
  EXPECT_EQ(rows[2][1], "41");
  EXPECT_TRUE(Col(*codes, "addr").warnings.empty());

  // "중구" exists in several 광역시: without a 시도 it cannot be resolved.
  std::string ambiguous = Input("SELECT '중구' AS addr");
  auto bad = Run(ambiguous,
                 "version: 1\ncolumns: [{column: addr, rule: generalize, method: admin_region, "
                 "level: sigungu}]");
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(bad.status().message(),
              HasSubstr("column 'addr': rule 'admin_region': a value is not a Korean region"));
}

TEST_F(ApplyTest, FunctionsDieWithTheRun) {
  std::string in = Input(kPeople);
  ASSERT_TRUE(Run(in, kPolicy).ok());
  auto names = conn_.Query(
      "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_name LIKE "
      "'__sz_pseudo_%' "
      "ORDER BY 1 LIMIT 1");
  ASSERT_TRUE(names.ok());
  auto rows = names->Rows();
  ASSERT_FALSE(rows->empty());
  std::string fn = duck::ValueToString((*rows)[0][0]);
  auto call = conn_.Query(fmt::format("SELECT {}('x')", fn));
  EXPECT_FALSE(call.ok());
  EXPECT_THAT(call.status().message(), HasSubstr("finished run"));
}

TEST_F(ApplyTest, AgesAgreeWithDuckDbDateSub) {
  // 20,000 consecutive birth dates (1960-01-01 to 2014-10-04, so all before as_of),
  // including every 29 February, against DuckDB's own count of full years.
  std::string in =
      Input("SELECT range AS id, DATE '1960-01-01' + range::INTEGER AS birth FROM range(20000)");
  auto r = Run(in,
               "version: 1\ncolumns: [{column: id, rule: keep}, "
               "{column: birth, rule: generalize, method: age_band, width: 1, as_of: 2024-06-30}]");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto mismatches =
      conn_.Scalar(fmt::format("SELECT count(*) FROM read_parquet('{}') o JOIN (SELECT range AS "
                               "id, DATE '1960-01-01' + range::INTEGER AS b "
                               "FROM range(20000)) i USING (id) WHERE o.birth IS DISTINCT FROM "
                               "date_sub('year', b, DATE '2024-06-30')::VARCHAR",
                               out_.path()));
  EXPECT_EQ(std::get<int64_t>(*mismatches), 0);
}

TEST_F(ApplyTest, QuotesAwkwardColumnNames) {
  std::string in = Input("SELECT 'a' AS \"주민 \"\"번호\"\"\", 'x''y' AS \"drop table t; --\"");
  auto r = Run(in, R"(
version: 1
columns:
  - {column: "주민 \"번호\"", rule: mask, keep_first: 0}
  - {column: "drop table t; --", rule: keep}
)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto rows = Output("*");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"*", "x'y"}));
  EXPECT_EQ(r->output_schema[0].name, "주민 \"번호\"");
}

TEST_F(ApplyTest, WarnsAboutShortPseudonyms) {
  std::string in = Input("SELECT range::VARCHAR AS id FROM range(100000)");
  auto r = Run(in,
               "version: 1\ncolumns: [{column: id, rule: pseudonym, key_id: cust, scope: project, "
               "length: 8}]");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // 100,000 values in 32 bits: 1 - exp(-1e10 / 2^33) = 0.69. Below 1e-6 needs
  // 1e10 / 2^(bits+1) <= 1e-6, bits >= 53: 14 hex characters (56 bits).
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_THAT(r->warnings[0],
              HasSubstr("32-bit pseudonyms for 100000 values collide with probability about 0.69"));
  EXPECT_THAT(r->warnings[0], HasSubstr("use length >= 14"));
}

}  // namespace
}  // namespace sz::pseudo
