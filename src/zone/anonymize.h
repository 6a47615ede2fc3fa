// The optimal anonymization search as a use case: for a dataset version, quasi-
// identifiers with generalization hierarchies, and privacy models (k-anonymity, distinct
// l-diversity, t-closeness) with a suppression limit, the full-domain generalization with
// the least information loss (privacy::Search: Flash/OLA-style optimal search, Kohlmayer
// et al. 2012, El Emam et al. 2009), and that result as policy rules the officer can
// paste into a pseudonymization policy.
//
// Hierarchies are named, never read from a path: an uploaded hierarchy (hierarchies.h)
// or "admin", the built-in Korean administrative hierarchy (address/읍면동 -> 시군구 ->
// 시도 -> *) built over the column's values. Values a hierarchy does not cover are an
// error listing how many and (for columns that are not direct identifiers) up to ten.
//
// As rules: level 0 is `keep`; an uploaded hierarchy at level L is `generalize/hierarchy`
// with `hierarchy_file: NAME, level: L`; admin level 1 is `admin_region` 시군구, level 2
// 시도, level 3 (everything '*') `delete`. Suppression is not expressible per class in a
// policy: when the search suppressed records, the rules generalize exactly as the search
// did and the run's k verdict shows the classes that remain small (SearchOutcome says so).
//
// Who: officers (kPseudonymizeConfigure on the dataset) and the operator; audited.
// Thread-safety: same rule as Zone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "privacy/utility.h"
#include "pseudo/policy.h"
#include "zone/access.h"
#include "zone/zone.h"

namespace sz::zone {

struct QiHierarchy {
  std::string column;
  std::string hierarchy;  // an uploaded hierarchy's name, or "admin"
};

struct SearchRequest {
  std::string dataset;
  int version = 0;  // 0: the latest
  std::vector<QiHierarchy> quasi_identifiers;
  int64_t k = 5;                 // REQUIRES 1 <= k <= rows
  std::string sensitive;         // needed for l and t
  int64_t l = 0;                 // distinct l-diversity; 0 = not required
  double t = 0;                  // t-closeness; 0 = not required
  bool t_ordered = false;        // ordered distance (numeric sensitive values) instead of equal
  double suppression = 0;        // share of records that may be suppressed, [0, 1]
  privacy::UtilityMetric metric = privacy::UtilityMetric::kLoss;
  int threads = 0;  // 0 = all cores
};

struct SearchLevel {
  std::string column;
  std::string hierarchy;
  int level = 0;
  int levels = 0;  // of the hierarchy, level 0 included
};

struct SearchOutcome {
  std::string dataset;
  int version = 0;
  int64_t rows = 0;
  std::vector<SearchLevel> levels;
  double value = 0;  // of the metric minimised
  privacy::UtilityReport utility;
  std::vector<std::string> models;
  int64_t classes = 0;
  int64_t suppressed_records = 0;
  bool optimal = false;
  int64_t nodes_checked = 0;
  int64_t nodes_tagged = 0;
  double lattice_nodes = 0;
  double seconds = 0;
  std::vector<pseudo::ColumnRule> rules;  // the result as policy rules
  std::string rules_yaml;                 // the same, ready to paste under `columns:`
};

Result<SearchOutcome> SearchAnonymization(Zone& zone, const Caller& caller, const SearchRequest& request);

}  // namespace sz::zone
