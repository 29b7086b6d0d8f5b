// Conversion of request JSON into tmpl::Message / tmpl::Tool.
#include "template/request_json.h"

#include <nlohmann/json.hpp>

#include "template/text_util.h"
#include "util/base64.h"
#include "util/error.h"

namespace corral::tmpl {

using json = nlohmann::ordered_json;

namespace {

std::string get_string(const json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  if (!it->is_string()) fail("{}.{}: expected a string", where, key);
  return it->get<std::string>();
}

std::vector<std::string> get_strings(const json& j, const char* key, const std::string& where) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) fail("{}.{}: expected an array of strings", where, key);
  for (const auto& e : *it) {
    if (!e.is_string()) fail("{}.{}: expected an array of strings", where, key);
    out.push_back(e.get<std::string>());
  }
  return out;
}

std::string get_json_text(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Image data as the API sends it; padding may be left out.
std::string decode_image(const std::string& in, const std::string& where) {
  auto bytes = corral::base64_decode(in, nullptr, corral::Base64Padding::optional);
  if (!bytes) fail("{}: invalid base64 image data", where);
  return std::move(*bytes);
}

std::vector<NamedProperty> properties_from(const json& j, const std::string& where) {
  if (!j.is_object()) fail("{}: expected an object", where);
  std::vector<NamedProperty> out;
  for (auto it = j.begin(); it != j.end(); ++it) out.push_back({it.key(), tool_property_from_json(it.value())});
  return out;
}

}  // namespace

ToolProperty tool_property_from_json(const json& j) {
  const std::string where = "tool property";
  if (!j.is_object()) fail("{}: expected an object", where);
  ToolProperty p;
  if (auto it = j.find("anyOf"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) fail("{}.anyOf: expected an array", where);
    for (const auto& e : *it) p.any_of.push_back(tool_property_from_json(e));
  }
  if (auto it = j.find("type"); it != j.end() && !it->is_null()) {
    if (it->is_string())
      p.type.push_back(it->get<std::string>());
    else
      p.type = get_strings(j, "type", where);
  }
  p.items = get_json_text(j, "items");
  p.description = get_string(j, "description", where);
  if (auto it = j.find("enum"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) fail("{}.enum: expected an array", where);
    for (const auto& e : *it) p.enum_values.push_back(e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  if (auto it = j.find("properties"); it != j.end() && !it->is_null()) {
    p.has_properties = true;
    p.properties = properties_from(*it, where + ".properties");
  }
  p.required = get_strings(j, "required", where);
  return p;
}

Tool tool_from_json(const json& j) {
  if (!j.is_object()) fail("tool: expected an object");
  Tool t;
  t.type = get_string(j, "type", "tool");
  t.items = get_json_text(j, "items");
  auto fit = j.find("function");
  if (fit == j.end() || fit->is_null()) return t;
  if (!fit->is_object()) fail("tool.function: expected an object");
  const json& f = *fit;
  t.function.name = get_string(f, "name", "tool.function");
  t.function.description = get_string(f, "description", "tool.function");
  auto pit = f.find("parameters");
  if (pit != f.end() && !pit->is_null()) {
    if (!pit->is_object()) fail("tool.function.parameters: expected an object");
    const json& p = *pit;
    auto& out = t.function.parameters;
    out.type = get_string(p, "type", "tool.function.parameters");
    out.defs = get_json_text(p, "$defs");
    out.items = get_json_text(p, "items");
    out.required = get_strings(p, "required", "tool.function.parameters");
    if (auto it = p.find("properties"); it != p.end() && !it->is_null()) {
      out.has_properties = true;
      out.properties = properties_from(*it, "tool.function.parameters.properties");
    }
  }
  return t;
}

std::vector<Tool> tools_from_json(const json& j) {
  std::vector<Tool> out;
  if (j.is_null()) return out;
  if (!j.is_array()) fail("tools: expected an array");
  for (const auto& e : j) out.push_back(tool_from_json(e));
  return out;
}

ToolCall tool_call_from_json(const json& j) {
  if (!j.is_object()) fail("tool_calls: expected objects");
  ToolCall tc;
  tc.id = get_string(j, "id", "tool_call");
  auto fit = j.find("function");
  if (fit == j.end() || !fit->is_object()) return tc;
  const json& f = *fit;
  if (auto it = f.find("index"); it != f.end() && it->is_number_integer()) tc.index = it->get<int>();
  tc.name = get_string(f, "name", "tool_call.function");
  auto ait = f.find("arguments");
  if (ait == f.end() || ait->is_null()) {
    tc.arguments = "{}";
  } else if (ait->is_object()) {
    tc.arguments = ait->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else if (ait->is_string()) {
    json parsed = json::parse(ait->get<std::string>(), nullptr, false);
    if (!parsed.is_object()) fail("tool_call.function.arguments: expected a JSON object");
    tc.arguments = parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    fail("tool_call.function.arguments: expected an object");
  }
  return tc;
}

Message message_from_json(const json& j) {
  if (!j.is_object()) fail("message: expected an object");
  Message m;
  m.role = ascii_lower(get_string(j, "role", "message"));
  m.content = get_string(j, "content", "message");
  m.thinking = get_string(j, "thinking", "message");
  for (const auto& img : get_strings(j, "images", "message")) m.images.push_back(decode_image(img, "message.images"));
  if (auto it = j.find("tool_calls"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) fail("message.tool_calls: expected an array");
    for (const auto& tc : *it) m.tool_calls.push_back(tool_call_from_json(tc));
  }
  m.tool_name = get_string(j, "tool_name", "message");
  m.tool_call_id = get_string(j, "tool_call_id", "message");
  return m;
}

std::vector<Message> messages_from_json(const json& j) {
  std::vector<Message> out;
  if (j.is_null()) return out;
  if (!j.is_array()) fail("messages: expected an array");
  for (const auto& e : j) out.push_back(message_from_json(e));
  return out;
}

}  // namespace corral::tmpl
