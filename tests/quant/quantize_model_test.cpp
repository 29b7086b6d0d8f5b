// quantize_model on a small llama-shaped GGUF written here: tensor types and
// order, metadata, data that dequantizes close to the source (and equals
// quantize_row of it), thread-count independence, progress, and failures that
// leave nothing behind.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <vector>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "quant/dequantize.h"
#include "quant/normal_data.h"
#include "quant/quantize.h"
#include "quant/quantize_model.h"
#include "testutil/temp_dir.h"
#include "util/error.h"
#include "util/fp16.h"

namespace corral::quant {
namespace {

using TT = TensorType;

struct SourceTensor {
  std::string name;
  std::vector<std::int64_t> dims;
  TT type;
  std::vector<float> values;
};

// A 4-layer llama (hidden 256, 4 heads / 2 KV heads, ffn 512, vocab 300) with normal(0, 0.02) weights;
// ffn_up is stored as F16 and ffn_gate as BF16 to exercise the conversion of non-F32 inputs.
std::vector<SourceTensor> small_llama() {
  std::vector<SourceTensor> t;
  auto add = [&](const std::string& name, std::vector<std::int64_t> dims, TT type, bool ones) {
    std::int64_t n = 1;
    for (auto d : dims) n *= d;
    std::vector<float> v = test::normal_values(static_cast<std::size_t>(n), 1000 + t.size());
    for (auto& x : v) x = ones ? 1.f : x * 0.02f;
    if (type == TT::F16)
      for (auto& x : v) x = round_fp16(x);
    if (type == TT::BF16)
      for (auto& x : v) x = bf16_to_fp32(fp32_to_bf16(x));
    t.push_back({name, std::move(dims), type, std::move(v)});
  };
  add("token_embd.weight", {256, 300}, TT::F32, false);
  for (int i = 0; i < 4; ++i) {
    const std::string p = "blk." + std::to_string(i) + ".";
    add(p + "attn_norm.weight", {256}, TT::F32, true);
    add(p + "attn_q.weight", {256, 256}, TT::F32, false);
    add(p + "attn_k.weight", {256, 128}, TT::F32, false);
    add(p + "attn_v.weight", {256, 128}, TT::F32, false);
    add(p + "attn_output.weight", {256, 256}, TT::F32, false);
    add(p + "ffn_norm.weight", {256}, TT::F32, true);
    add(p + "ffn_gate.weight", {256, 512}, TT::BF16, false);
    add(p + "ffn_up.weight", {256, 512}, TT::F16, false);
    add(p + "ffn_down.weight", {512, 256}, TT::F32, false);
  }
  add("output_norm.weight", {256}, TT::F32, true);
  add("output.weight", {256, 300}, TT::F32, false);
  return t;
}

std::vector<std::uint8_t> encode(const SourceTensor& t) {
  std::vector<std::uint8_t> out(row_bytes(t.type, static_cast<std::int64_t>(t.values.size())));
  quantize_activations(t.type, t.values.data(), out.data(), static_cast<std::int64_t>(t.values.size()));  // plain conversion
  return out;
}

void write_model(const std::filesystem::path& path, const std::vector<SourceTensor>& tensors) {
  gguf::Writer w;
  w.set("general.architecture", gguf::Value::string("llama"));
  w.set("general.name", gguf::Value::string("small"));
  w.set("general.file_type", gguf::Value::u32(0));
  w.set("llama.block_count", gguf::Value::u32(4));
  w.set("llama.embedding_length", gguf::Value::u32(256));
  w.set("llama.attention.head_count", gguf::Value::u32(4));
  w.set("llama.attention.head_count_kv", gguf::Value::u32(2));
  w.set("split.count", gguf::Value::u32(1));
  std::vector<std::vector<std::uint8_t>> data;
  for (const auto& t : tensors) data.push_back(encode(t));
  for (std::size_t i = 0; i < tensors.size(); ++i) w.add_tensor(tensors[i].name, tensors[i].type, tensors[i].dims, data[i].data());
  w.write(path.string());
}

std::vector<float> dequantize_tensor(const gguf::File& f, const gguf::TensorInfo& t) {
  std::vector<float> out(t.n_elements);
  const std::int64_t n = t.dims[0];
  for (std::int64_t r = 0; r < t.rows(); ++r)
    dequantize_row(t.type, f.tensor_data(t) + static_cast<std::size_t>(r) * row_bytes(t.type, n), out.data() + r * n, n);
  return out;
}

class QuantizeModel : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = small_llama();
    write_model(dir_ / "in.gguf", source_);
  }
  ::corral::test::TempDir dir_;
  std::vector<SourceTensor> source_;
};

