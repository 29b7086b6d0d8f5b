// ProgressStream: turns the status lines of /api/pull, /api/push and
// /api/create into a ProgressDisplay as Ollama's CLI does: an event with a
// digest drives that digest's bar ("pulling dde5aa3fc5ff:", or the server's
// status text for push and create); any other status starts a spinner that
// replaces the previous one. A pull's first event for a blob (completed 0)
// is skipped so that no empty bar flashes up.
#pragma once

#include <map>
#include <string>

#include "api/types.h"
#include "cli/progress_display.h"

namespace corral::cli {

enum class TransferKind { pull, push, create };

class ProgressStream {
 public:
  ProgressStream(ProgressDisplay& display, TransferKind kind) : display_(display), kind_(kind) {}

  void on_event(const api::ProgressResponse& event);
  // The last status seen ("success" after a complete stream).
  const std::string& last_status() const { return status_; }

 private:
  ProgressDisplay& display_;
  TransferKind kind_;
  std::map<std::string, int> bars_;  // digest -> bar id
  std::string status_;
  int spinner_ = -1;
};

}  // namespace corral::cli
