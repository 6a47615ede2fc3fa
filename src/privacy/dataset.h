// The privacy engine's view of a table: quasi-identifiers dictionary-encoded to int32
// codes (column-major), each bound to its generalization Hierarchy, and at most one
// sensitive attribute encoded likewise, with an order for ordered t-closeness.
//
// Missing values. SQL NULL and the empty string are one and the same *missing* value:
// it is a value like any other, so missing records form their own equivalence class
// (never silently merged with a real value). In a quasi-identifier, the missing value is
// looked up in the hierarchy under the empty label ""; if the hierarchy has no such row,
// Bind() adds one in which missing stays its own group ("") at every level except the top
// level, where it joins the top group when that level has exactly one group (usually
// '*'). In the sensitive attribute, missing is one more sensitive value and sorts first
// in every order.
//
// Sizes: row counts are 64-bit; only the number of *distinct* values of one column is
// limited to 2^31. Nothing here materializes rows x columns strings.
//
// Thread-safety: every type is immutable once built (EncodedColumn while appending is
// owned by one thread); const access from many threads is safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "privacy/hierarchy.h"

namespace sz::privacy {

// A column dictionary-encoded to dense codes 0..distinct-1 in order of first appearance.
class EncodedColumn {
 public:
  EncodedColumn() = default;
  explicit EncodedColumn(std::string name) : name_(std::move(name)) {}
  // "" is the missing value here, as everywhere in this module.
  static EncodedColumn FromStrings(std::string name, std::span<const std::string> values);

  // Appends one value; nullopt (SQL NULL) and "" both append the missing value.
  void Append(std::optional<std::string_view> value);
  void Reserve(int64_t rows) { codes_.reserve(static_cast<size_t>(rows)); }

  const std::string& name() const { return name_; }
  int64_t size() const { return static_cast<int64_t>(codes_.size()); }
  std::span<const int32_t> codes() const { return codes_; }
  int32_t distinct() const { return static_cast<int32_t>(labels_.size()); }
  // The value behind `code`; the missing value reads as "".
  const std::string& Label(int32_t code) const { return labels_[code]; }
  // Code of the missing value, if the column has one.
  std::optional<int32_t> missing_code() const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::string name_;
  std::vector<int32_t> codes_;
  std::vector<std::string> labels_;
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> index_;
};

// A quasi-identifier: per row the raw id of its value in the bound hierarchy.
class QuasiIdentifier {
 public:
  // InvalidArgument if values of `column` are missing from `hierarchy` (the message gives
  // their number; Hierarchy::Uncovered lists them for the operator).
  static Result<QuasiIdentifier> Bind(const EncodedColumn& column, Hierarchy hierarchy);
  // Binds with the two-level hierarchy value -> '*' (risk assessment of raw data).
  static Result<QuasiIdentifier> BindFlat(const EncodedColumn& column);
  // Takes codes that are already raw ids of `hierarchy` (from another engine, or
  // generated). InvalidArgument if a code is out of range.
  static Result<QuasiIdentifier> FromRawIds(std::string name, Hierarchy hierarchy,
                                            std::vector<int32_t> raw_ids);

  const std::string& name() const { return name_; }
  const Hierarchy& hierarchy() const { return hierarchy_; }
  int levels() const { return hierarchy_.levels(); }
  int64_t rows() const { return static_cast<int64_t>(codes_.size()); }
  // Row -> raw id in hierarchy().
  std::span<const int32_t> codes() const { return codes_; }

 private:
  std::string name_;
  Hierarchy hierarchy_;
  std::vector<int32_t> codes_;
};

// How sensitive values are ordered (ordered-distance t-closeness needs an order).
enum class ValueOrder {
  kLexicographic,  // byte order of the UTF-8 text
  kNumeric,        // as numbers; every non-missing value must parse as one
};

// The sensitive attribute: codes renumbered so that code order is value order.
class SensitiveAttribute {
 public:
  static Result<SensitiveAttribute> Bind(const EncodedColumn& column, ValueOrder order);
  // Explicit order: `order` lists every non-missing value of the column once.
  static Result<SensitiveAttribute> Bind(const EncodedColumn& column,
                                         std::span<const std::string> order);

  const std::string& name() const { return name_; }
  int64_t rows() const { return static_cast<int64_t>(codes_.size()); }
  std::span<const int32_t> codes() const { return codes_; }
  int32_t distinct() const { return static_cast<int32_t>(labels_.size()); }
  const std::string& Label(int32_t code) const { return labels_[code]; }

 private:
  static SensitiveAttribute Renumber(const EncodedColumn& column, std::vector<int32_t> rank);
  std::string name_;
  std::vector<int32_t> codes_;
  std::vector<std::string> labels_;
};

class Dataset {
 public:
  // InvalidArgument unless there is at least one quasi-identifier, every column has the
  // same number of rows, and names are unique.
  static Result<Dataset> Make(std::vector<QuasiIdentifier> quasi_identifiers,
                              std::optional<SensitiveAttribute> sensitive = std::nullopt);

  int64_t rows() const { return rows_; }
  int qi_count() const { return static_cast<int>(qis_.size()); }
  const QuasiIdentifier& qi(int i) const { return qis_[i]; }
  const SensitiveAttribute* sensitive() const { return sensitive_ ? &*sensitive_ : nullptr; }
  // Highest level of every quasi-identifier (the top of the lattice).
  std::vector<int> MaxLevels() const;
  // OK if `levels` names one level per quasi-identifier within range.
  Status CheckLevels(std::span<const int> levels) const;

 private:
  int64_t rows_ = 0;
  std::vector<QuasiIdentifier> qis_;
  std::optional<SensitiveAttribute> sensitive_;
};

// `hierarchy` plus a row for the missing value "" as described at the top of this file
// (returned unchanged if it already has one).
Result<Hierarchy> WithMissingValue(const Hierarchy& hierarchy);

}  // namespace sz::privacy
