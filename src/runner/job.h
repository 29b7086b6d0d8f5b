// Job: one request in flight between the thread that asked for it and the
// runner's loop thread. The loop appends outputs and finally a result or an
// error; the caller drains them and may cancel at any time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>

#include "runner/completion.h"

namespace corral::runner {

struct Job {
  enum class Kind { completion, embedding } kind = Kind::completion;
  CompletionRequest completion;
  EmbedRequest embedding;

  // Set by the caller; the loop drops the job at its next step.
  std::atomic<bool> cancelled{false};

  // --- filled by the loop, read by the caller (under mu)
  std::mutex mu;
  std::condition_variable cv;
  std::deque<TokenOutput> outputs;
  bool finished = false;
  CompletionResult result;
  EmbedResult embed_result;
  std::exception_ptr error;

  void push(TokenOutput out) {
    {
      std::lock_guard lock(mu);
      outputs.push_back(std::move(out));
    }
    cv.notify_one();
  }
  void finish(std::exception_ptr err = nullptr) {
    {
      std::lock_guard lock(mu);
      finished = true;
      error = err;
    }
    cv.notify_one();
  }
};

}  // namespace corral::runner
