// Hugging Face -> GGUF conversion: the tolstoy HF folder must give exactly
// the tensors of tolstoy-f32.gguf / tolstoy-f16.gguf (Q/K permuted), and
// synthetic llama / qwen2 / qwen3 folders check names, permutation, types and
// metadata. Creating a model from a safetensors folder goes through it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "safetensors_writer.h"
#include "store/convert_hf.h"
#include "store/create.h"
#include "store/media_types.h"
#include "store/modelfile_request.h"
#include "testutil/shared_data.h"
#include "testutil/temp_dir.h"
#include "util/error.h"

namespace corral::store {
namespace {

namespace fs = std::filesystem;
using namespace test_support;

// Copies tokenizer.* keys from a reference GGUF (so tensor checks do not
// depend on the tokenizer import).
std::function<void(const fs::path&, gguf::Writer&)> tokenizer_from(const fs::path& reference) {
  return [reference](const fs::path&, gguf::Writer& w) {
    const auto ref = gguf::File::open(reference.string());
    for (const auto& kv : ref.metadata())
      if (kv.key.rfind("tokenizer.", 0) == 0) w.set(kv.key, kv.value);
  };
}

void no_tokenizer(const fs::path&, gguf::Writer& w) { w.set("tokenizer.ggml.model", gguf::Value::string("none")); }

void expect_same_tensors(const gguf::File& got, const gguf::File& want) {
  ASSERT_EQ(got.tensors().size(), want.tensors().size());
  for (const auto& wt : want.tensors()) {
    const gguf::TensorInfo* gt = got.find_tensor(wt.name);
    ASSERT_TRUE(gt) << wt.name;
    EXPECT_EQ(gt->type, wt.type) << wt.name;
    EXPECT_EQ(gt->dims, wt.dims) << wt.name;
    ASSERT_EQ(gt->n_bytes, wt.n_bytes) << wt.name;
    EXPECT_EQ(std::memcmp(got.tensor_data(*gt), want.tensor_data(wt), wt.n_bytes), 0) << wt.name << " differs";
  }
}

void expect_same_hparams(const gguf::File& got, const gguf::File& want) {
  for (const auto& kv : want.metadata()) {
    if (kv.key.rfind("llama.", 0) != 0 && kv.key != "general.architecture") continue;
    const gguf::Value* v = got.find(kv.key);
    ASSERT_TRUE(v) << kv.key;
    EXPECT_EQ(v->to_display(), kv.value.to_display()) << kv.key;
  }
}

TEST(ConvertHf, TolstoyMatchesTheReferenceF32Gguf) {
  CORRAL_SHARED_FILE_OR_SKIP(hf, "models/tolstoy/hf/config.json");
  CORRAL_SHARED_FILE_OR_SKIP(ref_path, "models/tolstoy/tolstoy-f32.gguf");
  test::TempDir dir;
  const fs::path out = dir / "tolstoy.gguf";
  convert_hf_to_gguf(hf.parent_path(), out, {.type = ConvertType::f32, .write_tokenizer = tokenizer_from(ref_path)});
  const auto got = gguf::File::open(out.string());
  const auto want = gguf::File::open(ref_path.string());
  expect_same_tensors(got, want);
  expect_same_hparams(got, want);
  EXPECT_EQ(got.get_uint("general.file_type"), 0u);
}

TEST(ConvertHf, TolstoyMatchesTheReferenceF16Gguf) {
  CORRAL_SHARED_FILE_OR_SKIP(hf, "models/tolstoy/hf/config.json");
  CORRAL_SHARED_FILE_OR_SKIP(ref_path, "models/tolstoy/tolstoy-f16.gguf");
  test::TempDir dir;
  const fs::path out = dir / "tolstoy.gguf";
  std::uint64_t last = 0, total = 0;
  convert_hf_to_gguf(hf.parent_path(), out,
                     {.type = ConvertType::f16,
                      .progress = [&](std::uint64_t d, std::uint64_t t) { last = d, total = t; },
                      .write_tokenizer = tokenizer_from(ref_path)});
  const auto got = gguf::File::open(out.string());
  const auto want = gguf::File::open(ref_path.string());
  expect_same_tensors(got, want);
  EXPECT_EQ(got.get_uint("general.file_type"), 1u);
  EXPECT_EQ(last, total);
  EXPECT_GT(total, 0u);
}

TEST(ConvertHf, TolstoyTokenizerImport) {
  CORRAL_SHARED_FILE_OR_SKIP(hf, "models/tolstoy/hf/config.json");
  CORRAL_SHARED_FILE_OR_SKIP(ref_path, "models/tolstoy/tolstoy-f32.gguf");
  test::TempDir dir;
  const fs::path out = dir / "tolstoy.gguf";
  try {
    convert_hf_to_gguf(hf.parent_path(), out, {.type = ConvertType::f32});
  } catch (const Error& e) {
    if (std::string(e.what()).find("no Hugging Face tokenizer import") != std::string::npos)
      GTEST_SKIP() << "built without src/tokenizer";
    throw;
  }
  const auto got = gguf::File::open(out.string());
  const auto want = gguf::File::open(ref_path.string());
  for (const char* key : {"tokenizer.ggml.model", "tokenizer.ggml.tokens", "tokenizer.ggml.scores",
                          "tokenizer.ggml.token_type", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id",
                          "tokenizer.chat_template"}) {
    const gguf::Value* g = got.find(key);
    const gguf::Value* w = want.find(key);
    ASSERT_TRUE(g) << key;
    ASSERT_TRUE(w) << key;
    EXPECT_EQ(g->to_display(1u << 20), w->to_display(1u << 20)) << key;
  }
}

// A synthetic two-layer folder for each architecture.
struct Synthetic {
  test::TempDir dir;
  int hidden = 8, heads = 2, kv_heads = 1, head_dim = 4, ffn = 12, vocab = 16, layers = 2;
  std::vector<StEntry> extra;

