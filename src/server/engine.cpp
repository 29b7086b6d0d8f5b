// RunnerEngine: the Engine backed by runner::Runner.
#include "server/engine.h"

#include "model/model.h"
#include "runner/runner.h"

namespace corral::server {

namespace {

class RunnerEngine : public Engine {
 public:
  explicit RunnerEngine(const LoadSpec& spec) {
    model_ = model::Model::load(spec.model_path.string());
    tokenizer_ = tokenizer::Tokenizer::from_gguf(model_->file());
    runner::RunnerOptions o;
    o.n_ctx = spec.num_ctx;
    o.n_parallel = spec.num_parallel;
    o.n_batch = spec.num_batch;
    o.kv_type = spec.kv_type;
    o.n_threads = spec.num_thread;
    runner_ = std::make_unique<runner::Runner>(model_, tokenizer_, o);
  }

  runner::CompletionResult complete(const runner::CompletionRequest& request,
                                    const std::function<bool(const runner::TokenOutput&)>& on_output,
                                    const std::atomic<bool>* cancel) override {
    return runner_->complete(request, on_output, cancel);
  }
  runner::EmbedResult embed(const runner::EmbedRequest& request, const std::atomic<bool>* cancel) override {
    return runner_->embed(request, cancel);
  }
  std::shared_ptr<const tokenizer::Tokenizer> tokenizer() const override { return tokenizer_; }
  std::int64_t memory_bytes() const override {
    return static_cast<std::int64_t>(model_->file_size() + runner_->kv_bytes());
  }

 private:
  std::shared_ptr<const model::Model> model_;
  std::shared_ptr<const tokenizer::Tokenizer> tokenizer_;
  std::unique_ptr<runner::Runner> runner_;
};

}  // namespace

std::shared_ptr<Engine> load_runner_engine(const LoadSpec& spec) { return std::make_shared<RunnerEngine>(spec); }

}  // namespace corral::server
