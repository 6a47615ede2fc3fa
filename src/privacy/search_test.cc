#include "privacy/search.h"

#include <gtest/gtest.h>

#include <map>

#include "privacy/adult.h"
#include "privacy/release.h"
#include "privacy/test_tables.h"

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

// Re-checks a search result from scratch: the models hold at the chosen node, the
// suppression stays within the limit, and the released table, regrouped on its labels
// by plain counting, has no class smaller than k.
void ExpectValidResult(const Dataset& d, const Criteria& c, const SearchResult& r) {
  auto check = Check(d, r.levels, c);
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  EXPECT_TRUE(check->satisfied);
  EXPECT_EQ(check->violating_records, r.suppressed_records);
  EXPECT_LE(r.suppressed_records, c.MaxSuppressed(d.rows()));
  auto release = Apply(d, r.levels, c);
  ASSERT_TRUE(release.ok()) << release.status().ToString();
  std::map<std::vector<std::string>, int64_t> classes;
  int64_t suppressed = 0;
  for (int64_t row = 0; row < release->rows(); ++row) {
    if (release->Suppressed(row)) {
      ++suppressed;
      continue;
    }
    std::vector<std::string> key;
    for (int q = 0; q < d.qi_count(); ++q) key.emplace_back(release->Label(q, row));
    ++classes[key];
  }
  EXPECT_EQ(suppressed, r.suppressed_records);
  EXPECT_EQ(static_cast<int64_t>(classes.size()), r.classes);
  for (const auto& [key, size] : classes) EXPECT_GE(size, c.MaxK());
}

TEST(SearchAdult, MatchesArxWithoutSuppression) {
  ASSERT_EQ(Adult().rows(), 30162);
  Criteria c = KAnon(5, 0.0);
  auto r = Search(Adult(), c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // ARX 3.9.2, k = 5, Loss, 0%: 0 suppressed records, 24 equivalence classes.
  EXPECT_EQ(r->suppressed_records, 0);
  EXPECT_EQ(r->classes, 24);
  EXPECT_TRUE(r->optimal);
  // The optimum is unique (the runner-up's loss is 0.5874): sex, age, race, marital,
  // education, country, workclass, occupation, salary.
  EXPECT_EQ(r->levels, (std::vector<int>{0, 4, 1, 1, 3, 2, 2, 1, 0}));
  EXPECT_NEAR(r->value, 0.573151, 1e-6);
  EXPECT_EQ(r->lattice_nodes, 12960);
  EXPECT_LT(r->nodes_checked, 12960);  // the prunings did their work
  EXPECT_DOUBLE_EQ(r->value, r->utility.loss);
  ExpectValidResult(Adult(), c, *r);
}

TEST(SearchAdult, MatchesArxWithTwoPercentSuppression) {
  Criteria c = KAnon(5, 0.02);
  auto r = Search(Adult(), c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // ARX 3.9.2, k = 5, Loss, 2%: 506 suppressed records, 222 equivalence classes.
  EXPECT_EQ(r->suppressed_records, 506);
  EXPECT_EQ(r->classes, 222);
  EXPECT_TRUE(r->optimal);
  EXPECT_EQ(r->levels, (std::vector<int>{0, 3, 0, 2, 2, 1, 1, 2, 0}));  // runner-up: 0.3173
  EXPECT_NEAR(r->value, 0.313713, 1e-6);
  ExpectValidResult(Adult(), c, *r);
}

TEST(SearchAdult, PrunedSearchEqualsExhaustive) {
  for (double suppression : {0.02}) {  // 0% is covered by the random lattices below
    Criteria c = KAnon(5, suppression);
    SearchOptions exhaustive;
    exhaustive.strategy = SearchStrategy::kExhaustive;
    auto all = Search(Adult(), c, exhaustive);
    auto pruned = Search(Adult(), c);
    ASSERT_TRUE(all.ok() && pruned.ok());
    EXPECT_EQ(all->nodes_checked, 12960);
    EXPECT_EQ(pruned->levels, all->levels) << suppression;
    EXPECT_DOUBLE_EQ(pruned->value, all->value) << suppression;
  }
}

// Exhaustive search (every node checked, no tagging, no bounds) and both pruned
// variants must agree on random small lattices, for every model and metric, monotone
// or not.
TEST(SearchPruning, EqualsExhaustiveOnRandomLattices) {
  std::vector<Criteria> criteria;
  criteria.push_back(KAnon(3, 0));
  criteria.push_back(KAnon(5, 0.05));
  {
    Criteria c = KAnon(2, 0.03);
    c.models.push_back(PrivacyModel::DistinctLDiversity(2));
    criteria.push_back(c);
  }
  for (double s : {0.0, 0.04}) {
    Criteria c;
    c.models.push_back(PrivacyModel::EntropyLDiversity(2.2));
    c.suppression_limit = s;
    criteria.push_back(c);
  }
  {
    Criteria c;
    c.models.push_back(PrivacyModel::RecursiveCLDiversity(3, 2));
    c.suppression_limit = 0.02;
    criteria.push_back(c);
  }
  {
    Criteria c = KAnon(2, 0.03);
    c.models.push_back(PrivacyModel::EqualDistanceTCloseness(0.3));
    criteria.push_back(c);
  }
  {
    Criteria c;
    c.models.push_back(PrivacyModel::OrderedDistanceTCloseness(0.2));
    criteria.push_back(c);
  }
  const UtilityMetric metrics[] = {
      UtilityMetric::kLoss, UtilityMetric::kPrecision, UtilityMetric::kDiscernibility,
      UtilityMetric::kNonUniformEntropy, UtilityMetric::kAverageClassSize};
  int compared = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    Dataset d =
        testing::RandomDataset(seed % 2 ? 3 : 4, 8, 400 + 300 * static_cast<int64_t>(seed), seed);
    for (size_t ci = 0; ci < criteria.size(); ++ci) {
      for (UtilityMetric metric : metrics) {
        SearchOptions exhaustive;
        exhaustive.strategy = SearchStrategy::kExhaustive;
        exhaustive.metric = metric;
        exhaustive.threads = 1;
        SearchOptions chain = exhaustive;
        chain.strategy = SearchStrategy::kOptimal;
        SearchOptions parallel_chain = chain;
        parallel_chain.threads = 3;  // ternary chain probes and batched checks
        SearchOptions direct = chain;
        direct.chain_search = false;
        direct.threads = 2;
        auto want = Search(d, criteria[ci], exhaustive);
        for (const SearchOptions& o : {chain, parallel_chain, direct}) {
          auto got = Search(d, criteria[ci], o);
          std::string where = "seed " + std::to_string(seed) + " criteria " + std::to_string(ci) +
                              " metric " + std::string(UtilityMetricName(metric));
          ASSERT_EQ(got.ok(), want.ok()) << where << " " << got.status().ToString();
          if (!want.ok()) {
            EXPECT_EQ(got.status().code(), Code::kFailedPrecondition) << where;
            continue;
          }
          EXPECT_EQ(got->levels, want->levels) << where;
          EXPECT_DOUBLE_EQ(got->value, want->value) << where;
          EXPECT_EQ(got->suppressed_records, want->suppressed_records) << where;
          EXPECT_TRUE(got->optimal) << where;
          if (o.threads == 1) {
            EXPECT_LE(got->nodes_checked, want->nodes_checked) << where;
          }
          ++compared;
          if (metric == UtilityMetric::kLoss) ExpectValidResult(d, criteria[ci], *got);
        }
      }
    }
  }
  EXPECT_GT(compared, 450);  // most combinations have a solution
}

TEST(SearchPruning, RollUpAndRegroupingAgree) {
  Dataset d = testing::RandomDataset(4, 8, 3000, 42);
  Criteria c = KAnon(4, 0.03);
  SearchOptions rows;
  rows.strategy = SearchStrategy::kExhaustive;
  rows.roll_up = false;
  SearchOptions rolled = rows;
  rolled.roll_up = true;
  rolled.cache_bytes = 1 << 16;  // tiny cache: exercises eviction and the bottom source
  auto a = Search(d, c, rows);
  auto b = Search(d, c, rolled);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->levels, b->levels);
  EXPECT_DOUBLE_EQ(a->value, b->value);
}

