// jinja::Value construction, lookup and Python semantics (==, str, repr, truth).
#include "template/jinja/value.h"

#include <cstdio>

#include "template/common/number_text.h"
#include "util/utf8.h"

namespace corral::jinja {

namespace {

const std::string& empty_string() {
  static const std::string s;
  return s;
}

struct NamespaceData {
  mutable std::vector<Value::Pair> items;
};

}  // namespace

const Value* CallArgs::keyword(std::string_view name) const {
  for (const auto& [k, v] : keywords)
    if (k == name) return &v;
  return nullptr;
}

Value Value::undefined(std::string hint) {
  Value v;
  v.data_ = std::make_shared<const std::string>(std::move(hint));
  return v;
}

Value Value::none() {
  Value v;
  v.kind_ = Kind::None;
  return v;
}

Value Value::from_bool(bool b) {
  Value v;
  v.kind_ = Kind::Bool;
  v.num_.b = b;
  return v;
}

Value Value::from_int(std::int64_t i) {
  Value v;
  v.kind_ = Kind::Int;
  v.num_.i = i;
  return v;
}

Value Value::from_float(double f) {
  Value v;
  v.kind_ = Kind::Float;
  v.num_.f = f;
  return v;
}

Value Value::from_string(std::string s) {
  Value v;
  v.kind_ = Kind::String;
  v.data_ = std::make_shared<const std::string>(std::move(s));
  return v;
}

Value Value::list(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::List;
  v.data_ = std::make_shared<const std::vector<Value>>(std::move(items));
  return v;
}

Value Value::tuple(std::vector<Value> items) {
  Value v = list(std::move(items));
  v.kind_ = Kind::Tuple;
  return v;
}

Value Value::dict(std::vector<Pair> items) {
  std::vector<Pair> unique;
  unique.reserve(items.size());
  for (auto& p : items) {
    bool replaced = false;
    for (auto& u : unique)
      if (py_equal(u.first, p.first)) {
        u.second = std::move(p.second);
        replaced = true;
        break;
      }
    if (!replaced) unique.push_back(std::move(p));
  }
  Value v;
  v.kind_ = Kind::Dict;
  v.data_ = std::make_shared<const std::vector<Pair>>(std::move(unique));
  return v;
}

Value Value::namespace_object(std::vector<Pair> items) {
  auto data = std::make_shared<NamespaceData>();
  for (auto& p : items) {
    bool replaced = false;
    for (auto& u : data->items)
      if (py_equal(u.first, p.first)) {
        u.second = std::move(p.second);
        replaced = true;
      }
    if (!replaced) data->items.push_back(std::move(p));
  }
  Value v;
  v.kind_ = Kind::Namespace;
  v.data_ = std::move(data);
  return v;
}

Value Value::callable(std::string name, std::function<Value(CallArgs&)> fn) {
  Value v;
  v.kind_ = Kind::Callable;
  v.data_ = std::make_shared<const Callable>(Callable{std::move(name), std::move(fn)});
  return v;
}

std::int64_t Value::as_int() const { return kind_ == Kind::Bool ? (num_.b ? 1 : 0) : num_.i; }

double Value::as_number() const {
  switch (kind_) {
    case Kind::Bool: return num_.b ? 1 : 0;
    case Kind::Int: return static_cast<double>(num_.i);
    case Kind::Float: return num_.f;
    default: return 0;
  }
}

const std::string& Value::as_string() const {
  if (kind_ == Kind::String && data_) return *static_cast<const std::string*>(data_.get());
  return empty_string();
}

const std::string& Value::undefined_hint() const {
  if (kind_ == Kind::Undefined && data_) return *static_cast<const std::string*>(data_.get());
  return empty_string();
}

std::span<const Value> Value::items() const {
  if ((kind_ == Kind::List || kind_ == Kind::Tuple) && data_) return *static_cast<const std::vector<Value>*>(data_.get());
  return {};
}

std::span<const Value::Pair> Value::pairs() const {
  if (kind_ == Kind::Dict && data_) return *static_cast<const std::vector<Pair>*>(data_.get());
  return {};
}

const Callable& Value::callable_object() const { return *static_cast<const Callable*>(data_.get()); }

const Value* Value::find(const Value& key) const {
  for (const auto& p : pairs())
    if (py_equal(p.first, key)) return &p.second;
  return nullptr;
}

const Value* Value::find(std::string_view key) const {
  for (const auto& p : pairs())
    if (p.first.kind_ == Kind::String && p.first.as_string() == key) return &p.second;
  return nullptr;
}

const Value* Value::ns_get(std::string_view name) const {
  if (kind_ != Kind::Namespace) return nullptr;
  for (const auto& p : static_cast<const NamespaceData*>(data_.get())->items)
    if (p.first.as_string() == name) return &p.second;
  return nullptr;
}

void Value::ns_set(const std::string& name, Value v) const {
  auto* ns = static_cast<const NamespaceData*>(data_.get());
  for (auto& p : ns->items)
    if (p.first.as_string() == name) {
      p.second = std::move(v);
      return;
    }
  ns->items.emplace_back(Value::from_string(name), std::move(v));
}

std::vector<Value::Pair> Value::ns_items() const {
  if (kind_ != Kind::Namespace) return {};
  return static_cast<const NamespaceData*>(data_.get())->items;
}

bool Value::truth() const {
  switch (kind_) {
    case Kind::Undefined:
    case Kind::None: return false;
    case Kind::Bool: return num_.b;
    case Kind::Int: return num_.i != 0;
    case Kind::Float: return num_.f != 0;
    case Kind::String: return !as_string().empty();
    case Kind::List:
    case Kind::Tuple: return !items().empty();
    case Kind::Dict: return !pairs().empty();
    case Kind::Namespace:
    case Kind::Callable: return true;
  }
  return false;
}

std::int64_t Value::length() const {
  switch (kind_) {
    case Kind::Undefined: return 0;
    case Kind::String: {
      std::int64_t n = 0;
      for (unsigned char c : as_string()) n += (c & 0xC0) != 0x80;
      return n;
    }
    case Kind::List:
    case Kind::Tuple: return static_cast<std::int64_t>(items().size());
    case Kind::Dict: return static_cast<std::int64_t>(pairs().size());
    case Kind::Namespace: return static_cast<std::int64_t>(ns_items().size());
    default: return -1;
  }
}

bool py_equal(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.kind() == Kind::Float || b.kind() == Kind::Float) return a.as_number() == b.as_number();
    return a.as_int() == b.as_int();
  }
  if (a.kind() != b.kind()) {
    if (a.is_sequence() && b.is_sequence()) return false;  // [1] != (1,)
    return false;
  }
  switch (a.kind()) {
    case Kind::Undefined:
    case Kind::None: return true;
    case Kind::String: return a.as_string() == b.as_string();
    case Kind::List:
    case Kind::Tuple: {
      auto x = a.items(), y = b.items();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (!py_equal(x[i], y[i])) return false;
      return true;
    }
    case Kind::Dict: {
      auto x = a.pairs(), y = b.pairs();
      if (x.size() != y.size()) return false;
      for (const auto& p : x) {
        const Value* other = b.find(p.first);
        if (!other || !py_equal(p.second, *other)) return false;
      }
      return true;
    }
    default: return a.same_object(b);
  }
}

