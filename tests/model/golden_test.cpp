// Fidelity against the reference engine (../shared/golden, format in its
// README): last-prompt-position logits within the stated tolerance and greedy
// continuations identical for the checkable leading steps.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/context.h"
#include "testutil/shared_data.h"

namespace corral::model {
namespace {

struct GoldenCase {
  std::string json;   // file under golden/
  std::string model;  // path under shared/
};

std::vector<float> read_f32(const std::filesystem::path& p) {
  std::string bytes = test::read_file(p);
  std::vector<float> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

std::int32_t argmax(const float* x, std::int64_t n) {
  std::int32_t best = 0;
  for (std::int64_t i = 1; i < n; ++i)
    if (x[i] > x[best]) best = static_cast<std::int32_t>(i);
  return best;
}

class Golden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, LogitsAndGreedyMatchReference) {
  const auto& c = GetParam();
  CORRAL_SHARED_FILE_OR_SKIP(json_path, "golden/" + c.json);
  CORRAL_SHARED_FILE_OR_SKIP(model_path, c.model);
  const auto j = nlohmann::json::parse(test::read_file(json_path));
  const double tol = j["tolerance"]["max_abs_logit"].get<double>();
  const std::string ftype = c.model;
  const bool exact_type = ftype.find("f32") != std::string::npos || ftype.find("f16") != std::string::npos ||
                          ftype.find("F16") != std::string::npos || ftype.find("Q8_0") != std::string::npos ||
                          ftype.find("q8_0") != std::string::npos || ftype.find("tiny-random") != std::string::npos;
  const int max_steps = exact_type ? 32 : 16;
  std::vector<std::int32_t> eog;
  for (const auto& e : j["model"]["eog_ids"]) eog.push_back(e.get<std::int32_t>());

  auto model = Model::load(model_path.string());
  const auto n_vocab = model->params().n_vocab;
  ContextParams cp;
  cp.n_ctx = 512;
  cp.n_threads = 2;
  Context ctx(model, cp);
  int prompt_index = 0;
  for (const auto& pr : j["prompts"]) {
    SCOPED_TRACE("prompt " + std::to_string(prompt_index));
    ctx.clear(0);
    std::vector<BatchEntry> batch;
    for (const auto& id : pr["prompt_ids"]) batch.push_back({id.get<std::int32_t>(), 0, false});
    batch.back().logits = true;
    std::vector<float> logits = ctx.decode(batch);
    ASSERT_EQ(static_cast<std::int64_t>(logits.size()), n_vocab);
    const auto ref = read_f32(json_path.parent_path() / pr["logits_file"].get<std::string>());
    ASSERT_EQ(static_cast<std::int64_t>(ref.size()), n_vocab);
    double max_diff = 0;
    for (std::int64_t i = 0; i < n_vocab; ++i) max_diff = std::max(max_diff, std::fabs(double(logits[i]) - ref[i]));
    EXPECT_LE(max_diff, tol) << "max |logit - reference| over the vocabulary";
    std::printf("  %s prompt %d: max abs logit diff %.5f (tolerance %.4f), %d greedy steps checked\n", c.json.c_str(),
                prompt_index, max_diff, tol, std::min(max_steps, pr["greedy_checked_steps"].get<int>()));

    const int checked = std::min(max_steps, pr["greedy_checked_steps"].get<int>());
    const auto& want = pr["greedy_ids"];
    std::vector<std::int32_t> got;
    for (int step = 0; step < checked; ++step) {
      const std::int32_t next = argmax(logits.data(), n_vocab);
      if (std::find(eog.begin(), eog.end(), next) != eog.end()) break;
      got.push_back(next);
      BatchEntry e{next, 0, true};
      logits = ctx.decode(std::span<const BatchEntry>(&e, 1));
    }
    for (int i = 0; i < checked && i < static_cast<int>(want.size()); ++i) {
      ASSERT_LT(i, static_cast<int>(got.size()));
      EXPECT_EQ(got[i], want[i].get<std::int32_t>()) << "greedy step " << i;
    }
    ++prompt_index;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Reference, Golden,
    ::testing::Values(GoldenCase{"tolstoy-f32.json", "models/tolstoy/tolstoy-f32.gguf"},
                      GoldenCase{"tolstoy-f16.json", "models/tolstoy/tolstoy-f16.gguf"},
                      GoldenCase{"tolstoy-q8_0.json", "models/tolstoy/tolstoy-q8_0.gguf"},
                      GoldenCase{"llama-2-tiny-random.json", "models/llama-2-tiny-random.gguf"},
                      GoldenCase{"g-llama-spm-Q4_K_M.json", "golden/g-llama-spm-Q4_K_M.gguf"},
                      GoldenCase{"g-llama3-Q8_0.json", "golden/g-llama3-Q8_0.gguf"},
                      GoldenCase{"g-qwen2-Q8_0.json", "golden/g-qwen2-Q8_0.gguf"},
                      GoldenCase{"g-qwen3-Q8_0.json", "golden/g-qwen3-Q8_0.gguf"}),
    [](const ::testing::TestParamInfo<GoldenCase>& info) {
      std::string n = info.param.json.substr(0, info.param.json.size() - 5);
      for (auto& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

}  // namespace
}  // namespace corral::model
