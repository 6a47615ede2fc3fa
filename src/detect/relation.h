// Profiles every column of a DuckDB relation: the convenience the import path uses.
//
// The sample is a reservoir sample of at most `sample_rows` rows drawn by DuckDB
// (`USING SAMPLE reservoir(n ROWS) REPEATABLE(seed)`), so it is uniform over the whole
// relation rather than its head, and the same relation yields the same profile (the
// seed is fixed). Every column is read as text (CAST ... AS VARCHAR), so numeric
// columns holding identifiers (a BIGINT of 13-digit RRNs) are checked like text.
//
// `relation_sql` is a FROM-clause item built by the calling code, e.g. a table name or
// "read_parquet('/proc/self/fd/7')"; it is spliced into SQL and must never come from an
// end user.
//
// Thread-safety: uses `conn` for the duration of the call (one thread per connection).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "detect/profile.h"
#include "storage/duck.h"

namespace sz::detect {

// Default sample size: enough for shares to ±0.5% at 99% confidence.
constexpr size_t kDefaultSampleRows = 100000;

// InvalidArgument if sample_rows is 0 or the relation cannot be read (DuckDB's error
// code is kept otherwise: Cancelled if interrupted, ResourceExhausted on memory).
Result<std::vector<ColumnProfile>> ProfileRelation(duck::Connection& conn,
                                                   std::string_view relation_sql,
                                                   size_t sample_rows = kDefaultSampleRows,
                                                   const ProfileOptions& options = {});

// Profiles a Parquet file (e.g. a MemFile path) without reading all of it: the sample is
// every row in evenly spaced windows of 2048 rows (Parquet's row numbers), about
// `sample_rows` in all, spread over the whole file. Deterministic. Much cheaper than a
// reservoir over every row: DuckDB skips decoding rows outside the windows.
Result<std::vector<ColumnProfile>> ProfileParquet(duck::Connection& conn, std::string_view path,
                                                  size_t sample_rows = kDefaultSampleRows,
                                                  const ProfileOptions& options = {});

}  // namespace sz::detect
