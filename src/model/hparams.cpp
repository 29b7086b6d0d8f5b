// Reading ModelParams from GGUF metadata (keys as llama.cpp's converter writes them).
#include "model/hparams.h"

#include "gguf/gguf_file.h"
#include "util/error.h"

namespace corral::model {
namespace {

std::int64_t need_uint(const gguf::File& f, const std::string& key) {
  auto v = f.get_uint(key);
  if (!v) fail("{}: missing metadata '{}'", f.name(), key);
  if (*v == 0 || *v > (1ull << 31)) fail("{}: metadata '{}' has an invalid value {}", f.name(), key, *v);
  return static_cast<std::int64_t>(*v);
}

std::int64_t opt_uint(const gguf::File& f, const std::string& key, std::int64_t def) {
  // Some converters write per-layer arrays (e.g. head_count_kv); accept them when uniform.
  if (const gguf::Value* v = f.find(key); v && v->is_array()) {
    auto arr = f.get_int_array(key);
    if (!arr || arr->empty()) fail("{}: metadata '{}' is an empty array", f.name(), key);
    for (auto x : *arr)
      if (x != (*arr)[0]) fail("{}: metadata '{}' varies per layer, which is not supported", f.name(), key);
    if ((*arr)[0] <= 0) fail("{}: metadata '{}' has an invalid value", f.name(), key);
    return (*arr)[0];
  }
  auto v = f.get_uint(key);
  if (!v) return def;
  if (*v == 0 || *v > (1ull << 31)) fail("{}: metadata '{}' has an invalid value {}", f.name(), key, *v);
  return static_cast<std::int64_t>(*v);
}

}  // namespace

std::string arch_name(Arch a) {
  switch (a) {
    case Arch::llama: return "llama";
    case Arch::qwen2: return "qwen2";
    case Arch::qwen3: return "qwen3";
  }
  return "?";
}

ModelParams read_model_params(const gguf::File& f) {
  ModelParams p;
  p.arch_name = f.architecture();
  if (p.arch_name == "llama" || p.arch_name == "mistral") {
    p.arch = Arch::llama;
    p.rope_layout = RopeLayout::normal;
  } else if (p.arch_name == "qwen2") {
    p.arch = Arch::qwen2;
    p.rope_layout = RopeLayout::neox;
  } else if (p.arch_name == "qwen3") {
    p.arch = Arch::qwen3;
    p.rope_layout = RopeLayout::neox;
  } else if (p.arch_name.empty()) {
    fail("{}: no general.architecture (a vocabulary-only file cannot be run)", f.name());
  } else {
    fail("{}: unsupported model architecture '{}' (supported: llama, qwen2, qwen3)", f.name(), p.arch_name);
  }
  const std::string a = p.arch_name + ".";
  if (f.get_uint(a + "expert_count").value_or(0) > 0)
    fail("{}: mixture-of-experts models are not supported yet", f.name());
  p.n_embd = need_uint(f, a + "embedding_length");
  p.n_layer = need_uint(f, a + "block_count");
  p.n_ff = opt_uint(f, a + "feed_forward_length", 0);
  p.n_head = opt_uint(f, a + "attention.head_count", 0);
  if (p.n_head == 0) fail("{}: missing metadata '{}attention.head_count'", f.name(), a);
  p.n_head_kv = opt_uint(f, a + "attention.head_count_kv", p.n_head);
  if (p.n_head % p.n_head_kv != 0)
    fail("{}: head_count {} is not a multiple of head_count_kv {}", f.name(), p.n_head, p.n_head_kv);
  if (p.n_embd % p.n_head != 0 && !f.find(a + "attention.key_length"))
    fail("{}: embedding_length {} is not a multiple of head_count {}", f.name(), p.n_embd, p.n_head);
  p.head_dim_k = opt_uint(f, a + "attention.key_length", p.n_embd / p.n_head);
  p.head_dim_v = opt_uint(f, a + "attention.value_length", p.head_dim_k);
  if (p.head_dim_k != p.head_dim_v) fail("{}: key_length != value_length is not supported", f.name());
  p.n_rot = opt_uint(f, a + "rope.dimension_count", p.head_dim_k);
  if (p.n_rot > p.head_dim_k || p.n_rot % 2 != 0)
    fail("{}: rope.dimension_count {} does not fit the head size {}", f.name(), p.n_rot, p.head_dim_k);
  p.n_ctx_train = opt_uint(f, a + "context_length", 2048);
  p.rms_eps = static_cast<float>(f.get_float(a + "attention.layer_norm_rms_epsilon").value_or(1e-5));
  if (!(p.rms_eps > 0 && p.rms_eps < 1)) fail("{}: invalid rms epsilon", f.name());
  p.rope_freq_base = static_cast<float>(f.get_float(a + "rope.freq_base").value_or(10000.0));
  if (!(p.rope_freq_base > 0)) fail("{}: invalid rope.freq_base", f.name());
  auto scaling = f.get_string(a + "rope.scaling.type");
  if (scaling && *scaling == "linear") {
    double factor = f.get_float(a + "rope.scaling.factor").value_or(1.0);
    if (!(factor > 0)) fail("{}: invalid rope.scaling.factor", f.name());
    p.rope_freq_scale = static_cast<float>(1.0 / factor);
  } else if (auto fs = f.get_float(a + "rope.scale_linear")) {
    p.rope_freq_scale = static_cast<float>(1.0 / *fs);
  } else if (scaling && *scaling != "none" && *scaling != "llama3") {
    fail("{}: rope scaling '{}' is not supported", f.name(), *scaling);
  }
  if (auto pt = f.get_uint(a + "pooling_type")) {
    p.has_pooling_key = true;
    switch (*pt) {
      case 0: p.pooling = Pooling::none; break;
      case 1: p.pooling = Pooling::mean; break;
      case 2: p.pooling = Pooling::cls; break;
      case 3: p.pooling = Pooling::last; break;
      default: fail("{}: unsupported pooling_type {}", f.name(), *pt);
    }
  }
  if (auto nv = f.get_uint(a + "vocab_size")) {
    p.n_vocab = static_cast<std::int64_t>(*nv);
  } else if (const gguf::Value* toks = f.find("tokenizer.ggml.tokens"); toks && toks->is_array()) {
    p.n_vocab = static_cast<std::int64_t>(toks->as_array().items.size());
  }
  return p;
}

}  // namespace corral::model
