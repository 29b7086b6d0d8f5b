// The test-model generator: writes a GGUF model of a supported architecture
// and shape with deterministic random weights (same spec + seed = same
// bytes) in any weight type or llama-quantize file type, with a vocabulary
// copied from a GGUF file or a synthetic one. Tests and benchmarks use it
// instead of downloading models.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace corral::dev {

struct ModelSpec {
  std::string arch = "llama";  // llama | qwen2 | qwen3
  std::string name = "corral-test";
  std::int64_t hidden = 64;
  std::int64_t layers = 2;
  std::int64_t heads = 4;
  std::int64_t kv_heads = 2;
  std::int64_t head_dim = 0;  // 0: hidden / heads
  std::int64_t ffn = 128;
  std::int64_t ctx = 2048;
  float rope_base = 10000.0f;
  float rms_eps = 1e-5f;
  bool tied = false;           // no output.weight: logits use token_embd
  std::string type = "F32";    // a tensor type (Q8_0, F16, ...) or a file type (Q4_K_M, ...)
  std::string vocab;           // GGUF file whose tokenizer.* keys are copied; empty: synthetic
  std::int64_t vocab_size = 512;  // synthetic vocabulary size (>= 259)
  std::uint64_t seed = 42;
  int threads = 0;
  std::string chat_template;   // tokenizer.chat_template (Jinja), written when not empty
};

// Writes the model; progress(done, total) counts tensors. Throws Error on a bad spec.
void generate_model(const ModelSpec& spec, const std::string& out_path,
                    const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace corral::dev
