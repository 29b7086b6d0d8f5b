// The layout behind the prompt-processing matrix multiply: activations of 16
// tokens are interleaved so that one 64-byte vector holds 4 consecutive
// values of each token (the operand order of vpdpbusd), and a few weight rows
// at a time are expanded to signed 8-bit levels with one float scale (and,
// for the affine formats, one min coefficient) per sub-block of 16 or 32
// values. The kernel then needs one broadcast and one vpdpbusd per 4 weight
// values of a row for 16 tokens, whatever the weight format was.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/act_rows.h"
#include "kernels/matrix.h"

namespace corral::kernels {

inline constexpr int kPackTokens = 16;

struct PackedActs {
  int bs = 32;               // sub-block size (16 or 32)
  std::int64_t nb = 0;       // sub-blocks per row
  std::int64_t n_groups = 0; // groups of 16 tokens
  std::int64_t m = 0;        // tokens
  bool has_min = false;
  // [group][block][bs/4][16 tokens][4]: the activation levels plus 128 (unsigned).
  std::vector<std::uint8_t> q;
  // [group][block][16]: the activation scale that applies to the block.
  std::vector<float> dx;
  // [group][block][16]: what a weight min multiplies (Q8_1: s; Q8_K: d * sum of the block's levels).
  std::vector<float> mx;

  const std::uint8_t* q_at(std::int64_t g, std::int64_t b) const {
    return q.data() + static_cast<std::size_t>((g * nb + b) * (bs / 4) * 64);
  }
  const float* dx_at(std::int64_t g, std::int64_t b) const { return dx.data() + (g * nb + b) * kPackTokens; }
  const float* mx_at(std::int64_t g, std::int64_t b) const { return mx.data() + (g * nb + b) * kPackTokens; }
};

struct WeightTile {
  int bs = 32;
  std::int64_t nb = 0, k = 0, rows = 0;
  bool has_min = false;
  std::vector<std::int8_t> q;      // [rows][k] levels
  std::vector<float> d;            // [rows][nb] scale of each sub-block
  std::vector<std::int32_t> corr;  // [rows][nb] -128 * sum of the sub-block's levels
  std::vector<float> m;            // [rows][nb] min coefficient (affine formats)
};

// The sub-block size of a weight type in this layout (0: not supported).
int packed_block_size(TensorType t);
// Whether weight type t has a min term.
bool packed_has_min(TensorType t);

// Packs activations (already in act_format_for(t)) for weight type t.
void pack_activations(TensorType t, const ActRows& a, PackedActs& out);
// Expands rows [r0, r0 + n) of w.
void unpack_weight_rows(const Matrix& w, std::int64_t r0, std::int64_t n, WeightTile& out);

}  // namespace corral::kernels
