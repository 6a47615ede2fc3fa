// Secondary cell suppression for count and sum tables, with an LP audit of the result.
//
// Primary suppressions (cells that fail the checks) are not enough when margins are
// published: a lone suppressed cell is its margin minus its published siblings. Secondary
// suppression hides more cells so that every primary keeps an interval of feasible values
// at least as wide as its protection level (see audit.h for the rule).
//
// Two methods, on the same decomposition into linked 2-D sub-tables (HiTaS, de Wolf
// 2002; tau-ARGUS "Modular"):
//
//  * kNetwork (default): Castro's shortest-path heuristic (J. Castro, "A shortest-paths
//    heuristic for statistical data protection in positive tables", INFORMS Journal on
//    Computing 19(4):520-533, 2007). Each sub-table is a bipartite network whose cycles
//    are the additivity-preserving changes; for each primary and each direction (up by
//    L, down by min(L, x - lower bound)) the cheapest cycle through it that can carry
//    the change is found with Dijkstra, already-suppressed cells costing nothing.
//    Incremental: later primaries reuse earlier suppressions. Hierarchies are linked
//    exactly: a cycle through a row that is also a sub-table total (or whose total is
//    another sub-table's row) creates a demand in that sub-table for a path between the
//    same two columns avoiding that row, solved the same way, recursively (HiTaS's top-
//    down order, with upward demands when a path has to use a sub-table's total row).
//
//  * kHypercube (baseline): the classic hypercube heuristic (Giessing & Repsilber,
//    "Tools and strategies to protect multiple tables with the GHQUAR cell suppression
//    engine", 2002; GHMITER): in every sub-table each suppressed cell gets the cheapest
//    2x2 rectangle (a pair, in 1-D) of cells that can absorb its protection, repeated
//    over linked sub-tables until nothing changes.
//
// Supported shapes: 1-D tables (any hierarchy) and 2-D tables where at most one dimension
// is hierarchical and each dimension has a single total (or no total at all). Others are
// Unimplemented. Suppression needs an additive table (statistic count or sum).
//
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "common/status.h"
#include "disclosure/audit.h"
#include "disclosure/output.h"
#include "disclosure/risk_appetite.h"

namespace sz::disclosure {

enum class SuppressionMethod { kNetwork, kHypercube };

// What suppressing an extra cell costs (tau-ARGUS's cost functions).
enum class SuppressionCost {
  kUnity,  // every cell costs 1: minimizes the number of suppressions
  kValue,  // the cell's value + 1: minimizes the suppressed total
  kLog,    // 1 + ln(1 + value): in between (tau-ARGUS's lambda -> 0 transform)
};

struct SuppressionOptions {
  SuppressionMethod method = SuppressionMethod::kNetwork;
  SuppressionCost cost = SuppressionCost::kLog;  // Default: kLog
  ProtectionRule protection;                     // Default: see risk_appetite.h
  // Default: true (network method only). After the heuristic, publish back secondary
  // cells the pattern does not need, each removal verified by the LP audit of its
  // component (most expensive first; components above `cleanup_max_cells` suppressed
  // cells are left alone).
  bool cleanup = true;
  size_t cleanup_max_cells = 200;  // Default: 200
  bool audit = true;  // Default: true; run AuditSuppression on the pattern
};

struct SuppressionResult {
  std::vector<CellStatus> status;  // one per table cell
  size_t primaries = 0;
  size_t secondaries = 0;
  // Primaries (and linking demands) for which the heuristic found no protecting pattern
  // within its search; the audit says what that means for the table.
  size_t unresolved = 0;
  size_t cleaned = 0;  // secondaries published back by the cleanup pass
  std::optional<AuditReport> audit;  // when options.audit
};

// `primary` has one entry per cell (CheckReport::PrimaryMask()). InvalidArgument for a
// size mismatch or a table that breaks its invariants or does not add up.
Result<SuppressionResult> SuppressSecondary(const Table& table, const std::vector<bool>& primary,
                                            const SuppressionOptions& options);

}  // namespace sz::disclosure
