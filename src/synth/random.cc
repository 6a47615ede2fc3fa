#include "synth/random.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sz::synth {

namespace {
// GCC/Clang 128-bit integer for the multiply-shift; __extension__ keeps -Wpedantic quiet.
__extension__ typedef unsigned __int128 U128;
}  // namespace

uint64_t MixSeed(uint64_t a, uint64_t b, uint64_t c) {
  Rng r(a);
  uint64_t h = r.Next();
  Rng r2(h ^ (b * 0xD6E8FEB86659FD93ULL));
  h = r2.Next();
  Rng r3(h ^ (c * 0xA0761D6478BD642FULL));
  return r3.Next();
}

uint64_t HashText(std::string_view text) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return h;
}

uint64_t Rng::Below(uint64_t n) {
  // Lemire: the high word of a 128-bit product is uniform once the low word clears the
  // rejection threshold.
  U128 m = static_cast<U128>(Next()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<U128>(Next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

double Rng::Normal() {
  double u1 = Uniform();
  double u2 = Uniform();
  if (u1 < 1e-300) u1 = 1e-300;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

WeightedIndex::WeightedIndex(std::span<const double> weights) {
  cdf_.reserve(weights.size());
  double total = 0;
  for (double w : weights) {
    total += std::max(0.0, w);
    cdf_.push_back(total);
  }
  for (double& c : cdf_) c /= total;
  if (!cdf_.empty()) cdf_.back() = 1.0;
}

size_t WeightedIndex::operator()(Rng& rng) const {
  double u = rng.Uniform();
  auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  size_t i = static_cast<size_t>(it - cdf_.begin());
  return std::min(i, cdf_.size() - 1);
}

Permutation::Permutation(uint64_t n, uint64_t key) : n_(n), key_(key), half_bits_(1) {
  while ((uint64_t{1} << (2 * half_bits_)) < n) ++half_bits_;
}

uint64_t Permutation::Round(uint64_t x) const {
  uint64_t mask = (uint64_t{1} << half_bits_) - 1;
  uint64_t left = x >> half_bits_;
  uint64_t right = x & mask;
  for (uint64_t round = 0; round < 4; ++round) {
    uint64_t f = MixSeed(key_, round, right) & mask;
    uint64_t next = left ^ f;
    left = right;
    right = next;
  }
  return (left << half_bits_) | right;
}

uint64_t Permutation::operator()(uint64_t x) const {
  // Cycle walking: the Feistel network permutes [0, 4^k); re-apply until inside [0, n).
  do {
    x = Round(x);
  } while (x >= n_);
  return x;
}

}  // namespace sz::synth
