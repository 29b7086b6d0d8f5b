// The runner end to end on real and generated models: greedy output equals
// direct evaluation, concurrent requests equal sequential ones, stop strings,
// num_predict, cancellation, prefix reuse, context shift, embeddings.
#include <gtest/gtest.h>

#include <future>

#include "dev/model_generator.h"
#include "model/context.h"
#include "runner/runner.h"
#include "testutil/shared_data.h"
#include "testutil/temp_dir.h"
#include "util/error.h"

namespace corral::runner {
namespace {

struct Loaded {
  std::shared_ptr<const model::Model> model;
  std::shared_ptr<const tokenizer::Tokenizer> tok;
};

Loaded load(const std::string& path) {
  auto m = model::Model::load(path);
  return {m, tokenizer::Tokenizer::from_gguf(m->file())};
}

Loaded generated(test::TempDir& dir) {
  dev::ModelSpec s;
  s.hidden = 128;
  s.heads = 4;
  s.kv_heads = 2;
  s.ffn = 256;
  s.type = "Q8_0";
  s.vocab_size = 400;
  s.threads = 1;
  dev::generate_model(s, (dir / "m.gguf").string());
  return load((dir / "m.gguf").string());
}

CompletionRequest greedy(std::vector<std::int32_t> prompt, int n) {
  CompletionRequest r;
  r.prompt = std::move(prompt);
  r.sampling.temperature = 0;
  r.sampling.num_predict = n;
  return r;
}

struct Collected {
  std::string text;
  std::vector<std::int32_t> ids;
  CompletionResult result;
};

Collected run(Runner& runner, const CompletionRequest& r) {
  Collected c;
  c.result = runner.complete(r, [&](const TokenOutput& o) {
    c.text += o.text;
    c.ids.insert(c.ids.end(), o.ids.begin(), o.ids.end());
    return true;
  });
  return c;
}

TEST(Runner, GreedyMatchesReferenceContinuation) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "models/tolstoy/tolstoy-f32.gguf");
  auto l = load(path.string());
  RunnerOptions o;
  o.n_ctx = 256;
  Runner runner(l.model, l.tok, o);
  auto prompt = l.tok->encode("Hello world", true, true);
  auto c = run(runner, greedy(prompt, 32));
  // ../shared/golden/tolstoy-f32.json, prompt 0.
  const std::vector<std::int32_t> want = {962, 277, 263, 619, 951, 405, 283, 947, 296, 512, 965, 13, 13, 968, 983, 518,
                                          435, 353, 769, 967, 981, 470, 518, 435, 353, 769, 967, 981, 470, 518, 435, 353};
  EXPECT_EQ(c.ids, want);
  EXPECT_EQ(c.result.done_reason, "length");
  EXPECT_EQ(c.result.eval_count, 32);
  EXPECT_EQ(c.result.prompt_eval_count, 6);
  EXPECT_EQ(c.text, l.tok->decode(want));
}

TEST(Runner, ConcurrentRequestsEqualSequentialOnes) {
  test::TempDir dir;
  auto l = generated(dir);
  RunnerOptions seq_opts, par_opts;
  seq_opts.n_ctx = par_opts.n_ctx = 128;
  par_opts.n_parallel = 3;
  Runner sequential(l.model, l.tok, seq_opts), parallel(l.model, l.tok, par_opts);
  std::vector<CompletionRequest> reqs;
  for (int i = 0; i < 6; ++i) reqs.push_back(greedy({1, 10 + i, 20 + 2 * i, 30, 40 + i}, 12 + i));
  std::vector<Collected> want;
  for (const auto& r : reqs) want.push_back(run(sequential, r));
  std::vector<std::future<Collected>> got;
  for (const auto& r : reqs) got.push_back(std::async(std::launch::async, [&, r] { return run(parallel, r); }));
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    auto c = got[i].get();
    EXPECT_EQ(c.ids, want[i].ids) << "request " << i;
    EXPECT_EQ(c.result.eval_count, want[i].result.eval_count);
  }
  EXPECT_EQ(parallel.busy(), 0);
}

TEST(Runner, StopStringEndsGenerationAndIsNotEmitted) {
  test::TempDir dir;
  auto l = generated(dir);
  Runner runner(l.model, l.tok, RunnerOptions{});
  auto free_run = run(runner, greedy({1, 5, 6, 7}, 20));
  ASSERT_GT(free_run.text.size(), 8u);
  // Use a piece of the free-running text as the stop string.
  const std::string stop = free_run.text.substr(4, 3);
  auto r = greedy({1, 5, 6, 7}, 20);
  r.sampling.stop = {stop};
  auto c = run(runner, r);
  EXPECT_EQ(c.result.done_reason, "stop");
  EXPECT_EQ(c.text, free_run.text.substr(0, free_run.text.find(stop)));
}

