// /api/create request JSON -> CreateRequest.
#include "store/create_request.h"

#include <cmath>

#include "store/digest.h"
#include "util/error.h"
#include "util/utf8.h"

namespace corral::store {
namespace {

using json = nlohmann::json;

std::string string_field(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_string())
    fail("json: cannot unmarshal {} into Go struct field CreateRequest.{} of type string", it->type_name(), key);
  return it->get<std::string>();
}

std::map<std::string, std::string> file_map(const json& body, const char* key) {
  std::map<std::string, std::string> out;
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_object())
    fail("json: cannot unmarshal {} into Go struct field CreateRequest.{} of type map[string]string", it->type_name(),
         key);
  for (auto f = it->begin(); f != it->end(); ++f) {
    if (!f.value().is_string())
      fail("json: cannot unmarshal {} into Go struct field CreateRequest.{} of type string", f.value().type_name(),
           key);
    if (!is_valid_relative_file_name(f.key())) fail("file path must be relative");
    const std::string digest = f.value().get<std::string>();
    if (digest.empty()) fail("invalid digest format");
    out[f.key()] = require_digest(digest);
  }
  return out;
}

CreateMessage parse_message(const json& m) {
  if (!m.is_object()) fail("json: cannot unmarshal {} into Go struct field CreateRequest.messages of type api.Message",
                           m.type_name());
  CreateMessage out;
  auto str = [&](const char* k) -> std::string {
    auto it = m.find(k);
    if (it == m.end() || it->is_null()) return {};
    if (!it->is_string()) fail("json: cannot unmarshal {} into Go struct field Message.messages.{} of type string",
                               it->type_name(), k);
    return it->get<std::string>();
  };
  out.role = str("role");
  for (char& c : out.role)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // Ollama lower-cases roles
  out.content = str("content");
  out.thinking = str("thinking");
  out.tool_name = str("tool_name");
  out.tool_call_id = str("tool_call_id");
  if (auto it = m.find("images"); it != m.end() && it->is_array())
    for (const auto& i : *it)
      if (i.is_string()) out.images.push_back(i.get<std::string>());
  if (auto it = m.find("tool_calls"); it != m.end() && it->is_array() && !it->empty()) out.tool_calls = *it;
  return out;
}

}  // namespace

bool is_valid_relative_file_name(std::string_view name) {
  if (!utf8::is_valid(name) || name.find('\0') != std::string_view::npos) return false;
  if (name == ".") return true;
  std::size_t start = 0;
  for (;;) {
    const auto slash = name.find('/', start);
    const std::string_view elem = name.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (elem.empty() || elem == "." || elem == "..") return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

CreateRequest parse_create_request(const json& body) {
  if (!body.is_object()) fail("json: cannot unmarshal {} into Go value of type api.CreateRequest", body.type_name());
  CreateRequest r;
  r.model = string_field(body, "model");
  if (r.model.empty()) r.model = string_field(body, "name");
  r.from = string_field(body, "from");
  r.files = file_map(body, "files");
  r.adapters = file_map(body, "adapters");
  r.template_text = string_field(body, "template");
  r.system = string_field(body, "system");
  r.renderer = string_field(body, "renderer");
  r.parser = string_field(body, "parser");
  r.requires_version = string_field(body, "requires");
  r.quantize = string_field(body, "quantize");
  if (r.quantize.empty()) r.quantize = string_field(body, "quantization");
  if (auto it = body.find("license"); it != body.end() && !it->is_null()) {
    if (it->is_string()) {
      if (!it->get<std::string>().empty()) r.license.push_back(it->get<std::string>());
    } else if (it->is_array()) {
      for (const auto& l : *it) {
        if (!l.is_string()) fail("json: cannot unmarshal {} into Go value of type string", l.type_name());
        r.license.push_back(l.get<std::string>());
      }
    } else {
      fail("unknown license type: {}", it->type_name());
    }
  }
  if (auto it = body.find("parameters"); it != body.end() && !it->is_null()) {
    if (!it->is_object())
      fail("json: cannot unmarshal {} into Go struct field CreateRequest.parameters of type map[string]interface {{}}",
           it->type_name());
    r.parameters = *it;
  }
  if (auto it = body.find("messages"); it != body.end() && !it->is_null()) {
    if (!it->is_array())
      fail("json: cannot unmarshal {} into Go struct field CreateRequest.messages of type []api.Message", it->type_name());
    for (const auto& m : *it) r.messages.push_back(parse_message(m));
  }
  if (auto it = body.find("info"); it != body.end() && !it->is_null() && it->is_object()) {
    CreateInfo info;
    const json& in = *it;
    if (auto c = in.find("capabilities"); c != in.end() && c->is_array())
      for (const auto& v : *c)
        if (v.is_string()) info.capabilities.push_back(v.get<std::string>());
    auto str = [&](const char* k, std::optional<std::string>& out) {
      auto f = in.find(k);
      if (f == in.end()) return;
      if (!f->is_string()) fail("info field \"{}\" must be a string", k);
      out = f->get<std::string>();
    };
    auto integer = [&](const char* k, std::optional<std::int64_t>& out) {
      auto f = in.find(k);
      if (f == in.end()) return;
      if (!f->is_number()) fail("info field \"{}\" must be a number", k);
      const double v = f->get<double>();
      if (v < 0 || std::trunc(v) != v || v > 9.2e18) fail("info field \"{}\" must be a non-negative integer", k);
      out = static_cast<std::int64_t>(v);
    };
    str("model_family", info.model_family);
    str("base_name", info.base_name);
    str("quantization_level", info.quantization_level);
    str("parameter_size", info.parameter_size);
    integer("context_length", info.context_length);
    integer("embedding_length", info.embedding_length);
    r.info = std::move(info);
  }
  return r;
}

}  // namespace corral::store
