// Block layouts of the quantized tensor formats, byte for byte as GGUF (ggml)
// stores them, plus the value table of the non-linear IQ4 formats.
// Half-precision fields are raw IEEE binary16 bits (util/fp16.h converts).
// Data are little-endian; rows are arrays of blocks without padding.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

namespace corral::quant {

inline constexpr int kQK = 32;    // values per block of the legacy formats and IQ4_NL
inline constexpr int kQK_K = 256;  // values per super-block of the K-quants, Q8_K and IQ4_XS
inline constexpr int kKScaleBytes = 12;  // packed 6-bit scales and mins of Q4_K / Q5_K

// x = d * (q - 8), q in 0..15; value j in the low nibble of qs[j], value j+16 in the high one.
struct BlockQ4_0 {
  std::uint16_t d;
  std::uint8_t qs[kQK / 2];
};

// x = d * q + m, q in 0..15; nibbles as Q4_0.
struct BlockQ4_1 {
  std::uint16_t d;
  std::uint16_t m;
  std::uint8_t qs[kQK / 2];
};

// x = d * (q - 16), q in 0..31: low 4 bits as Q4_0, bit 4 of value j is bit j of qh (little-endian u32).
struct BlockQ5_0 {
  std::uint16_t d;
  std::uint8_t qh[4];
  std::uint8_t qs[kQK / 2];
};

// x = d * q + m, q in 0..31; bits as Q5_0.
struct BlockQ5_1 {
  std::uint16_t d;
  std::uint16_t m;
  std::uint8_t qh[4];
  std::uint8_t qs[kQK / 2];
};

// x = d * q, q in -127..127 (weights and activations).
struct BlockQ8_0 {
  std::uint16_t d;
  std::int8_t qs[kQK];
};

// Activations paired with Q4_1/Q5_1: x = d * q, and s = d * sum(q) (rounded to F16).
struct BlockQ8_1 {
  std::uint16_t d;
  std::uint16_t s;
  std::int8_t qs[kQK];
};

// 16 groups of 16: x = d * sc * q - dmin * m, q in 0..3; scales[g] = sc | m << 4.
// qs: four 2-bit planes per 128 values (byte l of the half holds values l, l+32, l+64, l+96).
struct BlockQ2_K {
  std::uint8_t scales[kQK_K / 16];
  std::uint8_t qs[kQK_K / 4];
  std::uint16_t d;
  std::uint16_t dmin;
};

// 16 groups of 16: x = d * (sc - 32) * (q - 4), q in 0..7: low 2 bits planar as Q2_K,
// bit 2 in hmask (value j: bit j/32 of hmask[j%32]); 6-bit scales packed in 12 bytes.
struct BlockQ3_K {
  std::uint8_t hmask[kQK_K / 8];
  std::uint8_t qs[kQK_K / 4];
  std::uint8_t scales[12];
  std::uint16_t d;
};

// 8 groups of 32: x = d * sc * q - dmin * m, q in 0..15; 6-bit sc/m packed in `scales`;
// qs: per 64 values, low nibbles hold the first 32, high nibbles the next 32.
struct BlockQ4_K {
  std::uint16_t d;
  std::uint16_t dmin;
  std::uint8_t scales[kKScaleBytes];
  std::uint8_t qs[kQK_K / 2];
};

// As Q4_K with a fifth bit: bit 4 of value 64*p + j (j < 32) is bit 2p of qh[j], of 64*p + 32 + j bit 2p+1.
struct BlockQ5_K {
  std::uint16_t d;
  std::uint16_t dmin;
  std::uint8_t scales[kKScaleBytes];
  std::uint8_t qh[kQK_K / 8];
  std::uint8_t qs[kQK_K / 2];
};

// 16 groups of 16: x = d * scales[g] * (q - 32), q in 0..63: low 4 bits in ql, high 2 bits in qh.
struct BlockQ6_K {
  std::uint8_t ql[kQK_K / 2];
  std::uint8_t qh[kQK_K / 4];
  std::int8_t scales[kQK_K / 16];
  std::uint16_t d;
};

// Activations paired with the K-quants and IQ4_XS: x = d * q; bsums[g] = sum of the 16 q of group g.
struct BlockQ8_K {
  float d;
  std::int8_t qs[kQK_K];
  std::int16_t bsums[kQK_K / 16];
};

// x = d * kIQ4Values[q], q in 0..15; nibbles as Q4_0.
struct BlockIQ4_NL {
  std::uint16_t d;
  std::uint8_t qs[kQK / 2];
};

// 8 groups of 32: x = d * (ls - 32) * kIQ4Values[q]; ls is 6 bits: low 4 in scales_l (group g: nibble g%2
// of byte g/2), high 2 in scales_h (bits 2g, 2g+1); nibbles per group of 32 as Q4_0.
struct BlockIQ4_XS {
  std::uint16_t d;
  std::uint16_t scales_h;
  std::uint8_t scales_l[kQK_K / 64];
  std::uint8_t qs[kQK_K / 2];
};

static_assert(sizeof(BlockQ4_0) == 18);
static_assert(sizeof(BlockQ4_1) == 20);
static_assert(sizeof(BlockQ5_0) == 22);
static_assert(sizeof(BlockQ5_1) == 24);
static_assert(sizeof(BlockQ8_0) == 34);
static_assert(sizeof(BlockQ8_1) == 36);
static_assert(sizeof(BlockQ2_K) == 84);
static_assert(sizeof(BlockQ3_K) == 110);
static_assert(sizeof(BlockQ4_K) == 144);
static_assert(sizeof(BlockQ5_K) == 176);
static_assert(sizeof(BlockQ6_K) == 210);
static_assert(sizeof(BlockQ8_K) == 292);
static_assert(sizeof(BlockIQ4_NL) == 18);
static_assert(sizeof(BlockIQ4_XS) == 136);

// The 16 levels of IQ4_NL / IQ4_XS (ggml's kvalues_iq4nl), ascending.
inline constexpr std::array<std::int8_t, 16> kIQ4Values = {-127, -104, -83, -65, -49, -35, -22, -10,
                                                           1,    13,   25,  38,  53,  69,  89,  113};

// Reads block i of a row of blocks that may not be aligned for B.
template <typename B>
inline B load_block(const void* row, std::int64_t i) {
  B b;
  std::memcpy(&b, static_cast<const std::uint8_t*>(row) + i * static_cast<std::int64_t>(sizeof(B)), sizeof(B));
  return b;
}

// Writes block i of a row of blocks that may not be aligned for B.
template <typename B>
inline void store_block(void* row, std::int64_t i, const B& b) {
  std::memcpy(static_cast<std::uint8_t*>(row) + i * static_cast<std::int64_t>(sizeof(B)), &b, sizeof(B));
}

// The 6-bit scale and min of group j (0..7) of a Q4_K / Q5_K block: groups 0-3 keep theirs in the low
// 6 bits of bytes j and j+4; groups 4-7 put their low 4 bits in byte j+4 and their top 2 bits in the
// top bits of bytes j-4 (scale) and j (min).
inline void unpack_scale_min_k4(const std::uint8_t* scales, int j, int& scale, int& min) {
  if (j < 4) {
    scale = scales[j] & 63;
    min = scales[j + 4] & 63;
  } else {
    scale = (scales[j + 4] & 0x0f) | ((scales[j - 4] >> 6) << 4);
    min = (scales[j + 4] >> 4) | ((scales[j] >> 6) << 4);
  }
}

// The signed 6-bit scale (-32..31) of group j (0..15) of a Q3_K block: low 4 bits in nibble j/8 of
// byte j%8, high 2 bits in bits 2*(j/4) of byte 8 + j%4.
inline int unpack_scale_q3k(const std::uint8_t* scales, int j) {
  const int low = (scales[j % 8] >> (4 * (j / 8))) & 0x0f;
  const int high = (scales[8 + j % 4] >> (2 * (j / 4))) & 3;
  return (low | (high << 4)) - 32;
}

}  // namespace corral::quant
