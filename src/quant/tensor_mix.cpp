// Per-tensor type choice for whole-model quantization, following
// llama-quantize's llama_tensor_get_type for the supported file types.
// The attn_v / ffn_down rules depend on counters advanced in llama-quantize's
// tensor order, so the tensors are visited in that order.
#include "quant/tensor_mix.h"

#include <algorithm>
#include <charconv>
#include <numeric>

#include "util/error.h"

namespace corral::quant {
namespace {

using FT = FileType;
using TT = TensorType;

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }
bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The N of a "blk.N." prefix, or -1.
int layer_of(const std::string& name) {
  if (name.rfind("blk.", 0) != 0) return -1;
  int layer = -1;
  const char* begin = name.data() + 4;
  const char* end = name.data() + name.size();
  auto [p, ec] = std::from_chars(begin, end, layer);
  if (ec != std::errc() || p == end || *p != '.') return -1;
  return layer;
}

// ggml_n_dims: dimensions up to the last one larger than 1 (at least 1).
int n_dims(const std::vector<std::int64_t>& dims) {
  int n = 1;
  for (int i = 0; i < static_cast<int>(dims.size()); ++i)
    if (dims[i] > 1) n = i + 1;
  return n;
}

bool is_quantized_type(TT t) { return t != TT::F32 && t != TT::F16 && t != TT::BF16; }

// Layers that get more bits in the _M mixes: the first and last eighth and every third one between.
bool use_more_bits(int i_layer, int n_layers) {
  return i_layer < n_layers / 8 || i_layer >= 7 * n_layers / 8 || (i_layer - n_layers / 8) % 3 == 2;
}

// llama.cpp's LLM_TYPE_70B, the one model size the rules single out.
bool is_70b(const ModelInfo& m) {
  if (m.n_layer != 80) return false;
  if (m.arch == "llama") return m.n_expert != 8 && m.n_head != m.n_head_kv;
  return m.arch == "deci" || m.arch == "qwen2" || m.arch == "olmo";
}

class Chooser {
 public:
  Chooser(const ModelInfo& model, std::span<const TensorDesc> tensors, FT ftype) : m_(model), ftype_(ftype) {
    for (const auto& t : tensors) {
      if (contains(t.name, "attn_v.weight") || contains(t.name, "attn_qkv.weight") || contains(t.name, "attn_kv_b.weight"))
        ++n_attention_wv_;
      else if (t.name == "output.weight")
        has_output_ = true;
    }
    n_gqa_ = m_.n_head_kv > 0 ? m_.n_head / m_.n_head_kv : 0;
    falcon_ = m_.arch == "falcon";
  }

  TT choose(const TensorDesc& t) {
    if (!is_quantizable(t)) return t.type;
    TT type = base_tensor_type(ftype_);
    if (is_quantized_type(type)) type = refine(t, type);
    return type;
  }

 private:
  // llama_tensor_get_type for the supported file types.
  TT refine(const TensorDesc& t, TT type) {
    const std::string& name = t.name;
    const std::int64_t nx = t.dims[0];
    if (name == "output.weight" || (!has_output_ && name == "token_embd.weight")) {
      if (falcon_ || nx % type_info(type).block_size != 0)
        type = TT::Q8_0;
      else if (type != TT::Q8_0)
        type = TT::Q6_K;
    } else if (name == "token_embd.weight") {
      // only the IQ1/IQ2/IQ3/TQ file types change it
    } else if (contains(name, "attn_v.weight")) {
      type = attn_v_type(type);
    } else if (contains(name, "attn_k.weight")) {
      if (m_.n_expert == 8) type = TT::Q8_0;
    } else if (contains(name, "attn_q.weight")) {
      // only the IQ3 file types change it
    } else if (contains(name, "ffn_down")) {
      type = ffn_down_type(name, type);
    } else if (contains(name, "attn_output.weight")) {
      type = attn_output_type(type);
    } else if (contains(name, "attn_qkv.weight")) {
      if (ftype_ == FT::Q3_K_M || ftype_ == FT::Q3_K_L)
        type = TT::Q4_K;
      else if (ftype_ == FT::Q4_K_M)
        type = TT::Q5_K;
      else if (ftype_ == FT::Q5_K_M)
        type = TT::Q6_K;
    } else if (contains(name, "ffn_gate")) {
      ++i_ffn_gate_;  // counted, but only the IQ3_XS rule uses it
    } else if (contains(name, "ffn_up")) {
      ++i_ffn_up_;
    }
    return fall_back_if_needed(t, type);
  }

