// Rounding of count and sum tables, with "redact then round" (as ACRO does for its
// rounding mitigation).
//
// Interior cells (a leaf category in every dimension) are rounded to the nearest multiple
// of `base` (halves away from zero); cells marked for redaction are withheld; then every
// margin is recomputed as the sum of the rounded, unredacted interior cells below it, so
// the published table adds up exactly and no withheld cell can be found by subtracting
// published cells from a published total (the totals no longer include it). A margin
// marked for redaction is withheld as well.
//
// Conventional rounding alone is not a guarantee (Hundepool et al. 2012, 5.3: unbiased
// rounding with recomputed margins can leak through many overlapping tables); it is a
// mitigation the reviewer chooses, and the results record says so.
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/status.h"
#include "disclosure/output.h"

namespace sz::disclosure {

struct RoundedTable {
  int64_t base = 1;
  std::vector<std::optional<double>> values;  // one per cell; nullopt: withheld
};

// `redact` is empty (nothing withheld) or has one entry per cell. InvalidArgument for a
// base < 1, a size mismatch, a table that is not count or sum, or broken invariants.
Result<RoundedTable> RoundTable(const Table& table, int64_t base,
                                const std::vector<bool>& redact);

// Nearest multiple of `base` (halves away from zero).
double RoundToBase(double value, int64_t base);

}  // namespace sz::disclosure
