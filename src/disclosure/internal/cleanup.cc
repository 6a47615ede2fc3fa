// Cleanup pass of secondary suppression: publish back what the pattern does not need.
#include <algorithm>
#include <unordered_map>

#include "disclosure/internal/lp_model.h"
#include "disclosure/internal/subtables.h"

namespace sz::disclosure::internal {

namespace {

// Are all primaries of the component protected? Then every secondary that has become
// exactly recomputable is published as well: publishing a value the intruder can already
// derive does not change what the table reveals. Returns false (changing nothing) when a
// primary is exposed.
Result<bool> Settle(const Table& table, const ProtectionRule& rule, const LpModel& model,
                    const std::vector<int>& vars, std::unordered_map<int, int>& local,
                    std::vector<CellStatus>& status, LinearProgram& lp, size_t& published) {
  for (int v : vars) {
    const size_t cell = model.cell_of_var[static_cast<size_t>(v)];
    if (status[cell] != CellStatus::kPrimary) continue;
    SZ_ASSIGN_OR_RETURN(double lo, lp.Minimize(local[v]));
    SZ_ASSIGN_OR_RETURN(double hi, lp.Maximize(local[v]));
    CellInterval iv = Judge(table, rule, cell, true, model.lower_bound, lo, hi);
    if (iv.exact || iv.under_protected) return false;
  }
  std::vector<int> exact;
  for (int v : vars) {
    const size_t cell = model.cell_of_var[static_cast<size_t>(v)];
    if (status[cell] != CellStatus::kSecondary) continue;
    SZ_ASSIGN_OR_RETURN(double lo, lp.Minimize(local[v]));
    SZ_ASSIGN_OR_RETURN(double hi, lp.Maximize(local[v]));
    if (Judge(table, rule, cell, false, model.lower_bound, lo, hi).exact) exact.push_back(v);
  }
  for (int v : exact) {
    const size_t cell = model.cell_of_var[static_cast<size_t>(v)];
    status[cell] = CellStatus::kPublished;
    const double value = table.cells[cell].value;
    SZ_RETURN_IF_ERROR(lp.SetBounds(local[v], value, value));
    ++published;
  }
  return true;
}

}  // namespace

Result<size_t> RemoveRedundant(const Table& table, const ProtectionRule& rule,
                               const std::vector<double>& cost, size_t max_vars,
                               std::vector<CellStatus>& status) {
  SZ_ASSIGN_OR_RETURN(LpModel model, BuildLpModel(table, status));
  size_t published = 0;
  std::unordered_map<int, int> local;
  for (const LpComponent& component : model.components) {
    if (component.vars.size() > max_vars) continue;
    std::vector<int> candidates;
    for (int v : component.vars) {
      if (status[model.cell_of_var[static_cast<size_t>(v)]] == CellStatus::kSecondary) {
        candidates.push_back(v);
      }
    }
    if (candidates.empty()) continue;
    // Most expensive first: those are the ones worth publishing back.
    std::stable_sort(candidates.begin(), candidates.end(), [&](int a, int b) {
      return cost[model.cell_of_var[static_cast<size_t>(a)]] >
             cost[model.cell_of_var[static_cast<size_t>(b)]];
    });
    SZ_ASSIGN_OR_RETURN(LinearProgram lp, ComponentProgram(model, component, local));
    SZ_ASSIGN_OR_RETURN(bool safe, Settle(table, rule, model, component.vars, local, status,
                                          lp, published));
    if (!safe) continue;  // not ours to repair; the audit will report it
    for (int v : candidates) {
      const size_t cell = model.cell_of_var[static_cast<size_t>(v)];
      if (status[cell] != CellStatus::kSecondary) continue;  // published by a cascade
      const double value = table.cells[cell].value;
      SZ_RETURN_IF_ERROR(lp.SetBounds(local[v], value, value));  // as if published
      status[cell] = CellStatus::kPublished;
      SZ_ASSIGN_OR_RETURN(bool still_safe, Settle(table, rule, model, component.vars, local,
                                                  status, lp, published));
      if (still_safe) {
        ++published;
      } else {
        status[cell] = CellStatus::kSecondary;
        SZ_RETURN_IF_ERROR(lp.SetBounds(local[v], model.lower_bound, LinearProgram::kInfinity));
      }
    }
  }
  return published;
}

}  // namespace sz::disclosure::internal
