// Hugging Face folder -> GGUF: config.json hyperparameters to llama.cpp keys,
// HF tensor names to llama.cpp names, llama's Q/K permutation, dtype
// conversion row by row (no whole-tensor buffers), tokenizer metadata.
#include "store/convert_hf.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <numbers>
#include <set>

#include "gguf/gguf_writer.h"
#include "store/atomic_file.h"
#include "store/safetensors.h"
#include "util/error.h"
#include "util/fp16.h"

#if defined(CORRAL_STORE_HAVE_TOKENIZER)
#include "tokenizer/vocab_gguf.h"
#include "tokenizer/vocab_hf.h"
#endif

namespace corral::store {
namespace fs = std::filesystem;

namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxJsonBytes = 64u << 20;
constexpr std::int64_t kMaxDim = std::int64_t{1} << 31;

enum class Permute { none, q, k };

struct Hparams {
  std::int64_t hidden = 0, ffn = 0, layers = 0, heads = 0, kv_heads = 0, head_dim = 0, context = 0, vocab = 0;
  bool explicit_head_dim = false;
  double rms_eps = 1e-6;
  double rope_theta = 10000.0;
  bool tied = false;
  json rope_scaling;
};

struct Source {
  const SafetensorsFile* file = nullptr;
  const StTensor* tensor = nullptr;
};

struct OutTensor {
  std::string name;
  Source src;
  Permute permute = Permute::none;
  std::int64_t head_dim = 0;  // for permuted Q/K
  TensorType type = TensorType::F32;
  std::vector<std::int64_t> dims;   // GGUF order (row length first)
  std::vector<float> values;        // computed tensors (rope_freqs)
};

json read_json(const fs::path& p) {
  try {
    return json::parse(read_small_file(p, kMaxJsonBytes));
  } catch (const json::exception& e) {
    fail("{}: not valid JSON: {}", p.string(), e.what());
  }
}

std::int64_t get_int(const json& c, const char* key, std::int64_t fallback, const fs::path& where) {
  auto it = c.find(key);
  if (it == c.end() || it->is_null()) {
    if (fallback < 0) fail("{}: \"{}\" is missing", where.string(), key);
    return fallback;
  }
  if (!it->is_number_integer()) fail("{}: \"{}\" must be an integer", where.string(), key);
  const std::int64_t v = it->get<std::int64_t>();
  if (v <= 0 || v > kMaxDim) fail("{}: \"{}\" = {} is out of range", where.string(), key, v);
  return v;
}

double get_float(const json& c, const char* key, double fallback, const fs::path& where) {
  auto it = c.find(key);
  if (it == c.end() || it->is_null()) return fallback;
  if (!it->is_number()) fail("{}: \"{}\" must be a number", where.string(), key);
  return it->get<double>();
}

Hparams read_hparams(const json& c, const fs::path& where) {
  Hparams h;
  h.hidden = get_int(c, "hidden_size", -1, where);
  h.ffn = get_int(c, "intermediate_size", -1, where);
  h.layers = get_int(c, "num_hidden_layers", -1, where);
  h.heads = get_int(c, "num_attention_heads", -1, where);
  h.kv_heads = get_int(c, "num_key_value_heads", h.heads, where);
  h.explicit_head_dim = c.contains("head_dim") && !c["head_dim"].is_null();
  h.head_dim = get_int(c, "head_dim", h.hidden / h.heads, where);
  h.context = get_int(c, "max_position_embeddings", -1, where);
  h.vocab = get_int(c, "vocab_size", -1, where);
  h.rms_eps = get_float(c, "rms_norm_eps", 1e-6, where);
  h.rope_theta = get_float(c, "rope_theta", 10000.0, where);
  if (auto t = c.find("tie_word_embeddings"); t != c.end() && t->is_boolean()) h.tied = t->get<bool>();
  if (auto r = c.find("rope_scaling"); r != c.end()) h.rope_scaling = *r;
  if (h.layers > 4096) fail("{}: {} layers is out of range", where.string(), h.layers);
  if (h.heads % h.kv_heads != 0)
    fail("{}: num_attention_heads {} is not a multiple of num_key_value_heads {}", where.string(), h.heads, h.kv_heads);
  if (h.head_dim % 2 != 0) fail("{}: head dimension {} is odd", where.string(), h.head_dim);
  return h;
}

// Files holding the weights: the index's files, or every *.safetensors.
std::vector<fs::path> weight_files(const fs::path& dir) {
  std::set<fs::path> files;
  const fs::path index = dir / "model.safetensors.index.json";
  std::error_code ec;
  if (fs::exists(index, ec)) {
    const json j = read_json(index);
    auto wm = j.find("weight_map");
    if (wm == j.end() || !wm->is_object()) fail("{}: no weight_map", index.string());
    for (auto it = wm->begin(); it != wm->end(); ++it) {
      if (!it.value().is_string()) fail("{}: weight_map.{} must be a file name", index.string(), it.key());
      const std::string f = it.value().get<std::string>();
      if (f.empty() || f.find('/') != std::string::npos || f == "." || f == "..")
        fail("{}: weight file \"{}\" must be a plain file name in the folder", index.string(), f);
      files.insert(dir / f);
    }
  } else {
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      const std::string n = e.path().filename().string();
      if (n.size() > 12 && n.substr(n.size() - 12) == ".safetensors") files.insert(e.path());
    }
  }
  if (files.empty()) fail("{}: no .safetensors files", dir.string());
  return {files.begin(), files.end()};
}

