// Model-level store operations with Ollama's semantics: listing models with
// their details, copying (a new manifest with the same bytes, blobs shared),
// deleting (manifest first, then the blobs no other manifest references),
// and removing the layers a replaced manifest no longer needs.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/manifest.h"
#include "store/model_config.h"
#include "store/name.h"
#include "store/store.h"

namespace corral::store {

// api.ModelDetails.
struct ModelDetails {
  std::string parent_model;
  std::string format;
  std::string family;
  std::optional<std::vector<std::string>> families;
  std::string parameter_size;
  std::string quantization_level;
  std::int64_t context_length = 0;    // omitted from JSON when 0
  std::int64_t embedding_length = 0;  // omitted from JSON when 0
};

// One /api/tags entry (capabilities are left to the caller, which owns templates).
struct ModelSummary {
  ModelName name;
  std::string display_name;  // name.display_shortest(): both "name" and "model"
  std::int64_t size = 0;     // layers + config
  std::string digest_hex;    // SHA-256 of the manifest file
  std::chrono::system_clock::time_point modified;
  ModelDetails details;
  ModelConfig config;
  Manifest manifest;
  std::filesystem::path model_path;  // weights blob, empty if none
};

struct ListOptions {
  // Read each weights file's GGUF header for context/embedding length and a
  // quantization level the config lacks (as Ollama's list does).
  bool read_gguf = true;
};

// Every valid model, newest manifest first. Models whose manifest or config
// cannot be read are skipped with a warning.
std::vector<ModelSummary> list_models(const Store& store, const ListOptions& options = {});

// Copies src's manifest bytes to dst (names resolved by the caller).
// NotFoundError when src does not exist. Copying a model onto itself is a no-op.
void copy_model(const Store& store, const ModelName& src, const ModelName& dst);

// Removes a model: its manifest, empty manifest directories, then every blob of
// it that no other (readable) manifest references. Done even under
// OLLAMA_NOPRUNE, as Ollama does. NotFoundError when it does not exist.
void delete_model(const Store& store, const ModelName& name);

// Removes each of `digests` whose blob no stored manifest references (under
// the store's exclusive lock). Returns the digests removed.
std::vector<std::string> remove_blobs_if_unreferenced(const Store& store, const std::vector<std::string>& digests);

// After `old` was replaced: removes its blobs that no current manifest
// references. Returns the digests removed.
std::vector<std::string> remove_unused_layers(const Store& store, const Manifest& old);

}  // namespace corral::store
