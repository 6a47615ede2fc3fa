// Loads a privacy Dataset from a DuckDB relation.
//
// The named columns are cast to VARCHAR in DuckDB (so a number matches its hierarchy's
// text, "39" for age 39) and streamed chunk by chunk through the C API
// (duckdb_pending_prepared_streaming + duckdb_fetch_chunk): the whole result is never
// materialized, and each value is dictionary-encoded on arrival, so memory is one int32
// per cell plus the distinct values. NULL and '' load as the missing value (dataset.h).
//
// Thread-safety: uses `conn` for the duration of the call (one thread per connection).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "privacy/dataset.h"
#include "privacy/hierarchy.h"
#include "privacy/risk.h"
#include "storage/duck.h"

namespace sz::privacy {

struct QiSpec {
  std::string column;
  // Its generalization hierarchy; none = the flat hierarchy value -> '*' (risk only).
  std::optional<Hierarchy> hierarchy;
};

struct LoadSpec {
  std::vector<QiSpec> quasi_identifiers;
  // Name of the sensitive column, if any.
  std::optional<std::string> sensitive;
  // Order of sensitive values (ordered t-closeness). Default: lexicographic.
  ValueOrder sensitive_order = ValueOrder::kLexicographic;
};

// Loads the columns of `spec` from table or view `table` (any name; it is quoted).
Result<Dataset> LoadDataset(duck::Connection& conn, std::string_view table, const LoadSpec& spec);

// Same from the rows of a SELECT statement built by the caller (never by an end user).
Result<Dataset> LoadDatasetFromQuery(duck::Connection& conn, std::string_view select_sql,
                                     const LoadSpec& spec);

// Loads a population table (risk.h) from `select_sql`: the quasi-identifier columns of
// `sample`, bound to the sample's hierarchies, and `count_column` (people per row,
// an integer >= 0). InvalidArgument on a missing or non-integer count.
Result<PopulationTable> LoadPopulation(duck::Connection& conn, std::string_view select_sql,
                                       const Dataset& sample, const std::string& count_column);

// Loads just the dictionary-encoded columns (no hierarchies bound): the building block of
// the two functions above, also used for population tables.
Result<std::vector<EncodedColumn>> LoadColumns(duck::Connection& conn, std::string_view select_sql,
                                               const std::vector<std::string>& columns);

}  // namespace sz::privacy
