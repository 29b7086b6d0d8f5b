// gotmpl::Value: a Go value as text/template sees it through reflection.
// Scalars (bool, int, uint, float64, string, []byte), slices, maps with
// string keys and structs described by a GoType (Go field names for
// templates, JSON names for encoding/json, String()/MarshalJSON methods).
// Values are immutable and cheap to copy (payloads are shared).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corral::gotmpl {

enum class Kind : std::uint8_t { Invalid, Bool, Int, Uint, Float, String, Bytes, Slice, Map, Struct };

class Value;

// One struct field: the Go name templates use and its encoding/json key.
struct GoField {
  std::string name;
  std::string json_name;  // "" = same as name
  bool omitempty = false;
};

// A zero-argument method callable from templates as .Name.
struct GoMethod {
  std::string name;
  Value (*call)(const Value& receiver);
};

// A named Go type. Values without a type use Go's unnamed types
// (int, string, []interface {}, map[string]interface {}).
struct GoType {
  std::string name;                                      // as %T prints it
  std::vector<GoField> fields;                           // structs only
  std::string (*string_method)(const Value&) = nullptr;  // fmt.Stringer (also callable as .String)
  std::string (*marshal_json)(const Value&) = nullptr;   // json.Marshaler: returns JSON text
  std::vector<GoMethod> methods;
  bool insertion_ordered = false;  // map keeps insertion order (else sorted by key, as Go maps)
  bool pointer_semantics = false;  // a pointer type: json omitempty drops it only when nil
};

class Value {
 public:
  using Entry = std::pair<std::string, Value>;

  Value() = default;  // the invalid value (Go's zero reflect.Value)
  static Value nil_interface();  // a nil interface{} (e.g. a missing map key)
  static Value from_bool(bool b);
  static Value from_int(std::int64_t i);
  static Value from_uint(std::uint64_t u, const GoType* type = nullptr);
  static Value from_float(double f);
  static Value from_string(std::string s);
  static Value from_bytes(std::string bytes, const GoType* type = nullptr, bool nil = false);
  static Value slice(std::vector<Value> items, const GoType* type = nullptr);
  static Value nil_slice(const GoType* type = nullptr);
  // Go maps sort their entries by key unless the type keeps insertion order.
  static Value map(std::vector<Entry> entries, const GoType* type = nullptr);
  static Value nil_map(const GoType* type = nullptr);
  static Value structure(const GoType& type, std::vector<Value> fields);
  // The same struct seen through a pointer (*T): printed as &{...}.
  Value as_pointer() const;
  // The value a pointer points to (the value itself if not a pointer).
  Value deref() const;

  Kind kind() const { return kind_; }
  bool valid() const { return kind_ != Kind::Invalid; }
  bool is_nil_interface() const { return kind_ == Kind::Invalid && flag_; }
  bool is_nil() const;  // nil slice, map, []byte or interface
  bool is_pointer() const { return kind_ == Kind::Struct && flag_; }
  const GoType* type() const { return type_; }
  std::string type_name() const;  // Go's %T spelling

  bool as_bool() const { return num_.b; }
  std::int64_t as_int() const { return num_.i; }
  std::uint64_t as_uint() const { return num_.u; }
  double as_float() const { return num_.f; }
  const std::string& as_string() const;  // String and Bytes
  std::span<const Value> items() const;  // Slice
  std::span<const Entry> entries() const;  // Map, in iteration order
  std::span<const Value> fields() const;  // Struct, in type field order

  const Value* map_find(std::string_view key) const;
  const Value* field(std::string_view go_name) const;
  const GoMethod* method(std::string_view name) const;
  bool has_string_method() const { return type_ && type_->string_method; }
  std::size_t length() const;  // string bytes / slice / map length

  // Go's truth (text/template isTrue): zero values and empty containers are false.
  bool truth() const;

 private:
  Kind kind_ = Kind::Invalid;
  bool flag_ = false;  // Invalid: nil interface; Slice/Map/Bytes: nil; Struct: pointer
  const GoType* type_ = nullptr;
  union {
    bool b;
    std::int64_t i;
    std::uint64_t u;
    double f;
  } num_{};
  std::shared_ptr<const void> data_;
};

}  // namespace corral::gotmpl
