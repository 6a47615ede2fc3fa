#include "server/request_log_writer.h"

#include <algorithm>
#include <cstdio>

namespace sz::server {

RequestLogWriter::RequestLogWriter(std::unique_ptr<zone::Zone> zone,
                                   std::chrono::milliseconds interval, size_t batch,
                                   size_t max_pending)
    : zone_(std::move(zone)), interval_(interval), batch_(batch), max_pending_(max_pending) {
  thread_ = std::thread([this] { Loop(); });
}

RequestLogWriter::~RequestLogWriter() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void RequestLogWriter::Add(zone::RequestRecord record) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (pending_.size() >= max_pending_) {
      dropped_.fetch_add(1);
      return;
    }
    pending_.push_back(std::move(record));
    ++added_;
    wake = pending_.size() >= batch_;
  }
  if (wake) wake_.notify_all();
}

void RequestLogWriter::Flush() {
  std::unique_lock lock(mu_);
  uint64_t target = added_;
  flush_target_ = std::max(flush_target_, target);
  wake_.notify_all();
  written_.wait(lock, [&] { return done_ >= target || stop_; });
}

void RequestLogWriter::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait_for(lock, interval_,
                   [&] { return stop_ || pending_.size() >= batch_ || done_ < flush_target_; });
    if (!pending_.empty()) WriteOut(lock);
    if (stop_ && pending_.empty()) break;
  }
  written_.notify_all();
}

// Called with the lock held; writes without it so that Add() never waits for the disk.
void RequestLogWriter::WriteOut(std::unique_lock<std::mutex>& lock) {
  std::vector<zone::RequestRecord> rows;
  rows.swap(pending_);
  lock.unlock();
  Status s = zone::AppendRequestLog(zone_->db(), rows);
  if (!s.ok()) {
    failed_.fetch_add(1);
    std::fprintf(stderr, "safezone serve: request log: %zu rows not written: %s\n", rows.size(),
                 s.message().c_str());
  }
  lock.lock();
  done_ += rows.size();
  written_.notify_all();
}

}  // namespace sz::server
