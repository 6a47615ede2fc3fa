#include "pseudo/mdav.h"

#include <algorithm>
#include <cmath>

#include "fmt/format.h"

namespace sz::pseudo {

namespace {

class Mdav {
 public:
  Mdav(std::span<const double> points, size_t dims, int k)
      : dims_(dims),
        k_(static_cast<size_t>(k)),
        n_(points.size() / dims),
        z_(points.begin(), points.end()) {
    Standardize();
    active_.resize(n_);
    for (size_t i = 0; i < n_; ++i) active_[i] = i;
    groups_.assign(n_, -1);
  }

  std::vector<int32_t> Run() {
    while (active_.size() >= 3 * k_) {
      size_t r = Farthest(Centroid());
      Take(r);
      // The record farthest from r among those left (computed after removing r's group
      // so that ties and duplicates cannot pick a record already taken).
      size_t s = Farthest(Row(r));
      Take(s);
    }
    if (active_.size() >= 2 * k_) Take(Farthest(Centroid()));
    if (!active_.empty()) {
      for (size_t i : active_) groups_[i] = next_group_;
      ++next_group_;
      active_.clear();
    }
    return std::move(groups_);
  }

 private:
  // Each column divided by its (population) standard deviation; constant columns are
  // left as they are (they do not separate anything).
  void Standardize() {
    for (size_t d = 0; d < dims_; ++d) {
      double mean = 0;
      for (size_t i = 0; i < n_; ++i) mean += z_[i * dims_ + d];
      mean /= static_cast<double>(n_);
      double var = 0;
      for (size_t i = 0; i < n_; ++i)
        var += (z_[i * dims_ + d] - mean) * (z_[i * dims_ + d] - mean);
      double sd = std::sqrt(var / static_cast<double>(n_));
      if (sd <= 0) continue;
      for (size_t i = 0; i < n_; ++i) z_[i * dims_ + d] = (z_[i * dims_ + d] - mean) / sd;
    }
  }

  std::vector<double> Row(size_t i) const {
    return std::vector<double>(z_.begin() + static_cast<ptrdiff_t>(i * dims_),
                               z_.begin() + static_cast<ptrdiff_t>((i + 1) * dims_));
  }

  double Dist2(size_t i, const std::vector<double>& c) const {
    double s = 0;
    for (size_t d = 0; d < dims_; ++d) {
      double x = z_[i * dims_ + d] - c[d];
      s += x * x;
    }
    return s;
  }

  std::vector<double> Centroid() const {
    std::vector<double> c(dims_, 0.0);
    for (size_t i : active_) {
      for (size_t d = 0; d < dims_; ++d) c[d] += z_[i * dims_ + d];
    }
    for (double& x : c) x /= static_cast<double>(active_.size());
    return c;
  }

  // Farthest active record from `c` (lowest index on ties, for determinism).
  size_t Farthest(const std::vector<double>& c) const {
    size_t best = active_[0];
    double best_d = -1;
    for (size_t i : active_) {
      double d = Dist2(i, c);
      if (d > best_d || (d == best_d && i < best)) {
        best_d = d;
        best = i;
      }
    }
    return best;
  }

  // Groups `center` with its k-1 nearest active records and removes them.
  void Take(size_t center) {
    std::vector<double> c = Row(center);
    std::vector<std::pair<double, size_t>> by_dist;
    by_dist.reserve(active_.size());
    for (size_t i : active_) by_dist.emplace_back(i == center ? -1.0 : Dist2(i, c), i);
    std::nth_element(by_dist.begin(), by_dist.begin() + static_cast<ptrdiff_t>(k_ - 1),
                     by_dist.end());
    for (size_t j = 0; j < k_; ++j) groups_[by_dist[j].second] = next_group_;
    ++next_group_;
    std::erase_if(active_, [&](size_t i) { return groups_[i] >= 0; });
  }

  size_t dims_, k_, n_;
  std::vector<double> z_;
  std::vector<size_t> active_;
  std::vector<int32_t> groups_;
  int32_t next_group_ = 0;
};

}  // namespace

Result<std::vector<int32_t>> MdavGroups(std::span<const double> points, size_t dims, int k) {
  if (k < 2) return InvalidArgument(fmt::format("microaggregation needs k >= 2; got {}", k));
  if (dims == 0 || points.size() % dims != 0)
    return InvalidArgument("microaggregation needs at least one column");
  size_t n = points.size() / dims;
  if (n < static_cast<size_t>(k)) {
    return InvalidArgument(
        fmt::format("microaggregation with k = {} needs at least {} rows; got {}", k, k, n));
  }
  return Mdav(points, dims, k).Run();
}

std::vector<double> GroupCentroids(std::span<const double> points, size_t dims,
                                   std::span<const int32_t> groups) {
  int32_t count = 0;
  for (int32_t g : groups) count = std::max(count, g + 1);
  std::vector<double> sums(static_cast<size_t>(count) * dims, 0.0);
  std::vector<size_t> sizes(static_cast<size_t>(count), 0);
  for (size_t i = 0; i < groups.size(); ++i) {
    size_t g = static_cast<size_t>(groups[i]);
    ++sizes[g];
    for (size_t d = 0; d < dims; ++d) sums[g * dims + d] += points[i * dims + d];
  }
  std::vector<double> out(points.size());
  for (size_t i = 0; i < groups.size(); ++i) {
    size_t g = static_cast<size_t>(groups[i]);
    for (size_t d = 0; d < dims; ++d)
      out[i * dims + d] = sums[g * dims + d] / static_cast<double>(sizes[g]);
  }
  return out;
}

}  // namespace sz::pseudo
