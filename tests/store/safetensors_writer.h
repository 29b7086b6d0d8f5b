// Test helper: writes .safetensors files by hand (header JSON + data).
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "testutil/temp_dir.h"
#include "util/fp16.h"

namespace corral::store::test_support {

struct StEntry {
  std::string name;
  std::string dtype;  // "F32", "F16", "BF16"
  std::vector<std::int64_t> shape;
  std::vector<float> values;
};

inline std::string safetensors_bytes(const std::vector<StEntry>& entries) {
  nlohmann::ordered_json header;
  header["__metadata__"] = {{"format", "pt"}};
  std::string data;
  for (const auto& e : entries) {
    const std::size_t begin = data.size();
    for (float v : e.values) {
      if (e.dtype == "F32") {
        data.append(reinterpret_cast<const char*>(&v), 4);
      } else {
        const std::uint16_t h = e.dtype == "F16" ? fp32_to_fp16(v) : fp32_to_bf16(v);
        data.append(reinterpret_cast<const char*>(&h), 2);
      }
    }
    header[e.name] = {{"dtype", e.dtype}, {"shape", e.shape}, {"data_offsets", {begin, data.size()}}};
  }
  std::string h = header.dump();
  while (h.size() % 8) h.push_back(' ');
  std::string out(8, '\0');
  const std::uint64_t n = h.size();
  std::memcpy(out.data(), &n, 8);
  return out + h + data;
}

inline std::vector<float> iota_values(std::size_t n, float scale = 0.01f, float offset = 0) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = offset + scale * static_cast<float>((i * 37) % 101) - 0.5f;
  return v;
}

}  // namespace corral::store::test_support