  void write(const std::string& arch_class, bool biases, bool qk_norm, bool tied, const std::string& dtype = "F32",
             const std::string& extra_config = "") {
    std::vector<StEntry> t;
    t.push_back({"model.embed_tokens.weight", dtype, {vocab, hidden}, iota_values(vocab * hidden)});
    for (int i = 0; i < layers; ++i) {
      const std::string p = "model.layers." + std::to_string(i) + ".";
      t.push_back({p + "input_layernorm.weight", dtype, {hidden}, iota_values(hidden, 0.1f, 1)});
      t.push_back({p + "self_attn.q_proj.weight", dtype, {heads * head_dim, hidden}, iota_values(heads * head_dim * hidden, 0.02f)});
      t.push_back({p + "self_attn.k_proj.weight", dtype, {kv_heads * head_dim, hidden}, iota_values(kv_heads * head_dim * hidden, 0.03f)});
      t.push_back({p + "self_attn.v_proj.weight", dtype, {kv_heads * head_dim, hidden}, iota_values(kv_heads * head_dim * hidden, 0.04f)});
      t.push_back({p + "self_attn.o_proj.weight", dtype, {hidden, heads * head_dim}, iota_values(hidden * heads * head_dim, 0.05f)});
      if (biases) {
        t.push_back({p + "self_attn.q_proj.bias", dtype, {heads * head_dim}, iota_values(heads * head_dim)});
        t.push_back({p + "self_attn.k_proj.bias", dtype, {kv_heads * head_dim}, iota_values(kv_heads * head_dim)});
        t.push_back({p + "self_attn.v_proj.bias", dtype, {kv_heads * head_dim}, iota_values(kv_heads * head_dim)});
      }
      if (qk_norm) {
        t.push_back({p + "self_attn.q_norm.weight", dtype, {head_dim}, iota_values(head_dim, 0.1f, 1)});
        t.push_back({p + "self_attn.k_norm.weight", dtype, {head_dim}, iota_values(head_dim, 0.1f, 1)});
      }
      t.push_back({p + "post_attention_layernorm.weight", dtype, {hidden}, iota_values(hidden, 0.1f, 1)});
      t.push_back({p + "mlp.gate_proj.weight", dtype, {ffn, hidden}, iota_values(ffn * hidden, 0.06f)});
      t.push_back({p + "mlp.up_proj.weight", dtype, {ffn, hidden}, iota_values(ffn * hidden, 0.07f)});
      t.push_back({p + "mlp.down_proj.weight", dtype, {hidden, ffn}, iota_values(hidden * ffn, 0.08f)});
    }
    t.push_back({"model.norm.weight", dtype, {hidden}, iota_values(hidden, 0.1f, 1)});
    if (!tied) t.push_back({"lm_head.weight", dtype, {vocab, hidden}, iota_values(vocab * hidden, 0.09f)});
    t.insert(t.end(), extra.begin(), extra.end());
    // Split over two shards with an index, as big checkpoints are.
    std::vector<StEntry> a(t.begin(), t.begin() + static_cast<long>(t.size() / 2)), b(t.begin() + static_cast<long>(t.size() / 2), t.end());
    test::write_file(dir / "model-00001-of-00002.safetensors", safetensors_bytes(a));
    test::write_file(dir / "model-00002-of-00002.safetensors", safetensors_bytes(b));
    nlohmann::json index;
    for (const auto& e : a) index["weight_map"][e.name] = "model-00001-of-00002.safetensors";
    for (const auto& e : b) index["weight_map"][e.name] = "model-00002-of-00002.safetensors";
    test::write_file(dir / "model.safetensors.index.json", index.dump());
    test::write_file(dir / "config.json",
                     "{\"architectures\":[\"" + arch_class + "\"],\"hidden_size\":" + std::to_string(hidden) +
                         ",\"intermediate_size\":" + std::to_string(ffn) + ",\"num_hidden_layers\":" +
                         std::to_string(layers) + ",\"num_attention_heads\":" + std::to_string(heads) +
                         ",\"num_key_value_heads\":" + std::to_string(kv_heads) + ",\"max_position_embeddings\":64" +
                         ",\"vocab_size\":" + std::to_string(vocab) + ",\"rms_norm_eps\":1e-06,\"rope_theta\":1000000.0" +
                         ",\"tie_word_embeddings\":" + (tied ? "true" : "false") + extra_config + "}");
  }
};

std::vector<float> tensor_f32(const gguf::File& f, const std::string& name) {
  const auto* t = f.find_tensor(name);
  if (!t || t->type != TensorType::F32) throw Error("no F32 tensor " + name);
  std::vector<float> v(t->n_elements);
  std::memcpy(v.data(), f.tensor_data(*t), t->n_bytes);
  return v;
}

TEST(ConvertHf, LlamaPermutesQueryAndKeyRows) {
  Synthetic s;
  s.write("LlamaForCausalLM", false, false, false);
  const fs::path out = s.dir / "out.gguf";
  convert_hf_to_gguf(s.dir.path(), out, {.type = ConvertType::f32, .write_tokenizer = no_tokenizer});
  const auto f = gguf::File::open(out.string());
  const auto q = tensor_f32(f, "blk.0.attn_q.weight");
  const auto k = tensor_f32(f, "blk.0.attn_k.weight");
  const auto v = tensor_f32(f, "blk.0.attn_v.weight");
  const auto src_q = iota_values(static_cast<std::size_t>(s.heads * s.head_dim * s.hidden), 0.02f);
  const auto src_k = iota_values(static_cast<std::size_t>(s.kv_heads * s.head_dim * s.hidden), 0.03f);
  // head_dim 4: GGUF rows 0,1,2,3 of each head come from HF rows 0,2,1,3.
  const int order[] = {0, 2, 1, 3};
  for (int h = 0; h < s.heads; ++h)
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < s.hidden; ++c)
        EXPECT_EQ(q[(h * 4 + r) * s.hidden + c], src_q[(h * 4 + order[r]) * s.hidden + c]);
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < s.hidden; ++c) EXPECT_EQ(k[r * s.hidden + c], src_k[order[r] * s.hidden + c]);
  EXPECT_EQ(v, iota_values(static_cast<std::size_t>(s.kv_heads * s.head_dim * s.hidden), 0.04f)) << "V is not permuted";
  EXPECT_EQ(f.find_tensor("blk.0.attn_q.weight")->dims, (std::vector<std::int64_t>{8, 8}));
  EXPECT_EQ(f.find_tensor("blk.0.ffn_down.weight")->dims, (std::vector<std::int64_t>{12, 8}));
  EXPECT_EQ(f.get_uint("llama.rope.dimension_count"), 4u);
  EXPECT_EQ(f.get_uint("llama.attention.head_count_kv"), 1u);
  EXPECT_EQ(f.get_uint("llama.vocab_size"), 16u);
  EXPECT_TRUE(f.find_tensor("output.weight"));
}