// llama3-style RoPE frequency factors (rope_freqs.weight), as llama.cpp computes them.
std::vector<float> llama3_rope_factors(const Hparams& h, const json& rs) {
  const double factor = rs.value("factor", 8.0);
  const double low = rs.value("low_freq_factor", 1.0);
  const double high = rs.value("high_freq_factor", 4.0);
  const double old_ctx = rs.value("original_max_position_embeddings", 8192.0);
  const double low_wavelen = old_ctx / low;
  const double high_wavelen = old_ctx / high;
  std::vector<float> out;
  for (std::int64_t i = 0; i < h.head_dim; i += 2) {
    const float freq = 1.0f / std::pow(static_cast<float>(h.rope_theta),
                                       static_cast<float>(i) / static_cast<float>(h.head_dim));
    const double wavelen = 2 * std::numbers::pi / freq;
    if (wavelen < high_wavelen) {
      out.push_back(1.0f);
    } else if (wavelen > low_wavelen) {
      out.push_back(static_cast<float>(factor));
    } else {
      const double smooth = (old_ctx / wavelen - low) / (high - low);
      out.push_back(static_cast<float>(1.0 / ((1 - smooth) / factor + smooth)));
    }
  }
  return out;
}

// Output row r of a permuted Q/K matrix comes from this input row: within
// each head, HF keeps the two rotary halves apart, GGUF interleaves them.
std::int64_t permuted_source_row(std::int64_t r, std::int64_t head_dim) {
  const std::int64_t h = r / head_dim, k = r % head_dim;
  const std::int64_t half = head_dim / 2;
  return h * head_dim + (k % 2) * half + k / 2;
}

TensorType output_type(const StTensor& t, ConvertType want) {
  if (t.shape.size() <= 1) return TensorType::F32;
  switch (want) {
    case ConvertType::f32: return TensorType::F32;
    case ConvertType::bf16: return TensorType::BF16;
    case ConvertType::f16: return t.dtype == StDtype::BF16 ? TensorType::BF16 : TensorType::F16;
  }
  return TensorType::F16;
}

std::uint32_t file_type_of(ConvertType want, bool any_bf16) {
  if (want == ConvertType::f32) return 0;
  if (want == ConvertType::bf16 || any_bf16) return 32;
  return 1;
}

