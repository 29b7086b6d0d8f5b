// ModelWeights: the tensors of a llama/qwen2/qwen3 model bound by name from a
// GGUF file, with every shape checked against the hyper-parameters. The
// data stays in the file mapping.
#pragma once

#include <vector>

#include "kernels/matrix.h"
#include "model/hparams.h"

namespace corral::gguf {
class File;
}

namespace corral::model {

using kernels::Matrix;

// A 1-D tensor (norm weight, bias), always F32 after loading checks.
struct Vector {
  const float* data = nullptr;
  std::int64_t n = 0;
  explicit operator bool() const { return data != nullptr; }
};

struct LayerWeights {
  Vector attn_norm;
  Matrix wq, wk, wv, wo;
  Vector bq, bk, bv;          // qwen2
  Vector q_norm, k_norm;      // qwen3: per-head RMS norm weights [head_dim]
  Vector ffn_norm;
  Matrix ffn_gate, ffn_up, ffn_down;
};

struct ModelWeights {
  Matrix token_embd;  // [n_vocab rows of n_embd]
  Vector output_norm;
  Matrix output;      // token_embd when tied
  bool tied_output = false;
  Vector rope_freqs;  // llama3 frequency factors [n_rot/2], optional
  std::vector<LayerWeights> layers;
};

// Binds and validates the weights. May set p.n_vocab from token_embd.
ModelWeights bind_weights(const gguf::File& file, ModelParams& p);

}  // namespace corral::model
