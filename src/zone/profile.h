// Column profiling at import: the schema of a converted dataset and, per column, the
// role the identifier detector proposes, with its evidence.
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/duck.h"
#include "zone/catalog.h"

namespace sz::zone {

// Profiles every column of the Parquet file at `parquet_path` from a deterministic
// sample of about `sample_rows` rows spread over the file. The proposed role is also
// the initial role (unconfirmed).
Result<std::vector<ColumnInfo>> ProfileColumns(duck::Connection& conn, std::string_view parquet_path,
                                               size_t sample_rows);

}  // namespace sz::zone
