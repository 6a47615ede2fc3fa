// Token-bucket rate limits, per key (an account id, a network address).
//
// Each key has a bucket of `burst` tokens that refills at `per_second`; a request takes
// one token or is refused with the time until the next token (the token bucket of
// Turner, 1986, as used for traffic policing in RFC 2697). Buckets live in memory: a
// restart forgets them, which only ever favours the client for a moment. The table is
// bounded: when it holds `max_keys` buckets, those that have refilled completely (and so
// carry no information) are dropped, and if none has, the oldest-touched half goes.
//
// Thread-safety: thread-safe (one mutex; each Take is a few hash-map operations).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sz::server {

struct RateLimit {
  double per_second = 0;  // 0: unlimited
  double burst = 1;       // REQUIRES: >= 1
};

class RateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit RateLimiter(RateLimit limit, size_t max_keys = 100000)
      : limit_(limit), max_keys_(max_keys) {}

  // Takes a token for `key`: 0 if allowed, else the whole seconds (>= 1) until a token
  // will be available (for Retry-After).
  int64_t Take(std::string_view key, TimePoint now);
  size_t keys() const;

 private:
  struct Bucket {
    double tokens = 0;
    TimePoint last;
  };
  void Prune(TimePoint now);

  RateLimit limit_;
  size_t max_keys_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace sz::server
