// encoding/json as Go writes it, for files that must be byte-identical to
// Ollama's (manifests, config blobs, params and messages layers): compact,
// HTML-safe string escaping (<, >, & as \u003c...), U+2028/U+2029 escaped,
// invalid UTF-8 replaced by \ufffd, Go's float formatting, and a trailing
// newline when imitating json.Encoder.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace corral::store::go {

enum class Numbers {
  as_parsed,  // integers stay integers (Go struct fields of integer type)
  float64,    // every number is a float64 (Go `any` values decoded from JSON)
};

// Appends the Go encoding of a JSON string value.
void append_json_string(std::string& out, std::string_view s);

// Objects keep the order of the json type: sorted keys for nlohmann::json
// (Go maps), insertion order for ordered_json (Go structs).
std::string to_json(const nlohmann::json& v, Numbers numbers = Numbers::float64);
std::string to_json(const nlohmann::ordered_json& v, Numbers numbers = Numbers::as_parsed);

// json.Encoder.Encode: to_json plus "\n".
inline std::string encode(const nlohmann::json& v, Numbers n = Numbers::float64) { return to_json(v, n) + "\n"; }
inline std::string encode(const nlohmann::ordered_json& v, Numbers n = Numbers::as_parsed) {
  return to_json(v, n) + "\n";
}

}  // namespace corral::store::go
