// Backoff delays and cancellable sleeps.
#include "registry/retry.h"

#include <algorithm>
#include <random>
#include <thread>

namespace corral::registry {

std::chrono::milliseconds backoff_delay(std::chrono::milliseconds base, int attempt) {
  constexpr std::chrono::milliseconds kCap{30000};
  double ms = static_cast<double>(base.count());
  for (int i = 1; i < attempt && ms < static_cast<double>(kCap.count()); ++i) ms *= 2;
  ms = std::min(ms, static_cast<double>(kCap.count()));
  thread_local std::minstd_rand rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.75, 1.25);
  return std::chrono::milliseconds(static_cast<long long>(ms * jitter(rng)));
}

bool sleep_unless_cancelled(std::chrono::milliseconds d, const std::atomic<bool>* cancel) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (true) {
    if (cancel && cancel->load()) return false;
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(20)));
  }
}

bool is_retryable_status(long status) { return status == 408 || status == 425 || status == 429 || status >= 500; }

}  // namespace corral::registry
