// Column profiling at import: the schema of a converted dataset and, per column, the
// role the identifier detector proposes, with its evidence.
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/duck.h"
#include "zone/catalog.h"

namespace sz::zone {

// Profiles every column of `relation_sql` from a deterministic sample of at most
// `sample_rows` rows. The proposed role is also the initial role (unconfirmed).
Result<std::vector<ColumnInfo>> ProfileColumns(duck::Connection& conn, std::string_view relation_sql,
                                               size_t sample_rows);

}  // namespace sz::zone
