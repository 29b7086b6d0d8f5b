// Sampler speed on a Qwen-sized logit row (151,936 entries): Ollama's default
// options, greedy, the full-vocabulary path (top_k 0), logprobs; and the
// StopMatcher on a stream of short pieces.
#include "sample/rng.h"
#include "sample/sampler.h"
#include "sample/stop_matcher.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

namespace {

using corral::sample::Sampler;
using corral::sample::SamplingParams;

constexpr std::size_t kVocab = 151936;

// Logits shaped like a model's: normal noise (sd 2) plus a handful of strong candidates.
std::vector<float> model_like_row() {
  corral::sample::SplitMix64 rng(12345);
  std::vector<float> row(kVocab);
  for (std::size_t i = 0; i < kVocab; i += 2) {
    const double u1 = 1.0 - rng.next_unit();
    const double u2 = rng.next_unit();
    const double r = std::sqrt(-2.0 * std::log(u1));
    row[i] = static_cast<float>(2.0 * r * std::cos(6.283185307179586 * u2));
    if (i + 1 < kVocab) row[i + 1] = static_cast<float>(2.0 * r * std::sin(6.283185307179586 * u2));
  }
  for (std::size_t i = 0; i < 8; ++i) row[(i * 19237 + 101) % kVocab] = 14.0f - static_cast<float>(i);
  return row;
}

void run(benchmark::State& state, SamplingParams params, int top_logprobs) {
  params.seed = 42;
  Sampler sampler(params, kVocab);
  std::vector<float> row = model_like_row();
  // 64 accepted tokens for the penalties window (restored after each call).
  std::vector<std::int32_t> history;
  for (std::int32_t i = 0; i < 64; ++i) history.push_back((i * 7919 + 13) % static_cast<std::int32_t>(kVocab));
  for (auto id : history) sampler.accept(id);
  std::vector<float> saved(history.size());
  corral::sample::TokenLogprobs lp;
  for (auto _ : state) {
    for (std::size_t i = 0; i < history.size(); ++i) saved[i] = row[static_cast<std::size_t>(history[i])];
    const std::int32_t id = top_logprobs >= 0 ? sampler.sample(row, top_logprobs, lp) : sampler.sample(row);
    benchmark::DoNotOptimize(id);
    for (std::size_t i = 0; i < history.size(); ++i) row[static_cast<std::size_t>(history[i])] = saved[i];
  }
}

void BM_SampleDefaults(benchmark::State& state) { run(state, SamplingParams{}, -1); }

void BM_SampleDefaultsRepeatPenalty(benchmark::State& state) {
  SamplingParams p;
  p.repeat_penalty = 1.1f;
  p.frequency_penalty = 0.1f;
  run(state, p, -1);
}

void BM_SampleGreedy(benchmark::State& state) {
  SamplingParams p;
  p.temperature = 0.0f;
  run(state, p, -1);
}

void BM_SampleNoTopK(benchmark::State& state) {
  SamplingParams p;
  p.top_k = 0;  // top_p 0.9 over the whole vocabulary
  run(state, p, -1);
}

void BM_SampleNoTruncation(benchmark::State& state) {
  SamplingParams p;
  p.top_k = 0;
  p.top_p = 1.0f;
  p.temperature = 1.0f;
  run(state, p, -1);
}

void BM_SampleDefaultsTopLogprobs20(benchmark::State& state) { run(state, SamplingParams{}, 20); }

void BM_StopMatcherPieces(benchmark::State& state) {
  const std::vector<std::string> pieces = {"The", " quick", " brown", " fox", " <", "|im", "_start", "|>",
                                           " jumps", " over", " the", " lazy", " dog", ".", "\n"};
  for (auto _ : state) {
    corral::sample::StopMatcher m({"<|im_end|>", "<|endoftext|>", "\nUser:"});
    std::size_t emitted = 0;
    for (const auto& p : pieces) emitted += m.push(p).text.size();
    emitted += m.flush().size();
    benchmark::DoNotOptimize(emitted);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(pieces.size()));
}

BENCHMARK(BM_SampleDefaults)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SampleDefaultsRepeatPenalty)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SampleGreedy)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SampleNoTopK)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SampleNoTruncation)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SampleDefaultsTopLogprobs20)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StopMatcherPieces);

}  // namespace

BENCHMARK_MAIN();
