#include "pseudo/suggest.h"

#include <gtest/gtest.h>

namespace sz::pseudo {
namespace {

using detect::HintKind;
using detect::Pattern;
using detect::Role;

TEST(SuggestTest, RolesBecomeRules) {
  std::vector<ColumnRoleInfo> cols = {
      {"name", "VARCHAR", Role::kDirectIdentifier, Pattern::kPersonName},
      {"rrn", "VARCHAR", Role::kDirectIdentifier, Pattern::kRrn},
      {"phone", "VARCHAR", Role::kDirectIdentifier, Pattern::kMobilePhone},
      {"card", "VARCHAR", Role::kDirectIdentifier, Pattern::kCardNumber},
      {"addr", "VARCHAR", Role::kDirectIdentifier, Pattern::kAddress},
      {"birth", "DATE", Role::kQuasiIdentifier, Pattern::kDateOfBirth},
      {"visited", "TIMESTAMP", Role::kQuasiIdentifier, Pattern::kNone},
      {"zip", "VARCHAR", Role::kQuasiIdentifier, Pattern::kNone, HintKind::kPostalCode},
      {"age", "INTEGER", Role::kQuasiIdentifier, Pattern::kNone, HintKind::kAge},
      {"sex", "VARCHAR", Role::kQuasiIdentifier, Pattern::kSex},
      {"amount", "BIGINT", Role::kSensitive, Pattern::kNone},
      {"income", "DOUBLE", Role::kQuasiIdentifier, Pattern::kNone},
  };
  SuggestOptions o;
  o.as_of = "2024-12-31";
  Policy p = SuggestPolicy(cols, o);
  ASSERT_EQ(p.columns.size(), cols.size());
  EXPECT_EQ(RuleName(*p.Find("name")), "delete");
  EXPECT_EQ(RuleName(*p.Find("rrn")), "mask");
  EXPECT_EQ(std::get<MaskRule>(p.Find("rrn")->params).patterns,
            (std::vector<std::string>{"######-*******", "######*******"}));
  EXPECT_EQ(RuleName(*p.Find("phone")), "pseudonym");
  EXPECT_EQ(std::get<PseudonymRule>(p.Find("phone")->params).key.scope, KeyScope::kProject);
  EXPECT_EQ(RuleName(*p.Find("card")), "token/ff1");
  EXPECT_EQ(RuleName(*p.Find("addr")), "generalize/admin_region");
  const auto& age = std::get<GeneralizeRule>(p.Find("birth")->params);
  EXPECT_EQ(age.method, GeneralizeMethod::kAgeBand);
  EXPECT_EQ(age.as_of_days, DaysFromCivil(2024, 12, 31));
  EXPECT_EQ(RuleName(*p.Find("visited")), "generalize/date");
  EXPECT_EQ(std::get<GeneralizeRule>(p.Find("zip")->params).length, 3);
  EXPECT_EQ(std::get<GeneralizeRule>(p.Find("age")->params).width, 5);
  EXPECT_EQ(RuleName(*p.Find("sex")), "keep");
  EXPECT_EQ(RuleName(*p.Find("amount")), "keep");
  EXPECT_EQ(RuleName(*p.Find("income")), "generalize/interval");
  o.reversible_rrn = true;
  EXPECT_EQ(RuleName(*SuggestPolicy(cols, o).Find("rrn")), "token/ff1");
}

TEST(SuggestTest, SuggestionIsAValidPolicyForItsSchema) {
  std::vector<ColumnRoleInfo> cols = {
      {"customer_id", "BIGINT", Role::kDirectIdentifier, Pattern::kIdentifierNumber},
      {"birth", "VARCHAR", Role::kQuasiIdentifier, Pattern::kDateOfBirth},
      {"rrn", "BIGINT", Role::kDirectIdentifier, Pattern::kRrn},  // not text: cannot be masked
      {"photo", "BLOB", Role::kDirectIdentifier, Pattern::kNone},
  };
  Policy p = SuggestPolicy(cols);
  EXPECT_EQ(RuleName(*p.Find("customer_id")), "pseudonym");
  EXPECT_EQ(RuleName(*p.Find("rrn")), "delete");
  EXPECT_EQ(RuleName(*p.Find("photo")), "delete");
  Schema schema;
  for (const auto& c : cols) schema.push_back({c.name, c.type});
  EXPECT_TRUE(ValidatePolicy(p, schema).ok());
  // It survives the text round trip, so the officer can edit and resubmit it.
  auto again = ParsePolicy(PolicyToJson(p));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(PolicyToJson(*again), PolicyToJson(p));
}

TEST(SuggestTest, FromADetectionProfile) {
  detect::ColumnProfile profile;
  profile.column = "휴대전화";
  profile.type = "VARCHAR";
  profile.proposed_role = Role::kDirectIdentifier;
  profile.pattern = Pattern::kMobilePhone;
  Policy p = SuggestPolicy({RoleInfoFromProfile(profile)});
  EXPECT_EQ(RuleName(*p.Find("휴대전화")), "pseudonym");
}

}  // namespace
}  // namespace sz::pseudo
