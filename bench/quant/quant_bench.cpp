// Throughput of the tensor formats: quantize_row (weights), quantize_activations,
// dequantize_row and vec_dot_ref on rows of 4096 values, per format; and a
// whole 4096 x 4096 matrix quantized on all cores as quantize_model does it.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "gguf/tensor_type.h"
#include "quant/dequantize.h"
#include "quant/quantize.h"
#include "quant/vec_dot_ref.h"
#include "util/thread_pool.h"

namespace corral::quant {
namespace {

constexpr std::int64_t kN = 4096;

const TensorType kWeightTypes[] = {TensorType::F16,  TensorType::BF16, TensorType::Q4_0, TensorType::Q4_1,
                                   TensorType::Q5_0, TensorType::Q5_1, TensorType::Q8_0, TensorType::Q2_K,
                                   TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K,
                                   TensorType::IQ4_NL, TensorType::IQ4_XS};

std::vector<float> normal_row(std::int64_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d;
  std::vector<float> v(static_cast<std::size_t>(n));
  for (auto& x : v) x = d(rng);
  return v;
}

TensorType type_arg(const benchmark::State& state) { return kWeightTypes[state.range(0)]; }

void label(benchmark::State& state, std::int64_t values_per_iter) {
  state.SetLabel(std::string(type_name(type_arg(state))));
  state.SetItemsProcessed(state.iterations() * values_per_iter);
}

void BM_QuantizeRow(benchmark::State& state) {
  const TensorType t = type_arg(state);
  const auto x = normal_row(kN, 1);
  std::vector<std::uint8_t> q(row_bytes(t, kN));
  for (auto _ : state) {
    quantize_row(t, x.data(), q.data(), kN);
    benchmark::DoNotOptimize(q.data());
  }
  label(state, kN);
}

void BM_QuantizeActivations(benchmark::State& state) {
  const TensorType t = vec_dot_type(type_arg(state));
  const auto x = normal_row(kN, 2);
  std::vector<std::uint8_t> q(row_bytes(t, kN));
  for (auto _ : state) {
    quantize_activations(t, x.data(), q.data(), kN);
    benchmark::DoNotOptimize(q.data());
  }
  label(state, kN);
}

void BM_DequantizeRow(benchmark::State& state) {
  const TensorType t = type_arg(state);
  const auto x = normal_row(kN, 3);
  std::vector<std::uint8_t> q(row_bytes(t, kN));
  quantize_row(t, x.data(), q.data(), kN);
  std::vector<float> y(kN);
  for (auto _ : state) {
    dequantize_row(t, q.data(), y.data(), kN);
    benchmark::DoNotOptimize(y.data());
  }
  label(state, kN);
}

void BM_VecDotRef(benchmark::State& state) {
  const TensorType t = type_arg(state);
  const TensorType at = vec_dot_type(t);
  const auto x = normal_row(kN, 4), y = normal_row(kN, 5);
  std::vector<std::uint8_t> w(row_bytes(t, kN)), a(row_bytes(at, kN));
  quantize_row(t, x.data(), w.data(), kN);
  quantize_activations(at, y.data(), a.data(), kN);
  for (auto _ : state) benchmark::DoNotOptimize(vec_dot_ref(t, kN, w.data(), a.data()));
  label(state, kN);
}

// A 4096 x 4096 matrix (16.8 M weights) quantized row-parallel on all cores.
void BM_QuantizeMatrixAllCores(benchmark::State& state) {
  const TensorType t = type_arg(state);
  constexpr std::int64_t rows = 4096;
  const auto row = normal_row(kN, 6);
  std::vector<float> m(static_cast<std::size_t>(rows * kN));
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t i = 0; i < kN; ++i) m[static_cast<std::size_t>(r * kN + i)] = row[static_cast<std::size_t>((i + r) % kN)];
  std::vector<std::uint8_t> q(row_bytes(t, kN) * rows);
  ThreadPool pool(0);
  for (auto _ : state) {
    pool.parallel_for(rows, [&](std::int64_t b, std::int64_t e, int) {
      for (std::int64_t r = b; r < e; ++r) quantize_row(t, m.data() + r * kN, q.data() + r * row_bytes(t, kN), kN);
    });
    benchmark::DoNotOptimize(q.data());
  }
  label(state, rows * kN);
  state.counters["threads"] = pool.size();
}

void all_types(benchmark::internal::Benchmark* b) {
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(std::size(kWeightTypes)); ++i) b->Arg(i);
}

BENCHMARK(BM_QuantizeRow)->Apply(all_types);
BENCHMARK(BM_QuantizeActivations)->Apply(all_types);
BENCHMARK(BM_DequantizeRow)->Apply(all_types);
BENCHMARK(BM_VecDotRef)->Apply(all_types);
BENCHMARK(BM_QuantizeMatrixAllCores)->Apply(all_types)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace corral::quant

BENCHMARK_MAIN();
