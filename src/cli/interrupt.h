// Ctrl-C for the CLI: while an InterruptScope is alive, SIGINT does not end
// the process but sets a flag (and interrupts blocking reads: the handler is
// installed without SA_RESTART), so a generation can be cancelled and the
// line editor can clear its line. The previous handler comes back when the
// scope ends.
#pragma once

#include <atomic>
#include <csignal>

namespace corral::cli {

class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

  // True once Ctrl-C was pressed since the last clear().
  static bool pending();
  static void clear();
  // The flag itself (for ApiClient::stream's cancel).
  static const std::atomic<bool>& flag();

 private:
  struct sigaction previous_ {};
};

}  // namespace corral::cli