TEST(ConvertHf, LlamaAttentionBiasesArePermutedToo) {
  Synthetic s;
  s.write("LlamaForCausalLM", true, false, false);
  const fs::path out = s.dir / "out.gguf";
  convert_hf_to_gguf(s.dir.path(), out, {.type = ConvertType::f32, .write_tokenizer = no_tokenizer});
  const auto f = gguf::File::open(out.string());
  const auto qb = tensor_f32(f, "blk.0.attn_q.bias");
  const auto src = iota_values(static_cast<std::size_t>(s.heads * s.head_dim));
  const int order[] = {0, 2, 1, 3};
  for (int h = 0; h < s.heads; ++h)
    for (int r = 0; r < 4; ++r) EXPECT_EQ(qb[h * 4 + r], src[h * 4 + order[r]]);
  EXPECT_EQ(tensor_f32(f, "blk.0.attn_v.bias"), iota_values(static_cast<std::size_t>(s.kv_heads * s.head_dim)));
}

TEST(ConvertHf, Qwen2KeepsRowOrderAndBiasesAndTiesEmbeddings) {
  Synthetic s;
  s.write("Qwen2ForCausalLM", true, false, true, "BF16");
  const fs::path out = s.dir / "out.gguf";
  convert_hf_to_gguf(s.dir.path(), out, {.write_tokenizer = no_tokenizer});
  const auto f = gguf::File::open(out.string());
  EXPECT_EQ(f.architecture(), "qwen2");
  EXPECT_FALSE(f.find_tensor("output.weight")) << "tied embeddings: no output tensor";
  EXPECT_EQ(f.find_tensor("blk.1.attn_q.bias")->type, TensorType::F32);
  EXPECT_EQ(f.find_tensor("blk.1.attn_q.weight")->type, TensorType::BF16) << "BF16 sources stay BF16";
  EXPECT_EQ(f.get_uint("general.file_type"), 32u);
  EXPECT_FALSE(f.find("qwen2.rope.dimension_count"));
  EXPECT_EQ(f.get_float("qwen2.rope.freq_base"), 1000000.0);
  EXPECT_EQ(f.tensors().size(), 1u + 2u * 12u + 1u);
}

