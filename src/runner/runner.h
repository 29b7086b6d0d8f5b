// Runner: serves completions and embeddings for one loaded model. It owns the
// model's Context (n_parallel sequences, "slots") and a loop thread that
// decodes all active slots together in one batch per step (continuous
// batching): generating slots contribute their next token, slots still
// reading a prompt contribute chunks of it. A new request takes the free slot
// whose cached tokens share the longest prefix with its prompt, and only the
// rest of the prompt is evaluated.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "model/context.h"
#include "runner/completion.h"
#include "runner/job.h"
#include "tokenizer/tokenizer.h"

namespace corral::runner {

struct RunnerOptions {
  std::int64_t n_ctx = 4096;     // positions per slot
  std::int64_t n_parallel = 1;   // slots
  std::int64_t n_batch = 512;    // tokens per forward pass
  kernels::KvType kv_type = kernels::KvType::f16;
  int n_threads = 0;             // 0: physical cores
};

class Runner {
 public:
  Runner(std::shared_ptr<const model::Model> model, std::shared_ptr<const tokenizer::Tokenizer> tokenizer,
         const RunnerOptions& options);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Runs a completion, calling on_output on the calling thread as text becomes
  // ready; on_output returning false (or *cancel becoming true) cancels it
  // within one token. Throws Error for a bad request; returns the statistics.
  CompletionResult complete(const CompletionRequest& request,
                            const std::function<bool(const TokenOutput&)>& on_output,
                            const std::atomic<bool>* cancel = nullptr);

  // Embeds each input (pooled as the model's metadata says, mean by default).
  EmbedResult embed(const EmbedRequest& request, const std::atomic<bool>* cancel = nullptr);

  const model::Model& model() const { return *model_; }
  const tokenizer::Tokenizer& tokenizer() const { return *tokenizer_; }
  std::shared_ptr<const tokenizer::Tokenizer> tokenizer_ptr() const { return tokenizer_; }
  const RunnerOptions& options() const { return options_; }
  // Requests currently running or waiting for a slot.
  int busy() const { return busy_.load(); }
  // Prompt tokens evaluated so far (cached prefixes are not evaluated again).
  std::int64_t prompt_tokens_evaluated() const { return prompt_evaluated_.load(); }
  // Bytes of KV cache allocated.
  std::size_t kv_bytes() const { return ctx_.cache().bytes(); }

 private:
  struct Slot;
  void submit(const std::shared_ptr<Job>& job);
  std::shared_ptr<Job> wait_job(const std::shared_ptr<Job>& job,
                                const std::function<bool(const TokenOutput&)>& on_output,
                                const std::atomic<bool>* cancel);
  void loop();
  void admit();
  bool step();
  void run_embedding(Slot& slot);
  void finish_slot(Slot& slot, const std::string& reason, std::exception_ptr err = nullptr);
  void after_logits(Slot& slot, std::span<const float> logits);

  std::shared_ptr<const model::Model> model_;
  std::shared_ptr<const tokenizer::Tokenizer> tokenizer_;
  RunnerOptions options_;
  model::Context ctx_;
  std::vector<std::unique_ptr<Slot>> slots_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  bool stop_ = false;
  std::atomic<int> busy_{0};
  std::atomic<std::int64_t> prompt_evaluated_{0};
  std::thread thread_;
};

}  // namespace corral::runner
