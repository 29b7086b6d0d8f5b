// Small AVX-512 helpers shared by the AVX-512 kernel files. Include only from
// translation units compiled with the AVX-512 flags (see CMakeLists.txt).
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

namespace corral::kernels::avx512 {
// Internal linkage: every including file is compiled with its own ISA flags,
// so no copy of these helpers may be shared between them.
namespace {

inline float hsum(__m512 v) { return _mm512_reduce_add_ps(v); }

// A prefetch hint for the cache line `ahead` bytes after p (the address may lie past the end of the
// data: a prefetch never faults, and the address is formed as an integer, not as a pointer).
inline void prefetch_ahead(const void* p, std::size_t ahead) {
  _mm_prefetch(reinterpret_cast<const char*>(reinterpret_cast<std::uintptr_t>(p) + ahead), _MM_HINT_T0);
}

inline float fp16_scalar(const std::uint8_t* p) {
  std::uint16_t h;
  std::memcpy(&h, p, 2);
  return _cvtsh_ss(h);
}

// [a x8, b x8] as floats.
inline __m512 pair_scale(float a, float b) {
  return _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_set1_ps(a)), _mm256_set1_ps(b), 1);
}

// Two unaligned 32-byte loads into one register: [lo, hi].
inline __m512i load_2x32(const std::uint8_t* lo, const std::uint8_t* hi) {
  return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(lo))),
                            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(hi)), 1);
}

}  // namespace
}  // namespace corral::kernels::avx512
