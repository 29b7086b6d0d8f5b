// Option table and Go-compatible PARAMETER value parsing.
#include "store/model_options.h"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "store/go_format.h"
#include "util/error.h"

namespace corral::store {
namespace {

constexpr std::array<OptionSpec, 20> kOptions = {{
    {"num_ctx", OptionType::integer},
    {"num_batch", OptionType::integer},
    {"num_gpu", OptionType::integer},
    {"main_gpu", OptionType::integer},
    {"use_mmap", OptionType::boolean},
    {"num_thread", OptionType::integer},
    {"draft_num_predict", OptionType::integer},
    {"num_keep", OptionType::integer},
    {"seed", OptionType::integer},
    {"num_predict", OptionType::integer},
    {"top_k", OptionType::integer},
    {"top_p", OptionType::number},
    {"min_p", OptionType::number},
    {"typical_p", OptionType::number},
    {"repeat_last_n", OptionType::integer},
    {"temperature", OptionType::number},
    {"repeat_penalty", OptionType::number},
    {"presence_penalty", OptionType::number},
    {"frequency_penalty", OptionType::number},
    {"stop", OptionType::string_list},
}};

constexpr std::array<std::string_view, 9> kDeprecated = {
    "penalize_newline", "low_vram", "f16_kv", "logits_all", "vocab_only",
    "use_mlock",        "mirostat", "mirostat_tau", "mirostat_eta"};

bool equal_fold_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Go's float syntax (strconv.readFloat + special), decimal or hexadecimal.
bool valid_float_syntax(std::string_view s, bool& hex) {
  hex = false;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (s.size() - i >= 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
    hex = true;
    i += 2;
  }
  bool digits = false, dot = false, exp = false;
  char prev = hex ? 'x' : '\0';
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '_') {
      // Underscores only in prefixed numbers, and only between digits.
      if (!hex || !(is_hex(prev) || prev == 'x') || i + 1 >= s.size() || !is_hex(s[i + 1])) return false;
    } else if (c == '.') {
      if (dot) return false;
      dot = true;
    } else if (hex ? is_hex(c) : (c >= '0' && c <= '9')) {
      digits = true;
    } else {
      break;
    }
    prev = c;
  }
  if (!digits) return false;
  if (i < s.size()) {
    const char e = static_cast<char>(s[i] | 0x20);
    if (e != (hex ? 'p' : 'e')) return false;
    exp = true;
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    bool exp_digits = false;
    for (; i < s.size(); ++i) {
      if (s[i] >= '0' && s[i] <= '9')
        exp_digits = true;
      else if (s[i] == '_' && hex && i + 1 < s.size() && exp_digits && s[i + 1] >= '0' && s[i + 1] <= '9')
        continue;
      else
        return false;
    }
    if (!exp_digits) return false;
  }
  if (hex && !exp) return false;  // a hexadecimal mantissa needs a 'p' exponent
  return i == s.size();
}

std::string bracketed(const std::vector<std::string>& values) {
  std::string s = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) s += ' ';
    s += values[i];
  }
  return s + "]";
}

}  // namespace

std::span<const OptionSpec> model_option_specs() { return kOptions; }

const OptionSpec* find_model_option(std::string_view name) {
  for (const auto& o : model_option_specs())
    if (o.name == name) return &o;
  return nullptr;
}

bool is_deprecated_parameter(std::string_view name) {
  for (auto d : kDeprecated)
    if (d == name) return true;
  return false;
}

std::optional<std::int64_t> go_parse_int(std::string_view s) {
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (i == s.size()) return std::nullopt;
  unsigned __int128 v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
    if (v > (static_cast<unsigned __int128>(1) << 63)) return std::nullopt;
  }
  if (!neg && v > static_cast<unsigned __int128>(INT64_MAX)) return std::nullopt;
  return neg ? static_cast<std::int64_t>(-static_cast<__int128>(v)) : static_cast<std::int64_t>(v);
}

std::optional<float> go_parse_float32(std::string_view s) {
  // Special values: "inf", "infinity" (signed or not) and "nan", any case.
  {
    std::string_view t = s;
    bool neg = false;
    const bool sign = !t.empty() && (t[0] == '+' || t[0] == '-');
    if (sign) {
      neg = t[0] == '-';
      t.remove_prefix(1);
    }
    if (equal_fold_ascii(t, "inf") || equal_fold_ascii(t, "infinity"))
      return neg ? -INFINITY : INFINITY;
    if (!sign && equal_fold_ascii(t, "nan")) return NAN;
  }
  bool hex = false;
  if (!valid_float_syntax(s, hex)) return std::nullopt;
  std::string clean;
  for (char c : s)
    if (c != '_') clean.push_back(c);
  errno = 0;
  char* end = nullptr;
  const float f = std::strtof(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return std::nullopt;
  if (errno == ERANGE && std::isinf(f)) return std::nullopt;  // overflow (underflow is fine, as in Go)
  return f;
}

std::optional<bool> go_parse_bool(std::string_view s) {
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"})
    if (s == t) return true;
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"})
    if (s == f) return false;
  return std::nullopt;
}

nlohmann::json format_parameter(std::string_view name, const std::vector<std::string>& values) {
  const OptionSpec* spec = find_model_option(name);
  if (!spec) fail("unknown parameter '{}'", name);
  if (values.empty()) fail("parameter '{}' has no value", name);
  switch (spec->type) {
    case OptionType::number: {
      const auto f = go_parse_float32(values[0]);
      if (!f) fail("invalid float value {}", bracketed(values));
      // What Ollama's client sends: float32 JSON, which the server reads back as float64.
      const std::string text = go::json_float(*f, 32);
      return std::strtod(text.c_str(), nullptr);
    }
    case OptionType::integer: {
      const auto i = go_parse_int(values[0]);
      if (!i) fail("invalid int value {}", bracketed(values));
      return *i;
    }
    case OptionType::boolean: {
      const auto b = go_parse_bool(values[0]);
      if (!b) fail("invalid bool value {}", bracketed(values));
      return *b;
    }
    case OptionType::string_list:
      return values;
  }
  return nullptr;
}

}  // namespace corral::store
