// Binding GGUF tensors to ModelWeights with shape and type checks.
#include "model/weights.h"

#include <fmt/format.h>

#include "gguf/gguf_file.h"
#include "util/error.h"

namespace corral::model {
namespace {

class Binder {
 public:
  explicit Binder(const gguf::File& f) : f_(f) {}

  const gguf::TensorInfo* find(const std::string& name) const { return f_.find_tensor(name); }

  Matrix matrix(const std::string& name, std::int64_t n_in, std::int64_t n_out, bool required = true) const {
    const auto* t = find(name);
    if (!t) {
      if (required) fail("{}: missing tensor '{}'", f_.name(), name);
      return {};
    }
    if (t->dims.size() > 2 || t->ne(0) != n_in || (n_out > 0 && t->ne(1) != n_out))
      fail("{}: tensor '{}' has shape {}, expected [{}, {}]", f_.name(), name, shape(*t), n_in, n_out);
    check_type(*t);
    Matrix m;
    m.data = f_.tensor_data(*t);
    m.type = t->type;
    m.n_in = t->ne(0);
    m.n_out = t->ne(1);
    m.row_bytes = row_bytes(t->type, m.n_in);
    return m;
  }

  Vector vec(const std::string& name, std::int64_t n, bool required = true) const {
    const auto* t = find(name);
    if (!t) {
      if (required) fail("{}: missing tensor '{}'", f_.name(), name);
      return {};
    }
    if (t->type != TensorType::F32)
      fail("{}: tensor '{}' is {}, expected F32", f_.name(), name, type_name(t->type));
    if (t->n_elements != static_cast<std::uint64_t>(n))
      fail("{}: tensor '{}' has shape {}, expected [{}]", f_.name(), name, shape(*t), n);
    return {reinterpret_cast<const float*>(f_.tensor_data(*t)), n};
  }

 private:
  static std::string shape(const gguf::TensorInfo& t) {
    std::string s = "[";
    for (std::size_t i = 0; i < t.dims.size(); ++i) s += fmt::format("{}{}", i ? ", " : "", t.dims[i]);
    return s + "]";
  }
  void check_type(const gguf::TensorInfo& t) const {
    switch (t.type) {
      case TensorType::F32: case TensorType::F16: case TensorType::BF16:
      case TensorType::Q4_0: case TensorType::Q4_1: case TensorType::Q5_0: case TensorType::Q5_1:
      case TensorType::Q8_0: case TensorType::Q2_K: case TensorType::Q3_K: case TensorType::Q4_K:
      case TensorType::Q5_K: case TensorType::Q6_K: case TensorType::IQ4_NL: case TensorType::IQ4_XS:
        return;
      default:
        fail("{}: tensor '{}' uses type {}, which corral cannot run yet", f_.name(), t.name, type_name(t.type));
    }
  }
  const gguf::File& f_;
};

}  // namespace

ModelWeights bind_weights(const gguf::File& f, ModelParams& p) {
  Binder b(f);
  ModelWeights w;
  const auto* embd = b.find("token_embd.weight");
  if (!embd) fail("{}: missing tensor 'token_embd.weight'", f.name());
  if (p.n_vocab == 0) p.n_vocab = embd->ne(1);
  w.token_embd = b.matrix("token_embd.weight", p.n_embd, p.n_vocab);
  w.output_norm = b.vec("output_norm.weight", p.n_embd);
  w.output = b.matrix("output.weight", p.n_embd, p.n_vocab, false);
  if (!w.output) {
    w.output = w.token_embd;
    w.tied_output = true;
  }
  w.rope_freqs = b.vec("rope_freqs.weight", p.n_rot / 2, false);
  if (p.n_ff == 0) {
    if (const auto* g = b.find("blk.0.ffn_gate.weight")) p.n_ff = g->ne(1);
  }
  const std::int64_t qd = p.q_dim(), kd = p.kv_dim_k(), vd = p.kv_dim_v();
  w.layers.resize(static_cast<std::size_t>(p.n_layer));
  for (std::int64_t i = 0; i < p.n_layer; ++i) {
    auto n = [&](const char* what) { return fmt::format("blk.{}.{}", i, what); };
    auto& L = w.layers[static_cast<std::size_t>(i)];
    L.attn_norm = b.vec(n("attn_norm.weight"), p.n_embd);
    L.wq = b.matrix(n("attn_q.weight"), p.n_embd, qd);
    L.wk = b.matrix(n("attn_k.weight"), p.n_embd, kd);
    L.wv = b.matrix(n("attn_v.weight"), p.n_embd, vd);
    L.wo = b.matrix(n("attn_output.weight"), qd, p.n_embd);
    const bool biases = p.arch == Arch::qwen2;
    L.bq = b.vec(n("attn_q.bias"), qd, biases);
    L.bk = b.vec(n("attn_k.bias"), kd, biases);
    L.bv = b.vec(n("attn_v.bias"), vd, biases);
    const bool qk_norm = p.arch == Arch::qwen3;
    L.q_norm = b.vec(n("attn_q_norm.weight"), p.head_dim_k, qk_norm);
    L.k_norm = b.vec(n("attn_k_norm.weight"), p.head_dim_k, qk_norm);
    L.ffn_norm = b.vec(n("ffn_norm.weight"), p.n_embd);
    L.ffn_gate = b.matrix(n("ffn_gate.weight"), p.n_embd, p.n_ff);
    L.ffn_up = b.matrix(n("ffn_up.weight"), p.n_embd, p.n_ff);
    L.ffn_down = b.matrix(n("ffn_down.weight"), p.n_ff, p.n_embd);
  }
  return w;
}

}  // namespace corral::model
