// Activation conversion for the matrix multiply.
#include "kernels/act_rows.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/isa.h"
#include "quant/blocks.h"
#include "util/error.h"
#include "util/fp16.h"
#include "util/thread_pool.h"

namespace corral::kernels {

ActFormat act_format_for(TensorType t) {
  switch (t) {
    case TensorType::F32: return ActFormat::f32;
    case TensorType::F16: return ActFormat::f16r;
    case TensorType::BF16: return ActFormat::bf16;
    case TensorType::Q4_0:
    case TensorType::Q5_0:
    case TensorType::Q8_0:
    case TensorType::IQ4_NL: return ActFormat::q8_0;
    case TensorType::Q4_1:
    case TensorType::Q5_1: return ActFormat::q8_1;
    case TensorType::Q2_K:
    case TensorType::Q3_K:
    case TensorType::Q4_K:
    case TensorType::Q5_K:
    case TensorType::Q6_K:
    case TensorType::IQ4_XS: return ActFormat::q8_k;
    default: fail("no matrix multiply for weight type {}", type_name(t));
  }
}

std::size_t act_row_bytes(ActFormat f, std::int64_t n) {
  switch (f) {
    case ActFormat::f32:
    case ActFormat::f16r: return static_cast<std::size_t>(n) * 4;
    case ActFormat::bf16: return static_cast<std::size_t>(n) * 2;
    case ActFormat::q8_0: return static_cast<std::size_t>(n / 32) * sizeof(quant::BlockQ8_0);
    case ActFormat::q8_1: return static_cast<std::size_t>(n / 32) * sizeof(quant::BlockQ8_1);
    case ActFormat::q8_k: return static_cast<std::size_t>(n / 256) * sizeof(quant::BlockQ8_K);
  }
  return 0;
}

void quantize_row_q8_0(const float* x, void* out, std::int32_t* sums, std::int64_t n) {
  auto* blocks = static_cast<quant::BlockQ8_0*>(out);
  for (std::int64_t b = 0; b < n / 32; ++b) {
    const float* xb = x + b * 32;
    float amax = 0;
    for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(xb[j]));
    const float d = amax / 127.f;
    const float id = amax != 0.f ? 127.f / amax : 0.f;
    quant::BlockQ8_0& blk = blocks[b];
    blk.d = fp32_to_fp16(d);
    std::int32_t s = 0;
    for (int j = 0; j < 32; ++j) {
      const auto q = static_cast<std::int8_t>(std::nearbyint(xb[j] * id));
      blk.qs[j] = q;
      s += q;
    }
    sums[b] = s;
  }
}

void quantize_row_q8_1(const float* x, void* out, std::int32_t* sums, std::int64_t n) {
  auto* blocks = static_cast<quant::BlockQ8_1*>(out);
  for (std::int64_t b = 0; b < n / 32; ++b) {
    const float* xb = x + b * 32;
    float amax = 0;
    for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(xb[j]));
    const float d = amax / 127.f;
    const float id = amax != 0.f ? 127.f / amax : 0.f;
    quant::BlockQ8_1& blk = blocks[b];
    blk.d = fp32_to_fp16(d);
    std::int32_t s = 0;
    for (int j = 0; j < 32; ++j) {
      const auto q = static_cast<std::int8_t>(std::nearbyint(xb[j] * id));
      blk.qs[j] = q;
      s += q;
    }
    blk.s = fp32_to_fp16(d * static_cast<float>(s));
    sums[b] = s;
  }
}

