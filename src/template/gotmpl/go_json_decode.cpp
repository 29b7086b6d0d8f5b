// json.Unmarshal into interface{} for gotmpl values (via nlohmann::json).
#include <nlohmann/json.hpp>

#include "template/gotmpl/go_json.h"
#include "util/error.h"

namespace corral::gotmpl {

namespace {

Value from_json(const nlohmann::ordered_json& j, int depth) {
  if (depth > 512) fail("JSON nested too deeply");
  switch (j.type()) {
    case nlohmann::json::value_t::null: return Value::nil_interface();
    case nlohmann::json::value_t::boolean: return Value::from_bool(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value::from_float(static_cast<double>(j.get<std::int64_t>()));
    case nlohmann::json::value_t::number_unsigned:
      return Value::from_float(static_cast<double>(j.get<std::uint64_t>()));
    case nlohmann::json::value_t::number_float: return Value::from_float(j.get<double>());
    case nlohmann::json::value_t::string: return Value::from_string(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      std::vector<Value> items;
      items.reserve(j.size());
      for (const auto& e : j) items.push_back(from_json(e, depth + 1));
      return Value::slice(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      std::vector<Value::Entry> entries;
      for (auto it = j.begin(); it != j.end(); ++it) entries.emplace_back(it.key(), from_json(it.value(), depth + 1));
      return Value::map(std::move(entries));
    }
    default: return Value::nil_interface();
  }
}

}  // namespace

Value go_json_unmarshal(std::string_view json_text) {
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    fail("invalid JSON: {}", e.what());
  }
  return from_json(j, 0);
}

}  // namespace corral::gotmpl
