// Go's encoding/json for gotmpl values: Marshal (compact, HTML-escaping,
// struct JSON names and omitempty, sorted map keys, MarshalJSON hooks) and
// Unmarshal of JSON text into interface{} values (objects become sorted
// maps, numbers float64), as Ollama's templates see tool arguments.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "template/gotmpl/value.h"

namespace corral::gotmpl {

// json.Marshal(v); nullopt where Go returns an error (NaN or Inf floats).
std::optional<std::string> go_json_marshal(const Value& v);
// A JSON string literal with Go's escaping (escape_html: <, >, & as \u003c...).
std::string go_json_quote(std::string_view s, bool escape_html = true);
// json.Unmarshal into interface{}; throws corral::Error on invalid JSON.
Value go_json_unmarshal(std::string_view json_text);

}  // namespace corral::gotmpl
