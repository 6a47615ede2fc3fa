#include "server/zone_pool.h"

namespace sz::server {

Result<std::unique_ptr<ZonePool>> ZonePool::Open(const zone::ZoneOptions& options, int size) {
  if (size < 1) return InvalidArgument("the zone pool needs at least one connection");
  auto pool = std::unique_ptr<ZonePool>(new ZonePool());
  for (int i = 0; i < size; ++i) {
    SZ_ASSIGN_OR_RETURN(auto z, zone::Zone::Open(options));
    pool->free_.push_back(std::move(z));
  }
  pool->size_ = size;
  return pool;
}

ZonePool::Lease ZonePool::Acquire() {
  std::unique_lock lock(mu_);
  freed_.wait(lock, [this] { return !free_.empty(); });
  std::unique_ptr<zone::Zone> z = std::move(free_.back());
  free_.pop_back();
  return Lease(this, std::move(z));
}

void ZonePool::Release(std::unique_ptr<zone::Zone> zone) {
  {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(zone));
  }
  freed_.notify_one();
}

ZonePool::Lease::~Lease() {
  if (pool_ && zone_) pool_->Release(std::move(zone_));
}

}  // namespace sz::server
