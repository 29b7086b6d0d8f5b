// The request/response types of the runner: what a completion or an
// embedding asks for, what streams back, and the final statistics.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sample/logprobs.h"
#include "sample/sampling_params.h"

namespace corral::runner {

// Restricts which tokens may come next (structured output). apply() sets the
// logits of forbidden tokens to -inf; accept() advances the state.
class TokenConstraint {
 public:
  virtual ~TokenConstraint() = default;
  virtual void apply(std::span<float> logits) = 0;
  virtual void accept(std::int32_t token) = 0;
  // True when the constrained text is complete and generation should end.
  virtual bool complete() const { return false; }
};

struct CompletionRequest {
  std::vector<std::int32_t> prompt;  // tokens, BOS included if wanted
  sample::SamplingParams sampling;   // with num_predict and stop
  int num_keep = 4;                  // tokens kept at the start on a context shift
  bool shift = true;                 // context shift allowed (else: error / done "length")
  bool truncate = true;              // a too-long prompt is truncated (else: error)
  bool logprobs = false;
  int top_logprobs = 0;              // 0..20
  std::shared_ptr<TokenConstraint> constraint;
};

struct TokenOutput {
  std::string text;                             // text that may be shown now (maybe empty)
  std::vector<std::int32_t> ids;                // tokens sampled since the last output
  std::vector<sample::TokenLogprobs> logprobs;  // one per id when asked for
};

struct CompletionResult {
  std::string done_reason;  // "stop" or "length"
  int prompt_eval_count = 0;
  std::chrono::nanoseconds prompt_eval_duration{0};
  int eval_count = 0;
  std::chrono::nanoseconds eval_duration{0};
  std::vector<std::int32_t> context;  // prompt + generated tokens
};

struct EmbedRequest {
  std::vector<std::vector<std::int32_t>> inputs;
  bool truncate = true;
  bool normalize = true;
};

struct EmbedResult {
  std::vector<std::vector<float>> embeddings;
  int prompt_eval_count = 0;
};

}  // namespace corral::runner
