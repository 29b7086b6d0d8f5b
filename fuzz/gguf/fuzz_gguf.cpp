// libFuzzer target: the GGUF reader must reject any input with an Error,
// never crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <span>

#include "gguf/gguf_file.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    auto f = corral::gguf::File::parse(std::span<const std::uint8_t>(data, size), "fuzz");
    // Touch everything the reader exposes.
    std::size_t sum = 0;
    for (const auto& kv : f.metadata()) sum += kv.value.to_display().size();
    for (const auto& t : f.tensors()) {
      const std::uint8_t* p = f.tensor_data(t);
      if (t.n_bytes) sum += p[0] + p[t.n_bytes - 1];
    }
    (void)f.get_string_array("tokenizer.ggml.tokens");
    return static_cast<int>(sum & 0);
  } catch (const corral::Error&) {
  }
  return 0;
}
