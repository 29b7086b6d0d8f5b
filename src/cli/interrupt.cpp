// SIGINT -> flag (see interrupt.h).
#include "cli/interrupt.h"

namespace corral::cli {

namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

void on_sigint(int) { g_interrupted.store(true); }

}  // namespace

InterruptScope::InterruptScope() {
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking read returns EINTR
  sigaction(SIGINT, &sa, &previous_);
}

InterruptScope::~InterruptScope() { sigaction(SIGINT, &previous_, nullptr); }

bool InterruptScope::pending() { return g_interrupted.load(); }
void InterruptScope::clear() { g_interrupted.store(false); }
const std::atomic<bool>& InterruptScope::flag() { return g_interrupted; }

}  // namespace corral::cli
