// Matrix multiply throughput per weight type and ISA level on a 2048 x 2048
// weight: m = 1 (token generation: counter GB/s = weight bytes read per
// second) and m = 64 / 512 (prompt processing: GOP/s = 2 * 2048 * 2048 * m
// per second). "m:1" reuses one weight, which then sits in the caches (the
// kernel's compute speed); "m:1/cold" cycles through copies of the weight
// totalling at least 256 MiB, so every byte comes from memory as in token
// generation on a real model. Only the kernel is timed: activations are
// converted to the weight type's partner format once, outside the loop.
// Threads: 2 (like llama-bench -t 2 on the 2-core reference machine), or
// CORRAL_BENCH_THREADS. The scalar path runs at m = 1 only (it is slow).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kernels/act_rows.h"
#include "kernels/isa.h"
#include "kernels/matmul.h"
#include "quant/quantize.h"
#include "util/thread_pool.h"

namespace {

using corral::TensorType;
using namespace corral::kernels;

constexpr std::int64_t kN = 2048;

const TensorType kTypes[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16,  TensorType::Q4_0,
                             TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1,  TensorType::Q8_0,
                             TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K,  TensorType::Q5_K,
                             TensorType::Q6_K, TensorType::IQ4_NL, TensorType::IQ4_XS};

corral::ThreadPool& pool() {
  static corral::ThreadPool p([] {
    const char* s = std::getenv("CORRAL_BENCH_THREADS");
    return s ? std::atoi(s) : 2;
  }());
  return p;
}

std::vector<float> normal_values(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = nd(rng);
  return v;
}

// A 2048 x 2048 weight of type t: 16 distinct quantized rows repeated (speed does not depend on the values).
const std::vector<std::uint8_t>& weight_bytes(TensorType t) {
  static std::map<TensorType, std::vector<std::uint8_t>> cache;
  auto& bytes = cache[t];
  if (bytes.empty()) {
    const std::size_t rb = corral::row_bytes(t, kN);
    bytes.resize(rb * kN);
    const std::vector<float> rows = normal_values(16 * kN, 1);
    for (std::int64_t r = 0; r < 16; ++r) corral::quant::quantize_row(t, rows.data() + r * kN, bytes.data() + r * rb, kN);
    for (std::int64_t r = 16; r < kN; ++r) std::memcpy(bytes.data() + r * rb, bytes.data() + (r % 16) * rb, rb);
  }
  return bytes;
}

void bm_matmul(benchmark::State& state, TensorType t, Isa isa, std::int64_t m, bool cold) {
  const auto& bytes = weight_bytes(t);
  // Copies of the weight for the cold runs (one buffer, consecutive copies).
  const std::size_t copies = cold ? (std::size_t{256} << 20) / bytes.size() + 1 : 1;
  std::vector<std::uint8_t> cold_bytes;
  if (cold) {
    cold_bytes.resize(bytes.size() * copies);
    for (std::size_t c = 0; c < copies; ++c) std::memcpy(cold_bytes.data() + c * bytes.size(), bytes.data(), bytes.size());
  }
  Matrix w{bytes.data(), t, kN, kN, corral::row_bytes(t, kN)};
  const std::vector<float> x = normal_values(static_cast<std::size_t>(m * kN), 2);
  ActBuffer buf;
  const ActRows a = buf.quantize(&pool(), act_format_for(t), x.data(), m, kN, kN);
  std::vector<float> y(static_cast<std::size_t>(m * kN));
  std::size_t next = 0;
  for (auto _ : state) {
    if (cold) {
      w.data = cold_bytes.data() + next * bytes.size();
      next = (next + 1) % copies;
    }
    matmul(pool(), w, a, y.data(), kN, isa);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const double iters = static_cast<double>(state.iterations());
  if (m == 1)
    state.counters["GB/s"] = benchmark::Counter(iters * static_cast<double>(bytes.size()) / 1e9,
                                                benchmark::Counter::kIsRate);
  else
    state.counters["GOP/s"] = benchmark::Counter(iters * 2.0 * kN * kN * static_cast<double>(m) / 1e9,
                                                 benchmark::Counter::kIsRate);
}

}  // namespace

int main(int argc, char** argv) {
  for (TensorType t : kTypes) {
    for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512}) {
      if (!isa_supported(isa)) continue;
      const std::string base = "matmul/" + std::string(corral::type_name(t)) + "/" + std::string(isa_name(isa));
      for (std::int64_t m : {1, 64, 512}) {
        if (isa == Isa::scalar && m > 1) continue;
        benchmark::RegisterBenchmark((base + "/m:" + std::to_string(m)).c_str(), bm_matmul, t, isa, m, false)
            ->Unit(benchmark::kMicrosecond)
            ->UseRealTime();
      }
      if (isa != Isa::scalar)
        benchmark::RegisterBenchmark((base + "/m:1/cold").c_str(), bm_matmul, t, isa, 1, true)
            ->Unit(benchmark::kMicrosecond)
            ->UseRealTime();
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
