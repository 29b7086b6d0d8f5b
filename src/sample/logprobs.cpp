// Log-softmax of a raw logit row for the chosen and the top-N tokens.
#include "sample/logprobs.h"

#include "sample/candidates.h"
#include "sample/exp_neg.h"
#include "util/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace corral::sample {

TokenLogprobs compute_logprobs(std::span<const float> logits, std::int32_t chosen, int top_n) {
  if (top_n < 0 || top_n > kMaxTopLogprobs) {
    fail("top_logprobs must be between 0 and {}, got {}", kMaxTopLogprobs, top_n);
  }
  if (chosen < 0 || static_cast<std::size_t>(chosen) >= logits.size()) {
    fail("logprobs: token {} is outside the logit row of {} entries", chosen, logits.size());
  }
  const std::int32_t best = argmax(logits);
  if (best < 0) fail("logprobs: every logit of the row is -inf or NaN");
  const float max_logit = logits[static_cast<std::size_t>(best)];
  constexpr float kNegInf = -std::numeric_limits<float>::infinity();

  // log-sum-exp, shifted by the maximum. A +inf maximum owns all the mass,
  // shared evenly among the +inf entries.
  double log_norm = 0.0;
  if (std::isfinite(max_logit)) {
    // exp_neg gives 0 for -inf and NaN.
    double sum = 0.0;
    float probs[kExpBlock];
    for (std::size_t start = 0; start < logits.size(); start += kExpBlock) {
      const std::size_t n = std::min(kExpBlock, logits.size() - start);
      exp_neg_block(logits.data() + start, max_logit, probs, n);
      sum += block_sum(probs, n);
    }
    log_norm = max_logit + std::log(sum);
  } else {
    double count = 0.0;
    for (const float v : logits) count += v == max_logit ? 1.0 : 0.0;
    log_norm = std::log(count);
  }
  auto logprob_of = [&](float v) -> float {
    if (!(v > kNegInf)) return kNegInf;
    if (!std::isfinite(max_logit)) return v == max_logit ? static_cast<float>(-log_norm) : kNegInf;
    return static_cast<float>(static_cast<double>(v) - log_norm);
  };

  TokenLogprobs out;
  out.chosen = {chosen, logprob_of(logits[static_cast<std::size_t>(chosen)])};
  if (top_n > 0) {
    Candidates top;
    collect_top_k(logits, static_cast<std::size_t>(top_n), top);
    out.top.reserve(top.items.size());
    for (const auto& c : top.items) out.top.push_back({c.id, logprob_of(c.logit)});
  }
  return out;
}

}  // namespace corral::sample
