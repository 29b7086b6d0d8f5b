// gguf::Value: one metadata value of any GGUF type, including (nested) arrays.
// The exact GGUF type is kept so that a file can be written back unchanged.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace corral::gguf {

enum class ValueType : std::uint32_t {
  UINT8 = 0,
  INT8 = 1,
  UINT16 = 2,
  INT16 = 3,
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
  INT64 = 11,
  FLOAT64 = 12,
};

std::string_view value_type_name(ValueType t);
bool is_valid_value_type(std::uint32_t t);
// Encoded size of a scalar type in bytes (0 for STRING and ARRAY).
std::size_t scalar_size(ValueType t);

class Value;
struct Array {
  ValueType elem_type = ValueType::UINT8;
  std::vector<Value> items;
};

class Value {
 public:
  Value() = default;
  static Value u(ValueType t, std::uint64_t v) { return Value(t, v); }
  static Value i(ValueType t, std::int64_t v) { return Value(t, v); }
  static Value f(ValueType t, double v) { return Value(t, v); }
  static Value u32(std::uint32_t v) { return Value(ValueType::UINT32, std::uint64_t{v}); }
  static Value i32(std::int32_t v) { return Value(ValueType::INT32, std::int64_t{v}); }
  static Value u64(std::uint64_t v) { return Value(ValueType::UINT64, v); }
  static Value f32(float v) { return Value(ValueType::FLOAT32, double{v}); }
  static Value boolean(bool v) { return Value(ValueType::BOOL, std::uint64_t{v}); }
  static Value string(std::string v) {
    Value x;
    x.type_ = ValueType::STRING;
    x.data_ = std::move(v);
    return x;
  }
  static Value array(Array a) {
    Value x;
    x.type_ = ValueType::ARRAY;
    x.data_ = std::make_shared<Array>(std::move(a));
    return x;
  }
  static Value string_array(const std::vector<std::string>& v);
  static Value f32_array(const std::vector<float>& v);
  static Value i32_array(const std::vector<std::int32_t>& v);

  ValueType type() const { return type_; }
  bool is_integer() const;  // any signed/unsigned integer type
  bool is_float() const { return type_ == ValueType::FLOAT32 || type_ == ValueType::FLOAT64; }
  bool is_string() const { return type_ == ValueType::STRING; }
  bool is_array() const { return type_ == ValueType::ARRAY; }

  // Raw accessors; callers check the type first.
  std::uint64_t as_u64() const;  // unsigned ints and BOOL
  std::int64_t as_i64() const;   // any integer (unsigned reinterpreted)
  double as_f64() const;         // floats and integers
  bool as_bool() const { return as_u64() != 0; }
  const std::string& as_string() const { return std::get<std::string>(data_); }
  const Array& as_array() const { return *std::get<std::shared_ptr<Array>>(data_); }

  // Short human-readable rendering (arrays abbreviated), for dumps and errors.
  std::string to_display(std::size_t max_items = 8) const;

 private:
  Value(ValueType t, std::uint64_t v) : type_(t), data_(v) {}
  Value(ValueType t, std::int64_t v) : type_(t), data_(v) {}
  Value(ValueType t, double v) : type_(t), data_(v) {}
  ValueType type_ = ValueType::UINT8;
  std::variant<std::uint64_t, std::int64_t, double, std::string, std::shared_ptr<Array>> data_{std::uint64_t{0}};
};

}  // namespace corral::gguf