  TT attn_v_type(TT type) {
    const int i = i_attention_wv_;
    if (ftype_ == FT::Q2_K)
      type = n_gqa_ >= 4 ? TT::Q4_K : TT::Q3_K;
    else if (ftype_ == FT::Q3_K_M)
      type = i < 2 ? TT::Q5_K : TT::Q4_K;
    else if (ftype_ == FT::Q3_K_L)
      type = TT::Q5_K;
    else if ((ftype_ == FT::IQ4_NL || ftype_ == FT::IQ4_XS) && n_gqa_ >= 4)
      type = TT::Q5_K;
    else if ((ftype_ == FT::Q4_K_M || ftype_ == FT::Q5_K_M) && use_more_bits(i, n_attention_wv_))
      type = TT::Q6_K;
    else if (ftype_ == FT::Q4_K_S && i < 4)
      type = TT::Q5_K;
    if (is_70b(m_) && (type == TT::Q3_K || type == TT::Q4_K)) type = TT::Q5_K;
    if (m_.n_expert == 8) type = TT::Q8_0;
    ++i_attention_wv_;
    return type;
  }

  TT ffn_down_type(const std::string& name, TT type) {
    int i_layer = i_ffn_down_;
    const int n_layer = m_.n_layer;
    if (m_.n_expert > 1) {  // expert tensors are not in layer order: take the layer from the name
      i_layer = layer_of(name);
      if (i_layer < 0 || i_layer >= n_layer) fail("quantize: cannot tell the layer of tensor '{}'", name);
    }
    const bool more = use_more_bits(i_layer, n_layer);
    if (ftype_ == FT::Q2_K) {
      type = TT::Q3_K;
    } else if (ftype_ == FT::Q3_K_M) {
      type = i_layer < n_layer / 16 ? TT::Q5_K : (!falcon_ || more) ? TT::Q4_K : TT::Q3_K;
    } else if (ftype_ == FT::Q3_K_L) {
      type = falcon_ ? TT::Q4_K : TT::Q5_K;
    } else if (ftype_ == FT::Q4_K_M) {
      if (falcon_)
        type = i_layer < n_layer / 16 ? TT::Q6_K : more ? TT::Q5_K : TT::Q4_K;
      else if (more)
        type = TT::Q6_K;
    } else if (i_layer < n_layer / 8 && (ftype_ == FT::IQ4_NL || ftype_ == FT::IQ4_XS)) {
      type = TT::Q5_K;
    } else if (ftype_ == FT::Q5_K_M && more) {
      type = TT::Q6_K;
    } else if (ftype_ == FT::Q4_K_S && !falcon_ && i_layer < n_layer / 8) {
      type = TT::Q5_K;
    }
    ++i_ffn_down_;
    return type;
  }

  TT attn_output_type(TT type) const {
    if (falcon_) return ftype_ == FT::Q3_K_L ? TT::Q4_K : type;
    if (m_.n_expert == 8) {
      switch (ftype_) {
        case FT::Q2_K:
        case FT::Q3_K_S:
        case FT::Q3_K_M:
        case FT::IQ4_NL:
        case FT::Q4_K_S:
        case FT::Q4_K_M:
        case FT::IQ4_XS: return TT::Q5_K;
        default: return type;
      }
    }
    if (ftype_ == FT::Q2_K) return TT::Q3_K;
    if (ftype_ == FT::Q3_K_M) return TT::Q4_K;
    if (ftype_ == FT::Q3_K_L) return TT::Q5_K;
    return type;
  }

