// Token masking speed with real vocabularies (Qwen2: 151,936 ids; Llama 3:
// 128,256 ids) from ../shared/vocab: one mask per sampling step in typical
// states of the "json" format and of a schema, warm (the per-state tables
// already computed, as after the first request with a format) and cold (a
// new table: the first request), plus whole simulated generations, where
// the average time per apply() is what a request pays.
//
//   build/bench/grammar/bench_grammar [--benchmark_filter=Mask]
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>

#include "gguf/gguf_file.h"
#include "grammar/automaton.h"
#include "grammar/grammar_constraint.h"
#include "grammar/json_constraint.h"
#include "grammar/token_masks.h"

namespace corral::grammar {
namespace {

std::filesystem::path shared_dir() {
  if (const char* s = std::getenv("CORRAL_SHARED"); s && *s) return s;
  return std::filesystem::path(CORRAL_SOURCE_DIR) / ".." / "shared";
}

std::shared_ptr<const tokenizer::Tokenizer> vocab(const std::string& name) {
  static std::map<std::string, std::shared_ptr<const tokenizer::Tokenizer>> cache;
  auto& t = cache[name];
  if (!t) {
    const auto path = shared_dir() / "vocab" / ("ggml-vocab-" + name + ".gguf");
    if (!std::filesystem::exists(path)) return nullptr;
    t = tokenizer::Tokenizer::from_gguf(gguf::File::open(path.string()));
  }
  return t;
}

const char* kSchema = R"({
  "type": "object",
  "properties": {
    "name": {"type": "string"},
    "age": {"type": "integer", "minimum": 0},
    "email": {"type": "string", "format": "email"},
    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
    "address": {"$ref": "#/$defs/Address"},
    "status": {"enum": ["active", "inactive", "banned"]}
  },
  "required": ["name", "age", "status"],
  "$defs": {"Address": {"type": "object", "properties": {"street": {"type": "string"}, "zip": {"type": ["string", "null"]}},
                        "required": ["street"]}}
})";

nlohmann::ordered_json format_of(int which) {
  return which == 0 ? nlohmann::ordered_json("json") : nlohmann::ordered_json::parse(kSchema);
}

struct State {
  const char* name;
  int format;
  const char* text;
};
const State kStates[] = {
    {"json/start", 0, ""},
    {"json/after-brace", 0, "{"},
    {"json/in-key", 0, "{\"na"},
    {"json/after-key", 0, "{\"name\":"},
    {"json/in-string", 0, "{\"name\": \"Hello wor"},
    {"json/in-number", 0, "{\"age\": 12"},
    {"json/after-value", 0, "{\"name\": \"x\""},
    {"json/in-array", 0, "{\"a\": [1, 2, "},
    {"schema/start", 1, ""},
    {"schema/after-key", 1, "{\"name\": "},
    {"schema/in-string", 1, "{\"name\": \"Hello wor"},
    {"schema/in-integer", 1, "{\"name\": \"x\", \"age\": 4"},
    {"schema/optional-keys", 1, "{\"name\": \"x\", \"age\": 4, "},
    {"schema/in-enum", 1, "{\"name\": \"x\", \"age\": 4, \"status\": \"ina"},
};

std::shared_ptr<const TokenMaskTable> new_table(int format, const std::shared_ptr<const tokenizer::Tokenizer>& tok) {
  return std::make_shared<const TokenMaskTable>(Automaton::compile(format_grammar(format_of(format))),
                                                TokenTrie::for_tokenizer(tok));
}

// One mask in a state, tables warm; the full apply() (mask + logits update).
void BM_MaskWarm(benchmark::State& st, std::string vocab_name, State s) {
  auto tok = vocab(vocab_name);
  if (!tok) return st.SkipWithError("vocabulary not found (set CORRAL_SHARED)");
  auto table = new_table(s.format, tok);
  Matcher m(table->automaton_ptr());
  if (!m.accept(s.text)) return st.SkipWithError("state text rejected");
  MaskBuilder builder(table);
  TokenBits bits(table->trie().vocab_size());
  builder.build(m, bits);  // computes the tables this state needs
  std::vector<float> logits(tok->size(), 1.0f);
  for (auto _ : st) {
    builder.build(m, bits);
    benchmark::DoNotOptimize(bits.words().data());
  }
  st.counters["allowed"] = static_cast<double>(bits.count());
}

// The same with a fresh table each time: what the first request pays.
void BM_MaskCold(benchmark::State& st, std::string vocab_name, State s) {
  auto tok = vocab(vocab_name);
  if (!tok) return st.SkipWithError("vocabulary not found (set CORRAL_SHARED)");
  const auto automaton = Automaton::compile(format_grammar(format_of(s.format)));
  const auto trie = TokenTrie::for_tokenizer(tok);
  TokenBits bits(trie->vocab_size());
  for (auto _ : st) {
    auto table = std::make_shared<const TokenMaskTable>(automaton, trie);
    Matcher m(table->automaton_ptr());
    m.accept(s.text);
    MaskBuilder builder(table);
    builder.build(m, bits);
    benchmark::DoNotOptimize(bits.words().data());
  }
}

