#include "disclosure/audit.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "disclosure/internal/lp_model.h"
#include "disclosure/lp.h"

namespace sz::disclosure {

double ProtectionLevel(const Table& table, const ProtectionRule& rule, double value) {
  double level = rule.percent / 100.0 * std::abs(value);
  if (table.statistic == Statistic::kCount) level = std::max(level, rule.min_count);
  return level;
}

double AprioriLowerBound(const Table& table) {
  for (const Cell& cell : table.cells) {
    if (cell.value < 0 || cell.evidence.negative_contributions > 0) {
      return -LinearProgram::kInfinity;
    }
  }
  return 0;
}

Result<AuditReport> AuditSuppression(const Table& table, std::span<const CellStatus> status,
                                     const ProtectionRule& rule) {
  SZ_ASSIGN_OR_RETURN(internal::LpModel model, internal::BuildLpModel(table, status));
  const size_t n = model.cell_of_var.size();
  // Cells no relation touches keep their a priori bounds.
  std::vector<double> lower(n, model.lower_bound), upper(n, LinearProgram::kInfinity);
  AuditReport report;
  std::unordered_map<int, int> local;
  for (const internal::LpComponent& component : model.components) {
    ++report.components;
    auto lp = internal::ComponentProgram(model, component, local);
    if (!lp.ok()) return lp.status().WithContext("audit");
    for (int v : component.vars) {
      auto lo = lp->Minimize(local[v]);
      if (!lo.ok()) return lo.status().WithContext("audit");
      auto hi = lp->Maximize(local[v]);
      if (!hi.ok()) return hi.status().WithContext("audit");
      lower[static_cast<size_t>(v)] = *lo;
      upper[static_cast<size_t>(v)] = *hi;
    }
    report.lp_solves += static_cast<size_t>(lp->solves());
  }
  report.intervals.reserve(n);
  for (size_t v = 0; v < n; ++v) {
    const size_t cell = model.cell_of_var[v];
    CellInterval iv = internal::Judge(table, rule, cell, status[cell] == CellStatus::kPrimary,
                                      model.lower_bound, lower[v], upper[v]);
    report.exact += iv.exact ? 1 : 0;
    report.under_protected += iv.under_protected ? 1 : 0;
    report.intervals.push_back(iv);
  }
  return report;
}

}  // namespace sz::disclosure
