// Field-by-field reading of request JSON with Go's error texts.
#include "api/json_fields.h"

#include <cmath>
#include <limits>

#include "api/status_error.h"

namespace corral::api {

Json parse_body(std::string_view body) {
  std::size_t i = 0;
  while (i < body.size() && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) ++i;
  if (i == body.size()) fail_status(400, "missing request body");
  try {
    return Json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann: "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
    std::string what = e.what();
    const auto p = what.find("] ");
    if (p != std::string::npos) what = what.substr(p + 2);
    fail_status(400, "invalid JSON: " + what);
  }
}

std::string json_kind(const Json& v) {
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "bool";
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  return "null";
}

Fields::Fields(const Json& obj, std::string go_type) : obj_(obj), type_(std::move(go_type)) {
  if (!obj.is_object())
    fail_status(400, "json: cannot unmarshal " + json_kind(obj) + " into Go value of type api." + type_);
}

void Fields::type_error(std::string_view key, const Json& v, std::string_view go_type) const {
  fail_status(400, "json: cannot unmarshal " + json_kind(v) + " into Go struct field " + type_ + "." +
                       std::string(key) + " of type " + std::string(go_type));
}

const Json* Fields::raw(std::string_view key) const {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::string> Fields::str(std::string_view key) const {
  const Json* v = raw(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) type_error(key, *v, "string");
  return v->get<std::string>();
}

std::optional<bool> Fields::boolean(std::string_view key) const {
  const Json* v = raw(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) type_error(key, *v, "bool");
  return v->get<bool>();
}

std::optional<std::int64_t> Fields::integer(std::string_view key) const {
  const Json* v = raw(key);
  if (!v) return std::nullopt;
  if (v->is_number_integer()) return v->get<std::int64_t>();
  if (v->is_number_unsigned()) {
    if (v->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      type_error(key, *v, "int");
    return static_cast<std::int64_t>(v->get<std::uint64_t>());
  }
  // Go refuses fractions for integer fields ("number 1.5").
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (std::floor(d) == d && std::fabs(d) < 9e18) return static_cast<std::int64_t>(d);
    fail_status(400, "json: cannot unmarshal number " + v->dump() + " into Go struct field " + type_ + "." +
                         std::string(key) + " of type int");
  }
  type_error(key, *v, "int");
}

std::optional<double> Fields::number(std::string_view key) const {
  const Json* v = raw(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) type_error(key, *v, "float64");
  return v->get<double>();
}

std::optional<std::vector<std::string>> Fields::strings(std::string_view key) const {
  const Json* v = raw(key);
  if (!v) return std::nullopt;
  if (!v->is_array()) type_error(key, *v, "[]string");
  std::vector<std::string> out;
  for (const auto& e : *v) {
    if (!e.is_string()) type_error(key, e, "string");
    out.push_back(e.get<std::string>());
  }
  return out;
}

std::optional<std::vector<std::int32_t>> Fields::token_ids(std::string_view key) const {
  const Json* v = raw(key);
  if (!v) return std::nullopt;
  if (!v->is_array()) type_error(key, *v, "[]int");
  std::vector<std::int32_t> out;
  out.reserve(v->size());
  for (const auto& e : *v) {
    if (!e.is_number_integer() && !e.is_number_unsigned()) type_error(key, e, "int");
    const auto x = e.get<std::int64_t>();
    if (x < std::numeric_limits<std::int32_t>::min() || x > std::numeric_limits<std::int32_t>::max() ||
        (e.is_number_unsigned() && e.get<std::uint64_t>() > 0x7fffffffu))
      fail_status(400, "json: cannot unmarshal number " + e.dump() + " into Go struct field " + type_ + "." +
                           std::string(key) + " of type int32");
    out.push_back(static_cast<std::int32_t>(x));
  }
  return out;
}

}  // namespace corral::api
