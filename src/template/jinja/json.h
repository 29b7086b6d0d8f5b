// JSON for Jinja values: building values from nlohmann JSON (objects keep
// their key order) and Python json.dumps as Hugging Face's tojson filter
// calls it (ensure_ascii=False; separators ", " and ": ", or "," with an
// indent; optional sort_keys).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>

#include "template/jinja/value.h"

namespace corral::jinja {

Value from_json(const nlohmann::ordered_json& j);
Value from_json_text(std::string_view text);  // throws corral::Error on invalid JSON
// json.dumps; throws corral::Error for values JSON cannot represent.
std::string to_json(const Value& v, std::optional<int> indent = std::nullopt, bool sort_keys = false);

}  // namespace corral::jinja
