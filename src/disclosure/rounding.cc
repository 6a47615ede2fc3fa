#include "disclosure/rounding.h"

#include <cmath>

#include "disclosure/table_index.h"

namespace sz::disclosure {

double RoundToBase(double value, int64_t base) {
  const auto b = static_cast<double>(base);
  return std::round(value / b) * b;
}

Result<RoundedTable> RoundTable(const Table& table, int64_t base,
                                const std::vector<bool>& redact) {
  if (base < 1) return InvalidArgument("rounding base must be at least 1");
  if (!redact.empty() && redact.size() != table.cells.size()) {
    return InvalidArgument("redaction mask has " + std::to_string(redact.size()) +
                           " entries for " + std::to_string(table.cells.size()) + " cells");
  }
  if (table.statistic != Statistic::kCount && table.statistic != Statistic::kSum) {
    return InvalidArgument("only count and sum tables can have their margins recomputed");
  }
  SZ_ASSIGN_OR_RETURN(TableIndex index, TableIndex::Build(table));
  const int dims = index.dimension_count();
  RoundedTable out;
  out.base = base;
  out.values.assign(table.cells.size(), 0.0);

  // Each interior cell adds its rounded value to itself and every margin above it: the
  // cross product of its ancestor chains, one chain per dimension.
  std::vector<std::vector<int32_t>> chains(static_cast<size_t>(dims));
  std::vector<int32_t> key(static_cast<size_t>(dims));
  for (size_t i = 0; i < table.cells.size(); ++i) {
    const Cell& cell = table.cells[i];
    if (cell.margin) continue;
    if (!redact.empty() && redact[i]) continue;
    const double rounded = RoundToBase(cell.value, base);
    for (int d = 0; d < dims; ++d) {
      auto& chain = chains[static_cast<size_t>(d)];
      chain.clear();
      for (int32_t c = cell.categories[static_cast<size_t>(d)]; c >= 0; c = index.Parent(d, c)) {
        chain.push_back(c);
      }
    }
    std::vector<size_t> pos(static_cast<size_t>(dims), 0);
    while (true) {
      for (int d = 0; d < dims; ++d) {
        key[static_cast<size_t>(d)] = chains[static_cast<size_t>(d)][pos[static_cast<size_t>(d)]];
      }
      if (auto target = index.Find(key)) *out.values[*target] += rounded;
      int d = dims - 1;
      while (d >= 0 && ++pos[static_cast<size_t>(d)] == chains[static_cast<size_t>(d)].size()) {
        pos[static_cast<size_t>(d)] = 0;
        --d;
      }
      if (d < 0) break;
    }
  }
  if (!redact.empty()) {
    for (size_t i = 0; i < table.cells.size(); ++i) {
      if (redact[i]) out.values[i] = std::nullopt;
    }
  }
  return out;
}

}  // namespace sz::disclosure
