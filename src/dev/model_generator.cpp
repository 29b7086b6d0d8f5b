// Deterministic random models: metadata as llama.cpp's converter writes it,
// weights ~ normal(0, 0.02) (attn_q/attn_k wider so that attention depends on
// position), norm weights 1, biases ~ normal(0, 0.05).
#include "dev/model_generator.h"

#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <vector>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "quant/file_type.h"
#include "quant/quantize.h"
#include "quant/tensor_mix.h"
#include "util/error.h"
#include "util/thread_pool.h"

namespace corral::dev {
namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::uint64_t hash_name(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

// Fills a row with normal(0, stddev) values from a per-(tensor, row) stream.
void normal_row(std::uint64_t seed, float stddev, float* out, std::int64_t n) {
  std::uint64_t st = seed;
  for (std::int64_t i = 0; i < n; i += 2) {
    const double u1 = static_cast<double>(splitmix64(st) >> 11) * 0x1.0p-53;
    const double u2 = static_cast<double>(splitmix64(st) >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2.0 * std::log(1.0 - u1));
    out[i] = static_cast<float>(r * std::cos(2 * M_PI * u2)) * stddev;
    if (i + 1 < n) out[i + 1] = static_cast<float>(r * std::sin(2 * M_PI * u2)) * stddev;
  }
}

struct TensorPlan {
  std::string name;
  std::vector<std::int64_t> dims;
  float stddev = 0.02f;  // 0: constant 1 (norm weights)
};

void add_synthetic_vocab(gguf::Writer& w, std::int64_t n) {
  if (n < 259) fail("a synthetic vocabulary needs at least 259 tokens");
  std::vector<std::string> tokens = {"<unk>", "<s>", "</s>"};
  std::vector<float> scores = {0, 0, 0};
  std::vector<std::int32_t> types = {2, 3, 3};
  for (int b = 0; b < 256; ++b) {
    tokens.push_back(fmt::format("<0x{:02X}>", b));
    scores.push_back(0);
    types.push_back(6);
  }
  for (std::int64_t i = static_cast<std::int64_t>(tokens.size()); i < n; ++i) {
    tokens.push_back(fmt::format("\xe2\x96\x81t{}", i));
    scores.push_back(-static_cast<float>(i));
    types.push_back(1);
  }
  w.set("tokenizer.ggml.model", gguf::Value::string("llama"));
  w.set("tokenizer.ggml.pre", gguf::Value::string("default"));
  w.set("tokenizer.ggml.tokens", gguf::Value::string_array(tokens));
  w.set("tokenizer.ggml.scores", gguf::Value::f32_array(scores));
  w.set("tokenizer.ggml.token_type", gguf::Value::i32_array(types));
  w.set("tokenizer.ggml.unknown_token_id", gguf::Value::u32(0));
  w.set("tokenizer.ggml.bos_token_id", gguf::Value::u32(1));
  w.set("tokenizer.ggml.eos_token_id", gguf::Value::u32(2));
  w.set("tokenizer.ggml.add_bos_token", gguf::Value::boolean(true));
  w.set("tokenizer.ggml.add_eos_token", gguf::Value::boolean(false));
}

}  // namespace

void generate_model(const ModelSpec& s, const std::string& out_path,
                    const std::function<void(std::size_t, std::size_t)>& progress) {
  if (s.arch != "llama" && s.arch != "qwen2" && s.arch != "qwen3")
    fail("unsupported architecture '{}' (llama, qwen2, qwen3)", s.arch);
  if (s.hidden <= 0 || s.layers <= 0 || s.heads <= 0 || s.kv_heads <= 0 || s.ffn <= 0 || s.ctx <= 0)
    fail("model dimensions must be positive");
  if (s.heads % s.kv_heads) fail("heads must be a multiple of kv-heads");
  const std::int64_t hd = s.head_dim ? s.head_dim : s.hidden / s.heads;
  if (!s.head_dim && s.hidden % s.heads) fail("hidden must be a multiple of heads (or give head-dim)");

  gguf::Writer w;
  const std::string a = s.arch + ".";
  w.set("general.architecture", gguf::Value::string(s.arch));
  if (!s.chat_template.empty()) w.set("tokenizer.chat_template", gguf::Value::string(s.chat_template));
  w.set("general.type", gguf::Value::string("model"));
  w.set("general.name", gguf::Value::string(s.name));
  w.set(a + "context_length", gguf::Value::u32(static_cast<std::uint32_t>(s.ctx)));
  w.set(a + "embedding_length", gguf::Value::u32(static_cast<std::uint32_t>(s.hidden)));
  w.set(a + "block_count", gguf::Value::u32(static_cast<std::uint32_t>(s.layers)));
  w.set(a + "feed_forward_length", gguf::Value::u32(static_cast<std::uint32_t>(s.ffn)));
  w.set(a + "attention.head_count", gguf::Value::u32(static_cast<std::uint32_t>(s.heads)));
  w.set(a + "attention.head_count_kv", gguf::Value::u32(static_cast<std::uint32_t>(s.kv_heads)));
  w.set(a + "rope.freq_base", gguf::Value::f32(s.rope_base));
  w.set(a + "attention.layer_norm_rms_epsilon", gguf::Value::f32(s.rms_eps));
  if (s.head_dim || s.arch == "qwen3") {
    w.set(a + "attention.key_length", gguf::Value::u32(static_cast<std::uint32_t>(hd)));
    w.set(a + "attention.value_length", gguf::Value::u32(static_cast<std::uint32_t>(hd)));
  }
  if (s.arch == "llama") w.set(a + "rope.dimension_count", gguf::Value::u32(static_cast<std::uint32_t>(hd)));

  std::int64_t n_vocab = s.vocab_size;
  if (!s.vocab.empty()) {
    auto vf = gguf::File::open(s.vocab);
    for (const auto& kv : vf.metadata())
      if (kv.key.rfind("tokenizer.", 0) == 0) w.set(kv.key, kv.value);
    auto toks = vf.get_string_array("tokenizer.ggml.tokens");
    if (!toks) fail("{}: no tokenizer.ggml.tokens", s.vocab);
    n_vocab = static_cast<std::int64_t>(toks->size());
  } else {
    add_synthetic_vocab(w, n_vocab);
  }

  // Tensor list in llama.cpp's converter order.
  std::vector<TensorPlan> plan;
  const float qk_std = 1.6f / std::sqrt(static_cast<float>(s.hidden));
  plan.push_back({"token_embd.weight", {s.hidden, n_vocab}, 0.02f});
  plan.push_back({"output_norm.weight", {s.hidden}, 0.0f});
  if (!s.tied) plan.push_back({"output.weight", {s.hidden, n_vocab}, 0.02f});
  for (std::int64_t l = 0; l < s.layers; ++l) {
    auto n = [&](const char* t) { return fmt::format("blk.{}.{}", l, t); };
    plan.push_back({n("attn_norm.weight"), {s.hidden}, 0.0f});
    plan.push_back({n("attn_q.weight"), {s.hidden, s.heads * hd}, qk_std});
    plan.push_back({n("attn_k.weight"), {s.hidden, s.kv_heads * hd}, qk_std});
    plan.push_back({n("attn_v.weight"), {s.hidden, s.kv_heads * hd}, 0.02f});
    if (s.arch == "qwen2") {
      plan.push_back({n("attn_q.bias"), {s.heads * hd}, 0.05f});
      plan.push_back({n("attn_k.bias"), {s.kv_heads * hd}, 0.05f});
      plan.push_back({n("attn_v.bias"), {s.kv_heads * hd}, 0.05f});
    }
    if (s.arch == "qwen3") {
      plan.push_back({n("attn_q_norm.weight"), {hd}, 0.0f});
      plan.push_back({n("attn_k_norm.weight"), {hd}, 0.0f});
    }
    plan.push_back({n("attn_output.weight"), {s.heads * hd, s.hidden}, 0.02f});
    plan.push_back({n("ffn_norm.weight"), {s.hidden}, 0.0f});
    plan.push_back({n("ffn_gate.weight"), {s.hidden, s.ffn}, 0.02f});
    plan.push_back({n("ffn_up.weight"), {s.hidden, s.ffn}, 0.02f});
    plan.push_back({n("ffn_down.weight"), {s.ffn, s.hidden}, 0.02f});
  }

  // Types: a file type mix, or one tensor type for every matrix.
  std::vector<TensorType> types(plan.size(), TensorType::F32);
  if (auto ft = quant::parse_file_type(s.type)) {
    quant::ModelInfo info;
    info.arch = s.arch;
    info.n_layer = static_cast<int>(s.layers);
    info.n_head = static_cast<int>(s.heads);
    info.n_head_kv = static_cast<int>(s.kv_heads);
    std::vector<quant::TensorDesc> descs;
    for (const auto& t : plan) descs.push_back({t.name, t.dims, TensorType::F32});
    types = quant::choose_tensor_types(info, descs, *ft);
    w.set("general.file_type", gguf::Value::u32(static_cast<std::uint32_t>(*ft)));
  } else if (auto tt = parse_type_name(s.type)) {
    for (std::size_t i = 0; i < plan.size(); ++i)
      if (plan[i].dims.size() == 2) types[i] = *tt;
  } else {
    fail("unknown type '{}'", s.type);
  }
  w.set("general.quantization_version", gguf::Value::u32(2));

  auto pool = std::make_shared<ThreadPool>(s.threads);
  auto done = std::make_shared<std::size_t>(0);
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const TensorPlan t = plan[i];
    const TensorType type = types[i];
    if (t.dims[0] % type_info(type).block_size)
      fail("tensor {} row length {} does not fit type {}", t.name, t.dims[0], type_name(type));
    const std::uint64_t seed = s.seed ^ hash_name(t.name);
    const std::size_t total = plan.size();
    w.add_tensor(t.name, type, t.dims, [t, type, seed, pool, done, total, progress](std::uint8_t* dst, std::size_t) {
      const std::int64_t cols = t.dims[0];
      const std::int64_t rows = t.dims.size() > 1 ? t.dims[1] : 1;
      const std::size_t rb = row_bytes(type, cols);
      pool->parallel_for(rows, [&](std::int64_t r0, std::int64_t r1, int) {
        std::vector<float> row(static_cast<std::size_t>(cols));
        for (std::int64_t r = r0; r < r1; ++r) {
          if (t.stddev == 0.0f)
            std::fill(row.begin(), row.end(), 1.0f);
          else
            normal_row(seed + static_cast<std::uint64_t>(r) * 0x100000001b3ull, t.stddev, row.data(), cols);
          quant::quantize_row(type, row.data(), dst + static_cast<std::size_t>(r) * rb, cols);
        }
      });
      if (progress) progress(++*done, total);
    });
  }
  w.write(out_path);
}

}  // namespace corral::dev
