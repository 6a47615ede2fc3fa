// Internal: a count or sum table cut into the linked 2-D sub-tables of HiTaS (de Wolf,
// "HiTaS: a heuristic approach to cell suppression in hierarchical tables", 2002), each
// represented as the bipartite network of Castro ("A shortest-paths heuristic for
// statistical data protection in positive tables", INFORMS J. Computing 19(4), 2007).
//
// Roles. The "row" dimension A may be hierarchical (전국 > 시도 > 시군구 > 읍면동); the
// "column" dimension B is flat. For every category r of A that has children there is
// one sub-table: rows {r} + children(r) (row 0 is r, the sub-table's total row). Its
// columns are all of B when B has a total (2-D mode), or a single B category when B has
// no total (1-D mode: then each column is an independent 1-D table, and a 1-D table is a
// 1-D table with one virtual column).
//
// Network. Each additivity equation of a sub-table is a node: one per row (the row adds
// up along B; only in 2-D mode) and one per column (the column adds up along A). Every
// cell is an arc between its row node and its column node. In 1-D mode rows have no
// equation, so all rows share one free node. Writing y = +x for cells that are a total in
// neither or both roles and y = -x for cells that are a total in exactly one ("ysign"),
// every node's y-values sum to zero, so the additivity-preserving changes of a sub-table
// are the alternating cycles of this network: +t on arcs walked row->column, -t on arcs
// walked column->row (Castro 2007, section 2).
//
// Linking. A row r with children appears in two sub-tables: as a child row in the
// sub-table of parent(r), and as the total row of its own. The row's equation (along B)
// is the same in both; the column equations differ. A cycle that passes through row r in
// one sub-table changes two of its cells, which must be balanced in the other sub-table
// by a path between the same two columns that avoids row r.
//
// Thread-safety: plain data built once per suppression run.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"
#include "disclosure/audit.h"
#include "disclosure/output.h"
#include "disclosure/risk_appetite.h"
#include "disclosure/table_index.h"

namespace sz::disclosure::internal {

struct Arc {
  size_t cell;     // index into table.cells
  int row;         // row position within the sub-table (0: the total row)
  int row_node;    // node ids: rows first, then columns
  int col_node;
  int column;      // index into Layout::columns
  int8_t ysign;    // +1 or -1, see above
};

struct Subtable {
  int32_t total;                 // category of A that is row 0
  std::vector<int32_t> rows;     // categories of A: rows[0] == total
  int first_column = 0;          // 1-D mode: the one column; 2-D mode: 0
  int column_count = 0;
  int row_nodes = 0;             // 2-D: rows.size(); 1-D: 1 (the free node)
  std::vector<Arc> arcs;
  std::vector<std::vector<int>> incident;  // node -> arc ids
  int level = 0;                 // depth of `total` in A

  int node_count() const { return row_nodes + column_count; }
  int ColumnNode(int column) const { return row_nodes + (column - first_column); }
};

struct Layout {
  int a_dim = 0;           // row dimension (may be hierarchical)
  int b_dim = -1;          // column dimension; -1 for a one-dimensional table
  bool two_d = false;      // B has a total: rows add up along B
  std::vector<int32_t> columns;  // categories of B in column order (2-D: total first)
  std::vector<Subtable> subtables;
  // For category c of A and column group g (0 in 2-D mode, the column in 1-D mode):
  // the sub-table where c is the total row, and where c is a child row (-1: none).
  std::vector<std::vector<int>> as_total;
  std::vector<std::vector<int>> as_child;
  double lower_bound = 0;  // a priori lower bound of every cell

  int Group(int column) const { return two_d ? 0 : column; }
};

// Chooses the roles of the dimensions and builds every sub-table. Unimplemented for two
// hierarchical dimensions, more than two dimensions, or a dimension with several roots
// that have children. A table without any total yields no sub-tables.
Result<Layout> BuildLayout(const Table& table, const TableIndex& index);

// Everything a suppression method needs. `status` holds the primaries on entry and the
// full pattern on return; `cost[i]` is the price of suppressing cell i.
struct SuppressionInput {
  const Table& table;
  const Layout& layout;
  const std::vector<double>& cost;
  const ProtectionRule& protection;
};

// Each returns the number of protections it could not establish.
size_t NetworkSuppress(const SuppressionInput& in, std::vector<CellStatus>& status);
size_t HypercubeSuppress(const SuppressionInput& in, std::vector<CellStatus>& status);

// Publishes back secondary suppressions the pattern does not need, most expensive
// first, each removal verified by the LP audit of its component (components with more
// than `max_vars` suppressed cells are skipped: the check costs O(n^2) LP solves).
// Returns how many were published back.
Result<size_t> RemoveRedundant(const Table& table, const ProtectionRule& rule,
                               const std::vector<double>& cost, size_t max_vars,
                               std::vector<CellStatus>& status);

}  // namespace sz::disclosure::internal
