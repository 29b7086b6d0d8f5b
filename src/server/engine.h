// Engine: one loaded model as the scheduler and the routes see it: run a
// completion or an embedding, tokenize, report memory. RunnerEngine is the
// real one (runner::Runner over a mapped GGUF); tests substitute their own
// (for scripted output) through the scheduler's EngineFactory.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>

#include "kernels/attention.h"
#include "runner/completion.h"
#include "tokenizer/tokenizer.h"

namespace corral::server {

// How a model is loaded. Two requests can share a loaded model when their
// specs are equal.
struct LoadSpec {
  std::filesystem::path model_path;
  std::int64_t num_ctx = 4096;   // per slot
  std::int64_t num_batch = 512;
  std::int64_t num_parallel = 1;
  int num_thread = 0;
  kernels::KvType kv_type = kernels::KvType::f16;
  bool operator==(const LoadSpec&) const = default;
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual runner::CompletionResult complete(const runner::CompletionRequest& request,
                                            const std::function<bool(const runner::TokenOutput&)>& on_output,
                                            const std::atomic<bool>* cancel) = 0;
  virtual runner::EmbedResult embed(const runner::EmbedRequest& request, const std::atomic<bool>* cancel) = 0;
  virtual std::shared_ptr<const tokenizer::Tokenizer> tokenizer() const = 0;
  // Bytes the loaded model holds (weights mapping + KV cache).
  virtual std::int64_t memory_bytes() const = 0;
};

using EngineFactory = std::function<std::shared_ptr<Engine>(const LoadSpec&)>;

// Loads the GGUF at spec.model_path into a runner::Runner.
std::shared_ptr<Engine> load_runner_engine(const LoadSpec& spec);

}  // namespace corral::server
