// Scale searches shared by the K-quant and IQ4 quantizers. The arithmetic
// (operation order included) follows ggml's reference quantizers so that the
// results match them value for value; see scale_search.h.
#include "quant/scale_search.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "quant/blocks.h"

namespace corral::quant::detail {
namespace {

constexpr float kGroupMaxEps = 1e-15f;  // below this largest |x| a group counts as all zero

// The value of largest magnitude (its sign kept) and that magnitude.
void signed_absmax(int n, const float* x, float& max, float& amax) {
  max = 0;
  amax = 0;
  for (int i = 0; i < n; ++i) {
    const float ax = std::fabs(x[i]);
    if (ax > amax) {
      amax = ax;
      max = x[i];
    }
  }
}

int clamp_level(int l, int lo, int hi) { return std::max(lo, std::min(hi, l)); }

}  // namespace

float fit_symmetric_scale(int n, int nmax, const float* x, std::int8_t* L) {
  float max, amax;
  signed_absmax(n, x, max, amax);
  if (amax < kGroupMaxEps) {
    std::fill(L, L + n, std::int8_t{0});
    return 0.f;
  }
  // Weighted sums for the levels that inverse scale `iscale` gives; levels go to `out` when non-null.
  auto sums_for = [&](float iscale, float& sumlx, float& suml2, std::int8_t* out) {
    sumlx = 0;
    suml2 = 0;
    for (int i = 0; i < n; ++i) {
      const int l = clamp_level(round_nearest(iscale * x[i]), -nmax, nmax - 1);
      if (out) out[i] = static_cast<std::int8_t>(l + nmax);
      const float w = x[i] * x[i];
      sumlx += w * x[i] * static_cast<float>(l);
      suml2 += w * static_cast<float>(l) * static_cast<float>(l);
    }
  };
  float sumlx, suml2;
  sums_for(static_cast<float>(-nmax) / max, sumlx, suml2, L);
  float scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
  float best = scale * sumlx;
  for (int is = -9; is <= 9; ++is) {
    if (is == 0) continue;
    const float iscale = -(static_cast<float>(nmax) + 0.1f * static_cast<float>(is)) / max;
    sums_for(iscale, sumlx, suml2, nullptr);
    if (suml2 > 0 && sumlx * sumlx > best * suml2) {
      sums_for(iscale, sumlx, suml2, L);
      scale = sumlx / suml2;
      best = scale * sumlx;
    }
  }
  return scale;
}

float fit_symmetric_scale_refined(int n, int nmax, const float* x, std::int8_t* L) {
  float max, amax;
  signed_absmax(n, x, max, amax);
  if (amax < kGroupMaxEps) {
    std::fill(L, L + n, std::int8_t{0});
    return 0.f;
  }
  const float iscale = static_cast<float>(-nmax) / max;
  float sumlx = 0, suml2 = 0;
  for (int i = 0; i < n; ++i) {
    const int l = clamp_level(round_nearest(iscale * x[i]), -nmax, nmax - 1);
    L[i] = static_cast<std::int8_t>(l);
    const float w = x[i] * x[i];
    sumlx += w * x[i] * static_cast<float>(l);
    suml2 += w * static_cast<float>(l) * static_cast<float>(l);
  }
  // Move one value at a time to the level that the scale fitted to all the others asks for, keeping
  // the move when it improves the fit (sumlx^2 / suml2 grows).
  for (int sweep = 0; sweep < 5; ++sweep) {
    int changed = 0;
    for (int i = 0; i < n; ++i) {
      const float w = x[i] * x[i];
      const float li = static_cast<float>(L[i]);
      float slx = sumlx - w * x[i] * li;
      if (!(slx > 0)) continue;
      float sl2 = suml2 - w * li * li;
      const int new_l = clamp_level(round_nearest(x[i] * sl2 / slx), -nmax, nmax - 1);
      if (new_l == L[i]) continue;
      slx += w * x[i] * static_cast<float>(new_l);
      sl2 += w * static_cast<float>(new_l) * static_cast<float>(new_l);
      if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
        L[i] = static_cast<std::int8_t>(new_l);
        sumlx = slx;
        suml2 = sl2;
        ++changed;
      }
    }
    if (!changed) break;
  }
  for (int i = 0; i < n; ++i) L[i] = static_cast<std::int8_t>(L[i] + nmax);
  return suml2 != 0 ? sumlx / suml2 : 0.0f;
}

