// Internal to the pseudonymization use cases: re-identification risk and utility
// figures of one relation (a dataset version, before or after a run) over its
// quasi-identifiers, on the raw values. DuckDB groups the classes; the figures come from
// the class sizes through the privacy engine's formulas (privacy::RiskFromClassSizes),
// so they equal privacy::AssessRisk on the flat hierarchies at level 0 (tested).
//
// Classes are the sets of records that agree on every quasi-identifier; missing values
// (NULL, '') form their own class. With no quasi-identifier at all, the whole relation
// is one class. Figures (El Emam & Dankar 2008; Bayardo & Agrawal 2005):
//   k = smallest class; prosecutor max = 1/k, average = classes/n; records above the
//   threshold = share of records whose class risk 1/f exceeds it; sample uniques =
//   share of records in classes of one; discernibility = sum f^2; average class size = n/classes;
//   l_distinct = fewest distinct sensitive values in a class (missing counts as a value).
//
// Thread-safety: uses `conn` for the duration of the call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "storage/duck.h"

namespace sz::zone {

struct RelationMeasure {
  int64_t rows = 0;
  int64_t classes = 0;
  // Unset when the relation has no rows.
  std::optional<int64_t> k;
  std::optional<double> prosecutor_max;
  std::optional<double> prosecutor_avg;
  std::optional<double> records_above_threshold;
  std::optional<double> sample_uniques;  // share of records in classes of one
  std::optional<double> discernibility;
  std::optional<double> average_class_size;
  std::optional<int64_t> l_distinct;  // when a sensitive column is given
  std::vector<std::pair<std::string, int64_t>> distinct;  // per quasi-identifier
};

// `relation`: a FROM-clause built by the zone (never by a person). `sensitive` "" = none.
Result<RelationMeasure> MeasureRelation(duck::Connection& conn, std::string_view relation,
                                        const std::vector<std::string>& quasi_identifiers,
                                        std::string_view sensitive, double risk_threshold);

}  // namespace sz::zone
