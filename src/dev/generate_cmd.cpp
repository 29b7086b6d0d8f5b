// `corral dev generate`: runs a model file directly (no server): tokenizes the
// prompt (BOS as the metadata says, special tokens parsed), evaluates it in
// one batch, then samples up to N tokens, stopping at an end-of-generation
// token. Prints the text as it is generated, or with --ids the prompt ids and
// the generated ids on two lines.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "dev/dev_commands.h"
#include "model/context.h"
#include "sample/sampler.h"
#include "tokenizer/streaming_decoder.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace corral::dev {
namespace {

struct GenerateOptions {
  std::string model;
  std::string prompt;
  int n = 32;
  float temp = 0.0f;
  std::int64_t seed = 42;
  int threads = 0;
  bool ids = false;
  std::string logits_file;
  std::int64_t ctx = 0;
};

std::string join(const std::vector<std::int32_t>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += fmt::format("{}{}", i ? " " : "", v[i]);
  return s;
}

void run_generate(const GenerateOptions& o) {
  if (o.n < 0) fail("-n must not be negative");
  auto model = model::Model::load(o.model);
  auto tok = tokenizer::Tokenizer::from_gguf(model->file());
  const std::vector<std::int32_t> prompt = tok->encode(o.prompt, true, true);
  if (prompt.empty()) fail("the prompt is empty");
  model::ContextParams cp;
  cp.n_threads = o.threads;
  cp.n_ctx = o.ctx > 0 ? o.ctx : std::max<std::int64_t>(static_cast<std::int64_t>(prompt.size()) + o.n + 1, 16);
  cp.n_batch = std::max<std::int64_t>(512, static_cast<std::int64_t>(prompt.size()));
  model::Context ctx(model, cp);
  if (static_cast<std::int64_t>(prompt.size()) + o.n > cp.n_ctx)
    fail("prompt ({} tokens) plus {} generated tokens do not fit the context of {}", prompt.size(), o.n, cp.n_ctx);

  std::vector<model::BatchEntry> batch;
  for (auto id : prompt) batch.push_back({id, 0, false});
  batch.back().logits = true;
  std::vector<float> logits = ctx.decode(batch);
  if (!o.logits_file.empty()) {
    std::ofstream out(o.logits_file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(logits.data()), static_cast<std::streamsize>(logits.size() * 4));
    if (!out) fail("{}: cannot write logits", o.logits_file);
  }

  sample::SamplingParams sp;
  sp.temperature = o.temp;
  sp.seed = o.seed;
  sample::Sampler sampler(sp, logits.size(), static_cast<std::size_t>(cp.n_ctx));
  tokenizer::StreamingDecoder detok(tok, true);
  std::vector<std::int32_t> generated;
  for (int i = 0; i < o.n; ++i) {
    const std::int32_t id = sampler.sample(logits);
    sampler.accept(id);
    if (tok->is_eog(id)) break;
    generated.push_back(id);
    if (!o.ids) {
      std::fputs(detok.push(id).c_str(), stdout);
      std::fflush(stdout);
    }
    if (i + 1 == o.n) break;
    model::BatchEntry e{id, 0, true};
    logits = ctx.decode(std::span<const model::BatchEntry>(&e, 1));
  }
  if (o.ids) {
    std::cout << join(prompt) << "\n" << join(generated) << "\n";
  } else {
    std::fputs(detok.flush().c_str(), stdout);
    std::fputs("\n", stdout);
  }
}

}  // namespace

void add_generate_command(CLI::App& dev) {
  auto* cmd = dev.add_subcommand("generate", "Generate text from a GGUF model file directly (no server)");
  auto o = std::make_shared<GenerateOptions>();
  cmd->add_option("-m,--model", o->model, "GGUF model file")->required();
  cmd->add_option("-p,--prompt", o->prompt, "Prompt text (special tokens are parsed)")->required();
  cmd->add_option("-n", o->n, "Tokens to generate")->capture_default_str();
  cmd->add_option("--temp", o->temp, "Temperature (0: greedy)")->capture_default_str();
  cmd->add_option("--seed", o->seed, "Sampling seed")->capture_default_str();
  cmd->add_option("-t,--threads", o->threads, "Threads (default: physical cores)");
  cmd->add_option("-c,--ctx", o->ctx, "Context size (default: prompt + n)");
  cmd->add_flag("--ids", o->ids, "Print prompt ids and generated ids instead of text");
  cmd->add_option("--logits", o->logits_file, "Write the f32 logits of the last prompt position to FILE");
  cmd->callback([o] { run_generate(*o); });
}

}  // namespace corral::dev
