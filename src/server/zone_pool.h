// A pool of opened Zones for the server's worker threads.
//
// SQLite connections (and so Zones, with their Identity and AuditLog) are used by one
// thread at a time. Instead of one Zone per worker thread, which would tie the number of
// database connections to the number of connections the server keeps open, a request
// leases a Zone for the duration of one zone call and gives it back; WAL mode lets the
// leased Zones read concurrently while writes serialize on SQLite's lock.
//
// Thread-safety: Acquire() may be called from any thread; a Lease belongs to the thread
// that holds it and must not outlive the pool.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "common/status.h"
#include "zone/zone.h"

namespace sz::server {

class ZonePool {
 public:
  // Opens `size` Zones (>= 1) with `options`.
  static Result<std::unique_ptr<ZonePool>> Open(const zone::ZoneOptions& options, int size);

  class Lease {
   public:
    Lease(Lease&& o) noexcept : pool_(std::exchange(o.pool_, nullptr)), zone_(std::move(o.zone_)) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    zone::Zone& operator*() const { return *zone_; }
    zone::Zone* operator->() const { return zone_.get(); }

   private:
    friend class ZonePool;
    Lease(ZonePool* pool, std::unique_ptr<zone::Zone> zone) : pool_(pool), zone_(std::move(zone)) {}
    ZonePool* pool_;
    std::unique_ptr<zone::Zone> zone_;
  };

  // Waits until a Zone is free.
  Lease Acquire();
  int size() const { return size_; }

 private:
  ZonePool() = default;
  void Release(std::unique_ptr<zone::Zone> zone);

  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<zone::Zone>> free_;
  int size_ = 0;
};

}  // namespace sz::server
