// kernels::Matrix: a view of a weight matrix as stored in a GGUF file:
// n_out rows of n_in values each, rows contiguous, in any tensor type.
#pragma once

#include <cstddef>
#include <cstdint>

#include "gguf/tensor_type.h"

namespace corral::kernels {

struct Matrix {
  const std::uint8_t* data = nullptr;
  TensorType type = TensorType::F32;
  std::int64_t n_in = 0;   // row length (GGUF dims[0])
  std::int64_t n_out = 0;  // number of rows (GGUF dims[1])
  std::size_t row_bytes = 0;

  explicit operator bool() const { return data != nullptr; }
  const std::uint8_t* row(std::int64_t r) const { return data + static_cast<std::size_t>(r) * row_bytes; }
};

}  // namespace corral::kernels
