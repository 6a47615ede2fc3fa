// Generalization hierarchies in ARX's CSV format: one line per distinct raw value,
// `;`-separated, level 0 (the raw value) first, then each coarser level, the last level
// usually `*` (fully suppressed). No header.
//
//   39;35-39;30-39;<50;*
//
// A Hierarchy validates its input on parse (every row has the same number of levels,
// raw values are unique, and it is a true hierarchy: two values that share a group at
// level i share it at every coarser level), and offers a dense encoding for the
// privacy engines: raw value -> id, and per level an id -> group-id map.
//
// Thread-safety: immutable after construction; share freely.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace sz::privacy {

class Hierarchy {
 public:
  // InvalidArgument naming the line on malformed input.
  static Result<Hierarchy> ParseArxCsv(std::string_view text, char separator = ';');
  static Result<Hierarchy> LoadArxCsv(const std::string& path, char separator = ';');
  // Builds from rows (row[0] raw value, row[i] level-i group). Same validation.
  static Result<Hierarchy> FromRows(std::vector<std::vector<std::string>> rows);

  // Number of levels, including level 0 (the raw values).
  int levels() const { return static_cast<int>(labels_.size()); }
  size_t value_count() const { return raw_ids_.size(); }

  // Id of a raw value, or nullopt if the hierarchy does not cover it.
  std::optional<int32_t> RawId(std::string_view value) const;
  // Group id of raw value `raw_id` at `level` (0 <= level < levels()).
  int32_t GroupAt(int32_t raw_id, int level) const { return group_of_[level][raw_id]; }
  // The whole level-`level` map, indexed by raw id.
  std::span<const int32_t> LevelMap(int level) const { return group_of_[level]; }
  // Number of distinct groups at `level`.
  int32_t GroupCount(int level) const { return static_cast<int32_t>(labels_[level].size()); }
  const std::string& GroupLabel(int level, int32_t group) const { return labels_[level][group]; }
  // Generalized text of `value` at `level`; nullopt if uncovered.
  std::optional<std::string_view> Generalize(std::string_view value, int level) const;
  // Distinct values of `values` the hierarchy does not cover (for a precise error).
  std::vector<std::string> Uncovered(std::span<const std::string> values) const;
  // Number of raw values under `group` at `level` (ARX's Loss metric needs it).
  int32_t LeafCount(int level, int32_t group) const { return leaf_count_[level][group]; }
  // The hierarchy as rows again (row[0] raw value, row[i] its level-i label), in raw-id
  // order: FromRows(h.Rows()) rebuilds an equal hierarchy.
  std::vector<std::vector<std::string>> Rows() const;

 private:
  std::unordered_map<std::string, int32_t> raw_ids_;
  std::vector<std::vector<int32_t>> group_of_;     // [level][raw_id] -> group id
  std::vector<std::vector<std::string>> labels_;   // [level][group id] -> label
  std::vector<std::vector<int32_t>> leaf_count_;   // [level][group id] -> raw values
};

}  // namespace sz::privacy
