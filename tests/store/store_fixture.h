// Test helpers: a fresh store in a temp dir, and writing store files by hand
// exactly as Ollama lays them out (so tests do not depend on corral's writer).
#pragma once

#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <string>

#include "store/store.h"
#include "testutil/temp_dir.h"
#include "util/sha256.h"

namespace corral::store::test_support {

inline std::string digest_of(const std::string& bytes) { return "sha256:" + sha256_hex(bytes); }

// Writes blobs/sha256-<hex> directly; returns the digest.
inline std::string put_blob(const std::filesystem::path& root, const std::string& bytes) {
  const std::string hex = sha256_hex(bytes);
  std::filesystem::create_directories(root / "blobs");
  corral::test::write_file(root / "blobs" / ("sha256-" + hex), bytes);
  return "sha256:" + hex;
}

// Writes manifests/<rel> directly.
inline void put_manifest(const std::filesystem::path& root, const std::string& rel, const std::string& bytes) {
  const auto p = root / "manifests" / rel;
  std::filesystem::create_directories(p.parent_path());
  corral::test::write_file(p, bytes);
}

// Sets a file's mtime `seconds_ago` into the past.
inline void age(const std::filesystem::path& p, long seconds_ago) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  const time_t t = ::time(nullptr) - seconds_ago;
  struct utimbuf ub {t, t};
  ::utime(p.c_str(), &ub);
}

// A manifest in the exact bytes Ollama's create writes (Go json.Encoder).
inline std::string ollama_manifest(const std::string& config_digest, long config_size,
                                   const std::string& layers_json) {
  return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
         "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" +
         config_digest + "\",\"size\":" + std::to_string(config_size) + "},\"layers\":[" + layers_json + "]}\n";
}

inline std::string ollama_layer(const std::string& media, const std::string& digest, long size,
                                const std::string& from = "") {
  std::string s = "{\"mediaType\":\"application/vnd.ollama.image." + media + "\",\"digest\":\"" + digest +
                  "\",\"size\":" + std::to_string(size);
  if (!from.empty()) s += ",\"from\":\"" + from + "\"";
  return s + "}";
}

}  // namespace corral::store::test_support