float fit_affine_scale(int n, int nmax, const float* x, const float* w, std::uint8_t* L, float* neg_min,
                       std::uint8_t* aux, float rmin, float rdelta, int nstep, bool use_abs) {
  float min = x[0], max = x[0];
  float sum_w = w[0];
  float sum_x = sum_w * x[0];
  for (int i = 1; i < n; ++i) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
    sum_w += w[i];
    sum_x += w[i] * x[i];
  }
  if (min > 0) min = 0;
  if (max == min) {
    std::fill(L, L + n, std::uint8_t{0});
    *neg_min = -min;
    return 0.f;
  }
  auto error_of = [&](float scale, float offset, const std::uint8_t* levels) {
    float err = 0;
    for (int i = 0; i < n; ++i) {
      float diff = scale * static_cast<float>(levels[i]) + offset - x[i];
      diff = use_abs ? std::fabs(diff) : diff * diff;
      err += w[i] * diff;
    }
    return err;
  };
  float iscale = static_cast<float>(nmax) / (max - min);
  float scale = 1 / iscale;
  for (int i = 0; i < n; ++i)
    L[i] = static_cast<std::uint8_t>(clamp_level(round_nearest(iscale * (x[i] - min)), 0, nmax));
  float best_err = error_of(scale, min, L);
  if (nstep < 1) {
    *neg_min = -min;
    return scale;
  }
  for (int is = 0; is <= nstep; ++is) {
    iscale = (rmin + rdelta * static_cast<float>(is) + static_cast<float>(nmax)) / (max - min);
    float sum_l = 0, sum_l2 = 0, sum_xl = 0;
    for (int i = 0; i < n; ++i) {
      const int l = clamp_level(round_nearest(iscale * (x[i] - min)), 0, nmax);
      aux[i] = static_cast<std::uint8_t>(l);
      const float fl = static_cast<float>(l);
      sum_l += w[i] * fl;
      sum_l2 += w[i] * fl * fl;
      sum_xl += w[i] * fl * x[i];
    }
    // Weighted least squares for x ~ scale * l + offset.
    const float D = sum_w * sum_l2 - sum_l * sum_l;
    if (!(D > 0)) continue;
    float this_scale = (sum_w * sum_xl - sum_x * sum_l) / D;
    float this_min = (sum_l2 * sum_x - sum_l * sum_xl) / D;
    if (this_min > 0) {
      this_min = 0;
      this_scale = sum_xl / sum_l2;
    }
    const float err = error_of(this_scale, this_min, aux);
    if (err < best_err) {
      std::copy(aux, aux + n, L);
      best_err = err;
      scale = this_scale;
      min = this_min;
    }
  }
  *neg_min = -min;
  return scale;
}

namespace {

// For each integer k in [-127, 112]: the i with kIQ4Values[i] <= k < kIQ4Values[i + 1]. Since the levels are
// integers, floor(v) picks the same pair of neighbours that a binary search over the levels finds.
constexpr std::array<std::uint8_t, 240> kIQ4Interval = [] {
  std::array<std::uint8_t, 240> out{};
  int i = 0;
  for (int k = -127; k <= 112; ++k) {
    while (kIQ4Values[static_cast<std::size_t>(i + 1)] <= k) ++i;
    out[static_cast<std::size_t>(k + 127)] = static_cast<std::uint8_t>(i);
  }
  return out;
}();

}  // namespace

int nearest_iq4_index(float v) {
  const auto& q = kIQ4Values;
  if (v <= q[0]) return 0;
  if (!(v < q[15])) return 15;  // also NaN, as ggml's search ends there
  const int lo = kIQ4Interval[static_cast<std::size_t>(static_cast<int>(std::floor(v)) + 127)];
  // the lower level wins only when strictly closer, in float arithmetic as ggml compares
  return v - q[lo] < q[lo + 1] - v ? lo : lo + 1;
}

float fit_iq4_scale(int n, const float* x, int ntry) {
  float max, amax;
  signed_absmax(n, x, max, amax);
  if (amax < kGroupMaxEps) return 0.f;
  const float q0 = kIQ4Values[0];
  // Weighted sums sum w*q*x and sum w*q^2 for the levels that inverse scale id picks.
  auto sums_for = [&](float id, float& sumqx, float& sumq2) {
    sumqx = 0;
    sumq2 = 0;
    for (int j = 0; j < n; ++j) {
      const float q = kIQ4Values[nearest_iq4_index(id * x[j])];
      const float w = x[j] * x[j];
      sumqx += w * q * x[j];
      sumq2 += w * q * q;
    }
  };
  float d = ntry > 0 ? -max / q0 : max / q0;
  float sumqx, sumq2;
  sums_for(1 / d, sumqx, sumq2);
  d = sumq2 > 0 ? sumqx / sumq2 : 0.f;
  float best = d * sumqx;
  for (int itry = -ntry; itry <= ntry; ++itry) {
    const float id = static_cast<float>(itry + kIQ4Values[0]) / max;
    sums_for(id, sumqx, sumq2);
    if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
      d = sumqx / sumq2;
      best = d * sumqx;
    }
  }
  return d;
}

}  // namespace corral::quant::detail
