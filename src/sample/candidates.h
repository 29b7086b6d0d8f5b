// Candidates: the list of (token, logit, probability) that the sampler
// stages (stages.h) narrow down: building it from a logit row (all tokens or
// the top k), ordering, softmax and the final random draw. Ties are always
// broken towards the lower token id, so every step is deterministic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace corral::sample {

struct Candidate {
  std::int32_t id;
  float logit;
  float p;  // valid only after softmax()
};

struct Candidates {
  std::vector<Candidate> items;
  // True when items are ordered by logit descending, equal logits by id ascending.
  bool sorted = false;
};

// a comes before b in sorted order.
inline bool ranks_before(const Candidate& a, const Candidate& b) {
  return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
}

// Every token whose logit is neither NaN nor -inf, in id order.
void collect_all(std::span<const float> logits, Candidates& out);

// The k best tokens (k >= 1), sorted; NaN and -inf logits are never taken, so
// fewer than k come back when fewer are usable. Runs in one pass over the row.
void collect_top_k(std::span<const float> logits, std::size_t k, Candidates& out);

// Index of the highest logit, the lowest id among equals; NaN and -inf are
// skipped. -1 when no logit is usable.
std::int32_t argmax(std::span<const float> logits);

// Sorts the list (ranks_before) unless it already is.
void sort_candidates(Candidates& c);

// Sets p to the softmax of the logits. A +inf logit shares all the mass with
// the other +inf logits. Requires a non-empty list.
void softmax(Candidates& c);

// Picks the index whose cumulative probability first exceeds u * (sum of p),
// for u in [0, 1); p must be set (softmax). Never returns a zero-probability
// entry while another has mass.
std::size_t draw(const Candidates& c, double u);

}  // namespace corral::sample
