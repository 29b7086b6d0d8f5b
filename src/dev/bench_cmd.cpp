// `corral bench`: prompt-processing (ppN) and token-generation (tgN) speed of
// a model, measured like llama-bench (a warm-up run, then R repetitions;
// tokens per second as mean ± standard deviation).
#include <fmt/format.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>

#include "dev/dev_commands.h"
#include "kernels/isa.h"
#include "model/context.h"

namespace corral::dev {
namespace {

struct BenchOptions {
  std::string model;
  std::vector<int> n_prompt{512};
  std::vector<int> n_gen{128};
  std::vector<int> threads;
  int reps = 5;
  bool json = false;
  std::string kv_type = "f16";
};

struct Row {
  std::string test;
  int threads;
  double mean, stddev;
};

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Seconds to process n prompt tokens (pp) or generate n tokens one by one (tg).
double run_once(model::Context& ctx, int n, bool prompt) {
  ctx.clear(0);
  const auto n_vocab = static_cast<std::int32_t>(ctx.model().params().n_vocab);
  std::mt19937 rng(1234);
  const double t0 = now_s();
  if (prompt) {
    std::vector<model::BatchEntry> batch(static_cast<std::size_t>(n));
    for (auto& e : batch) e = {static_cast<std::int32_t>(rng() % n_vocab), 0, false};
    batch.back().logits = true;
    ctx.decode(batch);
  } else {
    for (int i = 0; i < n; ++i) {
      model::BatchEntry e{static_cast<std::int32_t>(rng() % n_vocab), 0, true};
      ctx.decode(std::span<const model::BatchEntry>(&e, 1));
    }
  }
  return now_s() - t0;
}

Row measure(model::Context& ctx, int n, bool prompt, int reps, int threads) {
  run_once(ctx, prompt ? n : std::min(n, 16), prompt);  // warm-up
  std::vector<double> tps;
  for (int r = 0; r < reps; ++r) tps.push_back(n / run_once(ctx, n, prompt));
  const double mean = std::accumulate(tps.begin(), tps.end(), 0.0) / static_cast<double>(tps.size());
  double var = 0;
  for (double x : tps) var += (x - mean) * (x - mean);
  const double sd = tps.size() > 1 ? std::sqrt(var / static_cast<double>(tps.size() - 1)) : 0.0;
  return {fmt::format("{}{}", prompt ? "pp" : "tg", n), threads, mean, sd};
}

std::string human_size(std::uint64_t b) { return fmt::format("{:.2f} MiB", static_cast<double>(b) / (1 << 20)); }
std::string human_params(std::uint64_t n) {
  if (n >= 1000000000ull) return fmt::format("{:.2f} B", static_cast<double>(n) / 1e9);
  return fmt::format("{:.2f} M", static_cast<double>(n) / 1e6);
}

void run_bench(const BenchOptions& o) {
  auto model = model::Model::load(o.model);
  std::vector<int> threads = o.threads;
  if (threads.empty()) threads.push_back(0);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  const std::string name = fmt::format("{} {}", model->params().arch_name, model->file().get_string("general.name").value_or(""));
  if (!o.json) {
    std::cout << "| model | size | params | type | threads | test | t/s |\n";
    std::cout << "| --- | ---: | ---: | --- | ---: | ---: | ---: |\n";
  }
  for (int t : threads) {
    model::ContextParams cp;
    cp.n_threads = t;
    int max_ctx = 16;
    for (int p : o.n_prompt) max_ctx = std::max(max_ctx, p);
    for (int g : o.n_gen) max_ctx = std::max(max_ctx, g);
    cp.n_ctx = max_ctx;
    cp.n_batch = 512;
    cp.kv_type = o.kv_type == "f32" ? kernels::KvType::f32 : o.kv_type == "q8_0" ? kernels::KvType::q8_0 : kernels::KvType::f16;
    model::Context ctx(model, cp);
    std::vector<Row> results;
    for (int p : o.n_prompt)
      if (p > 0) results.push_back(measure(ctx, p, true, o.reps, ctx.pool().size()));
    for (int g : o.n_gen)
      if (g > 0) results.push_back(measure(ctx, g, false, o.reps, ctx.pool().size()));
    for (const auto& r : results) {
      if (o.json) {
        rows.push_back({{"model", name},
                        {"size_bytes", model->file_size()},
                        {"params", model->n_params()},
                        {"type", model->type_label()},
                        {"threads", r.threads},
                        {"test", r.test},
                        {"tokens_per_second", r.mean},
                        {"stddev", r.stddev}});
      } else {
        std::cout << fmt::format("| {} | {} | {} | {} | {} | {} | {:.2f} ± {:.2f} |\n", name,
                                 human_size(model->file_size()), human_params(model->n_params()), model->type_label(),
                                 r.threads, r.test, r.mean, r.stddev)
                  << std::flush;
      }
    }
  }
  if (o.json) std::cout << rows.dump(2) << "\n";
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  std::cerr << fmt::format("kernels: {}; peak RSS: {:.1f} MiB\n", kernels::isa_name(kernels::best_isa()),
                           static_cast<double>(ru.ru_maxrss) / 1024.0);
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench", "Measure prompt processing and generation speed of a GGUF model");
  auto o = std::make_shared<BenchOptions>();
  cmd->add_option("-m,--model", o->model, "GGUF model file")->required();
  cmd->add_option("-p,--n-prompt", o->n_prompt, "Prompt lengths (0 to skip)")->capture_default_str()->delimiter(',');
  cmd->add_option("-n,--n-gen", o->n_gen, "Generation lengths (0 to skip)")->capture_default_str()->delimiter(',');
  cmd->add_option("-t,--threads", o->threads, "Thread counts (default: physical cores)")->delimiter(',');
  cmd->add_option("-r,--repetitions", o->reps, "Repetitions per test")->capture_default_str();
  cmd->add_option("--kv-type", o->kv_type, "KV cache type: f16, f32, q8_0")->capture_default_str();
  cmd->add_flag("--json", o->json, "Print a JSON array of rows");
  cmd->callback([o] { run_bench(*o); });
}

}  // namespace corral::dev
