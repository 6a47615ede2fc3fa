#include "privacy/hierarchy.h"

#include "common/text.h"
#include "fmt/format.h"
#include "storage/env.h"

namespace sz::privacy {

Result<Hierarchy> Hierarchy::ParseArxCsv(std::string_view text, char separator) {
  std::vector<std::vector<std::string>> rows;
  size_t line_no = 0;
  for (std::string_view line : text::Split(text, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (text::TrimAscii(line).empty()) continue;
    std::vector<std::string> row;
    for (std::string_view cell : text::Split(line, separator)) row.emplace_back(cell);
    if (!rows.empty() && row.size() != rows.front().size()) {
      return InvalidArgument(fmt::format("hierarchy line {} has {} levels, the first line has {}",
                                         line_no, row.size(), rows.front().size()));
    }
    rows.push_back(std::move(row));
  }
  return FromRows(std::move(rows));
}

Result<Hierarchy> Hierarchy::LoadArxCsv(const std::string& path, char separator) {
  SZ_ASSIGN_OR_RETURN(std::string text, storage::ReadSmallFile(path, 256u << 20));
  auto h = ParseArxCsv(text, separator);
  if (!h.ok()) return h.status().WithContext(path);
  return h;
}

Result<Hierarchy> Hierarchy::FromRows(std::vector<std::vector<std::string>> rows) {
  if (rows.empty()) return InvalidArgument("hierarchy is empty");
  const size_t levels = rows.front().size();
  if (levels < 1) return InvalidArgument("hierarchy has no levels");
  Hierarchy h;
  h.group_of_.assign(levels, {});
  h.labels_.assign(levels, {});
  h.leaf_count_.assign(levels, {});
  std::vector<std::unordered_map<std::string, int32_t>> group_ids(levels);
  // parent_of[level][group] = group id at level+1, to check the hierarchy is consistent.
  std::vector<std::vector<int32_t>> parent_of(levels);
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() != levels) {
      return InvalidArgument(fmt::format("hierarchy row {} has {} levels, expected {}", r + 1,
                                         row.size(), levels));
    }
    auto raw_id = static_cast<int32_t>(h.raw_ids_.size());
    if (!h.raw_ids_.emplace(row[0], raw_id).second) {
      return InvalidArgument(fmt::format("hierarchy lists value '{}' twice (row {})", row[0], r + 1));
    }
    int32_t previous = -1;
    for (size_t l = 0; l < levels; ++l) {
      auto [it, fresh] = group_ids[l].emplace(row[l], static_cast<int32_t>(h.labels_[l].size()));
      if (fresh) {
        h.labels_[l].push_back(row[l]);
        h.leaf_count_[l].push_back(0);
        parent_of[l].push_back(-1);
      }
      int32_t g = it->second;
      h.group_of_[l].push_back(g);
      ++h.leaf_count_[l][g];
      if (l > 0) {
        int32_t& parent = parent_of[l - 1][previous];
        if (parent == -1) {
          parent = g;
        } else if (parent != g) {
          return InvalidArgument(fmt::format(
              "hierarchy is inconsistent at row {}: '{}' at level {} maps to both '{}' and '{}' "
              "at level {}",
              r + 1, row[l - 1], l - 1, h.labels_[l][parent], row[l], l));
        }
      }
      previous = g;
    }
  }
  return h;
}

std::optional<int32_t> Hierarchy::RawId(std::string_view value) const {
  auto it = raw_ids_.find(std::string(value));
  if (it == raw_ids_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string_view> Hierarchy::Generalize(std::string_view value, int level) const {
  if (level < 0 || level >= levels()) return std::nullopt;
  auto id = RawId(value);
  if (!id) return std::nullopt;
  return labels_[level][group_of_[level][*id]];
}

std::vector<std::vector<std::string>> Hierarchy::Rows() const {
  std::vector<std::vector<std::string>> rows(value_count());
  for (size_t id = 0; id < rows.size(); ++id) {
    rows[id].reserve(labels_.size());
    for (size_t l = 0; l < labels_.size(); ++l) rows[id].push_back(labels_[l][group_of_[l][id]]);
  }
  return rows;
}

std::vector<std::string> Hierarchy::Uncovered(std::span<const std::string> values) const {
  std::vector<std::string> out;
  std::unordered_map<std::string, bool> seen;
  for (const auto& v : values) {
    if (raw_ids_.count(v) || !seen.emplace(v, true).second) continue;
    out.push_back(v);
  }
  return out;
}

}  // namespace sz::privacy
