// Differencing: a new table compared with the tables the project released before.
//
// Two published cells whose populations are nested reveal the difference of their values,
// i.e. a statistic about the persons in the larger population but not in the smaller.
// When that group is small (1 .. threshold-1 persons) the pair is as disclosive as a
// small cell (Hundepool et al., Statistical Disclosure Control, 2012, 4.5 "disclosure by
// differencing").
//
// What is detected, precisely. A cell's population is a box: for every variable, the set
// of base codes it admits (from the table's filters and the cell's category in each
// dimension; see Category::codes), or "any". Cell a (population A, persons p_a) of the
// new table and cell b (B, p_b) of an earlier released table with the same statistic
// (count or sum) and the same measure form a differencing pair when both are published,
// one box contains the other (A within B, or B within A, variable by variable), and
// 0 < |p_a - p_b| < threshold. Margins are cells, so "the same table with one more
// filter category" and "groupings that overlap but for a few persons" (age bands 20-29
// vs 20-30) are both caught.
//
// Capped counts (CellEvidence::persons_capped: "c or more" persons) do not tell small
// differences apart. A pair with a capped count whose difference could be below the
// threshold (both capped, or the exact count above c - threshold) and whose populations
// are strictly nested is flagged for review as undecided, never passed silently; the
// workspace counts persons exactly for count tables when the project has released count
// tables to compare with (zone/workspace.h).
//
// Differences of sums of several cells (e.g. a total minus five published parts from
// another table) are not caught: that is what the interval audit covers within a table,
// and across tables it would need a joint audit.
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "disclosure/checks.h"
#include "disclosure/output.h"

namespace sz::disclosure {

struct ReleasedTable {
  std::string uid;              // the earlier output ("output_3")
  const Table* table = nullptr; // must outlive the call
  std::vector<bool> published;  // per cell; empty: every cell was published
};

struct Difference {
  std::string released_uid;
  size_t cell = 0;           // in the new table
  size_t released_cell = 0;  // in the released table
  int64_t persons = 0;       // persons in the larger population only (0 when undecided)
  std::string en;
  std::string ko;
  bool undecided = false;    // a capped count: the difference may or may not be small
};

// `published` is per cell of `candidate` (empty: all). Pairs are returned in candidate
// cell order. InvalidArgument for size mismatches or tables that break their invariants.
Result<std::vector<Difference>> FindDifferences(const Table& candidate,
                                                const std::vector<bool>& published,
                                                std::span<const ReleasedTable> released,
                                                int64_t threshold);

// Adds one review finding (Rule::kDifferencing) per difference to the candidate's cells
// and refreshes the report's verdict and summary.
void AttachDifferences(std::span<const Difference> differences, CheckReport& report);

}  // namespace sz::disclosure
