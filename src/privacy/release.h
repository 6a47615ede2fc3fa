// Applying a transformation: the generalized dataset the zone writes as the released
// version.
//
// For each quasi-identifier and row, the group id at the chosen level (its label via
// Release::Label), and per row whether it is suppressed (its class violated the
// criteria). Suppressed rows read as '*' in every quasi-identifier. Applying fails if
// the suppression would exceed the criteria's limit, so a Release always satisfies the
// criteria it was made with.
//
// Thread-safety: Release is an immutable value; it refers to the Dataset's hierarchies,
// so the Dataset must outlive it.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "privacy/dataset.h"
#include "privacy/models.h"

namespace sz::privacy {

class Release {
 public:
  static constexpr std::string_view kSuppressed = "*";

  const std::vector<int>& levels() const { return levels_; }
  int64_t rows() const { return static_cast<int64_t>(suppressed_.size()); }
  // Group id of `row` in quasi-identifier `qi` at levels()[qi]; -1 if suppressed.
  int32_t Group(int qi, int64_t row) const { return groups_[qi][row]; }
  std::span<const int32_t> Groups(int qi) const { return groups_[qi]; }
  bool Suppressed(int64_t row) const { return suppressed_[row] != 0; }
  // The released text of `row` in quasi-identifier `qi` ("*" if suppressed).
  std::string_view Label(int qi, int64_t row) const;
  int64_t suppressed_records() const { return suppressed_records_; }
  int64_t classes() const { return classes_; }  // released (not suppressed) classes

 private:
  friend Result<Release> Apply(const Dataset&, std::span<const int>, const Criteria&, int);
  const Dataset* dataset_ = nullptr;
  std::vector<int> levels_;
  std::vector<std::vector<int32_t>> groups_;  // [qi][row]
  std::vector<uint8_t> suppressed_;
  int64_t suppressed_records_ = 0;
  int64_t classes_ = 0;
};

// Generalizes `dataset` to `levels` and suppresses the classes that violate `criteria`
// (empty criteria models: nothing suppressed). FailedPrecondition if that suppresses
// more than the criteria's limit.
Result<Release> Apply(const Dataset& dataset, std::span<const int> levels, const Criteria& criteria,
                      int threads = 0);

}  // namespace sz::privacy
