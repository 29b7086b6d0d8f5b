// Model: an immutable loaded model (the mapped GGUF file, its parameters and
// bound weights). Shared by every Context that runs it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "gguf/gguf_file.h"
#include "model/hparams.h"
#include "model/weights.h"

namespace corral::model {

class Model {
 public:
  // Maps and validates a GGUF model file. Throws Error naming the file.
  static std::shared_ptr<const Model> load(const std::string& path);

  const gguf::File& file() const { return file_; }
  const ModelParams& params() const { return params_; }
  const ModelWeights& weights() const { return weights_; }
  // Number of weight values (all tensors).
  std::uint64_t n_params() const { return n_params_; }
  std::uint64_t file_size() const { return file_.file_size(); }
  // "Q4_K_M"-style name of the dominant weight type, as llama-bench prints it.
  std::string type_label() const;

 private:
  gguf::File file_;
  ModelParams params_;
  ModelWeights weights_;
  std::uint64_t n_params_ = 0;
};

}  // namespace corral::model
