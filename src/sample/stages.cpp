// typical_p, top_p, min_p and temperature over a candidate list.
#include "sample/stages.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace corral::sample {

void apply_typical(Candidates& c, float typical_p) {
  if (typical_p >= 1.0f || c.items.empty()) return;
  sort_candidates(c);  // equal scores then keep the more likely token first
  softmax(c);

  // Entropy of the distribution; p = 0 (underflow) contributes its limit, 0.
  double entropy = 0.0;
  for (const auto& item : c.items) {
    if (item.p > 0.0f) entropy -= item.p * std::log(static_cast<double>(item.p));
  }
  // Distance of each token's surprise from the entropy; p = 0 is the least typical.
  std::vector<std::pair<double, Candidate>> scored;
  scored.reserve(c.items.size());
  for (const auto& item : c.items) {
    const double score = item.p > 0.0f ? std::fabs(-std::log(static_cast<double>(item.p)) - entropy)
                                       : std::numeric_limits<double>::infinity();
    scored.emplace_back(score, item);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  double cumulative = 0.0;
  std::size_t keep = scored.size();
  for (std::size_t i = 0; i < scored.size(); ++i) {
    cumulative += scored[i].second.p;
    if (cumulative > typical_p) {
      keep = i + 1;
      break;
    }
  }
  c.items.clear();
  for (std::size_t i = 0; i < keep; ++i) c.items.push_back(scored[i].second);
  c.sorted = false;
}

namespace {

// top_p over an unsorted list (the whole vocabulary) without sorting it:
// tokens are binned by their logit's distance below the maximum (1/32 nat per
// bin; the last bin takes everything 32 nats down or more), the bin where the
// running mass reaches top_p is found from per-bin sums, and only that bin is
// sorted to find the last token kept. The list keeps its order. Bins follow
// the logit order, so the kept set is the one a full sort would give, up to
// the rounding of the sums.
void top_p_by_bins(Candidates& c, float top_p, float max_logit) {
  constexpr int kBins = 1024;
  constexpr float kBinsPerNat = 32.0f;
  auto& items = c.items;
  auto bin_of = [&](const Candidate& item) {
    const float distance = (max_logit - item.logit) * kBinsPerNat;
    return distance < static_cast<float>(kBins - 1) ? static_cast<int>(distance) : kBins - 1;
  };

  std::vector<double> mass(kBins, 0.0);
  for (const auto& item : items) mass[static_cast<std::size_t>(bin_of(item))] += item.p;
  double before = 0.0;
  int crossing = 0;
  for (; crossing < kBins; ++crossing) {
    if (before + mass[static_cast<std::size_t>(crossing)] >= top_p) break;
    before += mass[static_cast<std::size_t>(crossing)];
  }
  if (crossing == kBins) return;  // the sum fell short of top_p by rounding: keep all

  std::vector<Candidate> bin;
  for (const auto& item : items) {
    if (bin_of(item) == crossing) bin.push_back(item);
  }
  std::sort(bin.begin(), bin.end(), ranks_before);
  Candidate last = bin.back();
  for (const auto& item : bin) {
    before += item.p;
    if (before >= top_p) {
      last = item;
      break;
    }
  }
  auto kept_end = std::remove_if(items.begin(), items.end(), [&](const Candidate& item) {
    const int b = bin_of(item);
    return b > crossing || (b == crossing && ranks_before(last, item));
  });
  items.erase(kept_end, items.end());
}

}  // namespace

void apply_top_p(Candidates& c, float top_p) {
  if (top_p >= 1.0f || c.items.empty()) return;
  softmax(c);
  if (!c.sorted && c.items.size() > 256) {  // shorter lists are simply sorted
    float max_logit = c.items[0].logit;
    for (const auto& item : c.items) max_logit = std::max(max_logit, item.logit);
    if (std::isfinite(max_logit)) {
      top_p_by_bins(c, top_p, max_logit);
      return;
    }
  }
  sort_candidates(c);
  double cumulative = 0.0;
  for (std::size_t i = 0; i < c.items.size(); ++i) {
    cumulative += c.items[i].p;
    if (cumulative >= top_p) {
      c.items.resize(i + 1);
      break;
    }
  }
}

void apply_min_p(Candidates& c, float min_p) {
  if (min_p <= 0.0f || c.items.empty()) return;
  const Candidate best = *std::min_element(c.items.begin(), c.items.end(), ranks_before);
  const float min_logit = best.logit + std::log(min_p);
  auto kept_end = std::remove_if(c.items.begin(), c.items.end(),
                                 [&](const Candidate& item) { return !(item.logit >= min_logit); });
  c.items.erase(kept_end, c.items.end());
  if (c.items.empty()) c.items.push_back(best);  // min_p > 1: the best token always stays
}

void apply_temperature(Candidates& c, float temperature) {
  for (auto& item : c.items) item.logit /= temperature;
}

}  // namespace corral::sample