TEST(Search, ReportsImpossibleCriteria) {
  // Only two sensitive values: no class can ever be distinct 3-diverse.
  Dataset d = testing::RandomDataset(2, 4, 200, 3, 2);
  Criteria c;
  c.models.push_back(PrivacyModel::DistinctLDiversity(3));
  EXPECT_EQ(Search(d, c).status().code(), Code::kFailedPrecondition);
}

TEST(Search, HeuristicHandlesTwentyTwoQuasiIdentifiers) {
  // 3^22 = 3.1e10 nodes: beyond exact search, within a budgeted heuristic.
  Dataset d = testing::RandomDataset(22, 4, 20000, 8, 0);
  Criteria c = KAnon(5, 0.02);
  EXPECT_EQ(Search(d, c).status().code(), Code::kResourceExhausted);
  SearchOptions o;
  o.strategy = SearchStrategy::kHeuristic;
  o.max_checks = 200;
  auto r = Search(d, c, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_LE(r->nodes_checked, 200 + 1);  // + the final report's grouping of a cached node
  EXPECT_GT(r->lattice_nodes, 3e10);
  EXPECT_FALSE(r->optimal);
  EXPECT_LT(r->value, 1.0);  // better than suppressing everything
  ExpectValidResult(d, c, *r);
}

TEST(Search, HeuristicWithEnoughBudgetProvesOptimality) {
  Dataset d = testing::RandomDataset(3, 8, 600, 4);
  Criteria c = KAnon(3, 0.02);
  SearchOptions o;
  o.strategy = SearchStrategy::kHeuristic;
  o.max_checks = 100000;
  auto h = Search(d, c, o);
  auto exact = Search(d, c);
  ASSERT_TRUE(h.ok() && exact.ok());
  EXPECT_TRUE(h->optimal);
  EXPECT_EQ(h->levels, exact->levels);
}

}  // namespace
}  // namespace sz::privacy
