#include "detect/role.h"

#include <gtest/gtest.h>

namespace sz::detect {
namespace {

TEST(Role, NamesRoundTrip) {
  for (Role r : {Role::kDirectIdentifier, Role::kQuasiIdentifier, Role::kSensitive, Role::kOther}) {
    auto parsed = ParseRole(RoleName(r));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, r);
  }
  EXPECT_EQ(RoleName(Role::kQuasiIdentifier), "quasi_identifier");
  auto bad = ParseRole("identifier");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
}

TEST(Pattern, NamesRoundTripInEnumOrder) {
  for (int i = 0; i <= static_cast<int>(Pattern::kEmbeddedIdentifier); ++i) {
    Pattern p = static_cast<Pattern>(i);
    auto parsed = ParsePattern(PatternName(p));
    ASSERT_TRUE(parsed.ok()) << i;
    EXPECT_EQ(*parsed, p);
    EXPECT_FALSE(PatternDescription(p).empty());
  }
  EXPECT_EQ(PatternName(Pattern::kMobilePhone), "mobile_phone");
  EXPECT_EQ(PatternName(Pattern::kRrnMasked), "rrn_masked");
  EXPECT_FALSE(ParsePattern("phone").ok());
}

TEST(Pattern, MapsToRoles) {
  EXPECT_EQ(RoleOfPattern(Pattern::kRrn), Role::kDirectIdentifier);
  EXPECT_EQ(RoleOfPattern(Pattern::kRrnMasked), Role::kQuasiIdentifier);
  EXPECT_EQ(RoleOfPattern(Pattern::kDateOfBirth), Role::kQuasiIdentifier);
  EXPECT_EQ(RoleOfPattern(Pattern::kRegionName), Role::kQuasiIdentifier);
  EXPECT_EQ(RoleOfPattern(Pattern::kDate), Role::kOther);
  EXPECT_EQ(RoleOfPattern(Pattern::kNone), Role::kOther);
}

}  // namespace
}  // namespace sz::detect
