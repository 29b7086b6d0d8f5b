// Packing activations and expanding weight rows for the packed matmul
// (packed_gemm.h). Portable code: it runs once per matmul (activations) or
// once per few weight rows for all tokens (weights).
#include <cstring>

#include "kernels/packed_gemm.h"
#include "quant/block_levels.h"
#include "quant/blocks.h"
#include "util/error.h"
#include "util/fp16.h"

namespace corral::kernels {

int packed_block_size(TensorType t) {
  switch (t) {
    case TensorType::Q4_0:
    case TensorType::Q4_1:
    case TensorType::Q5_0:
    case TensorType::Q5_1:
    case TensorType::Q8_0:
    case TensorType::IQ4_NL:
    case TensorType::Q4_K:
    case TensorType::Q5_K:
    case TensorType::IQ4_XS: return 32;
    case TensorType::Q2_K:
    case TensorType::Q3_K:
    case TensorType::Q6_K: return 16;
    default: return 0;
  }
}

bool packed_has_min(TensorType t) {
  return t == TensorType::Q4_1 || t == TensorType::Q5_1 || t == TensorType::Q2_K || t == TensorType::Q4_K ||
         t == TensorType::Q5_K;
}

void pack_activations(TensorType t, const ActRows& a, PackedActs& out) {
  const int bs = packed_block_size(t);
  if (bs == 0) fail("packed matmul: unsupported type {}", type_name(t));
  out.bs = bs;
  out.m = a.m;
  out.nb = a.n / bs;
  out.n_groups = (a.m + kPackTokens - 1) / kPackTokens;
  out.has_min = packed_has_min(t);
  const std::size_t blocks = static_cast<std::size_t>(out.n_groups * out.nb);
  out.q.assign(blocks * static_cast<std::size_t>(bs) * kPackTokens, 128);
  out.dx.assign(blocks * kPackTokens, 0.0f);
  out.mx.assign(out.has_min ? blocks * kPackTokens : 0, 0.0f);
  for (std::int64_t tok = 0; tok < a.m; ++tok) {
    const std::int64_t g = tok / kPackTokens, lane = tok % kPackTokens;
    const std::uint8_t* row = a.row(tok);
    for (std::int64_t b = 0; b < out.nb; ++b) {
      const std::int8_t* qs = nullptr;
      float d = 0, mx = 0;
      switch (a.format) {
        case ActFormat::q8_0: {
          const auto* blk = reinterpret_cast<const quant::BlockQ8_0*>(row) + b;
          qs = blk->qs;
          d = fp16_to_fp32(blk->d);
          break;
        }
        case ActFormat::q8_1: {
          const auto* blk = reinterpret_cast<const quant::BlockQ8_1*>(row) + b;
          qs = blk->qs;
          d = fp16_to_fp32(blk->d);
          mx = fp16_to_fp32(blk->s);
          break;
        }
        case ActFormat::q8_k: {
          const std::int64_t per = 256 / bs;
          const auto* blk = reinterpret_cast<const quant::BlockQ8_K*>(row) + b / per;
          const std::int64_t sub = b % per;
          qs = blk->qs + sub * bs;
          d = blk->d;
          int sum = 0;
          for (int i = 0; i < bs / 16; ++i) sum += blk->bsums[sub * (bs / 16) + i];
          mx = d * static_cast<float>(sum);
          break;
        }
        default: fail("packed matmul: activations must be Q8_0, Q8_1 or Q8_K");
      }
      std::uint8_t* dst = out.q.data() + static_cast<std::size_t>((g * out.nb + b) * (bs / 4) * 64);
      for (int k4 = 0; k4 < bs / 4; ++k4)
        for (int j = 0; j < 4; ++j)
          dst[k4 * 64 + lane * 4 + j] = static_cast<std::uint8_t>(qs[k4 * 4 + j] + 128);
      out.dx[static_cast<std::size_t>((g * out.nb + b) * kPackTokens + lane)] = d;
      if (out.has_min) out.mx[static_cast<std::size_t>((g * out.nb + b) * kPackTokens + lane)] = mx;
    }
  }
}

namespace {

using quant::load_block;

// Per weight format: levels of one row into q (k values), and per sub-block scale / min.
void expand_row(TensorType t, const std::uint8_t* row, std::int64_t k, std::int8_t* q, float* d, float* m) {
  int L[256];
  switch (t) {
    case TensorType::Q8_0:
      for (std::int64_t b = 0; b < k / 32; ++b) {
        const auto x = load_block<quant::BlockQ8_0>(row, b);
        std::memcpy(q + b * 32, x.qs, 32);
        d[b] = fp16_to_fp32(x.d);
      }
      break;
    case TensorType::Q4_0:
      for (std::int64_t b = 0; b < k / 32; ++b) {
        const auto x = load_block<quant::BlockQ4_0>(row, b);
        std::int8_t* o = q + b * 32;
        for (int j = 0; j < 16; ++j) {
          o[j] = static_cast<std::int8_t>((x.qs[j] & 0x0f) - 8);
          o[j + 16] = static_cast<std::int8_t>((x.qs[j] >> 4) - 8);
        }
        d[b] = fp16_to_fp32(x.d);
      }
      break;
    case TensorType::IQ4_NL:
      for (std::int64_t b = 0; b < k / 32; ++b) {
        const auto x = load_block<quant::BlockIQ4_NL>(row, b);
        std::int8_t* o = q + b * 32;
        for (int j = 0; j < 16; ++j) {
          o[j] = quant::kIQ4Values[x.qs[j] & 0x0f];
          o[j + 16] = quant::kIQ4Values[x.qs[j] >> 4];
        }
        d[b] = fp16_to_fp32(x.d);
      }
      break;
    case TensorType::Q5_0:
      for (std::int64_t b = 0; b < k / 32; ++b) {
        const auto x = load_block<quant::BlockQ5_0>(row, b);
        quant::detail::unpack_5bit32(x.qs, x.qh, L);
        for (int j = 0; j < 32; ++j) q[b * 32 + j] = static_cast<std::int8_t>(L[j] - 16);
        d[b] = fp16_to_fp32(x.d);
      }
      break;
    case TensorType::Q4_1:
      for (std::int64_t b = 0; b < k / 32; ++b) {
        const auto x = load_block<quant::BlockQ4_1>(row, b);
        quant::detail::unpack_nibbles32(x.qs, L);
        for (int j = 0; j < 32; ++j) q[b * 32 + j] = static_cast<std::int8_t>(L[j]);
        d[b] = fp16_to_fp32(x.d);
        m[b] = fp16_to_fp32(x.m);
      }
      break;
    case TensorType::Q5_1:
      for (std::int64_t b = 0; b < k / 32; ++b) {
        const auto x = load_block<quant::BlockQ5_1>(row, b);
        quant::detail::unpack_5bit32(x.qs, x.qh, L);
        for (int j = 0; j < 32; ++j) q[b * 32 + j] = static_cast<std::int8_t>(L[j]);
        d[b] = fp16_to_fp32(x.d);
        m[b] = fp16_to_fp32(x.m);
      }
      break;
    case TensorType::Q2_K:
      for (std::int64_t s = 0; s < k / 256; ++s) {
        const auto x = load_block<quant::BlockQ2_K>(row, s);
        quant::detail::unpack_levels(x, L);
        const float dd = fp16_to_fp32(x.d), dm = fp16_to_fp32(x.dmin);
        for (int j = 0; j < 256; ++j) q[s * 256 + j] = static_cast<std::int8_t>(L[j]);
        for (int g = 0; g < 16; ++g) {
          d[s * 16 + g] = dd * static_cast<float>(x.scales[g] & 0x0f);
          m[s * 16 + g] = -dm * static_cast<float>(x.scales[g] >> 4);
        }
      }
      break;
    case TensorType::Q3_K:
      for (std::int64_t s = 0; s < k / 256; ++s) {
        const auto x = load_block<quant::BlockQ3_K>(row, s);
        quant::detail::unpack_levels(x, L);
        const float dd = fp16_to_fp32(x.d);
        for (int j = 0; j < 256; ++j) q[s * 256 + j] = static_cast<std::int8_t>(L[j]);
        for (int g = 0; g < 16; ++g) d[s * 16 + g] = dd * static_cast<float>(quant::unpack_scale_q3k(x.scales, g));
      }
      break;
    case TensorType::Q4_K:
      for (std::int64_t s = 0; s < k / 256; ++s) {
        const auto* x = reinterpret_cast<const quant::BlockQ4_K*>(row + s * sizeof(quant::BlockQ4_K));
        std::uint8_t qs[128];
        std::memcpy(qs, x->qs, 128);
        std::int8_t* o = q + s * 256;
        for (int j = 0; j < 4; ++j)
          for (int l = 0; l < 32; ++l) {
            o[64 * j + l] = static_cast<std::int8_t>(qs[32 * j + l] & 0x0f);
            o[64 * j + 32 + l] = static_cast<std::int8_t>(qs[32 * j + l] >> 4);
          }
        std::uint16_t dh, mh;
        std::memcpy(&dh, &x->d, 2);
        std::memcpy(&mh, &x->dmin, 2);
        const float dd = fp16_to_fp32(dh), dm = fp16_to_fp32(mh);
        for (int g = 0; g < 8; ++g) {
          int sc, mn;
          quant::unpack_scale_min_k4(x->scales, g, sc, mn);
          d[s * 8 + g] = dd * static_cast<float>(sc);
          m[s * 8 + g] = -dm * static_cast<float>(mn);
        }
      }
      break;
    case TensorType::Q5_K:
      for (std::int64_t s = 0; s < k / 256; ++s) {
        std::uint16_t dh, mh;
        const std::uint8_t* scales;
        if (t == TensorType::Q4_K) {
          const auto x = load_block<quant::BlockQ4_K>(row, s);
          quant::detail::unpack_levels(x, L);
          dh = x.d;
          mh = x.dmin;
          scales = row + s * sizeof(quant::BlockQ4_K) + offsetof(quant::BlockQ4_K, scales);
        } else {
          const auto x = load_block<quant::BlockQ5_K>(row, s);
          quant::detail::unpack_levels(x, L);
          dh = x.d;
          mh = x.dmin;
          scales = row + s * sizeof(quant::BlockQ5_K) + offsetof(quant::BlockQ5_K, scales);
        }
        const float dd = fp16_to_fp32(dh), dm = fp16_to_fp32(mh);
        for (int j = 0; j < 256; ++j) q[s * 256 + j] = static_cast<std::int8_t>(L[j]);
        for (int g = 0; g < 8; ++g) {
          int sc, mn;
          quant::unpack_scale_min_k4(scales, g, sc, mn);
          d[s * 8 + g] = dd * static_cast<float>(sc);
          m[s * 8 + g] = -dm * static_cast<float>(mn);
        }
      }
      break;
    case TensorType::Q6_K:
      for (std::int64_t s = 0; s < k / 256; ++s) {
        const auto x = load_block<quant::BlockQ6_K>(row, s);
        const float dd = fp16_to_fp32(x.d);
        std::int8_t* o = q + s * 256;
        for (int h = 0; h < 2; ++h) {  // two halves of 128 values
          const std::uint8_t* ql = x.ql + 64 * h;
          const std::uint8_t* qh = x.qh + 32 * h;
          std::int8_t* oh = o + 128 * h;
          for (int l = 0; l < 32; ++l) {
            oh[l] = static_cast<std::int8_t>(((ql[l] & 0x0f) | ((qh[l] & 3) << 4)) - 32);
            oh[l + 32] = static_cast<std::int8_t>(((ql[l + 32] & 0x0f) | (((qh[l] >> 2) & 3) << 4)) - 32);
            oh[l + 64] = static_cast<std::int8_t>(((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32);
            oh[l + 96] = static_cast<std::int8_t>(((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32);
          }
        }
        for (int g = 0; g < 16; ++g) d[s * 16 + g] = dd * static_cast<float>(x.scales[g]);
      }
      break;
    case TensorType::IQ4_XS:
      for (std::int64_t s = 0; s < k / 256; ++s) {
        const auto x = load_block<quant::BlockIQ4_XS>(row, s);
        const float dd = fp16_to_fp32(x.d);
        for (int g = 0; g < 8; ++g) {
          quant::detail::unpack_nibbles32(x.qs + 16 * g, L);
          for (int j = 0; j < 32; ++j) q[s * 256 + g * 32 + j] = quant::kIQ4Values[L[j]];
          d[s * 8 + g] = dd * static_cast<float>(quant::detail::iq4_xs_group_scale(x, g) - 32);
        }
      }
      break;
    default: fail("packed matmul: unsupported type {}", type_name(t));
  }
}

}  // namespace

void unpack_weight_rows(const Matrix& w, std::int64_t r0, std::int64_t n, WeightTile& out) {
  const int bs = packed_block_size(w.type);
  out.bs = bs;
  out.k = w.n_in;
  out.nb = w.n_in / bs;
  out.rows = n;
  out.has_min = packed_has_min(w.type);
  out.q.resize(static_cast<std::size_t>(n * w.n_in));
  out.d.resize(static_cast<std::size_t>(n * out.nb));
  out.corr.resize(out.d.size());
  out.m.assign(out.has_min ? out.d.size() : 0, 0.0f);
  std::vector<float> mtmp(static_cast<std::size_t>(out.nb));
  for (std::int64_t r = 0; r < n; ++r) {
    std::int8_t* q = out.q.data() + r * w.n_in;
    float* d = out.d.data() + r * out.nb;
    expand_row(w.type, w.row(r0 + r), w.n_in, q, d, out.has_min ? out.m.data() + r * out.nb : mtmp.data());
    for (std::int64_t b = 0; b < out.nb; ++b) {
      int s = 0;
      for (int j = 0; j < bs; ++j) s += q[b * bs + j];
      out.corr[static_cast<std::size_t>(r * out.nb + b)] = -128 * s;
    }
  }
}

}  // namespace corral::kernels
