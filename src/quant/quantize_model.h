// Whole-model quantization: reads a GGUF model and writes a new one whose
// tensors have the types llama-quantize would choose for the file type
// (see tensor_mix.h), with general.file_type and general.quantization_version
// set. Used by the model store's `create --quantize`.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "gguf/gguf_file.h"
#include "quant/file_type.h"

namespace corral::quant {

// Quantizes `in` to `ftype` and writes the result to out_path (atomically, via gguf::Writer).
// Metadata are copied in order (split keys dropped), general.quantization_version = 2 and
// general.file_type = the LLAMA_FTYPE number are set; tensors are written in llama-quantize's order.
// Tensors whose type changes are converted to f32 first when they are not F32 (F16, BF16 or any
// dequantizable type), then quantized row by row on n_threads threads (<= 0: all cores).
// progress(done, total) is called with byte counts of input tensor data, once before any work and
// after each tensor. Throws Error naming the tensor for non-finite values, unconvertible types or row
// lengths that fit no type; nothing is left at out_path then.
void quantize_model(const gguf::File& in, const std::string& out_path, FileType ftype, int n_threads,
                    std::function<void(std::size_t done, std::size_t total)> progress = {});

}  // namespace corral::quant
