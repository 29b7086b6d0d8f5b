// Whole-model quantization types ("file types"), numbered as llama.cpp's
// LLAMA_FTYPE (the value of general.file_type), with their names and the
// tensor type each one is built around.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "gguf/tensor_type.h"

namespace corral::quant {

enum class FileType : std::uint32_t {
  F32 = 0,  // LLAMA_FTYPE_ALL_F32
  F16 = 1,
  Q4_0 = 2,
  Q4_1 = 3,
  Q8_0 = 7,
  Q5_0 = 8,
  Q5_1 = 9,
  Q2_K = 10,
  Q3_K_S = 11,
  Q3_K_M = 12,
  Q3_K_L = 13,
  Q4_K_S = 14,
  Q4_K_M = 15,
  Q5_K_S = 16,
  Q5_K_M = 17,
  Q6_K = 18,
  IQ4_NL = 25,
  IQ4_XS = 30,
  BF16 = 32,
};

// Every file type quantize_model can produce, in LLAMA_FTYPE order.
std::span<const FileType> supported_file_types();

// "Q4_K_M", "Q8_0", "F16", ... (the names llama-quantize and Ollama use).
std::string_view file_type_name(FileType t);

// Parses a name case-insensitively ("q4_K_M", "Q8_0", "f16"); also llama-quantize's aliases
// Q3_K, Q4_K and Q5_K for the _M variants. nullopt for anything else.
std::optional<FileType> parse_file_type(std::string_view name);

// The file type numbered `id` (general.file_type), if it is one of the supported ones.
std::optional<FileType> file_type_from_id(std::uint32_t id);

// The tensor type most weights get (Q4_K for Q4_K_M, Q3_K for Q3_K_L, F16 for F16, ...).
TensorType base_tensor_type(FileType t);

}  // namespace corral::quant
