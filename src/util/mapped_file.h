// MappedFile: a read-only memory mapping of a whole file (RAII).
// Model weights are used straight from the mapping, never copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace corral {

class MappedFile {
 public:
  MappedFile() = default;
  // Maps `path` read-only. Throws Error naming the file if it cannot be opened
  // or mapped. An empty file maps to an empty span.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::span<const std::uint8_t> bytes() const { return {data_, size_}; }
  const std::string& path() const { return path_; }

  // Hints: the range will be read sequentially / soon (madvise). Best effort.
  void advise_sequential() const;
  void advise_willneed(std::size_t offset, std::size_t length) const;
  // Asks for huge-page mappings where the page cache holds huge folios (fewer
  // TLB misses when weights stream through every token). Best effort.
  void advise_hugepage() const;

 private:
  void reset();
  std::string path_;
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace corral
