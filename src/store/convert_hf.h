// Conversion of a Hugging Face model folder (config.json, *.safetensors with
// optional model.safetensors.index.json, tokenizer files) to a GGUF file with
// llama.cpp's tensor names and metadata keys. Architectures: llama
// (LlamaForCausalLM, with the Q/K row permutation from HF's rotate-half
// layout), qwen2 (Qwen2ForCausalLM), qwen3 (Qwen3ForCausalLM).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "store/create.h"

namespace corral::gguf {
class Writer;
}

namespace corral::store {

struct ConvertHfOptions {
  ConvertType type = ConvertType::f16;
  // Called with bytes of tensor data written so far and the total.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  // Adds the tokenizer's metadata (tokenizer.ggml.*) from the folder. The
  // default uses src/tokenizer when it is built in; otherwise conversion
  // fails with a message saying the tokenizer part is missing.
  std::function<void(const std::filesystem::path& dir, gguf::Writer& writer)> write_tokenizer;
};

// Writes the GGUF to out_path (atomically). Throws Error naming the file and
// problem for unsupported architectures, missing or inconsistent tensors,
// unsupported dtypes, and malformed inputs.
void convert_hf_to_gguf(const std::filesystem::path& dir, const std::filesystem::path& out_path,
                        const ConvertHfOptions& options = {});

// The GGUF architecture name for a config.json "architectures"/"model_type",
// or "" when the model is not supported.
std::string hf_architecture_to_gguf(const std::string& hf_architecture);

}  // namespace corral::store