void fill_tensor(const OutTensor& o, std::uint8_t* dst, std::size_t n_bytes) {
  if (!o.values.empty()) {
    std::memcpy(dst, o.values.data(), std::min(n_bytes, o.values.size() * sizeof(float)));
    return;
  }
  const StTensor& t = *o.src.tensor;
  // A permuted bias is a column: each element is a row of its own.
  const std::int64_t row_len = (o.permute != Permute::none && o.dims.size() == 1) ? 1 : o.dims[0];
  const std::int64_t rows = static_cast<std::int64_t>(t.n_elements) / std::max<std::int64_t>(row_len, 1);
  const std::span<const std::uint8_t> src = o.src.file->data(t);
  const std::size_t in_size = st_dtype_size(t.dtype);
  std::vector<float> row(static_cast<std::size_t>(row_len));
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int64_t from = o.permute == Permute::none ? r : permuted_source_row(r, o.head_dim);
    const std::uint8_t* in = src.data() + static_cast<std::size_t>(from * row_len) * in_size;
    for (std::int64_t i = 0; i < row_len; ++i) {
      std::uint16_t h;
      switch (t.dtype) {
        case StDtype::F32: std::memcpy(&row[i], in + 4 * i, 4); break;
        case StDtype::F16: std::memcpy(&h, in + 2 * i, 2); row[i] = fp16_to_fp32(h); break;
        case StDtype::BF16: std::memcpy(&h, in + 2 * i, 2); row[i] = bf16_to_fp32(h); break;
        default: fail("{}: tensor {} has dtype {}; only F32, F16 and BF16 are supported", o.src.file->name(), t.name,
                      st_dtype_name(t.dtype));
      }
    }
    std::uint8_t* out = dst + static_cast<std::size_t>(r) * row_bytes(o.type, row_len);
    switch (o.type) {
      case TensorType::F32: std::memcpy(out, row.data(), row.size() * 4); break;
      case TensorType::F16:
        for (std::int64_t i = 0; i < row_len; ++i) {
          const std::uint16_t v = fp32_to_fp16(row[i]);
          std::memcpy(out + 2 * i, &v, 2);
        }
        break;
      case TensorType::BF16:
        for (std::int64_t i = 0; i < row_len; ++i) {
          const std::uint16_t v = fp32_to_bf16(row[i]);
          std::memcpy(out + 2 * i, &v, 2);
        }
        break;
      default: fail("internal: unexpected output type");
    }
  }
}

}  // namespace

std::string hf_architecture_to_gguf(const std::string& a) {
  if (a == "LlamaForCausalLM" || a == "MistralForCausalLM" || a == "llama" || a == "mistral") return "llama";
  if (a == "Qwen2ForCausalLM" || a == "qwen2") return "qwen2";
  if (a == "Qwen3ForCausalLM" || a == "qwen3") return "qwen3";
  return "";
}

