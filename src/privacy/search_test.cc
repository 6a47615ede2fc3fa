#include "privacy/search.h"

#include <gtest/gtest.h>
#include <iostream>

#include "privacy/adult.h"

namespace sz::privacy {
namespace {

const Dataset& Adult() {
  static const Dataset* adult = [] {
    auto d = LoadAdult(std::string(SAFEZONE_SHARED_DATA) + "/adult");
    if (!d.ok()) {
      ADD_FAILURE() << d.status().ToString();
      std::abort();
    }
    return new Dataset(std::move(d).value());
  }();
  return *adult;
}

Criteria KAnon(int64_t k, double suppression) {
  Criteria c;
  c.models.push_back(PrivacyModel::KAnonymity(k));
  c.suppression_limit = suppression;
  return c;
}

TEST(SearchAdult, MatchesArxWithoutSuppression) {
  ASSERT_EQ(Adult().rows(), 30162);
  auto r = Search(Adult(), KAnon(5, 0.0));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->suppressed_records, 0);
  EXPECT_EQ(r->classes, 24);
  EXPECT_TRUE(r->optimal);
  std::printf("levels:");
  for (int l : r->levels) std::printf(" %d", l);
  std::printf(" loss %.6f checked %lld tagged %lld time %.3f\n", r->value,
              static_cast<long long>(r->nodes_checked), static_cast<long long>(r->nodes_tagged),
              r->seconds);
}

TEST(SearchAdult, MatchesArxWithTwoPercentSuppression) {
  auto r = Search(Adult(), KAnon(5, 0.02));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->suppressed_records, 506);
  EXPECT_EQ(r->classes, 222);
  std::printf("levels:");
  for (int l : r->levels) std::printf(" %d", l);
  std::printf(" loss %.6f checked %lld tagged %lld time %.3f\n", r->value,
              static_cast<long long>(r->nodes_checked), static_cast<long long>(r->nodes_tagged),
              r->seconds);
}

}  // namespace
}  // namespace sz::privacy
