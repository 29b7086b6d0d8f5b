// Small AVX2 (+FMA +F16C) helpers and the sub-tile splitter shared by the
// AVX2 kernel files. Include only from translation units compiled with
// -mavx2 -mfma -mf16c. Everything here sits in an anonymous namespace, so
// each AVX2 file gets its own private copy and no ISA-specific code is ever
// shared with (or picked by the linker for) a file built for another ISA.
// The kernels also avoid Matrix::row / ActRows::row (shared inline
// functions) and compute row pointers themselves.
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernels/act_rows.h"
#include "kernels/matrix.h"

namespace corral::kernels::avx2 {
namespace {

inline const std::uint8_t* weight_row(const Matrix& w, std::int64_t r) {
  return w.data + static_cast<std::size_t>(r) * w.row_bytes;
}
inline const std::uint8_t* act_row(const ActRows& a, std::int64_t t) {
  return a.data + static_cast<std::size_t>(t) * a.row_bytes;
}

// A prefetch hint for the cache line `ahead` bytes after p (the address may lie past the end of the
// data: a prefetch never faults, and the address is formed as an integer, not as a pointer).
inline void prefetch_ahead(const void* p, std::size_t ahead) {
  _mm_prefetch(reinterpret_cast<const char*>(reinterpret_cast<std::uintptr_t>(p) + ahead), _MM_HINT_T0);
}

inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

inline float fp16_at(const std::uint8_t* p) {
  std::uint16_t h;
  std::memcpy(&h, p, 2);
  return _cvtsh_ss(h);
}

// The F16 values at p0 and p1 as floats [v0, v1, 0, 0].
inline __m128 f16_two(const std::uint8_t* p0, const std::uint8_t* p1) {
  std::uint16_t a, b;
  std::memcpy(&a, p0, 2);
  std::memcpy(&b, p1, 2);
  return _mm_cvtph_ps(_mm_cvtsi32_si128(static_cast<int>(a | static_cast<std::uint32_t>(b) << 16)));
}

// The two consecutive F16 values at p0 and the two at p1 as floats [p0[0], p0[1], p1[0], p1[1]].
inline __m128 f16_pairs(const std::uint8_t* p0, const std::uint8_t* p1) {
  std::uint32_t a, b;
  std::memcpy(&a, p0, 4);
  std::memcpy(&b, p1, 4);
  return _mm_cvtph_ps(_mm_setr_epi32(static_cast<int>(a), static_cast<int>(b), 0, 0));
}

inline __m256i load256(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
inline __m128i load128(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }

// 16 bytes of packed nibbles as 32 bytes 0..15: [low nibbles of bytes 0-15, high nibbles of bytes 0-15]
// (value j in the low nibble of byte j, value j+16 in the high one: Q4_0, Q4_1, Q5_*, IQ4_*).
inline __m256i nibbles_32(const std::uint8_t* q) {
  const __m128i v = load128(q);
  const __m256i both = _mm256_inserti128_si256(_mm256_castsi128_si256(v), _mm_srli_epi16(v, 4), 1);
  return _mm256_and_si256(both, _mm256_set1_epi8(0x0f));
}

// Byte j = 0x10 where bit j of the little-endian 32-bit word at p is set, else 0 (Q5_0 / Q5_1 bit 4).
inline __m256i bit4_from_bits32(const std::uint8_t* p) {
  std::uint32_t bits;
  std::memcpy(&bits, p, 4);
  const __m256i spread = _mm256_shuffle_epi8(
      _mm256_set1_epi32(static_cast<int>(bits)),
      _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
  const __m256i bit = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ull));
  const __m256i set = _mm256_cmpeq_epi8(_mm256_and_si256(spread, bit), bit);
  return _mm256_and_si256(set, _mm256_set1_epi8(0x10));
}

// Sum of adjacent int16 pairs as int32 lanes.
inline __m256i pair_sums(__m256i v) { return _mm256_madd_epi16(v, _mm256_set1_epi16(1)); }

// A 256-bit vector holding v in lane 0 and zeros elsewhere.
inline __m256i lane0_epi32(std::int32_t v) { return _mm256_zextsi128_si256(_mm_cvtsi32_si128(v)); }
inline __m256 lane0_ps(float v) { return _mm256_zextps128_ps256(_mm_set_ss(v)); }

// Runs K::template sub<r, c>(w, a, r0, t0, y, ldy) over an R x C register tile split into
// sub-tiles of at most RS rows x CS tokens (AVX2 has 16 vector registers, AVX-512 32).
template <typename K, int CS, int R, int C>
inline void split_cols(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y,
                       std::int64_t ldy) {
  K::template sub<R, (C < CS ? C : CS)>(w, a, r, t, y, ldy);
  if constexpr (C > CS) split_cols<K, CS, R, C - CS>(w, a, r, t + CS, y, ldy);
}

template <typename K, int RS, int CS, int R, int C>
inline void split_tile(const Matrix& w, const ActRows& a, std::int64_t r, std::int64_t t, float* y,
                       std::int64_t ldy) {
  split_cols<K, CS, (R < RS ? R : RS), C>(w, a, r, t, y, ldy);
  if constexpr (R > RS) split_tile<K, RS, CS, R - RS, C>(w, a, r + RS, t, y, ldy);
}

}  // namespace
}  // namespace corral::kernels::avx2
