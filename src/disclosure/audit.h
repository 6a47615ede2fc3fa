// Interval audit of a suppression pattern, by linear programming.
//
// An intruder sees every published cell and knows the table adds up (each total is the
// sum of its parts, along every dimension) and the a priori bounds of the cells
// (>= 0 for a table without negative values, unbounded otherwise). For each suppressed
// cell the audit solves
//
//     min x_c  and  max x_c   subject to   every additivity relation of the table,
//                                          published cells fixed at their values,
//                                          suppressed cells within their a priori bounds
//
// with GLPK's simplex (lp.h). The feasible interval [lower, upper] is exactly what the
// published table reveals about the cell (Hundepool et al., Statistical Disclosure
// Control, 2012, 4.3 "audit"; tau-ARGUS's audit does the same).
//
// Protection rule (tau-ARGUS style protection levels): a primary cell with value x is
// protected when
//     upper >= x + L    and    lower <= max(x - L, a priori lower bound)
// with L = ProtectionLevel(x): max(percent/100 * |x|, min_count) for count tables and
// percent/100 * |x| for sum tables. Any suppressed cell (primary or secondary) with
// upper - lower ~ 0 is an exact disclosure. A pattern is safe when no primary is under-
// protected and no suppressed cell is exactly disclosed.
//
// The relations decompose into independent components (suppressed cells linked through
// shared relations); each component is one LP, warm-started between its 2n solves.
//
// Thread-safety: pure function; uses its own LP objects.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "common/status.h"
#include "disclosure/output.h"
#include "disclosure/risk_appetite.h"

namespace sz::disclosure {

enum class CellStatus { kPublished, kPrimary, kSecondary };

// The protection level L for a primary cell of `table` with value `value`.
double ProtectionLevel(const Table& table, const ProtectionRule& rule, double value);
// A priori lower bound of the table's cells: 0 when no cell value and no contribution is
// negative, -infinity otherwise.
double AprioriLowerBound(const Table& table);

struct CellInterval {
  size_t cell = 0;         // index into table.cells
  bool primary = false;
  double value = 0;        // the true (unpublished) value
  double lower = 0;        // what the published table implies
  double upper = 0;
  double need_lower = 0;   // primaries: the interval must reach down to this...
  double need_upper = 0;   // ...and up to this
  bool exact = false;      // upper - lower ~ 0: the value can be recomputed
  bool under_protected = false;
};

struct AuditReport {
  std::vector<CellInterval> intervals;  // one per suppressed cell, in table order
  size_t exact = 0;                     // cells recomputable exactly
  size_t under_protected = 0;           // primaries with too narrow an interval
  size_t components = 0;                // independent LPs solved
  size_t lp_solves = 0;
  bool safe() const { return exact == 0 && under_protected == 0; }
};

// `status` has one entry per table cell. InvalidArgument if sizes differ, the table
// breaks its invariants or does not add up (only count and sum tables can be audited).
Result<AuditReport> AuditSuppression(const Table& table, std::span<const CellStatus> status,
                                     const ProtectionRule& rule);

}  // namespace sz::disclosure
