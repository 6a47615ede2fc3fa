#include "server/rate_limit.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sz::server {

int64_t RateLimiter::Take(std::string_view key, TimePoint now) {
  if (limit_.per_second <= 0) return 0;
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) Prune(now);
    it = buckets_.emplace(std::string(key), Bucket{limit_.burst, now}).first;
  }
  Bucket& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.last).count();
  b.tokens = std::min(limit_.burst, b.tokens + std::max(elapsed, 0.0) * limit_.per_second);
  b.last = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  double wait = (1 - b.tokens) / limit_.per_second;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait)));
}

size_t RateLimiter::keys() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

void RateLimiter::Prune(TimePoint now) {
  std::erase_if(buckets_, [&](const auto& kv) {
    double elapsed = std::chrono::duration<double>(now - kv.second.last).count();
    return kv.second.tokens + elapsed * limit_.per_second >= limit_.burst;
  });
  if (buckets_.size() < max_keys_) return;
  std::vector<TimePoint> times;
  times.reserve(buckets_.size());
  for (const auto& kv : buckets_) times.push_back(kv.second.last);
  auto mid = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
  std::nth_element(times.begin(), mid, times.end());
  TimePoint cutoff = *mid;
  std::erase_if(buckets_, [&](const auto& kv) { return kv.second.last <= cutoff; });
}

}  // namespace sz::server
