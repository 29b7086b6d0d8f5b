// Building, ordering and drawing from candidate lists.
#include "sample/candidates.h"

#include "sample/exp_neg.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace corral::sample {

namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();
constexpr float kPosInf = std::numeric_limits<float>::infinity();

// Rows are scanned in blocks: one vectorisable "is anything here above the
// bar?" test lets the scan skip almost every block once the bar is high.
constexpr std::size_t kBlock = 64;

bool block_has_above(const float* x, float bar) {
  unsigned any = 0;  // an unsigned OR (not bool) lets g++ and clang vectorise this loop
  for (std::size_t j = 0; j < kBlock; ++j) any |= static_cast<unsigned>(x[j] > bar);
  return any != 0;
}

}  // namespace

void collect_all(std::span<const float> logits, Candidates& out) {
  out.items.clear();
  out.items.reserve(logits.size());
  for (std::size_t i = 0; i < logits.size(); ++i) {
    const float v = logits[i];
    if (v > kNegInf) out.items.push_back({static_cast<std::int32_t>(i), v, 0.0f});  // false for NaN too
  }
  out.sorted = false;
}

void collect_top_k(std::span<const float> logits, std::size_t k, Candidates& out) {
  auto& heap = out.items;  // a heap whose front is the worst token kept so far
  heap.clear();
  out.sorted = true;
  if (k == 0) return;
  heap.reserve(k);
  const float* x = logits.data();
  const std::size_t n = logits.size();

  auto consider = [&](std::size_t i) {
    const float v = x[i];
    if (!(v > kNegInf)) return;
    const Candidate c{static_cast<std::int32_t>(i), v, 0.0f};
    if (heap.size() < k) {
      heap.push_back(c);
      std::push_heap(heap.begin(), heap.end(), ranks_before);
    } else if (v > heap.front().logit) {  // equal logits: the earlier (lower) id stays
      std::pop_heap(heap.begin(), heap.end(), ranks_before);
      heap.back() = c;
      std::push_heap(heap.begin(), heap.end(), ranks_before);
    }
  };

  std::size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    if (heap.size() == k && !block_has_above(x + i, heap.front().logit)) continue;
    for (std::size_t j = i; j < i + kBlock; ++j) consider(j);
  }
  for (; i < n; ++i) consider(i);

  std::sort_heap(heap.begin(), heap.end(), ranks_before);
  out.sorted = true;
}

std::int32_t argmax(std::span<const float> logits) {
  const float* x = logits.data();
  const std::size_t n = logits.size();
  float best = kNegInf;
  std::int32_t best_id = -1;
  auto consider = [&](std::size_t i) {
    if (x[i] > best) {  // strict: the lowest id wins ties; NaN never wins
      best = x[i];
      best_id = static_cast<std::int32_t>(i);
    }
  };
  std::size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    if (!block_has_above(x + i, best)) continue;
    for (std::size_t j = i; j < i + kBlock; ++j) consider(j);
  }
  for (; i < n; ++i) consider(i);
  return best_id;
}

void sort_candidates(Candidates& c) {
  if (c.sorted) return;
  std::sort(c.items.begin(), c.items.end(), ranks_before);
  c.sorted = true;
}

void softmax(Candidates& c) {
  if (c.items.empty()) return;
  auto& items = c.items;
  float max_logit = kNegInf;
  for (const auto& item : items) max_logit = std::max(max_logit, item.logit);
  if (max_logit == kPosInf) {  // the +inf entries share all the mass
    float count = 0.0f;
    for (auto& item : items) count += item.p = item.logit == kPosInf ? 1.0f : 0.0f;
    for (auto& item : items) item.p /= count;
    return;
  }
  double sum = 0.0;
  float logits[kExpBlock];
  float probs[kExpBlock];
  for (std::size_t start = 0; start < items.size(); start += kExpBlock) {
    const std::size_t n = std::min(kExpBlock, items.size() - start);
    for (std::size_t j = 0; j < n; ++j) logits[j] = items[start + j].logit;
    exp_neg_block(logits, max_logit, probs, n);
    for (std::size_t j = 0; j < n; ++j) items[start + j].p = probs[j];
    sum += block_sum(probs, n);
  }
  const float inv = static_cast<float>(1.0 / sum);  // the maximum contributes 1, so sum >= 1
  for (auto& item : items) item.p *= inv;
}

std::size_t draw(const Candidates& c, double u) {
  double total = 0.0;
  for (const auto& item : c.items) total += item.p;
  const double target = u * total;
  double running = 0.0;
  std::size_t last_with_mass = 0;
  for (std::size_t i = 0; i < c.items.size(); ++i) {
    if (c.items[i].p <= 0.0f) continue;
    running += c.items[i].p;
    last_with_mass = i;
    if (running > target) return i;
  }
  return last_with_mass;  // only reachable through rounding
}

}  // namespace corral::sample