TEST(ConvertHf, Qwen3QkNormAndHeadDim) {
  Synthetic s;
  s.write("Qwen3ForCausalLM", false, true, false, "F16", ",\"head_dim\":4");
  const fs::path out = s.dir / "out.gguf";
  convert_hf_to_gguf(s.dir.path(), out, {.write_tokenizer = no_tokenizer});
  const auto f = gguf::File::open(out.string());
  EXPECT_EQ(f.architecture(), "qwen3");
  EXPECT_EQ(f.find_tensor("blk.0.attn_k_norm.weight")->dims, (std::vector<std::int64_t>{4}));
  EXPECT_EQ(f.find_tensor("blk.0.attn_q.weight")->type, TensorType::F16);
  EXPECT_EQ(f.get_uint("qwen3.attention.key_length"), 4u);
  EXPECT_EQ(f.get_uint("general.file_type"), 1u);
}

TEST(ConvertHf, Llama3RopeFactors) {
  Synthetic s;
  s.head_dim = 4;
  s.write("LlamaForCausalLM", false, false, false, "F32",
          ",\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,"
          "\"high_freq_factor\":4.0,\"original_max_position_embeddings\":8192}");
  const fs::path out = s.dir / "out.gguf";
  convert_hf_to_gguf(s.dir.path(), out, {.type = ConvertType::f32, .write_tokenizer = no_tokenizer});
  const auto f = gguf::File::open(out.string());
  // theta 1e6, dim 4: freqs 1 and 1e-3 -> wavelengths 2*pi and 6283: the first
  // is below high_freq_wavelen (2048): factor 1; the second lies between: smoothed.
  const auto r = tensor_f32(f, "rope_freqs.weight");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], 1.0f);
  const double wavelen = 2 * 3.141592653589793 / (1.0f / std::pow(1e6f, 0.5f));
  const double smooth = (8192.0 / wavelen - 1.0) / 3.0;
  EXPECT_NEAR(r[1], 1.0 / ((1 - smooth) / 8.0 + smooth), 1e-5);
}

