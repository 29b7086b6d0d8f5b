// Tokenizer speed on shared/spec/ollama-compat.md (122 KB of Markdown):
// encode with the Llama 3 (byte-level BPE) vocabulary, the target being
// >= 20 MB/s on one core, warm (pieces cached by earlier calls) and cold (a
// fresh tokenizer), plus Qwen 2, Llama 2 (SentencePiece) and decode.
// Finds shared/ through CORRAL_SHARED (default: <source>/../shared).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"

namespace {

using corral::tokenizer::Tokenizer;

std::filesystem::path shared_dir() {
  if (const char* s = std::getenv("CORRAL_SHARED"); s && *s) return s;
  return std::filesystem::path(CORRAL_SOURCE_DIR_DEFAULT) / ".." / "shared";
}

const std::string* spec_text() {
  static std::string text = [] {
    std::ifstream in(shared_dir() / "spec/ollama-compat.md", std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }();
  return text.empty() ? nullptr : &text;
}

std::shared_ptr<const Tokenizer> vocab(const std::string& name) {
  static std::map<std::string, std::shared_ptr<const Tokenizer>> cache;
  auto& t = cache[name];
  const auto path = shared_dir() / ("vocab/ggml-vocab-" + name + ".gguf");
  std::error_code ec;
  if (!t && std::filesystem::exists(path, ec)) t = Tokenizer::from_gguf(corral::gguf::File::open(path.string()));
  return t;
}

void encode(benchmark::State& state, const std::string& name) {
  auto tok = vocab(name);
  const std::string* text = spec_text();
  if (!tok || !text) {
    state.SkipWithError("shared/ not found (set CORRAL_SHARED)");
    return;
  }
  std::size_t n_tokens = 0;
  for (auto _ : state) {
    auto ids = tok->encode(*text, false, true);
    n_tokens = ids.size();
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text->size()));
  state.counters["tokens"] = static_cast<double>(n_tokens);
}

// The first encode() with a fresh tokenizer: nothing cached yet.
void encode_cold(benchmark::State& state, const std::string& name) {
  auto loaded = vocab(name);
  const std::string* text = spec_text();
  if (!loaded || !text) {
    state.SkipWithError("shared/ not found (set CORRAL_SHARED)");
    return;
  }
  for (auto _ : state) {
    state.PauseTiming();
    auto tok = Tokenizer::from_vocab(loaded->vocab());
    state.ResumeTiming();
    auto ids = tok->encode(*text, false, true);
    benchmark::DoNotOptimize(ids.data());
    state.PauseTiming();
    tok.reset();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text->size()));
}

void decode(benchmark::State& state, const std::string& name) {
  auto tok = vocab(name);
  const std::string* text = spec_text();
  if (!tok || !text) {
    state.SkipWithError("shared/ not found (set CORRAL_SHARED)");
    return;
  }
  const auto ids = tok->encode(*text, false, true);
  for (auto _ : state) {
    auto s = tok->decode(ids);
    benchmark::DoNotOptimize(s.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text->size()));
}

void BM_EncodeLlama3(benchmark::State& s) { encode(s, "llama-bpe"); }
void BM_EncodeLlama3Cold(benchmark::State& s) { encode_cold(s, "llama-bpe"); }
void BM_EncodeQwen2(benchmark::State& s) { encode(s, "qwen2"); }
void BM_EncodeLlama2Spm(benchmark::State& s) { encode(s, "llama-spm"); }
void BM_DecodeLlama3(benchmark::State& s) { decode(s, "llama-bpe"); }

}  // namespace

BENCHMARK(BM_EncodeLlama3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EncodeLlama3Cold)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_EncodeQwen2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EncodeLlama2Spm)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeLlama3)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
