// Locating ../shared and the corral binary for tests.
#include "testutil/shared_data.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace corral::test {

std::filesystem::path source_dir() {
  if (const char* s = std::getenv("CORRAL_SOURCE_DIR")) return s;
#ifdef CORRAL_SOURCE_DIR_DEFAULT
  return CORRAL_SOURCE_DIR_DEFAULT;
#else
  return std::filesystem::current_path();
#endif
}

std::optional<std::filesystem::path> shared_dir() {
  std::filesystem::path p;
  if (const char* s = std::getenv("CORRAL_SHARED"); s && *s)
    p = s;
  else
    p = source_dir() / ".." / "shared";
  std::error_code ec;
  if (!std::filesystem::is_directory(p, ec)) return std::nullopt;
  return std::filesystem::weakly_canonical(p, ec);
}

std::optional<std::filesystem::path> shared_file(const std::string& relative) {
  auto dir = shared_dir();
  if (!dir) return std::nullopt;
  auto p = *dir / relative;
  std::error_code ec;
  if (!std::filesystem::exists(p, ec)) return std::nullopt;
  return p;
}

std::string corral_binary() {
  if (const char* s = std::getenv("CORRAL_BINARY"); s && *s) return s;
#ifdef CORRAL_BINARY_DEFAULT
  return CORRAL_BINARY_DEFAULT;
#else
  return "";
#endif
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace corral::test
