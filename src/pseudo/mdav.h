// MDAV microaggregation (Maximum Distance to Average Vector): Domingo-Ferrer &
// Mateo-Sanz, "Practical data-oriented microaggregation for statistical disclosure
// control", IEEE TKDE 14(1), 2002; in the fixed-size form of Domingo-Ferrer & Torra,
// "Ordinal, continuous and heterogeneous k-anonymity through microaggregation", DMKD
// 11(2), 2005.
//
// Records are grouped so that every group has between k and 2k-1 members and members
// are close; each record's quasi-identifiers are then replaced by its group's centroid,
// so every released combination is shared by at least k records. Distances are Euclidean
// over z-scores (each column divided by its standard deviation) so that a column in won
// does not drown one in years; centroids are in original units.
//
// Cost: O(n^2 / k) distance evaluations; meant for the quasi-identifiers of datasets up
// to a few hundred thousand rows.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace sz::pseudo {

// `points` is row-major, n rows of `dims` values. Returns a group id per row; ids are
// 0..groups-1. InvalidArgument if k < 2, dims == 0 or n < k.
Result<std::vector<int32_t>> MdavGroups(std::span<const double> points, size_t dims, int k);

// Each row replaced by its group's centroid (row-major, same shape as `points`).
std::vector<double> GroupCentroids(std::span<const double> points, size_t dims,
                                   std::span<const int32_t> groups);

}  // namespace sz::pseudo
