// ModelConfig: the config blob a manifest points to (Ollama's model.ConfigV2):
// format, family, parameter size, quantization level, renderer/parser,
// required version, remote-model fields, and the fixed architecture/os pair.
// Serialization matches Go's field order and omitempty rules exactly.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::store {

struct DraftConfig {
  std::string model_format;
  std::string architecture;
  std::string tensor_prefix;
  std::string config;
  bool operator==(const DraftConfig&) const = default;
};

struct ModelConfig {
  std::string model_format;  // "gguf" or "safetensors"
  std::string model_family;  // general.architecture of the weights
  // nullopt serializes as null (Go's nil slice), as Ollama writes for models
  // without weights.
  std::optional<std::vector<std::string>> model_families;
  std::string model_type;  // parameter size, "8.0B"
  std::string file_type;   // quantization level, "Q4_K_M"
  std::string renderer;
  std::string parser;
  std::string requires_version;  // JSON "requires"
  std::string remote_host;
  std::string remote_model;
  std::vector<std::string> capabilities;
  std::int64_t context_length = 0;
  std::int64_t embedding_length = 0;
  std::string base_name;
  std::optional<DraftConfig> draft;
  std::string architecture = "amd64";  // fixed values Ollama writes "for the spec"
  std::string os = "linux";

  bool operator==(const ModelConfig&) const = default;
};

// Parses a config blob; unknown keys (such as the legacy "rootfs") are ignored.
// Throws Error("<what>: ...") on malformed JSON or wrongly typed fields.
ModelConfig parse_model_config(std::string_view json, std::string_view what = "config");

// Go json.Encoder output (trailing newline included).
std::string serialize_model_config(const ModelConfig& c);

}  // namespace corral::store
