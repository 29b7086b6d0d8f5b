// The model options a Modelfile PARAMETER (or a create request's
// "parameters") may set, with their types (Ollama's api.Options), and the
// conversion of PARAMETER text to typed JSON values with Go's parsing rules
// and Ollama's error texts (api.FormatParams).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace corral::store {

enum class OptionType { integer, number, boolean, string_list };

struct OptionSpec {
  std::string_view name;
  OptionType type;
};

// Every option, in Ollama's declaration order.
std::span<const OptionSpec> model_option_specs();
const OptionSpec* find_model_option(std::string_view name);

// Parameters the Modelfile parser skips with "warning: parameter X is deprecated".
bool is_deprecated_parameter(std::string_view name);

// Typed value of `name` from its PARAMETER values (only lists use more than
// one). Errors, with Ollama's texts: "unknown parameter 'x'", "invalid float
// value [x]", "invalid int value [x]", "invalid bool value [x]". Floats are
// parsed as float32 and stored with float32's shortest digits (0.7 stays 0.7).
nlohmann::json format_parameter(std::string_view name, const std::vector<std::string>& values);

// Go's strconv parsing: ParseInt(s, 10, 64), ParseFloat(s, 32), ParseBool.
std::optional<std::int64_t> go_parse_int(std::string_view s);
std::optional<float> go_parse_float32(std::string_view s);
std::optional<bool> go_parse_bool(std::string_view s);

}  // namespace corral::store
