// Manifest: the Docker-schema-2-shaped JSON file that names a model's config
// blob and layers. Parsing validates every digest and size strictly (the
// digests later become file names); serializing reproduces Go's
// json.Encoder output byte for byte, so a manifest written by corral is the
// one Ollama would write for the same layers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace corral::store {

struct Layer {
  std::string media_type;
  std::string digest;  // canonical "sha256:<hex>"
  std::int64_t size = 0;
  std::string from;  // optional: where the layer came from (parent model or file)
  std::string name;  // optional: tensor name (tensor-model layers)

  bool operator==(const Layer&) const = default;
};

struct Manifest {
  int schema_version = 2;
  std::string media_type;
  Layer config;  // config.digest may be empty (no config blob)
  std::vector<Layer> layers;

  // Sum of layer sizes plus the config size (what /api/tags reports).
  std::int64_t total_size() const;
  // Every digest the manifest references (config first if set, then layers).
  std::vector<std::string> digests() const;
  // The first layer of a media type, or nullptr.
  const Layer* find_layer(std::string_view media_type) const;

  bool operator==(const Manifest&) const = default;
};

// Largest manifest file accepted (far above any real one).
inline constexpr std::size_t kMaxManifestBytes = 16u << 20;

// Parses manifest JSON. Throws Error("<what>: ...") on malformed JSON, wrong
// field types, negative or absurd sizes, and any digest that is not
// "sha256:<64 lowercase hex>". Unknown fields are ignored (registries add some).
Manifest parse_manifest(std::string_view json, std::string_view what = "manifest");

// Go json.Encoder output: compact, fields in Go's order, trailing newline.
std::string serialize_manifest(const Manifest& m);

// A manifest with Ollama's schema version and media type.
Manifest make_manifest(Layer config, std::vector<Layer> layers);

}  // namespace corral::store
