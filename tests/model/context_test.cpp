// Context behaviour on generated models: batched prefill equals token-by-token
// evaluation, sequences in one batch are independent, SIMD equals scalar at
// model level, context shift, abort, and bad input.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>

#include "dev/model_generator.h"
#include "model/context.h"
#include "testutil/temp_dir.h"
#include "util/error.h"

namespace corral::model {
namespace {

std::shared_ptr<const Model> generated(test::TempDir& dir, const std::string& arch, const std::string& type,
                                       bool tied = false, int layers = 2) {
  dev::ModelSpec s;
  s.arch = arch;
  s.hidden = 256;
  s.layers = layers;
  s.heads = 4;
  s.kv_heads = 2;
  s.ffn = 512;
  s.type = type;
  s.tied = tied;
  s.vocab_size = 600;
  s.threads = 1;
  const auto path = dir / (arch + "-" + type + "-" + std::to_string(layers) + ".gguf");
  dev::generate_model(s, path.string());
  return Model::load(path.string());
}

std::vector<BatchEntry> prompt(std::int32_t seq, int n, int salt = 0) {
  std::vector<BatchEntry> b;
  for (int i = 0; i < n; ++i) b.push_back({(i * 37 + 11 + salt) % 600, seq, false});
  return b;
}

float max_diff(const std::vector<float>& a, const std::vector<float>& b) {
  EXPECT_EQ(a.size(), b.size());
  float m = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

class ContextArch : public ::testing::TestWithParam<std::string> {};

TEST_P(ContextArch, BatchedPrefillEqualsTokenByToken) {
  // F32 weights: no activation quantization, so the batched kernels (a
  // different summation order) must agree closely. With quantized weights a
  // flipped activation rounding can move logits by ~1e-2, hence the looser bound.
  test::TempDir dir;
  for (const char* type : {"F32", "Q8_0"}) {
    const float tol = std::string(type) == "F32" ? 2e-4f : 3e-2f;
    auto model = generated(dir, GetParam(), type);
    ContextParams cp;
    cp.n_ctx = 64;
    cp.n_threads = 2;
    cp.kv_type = KvType::f32;
    Context batched(model, cp), single(model, cp);
    auto p = prompt(0, 20);
    p.back().logits = true;
    const auto a = batched.decode(p);
    std::vector<float> b;
    for (auto e : p) {
      e.logits = true;
      b = single.decode(std::span<const BatchEntry>(&e, 1));
    }
    EXPECT_LT(max_diff(a, b), tol) << type;
    EXPECT_EQ(batched.length(0), 20);
  }
}

TEST_P(ContextArch, SequencesInOneBatchAreIndependent) {
  test::TempDir dir;
  auto model = generated(dir, GetParam(), "F16");
  ContextParams cp;
  cp.n_ctx = 64;
  cp.n_seq = 2;
  Context both(model, cp), alone(model, cp);
  auto p0 = prompt(0, 9), p1 = prompt(1, 13, 5);
  p0.back().logits = true;
  p1.back().logits = true;
  std::vector<BatchEntry> mixed;  // interleave the two sequences
  for (std::size_t i = 0; i < 13; ++i) {
    if (i < p0.size()) mixed.push_back(p0[i]);
    mixed.push_back(p1[i]);
  }
  const auto out = both.decode(mixed);
  ASSERT_EQ(out.size(), 2u * static_cast<std::size_t>(model->params().n_vocab));
  const auto a0 = alone.decode(p0);
  const auto a1 = alone.decode(p1);
  const auto nv = static_cast<std::ptrdiff_t>(model->params().n_vocab);
  // The mixed batch (22 tokens) takes the packed prompt kernel on AVX-512 and the
  // single sequences (9, 13) do not: the sums run in another order, and with F16
  // weights the activations are rounded to F16 between layers, so one flipped
  // rounding can move a logit by ~1e-3. A leak between sequences moves them by far more.
  EXPECT_LT(max_diff(std::vector<float>(out.begin(), out.begin() + nv), a0), 2e-3f);
  EXPECT_LT(max_diff(std::vector<float>(out.begin() + nv, out.end()), a1), 2e-3f);
}

INSTANTIATE_TEST_SUITE_P(Archs, ContextArch, ::testing::Values("llama", "qwen2", "qwen3"));

TEST(Context, SimdEqualsScalarForAWholeModel) {
  // Matmul results differ between paths only in float summation order, but in
  // a quantized model that can flip the rounding of one activation in the next
  // layer's quantization, which moves logits by ~1e-2; float models stay close.
  test::TempDir dir;
  for (const char* type : {"Q4_K_M", "Q8_0", "F16"}) {
    const float tol = std::string(type) == "F16" ? 2e-3f : 5e-2f;
    auto model = generated(dir, "llama", type, true);
    ContextParams cp;
    cp.n_ctx = 32;
    Context simd(model, cp), scalar(model, cp);
    scalar.set_isa(kernels::Isa::scalar);
    auto p = prompt(0, 12);
    p.back().logits = true;
    EXPECT_LT(max_diff(simd.decode(p), scalar.decode(p)), tol) << type;
  }
}

TEST(Context, ShiftKeepsThePrefixAndContinues) {
  // With one layer the cached K/V of a token depend only on the token and its
  // position, so a shifted cache must equal a fresh evaluation of the kept tokens.
  test::TempDir dir;
  auto model = generated(dir, "llama", "F32", false, 1);
  ContextParams cp;
  cp.n_ctx = 32;
  cp.kv_type = KvType::f32;
  Context shifted(model, cp), fresh(model, cp);
  auto p = prompt(0, 30);
  shifted.decode(p);
  shifted.shift(0, 4, 10);  // keep 4, drop 10, 16 remain
  EXPECT_EQ(shifted.length(0), 20);
  // The same as evaluating the surviving tokens from scratch.
  std::vector<BatchEntry> kept(p.begin(), p.begin() + 4);
  kept.insert(kept.end(), p.begin() + 14, p.end());
  fresh.decode(kept);
  BatchEntry next{5, 0, true};
  const auto a = shifted.decode(std::span<const BatchEntry>(&next, 1));
  const auto b = fresh.decode(std::span<const BatchEntry>(&next, 1));
  EXPECT_LT(max_diff(a, b), 1e-3f);
}

TEST(Context, FullContextAndBadTokensAreErrorsThatChangeNothing) {
  test::TempDir dir;
  auto model = generated(dir, "llama", "Q8_0");
  ContextParams cp;
  cp.n_ctx = 8;
  Context ctx(model, cp);
  ctx.decode(prompt(0, 6));
  EXPECT_THROW(ctx.decode(prompt(0, 3)), Error);
  EXPECT_EQ(ctx.length(0), 6);
  std::vector<BatchEntry> bad = {{1, 0, false}, {600, 0, false}};
  EXPECT_THROW(ctx.decode(bad), Error);
  std::vector<BatchEntry> neg = {{-1, 0, false}};
  EXPECT_THROW(ctx.decode(neg), Error);
  std::vector<BatchEntry> seq = {{1, 3, false}};
  EXPECT_THROW(ctx.decode(seq), Error);
  EXPECT_EQ(ctx.length(0), 6);
}

TEST(Context, AbortLeavesTheSequenceUnchanged) {
  test::TempDir dir;
  auto model = generated(dir, "llama", "Q8_0");
  ContextParams cp;
  cp.n_ctx = 64;
  Context ctx(model, cp);
  ctx.decode(prompt(0, 5));
  std::atomic<bool> stop{true};
  ctx.set_abort(&stop);
  EXPECT_THROW(ctx.decode(prompt(0, 10)), Error);
  EXPECT_EQ(ctx.length(0), 5);
  stop = false;
  ctx.decode(prompt(0, 10));
  EXPECT_EQ(ctx.length(0), 15);
}

TEST(Context, TruncateAllowsReuseOfAPrefix) {
  test::TempDir dir;
  auto model = generated(dir, "qwen2", "Q8_0");
  ContextParams cp;
  cp.n_ctx = 64;
  Context a(model, cp), b(model, cp);
  auto p = prompt(0, 12);
  a.decode(p);
  a.truncate(0, 8);
  std::vector<BatchEntry> tail(p.begin() + 8, p.end());
  tail.back().logits = true;
  p.back().logits = true;
  EXPECT_LT(max_diff(a.decode(tail), b.decode(p)), 1e-3f);
}

TEST(Model, RejectsUnsupportedFiles) {
  test::TempDir dir;
  test::write_file(dir / "junk.gguf", "GGUF\x03");
  EXPECT_THROW(Model::load((dir / "junk.gguf").string()), Error);
  EXPECT_THROW(Model::load((dir / "missing.gguf").string()), Error);
}

}  // namespace
}  // namespace corral::model
