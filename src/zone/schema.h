// The control-plane schema owned by the zone layer (catalog and keys). Other modules
// (identity, audit, projects, ...) own their tables and create them through their own
// CreateSchema functions, which Zone calls in order at init and open.
#pragma once

#include "common/status.h"
#include "storage/sqlite.h"

namespace sz::zone {

// Creates (if missing) every table of the zone layer and the modules below it.
Status CreateSchema(storage::SqliteDb& db);

}  // namespace sz::zone
