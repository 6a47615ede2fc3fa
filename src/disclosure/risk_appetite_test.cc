#include "disclosure/risk_appetite.h"

#include <gtest/gtest.h>

namespace sz::disclosure {
namespace {

TEST(DisclosureRiskAppetite, DefaultsMatchTheHousePolicy) {
  auto a = ResolveRiskAppetite("", "");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->threshold, 10);
  EXPECT_EQ(a->p_percent, 10);
  EXPECT_EQ(a->nk_n, 2);
  EXPECT_EQ(a->nk_k, 90);
  EXPECT_EQ(a->min_residual_df, 10);
  EXPECT_EQ(a->min_observations_per_parameter, 3);
  EXPECT_TRUE(a->extremes_fail);
  EXPECT_FALSE(a->dominance_confidential);
  EXPECT_EQ(a->zeros, SoftRule::kReview);
  EXPECT_EQ(a->full_cells, SoftRule::kReview);
  EXPECT_EQ(a->rounding_base, 5);
  EXPECT_EQ(a->protection.percent, 10);
  EXPECT_EQ(a->protection.min_count, 5);
  EXPECT_EQ(a->freeform.max_bytes, 10u << 20);
  EXPECT_EQ(a->freeform.allowed_types.front(), "csv");
}

TEST(DisclosureRiskAppetite, ProjectOverZoneOverDefaults) {
  auto a = ResolveRiskAppetite(R"({"threshold": 20, "p_percent": 15, "nk": {"k": 85}})",
                               R"({"p_percent": 12, "nk": {"n": 1}})");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->threshold, 20);   // zone
  EXPECT_EQ(a->p_percent, 12);   // project wins over zone
  EXPECT_EQ(a->nk_n, 1);         // project
  EXPECT_EQ(a->nk_k, 85);        // zone, kept: nested objects merge key by key
  EXPECT_EQ(a->min_residual_df, 10);  // default

  // RFC 7396: null removes the zone's value, so the default comes back.
  auto reset = ResolveRiskAppetite(R"({"threshold": 20})", R"({"threshold": null})");
  ASSERT_TRUE(reset.ok());
  EXPECT_EQ(reset->threshold, 10);

  auto types = ResolveRiskAppetite("", R"({"freeform": {"allowed_types": [".CSV", "do"]}})");
  ASSERT_TRUE(types.ok());
  EXPECT_EQ(types->freeform.allowed_types, (std::vector<std::string>{"csv", "do"}));
}

TEST(DisclosureRiskAppetite, RejectsTyposAndBadValues) {
  auto typo = ResolveRiskAppetite(R"({"treshold": 5})", "");
  EXPECT_EQ(typo.status().code(), Code::kInvalidArgument);
  EXPECT_NE(typo.status().message().find("treshold"), std::string::npos);
  EXPECT_EQ(ResolveRiskAppetite("", R"({"nk": {"n": 3}})").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ResolveRiskAppetite("", R"({"nk": {"k": 0}})").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ResolveRiskAppetite("", R"({"threshold": 0})").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ResolveRiskAppetite("", R"({"threshold": "10"})").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ResolveRiskAppetite("", R"({"zeros": "ignore"})").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ResolveRiskAppetite("", R"({"protection": {"percnt": 5}})").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ResolveRiskAppetite("[1, 2]", "").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ResolveRiskAppetite("{", "").status().code(), Code::kInvalidArgument);
}

TEST(DisclosureRiskAppetite, JsonRoundTrip) {
  auto a = ResolveRiskAppetite(R"({"threshold": 7, "extremes": "review"})", "");
  ASSERT_TRUE(a.ok());
  std::string json = RiskAppetiteToJson(*a, false);
  auto again = ResolveRiskAppetite(json, "");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->threshold, 7);
  EXPECT_FALSE(again->extremes_fail);
  EXPECT_EQ(RiskAppetiteToJson(*again, false), json);
}

}  // namespace
}  // namespace sz::disclosure
