// A fixed set of worker threads for the privacy engine's data-parallel loops.
//
// Run(tasks, fn) calls fn(0) .. fn(tasks-1), spread over the workers and the calling
// thread, and returns when all calls have finished. The engine splits one grouping pass
// into a few tasks per call, hundreds of times per search, so threads are started once
// and reused instead of being spawned per pass.
//
// Invariants: fn must not throw (the engine's tasks are noexcept code over vectors) and
// must not call Run on the same pool. Thread-safety: one Run at a time per pool; the
// destructor joins the workers.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sz::privacy {

class WorkerPool {
 public:
  // threads <= 0: one per hardware thread. threads == 1: no workers, Run is a plain loop.
  explicit WorkerPool(int threads = 0);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Degree of parallelism, including the calling thread.
  int threads() const { return static_cast<int>(workers_.size()) + 1; }
  void Run(int tasks, const std::function<void(int)>& fn);

 private:
  void WorkerLoop();
  void Drain();

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int)>* fn_ = nullptr;
  int tasks_ = 0;
  int next_ = 0;
  int finished_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace sz::privacy
