#include "pseudo/suggest.h"

#include <gtest/gtest.h>

namespace sz::pseudo {
namespace {

TEST(SuggestTest, RolesBecomeRules) {
  std::vector<ColumnRoleInfo> cols = {
      {"name", "VARCHAR", ColumnRole::kDirectIdentifier, ValueKind::kName},
      {"rrn", "VARCHAR", ColumnRole::kDirectIdentifier, ValueKind::kRrn},
      {"phone", "VARCHAR", ColumnRole::kDirectIdentifier, ValueKind::kPhone},
      {"card", "VARCHAR", ColumnRole::kDirectIdentifier, ValueKind::kCardNumber},
      {"birth", "DATE", ColumnRole::kQuasiIdentifier, ValueKind::kDateOfBirth},
      {"visited", "TIMESTAMP", ColumnRole::kQuasiIdentifier, ValueKind::kUnknown},
      {"zip", "VARCHAR", ColumnRole::kQuasiIdentifier, ValueKind::kPostalCode},
      {"amount", "BIGINT", ColumnRole::kSensitive, ValueKind::kNumber},
      {"income", "DOUBLE", ColumnRole::kQuasiIdentifier, ValueKind::kNumber},
  };
  SuggestOptions o;
  o.as_of = "2024-12-31";
  Policy p = SuggestPolicy(cols, o);
  ASSERT_EQ(p.columns.size(), cols.size());
  EXPECT_EQ(RuleName(*p.Find("name")), "delete");
  EXPECT_EQ(RuleName(*p.Find("rrn")), "mask");
  EXPECT_EQ(std::get<MaskRule>(p.Find("rrn")->params).patterns[0], "######-*******");
  EXPECT_EQ(RuleName(*p.Find("phone")), "pseudonym");
  EXPECT_EQ(std::get<PseudonymRule>(p.Find("phone")->params).key.scope, KeyScope::kProject);
  EXPECT_EQ(RuleName(*p.Find("card")), "token/ff1");
  const auto& age = std::get<GeneralizeRule>(p.Find("birth")->params);
  EXPECT_EQ(age.method, GeneralizeMethod::kAgeBand);
  EXPECT_EQ(age.as_of_days, DaysFromCivil(2024, 12, 31));
  EXPECT_EQ(RuleName(*p.Find("visited")), "generalize/date");
  EXPECT_EQ(std::get<GeneralizeRule>(p.Find("zip")->params).length, 3);
  EXPECT_EQ(RuleName(*p.Find("amount")), "keep");
  EXPECT_EQ(RuleName(*p.Find("income")), "generalize/interval");
  o.reversible_rrn = true;
  EXPECT_EQ(RuleName(*SuggestPolicy(cols, o).Find("rrn")), "token/ff1");
}

TEST(SuggestTest, SuggestionIsAValidPolicyForItsSchema) {
  std::vector<ColumnRoleInfo> cols = {
      {"customer_id", "BIGINT", ColumnRole::kDirectIdentifier, ValueKind::kIdentifier},
      {"birth", "VARCHAR", ColumnRole::kQuasiIdentifier, ValueKind::kDateOfBirth},
      {"rrn", "BIGINT", ColumnRole::kDirectIdentifier, ValueKind::kRrn},  // not text: cannot be masked
  };
  Policy p = SuggestPolicy(cols);
  EXPECT_EQ(RuleName(*p.Find("rrn")), "delete");
  Schema schema;
  for (const auto& c : cols) schema.push_back({c.name, c.type});
  EXPECT_TRUE(ValidatePolicy(p, schema).ok());
  // It survives the text round trip, so the officer can edit and resubmit it.
  auto again = ParsePolicy(PolicyToJson(p));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(PolicyToJson(*again), PolicyToJson(p));
}

}  // namespace
}  // namespace sz::pseudo
