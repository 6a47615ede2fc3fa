// The individual checks of the security self-inspection (inspect.h). Internal to ops/.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "crypto/keys.h"
#include "ops/inspect.h"
#include "zone/zone.h"

namespace sz::ops::internal {

// What several checks need to know about the zone.
struct ZoneFacts {
  std::string dir;  // absolute
  bool demo = false;
  Time now{};
  std::string last_backup_dest;  // "" if never backed up
  std::string last_backup_time;
};

using Findings = std::vector<Finding>;

void CheckMasterKey(const ZoneFacts& facts, const crypto::MasterKeySource& key, Findings& out);
void CheckTls(const ZoneFacts& facts, const InspectOptions& options, Findings& out);
Status CheckAccounts(zone::Zone& zone, const ZoneFacts& facts, const InspectOptions& options,
                     Findings& out);
Status CheckFiles(zone::Zone& zone, const ZoneFacts& facts, const InspectOptions& options,
                  Findings& out);

// True if `child` is `parent` or lies below it (after resolving what exists of both).
// Joins up to `max` items with ", ", adding "and N more".
std::string JoinSome(const std::vector<std::string>& items, size_t max = 10);

}  // namespace sz::ops::internal