void quantize_row_q8_k(const float* x, void* out, std::int64_t n) {
  auto* blocks = static_cast<quant::BlockQ8_K*>(out);
  for (std::int64_t b = 0; b < n / 256; ++b) {
    const float* xb = x + b * 256;
    quant::BlockQ8_K& blk = blocks[b];
    float amax = 0, max = 0;
    for (int j = 0; j < 256; ++j) {
      const float ax = std::fabs(xb[j]);
      if (ax > amax) {
        amax = ax;
        max = xb[j];
      }
    }
    if (amax == 0.f) {
      blk.d = 0.f;
      std::memset(blk.qs, 0, sizeof blk.qs);
      std::memset(blk.bsums, 0, sizeof blk.bsums);
      continue;
    }
    const float iscale = -127.f / max;
    for (int j = 0; j < 256; ++j) {
      const int v = static_cast<int>(std::nearbyint(iscale * xb[j]));
      blk.qs[j] = static_cast<std::int8_t>(std::min(127, v));
    }
    for (int g = 0; g < 16; ++g) {
      int s = 0;
      for (int j = 0; j < 16; ++j) s += blk.qs[g * 16 + j];
      blk.bsums[g] = static_cast<std::int16_t>(s);
    }
    blk.d = 1.f / iscale;
  }
}

void round_row_f16(const float* x, float* out, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = round_fp16(x[i]);
}

void convert_row_bf16(const float* x, std::uint16_t* out, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = fp32_to_bf16(x[i]);
}

ActRows ActBuffer::quantize(ThreadPool* pool, ActFormat format, const float* x, std::int64_t m, std::int64_t n,
                            std::int64_t ldx) {
  ActRows a;
  a.format = format;
  a.m = m;
  a.n = n;
  a.row_bytes = act_row_bytes(format, n);
  const std::size_t need = a.row_bytes * static_cast<std::size_t>(m) + 64;
  if (data_.size() < need) data_.resize(need);
  // 64-byte align the start for SIMD loads.
  auto base = reinterpret_cast<std::uintptr_t>(data_.data());
  std::uint8_t* dst = data_.data() + ((64 - (base & 63)) & 63);
  a.data = dst;
  const bool with_sums = format == ActFormat::q8_0 || format == ActFormat::q8_1;
  if (with_sums) {
    const std::size_t ns = static_cast<std::size_t>(m * (n / 32));
    if (sums_.size() < ns) sums_.resize(ns);
    a.block_sums = sums_.data();
  }
  std::int32_t* sums = sums_.data();
  const bool simd = best_isa() >= Isa::avx512;
  auto convert = [&](std::int64_t t0, std::int64_t t1, int) {
    for (std::int64_t t = t0; t < t1; ++t) {
      const float* xr = x + t * ldx;
      std::uint8_t* out = dst + static_cast<std::size_t>(t) * a.row_bytes;
      switch (format) {
        case ActFormat::f32: std::memcpy(out, xr, static_cast<std::size_t>(n) * 4); break;
        case ActFormat::f16r:
          if (simd)
            round_row_f16_avx512(xr, reinterpret_cast<float*>(out), n);
          else
            round_row_f16(xr, reinterpret_cast<float*>(out), n);
          break;
        case ActFormat::bf16:
          if (simd)
            convert_row_bf16_avx512(xr, reinterpret_cast<std::uint16_t*>(out), n);
          else
            convert_row_bf16(xr, reinterpret_cast<std::uint16_t*>(out), n);
          break;
        case ActFormat::q8_0:
          if (simd)
            quantize_row_q8_0_avx512(xr, out, sums + t * (n / 32), n, false);
          else
            quantize_row_q8_0(xr, out, sums + t * (n / 32), n);
          break;
        case ActFormat::q8_1:
          if (simd)
            quantize_row_q8_0_avx512(xr, out, sums + t * (n / 32), n, true);
          else
            quantize_row_q8_1(xr, out, sums + t * (n / 32), n);
          break;
        case ActFormat::q8_k:
          if (simd)
            quantize_row_q8_k_avx512(xr, out, n);
          else
            quantize_row_q8_k(xr, out, n);
          break;
      }
    }
  };
  if (pool && m > 1)
    pool->parallel_for(m, convert);
  else
    convert(0, m, 0);
  return a;
}

}  // namespace corral::kernels
