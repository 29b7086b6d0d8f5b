// Reading request objects field by field with encoding/json's rules and
// error texts: a missing or null field keeps its default; a field of the
// wrong type fails with `json: cannot unmarshal number into Go struct field
// GenerateRequest.prompt of type string` (status 400); unknown fields are
// ignored. Also: parsing a request body (empty -> "missing request body").
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::api {

using Json = nlohmann::ordered_json;

// Parses a request body. Errors (StatusError 400): "missing request body"
// for an empty body, "invalid JSON: ..." naming the byte offset otherwise.
Json parse_body(std::string_view body);

// Go's name of a JSON value's kind in unmarshal errors: "number", "string",
// "bool", "array", "object".
std::string json_kind(const Json& v);

class Fields {
 public:
  // `go_type` names the struct in errors ("GenerateRequest"). Throws unless obj is an object.
  Fields(const Json& obj, std::string go_type);

  std::optional<std::string> str(std::string_view key) const;
  std::optional<bool> boolean(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key) const;
  std::optional<double> number(std::string_view key) const;
  std::optional<std::vector<std::string>> strings(std::string_view key) const;
  std::optional<std::vector<std::int32_t>> token_ids(std::string_view key) const;
  // The raw value, nullptr when absent or null.
  const Json* raw(std::string_view key) const;
  // Throws the unmarshal error for `key` holding `v` where `go_type` was expected.
  [[noreturn]] void type_error(std::string_view key, const Json& v, std::string_view go_type) const;

  const Json& object() const { return obj_; }

 private:
  const Json& obj_;
  std::string type_;
};

}  // namespace corral::api
