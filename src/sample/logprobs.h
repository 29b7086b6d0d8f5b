// Log-probabilities as Ollama reports them (logprobs / top_logprobs): the
// log-softmax of the model's raw logits, before the logit filter, penalties,
// truncation or temperature (llama-server's default, post_sampling_probs off).
// Turning token ids into text and bytes is the caller's job.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace corral::sample {

// Ollama accepts top_logprobs in 0..20.
inline constexpr int kMaxTopLogprobs = 20;

struct TokenLogprob {
  std::int32_t token = -1;
  float logprob = 0.0f;  // <= 0; -inf for a token whose logit is -inf or NaN
};

struct TokenLogprobs {
  TokenLogprob chosen;
  // The top_n most likely tokens, most likely first, equal logits by lower id.
  std::vector<TokenLogprob> top;
};

// Logprobs of `chosen` and of the top_n (0..20) most likely tokens of a raw
// logit row. Throws corral::Error if top_n is out of range, chosen is not a
// token of the row, or no logit is usable (all NaN or -inf).
TokenLogprobs compute_logprobs(std::span<const float> logits, std::int32_t chosen, int top_n);

}  // namespace corral::sample
