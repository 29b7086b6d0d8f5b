// ThreadPool implementation: epoch counter + spin-then-sleep workers.
#include "util/thread_pool.h"

#include <immintrin.h>

#include <chrono>

#include "util/cpu_features.h"

namespace corral {
namespace {
// How long an idle worker spins before sleeping on the condition variable.
constexpr auto kSpinTime = std::chrono::microseconds(400);
}  // namespace

ThreadPool::ThreadPool(int n_threads) {
  if (n_threads <= 0) n_threads = cpu_features().physical_cores;
  if (n_threads < 1) n_threads = 1;
  n_threads_ = n_threads;
  for (int i = 1; i < n_threads_; ++i) threads_.emplace_back([this, i] { worker(i); });
}

ThreadPool::~ThreadPool() {
  stop_.store(true);
  {
    std::lock_guard lock(mu_);
    epoch_.fetch_add(1);
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void ThreadPool::dispatch(Thunk thunk, void* ctx) {
  if (n_threads_ == 1) {
    thunk(ctx, 0, 1);
    return;
  }
  job_ = thunk;
  job_ctx_ = ctx;
  pending_.store(n_threads_ - 1, std::memory_order_relaxed);
  epoch_.fetch_add(1, std::memory_order_seq_cst);
  if (sleepers_.load(std::memory_order_seq_cst) > 0) {
    { std::lock_guard lock(mu_); }
    cv_.notify_all();
  }
  thunk(ctx, 0, n_threads_);
  // Wait for the workers; yield now and then in case one was descheduled
  // (an oversubscribed machine) so that spinning does not steal its core.
  for (unsigned spins = 1; pending_.load(std::memory_order_acquire) != 0; ++spins) {
    _mm_pause();
    if ((spins & 1023u) == 0) std::this_thread::yield();
  }
}

void ThreadPool::worker(int index) {
  std::uint64_t seen = 0;
  for (;;) {
    std::uint64_t e = epoch_.load(std::memory_order_acquire);
    if (e == seen) {
      auto start = std::chrono::steady_clock::now();
      unsigned spins = 0;
      while ((e = epoch_.load(std::memory_order_acquire)) == seen) {
        _mm_pause();
        if ((++spins & 255u) == 0 && std::chrono::steady_clock::now() - start > kSpinTime) {
          std::unique_lock lock(mu_);
          sleepers_.fetch_add(1, std::memory_order_seq_cst);
          cv_.wait(lock, [&] { return epoch_.load(std::memory_order_seq_cst) != seen; });
          sleepers_.fetch_sub(1, std::memory_order_relaxed);
          start = std::chrono::steady_clock::now();
        }
      }
    }
    seen = e;
    if (stop_.load(std::memory_order_acquire)) return;
    job_(job_ctx_, index, n_threads_);
    pending_.fetch_sub(1, std::memory_order_release);
  }
}

}  // namespace corral
