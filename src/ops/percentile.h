// Latency percentiles for the usage report.
//
// The nearest-rank percentile: for n sorted values x(1) <= ... <= x(n) and 0 < p <= 100,
// P_p = x(ceil(p/100 * n)). It is Hyndman & Fan's definition 1 ("Sample quantiles in
// statistical packages", The American Statistician 50(4), 1996), the inverse of the
// empirical distribution function: always one of the observed values, never an
// interpolation, so an operator can read "p95 = 840 ms" as "95 % of the requests took at
// most 840 ms" and a test can compute it by hand.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>

namespace sz::ops {

// REQUIRES: `sorted` ascending and non-empty; 0 < p <= 100.
int64_t NearestRank(std::span<const int64_t> sorted, double p);

}  // namespace sz::ops
