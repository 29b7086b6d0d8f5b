// ActRows: a batch of activation rows converted to the format a weight type's
// dot product pairs with (as the reference engine does): Q8_0 for Q4_0, Q5_0,
// Q8_0, IQ4_NL; Q8_1 for Q4_1, Q5_1; Q8_K for the K-quants and IQ4_XS;
// F16-rounded values for F16; BF16 for BF16; plain F32 for F32.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "gguf/tensor_type.h"

namespace corral {
class ThreadPool;
}

namespace corral::kernels {

// Activation storage formats. F16R keeps F16-rounded values as floats
// (numerically the reference's F16 activations, faster to consume).
enum class ActFormat { f32, f16r, bf16, q8_0, q8_1, q8_k };

// The activation format paired with a weight type.
ActFormat act_format_for(TensorType weight_type);
// Bytes of one quantized row of n values (n a multiple of the block size).
std::size_t act_row_bytes(ActFormat f, std::int64_t n);

struct ActRows {
  ActFormat format = ActFormat::f32;
  const std::uint8_t* data = nullptr;
  std::size_t row_bytes = 0;
  std::int64_t m = 0;  // rows (tokens)
  std::int64_t n = 0;  // values per row
  // For q8_0 / q8_1: the sum of the 32 quantized values of every block, row-major
  // [m][n/32]. For q8_k the blocks carry their own bsums.
  const std::int32_t* block_sums = nullptr;

  const std::uint8_t* row(std::int64_t t) const { return data + static_cast<std::size_t>(t) * row_bytes; }
  const std::int32_t* sums(std::int64_t t) const { return block_sums + t * (n / 32); }
};

// Reusable storage for ActRows (grows, never shrinks).
class ActBuffer {
 public:
  // Converts m rows of n floats (row stride ldx) into `format`. The result
  // points into this buffer and stays valid until the next quantize().
  ActRows quantize(ThreadPool* pool, ActFormat format, const float* x, std::int64_t m, std::int64_t n,
                   std::int64_t ldx);

 private:
  std::vector<std::uint8_t> data_;
  std::vector<std::int32_t> sums_;
};

// Row quantizers (scalar, bit-exact with the reference engine's x86 code).
void quantize_row_q8_0(const float* x, void* out, std::int32_t* sums, std::int64_t n);
void quantize_row_q8_1(const float* x, void* out, std::int32_t* sums, std::int64_t n);
void quantize_row_q8_k(const float* x, void* out, std::int64_t n);
void round_row_f16(const float* x, float* out, std::int64_t n);
void convert_row_bf16(const float* x, std::uint16_t* out, std::int64_t n);
// AVX-512 versions, byte-identical to the above (q8_1 when with_s).
void quantize_row_q8_0_avx512(const float* x, void* out, std::int32_t* sums, std::int64_t n, bool with_s);
void quantize_row_q8_k_avx512(const float* x, void* out, std::int64_t n);
void round_row_f16_avx512(const float* x, float* out, std::int64_t n);
void convert_row_bf16_avx512(const float* x, std::uint16_t* out, std::int64_t n);

}  // namespace corral::kernels
