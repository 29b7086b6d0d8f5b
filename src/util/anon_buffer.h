// AnonBuffer: a large zero-initialised buffer from anonymous mmap. Pages
// become resident only when first written, so a big KV cache costs memory
// in proportion to the positions actually used.
#pragma once

#include <cstddef>
#include <cstdint>

namespace corral {

class AnonBuffer {
 public:
  AnonBuffer() = default;
  explicit AnonBuffer(std::size_t bytes);  // throws Error when the mapping fails
  ~AnonBuffer();
  AnonBuffer(AnonBuffer&& o) noexcept;
  AnonBuffer& operator=(AnonBuffer&& o) noexcept;
  AnonBuffer(const AnonBuffer&) = delete;
  AnonBuffer& operator=(const AnonBuffer&) = delete;

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace corral