// apply() on logits, state cached (the common case inside a long string).
void BM_ApplyCached(benchmark::State& st, std::string vocab_name) {
  auto tok = vocab(vocab_name);
  if (!tok) return st.SkipWithError("vocabulary not found (set CORRAL_SHARED)");
  auto c = make_json_constraint(nlohmann::ordered_json("json"), tok);
  for (auto id : tok->encode("{\"text\": \"Hello", false, false)) c->accept(id);
  std::vector<float> logits(tok->size(), 0.5f);
  for (auto _ : st) {
    st.PauseTiming();
    std::fill(logits.begin(), logits.end(), 0.5f);
    st.ResumeTiming();
    c->apply(logits);
    benchmark::DoNotOptimize(logits.data());
  }
}

// Whole generations: random logits, masked, sampled, until complete (or 400
// tokens); time per apply(). warm: the format's tables survive between
// generations (the cache of make_json_constraint); cold: a new table each.
void BM_Generation(benchmark::State& st, std::string vocab_name, int format, bool warm) {
  auto tok = vocab(vocab_name);
  if (!tok) return st.SkipWithError("vocabulary not found (set CORRAL_SHARED)");
  const auto automaton = Automaton::compile(format_grammar(format_of(format)));
  const auto trie = TokenTrie::for_tokenizer(tok);
  auto shared = std::make_shared<const TokenMaskTable>(automaton, trie);
  std::mt19937 rng(7);
  std::vector<float> logits(tok->size());
  std::size_t steps = 0;
  for (auto _ : st) {
    st.PauseTiming();
    auto table = warm ? shared : std::make_shared<const TokenMaskTable>(automaton, trie);
    GrammarConstraint c(table, tok);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    st.ResumeTiming();
    for (int i = 0; i < 400 && !c.complete(); ++i) {
      st.PauseTiming();
      for (auto& x : logits) x = u(rng) * 4.0f;
      st.ResumeTiming();
      c.apply(logits);
      st.PauseTiming();
      // Sample with a temperature that makes closing tokens likely enough.
      std::int32_t best = 0;
      float best_v = -1e30f;
      for (std::size_t t = 0; t < logits.size(); ++t)
        if (logits[t] > best_v) best_v = logits[t], best = static_cast<std::int32_t>(t);
      c.accept(best);
      ++steps;
      st.ResumeTiming();
    }
  }
  st.counters["steps"] = benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kAvgIterations);
  st.counters["per_apply_us"] =
      benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsRate | benchmark::Counter::kInvert) ;
}

void BM_TrieBuild(benchmark::State& st, std::string vocab_name) {
  auto tok = vocab(vocab_name);
  if (!tok) return st.SkipWithError("vocabulary not found (set CORRAL_SHARED)");
  for (auto _ : st) {
    TokenTrie t(*tok);
    benchmark::DoNotOptimize(t.size());
    st.counters["nodes"] = static_cast<double>(t.size());
  }
}

void BM_CompileSchema(benchmark::State& st) {
  const auto f = nlohmann::ordered_json::parse(kSchema);
  for (auto _ : st) {
    auto a = Automaton::compile(format_grammar(f));
    benchmark::DoNotOptimize(a->size());
    st.counters["states"] = static_cast<double>(a->size());
  }
}

int register_all() {
  for (const char* v : {"qwen2", "llama-bpe"}) {
    benchmark::RegisterBenchmark((std::string("BM_TrieBuild/") + v).c_str(), BM_TrieBuild, std::string(v))
        ->Unit(benchmark::kMillisecond);
    for (const auto& s : kStates) {
      benchmark::RegisterBenchmark((std::string("BM_MaskWarm/") + v + "/" + s.name).c_str(), BM_MaskWarm, std::string(v), s)
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark((std::string("BM_MaskCold/") + v + "/" + s.name).c_str(), BM_MaskCold, std::string(v), s)
          ->Unit(benchmark::kMicrosecond);
    }
    benchmark::RegisterBenchmark((std::string("BM_ApplyCached/") + v).c_str(), BM_ApplyCached, std::string(v))
        ->Unit(benchmark::kMicrosecond);
    for (int format : {0, 1})
      for (bool warm : {true, false})
        benchmark::RegisterBenchmark(
            (std::string("BM_Generation/") + v + (format ? "/schema" : "/json") + (warm ? "/warm" : "/cold")).c_str(),
            BM_Generation, std::string(v), format, warm)
            ->Unit(benchmark::kMillisecond)
            ->Iterations(5);
  }
  benchmark::RegisterBenchmark("BM_CompileSchema", BM_CompileSchema)->Unit(benchmark::kMicrosecond);
  return 0;
}
const int registered = register_all();

}  // namespace
}  // namespace corral::grammar

BENCHMARK_MAIN();
