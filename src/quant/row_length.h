// Internal to quant/: checks a row length against a type's block size.
#pragma once

#include <cstdint>

#include "gguf/tensor_type.h"
#include "util/error.h"

namespace corral::quant::detail {

// The number of blocks in a row of n values of type t; throws Error naming `op` when n is negative
// or not a multiple of the block size.
inline std::int64_t blocks_in_row(TensorType t, std::int64_t n, const char* op) {
  const std::int64_t bs = type_info(t).block_size;
  if (n < 0 || n % bs != 0)
    fail("{}: row length {} is not a multiple of the {} block size {}", op, n, type_name(t), bs);
  return n / bs;
}

}  // namespace corral::quant::detail
