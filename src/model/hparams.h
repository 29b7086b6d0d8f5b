// ModelParams: the hyper-parameters of a supported architecture (llama,
// qwen2, qwen3), read and validated from GGUF metadata.
#pragma once

#include <cstdint>
#include <string>

namespace corral::gguf {
class File;
}

namespace corral::model {

enum class Arch { llama, qwen2, qwen3 };
enum class RopeLayout { normal, neox };  // adjacent pairs (llama) or split halves (qwen)
enum class Pooling { none, mean, cls, last };

struct ModelParams {
  Arch arch = Arch::llama;
  std::string arch_name;
  std::int64_t n_vocab = 0;
  std::int64_t n_ctx_train = 0;
  std::int64_t n_embd = 0;
  std::int64_t n_layer = 0;
  std::int64_t n_ff = 0;
  std::int64_t n_head = 0;
  std::int64_t n_head_kv = 0;
  std::int64_t head_dim_k = 0;  // attention.key_length
  std::int64_t head_dim_v = 0;  // attention.value_length
  std::int64_t n_rot = 0;       // rope.dimension_count
  float rms_eps = 1e-5f;
  float rope_freq_base = 10000.0f;
  float rope_freq_scale = 1.0f;  // 1 / linear scaling factor
  RopeLayout rope_layout = RopeLayout::normal;
  Pooling pooling = Pooling::none;
  bool has_pooling_key = false;  // <arch>.pooling_type present (an embedding model)

  std::int64_t q_dim() const { return n_head * head_dim_k; }
  std::int64_t kv_dim_k() const { return n_head_kv * head_dim_k; }
  std::int64_t kv_dim_v() const { return n_head_kv * head_dim_v; }
};

// Reads and checks the parameters; throws Error naming the file and key on
// an unsupported architecture or inconsistent values.
ModelParams read_model_params(const gguf::File& file);

std::string arch_name(Arch a);

}  // namespace corral::model
