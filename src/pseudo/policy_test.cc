#include "pseudo/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sz::pseudo {
namespace {

using ::testing::HasSubstr;

constexpr const char* kYaml = R"(
version: 1
name: card payments
unlisted: error
columns:
  - {column: name, rule: delete}
  - {column: customer_id, rule: pseudonym, algorithm: hmac-sha256, key_id: cust, scope: project, length: 20}
  - {column: rrn, rule: mask, pattern: "######-*******"}
  - column: card_no
    rule: token
    method: ff1
    alphabet: digits
    key_id: card
    scope: dataset
  - {column: birth_date, rule: generalize, method: age_band, width: 5, as_of: 2024-12-31, top: 85}
  - {column: paid_at, rule: generalize, method: date, unit: month}
  - {column: postal_code, rule: generalize, method: prefix, length: 3}
  - {column: amount, rule: noise, distribution: laplace, scale: 500, bound: 2000}
suppress_records:
  - {column: amount, op: ge, value: 1000000}
microaggregation:
  - {columns: [income, assets], k: 3}
)";

Schema CardSchema() {
  return {{"name", "VARCHAR"},        {"customer_id", "VARCHAR"}, {"rrn", "VARCHAR"},
          {"card_no", "VARCHAR"},     {"birth_date", "DATE"},     {"paid_at", "TIMESTAMP"},
          {"postal_code", "VARCHAR"}, {"amount", "BIGINT"},       {"income", "DOUBLE"},
          {"assets", "DECIMAL(18,2)"}};
}

TEST(PolicyTest, ParsesYamlIntoTypedRules) {
  auto p = ParsePolicy(kYaml);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->name, "card payments");
  ASSERT_EQ(p->columns.size(), 8u);
  auto* ps = std::get_if<PseudonymRule>(&p->Find("customer_id")->params);
  ASSERT_NE(ps, nullptr);
  EXPECT_EQ(ps->length, 20);
  EXPECT_EQ(ps->key.id, "cust");
  EXPECT_EQ(ps->key.scope, KeyScope::kProject);
  auto* m = std::get_if<MaskRule>(&p->Find("rrn")->params);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->patterns, std::vector<std::string>{"######-*******"});
  auto* age = std::get_if<GeneralizeRule>(&p->Find("birth_date")->params);
  ASSERT_NE(age, nullptr);
  EXPECT_EQ(age->method, GeneralizeMethod::kAgeBand);
  EXPECT_EQ(age->as_of_days, DaysFromCivil(2024, 12, 31));
  EXPECT_EQ(*age->top, 85);
  EXPECT_EQ(RuleName(*p->Find("card_no")), "token/ff1");
  ASSERT_EQ(p->suppress_records.size(), 1u);
  EXPECT_EQ(p->suppress_records[0].op, CompareOp::kGe);
  EXPECT_EQ(p->suppress_records[0].values, std::vector<std::string>{"1000000"});
  ASSERT_EQ(p->microaggregation.size(), 1u);
  EXPECT_EQ(p->microaggregation[0].k, 3);
  EXPECT_TRUE(ValidatePolicy(*p, CardSchema()).ok());
}

TEST(PolicyTest, JsonRoundTripGivesTheSamePolicy) {
  auto p = ParsePolicy(kYaml);
  ASSERT_TRUE(p.ok());
  std::string json = PolicyToJson(*p);
  auto again = ParsePolicy(json);
  ASSERT_TRUE(again.ok()) << again.status().ToString() << "\n" << json;
  EXPECT_EQ(PolicyToJson(*again), json);
  EXPECT_EQ(again->columns.size(), p->columns.size());
}

TEST(PolicyTest, YamlScalarsStayText) {
  auto p = ParsePolicy(R"(
version: 1
columns:
  - {column: zip, rule: local_suppress, values: [06236, "00100"]}
)");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto* l = std::get_if<LocalSuppressRule>(&p->columns[0].params);
  EXPECT_EQ(l->values, (std::vector<std::string>{"06236", "00100"}));
}

Status ParseError(std::string_view text) { return ParsePolicy(text).status(); }

