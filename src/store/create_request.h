// CreateRequest: what a model is created from (Ollama's api.CreateRequest,
// minus HTTP): a base model name or uploaded files, and the template,
// system prompt, licenses, parameters, messages and config fields layered
// over it. Built from /api/create JSON (parse_create_request) or from a
// Modelfile (modelfile_request.h).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace corral::store {

struct CreateMessage {
  std::string role;
  std::string content;
  std::string thinking;
  std::vector<std::string> images;  // base64, as the API carries them
  nlohmann::json tool_calls;        // null or array, kept as given
  std::string tool_name;
  std::string tool_call_id;
  bool operator==(const CreateMessage&) const = default;
};

// Overrides of config fields (Ollama's "info" object).
struct CreateInfo {
  std::vector<std::string> capabilities;
  std::optional<std::string> model_family;
  std::optional<std::string> base_name;
  std::optional<std::string> quantization_level;
  std::optional<std::string> parameter_size;
  std::optional<std::int64_t> context_length;
  std::optional<std::int64_t> embedding_length;
};

struct CreateRequest {
  std::string model;  // target name
  std::string from;   // existing model to build on (or empty)
  // File name (relative, "/"-separated) -> digest of a blob already in the store.
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> adapters;
  std::string template_text;  // empty: keep the inherited/detected one
  std::string system;         // empty: keep the inherited one
  std::vector<std::string> license;
  nlohmann::json parameters;  // null or an object of option values
  std::vector<CreateMessage> messages;
  std::string renderer;
  std::string parser;
  std::string requires_version;
  std::string quantize;  // "q4_K_M", "Q8_0", ... (empty: keep)
  std::optional<CreateInfo> info;
};

// Reads an /api/create body with Ollama's field names and legacy aliases
// ("name" for model, "quantization" for quantize; license as a string or an
// array). Errors carry Ollama's texts where it has them: "file path must be
// relative", "invalid digest format", "info field \"x\" must be a string".
CreateRequest parse_create_request(const nlohmann::json& body);

// Go's fs.ValidPath (plus: no NUL bytes): "a/b.gguf" yes; "", "/a", "a/../b",
// "./a", "a//b" no.
bool is_valid_relative_file_name(std::string_view name);

}  // namespace corral::store
