// SHA-256 (OpenSSL EVP) for content addressing: incremental hasher and
// one-shot helpers returning lowercase hex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace corral {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  void update(const void* data, std::size_t size);
  void update(std::string_view s) { update(s.data(), s.size()); }
  // Finishes and returns 64 lowercase hex characters. The hasher is reset.
  std::string hex_digest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha256_hex(std::string_view data);
// Hashes a file by streaming it; throws Error naming the file on I/O failure.
std::string sha256_file_hex(const std::string& path);

}  // namespace corral
