// gguf::Value helpers: type names, conversions, display.
#include "gguf/value.h"

#include <fmt/format.h>

namespace corral::gguf {

std::string_view value_type_name(ValueType t) {
  switch (t) {
    case ValueType::UINT8: return "u8";
    case ValueType::INT8: return "i8";
    case ValueType::UINT16: return "u16";
    case ValueType::INT16: return "i16";
    case ValueType::UINT32: return "u32";
    case ValueType::INT32: return "i32";
    case ValueType::FLOAT32: return "f32";
    case ValueType::BOOL: return "bool";
    case ValueType::STRING: return "str";
    case ValueType::ARRAY: return "arr";
    case ValueType::UINT64: return "u64";
    case ValueType::INT64: return "i64";
    case ValueType::FLOAT64: return "f64";
  }
  return "?";
}

bool is_valid_value_type(std::uint32_t t) { return t <= static_cast<std::uint32_t>(ValueType::FLOAT64); }

std::size_t scalar_size(ValueType t) {
  switch (t) {
    case ValueType::UINT8:
    case ValueType::INT8:
    case ValueType::BOOL: return 1;
    case ValueType::UINT16:
    case ValueType::INT16: return 2;
    case ValueType::UINT32:
    case ValueType::INT32:
    case ValueType::FLOAT32: return 4;
    case ValueType::UINT64:
    case ValueType::INT64:
    case ValueType::FLOAT64: return 8;
    case ValueType::STRING:
    case ValueType::ARRAY: return 0;
  }
  return 0;
}

bool Value::is_integer() const {
  switch (type_) {
    case ValueType::UINT8:
    case ValueType::INT8:
    case ValueType::UINT16:
    case ValueType::INT16:
    case ValueType::UINT32:
    case ValueType::INT32:
    case ValueType::UINT64:
    case ValueType::INT64: return true;
    default: return false;
  }
}

std::uint64_t Value::as_u64() const {
  if (auto* p = std::get_if<std::uint64_t>(&data_)) return *p;
  if (auto* p = std::get_if<std::int64_t>(&data_)) return static_cast<std::uint64_t>(*p);
  if (auto* p = std::get_if<double>(&data_)) return static_cast<std::uint64_t>(*p);
  return 0;
}

std::int64_t Value::as_i64() const {
  if (auto* p = std::get_if<std::int64_t>(&data_)) return *p;
  if (auto* p = std::get_if<std::uint64_t>(&data_)) return static_cast<std::int64_t>(*p);
  if (auto* p = std::get_if<double>(&data_)) return static_cast<std::int64_t>(*p);
  return 0;
}

double Value::as_f64() const {
  if (auto* p = std::get_if<double>(&data_)) return *p;
  if (auto* p = std::get_if<std::int64_t>(&data_)) return static_cast<double>(*p);
  if (auto* p = std::get_if<std::uint64_t>(&data_)) return static_cast<double>(*p);
  return 0;
}

Value Value::string_array(const std::vector<std::string>& v) {
  Array a;
  a.elem_type = ValueType::STRING;
  a.items.reserve(v.size());
  for (const auto& s : v) a.items.push_back(Value::string(s));
  return Value::array(std::move(a));
}

Value Value::f32_array(const std::vector<float>& v) {
  Array a;
  a.elem_type = ValueType::FLOAT32;
  a.items.reserve(v.size());
  for (float x : v) a.items.push_back(Value::f32(x));
  return Value::array(std::move(a));
}

Value Value::i32_array(const std::vector<std::int32_t>& v) {
  Array a;
  a.elem_type = ValueType::INT32;
  a.items.reserve(v.size());
  for (auto x : v) a.items.push_back(Value::i32(x));
  return Value::array(std::move(a));
}

namespace {
std::string quote(const std::string& s, std::size_t max_len) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < max_len; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > max_len) out += "...";
  return out + "\"";
}
}  // namespace

std::string Value::to_display(std::size_t max_items) const {
  switch (type_) {
    case ValueType::STRING: return quote(as_string(), 120);
    case ValueType::BOOL: return as_bool() ? "true" : "false";
    case ValueType::FLOAT32:
    case ValueType::FLOAT64: return fmt::format("{}", as_f64());
    case ValueType::ARRAY: {
      const Array& a = as_array();
      std::string out = fmt::format("[{}; {}]", value_type_name(a.elem_type), a.items.size());
      out += " [";
      for (std::size_t i = 0; i < a.items.size() && i < max_items; ++i) {
        if (i) out += ", ";
        out += a.items[i].to_display(max_items);
      }
      if (a.items.size() > max_items) out += ", ...";
      return out + "]";
    }
    case ValueType::INT8:
    case ValueType::INT16:
    case ValueType::INT32:
    case ValueType::INT64: return fmt::format("{}", as_i64());
    default: return fmt::format("{}", as_u64());
  }
}

}  // namespace corral::gguf
