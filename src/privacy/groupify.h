// Grouping engine: the equivalence classes of a dataset under one transformation.
//
// A transformation (a lattice node) gives one hierarchy level per quasi-identifier. Every
// record generalizes to a tuple of group ids, packed into a fixed-width key (KeyLayout:
// each field takes just the bits its level needs, fields never straddle 64-bit words).
// Grouping counts records per distinct key; the result, Cells, is the class table the
// privacy models, risk and utility figures are computed from.
//
// Two ways to build Cells:
//  - GroupRows scans the rows (column-major codes through the level maps);
//  - RollUp regroups the Cells of a *finer* node (every level <=) at a coarser node:
//    a group at a finer level determines its group at every coarser level (the
//    hierarchy is consistent), so the coarse table is a function of the fine table and
//    costs |fine cells| instead of |rows|. This is what makes lattice search cheap.
// With `with_sensitive`, the sensitive code is one more (never generalized) field, so a
// cell is a (class, sensitive value) pair; ClassView groups cells into classes.
//
// Large inputs are radix-partitioned: each of P threads pre-aggregates a slice of the
// input in a small cache (bypassed when keys do not repeat) and spills (key, count)
// pairs into up to 1024 partitions by hash; then the threads build the partitions'
// tables, each small enough to stay in cache. Partitions hold disjoint keys, so the
// tables are concatenated without a merge. Small inputs use one table.
//
// Limits: keys up to kMaxKeyWords 64-bit words. Memory: the cells, plus for large
// inputs the spilled pairs (up to 16-72 bytes per input item) while grouping.
// Thread-safety: functions are pure; Cells are immutable values.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"
#include "privacy/dataset.h"
#include "privacy/worker_pool.h"

namespace sz::privacy {

inline constexpr int kMaxKeyWords = 8;

class KeyLayout {
 public:
  struct Field {
    int word = 0;
    int shift = 0;
    int bits = 0;
  };
  // ResourceExhausted if the key would need more than kMaxKeyWords words.
  static Result<KeyLayout> Make(const Dataset& dataset, std::span<const int> levels,
                                bool with_sensitive);

  int words() const { return words_; }
  int qi_fields() const { return qi_fields_; }
  bool has_sensitive() const { return has_sensitive_; }
  const Field& field(int i) const { return fields_[i]; }
  // Field `i` of the key starting at `key`.
  uint64_t Get(const uint64_t* key, int i) const {
    const Field& f = fields_[i];
    return f.bits == 0 ? 0 : (key[f.word] >> f.shift) & ((~uint64_t{0}) >> (64 - f.bits));
  }
  // The sensitive code of a key (requires has_sensitive()).
  int32_t Sensitive(const uint64_t* key) const {
    return static_cast<int32_t>(Get(key, qi_fields_));
  }
  // Per word: the bits that belong to quasi-identifier fields (not the sensitive one).
  const std::vector<uint64_t>& qi_mask() const { return qi_mask_; }

 private:
  std::vector<Field> fields_;
  std::vector<uint64_t> qi_mask_;
  int words_ = 1;
  int qi_fields_ = 0;
  bool has_sensitive_ = false;
};

struct Cells {
  std::vector<int> levels;
  KeyLayout layout;
  std::vector<uint64_t> keys;   // size() * layout.words()
  std::vector<int64_t> counts;  // records per cell
  int64_t size() const { return static_cast<int64_t>(counts.size()); }
  const uint64_t* key(int64_t cell) const { return keys.data() + cell * layout.words(); }
  // Group id of quasi-identifier `qi` for `cell` (at levels[qi]).
  int32_t Group(int64_t cell, int qi) const {
    return static_cast<int32_t>(layout.Get(key(cell), qi));
  }
  size_t MemoryBytes() const { return keys.capacity() * 8 + counts.capacity() * 8; }
};

// Groups the rows of `dataset` at `levels`. `weights` (optional, one per row) replaces
// the count 1 of each row (population tables).
Result<Cells> GroupRows(const Dataset& dataset, std::span<const int> levels, bool with_sensitive,
                        WorkerPool& pool, std::span<const int64_t> weights = {});

// Regroups `finer` at `levels`. InvalidArgument unless levels >= finer.levels everywhere.
Result<Cells> RollUp(const Dataset& dataset, const Cells& finer, std::span<const int> levels,
                     WorkerPool& pool);

// Cells grouped into equivalence classes (cells that agree on every quasi-identifier).
// Without a sensitive field every cell is its own class and nothing is allocated but the
// sizes.
struct ClassView {
  int64_t classes = 0;
  std::vector<int64_t> size;   // records per class
  bool identity = false;       // class c is cell c
  std::vector<int64_t> begin;  // classes + 1 offsets into `cells` (unless identity)
  std::vector<int64_t> cells;  // cell indices grouped by class (unless identity)
  // The cells of class c are Cell(i) for i in [Begin(c), End(c)).
  int64_t Begin(int64_t c) const { return identity ? c : begin[c]; }
  int64_t End(int64_t c) const { return identity ? c + 1 : begin[c + 1]; }
  int64_t Cell(int64_t i) const { return identity ? i : cells[i]; }
  // A cell of class c (all its cells share the quasi-identifier groups).
  int64_t Representative(int64_t c) const { return identity ? c : cells[begin[c]]; }
};
ClassView MakeClassView(const Cells& cells);

// Finds the cell of a key (for mapping rows back to classes).
class CellIndex {
 public:
  explicit CellIndex(const Cells& cells);
  // Cell index of `key`, or -1.
  int64_t Find(const uint64_t* key) const;
  // Cell index of every row of `dataset` at cells.levels (-1 never happens for the
  // dataset the cells were built from).
  std::vector<int64_t> MapRows(const Dataset& dataset, WorkerPool& pool) const;

 private:
  const Cells* cells_;
  std::vector<uint64_t> slots_;  // (cell + 1), 0 = empty
  uint64_t mask_ = 0;
};

// Per quasi-identifier and level: records per group over the whole dataset.
std::vector<std::vector<std::vector<int64_t>>> GroupFrequencies(const Dataset& dataset);

}  // namespace sz::privacy