TEST(ConvertHf, ClearErrors) {
  auto err = [](Synthetic& s) -> std::string {
    try {
      convert_hf_to_gguf(s.dir.path(), s.dir / "out.gguf", {.write_tokenizer = no_tokenizer});
    } catch (const Error& e) {
      return e.what();
    }
    return "<no error>";
  };
  {
    Synthetic s;
    s.write("GPT2LMHeadModel", false, false, false);
    EXPECT_NE(err(s).find("unsupported architecture \"GPT2LMHeadModel\""), std::string::npos);
  }
  {
    Synthetic s;
    s.write("LlamaForCausalLM", false, false, false);
    fs::remove(s.dir / "model-00002-of-00002.safetensors");
    EXPECT_NE(err(s).find("cannot open"), std::string::npos) << err(s);
  }
  {
    Synthetic s;
    s.write("Qwen3ForCausalLM", false, false, false);  // qwen3 without q_norm
    EXPECT_NE(err(s).find("self_attn.q_norm.weight is missing"), std::string::npos);
  }
  {
    Synthetic s;
    s.extra.push_back({"model.layers.0.mlp.mystery.weight", "F32", {2}, {1, 2}});
    s.write("LlamaForCausalLM", false, false, false);
    EXPECT_NE(err(s).find("tensor model.layers.0.mlp.mystery.weight is not part of a llama model"), std::string::npos);
  }
  {
    Synthetic s;
    s.hidden = 6;  // shapes in the files no longer match config.json
    s.write("LlamaForCausalLM", false, false, false);
    test::write_file(s.dir / "config.json",
                     R"({"architectures":["LlamaForCausalLM"],"hidden_size":8,"intermediate_size":12,"num_hidden_layers":2,)"
                     R"("num_attention_heads":2,"num_key_value_heads":1,"max_position_embeddings":64,"vocab_size":16})");
    EXPECT_NE(err(s).find("has shape [16, 6], expected [16, 8]"), std::string::npos) << err(s);
  }
  {
    Synthetic s;
    s.write("LlamaForCausalLM", false, false, false);
    test::write_file(s.dir / "model.safetensors.index.json", R"({"weight_map":{"x":"../../etc/passwd"}})");
    EXPECT_NE(err(s).find("must be a plain file name"), std::string::npos);
  }
}

TEST(ConvertHf, CreateFromSafetensorsFolder) {
  Synthetic s;
  s.write("Qwen3ForCausalLM", false, true, false, "F32", ",\"head_dim\":4");
  test::TempDir models;
  Store store(models.path());
  ModelfileRequestOptions mo;
  mo.base_dir = s.dir.path();
  mo.digest_file = [&](const fs::path& p) { return store.import_file(p).digest; };
  ModelfileRequest mr = modelfile_to_request(parse_modelfile("FROM .\n"), mo);
  mr.request.model = "synthetic-qwen3";
  EXPECT_TRUE(mr.request.files.count("model-00001-of-00002.safetensors"));
  EXPECT_TRUE(mr.request.files.count("model.safetensors.index.json"));
  std::vector<std::string> statuses;
  CreateOptions o;
  o.convert_tokenizer = no_tokenizer;
  const CreateResult r = create_model(store, mr.request, [&](const CreateProgress& p) { statuses.push_back(p.status); }, o);
  EXPECT_EQ(statuses.front(), "converting model");
  EXPECT_EQ(statuses.back(), "success");
  const Layer* w = r.manifest.find_layer(media_type::kModel);
  ASSERT_TRUE(w);
  const auto f = gguf::File::open(store.blob_path(w->digest).string());
  EXPECT_EQ(f.architecture(), "qwen3");
  EXPECT_NE(store.read_blob(r.manifest.config.digest).find("\"model_family\":\"qwen3\""), std::string::npos);
  // The scratch folder is gone.
  for (const auto& e : fs::directory_iterator(models.path()))
    EXPECT_EQ(e.path().filename().string().find("corral-safetensors"), std::string::npos);
}

}  // namespace
}  // namespace corral::store