TEST(PolicyTest, TwoRulesOnOneColumnAreRefused) {
  Status s = ParseError(R"(
version: 1
columns:
  - {column: phone, rule: delete}
  - {column: phone, rule: keep}
)");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("column 'phone' has two rules"));
  // The same inside one JSON object (nlohmann would silently keep the last).
  s = ParseError(
      R"({"version": 1, "columns": [{"column": "a", "rule": "keep", "rule": "delete"}]})");
  EXPECT_THAT(s.message(), HasSubstr("'rule' appears twice"));
  s = ParseError("version: 1\ncolumns:\n  - {column: a, rule: keep, rule: delete}\n");
  EXPECT_THAT(s.message(), HasSubstr("'rule' appears twice"));
  // A microaggregated column cannot also have a column rule.
  s = ParseError(R"(
version: 1
columns: [{column: income, rule: keep}]
microaggregation: [{columns: [income], k: 2}]
)");
  EXPECT_THAT(s.message(),
              HasSubstr("column 'income' is microaggregated and also has another rule"));
}

TEST(PolicyTest, KeysAreRequiredAndUnkeyedHashesRefused) {
  Status s = ParseError("version: 1\ncolumns: [{column: id, rule: pseudonym, scope: project}]");
  EXPECT_THAT(s.message(), HasSubstr("column 'id': rule 'pseudonym': 'key_id' is required"));
  s = ParseError(
      "version: 1\ncolumns: [{column: id, rule: pseudonym, algorithm: sha256, key_id: k, scope: "
      "project}]");
  EXPECT_THAT(s.message(), HasSubstr("unkeyed hash 'sha256' refused"));
  s = ParseError("version: 1\ncolumns: [{column: id, rule: hash}]");
  EXPECT_THAT(s.message(), HasSubstr("unkeyed hashing is refused"));
  s = ParseError("version: 1\ncolumns: [{column: id, rule: token, method: ff1, key_id: k}]");
  EXPECT_THAT(s.message(), HasSubstr("'scope' is required"));
  s = ParseError(R"(
version: 1
columns:
  - {column: a, rule: pseudonym, key_id: k, scope: project}
  - {column: b, rule: token, method: aes-siv, key_id: k, scope: project}
)");
  EXPECT_THAT(s.message(), HasSubstr("key 'k' (project) is used for both hmac-sha256 and aes-siv"));
}

TEST(PolicyTest, ParametersAreChecked) {
  EXPECT_THAT(ParseError("version: 1\ncolumns: [{column: a, rule: mask, keep_frist: 2}]").message(),
              HasSubstr("column 'a': rule 'mask': unknown field 'keep_frist'"));
  EXPECT_THAT(ParseError("version: 1\ncolumns: [{column: a, rule: pseudonym, key_id: k, scope: "
                         "dataset, length: 6}]")
                  .message(),
              HasSubstr("'length' must be 8 to 64 characters"));
  EXPECT_THAT(
      ParseError("version: 1\ncolumns: [{column: a, rule: generalize, method: interval, width: 0}]")
          .message(),
      HasSubstr("column 'a': rule 'interval': 'width' must be positive"));
  EXPECT_THAT(ParseError("version: 1\ncolumns: [{column: a, rule: generalize, method: age_band, "
                         "width: 5, as_of: 2024-02-30}]")
                  .message(),
              HasSubstr("'as_of' must be a date"));
  EXPECT_THAT(ParseError("version: 1\ncolumns: [{column: a, rule: generalize, method: hierarchy, "
                         "hierarchy: \"1;*\", level: 2}]")
                  .message(),
              HasSubstr("'level' must be from 1 to 1"));
  EXPECT_THAT(ParseError("version: 1\ncolumns: [{column: a, rule: frobnicate}]").message(),
              HasSubstr("unknown rule"));
  EXPECT_THAT(ParseError("version: 2\ncolumns: []").message(),
              HasSubstr("'version' must be a whole number from 1 to 1"));
  EXPECT_THAT(ParseError("version: 1\nmicroaggregation: [{columns: [x], k: 1}]").message(),
              HasSubstr("'k' must be"));
  EXPECT_THAT(ParseError("columns: [").message(), HasSubstr("not valid YAML"));
  EXPECT_THAT(ParseError("{\"version\": 1,").message(), HasSubstr("not valid JSON"));
  EXPECT_THAT(ParseError("version: 1\ncolumns: [{column: a, rule: mask, char: \"**\"}]").message(),
              HasSubstr("'char' must be exactly one character"));
}

