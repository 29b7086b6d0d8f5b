// quantize_model against real llama-quantize (b4748) outputs in shared/golden:
//  - requantizing a file to its own file type copies every tensor and must reproduce the file byte for
//    byte (metadata order and values, tensor order, offsets, alignment, padding);
//  - a Q8_0 file expanded to an F32 master (exact: every q * d fits in a float) and quantized back to Q8_0
//    must also reproduce it byte for byte, which exercises the whole conversion path on real data.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "quant/dequantize.h"
#include "quant/quantize_model.h"
#include "testutil/shared_data.h"
#include "testutil/temp_dir.h"

namespace corral::quant {
namespace {

void expect_same_bytes(const gguf::File& a, const gguf::File& b) {
  ASSERT_EQ(a.file_size(), b.file_size());
  EXPECT_EQ(0, std::memcmp(a.bytes().data(), b.bytes().data(), a.file_size()));
}

TEST(QuantizeGolden, RequantizingToTheSameTypeReproducesTheFile) {
  const std::pair<const char*, FileType> files[] = {{"golden/g-llama-spm-Q4_K_M.gguf", FileType::Q4_K_M},
                                                    {"golden/g-llama3-Q8_0.gguf", FileType::Q8_0},
                                                    {"golden/g-qwen2-Q8_0.gguf", FileType::Q8_0}};
  ::corral::test::TempDir dir;
  for (const auto& [name, ftype] : files) {
    CORRAL_SHARED_FILE_OR_SKIP(path, name);
    const auto in = gguf::File::open(path.string());
    quantize_model(in, (dir / "out.gguf").string(), ftype, 2, {});
    expect_same_bytes(in, gguf::File::open((dir / "out.gguf").string()));
  }
}

TEST(QuantizeGolden, Q8_0FromF32MasterReproducesTheFile) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "golden/g-qwen3-Q8_0.gguf");
  const auto golden = gguf::File::open(path.string());
  ::corral::test::TempDir dir;
  {
    gguf::Writer master;
    for (const auto& kv : golden.metadata()) master.set(kv.key, kv.value);
    master.set("general.file_type", gguf::Value::u32(0));  // ALL_F32
    for (const auto& t : golden.tensors()) {
      const gguf::TensorInfo* info = &t;
      master.add_tensor(t.name, TensorType::F32, t.dims, [&golden, info](std::uint8_t* dst, std::size_t) {
        const std::int64_t n = info->dims[0];
        std::vector<float> row(static_cast<std::size_t>(n));
        for (std::int64_t r = 0; r < info->rows(); ++r) {
          dequantize_row(info->type, golden.tensor_data(*info) + static_cast<std::size_t>(r) * row_bytes(info->type, n),
                         row.data(), n);
          std::memcpy(dst + static_cast<std::size_t>(r * n) * sizeof(float), row.data(), row.size() * sizeof(float));
        }
      });
    }
    master.write((dir / "f32.gguf").string());
  }
  const auto f32 = gguf::File::open((dir / "f32.gguf").string());
  for (const auto& t : f32.tensors()) ASSERT_EQ(t.type, TensorType::F32);
  quantize_model(f32, (dir / "q8.gguf").string(), FileType::Q8_0, 0, {});
  expect_same_bytes(golden, gguf::File::open((dir / "q8.gguf").string()));
}

}  // namespace
}  // namespace corral::quant
