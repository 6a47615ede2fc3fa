#include "privacy/dataset.h"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <set>

#include "fmt/format.h"

namespace sz::privacy {

EncodedColumn EncodedColumn::FromStrings(std::string name, std::span<const std::string> values) {
  EncodedColumn column(std::move(name));
  column.Reserve(static_cast<int64_t>(values.size()));
  for (const auto& v : values) column.Append(v);
  return column;
}

void EncodedColumn::Append(std::optional<std::string_view> value) {
  std::string_view v = value.value_or(std::string_view());
  auto it = index_.find(v);
  if (it == index_.end()) {
    auto code = static_cast<int32_t>(labels_.size());
    labels_.emplace_back(v);
    it = index_.emplace(labels_.back(), code).first;
  }
  codes_.push_back(it->second);
}

std::optional<int32_t> EncodedColumn::missing_code() const {
  auto it = index_.find(std::string_view());
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

Result<Hierarchy> WithMissingValue(const Hierarchy& hierarchy) {
  if (hierarchy.RawId("")) return hierarchy;
  const int top = hierarchy.levels() - 1;
  for (int l = 1; l < top; ++l) {
    for (int32_t g = 0; g < hierarchy.GroupCount(l); ++g) {
      if (hierarchy.GroupLabel(l, g).empty()) {
        return InvalidArgument(fmt::format(
            "hierarchy uses the empty label at level {}, so the missing value cannot get its "
            "own group; add an explicit row for the empty value",
            l));
      }
    }
  }
  auto rows = hierarchy.Rows();
  std::vector<std::string> missing(hierarchy.levels());
  // Missing stays itself up to the top; the top is shared if it is a single group ('*').
  if (top > 0 && hierarchy.GroupCount(top) == 1) missing[top] = hierarchy.GroupLabel(top, 0);
  rows.push_back(std::move(missing));
  return Hierarchy::FromRows(std::move(rows));
}

Result<QuasiIdentifier> QuasiIdentifier::Bind(const EncodedColumn& column, Hierarchy hierarchy) {
  if (column.missing_code()) {
    SZ_ASSIGN_OR_RETURN(hierarchy, WithMissingValue(hierarchy));
  }
  std::vector<int32_t> raw_of_code(column.distinct(), -1);
  int64_t uncovered = 0;
  for (int32_t c = 0; c < column.distinct(); ++c) {
    auto id = hierarchy.RawId(column.Label(c));
    if (id) {
      raw_of_code[c] = *id;
    } else {
      ++uncovered;
    }
  }
  if (uncovered > 0) {
    return InvalidArgument(fmt::format(
        "column '{}' has {} distinct values its hierarchy does not cover; extend the hierarchy",
        column.name(), uncovered));
  }
  QuasiIdentifier qi;
  qi.name_ = column.name();
  qi.codes_.resize(static_cast<size_t>(column.size()));
  auto codes = column.codes();
  for (size_t r = 0; r < codes.size(); ++r) qi.codes_[r] = raw_of_code[codes[r]];
  qi.hierarchy_ = std::move(hierarchy);
  return qi;
}

Result<QuasiIdentifier> QuasiIdentifier::FromRawIds(std::string name, Hierarchy hierarchy,
                                                    std::vector<int32_t> raw_ids) {
  const auto values = static_cast<int32_t>(hierarchy.value_count());
  for (int32_t id : raw_ids) {
    if (id < 0 || id >= values) {
      return InvalidArgument(
          fmt::format("column '{}' has a code outside its hierarchy's {} values", name, values));
    }
  }
  QuasiIdentifier qi;
  qi.name_ = std::move(name);
  qi.hierarchy_ = std::move(hierarchy);
  qi.codes_ = std::move(raw_ids);
  return qi;
}

Result<QuasiIdentifier> QuasiIdentifier::BindFlat(const EncodedColumn& column) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(column.distinct());
  for (int32_t c = 0; c < column.distinct(); ++c) rows.push_back({column.Label(c), "*"});
  if (rows.empty()) rows.push_back({"", "*"});
  SZ_ASSIGN_OR_RETURN(Hierarchy h, Hierarchy::FromRows(std::move(rows)));
  return Bind(column, std::move(h));
}

SensitiveAttribute SensitiveAttribute::Renumber(const EncodedColumn& column,
                                                std::vector<int32_t> rank) {
  SensitiveAttribute s;
  s.name_ = column.name();
  s.labels_.resize(rank.size());
  for (size_t c = 0; c < rank.size(); ++c)
    s.labels_[rank[c]] = column.Label(static_cast<int32_t>(c));
  auto codes = column.codes();
  s.codes_.resize(codes.size());
  for (size_t r = 0; r < codes.size(); ++r) s.codes_[r] = rank[codes[r]];
  return s;
}

namespace {

// rank[code] from a list of codes in the wanted order.
std::vector<int32_t> RankOf(const std::vector<int32_t>& ordered) {
  std::vector<int32_t> rank(ordered.size());
  for (size_t i = 0; i < ordered.size(); ++i) rank[ordered[i]] = static_cast<int32_t>(i);
  return rank;
}

}  // namespace

Result<SensitiveAttribute> SensitiveAttribute::Bind(const EncodedColumn& column, ValueOrder order) {
  const int32_t n = column.distinct();
  std::vector<int32_t> ordered(n);
  std::iota(ordered.begin(), ordered.end(), 0);
  if (order == ValueOrder::kLexicographic) {
    // "" (missing) is the smallest string, so it sorts first as promised.
    std::sort(ordered.begin(), ordered.end(),
              [&](int32_t a, int32_t b) { return column.Label(a) < column.Label(b); });
    return Renumber(column, RankOf(ordered));
  }
  std::vector<double> number(n, 0);
  for (int32_t c = 0; c < n; ++c) {
    const std::string& label = column.Label(c);
    if (label.empty()) continue;
    const char* end = label.data() + label.size();
    auto [ptr, ec] = std::from_chars(label.data(), end, number[c]);
    if (ec != std::errc() || ptr != end) {
      return InvalidArgument(fmt::format(
          "sensitive column '{}' has values that are not numbers; order it lexicographically or "
          "explicitly",
          column.name()));
    }
  }
  auto missing = column.missing_code();
  std::sort(ordered.begin(), ordered.end(), [&](int32_t a, int32_t b) {
    bool ma = missing && a == *missing, mb = missing && b == *missing;
    if (ma != mb) return ma;
    return number[a] < number[b] || (number[a] == number[b] && column.Label(a) < column.Label(b));
  });
  return Renumber(column, RankOf(ordered));
}

Result<SensitiveAttribute> SensitiveAttribute::Bind(const EncodedColumn& column,
                                                    std::span<const std::string> order) {
  std::unordered_map<std::string_view, int32_t> position;
  for (size_t i = 0; i < order.size(); ++i) {
    if (!position.emplace(order[i], static_cast<int32_t>(i)).second) {
      return InvalidArgument(fmt::format(
          "the order for sensitive column '{}' lists a value twice; list each value once",
          column.name()));
    }
  }
  std::vector<int32_t> ordered(column.distinct());
  std::iota(ordered.begin(), ordered.end(), 0);
  int64_t unlisted = 0;
  for (int32_t c = 0; c < column.distinct(); ++c) {
    if (!column.Label(c).empty() && !position.count(column.Label(c))) ++unlisted;
  }
  if (unlisted > 0) {
    return InvalidArgument(
        fmt::format("the order for sensitive column '{}' misses {} of its values; list every value",
                    column.name(), unlisted));
  }
  auto pos = [&](int32_t c) {
    auto it = position.find(column.Label(c));
    return it == position.end() ? -1 : it->second;  // unlisted missing sorts first
  };
  std::sort(ordered.begin(), ordered.end(), [&](int32_t a, int32_t b) { return pos(a) < pos(b); });
  return Renumber(column, RankOf(ordered));
}

Result<Dataset> Dataset::Make(std::vector<QuasiIdentifier> quasi_identifiers,
                              std::optional<SensitiveAttribute> sensitive) {
  if (quasi_identifiers.empty()) {
    return InvalidArgument("a dataset needs at least one quasi-identifier");
  }
  const int64_t rows = quasi_identifiers.front().rows();
  std::set<std::string> names;
  for (const auto& qi : quasi_identifiers) {
    if (qi.rows() != rows) {
      return InvalidArgument(fmt::format("column '{}' has {} rows, '{}' has {}; columns must align",
                                         qi.name(), qi.rows(), quasi_identifiers.front().name(),
                                         rows));
    }
    if (!names.insert(qi.name()).second) {
      return InvalidArgument(
          fmt::format("column '{}' is named twice; name each column once", qi.name()));
    }
  }
  if (sensitive) {
    if (sensitive->rows() != rows) {
      return InvalidArgument(fmt::format(
          "sensitive column '{}' has {} rows, the quasi-identifiers have {}; columns must align",
          sensitive->name(), sensitive->rows(), rows));
    }
    if (names.count(sensitive->name())) {
      return InvalidArgument(
          fmt::format("column '{}' is both quasi-identifier and sensitive; choose one role",
                      sensitive->name()));
    }
  }
  Dataset d;
  d.rows_ = rows;
  d.qis_ = std::move(quasi_identifiers);
  d.sensitive_ = std::move(sensitive);
  return d;
}

std::vector<int> Dataset::MaxLevels() const {
  std::vector<int> top;
  top.reserve(qis_.size());
  for (const auto& qi : qis_) top.push_back(qi.levels() - 1);
  return top;
}

Status Dataset::CheckLevels(std::span<const int> levels) const {
  if (levels.size() != qis_.size()) {
    return InvalidArgument(
        fmt::format("a transformation needs {} levels, got {}", qis_.size(), levels.size()));
  }
  for (size_t i = 0; i < levels.size(); ++i) {
    if (levels[i] < 0 || levels[i] >= qis_[i].levels()) {
      return InvalidArgument(fmt::format("level {} of '{}' is outside 0..{}", levels[i],
                                         qis_[i].name(), qis_[i].levels() - 1));
    }
  }
  return OkStatus();
}

}  // namespace sz::privacy