TEST(PolicyTest, ValidationNamesColumnRuleAndType) {
  auto p = ParsePolicy(R"(
version: 1
unlisted: keep
columns:
  - {column: birth_date, rule: generalize, method: age_band, width: 10, as_of: 2024-01-01}
)");
  ASSERT_TRUE(p.ok());
  Status s = ValidatePolicy(*p, {{"birth_date", "DOUBLE"}});
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "column 'birth_date': rule 'age_band' needs a DATE, TIMESTAMP or VARCHAR date column, "
            "got DOUBLE");
  EXPECT_TRUE(ValidatePolicy(*p, {{"birth_date", "VARCHAR"}}).ok());
  s = ValidatePolicy(*p, {{"dob", "DATE"}});
  EXPECT_EQ(s.message(),
            "column 'birth_date': rule 'age_band' names a column the input does not have");
}

TEST(PolicyTest, UnlistedColumnsAreAnErrorByDefault) {
  auto p = ParsePolicy("version: 1\ncolumns: [{column: a, rule: keep}]");
  ASSERT_TRUE(p.ok());
  Status s = ValidatePolicy(*p, {{"a", "VARCHAR"}, {"b", "INTEGER"}});
  EXPECT_THAT(s.message(), HasSubstr("no rule for column(s) 'b'"));
}

TEST(PolicyTest, DateShiftNeedsAnExistingPersonColumn) {
  auto p = ParsePolicy(R"(
version: 1
unlisted: keep
columns:
  - {column: visit, rule: date_shift, person: patient, max_days: 30, key_id: shift, scope: dataset}
)");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_THAT(ValidatePolicy(*p, {{"visit", "DATE"}}).message(),
              HasSubstr("person column 'patient'"));
  EXPECT_TRUE(ValidatePolicy(*p, {{"visit", "DATE"}, {"patient", "VARCHAR"}}).ok());
}

TEST(PolicyTest, RecordConditionsAreTypeChecked) {
  auto p = ParsePolicy(R"(
version: 1
unlisted: keep
suppress_records: [{column: age, op: gt, value: old}]
)");
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(ValidatePolicy(*p, {{"age", "INTEGER"}}).message(),
              HasSubstr("numeric but a value is not a number"));
  EXPECT_TRUE(ValidatePolicy(*p, {{"age", "VARCHAR"}}).ok());
}

TEST(DatesTest, CivilConversionsAndAges) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  CivilDate c = CivilFromDays(11017);
  EXPECT_EQ(c.year, 2000);
  EXPECT_EQ(c.month, 3);
  EXPECT_EQ(c.day, 1);
  EXPECT_EQ(*ParseDate("2024-02-29"), DaysFromCivil(2024, 2, 29));
  EXPECT_EQ(*ParseDate("20240229"), DaysFromCivil(2024, 2, 29));
  EXPECT_EQ(*ParseDate("2024.02.29 13:45"), DaysFromCivil(2024, 2, 29));
  EXPECT_FALSE(ParseDate("2023-02-29"));
  EXPECT_FALSE(ParseDate("2023-13-01"));
  EXPECT_FALSE(ParseDate("yesterday"));
  EXPECT_EQ(FormatDate(DaysFromCivil(1987, 6, 5)), "1987-06-05");
  // Born 1990-06-15: 33 the day before the birthday, 34 on it.
  EXPECT_EQ(AgeOn(DaysFromCivil(1990, 6, 15), DaysFromCivil(2024, 6, 14)), 33);
  EXPECT_EQ(AgeOn(DaysFromCivil(1990, 6, 15), DaysFromCivil(2024, 6, 15)), 34);
  // Born 29 Feb 2000: turns 1 on 1 March 2001, not on 28 February.
  EXPECT_EQ(AgeOn(DaysFromCivil(2000, 2, 29), DaysFromCivil(2001, 2, 28)), 0);
  EXPECT_EQ(AgeOn(DaysFromCivil(2000, 2, 29), DaysFromCivil(2001, 3, 1)), 1);
  // 2024-05-16 is a Thursday: its ISO week starts Monday 2024-05-13.
  int32_t d = DaysFromCivil(2024, 5, 16);
  EXPECT_EQ(FormatDate(TruncateDate(d, DateUnit::kWeek)), "2024-05-13");
  EXPECT_EQ(FormatDate(TruncateDate(d, DateUnit::kMonth)), "2024-05-01");
  EXPECT_EQ(FormatDate(TruncateDate(d, DateUnit::kQuarter)), "2024-04-01");
  EXPECT_EQ(FormatDate(TruncateDate(d, DateUnit::kYear)), "2024-01-01");
  EXPECT_EQ(FormatDate(TruncateDate(DaysFromCivil(1969, 12, 31), DateUnit::kWeek)), "1969-12-29");
}

}  // namespace
}  // namespace sz::pseudo
