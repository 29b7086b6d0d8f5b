// Per-tensor type choice against llama-quantize's known behaviour: the
// expected types of a llama-shaped model were worked out by hand from
// llama-quantize's rules for every file type; the golden files in
// shared/golden are real llama-quantize outputs and must be reproduced exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "gguf/gguf_file.h"
#include "quant/file_type.h"
#include "quant/tensor_mix.h"
#include "testutil/shared_data.h"
#include "util/error.h"

namespace corral::quant {
namespace {

using TT = TensorType;
using FT = FileType;

struct LlamaShape {
  int n_layer, hidden, ffn, n_head, n_head_kv, vocab;
  bool tied;
};

std::vector<TensorDesc> llama_tensors(const LlamaShape& s) {
  const std::int64_t kv = static_cast<std::int64_t>(s.hidden) / s.n_head * s.n_head_kv;
  std::vector<TensorDesc> t;
  t.push_back({"token_embd.weight", {s.hidden, s.vocab}, TT::F32});
  for (int i = 0; i < s.n_layer; ++i) {
    const std::string p = "blk." + std::to_string(i) + ".";
    t.push_back({p + "attn_norm.weight", {s.hidden}, TT::F32});
    t.push_back({p + "attn_q.weight", {s.hidden, s.hidden}, TT::F32});
    t.push_back({p + "attn_k.weight", {s.hidden, kv}, TT::F32});
    t.push_back({p + "attn_v.weight", {s.hidden, kv}, TT::F32});
    t.push_back({p + "attn_output.weight", {s.hidden, s.hidden}, TT::F32});
    t.push_back({p + "ffn_norm.weight", {s.hidden}, TT::F32});
    t.push_back({p + "ffn_gate.weight", {s.hidden, s.ffn}, TT::F32});
    t.push_back({p + "ffn_up.weight", {s.hidden, s.ffn}, TT::F32});
    t.push_back({p + "ffn_down.weight", {s.ffn, s.hidden}, TT::F32});
  }
  t.push_back({"output_norm.weight", {s.hidden}, TT::F32});
  if (!s.tied) t.push_back({"output.weight", {s.hidden, s.vocab}, TT::F32});
  return t;
}

ModelInfo llama_info(const LlamaShape& s) { return {"llama", s.n_layer, s.n_head, s.n_head_kv, 0}; }

std::map<std::string, TT> choose(const LlamaShape& s, FT ft) {
  const auto tensors = llama_tensors(s);
  const auto types = choose_tensor_types(llama_info(s), tensors, ft);
  std::map<std::string, TT> out;
  for (std::size_t i = 0; i < tensors.size(); ++i) out[tensors[i].name] = types[i];
  return out;
}

// Hand-worked expectations for an 8-layer model, hidden 512, ffn 1536, 8 heads / 2 KV heads (GQA 4),
// separate output. "More bits" layers of the _M mixes for 8 layers: 0, 3, 6, 7.
struct Expected {
  FT ftype;
  TT embd, output, attn_q, attn_k, attn_output, ffn_gate_up;
  TT attn_v[8];
  TT ffn_down[8];
};

// clang-format off
const Expected kExpected[] = {
  {FT::Q4_0, TT::Q4_0, TT::Q6_K, TT::Q4_0, TT::Q4_0, TT::Q4_0, TT::Q4_0,
   {TT::Q4_0, TT::Q4_0, TT::Q4_0, TT::Q4_0, TT::Q4_0, TT::Q4_0, TT::Q4_0, TT::Q4_0},
   {TT::Q4_0, TT::Q4_0, TT::Q4_0, TT::Q4_0, TT::Q4_0, TT::Q4_0, TT::Q4_0, TT::Q4_0}},
  {FT::Q4_1, TT::Q4_1, TT::Q6_K, TT::Q4_1, TT::Q4_1, TT::Q4_1, TT::Q4_1,
   {TT::Q4_1, TT::Q4_1, TT::Q4_1, TT::Q4_1, TT::Q4_1, TT::Q4_1, TT::Q4_1, TT::Q4_1},
   {TT::Q4_1, TT::Q4_1, TT::Q4_1, TT::Q4_1, TT::Q4_1, TT::Q4_1, TT::Q4_1, TT::Q4_1}},
  {FT::Q5_0, TT::Q5_0, TT::Q6_K, TT::Q5_0, TT::Q5_0, TT::Q5_0, TT::Q5_0,
   {TT::Q5_0, TT::Q5_0, TT::Q5_0, TT::Q5_0, TT::Q5_0, TT::Q5_0, TT::Q5_0, TT::Q5_0},
   {TT::Q5_0, TT::Q5_0, TT::Q5_0, TT::Q5_0, TT::Q5_0, TT::Q5_0, TT::Q5_0, TT::Q5_0}},
  {FT::Q5_1, TT::Q5_1, TT::Q6_K, TT::Q5_1, TT::Q5_1, TT::Q5_1, TT::Q5_1,
   {TT::Q5_1, TT::Q5_1, TT::Q5_1, TT::Q5_1, TT::Q5_1, TT::Q5_1, TT::Q5_1, TT::Q5_1},
   {TT::Q5_1, TT::Q5_1, TT::Q5_1, TT::Q5_1, TT::Q5_1, TT::Q5_1, TT::Q5_1, TT::Q5_1}},
  {FT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0,
   {TT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0},
   {TT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0, TT::Q8_0}},
  // Q2_K: attn_v Q4_K (GQA >= 4), ffn_down and attn_output Q3_K.
  {FT::Q2_K, TT::Q2_K, TT::Q6_K, TT::Q2_K, TT::Q2_K, TT::Q3_K, TT::Q2_K,
   {TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K},
   {TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K}},
  {FT::Q3_K_S, TT::Q3_K, TT::Q6_K, TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K,
   {TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K},
   {TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K, TT::Q3_K}},
  // Q3_K_M: attn_v Q5_K for the first two, then Q4_K; ffn_down Q4_K (n/16 = 0); attn_output Q4_K.
  {FT::Q3_K_M, TT::Q3_K, TT::Q6_K, TT::Q3_K, TT::Q3_K, TT::Q4_K, TT::Q3_K,
   {TT::Q5_K, TT::Q5_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K},
   {TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K}},
  {FT::Q3_K_L, TT::Q3_K, TT::Q6_K, TT::Q3_K, TT::Q3_K, TT::Q5_K, TT::Q3_K,
   {TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K},
   {TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K}},
  // Q4_K_S: attn_v Q5_K for the first four; ffn_down Q5_K for the first eighth (layer 0).
  {FT::Q4_K_S, TT::Q4_K, TT::Q6_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K,
   {TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K},
   {TT::Q5_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K}},
  {FT::Q4_K_M, TT::Q4_K, TT::Q6_K, TT::Q4_K, TT::Q4_K, TT::Q4_K, TT::Q4_K,
   {TT::Q6_K, TT::Q4_K, TT::Q4_K, TT::Q6_K, TT::Q4_K, TT::Q4_K, TT::Q6_K, TT::Q6_K},
   {TT::Q6_K, TT::Q4_K, TT::Q4_K, TT::Q6_K, TT::Q4_K, TT::Q4_K, TT::Q6_K, TT::Q6_K}},
  {FT::Q5_K_S, TT::Q5_K, TT::Q6_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K,
   {TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K},
   {TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K}},
  {FT::Q5_K_M, TT::Q5_K, TT::Q6_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K,
   {TT::Q6_K, TT::Q5_K, TT::Q5_K, TT::Q6_K, TT::Q5_K, TT::Q5_K, TT::Q6_K, TT::Q6_K},
   {TT::Q6_K, TT::Q5_K, TT::Q5_K, TT::Q6_K, TT::Q5_K, TT::Q5_K, TT::Q6_K, TT::Q6_K}},
  {FT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K,
   {TT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K},
   {TT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K, TT::Q6_K}},
  // IQ4: attn_v Q5_K (GQA >= 4), ffn_down Q5_K for layer 0 (no importance matrix).
  {FT::IQ4_NL, TT::IQ4_NL, TT::Q6_K, TT::IQ4_NL, TT::IQ4_NL, TT::IQ4_NL, TT::IQ4_NL,
   {TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K},
   {TT::Q5_K, TT::IQ4_NL, TT::IQ4_NL, TT::IQ4_NL, TT::IQ4_NL, TT::IQ4_NL, TT::IQ4_NL, TT::IQ4_NL}},
  {FT::IQ4_XS, TT::IQ4_XS, TT::Q6_K, TT::IQ4_XS, TT::IQ4_XS, TT::IQ4_XS, TT::IQ4_XS,
   {TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K, TT::Q5_K},
   {TT::Q5_K, TT::IQ4_XS, TT::IQ4_XS, TT::IQ4_XS, TT::IQ4_XS, TT::IQ4_XS, TT::IQ4_XS, TT::IQ4_XS}},
  {FT::F16, TT::F16, TT::F16, TT::F16, TT::F16, TT::F16, TT::F16,
   {TT::F16, TT::F16, TT::F16, TT::F16, TT::F16, TT::F16, TT::F16, TT::F16},
   {TT::F16, TT::F16, TT::F16, TT::F16, TT::F16, TT::F16, TT::F16, TT::F16}},
  {FT::BF16, TT::BF16, TT::BF16, TT::BF16, TT::BF16, TT::BF16, TT::BF16,
   {TT::BF16, TT::BF16, TT::BF16, TT::BF16, TT::BF16, TT::BF16, TT::BF16, TT::BF16},
   {TT::BF16, TT::BF16, TT::BF16, TT::BF16, TT::BF16, TT::BF16, TT::BF16, TT::BF16}},
};
// clang-format on

class TensorMixPerFileType : public ::testing::TestWithParam<Expected> {};

TEST_P(TensorMixPerFileType, LlamaShapeMatchesLlamaQuantize) {
  const Expected& e = GetParam();
  const LlamaShape shape{8, 512, 1536, 8, 2, 1000, false};
  auto got = choose(shape, e.ftype);
  EXPECT_EQ(got["token_embd.weight"], e.embd);
  EXPECT_EQ(got["output.weight"], e.output);
  EXPECT_EQ(got["output_norm.weight"], TT::F32);
  for (int i = 0; i < 8; ++i) {
    const std::string p = "blk." + std::to_string(i) + ".";
    SCOPED_TRACE(p);
    EXPECT_EQ(got[p + "attn_norm.weight"], TT::F32);
    EXPECT_EQ(got[p + "ffn_norm.weight"], TT::F32);
    EXPECT_EQ(got[p + "attn_q.weight"], e.attn_q);
    EXPECT_EQ(got[p + "attn_k.weight"], e.attn_k);
    EXPECT_EQ(got[p + "attn_v.weight"], e.attn_v[i]);
    EXPECT_EQ(got[p + "attn_output.weight"], e.attn_output);
    EXPECT_EQ(got[p + "ffn_gate.weight"], e.ffn_gate_up);
    EXPECT_EQ(got[p + "ffn_up.weight"], e.ffn_gate_up);
    EXPECT_EQ(got[p + "ffn_down.weight"], e.ffn_down[i]);
  }
}

INSTANTIATE_TEST_SUITE_P(AllFileTypes, TensorMixPerFileType, ::testing::ValuesIn(kExpected),
                         [](const ::testing::TestParamInfo<Expected>& info) {
                           return std::string(file_type_name(info.param.ftype));
                         });

TEST(TensorMix, EveryFileTypeHasAnExpectation) {
  EXPECT_EQ(std::size(kExpected) + 1, supported_file_types().size());  // + F32, tested below
  const auto got = choose({8, 512, 1536, 8, 2, 1000, false}, FT::F32);
  for (const auto& [name, type] : got) EXPECT_EQ(type, TT::F32) << name;
}

TEST(TensorMix, Gqa1UsesPlainAttnVForQ2KAndIq4) {
  const LlamaShape shape{8, 512, 1536, 8, 8, 1000, false};  // no grouped-query attention
  EXPECT_EQ(choose(shape, FT::Q2_K)["blk.5.attn_v.weight"], TT::Q3_K);
  EXPECT_EQ(choose(shape, FT::IQ4_NL)["blk.5.attn_v.weight"], TT::IQ4_NL);
  EXPECT_EQ(choose(shape, FT::IQ4_XS)["blk.5.attn_v.weight"], TT::IQ4_XS);
}

// A SmolLM-like shape: hidden 576 (not a multiple of 256), 30 layers, 9 heads / 3 KV heads, tied embeddings.
TEST(TensorMix, Hidden576FallsBackForQ4_K_M) {
  const LlamaShape shape{30, 576, 1536, 9, 3, 49152, true};
  auto got = choose(shape, FT::Q4_K_M);
  EXPECT_EQ(got["token_embd.weight"], TT::Q8_0);  // tied: treated as the output, 576 % 256 != 0 -> Q8_0
  // use_more_bits(i, 30): i < 3, i >= 26, or (i - 3) % 3 == 2
  const std::vector<int> more = {0, 1, 2, 5, 8, 11, 14, 17, 20, 23, 26, 27, 28, 29};
  for (int i = 0; i < 30; ++i) {
    const std::string p = "blk." + std::to_string(i) + ".";
    const bool m = std::find(more.begin(), more.end(), i) != more.end();
    SCOPED_TRACE(p);
    EXPECT_EQ(got[p + "attn_q.weight"], TT::Q5_0);  // Q4_K falls back to Q5_0
    EXPECT_EQ(got[p + "attn_k.weight"], TT::Q5_0);
    EXPECT_EQ(got[p + "attn_v.weight"], m ? TT::Q8_0 : TT::Q5_0);  // Q6_K falls back to Q8_0
    EXPECT_EQ(got[p + "attn_output.weight"], TT::Q5_0);
    EXPECT_EQ(got[p + "ffn_gate.weight"], TT::Q5_0);
    EXPECT_EQ(got[p + "ffn_up.weight"], TT::Q5_0);
    EXPECT_EQ(got[p + "ffn_down.weight"], m ? TT::Q6_K : TT::Q4_K);  // rows of 1536 = 6 * 256
  }
}

TEST(TensorMix, Hidden576FallbacksOfOtherKQuants) {
  const LlamaShape shape{30, 576, 1536, 9, 3, 49152, true};
  auto q2 = choose(shape, FT::Q2_K);
  EXPECT_EQ(q2["blk.0.attn_q.weight"], TT::IQ4_NL);       // Q2_K -> IQ4_NL
  EXPECT_EQ(q2["blk.0.attn_output.weight"], TT::IQ4_NL);  // Q3_K -> IQ4_NL
  EXPECT_EQ(q2["blk.0.attn_v.weight"], TT::IQ4_NL);       // GQA 3: Q3_K -> IQ4_NL
  auto q5 = choose(shape, FT::Q5_K_S);
  EXPECT_EQ(q5["blk.0.attn_q.weight"], TT::Q5_1);  // Q5_K -> Q5_1
  auto xs = choose(shape, FT::IQ4_XS);
  EXPECT_EQ(xs["blk.0.attn_q.weight"], TT::IQ4_NL);  // IQ4_XS -> IQ4_NL
}

TEST(TensorMix, RowsThatFitNoBlockFallBackToF16OrFail) {
  const ModelInfo info{"llama", 4, 4, 4, 0};
  const std::vector<TensorDesc> odd = {{"blk.0.attn_q.weight", {100, 100}, TT::F32}};  // rows of 100 values
  EXPECT_EQ(choose_tensor_types(info, odd, FT::Q4_K_M)[0], TT::F16);  // Q4_K -> Q5_0 -> F16
  EXPECT_EQ(choose_tensor_types(info, odd, FT::Q6_K)[0], TT::F16);    // Q6_K -> Q8_0 -> F16
  EXPECT_THROW(choose_tensor_types(info, odd, FT::Q4_0), Error);      // no fallback for the legacy types
  EXPECT_THROW(choose_tensor_types(info, odd, FT::Q8_0), Error);
  // llama-quantize gives an output matrix with such rows Q8_0, which then fits no block either.
  const std::vector<TensorDesc> odd_output = {{"output.weight", {100, 50}, TT::F32}};
  EXPECT_THROW(choose_tensor_types(info, odd_output, FT::Q4_K_M), Error);
  EXPECT_EQ(choose_tensor_types(info, odd_output, FT::F16)[0], TT::F16);
}

TEST(TensorMix, ExpertModelsUseHigherPrecisionAttention) {
  std::vector<TensorDesc> t = {
      {"token_embd.weight", {512, 100}, TT::F32},
      {"output.weight", {512, 100}, TT::F32},
      {"blk.0.attn_k.weight", {512, 128}, TT::F32},
      {"blk.0.attn_v.weight", {512, 128}, TT::F32},
      {"blk.0.attn_output.weight", {512, 512}, TT::F32},
      {"blk.0.ffn_gate_inp.weight", {512, 8}, TT::F32},
      {"blk.0.ffn_down_exps.weight", {1024, 512, 8}, TT::F32},
      {"blk.7.ffn_down_exps.weight", {1024, 512, 8}, TT::F32},
      {"blk.3.ffn_down_exps.weight", {1024, 512, 8}, TT::F32},
  };
  const auto got = choose_tensor_types({"llama", 8, 8, 2, 8}, t, FT::Q4_K_M);
  EXPECT_EQ(got[2], TT::Q8_0);  // attn_k
  EXPECT_EQ(got[3], TT::Q8_0);  // attn_v
  EXPECT_EQ(got[4], TT::Q5_K);  // attn_output
  EXPECT_EQ(got[5], TT::F32);   // router stays as it is
  EXPECT_EQ(got[6], TT::Q6_K);  // layer 0 from the name: more bits
  EXPECT_EQ(got[7], TT::Q6_K);  // layer 7
  EXPECT_EQ(got[8], TT::Q6_K);  // layer 3: (3 - 1) % 3 == 2
}

TEST(TensorMix, QuantizableTensors) {
  EXPECT_TRUE(is_quantizable({"blk.0.attn_q.weight", {64, 64}, TT::F32}));
  EXPECT_FALSE(is_quantizable({"blk.0.attn_norm.weight", {64}, TT::F32}));
  EXPECT_FALSE(is_quantizable({"blk.0.attn_q_norm.weight", {64, 1}, TT::F32}));  // 1-D in ggml's sense
  EXPECT_FALSE(is_quantizable({"blk.0.attn_q.bias", {64, 64}, TT::F32}));
  EXPECT_FALSE(is_quantizable({"blk.0.ffn_gate_inp.weight", {64, 8}, TT::F32}));
  EXPECT_FALSE(is_quantizable({"rope_freqs.weight", {32}, TT::F32}));
  EXPECT_FALSE(is_quantizable({"position_embd.weight", {64, 64}, TT::F32}));
  EXPECT_FALSE(is_quantizable({"blk.0.ssm_conv1d.weight", {4, 64}, TT::F32}));
}

TEST(TensorMix, LlamaQuantizeOrder) {
  std::vector<std::string> names = {"blk.10.attn_q.weight", "blk.2.ffn_up.weight", "token_embd.weight",
                                    "blk.2.attn_q.weight",  "output.weight",       "output_norm.weight"};
  std::sort(names.begin(), names.end(), comes_before);
  const std::vector<std::string> expected = {"output.weight",        "output_norm.weight",  "token_embd.weight",
                                             "blk.2.attn_q.weight",  "blk.2.ffn_up.weight", "blk.10.attn_q.weight"};
  EXPECT_EQ(names, expected);
}

// Real llama-quantize (b4748) outputs: re-deriving their tensor types must give exactly what it chose.
void expect_same_choice(const std::filesystem::path& path, FT ftype) {
  const auto file = gguf::File::open(path.string());
  std::vector<TensorDesc> descs;
  for (const auto& t : file.tensors()) descs.push_back({t.name, t.dims, t.type});
  const auto got = choose_tensor_types(ModelInfo::from_gguf(file), descs, ftype);
  for (std::size_t i = 0; i < descs.size(); ++i)
    EXPECT_EQ(type_name(got[i]), type_name(descs[i].type)) << path.filename() << " " << descs[i].name;
}

TEST(TensorMix, ReproducesGoldenQ4_K_M) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "golden/g-llama-spm-Q4_K_M.gguf");
  expect_same_choice(path, FT::Q4_K_M);
}

