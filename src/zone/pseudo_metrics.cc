#include "zone/pseudo_metrics.h"

#include <algorithm>
#include <limits>

#include "fmt/format.h"
#include "privacy/duck_loader.h"
#include "privacy/groupify.h"
#include "privacy/risk.h"

namespace sz::zone {

namespace {

// Stands in as the only quasi-identifier when there is none: one constant, one class.
constexpr std::string_view kWholeRelation = "__sz_whole_relation";

Result<int64_t> FewestDistinctSensitive(const privacy::Dataset& dataset, int threads) {
  privacy::WorkerPool pool(threads);
  std::vector<int> levels(static_cast<size_t>(dataset.qi_count()), 0);
  SZ_ASSIGN_OR_RETURN(privacy::Cells cells, privacy::GroupRows(dataset, levels, /*with_sensitive=*/true, pool));
  privacy::ClassView view = privacy::MakeClassView(cells);
  int64_t fewest = std::numeric_limits<int64_t>::max();
  for (int64_t c = 0; c < view.classes; ++c) fewest = std::min(fewest, view.End(c) - view.Begin(c));
  return fewest;
}

}  // namespace

Result<RelationMeasure> MeasureRelation(duck::Connection& conn, std::string_view relation,
                                        const std::vector<std::string>& quasi_identifiers,
                                        std::string_view sensitive, double risk_threshold, int threads) {
  privacy::LoadSpec spec;
  std::string select = fmt::format("SELECT * FROM {}", relation);
  if (quasi_identifiers.empty()) {
    select = fmt::format("SELECT *, 'all' AS {} FROM {}", duck::QuoteIdent(kWholeRelation), relation);
    spec.quasi_identifiers.push_back({std::string(kWholeRelation), std::nullopt});
  }
  for (const auto& q : quasi_identifiers) spec.quasi_identifiers.push_back({q, std::nullopt});
  if (!sensitive.empty()) spec.sensitive = std::string(sensitive);
  SZ_ASSIGN_OR_RETURN(privacy::Dataset dataset, privacy::LoadDatasetFromQuery(conn, select, spec));

  RelationMeasure m;
  m.rows = dataset.rows();
  for (int q = 0; q < dataset.qi_count() && !quasi_identifiers.empty(); ++q) {
    // The flat hierarchy's raw values: the distinct values, missing counted once.
    m.distinct.emplace_back(dataset.qi(q).name(), static_cast<int64_t>(dataset.qi(q).hierarchy().value_count()));
  }
  if (m.rows == 0) return m;

  std::vector<int> levels(static_cast<size_t>(dataset.qi_count()), 0);
  privacy::RiskOptions options;
  options.threshold = risk_threshold;
  options.threads = threads;
  SZ_ASSIGN_OR_RETURN(privacy::RiskReport risk, privacy::AssessRisk(dataset, levels, options));
  m.classes = risk.classes;
  m.k = risk.class_sizes.empty() ? 0 : risk.class_sizes.front().size;
  m.prosecutor_max = risk.prosecutor_highest;
  m.prosecutor_avg = risk.prosecutor_average;
  m.records_above_threshold = risk.records_at_risk;
  m.sample_uniques = risk.sample_uniqueness;
  double dm = 0;
  for (const auto& c : risk.class_sizes) dm += static_cast<double>(c.size) * static_cast<double>(c.size) * c.classes;
  m.discernibility = dm;
  m.average_class_size = risk.classes ? static_cast<double>(risk.records) / static_cast<double>(risk.classes) : 0;
  if (!sensitive.empty()) {
    SZ_ASSIGN_OR_RETURN(int64_t l, FewestDistinctSensitive(dataset, threads));
    m.l_distinct = l;
  }
  return m;
}

}  // namespace sz::zone
