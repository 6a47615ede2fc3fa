// Synthetic tables for tests, benchmarks and demos: build a complete table with every
// margin from its leaf cells, and generate skewed hierarchical count tables.
//
// The generators use a seeded std::mt19937_64 on purpose (reproducible synthetic data);
// nothing here touches real data or anything privacy-relevant.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "disclosure/output.h"

namespace sz::disclosure {

// A root `total_label` with one leaf per label.
Dimension FlatDimension(std::string name, std::string total_label,
                        const std::vector<std::string>& labels);

// A balanced tree under root `root_label`: fanouts {17, 15, 12} gives 17 children of the
// root, 15 under each of those and 12 under each of those. Labels are the path of
// 1-based positions ("3", "3-7", "3-7-11").
Dimension TreeDimension(std::string name, std::string root_label,
                        const std::vector<int>& fanouts);

// Evidence of one leaf cell (one person belongs to exactly one leaf cell).
struct LeafEvidence {
  int64_t persons = 0;
  double sum = 0;
  double top1 = 0;
  double top2 = 0;
  int64_t negative_contributions = 0;
};

// Builds every cell of the cross product of `dims` (dimension 0 varies slowest), each
// margin the sum of the leaves below it. `leaf` is called once per combination of leaf
// categories. Count tables publish persons, sum tables publish `sum`; top1/top2 of a
// margin are the two largest of its leaves' top contributions.
Table TableFromLeaves(Statistic statistic, std::vector<Dimension> dims,
                      const std::function<LeafEvidence(std::span<const int32_t>)>& leaf);

struct SkewedTableSpec {
  std::vector<int> fanouts = {17, 15, 12};  // hierarchy of dimension 0 (시도 > 시군구 > 읍면동)
  int columns = 14;                         // leaves of the flat dimension 1 (plus a total)
  double primary_fraction = 0.05;           // target share of cells below `threshold`
  int64_t threshold = 10;
  uint64_t seed = 1;
};

// A count table with lognormal region sizes and Zipf-like column shares, tuned so that
// roughly `primary_fraction` of all cells (margins included) hold 1..threshold-1 persons.
Table SkewedHierarchicalCountTable(const SkewedTableSpec& spec);

}  // namespace sz::disclosure
