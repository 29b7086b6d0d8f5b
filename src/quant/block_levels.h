// Internal to quant/: unpacks the integer levels of a block, value by value
// in row order, for dequantize_row and vec_dot_ref (which then apply the
// scales in float or in integer arithmetic).
#pragma once

#include <cstdint>

#include "quant/blocks.h"

namespace corral::quant::detail {

// 32 nibbles packed as value j (low) with value j+16 (high): Q4_0, Q4_1, IQ4_NL, each group of IQ4_XS.
inline void unpack_nibbles32(const std::uint8_t* qs, int* L) {
  for (int j = 0; j < 16; ++j) {
    L[j] = qs[j] & 0x0f;
    L[j + 16] = qs[j] >> 4;
  }
}

// 32 five-bit levels: nibbles as above plus bit j of the little-endian u32 qh (Q5_0, Q5_1).
inline void unpack_5bit32(const std::uint8_t* qs, const std::uint8_t* qh, int* L) {
  unpack_nibbles32(qs, L);
  for (int j = 0; j < 32; ++j) L[j] |= ((qh[j / 8] >> (j % 8)) & 1) << 4;
}

// 256 two-bit levels stored planar: value v sits in byte 32*(v/128) + v%32 at bit 2*((v%128)/32).
inline void unpack_2bit256(const std::uint8_t* qs, int* L) {
  for (int v = 0; v < kQK_K; ++v) L[v] = (qs[32 * (v / 128) + v % 32] >> (2 * ((v % 128) / 32))) & 3;
}

// Q2_K levels 0..3.
inline void unpack_levels(const BlockQ2_K& b, int* L) { unpack_2bit256(b.qs, L); }

// Q3_K levels -4..3: the planar low two bits, minus 4 where the hmask bit is clear.
inline void unpack_levels(const BlockQ3_K& b, int* L) {
  unpack_2bit256(b.qs, L);
  for (int v = 0; v < kQK_K; ++v) L[v] -= ((b.hmask[v % 32] >> (v / 32)) & 1) ? 0 : 4;
}

// Q4_K levels 0..15: per 64 values, the first 32 in the low nibbles of 32 bytes, the next 32 in the high.
inline void unpack_levels(const BlockQ4_K& b, int* L) {
  for (int v = 0; v < kQK_K; ++v) L[v] = (b.qs[32 * (v / 64) + v % 32] >> (4 * ((v % 64) / 32))) & 0x0f;
}

// Q5_K levels 0..31: Q4_K's nibbles plus bit v/32 of qh[v%32].
inline void unpack_levels(const BlockQ5_K& b, int* L) {
  for (int v = 0; v < kQK_K; ++v) {
    const int low = (b.qs[32 * (v / 64) + v % 32] >> (4 * ((v % 64) / 32))) & 0x0f;
    L[v] = low | (((b.qh[v % 32] >> (v / 32)) & 1) << 4);
  }
}

// Q6_K levels -32..31: per 128 values, quarter k (32 values) takes its low nibble from ql[64h + l + 32*(k%2)]
// (low half for k < 2, high half otherwise) and its top two bits from bits 2k of qh[32h + l].
inline void unpack_levels(const BlockQ6_K& b, int* L) {
  for (int v = 0; v < kQK_K; ++v) {
    const int h = v / 128, k = (v % 128) / 32, l = v % 32;
    const int low = (b.ql[64 * h + l + 32 * (k % 2)] >> (4 * (k / 2))) & 0x0f;
    const int high = (b.qh[32 * h + l] >> (2 * k)) & 3;
    L[v] = (low | (high << 4)) - 32;
  }
}

// The 6-bit scale (0..63) of group g of an IQ4_XS block, before subtracting 32.
inline int iq4_xs_group_scale(const BlockIQ4_XS& b, int g) {
  return ((b.scales_l[g / 2] >> (4 * (g % 2))) & 0x0f) | (((b.scales_h >> (2 * g)) & 3) << 4);
}

}  // namespace corral::quant::detail
