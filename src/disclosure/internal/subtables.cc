#include "disclosure/internal/subtables.h"

#include "disclosure/audit.h"

namespace sz::disclosure::internal {

namespace {

enum class Shape { kNoTotal, kFlat, kHierarchy, kForest };

Shape Classify(const TableIndex& index, int d) {
  if (index.MaxDepth(d) == 0) return Shape::kNoTotal;
  if (index.Roots(d).size() != 1) return Shape::kForest;
  return index.MaxDepth(d) == 1 ? Shape::kFlat : Shape::kHierarchy;
}

Subtable MakeSubtable(const Table& table, const TableIndex& index, const Layout& layout,
                      int32_t total, int first_column, int column_count) {
  Subtable s;
  s.total = total;
  s.level = index.Depth(layout.a_dim, total);
  s.rows.push_back(total);
  for (int32_t c : index.Children(layout.a_dim, total)) s.rows.push_back(c);
  s.first_column = first_column;
  s.column_count = column_count;
  s.row_nodes = layout.two_d ? static_cast<int>(s.rows.size()) : 1;
  s.incident.resize(static_cast<size_t>(s.node_count()));
  std::vector<int32_t> key(table.dimensions.size());
  for (int k = 0; k < static_cast<int>(s.rows.size()); ++k) {
    for (int col = first_column; col < first_column + column_count; ++col) {
      key[static_cast<size_t>(layout.a_dim)] = s.rows[static_cast<size_t>(k)];
      if (layout.b_dim >= 0) {
        key[static_cast<size_t>(layout.b_dim)] = layout.columns[static_cast<size_t>(col)];
      }
      auto cell = index.Find(key);
      if (!cell) continue;  // a structural zero: fixed, not an arc
      Arc arc;
      arc.cell = *cell;
      arc.row = k;
      arc.row_node = layout.two_d ? k : 0;
      arc.col_node = s.ColumnNode(col);
      arc.column = col;
      const bool total_row = k == 0;
      const bool total_column = layout.two_d && col == 0;
      arc.ysign = static_cast<int8_t>(total_row != total_column ? -1 : 1);
      const int id = static_cast<int>(s.arcs.size());
      s.arcs.push_back(arc);
      s.incident[static_cast<size_t>(arc.row_node)].push_back(id);
      s.incident[static_cast<size_t>(arc.col_node)].push_back(id);
    }
  }
  return s;
}

}  // namespace

Result<Layout> BuildLayout(const Table& table, const TableIndex& index) {
  Layout layout;
  layout.lower_bound = AprioriLowerBound(table);
  const int dims = index.dimension_count();
  if (dims > 2) {
    return Unimplemented("secondary suppression handles one- and two-dimensional tables; "
                         "split the table");
  }
  Shape a_shape = Classify(index, 0);
  Shape b_shape = dims == 2 ? Classify(index, 1) : Shape::kNoTotal;
  if (a_shape == Shape::kForest || b_shape == Shape::kForest) {
    return Unimplemented("each dimension needs a single total above its categories");
  }
  if (a_shape == Shape::kHierarchy && b_shape == Shape::kHierarchy) {
    return Unimplemented("secondary suppression handles one hierarchical dimension; "
                         "flatten the other");
  }
  if (dims == 2 && (b_shape == Shape::kHierarchy ||
                    (a_shape == Shape::kNoTotal && b_shape != Shape::kNoTotal))) {
    layout.a_dim = 1;
    layout.b_dim = 0;
    std::swap(a_shape, b_shape);
  } else {
    layout.a_dim = 0;
    layout.b_dim = dims == 2 ? 1 : -1;
  }
  const int32_t a_count = index.category_count(layout.a_dim);
  layout.two_d = b_shape == Shape::kFlat;
  if (layout.b_dim < 0) {
    layout.columns = {-1};
  } else if (layout.two_d) {
    int32_t root = index.Roots(layout.b_dim).front();
    layout.columns.push_back(root);
    for (int32_t c : index.Children(layout.b_dim, root)) layout.columns.push_back(c);
  } else {
    for (int32_t c = 0; c < index.category_count(layout.b_dim); ++c) {
      layout.columns.push_back(c);
    }
  }
  const int groups = layout.two_d ? 1 : static_cast<int>(layout.columns.size());
  layout.as_total.assign(static_cast<size_t>(a_count), std::vector<int>(static_cast<size_t>(groups), -1));
  layout.as_child = layout.as_total;
  if (a_shape == Shape::kNoTotal) return layout;  // nothing adds up

  for (int32_t r = 0; r < a_count; ++r) {
    if (index.IsLeaf(layout.a_dim, r)) continue;
    for (int g = 0; g < groups; ++g) {
      const int first = layout.two_d ? 0 : g;
      const int count = layout.two_d ? static_cast<int>(layout.columns.size()) : 1;
      const int id = static_cast<int>(layout.subtables.size());
      layout.subtables.push_back(MakeSubtable(table, index, layout, r, first, count));
      layout.as_total[static_cast<size_t>(r)][static_cast<size_t>(g)] = id;
      for (int32_t c : index.Children(layout.a_dim, r)) {
        layout.as_child[static_cast<size_t>(c)][static_cast<size_t>(g)] = id;
      }
    }
  }
  return layout;
}

}  // namespace sz::disclosure::internal