TEST(Runner, CancelFreesTheSlot) {
  test::TempDir dir;
  auto l = generated(dir);
  Runner runner(l.model, l.tok, RunnerOptions{});
  int seen = 0;
  EXPECT_THROW(runner.complete(greedy({1, 2, 3}, 200), [&](const TokenOutput&) { return ++seen < 3; }), Error);
  EXPECT_GE(seen, 3);
  auto c = run(runner, greedy({1, 2, 3}, 5));  // the slot is usable again
  EXPECT_EQ(c.result.eval_count, 5);
  std::atomic<bool> cancel{true};
  EXPECT_THROW(runner.complete(greedy({1, 2, 3}, 200), nullptr, &cancel), Error);
}

TEST(Runner, SharedPrefixIsNotEvaluatedAgain) {
  test::TempDir dir;
  auto l = generated(dir);
  Runner runner(l.model, l.tok, RunnerOptions{});
  std::vector<std::int32_t> p(50);
  for (int i = 0; i < 50; ++i) p[static_cast<std::size_t>(i)] = 3 + i;
  run(runner, greedy(p, 3));
  const auto before = runner.prompt_tokens_evaluated();
  p.push_back(99);
  auto c = run(runner, greedy(p, 3));
  EXPECT_EQ(runner.prompt_tokens_evaluated() - before, 1);  // only the new token
  EXPECT_EQ(c.result.prompt_eval_count, 51);
}

TEST(Runner, ContextShiftLetsGenerationContinue) {
  test::TempDir dir;
  auto l = generated(dir);
  RunnerOptions o;
  o.n_ctx = 32;
  Runner runner(l.model, l.tok, o);
  auto c = run(runner, greedy({1, 2, 3, 4, 5}, 100));
  EXPECT_EQ(c.result.eval_count, 100);
  EXPECT_EQ(c.result.done_reason, "length");
  auto r = greedy({1, 2, 3, 4, 5}, 100);
  r.shift = false;
  auto d = run(runner, r);
  EXPECT_EQ(d.result.done_reason, "length");
  EXPECT_LT(d.result.eval_count, 32);
}

TEST(Runner, BadRequestsAreErrors) {
  test::TempDir dir;
  auto l = generated(dir);
  Runner runner(l.model, l.tok, RunnerOptions{});
  EXPECT_THROW(run(runner, greedy({}, 3)), Error);
  EXPECT_THROW(run(runner, greedy({1, 4000}, 3)), Error);
  auto r = greedy({1, 2}, 3);
  r.top_logprobs = 21;
  EXPECT_THROW(run(runner, r), Error);
}

TEST(Runner, EmbeddingsAreNormalisedAndDeterministic) {
  test::TempDir dir;
  auto l = generated(dir);
  Runner runner(l.model, l.tok, RunnerOptions{});
  EmbedRequest req;
  req.inputs = {{1, 2, 3}, {1, 7, 8, 9}, {1, 2, 3}};
  auto res = runner.embed(req);
  ASSERT_EQ(res.embeddings.size(), 3u);
  EXPECT_EQ(res.prompt_eval_count, 10);
  double norm = 0;
  for (float x : res.embeddings[1]) norm += double(x) * x;
  EXPECT_NEAR(norm, 1.0, 1e-5);
  EXPECT_EQ(res.embeddings[0], res.embeddings[2]);
  EXPECT_NE(res.embeddings[0], res.embeddings[1]);
}

TEST(Runner, LogprobsAccompanyTokens) {
  test::TempDir dir;
  auto l = generated(dir);
  Runner runner(l.model, l.tok, RunnerOptions{});
  auto r = greedy({1, 2, 3}, 4);
  r.logprobs = true;
  r.top_logprobs = 3;
  std::size_t ids = 0, lps = 0;
  runner.complete(r, [&](const TokenOutput& o) {
    ids += o.ids.size();
    lps += o.logprobs.size();
    for (const auto& lp : o.logprobs) {
      EXPECT_EQ(lp.top.size(), 3u);
      EXPECT_LE(lp.chosen.logprob, 0.0);
      EXPECT_EQ(lp.top[0].token, lp.chosen.token);  // greedy picks the most likely
    }
    return true;
  });
  EXPECT_EQ(ids, 4u);
  EXPECT_EQ(lps, 4u);
}

}  // namespace
}  // namespace corral::runner
