// Tensor element types as GGUF numbers them (ggml_type), with each type's
// block layout: how many values a block holds and how many bytes it takes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace corral {

enum class TensorType : std::uint32_t {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q4_1 = 3,
  Q5_0 = 6,
  Q5_1 = 7,
  Q8_0 = 8,
  Q8_1 = 9,
  Q2_K = 10,
  Q3_K = 11,
  Q4_K = 12,
  Q5_K = 13,
  Q6_K = 14,
  Q8_K = 15,
  IQ2_XXS = 16,
  IQ2_XS = 17,
  IQ3_XXS = 18,
  IQ1_S = 19,
  IQ4_NL = 20,
  IQ3_S = 21,
  IQ2_S = 22,
  IQ4_XS = 23,
  I8 = 24,
  I16 = 25,
  I32 = 26,
  I64 = 27,
  F64 = 28,
  IQ1_M = 29,
  BF16 = 30,
  TQ1_0 = 34,
  TQ2_0 = 35,
};

struct TensorTypeInfo {
  TensorType type;
  std::string_view name;    // "Q4_K", as llama.cpp prints it
  std::uint32_t block_size;  // values per block
  std::uint32_t type_size;   // bytes per block
};

// Layout of a known type id, or nullopt for ids GGUF does not define.
std::optional<TensorTypeInfo> tensor_type_info(std::uint32_t id);
// Same, for a valid enum value (asserts it is known).
const TensorTypeInfo& type_info(TensorType t);
std::string_view type_name(TensorType t);
// Parses a name such as "q4_k" or "Q8_0" (case-insensitive).
std::optional<TensorType> parse_type_name(std::string_view name);

// Bytes for n values of type t (n must be a multiple of the block size).
inline std::size_t row_bytes(TensorType t, std::int64_t n) {
  const auto& ti = type_info(t);
  return static_cast<std::size_t>(n / ti.block_size) * ti.type_size;
}

}  // namespace corral
