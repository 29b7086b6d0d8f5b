// Internal to quant/: the searches for block scales (and mins) that the
// K-quant and IQ4 quantizers share, numerically as ggml's reference
// quantizers without an importance matrix (make_qx_quants, make_q3_quants,
// make_qkx2_quants and the IQ4 scale search), plus exact rounding helpers.
#pragma once

#include <cstdint>
#include <cstring>

namespace corral::quant::detail {

// Round to nearest, ties to even, for |v| < 2^22 (what the K-quants need), by the float-add trick ggml
// uses; larger or non-finite v give some int without undefined behaviour.
inline int round_nearest(float v) {
  const float shifted = v + 12582912.0f;  // 1.5 * 2^23: the integer lands in the low mantissa bits
  std::int32_t bits;
  std::memcpy(&bits, &shifted, sizeof bits);
  return (bits & 0x007fffff) - 0x00400000;
}

// C's (int)v for v within int range, else INT32_MIN (what x86 gives), never undefined.
inline std::int32_t truncate_to_int(float v) {
  if (v > -2147483648.0f && v < 2147483648.0f) return static_cast<std::int32_t>(v);
  return INT32_MIN;
}

// Wraps an int to int8 the way a two's complement store does.
inline std::int8_t wrap_int8(std::int32_t v) { return static_cast<std::int8_t>(static_cast<std::uint8_t>(v & 0xff)); }

// Symmetric scale for n values with levels -nmax..nmax-1, weighting each value by x^2: L[i] receives
// level + nmax. Tries 19 candidate scales around -nmax/max and keeps the best weighted fit (Q6_K).
float fit_symmetric_scale(int n, int nmax, const float* x, std::int8_t* L);

// As fit_symmetric_scale but refines levels one at a time (up to 5 sweeps) instead of trying
// candidate scales (Q3_K). L[i] receives level + nmax.
float fit_symmetric_scale_refined(int n, int nmax, const float* x, std::int8_t* L);

// Scale and min for levels 0..nmax, x ~ scale*L - min with min >= 0 returned in *neg_min, minimising
// sum w*|err| (use_abs) or sum w*err^2 over nstep+1 candidate scales (rmin + rdelta*is + nmax)/(max - min)
// solved by weighted least squares (Q2_K, Q4_K, Q5_K). aux must hold n bytes.
float fit_affine_scale(int n, int nmax, const float* x, const float* w, std::uint8_t* L, float* neg_min,
                       std::uint8_t* aux, float rmin, float rdelta, int nstep, bool use_abs);

// Index of the IQ4 level nearest to v (levels ascending; ties go up unless strictly closer below).
int nearest_iq4_index(float v);

// Best scale d for one block of n values with the IQ4 levels, weights x^2, trying the scales from
// (k - 127)/max for k in -ntry..ntry around max/127 (IQ4_NL and IQ4_XS). 0 for an all-(near-)zero block.
float fit_iq4_scale(int n, const float* x, int ntry);

}  // namespace corral::quant::detail
