// Re-identification risk of a (generalized) dataset, from its equivalence classes.
//
// For released classes j with sample sizes f_j (n records in all) and, when a population
// table is given, population sizes F_j (El Emam & Dankar 2008, "Protecting privacy using
// k-anonymity", J Am Med Inform Assoc 15(5)):
//  - prosecutor model (the attacker knows the person is in the data): a record's risk is
//    1/f_j; highest = 1/min f_j; average = (number of classes)/n; records at risk = share
//    of records whose risk exceeds the threshold (strictly);
//  - sample uniques: records in classes of size 1;
//  - journalist model (the attacker matches against the population): a record's risk is
//    1/F_j; highest = 1/min F_j; average = (1/n) sum_j f_j/F_j; records at risk likewise;
//    population uniques = sample records whose class has F_j = 1;
//  - population uniqueness estimates (uniqueness.h) when the population size is known.
// Suppressed records are not released, so they carry no risk and are left out (pass the
// criteria whose violating classes are suppressed).
//
// Thread-safety: pure functions; PopulationTable is immutable.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/status.h"
#include "privacy/dataset.h"
#include "privacy/models.h"
#include "privacy/uniqueness.h"

namespace sz::privacy {

// Population class sizes: rows of raw quasi-identifier values (bound to the same
// hierarchies, in the same order, as the sample's) with how many people have them.
class PopulationTable {
 public:
  // InvalidArgument if counts do not match the rows or are negative.
  static Result<PopulationTable> Make(Dataset population, std::vector<int64_t> counts);
  const Dataset& dataset() const { return dataset_; }
  std::span<const int64_t> counts() const { return counts_; }
  int64_t total() const { return total_; }

 private:
  Dataset dataset_;
  std::vector<int64_t> counts_;
  int64_t total_ = 0;
};

struct JournalistRisk {
  double highest = 0;
  double average = 0;
  double records_at_risk = 0;      // share of released records
  int64_t population_uniques = 0;  // released records unique in the population
};

struct RiskReport {
  int64_t records = 0;  // released records
  int64_t classes = 0;  // released classes
  int64_t suppressed_records = 0;
  std::vector<ClassSizeCount> class_sizes;  // size ascending
  double prosecutor_highest = 0;
  double prosecutor_average = 0;
  double records_at_risk = 0;  // share with prosecutor risk > threshold
  int64_t sample_uniques = 0;
  double sample_uniqueness = 0;  // sample_uniques / records
  std::optional<JournalistRisk> journalist;
  std::optional<PopulationUniqueness> population_uniqueness;
};

struct RiskOptions {
  // A record is "at risk" above this re-identification probability. Default: 0.2.
  double threshold = 0.2;
  // Population table for the journalist model. Default: none.
  const PopulationTable* population = nullptr;
  // Population size for uniqueness estimates; the population table's total if omitted
  // and a table is given. Default: none (no estimates).
  std::optional<int64_t> population_size;
  // Worker threads (0 = all cores). Default: 0.
  int threads = 0;
};

// Prosecutor figures from class sizes alone (no population).
RiskReport RiskFromClassSizes(std::span<const int64_t> sizes, double threshold);

// Risk of `dataset` at `levels`. With `suppress`, classes violating it are suppressed
// (left out); without, every record is released.
Result<RiskReport> AssessRisk(const Dataset& dataset, std::span<const int> levels,
                              const RiskOptions& options, const Criteria* suppress = nullptr);

}  // namespace sz::privacy
