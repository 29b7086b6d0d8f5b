// The type of every tensor in a whole-model quantization, chosen as
// llama.cpp's llama-quantize (b4748, no importance matrix) chooses it:
// which tensors are quantized at all (2-D+ "*weight" tensors except norms and
// a few special ones), the output / tied-embedding rule, the attn_v and
// ffn_down upgrades on the "use more bits" layers, the per-file-type rules,
// and the fallbacks for row lengths that the chosen block size does not divide.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "gguf/gguf_file.h"
#include "gguf/tensor_type.h"
#include "quant/file_type.h"

namespace corral::quant {

// What the rules need to know about the model (llama.cpp's hparams).
struct ModelInfo {
  std::string arch;   // general.architecture
  int n_layer = 0;    // {arch}.block_count
  int n_head = 0;     // {arch}.attention.head_count (layer 0 when per layer)
  int n_head_kv = 0;  // {arch}.attention.head_count_kv (defaults to n_head)
  int n_expert = 0;   // {arch}.expert_count (0 without experts)

  // Reads the fields from a GGUF file; throws Error naming the file when block_count is missing.
  static ModelInfo from_gguf(const gguf::File& file);
};

struct TensorDesc {
  std::string name;
  std::vector<std::int64_t> dims;  // dims[0] is the row length
  TensorType type = TensorType::F32;  // type in the input file
};

// True when llama-quantize would quantize this tensor at all (else it is copied unchanged).
bool is_quantizable(const TensorDesc& t);

// llama-quantize's tensor order: tensors outside "blk.N." first, then by layer N; by name within each.
bool comes_before(const std::string& a, const std::string& b);

// The output type of each tensor (same order as `tensors`) for a quantization to `ftype`.
// Throws Error when a tensor's row length fits neither the chosen type nor its fallbacks.
std::vector<TensorType> choose_tensor_types(const ModelInfo& model, std::span<const TensorDesc> tensors,
                                            FileType ftype);

}  // namespace corral::quant
