// The UCI Adult benchmark (shared/data/adult, as prepared by the ARX project), loaded as
// a privacy Dataset through DuckDB: for tests and benchmarks, not for production paths.
//
// All nine columns are quasi-identifiers with their ARX hierarchies, unless one is named
// as the sensitive attribute.
//
// Thread-safety: the function opens its own in-memory database.
#pragma once

#include <optional>
#include <string>

#include "common/status.h"
#include "privacy/dataset.h"

namespace sz::privacy {

inline constexpr const char* kAdultColumns[] = {
    "sex",       "age",        "race",        "marital-status", "education", "native-country",
    "workclass", "occupation", "salary-class"};

// Loads `data_dir`/adult.csv with hierarchies `data_dir`/adult_hierarchy_<col>.csv;
// `replicate` > 1 repeats every row that many times (scale tests).
Result<Dataset> LoadAdult(const std::string& data_dir,
                          const std::optional<std::string>& sensitive = std::nullopt,
                          int replicate = 1);

}  // namespace sz::privacy
