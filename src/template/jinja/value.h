// jinja::Value: the Python-like values Jinja2 templates compute with:
// undefined, None, bool, int, float, str, list, tuple, dict (insertion
// ordered), namespace (mutable attributes) and callables (macros, globals,
// bound methods). Strings, lists and dicts are shared immutable payloads;
// namespaces are shared mutable objects, as in Python.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corral::jinja {

enum class Kind : std::uint8_t { Undefined, None, Bool, Int, Float, String, List, Tuple, Dict, Namespace, Callable };

class Value;

struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keywords;
  const Value* keyword(std::string_view name) const;
};

struct Callable {
  std::string name;
  std::function<Value(CallArgs&)> call;
};

class Value {
 public:
  using Pair = std::pair<Value, Value>;

  Value() = default;  // undefined
  static Value undefined(std::string hint);  // hint: the name, for "'x' is undefined"
  static Value none();
  static Value from_bool(bool b);
  static Value from_int(std::int64_t i);
  static Value from_float(double f);
  static Value from_string(std::string s);
  static Value list(std::vector<Value> items);
  static Value tuple(std::vector<Value> items);
  static Value dict(std::vector<Pair> items);  // later duplicates replace earlier values
  static Value namespace_object(std::vector<Pair> items);
  static Value callable(std::string name, std::function<Value(CallArgs&)> fn);

  Kind kind() const { return kind_; }
  bool is_undefined() const { return kind_ == Kind::Undefined; }
  bool is_none() const { return kind_ == Kind::None; }
  bool is_number() const { return kind_ == Kind::Int || kind_ == Kind::Float || kind_ == Kind::Bool; }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_sequence() const { return kind_ == Kind::List || kind_ == Kind::Tuple; }
  bool is_mapping() const { return kind_ == Kind::Dict; }

  bool as_bool() const { return num_.b; }
  std::int64_t as_int() const;  // Int or Bool
  double as_number() const;     // Int, Float or Bool
  const std::string& as_string() const;
  std::span<const Value> items() const;  // List / Tuple
  std::span<const Pair> pairs() const;   // Dict
  const std::string& undefined_hint() const;  // Undefined
  const Callable& callable_object() const;

  // Dict lookup (Python equality on keys); null when absent.
  const Value* find(const Value& key) const;
  const Value* find(std::string_view key) const;
  // Namespace attributes (shared, mutable).
  const Value* ns_get(std::string_view name) const;
  void ns_set(const std::string& name, Value v) const;
  std::vector<Pair> ns_items() const;

  // Python truthiness.
  bool truth() const;
  // The same shared object (namespaces, callables compare by identity).
  bool same_object(const Value& o) const { return data_ == o.data_; }
  // len() for str (code points), list, tuple, dict, namespace; -1 otherwise.
  std::int64_t length() const;

 private:
  Kind kind_ = Kind::Undefined;
  union {
    bool b;
    std::int64_t i;
    double f;
  } num_{};
  std::shared_ptr<const void> data_;
};

// Python == between two values (1 == 1.0 == True, deep list/dict equality).
bool py_equal(const Value& a, const Value& b);
// Python str() / repr() of a value (str of undefined is "").
std::string py_str(const Value& v);
std::string py_repr(const Value& v);
// Python type name for messages ("str", "int", "dict", ...).
std::string py_type_name(const Value& v);

}  // namespace corral::jinja
