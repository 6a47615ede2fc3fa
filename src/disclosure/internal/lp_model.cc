#include "disclosure/internal/lp_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "disclosure/table_index.h"

namespace sz::disclosure::internal {

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

}  // namespace

Result<LpModel> BuildLpModel(const Table& table, std::span<const CellStatus> status) {
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

  LpModel model;
  model.lower_bound = AprioriLowerBound(table);
  model.var_of.assign(table.cells.size(), -1);
  for (size_t i = 0; i < status.size(); ++i) {
    if (status[i] == CellStatus::kPublished) continue;
    model.var_of[i] = static_cast<int>(model.cell_of_var.size());
    model.cell_of_var.push_back(i);
  }
  const size_t n = model.cell_of_var.size();
  UnionFind uf(n);
  auto add_term = [&](LpRow& row, size_t cell, double coef) {
    if (model.var_of[cell] >= 0) {
      row.vars.push_back(model.var_of[cell]);
      row.coefs.push_back(coef);
    } else {
      row.rhs -= coef * table.cells[cell].value;
    }
  };
  for (const Relation& relation : relations) {
    LpRow row;
    add_term(row, relation.total, 1.0);
    for (size_t part : relation.parts) add_term(row, part, -1.0);
    if (row.vars.empty()) continue;
    for (size_t k = 1; k < row.vars.size(); ++k) {
      uf.Union(static_cast<size_t>(row.vars[0]), static_cast<size_t>(row.vars[k]));
    }
    model.rows.push_back(std::move(row));
  }
  std::unordered_map<size_t, size_t> component_of_root;
  auto component = [&](size_t root) -> LpComponent& {
    auto [it, inserted] = component_of_root.emplace(root, model.components.size());
    if (inserted) model.components.emplace_back();
    return model.components[it->second];
  };
  for (size_t r = 0; r < model.rows.size(); ++r) {
    component(uf.Find(static_cast<size_t>(model.rows[r].vars[0]))).rows.push_back(r);
  }
  for (size_t v = 0; v < n; ++v) {
    auto it = component_of_root.find(uf.Find(v));
    if (it != component_of_root.end()) {
      model.components[it->second].vars.push_back(static_cast<int>(v));
    }
  }
  return model;
}

Result<LinearProgram> ComponentProgram(const LpModel& model, const LpComponent& component,
                                       std::unordered_map<int, int>& local) {
  LinearProgram lp;
  local.clear();
  local.reserve(component.vars.size() * 2);
  for (int v : component.vars) {
    local[v] = lp.AddVariable(model.lower_bound, LinearProgram::kInfinity);
  }
  std::vector<int> ids;
  for (size_t r : component.rows) {
    ids.clear();
    for (int v : model.rows[r].vars) ids.push_back(local[v]);
    SZ_RETURN_IF_ERROR(lp.AddEquality(ids, model.rows[r].coefs, model.rows[r].rhs));
  }
  return lp;
}

CellInterval Judge(const Table& table, const ProtectionRule& rule, size_t cell, bool primary,
                   double lower_bound, double lower, double upper) {
  CellInterval iv;
  iv.cell = cell;
  iv.primary = primary;
  iv.value = table.cells[cell].value;
  iv.lower = lower;
  iv.upper = upper;
  const double tol = 1e-6 * std::max(1.0, std::abs(iv.value));
  iv.exact = iv.upper - iv.lower <= tol;
  if (primary) {
    const double level = ProtectionLevel(table, rule, iv.value);
    iv.need_upper = iv.value + level;
    iv.need_lower = std::max(iv.value - level, lower_bound);
    const double slack = 1e-6 * std::max({1.0, std::abs(iv.value), level});
    iv.under_protected = iv.upper < iv.need_upper - slack || iv.lower > iv.need_lower + slack;
  } else {
    iv.need_lower = iv.need_upper = iv.value;
  }
  return iv;
}

}  // namespace sz::disclosure::internal
