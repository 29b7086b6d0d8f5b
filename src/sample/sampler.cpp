// The sampler chain: filter, penalties, truncation stages and the draw.
#include "sample/sampler.h"

#include "sample/stages.h"
#include "util/error.h"

#include <cstdint>
#include <limits>
#include <random>

namespace corral::sample {

namespace {

std::uint64_t pick_seed(std::int64_t requested) {
  if (requested != kRandomSeed) return static_cast<std::uint64_t>(requested);
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

std::size_t penalty_window(int repeat_last_n, std::size_t context_length) {
  if (repeat_last_n == -1) return context_length > 0 ? context_length : TokenHistory::kUnlimited;
  return static_cast<std::size_t>(repeat_last_n);
}

}  // namespace

Sampler::Sampler(const SamplingParams& params, std::size_t vocab_size, std::size_t context_length)
    : params_(params),
      vocab_size_(vocab_size),
      seed_(pick_seed(params.seed)),
      rng_(seed_),
      history_(0) {
  validate(params_);
  if (vocab_size == 0 || vocab_size > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    fail("sampler: vocabulary size {} is out of range", vocab_size);
  }
  history_ = TokenHistory(penalty_window(params_.repeat_last_n, context_length));
}

void Sampler::accept(std::int32_t token) {
  if (token < 0 || static_cast<std::size_t>(token) >= vocab_size_) {
    fail("sampler: accepted token {} is outside the vocabulary of {} tokens", token, vocab_size_);
  }
  history_.push(token);
}

void Sampler::reset() {
  history_.clear();
  rng_ = SplitMix64(seed_);
}

std::int32_t Sampler::sample(std::span<float> logits) { return choose(logits); }

std::int32_t Sampler::sample(std::span<float> logits, int top_logprobs, TokenLogprobs& out) {
  if (top_logprobs < 0 || top_logprobs > kMaxTopLogprobs) {
    fail("top_logprobs must be between 0 and {}, got {}", kMaxTopLogprobs, top_logprobs);
  }
  if (logits.size() == vocab_size_) raw_.assign(logits.begin(), logits.end());  // else choose() throws
  const std::int32_t token = choose(logits);
  out = compute_logprobs(raw_, token, top_logprobs);
  return token;
}

std::int32_t Sampler::choose(std::span<float> logits) {
  if (logits.size() != vocab_size_) {
    fail("sampler: logit row has {} entries, the vocabulary has {}", logits.size(), vocab_size_);
  }
  if (filter_) filter_(logits);
  apply_penalties(logits, history_,
                  {params_.repeat_penalty, params_.frequency_penalty, params_.presence_penalty});

  if (params_.temperature <= 0.0f) {
    const std::int32_t best = argmax(logits);
    if (best < 0) fail("sampler: no token can be chosen, every logit is -inf or NaN");
    return best;
  }

  const std::size_t n = logits.size();
  if (params_.top_k > 0 && static_cast<std::size_t>(params_.top_k) < n) {
    collect_top_k(logits, static_cast<std::size_t>(params_.top_k), candidates_);
  } else {
    collect_all(logits, candidates_);
  }
  if (candidates_.items.empty()) fail("sampler: no token can be chosen, every logit is -inf or NaN");

  apply_typical(candidates_, params_.typical_p);
  apply_top_p(candidates_, params_.top_p);
  apply_min_p(candidates_, params_.min_p);
  apply_temperature(candidates_, params_.temperature);
  softmax(candidates_);
  return candidates_.items[draw(candidates_, rng_.next_unit())].id;
}

}  // namespace corral::sample
