#include "disclosure/table_index.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sz::disclosure {

std::string_view OutputTypeName(OutputType type) {
  switch (type) {
    case OutputType::kFrequencyTable: return "frequency_table";
    case OutputType::kMagnitudeTable: return "magnitude_table";
    case OutputType::kQuantiles: return "quantiles";
    case OutputType::kExtremes: return "extremes";
    case OutputType::kDispersion: return "dispersion";
    case OutputType::kRegression: return "regression";
    case OutputType::kFreeform: return "freeform";
  }
  return "unknown";
}

std::string_view StatisticName(Statistic statistic) {
  switch (statistic) {
    case Statistic::kCount: return "count";
    case Statistic::kSum: return "sum";
    case Statistic::kMean: return "mean";
    case Statistic::kMedian: return "median";
    case Statistic::kQuantile: return "quantile";
    case Statistic::kMin: return "min";
    case Statistic::kMax: return "max";
    case Statistic::kMode: return "mode";
    case Statistic::kVariance: return "variance";
    case Statistic::kStdDev: return "std";
  }
  return "unknown";
}

bool IsTableType(OutputType type) {
  return type != OutputType::kRegression && type != OutputType::kFreeform;
}

namespace {

Status CheckDimension(const Dimension& dim, size_t d) {
  if (dim.categories.empty()) {
    return InvalidArgument("dimension " + std::to_string(d) + " has no categories; add them");
  }
  for (size_t c = 0; c < dim.categories.size(); ++c) {
    int32_t parent = dim.categories[c].parent;
    // Parents first keeps the tree acyclic without a separate cycle search.
    if (parent < -1 || parent >= static_cast<int32_t>(c)) {
      return InvalidArgument("dimension " + std::to_string(d) + " category " +
                             std::to_string(c) +
                             " has an invalid parent; list parents before their children");
    }
  }
  return OkStatus();
}

}  // namespace

Result<TableIndex> TableIndex::Build(const Table& table) {
  TableIndex index;
  const size_t dims = table.dimensions.size();
  if (dims == 0) return InvalidArgument("table has no dimensions; give at least one");
  index.parent_.resize(dims);
  index.children_.resize(dims);
  index.depth_.resize(dims);
  index.stride_.resize(dims);
  int64_t stride = 1;
  for (size_t d = 0; d < dims; ++d) {
    const Dimension& dim = table.dimensions[d];
    SZ_RETURN_IF_ERROR(CheckDimension(dim, d));
    const auto n = static_cast<int32_t>(dim.categories.size());
    index.parent_[d].resize(n);
    index.children_[d].resize(n);
    index.depth_[d].resize(n);
    for (int32_t c = 0; c < n; ++c) {
      int32_t parent = dim.categories[c].parent;
      index.parent_[d][c] = parent;
      index.depth_[d][c] = parent < 0 ? 0 : index.depth_[d][parent] + 1;
      if (parent >= 0) index.children_[d][parent].push_back(c);
    }
    index.stride_[d] = stride;
    if (stride > std::numeric_limits<int64_t>::max() / std::max<int64_t>(n, 1)) {
      return InvalidArgument("table has too many category combinations; split it");
    }
    stride *= n;
  }
  index.cell_count_ = table.cells.size();
  index.cell_of_.reserve(table.cells.size() * 2);
  for (size_t i = 0; i < table.cells.size(); ++i) {
    const Cell& cell = table.cells[i];
    const std::string where = "cell " + std::to_string(i);
    if (cell.categories.size() != dims) {
      return InvalidArgument(where + " names " + std::to_string(cell.categories.size()) +
                             " categories for " + std::to_string(dims) + " dimensions");
    }
    bool margin = false;
    for (size_t d = 0; d < dims; ++d) {
      int32_t c = cell.categories[d];
      if (c < 0 || c >= index.category_count(static_cast<int>(d))) {
        return InvalidArgument(where + " has an invalid category in dimension " +
                               std::to_string(d));
      }
      margin = margin || !index.children_[d][c].empty();
    }
    if (margin != cell.margin) {
      return InvalidArgument(where + (margin ? " is a total but not marked as margin"
                                             : " is marked as margin but is no total") +
                             "; fix the margin flag");
    }
    if (!index.cell_of_.emplace(index.Key(cell.categories), i).second) {
      return InvalidArgument(where + " repeats the categories of an earlier cell");
    }
  }
  return index;
}

int64_t TableIndex::Key(std::span<const int32_t> categories) const {
  int64_t key = 0;
  for (size_t d = 0; d < categories.size(); ++d) key += categories[d] * stride_[d];
  return key;
}

std::optional<size_t> TableIndex::Find(std::span<const int32_t> categories) const {
  auto it = cell_of_.find(Key(categories));
  if (it == cell_of_.end()) return std::nullopt;
  return it->second;
}

int TableIndex::MaxDepth(int dim) const {
  int depth = 0;
  for (int v : depth_[dim]) depth = std::max(depth, v);
  return depth;
}

std::vector<int32_t> TableIndex::Roots(int dim) const {
  std::vector<int32_t> roots;
  for (int32_t c = 0; c < category_count(dim); ++c) {
    if (parent_[dim][c] < 0) roots.push_back(c);
  }
  return roots;
}

std::string TableIndex::CellLabel(const Table& table, const Cell& cell) {
  std::string label = "(";
  for (size_t d = 0; d < cell.categories.size(); ++d) {
    if (d > 0) label += ", ";
    label += table.dimensions[d].categories[cell.categories[d]].label;
  }
  return label + ")";
}

std::vector<Relation> AdditiveRelations(const Table& table, const TableIndex& index) {
  std::vector<Relation> relations;
  for (size_t i = 0; i < table.cells.size(); ++i) {
    std::vector<int32_t> key = table.cells[i].categories;
    for (int d = 0; d < index.dimension_count(); ++d) {
      const int32_t own = key[d];
      const auto& children = index.Children(d, own);
      if (children.empty()) continue;
      Relation relation{i, {}};
      relation.parts.reserve(children.size());
      for (int32_t child : children) {
        key[d] = child;
        if (auto part = index.Find(key)) relation.parts.push_back(*part);
      }
      key[d] = own;
      relations.push_back(std::move(relation));
    }
  }
  return relations;
}

Status CheckAdditive(const Table& table, std::span<const Relation> relations) {
  for (size_t i = 0; i < table.cells.size(); ++i) {
    if (!std::isfinite(table.cells[i].value)) {
      return InvalidArgument("cell " + std::to_string(i) +
                             " has no finite value; replace NULL or NaN values first");
    }
  }
  for (const Relation& r : relations) {
    double sum = 0;
    double scale = std::abs(table.cells[r.total].value);
    for (size_t p : r.parts) {
      sum += table.cells[p].value;
      scale = std::max(scale, std::abs(table.cells[p].value));
    }
    if (std::abs(sum - table.cells[r.total].value) > 1e-9 * std::max(1.0, scale) *
                                                         static_cast<double>(r.parts.size() + 1)) {
      return InvalidArgument("cell " + TableIndex::CellLabel(table, table.cells[r.total]) +
                             " is not the sum of its parts; suppression needs an additive "
                             "count or sum table");
    }
  }
  return OkStatus();
}

}  // namespace sz::disclosure
