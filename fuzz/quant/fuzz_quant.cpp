// libFuzzer target for the tensor formats. Input starting with "GGUF": parse it
// and plan a whole-model quantization (metadata and tensor names are outside
// input). Otherwise: byte 0 picks a format, the rest are raw blocks to
// dequantize and dot with themselves, and raw floats to quantize. Bad input may
// raise Error; nothing may crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "gguf/gguf_file.h"
#include "quant/dequantize.h"
#include "quant/file_type.h"
#include "quant/quantize.h"
#include "quant/tensor_mix.h"
#include "quant/vec_dot_ref.h"
#include "util/error.h"

namespace {

using corral::TensorType;

constexpr TensorType kTypes[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16, TensorType::Q4_0,
                                 TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1, TensorType::Q8_0,
                                 TensorType::Q8_1, TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K,
                                 TensorType::Q5_K, TensorType::Q6_K, TensorType::Q8_K, TensorType::IQ4_NL,
                                 TensorType::IQ4_XS};

void plan_quantization(const std::uint8_t* data, std::size_t size) {
  auto f = corral::gguf::File::parse(std::span<const std::uint8_t>(data, size), "fuzz");
  const auto model = corral::quant::ModelInfo::from_gguf(f);
  std::vector<corral::quant::TensorDesc> descs;
  for (const auto& t : f.tensors()) descs.push_back({t.name, t.dims, t.type});
  for (auto ft : corral::quant::supported_file_types()) {
    try {
      (void)corral::quant::choose_tensor_types(model, descs, ft);
    } catch (const corral::Error&) {
    }
  }
}

void exercise_blocks(const std::uint8_t* data, std::size_t size) {
  const TensorType t = kTypes[data[0] % std::size(kTypes)];
  const auto& info = corral::type_info(t);
  const std::span<const std::uint8_t> body(data + 1, size - 1);
  const std::int64_t blocks = static_cast<std::int64_t>(body.size() / info.type_size);
  const std::int64_t n = blocks * info.block_size;
  std::vector<float> values(static_cast<std::size_t>(n));
  corral::quant::dequantize_row(t, body.data(), values.data(), n);
  if (t != TensorType::Q8_1 && t != TensorType::Q8_K) {
    // the same bytes as weights and, where the pairing has the same block layout, as activations
    const TensorType at = corral::quant::vec_dot_type(t);
    std::vector<std::uint8_t> acts(corral::row_bytes(at, n));
    corral::quant::quantize_activations(at, values.data(), acts.data(), n);  // any floats, no check
    (void)corral::quant::vec_dot_ref(t, n, body.data(), acts.data());
  }
  // the raw bytes as floats (NaN and infinity included): quantize to the same format
  const std::int64_t nf = static_cast<std::int64_t>(body.size() / 4) / info.block_size * info.block_size;
  std::vector<float> floats(static_cast<std::size_t>(nf));
  if (nf) std::memcpy(floats.data(), body.data(), static_cast<std::size_t>(nf) * 4);
  std::vector<std::uint8_t> out(corral::row_bytes(t, nf));
  try {
    corral::quant::quantize_row(t, floats.data(), out.data(), nf);
  } catch (const corral::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  try {
    if (size >= 4 && std::memcmp(data, "GGUF", 4) == 0)
      plan_quantization(data, size);
    else
      exercise_blocks(data, size);
  } catch (const corral::Error&) {
  }
  return 0;
}
