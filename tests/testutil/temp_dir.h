// TempDir: a fresh directory under $TMPDIR removed (recursively) on destruction.
#pragma once

#include <filesystem>
#include <string>

namespace corral::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes bytes to a file (throws on error).
void write_file(const std::filesystem::path& p, const std::string& bytes);

}  // namespace corral::test
