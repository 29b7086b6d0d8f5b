// Go-compatible JSON serialization of nlohmann values.
#include "store/go_json.h"

#include "store/go_format.h"
#include "util/utf8.h"

namespace corral::store::go {
namespace {

template <typename Json>
void append_value(std::string& out, const Json& v, Numbers numbers) {
  switch (v.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded: out += "null"; break;
    case nlohmann::json::value_t::boolean: out += v.template get<bool>() ? "true" : "false"; break;
    case nlohmann::json::value_t::number_integer:
      if (numbers == Numbers::float64)
        out += json_float(static_cast<double>(v.template get<std::int64_t>()), 64);
      else
        out += std::to_string(v.template get<std::int64_t>());
      break;
    case nlohmann::json::value_t::number_unsigned:
      if (numbers == Numbers::float64)
        out += json_float(static_cast<double>(v.template get<std::uint64_t>()), 64);
      else
        out += std::to_string(v.template get<std::uint64_t>());
      break;
    case nlohmann::json::value_t::number_float: out += json_float(v.template get<double>(), 64); break;
    case nlohmann::json::value_t::string: append_json_string(out, v.template get_ref<const std::string&>()); break;
    case nlohmann::json::value_t::binary: out += "null"; break;
    case nlohmann::json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v) {
        if (!first) out.push_back(',');
        first = false;
        append_value(out, item, numbers);
      }
      out.push_back(']');
      break;
    }
    case nlohmann::json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, it.key());
        out.push_back(':');
        append_value(out, it.value(), numbers);
      }
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out.push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      switch (b) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '<': case '>': case '&':
          out += "\\u00";
          out.push_back(hex[b >> 4]);
          out.push_back(hex[b & 15]);
          break;
        default:
          if (b < 0x20 || b == 0x7f) {
            if (b == 0x7f) {  // DEL is not escaped by Go
              out.push_back(static_cast<char>(b));
            } else {
              out += "\\u00";
              out.push_back(hex[b >> 4]);
              out.push_back(hex[b & 15]);
            }
          } else {
            out.push_back(static_cast<char>(b));
          }
      }
      continue;
    }
    const std::size_t before = i;
    const char32_t r = utf8::decode(s, i);
    if (r == 0xFFFD && i - before == 1) {
      out += "\\ufffd";
    } else if (r == 0x2028 || r == 0x2029) {
      out += r == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out.append(s.substr(before, i - before));
    }
  }
  out.push_back('"');
}

std::string to_json(const nlohmann::json& v, Numbers numbers) {
  std::string out;
  append_value(out, v, numbers);
  return out;
}

std::string to_json(const nlohmann::ordered_json& v, Numbers numbers) {
  std::string out;
  append_value(out, v, numbers);
  return out;
}

}  // namespace corral::store::go