namespace {

std::string repr_string(const std::string& s) {
  // Python prefers single quotes unless the text contains one and no double quote.
  bool has_single = s.find('\'') != std::string::npos, has_double = s.find('"') != std::string::npos;
  char q = has_single && !has_double ? '"' : '\'';
  std::string out(1, q);
  for (unsigned char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c == static_cast<unsigned char>(q)) {
          out += '\\';
          out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += q;
  return out;
}

}  // namespace

std::string py_repr(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined: return "Undefined";
    case Kind::String: return repr_string(v.as_string());
    case Kind::List:
    case Kind::Tuple: {
      bool tuple = v.kind() == Kind::Tuple;
      std::string s = tuple ? "(" : "[";
      auto items = v.items();
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) s += ", ";
        s += py_repr(items[i]);
      }
      if (tuple && items.size() == 1) s += ",";
      return s + (tuple ? ")" : "]");
    }
    case Kind::Dict: {
      std::string s = "{";
      bool first = true;
      for (const auto& [k, val] : v.pairs()) {
        if (!first) s += ", ";
        first = false;
        s += py_repr(k) + ": " + py_repr(val);
      }
      return s + "}";
    }
    case Kind::Namespace: {
      std::string s = "<Namespace {";
      bool first = true;
      for (const auto& [k, val] : v.ns_items()) {
        if (!first) s += ", ";
        first = false;
        s += py_repr(k) + ": " + py_repr(val);
      }
      return s + "}>";
    }
    default: return py_str(v);
  }
}

std::string py_str(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined: return "";
    case Kind::None: return "None";
    case Kind::Bool: return v.as_bool() ? "True" : "False";
    case Kind::Int: return std::to_string(v.as_int());
    case Kind::Float: return textnum::python_float(v.as_number());
    case Kind::String: return v.as_string();
    case Kind::Callable: return "<function " + v.callable_object().name + ">";
    default: return py_repr(v);
  }
}

std::string py_type_name(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined: return "Undefined";
    case Kind::None: return "NoneType";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::List: return "list";
    case Kind::Tuple: return "tuple";
    case Kind::Dict: return "dict";
    case Kind::Namespace: return "Namespace";
    case Kind::Callable: return "function";
  }
  return "object";
}

}  // namespace corral::jinja
