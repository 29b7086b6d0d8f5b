// gguf::Writer: builds a GGUF file (version 3) from metadata and tensors and
// writes it atomically. A File read in and written back unchanged yields the
// same bytes (same order, same alignment, zero padding).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gguf/gguf_file.h"

namespace corral::gguf {

class Writer {
 public:
  Writer() = default;
  // Starts from an existing file: its version, metadata and tensors (data read from it).
  explicit Writer(const File& source);

  void set_version(std::uint32_t v) { version_ = v; }
  // Sets (replacing in place, or appending) a metadata value.
  void set(const std::string& key, Value value);
  void remove(const std::string& key);
  const Value* find(const std::string& key) const;
  const std::vector<KeyValue>& metadata() const { return kv_; }

  // Fills dst (exactly n_bytes) with a tensor's data.
  using DataFn = std::function<void(std::uint8_t* dst, std::size_t n_bytes)>;
  // Adds a tensor. dims[0] is the row length. Data comes from `fill` at write time.
  void add_tensor(const std::string& name, TensorType type, std::vector<std::int64_t> dims, DataFn fill);
  // Adds a tensor whose bytes live in memory that outlives write().
  void add_tensor(const std::string& name, TensorType type, std::vector<std::int64_t> dims, const void* data);
  std::size_t tensor_count() const { return tensors_.size(); }

  // Serializes to `path` through a temporary file + fsync + rename.
  void write(const std::string& path) const;
  // Serializes to memory (tests).
  std::vector<std::uint8_t> to_bytes() const;

 private:
  struct PendingTensor {
    TensorInfo info;
    DataFn fill;
  };
  std::uint32_t alignment() const;
  void layout(std::vector<std::uint8_t>& header, std::uint64_t& data_size) const;
  template <typename Sink>
  void emit(Sink& sink) const;

  std::uint32_t version_ = 3;
  std::vector<KeyValue> kv_;
  std::vector<PendingTensor> tensors_;
};

}  // namespace corral::gguf
