// gguf::File: a parsed GGUF model file (versions 2 and 3), memory-mapped.
// Every count, length, offset and extent is checked against the file size
// while parsing; a corrupt or truncated file throws Error naming the file
// and the problem. Tensor data is served straight from the mapping.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gguf/tensor_type.h"
#include "gguf/value.h"
#include "util/mapped_file.h"

namespace corral::gguf {

inline constexpr std::uint32_t kDefaultAlignment = 32;
inline constexpr int kMaxDims = 4;

struct KeyValue {
  std::string key;
  Value value;
};

struct TensorInfo {
  std::string name;
  std::vector<std::int64_t> dims;  // dims[0] is the innermost (row length)
  TensorType type = TensorType::F32;
  std::uint64_t offset = 0;        // relative to the start of the data section
  std::uint64_t n_elements = 0;
  std::uint64_t n_bytes = 0;

  std::int64_t ne(int i) const { return i < static_cast<int>(dims.size()) ? dims[i] : 1; }
  std::int64_t rows() const { return n_elements ? static_cast<std::int64_t>(n_elements) / dims[0] : 0; }
};

class File {
 public:
  // Maps and parses a file. Throws Error("<path>: <problem>").
  static File open(const std::string& path);
  // Parses bytes held elsewhere (tests, fuzzing). `bytes` must outlive the File.
  static File parse(std::span<const std::uint8_t> bytes, const std::string& name = "<memory>");

  const std::string& name() const { return name_; }
  std::uint32_t version() const { return version_; }
  std::uint32_t alignment() const { return alignment_; }
  std::uint64_t data_offset() const { return data_offset_; }
  std::uint64_t file_size() const { return bytes_.size(); }
  std::span<const std::uint8_t> bytes() const { return bytes_; }

  const std::vector<KeyValue>& metadata() const { return kv_; }
  const Value* find(std::string_view key) const;

  // Typed lookups. Absent key: nullopt. Present with an incompatible type: Error.
  std::optional<std::string> get_string(std::string_view key) const;
  std::optional<std::uint64_t> get_uint(std::string_view key) const;
  std::optional<std::int64_t> get_int(std::string_view key) const;
  std::optional<double> get_float(std::string_view key) const;
  std::optional<bool> get_bool(std::string_view key) const;
  std::optional<std::vector<std::string>> get_string_array(std::string_view key) const;
  std::optional<std::vector<float>> get_float_array(std::string_view key) const;
  std::optional<std::vector<std::int64_t>> get_int_array(std::string_view key) const;
  // "general.architecture" or "" when absent.
  std::string architecture() const;

  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  const TensorInfo* find_tensor(std::string_view name) const;
  const std::uint8_t* tensor_data(const TensorInfo& t) const { return bytes_.data() + data_offset_ + t.offset; }

  // Keeps the mapping alive (File::open); tensors point into it.
  const MappedFile& mapping() const { return map_; }

 private:
  void parse_all();

  std::string name_;
  MappedFile map_;
  std::span<const std::uint8_t> bytes_;
  std::uint32_t version_ = 0;
  std::uint32_t alignment_ = kDefaultAlignment;
  std::uint64_t data_offset_ = 0;
  std::vector<KeyValue> kv_;
  std::unordered_map<std::string, std::size_t> kv_index_;
  std::vector<TensorInfo> tensors_;
  std::unordered_map<std::string, std::size_t> tensor_index_;
};

}  // namespace corral::gguf
