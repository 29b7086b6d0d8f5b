// Conversions between float and the 16-bit float formats GGUF stores:
// IEEE half (F16) and bfloat16 (BF16). Round to nearest even, as ggml does.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace corral {

// IEEE 754 binary16 -> binary32, exact (handles subnormals, inf, nan).
inline float fp16_to_fp32(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exp = (h >> 10) & 0x1fu;
  const std::uint32_t mant = h & 0x3ffu;
  std::uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: value = mant * 2^-24
      float f = static_cast<float>(mant) * 5.9604644775390625e-08f;
      bits = std::bit_cast<std::uint32_t>(f) | sign;
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 112u) << 23) | (mant << 13);
  }
  return std::bit_cast<float>(bits);
}

// binary32 -> binary16 with round-to-nearest-even; overflow gives inf, NaN stays NaN.
inline std::uint16_t fp32_to_fp16(float f) {
  const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
  const std::uint32_t sign = (x >> 16) & 0x8000u;
  const std::uint32_t absx = x & 0x7fffffffu;
  if (absx > 0x7f800000u) return static_cast<std::uint16_t>(sign | 0x7e00u);  // NaN
  if (absx >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);  // >= 65520 rounds to inf
  if (absx < 0x38800000u) {  // below the smallest normal half (2^-14): subnormal or zero
    // value in units of 2^-24, rounded to nearest even
    const float a = std::bit_cast<float>(absx);
    const float scaled = a * 16777216.0f;  // 2^24, exact
    std::uint32_t m = static_cast<std::uint32_t>(scaled);
    const float rem = scaled - static_cast<float>(m);
    if (rem > 0.5f || (rem == 0.5f && (m & 1u))) ++m;
    return static_cast<std::uint16_t>(sign | m);
  }
  // normal: rebias exponent and round mantissa from 23 to 10 bits
  std::uint32_t mant = absx & 0x7fffffu;
  std::uint32_t exp = (absx >> 23) - 112u;
  std::uint32_t h = (exp << 10) | (mant >> 13);
  const std::uint32_t rest = mant & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;  // may carry into exponent: still correct
  return static_cast<std::uint16_t>(sign | h);
}

inline float bf16_to_fp32(std::uint16_t b) { return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16); }

// binary32 -> bfloat16, round to nearest even on the upper 16 bits; NaN stays quiet NaN.
inline std::uint16_t fp32_to_bf16(float f) {
  std::uint32_t x = std::bit_cast<std::uint32_t>(f);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((x >> 16) | 64u);
  x += 0x7fffu + ((x >> 16) & 1u);
  return static_cast<std::uint16_t>(x >> 16);
}

// Round-trips a float through F16 (used where the reference rounds activations).
inline float round_fp16(float f) { return fp16_to_fp32(fp32_to_fp16(f)); }

}  // namespace corral
