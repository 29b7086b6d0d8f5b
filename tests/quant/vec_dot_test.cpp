// vec_dot_ref against two independent computations, for every weight type:
//  1. the f32 dot product (in double) of the dequantized weight row and the dequantized activation
//     row: the two must agree to float rounding, tolerance 1e-6 * sum |w_i a_i| (for Q4_1/Q5_1 plus
//     the F16 rounding of the activation sum field s: 2^-11 * sum over blocks |m * s|);
//  2. the exact dot product of the original f32 vectors: within 6 standard deviations of the
//     quantization noise expected from the reference RMSE of the weight and activation formats,
//     6 * sqrt(n) * (rmse_w + rmse_a) for unit-variance data.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "quant/blocks.h"
#include "quant/dequantize.h"
#include "quant/quantize.h"
#include "quant/vec_dot_ref.h"
#include "quant/normal_data.h"
#include "util/error.h"
#include "util/fp16.h"

namespace corral::quant {
namespace {

struct DotCase {
  TensorType weight;
  double rmse_w;  // reference RMSE on normal(0, 1) data (shared/reference/quant-rmse.md)
};

double activation_rmse(TensorType t) {
  switch (t) {
    case TensorType::Q8_0:
    case TensorType::Q8_1: return 5.351e-3;
    case TensorType::Q8_K: return 6.965e-3;
    case TensorType::F16: return 2.08e-4;
    case TensorType::BF16: return 1.661e-3;
    default: return 0;
  }
}

const DotCase kCases[] = {
    {TensorType::F32, 0},           {TensorType::F16, 2.0754e-4},  {TensorType::BF16, 1.6609e-3},
    {TensorType::Q4_0, 8.5910e-2},  {TensorType::Q4_1, 7.8238e-2}, {TensorType::Q5_0, 4.2678e-2},
    {TensorType::Q5_1, 3.7826e-2},  {TensorType::Q8_0, 5.3510e-3}, {TensorType::Q2_K, 2.9661e-1},
    {TensorType::Q3_K, 1.5089e-1},  {TensorType::Q4_K, 7.1350e-2}, {TensorType::Q5_K, 3.6120e-2},
    {TensorType::Q6_K, 1.7730e-2},  {TensorType::IQ4_NL, 7.6070e-2}, {TensorType::IQ4_XS, 7.6668e-2},
};

// F16 rounding allowance of the Q8_1 sum field: 2^-11 * sum over blocks |m_w * s_a|.
double sum_field_allowance(TensorType weight, const std::vector<std::uint8_t>& w, const std::vector<std::uint8_t>& a,
                           std::int64_t n) {
  if (weight != TensorType::Q4_1 && weight != TensorType::Q5_1) return 0;
  double total = 0;
  for (std::int64_t i = 0; i < n / 32; ++i) {
    const std::uint16_t m = weight == TensorType::Q4_1 ? load_block<BlockQ4_1>(w.data(), i).m
                                                       : load_block<BlockQ5_1>(w.data(), i).m;
    total += std::fabs(fp16_to_fp32(m) * fp16_to_fp32(load_block<BlockQ8_1>(a.data(), i).s)) * 0x1p-11;
  }
  return total;
}

TEST(VecDotRef, MatchesDequantizedAndOriginalDots) {
  constexpr std::int64_t n = 4096;
  constexpr int rows = 24;
  const auto wx = test::normal_values(n * rows, 7);
  const auto ax = test::normal_values(n * rows, 8);
  for (const auto& c : kCases) {
    const TensorType at = vec_dot_type(c.weight);
    double worst_deq = 0, worst_orig = 0;  // worst error as a fraction of its tolerance
    for (int r = 0; r < rows; ++r) {
      const float* x = wx.data() + r * n;
      const float* y = ax.data() + r * n;
      std::vector<std::uint8_t> w(row_bytes(c.weight, n)), a(row_bytes(at, n));
      quantize_row(c.weight, x, w.data(), n);
      quantize_activations(at, y, a.data(), n);
      const double dot = vec_dot_ref(c.weight, n, w.data(), a.data());

      std::vector<float> wd(n), ad(n);
      dequantize_row(c.weight, w.data(), wd.data(), n);
      dequantize_row(at, a.data(), ad.data(), n);
      double deq = 0, abs_sum = 0, orig = 0;
      for (std::int64_t i = 0; i < n; ++i) {
        deq += static_cast<double>(wd[i]) * ad[i];
        abs_sum += std::fabs(static_cast<double>(wd[i]) * ad[i]);
        orig += static_cast<double>(x[i]) * y[i];
      }
      const double tol_deq = 1e-6 * abs_sum + sum_field_allowance(c.weight, w, a, n);
      const double tol_orig = 6 * std::sqrt(static_cast<double>(n)) * (c.rmse_w + activation_rmse(at)) + 1e-3;
      EXPECT_LE(std::fabs(dot - deq), tol_deq) << type_name(c.weight) << " row " << r;
      EXPECT_LE(std::fabs(dot - orig), tol_orig) << type_name(c.weight) << " row " << r;
      worst_deq = std::max(worst_deq, std::fabs(dot - deq) / tol_deq);
      worst_orig = std::max(worst_orig, std::fabs(dot - orig) / tol_orig);
    }
    RecordProperty(std::string(type_name(c.weight)), std::to_string(worst_deq) + " / " + std::to_string(worst_orig));
  }
}

TEST(VecDotRef, HandWorkedQ4_0TimesQ8_0) {
  BlockQ4_0 w;
  w.d = 0x3800;                              // 1/2
  for (auto& q : w.qs) q = 0x9A;             // low 10 -> +2, high 9 -> +1
  BlockQ8_0 a;
  a.d = 0x4000;                              // 2
  for (int j = 0; j < 32; ++j) a.qs[j] = static_cast<std::int8_t>(j < 16 ? 3 : -1);
  // sum = 16 * (2 * 3) + 16 * (1 * -1) = 80; times 1/2 * 2
  EXPECT_EQ(vec_dot_ref(TensorType::Q4_0, 32, &w, &a), 80.f);
}

TEST(VecDotRef, HandWorkedQ4_KUsesBlockSumsForMins) {
  BlockQ4_K w;
  w.d = 0x3C00;     // 1
  w.dmin = 0x3800;  // 1/2
  // all 8 groups: scale 2, min 3 (bytes 0-3: 2, bytes 4-7: 3, bytes 8-11: 2 | 3 << 4)
  const std::uint8_t scales[12] = {2, 2, 2, 2, 3, 3, 3, 3, 0x32, 0x32, 0x32, 0x32};
  std::memcpy(w.scales, scales, 12);
  std::memset(w.qs, 0x11, sizeof w.qs);  // every level 1: value = 2*1 - 3/2 = 1/2
  BlockQ8_K a;
  a.d = 0.25f;
  for (auto& q : a.qs) q = 4;  // value 1
  for (auto& s : a.bsums) s = 64;
  // 256 values of 1/2 * 1 = 128
  EXPECT_EQ(vec_dot_ref(TensorType::Q4_K, 256, &w, &a), 128.f);
}

TEST(VecDotRef, RejectsBadArguments) {
  std::vector<std::uint8_t> buf(4096);
  EXPECT_THROW(vec_dot_ref(TensorType::Q4_K, 100, buf.data(), buf.data()), Error);
  EXPECT_THROW(vec_dot_ref(TensorType::Q8_K, 256, buf.data(), buf.data()), Error);
  EXPECT_THROW(vec_dot_ref(TensorType::IQ2_XXS, 256, buf.data(), buf.data()), Error);
}

}  // namespace
}  // namespace corral::quant
