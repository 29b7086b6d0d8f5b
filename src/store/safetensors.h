// SafetensorsFile: a memory-mapped .safetensors file (8-byte little-endian
// header length, JSON header naming each tensor's dtype, shape and byte
// range, then the data). Every length, shape and offset is checked against
// the file before use; a corrupt file gives an Error naming it and the
// problem. Tensors are read as float from F32, F16 and BF16 data.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/mapped_file.h"

namespace corral::store {

enum class StDtype { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL, F8_E4M3, F8_E5M2 };
std::string_view st_dtype_name(StDtype t);
std::size_t st_dtype_size(StDtype t);

struct StTensor {
  std::string name;
  StDtype dtype = StDtype::F32;
  std::vector<std::int64_t> shape;  // outermost first, as HF writes it
  std::uint64_t begin = 0;          // byte offsets within the data section
  std::uint64_t end = 0;
  std::uint64_t n_elements = 0;
};

class SafetensorsFile {
 public:
  // Header size limit (the format's reference implementation uses 100 MB).
  static constexpr std::uint64_t kMaxHeaderBytes = 100u << 20;

  static SafetensorsFile open(const std::string& path);
  // Parses bytes held elsewhere (tests, fuzzing); `bytes` must outlive the object.
  static SafetensorsFile parse(std::span<const std::uint8_t> bytes, const std::string& name = "<memory>");

  const std::string& name() const { return name_; }
  const std::vector<StTensor>& tensors() const { return tensors_; }
  const StTensor* find(std::string_view tensor_name) const;
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  // The tensor's bytes (bounds were checked when parsing).
  std::span<const std::uint8_t> data(const StTensor& t) const;
  // Converts a F32/F16/BF16 tensor to float into out (n_elements values);
  // Error naming the tensor for other dtypes.
  void read_f32(const StTensor& t, std::span<float> out) const;

 private:
  void parse_header();

  std::string name_;
  MappedFile map_;
  std::span<const std::uint8_t> bytes_;
  std::uint64_t data_offset_ = 0;
  std::vector<StTensor> tensors_;
  std::map<std::string, std::size_t, std::less<>> index_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace corral::store
