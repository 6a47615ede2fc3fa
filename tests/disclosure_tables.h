// Small hand-made tables for the disclosure tests.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "disclosure/output.h"
#include "disclosure/synthetic.h"
#include "disclosure/table_index.h"

namespace sz::disclosure::testing {

// Count table rows x cols with both margins; counts[r][c] are the interior cells.
// Category 0 of each dimension is the total ("Total"), 1.. the labels in order.
inline Table CountTable2D(const std::vector<std::string>& rows,
                          const std::vector<std::string>& cols,
                          const std::vector<std::vector<int64_t>>& counts) {
  return TableFromLeaves(Statistic::kCount,
                         {FlatDimension("row", "Total", rows), FlatDimension("col", "Total", cols)},
                         [&](std::span<const int32_t> c) {
                           LeafEvidence e;
                           e.persons = counts[static_cast<size_t>(c[0] - 1)]
                                             [static_cast<size_t>(c[1] - 1)];
                           e.sum = static_cast<double>(e.persons);
                           return e;
                         });
}

// Index of the cell with these categories; aborts the test if absent.
inline size_t At(const Table& table, std::vector<int32_t> categories) {
  auto index = TableIndex::Build(table);
  if (!index.ok()) return static_cast<size_t>(-1);
  return index->Find(categories).value_or(static_cast<size_t>(-1));
}

}  // namespace sz::disclosure::testing
