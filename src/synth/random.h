// Deterministic pseudo-random numbers for synthetic data only.
//
// NOT for anything privacy-relevant: keys, salts, noise for differential privacy and
// tokens come from crypto::RandomBytes. Synthetic data must be reproducible from a seed,
// which is exactly what a secure generator must never be.
//
// Every synthetic record draws from its own stream, seeded by MixSeed(seed, dataset,
// record): output does not depend on how records are split into partitions or on the
// number of threads. The generator is SplitMix64 (Steele, Lea & Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014), which passes BigCrush and costs a few
// cycles; Below() uses Lemire's multiply-shift rejection method ("Fast random integer
// generation in an interval", ACM TOMACS 2019) so bounded draws are unbiased.
//
// Thread-safety: an Rng is a small value used by one thread; WeightedIndex is immutable
// after construction and may be shared.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace sz::synth {

// A well-mixed 64-bit hash of up to three words (SplitMix64 finalizer chained).
uint64_t MixSeed(uint64_t a, uint64_t b = 0, uint64_t c = 0);

// FNV-1a of a string: stable across compilers and platforms, unlike std::hash, so that
// seeds derived from names give the same output everywhere.
uint64_t HashText(std::string_view text);

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n);
  // Uniform in [lo, hi], inclusive.
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Bernoulli(double p) { return Uniform() < p; }
  // Standard normal (Box–Muller).
  double Normal();
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }

 private:
  uint64_t state_;
};

// Draws index i with probability weights[i] / sum(weights). Weights must be >= 0 with a
// positive sum.
class WeightedIndex {
 public:
  WeightedIndex() = default;
  explicit WeightedIndex(std::span<const double> weights);
  size_t operator()(Rng& rng) const;
  size_t size() const { return cdf_.size(); }

 private:
  std::vector<double> cdf_;
};

// A bijection of [0, n) keyed by `key` (a 4-round Feistel network on the next power of
// four, with cycle walking), so that record order or phone numbers do not follow ids.
class Permutation {
 public:
  Permutation(uint64_t n, uint64_t key);
  uint64_t operator()(uint64_t x) const;
  uint64_t size() const { return n_; }

 private:
  uint64_t Round(uint64_t x) const;
  uint64_t n_;
  uint64_t key_;
  int half_bits_;
};

}  // namespace sz::synth
