// SamplingParams: every Ollama sampling option as a plain struct with Ollama's
// defaults (api/types.go DefaultOptions, see shared/spec/ollama-compat.md §2).
// Parsing these from JSON or a Modelfile is the server's job, not this folder's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace corral::sample {

struct SamplingParams {
  // Softmax temperature. <= 0 means greedy: the highest logit (after the logit
  // filter and penalties) wins, ties going to the lowest token id.
  float temperature = 0.8f;
  // Keep only the k most likely tokens. <= 0 (or >= the vocabulary size) disables it.
  int top_k = 40;
  // Nucleus sampling: keep the smallest set of most likely tokens whose
  // probabilities add up to at least top_p. >= 1 disables it.
  float top_p = 0.9f;
  // Drop tokens whose probability is below min_p times the best token's. 0 disables it.
  float min_p = 0.0f;
  // Locally typical sampling. >= 1 disables it.
  float typical_p = 1.0f;
  // How many of the last accepted tokens the penalties look at:
  // 0 disables the penalties, -1 means the whole context.
  int repeat_last_n = 64;
  // Repeated tokens' logits: positive ones are divided by it, negative ones
  // multiplied (llama.cpp's rule). 1 disables it. Must be > 0.
  // Ollama's default is 1.0 since the 0.33 cycle; it was 1.1 up to v0.32.x.
  float repeat_penalty = 1.0f;
  // Subtracted once from the logit of every token that occurs in the window.
  float presence_penalty = 0.0f;
  // Subtracted from a token's logit once per occurrence in the window.
  float frequency_penalty = 0.0f;
  // Seed of the random draw. -1 picks a random seed; any other value gives
  // the same tokens for the same logits on every run and platform.
  std::int64_t seed = -1;

  // Enforced by the caller, kept here for convenience:
  // maximum tokens to generate; any negative value means "until a stop".
  int num_predict = -1;
  // Generation ends at the first of these strings (see StopMatcher).
  std::vector<std::string> stop;
};

// The value Ollama uses when the seed is "random".
inline constexpr std::int64_t kRandomSeed = -1;

// Throws corral::Error naming the option when a value cannot be used
// (NaN or infinite floats, repeat_penalty <= 0, repeat_last_n < -1).
// Values llama.cpp accepts are accepted with llama.cpp's meaning: top_k <= 0
// and top_p >= 1 disable those stages, top_p <= 0 keeps only the best token,
// min_p > 1 keeps only the best token.
void validate(const SamplingParams& params);

}  // namespace corral::sample
