// TableIndex: the validated structure of a Table, for the checks, suppression, audit,
// rounding and differencing.
//
// Build() checks the invariants listed in output.h and then answers: which cell has
// these categories, a category's children and parent, whether a cell is a margin, and a
// human label for a cell ("(부산, 2024)"). Cells are found through a mixed-radix key of
// their category indices, so lookups are one hash probe.
//
// Thread-safety: immutable after Build(); share freely. It does not keep a reference to
// the Table.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "disclosure/output.h"

namespace sz::disclosure {

class TableIndex {
 public:
  // InvalidArgument naming the dimension or cell (by position) when an invariant fails.
  static Result<TableIndex> Build(const Table& table);

  int dimension_count() const { return static_cast<int>(children_.size()); }
  size_t cell_count() const { return cell_count_; }
  int32_t category_count(int dim) const { return static_cast<int32_t>(parent_[dim].size()); }

  // The cell with exactly these categories, if the table has it.
  std::optional<size_t> Find(std::span<const int32_t> categories) const;

  int32_t Parent(int dim, int32_t category) const { return parent_[dim][category]; }
  const std::vector<int32_t>& Children(int dim, int32_t category) const {
    return children_[dim][category];
  }
  bool IsLeaf(int dim, int32_t category) const { return children_[dim][category].empty(); }
  // Roots have depth 0.
  int Depth(int dim, int32_t category) const { return depth_[dim][category]; }
  int MaxDepth(int dim) const;
  std::vector<int32_t> Roots(int dim) const;

  // "(부산, 2024)": the cell's category labels in dimension order.
  static std::string CellLabel(const Table& table, const Cell& cell);

 private:
  int64_t Key(std::span<const int32_t> categories) const;

  size_t cell_count_ = 0;
  std::vector<int64_t> stride_;                         // per dimension
  std::vector<std::vector<int32_t>> parent_;            // [dim][category]
  std::vector<std::vector<std::vector<int32_t>>> children_;  // [dim][category]
  std::vector<std::vector<int>> depth_;                 // [dim][category]
  std::unordered_map<int64_t, size_t> cell_of_;
};

// One additivity constraint of a count or sum table: the value of cell `total` equals the
// sum of the values of `parts` (a category's children along one dimension, every other
// category the same). Parts the table does not list are structural zeros and omitted.
struct Relation {
  size_t total;
  std::vector<size_t> parts;
};

// Every relation of the table: one per (cell, dimension) where the cell's category in
// that dimension has children. Margins of margins appear once per dimension, so the set
// is complete (some relations are implied by others).
std::vector<Relation> AdditiveRelations(const Table& table, const TableIndex& index);

// InvalidArgument naming the first total that differs from the sum of its parts (beyond
// rounding noise): suppression and its audit need tables that add up.
Status CheckAdditive(const Table& table, std::span<const Relation> relations);

}  // namespace sz::disclosure