TEST_F(QuantizeModel, Q4_K_MTypesOrderMetadataAndData) {
  const auto in = gguf::File::open((dir_ / "in.gguf").string());
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  quantize_model(in, (dir_ / "out.gguf").string(), FileType::Q4_K_M, 2,
                 [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); });
  const auto out = gguf::File::open((dir_ / "out.gguf").string());

  EXPECT_EQ(out.get_uint("general.file_type"), 15u);
  EXPECT_EQ(out.get_uint("general.quantization_version"), 2u);
  EXPECT_EQ(out.get_string("general.name"), "small");
  EXPECT_EQ(out.get_uint("llama.attention.head_count_kv"), 2u);
  EXPECT_EQ(out.find("split.count"), nullptr);
  EXPECT_EQ(out.metadata()[0].key, "general.architecture");  // order kept

  // llama-quantize order: non-layer tensors by name, then each layer's tensors by name.
  std::vector<std::string> names;
  for (const auto& t : out.tensors()) names.push_back(t.name);
  ASSERT_EQ(names.size(), source_.size());
  EXPECT_EQ(names[0], "output.weight");
  EXPECT_EQ(names[1], "output_norm.weight");
  EXPECT_EQ(names[2], "token_embd.weight");
  EXPECT_EQ(names[3], "blk.0.attn_k.weight");
  EXPECT_EQ(names[11], "blk.0.ffn_up.weight");
  EXPECT_EQ(names[12], "blk.1.attn_k.weight");

  // As llama-quantize chose for the 4-layer golden model: more bits on layers 2 and 3.
  std::map<std::string, TT> expected = {{"output.weight", TT::Q6_K}, {"output_norm.weight", TT::F32},
                                        {"token_embd.weight", TT::Q4_K}};
  for (int i = 0; i < 4; ++i) {
    const std::string p = "blk." + std::to_string(i) + ".";
    const TT more = i >= 2 ? TT::Q6_K : TT::Q4_K;
    expected[p + "attn_norm.weight"] = TT::F32;
    expected[p + "ffn_norm.weight"] = TT::F32;
    expected[p + "attn_q.weight"] = TT::Q4_K;
    expected[p + "attn_k.weight"] = TT::Q4_K;
    expected[p + "attn_v.weight"] = more;
    expected[p + "attn_output.weight"] = TT::Q4_K;
    expected[p + "ffn_gate.weight"] = TT::Q4_K;
    expected[p + "ffn_up.weight"] = TT::Q4_K;
    expected[p + "ffn_down.weight"] = more;
  }
  for (const auto& t : out.tensors()) EXPECT_EQ(type_name(t.type), type_name(expected.at(t.name))) << t.name;

  // Every tensor: the bytes are quantize_row of the source values, and they dequantize close to them.
  for (const auto& src : source_) {
    const auto* t = out.find_tensor(src.name);
    ASSERT_NE(t, nullptr) << src.name;
    EXPECT_EQ(t->dims, src.dims);
    std::vector<std::uint8_t> want(t->n_bytes);
    const std::int64_t n = src.dims[0];
    for (std::int64_t r = 0; r * n < static_cast<std::int64_t>(src.values.size()); ++r)
      quantize_row(t->type, src.values.data() + r * n, want.data() + static_cast<std::size_t>(r) * row_bytes(t->type, n), n);
    EXPECT_EQ(0, std::memcmp(want.data(), out.tensor_data(*t), want.size())) << src.name;
    const auto back = dequantize_tensor(out, *t);
    double err2 = 0, x2 = 0;
    for (std::size_t i = 0; i < back.size(); ++i) {
      err2 += (back[i] - src.values[i]) * (back[i] - src.values[i]);
      x2 += src.values[i] * src.values[i];
    }
    EXPECT_LE(std::sqrt(err2 / x2), 0.08) << src.name;  // Q4_K's relative RMSE is about 0.071
  }

  ASSERT_GE(calls.size(), 2u);
  EXPECT_EQ(calls.front().first, 0u);
  EXPECT_EQ(calls.back().first, calls.back().second);
  for (std::size_t i = 1; i < calls.size(); ++i) EXPECT_GE(calls[i].first, calls[i - 1].first);
}

