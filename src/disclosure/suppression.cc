#include "disclosure/suppression.h"

#include <cmath>

#include "disclosure/internal/subtables.h"
#include "disclosure/table_index.h"

namespace sz::disclosure {

namespace {

double CellCost(SuppressionCost cost, double value) {
  switch (cost) {
    case SuppressionCost::kUnity: return 1;
    case SuppressionCost::kValue: return std::abs(value) + 1;
    case SuppressionCost::kLog: return 1 + std::log1p(std::abs(value));
  }
  return 1;
}

}  // namespace

Result<SuppressionResult> SuppressSecondary(const Table& table, const std::vector<bool>& primary,
                                            const SuppressionOptions& options) {
  if (primary.size() != table.cells.size()) {
    return InvalidArgument("primary mask has " + std::to_string(primary.size()) +
                           " entries for " + std::to_string(table.cells.size()) + " cells");
  }
  if (table.statistic != Statistic::kCount && table.statistic != Statistic::kSum) {
    return InvalidArgument("secondary suppression needs a count or sum table; means, "
                           "quantiles and extremes do not add up");
  }
  SZ_ASSIGN_OR_RETURN(TableIndex index, TableIndex::Build(table));
  SZ_RETURN_IF_ERROR(CheckAdditive(table, AdditiveRelations(table, index)));
  SZ_ASSIGN_OR_RETURN(internal::Layout layout, internal::BuildLayout(table, index));

  SuppressionResult result;
  result.status.resize(table.cells.size(), CellStatus::kPublished);
  std::vector<double> cost(table.cells.size());
  for (size_t i = 0; i < table.cells.size(); ++i) {
    if (primary[i]) {
      result.status[i] = CellStatus::kPrimary;
      ++result.primaries;
    }
    cost[i] = CellCost(options.cost, table.cells[i].value);
  }
  internal::SuppressionInput input{table, layout, cost, options.protection};
  result.unresolved = options.method == SuppressionMethod::kNetwork
                          ? internal::NetworkSuppress(input, result.status)
                          : internal::HypercubeSuppress(input, result.status);
  if (options.cleanup && options.method == SuppressionMethod::kNetwork) {
    SZ_ASSIGN_OR_RETURN(result.cleaned,
                        internal::RemoveRedundant(table, options.protection, cost,
                                                  options.cleanup_max_cells, result.status));
  }
  for (CellStatus s : result.status) result.secondaries += s == CellStatus::kSecondary ? 1 : 0;
  if (options.audit) {
    SZ_ASSIGN_OR_RETURN(result.audit,
                        AuditSuppression(table, result.status, options.protection));
  }
  return result;
}

}  // namespace sz::disclosure
