// TempDir implementation (mkdtemp).
#include "testutil/temp_dir.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace corral::test {

TempDir::TempDir() {
  std::string base = std::filesystem::temp_directory_path() / "corral-test-XXXXXX";
  if (!::mkdtemp(base.data())) throw std::runtime_error("mkdtemp failed");
  path_ = base;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  if (!out) throw std::runtime_error("cannot create " + p.string());
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

}  // namespace corral::test
