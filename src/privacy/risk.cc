#include "privacy/risk.h"

#include <algorithm>
#include <map>

#include "fmt/format.h"
#include "privacy/groupify.h"

namespace sz::privacy {

Result<PopulationTable> PopulationTable::Make(Dataset population, std::vector<int64_t> counts) {
  if (static_cast<int64_t>(counts.size()) != population.rows()) {
    return InvalidArgument(fmt::format("the population table has {} rows but {} counts",
                                       population.rows(), counts.size()));
  }
  PopulationTable t;
  for (int64_t c : counts) {
    if (c < 0) return InvalidArgument("population counts must not be negative");
    t.total_ += c;
  }
  t.dataset_ = std::move(population);
  t.counts_ = std::move(counts);
  return t;
}

RiskReport RiskFromClassSizes(std::span<const int64_t> sizes, double threshold) {
  RiskReport r;
  // Class-size histogram: a flat array for the common small sizes, a map for the rest.
  constexpr int64_t kDense = 4096;
  std::vector<int64_t> small(kDense, 0);
  std::map<int64_t, int64_t> large;
  int64_t smallest = 0, at_risk = 0;
  for (int64_t f : sizes) {
    if (f <= 0) continue;
    if (f < kDense) {
      ++small[f];
    } else {
      ++large[f];
    }
    r.records += f;
    ++r.classes;
    if (smallest == 0 || f < smallest) smallest = f;
    if (1.0 / static_cast<double>(f) > threshold) at_risk += f;
  }
  for (int64_t f = 1; f < kDense; ++f)
    if (small[f] > 0) r.class_sizes.push_back({f, small[f]});
  for (auto [size, classes] : large) r.class_sizes.push_back({size, classes});
  r.sample_uniques = small[1];
  if (r.records > 0) {
    const auto n = static_cast<double>(r.records);
    r.prosecutor_highest = 1.0 / static_cast<double>(smallest);
    r.prosecutor_average = static_cast<double>(r.classes) / n;
    r.records_at_risk = static_cast<double>(at_risk) / n;
    r.sample_uniqueness = static_cast<double>(r.sample_uniques) / n;
  }
  return r;
}

namespace {

// Same hierarchies, so that sample and population keys are comparable.
Status CheckSameHierarchies(const Dataset& sample, const Dataset& population) {
  if (sample.qi_count() != population.qi_count()) {
    return InvalidArgument("the population table must have the sample's quasi-identifiers");
  }
  for (int q = 0; q < sample.qi_count(); ++q) {
    if (sample.qi(q).name() != population.qi(q).name() ||
        sample.qi(q).hierarchy().Rows() != population.qi(q).hierarchy().Rows()) {
      return InvalidArgument(fmt::format(
          "quasi-identifier '{}' of the population table differs from the sample's (name or "
          "hierarchy); bind both to the same hierarchy, in the same order",
          sample.qi(q).name()));
    }
  }
  return OkStatus();
}

}  // namespace

Result<RiskReport> AssessRisk(const Dataset& dataset, std::span<const int> levels,
                              const RiskOptions& options, const Criteria* suppress) {
  SZ_RETURN_IF_ERROR(dataset.CheckLevels(levels));
  if (!(options.threshold >= 0 && options.threshold <= 1)) {
    return InvalidArgument("the risk threshold must be a probability between 0 and 1");
  }
  const bool judge = suppress && !suppress->models.empty();
  if (judge) SZ_RETURN_IF_ERROR(suppress->Validate(dataset));
  WorkerPool pool(options.threads);
  SZ_ASSIGN_OR_RETURN(Cells cells,
                      GroupRows(dataset, levels, judge && suppress->NeedsSensitive(), pool));
  ClassView view = MakeClassView(cells);
  std::vector<uint8_t> suppressed(view.classes, 0);
  int64_t suppressed_records = 0;
  if (judge) {
    SensitiveDistribution dist(dataset);
    Evaluation ev = EvaluateClasses(*suppress, cells, view, dist, dataset.rows());
    for (int64_t c : ev.violating) suppressed[c] = 1;
    suppressed_records = ev.violating_records;
  }
  std::vector<int64_t> sizes;
  sizes.reserve(view.classes);
  for (int64_t c = 0; c < view.classes; ++c)
    if (!suppressed[c]) sizes.push_back(view.size[c]);
  RiskReport r = RiskFromClassSizes(sizes, options.threshold);
  r.suppressed_records = suppressed_records;

  if (options.population) {
    const Dataset& pop = options.population->dataset();
    SZ_RETURN_IF_ERROR(CheckSameHierarchies(dataset, pop));
    SZ_ASSIGN_OR_RETURN(Cells pop_cells,
                        GroupRows(pop, levels, false, pool, options.population->counts()));
    CellIndex index(pop_cells);
    const int words = pop_cells.layout.words();
    std::vector<uint64_t> key(words);
    JournalistRisk j;
    int64_t smallest = 0, at_risk = 0, missing = 0;
    double sum = 0;
    for (int64_t c = 0; c < view.classes; ++c) {
      if (suppressed[c]) continue;
      // The population key: the class's quasi-identifier groups in the population layout.
      std::fill(key.begin(), key.end(), 0);
      int64_t rep = view.Representative(c);
      for (int q = 0; q < dataset.qi_count(); ++q) {
        const auto& f = pop_cells.layout.field(q);
        if (f.bits > 0) key[f.word] |= static_cast<uint64_t>(cells.Group(rep, q)) << f.shift;
      }
      int64_t cell = index.Find(key.data());
      int64_t F = cell < 0 ? 0 : pop_cells.counts[cell];
      if (F < view.size[c]) {
        ++missing;
        continue;
      }
      if (smallest == 0 || F < smallest) smallest = F;
      sum += static_cast<double>(view.size[c]) / static_cast<double>(F);
      if (1.0 / static_cast<double>(F) > options.threshold) at_risk += view.size[c];
      if (F == 1) j.population_uniques += view.size[c];
    }
    if (missing > 0) {
      return InvalidArgument(fmt::format(
          "the population table counts fewer people than the sample holds for {} classes; it "
          "must cover the sample",
          missing));
    }
    if (r.records > 0) {
      j.highest = 1.0 / static_cast<double>(smallest);
      j.average = sum / static_cast<double>(r.records);
      j.records_at_risk = static_cast<double>(at_risk) / static_cast<double>(r.records);
    }
    r.journalist = j;
  }

  std::optional<int64_t> population_size = options.population_size;
  if (!population_size && options.population) population_size = options.population->total();
  if (population_size && r.records > 0) {
    if (*population_size < r.records) {
      return InvalidArgument("the population cannot be smaller than the sample");
    }
    r.population_uniqueness =
        EstimatePopulationUniqueness(r.class_sizes, r.records, *population_size);
  }
  return r;
}

}  // namespace sz::privacy