void convert_hf_to_gguf(const fs::path& dir, const fs::path& out_path, const ConvertHfOptions& options) {
  const fs::path config_path = dir / "config.json";
  const json config = read_json(config_path);
  if (!config.is_object()) fail("{}: must be a JSON object", config_path.string());
  std::string hf_arch;
  if (auto a = config.find("architectures"); a != config.end() && a->is_array() && !a->empty() && (*a)[0].is_string())
    hf_arch = (*a)[0].get<std::string>();
  else if (auto m = config.find("model_type"); m != config.end() && m->is_string())
    hf_arch = m->get<std::string>();
  const std::string arch = hf_architecture_to_gguf(hf_arch);
  if (arch.empty())
    fail("{}: unsupported architecture \"{}\" (supported: LlamaForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM)",
         config_path.string(), hf_arch.substr(0, 80));
  const Hparams h = read_hparams(config, config_path);

  // Open every weight file and index its tensors by name.
  std::vector<std::unique_ptr<SafetensorsFile>> files;
  std::map<std::string, Source> by_name;
  for (const auto& p : weight_files(dir)) {
    files.push_back(std::make_unique<SafetensorsFile>(SafetensorsFile::open(p.string())));
    for (const auto& t : files.back()->tensors()) {
      if (by_name.count(t.name)) fail("{}: tensor {} appears in two files", dir.string(), t.name);
      by_name[t.name] = {files.back().get(), &t};
    }
  }
  std::set<std::string> used;
  bool any_bf16 = false;

  std::vector<OutTensor> out;
  auto add = [&](const std::string& gguf_name, const std::string& hf_name, bool required, Permute permute,
                 std::vector<std::int64_t> expect_shape) {
    auto it = by_name.find(hf_name);
    if (it == by_name.end()) {
      if (required) fail("{}: tensor {} is missing", dir.string(), hf_name);
      return;
    }
    const StTensor& t = *it->second.tensor;
    if (!expect_shape.empty() && t.shape != expect_shape) {
      std::string got, want;
      for (auto d : t.shape) got += (got.empty() ? "" : ", ") + std::to_string(d);
      for (auto d : expect_shape) want += (want.empty() ? "" : ", ") + std::to_string(d);
      fail("{}: tensor {} has shape [{}], expected [{}]", it->second.file->name(), hf_name, got, want);
    }
    if (t.dtype != StDtype::F32 && t.dtype != StDtype::F16 && t.dtype != StDtype::BF16)
      fail("{}: tensor {} has dtype {}; only F32, F16 and BF16 are supported", it->second.file->name(), hf_name,
           st_dtype_name(t.dtype));
    if (t.dtype == StDtype::BF16 && t.shape.size() > 1) any_bf16 = true;
    used.insert(hf_name);
    OutTensor o;
    o.name = gguf_name;
    o.src = it->second;
    o.permute = permute;
    o.head_dim = h.head_dim;
    o.type = output_type(t, options.type);
    for (auto d = t.shape.rbegin(); d != t.shape.rend(); ++d) o.dims.push_back(*d);
    if (o.dims.empty()) o.dims.push_back(1);
    out.push_back(std::move(o));
  };

  const std::int64_t q_rows = h.heads * h.head_dim, kv_rows = h.kv_heads * h.head_dim;
  add("token_embd.weight", "model.embed_tokens.weight", true, Permute::none, {h.vocab, h.hidden});

  // RoPE scaling.
  std::string rope_type;
  double rope_factor = 0;
  if (h.rope_scaling.is_object()) {
    rope_type = h.rope_scaling.value("rope_type", h.rope_scaling.value("type", std::string()));
    if (rope_type == "llama3" && arch == "llama") {
      OutTensor o;
      o.name = "rope_freqs.weight";
      o.values = llama3_rope_factors(h, h.rope_scaling);
      o.type = TensorType::F32;
      o.dims = {static_cast<std::int64_t>(o.values.size())};
      out.push_back(std::move(o));
    } else if (rope_type == "linear") {
      rope_factor = h.rope_scaling.value("factor", 1.0);
    } else if (!rope_type.empty() && rope_type != "default") {
      fail("{}: unsupported rope_scaling type \"{}\"", config_path.string(), rope_type);
    }
  }

  const bool qk_bias = arch == "qwen2";
  const bool qk_norm = arch == "qwen3";
  const bool permute = arch == "llama";
  for (std::int64_t i = 0; i < h.layers; ++i) {
    const std::string hf = "model.layers." + std::to_string(i) + ".";
    const std::string g = "blk." + std::to_string(i) + ".";
    add(g + "attn_norm.weight", hf + "input_layernorm.weight", true, Permute::none, {h.hidden});
    add(g + "attn_q.weight", hf + "self_attn.q_proj.weight", true, permute ? Permute::q : Permute::none, {q_rows, h.hidden});
    add(g + "attn_q.bias", hf + "self_attn.q_proj.bias", qk_bias, permute ? Permute::q : Permute::none, {q_rows});
    add(g + "attn_q_norm.weight", hf + "self_attn.q_norm.weight", qk_norm, Permute::none, {h.head_dim});
    add(g + "attn_k.weight", hf + "self_attn.k_proj.weight", true, permute ? Permute::k : Permute::none, {kv_rows, h.hidden});
    add(g + "attn_k.bias", hf + "self_attn.k_proj.bias", qk_bias, permute ? Permute::k : Permute::none, {kv_rows});
    add(g + "attn_k_norm.weight", hf + "self_attn.k_norm.weight", qk_norm, Permute::none, {h.head_dim});
    add(g + "attn_v.weight", hf + "self_attn.v_proj.weight", true, Permute::none, {kv_rows, h.hidden});
    add(g + "attn_v.bias", hf + "self_attn.v_proj.bias", qk_bias, Permute::none, {kv_rows});
    add(g + "attn_output.weight", hf + "self_attn.o_proj.weight", true, Permute::none, {h.hidden, q_rows});
    add(g + "ffn_norm.weight", hf + "post_attention_layernorm.weight", true, Permute::none, {h.hidden});
    add(g + "ffn_gate.weight", hf + "mlp.gate_proj.weight", true, Permute::none, {h.ffn, h.hidden});
    add(g + "ffn_up.weight", hf + "mlp.up_proj.weight", true, Permute::none, {h.ffn, h.hidden});
    add(g + "ffn_down.weight", hf + "mlp.down_proj.weight", true, Permute::none, {h.hidden, h.ffn});
  }
  add("output_norm.weight", "model.norm.weight", true, Permute::none, {h.hidden});
  add("output.weight", "lm_head.weight", !h.tied, Permute::none, {h.vocab, h.hidden});

  for (const auto& [name, src] : by_name) {
    if (used.count(name)) continue;
    if (name.size() > 22 && name.substr(name.size() - 22) == "rotary_emb.inv_freq") continue;
    if (name == "lm_head.weight" && h.tied) continue;
    fail("{}: tensor {} is not part of a {} model", src.file->name(), name, arch);
  }

  gguf::Writer w;
  const std::string a = arch + ".";
  w.set("general.architecture", gguf::Value::string(arch));
  w.set("general.type", gguf::Value::string("model"));
  if (arch == "llama") w.set(a + "vocab_size", gguf::Value::u32(static_cast<std::uint32_t>(h.vocab)));
  w.set(a + "context_length", gguf::Value::u32(static_cast<std::uint32_t>(h.context)));
  w.set(a + "embedding_length", gguf::Value::u32(static_cast<std::uint32_t>(h.hidden)));
  w.set(a + "block_count", gguf::Value::u32(static_cast<std::uint32_t>(h.layers)));
  w.set(a + "feed_forward_length", gguf::Value::u32(static_cast<std::uint32_t>(h.ffn)));
  if (arch == "llama") w.set(a + "rope.dimension_count", gguf::Value::u32(static_cast<std::uint32_t>(h.head_dim)));
  w.set(a + "attention.head_count", gguf::Value::u32(static_cast<std::uint32_t>(h.heads)));
  w.set(a + "attention.head_count_kv", gguf::Value::u32(static_cast<std::uint32_t>(h.kv_heads)));
  if (h.explicit_head_dim) {
    w.set(a + "attention.key_length", gguf::Value::u32(static_cast<std::uint32_t>(h.head_dim)));
    w.set(a + "attention.value_length", gguf::Value::u32(static_cast<std::uint32_t>(h.head_dim)));
  }
  w.set(a + "attention.layer_norm_rms_epsilon", gguf::Value::f32(static_cast<float>(h.rms_eps)));
  w.set(a + "rope.freq_base", gguf::Value::f32(static_cast<float>(h.rope_theta)));
  if (rope_type == "linear") {
    w.set(a + "rope.scaling.type", gguf::Value::string("linear"));
    w.set(a + "rope.scaling.factor", gguf::Value::f32(static_cast<float>(rope_factor)));
  }
  w.set("general.file_type", gguf::Value::u32(file_type_of(options.type, any_bf16)));
  w.set("general.quantization_version", gguf::Value::u32(2));

  if (options.write_tokenizer) {
    options.write_tokenizer(dir, w);
  } else {
#if defined(CORRAL_STORE_HAVE_TOKENIZER)
    tokenizer::write_vocab_metadata(tokenizer::vocab_from_hf(dir), w);
#else
    fail("{}: cannot convert the tokenizer: this build has no Hugging Face tokenizer import", dir.string());
#endif
  }

  std::uint64_t total = 0;
  for (const auto& o : out) {
    std::int64_t n = 1;
    for (auto d : o.dims) n *= d;
    total += row_bytes(o.type, o.dims[0]) * static_cast<std::uint64_t>(n / o.dims[0]);
  }
  std::uint64_t done = 0;
  for (const auto& o : out) {
    const OutTensor* op = &o;
    w.add_tensor(o.name, o.type, o.dims, [op, &done, total, &options](std::uint8_t* dst, std::size_t n) {
      fill_tensor(*op, dst, n);
      done += n;
      if (options.progress) options.progress(done, total);
    });
  }
  w.write(out_path.string());
}

}  // namespace corral::store
