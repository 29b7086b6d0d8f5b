// Sampler: picks the next token from a row of raw logits with Ollama's
// sampling options, running llama.cpp's default chain (as llama-server does
// for Ollama >= 0.30): logit filter (e.g. a grammar) -> penalties -> top_k ->
// typical_p -> top_p -> min_p -> temperature -> seeded random draw.
//
//   Sampler s(params, vocab_size);
//   for (auto id : prompt) s.accept(id);          // optional: penalise prompt tokens too
//   std::int32_t id = s.sample(logits);           // logits: one row, vocab_size floats
//   s.accept(id);                                 // the caller reports every accepted token
//
// temperature <= 0 is greedy: the argmax after the filter and penalties, the
// lowest id on ties. The truncation stages are skipped then; llama.cpp runs
// them first, which only makes a difference with typical_p < 1, the one stage
// that can drop the most likely token. One Sampler per generation; not
// thread-safe.
#pragma once

#include "sample/candidates.h"
#include "sample/logprobs.h"
#include "sample/penalties.h"
#include "sample/rng.h"
#include "sample/sampling_params.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace corral::sample {

class Sampler {
 public:
  // Changes logits in place; typically sets forbidden tokens to -inf.
  using LogitFilter = std::function<void(std::span<float>)>;

  // Throws corral::Error for unusable params (see validate()) or a vocabulary
  // size of 0 or above INT32_MAX. context_length bounds the penalty window
  // when repeat_last_n is -1 (0: unknown, every accepted token counts).
  Sampler(const SamplingParams& params, std::size_t vocab_size, std::size_t context_length = 0);

  // Records a token for the penalties. Throws corral::Error if it is not in the vocabulary.
  void accept(std::int32_t token);

  // Forgets accepted tokens and restarts the random sequence from the seed.
  void reset();

  // Called on the logits before anything else; an empty function removes it.
  void set_logit_filter(LogitFilter filter) { filter_ = std::move(filter); }

  // The next token. `logits` must hold vocab_size values; they are modified in
  // place (filter, penalties). Throws corral::Error on a wrong row size or
  // when no token is left to choose (every logit -inf or NaN).
  std::int32_t sample(std::span<float> logits);

  // Same, and also fills `out` with the chosen token's and the top_logprobs
  // (0..20) best tokens' log-probabilities from the raw logits (logprobs.h).
  std::int32_t sample(std::span<float> logits, int top_logprobs, TokenLogprobs& out);

  const SamplingParams& params() const { return params_; }
  // The seed in use: params.seed, or the one picked at random for -1.
  std::uint64_t seed() const { return seed_; }

 private:
  std::int32_t choose(std::span<float> logits);

  SamplingParams params_;
  std::size_t vocab_size_;
  std::uint64_t seed_;
  SplitMix64 rng_;
  TokenHistory history_;
  LogitFilter filter_;
  Candidates candidates_;     // reused between calls
  std::vector<float> raw_;    // copy of the raw row when logprobs are asked for
};

}  // namespace corral::sample
