// Retry timing for registry requests: exponential backoff with jitter, and
// a sleep that wakes early when the operation is cancelled.
#pragma once

#include <atomic>
#include <chrono>

namespace corral::registry {

// Delay before retry number `attempt` (1 = first retry): base * 2^(attempt-1),
// at most 30 s, scaled by a random factor in [0.75, 1.25].
std::chrono::milliseconds backoff_delay(std::chrono::milliseconds base, int attempt);

// Sleeps `d` in small steps; returns false (early) if *cancel became true.
bool sleep_unless_cancelled(std::chrono::milliseconds d, const std::atomic<bool>* cancel);

// Whether an HTTP status is worth retrying (408, 425, 429, 5xx).
bool is_retryable_status(long status);

}  // namespace corral::registry