  // A row length the type's block size does not divide: a nearby type with blocks of 32, or F16.
  static TT fall_back_if_needed(const TensorDesc& t, TT type) {
    const std::int64_t nx = t.dims[0];
    if (nx % type_info(type).block_size == 0) return type;
    TT fallback;
    switch (type) {
      case TT::Q2_K:
      case TT::Q3_K:
      case TT::IQ4_XS: fallback = TT::IQ4_NL; break;
      case TT::Q4_K: fallback = TT::Q5_0; break;
      case TT::Q5_K: fallback = TT::Q5_1; break;
      case TT::Q6_K: fallback = TT::Q8_0; break;
      default:
        fail("quantize: tensor '{}' has rows of {} values, not a multiple of the {} block size {}", t.name, nx,
             type_name(type), type_info(type).block_size);
    }
    if (nx % type_info(fallback).block_size != 0) fallback = TT::F16;
    return fallback;
  }

  const ModelInfo& m_;
  FT ftype_;
  int n_attention_wv_ = 0;
  bool has_output_ = false;
  int n_gqa_ = 0;
  bool falcon_ = false;
  int i_attention_wv_ = 0, i_ffn_down_ = 0, i_ffn_gate_ = 0, i_ffn_up_ = 0;
};

std::optional<std::int64_t> uint_key(const gguf::File& f, const std::string& key) {
  const gguf::Value* v = f.find(key);
  if (!v) return std::nullopt;
  if (v->is_integer()) return v->as_i64();
  if (v->is_array() && !v->as_array().items.empty() && v->as_array().items[0].is_integer())
    return v->as_array().items[0].as_i64();  // per-layer arrays: layer 0, as llama.cpp's n_gqa()
  fail("{}: metadata '{}' is not an integer", f.name(), key);
}

int clamp_count(std::int64_t v) { return static_cast<int>(std::clamp<std::int64_t>(v, 0, 1 << 20)); }

}  // namespace

ModelInfo ModelInfo::from_gguf(const gguf::File& file) {
  ModelInfo m;
  m.arch = file.architecture();
  if (m.arch.empty()) fail("{}: cannot quantize: metadata 'general.architecture' is missing", file.name());
  const std::string p = m.arch + ".";
  const auto n_layer = uint_key(file, p + "block_count");
  if (!n_layer) fail("{}: cannot quantize: metadata '{}block_count' is missing", file.name(), p);
  m.n_layer = clamp_count(*n_layer);
  m.n_head = clamp_count(uint_key(file, p + "attention.head_count").value_or(0));
  m.n_head_kv = clamp_count(uint_key(file, p + "attention.head_count_kv").value_or(m.n_head));
  m.n_expert = clamp_count(uint_key(file, p + "expert_count").value_or(0));
  return m;
}

bool is_quantizable(const TensorDesc& t) {
  const std::string& n = t.name;
  if (!ends_with(n, "weight") || t.dims.empty() || n_dims(t.dims) < 2) return false;
  if (contains(n, "_norm.weight") || contains(n, "ffn_gate_inp.weight")) return false;
  if (n == "position_embd.weight" || n == "token_types.weight") return false;
  for (std::string_view skip : {"ssm_conv1d.weight", "time_mix_first.weight", "time_mix_w1.weight", "time_mix_w2.weight",
                                "time_mix_decay_w1.weight", "time_mix_decay_w2.weight", "time_mix_lerp_fused.weight",
                                "attn_rel_b.weight"})
    if (contains(n, skip)) return false;
  return true;
}

bool comes_before(const std::string& a, const std::string& b) {
  const int la = layer_of(a), lb = layer_of(b);
  if (la != lb) return la < lb;
  return a < b;
}

std::vector<TensorType> choose_tensor_types(const ModelInfo& model, std::span<const TensorDesc> tensors, FileType ftype) {
  std::vector<std::size_t> order(tensors.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return comes_before(tensors[x].name, tensors[y].name); });
  Chooser chooser(model, tensors, ftype);
  std::vector<TensorType> out(tensors.size());
  for (std::size_t i : order) out[i] = chooser.choose(tensors[i]);
  return out;
}

}  // namespace corral::quant
