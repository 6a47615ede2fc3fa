// Internal: the linear system an intruder can write down from a published table, split
// into independent components, shared by the audit (audit.h) and the cleanup pass of
// secondary suppression (suppression.h).
//
// Variables are the suppressed cells; each additivity relation that touches one becomes
// an equality row with the published cells moved to the right-hand side. Two variables
// are in the same component when a chain of rows links them; components are solved
// separately.
//
// Thread-safety: plain data; a LinearProgram built from it belongs to one thread.
#pragma once

#include <cstddef>
#include <span>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "disclosure/audit.h"
#include "disclosure/lp.h"
#include "disclosure/output.h"

namespace sz::disclosure::internal {

struct LpRow {
  std::vector<int> vars;  // global variable ids
  std::vector<double> coefs;
  double rhs = 0;
};

struct LpComponent {
  std::vector<int> vars;
  std::vector<size_t> rows;
};

struct LpModel {
  double lower_bound = 0;         // a priori, for every variable
  std::vector<int> var_of;        // per cell: variable id or -1 (published)
  std::vector<size_t> cell_of_var;
  std::vector<LpRow> rows;
  std::vector<LpComponent> components;  // only those with at least one row
};

// InvalidArgument for a size mismatch, broken invariants, a table that is not count or
// sum, or one that does not add up.
Result<LpModel> BuildLpModel(const Table& table, std::span<const CellStatus> status);

// One LP for `component`; `local` receives global variable id -> LP variable index.
Result<LinearProgram> ComponentProgram(const LpModel& model, const LpComponent& component,
                                       std::unordered_map<int, int>& local);

// The audit's judgement of one interval (see audit.h for the rule).
CellInterval Judge(const Table& table, const ProtectionRule& rule, size_t cell, bool primary,
                   double lower_bound, double lower, double upper);

}  // namespace sz::disclosure::internal
