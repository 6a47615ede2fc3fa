#include "disclosure/audit.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "disclosure/lp.h"
#include "disclosure/table_index.h"

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

namespace {

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  size_t Find(size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Union(size_t a, size_t b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<size_t> parent_;
};

// One additivity relation restricted to suppressed cells: published cells moved to the
// right-hand side.
struct Row {
  std::vector<int> vars;  // global variable ids
  std::vector<double> coefs;
  double rhs = 0;
};

struct Component {
  std::vector<int> vars;
  std::vector<size_t> rows;
};

Status SolveComponent(const Component& component, const std::vector<Row>& rows,
                      double lower_bound, std::vector<double>& lower,
                      std::vector<double>& upper, size_t& solves) {
  LinearProgram lp;
  std::unordered_map<int, int> local;
  local.reserve(component.vars.size() * 2);
  for (int v : component.vars) {
    local[v] = lp.AddVariable(lower_bound, LinearProgram::kInfinity);
  }
  std::vector<int> ids;
  for (size_t r : component.rows) {
    ids.clear();
    for (int v : rows[r].vars) ids.push_back(local[v]);
    SZ_RETURN_IF_ERROR(lp.AddEquality(ids, rows[r].coefs, rows[r].rhs));
  }
  for (int v : component.vars) {
    SZ_ASSIGN_OR_RETURN(lower[static_cast<size_t>(v)], lp.Minimize(local[v]));
    SZ_ASSIGN_OR_RETURN(upper[static_cast<size_t>(v)], lp.Maximize(local[v]));
  }
  solves += static_cast<size_t>(lp.solves());
  return OkStatus();
}

}  // namespace

Result<AuditReport> AuditSuppression(const Table& table, std::span<const CellStatus> status,
                                     const ProtectionRule& rule) {
  if (status.size() != table.cells.size()) {
    return InvalidArgument("suppression status has " + std::to_string(status.size()) +
                           " entries for " + std::to_string(table.cells.size()) + " cells");
  }
  if (table.statistic != Statistic::kCount && table.statistic != Statistic::kSum) {
    return InvalidArgument("only count and sum tables add up; audit those");
  }
  SZ_ASSIGN_OR_RETURN(TableIndex index, TableIndex::Build(table));
  const std::vector<Relation> relations = AdditiveRelations(table, index);
  SZ_RETURN_IF_ERROR(CheckAdditive(table, relations));
  const double lower_bound = AprioriLowerBound(table);

  std::vector<int> var_of(table.cells.size(), -1);
  std::vector<size_t> cell_of_var;
  for (size_t i = 0; i < status.size(); ++i) {
    if (status[i] == CellStatus::kPublished) continue;
    var_of[i] = static_cast<int>(cell_of_var.size());
    cell_of_var.push_back(i);
  }
  const size_t n = cell_of_var.size();

  UnionFind uf(n);
  std::vector<Row> rows;
  auto add_term = [&](Row& row, size_t cell, double coef) {
    if (var_of[cell] >= 0) {
      row.vars.push_back(var_of[cell]);
      row.coefs.push_back(coef);
    } else {
      row.rhs -= coef * table.cells[cell].value;
    }
  };
  for (const Relation& relation : relations) {
    Row row;
    add_term(row, relation.total, 1.0);
    for (size_t part : relation.parts) add_term(row, part, -1.0);
    if (row.vars.empty()) continue;
    for (size_t k = 1; k < row.vars.size(); ++k) {
      uf.Union(static_cast<size_t>(row.vars[0]), static_cast<size_t>(row.vars[k]));
    }
    rows.push_back(std::move(row));
  }

  std::unordered_map<size_t, Component> components;
  for (size_t v = 0; v < n; ++v) components[uf.Find(v)].vars.push_back(static_cast<int>(v));
  for (size_t r = 0; r < rows.size(); ++r) {
    components[uf.Find(static_cast<size_t>(rows[r].vars[0]))].rows.push_back(r);
  }

  AuditReport report;
  std::vector<double> lower(n, lower_bound), upper(n, LinearProgram::kInfinity);
  for (auto& [root, component] : components) {
    if (component.rows.empty()) continue;  // no relation touches it: a priori bounds
    ++report.components;
    Status solved =
        SolveComponent(component, rows, lower_bound, lower, upper, report.lp_solves);
    if (!solved.ok()) return solved.WithContext("audit");
  }

  report.intervals.reserve(n);
  for (size_t v = 0; v < n; ++v) {
    const size_t cell = cell_of_var[v];
    CellInterval iv;
    iv.cell = cell;
    iv.primary = status[cell] == CellStatus::kPrimary;
    iv.value = table.cells[cell].value;
    iv.lower = lower[v];
    iv.upper = upper[v];
    const double tol = 1e-6 * std::max(1.0, std::abs(iv.value));
    iv.exact = iv.upper - iv.lower <= tol;
    if (iv.primary) {
      const double level = ProtectionLevel(table, rule, iv.value);
      iv.need_upper = iv.value + level;
      iv.need_lower = std::max(iv.value - level, lower_bound);
      const double slack = 1e-6 * std::max({1.0, std::abs(iv.value), level});
      iv.under_protected = iv.upper < iv.need_upper - slack || iv.lower > iv.need_lower + slack;
    } else {
      iv.need_lower = iv.need_upper = iv.value;
    }
    report.exact += iv.exact ? 1 : 0;
    report.under_protected += iv.under_protected ? 1 : 0;
    report.intervals.push_back(iv);
  }
  return report;
}

}  // namespace sz::disclosure
