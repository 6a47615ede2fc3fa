#include "ops/percentile.h"

#include <cmath>

namespace sz::ops {

int64_t NearestRank(std::span<const int64_t> sorted, double p) {
  const double n = static_cast<double>(sorted.size());
  // ceil(p/100 * n), computed so that p = 50, n = 10 gives exactly 5 (no 5.000000001).
  auto rank = static_cast<size_t>(std::ceil(p * n / 100.0 - 1e-9));
  if (rank < 1) rank = 1;
  if (rank > sorted.size()) rank = sorted.size();
  return sorted[rank - 1];
}

}  // namespace sz::ops
