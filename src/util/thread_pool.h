// ThreadPool: a persistent set of worker threads for the compute kernels.
// run() executes one job on every thread (the caller is thread 0) and
// returns when all are done. Workers spin briefly between jobs (a token's
// forward pass issues hundreds of short jobs) and then sleep.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace corral {

class ThreadPool {
 public:
  // n_threads counts the calling thread; n_threads <= 0 means physical cores.
  explicit ThreadPool(int n_threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return n_threads_; }

  // Calls fn(thread_index, n_threads) once on each thread; blocks until all return.
  // Not reentrant: one run() at a time per pool (callers serialize).
  template <typename F>
  void run(F&& fn) {
    auto thunk = [](void* ctx, int ti, int nt) { (*static_cast<std::remove_reference_t<F>*>(ctx))(ti, nt); };
    dispatch(thunk, const_cast<void*>(static_cast<const void*>(&fn)));
  }

  // Hands out chunks 0..n_chunks-1 dynamically (an atomic counter): fn(chunk, thread_index).
  // A thread that is descheduled holds up at most one chunk.
  template <typename F>
  void for_chunks(std::int64_t n_chunks, F&& fn) {
    if (n_chunks <= 0) return;
    if (n_threads_ == 1 || n_chunks == 1) {
      for (std::int64_t c = 0; c < n_chunks; ++c) fn(c, 0);
      return;
    }
    std::atomic<std::int64_t> next{0};
    run([&](int ti, int) {
      for (std::int64_t c; (c = next.fetch_add(1, std::memory_order_relaxed)) < n_chunks;) fn(c, ti);
    });
  }

  // Splits [0, n) into contiguous chunks, one per thread: fn(begin, end, thread_index).
  template <typename F>
  void parallel_for(std::int64_t n, F&& fn) {
    if (n <= 0) return;
    if (n_threads_ == 1 || n == 1) {
      fn(std::int64_t{0}, n, 0);
      return;
    }
    run([&](int ti, int nt) {
      std::int64_t begin = n * ti / nt, end = n * (ti + 1) / nt;
      if (begin < end) fn(begin, end, ti);
    });
  }

 private:
  using Thunk = void (*)(void*, int, int);
  void dispatch(Thunk thunk, void* ctx);
  void worker(int index);

  int n_threads_;
  std::vector<std::thread> threads_;
  Thunk job_ = nullptr;
  void* job_ctx_ = nullptr;
  alignas(64) std::atomic<std::uint64_t> epoch_{0};
  alignas(64) std::atomic<int> pending_{0};
  alignas(64) std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace corral
