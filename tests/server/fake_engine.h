// FakeEngine: an Engine with scripted output for scheduler and HTTP tests.
// It emits `script` piece by piece (optionally pausing between pieces), counts
// live instances and loads, and can hold completions until released.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/engine.h"
#include "util/error.h"

namespace corral::server::test {

struct FakeStats {
  std::atomic<int> alive{0};
  std::atomic<int> loads{0};
  std::atomic<int> running{0};
  std::atomic<int> max_running{0};
  std::atomic<int> cancelled{0};
  std::atomic<int> pieces_sent{0};
  std::vector<LoadSpec> specs;
  std::mutex mu;
};

struct FakeScript {
  std::vector<std::string> pieces = {"Hello", ", ", "world", "!"};
  std::chrono::milliseconds delay{0};
  std::int64_t memory = 1000;
};

class FakeEngine : public Engine {
 public:
  FakeEngine(std::shared_ptr<FakeStats> stats, std::shared_ptr<const tokenizer::Tokenizer> tok, FakeScript script,
             const LoadSpec& spec)
      : stats_(std::move(stats)), tok_(std::move(tok)), script_(std::move(script)) {
    stats_->alive++;
    stats_->loads++;
    std::lock_guard lock(stats_->mu);
    stats_->specs.push_back(spec);
  }
  ~FakeEngine() override { stats_->alive--; }

  runner::CompletionResult complete(const runner::CompletionRequest& request,
                                    const std::function<bool(const runner::TokenOutput&)>& on_output,
                                    const std::atomic<bool>* cancel) override {
    const int now = ++stats_->running;
    int prev = stats_->max_running.load();
    while (now > prev && !stats_->max_running.compare_exchange_weak(prev, now)) {
    }
    struct Done {
      FakeStats& s;
      ~Done() { s.running--; }
    } done{*stats_};
    runner::CompletionResult r;
    r.prompt_eval_count = static_cast<int>(request.prompt.size());
    r.context = request.prompt;
    int n = 0;
    for (const auto& piece : script_.pieces) {
      if (request.sampling.num_predict >= 0 && n >= request.sampling.num_predict) {
        r.done_reason = "length";
        r.eval_count = n;
        return r;
      }
      const auto until = std::chrono::steady_clock::now() + script_.delay;
      while (std::chrono::steady_clock::now() < until) {
        if (cancel && cancel->load()) {
          stats_->cancelled++;
          fail("request canceled");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      if (cancel && cancel->load()) {
        stats_->cancelled++;
        fail("request canceled");
      }
      runner::TokenOutput o;
      o.text = piece;
      o.ids = {static_cast<std::int32_t>(3 + n)};
      r.context.push_back(o.ids[0]);
      stats_->pieces_sent++;
      ++n;
      if (!on_output(o)) {
        stats_->cancelled++;
        fail("request canceled");
      }
    }
    r.done_reason = "stop";
    r.eval_count = n;
    r.eval_duration = std::chrono::milliseconds(1);
    r.prompt_eval_duration = std::chrono::microseconds(10);
    return r;
  }

  runner::EmbedResult embed(const runner::EmbedRequest& request, const std::atomic<bool>*) override {
    runner::EmbedResult r;
    for (const auto& in : request.inputs) {
      std::vector<float> v = {3.0f, 4.0f, static_cast<float>(in.size())};
      r.embeddings.push_back(v);
      r.prompt_eval_count += static_cast<int>(in.size());
    }
    return r;
  }

  std::shared_ptr<const tokenizer::Tokenizer> tokenizer() const override { return tok_; }
  std::int64_t memory_bytes() const override { return script_.memory; }

 private:
  std::shared_ptr<FakeStats> stats_;
  std::shared_ptr<const tokenizer::Tokenizer> tok_;
  FakeScript script_;
};

}  // namespace corral::server::test
