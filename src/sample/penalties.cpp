// Repetition penalties over the window of accepted tokens.
#include "sample/penalties.h"

namespace corral::sample {

void TokenHistory::push(std::int32_t token) {
  if (window_ == 0) return;
  if (tokens_.size() == window_) {
    const std::int32_t oldest = tokens_.front();
    tokens_.pop_front();
    auto it = counts_.find(oldest);
    if (--it->second == 0) counts_.erase(it);
  }
  tokens_.push_back(token);
  ++counts_[token];
}

void TokenHistory::clear() {
  tokens_.clear();
  counts_.clear();
}

void apply_penalties(std::span<float> logits, const TokenHistory& history, const PenaltyWeights& w) {
  if (w.repeat == 1.0f && w.frequency == 0.0f && w.presence == 0.0f) return;
  for (const auto& [token, count] : history.counts()) {
    if (token < 0 || static_cast<std::size_t>(token) >= logits.size()) continue;
    float& logit = logits[static_cast<std::size_t>(token)];
    if (logit <= 0.0f) {
      logit *= w.repeat;
    } else {
      logit /= w.repeat;
    }
    logit -= static_cast<float>(count) * w.frequency + w.presence;
  }
}

}  // namespace corral::sample
