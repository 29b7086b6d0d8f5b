// Test access to ../shared (reference data): its location comes from
// CORRAL_SHARED (default: <project>/../shared). Tests that need it skip,
// saying why, when it is absent.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

namespace corral::test {

// The shared data folder, or nullopt when it does not exist.
std::optional<std::filesystem::path> shared_dir();
// Path of a file under shared/, or nullopt when shared/ or the file is absent.
std::optional<std::filesystem::path> shared_file(const std::string& relative);
// The project's source folder (CORRAL_SOURCE_DIR, set by CTest).
std::filesystem::path source_dir();
// The corral binary under test (CORRAL_BINARY, set by CTest), or "" if unknown.
std::string corral_binary();
// Reads a whole file into a string (throws on error).
std::string read_file(const std::filesystem::path& p);

}  // namespace corral::test

// Declares `var` as the path of shared/<relative>, or skips the test.
#define CORRAL_SHARED_FILE_OR_SKIP(var, relative)                                         \
  auto var##_opt = ::corral::test::shared_file(relative);                                 \
  if (!var##_opt) GTEST_SKIP() << "shared data not found: " << (relative)                 \
                               << " (set CORRAL_SHARED to the shared/ folder)";           \
  const std::filesystem::path var = *var##_opt
