// Config blob parsing and Go-identical serialization.
#include "store/model_config.h"

#include <nlohmann/json.hpp>

#include "store/go_json.h"
#include "util/error.h"

namespace corral::store {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxConfigBytes = 16u << 20;

std::string str(const json& j, const char* key, std::string_view what) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_string()) fail("{}: \"{}\" must be a string", what, key);
  return it->get<std::string>();
}

std::optional<std::vector<std::string>> str_list(const json& j, const char* key, std::string_view what) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_array()) fail("{}: \"{}\" must be an array of strings", what, key);
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string()) fail("{}: \"{}\" must be an array of strings", what, key);
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::int64_t integer(const json& j, const char* key, std::string_view what) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return 0;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_number_float()) {
    const double d = it->get<double>();
    if (d == static_cast<double>(static_cast<std::int64_t>(d))) return static_cast<std::int64_t>(d);
  }
  fail("{}: \"{}\" must be an integer", what, key);
}

}  // namespace

ModelConfig parse_model_config(std::string_view text, std::string_view what) {
  if (text.size() > kMaxConfigBytes) fail("{}: {} bytes is too large for a config blob", what, text.size());
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    fail("{}: not valid JSON: {}", what, e.what());
  }
  if (!j.is_object()) fail("{}: a model config must be a JSON object", what);
  ModelConfig c;
  c.model_format = str(j, "model_format", what);
  c.model_family = str(j, "model_family", what);
  c.model_families = str_list(j, "model_families", what);
  c.model_type = str(j, "model_type", what);
  c.file_type = str(j, "file_type", what);
  c.renderer = str(j, "renderer", what);
  c.parser = str(j, "parser", what);
  c.requires_version = str(j, "requires", what);
  c.remote_host = str(j, "remote_host", what);
  c.remote_model = str(j, "remote_model", what);
  c.capabilities = str_list(j, "capabilities", what).value_or(std::vector<std::string>{});
  c.context_length = integer(j, "context_length", what);
  c.embedding_length = integer(j, "embedding_length", what);
  c.base_name = str(j, "base_name", what);
  if (auto it = j.find("draft"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) fail("{}: \"draft\" must be an object", what);
    DraftConfig d;
    d.model_format = str(*it, "model_format", what);
    d.architecture = str(*it, "architecture", what);
    d.tensor_prefix = str(*it, "tensor_prefix", what);
    d.config = str(*it, "config", what);
    c.draft = d;
  }
  c.architecture = str(j, "architecture", what);
  c.os = str(j, "os", what);
  return c;
}

std::string serialize_model_config(const ModelConfig& c) {
  nlohmann::ordered_json j;
  j["model_format"] = c.model_format;
  j["model_family"] = c.model_family;
  if (c.model_families)
    j["model_families"] = *c.model_families;
  else
    j["model_families"] = nullptr;
  j["model_type"] = c.model_type;
  j["file_type"] = c.file_type;
  if (!c.renderer.empty()) j["renderer"] = c.renderer;
  if (!c.parser.empty()) j["parser"] = c.parser;
  if (!c.requires_version.empty()) j["requires"] = c.requires_version;
  if (!c.remote_host.empty()) j["remote_host"] = c.remote_host;
  if (!c.remote_model.empty()) j["remote_model"] = c.remote_model;
  if (!c.capabilities.empty()) j["capabilities"] = c.capabilities;
  if (c.context_length != 0) j["context_length"] = c.context_length;
  if (c.embedding_length != 0) j["embedding_length"] = c.embedding_length;
  if (!c.base_name.empty()) j["base_name"] = c.base_name;
  if (c.draft) {
    nlohmann::ordered_json d = nlohmann::ordered_json::object();
    if (!c.draft->model_format.empty()) d["model_format"] = c.draft->model_format;
    if (!c.draft->architecture.empty()) d["architecture"] = c.draft->architecture;
    if (!c.draft->tensor_prefix.empty()) d["tensor_prefix"] = c.draft->tensor_prefix;
    if (!c.draft->config.empty()) d["config"] = c.draft->config;
    j["draft"] = d;
  }
  j["architecture"] = c.architecture;
  j["os"] = c.os;
  return go::encode(j, go::Numbers::as_parsed);
}

}  // namespace corral::store
