// Batches request-log rows (zone/request_log.h) and writes them from a background thread,
// so that a request never waits for the log's fsync and a thousand requests cost one
// transaction, not a thousand.
//
// Rows are flushed every `interval` or when `batch` rows are waiting, whichever comes
// first, and on destruction. If the queue holds `max_pending` rows (the database is stuck),
// further rows are dropped and counted rather than growing memory without bound.
//
// Thread-safety: Add() and Flush() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "zone/request_log.h"
#include "zone/zone.h"

namespace sz::server {

class RequestLogWriter {
 public:
  // Takes a Zone of its own (its own SQLite connection).
  RequestLogWriter(std::unique_ptr<zone::Zone> zone, std::chrono::milliseconds interval,
                   size_t batch = 512, size_t max_pending = 100000);
  ~RequestLogWriter();
  RequestLogWriter(const RequestLogWriter&) = delete;
  RequestLogWriter& operator=(const RequestLogWriter&) = delete;

  void Add(zone::RequestRecord record);
  // Writes everything added so far before returning.
  void Flush();

  uint64_t dropped() const { return dropped_.load(); }
  uint64_t failed_batches() const { return failed_.load(); }

 private:
  void Loop();
  void WriteOut(std::unique_lock<std::mutex>& lock);

  std::unique_ptr<zone::Zone> zone_;
  std::chrono::milliseconds interval_;
  size_t batch_;
  size_t max_pending_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable written_;
  std::vector<zone::RequestRecord> pending_;
  uint64_t added_ = 0;
  uint64_t done_ = 0;          // rows written (or given up on)
  uint64_t flush_target_ = 0;  // Flush() waits until done_ reaches this
  bool stop_ = false;
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> failed_{0};
  std::thread thread_;
};

}  // namespace sz::server
