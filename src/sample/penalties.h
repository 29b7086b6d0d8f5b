// Repetition penalties: the window of recently accepted tokens with their
// counts, and llama.cpp's penalties sampler applied to a logit row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <span>
#include <unordered_map>

namespace corral::sample {

// The last `window` accepted tokens and how often each occurs among them.
class TokenHistory {
 public:
  static constexpr std::size_t kUnlimited = std::numeric_limits<std::size_t>::max();

  // window 0 records nothing; kUnlimited keeps every token.
  explicit TokenHistory(std::size_t window) : window_(window) {}

  void push(std::int32_t token);
  void clear();

  std::size_t size() const { return tokens_.size(); }
  // token -> occurrences in the window (only tokens that occur).
  const std::unordered_map<std::int32_t, int>& counts() const { return counts_; }

 private:
  std::size_t window_;
  std::deque<std::int32_t> tokens_;
  std::unordered_map<std::int32_t, int> counts_;
};

struct PenaltyWeights {
  float repeat = 1.0f;     // divides positive logits, multiplies the others
  float frequency = 0.0f;  // subtracted once per occurrence
  float presence = 0.0f;   // subtracted once if the token occurs at all
};

// For every token t in the history with count n: logit /= repeat if
// logit > 0, else logit *= repeat; then logit -= n * frequency + presence.
// Tokens outside `logits` are ignored.
void apply_penalties(std::span<float> logits, const TokenHistory& history, const PenaltyWeights& w);

}  // namespace corral::sample
