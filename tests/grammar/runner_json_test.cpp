// Structured output end to end: a generated model (random weights, the real
// Llama 3 vocabulary) through runner::Runner with the format constraint. The
// output text must parse as JSON and validate against the schema.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dev/model_generator.h"
#include "grammar/json_constraint.h"
#include "grammar/matcher.h"
#include "runner/runner.h"
#include "schema_validator.h"
#include "testutil/shared_data.h"
#include "testutil/temp_dir.h"

namespace corral::grammar {
namespace {

using ojson = nlohmann::ordered_json;

struct Loaded {
  std::shared_ptr<const model::Model> model;
  std::shared_ptr<const tokenizer::Tokenizer> tok;
};

class RunnerJson : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto vocab = corral::test::shared_file("vocab/ggml-vocab-llama-bpe.gguf");
    if (!vocab) return;
    dir_ = new corral::test::TempDir();
    dev::ModelSpec s;
    s.vocab = vocab->string();
    s.hidden = 64;
    s.ffn = 128;
    s.type = "F16";
    s.threads = 2;
    const auto path = (*dir_ / "m.gguf").string();
    dev::generate_model(s, path);
    auto m = model::Model::load(path);
    loaded_ = new Loaded{m, tokenizer::Tokenizer::from_gguf(m->file())};
  }
  static void TearDownTestSuite() {
    delete loaded_;
    delete dir_;
    loaded_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!loaded_) GTEST_SKIP() << "shared data not found: vocab/ggml-vocab-llama-bpe.gguf (set CORRAL_SHARED)";
  }

  struct Output {
    std::string text;
    runner::CompletionResult result;
  };
  static Output run(runner::Runner& r, const ojson& format, std::int64_t seed, int num_predict) {
    runner::CompletionRequest req;
    req.prompt = loaded_->tok->encode("Answer in JSON:", true, true);
    req.sampling.seed = seed;
    req.sampling.num_predict = num_predict;
    req.constraint = make_json_constraint(format, loaded_->tok);
    Output out;
    out.result = r.complete(req, [&](const runner::TokenOutput& o) {
      out.text += o.text;
      return true;
    });
    return out;
  }

  static corral::test::TempDir* dir_;
  static Loaded* loaded_;
};
corral::test::TempDir* RunnerJson::dir_ = nullptr;
Loaded* RunnerJson::loaded_ = nullptr;

TEST_F(RunnerJson, SchemaOutputParsesAndValidates) {
  const ojson schema = ojson::parse(R"({"type":"object","properties":{"ok":{"type":"boolean"},
      "n":{"type":"integer","minimum":0,"maximum":999},"color":{"enum":["red","green","blue"]}},
      "required":["ok","n","color"],"additionalProperties":false})");
  runner::RunnerOptions o;
  o.n_ctx = 1024;
  runner::Runner r(loaded_->model, loaded_->tok, o);
  for (std::int64_t seed : {1, 2, 3}) {
    const Output out = run(r, schema, seed, 600);
    EXPECT_EQ(out.result.done_reason, "stop") << out.text;
    ojson doc;
    ASSERT_NO_THROW(doc = ojson::parse(out.text)) << out.text;
    EXPECT_EQ(test::validate(doc, schema), "") << out.text;
  }
}

TEST_F(RunnerJson, JsonFormatOutputIsAlwaysJsonSoFar) {
  runner::RunnerOptions o;
  o.n_ctx = 1024;
  runner::Runner r(loaded_->model, loaded_->tok, o);
  const auto automaton = compile_format(ojson("json"));
  for (std::int64_t seed : {4, 5}) {
    const Output out = run(r, ojson("json"), seed, 200);
    Matcher m(automaton);
    EXPECT_TRUE(m.accept(out.text)) << out.text;  // a prefix of a JSON object, whatever the budget cut
    if (m.can_end()) {
      EXPECT_TRUE(ojson::parse(out.text).is_object()) << out.text;
      EXPECT_EQ(out.result.done_reason, "stop");
    }
  }
}

}  // namespace
}  // namespace corral::grammar
