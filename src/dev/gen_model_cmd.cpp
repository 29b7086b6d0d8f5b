// `corral dev gen-model`: the test-model generator on the command line.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "dev/dev_commands.h"
#include "dev/model_generator.h"

namespace corral::dev {

void add_gen_model_command(CLI::App& dev) {
  auto* cmd = dev.add_subcommand("gen-model", "Write a GGUF model with deterministic random weights");
  auto spec = std::make_shared<ModelSpec>();
  auto out = std::make_shared<std::string>();
  cmd->add_option("-o,--out", *out, "Output GGUF file")->required();
  cmd->add_option("--arch", spec->arch, "llama | qwen2 | qwen3")->capture_default_str();
  cmd->add_option("--name", spec->name, "general.name")->capture_default_str();
  cmd->add_option("--hidden", spec->hidden, "Embedding length")->capture_default_str();
  cmd->add_option("--layers", spec->layers, "Block count")->capture_default_str();
  cmd->add_option("--heads", spec->heads, "Attention heads")->capture_default_str();
  cmd->add_option("--kv-heads", spec->kv_heads, "KV heads")->capture_default_str();
  cmd->add_option("--head-dim", spec->head_dim, "Head size (default hidden/heads)");
  cmd->add_option("--ffn", spec->ffn, "Feed-forward length")->capture_default_str();
  cmd->add_option("--ctx", spec->ctx, "Training context length")->capture_default_str();
  cmd->add_option("--rope-base", spec->rope_base, "RoPE frequency base")->capture_default_str();
  cmd->add_flag("--tied", spec->tied, "Tie output to token embeddings");
  cmd->add_option("--type", spec->type, "Tensor type (F32, F16, Q8_0, ...) or file type (Q4_K_M, ...)")
      ->capture_default_str();
  cmd->add_option("--vocab", spec->vocab, "GGUF file to copy the vocabulary from");
  cmd->add_option("--vocab-size", spec->vocab_size, "Size of the synthetic vocabulary")->capture_default_str();
  cmd->add_option("--seed", spec->seed, "Random seed")->capture_default_str();
  cmd->add_option("-t,--threads", spec->threads, "Threads (default: physical cores)");
  cmd->callback([spec, out] {
    generate_model(*spec, *out, [](std::size_t done, std::size_t total) {
      std::fprintf(stderr, "\rwriting tensors %zu/%zu", done, total);
      if (done == total) std::fprintf(stderr, "\n");
    });
  });
}

}  // namespace corral::dev