TEST(TensorMix, ReproducesGoldenQ8_0Files) {
  for (const char* name : {"golden/g-llama3-Q8_0.gguf", "golden/g-qwen2-Q8_0.gguf", "golden/g-qwen3-Q8_0.gguf"}) {
    CORRAL_SHARED_FILE_OR_SKIP(path, name);
    expect_same_choice(path, FT::Q8_0);
  }
}

TEST(FileTypes, ParseAndName) {
  EXPECT_EQ(parse_file_type("q4_K_M"), FT::Q4_K_M);
  EXPECT_EQ(parse_file_type("Q8_0"), FT::Q8_0);
  EXPECT_EQ(parse_file_type("f16"), FT::F16);
  EXPECT_EQ(parse_file_type("bf16"), FT::BF16);
  EXPECT_EQ(parse_file_type("iq4_xs"), FT::IQ4_XS);
  EXPECT_EQ(parse_file_type("Q4_K"), FT::Q4_K_M);
  EXPECT_EQ(parse_file_type("q5_k"), FT::Q5_K_M);
  EXPECT_EQ(parse_file_type("q3_k"), FT::Q3_K_M);
  EXPECT_FALSE(parse_file_type("Q4_K_X").has_value());
  EXPECT_FALSE(parse_file_type("").has_value());
  EXPECT_FALSE(parse_file_type("IQ2_XXS").has_value());
  EXPECT_EQ(file_type_name(FT::Q4_K_M), "Q4_K_M");
  EXPECT_EQ(file_type_name(FT::IQ4_NL), "IQ4_NL");
  EXPECT_EQ(static_cast<int>(FT::Q4_K_M), 15);  // LLAMA_FTYPE_MOSTLY_Q4_K_M
  EXPECT_EQ(static_cast<int>(FT::Q8_0), 7);
  EXPECT_EQ(static_cast<int>(FT::IQ4_XS), 30);
  EXPECT_EQ(static_cast<int>(FT::BF16), 32);
  EXPECT_EQ(file_type_from_id(12), FT::Q3_K_M);
  EXPECT_FALSE(file_type_from_id(4).has_value());
  EXPECT_EQ(base_tensor_type(FT::Q3_K_L), TT::Q3_K);
  for (FT ft : supported_file_types()) EXPECT_EQ(parse_file_type(file_type_name(ft)), ft);
}

}  // namespace
}  // namespace corral::quant
