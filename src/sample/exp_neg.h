// exp_neg(x): e^x for x <= 0 in float, written out in plain arithmetic so
// that loops over a logit row vectorise (glibc's expf does not) and so that
// the result is the same with every C library. Range reduction x = n ln2 + r
// (|r| <= ln2/2, ln2 split in two so n * ln2_hi is exact), then the degree-7
// Taylor polynomial of e^r (truncation error below 1e-8) times 2^n. Checked
// against exp() on every float in [-87, 0]: relative error <= 1.1e-7.
// x < -87 (past float's normal range), -inf and NaN give exactly 0.
// Files using it compile with -fno-trapping-math, which g++ needs to
// vectorise the clamp (the results are the same without it).
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace corral::sample {

inline float exp_neg(float x) {
  constexpr float kLowest = -87.0f;
  constexpr float kLog2e = 1.44269504088896341f;
  constexpr float kLn2Hi = 0.693145751953125f;
  constexpr float kLn2Lo = 1.42860682030941723212e-6f;
  constexpr float kRoundMagic = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer

  // NaN becomes kLowest here (the result is masked to 0 below): converting a
  // NaN to an integer would be undefined.
  const float clamped = x >= kLowest ? x : kLowest;
  const float n = (clamped * kLog2e + kRoundMagic) - kRoundMagic;
  float r = clamped - n * kLn2Hi;
  r = r - n * kLn2Lo;
  float poly = 1.0f / 5040.0f;
  poly = poly * r + 1.0f / 720.0f;
  poly = poly * r + 1.0f / 120.0f;
  poly = poly * r + 1.0f / 24.0f;
  poly = poly * r + 1.0f / 6.0f;
  poly = poly * r + 0.5f;
  poly = poly * r + 1.0f;
  poly = poly * r + 1.0f;
  const float scale = std::bit_cast<float>((static_cast<std::int32_t>(n) + 127) << 23);
  // All-zero bits (0.0f) unless kLowest <= x; false for NaN.
  const std::int32_t in_range = -static_cast<std::int32_t>(x >= kLowest);
  return std::bit_cast<float>(std::bit_cast<std::int32_t>(poly * scale) & in_range);
}

// Rows are processed in blocks of this many floats through a local buffer,
// which keeps the exp loops simple enough to vectorise.
inline constexpr std::size_t kExpBlock = 64;

// out[i] = exp_neg(x[i] - shift) for i < n (n <= kExpBlock).
inline void exp_neg_block(const float* x, float shift, float* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = exp_neg(x[i] - shift);
}

// Sum of v[0..n) (n <= kExpBlock) in eight fixed lanes: vectorises, and the
// order of the additions, hence the result, never changes.
inline double block_sum(const float* v, std::size_t n) {
  float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (std::size_t k = 0; k < 8; ++k) lanes[k] += v[i + k];
  }
  double total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
  for (; i < n; ++i) total += v[i];
  return total;
}

}  // namespace corral::sample