TEST_F(QuantizeModel, ThreadCountDoesNotChangeTheBytes) {
  const auto in = gguf::File::open((dir_ / "in.gguf").string());
  quantize_model(in, (dir_ / "one.gguf").string(), FileType::Q3_K_M, 1, {});
  quantize_model(in, (dir_ / "three.gguf").string(), FileType::Q3_K_M, 3, {});
  const auto a = gguf::File::open((dir_ / "one.gguf").string());
  const auto b = gguf::File::open((dir_ / "three.gguf").string());
  ASSERT_EQ(a.file_size(), b.file_size());
  EXPECT_EQ(0, std::memcmp(a.bytes().data(), b.bytes().data(), a.file_size()));
}

TEST_F(QuantizeModel, F16KeepsNormsAndConvertsWeights) {
  const auto in = gguf::File::open((dir_ / "in.gguf").string());
  quantize_model(in, (dir_ / "f16.gguf").string(), FileType::F16, 0, {});
  const auto out = gguf::File::open((dir_ / "f16.gguf").string());
  EXPECT_EQ(out.get_uint("general.file_type"), 1u);
  for (const auto& t : out.tensors()) {
    const bool norm = t.name.find("norm") != std::string::npos;
    EXPECT_EQ(t.type, norm ? TT::F32 : TT::F16) << t.name;
  }
  // ffn_up was F16 already: copied bit for bit.
  const auto* up = out.find_tensor("blk.1.ffn_up.weight");
  const auto* up_in = in.find_tensor("blk.1.ffn_up.weight");
  EXPECT_EQ(0, std::memcmp(out.tensor_data(*up), in.tensor_data(*up_in), up->n_bytes));
}

TEST_F(QuantizeModel, NonFiniteWeightFailsAndLeavesNothing) {
  source_[2].values[1000] = std::numeric_limits<float>::infinity();  // blk.0.attn_q.weight
  write_model(dir_ / "bad.gguf", source_);
  const auto in = gguf::File::open((dir_ / "bad.gguf").string());
  try {
    quantize_model(in, (dir_ / "out.gguf").string(), FileType::Q8_0, 2, {});
    ADD_FAILURE() << "accepted an infinite weight";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("blk.0.attn_q.weight"), std::string::npos) << e.what();
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path()))
    EXPECT_TRUE(entry.path().filename() == "in.gguf" || entry.path().filename() == "bad.gguf") << entry.path();
}

TEST_F(QuantizeModel, MissingBlockCountIsAnError) {
  gguf::Writer w;
  w.set("general.architecture", gguf::Value::string("llama"));
  std::vector<float> v(64, 0.5f);
  w.add_tensor("blk.0.attn_q.weight", TT::F32, {32, 2}, v.data());
  w.write((dir_ / "nometa.gguf").string());
  const auto in = gguf::File::open((dir_ / "nometa.gguf").string());
  EXPECT_THROW(quantize_model(in, (dir_ / "out.gguf").string(), FileType::Q4_0, 1, {}), Error);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out.gguf"));
}

}  // namespace
}  // namespace corral::quant
