// CreateRequest -> /api/create JSON (see create_request_json.h).
#include "cli/create_request_json.h"

namespace corral::cli {

api::Json create_request_to_json(const store::CreateRequest& r) {
  api::Json j = api::Json::object();
  j["model"] = r.model;
  if (!r.from.empty()) j["from"] = r.from;
  if (!r.files.empty()) j["files"] = r.files;
  if (!r.adapters.empty()) j["adapters"] = r.adapters;
  if (!r.template_text.empty()) j["template"] = r.template_text;
  if (!r.system.empty()) j["system"] = r.system;
  if (!r.license.empty()) j["license"] = r.license;
  if (r.parameters.is_object() && !r.parameters.empty()) j["parameters"] = api::Json::parse(r.parameters.dump());
  if (!r.messages.empty()) {
    api::Json msgs = api::Json::array();
    for (const auto& m : r.messages) {
      api::Json mj = {{"role", m.role}, {"content", m.content}};
      if (!m.thinking.empty()) mj["thinking"] = m.thinking;
      if (!m.images.empty()) mj["images"] = m.images;
      if (m.tool_calls.is_array() && !m.tool_calls.empty()) mj["tool_calls"] = api::Json::parse(m.tool_calls.dump());
      if (!m.tool_name.empty()) mj["tool_name"] = m.tool_name;
      if (!m.tool_call_id.empty()) mj["tool_call_id"] = m.tool_call_id;
      msgs.push_back(std::move(mj));
    }
    j["messages"] = std::move(msgs);
  }
  if (!r.renderer.empty()) j["renderer"] = r.renderer;
  if (!r.parser.empty()) j["parser"] = r.parser;
  if (!r.requires_version.empty()) j["requires"] = r.requires_version;
  if (!r.quantize.empty()) j["quantize"] = r.quantize;
  if (r.info) {
    api::Json info = api::Json::object();
    if (!r.info->capabilities.empty()) info["capabilities"] = r.info->capabilities;
    if (r.info->model_family) info["model_family"] = *r.info->model_family;
    if (r.info->base_name) info["base_name"] = *r.info->base_name;
    if (r.info->quantization_level) info["quantization_level"] = *r.info->quantization_level;
    if (r.info->parameter_size) info["parameter_size"] = *r.info->parameter_size;
    if (r.info->context_length) info["context_length"] = *r.info->context_length;
    if (r.info->embedding_length) info["embedding_length"] = *r.info->embedding_length;
    j["info"] = std::move(info);
  }
  j["stream"] = true;
  return j;
}

}  // namespace corral::cli
